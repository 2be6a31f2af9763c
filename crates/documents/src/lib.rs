//! Sceau's letters of the secret.
//!
//! - [`signalement`]: the report under article 226-14 of the code pénal. The
//!   form ([`ReportForm`]) keeps apart what the professional observed, what
//!   the person said (quoted) and the context; [`check`] flags the parts
//!   that look unnecessary; [`draft`] asks the engine which derogation
//!   applies and drafts the letter to the procureur, the CRIP or the préfet
//!   — or returns a [`Refusal`] saying what remains possible.
//! - [`requisition`]: the reply declining a judicial requisition.
//! - [`expertise`]: the expert's checklist (art. R. 4321-141 CSP).
//! - [`audit`]: the practice's self-audit (CSP R. 4321-114 to R. 4321-116).
//!
//! Every document is a [`Document`], rendered to plain text
//! ([`Document::to_text`]) or PDF ([`pdf::render`]). No legal logic lives
//! here: the verdicts come from `sceau-engine`.

pub mod audit;
pub mod check;
pub mod directory;
pub mod doc;
pub mod expertise;
pub mod form;
pub mod pdf;
pub mod requisition;
pub mod signalement;
pub mod typo;

pub use check::{check, unconfirmed, Flag, Lexicon};
pub use directory::{Directory, Entry};
pub use doc::{Block, Document};
pub use form::{
    Author, Field, FormError, ItemRef, Lines, Person, ReportForm, SpeakerRole, Statement,
};
pub use signalement::{draft, Derogation, Draft, Recipient, Refusal};
