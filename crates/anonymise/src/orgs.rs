//! Establishments and organisations (clinics, EHPAD, schools, clubs,
//! employers…) found by their heads and legal forms, and rooms and beds.
//! A name alone says little; a name with its kind of place (« EHPAD les
//! Glycines », « collège Jean-Moulin », « Dupuis & Fils ») says where the
//! person lives, works or is treated.
use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use crate::dicts::{fold, Dicts};
use crate::eponym_sites::eponym_site;
use crate::not_name_words::WEEKDAYS_MONTHS;
use crate::org_tokens::{cue_before, joined, push_org, text_tokens, tokens, Tok, CARE_CUES};
use crate::{Cand, Info, Kind};

/// Heads that introduce the name of an establishment or organisation
/// (folded; several words allowed).
pub(crate) const HEADS: &[&str] = &[
    "centre hospitalier universitaire",
    "centre hospitalier regional",
    "centre hospitalier",
    "centre de reeducation",
    "centre de readaptation",
    "centre medical",
    "centre de sante",
    "centre d'imagerie",
    "centre de radiologie",
    "centre",
    "maison departementale",
    "maison de sante",
    "maison de retraite",
    "maison medicale",
    "polyclinique",
    "clinique",
    "hopital",
    "hopitaux",
    "chu",
    "chr",
    "chru",
    "chi",
    // hôpital d'instruction des armées
    "hia",
    "chs",
    "ch",
    "ehpad",
    "ehpa",
    "usld",
    "residence",
    "foyer",
    "foyer-logement",
    "foyer logement",
    "marpa",
    "mecs",
    "itep",
    "accueil de jour",
    "foyer de vie",
    "foyer d'hebergement",
    "foyer d'accueil medicalise",
    "residence seniors",
    "residence senior",
    "residence services",
    "residence autonomie",
    "unite alzheimer",
    "unite protegee",
    "esa",
    "pasa",
    "auto-ecole",
    "ssr",
    "smr",
    "mas",
    "fam",
    "ime",
    "esat",
    "sessad",
    "camsp",
    "cmp",
    "cmpp",
    "msp",
    "had",
    "ssiad",
    "cabinet",
    "pharmacie",
    "laboratoire",
    "labo",
    "institut",
    "ifmk",
    "ifsi",
    "ecole",
    "college",
    "lycee",
    "universite",
    "faculte",
    "creche",
    "club",
    "association",
    "asso",
    "stade",
    "gymnase",
    "piscine",
    "orchestre",
    "chorale",
    "harmonie",
    "conservatoire",
    "choeur",
    "quatuor",
    "gare",
    "fanfare",
    "troupe",
    "societe",
    "entreprise",
    "groupe",
    "ets",
    "etablissements",
    "cpam",
    "ccas",
    "mdph",
    "caf",
    "msa",
    "carsat",
    "mutuelle",
    "mairie",
    "banque",
    "agence",
    "garage",
    "restaurant",
    "hotel",
    "magasin",
    "boulangerie",
    "supermarche",
    "usine",
    "paroisse",
    "eglise",
    // places of worship, which locate a parishioner as a parish does:
    // « cathédrale Saint-Étienne », « mosquée de Vénissieux »
    "cathedrale",
    "chapelle",
    "basilique",
    "mosquee",
    "synagogue",
    "abbaye",
    "camping",
    "salle",
    "dojo",
    "cinema",
    "theatre",
    "bibliotheque",
    "mediatheque",
    "cfa",
    "iut",
    "multi-accueil",
    "admr",
    "ssiad",
    "udaf",
    "apf",
    "adapei",
    "unapei",
    "micro-creche",
    "halte-garderie",
    "reseau",
    "caisse primaire d'assurance maladie",
    "caisse primaire",
    "caisse",
    "credit",
    "union sportive",
    "union",
    "kine",
    "taxi",
    "taxis",
    "ambulances",
    "ambulance",
    "transports",
    "prestataire",
    "sas",
    "sarl",
    "eurl",
    "sasu",
    "selarl",
    "sci",
    "fondation",
    "epsm",
    "ghu",
    "emg",
    "samu",
    "smur",
    "sdis",
    "ligue",
    "thalasso",
    "hospices",
    "marathon",
    "trail",
    "groupe scolaire",
    "velo club",
    "sos",
    "cooperative",
    "gaec",
    "earl",
    "centre mutualiste",
    "antenne",
    "plateforme",
    "caserne",
    "gendarmerie",
    "domaine",
    "ast",
    "sist",
    "assoc",
    "federation",
    "fede",
    "jardins",
    "terrasses",
    "villa",
    "service de sante",
    "service de prevention",
    "service de sante au travail",
    "ifas",
    "ifap",
    // hospitals abroad, as patients write them after a stay
    "hospital",
    "hospitalario",
    "clinica",
    "klinik",
    "klinikum",
    "ospedale",
    "policlinico",
    "irfss",
    "creps",
    "ufr",
    // communities and services of care and of work health by their acronym:
    // « CPTS du Pays d'Artois », « SPSTI 35 », « CRRF de Kerpape »
    "cpts",
    "spsti",
    "asti",
    "crrf",
    "chic",
    "pole de sante",
    "pole sante",
    "cap emploi",
    // a hospital's site named by its place: « site de Lons », « site du Scorff »
    "site",
];

/// Names that are establishments by themselves (insurers, mutuals, banks,
/// chains, employers, associations): « Harmonie Mutuelle », « AG2R La Mondiale ».
const STANDALONE: &[&str] = &[
    // the national label of the houses of sport for health, named by
    // itself in a programme and before its territory
    "maison sport-sante",
    "maison sport sante",
    "macsf",
    "maif",
    "macif",
    "mgen",
    "maaf",
    "matmut",
    "groupama",
    "axa",
    "ag2r",
    "allianz",
    "generali",
    "malakoff",
    "humanis",
    "apicil",
    "mma",
    "covea",
    "smacl",
    "lcl",
    "bnp",
    "intermarche",
    "leclerc",
    "carrefour",
    "auchan",
    "lidl",
    "decathlon",
    "renault",
    "peugeot",
    "michelin",
    "sncf",
    "ratp",
    "edf",
    "engie",
    "ikea",
    "korian",
    "orpea",
    "emeis",
    "domusvi",
    "colisee",
    "jalmalv",
    "croix-rouge",
    "emmaus",
    "clic",
    "iem",
    "crf",
    "ghr",
    "ght",
    "saad",
    "spasad",
    "istr",
    "hotel-dieu",
    "harmonie",
    "swiss",
    "mutualite",
    "ugecam",
    "ap-hp",
    "aphp",
    "hcl",
    "ap-hm",
    "aphm",
    "vitalaire",
    "linde",
    "bastide",
    "orkyn",
    "airliquide",
    "adene",
    "isis",
    "asten",
    "ssr",
    "maternite",
    "secretariat",
    "departement",
    "conseil",
    "cercle",
    "conference",
    "equipe",
    "france",
    // national employers, shops and associations, named without a head
    "airbus",
    "thales",
    "safran",
    "bouygues",
    "vinci",
    "sanofi",
    "danone",
    "lactalis",
    "leroy merlin",
    "castorama",
    "darty",
    "fnac",
    "monoprix",
    "franprix",
    "amazon",
    "chronopost",
    "transdev",
    "keolis",
    "stellantis",
    "alstom",
    "veolia",
    "sodexo",
    "elior",
    "adecco",
    "manpower",
    "randstad",
    "la poste",
    "pole emploi",
    "france travail",
    "restos du coeur",
    "secours populaire",
    "secours catholique",
    "credit agricole",
    "credit mutuel",
    "societe generale",
    "banque populaire",
    "caisse d'epargne",
    "super u",
    "hyper u",
    "bricomarche",
    "brico depot",
    "mr bricolage",
    "geant casino",
    "netto",
    "aldi",
    "kiabi",
    "conforama",
    "gifi",
    "norauto",
    "speedy",
    // national services of téléassistance and employment of the disabled
    "presence verte",
    "agefiph",
    // insurers and hospital groups of the ACPR's and the FHP's lists that
    // the list above lacked
    "gmf",
    "pacifica",
    "predica",
    "cardif",
    "thelem",
    "smabtp",
    "ociane",
    "elsan",
    "vivalto",
    "almaviva",
    // a mutual and a hospital group named in two words
    "harmonie mutuelle",
    "ramsay sante",
];

/// Names of the standalone list that are ordinary words too: an
/// establishment only with a head or a name after them, never in lower case.
const GENERIC_STANDALONE: &[&str] = &[
    "france",
    "harmonie",
    "swiss",
    "conseil",
    "cercle",
    "conference",
    "equipe",
    "departement",
    "secretariat",
    "maternite",
    "bastide",
    "isis",
    "ssr",
    "la poste",
];

/// Heads that are acronyms and are read as heads only in capitals (« chic »
/// and « site » are words; « CHIC Quimper » is a hospital).
const ACRONYM_HEADS: &[&str] = &["cpts", "spsti", "asti", "crrf", "chic"];

/// Words that qualify a national insurer or group after its name: « AXA
/// Santé », « AXA France », « MACIF Prévoyance ».
const BRANCHES: &[&str] = &[
    "sante",
    "france",
    "vie",
    "mutuelle",
    "assurances",
    "assurance",
    "prevoyance",
];

/// Heads after which an eponym is the establishment's name, not a test or a
/// method: homes, clinics, schools, pharmacies, clubs (not « centre » nor
/// « institut », which name methods: « centre Bobath », nor « stade », a stage:
/// « stade Hoehn et Yahr »).
const EPONYM_HEADS: &[&str] = &[
    // « CHU Dupuytren », « HIA Bégin »: a hospital named after a physician
    "chu",
    "chr",
    "chru",
    "hia",
    "maison",
    "ehpad",
    "ehpa",
    "residence",
    "foyer",
    "foyer-logement",
    "clinique",
    "polyclinique",
    "hopital",
    "pharmacie",
    "ecole",
    "college",
    "lycee",
    "club",
    "association",
    "gymnase",
];

/// Heads that are ordinary words: they introduce a name only when written
/// with a capital (« Kiné du Lac », « Taxi Ambulances du Val-de-Marne »).
const CAP_ONLY: &[&str] = &[
    "kine",
    "auto-ecole",
    "taxi",
    "taxis",
    "ambulances",
    "ambulance",
    "transports",
    "caisse",
    "credit",
    "union",
    "reseau",
    "groupe",
    "agence",
    "garage",
    "restaurant",
    "hotel",
    "magasin",
    "boulangerie",
    "salle",
    "sas",
    "sarl",
    "eurl",
    "sasu",
    "selarl",
    "sci",
    "centre",
    "maison",
    "institut",
    "harmonie",
    "troupe",
    "foyer",
    "residence",
    "ligue",
    "marathon",
    "trail",
    "cooperative",
    "antenne",
    "plateforme",
    "domaine",
    "fondation",
    "jardins",
    "terrasses",
    "villa",
    "service",
    "site",
];

/// Sports clubs written with their initials: « AS Monaco », « FC Nantes ».
pub(crate) const CLUB_INITIALS: &[&str] = &[
    "AS", "US", "FC", "RC", "SC", "AC", "ES", "CS", "JA", "AJ", "ASPTT", "SO", "UA", "OGC", "SCO",
    "ASM", "USM", "EA", "JS", "SA", "UC", "CA", "SU", "AL", "ASC", "USC", "ESC", "FCO", "HBC",
    "BC", "VB", "TC", "CO",
];

/// Words that may link the words of a name: « Clinique du Parc », « Centre
/// d'imagerie des Écrins ». Not « à »: what follows it is the commune.
const LINKS: &[&str] = &[
    "de", "du", "des", "la", "le", "les", "l", "d", "et", "&", "sur", "sous", "en", "aux", "au",
];

/// Legal forms and family firms after a name: « Transports Martin SARL », « Dupuis & Fils ».
fn legal_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"\b(\p{Lu}[\p{L}'’-]+(?:\s+(?:&\s+|et\s+|de\s+|du\s+)?\p{Lu}[\p{L}'’-]+){0,3})\s+(?:&|et)\s+(?:Fils|Filles|Cie|Frères|Associés)\b|\b(\p{Lu}[\p{L}'’-]+(?:\s+(?:(?:de|du|des|la|le|les)\s+|l['’]|d['’])*\p{Lu}[\p{L}'’-]+){0,3})\s+(?:SARL|SAS|SASU|EURL|SA|SCI|SCM|SCP|SELARL|SELAS|GIE|SNC|GAEC|EARL|SCEA)\b").unwrap()
    })
}

/// Clubs named after their town and sport: « Metz Handball », « Stade Rennais ».
fn sports_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"\b\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){0,2}\s+(?:Handball|Rugby|Football|Foot|Basket|Basket-ball|Volley|Volley-ball|Hockey|Natation|Athlétisme|Cyclisme|Tennis|Judo|Gym|Gymnastique|Escrime|Triathlon|Olympique|Sports|Sport Club|Université Club|Athletic Club)(?:\s+Club)?(?:\s+(?:de\s+|du\s+|d['’])\p{Lu}[\p{L}'’-]+)?\b|\b(?:Stade|Racing|Olympique|Girondins|Sporting|Union Sportive|Avenir|Étoile|Entente|Jeunesse|Stade Olympique)\s+(?:de\s+|du\s+|d['’])?\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){0,2}").unwrap()
    })
}

fn room_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?i)\b(?:chambres?|chbre|chb|ch\.|ch|box|lits?|salle|bureau|apt\.?|appt\.?|app\.|appart|appartement|logement|log\.|studio)[^\S\n]*(?:(?:r[ée]serv[ée]e|individuelle|double|seule|particuli[èe]re|simple)\s*)?(?:n[°o]\.?\s*|num[ée]ro\s+)?(\d{1,2}\.\d{2}\b|\d{1,4}(?:\s?bis\b|\s?ter\b|-\d{1,2}\b|-[a-z]\b|\s?[a-z]\b)?|[a-z]{1,4}-?\d{1,3}[a-z]?(?:-\d{1,3})?|[a-z]{1,2}\s\d{1,3}|rdc-?\d{0,3})\b(?:[^\S\n]*[,/-]?[^\S\n]*lit[^\S\n]+(?:n[°º]\.?[^\S\n]*)?(?:\d{1,2}|[a-z]\b|porte|fen[êe]tre|c[ôo]t[ée][^\S\n]+\p{L}+)|[^\S\n]+(?:à|a|au)[^\S\n]+\d{1,4}\b|[^\S\n]+(?:c[ôo]t[ée][^\S\n]+)?(?:porte|fen[êe]tre)\b)?",
        )
        .unwrap()
    })
}

/// Units after a number that make it a quantity, not a room: « lit 3 jours ».
pub(crate) const UNITS: &[&str] = &[
    "j",
    "jour",
    "jours",
    "h",
    "heure",
    "heures",
    "min",
    "mn",
    "fois",
    "semaine",
    "semaines",
    "mois",
    "an",
    "ans",
    "kg",
    "cm",
    "mm",
    "m",
    "ml",
    "mg",
    "g",
    "s",
    "sec",
    "%",
    "x",
    "series",
    "repetitions",
    "rep",
    "seances",
    "nuits",
    "nuit",
    // vital signs and lab values, so that a room's number is not taken in
    // « FC 108 bpm »
    "bpm",
    "mmhg",
    "cmh2o",
    "ui",
    "mmol",
    "umol",
    "meq",
    "kcal",
    "dl",
    "metres",
];

fn is_name_word(_d: &Dicts, t: &Tok) -> bool {
    (t.cap || t.upper)
        && !crate::names::is_title_word(&t.folded)
        && !WEEKDAYS_MONTHS.contains(&t.folded.as_str())
        && !matches!(
            t.folded.as_str(),
            "patient"
                | "patiente"
                | "service"
                | "unite"
                | "pole"
                | "docteur"
                | "madame"
                | "monsieur"
        )
}

pub fn detect(text: &str, out: &mut Vec<Cand>) {
    let from = out.len();
    detect_names(text, out);
    // « EHPAD Saint-Joseph — Mer. 5/03 »: a spaced em dash ends a name (it
    // separates a header's parts; « Saint-Lô – Val de Vire » has an en dash)
    for c in &mut out[from..] {
        if let Some(p) = text[c.start..c.end].find(" — ") {
            c.end = c.start + p;
        }
    }
    // « stade NYHA III », « stade GOLD 3 »: a classification's stage, not
    // a stadium (whose name is a word or a person's, « stade Marcel-Michelin »)
    let mut k = from;
    while k < out.len() {
        let span = &text[out[k].start..out[k].end];
        let mut words = span.split_whitespace();
        let stage = fold(words.next().unwrap_or("")) == "stade"
            && words.next().is_some_and(|w| {
                let letters = w.chars().filter(|c| c.is_alphabetic()).count();
                letters >= 2 && w.chars().all(|c| !c.is_lowercase())
                    || w.chars().all(|c| c.is_ascii_digit())
            })
            // « stade Tanner 4 », « stade pubertaire Tanner », « stade
            // Leriche et Fontaine II »: an eponym of the clinical vocabulary
            || fold(span.split_whitespace().next().unwrap_or("")) == "stade"
                && span
                    .split_whitespace()
                    .skip(1)
                    .any(|w| Dicts::get().allow.contains(&fold(w)));
        // « Théo Bastide », « Louis Maison »: a head right after a first name
        // is that person's surname
        let before = text[..out[k].start].strip_suffix(' ').unwrap_or("");
        let prev = before
            .rsplit(|c: char| !c.is_alphabetic() && c != '-')
            .next()
            .unwrap_or("");
        let after_first_name = prev.chars().next().is_some_and(|c| c.is_uppercase())
            && prev.chars().skip(1).all(|c| c.is_lowercase() || c == '-')
            && Dicts::get().first_names.contains_key(&fold(prev))
            && !Dicts::get().common.contains(&fold(prev))
            && span.chars().next().is_some_and(|c| c.is_uppercase());
        if after_first_name {
            // what the surname's span ran over may hold a name of its own
            // (« Théo Bastide vers l'ESAT du Gévaudan »)
            let c = out.remove(k);
            let from_word = c.start + span.find(' ').unwrap_or(span.len());
            let mut more = Vec::new();
            detect_names(&text[from_word..c.end], &mut more);
            for mut m in more {
                m.start += from_word;
                m.end += from_word;
                out.push(m);
            }
        } else if stage {
            out.remove(k);
        } else {
            k += 1;
        }
    }
    crate::military_units::detect(text, out);
}

fn detect_names(text: &str, out: &mut Vec<Cand>) {
    let d = Dicts::get();
    let toks = text_tokens(text);
    let n = toks.len();
    // heads by their first word, so that each token looks at a few only
    static HEADS_BY_FIRST: OnceLock<HashMap<&'static str, Vec<Vec<&'static str>>>> =
        OnceLock::new();
    let heads = HEADS_BY_FIRST.get_or_init(|| {
        let mut m: HashMap<&'static str, Vec<Vec<&'static str>>> = HashMap::new();
        for h in HEADS.iter().chain(STANDALONE).chain(crate::trades::SHOPS) {
            let words: Vec<&'static str> = h.split([' ', '\'']).collect();
            m.entry(words[0]).or_default().push(words);
        }
        m
    });
    let mut i = 0;
    while i < n {
        // longest head starting at i
        let mut head_len = 0;
        let mut named = false;
        for h in heads.get(toks[i].folded.as_str()).into_iter().flatten() {
            if h.len() > head_len
                && i + h.len() <= n
                && h.iter().enumerate().all(|(k, w)| {
                    toks[i + k].folded == *w
                        && (k == 0 || joined(text, &toks[i + k - 1], &toks[i + k]))
                })
            {
                head_len = h.len();
                // a name of several words (« Leroy Merlin », « Crédit
                // Agricole ») is the organisation by itself, capitalised
                named = h.len() > 1
                    && STANDALONE
                        .iter()
                        .any(|x| x.split([' ', '\'']).eq(h.iter().copied()))
                    && (toks[i].cap || toks[i].upper);
            }
        }
        if head_len == 0 && crate::trades::shop(&toks[i].folded) {
            head_len = 1;
        }
        let club = CLUB_INITIALS.contains(&&text[toks[i].start..toks[i].end]);
        if head_len == 0 && !club {
            i += 1;
            continue;
        }
        // « AS Nolwenn » is the aide-soignante Nolwenn, not a club; « ASPTT
        // Nancy » is a club, whatever first names its town shares
        if head_len == 0
            && i + 1 < n
            && toks[i].end - toks[i].start <= 2
            && d.first_names.contains_key(&toks[i + 1].folded)
        {
            i += 1;
            continue;
        }
        let real_head = head_len > 0;
        let head_len = head_len.max(1);
        // « ch » and short acronyms only in capitals, or followed by « de »
        let head_word = &text[toks[i].start..toks[i].end];
        if head_len == 1
            && (toks[i].folded.len() <= 3 || ACRONYM_HEADS.contains(&toks[i].folded.as_str()))
            && !toks[i].upper
        {
            i += 1;
            continue;
        }
        if (CAP_ONLY.contains(&toks[i].folded.as_str()) || crate::trades::shop(&toks[i].folded))
            && !toks[i].cap
            && head_len == 1
            && !of_commune(text, &toks, i)
            && !proper_after_place_head(text, &toks, i)
            && !trade_and_owner(text, &toks, i)
            && !site_of_place(text, &toks, i)
        {
            i += 1;
            continue;
        }
        let _ = head_word;
        // the name: links and name words, at most two lower-case words before a name word
        let mut j = i + head_len;
        let mut last_name: Option<usize> = None;
        let mut lower_run = 0;
        let mut steps = 0;
        while j < n && steps < 8 && joined(text, &toks[j - 1], &toks[j]) {
            let t = &toks[j];
            // « Club en U18 »: a team's age group is no part of a name
            let category = t.folded.chars().any(|c| c.is_ascii_digit());
            // « SESSAD L'Envol et le CMP »: « et » and an article begin another name
            let another = t.folded == "et"
                && toks
                    .get(j + 1)
                    .is_some_and(|u| matches!(u.folded.as_str(), "le" | "la" | "les" | "l"));
            // « CAISSE PRIMAIRE D'ASSURANCE »: a capital elided before an
            // apostrophe is the link « d' », « l' » of a name in capitals
            let elided =
                matches!(t.folded.as_str(), "d" | "l") && text[t.end..].starts_with(['\'', '’']);
            if another || category && last_name.is_some() {
                break;
            } else if elided {
                // a link must be followed by more of the name
            } else if is_name_word(d, t) && !d.allow.contains(&t.folded) && !category {
                last_name = Some(j);
                lower_run = 0;
            } else if LINKS.contains(&t.folded.as_str()) {
                // a link must be followed by more of the name
            } else if t.cap
                && !t.upper
                && last_name.is_none()
                && j > i + head_len
                && LINKS.contains(&toks[j - 1].folded.as_str())
                && matches!(
                    toks[i].folded.as_str(),
                    "pharmacie" | "cabinet" | "clinique" | "polyclinique" | "ehpad" | "residence"
                )
            {
                // « Pharmacie du Centre », « Cabinet de la Gare »: a common
                // word is the name of a shop or a practice after its head
                last_name = Some(j);
            } else if (t.cap || t.upper)
                && real_head
                && EPONYM_HEADS.contains(&toks[i].folded.as_str())
                && (t.folded.starts_with("saint-") || t.folded.starts_with("sainte-"))
            {
                // « Hôpital d'instruction des armées Sainte-Anne », « MAISON
                // DE RETRAITE SAINTE-ANNE »: a saint a home or a hospital is
                // dedicated to, whatever test or scale bears the same name
                last_name = Some(j);
            } else if t.cap && !t.upper && d.allow.contains(&t.folded) {
                // « association France Parkinson », « association Parkinson
                // Touraine »: an eponym inside a name, kept when more of the
                // name surrounds it; right after the head of a home, a school
                // or a clinic it is the name itself (« maison de retraite
                // Sainte-Anne », « lycée Pasteur »)
                // « Centre Calvé », « centre de rééducation Calvé »: a
                // capitalised « Centre » inside a sentence, or a centre of
                // care, is named after the eponym (« centre Bobath » is a method)
                let named_centre = toks[i].folded == "centre"
                    && (head_len > 1 || toks[i].cap && !sentence_start(text, toks[i].start));
                // after a hospital's acronym, a physician's name, not a unit
                // of it (« CHU Service de rhumatologie »)
                let word_after_acronym = toks[i].upper && !is_name_word(d, t);
                if last_name.is_some()
                    || j == i + head_len
                        && real_head
                        && !word_after_acronym
                        && (EPONYM_HEADS.contains(&toks[i].folded.as_str()) || named_centre)
                {
                    last_name = Some(j);
                }
            } else if (t.folded.chars().all(|c| c.is_ascii_digit())
                || matches!(t.folded.as_str(), "2a" | "2b"))
                && (2..=3).contains(&t.folded.len())
                && j == i + head_len
                && (toks[i].upper || head_len > 1 && toks[i].cap && toks[i + 1].cap)
                && real_head
            {
                // « SAMU 30 », « AST 35 », « Cap Emploi 22 »: a service and
                // its département
                last_name = Some(j);
                break;
            } else if !t.cap
                && last_name.is_none()
                && lower_run < 2
                && t.folded.len() > 2
                // « Trail avec les Coureurs… »: a preposition ends the head's name
                && !matches!(
                    t.folded.as_str(),
                    "avec" | "pour" | "dans" | "sans" | "chez" | "par" | "vers" | "contre"
                )
            {
                lower_run += 1;
            } else {
                break;
            }
            j += 1;
            steps += 1;
        }
        let standalone = STANDALONE.contains(&toks[i].folded.as_str())
            && (toks[i].cap || toks[i].upper)
            && !GENERIC_STANDALONE.contains(&toks[i].folded.as_str())
            && i + head_len - 1 < n;
        let standalone = standalone || named;
        let Some(mut last) = last_name.or(standalone.then_some(i + head_len - 1)) else {
            i += 1;
            continue;
        };
        // « AXA Santé », « Groupama France »: the branch after an insurer's name
        if last_name.is_none() {
            while last + 1 < n
                && joined(text, &toks[last], &toks[last + 1])
                && (toks[last + 1].cap || toks[last + 1].upper)
                && BRANCHES.contains(&toks[last + 1].folded.as_str())
            {
                last += 1;
            }
        }
        // a name that is only an eponym or a clinical abbreviation is not one
        let start = toks[sport_before_club(text, &toks, i)].start;
        let last = name_tail(text, &toks, last);
        push_org(out, start, toks[last].end, 66);
        i = last + 1;
    }
    for c in legal_re().captures_iter(text) {
        let m = c.get(0).unwrap();
        out.push(Cand {
            start: m.start(),
            end: m.end(),
            kind: Kind::Etablissement,
            prio: 64,
            info: Info::None,
        });
    }
    for c in sports_re().captures_iter(text) {
        let m = c.get(0).unwrap();
        out.push(Cand {
            start: m.start(),
            end: m.end(),
            kind: Kind::Etablissement,
            prio: 64,
            info: Info::None,
        });
    }
    crate::official_names::detect(text, out);
    employers(text, &toks, out);
    quoted_names(text, &toks, out);
    org_word_runs(text, &toks, out);
    lower_names(&toks, text, out);
    lower_article_names(&toks, text, out);
    lower_heads_and_places(&toks, text, out);
    crate::lower_of_names::detect(text, &toks, out);
    crate::lower_trades::detect(text, &toks, out);
    crate::titled_practices::detect(text, out);
    suppliers(text, &toks, out);
    named_units(text, &toks, out);
    care_places(text, &toks, out);
    crate::territories::detect(text, &toks, out);
    crate::territory_forms::detect(text, &toks, out);
    crate::numbered_orgs::detect(text, &toks, out);
    rooms(text, out);
}

/// Is `at` the start of a line or of a sentence?
fn sentence_start(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches([' ', '\u{a0}', '\t']);
    before.is_empty() || before.ends_with(['\n', '.', '!', '?'])
}

/// Units, wings and rooms of a home named like a house: « l'unité Les
/// Bruyères », « salle Les Iris », « pavillon Le Phare »: a capitalised
/// article then capitalised words (the article's capital says it is a name).
fn named_units(text: &str, toks: &[Tok], out: &mut Vec<Cand>) {
    const UNIT_HEADS: &[&str] = &["unite", "salle", "aile", "pavillon", "secteur", "salon"];
    let d = Dicts::get();
    let n = toks.len();
    for i in 0..n.saturating_sub(2) {
        let (h, a) = (&toks[i], &toks[i + 1]);
        // « salle les Iris »: an article in lower case, then a capital inside
        // the sentence that only a name has (not an eponym: « salle le Bobath »)
        let named_after = a.cap
            || toks[i + 2].cap
                && !toks[i + 2].upper
                && !d.allow.contains(&toks[i + 2].folded)
                && !d.first_names.contains_key(&toks[i + 2].folded);
        let named = UNIT_HEADS.contains(&h.folded.as_str())
            && !h.upper
            && named_after
            && !a.upper
            && matches!(a.folded.as_str(), "les" | "le" | "la" | "l")
            && joined(text, h, a);
        if !named {
            continue;
        }
        let mut last = None;
        let mut j = i + 2;
        while j < n
            && j < i + 5
            && joined(text, &toks[j - 1], &toks[j])
            && toks[j].cap
            && !toks[j].upper
            && !WEEKDAYS_MONTHS.contains(&toks[j].folded.as_str())
        {
            last = Some(j);
            j += 1;
        }
        if let Some(l) = last {
            push_org(out, h.start, toks[l].end, 66);
        }
    }
}

/// Fitters and suppliers of care named after their owner or their land:
/// « Orthopédie Lauth », « Podologie Cornouaille ». Capitalised, then a
/// capitalised word that is no common word, eponym, head, nor the name of
/// a specialty (« Orthopédie Pédiatrique », « Orthopédie Infantile »).
fn suppliers(text: &str, toks: &[Tok], out: &mut Vec<Cand>) {
    const SUPPLIERS: &[&str] = &["orthopedie", "podologie", "optique", "audition"];
    let d = Dicts::get();
    let name = |t: &Tok| {
        let f = t.folded.as_str();
        t.cap
            && !t.upper
            && f.chars().count() >= 3
            && !d.common.contains(f)
            && !d.allow.contains(f)
            && !d.stop.contains(f)
            && !HEADS.contains(&f)
            && !ORG_WORDS.contains(&f)
            && !WEEKDAYS_MONTHS.contains(&f)
            && ![
                "ique", "ie", "ale", "ales", "aire", "aires", "elle", "ien", "iens", "iste",
            ]
            .iter()
            .any(|x| f.ends_with(x))
    };
    for i in 0..toks.len() {
        if !(toks[i].cap && !toks[i].upper && SUPPLIERS.contains(&toks[i].folded.as_str())) {
            continue;
        }
        let mut last = None;
        let mut j = i + 1;
        while j < toks.len() && j < i + 4 && joined(text, &toks[j - 1], &toks[j]) && name(&toks[j])
        {
            last = Some(j);
            j += 1;
        }
        if let Some(l) = last {
            push_org(out, toks[i].start, toks[l].end, 64);
        }
    }
}

/// A trade in lower case and its owner's name: « la boulangerie Paul », « le
/// garage Martin », « l'auto-école Dupuis ». Not a common word after it (« le
/// restaurant Le Soir » stays to the other rules).
fn trade_and_owner(text: &str, toks: &[Tok], i: usize) -> bool {
    let d = Dicts::get();
    let owner = |t: &Tok| {
        t.cap && !t.upper && !d.common.contains(t.folded.as_str()) && !d.allow.contains(&t.folded)
    };
    // « la pâtisserie Le Goff »: a surname with its own article
    let article = |k: usize| {
        toks.get(k).is_some_and(|t| {
            t.cap && matches!(t.folded.as_str(), "le" | "la") && joined(text, &toks[k - 1], t)
        }) && toks
            .get(k + 1)
            .is_some_and(|u| owner(u) && joined(text, &toks[k], u))
    };
    crate::trades::trade_head(&toks[i].folded)
        && (toks
            .get(i + 1)
            .is_some_and(|t| owner(t) && joined(text, &toks[i], t))
            || article(i + 1))
}

/// « site de Lons », « site du Scorff »: a hospital's site named by a
/// place, a capitalised word after « de » that is no common word nor eponym
/// (« site de ponction », « site de Pfannenstiel » are not).
fn site_of_place(text: &str, toks: &[Tok], i: usize) -> bool {
    let d = Dicts::get();
    if toks[i].folded != "site" {
        return false;
    }
    let (Some(link), Some(t)) = (toks.get(i + 1), toks.get(i + 2)) else {
        return false;
    };
    matches!(link.folded.as_str(), "de" | "du" | "d")
        && joined(text, &toks[i], link)
        && joined(text, link, t)
        && t.cap
        && !t.upper
        && t.folded.chars().count() >= 3
        && !d.common.contains(&t.folded)
        && !d.allow.contains(&t.folded)
        && !d.stop.contains(&t.folded)
        && !d.first_names.contains_key(&t.folded)
        && !WEEKDAYS_MONTHS.contains(&t.folded.as_str())
}

/// Sports written before « Club » (« Tennis Club de Lyon »).
pub(crate) const SPORTS: &[&str] = &[
    "handball",
    "rugby",
    "football",
    "basket",
    "basket-ball",
    "volley",
    "volley-ball",
    "hockey",
    "natation",
    "athletic",
    "athletique",
    "cyclo",
    "cyclisme",
    "velo",
    "tennis",
    "judo",
    "golf",
    "aviron",
    "canoe",
    "canoe-kayak",
    "kayak",
    "escrime",
    "gym",
    "gymnique",
    "badminton",
    "squash",
    "boxe",
    "boxing",
    "karate",
    "ski",
    "equitation",
    "hippique",
    "nautique",
    "alpin",
    "yacht",
    "triathlon",
    "running",
    "randonnee",
    "petanque",
    "bouliste",
    "roller",
    "rando",
    "sport",
    "sports",
    "omnisports",
    "racing",
];

/// Sports written before « Club » belong to its name: « Handball Club
/// Bassin d'Arcachon », « Tennis Club de Lyon ». The token where the name starts.
fn sport_before_club(text: &str, toks: &[Tok], i: usize) -> usize {
    let mut k = i;
    if matches!(
        toks[i].folded.as_str(),
        "club" | "cercle" | "union" | "association"
    ) {
        while k > 0
            && joined(text, &toks[k - 1], &toks[k])
            && toks[k - 1].cap
            && SPORTS.contains(&toks[k - 1].folded.as_str())
        {
            k -= 1;
        }
        // « Roanne Handball Club »: the town before the sport is the club's
        if k < i
            && k > 0
            && joined(text, &toks[k - 1], &toks[k])
            && toks[k - 1].cap
            && !toks[k - 1].upper
            && Dicts::get().communes.contains_key(&toks[k - 1].folded)
        {
            k -= 1;
        }
        // « Rennes Étudiants Club Rugby »: capitalised words before « Club »
        // that begin with its town are its name too
        if k == i {
            let d = Dicts::get();
            let mut m = k;
            while m > 0
                && k - m < 2
                && joined(text, &toks[m - 1], &toks[m])
                && toks[m - 1].cap
                && !toks[m - 1].upper
                && !d.stop.contains(&toks[m - 1].folded)
                && !crate::names::is_title_word(&toks[m - 1].folded)
            {
                m -= 1;
            }
            if m < k && d.communes.contains_key(&toks[m].folded) {
                k = m;
            }
        }
    }
    k
}

/// « l'EHPAD « Les Tilleuls » », « son club de motards, « Les Aiglons » »:
/// a name in quotes a few words after a head is the establishment's.
fn quoted_names(text: &str, toks: &[Tok], out: &mut Vec<Cand>) {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r#"[«“"][ \u{a0}\u{202f}]*(\p{Lu}[^»”"\n]{1,48}?)[ \u{a0}\u{202f}]*[»”"]"#)
            .unwrap()
    });
    for c in re.captures_iter(text) {
        let m = c.get(0).unwrap();
        let inner = c.get(1).unwrap().as_str();
        if inner.split_whitespace().count() > 6 || inner.contains(['.', '!', '?', ':']) {
            continue;
        }
        // the head: at most four words back, in the same clause
        let back: Vec<&Tok> = toks
            .iter()
            .rev()
            .skip_while(|t| t.end > m.start())
            .take(4)
            .collect();
        let mut start = None;
        for (k, t) in back.iter().enumerate() {
            // nor across another quote: in « "Mutuelle","N° adhérent" » (a
            // table's cells) the quoted word is the next cell, not the name
            if text[t.end..m.start()].contains(['.', ';', '\n', '(', ')', '"', '«', '»', '“', '”'])
            {
                break;
            }
            if HEADS.contains(&t.folded.as_str()) && t.folded.len() > 2 {
                // the head goes with the name when nothing stands between them
                start = Some(if k == 0 { t.start } else { m.start() });
                break;
            }
        }
        if let Some(s) = start {
            out.push(Cand {
                start: s,
                end: m.end(),
                kind: Kind::Etablissement,
                prio: 66,
                info: Info::None,
            });
        }
    }
}

/// Ordinary words that name a place of care or of living when a proper
/// name follows them: « le centre Bois-Larris », « la villa Médicis ».
const PLACE_HEADS: &[&str] = &[
    "centre",
    "maison",
    "institut",
    "foyer",
    "residence",
    "fondation",
    "domaine",
    "villa",
];

/// « centre Bois-Larris »: a place head in lower case, then at once a
/// capitalised word that is no common word, first name, eponym or month.
fn proper_after_place_head(text: &str, toks: &[Tok], i: usize) -> bool {
    let d = Dicts::get();
    let Some(t) = toks.get(i + 1) else {
        return false;
    };
    PLACE_HEADS.contains(&toks[i].folded.as_str())
        && joined(text, &toks[i], t)
        && t.cap
        && !t.upper
        && t.folded.chars().count() >= 4
        && !d.common.contains(&t.folded)
        && !d.first_names.contains_key(&t.folded)
        && !d.allow.contains(&t.folded)
        && !d.stop.contains(&t.folded)
        && !WEEKDAYS_MONTHS.contains(&t.folded.as_str())
}

/// The name of an establishment without its head (« Les Cèdres » of
/// « EHPAD Les Cèdres », « Bois-Larris » of « centre Bois-Larris »), to be
/// found where the same text names it alone (« mon père était aux Cèdres »).
/// None when nothing distinctive is left: a commune, a first name alone, an
/// eponym alone, an abbreviation.
pub(crate) fn name_without_head(s: &str) -> Option<&str> {
    let d = Dicts::get();
    let toks = tokens(s);
    let first = toks.first()?;
    if !HEADS.contains(&first.folded.as_str()) {
        return None;
    }
    let k = toks.iter().position(|t| {
        (t.cap || t.upper)
            && !HEADS.contains(&t.folded.as_str())
            && !LINKS.contains(&t.folded.as_str())
            && !matches!(
                t.folded.as_str(),
                "hospitalier" | "universitaire" | "regional"
            )
    })?;
    if k == 0
        || toks[1..k]
            .iter()
            .any(|t| t.cap && !LINKS.contains(&t.folded.as_str()))
    {
        return None;
    }
    // « Les Cèdres de Vierzon »: the commune after the name is not the name
    let mut rest = &toks[k..];
    if let Some(c) = rest.windows(2).position(|w| {
        matches!(w[0].folded.as_str(), "de" | "d" | "a" | "du")
            && w[1].cap
            && d.communes.contains_key(&w[1].folded)
    }) {
        rest = &rest[..c];
    }
    let (first, last) = (rest.first()?, rest.last()?);
    let name = &s[first.start..last.end];
    let f = first.folded.as_str();
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 4
        || rest.iter().any(|t| t.upper)
        || rest.len() == 1 && (d.first_names.contains_key(f) || d.allow.contains(f))
        || d.communes.contains_key(&crate::dicts::fold(name))
    {
        return None;
    }
    Some(name)
}

/// « le centre aquatique de Landerneau », « la salle de sport de Plouzané »:
/// an ordinary word is a place's head when a commune names it, a few
/// lower-case words later.
fn of_commune(text: &str, toks: &[Tok], i: usize) -> bool {
    let d = Dicts::get();
    let mut k = i + 1;
    let mut lower = 0;
    while k + 1 < toks.len() && lower <= 2 && joined(text, &toks[k - 1], &toks[k]) {
        let t = &toks[k];
        if matches!(t.folded.as_str(), "de" | "du" | "d") {
            let c = &toks[k + 1];
            if c.cap || !joined(text, t, c) {
                return c.cap && joined(text, t, c) && d.communes.contains_key(&c.folded);
            }
        }
        if t.cap || t.upper {
            return false;
        }
        lower += 1;
        k += 1;
    }
    false
}

/// What still belongs to a name found up to token `last`: a national
/// adjective (« Croix-Rouge française »), « à Domicile » of a care service,
/// the second name after a dash (« Centre Hospitalier de Dax – Côte
/// d'Argent »): capitalised words that are not a service's or a head.
fn name_tail(text: &str, toks: &[Tok], last: usize) -> usize {
    let d = Dicts::get();
    let n = toks.len();
    let next = last + 1;
    if next >= n {
        return last;
    }
    let t = &toks[next];
    if joined(text, &toks[last], t)
        && matches!(
            t.folded.as_str(),
            "francaise" | "francais" | "internationale" | "nationale" | "national"
        )
    {
        return next;
    }
    if joined(text, &toks[last], t)
        && t.folded == "a"
        && next + 1 < n
        && toks[next + 1].folded == "domicile"
        && joined(text, t, &toks[next + 1])
    {
        return next + 1;
    }
    let gap = &text[toks[last].end..t.start];
    // « GMF – Dossier 12 », « MAIF – Objet : »: what a letter's header
    // says after the name is not more of it
    let header_word = matches!(
        t.folded.as_str(),
        "dossier" | "objet" | "ref" | "reference" | "contrat" | "sinistre" | "direction"
    );
    if matches!(gap, " – " | " - " | " — ") && is_name_word(d, t) && !t.upper && !header_word {
        let mut k = next;
        let mut end = None;
        while k < n && k < next + 4 {
            let w = &toks[k];
            if k > next && !joined(text, &toks[k - 1], w) {
                break;
            }
            if is_name_word(d, w)
                && !w.upper
                && !HEADS.contains(&w.folded.as_str())
                && !ORG_WORDS.contains(&w.folded.as_str())
            {
                end = Some(k);
            } else if !LINKS.contains(&w.folded.as_str()) {
                break;
            }
            k += 1;
        }
        if let Some(e) = end {
            return e;
        }
    }
    last
}

/// Heads after which a name in lower case is still the name: « la clinique
/// pasteur », « au chu d'ajaccio » (forums write everything in lower case).
const LOWER_NAME_HEADS: &[&str] = &[
    "clinique",
    "polyclinique",
    "hopital",
    "chu",
    "ch",
    "chr",
    "ehpad",
    "ssr",
    "pharmacie",
    "college",
    "lycee",
    "caisse",
];

fn lower_names(toks: &[Tok], text: &str, out: &mut Vec<Cand>) {
    let d = Dicts::get();
    for i in 0..toks.len() {
        if !LOWER_NAME_HEADS.contains(&toks[i].folded.as_str()) {
            continue;
        }
        let mut j = i + 1;
        let linked = j < toks.len()
            && matches!(toks[j].folded.as_str(), "de" | "du" | "d")
            && joined(text, &toks[j - 1], &toks[j]);
        if linked {
            j += 1;
        }
        let Some(t) = toks.get(j) else { continue };
        if t.cap || t.upper || !joined(text, &toks[j - 1], t) || t.folded.len() < 4 {
            continue;
        }
        let f = t.folded.as_str();
        // a commune, a surname (« pasteur » is one when a head in lower case
        // says the writer does not use capitals), never a common word alone;
        // after « de » a common word is what the place does (« pharmacie de
        // garde »), whatever surname it also is
        let informal = !toks[i].cap && !toks[i].upper && !linked;
        let known = d.communes.contains_key(f)
            || d.surnames.contains_key(f) && (informal || !d.common.contains(f));
        let grammar = matches!(
            f,
            "pour"
                | "par"
                | "avec"
                | "sans"
                | "dans"
                | "chez"
                | "mais"
                | "donc"
                | "plus"
                | "tres"
                | "bien"
                | "tout"
                | "tous"
                | "elle"
                | "nous"
                | "vous"
                | "leur"
                | "cette"
                | "comme"
        );
        if known && !grammar && !d.allow.contains(f) && !d.stop.contains(f) {
            out.push(Cand {
                start: toks[i].start,
                end: t.end,
                kind: Kind::Etablissement,
                prio: 60,
                info: Info::None,
            });
        }
    }
}

/// Heads of homes and clinics that a name follows with its own article,
/// with no « de » between (« l'ehpad les tilleuls », « la clinique les
/// oliviers », « rés. le clos fleuri », « smr le bois joli »).
const ARTICLE_NAME_HEADS: &[&str] = &[
    "ehpad",
    "ehpa",
    "mapad",
    "marpa",
    "usld",
    "crf",
    "clinique",
    "polyclinique",
    "residence",
    "resid",
    "res",
    "foyer",
    "foyer-logement",
    "smr",
    "ssr",
    "ssiad",
    "creche",
    "ime",
    "mas",
    "fam",
];

/// Words between a home's head and its name that say which kind of home
/// it is: « ehpad mutualiste », « résidence autonomie », « ssr pédiatrique ».
const HOME_KINDS: &[&str] = &[
    "seniors",
    "senior",
    "autonomie",
    "services",
    "mutualiste",
    "public",
    "publique",
    "prive",
    "privee",
    "associatif",
    "associative",
    "pediatrique",
    "geriatrique",
    "medicalise",
    "medicalisee",
    "intercommunal",
    "intercommunale",
    "municipal",
    "municipale",
];

fn lower_article_names(toks: &[Tok], text: &str, out: &mut Vec<Cand>) {
    let d = Dicts::get();
    let n = toks.len();
    let lower = |t: &Tok| !t.cap && !t.upper;
    for i in 0..n.saturating_sub(2) {
        let head = toks[i].folded.as_str();
        if !ARTICLE_NAME_HEADS.contains(&head) {
            continue;
        }
        // « rés. les hortensias »: an abbreviated head keeps its full stop
        let gap = &text[toks[i].end..toks[i + 1].start];
        let abbreviated = matches!(head, "res" | "resid") && gap.trim_start_matches('.') == " ";
        if !(joined(text, &toks[i], &toks[i + 1]) && !gap.contains('\'') || abbreviated) {
            continue;
        }
        // « ehpad mutualiste la …», « résidence autonomie le …»: a word that
        // says which kind of home may come between the head and the name
        let q = usize::from(
            i + 3 < n
                && lower(&toks[i + 1])
                && HOME_KINDS.contains(&toks[i + 1].folded.as_str())
                && joined(text, &toks[i + 1], &toks[i + 2]),
        );
        let art = &toks[i + 1 + q];
        let elided =
            art.folded == "l" && text[art.end..toks[i + 2 + q].start].ends_with(['\'', '’']);
        if !(lower(art) && (matches!(art.folded.as_str(), "les" | "le" | "la") || elided)) {
            continue;
        }
        // the name: one or two words in lower case, none clinical, none a
        // word of time, role or grammar
        let mut end = None;
        for k in i + 2 + q..(i + 4 + q).min(n) {
            let t = &toks[k];
            let f = t.folded.as_str();
            let word = f.chars().filter(|c| c.is_alphabetic()).count() >= 3
                && f.chars().all(|c| c.is_alphabetic() || c == '-');
            if !(lower(t) && joined(text, &toks[k - 1], t) && word)
                || crate::not_name_words::not_a_name_word(f)
                || d.allow.contains(f)
                || d.stop.contains(f)
            {
                break;
            }
            end = Some(k);
        }
        if let Some(e) = end {
            out.push(Cand {
                start: toks[i].start,
                end: toks[e].end,
                kind: Kind::Etablissement,
                prio: 60,
                info: Info::None,
            });
        }
    }
}

/// The words of each head that stands alone and is not generic, split once
/// rather than at every token of every text.
fn standalone_words() -> &'static [Vec<&'static str>] {
    static W: OnceLock<Vec<Vec<&'static str>>> = OnceLock::new();
    W.get_or_init(|| {
        STANDALONE
            .iter()
            .filter(|h| !GENERIC_STANDALONE.contains(h))
            .map(|h| h.split([' ', '\'']).collect())
            .collect()
    })
}

/// Names written in lower case after a head that says what they are
/// (messages and dictation use no capitals):
/// - a hospital, a town hall or a national chain and its commune: « centre
///   hospitalier de morlaix », « mairie de lannion », « intermarché de
///   vitré », « leclerc market de dinan »;
/// - a clinic or home named after a saint: « clinique ste marthe »;
/// - a head in capitals and a word no dictionary knows: « SSR de kerfleury ».
fn lower_heads_and_places(toks: &[Tok], text: &str, out: &mut Vec<Cand>) {
    let d = Dicts::get();
    let n = toks.len();
    let lower = |t: &Tok| !t.cap && !t.upper;
    let link = |k: usize| {
        k < n
            && matches!(toks[k].folded.as_str(), "de" | "du" | "d")
            && joined(text, &toks[k - 1], &toks[k])
    };
    let push = |out: &mut Vec<Cand>, a: usize, b: usize| {
        out.push(Cand {
            start: toks[a].start,
            end: toks[b].end,
            kind: Kind::Etablissement,
            prio: 60,
            info: Info::None,
        })
    };
    for i in 0..n {
        if !lower(&toks[i]) {
            // « SSR de kerfleury »: a head in capitals, then a name in lower case
            if toks[i].upper
                && LOWER_NAME_HEADS.contains(&toks[i].folded.as_str())
                && link(i + 1)
                && i + 2 < n
                && joined(text, &toks[i + 1], &toks[i + 2])
            {
                let t = &toks[i + 2];
                let f = t.folded.as_str();
                if lower(t)
                    && f.chars().count() >= 5
                    && f.chars().all(char::is_alphabetic)
                    && !d.common.contains(f)
                    && !d.allow.contains(f)
                    && !d.stop.contains(f)
                {
                    push(out, i, i + 2);
                }
            }
            continue;
        }
        // the head's words: « centre hospitalier », or a chain's name
        let f = toks[i].folded.as_str();
        let head_end = if f == "centre"
            && toks
                .get(i + 1)
                .is_some_and(|t| t.folded == "hospitalier" && lower(t))
        {
            Some(i + 1)
        } else if matches!(f, "mairie" | "ccas") {
            // a town's own services, named by their commune: « mairie de
            // plouha », « ccas de vitré »
            Some(i)
        } else {
            standalone_words()
                .iter()
                .filter_map(|words| {
                    let all = i + words.len() <= n
                        && words.iter().enumerate().all(|(k, w)| {
                            toks[i + k].folded == *w
                                && lower(&toks[i + k])
                                && (k == 0 || joined(text, &toks[i + k - 1], &toks[i + k]))
                        });
                    all.then_some(i + words.len() - 1)
                })
                .max()
        };
        if let Some(h) = head_end {
            // one more word of the head may come first (« market »)
            for k in [h + 1, h + 2] {
                if k >= n {
                    break;
                }
                if k > h + 1 && !(lower(&toks[h + 1]) && joined(text, &toks[h], &toks[h + 1])) {
                    break;
                }
                if link(k) && k + 1 < n && joined(text, &toks[k], &toks[k + 1]) {
                    let c = &toks[k + 1];
                    if lower(c) && d.communes.contains_key(&c.folded) && !d.stop.contains(&c.folded)
                    {
                        push(out, i, k + 1);
                        break;
                    }
                }
            }
        }
        // « clinique st joseph », « ehpad sainte anne »
        if matches!(
            f,
            "clinique" | "polyclinique" | "hopital" | "ehpad" | "residence" | "pharmacie"
        ) && i + 2 < n
            && matches!(
                toks[i + 1].folded.as_str(),
                "st" | "ste" | "saint" | "sainte"
            )
            && joined(text, &toks[i], &toks[i + 1])
            && text[toks[i + 1].end..toks[i + 2].start]
                .trim_start_matches('.')
                .chars()
                .all(|c| c == ' ')
            && d.first_names.contains_key(&toks[i + 2].folded)
        {
            push(out, i, i + 2);
        }
    }
}

fn care_places(text: &str, toks: &[Tok], out: &mut Vec<Cand>) {
    let d = Dicts::get();
    for i in 1..toks.len() {
        let t = &toks[i];
        let f = t.folded.as_str();
        let house = t.cap
            && !t.upper
            && !d.first_names.contains_key(f)
            && !d.communes.contains_key(f)
            && !d.allow.contains(f)
            && !d.stop.contains(f)
            && house_name(text, toks, i);
        if house
            || after_care_cue(text, toks, i)
            || eponym_site(text, toks, i)
            || home_cell_with_room(text, toks, i)
        {
            out.push(Cand {
                start: t.start,
                end: t.end,
                kind: Kind::Etablissement,
                prio: 52,
                info: Info::None,
            });
        }
    }
}

/// An unknown capitalised word after a link (« de », « à la »…) that
/// follows a word of care at most three words before it.
fn after_care_cue(text: &str, toks: &[Tok], i: usize) -> bool {
    let d = Dicts::get();
    let t = &toks[i];
    let f = t.folded.as_str();
    if !(t.cap || t.upper)
        || t.folded.len() < 4
        || d.communes.contains_key(f)
        || d.first_names.contains_key(f)
        || d.common.contains(f)
        || d.allow.contains(f)
        || d.stop.contains(f)
        || WEEKDAYS_MONTHS.contains(&f)
        || crate::names::is_title_word(f)
    {
        return false;
    }
    cue_before(text, toks, i)
}

/// Words around a home or a ward named by a common word: « retour aux
/// Glycines », « résidente des Tilleuls », « transférée à la Roseraie ».
const HOME_CUES: &[&str] = &[
    "resident",
    "residente",
    "residents",
    "vit",
    "vivait",
    "habite",
    "heberge",
    "hebergee",
    "entree",
    "entre",
    "admission",
    "accueilli",
    "accueillie",
    "institutionnalise",
    "institutionnalisee",
    "place",
    "unite",
    "etage",
    // going back to where one lives: « elle rentre aux Glycines lundi »
    "rentre",
    "rentree",
    "retourne",
    "retournee",
];

/// A capitalised common word inside a sentence, just after an article
/// (« aux », « à la », « des »), in a sentence about care or a stay: the
/// name of a home, a clinic or a ward (« les Glycines », « la Roseraie »).
fn house_name(text: &str, toks: &[Tok], i: usize) -> bool {
    let t = &toks[i];
    let f = t.folded.as_str();
    if f.chars().count() < 4
        || WEEKDAYS_MONTHS.contains(&f)
        || matches!(
            f,
            "toussaint" | "noel" | "paques" | "pentecote" | "ascension"
        )
        || crate::names::is_title_word(f)
        || !joined(text, &toks[i - 1], t)
    {
        return false;
    }
    // not the first word of a sentence or a line
    let before = text[..toks[i - 1].start].trim_end_matches([' ', '\u{a0}', '\t']);
    if before.is_empty() || before.ends_with(['\n', '.', ':', '!', '?', '#', '|', '*', '-']) {
        return false;
    }
    let article = toks[i - 1].folded.as_str();
    let k = match article {
        "aux" | "des" | "du" => i - 1,
        "la" | "l" | "les"
            if i >= 2
                && matches!(toks[i - 2].folded.as_str(), "a" | "de" | "vers" | "chez")
                && joined(text, &toks[i - 2], &toks[i - 1]) =>
        {
            i - 2
        }
        _ => return false,
    };
    // the next word is not a capitalised one of the same name (« la Croix
    // Rousse » is read elsewhere) nor a clause that makes it a title
    toks[k.saturating_sub(6)..k].iter().any(|w| {
        let g = w.folded.as_str();
        CARE_CUES.contains(&g) || HOME_CUES.contains(&g)
    }) || room_after(&text[t.end..])
}

/// A home named alone by a common word in the plural at the head of a
/// table's cell (not of a line: « Entrées ch. 12 »), a room right after it: « Glycines ch. 18 | » in a
/// planning (the plural of a common word is no person's name, and only a
/// home has rooms).
fn home_cell_with_room(text: &str, toks: &[Tok], i: usize) -> bool {
    let d = Dicts::get();
    let t = &toks[i];
    let f = t.folded.as_str();
    let before = text[..t.start].trim_end_matches([' ', '\u{a0}', '\t']);
    t.cap
        && !t.upper
        && f.len() >= 5
        && f.ends_with('s')
        // the word list may hold the singular only (« glycine »)
        && (d.common.contains(f) || d.common.contains(&f[..f.len() - 1]))
        && !d.surnames.contains_key(f)
        && !d.first_names.contains_key(f)
        && !d.communes.contains_key(f)
        && !d.allow.contains(f)
        && !d.stop.contains(f)
        && before.ends_with(['|', ';', '\t'])
        && room_after(&text[t.end..])
}

/// A room right after a name (« aux Lilas (ch 14) », « à la Roseraie,
/// chambre 8 »): only a home has rooms, so the name is the home's.
fn room_after(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', '\u{a0}', '(', ',']);
    let Some(tail) = rest
        .strip_prefix("chambre")
        .or_else(|| rest.strip_prefix("ch"))
        .or_else(|| rest.strip_prefix("Ch"))
    else {
        return false;
    };
    tail.trim_start_matches(['.', ' ', '\u{a0}'])
        .starts_with(|c: char| c.is_ascii_digit())
}

/// « chez Renault », « employé chez Leroy Merlin », « salarié de la société X »:
/// a capitalised name after an employment cue.
fn employers(text: &str, toks: &[Tok], out: &mut Vec<Cand>) {
    let d = Dicts::get();
    for (i, t) in toks.iter().enumerate() {
        if !matches!(
            t.folded.as_str(),
            "chez"
                | "employeur"
                | "employe"
                | "employee"
                | "salarie"
                | "salariee"
                | "embauche"
                | "embauchee"
                | "prestataire"
                | "travaille"
                | "travaillait"
                | "bosse"
                | "bossait"
                | "stagiaire"
                | "interimaire"
                | "apprenti"
                | "apprentie"
                // membership names a club or an association as surely:
                // « licencié à l'ASM », « bénévole aux Restos du Cœur »
                | "licencie"
                | "licenciee"
                | "licencies"
                | "licenciees"
                | "adherent"
                | "adherente"
                | "benevole"
                | "benevoles"
        ) {
            continue;
        }
        let mut j = i + 1;
        // « mon employeur est X », « employée depuis 2019 chez X » is read at « chez »
        if j < toks.len() && matches!(toks[j].folded.as_str(), "est" | "etait" | "actuel") {
            j += 1;
        }
        if j < toks.len()
            && matches!(
                toks[j].folded.as_str(),
                "par" | "de" | "a" | "l" | "la" | "d" | "au" | "aux" | "chez"
            )
        {
            j += 1;
        }
        // « bosse à la Caisse… », « stagiaire à l'Atelier… »
        if j < toks.len() && matches!(toks[j].folded.as_str(), "la" | "l") {
            j += 1;
        }
        let mut last = None;
        let mut k = j;
        while k < toks.len() && k < j + 4 && joined(text, &toks[k - 1], &toks[k]) {
            let w = &toks[k];
            if is_name_word(d, w)
                && !d.allow.contains(&w.folded)
                && !crate::names::is_title_word(&w.folded)
            {
                last = Some(k);
            } else if !(LINKS.contains(&w.folded.as_str()) && w.folded != "a" && last.is_some()) {
                break;
            }
            k += 1;
        }
        if let Some(l) = last {
            // a person (« chez Mme Martin », « chez Paul ») is left to the names
            let first = &toks[j];
            if d.first_names.contains_key(&first.folded) && !first.upper {
                continue;
            }
            // a name of several words after the cue is a firm's name (« chez
            // Savoie Téléphériques »), not a surname beside an unknown word
            out.push(Cand {
                start: toks[j].start,
                end: toks[l].end,
                kind: Kind::Etablissement,
                prio: if l > j { 63 } else { 54 },
                info: Info::None,
            });
        }
    }
}

/// Words that make a run of capitalised words the name of a firm or a
/// service (« Imagerie Atlantique », « Logistique Artois Distribution »,
/// « Parkinson Flandre Sport »), wherever they stand in the name.
const ORG_WORDS: &[&str] = &[
    "imagerie",
    "radiologie",
    "echographie",
    "distribution",
    "logistique",
    "industrie",
    "industries",
    "services",
    "sante",
    "sport",
    "sports",
    "medical",
    "medicale",
    "secretariat",
    "telepheriques",
    "transports",
    "transport",
    "batiment",
    "btp",
    "construction",
    "constructions",
    "nettoyage",
    "proprete",
    "securite",
    "informatique",
    "technologies",
    "solutions",
    "consulting",
    "conseil",
    "assurances",
    "mutuelle",
    "formation",
    "habitat",
    "immobilier",
    "automobiles",
    "menuiserie",
    "plomberie",
    "electricite",
    "maconnerie",
    "charpente",
    "paysages",
    "energie",
    "environnement",
    "aeronautique",
    "cooperative",
    "laiterie",
    "boulangerie",
    "boucherie",
    "pharma",
    "group",
    "holding",
    "partners",
    "associes",
    "dentaire",
    "optique",
    "audition",
    "ambulances",
    "kine",
    "kinesitherapie",
    "physio",
    "reeducation",
    "handisport",
    "secours",
    "athletic",
    "fitness",
    "crossfit",
    "aviron",
    "escalade",
    "natation",
    "rando",
    "randonnee",
    "cyclo",
    "danse",
    "yoga",
    // clubs, associations and ensembles: « Bordeaux Athlé », « Amicale
    // Laïque de Ruy », « Coureurs de l'Ariège », « Quatuor Hélios »
    "athle",
    "amicale",
    "coureurs",
    "quatuor",
    "orchestre",
    "choeur",
    "chorale",
    "club",
    "handball",
    "rugby",
    "football",
    "basket",
    "volley",
    "omnisports",
    // trades and works that name a firm with their owner's or place's name:
    // « Scierie Dufour », « Imprimerie Morel », « Fonderie de l'Aisne »
    "scierie",
    "fromagerie",
    "imprimerie",
    "carrosserie",
    "quincaillerie",
    "librairie",
    "brasserie",
    "charcuterie",
    "poissonnerie",
    "patisserie",
    "fonderie",
    "tannerie",
    "abattoirs",
    "salaisons",
    "ateliers",
    "etablissements",
    "ets",
];

fn org_word_runs(text: &str, toks: &[Tok], out: &mut Vec<Cand>) {
    let d = Dicts::get();
    let n = toks.len();
    let mut i = 0;
    while i < n {
        if !is_name_word(d, &toks[i]) || LINKS.contains(&toks[i].folded.as_str()) {
            i += 1;
            continue;
        }
        // the run of capitalised words (links between them allowed)
        let mut j = i;
        let mut last = i;
        while j + 1 < n && joined(text, &toks[j], &toks[j + 1]) && j - i < 6 {
            let t = &toks[j + 1];
            if is_name_word(d, t) && !LINKS.contains(&t.folded.as_str()) {
                last = j + 1;
            } else if !LINKS.contains(&t.folded.as_str()) || t.folded == "a" {
                break;
            }
            j += 1;
        }
        let mut run = &toks[i..=last];
        // at the start of a line or a sentence, Title Case of common words is a heading
        let before = text[..run[0].start].trim_end_matches([' ', '\u{a0}', '\t']);
        let initial = before.is_empty()
            || before.ends_with(['\n', '.', ':', '!', '?', '#', '|', '*', '-', '—']);
        // « Tournoi de l'Amicale Laïque de Ruy »: a common word that opens
        // the sentence is not the name's (the rest is still read as a heading)
        if initial
            && run.len() > 2
            && d.common.contains(&run[0].folded)
            && !ORG_WORDS.contains(&run[0].folded.as_str())
        {
            let k = run
                .iter()
                .skip(1)
                .position(|t| !LINKS.contains(&t.folded.as_str()))
                .map_or(run.len(), |p| p + 1);
            run = &run[k..];
            if run.is_empty() {
                i = last + 1;
                continue;
            }
        }
        let caps = run.iter().filter(|t| t.cap || t.upper).count();
        let org = run
            .iter()
            .any(|t| t.cap && ORG_WORDS.contains(&t.folded.as_str()));
        let proper = run.iter().any(|t| {
            (t.cap || t.upper)
                && !ORG_WORDS.contains(&t.folded.as_str())
                && !LINKS.contains(&t.folded.as_str())
                && !d.stop.contains(&t.folded)
        });
        let uncommon = run.iter().any(|t| {
            !ORG_WORDS.contains(&t.folded.as_str())
                && !LINKS.contains(&t.folded.as_str())
                && !d.common.contains(&t.folded)
                && !d.allow.contains(&t.folded)
        });
        if caps >= 2 && org && proper && (!initial || uncommon) {
            out.push(Cand {
                start: run[0].start,
                end: run[run.len() - 1].end,
                kind: Kind::Etablissement,
                prio: 63,
                info: Info::None,
            });
        }
        i = last + 1;
    }
}

/// « le patient de la 312 », « sauf la 214 », « elle est en 214 »: a room by its number alone,
/// in a text that speaks of rooms or beds; with its bed (« la 15B », « la 322-2 »), its
/// « bis », « n° » or wing (« la 19bis », « la n°21 », « la R15 »; not the vertebrae's C, D,
/// L, S, T), in capitals (« ÉPOUX DE LA 104 »), and after « en » with one or two figures
/// (see `resident_before`).
fn article_rooms(text: &str, out: &mut Vec<Cand>) {
    static R: OnceLock<Regex> = OnceLock::new();
    static CUE: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"\b(?:[Ll]a|LA|en)\s+(\d{3}(?:[A-Za-z]|-\d{1,2})?)\b|\b(?:[Ll]a|LA)\s+(\d{1,2}(?:bis|ter|[A-Z]|-\d{1,2})?\b|n°\s?\d{1,3}[A-Z]?\b|[ABE-IKMN-RU-Z]\d{2,3}\b)|\b[Ee]n\s+(\d{1,2}(?:bis|ter|[A-Z])?)[ \t]*(?:[:;,)]|\.(?:\s|$)|$)").unwrap()
    });
    let cue = CUE.get_or_init(|| {
        // the kinds of stay whose notes name their residents by room (SMR, USLD…)
        Regex::new(r"(?i)\b(?:chambres?|chbre|lits?|étage|ehpad|service|unité|couloir|relève|transmissions?|smr|ssr|usld|mapad)\b|\bch\.").unwrap()
    });
    if !cue.is_match(text) {
        return;
    }
    for c in re.captures_iter(text) {
        let g = c.get(1).or(c.get(2)).or(c.get(3)).unwrap();
        if c.get(3).is_some() && !resident_before(&text[..c.get(0).unwrap().start()]) {
            continue;
        }
        let rest = text[g.end()..].trim_start_matches([' ', '\u{a0}']);
        let next: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '%')
            .collect();
        if UNITS.contains(&fold(&next).as_str())
            || rest.starts_with(['/', '%', '€', '°'])
            || rest.starts_with([',', '.']) && rest[1..].starts_with(|c: char| c.is_ascii_digit())
        {
            continue;
        }
        out.push(Cand {
            start: g.start(),
            end: g.end(),
            kind: Kind::Chambre,
            prio: 60,
            info: Info::None,
        });
    }
}

/// « M. Léger en 17 : », « Josiane en 23 ; », « elle est en 9, », « En 12
/// : » at the head of a line: a room of one or two figures after « en »
/// is a person's, so a titled name, a name no dictionary has, a verb of
/// staying or the line's start comes before it (« divisée en 3 : » is a
/// count; « EVA EN 6 » in capitals is a score on the numeric scale).
fn resident_before(before: &str) -> bool {
    let b = before.trim_end_matches([' ', '\t', '\u{a0}']);
    if b.is_empty() || b.ends_with('\n') {
        return true;
    }
    let mut words = b.rsplit([' ', '\t', '\n', '\u{a0}']);
    let w = words.next().unwrap_or("");
    let w2 = words.next().unwrap_or("");
    let f = fold(w);
    // « genou G en 6 »: a side's letter is no name
    let cap = w.starts_with(char::is_uppercase) && w.chars().count() > 1;
    let titled = matches!(
        w2,
        "M." | "Mme" | "Mlle" | "Mr" | "MME" | "Monsieur" | "Madame"
    );
    let d = Dicts::get();
    cap && (titled || !d.common.contains(&f) && !d.allow.contains(&f))
        || matches!(
            f.as_str(),
            "est"
                | "sont"
                | "entre"
                | "entree"
                | "hospitalise"
                | "hospitalisee"
                | "installe"
                | "installee"
                | "transfere"
                | "transferee"
                | "reste"
                | "couche"
                | "couchee"
        )
}

/// « chambres 204 et 211 », « ch. 12, 14 et 16 »: the numbers listed after
/// one head are rooms too (« logements 4, 9 et 2bis »); « chambre douze »,
/// « box quatre », « appartement quinze »: a room's or a flat's number
/// written in words (not after « lit », which is also « il lit »).
fn listed_rooms(text: &str, out: &mut Vec<Cand>) {
    static LIST: OnceLock<Regex> = OnceLock::new();
    static NUM: OnceLock<Regex> = OnceLock::new();
    static WORDS: OnceLock<Regex> = OnceLock::new();
    let list = LIST.get_or_init(|| {
        Regex::new(r"(?i)\b(?:chambres?|chbres?|ch\.|lits|box|apt\.?|appt\.?|logements?|logts?\.?|log\.)\s*(?:n[°o]s?\.?\s*)?\d{1,4}(?:bis|ter|[a-z])?(?:\s*(?:,|et|&)\s*\d{1,4}(?:bis|ter|[a-z])?\b)+").unwrap()
    });
    let num =
        NUM.get_or_init(|| Regex::new(r"(?:,|et|&)\s*(\d{1,4}(?:bis|ter|[a-zA-Z])?)\b").unwrap());
    let words = WORDS.get_or_init(|| {
        Regex::new(r"(?i)\b(?:chambre|chbre|box|(appartement|appt\.?|logement|logt\.?))\s+(?:n[°o]\.?\s*|num[ée]ro\s+)?((?:deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|dix-sept|dix-huit|dix-neuf|vingt(?:-et-un|-deux|-trois|-quatre|-cinq|-six|-sept|-huit|-neuf)?|trente))\b").unwrap()
    });
    let is_quantity = |end: usize| {
        let rest = text[end..].trim_start_matches([' ', '\u{a0}']);
        let next: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '%')
            .collect();
        UNITS.contains(&fold(&next).as_str())
            || rest.starts_with(['/', '%', '€', '°'])
            || rest.starts_with([',', '.']) && rest[1..].starts_with(|c: char| c.is_ascii_digit())
    };
    for m in list.find_iter(text) {
        // the first number is the head's, found by `room_re`
        let first = m.as_str().find(|c: char| c.is_ascii_digit()).unwrap_or(0);
        for c in num.captures_iter(&text[m.start() + first..m.end()]) {
            let g = c.get(1).unwrap();
            let (start, end) = (m.start() + first + g.start(), m.start() + first + g.end());
            if is_quantity(end) {
                continue;
            }
            push_room(out, start, end, 66);
        }
    }
    // « RDC-14 »: a room of the ground floor, whatever comes before it
    static GROUND: OnceLock<Regex> = OnceLock::new();
    let ground = GROUND.get_or_init(|| Regex::new(r"\bRDC-?\d{1,3}[A-Z]?\b").unwrap());
    for m in ground.find_iter(text) {
        push_room(out, m.start(), m.end(), 65);
    }
    for c in words.captures_iter(text) {
        let m = c.get(0).unwrap();
        // « un appartement trois pièces »: the size of a flat, not its number
        let next = fold(
            text[m.end()..]
                .trim_start_matches([' ', '\u{a0}', '-'])
                .split(|c: char| !c.is_alphabetic())
                .next()
                .unwrap_or(""),
        );
        let size = matches!(
            next.as_str(),
            "pieces" | "piece" | "chambres" | "etages" | "niveaux" | "personnes"
        );
        if is_quantity(m.end()) || size {
            continue;
        }
        // a flat's number alone, as the flat's number in figures is
        let start = if c.get(1).is_some() {
            c.get(2).unwrap().start()
        } else {
            m.start()
        };
        push_room(out, start, m.end(), 66);
    }
}

pub(crate) fn push_room(out: &mut Vec<Cand>, start: usize, end: usize, prio: u8) {
    out.push(Cand {
        start,
        end,
        kind: Kind::Chambre,
        prio,
        info: Info::None,
    });
}

/// The rooms alone, for a text read again (`ocr_digits`).
pub(crate) fn detect_rooms(text: &str, out: &mut Vec<Cand>) {
    rooms(text, out);
}

fn rooms(text: &str, out: &mut Vec<Cand>) {
    article_rooms(text, out);
    listed_rooms(text, out);
    // « lit B de la chambre 9 »: the bed's letter goes with its room
    static BED: OnceLock<Regex> = OnceLock::new();
    let bed = BED.get_or_init(|| {
        Regex::new(r"(?i)\blit\s+(?-i:[A-D])\s+(?:de\s+la\s+|du\s+|en\s+)?(?:chambre|chbre|ch\.)\s*(?:n[°o]\.?\s*)?\d{1,4}\b").unwrap()
    });
    for m in bed.find_iter(text) {
        out.push(Cand {
            start: m.start(),
            end: m.end(),
            kind: Kind::Chambre,
            prio: 68,
            info: Info::None,
        });
    }
    // « en 108 porte », « Mme D, 14 fenêtre »: the bed by the door or the
    // window of a room written by its number alone
    static DOOR: OnceLock<Regex> = OnceLock::new();
    let door = DOOR.get_or_init(|| {
        Regex::new(r"\b\d{1,4}(?:\s?[A-D])?\s+(?:c[ôo]t[ée]\s+)?(?:porte|fen[êe]tre)\b").unwrap()
    });
    for m in door.find_iter(text) {
        if text[..m.start()].ends_with(['/', ',', '.', '-', '+']) {
            continue;
        }
        out.push(Cand {
            start: m.start(),
            end: m.end(),
            kind: Kind::Chambre,
            prio: 66,
            info: Info::None,
        });
    }
    for c in room_re().captures_iter(text) {
        let m = c.get(0).unwrap();
        let v = c.get(1).unwrap();
        let val = v.as_str();
        if !val.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let head = fold(&text[m.start()..v.start()]);
        let head = head.trim();
        // « salle » and « bureau » need a code (« salle RDC-2 », « bureau 12 »), « lit » a number alone
        let rest = text[m.end()..].trim_start_matches([' ', '\u{a0}']);
        let next: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '%')
            .collect();
        // « Ch. 1.08 M. Aubertin »: « M. » and a capital is a title, not metres
        let title = next == "M" && rest[1..].starts_with(". ");
        if UNITS.contains(&fold(&next).as_str()) && !title
            || rest.starts_with(['/', ':', ','])
                && rest[1..].starts_with(|c: char| c.is_ascii_digit())
        {
            continue;
        }
        if val.trim().parse::<u32>().is_ok_and(|x| x == 0) {
            continue;
        }
        if (head.starts_with("salle") || head.starts_with("bureau"))
            && val.trim().chars().all(|c| c.is_ascii_digit())
        {
            continue;
        }
        // « CH » before a word is a hospital (« CHU 2 »); before a number
        // (« CH 5 – Mme R. », « (CH 8) », « CH12 ») a room, unless a tube
        // precedes it: « sonde Foley CH18 » is a gauge in Charrière
        if head.starts_with("ch") && !head.starts_with("chambre") && !head.starts_with("chb") {
            let raw = &text[m.start()..m.start() + 2];
            let after = text[m.start() + 2..].trim_start_matches([' ', '\u{a0}']);
            // « CH A-03 », « CH B14 »: a wing's letter and a number are a room
            let wing = after.len() > 2
                && after.as_bytes()[0].is_ascii_uppercase()
                && after[1..]
                    .trim_start_matches('-')
                    .starts_with(|c: char| c.is_ascii_digit());
            if raw == "CH"
                && !text[m.start()..].starts_with("CH.")
                && !after.starts_with(|c: char| c.is_ascii_digit())
                && !wing
                || gauge_of_tube(text, m.start())
            {
                continue;
            }
        }
        // a span starts at the head, unless an adjective separates them (« ch. réservée n° 208 »)
        let start = if head.contains("reserv")
            || head.contains("individuelle")
            || head.contains("double")
            || head.contains("seule")
            || head.contains("particuli")
            || head.contains("simple")
        {
            text[m.start()..v.start()]
                .find(['n', 'N'])
                .map(|p| {
                    let s = m.start() + p;
                    if fold(&text[s..v.start()]).starts_with("n°")
                        || fold(&text[s..v.start()]).starts_with("no")
                    {
                        s
                    } else {
                        v.start()
                    }
                })
                .unwrap_or(v.start())
        } else if text[m.start()..].starts_with("CH")
            && v.as_str().chars().filter(char::is_ascii_digit).count() == 1
        {
            // « CH 5 – Mme R. »: a room of one figure is its figure (the
            // head would be most of the span)
            v.start()
        } else {
            floor_before(text, m.start())
        };
        // « chambre 12 l'après-midi », « CH 24 M. Roux »: a letter before an
        // apostrophe, or the title « M. », is the next word's, not a bed's
        let mut end = m.end();
        let title = text[end..].starts_with(". ") && v.as_str().ends_with('M');
        if (text[end..].starts_with(['\'', '’']) || title) && v.end() == end {
            let val = v.as_str();
            if val.ends_with(|c: char| c.is_alphabetic())
                && val.chars().rev().nth(1).is_some_and(|c| c == ' ')
            {
                end -= 2;
            }
        }
        out.push(Cand {
            start,
            end,
            kind: Kind::Chambre,
            prio: 67,
            info: Info::None,
        });
    }
}

/// « 3e étage, ch. 305 », « 1er étage, chambre 3 »: the floor written
/// before a room leads to it as the room does, and goes with it.
fn floor_before(text: &str, start: usize) -> usize {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"(?i)\b\d{1,2}(?:er|re|e|ème|eme)[ \u{a0}]+[ée]tage[ \u{a0}]*[,–-]?[ \u{a0}]*$")
            .unwrap()
    });
    let window = crate::calendar::before(text, start, 24);
    re.find(window)
        .map_or(start, |m| start - window.len() + m.start())
}

/// « sonde Foley CH18 », « sonde d'aspiration ch 12 »: after a tube, « CH »
/// and a number are its gauge in Charrière, not a room.
fn gauge_of_tube(text: &str, at: usize) -> bool {
    let mut from = at.saturating_sub(40);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = &text[from..at];
    let line = before.rsplit('\n').next().unwrap_or(before);
    let f = fold(line);
    [
        "sonde",
        "foley",
        "canule",
        "drain",
        "catheter",
        "aspiration",
        "redon",
        "charriere",
        "tracheo",
        "sng",
        "bougie",
        "calibre",
    ]
    .iter()
    .any(|w| f.contains(w))
}

#[cfg(test)]
mod tests {
    use crate::territories::tests::etabs;

    #[test]
    fn a_letterhead_in_capitals_runs_through_its_elisions() {
        assert_eq!(
            etabs("CAISSE PRIMAIRE D'ASSURANCE MALADIE DE LA CREUSE\nService médical"),
            ["CAISSE PRIMAIRE D'ASSURANCE MALADIE DE LA CREUSE"]
        );
    }

    #[test]
    fn a_hospital_named_after_an_eponym() {
        assert_eq!(
            etabs("Opéré au CHU Babinski en mars, rééducation ensuite."),
            ["CHU Babinski"]
        );
        assert_eq!(
            etabs("Sortie du CHR Lasègue le 3, retour à domicile."),
            ["CHR Lasègue"]
        );
        assert_eq!(
            etabs("Pris en charge au HIA Lyautey (Metz)."),
            ["HIA Lyautey"]
        );
        // the sign itself stays where no head names a hospital
        let t = "Signe de Babinski à droite, Lasègue négatif.";
        assert!(crate::Anonymiser::new().detect(t).is_empty());
    }
}
