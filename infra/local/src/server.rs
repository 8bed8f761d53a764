//! A small hyper server that hands every request to the same [`App`] the Lambdas use.

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use shared::api::fields::{too_large, MAX_BODY_BYTES};
use shared::api::problem::{Problem, ProblemKind};
use shared::api::App;
use shared::store::local::LocalStore;
use std::convert::Infallible;
use std::io::Write;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Serves until the process ends; prints `listening on ...` once ready.
pub async fn serve(app: Arc<App<LocalStore>>, listener: TcpListener) -> Result<(), String> {
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    println!("listening on http://127.0.0.1:{port}");
    let _ = std::io::stdout().flush();
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(conn) => conn,
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                continue;
            }
        };
        let app = Arc::clone(&app);
        tokio::spawn(async move {
            let service = service_fn(move |req| {
                let app = Arc::clone(&app);
                async move { Ok::<_, Infallible>(handle(&app, req).await) }
            });
            if let Err(e) = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                tracing::debug!(error = %e, "connection ended");
            }
        });
    }
}

async fn handle(
    app: &Arc<App<LocalStore>>,
    req: hyper::Request<Incoming>,
) -> hyper::Response<Full<Bytes>> {
    let (parts, body) = req.into_parts();
    let resp = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => {
            app.handle(http::Request::from_parts(parts, collected.to_bytes()))
                .await
        }
        Err(e) if e.is::<http_body_util::LengthLimitError>() => too_large().into_response(),
        Err(e) => Problem::new(
            ProblemKind::BadRequest,
            format!("could not read the body: {e}"),
        )
        .into_response(),
    };
    resp.map(Full::new)
}
