//! Audit finding 2: someone who can write the database but has not the key
//! must not open a session, use an API token, or widen one, by writing rows.
//! The attacks are the audit's, by SQL on a connection of the attacker's
//! own beside the running store. SQLite, or PostgreSQL with
//! SCEAU_TEST_DATABASE_URL.

use crate::common;

use sceau_store::{Store, StoreError, TokenScope};
use sha2::{Digest, Sha256};

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn id_of(s: &Store, practice: i64, username: &str) -> i64 {
    s.list_accounts(practice)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.username == username)
        .unwrap()
        .id
}

/// A token the attacker inserts for a value of his choice is refused.
async fn refused(s: &Store, token: &str) {
    match s.authenticate_token(token).await {
        Err(StoreError::TokenToReplace) | Ok(None) => {}
        Ok(Some(_)) => panic!("a token written without the key opened the API"),
        Err(e) => panic!("unexpected error: {e}"),
    }
}

#[tokio::test]
async fn sessions_and_tokens_written_without_the_key_open_nothing() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, b) = common::two_practices(&s).await;
    let alice = id_of(&s, a, "alice").await;
    let bob = id_of(&s, b, "bob").await;
    let pool = db.raw().await;
    let t = now();

    // The audit's session: SHA-256 of a value of the intruder's choice,
    // for another practice's administrator.
    sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, csrf, created_at, expires_at) VALUES ($1, $2, 'c', $3, $4)",
    )
    .bind(sha256_hex("forged-session"))
    .bind(bob)
    .bind(t)
    .bind(t + 3600)
    .execute(&pool)
    .await
    .unwrap();
    assert!(s.session("forged-session").await.unwrap().is_none());

    // The audit's token: a write token of practice A for a chosen value.
    let forged = format!("sceau_{}", "f0".repeat(32));
    sqlx::query(
        "INSERT INTO api_tokens (practice_id, name, prefix, token_hash, created_by, created_at, expires_at, scope)
         VALUES ($1, 'x', 'sceau_forged', $2, $3, $4, $5, 'ecriture')",
    )
    .bind(a)
    .bind(sha256_hex(&forged))
    .bind(alice)
    .bind(t)
    .bind(t + 86_400)
    .execute(&pool)
    .await
    .unwrap();
    refused(&s, &forged).await;

    // A real session moved onto another account stops.
    let real = s.create_session(alice).await.unwrap();
    assert!(s.session(&real).await.unwrap().is_some());
    sqlx::query("UPDATE sessions SET account_id = $1, expires_at = expires_at + 100000 WHERE token_hash = $2")
        .bind(bob)
        .bind(sha256_hex(&real))
        .execute(&pool)
        .await
        .unwrap();
    assert!(s.session(&real).await.unwrap().is_none());

    // A read-only token raised to write, a revoked token revived, a token
    // moved to another practice: each refused.
    let (read, r) = s
        .create_token_with(a, alice, "lecture", TokenScope::Lecture, 30)
        .await
        .unwrap();
    assert!(s.authenticate_token(&read).await.unwrap().is_some());
    sqlx::query("UPDATE api_tokens SET scope = 'ecriture' WHERE id = $1")
        .bind(r.id)
        .execute(&pool)
        .await
        .unwrap();
    let fresh = Store::open(db.config()).await.unwrap();
    refused(&fresh, &read).await;

    let (gone, g) = s.create_token(a, alice, "révoqué").await.unwrap();
    s.revoke_token(a, g.id).await.unwrap();
    sqlx::query("UPDATE api_tokens SET revoked_at = NULL WHERE id = $1")
        .bind(g.id)
        .execute(&pool)
        .await
        .unwrap();
    refused(&fresh, &gone).await;

    let (moved, m) = s.create_token(a, alice, "déplacé").await.unwrap();
    sqlx::query("UPDATE api_tokens SET practice_id = $1 WHERE id = $2")
        .bind(b)
        .bind(m.id)
        .execute(&pool)
        .await
        .unwrap();
    refused(&fresh, &moved).await;

    // What Sceau wrote still works, and the page lists the others.
    let (good, _) = s.create_token(a, alice, "bon").await.unwrap();
    let (tok, p) = fresh.authenticate_token(&good).await.unwrap().unwrap();
    assert_eq!((tok.practice_id, p.id), (a, a));
    let fine = fresh.create_session(alice).await.unwrap();
    assert_eq!(
        fresh.session(&fine).await.unwrap().unwrap().account.id,
        alice
    );
    let listed = fresh.list_tokens(a).await.unwrap();
    let mut to_replace: Vec<&str> = listed
        .iter()
        .filter(|t| t.to_replace)
        .map(|t| t.name.as_str())
        .collect();
    to_replace.sort_unstable();
    // The revocation undone in the database shows too: it opens nothing.
    assert_eq!(to_replace, ["lecture", "révoqué", "x"], "{listed:?}");
}

/// The answer to a token to replace says what to do, and never the token.
#[tokio::test]
async fn a_token_to_replace_is_told_without_its_secret() {
    let e = StoreError::TokenToReplace.to_string();
    assert!(e.contains("créer un nouveau jeton"), "{e}");
    assert!(!e.contains("sceau_"), "{e}");
}

/// Audit finding 2b: a role raised, a password hash replaced or an account
/// inserted by SQL neither signs in nor acts; the administrator of the host
/// attests the accounts explicitly, and the journal records it.
#[tokio::test]
async fn accounts_written_without_the_key_neither_sign_in_nor_act_until_attested() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, _b) = common::two_practices(&s).await;
    let alice = id_of(&s, a, "alice").await;
    let pw = "motdepasse-solide";
    let assistant = s
        .create_account(a, "uassistant", "U", sceau_store::Role::Assistant, pw)
        .await
        .unwrap();
    let session = s.create_session(assistant.id).await.unwrap();
    assert!(s.session(&session).await.unwrap().is_some());
    let (token, _) = s.create_token(a, alice, "intégration").await.unwrap();
    assert!(s.authenticate_token(&token).await.unwrap().is_some());
    let pool = db.raw().await;

    // The audit's attack: the assistant raised to administrator.
    sqlx::query("UPDATE accounts SET role = 'administrateur' WHERE username = 'uassistant'")
        .execute(&pool)
        .await
        .unwrap();
    assert!(matches!(
        s.session(&session).await,
        Err(StoreError::AccountAltered)
    ));
    assert!(matches!(
        s.verify_login(Some(a), "uassistant", pw).await,
        Err(StoreError::AccountAltered)
    ));
    assert!(matches!(
        s.update_account(a, assistant.id, sceau_store::Role::Assistant, true)
            .await,
        Err(StoreError::AccountAltered)
    ));
    // An account inserted with a known password's hash.
    sqlx::query(
        "INSERT INTO accounts (practice_id, username, display_name, role, password_hash, active, created_at, updated_at)
         SELECT practice_id, 'intrus', 'I', 'administrateur', password_hash, 1, created_at, updated_at FROM accounts WHERE id = $1",
    )
    .bind(alice)
    .execute(&pool)
    .await
    .unwrap();
    assert!(matches!(
        s.verify_login(Some(a), "intrus", pw).await,
        Err(StoreError::AccountAltered)
    ));
    // The token of an administrator whose password hash was replaced.
    sqlx::query("UPDATE accounts SET password_hash = (SELECT password_hash FROM accounts WHERE username = 'bob') WHERE id = $1")
        .bind(alice)
        .execute(&pool)
        .await
        .unwrap();
    s.revoke_token(a, 999_999).await.ok(); // a write that makes the token be read again
    let fresh = Store::open(db.config()).await.unwrap();
    assert!(matches!(
        fresh.authenticate_token(&token).await,
        Err(StoreError::AccountAltered)
    ));
    let mut altered: Vec<String> = fresh
        .list_accounts(a)
        .await
        .unwrap()
        .into_iter()
        .filter(|x| x.altered)
        .map(|x| x.username)
        .collect();
    altered.sort();
    assert_eq!(altered, ["alice", "intrus", "uassistant"]);
    // Practice B untouched.
    assert!(fresh
        .verify_login(Some(_b), "bob", pw)
        .await
        .unwrap()
        .is_some());

    // The explicit act: listed, attested, recorded in the journal.
    let before = fresh.journal_verify(a).await.unwrap();
    assert!(before.intact());
    let todo = fresh.unsigned_accounts(Some(a)).await.unwrap();
    assert_eq!(todo.len(), 3);
    let done = fresh.attest_accounts(&todo).await.unwrap();
    assert_eq!(done.signed, 3);
    // Alice's hash (replaced) and the intruder's (never signed) are not
    // kept: both get a new password; the assistant's is the one signed.
    let mut renewed: Vec<i64> = done.new_passwords.iter().map(|(id, _)| *id).collect();
    renewed.sort_unstable();
    let mut expected = vec![alice, id_of(&fresh, a, "intrus").await];
    expected.sort_unstable();
    assert_eq!(renewed, expected);
    assert!(fresh.unsigned_accounts(None).await.unwrap().is_empty());
    let v = fresh.journal_verify(a).await.unwrap();
    assert!(v.intact());
    let entries = fresh.journal_entries(a, None).await.unwrap();
    let last = entries.last().unwrap();
    assert_eq!(
        (last.recipient.as_str(), last.purpose.as_str()),
        ("sceau", sceau_store::journal::ATTEST_ACCOUNTS_PURPOSE)
    );
    let info = last.information.clone().unwrap_or_default();
    assert!(info.starts_with("3 compte(s) attesté(s)"), "{info}");
    let s2 = fresh.session(&session).await.unwrap().unwrap();
    assert_eq!(s2.account.role, sceau_store::Role::Administrateur);
}

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Audit finding 3: a consent moved to another patient, an opposition
/// lifted or inserted by SQL without the key are « altered » (never used
/// to decide) until the host's administrator attests them; Sceau's own
/// writes keep them signed.
#[tokio::test]
async fn consents_and_oppositions_written_without_the_key_are_altered_until_attested() {
    use sceau_store::register::{NewConsent, NewOpposition};
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, b) = common::two_practices(&s).await;
    let pa = common::patient(&s, a, "Patient A").await;
    let pb = common::patient(&s, a, "Patient B").await;
    let consent = s
        .add_consent(
            a,
            &pa.id,
            &NewConsent {
                recipient: "professionnel_hors_equipe".into(),
                what: "le bilan".into(),
                method: "oral".into(),
                given_on: Some(day("2026-01-02")),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let kept = s
        .add_consent(
            a,
            &pa.id,
            &NewConsent {
                recipient: "medecin_traitant".into(),
                what: "le compte rendu".into(),
                method: "ecrit".into(),
                given_on: Some(day("2026-01-03")),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let opposition = s
        .add_opposition(
            a,
            &pa.id,
            &NewOpposition {
                scope: "tout".into(),
                what: "aucun partage".into(),
                since: Some(day("2026-01-01")),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    // Sceau's own writes are signed, a withdrawal included.
    s.withdraw_consent(a, &pa.id, &kept.id, day("2026-02-01"))
        .await
        .unwrap();
    assert!(s
        .consents(a, &pa.id)
        .await
        .unwrap()
        .iter()
        .all(|c| !c.altered && !c.unreadable));
    assert!(!s.oppositions(a, &pa.id).await.unwrap()[0].altered);
    let pool = db.raw().await;

    // The audit's SQL.
    sqlx::query("UPDATE consents SET patient_id = $1 WHERE id = $2")
        .bind(&pb.id)
        .bind(&consent.id)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE oppositions SET lifted_on = '2026-11-03' WHERE id = $1")
        .bind(&opposition.id)
        .execute(&pool)
        .await
        .unwrap();
    // An opposition inserted without the key, in the form of Sceau's: its
    // text, copied from another row, does not decrypt under its own id.
    sqlx::query(
        "INSERT INTO oppositions (id, practice_id, patient_id, scope, what, since, informed_on, lifted_on, created_at)
         SELECT 'opp_00000000000000000000000000000000', practice_id, patient_id, 'medecin_traitant', what, since, NULL, NULL, created_at FROM oppositions WHERE id = $1",
    )
    .bind(&opposition.id)
    .execute(&pool)
    .await
    .unwrap();

    let moved = s.consents(a, &pb.id).await.unwrap();
    assert_eq!(moved.len(), 1);
    assert!(moved[0].altered && !moved[0].unreadable);
    let opps = s.oppositions(a, &pa.id).await.unwrap();
    assert_eq!(opps.len(), 2);
    assert!(opps.iter().all(|o| o.altered), "{opps:?}");
    assert_eq!(opps.iter().filter(|o| o.unreadable).count(), 1);
    // Sceau never signs a change on top of an altered row.
    assert!(matches!(
        s.withdraw_consent(a, &pb.id, &consent.id, day("2026-03-01"))
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        s.lift_opposition(
            a,
            &pa.id,
            "opp_00000000000000000000000000000000",
            day("2026-03-01")
        )
        .await,
        Err(StoreError::Invalid(_))
    ));
    // The other patient's signed consent is untouched; the one moved away
    // is seen as deleted from this patient (its signed record names it).
    let still = s.consents(a, &pa.id).await.unwrap();
    assert_eq!(still.len(), 2, "{still:?}");
    assert!(still.iter().any(|c| c.id == kept.id && !c.altered));
    assert!(still.iter().any(|c| c.id == consent.id && c.deleted));

    // The explicit act: listed (the other practice has none), attested,
    // recorded in the journal, which stays intact.
    assert!(s.unsigned_register_rows(Some(b)).await.unwrap().is_empty());
    let todo = s.unsigned_register_rows(Some(a)).await.unwrap();
    assert_eq!(todo.len(), 3);
    assert_eq!(todo.iter().filter(|r| r.unreadable).count(), 1);
    assert!(todo
        .iter()
        .all(|r| !r.summary.contains("aucun partage") && !r.summary.contains("le bilan")));
    // A row changed between the listing and the confirmation: nothing signed.
    sqlx::query("UPDATE consents SET recipient = 'medecin_traitant' WHERE id = $1")
        .bind(&consent.id)
        .execute(&pool)
        .await
        .unwrap();
    assert!(matches!(
        s.attest_register_rows(&todo).await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(s.unsigned_register_rows(None).await.unwrap().len(), 3);
    let todo = s.unsigned_register_rows(Some(a)).await.unwrap();
    assert_eq!(s.attest_register_rows(&todo).await.unwrap(), 2);
    // The unreadable row stays listed, and altered.
    let left = s.unsigned_register_rows(None).await.unwrap();
    assert_eq!(left.len(), 1);
    assert!(left[0].unreadable);
    assert!(s
        .consents(a, &pb.id)
        .await
        .unwrap()
        .iter()
        .all(|c| !c.altered));
    assert_eq!(
        s.oppositions(a, &pa.id)
            .await
            .unwrap()
            .iter()
            .filter(|o| o.altered)
            .count(),
        1
    );
    assert!(s.journal_verify(a).await.unwrap().intact());
    let entries = s.journal_entries(a, None).await.unwrap();
    let last = entries.last().unwrap();
    assert_eq!(
        (last.recipient.as_str(), last.purpose.as_str()),
        ("sceau", sceau_store::journal::ATTEST_REGISTER_PURPOSE)
    );
    let info = last.information.clone().unwrap_or_default();
    assert!(
        info.starts_with("2 ligne(s) du registre attestée(s)") && info.contains(&opposition.id),
        "{info}"
    );
}

/// Audit finding 10: a token's stored prefix rewritten without the key does
/// not change who the journal names: the prefix is the token's own. On a
/// row of the MAC's first version, which does not cover the prefix (a row
/// of the second so changed is refused: `token_names.rs`).
#[tokio::test]
async fn a_token_prefix_rewritten_without_the_key_is_not_its_author() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, _) = common::two_practices(&s).await;
    let alice = id_of(&s, a, "alice").await;
    let (token, created) = s
        .create_token_with(a, alice, "w", TokenScope::Ecriture, 30)
        .await
        .unwrap();
    sceau_store::testing::sign_token_as_version_1(&s, created.id).await;
    let pool = db.raw().await;
    sqlx::query("UPDATE api_tokens SET prefix = 'admin' WHERE id = $1")
        .bind(created.id)
        .execute(&pool)
        .await
        .unwrap();
    let (t, _) = s.authenticate_token(&token).await.unwrap().unwrap();
    assert_eq!(t.prefix, token[..12]);
    assert_ne!(t.prefix, "admin");
}
