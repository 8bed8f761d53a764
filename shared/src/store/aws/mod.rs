//! AWS adapter: DynamoDB tables with conditional writes, S3 objects and an SQS
//! queue.
//!
//! | type             | service  | what it stores                                      |
//! |------------------|----------|-----------------------------------------------------|
//! | [`AwsStore`]     | DynamoDB | API keys, secrets, bulk tasks, scan sessions, captures, products (the tables below) |
//! | [`S3Objects`]    | S3       | bulk job item lists and finished ZIPs (one bucket)   |
//! | [`SqsQueue`]     | SQS      | one message per bulk task, for the bundler           |
//! | [`AwsBulkStore`] | all      | the three together, for the bulk Lambdas             |
//!
//! | table (env var, default)                   | key             | attributes                                 |
//! |--------------------------------------------|-----------------|--------------------------------------------|
//! | `API_KEYS_TABLE`, `gs1codes-api-keys`      | `key_hash` (S)  | `prefix` S, `created_at` N, `revoked` BOOL, `tier` S, `suspended` BOOL |
//! | `SECRETS_TABLE`, `gs1codes-secrets`        | `name` (S)      | `value` B                                  |
//! | `RATE_LIMITS_TABLE`, `gs1codes-rate-limits` | `client` (S)   | see [Rate limits](#rate-limits)            |
//! | `TASKS_TABLE`, `gs1codes-tasks`            | `task_id` (S)   | see [Bulk tasks](#bulk-tasks)              |
//! | `SESSIONS_TABLE`, `gs1codes-sessions`      | `public_id` (S) | see [Scans](#scans)                        |
//! | `CAPTURES_TABLE`, `gs1codes-captures`      | `public_id` (S) | see [Scans](#scans); index [`CAPTURES_BY_SESSION`] |
//! | `PRODUCTS_TABLE`, `gs1codes-products`      | `gtin` (S)      | `public_id` S, `name` S, `brand` S         |
//!
//! | other env var      | default            | used by         |
//! |--------------------|--------------------|-----------------|
//! | `BUNDLE_BUCKET`    | `gs1codes-bundles` | [`S3Objects`]   |
//! | `BUNDLE_QUEUE_URL` | none (required)    | [`SqsQueue`]    |
//! | `AWS_ENDPOINT_URL` | none               | all; when set, S3 uses path-style URLs (moto, MinIO) |
//!
//! Inserts use `attribute_not_exists(<key>)`, so "first writer wins" holds
//! across Lambdas; reads by key are strongly consistent (index queries are
//! not: see [Scans](#scans)). The SDK's own retries
//! (standard mode) run first; what still fails is mapped to [`StoreError`]
//! with a fixed reason naming the service (`dynamodb throttled`,
//! `s3 bucket missing`, ...): throttling, timeouts, network failures and 5xx
//! answers are retryable, everything else is not. The SDK's text is only the
//! error's `source`, for logs.
//!
//! # Bulk tasks
//!
//! One item per task in the tasks table: `task_id` S, `owner` S, `status` S
//! (`pending`, `running`, `completed`, `failed`), `count` N, `done` N,
//! `created` N, `started` N (once started), `finished` N and `error` S (once
//! finished), `job_key` S, `bundle_key` S, `request_hash` S, and `ttl` N:
//! Unix seconds 30 days after `created`, then after `finished`, for DynamoDB
//! TTL (enable it on the `ttl` attribute; [`AwsStore::ensure_tables`] does).
//! TTL deletes within days of expiry, not at it, and an expired item stays
//! readable until then.
//!
//! Each [`TaskUpdate`](crate::store::TaskUpdate) is one `UpdateItem` whose
//! `ConditionExpression` names the statuses it applies from; a failed
//! condition is `Ok(false)`, never an error.
//!
//! # Rate limits
//!
//! One item per client in the rate-limit table, holding every window: for a
//! window of `S` seconds, `s<S>` N (the Unix second it began) and `c<S>` N
//! (requests counted in it), plus `ttl` N (the end of the longest window, for
//! DynamoDB TTL). A request is one `UpdateItem`: `SET c60 = c60 + 1, ...` on the
//! condition that each stored window is the current one and under its limit,
//! returning the new counts. When the condition fails, the item as it was comes
//! back with the failure (`ReturnValuesOnConditionCheckFailure`): a full window
//! means the request is refused without a write; a window that has rolled over is
//! rewritten with a second `UpdateItem` conditioned on the item being exactly as
//! read (optimistic concurrency; a lost race reads the winner's item and goes
//! round again). So a request costs one round trip, two when a window rolls over,
//! and concurrent callers in any number of Lambdas never admit more than a limit.
//!
//! # Scans
//!
//! The [`scan`](crate::store::scan) traits, as the SQLite adapter has them:
//!
//! - sessions: `public_id` S, `owner` S, `cookie_hash` S, `created` N, and
//!   `closed` N once closed. [`CloseSession`](crate::store::scan::CloseSession)
//!   is an `UpdateItem` on `attribute_exists(public_id) AND
//!   attribute_not_exists(closed)`; a failed condition is `Ok(false)`.
//! - captures: `public_id` S, `session_public_id` S, `owner` S, `status` S
//!   (`PENDING`, `MATCHED`, `NOT_FOUND`, `ERROR`), `capture_type` S,
//!   `raw_value` S, `gtin` S (may be empty), `gs1_dl_data` L of `[AI, value]`
//!   lists (L of two S, in scan order), `created` N, and when present
//!   `error_message` S, `product_public_id` S with `product_name` S,
//!   `uploaded_image_key` S, `processed_at` N. The global secondary index
//!   [`CAPTURES_BY_SESSION`] (hash `session_public_id`, range `public_id`,
//!   every attribute projected) lists a session's captures in id order, which
//!   is creation order: page N skips the first `(N - 1) * page_size` entries,
//!   reading keys only, so the cost grows with the page number (fine for
//!   sessions of up to a few thousand captures); the total is a `COUNT` query.
//!   Index reads are eventually consistent. [`FinishCapture`](crate::store::scan::FinishCapture)
//!   is an `UpdateItem` of the outcome's attributes on `status = PENDING`.
//! - products: put replaces (imports are repeatable); no condition.
//!
//! The SDK configuration comes from the usual chain, which honours
//! `AWS_ENDPOINT_URL` (that is how the tests point it at moto):
//!
//! ```no_run
//! # async fn demo() -> Result<(), shared::store::StoreError> {
//! use shared::store::{aws::AwsStore, GetApiKey};
//! let store = AwsStore::from_env().await;
//! let key = store.get_api_key("00ff...").await?;
//! # Ok(()) }
//! ```

use std::time::Duration;

use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, GlobalSecondaryIndex, KeySchemaElement,
    KeyType, Projection, ProjectionType, ScalarAttributeType, TableStatus, TimeToLiveSpecification,
    TimeToLiveStatus,
};
use aws_sdk_dynamodb::Client;

use super::{GetOrCreateSecret, StoreError};
use sdk_error::{sdk_error, DYNAMODB};

/// The API-key, rate-limit and secret operations of a composite AWS store (a struct with a
/// `tables: AwsStore` field), passed to its DynamoDB tables, and `PutObject` to its
/// `objects: S3Objects`: the part every Lambda's store shares.
macro_rules! delegate_keys_and_objects {
    ($store:ty) => {
        impl $crate::store::PutApiKey for $store {
            async fn put_api_key(
                &self,
                rec: &$crate::store::ApiKeyRecord,
            ) -> Result<(), $crate::store::StoreError> {
                $crate::store::PutApiKey::put_api_key(&self.tables, rec).await
            }
        }

        impl $crate::store::GetApiKey for $store {
            async fn get_api_key(
                &self,
                key_hash: &str,
            ) -> Result<Option<$crate::store::ApiKeyRecord>, $crate::store::StoreError> {
                $crate::store::GetApiKey::get_api_key(&self.tables, key_hash).await
            }
        }

        impl $crate::store::ListApiKeys for $store {
            async fn list_api_keys(
                &self,
            ) -> Result<Vec<$crate::store::ApiKeyRecord>, $crate::store::StoreError> {
                $crate::store::ListApiKeys::list_api_keys(&self.tables).await
            }
        }

        impl $crate::store::UpdateApiKey for $store {
            async fn update_api_key(
                &self,
                key_hash: &str,
                change: &$crate::store::KeyChange,
            ) -> Result<bool, $crate::store::StoreError> {
                $crate::store::UpdateApiKey::update_api_key(&self.tables, key_hash, change).await
            }
        }

        impl $crate::store::CountRequest for $store {
            async fn count_request(
                &self,
                client: &str,
                windows: &[$crate::store::Window],
                now: u64,
            ) -> Result<$crate::store::Admission, $crate::store::StoreError> {
                $crate::store::CountRequest::count_request(&self.tables, client, windows, now).await
            }
        }

        impl $crate::store::GetOrCreateSecret for $store {
            async fn get_or_create_secret(
                &self,
                name: &str,
                make: impl FnOnce() -> Vec<u8> + Send,
            ) -> Result<Vec<u8>, $crate::store::StoreError> {
                $crate::store::GetOrCreateSecret::get_or_create_secret(&self.tables, name, make)
                    .await
            }
        }

        impl $crate::store::PutObject for $store {
            async fn put_object(
                &self,
                key: &str,
                bytes: Vec<u8>,
                content_type: &str,
            ) -> Result<(), $crate::store::StoreError> {
                $crate::store::PutObject::put_object(&self.objects, key, bytes, content_type).await
            }
        }
    };
}

mod bulk_store;
mod keys;
mod rate;
mod s3;
mod scan;
mod scan_store;
mod sdk_error;
mod sqs;
mod tasks;

pub use bulk_store::AwsBulkStore;
pub use s3::{S3Objects, DEFAULT_BUNDLE_BUCKET};
pub use scan::CAPTURES_BY_SESSION;
pub use scan_store::AwsScanStore;
pub use sqs::{QueueUrls, SqsQueue, MAX_RECEIVE_COUNT};
pub use tasks::TASK_TTL_SECS;

/// Default name of the API-key table (override with `API_KEYS_TABLE`).
pub const DEFAULT_API_KEYS_TABLE: &str = "gs1codes-api-keys";
/// Default name of the rate-limit counter table (override with `RATE_LIMITS_TABLE`).
pub const DEFAULT_RATE_LIMITS_TABLE: &str = "gs1codes-rate-limits";
/// Default name of the secrets table (override with `SECRETS_TABLE`).
pub const DEFAULT_SECRETS_TABLE: &str = "gs1codes-secrets";
/// Default name of the bulk task table (override with `TASKS_TABLE`).
pub const DEFAULT_TASKS_TABLE: &str = "gs1codes-tasks";
/// Default name of the scan session table (override with `SESSIONS_TABLE`).
pub const DEFAULT_SESSIONS_TABLE: &str = "gs1codes-sessions";
/// Default name of the capture table (override with `CAPTURES_TABLE`).
pub const DEFAULT_CAPTURES_TABLE: &str = "gs1codes-captures";
/// Default name of the product table (override with `PRODUCTS_TABLE`).
pub const DEFAULT_PRODUCTS_TABLE: &str = "gs1codes-products";

/// A global secondary index with a string hash and range key, projecting
/// every attribute.
#[derive(Debug, Clone, Copy)]
struct SecondaryIndex {
    name: &'static str,
    hash: &'static str,
    range: &'static str,
}

/// The value of env var `name`, or `default` if it is unset or empty.
fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_owned())
}

/// The DynamoDB table names the adapter uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableNames {
    /// The DynamoDB table of API keys (`API_KEYS_TABLE`).
    pub api_keys: String,
    /// The DynamoDB table of server secrets (`SECRETS_TABLE`).
    pub secrets: String,
    /// The DynamoDB table of rate-limit counters (`RATE_LIMITS_TABLE`).
    pub rate_limits: String,
    /// The DynamoDB table of bulk tasks (`TASKS_TABLE`).
    pub tasks: String,
    /// The DynamoDB table of scan sessions (`SESSIONS_TABLE`).
    pub sessions: String,
    /// The DynamoDB table of captures, with its [`CAPTURES_BY_SESSION`] index
    /// (`CAPTURES_TABLE`).
    pub captures: String,
    /// The DynamoDB table of products (`PRODUCTS_TABLE`).
    pub products: String,
}

impl TableNames {
    /// From `API_KEYS_TABLE`, `SECRETS_TABLE`, `RATE_LIMITS_TABLE`, `TASKS_TABLE`, `SESSIONS_TABLE`,
    /// `CAPTURES_TABLE` and `PRODUCTS_TABLE`, each falling back to its default
    /// when unset or empty.
    pub fn from_env() -> Self {
        TableNames {
            api_keys: env_or("API_KEYS_TABLE", DEFAULT_API_KEYS_TABLE),
            secrets: env_or("SECRETS_TABLE", DEFAULT_SECRETS_TABLE),
            rate_limits: env_or("RATE_LIMITS_TABLE", DEFAULT_RATE_LIMITS_TABLE),
            tasks: env_or("TASKS_TABLE", DEFAULT_TASKS_TABLE),
            sessions: env_or("SESSIONS_TABLE", DEFAULT_SESSIONS_TABLE),
            captures: env_or("CAPTURES_TABLE", DEFAULT_CAPTURES_TABLE),
            products: env_or("PRODUCTS_TABLE", DEFAULT_PRODUCTS_TABLE),
        }
    }
}

impl Default for TableNames {
    fn default() -> Self {
        TableNames {
            api_keys: DEFAULT_API_KEYS_TABLE.to_owned(),
            secrets: DEFAULT_SECRETS_TABLE.to_owned(),
            rate_limits: DEFAULT_RATE_LIMITS_TABLE.to_owned(),
            tasks: DEFAULT_TASKS_TABLE.to_owned(),
            sessions: DEFAULT_SESSIONS_TABLE.to_owned(),
            captures: DEFAULT_CAPTURES_TABLE.to_owned(),
            products: DEFAULT_PRODUCTS_TABLE.to_owned(),
        }
    }
}

/// The DynamoDB adapter. Cloning is cheap (the SDK client is an `Arc`).
#[derive(Debug, Clone)]
pub struct AwsStore {
    client: Client,
    tables: TableNames,
}

impl AwsStore {
    /// An adapter over an already loaded SDK configuration.
    pub fn new(config: &aws_config::SdkConfig, tables: TableNames) -> Self {
        AwsStore {
            client: Client::new(config),
            tables,
        }
    }

    /// Loads the SDK configuration from the environment (region, credentials,
    /// `AWS_ENDPOINT_URL`, ...) and the table names from [`TableNames::from_env`].
    /// Call once, outside the Lambda handler.
    pub async fn from_env() -> Self {
        let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        AwsStore::new(&config, TableNames::from_env())
    }

    /// The table names in use.
    pub fn tables(&self) -> &TableNames {
        &self.tables
    }

    /// Creates the tables (on-demand billing) if they are missing, with the
    /// capture table's [`CAPTURES_BY_SESSION`] index, waits until they are
    /// active, and turns on TTL (attribute `ttl`) for the task table.
    /// Idempotent (an existing table is left as it is, index or not). For tests
    /// and local tooling only: deployed tables belong to the infrastructure
    /// template.
    pub async fn ensure_tables(&self) -> Result<(), StoreError> {
        let t = &self.tables;
        self.ensure_table(&t.api_keys, "key_hash", None).await?;
        self.ensure_table(&t.secrets, "name", None).await?;
        self.ensure_table(&t.rate_limits, "client", None).await?;
        self.ensure_ttl(&t.rate_limits, "ttl").await?;
        self.ensure_table(&t.tasks, "task_id", None).await?;
        self.ensure_ttl(&t.tasks, "ttl").await?;
        self.ensure_table(&t.sessions, "public_id", None).await?;
        let by_session = SecondaryIndex {
            name: CAPTURES_BY_SESSION,
            hash: "session_public_id",
            range: "public_id",
        };
        self.ensure_table(&t.captures, "public_id", Some(by_session))
            .await?;
        self.ensure_table(&t.products, "gtin", None).await
    }

    /// Enables TTL on `attribute` unless it is already on (DynamoDB refuses
    /// to enable it twice).
    async fn ensure_ttl(&self, table: &str, attribute: &str) -> Result<(), StoreError> {
        let described = self
            .client
            .describe_time_to_live()
            .table_name(table)
            .send()
            .await
            .map_err(|e| sdk_error(&DYNAMODB, e))?;
        let status = described
            .time_to_live_description()
            .and_then(|d| d.time_to_live_status());
        if matches!(
            status,
            Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling)
        ) {
            return Ok(());
        }
        let spec = TimeToLiveSpecification::builder()
            .attribute_name(attribute)
            .enabled(true)
            .build()
            .map_err(|e| StoreError::unavailable("bad table definition", false, e))?;
        self.client
            .update_time_to_live()
            .table_name(table)
            .time_to_live_specification(spec)
            .send()
            .await
            .map_err(|e| sdk_error(&DYNAMODB, e))?;
        Ok(())
    }

    /// Creates `table` with the string hash key `key` (and `index`, if any)
    /// unless it exists, then waits until it is active.
    async fn ensure_table(
        &self,
        table: &str,
        key: &str,
        index: Option<SecondaryIndex>,
    ) -> Result<(), StoreError> {
        let bad = |e| StoreError::unavailable("bad table definition", false, e);
        let key_element = |name: &str, key_type: KeyType| {
            KeySchemaElement::builder()
                .attribute_name(name)
                .key_type(key_type)
                .build()
                .map_err(bad)
        };
        let string_attribute = |name: &str| {
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(bad)
        };
        let mut request = self
            .client
            .create_table()
            .table_name(table)
            .key_schema(key_element(key, KeyType::Hash)?)
            .attribute_definitions(string_attribute(key)?)
            .billing_mode(BillingMode::PayPerRequest);
        if let Some(index) = index {
            // Every attribute of a key schema is declared once.
            for name in [index.hash, index.range] {
                if name != key {
                    request = request.attribute_definitions(string_attribute(name)?);
                }
            }
            let gsi = GlobalSecondaryIndex::builder()
                .index_name(index.name)
                .key_schema(key_element(index.hash, KeyType::Hash)?)
                .key_schema(key_element(index.range, KeyType::Range)?)
                .projection(
                    Projection::builder()
                        .projection_type(ProjectionType::All)
                        .build(),
                )
                .build()
                .map_err(bad)?;
            request = request.global_secondary_indexes(gsi);
        }
        let created = request.send().await;
        match created {
            Ok(_) => {}
            Err(e)
                if e.as_service_error()
                    .is_some_and(|se| se.is_resource_in_use_exception()) => {}
            Err(e) => return Err(sdk_error(&DYNAMODB, e)),
        }
        // About 30 s at most; moto and a fresh on-demand table are usually
        // active at once.
        for _ in 0..120 {
            let described = self
                .client
                .describe_table()
                .table_name(table)
                .send()
                .await
                .map_err(|e| sdk_error(&DYNAMODB, e))?;
            let status = described.table().and_then(|t| t.table_status());
            if status == Some(&TableStatus::Active) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        Err(StoreError::Unavailable {
            reason: "table did not become active",
            retryable: true,
            source: None,
        })
    }

    async fn get_secret(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.tables.secrets)
            .key("name", AttributeValue::S(name.to_owned()))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| sdk_error(&DYNAMODB, e))?;
        let Some(item) = out.item else {
            return Ok(None);
        };
        match item.get("value") {
            Some(AttributeValue::B(blob)) => Ok(Some(blob.clone().into_inner())),
            _ => Err(StoreError::corrupt("secret without a binary value")),
        }
    }
}

/// A failed condition is `Ok(false)`; any other failure the SDK's, mapped.
pub(super) fn conditional<T, E>(
    result: Result<
        T,
        aws_sdk_dynamodb::error::SdkError<E, aws_sdk_dynamodb::config::http::HttpResponse>,
    >,
    failed: impl Fn(&E) -> bool,
) -> Result<bool, StoreError>
where
    E: aws_sdk_dynamodb::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match result {
        Ok(_) => Ok(true),
        Err(e) if e.as_service_error().is_some_and(&failed) => Ok(false),
        Err(e) => Err(sdk_error(&DYNAMODB, e)),
    }
}

/// An insert's outcome: a failed `attribute_not_exists` condition is
/// [`StoreError::Conflict`] (the record exists), anything else the SDK's error, mapped.
pub(super) fn insert_result<T>(
    result: Result<
        T,
        aws_sdk_dynamodb::error::SdkError<
            aws_sdk_dynamodb::operation::put_item::PutItemError,
            aws_sdk_dynamodb::config::http::HttpResponse,
        >,
    >,
) -> Result<(), StoreError> {
    match result {
        Ok(_) => Ok(()),
        Err(e)
            if e.as_service_error()
                .is_some_and(|se| se.is_conditional_check_failed_exception()) =>
        {
            Err(StoreError::Conflict)
        }
        Err(e) => Err(sdk_error(&DYNAMODB, e)),
    }
}

impl GetOrCreateSecret for AwsStore {
    async fn get_or_create_secret(
        &self,
        name: &str,
        make: impl FnOnce() -> Vec<u8> + Send,
    ) -> Result<Vec<u8>, StoreError> {
        if let Some(value) = self.get_secret(name).await? {
            return Ok(value);
        }
        let candidate = make();
        let result = self
            .client
            .put_item()
            .table_name(&self.tables.secrets)
            .item("name", AttributeValue::S(name.to_owned()))
            .item("value", AttributeValue::B(candidate.clone().into()))
            .condition_expression("attribute_not_exists(#n)")
            .expression_attribute_names("#n", "name")
            .send()
            .await;
        match result {
            Ok(_) => Ok(candidate),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|se| se.is_conditional_check_failed_exception()) =>
            {
                // Someone else won: theirs is the secret. The read is strongly
                // consistent, so the winner's write is visible.
                self.get_secret(name)
                    .await?
                    .ok_or(StoreError::corrupt("secret vanished after a conflict"))
            }
            Err(e) => Err(sdk_error(&DYNAMODB, e)),
        }
    }
}
