//! Audit of 2026-11-30, finding 8: one token row with a cell of the wrong
//! type (written by SQL without Sceau; SQLite keeps any type in any
//! column) made the list of tokens fail, and with it the server's start
//! (`tokens_to_replace`). The row is now listed as one to replace and
//! counted so. SQLite only: PostgreSQL's typed columns refuse the write.

use sceau_store::{HashCost, Store, StoreConfig, UNREADABLE_TOKEN};

#[tokio::test]
async fn a_token_row_that_does_not_decode_is_listed_to_replace() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = StoreConfig::new(dir.path(), None);
    cfg.cost = HashCost::Fast;
    let s = Store::open(cfg).await.unwrap();
    let a = s
        .create_first_admin("Cabinet A", "alice", "Alice", "motdepasse-solide")
        .await
        .unwrap();
    let (good, _) = s.create_token(a.practice_id, a.id, "bon").await.unwrap();
    let (_, bad) = s.create_token(a.practice_id, a.id, "abîmé").await.unwrap();
    assert_eq!(s.tokens_to_replace().await.unwrap(), 0);

    sqlx::any::install_default_drivers();
    let raw = sqlx::AnyPool::connect(&format!(
        "sqlite://{}",
        dir.path().join("sceau.sqlite").display()
    ))
    .await
    .unwrap();
    for cell in [
        "last_used_at = 'hier'",
        "created_at = 'notanumber'",
        "name = X'FF00'",
    ] {
        sqlx::query(&format!("UPDATE api_tokens SET {cell} WHERE id = $1"))
            .bind(bad.id)
            .execute(&raw)
            .await
            .unwrap();
        let listed = s.list_tokens(a.practice_id).await.unwrap();
        assert_eq!(listed.len(), 2, "{cell}");
        let shown = listed.iter().find(|t| t.id == bad.id).unwrap();
        assert!(
            shown.to_replace && shown.name == UNREADABLE_TOKEN,
            "{cell}: {shown:?}"
        );
        assert!(listed.iter().any(|t| t.name == "bon" && !t.to_replace));
        assert_eq!(s.tokens_to_replace().await.unwrap(), 1, "{cell}");
    }
    // The other token still opens the API.
    assert!(s.authenticate_token(&good).await.unwrap().is_some());
}
