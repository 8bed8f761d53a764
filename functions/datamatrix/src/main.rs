use shared::api::{lambda, DATAMATRIX_ENDPOINTS};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda::run(DATAMATRIX_ENDPOINTS).await
}
