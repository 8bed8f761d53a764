//! `GET /health`: liveness, no key needed. Every deployment serves it (see
//! [`super::service`]).

use axum::routing::get;
use axum::Router;
use http::StatusCode;

/// The route: `{"status": "ok"}`.
pub fn routes() -> Router {
    super::route_both(
        Router::new(),
        "/health",
        get(|| async {
            super::reply(Ok(super::json(
                StatusCode::OK,
                &serde_json::json!({"status": "ok"}),
            )))
        }),
    )
}
