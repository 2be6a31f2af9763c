//! `sceau journal …`, `sceau backup`, `sceau restore`: replaced by the register (issue 5).
use clap::{Args, Subcommand};

#[derive(Args, Debug)]
pub struct JournalArgs {
    #[command(subcommand)]
    pub command: JournalCommand,
}

#[derive(Subcommand, Debug)]
pub enum JournalCommand {
    /// Check the whole hash chain.
    Verify,
}

#[derive(Args, Debug)]
pub struct BackupArgs {}

#[derive(Args, Debug)]
pub struct RestoreArgs {}

pub fn journal(_args: JournalArgs) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("le journal n’est pas encore disponible")
}

pub fn backup(_args: BackupArgs) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("la sauvegarde n’est pas encore disponible")
}

pub fn restore(_args: RestoreArgs) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("la restauration n’est pas encore disponible")
}
