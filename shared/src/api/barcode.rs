//! `POST /products/api/v1/barcode/` and its cacheable twin
//! `GET /products/api/v1/barcode/{gtin}.{svg|png|eps|pdf}?<same options>`.
//!
//! Both read the same fields (the spec's `BarcodePayload` plus `dpi`, `bearer`,
//! `code39_check`), run the same encode -> layout -> render pipeline and answer with
//! the same bytes and ETag, so CloudFront can cache the GET form.

use super::barcode_type::{encode, BarcodeType, EncodeOptions};
use super::fields::Fields;
use super::image::{render_image, FieldFailure, ImageRequest, QueryBuilder};
use crate::render::{layout_linear, Format, LinearOptions, RenderOptions};
use crate::symbol::Bearer;

/// The spec's default quiet zone (GS1 retail recommendation).
const DEFAULT_QUIET_ZONE_MM: f64 = 6.5;

const BODY_FIELDS: &[&str] = &[
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
pub fn routes<S: crate::store::GetApiKey + 'static>(
    app: &std::sync::Arc<super::App<S>>,
) -> axum::Router {
    super::image::routes::<BarcodeRequest, S>(app)
}

/// A validated request: everything needed to draw the image.
#[derive(Debug, Clone, PartialEq)]
pub struct BarcodeRequest {
    pub gtin: String,
    pub barcode_type: BarcodeType,
    pub format: Format,
    pub module_width: f64,
    pub module_height: f64,
    pub font_size: f64,
    /// `None` when not given: the spec's 6.5 mm, or the symbology's minimum quiet zone
    /// if that is wider at this module width (ITF-14 needs 10X: 8 mm at X = 0.8 mm).
    pub quiet_zone: Option<f64>,
    pub write_text: bool,
    pub embed_font: bool,
    pub dpi: u32,
    pub bearer: Bearer,
    pub code39_check: bool,
}

impl ImageRequest for BarcodeRequest {
    const PATH: &'static str = "/products/api/v1/barcode/";
    const BODY_FIELDS: &'static [&'static str] = BODY_FIELDS;
    const FORMATS: &'static [&'static str] = &["svg", "png", "eps", "pdf"];

    fn read(f: &mut Fields, gtin: Option<String>, format: Format) -> BarcodeRequest {
        let names: Vec<&str> = BarcodeType::ALL.iter().map(|(n, _)| *n).collect();
        let barcode_type = BarcodeType::from_name(f.choice("barcode_type", "auto", &names))
            .unwrap_or(BarcodeType::Auto);
        let bearer = match f.choice("bearer", "frame", &["frame", "bars", "none"]) {
            "bars" => Bearer::Bars,
            "none" => Bearer::None,
            _ => Bearer::Frame,
        };
        BarcodeRequest {
            gtin: gtin.unwrap_or_default(),
            barcode_type,
            format,
            module_width: f.number("module_width", 0.33, 0.1, 2.0),
            module_height: f.number("module_height", 25.0, 1.0, 100.0),
            font_size: f.number("font_size", 10.0, 4.0, 24.0),
            quiet_zone: f
                .has("quiet_zone")
                .then(|| f.number("quiet_zone", 6.5, 0.0, 20.0)),
            write_text: f.boolean("write_text", true),
            embed_font: f.boolean("embed_font", true),
            dpi: f.integer("dpi", 300, 72, 2400) as u32,
            bearer,
            code39_check: f.boolean("code39_check", false),
        }
    }

    fn gtin(&self) -> &str {
        &self.gtin
    }

    fn format(&self) -> Format {
        self.format
    }

    fn render(&self) -> Result<Vec<u8>, FieldFailure> {
        let opts = EncodeOptions {
            bearer: self.bearer,
            code39_check: self.code39_check,
        };
        let symbol = encode(self.barcode_type, &self.gtin, opts).map_err(|e| FieldFailure {
            field: e.field.to_string(),
            rule: e.rule.to_string(),
            msg: e.msg,
        })?;
        let layout = LinearOptions {
            x_dimension_mm: self.module_width,
            bar_height_mm: self.module_height,
            quiet_zone_mm: self.quiet_zone.unwrap_or_else(|| {
                let (left, right) = symbol.min_quiet_zone;
                (f64::from(left.max(right)) * self.module_width).max(DEFAULT_QUIET_ZONE_MM)
            }),
            font_size_pt: self.font_size,
            write_text: self.write_text,
            dpi: (self.format == Format::Png).then_some(self.dpi),
        };
        let scene = layout_linear(&symbol, &layout);
        render_image(
            &scene,
            self.format,
            &RenderOptions {
                embed_font: self.embed_font,
                dpi: self.dpi,
            },
        )
    }

    fn query(&self) -> String {
        let mut q = QueryBuilder::default();
        q.push("barcode_type", self.barcode_type.name(), "auto");
        q.push("module_width", self.module_width, 0.33);
        q.push("module_height", self.module_height, 25.0);
        q.push("font_size", self.font_size, 10.0);
        if let Some(qz) = self.quiet_zone {
            q.push("quiet_zone", qz, "");
        }
        q.push("write_text", self.write_text, true);
        q.push("embed_font", self.embed_font, true);
        q.push("dpi", self.dpi, 300);
        let bearer = match self.bearer {
            Bearer::Frame => "frame",
            Bearer::Bars => "bars",
            Bearer::None => "none",
        };
        q.push("bearer", bearer, "frame");
        q.push("code39_check", self.code39_check, false);
        q.finish()
    }
}
