//! The GS1 DataMatrix endpoint over real HTTP: what a scanner reads from the PNG,
//! headers and caching, the GET and signed forms, and a 422 naming every bad field.

use e2e::{scan, Server};

const POST: &str = "/products/api/v1/datamatrix/";

#[tokio::test]
async fn the_spec_example_scans_as_gs1_data() {
    let s = Server::start().await;
    let body = r#"{"expiry": "270630", "format": "png", "gtin": "00012345678905", "lot": "LOT-A001", "serial": "SN-0001"}"#;
    let r = s.call("POST", POST, Some(body)).await;
    r.expect(200);
    assert_eq!(r.header("content-type"), Some("image/png"));
    assert_eq!(r.header("cache-control"), Some("public, max-age=2592000"));
    // Fixed-length AIs first, one GS between the two variable-length ones.
    assert_eq!(
        scan(&r.body),
        (
            "0100012345678905172706301".to_string() + "0LOT-A001\u{1d}21SN-0001",
            "]d2".to_string()
        )
    );
    // GET form: same bytes and ETag
    let get = s
        .call("GET", "/products/api/v1/datamatrix/00012345678905.png?lot=LOT-A001&serial=SN-0001&expiry=270630", None)
        .await;
    get.expect(200);
    assert_eq!(get.body, r.body);
    assert_eq!(get.header("etag"), r.header("etag"));
    // 304
    let etag = r.header("etag").unwrap().to_string();
    let key = s.key.clone();
    let r304 = s
        .raw(
            "POST",
            POST,
            &[("x-api-key", &key), ("if-none-match", &etag)],
            Some(body),
        )
        .await;
    assert_eq!(r304.status, 304);
}

#[tokio::test]
async fn svg_pdf_and_signed_urls() {
    let s = Server::start().await;
    for (format, ct) in [("svg", "image/svg+xml"), ("pdf", "application/pdf")] {
        let body = format!(r#"{{"gtin": "9501101020917", "lot": "ABC", "format": "{format}"}}"#);
        let r = s.call("POST", POST, Some(&body)).await;
        r.expect(200);
        assert_eq!(r.header("content-type"), Some(ct));
    }
    let r = s
        .call(
            "POST",
            "/products/api/v1/datamatrix/signed-url/",
            Some(r#"{"gtin": "9501101020917", "serial": "S/1", "format": "png"}"#),
        )
        .await;
    r.expect(200);
    let path = r.json()["path"].as_str().unwrap().to_string();
    let img = s.raw("GET", &path, &[], None).await;
    img.expect(200);
    assert_eq!(scan(&img.body).0, "010950110102091721S/1");
    let r = s
        .raw("GET", &path.replace("S%2F1", "S%2F2"), &[], None)
        .await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn extra_ais_and_shapes_beyond_the_spec() {
    let s = Server::start().await;
    let r = s
        .call("POST", POST, Some(r#"{"gtin": "9501101020917", "lot": "L1", "ais": {"3103": "000750"}, "shape": "rectangle", "format": "png"}"#))
        .await;
    r.expect(200);
    assert_eq!(
        scan(&r.body).0,
        "01095011010209173103000750".to_string() + "10L1"
    );
    let r = s
        .call("POST", POST, Some(r#"{"gtin": "9501101020917", "serial": "X", "element_string": "(11)260101", "format": "png"}"#))
        .await;
    r.expect(200);
    assert_eq!(
        scan(&r.body).0,
        "0109501101020917112601012".to_string() + "1X"
    );
}

#[tokio::test]
async fn every_bad_field_is_a_422_naming_it() {
    let s = Server::start().await;
    let rows = [
        // 0: neither lot nor serial
        (r#"{"gtin": "9501101020917"}"#, "body.lot", "missing", None),
        // 1: a character outside CSET 82 in the lot, with its position
        (
            r#"{"gtin": "9501101020917", "lot": "AB~C"}"#,
            "body.lot",
            "cset82",
            Some("character 3"),
        ),
        // 2: too long
        (
            r#"{"gtin": "9501101020917", "serial": "123456789012345678901"}"#,
            "body.serial",
            "length",
            None,
        ),
        // 3: impossible expiry (DD=00 is allowed, month 13 is not)
        (
            r#"{"gtin": "9501101020917", "lot": "A", "expiry": "271300"}"#,
            "body.expiry",
            "yymmd0",
            None,
        ),
        // 4: bad GTIN check digit
        (
            r#"{"gtin": "9501101020918", "lot": "A"}"#,
            "body.gtin",
            "csum",
            None,
        ),
        // 5: at most 20 modules of quiet zone (0, none, is allowed: see below)
        (
            r#"{"gtin": "9501101020917", "lot": "A", "quiet_zone": 21}"#,
            "body.quiet_zone",
            "less_than_equal",
            None,
        ),
        // 6: eps is not offered for DataMatrix
        (
            r#"{"gtin": "9501101020917", "lot": "A", "format": "eps"}"#,
            "body.format",
            "enum",
            None,
        ),
        // 7: an extra AI that breaks a GS1 rule
        (
            r#"{"gtin": "9501101020917", "lot": "A", "ais": {"422": "999"}}"#,
            "body.ais.422",
            "iso3166",
            None,
        ),
        // 8: unknown field
        (
            r#"{"gtin": "9501101020917", "lot": "A", "lott": "B"}"#,
            "body.lott",
            "extra_forbidden",
            None,
        ),
    ];
    for (i, (body, loc, rule, part)) in rows.into_iter().enumerate() {
        let (got_loc, got_rule, msg) = s.call("POST", POST, Some(body)).await.first_error();
        assert_eq!(
            (got_loc.as_str(), got_rule.as_str()),
            (loc, rule),
            "row {i}: {msg}"
        );
        if let Some(part) = part {
            assert!(msg.contains(part), "row {i}: {msg}");
        }
    }
    // expiry with DD=00 is valid, as GS1 says
    let r = s
        .call(
            "POST",
            POST,
            Some(r#"{"gtin": "9501101020917", "lot": "A", "expiry": "271200"}"#),
        )
        .await;
    r.expect(200);
}

/// The `width="..mm"` of an SVG.
fn svg_width_mm(svg: &[u8]) -> f64 {
    let svg = String::from_utf8_lossy(svg);
    let w = svg
        .split("width=\"")
        .nth(1)
        .unwrap()
        .split("mm")
        .next()
        .unwrap();
    w.parse().unwrap()
}

#[tokio::test]
async fn a_datamatrix_quiet_zone_is_0_for_none_or_at_least_its_1_module() {
    let s = Server::start().await;
    // GIVEN module_size 0.5 mm and quiet zones of 0, 1 and 2 modules (the rule of every
    // endpoint: 0 is none, the caller's own white space; else at least ISO/IEC
    // 16022's 1X, which every other whole number of modules is)
    let mut widths = Vec::new();
    for q in [0, 1, 2] {
        let body = format!(r#"{{"gtin": "9501101020917", "lot": "A", "quiet_zone": {q}}}"#);
        let r = s.call("POST", POST, Some(&body)).await;
        r.expect(200);
        widths.push(svg_width_mm(&r.body));
    }
    // THEN each module of quiet zone adds 0.5 mm on each side
    assert!((widths[1] - widths[0] - 1.0).abs() < 1e-9, "{widths:?}");
    assert!((widths[2] - widths[1] - 1.0).abs() < 1e-9, "{widths:?}");
    // AND the GET form takes 0 as well
    s.call(
        "GET",
        "/products/api/v1/datamatrix/9501101020917.svg?lot=A&quiet_zone=0",
        None,
    )
    .await
    .expect(200);
}
