//! Entry points for the Lambdas: [`serve`] for the HTTP functions (API Gateway HTTP
//! API events through `lambda_http`, which runs an axum `Router` directly) and
//! [`run_sqs`] for the queue-triggered ones (SQS events, answering with partial batch
//! failures so one bad message does not redeliver the whole batch).
//!
//! A function's `main.rs` builds only the adapters its routes need, then calls one of
//! these:
//!
//! ```no_run
//! use shared::api::{barcode, lambda};
//! use shared::store::aws::AwsStore;
//!
//! #[tokio::main]
//! async fn main() -> Result<(), lambda_http::Error> {
//!     lambda::serve(AwsStore::from_env().await, barcode::routes).await
//! }
//! ```

use super::{service, App, Routes};
use crate::store::GetOrCreateSecret;
use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use lambda_http::Error;
use lambda_runtime::{service_fn, LambdaEvent};
use std::future::Future;
use std::sync::Arc;

/// Builds the app over `store` once (outside the handler: secrets are read once per
/// cold start), then serves `routes` plus what every deployment shares (see
/// [`service`]) for as long as the Lambda lives.
///
/// Errors: the store's when the secrets cannot be loaded (the cold start fails and
/// Lambda retries it), and the runtime's.
pub async fn serve<S>(store: S, routes: Routes<S>) -> Result<(), Error>
where
    S: GetOrCreateSecret + Send + Sync + 'static,
{
    tracing_init();
    let app = Arc::new(App::new(store).await?);
    lambda_http::run(service(routes(&app), &app)).await
}

/// Serves an SQS-triggered function: calls `handle` for each message of a batch, one
/// after the other, and reports the ids of those that failed as
/// `batchItemFailures`, so SQS redelivers only those (the event source mapping must
/// set `FunctionResponseTypes: [ReportBatchItemFailures]`, as `template.yaml` does).
///
/// `handle` must be idempotent: SQS delivers at least once.
pub async fn run_sqs<H, F, E>(handle: H) -> Result<(), Error>
where
    H: Fn(SqsMessage) -> F,
    F: Future<Output = Result<(), E>>,
    E: std::fmt::Display,
{
    tracing_init();
    let handle = &handle;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        Ok::<_, Error>(batch_response(event.payload, handle).await)
    }))
    .await
}

/// Runs `handle` on every message of `event`; the ids of those that failed (or had
/// no id) come back as `batchItemFailures`.
pub async fn batch_response<H, F, E>(event: SqsEvent, handle: H) -> SqsBatchResponse
where
    H: Fn(SqsMessage) -> F,
    F: Future<Output = Result<(), E>>,
    E: std::fmt::Display,
{
    let mut response = SqsBatchResponse::default();
    for message in event.records {
        let id = message.message_id.clone().unwrap_or_default();
        if let Err(e) = handle(message).await {
            tracing::error!(message_id = %id, error = %e, "message failed; SQS will redeliver it");
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = id;
            response.batch_item_failures.push(failure);
        }
    }
    response
}

/// SQS's `ApproximateReceiveCount` of a message: 1 on its first delivery.
pub fn receive_count(message: &SqsMessage) -> u32 {
    message
        .attributes
        .get("ApproximateReceiveCount")
        .and_then(|c| c.parse().ok())
        .unwrap_or(1)
}

/// Plain-text logs without timestamps: CloudWatch adds its own. `RUST_LOG` filters.
fn tracing_init() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .without_time()
        .with_ansi(false)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambda_http::{Body, IntoResponse};
    use tower::ServiceExt;

    /// Every API Gateway event in `events/`, with a real key added, is served by the
    /// routes of the function it is for, composed as that function's `main.rs` does,
    /// as API Gateway would deliver it: right status and content type, the body as text
    /// or binary the way API Gateway needs it, and what the body says.
    #[cfg(feature = "local")]
    #[tokio::test]
    async fn sample_events_are_served_end_to_end() {
        use crate::api::{barcode, captures, datamatrix, digital_link, qr, qr_bulk, scanner};
        use crate::store::scan::{Product, PutProduct};
        use crate::store::{local::LocalStore, PutApiKey};
        let dir = std::env::temp_dir().join(format!("gs1codes-events-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let app = Arc::new(App::new(LocalStore::open(&dir).unwrap()).await.unwrap());
        let (key, rec) = app.keys.mint(0).unwrap();
        app.store.put_api_key(&rec).await.unwrap();
        app.store
            .put_product(&Product {
                public_id: "prod_demo".into(),
                gtin: "09501101020917".into(),
                name: "Demo".into(),
                brand: "GS1".into(),
            })
            .await
            .unwrap();
        // The functions, as functions/<name>/src/main.rs compose their routes.
        let functions: [(&str, Routes<LocalStore>); 6] = [
            ("digital-link", digital_link::routes),
            ("barcode", barcode::routes),
            ("datamatrix", datamatrix::routes),
            ("qr", qr::routes),
            ("qr-bulk", qr_bulk::routes),
            ("captures", |app| {
                scanner::routes(app).merge(captures::routes(app))
            }),
        ];
        let rows = [
            // 0..: each file in events/, the function that serves it, its status,
            // content type, whether API Gateway gets it as text, and a piece of its body
            (
                include_str!("../../../events/digital-link-post.json"),
                "digital-link",
                200,
                "application/json",
                true,
                "\"canonical_uri\":\"https://id.gs1.org/01/09501101020917",
            ),
            (
                include_str!("../../../events/barcode-post.json"),
                "barcode",
                200,
                "image/svg+xml",
                true,
                "<svg",
            ),
            (
                include_str!("../../../events/barcode-post-invalid.json"),
                "barcode",
                422,
                "application/problem+json",
                true,
                "\"type\":\"csum\"",
            ),
            (
                include_str!("../../../events/barcode-get-png.json"),
                "barcode",
                200,
                "image/png",
                false,
                "",
            ),
            (
                include_str!("../../../events/barcode-signed-url-post.json"),
                "barcode",
                200,
                "application/json",
                true,
                "\"path\":\"/products/api/v1/barcode/09501101020917.png?",
            ),
            (
                include_str!("../../../events/datamatrix-post.json"),
                "datamatrix",
                200,
                "image/svg+xml",
                true,
                "<svg",
            ),
            (
                include_str!("../../../events/datamatrix-get-svg.json"),
                "datamatrix",
                200,
                "image/svg+xml",
                true,
                "<svg",
            ),
            (
                include_str!("../../../events/qr-post.json"),
                "qr",
                200,
                "image/png",
                false,
                "",
            ),
            (
                include_str!("../../../events/qr-get-svg.json"),
                "qr",
                200,
                "image/svg+xml",
                true,
                "<svg",
            ),
            (
                include_str!("../../../events/qr-bulk-post.json"),
                "qr-bulk",
                202,
                "application/json",
                true,
                "\"count\":2",
            ),
            (
                include_str!("../../../events/qr-bulk-status-get.json"),
                "qr-bulk",
                404,
                "application/problem+json",
                true,
                "\"error_code\":\"not_found\"",
            ),
            (
                include_str!("../../../events/captures-session-post.json"),
                "captures",
                201,
                "application/json",
                true,
                "\"status\":\"open\"",
            ),
            (
                include_str!("../../../events/captures-post-unknown-session.json"),
                "captures",
                404,
                "application/problem+json",
                true,
                "\"error_code\":\"not_found\"",
            ),
            (
                include_str!("../../../events/captures-product-get.json"),
                "captures",
                200,
                "application/json",
                true,
                "\"public_id\":\"prod_demo\"",
            ),
        ];
        for (i, (event, function, status, ct, text, needle)) in rows.into_iter().enumerate() {
            let request = || {
                let mut req =
                    lambda_http::request::from_str(event).expect("an API Gateway v2 event");
                req.headers_mut().insert("x-api-key", key.parse().unwrap());
                req
            };
            let at = functions.iter().position(|(n, _)| *n == function).unwrap();
            let router = service(functions[at].1(&app), &app);
            let resp = router.oneshot(request()).await.unwrap();
            let resp = resp.into_response().await;
            assert_eq!(resp.status(), status, "row {i}: {:?}", resp.body());
            assert_eq!(resp.headers()["content-type"], ct, "row {i}");
            assert_eq!(matches!(resp.body(), Body::Text(_)), text, "row {i}");
            if let Body::Text(body) = resp.body() {
                assert!(body.contains(needle), "row {i}: {body}");
            }
            // Another function's routes do not serve this event (unless it is a 404 anyway).
            let other = service(functions[(at + 1) % functions.len()].1(&app), &app);
            assert_eq!(
                other.oneshot(request()).await.unwrap().status(),
                404,
                "row {i}"
            );
        }
        let _ = std::fs::remove_dir_all(dir);
    }

    /// The bundler's event, its body pointing at a job the qr-bulk function accepted,
    /// is worked through the same path the Lambda takes ([`batch_response`] over
    /// [`crate::bulk::handle_message`]): no failed item, and the task completed.
    #[cfg(feature = "local")]
    #[tokio::test]
    async fn the_bundler_event_completes_a_submitted_job() {
        use crate::api::clock::SystemClock;
        use crate::api::qr_bulk;
        use crate::store::{local::LocalStore, GetTask, PutApiKey};
        let dir = std::env::temp_dir().join(format!("gs1codes-bundler-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let app = Arc::new(App::new(LocalStore::open(&dir).unwrap()).await.unwrap());
        let (key, rec) = app.keys.mint(0).unwrap();
        app.store.put_api_key(&rec).await.unwrap();
        // GIVEN a job accepted by the qr-bulk function
        let mut req =
            lambda_http::request::from_str(include_str!("../../../events/qr-bulk-post.json"))
                .unwrap();
        req.headers_mut().insert("x-api-key", key.parse().unwrap());
        let resp = service(qr_bulk::routes(&app), &app)
            .oneshot(req)
            .await
            .unwrap()
            .into_response()
            .await;
        let Body::Text(accepted) = resp.body() else {
            panic!("a JSON receipt")
        };
        let task_id = serde_json::from_str::<serde_json::Value>(accepted).unwrap()["task_id"]
            .as_str()
            .unwrap()
            .to_string();
        // WHEN the bundler gets the sample event with that task's id
        let mut event: SqsEvent =
            serde_json::from_str(include_str!("../../../events/qr-bundler-job.json")).unwrap();
        event.records[0].body = Some(serde_json::json!({ "task_id": task_id }).to_string());
        let store = &app.store;
        let resp = batch_response(event, |m: SqsMessage| async move {
            let body = m.body.as_deref().unwrap_or_default();
            crate::bulk::handle_message(store, &SystemClock, body, receive_count(&m))
                .await
                .map(|_| ())
        })
        .await;
        // THEN nothing is redelivered and the task is done, both items in it
        assert!(resp.batch_item_failures.is_empty());
        let task = app.store.get_task(&task_id).await.unwrap().unwrap();
        assert_eq!(task.status.as_str(), "completed");
        assert_eq!(task.done, 2);
        let _ = std::fs::remove_dir_all(dir);
    }

    /// Each file in `events/` is loaded by a test here, so none goes stale unseen.
    #[test]
    fn every_sample_event_is_used_by_a_test() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../events");
        let this = include_str!("lambda.rs");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let used = format!("events/{name}\")");
            assert!(this.contains(&used), "{name} is not used by a test");
        }
    }

    /// A batch where one message fails reports exactly that message, so SQS
    /// redelivers it alone.
    #[tokio::test]
    async fn failed_messages_come_back_as_batch_item_failures() {
        let event: SqsEvent = serde_json::from_str(include_str!("../../../events/sqs-batch.json"))
            .expect("an SQS event");
        let resp = batch_response(event, |m: SqsMessage| async move {
            match m.body.as_deref() {
                Some("poison") => Err("cannot read"),
                _ => Ok(()),
            }
        })
        .await;
        let failed: Vec<&str> = resp
            .batch_item_failures
            .iter()
            .map(|f| f.item_identifier.as_str())
            .collect();
        assert_eq!(failed, ["msg-2"]);
    }

    #[test]
    fn receive_count_comes_from_the_attributes() {
        let event: SqsEvent =
            serde_json::from_str(include_str!("../../../events/sqs-batch.json")).unwrap();
        let counts: Vec<u32> = event.records.iter().map(receive_count).collect();
        assert_eq!(counts, [1, 3]);
    }
}
