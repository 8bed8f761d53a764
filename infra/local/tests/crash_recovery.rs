//! `kill -9` of the local server in the middle of a bulk job: after a restart on the
//! same `DATA_DIR`, the job completes with every item exactly once.
//!
//! Runs the real `gs1-codes` binary, as `make run` does, and talks to it over HTTP on
//! loopback with a few lines of blocking HTTP/1.1 (one request per connection).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `gs1-codes serve` and waits for `listening on`.
fn serve(data: &std::path::Path, port: u16) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gs1-codes"))
        .arg("serve")
        .env("DATA_DIR", data)
        .env("PORT", port.to_string())
        .env("RATE_LIMIT_PER_MINUTE", "100000")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the gs1-codes binary starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        match lines.next() {
            Some(Ok(l)) if l.starts_with("listening on") => return child,
            Some(Ok(_)) => continue,
            _ => break,
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not start");
}

/// One request; (status, body).
fn call(port: u16, method: &str, path: &str, key: &str, body: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\nconnection: close\r\n\
         x-api-key: {key}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head[9..12].parse().unwrap();
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    (status, body)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let eol = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..eol]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 4 + size..];
    }
}

fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body).unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(body)))
}

#[test]
fn a_bulk_job_survives_kill_9_and_completes_after_a_restart() {
    let data = std::env::temp_dir().join(format!("gs1codes-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let port = free_port();
    let mut server = serve(&data, port);
    let key = String::from_utf8(
        Command::new(env!("CARGO_BIN_EXE_gs1-codes"))
            .arg("key")
            .env("DATA_DIR", &data)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .to_string();

    // GIVEN a job long enough to be caught midway (large PNGs)
    let n = 3000;
    let items: Vec<String> = (1..=n)
        .map(|i| format!(r#"{{"serial": "S{i}"}}"#))
        .collect();
    let body = format!(
        r#"{{"gtin": "09501101020917", "format": "png", "size": 2000, "items": [{}]}}"#,
        items.join(",")
    );
    let (status, reply) = call(port, "POST", "/products/api/v1/qr/bulk/", &key, &body);
    assert_eq!(status, 202, "{}", String::from_utf8_lossy(&reply));
    let poll = json(&reply)["poll_url"].as_str().unwrap().to_string();

    // WHEN the server is killed (SIGKILL) while the task is running
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let v = json(&call(port, "GET", &poll, &key, "").1);
        // Midway: some items rendered and uploaded in parts, not all.
        if v["status"] == "running" && v["done"].as_u64().unwrap_or(0) > 0 {
            break;
        }
        assert!(
            v["status"] == "pending" || v["status"] == "running",
            "ended before the kill: {v}"
        );
        assert!(Instant::now() < deadline, "never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    server.kill().unwrap();
    server.wait().unwrap();

    // THEN after a restart the job completes, every item once
    let port = free_port();
    let mut server = serve(&data, port);
    let deadline = Instant::now() + Duration::from_secs(300);
    let done = loop {
        let v = json(&call(port, "GET", &poll, &key, "").1);
        if v["status"] == "completed" || v["status"] == "failed" {
            break v;
        }
        assert!(Instant::now() < deadline, "did not complete: {v}");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["done"], n);
    let url = done["download_url"].as_str().unwrap();
    let path = &url[url.find("/local/").unwrap()..];
    let (status, zip_bytes) = call(port, "GET", path, "", "");
    assert_eq!(status, 200);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let names: std::collections::HashSet<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), n + 1, "every item once, and the manifest");
    let mut manifest = String::new();
    zip.by_name("manifest.csv")
        .unwrap()
        .read_to_string(&mut manifest)
        .unwrap();
    assert_eq!(manifest.lines().count(), n + 1);
    server.kill().unwrap();
    server.wait().unwrap();
    let _ = std::fs::remove_dir_all(&data);
}
