//! The web application of Sceau: server-rendered French pages and the JSON
//! API, over the decision engine (`sceau-engine`, the embedded law of
//! `sceau-law`) and the store (`sceau-store`).
//!
//! Every URL is in [`router`]; the pages live in [`pages`] (interview,
//! decision, texts), [`auth`] (installation, login, account, administration)
//! and the API in [`api`]. [`middleware`] holds what wraps every request:
//! security headers, the request log (method, route template, status and
//! latency only: never a body, a query string or an answer) and rate limits.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::{MethodFilter, MethodRouter};
use axum::Router;
use sceau_store::Store;

// The bottom: the plumbing every feature uses, importing no feature.
pub mod access;
pub mod conditional;
pub mod connections;
pub mod crash;
pub mod dates;
pub mod error;
pub mod metrics;
pub mod render;
pub mod schemas;
pub mod session;
pub mod state;
mod throttle;
pub mod vocabulary_schemas;
// What the register and the interview share: register → facts, the answers
// of an interview (parsed by the engine, so that their fuzz target needs
// no web server), the assessment aids.
pub mod aides;
pub use sceau_engine::answers;
mod choice_groups;
pub mod facts;
pub mod fhir;
pub mod journal_receipt;
// The features, one module or folder each, importing the plumbing and, for
// a few, a lower feature (the report form reads the directory).
pub mod annuaire;
pub mod anonymise;
pub mod anonymiser_slots;
pub mod api;
pub mod audit;
pub mod auth;
pub mod cle;
pub mod pages;
pub mod practice_export;
pub mod profile;
pub mod register;
pub mod signalement;
// The top: what wraps requests (guards, headers, log) and the OpenAPI
// document assembled from the features; the route table is below.
pub mod middleware;
pub mod openapi;

pub use access::Access;
pub use state::{AppState, BODY_LIMIT};
pub use throttle::Limits;

/// What `sceau serve` passes to [`serve`].
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// `postgres://…` for PostgreSQL; `None` for the SQLite file of `data_dir`.
    pub database_url: Option<String>,
    /// Whether the decision, interview and article endpoints require a bearer token.
    pub private_api: bool,
    /// Proxies whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Addresses besides loopback that `/metrics` answers.
    pub metrics_from: Vec<std::net::IpAddr>,
    /// Connection limits and timeouts of the accept loop.
    pub connections: connections::ConnLimits,
    /// The installation code, when automation sets it (`SCEAU_INSTALL_CODE`);
    /// otherwise one is drawn at random and printed on the console.
    pub install_code: Option<String>,
    /// A second place (another disk) where each practice's signed journal
    /// head is written periodically, as a receipt file (`--receipt-dir`).
    pub receipt_dir: Option<PathBuf>,
    /// How often the receipts of `receipt_dir` are written.
    pub receipt_every: std::time::Duration,
}

/// One line of the routing table: method, path template, access policy, handler.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub handler: MethodRouter<AppState>,
    /// The largest body accepted, in bytes.
    pub body_limit: usize,
    /// An `Account` route whose handler itself answers someone not signed
    /// in (see [`Route::open_to_anonymous`]).
    pub anonymous: bool,
}

impl Route {
    /// Pasted notes are larger than forms: such routes get their own limit,
    /// which their handlers enforce with a French answer.
    fn body_limit(mut self, bytes: usize) -> Route {
        self.body_limit = bytes;
        self
    }

    /// The router lets a request without a session reach the handler, which
    /// writes nothing and answers with the login page its own way (the
    /// interview keeps its answers in the URL to come back to; logging out
    /// when already out is a redirection). A signed-in request is guarded
    /// as any other.
    fn open_to_anonymous(mut self) -> Route {
        assert_eq!(
            self.access,
            Access::Account,
            "{}: only an Account route",
            self.path
        );
        self.anonymous = true;
        self
    }
}

fn route<H, T>(method: Method, path: &'static str, access: Access, handler: H) -> Route
where
    H: axum::handler::Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).expect("a routable HTTP method");
    Route {
        method,
        path,
        access,
        handler: axum::routing::on(filter, handler),
        body_limit: BODY_LIMIT,
        anonymous: false,
    }
}

#[rustfmt::skip]
/// Every URL of the application, with who may use it. Adding a line here
/// without a row in the access matrix test fails that test.
pub fn routes() -> Vec<Route> {
    use Access::*;
    const GET: Method = Method::GET;
    const POST: Method = Method::POST;
    vec![
        // Pages.
        route(GET, "/", Public, pages::home),
        route(GET, "/puis-je-le-dire", Account, pages::interview_start),
        route(POST, "/puis-je-le-dire", Account, pages::interview_step).open_to_anonymous(),
        route(GET, "/textes", Public, pages::texts),
        route(GET, "/textes/{id}", Public, pages::text),
        route(GET, "/patients", Register, register::patients),
        route(POST, "/patients", Register, register::create_patient),
        route(GET, "/patients/{id}", Register, register::patient),
        route(POST, "/patients/{id}", Register, register::patient_action),
        route(GET, "/patients/{id}/journal.jsonl", Clinical, register::patient_journal_export),
        route(GET, "/patients/{id}/fhir.json", Clinical, register::patient_fhir),
        route(GET, "/journal", Clinical, register::journal),
        route(POST, "/journal", Clinical, pages::record_journal),
        route(GET, "/journal/export.jsonl", Clinical, register::journal_export),
        route(GET, "/journal/fhir.json", Clinical, register::journal_fhir),
        route(GET, "/signalement", Clinical, signalement::form),
        route(POST, "/signalement", Clinical, signalement::submit),
        route(GET, "/signalement/rapports", Clinical, signalement::reports::list),
        route(GET, "/signalement/rapports/{id}", Clinical, signalement::reports::report),
        route(POST, "/signalement/rapports/{id}", Clinical, signalement::reports::action),
        route(GET, "/signalement/{id}/{file}", Clinical, signalement::download),
        route(POST, "/signalement/depuis-entretien", Clinical, signalement::from_interview),
        route(GET, "/signalement/requisition", Clinical, signalement::lettres::requisition_form),
        route(POST, "/signalement/requisition", Clinical, signalement::lettres::requisition_submit),
        route(GET, "/signalement/expertise", Clinical, signalement::lettres::expertise_form),
        route(POST, "/signalement/expertise", Clinical, signalement::lettres::expertise_submit),
        route(POST, "/obligations/{id}", Clinical, signalement::complete_duty),
        route(GET, "/anonymiser", Notes, anonymise::form),
        route(POST, "/anonymiser", Notes, anonymise::submit).body_limit(anonymise::BODY_MAX),
        route(POST, "/anonymiser/telecharger", Notes, anonymise::download).body_limit(anonymise::BODY_MAX),
        route(GET, "/audit", Account, audit::list),
        route(GET, "/audit/nouveau", Account, audit::new_form),
        route(POST, "/audit/nouveau", Account, audit::submit),
        route(GET, "/audit/{id}", Account, audit::show),
        route(GET, "/audit/{id}/rapport.pdf", Account, audit::pdf),
        route(GET, "/installation", Installation, auth::setup_form),
        route(POST, "/installation", Installation, auth::setup),
        route(GET, "/connexion", Public, auth::login_form),
        route(POST, "/connexion", Public, auth::login),
        route(POST, "/deconnexion", Account, auth::logout).open_to_anonymous(),
        route(GET, "/compte", Account, auth::account),
        route(POST, "/compte", Account, auth::change_password),
        route(POST, "/compte/profil", Account, profile::save),
        route(GET, "/administration", Administrator, auth::admin),
        route(POST, "/administration", Administrator, auth::admin_action),
        route(GET, "/administration/cle", Administrator, cle::form),
        route(POST, "/administration/cle", Administrator, cle::action),
        route(GET, "/administration/jetons", Administrator, auth::tokens),
        route(POST, "/administration/jetons", Administrator, auth::tokens_action),
        route(GET, "/administration/annuaire", Administrator, annuaire::list),
        route(POST, "/administration/annuaire", Administrator, annuaire::action),
        route(GET, "/administration/annuaire/{id}", Administrator, annuaire::entry),
        route(POST, "/administration/annuaire/{id}", Administrator, annuaire::save),
        route(GET, "/static/{file}", Public, pages::static_file),
        // For load balancers and Prometheus (no data, no identifier).
        route(GET, "/healthz", Public, metrics::healthz),
        route(GET, "/readyz", Public, metrics::readyz),
        route(GET, "/metrics", Public, metrics::metrics_page),
        // The open API.
        route(GET, "/api/v1/openapi.json", Public, openapi::openapi_json),
        route(POST, "/api/v1/decisions", OpenApi, api::decide),
        route(POST, "/api/v1/interview", OpenApi, api::interview),
        route(GET, "/api/v1/articles", OpenApi, api::articles),
        route(GET, "/api/v1/articles/{id}", OpenApi, api::article),
        // The API over stored data.
        route(GET, "/api/v1/whoami", Token, api::whoami),
        route(GET, "/api/v1/patients", Token, register::api::list_patients),
        route(POST, "/api/v1/patients", Token, register::api::create_patient),
        route(GET, "/api/v1/patients/{id}", Token, register::api::get_patient),
        route(POST, "/api/v1/patients/{id}/care-team", Token, register::api::add_member),
        route(POST, "/api/v1/patients/{id}/care-team/{member}/end", Token, register::api::end_member),
        route(POST, "/api/v1/patients/{id}/consents", Token, register::api::add_consent),
        route(POST, "/api/v1/patients/{id}/consents/{consent}/withdraw", Token, register::api::withdraw_consent),
        route(POST, "/api/v1/patients/{id}/oppositions", Token, register::api::add_opposition),
        route(POST, "/api/v1/patients/{id}/oppositions/{opposition}/lift", Token, register::api::lift_opposition),
        route(GET, "/api/v1/patients/{id}/journal", Token, register::api::patient_journal),
        route(GET, "/api/v1/patients/{id}/fhir", Token, register::api::patient_fhir),
        route(GET, "/api/v1/journal", Token, register::api::journal),
        route(POST, "/api/v1/journal", Token, register::api::append),
        route(GET, "/api/v1/journal/verify", Token, register::api::verify),
        route(GET, "/api/v1/journal/export", Token, register::api::export),
        route(GET, "/api/v1/journal/fhir", Token, register::api::journal_fhir),
        route(POST, "/api/v1/anonymise", Token, anonymise::api).body_limit(anonymise::BODY_MAX),
    ]
}

/// The router built from [`routes`]: the guard of each route is chosen by
/// its access policy (bearer token, rate limit, session and role), for
/// pages and API alike; handlers' extractors read what the guard found.
pub fn router(state: AppState) -> Router {
    router_from(state, routes())
}

/// The router of a given routing table (tests add a route of their own to
/// [`routes`]: a handler that panics, to check the answer of [`crash`]).
pub fn router_from(state: AppState, table: Vec<Route>) -> Router {
    let mut app = Router::new();
    for r in table {
        let handler = match r.access {
            Access::OpenApi => r.handler.route_layer(axum::middleware::from_fn_with_state(
                state.clone(),
                middleware::open_api_guard,
            )),
            Access::Token => r.handler.route_layer(axum::middleware::from_fn_with_state(
                state.clone(),
                middleware::token_guard,
            )),
            // The session and its role are checked here, from the table,
            // before the handler runs, for every page that needs one.
            Access::Account
            | Access::Register
            | Access::Clinical
            | Access::Notes
            | Access::Administrator => r.handler.route_layer(axum::middleware::from_fn_with_state(
                (state.clone(), r.access, r.anonymous),
                middleware::access_guard,
            )),
            Access::Public | Access::Installation => r.handler,
        };
        let handler = handler
            .layer::<_, Infallible>(DefaultBodyLimit::max(r.body_limit))
            .layer::<_, Infallible>(tower_http::limit::RequestBodyLimitLayer::new(r.body_limit))
            .layer::<_, Infallible>(crash::layer(r.path.starts_with("/api/")));
        app = app.route(r.path, handler);
    }
    app.fallback(pages::not_found)
        .method_not_allowed_fallback(pages::method_not_allowed)
        // Panics outside a route's handler (fallbacks, the guards above).
        .layer(crash::layer(false))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::own_rejections,
        ))
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .layer(axum::middleware::from_fn(middleware::log_request))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::proxy_headers,
        ))
        .with_state(state)
}

/// Starts the server and runs until Ctrl-C or SIGTERM.
pub async fn serve(cfg: ServeConfig) -> anyhow::Result<()> {
    // The first call wins: `sceau serve` has set the format of --log-format.
    init_tracing(std::env::var("SCEAU_LOG_FORMAT").is_ok_and(|v| v == "json"));
    hide_panic_messages();
    let where_ = match &cfg.database_url {
        Some(_) => "PostgreSQL (--database-url)".to_string(),
        None => cfg.data_dir.join("sceau.sqlite").display().to_string(),
    };
    let store = Store::open(sceau_store::StoreConfig::new(
        &cfg.data_dir,
        cfg.database_url.clone(),
    ))
    .await
    .map_err(|e| anyhow::anyhow!("impossible d’ouvrir la base {where_} : {e}"))?;
    let law = sceau_law::law();
    if let Some(dir) = cfg.receipt_dir.clone() {
        journal_receipt::spawn_writer(store.clone(), dir, cfg.receipt_every);
    }
    let needs_setup = store.needs_setup().await?;
    let mut state = AppState::new(law, store.clone(), cfg.private_api, Limits::default())
        .with_trusted_proxies(cfg.trusted_proxies.clone())
        .with_metrics_from(cfg.metrics_from.clone());
    if let Some(code) = cfg.install_code.as_deref().filter(|c| c.trim().len() >= 8) {
        state = state.with_install_code(code);
    }
    let limiters = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            limiters.inner().limiters.forget_idle();
        }
    });
    // Written before the port opens: whoever sees the server answer finds it.
    let code_file = cfg.data_dir.join(auth::INSTALL_CODE_FILE);
    if needs_setup {
        auth::write_install_code(&code_file, state.install_code())
            .map_err(|e| anyhow::anyhow!("impossible d’écrire {} : {e}", code_file.display()))?;
    }
    let listener = tokio::net::TcpListener::bind(cfg.listen)
        .await
        .map_err(|e| anyhow::anyhow!("impossible d’écouter sur {} : {e}", cfg.listen))?;
    let addr = listener.local_addr()?;
    let limits = cfg.connections.within_open_files();
    tracing::info!(
        address = %addr,
        data_dir = %cfg.data_dir.display(),
        private_api = cfg.private_api,
        max_connections = limits.max_connections,
        per_address = limits.per_address,
        trusted_proxies = cfg.trusted_proxies.len(),
        "Sceau écoute sur http://{addr}/"
    );
    if needs_setup {
        // On the console whatever SCEAU_LOG says: the person installing needs it.
        eprintln!(
            "Premier démarrage : ouvrez http://{addr}/installation et saisissez le code d’installation {} (aussi dans {}).",
            state.install_code(),
            code_file.display()
        );
    } else {
        let _ = std::fs::remove_file(&code_file);
    }
    // Tokens issued before tokens were signed with the key are refused:
    // said at each start until they are replaced (their prefixes are on
    // the administration page).
    let to_replace = store.tokens_to_replace().await?;
    if to_replace > 0 {
        eprintln!(
            "Attention\u{a0}: {to_replace} jeton(s) d’API en cours de validité ne sont pas signés par la clé de Sceau (émis avant cette protection, ou modifiés hors de Sceau) et sont refusés. Un administrateur doit en créer de nouveaux (Administration, « Jetons d’API », où ils sont marqués « À remplacer ») et révoquer les anciens."
        );
    }
    // Every period compiled and the JSON's fragments prepared beside the
    // first requests (about a second of CPU, half a second on two cores),
    // rather than each period by
    // the first decision dated within it, which every request of that period
    // would wait for: under load, a first second of p99 in hundreds of ms.
    tokio::task::spawn_blocking(move || {
        law.compile_all();
        law.prepare_json();
    });
    let trusted = state.inner().trusted_proxies.clone();
    let app = router(state);
    connections::serve(listener, app, limits, trusted, shutdown_signal()).await?;
    store.close().await;
    Ok(())
}

/// A panic's message may quote the value that caused it (an `expect` on a
/// parse, an index…): the log gets where it happened, never what it says.
/// The server and every command of the CLI install it (`sceau anonymise`
/// holds a patient's note): a command without a log writes the same line on
/// standard error.
pub fn hide_panic_messages() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        if tracing::dispatcher::has_been_set() {
            tracing::error!(location = %at, "{PANIC_HIDDEN}");
        } else {
            eprintln!("{PANIC_HIDDEN} à {at}");
        }
    }));
}

const PANIC_HIDDEN: &str = "panique (message masqué\u{a0}: il pourrait citer des données)";

/// Log lines on standard error, as text or one JSON object per line
/// (`--log-format json`); the level from `SCEAU_LOG`. Only the first call counts.
pub fn init_tracing(json: bool) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_env("SCEAU_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    metrics::DRAINING.store(true, std::sync::atomic::Ordering::Relaxed);
    tracing::info!("arrêt demandé : les requêtes commencées se terminent");
}
