//! The expert's checklist (art. R. 4321-141 CSP): every element planned for
//! the report is tied to a question of the mission or marked « à taire »;
//! the engine says whether the report, so composed, stays within the
//! mission; the checks to tick before sending follow.

use chrono::NaiveDate;
use sceau_engine::{Decision, Law, Verdict};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::check::Lexicon;
use crate::doc::{Block, Check, Document, Span};
use crate::form::{from_value, parse_json, validate_author, Author, Field, FormError};
use crate::signalement::Refusal;
use crate::typo::{date_fr, quoted, sentence, NBSP};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mission {
    /// The court or authority that ordered the expertise.
    pub court: String,
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub order_date: Option<NaiveDate>,
    /// The questions of the mission, numbered from 1 in this order.
    pub questions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Element {
    pub text: String,
    /// Numbers (from 1) of the questions this element answers.
    #[serde(default)]
    pub answers: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpertiseForm {
    pub author: Author,
    pub mission: Mission,
    pub elements: Vec<Element>,
    #[serde(default)]
    pub date: Option<NaiveDate>,
}

impl ExpertiseForm {
    pub fn from_json_str(text: &str) -> Result<ExpertiseForm, FormError> {
        let f: ExpertiseForm = from_value(&parse_json(text)?)?;
        validate_author(&f.author, "author")?;
        if f.mission.questions.is_empty() {
            return Err(FormError::empty("mission.questions"));
        }
        if f.mission.court.trim().is_empty() {
            return Err(FormError::empty("mission.court"));
        }
        Ok(f)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Checklist {
    pub document: Document,
    /// Indices of the elements that answer no question: to be left out.
    pub outside_mission: Vec<usize>,
    pub decision: Decision,
}

/// Builds the checklist for a masseur-kinésithérapeute (the command line,
/// where the person at the terminal is the expert the court appointed).
pub fn checklist(law: &Law, form: &ExpertiseForm, today: NaiveDate) -> Result<Checklist, Refusal> {
    checklist_as(law, form, "masseur_kinesitherapeute", today)
}

/// Builds the checklist for the expert whose profession is `actor` (a value
/// of the law's `actor` fact): the engine decides whether this actor may
/// answer the court's questions.
pub fn checklist_as(
    law: &Law,
    form: &ExpertiseForm,
    actor: &str,
    today: NaiveDate,
) -> Result<Checklist, Refusal> {
    let n = form.mission.questions.len();
    let outside: Vec<usize> = form
        .elements
        .iter()
        .enumerate()
        .filter(|(_, e)| e.answers.is_empty() || e.answers.iter().any(|&q| q == 0 || q > n))
        .map(|(i, _)| i)
        .collect();
    let situation = json!({
        "actor": actor,
        "actor_context": "expert_judiciaire",
        "purpose": "expertise",
        "recipient": "juge",
        "info_obtained_in_practice": true,
        "info_within_expert_questions": outside.is_empty(),
    });
    let s = law
        .parse_situation(&situation, today)
        .map_err(|e| Refusal::Invalid(FormError::from_situation(e)))?;
    let d = law.decide(&s);
    let a = &form.author;
    let m = &form.mission;
    let mut blocks = Vec::new();
    let mut intro = format!(
        "Expert{NBSP}: {}, {} (RPPS {}). Mission ordonnée par {}",
        a.name.trim(),
        a.profession().to_lowercase(),
        a.rpps.trim(),
        m.court.trim()
    );
    if let Some(dt) = m.order_date {
        intro.push_str(&format!(" le {}", date_fr(dt)));
    }
    if let Some(r) = m.reference.as_deref().filter(|r| !r.trim().is_empty()) {
        intro.push_str(&format!(" (référence {})", r.trim()));
    }
    intro.push('.');
    blocks.push(Block::para(intro));
    if let Some((art, v, _)) = law.source_text("csp:R4321-141", s.as_of) {
        blocks.push(Block::Small {
            spans: vec![
                Span::bold(format!(
                    "Article {} du code de la santé publique{NBSP}: ",
                    art.number
                )),
                Span::italic(quoted(v.text.trim())),
            ],
        });
    }
    blocks.push(Block::heading("Questions de la mission"));
    blocks.push(Block::Bullets {
        items: m
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| {
                vec![
                    Span::bold(format!("Q{}. ", i + 1)),
                    Span::regular(sentence(q)),
                ]
            })
            .collect(),
    });
    blocks.push(Block::heading("Éléments envisagés pour le rapport"));
    let lex = Lexicon::builtin();
    let names: Vec<String> = a.name.split_whitespace().map(str::to_string).collect();
    let mut items = Vec::new();
    for (i, e) in form.elements.iter().enumerate() {
        let mut spans = vec![Span::regular(sentence(&e.text))];
        if outside.contains(&i) {
            spans.push(Span::bold(
                " — ne répond à aucune question de la mission : à taire.",
            ));
            items.push((Check::Remove, spans));
        } else {
            let qs: Vec<String> = e.answers.iter().map(|q| format!("Q{q}")).collect();
            spans.push(Span::italic(format!(" — répond à {}.", qs.join(", "))));
            let kinds = lex.classify(Field::Context, &e.text, &names);
            if !kinds.is_empty() {
                let labels: Vec<&str> = kinds.iter().map(|k| k.label.as_str()).collect();
                spans.push(Span::regular(format!(
                    " À vérifier ({}){NBSP}: ne garder que ce qui est nécessaire à la réponse.",
                    labels.join(", ").to_lowercase()
                )));
            }
            items.push((Check::Ok, spans));
        }
    }
    if items.is_empty() {
        blocks.push(Block::para("Aucun élément n’a encore été saisi."));
    } else {
        blocks.push(Block::Checklist { items });
    }
    blocks.push(Block::heading("Avis de Sceau"));
    let verdict = match d.verdict {
        Verdict::Allowed => "Composé de ces seuls éléments, le rapport reste dans les limites de la mission.".to_string(),
        Verdict::Forbidden => format!(
            "{} élément(s) sortent des questions posées : les révéler violerait le secret. Retirez-les du rapport.",
            outside.len()
        ),
        other => format!("{}.", other.label_fr()),
    };
    blocks.push(Block::para(verdict));
    if let Some(line) = d.explanation.lines().find(|l| l.contains("4321-141")) {
        blocks.push(Block::para(line.to_string()));
    }
    blocks.push(Block::heading("Vérifications avant l’envoi du rapport"));
    blocks.push(Block::Checklist {
        items: [
            "Chaque passage du rapport répond à l’une des questions posées.",
            "Rien de ce que j’ai appris à l’occasion de l’expertise, hors de ces questions, n’y figure (antécédents, vie privée, entourage).",
            "Aucune information sur des tiers (famille, entourage, autres patients).",
            "Aucune information issue de soins que j’aurais donnés à cette personne en dehors de la mission.",
            "Le rapport est remis à la seule juridiction qui m’a désigné(e).",
            "Le rapport comporte l’attestation : « J’atteste avoir accompli personnellement ma mission. »",
        ]
        .iter()
        .map(|t| (Check::Todo, vec![Span::regular(crate::typo::fr(t))]))
        .collect(),
    });
    let document = Document {
        title: "Liste de contrôle du rapport d’expertise".into(),
        letterhead: {
            let mut l = vec![a.name.trim().to_string(), a.profession(), format!("RPPS{NBSP}: {}", a.rpps.trim())];
            l.extend(a.address.0.iter().cloned());
            l
        },
        recipient: vec![],
        place_date: Some(format!("Le {}", date_fr(form.date.unwrap_or(today)))),
        subject: None,
        heading: Some("Liste de contrôle du rapport d’expertise (art. R. 4321-141 du code de la santé publique)".into()),
        salutation: None,
        blocks,
        signature: vec![],
        footer: Some("Document de travail de l’expert, à ne pas joindre au rapport.".into()),
    };
    Ok(Checklist {
        document: document.typeset(),
        outside_mission: outside,
        decision: d,
    })
}
