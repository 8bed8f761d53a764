//! Scan sessions and products over real HTTP: the session cookie, who may see a
//! session, closing, and product lookup by any GTIN length.

use e2e::Server;

const SESSIONS: &str = "/scanner/api/v1/sessions";

/// Opens a session with this server's key: (public_id, the `sessionid` cookie value).
async fn open(s: &Server) -> (String, String) {
    let r = s.call("POST", SESSIONS, None).await;
    r.expect(201);
    let cookie = r
        .header("set-cookie")
        .expect("a sessionid cookie")
        .to_string();
    for attr in ["HttpOnly", "Secure", "SameSite=Lax"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    let value = cookie
        .strip_prefix("sessionid=")
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_string();
    let v = r.json();
    assert_eq!(v["status"], "open");
    (v["public_id"].as_str().unwrap().to_string(), value)
}

#[tokio::test]
async fn a_session_is_seen_by_its_key_and_its_cookie_only() {
    let s = Server::start().await;
    let (id, cookie) = open(&s).await;
    let path = format!("{SESSIONS}/{id}");
    // 0: the key that opened it
    s.call("GET", &path, None).await.expect(200);
    // 1: its cookie, without a key
    let c = format!("sessionid={cookie}");
    let r = s.raw("GET", &path, &[("cookie", &c)], None).await;
    assert_eq!(r.status, 200);
    // 2: another session's cookie
    let (_, other_cookie) = open(&s).await;
    let c2 = format!("sessionid={other_cookie}");
    assert_eq!(
        s.raw("GET", &path, &[("cookie", &c2)], None).await.status,
        404
    );
    // 3: another key
    let other_key = {
        let (app, _) = gs1_local::open_app(&s.data_dir).await.unwrap();
        gs1_local::new_key(&app).await.unwrap()
    };
    let r = s
        .raw("GET", &path, &[("x-api-key", &other_key)], None)
        .await;
    assert_eq!(r.status, 404);
    // 4: nothing
    assert_eq!(s.raw("GET", &path, &[], None).await.status, 401);
    // 5: a cookie cannot open a session
    let r = s.raw("POST", SESSIONS, &[("cookie", &c)], None).await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn a_session_closes_once() {
    let s = Server::start().await;
    let (id, _) = open(&s).await;
    let close = format!("{SESSIONS}/{id}/close");
    let v = s.call("POST", &close, None).await.expect(200).json();
    assert_eq!(v["status"], "closed");
    assert!(v["closed"].is_string());
    let r = s.call("POST", &close, None).await;
    assert_eq!(r.status, 409);
    assert_eq!(r.json()["error_code"], "conflict");
    assert_eq!(
        s.call("POST", &format!("{SESSIONS}/nope/close"), None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn products_are_found_by_any_gtin_length() {
    let s = Server::start().await;
    // The demo products a fresh local store starts with.
    {
        let (app, _) = gs1_local::open_app(&s.data_dir).await.unwrap();
        gs1_local::import_products_from(&app, gs1_local::SEED_PRODUCTS.as_bytes(), "seed")
            .await
            .unwrap();
    }
    for (i, gtin) in ["9501101020917", "09501101020917", "0 9501101 02091 7"]
        .into_iter()
        .enumerate()
    {
        let path = format!("/products/api/v1/products/{}/", gtin.replace(' ', "%20"));
        let v = s.call("GET", &path, None).await.expect(200).json();
        assert_eq!(v["gtin"], "09501101020917", "row {i}");
        assert_eq!(v["public_id"], "prod_09501101020917", "row {i}");
    }
    // EAN-8, UPC-A
    let v = s
        .call("GET", "/products/api/v1/products/95011011/", None)
        .await
        .expect(200)
        .json();
    assert_eq!(v["gtin"], "00000095011011");
    s.call("GET", "/products/api/v1/products/012345678905/", None)
        .await
        .expect(200);
    // unknown, and not a GTIN
    assert_eq!(
        s.call("GET", "/products/api/v1/products/4000000000006/", None)
            .await
            .status,
        404
    );
    let (loc, rule, _) = s
        .call("GET", "/products/api/v1/products/9501101020918/", None)
        .await
        .first_error();
    assert_eq!((loc.as_str(), rule.as_str()), ("path.gtin", "csum"));
}

const CAPTURES: &str = "/scanner/api/v1/captures";

/// A server with the demo products and an open session: (server, session id, cookie).
async fn scanning() -> (Server, String, String) {
    let s = Server::start().await;
    {
        let (app, _) = gs1_local::open_app(&s.data_dir).await.unwrap();
        gs1_local::import_products_from(&app, gs1_local::SEED_PRODUCTS.as_bytes(), "seed")
            .await
            .unwrap();
    }
    let (id, cookie) = open(&s).await;
    (s, id, cookie)
}

fn capture_body(session: &str, raw: &str) -> String {
    serde_json::json!({"session_public_id": session, "capture_type": "BARCODE", "raw_value": raw})
        .to_string()
}

#[tokio::test]
async fn every_scan_is_stored_with_what_it_means() {
    let (s, session, _) = scanning().await;
    let rows: [(&str, &str, &str, Option<&str>); 8] = [
        // 0: an EAN-13 of a demo product, as a scanner sends it
        ("]E09501101020917", "MATCHED", "09501101020917", None),
        // 1: GS1-128 with GS, the GTIN a known product
        (
            "]C101095011010209171727063010LOT1",
            "MATCHED",
            "09501101020917",
            Some("270630"),
        ),
        // 2: a Digital Link behind a prefix that holds /01/ itself
        (
            "]Q1https://shop.example.com/01/x/01/00012345678905/10/ABC?17=270630",
            "MATCHED",
            "00012345678905",
            Some("270630"),
        ),
        // 3: an unknown GTIN
        ("4000000000006", "NOT_FOUND", "04000000000006", None),
        // 4: an SSCC: valid, no GTIN
        ("]C100095011010000000018", "NOT_FOUND", "", None),
        // 5: a bad check digit is kept, as ERROR
        ("9501101020918", "ERROR", "", None),
        // 6: a month 13
        (
            "]C1010950110102091717271399",
            "ERROR",
            "09501101020917",
            None,
        ),
        // 7: plain text
        ("]Q1hello", "ERROR", "", None),
    ];
    for (i, (raw, status, gtin, expiry)) in rows.into_iter().enumerate() {
        let r = s
            .call("POST", CAPTURES, Some(&capture_body(&session, raw)))
            .await;
        r.expect(201);
        let v = r.json();
        assert_eq!(v["status"], status, "row {i}: {v}");
        assert_eq!(v["gtin"], gtin, "row {i}: {v}");
        assert_eq!(v["raw_value"], raw, "row {i}");
        assert!(v["processed_at"].is_string(), "row {i}");
        if let Some(e) = expiry {
            assert_eq!(v["gs1_dl_data"]["17"], e, "row {i}: {v}");
        }
        if status == "MATCHED" {
            assert!(
                v["product_name"].as_str().unwrap().starts_with("Demo")
                    || v["product_name"].as_str().unwrap().starts_with("GS1"),
                "row {i}: {v}"
            );
        }
        if status == "ERROR" {
            assert!(v["error_message"].is_string(), "row {i}: {v}");
        }
        // Read back by id.
        let id = v["public_id"].as_str().unwrap();
        let back = s
            .call("GET", &format!("{CAPTURES}/{id}"), None)
            .await
            .expect(200)
            .json();
        assert_eq!(back, v, "row {i}");
    }
}

#[tokio::test]
async fn a_capture_that_contradicts_itself_or_a_closed_session_is_refused() {
    let (s, session, cookie) = scanning().await;
    // 0: a gtin that the raw value does not carry
    let body = serde_json::json!({"session_public_id": session, "capture_type": "MANUAL",
        "raw_value": "9501101020917", "gtin": "00012345678905"});
    let (loc, rule, _) = s
        .call("POST", CAPTURES, Some(&body.to_string()))
        .await
        .first_error();
    assert_eq!(
        (loc.as_str(), rule.as_str()),
        ("body.gtin", "contradicts_raw_value")
    );
    // 1: gs1_dl_data that disagrees
    let body = serde_json::json!({"session_public_id": session, "capture_type": "BARCODE",
        "raw_value": "]C101095011010209171727063010LOT1", "gs1_dl_data": {"10": "LOT2"}});
    let (loc, rule, _) = s
        .call("POST", CAPTURES, Some(&body.to_string()))
        .await
        .first_error();
    assert_eq!(
        (loc.as_str(), rule.as_str()),
        ("body.gs1_dl_data.10", "contradicts_raw_value")
    );
    // 2: spec bounds
    let body =
        serde_json::json!({"session_public_id": session, "capture_type": "PHOTO", "raw_value": ""});
    let r = s.call("POST", CAPTURES, Some(&body.to_string())).await;
    assert_eq!(r.status, 422);
    // 3: the session's cookie works instead of a key
    let c = format!("sessionid={cookie}");
    let r = s
        .raw(
            "POST",
            CAPTURES,
            &[("cookie", &c), ("content-type", "application/json")],
            Some(&capture_body(&session, "9501101020917")),
        )
        .await;
    assert_eq!(r.status, 201);
    // 4: another session's id with this cookie is a 404
    let (other, _) = open(&s).await;
    let r = s
        .raw(
            "POST",
            CAPTURES,
            &[("cookie", &c), ("content-type", "application/json")],
            Some(&capture_body(&other, "9501101020917")),
        )
        .await;
    assert_eq!(r.status, 404);
    // 5: a closed session is a 409
    s.call("POST", &format!("{SESSIONS}/{session}/close"), None)
        .await
        .expect(200);
    let r = s
        .call(
            "POST",
            CAPTURES,
            Some(&capture_body(&session, "9501101020917")),
        )
        .await;
    assert_eq!(r.status, 409);
}

#[tokio::test]
async fn a_sessions_captures_come_in_pages() {
    let (s, session, _) = scanning().await;
    for i in 0..5 {
        let raw = format!("]C1010950110102091721S{i}");
        s.call("POST", CAPTURES, Some(&capture_body(&session, &raw)))
            .await
            .expect(201);
    }
    let path = format!("{SESSIONS}/{session}/captures?page=2&page_size=2");
    let v = s.call("GET", &path, None).await.expect(200).json();
    assert_eq!(v["data"].as_array().unwrap().len(), 2);
    assert_eq!(v["data"][0]["gs1_dl_data"]["21"], "S2");
    let p = &v["pagination"];
    assert_eq!(
        (
            p["page"].as_u64(),
            p["page_size"].as_u64(),
            p["total_count"].as_u64(),
            p["total_pages"].as_u64()
        ),
        (Some(2), Some(2), Some(5), Some(3))
    );
    assert_eq!(
        (p["has_next"].as_bool(), p["has_previous"].as_bool()),
        (Some(true), Some(true))
    );
    let (loc, rule, _) = s
        .call(
            "GET",
            &format!("{SESSIONS}/{session}/captures?page_size=101"),
            None,
        )
        .await
        .first_error();
    assert_eq!(
        (loc.as_str(), rule.as_str()),
        ("query.page_size", "less_than_equal")
    );
}
