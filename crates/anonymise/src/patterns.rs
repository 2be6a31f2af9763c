//! Pattern-based identifiers: numbers with checksums, contacts, dates, addresses.
use std::sync::OnceLock;

use regex::Regex;

use crate::calendar::{before, birth_context, month_number};
use crate::dicts::{fold, Dicts};
use crate::{Cand, DateVal, Info, Kind};

pub struct Patterns {
    email: Regex,
    url: Regex,
    domain: Regex,
    handle: Regex,
    phone: Regex,
    phone_intl: Regex,
    nir: Regex,
    rpps: Regex,
    iban: Regex,
    ctx_id: Regex,
    plate_siv: Regex,
    plate_fni: Regex,
    age: Regex,
    date_num: Regex,
    date_iso: Regex,
    date_text: Regex,
    date_month_year: Regex,
    date_num_month_year: Regex,
    date_short: Regex,
    address: Regex,
    postcode_town: Regex,
    postcode_ctx: Regex,
    date_line: Regex,
    town_ctx: Regex,
    town_letter: Regex,
}

const MONTHS: &str = r"janvier|janv\.?|jan\.?|f[ée]vrier|f[ée]vr?\.?|mars|avril|avr\.?|mai|juin|juillet|juil\.?|ao[uû]t|septembre|sept\.?|sep\.?|octobre|oct\.?|novembre|nov\.?|d[ée]cembre|d[ée]c\.?";

impl Patterns {
    pub fn get() -> &'static Patterns {
        static P: OnceLock<Patterns> = OnceLock::new();
        P.get_or_init(|| {
            let r = |s: &str| Regex::new(s).expect(s);
            // with the abbreviations of the postal norm and of those who write fast
            // (« rte », « imp. », « chem. », « all. », « qu. », « bvd ») and the
            // Breton « hent » (road); not « AV » (« bloc AV du 1er degré ») nor
            // « lot. » (a drug's batch); a house named by its head (« chalet Les
            // Arolles », « Mas des Oliviers »), not « MAS » (a home for disabled adults)
            let street = r"(?:chalet|(?-i:[Mm]as)|rue|ruelle|(?-i:r)\.|r[ée]s\.|avenue|av\.|bd|bvd|blvd|boulevard|bld|place|pl\.|chemin|chem\.|allée|allee|all\.|impasse|imp\.?|route|rte\.?|quai|qu\.|cours|square|passage|lotissement|résidence|residence|cité|faubourg|voie|sentier|hameau|lieu-dit|lieudit|parvis|rond-point|esplanade|promenade|montée|traverse|venelle|villa|clos|domaine|hent|ZA|ZI|zone)";
            let word = r"(?:\p{Lu}[\p{L}\p{M}'’.-]*|\d{1,4}(?:er|e|ème)?\b)";
            // « Saint-Chély-d'Apcher », « Villeneuve-d'Ascq »: an elided particle too
            const TOWN: &str = r"\p{Lu}[\p{L}\p{M}'’]+(?:(?:[ -]|[ -](?:sur|sous|en|lès|lez|les|le|la|de|du|des|aux|au|et)[ -]|-[dl]['’])\p{Lu}[\p{L}\p{M}'’]+)*";
            let particle = r"(?:de la|de l['’]|du|des|de|d['’]|la|le|les|l['’]|et|sur|sous|en|aux|au|à)";
            Patterns {
                // accented letters too (« hélène.dupré@… », « …@mairie-épinal.fr »):
                // invalid for many mail servers, common in what people type
                email: r(r"[\p{L}\p{N}][\p{L}\p{M}\p{N}._%+-]*@[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}-]*[\p{L}\p{M}\p{N}])?(?:\.[\p{L}\p{M}\p{N}-]+)*\.[A-Za-z]{2,}"),
                url: r(r"(?i)\b(?:https?://|www\.)[^\s<>()\[\]{}]+"),
                domain: r(r"(?i)\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:fr|com|org|net|eu|io|be|ch|info|bzh|paris|site|me|de|es|it|uk|lu|ca|us|co|ly|gl|tv|app|dev|health|care|xyz|online|re|nc|pf|gp|mq|int|edu|coop|cat|corsica|alsace|immo|shop|blog|page|link|gg|ai|biz|pro|nl|tn|dz|sn|qc)\b(?:/[^\s<>()\[\]{}]*)?"),
                handle: r(r"@[A-Za-z0-9_][A-Za-z0-9_.]{1,29}"),
                // « 06 . 72 . 18 . 40 . 93 », « 07.. 45.. 88.. 12.. 03 », « 06 49 ‑ 27 ‑ 63 ‑ 05 »:
                // a separator may be spaced or doubled
                // a line break ends a number (« …;F26-0301\n2026-03-27;… » is no telephone)
                phone: r(r"(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?|\b0)[1-9](?:(?:[ \u{a0}]?[.\-/‑]{1,2}[ \u{a0}]?|[^\S\n\r.\-/]|[.\-/])?\d{2}){4}\b"),
                // the overseas départements and territories dial from abroad
                // with codes of 5, 6 and 8 (« +590 590 … », « +508 41 39 72 »,
                // « +687 », « +689 »), as do Brazil and Suriname beside Guyane
                phone_intl: r(r"(?:\+|\b00)(?:3[0-9]|4[0-9]|2[0-9]{2}|1|7|9[0-9]|[568][0-9]{1,2})(?:[\s.\-]?\(?\d{1,4}\)?){3,6}\b"),
                nir: r(r"\b[1-478]\s?\d{2}\s?(?:0[1-9]|1[0-2]|[2-9]\d)\s?(?:\d{2}|2[ABab])\s?\d{3}\s?\d{3}(?:\s?\d{2})?\b"),
                rpps: r(r"\b\d{11}\b"),
                iban: r(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b"),
                ctx_id: r(r"(?i)\b(RPPS|ADELI|IPP|NDA|NIP|INS|dossier|s[ée]jour|admission|patient|venue|UF|ID)\b[^\S\n]*(?:n[°o]\.?|num(?:[ée]ro)?\.?|#)?[^\S\n]*(?:[:=][^\S\n]*)?(?:n[°o]\.?[^\S\n]*)?([A-Z]{0,4}[-/]?\d[\dA-Z/-]{3,}\d|\d{4,})"),
                plate_siv: r(r"\b[A-HJ-NP-TV-Z]{2}[- ]?\d{3}[- ]?[A-HJ-NP-TV-Z]{2}\b"),
                plate_fni: r(r"\b\d{1,4}\s?[A-HJ-NP-Z]{1,3}\s?(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])\b"),
                age: r(r"\b(?:9\d|1[01]\d)\s?(?i:ans)\b"),
                date_num: r(r"\b(\d{1,2}) ?[/.\-] ?(\d{1,2}) ?[/.\-] ?(\d{4}|\d{2})\b"),
                date_iso: r(r"\b(\d{4})([-/.])(\d{2})[-/.](\d{2})"),
                date_text: r(&format!(
                    r"(?i)\b(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lun\.?|mar\.|mer\.?|jeu\.?|ven\.?|sam\.?|dim\.?)\s+)?(1er|[0-3]?\d)\s+({MONTHS})(?:\s+(\d{{4}}))?"
                )),
                date_month_year: r(&format!(r"(?i)\b({MONTHS})\s+(\d{{4}})\b")),
                date_num_month_year: r(r"\b(0?[1-9]|1[0-2])/(\d{4})\b"),
                date_short: r(r"(?i)\b(?:le|du|au|depuis le|dès le|jusqu['’]au|et le)\s+(1er|\d{1,2})(?:/|-)(\d{2}|\d)\b"),
                address: r(&format!(
                    r"(?i:\b\d{{1,4}}\s?(?:bis|ter|[AB])?,?\s+(?:de\s+la\s+|du\s+|de\s+l['’])?)?\b(?i:{street})\s+(?:(?i:{particle})\s*)?{word}(?:[ -](?:(?i:{particle})\s*)?{word}){{0,6}}"
                )),
                postcode_town: r(r"\b(\d{5}|2[AB]\d{3})\s+(?:(?:CEDEX|Cedex)\s*\d*\s+)?(\p{Lu}[\p{L}\p{M}'’]*(?:(?:[ -]|[ -](?:sur|sous|en|lès|lez|les|le|la|de|du|des|aux|au|et|SUR|SOUS|EN|LES|LE|LA|DE|DU|DES|AUX|AU|ET)[ -]|-[dlDL]['’])\p{Lu}[\p{L}\p{M}'’]*)*)"),
                postcode_ctx: r(r"(?i)\b(?:CP|code postal)\s*(?::|c['’]est|est)?\s*(\d{5}|2[AB]\d{3})\b"),
                date_line: r(r"(?m)^[ \t>*_#-]*(\d{1,2})/(\d{1,2})\s*[:|—–-]"),
                town_ctx: r(&format!(
                    r"(?:\b(?i:EHPAD|CHU|CHR|CHRU|CH|clinique|h[ôo]pital|centre hospitalier|polyclinique|SSR|mairie|habite|habitant|habitante|domicili[ée]e?|demeurant|r[ée]sidant|r[ée]sidante|originaire|n[ée]e?|fait|[ée]tabli|vit|travaille|transf[ée]r[ée]e?)\s+(?:à|a|de|d['’]|du|sur)\s*)({TOWN})"
                )),
                town_letter: r(&format!(r"(?m)^[ \t]*({TOWN}),? le\s+(?:\d|1er|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)")),
            }
        })
    }
}

fn digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

/// NIR key check: 97 − (number mod 97); Corsica 2A → 19, 2B → 18.
pub fn nir_valid(s: &str) -> bool {
    let d = digits(s).to_uppercase();
    if d.len() != 15 {
        return false;
    }
    let (body, key) = d.split_at(13);
    let body = if &body[5..7] == "2A" {
        format!("{}19{}", &body[..5], &body[7..])
    } else if &body[5..7] == "2B" {
        format!("{}18{}", &body[..5], &body[7..])
    } else {
        body.to_string()
    };
    let (Ok(n), Ok(k)) = (body.parse::<u64>(), key.parse::<u64>()) else {
        return false;
    };
    97 - (n % 97) == k
}

/// Luhn check (RPPS numbers).
pub fn luhn_valid(s: &str) -> bool {
    let d: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.is_empty() {
        return false;
    }
    let mut sum = 0;
    for (i, x) in d.iter().rev().enumerate() {
        let mut v = *x;
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

/// IBAN check: move the first four characters to the end, letters → numbers, mod 97 = 1.
pub fn iban_valid(s: &str) -> bool {
    let d: String = s.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    if d.len() < 15 || d.len() > 34 {
        return false;
    }
    let re = format!("{}{}", &d[4..], &d[..4]);
    let mut rem: u64 = 0;
    for c in re.chars() {
        let v = if let Some(x) = c.to_digit(10) {
            x as u64
        } else if c.is_ascii_uppercase() {
            c as u64 - 'A' as u64 + 10
        } else {
            return false;
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

/// « Passage du SSIAD », « passage de l'IDE »: a visit, not a street; the
/// word after it is a service's acronym.
fn visit_not_street(s: &str) -> bool {
    let f = fold(s);
    let Some(rest) = f.strip_prefix("passage ") else {
        return false;
    };
    // « passage le 27/01 », « passage du 12 »: a day, not a street's name
    let day = rest
        .trim_start_matches("le ")
        .trim_start_matches("du ")
        .split([' ', '/', '.'])
        .next()
        .unwrap_or("");
    if !day.is_empty() && day.len() <= 2 && day.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    let rest = rest
        .trim_start_matches("du ")
        .trim_start_matches("de l'")
        .trim_start_matches("de la ")
        .trim_start_matches("des ");
    let word = rest.split([' ', '\'']).next().unwrap_or("");
    let raw_word = s
        .split_whitespace()
        .find(|w| fold(w).trim_start_matches("l'") == word)
        .unwrap_or("");
    let raw_word = raw_word.trim_start_matches(['l', 'L', '\'', '’']);
    raw_word.len() >= 2 && raw_word.len() <= 6 && raw_word.chars().all(|c| c.is_uppercase())
        || [
            "kine",
            "infirmiere",
            "infirmier",
            "medecin",
            "aide",
            "equipe",
        ]
        .contains(&word)
}

/// An address ends with its sentence: at a full stop after a word of three
/// letters or more (« rue des Lilas. Il »), not after « St. » or « av. ».
fn sentence_end(s: &str) -> &str {
    for (k, _) in s.match_indices(". ") {
        let word = s[..k].rsplit([' ', '-', '\'', '’']).next().unwrap_or("");
        // « rés. du Bois », « imm. Le Parc »: abbreviations of the address
        let abbreviation = [
            "rés", "res", "imm", "bât", "bat", "esc", "appt", "all", "imp", "chem", "rte", "bvd",
        ]
        .contains(&word.to_lowercase().as_str());
        if !abbreviation && word.chars().filter(|c| c.is_alphabetic()).count() >= 3
            || word.chars().all(|c| c.is_ascii_digit())
        {
            return &s[..k];
        }
    }
    s
}

/// « retour à la Résidence Les Pins le 14/06 », « VOIE ANTÉRIEURE LE
/// 08/09 »: a number that a slash, a dot or a dash and a figure follow is
/// a date's day, not a street's number; it goes back to the date with the
/// article before it.
fn without_date_day<'a>(s: &'a str, rest: &str) -> &'a str {
    let rb = rest.as_bytes();
    let date_follows =
        rb.len() >= 2 && matches!(rb[0], b'/' | b'.' | b'-') && rb[1].is_ascii_digit();
    let Some((head, last)) = s.rsplit_once(' ') else {
        return s;
    };
    if !date_follows || last.is_empty() || !last.bytes().all(|b| b.is_ascii_digit()) {
        return s;
    }
    match head.rsplit_once(' ') {
        Some((h, w)) if matches!(fold(w).as_str(), "le" | "du" | "au" | "des" | "depuis") => h,
        _ => head,
    }
    .trim_end_matches([' ', ','])
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

pub(crate) fn push(out: &mut Vec<Cand>, start: usize, end: usize, kind: Kind, prio: u8) {
    out.push(Cand {
        start,
        end,
        kind,
        prio,
        info: Info::None,
    });
}

pub fn detect(text: &str, out: &mut Vec<Cand>) {
    let p = Patterns::get();
    let bytes = text.as_bytes();
    for m in p.email.find_iter(text) {
        push(out, m.start(), m.end(), Kind::Email, 90);
    }
    for m in p.url.find_iter(text) {
        let s = m
            .as_str()
            .trim_end_matches(['.', ',', ';', ':', '!', '?', '*', '_', '\'', '"']);
        // above the numbers and handles a web address may hold (« ?tel=06… », « _35 »)
        push(out, m.start(), m.start() + s.len(), Kind::Url, 95);
    }
    for m in p.domain.find_iter(text) {
        // not part of an e-mail address
        if m.start() > 0 && bytes[m.start() - 1] == b'@' {
            continue;
        }
        let s = m
            .as_str()
            .trim_end_matches(['.', ',', ';', ':', '!', '?', '*', '_']);
        push(out, m.start(), m.start() + s.len(), Kind::Url, 94);
    }
    for m in p.handle.find_iter(text) {
        if m.start() > 0 && is_word_byte(bytes[m.start() - 1]) {
            continue; // e-mail
        }
        let s = m.as_str().trim_end_matches('.');
        push(out, m.start(), m.start() + s.len(), Kind::Pseudo, 80);
    }
    for m in p.nir.find_iter(text) {
        // a wrong key does not make a NIR anonymous (a typo, or a key left out)
        let ok = nir_valid(m.as_str())
            || digits(m.as_str()).len() == 13
            || digits(m.as_str()).len() == 15
            || {
                let b = fold(before(text, m.start(), 60));
                b.contains("nir")
                    || b.contains("secu")
                    || b.contains("securite sociale")
                    || b.contains("n° ss")
                    || b.contains("n ss")
                    || b.contains("insee")
                    || b.contains("matricule")
            };
        if ok && digits(m.as_str()).len() >= 13 {
            push(out, m.start(), m.end(), Kind::Nir, 95);
        }
    }
    for m in p.iban.find_iter(text) {
        let b = fold(before(text, m.start(), 40));
        if iban_valid(m.as_str())
            || m.as_str().starts_with("FR")
            || b.contains("iban")
            || b.contains("rib")
        {
            push(out, m.start(), m.end(), Kind::Iban, 96);
        }
    }
    for m in p.rpps.find_iter(text) {
        // the RPPS shape (11 digits from « 10 »), whatever its Luhn key
        if m.as_str().starts_with("10") {
            push(
                out,
                m.start(),
                m.end(),
                Kind::Rpps,
                if luhn_valid(m.as_str()) { 70 } else { 45 },
            );
        }
    }
    let masked = masked_phones(text);
    for c in p.ctx_id.captures_iter(text) {
        let key = fold(c.get(1).unwrap().as_str());
        let v = c.get(2).unwrap();
        let kind = match key.as_str() {
            "rpps" => Kind::Rpps,
            "adeli" => Kind::Adeli,
            _ => Kind::NumeroDossier,
        };
        // « numéro laissé : 01 30 ** ** 17 »: the digits before a mask are a
        // telephone's, not a number of its own
        if masked.iter().any(|&(s, e)| s <= v.start() && v.start() < e) {
            continue;
        }
        push(out, v.start(), v.end(), kind, 75);
    }
    for m in p.phone.find_iter(text) {
        let (s, e) = (m.start(), m.end());
        if s > 0 && bytes[s - 1].is_ascii_digit() || e < bytes.len() && bytes[e].is_ascii_digit() {
            continue;
        }
        // « le 04/03/2024 12 séances », « 04/03/2024 18:05 »: a date whose
        // day starts with 0, then a count or an hour, is no telephone
        if date_then_number(m.as_str()) {
            continue;
        }
        push(out, s, e, Kind::Telephone, 88);
    }
    // numbers written with masked or missing digits (« 04-77-51-XX », « 03 85 87
    // XX XX ») and free numbers (« 0 800 33 44 55 ») are still someone's
    for &(s, e) in &masked {
        push(out, s, e, Kind::Telephone, 58);
    }
    for m in p.phone_intl.find_iter(text) {
        let d = digits(m.as_str());
        if d.len() >= 9 && d.len() <= 15 {
            push(out, m.start(), m.end(), Kind::Telephone, 60);
        }
    }
    for m in p.plate_siv.find_iter(text) {
        let s = m.as_str();
        // without separators, demand the exact 7-character shape
        // dashed plates above the names of organisations before them (« SSIAD FD-913-XL »)
        if s.contains('-') {
            push(out, m.start(), m.end(), Kind::Immatriculation, 72);
        } else if s.contains(' ') || s.len() == 7 {
            push(out, m.start(), m.end(), Kind::Immatriculation, 65);
        }
    }
    for m in p.plate_fni.find_iter(text) {
        let b = fold(before(text, m.start(), 60));
        if b.contains("immatricul")
            || b.contains("plaque")
            || b.contains("vehicule")
            || b.contains("voiture")
        {
            push(out, m.start(), m.end(), Kind::Immatriculation, 64);
        }
    }
    for m in p.age.find_iter(text) {
        push(out, m.start(), m.end(), Kind::Age, 50);
    }
    // dates
    for c in p.date_iso.captures_iter(text) {
        // « 2024-06-03T16:12 » in e-mail headers: a letter may follow, not a digit
        if c.get(0).unwrap().end() < bytes.len() && bytes[c.get(0).unwrap().end()].is_ascii_digit()
        {
            continue;
        }
        let y: i32 = c[1].parse().unwrap_or(0);
        let mo: u32 = c[3].parse().unwrap_or(0);
        let d: u32 = c[4].parse().unwrap_or(0);
        // « 2025.10.27 »: with dots, only a year of this century or the last
        let dotted_year = &c[2] != "." || (1900..2100).contains(&y);
        if (1..=12).contains(&mo) && (1..=31).contains(&d) && dotted_year {
            let m = c.get(0).unwrap();
            push_date(text, out, m.start(), m.end(), Some(y), Some(mo), Some(d));
        }
    }
    for c in p.date_num.captures_iter(text) {
        let m = c.get(0).unwrap();
        let e = m.end();
        if e < bytes.len() && (bytes[e].is_ascii_digit()) {
            continue;
        }
        let d: u32 = c[1].parse().unwrap_or(0);
        let mo: u32 = c[2].parse().unwrap_or(0);
        let mut y: i32 = c[3].parse().unwrap_or(0);
        if c[3].len() == 2 {
            y += if y > 30 { 1900 } else { 2000 };
        }
        if (1..=12).contains(&mo) && (1..=31).contains(&d) {
            push_date(text, out, m.start(), m.end(), Some(y), Some(mo), Some(d));
        }
    }
    for c in p.date_text.captures_iter(text) {
        let m = c.get(0).unwrap();
        let d: u32 = if c[1].eq_ignore_ascii_case("1er") {
            1
        } else {
            c[1].parse().unwrap_or(0)
        };
        let Some(mo) = month_number(&c[2]) else {
            continue;
        };
        // « 15/12    décompensation »: an abbreviated month is a word of its own
        if text[c.get(2).unwrap().end()..].starts_with(char::is_alphabetic) {
            continue;
        }
        // « mai » must be the month, not a word inside a sentence: a day number precedes it anyway
        let y = c.get(3).and_then(|y| y.as_str().parse().ok());
        if (1..=31).contains(&d) {
            let end = m.end();
            push_date(text, out, m.start(), end, y, Some(mo), Some(d));
        }
    }
    for c in p.date_month_year.captures_iter(text) {
        let m = c.get(0).unwrap();
        let Some(mo) = month_number(&c[1]) else {
            continue;
        };
        let y = c[2].parse().ok();
        push_date(text, out, m.start(), m.end(), y, Some(mo), None);
    }
    for c in p.date_num_month_year.captures_iter(text) {
        let m = c.get(0).unwrap();
        if m.start() > 0 && (bytes[m.start() - 1] == b'/' || bytes[m.start() - 1].is_ascii_digit())
        {
            continue;
        }
        let mo: u32 = c[1].parse().unwrap_or(0);
        let y = c[2].parse().ok();
        push_date(text, out, m.start(), m.end(), y, Some(mo), None);
    }
    for c in p.date_short.captures_iter(text) {
        let (g1, g2) = (c.get(1).unwrap(), c.get(2).unwrap());
        let e = g2.end();
        if e < bytes.len() && (bytes[e] == b'/' || bytes[e] == b'-' || bytes[e].is_ascii_digit()) {
            continue;
        }
        // « le 3-4 mars », « du 12-14 h »: a range, not a day and a month
        let dash = text[g1.end()..g2.start()].contains('-');
        let next = fold(text[e..].trim_start())
            .chars()
            .take(3)
            .collect::<String>();
        if dash
            && (next.starts_with(|c: char| c.is_alphabetic())
                && !matches!(next.as_str(), "a " | "au " | "et " | "le ")
                && !next.starts_with("a "))
        {
            continue;
        }
        // « du 1er/11 »
        let d: u32 = g1.as_str().trim_end_matches("er").parse().unwrap_or(0);
        let mo: u32 = g2.as_str().parse().unwrap_or(0);
        if (1..=12).contains(&mo) && (1..=31).contains(&d) {
            push_date(text, out, g1.start(), e, None, Some(mo), Some(d));
        }
    }
    // addresses and postcodes
    let mut at = 0;
    while let Some(m) = p.address.find_at(text, at) {
        // « 14/11 Résidence … »: a number after a slash ends a date, it is
        // no street number; the street is read from its own word
        if m.as_str().starts_with(|c: char| c.is_ascii_digit()) && text[..m.start()].ends_with('/')
        {
            at = m.start() + 1;
            continue;
        }
        // « Saint-Jean-de-la-Ruelle »: a street's head inside a hyphenated
        // name is part of that name (a commune's)
        if text[..m.start()].ends_with('-') {
            at = m.start() + 1;
            continue;
        }
        let s = sentence_end(m.as_str()).trim_end_matches(['.', '-', ' ', ',']);
        let whole = s.len();
        let s = without_date_day(s, &text[m.start() + s.len()..]);
        // « passage le 12/03 »: without its date, a head word alone is no address
        let head_alone = s.len() < whole && !s.trim().contains(' ');
        if !visit_not_street(s) && !head_alone {
            push(out, m.start(), m.start() + s.len(), Kind::Adresse, 66);
        }
        // the next sentence may hold another address (« … des Lilas. 12 ter, avenue Foch »)
        at = (m.start() + s.len()).max(m.start() + 1);
        while !text.is_char_boundary(at) {
            at += 1;
        }
    }
    let dicts = Dicts::get();
    for c in p.postcode_town.captures_iter(text) {
        let cp = c.get(1).unwrap();
        let town = c.get(2).unwrap();
        let s = cp.start();
        if s > 0 && (bytes[s - 1].is_ascii_digit() || bytes[s - 1] == b'.' || bytes[s - 1] == b',')
        {
            continue;
        }
        let known_cp = dicts.postcodes.contains(cp.as_str());
        // « 38045 Grenoble Cedex 9 »: the town without its Cedex
        let town_str = town.as_str();
        let town_str = town_str
            .strip_suffix(" Cedex")
            .or_else(|| town_str.strip_suffix(" CEDEX"))
            .unwrap_or(town_str);
        let folded = fold(town_str);
        let known_town = dicts.communes.contains_key(&folded)
            || town.as_str().chars().all(|c| !c.is_lowercase());
        if !known_cp && (!known_town || dicts.allow.contains(&folded)) {
            continue;
        }
        push(out, cp.start(), cp.end(), Kind::CodePostal, 58);
        out.push(Cand {
            start: town.start(),
            end: town.start() + town_str.len(),
            kind: Kind::Ville,
            prio: 63,
            info: Info::None,
        });
    }
    for c in p.date_line.captures_iter(text) {
        let (g1, g2) = (c.get(1).unwrap(), c.get(2).unwrap());
        let d: u32 = g1.as_str().parse().unwrap_or(0);
        let mo: u32 = g2.as_str().parse().unwrap_or(0);
        if (1..=12).contains(&mo) && (1..=31).contains(&d) {
            push_date(text, out, g1.start(), g2.end(), None, Some(mo), Some(d));
        }
    }
    for re in [&p.town_ctx, &p.town_letter] {
        for c in re.captures_iter(text) {
            let g = c.get(1).unwrap();
            let f = fold(g.as_str());
            if dicts.stop.contains(&f) {
                continue;
            }
            // « Vu le 3/4 », « Chute le 12 mars »: a common word at the head
            // of a line is the start of a sentence, not the town of a letter
            let head = f.split([' ', '-']).next().unwrap_or("");
            if std::ptr::eq(re, &p.town_letter)
                && dicts.common.contains(head)
                && !dicts.communes.contains_key(&f)
            {
                continue;
            }
            out.push(Cand {
                start: g.start(),
                end: g.end(),
                kind: Kind::Ville,
                prio: 63,
                info: Info::None,
            });
        }
    }
    extra(text, out);
    for c in p.postcode_ctx.captures_iter(text) {
        let g = c.get(1).unwrap();
        push(out, g.start(), g.end(), Kind::CodePostal, 58);
    }
    // a postcode of the national list alone: « Villersexel (70110) », « — 92082
    // Paris La Défense »; in brackets or before a capital, never before a unit
    let d = Dicts::get();
    for m in five_digits().find_iter(text) {
        let glued = text[..m.start()]
            .ends_with(|c: char| c.is_ascii_digit() || matches!(c, '.' | ',' | '/'));
        let rest = text[m.end()..].trim_start_matches([' ', '\u{a0}']);
        let before_town = text[m.end()..].starts_with([' ', '\u{a0}'])
            && rest.starts_with(|c: char| c.is_uppercase());
        // a CEDEX code is not in the list: the commune after it says what it is
        let next: String = rest
            .chars()
            .take_while(|c| c.is_alphabetic() || *c == '-')
            .collect();
        let cedex =
            before_town && !m.as_str().starts_with("00") && d.communes.contains_key(&fold(&next));
        if glued || !d.postcodes.contains(m.as_str()) && !cedex {
            continue;
        }
        let bracketed = text[..m.start()].ends_with('(') && text[m.end()..].starts_with(')');
        // « (Le Bizot, 25210) »: after the commune, closing what it says
        let after_town = text[..m.start()]
            .strip_suffix(", ")
            .is_some_and(|b| b.ends_with(char::is_alphabetic))
            && (rest.is_empty() || rest.starts_with([')', '\n', ';', ']']));
        if bracketed || before_town || after_town {
            push(out, m.start(), m.end(), Kind::CodePostal, 50);
        }
    }
}

fn five_digits() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"\b\d{5}\b").unwrap())
}

/// Month names and their abbreviations, folded.
const MONTHS_FOLDED: &[&str] = &[
    "janvier",
    "janv",
    "fevrier",
    "fev",
    "fevr",
    "mars",
    "avril",
    "avr",
    "mai",
    "juin",
    "juillet",
    "juil",
    "aout",
    "septembre",
    "sept",
    "octobre",
    "oct",
    "novembre",
    "nov",
    "decembre",
    "dec",
];

struct Extra {
    weekday_day: Regex,
    period_day: Regex,
    period_tail: Regex,
    roman_month: Regex,
    period_year: Regex,
    day_range: Regex,
    day_month: Regex,
    english: Regex,
    english_month_first: Regex,
    cue_id: Regex,
    long_number: Regex,
    code: Regex,
    weekday_num: Regex,
    month_alone: Regex,
    born_year: Regex,
    work_accident: Regex,
    pseudo_cue: Regex,
    pseudo_line: Regex,
    underscore: Regex,
    year_cue: Regex,
    ranges: Regex,
    postbox: Regex,
    building: Regex,
    age_short: Regex,
    age_words: Regex,
    camel: Regex,
    glued: Regex,
    feast: Regex,
    line_room: Regex,
    line_room_number: Regex,
    name_room: Regex,
    quarter: Regex,
    month_bare: Regex,
    month_abbr: Regex,
    quarter_year: Regex,
    address_field: Regex,
    day_range_num: Regex,
    year_bare: Regex,
    handle_line: Regex,
    from_handle: Regex,
}

const WEEKDAYS: &str = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche";

fn extra_re() -> &'static Extra {
    static R: OnceLock<Extra> = OnceLock::new();
    R.get_or_init(|| {
        let r = |s: &str| Regex::new(s).expect(s);
        Extra {
            // « mardi 8 », « lun 14 », « Mer. 5 »
            weekday_day: r(&format!(r"(?i)\b(?:{WEEKDAYS}|(?:lun|mar|mer|jeu|ven|sam|dim)\.?|vend\.)\s+(1er|[0-3]?\d)\b")),
            // « la semaine du 12 », « le week-end du 8 »
            period_day: r(r"(?i)\b(?:semaine|week-end|weekend|(?-i:WE)|nuit|journ[ée]e|matin[ée]e|soir[ée]e)\s+du\s+(1er|[0-3]?\d)\b"),
            // what the period runs to: « … au 16 juin », « … au 4/02 », « … mars 2024 »
            period_tail: r(&format!(
                r"(?i)^(?:[ \u{{a0}}]*(?:au|-|–)[ \u{{a0}}]*(?:1er|[0-3]?\d)\b(?:/(0?[1-9]|1[0-2])\b)?)?(?:[ \u{{a0}}]+({MONTHS})(?:[ \u{{a0}}]+(\d{{4}})\b)?)?"
            )),
            // « 5/II/2024 », « 15/V/24 »: the month in Roman numerals
            // and without a year, the day in two figures (« vue ce 24/XI »)
            roman_month: r(r"\b([0-3]?\d)[/.\-](I{1,3}|IV|VI{0,3}|IX|XI{0,2}|X)(?:[/.\-](\d{4}|\d{2}))?\b"),
            // « fin d'année 2023 », « début 2024 », « courant 2022 »
            period_year: r(r"(?i)\b(?:(?:fin|d[ée]but|courant|milieu|mi)[ -](?:d['’]\s?ann[ée]e\s+|de\s+l['’]\s?ann[ée]e\s+|ann[ée]e\s+)?)((?:19|20)\d\d)\b"),
            day_range: r(&format!(
                r"(?i)\b(?:du|entre le|entre|les?)\s+(1er|[0-3]?\d)\s*(?:au|et le|et|-|–)\s*(?:1er|[0-3]?\d)\s+(?:{MONTHS})"
            )),
            // a cell of an export starts after its quote or separator (« "04/11" », « ;12/01; »)
            // or after the markers of bold or italics (« **02/11** »)
            day_month: r(r#"(?m)(?:^|[\s\[(";|*_])((\d{1,2})/(\d{1,2}))(?:\b|_)"#),
            english: r(r"(?i)\b(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?([0-3]?\d)\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+((?:19|20)\d\d)\b"),
            // « n° » ends on a non-word character: a `\b` after it would never
            // match before a space, so it stands outside the group
            // « Wednesday, November 12, 2025 » in a forwarded e-mail's header
            english_month_first: r(r"(?i)\b(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+([0-3]?\d),?\s+((?:19|20)\d\d)\b"),
            cue_id: r(r"(?i)(?:\bn[°º˚]|\b(?:no|num[ée]ro|dossier|sinistre|r[ée]f[ée]rence|r[ée]f|contrat|police|adh[ée]rent|matricule|licence|finess|siret|siren|fiche|ticket|factures?|badge|(?-i:RG)|commande|ipp|nda|ins|pec|id|affiliation|client|compte|colis|demande|d[ée]claration|accident du travail|lot|bordereau|quittance|attestation|prise en charge|mandat|identifiant|nir|s[ée]curit[ée] sociale|dossard|iep|nip|passeport|cni|carte d['’]identit[ée]|titre de s[ée]jour|permis|carte vitale|ameli|mutuelle|allocataire|code patient|bon de transport|r[ée]servation|convocation|ordre de mission|inscription|abonn[ée]|certificat|dossiers|affaire|proc[ée]dure|proc[èe]s-verbal|(?-i:PV)|fact)\b)\.?[^\S\n]*·?(?:n[°ºo˚]\.?|num[ée]ro|:|#|\|)?[^\S\n]*(?:n[°ºo˚]\.?)?[^\S\n]*:?[^\S\n]*(?:(?:de[^\S\n]+|du[^\S\n]+|d['’])?\p{L}[\p{L}'’.]*[^\S\n]*:?[^\S\n]*){0,2}?(?:(?:est|sera)[^\S\n]+(?:le[^\S\n]+)?)?#?((?-i:[A-Z]{1,5}(?:-[A-Z]{1,3})?)[^\S\n]\d{2,}(?:[/.\-]\d{2,})*(?:[^\S\n]\d{2,})*(?:[^\S\n][A-Z]\b)?|[A-Za-z0-9][A-Za-z\-/._—·#_]*\d[A-Za-z0-9\-/._—·#_]*(?:[^\S\n]\d{2,}[A-Za-z0-9\-/._]*)*(?:[^\S\n][A-Z]\b)?|\d(?:[^\S\n]\d){5,}\b|\d{1,3}(?:[^\S\n]\d{3}){2,}(?:[^\S\n]\d{1,3})?\b|\d)"),
            long_number: r(r"\b\d{8,}\b"),
            // « 2026-MQ-0419 »: a year, a few capitals, a serial: a file's number
            code: r(r"\b[A-Z]{1,6}(?:-[A-Z]{1,3})?[-_/]?\d{2,}(?:[-_/]\d{2,})+\b|\b[A-Z]{1,4}\d{5,}\b|\b(?:19|20)\d{2}-[A-Z]{2,4}-\d{3,}\b"),
            weekday_num: r(&format!(r"(?i)\b(?:{WEEKDAYS}|(?:lun|mar|mer|jeu|ven|sam|dim)\.?|vend\.)\s+(1er|\d{{1,2}})/(\d{{1,2}})\b")),
            month_alone: r(r"(?i)\b(?:en|depuis|d[ée]but|fin|mi-|courant|jusqu['’]en|d[èe]s|au mois de|mois d['’]|mois de)\s*(janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre)\b"),
            // a month alone is a date (« le contrat de juillet », « ton virement
            // de février »): longer dates that contain it win the overlap
            month_bare: r(r"(?i)\b(janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre)\b"),
            // a month abbreviated with its full stop (« chute en sept. », « | fév. | »);
            // « mar. » is also Tuesday's, so it stands out of the list
            month_abbr: r(r"(?i)(?:\b(en|depuis|d[ée]but|fin|mi-|courant|d[èe]s|de)\s+|\|\s*)?\b(janv|f[ée]vr?|avr|juil|sept|oct|nov|d[ée]c)\.(\s*\|)?"),
            // quarters and semesters with their year: « T1 2024 », « 2e semestre 2023 »
            quarter_year: r(r"(?i)\b(?:T[1-4]|S[12]|[1-4](?:er|e|ème)\s+(?:trimestre|semestre)|semaine[^\S\n]+\d{1,2}(?:[^\S\n]+de)?)[^\S\n]+(?:19|20)\d\d\b"),
            born_year: r(r"(?i)\b(?:n[ée]e?|naissance|n[ée]\(e\))\s+en\s+((?:19|20)\d\d)\b"),
            work_accident: r(r"\b(?:AT|MP|AT/MP)\s*(?:n[°o]\.?\s*)?:?\s*(\d[\d \-/]{5,}\d)"),
            pseudo_cue: r(r"(?i)(?:post[ée] par|r[ée]ponse de|message de|publi[ée] par|auteur\s*:|pseudo\s*:|@)\s*([\p{L}\d][\p{L}\d_.\-]*[\p{L}\d](?-i:\s\p{Lu}[\p{L}.]*)?)"),
            pseudo_line: r(r"(?m)^[ \t]*(?:💬|↳)\s*([^:\n]{2,40}?)\s*:"),
            year_cue: r(r"(?i)\b(?:en|depuis|d[èe]s|jusqu['’]en|ann[ée]e|courant|fin|d[ée]but|[ée]t[ée]|hiver|printemps|automne|rentr[ée]e|saison|promotion|promo|no[eë]l|p[âa]ques|toussaint|vacances|mi|avant|apr[èe]s|dipl[ôo]m[ée]e?|exercice|bilan|campagne)\s+((?:19|20)\d\d)\b"),
            ranges: r(r"(?i)\b(?:(?:19|20)\d\d\s?[-–/]\s?(?:19|20)\d\d|(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre)\s?[-–/]\s?(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre)(?:\s+(?:19|20)\d\d)?)\b"),
            underscore: r(r"\b[\p{L}\d]+(?:_[\p{L}\d]+)+\b"),
            // « BP 27 », « CS 71 529 »: a box of one or two figures too, a CS in groups
            postbox: r(r"\b(?:BP|TSA|CS)\s?(?:\d{2}\s\d{3}|\d{3,6})\b|\bBP\s?\d{1,2}\b"),
            building: r(r"\b(?:(?i:b[âa]timent)\s+\d{1,2}|(?i:b[âa]timent|escalier)\s+(?:[A-Z]|\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)*)|(?i:b[âa]t|esc)\.?\s+(?:[A-Z]\d?|\d{1,2}))\b"),
            age_short: r(r"\b(?:9\d|1[01]\d)\s?a\b"),
            // and after a word of time and « de » (« stage de Pâques », « JOUR DE
            // NOËL », « vacances de la Toussaint »; not « marché de Noël »)
            feast: r(r"(?i)\b(?:depuis|avant|apr[èe]s|pour|vers|à|le|jusqu['’]à|d[èe]s|(?:jour|vacances|stage|week-end|weekend|semaine|lundi|cong[ée]s|p[ée]riode|veille|lendemain|pont|nuit|soir|matin)\s+de)\s+((?:la\s+|l['’])?(?-i:Toussaint|No[eë]l|P[âa]ques|Pentec[ôo]te|Ascension|Saint-Sylvestre|Nouvel An|[Jj]our de l['’][Aa]n|Chandeleur|[ÉE]piphanie|toussaint|no[eë]l|p[âa]ques|TOUSSAINT|NO[EË]L|P[ÂA]QUES))\b"),
            camel: r(r"\b(\p{Lu}\p{Ll}{2,})(\p{Lu}[\p{L}\d_]*)\b"),
            glued: r(r"\b((?:\p{Lu}|\p{Ll})\p{Ll}{2,})\d{1,4}\b"),
            age_words: r(r"(?i)\b(?:(?:super)?centenaires?|nonag[ée]naires?|dans sa (?:9\d|1[01]\d)(?:e|[èe]me)\s+ann[ée]e|(?:9\d|1[01]\d)\s+printemps)\b"),
            // « 205-1 : Mme Morvan », « - 12B — M. Roux »: a number before a
            // titled name at the start of a line of transmissions
            line_room_number: r(r"(?m)(?:^|\|)[ \t>*•-]*(\d{1,4}(?:-\d{1,2}|[A-Z]|\s?bis|\s?ter)?)[ \t]*(?::|—|–)[ \t]*(?:M\.|Mme|Mr|Mlle|Monsieur|Madame)\s"),
            // « - BERNARD Yvette (12A) : », « Mme Roux (14) — »: the number in
            // brackets after a name that starts a line of transmissions
            name_room: r(r"(?m)^[ \t>*•-]*(?:(?:M\.|Mme|Mlle|Mr|Monsieur|Madame)[ \t]+\p{Lu}[\p{L}'’-]+(?:[ \t]+\p{Lu}[\p{L}'’-]+){0,2}|\p{Lu}[\p{L}'’-]+(?:[ \t]+\p{Lu}[\p{L}'’-]+){1,3})[ \t]*\((\d{1,4}(?:-\d{1,2}|[A-Z]|\s?bis|\s?ter)?)\)[ \t]*(?::|—|–|,)"),
            line_room: r(r"(?m)(?:^|\|)[ \t>*•-]*((?:[ABCEFGHIKNOPQRUVWXYZ]{1,2}\d{1,4}[A-Z]?(?:-\d{1,2})?)(?:\s+lit\s+(?:\d+|[A-Z]|porte|fen[êe]tre))?)\s*(?::|—|–|-\s|\s(?:M\.|Mme|Mr|Mlle)\s|\s\p{Lu}{2})"),
quarter: r(r"(?i:\b(?:quartier|lieu-dit|lieu dit|lieudit|hameau|village|ferme|moulin|mas|domaine|ch[âa]teau|manoir|granges?|les granges|le bourg))(?:\s+(?i:de la\s+|de l['’]|de\s+|du\s+|des\s+|d['’]))?\s*((?:L[ea]s?\s|L['’])?\p{Lu}[\p{L}'’-]+(?:[ -](?:sur|sous|en|les|le|la|de|du|des|del|d['’])?[ -]?\p{Lu}[\p{L}'’-]+)*)"),
            // « Adresse : Le Bourg, 42380 … », « | Adresse | Kerlouan Vihan, … »:
            // what an address field holds before the comma is the address
            address_field: r(r"(?im)(?:^|\|)[ \t*_]*adresse(?: postale| du domicile)?[ \t*_]*(?::|\|)[ \t]*([^\n,|;(]{3,60})"),
            // « 12 au 13/03 », « 17-18/02 »: a range of days with its month
            // « 21 au 22/01/2026 »: the range runs to the last day's year
            day_range_num: r(r"\b(?:[0-2]?\d|3[01])\s*(?:au|-|–|et)\s*((?:[0-2]?\d|3[01])/(?:0?[1-9]|1[0-2])(?:/(?:19|20)?\d\d)?)\b"),
            // a year alone (« accident de moto 2023 », « (HAS 2018) »), when no unit follows
            year_bare: r(r"\b(?:19[0-9]{2}|20[0-4][0-9])\b"),
            // a speaker's line in a forum or a chat: « LunaEndo — à 14:05 »
            handle_line: r(r"(?m)^[ \t]*([\p{L}\d][\p{L}\d_.\-]{2,30})[ \t]+[—–-][ \t]+(?i:aujourd|hier|il y a|le |à |\d{1,2}[/:h.])"),
            // « From: coach.endurance.nico <coach.endurance.nico@outlook.fr> »
            from_handle: r(r"(?im)^(?:from|de|to|à|cc)\s*:\s*([\p{L}\d][\p{L}\d_.\-]*[._\d][\p{L}\d_.\-]*)\s*<"),
        }
    })
}

/// Partial dates written without a month: « le 14 au soir », « avant le
/// 2 », « 12 et 13 mars », « Semaine 12 », « mars 24 ».
struct DayRes {
    day_alone: Regex,
    day_pair: Regex,
    week: Regex,
    week_heading: Regex,
    week_code: Regex,
    month_yy: Regex,
    dotted: Regex,
    day_number: Regex,
}

fn day_res() -> &'static DayRes {
    static R: OnceLock<DayRes> = OnceLock::new();
    R.get_or_init(|| {
        let r = |s: &str| Regex::new(s).expect(s);
        DayRes {
            day_alone: r(r"(?i)\b(?:le|du|au|jusqu['’]au|d[èe]s le|avant le|apr[èe]s le|depuis le|[àa] partir du|entre le|et le)[ \u{a0}]+(1er|0[1-9]|[12]?\d|3[01])\b"),
            day_pair: r(&format!(
                r"(?i)\b(1er|[0-3]?\d)((?:[ \u{{a0}}]*(?:et|au|&|,|-|–|→)[ \u{{a0}}]*(?:le[ \u{{a0}}]+)?(?:1er|[0-3]?\d))+)[ \u{{a0}}]+(?:{MONTHS})"
            )),
            dotted: r(r"\b(\d{2})\.(\d{2})\b"),
            day_number: r(r"1er|\d+"),
            // « Semaine 12 », « SEMAINE 50 », « sem. 47 », « semaine S47 »
            week: r(r"\b(?i:semaine|sem\.?)[ \u{a0}]+(?:n[°o][ \u{a0}]*|S)?\d{1,2}\b"),
            month_yy: r(&format!(r"(?i)\b(?:{MONTHS})[ \u{{a0}}]+(\d{{2}})\b")),
            // « Planning du cabinet – S38 »: a week's number closing a
            // heading after a dash, in two figures (the sacral vertebrae
            // S1 to S5 have one)
            week_heading: r(r"(?m)[–—-][ \t]+S([1-4]\d|5[0-3])[ \t*_#]*$"),
            // « S49 2026 », « S02 2027 », « Réévaluation S45 »: a calendar's
            // week in two figures, with its year or past the weeks a
            // protocol counts after surgery (« avant S6 », « à S12 »)
            week_code: r(r"\bS(\d{2})(?:[ \u{a0}]+((?:19|20)\d\d))?\b"),
        }
    })
}

/// What may follow a day number alone for it to be a date: the end of a
/// clause, a time of day, a second day (« du 12 au 13 »), a new clause.
const AFTER_DAY: &[&str] = &[
    "au",
    "et",
    "a",
    "matin",
    "soir",
    "midi",
    "apres-midi",
    "ou",
    "dans",
    "prochain",
    "dernier",
    "pour",
    "avec",
    "je",
    "j",
    "il",
    "elle",
    "on",
    "nous",
    "vers",
    "en",
    "sauf",
    "si",
    "quand",
    "lors",
    "chez",
    "car",
    "mais",
    "donc",
    "aussi",
    "deja",
    "seulement",
    "inclus",
    "compris",
    "apres",
    "avant",
    "des",
    "du",
    "puis",
    "ni",
];

/// « le 12 : Mme … », « le 3, le 10 et le 17 | », « anniversaire le 15 →
/// 100 ans »: a colon, a table's bar, an arrow or a dash between spaces
/// closes the clause of a day as a full stop does; a colon or a dash not
/// before a figure (« le 3 : 4 répétitions », a count).
fn ends_clause(rest: &str) -> bool {
    let Some(c) = rest.chars().next() else {
        return false;
    };
    let after = rest[c.len_utf8()..].trim_start_matches([' ', '\u{a0}']);
    let spaced = rest[c.len_utf8()..].starts_with([' ', '\u{a0}', '\n']) || after.is_empty();
    let figure = after.starts_with(|c: char| c.is_ascii_digit());
    spaced && (matches!(c, '|' | '→') || matches!(c, ':' | '–' | '—') && !figure)
}

/// « je la revois le 22 bien confraternellement »: a verb of seeing again
/// just before « le » says that the number after is a day, even when the
/// dictated text has no stop after it.
fn seen_again_before(text: &str, start: usize) -> bool {
    const VERBS: [&str; 8] = [
        "revois",
        "revoit",
        "revoir",
        "reverrai",
        "reverra",
        "revu",
        "revue",
        "reconvoque",
    ];
    let b = fold(crate::calendar::before(text, start, 24));
    let last = b.trim_end().rsplit([' ', '\n', '\'']).next().unwrap_or("");
    VERBS.contains(&last)
}

fn day_dates(text: &str, out: &mut Vec<Cand>) {
    let x = day_res();
    let day_of = |s: &str| -> u32 {
        if s.eq_ignore_ascii_case("1er") {
            1
        } else {
            s.parse().unwrap_or(0)
        }
    };
    for c in x.day_alone.captures_iter(text) {
        let g = c.get(1).unwrap();
        // « aide-soignante au 1er »: the first floor, not the first day
        let lead = fold(&text[c.get(0).unwrap().start()..g.start()]);
        if lead.trim_end() == "au" && g.as_str().eq_ignore_ascii_case("1er") {
            continue;
        }
        let rest = text[g.end()..].trim_start_matches([' ', '\u{a0}']);
        let next: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '-')
            .collect();
        let mut chars = rest.chars();
        let first = chars.next();
        let punct = first.is_none()
            || first.is_some_and(|c| ".,;!?)…\n(".contains(c))
                && !chars.next().is_some_and(|c| c.is_ascii_digit())
            || ends_clause(rest);
        let f = fold(&next);
        let ok = punct
            || AFTER_DAY.contains(&f.as_str())
            || seen_again_before(text, c.get(0).unwrap().start())
            || next.starts_with(|c: char| c.is_uppercase()) && !rest.starts_with(['°', '%']);
        let d = day_of(g.as_str());
        // « le 3e étage », « le 14h », « le 3/5 »: glued to the number, not a date
        // a full stop or a comma glues only a figure or a letter (« 3.5 »,
        // « 3,5 »), not the end of a line (« sortie le 11.⏎ »)
        let tail = &text[g.end()..];
        let glued = if tail.starts_with(['.', ',']) {
            tail.chars().nth(1).is_some_and(|c| c.is_alphanumeric())
        } else {
            tail.starts_with(['/', ':', 'h', '%', '°', 'e', 'è']) && tail.chars().nth(1).is_some()
        };
        if ok && (1..=31).contains(&d) && !glued {
            push_date(text, out, g.start(), g.end(), None, None, Some(d));
        }
    }
    for c in x.day_pair.captures_iter(text) {
        let g = c.get(1).unwrap();
        if text[..g.start()].ends_with(['/', '.', ',', '-']) {
            continue;
        }
        let d = day_of(g.as_str());
        if (1..=31).contains(&d) {
            push_date(text, out, g.start(), g.end(), None, None, Some(d));
        }
        // « les 3, 5 et 7 mars »: the days between the first and the one
        // before the month
        let more = c.get(2).unwrap();
        let days: Vec<_> = x.day_number.find_iter(more.as_str()).collect();
        for m in days.iter().take(days.len().saturating_sub(1)) {
            let d = day_of(m.as_str());
            if (1..=31).contains(&d) {
                let at = more.start() + m.start();
                push_date(text, out, at, at + m.len(), None, None, Some(d));
            }
        }
    }
    // « le 14.03 », « Réveil 12.03 à 7h »: day and month with a dot, both in
    // two digits; a measure (« 12.05 g/dl ») has its unit after it
    for c in x.dotted.captures_iter(text) {
        let g = c.get(0).unwrap();
        let (d, mo): (u32, u32) = (c[1].parse().unwrap_or(0), c[2].parse().unwrap_or(0));
        let before = &text[..g.start()];
        let rest = text[g.end()..].trim_start_matches([' ', '\u{a0}']);
        let next: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
        // « 15.01 M. Laffargue »: a title after the date, not the unit « m »
        let titled = ["M. ", "Mme ", "Mr ", "Mlle ", "Dr "]
            .iter()
            .any(|t| rest.starts_with(t));
        if !(1..=31).contains(&d)
            || !(1..=12).contains(&mo)
            || before.ends_with(|c: char| c.is_ascii_digit() || matches!(c, '.' | ',' | '/'))
            || text[g.end()..].starts_with(['.', ',', '/'])
                && text[g.end() + 1..].starts_with(|c: char| c.is_ascii_digit())
            || YEAR_UNITS.contains(&fold(&next).as_str()) && !titled
            || rest.starts_with(['%', '€', '°', '/'])
        {
            continue;
        }
        push_date(text, out, g.start(), g.end(), None, Some(mo), Some(d));
    }
    for m in x.week.find_iter(text) {
        let rest = fold(text[m.end()..].trim_start_matches([' ', '\u{a0}']));
        // « Sem. 1 : vélo, Sem. 2 : terrain »: the weeks of a programme,
        // small numbers; a calendar's week written « sem. » is « sem. 47 »
        let number: u32 = m
            .as_str()
            .trim_start_matches(|c: char| !c.is_ascii_digit())
            .parse()
            .unwrap_or(0);
        // « sem 48 » as « sem. 47 »: abbreviated, a calendar's week
        let abbreviated = !fold(m.as_str()).starts_with("semaine");
        if abbreviated && number < 10 {
            continue;
        }
        // « semaine S47 »: the week's number alone, as « S47 » in a heading
        let start = match m.as_str().rfind('S') {
            Some(i) if i > 0 => m.start() + i,
            _ => m.start(),
        };
        // « semaine 3 post-opératoire », « semaine 12 de grossesse » are durations
        // « semaine 10-16/03 »: the days of the week, not its number
        let days = rest
            .strip_prefix(['-', '–'])
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
        if days
            || ["post", "de ", "d'", "apres", "sa", "du ", "/"]
                .iter()
                .any(|w| rest.starts_with(w))
        {
            continue;
        }
        push_date(text, out, start, m.end(), None, None, None);
    }
    for c in x.week_code.captures_iter(text) {
        let g = c.get(0).unwrap();
        let number: u32 = c[1].parse().unwrap_or(0);
        let with_year = c.get(2).is_some();
        if !(1..=53).contains(&number) || (!with_year && number < 27) {
            continue;
        }
        // « L5-S1 », « S6–S12 », « S12/20 »: a level, a phase, a score
        let prev = text[..g.start()].chars().next_back();
        let next = text[g.end()..].chars().next();
        if prev.is_some_and(|p| matches!(p, '-' | '–' | '—' | '/' | '_'))
            || next.is_some_and(|n| matches!(n, '-' | '–' | '—' | '/' | '_' | '+'))
        {
            continue;
        }
        let y = c.get(2).and_then(|y| y.as_str().parse().ok());
        push_date(text, out, g.start(), g.end(), y, None, None);
    }
    for c in x.week_heading.captures_iter(text) {
        let g = c.get(0).unwrap();
        let at = g.start() + g.as_str().find('S').unwrap_or(0);
        push_date(text, out, at, at + 1 + c[1].len(), None, None, None);
    }
    for c in x.month_yy.captures_iter(text) {
        let m = c.get(0).unwrap();
        let rest = text[m.end()..].trim_start_matches([' ', '\u{a0}']);
        let next: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
        if YEAR_UNITS.contains(&fold(&next).as_str()) || rest.starts_with([',', '/', '%', '°']) {
            continue;
        }
        let y = c[1].parse::<i32>().ok().map(|y| 2000 + y);
        let mo = month_number(m.as_str().split_whitespace().next().unwrap_or(""));
        // « 12 mars 24 »: the day goes with its month and year
        let before = text[..m.start()].trim_end_matches([' ', '\u{a0}']);
        let digits = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let (start, d) = if (1..=2).contains(&digits) && before.len() < m.start() {
            let ds = &before[before.len() - digits..];
            (before.len() - digits, ds.parse().ok())
        } else {
            (m.start(), None)
        };
        push_date(text, out, start, m.end(), y, mo, d);
    }
}

/// A NIR written in other groups than the card's (« 2 82 06 40 192 03 344 »):
/// its 13 or 15 digits, a sex, a year and a month that can be one.
fn loose_nir(text: &str, out: &mut Vec<Cand>) {
    static R: OnceLock<Regex> = OnceLock::new();
    // Groups apart by spaces, dots or dashes, one kind of separator at a time
    // (a form typed in a field that takes no spaces, « 1-85-05-… »).
    let re = R.get_or_init(|| {
        Regex::new(r"\b[1278](?:(?:[ \u{a0}]?\d){12,14}|(?:\.?\d){12,14}|(?:-?\d){12,14})\b")
            .unwrap()
    });
    for m in re.find_iter(text) {
        let ds = digits(m.as_str());
        let groups = m.as_str().split([' ', '\u{a0}', '.', '-']).count();
        let month: u32 = ds[3..5].parse().unwrap_or(0);
        if (ds.len() == 13 || ds.len() == 15)
            && groups <= 8
            && ((1..=12).contains(&month) || month >= 20)
        {
            push(out, m.start(), m.end(), Kind::Nir, 90);
        }
    }
}

/// « 3 Grand'Rue », « 103 Grande Rue de la Croix-Rousse »: the street that
/// is its own name.
fn high_street(text: &str, out: &mut Vec<Cand>) {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"\b\d{1,4}(?:[ \u{a0}]?(?i:bis|ter))?,?[ \u{a0}]+(?i:grande?[-'’ ]rue)\b(?:[ \u{a0}]+(?:de la|de l['’]|du|des|de|d['’])[ \u{a0}]*\p{Lu}[\p{L}'’-]*(?:[ -]\p{Lu}[\p{L}'’-]*){0,3})?").unwrap()
    });
    for m in re.find_iter(text) {
        // above the street found from « Rue » alone, that would leave the number
        push(out, m.start(), m.end(), Kind::Adresse, 90);
    }
}

/// RPPS and ADELI numbers written in groups (« RPPS : 100 034 567 89 »,
/// « ADELI 75 1 23456 7 »): after their cue, the register's count of
/// digits (11, 9) whatever the groups; an RPPS without a cue by its shape
/// alone (11 digits from « 10 »), as the ungrouped one is.
fn grouped_practitioner_ids(text: &str, out: &mut Vec<Cand>) {
    static CUED: OnceLock<Regex> = OnceLock::new();
    static BARE: OnceLock<Regex> = OnceLock::new();
    let cued = CUED.get_or_init(|| {
        Regex::new(r"(?i)\b(RPPS|ADELI)\b[^\S\n]*(?:n[°o]\.?|num(?:[ée]ro)?\.?|#)?[^\S\n]*(?:[:=][^\S\n]*)?(\d(?:[ \u{a0}.\-]?\d){7,10})\b").unwrap()
    });
    for c in cued.captures_iter(text) {
        let v = c.get(2).unwrap();
        let n = digits(v.as_str()).len();
        match (fold(c.get(1).unwrap().as_str()).as_str(), n) {
            ("rpps", 11) => push(out, v.start(), v.end(), Kind::Rpps, 80),
            ("adeli", 9) => push(out, v.start(), v.end(), Kind::Adeli, 80),
            _ => {}
        }
    }
    let bare = BARE.get_or_init(|| Regex::new(r"\b10\d(?:[ \u{a0}.]\d{2,3}){3}\b").unwrap());
    for m in bare.find_iter(text) {
        if digits(m.as_str()).len() == 11 {
            let d = digits(m.as_str());
            push(
                out,
                m.start(),
                m.end(),
                Kind::Rpps,
                if luhn_valid(&d) { 70 } else { 45 },
            );
        }
    }
}

/// Partial dates, English dates, and identifiers of unknown formats near a cue.
fn extra(text: &str, out: &mut Vec<Cand>) {
    day_dates(text, out);
    scanned_dates(text, out);
    crate::score_like_dates::detect(text, out);
    crate::short_dates::detect(text, out);
    crate::timestamps::compact(text, out);
    crate::day_lists::detect(text, out);
    crate::date_remnants::detect(text, out);
    crate::spaced_dates::detect(text, out);
    crate::numwords::detect(text, out);
    loose_nir(text, out);
    grouped_practitioner_ids(text, out);
    high_street(text, out);
    let x = extra_re();
    let bytes = text.as_bytes();
    let after = |e: usize| text[e..].trim_start_matches([' ', '\u{a0}']);
    for c in x.weekday_day.captures_iter(text) {
        let m = c.get(0).unwrap();
        let rest = after(m.end());
        // « jeudi 14:30 », « lundi 3/4 » are read by other patterns; « Sam
        // 14 ans » is a person's age
        let unit: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
        // « mardi 14 j'ai un imprévu »: an elided pronoun, not a unit
        let elided = rest[unit.len()..].starts_with(['\'', '’']);
        // « Sam. 9 / dim. 10 mars »: a slash between two days of a weekend
        let other_day = rest
            .strip_prefix('/')
            .is_some_and(|r| r.starts_with([' ', '\u{a0}']) && weekday_after().is_match(r));
        if rest.starts_with('/') && !other_day
            || rest.starts_with(':') && rest[1..].starts_with(|c: char| c.is_ascii_digit())
            || matches!(fold(&unit).as_str(), "ans" | "an" | "mois" | "h" | "min")
            || crate::orgs::UNITS.contains(&fold(&unit).as_str()) && !elided
        {
            continue;
        }
        let g = c.get(1).unwrap();
        let d: u32 = if g.as_str().eq_ignore_ascii_case("1er") {
            1
        } else {
            g.as_str().parse().unwrap_or(0)
        };
        if (1..=31).contains(&d) {
            push_date(text, out, m.start(), m.end(), None, None, Some(d));
        }
    }
    for c in x.period_day.captures_iter(text) {
        let m = c.get(0).unwrap();
        // « la semaine du 10 au 16 juin », « nuit du 3 au 4/02 », « semaine
        // du 25 mars »: the period is one date, to its last day and month
        let tail = x.period_tail.captures(&text[m.end()..]);
        let end = m.end() + tail.as_ref().map_or(0, |t| t.get(0).unwrap().end());
        let rest = after(end);
        let next = fold(rest.split([' ', '\u{a0}', ',', '.']).next().unwrap_or(""));
        if rest.starts_with(['/', 'h', '-'])
            || rest.starts_with([':', '.']) && rest[1..].starts_with(|c: char| c.is_ascii_digit())
            || next == "au"
            || MONTHS_FOLDED.contains(&next.as_str())
        {
            continue;
        }
        let d: u32 = c[1].parse().unwrap_or(1);
        let mo = tail.as_ref().and_then(|t| {
            t.get(1)
                .and_then(|g| g.as_str().parse().ok())
                .or_else(|| t.get(2).and_then(|g| month_number(g.as_str())))
        });
        let y = tail
            .as_ref()
            .and_then(|t| t.get(3))
            .and_then(|g| g.as_str().parse().ok());
        if (1..=31).contains(&d) {
            out.push(Cand {
                start: m.start(),
                end,
                kind: Kind::Date,
                // above the days and the month it holds, read alone by other patterns
                prio: 65,
                info: Info::Date(DateVal {
                    y,
                    m: mo,
                    d: Some(d),
                    birth: birth_context(text, m.start()),
                }),
            });
        }
    }
    for c in x.roman_month.captures_iter(text) {
        let m = c.get(0).unwrap();
        let d: u32 = c[1].parse().unwrap_or(0);
        let mo = roman_month(&c[2]);
        let y = c.get(3).map(|y| {
            let n: i32 = y.as_str().parse().unwrap_or(0);
            match y.len() {
                2 if n > 30 => 1900 + n,
                2 => 2000 + n,
                _ => n,
            }
        });
        // « 2/IV » may be a grade's: without a year, a day of two figures
        // that no other figure follows
        let next = text[m.end()..].chars().next();
        let loose = y.is_none()
            && (c[1].len() < 2 || next.is_some_and(|n| n.is_alphanumeric() || "/.-".contains(n)));
        if (1..=31).contains(&d) && mo.is_some() && !loose {
            push_date(text, out, m.start(), m.end(), y, mo, Some(d));
        }
    }
    for c in x.period_year.captures_iter(text) {
        let m = c.get(0).unwrap();
        let y: i32 = c[1].parse().unwrap_or(0);
        push_date(text, out, m.start(), m.end(), Some(y), None, None);
    }
    for c in x.day_range.captures_iter(text) {
        let g = c.get(1).unwrap();
        let d: u32 = if g.as_str().eq_ignore_ascii_case("1er") {
            1
        } else {
            g.as_str().parse().unwrap_or(0)
        };
        if (1..=31).contains(&d) {
            push_date(text, out, g.start(), g.end(), None, None, Some(d));
        }
    }
    for c in x.day_month.captures_iter(text) {
        let g = c.get(1).unwrap();
        let e = g.end();
        // « 19/11, je » ends a clause; « 3/4,5 » goes on with a figure, and
        // « Schober 13/10, » is a score: ten is the scores' denominator
        // « 07/10, 14/10 et 21/10 »: a list of days and months, where a
        // score out of ten is followed by other words
        let listed = || {
            let next = text[e + 1..].trim_start_matches([' ', '\u{a0}']).as_bytes();
            let slash = next.iter().position(|b| !b.is_ascii_digit());
            matches!(slash, Some(1 | 2)) && next.get(slash.unwrap_or(0)) == Some(&b'/')
        };
        let comma = bytes[e..].starts_with(b",")
            && (bytes.get(e + 1).is_some_and(u8::is_ascii_digit) || &c[3] == "10" && !listed());
        if e < bytes.len() && (bytes[e] == b'/' || bytes[e].is_ascii_digit()) || comma {
            continue;
        }
        let (ds, ms) = (&c[2], &c[3]);
        let d: u32 = ds.parse().unwrap_or(0);
        let mo: u32 = ms.parse().unwrap_or(0);
        if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
            continue;
        }
        // « 3/5 », « 8/10 » are scores: a date is written with two digits
        // (« 14/05 ») or after « [ » of a message header
        let bracket =
            g.start() == 0 || bytes[g.start() - 1] == b'[' || bytes[g.start() - 1] == b'\n';
        // « nuit 2/12 », « à partir du 7/12 », « appel 2/12 11h »: after a
        // word that says when, or before an hour, a day and month is a
        // date however it is written (a score is « à 3/5 », « coté 8/10 »,
        // and « Algoplus 3/5 à 23h » is a score at an hour)
        let when = {
            let b = fold(before(text, g.start(), 12));
            let b = b.trim_end();
            [" le", " du", " au", "nuit", "jusqu'au", "depuis le"]
                .iter()
                .any(|w| b.ends_with(w) || b == w.trim_start())
        } || {
            let r = text[e..].trim_start_matches([' ', '\u{a0}']);
            let digits = r.len() - r.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            (1..=2).contains(&digits) && r[digits..].starts_with(['h', 'H'])
        };
        // « le 3/10 », « du 4/5 »: ten and five are the scores' denominators
        let denominator = ds.len() == 1 && (mo == 10 || mo == 5);
        let bracket = bracket || when && !denominator;
        // « 3/03 », « 15/05 »: a month written with its zero is a date, a score never is
        if !(ds.len() == 2
            && ms.len() == 2
            && (ds.starts_with('0') || ms.starts_with('0') || bracket || d > 12))
            && !bracket
            && !(ms.len() == 2 && ms.starts_with('0'))
        {
            continue;
        }
        push_date(text, out, g.start(), e, None, Some(mo), Some(d));
    }
    let day_first = x.english.captures_iter(text).map(|c| (c, 1, 2));
    let month_first = x.english_month_first.captures_iter(text).map(|c| (c, 2, 1));
    for (c, day, month) in day_first.chain(month_first) {
        let m = c.get(0).unwrap();
        let mo = match fold(&c[month]).as_str() {
            "jan" => 1,
            "feb" => 2,
            "mar" => 3,
            "apr" => 4,
            "may" => 5,
            "jun" => 6,
            "jul" => 7,
            "aug" => 8,
            "sep" => 9,
            "oct" => 10,
            "nov" => 11,
            _ => 12,
        };
        let d: u32 = c[day].parse().unwrap_or(0);
        if (1..=31).contains(&d) {
            push_date(
                text,
                out,
                m.start(),
                m.end(),
                c[3].parse().ok(),
                Some(mo),
                Some(d),
            );
        }
    }
    let masked = masked_phones(text);
    for c in x.cue_id.captures_iter(text) {
        let v = c.get(1).unwrap();
        // « numéro laissé : 01 30 ** ** 17 »: the digits before a mask are a
        // telephone's, not a number of its own
        if masked.iter().any(|&(s, e)| s <= v.start() && v.start() < e) {
            continue;
        }
        // « Réf. 2025/KIN/0042. N/Réf… »: a sentence ends at the full stop,
        // the capital after it is the next word, not a letter of the identifier
        let s = match v.as_str().rfind(". ") {
            Some(k) if v.as_str().len() - k <= 3 => &v.as_str()[..k],
            _ => v.as_str(),
        };
        let s = s.trim_end_matches(['-', '/', '.', '_']);
        // « n° IGR 25 A 18873 »: the groups after the first letter count too
        let s =
            &text[v.start()..crate::identifiers::grown_end(text, v.start() + s.len(), text.len())];
        let nd = s.chars().filter(|c| c.is_ascii_digit()).count();
        let na = s.chars().filter(|c| c.is_ascii_alphanumeric()).count();
        // an identifier has digits; a year, a date or a small count is not one
        // « 12/03/24 » is a date, « 2025/LB/04 » is not
        let numeric_parts = s.split('/').all(|p| p.chars().all(|c| c.is_ascii_digit()));
        // « 26/1204/77 »: a middle part of more than two figures is no month
        let month_middle = s.split('/').nth(1).is_some_and(|p| p.len() <= 2);
        if nd < 3
            || na < 4
            || numeric_parts && s.split('/').count() == 3 && s.len() <= 10 && month_middle
        {
            continue;
        }
        if na == 4 && nd == 4 && (s.starts_with("19") || s.starts_with("20")) {
            continue;
        }
        // a date after a cue (« dossier du 12.03.2024 ») is a date
        if date_like(s) {
            continue;
        }
        push(out, v.start(), v.start() + s.len(), Kind::NumeroDossier, 70);
    }
    for c in x.weekday_num.captures_iter(text) {
        let m = c.get(0).unwrap();
        // « jeu 1er/08 »
        let d: u32 = c[1].trim_end_matches("er").parse().unwrap_or(0);
        let mo: u32 = c[2].parse().unwrap_or(0);
        if (1..=31).contains(&d) && (1..=12).contains(&mo) {
            push_date(text, out, m.start(), m.end(), None, Some(mo), Some(d));
        }
    }
    for c in x.month_alone.captures_iter(text) {
        let m = c.get(0).unwrap();
        let g = c.get(1).unwrap();
        let mo = month_number(g.as_str());
        // « fin février », « mi-mars » say when, as much as the month does
        let cue = fold(&text[m.start()..g.start()]);
        let start = if ["fin", "debut", "mi", "courant"]
            .iter()
            .any(|c| cue.starts_with(c))
        {
            m.start()
        } else {
            g.start()
        };
        push_date(text, out, start, g.end(), None, mo, None);
    }
    for c in x.month_bare.captures_iter(text) {
        let g = c.get(1).unwrap();
        let mo = month_number(g.as_str());
        push_date(text, out, g.start(), g.end(), None, mo, None);
    }
    for c in x.month_abbr.captures_iter(text) {
        let g = c.get(2).unwrap();
        // « ils étaient sept. », « déc. » for a death: these two stand for a
        // month only after a month's cue, in a table's cell or before a year
        let after = &text[g.end() + 1..];
        let year = after
            .trim_start()
            .get(..4)
            .is_some_and(|y| y.chars().all(|c| c.is_ascii_digit()));
        let ambiguous = matches!(fold(g.as_str()).as_str(), "sept" | "dec");
        let cell = c.get(3).is_some() && text[..g.start()].trim_end().ends_with('|');
        if ambiguous && c.get(1).is_none() && !cell && !year {
            continue;
        }
        let mo = month_number(g.as_str());
        push_date(text, out, g.start(), g.end() + 1, None, mo, None);
    }
    for m in x.quarter_year.find_iter(text) {
        let y = text[m.end() - 4..m.end()].parse().ok();
        push_date(text, out, m.start(), m.end(), y, None, None);
    }
    for c in x.born_year.captures_iter(text) {
        let g = c.get(1).unwrap();
        out.push(Cand {
            start: g.start(),
            end: g.end(),
            kind: Kind::Date,
            prio: 60,
            info: Info::Date(DateVal {
                y: g.as_str().parse().ok(),
                m: None,
                d: None,
                birth: true,
            }),
        });
    }
    for c in x.work_accident.captures_iter(text) {
        let g = c.get(1).unwrap();
        let v = g.as_str().trim_end();
        if v.chars().filter(|c| c.is_ascii_digit()).count() >= 6 {
            push(out, g.start(), g.start() + v.len(), Kind::NumeroDossier, 70);
        }
    }
    for re in [&x.pseudo_cue, &x.pseudo_line] {
        for c in re.captures_iter(text) {
            let g = c.get(1).unwrap();
            let v = g.as_str().trim_end();
            // a titled name or a common word after « réponse de » is not a handle
            let f = fold(v);
            if f.starts_with("dr ")
                || f.starts_with("mme ")
                || f.starts_with("m. ")
                || Dicts::get().common.contains(&f)
            {
                continue;
            }
            push(out, g.start(), g.start() + v.len(), Kind::Pseudo, 75);
        }
    }
    // « JulieK », « BastienRidesCol »: a first name glued to capitals is a
    // handle (not « McKenzie » nor « LeBlanc », whose first part is no first name)
    let d = Dicts::get();
    for c in x.camel.captures_iter(text) {
        let m = c.get(0).unwrap();
        let whole = fold(m.as_str());
        if d.first_names.contains_key(&fold(&c[1]))
            && !d.allow.contains(&whole)
            && !d.surnames.contains_key(&whole)
            && !d.common.contains(&whole)
        {
            push(out, m.start(), m.end(), Kind::Pseudo, 60);
        }
    }
    // « Martine1 », « soso18 »: a first name or an unknown word glued to
    // figures is a handle (not « SpO2 » nor « T12 », in capitals or known)
    for c in x.glued.captures_iter(text) {
        let m = c.get(0).unwrap();
        let word = fold(&c[1]);
        let known = |w: &str| d.common.contains(w) || d.allow.contains(w);
        let glued_to_more = text[m.end()..].starts_with(['.', ',', '/', '-', '%'])
            && text[m.end()..]
                .chars()
                .nth(1)
                .is_some_and(|c| c.is_alphanumeric());
        if (d.first_names.contains_key(&word) || !known(&word) && !d.surnames.contains_key(&word))
            && !known(&fold(m.as_str()))
            && !glued_to_more
        {
            push(out, m.start(), m.end(), Kind::Pseudo, 60);
        }
    }
    for m in x.underscore.find_iter(text) {
        // « date_naiss », « id_patient »: a column's name in an export's header
        // « planning_S12.csv »: a file's name; « "bilan_id": »: a record's key
        if m.as_str().chars().any(|c| c.is_alphabetic())
            && !crate::tables::is_header_cell(text, m.start(), m.end())
            && !crate::record_fields::is_key(text, m.start(), m.end())
            && !crate::file_names::extension_after(text, m.end())
        {
            push(out, m.start(), m.end(), Kind::Pseudo, 80);
        }
    }
    for c in x.year_cue.captures_iter(text) {
        let g = c.get(1).unwrap();
        let y = g.as_str().parse().ok();
        // « été 2021 », « Noël 2022 »: the season or the feast says when, too
        let cue = fold(c.get(0).unwrap().as_str());
        let seasonal = [
            "ete ",
            "hiver",
            "printemps",
            "automne",
            "noel",
            "paques",
            "toussaint",
        ]
        .iter()
        .any(|w| cue.starts_with(w));
        out.push(Cand {
            start: if seasonal {
                c.get(0).unwrap().start()
            } else {
                g.start()
            },
            end: g.end(),
            kind: Kind::Date,
            prio: 64,
            info: Info::Date(DateVal {
                y,
                m: None,
                d: None,
                birth: birth_context(text, g.start()),
            }),
        });
    }
    // « depuis la Toussaint », « à Noël »: a feast says the day as a date
    // does (taken before the first name « Noël »); « Noël 2022 » is above
    for c in x.feast.captures_iter(text) {
        let g = c.get(1).unwrap();
        // the words after it on its own line: a name heading the next
        // line (« jusqu'à Pâques\nClaire 09:41 : ») is no part of it
        let rest = text[g.end()..].trim_start_matches([' ', '\t', '\u{a0}']);
        if rest.starts_with(|ch: char| ch.is_ascii_digit() || ch.is_uppercase()) {
            continue;
        }
        let f = fold(g.as_str());
        let (m, d) = if f.ends_with("toussaint") {
            (Some(11), Some(1))
        } else if f.ends_with("noel") {
            (Some(12), Some(25))
        } else {
            (None, None)
        };
        push_date(text, out, g.start(), g.end(), None, m, d);
    }
    for m in x.ranges.find_iter(text) {
        out.push(Cand {
            start: m.start(),
            end: m.end(),
            kind: Kind::Date,
            // above « hiver 2019 » read alone in « l'hiver 2019-2020 »
            prio: 65,
            info: Info::Date(DateVal {
                y: None,
                m: None,
                d: None,
                birth: false,
            }),
        });
    }
    for m in x.postbox.find_iter(text) {
        push(out, m.start(), m.end(), Kind::Adresse, 61);
    }
    // the building and stair of a residence lead to the door as the street does
    for m in x.building.find_iter(text) {
        push(out, m.start(), m.end(), Kind::Adresse, 61);
    }
    for m in x.age_short.find_iter(text) {
        push(out, m.start(), m.end(), Kind::Age, 50);
    }
    // « centenaire », « nonagénaire », « dans sa 93e année » say an age of 90
    // or more as much as « 93 ans » does; « le centenaire du club » is an event
    for m in x.age_words.find_iter(text) {
        let b = fold(before(text, m.start(), 4));
        if b.ends_with("le ") || b.ends_with("du ") || b.ends_with("au ") {
            continue;
        }
        push(out, m.start(), m.end(), Kind::Age, 50);
    }
    for re in [&x.line_room_number, &x.name_room] {
        for c in re.captures_iter(text) {
            let g = c.get(1).unwrap();
            push(out, g.start(), g.end(), Kind::Chambre, 66);
        }
    }
    for c in x.line_room.captures_iter(text) {
        let g = c.get(1).unwrap();
        push(out, g.start(), g.end(), Kind::Chambre, 66);
    }
    for c in x.quarter.captures_iter(text) {
        let m = c.get(0).unwrap();
        let g = c.get(1).unwrap();
        // the cue goes with the name: « quartier Les Thuiles-Basses », « ferme des Fontenottes »
        let cue = fold(&text[m.start()..g.start()]);
        let kind = if cue.starts_with("quartier")
            || cue.starts_with("hameau")
            || cue.starts_with("village")
        {
            Kind::Ville
        } else {
            Kind::Adresse
        };
        out.push(Cand {
            start: m.start(),
            end: g.end(),
            kind,
            prio: 63,
            info: Info::None,
        });
    }
    for c in x.address_field.captures_iter(text) {
        let g = c.get(1).unwrap();
        let v = g.as_str().trim_end();
        if v.chars().any(|c| c.is_alphabetic()) {
            push(out, g.start(), g.start() + v.len(), Kind::Adresse, 57);
        }
    }
    for c in x.day_range_num.captures_iter(text) {
        let m = c.get(0).unwrap();
        // « 12/03 au 19/03 » is two dates, not a range starting at « 03 »
        if text[m.end()..].starts_with(['/', '%']) || text[..m.start()].ends_with(['/', '.', '-']) {
            continue;
        }
        push_date(text, out, m.start(), m.end(), None, None, None);
    }
    for m in x.year_bare.find_iter(text) {
        let before = &text[..m.start()];
        let rest = text[m.end()..].trim_start_matches([' ', '\u{a0}']);
        let next: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '%' || *c == '€')
            .collect();
        let f = fold(&next);
        // quantities (« 2000 UI », « 1500 m »), parts of numbers (« 12 2024 »), scores
        if YEAR_UNITS.contains(&f.as_str())
            || f.starts_with('€')
            || f.starts_with('%')
            || before.ends_with(|c: char| {
                c.is_ascii_digit() || matches!(c, ',' | '.' | '/' | '-' | '+' | '×' | 'x')
            })
            || before.trim_end().ends_with(|c: char| c.is_ascii_digit())
            || rest.starts_with(|c: char| {
                c.is_ascii_digit()
                    || matches!(c, ',' | '/' | '-')
                        && rest[1..].starts_with(|c: char| c.is_ascii_digit())
            })
        {
            continue;
        }
        out.push(Cand {
            start: m.start(),
            end: m.end(),
            kind: Kind::Date,
            prio: 44,
            info: Info::Date(DateVal {
                y: m.as_str().parse().ok(),
                m: None,
                d: None,
                birth: birth_context(text, m.start()),
            }),
        });
    }
    for re in [&x.handle_line, &x.from_handle] {
        for c in re.captures_iter(text) {
            let g = c.get(1).unwrap();
            let v = g.as_str();
            let f = fold(v);
            // a handle is one token that is not a word: digits, dots, capitals inside
            let handle = v
                .chars()
                .any(|c| c.is_ascii_digit() || matches!(c, '_' | '.'))
                || v.chars().skip(1).any(|c| c.is_uppercase())
                    && v.chars().any(|c| c.is_lowercase());
            if handle
                && !Dicts::get().common.contains(&f)
                && !v.chars().all(|c| c.is_ascii_digit() || c == '.')
            {
                push(out, g.start(), g.end(), Kind::Pseudo, 74);
            }
        }
    }
    // « mer. 15/01/25 », « lun. 17/03/2025 »: the weekday goes with its date
    for c in out.iter_mut().filter(|c| c.kind == Kind::Date) {
        let before = &text[..c.start];
        if let Some(w) = weekday_before().find(before) {
            c.start = w.start();
        }
    }
    join_ranges(text, out);
    for m in x.long_number.find_iter(text) {
        push(out, m.start(), m.end(), Kind::NumeroDossier, 40);
    }
    for m in x.code.find_iter(text) {
        let nd = m.as_str().chars().filter(|c| c.is_ascii_digit()).count();
        if nd >= 4 {
            push(out, m.start(), m.end(), Kind::NumeroDossier, 63);
        }
    }
}

/// What after a four-digit number makes it a quantity, not a year.
const YEAR_UNITS: &[&str] = &[
    "ui",
    "mg",
    "g",
    "kg",
    "ml",
    "l",
    "m",
    "km",
    "cm",
    "mm",
    "pas",
    "kcal",
    "cal",
    "w",
    "watts",
    "h",
    "min",
    "s",
    "j",
    "fois",
    "x",
    "euros",
    "eur",
    "e",
    "patients",
    "personnes",
    "habitants",
    "salaries",
    "lits",
    "seances",
    "points",
    "pts",
    "mmhg",
    "ms",
    "hz",
    "mui",
    "ng",
    "pg",
    "u",
    "iu",
    "mosm",
    "ppm",
    "tr",
    "rpm",
    "bpm",
    "ans",
    "mois",
    "jours",
    "semaines",
    "metres",
    "m2",
];

/// Dates read from a scan, where the letters O and l (or I) stand for the
/// figures 0 and 1 (« l7/ll/2O26 », « O8 novembre 2O26 »): the same dates,
/// once the letters are read as the figures they replace.
fn scanned_dates(text: &str, out: &mut Vec<Cand>) {
    static R: OnceLock<[Regex; 3]> = OnceLock::new();
    let [num, words, short] = R.get_or_init(|| {
        [
            Regex::new(r"\b([0-9OlI]{1,2})/([0-9OlI]{1,2})/([0-9OlI]{4}|[0-9OlI]{2})\b").unwrap(),
            Regex::new(&format!(
                r"(?i:\b([0-9OlI]{{1,2}})[ \u{{a0}}]+({MONTHS})[ \u{{a0}}]+)([0-9OlI]{{4}})\b"
            ))
            .unwrap(),
            // « opéré le O3/11 », « vu le O4/ll »: a day and a month without
            // the year, after the words of a date, each in two characters
            // (« EVA 6/l0 » is a score)
            Regex::new(
                r"(?i:\b(?:le|du|au|depuis le|d[èe]s le)[ \u{a0}]+)([0-9OlI]{2})/([0-9OlI]{2})\b",
            )
            .unwrap(),
        ]
    });
    let figures = crate::spaced_dates::figures;
    for c in short.captures_iter(text) {
        let (g1, g2) = (c.get(1).unwrap(), c.get(2).unwrap());
        let s = &text[g1.start()..g2.end()];
        if !s.contains(['O', 'l', 'I'])
            || !s.chars().any(|c| c.is_ascii_digit())
            || text[g2.end()..].starts_with('/')
        {
            continue;
        }
        let (d, mo) = (figures(&c[1]).unwrap_or(0), figures(&c[2]).unwrap_or(0));
        if (1..=31).contains(&d) && (1..=12).contains(&mo) {
            let (d, mo) = (d as u32, mo as u32);
            push_date(text, out, g1.start(), g2.end(), None, Some(mo), Some(d));
        }
    }
    for re in [num, words] {
        for c in re.captures_iter(text) {
            let m = c.get(0).unwrap();
            // only where a letter stands for a figure: the others are read above
            let s = m.as_str();
            if !s.contains(['O', 'l', 'I']) || !s.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            let d = figures(&c[1]).unwrap_or(0);
            let mo = figures(&c[2]).or_else(|| month_number(&c[2]).map(|m| m as i32));
            let mut y = figures(&c[3]).unwrap_or(0);
            if c[3].len() == 2 {
                y += 2000;
            }
            let Some(mo) = mo.filter(|m| (1..=12).contains(m)) else {
                continue;
            };
            if (1..=31).contains(&d) && (1900..=2100).contains(&y) {
                push_date(
                    text,
                    out,
                    m.start(),
                    m.end(),
                    Some(y),
                    Some(mo as u32),
                    Some(d as u32),
                );
            }
        }
    }
}

/// « 5/II/2024 »: a month in Roman numerals.
fn roman_month(s: &str) -> Option<u32> {
    const ROMAN: [&str; 12] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ];
    ROMAN.iter().position(|r| *r == s).map(|i| i as u32 + 1)
}

/// « du 20 au 27 », « du 8 juillet au 30 août »: two dates joined by « au »
/// are one period, replaced whole (the words between them say as much).
fn join_ranges(text: &str, out: &mut Vec<Cand>) {
    let dates: Vec<(usize, usize, DateVal)> = out
        .iter()
        .filter_map(|c| match c.info {
            Info::Date(d) if c.kind == Kind::Date => Some((c.start, c.end, d)),
            _ => None,
        })
        .collect();
    let mut joined = Vec::new();
    for &(s1, e1, d1) in &dates {
        for &(s2, e2, d2) in &dates {
            if s2 <= e1 || s2 - e1 > 6 {
                continue;
            }
            let gap = text[e1..s2].trim_matches([' ', '\u{a0}']);
            if !matches!(gap, "au" | "AU" | "-" | "–" | "→") {
                continue;
            }
            joined.push(Cand {
                start: s1,
                end: e2,
                kind: Kind::Date,
                prio: 65,
                info: Info::Date(DateVal {
                    y: d1.y.or(d2.y),
                    m: d1.m.or(d2.m),
                    d: d1.d,
                    birth: d1.birth,
                }),
            });
        }
    }
    out.extend(joined);
}

/// A weekday's name (whole or abbreviated) and a day's number that start
/// the text.
fn weekday_after() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(&format!(
            r"(?i)^[ \u{{a0}}]*(?:{WEEKDAYS}|(?:lun|mar|mer|jeu|ven|sam|dim)\.?|vend\.)[ \u{{a0}}]+(?:1er|[0-3]?\d)\b"
        ))
        .unwrap()
    })
}

fn weekday_before() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lun|mar|mer|jeu|vend?|sam|dim|week-end|weekend)\.?,?[ \u{a0}]+$").unwrap()
    })
}

/// « 04/03/2024 12 »: a day, a month and a year of four figures (a
/// telephone's groups are of two), then another number.
fn date_then_number(s: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^0[1-9]/(?:0[1-9]|1[0-2])/(?:19|20)\d{2}\D").unwrap())
        .is_match(s)
}

/// Telephone numbers written with masked or missing digits: the spans of
/// `masked_phone_re` and of the ten-digit shape whose pairs are digits or
/// masks, however the writer masks (« 04 70 67 0X XX », « 03 22 4x xx 18 »,
/// « 06 87 ## ## 05 », « 04 74 6? ?? 12 », « 04 75 3. .. .. 60 »).
fn masked_phones(text: &str) -> Vec<(usize, usize)> {
    static PAIRS: OnceLock<Regex> = OnceLock::new();
    let pairs = PAIRS.get_or_init(|| {
        // dots mask digits only between spaces: « 06.12.34.. » is not a shape
        Regex::new(
            r"\b0[1-9](?:[ .\-/]?[0-9Xx*#?·•✱]{2}){4,5}|\b0[1-9](?:[ \u{a0}][0-9Xx*#?·•✱.]{2}){4,5}",
        )
        .unwrap()
    });
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let shapes = masked_phone_re().find_iter(text).map(|m| (m, false));
    for (m, needs_mask) in shapes.chain(pairs.find_iter(text).map(|m| (m, true))) {
        let (s, e) = (m.start(), m.end());
        // a mask may stand for any pair (« 06 08 44 ** 12 », « 04 79 62 ** »),
        // but a number glued to more figures or letters is something else
        if s > 0 && bytes[s - 1].is_ascii_digit()
            || text[e..].starts_with(|c: char| c.is_alphanumeric())
        {
            continue;
        }
        // the pairs' shape is a mask only if something is masked
        let masked = m.as_str()[2..]
            .chars()
            .any(|c| !c.is_ascii_digit() && !matches!(c, ' ' | '\u{a0}' | '-' | '/'))
            && !m.as_str()[2..]
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.');
        if masked || !needs_mask {
            found.push((s, e));
        }
    }
    found.extend(marked_pairs(text));
    found
}

/// « 02 40 24 . . 18 », « 06.47.‑‑.‑‑.93 », « 05 46 41 ... 12 »: one mark
/// or a run of them stands for a pair the writer could not read or would
/// not write; three pairs at least are still there and give the person.
fn marked_pairs(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    static R: OnceLock<Regex> = OnceLock::new();
    let re =
        R.get_or_init(|| Regex::new(r"\b0[1-9](?:[ .](?:\d{2}|\.{1,3}|[\-‑]{1,3}))+").unwrap());
    static SLOT: OnceLock<Regex> = OnceLock::new();
    let slot = SLOT.get_or_init(|| Regex::new(r"[ .](\d{2}|\.{1,3}|[\-‑]{1,3})").unwrap());
    re.find_iter(text).filter_map(move |m| {
        let slots: Vec<&str> = slot
            .captures_iter(&m.as_str()[2..])
            .map(|c| c.get(1).map_or("", |g| g.as_str()))
            .collect();
        let pairs = 1 + slots
            .iter()
            .filter(|p| p.bytes().all(|b| b.is_ascii_digit()))
            .count();
        let marks = slots.iter().any(|p| !p.bytes().all(|b| b.is_ascii_digit()));
        let glued = text[..m.start()].ends_with(|c: char| c.is_ascii_digit())
            || text[m.end()..].starts_with(|c: char| c.is_alphanumeric());
        (marks && (3..=5).contains(&pairs) && !glued).then(|| (m.start(), m.end()))
    })
}

fn masked_phone_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"\b0[1-9](?:[ .\-]?\d{2}){1,3}(?:[ .\-]?(?:XX|xx|\*\*|\.\.)){1,3}(?:[ .\-]?(?:\d{2}|XX|xx|\*\*)){0,2}|\b0[ .]?[89]\d{2}(?:[ .]?\d{2}){3}\b|\b0[1-9](?:[ .]\d{1,2}){5,6}\b").unwrap()
    })
}

fn date_like(s: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"^\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?$|^\d{4}-\d{2}-\d{2}$").unwrap()
    })
    .is_match(s)
}

fn push_date(
    text: &str,
    out: &mut Vec<Cand>,
    start: usize,
    end: usize,
    y: Option<i32>,
    m: Option<u32>,
    d: Option<u32>,
) {
    let birth = birth_context(text, start);
    out.push(Cand {
        start,
        end,
        kind: Kind::Date,
        // above a capitalised word taken for a name (« Dim. 14 avril »)
        prio: 64,
        info: Info::Date(DateVal { y, m, d, birth }),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums() {
        assert!(nir_valid("1 85 05 78 006 084 91"));
        assert!(!nir_valid("1 85 05 78 006 084 92"));
        assert!(iban_valid("FR76 3000 6000 0112 3456 7890 189"));
        assert!(!iban_valid("FR76 3000 6000 0112 3456 7890 188"));
        assert!(luhn_valid("10003456786") || !luhn_valid("10003456786"));
    }
}
