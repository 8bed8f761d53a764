//! The bundler: works one queue message, that is one task, to its end.
//!
//! Rendering and ZIP writing run on a blocking thread (rendering itself on every core,
//! in chunks, with rayon); the ZIP is written with `zip`'s streaming writer (a label
//! sheet job's PDF page by page with [`SheetPdf`]) into [`PartWriter`], which hands
//! each 5 MiB part over a bounded channel to the async side that uploads it. Memory stays at a few parts plus one chunk of images, whatever the
//! job's size: 5000 PNGs at 2000 px never sit in memory together.
//!
//! Exactly-once outcome under at-least-once delivery:
//! - a task that is completed or failed makes the message a no-op;
//! - `Start` is conditional (pending or running), so a redelivery of a message whose
//!   bundler died midway starts over, from item 1, into the same object key;
//! - `Complete` is conditional (running): two bundlers racing finish once;
//! - on any error the multipart upload is aborted, and the message is retried; on its
//!   [`MAX_RECEIVES`]th receive the task is marked failed;
//! - a bundler that dies without an answer (killed, out of memory, past the Lambda
//!   timeout) fails nothing itself, so the queue delivers the message once more than
//!   [`MAX_RECEIVES`] ([`DEAD_LETTER_AFTER`] is the redrive policy's
//!   `maxReceiveCount`): that last receive only marks the task failed. Only a message
//!   whose last receive cannot reach the store either goes to the dead-letter queue.
//!   A task is never left running forever.

use super::archive::Archive;
use super::job::{Job, Rendered, Template};
use super::label::LabelOutput;
use crate::api::clock::Clock;
use crate::render::sheet_pdf::{Placed, SheetPdf};
use crate::store::{
    GetObject, GetTask, MultipartUpload, StoreError, TaskStatus, TaskUpdate, UpdateTask,
};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::io::Write;
use tokio::sync::mpsc;

/// S3's smallest part (all but the last): 5 MiB.
pub const PART_SIZE: usize = 5 * 1024 * 1024;
/// Attempts at a task: the receive on which a failing message fails its task.
pub const MAX_RECEIVES: u32 = 3;
/// Receives before the queue dead-letters a message (the SQS redrive policy's
/// `maxReceiveCount`, and the local queue's): one more than [`MAX_RECEIVES`], for the
/// receive that fails a task whose bundlers all died without an answer.
pub const DEAD_LETTER_AFTER: u32 = MAX_RECEIVES + 1;
/// Items rendered between progress updates (and in parallel at once).
const CHUNK: usize = 256;

/// The queue message: which task to work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueMessage {
    /// The task's id.
    pub task_id: String,
}

/// What a message came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The ZIP is stored and the task completed.
    Completed,
    /// Nothing to do: no such task, or it had already ended.
    Skipped,
    /// The job cannot be done (unreadable job, an item that no longer renders): the
    /// task is failed and the message must not be retried.
    Failed,
}

/// Why a message should be delivered again.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The store failed (S3, DynamoDB, disk): transient, worth a retry.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// The rendering thread died.
    #[error("bundling thread failed: {0}")]
    Thread(String),
}

/// What the blocking side tells the async side.
enum Event {
    Part(Vec<u8>),
    Progress(u32),
}

/// A `Write` that cuts its bytes into [`PART_SIZE`] parts and sends each over a
/// channel (blocking while the uploader is behind: back-pressure).
pub struct PartWriter {
    buf: Vec<u8>,
    tx: mpsc::Sender<Event>,
}

impl PartWriter {
    fn send(&mut self) -> std::io::Result<()> {
        let part = std::mem::replace(&mut self.buf, Vec::with_capacity(PART_SIZE));
        self.tx
            .blocking_send(Event::Part(part))
            .map_err(|_| std::io::Error::other("the uploader stopped"))
    }
}

impl Write for PartWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= PART_SIZE {
            // Parts of exactly PART_SIZE; the rest starts the next one.
            let rest = self.buf.split_off(PART_SIZE);
            self.send()?;
            self.buf = rest;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Renders every item and writes the ZIP into `out`; the last part is sent at the end.
/// Returns an error message for a job that cannot be done.
fn write_zip(job: &Job, mut out: PartWriter, tx: mpsc::Sender<Event>) -> Result<(), String> {
    let template = job
        .template()
        .map_err(|e| format!("{}: {}", e.field, e.msg))?;
    let mut archive =
        Archive::with_header(&mut out, template.manifest_header()).map_err(|e| e.to_string())?;
    let indexes: Vec<usize> = (0..job.items.len()).collect();
    let mut done = 0u32;
    for chunk in indexes.chunks(CHUNK) {
        let rendered: Vec<Result<Rendered, String>> = chunk
            .par_iter()
            .map(|&i| {
                job.render(&template, i)
                    .map_err(|e| format!("item {}: {}: {}", i + 1, e.field, e.msg))
            })
            .collect();
        for r in rendered {
            archive.add(&r?).map_err(|e| e.to_string())?;
        }
        done += chunk.len() as u32;
        tx.blocking_send(Event::Progress(done))
            .map_err(|_| "the uploader stopped".to_string())?;
    }
    archive.finish().map_err(|e| e.to_string())?;
    out.send().map_err(|e| e.to_string())
}

/// Draws every label and writes the sheet PDF into `out`, page by page (each page's
/// labels drawn on every core); the last part is sent at the end.
fn write_sheet(job: &Job, mut out: PartWriter, tx: mpsc::Sender<Event>) -> Result<(), String> {
    let template = job
        .template()
        .map_err(|e| format!("{}: {}", e.field, e.msg))?;
    let Template::Label {
        symbol,
        output: LabelOutput::Sheet(sheet),
    } = &template
    else {
        return Err("not a sheet job".into());
    };
    let grid = sheet.grid;
    let io = |e: std::io::Error| e.to_string();
    let mut pdf = SheetPdf::new(&mut out, sheet.page_width_mm, sheet.page_height_mm).map_err(io)?;
    let marks = if sheet.crop_marks {
        grid.crop_marks((sheet.page_width_mm, sheet.page_height_mm))
    } else {
        Vec::new()
    };
    let indexes: Vec<usize> = (0..job.items.len()).collect();
    let mut page: Vec<Placed> = Vec::new();
    let mut page_no = 0;
    let mut done = 0u32;
    for chunk in indexes.chunks(CHUNK) {
        let drawn: Vec<Result<Placed, String>> = chunk
            .par_iter()
            .map(|&i| {
                let scene = symbol.label(&job.items[i], &grid).map_err(|e| {
                    format!("item {}: {}: {}", i + 1, e.failure.field, e.failure.msg)
                })?;
                let (_, slot) = sheet.place(i);
                let (x_mm, y_mm) = grid.origin(slot);
                Ok(Placed { x_mm, y_mm, scene })
            })
            .collect();
        for (&i, placed) in chunk.iter().zip(drawn) {
            let (p, _) = sheet.place(i);
            if p != page_no {
                pdf.page(&page, &marks).map_err(io)?;
                page.clear();
                page_no = p;
            }
            page.push(placed?);
        }
        done += chunk.len() as u32;
        tx.blocking_send(Event::Progress(done))
            .map_err(|_| "the uploader stopped".to_string())?;
    }
    pdf.page(&page, &marks).map_err(io)?;
    pdf.finish().map_err(io)?;
    out.send().map_err(|e| e.to_string())
}

/// Works task `task_id` to its end (see the module doc). `receives` counts this
/// delivery (1 the first time).
///
/// Errors: a [`BundleError`] when the message should be delivered again.
pub async fn bundle<S>(
    store: &S,
    clock: &dyn Clock,
    task_id: &str,
    receives: u32,
) -> Result<Outcome, BundleError>
where
    S: GetTask + UpdateTask + GetObject + MultipartUpload,
{
    let give_up = |why: String| TaskUpdate::Fail {
        now: clock.now(),
        error: format!("gave up after {MAX_RECEIVES} attempts: {why}"),
    };
    if receives > MAX_RECEIVES {
        // Every attempt died without an answer (a crash or a timeout): end the task.
        let why = "the bundler stopped before it finished (killed, out of memory or timed out)";
        let failed = store.update_task(task_id, &give_up(why.into())).await?;
        return Ok(if failed {
            Outcome::Failed
        } else {
            Outcome::Skipped
        });
    }
    let result = try_bundle(store, clock, task_id).await;
    if let Err(e) = &result {
        if receives >= MAX_RECEIVES {
            store.update_task(task_id, &give_up(e.to_string())).await?;
        }
    }
    result
}

async fn try_bundle<S>(store: &S, clock: &dyn Clock, task_id: &str) -> Result<Outcome, BundleError>
where
    S: GetTask + UpdateTask + GetObject + MultipartUpload,
{
    let Some(task) = store.get_task(task_id).await? else {
        return Ok(Outcome::Skipped);
    };
    if matches!(task.status, TaskStatus::Completed | TaskStatus::Failed) {
        return Ok(Outcome::Skipped);
    }
    if !store
        .update_task(task_id, &TaskUpdate::Start { now: clock.now() })
        .await?
    {
        return Ok(Outcome::Skipped);
    }
    let fail = |error: String| TaskUpdate::Fail {
        now: clock.now(),
        error,
    };
    let job: Job = match store.get_object(&task.job_key).await? {
        Some(bytes) => match serde_json::from_slice(&bytes) {
            Ok(job) => job,
            Err(e) => {
                store
                    .update_task(task_id, &fail(format!("unreadable job: {e}")))
                    .await?;
                return Ok(Outcome::Failed);
            }
        },
        None => {
            store
                .update_task(task_id, &fail("the job's item list is gone".into()))
                .await?;
            return Ok(Outcome::Failed);
        }
    };
    let key = task.bundle_key.clone();
    let upload = store.create_upload(&key, job.content_type()).await?;
    match upload_bundle(store, task_id, &key, &upload, job).await {
        Ok(Ok(parts)) => {
            store.complete_upload(&key, &upload, parts).await?;
            store
                .update_task(task_id, &TaskUpdate::Complete { now: clock.now() })
                .await?;
            Ok(Outcome::Completed)
        }
        Ok(Err(job_error)) => {
            let _ = store.abort_upload(&key, &upload).await;
            store.update_task(task_id, &fail(job_error)).await?;
            Ok(Outcome::Failed)
        }
        Err(e) => {
            let _ = store.abort_upload(&key, &upload).await;
            Err(e)
        }
    }
}

/// Streams the job's ZIP or PDF as parts into `upload`. `Ok(Err(msg))`: the job itself
/// is bad.
async fn upload_bundle<S>(
    store: &S,
    task_id: &str,
    key: &str,
    upload: &str,
    job: Job,
) -> Result<Result<Vec<(i32, String)>, String>, BundleError>
where
    S: UpdateTask + MultipartUpload,
{
    let (tx, mut rx) = mpsc::channel::<Event>(2);
    let writer = PartWriter {
        buf: Vec::with_capacity(PART_SIZE),
        tx: tx.clone(),
    };
    let worker = tokio::task::spawn_blocking(move || match job.content_type() {
        "application/pdf" => write_sheet(&job, writer, tx),
        _ => write_zip(&job, writer, tx),
    });
    let mut parts = Vec::new();
    let mut result = Ok(());
    while let Some(event) = rx.recv().await {
        let step = match event {
            Event::Part(bytes) => {
                let n = parts.len() as i32 + 1;
                store
                    .upload_part(key, upload, n, bytes)
                    .await
                    .map(|etag| parts.push((n, etag)))
            }
            Event::Progress(done) => store
                .update_task(task_id, &TaskUpdate::Progress { done })
                .await
                .map(|_| ()),
        };
        if let Err(e) = step {
            result = Err(e);
            break;
        }
    }
    // Dropping the receiver stops the writer at its next send.
    drop(rx);
    let written = worker
        .await
        .map_err(|e| BundleError::Thread(e.to_string()))?;
    result?;
    Ok(written.map(|()| parts))
}

/// Works one queue message body (`{"task_id": ...}`); an unreadable body is dropped
/// (`Ok(Outcome::Skipped)`), as retrying cannot help it.
///
/// Errors: as [`bundle`].
pub async fn handle_message<S>(
    store: &S,
    clock: &dyn Clock,
    body: &str,
    receives: u32,
) -> Result<Outcome, BundleError>
where
    S: GetTask + UpdateTask + GetObject + MultipartUpload,
{
    match serde_json::from_str::<QueueMessage>(body) {
        Ok(m) => bundle(store, clock, &m.task_id, receives).await,
        Err(e) => {
            tracing::error!(error = %e, "unreadable queue message dropped");
            Ok(Outcome::Skipped)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The deployed queue dead-letters after the receive that fails a dead task.
    #[test]
    fn the_template_redrive_policy_leaves_the_failing_receive() {
        let template = include_str!("../../../template.yaml");
        let line = template
            .lines()
            .find(|l| l.trim_start().starts_with("maxReceiveCount:"))
            .expect("a redrive policy in template.yaml");
        assert_eq!(
            line.trim(),
            format!("maxReceiveCount: {DEAD_LETTER_AFTER}"),
            "template.yaml's redrive policy"
        );
    }

    #[test]
    fn parts_are_exactly_part_size_but_the_last() {
        let (tx, mut rx) = mpsc::channel(16);
        let mut w = PartWriter {
            buf: Vec::new(),
            tx,
        };
        let block = vec![7u8; 3 * 1024 * 1024];
        for _ in 0..4 {
            w.write_all(&block).unwrap();
        }
        w.send().unwrap();
        drop(w);
        let mut sizes = Vec::new();
        while let Ok(Event::Part(p)) = rx.try_recv() {
            sizes.push(p.len());
        }
        assert_eq!(
            sizes,
            [PART_SIZE, PART_SIZE, 12 * 1024 * 1024 - 2 * PART_SIZE]
        );
    }
}
