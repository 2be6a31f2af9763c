//! The `law/` folder, embedded in the binary when it is built, and a way to
//! read an edited copy from disk (`--law DIR`, `sceau rules check DIR`).

use std::path::Path;
use std::sync::OnceLock;

use include_dir::{include_dir, Dir};
use sceau_engine::{Law, LoadError, SourceFile};

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

/// The embedded law, loaded once. The build's own tests guarantee it loads.
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

/// Reads every `.toml` file below `dir` (a copy of `law/`).
pub fn read_dir(dir: &Path) -> std::io::Result<Vec<SourceFile>> {
    let mut out = Vec::new();
    read_into(dir, dir, &mut out)?;
    Ok(out)
}

fn read_into(root: &Path, dir: &Path, out: &mut Vec<SourceFile>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            read_into(root, &p, out)?;
        } else if p.extension().is_some_and(|x| x == "toml") {
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            out.push(SourceFile {
                path: rel,
                text: std::fs::read_to_string(&p)?,
            });
        }
    }
    Ok(())
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
