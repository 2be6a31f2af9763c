//! Reading a copy of `law/` from disk. Compiled twice: in the crate, and
//! in build.rs (by `#[path]`), which checks the law before embedding it.

use std::path::Path;

use sceau_engine::SourceFile;

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
