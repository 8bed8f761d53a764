//! The bundler Lambda: each SQS message names one bulk task; a failed message is
//! reported as a batch item failure, so SQS redelivers it alone.
#![recursion_limit = "256"] // the bundler's future nests deep (SDK calls inside a render loop)
use shared::api::clock::SystemClock;
use shared::api::lambda::{receive_count, run_sqs};
use shared::bulk::handle_message;
use shared::store::aws::AwsBulkStore;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let store = AwsBulkStore::from_env().await?;
    run_sqs(|m| {
        let store = &store;
        async move {
            let body = m.body.as_deref().unwrap_or_default();
            handle_message(store, &SystemClock, body, receive_count(&m))
                .await
                .map(|_| ())
        }
    })
    .await
}
