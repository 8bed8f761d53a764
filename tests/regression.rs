//! One test per fixed bug, named after what broke.

use e2e::{scan, Server};

const BARCODE: &str = "/products/api/v1/barcode/";

#[tokio::test]
async fn a_megabyte_of_code39_data_was_an_out_of_memory_abort() {
    let s = Server::start().await;
    let body = format!(
        r#"{{"gtin": "{}", "barcode_type": "code39", "format": "png"}}"#,
        "A".repeat(1_000_000)
    );
    let (loc, rule, _) = s.call("POST", BARCODE, Some(&body)).await.first_error();
    assert_eq!((loc.as_str(), rule.as_str()), ("body.gtin", "length"));
    // The server is still there.
    s.raw("GET", "/health", &[], None).await.expect(200);
}

#[tokio::test]
async fn a_png_of_gigapixels_was_allocated_instead_of_refused() {
    let s = Server::start().await;
    let rows = [
        // 0: the longest Code 128 at the largest X and dpi
        (BARCODE, format!(r#"{{"gtin": "{}", "barcode_type": "code128", "format": "png", "module_width": 2, "dpi": 2400}}"#, "a".repeat(200))),
        // 1: a DataMatrix with 5 mm modules at 2400 dpi
        ("/products/api/v1/datamatrix/", r#"{"gtin": "9501101020917", "lot": "A", "format": "png", "module_size": 5, "quiet_zone": 20, "dpi": 2400}"#.to_string()),
    ];
    for (i, (path, body)) in rows.iter().enumerate() {
        let (loc, rule, msg) = s.call("POST", path, Some(body)).await.first_error();
        assert_eq!(
            (loc.as_str(), rule.as_str()),
            ("body.dpi", "image_too_large"),
            "row {i}: {msg}"
        );
    }
}

#[tokio::test]
async fn auto_made_the_specs_padded_gtin_12_an_itf_14() {
    let s = Server::start().await;
    let r = s
        .call(
            "POST",
            BARCODE,
            Some(r#"{"barcode_type": "auto", "format": "png", "gtin": "00012345678905"}"#),
        )
        .await;
    r.expect(200);
    // A UPC-A: rxing names it as such and gives its 12 digits.
    assert_eq!(scan(&r.body).0, "012345678905");
}

#[tokio::test]
async fn a_json_typo_sent_by_curl_d_was_called_unsupported_media() {
    let s = Server::start().await;
    let key = s.key.clone();
    let r = s
        .raw(
            "POST",
            BARCODE,
            &[
                ("x-api-key", &key),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            Some(r#"{"gtin": "9501101020917",}"#),
        )
        .await;
    assert_eq!(r.first_error().1, "json_invalid");
}

#[tokio::test]
async fn get_urls_broke_on_a_final_slash_and_took_ais_in_the_query() {
    let s = Server::start().await;
    s.call("GET", "/products/api/v1/barcode/9501101020917.svg/", None)
        .await
        .expect(200);
    let r = s
        .call(
            "GET",
            "/products/api/v1/datamatrix/9501101020917.svg?lot=A&ais=x",
            None,
        )
        .await;
    assert_eq!(r.first_error().0, "query.ais");
    assert_eq!(r.first_error().1, "extra_forbidden");
}

#[tokio::test]
async fn head_had_no_content_length() {
    let s = Server::start().await;
    let key = s.key.clone();
    let get = s
        .call("GET", "/products/api/v1/barcode/9501101020917.svg", None)
        .await;
    let head = s
        .raw(
            "HEAD",
            "/products/api/v1/barcode/9501101020917.svg",
            &[("x-api-key", &key)],
            None,
        )
        .await;
    head.expect(200);
    assert_eq!(
        head.header("content-length"),
        Some(get.body.len().to_string().as_str())
    );
    assert_eq!(head.header("etag"), get.header("etag"));
}

#[tokio::test]
async fn the_default_quiet_zone_was_below_itf_14s_ten_modules_at_large_x() {
    let s = Server::start().await;
    // X = 0.8 mm: 10X = 8 mm > 6.5 mm. SVG width = 135 modules + 2 quiet zones (+ frame).
    let r = s
        .call("POST", BARCODE, Some(r#"{"gtin": "19501101020914", "barcode_type": "itf14", "bearer": "none", "module_width": 0.8}"#))
        .await;
    r.expect(200);
    let svg = String::from_utf8(r.body.clone()).unwrap();
    let width: f64 = svg
        .split("width=\"")
        .nth(1)
        .unwrap()
        .split("mm")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((width - (135.0 * 0.8 + 2.0 * 8.0)).abs() < 0.01, "{width}");
}

const DL: &str = "/products/api/v1/digital-link/";

#[tokio::test]
async fn valid_gs1_data_without_a_digital_link_was_a_422() {
    let s = Server::start().await;
    // GIVEN the issue's element strings, valid for the Syntax Engine but with no
    // Digital Link URI, WHEN posted, THEN a 200 with no URI and the reason
    // (element string, rule, AI)
    let rows = [
        // 0: (8200) is not a data attribute
        (
            "(01)09501101020917(8200)https://example.com/p",
            "dl_not_attribute",
            Some("8200"),
        ),
        // 1: (03) is no primary key
        ("(03)09501101020917", "dl_no_primary_key", None),
        // 2: (8040) is not a data attribute
        (
            "(01)09501101020917(21)ABC(8040)490154203237518",
            "dl_not_attribute",
            Some("8040"),
        ),
    ];
    for (i, (es, rule, ai)) in rows.into_iter().enumerate() {
        let body = format!(r#"{{"element_string": "{es}"}}"#);
        let v = s.call("POST", DL, Some(&body)).await.expect(200).json();
        assert_eq!(v["element_string"], es, "row {i}: {v}");
        assert_eq!(v["canonical_uri"], serde_json::Value::Null, "row {i}: {v}");
        assert_eq!(v["dl_error"]["rule"], rule, "row {i}: {v}");
        assert_eq!(v["dl_error"]["ai"], serde_json::json!(ai), "row {i}: {v}");
    }
}

#[tokio::test]
async fn our_own_gs1_128_with_8200_could_not_be_read_back() {
    let s = Server::start().await;
    // GIVEN a GS1-128 image made by our barcode endpoint from data holding (8200)
    let data = "(01)09501101020917(8200)https://example.com/p";
    let body = format!(r#"{{"gtin": "{data}", "barcode_type": "gs1_128", "format": "png"}}"#);
    let img = s.call("POST", BARCODE, Some(&body)).await;
    img.expect(200);
    // WHEN its scan (symbology identifier and data) is posted as an element string
    let (text, id) = scan(&img.body);
    let scanned = serde_json::json!({ "element_string": format!("{id}{text}") }).to_string();
    let v = s.call("POST", DL, Some(&scanned)).await.expect(200).json();
    // THEN it is parsed: the same message, no URI, and why
    assert_eq!(v["element_string"], data, "{v}");
    assert_eq!(v["dl_error"]["rule"], "dl_not_attribute", "{v}");
    assert_eq!(
        v["dl_error"]["message"],
        "AI (8200): not a Digital Link data attribute, so no query can hold it"
    );
}

#[tokio::test]
async fn a_uri_with_235_in_the_path_and_a_lot_in_the_query_was_a_422() {
    let s = Server::start().await;
    let uri = "https://id.gs1.org/01/09501101020917/235/XYZ?10=ABC";
    let body = format!(r#"{{"uri": "{uri}"}}"#);
    let v = s.call("POST", DL, Some(&body)).await.expect(200).json();
    assert_eq!(v["canonical_uri"], uri, "{v}");
    assert_eq!(v["dl_error"], serde_json::Value::Null, "{v}");
}

#[tokio::test]
async fn an_empty_query_key_was_taken_as_an_extra_param() {
    let s = Server::start().await;
    let body = r#"{"uri": "https://id.gs1.org/01/09501101020917?=x&99=A"}"#;
    let (loc, rule, _) = s.call("POST", DL, Some(body)).await.first_error();
    assert_eq!((loc.as_str(), rule.as_str()), ("body.uri", "unknown_ai"));
}

#[tokio::test]
async fn a_repeated_query_parameter_kept_only_its_last_value() {
    let s = Server::start().await;
    let body = r#"{"uri": "https://id.gs1.org/01/09501101020917?x=1&x=2"}"#;
    let v = s.call("POST", DL, Some(body)).await.expect(200).json();
    assert_eq!(v["extra_params"]["x"], serde_json::json!(["1", "2"]), "{v}");
}

#[tokio::test]
async fn free_text_was_trimmed_before_it_was_encoded() {
    // The issue's inputs, and more: each symbol must carry exactly what was sent.
    let s = Server::start().await;
    let rows = [
        // 0: Code 39 lost its leading and trailing spaces
        (r#"{"gtin": " ABC ", "barcode_type": "code39"}"#, " ABC "),
        // 1: Code 128 lost its final CR
        (
            r#"{"gtin": "Newline\n Tab\t CR\r", "barcode_type": "code128"}"#,
            "Newline\n Tab\t CR\r",
        ),
        // 2: a space-only value was refused as empty
        (r#"{"gtin": "   ", "barcode_type": "code39"}"#, "   "),
        // 3: leading line breaks, Latin-1 and a final space
        (
            r#"{"gtin": "\r\nGröße ", "barcode_type": "code128"}"#,
            "\r\nGröße ",
        ),
    ];
    for (i, (body, want)) in rows.into_iter().enumerate() {
        let body = body.replace('}', r#", "format": "png"}"#);
        let r = s.call("POST", BARCODE, Some(&body)).await;
        r.expect(200);
        assert_eq!(scan(&r.body).0, want, "row {i}");
    }
}

#[tokio::test]
async fn a_character_code_128_cannot_carry_was_not_named_with_its_position() {
    let s = Server::start().await;
    let body = r#"{"gtin": "Preis 5€", "barcode_type": "code128"}"#;
    let (loc, rule, msg) = s.call("POST", BARCODE, Some(body)).await.first_error();
    assert_eq!(
        (loc.as_str(), rule.as_str()),
        ("body.gtin", "code128_charset")
    );
    assert!(msg.contains("'€' (U+20AC) at position 8"), "{msg}");
}

#[tokio::test]
async fn latin_1_hri_was_printed_as_question_marks() {
    // GIVEN "Testgerät", which scans as itself
    let s = Server::start().await;
    let post =
        |extra: &str| format!(r#"{{"gtin": "Testgerät", "barcode_type": "code128"{extra}}}"#);
    let png = s
        .call("POST", BARCODE, Some(&post(r#", "format": "png""#)))
        .await;
    assert_eq!(scan(&png.body).0, "Testgerät");
    // THEN the SVG draws OCR-B's ä (U+00E4 = 228), no "?" (63), nine glyphs...
    let r = s.call("POST", BARCODE, Some(&post(""))).await;
    let svg = String::from_utf8(r.body.clone()).unwrap();
    assert!(svg.contains("<path id=\"ocrb-228\""), "{svg}");
    assert!(!svg.contains("ocrb-63"), "{svg}");
    assert_eq!(svg.matches("<use ").count(), 9, "{svg}");
    // ...and `<text>` mode writes the text itself
    let r = s
        .call("POST", BARCODE, Some(&post(r#", "embed_font": false"#)))
        .await;
    let svg = String::from_utf8(r.body.clone()).unwrap();
    assert!(svg.contains(">Testgerät</text>"), "{svg}");
}

#[tokio::test]
async fn control_characters_vanished_from_the_hri() {
    // GIVEN the CR, LF and tab of the issue's Code 128
    let s = Server::start().await;
    let body =
        r#"{"gtin": "Newline\n Tab\t CR\r", "barcode_type": "code128", "embed_font": false}"#;
    let r = s.call("POST", BARCODE, Some(body)).await;
    let svg = String::from_utf8(r.body.clone()).unwrap();
    // THEN each is printed by name
    assert!(
        svg.contains(">Newline&lt;LF&gt; Tab&lt;HT&gt; CR&lt;CR&gt;</text>"),
        "{svg}"
    );
}

#[tokio::test]
async fn an_itf_14_quiet_zone_inside_its_bearer_frame_was_drawn_unreadable() {
    let s = Server::start().await;
    // The issue's request: 5 mm where 10X at X 0.8 mm is 8 mm. It was a 200 no
    // decoder read; now a 422 naming the minimum.
    let (loc, rule, msg) = s
        .call("POST", BARCODE, Some(r#"{"gtin": "19501101020914", "barcode_type": "itf14", "module_width": 0.8, "quiet_zone": 5}"#))
        .await
        .first_error();
    assert_eq!(
        (loc.as_str(), rule.as_str()),
        ("body.quiet_zone", "quiet_zone_too_small")
    );
    assert!(msg.contains("at least 8 mm"), "{msg}");
}

#[tokio::test]
async fn a_gtin_8_was_zero_padded_into_upc_a_and_ean_13() {
    let s = Server::start().await;
    let rows = [
        // 0, 1: the issue's two requests
        (r#"{"gtin": "04256212", "barcode_type": "upca"}"#, "ean8"),
        (r#"{"gtin": "95011011", "barcode_type": "ean13"}"#, "ean8"),
        // 2, 3: the same GTIN-8s padded to 14 digits are still GTIN-8s
        (
            r#"{"gtin": "00000004256212", "barcode_type": "upca"}"#,
            "ean8",
        ),
        (
            r#"{"gtin": "00000095011011", "barcode_type": "jan"}"#,
            "ean8",
        ),
    ];
    for (i, (body, carrier)) in rows.into_iter().enumerate() {
        let (loc, rule, msg) = s.call("POST", BARCODE, Some(body)).await.first_error();
        assert_eq!(
            (loc.as_str(), rule.as_str()),
            ("body.barcode_type", "symbology_mismatch"),
            "row {i}: {msg}"
        );
        assert!(
            msg.ends_with(&format!("use barcode_type {carrier}")),
            "row {i}: {msg}"
        );
    }
    // As the README says, auto (and ean8) draw it as the EAN-8 GS1 assigns.
    let r = s
        .call(
            "POST",
            BARCODE,
            Some(r#"{"gtin": "95011011", "format": "png"}"#),
        )
        .await;
    r.expect(200);
    assert_eq!(scan(&r.body), ("95011011".to_string(), "]E4".to_string()));
}

#[tokio::test]
async fn a_png_quiet_zone_at_the_minimum_lost_a_pixel_to_rounding() {
    let s = Server::start().await;
    // GIVEN EAN-13 at X 0.33 mm, snapped to 4 px at 300 dpi, with the minimum quiet
    // zone 11X = 3.63 mm (42.9 px, which rounded to 43 px where 11 modules are 44)
    let r = s
        .call("POST", BARCODE, Some(r#"{"gtin": "9501101020917", "format": "png", "quiet_zone": 3.63, "write_text": false}"#))
        .await;
    r.expect(200);
    // THEN the PNG is 95 modules of 4 px plus two quiet zones of 11 x 4 px
    let width = u32::from_be_bytes(r.body[16..20].try_into().unwrap());
    assert_eq!(width, 95 * 4 + 2 * 44);
}

#[tokio::test]
async fn an_itf_14_quiet_zone_hint_suggested_a_0_that_was_then_refused() {
    // GIVEN a quiet zone below the minimum, WHEN refused, THEN the hint offers 0 only
    // where 0 is allowed: not around ITF-14's bearer bars, yes without them.
    let s = Server::start().await;
    let rows = [
        // 0: bearer frame (the default): no "0" in the hint
        (
            r#"{"gtin": "19501101020914", "barcode_type": "itf14", "module_width": 0.8, "quiet_zone": 5}"#,
            false,
        ),
        // 1: bearer bars: none either
        (
            r#"{"gtin": "19501101020914", "barcode_type": "itf14", "bearer": "bars", "quiet_zone": 1}"#,
            false,
        ),
        // 2: no bearers: 0 is a way out
        (
            r#"{"gtin": "19501101020914", "barcode_type": "itf14", "bearer": "none", "quiet_zone": 1}"#,
            true,
        ),
        // 3: EAN-13: 0 is a way out
        (r#"{"gtin": "9501101020917", "quiet_zone": 1}"#, true),
    ];
    for (i, (body, offers_zero)) in rows.into_iter().enumerate() {
        let (loc, rule, msg) = s.call("POST", BARCODE, Some(body)).await.first_error();
        assert_eq!(
            (loc.as_str(), rule.as_str()),
            ("body.quiet_zone", "quiet_zone_too_small"),
            "row {i}"
        );
        assert_eq!(msg.contains("or 0 for none"), offers_zero, "row {i}: {msg}");
        if !offers_zero {
            // Following the hint works: its minimum is accepted.
            let min: f64 = msg
                .split("Send at least ")
                .nth(1)
                .unwrap()
                .trim_end_matches('.')
                .parse()
                .unwrap();
            let retry = body.replace(
                &format!("\"quiet_zone\": {}", if i == 0 { 5 } else { 1 }),
                &format!("\"quiet_zone\": {min}"),
            );
            s.call("POST", BARCODE, Some(&retry)).await.expect(200);
        }
    }
}

#[tokio::test]
async fn an_element_string_error_was_reported_at_ais_or_expiry() {
    // GIVEN extra AIs sent in element_string, WHEN one breaks a rule, THEN the 422
    // names element_string; AIs of the ais object and the named fields keep theirs.
    let s = Server::start().await;
    let qr = "/products/api/v1/qr/";
    let dm = "/products/api/v1/datamatrix/";
    let rows = [
        // 0: a non-attribute AI in element_string, POST
        (
            "POST",
            qr.to_string(),
            Some(r#"{"gtin": "09501101020917", "element_string": "(8200)https://x.example"}"#),
            "body.element_string",
        ),
        // 1: the same in the GET form
        (
            "GET",
            format!("{qr}09501101020917.svg?element_string=%288200%29https://x.example"),
            None,
            "query.element_string",
        ),
        // 2: an expiry given in element_string, not in `expiry`
        (
            "POST",
            dm.to_string(),
            Some(r#"{"gtin": "09501101020917", "lot": "A", "element_string": "(17)271399"}"#),
            "body.element_string",
        ),
        // 3: the ais object keeps its own loc
        (
            "POST",
            qr.to_string(),
            Some(r#"{"gtin": "09501101020917", "ais": {"8200": "https://x.example"}}"#),
            "body.ais.8200",
        ),
        // 4: and the expiry field its own
        (
            "POST",
            dm.to_string(),
            Some(r#"{"gtin": "09501101020917", "lot": "A", "expiry": "271399"}"#),
            "body.expiry",
        ),
    ];
    for (i, (method, path, body, want)) in rows.into_iter().enumerate() {
        let (loc, _, msg) = s.call(method, &path, body).await.first_error();
        assert_eq!(loc, want, "row {i}: {msg}");
    }
}
