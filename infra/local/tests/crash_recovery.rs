//! `kill -9` of the local server (what `make run` runs) in the middle of its work: after
//! a restart on the same `DATA_DIR`, a bulk job completes with every item exactly once,
//! and every capture the server acknowledged is there, none twice.
//!
//! Runs the real `gs1-codes` binary and talks to it over HTTP on loopback.

mod common;

use common::{all_captures, call, json, kill_9, new_key, serve, temp_dir, try_call, wait_for_task};
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[test]
fn a_5000_item_bulk_job_survives_kill_9_and_completes_after_a_restart() {
    let data = temp_dir("crash-bulk");
    let port = common::free_port();
    let server = serve(&data, port);
    let key = new_key(&data);

    // GIVEN a 5000-item job
    let n = 5000;
    let items: Vec<String> = (1..=n)
        .map(|i| format!(r#"{{"serial": "S{i}"}}"#))
        .collect();
    let body = format!(
        r#"{{"gtin": "09501101020917", "format": "png", "size": 600, "items": [{}]}}"#,
        items.join(",")
    );
    let (status, reply) = call(port, "POST", "/products/api/v1/qr/bulk/", &key, &body);
    assert_eq!(status, 202, "{}", String::from_utf8_lossy(&reply));
    let poll = json(&reply)["poll_url"].as_str().unwrap().to_string();

    // WHEN the server is killed (SIGKILL) while the task is running, midway
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let v = json(&call(port, "GET", &poll, &key, "").1);
        if v["status"] == "running" && v["done"].as_u64().unwrap_or(0) > 0 {
            assert!(
                v["done"].as_u64().unwrap() < n as u64,
                "ended before the kill: {v}"
            );
            break;
        }
        assert!(
            v["status"] == "pending" || v["status"] == "running",
            "ended before the kill: {v}"
        );
        assert!(Instant::now() < deadline, "never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    kill_9(server);

    // THEN after a restart the job completes, every item once
    let port = common::free_port();
    let server = serve(&data, port);
    let done = wait_for_task(port, &key, &poll, Duration::from_secs(600));
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["done"], n);
    let url = done["download_url"].as_str().unwrap();
    let path = &url[url.find("/local/").unwrap()..];
    let (status, zip_bytes) = call(port, "GET", path, "", "");
    assert_eq!(status, 200);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let names: HashSet<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    assert_eq!(zip.len(), n + 1, "every item once, and the manifest");
    assert_eq!(names.len(), n + 1, "no entry twice");
    let mut manifest = String::new();
    zip.by_name("manifest.csv")
        .unwrap()
        .read_to_string(&mut manifest)
        .unwrap();
    assert_eq!(manifest.lines().count(), n + 1);
    let serials: HashSet<&str> = manifest
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(3)) // file, gtin, lot, serial, ...
        .collect();
    assert_eq!(serials.len(), n, "each serial once in the manifest");
    kill_9(server);
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn captures_survive_kill_9_mid_write_none_lost_none_doubled() {
    let data = temp_dir("crash-captures");
    let port = common::free_port();
    let server = serve(&data, port);
    let key = new_key(&data);
    let (status, body) = call(port, "POST", "/scanner/api/v1/sessions", &key, "");
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
    let session = json(&body)["public_id"].as_str().unwrap().to_string();

    // GIVEN a client posting captures one after the other, each a distinct serial
    let acknowledged = Arc::new(Mutex::new(HashMap::<String, String>::new()));
    let unanswered = Arc::new(Mutex::new(Vec::<String>::new()));
    let sent = Arc::new(AtomicUsize::new(0));
    let writer = {
        let (key, session) = (key.clone(), session.clone());
        let (acknowledged, unanswered, sent) = (
            Arc::clone(&acknowledged),
            Arc::clone(&unanswered),
            Arc::clone(&sent),
        );
        std::thread::spawn(move || {
            for i in 0.. {
                let raw = format!("https://id.gs1.org/01/09501101020917/21/K{i}");
                let body = serde_json::json!({
                    "session_public_id": session, "capture_type": "BARCODE", "raw_value": raw
                })
                .to_string();
                sent.fetch_add(1, Ordering::SeqCst);
                match try_call(port, "POST", "/scanner/api/v1/captures", &key, &body) {
                    Some((201, reply)) => {
                        let id = json(&reply)["public_id"].as_str().unwrap().to_string();
                        acknowledged.lock().unwrap().insert(id, raw);
                    }
                    Some((status, reply)) => {
                        panic!("capture {i}: {status} {}", String::from_utf8_lossy(&reply))
                    }
                    None => {
                        // The server is gone: this one may or may not be stored.
                        unanswered.lock().unwrap().push(raw);
                        return;
                    }
                }
            }
        })
    };
    // WHEN the server is killed (SIGKILL) while captures are being written
    let deadline = Instant::now() + Duration::from_secs(120);
    while acknowledged.lock().unwrap().len() < 300 {
        assert!(Instant::now() < deadline, "captures too slow");
        std::thread::sleep(Duration::from_millis(5));
    }
    kill_9(server);
    writer.join().unwrap();

    // THEN after a restart every acknowledged capture is there as acknowledged, no scan
    // is stored twice, and nothing is stored that was not sent
    let port = common::free_port();
    let server = serve(&data, port);
    let stored = all_captures(port, &key, &session);
    let acknowledged = acknowledged.lock().unwrap();
    let unanswered = unanswered.lock().unwrap();
    let mut raws = HashSet::new();
    for c in &stored {
        let raw = c["raw_value"].as_str().unwrap();
        assert!(raws.insert(raw.to_string()), "{raw} stored twice");
        let id = c["public_id"].as_str().unwrap();
        match acknowledged.get(id) {
            Some(sent_raw) => assert_eq!(sent_raw, raw, "{id}"),
            None => assert!(unanswered.iter().any(|u| u == raw), "{raw} was never sent"),
        }
    }
    for (id, raw) in acknowledged.iter() {
        assert!(
            stored.iter().any(|c| c["public_id"] == id.as_str()),
            "acknowledged capture {id} ({raw}) lost"
        );
    }
    assert!(stored.len() <= sent.load(Ordering::SeqCst));
    println!(
        "{} captures acknowledged before the kill, {} stored after the restart",
        acknowledged.len(),
        stored.len()
    );
    kill_9(server);
    let _ = std::fs::remove_dir_all(&data);
}
