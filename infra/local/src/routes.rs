//! The local server's route list: every endpoint's routes over the local store.
//! Adding an endpoint adds one line here (and one `functions/<name>` for AWS).

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
}
