//! [`AwsScanStore`]: what the captures Lambda needs, DynamoDB (keys, secrets, sessions,
//! captures, products) and S3 (captured photos), by delegation. No SQS: the captures
//! Lambda queues nothing.

use super::s3::bucket_from_env;
use super::{AwsStore, S3Objects, TableNames};
use crate::store::scan::{
    Capture, CloseSession, FinishCapture, GetCapture, GetProduct, GetSession, ListCaptures, Page,
    Product, PutCapture, PutProduct, PutSession, ScanSession,
};
use crate::store::StoreError;

/// DynamoDB and S3 for the scanner routes.
#[derive(Debug, Clone)]
pub struct AwsScanStore {
    /// API keys, secrets, sessions, captures and products (DynamoDB).
    pub tables: AwsStore,
    /// Captured photos (S3, `BUNDLE_BUCKET`, under `captures/`).
    pub objects: S3Objects,
}

impl AwsScanStore {
    /// Loads the SDK configuration once, then the table names and the bucket from the
    /// environment ([`TableNames::from_env`], `BUNDLE_BUCKET`).
    pub async fn from_env() -> Self {
        let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        AwsScanStore {
            tables: AwsStore::new(&config, TableNames::from_env()),
            objects: S3Objects::new(&config, bucket_from_env()),
        }
    }
}

delegate_keys_and_objects!(AwsScanStore);

impl PutSession for AwsScanStore {
    async fn put_session(&self, s: &ScanSession) -> Result<(), StoreError> {
        self.tables.put_session(s).await
    }
}

impl GetSession for AwsScanStore {
    async fn get_session(&self, public_id: &str) -> Result<Option<ScanSession>, StoreError> {
        self.tables.get_session(public_id).await
    }
}

impl CloseSession for AwsScanStore {
    async fn close_session(&self, public_id: &str, now: u64) -> Result<bool, StoreError> {
        self.tables.close_session(public_id, now).await
    }
}

impl PutCapture for AwsScanStore {
    async fn put_capture(&self, c: &Capture) -> Result<(), StoreError> {
        self.tables.put_capture(c).await
    }
}

impl GetCapture for AwsScanStore {
    async fn get_capture(&self, public_id: &str) -> Result<Option<Capture>, StoreError> {
        self.tables.get_capture(public_id).await
    }
}

impl ListCaptures for AwsScanStore {
    async fn list_captures(
        &self,
        session_public_id: &str,
        page: u64,
        page_size: u64,
    ) -> Result<Page<Capture>, StoreError> {
        self.tables
            .list_captures(session_public_id, page, page_size)
            .await
    }
}

impl FinishCapture for AwsScanStore {
    async fn finish_capture(&self, c: &Capture) -> Result<bool, StoreError> {
        self.tables.finish_capture(c).await
    }
}

impl PutProduct for AwsScanStore {
    async fn put_product(&self, p: &Product) -> Result<(), StoreError> {
        self.tables.put_product(p).await
    }
}

impl GetProduct for AwsScanStore {
    async fn get_product(&self, gtin14: &str) -> Result<Option<Product>, StoreError> {
        self.tables.get_product(gtin14).await
    }
}
