//! The reply to a judicial requisition asking for information covered by
//! the secret (CPP 60-1, 77-1-1, 99-3): a written refusal citing the texts
//! as the CNOMK guide reasons, neither confirming nor denying that the
//! person is a patient, and inviting a seizure in the presence of the
//! Ordre. The engine must answer `not_required` for the situation.

use chrono::NaiveDate;
use sceau_engine::{Decision, Law, Verdict};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::doc::{Block, Document, Span};
use crate::form::{from_value, parse_json, validate_author, Author, FormError, Lines};
use crate::signalement::Refusal;
use crate::typo::{date_fr, quoted, sentence, NBSP};

/// Which inquiry the requisition belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    /// Enquête de flagrance (art. 60-1 CPP).
    Flagrance,
    /// Enquête préliminaire (art. 77-1-1 CPP).
    Preliminaire,
    /// Information judiciaire (art. 99-3 CPP).
    Instruction,
}

impl Procedure {
    fn article(self) -> &'static str {
        match self {
            Procedure::Flagrance => "cpp:60-1",
            Procedure::Preliminaire => "cpp:77-1-1",
            Procedure::Instruction => "cpp:99-3",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requester {
    /// The contract's recipient: police_gendarmerie, procureur or juge.
    pub kind: String,
    /// « Officier de police judiciaire », « Juge d’instruction »…
    #[serde(default)]
    pub title: Option<String>,
    /// Service or court (« Brigade de gendarmerie de … »).
    #[serde(default)]
    pub service: Option<String>,
    pub address: Lines,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequisitionRef {
    pub date: NaiveDate,
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub procedure: Option<Procedure>,
    #[serde(default)]
    pub received: Option<NaiveDate>,
}

/// The requisition form (JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequisitionForm {
    pub author: Author,
    pub requester: Requester,
    pub requisition: RequisitionRef,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// More facts for the engine (e.g. `actor`); purpose, recipient and
    /// info_obtained_in_practice are set from the form.
    #[serde(default)]
    pub situation: Option<Value>,
}

impl RequisitionForm {
    pub fn from_json_str(text: &str) -> Result<RequisitionForm, FormError> {
        let f: RequisitionForm = from_value(&parse_json(text)?)?;
        validate_author(&f.author, "author")?;
        if !["police_gendarmerie", "procureur", "juge"].contains(&f.requester.kind.as_str()) {
            return Err(FormError {
                error: "unknown_value",
                field: "requester.kind".into(),
                message: "Champ « requester.kind » : valeur non reconnue. Valeurs acceptées : police_gendarmerie, procureur, juge.".into(),
                message_en: "Field \"requester.kind\": value not recognised. Accepted values: police_gendarmerie, procureur, juge.".into(),
            });
        }
        if f.requester.address.0.is_empty() {
            return Err(FormError::empty("requester.address"));
        }
        Ok(f)
    }
}

/// The reply, and what to do next.
#[derive(Debug, Clone, Serialize)]
pub struct Reply {
    pub letter: Document,
    pub follow_up: Vec<String>,
    pub decision: Decision,
}

fn place_of(author: &Author, place: &Option<String>) -> String {
    if let Some(p) = place.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        return p.into();
    }
    author.town()
}

/// Drafts the reply declining the requisition.
pub fn draft(law: &Law, form: &RequisitionForm, today: NaiveDate) -> Result<Reply, Refusal> {
    let mut situation = match &form.situation {
        Some(Value::Object(m)) => m.clone(),
        Some(Value::Null) | None => serde_json::Map::new(),
        Some(_) => {
            return Err(Refusal::Invalid(FormError {
                error: "wrong_type",
                field: "situation".into(),
                message: "Champ « situation » : un objet JSON de faits est attendu.".into(),
                message_en: "Field \"situation\": a JSON object of facts is expected.".into(),
            }))
        }
    };
    situation.insert("purpose".into(), "reponse_requisition".into());
    situation.insert(
        "recipient".into(),
        Value::String(form.requester.kind.clone()),
    );
    situation
        .entry("info_obtained_in_practice")
        .or_insert(Value::Bool(true));
    situation
        .entry("actor")
        .or_insert("masseur_kinesitherapeute".into());
    let s = law
        .parse_situation(&Value::Object(situation), today)
        .map_err(|e| Refusal::Invalid(FormError::from_situation(e)))?;
    let d = law.decide(&s);
    if d.verdict != Verdict::NotRequired {
        return Err(Refusal::NoDerogation {
            verdict: d.verdict,
            explanation: d.explanation.lines().take(2).collect::<Vec<_>>().join(" "),
            questions: vec![],
            options: vec![
                "Ce modèle de réponse ne convient pas à cette situation : prenez conseil auprès du conseil départemental de l’ordre avant de répondre.".into(),
            ],
        });
    }
    let a = &form.author;
    let r = &form.requisition;
    let date = form.date.unwrap_or(today);
    let place = place_of(a, &form.place);
    let tenu = match a.gender.as_deref() {
        Some("f") | Some("F") => "tenue",
        Some("m") | Some("M") => "tenu",
        _ => "tenu(e)",
    };
    let profession = a.profession();
    let cpp_articles: Vec<&str> = match r.procedure {
        Some(p) => vec![p.article()],
        None => vec!["cpp:60-1", "cpp:77-1-1", "cpp:99-3"],
    };
    let cpp_cited: Vec<String> = cpp_articles
        .iter()
        .filter_map(|id| law.article(id).map(|a| a.number.clone()))
        .collect();
    let cpp_phrase = if cpp_cited.len() == 1 {
        format!("l’article {} du code de procédure pénale", cpp_cited[0])
    } else {
        format!(
            "les articles {} du code de procédure pénale",
            cpp_cited.join(", ")
        )
    };
    let reference = r
        .reference
        .as_deref()
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|x| format!(" (référence {x})"))
        .unwrap_or_default();
    let received = r
        .received
        .map(|d| format!(", reçue le {}", date_fr(d)))
        .unwrap_or_default();
    let mut blocks = vec![
        Block::para(format!(
            "Par réquisition du {}{reference}{received}, vous me demandez de vous remettre des informations concernant une personne que vous désignez.",
            date_fr(r.date)
        )),
        Block::para(format!(
            "{profession}, je suis {tenu} au secret professionnel. Il couvre « tout ce qui est venu à la connaissance du masseur-kinésithérapeute dans l’exercice de sa profession, c’est-à-dire non seulement ce qui lui a été confié, mais aussi ce qu’il a vu, entendu ou compris » (article R.{NBSP}4321-55 du code de la santé publique), y compris l’identité des personnes que je reçois et le fait même qu’elles me consultent. Toute personne prise en charge a droit au respect de sa vie privée et du secret des informations la concernant (article L.{NBSP}1110-4 du code de la santé publique), et la révélation d’une information à caractère secret est punie par l’article 226-13 du code pénal."
        )),
        Block::para(format!(
            "Votre réquisition se fonde sur {cpp_phrase}, qui permet de requérir la remise d’informations « sans que puisse […] être opposée, sans motif légitime, l’obligation au secret professionnel ». Le secret auquel la loi m’astreint constitue un tel motif légitime. Pour les médecins et les autres personnes mentionnées aux articles 56-1 à 56-3 du même code, la remise ne peut intervenir qu’avec leur accord (circulaire CRIM n°{NBSP}2004-04/E8 du 14 mai 2004){NBSP}; si l’article 56-3 n’a pas été étendu aux masseurs-kinésithérapeutes, le guide du Conseil national de l’ordre des masseurs-kinésithérapeutes relatif au secret professionnel en conclut qu’« il semble possible d’affirmer que le masseur-kinésithérapeute n’est pas tenu de répondre favorablement à une réquisition ayant pour objet la remise d’informations couvertes par le secret médical »."
        )),
        Block::para(
            "En conséquence, je ne suis pas en mesure de vous remettre les informations demandées, ni de confirmer ou d’infirmer que la personne visée est ou a été reçue à mon cabinet. L’accord de la personne concernée ne me délierait pas de ce secret.",
        ),
        Block::para(
            "Si l’autorité judiciaire estime ces informations nécessaires, il lui appartient de procéder à leur saisie dans les formes prévues par le code de procédure pénale ; je demande qu’elle ait lieu en présence d’un représentant du conseil départemental de l’ordre des masseurs-kinésithérapeutes, que j’informe de la présente réponse.",
        ),
        Block::heading("Textes cités"),
    ];
    for id in ["csp:R4321-55", "cp:226-13"] {
        if let Some((art, v, _)) = law.source_text(id, s.as_of) {
            blocks.push(Block::Small {
                spans: vec![
                    Span::bold(format!("{}{NBSP}: ", capitalise(&art.citation_fr()))),
                    Span::italic(quoted(v.text.trim())),
                ],
            });
        }
    }
    blocks.push(Block::para(
        "Je vous prie d’agréer, Madame, Monsieur, l’expression de ma considération distinguée.",
    ));
    let mut recipient = Vec::new();
    if let Some(t) = form
        .requester
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        recipient.push(t.trim().to_string());
    }
    if let Some(t) = form
        .requester
        .service
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        recipient.push(t.trim().to_string());
    }
    recipient.extend(form.requester.address.0.iter().cloned());
    let mut letterhead = vec![
        a.name.trim().to_string(),
        profession.clone(),
        format!("RPPS{NBSP}: {}", a.rpps.trim()),
    ];
    letterhead.extend(a.address.0.iter().cloned());
    let letter = Document {
        title: "Réponse à une réquisition judiciaire".into(),
        letterhead,
        recipient,
        place_date: Some(format!("{place}, le {}", date_fr(date))),
        subject: Some(format!(
            "Votre réquisition du {}{reference} — secret professionnel",
            date_fr(r.date)
        )),
        heading: None,
        salutation: Some("Madame, Monsieur,".into()),
        blocks,
        signature: vec![
            format!("Fait à {place}, le {}", date_fr(date)),
            a.name.trim().to_string(),
            profession,
            format!("RPPS {}", a.rpps.trim()),
            format!("Signature{NBSP}:"),
        ],
        footer: Some("Réponse écrite à une réquisition de remise d’informations : aucune information couverte par le secret n’y est communiquée.".into()),
    };
    let letter = letter.typeset();
    let mut follow_up = Vec::new();
    for id in d.duties.iter().chain(d.warnings.iter()) {
        if let Some(t) = law.term(id) {
            follow_up.push(sentence(&t.label));
        }
    }
    follow_up.push("Ne communiquez rien par téléphone ni oralement ; exigez une réquisition écrite et vérifiez la qualité de son auteur.".into());
    follow_up.push("Une réquisition de constatations ou d’examen (articles 60 et 77-1 du code de procédure pénale) est un autre cas : prenez conseil auprès du conseil départemental de l’ordre.".into());
    follow_up.push("Conservez une copie de la réquisition et de votre réponse.".into());
    let follow_up = follow_up.iter().map(|l| crate::typo::fr(l)).collect();
    Ok(Reply {
        letter,
        follow_up,
        decision: d,
    })
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
