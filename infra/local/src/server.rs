//! The local HTTP server: axum over hyper, serving [`routes`] with the same layers a
//! Lambda wraps them in, and the background workers beside it.

use crate::routes::routes;
use crate::workers::Workers;
use shared::api::{service, App};
use shared::store::local::LocalStore;
use std::io::Write;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Serves until the process ends; prints `listening on ...` once ready. The
/// background workers (`workers`) run beside the server in the same process.
pub async fn serve(
    app: Arc<App<LocalStore>>,
    listener: TcpListener,
    workers: Workers,
) -> Result<(), String> {
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let router = service(routes(&app), &app);
    println!("listening on http://127.0.0.1:{port}");
    let _ = std::io::stdout().flush();
    let served = axum::serve(listener, router).await;
    workers.stop().await;
    served.map_err(|e| e.to_string())
}
