//! The data directory and the SQLite files are readable by the owner only.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use sceau_store::{HashCost, Store, StoreConfig};

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn data_dir_is_0700_and_database_files_0600() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("donnees");
    let mut cfg = StoreConfig::new(&dir, None);
    cfg.cost = HashCost::Fast;
    let store = Store::open(cfg.clone()).await.unwrap();
    // A write, so that the WAL and its index exist.
    store
        .create_first_admin("Cabinet", "alice", "Alice", "phrase de passe du test")
        .await
        .unwrap();
    assert_eq!(mode(&dir), 0o700, "data directory");
    for f in [
        "sceau.sqlite",
        "sceau.sqlite-wal",
        "sceau.sqlite-shm",
        "sceau.key",
    ] {
        let p = dir.join(f);
        assert!(p.exists(), "{f} exists");
        assert_eq!(mode(&p), 0o600, "{f}");
    }
    store.close().await;

    // A database left readable by others (an older version) is tightened on open.
    std::fs::set_permissions(
        dir.join("sceau.sqlite"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let store = Store::open(cfg).await.unwrap();
    assert_eq!(mode(&dir.join("sceau.sqlite")), 0o600);
    store.close().await;
}
