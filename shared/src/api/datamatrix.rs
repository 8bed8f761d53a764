//! `POST /products/api/v1/datamatrix/`, its cacheable GET twin
//! `GET /products/api/v1/datamatrix/{gtin}.{svg|png|pdf}?lot=..&serial=..&expiry=..`
//! and signed URLs, all through [`super::image`].
//!
//! The spec's fields (`gtin`, `lot`, `serial`, `expiry`, `format`) plus, beyond it:
//! extra AIs as `ais` (POST only) or `element_string`, `shape`, `module_size` (mm),
//! `quiet_zone` (modules, at least 1 as GS1 requires), `write_text` (HRI under the
//! symbol), `font_size` and `dpi`. Lot and serial must be GS1 CSET 82, not merely
//! printable ASCII: the GS1 core rejects anything else, naming character and position.

use super::fields::Fields;
use super::image::{render_image, FieldFailure, ImageRequest, QueryBuilder};
use crate::gs1::element_string::ElementString;
use crate::gs1::{Gs1Error, Gtin14};
use crate::render::{layout_matrix, Format, MatrixOptions, RenderOptions};
use crate::symbol::datamatrix::{gs1_datamatrix, DmShape};
use serde_json::Value;

const BODY_FIELDS: &[&str] = &[
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
pub fn routes<S: crate::store::GetApiKey + 'static>(
    app: &std::sync::Arc<super::App<S>>,
) -> axum::Router {
    super::image::routes::<DataMatrixRequest, S>(app)
}

/// A validated DataMatrix request; `data` is the element string to encode.
#[derive(Debug, Clone, PartialEq)]
pub struct DataMatrixRequest {
    pub gtin: String,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub expiry: Option<String>,
    /// Extra AIs beyond the spec, in the order given.
    pub extra: Vec<(String, String)>,
    pub format: Format,
    pub shape: DmShape,
    pub module_size: f64,
    pub quiet_zone: u32,
    pub write_text: bool,
    pub font_size: f64,
    pub dpi: u32,
}

impl DataMatrixRequest {
    /// The element string: predefined-length AIs first ((01), (17)...), then the others
    /// ((10), (21), extras), so the fewest FNC1 separators are needed
    /// ([`ElementString::ordered_for_encoding`]).
    pub fn element_string(&self) -> Result<ElementString, FieldFailure> {
        let gtin: Gtin14 = self
            .gtin
            .parse()
            .map_err(|e: crate::gs1::GtinError| FieldFailure {
                field: "gtin".into(),
                rule: e.rule().into(),
                msg: e.to_string(),
            })?;
        let mut all: Vec<(String, String)> = vec![("01".into(), gtin.as_str().to_string())];
        let named = [
            ("17", &self.expiry),
            ("10", &self.lot),
            ("21", &self.serial),
        ];
        all.extend(
            named
                .iter()
                .filter_map(|(ai, v)| v.as_ref().map(|v| (ai.to_string(), v.clone()))),
        );
        all.extend(self.extra.iter().cloned());
        let es = ElementString::ordered_for_encoding(all);
        if es.get("10").is_none() && es.get("21").is_none() {
            return Err(FieldFailure {
                field: "lot".into(),
                rule: "missing".into(),
                msg: "At least one of lot (AI 10) or serial (AI 21) is required".into(),
            });
        }
        es.validate().map_err(|e| gs1_failure(&e))?;
        Ok(es)
    }
}

/// A GS1 failure at the request field that carries the AI.
fn gs1_failure(e: &Gs1Error) -> FieldFailure {
    let field = match e.ai() {
        Some("01") => "gtin".to_string(),
        Some("10") => "lot".to_string(),
        Some("21") => "serial".to_string(),
        Some("17") => "expiry".to_string(),
        Some(ai) => format!("ais.{ai}"),
        None => "element_string".to_string(),
    };
    FieldFailure {
        field,
        rule: e.rule().to_string(),
        msg: e.to_string(),
    }
}

/// Extra AIs from `ais` (an object) and `element_string`.
fn read_extra(f: &mut Fields) -> Vec<(String, String)> {
    let mut extra = Vec::new();
    // `ais` is an object, so it exists in JSON bodies only; in a query it is unknown.
    let ais = match f.source() {
        super::fields::Source::Body => f.raw("ais").cloned(),
        super::fields::Source::Query => None,
    };
    match ais {
        None => {}
        Some(Value::Object(map)) => {
            for (ai, v) in map {
                match v {
                    Value::String(s) => extra.push((ai, s)),
                    _ => f.error_at(
                        &["ais", &ai],
                        "string_type",
                        "Input should be a valid string",
                    ),
                }
            }
        }
        Some(_) => f.error(
            "ais",
            "dict_type",
            "Input should be an object of AI -> value",
        ),
    }
    if let Some(s) = f.opt_string("element_string") {
        let parsed = if s.starts_with('(') {
            ElementString::parse_bracketed(&s)
        } else {
            ElementString::parse_raw(&s)
        };
        match parsed {
            Ok(es) => extra.extend(es.ais),
            Err(e) => f.error("element_string", e.rule(), e.to_string()),
        }
    }
    extra
}

impl ImageRequest for DataMatrixRequest {
    const PATH: &'static str = "/products/api/v1/datamatrix/";
    const BODY_FIELDS: &'static [&'static str] = BODY_FIELDS;
    const POST_ONLY_FIELDS: &'static [&'static str] = &["ais"];
    const FORMATS: &'static [&'static str] = &["svg", "png", "pdf"];

    fn read(f: &mut Fields, gtin: Option<String>, format: Format) -> Self {
        let shape = match f.choice("shape", "square", &["square", "rectangle"]) {
            "rectangle" => DmShape::Rectangle,
            _ => DmShape::Square,
        };
        DataMatrixRequest {
            gtin: gtin.unwrap_or_default(),
            lot: f.opt_string("lot"),
            serial: f.opt_string("serial"),
            expiry: f.opt_string("expiry"),
            extra: read_extra(f),
            format,
            shape,
            module_size: f.number("module_size", 0.5, 0.1, 5.0),
            quiet_zone: f.integer("quiet_zone", 2, 1, 20) as u32,
            write_text: f.boolean("write_text", false),
            font_size: f.number("font_size", 8.0, 4.0, 24.0),
            dpi: f.integer("dpi", 300, 72, 2400) as u32,
        }
    }

    fn gtin(&self) -> &str {
        &self.gtin
    }

    fn format(&self) -> Format {
        self.format
    }

    fn render(&self) -> Result<Vec<u8>, FieldFailure> {
        let es = self.element_string()?;
        let symbol = gs1_datamatrix(&es, self.shape).map_err(|e| FieldFailure {
            // A rectangle tops out at 16x48: a square may still hold the data.
            field: match self.shape {
                DmShape::Rectangle => "shape".into(),
                DmShape::Square => String::new(),
            },
            rule: "capacity".into(),
            msg: e.to_string(),
        })?;
        let opts = MatrixOptions {
            x_dimension_mm: self.module_size,
            quiet_zone_modules: self.quiet_zone,
            write_text: self.write_text,
            font_size_pt: self.font_size,
            dpi: (self.format == Format::Png).then_some(self.dpi),
        };
        let scene = layout_matrix(&symbol, &opts);
        render_image(
            &scene,
            self.format,
            &RenderOptions {
                embed_font: true,
                dpi: self.dpi,
            },
        )
    }

    fn query(&self) -> String {
        let mut q = QueryBuilder::default();
        q.push_opt("lot", self.lot.as_deref());
        q.push_opt("serial", self.serial.as_deref());
        q.push_opt("expiry", self.expiry.as_deref());
        if !self.extra.is_empty() {
            let es = ElementString {
                ais: self.extra.clone(),
            };
            q.push_opt("element_string", Some(&es.to_bracketed()));
        }
        let shape = if self.shape == DmShape::Rectangle {
            "rectangle"
        } else {
            "square"
        };
        q.push("shape", shape, "square");
        q.push("module_size", self.module_size, 0.5);
        q.push("quiet_zone", self.quiet_zone, 2);
        q.push("write_text", self.write_text, false);
        q.push("font_size", self.font_size, 8.0);
        q.push("dpi", self.dpi, 300);
        q.finish()
    }
}
