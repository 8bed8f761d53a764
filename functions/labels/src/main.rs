//! The label-job submit and status Lambda: DynamoDB (keys, secrets, tasks), S3 (job
//! lists, presigned downloads) and SQS (the bundler's queue). The jobs are rendered by
//! the `qr-bundler` Lambda, which works every bulk job of that queue.
use shared::api::{labels, lambda};
use shared::store::aws::AwsBulkStore;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda::serve(AwsBulkStore::from_env().await?, labels::routes).await
}
