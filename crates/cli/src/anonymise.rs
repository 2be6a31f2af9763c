//! `sceau anonymise`: replaced by the anonymiser (crates/anonymise, issue 8).
use clap::Args;

#[derive(Args, Debug)]
pub struct AnonymiseArgs {}

pub fn run(_args: AnonymiseArgs) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("l’anonymisation n’est pas encore disponible")
}
