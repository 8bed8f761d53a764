//! The local server's route list: every endpoint's routes over the local store.
//! Adding an endpoint adds one line here (and one `functions/<name>` for AWS).
//!
//! Beside the API: its OpenAPI 3.1 document at `/openapi.json` ([`shared::api::openapi`])
//! and Swagger UI over it at `/docs`, whose files are inside the binary
//! (utoipa-swagger-ui's `vendored` feature: nothing is fetched at build or run time).

use axum::Router;
use shared::api::{barcode, captures, datamatrix, digital_link, labels, qr, qr_bulk, scanner, App};
use shared::store::local::LocalStore;
use std::sync::Arc;

/// Every route of the API, served by one process.
pub fn routes(app: &Arc<App<LocalStore>>) -> Router {
    Router::new()
        .merge(digital_link::routes(app))
        .merge(barcode::routes(app))
        .merge(datamatrix::routes(app))
        .merge(qr::routes(app))
        .merge(qr_bulk::routes(app))
        .merge(labels::routes(app))
        .merge(scanner::routes(app))
        .merge(captures::routes(app))
        .merge(crate::objects::routes(app))
        .merge(docs())
}

/// `GET /openapi.json` and the Swagger UI at `/docs`.
pub fn docs() -> Router {
    Router::from(
        utoipa_swagger_ui::SwaggerUi::new("/docs")
            .url("/openapi.json", shared::api::openapi::document()),
    )
}
