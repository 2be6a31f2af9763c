//! The backup archive reader (crates/store/src/backup.rs, `sceau restore`).
//! First byte 0: the input is the file as read from disk (magic line, then
//! the XChaCha20-Poly1305 box) — checks the framing and the authentication.
//! Otherwise the rest is the archive's plain JSON, sealed here with the
//! fuzzing key, so that mutations reach the parser and the schema checks
//! behind the authentication.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sceau_store::Key;

fuzz_target!(|data: &[u8]| {
    let key = Key::from_bytes([7u8; 32], "fuzz");
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode == 0 {
        let _ = sceau_store::backup::inspect(&key, rest);
    } else {
        let mut file = b"SCEAU-BACKUP-1\n".to_vec();
        file.extend_from_slice(&key.seal_archive(rest));
        let _ = sceau_store::backup::inspect(&key, &file);
    }
});
