//! HTTP handlers shared by the Lambdas and the local server, as axum routes.
//!
//! Routes are data: each endpoint module has a `routes(&app) -> Router` listing its
//! operations, each one function generic over exactly the store traits it uses.
//! Auth and rate limits are a route layer ([`auth::require_key`]); problem+json, the
//! 404 fallback, panics and `/health` are added once by [`service`]. A Lambda's
//! `main.rs` builds the store adapter it needs and hands its routes to
//! [`lambda::serve`]; the local server merges every endpoint's routes over the local
//! adapter. Nothing here knows which adapter it was given.
//!
//! Adding an endpoint: one module here with its `routes`, one line in the local
//! server's route list (`infra/local/src/routes.rs`) and its own `functions/<name>`.
//!
//! ```
//! # #[cfg(feature = "local")] {
//! use shared::api::{barcode, digital_link, service, App};
//! # async fn demo(store: shared::store::local::LocalStore) {
//! let app = std::sync::Arc::new(App::new(store).await.unwrap());
//! let router = service(digital_link::routes(&app).merge(barcode::routes(&app)), &app);
//! # let _ = router; }
//! # }
//! ```

pub mod app;
pub mod auth;
pub mod barcode;
pub mod barcode_type;
pub mod body;
pub mod capture_image;
pub mod captures;
pub mod clock;
pub mod datamatrix;
pub mod digital_link;
pub mod etag;
pub mod fields;
pub mod gs1_fields;
pub mod health;
pub mod image;
pub mod labels;
pub mod problem;
pub mod qr;
pub mod qr_bulk;
pub mod quiet_zone;
pub mod rate_limit;
pub mod scanner;
pub mod signed_url;

#[cfg(feature = "lambda")]
pub mod lambda;
#[cfg(feature = "openapi")]
pub mod openapi;

pub use app::{route_both, service, App, Routes};

use bytes::Bytes;
use http::{header, HeaderValue, StatusCode};
use problem::Problem;

/// A request with its body read whole (see [`body::Buffered`]).
pub type Request = http::Request<Bytes>;
/// A response with its whole body: what handlers build.
pub type Response = http::Response<Bytes>;

/// A JSON response with `status`.
pub fn json(status: StatusCode, value: &serde_json::Value) -> Response {
    let mut resp = http::Response::new(Bytes::from(value.to_string()));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

/// A handler's result as axum's response: the bytes, or the problem for the
/// [`problem::render`] layer to write.
pub fn reply(result: Result<Response, Problem>) -> axum::response::Response {
    match result {
        Ok(resp) => resp.map(axum::body::Body::from),
        Err(p) => axum::response::IntoResponse::into_response(p),
    }
}

/// Runs CPU work (encoding, drawing) off the async workers, so one large PNG does not
/// stall every other request; a panic in it is a 500 problem.
pub async fn blocking(
    work: impl FnOnce() -> Result<Response, Problem> + Send + 'static,
) -> axum::response::Response {
    reply(
        tokio::task::spawn_blocking(work)
            .await
            .unwrap_or_else(|e| Err(Problem::internal(&e))),
    )
}
