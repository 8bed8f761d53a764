//! [`AwsBulkStore`]: DynamoDB, S3 and SQS behind one value, for the bulk
//! Lambdas (submit, status, bundler), which need all three.

use super::s3::bucket_from_env;
use super::sqs::queue_url_from_env;
use super::{AwsStore, S3Objects, SqsQueue, TableNames};
use crate::store::{
    BulkTask, GetObject, GetTask, MultipartUpload, PresignGet, PutTask, SendMessage, StoreError,
    TaskUpdate, UpdateTask,
};

/// The three AWS adapters together; implements every store trait by
/// delegating to the one that holds the data. Cloning is cheap.
///
/// ```no_run
/// # async fn demo() -> Result<(), shared::store::StoreError> {
/// use shared::store::{aws::AwsBulkStore, GetTask};
/// let store = AwsBulkStore::from_env().await?;
/// let task = store.get_task("3f1c...").await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct AwsBulkStore {
    /// API keys, secrets and bulk tasks (DynamoDB).
    pub tables: AwsStore,
    /// Job item lists and ZIPs (S3).
    pub objects: S3Objects,
    /// Messages for the bundler (SQS).
    pub queue: SqsQueue,
}

impl AwsBulkStore {
    /// Loads the SDK configuration once from the environment, then the table
    /// names ([`TableNames::from_env`]), the bucket (`BUNDLE_BUCKET`) and the
    /// queue URL (`BUNDLE_QUEUE_URL`). Call once, outside the Lambda handler.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] (not retryable) if `BUNDLE_QUEUE_URL` is
    /// unset or empty.
    pub async fn from_env() -> Result<Self, StoreError> {
        let queue_url = queue_url_from_env()?;
        let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        Ok(AwsBulkStore {
            tables: AwsStore::new(&config, TableNames::from_env()),
            objects: S3Objects::new(&config, bucket_from_env()),
            queue: SqsQueue::new(&config, queue_url),
        })
    }
}

delegate_keys_and_objects!(AwsBulkStore);

impl PutTask for AwsBulkStore {
    async fn put_task(&self, task: &BulkTask) -> Result<(), StoreError> {
        self.tables.put_task(task).await
    }
}

impl GetTask for AwsBulkStore {
    async fn get_task(&self, task_id: &str) -> Result<Option<BulkTask>, StoreError> {
        self.tables.get_task(task_id).await
    }
}

impl UpdateTask for AwsBulkStore {
    async fn update_task(&self, task_id: &str, update: &TaskUpdate) -> Result<bool, StoreError> {
        self.tables.update_task(task_id, update).await
    }
}

impl GetObject for AwsBulkStore {
    async fn get_object(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.objects.get_object(key).await
    }
}

impl MultipartUpload for AwsBulkStore {
    async fn create_upload(&self, key: &str, content_type: &str) -> Result<String, StoreError> {
        self.objects.create_upload(key, content_type).await
    }

    async fn upload_part(
        &self,
        key: &str,
        upload_id: &str,
        part_number: i32,
        bytes: Vec<u8>,
    ) -> Result<String, StoreError> {
        self.objects
            .upload_part(key, upload_id, part_number, bytes)
            .await
    }

    async fn complete_upload(
        &self,
        key: &str,
        upload_id: &str,
        parts: Vec<(i32, String)>,
    ) -> Result<(), StoreError> {
        self.objects.complete_upload(key, upload_id, parts).await
    }

    async fn abort_upload(&self, key: &str, upload_id: &str) -> Result<(), StoreError> {
        self.objects.abort_upload(key, upload_id).await
    }
}

impl PresignGet for AwsBulkStore {
    async fn presign_get(
        &self,
        key: &str,
        expires_in: u64,
        now: u64,
    ) -> Result<String, StoreError> {
        self.objects.presign_get(key, expires_in, now).await
    }
}

impl SendMessage for AwsBulkStore {
    async fn send_message(&self, body: &str) -> Result<(), StoreError> {
        self.queue.send_message(body).await
    }
}
