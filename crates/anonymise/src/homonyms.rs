//! People of one family name kept apart: the keys of lone surnames that no
//! full name settles (« M. Petit » and « son fils, M. Petit »), the cues
//! that a name is someone else's (« homonyme », « sans lien ») or a
//! maiden name (« née Vidal »).
//!
//! Merging two people into one pseudonym tells a reader that they are the
//! same person; splitting one person into two only loses a link. So a
//! mention that could be either of two bearers gets a pseudonym of its own
//! (a key starting with [`AMBIGUOUS`]) and a residual risk, never one of
//! theirs.
use std::sync::OnceLock;

use regex::Regex;

use crate::dicts::fold;

/// A key that stands for this mention only: the pseudonymiser gives it a
/// new pseudonym wherever it appears, in this text or in another of the batch.
pub const UNIQUE: &str = "!";

/// A unique key of a mention that could be several people of the text
/// (reported as a residual risk, `nom_ambigu`).
pub const AMBIGUOUS: &str = "!?";

/// Is `key` one mention's own (never shared, never looked up in a batch)?
pub fn is_unique(key: &str) -> bool {
    key.starts_with(UNIQUE)
}

/// Is `key` a mention that could be several people?
pub fn is_ambiguous(key: &str) -> bool {
    key.starts_with(AMBIGUOUS)
}

/// A bearer of a lone surname: its title's gender, whether it is a
/// doctor's, the role the words around gave it (relative or carer), and
/// its key.
struct Bearer {
    surname: String,
    gender: Option<char>,
    medical: bool,
    /// its role, and for a relative the word of kinship (« fils de Paulette »)
    role: Option<String>,
    /// the room or bed written with it (« Mme Dupuis ch. B14 »)
    room: Option<String>,
    key: String,
}

/// The bearers of lone surnames met so far in the text, in order.
#[derive(Default)]
pub struct Bearers {
    known: Vec<Bearer>,
}

impl Bearers {
    /// Has a lone surname of this title met a bearer already?
    pub fn has(&self, surname: &str, gender: Option<char>, medical: bool) -> bool {
        self.known
            .iter()
            .any(|b| b.surname == surname && agrees(b, gender, medical))
    }

    /// The key of a lone surname at token `at` that no full name settles.
    /// A mention with a role (« son fils, M. Petit ») is the bearer with
    /// that role, or a new one; a mention that says it is someone else
    /// (« Mme Blanc (homonyme) ») is a new one; a mention with no role is
    /// the only bearer met so far when that one has no role either, a new
    /// one when there is none, and its own person (ambiguous) when there
    /// are several or the one met has a role.
    /// A mention written with its room or bed (« Mme Dupuis ch. B14 »,
    /// « R2-11 Mme Le Bras ») is the bearer seen in that room, and never
    /// one seen in another room.
    #[allow(clippy::too_many_arguments)]
    pub fn key(
        &mut self,
        room: Option<&str>,
        surname: &str,
        gender: Option<char>,
        medical: bool,
        role: Option<String>,
        homonym: bool,
        at: usize,
    ) -> String {
        let g = gender.unwrap_or('?');
        let same = |b: &&Bearer| b.surname == surname && agrees(b, gender, medical);
        let doctor = if medical { "|dr" } else { "" };
        let fresh = |key: String, role, known: &mut Vec<Bearer>| {
            known.push(Bearer {
                surname: surname.to_string(),
                gender,
                medical,
                role,
                room: room.map(str::to_string),
                key: key.clone(),
            });
            key
        };
        if let Some(r) = room {
            let roomed: Vec<&Bearer> = self.known.iter().filter(same).collect();
            if let Some(b) = roomed.iter().find(|b| b.room.as_deref() == Some(r)) {
                return b.key.clone();
            }
            if roomed.iter().any(|b| b.room.is_some()) {
                return fresh(
                    format!("{UNIQUE}{surname}|?{g}{doctor}|{at}"),
                    role,
                    &mut self.known,
                );
            }
            // the one bearer met without a room: it is this one's from now
            if let [b] = roomed[..] {
                let key = b.key.clone();
                if role.is_none() {
                    if let Some(b) = self.known.iter_mut().find(|b| b.key == key) {
                        b.room = Some(r.to_string());
                    }
                    return key;
                }
            }
        }
        if homonym {
            return fresh(
                format!("{UNIQUE}{surname}|?{g}{doctor}|{at}"),
                role,
                &mut self.known,
            );
        }
        if let Some(ref r) = role {
            if let Some(b) = self
                .known
                .iter()
                .filter(same)
                .find(|b| b.role.as_deref() == Some(r.as_str()))
            {
                return b.key.clone();
            }
            // the first bearer of the name keeps the plain key, which a
            // later text of the batch may link to its full name
            let key = if self.known.iter().any(|b| same(&b)) {
                format!("{UNIQUE}{surname}|?{g}{doctor}|{at}")
            } else {
                format!("{surname}|?{g}{doctor}")
            };
            return fresh(key, role, &mut self.known);
        }
        let bearers: Vec<&Bearer> = self.known.iter().filter(same).collect();
        match bearers[..] {
            [] => fresh(format!("{surname}|?{g}{doctor}"), None, &mut self.known),
            // « sa fille, Mme Petit, appelle » then « Mme Petit a chuté »:
            // the one bearer met is a relative or a carer, and a mention
            // without a role is as often the patient, whom a note names
            // without one
            [b] if b.role.is_some() => format!("{AMBIGUOUS}{surname}|?{g}{doctor}|{at}"),
            [b] => b.key.clone(),
            _ => format!("{AMBIGUOUS}{surname}|?{g}{doctor}|{at}"),
        }
    }
}

/// Can a mention with this title be this bearer? The same title, or none:
/// « Martin rappellera » after « le Dr Martin » is the doctor when nobody
/// else bears the name.
fn agrees(b: &Bearer, gender: Option<char>, medical: bool) -> bool {
    b.gender == gender && b.medical == medical || gender.is_none() && !medical
}

/// « Mme B (homonyme) », « Dr Rousseau, sans lien de parenté », « Mme
/// Morvan (autre patiente, aucun lien) », « Yanis (son ami, même prénom) »,
/// « Sandrine (pas la tante) », « Paul Martin : homonyme complet »,
/// « Mme Vasseur oui même prénom que sa mère », « Mme Le Bras (l'autre,
/// pas celle du R1) »: the text says this bearer of the name is not the
/// others. « Mme Morel (laquelle ?) », « M. Morel sans prénom », « Mme
/// Morel (prénom inconnu) »: the text asks or does not know which bearer it
/// is, so it is none of them for sure.
pub fn homonym_after(text: &str, end: usize) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(
            r"^\s*[(,—–:-]?\s*(?:(?:[^()\n.;:,]{1,24},\s*)?(?:homonyme|sans lien|aucun lien|pas de lien|meme prenom|meme nom|pas (?:la|le|sa|son) |pas (?:celle|celui) (?:du|de|d'|qui)|l'autre\s*[),]|autre (?:patiente?|residente?)\b|laquelle\s*\?|lequel\s*\?|sans prenom\b|prenom (?:inconnu|non precise|non renseigne))|(?:\p{L}+\s+){1,2}(?:homonyme|meme prenom|meme nom))",
        )
        .unwrap()
    });
    // « Mme Morel a rappelé ce matin (laquelle ?) »: the question may come
    // at the end of the clause, in brackets
    static ASKED: OnceLock<Regex> = OnceLock::new();
    let asked = ASKED
        .get_or_init(|| Regex::new(r"^[^()\n.;!?]{0,40}\(\s*(?:laquelle|lequel)\s*\?").unwrap());
    let mut to = (end + 48).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let after = fold(&text[end..to]);
    // « Mme Roux (82) de la 9 : aucun lien avec la précédente »: a denial
    // of kinship with another bearer later in the same clause, past a
    // bracket (never « douleur sans lien avec la chute », nor « aucun lien
    // de parenté avec moi », which says nothing of another bearer)
    static DENIED: OnceLock<Regex> = OnceLock::new();
    let denied = DENIED.get_or_init(|| {
        Regex::new(
            r"^[^\n.;!?]{0,32}\b(?:homonyme|(?:sans|aucun|pas de) lien (?:de parente )?avec (?:la |le |l'|les )?(?:precedente?|premiere?|premier|autre|homonyme|celle|celui|(?:patiente?|residente?) (?:du|de la|d'))\b)",
        )
        .unwrap()
    });
    // « M. Toussaint (90 ans, BPCO, sans lien avec le titulaire) »: the
    // cue closes a bracket that lists the person's particulars first
    static LISTED: OnceLock<Regex> = OnceLock::new();
    let listed = LISTED.get_or_init(|| {
        Regex::new(r"^\s*\((?:[^()\n.;:,]{1,24},\s*){2,3}(?:homonyme|sans lien|aucun lien|pas de lien|meme prenom|meme nom)")
            .unwrap()
    });
    re.is_match(&after)
        || asked.is_match(&after)
        || denied.is_match(&after)
        || listed.is_match(&after)
}

/// « Cousin homonyme Cédric Dussaud », « l'homonyme parfaite de la
/// patiente Lucie Garcia »: the text says, just before the name, that its
/// bearer shares it with someone else.
pub fn homonym_before(text: &str, start: usize) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"(?:homonyme|meme prenom|meme nom)[^.;:!?()\n]{0,32}$").unwrap()
    });
    let mut from = start.saturating_sub(48);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    re.is_match(&fold(&text[from..start]))
}

/// « elle est la belle-fille de ma patiente Mme Jeunet », « il est aussi
/// le fils de M. Petit »: a subject said to be the relative of the person
/// named after « de ». That subject is named already (« Mme Lucie
/// Jeunet, 44 ans. Elle est… »), so the person it is related to is
/// someone else, never linked to a bearer of the surname named in full.
/// « la fille de Mme Verdier appelle », with no subject said to be her,
/// is left alone: there Mme Verdier is mostly the patient.
pub fn kin_anchor(text: &str, start: usize) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(
            r"\b(?:est|etait|sont|etaient)\s+(?:(?:par ailleurs|aussi|egalement|elle-meme|lui-meme)\s+)?(?:la|le|sa|son|l')\s*(?:fille|fils|epouse|epoux|mari|femme|conjointe?|compagne|compagnon|frere|soeur|mere|pere|petite?-fille|petit-fils|belle-fille|beau-fils|belle-soeur|beau-frere|belle-mere|beau-pere|grand-mere|grand-pere|gendre|bru|neveu|niece|cousine?|tante|oncle|veuve|veuf)\s+(?:de|d')\s*(?:(?:ma|sa|mon|son|notre|votre|leur|la|le|l')\s*)?(?:(?:patiente?|residente?)\s+)?$",
        )
        .unwrap()
    });
    let mut from = start.saturating_sub(60);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    re.is_match(&fold(&text[from..start]))
}

/// « P-873;laurent Baptiste;…;\"homonyme inversé du kiné\" »: a row of an
/// export (three separators at least) whose later cells say « homonyme »
/// is about the name written in it.
pub fn row_homonym(text: &str, end: usize) -> bool {
    let (_, line_end, line) = row_line(text, end);
    separated(line) && fold(&text[end..line_end]).contains("homonyme")
}

/// The line that holds byte `at`, read in a window of [`ROW_CHARS`] on
/// either side (never the whole line: a text of one long line would make
/// a search per name quadratic in its length): its start, its end, its text.
fn row_line(text: &str, at: usize) -> (usize, usize, &str) {
    let mut from = at.saturating_sub(ROW_CHARS);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = (at + ROW_CHARS).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let line_start = text[from..at].rfind('\n').map_or(from, |p| from + p + 1);
    let line_end = text[at..to].find('\n').map_or(to, |p| at + p);
    (line_start, line_end, &text[line_start..line_end])
}

/// Three semicolons, bars or tabs at least: a row of an export.
fn separated(line: &str) -> bool {
    [';', '|', '\t']
        .iter()
        .any(|&sep| line.matches(sep).count() >= 3)
}

/// The line start of the row of an export that holds byte `at`: a line of
/// three semicolons, bars or tabs at least, or of three commas whose cells
/// are short (a sentence's clauses are longer); none in running text. Two
/// rows are two records: a name alone on each is not one person for it.
pub fn export_row(text: &str, at: usize) -> Option<usize> {
    let (line_start, _, line) = row_line(text, at);
    let commas = line.matches(',').count() >= 3
        && line.split(',').all(|c| c.split_whitespace().count() <= 4);
    let markdown_rule = line.trim_start().starts_with('|') && line.contains("---");
    ((separated(line) || commas) && !markdown_rule).then_some(line_start)
}

/// « les dames Lacoste », « les Robin », « chez les deux Martin »: a
/// surname after a plural names a family or a group, no one of its bearers.
pub fn group_before(text: &str, start: usize) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(
            r"(?:^|[^\p{L}])(?:les|des|aux)\s+(?:(?:deux|trois|quatre|dames|messieurs|epoux|soeurs|freres|jumeaux|jumelles|enfants|parents|petits|cousins|cousines)\s+)?$",
        )
        .unwrap()
    });
    static F: OnceLock<Regex> = OnceLock::new();
    // « réunion famille Morvan », « appel de la famille Robin »: the
    // family of a name is its bearers together, none of them alone; the
    // patient of that name is not the relative who speaks for it
    let family = F.get_or_init(|| Regex::new(r"(?:^|[^\p{L}])famille\s+$").unwrap());
    let before = crate::dicts::fold_before(text, start, 30);
    re.is_match(&before) || family.is_match(&before)
}

/// The most bytes of a row read on either side of a name.
const ROW_CHARS: usize = 320;

/// Does the text say, before or after the name at `start..end`, that its
/// bearer is not the others of that name?
pub fn said_other(text: &str, start: usize, end: usize) -> bool {
    homonym_after(text, end) || homonym_before(text, start)
}

/// The room or bed written with a name: at the head of its line (« R1-03
/// Mme Le Bras », « 112 M. Roux », « Ch. 301 : Mme Favre ») or just after
/// it (« Mme Dupuis ch. B14 », « Mme Agostini (B12) », « M. Roux (chambre
/// 108) »), folded; none when the text writes none.
pub fn room_beside(text: &str, start: usize, end: usize) -> Option<String> {
    static BEFORE: OnceLock<Regex> = OnceLock::new();
    static AFTER: OnceLock<Regex> = OnceLock::new();
    let before = BEFORE.get_or_init(|| {
        Regex::new(
            r"(?:^|\n)[ \t>*•-]*(?:(?:ch|chambre|lit|ch\.)\s*)?([a-z]{0,3}\d?-?\d{1,4}[a-z]?)\s*[:—–-]?\s*$",
        )
        .unwrap()
    });
    let after = AFTER.get_or_init(|| {
        Regex::new(
            r"^\s*(?:\(\s*(?:(?:ch|chambre|lit)\.?\s*)?([a-z]{1,3}-?\d{1,4}[a-z]?|\d{3,4})\s*[,)]|,?\s*(?:ch\.|chambre|lit)\s*([a-z]{0,3}-?\d{1,4}[a-z]?)\b)",
        )
        .unwrap()
    });
    let line_start = text[..start].rfind('\n').unwrap_or(0);
    let mut to = (end + 24).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let tail = fold(&text[end..to]);
    // A room before the name stands alone at the head of its line: beside
    // the bullets and spaces, at most « chambre », a code of ten characters
    // and a colon. Past that many, none can match, and folding the whole
    // line before each name made a long line quadratic in its length.
    let head_fits = text[line_start..start]
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '>' | '*' | '•' | '-'))
        .take(HEAD_ROOM_CHARS + 1)
        .count()
        <= HEAD_ROOM_CHARS;
    head_fits
        .then(|| fold(&text[line_start..start]))
        .and_then(|head| {
            before
                .captures(&head)
                .and_then(|c| c.get(1))
                .map(|m| m.as_str().replace(' ', ""))
        })
        .or_else(|| {
            after
                .captures(&tail)
                .and_then(|c| c.get(1).or(c.get(2)))
                .map(|m| m.as_str().replace(' ', ""))
        })
}

/// The most characters, bullets and spaces aside, that the head of a line
/// holds before a name when it is a room: « chambre » (7), a code (at most
/// 10: three letters, a digit, four digits and a letter) and a colon, with
/// a margin.
const HEAD_ROOM_CHARS: usize = 24;

/// « Mme Colette Moreau, née Vidal »: a lone name after « née » (or « né »,
/// « nom de naissance ») is a maiden name, never another bearer of that
/// name (« Mme Simone Vidal », her sister).
pub fn maiden(text: &str, start: usize) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"(?i)(?:^|[\s,(])(?:n(?:ée?|ee)|nom de naissance|nom de jeune fille)\s*:?\s*$")
            .unwrap()
    });
    let mut from = start.saturating_sub(30);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    re.is_match(&text[from..start])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bearer_with_a_role_is_not_the_bearer_without() {
        let mut b = Bearers::default();
        let kin = || Some("fils".to_string());
        let father = b.key(None, "petit", Some('m'), false, None, false, 0);
        let son = b.key(None, "petit", Some('m'), false, kin(), false, 5);
        assert_ne!(father, son);
        // the son again, by his role
        assert_eq!(b.key(None, "petit", Some('m'), false, kin(), false, 9), son);
        // no role, two bearers: neither of them
        let either = b.key(None, "petit", Some('m'), false, None, false, 12);
        assert!(is_ambiguous(&either));
        assert_ne!(either, father);
        assert_ne!(either, son);
    }

    #[test]
    fn one_bearer_is_found_again_and_a_doctor_is_another() {
        let mut b = Bearers::default();
        let kin = || Some("fils".to_string());
        let wife = b.key(None, "martin", Some('f'), false, kin(), false, 3);
        // by her role again
        assert_eq!(
            b.key(None, "martin", Some('f'), false, kin(), false, 5),
            wife
        );
        // without it, she or the patient of the note: neither
        let either = b.key(None, "martin", Some('f'), false, None, false, 8);
        assert!(is_ambiguous(&either) && either != wife);
        let doctor = b.key(None, "martin", None, true, None, false, 10);
        assert_ne!(doctor, wife);
        assert_eq!(b.key(None, "martin", None, true, None, false, 20), doctor);
        // no title, two bearers: neither
        assert!(is_ambiguous(
            &b.key(None, "martin", None, false, None, false, 25)
        ));
        let mut one = Bearers::default();
        let doctor = one.key(None, "roux", None, true, None, false, 0);
        assert_eq!(one.key(None, "roux", None, false, None, false, 4), doctor);
    }

    #[test]
    fn a_homonym_is_a_bearer_of_its_own() {
        let mut b = Bearers::default();
        let first = b.key(None, "blanc", Some('f'), false, None, false, 0);
        let other = b.key(None, "blanc", Some('f'), false, None, true, 4);
        assert_ne!(first, other);
        assert!(is_unique(&other) && !is_ambiguous(&other));
        assert!(is_ambiguous(&b.key(
            None,
            "blanc",
            Some('f'),
            false,
            None,
            false,
            9
        )));
    }

    #[test]
    fn homonym_cues() {
        let t =
            "Mme Blanc (homonyme, pas de lien) et Dr Roux, sans lien de parenté ; Mme Noir, 80 ans";
        let end = |w: &str| t.find(w).unwrap() + w.len();
        assert!(homonym_after(t, end("Blanc")));
        assert!(homonym_after(t, end("Roux")));
        assert!(!homonym_after(t, end("Noir")));
        let t = "Mme Morvan (autre patiente, aucun lien) ; Yanis (son ami, même prénom) ; \
                 Sandrine (pas la tante) ; Mme Gris, pas de douleur ; Mme Vert, son amie, a appelé";
        let end = |w: &str| t.find(w).unwrap() + w.len();
        for w in ["Morvan", "Yanis", "Sandrine"] {
            assert!(homonym_after(t, end(w)), "{w}");
        }
        for w in ["Gris", "Vert"] {
            assert!(!homonym_after(t, end(w)), "{w}");
        }
        // the cue as the last item of a bracket that lists the person's
        // other particulars first
        let t = "M. Lemoine (78 ans, diabétique, sans lien avec le Dr Lemoine) ; \
                 M. Carré (81 ans, BPCO, douleur sans lien avec la chute)";
        let end = |w: &str| t.find(w).unwrap() + w.len();
        assert!(homonym_after(t, end("Lemoine")));
        assert!(!homonym_after(t, end("Carré")));
    }

    #[test]
    fn maiden_names() {
        let t = "Mme Colette Moreau, née Vidal le 2 juillet ; Mme Simone Vidal ; nom de naissance : Roux.";
        let at = |w: &str| t.find(w).unwrap();
        assert!(maiden(t, at("Vidal")));
        assert!(maiden(t, at("Roux")));
        assert!(!maiden(t, at("Simone")));
        assert!(!maiden(t, at("Colette")));
    }

    /// The pseudonyms the whole anonymiser gives to each occurrence of `names`.
    fn pseudonyms(text: &str, names: &[&str]) -> Vec<Vec<String>> {
        let out = crate::Anonymiser::new().anonymise(text);
        names
            .iter()
            .map(|n| {
                text.match_indices(n)
                    .map(|(at, _)| {
                        let r = out
                            .replacements
                            .iter()
                            .find(|r| r.start < at + n.len() && at < r.end)
                            .unwrap_or_else(|| panic!("{n} at {at} not replaced"));
                        r.pseudonym.rsplit(' ').next().unwrap().to_string()
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn father_and_son_of_one_name_stay_two_people() {
        let t = "08/11 14 h — M. Petit (ch. 8) agité. Son fils, M. Petit, a appelé.\n\
                 09/11 — M. Petit a bien dormi. Le fils de M. Petit rappellera.";
        let p = pseudonyms(t, &["Petit"]);
        let p = &p[0];
        assert_ne!(p[0], p[1], "father and son share {}", p[0]);
        // the two later mentions could be either: letters of their own
        assert!(p[2] != p[0] && p[2] != p[1] && p[3] != p[0] && p[3] != p[1]);
        let out = crate::Anonymiser::new().anonymise(t);
        assert!(out.risks.iter().any(|r| r.kind == "nom_ambigu"));
    }

    #[test]
    fn a_doctor_is_not_the_patient_of_the_same_name() {
        let t = "Léa et Emma Fontaine, jumelles de 8 mois. Emma : sibilants, avis du Dr Fontaine \
                 (pédiatre) demandé. Mme Anne Rousseau et le Dr Rousseau, cardiologue. \
                 Mme Rousseau tousse.";
        let p = pseudonyms(
            t,
            &[
                "Emma Fontaine",
                "Dr Fontaine",
                "Anne Rousseau",
                "Dr Rousseau",
            ],
        );
        assert_ne!(p[0][0], p[1][0]);
        assert_ne!(p[2][0], p[3][0]);
        let out = crate::Anonymiser::new().anonymise(t);
        // the baby is not written as a doctor
        assert!(!out.text.contains(&format!("Dr {} ", p[0][0])));
    }

    #[test]
    fn a_maiden_name_is_not_the_sister_who_bears_it() {
        let t = "Mme Colette Moreau, née Vidal le 2 juillet 1931. Sa sœur, Mme Simone Vidal, \
                 est sa personne de confiance. Mme Vidal a été informée.";
        let p = pseudonyms(t, &["Colette Moreau", "Vidal le", "Simone Vidal"]);
        assert_ne!(p[1][0], p[2][0]);
        assert_ne!(p[1][0], p[0][0]);
    }

    #[test]
    fn a_surname_before_the_full_name_of_a_relative_is_not_linked() {
        let t = "Entretien — Mme Lucas, avec son compagnon. Elle évoque sa mère, \
                 Mme Jacqueline Lucas, hospitalisée. Mme Lucas pleure.";
        let p = pseudonyms(t, &["Mme Lucas", "Jacqueline Lucas"]);
        assert_ne!(p[0][0], p[1][0]);
        // after both were named, « Mme Lucas » could be either
        assert_ne!(p[0][1], p[1][0]);
    }

    #[test]
    fn an_initial_that_two_first_names_share_is_neither() {
        let t = "BERNARD Louise (12B) : pansement. Aide-soignante : Léa Bernard. \
                 Mme L. Bernard a chuté.";
        let p = pseudonyms(t, &["BERNARD Louise", "Léa Bernard", "L. Bernard"]);
        assert_ne!(p[2][0], p[0][0]);
        assert_ne!(p[2][0], p[1][0]);
    }

    #[test]
    fn an_initial_that_a_lone_first_name_shares_is_not_the_full_name() {
        let t = "1. Mme Josette Marchal, 90 ans, dénutrition.\n\
                 2. Mme J. Marchal ?? (fiche incomplète : Josette ou Jacqueline ?)";
        let p = pseudonyms(t, &["Josette Marchal", "J. Marchal"]);
        assert_ne!(p[1][0], p[0][0]);
    }

    #[test]
    fn a_first_name_two_people_bear_is_neither() {
        let t = "Claire Dubois (MK) et Claire Martin (IDE) ont vu le patient. Claire rappellera. \
                 Claire passera demain.";
        let p = pseudonyms(
            t,
            &[
                "Claire Dubois",
                "Claire Martin",
                "Claire rappellera",
                "Claire passera",
            ],
        );
        let (dubois, martin, one, two) = (&p[0][0], &p[1][0], &p[2][0], &p[3][0]);
        for x in [one, two] {
            assert!(x != dubois && x != martin);
        }
        // and not one letter for both mentions either: they may be two people
        assert_ne!(one, two);
    }

    #[test]
    fn a_relative_is_not_the_patient_of_the_same_name() {
        let t = "Mme Anne Rousseau, 80 ans, chute. Sa fille, Mme Rousseau, l’accompagne.";
        let p = pseudonyms(t, &["Anne Rousseau", "Rousseau, l"]);
        assert_ne!(p[0][0], p[1][0]);
    }

    #[test]
    fn a_surname_with_a_particle_is_one_surname() {
        // « Le » is not the first name of « Mme Le Berre »: she is Jeanne
        let t = "Mme Jeanne Le Berre marche. Son fils Yves Le Berre passe. \
                 Mme Le Berre a bien dormi. Le Berre rappellera.";
        let out = crate::Anonymiser::new().anonymise(t);
        assert_eq!(
            out.text,
            "Mme A marche. Son fils Personne B passe. Mme A a bien dormi. Personne C rappellera."
        );
        let ambiguous: Vec<&str> = out
            .risks
            .iter()
            .filter(|r| r.kind == "nom_ambigu")
            .map(|r| &t[r.span.0..r.span.1])
            .collect();
        assert_eq!(ambiguous, ["Le Berre"]);
    }

    #[test]
    fn a_mother_in_law_is_not_the_patient() {
        let t = "Mme Anne Martin, 52 ans, lombalgie. Sa belle-mère, Mme Martin, l’héberge.";
        let p = pseudonyms(t, &["Anne Martin", "Martin, l"]);
        assert_ne!(p[0][0], p[1][0]);
    }

    #[test]
    fn a_row_of_a_table_is_one_person() {
        let t = "nom;prenom;chambre\nLEGRAND;Simone;12A\nLEGRAND;Robert;12B\nVIDAL;Simone;16\n\
                 Mme Simone Vidal (16) rend visite à sa sœur.";
        let p = pseudonyms(t, &["LEGRAND", "Robert", "Simone"]);
        let (simone_legrand, robert) = (&p[0][0], &p[0][1]);
        assert_ne!(
            simone_legrand, robert,
            "the surname's cell is no one's alone"
        );
        assert_eq!(&p[1][0], robert);
        assert_eq!(&p[2][0], simone_legrand);
        // Simone Vidal: her row and the sentence, never Simone Legrand's letter
        assert_ne!(p[2][1], p[2][0]);
        assert_eq!(p[2][1], p[2][2]);
        // two surnames side by side are two people
        let t = "| Patient | Kiné |\n|---|---|\n| DUPONT | MARTIN |\n";
        let p = pseudonyms(t, &["DUPONT", "MARTIN"]);
        assert_ne!(p[0][0], p[1][0]);
    }

    #[test]
    fn a_row_of_an_export_is_one_person_whatever_its_quotes_or_commas() {
        // quoted cells: two residents of one surname, one row each
        let t = "\"Ch\";\"Nom\";\"Prénom\";\"Âge\"\n\"12\";\"LE GALL\";\"Odette\";\"88\"\n\
                 \"14\";\"LE GALL\";\"Fernand\";\"90\"\n";
        let p = pseudonyms(t, &["LE GALL", "Odette", "Fernand"]);
        assert_ne!(p[0][0], p[0][1], "the two rows are two people");
        assert_eq!(p[0][0], p[1][0]);
        assert_eq!(p[0][1], p[2][0]);
        // « SURNAME, First » in one cell: a brother and a sister
        let t = "date;patient;ipp;acte\n03/02;\"ROUX, Gérard\";5521;marche\n\
                 03/02;\"ROUX, Josiane\";5530;drainage\n";
        let p = pseudonyms(t, &["ROUX, G", "ROUX, J"]);
        assert_ne!(p[0][0], p[1][0]);
        // a comma export whose headers say surname and first name, in any case
        let t = "id,nom,prenom,service\n101,Carrel,Monique,SMR\n102,Brunet,Monique,USLD\n";
        let p = pseudonyms(t, &["Carrel", "Brunet", "Monique"]);
        assert_ne!(p[2][0], p[2][1], "two residents named Monique");
        assert_eq!(p[0][0], p[2][0]);
        assert_eq!(p[1][0], p[2][1]);
    }

    /// The first two mentions of `name` in `t` are two people.
    fn apart(t: &str, name: &str) {
        let p = pseudonyms(t, &[name]);
        assert_ne!(p[0][0], p[0][1], "{name}");
    }

    #[test]
    fn one_full_name_that_two_people_bear_is_nobodys_alone() {
        // the text says so, after the name or before it
        let t = "Mme Germaine Roux, 97 ans, chute. Sa nièce Germaine Roux (même prénom et nom) \
                 passera jeudi.";
        apart(t, "Germaine Roux");
        let t = "Assuré : LEROY Bastien. Son cousin homonyme Bastien Leroy travaille au dépôt.";
        let p = pseudonyms(t, &["LEROY Bastien", "Bastien Leroy"]);
        assert_ne!(p[0][0], p[1][0]);
        let t = "1. Paul Kerhervé : lombalgie.\n2. Paul Kerhervé : homonyme complet du précédent, \
                 entorse.\n";
        apart(t, "Paul Kerhervé");
        let t = "madame Rose Caron vit avec sa fille madame Rose Caron oui même prénom que sa mère";
        apart(t, "Rose Caron");
        // the patient and a relative of one full name
        let t = "Aidant : épouse Nicole Faure. Remarque : la patiente Nicole Faure est sa \
                 belle-sœur.";
        apart(t, "Nicole Faure");
        // without a cue, one full name written twice is one person
        let t = "Mme Germaine Roux, 97 ans, chute. Mme Germaine Roux a bien dormi.";
        let p = pseudonyms(t, &["Germaine Roux"]);
        assert_eq!(p[0][0], p[0][1]);
    }

    #[test]
    fn the_other_bearer_of_a_title_and_surname() {
        let t = "R2 Mme Le Floch : chute, Tinetti 14.\nR5 Mme Le Floch (l'autre, Odile) : \
                 escarre talon.";
        apart(t, "Le Floch");
        let t = "Mme Caradec (B3) : marche. Mme Caradec, pas celle du B3, refuse la séance.";
        apart(t, "Caradec");
    }

    #[test]
    fn a_relative_named_by_kinship_after_the_name_is_not_the_person() {
        let t = "09h00 Mme TESSIER Huguette : pansement.\n10h30 Mme Tessier (belle-sœur de \
                 Huguette) : toilette.";
        let p = pseudonyms(t, &["TESSIER Huguette", "Tessier ("]);
        assert_ne!(p[0][0], p[1][0]);
    }

    #[test]
    fn a_maiden_name_before_a_first_name_is_not_the_persons() {
        let t = "Patiente : BRETON née GUILLOU Annick – 91 ans\nFils : M. Loïc Breton.";
        let p = pseudonyms(t, &["BRETON", "GUILLOU", "Annick", "Loïc Breton"]);
        assert_ne!(p[1][0], p[2][0], "the maiden name is not Annick");
        assert_eq!(p[0][0], p[2][0], "Annick is Mme Breton");
        assert_ne!(p[3][0], p[2][0]);
        // in a table's cell too
        let t = "| Résident | Ch |\n|---|---|\n| RIOU née LE BIHAN Maryvonne | 12 |\n\
                 | LE BIHAN Armelle | 14 |\n";
        let p = pseudonyms(t, &["LE BIHAN Maryvonne", "Maryvonne", "LE BIHAN Armelle"]);
        assert_ne!(p[0][0], p[1][0], "the maiden name is not Maryvonne");
        assert_ne!(p[1][0], p[2][0]);
    }

    #[test]
    fn a_tables_cell_is_keyed_as_the_names_key_its_words() {
        // the cell and the sentence: one person
        let t = "| Résident | Ch |\n|---|---|\n| FAURE Nadine | 12 |\n\nMme Nadine Faure a chuté.";
        let p = pseudonyms(t, &["FAURE Nadine", "Nadine Faure"]);
        assert_eq!(p[0][0], p[1][0]);
        // a full name the text says two people bear: no cell is either
        let t = "| Patient | Kiné |\n|---|---|\n| FAURE Nadine | FAURE Nadine |\n\n\
                 La kiné Nadine Faure est l'homonyme de la patiente Nadine Faure.";
        apart(t, "FAURE Nadine");
    }

    #[test]
    fn a_surname_after_two_first_names_is_both_peoples() {
        let t = "Vus ce jour : LEMAIRE Inès (CE1) et LEMAIRE Hugo (CE1).\n\
                 Inès et Hugo LEMAIRE : jumeaux, même classe.";
        let p = pseudonyms(
            t,
            &["LEMAIRE Inès", "LEMAIRE Hugo", "Hugo LEMAIRE", "LEMAIRE :"],
        );
        let family = &p[3][0];
        assert!(family != &p[0][0] && family != &p[1][0], "{p:?}");
        // Hugo alone is still Hugo
        assert_eq!(p[2][0], p[1][0]);
    }

    #[test]
    fn one_title_and_surname_in_two_rooms_is_two_people() {
        let t = "Mme Kerbrat ch. A12 – marche 20 m.\nMme Kerbrat ch. A17 – toux grasse.\n\
                 Mme Kerbrat ch. A12 – a bien mangé.";
        let p = pseudonyms(t, &["Kerbrat"]);
        assert_ne!(p[0][0], p[0][1], "two rooms, two people");
        assert_eq!(p[0][0], p[0][2], "the same room, the same person");
        let t = "C2-04 M. Le Roch : chute.\nC2-09 M. Le Roch : sonde changée.";
        apart(t, "Le Roch");
        let t = "Mme Guivarc'h (214) : agitée. Mme Guivarc'h (216, sa voisine de palier) : RAS.";
        apart(t, "Guivarc'h");
        // no room: one bearer, one person
        let t = "Mme Kerbrat marche 20 m. Mme Kerbrat a bien mangé.";
        let p = pseudonyms(t, &["Kerbrat"]);
        assert_eq!(p[0][0], p[0][1]);
    }

    #[test]
    fn two_relatives_of_one_name_by_their_kinship() {
        let t = "M. Thibault Le Guen délire. Son épouse, Mme Soizic Le Guen, est inquiète. \
                 Sa belle-mère Mme Le Guen confirme. Son épouse, Mme Le Guen, rappellera.";
        let p = pseudonyms(
            t,
            &[
                "Soizic Le Guen",
                "belle-mère Mme Le Guen",
                "épouse, Mme Le Guen,",
            ],
        );
        assert_ne!(p[1][0], p[0][0], "a mother-in-law is not the wife");
        assert_eq!(p[2][0], p[0][0], "the wife again, by her kinship");
        let t = "Visite de M. Lefebvre (fils de Germaine) et de M. Lefebvre (fils de Paulette).";
        let p = pseudonyms(t, &["Lefebvre"]);
        assert_ne!(p[0][0], p[0][1], "two sons of two mothers");
    }

    #[test]
    fn a_first_name_the_text_says_is_someone_elses() {
        let t =
            "101 | DUPONT Marcel | chute. Prévenir son fils Marcel (même prénom que son père).\n\
                 Marcel a appelé à 15 h.";
        let p = pseudonyms(t, &["Marcel"]);
        let (father, son, either) = (&p[0][0], &p[0][1], &p[0][2]);
        assert_ne!(father, son);
        assert!(either != father && either != son);
    }

    #[test]
    fn a_title_may_be_a_bearer_named_without_one() {
        let t =
            "114 : BERNARD Louise : chute. Appel pour Mme Yvette Bernard. Mme Bernard a refusé.";
        let p = pseudonyms(t, &["BERNARD Louise", "Yvette Bernard", "Mme Bernard"]);
        assert!(p[2][0] != p[0][0] && p[2][0] != p[1][0]);
        // a son is no « Mme »: she is the one Mme of the name
        let t = "Mme Yvette Bernard dort. Son fils Paul Bernard passe. Mme Bernard a mangé.";
        let p = pseudonyms(t, &["Yvette Bernard", "Mme Bernard"]);
        assert_eq!(p[1][0], p[0][0]);
    }

    #[test]
    fn a_first_name_before_the_full_name_may_be_someone_else() {
        let t = "09:00   ROUSSEAU Michel      Aline\n10:00   MARTINEZ Aline       Olivier\n\
                 Aline prendra la séance de 11 h.";
        let p = pseudonyms(t, &["Aline"]);
        assert_ne!(p[0][2], p[0][1], "the physiotherapist or the patient");
        let t = "Patiente : Mme Aline Martinez, PTG. Aline rappellera.";
        let p = pseudonyms(t, &["Aline"]);
        assert_eq!(p[0][0], p[0][1]);
    }

    #[test]
    fn a_surname_that_is_another_persons_first_name_is_neither() {
        let t = "Son neuro, le Dr Martin, a ajouté du Mantadix. Mon père s'appelle Martin \
                 de prénom, Martin Dubreuil.";
        let p = pseudonyms(t, &["Martin"]);
        assert_ne!(p[0][1], p[0][0]);
    }

    #[test]
    fn a_former_name_is_a_bearer_of_its_own() {
        let t = "Tante : Mme Sandrine Girard. Mère : Mme Océane Dumas, ex-Mme Girard.\n\
                 Mme Girard a signalé les faits.";
        let p = pseudonyms(t, &["Sandrine Girard", "Girard"]);
        let (sandrine, former, either) = (&p[0][0], &p[1][1], &p[1][2]);
        assert_ne!(former, sandrine);
        assert!(either != sandrine && either != former);
    }

    #[test]
    fn an_eponym_after_a_title_is_that_persons_surname() {
        let t = "Son fils Thomas Parkinson arrive. Mme Parkinson va mieux. \
                 Sa maladie de Parkinson fluctue.";
        let out = crate::Anonymiser::new().anonymise(t);
        assert_eq!(
            out.text,
            "Son fils Personne A arrive. Mme B va mieux. Sa maladie de Parkinson fluctue."
        );
        // an eponym in capitals before a first name is a register's surname
        let t = "RDC-14 PETIT Jean : Sinemet.\nRDC-16 PETIT Jeanne : Ebixa.\n";
        let p = pseudonyms(t, &["PETIT Jean ", "PETIT Jeanne"]);
        assert_ne!(p[0][0], p[1][0]);
    }

    #[test]
    fn a_title_and_surname_the_text_asks_about_is_nobodys() {
        // the text asks which bearer it is: a pseudonym of its own
        let t = "Mme Odile Garnier (chambre 4) : marche.\nMme Garnier a téléphoné (laquelle ? \
                 la fille ou Odile ?).";
        let p = pseudonyms(t, &["Garnier"]);
        assert_ne!(p[0][0], p[0][1]);
        let t = "M. Yves Perrot opéré hier. M. Perrot (lequel ?) demande un rendez-vous.";
        let p = pseudonyms(t, &["Perrot"]);
        assert_ne!(p[0][0], p[0][1]);
        let t = "M. Yves Perrot opéré hier. M. Perrot a rappelé ce matin (lequel ?).";
        let p = pseudonyms(t, &["Perrot"]);
        assert_ne!(p[0][0], p[0][1]);
        // without the question, the one bearer named in full
        let t = "Mme Odile Garnier (chambre 4) : marche.\nMme Garnier a téléphoné.";
        let p = pseudonyms(t, &["Garnier"]);
        assert_eq!(p[0][0], p[0][1]);
    }

    #[test]
    fn a_kinship_after_the_name_settles_whose_son_he_is() {
        let t = "Mme Lucette Roux ch. 3 : appelle son fils M. Roux (fils de Lucette).\n\
                 Mme Odette Roux ch. 5 : son fils M. Roux (fils d'Odette) passera.";
        let p = pseudonyms(t, &["M. Roux"]);
        assert_ne!(p[0][0], p[0][1]);
    }

    #[test]
    fn a_first_name_with_an_article_and_a_kinship_after_it_is_a_relative() {
        let t = "Mme Inès Carpentier, orthophoniste (aucun lien).\nInès, la petite-fille \
                 de Mme Huguette Carpentier, passera.";
        let p = pseudonyms(t, &["Inès"]);
        assert_ne!(p[0][0], p[0][1]);
    }

    #[test]
    fn a_first_name_in_brackets_after_a_surname_is_that_bearers() {
        let t = "| Yacouba Diallo | entorse |\n| Diallo (le capitaine, Sékou) | contusion |\n\
                 Yacouba revient lundi.";
        let p = pseudonyms(t, &["Diallo", "Sékou", "Yacouba"]);
        assert_ne!(p[0][0], p[0][1], "two bearers of the surname");
        assert_ne!(p[1][0], p[0][0]);
        assert_eq!(p[2][0], p[0][0], "the first name alone is Yacouba Diallo");
        // a relative's first name in brackets is not the bearer's
        let t = "Mme Diallo (sa fille, Awa) a appelé. Awa rappellera.";
        let p = pseudonyms(t, &["Diallo", "Awa"]);
        assert_ne!(p[0][0], p[1][0]);
    }

    #[test]
    fn a_compound_of_surnames_after_a_first_name_is_one_surname() {
        let t = "M. Jean-Paul Rivière-Leclerc, 84 ans. Son fils Bruno Rivière-Leclerc \
                 appellera.";
        let p = pseudonyms(t, &["Rivière-Leclerc"]);
        assert_ne!(p[0][0], p[0][1], "father and son share {}", p[0][0]);
        let spans = crate::Anonymiser::new().detect(t);
        assert!(spans
            .iter()
            .any(|s| &t[s.start..s.end] == "Bruno Rivière-Leclerc"));
    }

    #[test]
    fn a_title_and_surname_written_without_a_first_name_is_nobodys() {
        let t = "Ch. 3 Mme BLANCHARD Josette : toux.\nMme Blanchard sans prénom sur la liste du \
                 soir : voir avec l'équipe.";
        let p = pseudonyms(t, &["BLANCHARD", "Blanchard"]);
        assert_ne!(p[0][0], p[1][0]);
        let t = "Ch. 3 Mme BLANCHARD Josette : toux.\nMme Blanchard (prénom inconnu) a appelé.";
        let p = pseudonyms(t, &["BLANCHARD", "Blanchard"]);
        assert_ne!(p[0][0], p[1][0]);
    }

    #[test]
    fn a_title_without_its_dot_still_tells_the_gender() {
        // « M Girodet » is a man, not the « Mme Girodet » named before him
        let t = "Vu Mme Girodet en chambre, elle rentre jeudi. Son époux (M Girodet) \
                 viendra la chercher.";
        apart(t, "Girodet");
        // metres after a number are no title
        let out = crate::Anonymiser::new().anonymise("Marche 15 M Avec aide.");
        assert!(out.text.contains("15 M Avec"), "{}", out.text);
    }

    #[test]
    fn a_denial_of_kinship_later_in_the_clause_is_another_bearer() {
        let t = "Mme Favier (4A) : marche.\nMme Favier (91) du 2e : aucun lien avec la \
                 précédente, chute.";
        apart(t, "Favier");
        // a symptom « sans lien avec la chute » says nothing of the name
        let t = "Mme Favier : douleur sans lien avec la chute. Mme Favier dort.";
        let p = pseudonyms(t, &["Favier"]);
        assert_eq!(p[0][0], p[0][1]);
        // nor a writer's « aucun lien de parenté avec moi »
        let t = "Je vois Mme Odile Favier, 88 ans (aucun lien de parenté avec moi). \
                 Mme Favier marche.";
        let p = pseudonyms(t, &["Favier"]);
        assert_eq!(p[0][0], p[0][1]);
    }

    #[test]
    fn the_person_a_named_subject_is_related_to_is_someone_else() {
        let t = "Je vous adresse M. Hugo Ferrand, 38 ans, pour une entorse. Il est aussi \
                 le gendre de mon patient M. Ferrand, suivi pour une BPCO.";
        let p = pseudonyms(t, &["Hugo Ferrand", "M. Ferrand"]);
        assert_ne!(p[0][0], p[1][0]);
        // « la fille de Mme Ferrand appelle »: no subject said to be the
        // relative, Mme Ferrand is the one named in full
        let t = "Mme Odile Ferrand, 90 ans, chute. La fille de Mme Ferrand appelle demain.";
        let p = pseudonyms(t, &["Odile Ferrand", "Mme Ferrand"]);
        assert_eq!(p[0][0], p[1][0]);
    }

    #[test]
    fn a_quoted_surname_comma_first_name_cell_is_one_person() {
        // two first names of one surname in a comma export: two people
        let t = "date,heure,patient,motif\n02/03,10:00,\"Kerjean, Maëlle\",genou\n\
                 02/03,10:30,\"KERJEAN, Loïc\",dos\n";
        let p = pseudonyms(t, &["Kerjean", "KERJEAN", "Maëlle", "Loïc"]);
        assert_ne!(p[0][0], p[1][0], "the two rows are two people");
        assert_eq!(p[0][0], p[2][0]);
        assert_eq!(p[1][0], p[3][0]);
        // two first names in one cell are two people, never one
        let t = "date,heure,kine,motif\n02/03,10:00,\"Marie, Paul\",genou\n";
        let p = pseudonyms(t, &["Marie", "Paul"]);
        assert_ne!(p[0][0], p[1][0]);
    }

    #[test]
    fn a_row_that_says_homonyme_is_another_bearer() {
        let t = "id;patient;ch;kine;note\n1;DURAND Lucas;12;Mathis Lemoine;RAS\n\
                 2;ROCHE Anaïs;14;Mathis Lemoine;RAS\n3;lemoine Mathis;16;Eva Roy;\
                 \"homonyme du kiné\"\n";
        let p = pseudonyms(t, &["Mathis Lemoine", "lemoine Mathis"]);
        assert_ne!(p[0][0], p[1][0]);
        let t = "id;patient;ch;kine;note\n1;DURAND Mathis;12;Mathis Lemoine;RAS\n\
                 3;lemoine Mathis;16;Eva Roy;RAS\n";
        assert!(!row_homonym(t, t.find("Mathis;16").unwrap() + 6));
        assert!(!row_homonym("Mathis, homonyme du kiné", 6), "no row");
    }

    #[test]
    fn a_locum_is_not_the_carer_of_the_same_name() {
        let t = "Visites du matin (Claude) : RAS. Visites du soir (Claude, la remplaçante) : \
                 RAS.";
        apart(t, "Claude");
    }

    /// All the mentions of `name` in `t` have pseudonyms that no mention
    /// of `other` has.
    fn never_shared(t: &str, name: &str, other: &str) {
        let p = pseudonyms(t, &[name, other]);
        for x in &p[0] {
            assert!(!p[1].contains(x), "{name} and {other} share {x}: {p:?}");
        }
    }

    /// The first two mentions of `name` in `t` are one person.
    fn together(t: &str, name: &str) {
        let p = pseudonyms(t, &[name]);
        assert_eq!(p[0][0], p[0][1], "{name}");
    }

    #[test]
    fn a_first_name_alone_with_a_relatives_role_is_not_the_full_name_without_one() {
        apart(
            "Mme Lucie Caron, 80 ans, chute. Lucie, sa petite-fille, rappellera ce soir.",
            "Lucie",
        );
        apart(
            "M. Hervé Guillou, lombalgie. Son fils Hervé a pris rendez-vous.",
            "Hervé",
        );
        // a relative named so again by the same words is that relative
        together(
            "Son fils, Hervé Guillou, passera. Son fils Hervé a pris rendez-vous.",
            "Hervé",
        );
    }

    #[test]
    fn one_full_name_with_two_kinships_or_two_titles_is_two_people() {
        let t = "Son fils Marc Petit passera lundi. Son père, Marc Petit, a téléphoné.";
        apart(t, "Marc Petit");
        let t = "M. Camille Roux consulte pour une gonalgie. Mme Camille Roux a appelé.";
        apart(t, "Camille Roux");
        let t = "Le Dr Paul Berger a opéré M. Paul Berger en mars.";
        apart(t, "Paul Berger");
        // and a lone name could be either of them
        let t = "M. Camille Roux consulte. Mme Camille Roux a appelé. Camille rappellera.";
        never_shared(t, "Camille Roux", "Camille rappellera");
        // one title, one kinship: one person
        together(
            "Son fils, M. Marc Petit, passera. Son fils Marc Petit a téléphoné.",
            "Marc Petit",
        );
    }

    #[test]
    fn a_lone_name_is_neither_of_two_bearers_of_one_full_name() {
        let t = "La kiné Lucie Garcia voit la patiente Lucie Garcia ce matin. Lucie a mal au dos.";
        never_shared(t, "Lucie Garcia", "Lucie a mal");
        let t =
            "La kiné Lucie Garcia voit la patiente Lucie Garcia ce matin. Garcia est en retard.";
        never_shared(t, "Lucie Garcia", "Garcia est");
    }

    #[test]
    fn a_carer_of_a_quoted_export_is_not_the_patient_of_the_same_name() {
        // the commas inside the quotes are no separators: each row has as
        // many cells as the header, and the kiné's column is a carer's
        let t = "IPP,Nom,Prénom,Service,Kiné,Séances\n\
                 901,\"FOURNIER\",\"Anne\",\"SMR, ortho\",\"Anne Fournier\",10\n\
                 902,\"MARCHAND\",\"Paul\",\"SMR, neuro\",\"Anne Fournier\",8\n";
        never_shared(t, "FOURNIER", "Anne Fournier");
        never_shared(t, "Anne\"", "Anne Fournier");
        let p = pseudonyms(t, &["FOURNIER", "Anne\"", "MARCHAND", "Paul"]);
        assert_eq!(p[0][0], p[1][0], "one row, one patient");
        assert_eq!(p[2][0], p[3][0], "one row, one patient");
    }

    #[test]
    fn a_title_and_surname_without_a_role_is_not_the_relative_met_before() {
        let t = "Appel de sa fille, Mme Perrin, inquiète. Mme Perrin a chuté hier soir.";
        apart(t, "Perrin");
        // the relative by her role again
        together(
            "Appel de sa fille, Mme Perrin, inquiète. Sa fille, Mme Perrin, rappellera.",
            "Perrin",
        );
    }

    #[test]
    fn a_surname_without_a_title_is_neither_of_two_titled_bearers() {
        // the son is named after the bare surname: it could be either
        let t = "Mme Anne Vidal, 80 ans, chute. Vidal dort mal. Son fils M. Vidal passera.";
        let p = pseudonyms(t, &["Anne Vidal", "Vidal dort", "M. Vidal"]);
        assert!(p[1][0] != p[0][0] && p[1][0] != p[2][0], "{p:?}");
        let t = "Mme Anne Vidal, 80 ans, chute. Vidal dort mal. Avis du Dr Vidal demandé.";
        let p = pseudonyms(t, &["Anne Vidal", "Vidal dort", "Dr Vidal"]);
        assert!(p[1][0] != p[0][0] && p[1][0] != p[2][0], "{p:?}");
        // with no other bearer, Mme Vidal
        let t = "Mme Anne Vidal, 80 ans, chute. Vidal dort mal.";
        let p = pseudonyms(t, &["Anne Vidal", "Vidal dort"]);
        assert_eq!(p[1][0], p[0][0]);
    }

    #[test]
    fn a_lone_surname_may_be_a_bearer_named_later() {
        let t = "Mme Hélène Marchetti, 88 ans, chute. Marchetti dort mal. Ses enfants Paul \
                 Marchetti et Léa Marchetti passeront.";
        never_shared(t, "Hélène Marchetti", "Marchetti dort");
        never_shared(t, "Paul Marchetti", "Marchetti dort");
    }

    #[test]
    fn a_surname_that_is_another_persons_first_name_is_neither_even_titled() {
        let t = "Victime : M. BERNARD Hugo, couvreur. Témoin : M. HUGO Bernard, collègue. \
                 M. Hugo a signé.";
        let p = pseudonyms(t, &["BERNARD Hugo", "HUGO Bernard", "M. Hugo a"]);
        assert!(p[2][0] != p[0][0] && p[2][0] != p[1][0], "{p:?}");
    }

    #[test]
    fn a_doctor_of_a_patients_full_name_is_another_person() {
        let t = "Patiente : COSTE Anne, 60 ans. Prescripteur : Dr Anne Coste, rhumatologue.";
        let p = pseudonyms(t, &["COSTE Anne", "Anne Coste"]);
        assert_ne!(p[0][0], p[1][0]);
        // a patient's surname alone is not the doctor named in full
        let t = "Dr Élise Garnier, chirurgienne. La patiente Garnier est sortie hier.";
        never_shared(t, "Élise Garnier", "Garnier est");
    }

    #[test]
    fn one_full_name_with_two_ages_or_two_rooms_is_two_people() {
        apart(
            "Lit 1 : Paul Girard, 81 ans, chute.\nLit 2 : Paul Girard, 52 ans, entorse.",
            "Paul Girard",
        );
        apart(
            "M. MOREL Jean (112) : marche.\nM. MOREL Jean (214) : alité.",
            "MOREL Jean",
        );
        // the same age again: one person
        together(
            "Paul Girard, 81 ans, chute. Revu Paul Girard, 81 ans, ce matin.",
            "Paul Girard",
        );
    }

    #[test]
    fn a_surname_and_a_first_name_in_a_tables_cell_are_one_person() {
        let t = "| Participant | Âge |\n|---|---|\n| Vasseur, Gilbert | 84 |\n\
                 | Vasseur, Paulette | 81 |\n";
        apart(t, "Vasseur");
        let p = pseudonyms(t, &["Vasseur", "Gilbert"]);
        assert_eq!(p[0][0], p[1][0]);
        // a word before the comma that may be a first name too is no one
        // else's (« Marie, Paul » may list two people)
        let t = "| Participant | Âge |\n|---|---|\n| Gauthier, Odile | 84 |\n\
                 | Gauthier, Paulette | 81 |\n";
        apart(t, "Gauthier");
    }

    #[test]
    fn a_couple_in_lower_case_is_neither_spouse() {
        apart(
            "monsieur et madame roussel vus ensemble madame roussel tousse depuis hier",
            "roussel",
        );
    }

    #[test]
    fn a_kinship_before_a_bracket_is_the_names_role() {
        apart(
            "Sa grand-mère (Odette Lamy, 90 ans) et sa mère (Odette Lamy aussi) viendront.",
            "Odette Lamy",
        );
    }

    #[test]
    fn a_surname_after_a_plural_is_the_family_not_one_bearer() {
        let t = "Mme Odile Carrel, 85 ans, et son époux. Les Carrel souhaitent rentrer chez eux.";
        never_shared(t, "Odile Carrel", "Carrel souhaitent");
        let t = "Vu Mme Carrel ce matin ; les dames Carrel refusent la séance.";
        apart(t, "Carrel");
    }

    #[test]
    fn a_surname_after_famille_is_the_family_not_one_bearer() {
        // the patient and « la famille X », a relative who calls: the
        // family is not the patient (a split at worst, never a merge)
        let t = "M. KERVAREC Yannick, 81 ans, confus ce matin. \
                 Interlocuteur famille Kervarec : épouse, à rappeler.";
        never_shared(t, "KERVAREC Yannick", "Kervarec :");
        let t = "Mme Kerbrat sortie reportée. Réunion famille Kerbrat vendredi avec l'AS.";
        apart(t, "Kerbrat");
    }

    #[test]
    fn one_surname_listed_twice_is_two_people() {
        apart("M. Roux et M. Roux sont arrivés ensemble.", "Roux");
        apart(
            "Ordonnances reçues : M. Kerbrat / M. Kerbrat, sans prénom.",
            "Kerbrat",
        );
    }

    #[test]
    fn a_first_name_in_brackets_tells_two_bearers_apart() {
        apart(
            "Mme Lacroix (Jeanine, ch. 12) marche. Mme Lacroix (Huguette) refuse la séance.",
            "Lacroix",
        );
    }

    #[test]
    fn a_surname_alone_on_two_rows_of_an_export_is_two_records() {
        let t = "id;patient;motif;note\n1;KERBRAT;lombalgie;RAS\n2;KERBRAT;entorse;RAS\n";
        apart(t, "KERBRAT");
        assert!(export_row(t, t.find("KERBRAT").unwrap()).is_some());
        let prose = "Mme Kerbrat, 80 ans, chute hier soir dans sa chambre en allant aux \
                     toilettes, sans perte de connaissance, relevée par l'équipe, surveillance.";
        assert!(export_row(prose, 4).is_none());
    }

    #[test]
    fn names_that_differ_by_an_accent_are_two_people() {
        apart(
            "Séance de Sandrine Perez (genou). Séance de Sandrine Pérez (épaule).",
            "Sandrine P",
        );
        apart(
            "09:00 FAURE Michel : lombalgie.\n09:30 FAURÉ Michel : entorse.",
            "Michel",
        );
        // capitals without any accent in the text tell nothing
        together(
            "09:00 FAURE Hélène : lombalgie.\nHélène Fauré revient lundi.",
            "Hélène",
        );
    }
}
