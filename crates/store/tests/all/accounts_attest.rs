//! `sceau accounts attest` and the password hashes it signs (audit of
//! 2026-11-30, finding 5): a hash replaced without the key, the MACs
//! stripped so that the attestation is needed, was signed under the real
//! administrator's name. A hash is now kept only when the practice's
//! access record names it; any other is replaced by a new password. On
//! SQLite or (with SCEAU_TEST_DATABASE_URL) PostgreSQL.

use crate::common;

use sceau_store::{Role, Store};

const PASSWORD: &str = "motdepasse-solide";
const INTRUDER: &str = "Attaquant-999999";

async fn id_of(s: &Store, practice: i64, name: &str) -> i64 {
    s.list_accounts(practice)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.username == name)
        .unwrap()
        .id
}

async fn signs_in(s: &Store, practice: i64, name: &str, pw: &str) -> bool {
    s.verify_login(Some(practice), name, pw)
        .await
        .unwrap()
        .is_some()
}

#[tokio::test]
async fn an_attestation_never_signs_a_password_hash_the_record_does_not_name() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, b) = common::two_practices(&s).await;
    let alice = id_of(&s, a, "alice").await;
    let kine = s
        .create_account(a, "kine", "Kiné", Role::Kinesitherapeute, PASSWORD)
        .await
        .unwrap()
        .id;
    // The intruder's own hash, of a password he knows (any Argon2id hash
    // would do; this one is Sceau's, in the other practice).
    s.create_account(b, "mallory", "M", Role::Assistant, INTRUDER)
        .await
        .unwrap();

    // The audit's statement: every MAC gone (as after migration 15
    // replayed), the administrator's hash replaced.
    let raw = db.raw().await;
    sqlx::query("UPDATE accounts SET mac = NULL WHERE practice_id = $1")
        .bind(a)
        .execute(&raw)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE accounts SET password_hash = (SELECT password_hash FROM accounts WHERE username = 'mallory') WHERE id = $1",
    )
    .bind(alice)
    .execute(&raw)
    .await
    .unwrap();
    raw.close().await;

    let todo = s.unsigned_accounts(Some(a)).await.unwrap();
    assert_eq!(todo.len(), 2);
    // The listing can say which hash will not be kept.
    assert_eq!(s.unvouched_passwords(&todo).await.unwrap(), vec![alice]);
    let done = s.attest_accounts(&todo).await.unwrap();
    assert_eq!(done.signed, 2);
    assert_eq!(done.new_passwords.len(), 1);
    let (who, new) = done.new_passwords[0].clone();
    assert_eq!(who, alice);

    // The intruder's password opens nothing; the new one does; the
    // account whose hash the record named keeps its password.
    assert!(!signs_in(&s, a, "alice", INTRUDER).await);
    assert!(signs_in(&s, a, "alice", &new).await);
    assert!(signs_in(&s, a, "kine", PASSWORD).await);
    assert!(!s.account(kine).await.unwrap().altered);

    // The journal says whose password was replaced.
    let entries = s.journal_entries(a, None).await.unwrap();
    let info = entries
        .last()
        .unwrap()
        .information
        .clone()
        .unwrap_or_default();
    assert!(info.starts_with("2 compte(s) attesté(s)"), "{info}");
    assert!(
        info.contains("mot de passe remplacé") && info.contains(&format!("n° {alice}")),
        "{info}"
    );
    assert!(s.journal_verify(a).await.unwrap().intact());
}

#[tokio::test]
async fn an_earlier_password_put_back_is_not_kept_either() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, _b) = common::two_practices(&s).await;
    let alice = id_of(&s, a, "alice").await;
    let raw = db.raw().await;
    let old: String = sqlx::query_scalar("SELECT password_hash FROM accounts WHERE id = $1")
        .bind(alice)
        .fetch_one(&raw)
        .await
        .unwrap();
    s.reset_password(a, alice, "une-autre-phrase-de-passe")
        .await
        .unwrap();
    // The earlier hash put back, MAC stripped: Sceau signed it once, but
    // it is not the latest version the record names.
    sqlx::query("UPDATE accounts SET password_hash = $1, mac = NULL WHERE id = $2")
        .bind(&old)
        .bind(alice)
        .execute(&raw)
        .await
        .unwrap();
    raw.close().await;
    let todo = s.unsigned_accounts(Some(a)).await.unwrap();
    let done = s.attest_accounts(&todo).await.unwrap();
    assert_eq!(done.new_passwords.len(), 1);
    assert!(!signs_in(&s, a, "alice", PASSWORD).await);
    assert!(signs_in(&s, a, "alice", &done.new_passwords[0].1).await);
}
