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
    Date,
    Other,
}

fn column(header: &str) -> Col {
    let h = fold(header.trim().trim_matches(['*', '_', ' ']));
    match h.as_str() {
        "chambre" | "ch" | "ch." | "chb" | "lit" | "chambre/lit" | "n° chambre" | "no chambre"
        | "box" | "chambre - lit" | "chambres" | "lits" | "ch/lit" => Col::Room,
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
        | "kine"
        | "medecin"
        | "referent"
        | "intervenant"
        | "soignant"
        | "prenom"
        | "patients"
        | "residents/es"
        | "kinesitherapeute"
        | "kines"
        | "ide"
        | "as"
        | "aide-soignant"
        | "aide-soignante"
        | "nom du patient"
        | "famille"
        | "contact"
        | "personne a prevenir"
        | "proche"
        | "aidant"
        | "nom de naissance"
        | "redacteur"
        | "auteur"
        | "signataire"
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
        | "praticien"
        | "therapeute"
        | "infirmier"
        | "infirmiere"
        | "soignante"
        | "medecin traitant"
        | "prescripteur"
        | "nom usuel"
        | "nom d'usage" => Col::Name,
        "age" | "ages" => Col::Age,
        "naissance" | "ne(e)" | "nee" | "ne" | "annee de naissance" | "date de naissance"
        | "ddn" | "date" | "dates" | "ne(e) en" => Col::Date,
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
        Col::Age => {
            let n: String = v.chars().take_while(|c| c.is_ascii_digit()).collect();
            match n.parse::<u32>() {
                Ok(a) if (90..130).contains(&a) => (Kind::Age, Info::None),
                _ => return,
            }
        }
        Col::Name | Col::Room => {
            // a list in a cell: « Duval J., Hamel, Le Marchand », « 12, 14, 19 »
            let mut at = s;
            for item in v.split([',', ';', '/']) {
                let lead = item.len() - item.trim_start().len();
                let st = at + lead;
                at += item.len() + 1;
                let it = item.trim();
                // a comment in parentheses stays
                let it = it[..it.find('(').unwrap_or(it.len())].trim_end();
                if it.is_empty() {
                    continue;
                }
                if col == Col::Room {
                    if it.chars().any(|c| c.is_ascii_digit()) && it.len() <= 12 {
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
                if !name.chars().next().is_some_and(|c| c.is_uppercase()) {
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
                        aliases: Vec::new(),
                    },
                });
            }
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
