//! What every image endpoint shares: the POST form, the cacheable GET form
//! `GET <prefix>{gtin}.{ext}?<options>` that answers with the same bytes and ETag, and
//! the signed-URL form (see [`super::signed_url`]). Each symbol kind (1D barcode,
//! DataMatrix) says how to read its fields and draw itself by implementing
//! [`ImageRequest`]; the HTTP shape and the routes live here once ([`routes`]).

use super::auth::{key_or_signature, require_key, Caller};
use super::body::Buffered;
use super::etag::{image_response, IMAGE_CACHE_MAX_AGE};
use super::fields::{form_decode, refused_character, Fields, Source};
use super::problem::{FieldError, Loc, Problem, ProblemKind};
use super::{blocking, route_both, signed_url, App, Request, Response};
use crate::api::auth::AuthStore;
use crate::gs1::digital_link::percent_encode;
use crate::render::{png_size, render, Format, RenderOptions, Scene, MAX_PNG_PIXELS};
use axum::extract::{Extension, State};
use axum::middleware::from_fn_with_state;
use axum::routing::{get as get_route, post as post_route};
use axum::Router;
use http::{header, HeaderValue};
use std::sync::Arc;

pub use super::problem::FieldFailure;

/// The three forms of image kind `R`, each behind its auth layer:
///
/// | method and path                 | auth            | answer                     |
/// |---------------------------------|-----------------|----------------------------|
/// | `POST <prefix>`                 | key             | the image                  |
/// | `GET <prefix>{gtin}.{ext}?...`  | key or `sig=`   | the same bytes and ETag    |
/// | `POST <prefix>signed-url/`      | key             | `{path, url, expires}`     |
pub fn routes<R, S>(app: &Arc<App<S>>) -> Router
where
    R: ImageRequest + Send + 'static,
    S: AuthStore + 'static,
{
    // Layers go on the method routers (not the Router), so a wrong method is a 405
    // before any key is asked for.
    let key = || from_fn_with_state(Arc::clone(app), require_key::<S>);
    let keyed = route_both(
        Router::new(),
        R::PATH,
        post_route(post_form::<R>).route_layer(key()),
    );
    let keyed = route_both(
        keyed,
        &format!("{}signed-url/", R::PATH),
        post_route(sign_form::<R, S>).route_layer(key()),
    );
    let cacheable = route_both(
        Router::new(),
        &format!("{}{{file}}", R::PATH),
        get_route(get_form::<R, S>)
            .route_layer(from_fn_with_state(Arc::clone(app), key_or_signature::<S>)),
    );
    keyed.merge(cacheable).with_state(Arc::clone(app))
}

async fn post_form<R: ImageRequest + Send + 'static>(
    Buffered(req): Buffered,
) -> axum::response::Response {
    let request = read_post::<R>(&req);
    draw(req, request, Source::Body).await
}

async fn get_form<R: ImageRequest + Send + 'static, S: Send + Sync + 'static>(
    State(app): State<Arc<App<S>>>,
    Extension(caller): Extension<Caller>,
    Buffered(req): Buffered,
) -> axum::response::Response {
    let now = app.clock.now();
    match caller {
        Caller::Signed(s) => {
            let request = read_get::<R>(req.uri().path(), Some(&s.options_query));
            let mut r = draw(req, request, Source::Query).await;
            if r.status().is_success() {
                // A CDN must not serve the image longer than the URL is valid.
                let left = s.expires.saturating_sub(now).min(IMAGE_CACHE_MAX_AGE);
                if let Ok(v) = HeaderValue::from_str(&format!("public, max-age={left}")) {
                    r.headers_mut().insert(header::CACHE_CONTROL, v);
                }
            }
            r
        }
        // Image routes take no cookie: only a key or a signature reach here.
        Caller::Key(_) | Caller::SessionCookie(_) => {
            let request = read_get::<R>(req.uri().path(), req.uri().query());
            draw(req, request, Source::Query).await
        }
    }
}

/// Draws a parsed request where it is cheapest. SVG and EPS are text written in tens
/// of microseconds: a hop to the blocking pool (a futex wake-up and two context
/// switches) cost more than the drawing, and under load most of the server's time went
/// to those hops (`make load`'s flame graph), so they are drawn right here. PNG and PDF
/// (rasterising up to [`MAX_PNG_PIXELS`], compressing) go to the blocking pool, so one
/// large image never stalls the async workers. A panic either way is a 500 problem.
async fn draw<R: ImageRequest + Send + 'static>(
    req: Request,
    request: Result<R, Problem>,
    source: Source,
) -> axum::response::Response {
    match request {
        Err(p) => super::reply(Err(p)),
        Ok(r) if matches!(r.format(), Format::Svg | Format::Eps) => {
            super::reply(respond(&req, &r, source))
        }
        Ok(r) => blocking(move || respond(&req, &r, source)).await,
    }
}

async fn sign_form<R: ImageRequest + Send + 'static, S: Send + Sync + 'static>(
    State(app): State<Arc<App<S>>>,
    Extension(caller): Extension<Caller>,
    Buffered(req): Buffered,
) -> axum::response::Response {
    let (now, urls) = (app.clock.now(), app.urls.clone());
    blocking(move || match caller {
        Caller::Key(hash) => signed_url::post::<R>(&req, &urls, &hash, now),
        Caller::Signed(_) | Caller::SessionCookie(_) => Err(Problem::new(
            ProblemKind::Forbidden,
            "Signed URLs are minted with an API key.",
        )),
    })
    .await
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
    /// The `gtin` field as sent (the GET path's last segment, before the extension).
    fn gtin(&self) -> &str;
    /// The output format.
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

/// The POST form's request, its fields checked.
pub fn read_post<R: ImageRequest>(req: &Request) -> Result<R, Problem> {
    let mut f = Fields::from_json_request(req)?;
    let request: R = read_body(&mut f);
    f.finish(R::BODY_FIELDS)?;
    Ok(request)
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
    let path_gtin = vec![Loc::Key("path".into()), Loc::Key("gtin".into())];
    if let Some(e) = refused_character(path_gtin, &gtin) {
        return Err(Problem::field(e));
    }
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
    /// `key=value` unless `value` equals `default` (compared as written).
    pub fn push(&mut self, key: &str, value: impl ToString, default: impl ToString) {
        let value = value.to_string();
        if value != default.to_string() {
            self.0.push(format!("{key}={}", percent_encode(&value)));
        }
    }

    /// `key=value` when there is a value.
    pub fn push_opt(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.0.push(format!("{key}={}", percent_encode(v)));
        }
    }

    /// A declared number, unless it is the default.
    pub fn number(&mut self, field: &super::fields::NumberField, value: f64) {
        self.push(field.name, value, field.default);
    }

    /// A declared whole number, unless it is the default.
    pub fn integer(&mut self, field: &super::fields::IntegerField, value: i64) {
        self.push(field.name, value, field.default);
    }

    /// A declared flag, unless it is the default.
    pub fn flag(&mut self, field: &super::fields::FlagField, value: bool) {
        self.push(field.name, value, field.default);
    }

    /// A declared choice by its wire name, unless it is the default.
    pub fn choice<T: Copy + PartialEq>(&mut self, field: &super::fields::ChoiceField<T>, value: T) {
        self.push(
            field.name,
            field.name_of(value),
            field.name_of(field.default),
        );
    }

    /// The query, `k=v` pairs joined with `&`.
    pub fn finish(self) -> String {
        self.0.join("&")
    }
}
