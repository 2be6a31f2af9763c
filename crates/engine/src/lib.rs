//! The Sceau decision engine.
//!
//! Pure: it reads the law from strings handed to it (the `sceau-law` crate
//! embeds the `law/` folder) and never touches files, network or clock
//! except `today()` when a situation gives no date.
//!
//! - [`load`] parses the TOML corpus into a [`Law`] and reports problems with
//!   file and line; [`validate`] checks the corpus as a whole.
//! - [`situation`] turns the contract's JSON into a [`Situation`] (facts as
//!   sets of still-possible values) or a bilingual error naming the field.
//! - [`eval`] decides in three-valued default logic; [`search`] splits on
//!   unknown facts so that a verdict is given only when every completion
//!   agrees; [`decision`] builds the contract's output and its explanation.
//! - [`interview`] chooses the next decisive question.
//! - [`compiled`] compiles each period of validity of the law (a flat
//!   program and a decision diagram): [`Law::decide`], the interview, the
//!   CLI, the web and the API use it; [`reference`] decides by search
//!   alone, for the tests.
//! - [`exhaustive`] walks the whole finite space of situations the rules can
//!   distinguish (conflicts, gaps, soundness checks).

pub mod compiled;
pub mod decision;
pub mod eval;
pub mod exhaustive;
pub mod expr;
pub mod interview;
pub mod load;
pub mod model;
pub mod qualities;
pub mod reference;
pub mod search;
pub mod situation;
pub mod validate;

pub use decision::{Assessment, Decision, TraceEntry};
pub use interview::Next;
pub use load::{LoadError, SourceFile};
pub use model::{Article, ArticleVersion, CaseLaw, FactDef, FactKind, Law, Rule, Verdict};
pub use situation::{Situation, SituationError};
