use crate::common;

use sceau_store::{Role, Store, StoreError};

async fn store() -> (common::Db, Store) {
    let db = common::Db::new().await;
    let s = db.open().await;
    (db, s)
}

#[tokio::test]
async fn first_admin_then_login_sessions_and_tokens() {
    let (dir, s) = store().await;
    assert!(s.needs_setup().await.unwrap());
    let admin = s
        .create_first_admin(
            "Cabinet du Parc",
            "Alice",
            "Alice Martin",
            "motdepasse-solide",
        )
        .await
        .unwrap();
    assert_eq!(admin.username, "alice");
    assert!(!s.needs_setup().await.unwrap());
    assert!(matches!(
        s.create_first_admin("Autre", "bob", "Bob", "motdepasse-solide")
            .await,
        Err(StoreError::AlreadySetUp)
    ));
    assert!(s
        .verify_login(None, "alice", "mauvais-mot-de-passe")
        .await
        .unwrap()
        .is_none());
    assert!(s
        .verify_login(None, "personne", "motdepasse-solide")
        .await
        .unwrap()
        .is_none());
    let a = s
        .verify_login(None, " ALICE ", "motdepasse-solide")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.role, Role::Administrateur);

    let tok = s.create_session(a.id).await.unwrap();
    let sess = s.session(&tok).await.unwrap().unwrap();
    assert_eq!(sess.practice.name, "Cabinet du Parc");
    assert_eq!(sess.csrf.len(), 64);
    assert!(s.session("nope").await.unwrap().is_none());

    // Password change checks the current password and keeps only this session.
    let other = s.create_session(a.id).await.unwrap();
    assert!(!s
        .change_password(a.id, "faux", "nouveau-mot-de-passe", &tok)
        .await
        .unwrap());
    assert!(s
        .change_password(a.id, "motdepasse-solide", "nouveau-mot-de-passe", &tok)
        .await
        .unwrap());
    assert!(s.session(&other).await.unwrap().is_none());
    assert!(s.session(&tok).await.unwrap().is_some());
    assert!(s
        .verify_login(None, "alice", "nouveau-mot-de-passe")
        .await
        .unwrap()
        .is_some());

    // Accounts.
    let e = s
        .create_account(
            a.practice_id,
            "etu",
            "Étudiant",
            Role::Etudiant,
            "motdepasse-etudiant",
        )
        .await
        .unwrap();
    assert!(matches!(
        s.create_account(
            a.practice_id,
            "ETU",
            "Autre",
            Role::Assistant,
            "motdepasse-etudiant"
        )
        .await,
        Err(StoreError::UsernameTaken)
    ));
    assert!(matches!(
        s.create_account(a.practice_id, "court", "Court", Role::Assistant, "court")
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        s.update_account(a.practice_id, a.id, Role::Kinesitherapeute, true)
            .await,
        Err(StoreError::LastAdmin)
    ));
    s.update_account(a.practice_id, e.id, Role::Etudiant, false)
        .await
        .unwrap();
    assert!(s
        .verify_login(None, "etu", "motdepasse-etudiant")
        .await
        .unwrap()
        .is_none());
    assert_eq!(s.list_accounts(a.practice_id).await.unwrap().len(), 2);

    // Tokens: shown once, stored hashed, revocable.
    let (clear, t) = s
        .create_token(a.practice_id, a.id, "Logiciel métier")
        .await
        .unwrap();
    assert!(clear.starts_with("sceau_") && clear.starts_with(&t.prefix));
    assert!(s.authenticate_token(&clear).await.unwrap().is_some());
    assert!(s.authenticate_token("sceau_faux").await.unwrap().is_none());
    s.revoke_token(a.practice_id, t.id).await.unwrap();
    assert!(s.authenticate_token(&clear).await.unwrap().is_none());
    assert!(matches!(
        s.revoke_token(a.practice_id, t.id).await,
        Err(StoreError::NotFound)
    ));

    // Reopening keeps the data and does not rerun migrations.
    s.close().await;
    let s2 = dir.open().await;
    assert_eq!(s2.schema_version().await.unwrap(), dir.latest_schema());
    assert!(!s2.needs_setup().await.unwrap());
    // No clear secret in the database file.
    s2.close().await;
    if !dir.is_sqlite() {
        return;
    }
    let bytes = std::fs::read(dir.sqlite_file()).unwrap();
    let wal = std::fs::read(dir.dir.path().join("sceau.sqlite-wal")).unwrap_or_default();
    for b in [bytes, wal] {
        let text = String::from_utf8_lossy(&b);
        assert!(!text.contains(&clear), "clear API token in the database");
        assert!(!text.contains(&tok), "clear session token in the database");
    }
}

/// Two stores on one database are two nodes: a token stopped through one
/// stops there on its next request, and on the other within
/// `TOKEN_RECHECK`, however recently that one authenticated it.
#[tokio::test]
async fn a_token_stopped_on_one_node_stops_on_the_other_within_the_recheck() {
    let db = common::Db::new().await;
    let (here, there) = (db.open().await, db.open().await);
    let a = here
        .create_first_admin("Cabinet", "alice", "Alice", "motdepasse-solide")
        .await
        .unwrap();
    let (revoked, t) = here.create_token(a.practice_id, a.id, "un").await.unwrap();
    let (suspended, _) = here
        .create_token(a.practice_id, a.id, "deux")
        .await
        .unwrap();
    for clear in [&revoked, &suspended] {
        for node in [&here, &there] {
            assert!(node.authenticate_token(clear).await.unwrap().is_some());
        }
    }
    let stopped_on_the_other = |clear: String| {
        let there = there.clone();
        async move {
            let start = std::time::Instant::now();
            while there.authenticate_token(&clear).await.unwrap().is_some() {
                assert!(
                    start.elapsed()
                        < sceau_store::TOKEN_RECHECK + std::time::Duration::from_secs(2),
                    "the other node still accepts the token after {:?}",
                    start.elapsed()
                );
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
    };
    here.revoke_token(a.practice_id, t.id).await.unwrap();
    assert!(here.authenticate_token(&revoked).await.unwrap().is_none());
    stopped_on_the_other(revoked).await;
    // A suspension: the practice comes with the token remembered.
    here.suspend_practice(a.practice_id).await.unwrap();
    let (_, p) = here.authenticate_token(&suspended).await.unwrap().unwrap();
    assert!(p.suspended());
    let start = std::time::Instant::now();
    loop {
        let (_, p) = there.authenticate_token(&suspended).await.unwrap().unwrap();
        if p.suspended() {
            break;
        }
        assert!(start.elapsed() < sceau_store::TOKEN_RECHECK + std::time::Duration::from_secs(2));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // The owner no longer an administrator: its tokens stop at once here.
    here.resume_practice(a.practice_id).await.unwrap();
    let (third, _) = here
        .create_token(a.practice_id, a.id, "trois")
        .await
        .unwrap();
    assert!(here.authenticate_token(&third).await.unwrap().is_some());
    here.create_account(
        a.practice_id,
        "bob",
        "Bob",
        Role::Administrateur,
        "motdepasse-solide",
    )
    .await
    .unwrap();
    here.update_account(a.practice_id, a.id, Role::Kinesitherapeute, true)
        .await
        .unwrap();
    assert!(here.authenticate_token(&third).await.unwrap().is_none());
    stopped_on_the_other(third).await;
}

#[tokio::test]
async fn installation_adopts_the_practice_a_journal_was_appended_to() {
    let (_db, s) = store().await;
    let pid = s.create_unclaimed_practice("Cabinet").await.unwrap();
    assert!(
        s.needs_setup().await.unwrap(),
        "no account yet: the installation page stays open"
    );
    let admin = s
        .create_first_admin(
            "Cabinet du Parc",
            "alice",
            "Alice Martin",
            "motdepasse-solide",
        )
        .await
        .unwrap();
    assert_eq!(admin.practice_id, pid);
    let all = s.practices().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].name, "Cabinet du Parc");
}
