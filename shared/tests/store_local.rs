//! The SQLite adapter against the shared store cases, plus what only a file
//! can show (reopening, two handles on one file).
#![cfg(feature = "local")]

mod store_cases;

use std::path::PathBuf;

use shared::store::local::{LocalStore, DB_FILE, SCHEMA_VERSION};
use shared::store::{ApiKeyRecord, GetApiKey, GetOrCreateSecret, PutApiKey};
use store_cases::unique;

/// A fresh data directory under the system temp dir, removed on drop.
struct DataDir(PathBuf);

impl DataDir {
    fn new() -> Self {
        DataDir(std::env::temp_dir().join(unique("gs1codes-store-test")))
    }
}

impl Drop for DataDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test]
async fn put_then_get() {
    let dir = DataDir::new();
    store_cases::put_then_get(&LocalStore::open(&dir.0).unwrap()).await;
}

#[tokio::test]
async fn put_twice_conflicts() {
    let dir = DataDir::new();
    store_cases::put_twice_conflicts(&LocalStore::open(&dir.0).unwrap()).await;
}

#[tokio::test]
async fn secret_created_once() {
    let dir = DataDir::new();
    store_cases::secret_created_once(&LocalStore::open(&dir.0).unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn secret_race_between_handles_on_one_file() {
    // Each `open` is its own connection, as a second process would have.
    let dir = DataDir::new();
    let handles = (0..4).map(|_| LocalStore::open(&dir.0).unwrap()).collect();
    store_cases::secret_race(handles).await;
}

#[tokio::test]
async fn rate_counts_roll_over_at_fixed_times() {
    let dir = DataDir::new();
    store_cases::rate::counts_roll_over_at_fixed_times(&LocalStore::open(&dir.0).unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rate_limit_admits_exactly_the_limit_under_concurrency() {
    // Four connections on one file, as the server and the key tools would have.
    let dir = DataDir::new();
    let handles = (0..4).map(|_| LocalStore::open(&dir.0).unwrap()).collect();
    let admitted = store_cases::rate::exactly_the_limit_under_concurrency(handles).await;
    println!("local store: limit 20, 50 concurrent requests, {admitted} admitted");
}

#[tokio::test]
async fn keys_are_listed_and_changed() {
    let dir = DataDir::new();
    store_cases::rate::keys_are_listed_and_changed(&LocalStore::open(&dir.0).unwrap()).await;
}

#[tokio::test]
async fn open_creates_the_directory_and_one_file() {
    let dir = DataDir::new();
    let nested = dir.0.join("a").join("b");
    let store = LocalStore::open(&nested).unwrap();
    assert_eq!(store.path(), nested.join(DB_FILE));
    assert!(store.path().is_file());
}

#[tokio::test]
async fn reopen_keeps_keys_secrets_and_schema_version() {
    let dir = DataDir::new();
    let rec = ApiKeyRecord {
        key_hash: unique("persist"),
        prefix: "csb_Keep".to_owned(),
        created_at: 42,
        revoked: false,
        tier: "default".to_owned(),
        suspended: false,
    };
    {
        let store = LocalStore::open(&dir.0).unwrap();
        store.put_api_key(&rec).await.unwrap();
        store
            .get_or_create_secret("hmac", || vec![9; 32])
            .await
            .unwrap();
    }
    // WHEN the file is opened again (schema creation must be idempotent)
    let store = LocalStore::open(&dir.0).unwrap();
    assert_eq!(store.get_api_key(&rec.key_hash).await.unwrap(), Some(rec));
    let secret = store
        .get_or_create_secret("hmac", || panic!("secret lost on reopen"))
        .await
        .unwrap();
    assert_eq!(secret, vec![9; 32]);
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    let version: i32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!((version, mode.as_str()), (SCHEMA_VERSION, "wal"));
}

#[tokio::test]
async fn a_newer_schema_is_refused() {
    // GIVEN a file written by a later build
    let dir = DataDir::new();
    let path = LocalStore::open(&dir.0).unwrap().path().to_owned();
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    // THEN this build will not touch it
    let err = LocalStore::open(&dir.0).expect_err("newer schema must be refused");
    assert!(err.to_string().contains("newer"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_writer_waits_for_the_lock_instead_of_failing() {
    // GIVEN another connection holding the write lock for a moment, as
    // `make key` would while `make run` serves
    let dir = DataDir::new();
    let store = LocalStore::open(&dir.0).unwrap();
    let mut other = rusqlite::Connection::open(store.path()).unwrap();
    let holder = std::thread::spawn(move || {
        let tx = other
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        tx.commit().unwrap();
    });
    std::thread::sleep(std::time::Duration::from_millis(50));
    // WHEN this store writes meanwhile, THEN it waits (busy_timeout) and succeeds
    let rec = ApiKeyRecord {
        key_hash: unique("busy"),
        prefix: "csb_Busy".to_owned(),
        created_at: 1,
        revoked: false,
        tier: "default".to_owned(),
        suspended: false,
    };
    store.put_api_key(&rec).await.unwrap();
    holder.join().unwrap();
    assert_eq!(store.get_api_key(&rec.key_hash).await.unwrap(), Some(rec));
}

#[test]
fn processes_opening_a_new_file_at_once_all_succeed() {
    // GIVEN no file yet, WHEN several connections open it at the same moment
    // (switching to WAL and creating the schema), THEN none fails on the lock.
    let dir = DataDir::new();
    let barrier = std::sync::Barrier::new(4);
    std::thread::scope(|s| {
        let opens: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    barrier.wait();
                    LocalStore::open(&dir.0).map(|_| ())
                })
            })
            .collect();
        for open in opens {
            open.join().unwrap().unwrap();
        }
    });
}

/// The bulk-job cases, on the local adapter: each on a fresh data directory; the
/// races on separate handles (connections) to one file, as separate processes would.
mod bulk_cases {
    use super::{store_cases::bulk, DataDir, LocalStore};

    fn open(dir: &DataDir) -> LocalStore {
        LocalStore::open(&dir.0).unwrap()
    }

    #[tokio::test]
    async fn task_put_then_get() {
        let dir = DataDir::new();
        bulk::task_put_then_get(&open(&dir)).await;
    }

    #[tokio::test]
    async fn task_put_twice_conflicts() {
        let dir = DataDir::new();
        bulk::task_put_twice_conflicts(&open(&dir)).await;
    }

    #[tokio::test]
    async fn task_transitions() {
        let dir = DataDir::new();
        bulk::task_transitions(&open(&dir)).await;
    }

    #[tokio::test]
    async fn task_restart_keeps_started() {
        let dir = DataDir::new();
        bulk::task_restart_keeps_started(&open(&dir)).await;
    }

    #[tokio::test]
    async fn task_start_race() {
        let dir = DataDir::new();
        bulk::task_start_race((0..4).map(|_| open(&dir)).collect()).await;
    }

    #[tokio::test]
    async fn task_complete_fail_race() {
        let dir = DataDir::new();
        bulk::task_complete_fail_race((0..4).map(|_| open(&dir)).collect()).await;
    }

    #[tokio::test]
    async fn object_put_then_get() {
        let dir = DataDir::new();
        bulk::object_put_then_get(&open(&dir)).await;
    }

    #[tokio::test]
    async fn multipart_joins_parts() {
        let dir = DataDir::new();
        bulk::multipart_joins_parts(&open(&dir)).await;
    }

    #[tokio::test]
    async fn multipart_abort_leaves_nothing() {
        let dir = DataDir::new();
        bulk::multipart_abort_leaves_nothing(&open(&dir)).await;
    }

    /// Our signer checks what moto does not: the signature and the expiry.
    #[tokio::test]
    async fn presigned_downloads_check_signature_and_expiry() {
        use shared::store::{PresignGet, PutObject};
        let dir = DataDir::new();
        let store = open(&dir);
        store
            .put_object("bundles/x.zip", b"zip".to_vec(), "application/zip")
            .await
            .unwrap();
        let url = store.presign_get("bundles/x.zip", 60, 1_000).await.unwrap();
        let (path, query) = url.split_once('?').unwrap();
        assert_eq!(path, "/local/objects/bundles/x.zip");
        let param = |k: &str| {
            query
                .split('&')
                .find_map(|p| p.strip_prefix(&format!("{k}=")))
                .unwrap()
                .to_string()
        };
        let (expires, sig) = (param("expires").parse::<u64>().unwrap(), param("sig"));
        assert_eq!(expires, 1_060);
        let open_at = |key: &str, exp: u64, sig: &str, now: u64| {
            let store = store.clone();
            let (key, sig) = (key.to_string(), sig.to_string());
            async move { store.signed_object(&key, exp, &sig, now).await.unwrap() }
        };
        // 0: within its time
        assert!(open_at("bundles/x.zip", expires, &sig, 1_059)
            .await
            .is_some());
        // 1: expired
        assert!(open_at("bundles/x.zip", expires, &sig, 1_061)
            .await
            .is_none());
        // 2: expiry extended
        assert!(open_at("bundles/x.zip", expires + 3600, &sig, 1_000)
            .await
            .is_none());
        // 3: another key with the same signature
        assert!(open_at("bundles/y.zip", expires, &sig, 1_000)
            .await
            .is_none());
        // 4: a changed signature
        let mut bad = sig.clone().into_bytes();
        bad[0] = if bad[0] == b'0' { b'1' } else { b'0' };
        let bad = String::from_utf8(bad).unwrap();
        assert!(open_at("bundles/x.zip", expires, &bad, 1_000)
            .await
            .is_none());
    }
}

/// The scan-store cases (sessions, captures, products) on the local adapter.
mod scan_cases {
    use super::{store_cases::scan, DataDir, LocalStore};

    fn open(dir: &DataDir) -> LocalStore {
        LocalStore::open(&dir.0).unwrap()
    }

    #[tokio::test]
    async fn session_put_get_close() {
        let dir = DataDir::new();
        scan::session_put_get_close(&open(&dir)).await;
    }

    #[tokio::test]
    async fn capture_put_get_keeps_every_field() {
        let dir = DataDir::new();
        scan::capture_put_get_keeps_every_field(&open(&dir)).await;
    }

    #[tokio::test]
    async fn captures_list_in_pages() {
        let dir = DataDir::new();
        scan::captures_list_in_pages(&open(&dir)).await;
    }

    #[tokio::test]
    async fn a_pending_capture_is_finished_once() {
        let dir = DataDir::new();
        scan::a_pending_capture_is_finished_once(&open(&dir)).await;
    }

    #[tokio::test]
    async fn products_put_replace_get() {
        let dir = DataDir::new();
        scan::products_put_replace_get(&open(&dir)).await;
    }
}
