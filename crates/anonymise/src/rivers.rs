//! French rivers, folded: homes, practices and services are named after
//! the river of their valley (« ehpad de la sèvre », « cabinet infirmier
//! de l'odet », « clinique du lot »). Provenance: a hand-written list of
//! well-known rivers (the main ones, and the coastal rivers of Brittany
//! and Normandy that towns and services take their names from), written
//! from general knowledge, not extracted from a data set; the Sandre's
//! reference of French watercourses is the authority to check it against
//! or to replace it with. Only read after an establishment's head and its
//! « de », where a river's name cannot be the common word it may also be.

const RIVERS: &[&str] = &[
    "adour", "agout", "ain", "aisne", "allier", "ardeche", "ariege", "arve", "aude", "aulne",
    "authion", "aveyron", "bidassoa", "bienne", "blavet", "bresle", "cance", "charente", "cher",
    "couesnon", "creuse", "dordogne", "doubs", "dore", "drome", "durance", "elorn", "erdre",
    "essonne", "eure", "gartempe", "garonne", "gave", "gier", "helpe", "herault", "huisne", "ill",
    "indre", "isere", "laita", "lignon", "loing", "loir", "loire", "loue", "lys", "marne",
    "mayenne", "meurthe", "meuse", "moselle", "nive", "oise", "odet", "orb", "orne", "ource",
    "oust", "rance", "rhin", "rhone", "risle", "saone", "sarthe", "sauldre", "scorff", "seine",
    "sevre", "sioule", "somme", "tarn", "tech", "tet", "touques", "trieux", "vezere", "vienne",
    "vilaine", "vire", "yonne",
];

/// Is the folded word a French river's name?
pub(crate) fn river(f: &str) -> bool {
    RIVERS.contains(&f)
}
