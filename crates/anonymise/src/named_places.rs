//! Places that are no commune, named by their head: a lake, a pass, a
//! peak, a forest, a beach, a valley, a cove (« lac de Montrevel », « col
//! de la Croix-Perrin », « pic de Bure », « forêt domaniale des
//! Bréhaudières », « plage de Porto Pollo », « plan d'eau de la Vézeronce
//! »), the quarters of the Antilles and the tribes of New Caledonia («
//! Section Grand-Fonds », « tribu de Wagap ») and the Basque houses («
//! etxe Haranburua »), and built places of that shape: a business park
//! (« ZAC du Vallon », « ZI Mi-Côte »), an estate (« lot. du Clos Fleuri
//! ») and a ski run (« piste des Lutins »). A place where a patient lives, works or fell tells
//! where, as a commune does; the name alone was often read as a town and
//! its head left in clear (« le lac » alone leaves « de ____ »), which
//! tells the place as well. The head and its name are one address.
//!
//! One list of heads, written by two engineers as two modules in the
//! twenty-fifth round (natural landmarks and places named by their head)
//! and made one in the twenty-sixth.
use std::sync::OnceLock;

use regex::Regex;

use crate::dicts::{fold, Dicts};
use crate::{Cand, Info, Kind};

/// Above the propagated copies of a span (45), as every rule's own span.
const PRIO: u8 = 66;

/// How a head goes with the name after it.
#[derive(Clone, Copy, PartialEq)]
enum Reading {
    /// In any case (« lac », « Lac », « LAC »), before a link word and the
    /// name; the head and the name are the place.
    Linked,
    /// As `Linked`, but the name alone is the place, as the sets mark it
    /// (« tribu de Wagap »: a tribe is written before its name).
    NameAlone,
    /// With its capital, before a link word, only after an article (« du
    /// Pas de l'Ours », « entre le Pas de la Balme »; « Pas de PC » or «
    /// Pas de Lachman » opens a sentence).
    AfterArticle,
    /// As written, without a link word, before a name that is no common
    /// word (« Section Bélair », « etxe Berria »; « Section Cardiologie »
    /// of a hospital stays, « Section de Poitiers » is a club's).
    Bare,
}

/// The heads of a named place, as patterns. No head but the bare ones
/// goes without its link: « col Garden III » is a fracture's class. A
/// causse names a region (« causse de Gramat »), its commune is read
/// alone.
const HEADS: &[(&str, Reading)] = &[
    (r"lacs?", Reading::Linked),
    (r"cols?", Reading::Linked),
    (r"pic", Reading::Linked),
    (r"pointe", Reading::Linked),
    (r"plan[ \t]+d['’]eau", Reading::Linked),
    (r"[ée]tangs?", Reading::Linked),
    (r"[îi]le", Reading::Linked),
    (r"presqu['’][îi]le", Reading::Linked),
    (r"for[êe]ts?(?:[ \t]+domaniales?)?", Reading::Linked),
    (r"gorges", Reading::Linked),
    (r"baie", Reading::Linked),
    (r"cascade", Reading::Linked),
    (r"plages?", Reading::Linked),
    (r"vall[ée]es?", Reading::Linked),
    (r"cirque", Reading::Linked),
    (r"marine", Reading::Linked),
    (r"cabane", Reading::Linked),
    (r"rochers?", Reading::Linked),
    (r"v[ée]loroute", Reading::Linked),
    (r"voie[ \t]+verte", Reading::Linked),
    (r"ravine", Reading::Linked),
    (r"massif", Reading::Linked),
    (r"anse", Reading::Linked),
    (r"barrage", Reading::Linked),
    (r"rivi[èe]re", Reading::Linked),
    // Built places of the same shape (twenty-sixth round): a business
    // park, an estate before its link (with an article it is
    // `residences.rs`'s) and a ski run; the name alone was read as an
    // establishment and the head left in clear.
    (r"z(?:a|i|ac)", Reading::Linked),
    (
        r"zone[ \t]+(?:artisanale|industrielle|d['’]activit[ée]s?)",
        Reading::Linked,
    ),
    (r"pistes?", Reading::Linked),
    (r"lot\.", Reading::Linked),
    (r"lotissement", Reading::Linked),
    (r"tribu", Reading::NameAlone),
    (r"Pas", Reading::AfterArticle),
    (r"Section", Reading::Bare),
    (r"[Ee]txe", Reading::Bare),
    (r"ZA|ZI|ZAC", Reading::Bare),
];

/// The link words between a head and its name.
const LINK: &str = r"(?:de[ \t]+la[ \t]+|de[ \t]+l['’]|du[ \t]+|des[ \t]+|de[ \t]+|d['’])";

/// A name: a capital, then letters (« Ré », « Serre-Ponçon »), and up to
/// two more words in title case (« Porto Pollo »).
const NAME: &str = r"\p{Lu}[\p{L}\p{M}][\p{L}\p{M}'’-]*(?:[ \t]+\p{Lu}\p{Ll}[\p{L}\p{M}'’-]*){0,2}";

/// The heads of one reading, as one alternation.
fn heads(reading: Reading) -> String {
    HEADS
        .iter()
        .filter(|(_, r)| *r == reading)
        .map(|(h, _)| *h)
        .collect::<Vec<_>>()
        .join("|")
}

fn place_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        let (linked, alone) = (heads(Reading::Linked), heads(Reading::NameAlone));
        let (article, bare) = (heads(Reading::AfterArticle), heads(Reading::Bare));
        Regex::new(&format!(
            r"\b(?:(?P<linked>(?i:{linked}))[ \t]+{LINK}|(?P<alone>(?i:{alone}))[ \t]+{LINK}|(?P<article>{article})[ \t]+{LINK}|(?P<bare>{bare})[ \t]+)(?P<name>{NAME})"
        ))
        .expect("named place pattern")
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

/// The last word before `at`, an article or not.
fn word_before(text: &str, at: usize) -> &str {
    text[..at]
        .trim_end_matches([' ', '\t'])
        .rsplit(|ch: char| !ch.is_alphabetic())
        .next()
        .unwrap_or("")
}

/// Add each named place as an address. A span the rules read inside it (a
/// commune, a surname, « Rochers » read as an establishment) is
/// taken in, and a town, an address or a name across its end widens it;
/// an establishment, a longer address (« 412 route du Col de l'Épine ») or
/// any other span across either end leaves it as it is.
pub(crate) fn detect(text: &str, mut found: Vec<Cand>) -> Vec<Cand> {
    let dicts = Dicts::get();
    let mut added = Vec::new();
    for c in place_re().captures_iter(text) {
        let whole = c.get(0).expect("whole");
        let name = c.name("name").expect("name");
        let first = name
            .as_str()
            .split([' ', '\t', '-', '\'', '’'])
            .next()
            .unwrap_or("");
        // « pic de CRP »: capitals alone are an abbreviation; a bone's
        // neck (« col du Fémur ») and a drug or an eponym of the
        // allow-list (« pic de Lovenox ») stay
        if !first.chars().any(char::is_lowercase)
            || ANATOMY.contains(&fold(first).as_str())
            || dicts.allow.contains(&fold(name.as_str()))
        {
            continue;
        }
        let article = c.name("article").is_some();
        if article && !matches!(word_before(text, whole.start()), "le" | "du" | "au") {
            continue;
        }
        if c.name("bare").is_some() && dicts.common.contains(&fold(name.as_str())) {
            continue;
        }
        let s = if c.name("alone").is_some() {
            name.start()
        } else {
            whole.start()
        };
        let e = whole.end();
        let meeting: Vec<usize> = found
            .iter()
            .enumerate()
            .filter(|(_, p)| p.start < e && p.end > s)
            .map(|(i, _)| i)
            .collect();
        let leaves = meeting.iter().any(|&i| {
            let p = &found[i];
            let across = p.start < s || p.end > e;
            // a longer address around it is kept
            across
                && (!matches!(p.kind, Kind::Ville | Kind::Adresse | Kind::Nom)
                    || p.kind == Kind::Adresse && p.start < s)
        });
        if leaves {
            continue;
        }
        let start = meeting.iter().map(|&i| found[i].start).fold(s, usize::min);
        let end = meeting.iter().map(|&i| found[i].end).fold(e, usize::max);
        for &i in meeting.iter().rev() {
            found.remove(i);
        }
        added.push(Cand {
            start,
            end,
            kind: Kind::Adresse,
            prio: PRIO,
            info: Info::None,
        });
    }
    found.extend(added);
    found.sort_by_key(|c| c.start);
    found
}
