//! The DynamoDB adapter against the shared store cases, on moto.
//!
//! Needs a moto server: `bash tests/with-moto.sh cargo test -p shared
//! --all-features --test store_aws`. Without `AWS_ENDPOINT_URL` every
//! test fails loudly rather than passing without having run, or reaching AWS.
#![cfg(feature = "aws")]

mod store_cases;

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, TimeToLiveStatus};
use aws_sdk_sqs::types::QueueAttributeName;
use shared::store::aws::{
    AwsBulkStore, AwsStore, S3Objects, SqsQueue, TableNames, CAPTURES_BY_SESSION,
    DEFAULT_API_KEYS_TABLE, DEFAULT_CAPTURES_TABLE, DEFAULT_PRODUCTS_TABLE,
    DEFAULT_RATE_LIMITS_TABLE, DEFAULT_SECRETS_TABLE, DEFAULT_SESSIONS_TABLE, DEFAULT_TASKS_TABLE,
    MAX_RECEIVE_COUNT, TASK_TTL_SECS,
};
use shared::store::{
    ApiKeyRecord, GetApiKey, GetObject, PresignGet, PutApiKey, PutObject, PutTask, SendMessage,
    StoreError, TaskStatus, TaskUpdate, UpdateTask,
};
use store_cases::{bulk, scan, unique};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The moto endpoint, or a panic telling how to provide one.
fn moto_endpoint() -> String {
    match std::env::var("AWS_ENDPOINT_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => panic!("AWS_ENDPOINT_URL is not set: run under tests/with-moto.sh (make test does)"),
    }
}

async fn sdk_config() -> aws_config::SdkConfig {
    moto_endpoint();
    aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await
}

/// Table names no other test uses.
fn fresh_table_names() -> TableNames {
    TableNames {
        api_keys: unique("keys"),
        secrets: unique("secrets"),
        rate_limits: unique("rates"),
        tasks: unique("tasks"),
        sessions: unique("sessions"),
        captures: unique("captures"),
        products: unique("products"),
    }
}

/// An adapter on tables of its own, created in moto.
async fn fresh_store() -> AwsStore {
    let tables = fresh_table_names();
    let store = AwsStore::new(&sdk_config().await, tables);
    store.ensure_tables().await.expect("ensure_tables");
    store
}

#[tokio::test]
async fn put_then_get() {
    store_cases::put_then_get(&fresh_store().await).await;
}

#[tokio::test]
async fn put_twice_conflicts() {
    store_cases::put_twice_conflicts(&fresh_store().await).await;
}

#[tokio::test]
async fn secret_created_once() {
    store_cases::secret_created_once(&fresh_store().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn secret_race_between_clients() {
    // Each handle is its own SDK client, as separate Lambdas would have.
    let first = fresh_store().await;
    let config = sdk_config().await;
    let mut handles = vec![first.clone()];
    for _ in 0..3 {
        handles.push(AwsStore::new(&config, first.tables().clone()));
    }
    store_cases::secret_race(handles).await;
}

#[tokio::test]
async fn rate_counts_roll_over_at_fixed_times() {
    store_cases::rate::counts_roll_over_at_fixed_times(&fresh_store().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rate_limit_admits_exactly_the_limit_under_concurrency() {
    // Five SDK clients, as five Lambda instances would have.
    let first = fresh_store().await;
    let config = sdk_config().await;
    let mut handles = vec![first.clone()];
    for _ in 0..4 {
        handles.push(AwsStore::new(&config, first.tables().clone()));
    }
    let admitted = store_cases::rate::exactly_the_limit_under_concurrency(handles).await;
    println!("DynamoDB (moto): limit 20, 50 concurrent requests, {admitted} admitted");
}

#[tokio::test]
async fn keys_are_listed_and_changed() {
    store_cases::rate::keys_are_listed_and_changed(&fresh_store().await).await;
}

#[tokio::test]
async fn ensure_tables_is_idempotent() {
    let store = fresh_store().await;
    store.ensure_tables().await.expect("second ensure_tables");
}

#[tokio::test]
async fn sdk_config_honours_aws_endpoint_url() {
    let endpoint = moto_endpoint();
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    assert_eq!(config.endpoint_url(), Some(endpoint.as_str()));
}

#[tokio::test]
async fn from_env_reaches_the_endpoint_with_default_table_names() {
    // GIVEN no table-name variables (with-moto.sh sets none), from_env uses
    // the defaults; it reaches moto only if it honours AWS_ENDPOINT_URL,
    // since the test credentials would be refused anywhere else.
    moto_endpoint();
    let store = AwsStore::from_env().await;
    let expected = TableNames {
        api_keys: std::env::var("API_KEYS_TABLE").unwrap_or(DEFAULT_API_KEYS_TABLE.into()),
        secrets: std::env::var("SECRETS_TABLE").unwrap_or(DEFAULT_SECRETS_TABLE.into()),
        rate_limits: std::env::var("RATE_LIMITS_TABLE").unwrap_or(DEFAULT_RATE_LIMITS_TABLE.into()),
        tasks: std::env::var("TASKS_TABLE").unwrap_or(DEFAULT_TASKS_TABLE.into()),
        sessions: std::env::var("SESSIONS_TABLE").unwrap_or(DEFAULT_SESSIONS_TABLE.into()),
        captures: std::env::var("CAPTURES_TABLE").unwrap_or(DEFAULT_CAPTURES_TABLE.into()),
        products: std::env::var("PRODUCTS_TABLE").unwrap_or(DEFAULT_PRODUCTS_TABLE.into()),
    };
    assert_eq!(store.tables(), &expected);
    store.ensure_tables().await.expect("ensure_tables");
    let rec = ApiKeyRecord {
        key_hash: unique("from-env"),
        prefix: "csb_Env0".to_owned(),
        created_at: 1,
        revoked: false,
        tier: "default".to_owned(),
        suspended: false,
    };
    store.put_api_key(&rec).await.expect("put");
    assert_eq!(
        store.get_api_key(&rec.key_hash).await.expect("get"),
        Some(rec)
    );
}

#[tokio::test]
async fn a_missing_table_is_unavailable_not_retryable() {
    let tables = TableNames {
        api_keys: unique("never-created"),
        secrets: unique("never-created"),
        rate_limits: unique("never-created"),
        tasks: unique("never-created"),
        sessions: unique("never-created"),
        captures: unique("never-created"),
        products: unique("never-created"),
    };
    let store = AwsStore::new(&sdk_config().await, tables);
    let err = store.get_api_key("00").await.expect_err("no table");
    assert!(!err.is_retryable(), "{err:?}");
    // Display is a short reason, not the SDK's debug text.
    assert_eq!(err.to_string(), "store unavailable: dynamodb table missing");
}

// ---- bulk jobs: tasks (DynamoDB), objects (S3), the queue (SQS) ----

/// A bucket of its own, created in moto.
async fn fresh_objects(config: &aws_config::SdkConfig) -> S3Objects {
    let objects = S3Objects::new(config, unique("bkt"));
    objects.ensure_bucket().await.expect("ensure_bucket");
    objects
}

/// All three adapters on resources of their own, created in moto.
async fn fresh_bulk_store() -> AwsBulkStore {
    let config = sdk_config().await;
    let urls = SqsQueue::ensure_queue(&config, &unique("q"))
        .await
        .expect("ensure_queue");
    AwsBulkStore {
        tables: fresh_store().await,
        objects: fresh_objects(&config).await,
        queue: SqsQueue::new(&config, urls.queue),
    }
}

/// Separate clients on the tables of `first`, as separate Lambdas would have.
async fn more_handles(first: AwsBulkStore, n: usize) -> Vec<AwsBulkStore> {
    let config = sdk_config().await;
    let mut handles = vec![first.clone()];
    for _ in 1..n {
        handles.push(AwsBulkStore {
            tables: AwsStore::new(&config, first.tables.tables().clone()),
            ..first.clone()
        });
    }
    handles
}

#[tokio::test]
async fn task_put_then_get() {
    bulk::task_put_then_get(&fresh_bulk_store().await).await;
}

#[tokio::test]
async fn task_put_twice_conflicts() {
    bulk::task_put_twice_conflicts(&fresh_bulk_store().await).await;
}

#[tokio::test]
async fn task_transitions() {
    bulk::task_transitions(&fresh_bulk_store().await).await;
}

#[tokio::test]
async fn task_restart_keeps_started() {
    bulk::task_restart_keeps_started(&fresh_bulk_store().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn task_start_race_between_clients() {
    bulk::task_start_race(more_handles(fresh_bulk_store().await, 4).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn task_complete_fail_race_between_clients() {
    bulk::task_complete_fail_race(more_handles(fresh_bulk_store().await, 4).await).await;
}

#[tokio::test]
async fn object_put_then_get() {
    bulk::object_put_then_get(&fresh_bulk_store().await).await;
}

#[tokio::test]
async fn multipart_joins_parts() {
    bulk::multipart_joins_parts(&fresh_bulk_store().await).await;
}

#[tokio::test]
async fn multipart_abort_leaves_nothing() {
    bulk::multipart_abort_leaves_nothing(&fresh_bulk_store().await).await;
}

/// The raw `ttl` attribute of a task item.
async fn ttl_of(config: &aws_config::SdkConfig, table: &str, task_id: &str) -> Option<u64> {
    let item: HashMap<String, AttributeValue> = aws_sdk_dynamodb::Client::new(config)
        .get_item()
        .table_name(table)
        .key("task_id", AttributeValue::S(task_id.to_owned()))
        .consistent_read(true)
        .send()
        .await
        .expect("get_item")
        .item
        .expect("item");
    match item.get("ttl") {
        Some(AttributeValue::N(n)) => Some(n.parse().expect("ttl is a u64")),
        _ => None,
    }
}

#[tokio::test]
async fn task_ttl_is_30_days_after_created_then_finished() {
    // GIVEN a fresh task table (ensure_tables turns TTL on)
    let config = sdk_config().await;
    let store = fresh_store().await;
    let table = store.tables().tasks.clone();
    let ttl = aws_sdk_dynamodb::Client::new(&config)
        .describe_time_to_live()
        .table_name(&table)
        .send()
        .await
        .expect("describe_time_to_live");
    let description = ttl.time_to_live_description().expect("ttl description");
    assert_eq!(description.attribute_name(), Some("ttl"));
    assert_eq!(
        description.time_to_live_status(),
        Some(&TimeToLiveStatus::Enabled)
    );

    // WHEN a task is put, THEN it expires 30 days after it was created
    let task = bulk::pending_task();
    store.put_task(&task).await.expect("put");
    assert_eq!(TASK_TTL_SECS, 2_592_000);
    assert_eq!(
        ttl_of(&config, &table, &task.task_id).await,
        Some(task.created + TASK_TTL_SECS)
    );

    // WHEN it completes, THEN 30 days after it finished
    let finished = task.created + 3_600;
    for update in [
        TaskUpdate::Start { now: task.created },
        TaskUpdate::Complete { now: finished },
    ] {
        assert!(store
            .update_task(&task.task_id, &update)
            .await
            .expect("update"));
    }
    assert_eq!(
        ttl_of(&config, &table, &task.task_id).await,
        Some(finished + TASK_TTL_SECS)
    );
}

#[tokio::test]
async fn a_second_ensure_tables_keeps_ttl() {
    let store = fresh_store().await;
    store.ensure_tables().await.expect("second ensure_tables");
}

/// The status line and body of a plain HTTP/1.1 GET of `url`
/// (`http://host:port/path?query`), as a browser following a download link
/// would send it: no AWS headers, no signing.
async fn http_get(url: &str) -> (String, Vec<u8>) {
    let rest = url.strip_prefix("http://").expect("an http:// URL (moto)");
    let (authority, path) = rest.split_at(rest.find('/').expect("a path"));
    let mut stream = tokio::net::TcpStream::connect(authority)
        .await
        .expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("read");
    let end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&response[..end]).to_string();
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "chunked answer; this reader expects a plain body: {head}"
    );
    let status = head.lines().next().unwrap_or_default().to_owned();
    (status, response[end + 4..].to_vec())
}

#[tokio::test]
async fn presigned_get_has_the_sigv4_shape_and_downloads() {
    // GIVEN an object
    let config = sdk_config().await;
    let objects = fresh_objects(&config).await;
    let key = format!("bundles/{}.zip", unique("task"));
    let bytes = bulk::part_bytes(70_000, 3);
    objects
        .put_object(&key, bytes.clone(), "application/zip")
        .await
        .expect("put");

    // WHEN it is presigned at a fixed time for 15 minutes
    let url = objects
        .presign_get(&key, 900, bulk::CREATED)
        .await
        .expect("presign");

    // THEN the URL is path-style on the endpoint, signed as of that time
    let prefix = format!("{}/{}/{}?", moto_endpoint(), objects.bucket(), key);
    assert!(url.starts_with(&prefix), "{url}");
    let query: HashMap<&str, &str> = url[prefix.len()..]
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .collect();
    // Rows: (query parameter, expected value; "" = present, any value)
    let rows = [
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
        ("X-Amz-Expires", "900"),
        ("X-Amz-Date", "20260101T000000Z"),
        ("X-Amz-SignedHeaders", "host"),
        ("X-Amz-Credential", ""),
        ("X-Amz-Signature", ""),
    ];
    for (i, (name, value)) in rows.into_iter().enumerate() {
        let got = query
            .get(name)
            .unwrap_or_else(|| panic!("row {i}: no {name} in {url}"));
        assert!(value.is_empty() || *got == value, "row {i}: {name}={got}");
        assert!(!got.is_empty(), "row {i}: empty {name}");
    }
    assert_eq!(query["X-Amz-Signature"].len(), 64, "hex SHA-256 HMAC");

    // AND a plain GET of it returns the bytes (moto checks neither the
    // signature nor the expiry: that the URL works is all this shows)
    let (status, body) = http_get(&url).await;
    assert!(status.contains(" 200 "), "{status}");
    assert!(
        body == bytes,
        "downloaded bytes differ ({} bytes)",
        body.len()
    );
}

#[tokio::test]
async fn presign_beyond_seven_days_is_invalid() {
    let objects = fresh_objects(&sdk_config().await).await;
    // Rows: (expires_in seconds, accepted?)
    let rows = [(604_800, true), (604_801, false)];
    for (i, (expires_in, accepted)) in rows.into_iter().enumerate() {
        let result = objects.presign_get("k", expires_in, bulk::CREATED).await;
        match (result, accepted) {
            (Ok(_), true) => {}
            (Err(StoreError::Invalid { .. }), false) => {}
            (other, _) => panic!("row {i}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_missing_bucket_is_unavailable_not_retryable() {
    let objects = S3Objects::new(&sdk_config().await, unique("never-created"));
    let err = objects.get_object("k").await.expect_err("no bucket");
    assert!(!err.is_retryable(), "{err:?}");
    assert_eq!(err.to_string(), "store unavailable: s3 bucket missing");
}

#[tokio::test]
async fn ensure_bucket_is_idempotent() {
    let objects = fresh_objects(&sdk_config().await).await;
    objects.ensure_bucket().await.expect("second ensure_bucket");
}

#[tokio::test]
async fn a_sent_message_is_received_then_dead_lettered_after_three_receives() {
    // GIVEN a queue with its dead-letter queue, and a message on it
    let config = sdk_config().await;
    let urls = SqsQueue::ensure_queue(&config, &unique("q"))
        .await
        .expect("ensure_queue");
    let queue = SqsQueue::new(&config, urls.queue.clone());
    let body = r#"{"task_id":"3f1c2d4e-0000-4000-8000-000000000001"}"#;
    queue.send_message(body).await.expect("send");

    // WHEN it is received MAX_RECEIVE_COUNT times and never deleted
    let sqs = aws_sdk_sqs::Client::new(&config);
    let receive = |url: String| {
        let sqs = sqs.clone();
        async move {
            sqs.receive_message()
                .queue_url(url)
                .visibility_timeout(0)
                .wait_time_seconds(0)
                .send()
                .await
                .expect("receive")
                .messages
                .unwrap_or_default()
                .into_iter()
                .filter_map(|m| m.body)
                .collect::<Vec<_>>()
        }
    };
    for i in 0..MAX_RECEIVE_COUNT {
        assert_eq!(receive(urls.queue.clone()).await, vec![body], "receive {i}");
    }

    // THEN the next receive finds it gone to the dead-letter queue
    assert!(receive(urls.queue.clone()).await.is_empty());
    assert_eq!(receive(urls.dead_letter.clone()).await, vec![body]);
}

#[tokio::test]
async fn ensure_queue_sets_the_redrive_policy_and_is_idempotent() {
    let config = sdk_config().await;
    let name = unique("q");
    let urls = SqsQueue::ensure_queue(&config, &name)
        .await
        .expect("ensure_queue");
    assert_eq!(
        SqsQueue::ensure_queue(&config, &name).await.expect("again"),
        urls
    );
    let sqs = aws_sdk_sqs::Client::new(&config);
    let attribute = |url: String, name: QueueAttributeName| {
        let sqs = sqs.clone();
        async move {
            sqs.get_queue_attributes()
                .queue_url(url)
                .attribute_names(name.clone())
                .send()
                .await
                .expect("get_queue_attributes")
                .attributes
                .and_then(|mut a| a.remove(&name))
                .expect("attribute")
        }
    };
    let policy: serde_json::Value = serde_json::from_str(
        &attribute(urls.queue.clone(), QueueAttributeName::RedrivePolicy).await,
    )
    .expect("policy JSON");
    let dead_letter_arn = attribute(urls.dead_letter.clone(), QueueAttributeName::QueueArn).await;
    assert_eq!(policy["deadLetterTargetArn"], dead_letter_arn.as_str());
    // SQS gives the count back as a string or a number, depending on the API.
    let count = &policy["maxReceiveCount"];
    assert!(
        count == &serde_json::json!(MAX_RECEIVE_COUNT)
            || count == &serde_json::json!(MAX_RECEIVE_COUNT.to_string()),
        "{policy}"
    );
}

#[tokio::test]
async fn a_missing_queue_is_unavailable_not_retryable() {
    let config = sdk_config().await;
    let queue = SqsQueue::new(
        &config,
        format!(
            "{}/123456789012/{}",
            moto_endpoint(),
            unique("never-created")
        ),
    );
    let err = queue.send_message("{}").await.expect_err("no queue");
    assert!(!err.is_retryable(), "{err:?}");
    assert_eq!(err.to_string(), "store unavailable: sqs queue missing");
}

#[tokio::test]
async fn bulk_store_delegates_api_keys_and_messages() {
    let store = fresh_bulk_store().await;
    store_cases::put_then_get(&store).await;
    store_cases::secret_created_once(&store).await;
    store.send_message("{}").await.expect("send");
    let task = bulk::task_in(&store, TaskStatus::Completed).await;
    assert_eq!(task.done, task.count);
}

#[tokio::test]
async fn bulk_store_from_env_needs_the_queue_url() {
    // with-moto.sh sets no BUNDLE_QUEUE_URL: there is no default queue.
    moto_endpoint();
    match std::env::var("BUNDLE_QUEUE_URL") {
        Ok(url) if !url.is_empty() => {
            let store = AwsBulkStore::from_env().await.expect("from_env");
            assert_eq!(store.queue.queue_url(), url);
        }
        _ => {
            let err = AwsBulkStore::from_env().await.expect_err("no queue URL");
            assert_eq!(
                err.to_string(),
                "store unavailable: BUNDLE_QUEUE_URL is not set"
            );
        }
    }
}

/// The whole bulk pipeline on the AWS adapters, on moto: submit over the HTTP routes
/// (job to S3, task to DynamoDB, message to SQS), receive the SQS message and run the
/// bundler on it (multipart upload to S3), then the status answers `completed` with a
/// presigned URL whose ZIP holds every QR Code and the manifest.
#[tokio::test]
async fn bulk_job_end_to_end_on_s3_dynamodb_and_sqs() {
    use shared::api::{qr_bulk, service, App};
    use shared::store::PutApiKey;
    use tower::ServiceExt;

    let store = fresh_bulk_store().await;
    let app = std::sync::Arc::new(App::new(store.clone()).await.expect("secrets in DynamoDB"));
    let (key, record) = app.keys.mint(0).unwrap();
    app.store.put_api_key(&record).await.unwrap();
    let router = || service(qr_bulk::routes(&app), &app);
    let call = |method: &str, path: &str, body: String| {
        http::Request::builder()
            .method(method)
            .uri(path)
            .header("x-api-key", &key)
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let read = |resp: axum::response::Response| async move {
        let (parts, body) = resp.into_parts();
        let bytes = http_body_util::BodyExt::collect(body)
            .await
            .unwrap()
            .to_bytes();
        (
            parts.status,
            serde_json::from_slice::<serde_json::Value>(&bytes).unwrap(),
        )
    };

    // GIVEN a submitted job of 40 items
    let items: Vec<String> = (1..=40)
        .map(|i| format!(r#"{{"serial": "S{i}"}}"#))
        .collect();
    let body = format!(
        r#"{{"gtin": "09501101020917", "size": 200, "items": [{}]}}"#,
        items.join(",")
    );
    let (status, v) = read(
        router()
            .oneshot(call("POST", "/products/api/v1/qr/bulk/", body))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 202, "{v}");
    let poll = v["poll_url"].as_str().unwrap().to_string();

    // WHEN the bundler works the message SQS delivers
    let config = sdk_config().await;
    let sqs = aws_sdk_sqs::Client::new(&config);
    let received = sqs
        .receive_message()
        .queue_url(store.queue.queue_url())
        .max_number_of_messages(1)
        .send()
        .await
        .unwrap();
    let message = received
        .messages()
        .first()
        .expect("one message queued")
        .clone();
    let outcome = shared::bulk::handle_message(
        &store,
        &shared::api::clock::SystemClock,
        message.body().unwrap(),
        1,
    )
    .await
    .unwrap();
    assert_eq!(outcome, shared::bulk::Outcome::Completed);

    // THEN the status is completed and its presigned URL serves the ZIP
    let (status, v) = read(
        router()
            .oneshot(call("GET", &poll, String::new()))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(v["status"], "completed", "{v}");
    assert_eq!(v["done"], 40);
    let (head, zip_bytes) = http_get(v["download_url"].as_str().unwrap()).await;
    assert!(head.contains("200"), "{head}");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    assert_eq!(zip.len(), 41);
    let mut manifest = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("manifest.csv").unwrap(), &mut manifest)
        .unwrap();
    assert_eq!(manifest.lines().count(), 41);
    assert!(manifest.contains("0040_09501101020917_S40.png,09501101020917,,S40,,https://id.gs1.org/01/09501101020917/21/S40"));
}

// ---- scans: sessions, captures (with the by_session index) and products ----

#[tokio::test]
async fn session_put_get_close() {
    scan::session_put_get_close(&fresh_store().await).await;
}

#[tokio::test]
async fn capture_put_get_keeps_every_field() {
    scan::capture_put_get_keeps_every_field(&fresh_store().await).await;
}

#[tokio::test]
async fn captures_list_in_pages() {
    scan::captures_list_in_pages(&fresh_store().await).await;
}

#[tokio::test]
async fn a_pending_capture_is_finished_once() {
    scan::a_pending_capture_is_finished_once(&fresh_store().await).await;
}

#[tokio::test]
async fn products_put_replace_get() {
    scan::products_put_replace_get(&fresh_store().await).await;
}

#[tokio::test]
async fn a_missing_session_is_not_created_by_close() {
    // GIVEN no session, WHEN it is closed, THEN nothing is written (an
    // UpdateItem of a missing key would create the item without its condition).
    let store = fresh_store().await;
    use shared::store::scan::{CloseSession, GetSession};
    assert!(!store.close_session("nope", 1).await.unwrap());
    assert_eq!(store.get_session("nope").await.unwrap(), None);
}

#[tokio::test]
async fn finishing_a_missing_capture_creates_nothing() {
    use shared::store::scan::{FinishCapture, GetCapture};
    let store = fresh_store().await;
    let c = scan::capture("s", 1);
    assert!(!store.finish_capture(&c).await.unwrap());
    assert_eq!(store.get_capture(&c.public_id).await.unwrap(), None);
}

#[tokio::test]
async fn finishing_removes_what_the_outcome_lacks() {
    // GIVEN a pending capture carrying an error message and a product (as a
    // client could never send, but a retried import might have left)
    use shared::store::scan::{CaptureStatus, FinishCapture, GetCapture, PutCapture};
    let store = fresh_store().await;
    let mut pending = scan::capture("s", 1);
    pending.status = CaptureStatus::Pending;
    pending.error_message = Some("old".into());
    pending.product = Some(("p".into(), "Tea".into()));
    pending.processed_at = None;
    store.put_capture(&pending).await.unwrap();
    // WHEN its outcome has neither, THEN the stored capture has neither
    let done = scan::capture("s", 1);
    let done = shared::store::scan::Capture {
        public_id: pending.public_id.clone(),
        ..done
    };
    assert!(store.finish_capture(&done).await.unwrap());
    assert_eq!(
        store.get_capture(&done.public_id).await.unwrap(),
        Some(done)
    );
}

#[tokio::test]
async fn a_long_session_lists_every_page_in_id_order() {
    // GIVEN 25 captures of one session put in shuffled order, and others' captures
    use shared::store::scan::{ListCaptures, PutCapture};
    let store = fresh_store().await;
    let sess = unique("long");
    let mut made: Vec<_> = (0..25u64).map(|i| scan::capture(&sess, i)).collect();
    for i in [
        7, 3, 24, 0, 11, 19, 5, 1, 13, 22, 9, 16, 2, 20, 6, 14, 23, 4, 18, 10, 8, 21, 12, 17, 15,
    ] {
        store.put_capture(&made[i]).await.unwrap();
    }
    for _ in 0..3 {
        store
            .put_capture(&scan::capture(&unique("other"), 0))
            .await
            .unwrap();
    }
    made.sort_by(|a, b| a.public_id.cmp(&b.public_id));
    // WHEN it is read in pages of 4, THEN the pages join into the whole, in order
    let mut seen = Vec::new();
    for page in 1..=8 {
        let p = store.list_captures(&sess, page, 4).await.unwrap();
        assert_eq!(p.total, 25, "page {page}");
        let expected = if page <= 7 {
            4.min(25 - (page as usize - 1) * 4)
        } else {
            0
        };
        assert_eq!(p.items.len(), expected, "page {page}");
        seen.extend(p.items);
    }
    assert_eq!(seen, made);
    // Rows: page 0 reads as page 1; a page size of 0 is empty but counted.
    let zero = store.list_captures(&sess, 0, 2).await.unwrap();
    assert_eq!(zero.items, made[0..2].to_vec());
    let none = store.list_captures(&sess, 1, 0).await.unwrap();
    assert_eq!((none.items.len(), none.total), (0, 25));
    let empty = store.list_captures("no-such-session", 1, 10).await.unwrap();
    assert_eq!((empty.items.len(), empty.total), (0, 0));
}

#[tokio::test]
async fn the_capture_table_has_the_by_session_index() {
    let config = sdk_config().await;
    let store = fresh_store().await;
    let described = aws_sdk_dynamodb::Client::new(&config)
        .describe_table()
        .table_name(&store.tables().captures)
        .send()
        .await
        .expect("describe_table");
    let table = described.table().expect("table");
    let index = table
        .global_secondary_indexes()
        .iter()
        .find(|i| i.index_name() == Some(CAPTURES_BY_SESSION))
        .expect("by_session index");
    let keys: Vec<_> = index
        .key_schema()
        .iter()
        .map(|k| (k.attribute_name(), k.key_type().as_str()))
        .collect();
    assert_eq!(
        keys,
        [("session_public_id", "HASH"), ("public_id", "RANGE")]
    );
}

/// What the captures Lambda serves, on the DynamoDB adapter, on moto: open a session
/// (sessions table), scan a known product and an unknown GTIN (products and captures
/// tables), read one back, list the session's captures in pages (the by_session
/// index), close the session, and a capture after that is refused.
#[tokio::test]
async fn scanner_and_captures_routes_end_to_end_on_dynamodb() {
    use shared::api::{captures, scanner, service, App};
    use shared::store::scan::{Product, PutProduct};
    use tower::ServiceExt;

    // The captures Lambda's store: DynamoDB, and S3 for photos.
    let store = shared::store::aws::AwsScanStore {
        tables: fresh_store().await,
        objects: fresh_objects(&sdk_config().await).await,
    };
    let app = std::sync::Arc::new(App::new(store.clone()).await.expect("secrets in DynamoDB"));
    let (key, record) = app.keys.mint(0).unwrap();
    app.store.put_api_key(&record).await.unwrap();
    store
        .put_product(&Product {
            public_id: "prod-tea".into(),
            gtin: "09501101020917".into(),
            name: "Tea".into(),
            brand: "Acme".into(),
        })
        .await
        .unwrap();
    // The captures Lambda's routes, as functions/captures/src/main.rs merges them.
    let router = || service(scanner::routes(&app).merge(captures::routes(&app)), &app);
    let call = |method: &str, path: &str, body: String| {
        http::Request::builder()
            .method(method)
            .uri(path)
            .header("x-api-key", &key)
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let send = |req: http::Request<axum::body::Body>| async move {
        let (parts, body) = router().oneshot(req).await.unwrap().into_parts();
        let bytes = http_body_util::BodyExt::collect(body)
            .await
            .unwrap()
            .to_bytes();
        (
            parts.status,
            serde_json::from_slice::<serde_json::Value>(&bytes).unwrap(),
        )
    };

    // GIVEN an open session
    let (status, v) = send(call("POST", "/scanner/api/v1/sessions", String::new())).await;
    assert_eq!(status, 201, "{v}");
    let session = v["public_id"].as_str().unwrap().to_string();

    // WHEN three scans arrive: a known product, an unknown GTIN, the product again
    let mut ids = Vec::new();
    for (i, (raw, expected)) in [
        ("]E09501101020917", "MATCHED"),
        ("4000000000006", "NOT_FOUND"),
        ("]C101095011010209171727063010LOT1", "MATCHED"),
    ]
    .into_iter()
    .enumerate()
    {
        let body = serde_json::json!({
            "session_public_id": session, "capture_type": "BARCODE", "raw_value": raw,
        });
        let (status, v) = send(call("POST", "/scanner/api/v1/captures", body.to_string())).await;
        assert_eq!(status, 201, "row {i}: {v}");
        assert_eq!(v["status"], expected, "row {i}: {v}");
        ids.push(v["public_id"].as_str().unwrap().to_string());
    }

    // THEN each reads back, and the session lists them in the order they were made
    let (status, v) = send(call(
        "GET",
        &format!("/scanner/api/v1/captures/{}", ids[2]),
        String::new(),
    ))
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["product_name"], "Tea", "{v}");
    assert_eq!(v["gs1_dl_data"]["17"], "270630", "{v}");
    let list = format!("/scanner/api/v1/sessions/{session}/captures");
    let (status, v) = send(call("GET", &format!("{list}?page_size=2"), String::new())).await;
    assert_eq!(status, 200, "{v}");
    let listed: Vec<_> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["public_id"].clone())
        .collect();
    assert_eq!(listed, [ids[0].as_str(), ids[1].as_str()]);
    assert_eq!(v["pagination"]["total_count"], 3, "{v}");
    assert_eq!(v["pagination"]["has_next"], true, "{v}");
    let (_, v) = send(call(
        "GET",
        &format!("{list}?page=2&page_size=2"),
        String::new(),
    ))
    .await;
    assert_eq!(v["data"][0]["public_id"], ids[2].as_str(), "{v}");
    assert_eq!(v["pagination"]["has_next"], false, "{v}");

    // AND once the session is closed, a capture is refused and a second close too
    let close = format!("/scanner/api/v1/sessions/{session}/close");
    let (status, v) = send(call("POST", &close, String::new())).await;
    assert_eq!(status, 200, "{v}");
    let (status, _) = send(call("POST", &close, String::new())).await;
    assert_eq!(status, 409);
    let body = serde_json::json!({
        "session_public_id": session, "capture_type": "BARCODE", "raw_value": "4000000000006",
    });
    let (status, v) = send(call("POST", "/scanner/api/v1/captures", body.to_string())).await;
    assert_eq!(status, 409, "{v}");
    let (status, v) = send(call(
        "GET",
        "/products/api/v1/products/9501101020917/",
        String::new(),
    ))
    .await;
    assert_eq!(status, 200, "{v}");
}

/// Five Lambda instances (five apps, each with its own SDK client) over one set
/// of tables on moto: 50 concurrent requests with a key limited to 20 a minute
/// admit exactly 20; the others are 429 problems, and every answer has the headers.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rate_limit_holds_across_lambda_instances_over_http() {
    use shared::api::{digital_link, service, App};
    use shared::store::PutApiKey;
    use std::sync::Arc;
    use tower::ServiceExt;

    let first = fresh_store().await;
    let config = sdk_config().await;
    // A fixed clock, so the race cannot straddle a minute's rollover.
    let clock = Arc::new(shared::api::clock::FixedClock::new(1_774_958_430));
    let mut apps = Vec::new();
    for _ in 0..5 {
        let store = AwsStore::new(&config, first.tables().clone());
        let mut app = App::new(store).await.expect("secrets in DynamoDB");
        app.clock = clock.clone();
        apps.push(Arc::new(app));
    }
    let (key, mut record) = apps[0].keys.mint(0).unwrap();
    record.tier = "20;w=60".to_owned();
    first.put_api_key(&record).await.unwrap();
    let barrier = Arc::new(tokio::sync::Barrier::new(50));
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let app = apps[i % apps.len()].clone();
            let (key, barrier) = (key.clone(), barrier.clone());
            tokio::spawn(async move {
                let router = service(digital_link::routes(&app), &app);
                let req = http::Request::post("/products/api/v1/digital-link/")
                    .header("x-api-key", key)
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from(
                        r#"{"uri": "https://id.gs1.org/01/09501101020917"}"#,
                    ))
                    .unwrap();
                barrier.wait().await;
                let resp = router.oneshot(req).await.unwrap();
                assert_eq!(resp.headers()["ratelimit-policy"], "20;w=60");
                resp.status().as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let admitted = statuses.iter().filter(|&&s| s == 200).count();
    println!(
        "DynamoDB (moto) over HTTP, 5 apps: limit 20, 50 concurrent requests, {admitted} admitted"
    );
    assert_eq!(
        (admitted, statuses.iter().filter(|&&s| s == 429).count()),
        (20, 30),
        "{statuses:?}"
    );
}
