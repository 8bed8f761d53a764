//! Label jobs over real HTTP on the local adapters: submit, poll, download, and read
//! every symbol back with an independent decoder (rxing). Sheets are rasterised by
//! poppler (`pdftoppm -r 300 -gray`, which shares no code with our writer), cut at the
//! label pitch the stock's maker publishes (the numbers are written out here, not taken
//! from our stock table), and each cell decoded; the grid is measured on the raster.
//!
//! Needs `pdftoppm` (run `make test` once: `tests/setup.sh` installs it).

use e2e::{scan, scan_luma, Server};
use std::io::Read;
use std::process::Command;

const LABELS: &str = "/products/api/v1/labels/";
const DPI: f64 = 300.0;
/// One pixel at 300 dpi is 0.085 mm: measured edges are within a pixel.
const TOLERANCE_MM: f64 = 0.1;

/// The raw GS1 data a reader reports for bracketed AIs (`(01)...(10)LOT`): a GS after
/// each variable-length value but the last.
fn raw_of(bracketed: &str) -> String {
    let mut out = String::new();
    let parts: Vec<&str> = bracketed.split('(').filter(|p| !p.is_empty()).collect();
    for (i, p) in parts.iter().enumerate() {
        let (ai, value) = p.split_once(')').unwrap();
        out.push_str(ai);
        out.push_str(value);
        let variable = matches!(ai, "10" | "21" | "240" | "250" | "400");
        if variable && i + 1 < parts.len() {
            out.push('\u{1d}');
        }
    }
    out
}

#[tokio::test]
async fn a_zip_of_every_symbology_reads_back() {
    let s = Server::start().await;
    // (symbol, item, what a reader reports)
    let rows = [
        // 0: EAN-13 carries the GTIN
        (
            r#"{"type": "ean13"}"#,
            r#"{"gtin": "9501101020917"}"#,
            "9501101020917".to_string(),
        ),
        // 1: UPC-A
        (
            r#"{"type": "upca"}"#,
            r#"{"gtin": "012345678905"}"#,
            "012345678905".into(),
        ),
        // 2: ITF-14
        (
            r#"{"type": "itf14"}"#,
            r#"{"gtin": "19501101020914"}"#,
            "19501101020914".into(),
        ),
        // 3: GS1-128 carries every AI
        (
            r#"{"type": "gs1_128", "module_width": 0.25}"#,
            r#"{"gtin": "09501101020917", "expiry": "270630", "lot": "LOT1"}"#,
            "01095011010209171727063010LOT1".into(),
        ),
        // 4: auto with AIs is GS1-128
        (
            r#"{"type": "auto"}"#,
            r#"{"gtin": "09501101020917", "serial": "S1"}"#,
            "010950110102091721S1".into(),
        ),
        // 5: DataMatrix, with an extra AI
        (
            r#"{"type": "datamatrix", "module_size": 0.5}"#,
            r#"{"gtin": "09501101020917", "lot": "A1", "serial": "S/2", "ais": {"11": "260101"}}"#,
            raw_of("(01)09501101020917(11)260101(10)A1(21)S/2"),
        ),
        // 6: QR of the Digital Link URI
        (
            r#"{"type": "qr", "ec_level": "Q"}"#,
            r#"{"gtin": "09501101020917", "lot": "L 1"}"#,
            "https://id.gs1.org/01/09501101020917/10/L%201".into(),
        ),
        // 7: Code 128 of the GTIN as text
        (
            r#"{"type": "code128"}"#,
            r#"{"gtin": "09501101020917"}"#,
            "09501101020917".into(),
        ),
    ];
    for (i, (symbol, item, want)) in rows.iter().enumerate() {
        let body = format!(r#"{{"items": [{item}], "symbol": {symbol}, "format": "png"}}"#);
        if i == 6 {
            // A lot with a space is no CSET 82: the 422 names the item's field.
            let (loc, rule, _) = s.call("POST", LABELS, Some(&body)).await.first_error();
            assert_eq!(
                (loc.as_str(), rule.as_str()),
                ("body.items.0.lot", "cset82")
            );
            continue;
        }
        let (zip_bytes, done) = s.run_job(LABELS, &body).await;
        assert_eq!(zip_bytes.header("content-type"), Some("application/zip"));
        assert_eq!(done["count"], 1);
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes.body.clone())).unwrap();
        assert_eq!(zip.len(), 2, "row {i}: one PNG and the manifest");
        let mut manifest = String::new();
        zip.by_name("manifest.csv")
            .unwrap()
            .read_to_string(&mut manifest)
            .unwrap();
        let mut rows = csv::Reader::from_reader(manifest.as_bytes());
        assert_eq!(
            rows.headers().unwrap().iter().collect::<Vec<_>>(),
            ["file", "gtin", "lot", "serial", "expiry", "ais", "text", "type", "data"]
        );
        let row = rows.records().next().unwrap().unwrap();
        let mut png = Vec::new();
        zip.by_name(&row[0]).unwrap().read_to_end(&mut png).unwrap();
        assert_eq!(&scan(&png).0, want, "row {i}: {symbol}");
    }
    // The QR row again with a valid lot: the manifest's data is what the reader sees.
    let body = r#"{"items": [{"gtin": "09501101020917", "lot": "L1"}], "symbol": {"type": "qr"}, "format": "svg"}"#;
    let (zip_bytes, _) = s.run_job(LABELS, body).await;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes.body.clone())).unwrap();
    let mut manifest = String::new();
    zip.by_name("manifest.csv")
        .unwrap()
        .read_to_string(&mut manifest)
        .unwrap();
    assert!(
        manifest.contains("0001_09501101020917_L1.svg,09501101020917,L1,,,,,qr,https://id.gs1.org/01/09501101020917/10/L1"),
        "{manifest}"
    );
}

/// A stock's published geometry, mm.
#[derive(Clone, Copy)]
struct Stock {
    name: &'static str,
    page: (f64, f64),
    columns: usize,
    rows: usize,
    label: (f64, f64),
    pitch: (f64, f64),
    top: f64,
    left: f64,
}

/// Avery's published templates.
const L7160: Stock = Stock {
    name: "L7160",
    page: (210.0, 297.0),
    columns: 3,
    rows: 7,
    label: (63.5, 38.1),
    pitch: (66.04, 38.1),
    top: 15.15,
    left: 7.21,
};
const L7163: Stock = Stock {
    name: "L7163",
    page: (210.0, 297.0),
    columns: 2,
    rows: 7,
    label: (99.1, 38.1),
    pitch: (101.6, 38.1),
    top: 15.15,
    left: 4.65,
};
const AVERY_5160: Stock = Stock {
    name: "5160",
    page: (215.9, 279.4),
    columns: 3,
    rows: 10,
    label: (66.675, 25.4),
    pitch: (69.85, 25.4),
    top: 12.7,
    left: 4.7625,
};

/// One rasterised page: 8-bit grey, row-major.
struct Raster {
    width: usize,
    height: usize,
    luma: Vec<u8>,
}

impl Raster {
    fn dark(&self, x: usize, y: usize) -> bool {
        self.luma[y * self.width + x] < 128
    }

    /// The pixels of the `w` x `h` mm rectangle at (`x`, `y`) mm.
    fn cut(&self, x: f64, y: f64, w: f64, h: f64) -> (Vec<u8>, u32, u32) {
        let px = |mm: f64| (mm * DPI / 25.4).round() as usize;
        let (x0, y0) = (px(x), px(y));
        let (x1, y1) = (px(x + w).min(self.width), px(y + h).min(self.height));
        let mut out = Vec::with_capacity((x1 - x0) * (y1 - y0));
        for row in y0..y1 {
            out.extend_from_slice(&self.luma[row * self.width + x0..row * self.width + x1]);
        }
        (out, (x1 - x0) as u32, (y1 - y0) as u32)
    }
}

/// Every page of `pdf` at 300 dpi, by poppler.
fn rasterise(pdf: &[u8]) -> Vec<Raster> {
    let dir = std::env::temp_dir().join(format!("labels-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("sheet-{}.pdf", pdf.len()));
    std::fs::write(&file, pdf).unwrap();
    let prefix = dir.join(format!("page-{}", pdf.len()));
    let status = Command::new("pdftoppm")
        .args(["-r", "300", "-gray"])
        .arg(&file)
        .arg(&prefix)
        .status()
        .expect("pdftoppm runs (make test installs poppler-utils)");
    assert!(status.success());
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            name.starts_with(&format!("page-{}-", pdf.len())) && name.ends_with(".pgm")
        })
        .collect();
    pages.sort();
    pages
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).unwrap();
            std::fs::remove_file(p).unwrap();
            // P5 <w> <h> 255\n<pixels>
            let mut fields = Vec::new();
            let mut at = 0;
            while fields.len() < 4 {
                while bytes[at].is_ascii_whitespace() {
                    at += 1;
                }
                let start = at;
                while !bytes[at].is_ascii_whitespace() {
                    at += 1;
                }
                fields.push(String::from_utf8_lossy(&bytes[start..at]).to_string());
            }
            assert_eq!(fields[0], "P5");
            let (width, height) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
            Raster {
                width,
                height,
                luma: bytes[at + 1..].to_vec(),
            }
        })
        .collect()
}

/// The x (mm) of every vertical crop mark in the band `y0..y1` mm: the centres of the
/// dark runs along the band's middle row.
fn vertical_marks(page: &Raster, y_mm: f64) -> Vec<f64> {
    let y = (y_mm * DPI / 25.4).round() as usize;
    let mut marks = Vec::new();
    let mut start = None;
    for x in 0..page.width {
        match (page.dark(x, y), start) {
            (true, None) => start = Some(x),
            (false, Some(s)) => {
                marks.push((s + x) as f64 / 2.0 * 25.4 / DPI);
                start = None;
            }
            _ => {}
        }
    }
    marks
}

/// The y (mm) of every horizontal crop mark crossing column `x_mm`.
fn horizontal_marks(page: &Raster, x_mm: f64) -> Vec<f64> {
    let x = (x_mm * DPI / 25.4).round() as usize;
    let mut marks = Vec::new();
    let mut start = None;
    for y in 0..page.height {
        match (page.dark(x, y), start) {
            (true, None) => start = Some(y),
            (false, Some(s)) => {
                marks.push((s + y) as f64 / 2.0 * 25.4 / DPI);
                start = None;
            }
            _ => {}
        }
    }
    marks
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= TOLERANCE_MM
}

/// Runs a sheet job of `items` (JSON objects) with `symbol` on `stock` from
/// `start_position`, with crop marks; checks the page count, the grid against the
/// stock's published geometry, and that every label decodes to `want[i]`.
async fn sheet_reads_back(
    s: &Server,
    stock: Stock,
    symbol: &str,
    items: &[String],
    want: &[String],
    start: usize,
) -> Vec<Raster> {
    let body = format!(
        r#"{{"items": [{}], "symbol": {symbol}, "output": "sheet", "layout": "{}", "crop_marks": true, "start_position": {start}}}"#,
        items.join(","),
        stock.name
    );
    let (pdf, done) = s.run_job(LABELS, &body).await;
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert_eq!(done["done"], items.len());
    let pages = rasterise(&pdf.body);
    let per_page = stock.columns * stock.rows;
    assert_eq!(pages.len(), (items.len() + start - 1).div_ceil(per_page));
    let mm = |px: usize| px as f64 * 25.4 / DPI;
    for (p, page) in pages.iter().enumerate() {
        assert!(close(mm(page.width), stock.page.0) && close(mm(page.height), stock.page.1));
        // GIVEN crop marks at every column edge above the grid and every row edge left
        // of it, THEN they sit where the maker's template puts the label edges.
        let mut want_x: Vec<f64> = (0..stock.columns)
            .flat_map(|c| {
                let x = stock.left + c as f64 * stock.pitch.0;
                [x, x + stock.label.0]
            })
            .collect();
        want_x.dedup_by(|b, a| (*b - *a).abs() < 0.01);
        let got_x = vertical_marks(page, stock.top - 3.0);
        assert_eq!(
            got_x.len(),
            want_x.len(),
            "{} page {p}: {got_x:?}",
            stock.name
        );
        for (g, w) in got_x.iter().zip(&want_x) {
            assert!(
                close(*g, *w),
                "{}: column edge at {g:.3} mm, published {w}",
                stock.name
            );
        }
        let mut want_y: Vec<f64> = (0..stock.rows)
            .flat_map(|r| {
                let y = stock.top + r as f64 * stock.pitch.1;
                [y, y + stock.label.1]
            })
            .collect();
        want_y.dedup_by(|b, a| (*b - *a).abs() < 0.01);
        let got_y = horizontal_marks(page, stock.left - 2.0);
        assert_eq!(
            got_y.len(),
            want_y.len(),
            "{} page {p}: {got_y:?}",
            stock.name
        );
        for (g, w) in got_y.iter().zip(&want_y) {
            assert!(
                close(*g, *w),
                "{}: row edge at {g:.3} mm, published {w}",
                stock.name
            );
        }
    }
    // Every label, cut at the published pitch, reads as its item.
    for (i, want) in want.iter().enumerate() {
        let g = i + start - 1;
        let (page, slot) = (g / per_page, g % per_page);
        let (row, column) = (slot / stock.columns, slot % stock.columns);
        let x = stock.left + column as f64 * stock.pitch.0;
        let y = stock.top + row as f64 * stock.pitch.1;
        let (luma, w, h) = pages[page].cut(x, y, stock.label.0, stock.label.1);
        let got = scan_luma(luma, w, h);
        assert_eq!(
            got.as_ref().map(|g| g.0.as_str()),
            Some(want.as_str()),
            "{} label {i} (page {page}, slot {slot})",
            stock.name
        );
    }
    // The slots before start_position are blank.
    for slot in 0..start - 1 {
        let (row, column) = (slot / stock.columns, slot % stock.columns);
        let x = stock.left + column as f64 * stock.pitch.0;
        let y = stock.top + row as f64 * stock.pitch.1;
        let (luma, _, _) = pages[0].cut(x + 0.5, y + 0.5, stock.label.0 - 1.0, stock.label.1 - 1.0);
        assert!(luma.iter().all(|&v| v > 200), "slot {slot} is not blank");
    }
    pages
}

#[tokio::test]
async fn datamatrix_sheet_on_l7160_reads_back_at_the_published_pitch() {
    let s = Server::start().await;
    // 25 labels from position 3: the first page's 19 free slots, and 6 on a second.
    let items: Vec<String> = (1..=25)
        .map(|i| {
            format!(
                r#"{{"gtin": "09501101020917", "expiry": "270630", "lot": "LOT{}", "serial": "SN{i}", "text": "Item {i}"}}"#,
                i % 3
            )
        })
        .collect();
    let want: Vec<String> = (1..=25)
        .map(|i| {
            raw_of(&format!(
                "(01)09501101020917(17)270630(10)LOT{}(21)SN{i}",
                i % 3
            ))
        })
        .collect();
    let pages = sheet_reads_back(
        &s,
        L7160,
        r#"{"type": "datamatrix", "module_size": 0.4}"#,
        &items,
        &want,
        3,
    )
    .await;
    // The symbol is at its true size: a 22 x 22 DataMatrix at X = 0.4 mm is 8.8 mm,
    // measured on the raster across the first label's finder pattern (the solid
    // left column), and it starts 1.5 mm padding + 2 modules of quiet zone in.
    let page = &pages[0];
    let (x0, y0) = (L7160.left + 2.0 * L7160.pitch.0, L7160.top);
    let px = |mm: f64| (mm * DPI / 25.4).round() as usize;
    let left = (px(x0)..px(x0 + 20.0))
        .find(|&x| (px(y0)..px(y0 + L7160.label.1)).any(|y| page.dark(x, y)))
        .unwrap();
    let left_mm = left as f64 * 25.4 / DPI - x0;
    assert!(
        close(left_mm, 1.5 + 0.8),
        "symbol starts {left_mm:.3} mm in"
    );
    let column: Vec<usize> = (px(y0)..px(y0 + L7160.label.1))
        .filter(|&y| page.dark(left + 1, y))
        .collect();
    let side = (column.last().unwrap() - column.first().unwrap() + 1) as f64 * 25.4 / DPI;
    assert!(close(side, 22.0 * 0.4), "symbol is {side:.3} mm tall");
}

#[tokio::test]
async fn gs1_128_on_l7163_and_qr_on_5160_read_back() {
    let s = Server::start().await;
    let items: Vec<String> = (1..=16)
        .map(|i| format!(r#"{{"gtin": "09501101020917", "lot": "B{i}", "text": "Batch B{i}"}}"#))
        .collect();
    let want: Vec<String> = (1..=16)
        .map(|i| format!("010950110102091710B{i}"))
        .collect();
    sheet_reads_back(
        &s,
        L7163,
        r#"{"type": "gs1_128", "module_width": 0.3, "module_height": 15}"#,
        &items,
        &want,
        1,
    )
    .await;
    let items: Vec<String> = (1..=32)
        .map(|i| format!(r#"{{"gtin": "09501101020917", "serial": "{i}"}}"#))
        .collect();
    let want: Vec<String> = (1..=32)
        .map(|i| format!("https://id.gs1.org/01/09501101020917/21/{i}"))
        .collect();
    sheet_reads_back(
        &s,
        AVERY_5160,
        r#"{"type": "qr", "module_size": 0.5}"#,
        &items,
        &want,
        30,
    )
    .await;
}

#[tokio::test]
async fn a_custom_layout_and_its_text_is_real_text() {
    let s = Server::start().await;
    let body = r#"{"items": [{"gtin": "4006381333931", "text": "Testgerät 1"}, {"gtin": "4006381333931", "text": "Testgerät 2"}],
        "symbol": {"type": "ean13", "module_height": 15}, "output": "sheet", "page": {"width_mm": 100, "height_mm": 150},
        "layout": {"columns": 1, "rows": 2, "label_width_mm": 80, "label_height_mm": 40, "margin_top_mm": 10, "margin_left_mm": 10, "gap_x_mm": 0, "gap_y_mm": 5}}"#;
    let (pdf, _) = s.run_job(LABELS, body).await;
    let pages = rasterise(&pdf.body);
    assert_eq!(pages.len(), 1);
    for (i, y) in [10.0, 55.0].into_iter().enumerate() {
        let (luma, w, h) = pages[0].cut(10.0, y, 80.0, 40.0);
        assert_eq!(
            scan_luma(luma, w, h).unwrap().0,
            "4006381333931",
            "label {i}"
        );
    }
    // The text line is text in the embedded font: extractable, and the font embedded.
    let dir = std::env::temp_dir().join(format!("labels-text-{}.pdf", std::process::id()));
    std::fs::write(&dir, &pdf.body).unwrap();
    let text = Command::new("pdftotext")
        .arg(&dir)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Testgerät 1") && text.contains("Testgerät 2"),
        "{text}"
    );
    let fonts = Command::new("pdffonts").arg(&dir).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(
        fonts
            .lines()
            .any(|l| l.starts_with("OCRB-Regular") && l.contains(" yes ")),
        "{fonts}"
    );
    std::fs::remove_file(&dir).unwrap();
}

#[tokio::test]
async fn every_bad_field_is_named() {
    let s = Server::start().await;
    let dm = r#""symbol": {"type": "datamatrix"}"#;
    let item = r#"{"gtin": "09501101020917", "lot": "A"}"#;
    let sheet = |extra: &str| format!(r#"{{"items": [{item}], {dm}, "output": "sheet", {extra}}}"#);
    let rows = [
        // 0: EAN-13 carries the GTIN alone
        (
            r#"{"items": [{"gtin": "9501101020917"}, {"gtin": "9501101020917", "lot": "A"}], "symbol": {"type": "ean13"}}"#.to_string(),
            "body.items.1.lot",
            "gtin_only",
        ),
        // 1: ITF-14 too, for any AI
        (
            r#"{"items": [{"gtin": "19501101020914", "expiry": "270101"}], "symbol": {"type": "itf14"}}"#.into(),
            "body.items.0.expiry",
            "gtin_only",
        ),
        // 2: a DataMatrix too large for the label at its X-dimension
        (
            format!(r#"{{"items": [{item}], "symbol": {{"type": "datamatrix", "module_size": 3}}, "output": "sheet", "layout": "L7160"}}"#),
            "body.symbol.module_size",
            "symbol_too_large",
        ),
        // 3: an EAN-13 too tall for a 5160 label
        (
            r#"{"items": [{"gtin": "9501101020917"}], "symbol": {"type": "ean13"}, "output": "sheet", "layout": "5160"}"#.into(),
            "body.symbol.module_width",
            "symbol_too_large",
        ),
        // 4: an unknown stock
        (sheet(r#""layout": "L9999""#), "body.layout", "enum"),
        // 5: a stock on another page
        (sheet(r#""layout": "L7160", "page": "Letter""#), "body.page", "page_mismatch"),
        // 6: a custom layout past the page
        (
            sheet(r#""layout": {"columns": 4, "rows": 1, "label_width_mm": 60, "label_height_mm": 30, "margin_top_mm": 0, "margin_left_mm": 0, "gap_x_mm": 0, "gap_y_mm": 0}"#),
            "body.layout",
            "layout_off_page",
        ),
        // 7: a custom layout missing a field
        (
            sheet(r#""layout": {"columns": 4, "rows": 1, "label_width_mm": 60, "label_height_mm": 30, "margin_top_mm": 0, "margin_left_mm": 0, "gap_x_mm": 0}"#),
            "body.layout.gap_y_mm",
            "missing",
        ),
        // 8: start_position past the page's labels
        (
            sheet(r#""layout": "L7160", "start_position": 22"#),
            "body.start_position",
            "less_than_equal",
        ),
        // 9: no such symbol type
        (
            format!(r#"{{"items": [{item}], "symbol": {{"type": "pdf417"}}}}"#),
            "body.symbol.type",
            "enum",
        ),
        // 10: an option out of its endpoint's range
        (
            format!(r#"{{"items": [{item}], "symbol": {{"type": "datamatrix", "module_size": 0.01}}}}"#),
            "body.symbol.module_size",
            "greater_than_equal",
        ),
        // 11: another endpoint's option
        (
            format!(r#"{{"items": [{item}], "symbol": {{"type": "datamatrix", "ec_level": "H"}}}}"#),
            "body.symbol.ec_level",
            "extra_forbidden",
        ),
        // 12: an item without a GTIN
        (
            format!(r#"{{"items": [{{"lot": "A"}}], {dm}}}"#),
            "body.items.0.gtin",
            "missing",
        ),
        // 13: an expiry that is no date, in the second item
        (
            format!(r#"{{"items": [{item}, {{"gtin": "09501101020917", "lot": "A", "expiry": "271399"}}], {dm}}}"#),
            "body.items.1.expiry",
            "yymmd0",
        ),
        // 14: a bad AI in ais
        (
            format!(r#"{{"items": [{{"gtin": "09501101020917", "lot": "A", "ais": {{"11": "261399"}}}}], {dm}}}"#),
            "body.items.0.ais.11",
            "yymmd0",
        ),
        // 15: DataMatrix needs a lot or serial, as its endpoint does
        (
            format!(r#"{{"items": [{{"gtin": "09501101020917"}}], {dm}}}"#),
            "body.items.0.lot",
            "missing",
        ),
        // 16: format belongs to a ZIP
        (sheet(r#""layout": "L7160", "format": "png""#), "body.format", "extra_forbidden"),
        // 17: sheet fields belong to a sheet
        (
            format!(r#"{{"items": [{item}], {dm}, "layout": "L7160"}}"#),
            "body.layout",
            "extra_forbidden",
        ),
        // 18: a format the symbol's endpoint does not offer
        (
            format!(r#"{{"items": [{item}], {dm}, "format": "eps"}}"#),
            "body.format",
            "enum",
        ),
        // 19: a text line too long
        (
            format!(r#"{{"items": [{{"gtin": "09501101020917", "lot": "A", "text": "{}"}}], {dm}}}"#, "x".repeat(101)),
            "body.items.0.text",
            "string_too_long",
        ),
        // 20: no items
        (format!(r#"{{"items": [], {dm}}}"#), "body.items", "too_short"),
        // 21: a GTIN with a wrong check digit
        (
            r#"{"items": [{"gtin": "09501101020918"}], "symbol": {"type": "qr"}}"#.into(),
            "body.items.0.gtin",
            "csum",
        ),
    ];
    for (i, (body, loc, rule)) in rows.iter().enumerate() {
        let (l, r, msg) = s.call("POST", LABELS, Some(body)).await.first_error();
        assert_eq!((l.as_str(), r.as_str()), (*loc, *rule), "row {i}: {msg}");
        if *rule == "symbol_too_large" {
            assert!(msg.contains(" mm too "), "row {i}: {msg}");
        }
    }
}
