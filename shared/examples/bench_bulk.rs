//! `make bench`'s bulk case: the 5000-item QR job end to end on the local adapters (job
//! object and task in a temporary `DATA_DIR`, the bundler rendering on every core and
//! streaming the ZIP in 5 MiB parts, then completing the task), PNG at size 300 and SVG.
//! Then the label case: 5000 GS1 DataMatrix labels (lot, serial, expiry and a text line)
//! on Avery L7160 sheets, the PDF streamed page by page.
//! Prints `ours\t<case>\t<symbols/s>\t<runs>\t<note>` like bench_throughput.

use shared::api::clock::SystemClock;
use shared::bulk::{bundle, Item, Job, LabelOutput, LabelSymbol, Recipe, SheetSpec};
use shared::render::sheet::stock;
use shared::store::local::LocalStore;
use shared::store::{BulkTask, PutObject, PutTask};
use std::time::Instant;

const ITEMS: usize = 5000;
const RUNS: usize = 3;

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("gs1codes-bench-bulk-{}", std::process::id()));
    let store = LocalStore::open(&dir).expect("a temporary data directory");
    // BENCH_BULK_SIZE: the PNG side in px (default 300; 2000 shows memory stays flat).
    let size: u32 = std::env::var("BENCH_BULK_SIZE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    for format in ["png", "svg"] {
        let job = Job {
            recipe: Recipe::Qr {
                gtin: "09501101020917".into(),
                format: format.into(),
                options: format!("size={size}"),
            },
            items: (0..ITEMS)
                .map(|i| Item {
                    lot: Some("LOT1".into()),
                    serial: Some(format!("SN{i}")),
                    expiry: Some("270630".into()),
                    ..Item::default()
                })
                .collect(),
        };
        let mut runs = Vec::new();
        for run in 0..RUNS {
            let id = format!("{format}-{run}");
            let seconds = submit_and_bundle(&store, &id, &job, "zip").await;
            runs.push(ITEMS as f64 / seconds);
        }
        let shown: Vec<String> = runs.iter().map(|r| format!("{r:.1}")).collect();
        runs.sort_by(f64::total_cmp);
        let zip = std::fs::metadata(dir.join(format!("objects/bundles/{format}-0.zip")))
            .map_or(0, |m| m.len());
        println!(
            "ours\tzip5000_qr_{format}\t{:.1}\t{}\t5000 items end to end on the local adapters, all cores, size {size}, ZIP {:.1} MB",
            runs[RUNS / 2],
            shown.join(","),
            zip as f64 / 1e6
        );
    }
    sheet(&store, &dir).await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// `sheet5000_dm_l7160`: the label job of the benchmark, as the API stores it.
async fn sheet(store: &LocalStore, dir: &std::path::Path) {
    let l7160 = stock("L7160").expect("a known stock");
    let symbol =
        LabelSymbol::from_recipe("datamatrix", "module_size=0.4", "pdf").expect("a valid recipe");
    let spec = SheetSpec::new(l7160.page, l7160.grid, false, 1);
    let items = (0..ITEMS)
        .map(|i| Item {
            gtin: Some("09501101020917".into()),
            lot: Some(format!("LOT{}", i % 7)),
            serial: Some(format!("SN{i}")),
            expiry: Some("270630".into()),
            text: Some(format!("Item {i}")),
            ..Item::default()
        })
        .collect();
    let job = Job::label(&symbol, LabelOutput::Sheet(spec), items);
    let mut runs = Vec::new();
    let mut seconds = Vec::new();
    for run in 0..RUNS {
        let id = format!("sheet-{run}");
        let s = submit_and_bundle(store, &id, &job, "pdf").await;
        seconds.push(s);
        runs.push(ITEMS as f64 / s);
    }
    let shown: Vec<String> = runs.iter().map(|r| format!("{r:.1}")).collect();
    runs.sort_by(f64::total_cmp);
    seconds.sort_by(f64::total_cmp);
    let pdf = std::fs::read(dir.join("objects/bundles/sheet-0.pdf")).unwrap_or_default();
    // Each page object names its type once.
    let pages = pdf.windows(11).filter(|w| w == b"/Type /Page").count()
        - pdf.windows(12).filter(|w| w == b"/Type /Pages").count();
    println!(
        "ours\tsheet5000_dm_l7160\t{:.1}\t{}\t5000 DataMatrix labels on L7160 end to end on the local adapters, all cores: {:.2} s, {pages} pages, PDF {:.1} MB",
        runs[RUNS / 2],
        shown.join(","),
        seconds[RUNS / 2],
        pdf.len() as f64 / 1e6
    );
}

/// Stores `job` and its task `id` as the API's submit does, then bundles it on this
/// thread's runtime as the bundler would: the seconds from submit to completed.
async fn submit_and_bundle(store: &LocalStore, id: &str, job: &Job, extension: &str) -> f64 {
    let task = BulkTask::pending(
        id.to_owned(),
        "bench".into(),
        ITEMS as u32,
        0,
        extension,
        String::new(),
    );
    let t0 = Instant::now();
    let bytes = serde_json::to_vec(job).expect("a job serialises");
    store
        .put_object(&task.job_key, bytes, "application/json")
        .await
        .unwrap();
    store.put_task(&task).await.unwrap();
    bundle(store, &SystemClock, id, 1)
        .await
        .expect("the job completes");
    t0.elapsed().as_secs_f64()
}
