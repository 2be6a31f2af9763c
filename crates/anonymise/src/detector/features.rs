//! What the learned detector sees of a token: its form, its place in the
//! line, its neighbours, the dictionaries that hold it and what the rules
//! found beside it. Features are strings (« p1=chez ») so that the weights
//! file can be read and checked by a person.
use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use crate::dicts::{fold, Dicts};
use crate::Kind;

/// Words and numbers, a hyphenated compound being one token (« Saint-Malo »).
pub fn tokens(text: &str) -> Vec<(usize, usize)> {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"[\p{L}\p{M}\d]+(?:-[\p{L}\p{M}\d]+)*").unwrap())
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect()
}

/// « Dupont » → « Xx », « CHU » → « X », « 12B » → « dX », « Saint-Malo » → « Xx-Xx ».
pub fn shape(w: &str) -> String {
    let mut s = String::new();
    for c in w.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if !s.ends_with(k) {
            s.push(k);
        }
    }
    s
}

/// The rules' kind for each token: the kind of a rule span it touches
/// (one pass over the text's bytes, whatever the number of spans).
pub fn rule_kinds(
    len: usize,
    toks: &[(usize, usize)],
    spans: &[(usize, usize, Kind)],
) -> Vec<Option<Kind>> {
    let mut at: Vec<Option<Kind>> = vec![None; len + 1];
    for &(a, b, k) in spans {
        for x in &mut at[a.min(len)..b.min(len)] {
            x.get_or_insert(k);
        }
    }
    toks.iter()
        .map(|&(s, e)| at[s..e].iter().find_map(|k| *k))
        .collect()
}

/// What stands right before a token on its line: « ^ » at the line's start,
/// else the last character that is not a space (« ( », « , », « a » for a letter).
fn before_char(text: &str, start: usize) -> String {
    let head = text[..start].trim_end_matches([' ', '\t', '\u{a0}', '\u{202f}']);
    match head.chars().next_back() {
        None | Some('\n') => "^".into(),
        Some(c) if c.is_alphanumeric() => "a".into(),
        Some(c) => c.to_string(),
    }
}

/// What stands right after a token on its line: « $ » at the line's end,
/// else the first character that is not a space.
fn after_char(text: &str, end: usize) -> String {
    let tail = text[end..].trim_start_matches([' ', '\t', '\u{a0}', '\u{202f}']);
    match tail.chars().next() {
        None | Some('\n') => "$".into(),
        Some(c) if c.is_alphanumeric() => "a".into(),
        Some(c) => c.to_string(),
    }
}

fn dict_flags(f: &str) -> String {
    let d = Dicts::get();
    let mut s = String::new();
    for (on, c) in [
        (d.first_names.contains_key(f), 'P'),
        (d.surnames.contains_key(f), 'N'),
        (d.communes.contains_key(f), 'C'),
        (d.common.contains(f), 'm'),
        (d.allow.contains(f) || d.stop.contains(f), 'K'),
        (d.establishments.contains_key(f), 'E'),
        (crate::names::is_title_word(f), 'T'),
    ] {
        if on {
            s.push(c);
        }
    }
    if s.is_empty() {
        s.push('-');
    }
    s
}

fn word_at(words: &[String], i: isize) -> String {
    if i < 0 || i as usize >= words.len() {
        return "<>".into();
    }
    words[i as usize].clone()
}

/// A text's tokens, the rules' kinds on them and how often each word is
/// written with a capital: computed once, so that a token's features cost
/// the same in a long text as in a short one.
pub struct Doc<'a> {
    pub text: &'a str,
    pub toks: Vec<(usize, usize)>,
    pub rules: Vec<Option<Kind>>,
    capitals: HashMap<String, usize>,
    /// Each token folded, and the dictionaries that hold it: computed once
    /// per token (a token's features read its neighbours' too, and the
    /// sequence model reads every token's).
    words: Vec<String>,
    flags: Vec<String>,
    /// The text's lines, in order: what a token's features read of its
    /// line, computed once (reading the line for each token made a text of
    /// one long line quadratic: 97 000 characters of numbers took 4.5 s).
    lines: Vec<Line>,
}

/// One line of the text, as the features see it.
struct Line {
    start: usize,
    /// No lower-case letter: a header (« SORTIE », « EMPLOYEUR : »).
    caps: bool,
    /// A table's cell (« | » or a tab on the line).
    cell: bool,
    /// The line ends with « : » (spaces aside).
    colon_end: bool,
    /// Where its first « : » is, if any.
    first_colon: Option<usize>,
    /// The index of its first token (or of the first token after it).
    first_tok: usize,
}

fn lines(text: &str, toks: &[(usize, usize)]) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        out.push(Line {
            start,
            caps: !line.chars().any(char::is_lowercase),
            cell: line.contains('|') || line.contains('\t'),
            colon_end: line.trim_end().ends_with(':'),
            first_colon: line.find(':').map(|p| start + p),
            first_tok: toks.partition_point(|t| t.0 < start),
        });
        start += line.len() + 1;
    }
    out
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str, spans: &[(usize, usize, Kind)]) -> Doc<'a> {
        let toks = tokens(text);
        let rules = rule_kinds(text.len(), &toks, spans);
        let mut capitals = HashMap::new();
        for &(a, b) in &toks {
            if text[a..b].chars().next().is_some_and(char::is_uppercase) {
                *capitals.entry(fold(&text[a..b])).or_insert(0) += 1;
            }
        }
        let lines = lines(text, &toks);
        let words: Vec<String> = toks.iter().map(|&(a, b)| fold(&text[a..b])).collect();
        let flags = words.iter().map(|w| dict_flags(w)).collect();
        Doc {
            text,
            toks,
            rules,
            capitals,
            words,
            flags,
            lines,
        }
    }

    /// Token `i` folded.
    pub fn word(&self, i: usize) -> &str {
        &self.words[i]
    }

    /// The features of token `i`.
    pub fn features(&self, i: usize) -> Vec<String> {
        features(self, i)
    }
}

fn features(doc: &Doc, i: usize) -> Vec<String> {
    let (text, toks, rules) = (doc.text, &doc.toks, &doc.rules);
    let (s, e) = toks[i];
    let w = &text[s..e];
    let f = doc.words[i].clone();
    let sh = shape(w);
    let flags = doc.flags[i].clone();
    let ii = i as isize;
    let words = &doc.words;
    let p1 = word_at(words, ii - 1);
    let p2 = word_at(words, ii - 2);
    let n1 = word_at(words, ii + 1);
    let shape_at = |j: isize| {
        if j < 0 || j as usize >= toks.len() {
            "<>".to_string()
        } else {
            let (a, b) = toks[j as usize];
            shape(&text[a..b])
        }
    };
    let rule_at = |j: isize| {
        if j < 0 || j as usize >= toks.len() {
            "<>"
        } else {
            rules[j as usize].map_or("-", Kind::id)
        }
    };
    let dict_at = |j: isize| {
        if j < 0 || j as usize >= toks.len() {
            "<>".to_string()
        } else {
            doc.flags[j as usize].clone()
        }
    };
    // the line in capitals is a header (« SORTIE », « EMPLOYEUR : »)
    let line = &doc.lines[doc.lines.partition_point(|l| l.start <= s) - 1];
    let caps_line = line.caps;
    // clinical vocabulary among the three words before: « stade de Tanner »
    let clinical_before = (1..=3).any(|k| dict_at(ii - k).contains('K'));
    let bc = before_char(text, s);
    let len = w.chars().count();
    let mut v = vec![
        "bias".to_string(),
        format!("w={f}"),
        format!("sh={sh}"),
        format!("len={}", len.min(8)),
        format!("dict={flags}"),
        format!("dict+sh={flags}|{sh}"),
        format!("bc={bc}"),
        format!("bc+sh={bc}|{sh}"),
        format!("p1={p1}"),
        format!("p2p1={p2}|{p1}"),
        format!("n1={n1}"),
        format!("p1+sh={p1}|{sh}"),
        format!("n1+sh={n1}|{sh}"),
        format!("psh={}", shape_at(ii - 1)),
        format!("nsh={}", shape_at(ii + 1)),
        format!("rp={}", rule_at(ii - 1)),
        format!("rn={}", rule_at(ii + 1)),
        format!("rp+sh={}|{sh}", rule_at(ii - 1)),
        format!("rn+sh={}|{sh}", rule_at(ii + 1)),
        format!("pd1={}", dict_at(ii - 1)),
        format!("pd2={}", dict_at(ii - 2)),
        format!("nd1={}", dict_at(ii + 1)),
        format!("capsline={caps_line}|{sh}"),
        format!("clinbefore={clinical_before}|{sh}"),
    ];
    if len >= 4 {
        let cs: Vec<char> = f.chars().collect();
        v.push(format!(
            "suf3={}",
            cs[cs.len() - 3..].iter().collect::<String>()
        ));
        v.push(format!("pre3={}", cs[..3].iter().collect::<String>()));
    }
    // a wider window: the word two after, and the cue words among the three
    // before wherever they stand (« adressée par le Dr », « vue à la clinique »)
    let n2 = word_at(words, ii + 2);
    v.push(format!("n2={n2}"));
    v.push(format!("n1n2={n1}|{n2}"));
    for p in [&p1, &p2, &word_at(words, ii - 3)] {
        v.push(format!("pw={p}"));
    }
    if len >= 3 {
        let cs: Vec<char> = f.chars().collect();
        v.push(format!(
            "suf2={}",
            cs[cs.len() - 2..].iter().collect::<String>()
        ));
        if len >= 5 {
            v.push(format!(
                "suf4={}",
                cs[cs.len() - 4..].iter().collect::<String>()
            ));
        }
    }
    // the line's layout: what follows the word, a table's cell, a header
    // (« Médecin traitant : »), the word's rank on its line
    let ac = after_char(text, e);
    v.push(format!("ac={ac}"));
    v.push(format!("bc+ac={bc}|{ac}"));
    v.push(format!("cell={}|{sh}", line.cell));
    v.push(format!("colonend={}", line.colon_end));
    v.push(format!(
        "colonbefore={}|{sh}",
        line.first_colon.is_some_and(|c| c < s)
    ));
    let rank = i - line.first_tok;
    v.push(format!("pos={}", rank.min(4)));
    // the same word written elsewhere in the text with a capital (or not)
    let own = usize::from(w.chars().next().is_some_and(char::is_uppercase));
    let capital_elsewhere = doc.capitals.get(&f).is_some_and(|&n| n > own);
    v.push(format!("capelse={capital_elsewhere}|{sh}"));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_collapse_runs() {
        assert_eq!(shape("Dupont"), "Xx");
        assert_eq!(shape("CHU"), "X");
        assert_eq!(shape("12B"), "dX");
        assert_eq!(shape("Saint-Malo"), "Xx-Xx");
    }

    #[test]
    fn tokens_keep_compounds_whole() {
        let t = "Vu à Saint-Malo, ch. 12B.";
        let w: Vec<&str> = tokens(t).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert_eq!(w, ["Vu", "à", "Saint-Malo", "ch", "12B"]);
    }

    #[test]
    fn features_see_neighbours_dictionaries_and_rules() {
        let t = "Suivie chez Kerbrat\nLachman négatif, vu KERBRAT";
        let doc = Doc::new(t, &[(0, 6, Kind::Nom)]);
        assert_eq!(doc.rules[0], Some(Kind::Nom));
        assert_eq!(doc.rules[1], None);
        let f = doc.features(2);
        assert!(f.contains(&"p1=chez".to_string()), "{f:?}");
        assert!(f.contains(&"bc=a".to_string()));
        assert!(f.contains(&"rp=-".to_string()));
        assert!(f.contains(&"p2p1=suivie|chez".to_string()));
        // « Lachman » starts a line and is clinical vocabulary
        assert!(f.contains(&"capelse=true|Xx".to_string()), "{f:?}");
        let f = doc.features(3);
        assert!(f.contains(&"bc=^".to_string()));
        assert!(f.contains(&"capelse=false|Xx".to_string()));
        assert!(
            f.iter().any(|x| x.starts_with("dict=") && x.contains('K')),
            "{f:?}"
        );
        let f = doc.features(1);
        assert!(f.contains(&"rp=nom".to_string()));
    }

    #[test]
    fn features_see_a_wider_window_suffixes_and_the_lines_layout() {
        let t = "Adressé par le docteur Kerbrat, Plouzané\nMédecin : Tanguy\n| Lannilis | 3 |";
        let doc = Doc::new(t, &[]);
        let at = |w: &str| doc.toks.iter().position(|&(s, e)| &t[s..e] == w).unwrap();
        let f = doc.features(at("Kerbrat"));
        for x in [
            "pw=par",
            "pw=le",
            "pw=docteur",
            "n2=medecin",
            "n1n2=plouzane|medecin",
            "suf2=at",
            "suf4=brat",
            "ac=,",
            "bc+ac=a|,",
            "cell=false|Xx",
            "colonend=false",
            "pos=4",
        ] {
            assert!(f.contains(&x.to_string()), "{x} not in {f:?}");
        }
        let f = doc.features(at("Plouzané"));
        assert!(f.contains(&"ac=$".to_string()), "{f:?}");
        let f = doc.features(at("Tanguy"));
        assert!(f.contains(&"colonbefore=true|Xx".to_string()), "{f:?}");
        assert!(f.contains(&"pos=1".to_string()), "{f:?}");
        let f = doc.features(at("Lannilis"));
        assert!(f.contains(&"cell=true|Xx".to_string()), "{f:?}");
        assert!(f.contains(&"bc+ac=|||".to_string()), "{f:?}");
        assert!(f.contains(&"pos=0".to_string()), "{f:?}");
    }
}
