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
pub mod barcode;
pub mod barcode_type;
pub mod clock;
pub mod datamatrix;
pub mod digital_link;
pub mod etag;
pub mod fields;
pub mod image;
pub mod problem;
pub mod rate_limit;
pub mod signed_url;

#[cfg(feature = "lambda")]
pub mod lambda;

use auth::KeyMinter;
use bytes::Bytes;
use http::{header, HeaderValue, Method, StatusCode};
use problem::{Problem, ProblemKind};
use rate_limit::RateLimiter;
use signed_url::UrlSigner;
use std::sync::Arc;

use crate::store::{GetApiKey, GetOrCreateSecret, StoreError};

pub type Request = http::Request<Bytes>;
pub type Response = http::Response<Bytes>;

/// Every endpoint we serve; each Lambda serves one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Health,
    DigitalLink,
    /// One of the three forms of an image endpoint (see [`image`]).
    Image(ImageKind, ImageForm),
}

/// The image endpoints, by path prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// `/products/api/v1/barcode/`
    Barcode,
    /// `/products/api/v1/datamatrix/`
    DataMatrix,
}

/// `POST <prefix>`, `GET <prefix>{gtin}.{ext}` (key or signature), `POST <prefix>signed-url/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageForm {
    Post,
    Get,
    SignUrl,
}

/// The endpoints each Lambda serves.
pub const BARCODE_ENDPOINTS: &[Endpoint] = &[
    Endpoint::Image(ImageKind::Barcode, ImageForm::Post),
    Endpoint::Image(ImageKind::Barcode, ImageForm::Get),
    Endpoint::Image(ImageKind::Barcode, ImageForm::SignUrl),
];
pub const DATAMATRIX_ENDPOINTS: &[Endpoint] = &[
    Endpoint::Image(ImageKind::DataMatrix, ImageForm::Post),
    Endpoint::Image(ImageKind::DataMatrix, ImageForm::Get),
    Endpoint::Image(ImageKind::DataMatrix, ImageForm::SignUrl),
];
pub const DIGITAL_LINK_ENDPOINTS: &[Endpoint] = &[Endpoint::DigitalLink];

impl Endpoint {
    /// The endpoint a path belongs to, and the methods it allows.
    pub fn for_path(path: &str) -> Option<(Endpoint, &'static [Method])> {
        // The spec's paths end in '/'; we accept them without it too.
        let path = path.strip_suffix('/').unwrap_or(path);
        const GET: &[Method] = &[Method::GET, Method::HEAD];
        match path {
            "/health" => Some((Endpoint::Health, GET)),
            "/products/api/v1/digital-link" => Some((Endpoint::DigitalLink, &[Method::POST])),
            _ => {
                let kinds = [
                    (
                        ImageKind::Barcode,
                        <barcode::BarcodeRequest as image::ImageRequest>::PATH,
                    ),
                    (
                        ImageKind::DataMatrix,
                        <datamatrix::DataMatrixRequest as image::ImageRequest>::PATH,
                    ),
                ];
                let (kind, rest) = kinds.iter().find_map(|(k, prefix)| {
                    Some((
                        *k,
                        (path.to_string() + "/").strip_prefix(prefix)?.to_string(),
                    ))
                })?;
                let rest = rest.strip_suffix('/').unwrap_or(&rest);
                match rest {
                    "" => Some((Endpoint::Image(kind, ImageForm::Post), &[Method::POST])),
                    "signed-url" => {
                        Some((Endpoint::Image(kind, ImageForm::SignUrl), &[Method::POST]))
                    }
                    r if !r.contains('/') => Some((Endpoint::Image(kind, ImageForm::Get), GET)),
                    _ => None,
                }
            }
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
    pub urls: UrlSigner,
    pub limiter: RateLimiter,
    /// When set (in a Lambda), only these endpoints (and `/health`) are served.
    pub only: Option<&'static [Endpoint]>,
}

impl<S> App<S>
where
    S: GetApiKey + GetOrCreateSecret + Send + Sync + 'static,
{
    /// Loads (or creates, first time) the server secrets from the store.
    pub async fn new(store: S) -> Result<Self, StoreError> {
        let random = || {
            let mut s = vec![0u8; 32];
            getrandom::fill(&mut s).expect("the OS random source works");
            s
        };
        let key_secret = store
            .get_or_create_secret(auth::KEY_SECRET_NAME, random)
            .await?;
        let url_secret = store
            .get_or_create_secret(signed_url::URL_SECRET_NAME, random)
            .await?;
        Ok(App {
            store,
            keys: KeyMinter::new(key_secret),
            urls: UrlSigner::new(url_secret),
            limiter: RateLimiter::from_env(),
            only: None,
        })
    }

    pub fn only(mut self, endpoints: &'static [Endpoint]) -> Self {
        self.only = Some(endpoints);
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
            // HEAD: GET's headers, including the length the body would have had.
            let len = resp.body().len();
            resp.headers_mut()
                .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
            *resp.body_mut() = Bytes::new();
        }
        resp
    }

    async fn route(&self, req: Request) -> Result<Response, Problem> {
        let (endpoint, methods) = Endpoint::for_path(req.uri().path())
            .filter(|(e, _)| {
                self.only
                    .is_none_or(|o| o.contains(e) || *e == Endpoint::Health)
            })
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
            return Ok(self.serve(endpoint, req, &Caller::Anonymous).await);
        }
        let now = clock::unix_now();
        let query = req.uri().query().unwrap_or("");
        let is_get = matches!(endpoint, Endpoint::Image(_, ImageForm::Get));
        let caller = if is_get && query.contains("sig=") {
            Caller::Signed(self.urls.verify(req.uri().path(), query, now)?)
        } else {
            Caller::Key(
                self.keys
                    .authenticate(&self.store, req.headers())
                    .await?
                    .key_hash,
            )
        };
        let client = match &caller {
            Caller::Key(hash) => hash[..16].to_string(),
            Caller::Signed(s) => s.kid.clone(),
            Caller::Anonymous => String::new(),
        };
        let decision = self.limiter.check(&client, now);
        let mut resp = if decision.allowed {
            self.serve(endpoint, req, &caller).await
        } else {
            decision.problem().into_response()
        };
        decision.apply(resp.headers_mut());
        Ok(resp)
    }

    async fn serve(&self, endpoint: Endpoint, req: Request, caller: &Caller) -> Response {
        let result = match (endpoint, caller) {
            (Endpoint::Health, _) => Ok(json(StatusCode::OK, &serde_json::json!({"status": "ok"}))),
            (Endpoint::DigitalLink, _) => digital_link::post(&req),
            (Endpoint::Image(kind, form), caller) => {
                // Encoding and drawing are CPU work: keep them off the async workers so
                // one large PNG does not stall every other request.
                let (urls, caller) = (self.urls.clone(), caller.clone());
                tokio::task::spawn_blocking(move || image(kind, form, &req, &caller, &urls))
                    .await
                    .unwrap_or_else(|e| Err(Problem::internal(&e)))
            }
        };
        result.unwrap_or_else(Problem::into_response)
    }
}

fn image(
    kind: ImageKind,
    form: ImageForm,
    req: &Request,
    caller: &Caller,
    urls: &UrlSigner,
) -> Result<Response, Problem> {
    match kind {
        ImageKind::Barcode => image_of::<barcode::BarcodeRequest>(form, req, caller, urls),
        ImageKind::DataMatrix => image_of::<datamatrix::DataMatrixRequest>(form, req, caller, urls),
    }
}

fn image_of<R: image::ImageRequest>(
    form: ImageForm,
    req: &Request,
    caller: &Caller,
    urls: &UrlSigner,
) -> Result<Response, Problem> {
    match (form, caller) {
        (ImageForm::Post, _) => image::post::<R>(req),
        (ImageForm::Get, Caller::Signed(s)) => {
            image::get::<R>(req, Some(&s.options_query)).map(|mut r| {
                // A CDN must not serve the image longer than the URL is valid.
                let left = s.expires.saturating_sub(clock::unix_now()).min(2_592_000);
                if let Ok(v) = HeaderValue::from_str(&format!("public, max-age={left}")) {
                    r.headers_mut().insert(header::CACHE_CONTROL, v);
                }
                r
            })
        }
        (ImageForm::Get, _) => image::get::<R>(req, req.uri().query()),
        (ImageForm::SignUrl, Caller::Key(hash)) => {
            signed_url::post::<R>(req, urls, hash, clock::unix_now())
        }
        (ImageForm::SignUrl, _) => Err(Problem::new(
            ProblemKind::Forbidden,
            "Signed URLs are minted with an API key.",
        )),
    }
}

/// Who is calling: decides which endpoints and limits apply.
#[derive(Clone)]
enum Caller {
    Anonymous,
    /// The hash of a valid API key.
    Key(String),
    /// A valid signed image URL.
    Signed(signed_url::Signed),
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
