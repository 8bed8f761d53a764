//! The bulk QR job over real HTTP on the local adapters: submit, poll to completed,
//! download the ZIP through its signed URL, and check every file, the manifest and a
//! sample of symbols with an independent decoder.

use e2e::{scan, Server};
use std::io::Read;

const BULK: &str = "/products/api/v1/qr/bulk/";

#[tokio::test]
async fn submit_poll_download_and_read_every_file() {
    let s = Server::start().await;
    let items: Vec<String> = (1..=30)
        .map(|i| {
            format!(
                r#"{{"lot": "LOT{}", "serial": "SN/{i}", "expiry": "270630"}}"#,
                i % 3
            )
        })
        .collect();
    let body = format!(
        r#"{{"gtin": "950-1101-020917", "items": [{}], "format": "png", "size": 200}}"#,
        items.join(",")
    );
    let r = s.call("POST", BULK, Some(&body)).await;
    r.expect(202);
    let v = r.json();
    let task_id = v["task_id"].as_str().unwrap().to_string();
    assert_eq!(v["status"], "pending");
    assert_eq!(v["count"], 30);
    let poll_url = format!("{BULK}{task_id}/");
    assert_eq!(v["poll_url"], poll_url);
    assert_eq!(r.header("location"), Some(poll_url.as_str()));

    let done = s.wait_for_task(&poll_url).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["done"], 30);
    assert!(done["finished"].is_string() && done["started"].is_string());
    let url = done["download_url"].as_str().unwrap();
    let zip_bytes = s.download(url).await;
    zip_bytes.expect(200);
    assert_eq!(zip_bytes.header("content-type"), Some("application/zip"));

    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes.body.clone())).unwrap();
    assert_eq!(zip.len(), 31, "30 PNGs and the manifest");
    let mut manifest = String::new();
    zip.by_name("manifest.csv")
        .unwrap()
        .read_to_string(&mut manifest)
        .unwrap();
    let mut rows = csv::Reader::from_reader(manifest.as_bytes());
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 30);
    for (i, row) in rows.iter().enumerate() {
        let n = i + 1;
        let file = format!("{n:04}_09501101020917_LOT{}_SN_{n}.png", n % 3);
        assert_eq!(&row[0], file, "row {i}");
        assert_eq!(&row[1], "09501101020917");
        assert_eq!(&row[3], format!("SN/{n}"));
        let uri = format!(
            "https://id.gs1.org/01/09501101020917/10/LOT{}/21/SN%2F{n}?17=270630",
            n % 3
        );
        assert_eq!(&row[5], uri, "row {i}");
        // Every third file is read back by an independent decoder.
        if i % 3 == 0 {
            let mut png = Vec::new();
            zip.by_name(&file).unwrap().read_to_end(&mut png).unwrap();
            assert_eq!(scan(&png).0, uri, "row {i}");
        }
    }
}

#[tokio::test]
async fn idempotency_key_returns_the_first_task() {
    let s = Server::start().await;
    let key = s.key.clone();
    let headers = [
        ("x-api-key", key.as_str()),
        ("content-type", "application/json"),
        ("idempotency-key", "order-42"),
    ];
    let body = r#"{"gtin": "09501101020917", "items": [{"serial": "A1"}], "format": "svg"}"#;
    let first = s.raw("POST", BULK, &headers, Some(body)).await;
    first.expect(202);
    let again = s.raw("POST", BULK, &headers, Some(body)).await;
    again.expect(202);
    assert_eq!(first.json()["task_id"], again.json()["task_id"]);
    // The same key with another body is refused.
    let other = r#"{"gtin": "09501101020917", "items": [{"serial": "B2"}], "format": "svg"}"#;
    let r = s.raw("POST", BULK, &headers, Some(other)).await;
    assert_eq!(r.first_error().1, "idempotency_key_reused");
    // A task is the key's own: another key cannot see it.
    let other_key = {
        let (app, _) = gs1_local::open_app(&s.data_dir).await.unwrap();
        gs1_local::new_key(&app).await.unwrap()
    };
    let poll = format!("{BULK}{}/", first.json()["task_id"].as_str().unwrap());
    let r = s
        .raw("GET", &poll, &[("x-api-key", &other_key)], None)
        .await;
    assert_eq!(r.status, 404);
    let done = s.wait_for_task(&poll).await;
    assert_eq!(done["status"], "completed", "{done}");
}

#[tokio::test]
async fn every_bad_item_is_named_by_its_index() {
    let s = Server::start().await;
    let rows = [
        // 0: the third item's lot is outside CSET 82
        (
            r#"{"gtin": "09501101020917", "items": [{"lot": "A"}, {"lot": "B"}, {"lot": "C D"}]}"#,
            "body.items.2.lot",
            "cset82",
        ),
        // 1: an expiry that is no date
        (
            r#"{"gtin": "09501101020917", "items": [{"expiry": "271399"}]}"#,
            "body.items.0.expiry",
            "yymmd0",
        ),
        // 2: an unknown item field
        (
            r#"{"gtin": "09501101020917", "items": [{"batch": "A"}]}"#,
            "body.items.0.batch",
            "extra_forbidden",
        ),
        // 3: no items
        (
            r#"{"gtin": "09501101020917", "items": []}"#,
            "body.items",
            "too_short",
        ),
        // 4: the spec's GTIN pattern
        (
            r#"{"gtin": "0950110102091A", "items": [{}]}"#,
            "body.gtin",
            "string_pattern_mismatch",
        ),
        // 5: a GTIN with a wrong check digit
        (
            r#"{"gtin": "09501101020918", "items": [{}]}"#,
            "body.gtin",
            "csum",
        ),
        // 6: size out of bounds
        (
            r#"{"gtin": "09501101020917", "items": [{}], "size": 10}"#,
            "body.size",
            "greater_than_equal",
        ),
    ];
    for (i, (body, loc, rule)) in rows.into_iter().enumerate() {
        let (l, r, msg) = s.call("POST", BULK, Some(body)).await.first_error();
        assert_eq!((l.as_str(), r.as_str()), (loc, rule), "row {i}: {msg}");
    }
    // The loc holds the index as a number, as pydantic writes it.
    let r = s
        .call(
            "POST",
            BULK,
            Some(r#"{"gtin": "09501101020917", "items": [{"lot": "C D"}]}"#),
        )
        .await;
    assert_eq!(
        r.json()["details"][0]["loc"],
        serde_json::json!(["body", "items", 0, "lot"])
    );
}
