//! `POST /products/api/v1/qr/bulk/` and `GET /products/api/v1/qr/bulk/{task_id}/`: the
//! spec's asynchronous bulk QR job (see [`crate::bulk`] for the bundler).
//!
//! Submit validates every item up front (a bad item is a 422 at
//! `["body", "items", i, "lot"]`), stores the job (item list and render recipe) in the
//! object store, the task row, and queues a small message; it answers 202 with
//! `task_id`, `status: pending`, `count`, `poll_url` (and a `Location` header). An
//! `Idempotency-Key` header makes a repeat of the same request return the first task
//! (a different body under the same key is a 422). The status answers `task_id`,
//! `status`, `count`, `done`, `created`, `started`, `finished` (ISO 8601 or null),
//! `error`, and when completed a fresh presigned `download_url` with `expires_at`.
//! Another key's task is a 404.

use super::auth::{require_key, Caller};
use super::body::{Buffered, MAX_BULK_BODY_BYTES};
use super::clock::iso8601;
use super::fields::{Fields, IntegerField, Source};
use super::gs1_fields::Gs1Fields;
use super::problem::{FieldError, Loc, Problem};
use super::qr::QrRequest;
use super::{json, reply, route_both, App, Request, Response};
use crate::api::auth::AuthStore;
use crate::bulk::{Item, Job, QueueMessage};
use crate::render::Format;
use crate::store::{
    BulkTask, GetTask, PresignGet, PutObject, PutTask, SendMessage, StoreError, TaskStatus,
};
use crate::symbol::qr::EcLevel;
use axum::extract::{Extension, Path, State};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;
use http::{header, HeaderValue, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The spec's hard cap on items per job.
pub const BULK_MAX_ITEMS: usize = 5000;
/// How long a download URL works, in seconds.
pub const DOWNLOAD_URL_SECONDS: u64 = 3600;
/// At most this many failing items are listed in one 422.
const MAX_ITEM_ERRORS: usize = 50;

/// The submit route; a task's status is at `<PATH><task_id>/`.
pub const PATH: &str = "/products/api/v1/qr/bulk/";
/// The body's fields.
pub const FIELDS: &[&str] = &["gtin", "items", "format", "size"];
/// `size`: the side of every PNG, in pixels (ignored for SVG).
pub const SIZE: IntegerField = IntegerField {
    name: "size",
    default: 300,
    min: 50,
    max: 2000,
};

/// What the bulk routes need of the store.
pub trait BulkStore:
    AuthStore + PutTask + GetTask + PutObject + SendMessage + PresignGet + 'static
{
}
impl<S: AuthStore + PutTask + GetTask + PutObject + SendMessage + PresignGet + 'static> BulkStore
    for S
{
}

/// The submit and status routes, behind an API key.
pub fn routes<S: BulkStore>(app: &Arc<App<S>>) -> Router {
    let key = || from_fn_with_state(Arc::clone(app), require_key::<S>);
    let r = route_both(Router::new(), PATH, post(submit::<S>).route_layer(key()));
    route_both(
        r,
        &format!("{PATH}{{task_id}}/"),
        get(status::<S>).route_layer(key()),
    )
    .with_state(Arc::clone(app))
}

/// A validated submission.
struct Submission {
    template: QrRequest,
    items: Vec<Item>,
}

/// Reads and validates the body: every field, then every item as the QR it becomes.
fn read(req: &Request) -> Result<Submission, Problem> {
    let mut f = Fields::from_json_request_up_to(req, MAX_BULK_BODY_BYTES)?;
    let gtin = f.string("gtin").unwrap_or_default();
    let pattern_ok = (8..=17).contains(&gtin.chars().count())
        && gtin
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || c == '-');
    if !gtin.is_empty() && !pattern_ok {
        f.error(
            "gtin",
            "string_pattern_mismatch",
            "String should match pattern '^[\\d\\s\\-]{8,17}$'",
        );
    }
    let format = match f.choice("format", "png", &["svg", "png"]) {
        "svg" => Format::Svg,
        _ => Format::Png,
    };
    let size = f.read_integer(&SIZE) as u32;
    let items = read_items(&mut f);
    f.finish(FIELDS)?;
    let template = QrRequest {
        data: Gs1Fields {
            gtin: gtin.clone(),
            ..Gs1Fields::default()
        },
        format,
        ec_level: EcLevel::M,
        size,
        module_size: 0.5,
    };
    // The GTIN once, then each item as the QR request it becomes.
    template
        .data
        .element_string()
        .map_err(|e| e.problem(Source::Body))?;
    let mut errors = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let mut one = template.clone();
        one.data.lot = item.lot.clone();
        one.data.serial = item.serial.clone();
        one.data.expiry = item.expiry.clone();
        if let Err(e) = one.uri() {
            let prefix = [Loc::Key("items".into()), Loc::Index(i)];
            errors.extend(
                e.problem(Source::Body)
                    .details
                    .into_iter()
                    .map(|d| d.nested(&prefix)),
            );
            if errors.len() >= MAX_ITEM_ERRORS {
                break;
            }
        }
    }
    if !errors.is_empty() {
        return Err(Problem::validation(errors));
    }
    Ok(Submission { template, items })
}

/// The body's `items` as a list of 1 to [`BULK_MAX_ITEMS`] objects, each with its
/// index (as `loc` names it); a missing or mistyped list, a bad length or an entry that
/// is not an object is recorded in `f`. Bulk QR and label jobs read their items so.
pub(super) fn item_objects(f: &mut Fields) -> Vec<(String, serde_json::Map<String, Value>)> {
    let Some(raw) = f.raw("items").cloned() else {
        f.error("items", "missing", "Field required");
        return Vec::new();
    };
    let Value::Array(list) = raw else {
        f.error("items", "list_type", "Input should be a valid list");
        return Vec::new();
    };
    if list.is_empty() || list.len() > BULK_MAX_ITEMS {
        let (rule, msg) = if list.is_empty() {
            ("too_short", "List should have at least 1 item")
        } else {
            ("too_long", "List should have at most 5000 items")
        };
        f.error("items", rule, msg);
        return Vec::new();
    }
    let mut objects = Vec::with_capacity(list.len());
    for (i, v) in list.into_iter().enumerate() {
        let index = i.to_string();
        match v {
            Value::Object(map) => objects.push((index, map)),
            _ => f.error_at(
                &["items", &index],
                "model_type",
                "Input should be an object",
            ),
        }
    }
    objects
}

/// `items`: 1 to 5000 objects of optional string `lot`, `serial`, `expiry`.
fn read_items(f: &mut Fields) -> Vec<Item> {
    let objects = item_objects(f);
    let mut items = Vec::with_capacity(objects.len());
    for (index, map) in objects {
        let mut item = Item::default();
        for (k, v) in map {
            let slot = match k.as_str() {
                "lot" => &mut item.lot,
                "serial" => &mut item.serial,
                "expiry" => &mut item.expiry,
                _ => {
                    f.error_at(
                        &["items", &index, &k],
                        "extra_forbidden",
                        "Extra inputs are not permitted",
                    );
                    continue;
                }
            };
            match v {
                Value::Null => {}
                Value::String(s) => *slot = Some(s),
                _ => f.error_at(
                    &["items", &index, &k],
                    "string_type",
                    "Input should be a valid string",
                ),
            }
        }
        items.push(item);
    }
    items
}

/// A UUID in version-4 form from 16 bytes (random, or a hash for idempotent ids).
fn uuid_v4(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = super::auth::hex(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

fn accepted(task: &BulkTask, path: &str) -> Response {
    let poll_url = format!("{path}{}/", task.task_id);
    let mut resp = json(
        StatusCode::ACCEPTED,
        &json!({
            "task_id": task.task_id,
            "status": task.status.as_str(),
            "count": task.count,
            "poll_url": poll_url,
        }),
    );
    if let Ok(v) = HeaderValue::from_str(&poll_url) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

async fn submit<S: BulkStore>(
    State(app): State<Arc<App<S>>>,
    Extension(caller): Extension<Caller>,
    Buffered(req): Buffered<MAX_BULK_BODY_BYTES>,
) -> axum::response::Response {
    reply(submit_inner(&app, &caller, req).await)
}

async fn submit_inner<S: BulkStore>(
    app: &App<S>,
    caller: &Caller,
    req: Request,
) -> Result<Response, Problem> {
    submit_job(app, caller, req, PATH, |req| {
        let s = read(req)?;
        Ok(Job::qr(&s.template, s.items))
    })
    .await
}

/// Submits the job `read` makes of the request (validated off the async workers):
/// stores it, the task row, and queues it; answers 202 with the poll URL below `path`.
/// An `Idempotency-Key` makes a repeat return the first task.
///
/// Errors: `read`'s problem, or the store's.
pub(crate) async fn submit_job<S: BulkStore>(
    app: &App<S>,
    caller: &Caller,
    req: Request,
    path: &'static str,
    read: impl FnOnce(&Request) -> Result<Job, Problem> + Send + 'static,
) -> Result<Response, Problem> {
    let owner = caller.client_id().to_string();
    let request_hash = super::auth::hex(&Sha256::digest(req.body()));
    let idempotency = req
        .headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    // Validating 5000 items is CPU work: off the async workers.
    let job = tokio::task::spawn_blocking(move || read(&req))
        .await
        .map_err(|e| Problem::internal(&e))??;
    let task_id = match &idempotency {
        Some(k) => {
            let digest = Sha256::digest(format!("{owner}\n{k}").as_bytes());
            let mut b = [0u8; 16];
            b.copy_from_slice(&digest[..16]);
            uuid_v4(b)
        }
        None => {
            let mut b = [0u8; 16];
            getrandom::fill(&mut b).map_err(|e| Problem::internal(&e))?;
            uuid_v4(b)
        }
    };
    if idempotency.is_some() {
        if let Some(existing) = app.store.get_task(&task_id).await.map_err(Problem::from)? {
            return repeat(app, existing, &request_hash, path).await;
        }
    }
    let task = BulkTask::pending(
        task_id.clone(),
        owner,
        job.items.len() as u32,
        app.clock.now(),
        job.extension(),
        request_hash.clone(),
    );
    let bytes = serde_json::to_vec(&job).map_err(|e| Problem::internal(&e))?;
    app.store
        .put_object(&task.job_key, bytes, "application/json")
        .await
        .map_err(Problem::from)?;
    match app.store.put_task(&task).await {
        Ok(()) => {}
        Err(StoreError::Conflict) => {
            // Two submissions under one Idempotency-Key at once: the first one won.
            if let Some(existing) = app.store.get_task(&task_id).await.map_err(Problem::from)? {
                return repeat(app, existing, &request_hash, path).await;
            }
        }
        Err(e) => return Err(e.into()),
    }
    send(app, &task_id).await?;
    Ok(accepted(&task, path))
}

async fn send<S: BulkStore>(app: &App<S>, task_id: &str) -> Result<(), Problem> {
    let message = serde_json::to_string(&QueueMessage {
        task_id: task_id.to_string(),
    })
    .map_err(|e| Problem::internal(&e))?;
    app.store
        .send_message(&message)
        .await
        .map_err(Problem::from)
}

/// A repeat under the same Idempotency-Key: the first task, if the body is the same.
async fn repeat<S: BulkStore>(
    app: &App<S>,
    existing: BulkTask,
    request_hash: &str,
    path: &str,
) -> Result<Response, Problem> {
    if existing.request_hash != request_hash {
        return Err(Problem::field(FieldError::at(
            &["header", "idempotency-key"],
            "idempotency_key_reused",
            "This Idempotency-Key was used with another request body.",
        )));
    }
    if existing.status == TaskStatus::Pending {
        // The first submission may have stopped before queueing: queue again (the
        // bundler makes a second message harmless).
        send(app, &existing.task_id).await?;
    }
    Ok(accepted(&existing, path))
}

/// `GET <path>{task_id}/`: the task's status, and a download URL once completed.
pub(crate) async fn status<S: BulkStore>(
    State(app): State<Arc<App<S>>>,
    Extension(caller): Extension<Caller>,
    Path(task_id): Path<String>,
    Buffered(req): Buffered,
) -> axum::response::Response {
    reply(status_inner(&app, &caller, &task_id, &req).await)
}

async fn status_inner<S: BulkStore>(
    app: &App<S>,
    caller: &Caller,
    task_id: &str,
    req: &Request,
) -> Result<Response, Problem> {
    let task = app
        .store
        .get_task(task_id)
        .await
        .map_err(Problem::from)?
        .filter(|t| t.owner == caller.client_id())
        .ok_or_else(Problem::not_found)?;
    let time = |t: Option<u64>| t.map(iso8601);
    let mut body = json!({
        "task_id": task.task_id,
        "status": task.status.as_str(),
        "count": task.count,
        "done": task.done,
        "created": iso8601(task.created),
        "started": time(task.started),
        "finished": time(task.finished),
        "error": task.error,
        "download_url": null,
        "expires_at": null,
    });
    if task.status == TaskStatus::Completed {
        let now = app.clock.now();
        let url = app
            .store
            .presign_get(&task.bundle_key, DOWNLOAD_URL_SECONDS, now)
            .await
            .map_err(Problem::from)?;
        body["download_url"] = Value::String(absolute(req, url));
        body["expires_at"] = Value::String(iso8601(now + DOWNLOAD_URL_SECONDS));
    }
    let mut resp = json(StatusCode::OK, &body);
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// A path (the local store's signed URLs) made absolute with the request's host.
fn absolute(req: &Request, url: String) -> String {
    if !url.starts_with('/') {
        return url;
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    match host {
        Some(h) => {
            let local = h.starts_with("127.0.0.1") || h.starts_with("localhost");
            let scheme = req
                .headers()
                .get("x-forwarded-proto")
                .and_then(|h| h.to_str().ok())
                .unwrap_or(if local { "http" } else { "https" });
            format!("{scheme}://{h}{url}")
        }
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_uuid4_shaped() {
        let id = uuid_v4([0xff; 16]);
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
    }
}
