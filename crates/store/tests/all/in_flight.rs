//! A write whose answer was lost (a PostgreSQL primary killed during its
//! COMMIT) is settled by asking the database; the question must wait for
//! a commit still in flight. With synchronous replication, a COMMIT is in
//! the WAL and on the standby before other sessions of the primary see it:
//! asked then, the dying primary answered « absent », the user read « rien
//! n’a été enregistré », and the promoted standby held the entry (the
//! failover test saw it once under load). Here a transaction of another
//! connection holds what an in-flight commit holds; the answer must come
//! only after it ends.

use crate::common;

use std::time::Duration;

use sqlx::{Connection, Executor};

const WAIT: Duration = Duration::from_millis(600);

async fn raw(url: &str) -> sqlx::PgConnection {
    sqlx::PgConnection::connect(url).await.unwrap()
}

/// What `asking` answers, checked to come only once `writer`'s transaction
/// (which holds what `in_flight` holds) is rolled back.
async fn answered_once_rolled_back<T>(
    writer: &mut sqlx::PgConnection,
    asking: tokio::task::JoinHandle<T>,
    in_flight: &str,
) -> T {
    tokio::time::sleep(WAIT).await;
    assert!(
        !asking.is_finished(),
        "answered while {in_flight} was still in flight"
    );
    writer.execute("ROLLBACK").await.unwrap();
    tokio::time::timeout(Duration::from_secs(10), asking)
        .await
        .unwrap_or_else(|_| panic!("no answer once {in_flight} was rolled back"))
        .unwrap()
}

/// A store on a fresh PostgreSQL database, its URL (for the connection
/// that plays the commit in flight) and a practice of it.
async fn on_postgres() -> (common::Db, String, sceau_store::Store, i64) {
    let db = common::Db::new().await;
    let url = db
        .url
        .clone()
        .expect("SCEAU_TEST_DATABASE_URL names the PostgreSQL server of this test");
    let s = db.open().await;
    let (a, _) = common::two_practices(&s).await;
    (db, url, s, a)
}

#[tokio::test]
#[ignore = "needs PostgreSQL (SCEAU_TEST_DATABASE_URL): run by the postgres step of scripts/test"]
async fn a_lost_journal_commit_is_settled_only_after_the_commit_in_flight_ends() {
    let (_db, url, s, a) = on_postgres().await;
    s.journal_append(a, "alice", &[common::entry("premier")])
        .await
        .unwrap();
    let head = s.journal_head(a).await.unwrap().expect("a head");
    // What an append's transaction holds until its COMMIT ends: the head row.
    let mut writer = raw(&url).await;
    writer.execute("BEGIN").await.unwrap();
    sqlx::query("UPDATE journal_heads SET seq = seq WHERE practice_id = $1")
        .bind(a)
        .execute(&mut writer)
        .await
        .unwrap();
    let asking = {
        let s = s.clone();
        tokio::spawn(async move {
            sceau_store::testing::journal_lost_answer(&s, a, head.seq + 1, [7; 32]).await
        })
    };
    let answer =
        answered_once_rolled_back(&mut writer, asking, "a commit that could store the entry").await;
    assert_eq!(answer, Some(false), "that commit stored nothing");
    // An entry that is there is found, with nothing in flight.
    assert_eq!(
        sceau_store::testing::journal_lost_answer(&s, a, head.seq, head.hash).await,
        Some(true)
    );
    s.close().await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL (SCEAU_TEST_DATABASE_URL): run by the postgres step of scripts/test"]
async fn a_lost_insert_is_settled_only_after_the_writes_in_flight_end() {
    let (_db, url, s, a) = on_postgres().await;
    let p = common::patient(&s, a, "Hortense Quillard").await;
    // What an insert's transaction holds until its COMMIT ends.
    let mut writer = raw(&url).await;
    writer.execute("BEGIN").await.unwrap();
    writer
        .execute("LOCK TABLE patients IN ROW EXCLUSIVE MODE")
        .await
        .unwrap();
    let asking = {
        let s = s.clone();
        tokio::spawn(async move {
            sceau_store::testing::settle_lost_answer(&s, "patients", "pat_0000000000000000").await
        })
    };
    let answer =
        answered_once_rolled_back(&mut writer, asking, "an insert that could store the row").await;
    let absent = answer.expect_err("no such row: the write failed");
    assert!(
        absent.outage_fr().contains("rien n’a été enregistré"),
        "{absent}"
    );
    sceau_store::testing::settle_lost_answer(&s, "patients", &p.id)
        .await
        .expect("the row is stored: the write succeeded");
    s.close().await;
}
