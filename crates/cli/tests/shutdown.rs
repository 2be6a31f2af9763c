//! `sceau serve` stops on SIGTERM without dropping the request in flight
//! (issue 17): a request whose body is still arriving when the signal
//! comes is answered 200, new connections are refused, and the process
//! exits 0. Its log lines are JSON objects under `--log-format json`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn sigterm_finishes_the_request_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let addr = format!("127.0.0.1:{}", free_port());
    let mut child = Command::new(env!("CARGO_BIN_EXE_sceau"))
        .args([
            "serve",
            "--listen",
            &addr,
            "--log-format",
            "json",
            "--data-dir",
        ])
        .arg(dir.path())
        .env_remove("SCEAU_DATABASE_URL")
        .env("SCEAU_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    while TcpStream::connect(&addr).is_err() {
        assert!(
            t0.elapsed() < Duration::from_secs(20),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // A request under way: its head and half its body are sent…
    let body = br#"{"recipient": "procureur"}"#;
    let mut slow = TcpStream::connect(&addr).unwrap();
    write!(
        slow,
        "POST /api/v1/decisions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    slow.write_all(&body[..10]).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    // …when the signal comes.
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    std::thread::sleep(Duration::from_millis(500));
    // No new connection is taken.
    assert!(
        TcpStream::connect(&addr).is_err(),
        "the server still accepts connections after SIGTERM"
    );
    slow.write_all(&body[10..]).unwrap();
    let mut answer = String::new();
    slow.set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    slow.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"verdict\""), "{answer}");
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    // Every log line but the console notice of the first start is JSON.
    let mut json_lines = 0;
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        if line.starts_with("Premier démarrage") {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(v["level"].is_string() && v["fields"].is_object(), "{line}");
        json_lines += 1;
        if v["fields"]["route"] == "/api/v1/decisions" {
            assert_eq!(v["fields"]["status"], 200, "{line}");
        }
    }
    assert!(json_lines >= 3, "{json_lines} JSON lines");
}
