//! The Sceau decision engine.
//!
//! Pure: it reads the law from strings handed to it (the `sceau-law` crate
//! embeds the `law/` folder) and never touches files, network or clock:
//! the date of a decision is the situation's `as_of`, or the date the
//! caller passes as today's.
//!
//! Layered from the bottom up; the code of each module names only the
//! modules before it in this list (a unit test checks it), so the crate has
//! no import circle. [`model`] is only a path kept for the other crates.
//!
//! 1. The law as data: [`expr`] (three-valued truth, conditions compiled
//!    to masks), [`masks`] (a situation's facts as value sets),
//!    [`qualities`] (labels, qualities, presumptions), [`law`] (the loaded
//!    law), [`situation`].
//! 2. Evaluation: [`eval`] (every rule in Kleene logic, with defeaters),
//!    [`search`] (splitting on unknown facts), [`assessment`] (the verdict
//!    before rendering), [`ranking`] (the missing facts, most decisive
//!    first), [`exhaustive`] (the whole finite space).
//! 3. [`compiled`]: each period of validity as a flat program and a
//!    decision diagram, for fast decisions.
//! 4. The contract: [`wording`] (every sentence shown to people; no
//!    module of layers 1 to 3 uses it), [`decision`], [`pieces`] (the
//!    decision assembled from pieces prepared once), [`output`] (the
//!    decision as JSON text, from fragments prepared once), [`input`] (the situation's
//!    JSON), [`answers`] (the interview's answers as a form posts them), [`interview`], [`reference`] (decisions by search alone, for
//!    the tests).
//! 5. The corpus: [`load`] (TOML files in, a [`Law`] out, problems with
//!    file and line) and [`validate`] (the corpus as a whole; [`validate::check`]
//!    is what `crates/law/build.rs` runs).

pub mod expr;
pub mod law;
pub mod masks;
pub mod qualities;
pub mod situation;

pub mod assessment;
pub mod eval;
pub mod exhaustive;
pub mod ranking;
pub mod search;

pub mod compiled;

pub mod answers;
pub mod decision;
pub mod input;
pub mod interview;
pub mod output;
pub mod pieces;
pub mod reference;
pub mod wording;

pub mod load;
pub mod validate;

#[cfg(test)]
mod tests;

/// The law's types at the path the other crates name them by
/// (`sceau_engine::model::…`); re-exports only.
pub mod model {
    pub use crate::law::*;
    pub use crate::masks::{MAX_FACTS, MAX_VALUES};
    pub use crate::wording::{date_fr, MONTHS};
}

pub use assessment::Assessment;
pub use decision::{Decision, Trace, TraceEntry, TraceIter};
pub use input::SituationError;
pub use interview::Next;
pub use law::{Article, ArticleVersion, CaseLaw, FactDef, FactKind, Law, Rule, Verdict};
pub use load::{LoadError, SourceFile};
pub use situation::Situation;
pub use wording::date_fr;
