//! `POST /products/api/v1/qr/`, its cacheable twin
//! `GET /products/api/v1/qr/{gtin}.{svg|png|eps|pdf}?lot=..&serial=..&expiry=..` and signed
//! URLs, all through [`super::image`]: a QR Code of the canonical GS1 Digital Link URI of
//! the request's GS1 data.
//!
//! Fields: the GS1 data of [`Gs1Fields`] (`gtin`, `lot`, `serial`, `expiry`, extra `ais`
//! or `element_string`), `format`, `ec_level` (L/M/Q/H, default M), `size` (the PNG's
//! side in pixels, 50-2000, default 300) and, beyond the spec, `module_size` (the
//! X-dimension in mm of the vector formats, default 0.5). The quiet zone is always the
//! 4 modules ISO/IEC 18004 requires. The URI's stem is the deployment's
//! (`GS1_DL_STEM`, default `https://id.gs1.org`).
//!
//! A PNG is exactly `size` x `size` pixels: every module the same whole number of
//! pixels (the largest that fits with the quiet zone), the pixels left over added to
//! the quiet zone, so modules are crisp and the image is the size asked for.

use super::fields::{ChoiceField, Fields, IntegerField, NumberField};
use super::gs1_fields::Gs1Fields;
use super::image::{render_image, FieldFailure, ImageRequest, QueryBuilder};
use crate::gs1::digital_link::{DigitalLink, DEFAULT_STEM};
use crate::render::{layout_matrix, Format, MatrixOptions, RenderOptions, Scene};
use crate::symbol::qr::{qr, EcLevel, QR_MIN_QUIET_ZONE};
use std::sync::OnceLock;

/// The PNG resolution written in its `pHYs` chunk; `size` decides the pixels.
const PNG_DPI: u32 = 300;

/// `ec_level`: error correction level (ISO/IEC 18004 6.5.1).
pub const EC_LEVEL: ChoiceField<EcLevel> = ChoiceField {
    name: "ec_level",
    default: EcLevel::M,
    options: &[
        ("L", EcLevel::L),
        ("M", EcLevel::M),
        ("Q", EcLevel::Q),
        ("H", EcLevel::H),
    ],
};
/// `size`: the PNG's side in pixels.
pub const SIZE: IntegerField = IntegerField {
    name: "size",
    default: 300,
    min: 50,
    max: 2000,
};
/// `module_size`: the X-dimension of SVG, EPS and PDF output, in mm.
pub const MODULE_SIZE: NumberField = NumberField {
    name: "module_size",
    default: 0.5,
    min: 0.1,
    max: 5.0,
};

/// The POST body's fields, in the order the OpenAPI document lists them.
pub const BODY_FIELDS: &[&str] = &[
    "gtin",
    "lot",
    "serial",
    "expiry",
    "ais",
    "element_string",
    "format",
    "ec_level",
    "size",
    "module_size",
];

/// The QR routes: POST, cacheable GET and signed URL (see [`super::image::routes`]).
pub fn routes<S: crate::api::auth::AuthStore + 'static>(
    app: &std::sync::Arc<super::App<S>>,
) -> axum::Router {
    super::image::routes::<QrRequest, S>(app)
}

/// The Digital Link stem of this deployment: `GS1_DL_STEM`, else `https://id.gs1.org`.
pub fn stem() -> &'static str {
    static STEM: OnceLock<String> = OnceLock::new();
    STEM.get_or_init(|| {
        std::env::var("GS1_DL_STEM")
            .ok()
            .map(|s| s.trim_end_matches('/').to_string())
            .filter(|s| s.starts_with("https://") || s.starts_with("http://"))
            .unwrap_or_else(|| DEFAULT_STEM.to_string())
    })
}

/// A validated request: everything needed to draw the image.
#[derive(Debug, Clone, PartialEq)]
pub struct QrRequest {
    /// The GS1 data.
    pub data: Gs1Fields,
    /// Output format.
    pub format: Format,
    /// Error correction level.
    pub ec_level: EcLevel,
    /// PNG side in pixels.
    pub size: u32,
    /// X-dimension of the vector formats, in mm.
    pub module_size: f64,
}

impl QrRequest {
    /// The canonical Digital Link URI the QR Code carries.
    ///
    /// Errors: the GS1 data's (see [`Gs1Fields::element_string`]), or an AI with no
    /// place in a Digital Link URI, at its field.
    pub fn uri(&self) -> Result<String, FieldFailure> {
        // The builder validates the whole message; once is enough.
        let es = self.data.unvalidated_element_string()?;
        DigitalLink::from_element_string(&es, Some(stem()))
            .map(|dl| dl.to_string())
            .map_err(|e| self.data.failure(e.gs1_error()))
    }

    /// The image of the QR Code of `uri` in this request's format and size.
    ///
    /// Errors: data over a version 40's capacity; a `size` too small for the symbol.
    pub fn render_uri(&self, uri: &str) -> Result<Vec<u8>, FieldFailure> {
        render_image(
            &self.scene_uri(uri)?,
            self.format,
            &RenderOptions {
                embed_font: true,
                dpi: PNG_DPI,
            },
        )
    }

    /// The QR Code of `uri` laid out with its 4-module quiet zone: `size` pixels for a
    /// PNG, `module_size` mm modules otherwise.
    ///
    /// Errors: as [`QrRequest::render_uri`].
    pub fn scene_uri(&self, uri: &str) -> Result<Scene, FieldFailure> {
        let symbol =
            qr(uri, self.ec_level).map_err(|e| FieldFailure::new("", "capacity", e.to_string()))?;
        Ok(if self.format == Format::Png {
            png_scene(&symbol, self.size)?
        } else {
            layout_matrix(
                &symbol,
                &MatrixOptions {
                    x_dimension_mm: self.module_size,
                    quiet_zone_modules: QR_MIN_QUIET_ZONE,
                    write_text: false,
                    font_size_pt: 8.0,
                    dpi: None,
                },
            )
        })
    }
}

impl ImageRequest for QrRequest {
    const PATH: &'static str = "/products/api/v1/qr/";
    const BODY_FIELDS: &'static [&'static str] = BODY_FIELDS;
    const POST_ONLY_FIELDS: &'static [&'static str] = &Gs1Fields::POST_ONLY;
    const FORMATS: &'static [&'static str] = &["svg", "png", "eps", "pdf"];

    fn read(f: &mut Fields, gtin: Option<String>, format: Format) -> Self {
        QrRequest {
            data: Gs1Fields::read(f, gtin),
            format,
            ec_level: f.read_choice(&EC_LEVEL),
            size: f.read_integer(&SIZE) as u32,
            module_size: f.read_number(&MODULE_SIZE),
        }
    }

    fn gtin(&self) -> &str {
        &self.data.gtin
    }

    fn format(&self) -> Format {
        self.format
    }

    fn render(&self) -> Result<Vec<u8>, FieldFailure> {
        self.render_uri(&self.uri()?)
    }
    fn query(&self) -> String {
        let mut q = QueryBuilder::default();
        self.data.write_query(&mut q);
        q.choice(&EC_LEVEL, self.ec_level);
        q.integer(&SIZE, i64::from(self.size));
        q.number(&MODULE_SIZE, self.module_size);
        q.finish()
    }
}

/// The scene of a `size` x `size` pixel PNG at [`PNG_DPI`]: whole-pixel modules, the
/// largest that fit with the 4-module quiet zone, the remainder added to the quiet zone.
///
/// Errors: `size` smaller than the symbol's modules plus its quiet zone (one pixel each).
fn png_scene(symbol: &crate::symbol::Matrix, size: u32) -> Result<Scene, FieldFailure> {
    let modules = symbol.width as u32 + 2 * QR_MIN_QUIET_ZONE;
    let px = size / modules;
    if px == 0 {
        return Err(FieldFailure::new(
            "size",
            "greater_than_equal",
            format!(
                "A {w}x{w} QR Code with its 4-module quiet zone needs at least {modules} pixels",
                w = symbol.width
            ),
        ));
    }
    let mm_per_px = 25.4 / f64::from(PNG_DPI);
    let scene = layout_matrix(
        symbol,
        &MatrixOptions {
            x_dimension_mm: f64::from(px) * mm_per_px,
            quiet_zone_modules: QR_MIN_QUIET_ZONE,
            write_text: false,
            font_size_pt: 8.0,
            dpi: Some(PNG_DPI),
        },
    );
    let extra = size - px * modules;
    let before = f64::from(extra / 2) * mm_per_px;
    let after = f64::from(extra - extra / 2) * mm_per_px;
    Ok(scene.padded(before, before, after, after))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::png_size;

    /// A PNG is exactly the size asked for, whatever the version.
    #[test]
    fn png_is_exactly_size_pixels() {
        for (i, size) in [50u32, 57, 300, 301, 1999, 2000].into_iter().enumerate() {
            let symbol = qr("https://id.gs1.org/01/09501101020917", EcLevel::M).unwrap();
            let scene = png_scene(&symbol, size).unwrap();
            assert_eq!(
                png_size(&scene, PNG_DPI),
                (size.into(), size.into()),
                "row {i}"
            );
        }
        let big = qr(&"9".repeat(3000), EcLevel::H).unwrap();
        assert_eq!(png_scene(&big, 50).unwrap_err().field, "size");
    }
}
