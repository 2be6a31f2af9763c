//! Markdown tables: a column headed « Chambre », « Nom » or « Âge » says
//! what its cells are, even when a cell holds only « 102 » or « 91 ».
use crate::contact_cells::{contact_column, contact_value, is_number_header, Contact};
use crate::dicts::fold;
use crate::{Cand, Info, Kind};

#[derive(Clone, Copy, PartialEq)]
enum Col {
    Room,
    Name,
    /// the names of the carers (« Kiné », « IDE »): their cells are never
    /// the patient of a row, even when one bears the same name
    Carer,
    Age,
    Town,
    Date,
    Id,
    Postcode,
    Org,
    /// a street, its number, its complement or a telephone number
    Contact(Contact),
    /// the login of a software's user (« utilisateur », « login »)
    Login,
    Other,
}

/// The header of a column, folded: « "ref" » in a quoted export,
/// « num_presc » in a software's export.
fn header_key(header: &str) -> String {
    fold(header.trim().trim_matches(['*', '_', ' ', '"'])).replace('_', " ")
}

/// Which part of a person's name a column holds, when its header says so:
/// « Nom » the surname, « Prénom » the first name.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Part {
    Surname,
    First,
}

fn name_part(header: &str) -> Option<Part> {
    match header_key(header).as_str() {
        "nom" | "nom usuel" | "nom d'usage" | "nom de naissance" => Some(Part::Surname),
        "prenom" => Some(Part::First),
        _ => None,
    }
}

fn column(header: &str) -> Col {
    let h = header_key(header);
    match h.as_str() {
        "chambre" | "ch" | "ch." | "chb" | "lit" | "chambre/lit" | "n° chambre" | "no chambre"
        | "box" | "chambre - lit" | "chambres" | "lits" | "ch/lit" | "logt" | "logement"
        | "logements" | "appt" | "appartement" => Col::Room,
        "nom"
        | "patient"
        | "patiente"
        | "resident"
        | "residente"
        | "residents"
        | "nom prenom"
        | "nom, prenom"
        | "nom - prenom"
        | "prenom nom"
        | "patient(e)"
        | "identite"
        | "prenom"
        | "patients"
        | "residents/es"
        | "nom du patient"
        | "famille"
        | "contact"
        | "personne a prevenir"
        | "proche"
        | "aidant"
        | "nom de naissance"
        | "joueur"
        | "joueuse"
        | "joueurs"
        | "athlete"
        | "sportif"
        | "eleve"
        | "etudiant"
        | "etudiante"
        | "stagiaire"
        | "beneficiaire"
        | "assure"
        | "assuree"
        | "victime"
        | "salarie"
        | "salariee"
        | "agent"
        | "enfant"
        | "parent"
        | "responsable"
        | "nom usuel"
        | "nom d'usage" => Col::Name,
        "kine" | "kines" | "kinesitherapeute" | "mk" | "mks" | "medecin" | "medecin traitant"
        | "prescripteur" | "referent" | "intervenant" | "soignant" | "soignante" | "ide" | "as"
        | "aide-soignant" | "aide-soignante" | "infirmier" | "infirmiere" | "praticien"
        | "therapeute" | "redacteur" | "auteur" | "signataire" => Col::Carer,
        "age" | "ages" => Col::Age,
        "naissance" | "ne(e)" | "nee" | "ne" | "annee de naissance" | "date de naissance"
        | "ddn" | "date" | "dates" | "ne(e) en" => Col::Date,
        "ville" | "commune" | "domicile" | "lieu" => Col::Town,
        "ipp" | "nda" | "nip" | "iep" | "ins" | "dossier" | "n° dossier" | "no dossier"
        | "n° de dossier" | "numero de dossier" | "sejour" | "n° sejour" | "n° de sejour"
        | "numero" | "n°" | "no" | "id" | "identifiant" | "matricule" | "licence"
        | "n° licence" | "ref" | "ref." | "reference" | "sinistre" | "n° sinistre" | "n° at"
        | "contrat" | "n° contrat" | "adherent" | "n° adherent" | "episode" | "venue"
        | "n° venue" | "code" | "code patient" => Col::Id,
        // the patient's identifier in a software's export (« ID_PATIENT »)
        "id patient" | "identifiant patient" | "patient id" => Col::Id,
        "cp" | "code postal" | "c.p." => Col::Postcode,
        "utilisateur" | "user" | "login" | "username" | "identifiant de connexion" => Col::Login,
        // a column of organisations: where the person plays, works, is
        // insured, lives or comes from
        "club"
        | "mutuelle"
        | "assureur"
        | "complementaire"
        | "employeur"
        | "entreprise"
        | "etablissement"
        | "etablissement d'origine"
        | "etablissement scolaire"
        | "ecole"
        | "structure"
        | "residence" => Col::Org,
        // « N° AT CPAM », « N° de prescription », « Réf. AT », « num presc »:
        // a header that starts with the word « number » or « reference »
        _ if [
            "n° ",
            "no ",
            // « n_dossier », « n_patient » in a software's export
            "n ",
            "num ",
            "numero ",
            "ref ",
            "ref. ",
            "reference ",
        ]
        .iter()
        .any(|p| h.starts_with(p))
            || ["facture", "n° facture"].contains(&h.as_str())
            // « id_dossier », « bilan_id »: a key of an export; an
            // appointment's (« id_rdv ») numbers a slot of a diary, not a person
            || h.split(' ').any(|w| w == "id") && !h.split(' ').any(|w| w == "rdv") =>
        {
            Col::Id
        }
        _ => contact_column(&h).map_or(Col::Other, Col::Contact),
    }
}

/// The columns of a header's cells; « N° » is a street's number in a table
/// that has a street's column (« N° | Rue | Complément »), a file's number
/// elsewhere.
fn columns<'a>(heads: impl Iterator<Item = &'a str> + Clone) -> Vec<Col> {
    let mut cols: Vec<Col> = heads.clone().map(column).collect();
    if cols.contains(&Col::Contact(Contact::Street)) {
        for (c, h) in cols.iter_mut().zip(heads) {
            if is_number_header(&header_key(h)) {
                *c = Col::Contact(Contact::Number);
            }
        }
    }
    cols
}

/// Cells of a table row, with their byte ranges (trimmed).
fn cells(text: &str, line_start: usize, line: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let t = line.trim_end();
    let mut pos = 0;
    let inner = t.strip_prefix('|').map(|_| 1).unwrap_or(0);
    pos += inner;
    let body = &t[pos..];
    let body = body.strip_suffix('|').unwrap_or(body);
    let mut at = line_start + pos;
    for c in body.split('|') {
        let lead = c.len() - c.trim_start().len();
        let s = at + lead;
        let e = s + c.trim().len();
        out.push((s, e));
        at += c.len() + 1;
    }
    let _ = text;
    out
}

/// Cells of a line aligned with spaces or tabs (a register pasted from a
/// spreadsheet or a terminal): separated by a tab or by two spaces or more.
fn aligned_cells(line_start: usize, line: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut spaces = 0;
    for (i, c) in line.char_indices() {
        if c == '\t' || c == ' ' && spaces >= 1 {
            if let Some(s) = start.take() {
                out.push((line_start + s, line_start + i - spaces));
            }
            spaces = 0;
            continue;
        }
        if c == ' ' {
            spaces += 1;
            continue;
        }
        if start.is_none() {
            start = Some(i);
        }
        spaces = 0;
    }
    if let Some(s) = start {
        out.push((line_start + s, line_start + line.trim_end().len()));
    }
    out
}

/// « Date   Heure  Ch.   Résident » over rows aligned under it: a cell of
/// a room's or an age's column is read as in a Markdown table (a name's
/// column is left to the names, which read it better in free text).
fn aligned_tables(text: &str, out: &mut Vec<Cand>) {
    let mut header: Option<Vec<(usize, Col)>> = None;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let l = line.trim_end_matches(['\n', '\r']);
        let cs = aligned_cells(line_start, l);
        if l.trim().is_empty() || l.trim_start().starts_with('|') {
            header = None;
        } else if let Some(h) = &header {
            for &(s, e) in &cs {
                // the column whose header starts nearest before the cell
                let off = s - line_start;
                let col = h
                    .iter()
                    .filter(|(hs, _)| *hs <= off + 1)
                    .max_by_key(|(hs, _)| *hs)
                    .map(|&(_, c)| c);
                if let Some(c @ (Col::Room | Col::Age)) = col {
                    cell(text, s, e, c, out);
                }
            }
        } else if cs.len() >= 3 {
            let cols: Vec<Col> = cs.iter().map(|&(s, e)| column(&text[s..e])).collect();
            if cols.iter().any(|c| matches!(c, Col::Room | Col::Age)) {
                // offsets within the line, so that rows compare with them
                header = Some(
                    cs.iter()
                        .zip(cols)
                        .map(|(&(s, _), c)| (s - line_start, c))
                        .collect(),
                );
            }
        }
        line_start += line.len();
    }
}

/// The cells of a delimited line, as byte ranges within it: a quoted cell
/// (« "appui total; Kinetec non" », « "Morel, Julien" ») runs to its
/// closing quote, whatever separators it holds, and a doubled quote inside
/// it is one quote; the quotes stay in the range.
fn split_cells(line: &str, sep: char) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    let mut at_cell_start = true;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek().is_some_and(|&(_, d)| d == '"') {
                    chars.next();
                } else {
                    quoted = false;
                }
            }
            continue;
        }
        if c == sep {
            out.push((start, i));
            start = i + c.len_utf8();
            at_cell_start = true;
            continue;
        }
        if c == '"' && at_cell_start {
            quoted = true;
        }
        if !c.is_whitespace() {
            at_cell_start = false;
        }
    }
    out.push((start, line.len()));
    out
}

/// Is `start..end` a whole cell of a delimited table's header: a line of
/// two separators or more (outside quotes) followed by a line with as
/// many? A column's name there (« date_naiss », « id_patient ») is no
/// identifier, whatever it looks like.
pub(crate) fn is_header_cell(text: &str, start: usize, end: usize) -> bool {
    let line_start = text[..start].rfind('\n').map_or(0, |p| p + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |p| end + p);
    let line = text[line_start..line_end].trim_end_matches('\r');
    let Some(next) = text
        .get(line_end + 1..)
        .map(|r| r.lines().next().unwrap_or(""))
    else {
        return false;
    };
    [';', '\t', '|', ','].into_iter().any(|sep| {
        let cells = split_cells(line, sep);
        cells.len() >= 3
            && split_cells(next, sep).len() == cells.len()
            && cells.iter().any(|&(s, e)| {
                let c = &line[s..e];
                let lead = c.len() - c.trim_start_matches([' ', '"']).len();
                let v = c.trim_matches([' ', '"']);
                line_start + s + lead == start && v.len() == end - start
            })
    })
}

/// « Nom;Prénom;Date naissance;N° dossier » over rows with as many
/// semicolons, tabs, bars (« CH | Résident | Obs. », without the leading
/// bar of Markdown) or commas (three at least, which a sentence seldom has
/// as often as its header): an export of a spreadsheet, read like a
/// Markdown table. A separator inside a quoted cell ends no cell.
fn delimited_tables(text: &str, out: &mut Vec<Cand>) {
    // the separator, its count on the header's line, the columns and the
    // parts of a name they hold
    type Head = (char, usize, Vec<Col>, Vec<Option<Part>>, Vec<bool>);
    let mut head: Option<Head> = None;
    let mut line_start = 0;
    // the people of each row (their candidates' places in `out`) with what
    // tells that row's person from another: its birth date and room
    let mut row_marks: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        let l = line.trim_end_matches(['\n', '\r']);
        let count = |sep: char| split_cells(l, sep).len() - 1;
        match &head {
            Some((sep, n, cols, parts, telling))
                if (*n..=*n + 2).contains(&count(*sep)) && !l.trim_start().starts_with('|') =>
            {
                // a row with a cell or two more than its header has split a
                // person's name (« 305;LE ROUX;Yvette;16/01 » under
                // « Ch.;Patient;Entrée »): the columns before the first
                // person's still say what their cells are, the others no more
                let split = count(*sep) > *n;
                let aligned = if split {
                    cols.iter()
                        .position(|c| matches!(c, Col::Name | Col::Carer))
                        .unwrap_or(0)
                } else {
                    cols.len()
                };
                let from = out.len();
                let mut named = Vec::new();
                let mut mark = String::new();
                for (k, (cs, ce)) in split_cells(l, *sep).into_iter().enumerate() {
                    let c = &l[cs..ce];
                    // a quoted export: the quotes are no part of the value
                    let v = c.trim();
                    let v = v
                        .strip_prefix('"')
                        .and_then(|v| v.strip_suffix('"'))
                        .unwrap_or(v);
                    let s = line_start + cs + c.find(v).unwrap_or(0);
                    if k < aligned && telling.get(k) == Some(&true) && !v.trim().is_empty() {
                        mark.push_str(&fold(v.trim()));
                        mark.push(' ');
                    }
                    if let Some(&col) = cols.get(k).filter(|_| k < aligned) {
                        let before = out.len();
                        cell(text, s, s + v.len(), col, out);
                        named.push((before - from..out.len() - from, parts[k]));
                    }
                }
                one_person_a_row(text, &mut out[from..], &named);
                if !mark.is_empty() {
                    row_marks.push((from..out.len(), mark.trim_end().to_string()));
                }
            }
            _ => {
                head = None;
                for sep in [';', '\t', '|', ','] {
                    let n = count(sep);
                    let enough = if sep == ',' { 3 } else { 2 };
                    if n >= enough && !l.trim_start().starts_with('|') {
                        let heads: Vec<&str> =
                            split_cells(l, sep).iter().map(|&(s, e)| &l[s..e]).collect();
                        let cols = columns(heads.iter().copied());
                        if cols.iter().filter(|c| **c != Col::Other).count() >= 2 {
                            let parts = heads.iter().map(|h| name_part(h)).collect();
                            let telling = heads.iter().map(|h| tells_apart(h)).collect();
                            head = Some((sep, n, cols, parts, telling));
                            break;
                        }
                    }
                }
            }
        }
        line_start += line.len();
    }
    rows_apart(out, &row_marks);
}

/// A column whose cell tells one person of a name from another: a birth
/// date (« ddn », « Naissance ») or a room. A date of a session or a visit
/// does not: one patient stands on many rows of a planning.
fn tells_apart(header: &str) -> bool {
    matches!(
        header_key(header).as_str(),
        "naissance"
            | "ne(e)"
            | "nee"
            | "ne"
            | "date de naissance"
            | "ddn"
            | "date naissance"
            | "date naiss"
            | "date de naiss."
    ) || column(header) == Col::Room
}

/// « "DUBOIS, Simone",…,30/11/1934,105 » and « "DUBOIS, Simone",…,
/// 08/02/1940,221 »: one full name on two rows whose birth dates or rooms
/// differ is two people, whom one pseudonym would merge. Each row's name
/// then gets a key of its own, the name's with the row's marks (two rows
/// of one date and room stay one person); a row without marks, and the
/// name in the running text, keep the name's key, which neither row's
/// person shares (a split at worst). A name on one row only, or on rows
/// that agree, is left as it was.
fn rows_apart(out: &mut [Cand], rows: &[(std::ops::Range<usize>, String)]) {
    use std::collections::{HashMap, HashSet};
    let full = |c: &Cand| match &c.info {
        Info::Person {
            key, carer: false, ..
        } if key.contains('|') && !crate::homonyms::is_unique(key) => Some(key.clone()),
        _ => None,
    };
    let mut marks: HashMap<String, HashSet<&str>> = HashMap::new();
    for (r, mark) in rows {
        for c in &out[r.clone()] {
            if let Some(k) = full(c) {
                marks.entry(k).or_default().insert(mark);
            }
        }
    }
    for (r, mark) in rows {
        for c in &mut out[r.clone()] {
            let Some(k) = full(c) else { continue };
            if marks.get(&k).is_some_and(|m| m.len() >= 2) {
                if let Info::Person { key, .. } = &mut c.info {
                    *key = format!("{k}|{mark}");
                }
            }
        }
    }
}

pub fn detect(text: &str, out: &mut Vec<Cand>) {
    aligned_tables(text, out);
    delimited_tables(text, out);
    let mut cols: Option<(Vec<Col>, Vec<Option<Part>>)> = None;
    let mut line_start = 0;
    let mut prev: Option<(usize, &str)> = None;
    for line in text.split_inclusive('\n') {
        let l = line.trim_end_matches(['\n', '\r']);
        let is_row = l.trim_start().starts_with('|');
        let is_rule = is_row && l.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'));
        if is_rule {
            if let Some((ps, pl)) = prev {
                let heads = cells(text, ps, pl);
                cols = Some((
                    columns(heads.iter().map(|&(s, e)| &text[s..e])),
                    heads.iter().map(|&(s, e)| name_part(&text[s..e])).collect(),
                ));
            }
        } else if is_row {
            // « | N° de prescription | 2025-11-06/KIN/HMC | »: a table of
            // fields and values, whose field says what the value is
            if let [(ks, ke), (vs, ve)] = cells(text, line_start, l)[..] {
                if column(&text[ks..ke]) == Col::Id {
                    cell(text, vs, ve, Col::Id, out);
                }
            }
            if let Some((cs, parts)) = &cols {
                let from = out.len();
                let mut named = Vec::new();
                for (k, (s, e)) in cells(text, line_start, l).into_iter().enumerate() {
                    let Some(&col) = cs.get(k) else { break };
                    let before = out.len();
                    cell(text, s, e, col, out);
                    named.push((before - from..out.len() - from, parts[k]));
                }
                one_person_a_row(text, &mut out[from..], &named);
            }
        } else {
            cols = None;
        }
        prev = Some((line_start, l));
        line_start += line.len();
    }
}

/// « | DA SILVA | Maria | », « LEGRAND;Simone; », « "MARTIN, Roger" »:
/// a surname in capitals and a first name in the next cell of a row (or
/// the next item of its cell) are one person, and so are the cells of the
/// columns headed « Nom » and « Prénom » (« Vidal,Simone »), keyed as the
/// names key a full name (« da silva|maria »), not two cells each shared
/// with every other bearer of that surname or that first name (two
/// residents named Simone, a brother and a sister named Martin).
/// `cells` gives, for each cell of the row, the range of its candidates in
/// `row` and the part of a name its header says it holds.
fn one_person_a_row(
    text: &str,
    row: &mut [Cand],
    cells: &[(std::ops::Range<usize>, Option<Part>)],
) {
    let person = |c: &Cand| matches!(c.info, Info::Person { .. });
    let mut pairs = Vec::new();
    for k in 1..row.len() {
        let (a, b) = (&row[k - 1], &row[k]);
        let (sur, first) = (&text[a.start..a.end], &text[b.start..b.end]);
        let gap = text[a.end..b.start].trim_matches([' ', '\u{a0}', '"']);
        if !(person(a) && person(b) && matches!(gap, "|" | ";" | "\t" | ",")) {
            continue;
        }
        let upper = sur.chars().any(char::is_alphabetic) && !sur.chars().any(char::is_lowercase);
        let single_first = !first.contains(' ')
            && first.chars().any(char::is_lowercase)
            && crate::dicts::Dicts::get()
                .first_names
                .contains_key(&fold(first));
        if upper && single_first {
            pairs.push((k - 1, k));
        }
    }
    // the columns' headers say which cell is the surname and which the
    // first name, whatever their case
    let only = |part: Part| -> Option<usize> {
        let mut found = cells.iter().filter(|(_, p)| *p == Some(part));
        let (r, _) = found.next()?;
        (found.next().is_none() && r.len() == 1 && person(&row[r.start])).then_some(r.start)
    };
    if let (Some(s), Some(f)) = (only(Part::Surname), only(Part::First)) {
        let first = &text[row[f].start..row[f].end];
        if !first.contains(' ') && !pairs.iter().any(|&(a, b)| a == s || b == f) {
            pairs.push((s, f));
        }
    }
    for (s, f) in pairs {
        let key = format!(
            "{}|{}",
            fold(&text[row[s].start..row[s].end]).replace('-', " "),
            fold(&text[row[f].start..row[f].end])
        );
        for c in [s, f] {
            if let Info::Person { key: k, .. } = &mut row[c].info {
                *k = key.clone();
            }
        }
    }
}

/// « Élodie + Rachid », « Inès & Karim »: names joined in one item are
/// two people, never one pseudonym; « marche + Tinetti » (a note, not
/// names) stays whole. Each part with the byte where it starts.
fn joined_names(at: usize, item: &str) -> Vec<(usize, &str)> {
    let parts: Vec<&str> = item.split(['+', '&']).collect();
    let names = parts.len() > 1
        && parts
            .iter()
            .all(|p| p.trim_start().starts_with(char::is_uppercase));
    if !names {
        return vec![(at, item)];
    }
    let mut from = at;
    parts
        .into_iter()
        .map(|p| {
            let here = from;
            from += p.len() + 1;
            (here, p)
        })
        .collect()
}

/// A record's value whose key (« id », « n_dossier », « user ») names a
/// file's number or a login, read as that column's cell.
pub(crate) fn keyed_value(text: &str, key: &str, s: usize, e: usize, out: &mut Vec<Cand>) {
    let col = column(key);
    // « "code": "M80.08" » is a clinical code as often as a number
    if matches!(col, Col::Id | Col::Login) && header_key(key) != "code" {
        cell(text, s, e, col, out);
    }
}

fn cell(text: &str, s: usize, e: usize, col: Col, out: &mut Vec<Cand>) {
    let v = &text[s..e];
    if v.is_empty() || v.chars().all(|c| matches!(c, '—' | '-' | '–' | ' ')) {
        return;
    }
    let (kind, info) = match col {
        Col::Age => {
            let n: String = v.chars().take_while(|c| c.is_ascii_digit()).collect();
            match n.parse::<u32>() {
                Ok(a) if (90..130).contains(&a) => (Kind::Age, Info::None),
                _ => return,
            }
        }
        Col::Name | Col::Carer | Col::Room => {
            // a list in a cell: « Duval J., Hamel, Le Marchand », « 12, 14, 19 »
            let mut items = Vec::new();
            let mut at = s;
            for item in v.split([',', ';', '/']) {
                items.extend(joined_names(at, item));
                at += item.len() + 1;
            }
            for (at, item) in items {
                let lead = item.len() - item.trim_start().len();
                let st = at + lead;
                let it = item.trim();
                // a comment in parentheses stays
                let it = it[..it.find('(').unwrap_or(it.len())].trim_end();
                if it.is_empty() {
                    continue;
                }
                if col == Col::Room {
                    // a bed by its letter or its side in a column of beds
                    // (« A », « porte », « fenêtre »)
                    let bed = it.len() == 1 && it.chars().all(|c| c.is_ascii_uppercase())
                        || matches!(fold(it).as_str(), "porte" | "fenetre");
                    if it.chars().any(|c| c.is_ascii_digit()) && it.len() <= 12 || bed {
                        out.push(Cand {
                            start: st,
                            end: st + it.len(),
                            kind: Kind::Chambre,
                            prio: 61,
                            info: Info::None,
                        });
                    }
                    continue;
                }
                // titles stay outside the name
                let mut name = it;
                let mut nst = st;
                for t in ["M. ", "Mme ", "Mlle ", "Dr ", "Pr ", "Mr ", "M ", "Me "] {
                    if let Some(rest) = name.strip_prefix(t) {
                        nst += t.len();
                        name = rest;
                    }
                }
                // « PELLETIER née VIDAL Jeanne »: two names, of which the
                // names make a person and a maiden name, not one cell
                let maiden = name
                    .split_whitespace()
                    .any(|w| matches!(fold(w).as_str(), "nee" | "ne"));
                if maiden || !name.chars().next().is_some_and(|c| c.is_uppercase()) {
                    continue;
                }
                out.push(Cand {
                    start: nst,
                    end: nst + name.len(),
                    kind: Kind::Nom,
                    // the cell knows better than a word of it alone
                    prio: 63,
                    info: Info::Person {
                        key: fold(name),
                        title: None,
                        patient: false,
                        carer: col == Col::Carer,
                        aliases: Vec::new(),
                    },
                });
            }
            return;
        }
        Col::Contact(c) => {
            let Some(value) = contact_value(c, v) else {
                return;
            };
            let start = s + (value.as_ptr() as usize - v.as_ptr() as usize);
            // the cell is one contact: above the pieces read inside it
            // (« BAT B » and « APT 7 » of « RES LE CLOS FLEURI BAT B APT 7 »,
            // « 2 41 50 » of « +33 (0) 2 41 50 xx 12 »)
            let (kind, prio) = match c {
                Contact::Phone => (Kind::Telephone, 89),
                Contact::Complement => (Kind::Adresse, 68),
                Contact::Street | Contact::Number => (Kind::Adresse, 66),
            };
            out.push(Cand {
                start,
                end: start + value.len(),
                kind,
                prio,
                info: Info::None,
            });
            return;
        }
        Col::Date if v.chars().any(|c| c.is_ascii_digit()) => (
            Kind::Date,
            Info::Date(crate::DateVal {
                y: None,
                m: None,
                d: None,
                birth: true,
            }),
        ),
        // the column says it is a town; in lower case, one of the list that is no
        // common word (« paimpol », not « jardin »)
        Col::Town
            if v.chars().next().is_some_and(char::is_uppercase)
                || crate::dicts::Dicts::get().communes.contains_key(&fold(v))
                    && !crate::dicts::Dicts::get().common.contains(&fold(v)) =>
        {
            (Kind::Ville, Info::None)
        }
        // a column of file numbers: any cell with three digits or more, in
        // groups too (« KN 2025 0322 », « 13 25 0B 1190 »), not a phrase
        Col::Id
            if v.chars().filter(|c| c.is_ascii_digit()).count() >= 3
                && v.split_whitespace().all(|w| {
                    w.chars().any(|c| c.is_ascii_digit())
                        || w.chars()
                            .all(|c| c.is_uppercase() || matches!(c, '-' | '/' | '.'))
                }) =>
        {
            (Kind::NumeroDossier, Info::None)
        }
        // a name with a capital, not a common word alone (« Aucune »,
        // « Retraité »), nor a figure, nor a public scheme of cover that
        // stands where a mutuelle would (CMU-C, ACS, C2S, AME: code de la
        // sécurité sociale and code de l'action sociale et des familles)
        Col::Org
            if v.chars().any(char::is_uppercase)
                && !["cmu", "cmu-c", "cmuc", "acs", "c2s", "ame"].contains(&fold(v).as_str())
                && v.chars().filter(|c| c.is_alphabetic()).count() >= 3
                && !v.starts_with(|c: char| c.is_ascii_digit())
                && !(!v.contains(' ')
                    && (crate::dicts::Dicts::get().common.contains(&fold(v))
                        || crate::dicts::Dicts::get().allow.contains(&fold(v)))) =>
        {
            (Kind::Etablissement, Info::None)
        }
        // one token shaped as a login (« mlebihan », « etu.kerherve »), not
        // a word nor a name in capitals
        Col::Login if login_shape(v) => (Kind::Pseudo, Info::None),
        Col::Postcode
            if v.len() == 5 && v.chars().all(|c| c.is_ascii_digit())
                || v.starts_with("2A")
                || v.starts_with("2B") =>
        {
            (Kind::CodePostal, Info::None)
        }
        _ => return,
    };
    out.push(Cand {
        start: s,
        end: e,
        kind,
        // the column knows a town better than the names do (« Lorient »)
        // and a number better than a date read inside it (« 2025-11-06/KIN/HMC »)
        prio: match kind {
            Kind::Ville => 63,
            Kind::NumeroDossier => 65,
            _ => 61,
        },
        info,
    });
}

/// A software's login: one token of letters, figures, dots, dashes or
/// underscores, in lower case at least in part, that no dictionary has.
pub(crate) fn login_shape(v: &str) -> bool {
    let n = v.chars().count();
    (3..=30).contains(&n)
        && v.chars().any(char::is_lowercase)
        && v.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && v.starts_with(char::is_alphabetic)
        && !crate::dicts::Dicts::get().common.contains(&fold(v))
        && !crate::dicts::Dicts::get().allow.contains(&fold(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str, sep: char) -> Vec<&str> {
        split_cells(line, sep)
            .into_iter()
            .map(|(s, e)| &line[s..e])
            .collect()
    }

    /// The keys of the candidates whose text is `w`, in order.
    fn keys_of(t: &str, out: &[Cand], w: &str) -> Vec<String> {
        out.iter()
            .filter(|c| &t[c.start..c.end] == w)
            .filter_map(|c| match &c.info {
                Info::Person { key, .. } => Some(key.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn one_full_name_on_rows_of_two_birth_dates_is_two_people() {
        // two residents of one name, told apart by their rows only
        let t = "NOM;PRENOM;DDN;CHAMBRE\nFAURE;Lucienne;03/04/1932;12\nFAURE;Henri;11/09/1930;14\nFAURE;Lucienne;21/06/1947;30\n";
        let mut out = Vec::new();
        detect(t, &mut out);
        let keys = keys_of(t, &out, "Lucienne");
        assert_eq!(keys.len(), 2);
        assert_ne!(keys[0], keys[1]);
        // a name on one row only keeps the name's key
        assert_eq!(keys_of(t, &out, "Henri"), vec!["faure|henri".to_string()]);
    }

    #[test]
    fn one_full_name_on_rows_that_agree_is_one_person() {
        // the same resident on two rows of a planning: one birth date
        let t =
            "date;nom;prenom;ddn\n02/03;ROCHE;Yvette;14/08/1936\n03/03;ROCHE;Yvette;14/08/1936\n";
        let mut out = Vec::new();
        detect(t, &mut out);
        let keys = keys_of(t, &out, "Yvette");
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[0], keys[1]);
    }

    #[test]
    fn a_columns_name_is_no_handle() {
        let t = "id_patient;nom_patient;date_entree\nP-12;Roux;02/03\n";
        let found = crate::Anonymiser::new().detect(t);
        assert!(
            !found.iter().any(|s| s.kind == crate::Kind::Pseudo),
            "{found:?}"
        );
        // a handle in a sentence stays one
        let t = "Elle poste sous le nom lulu_du_29 sur le forum.";
        let found = crate::Anonymiser::new().detect(t);
        assert!(
            found
                .iter()
                .any(|s| s.kind == crate::Kind::Pseudo && &t[s.start..s.end] == "lulu_du_29"),
            "{found:?}"
        );
    }

    #[test]
    fn a_column_of_organisations() {
        let t = "Nom;Club;Mutuelle;Employeur\n\
                 Roux;Les Aiglons;Vivinter;Kerlys\n\
                 Caron;Aucun;CMU-C;Retraité\n";
        let found: Vec<&str> = crate::Anonymiser::new()
            .detect(t)
            .into_iter()
            .filter(|s| s.kind == crate::Kind::Etablissement)
            .map(|s| &t[s.start..s.end])
            .collect();
        for want in ["Les Aiglons", "Vivinter", "Kerlys"] {
            assert!(found.contains(&want), "{want}: {found:?}");
        }
        for not in ["Aucun", "CMU-C", "Retraité"] {
            assert!(!found.contains(&not), "{not}: {found:?}");
        }
    }

    #[test]
    fn a_quoted_cell_keeps_its_separators() {
        assert_eq!(
            texts("\"ROY, Anne\",12,\"genou, J8\"", ','),
            ["\"ROY, Anne\"", "12", "\"genou, J8\""]
        );
        assert_eq!(
            texts("4471;\"marche; escaliers\";\"dit \"\"ça va\"\"; RAS\"", ';'),
            [
                "4471",
                "\"marche; escaliers\"",
                "\"dit \"\"ça va\"\"; RAS\""
            ]
        );
        // a quote inside an unquoted cell opens nothing
        assert_eq!(texts("5\" de pouce;12;x", ';'), ["5\" de pouce", "12", "x"]);
        assert_eq!(texts("a;;b", ';'), ["a", "", "b"]);
    }

    #[test]
    fn a_carers_column_says_its_cells_are_carers() {
        let t = "IPP;Nom;Prénom;Kiné\n901;\"FOURNIER\";\"Anne\";\"Paul Martin\"\n";
        let mut out = Vec::new();
        detect(t, &mut out);
        let carer = |w: &str| {
            out.iter()
                .find(|c| &t[c.start..c.end] == w)
                .map(|c| matches!(c.info, Info::Person { carer: true, .. }))
        };
        assert_eq!(carer("Paul Martin"), Some(true));
        assert_eq!(carer("FOURNIER"), Some(false));
    }

    #[test]
    fn two_carers_joined_in_one_cell_are_two_people() {
        // « Inès + Karim » in a planning: two therapists sharing a group
        let t = "| Heure | Kiné |\n|---|---|\n| 9h | Inès |\n| 10h | Karim |\n| 11h | Inès + Karim |\n| 12h | Inès & Karim |\n| 13h | marche + Tinetti |\n";
        let mut out = Vec::new();
        detect(t, &mut out);
        let names: Vec<&str> = out.iter().map(|c| &t[c.start..c.end]).collect();
        assert!(
            !names.iter().any(|n| n.contains('+') || n.contains('&')),
            "{names:?}"
        );
        assert!(!names.contains(&"Tinetti"), "{names:?}");
        let pseudos = crate::Anonymiser::new().anonymise(t).text;
        for l in pseudos
            .lines()
            .filter(|l| l.contains("11h") || l.contains("12h"))
        {
            assert_eq!(l.matches("Personne").count(), 2, "{pseudos}");
        }
    }
}
