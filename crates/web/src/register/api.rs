//! The register's JSON API (bearer token required): patients, care team,
//! consents, oppositions, the journal (append, list, verify, export with
//! proofs) and FHIR R4 exports. Every identifier is looked up in the
//! token's practice only: another practice's objects answer 404, exactly
//! like identifiers that do not exist.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::NaiveDate;
use sceau_store::journal::NewEntry;
use sceau_store::register::{NewConsent, NewMember, NewOpposition, NewPatient, OPPOSITION_ALL};
use sceau_store::StoreError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::dates::today;
use crate::error::{api_not_found, json_body, outage_api, Answer, WebError};
use crate::schemas::{
    ConsentDoc, JournalEntryDoc, JournalEntryInputDoc, MemberDoc, OppositionDoc, PatientDoc,
    PatientRecordDoc, VerificationDoc,
};
use crate::session::ApiCaller;
use crate::AppState;

fn author(c: &ApiCaller) -> String {
    format!("api:{}", c.token.prefix)
}

/// 422: the message names the field at fault, never its value.
fn invalid(message: String) -> WebError {
    WebError::api(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        &message,
        "Invalid request: see the French message.",
    )
}

fn failure(e: StoreError) -> Response {
    match e {
        StoreError::NotFound => api_not_found(),
        StoreError::Invalid(m) => invalid(m).into_response(),
        e => outage_api("registre (API)", &e),
    }
}

/// Parses a JSON body into `T`; the error names the field and the kind of
/// problem, never a value submitted nor an unknown key
/// (`sceau_documents::form::from_value`).
fn body<T: DeserializeOwned>(headers: &HeaderMap, bytes: &Bytes) -> Result<T, WebError> {
    let v = json_body(headers, bytes)?;
    sceau_documents::form::from_value(&v).map_err(|e| {
        invalid(format!(
            "Corps de requête invalide\u{a0}: {} Consultez le schéma dans /api/v1/openapi.json.",
            e.message
        ))
    })
}

/// A record made: 201 with it, or the store's refusal.
fn created<T: Serialize>(r: Result<T, StoreError>) -> Response {
    match r {
        Ok(x) => json_ok(StatusCode::CREATED, &x),
        Err(e) => failure(e),
    }
}

/// A change recorded: 204, or the store's refusal.
fn done(r: Result<(), StoreError>) -> Response {
    match r {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => failure(e),
    }
}

fn json_ok<T: Serialize>(status: StatusCode, v: &T) -> Response {
    (status, Json(v)).into_response()
}

// ---------------------------------------------------------------- inputs

/// A new patient.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatientInput {
    /// Name used in the practice (encrypted at rest).
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = r"^[^\x00-\x09\x0b-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x09\x0b-\x1f\x7f-\x9f]*$"
    )]
    pub display_name: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub birth_date: Option<NaiveDate>,
    /// The practice's own reference (file number…).
    #[schema(max_length = 60, pattern = r"^[^\x00-\x09\x0b-\x1f\x7f-\x9f]*$")]
    pub reference: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub deceased_on: Option<NaiveDate>,
}

/// A member of the patient's care team (CSP L.1110-12).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberInput {
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = r"^[^\x00-\x09\x0b-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x09\x0b-\x1f\x7f-\x9f]*$"
    )]
    pub name: String,
    #[schema(
        min_length = 1,
        max_length = 80,
        pattern = r"^[^\x00-\x09\x0b-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x09\x0b-\x1f\x7f-\x9f]*$"
    )]
    pub profession: String,
    /// RPPS number (11 digits).
    // Around the value, the blanks `str::trim` removes (Unicode
    // White_Space, listed: `\s` is another set in ECMA-262, U+FEFF in and
    // U+0085 out, and another again in Python).
    #[schema(
        pattern = r"^[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([0-9]{11})?[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub rpps: Option<String>,
    /// `1`, `2` or `3`: the paragraph of L.1110-12.
    #[schema(
        pattern = r"^[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[123]?[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub ground: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub since: Option<NaiveDate>,
}

/// A consent to share outside the care team (CSP L.1110-4 III).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentInput {
    /// Category of recipient: a value of the fact `recipient`.
    #[schema(schema_with = crate::vocabulary_schemas::recipient)]
    pub recipient: String,
    /// A named professional.
    #[schema(max_length = 120, pattern = r"^[^\x00-\x09\x0b-\x1f\x7f-\x9f]*$")]
    pub professional: Option<String>,
    /// RPPS number (11 digits), blanks around as for a member's.
    #[schema(
        pattern = r"^[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([0-9]{11})?[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub rpps: Option<String>,
    /// What may be shared.
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\x00-\x09\x0b-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x09\x0b-\x1f\x7f-\x9f]*$"
    )]
    pub what: String,
    /// A value of the fact `purpose`; absent: any purpose.
    #[schema(schema_with = crate::vocabulary_schemas::purpose_or_any)]
    pub purpose: Option<String>,
    /// `oral`, `ecrit` or `electronique`.
    #[schema(schema_with = crate::vocabulary_schemas::consent_method)]
    pub method: String,
    #[schema(value_type = String, format = Date)]
    pub given_on: NaiveDate,
    #[schema(value_type = Option<String>, format = Date)]
    pub until: Option<NaiveDate>,
}

/// An opposition to exchange and sharing (CSP L.1110-4 IV).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OppositionInput {
    /// `tout` or a category of recipient.
    #[schema(schema_with = crate::vocabulary_schemas::opposition_scope)]
    pub scope: String,
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\x00-\x09\x0b-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x09\x0b-\x1f\x7f-\x9f]*$"
    )]
    pub what: String,
    #[schema(value_type = String, format = Date)]
    pub since: NaiveDate,
    /// When the patient was informed of the right to oppose.
    #[schema(value_type = Option<String>, format = Date)]
    pub informed_on: Option<NaiveDate>,
}

/// A date (default: today).
#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct DateInput {
    #[schema(value_type = Option<String>, format = Date)]
    pub on: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AppendedDoc {
    /// The entry's sequence number in the practice's chain.
    pub seq: u64,
}

// ---------------------------------------------------------------- patients

/// The practice's patients.
#[utoipa::path(get, path = "/api/v1/patients", tag = "registre",
    responses((status = 200, description = "Les patients du cabinet", body = [PatientDoc]), (status = 401, description = "Jeton manquant", body = crate::schemas::ApiErrorDoc)),
    security(("bearer" = [])))]
pub async fn list_patients(
    State(state): State<AppState>,
    Extension(c): Extension<ApiCaller>,
) -> Answer {
    Ok(match state.store().list_patients(c.practice.id).await {
        Ok(l) => json_ok(StatusCode::OK, &l),
        Err(e) => failure(e),
    })
}

/// Registers a patient.
#[utoipa::path(post, path = "/api/v1/patients", tag = "registre",
    request_body(content = PatientInput, content_type = "application/json"),
    responses((status = 201, description = "Le patient", body = PatientDoc, links(
        ("dossier" = (operation_id = "get_patient", parameters(("id" = "$response.body#/id")), description = "Son dossier du registre")),
        ("equipe" = (operation_id = "add_member", parameters(("id" = "$response.body#/id")), description = "Ajouter un membre à son équipe de soins")),
        ("consentement" = (operation_id = "add_consent", parameters(("id" = "$response.body#/id")), description = "Enregistrer un consentement")),
        ("opposition" = (operation_id = "add_opposition", parameters(("id" = "$response.body#/id")), description = "Enregistrer une opposition")),
        ("journal" = (operation_id = "patient_journal", parameters(("id" = "$response.body#/id")), description = "Ses entrées du journal")),
        ("fhir" = (operation_id = "patient_fhir", parameters(("id" = "$response.body#/id")), description = "Ses consentements et oppositions en FHIR")),
    )), (status = 401, description = "Jeton manquant", body = crate::schemas::ApiErrorDoc), (status = 422, description = "Données invalides", body = crate::schemas::ApiErrorDoc)),
    security(("bearer" = [])))]
pub async fn create_patient(
    State(state): State<AppState>,
    Extension(c): Extension<ApiCaller>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    let i: PatientInput = body(&headers, &bytes)?;
    let p = NewPatient {
        display_name: i.display_name,
        birth_date: i.birth_date,
        reference: i.reference,
        deceased_on: i.deceased_on,
    };
    Ok(
        match state
            .store()
            .create_patient(c.practice.id, &author(&c), &p)
            .await
        {
            Ok(p) => json_ok(StatusCode::CREATED, &p),
            Err(e) => failure(e),
        },
    )
}

/// A patient with care team, consents and oppositions.
#[utoipa::path(get, path = "/api/v1/patients/{id}", tag = "registre",
    params(("id" = String, Path, description = "Référence du registre (`pat_…`)")),
    responses((status = 200, description = "Le dossier du registre", body = PatientRecordDoc), (status = 401, description = "Jeton manquant", body = crate::schemas::ApiErrorDoc), (status = 404, description = "Introuvable dans ce cabinet", body = crate::schemas::ApiErrorDoc)),
    security(("bearer" = [])))]
pub async fn get_patient(
    State(state): State<AppState>,
    Extension(c): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Answer {
    Ok(
        match crate::facts::Record::load(state.store(), c.practice.id, &id).await {
            Ok(r) => json_ok(
                StatusCode::OK,
                &json!({ "patient": r.patient, "care_team": r.team, "consents": r.consents, "oppositions": r.oppositions }),
            ),
            Err(e) => failure(e),
        },
    )
}

/// Adds a member to the patient's care team.
#[utoipa::path(post, path = "/api/v1/patients/{id}/care-team", tag = "registre",
    params(("id" = String, Path, description = "Référence du registre")),
    request_body(content = MemberInput, content_type = "application/json"),
    responses((status = 201, description = "Le membre", body = MemberDoc, links(
        ("fin" = (operation_id = "end_member", parameters(("id" = "$request.path.id"), ("member" = "$response.body#/id")), description = "Le membre quitte l’équipe de soins")),
    )), (status = 404, description = "Introuvable dans ce cabinet", body = crate::schemas::ApiErrorDoc), (status = 422, description = "Données invalides", body = crate::schemas::ApiErrorDoc)),
    security(("bearer" = [])))]
pub async fn add_member(
    State(state): State<AppState>,
    Extension(c): Extension<ApiCaller>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    let i: MemberInput = body(&headers, &bytes)?;
    let m = NewMember {
        name: i.name,
        profession: i.profession,
        rpps: i.rpps,
        ground: i.ground,
        since: i.since,
    };
    Ok(
        match state.store().add_member(c.practice.id, &id, &m).await {
            Ok(m) => json_ok(StatusCode::CREATED, &m),
            Err(e) => failure(e),
        },
    )
}

fn date_or_today(headers: &HeaderMap, bytes: &Bytes) -> Result<NaiveDate, WebError> {
    if bytes.is_empty() {
        return Ok(today());
    }
    let d: DateInput = body(headers, bytes)?;
    Ok(d.on.unwrap_or_else(today))
}

/// The member leaves the care team.
#[utoipa::path(post, path = "/api/v1/patients/{id}/care-team/{member}/end", tag = "registre",
    params(("id" = String, Path, description = "Référence du registre"), ("member" = String, Path, description = "Identifiant du membre (`eqp_…`)")),
    request_body(content = DateInput, content_type = "application/json"),
    responses((status = 204, description = "Enregistré"), (status = 404, description = "Introuvable dans ce cabinet", body = crate::schemas::ApiErrorDoc)),
    security(("bearer" = [])))]
pub async fn end_member(
    State(state): State<AppState>,
    Extension(c): Extension<ApiCaller>,
    Path((id, member)): Path<(String, String)>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    let on = date_or_today(&headers, &bytes)?;
    Ok(done(
        state
            .store()
            .end_member(c.practice.id, &id, &member, on)
            .await,
    ))
}

fn check_value(state: &AppState, fact: &str, v: &str) -> Result<(), WebError> {
    if state
        .law()
        .fact(fact)
        .and_then(|f| f.value_index(v))
        .is_some()
    {
        Ok(())
    } else {
        Err(invalid(format!(
            "Champ « {fact} » : valeur non reconnue (voir les valeurs du fait « {fact} » dans le schéma Situation)."
        )))
    }
}

/// Records a consent.
#[utoipa::path(post, path = "/api/v1/patients/{id}/consents", tag = "registre",
    params(("id" = String, Path, description = "Référence du registre")),
    request_body(content = ConsentInput, content_type = "application/json"),
    responses((status = 201, description = "Le consentement", body = ConsentDoc, links(
        ("retrait" = (operation_id = "withdraw_consent", parameters(("id" = "$request.path.id"), ("consent" = "$response.body#/id")), description = "Le patient retire ce consentement")),
    )), (status = 404, description = "Introuvable dans ce cabinet", body = crate::schemas::ApiErrorDoc), (status = 422, description = "Données invalides", body = crate::schemas::ApiErrorDoc)),
    security(("bearer" = [])))]
pub async fn add_consent(
    State(state): State<AppState>,
    Extension(c): Extension<ApiCaller>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    let i: ConsentInput = body(&headers, &bytes)?;
    check_value(&state, "recipient", &i.recipient)?;
    if let Some(p) = &i.purpose {
        check_value(&state, "purpose", p)?;
    }
    let n = NewConsent {
        recipient: i.recipient,
        professional: i.professional,
        rpps: i.rpps,
        what: i.what,
        purpose: i.purpose,
        method: i.method,
        given_on: Some(i.given_on),
        until: i.until,
    };
    Ok(created(
        state.store().add_consent(c.practice.id, &id, &n).await,
    ))
}

/// The patient withdraws a consent.
#[utoipa::path(post, path = "/api/v1/patients/{id}/consents/{consent}/withdraw", tag = "registre",
    params(("id" = String, Path, description = "Référence du registre"), ("consent" = String, Path, description = "Identifiant du consentement (`cst_…`)")),
    request_body(content = DateInput, content_type = "application/json"),
    responses((status = 204, description = "Enregistré"), (status = 404, description = "Introuvable dans ce cabinet", body = crate::schemas::ApiErrorDoc)),
    security(("bearer" = [])))]
pub async fn withdraw_consent(
    State(state): State<AppState>,
    Extension(c): Extension<ApiCaller>,
    Path((id, consent)): Path<(String, String)>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    let on = date_or_today(&headers, &bytes)?;
    Ok(done(
        state
            .store()
            .withdraw_consent(c.practice.id, &id, &consent, on)
            .await,
    ))
}

/// Records an opposition.
#[utoipa::path(post, path = "/api/v1/patients/{id}/oppositions", tag = "registre",
    params(("id" = String, Path, description = "Référence du registre")),
    request_body(content = OppositionInput, content_type = "application/json"),
    responses((status = 201, description = "L’opposition", body = OppositionDoc, links(
        ("levee" = (operation_id = "lift_opposition", parameters(("id" = "$request.path.id"), ("opposition" = "$response.body#/id")), description = "Le patient lève cette opposition")),
    )), (status = 404, description = "Introuvable dans ce cabinet", body = crate::schemas::ApiErrorDoc), (status = 422, description = "Données invalides", body = crate::schemas::ApiErrorDoc)),
    security(("bearer" = [])))]
pub async fn add_opposition(
    State(state): State<AppState>,
    Extension(c): Extension<ApiCaller>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    let i: OppositionInput = body(&headers, &bytes)?;
    if i.scope != OPPOSITION_ALL {
        check_value(&state, "recipient", &i.scope)?;
    }
    let n = NewOpposition {
        scope: i.scope,
        what: i.what,
        since: Some(i.since),
        informed_on: i.informed_on,
    };
    Ok(created(
        state.store().add_opposition(c.practice.id, &id, &n).await,
    ))
}

/// The patient lifts an opposition.
#[utoipa::path(post, path = "/api/v1/patients/{id}/oppositions/{opposition}/lift", tag = "registre",
    params(("id" = String, Path, description = "Référence du registre"), ("opposition" = String, Path, description = "Identifiant de l’opposition (`opp_…`)")),
    request_body(content = DateInput, content_type = "application/json"),
    responses((status = 204, description = "Enregistré"), (status = 404, description = "Introuvable dans ce cabinet", body = crate::schemas::ApiErrorDoc)),
    security(("bearer" = [])))]
pub async fn lift_opposition(
    State(state): State<AppState>,
    Extension(c): Extension<ApiCaller>,
    Path((id, opposition)): Path<(String, String)>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    let on = date_or_today(&headers, &bytes)?;
    Ok(done(
        state
            .store()
            .lift_opposition(c.practice.id, &id, &opposition, on)
            .await,
    ))
}

fn ndjson(text: String) -> Response {
    (
        [(header::CONTENT_TYPE, "application/x-ndjson; charset=utf-8")],
        text,
    )
        .into_response()
}

fn fhir_json(v: serde_json::Value) -> Response {
    (
        [(header::CONTENT_TYPE, "application/fhir+json; charset=utf-8")],
        v.to_string(),
    )
        .into_response()
}

/// Right of access: the patient's journal entries with their proofs (JSON lines).
#[utoipa::path(get, path = "/api/v1/patients/{id}/journal", tag = "journal",
    params(("id" = String, Path, description = "Référence du registre")),
    responses((status = 200, description = "JSON lines : en-tête, entrées, ancre, vérification", content_type = "application/x-ndjson", body = String), (status = 404, description = "Introuvable dans ce cabinet", body = crate::schemas::ApiErrorDoc)),
    security(("bearer" = [])))]
pub async fn patient_journal(
    State(state): State<AppState>,
    Extension(c): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Answer {
    Ok(
        match state.store().journal_export(c.practice.id, Some(&id)).await {
            Ok(t) => ndjson(t),
            Err(e) => failure(e),
        },
    )
}

/// The patient's consents and oppositions as a FHIR R4 Bundle of `Consent`.
#[utoipa::path(get, path = "/api/v1/patients/{id}/fhir", tag = "registre",
    params(("id" = String, Path, description = "Référence du registre")),
    responses((status = 200, description = "Bundle FHIR R4 (collection) de ressources Consent", content_type = "application/fhir+json", body = Object), (status = 404, description = "Introuvable dans ce cabinet", body = crate::schemas::ApiErrorDoc)),
    security(("bearer" = [])))]
pub async fn patient_fhir(
    State(state): State<AppState>,
    Extension(c): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Answer {
    Ok(
        match crate::register::consent_bundle(&state, c.practice.id, &id).await {
            Ok(b) => fhir_json(b),
            Err(e) => failure(e),
        },
    )
}

// ---------------------------------------------------------------- journal

/// The practice's journal entries, decrypted.
#[utoipa::path(get, path = "/api/v1/journal", tag = "journal",
    responses((status = 200, description = "Les entrées, par numéro", body = [JournalEntryDoc]), (status = 401, description = "Jeton manquant", body = crate::schemas::ApiErrorDoc)),
    security(("bearer" = [])))]
pub async fn journal(State(state): State<AppState>, Extension(c): Extension<ApiCaller>) -> Answer {
    Ok(
        match state.store().journal_entries(c.practice.id, None).await {
            Ok(e) => json_ok(StatusCode::OK, &e),
            Err(e) => failure(e),
        },
    )
}

/// Records a disclosure (or a declined one) in the journal.
#[utoipa::path(post, path = "/api/v1/journal", tag = "journal",
    request_body(content = JournalEntryInputDoc, content_type = "application/json"),
    responses((status = 201, description = "Enregistrée, durable et ancrée", body = AppendedDoc), (status = 404, description = "Patient introuvable dans ce cabinet", body = crate::schemas::ApiErrorDoc), (status = 422, description = "Entrée invalide", body = crate::schemas::ApiErrorDoc), (status = 409, description = "Le journal ne se vérifie plus : rien n’est ajouté par-dessus (journal_tampered)", body = crate::schemas::ApiErrorDoc)),
    security(("bearer" = [])))]
pub async fn append(
    State(state): State<AppState>,
    Extension(c): Extension<ApiCaller>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Answer {
    let e: NewEntry = body(&headers, &bytes)?;
    // Recipient, purpose, verdict and basis stay in clear for ever: the law's words only.
    sceau_app::journal_entry::check_entry(state.law(), &e).map_err(invalid)?;
    Ok(
        match state
            .store()
            .journal_append(c.practice.id, &author(&c), &[e])
            .await
        {
            Ok(s) => json_ok(
                StatusCode::CREATED,
                &AppendedDoc {
                    seq: s.first().copied().unwrap_or(0),
                },
            ),
            Err(e) => failure(e),
        },
    )
}

/// Verifies the practice's chain against its anchor.
#[utoipa::path(get, path = "/api/v1/journal/verify", tag = "journal",
    responses((status = 200, description = "Résultat de la vérification", body = VerificationDoc)),
    security(("bearer" = [])))]
pub async fn verify(State(state): State<AppState>, Extension(c): Extension<ApiCaller>) -> Answer {
    Ok(match state.store().journal_verify(c.practice.id).await {
        Ok(v) => json_ok(
            StatusCode::OK,
            &match v.result {
                Ok(ok) => json!({ "intact": true, "entries": ok.entries, "head": hex(&ok.head) }),
                Err(b) => {
                    json!({ "intact": false, "first_bad_entry": b.seq, "kind": b.kind, "message": b.message })
                }
            },
        ),
        Err(e) => failure(e),
    })
}

fn hex(h: &[u8; 32]) -> String {
    h.iter().map(|b| format!("{b:02x}")).collect()
}

/// The journal with its proofs (JSON lines: header, entries, checkpoints, anchor, verification).
#[utoipa::path(get, path = "/api/v1/journal/export", tag = "journal",
    responses((status = 200, description = "JSON lines", content_type = "application/x-ndjson", body = String)),
    security(("bearer" = [])))]
pub async fn export(State(state): State<AppState>, Extension(c): Extension<ApiCaller>) -> Answer {
    Ok(
        match state.store().journal_export(c.practice.id, None).await {
            Ok(t) => ndjson(t),
            Err(e) => failure(e),
        },
    )
}

/// The journal as a FHIR R4 Bundle of `AuditEvent`.
#[utoipa::path(get, path = "/api/v1/journal/fhir", tag = "journal",
    responses((status = 200, description = "Bundle FHIR R4 (collection) de ressources AuditEvent", content_type = "application/fhir+json", body = Object)),
    security(("bearer" = [])))]
pub async fn journal_fhir(
    State(state): State<AppState>,
    Extension(c): Extension<ApiCaller>,
) -> Answer {
    Ok(
        match crate::register::audit_bundle(&state, &c.practice, None).await {
            Ok(b) => fhir_json(b),
            Err(e) => failure(e),
        },
    )
}
