//! Embedded adapter for `make run` and `make key`: one SQLite file,
//! `gs1codes.sqlite3`, under the data directory.
//!
//! The file is in WAL mode with a busy timeout, so a second process (`make key`
//! while `make run` serves) can write at the same time: readers never block,
//! and a writer waits up to [`BUSY_TIMEOUT`] for the other's write lock instead
//! of failing at once. The schema is created idempotently and versioned with
//! SQLite's `user_version` pragma ([`SCHEMA_VERSION`]) for later migrations.
//!
//! ```no_run
//! # async fn demo() -> Result<(), shared::store::StoreError> {
//! use shared::store::{local::LocalStore, GetApiKey};
//! let store = LocalStore::open(std::path::Path::new("data"))?;
//! let key = store.get_api_key("00ff...").await?;
//! # Ok(()) }
//! ```

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior};

use super::{GetOrCreateSecret, StoreError};

mod bulk;
mod keys;
mod scan;

pub use bulk::{QueuedMessage, OBJECT_URL_PREFIX};

/// The database file's name inside the data directory.
pub const DB_FILE: &str = "gs1codes.sqlite3";
/// The schema this build writes, kept in `PRAGMA user_version`.
pub const SCHEMA_VERSION: i32 = 4;
/// How long a write waits for another connection's lock before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Version 0 -> 1. Each later migration is one more step, run in order.
const SCHEMA_V1: &str = "
CREATE TABLE IF NOT EXISTS api_keys (
    key_hash   TEXT PRIMARY KEY NOT NULL,
    prefix     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS secrets (
    name  TEXT PRIMARY KEY NOT NULL,
    value BLOB NOT NULL
) WITHOUT ROWID;
";

/// Version 1 -> 2: bulk tasks and the durable queue the local bundler works.
const SCHEMA_V2: &str = "
CREATE TABLE IF NOT EXISTS tasks (
    task_id      TEXT PRIMARY KEY NOT NULL,
    owner        TEXT NOT NULL,
    status       TEXT NOT NULL,
    count        INTEGER NOT NULL,
    done         INTEGER NOT NULL,
    created      INTEGER NOT NULL,
    started      INTEGER,
    finished     INTEGER,
    error        TEXT,
    job_key      TEXT NOT NULL,
    bundle_key   TEXT NOT NULL,
    request_hash TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS queue (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    body       TEXT NOT NULL,
    visible_at INTEGER NOT NULL,
    receives   INTEGER NOT NULL DEFAULT 0
);
";

/// Version 2 -> 3: scan sessions, captures and products.
const SCHEMA_V3: &str = "
CREATE TABLE IF NOT EXISTS scan_sessions (
    public_id   TEXT PRIMARY KEY NOT NULL,
    owner       TEXT NOT NULL,
    cookie_hash TEXT NOT NULL,
    created     INTEGER NOT NULL,
    closed      INTEGER
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS captures (
    public_id          TEXT PRIMARY KEY NOT NULL,
    session_public_id  TEXT NOT NULL,
    owner              TEXT NOT NULL,
    status             TEXT NOT NULL,
    capture_type       TEXT NOT NULL,
    raw_value          TEXT NOT NULL,
    gtin               TEXT NOT NULL,
    error_message      TEXT,
    gs1_dl_data        TEXT NOT NULL,
    product_public_id  TEXT,
    product_name       TEXT,
    uploaded_image_key TEXT,
    created            INTEGER NOT NULL,
    processed_at       INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS captures_by_session ON captures (session_public_id, created, public_id);
CREATE TABLE IF NOT EXISTS products (
    gtin      TEXT PRIMARY KEY NOT NULL,
    public_id TEXT NOT NULL,
    name      TEXT NOT NULL,
    brand     TEXT NOT NULL
) WITHOUT ROWID;
";

/// Version 3 -> 4: key tiers and suspension, and the rate-limit counters (one row
/// per client and window length, holding the current window's start and count).
const SCHEMA_V4: &str = "
ALTER TABLE api_keys ADD COLUMN tier TEXT NOT NULL DEFAULT 'default';
ALTER TABLE api_keys ADD COLUMN suspended INTEGER NOT NULL DEFAULT 0;
CREATE TABLE IF NOT EXISTS rate_counters (
    client  TEXT NOT NULL,
    seconds INTEGER NOT NULL,
    start   INTEGER NOT NULL,
    count   INTEGER NOT NULL,
    PRIMARY KEY (client, seconds)
) WITHOUT ROWID;
";

/// The SQLite adapter. Cloning is cheap: clones share one connection.
///
/// rusqlite is synchronous and a write may sleep up to [`BUSY_TIMEOUT`] on
/// another process's lock, so every call runs on tokio's blocking pool
/// (`spawn_blocking`) rather than on an async worker thread. Inside it, the
/// connection sits behind a `std::sync::Mutex` held only for the statement or
/// transaction at hand: one connection serialises this process's writes, which
/// SQLite would do anyway, and keeps the handle `Send + Sync`.
#[derive(Clone)]
pub struct LocalStore {
    conn: Arc<Mutex<Connection>>,
    path: Arc<PathBuf>,
}

impl fmt::Debug for LocalStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl LocalStore {
    /// Opens (creating if needed) `data_dir` and `data_dir/gs1codes.sqlite3`,
    /// switches it to WAL mode and brings the schema to [`SCHEMA_VERSION`].
    ///
    /// Blocking: call it once at start-up, before serving.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| StoreError::unavailable("cannot create data directory", false, e))?;
        // SQLite says only "unable to open database file" on a read-only file system:
        // a file of our own tells the two apart, so the start-up error says which.
        let probe = data_dir.join(".write-test");
        match std::fs::write(&probe, b"") {
            Ok(()) => {
                let _ = std::fs::remove_file(&probe);
            }
            Err(e) if e.kind() == std::io::ErrorKind::ReadOnlyFilesystem => {
                return Err(StoreError::unavailable(
                    "data directory is read-only",
                    false,
                    e,
                ))
            }
            Err(e) => {
                return Err(StoreError::unavailable(
                    "cannot write to the data directory",
                    false,
                    e,
                ))
            }
        }
        let path = data_dir.join(DB_FILE);
        let mut conn = Connection::open(&path).map_err(sqlite_error)?;
        // Before anything that can meet another process's lock.
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sqlite_error)?;
        // SQLite answers SQLITE_BUSY at once, without the busy handler, when
        // two connections switch a new file to WAL or create the schema at the
        // same moment (it would otherwise deadlock), so retry that here.
        let deadline = Instant::now() + BUSY_TIMEOUT;
        loop {
            match prepare(&mut conn) {
                Err(e) if e.is_retryable() && Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                result => break result?,
            }
        }
        Ok(LocalStore {
            conn: Arc::new(Mutex::new(conn)),
            path: Arc::new(path),
        })
    }

    /// Where [`LocalStore::open`] keeps the database for `data_dir` (so a caller can
    /// tell a first start from a later one).
    pub fn file_path(data_dir: &Path) -> std::path::PathBuf {
        data_dir.join(DB_FILE)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The data directory (the database file's folder).
    pub fn data_dir(&self) -> &Path {
        self.path.parent().unwrap_or_else(|| Path::new("."))
    }

    /// Runs `f` with the connection on tokio's blocking pool.
    pub(crate) async fn with_conn<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            // A panic while holding the lock cannot leave SQLite half-written
            // (an open transaction rolls back on drop), so a poisoned lock is
            // still a usable connection.
            let mut guard = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard)
        })
        .await
        .map_err(|e| StoreError::unavailable("sqlite task failed", false, e))?
    }
}

impl LocalStore {
    /// Runs a point read `f` on the calling (async) thread when the connection is free,
    /// else as [`LocalStore::with_conn`] does. A read by primary key takes a few
    /// microseconds and, in WAL mode, never waits for a writer; the hop to the blocking
    /// pool (a futex wake-up, two context switches) cost several times that, and under
    /// load most of a request's time went to such hops (`make load`'s flame graph).
    /// Writes keep to the blocking pool: they may wait up to [`BUSY_TIMEOUT`] for
    /// another process's lock.
    pub(crate) async fn read_now<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        // The guard must be gone before the await (a MutexGuard is not Send).
        let f = match self.conn.try_lock() {
            Ok(mut guard) => return f(&mut guard),
            // As in `with_conn`: an open transaction rolled back when its holder panicked.
            Err(std::sync::TryLockError::Poisoned(p)) => return f(&mut p.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => f,
        };
        self.with_conn(f).await
    }
}

/// Puts the connection in WAL mode and the schema at [`SCHEMA_VERSION`].
fn prepare(conn: &mut Connection) -> Result<(), StoreError> {
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        .map_err(sqlite_error)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Unavailable {
            reason: "sqlite refused WAL mode",
            retryable: false,
            source: None,
        });
    }
    // In WAL mode NORMAL survives an application crash; only a power cut
    // can lose the last commits, which is fine for a local server.
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(sqlite_error)?;
    migrate(conn)
}

/// Brings the schema from whatever `user_version` says up to [`SCHEMA_VERSION`],
/// inside one write transaction so two processes opening at once do it once.
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sqlite_error)?;
    let version: i32 = tx
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(sqlite_error)?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::corrupt(
            "database schema is newer than this build",
        ));
    }
    if version < 1 {
        tx.execute_batch(SCHEMA_V1).map_err(sqlite_error)?;
    }
    if version < 2 {
        tx.execute_batch(SCHEMA_V2).map_err(sqlite_error)?;
    }
    if version < 3 {
        tx.execute_batch(SCHEMA_V3).map_err(sqlite_error)?;
    }
    if version < 4 {
        tx.execute_batch(SCHEMA_V4).map_err(sqlite_error)?;
    }
    if version != SCHEMA_VERSION {
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(sqlite_error)?;
    }
    tx.commit().map_err(sqlite_error)
}

/// An insert's row count as an outcome: no row inserted means the key exists.
pub(crate) fn inserted(rows: usize) -> Result<(), StoreError> {
    if rows == 0 {
        Err(StoreError::Conflict)
    } else {
        Ok(())
    }
}

/// A Unix time or count as SQLite's integer.
pub(crate) fn to_i64(n: u64) -> Result<i64, StoreError> {
    i64::try_from(n).map_err(|_| StoreError::Invalid {
        reason: "number beyond i64",
    })
}

/// Maps SQLite's errors to short reasons; lock contention is retryable.
pub(crate) fn sqlite_error(e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            StoreError::unavailable("sqlite database is locked", true, e)
        }
        // A full or read-only DATA_DIR: SQLite rolls the statement back and the file
        // stays whole; the caller gets a 503 until space or write access is back.
        Some(ErrorCode::DiskFull) => StoreError::unavailable("data directory is full", true, e),
        Some(ErrorCode::ReadOnly) => {
            StoreError::unavailable("data directory is read-only", true, e)
        }
        Some(ErrorCode::CannotOpen | ErrorCode::SystemIoFailure) => {
            StoreError::unavailable("cannot read or write the data directory", true, e)
        }
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StoreError::Corrupt {
            reason: "sqlite file is damaged",
            source: Some(e.into()),
        },
        _ => match e {
            rusqlite::Error::FromSqlConversionFailure(..)
            | rusqlite::Error::InvalidColumnType(..)
            | rusqlite::Error::IntegralValueOutOfRange(..) => StoreError::Corrupt {
                reason: "unexpected value in sqlite row",
                source: Some(e.into()),
            },
            e => StoreError::unavailable("sqlite error", false, e),
        },
    }
}

impl GetOrCreateSecret for LocalStore {
    async fn get_or_create_secret(
        &self,
        name: &str,
        make: impl FnOnce() -> Vec<u8> + Send,
    ) -> Result<Vec<u8>, StoreError> {
        let lookup = name.to_owned();
        let stored = self
            .with_conn(move |conn| {
                conn.query_row(
                    "SELECT value FROM secrets WHERE name = ?1",
                    [&lookup],
                    |row| row.get::<_, Vec<u8>>(0),
                )
                .optional()
                .map_err(sqlite_error)
            })
            .await?;
        if let Some(value) = stored {
            return Ok(value);
        }
        // `make` need not be 'static, so it runs here rather than on the
        // blocking pool; the insert and the read-back are one transaction, so
        // whoever loses the race reads the winner's bytes.
        let candidate = make();
        let name = name.to_owned();
        self.with_conn(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(sqlite_error)?;
            tx.execute(
                "INSERT INTO secrets (name, value) VALUES (?1, ?2)
                 ON CONFLICT (name) DO NOTHING",
                (&name, &candidate),
            )
            .map_err(sqlite_error)?;
            let value = tx
                .query_row(
                    "SELECT value FROM secrets WHERE name = ?1",
                    [&name],
                    |row| row.get::<_, Vec<u8>>(0),
                )
                .map_err(sqlite_error)?;
            tx.commit().map_err(sqlite_error)?;
            Ok(value)
        })
        .await
    }
}
