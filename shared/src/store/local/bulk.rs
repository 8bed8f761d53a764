//! The local side of bulk jobs: tasks and a durable queue in the SQLite file, objects
//! as files under `DATA_DIR/objects/`, multipart uploads as part files under
//! `DATA_DIR/uploads/<upload id>/`, and download URLs signed with an HMAC the local
//! server checks (S3's presigned URLs, without S3).
//!
//! Objects are written to a temporary file and renamed into place, so a reader (or a
//! process killed midway) never sees half an object. The queue is a table: a receive
//! hides a message for a visibility timeout and counts the receive, a delete removes
//! it, so a message survives `kill -9` and is worked again after a restart
//! ([`LocalStore::requeue_all`]).

use super::{inserted, sqlite_error, to_i64, LocalStore};
use crate::store::bulk::{
    BulkTask, GetObject, GetTask, MultipartUpload, PresignGet, PutObject, PutTask, SendMessage,
    TaskStatus, TaskUpdate, UpdateTask,
};
use crate::store::{GetOrCreateSecret, StoreError};
use hmac::{Hmac, Mac};
use rusqlite::OptionalExtension;
use sha2::Sha256;
use std::path::{Path, PathBuf};

/// Path prefix of the local server's signed object downloads.
pub const OBJECT_URL_PREFIX: &str = "/local/objects/";
/// Name of the object-URL signing secret in the secrets table.
const OBJECT_URL_SECRET: &str = "object-url-hmac";

/// A message received from the local queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMessage {
    /// Its id, for [`LocalStore::delete_message`].
    pub id: i64,
    /// What was sent.
    pub body: String,
    /// How many times it has been received, this time included (SQS's
    /// `ApproximateReceiveCount`).
    pub receives: u32,
}

fn io_error(reason: &'static str) -> impl FnOnce(std::io::Error) -> StoreError {
    move |e| match e.kind() {
        // Freeing space or write access makes a retry work.
        std::io::ErrorKind::StorageFull => {
            StoreError::unavailable("data directory is full", true, e)
        }
        std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied => {
            StoreError::unavailable("data directory is read-only", true, e)
        }
        _ => StoreError::unavailable(reason, false, e),
    }
}

/// An object key as a path below `root`: keys are ours (`jobs/<uuid>.json`), but a key
/// with `..`, a leading `/` or a backslash is refused rather than trusted.
fn key_path(root: &Path, key: &str) -> Result<PathBuf, StoreError> {
    let ok = !key.is_empty()
        && !key.starts_with('/')
        && !key.contains('\\')
        && key
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != "..");
    if !ok {
        return Err(StoreError::Invalid {
            reason: "object key is not a plain relative path",
        });
    }
    Ok(root.join(key))
}

/// Writes `bytes` to `path` through a temporary file and a rename.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io_error("cannot create object directory"))?;
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(io_error("cannot write object"))?;
    std::fs::rename(&tmp, path).map_err(io_error("cannot rename object into place"))
}

impl LocalStore {
    fn objects_dir(&self) -> PathBuf {
        self.data_dir().join("objects")
    }

    fn uploads_dir(&self) -> PathBuf {
        self.data_dir().join("uploads")
    }

    /// Takes the oldest visible message and hides it for `visibility` seconds.
    pub async fn receive_message(
        &self,
        now: u64,
        visibility: u64,
    ) -> Result<Option<QueuedMessage>, StoreError> {
        let (now, until) = (to_i64(now)?, to_i64(now + visibility)?);
        self.with_conn(move |conn| {
            conn.query_row(
                "UPDATE queue SET visible_at = ?2, receives = receives + 1
                 WHERE id = (SELECT id FROM queue WHERE visible_at <= ?1 ORDER BY id LIMIT 1)
                 RETURNING id, body, receives",
                (now, until),
                |row| {
                    Ok(QueuedMessage {
                        id: row.get(0)?,
                        body: row.get(1)?,
                        receives: row.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(sqlite_error)
        })
        .await
    }

    /// Removes a message once its work is done.
    pub async fn delete_message(&self, id: i64) -> Result<(), StoreError> {
        self.with_conn(move |conn| {
            conn.execute("DELETE FROM queue WHERE id = ?1", [id])
                .map(|_| ())
                .map_err(sqlite_error)
        })
        .await
    }

    /// Hides a message until `visible_at` (Unix seconds): a failed attempt waits a
    /// little before the next.
    pub async fn release_message(&self, id: i64, visible_at: u64) -> Result<(), StoreError> {
        let at = to_i64(visible_at)?;
        self.with_conn(move |conn| {
            conn.execute("UPDATE queue SET visible_at = ?2 WHERE id = ?1", (id, at))
                .map(|_| ())
                .map_err(sqlite_error)
        })
        .await
    }

    /// Makes every hidden message visible again: at start-up, when any message still
    /// hidden was taken by a process that no longer runs.
    pub async fn requeue_all(&self) -> Result<(), StoreError> {
        self.with_conn(|conn| {
            conn.execute("UPDATE queue SET visible_at = 0", [])
                .map(|_| ())
                .map_err(sqlite_error)
        })
        .await
    }

    async fn url_mac(&self, key: &str, expires: u64) -> Result<String, StoreError> {
        let secret = self
            .get_or_create_secret(OBJECT_URL_SECRET, || {
                let mut s = vec![0u8; 32];
                getrandom::fill(&mut s).expect("the OS random source works");
                s
            })
            .await?;
        let mut mac = Hmac::<Sha256>::new_from_slice(&secret).expect("any key length");
        mac.update(key.as_bytes());
        mac.update(b"\n");
        mac.update(expires.to_string().as_bytes());
        Ok(crate::api::auth::hex(&mac.finalize().into_bytes()))
    }

    /// The file behind a signed download URL (`key`, `expires`, `sig` from
    /// [`PresignGet::presign_get`]), if the signature holds and `now` is not past
    /// `expires`; `Ok(None)` otherwise (the caller answers 403).
    pub async fn signed_object(
        &self,
        key: &str,
        expires: u64,
        sig: &str,
        now: u64,
    ) -> Result<Option<PathBuf>, StoreError> {
        let expected = self.url_mac(key, expires).await?;
        let same = crate::api::auth::constant_time_eq(&expected, sig);
        if !same || now > expires {
            return Ok(None);
        }
        let path = key_path(&self.objects_dir(), key)?;
        Ok(path.is_file().then_some(path))
    }
}

const TASK_COLUMNS: &str = "task_id, owner, status, count, done, created, started, finished, error, job_key, bundle_key, request_hash";

fn task_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<(BulkTask, String)> {
    let opt = |i: usize| -> rusqlite::Result<Option<u64>> {
        Ok(row.get::<_, Option<i64>>(i)?.map(|v| v.max(0) as u64))
    };
    let status: String = row.get(2)?;
    Ok((
        BulkTask {
            task_id: row.get(0)?,
            owner: row.get(1)?,
            status: TaskStatus::Pending,
            count: row.get(3)?,
            done: row.get(4)?,
            created: row.get::<_, i64>(5)?.max(0) as u64,
            started: opt(6)?,
            finished: opt(7)?,
            error: row.get(8)?,
            job_key: row.get(9)?,
            bundle_key: row.get(10)?,
            request_hash: row.get(11)?,
        },
        status,
    ))
}

impl PutTask for LocalStore {
    async fn put_task(&self, task: &BulkTask) -> Result<(), StoreError> {
        let t = task.clone();
        let (created, started, finished) = (
            to_i64(t.created)?,
            t.started.map(to_i64).transpose()?,
            t.finished.map(to_i64).transpose()?,
        );
        self.with_conn(move |conn| {
            let n = conn
                .execute(
                    &format!(
                        "INSERT INTO tasks ({TASK_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                         ON CONFLICT (task_id) DO NOTHING"
                    ),
                    rusqlite::params![
                        t.task_id,
                        t.owner,
                        t.status.as_str(),
                        t.count,
                        t.done,
                        created,
                        started,
                        finished,
                        t.error,
                        t.job_key,
                        t.bundle_key,
                        t.request_hash
                    ],
                )
                .map_err(sqlite_error)?;
            inserted(n)
        })
        .await
    }
}

impl GetTask for LocalStore {
    async fn get_task(&self, task_id: &str) -> Result<Option<BulkTask>, StoreError> {
        let id = task_id.to_owned();
        let row = self
            .with_conn(move |conn| {
                conn.query_row(
                    &format!("SELECT {TASK_COLUMNS} FROM tasks WHERE task_id = ?1"),
                    [&id],
                    task_of,
                )
                .optional()
                .map_err(sqlite_error)
            })
            .await?;
        row.map(|(mut task, status)| {
            task.status = TaskStatus::parse(&status)
                .ok_or_else(|| StoreError::corrupt("unknown task status"))?;
            Ok(task)
        })
        .transpose()
    }
}

impl UpdateTask for LocalStore {
    async fn update_task(&self, task_id: &str, update: &TaskUpdate) -> Result<bool, StoreError> {
        let id = task_id.to_owned();
        let update = update.clone();
        self.with_conn(move |conn| {
            let n = match update {
                TaskUpdate::Start { now } => conn.execute(
                    "UPDATE tasks SET status = 'running', started = COALESCE(started, ?2), done = 0
                     WHERE task_id = ?1 AND status IN ('pending', 'running')",
                    rusqlite::params![id, to_i64(now)?],
                ),
                TaskUpdate::Progress { done } => conn.execute(
                    "UPDATE tasks SET done = ?2 WHERE task_id = ?1 AND status = 'running'",
                    rusqlite::params![id, done],
                ),
                TaskUpdate::Complete { now } => conn.execute(
                    "UPDATE tasks SET status = 'completed', done = count, finished = ?2
                     WHERE task_id = ?1 AND status = 'running'",
                    rusqlite::params![id, to_i64(now)?],
                ),
                TaskUpdate::Fail { now, error } => conn.execute(
                    "UPDATE tasks SET status = 'failed', error = ?3, finished = ?2
                     WHERE task_id = ?1 AND status IN ('pending', 'running')",
                    rusqlite::params![id, to_i64(now)?, error],
                ),
            }
            .map_err(sqlite_error)?;
            Ok(n == 1)
        })
        .await
    }
}

/// File work on tokio's blocking pool.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::unavailable("file task failed", false, e))?
}

impl PutObject for LocalStore {
    async fn put_object(
        &self,
        key: &str,
        bytes: Vec<u8>,
        _content_type: &str,
    ) -> Result<(), StoreError> {
        let path = key_path(&self.objects_dir(), key)?;
        blocking(move || write_atomically(&path, &bytes)).await
    }
}

impl GetObject for LocalStore {
    async fn get_object(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let path = key_path(&self.objects_dir(), key)?;
        blocking(move || match std::fs::read(&path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::unavailable("cannot read object", false, e)),
        })
        .await
    }
}

impl MultipartUpload for LocalStore {
    async fn create_upload(&self, key: &str, _content_type: &str) -> Result<String, StoreError> {
        key_path(&self.objects_dir(), key)?;
        let mut raw = [0u8; 16];
        getrandom::fill(&mut raw).map_err(|e| {
            StoreError::unavailable("no randomness", false, std::io::Error::other(e.to_string()))
        })?;
        let id = crate::api::auth::hex(&raw);
        let dir = self.uploads_dir().join(&id);
        blocking(move || {
            std::fs::create_dir_all(&dir).map_err(io_error("cannot create upload directory"))
        })
        .await?;
        Ok(id)
    }

    async fn upload_part(
        &self,
        _key: &str,
        upload_id: &str,
        part_number: i32,
        bytes: Vec<u8>,
    ) -> Result<String, StoreError> {
        let dir = key_path(&self.uploads_dir(), upload_id)?;
        blocking(move || {
            if !dir.is_dir() {
                return Err(StoreError::Invalid {
                    reason: "no such upload",
                });
            }
            write_atomically(&dir.join(format!("{part_number:05}")), &bytes)?;
            Ok(format!("\"part-{part_number}-{}\"", bytes.len()))
        })
        .await
    }

    async fn complete_upload(
        &self,
        key: &str,
        upload_id: &str,
        parts: Vec<(i32, String)>,
    ) -> Result<(), StoreError> {
        let dir = key_path(&self.uploads_dir(), upload_id)?;
        let target = key_path(&self.objects_dir(), key)?;
        blocking(move || {
            use std::io::Write;
            if let Some(d) = target.parent() {
                std::fs::create_dir_all(d).map_err(io_error("cannot create object directory"))?;
            }
            let tmp = target.with_extension(format!("tmp-{}", std::process::id()));
            let mut out = std::io::BufWriter::new(
                std::fs::File::create(&tmp).map_err(io_error("cannot create object"))?,
            );
            for (n, _) in &parts {
                let mut part = std::fs::File::open(dir.join(format!("{n:05}")))
                    .map_err(io_error("a part is missing"))?;
                std::io::copy(&mut part, &mut out).map_err(io_error("cannot join parts"))?;
            }
            out.flush().map_err(io_error("cannot write object"))?;
            drop(out);
            std::fs::rename(&tmp, &target).map_err(io_error("cannot rename object into place"))?;
            let _ = std::fs::remove_dir_all(&dir);
            Ok(())
        })
        .await
    }

    async fn abort_upload(&self, _key: &str, upload_id: &str) -> Result<(), StoreError> {
        let dir = key_path(&self.uploads_dir(), upload_id)?;
        blocking(move || match std::fs::remove_dir_all(&dir) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::unavailable("cannot remove upload", false, e)),
        })
        .await
    }
}

impl PresignGet for LocalStore {
    async fn presign_get(
        &self,
        key: &str,
        expires_in: u64,
        now: u64,
    ) -> Result<String, StoreError> {
        key_path(&self.objects_dir(), key)?;
        let expires = now + expires_in;
        let sig = self.url_mac(key, expires).await?;
        Ok(format!(
            "{OBJECT_URL_PREFIX}{key}?expires={expires}&sig={sig}"
        ))
    }
}

impl SendMessage for LocalStore {
    async fn send_message(&self, body: &str) -> Result<(), StoreError> {
        let body = body.to_owned();
        self.with_conn(move |conn| {
            conn.execute(
                "INSERT INTO queue (body, visible_at) VALUES (?1, 0)",
                [&body],
            )
            .map(|_| ())
            .map_err(sqlite_error)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_never_leave_the_objects_directory() {
        let root = Path::new("/data/objects");
        // 0..1: ours
        assert!(key_path(root, "jobs/abc.json").is_ok());
        assert!(key_path(root, "bundles/abc.zip").is_ok());
        // 2..: escapes
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a\\b",
            "a//b",
            "./a",
        ] {
            assert!(key_path(root, bad).is_err(), "{bad}");
        }
    }
}
