//! The HTTP contract, exercised over real TCP against the local server:
//! auth, problem+json for every failure class, rate-limit headers, and the
//! Digital Link endpoint.

use e2e::Server;
use shared::api::rate_limit::{Limits, Window};

const DL: &str = "/products/api/v1/digital-link/";

fn assert_problem(r: &e2e::Reply, status: u16, code: &str) -> serde_json::Value {
    assert_eq!(r.status, status, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    let v = r.json();
    assert_eq!(v["status"], status);
    assert_eq!(v["error_code"], code);
    for field in ["type", "title", "detail", "timestamp"] {
        assert!(v[field].is_string(), "{field} missing in {v}");
    }
    assert!(v["retryable"].is_boolean());
    v
}

#[tokio::test]
async fn health_needs_no_key() {
    let s = Server::start().await;
    let r = s.raw("GET", "/health", &[], None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "ok");
}

#[tokio::test]
async fn keys_are_checked_before_anything_else() {
    let s = Server::start().await;
    let body = Some(r#"{"uri": "https://id.gs1.org/01/09501101020917"}"#);
    // 0: no key
    let r = s.raw("POST", DL, &[], body).await;
    assert_problem(&r, 401, "unauthorized");
    assert!(r.header("www-authenticate").is_some());
    // 1: a typo in a real key
    let mut typo = s.key.clone().into_bytes();
    typo[8] = if typo[8] == b'x' { b'y' } else { b'x' };
    let typo = String::from_utf8(typo).unwrap();
    let r = s.raw("POST", DL, &[("x-api-key", &typo)], body).await;
    let v = assert_problem(&r, 401, "unauthorized");
    assert!(v["detail"].as_str().unwrap().contains("checksum"), "{v}");
    // 2: a well-formed key from another server (its secret differs)
    let other = Server::start().await;
    let r = s.raw("POST", DL, &[("x-api-key", &other.key)], body).await;
    assert_problem(&r, 401, "unauthorized");
    // 3: the key as a bearer token works
    let bearer = format!("Bearer {}", s.key);
    let r = s.raw("POST", DL, &[("authorization", &bearer)], body).await;
    r.expect(200);
}

#[tokio::test]
async fn every_failure_class_is_a_problem() {
    let s = Server::start().await;
    // 0: unknown route
    assert_problem(&s.call("GET", "/nope", None).await, 404, "not_found");
    // 1: wrong method names the allowed ones
    let r = s.call("GET", DL, None).await;
    assert_problem(&r, 405, "method_not_allowed");
    assert_eq!(r.header("allow"), Some("POST"));
    // 2: malformed JSON
    let v = assert_problem(
        &s.call("POST", DL, Some("{\"uri\":")).await,
        422,
        "validation_error",
    );
    assert_eq!(v["details"][0]["type"], "json_invalid");
    // 3: wrong type
    let v = assert_problem(
        &s.call("POST", DL, Some(r#"{"uri": 5}"#)).await,
        422,
        "validation_error",
    );
    assert_eq!(v["details"][0]["loc"], serde_json::json!(["body", "uri"]));
    assert_eq!(v["details"][0]["type"], "string_type");
    // 4: not JSON at all
    let key = s.key.clone();
    let r = s
        .raw(
            "POST",
            DL,
            &[("x-api-key", &key), ("content-type", "text/plain")],
            Some("hi"),
        )
        .await;
    assert_problem(&r, 415, "unsupported_media_type");
    // 5: too large
    let big = format!("{{\"uri\": \"{}\"}}", "a".repeat(3 * 1024 * 1024));
    assert_problem(
        &s.call("POST", DL, Some(&big)).await,
        413,
        "payload_too_large",
    );
}

#[tokio::test]
async fn rate_limits_are_announced_and_enforced() {
    let s = Server::start_with(|app| {
        app.limits = Limits::new(vec![Window {
            limit: 2,
            seconds: 3600,
        }]);
    })
    .await;
    let body = Some(r#"{"uri": "https://id.gs1.org/01/09501101020917"}"#);
    let r = s.call("POST", DL, body).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("ratelimit-limit"), Some("2"));
    assert_eq!(r.header("ratelimit-remaining"), Some("1"));
    assert_eq!(r.header("ratelimit-policy"), Some("2;w=3600"));
    assert!(r.header("x-ratelimit-reset").is_some());
    assert_eq!(s.call("POST", DL, body).await.status, 200);
    let r = s.call("POST", DL, body).await;
    let v = assert_problem(&r, 429, "rate_limited");
    assert_eq!(v["retryable"], true);
    assert!(v["retry_after"].as_u64().unwrap() >= 1);
    assert!(r.header("retry-after").is_some());
}

#[tokio::test]
async fn digital_link_is_parsed_into_ais() {
    let s = Server::start().await;
    let r = s
        .call(
            "POST",
            DL,
            Some(r#"{"uri": "https://example.com/shop/01/9501101020917/10/AB%2FC/21/S1?17=270630&utm_source=x"}"#),
        )
        .await;
    r.expect(200);
    let v = r.json();
    assert_eq!(v["gtin"], "09501101020917");
    assert_eq!(v["lot"], "AB/C");
    assert_eq!(v["serial"], "S1");
    assert_eq!(v["expiry"], "270630");
    assert_eq!(v["ais"]["17"], "270630");
    assert_eq!(
        v["canonical_uri"],
        "https://id.gs1.org/01/09501101020917/10/AB%2FC/21/S1?17=270630"
    );
    assert_eq!(
        v["element_string"],
        "(01)09501101020917(10)AB/C(21)S1(17)270630"
    );
    assert_eq!(v["extra_params"]["utm_source"], "x");
    assert_eq!(v["dl_error"], serde_json::Value::Null);
}

#[tokio::test]
async fn digital_link_is_built_from_ais_or_element_strings() {
    let s = Server::start().await;
    // 0: from an AI object, with a custom stem
    let r = s
        .call(
            "POST",
            DL,
            Some(r#"{"ais": {"01": "09501101020917", "10": "LOT1", "17": "270630"}, "stem": "https://brand.example/dl"}"#),
        )
        .await;
    r.expect(200);
    assert_eq!(
        r.json()["canonical_uri"],
        "https://brand.example/dl/01/09501101020917/10/LOT1?17=270630"
    );
    // 1: from raw GS1-128 data with a symbology identifier and GS separator
    let r = s
        .call(
            "POST",
            DL,
            Some(r#"{"element_string": "]C1010950110102091710LOT1\u001d21SN7"}"#),
        )
        .await;
    r.expect(200);
    assert_eq!(
        r.json()["canonical_uri"],
        "https://id.gs1.org/01/09501101020917/10/LOT1/21/SN7"
    );
    assert_eq!(r.json()["hri"], "(01) 09501101020917 (10) LOT1 (21) SN7");
}

#[tokio::test]
async fn bad_gs1_data_names_the_ai_and_rule() {
    let s = Server::start().await;
    // GIVEN rows of bad input, WHEN posted, THEN a 422 whose details name field, AI and rule
    let rows = [
        // 0: check digit of the GTIN
        (
            r#"{"uri": "https://id.gs1.org/01/09501101020918"}"#,
            vec!["body", "uri"],
            "csum",
        ),
        // 1: impossible date in an AI object
        (
            r#"{"ais": {"01": "09501101020917", "17": "271331"}}"#,
            vec!["body", "ais", "17"],
            "yymmd0",
        ),
        // 2: a lot without a GTIN (requisite AI missing)
        (
            r#"{"element_string": "(10)ABC"}"#,
            vec!["body", "element_string"],
            "req",
        ),
        // 3: neither input given
        (r#"{}"#, vec!["body"], "one_of"),
    ];
    for (i, (body, loc, rule)) in rows.into_iter().enumerate() {
        let r = s.call("POST", DL, Some(body)).await;
        let v = assert_problem(&r, 422, "validation_error");
        assert_eq!(
            v["details"][0]["loc"],
            serde_json::json!(loc),
            "row {i}: {v}"
        );
        assert_eq!(v["details"][0]["type"], rule, "row {i}: {v}");
    }
}

/// An `ais` object is read in the order the client wrote it: the element string and
/// the `ais` answer keep that order (JSON objects are parsed order-preserving).
#[tokio::test]
async fn ais_keep_the_clients_order() {
    let s = Server::start().await;
    let body = r#"{"ais": {"17": "270630", "01": "09501101020917", "10": "ABC"}}"#;
    let v = s.call("POST", DL, Some(body)).await.expect(200).json();
    let keys: Vec<&String> = v["ais"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["17", "01", "10"]);
    assert_eq!(v["element_string"], "(17)270630(01)09501101020917(10)ABC");
    assert_eq!(
        v["canonical_uri"],
        "https://id.gs1.org/01/09501101020917/10/ABC?17=270630"
    );
}

/// Validity and the existence of a Digital Link URI are separate answers: valid data
/// without a URI is a 200 with `canonical_uri: null` and a `dl_error` saying why.
#[tokio::test]
async fn valid_data_without_a_digital_link_is_answered_with_why() {
    let s = Server::start().await;
    // GIVEN valid messages that no Digital Link URI carries, WHEN posted, THEN a 200
    // with the message's AIs, element string and HRI, no URI and the rule and AI
    // (body, rule, AI, element string)
    let rows = [
        // 0: no primary key, as an AI object
        (
            r#"{"ais": {"99": "ABC"}}"#,
            "dl_no_primary_key",
            None,
            "(99)ABC",
        ),
        // 1: a made-to-order GTIN (03) with a serial: (03) is no primary key
        (
            r#"{"ais": {"03": "09501101020917", "21": "S1"}}"#,
            "dl_no_primary_key",
            None,
            "(03)09501101020917(21)S1",
        ),
        // 2: both qualifiers of a GLN (414): each path leaves the other in the query,
        // and neither is a data attribute (the engine's path, /254, names 7040)
        (
            r#"{"element_string": "(414)9501101020917(254)A(7040)1ABC"}"#,
            "dl_not_attribute",
            Some("7040"),
            "(414)9501101020917(254)A(7040)1ABC",
        ),
        // 3: scanned GS1 DataMatrix data whose (8200) follows a variable-length (10)
        (
            r#"{"element_string": "]d2010950110102091710ABC\u001d8200https://example.com/p"}"#,
            "dl_not_attribute",
            Some("8200"),
            "(01)09501101020917(10)ABC(8200)https://example.com/p",
        ),
    ];
    for (i, (body, rule, ai, es)) in rows.into_iter().enumerate() {
        let r = s.call("POST", DL, Some(body)).await;
        assert_eq!(
            r.status,
            200,
            "row {i}: {}",
            String::from_utf8_lossy(&r.body)
        );
        let v = r.json();
        assert_eq!(v["canonical_uri"], serde_json::Value::Null, "row {i}: {v}");
        assert_eq!(v["dl_error"]["rule"], rule, "row {i}: {v}");
        assert_eq!(v["dl_error"]["ai"], serde_json::json!(ai), "row {i}: {v}");
        assert!(v["dl_error"]["message"].is_string(), "row {i}: {v}");
        assert_eq!(v["element_string"], es, "row {i}: {v}");
        assert!(v["hri"].as_str().unwrap().starts_with('('), "row {i}: {v}");
    }
}

/// Where several key-qualifier paths are valid, the one that leaves only data
/// attributes in the query is taken, whatever the input.
#[tokio::test]
async fn a_path_that_leaves_only_attributes_in_the_query_is_chosen() {
    let s = Server::start().await;
    let want = "https://id.gs1.org/01/09501101020917/235/XYZ?17=270630&10=ABC";
    let rows = [
        // 0: a URI with (235) in the path and (10) in the query, stem replaced
        r#"{"uri": "https://brand.example/p/01/09501101020917/235/XYZ?10=ABC&17=270630"}"#,
        // 1: the same AIs as an element string, lot first
        r#"{"element_string": "(10)ABC(01)09501101020917(235)XYZ(17)270630"}"#,
        // 2: the same AIs as an object
        r#"{"ais": {"01": "09501101020917", "235": "XYZ", "10": "ABC", "17": "270630"}}"#,
    ];
    for (i, body) in rows.into_iter().enumerate() {
        let v = s.call("POST", DL, Some(body)).await.expect(200).json();
        assert_eq!(v["canonical_uri"], want, "row {i}: {v}");
        assert_eq!(v["dl_error"], serde_json::Value::Null, "row {i}: {v}");
    }
}

/// Query parameters that are not AIs: a name given once is a string (a singleton
/// `""`), a name given more than once an array of every value in URI order; an empty
/// name is no AI and refused, as by the engine.
#[tokio::test]
async fn extra_params_keep_every_value_and_an_empty_key_is_refused() {
    let s = Server::start().await;
    let uri = "https://id.gs1.org/01/09501101020917";
    // 0: three values of one name, a singleton between them, one other name
    let body = format!(r#"{{"uri": "{uri}?x=1&flag&x=2&99=A&y=b%20c&x=3"}}"#);
    let v = s.call("POST", DL, Some(&body)).await.expect(200).json();
    assert_eq!(
        v["extra_params"],
        serde_json::json!({"x": ["1", "2", "3"], "flag": "", "y": "b c"})
    );
    assert_eq!(v["ais"]["99"], "A");
    // 1: a repeated singleton
    let body = format!(r#"{{"uri": "{uri}?flag&flag"}}"#);
    let v = s.call("POST", DL, Some(&body)).await.expect(200).json();
    assert_eq!(v["extra_params"], serde_json::json!({"flag": ["", ""]}));
    // 2-3: an empty name, with or without a value, first or last
    for (i, q) in ["?=x&99=A", "?99=A&="].into_iter().enumerate() {
        let body = format!(r#"{{"uri": "{uri}{q}"}}"#);
        let (loc, rule, msg) = s.call("POST", DL, Some(&body)).await.first_error();
        assert_eq!(
            (loc.as_str(), rule.as_str()),
            ("body.uri", "unknown_ai"),
            "row {}: {msg}",
            i + 2
        );
    }
}
