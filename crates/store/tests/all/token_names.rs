//! A token's name and displayed prefix written without the key. Until the
//! second version of the token row's MAC, neither was signed: a rename or
//! another prefix by SQL was shown as written (SECURITY.md, « What
//! writing the database without the key still allows »). Now a row of the
//! second version so changed is refused like any altered row, and a row of
//! the first (issued by an earlier build) still opens but is shown as
//! unverified until `sceau accounts attest` signs it again. SQLite, or
//! PostgreSQL with SCEAU_TEST_DATABASE_URL.

use crate::common;

use sceau_store::{Store, StoreError, TokenScope};

async fn alice(s: &Store, practice: i64) -> i64 {
    s.list_accounts(practice)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.username == "alice")
        .unwrap()
        .id
}

async fn set(pool: &sqlx::AnyPool, column: &str, value: &str, id: i64) {
    sqlx::query(&format!(
        "UPDATE api_tokens SET {column} = $1 WHERE id = $2"
    ))
    .bind(value)
    .bind(id)
    .execute(pool)
    .await
    .unwrap();
}

/// A token of the second version renamed, or given another prefix, by SQL
/// is refused (401 `token_to_replace` on the API) and listed « À
/// remplacer » with its name unverified; one left alone still opens.
#[tokio::test]
async fn a_token_renamed_or_given_another_prefix_without_the_key_is_refused() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, _) = common::two_practices(&s).await;
    let owner = alice(&s, a).await;
    let (renamed, r) = s
        .create_token_with(a, owner, "logiciel de facturation", TokenScope::Lecture, 30)
        .await
        .unwrap();
    let (reprefixed, p) = s
        .create_token_with(a, owner, "agenda", TokenScope::Lecture, 30)
        .await
        .unwrap();
    let (kept, _) = s
        .create_token_with(a, owner, "intact", TokenScope::Lecture, 30)
        .await
        .unwrap();
    let pool = db.raw().await;
    set(&pool, "name", "sauvegarde du cabinet", r.id).await;
    set(&pool, "prefix", "sceau_000000", p.id).await;
    // A store that never saw them: nothing remembered from before.
    let fresh = Store::open(db.config()).await.unwrap();
    for token in [&renamed, &reprefixed] {
        match fresh.authenticate_token(token).await {
            Err(StoreError::TokenToReplace) => {}
            other => panic!("a token renamed without the key: {other:?}"),
        }
    }
    let (t, _) = fresh.authenticate_token(&kept).await.unwrap().unwrap();
    assert!(!t.name_unverified);
    let listed = fresh.list_tokens(a).await.unwrap();
    for id in [r.id, p.id] {
        let shown = listed.iter().find(|t| t.id == id).unwrap();
        assert!(shown.to_replace && shown.name_unverified, "{shown:?}");
    }
    let intact = listed.iter().find(|t| t.name == "intact").unwrap();
    assert!(!intact.to_replace && !intact.name_unverified, "{intact:?}");
    assert_eq!(fresh.tokens_to_replace().await.unwrap(), 2);
    // The attestation signs only believed rows: these are not among them.
    assert!(fresh.tokens_to_attest(Some(a)).await.unwrap().is_empty());

    // The limit: a revoked token keeps no MAC, so its name is shown as
    // written, unmarked; it opens nothing.
    fresh.revoke_token(a, r.id).await.unwrap();
    set(&pool, "name", "jeton révoqué renommé", r.id).await;
    let listed = fresh.list_tokens(a).await.unwrap();
    let revoked = listed.iter().find(|t| t.id == r.id).unwrap();
    assert_eq!(revoked.name, "jeton révoqué renommé");
    assert!(
        !revoked.name_unverified && !revoked.to_replace,
        "{revoked:?}"
    );
    assert!(fresh.authenticate_token(&renamed).await.unwrap().is_none());
}

/// A token issued before the second version (its row signed as those
/// builds did) still opens, renamed or not, but its name and prefix are
/// shown as unverified; `attest_tokens` signs them as listed, after which
/// a rename is refused, and the row of the first version put back over
/// the attested one is not the current one.
#[tokio::test]
async fn a_token_of_the_first_version_opens_unverified_until_attested() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, b) = common::two_practices(&s).await;
    let owner = alice(&s, a).await;
    let (token, t) = s
        .create_token_with(a, owner, "agenda", TokenScope::Ecriture, 30)
        .await
        .unwrap();
    sceau_store::testing::sign_token_as_version_1(&s, t.id).await;
    let pool = db.raw().await;
    let v1_mac: String = sqlx::query_scalar("SELECT mac FROM api_tokens WHERE id = $1")
        .bind(t.id)
        .fetch_one(&pool)
        .await
        .unwrap();
    // The first version did not cover the name: a rename still opens, and
    // is shown unverified.
    set(&pool, "name", "agenda (renommé)", t.id).await;
    let fresh = Store::open(db.config()).await.unwrap();
    let (opened, _) = fresh.authenticate_token(&token).await.unwrap().unwrap();
    assert!(opened.name_unverified);
    let shown = fresh.list_tokens(a).await.unwrap();
    assert!(
        shown[0].name_unverified && !shown[0].to_replace,
        "{shown:?}"
    );
    assert_eq!(fresh.tokens_to_replace().await.unwrap(), 0);

    let todo = fresh.tokens_to_attest(None).await.unwrap();
    assert_eq!(todo.len(), 1);
    assert_eq!(todo[0].name, "agenda (renommé)");
    assert!(fresh.tokens_to_attest(Some(b)).await.unwrap().is_empty());
    // Changed between the listing and the attestation: nothing signed.
    set(&pool, "name", "autre", t.id).await;
    assert!(matches!(
        fresh.attest_tokens(&todo).await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(fresh.tokens_to_attest(None).await.unwrap().len(), 1);
    set(&pool, "name", "agenda (renommé)", t.id).await;

    assert_eq!(fresh.attest_tokens(&todo).await.unwrap(), 1);
    assert!(fresh.tokens_to_attest(None).await.unwrap().is_empty());
    let shown = fresh.list_tokens(a).await.unwrap();
    assert!(
        !shown[0].name_unverified && !shown[0].to_replace,
        "{shown:?}"
    );
    let (opened, _) = fresh.authenticate_token(&token).await.unwrap().unwrap();
    assert!(!opened.name_unverified);
    assert!(fresh.journal_verify(a).await.unwrap().intact());
    let entries = fresh.journal_entries(a, None).await.unwrap();
    let last = entries.last().unwrap();
    assert_eq!(
        (last.recipient.as_str(), last.purpose.as_str()),
        ("sceau", sceau_store::journal::ATTEST_ACCOUNTS_PURPOSE)
    );
    let info = last.information.clone().unwrap_or_default();
    assert!(
        info.starts_with("1 jeton(s) d’API dont le nom et le début ont été attestés")
            && info.contains(&format!("n° {}", t.id)),
        "{info}"
    );

    // Now signed, a rename is refused.
    set(&pool, "name", "encore renommé", t.id).await;
    let again = Store::open(db.config()).await.unwrap();
    assert!(matches!(
        again.authenticate_token(&token).await,
        Err(StoreError::TokenToReplace)
    ));
    // The row of the first version put back (its MAC still holds over
    // it) is not what the practice's access record names.
    set(&pool, "name", "agenda (renommé)", t.id).await;
    set(&pool, "mac", &v1_mac, t.id).await;
    let again = Store::open(db.config()).await.unwrap();
    assert!(matches!(
        again.authenticate_token(&token).await,
        Err(StoreError::TokenToReplace)
    ));
    assert!(again.list_tokens(a).await.unwrap()[0].to_replace);
}
