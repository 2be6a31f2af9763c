//! `sceau register attest`: the host's administrator signs the rows of the
//! register whose MAC does not hold — consents and oppositions written
//! before schema 16; care-team members, patients' dates, archivings and
//! duties written before schema 17; the entries of the recipients'
//! directory written before schema 20 (shown in full: the address a letter
//! will carry); any of them restored from an older
//! backup or changed without the key — after reading the list of what he
//! attests. Nothing else ever signs a row found in the database (audit
//! findings 1, 3 and 6): each practice's journal records how many rows
//! were attested, and which.
use std::process::ExitCode;

use anyhow::bail;
use clap::{Args, Subcommand};

use crate::accounts::confirmed;
use crate::register::{open, runtime, StoreArgs};

#[derive(Args, Debug)]
pub struct RegisterArgs {
    #[command(subcommand)]
    pub command: RegisterCommand,
}

#[derive(Subcommand, Debug)]
pub enum RegisterCommand {
    /// List the rows of the register (consents, oppositions, care team,
    /// patients' dates, archivings, duties, the recipients' directory) not
    /// signed by Sceau and, once
    /// confirmed, sign them as they are and record it in each practice's
    /// journal.
    Attest {
        #[command(flatten)]
        store: StoreArgs,
        /// Only this practice's rows.
        #[arg(long, value_name = "ID")]
        practice: Option<i64>,
        /// Do not ask: attest what is listed.
        #[arg(long)]
        yes: bool,
    },
}

pub fn run(args: RegisterArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let RegisterCommand::Attest {
            store,
            practice,
            yes,
        } = args.command;
        let s = open(&store).await?;
        let listed = s.unsigned_register_rows(practice).await?;
        if listed.is_empty() {
            outln!("Aucune ligne du registre à attester\u{a0}: toutes sont signées par Sceau.");
            return Ok(ExitCode::SUCCESS);
        }
        // The patient's reference and the row's columns, never its text,
        // the patient's name nor dates: the patient page shows them to
        // whoever checks.
        outln!("Lignes du registre non signées par Sceau, ou que le registre signé de leur patient ne nomme pas ou nomme sans qu’elles soient là (écrites avant la mise à jour, restaurées d’une ancienne sauvegarde, ou modifiées ou supprimées hors de Sceau)\u{a0}:");
        for r in &listed {
            outln!(
                "  cabinet n° {}, {} {}{}\u{a0}: {}{}",
                r.practice_id,
                r.table.label_fr(),
                crate::out::printable(&r.id),
                match (r.table, r.patient.is_empty()) {
                    (sceau_store::RegisterTable::Recipients, _) => String::new(),
                    (_, true) => " du patient —".to_string(),
                    (_, false) => format!(" du patient {}", crate::out::printable(&r.patient)),
                },
                crate::out::printable(&r.summary),
                match (r.unreadable, r.state, r.table) {
                    (true, _, _) => " — ne peut pas être attestée",
                    (false, sceau_store::RowState::Unrecorded, sceau_store::RegisterTable::Recipients) =>
                        " — signée, mais absente du registre signé du cabinet (version antérieure remise, ou entrée d’avant la mise à jour)",
                    (false, sceau_store::RowState::Unrecorded, _) =>
                        " — signée, mais absente du registre signé du patient (version antérieure remise, ou ligne d’avant la mise à jour)",
                    _ => "",
                }
            );
        }
        let todo: Vec<_> = listed.into_iter().filter(|r| !r.unreadable).collect();
        if todo.is_empty() {
            bail!("aucune ligne lisible à attester");
        }
        if !yes
            && !confirmed(&format!(
                "Attester ces {} ligne(s) telles qu’elles sont (patient, destinataire, membre ou portée, dates, état)\u{a0}? Vérifiez-les d’abord sur la page de chaque patient, et chaque adresse de l’annuaire auprès de son destinataire.",
                todo.len()
            ))?
        {
            bail!("rien n’a été attesté");
        }
        let n = s.attest_register_rows(&todo).await?;
        outln!("{n} ligne(s) du registre attestée(s)\u{a0}; le journal de chaque cabinet concerné le consigne.");
        Ok(ExitCode::SUCCESS)
    })
}
