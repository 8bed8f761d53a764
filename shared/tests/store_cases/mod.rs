//! Behaviour cases every store adapter must pass, written once and called by
//! `store_local.rs` and `store_aws.rs` with their own adapter.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use shared::store::{ApiKeyRecord, GetApiKey, GetOrCreateSecret, PutApiKey, StoreError};
use tokio::sync::Barrier;

// Not every adapter's test file runs the bulk cases yet.
#[allow(dead_code)]
pub mod bulk;
pub mod rate;
pub mod scan;

/// A name no other test, run or process uses: pid, clock and a counter.
pub fn unique(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_nanos();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}-{}-{nanos:x}-{n}", std::process::id())
}

fn record(key_hash: &str) -> ApiKeyRecord {
    ApiKeyRecord {
        key_hash: key_hash.to_owned(),
        prefix: "csb_AbCd".to_owned(),
        created_at: 1_767_225_600, // 2026-01-01T00:00:00Z
        revoked: false,
        tier: "default".to_owned(),
        suspended: false,
    }
}

/// A stored key reads back equal, a missing one is `None`.
pub async fn put_then_get<S: PutApiKey + GetApiKey>(store: &S) {
    let rows = [
        // 0: an active key
        record(&unique("active")),
        // 1: a revoked key keeps its flag
        ApiKeyRecord {
            revoked: true,
            ..record(&unique("revoked"))
        },
        // 2: created_at at the top of i64 (SQLite's integer range)
        ApiKeyRecord {
            created_at: i64::MAX as u64,
            ..record(&unique("late"))
        },
    ];
    for (i, rec) in rows.iter().enumerate() {
        store
            .put_api_key(rec)
            .await
            .unwrap_or_else(|e| panic!("row {i}: put: {e}"));
        let got = store
            .get_api_key(&rec.key_hash)
            .await
            .unwrap_or_else(|e| panic!("row {i}: get: {e}"));
        assert_eq!(got.as_ref(), Some(rec), "row {i}");
    }
    let missing = store
        .get_api_key(&unique("missing"))
        .await
        .expect("get missing");
    assert_eq!(missing, None);
}

/// A second put with the same hash is a conflict and changes nothing.
pub async fn put_twice_conflicts<S: PutApiKey + GetApiKey>(store: &S) {
    let first = record(&unique("dup"));
    store.put_api_key(&first).await.expect("first put");

    // WHEN a different record arrives under the same hash
    let second = ApiKeyRecord {
        prefix: "csb_Other".to_owned(),
        revoked: true,
        ..first.clone()
    };
    let err = store
        .put_api_key(&second)
        .await
        .expect_err("second put must fail");

    // THEN it is refused as a conflict and the first one stays
    assert!(matches!(err, StoreError::Conflict), "got {err:?}");
    assert!(!err.is_retryable());
    let got = store.get_api_key(&first.key_hash).await.expect("get");
    assert_eq!(got, Some(first));
}

/// A secret is made once; later calls return it without calling `make`.
pub async fn secret_created_once<S: GetOrCreateSecret>(store: &S) {
    let name = unique("secret");
    let made = store
        .get_or_create_secret(&name, || vec![7; 32])
        .await
        .expect("create");
    assert_eq!(made, vec![7; 32]);
    let again = store
        .get_or_create_secret(&name, || panic!("make called for an existing secret"))
        .await
        .expect("get");
    assert_eq!(again, made);
}

/// Handles racing to create the same secret all get the one that was stored.
///
/// GIVEN several handles (separate connections or clients) on one store,
/// WHEN they all ask for a missing secret at the same moment, each offering
/// different bytes, THEN every one of them returns the same bytes, which are
/// one of the candidates, and a later caller gets those bytes too.
pub async fn secret_race<S: GetOrCreateSecret + Clone + 'static>(handles: Vec<S>) {
    assert!(handles.len() >= 2, "a race needs two handles");
    for round in 0..5 {
        let name = unique("race");
        let barrier = Arc::new(Barrier::new(handles.len()));
        let tasks: Vec<_> = handles
            .iter()
            .enumerate()
            .map(|(i, handle)| {
                let (handle, barrier, name) = (handle.clone(), barrier.clone(), name.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    handle
                        .get_or_create_secret(&name, move || vec![i as u8; 32])
                        .await
                })
            })
            .collect();
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.expect("task").expect("get_or_create_secret"));
        }
        let winner = results[0].clone();
        assert!(
            results.iter().all(|r| *r == winner),
            "round {round}: handles disagree: {results:?}"
        );
        assert!(
            (0..handles.len()).any(|i| winner == vec![i as u8; 32]),
            "round {round}: not a candidate"
        );
        let later = handles[0]
            .get_or_create_secret(&name, || panic!("make called after the race"))
            .await
            .expect("later get");
        assert_eq!(later, winner, "round {round}");
    }
}
