//! The captures Lambda: scan sessions, captures and products over the DynamoDB
//! store (API keys, secrets, sessions, captures, products).
use shared::api::{captures, lambda, scanner};
use shared::store::aws::AwsStore;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda::serve(AwsStore::from_env().await, |app| {
        scanner::routes(app).merge(captures::routes(app))
    })
    .await
}
