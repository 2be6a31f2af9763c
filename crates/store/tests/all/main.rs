//! The store's integration tests, one module per subject, in ONE test
//! binary: each file of tests/ was a binary of its own, linked with the
//! whole store (26 links of about 57 MB each, minutes of the suite on 2
//! cores). Run one subject with `cargo test -p sceau-store --test all
//! reports::`; on PostgreSQL, with SCEAU_TEST_DATABASE_URL set (the
//! `#[ignore]`d ones with `-- --include-ignored`).

#[path = "../common/mod.rs"]
mod common;

mod access_rollback;
mod accounts_attest;
mod audit;
mod directory;
mod forged_facts;
mod forged_rows;
mod hosts;
mod in_flight;
mod installation_codes;
mod journal_information;
mod journal_tamper;
mod key_download_count;
mod keyless_copy;
mod keys;
mod migrations;
mod permissions;
mod readers;
mod register;
mod register_record;
mod reports;
mod scoping;
mod store;
mod suspension;
mod token_names;
mod token_upgrade;
mod unreadable_access_rows;
