//! `sceau serve`: the web application and the JSON API (crates/web).
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(
        long,
        env = "SCEAU_LISTEN",
        default_value = "127.0.0.1:8080",
        value_name = "ADDR:PORT"
    )]
    pub listen: SocketAddr,
    /// Directory of the data (SQLite file sceau.sqlite, key file sceau.key, journal anchors); created if needed.
    #[arg(
        long,
        env = "SCEAU_DATA_DIR",
        default_value = "./data",
        value_name = "DIR"
    )]
    pub data_dir: PathBuf,
    /// PostgreSQL database (postgres://…) instead of the SQLite file of --data-dir
    /// (which still holds the key file and the journal anchors).
    #[arg(long, env = "SCEAU_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// Require an API token for the decision, interview and article endpoints too.
    #[arg(long, env = "SCEAU_PRIVATE_API")]
    pub private_api: bool,
    /// Address of a reverse proxy (TLS terminator) whose X-Forwarded-For and
    /// X-Forwarded-Proto headers are believed; repeat for several. From any
    /// other address these headers are ignored.
    #[arg(
        long = "trusted-proxy",
        env = "SCEAU_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_name = "IP"
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Address (besides the machine itself) that `/metrics` answers, such as
    /// a Prometheus on another machine; repeat for several. Anyone else
    /// gets 403.
    #[arg(
        long = "metrics-from",
        env = "SCEAU_METRICS_FROM",
        value_delimiter = ',',
        value_name = "IP"
    )]
    pub metrics_from: Vec<std::net::IpAddr>,
    /// Connections open at once (lowered to what `ulimit -n` leaves).
    #[arg(long, default_value_t = 1024, value_name = "N")]
    pub max_connections: usize,
    /// Connections open at once from one address (a trusted proxy excepted).
    #[arg(long, default_value_t = 64, value_name = "N")]
    pub max_connections_per_address: usize,
    /// Seconds allowed to send a request's head (and idle time between requests).
    #[arg(long, default_value_t = 10, value_name = "SECONDES")]
    pub header_timeout: u64,
    /// A second place (another disk, a mounted share) where each practice's
    /// journal receipt (its signed head) is written every
    /// `--receipt-every` seconds, to check later with
    /// `sceau journal verify --receipt FILE`.
    #[arg(long, env = "SCEAU_RECEIPT_DIR", value_name = "DIR")]
    pub receipt_dir: Option<std::path::PathBuf>,
    #[arg(long, default_value_t = 3600, value_name = "SECONDES")]
    pub receipt_every: u64,
    /// Log lines as text (default) or one JSON object per line (for a log collector).
    #[arg(long, env = "SCEAU_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub log_format: String,
}

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    sceau_web::init_tracing(args.log_format == "json");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("impossible de démarrer le serveur : {e}"))?;
    runtime.block_on(sceau_web::serve(sceau_web::ServeConfig {
        listen: args.listen,
        data_dir: args.data_dir,
        database_url: args.database_url,
        private_api: args.private_api,
        trusted_proxies: args.trusted_proxies,
        metrics_from: args.metrics_from,
        connections: sceau_web::connections::ConnLimits {
            max_connections: args.max_connections.max(1),
            per_address: args.max_connections_per_address.max(1),
            header_timeout: std::time::Duration::from_secs(args.header_timeout.clamp(1, 300)),
            ..Default::default()
        },
        // For automation (tests, provisioning): the code the installation
        // form asks for, instead of a random one printed on the console.
        install_code: std::env::var("SCEAU_INSTALL_CODE").ok(),
        receipt_dir: args.receipt_dir,
        receipt_every: std::time::Duration::from_secs(args.receipt_every.max(1)),
    }))
}
