//! Administration « Clé et sauvegarde »: where the master key lives, the
//! versions of the master and practice keys and when they were last
//! rotated, what is lost without them, how to back them up, the journal's
//! state, and two downloads: the master key encrypted under a passphrase
//! (Argon2id, `sceau_store::key_backup`) with this practice's wrapped keys,
//! only where the practice is alone on the server
//! (`sceau_store::key_download`), and the journal's receipt (its signed head
//! now), to keep in a second place and check later with
//! `sceau journal verify --receipt`.

use axum::extract::State;
use axum::http::StatusCode;
use minijinja::context;
use sceau_store::{Session, StoreError};

use crate::error::{Answer, OrAnswer, WebError};
use crate::render::attachment;
use crate::render::{page, Chrome};
use crate::session::{Admin, CsrfForm};
use crate::AppState;

type FormMap = std::collections::HashMap<String, String>;

async fn show(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    error: Option<String>,
    notice: Option<String>,
) -> Answer {
    let store = state.store();
    let key = store.key();
    let from_env = key.origin == sceau_store::crypto::KEY_ENV;
    let v = store
        .journal_verify(s.practice.id)
        .await
        .or_page(state, Some(s), "clé")?;
    let journal = match v.result {
        Ok(ok) => context! { intact => true, entries => ok.entries },
        Err(b) => context! { intact => false, message => crate::render::typo(&b.message) },
    };
    let resumptions = resumption_views(&v.resumptions);
    let keys = store
        .key_status(s.practice.id)
        .await
        .or_page(state, Some(s), "clé")?;
    let shared = store
        .hosts_several_practices()
        .await
        .or_page(state, Some(s), "clé")?;
    let chrome = Chrome::new("Clé et sauvegarde", "admin", Some(s));
    Ok(page(
        state,
        status,
        "admin_cle.html",
        &chrome,
        context! {
            origin => key.origin.clone(),
            from_env => from_env,
            data_dir => store.data_dir().display().to_string(),
            fingerprint => key.fingerprint()[..16].to_string(),
            master_rotated => keys.master_rotated_at.map(crate::dates::ts_fr),
            shared => shared,
            practice_rotated => keys.practice_rotated_at.map(crate::dates::ts_fr),
            keys => keys,
            practice_id => s.practice.id,
            passphrase_min => sceau_store::key_backup::PASSPHRASE_MIN,
            journal => journal,
            resumptions => resumptions,
            notice => notice,
            error => error,
        },
    ))
}

pub async fn form(State(state): State<AppState>, Admin(s): Admin) -> Answer {
    show(&state, &s, StatusCode::OK, None, None).await
}

pub async fn action(
    State(state): State<AppState>,
    Admin(s): Admin,
    CsrfForm(f): CsrfForm<FormMap>,
) -> Answer {
    match f.get("action").map(String::as_str) {
        Some("cle") => {
            let phrase = f.get("phrase").cloned().unwrap_or_default();
            if f.get("phrase2") != Some(&phrase) {
                return show(
                    &state,
                    &s,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some("Phrase de passe : les deux saisies diffèrent.".into()),
                    None,
                )
                .await;
            }
            // The master key opens every practice's keys: on a shared
            // server it is the host's, never a practice administrator's.
            if state
                .store()
                .hosts_several_practices()
                .await
                .or_page(&state, Some(&s), "clé")?
            {
                return show(
                    &state,
                    &s,
                    StatusCode::FORBIDDEN,
                    Some(sceau_store::key_download::SHARED_SERVER.into()),
                    None,
                )
                .await;
            }
            // The master key and this practice's keys (wrapped), what a
            // restore needs: the data backups leave the practices' keys out.
            // Argon2id takes 64 MiB: on the store's bounded hashing threads.
            let made = state
                .store()
                .practice_key_backup(s.practice.id, phrase)
                .await;
            match made {
                Ok(text) => {
                    tracing::info!(
                        account = s.account.id,
                        "sauvegarde chiffrée de la clé téléchargée"
                    );
                    Ok(attachment(
                        &format!("sceau-cle-cabinet-{}.json", s.practice.id),
                        "application/json",
                        text.into_bytes(),
                    ))
                }
                Err(StoreError::Invalid(m)) => {
                    show(&state, &s, StatusCode::UNPROCESSABLE_ENTITY, Some(m), None).await
                }
                Err(StoreError::Busy) => {
                    let mut r = show(
                        &state,
                        &s,
                        StatusCode::TOO_MANY_REQUESTS,
                        Some("Le serveur chiffre déjà d’autres sauvegardes de clé\u{a0}: rien n’a été téléchargé. Réessayez dans quelques secondes.".into()),
                        None,
                    )
                    .await?;
                    r.headers_mut().insert(
                        axum::http::header::RETRY_AFTER,
                        axum::http::HeaderValue::from_static("2"),
                    );
                    Ok(r)
                }
                Err(e) => Err(WebError::store(&state, Some(&s), "clé", &e)),
            }
        }
        Some("recu") => {
            let r = state.store().journal_receipt(s.practice.id).await.or_page(
                &state,
                Some(&s),
                "reçu du journal",
            )?;
            Ok(attachment(
                &format!("sceau-recu-journal-{}-{}.json", s.practice.id, r.seq),
                "application/json",
                serde_json::to_vec_pretty(&r).unwrap_or_default(),
            ))
        }
        Some("reprise") => {
            // The decision is the administrator's, made knowingly.
            if f.get("examine").map(String::as_str) != Some("oui") {
                return show(
                    &state,
                    &s,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some("Reprise du journal : cochez « J’ai examiné le journal » pour confirmer la décision ; rien n’a été fait.".into()),
                    None,
                )
                .await;
            }
            match state
                .store()
                .journal_resume(s.practice.id, &s.account.username)
                .await
            {
                Ok(r) => {
                    tracing::warn!(
                        account = s.account.id,
                        seq = r.seq,
                        "reprise du journal après altération"
                    );
                    let notice = format!(
                        "Altération constatée et décision enregistrée dans le journal (entrée n° {}) : le journal reprend sur un nouveau segment ; les lignes trouvées restent telles quelles.",
                        r.seq
                    );
                    show(&state, &s, StatusCode::OK, None, Some(notice)).await
                }
                Err(StoreError::Invalid(m)) => {
                    show(&state, &s, StatusCode::UNPROCESSABLE_ENTITY, Some(m), None).await
                }
                Err(e) => Err(WebError::store(&state, Some(&s), "reprise du journal", &e)),
            }
        }
        _ => {
            show(
                &state,
                &s,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("Action inconnue.".into()),
                None,
            )
            .await
        }
    }
}

/// Decisions to resume, for the pages: number, date, who.
pub(crate) fn resumption_views(r: &[sceau_store::resumption::Resumption]) -> Vec<minijinja::Value> {
    r.iter()
        .map(|r| context! { seq => r.seq, at => crate::dates::ts_fr(r.at), author => r.author.clone() })
        .collect()
}
