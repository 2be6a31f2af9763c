//! Audit finding 1 (2026-11-30): someone who writes the database without
//! the key wrote the SHA-256 of a code of his own on an installed practice
//! and claimed it, which gave him a signed administrator. The stored code
//! is now keyed with the key, a practice that has accounts is never
//! installed again, and the installation is recorded in the journal.
//! SQLite, or PostgreSQL with SCEAU_TEST_DATABASE_URL.

use crate::common;

use sha2::{Digest, Sha256};

const PASSWORD: &str = "motdepasse-solide";

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn a_code_written_without_the_key_installs_nothing() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let a = s
        .create_tenant("Cabinet A", "CODE-AAAA-0001")
        .await
        .unwrap();
    let admin = s
        .claim_installation("CODE-AAAA-0001", "alice", "Alice", PASSWORD)
        .await
        .unwrap()
        .expect("the operator's code installs the practice");
    assert_eq!(admin.practice_id, a.id);
    // Recorded in the practice's journal, which the operator's command began.
    let entries = s.journal_entries(a.id, None).await.unwrap();
    let last = entries.last().expect("an entry for the installation");
    assert_eq!(
        last.purpose.as_str(),
        sceau_store::journal::INSTALL_ADMIN_PURPOSE
    );
    assert!(last
        .information
        .as_deref()
        .unwrap_or_default()
        .contains("«\u{a0}alice\u{a0}»"));
    assert!(s.journal_verify(a.id).await.unwrap().intact());

    // The audit's SQL: the unkeyed hash of a chosen code on the installed practice.
    let pool = db.raw().await;
    sqlx::query("UPDATE practices SET install_code_hash = $1, install_code_expires_at = 4102444800 WHERE id = $2")
        .bind(sha256_hex("sceau-installation/PIRATECODE1234"))
        .bind(a.id)
        .execute(&pool)
        .await
        .unwrap();
    assert!(!s.installation_pending().await.unwrap());
    assert!(s
        .claim_installation("PIRATECODE1234", "pirate", "Pirate", PASSWORD)
        .await
        .unwrap()
        .is_none());

    // A keyed hash copied from a practice still waiting for its first
    // administrator onto the installed one: the installed practice gets no
    // new administrator even with the right code.
    let b = s
        .create_tenant("Cabinet B", "CODE-BBBB-0002")
        .await
        .unwrap();
    assert!(s.installation_pending().await.unwrap());
    let keyed: String = sqlx::query_scalar("SELECT install_code_hash FROM practices WHERE id = $1")
        .bind(b.id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_ne!(keyed, sha256_hex("sceau-installation/CODEBBBB0002"));
    sqlx::query("UPDATE practices SET install_code_hash = NULL WHERE id = $1")
        .bind(b.id)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE practices SET install_code_hash = $1, install_code_expires_at = 4102444800 WHERE id = $2")
        .bind(&keyed)
        .bind(a.id)
        .execute(&pool)
        .await
        .unwrap();
    assert!(!s.installation_pending().await.unwrap());
    assert!(s
        .claim_installation("CODE-BBBB-0002", "pirate", "Pirate", PASSWORD)
        .await
        .unwrap()
        .is_none());
    let names: Vec<String> = s
        .list_accounts(a.id)
        .await
        .unwrap()
        .into_iter()
        .map(|x| x.username)
        .collect();
    assert_eq!(names, ["alice"]);
    assert!(s
        .verify_login(Some(a.id), "pirate", PASSWORD)
        .await
        .unwrap()
        .is_none());
}
