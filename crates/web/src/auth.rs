//! Accounts in the browser: first installation, login and logout, the
//! account page (password change), administration of accounts and API
//! tokens.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::context;
use sceau_store::{Role, Session, StoreError, TokenScope};
use serde::Serialize;
use subtle::ConstantTimeEq;

use crate::connections::client_ip;
use crate::error::{Answer, OrAnswer, WebError};
use crate::render::{page, Chrome};
use crate::session::{
    anonymous_csrf, check_csrf, cookie, cookie_header, csrf_matches, set_cookie, with_csrf_cookie,
    Admin, CsrfField, CsrfForm, MaybeUser, User, DEVICE_COOKIE, PRACTICE_COOKIE, SESSION_COOKIE,
};
use crate::AppState;

/// The file of the data directory holding the installation code until the installation.
pub const INSTALL_CODE_FILE: &str = "installation.code";

pub use crate::state::new_install_code;

/// Writes the installation code to `path`, readable by the server's account only.
pub fn write_install_code(path: &std::path::Path, code: &str) -> std::io::Result<()> {
    use std::io::Write;
    let _ = std::fs::remove_file(path);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    writeln!(f, "{code}")
}

/// Whether a typed installation code is the server's (case, spaces and
/// dashes aside), in constant time.
fn install_code_matches(expected: &str, given: Option<&String>) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .collect()
    };
    match given {
        Some(g) if !expected.is_empty() => {
            norm(expected).as_bytes().ct_eq(norm(g).as_bytes()).into()
        }
        _ => false,
    }
}

/// A local path to go back to after login (never another site).
fn safe_next(next: Option<&String>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && n.len() < 4000
                // A path Sceau itself wrote: percent-encoded, nothing else (no
                // free text that would come back in the login page).
                && n.bytes().all(|b| b.is_ascii_alphanumeric() || b"/-_.~%?=&:".contains(&b)) =>
        {
            n.clone()
        }
        _ => "/".into(),
    }
}

/// What the log says when the store refuses an operation of these pages.
const DB: &str = "base de données";

/// The CSRF check of a form posted before login (installation, login):
/// the anonymous token, or 403 « Formulaire expiré » with a fresh cookie.
fn check_anonymous_csrf(
    state: &AppState,
    headers: &HeaderMap,
    form: &FormMap,
) -> Result<String, WebError> {
    let (csrf, fresh) = anonymous_csrf(headers);
    if fresh || !csrf_matches(&csrf, form.csrf()) {
        let refused = WebError::bad_csrf(state, None).into_response();
        Err(with_csrf_cookie(headers, refused, &csrf, fresh).into())
    } else {
        Ok(csrf)
    }
}

type FormMap = HashMap<String, String>;

// ---------------------------------------------------------------- installation

/// Whether the installation page is open: the server has no administrator
/// yet, or a practice the operator created waits for its first one.
async fn installation_open(state: &AppState) -> Result<(bool, bool), StoreError> {
    let store = state.store();
    Ok((
        store.needs_setup().await?,
        store.installation_pending().await?,
    ))
}

pub async fn setup_form(State(state): State<AppState>, headers: HeaderMap) -> Answer {
    if installation_open(&state).await.or_page(&state, None, DB)? == (false, false) {
        return Ok(Redirect::to("/connexion").into_response());
    }
    let (csrf, fresh) = anonymous_csrf(&headers);
    let chrome = Chrome::new("Installation", "", None).with_csrf(&csrf);
    let res = page(
        &state,
        StatusCode::OK,
        "setup.html",
        &chrome,
        context! { form => FormMap::new() },
    );
    Ok(with_csrf_cookie(&headers, res, &csrf, fresh))
}

pub async fn setup(
    State(state): State<AppState>,
    Parts_(headers, ip): Parts_,
    Form(form): Form<FormMap>,
) -> Answer {
    let csrf = check_anonymous_csrf(&state, &headers, &form)?;
    // Installed already: nothing in the form is even looked at.
    let (first, tenant) = installation_open(&state).await.or_page(&state, None, DB)?;
    if !first && !tenant {
        return Ok(Redirect::to("/connexion").into_response());
    }
    // The installation code is a secret like a password: guesses count on
    // the address's login limit (whatever the account).
    let throttle = &state.inner().limiters.login;
    if let Err(wait) = throttle.check_address(ip) {
        let mut res = setup_refused_with(
            &state,
            &csrf,
            &form,
            StatusCode::TOO_MANY_REQUESTS,
            format!("Trop de codes d’installation incorrects depuis cette adresse. Réessayez dans {wait}\u{a0}s."),
        );
        with_retry_after(&mut res, wait);
        return Ok(res);
    }
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    if get("mot_de_passe") != get("confirmation") {
        return Ok(setup_refused(
            &state,
            &csrf,
            &form,
            "Les deux mots de passe ne sont pas identiques.".into(),
        ));
    }
    if tenant {
        // A practice's own code (`sceau practice create`): its name was
        // given by the operator, the form's is not used.
        let claimed = match state
            .store()
            .claim_installation(
                get("code"),
                get("identifiant"),
                get("nom"),
                get("mot_de_passe"),
            )
            .await
        {
            Err(StoreError::Invalid(m)) => return Ok(setup_refused(&state, &csrf, &form, m)),
            Err(e @ StoreError::UsernameTaken) => {
                return Ok(setup_refused(&state, &csrf, &form, e.to_string()))
            }
            r => r.or_page(&state, None, DB)?,
        };
        if let Some(a) = claimed {
            tracing::info!(practice = a.practice_id, "installation d’un cabinet");
            // The practice's login link: its number fills the « Cabinet » field.
            return Ok(
                Redirect::to(&format!("/connexion?ok=installe&cabinet={}", a.practice_id))
                    .into_response(),
            );
        }
    }
    if !first || !install_code_matches(state.install_code(), form.get("code")) {
        throttle.failed_address(ip);
        return Ok(setup_refused(&state, &csrf, &form, "Code d’installation incorrect\u{a0}: recopiez celui que le serveur a affiché à son démarrage (aussi dans le fichier installation.code de son répertoire de données), ou celui que votre hébergeur vous a remis pour votre cabinet.".to_string()));
    }
    match state
        .store()
        .create_first_admin(
            get("cabinet"),
            get("identifiant"),
            get("nom"),
            get("mot_de_passe"),
        )
        .await
    {
        Err(StoreError::AlreadySetUp) => Ok(Redirect::to("/connexion").into_response()),
        Err(StoreError::Invalid(m)) => Ok(setup_refused(&state, &csrf, &form, m)),
        r => {
            r.or_page(&state, None, DB)?;
            // Used once: the file has served its purpose.
            let _ = std::fs::remove_file(state.store().data_dir().join(INSTALL_CODE_FILE));
            Ok(Redirect::to("/connexion?ok=installe").into_response())
        }
    }
}

/// The installation form again, with why it was refused, and what was typed
/// in its own fields (never the passwords nor the installation code).
fn setup_refused(state: &AppState, csrf: &str, form: &FormMap, error: String) -> Response {
    setup_refused_with(state, csrf, form, StatusCode::UNPROCESSABLE_ENTITY, error)
}

fn setup_refused_with(
    state: &AppState,
    csrf: &str,
    form: &FormMap,
    status: StatusCode,
    error: String,
) -> Response {
    let chrome = Chrome::new("Installation", "", None).with_csrf(csrf);
    page(
        state,
        status,
        "setup.html",
        &chrome,
        context! { form => crate::render::kept(form), error => error },
    )
}

// ---------------------------------------------------------------- login
//
// Login names are unique per practice (issue 14), so a sign-in names its
// practice: a « Cabinet » field (its number), shown only when several
// practices share the server, filled from the practice's login link
// (`/connexion?cabinet=N`) or from the number this browser last signed in
// to (a cookie). A server with one practice asks for no more than before.

/// What the login page shows besides its messages.
struct LoginForm {
    next: String,
    /// The practice number to fill in (digits only, never free text).
    practice: String,
    /// Whether the « Cabinet » field is shown.
    several: bool,
}

/// The « Cabinet » field: empty (`None`), or a practice number, as « 3 »
/// or « n° 3 »; `Err` for anything else.
fn practice_field(given: Option<&String>) -> Result<Option<i64>, ()> {
    let t = given.map(|s| s.trim()).unwrap_or("");
    let t = ["n°", "N°", "no ", "No "]
        .iter()
        .find_map(|p| t.strip_prefix(p))
        .unwrap_or(t)
        .trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.len() > 18 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(());
    }
    t.parse().map(Some).map_err(|_| ())
}

/// The login page with a status and its message.
fn login_page(
    state: &AppState,
    status: StatusCode,
    chrome: &Chrome,
    f: &LoginForm,
    notice: Option<&str>,
    error: Option<String>,
) -> Response {
    page(
        state,
        status,
        "login.html",
        chrome,
        context! {
            next => f.next, cabinet => f.practice, several => f.several,
            notice => notice, error => error, username => "",
        },
    )
}

pub async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeUser(user): MaybeUser,
    Query(q): Query<FormMap>,
) -> Answer {
    if state
        .store()
        .needs_setup()
        .await
        .or_page(&state, None, DB)?
    {
        return Ok(Redirect::to("/installation").into_response());
    }
    let next = safe_next(q.get("suite"));
    if user.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    let (csrf, fresh) = anonymous_csrf(&headers);
    let notice = match q.get("ok").map(String::as_str) {
        Some("installe") => {
            Some("Le compte administrateur est créé. Connectez-vous pour commencer.")
        }
        Some("deconnecte") => Some("Vous êtes déconnecté."),
        Some("mot_de_passe") => Some("Mot de passe changé : reconnectez-vous."),
        Some("session") => {
            Some("Votre session a expiré : reconnectez-vous, vous retrouverez vos réponses.")
        }
        _ => None,
    };
    // The login link's number first, then the one this browser remembers.
    let linked = practice_field(q.get("cabinet")).ok().flatten();
    let remembered = practice_field(cookie(&headers, PRACTICE_COOKIE).as_ref())
        .ok()
        .flatten();
    let only = state
        .store()
        .only_practice()
        .await
        .or_page(&state, None, DB)?;
    let f = LoginForm {
        next,
        practice: linked
            .or(remembered)
            .map(|n| n.to_string())
            .unwrap_or_default(),
        several: only.is_none() || linked.is_some(),
    };
    let chrome = Chrome::new("Connexion", "login", None).with_csrf(&csrf);
    let res = login_page(&state, StatusCode::OK, &chrome, &f, notice, None);
    Ok(with_csrf_cookie(&headers, res, &csrf, fresh))
}

pub async fn login(
    State(state): State<AppState>,
    parts: Parts_,
    Form(form): Form<FormMap>,
) -> Answer {
    let Parts_(headers, ip) = parts;
    let csrf = check_anonymous_csrf(&state, &headers, &form)?;
    let username = form.get("identifiant").cloned().unwrap_or_default();
    let password = form.get("mot_de_passe").cloned().unwrap_or_default();
    let chrome = Chrome::new("Connexion", "login", None).with_csrf(&csrf);
    let given = practice_field(form.get("cabinet"));
    let mut f = LoginForm {
        next: safe_next(form.get("suite")),
        practice: given
            .ok()
            .flatten()
            .map(|n| n.to_string())
            .unwrap_or_default(),
        several: !matches!(given, Ok(None)),
    };
    let Ok(given) = given else {
        return Ok(login_page(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            &chrome,
            &f,
            None,
            Some(
                "Cabinet\u{a0}: indiquez le numéro de votre cabinet, en chiffres (par exemple 2)."
                    .into(),
            ),
        ));
    };
    let practice = match state.store().login_practice(given).await {
        Ok(p) => p,
        Err(e @ StoreError::PracticeRequired) => {
            f.several = true;
            return Ok(login_page(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                &chrome,
                &f,
                None,
                Some(e.to_string() + "."),
            ));
        }
        Err(e) => return Err(WebError::store(&state, None, DB, &e)),
    };
    let throttle = &state.inner().limiters.login;
    // The device cookie is checked against the account's password hash as
    // it stands: a change, a reset or a deactivation revokes it.
    let binding = state
        .store()
        .login_binding(practice, &username)
        .await
        .or_page(&state, None, DB)?;
    let cookie_value = cookie(&headers, DEVICE_COOKIE);
    let device = throttle.verified_device(
        practice,
        &username,
        binding.as_deref(),
        cookie_value.as_deref(),
    );
    if let Err(wait) = throttle.check(ip, practice, &username, device) {
        return Ok(too_many_logins(
            &state,
            &chrome,
            &f,
            wait.max(1),
            "Trop de tentatives de connexion échouées pour cet identifiant ou depuis cette adresse.",
        ));
    }
    match state
        .store()
        .verify_login(Some(practice), &username, &password)
        .await
    {
        Ok(Some(account)) => {
            let token = state
                .store()
                .create_session(account.id)
                .await
                .or_page(&state, None, DB)?;
            throttle.succeeded(practice, &username, device);
            // A session cookie the browser already had (another account,
            // or planted by someone else) is never carried over a login.
            if let Some(old) = cookie(&headers, SESSION_COOKIE) {
                state
                    .store()
                    .delete_session(&old)
                    .await
                    .or_page(&state, None, DB)?;
            }
            let mut res = Redirect::to(&f.next).into_response();
            // A session cookie: it ends with the browser (a shared
            // computer), and the server ends it after its lifetime anyway.
            res.headers_mut().append(
                header::SET_COOKIE,
                cookie_header(&headers, SESSION_COOKIE, &token, None),
            );
            if let Some(binding) = &binding {
                res.headers_mut().append(
                    header::SET_COOKIE,
                    set_cookie(
                        &headers,
                        DEVICE_COOKIE,
                        &throttle.device_value(practice, &username, binding),
                        180 * 86_400,
                    ),
                );
            }
            // Remembered even on a server with one practice: the day a
            // second one arrives, this browser's field is already filled.
            res.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(
                    &headers,
                    PRACTICE_COOKIE,
                    &account.practice_id.to_string(),
                    365 * 86_400,
                ),
            );
            tracing::info!(account = account.id, "connexion");
            Ok(res)
        }
        Ok(None) => {
            throttle.failed(ip, practice, &username, device);
            // The same words whether the practice, the name or the
            // password was wrong.
            let error = if f.several {
                "Cabinet, identifiant ou mot de passe incorrect."
            } else {
                "Identifiant ou mot de passe incorrect."
            };
            Ok(login_page(
                &state,
                StatusCode::UNAUTHORIZED,
                &chrome,
                &f,
                None,
                Some(error.into()),
            ))
        }
        Err(e @ (StoreError::Suspended | StoreError::AccountAltered)) => {
            if matches!(e, StoreError::AccountAltered) {
                // No name, no role: only that it happened.
                tracing::warn!("connexion refusée : compte altéré (ligne non signée par Sceau)");
            }
            Ok(login_page(
                &state,
                StatusCode::FORBIDDEN,
                &chrome,
                &f,
                None,
                Some(e.to_string()),
            ))
        }
        Err(StoreError::Busy) => Ok(too_many_logins(
            &state,
            &chrome,
            &f,
            2,
            "Le serveur vérifie trop de connexions à la fois.",
        )),
        Err(e) => Err(WebError::store(&state, None, DB, &e)),
    }
}

/// 429 on the login page, with the exact `Retry-After`.
fn too_many_logins(
    state: &AppState,
    chrome: &Chrome,
    f: &LoginForm,
    wait: u64,
    why: &str,
) -> Response {
    let mut res = login_page(
        state,
        StatusCode::TOO_MANY_REQUESTS,
        chrome,
        f,
        None,
        Some(format!("{why} Réessayez dans {wait}\u{a0}s.")),
    );
    with_retry_after(&mut res, wait);
    res
}

/// `Retry-After: wait` (seconds) on a 429.
fn with_retry_after(res: &mut Response, wait: u64) {
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
}

/// Request headers and client address, for handlers that also read a body.
pub struct Parts_(pub HeaderMap, pub std::net::IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for Parts_ {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Parts_(parts.headers.clone(), client_ip(&parts.extensions)))
    }
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeUser(user): MaybeUser,
    Form(form): Form<FormMap>,
) -> Answer {
    let Some(session) = user else {
        return Ok(Redirect::to("/connexion").into_response());
    };
    check_csrf(&state, &session, &form)?;
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        state
            .store()
            .delete_session(&token)
            .await
            .or_page(&state, Some(&session), DB)?;
    }
    let mut res = Redirect::to("/connexion?ok=deconnecte").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&headers, SESSION_COOKIE, "", 0),
    );
    Ok(res)
}

// ---------------------------------------------------------------- own account

pub async fn account(
    State(state): State<AppState>,
    User(session, _): User,
    Query(q): Query<FormMap>,
) -> Answer {
    let saved = q.get("ok").is_some_and(|o| o == "profil");
    crate::profile::account_page(
        &state,
        &session,
        StatusCode::OK,
        context! { profile_notice => saved.then_some("Votre identité professionnelle est enregistrée\u{a0}: elle figurera sur vos signalements et vos lettres.") },
        None,
    )
    .await
}

pub async fn change_password(
    State(state): State<AppState>,
    User(session, token): User,
    CsrfForm(form): CsrfForm<FormMap>,
) -> Answer {
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    // Refused: the page again, no password in it.
    let fail = |msg: String| {
        crate::profile::account_page(
            &state,
            &session,
            StatusCode::UNPROCESSABLE_ENTITY,
            context! { error => msg },
            None,
        )
    };
    if get("nouveau") != get("confirmation") {
        return fail("Les deux nouveaux mots de passe ne sont pas identiques.".into()).await;
    }
    // The current password is a guess like a login's: counted on the
    // account's limit, so that a session left open is no dictionary.
    let throttle = &state.inner().limiters.login;
    let (practice, username) = (session.practice.id, session.account.username.as_str());
    if let Err(wait) = throttle.check_account(practice, username) {
        let mut res = crate::profile::account_page(
            &state,
            &session,
            StatusCode::TOO_MANY_REQUESTS,
            context! { error => format!("Trop de mots de passe actuels incorrects pour ce compte. Réessayez dans {wait}\u{a0}s.") },
            None,
        )
        .await?;
        with_retry_after(&mut res, wait);
        return Ok(res);
    }
    let changed = match state
        .store()
        .change_password(session.account.id, get("actuel"), get("nouveau"), &token)
        .await
    {
        Err(StoreError::Invalid(m)) => return fail(m).await,
        r => r.or_page(&state, Some(&session), DB)?,
    };
    if !changed {
        throttle.failed_account(practice, username);
        return fail("Le mot de passe actuel est incorrect.".into()).await;
    }
    throttle.succeeded(practice, username, None);
    crate::profile::account_page(
        &state,
        &session,
        StatusCode::OK,
        context! { notice => "Votre mot de passe a été changé. Vos autres sessions ont été fermées." },
        None,
    )
    .await
}

// ---------------------------------------------------------------- administration

#[derive(Serialize)]
struct AccountRow {
    id: i64,
    username: String,
    display_name: String,
    role: &'static str,
    role_label: &'static str,
    active: bool,
    is_self: bool,
    altered: bool,
}

#[derive(Serialize)]
struct RoleOption {
    value: &'static str,
    label: &'static str,
}

fn roles() -> Vec<RoleOption> {
    Role::ALL
        .iter()
        .map(|r| RoleOption {
            value: r.as_str(),
            label: r.label_fr(),
        })
        .collect()
}

async fn admin_page(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    notice: Option<&str>,
    error: Option<String>,
    form: FormMap,
) -> Answer {
    let accounts = state
        .store()
        .list_accounts(session.practice.id)
        .await
        .or_page(state, Some(session), DB)?;
    let rows: Vec<AccountRow> = accounts
        .into_iter()
        .map(|a| AccountRow {
            id: a.id,
            is_self: a.id == session.account.id,
            username: a.username,
            display_name: a.display_name,
            role: a.role.as_str(),
            role_label: a.role.label_fr(),
            active: a.active,
            altered: a.altered,
        })
        .collect();
    let chrome = Chrome::new("Administration", "admin", Some(session));
    Ok(page(
        state,
        status,
        "admin.html",
        &chrome,
        context! { accounts => rows, roles => roles(), notice => notice, error => error, form => form, practice_id => session.practice.id },
    ))
}

pub async fn admin(
    State(state): State<AppState>,
    Admin(session): Admin,
    Query(q): Query<FormMap>,
) -> Answer {
    let notice = match q.get("ok").map(String::as_str) {
        Some("cree") => {
            Some("Le compte est créé. Communiquez le mot de passe provisoire à son titulaire.")
        }
        Some("modifie") => Some("Le compte est modifié."),
        Some("mot_de_passe") => {
            Some("Le mot de passe est remplacé ; les sessions du compte sont fermées.")
        }
        _ => None,
    };
    admin_page(
        &state,
        &session,
        StatusCode::OK,
        notice,
        None,
        FormMap::new(),
    )
    .await
}

pub async fn admin_action(
    State(state): State<AppState>,
    Admin(session): Admin,
    CsrfForm(form): CsrfForm<FormMap>,
) -> Answer {
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let practice = session.practice.id;
    let id: Option<i64> = get("compte").parse().ok();
    let result = match get("action") {
        "creer" => match Role::parse(get("role")) {
            None => Err(StoreError::Invalid("Choisissez un rôle.".into())),
            Some(role) => state
                .store()
                .create_account(
                    practice,
                    get("identifiant"),
                    get("nom"),
                    role,
                    get("mot_de_passe"),
                )
                .await
                .map(|_| "cree"),
        },
        "modifier" => match (id, Role::parse(get("role"))) {
            (Some(id), Some(role)) => state
                .store()
                .update_account(practice, id, role, get("actif") == "oui")
                .await
                .map(|_| "modifie"),
            _ => Err(StoreError::Invalid("Compte ou rôle non reconnu.".into())),
        },
        "mot_de_passe" => match id {
            Some(id) => state
                .store()
                .reset_password(practice, id, get("mot_de_passe"))
                .await
                .map(|_| "mot_de_passe"),
            None => Err(StoreError::Invalid("Compte non reconnu.".into())),
        },
        _ => Err(StoreError::Invalid("Action non reconnue.".into())),
    };
    match result {
        Ok(ok) => Ok(Redirect::to(&format!("/administration?ok={ok}")).into_response()),
        Err(
            e @ (StoreError::Invalid(_)
            | StoreError::UsernameTaken
            | StoreError::LastAdmin
            | StoreError::AccountAltered
            | StoreError::NotFound),
        ) => {
            let msg = match e {
                StoreError::Invalid(m) => m,
                StoreError::AccountAltered => "Ce compte est marqué «\u{a0}altéré\u{a0}»\u{a0}: Sceau ne le modifie pas tant que l’administrateur du serveur ne l’a pas attesté (sceau accounts attest).".into(),
                StoreError::NotFound => "Ce compte n’existe pas dans votre cabinet.".into(),
                other => capitalize(&other.to_string()) + ".",
            };
            // The account form keeps what was typed (never the password).
            let typed = if get("action") == "creer" {
                crate::render::kept(&form)
            } else {
                FormMap::new()
            };
            admin_page(
                &state,
                &session,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(msg),
                typed,
            )
            .await
        }
        Err(e) => Err(WebError::store(&state, Some(&session), DB, &e)),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[derive(Serialize)]
struct TokenRow {
    id: i64,
    name: String,
    prefix: String,
    creator: Option<String>,
    created: String,
    scope: &'static str,
    scope_label: &'static str,
    expires: String,
    expired: bool,
    last_used: Option<String>,
    revoked: Option<String>,
    to_replace: bool,
    name_unverified: bool,
}

/// Creates a token from the form's scope and days (the form's defaults when absent).
async fn create_token(
    state: &AppState,
    session: &Session,
    name: &str,
    scope: &str,
    days: &str,
) -> Result<(String, sceau_store::ApiToken), StoreError> {
    let scope = match scope {
        "" => TokenScope::Lecture,
        s => TokenScope::parse(s)
            .ok_or_else(|| StoreError::Invalid("Portée : lecture ou écriture.".into()))?,
    };
    let days = match days.trim() {
        "" => sceau_store::TOKEN_DAYS_DEFAULT,
        d => d.parse::<i64>().map_err(|_| {
            StoreError::Invalid(format!(
                "Durée du jeton : un nombre de jours, de 1 à {}.",
                sceau_store::TOKEN_DAYS_MAX
            ))
        })?,
    };
    state
        .store()
        .create_token_with(session.practice.id, session.account.id, name, scope, days)
        .await
}

async fn tokens_page(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    created: Option<(String, String)>,
    notice: Option<&str>,
    error: Option<String>,
    typed: FormMap,
) -> Answer {
    let tokens = state
        .store()
        .list_tokens(session.practice.id)
        .await
        .or_page(state, Some(session), DB)?;
    let now = chrono::Utc::now().timestamp();
    let rows: Vec<TokenRow> = tokens
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            creator: t.created_by_name,
            created: crate::dates::ts_fr(t.created_at),
            scope: t.scope.as_str(),
            scope_label: t.scope.label_fr(),
            expires: crate::dates::ts_fr(t.expires_at),
            expired: t.expires_at <= now,
            last_used: t.last_used_at.map(crate::dates::ts_fr),
            revoked: t.revoked_at.map(crate::dates::ts_fr),
            to_replace: t.to_replace,
            name_unverified: t.name_unverified,
        })
        .collect();
    let chrome = Chrome::new("Jetons d’API", "admin", Some(session));
    Ok(page(
        state,
        status,
        "tokens.html",
        &chrome,
        context! {
            tokens => rows,
            created => created.map(|(name, token)| context! { name => name, token => token }),
            notice => notice,
            error => error,
            days_max => sceau_store::TOKEN_DAYS_MAX,
            days_default => sceau_store::TOKEN_DAYS_DEFAULT,
            form => typed,
        },
    ))
}

pub async fn tokens(
    State(state): State<AppState>,
    Admin(session): Admin,
    Query(q): Query<FormMap>,
) -> Answer {
    let notice = match q.get("ok").map(String::as_str) {
        Some("revoque") => Some("Le jeton est révoqué : il ne donne plus accès à l’API."),
        _ => None,
    };
    tokens_page(
        &state,
        &session,
        StatusCode::OK,
        None,
        notice,
        None,
        FormMap::new(),
    )
    .await
}

pub async fn tokens_action(
    State(state): State<AppState>,
    Admin(session): Admin,
    CsrfForm(form): CsrfForm<FormMap>,
) -> Answer {
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    match get("action") {
        "creer" => {
            match create_token(&state, &session, get("nom"), get("portee"), get("jours")).await {
                Ok((clear, t)) => {
                    tokens_page(
                        &state,
                        &session,
                        StatusCode::OK,
                        Some((t.name, clear)),
                        None,
                        None,
                        FormMap::new(),
                    )
                    .await
                }
                Err(StoreError::Invalid(m)) => {
                    tokens_page(
                        &state,
                        &session,
                        StatusCode::UNPROCESSABLE_ENTITY,
                        None,
                        None,
                        Some(m),
                        crate::render::kept(&form),
                    )
                    .await
                }
                Err(e) => Err(WebError::store(&state, Some(&session), DB, &e)),
            }
        }
        "revoquer" => {
            let id: i64 = get("jeton").parse().unwrap_or(-1);
            match state.store().revoke_token(session.practice.id, id).await {
                Ok(()) => Ok(Redirect::to("/administration/jetons?ok=revoque").into_response()),
                Err(StoreError::NotFound) => {
                    tokens_page(
                        &state,
                        &session,
                        StatusCode::UNPROCESSABLE_ENTITY,
                        None,
                        None,
                        Some("Ce jeton n’existe pas ou est déjà révoqué.".into()),
                        FormMap::new(),
                    )
                    .await
                }
                Err(e) => Err(WebError::store(&state, Some(&session), DB, &e)),
            }
        }
        _ => {
            tokens_page(
                &state,
                &session,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                None,
                Some("Action non reconnue.".into()),
                FormMap::new(),
            )
            .await
        }
    }
}
