//! Behaviour cases of the bulk-job traits (tasks, objects, multipart uploads),
//! generic over the traits only, for every adapter.
//!
//! What the traits promise under concurrency, and what these cases hold
//! every adapter to:
//! - `Start` is not a lock: it applies from `pending` and from `running`, so
//!   concurrent Starts (a redelivered message while the first bundler still
//!   runs) all return `Ok(true)`, and `started` is the time of whichever
//!   applied first.
//! - `Complete` and `Fail` are final: when they race on a running task,
//!   exactly one applies and the other is `Ok(false)`.

use std::sync::Arc;

use shared::store::{
    BulkTask, GetObject, GetTask, MultipartUpload, PutObject, PutTask, StoreError, TaskStatus,
    TaskUpdate, UpdateTask,
};
use tokio::sync::Barrier;

use super::unique;

/// 2026-01-01T00:00:00Z: when every case task was created.
pub const CREATED: u64 = 1_767_225_600;
/// Items of every case task.
const COUNT: u32 = 20;
/// The smallest S3 part but the last: 5 MiB.
pub const MIN_PART: usize = 5 * 1024 * 1024;

/// A pending task with a fresh id.
pub fn pending_task() -> BulkTask {
    BulkTask::pending(
        unique("task"),
        "rl_0123abcd".to_owned(),
        COUNT,
        CREATED,
        "zip",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".to_owned(),
    )
}

/// What `update` does to `task` by the trait's rules: `None` if refused.
pub fn apply(task: &BulkTask, update: &TaskUpdate) -> Option<BulkTask> {
    use TaskStatus::{Pending, Running};
    let mut t = task.clone();
    match (task.status, update) {
        (Pending | Running, TaskUpdate::Start { now }) => {
            t.status = Running;
            t.started = t.started.or(Some(*now));
            t.done = 0;
        }
        (Running, TaskUpdate::Progress { done }) => t.done = *done,
        (Running, TaskUpdate::Complete { now }) => {
            t.status = TaskStatus::Completed;
            t.done = t.count;
            t.finished = Some(*now);
        }
        (Pending | Running, TaskUpdate::Fail { now, error }) => {
            t.status = TaskStatus::Failed;
            t.error = Some(error.clone());
            t.finished = Some(*now);
        }
        _ => return None,
    }
    Some(t)
}

/// The updates that bring a pending task to `status` (running: started and
/// partly rendered).
fn path_to(status: TaskStatus) -> Vec<TaskUpdate> {
    let start = TaskUpdate::Start { now: CREATED + 10 };
    let progress = TaskUpdate::Progress { done: 7 };
    match status {
        TaskStatus::Pending => vec![],
        TaskStatus::Running => vec![start, progress],
        TaskStatus::Completed => vec![start, progress, TaskUpdate::Complete { now: CREATED + 60 }],
        TaskStatus::Failed => vec![
            start,
            TaskUpdate::Fail {
                now: CREATED + 30,
                error: "item 3: invalid GTIN check digit".to_owned(),
            },
        ],
    }
}

/// A stored task in `status`, reached through the updates themselves; returns
/// what it must read back as.
pub async fn task_in<S: PutTask + GetTask + UpdateTask>(store: &S, status: TaskStatus) -> BulkTask {
    let mut task = pending_task();
    store.put_task(&task).await.expect("put_task");
    for update in path_to(status) {
        let applied = store
            .update_task(&task.task_id, &update)
            .await
            .expect("update_task");
        assert!(applied, "setup {update:?} to reach {status:?}");
        task = apply(&task, &update).expect("setup path follows the rules");
    }
    assert_eq!(
        store
            .get_task(&task.task_id)
            .await
            .expect("get_task")
            .as_ref(),
        Some(&task),
        "setup to {status:?}"
    );
    task
}

/// Stored tasks read back equal, a missing one is `None`.
pub async fn task_put_then_get<S: PutTask + GetTask>(store: &S) {
    let rows = [
        // 0: a fresh pending task
        pending_task(),
        // 1: every optional field set (a failed task, as an import might write it)
        BulkTask {
            status: TaskStatus::Failed,
            done: 3,
            started: Some(CREATED + 1),
            finished: Some(CREATED + 2),
            error: Some("render failed: ünïcödé ✓".to_owned()),
            ..pending_task()
        },
        // 2: the largest numbers the record holds
        BulkTask {
            count: u32::MAX,
            done: u32::MAX,
            created: i64::MAX as u64,
            ..pending_task()
        },
    ];
    for (i, task) in rows.iter().enumerate() {
        store
            .put_task(task)
            .await
            .unwrap_or_else(|e| panic!("row {i}: put: {e}"));
        let got = store
            .get_task(&task.task_id)
            .await
            .unwrap_or_else(|e| panic!("row {i}: get: {e}"));
        assert_eq!(got.as_ref(), Some(task), "row {i}");
    }
    let missing = store
        .get_task(&unique("missing"))
        .await
        .expect("get missing");
    assert_eq!(missing, None);
}

/// A second put with the same id is a conflict and changes nothing.
pub async fn task_put_twice_conflicts<S: PutTask + GetTask>(store: &S) {
    let first = pending_task();
    store.put_task(&first).await.expect("first put");
    let second = BulkTask {
        owner: "rl_someone_else".to_owned(),
        count: 1,
        ..first.clone()
    };
    let err = store
        .put_task(&second)
        .await
        .expect_err("second put must fail");
    assert!(matches!(err, StoreError::Conflict), "got {err:?}");
    let got = store.get_task(&first.task_id).await.expect("get");
    assert_eq!(got, Some(first));
}

/// Every update from every status: applied exactly when the rules allow it,
/// with the fields the rules give; refused ones change nothing.
pub async fn task_transitions<S: PutTask + GetTask + UpdateTask>(store: &S) {
    let now = CREATED + 100;
    let updates = [
        TaskUpdate::Start { now },
        TaskUpdate::Progress { done: 12 },
        TaskUpdate::Complete { now },
        TaskUpdate::Fail {
            now,
            error: "bundle too large".to_owned(),
        },
    ];
    let statuses = [
        TaskStatus::Pending,
        TaskStatus::Running,
        TaskStatus::Completed,
        TaskStatus::Failed,
    ];
    // Rows: (from status, update, applied?), one per pair.
    #[rustfmt::skip]
    let rows = [
        (TaskStatus::Pending,   0, true),  // 0: start a pending task
        (TaskStatus::Pending,   1, false), // 1: no progress before a start
        (TaskStatus::Pending,   2, false), // 2: no completion before a start
        (TaskStatus::Pending,   3, true),  // 3: fail before any start (bad job file)
        (TaskStatus::Running,   0, true),  // 4: a redelivery restarts: started kept, done 0
        (TaskStatus::Running,   1, true),  // 5: progress
        (TaskStatus::Running,   2, true),  // 6: complete: done = count
        (TaskStatus::Running,   3, true),  // 7: fail
        (TaskStatus::Completed, 0, false), // 8: a completed task never restarts
        (TaskStatus::Completed, 1, false), // 9
        (TaskStatus::Completed, 2, false), // 10
        (TaskStatus::Completed, 3, false), // 11: nor fails afterwards
        (TaskStatus::Failed,    0, false), // 12: a failed task never restarts
        (TaskStatus::Failed,    1, false), // 13
        (TaskStatus::Failed,    2, false), // 14
        (TaskStatus::Failed,    3, false), // 15
    ];
    assert_eq!(rows.len(), statuses.len() * updates.len());
    for (i, (from, u, applies)) in rows.into_iter().enumerate() {
        let update = &updates[u];
        let task = task_in(store, from).await;
        let expected = apply(&task, update);
        assert_eq!(
            expected.is_some(),
            applies,
            "row {i}: the table and the rules disagree"
        );
        let applied = store
            .update_task(&task.task_id, update)
            .await
            .unwrap_or_else(|e| panic!("row {i}: update: {e}"));
        assert_eq!(applied, applies, "row {i}: {from:?} + {update:?}");
        let got = store.get_task(&task.task_id).await.expect("get");
        assert_eq!(
            got,
            Some(expected.unwrap_or(task)),
            "row {i}: {from:?} + {update:?}"
        );
    }
    // A missing task: every update is refused, and none creates it.
    for (i, update) in updates.iter().enumerate() {
        let task_id = unique("missing");
        let applied = store.update_task(&task_id, update).await.expect("update");
        assert!(!applied, "missing row {i}: {update:?}");
        assert_eq!(
            store.get_task(&task_id).await.expect("get"),
            None,
            "missing row {i}"
        );
    }
}

/// A second Start on a running task applies, keeps `started` and resets
/// `done` (the redelivery case, spelled out).
pub async fn task_restart_keeps_started<S: PutTask + GetTask + UpdateTask>(store: &S) {
    let task = task_in(store, TaskStatus::Running).await;
    let first_start = task.started.expect("running has started");
    let applied = store
        .update_task(&task.task_id, &TaskUpdate::Start { now: CREATED + 500 })
        .await
        .expect("second start");
    assert!(applied);
    let got = store
        .get_task(&task.task_id)
        .await
        .expect("get")
        .expect("task");
    assert_eq!(got.started, Some(first_start));
    assert_eq!((got.status, got.done), (TaskStatus::Running, 0));
}

/// Concurrent Starts on one pending task all apply; `started` is one of theirs.
///
/// GIVEN several handles (separate connections or clients) on one store and
/// a pending task, WHEN each sends Start at the same moment with its own
/// `now`, THEN each gets `Ok(true)` and the task is running with `done` 0 and
/// `started` equal to one of the offered times.
pub async fn task_start_race<S>(handles: Vec<S>)
where
    S: PutTask + GetTask + UpdateTask + Clone + 'static,
{
    assert!(handles.len() >= 2, "a race needs two handles");
    for round in 0..3 {
        let task = pending_task();
        handles[0].put_task(&task).await.expect("put");
        let results = race(&handles, &task.task_id, |i| TaskUpdate::Start {
            now: CREATED + 1 + i as u64,
        })
        .await;
        assert!(results.iter().all(|r| *r), "round {round}: {results:?}");
        let got = handles[0]
            .get_task(&task.task_id)
            .await
            .expect("get")
            .expect("task");
        assert_eq!(
            (got.status, got.done),
            (TaskStatus::Running, 0),
            "round {round}"
        );
        let offered = CREATED + 1..CREATED + 1 + handles.len() as u64;
        assert!(
            got.started.is_some_and(|s| offered.contains(&s)),
            "round {round}: started {:?}",
            got.started
        );
    }
}

/// Complete racing Fail on a running task: exactly one applies.
///
/// GIVEN a running task, WHEN half the handles send Complete and the other
/// half Fail at the same moment, THEN exactly one update returns `Ok(true)`
/// and the task's final status is that update's.
pub async fn task_complete_fail_race<S>(handles: Vec<S>)
where
    S: PutTask + GetTask + UpdateTask + Clone + 'static,
{
    assert!(handles.len() >= 2, "a race needs two handles");
    let update = |i: usize| {
        if i.is_multiple_of(2) {
            TaskUpdate::Complete { now: CREATED + 90 }
        } else {
            TaskUpdate::Fail {
                now: CREATED + 90,
                error: format!("handle {i}"),
            }
        }
    };
    for round in 0..5 {
        let task = task_in(&handles[0], TaskStatus::Running).await;
        let results = race(&handles, &task.task_id, update).await;
        let winners: Vec<usize> = (0..results.len()).filter(|&i| results[i]).collect();
        assert_eq!(winners.len(), 1, "round {round}: {results:?}");
        let expected = apply(&task, &update(winners[0])).expect("applies to running");
        let got = handles[0].get_task(&task.task_id).await.expect("get");
        assert_eq!(got, Some(expected), "round {round}");
    }
}

/// Sends `update(i)` from handle `i`, all released at once; the results in
/// handle order.
async fn race<S>(handles: &[S], task_id: &str, update: impl Fn(usize) -> TaskUpdate) -> Vec<bool>
where
    S: UpdateTask + Clone + 'static,
{
    let barrier = Arc::new(Barrier::new(handles.len()));
    let tasks: Vec<_> = handles
        .iter()
        .enumerate()
        .map(|(i, handle)| {
            let (handle, barrier) = (handle.clone(), barrier.clone());
            let (task_id, update) = (task_id.to_owned(), update(i));
            tokio::spawn(async move {
                barrier.wait().await;
                handle.update_task(&task_id, &update).await
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("join").expect("update_task"));
    }
    results
}

/// A fresh object key under a prefix, as the bulk keys are.
pub fn object_key() -> String {
    format!("cases/{}.bin", unique("obj"))
}

/// Objects read back byte for byte, a put replaces, a missing key is `None`.
pub async fn object_put_then_get<S: PutObject + GetObject>(store: &S) {
    let rows: [(&str, Vec<u8>); 3] = [
        // 0: JSON, as a job file
        (
            "application/json",
            br#"{"items":["01/09501101020917"]}"#.to_vec(),
        ),
        // 1: every byte value
        ("application/octet-stream", (0..=255).collect()),
        // 2: empty
        ("application/zip", Vec::new()),
    ];
    for (i, (content_type, bytes)) in rows.iter().enumerate() {
        let key = object_key();
        store
            .put_object(&key, bytes.clone(), content_type)
            .await
            .unwrap_or_else(|e| panic!("row {i}: put: {e}"));
        let got = store
            .get_object(&key)
            .await
            .unwrap_or_else(|e| panic!("row {i}: get: {e}"));
        assert_eq!(got.as_ref(), Some(bytes), "row {i}");
    }
    let key = object_key();
    store
        .put_object(&key, b"first".to_vec(), "text/plain")
        .await
        .expect("put");
    store
        .put_object(&key, b"second".to_vec(), "text/plain")
        .await
        .expect("replace");
    assert_eq!(
        store.get_object(&key).await.expect("get"),
        Some(b"second".to_vec())
    );
    assert_eq!(
        store.get_object(&object_key()).await.expect("get missing"),
        None
    );
}

/// Bytes of a part: a pattern that shows misplaced or missing ranges.
pub fn part_bytes(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8 ^ seed).collect()
}

/// Two parts (the first at the 5 MiB minimum) read back as one object.
pub async fn multipart_joins_parts<S: MultipartUpload + GetObject>(store: &S) {
    let key = object_key();
    let first = part_bytes(MIN_PART, 0);
    let last = part_bytes(1000, 0x5a);
    let upload = store
        .create_upload(&key, "application/zip")
        .await
        .expect("create");
    // Parts may arrive out of order; completion orders them by number.
    let e2 = store
        .upload_part(&key, &upload, 2, last.clone())
        .await
        .expect("part 2");
    let e1 = store
        .upload_part(&key, &upload, 1, first.clone())
        .await
        .expect("part 1");
    assert_eq!(
        store.get_object(&key).await.expect("get"),
        None,
        "visible before complete"
    );
    store
        .complete_upload(&key, &upload, vec![(1, e1), (2, e2)])
        .await
        .expect("complete");
    let got = store.get_object(&key).await.expect("get").expect("object");
    assert_eq!(got.len(), first.len() + last.len());
    assert!(
        got[..MIN_PART] == first[..] && got[MIN_PART..] == last[..],
        "joined bytes differ"
    );
}

/// An aborted upload leaves no object; aborting again is harmless.
pub async fn multipart_abort_leaves_nothing<S: MultipartUpload + GetObject>(store: &S) {
    let key = object_key();
    let upload = store
        .create_upload(&key, "application/zip")
        .await
        .expect("create");
    store
        .upload_part(&key, &upload, 1, part_bytes(1000, 1))
        .await
        .expect("part");
    store.abort_upload(&key, &upload).await.expect("abort");
    assert_eq!(store.get_object(&key).await.expect("get"), None);
    store
        .abort_upload(&key, &upload)
        .await
        .expect("abort again");
}
