//! HTTP handlers shared by the Lambdas and the local server.
//!
//! Requests and responses are plain `http` types with `Bytes` bodies, so the same
//! [`App`] serves API Gateway (through `lambda` glue), the local hyper server and
//! tests, and nothing here knows which store adapter it was given.
//!
//! ```text
//! Request -> App::handle -> route -> auth + rate limit -> endpoint handler -> Response
//!                                  \-> any Problem -> application/problem+json
//! ```

pub mod auth;
pub mod clock;
pub mod digital_link;
pub mod etag;
pub mod fields;
pub mod problem;
pub mod rate_limit;

#[cfg(feature = "lambda")]
pub mod lambda;

use auth::KeyMinter;
use bytes::Bytes;
use http::{header, HeaderValue, Method, StatusCode};
use problem::{Problem, ProblemKind};
use rate_limit::RateLimiter;
use std::sync::Arc;

use crate::store::{GetApiKey, GetOrCreateSecret, StoreError};

pub type Request = http::Request<Bytes>;
pub type Response = http::Response<Bytes>;

/// Every endpoint we serve; each Lambda serves one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Health,
    DigitalLink,
}

impl Endpoint {
    /// The endpoint a path belongs to, and the methods it allows.
    pub fn for_path(path: &str) -> Option<(Endpoint, &'static [Method])> {
        // The spec's paths end in '/'; we accept them without it too.
        let path = path.strip_suffix('/').unwrap_or(path);
        match path {
            "/health" => Some((Endpoint::Health, &[Method::GET, Method::HEAD])),
            "/products/api/v1/digital-link" => Some((Endpoint::DigitalLink, &[Method::POST])),
            _ => None,
        }
    }

    fn needs_key(self) -> bool {
        !matches!(self, Endpoint::Health)
    }
}

/// The application: store, key minter and rate limiter, built once per process.
pub struct App<S> {
    pub store: S,
    pub keys: KeyMinter,
    pub limiter: RateLimiter,
    /// When set (in a Lambda), only this endpoint is served.
    pub only: Option<Endpoint>,
}

impl<S> App<S>
where
    S: GetApiKey + GetOrCreateSecret + Send + Sync + 'static,
{
    /// Loads (or creates, first time) the key secret from the store.
    pub async fn new(store: S) -> Result<Self, StoreError> {
        let secret = store
            .get_or_create_secret(auth::KEY_SECRET_NAME, || {
                let mut s = vec![0u8; 32];
                getrandom::fill(&mut s).expect("the OS random source works");
                s
            })
            .await?;
        Ok(App {
            store,
            keys: KeyMinter::new(secret),
            limiter: RateLimiter::from_env(),
            only: None,
        })
    }

    pub fn only(mut self, endpoint: Endpoint) -> Self {
        self.only = Some(endpoint);
        self
    }

    /// Serves one request. Runs the handler in its own task so that even a panic
    /// comes back as a problem+json 500 rather than a dropped connection.
    pub async fn handle(self: &Arc<Self>, req: Request) -> Response {
        let app = Arc::clone(self);
        match tokio::spawn(async move { app.dispatch(req).await }).await {
            Ok(resp) => resp,
            Err(e) => Problem::internal(&e).into_response(),
        }
    }

    async fn dispatch(&self, req: Request) -> Response {
        let head = req.method() == Method::HEAD;
        let mut resp = match self.route(req).await {
            Ok(r) => r,
            Err(p) => p.into_response(),
        };
        if head {
            *resp.body_mut() = Bytes::new();
        }
        resp
    }

    async fn route(&self, req: Request) -> Result<Response, Problem> {
        let (endpoint, methods) = Endpoint::for_path(req.uri().path())
            .filter(|(e, _)| self.only.is_none_or(|o| o == *e || *e == Endpoint::Health))
            .ok_or_else(Problem::not_found)?;
        if !methods.contains(req.method()) {
            let allow: Vec<&str> = methods.iter().map(|m| m.as_str()).collect();
            return Err(Problem::new(
                ProblemKind::MethodNotAllowed,
                format!(
                    "{} is not allowed here; use {}.",
                    req.method(),
                    allow.join(", ")
                ),
            )
            .with_header(header::ALLOW, allow.join(", ")));
        }
        if !endpoint.needs_key() {
            return Ok(self.serve(endpoint, req).await);
        }
        let key = self.keys.authenticate(&self.store, req.headers()).await?;
        let decision = self.limiter.check(&key.key_hash, clock::unix_now());
        let mut resp = if decision.allowed {
            self.serve(endpoint, req).await
        } else {
            decision.problem().into_response()
        };
        decision.apply(resp.headers_mut());
        Ok(resp)
    }

    async fn serve(&self, endpoint: Endpoint, req: Request) -> Response {
        let result = match endpoint {
            Endpoint::Health => Ok(json(StatusCode::OK, &serde_json::json!({"status": "ok"}))),
            Endpoint::DigitalLink => digital_link::post(&req),
        };
        result.unwrap_or_else(Problem::into_response)
    }
}

/// A JSON response.
pub fn json(status: StatusCode, value: &serde_json::Value) -> Response {
    let mut resp = http::Response::new(Bytes::from(value.to_string()));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}
