//! The datamatrix Lambda: its routes over the DynamoDB store (API keys and secrets).
use shared::api::{datamatrix, lambda};
use shared::store::aws::AwsStore;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda::serve(AwsStore::from_env().await, datamatrix::routes).await
}
