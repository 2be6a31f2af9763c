//! Checks the law before it is embedded: a build whose `law/` does not
//! load or validate (a typo in a condition, a citation absent from the
//! corpus, a conflict or a gap between rules…) fails here, with each
//! problem's file and line, instead of shipping a binary that panics on
//! its first decision. The check is `sceau_engine::validate::check`, the
//! same as `sceau rules check`.

#[path = "src/files.rs"]
mod files;

use std::path::PathBuf;

fn main() {
    // Rebuild when any file of the law changes (include_dir tracks files, not new ones).
    println!("cargo:rerun-if-changed=../../law");
    println!("cargo:rerun-if-changed=src/files.rs");
    let dir =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo")).join("../../law");
    let files = match files::read_dir(&dir) {
        Ok(f) => f,
        Err(e) => fail(&[format!("law/: cannot read: {e}")]),
    };
    if let Err(problems) = sceau_engine::validate::check(&files) {
        let lines: Vec<String> = problems.iter().map(|p| format!("law/{p}")).collect();
        fail(&lines);
    }
}

fn fail(lines: &[String]) -> ! {
    eprintln!("the law in law/ does not load or validate:");
    for l in lines {
        eprintln!("{l}");
    }
    std::process::exit(1)
}
