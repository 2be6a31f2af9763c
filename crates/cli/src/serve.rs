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
}

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("impossible de démarrer le serveur : {e}"))?;
    runtime.block_on(sceau_web::serve(sceau_web::ServeConfig {
        listen: args.listen,
        data_dir: args.data_dir,
        database_url: args.database_url,
        private_api: args.private_api,
    }))
}
