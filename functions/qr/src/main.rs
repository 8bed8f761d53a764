//! The qr Lambda: its routes over the DynamoDB store (API keys and secrets).
use shared::api::{lambda, qr};
use shared::store::aws::AwsStore;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda::serve(AwsStore::from_env().await, qr::routes).await
}
