//! The captures Lambda: scan sessions, captures and products over DynamoDB (API keys,
//! secrets, sessions, captures, products) and S3 (captured photos).
use shared::api::{captures, lambda, scanner};
use shared::store::aws::AwsScanStore;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda::serve(AwsScanStore::from_env().await, |app| {
        scanner::routes(app).merge(captures::routes(app))
    })
    .await
}
