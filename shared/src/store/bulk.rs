//! What bulk jobs store: the task row (DynamoDB / SQLite), the objects (S3 / files under
//! `DATA_DIR`: the item list and the finished ZIP) and the queue message (SQS / a durable
//! queue table). One small trait per operation, as for API keys.
//!
//! | trait               | AWS                                   | local                          |
//! |---------------------|---------------------------------------|--------------------------------|
//! | [`PutTask`]         | `PutItem` if `attribute_not_exists`    | `INSERT`                       |
//! | [`GetTask`]         | consistent `GetItem`                   | `SELECT`                       |
//! | [`UpdateTask`]      | `UpdateItem` with a status condition   | `UPDATE ... WHERE status IN`   |
//! | [`PutObject`]       | `PutObject`                            | a file, written then renamed   |
//! | [`GetObject`]       | `GetObject`                            | read the file                  |
//! | [`MultipartUpload`] | S3 multipart upload                    | part files, joined on complete |
//! | [`PresignGet`]      | SigV4 presigned `GetObject`            | an HMAC-signed local URL       |
//! | [`SendMessage`]     | `SendMessage` (a DLQ after 3 receives) | a row in the queue table       |

use super::StoreError;
use std::future::Future;

/// Where a bulk task is (the spec's `status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskStatus {
    /// Accepted, not started.
    Pending,
    /// A bundler is rendering it.
    Running,
    /// The ZIP is stored.
    Completed,
    /// It will not complete; `error` says why.
    Failed,
}

impl TaskStatus {
    /// The wire name: `pending`, `running`, `completed`, `failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Pending => "pending",
            TaskStatus::Running => "running",
            TaskStatus::Completed => "completed",
            TaskStatus::Failed => "failed",
        }
    }

    /// The status of a wire name.
    pub fn parse(s: &str) -> Option<TaskStatus> {
        [
            TaskStatus::Pending,
            TaskStatus::Running,
            TaskStatus::Completed,
            TaskStatus::Failed,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }
}

/// One bulk task as stored. Times are Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkTask {
    /// UUID (v4 form); the primary key.
    pub task_id: String,
    /// Who may read it: the rate-limit id of the key that created it.
    pub owner: String,
    /// Where it is.
    pub status: TaskStatus,
    /// Items to render.
    pub count: u32,
    /// Items rendered so far (a lower bound while running).
    pub done: u32,
    /// When it was accepted.
    pub created: u64,
    /// When a bundler first started it.
    pub started: Option<u64>,
    /// When it completed or failed.
    pub finished: Option<u64>,
    /// Why it failed.
    pub error: Option<String>,
    /// Object key of the job: the item list and the render recipe (JSON).
    pub job_key: String,
    /// Object key of the ZIP (deterministic, so a redelivery overwrites, never doubles).
    pub bundle_key: String,
    /// SHA-256 (hex) of the request, to tell a repeated `Idempotency-Key` with another
    /// body from a true repeat.
    pub request_hash: String,
}

impl BulkTask {
    /// A new task, `pending`, with the object keys every task uses: the job at
    /// `jobs/<task_id>.json`, the bundle at `bundles/<task_id>.<extension>` (`zip`, or
    /// `pdf` for a label sheet), so both follow from the id.
    pub fn pending(
        task_id: String,
        owner: String,
        count: u32,
        created: u64,
        extension: &str,
        request_hash: String,
    ) -> BulkTask {
        BulkTask {
            job_key: format!("jobs/{task_id}.json"),
            bundle_key: format!("bundles/{task_id}.{extension}"),
            task_id,
            owner,
            status: TaskStatus::Pending,
            count,
            done: 0,
            created,
            started: None,
            finished: None,
            error: None,
            request_hash,
        }
    }
}

/// A conditional change of a task: each applies only from the statuses it names, so a
/// redelivered message can never move a finished task back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskUpdate {
    /// pending | running -> running; `started` is kept if set, `done` reset to 0.
    /// Not a lock: concurrent Starts (a redelivery while a bundler still runs)
    /// all apply, and `started` is the first one's.
    Start {
        /// Unix seconds.
        now: u64,
    },
    /// running -> running with `done` items rendered.
    Progress {
        /// Items rendered so far.
        done: u32,
    },
    /// running -> completed, `done` = `count`.
    Complete {
        /// Unix seconds.
        now: u64,
    },
    /// pending | running -> failed.
    Fail {
        /// Unix seconds.
        now: u64,
        /// Why, for the caller.
        error: String,
    },
}

/// Insert a new task.
pub trait PutTask: Send + Sync {
    /// Stores `task` unless one with its id exists ([`StoreError::Conflict`]).
    fn put_task(&self, task: &BulkTask) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// Read a task.
pub trait GetTask: Send + Sync {
    /// The task, strongly consistent; `None` if there is none with this id.
    fn get_task(
        &self,
        task_id: &str,
    ) -> impl Future<Output = Result<Option<BulkTask>, StoreError>> + Send;
}

/// Change a task's status, conditionally.
pub trait UpdateTask: Send + Sync {
    /// Applies `update` if the task's status allows it: `Ok(true)` if applied,
    /// `Ok(false)` if the task is missing or in another status (nothing changed).
    fn update_task(
        &self,
        task_id: &str,
        update: &TaskUpdate,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
}

/// Store a whole object.
pub trait PutObject: Send + Sync {
    /// Writes `bytes` at `key`, replacing any object there.
    fn put_object(
        &self,
        key: &str,
        bytes: Vec<u8>,
        content_type: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// Read a whole object.
pub trait GetObject: Send + Sync {
    /// The bytes at `key`, or `None`.
    fn get_object(
        &self,
        key: &str,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, StoreError>> + Send;
}

/// Write a large object in parts (S3 multipart upload: every part but the last at least
/// 5 MiB, at most 10,000 parts), so it never sits in memory whole.
pub trait MultipartUpload: Send + Sync {
    /// Starts an upload to `key`; returns its upload id.
    fn create_upload(
        &self,
        key: &str,
        content_type: &str,
    ) -> impl Future<Output = Result<String, StoreError>> + Send;
    /// Uploads part `part_number` (1-based); returns its ETag.
    fn upload_part(
        &self,
        key: &str,
        upload_id: &str,
        part_number: i32,
        bytes: Vec<u8>,
    ) -> impl Future<Output = Result<String, StoreError>> + Send;
    /// Joins the parts (number, ETag), in order, into the object at `key`.
    fn complete_upload(
        &self,
        key: &str,
        upload_id: &str,
        parts: Vec<(i32, String)>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Drops an unfinished upload and its parts; an upload already gone
    /// (aborted or completed) is `Ok`, so a retried clean-up succeeds.
    fn abort_upload(
        &self,
        key: &str,
        upload_id: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// A time-limited download URL for an object.
pub trait PresignGet: Send + Sync {
    /// A URL that downloads `key` until `now + expires_in` (seconds); absolute for S3,
    /// a path on the local server for the local store.
    fn presign_get(
        &self,
        key: &str,
        expires_in: u64,
        now: u64,
    ) -> impl Future<Output = Result<String, StoreError>> + Send;
}

/// Queue a message for the bundler.
pub trait SendMessage: Send + Sync {
    /// Sends `body` (JSON, a few hundred bytes); delivered at least once.
    fn send_message(&self, body: &str) -> impl Future<Output = Result<(), StoreError>> + Send;
}
