//! `sceau signalement`: replaced by the report workflow (crates/documents, issue 6).
use clap::Args;

#[derive(Args, Debug)]
pub struct SignalementArgs {}

pub fn run(_args: SignalementArgs) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("le signalement n’est pas encore disponible")
}
