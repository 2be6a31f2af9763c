//! PostgreSQL that survives its primary (issue 17): a primary and its
//! synchronous standby on this machine, two `sceau serve` nodes with both
//! hosts in their URL (`target_session_attrs=read-write`), journal entries
//! and patients written through the API and journal entries through the web
//! form on both nodes; the primary is killed (SIGKILL, every process), the
//! standby promoted, the dead primary rewound into the new standby, and
//! again, `SCEAU_FAILOVER_KILLS` times (5 by default). Every acknowledged
//! write is found exactly once, the journal verifies (API and
//! `sceau journal verify`), every refusal the clients saw is a 503 in
//! French saying to retry, and the time to recover is printed for each kill.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::clusters::Pair;
use super::server::{http, http_full, json, Db, Server};
use super::{assert_intact, cli_verify, journal_entry, login, page_csrf};

const DATABASE: &str = "sceau";

/// What a write was, to find it afterwards.
#[derive(Debug, Clone)]
enum Write {
    /// A journal entry (through the API or the web form) with its `information`.
    Journal(String),
    /// A patient, by display name.
    Patient(String),
}

#[derive(Debug, Clone)]
enum Outcome {
    /// 2xx (or the web form's 303): the journal entry's number or the patient's id.
    Acked(String),
    /// Another status, with a short account of the body.
    Refused(u16, String),
    /// No complete answer from the web node.
    Cut(String),
}

#[derive(Debug, Clone)]
struct Event {
    node: usize,
    begun: Instant,
    ended: Instant,
    write: Write,
    outcome: Outcome,
}

type Events = Arc<Mutex<Vec<Event>>>;

/// The message of a refusal: the API's JSON `message`, or the web page's title and text.
fn account(body: &str) -> String {
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(body) {
        return format!(
            "{} : {}",
            v["error"].as_str().unwrap_or("?"),
            v["message"].as_str().unwrap_or("?")
        );
    }
    let title = body
        .split_once("<title>")
        .and_then(|(_, t)| t.split_once("</title>"))
        .map_or("", |(t, _)| t);
    let text = if body.contains("rien n’a été enregistré") {
        " … rien n’a été enregistré …"
    } else {
        ""
    };
    format!("page « {title} »{text}")
}

/// One API client: journal entries and patients, in turn.
fn api_writer(
    node: usize,
    addr: String,
    token: String,
    w: usize,
    stop: Arc<AtomicBool>,
    ev: Events,
) {
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let marker = format!("bascule-n{node}a{w}-{n}");
        let begun = Instant::now();
        let (write, r) = if n % 2 == 1 {
            let r = http(
                &addr,
                "POST",
                "/api/v1/journal",
                Some(&token),
                Some(("application/json", &journal_entry(&marker))),
            );
            (Write::Journal(marker), r)
        } else {
            let name = format!("Patient {marker}");
            let body = serde_json::json!({ "display_name": name }).to_string();
            let r = http(
                &addr,
                "POST",
                "/api/v1/patients",
                Some(&token),
                Some(("application/json", body.as_bytes())),
            );
            (Write::Patient(name), r)
        };
        let outcome = match r {
            Ok((201, body)) => {
                let v = json(&body);
                Outcome::Acked(match &write {
                    Write::Journal(_) => v["seq"].as_u64().expect("seq").to_string(),
                    Write::Patient(_) => v["id"].as_str().expect("id").to_string(),
                })
            }
            Ok((st, body)) => Outcome::Refused(st, account(&body)),
            Err(e) => Outcome::Cut(e.to_string()),
        };
        let retry = !matches!(outcome, Outcome::Acked(_));
        ev.lock().unwrap().push(Event {
            node,
            begun,
            ended: Instant::now(),
            write,
            outcome,
        });
        if retry {
            // As a client would, after a refusal: wait a little, then go on.
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// One person at the web form « Consigner au journal », signed in on `node`.
fn web_writer(
    node: usize,
    srv_addr: String,
    cookie: String,
    csrf: String,
    stop: Arc<AtomicBool>,
    ev: Events,
) {
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let marker = format!("bascule-n{node}web-{n}");
        let form = format!(
            "csrf={csrf}&a=recipient%3Dequipe_de_soins&a=purpose%3Dcoordination_soins\
             &geste=disclosed&information={marker}"
        );
        let begun = Instant::now();
        let r = http_full(
            &srv_addr,
            "POST",
            "/journal",
            Some(&format!("Cookie: {cookie}")),
            Some(("application/x-www-form-urlencoded", form.as_bytes())),
        );
        let outcome = match r {
            Ok((303, head, body)) => {
                let seq = head
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(": ")?;
                        k.eq_ignore_ascii_case("location").then_some(v)
                    })
                    .and_then(|v| v.strip_prefix("/journal?enregistre="))
                    .map(str::to_string);
                match seq {
                    Some(s) => Outcome::Acked(s),
                    None => Outcome::Refused(303, format!("{head}\n{body}")),
                }
            }
            Ok((st, _, body)) => Outcome::Refused(st, account(&body)),
            Err(e) => Outcome::Cut(e.to_string()),
        };
        let retry = !matches!(outcome, Outcome::Acked(_));
        ev.lock().unwrap().push(Event {
            node,
            begun,
            ended: Instant::now(),
            write: Write::Journal(marker),
            outcome,
        });
        if retry {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Per kill: (kill → promoted, kill → standby rebuilt and synchronous,
/// first refusal → first acknowledged write begun after it), in seconds.
struct Round {
    promoted: f64,
    rebuilt: f64,
    recovered: f64,
    refusals: usize,
}

fn kills() -> usize {
    std::env::var("SCEAU_FAILOVER_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
}

/// Whether both web nodes acknowledged a write begun after `since`.
fn both_nodes_write(ev: &Events, since: Instant) -> bool {
    let e = ev.lock().unwrap();
    (0..2).all(|node| {
        e.iter()
            .any(|x| x.node == node && x.begun >= since && matches!(x.outcome, Outcome::Acked(_)))
    })
}

#[test]
#[ignore = "starts two PostgreSQL clusters (initdb, pg_basebackup, pg_rewind): run by the postgres step of scripts/test"]
fn postgres_primary_killed_five_times_under_two_nodes_loses_no_acknowledged_write() {
    let started = Instant::now();
    let mut pair = Pair::start(DATABASE);
    let version = pair.pg_version();
    let url = pair.url(DATABASE);
    let web = tempfile::tempdir().unwrap();
    let db = Db::with_url(&web.path().join("n0"), Some(url));
    let dbs = [
        db.node(&web.path().join("n0")),
        db.node(&web.path().join("n1")),
    ];
    let servers: Vec<Server> = dbs.iter().map(Server::start).collect();
    let ev: Events = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut threads = vec![];
    for (node, srv) in servers.iter().enumerate() {
        for w in 0..2 {
            let (a, t, s, e) = (srv.addr.clone(), db.token.clone(), stop.clone(), ev.clone());
            threads.push(std::thread::spawn(move || api_writer(node, a, t, w, s, e)));
        }
        let (st, page, cookie) = login(srv);
        assert!(st == 303 || st == 200, "{st}: {page}");
        let cookie = cookie.expect("a session cookie");
        let csrf = page_csrf(srv, &cookie, "/journal");
        let (a, s, e) = (srv.addr.clone(), stop.clone(), ev.clone());
        threads.push(std::thread::spawn(move || {
            web_writer(node, a, cookie, csrf, s, e)
        }));
    }
    let setup = started.elapsed();
    let mut rounds = vec![];
    let mut kills_at = vec![];
    let mut since = Instant::now();
    for round in 0..kills() {
        // Both nodes write before each kill, for a while that changes with the round.
        let deadline = Instant::now() + Duration::from_secs(60);
        while !both_nodes_write(&ev, since) {
            assert!(
                Instant::now() < deadline,
                "the nodes did not write again within 60 s"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(300 + (round as u64 * 7919) % 500));
        let t_kill = Instant::now();
        kills_at.push(t_kill);
        pair.kill_primary();
        pair.promote();
        let promoted = t_kill.elapsed();
        pair.rewind_old_primary();
        let rebuilt = t_kill.elapsed();
        // Writes begun after the kill must be acknowledged again on both nodes.
        let deadline = Instant::now() + Duration::from_secs(60);
        while !both_nodes_write(&ev, t_kill) {
            assert!(
                Instant::now() < deadline,
                "round {round}: no write acknowledged on both nodes within 60 s of the rebuild; logs:\n{}\n{}",
                servers[0].log(),
                servers[1].log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        // The recovery: from the first refusal to the first write begun
        // after it and acknowledged. On a loaded machine that write may
        // still be in flight when both nodes have acknowledged others.
        let deadline = Instant::now() + Duration::from_secs(60);
        let (first_fail, first_ok, refusals) = loop {
            {
                let e = ev.lock().unwrap();
                let failed: Vec<&Event> = e
                    .iter()
                    .filter(|x| x.ended >= t_kill && !matches!(x.outcome, Outcome::Acked(_)))
                    .collect();
                let first_fail = failed.iter().map(|x| x.ended).min().unwrap_or(t_kill);
                let first_ok = e
                    .iter()
                    .filter(|x| x.begun >= first_fail && matches!(x.outcome, Outcome::Acked(_)))
                    .map(|x| x.ended)
                    .min();
                if let Some(first_ok) = first_ok {
                    break (first_fail, first_ok, failed.len());
                }
            }
            assert!(
                Instant::now() < deadline,
                "round {round}: no write begun after the first refusal was acknowledged within 60 s"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        rounds.push(Round {
            promoted: promoted.as_secs_f64(),
            rebuilt: rebuilt.as_secs_f64(),
            recovered: (first_ok - first_fail).as_secs_f64(),
            refusals,
        });
        since = Instant::now();
    }
    // A last stretch of writes on the last primary, then the load stops.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !both_nodes_write(&ev, since) {
        assert!(
            Instant::now() < deadline,
            "the nodes did not write after the last round"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
    let events = ev.lock().unwrap().clone();

    // What the store holds, read through node 0.
    let srv = &servers[0];
    let (st, body) = http(&srv.addr, "GET", "/api/v1/journal", Some(&db.token), None).unwrap();
    assert_eq!(st, 200, "{body}");
    let entries = json(&body);
    let mut journal: HashMap<String, Vec<u64>> = HashMap::new();
    for e in entries.as_array().unwrap() {
        journal
            .entry(e["information"].as_str().unwrap_or_default().to_string())
            .or_default()
            .push(e["seq"].as_u64().unwrap());
    }
    let (st, body) = http(&srv.addr, "GET", "/api/v1/patients", Some(&db.token), None).unwrap();
    assert_eq!(st, 200, "{body}");
    let mut patients: HashMap<String, Vec<String>> = HashMap::new();
    for p in json(&body).as_array().unwrap() {
        patients
            .entry(p["display_name"].as_str().unwrap_or_default().to_string())
            .or_default()
            .push(p["id"].as_str().unwrap().to_string());
    }
    let (mut acked_j, mut acked_p, mut ambiguous) = (0, 0, 0);
    let mut refusals: HashMap<String, usize> = HashMap::new();
    for e in &events {
        let found: Vec<String> = match &e.write {
            Write::Journal(m) => journal
                .get(m)
                .map(|v| v.iter().map(u64::to_string).collect())
                .unwrap_or_default(),
            Write::Patient(n) => patients.get(n).cloned().unwrap_or_default(),
        };
        match &e.outcome {
            Outcome::Acked(id) => {
                assert_eq!(
                    found,
                    std::slice::from_ref(id),
                    "acknowledged write {:?} (n° or id {id}) lost, changed or doubled",
                    e.write
                );
                match e.write {
                    Write::Journal(_) => acked_j += 1,
                    Write::Patient(_) => acked_p += 1,
                }
            }
            Outcome::Refused(st, what) => {
                assert!(found.len() <= 1, "{:?} recorded twice", e.write);
                // What the refusal said must be true: a write whose answer
                // was lost (a register row, or a journal batch whose COMMIT
                // broke) is settled by the store, on a primary, before it
                // says that nothing was recorded.
                let said_nothing = what.contains("rien n’a été enregistré");
                if !found.is_empty() && said_nothing {
                    let k = kills_at.iter().rposition(|k| *k <= e.begun);
                    let seen = format!(
                        "{:?} refusé par le nœud {} avec « rien n’a été enregistré » mais enregistré, \
                         {:.2} s après l’arrêt {:?}, réponse en {:.2} s : {st} {what}",
                        e.write,
                        e.node,
                        k.map_or(0.0, |k| (e.begun - kills_at[k]).as_secs_f64()),
                        k.map(|k| k + 1),
                        (e.ended - e.begun).as_secs_f64()
                    );
                    panic!("{seen}");
                }
                ambiguous += found.len();
                *refusals.entry(format!("{st} {what}")).or_default() += 1;
            }
            Outcome::Cut(what) => {
                assert!(found.len() <= 1, "{:?} recorded twice", e.write);
                ambiguous += found.len();
                *refusals.entry(format!("coupure : {what}")).or_default() += 1;
            }
        }
    }
    let verified = assert_intact(srv, &db);
    // When a refusal other than 503 came, and what the nodes logged: for the report.
    for e in &events {
        if let Outcome::Refused(st, what) = &e.outcome {
            if *st != 503 {
                let k = kills_at.iter().rposition(|k| *k <= e.begun);
                eprintln!(
                    "bascule: nœud {} refus {st} {:.2} s après l’arrêt {:?} : {what}",
                    e.node,
                    k.map_or(0.0, |k| (e.begun - kills_at[k]).as_secs_f64()),
                    k.map(|k| k + 1)
                );
            }
        }
    }
    for (i, s) in servers.iter().enumerate() {
        for l in s
            .log()
            .lines()
            .filter(|l| !l.contains("ne répond pas"))
            .take(20)
        {
            eprintln!("bascule: journal du nœud {i} : {l}");
        }
    }
    drop(servers);
    cli_verify(&db);

    let mut seen: Vec<_> = refusals.into_iter().collect();
    seen.sort_by_key(|s| std::cmp::Reverse(s.1));
    eprintln!(
        "bascule: {version} — {} arrêts brutaux du primaire (SIGKILL) sous la charge de deux nœuds \
         (2 clients API et 1 formulaire web chacun) ; {acked_j} entrées de journal et {acked_p} \
         patients acquittés, tous retrouvés une fois ; journal intact ({} entrées) ; mise en place {:.1} s, \
         total {:.1} s",
        rounds.len(),
        verified["entries"],
        setup.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    for (i, r) in rounds.iter().enumerate() {
        eprintln!(
            "bascule: arrêt {} — promu en {:.2} s, ancien primaire reconstruit (pg_rewind) et synchrone \
             en {:.2} s, écritures refusées {}, premier refus → première écriture acquittée {:.2} s",
            i + 1,
            r.promoted,
            r.rebuilt,
            r.refusals,
            r.recovered
        );
    }
    eprintln!("bascule: réponses autres que 2xx vues par les clients (nombre) :");
    for (what, n) in &seen {
        eprintln!("bascule:   {n} × {what}");
    }
    eprintln!(
        "bascule: {ambiguous} écriture(s) refusée(s) ou coupée(s) pourtant enregistrée(s) (validation \
         interrompue par l’arrêt du primaire)"
    );
    // What the clients saw during the switch: a 503 in French (the API's
    // says nothing was recorded and to retry; the web's is the page
    // « Service indisponible »), never an internal error, a false « journal
    // altéré » nor a cut connection.
    for (what, _) in &seen {
        assert!(
            what.starts_with(
                "503 unavailable : La base de données ne répond pas : rien n’a été enregistré"
            ) || what.starts_with("503 page « Service indisponible"),
            "during the switch a client saw: {what}"
        );
    }
}
