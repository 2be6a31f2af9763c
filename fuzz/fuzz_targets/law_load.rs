//! The corpus loader (crates/engine/src/load.rs): the embedded `law/`
//! folder with one file replaced by the input. The first byte chooses the
//! file (articles, rules, facts, case law, vocabulary, professions); the
//! rest is its TOML text. Any text must load or give `LoadError`s, never
//! panic.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sceau_engine::SourceFile;

fn files() -> &'static Vec<SourceFile> {
    static FILES: OnceLock<Vec<SourceFile>> = OnceLock::new();
    FILES.get_or_init(|| {
        let mut f = sceau_law::embedded_files();
        // A stable order, so that a seed's first byte always names the same file.
        f.sort_by(|a, b| a.path.cmp(&b.path));
        f
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, text)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let mut files = files().clone();
    let i = which as usize % files.len();
    files[i].text = text.to_string();
    if let Ok(law) = sceau_engine::load::load(&files) {
        // A law that loads must also validate without panicking.
        let _ = law.validate();
    }
});
