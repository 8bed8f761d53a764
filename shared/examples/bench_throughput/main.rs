//! Symbols per second, measured the way `../shared/tools/bench/` measures Zint and
//! bwip-js, so `infra/bench/compare.sh` can print the figures side by side.
//!
//!     cargo run --release -p shared --example bench_throughput -- [case ...]
//!
//! Cases: `ean13_svg ean13_png gs1_128_svg gs1_128_png itf14_svg itf14_png` (default:
//! all), `ean13_svgtext` (SVG text as `<text>`, as Zint writes it, rather than our
//! default OCR-B outlines), and `dm_svg dm_png` (GS1 DataMatrix, serial number counting
//! up per symbol as in `bench_zintcli.sh`). Each case: a 0.5 s warm-up, then 3 runs of at least `BENCH_MIN_S` seconds
//! (default 2) of one thread rendering symbols back to back. Prints the reference
//! scripts' TSV: `ours  case  median_symbols_per_s  run1,run2,run3  note`.
//!
//! With `BENCH_COUNT=N`, each case renders exactly N symbols once (no warm-up, no
//! runs): fixed work to count with `perf stat -e instructions:u` or callgrind, which a
//! noisy shared machine does not disturb the way it disturbs wall-clock rates.
//!
//! Criterion-free on purpose: a plain loop like the references' loops, in a binary that
//! builds in seconds once `shared` is built.

mod pipeline;

use std::hint::black_box;
use std::time::Instant;

use pipeline::{Linear1d, DPI, MODULE_PX};
use shared::render::Format;

const RUNS: usize = 3;
const ALL: &[&str] = &[
    "ean13_svg",
    "ean13_png",
    "dm_svg",
    "dm_png",
    "gs1_128_svg",
    "gs1_128_png",
    "itf14_svg",
    "itf14_png",
    "ean13_svgtext",
    "qr_svg",
    "qr_png",
];

/// Symbols per second over at least `min_s` seconds.
fn rate(min_s: f64, f: &mut dyn FnMut() -> Vec<u8>) -> f64 {
    let t0 = Instant::now();
    let mut n = 0u64;
    loop {
        black_box(f());
        n += 1;
        let t = t0.elapsed().as_secs_f64();
        if t >= min_s {
            return n as f64 / t;
        }
    }
}

/// A short description of the output, for the note column: pixel size for PNG
/// (the proof of "same pixel size"), bytes otherwise.
fn describe(format: Format, bytes: &[u8]) -> String {
    match format {
        Format::Png => {
            let depth = bytes[24];
            let w = u32::from_be_bytes(bytes[16..20].try_into().expect("IHDR width"));
            let h = u32::from_be_bytes(bytes[20..24].try_into().expect("IHDR height"));
            format!("{w}x{h} px {depth}-bit, {} B", bytes.len())
        }
        _ => format!("{} B", bytes.len()),
    }
}

fn main() {
    let min_s: f64 = std::env::var("BENCH_MIN_S")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0);
    let count: Option<u64> = std::env::var("BENCH_COUNT")
        .ok()
        .and_then(|s| s.parse().ok());
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cases: Vec<&str> = if args.is_empty() {
        ALL.to_vec()
    } else {
        args.iter().map(String::as_str).collect()
    };
    for case in cases {
        let Some((stem, ext)) = case.rsplit_once('_') else {
            eprintln!("unknown case {case:?}; cases: {}", ALL.join(" "));
            std::process::exit(2);
        };
        let (ext, embed_font) = match ext {
            "svgtext" => ("svg", false),
            other => (other, true),
        };
        let format: Format = match ext.parse() {
            Ok(f) => f,
            Err(e) => {
                eprintln!("case {case:?}: {e}");
                std::process::exit(2);
            }
        };
        let mut serial = 0u64;
        let mut f: Box<dyn FnMut() -> Vec<u8>> =
            match Linear1d::ALL.into_iter().find(|s| s.name() == stem) {
                Some(symbology) => Box::new(move || symbology.run(format, embed_font)),
                None if stem == "dm" => Box::new(move || {
                    serial = serial % 99_999 + 1; // SN1..SN99999: all 22x22
                    pipeline::datamatrix(serial, format)
                }),
                None if stem == "qr" => Box::new(move || {
                    serial = serial % 99_999 + 1;
                    pipeline::qr(serial, format)
                }),
                None => {
                    eprintln!("unknown case {case:?}; cases: {}", ALL.join(" "));
                    std::process::exit(2);
                }
            };
        let f = &mut *f;
        if let Some(n) = count {
            // Fixed work for `perf stat -e instructions:u` or callgrind: no warm-up.
            let t0 = Instant::now();
            for _ in 0..n {
                black_box(f());
            }
            let t = t0.elapsed().as_secs_f64();
            println!(
                "ours\t{case}\t{:.1}\t-\t{n} symbols in {t:.3} s",
                n as f64 / t
            );
            continue;
        }
        rate(0.5, f); // warm-up, not counted
        let mut runs: Vec<f64> = (0..RUNS).map(|_| rate(min_s, f)).collect();
        let shown: Vec<String> = runs.iter().map(|r| format!("{r:.1}")).collect();
        runs.sort_by(f64::total_cmp);
        println!(
            "ours\t{case}\t{:.1}\t{}\tX={MODULE_PX}px@{DPI}dpi {}",
            runs[RUNS / 2],
            shown.join(","),
            describe(format, &f())
        );
    }
}
