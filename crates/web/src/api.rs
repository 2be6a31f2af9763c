//! The open JSON API, `/api/v1`: decisions, the guided interview, the
//! articles, and `whoami` for a token. Each handler carries its OpenAPI
//! description (utoipa); `openapi` assembles them.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::NaiveDate;
use sceau_engine::{FactKind, Law, SituationError, Verdict};
use serde::Serialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

use crate::dates::today;
use crate::error::{api_error, json_body, unprocessable};
use crate::schemas::{ApiErrorDoc, DecisionDoc, SituationDoc, SituationErrorDoc};
use crate::session::ApiCaller;
use crate::AppState;

/// Runs `work` here when the law is compiled for `date` (a decision then
/// takes microseconds: handing it to another thread would cost more than
/// it), else on a thread that may block: the first decision dated in a
/// period compiles it, and a period left to the reference engine searches.
async fn off_async_if_slow<T: Send + 'static>(
    law: &'static Law,
    date: NaiveDate,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, tokio::task::JoinError> {
    if law.ready_for(date) {
        Ok(work())
    } else {
        tokio::task::spawn_blocking(work).await
    }
}

/// The decision's JSON text, written by the engine from prepared
/// fragments (the same bytes as serde's for `Law::decide`).
async fn decide_json_blocking(law: &'static Law, s: sceau_engine::Situation) -> String {
    match off_async_if_slow(law, s.as_of, move || {
        let a = law.assess(&s);
        (a.verdict, law.decision_json(&a, &law.missing(&a)))
    })
    .await
    {
        Ok((verdict, json)) => {
            crate::metrics::decision(verdict);
            json
        }
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// One step of the interview: the missing facts (most decisive first) when
/// the verdict is undetermined and some are left, else the decision's JSON
/// text (see [`decide_json_blocking`]).
async fn interview_blocking(
    law: &'static Law,
    s: sceau_engine::Situation,
) -> Result<Vec<usize>, String> {
    match off_async_if_slow(law, s.as_of, move || {
        let a = law.assess(&s);
        let missing = law.missing(&a);
        if a.verdict == Verdict::Undetermined && !missing.is_empty() {
            (a.verdict, Ok(missing))
        } else {
            (a.verdict, Err(law.decision_json(&a, &missing)))
        }
    })
    .await
    {
        Ok((verdict, step)) => {
            crate::metrics::decision(verdict);
            step
        }
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// A JSON text as the body of a 200 answer, with `extra` (a field name and
/// its value) added last, as `Json` would write the object with it.
fn json_text(mut text: String, extra: Option<(&str, Value)>) -> Response {
    if let Some((name, value)) = extra {
        if text.ends_with('}') {
            text.pop();
            text.push_str(&format!(",{}:{}}}", json!(name), value));
        }
    }
    ([(header::CONTENT_TYPE, "application/json")], text).into_response()
}

/// Takes the register fields (`patient`, `recipient_ref`) out of a request
/// object, and completes the situation with the register's facts. Only an
/// authenticated caller may name a patient; a fact given by the caller
/// that contradicts the register is an error.
#[allow(clippy::result_large_err)]
async fn apply_register(
    state: &AppState,
    caller: Option<&ApiCaller>,
    obj: &mut serde_json::Map<String, Value>,
    s: &mut sceau_engine::Situation,
    take_from: bool,
) -> Result<Option<Vec<crate::facts::RegisterFact>>, Response> {
    let (patient, rref) = if take_from {
        (obj.remove("patient"), obj.remove("recipient_ref"))
    } else {
        (None, None)
    };
    register_for(state, caller, patient, rref, s).await
}

#[allow(clippy::result_large_err)]
async fn register_for(
    state: &AppState,
    caller: Option<&ApiCaller>,
    patient: Option<Value>,
    rref: Option<Value>,
    s: &mut sceau_engine::Situation,
) -> Result<Option<Vec<crate::facts::RegisterFact>>, Response> {
    // Both fields are checked for their type before anything else, so that
    // a `recipient_ref` of the wrong type is refused even without `patient`.
    let patient =
        match patient {
            None | Some(Value::Null) => None,
            Some(Value::String(p)) => Some(p),
            Some(_) => return Err(unprocessable(SituationError {
                error: "wrong_type",
                field: Some("patient".into()),
                accepted: vec!["pat_…".into()],
                message:
                    "Champ « patient » : la référence du registre (texte « pat_… ») est attendue."
                        .into(),
                message_en:
                    "Field \"patient\": the register reference (string \"pat_…\") is expected."
                        .into(),
            })),
        };
    let rref = match rref {
        None | Some(Value::Null) => None,
        Some(Value::String(r)) => Some(r),
        Some(_) => {
            return Err(unprocessable(SituationError {
                error: "wrong_type",
                field: Some("recipient_ref".into()),
                accepted: vec!["eqp_…".into(), "cst_…".into()],
                message: "Champ « recipient_ref » : l’identifiant d’un membre de l’équipe de soins ou d’un consentement est attendu.".into(),
                message_en: "Field \"recipient_ref\": a care-team member or consent identifier is expected.".into(),
            }))
        }
    };
    let Some(patient) = patient else {
        return Ok(None);
    };
    let Some(caller) = caller else {
        let mut r = api_error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Le champ « patient » consulte le registre : envoyez l’en-tête « Authorization: Bearer <jeton> ».",
            "The \"patient\" field reads the register: send \"Authorization: Bearer <token>\".",
        );
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            axum::http::HeaderValue::from_static("Bearer realm=\"sceau\""),
        );
        return Err(r);
    };
    let law = state.law();
    let record = match crate::facts::Record::load(state.store(), caller.practice.id, &patient).await
    {
        Ok(r) => r,
        Err(sceau_store::StoreError::NotFound) => return Err(crate::error::api_not_found()),
        Err(e) => return Err(crate::error::outage_api("registre", &e)),
    };
    let known = s.known(law);
    // One policy with the pages (`sceau_app::situation`): a fact given by the
    // caller that contradicts the register is refused, naming the fact.
    match sceau_app::complete_with_register(law, s, &record, rref.as_deref(), &known) {
        Ok(supplied) => Ok(Some(supplied)),
        Err(sceau_app::situation::RegisterError::UnknownRecipient) => {
            Err(crate::error::api_not_found())
        }
        Err(sceau_app::situation::RegisterError::Conflict(c)) => Err(unprocessable(SituationError {
            error: "register_conflict",
            field: Some(c.fact.clone()),
            accepted: vec![c.register.clone()],
            message: format!("Champ « {} » : le registre indique une autre valeur ; retirez ce fait, le registre le fournit.", c.fact),
            message_en: format!("Field \"{}\": the register says otherwise; leave this fact out, the register supplies it.", c.fact),
        })),
    }
}

/// Decides a situation (the contract's function).
#[utoipa::path(
    post,
    path = "/api/v1/decisions",
    tag = "décisions",
    request_body(content = SituationDoc, description = "La situation : un objet de faits, tous facultatifs (un fait absent est inconnu).", content_type = "application/json"),
    responses(
        (status = 200, description = "La décision", body = DecisionDoc),
        (status = 401, description = "Jeton requis (serveur lancé avec --private-api)", body = ApiErrorDoc),
        (status = 415, description = "Le corps n’est pas du JSON", body = ApiErrorDoc),
        (status = 422, description = "Situation invalide : le champ fautif et les valeurs acceptées", body = SituationErrorDoc),
        (status = 429, description = "Trop de requêtes", body = ApiErrorDoc),
    ),
    security((), ("bearer" = []))
)]
pub async fn decide(
    State(state): State<AppState>,
    caller: Option<Extension<ApiCaller>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut value = match json_body(&headers, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let law = state.law();
    let mut reg_fields = serde_json::Map::new();
    if let Some(o) = value.as_object_mut() {
        for k in ["patient", "recipient_ref"] {
            if let Some(v) = o.remove(k) {
                reg_fields.insert(k.into(), v);
            }
        }
    }
    let mut s = match law.parse_situation(&value, today()) {
        Ok(s) => s,
        Err(e) => return unprocessable(e),
    };
    let supplied = match apply_register(
        &state,
        caller.as_ref().map(|c| &c.0),
        &mut reg_fields,
        &mut s,
        true,
    )
    .await
    {
        Ok(x) => x,
        Err(r) => return r,
    };
    let d = decide_json_blocking(law, s).await;
    let extra = supplied.map(|f| {
        let facts = serde_json::to_value(f).unwrap_or_default();
        ("register_facts", facts)
    });
    json_text(d, extra)
}

/// The interview's request: the answers so far.
#[derive(Debug, ToSchema)]
pub struct InterviewRequestDoc {
    /// The answers given so far: a situation (absent: none yet).
    #[schema(inline = false, required = false)]
    pub answers: SituationDoc,
    /// Register reference of the patient (`pat_…`, bearer token required).
    pub patient: Option<String>,
    /// With `patient`: a care-team member (`eqp_…`) or a consent (`cst_…`) as recipient.
    pub recipient_ref: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChoiceDoc {
    pub value: String,
    pub label: String,
    pub label_en: String,
}

/// The next question to ask.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionDoc {
    /// The fact this question sets.
    pub fact: String,
    /// `bool` or `enum`.
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    pub kind: String,
    pub question: String,
    pub help: String,
    pub question_en: String,
    pub choices: Vec<ChoiceDoc>,
}

/// Either the next question or, when the answers settle it, the decision.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct InterviewResponseDoc {
    #[schema(required = false)]
    pub next: Option<QuestionDoc>,
    /// Facts answered so far.
    pub answered: usize,
    /// Facts that may still be asked (an upper estimate of the questions left).
    pub remaining: usize,
    #[schema(required = false)]
    pub decision: Option<DecisionDoc>,
}

/// Given the answers so far, the next question or the decision.
#[utoipa::path(
    post,
    path = "/api/v1/interview",
    tag = "décisions",
    request_body(content = InterviewRequestDoc, content_type = "application/json"),
    responses(
        (status = 200, description = "La question suivante (`next`) ou la décision (`decision`)", body = InterviewResponseDoc),
        (status = 401, description = "Jeton requis (serveur lancé avec --private-api)", body = ApiErrorDoc),
        (status = 415, description = "Le corps n’est pas du JSON", body = ApiErrorDoc),
        (status = 422, description = "Réponses invalides", body = SituationErrorDoc),
        (status = 429, description = "Trop de requêtes", body = ApiErrorDoc),
    ),
    security((), ("bearer" = []))
)]
pub async fn interview(
    State(state): State<AppState>,
    caller: Option<Extension<ApiCaller>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let value = match json_body(&headers, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let law = state.law();
    let mut reg_fields = serde_json::Map::new();
    let answers = match value.as_object() {
        Some(o) => {
            for k in ["patient", "recipient_ref"] {
                if let Some(v) = o.get(k) {
                    reg_fields.insert(k.into(), v.clone());
                }
            }
            // An unknown key may be anything typed: never repeated.
            if o.keys()
                .any(|k| !["answers", "patient", "recipient_ref"].contains(&k.as_str()))
            {
                return unprocessable(SituationError {
                    error: "unknown_field",
                    field: None,
                    accepted: vec!["answers".into(), "patient".into(), "recipient_ref".into()],
                    message: "Champ inconnu\u{a0}: le corps attendu est {\"answers\": {…situation…}} (et, avec un jeton, «\u{a0}patient\u{a0}», «\u{a0}recipient_ref\u{a0}»).".into(),
                    message_en: "Unknown field: the expected body is {\"answers\": {…situation…}} (and, with a token, \"patient\", \"recipient_ref\").".into(),
                });
            }
            o.get("answers").cloned().unwrap_or_else(|| json!({}))
        }
        None => {
            return unprocessable(SituationError {
                error: "not_an_object",
                field: None,
                accepted: vec!["answers".into()],
                message: "Le corps doit être un objet JSON {\"answers\": {…situation…}}.".into(),
                message_en: "The body must be a JSON object {\"answers\": {…situation…}}.".into(),
            })
        }
    };
    if !answers.is_object() {
        return unprocessable(SituationError {
            error: "wrong_type",
            field: Some("answers".into()),
            accepted: vec![],
            message: "Champ « answers » : un objet de faits (une situation) est attendu.".into(),
            message_en: "Field \"answers\": an object of facts (a situation) is expected.".into(),
        });
    }
    let mut s = match law.parse_situation(&answers, today()) {
        Ok(s) => s,
        Err(e) => return unprocessable(e),
    };
    let answered = s.known(law).len();
    let supplied = match apply_register(
        &state,
        caller.as_ref().map(|c| &c.0),
        &mut reg_fields,
        &mut s,
        true,
    )
    .await
    {
        Ok(x) => x,
        Err(r) => return r,
    };
    let step = interview_blocking(law, s).await;
    let register_facts = supplied.map(|f| serde_json::to_value(f).unwrap_or_default());
    let missing = match step {
        Ok(missing) => missing,
        Err(d) => {
            // `{"decision":…,"answered":…,"remaining":0}` then the register's
            // facts, as `json!` writes it, around the engine's text.
            let text = format!("{{\"decision\":{d},\"answered\":{answered},\"remaining\":0}}");
            return json_text(text, register_facts.map(|v| ("register_facts", v)));
        }
    };
    // `interview_blocking` answers with the missing facts only when some are left.
    let f = &law.facts[missing[0]];
    let mut body = json!({
        "next": QuestionDoc {
            fact: f.id.clone(),
            kind: match f.kind { FactKind::Bool => "bool".into(), FactKind::Enum => "enum".into() },
            question: f.question.clone(),
            help: f.help.clone(),
            question_en: f.question_en.clone(),
            choices: f.choices.iter().map(|c| ChoiceDoc { value: c.value.clone(), label: c.label.clone(), label_en: c.label_en.clone() }).collect(),
        },
        "answered": answered,
        "remaining": missing.len(),
    });
    if let Some(v) = register_facts {
        body["register_facts"] = v;
    }
    Json(body).into_response()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionSummaryDoc {
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    /// `complete`, `partial` or `unavailable`.
    pub status: String,
    /// French description of the period of validity.
    pub period: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleSummaryDoc {
    /// Contract identifier, e.g. `csp:R4321-90`.
    pub id: String,
    pub code: String,
    pub number: String,
    pub title: String,
    pub versions: Vec<VersionSummaryDoc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ParagraphDoc {
    pub key: String,
    /// Contract identifier of the paragraph, e.g. `csp:L1110-4:III`.
    pub id: String,
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionDoc {
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub period: String,
    pub amended_by: Option<String>,
    pub source: String,
    pub status: String,
    pub missing: Option<String>,
    /// Opening words (or the whole text when there are no paragraphs).
    pub text: String,
    pub paragraphs: Vec<ParagraphDoc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RuleRefDoc {
    pub id: String,
    /// The rule's verdict; absent for an annotation.
    pub verdict: Option<String>,
    pub cites: Vec<String>,
    pub explanation: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleDoc {
    pub id: String,
    pub code: String,
    pub number: String,
    pub title: String,
    /// The date the version was chosen for.
    pub as_of: String,
    /// The version in force on `as_of` (null when none is in the corpus).
    pub version: Option<VersionDoc>,
    pub versions: Vec<VersionSummaryDoc>,
    /// The rules that rely on this article.
    pub rules: Vec<RuleRefDoc>,
}

fn version_summary(v: &sceau_engine::ArticleVersion) -> VersionSummaryDoc {
    VersionSummaryDoc {
        valid_from: v.valid_from.map(|d| d.to_string()),
        valid_until: v.valid_until.map(|d| d.to_string()),
        status: v.status.clone(),
        period: v.period_fr(),
    }
}

/// The corpus: every article with its versions.
#[utoipa::path(
    get,
    path = "/api/v1/articles",
    tag = "textes",
    responses(
        (status = 200, description = "Les articles du corpus", body = [ArticleSummaryDoc]),
        (status = 401, description = "Jeton requis (serveur lancé avec --private-api)", body = ApiErrorDoc),
        (status = 429, description = "Trop de requêtes", body = ApiErrorDoc),
    ),
    security((), ("bearer" = []))
)]
pub async fn articles(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let list: Vec<ArticleSummaryDoc> = state
        .law()
        .articles
        .iter()
        .map(|a| ArticleSummaryDoc {
            id: a.id.clone(),
            code: a.code().to_string(),
            number: a.number.clone(),
            title: a.title.clone(),
            versions: a.versions.iter().map(version_summary).collect(),
        })
        .collect();
    crate::conditional::with_etag(&headers, Json(list).into_response()).await
}

/// One article in the version in force on a date, with the rules relying on it.
#[utoipa::path(
    get,
    path = "/api/v1/articles/{id}",
    tag = "textes",
    params(
        ("id" = String, Path, description = "Identifiant de l’article, par exemple `csp:R4321-90` (un identifiant de paragraphe désigne son article)"),
        ("as_of" = Option<String>, Query, format = Date, description = "Date AAAA-MM-JJ (par défaut : aujourd’hui)"),
    ),
    responses(
        (status = 200, description = "L’article", body = ArticleDoc),
        (status = 401, description = "Jeton requis (serveur lancé avec --private-api)", body = ApiErrorDoc),
        (status = 404, description = "Article inconnu", body = ApiErrorDoc),
        (status = 422, description = "Date invalide", body = SituationErrorDoc),
        (status = 429, description = "Trop de requêtes", body = ApiErrorDoc),
    ),
    security((), ("bearer" = []))
)]
pub async fn article(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let law = state.law();
    let Some(a) = law.article(&id) else {
        return api_error(
            StatusCode::NOT_FOUND,
            "not_found",
            "Article inconnu du corpus.",
            "Unknown article.",
        );
    };
    // Exactly a date when present (the schema says `format: date`): an
    // empty or padded value is refused rather than read as today.
    let as_of = match q.get("as_of").map(String::as_str) {
        None => today(),
        Some(d) => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(d) => d,
            Err(_) => {
                return unprocessable(SituationError {
                    error: "invalid_date",
                    field: Some("as_of".into()),
                    accepted: vec!["YYYY-MM-DD".into()],
                    message: "Paramètre « as_of » : date invalide. Format attendu : AAAA-MM-JJ."
                        .into(),
                    message_en: "Parameter \"as_of\": invalid date. Expected format: YYYY-MM-DD."
                        .into(),
                })
            }
        },
    };
    let version = a.version_on(as_of).map(|v| VersionDoc {
        valid_from: v.valid_from.map(|d| d.to_string()),
        valid_until: v.valid_until.map(|d| d.to_string()),
        period: v.period_fr(),
        amended_by: v.amended_by.clone(),
        source: v.source.clone(),
        status: v.status.clone(),
        missing: v.missing.clone(),
        text: v.text.trim().to_string(),
        paragraphs: v
            .paragraphs
            .iter()
            .map(|p| ParagraphDoc {
                key: p.key.clone(),
                id: format!("{}:{}", a.id, p.key),
                text: p.text.trim().to_string(),
            })
            .collect(),
    });
    let doc = Json(ArticleDoc {
        id: a.id.clone(),
        code: a.code().to_string(),
        number: a.number.clone(),
        title: a.title.clone(),
        as_of: as_of.to_string(),
        version,
        versions: a.versions.iter().map(version_summary).collect(),
        rules: law
            .rules_citing(&a.id)
            .into_iter()
            .map(|r| RuleRefDoc {
                id: r.id.clone(),
                verdict: r.verdict.map(|v| v.as_str().to_string()),
                cites: r.cites.clone(),
                explanation: r.explanation.trim().to_string(),
            })
            .collect(),
    });
    crate::conditional::with_etag(&headers, doc.into_response()).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WhoamiDoc {
    /// The token's name.
    pub token: String,
    /// Its visible prefix.
    pub prefix: String,
    /// The practice (cabinet) it belongs to.
    pub practice: String,
}

/// The token's own identity (checks a token; the first endpoint on stored data).
#[utoipa::path(
    get,
    path = "/api/v1/whoami",
    tag = "comptes",
    responses(
        (status = 200, description = "Le jeton et son cabinet", body = WhoamiDoc),
        (status = 401, description = "Jeton manquant, invalide ou révoqué", body = ApiErrorDoc),
    ),
    security(("bearer" = []))
)]
pub async fn whoami(Extension(caller): Extension<ApiCaller>) -> Response {
    Json(WhoamiDoc {
        token: caller.token.name,
        prefix: caller.token.prefix,
        practice: caller.practice.name,
    })
    .into_response()
}
