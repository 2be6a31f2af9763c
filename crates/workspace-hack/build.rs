//! Empty: a build script makes the build-dependencies in Cargo.toml part of
//! the host's build, where proc-macros and build scripts resolve features.
fn main() {}
