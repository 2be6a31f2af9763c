//! The web application of Sceau: server-rendered French pages and the JSON
//! API, over the decision engine (`sceau-engine`, the embedded law of
//! `sceau-law`) and the store (`sceau-store`).
//!
//! Every URL is in [`router`]; the pages live in [`pages`] (interview,
//! decision, texts), [`auth`] (installation, login, account, administration)
//! and the API in [`api`]. [`middleware`] holds what wraps every request:
//! security headers, the request log (method, route template, status and
//! latency only: never a body, a query string or an answer) and rate limits.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use sceau_engine::Law;
use sceau_store::Store;

pub mod anonymise;
pub mod aides;
pub mod annuaire;
pub mod answers;
pub mod api;
pub mod audit;
pub mod auth;
pub mod facts;
pub mod fhir;
pub mod lettres;
pub mod middleware;
pub mod outage;
pub mod pages;
pub mod register;
pub mod register_api;
pub mod render;
pub mod signalement;

/// Largest request body accepted (a situation is a few hundred bytes).
pub const BODY_LIMIT: usize = 64 * 1024;

/// What `sceau serve` passes to [`serve`].
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// `postgres://…` for PostgreSQL; `None` for the SQLite file of `data_dir`.
    pub database_url: Option<String>,
    /// Whether the decision, interview and article endpoints require a bearer token.
    pub private_api: bool,
}

/// Rate limits (requests per minute per client address, and bursts).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Open API endpoints: requests per minute per address.
    pub api_per_minute: u32,
    pub api_burst: u32,
    /// Login attempts per address and login name: burst, then one every `login_period`.
    pub login_burst: u32,
    pub login_period: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            api_per_minute: 120,
            api_burst: 60,
            login_burst: 5,
            login_period: Duration::from_secs(30),
        }
    }
}

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub law: &'static Law,
    pub store: Store,
    pub private_api: bool,
    pub templates: render::Templates,
    pub limiters: middleware::Limiters,
}

impl AppState {
    pub fn new(law: &'static Law, store: Store, private_api: bool, limits: Limits) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                law,
                store,
                private_api,
                templates: render::Templates::new(),
                limiters: middleware::Limiters::new(limits),
            }),
        }
    }

    pub fn law(&self) -> &'static Law {
        self.inner.law
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }
}

/// Every URL of the application.
pub fn router(state: AppState) -> Router {
    let open_api = Router::new()
        .route("/api/v1/decisions", post(api::decide))
        .route("/api/v1/interview", post(api::interview))
        .route("/api/v1/articles", get(api::articles))
        .route("/api/v1/articles/{id}", get(api::article))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::open_api_guard,
        ));
    let private_api = Router::new()
        .route("/api/v1/whoami", get(api::whoami))
        .route(
            "/api/v1/patients",
            get(register_api::list_patients).post(register_api::create_patient),
        )
        .route("/api/v1/patients/{id}", get(register_api::get_patient))
        .route(
            "/api/v1/patients/{id}/care-team",
            post(register_api::add_member),
        )
        .route(
            "/api/v1/patients/{id}/care-team/{member}/end",
            post(register_api::end_member),
        )
        .route(
            "/api/v1/patients/{id}/consents",
            post(register_api::add_consent),
        )
        .route(
            "/api/v1/patients/{id}/consents/{consent}/withdraw",
            post(register_api::withdraw_consent),
        )
        .route(
            "/api/v1/patients/{id}/oppositions",
            post(register_api::add_opposition),
        )
        .route(
            "/api/v1/patients/{id}/oppositions/{opposition}/lift",
            post(register_api::lift_opposition),
        )
        .route(
            "/api/v1/patients/{id}/journal",
            get(register_api::patient_journal),
        )
        .route(
            "/api/v1/patients/{id}/fhir",
            get(register_api::patient_fhir),
        )
        .route(
            "/api/v1/journal",
            get(register_api::journal).post(register_api::append),
        )
        .route("/api/v1/journal/verify", get(register_api::verify))
        .route("/api/v1/journal/export", get(register_api::export))
        .route("/api/v1/journal/fhir", get(register_api::journal_fhir))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::token_guard,
        ));
    // Pasted notes are larger than forms: these routes have their own limit,
    // enforced by the extractors so that the handlers answer in French.
    let anonymise = Router::new()
        .route("/anonymiser", get(anonymise::form).post(anonymise::submit))
        .route("/anonymiser/telecharger", post(anonymise::download))
        .route(
            "/api/v1/anonymise",
            post(anonymise::api).route_layer(axum::middleware::from_fn_with_state(
                state.clone(),
                middleware::token_guard,
            )),
        )
        .layer(DefaultBodyLimit::max(anonymise::BODY_MAX));
    Router::new()
        .route("/", get(pages::home))
        .route(
            "/puis-je-le-dire",
            get(pages::interview_start).post(pages::interview_step),
        )
        .route("/textes", get(pages::texts))
        .route(
            "/patients",
            get(register::patients).post(register::create_patient),
        )
        .route(
            "/patients/{id}",
            get(register::patient).post(register::patient_action),
        )
        .route(
            "/patients/{id}/journal.jsonl",
            get(register::patient_journal_export),
        )
        .route("/patients/{id}/fhir.json", get(register::patient_fhir))
        .route(
            "/journal",
            get(register::journal).post(pages::record_journal),
        )
        .route(
            "/signalement",
            get(signalement::form).post(signalement::submit),
        )
        .route(
            "/signalement/depuis-entretien",
            post(signalement::from_interview),
        )
        .route(
            "/signalement/requisition",
            get(lettres::requisition_form).post(lettres::requisition_submit),
        )
        .route(
            "/signalement/expertise",
            get(lettres::expertise_form).post(lettres::expertise_submit),
        )
        .route("/signalement/{id}/{file}", get(signalement::download))
        .route("/obligations/{id}", post(signalement::complete_duty))
        .route("/audit", get(audit::list))
        .route("/audit/nouveau", get(audit::new_form).post(audit::submit))
        .route("/audit/{id}", get(audit::show))
        .route("/audit/{id}/rapport.pdf", get(audit::pdf))
        .route("/journal/export.jsonl", get(register::journal_export))
        .route("/journal/fhir.json", get(register::journal_fhir))
        .route("/textes/{id}", get(pages::text))
        .route("/installation", get(auth::setup_form).post(auth::setup))
        .route("/connexion", get(auth::login_form).post(auth::login))
        .route("/deconnexion", post(auth::logout))
        .route("/compte", get(auth::account).post(auth::change_password))
        .route("/administration", get(auth::admin).post(auth::admin_action))
        .route(
            "/administration/jetons",
            get(auth::tokens).post(auth::tokens_action),
        )
        .route(
            "/administration/annuaire",
            get(annuaire::list).post(annuaire::action),
        )
        .route(
            "/administration/annuaire/{id}",
            get(annuaire::entry).post(annuaire::save),
        )
        .route("/static/{file}", get(pages::static_file))
        .route("/api/v1/openapi.json", get(api::openapi_json))
        .merge(open_api)
        .merge(private_api)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(BODY_LIMIT))
        .merge(anonymise)
        .fallback(pages::not_found)
        .method_not_allowed_fallback(pages::method_not_allowed)
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .layer(axum::middleware::from_fn(middleware::log_request))
        .with_state(state)
}

/// Starts the server and runs until Ctrl-C or SIGTERM.
pub async fn serve(cfg: ServeConfig) -> anyhow::Result<()> {
    init_tracing();
    let where_ = match &cfg.database_url {
        Some(_) => "PostgreSQL (--database-url)".to_string(),
        None => cfg.data_dir.join("sceau.sqlite").display().to_string(),
    };
    let store = Store::open(sceau_store::StoreConfig::new(
        &cfg.data_dir,
        cfg.database_url.clone(),
    ))
    .await
    .map_err(|e| anyhow::anyhow!("impossible d’ouvrir la base {where_} : {e}"))?;
    let law = sceau_law::law();
    let needs_setup = store.needs_setup().await?;
    let state = AppState::new(law, store.clone(), cfg.private_api, Limits::default());
    let limiters = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            limiters.inner().limiters.forget_idle();
        }
    });
    let app = router(state);
    let listener = tokio::net::TcpListener::bind(cfg.listen)
        .await
        .map_err(|e| anyhow::anyhow!("impossible d’écouter sur {} : {e}", cfg.listen))?;
    let addr = listener.local_addr()?;
    tracing::info!(
        address = %addr,
        data_dir = %cfg.data_dir.display(),
        private_api = cfg.private_api,
        "Sceau écoute sur http://{addr}/"
    );
    if needs_setup {
        tracing::info!("premier démarrage : ouvrez http://{addr}/installation pour créer le compte administrateur");
    }
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    store.close().await;
    Ok(())
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_env("SCEAU_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let json = std::env::var("SCEAU_LOG_FORMAT").is_ok_and(|v| v == "json");
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
    tracing::info!("arrêt demandé");
}
