//! `POST /products/api/v1/datamatrix/`, its cacheable GET twin
//! `GET /products/api/v1/datamatrix/{gtin}.{svg|png|pdf}?lot=..&serial=..&expiry=..`
//! and signed URLs, all through [`super::image`].
//!
//! The spec's fields (`gtin`, `lot`, `serial`, `expiry`, `format`) plus, beyond it:
//! extra AIs as `ais` (POST only) or `element_string`, `shape`, `module_size` (mm),
//! `quiet_zone` (modules: 0 for none, else at least 1 as ISO/IEC 16022 requires), `write_text` (HRI under the
//! symbol), `font_size` and `dpi`. Lot and serial must be GS1 CSET 82, not merely
//! printable ASCII: the GS1 core rejects anything else, naming character and position.

use super::fields::{ChoiceField, Fields, FlagField, IntegerField, NumberField};
use super::gs1_fields::Gs1Fields;
use super::image::{render_image, FieldFailure, ImageRequest, QueryBuilder};
use super::quiet_zone::{check_quiet_zone, QuietZone};
use crate::gs1::element_string::ElementString;
use crate::render::{layout_matrix, Format, MatrixOptions, RenderOptions, Scene};
use crate::symbol::datamatrix::{gs1_datamatrix, DmShape};
use crate::symbol::Bearer;

/// `shape`: square (10x10 to 144x144) or rectangular (8x18 to 16x48), ISO/IEC 16022 Table 7.
pub const SHAPE: ChoiceField<DmShape> = ChoiceField {
    name: "shape",
    default: DmShape::Square,
    options: &[
        ("square", DmShape::Square),
        ("rectangle", DmShape::Rectangle),
    ],
};
/// `module_size`: the X-dimension in mm.
pub const MODULE_SIZE: NumberField = NumberField {
    name: "module_size",
    default: 0.5,
    min: 0.1,
    max: 5.0,
};
/// `quiet_zone` in modules: 0 (none: the caller's own white space) or at least the
/// 1X that ISO/IEC 16022 requires around a DataMatrix ([`super::quiet_zone`]).
pub const QUIET_ZONE: IntegerField = IntegerField {
    name: "quiet_zone",
    default: 2,
    min: 0,
    max: 20,
};
/// `write_text`: print the HRI under the symbol.
pub const WRITE_TEXT: FlagField = FlagField {
    name: "write_text",
    default: false,
};
/// `font_size`: the HRI size in pt.
pub const FONT_SIZE: NumberField = NumberField {
    name: "font_size",
    default: 8.0,
    min: 4.0,
    max: 24.0,
};
/// `dpi`: PNG resolution.
pub const DPI: IntegerField = IntegerField {
    name: "dpi",
    default: 300,
    min: 72,
    max: 2400,
};

/// The POST body's fields, in the order the OpenAPI document lists them.
pub const BODY_FIELDS: &[&str] = &[
    "gtin",
    "lot",
    "serial",
    "expiry",
    "format",
    "ais",
    "element_string",
    "shape",
    "module_size",
    "quiet_zone",
    "write_text",
    "font_size",
    "dpi",
];

/// The GS1 DataMatrix routes: POST, cacheable GET and signed URL (see [`super::image::routes`]).
pub fn routes<S: crate::api::auth::AuthStore + 'static>(
    app: &std::sync::Arc<super::App<S>>,
) -> axum::Router {
    super::image::routes::<DataMatrixRequest, S>(app)
}

/// A validated DataMatrix request; `data` is the element string to encode.
#[derive(Debug, Clone, PartialEq)]
pub struct DataMatrixRequest {
    /// The GS1 data: `gtin`, `lot`, `serial`, `expiry` and extra AIs.
    pub data: Gs1Fields,
    /// Output format (svg, png, pdf).
    pub format: Format,
    /// Square or rectangular symbol.
    pub shape: DmShape,
    /// X-dimension (module size) in mm.
    pub module_size: f64,
    /// Quiet zone in modules, on every side: 0 (none) or at least the symbology's 1.
    pub quiet_zone: u32,
    /// Print the HRI under the symbol.
    pub write_text: bool,
    /// HRI font size in pt.
    pub font_size: f64,
    /// PNG resolution in dpi.
    pub dpi: u32,
}

impl DataMatrixRequest {
    /// The element string: predefined-length AIs first ((01), (17)...), then the others
    /// ((10), (21), extras), so the fewest FNC1 separators are needed
    /// ([`ElementString::ordered_for_encoding`]).
    pub fn element_string(&self) -> Result<ElementString, FieldFailure> {
        let d = &self.data;
        let extra_has = |ai: &str| d.extra.iter().any(|(a, _)| a == ai);
        if d.lot.is_none() && d.serial.is_none() && !extra_has("10") && !extra_has("21") {
            return Err(FieldFailure::new(
                "lot",
                "missing",
                "At least one of lot (AI 10) or serial (AI 21) is required",
            ));
        }
        d.element_string()
    }

    /// The symbol laid out (what every format draws) at `module_size`, snapped to
    /// whole pixels for a PNG.
    ///
    /// Errors: the GS1 data's, over capacity, or a quiet zone under the minimum.
    pub fn scene(&self) -> Result<Scene, FieldFailure> {
        let es = self.element_string()?;
        let symbol = gs1_datamatrix(&es, self.shape).map_err(|e| {
            // A rectangle tops out at 16x48: a square may still hold the data.
            let field = match self.shape {
                DmShape::Rectangle => "shape",
                DmShape::Square => "",
            };
            FieldFailure::new(field, "capacity", e.to_string())
        })?;
        check_quiet_zone(
            symbol.symbology,
            Bearer::None,
            QuietZone::Modules(self.quiet_zone),
            self.module_size,
            MODULE_SIZE.name,
        )?;
        let opts = MatrixOptions {
            x_dimension_mm: self.module_size,
            quiet_zone_modules: self.quiet_zone,
            write_text: self.write_text,
            font_size_pt: self.font_size,
            dpi: (self.format == Format::Png).then_some(self.dpi),
        };
        Ok(layout_matrix(&symbol, &opts))
    }
}

impl ImageRequest for DataMatrixRequest {
    const PATH: &'static str = "/products/api/v1/datamatrix/";
    const BODY_FIELDS: &'static [&'static str] = BODY_FIELDS;
    const POST_ONLY_FIELDS: &'static [&'static str] = &Gs1Fields::POST_ONLY;
    const FORMATS: &'static [&'static str] = &["svg", "png", "pdf"];

    fn read(f: &mut Fields, gtin: Option<String>, format: Format) -> Self {
        DataMatrixRequest {
            data: Gs1Fields::read(f, gtin),
            format,
            shape: f.read_choice(&SHAPE),
            module_size: f.read_number(&MODULE_SIZE),
            quiet_zone: f.read_integer(&QUIET_ZONE) as u32,
            write_text: f.read_flag(&WRITE_TEXT),
            font_size: f.read_number(&FONT_SIZE),
            dpi: f.read_integer(&DPI) as u32,
        }
    }

    fn gtin(&self) -> &str {
        &self.data.gtin
    }

    fn format(&self) -> Format {
        self.format
    }

    fn render(&self) -> Result<Vec<u8>, FieldFailure> {
        render_image(
            &self.scene()?,
            self.format,
            &RenderOptions {
                embed_font: true,
                dpi: self.dpi,
            },
        )
    }

    fn query(&self) -> String {
        let mut q = QueryBuilder::default();
        self.data.write_query(&mut q);
        q.choice(&SHAPE, self.shape);
        q.number(&MODULE_SIZE, self.module_size);
        q.integer(&QUIET_ZONE, i64::from(self.quiet_zone));
        q.flag(&WRITE_TEXT, self.write_text);
        q.number(&FONT_SIZE, self.font_size);
        q.integer(&DPI, i64::from(self.dpi));
        q.finish()
    }
}
