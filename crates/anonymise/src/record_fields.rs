//! Fields of a record written as key and value, as software writes them: a
//! JSON object (« "id": "P-10293" », « "rdv_id": 884213 ») and a log's
//! pairs (« user=s.marchal »). The key says what the value is, as a
//! table's header does: a file's number (« id », « n_dossier »,
//! « bilan_id ») or a user's login (« user », « login »). A key itself is
//! no handle, whatever its underscores (« "valide_par": »).
use std::sync::OnceLock;

use regex::Regex;

use crate::Cand;

fn res() -> &'static [Regex; 2] {
    static R: OnceLock<[Regex; 2]> = OnceLock::new();
    R.get_or_init(|| {
        let r = |s: &str| Regex::new(s).expect(s);
        [
            // « "key": "value" », « "key": 884213 »
            r(r#""([A-Za-z_][A-Za-z_ °]{0,30})"[ \t]*:[ \t]*(?:"([^"\n]{1,40})"|(\d[\d\-]{2,20})\b)"#),
            // « user=s.marchal », « login=jdupont »
            r(r"\b([A-Za-z_]{2,20})=([\p{L}\d][\p{L}\d._\-]{1,30}[\p{L}\d])"),
        ]
    })
}

/// Is `start..end` a JSON object's key (« "valide_par": »)?
pub(crate) fn is_key(text: &str, start: usize, end: usize) -> bool {
    text[..start].ends_with('"')
        && text[end..]
            .strip_prefix('"')
            .is_some_and(|r| r.trim_start_matches([' ', '\t']).starts_with(':'))
}

/// The line around byte `at`.
fn line_of(text: &str, at: usize) -> &str {
    let s = text[..at].rfind('\n').map_or(0, |p| p + 1);
    let e = text[at..].find('\n').map_or(text.len(), |p| at + p);
    &text[s..e]
}

/// Does a record's line hold a person's surname or first name as a key?
fn names_a_person(line: &str) -> bool {
    ["\"nom\"", "\"prenom\"", "\"prénom\"", "\"nom_prenom\""]
        .iter()
        .any(|k| line.to_lowercase().contains(k))
}

/// Push the values whose key names a file's number or a login.
pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    let [json, pair] = res();
    for c in json.captures_iter(text).chain(pair.captures_iter(text)) {
        let key = &c[1];
        let Some(v) = c.get(2).or_else(|| c.get(3)) else {
            continue;
        };
        // a bare « id » numbers whatever the record is (an appointment, a
        // message): a person's only in a record that names the person
        if key.eq_ignore_ascii_case("id") && !names_a_person(line_of(text, v.start())) {
            continue;
        }
        crate::tables::keyed_value(text, key, v.start(), v.end(), out);
    }
}
