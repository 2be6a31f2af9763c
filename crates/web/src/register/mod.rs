//! The register's pages: « Patients » (list, creation, the patient's page
//! with care team, consents, oppositions and journal entries), « Journal »
//! (entries and verification status), recording a disclosure from the
//! decision page, and the exports (journal with proofs, a patient's own
//! entries, FHIR R4).

pub mod api;

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use minijinja::context;
use sceau_engine::Law;
use sceau_store::register::{
    NewConsent, NewMember, NewOpposition, NewPatient, CONSENT_METHODS, OPPOSITION_ALL, TEAM_GROUNDS,
};
use sceau_store::{Session, StoreError};
use serde::Serialize;

use crate::dates::{parse_day, today, ts_fr};
use crate::error::{store_failure, Answer, OrAnswer};
use crate::facts::{method_fr, scope_label, value_label, Record};
use crate::session::{CsrfForm, User};

use crate::render::{page, typo, Chrome};
use crate::AppState;

type FormMap = HashMap<String, String>;

/// A text export to download.
fn download_text(body: String, kind: &'static str, name: String) -> Response {
    crate::render::attachment(&name, kind, body.into_bytes())
}

fn day_fr(d: Option<NaiveDate>) -> String {
    d.map(sceau_engine::model::date_fr).unwrap_or_default()
}

#[derive(Serialize)]
struct Opt {
    value: String,
    label: String,
}

fn choices(law: &Law, fact: &str) -> Vec<Opt> {
    law.fact(fact)
        .map(|f| {
            f.choices
                .iter()
                .map(|c| Opt {
                    value: c.value.clone(),
                    label: typo(&c.label),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn valid_value(law: &Law, fact: &str, v: &str) -> bool {
    law.fact(fact).and_then(|f| f.value_index(v)).is_some()
}

// ---------------------------------------------------------------- patients list

#[derive(Serialize)]
struct PatientRow {
    id: String,
    name: String,
    birth: String,
    reference: String,
    unreadable: bool,
}

async fn patients_page(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    error: Option<String>,
    form: FormMap,
) -> Answer {
    let list = state
        .store()
        .list_patients(s.practice.id)
        .await
        .or_register_page(state, s)?;
    // The names are encrypted: the search runs here, on the decrypted list.
    let query = form
        .get("q")
        .map(|q| q.trim().to_string())
        .unwrap_or_default();
    let needle = crate::render::fold(&query);
    let total = list.len();
    let rows: Vec<PatientRow> = list
        .into_iter()
        .filter(|p| {
            // An unreadable row matches no search, and shows without one.
            needle.is_empty()
                || crate::render::fold(&p.display_name).contains(&needle)
                || p.reference
                    .as_deref()
                    .is_some_and(|r| crate::render::fold(r).contains(&needle))
        })
        .map(|p| PatientRow {
            id: p.id,
            name: p.display_name,
            birth: day_fr(p.birth_date),
            reference: p.reference.unwrap_or_default(),
            unreadable: p.unreadable,
        })
        .collect();
    let chrome = Chrome::new("Patients", "patients", Some(s));
    Ok(page(
        state,
        status,
        "patients.html",
        &chrome,
        context! { patients => rows, total => total, query => query, error => error, form => form, archived => form.get("ok").is_some_and(|o| o == "archive") },
    ))
}

/// `GET /patients`: the register. Never searched from the URL: a name
/// typed there would stay in the browser's history, its address bar's
/// suggestions and any proxy's log (the search is `POST`, below).
pub async fn patients(
    State(state): State<AppState>,
    User(s, _): User,
    Query(q): Query<FormMap>,
) -> Answer {
    let mut form = FormMap::new();
    if let Some(v) = q.get("ok") {
        form.insert("ok".to_string(), v.chars().take(100).collect());
    }
    patients_page(&state, &s, StatusCode::OK, None, form).await
}

/// `POST /patients` with `action=rechercher`: the register searched with
/// `q` (name or reference), in the body only.
async fn search_patients(state: &AppState, s: &Session, posted: &FormMap) -> Answer {
    let mut form = FormMap::new();
    if let Some(v) = posted.get("q") {
        form.insert("q".to_string(), v.chars().take(100).collect());
    }
    patients_page(state, s, StatusCode::OK, None, form).await
}

pub async fn create_patient(
    State(state): State<AppState>,
    User(s, _): User,
    CsrfForm(form): CsrfForm<FormMap>,
) -> Response {
    if form.get("action").is_some_and(|a| a == "rechercher") {
        return search_patients(&state, &s, &form).await.into_response();
    }
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let birth = match parse_day(form.get("naissance")) {
        Ok(d) => d,
        Err(()) => {
            return patients_page(
                &state,
                &s,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("Date de naissance non reconnue.".into()),
                // What was typed stays in the form's fields (never in the message).
                typed(&form),
            )
            .await
            .into_response();
        }
    };
    let res = state
        .store()
        .create_patient(
            s.practice.id,
            &s.account.username,
            &NewPatient {
                display_name: get("nom"),
                birth_date: birth,
                reference: Some(get("reference")),
                deceased_on: None,
            },
        )
        .await;
    match res {
        Ok(p) => Redirect::to(&format!("/patients/{}?ok=cree", p.id)).into_response(),
        Err(StoreError::Invalid(m)) => patients_page(
            &state,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(m),
            typed(&form),
        )
        .await
        .into_response(),
        Err(e) => store_failure(&state, &s, e),
    }
}

/// What the refused creation form keeps: its own fields, not the search's.
fn typed(form: &FormMap) -> FormMap {
    let mut t = crate::render::kept(form);
    t.remove("q");
    t.remove("ok");
    t
}

// ---------------------------------------------------------------- one patient

#[derive(Serialize)]
struct MemberView {
    id: String,
    name: String,
    profession: String,
    rpps: String,
    ground: String,
    since: String,
    until: String,
    active: bool,
    unreadable: bool,
    altered: bool,
    deleted: bool,
}

#[derive(Serialize)]
struct ConsentView {
    id: String,
    recipient: String,
    professional: String,
    what: String,
    purpose: String,
    method: String,
    given_on: String,
    until: String,
    withdrawn_on: String,
    active: bool,
    altered: bool,
    unreadable: bool,
    deleted: bool,
}

#[derive(Serialize)]
struct OppositionView {
    id: String,
    scope: String,
    what: String,
    since: String,
    informed_on: String,
    lifted_on: String,
    active: bool,
    altered: bool,
    unreadable: bool,
    deleted: bool,
}

#[derive(Serialize)]
pub(crate) struct EntryView {
    seq: u64,
    at: String,
    author: String,
    patient: Option<String>,
    patient_name: Option<String>,
    recipient: String,
    purpose: String,
    action: &'static str,
    action_id: String,
    verdict: String,
    verdict_id: String,
    basis: String,
    information: String,
}

pub(crate) fn entry_view(
    law: &Law,
    e: &sceau_store::journal::JournalEntry,
    names: &HashMap<String, String>,
) -> EntryView {
    EntryView {
        seq: e.seq,
        at: ts_fr(e.at),
        author: e.author.clone(),
        patient_name: e.patient.as_ref().and_then(|p| names.get(p).cloned()),
        patient: e.patient.clone(),
        recipient: value_label(law, "recipient", &e.recipient),
        purpose: value_label(law, "purpose", &e.purpose),
        action: if e.action == "disclosed" {
            "communiquée"
        } else {
            "non communiquée"
        },
        action_id: e.action.clone(),
        verdict: sceau_engine::Verdict::parse(&e.verdict)
            .map(|v| v.label_fr().to_string())
            .unwrap_or_else(|| e.verdict.clone()),
        verdict_id: e.verdict.clone(),
        basis: e.basis.join(", "),
        information: e
            .information
            .clone()
            .unwrap_or_else(|| "(indéchiffrable : entrée altérée)".into()),
    }
}

/// A section's rows, or none and `true` when one of them does not read;
/// any other failure (a database that does not answer) stays an error.
fn readable_part<T>(
    read: Result<Vec<T>, sceau_store::StoreError>,
) -> Result<(Vec<T>, bool), sceau_store::StoreError> {
    match read {
        Ok(rows) => Ok((rows, false)),
        Err(e) if e.is_unreadable_data() => Ok((Vec::new(), true)),
        Err(e) => Err(e),
    }
}

async fn patient_page(
    state: &AppState,
    s: &Session,
    id: &str,
    status: StatusCode,
    notice: Option<&str>,
    error: Option<String>,
    typed: FormMap,
) -> Answer {
    let law = state.law();
    let rec = Record::load(state.store(), s.practice.id, id)
        .await
        .or_register_page(state, s)?;
    // The register's administrative part for the assistant; the journal
    // (decrypted) only for the roles that read clinical content.
    let clinical = s.account.role.reads_clinical();
    // A journal entry or a duty that does not read (audit finding 10)
    // leaves its section marked « illisible », never the whole page down.
    let (entries, duties) = if clinical {
        tokio::join!(
            state.store().journal_entries(s.practice.id, Some(id)),
            state.store().patient_duties(s.practice.id, id),
        )
    } else {
        (Ok(Vec::new()), Ok(Vec::new()))
    };
    let (entries, journal_unreadable) = readable_part(entries).or_register_page(state, s)?;
    let (duties, duties_unreadable) = readable_part(duties).or_register_page(state, s)?;
    let duties: Vec<crate::signalement::DutyView> = duties
        .into_iter()
        .map(crate::signalement::duty_view)
        .collect();
    let archiving = state
        .store()
        .patient_archiving(s.practice.id, id)
        .await
        .or_register_page(state, s)?;
    let day = today();
    let names: HashMap<String, String> =
        [(rec.patient.id.clone(), rec.patient.display_name.clone())].into();
    let p = &rec.patient;
    let team: Vec<MemberView> = rec
        .team
        .iter()
        .map(|m| MemberView {
            id: m.id.clone(),
            name: m.name.clone(),
            profession: m.profession.clone(),
            rpps: m.rpps.clone().unwrap_or_default(),
            ground: m
                .ground
                .as_ref()
                .and_then(|g| TEAM_GROUNDS.iter().find(|(k, _)| k == g))
                .map(|(_, l)| l.to_string())
                .unwrap_or_default(),
            since: day_fr(m.since),
            until: day_fr(m.until),
            active: !m.unreadable && !m.altered && m.active_on(day),
            unreadable: m.unreadable,
            altered: m.altered,
            deleted: m.deleted,
        })
        .collect();
    let consents: Vec<ConsentView> = rec
        .consents
        .iter()
        .map(|c| ConsentView {
            id: c.id.clone(),
            recipient: value_label(law, "recipient", &c.recipient),
            professional: c.professional.clone().unwrap_or_default(),
            what: c.what.clone(),
            purpose: c
                .purpose
                .as_ref()
                .map(|p| value_label(law, "purpose", p))
                .unwrap_or_else(|| "toute finalité".into()),
            method: method_fr(&c.method).to_string(),
            given_on: day_fr(Some(c.given_on)),
            until: day_fr(c.until),
            withdrawn_on: day_fr(c.withdrawn_on),
            active: !c.altered && c.active_on(day),
            altered: c.altered,
            unreadable: c.unreadable,
            deleted: c.deleted,
        })
        .collect();
    let oppositions: Vec<OppositionView> = rec
        .oppositions
        .iter()
        .map(|o| OppositionView {
            id: o.id.clone(),
            scope: scope_label(law, &o.scope),
            what: o.what.clone(),
            since: day_fr(Some(o.since)),
            informed_on: day_fr(o.informed_on),
            lifted_on: day_fr(o.lifted_on),
            active: !o.altered && o.active_on(day),
            altered: o.altered,
            unreadable: o.unreadable,
            deleted: o.deleted,
        })
        .collect();
    let recipients: Vec<Opt> = rec
        .recipients(law, day)
        .into_iter()
        .map(|(value, label)| Opt { value, label })
        .collect();
    let journal: Vec<EntryView> = entries
        .iter()
        .rev()
        .map(|e| entry_view(law, e, &names))
        .collect();
    let shown_name = if p.unreadable {
        "Patient illisible".to_string()
    } else {
        p.display_name.clone()
    };
    let chrome = Chrome::new(format!("{shown_name} — Patients"), "patients", Some(s));
    let mut scopes = vec![Opt {
        value: OPPOSITION_ALL.into(),
        label: "Tout échange et partage de ses informations".into(),
    }];
    scopes.extend(choices(law, "recipient"));
    Ok(page(
        state,
        status,
        "patient.html",
        &chrome,
        context! {
            p => context! {
                id => p.id.clone(), name => shown_name, unreadable => p.unreadable, birth => day_fr(p.birth_date),
                reference => p.reference.clone().unwrap_or_default(), deceased => day_fr(p.deceased_on),
                minor => p.minor_on(day),
                birth_iso => p.birth_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
                dates_altered => p.dates_altered && !p.unreadable,
                record_altered => p.record_altered,
                archive_deleted => archiving.is_some_and(|a| a.deleted),
                deleted => team.iter().filter(|m| m.deleted).count()
                    + consents.iter().filter(|c| c.deleted).count()
                    + oppositions.iter().filter(|o| o.deleted).count()
                    + duties.iter().filter(|d| d.is_deleted()).count()
                    + usize::from(archiving.is_some_and(|a| a.deleted)),
                archived => archiving.filter(|a| !a.altered).map(|a| day_fr(Some(a.on))),
                archive_altered => archiving.is_some_and(|a| a.altered && !a.deleted),
            },
            glance => context! {
                team => team.iter().filter(|m| m.active).count(),
                consents => consents.iter().filter(|c| c.active).count(),
                oppositions => oppositions.iter().filter(|o| o.active).count(),
                disclosures => journal.iter().filter(|e| e.action_id == "disclosed").count(),
                duties => duties.iter().filter(|d| d.pending()).count(),
            },
            duties => duties,
            unreadable => context! { journal => journal_unreadable, duties => duties_unreadable },
            team => team, consents => consents, oppositions => oppositions, journal => journal, clinical => clinical,
            recipients => recipients, recipient_choices => choices(law, "recipient"),
            purpose_choices => choices(law, "purpose"), scopes => scopes,
            methods => CONSENT_METHODS.iter().map(|(v, l)| Opt { value: v.to_string(), label: l.to_string() }).collect::<Vec<_>>(),
            grounds => TEAM_GROUNDS.iter().map(|(v, l)| Opt { value: v.to_string(), label: l.to_string() }).collect::<Vec<_>>(),
            today => day.format("%Y-%m-%d").to_string(),
            notice => notice, error => error,
            // A refused form's own fields get back what was typed (its
            // `action` says which form).
            form => typed,
        },
    ))
}

pub async fn patient(
    State(state): State<AppState>,
    User(s, _): User,
    Path(id): Path<String>,
    Query(q): Query<FormMap>,
) -> Answer {
    let notice = match q.get("ok").map(String::as_str) {
        Some("cree") => Some("Le patient est enregistré."),
        Some("equipe") => Some("Le membre de l’équipe de soins est enregistré."),
        Some("consentement") => Some("Le consentement est enregistré."),
        Some("opposition") => Some("L’opposition est enregistrée."),
        Some("retrait") => Some("Le retrait du consentement est enregistré."),
        Some("levee") => Some("La levée de l’opposition est enregistrée."),
        Some("fin") => Some("Le départ de l’équipe de soins est enregistré."),
        Some("deces") => Some("Le décès est enregistré."),
        Some("corrige") => Some("L’identité du patient est corrigée."),
        Some("obligation") => {
            Some("L’obligation est marquée comme faite et enregistrée dans le journal.")
        }
        _ => None,
    };
    patient_page(
        &state,
        &s,
        &id,
        StatusCode::OK,
        notice,
        None,
        FormMap::new(),
    )
    .await
}

/// The forms of the patient's page: `action` = `equipe`, `consentement`,
/// `opposition`, `retrait`, `levee`, `fin`, `deces`.
pub async fn patient_action(
    State(state): State<AppState>,
    User(s, _): User,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<FormMap>,
) -> Response {
    let law = state.law();
    let store = state.store();
    let pid = s.practice.id;
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let opt = |k: &str| form.get(k).filter(|v| !v.trim().is_empty()).cloned();
    let date = |k: &str| parse_day(form.get(k));
    let bad_date = || Err(StoreError::Invalid("Date non reconnue.".into()));
    let action = get("action");
    let result: Result<&str, StoreError> = match action.as_str() {
        "equipe" => match date("depuis") {
            Ok(since) => store
                .add_member(
                    pid,
                    &id,
                    &NewMember {
                        name: get("nom"),
                        profession: get("profession"),
                        rpps: opt("rpps"),
                        ground: opt("fondement"),
                        since,
                    },
                )
                .await
                .map(|_| "equipe"),
            Err(()) => bad_date(),
        },
        "consentement" => {
            let recipient = get("destinataire");
            let purpose = opt("finalite");
            if !valid_value(law, "recipient", &recipient) {
                Err(StoreError::Invalid("Choisissez le destinataire.".into()))
            } else if purpose
                .as_deref()
                .is_some_and(|p| !valid_value(law, "purpose", p))
            {
                Err(StoreError::Invalid("Finalité non reconnue.".into()))
            } else {
                match (date("le"), date("jusqu_au")) {
                    (Ok(given_on), Ok(until)) => store
                        .add_consent(
                            pid,
                            &id,
                            &NewConsent {
                                recipient,
                                professional: opt("professionnel"),
                                rpps: opt("rpps"),
                                what: get("quoi"),
                                purpose,
                                method: get("mode"),
                                given_on,
                                until,
                            },
                        )
                        .await
                        .map(|_| "consentement"),
                    _ => bad_date(),
                }
            }
        }
        "opposition" => {
            let scope = get("portee");
            if scope != OPPOSITION_ALL && !valid_value(law, "recipient", &scope) {
                Err(StoreError::Invalid(
                    "Choisissez la portée de l’opposition.".into(),
                ))
            } else {
                match (date("depuis"), date("informe_le")) {
                    (Ok(since), Ok(informed_on)) => store
                        .add_opposition(
                            pid,
                            &id,
                            &NewOpposition {
                                scope,
                                what: get("quoi"),
                                since,
                                informed_on,
                            },
                        )
                        .await
                        .map(|_| "opposition"),
                    _ => bad_date(),
                }
            }
        }
        "retrait" | "levee" | "fin" => match date("le") {
            Ok(on) => {
                let on = on.unwrap_or_else(today);
                let target = get("objet");
                match action.as_str() {
                    "retrait" => store.withdraw_consent(pid, &id, &target, on).await,
                    "levee" => store.lift_opposition(pid, &id, &target, on).await,
                    _ => store.end_member(pid, &id, &target, on).await,
                }
                .map(|_| match action.as_str() {
                    "retrait" => "retrait",
                    "levee" => "levee",
                    _ => "fin",
                })
            }
            Err(()) => bad_date(),
        },
        "deces" => match date("le") {
            Ok(Some(on)) => store
                .set_patient_deceased(pid, &id, Some(on))
                .await
                .map(|_| "deces"),
            _ => Err(StoreError::Invalid("Date du décès : obligatoire.".into())),
        },
        "corriger" => match date("naissance") {
            Ok(birth) => store
                .update_patient(
                    pid,
                    &id,
                    &NewPatient {
                        display_name: get("nom"),
                        birth_date: birth,
                        reference: Some(get("reference")),
                        deceased_on: None,
                    },
                )
                .await
                .map(|_| "corrige"),
            Err(()) => Err(StoreError::Invalid(
                "Date de naissance\u{a0}: date non reconnue.".into(),
            )),
        },
        // Archiving is asked twice: the button and a box ticked.
        "archiver" if get("certifie") == "oui" => store
            .archive_patient(pid, &id, &s.account.username)
            .await
            .map(|_| "archive"),
        "archiver" => Err(StoreError::Invalid(
            "Pour archiver ce patient, cochez la case de confirmation.".into(),
        )),
        _ => Err(StoreError::Invalid("Action non reconnue.".into())),
    };
    match result {
        Ok("archive") => Redirect::to("/patients?ok=archive").into_response(),
        Ok(ok) => Redirect::to(&format!("/patients/{id}?ok={ok}")).into_response(),
        Err(StoreError::Invalid(m)) => patient_page(
            &state,
            &s,
            &id,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(m),
            crate::render::kept(&form),
        )
        .await
        .into_response(),
        Err(e) => store_failure(&state, &s, e),
    }
}

/// Right of access: the patient's own journal entries with their proofs.
pub async fn patient_journal_export(
    State(state): State<AppState>,
    User(s, _): User,
    Path(id): Path<String>,
) -> Response {
    match state.store().journal_export(s.practice.id, Some(&id)).await {
        Ok(text) => download_text(
            text,
            "application/x-ndjson; charset=utf-8",
            format!("journal-{id}.jsonl"),
        ),
        Err(e) => store_failure(&state, &s, e),
    }
}

/// The patient's consents and oppositions as FHIR R4 `Consent` resources.
pub async fn patient_fhir(
    State(state): State<AppState>,
    User(s, _): User,
    Path(id): Path<String>,
) -> Response {
    match consent_bundle(&state, s.practice.id, &id).await {
        Ok(b) => download_text(
            b.to_string(),
            "application/fhir+json; charset=utf-8",
            format!("consentements-{id}.json"),
        ),
        Err(e) => store_failure(&state, &s, e),
    }
}

pub(crate) async fn consent_bundle(
    state: &AppState,
    practice: i64,
    id: &str,
) -> Result<serde_json::Value, StoreError> {
    let rec = Record::load(state.store(), practice, id).await?;
    let day = today();
    // An altered row is not exported: another system would take it as
    // the practice's word.
    let mut res: Vec<serde_json::Value> = rec
        .consents
        .iter()
        .filter(|c| !c.altered)
        .map(|c| crate::fhir::consent(&rec.patient, c, day))
        .collect();
    res.extend(
        rec.oppositions
            .iter()
            .filter(|o| !o.altered)
            .map(|o| crate::fhir::opposition(&rec.patient, o, day)),
    );
    Ok(crate::fhir::bundle(res))
}

pub(crate) async fn audit_bundle(
    state: &AppState,
    practice: &sceau_store::Practice,
    patient: Option<&str>,
) -> Result<serde_json::Value, StoreError> {
    let entries = state.store().journal_entries(practice.id, patient).await?;
    let key = sceau_store::Store::journal_practice(practice.id);
    let mut bundle = crate::fhir::bundle(
        entries
            .iter()
            .map(|e| crate::fhir::audit_event(&key, &practice.name, e))
            .collect(),
    );
    // The journal's signed head when the bundle left (`sceau journal verify --receipt`).
    bundle["meta"] = crate::journal_receipt::fhir_meta(state, practice.id).await;
    Ok(bundle)
}

// ---------------------------------------------------------------- journal

pub async fn journal(
    State(state): State<AppState>,
    User(s, _): User,
    Query(q): Query<FormMap>,
) -> Answer {
    let law = state.law();
    let store = state.store();
    let (verification, patients) = tokio::try_join!(
        store.journal_verify(s.practice.id),
        store.list_patients(s.practice.id),
    )
    .or_register_page(&state, &s)?;
    // A journal whose tables were changed may not read back at all: the page
    // then says what verification found instead of answering 503.
    let entries = match store.journal_entries(s.practice.id, None).await {
        Ok(e) => e,
        Err(_) if !verification.intact() => vec![],
        Err(e) => return Err(e).or_register_page(&state, &s),
    };
    let names: HashMap<String, String> = patients
        .into_iter()
        .map(|p| (p.id, p.display_name))
        .collect();
    let rows: Vec<EntryView> = entries
        .iter()
        .rev()
        .map(|e| entry_view(law, e, &names))
        .collect();
    let status = match &verification.result {
        Ok(v) => context! { intact => true, entries => v.entries, head => hex_short(&v.head) },
        Err(b) => {
            tracing::warn!(seq = b.seq, "journal non intact");
            context! { intact => false, seq => b.seq, message => typo(&b.message) }
        }
    };
    let notice = q
        .get("enregistre")
        .and_then(|v| v.parse::<u64>().ok())
        .map(|n| format!("Entrée n° {n} enregistrée dans le journal."));
    let chrome = Chrome::new("Journal des révélations", "journal", Some(&s));
    Ok(page(
        &state,
        StatusCode::OK,
        "journal.html",
        &chrome,
        context! { entries => rows, status => status, notice => notice, resumptions => crate::cle::resumption_views(&verification.resumptions) },
    ))
}

fn hex_short(h: &[u8; 32]) -> String {
    h.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

pub async fn journal_export(State(state): State<AppState>, User(s, _): User) -> Response {
    match state.store().journal_export(s.practice.id, None).await {
        Ok(text) => download_text(
            text,
            "application/x-ndjson; charset=utf-8",
            format!("journal-cabinet-{}.jsonl", s.practice.id),
        ),
        Err(e) => store_failure(&state, &s, e),
    }
}

pub async fn journal_fhir(State(state): State<AppState>, User(s, _): User) -> Response {
    match audit_bundle(&state, &s.practice, None).await {
        Ok(b) => download_text(
            b.to_string(),
            "application/fhir+json; charset=utf-8",
            format!("journal-cabinet-{}-fhir.json", s.practice.id),
        ),
        Err(e) => store_failure(&state, &s, e),
    }
}
