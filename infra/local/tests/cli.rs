//! The `gs1-codes` command line, run as the real binary: `render` gives the API's bytes
//! (the HTTP handlers called in-process through the same router `make run` serves),
//! `batch` writes symbols an independent decoder (rxing) reads back, with the bulk
//! job's names and manifest and an errors file for bad rows, `validate` shows the rule
//! and a caret, and every failure is one line on stderr with a non-zero exit code.

use http_body_util::BodyExt;
use rxing::common::HybridBinarizer;
use rxing::{
    BinaryBitmap, DecodeHints, Luma8LuminanceSource, MultiFormatReader, RXingResultMetadataType,
    RXingResultMetadataValue, Reader,
};
use serde_json::{json, Value};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tower::ServiceExt;

fn gs1_codes(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gs1-codes"))
        .args(args)
        .output()
        .expect("the gs1-codes binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// A fresh directory under the system temp dir.
fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "gs1codes-cli-{name}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Decodes a PNG with rxing: (text, symbology identifier).
fn scan(png_bytes: &[u8]) -> (String, String) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    let source = Luma8LuminanceSource::new(buf, info.width, info.height).unwrap();
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let hints = DecodeHints {
        TryHarder: Some(true),
        ..Default::default()
    };
    let result = MultiFormatReader::default()
        .decode_with_hints(&mut bitmap, &hints)
        .unwrap();
    let id = match result
        .getRXingResultMetadata()
        .get(&RXingResultMetadataType::SYMBOLOGY_IDENTIFIER)
    {
        Some(RXingResultMetadataValue::SymbologyIdentifier(id)) => id.clone(),
        _ => String::new(),
    };
    (result.getText().to_string(), id)
}

/// The API's answer to `POST path` with `body`: (status, bytes), through the local
/// server's router in-process.
async fn api(router: &axum::Router, key: &str, path: &str, body: &Value) -> (u16, Vec<u8>) {
    let req = http::Request::builder()
        .method("POST")
        .uri(path)
        .header("x-api-key", key)
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .unwrap();
    let resp = router.clone().oneshot(req).await.unwrap();
    let status = resp.status().as_u16();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, bytes.to_vec())
}

/// Every type (each 1D symbology, datamatrix, qr) in every format: `render -o -` gives
/// the bytes `POST /products/api/v1/{barcode,datamatrix,qr}/` answers for the same
/// options, and a format an endpoint does not offer fails in both.
#[tokio::test(flavor = "multi_thread")]
async fn render_gives_the_bytes_of_the_api() {
    let data = temp_dir("api");
    let (app, _) = gs1_local::open_app(&data).await.unwrap();
    let key = gs1_local::new_key(&app).await.unwrap();
    let app = std::sync::Arc::new(app);
    let router = shared::api::service(gs1_local::routes(&app), &app);
    const B: &str = "/products/api/v1/barcode/";
    const D: &str = "/products/api/v1/datamatrix/";
    const Q: &str = "/products/api/v1/qr/";
    // (flags, endpoint, the same request as a body without format)
    let rows: Vec<(Vec<&str>, &str, Value)> = vec![
        /* 0 */
        (
            vec!["--gtin", "9501101020917"],
            B,
            json!({"gtin": "9501101020917"}),
        ),
        /* 1 */
        (
            vec![
                "-t",
                "ean13",
                "--gtin",
                "9501101020917",
                "--module-width",
                "0.5",
                "--no-text",
                "--dpi",
                "600",
            ],
            B,
            json!({"gtin": "9501101020917", "barcode_type": "ean13", "module_width": 0.5, "write_text": false, "dpi": 600}),
        ),
        /* 2 */
        (
            vec![
                "-t",
                "ean8",
                "--gtin",
                "95011011",
                "--module-height",
                "10",
                "--font-size",
                "8",
            ],
            B,
            json!({"gtin": "95011011", "barcode_type": "ean8", "module_height": 10, "font_size": 8}),
        ),
        /* 3 */
        (
            vec!["-t", "jan", "--gtin", "4901234567894"],
            B,
            json!({"gtin": "4901234567894", "barcode_type": "jan"}),
        ),
        /* 4 */
        (
            vec!["-t", "upca", "--gtin", "012345000065", "--quiet-zone", "9"],
            B,
            json!({"gtin": "012345000065", "barcode_type": "upca", "quiet_zone": 9}),
        ),
        /* 5 */
        (
            vec!["-t", "upce", "--gtin", "012345000065"],
            B,
            json!({"gtin": "012345000065", "barcode_type": "upce"}),
        ),
        /* 6 */
        (
            vec![
                "-t",
                "itf14",
                "--gtin",
                "19501101020914",
                "--module-width",
                "0.8",
                "--bearer",
                "bars",
            ],
            B,
            json!({"gtin": "19501101020914", "barcode_type": "itf14", "module_width": 0.8, "bearer": "bars"}),
        ),
        /* 7 */
        (
            vec!["-t", "ean14", "--gtin", "9501101020917"],
            B,
            json!({"gtin": "9501101020917", "barcode_type": "ean14"}),
        ),
        /* 8 */
        (
            vec!["-t", "code128", "--gtin", "ABC-123 xyz", "--no-embed-font"],
            B,
            json!({"gtin": "ABC-123 xyz", "barcode_type": "code128", "embed_font": false}),
        ),
        /* 9 */
        (
            vec![
                "-t",
                "gs1-128",
                "--gtin",
                "(01)09501101020917(17)270630(10)LOT1",
            ],
            B,
            json!({"gtin": "(01)09501101020917(17)270630(10)LOT1", "barcode_type": "gs1_128"}),
        ),
        /* 10 */
        (
            vec!["-t", "code39", "--gtin", "ABC-123", "--code39-check"],
            B,
            json!({"gtin": "ABC-123", "barcode_type": "code39", "code39_check": true}),
        ),
        /* 11 */
        (
            vec![
                "-t",
                "datamatrix",
                "--gtin",
                "00012345678905",
                "--lot",
                "LOT-A001",
                "--serial",
                "SN-0001",
                "--expiry",
                "270630",
            ],
            D,
            json!({"gtin": "00012345678905", "lot": "LOT-A001", "serial": "SN-0001", "expiry": "270630"}),
        ),
        /* 12 */
        (
            vec![
                "-t",
                "datamatrix",
                "--gtin",
                "09501101020917",
                "--shape",
                "rectangle",
                "--module-size",
                "0.6",
                "--quiet-zone",
                "3",
                "--text",
                "--font-size",
                "6",
                "--dpi",
                "600",
                "--ai",
                "3103=000500",
                "--element-string",
                "(21)X1",
            ],
            D,
            json!({"gtin": "09501101020917", "shape": "rectangle", "module_size": 0.6, "quiet_zone": 3, "write_text": true,
                         "font_size": 6, "dpi": 600, "ais": {"3103": "000500"}, "element_string": "(21)X1"}),
        ),
        /* 13 */
        (
            vec![
                "-t",
                "qr",
                "--gtin",
                "09501101020917",
                "--lot",
                "LOT1",
                "--serial",
                "SN1",
                "--expiry",
                "270630",
            ],
            Q,
            json!({"gtin": "09501101020917", "lot": "LOT1", "serial": "SN1", "expiry": "270630"}),
        ),
        /* 14 */
        (
            vec![
                "-t",
                "qr",
                "--gtin",
                "9501101020917",
                "--ec-level",
                "H",
                "--size",
                "600",
                "--module-size",
                "0.3",
            ],
            Q,
            json!({"gtin": "9501101020917", "ec_level": "H", "size": 600, "module_size": 0.3}),
        ),
    ];
    let mut compared = 0;
    for (i, (flags, path, body)) in rows.iter().enumerate() {
        for format in ["svg", "png", "eps", "pdf"] {
            let mut body = body.clone();
            body["format"] = json!(format);
            let (status, want) = api(&router, &key, path, &body).await;
            let mut args = vec!["render", "-o", "-", "--format", format];
            args.extend(flags);
            let out = gs1_codes(&args);
            if status == 200 {
                assert!(out.status.success(), "row {i} {format}: {}", stderr(&out));
                assert!(
                    out.stdout == want,
                    "row {i} {format}: bytes differ from the API's"
                );
                compared += 1;
            } else {
                // GIVEN a format the endpoint does not offer (DataMatrix EPS)
                // THEN the CLI refuses it too, naming --format, in one line.
                assert_eq!((status, format, *path), (422, "eps", D), "row {i}");
                assert_eq!(out.status.code(), Some(1), "row {i} {format}");
                assert_eq!(
                    stderr(&out).trim_end(),
                    "gs1-codes: --format: Input should be 'svg', 'png' or 'pdf' [enum]",
                    "row {i}"
                );
            }
        }
    }
    assert_eq!(compared, 15 * 4 - 2);
    let _ = std::fs::remove_dir_all(&data);
}

/// The format comes from the output file's extension; what is written decodes.
#[test]
fn render_writes_the_format_of_the_extension() {
    let dir = temp_dir("ext");
    let rows = [
        // (type, data flags, file, text, symbology identifier)
        /* 0 */
        (
            "ean13",
            vec!["--gtin", "9501101020917"],
            "a.png",
            "9501101020917",
            "]E0",
        ),
        /* 1 */
        (
            "datamatrix",
            vec!["--gtin", "9501101020917", "--lot", "ABC"],
            "b.png",
            "01095011010209171\u{1d}0ABC",
            "]d2",
        ),
        /* 2 */
        (
            "qr",
            vec!["--gtin", "9501101020917", "--lot", "ABC"],
            "c.png",
            "https://id.gs1.org/01/09501101020917/10/ABC",
            "]Q1",
        ),
    ];
    for (i, (ty, flags, file, text, id)) in rows.iter().enumerate() {
        let path = dir.join(file);
        let mut args = vec!["render", "-t", ty, "-o", path.to_str().unwrap()];
        args.extend(flags);
        let out = gs1_codes(&args);
        assert!(out.status.success(), "row {i}: {}", stderr(&out));
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(b"\x89PNG"), "row {i}");
        let (got, got_id) = scan(&bytes);
        // rxing gives the raw GS1 data after ]d2 with GS for FNC1
        assert_eq!(
            got.replace("\u{1d}", ""),
            text.replace("\u{1d}", ""),
            "row {i}"
        );
        assert_eq!(&got_id, id, "row {i}");
    }
    let svg = dir.join("d.svg");
    assert!(gs1_codes(&[
        "render",
        "--gtin",
        "9501101020917",
        "-o",
        svg.to_str().unwrap()
    ])
    .status
    .success());
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<?xml"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Bad input: one line on stderr naming the flag and the rule, exit 1 (2 for usage,
/// as clap's own errors), and never a panic.
#[test]
fn errors_are_one_line_and_an_exit_code() {
    let dir = temp_dir("errors");
    let out_file = dir.join("x.svg");
    let out = out_file.to_str().unwrap();
    let rows: Vec<(Vec<&str>, i32, &str)> = vec![
        /* 0 */
        (
            vec![
                "render",
                "-t",
                "ean13",
                "--gtin",
                "9501101020918",
                "-o",
                out,
            ],
            1,
            "gs1-codes: --gtin: bad check digit: expected 7, got 8 [csum]",
        ),
        /* 1 */
        (
            vec![
                "render",
                "--gtin",
                "9501101020917",
                "--module-width",
                "5",
                "-o",
                out,
            ],
            1,
            "gs1-codes: --module-width: Input should be less than or equal to 2 [less_than_equal]",
        ),
        /* 2 */
        (
            vec![
                "render",
                "-t",
                "qr",
                "--gtin",
                "9501101020917",
                "--dpi",
                "600",
                "-o",
                out,
            ],
            1,
            "gs1-codes: --dpi: does not apply to --type qr",
        ),
        /* 3 */
        (
            vec![
                "render",
                "-t",
                "datamatrix",
                "--gtin",
                "9501101020917",
                "--lot",
                "A",
                "--expiry",
                "271330",
                "-o",
                out,
            ],
            1,
            "gs1-codes: --expiry: AI (17), component 1, character 3: illegal month [yymmd0]",
        ),
        /* 4 */
        (
            vec![
                "render",
                "-t",
                "qr",
                "--gtin",
                "9501101020917",
                "--ec-level",
                "X",
                "-o",
                out,
            ],
            1,
            "gs1-codes: --ec-level: Input should be 'L', 'M', 'Q' or 'H' [enum]",
        ),
        /* 5 */
        (
            vec!["render", "--gtin", "9501101020917", "-o", "x.txt"],
            2,
            "gs1-codes: cannot tell the format of x.txt: give --format svg|png|eps|pdf",
        ),
        /* 6 */
        (
            vec![
                "render",
                "--gtin",
                "9501101020917",
                "-o",
                "/nonexistent/dir/x.svg",
            ],
            1,
            "gs1-codes: /nonexistent/dir/x.svg: No such file or directory (os error 2)",
        ),
        /* 7 */
        (
            vec!["render", "--bogus"],
            2,
            "gs1-codes: unexpected argument '--bogus' found (see --help)",
        ),
        /* 8 */
        (
            vec!["render", "-t", "ean99", "-o", out],
            2,
            "gs1-codes: invalid value 'ean99' for '--type <TYPE>'",
        ),
        /* 9 */
        (
            vec!["batch", "-i", "/nonexistent.csv", "-o", out],
            2,
            "gs1-codes: -o ",
        ),
    ];
    for (i, (args, code, want)) in rows.iter().enumerate() {
        let o = gs1_codes(args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(*code), "row {i}: {err}");
        assert_eq!(err.lines().count(), 1, "row {i}: {err}");
        assert!(err.trim_end().starts_with(want), "row {i}: {err}");
        assert!(!err.contains("panicked"), "row {i}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn unzip(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().to_string(), bytes)
        })
        .collect()
}

/// 60 QR rows, 2 of them bad: 58 PNGs named as the bulk job names them, a manifest
/// whose URIs are what a decoder reads from the images, an errors file with the bad
/// rows' line numbers and rules, and exit code 3.
#[test]
fn batch_writes_a_zip_like_the_bulk_job_and_reports_bad_rows() {
    let dir = temp_dir("batch");
    let mut csv = String::from("gtin,lot,serial,expiry\n");
    for i in 1..=60 {
        let row = match i {
            7 => "09501101020918,LOT1,SN7,270630".to_string(),
            30 => "09501101020917,LOT1,SN30,271330".to_string(),
            _ => format!("09501101020917,LOT{},SN{i},270630", i % 3),
        };
        csv.push_str(&row);
        csv.push('\n');
    }
    let input = dir.join("items.csv");
    std::fs::write(&input, csv).unwrap();
    let zip_path = dir.join("out.zip");
    let o = gs1_codes(&[
        "batch",
        "--type",
        "qr",
        "--format",
        "png",
        "--size",
        "200",
        "-i",
        input.to_str().unwrap(),
        "-o",
        zip_path.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let summary = stdout(&o);
    assert!(summary.starts_with("58 symbols in "), "{summary}");
    assert!(summary.contains(", 2 of 60 rows failed (see "), "{summary}");
    assert_eq!(stderr(&o), "", "no progress bar when not on a terminal");

    let errors = std::fs::read_to_string(dir.join("out.errors.csv")).unwrap();
    assert_eq!(
        errors,
        "line,field,rule,message\n\
         8,gtin,csum,\"bad check digit: expected 7, got 8\"\n\
         31,expiry,yymmd0,\"AI (17), component 1, character 3: illegal month\"\n"
    );

    let files = unzip(&zip_path);
    assert_eq!(files.len(), 59);
    assert_eq!(files[0].0, "0001_09501101020917_LOT1_SN1.png");
    assert_eq!(files[57].0, "0060_09501101020917_LOT0_SN60.png");
    let (name, manifest) = files.last().unwrap();
    assert_eq!(name, "manifest.csv");
    let manifest = String::from_utf8(manifest.clone()).unwrap();
    let lines: Vec<&str> = manifest.lines().collect();
    assert_eq!(lines[0], "file,gtin,lot,serial,expiry,digital_link_uri");
    assert_eq!(lines.len(), 59);
    // Every 10th symbol read back by an independent decoder.
    for (i, (file, png)) in files[..58].iter().enumerate().step_by(10) {
        let row: Vec<&str> = lines[i + 1].split(',').collect();
        assert_eq!(row[0], file, "row {i}");
        let (text, id) = scan(png);
        assert_eq!(id, "]Q1", "row {i}");
        assert_eq!(text, row[5], "row {i}");
        assert_eq!(
            text,
            format!(
                "https://id.gs1.org/01/09501101020917/10/{}/21/{}?17=270630",
                row[2], row[3]
            ),
            "row {i}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// JSON Lines into a directory, DataMatrix with options in the rows: each file decodes
/// to its row's data; a malformed line is reported by its line number.
#[test]
fn batch_reads_json_lines_into_a_directory() {
    let dir = temp_dir("jsonl");
    let input = dir.join("rows.jsonl");
    std::fs::write(
        &input,
        "{\"gtin\": \"9501101020917\", \"lot\": \"A1\"}\n\
         \n\
         {\"gtin\": \"9501101020917\", \"serial\": \"S2\", \"module_size\": 0.8}\n\
         {\"gtin\": \"9501101020917\", \"lot\": \n\
         {\"gtin\": \"9501101020917\", \"serial\": \"S5\", \"expiry\": \"270630\", \"ais\": {\"3103\": \"000500\"}}\n",
    )
    .unwrap();
    let out_dir = dir.join("out");
    let out_arg = format!("{}/", out_dir.display());
    let o = gs1_codes(&[
        "batch",
        "-t",
        "datamatrix",
        "-f",
        "png",
        "-i",
        input.to_str().unwrap(),
        "-o",
        &out_arg,
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "0001_09501101020917_A1.png",
            "0002_09501101020917_S2.png",
            "0004_09501101020917_S5.png",
            "errors.csv",
            "manifest.csv"
        ]
    );
    let rows = [
        // (file, decoded data without GS)
        ("0001_09501101020917_A1.png", "010950110102091710A1"),
        ("0002_09501101020917_S2.png", "010950110102091721S2"),
        (
            "0004_09501101020917_S5.png",
            "010950110102091717270630310300050021S5",
        ),
    ];
    for (i, (file, want)) in rows.iter().enumerate() {
        let (text, id) = scan(&std::fs::read(out_dir.join(file)).unwrap());
        assert_eq!(
            (text.replace('\u{1d}', "").as_str(), id.as_str()),
            (*want, "]d2"),
            "row {i}"
        );
    }
    let errors = std::fs::read_to_string(out_dir.join("errors.csv")).unwrap();
    let lines: Vec<&str> = errors.lines().collect();
    assert_eq!(lines.len(), 2, "{errors}");
    assert!(
        lines[1].starts_with("4,,row_invalid,invalid JSON: "),
        "{errors}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// validate: AIs, HRI and canonical URI; or the rule with a caret under the failing
/// character, exit 1; `--json` for scripts.
#[test]
fn validate_prints_the_data_or_the_rule_with_a_caret() {
    let o = gs1_codes(&["validate", "(01)09501101020917(10)ABC"]);
    assert!(o.status.success());
    assert_eq!(
        stdout(&o),
        "valid element string\n  \
         (01) 09501101020917           GTIN\n  \
         (10) ABC                      BATCH/LOT\n\
         HRI: (01) 09501101020917 (10) ABC\n\
         canonical URI: https://id.gs1.org/01/09501101020917/10/ABC\n"
    );
    let rows = [
        // (input, first line, the input as shown, caret column)
        /* 0 */ ("(01)09501101020917(17)271330", "invalid: AI (17), component 1, character 3: illegal month [yymmd0]", "(01)09501101020917(17)271330", 24),
        /* 1 */ ("https://example.com/01/9501101020917/10/A~B", "invalid: AI (10), component 1, character 2: '~' (U+007E) is not in GS1 CSET 82 [cset82]", "https://example.com/01/9501101020917/10/A~B", 41),
        /* 2 */ ("]d2010950110102091710ABC\u{1d}17271330", "invalid: AI (17), component 1, character 3: illegal month [yymmd0]", "]d2010950110102091710ABC\u{241d}17271330", 29),
        /* 3 */ ("(01)09501101020918", "invalid: AI (01), component 1, character 14: incorrect check digit: expected 7, got 8 [csum]", "(01)09501101020918", 17),
        /* 4 */ ("(01)09501101020917(99", "invalid: missing \")\" after AI [syntax]", "(01)09501101020917(99", 18),
    ];
    for (i, (input, first, shown, col)) in rows.iter().enumerate() {
        let o = gs1_codes(&["validate", input]);
        assert_eq!(o.status.code(), Some(1), "row {i}");
        let text = stdout(&o);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], *first, "row {i}");
        assert_eq!(lines[1], format!("  {shown}"), "row {i}");
        assert_eq!(lines[2], format!("  {}^", " ".repeat(*col)), "row {i}");
        // the caret is under the character the message names
        assert_eq!(stderr(&o), "", "row {i}");
    }
    let o = gs1_codes(&[
        "validate",
        "--json",
        "https://example.com/01/9501101020917/10/ABC?17=270630",
    ]);
    assert!(o.status.success());
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["valid"], true);
    assert_eq!(v["kind"], "digital_link_uri");
    assert_eq!(
        v["canonical_uri"],
        "https://id.gs1.org/01/09501101020917/10/ABC?17=270630"
    );
    assert_eq!(v["hri"], "(01) 09501101020917 (10) ABC (17) 270630");
    assert_eq!(
        v["ais"][2],
        json!({"ai": "17", "value": "270630", "title": "USE BY or EXPIRY"})
    );
    let o = gs1_codes(&["validate", "--json", "(01)09501101020917(17)271330"]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["error"],
        json!({"rule": "yymmd0", "ai": "17", "position": 24,
        "message": "AI (17), component 1, character 3: illegal month"})
    );
}

/// `key` alone prints a key and nothing else on stdout (`KEY=$(make -s key)`);
/// `completions bash` prints a completion script.
#[test]
fn key_prints_only_the_key_and_completions_exist() {
    let data = temp_dir("key");
    let o = Command::new(env!("CARGO_BIN_EXE_gs1-codes"))
        .arg("key")
        .env("DATA_DIR", &data)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.trim().len() > 20 && !out.contains(' '), "{out}");
    let o = gs1_codes(&["completions", "bash"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("gs1-codes") && stdout(&o).contains("render"));
    let _ = std::fs::remove_dir_all(&data);
}
