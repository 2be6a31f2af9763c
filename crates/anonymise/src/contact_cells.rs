//! Cells of a table that hold a way to reach a person: a street, its
//! number and its complement split over columns (« N° | Rue | Complément »,
//! as care software exports them), and telephone numbers in a column headed
//! « Tél », « Fixe », « Portable », « Poste » or « DECT », whatever their
//! form (« 06 xx xx 45 12 », « 4521 », « DECT 3152 »).
use crate::dicts::fold;

/// What a column of contacts holds.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum Contact {
    /// the street, or the whole address
    Street,
    /// the street's number, in a table that has a street's column
    Number,
    /// the building, stair, floor, door or flat
    Complement,
    Phone,
}

/// The column a header names, folded (« Rue », « Complément d'adresse »,
/// « Tél famille », « Portable / DECT »).
pub(crate) fn contact_column(h: &str) -> Option<Contact> {
    Some(match h {
        "rue" | "voie" | "adresse" | "adresse postale" | "adresse 1" | "libelle voie"
        | "nom de voie" | "lieu-dit" | "lieu dit" => Contact::Street,
        "complement"
        | "complement d'adresse"
        | "complement adresse"
        | "adresse 2"
        | "cplt"
        | "compl." => Contact::Complement,
        "tel" | "tel." | "telephone" | "fixe" | "portable" | "gsm" | "natel" | "mobile"
        | "poste" | "dect" | "bip" | "portable / dect" | "contact tel" => Contact::Phone,
        _ if ["tel ", "tel. ", "telephone ", "portable ", "fixe "]
            .iter()
            .any(|p| h.starts_with(p)) =>
        {
            Contact::Phone
        }
        _ => return None,
    })
}

/// Headers of a column of numbers, which hold a street's number when the
/// table also has a street's column.
pub(crate) fn is_number_header(h: &str) -> bool {
    matches!(
        h,
        "n°" | "no" | "num" | "numero" | "n° voie" | "numero de voie"
    )
}

/// First words of a complement: a building, a stair, a floor, a door…
const COMPLEMENT_WORDS: &[&str] = &[
    "bat",
    "bat.",
    "batiment",
    "esc",
    "esc.",
    "escalier",
    "etage",
    "et.",
    "rdc",
    "appt",
    "appt.",
    "apt",
    "apt.",
    "app.",
    "appartement",
    "porte",
    "res",
    "res.",
    "residence",
    "logement",
    "log.",
    "immeuble",
    "imm.",
    "entree",
    "cour",
    "tour",
    "aile",
    "villa",
    "maison",
    "chalet",
];

/// The part of a cell that is the contact, if any: without a comment in
/// brackets; a complement only when it starts as one (« chez sa fille » is
/// a person's, « après la cave » a way there).
pub(crate) fn contact_value(kind: Contact, v: &str) -> Option<&str> {
    let v = v[..v.find('(').unwrap_or(v.len())].trim_end();
    if !v.chars().any(char::is_alphanumeric) {
        return None;
    }
    match kind {
        Contact::Street => {
            let f = fold(v);
            // « idem », « SDF »: no place
            let none = [
                "idem", "id.", "sdf", "inconnue", "inconnu", "aucune", "nc", "n/a",
            ]
            .contains(&f.as_str());
            (v.chars().count() >= 3 && !none && !f.starts_with("chez ")).then_some(v)
        }
        Contact::Number => {
            let ok = v.len() <= 8 && v.starts_with(|c: char| c.is_ascii_digit());
            ok.then_some(v)
        }
        Contact::Complement => {
            let f = fold(v);
            let first = f.split([' ', ',']).next().unwrap_or("");
            let ordinal = first.starts_with(|c: char| c.is_ascii_digit())
                && ["e", "er", "eme", "ème"]
                    .iter()
                    .any(|s| first.trim_start_matches(|c: char| c.is_ascii_digit()) == *s);
            (ordinal || COMPLEMENT_WORDS.contains(&first)).then_some(v)
        }
        Contact::Phone => {
            let f = fold(v);
            let body = ["dect ", "bip ", "poste "]
                .iter()
                .find_map(|p| f.starts_with(p).then(|| v[p.len()..].trim_start()))
                .unwrap_or(v);
            let digits = body.chars().filter(char::is_ascii_digit).count();
            let shape = body
                .chars()
                .all(|c| c.is_ascii_digit() || " .-+()/xX*‑\u{a0}".contains(c));
            (digits >= 3 && shape).then_some(body)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_of_contacts() {
        assert_eq!(contact_value(Contact::Number, "4 bis"), Some("4 bis"));
        assert_eq!(
            contact_value(Contact::Complement, "esc. B, 2e, porte droite"),
            Some("esc. B, 2e, porte droite")
        );
        assert_eq!(
            contact_value(Contact::Complement, "2e ét. sans asc."),
            Some("2e ét. sans asc.")
        );
        assert_eq!(
            contact_value(Contact::Complement, "chez sa fille Mme Roux"),
            None
        );
        assert_eq!(contact_value(Contact::Phone, "DECT 3152"), Some("3152"));
        assert_eq!(
            contact_value(Contact::Phone, "06 xx xx 45 12"),
            Some("06 xx xx 45 12")
        );
        assert_eq!(contact_value(Contact::Phone, "—"), None);
        assert_eq!(
            contact_value(Contact::Street, "Kerascoët (ferme)"),
            Some("Kerascoët")
        );
    }
}
