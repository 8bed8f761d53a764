//! Rate limits and authentication over HTTP, on the local server: every keyed
//! route refuses a missing key, the headers on every status, exact admission
//! under concurrency, windows rolling over at a fixed clock, key tiers,
//! revocation and suspension taking effect at once, and failing closed.

use e2e::Server;
use gs1_local::keys::{run_on, KeyCommand};
use shared::api::clock::FixedClock;
use std::sync::Arc;

const DL: &str = "/products/api/v1/digital-link/";
const DL_BODY: &str = r#"{"uri": "https://id.gs1.org/01/09501101020917"}"#;

fn problem(r: &e2e::Reply, status: u16, code: &str) -> serde_json::Value {
    assert_eq!(r.status, status, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    let v = r.json();
    assert_eq!(v["error_code"], code, "{v}");
    v
}

/// Runs a key command on the server's store from a second handle, as
/// `gs1-codes key ...` does while `make run` serves.
async fn key_tool(s: &Server, command: KeyCommand) -> String {
    let (app, _) = gs1_local::open_app(&s.data_dir).await.unwrap();
    run_on(&app, command).await.unwrap().trim().to_owned()
}

async fn key_in_tier(s: &Server, tier: &str) -> String {
    key_tool(
        s,
        KeyCommand::Create {
            tier: tier.to_owned(),
        },
    )
    .await
}

async fn post_dl(s: &Server, key: &str) -> e2e::Reply {
    s.raw(
        "POST",
        DL,
        &[("x-api-key", key), ("content-type", "application/json")],
        Some(DL_BODY),
    )
    .await
}

#[tokio::test]
async fn every_keyed_route_without_a_key_is_a_401_problem() {
    let s = Server::start().await;
    let routes = [
        ("POST", "/products/api/v1/digital-link/"),
        ("POST", "/products/api/v1/barcode/"),
        ("POST", "/products/api/v1/barcode/signed-url/"),
        ("GET", "/products/api/v1/barcode/09501101020917.svg"),
        ("POST", "/products/api/v1/datamatrix/"),
        ("POST", "/products/api/v1/datamatrix/signed-url/"),
        ("GET", "/products/api/v1/datamatrix/09501101020917.png"),
        ("POST", "/products/api/v1/qr/"),
        ("POST", "/products/api/v1/qr/signed-url/"),
        ("GET", "/products/api/v1/qr/09501101020917.svg"),
        ("POST", "/products/api/v1/qr/bulk/"),
        ("GET", "/products/api/v1/qr/bulk/t_0123/"),
        ("POST", "/scanner/api/v1/sessions"),
        ("GET", "/scanner/api/v1/sessions/ses_0123"),
        ("POST", "/scanner/api/v1/sessions/ses_0123/close"),
        ("GET", "/scanner/api/v1/sessions/ses_0123/captures"),
        ("POST", "/scanner/api/v1/captures"),
        ("GET", "/scanner/api/v1/captures/cap_0123"),
        ("GET", "/products/api/v1/products/09501101020917/"),
    ];
    for (i, (method, path)) in routes.into_iter().enumerate() {
        let r = s
            .raw(
                method,
                path,
                &[("content-type", "application/json")],
                Some("{}"),
            )
            .await;
        let v = problem(&r, 401, "unauthorized");
        assert!(
            v["detail"].as_str().unwrap().contains("missing API key"),
            "row {i}: {method} {path}: {v}"
        );
        assert!(r.header("www-authenticate").is_some(), "row {i}");
        // A wrong key is refused the same way, before any store lookup.
        let forged = "csb_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA_AAAAAAAA";
        let r = s.raw(method, path, &[("x-api-key", forged)], None).await;
        problem(&r, 401, "unauthorized");
    }
}

/// Each row a request that ends in a different status; each answer carries every
/// rate-limit header, and the count goes down by one per admitted request.
#[tokio::test]
async fn rate_limit_headers_are_on_every_status() {
    // A fixed clock (12:00:30 UTC), so the rows cannot straddle an hour's rollover.
    let s = Server::start_with(|app| app.clock = Arc::new(FixedClock::new(1_774_958_430))).await;
    let key = key_in_tier(&s, "8;w=3600, 100;w=86400").await;
    let svg = "/products/api/v1/barcode/09501101020917.svg";
    let first = s.raw("GET", svg, &[("x-api-key", &key)], None).await;
    first.expect(200);
    let etag = first.header("etag").unwrap().to_string();
    /// Method, path, extra headers, body, the status it ends in.
    type Row<'a> = (
        &'a str,
        String,
        Vec<(&'a str, String)>,
        Option<&'a str>,
        u16,
    );
    let rows: Vec<Row> = vec![
        // 0: 200
        ("POST", DL.into(), vec![], Some(DL_BODY), 200),
        // 1: 304
        (
            "GET",
            svg.into(),
            vec![("if-none-match", etag.clone())],
            None,
            304,
        ),
        // 2: 422
        (
            "POST",
            DL.into(),
            vec![],
            Some(r#"{"uri": "https://id.gs1.org/01/1"}"#),
            422,
        ),
        // 3: 404 (a capture that does not exist)
        (
            "GET",
            "/scanner/api/v1/captures/cap_nope".into(),
            vec![],
            None,
            404,
        ),
        // 4: 415
        (
            "POST",
            DL.into(),
            vec![("content-type", "text/plain".into())],
            Some("x"),
            415,
        ),
        // 5, 6: 200 and the last admitted
        ("POST", DL.into(), vec![], Some(DL_BODY), 200),
        ("POST", DL.into(), vec![], Some(DL_BODY), 200),
        // 7: 429
        ("POST", DL.into(), vec![], Some(DL_BODY), 429),
    ];
    for (i, (method, path, extra, body, status)) in rows.into_iter().enumerate() {
        let mut headers = vec![("x-api-key", key.clone())];
        if !extra.iter().any(|(k, _)| *k == "content-type") {
            headers.push(("content-type", "application/json".into()));
        }
        headers.extend(extra);
        let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = s.raw(method, &path, &h, body).await;
        assert_eq!(
            r.status,
            status,
            "row {i}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(
            r.header("ratelimit-policy"),
            Some("8;w=3600, 100;w=86400"),
            "row {i}"
        );
        assert_eq!(r.header("ratelimit-limit"), Some("8"), "row {i}");
        assert_eq!(r.header("x-ratelimit-limit"), Some("8"), "row {i}");
        // The first GET used one; each row before a refusal one more.
        let remaining = if status == 429 { 0 } else { 8 - 2 - i as u64 };
        assert_eq!(
            r.header("ratelimit-remaining"),
            Some(remaining.to_string().as_str()),
            "row {i}"
        );
        assert_eq!(
            r.header("x-ratelimit-remaining"),
            r.header("ratelimit-remaining")
        );
        let reset: u64 = r.header("ratelimit-reset").unwrap().parse().unwrap();
        let reset_at: u64 = r.header("x-ratelimit-reset").unwrap().parse().unwrap();
        assert!((1..=3600).contains(&reset), "row {i}: {reset}");
        assert_eq!(
            reset_at % 3600,
            0,
            "row {i}: an hour window ends on the hour"
        );
        if status == 429 {
            let v = problem(&r, 429, "rate_limited");
            assert_eq!(v["retryable"], true);
            assert_eq!(v["retry_after"], reset);
            assert_eq!(v["retry_after_seconds"], reset);
            assert_eq!(r.header("retry-after"), Some(reset.to_string().as_str()));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_limit_of_20_admits_exactly_20_of_50_concurrent_requests() {
    // A fixed clock, so the race cannot straddle a minute's rollover.
    let clock = Arc::new(FixedClock::new(1_774_958_430));
    let s = Arc::new(Server::start_with(move |app| app.clock = clock).await);
    let key = key_in_tier(&s, "20;w=60").await;
    let barrier = Arc::new(tokio::sync::Barrier::new(50));
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let (s, key, barrier) = (s.clone(), key.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                post_dl(&s, &key).await.status
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let admitted = statuses.iter().filter(|&&s| s == 200).count();
    let refused = statuses.iter().filter(|&&s| s == 429).count();
    println!("local store over HTTP: limit 20, 50 concurrent requests, {admitted} admitted");
    assert_eq!((admitted, refused), (20, 30), "{statuses:?}");
}

#[tokio::test]
async fn windows_roll_over_at_a_fixed_clock() {
    // 2026-03-31T12:00:00Z: a minute and half a day begin; the clock starts 30 s in.
    let t0 = 1_774_958_400;
    let clock = Arc::new(FixedClock::new(t0 + 30));
    let c = clock.clone();
    let s = Server::start_with(move |app| app.clock = c).await;
    let key = key_in_tier(&s, "2;w=60, 3;w=86400").await;
    // (seconds to advance first, status, remaining, reset)
    let rows = [
        (0, 200, 1, 30),
        (10, 200, 0, 20),
        // 2: the minute is used up: retry when it ends
        (5, 429, 0, 15),
        // 3: the next minute: one left today, which is now the tighter window
        (15, 200, 0, 43_140),
        // 4: the day is used up
        (60, 429, 0, 43_080),
        // 5: the next day
        (43_080, 200, 1, 60),
    ];
    for (i, (advance, status, remaining, reset)) in rows.into_iter().enumerate() {
        clock.advance(advance);
        let r = post_dl(&s, &key).await;
        assert_eq!(r.status, status, "row {i}");
        assert_eq!(
            r.header("ratelimit-remaining"),
            Some(remaining.to_string().as_str()),
            "row {i}"
        );
        assert_eq!(
            r.header("ratelimit-reset"),
            Some(reset.to_string().as_str()),
            "row {i}"
        );
        if status == 429 {
            assert_eq!(
                r.header("retry-after"),
                Some(reset.to_string().as_str()),
                "row {i}"
            );
        }
    }
}

#[tokio::test]
async fn key_changes_take_effect_on_the_next_request() {
    let s = Server::start().await;
    let key = key_in_tier(&s, "default").await;
    let prefix = &key[..12];
    let bearer = format!("Bearer {key}");
    let dl = |h: Vec<(&'static str, String)>| {
        let s = &s;
        async move {
            let mut h = h;
            h.push(("content-type", "application/json".into()));
            let h: Vec<(&str, &str)> = h.iter().map(|(k, v)| (*k, v.as_str())).collect();
            s.raw("POST", DL, &h, Some(DL_BODY)).await
        }
    };
    // 0: the default tier, by X-API-Key and by Bearer
    let r = dl(vec![("x-api-key", key.clone())]).await;
    r.expect(200);
    assert_eq!(
        r.header("ratelimit-policy"),
        Some("300;w=60, 10000;w=86400")
    );
    dl(vec![("authorization", bearer.clone())])
        .await
        .expect(200);
    // 1: unlimited: not counted, the headers still there
    assert!(key_tool(
        &s,
        KeyCommand::Tier {
            key: prefix.into(),
            tier: "unlimited".into()
        }
    )
    .await
    .ends_with("tier unlimited"));
    let r = dl(vec![("x-api-key", key.clone())]).await;
    r.expect(200);
    assert_eq!(r.header("ratelimit-policy"), Some("4294967295;w=86400"));
    assert_eq!(r.header("ratelimit-remaining"), Some("4294967295"));
    // 2: suspended: 403, the owner must act
    key_tool(&s, KeyCommand::Suspend { key: key.clone() }).await;
    let v = problem(
        &dl(vec![("x-api-key", key.clone())]).await,
        403,
        "forbidden",
    );
    assert_eq!(v["owner_action_required"], true);
    // 3: reinstated
    key_tool(&s, KeyCommand::Reinstate { key: prefix.into() }).await;
    dl(vec![("authorization", bearer.clone())])
        .await
        .expect(200);
    // 4: revoked: 401 at once, by either header
    key_tool(&s, KeyCommand::Revoke { key: prefix.into() }).await;
    let v = problem(
        &dl(vec![("x-api-key", key.clone())]).await,
        401,
        "unauthorized",
    );
    assert!(v["detail"].as_str().unwrap().contains("revoked"), "{v}");
    problem(
        &dl(vec![("authorization", bearer)]).await,
        401,
        "unauthorized",
    );
    // 5: the list shows the key's prefix and state, never the key
    let list = key_tool(&s, KeyCommand::List).await;
    let line = list.lines().find(|l| l.starts_with(prefix)).unwrap();
    assert!(
        line.contains("revoked") && line.ends_with("unlimited"),
        "{line}"
    );
    assert!(!list.contains(&key[12..]), "{list}");
}

/// The counters' store cannot be reached: the request is refused (503), not
/// served without a count.
#[tokio::test]
async fn the_limiter_fails_closed() {
    use shared::store::aws::{AwsStore, TableNames};
    use shared::store::local::LocalStore;
    use shared::store::{Admission, ApiKeyRecord, CountRequest, GetApiKey, StoreError, Window};

    /// Keys from SQLite, counters from DynamoDB at an address where nothing listens.
    struct Split {
        keys: LocalStore,
        counters: AwsStore,
    }
    impl GetApiKey for Split {
        async fn get_api_key(&self, h: &str) -> Result<Option<ApiKeyRecord>, StoreError> {
            self.keys.get_api_key(h).await
        }
    }
    impl CountRequest for Split {
        async fn count_request(
            &self,
            client: &str,
            windows: &[Window],
            now: u64,
        ) -> Result<Admission, StoreError> {
            self.counters.count_request(client, windows, now).await
        }
    }

    let dir = std::env::temp_dir().join(format!("gs1codes-failclosed-{}", std::process::id()));
    let (local, _) = gs1_local::open_app(&dir).await.unwrap();
    let key = gs1_local::new_key(&local).await.unwrap();
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:9")
        .test_credentials()
        .load()
        .await;
    let app = Arc::new(shared::api::App {
        store: Split {
            keys: local.store.clone(),
            counters: AwsStore::new(&config, TableNames::default()),
        },
        keys: local.keys.clone(),
        urls: local.urls.clone(),
        limits: local.limits.clone(),
        clock: local.clock.clone(),
    });
    let router = shared::api::service(shared::api::digital_link::routes(&app), &app);
    let req = http::Request::post(DL)
        .header("x-api-key", &key)
        .header("content-type", "application/json")
        .body(axum::body::Body::from(DL_BODY))
        .unwrap();
    let resp = tower::ServiceExt::oneshot(router, req).await.unwrap();
    assert_eq!(resp.status(), 503);
    assert!(resp.headers().get("ratelimit-remaining").is_none());
    let body = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes();
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["error_code"], "service_unavailable");
    assert_eq!(v["retryable"], true);
    let _ = std::fs::remove_dir_all(dir);
}
