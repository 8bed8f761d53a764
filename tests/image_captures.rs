//! IMAGE captures over real HTTP: PNGs rendered by our own 1D, DataMatrix and QR
//! endpoints, as served, turned 90 degrees and scaled 2x, and as a JPEG, are read on
//! the server to the right GTIN-14; a blank photo is an `ERROR` capture that keeps its
//! image; too large is a 413, neither PNG nor JPEG a 415.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use e2e::Server;

const SESSIONS: &str = "/scanner/api/v1/sessions";
const CAPTURES: &str = "/scanner/api/v1/captures";

/// A server with the demo products and an open session: (server, session id).
async fn scanning() -> (Server, String) {
    let s = Server::start().await;
    {
        let (app, _) = gs1_local::open_app(&s.data_dir).await.unwrap();
        gs1_local::import_products_from(&app, gs1_local::SEED_PRODUCTS.as_bytes(), "seed")
            .await
            .unwrap();
    }
    let v = s.call("POST", SESSIONS, None).await.expect(201).json();
    (s, v["public_id"].as_str().unwrap().to_string())
}

/// An 8-bit grey raster.
#[derive(Clone)]
struct Grey {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

impl Grey {
    /// The grey pixels of a PNG as served (1- or 8-bit grey).
    fn from_png(bytes: &[u8]) -> Grey {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        buf.truncate(info.buffer_size());
        Grey {
            width: info.width,
            height: info.height,
            pixels: buf,
        }
    }

    fn png(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, self.width, self.height);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&self.pixels).unwrap();
        w.finish().unwrap();
        out
    }

    fn jpeg(&self) -> Vec<u8> {
        let mut out = Vec::new();
        jpeg_encoder::Encoder::new(&mut out, 90)
            .encode(
                &self.pixels,
                self.width as u16,
                self.height as u16,
                jpeg_encoder::ColorType::Luma,
            )
            .unwrap();
        out
    }

    /// Turned 90 degrees clockwise.
    fn rotated(&self) -> Grey {
        let (w, h) = (self.width as usize, self.height as usize);
        let mut pixels = vec![0; w * h];
        for y in 0..h {
            for x in 0..w {
                pixels[x * h + (h - 1 - y)] = self.pixels[y * w + x];
            }
        }
        Grey {
            width: self.height,
            height: self.width,
            pixels,
        }
    }

    /// Each pixel doubled in both directions.
    fn scaled_2x(&self) -> Grey {
        let w = self.width as usize;
        let mut pixels = Vec::with_capacity(self.pixels.len() * 4);
        for row in self.pixels.chunks_exact(w) {
            let wide: Vec<u8> = row.iter().flat_map(|&p| [p, p]).collect();
            pixels.extend_from_slice(&wide);
            pixels.extend_from_slice(&wide);
        }
        Grey {
            width: self.width * 2,
            height: self.height * 2,
            pixels,
        }
    }
}

fn image_capture(session: &str, image: &[u8]) -> String {
    serde_json::json!({"session_public_id": session, "capture_type": "IMAGE",
        "image_base64": STANDARD.encode(image)})
    .to_string()
}

#[tokio::test]
async fn our_own_symbols_read_back_from_photos() {
    let (s, session) = scanning().await;
    const BARCODE: &str = "/products/api/v1/barcode/";
    // (endpoint, request, raw value prefix, GTIN-14, status)
    let rows: [(&str, &str, &str, &str, &str); 8] = [
        // 0: EAN-13
        (
            BARCODE,
            r#"{"gtin": "9501101020917", "barcode_type": "ean13", "format": "png"}"#,
            "]E0",
            "09501101020917",
            "MATCHED",
        ),
        // 1: UPC-A: rxing's 12 digits become ]E0 and 13
        (
            BARCODE,
            r#"{"gtin": "012345678905", "barcode_type": "upca", "format": "png"}"#,
            "]E00012345678905",
            "00012345678905",
            "MATCHED",
        ),
        // 2: UPC-E: rxing's 8 printed digits become the expanded GTIN-12
        (
            BARCODE,
            r#"{"gtin": "012345000065", "barcode_type": "upce", "format": "png"}"#,
            "]E00012345000065",
            "00012345000065",
            "NOT_FOUND",
        ),
        // 3: EAN-8
        (
            BARCODE,
            r#"{"gtin": "95011011", "barcode_type": "ean8", "format": "png"}"#,
            "]E4",
            "00000095011011",
            "MATCHED",
        ),
        // 4: ITF-14 at 600 dpi (rxing's ITF reader needs it, see the README)
        (
            BARCODE,
            r#"{"gtin": "19501101020914", "barcode_type": "itf14", "format": "png", "dpi": 600}"#,
            "]I0",
            "19501101020914",
            "MATCHED",
        ),
        // 5: GS1-128 with an expiry
        (
            BARCODE,
            r#"{"gtin": "(01)09501101020917(17)270630(10)LOT1", "barcode_type": "gs1_128", "format": "png"}"#,
            "]C1",
            "09501101020917",
            "MATCHED",
        ),
        // 6: GS1 DataMatrix
        (
            "/products/api/v1/datamatrix/",
            r#"{"gtin": "00012345678905", "expiry": "270630", "lot": "LOT-A001", "format": "png"}"#,
            "]d2",
            "00012345678905",
            "MATCHED",
        ),
        // 7: QR Code with a Digital Link
        (
            "/products/api/v1/qr/",
            r#"{"gtin": "09501101020917", "format": "png"}"#,
            "]Q1https://id.gs1.org/01/09501101020917",
            "09501101020917",
            "MATCHED",
        ),
    ];
    for (i, (endpoint, request, prefix, gtin, status)) in rows.into_iter().enumerate() {
        let png = s.call("POST", endpoint, Some(request)).await;
        png.expect(200);
        let grey = Grey::from_png(&png.body);
        let photos = [
            ("as served", png.body.clone()),
            ("turned 90", grey.rotated().png()),
            ("scaled 2x", grey.scaled_2x().png()),
        ];
        for (how, photo) in photos {
            let r = s
                .call("POST", CAPTURES, Some(&image_capture(&session, &photo)))
                .await;
            r.expect(201);
            let v = r.json();
            let raw = v["raw_value"].as_str().unwrap();
            assert!(raw.starts_with(prefix), "row {i} {how}: {v}");
            assert_eq!(v["gtin"], gtin, "row {i} {how}: {v}");
            assert_eq!(v["status"], status, "row {i} {how}: {v}");
            assert_eq!(v["capture_type"], "IMAGE", "row {i} {how}");
            let key = v["uploaded_image_key"].as_str().unwrap();
            assert_eq!(
                key,
                format!("captures/{}.png", v["public_id"].as_str().unwrap()),
                "row {i} {how}"
            );
            assert_eq!(
                std::fs::read(s.data_dir.join("objects").join(key)).unwrap(),
                photo,
                "row {i} {how}: the photo is stored as sent"
            );
        }
        if i == 5 {
            // The GS1-128's AIs come through the photo too.
            let r = s
                .call("POST", CAPTURES, Some(&image_capture(&session, &png.body)))
                .await;
            let v = r.json();
            assert_eq!(v["gs1_dl_data"]["17"], "270630");
            assert_eq!(v["gs1_dl_data"]["10"], "LOT1");
        }
    }
}

#[tokio::test]
async fn a_jpeg_photo_and_a_data_url_read_back() {
    let (s, session) = scanning().await;
    let png = s
        .call(
            "POST",
            "/products/api/v1/barcode/",
            Some(r#"{"gtin": "9501101020917", "barcode_type": "ean13", "format": "png"}"#),
        )
        .await;
    png.expect(200);
    let grey = Grey::from_png(&png.body);
    let rows: [(String, &str); 3] = [
        // 0: a JPEG (lossy), turned
        (STANDARD.encode(grey.rotated().jpeg()), "jpg"),
        // 1: a data URL
        (
            format!("data:image/png;base64,{}", STANDARD.encode(&png.body)),
            "png",
        ),
        // 2: no padding, line breaks every 76 characters (MIME)
        (
            STANDARD
                .encode(&png.body)
                .trim_end_matches('=')
                .as_bytes()
                .chunks(76)
                .map(|c| std::str::from_utf8(c).unwrap())
                .collect::<Vec<_>>()
                .join("\r\n"),
            "png",
        ),
    ];
    for (i, (b64, ext)) in rows.into_iter().enumerate() {
        let body = serde_json::json!({"session_public_id": session, "capture_type": "IMAGE",
            "image_base64": b64});
        let v = s
            .call("POST", CAPTURES, Some(&body.to_string()))
            .await
            .expect(201)
            .json();
        assert_eq!(v["status"], "MATCHED", "row {i}: {v}");
        assert_eq!(v["raw_value"], "]E09501101020917", "row {i}");
        assert!(
            v["uploaded_image_key"]
                .as_str()
                .unwrap()
                .ends_with(&format!(".{ext}")),
            "row {i}: {v}"
        );
    }
}

#[tokio::test]
async fn a_photo_without_a_barcode_is_an_error_capture_that_keeps_the_image() {
    let (s, session) = scanning().await;
    // GIVEN a white page
    let blank = Grey {
        width: 400,
        height: 300,
        pixels: vec![255; 400 * 300],
    }
    .png();
    let v = s
        .call("POST", CAPTURES, Some(&image_capture(&session, &blank)))
        .await
        .expect(201)
        .json();
    // THEN it is stored, as ERROR, and the photo kept
    assert_eq!(v["status"], "ERROR", "{v}");
    assert_eq!(v["error_message"], "no barcode found in the image");
    assert_eq!(v["raw_value"], "");
    assert_eq!(v["gtin"], "");
    let key = v["uploaded_image_key"].as_str().unwrap();
    assert_eq!(
        std::fs::read(s.data_dir.join("objects").join(key)).unwrap(),
        blank
    );
    let id = v["public_id"].as_str().unwrap();
    let back = s
        .call("GET", &format!("{CAPTURES}/{id}"), None)
        .await
        .expect(200)
        .json();
    assert_eq!(back, v);
}

#[tokio::test]
async fn what_the_phone_decoded_is_kept_and_the_photo_stored() {
    let (s, session) = scanning().await;
    // GIVEN a raw value and a photo that shows nothing: the raw value is used as sent
    let blank = Grey {
        width: 40,
        height: 30,
        pixels: vec![255; 40 * 30],
    }
    .png();
    let body = serde_json::json!({"session_public_id": session, "capture_type": "IMAGE",
        "raw_value": "]E09501101020917", "image_base64": STANDARD.encode(&blank)});
    let v = s
        .call("POST", CAPTURES, Some(&body.to_string()))
        .await
        .expect(201)
        .json();
    assert_eq!(v["status"], "MATCHED", "{v}");
    assert!(v["uploaded_image_key"].as_str().unwrap().ends_with(".png"));
}

#[tokio::test]
async fn too_large_or_not_an_image_is_refused() {
    let (s, session) = scanning().await;
    let png_magic = b"\x89PNG\r\n\x1a\n";
    let with_magic = |n: usize| {
        let mut b = png_magic.to_vec();
        b.resize(n, 0);
        b
    };
    // (image bytes, status, error_code)
    let rows: [(Vec<u8>, u16, &str); 5] = [
        // 0: 8 MiB, 10.7 MiB of base64: past the route's 10 MiB body limit already
        (with_magic(8 * 1024 * 1024), 413, "payload_too_large"),
        // 1: one byte over 5 MiB: within the body limit, over the image limit
        (with_magic(5 * 1024 * 1024 + 1), 413, "payload_too_large"),
        // 2: a GIF
        (
            b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04".to_vec(),
            415,
            "unsupported_media_type",
        ),
        // 3: text
        (b"hello, world".to_vec(), 415, "unsupported_media_type"),
        // 4: 9000 x 9000 pixels in a few bytes' header: over the pixel limit
        (
            Grey {
                width: 9000,
                height: 9000,
                pixels: vec![255; 9000 * 9000],
            }
            .png(),
            413,
            "payload_too_large",
        ),
    ];
    for (i, (image, status, code)) in rows.into_iter().enumerate() {
        let r = s
            .call("POST", CAPTURES, Some(&image_capture(&session, &image)))
            .await;
        assert_eq!(
            r.status,
            status,
            "row {i}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(r.json()["error_code"], code, "row {i}");
    }
    // Nothing was stored.
    let v = s
        .call("GET", &format!("{SESSIONS}/{session}/captures"), None)
        .await
        .expect(200)
        .json();
    assert_eq!(v["pagination"]["total_count"], 0);
}

#[tokio::test]
async fn an_image_capture_needs_a_raw_value_or_an_image() {
    let (s, session) = scanning().await;
    let png = Grey {
        width: 4,
        height: 4,
        pixels: vec![255; 16],
    }
    .png();
    // (body, loc, rule)
    let rows = [
        // 0: IMAGE with neither
        (
            serde_json::json!({"session_public_id": session, "capture_type": "IMAGE"}),
            "body.raw_value",
            "missing",
        ),
        // 1: an image on a BARCODE capture
        (
            serde_json::json!({"session_public_id": session, "capture_type": "BARCODE",
                "raw_value": "9501101020917", "image_base64": STANDARD.encode(&png)}),
            "body.image_base64",
            "image_capture_only",
        ),
        // 2: not base64
        (
            serde_json::json!({"session_public_id": session, "capture_type": "IMAGE",
                "image_base64": "not base64!"}),
            "body.image_base64",
            "base64_decode",
        ),
        // 3: an empty raw value is still too short, image or not
        (
            serde_json::json!({"session_public_id": session, "capture_type": "IMAGE",
                "raw_value": "", "image_base64": STANDARD.encode(&png)}),
            "body.raw_value",
            "string_too_short",
        ),
    ];
    for (i, (body, loc, rule)) in rows.into_iter().enumerate() {
        let (l, r, _) = s
            .call("POST", CAPTURES, Some(&body.to_string()))
            .await
            .first_error();
        assert_eq!((l.as_str(), r.as_str()), (loc, rule), "row {i}");
    }
}

/// A `multipart/form-data` body of text parts and an optional file part `image`:
/// (content type, body).
fn form(text: &[(&str, &str)], image: Option<&[u8]>) -> (String, Vec<u8>) {
    const BOUNDARY: &str = "----gs1codes-test-boundary";
    let mut body = Vec::new();
    for (name, value) in text {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some(image) = image {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"image\"; filename=\"photo.png\"\r\ncontent-type: image/png\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(image);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

#[tokio::test]
async fn a_photo_comes_as_a_multipart_form_too() {
    let (s, session) = scanning().await;
    let png = s
        .call(
            "POST",
            "/products/api/v1/datamatrix/",
            Some(r#"{"gtin": "00012345678905", "lot": "L1", "format": "png"}"#),
        )
        .await;
    png.expect(200);
    let turned = Grey::from_png(&png.body).rotated().png();
    let key = s.key.clone();
    let post = |(ct, body): (String, Vec<u8>)| {
        let key = key.clone();
        let s = &s;
        async move {
            s.raw_bytes(
                "POST",
                CAPTURES,
                &[("x-api-key", &key), ("content-type", &ct)],
                &body,
            )
            .await
        }
    };
    // 0: the photo alone: read on the server
    let r = post(form(
        &[("session_public_id", &session), ("capture_type", "IMAGE")],
        Some(&turned),
    ))
    .await;
    r.expect(201);
    let v = r.json();
    assert_eq!(v["status"], "MATCHED", "{v}");
    assert_eq!(v["gtin"], "00012345678905");
    assert!(v["raw_value"].as_str().unwrap().starts_with("]d2"), "{v}");
    assert_eq!(
        std::fs::read(
            s.data_dir
                .join("objects")
                .join(v["uploaded_image_key"].as_str().unwrap())
        )
        .unwrap(),
        turned
    );
    // 1: with what the phone read and gs1_dl_data as JSON: kept as sent
    let r = post(form(
        &[
            ("session_public_id", &session),
            ("capture_type", "IMAGE"),
            ("raw_value", "]E09501101020917"),
            ("gs1_dl_data", r#"{"01": "09501101020917"}"#),
        ],
        Some(&turned),
    ))
    .await;
    let v = r.expect(201).json();
    assert_eq!(v["raw_value"], "]E09501101020917", "{v}");
    // 2: field errors name the part
    let r = post(form(
        &[
            ("session_public_id", &session),
            ("capture_type", "BARCODE"),
            ("raw_value", "9501101020917"),
        ],
        Some(&turned),
    ))
    .await;
    let (loc, rule, _) = r.first_error();
    assert_eq!(
        (loc.as_str(), rule.as_str()),
        ("body.image", "image_capture_only")
    );
    // 3: a text file as the image: 415
    let r = post(form(
        &[("session_public_id", &session), ("capture_type", "IMAGE")],
        Some(b"hello"),
    ))
    .await;
    assert_eq!(r.status, 415);
    // 4: a broken form: 400
    let r = post((
        "multipart/form-data; boundary=nope".to_string(),
        b"--other\r\n".to_vec(),
    ))
    .await;
    assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(&r.body));
}
