//! The anonymiser never panics on a note written badly: every note of two
//! development sets, in lower case, in capitals, with non-breaking spaces,
//! with emoji between the words, without spaces, with accents added,
//! reversed, and cut at many places. A panic would lose the user's text
//! (the web page answers 500) and its message could quote the note; the
//! rules slice the text by bytes, so a cut inside a character or a token
//! glued to its neighbour is what breaks them.
use sceau_anonymise::eval::load_notes;
use sceau_anonymise::Anonymiser;

fn variants(t: &str) -> Vec<String> {
    let mut v = vec![
        t.to_lowercase(),
        t.to_uppercase(),
        t.replace(' ', "\u{a0}"),
        t.replace(' ', " 🏄 "),
        t.replace('\n', " "),
        t.replace(' ', ""),
        t.replace('e', "é"),
        t.chars().rev().collect(),
    ];
    let cuts: Vec<usize> = t.char_indices().map(|(i, _)| i).step_by(197).collect();
    for &k in &cuts {
        v.push(t[..k].to_string());
        v.push(t[k..].to_string());
    }
    v
}

#[test]
fn mangled_notes_never_panic() {
    let a = Anonymiser::new();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../eval/anonymisation/");
    let mut texts = 0;
    for set in ["dev17", "dev20"] {
        let path = format!("{root}{set}/notes.jsonl");
        let notes = load_notes(&std::fs::read_to_string(&path).expect("development set")).unwrap();
        assert!(notes.len() >= 100, "{path}");
        for note in &notes {
            for v in variants(&note.text) {
                let out = a.anonymise(&v);
                // the output is text the page shows: never longer than a
                // placeholder per character of the input
                assert!(out.text.len() <= 40 * v.len() + 40, "{}", note.id);
                texts += 1;
            }
        }
    }
    assert!(texts > 2000, "{texts} texts");
}
