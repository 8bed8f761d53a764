//! Every 1D symbology in every output format, read back by an independent decoder.
//!
//! Encode -> `layout_linear` -> `render` -> rasterise by a path that shares no code with
//! our backends (png crate, resvg, pdftoppm, Ghostscript; see `decode_support`) -> rxing.
//! Each row asserts the decoded text, the barcode format and the symbology identifier.
//! A row that does not read keeps its file and raster under `target/decode-failures/`.
//!
//! Needs `pdftoppm` and `gs` (run `make test` once: `tests/setup.sh` installs them).

mod decode_support;

use std::sync::Mutex;

use decode_support::{decode, keep_failure, rasterise, require_rasterisers, DPI};
use rxing::BarcodeFormat;
use shared::gs1::ElementString;
use shared::render::{layout_linear, render, Format, LinearOptions, RenderOptions};
use shared::symbol::code128::{code128, gs1_128};
use shared::symbol::code39::code39;
use shared::symbol::ean_upc::{ean13, ean8, upca, upce};
use shared::symbol::itf::itf14;
use shared::symbol::{Bearer, Linear};

/// An element string of `(AI, value)` pairs, in the order given.
fn es(pairs: &[(&str, &str)]) -> ElementString {
    pairs.iter().copied().collect()
}

/// The service's default geometry.
const X_MM: f64 = 0.33;
const BAR_HEIGHT_MM: f64 = 25.0;
const QUIET_ZONE_MM: f64 = 6.5;
const FONT_PT: f64 = 10.0;

/// One symbol and what a reader must report for it.
struct Row {
    name: &'static str,
    symbol: fn() -> Linear,
    text: &'static str,
    format: BarcodeFormat,
    /// rxing's identifier; it reports modifier 0 for every ITF and Code 39 (it never
    /// says `]I1` or `]A1`), so those rows pin that down rather than the ISO ideal.
    symbology_id: &'static str,
    /// Ask the reader to verify and strip the Code 39 check character.
    code39_check: bool,
    /// Resolution at which SVG, PDF and EPS are rasterised for rxing.
    vector_dpi: u32,
}

/// rxing 0.9.3's ITF reader (a port of ZXing's) tries the 2:1 stop pattern first and
/// accepts it anywhere in the row: when 300 dpi quantisation or Ghostscript's
/// any-part-of-pixel fill draws our 3:1 stop as 3,4,12 or 4,3,13 px (X = 0.33 mm is
/// 3.9 px), the 2:1 search skips the real stop, matches inside the data, fails the
/// quiet-zone check there, and the 3:1 pattern is never tried. The rasters are right:
/// zxing-cpp reads them. (ZXing has since loosened its ITF matching for 3:1 symbols,
/// zxing/zxing#2014.) The same files read at 600 dpi, so the
/// ITF rows rasterise their vector files at 600; their PNG rows stay at 300 dpi.
const ITF_VECTOR_DPI: u32 = 600;

fn rows() -> Vec<Row> {
    vec![
        // 0
        Row {
            name: "ean13",
            symbol: || ean13("9501101020917").unwrap(),
            text: "9501101020917",
            format: BarcodeFormat::EAN_13,
            symbology_id: "]E0",
            code39_check: false,
            vector_dpi: DPI,
        },
        // 1
        Row {
            name: "ean8",
            symbol: || ean8("95011011").unwrap(),
            text: "95011011",
            format: BarcodeFormat::EAN_8,
            symbology_id: "]E4",
            code39_check: false,
            vector_dpi: DPI,
        },
        // 2: rxing reports UPC-A as such when UPC_A is a possible format (zxing-cpp says EAN13)
        Row {
            name: "upca",
            symbol: || upca("012345000065").unwrap(),
            text: "012345000065",
            format: BarcodeFormat::UPC_A,
            symbology_id: "]E0",
            code39_check: false,
            vector_dpi: DPI,
        },
        // 3: rxing gives the 8 UPC-E digits, not the expansion
        Row {
            name: "upce",
            symbol: || upce("01234565").unwrap(),
            text: "01234565",
            format: BarcodeFormat::UPC_E,
            symbology_id: "]E0",
            code39_check: false,
            vector_dpi: DPI,
        },
        // 4
        Row {
            name: "itf14-frame",
            symbol: || itf14("19501101020914", Bearer::Frame).unwrap(),
            text: "19501101020914",
            format: BarcodeFormat::ITF,
            symbology_id: "]I0",
            code39_check: false,
            vector_dpi: ITF_VECTOR_DPI,
        },
        // 5
        Row {
            name: "itf14-none",
            symbol: || itf14("19501101020914", Bearer::None).unwrap(),
            text: "19501101020914",
            format: BarcodeFormat::ITF,
            symbology_id: "]I0",
            code39_check: false,
            vector_dpi: ITF_VECTOR_DPI,
        },
        // 6
        Row {
            name: "code128",
            symbol: || code128("ABC-123 xyz").unwrap(),
            text: "ABC-123 xyz",
            format: BarcodeFormat::CODE_128,
            symbology_id: "]C0",
            code39_check: false,
            vector_dpi: DPI,
        },
        // 7: (10) is variable-length but last, so no separator at all
        Row {
            name: "gs1-128",
            symbol: || {
                let ais = [("01", "09501101020917"), ("17", "270630"), ("10", "LOT1")];
                gs1_128(&es(&ais)).unwrap()
            },
            text: "]C101095011010209171727063010LOT1",
            format: BarcodeFormat::CODE_128,
            symbology_id: "]C1",
            code39_check: false,
            vector_dpi: DPI,
        },
        // 8: (10) not last: FNC1 after it, read as GS; none after the fixed-length (01)
        Row {
            name: "gs1-128-gs",
            symbol: || {
                let ais = [("01", "09501101020917"), ("10", "LOT1"), ("17", "270630")];
                gs1_128(&es(&ais)).unwrap()
            },
            text: "]C1010950110102091710LOT1\u{1d}17270630",
            format: BarcodeFormat::CODE_128,
            symbology_id: "]C1",
            code39_check: false,
            vector_dpi: DPI,
        },
        // 9
        Row {
            name: "code39",
            symbol: || code39("ABC-123", false).unwrap(),
            text: "ABC-123",
            format: BarcodeFormat::CODE_39,
            symbology_id: "]A0",
            code39_check: false,
            vector_dpi: DPI,
        },
        // 10: A=10 B=11 C=12 -=36 1 2 3, sum 75, mod 43 = 32 = W; as printed...
        Row {
            name: "code39-check-plain",
            symbol: || code39("ABC-123", true).unwrap(),
            text: "ABC-123W",
            format: BarcodeFormat::CODE_39,
            symbology_id: "]A0",
            code39_check: false,
            vector_dpi: DPI,
        },
        // 11: ...and verified (and stripped) by the reader
        Row {
            name: "code39-check",
            symbol: || code39("ABC-123", true).unwrap(),
            text: "ABC-123",
            format: BarcodeFormat::CODE_39,
            symbology_id: "]A0",
            code39_check: true,
            vector_dpi: DPI,
        },
        // 12..15: free text as sent (issue: data changed silently; HRI showed '?')
        Row {
            name: "code128-latin-1",
            symbol: || code128("Testgerät").unwrap(),
            text: "Testgerät",
            format: BarcodeFormat::CODE_128,
            symbology_id: "]C0",
            code39_check: false,
            vector_dpi: DPI,
        },
        Row {
            name: "code128-controls",
            symbol: || code128("Newline\n Tab\t CR\r").unwrap(),
            text: "Newline\n Tab\t CR\r",
            format: BarcodeFormat::CODE_128,
            symbology_id: "]C0",
            code39_check: false,
            vector_dpi: DPI,
        },
        Row {
            name: "code39-spaces",
            symbol: || code39(" ABC ", false).unwrap(),
            text: " ABC ",
            format: BarcodeFormat::CODE_39,
            symbology_id: "]A0",
            code39_check: false,
            vector_dpi: DPI,
        },
        Row {
            name: "code128-space-only",
            symbol: || code128(" ").unwrap(),
            text: " ",
            format: BarcodeFormat::CODE_128,
            symbology_id: "]C0",
            code39_check: false,
            vector_dpi: DPI,
        },
    ]
}

/// How one case is drawn.
#[derive(Clone, Copy)]
struct Drawing {
    format: Format,
    x_mm: f64,
    /// `None`: the symbol's own minimum quiet zone (larger side, both sides).
    quiet_zone_mm: Option<f64>,
    /// `None`: `LinearOptions::for_symbol`'s default size.
    font_pt: Option<f64>,
    embed_font: bool,
}

impl Drawing {
    fn default_geometry(format: Format) -> Self {
        Drawing {
            format,
            x_mm: X_MM,
            quiet_zone_mm: Some(QUIET_ZONE_MM),
            font_pt: Some(FONT_PT),
            embed_font: true,
        }
    }
}

/// Renders `row` as `drawing` says, rasterises and decodes it; `Err` describes a
/// mismatch (and where the evidence was kept).
fn check(row: &Row, drawing: Drawing, tag: &str) -> Result<(), String> {
    let symbol = (row.symbol)();
    let mut opts = LinearOptions::for_symbol(&symbol, drawing.x_mm, BAR_HEIGHT_MM);
    if let Some(q) = drawing.quiet_zone_mm {
        opts.quiet_zone_mm = q;
    }
    if let Some(pt) = drawing.font_pt {
        opts.font_size_pt = pt;
    }
    // Only the PNG has a pixel grid to snap to; vector formats keep exact millimetres.
    opts.dpi = (drawing.format == Format::Png).then_some(DPI);
    let scene = layout_linear(&symbol, &opts);
    let bytes = render(
        &scene,
        drawing.format,
        &RenderOptions {
            embed_font: drawing.embed_font,
            dpi: DPI,
        },
    );
    let name = format!("{}-{tag}-{}", row.name, drawing.format.extension());
    let raster = match rasterise(drawing.format, &bytes, row.vector_dpi, &name) {
        Ok(r) => r,
        Err(e) => {
            let kept = keep_failure(&name, drawing.format, &bytes, None);
            return Err(format!("{name}: {e} (file kept at {})", kept.display()));
        }
    };
    let decoded = decode(&raster, row.code39_check);
    let ok = decoded.as_ref().is_some_and(|d| {
        d.text == row.text
            && d.format == row.format
            && d.symbology_id.as_deref() == Some(row.symbology_id)
    });
    if ok {
        return Ok(());
    }
    let kept = keep_failure(&name, drawing.format, &bytes, Some(&raster));
    Err(format!(
        "{name}: want {:?} {:?} {}, got {decoded:?} ({}x{} px raster kept at {})",
        row.text,
        row.format,
        row.symbology_id,
        raster.width,
        raster.height,
        kept.display()
    ))
}

/// Runs every (row, drawing) case on a few threads (the subprocesses dominate) and
/// fails once, listing every case that did not read.
fn check_all(cases: Vec<(Row, Drawing)>, tag: &str) {
    let total = cases.len();
    let queue = Mutex::new(cases.into_iter());
    let failures = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let Some((row, drawing)) = queue.lock().unwrap().next() else {
                    break;
                };
                if let Err(e) = check(&row, drawing, tag) {
                    failures.lock().unwrap().push(e);
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} of {total} cases did not read back:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_symbology_reads_back_in_every_format() {
    require_rasterisers();
    // GIVEN the default geometry: X 0.33 mm, bars 25 mm, quiet zone 6.5 mm, 10 pt text
    let cases = Format::ALL
        .into_iter()
        .flat_map(|f| {
            rows()
                .into_iter()
                .map(move |r| (r, Drawing::default_geometry(f)))
        })
        .collect();
    check_all(cases, "default");
}

#[test]
fn small_x_png_reads_back_with_minimum_quiet_zones() {
    // GIVEN X = 0.25 mm (snapped to 3 px = 0.254 mm at 300 dpi), each symbology's own
    // minimum quiet zone and default text size: the tightest PNG the service draws
    let cases = rows()
        .into_iter()
        .map(|r| {
            let drawing = Drawing {
                x_mm: 0.25,
                quiet_zone_mm: None,
                font_pt: None,
                ..Drawing::default_geometry(Format::Png)
            };
            (r, drawing)
        })
        .collect();
    check_all(cases, "small-x");
}

#[test]
fn svg_with_text_elements_reads_back() {
    // GIVEN SVG text as `<text>` elements instead of outlines (resvg is built without
    // text shaping, so the text is dropped: this proves the bars, not the digits)
    let cases = rows()
        .into_iter()
        .map(|r| {
            let drawing = Drawing {
                embed_font: false,
                ..Drawing::default_geometry(Format::Svg)
            };
            (r, drawing)
        })
        .collect();
    check_all(cases, "text-elements");
}
