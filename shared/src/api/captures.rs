//! `POST /scanner/api/v1/captures` (the spec's capture), `GET
//! /scanner/api/v1/captures/{public_id}` and `GET
//! /scanner/api/v1/sessions/{public_id}/captures` (the spec's pagination envelope).
//!
//! A capture is stored whatever was scanned: the raw value is understood by
//! [`crate::gs1::scan`] (symbology identifiers, GTINs, element strings, Digital Links) and
//! the capture is `MATCHED` (a known product), `NOT_FOUND` (valid, no product, or no
//! GTIN at all) or `ERROR` (not valid GS1 data, with the rule in `error_message`). Only
//! a request that contradicts itself (a `gtin` or `gs1_dl_data` the raw value does not
//! carry) or breaks the spec's bounds is refused, with a 422.
//!
//! # Image captures
//!
//! An `IMAGE` capture may carry the photo as `image_base64` (standard base64, padding
//! optional, with or without a `data:image/png;base64,` prefix), with or without the
//! `raw_value` the phone decoded: one of the two is required (the spec's required
//! `raw_value` is relaxed for this case only). The photo must be a PNG or JPEG by its
//! magic bytes (else 415) of at most [`MAX_IMAGE_BYTES`] once decoded from base64 and
//! [`super::capture_image::MAX_IMAGE_PIXELS`] (else 413). It is stored in the object
//! store at `captures/<public_id>.<png|jpg>`, the capture's `uploaded_image_key`.
//!
//! With no `raw_value`, the server reads the barcode itself
//! ([`super::capture_image::read_barcode`]): what it reads, with its symbology identifier
//! (`]E0...`, `]C1...`, `]d2...`, `]Q1...`), becomes the capture's `raw_value` and is
//! understood like any scan. When nothing is found the capture is still stored, as
//! `ERROR` with `error_message` `no barcode found in the image`, and the image kept.
//! Reading is synchronous today (on a blocking thread, within the request), so a capture
//! is never answered `PENDING`; that status stays for reading in the background.
//!
//! The same capture may come as `multipart/form-data` (what a browser's file input
//! sends): text parts `session_public_id`, `capture_type`, `raw_value`, `gtin`,
//! `gs1_dl_data` (a JSON object) and the photo as the file part `image`, its bytes as
//! they are (no base64).
//!
//! This route reads bodies up to [`MAX_CAPTURE_BODY_BYTES`] (10 MiB: a 5 MiB photo is
//! 6.7 MiB of base64), render routes [`super::body::MAX_BODY_BYTES`]. On Lambda the
//! synchronous invocation payload (6 MB) is the tighter bound: there, photos over about
//! 4.4 MiB fail before the handler, and a direct upload to S3 would be the way.

use super::auth::{key_or_session_cookie, Caller};
use super::body::Buffered;
use super::capture_image::{read_barcode, Grey, ImageError, ImageFormat, MAX_IMAGE_BYTES};
use super::clock::iso8601;
use super::fields::{Fields, IntegerField};
use super::problem::{FieldError, Problem, ProblemKind};
use super::scanner::{random_slug, session_for};
use super::{json, reply, route_both, App, Request, Response};
use crate::api::auth::AuthStore;
use crate::gs1::scan::understand;
use crate::store::bulk::PutObject;
use crate::store::scan::{
    Capture, CaptureStatus, GetCapture, GetProduct, GetSession, ListCaptures, PutCapture,
};
use axum::extract::{Extension, Path, State};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;
use http::StatusCode;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// The capture body's fields (JSON; multipart sends the photo as the file part `image`).
pub const FIELDS: &[&str] = &[
    "session_public_id",
    "capture_type",
    "raw_value",
    "gtin",
    "gs1_dl_data",
    "image_base64",
];
/// The largest body of `POST /scanner/api/v1/captures`, in bytes: the bulk routes'
/// 10 MiB (a photo of [`MAX_IMAGE_BYTES`] in base64 is 6.7 MiB, and the other fields).
pub const MAX_CAPTURE_BODY_BYTES: usize = super::body::MAX_BULK_BODY_BYTES;
/// The `error_message` of an image capture in which no barcode was found.
pub const NO_BARCODE_FOUND: &str = "no barcode found in the image";
/// The largest `page_size` of a capture list.
pub const MAX_PAGE_SIZE: u64 = 100;
/// `page` of a capture list, from 1.
pub const PAGE: IntegerField = IntegerField {
    name: "page",
    default: 1,
    min: 1,
    max: u32::MAX as i64,
};
/// `page_size` of a capture list.
pub const PAGE_SIZE: IntegerField = IntegerField {
    name: "page_size",
    default: 20,
    min: 1,
    max: MAX_PAGE_SIZE as i64,
};

/// What the capture routes need of the store (the object store keeps the photos).
pub trait CaptureStore:
    AuthStore + GetSession + PutCapture + GetCapture + ListCaptures + GetProduct + PutObject + 'static
{
}
impl<S> CaptureStore for S where
    S: AuthStore
        + GetSession
        + PutCapture
        + GetCapture
        + ListCaptures
        + GetProduct
        + PutObject
        + 'static
{
}

/// The capture routes; each takes an API key or the session's cookie.
pub fn routes<S: CaptureStore>(app: &Arc<App<S>>) -> Router {
    let auth = || from_fn_with_state(Arc::clone(app), key_or_session_cookie::<S>);
    let r = route_both(
        Router::new(),
        "/scanner/api/v1/captures",
        post(create::<S>).route_layer(auth()),
    );
    let r = route_both(
        r,
        "/scanner/api/v1/captures/{public_id}",
        get(show::<S>).route_layer(auth()),
    );
    route_both(
        r,
        "/scanner/api/v1/sessions/{public_id}/captures",
        get(list::<S>).route_layer(auth()),
    )
    .with_state(Arc::clone(app))
}

/// A capture id that sorts by creation: the second, a sequence number within this
/// process, then randomness (`cap_<10 hex><6 hex><8 random>`), so a session's captures
/// list in the order they were made even within one second.
fn capture_id(now: u64) -> Result<String, Problem> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let seq = SEQ.fetch_add(1, Ordering::Relaxed) & 0xff_ffff;
    Ok(format!("cap_{now:010x}{seq:06x}{}", random_slug(8)?))
}

/// The spec's response body of a capture.
pub fn capture_json(c: &Capture) -> Value {
    let data: Map<String, Value> = c
        .gs1_dl_data
        .iter()
        .map(|(a, v)| (a.clone(), Value::String(v.clone())))
        .collect();
    json!({
        "public_id": c.public_id,
        "status": c.status.as_str(),
        "capture_type": c.capture_type,
        "raw_value": c.raw_value,
        "gtin": c.gtin,
        "error_message": c.error_message,
        "created": iso8601(c.created),
        "gs1_dl_data": data,
        "product_public_id": c.product.as_ref().map(|p| p.0.clone()),
        "product_name": c.product.as_ref().map(|p| p.1.clone()),
        "processed_at": c.processed_at.map(iso8601),
        "uploaded_image_key": c.uploaded_image_key,
    })
}

/// The body, field by field: every error at once, as everywhere.
struct Body {
    session: String,
    capture_type: String,
    /// Absent only for an `IMAGE` capture with an image.
    raw_value: Option<String>,
    /// The photo's bytes, decoded from base64 but not yet checked.
    image: Option<Vec<u8>>,
    gtin: String,
    gs1_dl_data: Option<Vec<(String, String)>>,
}

/// The bytes of `image_base64`: standard base64 (padding optional), after any
/// `data:<type>;base64,` prefix; ASCII whitespace (line breaks) is ignored.
fn decode_image_base64(s: &str) -> Result<Vec<u8>, String> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::Engine;
    const STANDARD: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let data = match s.strip_prefix("data:") {
        Some(url) => match url.split_once(',') {
            Some((head, data)) if head.ends_with(";base64") => data,
            _ => return Err("A data URL must be `data:<type>;base64,<data>`".into()),
        },
        None => s,
    };
    let decoded = if data.bytes().any(|b| b.is_ascii_whitespace()) {
        let compact: String = data.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        STANDARD.decode(compact)
    } else {
        STANDARD.decode(data)
    };
    decoded.map_err(|e| format!("Base64 decoding error: {e}"))
}

/// Whether the request is `multipart/form-data`.
fn is_multipart(req: &Request) -> bool {
    req.headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|ct| ct.to_str().ok())
        .and_then(|ct| ct.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("multipart/form-data"))
}

/// A `multipart/form-data` body: its text parts as string fields (`gs1_dl_data` as the
/// JSON object it holds), and the bytes of the `image` part. A repeated part is a 422
/// `duplicate`; a body that is not well-formed multipart is a 400.
async fn read_multipart(req: &Request) -> Result<(Fields, Option<Vec<u8>>), Problem> {
    let bad = |e: multer::Error| {
        Problem::new(
            ProblemKind::BadRequest,
            format!("Malformed multipart/form-data body: {e}"),
        )
    };
    let content_type = req
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|ct| ct.to_str().ok())
        .unwrap_or_default();
    let boundary = multer::parse_boundary(content_type).map_err(bad)?;
    let reader = std::io::Cursor::new(req.body().clone());
    let mut form = multer::Multipart::with_reader(reader, boundary);
    let mut map = Map::new();
    let mut image = None;
    let mut repeated = Vec::new();
    while let Some(part) = form.next_field().await.map_err(bad)? {
        let name = part.name().unwrap_or_default().to_string();
        let seen = if name == "image" {
            image
                .replace(part.bytes().await.map_err(bad)?.to_vec())
                .is_some()
        } else {
            let text = part.text().await.map_err(bad)?;
            let value = match serde_json::from_str::<Value>(&text) {
                Ok(v @ Value::Object(_)) if name == "gs1_dl_data" => v,
                _ => Value::String(text),
            };
            map.insert(name.clone(), value).is_some()
        };
        if seen {
            repeated.push(name);
        }
    }
    let mut f = Fields::from_body_map(map);
    for name in repeated {
        f.error(&name, "duplicate", "Part given more than once.");
    }
    Ok((f, image))
}

/// The body, JSON or `multipart/form-data`.
async fn read(req: &Request) -> Result<Body, Problem> {
    if is_multipart(req) {
        let (f, image) = read_multipart(req).await?;
        read_fields(f, image)
    } else {
        read_fields(
            Fields::from_json_request_up_to(req, MAX_CAPTURE_BODY_BYTES)?,
            None,
        )
    }
}

/// The capture's fields; `file` is the photo of a multipart `image` part.
fn read_fields(mut f: Fields, file: Option<Vec<u8>>) -> Result<Body, Problem> {
    let session = f.string("session_public_id").unwrap_or_default();
    let capture_type = f
        .choice("capture_type", "", &["BARCODE", "IMAGE", "MANUAL"])
        .to_string();
    if !f.has("capture_type") {
        f.error("capture_type", "missing", "Field required");
    }
    let image = match f.opt_string("image_base64") {
        None => None,
        Some(text) => match decode_image_base64(&text) {
            Ok(bytes) => Some(bytes),
            Err(msg) => {
                f.error("image_base64", "base64_decode", msg);
                None
            }
        },
    };
    let image_field = if file.is_some() {
        "image"
    } else {
        "image_base64"
    };
    if file.is_some() && f.has("image_base64") {
        f.error(
            "image_base64",
            "image_twice",
            "Send the image once: as the image part or as image_base64",
        );
    }
    let with_image = file.is_some() || f.has("image_base64");
    let image = file.or(image);
    if with_image && !capture_type.is_empty() && capture_type != "IMAGE" {
        f.error(
            image_field,
            "image_capture_only",
            "Only IMAGE captures carry an image",
        );
    }
    // The spec requires raw_value; an IMAGE capture with its image may leave it to us.
    let raw_value = if with_image && capture_type == "IMAGE" {
        f.opt_string("raw_value")
    } else {
        f.string("raw_value")
    };
    if let Some(raw) = &raw_value {
        let n = raw.chars().count();
        if !(1..=500).contains(&n) {
            let (rule, msg) = if n == 0 {
                (
                    "string_too_short",
                    "String should have at least 1 character",
                )
            } else {
                (
                    "string_too_long",
                    "String should have at most 500 characters",
                )
            };
            f.error("raw_value", rule, msg);
        }
    }
    let gtin = f.opt_string("gtin").unwrap_or_default();
    if gtin.chars().count() > 14 {
        f.error(
            "gtin",
            "string_too_long",
            "String should have at most 14 characters",
        );
    }
    let gs1_dl_data = match f.raw("gs1_dl_data").cloned() {
        None => None,
        Some(Value::Object(map)) => Some(
            map.into_iter()
                .filter_map(|(k, v)| match v {
                    Value::String(s) => Some((k, s)),
                    _ => {
                        f.error_at(
                            &["gs1_dl_data", &k],
                            "string_type",
                            "Input should be a valid string",
                        );
                        None
                    }
                })
                .collect(),
        ),
        Some(_) => {
            f.error(
                "gs1_dl_data",
                "dict_type",
                "Input should be a valid dictionary",
            );
            None
        }
    };
    f.finish(FIELDS)?;
    Ok(Body {
        session,
        capture_type,
        raw_value,
        image,
        gtin,
        gs1_dl_data,
    })
}

/// A photo whose size and format are checked: 413 over [`MAX_IMAGE_BYTES`], 415 when
/// it is neither PNG nor JPEG.
fn checked_image(bytes: Vec<u8>) -> Result<(Vec<u8>, ImageFormat), Problem> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(Problem::new(
            ProblemKind::PayloadTooLarge,
            format!(
                "The image is {} bytes; at most {MAX_IMAGE_BYTES} are accepted.",
                bytes.len()
            ),
        ));
    }
    match ImageFormat::sniff(&bytes) {
        Some(format) => Ok((bytes, format)),
        None => Err(Problem::new(
            ProblemKind::UnsupportedMediaType,
            "The image must be a PNG or a JPEG.",
        )),
    }
}

/// What a photo gave: the raw value read from it, or why there is none (the capture's
/// `error_message`).
async fn read_image(
    bytes: Vec<u8>,
    format: ImageFormat,
) -> Result<(Vec<u8>, Result<String, String>), Problem> {
    let (bytes, read) = tokio::task::spawn_blocking(move || {
        let read = Grey::decode(&bytes, format).map(|grey| read_barcode(&grey));
        (bytes, read)
    })
    .await
    .map_err(|e| Problem::internal(&e))?;
    let read = match read {
        Ok(Some(raw)) => Ok(raw),
        Ok(None) => Err(NO_BARCODE_FOUND.to_string()),
        Err(e @ ImageError::TooManyPixels { .. }) => {
            return Err(Problem::new(ProblemKind::PayloadTooLarge, format!("{e}.")))
        }
        Err(e @ ImageError::Corrupt { .. }) => Err(e.to_string()),
    };
    Ok((bytes, read))
}

async fn create<S: CaptureStore>(
    State(app): State<Arc<App<S>>>,
    Extension(caller): Extension<Caller>,
    Buffered(req): Buffered<MAX_CAPTURE_BODY_BYTES>,
) -> axum::response::Response {
    reply(create_inner(&app, &caller, &req).await)
}

async fn create_inner<S: CaptureStore>(
    app: &App<S>,
    caller: &Caller,
    req: &Request,
) -> Result<Response, Problem> {
    let body = read(req).await?;
    let image = body.image.map(checked_image).transpose()?;
    let session = session_for(&app.store, caller, &body.session).await?;
    if session.closed.is_some() {
        return Err(Problem::new(
            ProblemKind::Conflict,
            "This scan session is closed: open a new one.",
        ));
    }
    // The raw value sent, or the one read from the photo (or why none was).
    let (raw, image) = match (body.raw_value, image) {
        (Some(raw), image) => (Ok(raw), image),
        (None, Some((bytes, format))) => {
            let (bytes, read) = read_image(bytes, format).await?;
            (read, Some((bytes, format)))
        }
        (None, None) => {
            return Err(Problem::internal(
                &"a capture with neither raw value nor image",
            ))
        }
    };
    let scan = raw.as_deref().ok().map(understand);
    if let Some(scan) = &scan {
        let sent_gtin = (!body.gtin.is_empty()).then_some(body.gtin.as_str());
        if let Some(c) = scan.contradicts(sent_gtin, body.gs1_dl_data.as_deref()) {
            let mut loc = vec!["body", c.field];
            if let Some(ai) = c.ai.as_deref() {
                loc.push(ai);
            }
            return Err(Problem::field(FieldError::at(
                &loc,
                "contradicts_raw_value",
                c.message,
            )));
        }
    }
    let now = app.clock.now();
    let public_id = capture_id(now)?;
    let uploaded_image_key = match image {
        Some((bytes, format)) => {
            let key = format!("captures/{public_id}.{}", format.extension());
            app.store
                .put_object(&key, bytes, format.content_type())
                .await
                .map_err(Problem::from)?;
            Some(key)
        }
        None => None,
    };
    let gtin = scan
        .as_ref()
        .and_then(|s| s.gtin.as_ref())
        .map(|g| g.as_str().to_string());
    let (status, error_message, product) = match (&scan, &gtin) {
        (None, _) => (CaptureStatus::Error, raw.as_ref().err().cloned(), None),
        (Some(scan), _) if scan.outcome.is_err() => {
            (CaptureStatus::Error, scan.error_message(), None)
        }
        (Some(_), Some(g)) => match app.store.get_product(g).await.map_err(Problem::from)? {
            Some(p) => (CaptureStatus::Matched, None, Some((p.public_id, p.name))),
            None => (CaptureStatus::NotFound, None, None),
        },
        (Some(_), None) => (CaptureStatus::NotFound, None, None),
    };
    let capture = Capture {
        public_id,
        session_public_id: session.public_id.clone(),
        owner: session.owner.clone(),
        status,
        capture_type: body.capture_type,
        raw_value: raw.unwrap_or_default(),
        gtin: gtin.unwrap_or_default(),
        error_message,
        gs1_dl_data: scan.map(|s| s.ais).unwrap_or_default(),
        product,
        uploaded_image_key,
        created: now,
        processed_at: Some(now),
    };
    app.store
        .put_capture(&capture)
        .await
        .map_err(Problem::from)?;
    Ok(json(StatusCode::CREATED, &capture_json(&capture)))
}

async fn show<S: CaptureStore>(
    State(app): State<Arc<App<S>>>,
    Extension(caller): Extension<Caller>,
    Path(public_id): Path<String>,
) -> axum::response::Response {
    let result = async {
        let c = app
            .store
            .get_capture(&public_id)
            .await
            .map_err(Problem::from)?
            .ok_or_else(Problem::not_found)?;
        // Seen by whoever may use its session.
        session_for(&app.store, &caller, &c.session_public_id).await?;
        Ok(json(StatusCode::OK, &capture_json(&c)))
    }
    .await;
    reply(result)
}

async fn list<S: CaptureStore>(
    State(app): State<Arc<App<S>>>,
    Extension(caller): Extension<Caller>,
    Path(public_id): Path<String>,
    Buffered(req): Buffered,
) -> axum::response::Response {
    let result = async {
        let mut f = Fields::from_query(req.uri().query())?;
        let page = f.read_integer(&PAGE) as u64;
        let page_size = f.read_integer(&PAGE_SIZE) as u64;
        f.finish(&[PAGE.name, PAGE_SIZE.name])?;
        session_for(&app.store, &caller, &public_id).await?;
        let p = app
            .store
            .list_captures(&public_id, page, page_size)
            .await
            .map_err(Problem::from)?;
        let total_pages = p.total.div_ceil(page_size);
        Ok(json(
            StatusCode::OK,
            &json!({
                "data": p.items.iter().map(capture_json).collect::<Vec<_>>(),
                "pagination": {
                    "page": page,
                    "page_size": page_size,
                    "total_count": p.total,
                    "total_pages": total_pages,
                    "has_next": page < total_pages,
                    "has_previous": page > 1,
                },
            }),
        ))
    }
    .await;
    reply(result)
}
