//! The AWS adapters under throttling and 5xx: the SDK's standard retry mode retries them
//! with exponential backoff (jittered, 3 attempts), and what still fails is a retryable
//! [`StoreError::Unavailable`] (a 503 problem, or a redelivered queue message), never a
//! hang or a non-retryable error.
//!
//! Between the adapters and moto sits a proxy of ours on loopback that answers the first
//! N requests with the fault AWS would send (DynamoDB `ThrottlingException`, S3
//! `SlowDown`, a 500 or a 503) and forwards the rest to moto; it counts the attempts.
//! Needs a moto server: `bash tests/with-moto.sh cargo test -p shared --all-features
//! --test aws_faults`.
#![cfg(feature = "aws")]

use shared::store::aws::{AwsStore, S3Objects, SqsQueue, TableNames};
use shared::store::{
    BulkTask, GetObject, GetTask, PutObject, PutTask, SendMessage, StoreError, TaskStatus,
};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A name no other test uses.
fn unique(prefix: &str) -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}-{}-{n}", std::process::id())
}

/// A pending task of 10 items with a fresh id.
fn pending_task() -> BulkTask {
    BulkTask::pending(
        unique("task"),
        "rl_0123abcd".to_owned(),
        10,
        1_700_000_000,
        "zip",
        "00".repeat(32),
    )
}
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy answers instead of forwarding.
#[derive(Clone, Copy, Debug)]
enum Fault {
    /// DynamoDB's throttling answer (HTTP 400, `ThrottlingException`).
    DynamoDbThrottling,
    /// S3's throttling answer (HTTP 503, `SlowDown`).
    S3SlowDown,
    /// A bare HTTP 500 `InternalFailure`.
    Status500,
    /// A bare HTTP 503 `ServiceUnavailable`.
    Status503,
}

impl Fault {
    fn response(self) -> String {
        let (status, content_type, body) = match self {
            Fault::DynamoDbThrottling => (
                "400 Bad Request",
                "application/x-amz-json-1.0",
                r#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate of requests exceeds the allowed throughput."}"#,
            ),
            Fault::S3SlowDown => (
                "503 Slow Down",
                "application/xml",
                "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>",
            ),
            Fault::Status500 => (
                "500 Internal Server Error",
                "application/x-amz-json-1.0",
                r#"{"__type":"InternalFailure","message":"injected"}"#,
            ),
            Fault::Status503 => (
                "503 Service Unavailable",
                "application/x-amz-json-1.0",
                r#"{"__type":"ServiceUnavailable","message":"injected"}"#,
            ),
        };
        format!(
            "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\nx-amzn-requestid: fault\r\n\
             content-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
    }
}

/// A loopback proxy in front of moto that fails the first `failures` requests.
struct FaultProxy {
    url: String,
    attempts: Arc<AtomicUsize>,
}

impl FaultProxy {
    async fn start(fault: Fault, failures: usize) -> FaultProxy {
        let upstream = std::env::var("AWS_ENDPOINT_URL")
            .expect("AWS_ENDPOINT_URL: run under tests/with-moto.sh (make test does)");
        let upstream = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let attempts = Arc::new(AtomicUsize::new(0));
        let seen = Arc::clone(&attempts);
        tokio::spawn(async move {
            loop {
                let (conn, _) = listener.accept().await.unwrap();
                let n = seen.fetch_add(1, Ordering::SeqCst);
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    let _ = serve_one(conn, &upstream, (n < failures).then_some(fault)).await;
                });
            }
        });
        FaultProxy { url, attempts }
    }

    fn attempts(&self) -> usize {
        self.attempts.load(Ordering::SeqCst)
    }

    /// An SDK configuration that reaches moto through this proxy.
    async fn config(&self) -> aws_config::SdkConfig {
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .endpoint_url(&self.url)
            .load()
            .await
    }
}

/// Reads one request from `conn` and answers it with `fault`, or with moto's answer;
/// every answer closes the connection, so each request is one connection (one attempt).
async fn serve_one(
    mut conn: TcpStream,
    upstream: &str,
    fault: Option<Fault>,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let head_end = loop {
        let mut chunk = [0u8; 8192];
        let n = conn.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let mut chunk = [0u8; 65536];
        let n = conn.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    if let Some(fault) = fault {
        conn.write_all(fault.response().as_bytes()).await?;
        return conn.shutdown().await;
    }
    // Forward with `connection: close`, so moto's answer ends at EOF.
    let mut forwarded: Vec<u8> = head
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .take_while(|l| !l.is_empty())
        .flat_map(|l| format!("{l}\r\n").into_bytes())
        .collect();
    forwarded.extend_from_slice(b"connection: close\r\n\r\n");
    forwarded.extend_from_slice(&buf[head_end..]);
    let mut up = TcpStream::connect(upstream).await?;
    up.write_all(&forwarded).await?;
    let mut answer = Vec::new();
    up.read_to_end(&mut answer).await?;
    conn.write_all(&answer).await?;
    conn.shutdown().await
}

/// Tables, a bucket and a queue in moto, made directly (not through a proxy).
async fn resources() -> (TableNames, String, String) {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let tables = TableNames {
        api_keys: unique("keys"),
        secrets: unique("secrets"),
        rate_limits: unique("rates"),
        tasks: unique("tasks"),
        sessions: unique("sessions"),
        captures: unique("captures"),
        products: unique("products"),
    };
    AwsStore::new(&config, tables.clone())
        .ensure_tables()
        .await
        .expect("ensure_tables");
    let bucket = unique("bkt");
    S3Objects::new(&config, bucket.clone())
        .ensure_bucket()
        .await
        .expect("ensure_bucket");
    let queue = SqsQueue::ensure_queue(&config, &unique("q"))
        .await
        .expect("ensure_queue")
        .queue;
    (tables, bucket, queue)
}

/// Which adapter call a case makes.
#[derive(Clone, Copy, Debug)]
enum Call {
    /// DynamoDB `PutItem` then `GetItem` of a bulk task (two requests when all goes well).
    PutThenGetTask,
    /// S3 `PutObject`.
    PutObject,
    /// SQS `SendMessage`.
    SendMessage,
}

/// Makes `call` through `config`; for a task, also reads it back directly.
async fn make(
    call: Call,
    config: &aws_config::SdkConfig,
    r: &(TableNames, String, String),
) -> Result<(), StoreError> {
    match call {
        Call::PutThenGetTask => {
            let store = AwsStore::new(config, r.0.clone());
            let task = pending_task();
            store.put_task(&task).await?;
            let got = store.get_task(&task.task_id).await?.expect("the task");
            assert_eq!(got.status, TaskStatus::Pending);
            Ok(())
        }
        Call::PutObject => {
            let objects = S3Objects::new(config, r.1.clone());
            objects
                .put_object("faults/a.txt", b"kept".to_vec(), "text/plain")
                .await?;
            let direct = S3Objects::new(
                &aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await,
                r.1.clone(),
            );
            assert_eq!(
                direct.get_object("faults/a.txt").await.unwrap().unwrap(),
                b"kept"
            );
            Ok(())
        }
        Call::SendMessage => SqsQueue::new(config, r.2.clone()).send_message("{}").await,
    }
}

#[tokio::test]
async fn throttling_and_5xx_are_retried_with_backoff_then_reported_retryable() {
    // (call, fault, injected failures, the SDK requests expected, whether it succeeds)
    let cases = [
        // two faults, then moto: the third attempt succeeds (then the GetItem)
        (Call::PutThenGetTask, Fault::DynamoDbThrottling, 2, 4, true),
        (Call::PutThenGetTask, Fault::Status500, 2, 4, true),
        (Call::PutObject, Fault::S3SlowDown, 2, 3, true),
        (Call::PutObject, Fault::Status503, 2, 3, true),
        (Call::SendMessage, Fault::Status500, 2, 3, true),
        (Call::SendMessage, Fault::Status503, 1, 2, true),
        // faults on every attempt: three attempts, then a retryable error
        (
            Call::PutThenGetTask,
            Fault::DynamoDbThrottling,
            usize::MAX,
            3,
            false,
        ),
        (Call::PutObject, Fault::S3SlowDown, usize::MAX, 3, false),
        (Call::SendMessage, Fault::Status503, usize::MAX, 3, false),
    ];
    let r = resources().await;
    for (call, fault, failures, requests, succeeds) in cases {
        let proxy = FaultProxy::start(fault, failures).await;
        let started = std::time::Instant::now();
        let result = make(call, &proxy.config().await, &r).await;
        let case = match failures {
            usize::MAX => format!("{call:?} with {fault:?} on every request"),
            n => format!("{call:?} with {n} x {fault:?}"),
        };
        match (&result, succeeds) {
            (Ok(()), true) => {}
            (Err(e), false) => assert!(e.is_retryable(), "{case}: {e:?}"),
            _ => panic!("{case}: {result:?}"),
        }
        assert_eq!(proxy.attempts(), requests, "{case}: requests the proxy saw");
        println!("{case}: {requests} requests in {:?}", started.elapsed());
    }
}
