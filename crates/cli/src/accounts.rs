//! `sceau accounts attest`: the host's administrator signs the accounts'
//! rows that are not signed — written before schema 15, restored from an
//! older backup, or changed without the key — after reading the list of
//! what he attests. Nothing else ever signs an account found in the
//! database (audit findings 1 and 2): each practice's journal records how
//! many accounts were attested, and which (numbers and roles). A password
//! hash the practice's access record does not name is never signed (audit
//! of 2026-11-30, finding 5): the listing says which, and the account gets
//! a new password, printed once for the host's administrator to hand over.
//! The same listing names the API tokens whose name and prefix their row's
//! MAC does not cover yet (issued before its second version): once
//! confirmed, their rows are signed again with them.
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::bail;
use clap::{Args, Subcommand};

use crate::register::{open, runtime, StoreArgs};

#[derive(Args, Debug)]
pub struct AccountsArgs {
    #[command(subcommand)]
    pub command: AccountsCommand,
}

#[derive(Subcommand, Debug)]
pub enum AccountsCommand {
    /// List the accounts whose row is not signed by Sceau, and the API
    /// tokens whose name and prefix are not, and, once confirmed, sign
    /// them as they are (roles included) and record it in each practice's
    /// journal.
    Attest {
        #[command(flatten)]
        store: StoreArgs,
        /// Only this practice's accounts.
        #[arg(long, value_name = "ID")]
        practice: Option<i64>,
        /// Do not ask: attest what is listed.
        #[arg(long)]
        yes: bool,
    },
}

/// Whether the host's administrator typed « oui » to `question` (asked on
/// a terminal; read from standard input either way).
pub(crate) fn confirmed(question: &str) -> anyhow::Result<bool> {
    if std::io::stdin().is_terminal() {
        eprint!("{question} Tapez «\u{a0}oui\u{a0}» pour confirmer\u{a0}: ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim() == "oui")
}

pub fn run(args: AccountsArgs) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let AccountsCommand::Attest {
            store,
            practice,
            yes,
        } = args.command;
        let s = open(&store).await?;
        let todo = s.unsigned_accounts(practice).await?;
        let tokens = s.tokens_to_attest(practice).await?;
        if todo.is_empty() && tokens.is_empty() {
            outln!("Aucun compte à attester\u{a0}: tous sont signés par Sceau, comme le nom et le début de chaque jeton d’API.");
            return Ok(ExitCode::SUCCESS);
        }
        let unvouched = s.unvouched_passwords(&todo).await?;
        if !todo.is_empty() {
            outln!("Comptes non signés par Sceau (écrits avant la mise à jour, restaurés d’une ancienne sauvegarde, ou modifiés hors de Sceau)\u{a0}:");
        }
        for a in &todo {
            outln!(
                "  cabinet n° {}, compte n° {}\u{a0}: {} ({}), {}, {}",
                a.practice_id,
                a.id,
                crate::out::printable(&a.username),
                a.role.label_fr(),
                if a.active { "actif" } else { "désactivé" },
                if unvouched.contains(&a.id) {
                    "mot de passe à remplacer (l’empreinte en base n’est pas celle que Sceau a signée en dernier pour ce compte)"
                } else {
                    "mot de passe conservé (celui que Sceau a signé en dernier)"
                }
            );
        }
        list_tokens(&tokens);
        let mut asked = Vec::new();
        if !todo.is_empty() {
            asked.push(format!(
                "attester ces {} compte(s) tels qu’ils sont, rôles compris, et donner un nouveau mot de passe aux {} compte(s) marqués «\u{a0}à remplacer\u{a0}»",
                todo.len(),
                unvouched.len()
            ));
        }
        if !tokens.is_empty() {
            asked.push(format!(
                "signer le nom et le début de ces {} jeton(s) d’API tels qu’ils sont affichés",
                tokens.len()
            ));
        }
        let mut question = asked.join(", et ");
        question[..1].make_ascii_uppercase();
        if !yes && !confirmed(&format!("{question}\u{a0}? Vérifiez-les d’abord."))? {
            bail!("rien n’a été attesté");
        }
        if !todo.is_empty() {
            attest_accounts(&s, &todo).await?;
        }
        attest_tokens(&s, &tokens).await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Signs the listed accounts and says what became of each.
async fn attest_accounts(
    s: &sceau_store::Store,
    todo: &[sceau_store::Account],
) -> anyhow::Result<()> {
    let done = s.attest_accounts(todo).await?;
    outln!(
        "{} compte(s) attesté(s)\u{a0}; le journal de chaque cabinet concerné le consigne.",
        done.signed
    );
    // Shown once, here only: the journal names the accounts, never a
    // password.
    for (id, pw) in &done.new_passwords {
        let name = todo
            .iter()
            .find(|a| a.id == *id)
            .map(|a| crate::out::printable(&a.username))
            .unwrap_or_default();
        outln!("  compte n° {id} ({name})\u{a0}: nouveau mot de passe {pw}");
    }
    if !done.new_passwords.is_empty() {
        outln!("Remettez à chaque personne son nouveau mot de passe, de vive voix ou par un canal sûr\u{a0}: elle le change depuis la page de son compte. Ses sessions ouvertes sont fermées.");
    }
    // A practice whose access record was started afresh is suspended
    // until the operator says otherwise: said here, with what to do.
    let mut practices: Vec<i64> = todo.iter().map(|a| a.practice_id).collect();
    practices.dedup();
    for id in practices {
        if s.practice(id).await?.suspended() {
            outln!("Le cabinet n° {id} est suspendu (par l’hébergeur, ou parce que Sceau n’a plus d’état signé pour lui)\u{a0}: ses comptes ne se connectent pas tant que vous ne l’avez pas rouvert (sceau practice resume {id}).");
        }
    }
    Ok(())
}

/// Prints the tokens whose name and prefix are to attest, each marked
/// unverified: written without the key, they are what the host's
/// administrator must not take on trust.
fn list_tokens(tokens: &[sceau_store::ApiToken]) {
    if tokens.is_empty() {
        return;
    }
    outln!("Jetons d’API dont le nom et le début ne sont pas signés par Sceau (émis avant cette protection)\u{a0}; s’ils ne sont pas ceux que le cabinet leur a donnés, ils ont été modifiés hors de Sceau\u{a0}:");
    for t in tokens {
        outln!(
            "  cabinet n° {}, jeton n° {}\u{a0}: «\u{a0}{}\u{a0}» (nom non vérifié), {}… (début non vérifié), {}",
            t.practice_id,
            t.id,
            crate::out::printable(&t.name),
            crate::out::printable(&t.prefix),
            t.scope.label_fr().to_lowercase()
        );
    }
}

/// Signs the listed tokens' names and prefixes, when there are any.
async fn attest_tokens(
    s: &sceau_store::Store,
    tokens: &[sceau_store::ApiToken],
) -> anyhow::Result<()> {
    if !tokens.is_empty() {
        let n = s.attest_tokens(tokens).await?;
        outln!("{n} jeton(s) d’API attesté(s)\u{a0}: leur nom et leur début sont désormais signés\u{a0}; le journal de chaque cabinet concerné le consigne.");
    }
    Ok(())
}
