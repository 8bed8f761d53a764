//! What the benchmarks measure: one request's worth of work per symbol, data in,
//! file bytes out (encode, for GS1-128 and DataMatrix also parse + validate, then layout
//! and render).
//!
//! Shared by `benches/linear.rs` (criterion) and `examples/bench_throughput` (the
//! symbols/s figures `make bench` prints next to Zint's), so both time the same thing.
//!
//! Size: X = [`MODULE_PX`] whole pixels at [`DPI`], bars [`BAR_HEIGHT_X`] X high, the
//! symbology's quiet zone, text on. That is Zint's `--scale=3` (X = 6 px, EAN-13 bars
//! 50X), so a PNG of ours has the pixel size of the reference benchmarks' PNGs.

use shared::gs1::ElementString;
use shared::render::{
    layout_linear, layout_matrix, render, Format, LinearOptions, MatrixOptions, RenderOptions,
};
use shared::symbol::datamatrix::{gs1_datamatrix, DmShape};
use shared::symbol::{code128, ean_upc, itf, Bearer, Linear};

/// Resolution the scenes are snapped to and the PNGs rasterised at.
pub const DPI: u32 = 300;
/// X in pixels: Zint's raster X is 2 px per unit of `--scale`; the references use 3.
pub const MODULE_PX: u32 = 6;
/// Height of the normal bars in X (Zint's default linear height is 50X).
pub const BAR_HEIGHT_X: f64 = 50.0;

/// EAN-13 of the reference benchmarks (`bench_zintcli.sh`).
pub const EAN13: &str = "9501101020917";
/// GS1-128 with a variable-length AI last, as a caller would send it.
pub const GS1_128: &str = "(01)09501101020917(17)270630(10)LOT1";
/// ITF-14 of the same trade item at packaging level 1.
pub const ITF14: &str = "19501101020914";

/// GS1 DataMatrix of the reference benchmarks (`bench_zintcli.sh`), without the serial
/// number: symbol `i` has `SN<i>` appended (22x22 modules for 1 to 5 digits).
pub const DM_PREFIX: &str = "(01)09501101020917(17)270630(10)LOT1(21)SN";
/// Quiet zone of the DataMatrix case, in modules: Zint's with `--quietzones` (its
/// `--scale=3` DataMatrix PNG is 144x144 px: 22 modules + 2 x 1 of 6 px).
pub const DM_QUIET_MODULES: u32 = 1;

/// X in millimetres: [`MODULE_PX`] pixels at [`DPI`].
pub fn x_dimension_mm() -> f64 {
    f64::from(MODULE_PX) * 25.4 / f64::from(DPI)
}

/// The linear symbologies we benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linear1d {
    Ean13,
    Gs1_128,
    Itf14,
}

impl Linear1d {
    pub const ALL: [Linear1d; 3] = [Linear1d::Ean13, Linear1d::Gs1_128, Linear1d::Itf14];

    /// Case-name stem, as in the reference benchmarks (`ean13_svg`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Linear1d::Ean13 => "ean13",
            Linear1d::Gs1_128 => "gs1_128",
            Linear1d::Itf14 => "itf14",
        }
    }

    /// Encodes the benchmark data (GS1-128: parse and validate the element string
    /// first, as the API does).
    pub fn encode(self) -> Linear {
        match self {
            Linear1d::Ean13 => ean_upc::ean13(EAN13).expect("valid EAN-13"),
            Linear1d::Gs1_128 => gs1_128(GS1_128),
            Linear1d::Itf14 => itf::itf14(ITF14, Bearer::Frame).expect("valid ITF-14"),
        }
    }

    /// Data in, file bytes out. `embed_font`: SVG text as OCR-B outlines (the service's
    /// default; every other format always draws outlines) or as `<text>`, as Zint's SVG
    /// writes it (the like-for-like comparison).
    pub fn run(self, format: Format, embed_font: bool) -> Vec<u8> {
        let symbol = self.encode();
        let mut opts =
            LinearOptions::for_symbol(&symbol, x_dimension_mm(), BAR_HEIGHT_X * x_dimension_mm());
        opts.dpi = Some(DPI);
        let scene = layout_linear(&symbol, &opts);
        render(
            &scene,
            format,
            &RenderOptions {
                embed_font,
                dpi: DPI,
            },
        )
    }
}

/// Bracketed element string -> validated message -> GS1-128 symbol, with an FNC1
/// after each AI that is not of predefined length.
pub fn gs1_128(bracketed: &str) -> Linear {
    let message = ElementString::parse_bracketed(bracketed).expect("valid syntax");
    message.validate().expect("valid GS1 data");
    code128::gs1_128(&message).expect("encodable GS1-128")
}

/// GS1 DataMatrix, data in, file bytes out: parse and validate `DM_PREFIX` + `serial`
/// (as the API does), encode square, lay out at X = [`MODULE_PX`] px with a
/// [`DM_QUIET_MODULES`] quiet zone and no HRI (Zint prints none either), render.
pub fn datamatrix(serial: u64, format: Format) -> Vec<u8> {
    let message =
        ElementString::parse_bracketed(&format!("{DM_PREFIX}{serial}")).expect("valid syntax");
    message.validate().expect("valid GS1 data");
    let symbol = gs1_datamatrix(&message, DmShape::Square).expect("fits a square");
    let scene = layout_matrix(
        &symbol,
        &MatrixOptions {
            x_dimension_mm: x_dimension_mm(),
            quiet_zone_modules: DM_QUIET_MODULES,
            write_text: false,
            font_size_pt: 8.0,
            dpi: Some(DPI),
        },
    );
    render(
        &scene,
        format,
        &RenderOptions {
            embed_font: true,
            dpi: DPI,
        },
    )
}

/// QR Code of the reference Digital Link (`SN<serial>`), data in, file bytes out: our
/// segmentation and mask choice, laid out at X = [`MODULE_PX`] px with the 4-module quiet
/// zone, level M (Zint's --scale=3, quiet zones on).
pub fn qr(serial: u64, format: Format) -> Vec<u8> {
    let text = format!("https://id.gs1.org/01/09501101020917/10/LOT1/21/SN{serial}?17=270630");
    let symbol = shared::symbol::qr::qr(&text, shared::symbol::qr::EcLevel::M).expect("fits");
    let scene = layout_matrix(
        &symbol,
        &MatrixOptions {
            x_dimension_mm: x_dimension_mm(),
            quiet_zone_modules: shared::symbol::qr::QR_MIN_QUIET_ZONE,
            write_text: false,
            font_size_pt: 8.0,
            dpi: Some(DPI),
        },
    );
    render(
        &scene,
        format,
        &RenderOptions {
            embed_font: true,
            dpi: DPI,
        },
    )
}
