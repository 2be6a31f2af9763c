//! « Anonymiser un texte » (CSP R. 4321-116: publication and teaching):
//! paste a note, see each replacement highlighted with its kind, the
//! residual re-identification risks to review, and download the result;
//! and `POST /api/v1/anonymise` for practice software.
//!
//! Nothing pasted is kept: no store, no journal, no log (the request log
//! holds the route template only, and no handler here logs anything about
//! the text). Errors name the field and the limit, never the text. The
//! download re-anonymises the submitted text on the server with the same
//! options, so the file is exactly what the page showed.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, FormRejection};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form, Json};
use minijinja::context;
use sceau_anonymise::{Anonymiser, BatchMap, DateMode, Kind, Options, Output};
use sceau_engine::SituationError;
use sceau_store::{Session, StoreError};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::anonymiser_slots::{Busy, Holder, RETRY_AFTER_SECONDS};
use crate::error::{json_body, Answer, OrAnswer, WebError};
use crate::render::attachment;
use crate::render::{page, typo, Chrome};
use crate::session::{check_csrf, ApiCaller, User};
use crate::AppState;

/// Longest text accepted, in characters (a long clinical note is a few thousand).
pub const TEXT_MAX: usize = 100_000;

/// Largest request body of these routes: the text URL-encoded, with room.
pub const BODY_MAX: usize = 1024 * 1024;

/// Longest pseudonym table accepted back from the page or the API, in bytes.
const TABLE_MAX: usize = 256 * 1024;

type Pairs = Vec<(String, String)>;

fn get<'a>(form: &'a Pairs, k: &str) -> &'a str {
    form.iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// Colour group of a kind in the page (the legend repeats it in words).
fn group(kind: Kind) -> &'static str {
    match kind {
        Kind::Nom | Kind::Pseudo => "personne",
        Kind::Date | Kind::Age => "temps",
        Kind::Adresse | Kind::CodePostal | Kind::Ville | Kind::Chambre => "lieu",
        Kind::Etablissement => "organisation",
        Kind::Telephone | Kind::Email | Kind::Url => "contact",
        _ => "numero",
    }
}

/// A piece of the anonymised text: plain, or a replacement with its kind.
#[derive(Serialize)]
struct Segment {
    text: String,
    kind: Option<&'static str>,
    label: &'static str,
    group: &'static str,
}

fn segments(out: &Output) -> Vec<Segment> {
    let mut v = Vec::new();
    let mut pos = 0;
    let mut shift: isize = 0;
    for r in &out.replacements {
        let at = (r.start as isize + shift) as usize;
        if at > pos {
            v.push(Segment {
                text: out.text[pos..at].to_string(),
                kind: None,
                label: "",
                group: "",
            });
        }
        let end = at + r.pseudonym.len();
        v.push(Segment {
            text: out.text[at..end].to_string(),
            kind: Some(r.kind.id()),
            label: r.kind.label_fr(),
            group: group(r.kind),
        });
        pos = end;
        shift += r.pseudonym.len() as isize - (r.end - r.start) as isize;
    }
    if pos < out.text.len() {
        v.push(Segment {
            text: out.text[pos..].to_string(),
            kind: None,
            label: "",
            group: "",
        });
    }
    v
}

#[derive(Serialize)]
struct LegendEntry {
    kind: &'static str,
    label: &'static str,
    group: &'static str,
    count: usize,
}

fn legend(out: &Output) -> Vec<LegendEntry> {
    Kind::ALL
        .into_iter()
        .filter_map(|k| {
            let count = out.replacements.iter().filter(|r| r.kind == k).count();
            (count > 0).then(|| LegendEntry {
                kind: k.id(),
                label: k.label_fr(),
                group: group(k),
                count,
            })
        })
        .collect()
}

#[derive(Serialize)]
struct RiskView {
    /// the kind as the API names it (`mot_inconnu`), for the page's markup
    code: String,
    line: usize,
    column: usize,
    term: String,
    kind: String,
    advice: String,
}

fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

fn risks(input: &str, out: &Output) -> Vec<RiskView> {
    out.risks
        .iter()
        .map(|r| {
            let (line, column) = line_col(input, r.span.0);
            // an unknown word is shown as written: the author pasted it and
            // must see which one to check (this page is theirs, never logged)
            let term = if r.kind == "mot_inconnu" {
                input
                    .get(r.span.0..r.span.1)
                    .unwrap_or(&r.excerpt_hint)
                    .to_string()
            } else {
                r.excerpt_hint.clone()
            };
            RiskView {
                code: r.kind.clone(),
                line,
                column,
                term,
                kind: r.kind.replace('_', " "),
                advice: typo(&r.advice_fr),
            }
        })
        .collect()
}

/// What the form and the API accept, checked.
struct Request {
    text: String,
    dates: DateMode,
    table: Option<BatchMap>,
}

/// A bad field: its name (as the client sent it), the French and English messages.
struct Invalid {
    field: String,
    accepted: Vec<String>,
    message: String,
    message_en: String,
}

fn check_text(field: &str, text: &str) -> Result<(), Invalid> {
    if text.trim().is_empty() {
        return Err(Invalid {
            field: field.into(),
            accepted: vec![],
            message: format!(
                "Champ « {field} » : collez le texte à anonymiser (texte ou Markdown)."
            ),
            message_en: format!(
                "Field \"{field}\": paste the text to anonymise (plain text or Markdown)."
            ),
        });
    }
    if text.chars().count() > TEXT_MAX {
        return Err(too_long(field));
    }
    Ok(())
}

fn too_long(field: &str) -> Invalid {
    Invalid {
        field: field.into(),
        accepted: vec![],
        message: format!(
            "Champ « {field} » : le texte dépasse 100 000 caractères. Découpez-le et anonymisez chaque partie (cochez « Garder les mêmes pseudonymes » pour qu’une même personne garde le même pseudonyme)."
        ),
        message_en: format!(
            "Field \"{field}\": the text exceeds 100,000 characters. Split it and anonymise each part (with consistent pseudonyms)."
        ),
    }
}

fn parse_dates(field: &str, v: &str) -> Result<DateMode, Invalid> {
    match v {
        "" | "relative" => Ok(DateMode::Relative),
        "year" => Ok(DateMode::Year),
        _ => Err(Invalid {
            field: field.into(),
            accepted: vec!["relative".into(), "year".into()],
            message: format!("Champ « {field} » : « relative » (J0, J+14…) ou « year » (l’année seule) sont acceptés."),
            message_en: format!("Field \"{field}\": \"relative\" (J0, J+14…) or \"year\" are accepted."),
        }),
    }
}

fn parse_table(field: &str, v: &Value) -> Result<BatchMap, Invalid> {
    let bad = || {
        Invalid {
        field: field.into(),
        accepted: vec![],
        message: format!(
            "Champ « {field} » : la table de pseudonymes rendue par une anonymisation précédente est attendue, telle quelle."
        ),
        message_en: format!(
            "Field \"{field}\": the pseudonym table returned by a previous anonymisation is expected, unchanged."
        ),
    }
    };
    if v.to_string().len() > TABLE_MAX {
        return Err(bad());
    }
    serde_json::from_value(v.clone()).map_err(|_| bad())
}

/// The key of the practice's pseudonym tables (one per practice, finding 8
/// of the 2026-11-30 HTTP audit): the digests the server computes for a practice's
/// accounts and tokens, whatever names they send, cannot be tested against
/// another practice's table.
async fn pseudonym_key(state: &AppState, practice_id: i64) -> Result<[u8; 32], StoreError> {
    state
        .store()
        .practice_keys(practice_id)
        .await?
        .pseudonym_key()
}

/// The anonymiser keyed with the practice's `key`: the pseudonym table sent
/// to the browser holds HMAC digests that nobody can test names against
/// without the practice's own account. Run in one of the anonymiser's
/// slots, off the request threads; `busy` is the answer when none is free.
async fn anonymise(
    state: &AppState,
    holder: Holder,
    key: [u8; 32],
    req: Request,
    busy: impl FnOnce() -> WebError,
) -> Result<(Output, BatchMap, Request), WebError> {
    state
        .inner()
        .anonymiser_slots
        .run(holder, move || {
            let a = Anonymiser::with_key(Options { dates: req.dates }, key);
            let mut map = req.table.clone().unwrap_or_default();
            let out = a.anonymise_with(&req.text, &mut map);
            (out, map, req)
        })
        .await
        .map_err(|Busy| busy())
}

/// The account behind a page.
fn page_holder(s: &Session) -> Holder {
    Holder::Account {
        practice: s.practice.id,
        account: s.account.id,
    }
}

/// The account behind an API token: its owner, so that an account's pages
/// and tokens share its one slot.
fn api_holder(c: &ApiCaller) -> Holder {
    match c.token.created_by {
        Some(account) => Holder::Account {
            practice: c.practice.id,
            account,
        },
        None => Holder::Token {
            practice: c.practice.id,
            token: c.token.id,
        },
    }
}

/// Every slot taken, on the pages: 429 in French, with `Retry-After`.
fn busy_page(state: &AppState, s: &Session) -> WebError {
    let mut r = crate::render::error_page(
        state,
        StatusCode::TOO_MANY_REQUESTS,
        Some(s),
        "Serveur occupé",
        &format!("Le serveur anonymise déjà d’autres textes\u{a0}: le vôtre n’a pas été traité. Réessayez dans {RETRY_AFTER_SECONDS}\u{a0}secondes."),
    );
    retry_after(&mut r);
    r.into()
}

/// Every slot taken, on the API: 429 `busy`, with `Retry-After`.
fn busy_api() -> WebError {
    let mut r = crate::error::api_error(
        StatusCode::TOO_MANY_REQUESTS,
        "busy",
        &format!("Le serveur anonymise déjà d’autres textes\u{a0}: celui-ci n’a pas été traité. Réessayez dans {RETRY_AFTER_SECONDS}\u{a0}secondes."),
        &format!("The server is anonymising other texts: this one was not processed. Retry in {RETRY_AFTER_SECONDS} seconds."),
    );
    retry_after(&mut r);
    r.into()
}

fn retry_after(r: &mut Response) {
    r.headers_mut().insert(
        axum::http::header::RETRY_AFTER,
        axum::http::HeaderValue::from(RETRY_AFTER_SECONDS),
    );
}

fn read_form(form: &Pairs) -> Result<Request, Invalid> {
    let text = get(form, "texte").to_string();
    check_text("Texte à anonymiser", &text)?;
    let dates = parse_dates("Dates", get(form, "dates"))?;
    let table = match get(form, "table").trim() {
        "" => None,
        t => {
            let v: Value = serde_json::from_str(t).unwrap_or(Value::Null);
            Some(parse_table("Pseudonymes cohérents", &v)?)
        }
    };
    Ok(Request { text, dates, table })
}

fn form_page(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    form: &Pairs,
    error: Option<String>,
) -> Response {
    let chrome = Chrome::new("Anonymiser un texte", "anonymise", Some(s));
    page(
        state,
        status,
        "anonymise.html",
        &chrome,
        context! {
            texte => get(form, "texte"),
            dates => get(form, "dates"),
            coherent => get(form, "coherence") == "oui",
            table => get(form, "table"),
            error => error,
            max => "100 000",
        },
    )
}

fn body_error(state: &AppState, s: &Session, status: StatusCode) -> WebError {
    let (title, message) = if status == StatusCode::PAYLOAD_TOO_LARGE {
        (
            "Texte trop long",
            "Le texte envoyé dépasse la taille acceptée (100 000 caractères). Découpez-le et anonymisez chaque partie.",
        )
    } else {
        (
            "Formulaire illisible",
            "Le formulaire n’a pas pu être lu. Revenez à la page précédente, rechargez-la et recommencez.",
        )
    };
    WebError::page(state, status, Some(s), title, message)
}

pub async fn form(State(state): State<AppState>, User(s, _): User) -> Response {
    form_page(&state, &s, StatusCode::OK, &vec![], None)
}

/// The form as submitted, its CSRF token and fields checked; otherwise the
/// page to answer with (size, expired form, or the form with the error).
fn checked(
    state: &AppState,
    s: &Session,
    raw: Result<Form<Pairs>, FormRejection>,
) -> Result<(Pairs, Request), WebError> {
    let Form(raw) = raw.map_err(|e| body_error(state, s, e.status()))?;
    // Not `CsrfForm`: a body too large gets this page's own answer first.
    check_csrf(state, s, &raw)?;
    // A refused form keeps what was pasted, in its own field (escaped, the
    // page not cached, nothing logged); the message names the field.
    let req = read_form(&raw).map_err(|e| {
        form_page(
            state,
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            &raw,
            Some(e.message),
        )
    })?;
    Ok((raw, req))
}

pub async fn submit(
    State(state): State<AppState>,
    User(s, _): User,
    raw: Result<Form<Pairs>, FormRejection>,
) -> Answer {
    let (raw, req) = checked(&state, &s, raw)?;
    let key =
        pseudonym_key(&state, s.practice.id)
            .await
            .or_page(&state, Some(&s), "anonymisation")?;
    let (out, map, req) =
        anonymise(&state, page_holder(&s), key, req, || busy_page(&state, &s)).await?;
    let coherent = get(&raw, "coherence") == "oui";
    let chrome = Chrome::new("Texte anonymisé", "anonymise", Some(&s));
    Ok(page(
        &state,
        StatusCode::OK,
        "anonymise_result.html",
        &chrome,
        context! {
            texte => req.text,
            dates => get(&raw, "dates"),
            coherent => coherent,
            table_before => get(&raw, "table"),
            table_after => if coherent { serde_json::to_string(&map).unwrap_or_default() } else { String::new() },
            segments => segments(&out),
            legend => legend(&out),
            count => out.replacements.len(),
            risks => risks(&req.text, &out),
            relative_dates => req.dates == DateMode::Relative && out.replacements.iter().any(|r| r.kind == Kind::Date),
        },
    ))
}

/// The anonymised text as a file (`texte-anonymise.md` or `.txt`).
pub async fn download(
    State(state): State<AppState>,
    User(s, _): User,
    raw: Result<Form<Pairs>, FormRejection>,
) -> Answer {
    let (raw, req) = checked(&state, &s, raw)?;
    let key =
        pseudonym_key(&state, s.practice.id)
            .await
            .or_page(&state, Some(&s), "anonymisation")?;
    let (out, _, _) =
        anonymise(&state, page_holder(&s), key, req, || busy_page(&state, &s)).await?;
    let (name, mime) = match get(&raw, "format") {
        "txt" => ("texte-anonymise.txt", "text/plain; charset=utf-8"),
        _ => ("texte-anonymise.md", "text/markdown; charset=utf-8"),
    };
    Ok(attachment(name, mime, out.text.into_bytes()))
}

// ---------------------------------------------------------------- the API

/// The request of `POST /api/v1/anonymise` ([`read_api`]: no other key).
#[derive(Debug, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct AnonymiseRequestDoc {
    /// The text (plain or Markdown), at most 100 000 characters, not blank.
    // The pattern asks for one character that is not white space as
    // `str::trim` reads it (Unicode White_Space, listed: `\s` differs
    // between the regex dialects of the clients).
    #[schema(
        min_length = 1,
        max_length = 100_000,
        pattern = r"[^\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub text: String,
    /// `relative` (default: « J0 », « J+14 », « M+3 » from the first date) or `year` (the year only).
    #[schema(schema_with = date_modes)]
    pub dates: Option<String>,
    /// To keep pseudonyms consistent across texts: the `batch_map` returned
    /// by the previous call, unchanged (HMAC digests under the server's secret,
    /// never the originals), at most 256 Kio once serialised.
    #[schema(value_type = Option<crate::schemas::BatchMapDoc>)]
    pub batch_map: Option<Value>,
}

/// The values of `dates` [`parse_dates`] accepts (empty: the default).
fn date_modes() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            utoipa::openapi::schema::Type::String,
            utoipa::openapi::schema::Type::Null,
        ]))
        .enum_values(Some([
            Value::from("relative"),
            Value::from("year"),
            Value::from(""),
            Value::Null,
        ]))
        .description(Some(
            "`relative` (par défaut : « J0 », « J+14 », « M+3 » depuis la première date) ou `year` (l’année seule).",
        ))
        .build()
}

fn unprocessable(e: Invalid) -> WebError {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(SituationError {
            error: "invalid_field",
            field: Some(e.field),
            accepted: e.accepted,
            message: e.message,
            message_en: e.message_en,
        }),
    )
        .into_response()
        .into()
}

fn read_api(v: Value) -> Result<Request, Invalid> {
    let Value::Object(mut o) = v else {
        return Err(Invalid {
            field: "text".into(),
            accepted: vec![],
            message: "Le corps doit être un objet JSON : { \"text\": \"…\" }.".into(),
            message_en: "The body must be a JSON object: { \"text\": \"…\" }.".into(),
        });
    };
    // An unknown key may be a name typed there: never repeated.
    if o.keys()
        .any(|k| !matches!(k.as_str(), "text" | "dates" | "batch_map"))
    {
        return Err(Invalid {
            field: sceau_documents::form::UNKNOWN_FIELD.into(),
            accepted: vec!["text".into(), "dates".into(), "batch_map".into()],
            message: "Champ inconnu : seuls « text », « dates » et « batch_map » sont acceptés."
                .into(),
            message_en: "Unknown field: only \"text\", \"dates\" and \"batch_map\" are accepted."
                .into(),
        });
    }
    let text = match o.remove("text") {
        Some(Value::String(t)) => t,
        _ => {
            return Err(Invalid {
                field: "text".into(),
                accepted: vec![],
                message: "Champ « text » : le texte à anonymiser (chaîne, texte ou Markdown) est obligatoire.".into(),
                message_en: "Field \"text\": the text to anonymise (a string, plain text or Markdown) is required.".into(),
            })
        }
    };
    check_text("text", &text)?;
    let dates = match o.remove("dates") {
        None | Some(Value::Null) => DateMode::Relative,
        Some(Value::String(d)) => parse_dates("dates", &d)?,
        Some(_) => parse_dates("dates", "?")?,
    };
    let table = match o.remove("batch_map") {
        None | Some(Value::Null) => None,
        Some(v) => Some(parse_table("batch_map", &v)?),
    };
    Ok(Request { text, dates, table })
}

/// Anonymises a text for publication or teaching (CSP R. 4321-116). Nothing is kept or logged.
#[utoipa::path(
    post,
    path = "/api/v1/anonymise",
    tag = "anonymisation",
    request_body(content = AnonymiseRequestDoc, content_type = "application/json"),
    responses(
        (status = 200, description = "Le texte anonymisé, les remplacements et les risques résiduels à relire", body = crate::schemas::AnonymiseResponseDoc),
        (status = 401, description = "Jeton manquant, invalide ou révoqué", body = crate::schemas::ApiErrorDoc),
        (status = 413, description = "Corps trop volumineux (texte de plus de 100 000 caractères)", body = crate::schemas::ApiErrorDoc),
        (status = 415, description = "Le corps n’est pas du JSON", body = crate::schemas::ApiErrorDoc),
        (status = 422, description = "Champ invalide : le champ fautif et ce qui est accepté", body = crate::schemas::SituationErrorDoc),
    ),
    security(("bearer" = []))
)]
pub async fn api(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let body = body.map_err(body_refused)?;
    let req = read_api(json_body(&headers, &body)?).map_err(unprocessable)?;
    let key = pseudonym_key(&state, caller.practice.id)
        .await
        .or_api("anonymisation")?;
    let (out, map, _) = anonymise(&state, api_holder(&caller), key, req, busy_api).await?;
    let mut v = serde_json::to_value(&out).unwrap_or_default();
    v["batch_map"] = serde_json::to_value(&map).unwrap_or_default();
    Ok(Json(v).into_response())
}

/// A body the API could not read: 413 beyond [`BODY_MAX`], 400 otherwise.
fn body_refused(e: BytesRejection) -> WebError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        WebError::api(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "Corps trop volumineux : le champ « text » accepte 100 000 caractères au plus.",
            "Body too large: the \"text\" field accepts at most 100,000 characters.",
        )
    } else {
        WebError::api(
            StatusCode::BAD_REQUEST,
            "unreadable_body",
            "Le corps de la requête n’a pas pu être lu.",
            "The request body could not be read.",
        )
    }
}
