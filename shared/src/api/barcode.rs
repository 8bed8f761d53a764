//! `POST /products/api/v1/barcode/` and its cacheable twin
//! `GET /products/api/v1/barcode/{gtin}.{svg|png|eps|pdf}?<same options>`.
//!
//! Both read the same fields (the spec's `BarcodePayload` plus `dpi`, `bearer`,
//! `code39_check`), run the same encode -> layout -> render pipeline and answer with
//! the same bytes and ETag, so CloudFront can cache the GET form.

use super::etag::image_response;
use super::fields::{Fields, Source};
use super::problem::{FieldError, Problem};
use super::{Request, Response};
use crate::render::{layout_linear, render, Format, LinearOptions, RenderOptions};
use crate::symbol::barcode_type::{encode, BarcodeType, EncodeError, EncodeOptions};
use crate::symbol::Bearer;

/// Path prefix of both forms.
pub const PATH: &str = "/products/api/v1/barcode/";

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

/// A validated request: everything needed to draw the image.
#[derive(Debug, Clone, PartialEq)]
pub struct BarcodeRequest {
    pub gtin: String,
    pub barcode_type: BarcodeType,
    pub format: Format,
    pub module_width: f64,
    pub module_height: f64,
    pub font_size: f64,
    pub quiet_zone: f64,
    pub write_text: bool,
    pub embed_font: bool,
    pub dpi: u32,
    pub bearer: Bearer,
    pub code39_check: bool,
}

impl BarcodeRequest {
    /// Reads the options every form shares; `gtin` and `format` come from the caller.
    /// Errors are recorded in `f`; [`Fields::finish`] reports them.
    pub fn read(f: &mut Fields, gtin: Option<String>, format: Format) -> BarcodeRequest {
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
            quiet_zone: f.number("quiet_zone", 6.5, 0.0, 20.0),
            write_text: f.boolean("write_text", true),
            embed_font: f.boolean("embed_font", true),
            dpi: f.integer("dpi", 300, 72, 2400) as u32,
            bearer,
            code39_check: f.boolean("code39_check", false),
        }
    }

    /// Encodes and renders; errors name the request field.
    pub fn render(&self) -> Result<Vec<u8>, EncodeError> {
        let opts = EncodeOptions {
            bearer: self.bearer,
            code39_check: self.code39_check,
        };
        let symbol = encode(self.barcode_type, &self.gtin, opts)?;
        let layout = LinearOptions {
            module_width_mm: self.module_width,
            bar_height_mm: self.module_height,
            quiet_zone_mm: self.quiet_zone,
            font_size_pt: self.font_size,
            write_text: self.write_text,
            dpi: (self.format == Format::Png).then_some(self.dpi),
        };
        let scene = layout_linear(&symbol, &layout);
        Ok(render(
            &scene,
            self.format,
            &RenderOptions {
                embed_font: self.embed_font,
                dpi: self.dpi,
            },
        ))
    }

    /// The query string of the GET form for this request (defaults left out).
    pub fn query(&self) -> String {
        let mut q: Vec<String> = Vec::new();
        let mut push = |k: &str, v: String, default: String| {
            if v != default {
                q.push(format!(
                    "{k}={}",
                    crate::gs1::digital_link::percent_encode(&v)
                ));
            }
        };
        push(
            "barcode_type",
            self.barcode_type.name().into(),
            "auto".into(),
        );
        push(
            "module_width",
            self.module_width.to_string(),
            0.33f64.to_string(),
        );
        push(
            "module_height",
            self.module_height.to_string(),
            25f64.to_string(),
        );
        push("font_size", self.font_size.to_string(), 10f64.to_string());
        push(
            "quiet_zone",
            self.quiet_zone.to_string(),
            6.5f64.to_string(),
        );
        push("write_text", self.write_text.to_string(), "true".into());
        push("embed_font", self.embed_font.to_string(), "true".into());
        push("dpi", self.dpi.to_string(), "300".into());
        let bearer = match self.bearer {
            Bearer::Frame => "frame",
            Bearer::Bars => "bars",
            Bearer::None => "none",
        };
        push("bearer", bearer.into(), "frame".into());
        push(
            "code39_check",
            self.code39_check.to_string(),
            "false".into(),
        );
        q.join("&")
    }

    /// The GET path for this request, e.g. `/products/api/v1/barcode/09501101020917.svg`.
    pub fn path(&self) -> String {
        format!(
            "{PATH}{}.{}",
            crate::gs1::digital_link::percent_encode(&self.gtin),
            self.format.extension()
        )
    }
}

/// `POST /products/api/v1/barcode/`.
pub fn post(req: &Request) -> Result<Response, Problem> {
    let mut f = Fields::from_json_request(req)?;
    let request = read_body(&mut f);
    f.finish(BODY_FIELDS)?;
    respond(req, &request, Source::Body)
}

/// Reads the fields of a POST body (also the signed-URL endpoint's, which adds its own).
pub fn read_body(f: &mut Fields) -> BarcodeRequest {
    let gtin = f.string("gtin");
    let format = format_field(f);
    BarcodeRequest::read(f, gtin, format)
}

fn format_field(f: &mut Fields) -> Format {
    match f.choice("format", "svg", &["svg", "png", "eps", "pdf"]) {
        "png" => Format::Png,
        "eps" => Format::Eps,
        "pdf" => Format::Pdf,
        _ => Format::Svg,
    }
}

/// `GET /products/api/v1/barcode/{gtin}.{ext}`: the path's last segment carries the
/// data and the format; options come from the query (signature parameters excluded).
pub fn get(req: &Request, query: Option<&str>) -> Result<Response, Problem> {
    let request = read_get(req.uri().path(), query)?;
    respond(req, &request, Source::Query)
}

/// Parses the GET form into a request.
pub fn read_get(path: &str, query: Option<&str>) -> Result<BarcodeRequest, Problem> {
    let last = path.strip_prefix(PATH).unwrap_or("");
    let (data, ext) = last.rsplit_once('.').unwrap_or((last, ""));
    let path_error =
        |kind: &str, msg: &str| Problem::field(FieldError::at(&["path", "gtin"], kind, msg));
    let format = match ext {
        "svg" => Format::Svg,
        "png" => Format::Png,
        "eps" => Format::Eps,
        "pdf" => Format::Pdf,
        _ => {
            return Err(path_error(
                "enum",
                "The path must end in .svg, .png, .eps or .pdf",
            ))
        }
    };
    let gtin = super::fields::form_decode(&data.replace('+', "%2B"))
        .ok_or_else(|| path_error("url_parsing", "Malformed percent-encoding in the path"))?;
    let mut f = Fields::from_query(query)?;
    let request = BarcodeRequest::read(&mut f, Some(gtin), format);
    let known: Vec<&str> = BODY_FIELDS
        .iter()
        .copied()
        .filter(|k| *k != "gtin" && *k != "format")
        .collect();
    f.finish(&known)?;
    Ok(request)
}

fn respond(req: &Request, request: &BarcodeRequest, source: Source) -> Result<Response, Problem> {
    let bytes = request.render().map_err(|e| encode_problem(&e, source))?;
    Ok(image_response(
        req.headers(),
        request.format.content_type(),
        bytes,
    ))
}

/// An encoding failure as a 422 at the field it concerns.
pub fn encode_problem(e: &EncodeError, source: Source) -> Problem {
    let loc: Vec<&str> = match (source, e.field) {
        (Source::Query, "gtin") => vec!["path", "gtin"],
        (Source::Query, f) => vec!["query", f],
        (Source::Body, f) => vec!["body", f],
    };
    Problem::field(FieldError::at(&loc, e.rule, e.msg.clone()))
}
