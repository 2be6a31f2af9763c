//! « Mes signalements »: each report's life (brouillon → relu → envoyé,
//! with the date and the means → suites), the buttons that move it on, and
//! the deletion of a report not sent.
//! Marking a report as sent is the disclosure: the store writes the journal
//! entry and the duty that follows then, once (`sceau_store::reports`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use minijinja::context;
use sceau_store::reports::{Report, MEANS, STATUSES};
use sceau_store::StoreError;
use serde::Serialize;

use crate::dates::today;
use crate::render::{error_page, page, Chrome};
use crate::session::{CsrfForm, User};
use crate::AppState;

#[derive(Debug, Serialize)]
pub(crate) struct ReportView {
    id: String,
    status: String,
    status_label: &'static str,
    recipient: String,
    created_on: String,
    drafts: i64,
    reviewed_by: Option<String>,
    sent_on: Option<String>,
    sent_means: Option<&'static str>,
    journal_seq: Option<i64>,
    duty: Option<String>,
    /// Flagged passages kept, with the reason given.
    kept: Vec<(String, String)>,
    letter: String,
}

fn recipient_label(kind: &str) -> String {
    match kind {
        "procureur" => "Le procureur de la République".into(),
        "crip" => "La cellule de recueil des informations préoccupantes (CRIP)".into(),
        "prefet" => "Le préfet".into(),
        _ => "Autre destinataire".into(),
    }
}

pub(crate) fn view(r: &Report) -> ReportView {
    ReportView {
        id: r.id.clone(),
        status: r.status.clone(),
        status_label: STATUSES
            .iter()
            .find(|(s, _)| *s == r.status)
            .map(|(_, l)| *l)
            .unwrap_or("Brouillon"),
        recipient: recipient_label(&r.recipient),
        created_on: chrono::DateTime::from_timestamp(r.created_at, 0)
            .map(|t| sceau_engine::model::date_fr(t.date_naive()))
            .unwrap_or_default(),
        drafts: r.drafts,
        reviewed_by: r.reviewed_by.clone(),
        sent_on: r.sent_on.map(sceau_engine::model::date_fr),
        sent_means: r
            .sent_means
            .as_deref()
            .and_then(|m| MEANS.iter().find(|(k, _)| *k == m).map(|(_, l)| *l)),
        journal_seq: r.journal_seq,
        duty: r.duty_subject.clone(),
        kept: r.kept.clone(),
        letter: r.letter.clone(),
    }
}

/// The means as the radio buttons name them.
fn means_view() -> Vec<(&'static str, &'static str)> {
    MEANS
        .iter()
        .map(|(k, _)| {
            let label = match *k {
                "courrier" => "Courrier",
                "mssante" => "Messagerie sécurisée de santé (MSSanté)",
                _ => "Remise en main propre",
            };
            (*k, label)
        })
        .collect()
}

/// `GET /signalement/rapports`: the practice's reports, newest first
/// (`?ok=supprime`: after a draft was deleted).
pub async fn list(
    State(state): State<AppState>,
    User(s, _): User,
    axum::extract::Query(q): axum::extract::Query<Vec<(String, String)>>,
) -> Response {
    let done = q
        .iter()
        .any(|(k, v)| k == "ok" && v == "supprime")
        .then_some(
            "Le brouillon est supprimé\u{a0}: son texte n’est plus dans la base du cabinet.",
        );
    match state.store().reports(s.practice.id).await {
        Ok(rs) => {
            let chrome = Chrome::new("Mes signalements", "signalement", Some(&s));
            page(
                &state,
                StatusCode::OK,
                "rapports.html",
                &chrome,
                context! { reports => rs.iter().map(view).collect::<Vec<_>>(), done => done },
            )
        }
        Err(e) => crate::error::outage_page(&state, Some(&s), "signalement", &e),
    }
}

async fn show(
    state: &AppState,
    s: &sceau_store::Session,
    id: &str,
    status: StatusCode,
    error: Option<String>,
    done: Option<&str>,
) -> Response {
    match state.store().report(s.practice.id, id).await {
        Ok(r) => {
            let chrome = Chrome::new("Signalement", "signalement", Some(s));
            page(
                state,
                status,
                "rapport.html",
                &chrome,
                context! {
                    r => view(&r),
                    means => means_view(),
                    today => today().format("%Y-%m-%d").to_string(),
                    error => error,
                    done => done,
                },
            )
        }
        Err(StoreError::NotFound) => error_page(
            state,
            StatusCode::NOT_FOUND,
            Some(s),
            "Signalement introuvable",
            "Ce signalement n’existe pas dans votre cabinet.",
        ),
        Err(e) => crate::error::outage_page(state, Some(s), "signalement", &e),
    }
}

/// `GET /signalement/rapports/{id}`.
pub async fn report(
    State(state): State<AppState>,
    User(s, _): User,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<Vec<(String, String)>>,
) -> Response {
    let done = q
        .iter()
        .find(|(k, _)| k == "fait")
        .map(|(_, v)| match v.as_str() {
            "relu" => "Le signalement est marqué comme relu.",
            "envoye" => "Le signalement est marqué comme envoyé et enregistré dans le journal.",
            _ => "",
        });
    show(
        &state,
        &s,
        &id,
        StatusCode::OK,
        None,
        done.filter(|d| !d.is_empty()),
    )
    .await
}

/// `POST /signalement/rapports/{id}`: `action=relu`, `action=envoye`
/// with `le` (the date) and `moyen`, or `action=supprimer` with the box
/// `certifie` ticked (a report not sent).
pub async fn action(
    State(state): State<AppState>,
    User(s, _): User,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let field = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let store = state.store();
    let user = s.account.username.clone();
    let result = match field("action").as_str() {
        "relu" => store.review_report(s.practice.id, &id, &user).await,
        // Deleting is asked twice: the button and a box ticked.
        "supprimer" if field("certifie") == "oui" => {
            match store.delete_report_draft(s.practice.id, &id).await {
                Ok(()) => return Redirect::to("/signalement/rapports?ok=supprime").into_response(),
                Err(e) => Err(e),
            }
        }
        "supprimer" => Err(StoreError::Invalid(
            "Pour supprimer ce brouillon, cochez la case de confirmation.".into(),
        )),
        "envoye" => {
            let on = match NaiveDate::parse_from_str(&field("le"), "%Y-%m-%d") {
                Ok(d) if d <= today() => d,
                Ok(_) => {
                    return show(
                        &state,
                        &s,
                        &id,
                        StatusCode::UNPROCESSABLE_ENTITY,
                        Some(
                            "Champ « Date d’envoi »\u{a0}: la date ne peut pas être dans le futur."
                                .into(),
                        ),
                        None,
                    )
                    .await
                }
                Err(_) => return show(
                    &state,
                    &s,
                    &id,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some(
                        "Champ « Date d’envoi »\u{a0}: indiquez la date au format jour/mois/année."
                            .into(),
                    ),
                    None,
                )
                .await,
            };
            store
                .send_report(s.practice.id, &id, &user, on, &field("moyen"))
                .await
        }
        _ => Err(StoreError::Invalid(
            "Action non reconnue\u{a0}: marquez le signalement comme relu ou comme envoyé, ou supprimez le brouillon.".into(),
        )),
    };
    match result {
        Ok(r) => Redirect::to(&format!("/signalement/rapports/{}?fait={}", r.id, r.status))
            .into_response(),
        Err(StoreError::Invalid(m)) => {
            show(
                &state,
                &s,
                &id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(m),
                None,
            )
            .await
        }
        Err(StoreError::NotFound) => show(&state, &s, &id, StatusCode::NOT_FOUND, None, None).await,
        Err(e) => crate::error::outage_page(&state, Some(&s), "signalement", &e),
    }
}
