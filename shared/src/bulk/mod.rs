//! Bulk jobs: one render recipe and a list of items, bundled in the background into a
//! ZIP of one symbol per item plus `manifest.csv` (bulk QR, label ZIPs), or into one
//! PDF of label sheets ([`label`], [`crate::render::sheet_pdf`]).
//!
//! ```text
//! submit (api::qr_bulk) -> job object + task row + queue message
//!        bundler (functions/qr-bundler on SQS, or the local worker)
//!          -> task running -> render items (all cores) -> ZIP or PDF streamed in 5 MiB parts
//!          -> multipart upload completed -> task completed
//! ```
//!
//! The job model knows nothing of a symbology: a [`Job`] is a [`Recipe`] (the QR Code
//! of a Digital Link for bulk QR; any image endpoint's request for labels) and
//! [`Item`]s; one queue, task table and bundler serve both. Delivery is at least once, the outcome exactly once: every task
//! change is conditional on its status, the ZIP's key is fixed by the task id (a
//! redelivery rewrites the same object, never a second one), and a finished task makes
//! a redelivered message a no-op.

pub mod archive;
pub mod bundler;
pub mod job;
pub mod label;

pub use archive::{inert_cell, Archive, ArchiveError};
pub use bundler::{
    bundle, handle_message, BundleError, Outcome, QueueMessage, DEAD_LETTER_AFTER, MAX_RECEIVES,
};
pub use job::{file_name, Item, Job, Recipe, Rendered, Template, MANIFEST_HEADER};
pub use label::{LabelOutput, LabelSymbol, SheetSpec};
