//! The bundler under faults, on the local adapters: a bundler stopped midway and the
//! message redelivered completes with every item once; a poisoned job ends `failed`;
//! a second delivery of a completed task changes nothing; a task whose message keeps
//! failing is `failed` on the last receive, never left `running`. A label sheet job
//! takes the same path to one PDF.
#![cfg(feature = "local")]

use shared::api::clock::FixedClock;
use shared::bulk::{
    bundle, Item, Job, LabelOutput, LabelSymbol, Outcome, SheetSpec, DEAD_LETTER_AFTER,
    MAX_RECEIVES,
};
use shared::store::local::LocalStore;
use shared::store::{
    BulkTask, GetObject, GetTask, MultipartUpload, PutObject, PutTask, StoreError, TaskStatus,
    TaskUpdate, UpdateTask,
};
use std::io::Read;
use std::sync::atomic::{AtomicU32, Ordering};

fn temp_store(name: &str) -> LocalStore {
    let dir = std::env::temp_dir().join(format!(
        "gs1codes-bundler-{name}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    LocalStore::open(&dir).unwrap()
}

/// A QR job of `n` items (a 2000 px PNG is about 14 KB: 450 of them span two 5 MiB parts).
fn job(n: usize, size: u32) -> Job {
    let query = format!("size={size}");
    let items = (1..=n)
        .map(|i| Item {
            lot: Some(format!("L{}", i % 7)),
            serial: Some(format!("S{i}")),
            ..Item::default()
        })
        .collect();
    Job {
        recipe: shared::bulk::Recipe::Qr {
            gtin: "09501101020917".into(),
            format: "png".into(),
            options: query,
        },
        items,
    }
}

async fn submit(store: &LocalStore, id: &str, job: &Job) {
    let task = BulkTask {
        task_id: id.into(),
        owner: "o".into(),
        status: TaskStatus::Pending,
        count: job.items.len() as u32,
        done: 0,
        created: 1,
        started: None,
        finished: None,
        error: None,
        job_key: format!("jobs/{id}.json"),
        bundle_key: format!("bundles/{id}.{}", job.extension()),
        request_hash: "h".into(),
    };
    store
        .put_object(
            &task.job_key,
            serde_json::to_vec(job).unwrap(),
            "application/json",
        )
        .await
        .unwrap();
    store.put_task(&task).await.unwrap();
}

/// The local store, but part number `fail_part` of the first upload fails, as a
/// bundler killed midway would leave it.
struct Flaky {
    inner: LocalStore,
    fail_part: i32,
    failures_left: AtomicU32,
}

impl GetTask for Flaky {
    async fn get_task(&self, id: &str) -> Result<Option<BulkTask>, StoreError> {
        self.inner.get_task(id).await
    }
}
impl UpdateTask for Flaky {
    async fn update_task(&self, id: &str, u: &TaskUpdate) -> Result<bool, StoreError> {
        self.inner.update_task(id, u).await
    }
}
impl GetObject for Flaky {
    async fn get_object(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.inner.get_object(key).await
    }
}
impl MultipartUpload for Flaky {
    async fn create_upload(&self, key: &str, ct: &str) -> Result<String, StoreError> {
        self.inner.create_upload(key, ct).await
    }
    async fn upload_part(
        &self,
        key: &str,
        upload: &str,
        n: i32,
        bytes: Vec<u8>,
    ) -> Result<String, StoreError> {
        if n == self.fail_part && self.failures_left.load(Ordering::SeqCst) > 0 {
            self.failures_left.fetch_sub(1, Ordering::SeqCst);
            return Err(StoreError::Unavailable {
                reason: "injected",
                retryable: true,
                source: None,
            });
        }
        self.inner.upload_part(key, upload, n, bytes).await
    }
    async fn complete_upload(
        &self,
        key: &str,
        upload: &str,
        parts: Vec<(i32, String)>,
    ) -> Result<(), StoreError> {
        self.inner.complete_upload(key, upload, parts).await
    }
    async fn abort_upload(&self, key: &str, upload: &str) -> Result<(), StoreError> {
        self.inner.abort_upload(key, upload).await
    }
}

/// The ZIP's entry names.
async fn entries(store: &LocalStore, id: &str) -> Vec<String> {
    let bytes = store
        .get_object(&format!("bundles/{id}.zip"))
        .await
        .unwrap()
        .expect("a bundle");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut manifest = String::new();
    zip.by_name("manifest.csv")
        .unwrap()
        .read_to_string(&mut manifest)
        .unwrap();
    (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn stopped_midway_then_redelivered_completes_with_every_item_once() {
    // GIVEN a job whose ZIP spans several parts, and a store failing part 2 once
    let store = Flaky {
        inner: temp_store("midway"),
        fail_part: 2,
        failures_left: AtomicU32::new(1),
    };
    let clock = FixedClock::new(1_000);
    let job = job(450, 2000);
    submit(&store.inner, "t1", &job).await;
    // WHEN the first delivery fails midway
    assert!(bundle(&store, &clock, "t1", 1).await.is_err());
    let t = store.get_task("t1").await.unwrap().unwrap();
    assert_eq!(t.status, TaskStatus::Running);
    assert!(t.done > 0, "{}", t.done);
    assert!(store
        .inner
        .get_object("bundles/t1.zip")
        .await
        .unwrap()
        .is_none());
    // THEN the redelivery completes, with each item exactly once
    assert_eq!(
        bundle(&store, &clock, "t1", 2).await.unwrap(),
        Outcome::Completed
    );
    let t = store.get_task("t1").await.unwrap().unwrap();
    assert_eq!((t.status, t.done), (TaskStatus::Completed, 450));
    let names = entries(&store.inner, "t1").await;
    assert_eq!(names.len(), 451);
    let unique: std::collections::HashSet<_> = names.iter().collect();
    assert_eq!(unique.len(), 451);
    // No upload was left behind.
    let uploads = store.inner.data_dir().join("uploads");
    let left = std::fs::read_dir(&uploads).map_or(0, |d| d.count());
    assert_eq!(left, 0);
    let _ = std::fs::remove_dir_all(store.inner.data_dir());
}

#[tokio::test]
async fn a_second_delivery_of_a_completed_task_changes_nothing() {
    let store = temp_store("twice");
    let clock = FixedClock::new(1_000);
    submit(&store, "t2", &job(5, 200)).await;
    assert_eq!(
        bundle(&store, &clock, "t2", 1).await.unwrap(),
        Outcome::Completed
    );
    let before = store.get_object("bundles/t2.zip").await.unwrap();
    let task_before = store.get_task("t2").await.unwrap();
    clock.advance(60);
    assert_eq!(
        bundle(&store, &clock, "t2", 1).await.unwrap(),
        Outcome::Skipped
    );
    assert_eq!(store.get_object("bundles/t2.zip").await.unwrap(), before);
    assert_eq!(store.get_task("t2").await.unwrap(), task_before);
    let _ = std::fs::remove_dir_all(store.data_dir());
}

#[tokio::test]
async fn a_poisoned_job_ends_failed() {
    let store = temp_store("poison");
    let clock = FixedClock::new(1_000);
    submit(&store, "t3", &job(2, 200)).await;
    store
        .put_object("jobs/t3.json", b"{not json".to_vec(), "application/json")
        .await
        .unwrap();
    assert_eq!(
        bundle(&store, &clock, "t3", 1).await.unwrap(),
        Outcome::Failed
    );
    let t = store.get_task("t3").await.unwrap().unwrap();
    assert_eq!(t.status, TaskStatus::Failed);
    assert!(t.error.unwrap().contains("unreadable job"));
    let _ = std::fs::remove_dir_all(store.data_dir());
}

#[tokio::test]
async fn the_last_receive_of_a_failing_message_fails_the_task() {
    // GIVEN a store whose first part always fails
    let store = Flaky {
        inner: temp_store("last"),
        fail_part: 1,
        failures_left: AtomicU32::new(u32::MAX),
    };
    let clock = FixedClock::new(1_000);
    submit(&store.inner, "t4", &job(3, 200)).await;
    for receive in 1..MAX_RECEIVES {
        assert!(bundle(&store, &clock, "t4", receive).await.is_err());
        let status = store.get_task("t4").await.unwrap().unwrap().status;
        assert_eq!(status, TaskStatus::Running, "receive {receive}");
    }
    // WHEN the last receive fails too THEN the task is failed, with the reason
    assert!(bundle(&store, &clock, "t4", MAX_RECEIVES).await.is_err());
    let t = store.get_task("t4").await.unwrap().unwrap();
    assert_eq!(t.status, TaskStatus::Failed);
    assert!(t.error.unwrap().contains("gave up after 3 attempts"));
    let _ = std::fs::remove_dir_all(store.inner.data_dir());
}

/// Bundlers that die without an answer (SIGKILL, out of memory, the Lambda timeout)
/// fail nothing themselves; the receive after the last attempt ends the task failed,
/// so no task is left running forever. A finished task stays as it is.
#[tokio::test]
async fn a_task_whose_attempts_all_died_is_failed_by_the_next_receive() {
    let store = temp_store("died");
    let clock = FixedClock::new(1_000);
    for (task, status_before) in [
        ("died", TaskStatus::Running),
        ("ended", TaskStatus::Completed),
    ] {
        // GIVEN a task that attempts left running (or that completed)
        submit(&store, task, &job(3, 200)).await;
        store
            .update_task(task, &TaskUpdate::Start { now: 1_000 })
            .await
            .unwrap();
        if status_before == TaskStatus::Completed {
            store
                .update_task(task, &TaskUpdate::Complete { now: 1_001 })
                .await
                .unwrap();
        }
        // WHEN the message comes a (MAX_RECEIVES + 1)th time
        let outcome = bundle(&store, &clock, task, DEAD_LETTER_AFTER)
            .await
            .unwrap();
        // THEN a running task is failed, saying why, and nothing else changes
        let t = store.get_task(task).await.unwrap().unwrap();
        if status_before == TaskStatus::Running {
            assert_eq!(outcome, Outcome::Failed);
            assert_eq!(t.status, TaskStatus::Failed);
            let error = t.error.unwrap();
            assert!(error.contains("gave up after 3 attempts"), "{error}");
        } else {
            assert_eq!(outcome, Outcome::Skipped);
            assert_eq!(t.status, TaskStatus::Completed);
        }
    }
    let _ = std::fs::remove_dir_all(store.data_dir());
}

#[tokio::test]
async fn a_sheet_job_failing_once_completes_with_its_pages_once() {
    // GIVEN 50 DataMatrix labels on L7160 from position 5 (3 pages), and a store that
    // fails the first part once
    let store = Flaky {
        inner: temp_store("sheet"),
        fail_part: 1,
        failures_left: AtomicU32::new(1),
    };
    let clock = FixedClock::new(1_000);
    let l7160 = shared::render::sheet::stock("L7160").unwrap();
    let symbol = LabelSymbol::from_recipe("datamatrix", "module_size=0.4", "pdf").unwrap();
    let items = (0..50)
        .map(|i| Item {
            gtin: Some("09501101020917".into()),
            serial: Some(format!("S{i}")),
            text: Some(format!("Label {i}")),
            ..Item::default()
        })
        .collect();
    let spec = SheetSpec::new(l7160.page, l7160.grid, true, 5);
    let job = Job::label(&symbol, LabelOutput::Sheet(spec), items);
    assert_eq!(job.content_type(), "application/pdf");
    submit(&store.inner, "s1", &job).await;
    // WHEN the first delivery fails, THEN the task is still running, with no PDF
    assert!(bundle(&store, &clock, "s1", 1).await.is_err());
    let t = store.get_task("s1").await.unwrap().unwrap();
    assert_eq!(t.status, TaskStatus::Running);
    assert!(store
        .inner
        .get_object("bundles/s1.pdf")
        .await
        .unwrap()
        .is_none());
    // THEN the redelivery completes: one PDF of 3 pages
    assert_eq!(
        bundle(&store, &clock, "s1", 2).await.unwrap(),
        Outcome::Completed
    );
    let t = store.get_task("s1").await.unwrap().unwrap();
    assert_eq!((t.status, t.done), (TaskStatus::Completed, 50));
    let pdf = store
        .inner
        .get_object("bundles/s1.pdf")
        .await
        .unwrap()
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-1.7") && pdf.ends_with(b"%%EOF"));
    let pages = pdf.windows(12).filter(|w| w == b"/Type /Page\n").count();
    assert_eq!(pages, 3);
    // AND a third delivery changes nothing
    assert_eq!(
        bundle(&store, &clock, "s1", 3).await.unwrap(),
        Outcome::Skipped
    );
    assert_eq!(
        store.inner.get_object("bundles/s1.pdf").await.unwrap(),
        Some(pdf)
    );
    let _ = std::fs::remove_dir_all(store.inner.data_dir());
}
