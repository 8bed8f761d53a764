//! AWS adapter: DynamoDB tables with conditional writes.
//!
//! | table (env var, default)                   | key             | attributes                                 |
//! |--------------------------------------------|-----------------|--------------------------------------------|
//! | `API_KEYS_TABLE`, `gs1codes-api-keys`      | `key_hash` (S)  | `prefix` S, `created_at` N, `revoked` BOOL |
//! | `SECRETS_TABLE`, `gs1codes-secrets`        | `name` (S)      | `value` B                                  |
//!
//! Inserts use `attribute_not_exists(<key>)`, so "first writer wins" holds
//! across Lambdas; reads are strongly consistent. The SDK's own retries
//! (standard mode) run first; what still fails is mapped to [`StoreError`].
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

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
    ScalarAttributeType, TableStatus,
};
use aws_sdk_dynamodb::Client;

use super::{ApiKeyRecord, GetApiKey, GetOrCreateSecret, PutApiKey, StoreError};

/// Default name of the API-key table (override with `API_KEYS_TABLE`).
pub const DEFAULT_API_KEYS_TABLE: &str = "gs1codes-api-keys";
/// Default name of the secrets table (override with `SECRETS_TABLE`).
pub const DEFAULT_SECRETS_TABLE: &str = "gs1codes-secrets";

/// The DynamoDB table names the adapter uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableNames {
    /// The DynamoDB table of API keys (`API_KEYS_TABLE`).
    pub api_keys: String,
    /// The DynamoDB table of server secrets (`SECRETS_TABLE`).
    pub secrets: String,
}

impl TableNames {
    /// From `API_KEYS_TABLE` and `SECRETS_TABLE`, each falling back to its default.
    pub fn from_env() -> Self {
        let var = |name: &str, default: &str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| default.to_owned())
        };
        TableNames {
            api_keys: var("API_KEYS_TABLE", DEFAULT_API_KEYS_TABLE),
            secrets: var("SECRETS_TABLE", DEFAULT_SECRETS_TABLE),
        }
    }
}

impl Default for TableNames {
    fn default() -> Self {
        TableNames {
            api_keys: DEFAULT_API_KEYS_TABLE.to_owned(),
            secrets: DEFAULT_SECRETS_TABLE.to_owned(),
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

    /// Creates the tables (on-demand billing) if they are missing and waits
    /// until they are active. For tests and local tooling only: deployed
    /// tables belong to the infrastructure template.
    pub async fn ensure_tables(&self) -> Result<(), StoreError> {
        self.ensure_table(&self.tables.api_keys, "key_hash").await?;
        self.ensure_table(&self.tables.secrets, "name").await
    }

    async fn ensure_table(&self, table: &str, key: &str) -> Result<(), StoreError> {
        let schema = KeySchemaElement::builder()
            .attribute_name(key)
            .key_type(KeyType::Hash)
            .build()
            .map_err(|e| StoreError::unavailable("bad table definition", false, e))?;
        let attribute = AttributeDefinition::builder()
            .attribute_name(key)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .map_err(|e| StoreError::unavailable("bad table definition", false, e))?;
        let created = self
            .client
            .create_table()
            .table_name(table)
            .key_schema(schema)
            .attribute_definitions(attribute)
            .billing_mode(BillingMode::PayPerRequest)
            .send()
            .await;
        match created {
            Ok(_) => {}
            Err(e)
                if e.as_service_error()
                    .is_some_and(|se| se.is_resource_in_use_exception()) => {}
            Err(e) => return Err(sdk_error(e)),
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
                .map_err(sdk_error)?;
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
            .map_err(sdk_error)?;
        let Some(item) = out.item else {
            return Ok(None);
        };
        match item.get("value") {
            Some(AttributeValue::B(blob)) => Ok(Some(blob.clone().into_inner())),
            _ => Err(StoreError::corrupt("secret without a binary value")),
        }
    }
}

/// Maps an SDK failure to a short reason; the SDK error stays as the source.
fn sdk_error<E, R>(e: SdkError<E, R>) -> StoreError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let (reason, retryable) = match &e {
        SdkError::TimeoutError(_) => ("dynamodb timed out", true),
        SdkError::DispatchFailure(_) => ("dynamodb unreachable", true),
        SdkError::ResponseError(_) => ("unreadable dynamodb response", true),
        SdkError::ConstructionFailure(_) => ("dynamodb request not built", false),
        SdkError::ServiceError(se) => match se.err().code() {
            Some(
                "ProvisionedThroughputExceededException"
                | "ThrottlingException"
                | "RequestLimitExceeded"
                | "LimitExceededException",
            ) => ("dynamodb throttled", true),
            Some("InternalServerError" | "ServiceUnavailable") => ("dynamodb internal error", true),
            Some("ResourceNotFoundException") => ("dynamodb table missing", false),
            Some(
                "AccessDeniedException"
                | "UnrecognizedClientException"
                | "InvalidSignatureException"
                | "ExpiredTokenException",
            ) => ("dynamodb refused credentials", false),
            _ => ("dynamodb rejected the request", false),
        },
        _ => ("dynamodb error", false),
    };
    StoreError::unavailable(reason, retryable, e)
}

impl PutApiKey for AwsStore {
    async fn put_api_key(&self, rec: &ApiKeyRecord) -> Result<(), StoreError> {
        let result = self
            .client
            .put_item()
            .table_name(&self.tables.api_keys)
            .item("key_hash", AttributeValue::S(rec.key_hash.clone()))
            .item("prefix", AttributeValue::S(rec.prefix.clone()))
            .item("created_at", AttributeValue::N(rec.created_at.to_string()))
            .item("revoked", AttributeValue::Bool(rec.revoked))
            .condition_expression("attribute_not_exists(key_hash)")
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|se| se.is_conditional_check_failed_exception()) =>
            {
                Err(StoreError::Conflict)
            }
            Err(e) => Err(sdk_error(e)),
        }
    }
}

impl GetApiKey for AwsStore {
    async fn get_api_key(&self, key_hash: &str) -> Result<Option<ApiKeyRecord>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.tables.api_keys)
            .key("key_hash", AttributeValue::S(key_hash.to_owned()))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        out.item.map(|item| api_key_from_item(&item)).transpose()
    }
}

fn api_key_from_item(item: &HashMap<String, AttributeValue>) -> Result<ApiKeyRecord, StoreError> {
    let string = |name: &str| match item.get(name) {
        Some(AttributeValue::S(s)) => Ok(s.clone()),
        _ => Err(StoreError::corrupt(
            "api key attribute missing or not a string",
        )),
    };
    let created_at = match item.get("created_at") {
        Some(AttributeValue::N(n)) => n
            .parse::<u64>()
            .map_err(|_| StoreError::corrupt("api key created_at is not a u64"))?,
        _ => return Err(StoreError::corrupt("api key created_at missing")),
    };
    let revoked = match item.get("revoked") {
        Some(AttributeValue::Bool(b)) => *b,
        None => false,
        _ => return Err(StoreError::corrupt("api key revoked is not a bool")),
    };
    Ok(ApiKeyRecord {
        key_hash: string("key_hash")?,
        prefix: string("prefix")?,
        created_at,
        revoked,
    })
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
            Err(e) => Err(sdk_error(e)),
        }
    }
}
