//! The web crate's integration tests, one module per subject, in ONE test
//! binary: each file was a binary of its own, linked with the whole
//! application (about 195 MB each, minutes of the suite on 2 cores). Run one
//! subject with `cargo test -p sceau-web --test all tokens::`.
//!
//! Not here, each still a binary of its own: the tests that read what the
//! server logs (`logs`, `anonymise_logs`, `register_logs`,
//! `unreadable_rows`, `hostile`). tracing caches, per call site and for
//! the whole process, whether anyone listens: a test of another subject
//! running beside them would change what they capture.

#[path = "../common/mod.rs"]
mod common;

mod access;
mod annuaire;
mod anonymise;
mod api;
mod api_contract;
mod audit;
mod crash;
mod fhir;
mod installation;
mod journal;
mod least_privilege;
mod login_throttle;
mod ops;
mod pages;
mod register;
mod tenants;
mod tokens;
