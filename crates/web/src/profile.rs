//! « Mon compte », the account's professional identity: its RPPS number and
//! professional address, given once by the account's owner and put into
//! every report and letter the account writes (`sceau_store::profiles`).
//! The letters' forms show them as known, never ask them again, and take
//! them from the store when the form does not carry them.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use minijinja::context;
use sceau_store::profiles::Profile;
use sceau_store::{Session, StoreError};
use serde::Serialize;

use crate::error::{Answer, OrAnswer};
use crate::render::{page, Chrome};
use crate::session::{CsrfForm, User};
use crate::AppState;

type FormMap = HashMap<String, String>;

/// The profile as the pages show it.
#[derive(Debug, Default, Serialize)]
pub(crate) struct ProfileView {
    rpps: String,
    address: String,
    address_lines: Vec<String>,
    /// Both given: the letters' forms show them and ask nothing.
    complete: bool,
}

pub(crate) fn view(p: &Profile) -> ProfileView {
    ProfileView {
        rpps: p.rpps.clone().unwrap_or_default(),
        address: p.address.join("\n"),
        address_lines: p.address.clone(),
        complete: p.rpps.is_some() && !p.address.is_empty(),
    }
}

/// The signed-in account's profile; an empty one if the store does not
/// answer (the form then asks for the fields, as before).
pub(crate) async fn load(state: &AppState, s: &Session) -> Profile {
    match state.store().profile(s.practice.id, s.account.id).await {
        Ok(p) => p,
        Err(e) => {
            tracing::error!(error = %e, "profil du compte");
            Profile::default()
        }
    }
}

/// The author's fields of a letter's form, from the account: its name, and
/// the RPPS number and address of its profile where the form has none.
pub(crate) fn fill_author(values: &mut FormMap, s: &Session, p: &Profile) {
    let empty = |v: &FormMap, k: &str| v.get(k).is_none_or(|x| x.trim().is_empty());
    if empty(values, "auteur_nom") {
        values.insert("auteur_nom".into(), s.account.display_name.clone());
    }
    if empty(values, "auteur_rpps") {
        if let Some(r) = &p.rpps {
            values.insert("auteur_rpps".into(), r.clone());
        }
    }
    if empty(values, "auteur_adresse") && !p.address.is_empty() {
        values.insert("auteur_adresse".into(), p.address.join("\n"));
    }
}

/// The account page with its profile: as stored, or as typed when refused;
/// `messages` are the page's others (`notice`, `error` of the password form,
/// `profile_notice`, `profile_error`).
pub(crate) async fn account_page(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    messages: minijinja::Value,
    typed: Option<&FormMap>,
) -> Answer {
    let stored = state
        .store()
        .profile(s.practice.id, s.account.id)
        .await
        .or_page(state, Some(s), "profil du compte")?;
    let mut profile = view(&stored);
    if let Some(t) = typed {
        // A refused form keeps what its owner typed (never a password).
        profile.rpps = t.get("rpps").cloned().unwrap_or_default();
        profile.address = t.get("adresse").cloned().unwrap_or_default();
    }
    let chrome = Chrome::new("Mon compte", "account", Some(s));
    Ok(page(
        state,
        status,
        "account.html",
        &chrome,
        context! { profile => profile, ..messages },
    ))
}

/// `POST /compte/profil`: the owner saves the account's RPPS number and
/// professional address.
pub async fn save(
    State(state): State<AppState>,
    User(s, _): User,
    CsrfForm(form): CsrfForm<FormMap>,
) -> Answer {
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    match state
        .store()
        .save_profile(s.practice.id, s.account.id, get("rpps"), get("adresse"))
        .await
    {
        Ok(_) => Ok(Redirect::to("/compte?ok=profil").into_response()),
        Err(StoreError::Invalid(m)) => {
            account_page(
                &state,
                &s,
                StatusCode::UNPROCESSABLE_ENTITY,
                context! { profile_error => m },
                Some(&form),
            )
            .await
        }
        Err(e) => Err(e).or_page(&state, Some(&s), "profil du compte"),
    }
}
