//! The application state every route shares, and the layers every deployment wraps
//! its routes in.
//!
//! ```text
//! request -> render (problem+json, HEAD) -> catch panic -> router
//!              -> [route layer: auth + rate limit] -> handler -> Result<Response, Problem>
//! ```
//!
//! A deployment (one Lambda, or the local server) builds an [`App`] over the store
//! adapter its routes need, asks each endpoint module for its `routes(&app)`, merges
//! them, and hands the result to [`service`].

use super::auth::{KeyMinter, KEY_SECRET_NAME};
use super::clock::{Clock, SystemClock};
use super::problem::Problem;
use super::rate_limit::Limits;
use super::signed_url::{UrlSigner, URL_SECRET_NAME};
use crate::store::{GetOrCreateSecret, StoreError};
use axum::routing::MethodRouter;
use axum::Router;
use std::sync::Arc;
use tower_http::catch_panic::CatchPanicLayer;

/// What every handler may use: the store adapter `S` (each handler is generic over
/// exactly the store traits it calls), the key minter, the URL signer, the rate
/// limits and the clock. Built once per process, shared as `Arc<App<S>>`.
pub struct App<S> {
    /// The store adapter (local SQLite, or AWS).
    pub store: S,
    /// Mints and checks API keys (the HMAC secret loaded from the store).
    pub keys: KeyMinter,
    /// Signs and checks image URLs.
    pub urls: UrlSigner,
    /// The rate-limit tiers (the counts are in the store).
    pub limits: Limits,
    /// "Now" for every handler and layer.
    pub clock: Arc<dyn Clock>,
}

impl<S: GetOrCreateSecret> App<S> {
    /// Loads (or creates, first time) the server secrets from the store; the system
    /// clock and the rate limits of the environment (see [`Limits::from_env`]).
    ///
    /// Errors: the store's, when it cannot be read or written.
    pub async fn new(store: S) -> Result<Self, StoreError> {
        let random = || {
            let mut s = vec![0u8; 32];
            getrandom::fill(&mut s).expect("the OS random source works");
            s
        };
        let key_secret = store.get_or_create_secret(KEY_SECRET_NAME, random).await?;
        let url_secret = store.get_or_create_secret(URL_SECRET_NAME, random).await?;
        Ok(App {
            store,
            keys: KeyMinter::new(key_secret),
            urls: UrlSigner::new(url_secret),
            limits: Limits::from_env(),
            clock: Arc::new(SystemClock),
        })
    }
}

/// An endpoint module's `routes` function: its routes over the app.
pub type Routes<S> = fn(&Arc<App<S>>) -> Router;

/// Serves `routes` (the merged `routes(&app)` of the endpoints a deployment serves)
/// with what every deployment shares: `GET /health`, a 404 problem for any other path,
/// a 500 problem for a panic, and problem+json rendering (see [`super::problem::render`]).
pub fn service<S: Send + Sync + 'static>(routes: Router, app: &Arc<App<S>>) -> Router {
    let inner = routes
        .merge(super::health::routes())
        .fallback(|| async { Problem::not_found() })
        .layer(CatchPanicLayer::custom(|_| {
            axum::response::IntoResponse::into_response(Problem::internal(&"a handler panicked"))
        }));
    // The problem layer wraps the finished inner router, not its routes: axum adds
    // `Allow` to a 405 only after route layers have run.
    Router::new()
        .fallback_service(inner)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(app),
            super::problem::render::<S>,
        ))
}

/// Adds `method_router` at `path` and at `path` with its final `/` toggled: the spec's
/// paths end in `/`, and callers who leave it off are served the same.
pub fn route_both<T: Clone + Send + Sync + 'static>(
    router: Router<T>,
    path: &str,
    method_router: MethodRouter<T>,
) -> Router<T> {
    let other = match path.strip_suffix('/') {
        Some(p) => p.to_string(),
        None => format!("{path}/"),
    };
    router
        .route(path, method_router.clone())
        .route(&other, method_router)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::clock::FixedClock;
    use crate::api::rate_limit::{Limits, DEFAULT_WINDOWS};
    use axum::routing::get;
    use http::Method;
    use tower::ServiceExt;

    fn app() -> Arc<App<()>> {
        Arc::new(App {
            store: (),
            keys: super::super::auth::KeyMinter::new(b"k".to_vec()),
            urls: super::super::signed_url::UrlSigner::new(b"u".to_vec()),
            limits: Limits::new(DEFAULT_WINDOWS.to_vec()),
            clock: Arc::new(FixedClock::new(1_774_958_400)),
        })
    }

    async fn call(router: Router, method: Method, path: &str) -> (http::Response<Bytes>, String) {
        let req = http::Request::builder()
            .method(method)
            .uri(path)
            .body(axum::body::Body::empty())
            .unwrap();
        let resp = router.oneshot(req).await.unwrap();
        let (parts, body) = resp.into_parts();
        let bytes = http_body_util::BodyExt::collect(body)
            .await
            .unwrap()
            .to_bytes();
        let text = String::from_utf8_lossy(&bytes).to_string();
        (http::Response::from_parts(parts, bytes), text)
    }

    use bytes::Bytes;

    /// What every deployment shares, whatever its routes: each row a request to a
    /// router with one GET route that panics, and what comes back.
    #[tokio::test]
    async fn shared_layers_answer_with_problems() {
        let app = app();
        let routes = || {
            route_both(
                Router::new(),
                "/boom/",
                get(|| async {
                    if true {
                        panic!("a bug");
                    }
                    "never"
                }),
            )
        };
        let rows = [
            // 0: a panic is a 500 problem, stamped by the app's clock
            (Method::GET, "/boom/", 500, Some("internal_error"), None),
            // 1: the same path without its final slash
            (Method::GET, "/boom", 500, Some("internal_error"), None),
            // 2: a wrong method names the allowed ones
            (
                Method::POST,
                "/boom/",
                405,
                Some("method_not_allowed"),
                Some("GET, HEAD"),
            ),
            // 3: an unknown path
            (Method::GET, "/nope", 404, Some("not_found"), None),
            // 4: HEAD of a problem: its headers, no body
            (Method::HEAD, "/nope", 404, None, None),
            // 5: /health is always there
            (Method::GET, "/health", 200, None, None),
        ];
        for (i, (method, path, status, code, allow)) in rows.into_iter().enumerate() {
            let head = method == Method::HEAD;
            let (resp, body) = call(service(routes(), &app), method, path).await;
            assert_eq!(resp.status(), status, "row {i}: {body}");
            assert_eq!(
                resp.headers().get("allow").map(|v| v.to_str().unwrap()),
                allow,
                "row {i}"
            );
            if let Some(code) = code {
                let v: serde_json::Value = serde_json::from_str(&body).unwrap();
                assert_eq!(v["error_code"], code, "row {i}");
                assert_eq!(v["timestamp"], "2026-03-31T12:00:00+00:00", "row {i}");
                assert_eq!(
                    resp.headers()["content-type"],
                    "application/problem+json",
                    "row {i}"
                );
            }
            if head {
                assert!(body.is_empty(), "row {i}");
                assert_ne!(resp.headers()["content-length"], "0", "row {i}");
            }
        }
    }
}
