//! French typography: « guillemets », non-breaking spaces before : ; ! ?,
//! typographic apostrophes, dates in words; and the folding used by the
//! minimisation check (lower case, no accents).

use chrono::NaiveDate;

/// Non-breaking space (before « : » and inside guillemets).
pub const NBSP: char = '\u{a0}';

/// `2026-11-24` → `24 novembre 2026` (`1er` for the first day).
pub fn date_fr(d: NaiveDate) -> String {
    sceau_engine::model::date_fr(d)
}

/// Applies French typography to a text typed by a person: straight
/// apostrophes become ’, "…" become « … », a non-breaking space goes inside
/// guillemets and before : ; ! ? (but not in 14:30 or https://).
pub fn fr(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut open = true;
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let next = chars.get(i + 1).copied();
        match c {
            '\'' => out.push('’'),
            '"' => {
                if open {
                    out.push('«');
                    out.push(NBSP);
                } else {
                    trim_trailing_spaces(&mut out);
                    out.push(NBSP);
                    out.push('»');
                }
                open = !open;
            }
            '«' => {
                out.push('«');
                if next.is_some_and(|n| n != NBSP) {
                    out.push(NBSP);
                }
            }
            '»' => {
                trim_trailing_spaces(&mut out);
                if !out.ends_with(NBSP) {
                    out.push(NBSP);
                }
                out.push('»');
            }
            ' ' if matches!(prev, Some('«') | Some(NBSP)) => {}
            ':' | ';' | '!' | '?' => {
                let spaced = prev == Some(' ');
                let word_before = prev.is_some_and(|p| p.is_alphanumeric() || p == '»' || p == ')');
                let end_after = next.is_none_or(|n| n.is_whitespace());
                let digits_around = c == ':'
                    && prev.is_some_and(|p| p.is_ascii_digit())
                    && next.is_some_and(|n| n.is_ascii_digit());
                if spaced {
                    trim_trailing_spaces(&mut out);
                    out.push(NBSP);
                } else if word_before && end_after && !digits_around {
                    out.push(NBSP);
                }
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn trim_trailing_spaces(s: &mut String) {
    while s.ends_with(' ') || s.ends_with(NBSP) {
        s.pop();
    }
}

/// French typography for a text Sceau itself shows (questions, choice
/// labels of the law): non-breaking spaces before `? ! ;` (narrow) and `:`,
/// inside « », typographic apostrophe. Unlike [`fr`], it keeps the text as
/// written otherwise (no trimming, no quotes turned into guillemets).
pub fn label(s: &str) -> String {
    const NNBSP: char = '\u{202F}';
    let s = s.replace('\'', "’");
    let mut out = String::with_capacity(s.len() + 8);
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        match c {
            ' ' if matches!(next, Some('?' | '!' | ';')) => out.push(NNBSP),
            ' ' if matches!(next, Some(':' | '»')) => out.push(NBSP),
            ' ' if prev == Some('«') => out.push(NBSP),
            _ => out.push(c),
        }
    }
    out
}

/// Quotes a text in French guillemets, after typography; a text already
/// wrapped in « » or "" is not quoted twice.
pub fn quoted(text: &str) -> String {
    let t = text.trim();
    let inner = t
        .strip_prefix('«')
        .and_then(|s| s.strip_suffix('»'))
        .or_else(|| t.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
        .unwrap_or(t)
        .trim_matches(|c: char| c.is_whitespace());
    format!("«{NBSP}{}{NBSP}»", fr(inner))
}

/// Lower case, accents removed, apostrophes and guillemets made plain,
/// non-breaking spaces made ordinary: what the lexicon's patterns match.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'à' | 'â' | 'ä' | 'á' | 'À' | 'Â' | 'Ä' | 'Á' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => out.push('e'),
            'î' | 'ï' | 'í' | 'Î' | 'Ï' => out.push('i'),
            'ô' | 'ö' | 'ó' | 'Ô' | 'Ö' => out.push('o'),
            'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' => out.push('u'),
            'ç' | 'Ç' => out.push('c'),
            'ÿ' | 'Ÿ' => out.push('y'),
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            '’' | '‘' | 'ʼ' => out.push('\''),
            '«' | '»' | '“' | '”' => out.push('"'),
            '\u{a0}' | '\u{202f}' => out.push(' '),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Ends a sentence with a full stop when it has no final punctuation.
pub fn sentence(text: &str) -> String {
    let t = fr(text);
    match t.chars().last() {
        Some('.') | Some('!') | Some('?') | Some('…') | Some('»') | Some(':') => t,
        Some(_) => format!("{t}."),
        None => t,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_get_french_spaces_and_apostrophes() {
        assert_eq!(label("Qu'a-t-il dit ?"), "Qu’a-t-il dit\u{202F}?");
        assert_eq!(label("« oui » : non"), "«\u{a0}oui\u{a0}»\u{a0}: non");
        assert_eq!(label("  deux  "), "  deux  ");
    }

    #[test]
    fn typography() {
        assert_eq!(fr("Il dit : non"), "Il dit\u{a0}: non");
        assert_eq!(fr("Pourquoi?"), "Pourquoi\u{a0}?");
        assert_eq!(fr("à 14:30 via https://x"), "à 14:30 via https://x");
        assert_eq!(fr("l'enfant \"ici\""), "l’enfant «\u{a0}ici\u{a0}»");
        assert_eq!(quoted("« déjà »"), "«\u{a0}déjà\u{a0}»");
        assert_eq!(fold("Œdème À l’épaule"), "oedeme a l'epaule");
        assert_eq!(
            date_fr(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()),
            "24 novembre 2026"
        );
    }
}
