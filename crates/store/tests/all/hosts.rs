//! A PostgreSQL URL with several hosts (issue 17): the store connects to
//! the one that accepts writes, skipping a host that is down. Two dead
//! hosts give a French error naming both (no database needed); with
//! SCEAU_TEST_DATABASE_URL, a dead host before the real one is skipped and
//! the store works.

use sceau_store::{HashCost, Store, StoreConfig};

fn with_hosts(url: &str, hosts: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let user = authority.rfind('@').map_or("", |i| &authority[..=i]);
    format!("{scheme}://{user}{hosts}{tail}")
}

#[tokio::test]
async fn no_host_takes_writes_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let url = "postgres://u:secret@127.0.0.1:1,127.0.0.1:2/db?target_session_attrs=read-write";
    let err = Store::open(StoreConfig::new(dir.path(), Some(url.into())))
        .await
        .err()
        .expect("no host answers");
    let msg = err.to_string();
    assert!(
        msg.contains("aucun des serveurs PostgreSQL (127.0.0.1:1, 127.0.0.1:2)"),
        "{msg}"
    );
    assert!(!msg.contains("secret"), "{msg}");
}

#[tokio::test]
#[ignore = "needs PostgreSQL (SCEAU_TEST_DATABASE_URL): run by the postgres step of scripts/test"]
async fn a_dead_host_before_the_primary_is_skipped() {
    let url = sceau_store::testing::fresh_database_url()
        .await
        .expect("SCEAU_TEST_DATABASE_URL names the PostgreSQL server of this test");
    let real = sceau_store::hosts::host_of(&url);
    let both = with_hosts(&url, &format!("127.0.0.1:1,{real}"));
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = StoreConfig::new(dir.path(), Some(both));
    cfg.cost = HashCost::Fast;
    let s = Store::open(cfg).await.unwrap();
    let a = s
        .create_first_admin("Cabinet Bascule", "alice", "Alice", "motdepasse-solide")
        .await
        .unwrap();
    assert_eq!(
        s.practice(a.practice_id).await.unwrap().name,
        "Cabinet Bascule"
    );
    s.close().await;
}
