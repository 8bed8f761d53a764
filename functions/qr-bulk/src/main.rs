//! The bulk QR submit and status Lambda: DynamoDB (keys, secrets, tasks), S3 (job
//! lists, presigned downloads) and SQS (the bundler's queue).
use shared::api::{lambda, qr_bulk};
use shared::store::aws::AwsBulkStore;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda::serve(AwsBulkStore::from_env().await?, qr_bulk::routes).await
}
