//! The DynamoDB adapter against the shared store cases, on moto.
//!
//! Needs a moto server: `bash tests/with-moto.sh cargo test -p shared
//! --features local,aws --test store_aws`. Without `AWS_ENDPOINT_URL` every
//! test fails loudly rather than passing without having run, or reaching AWS.
#![cfg(feature = "aws")]

mod store_cases;

use shared::store::aws::{AwsStore, TableNames, DEFAULT_API_KEYS_TABLE, DEFAULT_SECRETS_TABLE};
use shared::store::{ApiKeyRecord, GetApiKey, PutApiKey};
use store_cases::unique;

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

/// An adapter on tables of its own, created in moto.
async fn fresh_store() -> AwsStore {
    let tables = TableNames {
        api_keys: unique("keys"),
        secrets: unique("secrets"),
    };
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
    };
    assert_eq!(store.tables(), &expected);
    store.ensure_tables().await.expect("ensure_tables");
    let rec = ApiKeyRecord {
        key_hash: unique("from-env"),
        prefix: "csb_Env0".to_owned(),
        created_at: 1,
        revoked: false,
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
    };
    let store = AwsStore::new(&sdk_config().await, tables);
    let err = store.get_api_key("00").await.expect_err("no table");
    assert!(!err.is_retryable(), "{err:?}");
    // Display is a short reason, not the SDK's debug text.
    assert_eq!(err.to_string(), "store unavailable: dynamodb table missing");
}
