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

use super::auth::{key_or_session_cookie, Caller};
use super::body::Buffered;
use super::clock::iso8601;
use super::fields::Fields;
use super::problem::{FieldError, Problem, ProblemKind};
use super::scanner::{random_slug, session_for};
use super::{json, reply, route_both, App, Request, Response};
use crate::gs1::scan::understand;
use crate::store::scan::{
    Capture, CaptureStatus, GetCapture, GetProduct, GetSession, ListCaptures, PutCapture,
};
use crate::store::GetApiKey;
use axum::extract::{Extension, Path, State};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;
use http::StatusCode;
use serde_json::{json, Map, Value};
use std::sync::Arc;

const FIELDS: &[&str] = &[
    "session_public_id",
    "capture_type",
    "raw_value",
    "gtin",
    "gs1_dl_data",
];
/// The largest `page_size` of a capture list.
pub const MAX_PAGE_SIZE: u64 = 100;

/// What the capture routes need of the store.
pub trait CaptureStore:
    GetApiKey + GetSession + PutCapture + GetCapture + ListCaptures + GetProduct + 'static
{
}
impl<S> CaptureStore for S where
    S: GetApiKey + GetSession + PutCapture + GetCapture + ListCaptures + GetProduct + 'static
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
    raw_value: String,
    gtin: String,
    gs1_dl_data: Option<Vec<(String, String)>>,
}

fn read(req: &Request) -> Result<Body, Problem> {
    let mut f = Fields::from_json_request(req)?;
    let session = f.string("session_public_id").unwrap_or_default();
    let capture_type = f
        .choice("capture_type", "", &["BARCODE", "IMAGE", "MANUAL"])
        .to_string();
    if !f.has("capture_type") {
        f.error("capture_type", "missing", "Field required");
    }
    let raw_value = f.string("raw_value").unwrap_or_default();
    let n = raw_value.chars().count();
    if f.has("raw_value") && !(1..=500).contains(&n) {
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
        gtin,
        gs1_dl_data,
    })
}

async fn create<S: CaptureStore>(
    State(app): State<Arc<App<S>>>,
    Extension(caller): Extension<Caller>,
    Buffered(req): Buffered,
) -> axum::response::Response {
    reply(create_inner(&app, &caller, &req).await)
}

async fn create_inner<S: CaptureStore>(
    app: &App<S>,
    caller: &Caller,
    req: &Request,
) -> Result<Response, Problem> {
    let body = read(req)?;
    let session = session_for(&app.store, caller, &body.session).await?;
    if session.closed.is_some() {
        return Err(Problem::new(
            ProblemKind::Conflict,
            "This scan session is closed: open a new one.",
        ));
    }
    let scan = understand(&body.raw_value);
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
    let now = app.clock.now();
    let gtin = scan.gtin.as_ref().map(|g| g.as_str().to_string());
    let (status, error_message, product) = match (&scan.outcome, &gtin) {
        (Err(_), _) => (CaptureStatus::Error, scan.error_message(), None),
        (Ok(()), Some(g)) => match app.store.get_product(g).await.map_err(Problem::from)? {
            Some(p) => (CaptureStatus::Matched, None, Some((p.public_id, p.name))),
            None => (CaptureStatus::NotFound, None, None),
        },
        (Ok(()), None) => (CaptureStatus::NotFound, None, None),
    };
    let capture = Capture {
        public_id: capture_id(now)?,
        session_public_id: session.public_id.clone(),
        owner: session.owner.clone(),
        status,
        capture_type: body.capture_type,
        raw_value: body.raw_value,
        gtin: gtin.unwrap_or_default(),
        error_message,
        gs1_dl_data: scan.ais.clone(),
        product,
        uploaded_image_key: None,
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
        let page = f.integer("page", 1, 1, i64::from(u32::MAX)) as u64;
        let page_size = f.integer("page_size", 20, 1, MAX_PAGE_SIZE as i64) as u64;
        f.finish(&["page", "page_size"])?;
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
