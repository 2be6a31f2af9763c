//! Places that are no commune, named by their head: a lake, a pass, a
//! forest, a beach, a valley, a cove (« lac de Montrevel », « col de la
//! Croix-Perrin », « forêt domaniale des Bréhaudières », « plage de Porto
//! Pollo », « plan d'eau de la Vézeronce »), and the quarters of the
//! Antilles and the tribes of New Caledonia (« Section Grand-Fonds », «
//! tribu de Wagap »), and the Basque houses (« etxe Haranburua »). Built
//! places by the same shape: a business park (« ZAC du Vallon », « ZI
//! Mi-Côte »), an estate before its link (« lot. du Clos Fleuri »; with an
//! article it is `residences.rs`'s) and a ski run (« piste des Lutins »):
//! the name alone was read as an establishment and the head left in clear. Rural notes locate a home, a fall or a crash so; the
//! name alone was often read as a town and its head left in clear, which
//! tells the place as well. The head and its name are one address.
use std::sync::OnceLock;

use regex::Regex;

use crate::dicts::{fold, Dicts};
use crate::{Cand, Info, Kind};

/// A head of a natural or rural place, its link word and a name in title
/// case (up to three words). « Section » and the Basque « etxe » (a
/// house) go without a link (« Section Bélair », « etxe Berria »; «
/// Section de Poitiers » is a club's). No head goes without its
/// link otherwise: « col Garden III » is a fracture's class. « Pas » only
/// with a capital, checked below after an article (« du Pas de l'Ours »; «
/// Pas de PC » opens a sentence). A causse names a region (« causse de
/// Gramat »), its commune is read alone.
fn landmark() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        let name = r"\p{Lu}\p{Ll}[\p{L}'’-]*(?:[ \t]+\p{Lu}\p{Ll}[\p{L}'’-]*){0,2}";
        let link = r"(?:de[ \t]+la[ \t]+|de[ \t]+l['’]|du[ \t]+|des[ \t]+|de[ \t]+|d['’])";
        Regex::new(&format!(
            r"\b(?:(?P<head>[Ll]acs?|[Cc]ols?|[Pp]ic|[Ff]or[êe]ts?(?:[ \t]+domaniales?)?|[Pp]lages?|[Vv]all[ée]es?|[ÉéEe]tangs?|[Gg]orges|[Cc]irque|[Îî]le|[Pp]resqu['’][îi]le|[Pp]ointe|[Bb]aie|[Mm]arine|[Cc]abane|[Rr]ochers?|[Pp]lan[ \t]+d['’]eau|[Vv][ée]loroute|[Vv]oie[ \t]+verte|[Rr]avine|[Mm]assif|[Cc]ascade|[Aa]nse|[Bb]arrage|[Rr]ivi[èe]re|[Tt]ribu|Pas|ZA|ZI|ZAC|[Zz]one[ \t]+(?:artisanale|industrielle|d['’]activit[ée]s?)|[Pp]istes?|[Ll]ot\.|[Ll]otissement)[ \t]+{link}|(?P<bare>Section|[Ee]txe|ZA|ZI|ZAC)[ \t]+)(?P<name>{name})"
        ))
        .expect("landmark")
    })
}

/// Words a pass's name never is: the neck of a bone or an organ.
const ANATOMY: &[&str] = &[
    "femur",
    "uterus",
    "humerus",
    "talus",
    "radius",
    "vessie",
    "vesical",
    "astragale",
];

/// Add each landmark as an address, taking in a town, an address or a name
/// already read inside it; one that meets an establishment reaching past
/// its name, or any other span, is left as it is.
pub(crate) fn detect(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    let dicts = Dicts::get();
    let mut added = Vec::new();
    for c in landmark().captures_iter(text) {
        let whole = c.get(0).expect("whole");
        let name = c.name("name").expect("name");
        let first = name
            .as_str()
            .split([' ', '\t', '-', '\'', '’'])
            .next()
            .unwrap_or("");
        let first = fold(first);
        if ANATOMY.contains(&first.as_str()) {
            continue;
        }
        let head = c.name("head").or_else(|| c.name("bare")).expect("head");
        match head.as_str() {
            // « entre le Pas de la Balme », « du Pas de l'Ours »
            "Pas" => {
                let before = text[..whole.start()].trim_end_matches([' ', '\t']);
                let article = before
                    .rsplit(|ch: char| !ch.is_alphabetic())
                    .next()
                    .unwrap_or("");
                if !matches!(article, "le" | "du" | "au") {
                    continue;
                }
            }
            // « Section Cardiologie » of a hospital: a quarter's name is no word
            "Section" | "Etxe" | "etxe" if dicts.common.contains(&fold(name.as_str())) => continue,
            _ => {}
        }
        // a tribe is written before its name, which alone is the place
        // (« tribu de Wagap »)
        let s = if head.as_str().eq_ignore_ascii_case("tribu") {
            name.start()
        } else {
            whole.start()
        };
        let e = whole.end();
        let inside: Vec<usize> = found
            .iter()
            .enumerate()
            .filter(|(_, p)| p.start < e && p.end > s)
            .map(|(i, _)| i)
            .collect();
        // an establishment read over the name alone (« Croix-Perrin ») is
        // the place's name; one reaching beyond it is a firm or a home
        if inside.iter().any(|&i| match found[i].kind {
            Kind::Ville | Kind::Adresse | Kind::Nom => false,
            Kind::Etablissement => found[i].start < name.start() || found[i].end > e,
            _ => true,
        }) {
            continue;
        }
        let start = inside.iter().map(|&i| found[i].start).fold(s, usize::min);
        let end = inside.iter().map(|&i| found[i].end).fold(e, usize::max);
        // a longer address around it (« 412 route du Col de l'Épine ») is kept
        if inside
            .iter()
            .any(|&i| found[i].kind == Kind::Adresse && found[i].start < s)
        {
            continue;
        }
        for &i in inside.iter().rev() {
            found.remove(i);
        }
        added.push(Cand {
            start,
            end,
            kind: Kind::Adresse,
            prio: 58,
            info: Info::None,
        });
    }
    found.extend(added);
    found.sort_by_key(|c| c.start);
    found
}
