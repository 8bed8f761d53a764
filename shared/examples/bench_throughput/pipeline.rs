//! What the benchmarks measure: one request's worth of work per symbol, data in,
//! file bytes out (encode, for GS1-128 also parse + validate, then layout and render).
//!
//! Shared by `benches/linear.rs` (criterion) and `examples/bench_throughput` (the
//! symbols/s figures `make bench` prints next to Zint's), so both time the same thing.
//!
//! Size: X = [`MODULE_PX`] whole pixels at [`DPI`], bars [`BAR_HEIGHT_X`] X high, the
//! symbology's quiet zone, text on. That is Zint's `--scale=3` (X = 6 px, EAN-13 bars
//! 50X), so a PNG of ours has the pixel size of the reference benchmarks' PNGs.

use shared::gs1::{self, ElementString};
use shared::render::{layout_linear, render, Format, LinearOptions, RenderOptions};
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

/// X in millimetres: [`MODULE_PX`] pixels at [`DPI`].
pub fn module_mm() -> f64 {
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
        let mut opts = LinearOptions::for_symbol(&symbol, module_mm(), BAR_HEIGHT_X * module_mm());
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
    let ais: Vec<(&str, &str, bool)> = message
        .ais
        .iter()
        .map(|(ai, value)| {
            let fixed = gs1::lookup(ai).is_some_and(|e| e.fixed_length);
            (ai.as_str(), value.as_str(), !fixed)
        })
        .collect();
    code128::gs1_128(&ais, message.to_bracketed()).expect("encodable GS1-128")
}
