//! What the scanner endpoints store: scan sessions, captures and products. One small
//! trait per operation, as for API keys and bulk tasks; every adapter implements all.
//!
//! | trait             | semantics                                                         |
//! |-------------------|-------------------------------------------------------------------|
//! | [`PutSession`]    | insert; [`StoreError::Conflict`] if the public id exists            |
//! | [`GetSession`]    | by public id                                                      |
//! | [`CloseSession`]  | open -> closed, conditional (`Ok(false)` if missing or closed)     |
//! | [`PutCapture`]    | insert; [`StoreError::Conflict`] if the public id exists            |
//! | [`GetCapture`]    | by public id                                                      |
//! | [`ListCaptures`]  | a session's captures, oldest first, one page and the total count   |
//! | [`FinishCapture`] | pending -> its outcome (image decoding), conditional               |
//! | [`PutProduct`]    | insert or replace, by GTIN-14 (imports are repeatable)             |
//! | [`GetProduct`]    | by GTIN-14                                                        |

use super::StoreError;
use std::future::Future;

/// A scan session: who may add captures to it, and whether it is still open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanSession {
    /// The slug callers use in paths and in `session_public_id`.
    pub public_id: String,
    /// The rate-limit id of the API key that opened it: only that caller sees it.
    pub owner: String,
    /// Hex SHA-256 of the `sessionid` cookie's secret value (the value is never stored).
    pub cookie_hash: String,
    /// Unix seconds.
    pub created: u64,
    /// When it was closed (Unix seconds); `None` while open.
    pub closed: Option<u64>,
}

/// The processing status of a capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaptureStatus {
    /// An image is being read in the background. Not answered today: images are read
    /// within the request (see `api::captures`), so this stays for reading them later.
    Pending,
    /// Its GTIN is a known product.
    Matched,
    /// Valid, but no product matches (or no GTIN: an SSCC, a GLN...).
    NotFound,
    /// The raw value is not valid GS1 data; `error_message` says why.
    Error,
}

impl CaptureStatus {
    /// The wire name: `PENDING`, `MATCHED`, `NOT_FOUND`, `ERROR`.
    pub fn as_str(self) -> &'static str {
        match self {
            CaptureStatus::Pending => "PENDING",
            CaptureStatus::Matched => "MATCHED",
            CaptureStatus::NotFound => "NOT_FOUND",
            CaptureStatus::Error => "ERROR",
        }
    }

    /// The status of a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            CaptureStatus::Pending,
            CaptureStatus::Matched,
            CaptureStatus::NotFound,
            CaptureStatus::Error,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// One capture as stored (the spec's response fields, plus its session and owner).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    /// Unique capture id.
    pub public_id: String,
    /// The session it belongs to.
    pub session_public_id: String,
    /// The session's owner (copied, so a capture is checked without the session).
    pub owner: String,
    /// Where processing is.
    pub status: CaptureStatus,
    /// `BARCODE`, `IMAGE` or `MANUAL`.
    pub capture_type: String,
    /// What was scanned, as sent (for an image: what was decoded, once decoded).
    pub raw_value: String,
    /// GTIN-14, or empty.
    pub gtin: String,
    /// Why the raw value is not valid GS1 data (status `ERROR`).
    pub error_message: Option<String>,
    /// AI -> value, in scan order.
    pub gs1_dl_data: Vec<(String, String)>,
    /// The matched product's id and name (status `MATCHED`).
    pub product: Option<(String, String)>,
    /// Object key of an uploaded image.
    pub uploaded_image_key: Option<String>,
    /// Unix seconds.
    pub created: u64,
    /// When processing ended (Unix seconds).
    pub processed_at: Option<u64>,
}

/// A product of the products table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// Unique product id.
    pub public_id: String,
    /// GTIN-14; the key.
    pub gtin: String,
    /// Display name.
    pub name: String,
    /// Brand.
    pub brand: String,
}

/// One page of a list: the items and the total across all pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// This page's items.
    pub items: Vec<T>,
    /// How many there are in all.
    pub total: u64,
}

/// Insert a session.
pub trait PutSession: Send + Sync {
    /// Stores `s` unless its public id exists ([`StoreError::Conflict`]).
    fn put_session(&self, s: &ScanSession) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// Read a session.
pub trait GetSession: Send + Sync {
    /// The session, or `None`.
    fn get_session(
        &self,
        public_id: &str,
    ) -> impl Future<Output = Result<Option<ScanSession>, StoreError>> + Send;
}

/// Close a session.
pub trait CloseSession: Send + Sync {
    /// Marks it closed at `now` if it is open: `Ok(true)`; `Ok(false)` if it is missing
    /// or already closed.
    fn close_session(
        &self,
        public_id: &str,
        now: u64,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
}

/// Insert a capture.
pub trait PutCapture: Send + Sync {
    /// Stores `c` unless its public id exists ([`StoreError::Conflict`]).
    fn put_capture(&self, c: &Capture) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// Read a capture.
pub trait GetCapture: Send + Sync {
    /// The capture, or `None`.
    fn get_capture(
        &self,
        public_id: &str,
    ) -> impl Future<Output = Result<Option<Capture>, StoreError>> + Send;
}

/// List a session's captures.
pub trait ListCaptures: Send + Sync {
    /// Page `page` (1-based) of `page_size` captures of the session, oldest first
    /// (ties by public id), and the session's total.
    fn list_captures(
        &self,
        session_public_id: &str,
        page: u64,
        page_size: u64,
    ) -> impl Future<Output = Result<Page<Capture>, StoreError>> + Send;
}

/// Record the outcome of a pending capture (an image decoded).
pub trait FinishCapture: Send + Sync {
    /// Replaces the pending capture `c.public_id` with `c` if it is still pending:
    /// `Ok(true)`; `Ok(false)` if it is missing or already processed.
    fn finish_capture(&self, c: &Capture) -> impl Future<Output = Result<bool, StoreError>> + Send;
}

/// Insert or replace a product.
pub trait PutProduct: Send + Sync {
    /// Stores `p` under its GTIN-14, replacing any product there.
    fn put_product(&self, p: &Product) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// Read a product.
pub trait GetProduct: Send + Sync {
    /// The product with this GTIN-14, or `None`.
    fn get_product(
        &self,
        gtin14: &str,
    ) -> impl Future<Output = Result<Option<Product>, StoreError>> + Send;
}
