use shared::api::{lambda, BARCODE_ENDPOINTS};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda::run(BARCODE_ENDPOINTS).await
}
