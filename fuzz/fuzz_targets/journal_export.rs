//! The journal export reader (crates/journal/src/export.rs, `sceau journal
//! check-export`): JSON lines of an export, checked without the database.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = sceau_journal::export::check_export(text);
    }
});
