//! The `law/` folder, embedded in the binary when it is built, and a way to
//! read an edited copy from disk (`--law DIR`, `sceau rules check DIR`).

// Shared with build.rs, which checks the law before it is embedded.
mod files;

use std::path::Path;
use std::sync::OnceLock;

use include_dir::{include_dir, Dir};
use sceau_engine::{Law, LoadError, SourceFile};

pub use files::read_dir;

static LAW_DIR: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../law");

/// The embedded corpus files, paths relative to `law/`.
pub fn embedded_files() -> Vec<SourceFile> {
    let mut out = Vec::new();
    collect(&LAW_DIR, &mut out);
    out
}

fn collect(dir: &Dir<'_>, out: &mut Vec<SourceFile>) {
    for f in dir.files() {
        if f.path().extension().is_some_and(|e| e == "toml") {
            if let Some(text) = f.contents_utf8() {
                out.push(SourceFile {
                    path: f.path().to_string_lossy().replace('\\', "/"),
                    text: text.to_string(),
                });
            }
        }
    }
    for d in dir.dirs() {
        collect(d, out);
    }
}

/// The embedded law, loaded once. The build script refused to build a law
/// that does not load and validate.
pub fn law() -> &'static Law {
    static LAW: OnceLock<Law> = OnceLock::new();
    LAW.get_or_init(|| match sceau_engine::load::load(&embedded_files()) {
        Ok(l) => l,
        Err(errors) => {
            let list: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
            panic!("the embedded law does not load:\n{}", list.join("\n"))
        }
    })
}

/// Loads a law folder from disk and validates it as a whole.
pub fn load_dir(dir: &Path) -> Result<Law, Vec<LoadError>> {
    let files = read_dir(dir).map_err(|e| {
        vec![LoadError {
            file: dir.display().to_string(),
            line: 1,
            message: format!("cannot read: {e}"),
        }]
    })?;
    sceau_engine::load::load(&files)
}
