//! Glue between `lambda_http` and [`App`]: each Lambda's `main.rs` calls
//! [`run`] with its endpoint and nothing else.

use super::{App, Endpoint};
use crate::store::aws::AwsStore;
use bytes::Bytes;
use lambda_http::{service_fn, Body, Error};
use std::sync::Arc;

/// Builds the AWS store and the app once (outside the handler), then serves.
pub async fn run(endpoints: &'static [Endpoint]) -> Result<(), Error> {
    tracing_init();
    let store = AwsStore::from_env().await;
    let app = Arc::new(App::new(store).await?.only(endpoints));
    lambda_http::run(service_fn(move |req: lambda_http::Request| {
        let app = Arc::clone(&app);
        async move { Ok::<_, Error>(to_lambda(app.handle(from_lambda(req)).await)) }
    }))
    .await
}

/// Plain-text logs without timestamps: CloudWatch adds its own. `RUST_LOG` filters.
fn tracing_init() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .without_time()
        .with_ansi(false)
        .try_init();
}

/// API Gateway's request as ours. The body arrives as text or (base64-decoded) binary.
pub fn from_lambda(req: lambda_http::Request) -> super::Request {
    let (parts, body) = req.into_parts();
    let bytes = match body {
        Body::Empty => Bytes::new(),
        Body::Text(s) => Bytes::from(s),
        Body::Binary(b) => Bytes::from(b),
        _ => Bytes::new(),
    };
    http::Request::from_parts(parts, bytes)
}

/// Our response for API Gateway: text types as text, images as binary (base64 on the wire).
pub fn to_lambda(resp: super::Response) -> http::Response<Body> {
    let (parts, bytes) = resp.into_parts();
    let textual = parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.contains("json") || ct.starts_with("text/") || ct.starts_with("image/svg")
        });
    let body = if bytes.is_empty() {
        Body::Empty
    } else if textual {
        match String::from_utf8(bytes.to_vec()) {
            Ok(s) => Body::Text(s),
            Err(e) => Body::Binary(e.into_bytes()),
        }
    } else {
        Body::Binary(bytes.to_vec())
    };
    http::Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sample event `sam local invoke -e` uses must reach our handler intact.
    #[test]
    fn sample_event_becomes_our_request() {
        let event = include_str!("../../../events/digital-link-post.json");
        let req = lambda_http::request::from_str(event).expect("a valid API Gateway v2 event");
        let req = from_lambda(req);
        assert_eq!(req.method(), http::Method::POST);
        assert_eq!(req.uri().path(), "/products/api/v1/digital-link/");
        assert_eq!(
            Endpoint::for_path(req.uri().path()).map(|(e, _)| e),
            Some(Endpoint::DigitalLink)
        );
        let body: serde_json::Value = serde_json::from_slice(req.body()).unwrap();
        assert!(body["uri"]
            .as_str()
            .unwrap()
            .starts_with("https://id.gs1.org/01/"));
    }

    /// Every sample event, with a real key added, is served by the app as API Gateway
    /// would deliver it: right endpoint, right status and content type.
    #[cfg(feature = "local")]
    #[tokio::test]
    async fn sample_events_are_served_end_to_end() {
        use crate::store::{local::LocalStore, PutApiKey};
        let dir = std::env::temp_dir().join(format!("gs1codes-events-{}", std::process::id()));
        let app = Arc::new(App::new(LocalStore::open(&dir).unwrap()).await.unwrap());
        let (key, rec) = app.keys.mint(0).unwrap();
        app.store.put_api_key(&rec).await.unwrap();
        let rows = [
            // 0..3: each file in events/, its status and content type
            (
                include_str!("../../../events/digital-link-post.json"),
                200,
                "application/json",
            ),
            (
                include_str!("../../../events/barcode-post.json"),
                200,
                "image/svg+xml",
            ),
            (
                include_str!("../../../events/barcode-get-png.json"),
                200,
                "image/png",
            ),
        ];
        for (i, (event, status, ct)) in rows.into_iter().enumerate() {
            let mut req = from_lambda(lambda_http::request::from_str(event).unwrap());
            req.headers_mut().insert("x-api-key", key.parse().unwrap());
            let resp = to_lambda(app.handle(req).await);
            assert_eq!(resp.status(), status, "row {i}: {:?}", resp.body());
            assert_eq!(resp.headers()["content-type"], ct, "row {i}");
        }
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn images_go_out_as_binary_and_json_as_text() {
        let resp = |ct: &str, body: &[u8]| {
            let mut r = http::Response::new(Bytes::copy_from_slice(body));
            r.headers_mut().insert("content-type", ct.parse().unwrap());
            to_lambda(r).into_body()
        };
        assert!(matches!(resp("image/png", b"\x89PNG"), Body::Binary(_)));
        assert!(matches!(resp("application/pdf", b"%PDF"), Body::Binary(_)));
        assert!(matches!(resp("image/svg+xml", b"<svg/>"), Body::Text(_)));
        assert!(matches!(
            resp("application/problem+json", b"{}"),
            Body::Text(_)
        ));
    }
}
