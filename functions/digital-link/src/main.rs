use shared::api::{lambda, Endpoint};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda::run(Endpoint::DigitalLink).await
}
