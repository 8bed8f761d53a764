//! The QR endpoint over real HTTP: the PNG scans as the canonical Digital Link URI,
//! is exactly `size` pixels, every format has its type, the GET and signed forms give
//! the same bytes, and bad fields are 422s naming the field.

use e2e::{scan, Server};

const POST: &str = "/products/api/v1/qr/";

fn png_side(bytes: &[u8]) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let reader = decoder.read_info().unwrap();
    (reader.info().width, reader.info().height)
}

#[tokio::test]
async fn png_scans_as_the_canonical_digital_link() {
    let s = Server::start().await;
    let rows = [
        // 0: GTIN-13 normalised to GTIN-14; lot and serial in the path, expiry in the query
        (
            r#"{"gtin": "9501101020917", "lot": "LOT1", "serial": "SN1", "expiry": "270630", "format": "png"}"#,
            "https://id.gs1.org/01/09501101020917/10/LOT1/21/SN1?17=270630",
            300,
        ),
        // 1: GTIN alone, a size that does not divide evenly into modules
        (
            r#"{"gtin": "00012345678905", "format": "png", "size": 301, "ec_level": "H"}"#,
            "https://id.gs1.org/01/00012345678905",
            301,
        ),
        // 2: an extra data attribute from `ais`
        (
            r#"{"gtin": "09501101020917", "serial": "A/B", "ais": {"3103": "000750"}, "format": "png", "size": 600}"#,
            "https://id.gs1.org/01/09501101020917/21/A%2FB?3103=000750",
            600,
        ),
    ];
    for (i, (body, uri, size)) in rows.into_iter().enumerate() {
        let r = s.call("POST", POST, Some(body)).await;
        r.expect(200);
        assert_eq!(r.header("content-type"), Some("image/png"), "row {i}");
        assert_eq!(png_side(&r.body), (size, size), "row {i}");
        assert_eq!(
            scan(&r.body),
            (uri.to_string(), "]Q1".to_string()),
            "row {i}"
        );
    }
}

#[tokio::test]
async fn every_format_and_the_get_and_signed_forms() {
    let s = Server::start().await;
    for (i, (format, ct, magic)) in [
        ("svg", "image/svg+xml", &b"<svg"[..]),
        ("png", "image/png", &b"\x89PNG"[..]),
        ("eps", "application/postscript", &b"%!PS"[..]),
        ("pdf", "application/pdf", &b"%PDF"[..]),
    ]
    .into_iter()
    .enumerate()
    {
        let body = format!(r#"{{"gtin": "09501101020917", "lot": "ABC", "format": "{format}"}}"#);
        let post = s.call("POST", POST, Some(&body)).await;
        post.expect(200);
        assert_eq!(post.header("content-type"), Some(ct), "row {i}");
        assert!(
            post.body.windows(magic.len()).any(|w| w == magic),
            "row {i}"
        );
        let get = s
            .call(
                "GET",
                &format!("{POST}09501101020917.{format}?lot=ABC"),
                None,
            )
            .await;
        get.expect(200);
        assert_eq!(get.body, post.body, "row {i}");
        assert_eq!(get.header("etag"), post.header("etag"), "row {i}");
    }
    // A signed URL serves the same bytes without a key.
    let signed = s
        .call(
            "POST",
            &format!("{POST}signed-url/"),
            Some(r#"{"gtin": "09501101020917", "lot": "ABC", "format": "png"}"#),
        )
        .await;
    signed.expect(200);
    let path = signed.json()["path"].as_str().unwrap().to_string();
    let img = s.raw("GET", &path, &[], None).await;
    img.expect(200);
    assert_eq!(
        scan(&img.body).0,
        "https://id.gs1.org/01/09501101020917/10/ABC"
    );
}

#[tokio::test]
async fn bad_fields_are_named() {
    let s = Server::start().await;
    let rows = [
        // 0: check digit
        (r#"{"gtin": "09501101020918"}"#, "body.gtin", "csum"),
        // 1: level not one of L/M/Q/H
        (
            r#"{"gtin": "09501101020917", "ec_level": "X"}"#,
            "body.ec_level",
            "enum",
        ),
        // 2: size below 50 px
        (
            r#"{"gtin": "09501101020917", "size": 49}"#,
            "body.size",
            "greater_than_equal",
        ),
        // 3: a lot outside GS1's character set
        (
            r#"{"gtin": "09501101020917", "lot": "A B"}"#,
            "body.lot",
            "cset82",
        ),
        // 4: an unknown field
        (
            r#"{"gtin": "09501101020917", "colour": "red"}"#,
            "body.colour",
            "extra_forbidden",
        ),
        // 5: a format QR does not offer here
        (
            r#"{"gtin": "09501101020917", "format": "gif"}"#,
            "body.format",
            "enum",
        ),
    ];
    for (i, (body, loc, rule)) in rows.into_iter().enumerate() {
        let (l, r, msg) = s.call("POST", POST, Some(body)).await.first_error();
        assert_eq!((l.as_str(), r.as_str()), (loc, rule), "row {i}: {msg}");
    }
}
