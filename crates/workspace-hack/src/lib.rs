//! No code: this crate only turns on features of shared dependencies, so
//! that the binaries, the tests and any one crate's tests share one build
//! of the dependency tree (the reason is in its Cargo.toml).
