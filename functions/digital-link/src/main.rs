//! The digital-link Lambda: its routes over the DynamoDB store (API keys and secrets).
use shared::api::{digital_link, lambda};
use shared::store::aws::AwsStore;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda::serve(AwsStore::from_env().await, digital_link::routes).await
}
