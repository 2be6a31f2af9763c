//! Assessment aids of the signalement form: the criteria of immediate
//! danger and of emprise of the 2020 vade-mecum (ministère de la Justice,
//! HAS, CNOM), shown beside the questions « danger immédiat » and
//! « emprise » of CP 226-14 3°. The law leaves the judgement to the
//! professional (« estime en conscience »): the aids are a list to read,
//! never inputs, never counted, never put in the report (a report holds
//! only what was observed and said: minimisation).

use serde::Serialize;

/// The criteria of immediate danger, in the vade-mecum's order. Condensed
/// wording (research note §1.3): the exact wording is the document's.
const DANGER: [&str; 15] = [
    "Les violences sont-elles multiples (verbales, physiques, sexuelles, psychologiques) et/ou leur fréquence augmente-t-elle ?",
    "Le ou la partenaire a-t-il été informé d’un projet de séparation ? En cas de séparation effective, l’ex-partenaire cherche-t-il à connaître le lieu de résidence de la victime ?",
    "Le ou la (ex-)partenaire exerce-t-il des violences sur les enfants (coups, humiliations, privations, notamment alimentaires) ?",
    "La victime craint-elle de nouvelles violences, pour elle, ses enfants ou ses proches ?",
    "Les enfants sont-ils utilisés pour faire du chantage ?",
    "La victime a-t-elle peur pour elle ou pour ses enfants ?",
    "La victime est-elle enceinte, ou a-t-elle un enfant de moins de deux ans ?",
    "La victime a-t-elle été incitée au suicide par le ou la (ex-)partenaire ?",
    "La victime a-t-elle déjà été empêchée de sortir de chez elle ?",
    "Le ou la (ex-)partenaire consomme-t-il de l’alcool, des drogues et/ou des médicaments ?",
    "Le ou la (ex-)partenaire a-t-il des antécédents psychiatriques ?",
    "La police ou la gendarmerie est-elle déjà intervenue au domicile conjugal et/ou partagé ?",
    "Le ou la (ex-)partenaire a-t-il eu des altercations avec la police, ou a-t-il des antécédents judiciaires ?",
    "Y a-t-il eu des menaces de mort, notamment scénarisées, contre la victime ou ses enfants ?",
    "Le ou la (ex-)partenaire possède-t-il des armes à feu, déclarées ou non ?",
];

/// The criteria of emprise: only the first item could be read in a public
/// copy (research note §1.4); the others are not shown rather than
/// reconstructed from memory.
const EMPRISE: [&str; 1] =
    ["La victime indique-t-elle recevoir des propos dévalorisants, humiliants ?"];

#[derive(Serialize)]
pub struct Aids {
    pub danger: Vec<&'static str>,
    pub emprise: Vec<&'static str>,
}

/// What the form shows.
pub fn view() -> Aids {
    Aids {
        danger: DANGER.to_vec(),
        emprise: EMPRISE.to_vec(),
    }
}
