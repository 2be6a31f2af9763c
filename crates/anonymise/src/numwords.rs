//! Numbers written in words, as dictations and transcripts write them: a
//! date (« le onze décembre », « né le vingt-neuf février mil neuf cent
//! cinquante-six »), an age of 90 or more (« quatre-vingt-treize ans »),
//! a room (« ch. vingt-deux », « chambre deux cent douze », « la
//! vingt-trois »). The words
//! identify as much as the figures do.
use std::sync::OnceLock;

use regex::Regex;

use crate::dicts::fold;
use crate::{Cand, DateVal, Info, Kind};

/// One number word (folded spelling and the accented one).
pub(crate) const WORD: &str = r"(?:z[ée]ro|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?|mille|mil)";

const MONTHS_FULL: &str = r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre";

struct Res {
    date: Regex,
    age: Regex,
    room: Regex,
    article_room: Regex,
    weekday: Regex,
    day_alone: Regex,
    range_start: Regex,
    year: Regex,
    street_number: Regex,
}

fn res() -> &'static Res {
    static R: OnceLock<Res> = OnceLock::new();
    R.get_or_init(|| {
        // a run of number words: « quatre-vingt-dix-neuf », « deux cent douze »,
        // « vingt et un »
        let run = format!(r"{WORD}(?:(?:-et-|[ \u{{a0}}]+et[ \u{{a0}}]+|-|[ \u{{a0}}]+){WORD})*");
        let r = |s: &str| Regex::new(s).expect(s);
        Res {
            date: r(&format!(
                r"(?i)\b(premier|{run})[ \u{{a0}}]+({MONTHS_FULL})\b(?:[ \u{{a0}}]+({run}|\d{{4}})\b)?"
            )),
            age: r(&format!(r"(?i)\b({run})[ \u{{a0}}]+ans\b")),
            room: r(&format!(
                r"(?i)\b(?:chambre|chbre|ch\.?)[ \u{{a0}}]+(?:n[°o][ \u{{a0}}]*)?({run})\b"
            )),
            // « la vingt-trois », « la deux cent cinq »: a resident named
            // by her room, as « la 214 » is
            article_room: r(&format!(
                r"(?i)\bla[ \u{{a0}}]+({run})\b([ \u{{a0}}]+\p{{L}}+)?"
            )),
            // « vue ce jour vendredi vingt-huit », « le mercredi trois »
            weekday: r(&format!(
                r"(?i)\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)[ \u{{a0}}]+(premier|{run})\b([ \u{{a0}}]+\p{{L}}+)?"
            )),
            // « du trois au quatre décembre »: the first day of a range
            range_start: r(&format!(r"(?i)\b(premier|{run})[ \u{{a0}}]+au[ \u{{a0}}]+$")),
            // « revoir le chirurgien le vingt-huit », « avant le quinze point »
            day_alone: r(&format!(
                r"(?i)\b(?:(\p{{L}}+)[ \u{{a0}}]+)?(?:le|avant le|apr[èe]s le|depuis le|d[èe]s le|jusqu['’]au)[ \u{{a0}}]+({run})\b"
            )),
            // « en mille neuf cent trente-trois », « depuis le printemps deux
            // mille vingt-quatre »: a year in words, with its season
            year: r(&format!(
                r"(?i)\b(?:(?:printemps|[ée]t[ée]|automne|hiver)[ \u{{a0}}]+)?(?:mil|mille)[ \u{{a0}}-]+neuf[ \u{{a0}}-]+cents?(?:[ \u{{a0}}-]+{run})?\b|\b(?:(?:printemps|[ée]t[ée]|automne|hiver)[ \u{{a0}}]+)?deux[ \u{{a0}}-]+mille(?:[ \u{{a0}}-]+{run})?\b([ \u{{a0}}]+\p{{L}}+)?"
            )),
            // « onze rue du Lavoir », « quinze bis rue des Pyrénées »
            street_number: r(&format!(
                r"(?i)\b({run})(?:[ \u{{a0}}]+(?:bis|ter))?[ \u{{a0}}]+$"
            )),
        }
    })
}

fn word_value(w: &str) -> Option<u32> {
    Some(match w {
        "zero" => 0,
        "un" | "une" | "premier" => 1,
        "deux" => 2,
        "trois" => 3,
        "quatre" => 4,
        "cinq" => 5,
        "six" => 6,
        "sept" => 7,
        "huit" => 8,
        "neuf" => 9,
        "dix" => 10,
        "onze" => 11,
        "douze" => 12,
        "treize" => 13,
        "quatorze" => 14,
        "quinze" => 15,
        "seize" => 16,
        "vingt" | "vingts" => 20,
        "trente" => 30,
        "quarante" => 40,
        "cinquante" => 50,
        "soixante" => 60,
        "cent" | "cents" => 100,
        "mille" | "mil" => 1000,
        _ => return None,
    })
}

/// The value of a run of French number words, up to the thousands:
/// « quatre-vingt-dix-neuf » → 99, « mil neuf cent cinquante-six » → 1956.
pub(crate) fn value(s: &str) -> Option<u32> {
    let f = fold(s);
    let (mut total, mut current) = (0u32, 0u32);
    for w in f
        .split([' ', '-', '\u{a0}'])
        .filter(|w| !w.is_empty() && *w != "et")
    {
        match word_value(w)? {
            100 => current = current.max(1) * 100,
            1000 => {
                total += current.max(1) * 1000;
                current = 0;
            }
            // « quatre-vingt(s) »: four twenties
            20 if current % 100 == 4 => current += 76,
            v => current += v,
        }
    }
    Some(total + current)
}

/// Words that make a number before them a count, not a day or a year.
const COUNTED: &[&str] = &[
    "fois",
    "heures",
    "h",
    "seances",
    "minutes",
    "min",
    "ans",
    "mois",
    "jours",
    "semaines",
    "kg",
    "kilos",
    "km",
    "metres",
    "m",
    "points",
    "pas",
    "personnes",
    "patients",
    "euros",
];

/// Where a street's number written in words starts, before a street that
/// starts at `start` (« onze rue du Lavoir »).
pub(crate) fn street_number_before(text: &str, start: usize) -> Option<usize> {
    let c = res().street_number.captures(&text[..start])?;
    let g = c.get(1)?;
    // « une place au Bois Joly »: an article, not the number one
    if matches!(fold(g.as_str()).as_str(), "un" | "une") {
        return None;
    }
    value(g.as_str()).filter(|v| (1..10000).contains(v))?;
    Some(g.start())
}

/// « né le premier avril cinquante-huit »: a year said in two words'
/// worth, of this century up to the current year (26), of the last one
/// above; not a count (« le trois mai deux séances »).
fn short_year(text: &str, words: &str, end: usize, v: i32) -> Option<i32> {
    if v >= 1000 {
        return Some(v);
    }
    let next: String = text[end..]
        .trim_start_matches([' ', '\u{a0}'])
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect();
    if words.starts_with(|c: char| c.is_ascii_digit())
        || !(1..100).contains(&v)
        || COUNTED.contains(&fold(&next).as_str())
    {
        return None;
    }
    Some(if v <= 26 { 2000 + v } else { 1900 + v })
}

/// Verbs before the emergency numbers (« appeler le quinze »): a number
/// to dial, not a day.
const DIAL: &[&str] = &[
    "appeler",
    "appelle",
    "appelez",
    "appele",
    "appel",
    "faire",
    "fait",
    "composer",
    "compose",
    "joindre",
    "contacter",
    "contacte",
    "prevenir",
    "previent",
    "prevenu",
];

/// What may follow a small day in words (below ten) for it to be a day.
const AFTER_SMALL_DAY: &[&str] = &[
    "et", "au", "a", "matin", "soir", "midi", "prochain", "dernier", "point", "pour", "vers",
];

/// A day in words after « le », « avant le », « jusqu'au »… in a
/// dictation: a day from ten before any word but a count or « de » (« le
/// dix-huit périmètre de marche », not « le quinze de France »), a smaller
/// one at the end of a clause or before a word of time (« le deux au
/// soir »).
fn day_alone(text: &str, out: &mut Vec<Cand>) {
    for c in res().day_alone.captures_iter(text) {
        let g = c.get(2).unwrap();
        let Some(d) = value(g.as_str()).filter(|d| (2..=31).contains(d)) else {
            continue;
        };
        if c.get(1)
            .is_some_and(|v| DIAL.contains(&fold(v.as_str()).as_str()))
        {
            continue;
        }
        let tail = &text[g.end()..];
        if tail.starts_with(['-', '’', '\'']) {
            continue;
        }
        let rest = tail.trim_start_matches([' ', '\u{a0}']);
        let next: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
        let f = fold(&next);
        let end = next.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit() || c == '%');
        let word = !next.is_empty()
            && next.starts_with(char::is_lowercase)
            && !COUNTED.contains(&f.as_str())
            && !matches!(f.as_str(), "de" | "du" | "des" | "d" | "ans" | "an")
            && crate::calendar::month_number(&next).is_none();
        if end || word && (d >= 10 || AFTER_SMALL_DAY.contains(&f.as_str())) {
            out.push(crate::calendar::date_cand(
                text,
                (g.start(), g.end()),
                None,
                None,
                Some(d),
            ));
        }
    }
}

pub(crate) fn detect(text: &str, out: &mut Vec<Cand>) {
    let x = res();
    for c in x.date.captures_iter(text) {
        let (m, g) = (c.get(0).unwrap(), c.get(1).unwrap());
        let Some(d) = value(g.as_str()).filter(|d| (1..=31).contains(d)) else {
            continue;
        };
        let mo = crate::calendar::month_number(&c[2]);
        let year = c.get(3).and_then(|y| {
            y.as_str()
                .parse()
                .ok()
                .or_else(|| value(y.as_str()).map(|v| v as i32))
                .and_then(|v| short_year(text, y.as_str(), y.end(), v))
                .filter(|y| (1900..=2100).contains(y))
                .map(|v| (v, y.end()))
        });
        let first = x.range_start.captures(&text[..g.start()]).and_then(|r| {
            let f = r.get(1).unwrap();
            (f.as_str().eq_ignore_ascii_case("premier")
                || value(f.as_str()).is_some_and(|v| (1..=31).contains(&v)))
            .then_some(f.start())
        });
        out.push(Cand {
            start: first.unwrap_or(g.start()),
            end: year.map_or(c.get(2).unwrap().end(), |(_, e)| e),
            kind: Kind::Date,
            // above the month read alone
            prio: 65,
            info: Info::Date(DateVal {
                y: year.map(|(y, _)| y),
                m: mo,
                d: Some(d),
                birth: crate::calendar::birth_context(text, m.start()),
            }),
        });
    }
    for c in x.weekday.captures_iter(text) {
        let (m, g) = (c.get(0).unwrap(), c.get(1).unwrap());
        let unit = c
            .get(2)
            .is_some_and(|u| COUNTED.contains(&fold(u.as_str().trim()).as_str()));
        if let Some(d) = value(g.as_str()).filter(|d| (1..=31).contains(d) && !unit) {
            out.push(Cand {
                start: m.start(),
                end: g.end(),
                kind: Kind::Date,
                // below the day with its month (« mardi deux décembre »)
                prio: 64,
                info: Info::Date(DateVal {
                    y: None,
                    m: None,
                    d: Some(d),
                    birth: false,
                }),
            });
        }
    }
    day_alone(text, out);
    for c in x.year.captures_iter(text) {
        let m = c.get(0).unwrap();
        // « deux mille euros », « deux mille pas »: a quantity
        let unit = c
            .get(1)
            .is_some_and(|u| COUNTED.contains(&fold(u.as_str().trim()).as_str()));
        let end = c.get(1).map_or(m.end(), |u| u.start());
        let words = &text[m.start()..end];
        // the season before the year is no number
        let season = ["printemps", "ete", "automne", "hiver"]
            .iter()
            .any(|w| fold(words).starts_with(w));
        let number = if season {
            words.split_once([' ', '\u{a0}']).map_or(words, |(_, r)| r)
        } else {
            words
        };
        let y = value(number);
        if let Some(y) = y.filter(|y| (1900..=2100).contains(y) && !unit) {
            out.push(Cand {
                start: m.start(),
                end,
                kind: Kind::Date,
                prio: 64,
                info: Info::Date(DateVal {
                    y: Some(y as i32),
                    m: None,
                    d: None,
                    birth: crate::calendar::birth_context(text, m.start()),
                }),
            });
        }
    }
    for c in x.age.captures_iter(text) {
        let m = c.get(0).unwrap();
        if value(&c[1]).is_some_and(|v| (90..130).contains(&v)) {
            out.push(Cand {
                start: m.start(),
                end: m.end(),
                kind: Kind::Age,
                prio: 50,
                info: Info::None,
            });
        }
    }
    for c in x.article_room.captures_iter(text) {
        let g = c.get(1).unwrap();
        // « la vingtaine » is no number; « la trentaine d'années », « la
        // quinze jours » are counts
        let unit = c
            .get(2)
            .is_some_and(|u| COUNTED.contains(&fold(u.as_str().trim()).as_str()));
        if value(g.as_str()).is_some_and(|v| (10..1000).contains(&v)) && !unit {
            crate::orgs::push_room(out, g.start(), g.end(), 60);
        }
    }
    for c in x.room.captures_iter(text) {
        let (m, g) = (c.get(0).unwrap(), c.get(1).unwrap());
        if value(g.as_str()).is_some_and(|v| v >= 1) {
            out.push(Cand {
                // with its head, as the rooms in figures (« chambre 12 »)
                start: m.start(),
                end: g.end(),
                kind: Kind::Chambre,
                // above the head and its first word alone (« chambre deux »)
                prio: 67,
                info: Info::None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::value;

    #[test]
    fn values_of_french_number_words() {
        for (w, v) in [
            ("onze", 11),
            ("vingt et un", 21),
            ("soixante-dix-sept", 77),
            ("quatre-vingts", 80),
            ("quatre-vingt-dix-neuf", 99),
            ("deux cent douze", 212),
            ("mil neuf cent quarante-huit", 1948),
            ("deux mille vingt-trois", 2023),
        ] {
            assert_eq!(value(w), Some(v), "{w}");
        }
        assert_eq!(value("trois pommes"), None);
    }
}
