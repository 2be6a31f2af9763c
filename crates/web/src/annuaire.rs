//! Administration › Annuaire des destinataires: the practice's directory of
//! the recipients of reports (parquets of the tribunaux judiciaires, CRIP,
//! préfectures, préfecture de police, medical and administrative
//! authorities). The administrator adds, edits and deletes entries, and may
//! import the examples shipped with Sceau for a département as a starting
//! point — marked « exemple à vérifier » until checked. The signalement
//! form takes its recipient's address from here.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use sceau_documents::directory::Entry;
use sceau_documents::Directory;
use sceau_store::directory::{kind_label, NewRecipient, Recipient, RECIPIENT_KINDS};
use sceau_store::{Session, Store, StoreError};
use serde::Serialize;

use crate::error::{Answer, WebError};
use crate::render::{page, Chrome};
use crate::session::{Admin, CsrfForm};
use crate::AppState;

type FormMap = HashMap<String, String>;

/// The practice's directory, as the documents crate reads it: its signed
/// entries only, so that an address written without the key is never a
/// letter's (audit of 2026-11-30, finding 7).
pub async fn practice_directory(store: &Store, practice: i64) -> sceau_store::Result<Directory> {
    Ok(signed_directory(store.recipients(practice).await?).0)
}

/// The signed entries of `list` as a directory, and the altered ones left
/// out (to say why an entry the practice sees is not used).
pub fn signed_directory(list: Vec<Recipient>) -> (Directory, Vec<Recipient>) {
    let (altered, signed): (Vec<_>, Vec<_>) = list.into_iter().partition(|r| r.altered);
    (
        Directory {
            recipient: signed.into_iter().map(to_entry).collect(),
        },
        altered,
    )
}

fn to_entry(r: Recipient) -> Entry {
    Entry {
        kind: r.kind,
        department: r.department,
        name: r.name,
        address: r.address,
        salutation: r.salutation,
        email: r.email,
        phone: r.phone,
        example: r.example,
    }
}

fn from_entry(e: &Entry) -> NewRecipient {
    NewRecipient {
        kind: e.kind.clone(),
        department: e.department.clone(),
        name: e.name.clone(),
        address: e.address.join("\n"),
        salutation: e.salutation.clone(),
        email: e.email.clone(),
        phone: e.phone.clone(),
        example: true,
    }
}

#[derive(Serialize)]
struct Opt {
    value: String,
    label: String,
}

fn kinds() -> Vec<Opt> {
    RECIPIENT_KINDS
        .iter()
        .map(|(v, l)| Opt {
            value: v.to_string(),
            label: l.to_string(),
        })
        .collect()
}

#[derive(Serialize)]
struct Row {
    id: String,
    kind_label: String,
    department: String,
    name: String,
    address: Vec<String>,
    email: Option<String>,
    phone: Option<String>,
    example: bool,
    altered: bool,
}

fn row(r: Recipient) -> Row {
    Row {
        kind_label: kind_label(&r.kind).to_string(),
        id: r.id,
        department: r.department,
        name: r.name,
        address: r.address,
        email: r.email,
        phone: r.phone,
        example: r.example,
        altered: r.altered,
    }
}

fn new_recipient(form: &FormMap, example: bool) -> NewRecipient {
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let opt = |k: &str| Some(get(k)).filter(|v| !v.trim().is_empty());
    NewRecipient {
        kind: get("type"),
        department: get("departement"),
        name: get("nom"),
        address: get("adresse"),
        salutation: opt("formule"),
        email: opt("courriel"),
        phone: opt("telephone"),
        example,
    }
}

fn store_error(state: &AppState, s: &Session, e: StoreError) -> WebError {
    tracing::error!(error = %e, "annuaire");
    WebError::page(
        state,
        StatusCode::SERVICE_UNAVAILABLE,
        Some(s),
        "Service indisponible",
        "La base de données ne répond pas. Réessayez dans un instant.",
    )
}

fn not_found(state: &AppState, s: &Session) -> WebError {
    WebError::page(
        state,
        StatusCode::NOT_FOUND,
        Some(s),
        "Introuvable",
        "Cette entrée n’existe pas dans l’annuaire de votre cabinet.",
    )
}

/// An operation on one entry refused: 404 for an entry not in the
/// practice's directory, 503 otherwise.
fn refused(state: &AppState, s: &Session, e: StoreError) -> WebError {
    match e {
        StoreError::NotFound => not_found(state, s),
        e => store_error(state, s, e),
    }
}

async fn list_page(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
    form: FormMap,
) -> Answer {
    let listing = state
        .store()
        .directory(s.practice.id)
        .await
        .map_err(|e| store_error(state, s, e))?;
    let deleted = listing.deleted;
    let record_altered = listing.record_altered;
    let rows: Vec<Row> = listing.entries.into_iter().map(row).collect();
    let examples = Directory::builtin().departments();
    let chrome = Chrome::new("Annuaire des destinataires", "admin", Some(s));
    Ok(page(
        state,
        status,
        "annuaire.html",
        &chrome,
        context! { rows => rows, deleted => deleted, record_altered => record_altered, kinds => kinds(), examples => examples, notice => notice, error => error, form => form },
    ))
}

pub async fn list(
    State(state): State<AppState>,
    Admin(s): Admin,
    Query(q): Query<FormMap>,
) -> Answer {
    let notice = match q.get("ok").map(String::as_str) {
        Some("ajoute") => Some("L’entrée est ajoutée à l’annuaire.".to_string()),
        Some("modifie") => Some("L’entrée est enregistrée.".to_string()),
        Some("supprime") => Some("L’entrée est supprimée de l’annuaire.".to_string()),
        Some("importe") => {
            let n: usize = q.get("n").and_then(|n| n.parse().ok()).unwrap_or(0);
            Some(match n {
                0 => "Aucune entrée importée : l’annuaire contient déjà ces exemples.".to_string(),
                1 => "1 entrée d’exemple importée : vérifiez-la avant tout envoi.".to_string(),
                n => format!("{n} entrées d’exemple importées : vérifiez-les avant tout envoi."),
            })
        }
        _ => None,
    };
    list_page(&state, &s, StatusCode::OK, notice, None, FormMap::new()).await
}

pub async fn action(
    State(state): State<AppState>,
    Admin(s): Admin,
    CsrfForm(form): CsrfForm<FormMap>,
) -> Answer {
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let store = state.store();
    let practice = s.practice.id;
    let who = &s.account.username;
    let result: Result<String, StoreError> = match get("action") {
        "ajouter" => store
            .add_recipient(practice, who, &new_recipient(&form, false))
            .await
            .map(|_| "ajoute".into()),
        "supprimer" => store
            .delete_recipient(practice, get("entree"))
            .await
            .map(|_| "supprime".into()),
        "importer" => {
            let builtin = Directory::builtin();
            let list: Vec<NewRecipient> = builtin
                .of_department(get("departement_exemples"))
                .into_iter()
                .map(from_entry)
                .collect();
            if list.is_empty() {
                Err(StoreError::Invalid(
                    "Champ « Département des exemples » : choisissez un département de la liste."
                        .into(),
                ))
            } else {
                store
                    .import_recipients(practice, who, &list)
                    .await
                    .map(|n| format!("importe&n={n}"))
            }
        }
        _ => Err(StoreError::Invalid("Action non reconnue.".into())),
    };
    match result {
        Ok(ok) => Ok(Redirect::to(&format!("/administration/annuaire?ok={ok}")).into_response()),
        // The message names the field; the form keeps what was typed, in
        // its own fields.
        Err(StoreError::Invalid(m)) => {
            list_page(
                &state,
                &s,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(m),
                crate::render::kept(&form),
            )
            .await
        }
        Err(e) => Err(refused(&state, &s, e)),
    }
}

fn entry_page(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    id: &str,
    (form, altered): (FormMap, bool),
    error: Option<String>,
) -> Response {
    let chrome = Chrome::new("Modifier une entrée de l’annuaire", "admin", Some(s));
    page(
        state,
        status,
        "annuaire_entree.html",
        &chrome,
        context! { id => id, form => form, kinds => kinds(), error => error, altered => altered },
    )
}

pub async fn entry(
    State(state): State<AppState>,
    Admin(s): Admin,
    Path(id): Path<String>,
) -> Answer {
    let form = stored_form(&state, &s, &id).await?;
    Ok(entry_page(&state, &s, StatusCode::OK, &id, form, None))
}

/// The form of an entry as stored, and whether its row is altered.
async fn stored_form(state: &AppState, s: &Session, id: &str) -> Result<(FormMap, bool), WebError> {
    let r = state
        .store()
        .recipient(s.practice.id, id)
        .await
        .map_err(|e| refused(state, s, e))?;
    let mut form = FormMap::new();
    form.insert("type".into(), r.kind);
    form.insert("departement".into(), r.department);
    form.insert("nom".into(), r.name);
    form.insert("adresse".into(), r.address.join("\n"));
    form.insert("formule".into(), r.salutation.unwrap_or_default());
    form.insert("courriel".into(), r.email.unwrap_or_default());
    form.insert("telephone".into(), r.phone.unwrap_or_default());
    if r.example {
        form.insert("a_verifier".into(), "oui".into());
    }
    Ok((form, r.altered))
}

pub async fn save(
    State(state): State<AppState>,
    Admin(s): Admin,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<FormMap>,
) -> Answer {
    // Saving is the administrator's check: the example mark stays only if
    // « adresse encore à vérifier » is ticked.
    let example = form.get("a_verifier").is_some_and(|v| v == "oui");
    match state
        .store()
        .update_recipient(
            s.practice.id,
            &s.account.username,
            &id,
            &new_recipient(&form, example),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to("/administration/annuaire?ok=modifie").into_response()),
        // The message names the field; the form keeps what was typed, in
        // its own fields (the entry must still exist).
        Err(StoreError::Invalid(m)) => {
            let (_, altered) = stored_form(&state, &s, &id).await?;
            Ok(entry_page(
                &state,
                &s,
                StatusCode::UNPROCESSABLE_ENTITY,
                &id,
                (crate::render::kept(&form), altered),
                Some(m),
            ))
        }
        Err(e) => Err(refused(&state, &s, e)),
    }
}
