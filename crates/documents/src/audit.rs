//! The practice's self-audit of professional secrecy (CSP R. 4321-114,
//! R. 4321-115, R. 4321-116): the checklist a jurist keeps in
//! `law/audit.toml`, the dated report with the actions to take (each citing
//! its articles), and the comparison of an audit with the previous one.
//! Storing audits is the register's business (`sceau-store`); this module
//! only reads answers and builds the [`Document`].

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use sceau_engine::Law;
use serde::{Deserialize, Serialize};

use crate::doc::{Block, Check, Document, Span};
use crate::typo::{date_fr, NBSP};

const AUDIT_TOML: &str = include_str!("../../../law/audit.toml");

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    pub id: String,
    pub section: String,
    pub question: String,
    pub help: String,
    pub cites: Vec<String>,
    pub action: String,
}

/// The checklist of `law/audit.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    pub version: String,
    pub section: Vec<Section>,
    pub point: Vec<Point>,
}

impl Checklist {
    /// Parses and checks a checklist: unique ids, known sections, at least
    /// one citation per point. Citations are checked against a corpus by
    /// [`Checklist::unknown_citations`].
    pub fn parse(text: &str) -> Result<Checklist, String> {
        let c: Checklist = toml::from_str(text).map_err(|e| format!("audit.toml : {e}"))?;
        let mut seen = std::collections::HashSet::new();
        for p in &c.point {
            if !seen.insert(p.id.as_str()) {
                return Err(format!("audit.toml : point « {} » en double", p.id));
            }
            if !c.section.iter().any(|s| s.id == p.section) {
                return Err(format!(
                    "audit.toml : point « {} » : section « {} » inconnue",
                    p.id, p.section
                ));
            }
            if p.cites.is_empty() {
                return Err(format!(
                    "audit.toml : point « {} » ne cite aucun article",
                    p.id
                ));
            }
        }
        Ok(c)
    }

    /// The embedded checklist (`law/audit.toml`); its test guarantees it parses.
    pub fn builtin() -> &'static Checklist {
        static C: OnceLock<Checklist> = OnceLock::new();
        C.get_or_init(|| Checklist::parse(AUDIT_TOML).expect("law/audit.toml parses"))
    }

    pub fn point(&self, id: &str) -> Option<&Point> {
        self.point.iter().find(|p| p.id == id)
    }

    /// The points of a section, in order.
    pub fn points_of<'a>(&'a self, section: &'a str) -> impl Iterator<Item = &'a Point> + 'a {
        self.point.iter().filter(move |p| p.section == section)
    }

    /// Citations that name no article of `law` (should be empty).
    pub fn unknown_citations(&self, law: &Law) -> Vec<(String, String)> {
        self.point
            .iter()
            .flat_map(|p| p.cites.iter().map(move |c| (p.id.clone(), c.clone())))
            .filter(|(_, c)| law.article(c).is_none())
            .collect()
    }
}

/// An answer to a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Oui,
    Non,
    SansObjet,
}

impl Answer {
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Oui => "oui",
            Answer::Non => "non",
            Answer::SansObjet => "sans_objet",
        }
    }
    pub fn parse(s: &str) -> Option<Answer> {
        match s {
            "oui" => Some(Answer::Oui),
            "non" => Some(Answer::Non),
            "sans_objet" => Some(Answer::SansObjet),
            _ => None,
        }
    }
    pub fn label_fr(self) -> &'static str {
        match self {
            Answer::Oui => "oui",
            Answer::Non => "non",
            Answer::SansObjet => "sans objet",
        }
    }
}

/// One audit as the report needs it.
#[derive(Debug, Clone)]
pub struct AuditRecord {
    /// The practice's audit number (1, 2, …).
    pub number: i64,
    pub date: NaiveDate,
    /// Who ran it (display name).
    pub author: String,
    pub practice: String,
    /// Point id → (answer, optional comment).
    pub answers: HashMap<String, (Answer, Option<String>)>,
}

impl AuditRecord {
    pub fn answer(&self, point: &str) -> Option<Answer> {
        self.answers.get(point).map(|a| a.0)
    }
    /// Points answered « oui », « non », « sans objet ».
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |a: Answer| self.answers.values().filter(|x| x.0 == a).count();
        (n(Answer::Oui), n(Answer::Non), n(Answer::SansObjet))
    }
}

/// How a point moved from the previous audit to this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// « non » then « oui ».
    Improved,
    /// « oui » then « non ».
    Regressed,
    Unchanged,
    /// Any other change (« sans objet » on either side, or a new point).
    Other,
}

/// The comparison of an audit with the previous one, in checklist order.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub previous_number: i64,
    pub previous_date: NaiveDate,
    pub points: Vec<(String, Change, Option<Answer>, Answer)>,
}

impl Comparison {
    pub fn of(&self, change: Change) -> Vec<&str> {
        self.points
            .iter()
            .filter(|p| p.1 == change)
            .map(|p| p.0.as_str())
            .collect()
    }
}

/// Compares `current` with `previous` on the points of `checklist` that
/// `current` answers.
pub fn compare(checklist: &Checklist, current: &AuditRecord, previous: &AuditRecord) -> Comparison {
    let points = checklist
        .point
        .iter()
        .filter_map(|p| {
            let now = current.answer(&p.id)?;
            let before = previous.answer(&p.id);
            let change = match (before, now) {
                (Some(b), n) if b == n => Change::Unchanged,
                (Some(Answer::Non), Answer::Oui) => Change::Improved,
                (Some(Answer::Oui), Answer::Non) => Change::Regressed,
                _ => Change::Other,
            };
            Some((p.id.clone(), change, before, now))
        })
        .collect();
    Comparison {
        previous_number: previous.number,
        previous_date: previous.date,
        points,
    }
}

/// « art. R. 4321-114 du code de la santé publique », joined.
pub fn citations_fr(law: &Law, cites: &[String]) -> String {
    let list: Vec<String> = cites
        .iter()
        .map(|c| {
            law.article(c)
                .map(|a| a.citation_fr())
                .unwrap_or_else(|| c.clone())
        })
        .collect();
    list.join(" ; ")
}

fn question_text(p: &Point) -> String {
    p.question.trim_end_matches([' ', '?']).to_string()
}

/// The dated report: summary, actions to take (each citing its articles),
/// the answers section by section, and the comparison with the previous
/// audit when there is one.
pub fn report(
    law: &Law,
    checklist: &Checklist,
    audit: &AuditRecord,
    previous: Option<&AuditRecord>,
) -> Document {
    let (yes, no, na) = audit.counts();
    let mut blocks = vec![Block::Paragraph {
        spans: vec![
            Span::regular(format!(
                "Audit n° {} du cabinet « {} », réalisé le {} par {}. ",
                audit.number,
                audit.practice,
                date_fr(audit.date),
                audit.author
            )),
            Span::bold(format!(
                "{yes} point(s) conforme(s), {no} action(s) à mener, {na} sans objet."
            )),
        ],
    }];
    blocks.push(Block::heading("Actions à mener"));
    let actions: Vec<Vec<Span>> = checklist
        .point
        .iter()
        .filter(|p| audit.answer(&p.id) == Some(Answer::Non))
        .map(|p| {
            vec![
                Span::regular(format!("{} ", p.action)),
                Span::italic(format!("({})", citations_fr(law, &p.cites))),
            ]
        })
        .collect();
    if actions.is_empty() {
        blocks.push(Block::para(
            "Aucune : chaque point applicable est conforme. Refaites cet audit après tout changement de locaux, de personnel ou de matériel.",
        ));
    } else {
        blocks.push(Block::Checklist {
            items: actions.into_iter().map(|a| (Check::Todo, a)).collect(),
        });
    }
    if let Some(prev) = previous {
        let cmp = compare(checklist, audit, prev);
        blocks.push(Block::heading(format!(
            "Évolution depuis l’audit n° {} du {}",
            cmp.previous_number,
            date_fr(cmp.previous_date)
        )));
        for (change, title) in [
            (Change::Improved, "Points améliorés"),
            (Change::Regressed, "Points en recul"),
            (Change::Other, "Autres changements"),
        ] {
            let items: Vec<Vec<Span>> = cmp
                .points
                .iter()
                .filter(|x| x.1 == change)
                .filter_map(|(id, _, before, now)| {
                    let p = checklist.point(id)?;
                    Some(vec![
                        Span::regular(format!("{} ", question_text(p))),
                        Span::italic(format!(
                            "({} → {})",
                            before.map(Answer::label_fr).unwrap_or("non posé"),
                            now.label_fr()
                        )),
                    ])
                })
                .collect();
            if !items.is_empty() {
                blocks.push(Block::Paragraph {
                    spans: vec![Span::bold(format!("{title} ({}){NBSP}:", items.len()))],
                });
                blocks.push(Block::Bullets { items });
            }
        }
        let same = cmp.of(Change::Unchanged).len();
        blocks.push(Block::para(format!("Points inchangés{NBSP}: {same}.")));
    } else {
        blocks.push(Block::heading("Évolution"));
        blocks.push(Block::para(
            "Premier audit du cabinet : le prochain sera comparé à celui-ci.",
        ));
    }
    for s in &checklist.section {
        let items: Vec<(Check, Vec<Span>)> = checklist
            .points_of(&s.id)
            .filter_map(|p| {
                let (a, comment) = audit.answers.get(&p.id)?;
                let mark = match a {
                    Answer::Oui => Check::Ok,
                    Answer::Non => Check::Remove,
                    Answer::SansObjet => Check::Todo,
                };
                let mut spans = vec![
                    Span::regular(format!("{} ", question_text(p))),
                    Span::bold(format!("— {}.", a.label_fr())),
                ];
                if let Some(c) = comment.as_deref().filter(|c| !c.trim().is_empty()) {
                    spans.push(Span::regular(format!(" Commentaire{NBSP}: {}", c.trim())));
                }
                spans.push(Span::italic(format!(" ({})", citations_fr(law, &p.cites))));
                Some((mark, spans))
            })
            .collect();
        if !items.is_empty() {
            blocks.push(Block::heading(s.title.clone()));
            blocks.push(Block::Checklist { items });
        }
    }
    blocks.push(Block::heading("Textes appliqués"));
    let mut cited: Vec<&String> = checklist.point.iter().flat_map(|p| &p.cites).collect();
    cited.sort();
    cited.dedup();
    for id in cited {
        if let Some((art, v, _)) = law.source_text(id, audit.date) {
            blocks.push(Block::Small {
                spans: vec![
                    Span::bold(format!("Article {}{NBSP}: ", art.number)),
                    Span::italic(v.text.trim().replace("\n\n", " ")),
                ],
            });
        }
    }
    Document {
        title: format!("Audit du secret professionnel n° {}", audit.number),
        letterhead: vec![audit.practice.clone()],
        recipient: vec![],
        place_date: Some(format!("Le {}", date_fr(audit.date))),
        subject: None,
        heading: Some(
            "Audit du secret professionnel au cabinet (art. R. 4321-114, R. 4321-115 et R. 4321-116 du code de la santé publique)"
                .into(),
        ),
        salutation: None,
        blocks,
        signature: vec![audit.author.clone()],
        footer: Some(format!(
            "Auto-évaluation du cabinet, liste de contrôle du {} ; ne contient aucune donnée de patient.",
            NaiveDate::parse_from_str(&checklist.version, "%Y-%m-%d")
                .map(date_fr)
                .unwrap_or_else(|_| checklist.version.clone())
        )),
    }
    .typeset()
}
