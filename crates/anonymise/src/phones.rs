//! Telephone numbers in the forms the ten-digit patterns of `patterns`
//! miss: the extension after a number (« 02 96 73 40 00 poste 4521 »,
//! « … p. 21 »), a pager or a cordless set's number (« bip 318 »,
//! « DECT 3152 »), digits read wrong by OCR (« O2 98 O6 11 4O »), and a
//! number dictated in words (« zéro six quarante-deux dix-huit … »). Each
//! reaches the person as the number itself does.
use std::sync::OnceLock;

use regex::Regex;

use crate::dicts::fold;
use crate::{Cand, Info, Kind};

struct Res {
    extension: Regex,
    internal: Regex,
    ocr: Regex,
    dictated: Regex,
    pair_words: Regex,
    zero_digit: Regex,
    two_digits: Regex,
    unit_after: Regex,
}

/// One number word of two figures' worth, or a unit (joined by hyphens).
const WORD: &str = r"(?:z[ée]ro|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante)";
const DIGIT: &str = r"(?:un|deux|trois|quatre|cinq|six|sept|huit|neuf)";

fn res() -> &'static Res {
    static R: OnceLock<Res> = OnceLock::new();
    R.get_or_init(|| {
        let r = |s: &str| Regex::new(s).expect(s);
        Res {
            // right after a number: « poste 4521 », « p. 21 », « ext. 12 »
            extension: r(
                r"^[ \t\u{a0}]*(?:[,(–-][ \t\u{a0}]*)?(?i:poste|p\.|ext\.?|extension)[ \t\u{a0}]*(?:n[°o][ \t\u{a0}]*)?\d{2,5}(?:[ \t\u{a0}]\d{2})?\b",
            ),
            // an internal line, a pager or a cordless set, named by its short number
            // (five figures may be grouped, « poste 45 812 »)
            internal: r(r"(?i)\b(?:poste|bip|dect)[ \t\u{a0}]*(?:n[°o][ \t\u{a0}]*)?:?[ \t\u{a0}]*(\d{2}[ \u{a0}]\d{3}|\d{3,5})\b"),
            // the letter O for a zero and l for a one, as OCR reads them
            ocr: r(r"\b[0O][1-9](?:[ .\-]?[0-9Ol]{2}){4}\b"),
            dictated: r(&format!(r"(?i)\bz[ée]ro[ \u{{a0}}-]+{DIGIT}\b")),
            pair_words: r(&format!(
                r"(?i)^{WORD}(?:(?:-et-|[ \u{{a0}}]+et[ \u{{a0}}]+|-){WORD})*\b"
            )),
            zero_digit: r(&format!(r"(?i)^z[ée]ro[ \u{{a0}}-]+(?:{DIGIT}|\d)\b")),
            // « six deux », « neuf neuf »: a pair dictated figure by figure
            two_digits: r(&format!(
                r"(?i)^(?:z[ée]ro|{DIGIT})[ \u{{a0}}]+(?:z[ée]ro|{DIGIT})\b"
            )),
            // « sept », « dix-huit » after a word of tens written apart from
            // it (« quarante sept », « dix huit »): the pair's unit
            unit_after: r(r"(?i)^[ \u{a0}]+(un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|dix-sept|dix-huit|dix-neuf)\b"),
        }
    })
}

fn push(out: &mut Vec<Cand>, start: usize, end: usize, prio: u8) {
    out.push(Cand {
        start,
        end,
        kind: Kind::Telephone,
        prio,
        info: Info::None,
    });
}

pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    let x = res();
    let bytes = text.as_bytes();
    for m in x.ocr.find_iter(text) {
        let s = m.as_str();
        let digits = s.chars().filter(char::is_ascii_digit).count();
        let glued = m.start() > 0 && bytes[m.start() - 1].is_ascii_alphanumeric();
        if !glued && digits >= 6 && s.contains(['O', 'l']) {
            push(out, m.start(), m.end(), 86);
        }
    }
    // the extension goes with the number it follows, as one span
    let numbers: Vec<(usize, usize, u8)> = out
        .iter()
        .filter(|c| c.kind == Kind::Telephone)
        .map(|c| (c.start, c.end, c.prio))
        .collect();
    for (s, e, prio) in numbers {
        if let Some(m) = x.extension.find(&text[e..]) {
            push(out, s, e + m.end(), prio);
        }
    }
    for c in x.internal.captures_iter(text) {
        let g = c.get(1).unwrap();
        push(out, g.start(), g.end(), 61);
    }
    for m in x.dictated.find_iter(text) {
        if let Some(end) = dictated_end(text, m.end()) {
            push(out, m.start(), end, 70);
        }
    }
}

/// Where a number dictated in pairs ends, after its first two figures
/// (« zéro six »): three pairs at least, each in figures (« 99 »), as
/// « zéro » and a figure (« zéro trois »), or in words joined by hyphens
/// or « et » (« quatre-vingt-dix-neuf », « quarante et un »).
fn dictated_end(text: &str, mut at: usize) -> Option<usize> {
    let x = res();
    let mut pairs = 0;
    let mut end = at;
    while pairs < 4 {
        let rest = &text[at..];
        let skip = rest.len()
            - rest
                .trim_start_matches([' ', '\u{a0}', ',', '.', '-'])
                .len();
        let rest = &rest[skip..];
        let len = if rest.len() >= 2
            && rest.as_bytes()[..2].iter().all(u8::is_ascii_digit)
            && !rest
                .as_bytes()
                .get(2)
                .is_some_and(u8::is_ascii_alphanumeric)
        {
            2
        } else if let Some(m) = x.zero_digit.find(rest) {
            m.end()
        } else if let Some(m) = x
            .two_digits
            .find(rest)
            .filter(|m| !rest[m.end()..].starts_with('-'))
        {
            m.end()
        } else if let Some(m) = x.pair_words.find(rest) {
            let v = crate::numwords::value(m.as_str())?;
            if !(10..100).contains(&v) || fold(m.as_str()).starts_with("zero") {
                break;
            }
            // « quarante sept », « dix huit », « soixante douze »: the unit
            // written apart from its tens, and not the head of the next
            // pair (« quarante quatre-vingt-dix-neuf »)
            let unit = x.unit_after.captures(&rest[m.end()..]).filter(|u| {
                let w = fold(&u[1]);
                let tail = &rest[m.end() + u.get(0).unwrap().end()..];
                let teen = !matches!(
                    w.as_str(),
                    "un" | "deux" | "trois" | "quatre" | "cinq" | "six" | "sept" | "huit" | "neuf"
                );
                !tail.starts_with('-')
                    && match v {
                        10 => matches!(w.as_str(), "sept" | "huit" | "neuf"),
                        60 | 80 => true,
                        20 | 30 | 40 | 50 => !teen,
                        _ => false,
                    }
            });
            m.end() + unit.map_or(0, |u| u.get(0).unwrap().end())
        } else {
            break;
        };
        at += skip + len;
        end = at;
        pairs += 1;
    }
    (pairs >= 3).then_some(end)
}

#[cfg(test)]
mod tests {
    fn phones(t: &str) -> Vec<String> {
        let mut out = Vec::new();
        crate::patterns::detect(t, &mut out);
        super::detect(t, &mut out);
        out.iter()
            .filter(|c| c.kind == crate::Kind::Telephone)
            .map(|c| t[c.start..c.end].to_string())
            .collect()
    }

    #[test]
    fn an_extension_goes_with_its_number() {
        let p = phones("Joindre le cadre au 02 41 22 35 00 poste 3187 demain.");
        assert!(
            p.contains(&"02 41 22 35 00 poste 3187".to_string()),
            "{p:?}"
        );
        let p = phones("Accueil : 05 61 20 14 00, p. 42.");
        assert!(p.contains(&"05 61 20 14 00, p. 42".to_string()), "{p:?}");
    }

    #[test]
    fn pairs_dictated_with_their_units_apart_or_figure_by_figure() {
        let t = "le joindre au zéro six quarante sept dix huit zéro deux trente cinq merci";
        let p = phones(t);
        assert!(
            p.contains(&"zéro six quarante sept dix huit zéro deux trente cinq".to_string()),
            "{p:?}"
        );
        let t = "je répète zéro quatre six deux trois un quatre quatre neuf huit vient pour";
        let p = phones(t);
        assert!(
            p.contains(&"zéro quatre six deux trois un quatre quatre neuf huit".to_string()),
            "{p:?}"
        );
        let t = "tél zéro sept soixante-deux trente et un quarante quatre quatre-vingt-dix-neuf ok";
        let p = phones(t);
        assert!(
            p.contains(
                &"zéro sept soixante-deux trente et un quarante quatre quatre-vingt-dix-neuf"
                    .to_string()
            ),
            "{p:?}"
        );
    }

    #[test]
    fn a_pager_is_a_number() {
        let p = phones("Interne de garde joignable au bip 427, kiné DECT 3318.");
        assert!(
            p.contains(&"427".to_string()) && p.contains(&"3318".to_string()),
            "{p:?}"
        );
    }

    #[test]
    fn digits_read_as_letters_still_make_a_number() {
        let p = phones("Secrétariat : O5 61 3O 22 l4 (scanné).");
        assert!(p.contains(&"O5 61 3O 22 l4".to_string()), "{p:?}");
        // oxygen and a flow are no telephone
        assert!(phones("O2 2 l/min aux lunettes, O2 à 3 l").is_empty());
    }

    #[test]
    fn a_dictated_number_is_a_number() {
        let t = "rappeler sa fille au zéro six trente et un soixante-quatorze zéro deux quatre-vingt-dix-huit demain";
        let p = phones(t);
        assert!(
            p.contains(
                &"zéro six trente et un soixante-quatorze zéro deux quatre-vingt-dix-huit"
                    .to_string()
            ),
            "{p:?}"
        );
        let p = phones("le fixe c'est zéro deux 97 41 52 18 merci");
        assert!(p.contains(&"zéro deux 97 41 52 18".to_string()), "{p:?}");
        // a score of zero then a count is no number
        assert!(phones("score zéro six fois de suite").is_empty());
    }
}
