//! `POST /products/api/v1/barcode/` and its cacheable twin
//! `GET /products/api/v1/barcode/{gtin}.{svg|png|eps|pdf}?<same options>`.
//!
//! Both read the same fields (the spec's `BarcodePayload` plus `dpi`, `bearer`,
//! `code39_check`), run the same encode -> layout -> render pipeline and answer with
//! the same bytes and ETag, so CloudFront can cache the GET form.

use super::barcode_type::{encode, BarcodeType, EncodeOptions};
use super::fields::{ChoiceField, Fields, FlagField, IntegerField, NumberField};
use super::image::{render_image, FieldFailure, ImageRequest, QueryBuilder};
use super::quiet_zone::{check_quiet_zone, min_quiet_zone_mm, QuietZone};
use crate::render::{layout_linear, Format, LinearOptions, RenderOptions, Scene};
use crate::symbol::Bearer;

/// The spec's default quiet zone (GS1 retail recommendation).
const DEFAULT_QUIET_ZONE_MM: f64 = 6.5;

/// `barcode_type`, the spec's names (see [`BarcodeType::ALL`]).
pub const BARCODE_TYPE: ChoiceField<BarcodeType> = ChoiceField {
    name: "barcode_type",
    default: BarcodeType::Auto,
    options: &BarcodeType::ALL,
};
/// `module_width`: the X-dimension in mm (the spec's 0.33 mm is GS1's 100% EAN-13).
pub const MODULE_WIDTH: NumberField = NumberField {
    name: "module_width",
    default: 0.33,
    min: 0.1,
    max: 2.0,
};
/// `module_height`: the height of the normal bars in mm.
pub const MODULE_HEIGHT: NumberField = NumberField {
    name: "module_height",
    default: 25.0,
    min: 1.0,
    max: 100.0,
};
/// `font_size`: the HRI size in pt.
pub const FONT_SIZE: NumberField = NumberField {
    name: "font_size",
    default: 10.0,
    min: 4.0,
    max: 24.0,
};
/// `quiet_zone` in mm, left and right (default: see [`BarcodeRequest::quiet_zone`]):
/// 0, or at least the symbology's minimum ([`super::quiet_zone`]).
pub const QUIET_ZONE: NumberField = NumberField {
    name: "quiet_zone",
    default: DEFAULT_QUIET_ZONE_MM,
    min: 0.0,
    max: 20.0,
};
/// `write_text`: print the HRI.
pub const WRITE_TEXT: FlagField = FlagField {
    name: "write_text",
    default: true,
};
/// `embed_font`: SVG text as OCR-B outlines (else `<text>`).
pub const EMBED_FONT: FlagField = FlagField {
    name: "embed_font",
    default: true,
};
/// `dpi`: PNG resolution.
pub const DPI: IntegerField = IntegerField {
    name: "dpi",
    default: 300,
    min: 72,
    max: 2400,
};
/// `bearer`: ITF-14 bearer bars.
pub const BEARER: ChoiceField<Bearer> = ChoiceField {
    name: "bearer",
    default: Bearer::Frame,
    options: &[
        ("frame", Bearer::Frame),
        ("bars", Bearer::Bars),
        ("none", Bearer::None),
    ],
};
/// `code39_check`: add Code 39's mod-43 check character.
pub const CODE39_CHECK: FlagField = FlagField {
    name: "code39_check",
    default: false,
};

/// The POST body's fields, in the order the OpenAPI document lists them.
pub const BODY_FIELDS: &[&str] = &[
    "gtin",
    "barcode_type",
    "format",
    "module_width",
    "module_height",
    "font_size",
    "quiet_zone",
    "write_text",
    "embed_font",
    "dpi",
    "bearer",
    "code39_check",
];

/// The 1D barcode routes: POST, cacheable GET and signed URL (see [`super::image::routes`]).
pub fn routes<S: crate::api::auth::AuthStore + 'static>(
    app: &std::sync::Arc<super::App<S>>,
) -> axum::Router {
    super::image::routes::<BarcodeRequest, S>(app)
}

/// A validated request: everything needed to draw the image.
#[derive(Debug, Clone, PartialEq)]
pub struct BarcodeRequest {
    /// The `gtin` field as sent: a GTIN, bracketed AIs (GS1-128) or free text (Code 128/39).
    pub gtin: String,
    /// The symbology (`barcode_type`).
    pub barcode_type: BarcodeType,
    /// Output format.
    pub format: Format,
    /// X-dimension in mm (`module_width`).
    pub module_width: f64,
    /// Height of the normal bars in mm (`module_height`).
    pub module_height: f64,
    /// HRI font size in pt (`font_size`).
    pub font_size: f64,
    /// `None` when not given: the spec's 6.5 mm, or the symbology's minimum quiet zone
    /// if that is wider at this module width (ITF-14 needs 10X: 8 mm at X = 0.8 mm).
    /// When given it must be 0 (none) or at least that minimum, and not 0 for ITF-14
    /// with bearer bars ([`super::quiet_zone`]).
    pub quiet_zone: Option<f64>,
    /// Print the HRI (`write_text`).
    pub write_text: bool,
    /// SVG text as OCR-B outlines rather than `<text>` (`embed_font`).
    pub embed_font: bool,
    /// PNG resolution in dpi; module edges land on whole pixels.
    pub dpi: u32,
    /// ITF-14 bearer bars.
    pub bearer: Bearer,
    /// Append Code 39's mod-43 check character.
    pub code39_check: bool,
}

impl BarcodeRequest {
    /// The symbol laid out (what every format draws): bars, quiet zones and HRI at
    /// `module_width`, snapped to whole pixels for a PNG.
    ///
    /// Errors: the data's for this `barcode_type`, or a quiet zone under the minimum.
    pub fn scene(&self) -> Result<Scene, FieldFailure> {
        let opts = EncodeOptions {
            bearer: self.bearer,
            code39_check: self.code39_check,
        };
        let symbol = encode(self.barcode_type, &self.gtin, opts)?;
        if let Some(qz) = self.quiet_zone {
            check_quiet_zone(
                symbol.symbology,
                symbol.bearer,
                QuietZone::Mm(qz),
                self.module_width,
                MODULE_WIDTH.name,
            )?;
        }
        let layout = LinearOptions {
            x_dimension_mm: self.module_width,
            bar_height_mm: self.module_height,
            quiet_zone_mm: self.quiet_zone.unwrap_or_else(|| {
                min_quiet_zone_mm(symbol.symbology, self.module_width).max(DEFAULT_QUIET_ZONE_MM)
            }),
            font_size_pt: self.font_size,
            write_text: self.write_text,
            dpi: (self.format == Format::Png).then_some(self.dpi),
        };
        Ok(layout_linear(&symbol, &layout))
    }
}

impl ImageRequest for BarcodeRequest {
    const PATH: &'static str = "/products/api/v1/barcode/";
    const BODY_FIELDS: &'static [&'static str] = BODY_FIELDS;
    const FORMATS: &'static [&'static str] = &["svg", "png", "eps", "pdf"];

    fn read(f: &mut Fields, gtin: Option<String>, format: Format) -> BarcodeRequest {
        BarcodeRequest {
            gtin: gtin.unwrap_or_default(),
            barcode_type: f.read_choice(&BARCODE_TYPE),
            format,
            module_width: f.read_number(&MODULE_WIDTH),
            module_height: f.read_number(&MODULE_HEIGHT),
            font_size: f.read_number(&FONT_SIZE),
            quiet_zone: f.has(QUIET_ZONE.name).then(|| f.read_number(&QUIET_ZONE)),
            write_text: f.read_flag(&WRITE_TEXT),
            embed_font: f.read_flag(&EMBED_FONT),
            dpi: f.read_integer(&DPI) as u32,
            bearer: f.read_choice(&BEARER),
            code39_check: f.read_flag(&CODE39_CHECK),
        }
    }

    fn gtin(&self) -> &str {
        &self.gtin
    }

    fn format(&self) -> Format {
        self.format
    }

    fn render(&self) -> Result<Vec<u8>, FieldFailure> {
        render_image(
            &self.scene()?,
            self.format,
            &RenderOptions {
                embed_font: self.embed_font,
                dpi: self.dpi,
            },
        )
    }

    fn query(&self) -> String {
        let mut q = QueryBuilder::default();
        q.choice(&BARCODE_TYPE, self.barcode_type);
        q.number(&MODULE_WIDTH, self.module_width);
        q.number(&MODULE_HEIGHT, self.module_height);
        q.number(&FONT_SIZE, self.font_size);
        if let Some(qz) = self.quiet_zone {
            // Given is not the same as absent, even at the default: always written.
            q.push(QUIET_ZONE.name, qz, "");
        }
        q.flag(&WRITE_TEXT, self.write_text);
        q.flag(&EMBED_FONT, self.embed_font);
        q.integer(&DPI, i64::from(self.dpi));
        q.choice(&BEARER, self.bearer);
        q.flag(&CODE39_CHECK, self.code39_check);
        q.finish()
    }
}
