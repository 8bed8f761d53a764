//! What the process-level tests share: the real `gs1-codes` binary started as `make run`
//! starts it, and a few lines of blocking HTTP/1.1 (one request per connection) to
//! talk to it on loopback, which survive the server dying mid-request.
#![allow(dead_code)] // each test binary uses its own part

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_gs1-codes");

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A fresh, empty data directory for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gs1codes-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// `gs1-codes serve` on `port` over `data`, with generous rate limits.
pub fn serve_command(data: &Path, port: u16) -> Command {
    let mut c = Command::new(BIN);
    c.arg("serve")
        .env("DATA_DIR", data)
        .env("PORT", port.to_string())
        .env("RATE_LIMIT_PER_MINUTE", "1000000")
        .env("RATE_LIMIT_PER_DAY", "100000000");
    c
}

/// A started server process, killed (SIGKILL) when dropped, so a failing test leaves
/// no server behind.
pub struct Running(Child);

impl Running {
    /// The process id.
    pub fn id(&self) -> u32 {
        self.0.id()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Spawns `command` (a server) and waits for `listening on`; panics with its stderr if
/// it does not start within 60 s.
pub fn start(command: Command) -> Running {
    start_reading(command).0
}

/// [`start`], also returning the lines the server printed before `listening on` (a
/// first start prints its API key there).
pub fn start_reading(mut command: Command) -> (Running, Vec<String>) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the gs1-codes binary starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        match lines.next() {
            Some(Ok(l)) if l.starts_with("listening on") => {
                // Keep draining stdout so the server never blocks on a full pipe.
                std::thread::spawn(move || lines.for_each(drop));
                return (Running(child), printed);
            }
            Some(Ok(l)) => printed.push(l),
            _ => break,
        }
    }
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    panic!(
        "the server did not start: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `gs1-codes serve` over `data`, started.
pub fn serve(data: &Path, port: u16) -> Running {
    start(serve_command(data, port))
}

/// SIGKILL, as `kill -9`: no destructor, no flush, no shutdown hook runs.
pub fn kill_9(server: Running) {
    drop(server);
}

/// A new key in `data` (`gs1-codes key`).
pub fn new_key(data: &Path) -> String {
    let out = Command::new(BIN)
        .arg("key")
        .env("DATA_DIR", data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// One request: (status, body), or `None` when the connection broke before a whole
/// answer came (the server died).
pub fn try_call(
    port: u16,
    method: &str,
    path: &str,
    key: &str,
    body: &str,
) -> Option<(u16, Vec<u8>)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\nconnection: close\r\n\
         x-api-key: {key}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head.get(9..12)?.parse().ok()?;
    let mut body = raw[split + 4..].to_vec();
    let lower = head.to_ascii_lowercase();
    if lower.contains("transfer-encoding: chunked") {
        body = dechunk(&body)?;
    } else if let Some(len) = lower
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
    {
        if body.len() != len {
            return None;
        }
    }
    Some((status, body))
}

/// [`try_call`] that must be answered.
pub fn call(port: u16, method: &str, path: &str, key: &str, body: &str) -> (u16, Vec<u8>) {
    try_call(port, method, path, key, body)
        .unwrap_or_else(|| panic!("{method} {path}: no complete answer"))
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = data.windows(2).position(|w| w == b"\r\n")?;
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..eol]).ok()?.trim(), 16).ok()?;
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(eol + 2..eol + 2 + size)?);
        data = data.get(eol + 4 + size..)?;
    }
}

pub fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body).unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(body)))
}

/// Polls `poll` until the task ends (bounded by `limit`); its last status.
pub fn wait_for_task(port: u16, key: &str, poll: &str, limit: Duration) -> serde_json::Value {
    let deadline = Instant::now() + limit;
    loop {
        let v = json(&call(port, "GET", poll, key, "").1);
        if v["status"] == "completed" || v["status"] == "failed" {
            return v;
        }
        assert!(Instant::now() < deadline, "did not end in {limit:?}: {v}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Every capture of a session, through the spec's pagination (page size 100).
pub fn all_captures(port: u16, key: &str, session: &str) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for page in 1.. {
        let path = format!("/scanner/api/v1/sessions/{session}/captures?page={page}&page_size=100");
        let (status, body) = call(port, "GET", &path, key, "");
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        let v = json(&body);
        out.extend(v["data"].as_array().cloned().unwrap_or_default());
        if v["pagination"]["has_next"] != true {
            return out;
        }
    }
    unreachable!()
}
