//! A situation completed by the register, under one policy for the pages and
//! the API alike.
//!
//! The policy: a fact the register holds is taken from the register, never
//! from the person who asks; an answer that contradicts it is refused, naming
//! the fact and the record it contradicts, and the register is never
//! overridden in silence. (Before, the API refused a contradiction while the
//! pages let the register win without a word: the same question about the
//! same patient got two behaviours.)

use sceau_engine::{Law, Situation};

use crate::register::{register_facts, Record, RefError, RegisterFact};

/// An answer that contradicts what the register holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterConflict {
    /// The fact's identifier (public API, `CONTRACT.md`).
    pub fact: String,
    /// The value the person gave.
    pub given: String,
    /// The value the register holds, and where it comes from (in French).
    pub register: String,
    pub source: String,
}

/// Why the register cannot complete a situation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterError {
    /// The recipient reference (`eqp_…`, `cst_…`) names no record of this patient.
    UnknownRecipient,
    /// An answer contradicts the register (the first one, in the register's order).
    Conflict(RegisterConflict),
}

impl From<RefError> for RegisterError {
    fn from(_: RefError) -> RegisterError {
        RegisterError::UnknownRecipient
    }
}

/// Sets in `s` the facts the register supplies about `record` (and the
/// recipient `recipient_ref` names), after checking them against `known`,
/// the answers the person gave (fact → value). Returns the facts supplied,
/// with their sources, for the answer to show.
pub fn complete_with_register(
    law: &Law,
    s: &mut Situation,
    record: &Record,
    recipient_ref: Option<&str>,
    known: &[(String, String)],
) -> Result<Vec<RegisterFact>, RegisterError> {
    let supplied = register_facts(law, record, recipient_ref, known, s.as_of)?;
    if let Some(c) = first_conflict(&supplied, known) {
        return Err(RegisterError::Conflict(c));
    }
    for f in &supplied {
        s.set_named(law, &f.fact, &f.value);
    }
    Ok(supplied)
}

/// The first supplied fact that an answer gives another value.
pub fn first_conflict(
    supplied: &[RegisterFact],
    known: &[(String, String)],
) -> Option<RegisterConflict> {
    supplied.iter().find_map(|f| {
        let (_, given) = known.iter().find(|(k, v)| *k == f.fact && *v != f.value)?;
        Some(RegisterConflict {
            fact: f.fact.clone(),
            given: given.clone(),
            register: f.value.clone(),
            source: f.source.clone(),
        })
    })
}
