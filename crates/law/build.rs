// Rebuild when any file of the law changes (include_dir tracks files, not new ones).
fn main() {
    println!("cargo:rerun-if-changed=../../law");
}
