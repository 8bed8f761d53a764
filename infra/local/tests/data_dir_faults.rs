//! A `DATA_DIR` that is full or read-only: a clear error at start, or a 503 problem
//! while serving, and never damaged data; once space or write access is back, the
//! server carries on with everything it acknowledged.
//!
//! Each test gives the real `gs1-codes` binary a small tmpfs of its own as `DATA_DIR`,
//! in a private mount namespace (`unshare -m`, which needs root or user namespaces, as
//! CI and a developer machine have); the test reaches that mount through
//! `/proc/<pid>/root`. A read-only remount under a running server is not tested: the
//! kernel refuses it (EBUSY) while SQLite holds its file open for writing, so a
//! DATA_DIR turns read-only only between runs, which the start-up test covers.

mod common;

use common::{call, free_port, json, kill_9, start_reading, try_call, BIN};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// `sh -c script` in a new mount namespace, with a tmpfs of `size` on `$D` (=`dir`).
fn in_tmpfs(dir: &Path, size: &str, script: &str) -> Command {
    std::fs::create_dir_all(dir).unwrap();
    let mut c = Command::new("unshare");
    c.args(["--mount", "--propagation", "private", "sh", "-euc"])
        .arg(format!(
            "mount -t tmpfs -o size={size} tmpfs \"$D\"\n{script}"
        ))
        .env("D", dir)
        .env("BIN", BIN)
        .env("DATA_DIR", dir)
        .env("RATE_LIMIT_PER_MINUTE", "1000000")
        .env("RATE_LIMIT_PER_DAY", "100000000");
    c
}

/// `path` inside the mount namespace of process `pid`.
fn seen_by(pid: u32, path: &Path) -> PathBuf {
    Path::new(&format!("/proc/{pid}/root")).join(path.strip_prefix("/").unwrap())
}

/// The key a first start printed on its stdout (`Created an API key ...: <key>`).
fn printed_key(printed: &[String]) -> String {
    printed
        .iter()
        .find_map(|l| {
            l.strip_prefix("Created an API key")
                .and_then(|l| l.rsplit(' ').next())
        })
        .unwrap_or_else(|| panic!("no key printed: {printed:?}"))
        .to_string()
}

/// SQLite's own verdict on the database in `dir` of process `pid`. SQLite resolves
/// symbolic links in a file name (and `/proc/<pid>/root` is one), which would open the
/// file outside the namespace: so the database and its WAL are copied out first (the
/// server is idle while this runs).
fn integrity(pid: u32, dir: &Path) -> String {
    let copy = common::temp_dir(&format!("integrity-{pid}"));
    std::fs::create_dir_all(&copy).unwrap();
    for file in ["gs1codes.sqlite3", "gs1codes.sqlite3-wal"] {
        let from = seen_by(pid, &dir.join(file));
        if from.exists() {
            std::fs::copy(&from, copy.join(file)).unwrap();
        }
    }
    let conn = rusqlite::Connection::open(copy.join("gs1codes.sqlite3")).unwrap();
    let verdict = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    drop(conn);
    let _ = std::fs::remove_dir_all(&copy);
    verdict
}

fn capture(port: u16, key: &str, session: &str, i: usize) -> Option<(u16, Vec<u8>)> {
    let body = serde_json::json!({
        "session_public_id": session, "capture_type": "BARCODE",
        "raw_value": format!("https://id.gs1.org/01/09501101020917/21/F{i}")
    })
    .to_string();
    try_call(port, "POST", "/scanner/api/v1/captures", key, &body)
}

fn assert_503_problem(status: u16, body: &[u8], what: &str) {
    assert_eq!(status, 503, "{what}: {}", String::from_utf8_lossy(body));
    let v = json(body);
    assert_eq!(v["status"], 503, "{what}: {v}");
    assert!(
        v["detail"].as_str().unwrap().contains("Storage"),
        "{what}: {v}"
    );
}

#[test]
fn a_read_only_data_dir_is_a_clear_error_at_start() {
    for (case, script) in [
        // an empty, read-only DATA_DIR: no database can be created
        ("empty", "mount -o remount,ro \"$D\"\nexec \"$BIN\" serve"),
        // a DATA_DIR with a database, turned read-only
        (
            "existing",
            "\"$BIN\" key >/dev/null\nmount -o remount,ro \"$D\"\nexec \"$BIN\" serve",
        ),
    ] {
        let dir = common::temp_dir(&format!("ro-{case}"));
        let out = in_tmpfs(&dir, "8m", script)
            .env("PORT", free_port().to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success(),
            "{case}: started on a read-only DATA_DIR"
        );
        assert!(
            stderr.contains("cannot open DATA_DIR") && stderr.contains(dir.to_str().unwrap()),
            "{case}: {stderr}"
        );
        assert!(
            stderr.contains("read-only")
                || stderr.contains("readonly")
                || stderr.contains("unable to open"),
            "{case}: {stderr}"
        );
        assert_eq!(
            stderr.trim().lines().count(),
            1,
            "{case}: one line, no trace: {stderr}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Starts a server on its own tmpfs; (server, its pid, port, key, session).
fn small_server(name: &str, size: &str) -> (common::Running, u32, u16, String, String, PathBuf) {
    let dir = common::temp_dir(name);
    let port = free_port();
    let (server, printed) = start_reading({
        let mut c = in_tmpfs(&dir, size, "exec \"$BIN\" serve");
        c.env("PORT", port.to_string());
        c
    });
    let pid = server.id();
    let key = printed_key(&printed);
    let (status, body) = call(port, "POST", "/scanner/api/v1/sessions", &key, "");
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
    let session = json(&body)["public_id"].as_str().unwrap().to_string();
    (server, pid, port, key, session, dir)
}

#[test]
fn a_full_data_dir_is_a_503_then_everything_acknowledged_is_kept() {
    let (server, pid, port, key, session, dir) = small_server("full", "8m");
    for i in 0..20 {
        assert_eq!(capture(port, &key, &session, i).unwrap().0, 201);
    }
    // GIVEN the DATA_DIR's file system filled to the last byte
    let filler = seen_by(pid, &dir.join("filler"));
    let mut f = std::fs::File::create(&filler).unwrap();
    let block = vec![0u8; 64 * 1024];
    let full = loop {
        if let Err(e) = std::io::Write::write_all(&mut f, &block) {
            break e;
        }
    };
    assert_eq!(full.kind(), std::io::ErrorKind::StorageFull, "{full}");
    drop(f);

    // WHEN writes come: a bulk job (a new object) and more captures
    let job = r#"{"gtin": "09501101020917", "format": "svg", "items": [{"serial": "A1"}, {"serial": "A2"}]}"#;
    let (status, body) = call(port, "POST", "/products/api/v1/qr/bulk/", &key, job);
    // THEN the job is a 503 problem (nothing was queued) ...
    assert_503_problem(status, &body, "bulk job on a full disk");
    // ... and a capture is stored (SQLite reuses its WAL's pages) or a 503 problem
    let mut acknowledged = 20;
    let mut refused = 0;
    for i in 20..60 {
        let (status, body) = capture(port, &key, &session, i).expect("an answer");
        match status {
            201 => acknowledged += 1,
            _ => {
                assert_503_problem(status, &body, "capture on a full disk");
                refused += 1;
            }
        }
    }
    println!(
        "on the full disk: {} captures stored, {refused} refused with a 503",
        acknowledged - 20
    );
    // AND the database is whole
    assert_eq!(integrity(pid, &dir), "ok");

    // WHEN space is back THEN writes work again and nothing acknowledged is lost
    std::fs::remove_file(&filler).unwrap();
    let (status, body) = call(port, "POST", "/products/api/v1/qr/bulk/", &key, job);
    assert_eq!(status, 202, "{}", String::from_utf8_lossy(&body));
    let poll = json(&body)["poll_url"].as_str().unwrap().to_string();
    let done = common::wait_for_task(port, &key, &poll, Duration::from_secs(60));
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(capture(port, &key, &session, 60).unwrap().0, 201);
    let stored = common::all_captures(port, &key, &session);
    assert_eq!(stored.len(), acknowledged + 1);
    assert_eq!(integrity(pid, &dir), "ok");
    kill_9(server);
    let _ = std::fs::remove_dir_all(&dir);
}
