//! Markdown tables: a column headed « Chambre », « Nom » or « Âge » says
//! what its cells are, even when a cell holds only « 102 » or « 91 ».
use crate::dicts::fold;
use crate::{Cand, Info, Kind};

#[derive(Clone, Copy, PartialEq)]
enum Col {
    Room,
    Name,
    Age,
    Town,
    Other,
}

fn column(header: &str) -> Col {
    let h = fold(header.trim().trim_matches(['*', '_', ' ']));
    match h.as_str() {
        "chambre" | "ch" | "ch." | "chb" | "lit" | "chambre/lit" | "n° chambre" | "no chambre"
        | "box" | "chambre - lit" => Col::Room,
        "nom" | "patient" | "patiente" | "resident" | "residente" | "residents" | "nom prenom"
        | "nom, prenom" | "nom - prenom" | "prenom nom" | "patient(e)" | "identite" | "kine"
        | "medecin" | "referent" | "intervenant" | "soignant" | "prenom" => Col::Name,
        "age" | "ages" => Col::Age,
        "ville" | "commune" | "domicile" | "lieu" => Col::Town,
        _ => Col::Other,
    }
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

pub fn detect(text: &str, out: &mut Vec<Cand>) {
    let mut cols: Option<Vec<Col>> = None;
    let mut line_start = 0;
    let mut prev: Option<(usize, &str)> = None;
    for line in text.split_inclusive('\n') {
        let l = line.trim_end_matches(['\n', '\r']);
        let is_row = l.trim_start().starts_with('|');
        let is_rule = is_row && l.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'));
        if is_rule {
            if let Some((ps, pl)) = prev {
                cols = Some(
                    cells(text, ps, pl)
                        .iter()
                        .map(|&(s, e)| column(&text[s..e]))
                        .collect(),
                );
            }
        } else if is_row {
            if let Some(cs) = &cols {
                for (k, (s, e)) in cells(text, line_start, l).into_iter().enumerate() {
                    let Some(&col) = cs.get(k) else { break };
                    cell(text, s, e, col, out);
                }
            }
        } else {
            cols = None;
        }
        prev = Some((line_start, l));
        line_start += line.len();
    }
}

fn cell(text: &str, s: usize, e: usize, col: Col, out: &mut Vec<Cand>) {
    let v = &text[s..e];
    if v.is_empty() || v.chars().all(|c| matches!(c, '—' | '-' | '–' | ' ')) {
        return;
    }
    let (kind, info) = match col {
        Col::Room if v.chars().any(|c| c.is_ascii_digit()) => (Kind::Chambre, Info::None),
        Col::Age => {
            let n: String = v.chars().take_while(|c| c.is_ascii_digit()).collect();
            match n.parse::<u32>() {
                Ok(a) if (90..130).contains(&a) => (Kind::Age, Info::None),
                _ => return,
            }
        }
        Col::Name if v.chars().next().is_some_and(|c| c.is_alphabetic()) => {
            // the name up to a parenthesis or a comma of comment
            let end = v.find(['(', ',', ';']).unwrap_or(v.len());
            let name = v[..end].trim_end();
            if name.is_empty() {
                return;
            }
            out.push(Cand {
                start: s,
                end: s + name.len(),
                kind: Kind::Nom,
                prio: 61,
                info: Info::Person {
                    key: fold(name),
                    title: None,
                    patient: false,
                    aliases: Vec::new(),
                },
            });
            return;
        }
        Col::Town if v.chars().next().is_some_and(|c| c.is_uppercase()) => {
            (Kind::Ville, Info::None)
        }
        _ => return,
    };
    out.push(Cand {
        start: s,
        end: e,
        kind,
        prio: 61,
        info,
    });
}
