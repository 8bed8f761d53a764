//! What every image endpoint shares: the POST form, the cacheable GET form
//! `GET <prefix>{gtin}.{ext}?<options>` that answers with the same bytes and ETag, and
//! the signed-URL form (see [`super::signed_url`]). Each symbol kind (1D barcode,
//! DataMatrix) says how to read its fields and draw itself by implementing
//! [`ImageRequest`]; the HTTP shape lives here once.

use super::etag::image_response;
use super::fields::{form_decode, Fields, Source};
use super::problem::{FieldError, Problem};
use super::{Request, Response};
use crate::gs1::digital_link::percent_encode;
use crate::render::{png_size, render, Format, RenderOptions, Scene, MAX_PNG_PIXELS};

/// A failure found while drawing, at a named request field (`gtin`, `lot`, `ais.17`...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldFailure {
    pub field: String,
    pub rule: String,
    pub msg: String,
}

impl FieldFailure {
    /// The 422 for this failure; in the GET form `gtin` lives in the path.
    pub fn problem(&self, source: Source) -> Problem {
        let mut loc: Vec<&str> = match (source, self.field.as_str()) {
            (Source::Query, "gtin") => vec!["path"],
            (Source::Query, _) => vec!["query"],
            (Source::Body, _) => vec!["body"],
        };
        loc.extend(self.field.split('.').filter(|s| !s.is_empty()));
        Problem::field(FieldError::at(&loc, &self.rule, self.msg.clone()))
    }
}

/// One kind of image request.
pub trait ImageRequest: Sized {
    /// Path prefix of all three forms, ending in `/`.
    const PATH: &'static str;
    /// The fields of the POST body (those of the GET query are these less `gtin`
    /// and `format`).
    const BODY_FIELDS: &'static [&'static str];
    /// Body fields with no place in a query (objects, such as `ais`).
    const POST_ONLY_FIELDS: &'static [&'static str] = &[];
    /// The formats offered, by extension.
    const FORMATS: &'static [&'static str];

    /// Reads every field but `gtin` and `format`, recording errors in `f`.
    fn read(f: &mut Fields, gtin: Option<String>, format: Format) -> Self;
    fn gtin(&self) -> &str;
    fn format(&self) -> Format;
    /// The image bytes.
    fn render(&self) -> Result<Vec<u8>, FieldFailure>;
    /// The GET query for this request (defaults left out).
    fn query(&self) -> String;

    /// The GET path, e.g. `/products/api/v1/barcode/09501101020917.svg`.
    fn path(&self) -> String {
        format!(
            "{}{}.{}",
            Self::PATH,
            percent_encode(self.gtin()),
            self.format().extension()
        )
    }
}

/// Renders, refusing a PNG too large to draw (a 422 on `dpi`, which is what to lower).
pub fn render_image(
    scene: &Scene,
    format: Format,
    opts: &RenderOptions,
) -> Result<Vec<u8>, FieldFailure> {
    if format == Format::Png {
        let (w, h) = png_size(scene, opts.dpi);
        if w.saturating_mul(h) > MAX_PNG_PIXELS {
            return Err(FieldFailure {
                field: "dpi".into(),
                rule: "image_too_large".into(),
                msg: format!(
                    "The PNG would be {w} x {h} pixels, over the {MAX_PNG_PIXELS} pixel limit: lower dpi or the module size"
                ),
            });
        }
    }
    Ok(render(scene, format, opts))
}

fn parse_format(name: &str) -> Format {
    name.parse().unwrap_or(Format::Svg)
}

/// Reads a POST body's fields (the caller adds its own and calls `finish`).
pub fn read_body<R: ImageRequest>(f: &mut Fields) -> R {
    let gtin = f.string("gtin");
    let format = parse_format(f.choice("format", "svg", R::FORMATS));
    R::read(f, gtin, format)
}

/// The POST form.
pub fn post<R: ImageRequest>(req: &Request) -> Result<Response, Problem> {
    let mut f = Fields::from_json_request(req)?;
    let request: R = read_body(&mut f);
    f.finish(R::BODY_FIELDS)?;
    respond(req, &request, Source::Body)
}

/// The GET form; `query` is the options query (a signed URL's without its signature).
pub fn get<R: ImageRequest>(req: &Request, query: Option<&str>) -> Result<Response, Problem> {
    let request: R = read_get(req.uri().path(), query)?;
    respond(req, &request, Source::Query)
}

/// Parses `<prefix>{gtin}.{ext}?<options>`.
pub fn read_get<R: ImageRequest>(path: &str, query: Option<&str>) -> Result<R, Problem> {
    // The router serves paths with or without a final '/'.
    let path = path.strip_suffix('/').unwrap_or(path);
    let last = path.strip_prefix(R::PATH).unwrap_or("");
    let (data, ext) = last.rsplit_once('.').unwrap_or((last, ""));
    let path_error =
        |kind: &str, msg: String| Problem::field(FieldError::at(&["path", "gtin"], kind, msg));
    if !R::FORMATS.contains(&ext) {
        let list: Vec<String> = R::FORMATS.iter().map(|f| format!(".{f}")).collect();
        return Err(path_error(
            "enum",
            format!("The path must end in {}", list.join(", ")),
        ));
    }
    // '+' is a literal plus in a path, unlike in a query.
    let gtin = form_decode(&data.replace('+', "%2B")).ok_or_else(|| {
        path_error(
            "url_parsing",
            "Malformed percent-encoding in the path".into(),
        )
    })?;
    let mut f = Fields::from_query(query)?;
    let request = R::read(&mut f, Some(gtin), parse_format(ext));
    let known: Vec<&str> = R::BODY_FIELDS
        .iter()
        .copied()
        .filter(|k| *k != "gtin" && *k != "format" && !R::POST_ONLY_FIELDS.contains(k))
        .collect();
    f.finish(&known)?;
    Ok(request)
}

fn respond<R: ImageRequest>(
    req: &Request,
    request: &R,
    source: Source,
) -> Result<Response, Problem> {
    let bytes = request.render().map_err(|e| e.problem(source))?;
    Ok(image_response(
        req.headers(),
        request.format().content_type(),
        bytes,
    ))
}

/// `k=v` pairs of a GET query, percent-encoded, skipping values equal to their default.
#[derive(Default)]
pub struct QueryBuilder(Vec<String>);

impl QueryBuilder {
    pub fn push(&mut self, key: &str, value: impl ToString, default: impl ToString) {
        let value = value.to_string();
        if value != default.to_string() {
            self.0.push(format!("{key}={}", percent_encode(&value)));
        }
    }

    pub fn push_opt(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.0.push(format!("{key}={}", percent_encode(v)));
        }
    }

    pub fn finish(self) -> String {
        self.0.join("&")
    }
}
