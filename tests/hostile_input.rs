//! Hostile input over real HTTP on the local server (issue #14, "Hostile input"): text
//! that is markup or code in every field that reaches an SVG, EPS, PDF, file name or
//! manifest; file names and `Content-Disposition`; body limits, declared and chunked;
//! deep and huge JSON; wrong content types; Unicode that hides or cannot be encoded;
//! API keys that are forged, truncated, revoked or empty, and that no key reaches a log
//! line or an error body. Every refusal is checked as `application/problem+json` with
//! the field at fault in `details[].loc`.
//!
//! Tests named after a bug (`..._was_...`) are the regressions of what this file found.

use e2e::{parse, Reply, Server};
use serde_json::{json, Value};
use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const DL: &str = "/products/api/v1/digital-link/";
const BARCODE: &str = "/products/api/v1/barcode/";
const DATAMATRIX: &str = "/products/api/v1/datamatrix/";
const QR: &str = "/products/api/v1/qr/";
const BULK: &str = "/products/api/v1/qr/bulk/";
const LABELS: &str = "/products/api/v1/labels/";
const SESSIONS: &str = "/scanner/api/v1/sessions";
const CAPTURES: &str = "/scanner/api/v1/captures";
const MIB: usize = 1024 * 1024;

/// Asserts `r` is a problem of `status` and `code` in `application/problem+json`, with
/// the fields every problem has; returns its body.
fn problem(r: &Reply, status: u16, code: &str) -> Value {
    assert_eq!(r.status, status, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        r.header("content-type"),
        Some("application/problem+json"),
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let v = r.json();
    assert_eq!(v["status"], status, "{v}");
    assert_eq!(v["error_code"], code, "{v}");
    for field in ["type", "title", "detail", "timestamp"] {
        assert!(v[field].is_string(), "{field} missing in {v}");
    }
    v
}

/// A 422 problem's first detail: (`loc` joined with '.', rule, message).
fn field_error(r: &Reply) -> (String, String, String) {
    problem(r, 422, "validation_error");
    r.first_error()
}

/// A request body with this server's key and `content_type`.
async fn post_as(s: &Server, path: &str, content_type: &str, body: &[u8]) -> Reply {
    let key = s.key.clone();
    s.raw_bytes(
        "POST",
        path,
        &[("x-api-key", &key), ("content-type", content_type)],
        body,
    )
    .await
}

// ------------------------------------------------------------ 1. markup and code in outputs

/// A Code 128 SVG of `text`, its HRI as `<text>` (`embed_font: false`) or as outlines.
fn code128_svg(text: &str, embed_font: bool) -> String {
    json!({"gtin": text, "barcode_type": "code128", "format": "svg", "embed_font": embed_font})
        .to_string()
}

/// Parses an SVG as XML (no DTD allowed) and returns the text content of its `<text>`
/// elements, after checking that only our elements are there and that `hostile` is in
/// no attribute.
fn svg_texts(svg: &str, hostile: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}: {svg}"));
    let mut texts = Vec::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        assert!(
            ["svg", "defs", "path", "rect", "g", "use", "text"].contains(&name),
            "element <{name}> in {svg}"
        );
        for a in node.attributes() {
            assert!(
                !a.value().contains(hostile),
                "{hostile:?} in attribute {}: {svg}",
                a.name()
            );
        }
        if name == "text" {
            // Text content only: no element inside a <text>.
            assert!(node.children().all(|c| c.is_text()), "{svg}");
            texts.push(node.text().unwrap_or_default().to_string());
        }
    }
    texts
}

#[tokio::test]
async fn markup_in_data_is_only_text_content_in_an_svg() {
    let s = Server::start().await;
    // (request body, the hostile data, what the one <text> element holds)
    let code128 = |t: &str| (code128_svg(t, false), t.to_string(), t.to_string());
    let rows = [
        // 0: a script element
        code128("<script>alert(1)</script>"),
        // 1: the end of a CDATA section, a processing instruction
        code128("]]><?xml-stylesheet href=\"x.xsl\"?>"),
        // 2: entities, raw and already escaped
        code128("&amp; &lt; & &#x3c; &e;"),
        // 3: quotes that would end an attribute
        code128("\" onload=\"alert(1)\" x='"),
        // 4: a DOCTYPE declaring an entity
        code128("<!DOCTYPE x [<!ENTITY e \"boom\">]>"),
        // 5: GS1-128's HRI: CSET 82 allows < > & " ' in a lot
        (
            json!({"gtin": "(01)09501101020917(10)<a>&\"'</a>", "barcode_type": "gs1_128", "format": "svg", "embed_font": false}).to_string(),
            "<a>&\"'</a>".to_string(),
            "(01)09501101020917(10)<a>&\"'</a>".to_string(),
        ),
    ];
    for (i, (body, hostile, want)) in rows.iter().enumerate() {
        let r = s.call("POST", BARCODE, Some(body)).await;
        r.expect(200);
        let svg = String::from_utf8(r.body.clone()).unwrap();
        let texts = svg_texts(&svg, hostile);
        assert_eq!(texts.len(), 1, "row {i}: {svg}");
        assert_eq!(texts[0].replace(' ', ""), want.replace(' ', ""), "row {i}");
        // As outlines (the default), the data is not in the file at all.
        let body = body.replace("\"embed_font\":false", "\"embed_font\":true");
        let r = s.call("POST", BARCODE, Some(&body)).await;
        let svg = String::from_utf8(r.expect(200).body.clone()).unwrap();
        assert!(svg_texts(&svg, hostile).is_empty(), "row {i}");
        assert!(!svg.contains(hostile.as_str()), "row {i}: {svg}");
    }
    // A DataMatrix's HRI (outlines) and a QR (no text) hold no trace of a hostile lot.
    for (path, extra) in [(DATAMATRIX, json!({"write_text": true})), (QR, json!({}))] {
        let mut body = json!({"gtin": "09501101020917", "lot": "<a>&\"'", "format": "svg"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let r = s.call("POST", path, Some(&body.to_string())).await;
        let svg = String::from_utf8(r.expect(200).body.clone()).unwrap();
        assert!(svg_texts(&svg, "<a>").is_empty(), "{path}");
        assert!(!svg.contains("<a>"), "{path}: {svg}");
    }
}

/// Checks an EPS is our program and nothing else: DSC comments, the prolog's
/// definitions, then only numbers and the drawing operators; no string (no `(`), no
/// second `%%EOF` or `showpage`.
fn assert_eps_is_only_drawing(eps: &str) {
    const OPERATORS: [&str; 15] = [
        "save",
        "restore",
        "showpage",
        "translate",
        "dup",
        "neg",
        "scale",
        "setgray",
        "r",
        "m",
        "l",
        "c",
        "z",
        "fill",
        "newpath",
    ];
    let body = eps
        .split_once("%%EndProlog\n")
        .map(|(_, b)| b)
        .unwrap_or_else(|| panic!("no prolog: {eps}"));
    assert_eq!(eps.matches("%%EOF").count(), 1, "{eps}");
    assert_eq!(eps.matches("showpage").count(), 1, "{eps}");
    assert!(!eps.contains('('), "a string in {eps}");
    for line in body.lines().filter(|l| !l.starts_with("%%")) {
        for token in line.split_whitespace() {
            assert!(
                token.parse::<f64>().is_ok() || OPERATORS.contains(&token),
                "{token:?} in line {line:?}"
            );
        }
    }
}

#[tokio::test]
async fn markup_that_a_character_set_refuses_is_a_422_naming_field_rule_and_character() {
    let s = Server::start().await;
    let dm = |field: &str, value: &str| {
        let mut b = json!({"gtin": "09501101020917", "lot": "A1"});
        b[field] = json!(value);
        b
    };
    // (path, body, loc, rule, the character as named)
    let rows = [
        // 0: a backslash, a path separator on Windows, is no CSET 82 character
        (
            DATAMATRIX,
            dm("lot", "..\\x"),
            "body.lot",
            "cset82",
            "'\\\\' (U+005C)",
        ),
        // 1: the end of a CDATA section, braces, a pipe
        (
            DATAMATRIX,
            dm("serial", "]]>"),
            "body.serial",
            "cset82",
            "']' (U+005D)",
        ),
        (QR, dm("lot", "x{y}"), "body.lot", "cset82", "'{' (U+007B)"),
        (
            QR,
            json!({"gtin": "09501101020917", "ais": {"240": "a|b"}}),
            "body.ais.240",
            "cset82",
            "'|' (U+007C)",
        ),
        // 4: a date holds digits only
        (
            DATAMATRIX,
            dm("expiry", "27063<"),
            "body.expiry",
            "csetnumeric",
            "'<' (U+003C)",
        ),
        // 5: in a Digital Link: percent-encoded, and raw
        (
            DL,
            json!({"uri": "https://id.gs1.org/01/09501101020917/10/a%5Cb"}),
            "body.uri",
            "cset82",
            "(U+005C)",
        ),
        (
            DL,
            json!({"uri": "https://id.gs1.org/01/09501101020917/10/a\\b"}),
            "body.uri",
            "dl_syntax",
            "(U+005C)",
        ),
        (
            DL,
            json!({"uri": "https://id.gs1.org/01/09501101020917/10/<script>"}),
            "body.uri",
            "dl_syntax",
            "'<' (U+003C)",
        ),
        // 8: Code 39 has no lowercase and no markup
        (
            BARCODE,
            json!({"gtin": "<SCRIPT>", "barcode_type": "code39"}),
            "body.gtin",
            "code39_charset",
            "'<' (U+003C)",
        ),
        // 9: a label item's lot, below its index
        (
            LABELS,
            json!({"items": [{"gtin": "09501101020917", "lot": "a\\b"}], "symbol": {"type": "datamatrix"}}),
            "body.items.0.lot",
            "cset82",
            "(U+005C)",
        ),
        (
            BULK,
            json!({"gtin": "09501101020917", "items": [{"lot": "a\\b"}]}),
            "body.items.0.lot",
            "cset82",
            "(U+005C)",
        ),
    ];
    for (i, (path, body, want_loc, want_rule, named)) in rows.into_iter().enumerate() {
        let (loc, rule, msg) = field_error(&s.call("POST", path, Some(&body.to_string())).await);
        assert_eq!(
            (loc.as_str(), rule.as_str()),
            (want_loc, want_rule),
            "row {i}: {msg}"
        );
        assert!(msg.contains(named), "row {i}: {msg}");
    }
}

#[tokio::test]
async fn postscript_and_pdf_syntax_in_data_never_becomes_code() {
    let s = Server::start().await;
    let rows = [
        // 0: a PostScript program of its own
        "%!PS\n(pwned) show",
        // 1: closing the string a writer might have opened, then an operator
        ") show (x",
        // 2: a PDF string escape and text operator
        "\\) Tj (",
        // 3: the end of a document
        "%%EOF showpage",
        // 4: a PDF dictionary with JavaScript
        "<< /JS (app.alert(1)) >>",
    ];
    for (i, hostile) in rows.into_iter().enumerate() {
        for format in ["eps", "pdf"] {
            let body = json!({"gtin": hostile, "barcode_type": "code128", "format": format});
            let r = s.call("POST", BARCODE, Some(&body.to_string())).await;
            let bytes = &r.expect(200).body;
            // The HRI is outlines in both: the data is not in the file as text.
            assert!(
                !bytes
                    .windows(hostile.len())
                    .any(|w| w == hostile.as_bytes()),
                "row {i} {format}"
            );
            if format == "eps" {
                assert_eps_is_only_drawing(&String::from_utf8(bytes.clone()).unwrap());
            } else {
                assert_eq!(
                    bytes.windows(5).filter(|w| w == b"%%EOF").count(),
                    1,
                    "row {i}"
                );
                assert!(!bytes.windows(2).any(|w| w == b"Tj"), "row {i}");
            }
        }
    }
}

/// The content streams of a PDF: every `stream` whose data inflates (the font program
/// does not).
fn content_streams(pdf: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(p) = find(&pdf[at..], b"stream\n") {
        let start = at + p + b"stream\n".len();
        let is_end = pdf[..at + p].ends_with(b"end");
        let Some(len) = find(&pdf[start..], b"endstream") else {
            break;
        };
        if !is_end {
            let data = pdf[start..start + len]
                .strip_suffix(b"\n")
                .unwrap_or(&pdf[start..start + len]);
            if let Ok(inflated) = miniz_oxide::inflate::decompress_to_vec_zlib(data) {
                out.push(inflated);
            }
        }
        at = start + len + b"endstream".len();
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// One token of a content stream: a string operand (decoded), or any other word.
#[derive(Debug, PartialEq)]
enum Token {
    Str(Vec<u8>),
    Word(String),
}

/// Tokens of a content stream, with literal strings decoded as PDF 32000-1 7.3.4.2
/// reads them (balanced parentheses, `\` escapes, octal) and hex strings (7.3.4.3).
fn tokens(content: &[u8]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < content.len() {
        match content[i] {
            b'(' => {
                let mut depth = 1;
                let mut s = Vec::new();
                i += 1;
                while depth > 0 {
                    let b = content[i];
                    match b {
                        b'\\' => {
                            i += 1;
                            match content[i] {
                                b'n' => s.push(b'\n'),
                                b'r' => s.push(b'\r'),
                                b't' => s.push(b'\t'),
                                b'b' => s.push(8),
                                b'f' => s.push(12),
                                d @ b'0'..=b'7' => {
                                    let mut v = u32::from(d - b'0');
                                    for _ in 0..2 {
                                        if matches!(content.get(i + 1), Some(b'0'..=b'7')) {
                                            i += 1;
                                            v = v * 8 + u32::from(content[i] - b'0');
                                        }
                                    }
                                    s.push(v as u8);
                                }
                                b'\n' => {}
                                other => s.push(other),
                            }
                        }
                        b'(' => {
                            depth += 1;
                            s.push(b);
                        }
                        b')' => {
                            depth -= 1;
                            if depth > 0 {
                                s.push(b);
                            }
                        }
                        _ => s.push(b),
                    }
                    i += 1;
                }
                out.push(Token::Str(s));
            }
            b'<' | b'>' if matches!(content.get(i..i + 2), Some(b"<<" | b">>")) => {
                out.push(Token::Word(
                    String::from_utf8_lossy(&content[i..i + 2]).to_string(),
                ));
                i += 2;
            }
            b'<' => {
                let end = i + find(&content[i..], b">").unwrap();
                let hex: Vec<u8> = content[i + 1..end]
                    .iter()
                    .copied()
                    .filter(|b| b.is_ascii_hexdigit())
                    .collect();
                let bytes = hex
                    .chunks(2)
                    .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap())
                    .collect();
                out.push(Token::Str(bytes));
                i = end + 1;
            }
            b if b.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                while i < content.len()
                    && !content[i].is_ascii_whitespace()
                    && !matches!(content[i], b'(' | b'<' | b'[' | b']')
                {
                    i += 1;
                }
                if i == start {
                    i += 1;
                }
                out.push(Token::Word(
                    String::from_utf8_lossy(&content[start..i]).to_string(),
                ));
            }
        }
    }
    out
}

#[tokio::test]
async fn label_sheet_text_and_hri_are_escaped_pdf_strings() {
    let s = Server::start().await;
    // Text lines that would end the string and run operators if written raw, and a
    // lot (CSET 82 allows parentheses) that does the same in the HRI.
    let texts = [
        "x) Tj ET BT /F1 99 Tf (y",
        "back\\slash \\) and (paren",
        "(balanced (nested)) text",
        "%!PS-Adobe <</JS (x)>>",
        "]]> <script>",
    ];
    let items: Vec<Value> = texts
        .iter()
        .map(|t| json!({"gtin": "09501101020917", "lot": ")Tj(x", "text": t}))
        .collect();
    let body = json!({
        "items": items,
        "symbol": {"type": "datamatrix", "module_size": 0.4},
        "output": "sheet",
        "layout": "L7160",
    });
    let (pdf, _) = s.run_job(LABELS, &body.to_string()).await;
    let streams = content_streams(&pdf.body);
    assert!(!streams.is_empty());
    let mut shown = Vec::new();
    for content in &streams {
        let tokens = tokens(content);
        // Every string is the operand of a Tj, inside BT ... ET: none was split into
        // operators of its own.
        let mut in_text = false;
        for (i, t) in tokens.iter().enumerate() {
            match t {
                Token::Word(w) if w == "BT" => in_text = true,
                Token::Word(w) if w == "ET" => in_text = false,
                Token::Word(w) if w == "Tj" => {
                    assert!(in_text);
                    let Some(Token::Str(s)) = i.checked_sub(1).map(|j| &tokens[j]) else {
                        panic!("Tj without its string")
                    };
                    shown.push(s.clone());
                }
                Token::Str(_) => assert_eq!(
                    tokens.get(i + 1),
                    Some(&Token::Word("Tj".into())),
                    "a string that is not shown"
                ),
                _ => {}
            }
        }
    }
    for t in texts {
        assert_eq!(
            shown
                .iter()
                .filter(|s| s.as_slice() == t.as_bytes())
                .count(),
            1,
            "{t:?} in {:?}",
            shown
                .iter()
                .map(|s| String::from_utf8_lossy(s))
                .collect::<Vec<_>>()
        );
    }
    let hri = b"(10))Tj(x".to_vec();
    assert_eq!(shown.iter().filter(|s| **s == hri).count(), texts.len());
}

// ------------------------------------------------------------ 2, 3. file names, manifests

/// The ZIP's entries: (name, bytes).
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            // The raw name, not the one zip makes safe to unpack.
            (String::from_utf8_lossy(f.name_raw()).to_string(), data)
        })
        .collect()
}

/// An entry name that stays in the archive wherever it is unpacked: no `..`, no
/// absolute path or drive, no separator at all, only `[A-Za-z0-9_-]` and one `.ext`.
fn assert_contained(name: &str) {
    assert!(!name.contains(".."), "{name}");
    assert!(!name.contains('/') && !name.contains('\\'), "{name}");
    assert!(!name.contains(':'), "{name}");
    let (stem, ext) = name.rsplit_once('.').unwrap();
    assert!(
        stem.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
        "{name}"
    );
    assert!(["png", "svg", "csv"].contains(&ext), "{name}");
}

/// `Content-Disposition` of a download: one `attachment` with a quoted token name.
fn assert_disposition(r: &Reply, ext: &str) {
    let cd = r.header("content-disposition").unwrap();
    let name = cd
        .strip_prefix("attachment; filename=\"")
        .and_then(|n| n.strip_suffix('"'))
        .unwrap_or_else(|| panic!("{cd}"));
    assert!(
        name.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'),
        "{cd}"
    );
    assert!(name.ends_with(ext), "{cd}");
}

#[tokio::test]
async fn zip_entries_stay_in_the_archive_and_downloads_name_themselves_safely() {
    let s = Server::start().await;
    // GIVEN lots and serials that climb or are absolute (CSET 82 has `.` and `/`)
    let values = ["../../etc/x", "..", "/abs/x", "./.x", "a/../../b"];
    let items: Vec<Value> = values
        .iter()
        .map(|v| json!({"lot": v, "serial": v}))
        .collect();
    let body = json!({"gtin": "09501101020917", "items": items, "format": "svg"});
    let (zip, _) = s.run_job(BULK, &body.to_string()).await;
    // THEN every entry stays in the archive, and the download's name is a token
    assert_disposition(&zip, ".zip");
    let entries = unzip(&zip.body);
    assert_eq!(entries.len(), values.len() + 1);
    for (name, _) in &entries {
        assert_contained(name);
    }
    // AND a label ZIP of Code 128 symbols, whose GTIN is free text, too
    let gtins = [
        "../../../etc/passwd",
        "..\\..\\x",
        "C:\\Windows\\x",
        "/abs",
        "a/./b",
    ];
    let items: Vec<Value> = gtins.iter().map(|g| json!({"gtin": g})).collect();
    let body = json!({"items": items, "symbol": {"type": "code128"}, "format": "svg"});
    let (zip, _) = s.run_job(LABELS, &body.to_string()).await;
    assert_disposition(&zip, ".zip");
    let entries = unzip(&zip.body);
    assert_eq!(entries.len(), gtins.len() + 1);
    for (name, _) in &entries {
        assert_contained(name);
    }
    // AND a sheet downloads as a PDF named as safely
    let body = json!({"items": [{"gtin": "09501101020917", "lot": "A"}], "symbol": {"type": "datamatrix"}, "output": "sheet", "layout": "L7160"});
    let (pdf, _) = s.run_job(LABELS, &body.to_string()).await;
    assert_disposition(&pdf, ".pdf");
}

#[tokio::test]
async fn a_formula_in_a_lot_or_a_text_line_was_live_in_the_manifest() {
    let s = Server::start().await;
    // GIVEN lots and serials a spreadsheet would run as formulas (CSET 82 has `=`,
    // `+`, `-`, `'`, `,`, `"`), and a label's text line
    let values = ["=1+2", "+SUM(A1)", "-5", "a,b\"c", "'=x", "LOT1"];
    let items: Vec<Value> = values
        .iter()
        .map(|v| json!({"lot": v, "serial": v}))
        .collect();
    let body = json!({"gtin": "09501101020917", "items": items, "format": "svg"});
    let (zip, _) = s.run_job(BULK, &body.to_string()).await;
    let entries = unzip(&zip.body);
    // THEN each formula-like cell starts with a ', and one ' removed gives the value as
    // sent; the CSV quotes what it must
    let (name, manifest) = entries.last().unwrap();
    assert_eq!(name, "manifest.csv");
    let mut reader = csv::Reader::from_reader(manifest.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), values.len());
    for (i, (row, value)) in rows.iter().zip(values).enumerate() {
        let inert = match value.chars().next() {
            Some('=' | '+' | '-' | '@' | '\'') => format!("'{value}"),
            _ => value.to_string(),
        };
        assert_eq!(&row[2], inert, "row {i}: lot");
        assert_eq!(&row[3], inert, "row {i}: serial");
        assert_eq!(
            row[2].strip_prefix('\'').unwrap_or(&row[2]),
            value,
            "row {i}"
        );
    }
    let formula = "=HYPERLINK(\"http://x.example\",\"y\")";
    let body = json!({"items": [{"gtin": "09501101020917", "text": formula}], "symbol": {"type": "ean13"}, "format": "svg"});
    let (zip, _) = s.run_job(LABELS, &body.to_string()).await;
    let entries = unzip(&zip.body);
    let mut reader = csv::Reader::from_reader(entries.last().unwrap().1.as_slice());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[6], format!("'{formula}"));
}

#[tokio::test]
async fn a_download_path_cannot_put_anything_into_the_headers() {
    let s = Server::start().await;
    // A key with a quote, CR LF and a header of its own, percent-encoded in the path:
    // its signature cannot match, and nothing of it reaches a header.
    let path =
        "/local/objects/bundles/x%22%0D%0ASet-Cookie:%20a=b%3B.zip?expires=99999999999&sig=00";
    let r = s.raw("GET", path, &[], None).await;
    problem(&r, 403, "forbidden");
    assert_eq!(r.header("set-cookie"), None);
    assert_eq!(r.header("content-disposition"), None);
}

// ------------------------------------------------------------ 4. body limits

/// `{"gtin": "..."}`-like JSON of exactly `len` bytes: `head` then spaces then `}`.
fn padded(head: &str, len: usize) -> Vec<u8> {
    let mut b = head.trim_end_matches('}').as_bytes().to_vec();
    b.resize(len - 1, b' ');
    b.push(b'}');
    b
}

#[tokio::test]
async fn render_bodies_over_one_mebibyte_are_413s_and_one_mebibyte_is_read() {
    let s = Server::start().await;
    let gtin = r#"{"gtin": "09501101020917"}"#;
    let rows = [
        (BARCODE, gtin, 200),
        (
            DATAMATRIX,
            r#"{"gtin": "09501101020917", "lot": "A1"}"#,
            200,
        ),
        (QR, gtin, 200),
        (
            DL,
            r#"{"uri": "https://id.gs1.org/01/09501101020917"}"#,
            200,
        ),
        ("/products/api/v1/barcode/signed-url/", gtin, 200),
        (
            "/products/api/v1/datamatrix/signed-url/",
            r#"{"gtin": "09501101020917", "lot": "A1"}"#,
            200,
        ),
        ("/products/api/v1/qr/signed-url/", gtin, 200),
    ];
    for (i, (path, head, ok)) in rows.into_iter().enumerate() {
        let r = post_as(&s, path, "application/json", &padded(head, MIB)).await;
        assert_eq!(
            r.status,
            ok,
            "row {i}: {}",
            String::from_utf8_lossy(&r.body)
        );
        let r = post_as(&s, path, "application/json", &padded(head, MIB + 1)).await;
        let v = problem(&r, 413, "payload_too_large");
        assert!(v["detail"].as_str().unwrap().contains("1048576"), "{v}");
    }
}

/// A bulk QR body of 5000 items with every field at its longest.
fn largest_bulk_items() -> Vec<Value> {
    (0..5000)
        .map(|i| json!({"lot": format!("{i:0>20}"), "serial": format!("S{i:0>19}"), "expiry": "270630"}))
        .collect()
}

/// A label body of 5000 items with every field at its longest, a 100-character text.
fn largest_label_items() -> Vec<Value> {
    (0..5000)
        .map(|i| {
            json!({
                "gtin": "09501101020917",
                "lot": format!("{i:0>20}"),
                "serial": format!("S{i:0>19}"),
                "expiry": "270630",
                "ais": {"11": "260101", "240": "X".repeat(30), "400": "Y".repeat(30)},
                "text": "T".repeat(100),
            })
        })
        .collect()
}

#[tokio::test]
async fn bulk_label_and_capture_bodies_take_ten_mebibytes_and_no_more() {
    let s = Server::start().await;
    let session = s.call("POST", SESSIONS, None).await.expect(201).json();
    let session = session["public_id"].as_str().unwrap().to_string();
    // GIVEN the largest 5000-item requests, made invalid in one field so that nothing
    // is rendered: their 422 names that field, so the whole body was read
    let bulk = json!({"gtin": "not a gtin", "items": largest_bulk_items()}).to_string();
    let labels =
        json!({"items": largest_label_items(), "symbol": {"type": "qr", "module_size": 99}})
            .to_string();
    // (the label body is over the render routes' 1 MiB)
    assert!(
        bulk.len() > MIB / 4 && labels.len() > MIB,
        "{} {}",
        bulk.len(),
        labels.len()
    );
    let (loc, rule, _) = field_error(&s.call("POST", BULK, Some(&bulk)).await);
    assert_eq!(
        (loc.as_str(), rule.as_str()),
        ("body.gtin", "string_pattern_mismatch")
    );
    let (loc, rule, _) = field_error(&s.call("POST", LABELS, Some(&labels)).await);
    assert_eq!(
        (loc.as_str(), rule.as_str()),
        ("body.symbol.module_size", "less_than_equal")
    );
    // AND bodies of 10 MiB are read, one byte more is a 413 (bulk, labels, captures)
    let capture = format!(
        r#"{{"session_public_id": "{session}", "capture_type": "MANUAL", "raw_value": "09501101020917"}}"#
    );
    let rows = [
        (BULK, r#"{"gtin": "x", "items": [{}]}"#.to_string(), 422),
        (
            LABELS,
            r#"{"items": [{"gtin": "x"}], "symbol": {"type": "qr"}}"#.to_string(),
            422,
        ),
        (CAPTURES, capture, 201),
    ];
    for (i, (path, head, ok)) in rows.into_iter().enumerate() {
        let r = post_as(&s, path, "application/json", &padded(&head, 10 * MIB)).await;
        assert_eq!(
            r.status,
            ok,
            "row {i}: {}",
            String::from_utf8_lossy(&r.body)
        );
        let r = post_as(&s, path, "application/json", &padded(&head, 10 * MIB + 1)).await;
        let v = problem(&r, 413, "payload_too_large");
        assert!(
            v["detail"].as_str().unwrap().contains("10485760"),
            "row {i}: {v}"
        );
    }
}

/// Sends `head`, then `chunks` one by one with `pause` between them, while reading the
/// answer: returns it, how many body bytes had been sent when its head arrived, and
/// whether every chunk had been sent by then. Stops sending once answered (the server
/// may close the connection on an unread body).
async fn send_while_reading(
    s: &Server,
    head: String,
    chunks: Vec<Vec<u8>>,
    pause: Duration,
) -> (Reply, usize, bool) {
    let stream = TcpStream::connect(s.addr).await.unwrap();
    let (mut rd, mut wr) = stream.into_split();
    let sent = Arc::new(AtomicUsize::new(0));
    let total: usize = chunks.iter().map(Vec::len).sum();
    let writer = {
        let sent = Arc::clone(&sent);
        tokio::spawn(async move {
            if wr.write_all(head.as_bytes()).await.is_err() {
                return wr;
            }
            for chunk in chunks {
                if wr.write_all(&chunk).await.is_err() {
                    break;
                }
                sent.fetch_add(chunk.len(), Ordering::SeqCst);
                tokio::time::sleep(pause).await;
            }
            wr
        })
    };
    let mut raw = Vec::new();
    let mut sent_at_answer = None;
    let mut buf = vec![0u8; 64 * 1024];
    let read = async {
        loop {
            match rd.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    raw.extend_from_slice(&buf[..n]);
                    if sent_at_answer.is_none() && find(&raw, b"\r\n\r\n").is_some() {
                        sent_at_answer = Some(sent.load(Ordering::SeqCst));
                    }
                    // The answer is whole once its declared length is there.
                    if let Some(reply) = complete(&raw) {
                        return Some(reply);
                    }
                }
            }
        }
        complete(&raw)
    };
    let reply = tokio::time::timeout(Duration::from_secs(30), read)
        .await
        .expect("an answer within 30 s")
        .expect("a complete answer");
    writer.abort();
    let at = sent_at_answer.unwrap_or(total);
    (reply, at, at >= total)
}

/// The response in `raw` once its head and its `content-length` of body are there.
fn complete(raw: &[u8]) -> Option<Reply> {
    let head_end = find(raw, b"\r\n\r\n")? + 4;
    let head = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())?;
    (raw.len() >= head_end + len).then(|| parse(&raw[..head_end + len]))
}

fn request_head(s: &Server, path: &str, framing: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nhost: {}\r\nconnection: close\r\nx-api-key: {}\r\ncontent-type: application/json\r\n{framing}\r\n",
        s.addr, s.key
    )
}

#[tokio::test]
async fn a_body_declared_over_the_limit_was_waited_for_instead_of_refused() {
    let s = Server::start().await;
    // GIVEN a Content-Length of 100 MiB of which 1 KiB is sent, and then nothing
    for (path, limit) in [(BARCODE, MIB), (BULK, 10 * MIB), (CAPTURES, 10 * MIB)] {
        let head = request_head(&s, path, &format!("content-length: {}\r\n", 100 * MIB));
        let started = Instant::now();
        let (r, sent, _) =
            send_while_reading(&s, head, vec![vec![b' '; 1024]], Duration::ZERO).await;
        // THEN the 413 comes at once, before the body (which never comes)
        let v = problem(&r, 413, "payload_too_large");
        assert!(
            v["detail"].as_str().unwrap().contains(&limit.to_string()),
            "{v}"
        );
        assert!(sent <= 1024);
        assert!(started.elapsed() < Duration::from_secs(10), "{path}");
    }
}

#[tokio::test]
async fn a_chunked_body_is_refused_once_it_passes_the_limit() {
    let s = Server::start().await;
    let chunked = |data: &[u8]| {
        let mut c = format!("{:x}\r\n", data.len()).into_bytes();
        c.extend_from_slice(data);
        c.extend_from_slice(b"\r\n");
        c
    };
    // 0: one chunk of 1 MiB + 1 bytes, no final chunk
    let head = request_head(&s, BARCODE, "transfer-encoding: chunked\r\n");
    let (r, _, _) = send_while_reading(
        &s,
        head,
        vec![chunked(&vec![b' '; MIB + 1])],
        Duration::ZERO,
    )
    .await;
    problem(&r, 413, "payload_too_large");
    // 1: 64 KiB chunks, slowly, 16 MiB in all: the 413 arrives while they are being sent,
    // soon after the first MiB, and the server reads no further
    let head = request_head(&s, BARCODE, "transfer-encoding: chunked\r\n");
    let chunks: Vec<Vec<u8>> = (0..256).map(|_| chunked(&[b' '; 64 * 1024])).collect();
    let total: usize = chunks.iter().map(Vec::len).sum();
    let (r, sent, all) = send_while_reading(&s, head, chunks, Duration::from_millis(5)).await;
    problem(&r, 413, "payload_too_large");
    assert!(!all, "the answer waited for the whole body");
    assert!(
        sent < total / 2,
        "{sent} of {total} bytes sent before the answer"
    );
    // 2: a chunk size that is no number: a 400 problem (the body could not be read)
    let head = request_head(&s, BARCODE, "transfer-encoding: chunked\r\n");
    let (r, _, _) = send_while_reading(
        &s,
        head,
        vec![b"zz\r\n{}\r\n0\r\n\r\n".to_vec()],
        Duration::ZERO,
    )
    .await;
    problem(&r, 400, "bad_request");
    // 3: under the limit, chunked is read whole
    let body = br#"{"gtin": "09501101020917"}"#;
    let mut chunks = vec![chunked(body)];
    chunks.push(b"0\r\n\r\n".to_vec());
    let head = request_head(&s, BARCODE, "transfer-encoding: chunked\r\n");
    let (r, _, _) = send_while_reading(&s, head, chunks, Duration::ZERO).await;
    r.expect(200);
}

// ------------------------------------------------------------ 5. deep and huge JSON

#[tokio::test]
async fn deeply_nested_json_is_a_422_not_a_stack_overflow() {
    let s = Server::start().await;
    let rows = [
        // 0: 100,000 opening brackets
        "[".repeat(100_000),
        // 1: objects nested 100,000 deep
        "{\"a\":".repeat(100_000),
        // 2: deep inside a field, closed properly: still past serde_json's 128 levels
        format!(
            r#"{{"gtin": "09501101020917", "ais": {}1{}}}"#,
            "[".repeat(200),
            "]".repeat(200)
        ),
    ];
    for (i, body) in rows.iter().enumerate() {
        for path in [BARCODE, BULK, LABELS, DL] {
            let (loc, rule, msg) = field_error(&s.call("POST", path, Some(body)).await);
            assert_eq!(
                (loc.as_str(), rule.as_str()),
                ("body", "json_invalid"),
                "row {i} {path}"
            );
            assert!(msg.contains("recursion limit"), "row {i} {path}: {msg}");
        }
    }
    s.raw("GET", "/health", &[], None).await.expect(200);
}

#[tokio::test]
async fn a_body_of_many_unknown_keys_was_answered_with_every_one() {
    let s = Server::start().await;
    // GIVEN 1 MiB of unknown keys (about 80,000)
    let mut body = String::from("{");
    let mut n = 0;
    while body.len() < MIB - 64 {
        body.push_str(&format!("\"k{n}\":0,"));
        n += 1;
    }
    body.push_str("\"gtin\":\"09501101020917\"}");
    // THEN one 422 lists 50 of them and says how many (it listed all, 8 MB)
    let r = s.call("POST", BARCODE, Some(&body)).await;
    let v = problem(&r, 422, "validation_error");
    assert_eq!(v["details"].as_array().unwrap().len(), 50);
    assert_eq!(
        v["detail"],
        format!("{n} fields failed validation; the first 50 are listed.")
    );
    assert!(r.body.len() < 16 * 1024, "{} bytes", r.body.len());
}

#[tokio::test]
async fn huge_strings_within_the_limit_are_refused_quickly() {
    let s = Server::start().await;
    let long = "A".repeat(MIB - 200);
    let rows = [
        // 0: Code 128 text
        (
            BARCODE,
            json!({"gtin": long, "barcode_type": "code128"}),
            "body.gtin",
            "length",
        ),
        // 1: a Digital Link
        (
            DL,
            json!({"uri": format!("https://id.gs1.org/01/09501101020917/10/{long}")}),
            "body.uri",
            "length",
        ),
        // 2: an element string
        (
            DL,
            json!({"element_string": format!("(10){long}")}),
            "body.element_string",
            "length",
        ),
        // 3: a lot
        (
            DATAMATRIX,
            json!({"gtin": "09501101020917", "lot": long}),
            "body.lot",
            "length",
        ),
    ];
    for (i, (path, body, want_loc, want_rule)) in rows.into_iter().enumerate() {
        let started = Instant::now();
        let (loc, rule, _) = field_error(&s.call("POST", path, Some(&body.to_string())).await);
        assert_eq!(
            (loc.as_str(), rule.as_str()),
            (want_loc, want_rule),
            "row {i}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "row {i}: {:?}",
            started.elapsed()
        );
    }
}

// ------------------------------------------------------------ 6. content types

#[tokio::test]
async fn a_body_that_is_not_json_sent_as_another_type_is_a_415_everywhere() {
    let s = Server::start().await;
    let posts = [
        DL,
        BARCODE,
        DATAMATRIX,
        QR,
        "/products/api/v1/barcode/signed-url/",
        "/products/api/v1/datamatrix/signed-url/",
        "/products/api/v1/qr/signed-url/",
        BULK,
        LABELS,
        CAPTURES,
    ];
    // (content type, body)
    let not_json = [
        ("text/plain", "gtin=09501101020917".as_bytes()),
        ("application/xml", b"<request><gtin>09501101020917</gtin></request>".as_slice()),
        ("text/xml; charset=utf-8", b"<?xml version=\"1.0\"?><a/>".as_slice()),
        (
            "multipart/form-data; boundary=XyZ",
            b"--XyZ\r\ncontent-disposition: form-data; name=\"gtin\"\r\n\r\n09501101020917\r\n--XyZ--\r\n"
                .as_slice(),
        ),
        ("application/x-www-form-urlencoded", b"gtin=09501101020917".as_slice()),
        ("image/png", b"\x89PNG\r\n\x1a\n".as_slice()),
    ];
    for path in posts {
        for (i, (ct, body)) in not_json.iter().enumerate() {
            let r = post_as(&s, path, ct, body).await;
            if path == CAPTURES && ct.starts_with("multipart/") {
                // The captures route reads multipart forms: this one is one, and
                // lacks the capture's fields.
                let (loc, rule, _) = field_error(&r);
                assert_eq!(
                    (loc.as_str(), rule.as_str()),
                    ("body.session_public_id", "missing")
                );
                continue;
            }
            let v = problem(&r, 415, "unsupported_media_type");
            assert!(
                v["detail"].as_str().unwrap().contains("application/json"),
                "{path} row {i}: {v}"
            );
        }
    }
    // As documented, JSON is read whatever it is labelled (curl -d sends a form type);
    // JSON-looking bytes that do not parse are a 422 at the body, not a 415.
    let json_body = br#"{"gtin": "09501101020917"}"#;
    for ct in [
        "text/plain",
        "application/xml",
        "application/x-www-form-urlencoded",
    ] {
        post_as(&s, BARCODE, ct, json_body).await.expect(200);
        let (loc, rule, _) = field_error(&post_as(&s, BARCODE, ct, b"{\"gtin\": }").await);
        assert_eq!(
            (loc.as_str(), rule.as_str()),
            ("body", "json_invalid"),
            "{ct}"
        );
    }
}

// ------------------------------------------------------------ 7. Unicode

#[tokio::test]
async fn hidden_or_unencodable_characters_are_422s_naming_field_and_character() {
    let s = Server::start().await;
    let dm = |field: &str, value: &str| {
        let mut b = json!({"gtin": "09501101020917", "lot": "A1"});
        b[field] = json!(value);
        b
    };
    let label = |item: Value| json!({"items": [item], "symbol": {"type": "datamatrix"}});
    // (path, body, loc, rule, the code point the message names); scan data has its
    // own test below (a_scan_with_hidden_characters_was_stored_and_echoed_raw)
    let rows: Vec<(&str, Value, &str, &str, &str)> = vec![
        // 0: NUL, a right-to-left mark and override, a zero-width joiner in a lot
        (
            DATAMATRIX,
            dm("lot", "A\u{0}1"),
            "body.lot",
            "forbidden_character",
            "U+0000 NULL",
        ),
        (
            DATAMATRIX,
            dm("lot", "A\u{200f}1"),
            "body.lot",
            "forbidden_character",
            "U+200F RIGHT-TO-LEFT MARK",
        ),
        (
            DATAMATRIX,
            dm("lot", "AB\u{202e}1"),
            "body.lot",
            "forbidden_character",
            "U+202E RIGHT-TO-LEFT OVERRIDE",
        ),
        (
            DATAMATRIX,
            dm("lot", "A\u{200d}1"),
            "body.lot",
            "forbidden_character",
            "U+200D ZERO WIDTH JOINER",
        ),
        // 4: an emoji is no GS1 character (CSET 82, and N for an expiry)
        (
            DATAMATRIX,
            dm("lot", "A😀"),
            "body.lot",
            "cset82",
            "U+1F600",
        ),
        (
            DATAMATRIX,
            dm("serial", "😀"),
            "body.serial",
            "cset82",
            "U+1F600",
        ),
        (
            DATAMATRIX,
            dm("expiry", "27063😀"),
            "body.expiry",
            "csetnumeric",
            "U+1F600",
        ),
        (
            DATAMATRIX,
            dm("gtin", "0950110102091😀"),
            "body.gtin",
            "digits",
            "U+1F600",
        ),
        // 8: an extra AI's value and an AI's key
        (
            DATAMATRIX,
            json!({"gtin": "09501101020917", "lot": "A1", "ais": {"240": "X😀"}}),
            "body.ais.240",
            "cset82",
            "U+1F600",
        ),
        (
            DATAMATRIX,
            json!({"gtin": "09501101020917", "lot": "A1", "ais": {"24\u{200b}0": "X"}}),
            "body.ais.24\u{200b}0",
            "forbidden_character",
            "U+200B ZERO WIDTH SPACE",
        ),
        (
            QR,
            json!({"gtin": "09501101020917", "element_string": "(10)A😀"}),
            "body.element_string",
            "cset82",
            "U+1F600",
        ),
        // 11: Code 128 carries Latin-1 only; code 39 its 43 characters
        (
            BARCODE,
            json!({"gtin": "AB😀", "barcode_type": "code128"}),
            "body.gtin",
            "code128_charset",
            "U+1F600",
        ),
        (
            BARCODE,
            json!({"gtin": "A\u{202e}B", "barcode_type": "code128"}),
            "body.gtin",
            "forbidden_character",
            "U+202E",
        ),
        (
            BARCODE,
            json!({"gtin": "A\u{0}B", "barcode_type": "code128"}),
            "body.gtin",
            "forbidden_character",
            "U+0000",
        ),
        (
            BARCODE,
            json!({"gtin": "AB😀", "barcode_type": "code39"}),
            "body.gtin",
            "code39_charset",
            "U+1F600",
        ),
        // 15: a Digital Link URI: raw, percent-encoded, and hidden
        (
            DL,
            json!({"uri": "https://id.gs1.org/01/09501101020917/10/A😀"}),
            "body.uri",
            "dl_syntax",
            "U+1F600",
        ),
        (
            DL,
            json!({"uri": "https://id.gs1.org/01/09501101020917/10/A%F0%9F%98%80"}),
            "body.uri",
            "cset82",
            "U+1F600",
        ),
        (
            DL,
            json!({"uri": "https://id.gs1.org/01/09501101020917/10/A%E2%80%AE"}),
            "body.uri",
            "cset82",
            "U+202E",
        ),
        (
            DL,
            json!({"uri": "https://id.gs1.org/01/09501101020917/10/A\u{202e}"}),
            "body.uri",
            "forbidden_character",
            "U+202E",
        ),
        (
            DL,
            json!({"stem": "https://x.example/\u{2066}", "uri": "https://id.gs1.org/01/09501101020917"}),
            "body.stem",
            "forbidden_character",
            "U+2066",
        ),
        // 20: a label's text line: hidden characters, controls, beyond Latin-1
        (
            LABELS,
            label(json!({"gtin": "09501101020917", "lot": "A", "text": "Lot \u{202e}A"})),
            "body.items.0.text",
            "forbidden_character",
            "U+202E",
        ),
        (
            LABELS,
            label(json!({"gtin": "09501101020917", "lot": "A", "text": "bell\u{7}"})),
            "body.items.0.text",
            "text_charset",
            "U+0007",
        ),
        (
            LABELS,
            label(json!({"gtin": "09501101020917", "lot": "A", "text": "Box 😀"})),
            "body.items.0.text",
            "text_charset",
            "U+1F600",
        ),
        (
            LABELS,
            label(json!({"gtin": "09501101020917", "lot": "A\u{200d}"})),
            "body.items.0.lot",
            "forbidden_character",
            "U+200D",
        ),
        // 24: a bulk item
        (
            BULK,
            json!({"gtin": "09501101020917", "items": [{}, {"serial": "\u{feff}1"}]}),
            "body.items.1.serial",
            "forbidden_character",
            "U+FEFF",
        ),
    ];
    for (i, (path, body, want_loc, want_rule, code_point)) in rows.into_iter().enumerate() {
        let r = s.call("POST", path, Some(&body.to_string())).await;
        let (loc, rule, msg) = field_error(&r);
        assert_eq!(
            (loc.as_str(), rule.as_str()),
            (want_loc, want_rule),
            "row {i}: {msg}"
        );
        assert!(msg.contains(code_point), "row {i}: {msg}");
        // The character is named, never echoed raw (but for a visible emoji).
        let text = String::from_utf8(r.body.clone()).unwrap();
        for hidden in [
            '\u{0}', '\u{200f}', '\u{202e}', '\u{200d}', '\u{200b}', '\u{2066}', '\u{feff}',
        ] {
            let raw_in_detail = r.json()["detail"].as_str().unwrap().contains(hidden);
            assert!(!raw_in_detail, "row {i}: {text}");
        }
    }
}

#[tokio::test]
async fn a_label_text_line_with_hidden_or_unprintable_characters_was_printed() {
    // GIVEN text lines the sheet printed as stand-ins (and the manifest held raw)
    let s = Server::start().await;
    let rows = [
        // 0: a right-to-left override: the manifest showed the line reversed
        (
            "Lot \u{202e}A",
            "forbidden_character",
            "U+202E RIGHT-TO-LEFT OVERRIDE",
        ),
        // 1: a control character
        ("bell\u{7}", "text_charset", "U+0007"),
        // 2: beyond Latin-1, which the sheet's font encoding cannot hold
        ("Box 😀", "text_charset", "U+1F600"),
        ("Cyrillic \u{416}", "text_charset", "U+0416"),
    ];
    for (i, (text, want_rule, code_point)) in rows.into_iter().enumerate() {
        let body = json!({"items": [{"gtin": "09501101020917", "lot": "A", "text": text}], "symbol": {"type": "datamatrix"}, "output": "sheet", "layout": "L7160"});
        // THEN each is a 422 at the item's text naming the character
        let (loc, rule, msg) = field_error(&s.call("POST", LABELS, Some(&body.to_string())).await);
        assert_eq!(
            (loc.as_str(), rule.as_str()),
            ("body.items.0.text", want_rule),
            "row {i}"
        );
        assert!(msg.contains(code_point), "row {i}: {msg}");
    }
    // AND Latin-1 still prints (an é as its stand-in, as in every HRI)
    let body = json!({"items": [{"gtin": "09501101020917", "lot": "A", "text": "Testgerät café"}], "symbol": {"type": "datamatrix"}, "output": "sheet", "layout": "L7160"});
    s.call("POST", LABELS, Some(&body.to_string()))
        .await
        .expect(202);
}

#[tokio::test]
async fn a_scan_with_hidden_characters_was_stored_and_echoed_raw() {
    let s = Server::start().await;
    let session = s.call("POST", SESSIONS, None).await.expect(201).json();
    let session = session["public_id"].as_str().unwrap().to_string();
    let capture = |raw: &str| {
        json!({"session_public_id": session, "capture_type": "BARCODE", "raw_value": raw})
            .to_string()
    };
    // GIVEN a GTIN with a right-to-left override inside, and a NUL
    for (i, (raw, code_point)) in [("0950110102091\u{202e}7", "U+202E"), ("\u{0}", "U+0000")]
        .into_iter()
        .enumerate()
    {
        // THEN a 422 at raw_value, and nothing stored
        let (loc, rule, msg) = field_error(&s.call("POST", CAPTURES, Some(&capture(raw))).await);
        assert_eq!(
            (loc.as_str(), rule.as_str()),
            ("body.raw_value", "forbidden_character"),
            "row {i}"
        );
        assert!(msg.contains(code_point), "row {i}: {msg}");
    }
    let list = s
        .call("GET", &format!("{SESSIONS}/{session}/captures"), None)
        .await
        .expect(200)
        .json();
    assert_eq!(list["pagination"]["total_count"], 0);
    // AND a scan that is only unusual is kept as scanned: GS separators, and an emoji
    // (a QR code may hold any text: not GS1 data, an ERROR capture)
    let r = s
        .call(
            "POST",
            CAPTURES,
            Some(&capture("]d2010950110102091710ABC\u{1d}17270630")),
        )
        .await;
    assert_eq!(r.expect(201).json()["status"], "NOT_FOUND");
    let r = s.call("POST", CAPTURES, Some(&capture("Hello 😀"))).await;
    let v = r.expect(201).json();
    assert_eq!(
        (v["status"].as_str(), v["raw_value"].as_str()),
        (Some("ERROR"), Some("Hello 😀"))
    );
}

#[tokio::test]
async fn a_stem_that_is_no_uri_began_the_canonical_uri() {
    let s = Server::start().await;
    let rows = [
        // 0: a space and markup
        ("https://x.example/a b<script>", "url_syntax", "U+0020"),
        // 1: a non-ASCII letter (an IRI, not a URI: percent-encode it)
        ("https://x.example/caf\u{e9}", "url_syntax", "U+00E9"),
        // 2: a hidden character
        (
            "https://x.example/\u{2066}",
            "forbidden_character",
            "U+2066",
        ),
    ];
    for (i, (stem, want_rule, code_point)) in rows.into_iter().enumerate() {
        let body = json!({"stem": stem, "uri": "https://id.gs1.org/01/09501101020917"});
        let (loc, rule, msg) = field_error(&s.call("POST", DL, Some(&body.to_string())).await);
        assert_eq!(
            (loc.as_str(), rule.as_str()),
            ("body.stem", want_rule),
            "row {i}"
        );
        assert!(msg.contains(code_point), "row {i}: {msg}");
    }
    // A percent-encoded stem is a URI.
    let body = json!({"stem": "https://x.example/caf%C3%A9", "ais": {"01": "09501101020917"}});
    let v = s
        .call("POST", DL, Some(&body.to_string()))
        .await
        .expect(200)
        .json();
    assert_eq!(
        v["canonical_uri"],
        "https://x.example/caf%C3%A9/01/09501101020917"
    );
}

#[tokio::test]
async fn an_invisible_character_was_echoed_raw_and_a_bad_character_left_unnamed() {
    let s = Server::start().await;
    let rows = [
        // 0: an AI with a zero-width space: its detail held the character raw
        (
            DATAMATRIX,
            json!({"gtin": "09501101020917", "lot": "A", "ais": {"24\u{200b}0": "X"}}),
            "U+200B ZERO WIDTH SPACE",
        ),
        // 1: a URI character was "not permitted", not named
        (
            DL,
            json!({"uri": "https://id.gs1.org/01/09501101020917/10/A B"}),
            "' ' (U+0020)",
        ),
        // 2: a digit field named no character at all
        (
            DATAMATRIX,
            json!({"gtin": "09501101020917", "lot": "A", "expiry": "2706x0"}),
            "'x' (U+0078) is not a digit",
        ),
        // 3: CSET 64 neither
        (
            DATAMATRIX,
            json!({"gtin": "09501101020917", "lot": "A", "ais": {"8030": "ab*c"}}),
            "'*' (U+002A) is not in GS1 CSET 64",
        ),
    ];
    for (i, (path, body, named)) in rows.into_iter().enumerate() {
        let r = s.call("POST", path, Some(&body.to_string())).await;
        let (_, _, msg) = field_error(&r);
        assert!(msg.contains(named), "row {i}: {msg}");
        let detail = r.json()["detail"].as_str().unwrap().to_string();
        assert!(!detail.contains('\u{200b}'), "row {i}: {detail}");
    }
}

#[tokio::test]
async fn lone_surrogates_and_invalid_utf_8_are_json_errors_at_the_body() {
    let s = Server::start().await;
    let rows: [(&str, &[u8]); 4] = [
        // 0: a lone high surrogate escape
        (BARCODE, br#"{"gtin": "\ud800", "barcode_type": "code128"}"#),
        // 1: a lone low surrogate in a lot
        (
            DATAMATRIX,
            br#"{"gtin": "09501101020917", "lot": "A\udc00"}"#,
        ),
        // 2: bytes that are not UTF-8 in a string
        (DL, b"{\"uri\": \"https://id.gs1.org/01/\xff\xfe\"}"),
        // 3: an overlong encoding of '/'
        (LABELS, b"{\"items\": [{\"gtin\": \"\xc0\xaf\"}]}"),
    ];
    for (i, (path, body)) in rows.into_iter().enumerate() {
        let r = post_as(&s, path, "application/json", body).await;
        let (loc, rule, msg) = field_error(&r);
        assert_eq!(
            (loc.as_str(), rule.as_str()),
            ("body", "json_invalid"),
            "row {i}: {msg}"
        );
        assert!(msg.contains("line 1 column"), "row {i}: {msg}");
    }
}

#[tokio::test]
async fn query_strings_and_paths_name_the_parameter_at_fault() {
    let s = Server::start().await;
    let rows = [
        // 0: a hidden character in a query value, percent-encoded
        (
            "/products/api/v1/qr/09501101020917.svg?lot=A%E2%80%AE1",
            "query.lot",
            "forbidden_character",
        ),
        // 1: bytes that are not UTF-8 in a value: named by its parameter
        (
            "/products/api/v1/datamatrix/09501101020917.svg?lot=%FF%FE",
            "query.lot",
            "url_parsing",
        ),
        // 2: ...and in a parameter's name
        (
            "/products/api/v1/qr/09501101020917.svg?%C3=1",
            "query",
            "url_parsing",
        ),
        // 3: an emoji in a query value: the lot's character set names it
        (
            "/products/api/v1/datamatrix/09501101020917.svg?lot=%F0%9F%98%80",
            "query.lot",
            "cset82",
        ),
        // 4: in the path's data
        (
            "/products/api/v1/barcode/%E2%80%AEABC.svg?barcode_type=code128",
            "path.gtin",
            "forbidden_character",
        ),
        (
            "/products/api/v1/barcode/%FF.svg",
            "path.gtin",
            "url_parsing",
        ),
        (
            "/products/api/v1/barcode/%00A.svg?barcode_type=code128",
            "path.gtin",
            "forbidden_character",
        ),
    ];
    for (i, (path, want_loc, want_rule)) in rows.into_iter().enumerate() {
        let (loc, rule, msg) = field_error(&s.call("GET", path, None).await);
        assert_eq!(
            (loc.as_str(), rule.as_str()),
            (want_loc, want_rule),
            "row {i}: {msg}"
        );
    }
}

// ------------------------------------------------------------ 8. keys

/// Every log line the process writes while these tests run (the server runs in it).
fn logs() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&buffer);
        let writer = move || Sink(Arc::clone(&sink));
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(writer)
            .init();
        buffer
    })
}

/// A writer that appends to the shared log buffer.
struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn bad_keys_are_401s_and_no_key_reaches_a_log_line_or_an_error_body() {
    let logs = logs();
    let s = Server::start().await;
    let (app, _) = gs1_local::open_app(&s.data_dir).await.unwrap();
    let revoked = gs1_local::new_key(&app).await.unwrap();
    gs1_local::keys::run_on(
        &app,
        gs1_local::keys::KeyCommand::Revoke {
            key: revoked.clone(),
        },
    )
    .await
    .unwrap();
    // GIVEN a distinctive forged key (right shape, wrong checksum), the real key cut
    // short, a revoked key, and empty ones
    let forged = "csb_HOSTILEhostileHOSTILEhostile12345_ABCDEFGH".to_string();
    let truncated = s.key[..s.key.len() - 1].to_string();
    let distinctive = "csb_NeverLogThisSecretValue0000000000_ZZZZZZZZ".to_string();
    let rows: Vec<(&str, String)> = vec![
        // 0: forged
        ("x-api-key", forged.clone()),
        ("authorization", format!("Bearer {forged}")),
        // 2: truncated
        ("x-api-key", truncated.clone()),
        // 3: revoked
        ("x-api-key", revoked.clone()),
        ("authorization", format!("bearer {revoked}")),
        // 5: empty
        ("x-api-key", String::new()),
        ("authorization", "Bearer ".into()),
        // 7: another scheme, and a key with a tail
        ("authorization", format!("Basic {distinctive}")),
        ("x-api-key", format!("{distinctive} {}", s.key)),
    ];
    let secrets = [&forged, &truncated, &revoked, &distinctive, &s.key];
    for (i, (header, value)) in rows.iter().enumerate() {
        for (path, body) in [
            (BARCODE, Some(r#"{"gtin": "09501101020917"}"#)),
            ("/products/api/v1/qr/09501101020917.svg", None),
            (BULK, Some(r#"{"gtin": "09501101020917", "items": [{}]}"#)),
        ] {
            let method = if body.is_some() { "POST" } else { "GET" };
            let r = s
                .raw(
                    method,
                    path,
                    &[
                        (*header, value.as_str()),
                        ("content-type", "application/json"),
                    ],
                    body,
                )
                .await;
            problem(&r, 401, "unauthorized");
            assert!(r.header("www-authenticate").is_some(), "row {i}");
            let text = String::from_utf8_lossy(&r.body).to_string();
            for secret in secrets.iter().filter(|k| k.len() > 8) {
                assert!(!text.contains(secret.as_str()), "row {i}: {text}");
                // Nor the random part of any key.
                assert!(!text.contains(&secret[4..20]), "row {i}: {text}");
            }
        }
    }
    // AND with the real key: a 422, a 404, a 413 and a success
    s.call("POST", BARCODE, Some(r#"{"gtin": "x"}"#))
        .await
        .expect(422);
    s.call("GET", "/products/api/v1/nothing", None)
        .await
        .expect(404);
    post_as(&s, BARCODE, "application/json", &padded("{}", MIB + 1))
        .await
        .expect(413);
    s.call("POST", BARCODE, Some(r#"{"gtin": "09501101020917"}"#))
        .await
        .expect(200);
    // THEN the refusals were logged, by the key's hash, and no key in any line
    let text = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("request refused"),
        "no refusal was logged: {text}"
    );
    assert!(text.contains("key_id="), "{text}");
    for secret in secrets.iter().filter(|k| k.len() > 8) {
        assert!(!text.contains(secret.as_str()), "a key in the logs: {text}");
        assert!(
            !text.contains(&secret[4..20]),
            "part of a key in the logs: {text}"
        );
    }
}
