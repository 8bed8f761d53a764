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
