//! Figures read by a scanner: OCR puts the letters that look like figures in
//! their place (« O » and « o » for 0, « l » and « I » for 1, and in a pair
//! « S » for 5 and « B » for 8), so that « né le O4/l1/l95O », « tél. 04 7l
//! 22 4O 93 », « ch. 2O4 » or « 9O ans » escape every pattern written for
//! figures. This module reads the text again with those letters put back to
//! figures wherever they stand among figures, and keeps what the patterns
//! find there only where a letter was put back (what the figures alone gave
//! is already found). The letters are one byte and so are the figures: the
//! positions of the reading are those of the text.
use crate::{Cand, Kind};

/// The figure an OCR letter stands for, in a run that holds figures.
fn figure(c: u8) -> Option<u8> {
    match c {
        b'O' | b'o' => Some(b'0'),
        b'l' | b'I' => Some(b'1'),
        _ => None,
    }
}

/// The text with the letters of figures put back, and which bytes changed;
/// `None` when no letter stands among figures.
fn reading(text: &str) -> Option<(String, Vec<bool>)> {
    let b = text.as_bytes();
    // runs of ASCII letters and figures (a letter with an accent ends one)
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_alphanumeric() {
            let s = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            runs.push((s, i));
        } else {
            i += 1;
        }
    }
    let mut read = b.to_vec();
    let mut changed = vec![false; b.len()];
    // a run of figures and figure-like letters: « 2O26 », « l4 », « 3l2 »
    let mut numeric = vec![false; runs.len()];
    for (k, &(s, e)) in runs.iter().enumerate() {
        let w = &b[s..e];
        let figures = w.iter().filter(|c| c.is_ascii_digit()).count();
        let letters_ok = w.iter().all(|&c| c.is_ascii_digit() || figure(c).is_some());
        // « 1S », « 4B »: one figure and one letter, in a pair only (« S12 »,
        // « B12 », « 4B17 » are a week, a wing, a code)
        let pair = w.len() == 2
            && w[0].is_ascii_digit()
            && matches!(w[1], b'S' | b'B')
            && !(s > 0 && b[s - 1] == b'-');
        if figures > 0 && (letters_ok || pair) {
            numeric[k] = true;
            for j in s..e {
                let f = match b[j] {
                    b'S' if pair => Some(b'5'),
                    b'B' if pair => Some(b'8'),
                    c => figure(c),
                };
                if let Some(f) = f {
                    read[j] = f;
                    changed[j] = true;
                }
            }
        }
    }
    // letters alone between figures joined by a dot, a slash or a dash:
    // « l4.ll.2O26 », « Ol/Ol/2O26 »; a lone « l » or « O » before a group
    // of figures, as a NIR scanned begins (« l 67 O4 35 »)
    // twice: « Ol/Ol/2O26 » reaches the first « Ol » through the second
    for _ in 0..2 {
        for k in 0..runs.len() {
            let (s, e) = runs[k];
            let w = &b[s..e];
            if numeric[k] || w.len() > 4 || !w.iter().all(|&c| figure(c).is_some()) {
                continue;
            }
            let joined = |other: usize, gap: (usize, usize)| {
                numeric[other] && gap.1 == gap.0 + 1 && matches!(b[gap.0], b'.' | b'/' | b'-')
            };
            let left = k > 0 && joined(k - 1, (runs[k - 1].1, s));
            let right = k + 1 < runs.len() && joined(k + 1, (e, runs[k + 1].0));
            let lone = w.len() == 1
                && matches!(w[0], b'l' | b'O')
                && k + 1 < runs.len()
                && numeric[k + 1]
                && runs[k + 1].1 - runs[k + 1].0 >= 2
                && runs[k + 1].0 == e + 1
                && b[e] == b' '
                && (s == 0 || matches!(b[s - 1], b' ' | b':' | b'\t'))
                && (s < 2 || b[s - 2] != b'\'');
            if left || right || lone {
                numeric[k] = true;
                for j in s..e {
                    read[j] = figure(b[j]).unwrap_or(b[j]);
                    changed[j] = true;
                }
            }
        }
    }
    if !changed.iter().any(|&c| c) {
        return None;
    }
    // only ASCII bytes were replaced by ASCII bytes
    String::from_utf8(read).ok().map(|r| (r, changed))
}

/// The kinds found again in the reading: figures, not names or places.
fn of_figures(k: Kind) -> bool {
    matches!(
        k,
        Kind::Date
            | Kind::Age
            | Kind::Telephone
            | Kind::Nir
            | Kind::Rpps
            | Kind::Adeli
            | Kind::Iban
            | Kind::NumeroDossier
            | Kind::Immatriculation
            | Kind::Chambre
    )
}

pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    let Some((read, changed)) = reading(text) else {
        return;
    };
    let mut found = Vec::new();
    crate::patterns::detect(&read, &mut found);
    crate::phones::detect(&read, &mut found);
    crate::rooms::detect(&read, &mut found);
    crate::orgs::detect_rooms(&read, &mut found);
    for c in found {
        // « EVA 6/l0 », « le 3/l0 »: a day and month scanned without its
        // year is read in two characters each (`patterns`' OCR dates), as a
        // score out of ten is written in one and two
        let span = &read[c.start..c.end];
        let short = c.kind == Kind::Date
            && span.split_once('/').is_some_and(|(d, m)| {
                (d.len() == 1 || m.len() == 1)
                    && d.bytes().all(|b| b.is_ascii_digit())
                    && m.bytes().all(|b| b.is_ascii_digit())
            });
        if of_figures(c.kind) && !short && changed[c.start..c.end].iter().any(|&x| x) {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::reading;

    #[test]
    fn letters_among_figures_are_read_as_figures() {
        let (r, _) = reading("né le O4/l1/l95O, entrée l4.ll.2O26, NIR l 67 O4").unwrap();
        assert_eq!(r, "né le 04/11/1950, entrée 14.11.2026, NIR 1 67 04");
        let (r, _) = reading("du Ol/Ol/2O26").unwrap();
        assert_eq!(r, "du 01/01/2026");
        let (r, _) = reading("le 1S/O6, tél 02 40 4B 71").unwrap();
        assert_eq!(r, "le 15/06, tél 02 40 48 71");
    }

    #[test]
    fn words_stay_words() {
        assert!(reading("Il a 2 l d'oxygène, SpO2 94 %, lO min, S12, B12").is_none());
        assert_eq!(
            reading("sous O2 2 l/min").unwrap().0,
            "sous 02 2 l/min",
            "O2 alone is read 02, and finds nothing"
        );
    }
}
