//! GS1 DataMatrix in every format it is offered in (SVG, PNG, PDF), read back by an
//! independent path (resvg / png crate / pdftoppm, then rxing): the text must be the
//! exact element string with GS separators, and the symbology identifier `]d2`.

mod decode_support;

use decode_support::{decode, keep_failure, rasterise, require_rasterisers, DPI};
use rxing::BarcodeFormat;
use shared::gs1::ElementString;
use shared::render::{layout_matrix, render, Format, MatrixOptions, RenderOptions};
use shared::symbol::datamatrix::{gs1_datamatrix, DmShape};

#[test]
fn every_format_reads_as_the_gs1_element_string() {
    require_rasterisers();
    let rows = [
        // 0: the spec's example, fixed-length AIs first so one separator is needed
        (
            "(01)00012345678905(17)270630(10)LOT-A001(21)SN-0001",
            DmShape::Square,
        ),
        // 1: lot only
        ("(01)09501101020917(17)270630(10)LOT1", DmShape::Square),
        // 2: rectangle
        ("(01)09501101020917(10)ABC123(21)XYZ", DmShape::Rectangle),
    ];
    let mut failures = Vec::new();
    for (i, (hri, shape)) in rows.into_iter().enumerate() {
        let es = ElementString::parse_bracketed(hri).unwrap();
        let symbol = gs1_datamatrix(&es, shape).unwrap();
        for format in [Format::Svg, Format::Png, Format::Pdf] {
            let opts = MatrixOptions {
                x_dimension_mm: 0.5,
                quiet_zone_modules: 2,
                write_text: true,
                font_size_pt: 8.0,
                dpi: (format == Format::Png).then_some(DPI),
            };
            let bytes = render(
                &layout_matrix(&symbol, &opts),
                format,
                &RenderOptions {
                    embed_font: true,
                    dpi: DPI,
                },
            );
            let name = format!("dm{i}");
            let raster = rasterise(format, &bytes, DPI, &name).unwrap();
            match decode(&raster, false) {
                Some(d)
                    if d.text == es.to_raw()
                        && d.format == BarcodeFormat::DATA_MATRIX
                        && d.symbology_id.as_deref() == Some("]d2") => {}
                other => failures.push(format!(
                    "row {i} {format:?}: got {other:?}, kept {}",
                    keep_failure(&name, format, &bytes, Some(&raster)).display()
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
