use shared::api::{lambda, DIGITAL_LINK_ENDPOINTS};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda::run(DIGITAL_LINK_ENDPOINTS).await
}
