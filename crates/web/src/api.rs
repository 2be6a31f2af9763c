//! The JSON API, `/api/v1`, and its OpenAPI description generated from
//! these handlers and types (utoipa), with the situation's schema built
//! from the law's own facts.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::NaiveDate;
use sceau_engine::{Decision, FactKind, Law, SituationError, Verdict};
use serde::Serialize;
use serde_json::{json, Value};
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::RefOr;
use utoipa::{Modify, OpenApi, PartialSchema, ToSchema};

use crate::middleware::{api_error, ApiCaller};
use crate::pages::today;
use crate::AppState;

fn unprocessable(e: SituationError) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, Json(e)).into_response()
}

fn malformed(line: usize, column: usize) -> SituationError {
    SituationError {
        error: "malformed_json",
        field: None,
        accepted: vec![],
        message: format!(
            "Le corps de la requête n’est pas un JSON valide en UTF-8 (ligne {line}, colonne {column}) : un objet JSON est attendu."
        ),
        message_en: format!(
            "The request body is not valid UTF-8 JSON (line {line}, column {column}): a JSON object is expected."
        ),
    }
}

/// Reads a JSON body: 415 for another content type, 422 for bad JSON.
#[allow(clippy::result_large_err)]
pub(crate) fn json_body(headers: &HeaderMap, body: &Bytes) -> Result<Value, Response> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime != "application/json" && !(mime.starts_with("application/") && mime.ends_with("+json"))
    {
        return Err(api_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Envoyez le corps en JSON avec l’en-tête « Content-Type: application/json ».",
            "Send the body as JSON with \"Content-Type: application/json\".",
        ));
    }
    serde_json::from_slice(body).map_err(|e| unprocessable(malformed(e.line(), e.column())))
}

async fn decide_blocking(law: &'static Law, s: sceau_engine::Situation) -> Decision {
    match tokio::task::spawn_blocking(move || law.decide(&s)).await {
        Ok(d) => {
            crate::metrics::decision(d.verdict);
            d
        }
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
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
        Err(sceau_store::StoreError::NotFound) => return Err(crate::register_api::not_found()),
        Err(e) => return Err(crate::outage::api("registre", &e)),
    };
    let known = s.known(law);
    let supplied = crate::facts::register_facts(law, &record, rref.as_deref(), &known, s.as_of)
        .map_err(|_| crate::register_api::not_found())?;
    for f in &supplied {
        if let Some((_, v)) = known.iter().find(|(k, _)| *k == f.fact) {
            if *v != f.value {
                return Err(unprocessable(SituationError {
                    error: "register_conflict",
                    field: Some(f.fact.clone()),
                    accepted: vec![f.value.clone()],
                    message: format!("Champ « {} » : le registre indique une autre valeur ; retirez ce fait, le registre le fournit.", f.fact),
                    message_en: format!("Field \"{}\": the register says otherwise; leave this fact out, the register supplies it.", f.fact),
                }));
            }
        }
        s.set_named(law, &f.fact, &f.value);
    }
    Ok(Some(supplied))
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
    let d = decide_blocking(law, s).await;
    match supplied {
        None => Json(d).into_response(),
        Some(f) => {
            let mut v = serde_json::to_value(&d).unwrap_or_default();
            v["register_facts"] = serde_json::to_value(f).unwrap_or_default();
            Json(v).into_response()
        }
    }
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
            if let Some(k) = o
                .keys()
                .find(|k| !["answers", "patient", "recipient_ref"].contains(&k.as_str()))
            {
                let shown =
                    if k.len() <= 64 && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                        k.clone()
                    } else {
                        "(nom illisible)".into()
                    };
                return unprocessable(SituationError {
                    error: "unknown_field",
                    field: Some(shown.clone()),
                    accepted: vec!["answers".into()],
                    message: format!("Champ « {shown} » inconnu : le corps attendu est {{\"answers\": {{…situation…}}}}."),
                    message_en: format!("Unknown field \"{shown}\": the expected body is {{\"answers\": {{…situation…}}}}."),
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
    let d = decide_blocking(law, s).await;
    let next = if d.verdict == Verdict::Undetermined {
        d.missing.first().and_then(|f| law.fact(f))
    } else {
        None
    };
    let body = match next {
        Some(f) => json!({
            "next": QuestionDoc {
                fact: f.id.clone(),
                kind: match f.kind { FactKind::Bool => "bool".into(), FactKind::Enum => "enum".into() },
                question: f.question.clone(),
                help: f.help.clone(),
                question_en: f.question_en.clone(),
                choices: f.choices.iter().map(|c| ChoiceDoc { value: c.value.clone(), label: c.label.clone(), label_en: c.label_en.clone() }).collect(),
            },
            "answered": answered,
            "remaining": d.missing.len(),
        }),
        None => json!({ "decision": d, "answered": answered, "remaining": 0 }),
    };
    let mut body = body;
    if let Some(f) = supplied {
        body["register_facts"] = serde_json::to_value(f).unwrap_or_default();
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

/// This description.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "documentation", responses((status = 200, description = "La description OpenAPI 3 de l’API")))]
pub async fn openapi_json() -> Response {
    Json(openapi()).into_response()
}

// ---------------------------------------------------------------- documentation types

/// The error body for an invalid situation (HTTP 422), as `sceau decide` prints it.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct SituationErrorDoc {
    /// `malformed_json`, `not_an_object`, `unknown_field`, `wrong_type`, `unknown_value`, `invalid_date`.
    pub error: String,
    /// The offending field.
    pub field: Option<String>,
    /// What the field accepts.
    pub accepted: Vec<String>,
    pub message: String,
    pub message_en: String,
}

/// Other API errors.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ApiErrorDoc {
    pub error: String,
    pub message: String,
    pub message_en: String,
}

#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum VerdictDoc {
    Allowed,
    Forbidden,
    NotRequired,
    Refer,
    NotCovered,
    Undetermined,
}

#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct TraceEntryDoc {
    pub rule: String,
    /// `applied`, `defeated`, `not_applicable` or `unknown`.
    pub outcome: String,
    /// The rule that defeated this one.
    pub by: Option<String>,
    pub cites: Vec<String>,
    #[schema(required = false)]
    pub note: Option<String>,
}

#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct VersionUsedDoc {
    pub article: String,
    pub number: String,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub status: String,
    pub period: String,
}

/// The decision (see the contract).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct DecisionDoc {
    pub verdict: VerdictDoc,
    /// Identifiers of the legal sources grounding the verdict.
    pub basis: Vec<String>,
    pub conditions: Vec<String>,
    pub duties: Vec<String>,
    pub warnings: Vec<String>,
    pub case_law: Vec<String>,
    pub explanation: String,
    pub as_of: String,
    /// For `undetermined`: the facts still needed, most decisive first.
    pub missing: Vec<String>,
    pub trace: Vec<TraceEntryDoc>,
    /// When undetermined: the verdicts still possible.
    pub possible_verdicts: Vec<VerdictDoc>,
    /// The French sentences of the rules applied, most specific first.
    pub reasons: Vec<String>,
    pub law_versions: Vec<VersionUsedDoc>,
    /// The lawful ways forward (vocabulary ids of kind `next_step`), most useful first.
    pub next_steps: Vec<String>,
    /// Facts the decision presumed because they were not given (a fact given always wins).
    pub presumed: Vec<PresumedDoc>,
}

/// A fact filled by a presumption of `law/qualities.toml`.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct PresumedDoc {
    pub fact: String,
    pub value: String,
    /// Why, in French.
    pub explanation: String,
}

/// The situation: its schema is built from the law's facts (`law/facts.toml`).
#[derive(Debug)]
pub struct SituationDoc;

impl PartialSchema for SituationDoc {
    fn schema() -> RefOr<Schema> {
        let law = sceau_law::law();
        let mut obj = ObjectBuilder::new()
            .description(Some("Un objet de faits ; tout fait est facultatif (absent ou null : inconnu). Un champ inconnu est une erreur."))
            .additional_properties(Some(utoipa::openapi::schema::AdditionalProperties::FreeForm(false)))
            .property(
                "as_of",
                ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                    .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Date)))
                    .description(Some("Date de la révélation (droit applicable ce jour-là) ; par défaut aujourd’hui.")),
            )
            .property(
                "patient",
                ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                    .description(Some("(POST /api/v1/decisions, jeton requis) Référence du registre `pat_…` : le registre fournit les faits qu’il connaît (consentement, opposition, équipe de soins, en vie, mineur), listés dans `register_facts` de la réponse.")),
            )
            .property(
                "recipient_ref",
                ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                    .description(Some("(avec `patient`) Destinataire enregistré : membre de l’équipe de soins `eqp_…` ou professionnel d’un consentement `cst_…`.")),
            );
        for f in &law.facts {
            let prop = match f.kind {
                FactKind::Bool => ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::Boolean, Type::Null])),
                FactKind::Enum => {
                    let mut values: Vec<Value> = f
                        .choices
                        .iter()
                        .map(|c| Value::String(c.value.clone()))
                        .collect();
                    values.push(Value::Null);
                    ObjectBuilder::new()
                        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                        .enum_values(Some(values))
                }
            }
            .description(Some(f.question.clone()));
            obj = obj.property(&f.id, prop);
        }
        RefOr::T(Schema::Object(obj.build()))
    }
}

impl ToSchema for SituationDoc {
    fn name() -> std::borrow::Cow<'static, str> {
        "Situation".into()
    }
}

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "Jeton d’API créé par un administrateur (Administration → Jetons d’API)",
                    ))
                    .build(),
            ),
        );
    }
}

/// The answers every operation can give besides its own, documented once:
/// 400 (unreadable request), 401 (token missing, for the operations that
/// take one), 404 (unknown register reference), 413, 415 and 422 (bodies),
/// 429 (open endpoints).
struct CommonResponses;

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::Operation;
        use utoipa::openapi::ResponseBuilder;
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    utoipa::openapi::content::ContentBuilder::new()
                        .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                            "ApiErrorDoc",
                        ))))
                        .build(),
                )
                .build()
        };
        let add = |op: &mut Operation, status: &str, description: &str| {
            if !op.responses.responses.contains_key(status) {
                op.responses
                    .responses
                    .insert(status.to_string(), RefOr::T(error(description)));
            }
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let ops = [
                item.get.as_mut(),
                item.post.as_mut(),
                item.put.as_mut(),
                item.delete.as_mut(),
                item.patch.as_mut(),
            ];
            for op in ops.into_iter().flatten() {
                if path.ends_with("openapi.json") {
                    continue;
                }
                add(
                    op,
                    "400",
                    "Requête illisible (adresse, paramètres ou corps mal encodés)",
                );
                let open = op.security.as_ref().is_some_and(|s| {
                    s.iter().any(|r| {
                        serde_json::to_value(r)
                            .is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty()))
                    })
                });
                add(op, "401", "Jeton d’API manquant, invalide ou révoqué");
                if !open && op.request_body.is_some() {
                    add(op, "403", "Jeton en lecture seule : cette opération écrit");
                }
                if open {
                    add(op, "429", "Trop de requêtes");
                }
                if path.contains('{')
                    || path.ends_with("/decisions")
                    || path.ends_with("/interview")
                    || path.ends_with("/journal")
                {
                    add(op, "404", "Introuvable dans le registre de ce cabinet");
                }
                if op.request_body.is_some() {
                    add(op, "413", "Corps de requête trop volumineux");
                    add(op, "415", "Le corps n’est pas du JSON");
                    add(
                        op,
                        "422",
                        "Corps de requête invalide : le champ fautif et ce qui est accepté",
                    );
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sceau",
        description = "Puis-je le dire, à qui, comment ? Le moteur de décision sur le secret professionnel des masseurs-kinésithérapeutes, en JSON.",
        license(name = "AGPL-3.0-or-later")
    ),
    paths(decide, interview, articles, article, whoami, openapi_json,
        crate::register_api::list_patients, crate::register_api::create_patient, crate::register_api::get_patient,
        crate::register_api::add_member, crate::register_api::end_member,
        crate::register_api::add_consent, crate::register_api::withdraw_consent,
        crate::register_api::add_opposition, crate::register_api::lift_opposition,
        crate::register_api::patient_journal, crate::register_api::patient_fhir,
        crate::register_api::journal, crate::register_api::append, crate::register_api::verify,
        crate::register_api::export, crate::register_api::journal_fhir, crate::anonymise::api),
    components(schemas(
        SituationDoc, DecisionDoc, VerdictDoc, TraceEntryDoc, VersionUsedDoc, PresumedDoc, SituationErrorDoc, ApiErrorDoc,
        InterviewRequestDoc, InterviewResponseDoc, QuestionDoc, ChoiceDoc,
        ArticleSummaryDoc, ArticleDoc, VersionSummaryDoc, VersionDoc, ParagraphDoc, RuleRefDoc, WhoamiDoc,
        crate::register_api::PatientInput, crate::register_api::MemberInput, crate::register_api::ConsentInput,
        crate::register_api::OppositionInput, crate::register_api::DateInput, crate::register_api::JournalEntryInputDoc,
        crate::register_api::PatientDoc, crate::register_api::MemberDoc, crate::register_api::ConsentDoc,
        crate::register_api::OppositionDoc, crate::register_api::PatientRecordDoc, crate::register_api::JournalEntryDoc,
        crate::register_api::AppendedDoc, crate::register_api::VerificationDoc,
        crate::anonymise::AnonymiseRequestDoc, crate::anonymise::AnonymiseResponseDoc,
        crate::anonymise::ReplacementDoc, crate::anonymise::RiskDoc,
    )),
    modifiers(&Security, &CommonResponses),
    tags(
        (name = "décisions", description = "Le contrat de décision et l’entretien guidé"),
        (name = "textes", description = "Le corpus des textes"),
        (name = "comptes", description = "Points d’accès sur des données enregistrées (jeton requis)"),
        (name = "registre", description = "Le registre des patients : équipe de soins, consentements, oppositions (jeton requis)"),
        (name = "journal", description = "Le journal des révélations, chaîné et ancré (jeton requis)"),
        (name = "anonymisation", description = "Anonymiser un texte pour publier ou enseigner (CSP R. 4321-116) ; rien n’est conservé (jeton requis)"),
    )
)]
pub struct ApiDoc;

/// The OpenAPI description of the API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
