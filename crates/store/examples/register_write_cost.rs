//! What a register write costs: a timed loop of oppositions recorded and
//! lifted on one patient, run twice in the same run (the second tells the
//! noise of a shared machine). A measurement, not a test: it prints, and
//! fails only if a write does. Run it on two builds to compare:
//! `cargo run --release -p sceau-store --example register_write_cost`
//! (PostgreSQL with SCEAU_TEST_DATABASE_URL).

#[path = "../tests/common/mod.rs"]
mod common;

use sceau_store::register::NewOpposition;

const WRITES: usize = 200;

#[tokio::main]
async fn main() {
    let db = common::Db::new().await;
    let s = db.open().await;
    let (a, _) = common::two_practices(&s).await;
    let p = common::patient(&s, a, "Patient A").await;
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let o = NewOpposition {
        scope: "tout".into(),
        what: "Ne rien transmettre".into(),
        since: Some(day),
        informed_on: None,
    };
    for round in 1..=2 {
        let start = std::time::Instant::now();
        let mut ids = Vec::with_capacity(WRITES);
        for _ in 0..WRITES {
            ids.push(s.add_opposition(a, &p.id, &o).await.unwrap().id);
        }
        let added = start.elapsed();
        let start = std::time::Instant::now();
        for id in &ids {
            s.lift_opposition(a, &p.id, id, day).await.unwrap();
        }
        let lifted = start.elapsed();
        let start = std::time::Instant::now();
        let read = s.oppositions(a, &p.id).await.unwrap();
        let listed = start.elapsed();
        println!(
            "round {round}: {WRITES} oppositions added {:.0} µs each, lifted {:.0} µs each; {} read in {:.0} µs ({})",
            added.as_micros() as f64 / WRITES as f64,
            lifted.as_micros() as f64 / WRITES as f64,
            read.len(),
            listed.as_micros() as f64,
            if db.is_sqlite() { "SQLite" } else { "PostgreSQL" },
        );
    }
}
