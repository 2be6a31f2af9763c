//! `sceau serve`: replaced by the web application (crates/web).
use clap::Args;

#[derive(Args, Debug)]
pub struct ServeArgs {}

pub fn run(_args: ServeArgs) -> anyhow::Result<()> {
    anyhow::bail!("le serveur web n’est pas encore disponible")
}
