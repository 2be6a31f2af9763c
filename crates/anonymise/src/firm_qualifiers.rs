//! Words that end a firm's or an association's name after the part the
//! other passes find: a qualifier written in the name's case (« Securitas
//! France », « AXELIA PRÉVOYANCE », « hôpital Nord »), a family firm's end
//! (« & fils »), and the words that make a surname alone a firm
//! (« Lecacheux Orthopédie », « Medi-Vienne Location »). Closed lists: a
//! capitalised word of the language after a name is otherwise the next
//! sentence's, not the name's.

/// Words that end a firm's or an association's name, written right after
/// it in its own case: « Securitas France », « AXELIA PRÉVOYANCE »,
/// « Medi-Vienne Location », « HAD Santé Service », « hôpital Nord ».
pub(crate) const QUALIFIERS: &[&str] = &[
    "france",
    "sante",
    "prevoyance",
    "assurance",
    "assurances",
    "mutuelle",
    "location",
    "locations",
    "service",
    "services",
    "sud",
    "nord",
    "est",
    "ouest",
    "interim",
    "conseil",
    "habitat",
    "orthopedie",
    "medical",
    "ambulances",
    "transports",
    "distribution",
    "industrie",
    "industries",
    "international",
    "sa",
    "sas",
    "sarl",
    "eurl",
];

/// After « & » or « et »: a family firm (« Ateliers Morvan & fils »).
pub(crate) const FAMILY: &[&str] = &["fils", "freres", "cie", "associes", "filles"];

/// Words that end a firm's name after a surname alone, never a person's:
/// « Lecacheux Orthopédie », « Medi-Vienne Location ».
pub(crate) const FIRM_ONLY: &[&str] = &[
    "location",
    "locations",
    "prevoyance",
    "assurances",
    "orthopedie",
    "ambulances",
    "transports",
    "interim",
    "distribution",
    "industrie",
    "industries",
    "habitat",
    "sarl",
    "eurl",
];

/// Heads of firms that a person pass may read as a first name before an
/// adjective or a surname (« Atelier Lorrain », « Ateliers Morvan »).
pub(crate) const FIRM_HEADS: &[&str] = &[
    "atelier",
    "ateliers",
    "etablissements",
    "ets",
    "entreprise",
    "societe",
];
