//! `GET /local/objects/{key}?expires=..&sig=..`: the local store's presigned downloads
//! (what S3 serves on AWS). The signature and expiry are checked by the store; the file
//! is streamed, never read whole (a bundle of 5000 large PNGs is hundreds of MB).

use axum::body::Body;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::Router;
use shared::api::problem::{Problem, ProblemKind};
use shared::api::App;
use shared::store::local::{LocalStore, OBJECT_URL_PREFIX};
use std::sync::Arc;

/// The download route.
pub fn routes(app: &Arc<App<LocalStore>>) -> Router {
    Router::new()
        .route(&format!("{OBJECT_URL_PREFIX}{{*key}}"), get(download))
        .with_state(Arc::clone(app))
}

async fn download(
    State(app): State<Arc<App<LocalStore>>>,
    Path(key): Path<String>,
    uri: http::Uri,
) -> axum::response::Response {
    let param = |name: &str| {
        uri.query().unwrap_or("").split('&').find_map(|p| {
            let (k, v) = p.split_once('=')?;
            (k == name).then(|| v.to_string())
        })
    };
    let forbidden = || {
        axum::response::IntoResponse::into_response(Problem::new(
            ProblemKind::Forbidden,
            "This download URL is invalid or has expired.",
        ))
    };
    let expires = param("expires").and_then(|e| e.parse::<u64>().ok());
    let (Some(expires), Some(sig)) = (expires, param("sig")) else {
        return forbidden();
    };
    let path = match app
        .store
        .signed_object(&key, expires, &sig, app.clock.now())
        .await
    {
        Ok(Some(p)) => p,
        Ok(None) => return forbidden(),
        Err(e) => return axum::response::IntoResponse::into_response(Problem::from(e)),
    };
    let file = match tokio::fs::File::open(&path).await {
        Ok(f) => f,
        Err(_) => return axum::response::IntoResponse::into_response(Problem::not_found()),
    };
    let len = file.metadata().await.map(|m| m.len()).unwrap_or(0);
    // The key's last segment (`<task id>.zip`), kept to `[A-Za-z0-9._-]`: a token that
    // needs no quoting rules and no RFC 8187 `filename*` (RFC 6266 section 4.3), and that
    // no quote, `;`, CR or LF can break out of. (The key is signed, so it is ours.)
    let name: String = key
        .rsplit('/')
        .next()
        .unwrap_or("download")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    // What the store holds: bundles are ZIPs, label sheets PDFs.
    let content_type = if name.ends_with(".pdf") {
        "application/pdf"
    } else {
        "application/zip"
    };
    http::Response::builder()
        .header(http::header::CONTENT_TYPE, content_type)
        .header(http::header::CONTENT_LENGTH, len)
        .header(
            http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        )
        .header(http::header::CACHE_CONTROL, "private, no-store")
        .body(Body::from_stream(tokio_util::io::ReaderStream::new(file)))
        .unwrap_or_else(|_| forbidden())
}
