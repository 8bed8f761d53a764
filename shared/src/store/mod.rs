//! Storage: one small trait per operation, with an embedded and an AWS adapter.
//!
//! Handlers are generic over exactly the operations they use (`S: GetApiKey`),
//! so a handler cannot touch data it does not need, and a test can hand it a
//! tiny fake. Every adapter implements every trait:
//!
//! | adapter                 | feature | backing                                           |
//! |-------------------------|---------|---------------------------------------------------|
//! | `local::LocalStore`     | `local` | one SQLite file (`gs1codes.sqlite3`) under `DATA_DIR` |
//! | `aws::AwsStore`         | `aws`   | DynamoDB tables, conditional writes               |
//!
//! | trait                 | table       | semantics                                        |
//! |-----------------------|-------------|--------------------------------------------------|
//! | [`PutApiKey`]         | API keys    | insert only; [`StoreError::Conflict`] if present  |
//! | [`GetApiKey`]         | API keys    | strongly consistent read by key hash             |
//! | [`GetOrCreateSecret`] | secrets     | first writer wins, everyone gets the stored bytes |
//! | [`ListApiKeys`]       | API keys    | every key's record (for the key tools)            |
//! | [`UpdateApiKey`]      | API keys    | revoke, set a tier, suspend; seen at once         |
//! | [`CountRequest`]      | rate limits | atomic check-and-count per client and window      |
//!
//! The traits return `impl Future + Send` (native async fns in traits, no
//! `async-trait` boxing) so generic handlers stay `Send` for tokio and Lambda.
//! Implementations may write them as plain `async fn`.
//!
//! ```
//! use shared::store::{ApiKeyRecord, GetApiKey, StoreError};
//!
//! // A handler asks only for the operation it needs.
//! async fn is_active<S: GetApiKey>(store: &S, key_hash: &str) -> Result<bool, StoreError> {
//!     Ok(store.get_api_key(key_hash).await?.is_some_and(|k| !k.revoked))
//! }
//! ```

use std::error::Error as StdError;
use std::future::Future;

pub use bulk::{
    BulkTask, GetObject, GetTask, MultipartUpload, PresignGet, PutObject, PutTask, SendMessage,
    TaskStatus, TaskUpdate, UpdateTask,
};
pub use scan::{
    Capture, CaptureStatus, CloseSession, FinishCapture, GetCapture, GetProduct, GetSession,
    ListCaptures, Page, Product, PutCapture, PutProduct, PutSession, ScanSession,
};

pub use rate::{Admission, CountRequest, Window, WindowCount};

#[cfg(feature = "aws")]
pub mod aws;
pub mod bulk;
#[cfg(feature = "local")]
pub mod local;
pub mod rate;
pub mod scan;

/// A boxed underlying error, kept for logs (walk [`std::error::Error::source`]),
/// never shown in [`StoreError`]'s `Display`.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// One API key as stored. The key itself is never stored, only its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyRecord {
    /// Lowercase hex SHA-256 of the full key; the primary key.
    pub key_hash: String,
    /// The first characters of the key, for display (e.g. `"csb_AbCd"`).
    pub prefix: String,
    /// Creation time, Unix seconds.
    pub created_at: u64,
    /// A revoked key is kept (so its hash cannot be reissued) but refused.
    pub revoked: bool,
    /// The rate-limit tier: `default`, `unlimited`, or explicit windows in the
    /// `RateLimit-Policy` syntax (`"1000;w=60, 50000;w=86400"`); see
    /// `api::rate_limit::Limits::policy`.
    pub tier: String,
    /// The key's account is suspended: requests are refused with a 403 that asks
    /// the account owner to act, until it is lifted (unlike a revocation).
    pub suspended: bool,
}

/// The tier a key gets when none is set.
pub const DEFAULT_TIER: &str = "default";

/// A change to a stored key, made by the key tools.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyChange {
    /// Refuse the key from now on (for good).
    Revoke,
    /// Set the rate-limit tier (see [`ApiKeyRecord::tier`]).
    Tier(String),
    /// Suspend (`true`) or reinstate (`false`) the key's account.
    Suspend(bool),
}

/// Why a storage operation failed.
///
/// `Display` is a short, fixed reason that is safe to log or to map to a
/// problem type; the adapter's own error (SDK or SQLite) is only reachable
/// through [`std::error::Error::source`], for logs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A conditional insert found the record already there.
    #[error("record already exists")]
    Conflict,
    /// The backing store could not be reached or refused the request.
    /// `retryable` is true for throttling, timeouts, network and lock
    /// contention: trying again later may succeed (HTTP 503 + Retry-After).
    #[error("store unavailable: {reason}")]
    Unavailable {
        /// A fixed, loggable reason.
        reason: &'static str,
        /// Whether trying again later may succeed.
        retryable: bool,
        #[source]
        /// The adapter's own error, for logs.
        source: Option<BoxError>,
    },
    /// A stored record could not be decoded (missing or mistyped attribute,
    /// out-of-range number, newer schema than this build knows).
    #[error("stored data is corrupt: {reason}")]
    Corrupt {
        /// A fixed, loggable reason.
        reason: &'static str,
        #[source]
        /// The adapter's own error, for logs.
        source: Option<BoxError>,
    },
    /// The caller passed a record the store cannot hold (e.g. a timestamp
    /// beyond the store's integer range).
    #[error("invalid record: {reason}")]
    Invalid {
        /// A fixed, loggable reason.
        reason: &'static str,
    },
}

impl StoreError {
    /// Whether the same request may succeed if tried again later.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            StoreError::Unavailable {
                retryable: true,
                ..
            }
        )
    }

    /// [`StoreError::Unavailable`] keeping `source` for logs (adapters and
    /// test fakes use it).
    pub fn unavailable(reason: &'static str, retryable: bool, source: impl Into<BoxError>) -> Self {
        StoreError::Unavailable {
            reason,
            retryable,
            source: Some(source.into()),
        }
    }

    /// [`StoreError::Corrupt`] without an underlying error.
    pub fn corrupt(reason: &'static str) -> Self {
        StoreError::Corrupt {
            reason,
            source: None,
        }
    }
}

/// Insert a new API key.
pub trait PutApiKey: Send + Sync {
    /// Stores `rec` unless a record with the same `key_hash` exists, in which
    /// case it fails with [`StoreError::Conflict`] and changes nothing.
    fn put_api_key(
        &self,
        rec: &ApiKeyRecord,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// Look up an API key by the hash of the full key.
pub trait GetApiKey: Send + Sync {
    /// The record, or `None` if no key has this hash. Reads are strongly
    /// consistent, so a revocation is seen by the next request.
    fn get_api_key(
        &self,
        key_hash: &str,
    ) -> impl Future<Output = Result<Option<ApiKeyRecord>, StoreError>> + Send;
}

/// Every stored API key, for the key tools (`gs1-codes key list`).
pub trait ListApiKeys: Send + Sync {
    /// All records, in no particular order. Reads the whole table: for tools, not
    /// for request paths.
    fn list_api_keys(&self) -> impl Future<Output = Result<Vec<ApiKeyRecord>, StoreError>> + Send;
}

/// Change a stored API key.
pub trait UpdateApiKey: Send + Sync {
    /// Applies `change` to the key with hash `key_hash`; `Ok(false)` if there is no
    /// such key. The next request with the key sees the change (reads are strongly
    /// consistent and keys are not cached).
    fn update_api_key(
        &self,
        key_hash: &str,
        change: &KeyChange,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
}

/// A named server secret (the HMAC key for API-key checksums and signed URLs).
pub trait GetOrCreateSecret: Send + Sync {
    /// Returns the secret stored under `name`. If there is none, calls `make`
    /// at most once and stores its bytes atomically; if another process stored
    /// one first, that one is returned and `make`'s bytes are dropped, so every
    /// caller, in every process, ends up with the same secret.
    fn get_or_create_secret(
        &self,
        name: &str,
        make: impl FnOnce() -> Vec<u8> + Send,
    ) -> impl Future<Output = Result<Vec<u8>, StoreError>> + Send;
}
