//! The long choice lists of the interview laid out in groups a
//! physiotherapist recognises (care, the patient and relatives, authorities,
//! others), so that « Continuer » stays within reach. Only the layout: the
//! values and their labels stay the law's (law/facts.toml).

/// The groups of one fact's choices, in order: a label and the values it
/// holds. `None` for a fact shown as one list.
pub(crate) fn groups(fact: &str) -> Option<&'static [(&'static str, &'static [&'static str])]> {
    match fact {
        "recipient" => Some(RECIPIENT),
        _ => None,
    }
}

const RECIPIENT: &[(&str, &[&str])] = &[
    (
        "Les soins",
        &[
            "equipe_de_soins",
            "professionnel_hors_equipe",
            "autorite_medicale",
            "tuteur_de_stage",
        ],
    ),
    (
        "Le patient et ses proches",
        &[
            "patient",
            "famille_proches",
            "personne_de_confiance",
            "titulaire_autorite_parentale",
            "ayant_droit",
        ],
    ),
    (
        "Les autorités",
        &[
            "procureur",
            "police_gendarmerie",
            "crip",
            "prefet",
            "autorite_administrative",
            "juge",
            "juridiction",
            "medecin_conseil",
        ],
    ),
    ("Les autres", &["employeur", "assureur", "public", "tiers"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// A value added to the law without a group would vanish from the page.
    #[test]
    fn every_choice_of_a_grouped_fact_is_in_exactly_one_group() {
        let law = sceau_law::law();
        for fact in ["recipient"] {
            let def = law.fact(fact).expect("fact in the catalogue");
            let gs = groups(fact).expect("grouped");
            for c in &def.choices {
                let n = gs
                    .iter()
                    .filter(|(_, vs)| vs.contains(&c.value.as_str()))
                    .count();
                assert_eq!(n, 1, "{fact}: {} is in {n} groups", c.value);
            }
            let total: usize = gs.iter().map(|(_, vs)| vs.len()).sum();
            assert_eq!(
                total,
                def.choices.len(),
                "{fact}: a group names a value the law does not have"
            );
        }
    }
}
