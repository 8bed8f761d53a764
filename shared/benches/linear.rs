//! Data in, file bytes out, for each linear symbology and each format: EAN-13,
//! GS1-128 (including parsing and validating the element string) and ITF-14, in SVG,
//! PNG, EPS and PDF, at X = 6 px at 300 dpi (Zint's `--scale=3`); and GS1 DataMatrix
//! (parse, validate, encode, render) in SVG, PNG and PDF, as the API offers it.
//!
//!     cargo bench -p shared --bench linear [-- FILTER]
//!
//! Short warm-up and measurement times keep the whole run well under 2 minutes on a
//! shared 2-core machine; for a careful comparison of two commits, raise them with
//! `-- --measurement-time 5` and compare with `--save-baseline` / `--baseline`.

#[path = "../examples/bench_throughput/pipeline.rs"]
mod pipeline;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pipeline::Linear1d;
use shared::render::Format;

fn linear(c: &mut Criterion) {
    for symbology in Linear1d::ALL {
        let mut group = c.benchmark_group(symbology.name());
        group.throughput(Throughput::Elements(1)); // reports symbols/s
        for format in Format::ALL {
            group.bench_function(format.extension(), |b| {
                b.iter(|| black_box(symbology.run(black_box(format), true)))
            });
        }
        group.finish();
    }
    let mut group = c.benchmark_group("datamatrix");
    group.throughput(Throughput::Elements(1));
    for format in [Format::Svg, Format::Png, Format::Pdf] {
        let mut serial = 0;
        group.bench_function(format.extension(), |b| {
            b.iter(|| {
                serial = serial % 99_999 + 1;
                black_box(pipeline::datamatrix(black_box(serial), format))
            })
        });
    }
    group.finish();
    let mut group = c.benchmark_group("qr");
    group.throughput(Throughput::Elements(1));
    for format in [Format::Svg, Format::Png] {
        let mut serial = 0;
        group.bench_function(format.extension(), |b| {
            b.iter(|| {
                serial = serial % 99_999 + 1;
                black_box(pipeline::qr(black_box(serial), format))
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(1500))
        .sample_size(15); // lets the ~7 ms GS1-128 PNG fit its 1.5 s without a warning
    targets = linear
}
criterion_main!(benches);
