//! An in-process client for the router: cookies, CSRF tokens, forms.
#![allow(dead_code)]

use std::collections::HashMap;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use sceau_store::{HashCost, Store, StoreConfig};
use sceau_web::{router, AppState, Limits};
use tower::ServiceExt;

pub const ADMIN_PASSWORD: &str = "phrase de passe du test";
/// The installation code of the test applications (`AppState::with_install_code`).
pub const INSTALL_CODE: &str = "TEST-CODE-0001";

pub struct App {
    pub router: Router,
    pub state: AppState,
    pub dir: tempfile::TempDir,
    /// The test's PostgreSQL database, `None` on SQLite.
    pub url: Option<String>,
}

/// The store of one test: SQLite in a temporary directory, or a fresh
/// PostgreSQL database when SCEAU_TEST_DATABASE_URL is set.
pub async fn test_store(dir: &std::path::Path) -> Store {
    let mut cfg = StoreConfig::new(dir, sceau_store::testing::fresh_database_url().await);
    cfg.cost = HashCost::Fast;
    Store::open(cfg).await.unwrap()
}

pub async fn app_with(private_api: bool, limits: Limits) -> App {
    app_with_config(private_api, limits, |_| {}).await
}

/// An application whose store configuration `tune` adjusts (session lifetime…).
pub async fn app_with_config(
    private_api: bool,
    limits: Limits,
    tune: impl FnOnce(&mut StoreConfig),
) -> App {
    app_built(private_api, limits, tune, |s| s).await
}

/// An application whose store configuration `tune` and state `adjust` change.
pub async fn app_built(
    private_api: bool,
    limits: Limits,
    tune: impl FnOnce(&mut StoreConfig),
    adjust: impl FnOnce(AppState) -> AppState,
) -> App {
    let dir = tempfile::tempdir().unwrap();
    let url = sceau_store::testing::fresh_database_url().await;
    let mut cfg = StoreConfig::new(dir.path(), url.clone());
    cfg.cost = HashCost::Fast;
    tune(&mut cfg);
    let store = Store::open(cfg).await.unwrap();
    let state = adjust(
        AppState::new(sceau_law::law(), store, private_api, limits).with_install_code(INSTALL_CODE),
    );
    App {
        router: router(state.clone()),
        state,
        dir,
        url,
    }
}

/// An application that believes `X-Forwarded-*` from loopback, the
/// address of in-process requests: a proxy in front of it.
pub async fn app_behind_proxy() -> App {
    app_built(
        false,
        generous(),
        |_| {},
        |s| s.with_trusted_proxies(vec![std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)]),
    )
    .await
}

pub fn generous() -> Limits {
    Limits {
        api_per_minute: 100_000,
        api_burst: 100_000,
        login_burst: 100,
        login_period: std::time::Duration::from_millis(10),
    }
}

pub async fn app() -> App {
    app_with(false, generous()).await
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }
}

pub async fn send(router: &Router, req: Request<Body>) -> Resp {
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Resp {
        status,
        headers,
        body,
    }
}

pub async fn post_json(router: &Router, path: &str, body: &str) -> Resp {
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    send(router, req).await
}

/// A browser: keeps cookies, reads CSRF tokens from the last page.
pub struct Browser<'a> {
    pub router: &'a Router,
    pub cookies: HashMap<String, String>,
    pub last: String,
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The value of the first `name="csrf"` field in a page.
pub fn csrf_of(html: &str) -> String {
    let i = html
        .find("name=\"csrf\" value=\"")
        .expect("no CSRF field in page")
        + "name=\"csrf\" value=\"".len();
    html[i..].split('"').next().unwrap().to_string()
}

/// The text between `start` and the next `end` after it.
pub fn between<'h>(html: &'h str, start: &str, end: &str) -> Option<&'h str> {
    let i = html.find(start)? + start.len();
    html[i..].split(end).next()
}

impl<'a> Browser<'a> {
    pub fn new(router: &'a Router) -> Browser<'a> {
        Browser {
            router,
            cookies: HashMap::new(),
            last: String::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, r: &Resp) {
        for v in r.headers.get_all(header::SET_COOKIE) {
            let s = v.to_str().unwrap();
            let kv = s.split(';').next().unwrap();
            let (k, val) = kv.split_once('=').unwrap();
            if val.is_empty() || s.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), val.to_string());
            }
        }
        if r.headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|c| c.to_str().unwrap().starts_with("text/html"))
        {
            self.last = r.text();
        }
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        let req = Request::get(path)
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .unwrap();
        let r = send(self.router, req).await;
        self.keep(&r);
        r
    }

    pub async fn post_raw(&mut self, path: &str, body: String) -> Resp {
        let req = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let r = send(self.router, req).await;
        self.keep(&r);
        r
    }

    /// Posts a form with the CSRF token of the last page.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let csrf = csrf_of(&self.last);
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, form_body(&all)).await
    }

    /// Posts a form, then follows a 303 (post/redirect/get) like a browser:
    /// the interview answers with a redirection to its new URL.
    pub async fn post_follow(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let r = self.post(path, fields).await;
        if r.status == StatusCode::SEE_OTHER {
            let to = r.location();
            return self.get(&to).await;
        }
        r
    }

    pub async fn setup_admin(&mut self) {
        let r = self.get("/installation").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = self
            .post(
                "/installation",
                &[
                    ("code", INSTALL_CODE),
                    ("cabinet", "Cabinet des Tests"),
                    ("nom", "Alice Admin"),
                    ("identifiant", "alice"),
                    ("mot_de_passe", ADMIN_PASSWORD),
                    ("confirmation", ADMIN_PASSWORD),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    }

    /// Signs in as on a server with one practice: no « Cabinet » field.
    pub async fn login(&mut self, user: &str, password: &str) -> Resp {
        self.get("/connexion").await;
        self.post(
            "/connexion",
            &[
                ("identifiant", user),
                ("mot_de_passe", password),
                ("suite", "/"),
            ],
        )
        .await
    }

    /// Signs in to this practice (its number in the « Cabinet » field), as
    /// when several practices share the server.
    pub async fn login_in(&mut self, practice: i64, user: &str, password: &str) -> Resp {
        self.post_login_with_practice(&practice.to_string(), user, password)
            .await
    }

    /// The login form with this text in its « Cabinet » field.
    pub async fn post_login_with_practice(
        &mut self,
        practice: &str,
        user: &str,
        password: &str,
    ) -> Resp {
        self.get("/connexion").await;
        self.post(
            "/connexion",
            &[
                ("cabinet", practice),
                ("identifiant", user),
                ("mot_de_passe", password),
                ("suite", "/"),
            ],
        )
        .await
    }
}

pub async fn json_req(
    router: &Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> Resp {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let req = match body {
        Some(b) => req
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(b.to_string()))
            .unwrap(),
        None => req.body(Body::empty()).unwrap(),
    };
    send(router, req).await
}

/// An API token of the account `user`, looked up by name in every
/// practice (two may share the server), and its practice.
pub async fn token_for(app: &App, user: &str) -> (String, i64) {
    let store = app.state.store();
    let mut found = None;
    for p in store.practices().await.unwrap() {
        let accounts = store.list_accounts(p.id).await.unwrap();
        found = found.or(accounts.into_iter().find(|a| a.username == user));
    }
    let a = found.expect("the account exists");
    let (t, _) = store
        .create_token(a.practice_id, a.id, "tests")
        .await
        .unwrap();
    (t, a.practice_id)
}

/// The first administrator installed through the pages, as
/// [`Browser::setup_admin`] does, and an API token of hers.
pub async fn admin_token(app: &App) -> String {
    Browser::new(&app.router).setup_admin().await;
    token_for(app, "alice").await.0
}

/// Registers a patient through the API (201): the answer.
pub async fn new_patient(
    router: &Router,
    token: &str,
    body: serde_json::Value,
) -> serde_json::Value {
    let p = json_req(router, "POST", "/api/v1/patients", Some(token), Some(body)).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.text());
    p.json()
}

/// A patient's record through the API: care team, consents, oppositions.
pub async fn patient_record(router: &Router, token: &str, id: &str) -> serde_json::Value {
    json_req(
        router,
        "GET",
        &format!("/api/v1/patients/{id}"),
        Some(token),
        None,
    )
    .await
    .json()
}

/// A connection of an intruder's own to the app's database, beside the
/// running store (he writes the database, he has not the key).
pub async fn raw(app: &App) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    let url = app
        .url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", app.dir.path().join("sceau.sqlite").display()));
    sqlx::AnyPool::connect(&url).await.unwrap()
}

/// Two practices of one server: alice's (the first administrator,
/// installed through `alice`'s browser) and bob's (created by the
/// operator), as their administrators' accounts.
pub async fn two_practices(
    app: &App,
    alice: &mut Browser<'_>,
) -> (sceau_store::Account, sceau_store::Account) {
    let store = app.state.store();
    alice.setup_admin().await;
    let a = store
        .verify_login(None, "alice", ADMIN_PASSWORD)
        .await
        .unwrap()
        .unwrap();
    let bob = store
        .create_practice("Cabinet Voisin", "bob", "Bob", ADMIN_PASSWORD)
        .await
        .unwrap();
    (a, bob)
}

/// Whether the tests run on SQLite (no SCEAU_TEST_DATABASE_URL).
pub fn is_sqlite() -> bool {
    std::env::var(sceau_store::testing::TEST_DATABASE_ENV)
        .map(|v| v.trim().is_empty())
        .unwrap_or(true)
}

/// A log writer for tests: what tracing writes, kept in memory.
#[derive(Clone, Default)]
pub struct Captured(pub std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// What a form's field `name` holds in a page, as the page writes it
/// (HTML-escaped): the value of the input, or the text of the textarea.
/// `None` when the page has no such field or the input no value.
pub fn field_value(html: &str, name: &str) -> Option<String> {
    let needle = format!("name=\"{name}\"");
    for (i, _) in html.match_indices(&needle) {
        let open = html[..i].rfind('<')?;
        let close = i + html[i..].find('>')?;
        let tag = &html[open..=close];
        if tag.starts_with("<textarea") {
            let rest = &html[close + 1..];
            return rest.split("</textarea>").next().map(str::to_string);
        }
        if tag.starts_with("<input") {
            let v = tag.split(" value=\"").nth(1)?;
            return v.split('"').next().map(str::to_string);
        }
    }
    None
}

/// The text of the page's error message (`role="alert"`), empty if none.
pub fn alert(html: &str) -> String {
    between(html, "role=\"alert\"", "</p>")
        .map(|t| t.split_once('>').map(|(_, t)| t).unwrap_or(t).to_string())
        .unwrap_or_default()
}

/// A report under CP 226-14 3° (violence in the couple, no consent, life in
/// immediate danger, emprise), ready to draft: nothing is flagged.
pub fn report_case() -> Vec<(&'static str, &'static str)> {
    vec![
        ("destinataire", "procureur"),
        ("departement", "69"),
        ("mineur", "non"),
        ("se_proteger", "oui"),
        ("violences", "oui"),
        ("couple", "oui"),
        ("danger", "oui"),
        ("emprise", "oui"),
        ("consentement", "refuse"),
        ("nature", "physique"),
        ("auteur_nom", "Alice Admin"),
        ("auteur_rpps", "10101010101"),
        ("auteur_adresse", "12 rue des Lilas\n69003 Lyon"),
        ("victime_civilite", "Mme"),
        ("victime_nom", "Claire Dubois"),
        ("constatations", "Hématome périorbitaire droit"),
        ("propos", "Il m’a frappée."),
        ("contexte", ""),
    ]
}
