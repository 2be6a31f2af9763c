//! The use cases of Sceau, between the interfaces and the engine and store.
//!
//! The CLI, the web pages and the JSON API are adapters: they parse a
//! request and render an answer. What the law needs to know about who asks
//! and about the patient — the account's profession (`actor`), the facts the
//! register holds — is decided here, once, so that a page and the API never
//! answer differently for the same account and the same patient.
//!
//! Layers (every arrow downward): `actor` and `register` read the account and
//! the register; `situation` completes a situation with them under one
//! policy for contradictions; `reports` gives the facts every report,
//! requisition reply and expert's checklist is decided on; `journal_entry`
//! keeps what a journal entry says in clear to the law's vocabulary.

pub mod actor;
pub mod journal_entry;
pub mod register;
pub mod reports;
pub mod situation;

pub use actor::actor_of;
pub use register::{Record, RefError, RegisterFact};
pub use situation::{complete_with_register, RegisterConflict};
