//! Rendering pipeline tests: layout rules, each backend's physical size, and
//! byte-exact golden files (regenerate with `UPDATE_GOLDEN=1 cargo test -p shared
//! --test render_outputs`, then look at what changed before committing).
//!
//! Symbols are built by hand here, so these tests do not depend on the encoders.

use std::path::PathBuf;

use shared::render::layout::{
    layout_linear, layout_matrix, LinearOptions, MatrixOptions, BEARER_X, GUARD_EXTENSION_X,
};
use shared::render::scene::dark_runs;
use shared::render::{render, Format, RenderOptions, Scene};
use shared::symbol::{Bearer, Linear, Matrix, Symbology, TextAnchor, TextSpan};

// ---------------------------------------------------------------- fixtures

const L: [&str; 10] = [
    "0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011",
    "0110111", "0001011",
];
const PARITY: [&str; 10] = [
    "LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL",
    "LGGLGL",
];

fn bits(s: &str) -> impl Iterator<Item = bool> + '_ {
    s.bytes().map(|b| b == b'1')
}

fn span(text: &str, x: f32, anchor: TextAnchor) -> TextSpan {
    TextSpan {
        text: text.into(),
        x,
        anchor,
        small: false,
    }
}

/// A hand-encoded EAN-13 (95 modules), laid out the way GS1 draws it: first digit
/// in the left quiet zone, two groups of six between the guards, `>` at the end of
/// the right quiet zone.
fn ean13(digits: &str) -> Linear {
    let d: Vec<usize> = digits.bytes().map(|b| usize::from(b - b'0')).collect();
    assert_eq!(d.len(), 13);
    let mut m: Vec<bool> = bits("101").collect();
    for (i, &digit) in d[1..7].iter().enumerate() {
        let l = L[digit];
        if PARITY[d[0]].as_bytes()[i] == b'L' {
            m.extend(bits(l));
        } else {
            // G = R reversed; R = L complemented.
            m.extend(bits(l).map(|b| !b).collect::<Vec<_>>().into_iter().rev());
        }
    }
    m.extend(bits("01010"));
    for &digit in &d[7..] {
        m.extend(bits(L[digit]).map(|b| !b));
    }
    m.extend(bits("101"));
    assert_eq!(m.len(), 95);
    Linear {
        symbology: Symbology::Ean13,
        modules: m,
        guards: vec![0..3, 45..50, 92..95],
        hri: vec![
            span(&digits[..1], -2.0, TextAnchor::End),
            span(&digits[1..7], 24.0, TextAnchor::Middle),
            span(&digits[7..], 71.0, TextAnchor::Middle),
        ],
        min_quiet_zone: (11, 7),
        light_margin_indicators: vec![span(">", 102.0, TextAnchor::End)],
        bearer: Bearer::None,
    }
}

/// An ITF-14-shaped symbol: start, a few wide/narrow bars, stop, bearer bars.
fn itf14(bearer: Bearer) -> Linear {
    let mut m: Vec<bool> = bits("1010").collect();
    m.extend(bits("1110100011101000101110001"));
    m.extend(bits("11101"));
    Linear {
        symbology: Symbology::Itf14,
        hri: vec![span(
            "0 95 01101 02091 7",
            m.len() as f32 / 2.0,
            TextAnchor::Middle,
        )],
        modules: m,
        guards: vec![],
        min_quiet_zone: (10, 10),
        light_margin_indicators: vec![],
        bearer,
    }
}

const X: f64 = 0.33;
const BAR_H: f64 = 22.85;

fn ean_opts(dpi: Option<u32>) -> LinearOptions {
    let mut o = LinearOptions::for_symbol(&ean13("9501101020917"), X, BAR_H);
    o.dpi = dpi;
    o
}

fn px(mm: f64, dpi: u32) -> f64 {
    mm * f64::from(dpi) / 25.4
}

fn assert_near(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() < 1e-6, "{what}: {a} != {b}");
}

// ---------------------------------------------------------------- layout

#[test]
fn adjacent_dark_modules_become_one_rect_per_bar() {
    let sym = ean13("9501101020917");
    let scene = layout_linear(&sym, &ean_opts(None));
    // EAN-13 has 30 bars: 2 + 2 + 2 guard bars and 2 per symbol character.
    assert_eq!(dark_runs(&sym.modules).len(), 30);
    assert_eq!(scene.rects.len(), 30);
}

#[test]
fn guard_bars_extend_5x_below_the_others() {
    let scene = layout_linear(&ean13("9501101020917"), &ean_opts(None));
    let long: Vec<_> = scene.rects.iter().filter(|r| r.h > BAR_H + 1e-9).collect();
    assert_eq!(long.len(), 6, "two bars in each of the three guards");
    for r in long {
        assert_near(r.h, BAR_H + GUARD_EXTENSION_X * X, "guard height");
    }
    // No margin above the bars.
    assert!(scene.rects.iter().all(|r| r.y == 0.0));
}

#[test]
fn width_is_modules_times_x_plus_two_quiet_zones() {
    let o = ean_opts(None);
    let scene = layout_linear(&ean13("9501101020917"), &o);
    assert_near(scene.width_mm, 95.0 * X + 2.0 * 11.0 * X, "width");
    assert_near(scene.rects[0].x, 11.0 * X, "first bar after the quiet zone");
}

#[test]
fn a_minimum_quiet_zone_is_whole_snapped_modules_in_pixels() {
    // GIVEN EAN-13 with exactly its minimum 11X of quiet zone at X and dpi where X
    // snaps up or down (0.33 mm at 300 dpi is 4 px, so 3.63 mm = 42.9 px would round
    // to 43 where 11 modules are 44)
    let symbol = ean13("9501101020917");
    let cases = [
        /* 0 */ (0.33, 300),
        /* 1 */ (0.25, 300),
        /* 2 */ (0.3, 600),
        /* 3 */ (0.26, 72),
        /* 4 */ (0.495, 300),
        /* 5 */ (0.8, 300),
        /* 6 */ (1.0, 150),
    ];
    for (i, (x, dpi)) in cases.into_iter().enumerate() {
        let mut o = ean_opts(Some(dpi));
        o.x_dimension_mm = x;
        o.quiet_zone_mm = 11.0 * x;
        o.write_text = false;
        let scene = layout_linear(&symbol, &o);
        // THEN each quiet zone is at least 11 modules of the snapped X, in pixels
        let x_px = px(x, dpi).round().max(1.0);
        let left = px(scene.rects[0].x, dpi);
        let right = px(scene.width_mm, dpi) - left - 95.0 * x_px;
        assert!(
            left + 1e-6 >= 11.0 * x_px,
            "case {i}: left {left} px, X {x_px} px"
        );
        assert!(
            right + 1e-6 >= 11.0 * x_px,
            "case {i}: right {right} px, X {x_px} px"
        );
    }
    // AND a zero quiet zone stays zero
    let mut o = ean_opts(Some(300));
    o.quiet_zone_mm = 0.0;
    o.write_text = false;
    assert_near(layout_linear(&symbol, &o).rects[0].x, 0.0, "no quiet zone");
}

#[test]
fn ean13_digits_sit_between_the_guard_extensions() {
    let scene = layout_linear(&ean13("9501101020917"), &ean_opts(None));
    let first = &scene.texts[0];
    let left = &scene.texts[1];
    let right = &scene.texts[2];
    // First digit wholly in the left quiet zone.
    assert!(first.x_mm >= 0.0 && first.x_mm + 7.0 * X <= 11.0 * X + 1e-9);
    // Each group of six between the guards: modules 3..45 and 50..92.
    let q = 11.0 * X;
    assert!(left.x_mm >= q + 3.0 * X - 1e-9, "{}", left.x_mm);
    assert!(left.x_mm + 42.0 * X <= q + 45.0 * X + 1e-9);
    assert!(right.x_mm >= q + 50.0 * X - 1e-9);
    // Tops of the digits below the normal bars, above the guard bottoms.
    let cap = shared::render::font::digit_height_mm(left.size_mm);
    let top = left.baseline_mm - cap;
    assert!(
        top > BAR_H && top < BAR_H + GUARD_EXTENSION_X * X,
        "top {top}"
    );
}

#[test]
fn text_is_never_clipped_the_canvas_grows() {
    // GIVEN no quiet zone, so EAN-13's first digit would fall left of the canvas
    let mut o = ean_opts(None);
    o.quiet_zone_mm = 0.0;
    let scene = layout_linear(&ean13("9501101020917"), &o);
    // THEN the canvas grows left to hold it, and the bars move right with it
    let first = &scene.texts[0];
    assert!(first.x_mm >= -1e-9, "first digit at {}", first.x_mm);
    assert!(scene.rects[0].x > 0.0);
    assert!(scene.width_mm > 95.0 * X);
    for t in &scene.texts {
        let w = shared::render::font::text_width_mm(&t.text, t.size_mm);
        assert!(t.x_mm + w <= scene.width_mm + 1e-9, "{:?}", t.text);
    }
}

#[test]
fn light_margin_indicators_only_when_the_quiet_zone_holds_them() {
    // (index) quiet zone in X, expect the `>` mark
    let cases = [
        /* 0 */ (0.0, false),
        /* 1 */ (3.0, false),
        /* 2 */ (7.0, true),
        /* 3 */ (11.0, true),
    ];
    for (i, (q, want)) in cases.into_iter().enumerate() {
        let mut o = ean_opts(None);
        o.quiet_zone_mm = q * X;
        let scene = layout_linear(&ean13("9501101020917"), &o);
        let has = scene.texts.iter().any(|t| t.text == ">");
        assert_eq!(has, want, "case {i}");
    }
}

#[test]
fn no_text_no_light_margin_indicators_and_canvas_ends_at_the_guards() {
    let mut o = ean_opts(None);
    o.write_text = false;
    let scene = layout_linear(&ean13("9501101020917"), &o);
    assert!(scene.texts.is_empty());
    assert_near(scene.height_mm, BAR_H + GUARD_EXTENSION_X * X, "height");
}

#[test]
fn compact_text_below_8pt_sits_closer() {
    let sym = ean13("9501101020917");
    let gap = |pt: f64| {
        let mut o = ean_opts(None);
        o.font_size_pt = pt;
        let s = layout_linear(&sym, &o);
        let t = &s.texts[1];
        t.baseline_mm - shared::render::font::digit_height_mm(t.size_mm) - BAR_H
    };
    assert_near(gap(8.0), X, "normal gap 1X");
    assert_near(gap(7.9), X / 2.0, "compact gap X/2");
}

#[test]
fn small_digits_are_three_quarters_size_on_the_same_baseline() {
    // GIVEN a UPC-A-like symbol whose outer digits are small
    let mut sym = ean13("0036000291452");
    sym.symbology = Symbology::UpcA;
    sym.hri = vec![
        TextSpan {
            small: true,
            ..span("0", -2.0, TextAnchor::End)
        },
        span("36000", 24.0, TextAnchor::Middle),
        span("29145", 71.0, TextAnchor::Middle),
        TextSpan {
            small: true,
            ..span("2", 97.0, TextAnchor::Start)
        },
    ];
    let scene = layout_linear(&sym, &ean_opts(None));
    let t = &scene.texts;
    assert_near(t[0].size_mm, 0.75 * t[1].size_mm, "small size");
    assert_near(t[3].size_mm, 0.75 * t[1].size_mm, "small size");
    assert_near(t[0].baseline_mm, t[1].baseline_mm, "same baseline");
    // The small right digit starts 2 modules after the end guard (x = 97).
    assert_near(t[3].x_mm, scene.rects[0].x + 97.0 * X, "start anchor");
}

#[test]
fn snapping_puts_every_bar_edge_on_a_whole_pixel() {
    for dpi in [96, 203, 300, 600] {
        let scene = layout_linear(&ean13("9501101020917"), &ean_opts(Some(dpi)));
        let xpx = (px(X, dpi)).round().max(1.0);
        for r in &scene.rects {
            for edge in [r.x, r.right(), r.y, r.bottom()] {
                let p = px(edge, dpi);
                assert!((p - p.round()).abs() < 1e-6, "dpi {dpi}: edge {p}px");
            }
            let w = px(r.w, dpi).round();
            assert_eq!(w % xpx, 0.0, "dpi {dpi}: bar {w}px is whole modules");
        }
        for v in [scene.width_mm, scene.height_mm] {
            let p = px(v, dpi);
            assert!((p - p.round()).abs() < 1e-6, "dpi {dpi}: canvas {p}px");
        }
    }
}

#[test]
fn itf14_bearer_frame_surrounds_symbol_and_quiet_zones() {
    let x = 1.016;
    let sym = itf14(Bearer::Frame);
    let mut o = LinearOptions::for_symbol(&sym, x, 32.0);
    o.write_text = false;
    let scene = layout_linear(&sym, &o);
    let t = BEARER_X * x;
    let n = sym.modules.len() as f64;
    assert_near(scene.width_mm, n * x + 2.0 * 10.0 * x + 2.0 * t, "width");
    assert_near(scene.height_mm, 32.0 + 2.0 * t, "height");
    let bars = dark_runs(&sym.modules).len();
    assert_eq!(
        scene.rects.len(),
        bars + 4,
        "bars + top, bottom, left, right"
    );
    // Bars start under the top bearer and inside the frame and quiet zone.
    assert_near(scene.rects[0].y, t, "bars under the top bearer");
    assert_near(scene.rects[0].x, t + 10.0 * x, "first bar");
}

#[test]
fn itf14_bearer_bars_top_and_bottom_only_with_text_below() {
    let x = 1.016;
    let sym = itf14(Bearer::Bars);
    let o = LinearOptions::for_symbol(&sym, x, 32.0);
    let scene = layout_linear(&sym, &o);
    let t = BEARER_X * x;
    let bars = dark_runs(&sym.modules).len();
    assert_eq!(scene.rects.len(), bars + 2);
    let bottom_bearer = scene.rects.last().unwrap();
    assert_near(bottom_bearer.y, t + 32.0, "bottom bearer under the bars");
    let n = sym.modules.len() as f64;
    assert_near(bottom_bearer.w, n * x + 2.0 * 10.0 * x, "spans quiet zones");
    assert!(scene.texts[0].baseline_mm > bottom_bearer.bottom());
}

#[test]
fn matrix_runs_merge_across_rows_and_canvas_has_quiet_zone() {
    // GIVEN a 7x7 finder-like pattern: a ring with a 3x3 centre
    let mut modules = vec![false; 49];
    for y in 0..7 {
        for x in 0..7 {
            let ring = x == 0 || y == 0 || x == 6 || y == 6;
            let centre = (2..5).contains(&x) && (2..5).contains(&y);
            modules[y * 7 + x] = ring || centre;
        }
    }
    let m = Matrix {
        symbology: Symbology::Qr,
        width: 7,
        height: 7,
        modules,
        min_quiet_zone: 4,
        hri: None,
    };
    let opts = MatrixOptions {
        x_dimension_mm: 0.5,
        quiet_zone_modules: 4,
        write_text: true,
        font_size_pt: 8.0,
        dpi: None,
    };
    let scene = layout_matrix(&m, &opts);
    assert_near(scene.width_mm, (7.0 + 8.0) * 0.5, "width");
    // top row, bottom row, the two side columns (rows 1..6), and the centre square
    assert_eq!(scene.rects.len(), 5, "{:?}", scene.rects);
    let dark: f64 = scene.rects.iter().map(|r| r.w * r.h).sum();
    assert_near(dark, (24.0 + 9.0) * 0.25, "dark area");
}

#[test]
fn matrix_hri_is_centred_and_widens_the_canvas_when_needed() {
    let m = Matrix {
        symbology: Symbology::Gs1DataMatrix,
        width: 2,
        height: 2,
        modules: vec![true, false, false, true],
        min_quiet_zone: 1,
        hri: Some("(01) 09501101020917".into()),
    };
    let opts = MatrixOptions {
        x_dimension_mm: 0.5,
        quiet_zone_modules: 1,
        write_text: true,
        font_size_pt: 8.0,
        dpi: Some(300),
    };
    let scene = layout_matrix(&m, &opts);
    let t = &scene.texts[0];
    let w = shared::render::font::text_width_mm(&t.text, t.size_mm);
    assert!(t.x_mm >= -1e-9 && t.x_mm + w <= scene.width_mm + 1e-9);
    // Centred on the symbol, which is centred on the (widened) canvas.
    let sym_left = scene.rects[0].x;
    let sym_centre = sym_left + scene.rects[0].w; // 2 modules wide: centre after one
    assert!(
        scene.width_mm > 3.0 * 0.5 + 1e-9,
        "canvas widened for the text"
    );
    assert!((t.x_mm + w / 2.0 - scene.width_mm / 2.0).abs() < 1e-9);
    assert!((sym_centre - scene.width_mm / 2.0).abs() < 1e-9);
    // Snapped: the canvas is whole pixels.
    for v in [scene.width_mm, scene.height_mm] {
        let p = px(v, 300);
        assert!((p - p.round()).abs() < 1e-6, "canvas {p}px");
    }
}

// ---------------------------------------------------------------- backends

fn decode_png(bytes: &[u8]) -> (png::OutputInfo, Vec<u8>, Option<png::PixelDimensions>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("valid PNG");
    let dims = reader.info().pixel_dims;
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("frame");
    buf.truncate(info.buffer_size());
    (info, buf, dims)
}

#[test]
fn png_bars_are_whole_pixel_modules_without_grey() {
    for dpi in [150, 300, 600] {
        // GIVEN an EAN-13 laid out and rasterised at the same dpi
        let sym = ean13("9501101020917");
        let scene = layout_linear(&sym, &ean_opts(Some(dpi)));
        let bytes = render(
            &scene,
            Format::Png,
            &RenderOptions {
                embed_font: true,
                dpi,
            },
        );
        let (info, pixels, dims) = decode_png(&bytes);
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        let xpx = (px(X, dpi)).round().max(1.0) as usize;
        // The minimum quiet zone, 11X, in whole snapped modules (rounding 11 x 0.33 mm
        // alone gave 43 px at 300 dpi where 11 modules of 4 px are 44).
        let qpx = (px(11.0 * X, dpi).round() as usize).max(11 * xpx);
        let w = info.width as usize;
        // THEN total width is modules x X px + 2 quiet zones
        assert_eq!(w, 95 * xpx + 2 * qpx, "dpi {dpi}");
        // AND pHYs carries the dpi in pixels per metre
        let dims = dims.expect("pHYs");
        assert_eq!(dims.unit, png::Unit::Meter);
        assert_eq!(dims.xppu, (f64::from(dpi) / 0.0254).round() as u32);
        assert_eq!(dims.yppu, dims.xppu);
        // AND within the bar rows every pixel is pure black or pure white
        let bar_rows = px(BAR_H, dpi).round() as usize;
        for row in pixels.chunks_exact(w).take(bar_rows) {
            assert!(row.iter().all(|&p| p == 0 || p == 255), "dpi {dpi}: grey");
        }
        // AND each bar is exactly its modules x X px wide, starting where it should
        let row = &pixels[..w];
        let dark: Vec<bool> = row.iter().map(|&p| p == 0).collect();
        let got = dark_runs(&dark);
        let want: Vec<(usize, usize)> = dark_runs(&sym.modules)
            .into_iter()
            .map(|(s, n)| (qpx + s * xpx, n * xpx))
            .collect();
        assert_eq!(got, want, "dpi {dpi}");
    }
}

#[test]
fn png_text_is_drawn_below_the_bars() {
    let scene = layout_linear(&ean13("9501101020917"), &ean_opts(Some(300)));
    let bytes = render(&scene, Format::Png, &RenderOptions::default());
    let (info, pixels, _) = decode_png(&bytes);
    let w = info.width as usize;
    let guard_bottom = px(BAR_H + 5.0 * X, 300).round() as usize;
    // Below the guards only text is left, so some ink there means digits were drawn.
    let ink = pixels[guard_bottom * w..]
        .iter()
        .filter(|&&p| p < 128)
        .count();
    assert!(ink > 100, "ink pixels below the guards: {ink}");
}

fn attr<'a>(svg: &'a str, name: &str) -> &'a str {
    let key = format!(" {name}=\"");
    let start = svg.find(&key).unwrap_or_else(|| panic!("no {name}")) + key.len();
    let end = start + svg[start..].find('"').unwrap();
    &svg[start..end]
}

#[test]
fn svg_size_is_in_millimetres_and_matches_the_viewbox() {
    let scene = layout_linear(&ean13("9501101020917"), &ean_opts(None));
    for embed_font in [true, false] {
        let svg = String::from_utf8(render(
            &scene,
            Format::Svg,
            &RenderOptions {
                embed_font,
                dpi: 300,
            },
        ))
        .unwrap();
        let w: f64 = attr(&svg, "width")
            .strip_suffix("mm")
            .unwrap()
            .parse()
            .unwrap();
        let h: f64 = attr(&svg, "height")
            .strip_suffix("mm")
            .unwrap()
            .parse()
            .unwrap();
        assert!((w - scene.width_mm).abs() < 1e-4 && (h - scene.height_mm).abs() < 1e-4);
        let vb: Vec<f64> = attr(&svg, "viewBox")
            .split(' ')
            .map(|v| v.parse().unwrap())
            .collect();
        assert_eq!(vb, vec![0.0, 0.0, w, h]);
        // One path for all 30 bars.
        assert_eq!(svg.matches("crispEdges").count(), 1);
        assert_eq!(svg.matches("<text").count(), if embed_font { 0 } else { 4 });
    }
}

#[test]
fn eps_bounding_boxes_match_the_physical_size() {
    let scene = layout_linear(&ean13("9501101020917"), &ean_opts(None));
    let eps = String::from_utf8(render(&scene, Format::Eps, &RenderOptions::default())).unwrap();
    assert!(eps.starts_with("%!PS-Adobe-3.0 EPSF-3.0\n"));
    assert!(eps.ends_with("%%EOF\n"));
    assert!(eps.contains("\n%%EndComments\n"));
    let line = |key: &str| -> Vec<f64> {
        let l = eps.lines().find(|l| l.starts_with(key)).unwrap();
        l[key.len()..]
            .split_whitespace()
            .map(|v| v.parse().unwrap())
            .collect()
    };
    let (w_pt, h_pt) = (scene.width_mm / 25.4 * 72.0, scene.height_mm / 25.4 * 72.0);
    // Integer box encloses every mark: rounded up.
    assert_eq!(
        line("%%BoundingBox:"),
        vec![0.0, 0.0, w_pt.ceil(), h_pt.ceil()]
    );
    let hi = line("%%HiResBoundingBox:");
    assert!(
        (hi[2] - w_pt).abs() < 1e-3 && (hi[3] - h_pt).abs() < 1e-3,
        "{hi:?}"
    );
    assert_eq!(
        eps.matches(" r\n").count(),
        1 + 30,
        "background + one rectfill per bar"
    );
}

#[test]
fn pdf_media_box_is_the_scene_size_in_points() {
    let scene = layout_linear(&ean13("9501101020917"), &ean_opts(None));
    let pdf = render(&scene, Format::Pdf, &RenderOptions::default());
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.starts_with("%PDF-"));
    assert!(!text.contains("/CreationDate") && !text.contains("/ID"));
    let start = text.find("/MediaBox [").unwrap() + "/MediaBox [".len();
    let end = start + text[start..].find(']').unwrap();
    let mb: Vec<f64> = text[start..end]
        .split_whitespace()
        .map(|v| v.parse().unwrap())
        .collect();
    assert_eq!(mb.len(), 4);
    assert!(
        (mb[2] - scene.width_mm / 25.4 * 72.0).abs() < 0.01,
        "{mb:?}"
    );
    assert!(
        (mb[3] - scene.height_mm / 25.4 * 72.0).abs() < 0.01,
        "{mb:?}"
    );
}

#[test]
fn every_backend_is_deterministic() {
    let scene = layout_linear(&ean13("9501101020917"), &ean_opts(Some(300)));
    for f in Format::ALL {
        let o = RenderOptions::default();
        assert_eq!(
            render(&scene, f, &o),
            render(&scene.clone(), f, &o),
            "{f:?}"
        );
    }
}

// ---------------------------------------------------------------- golden files

/// Compares rendered bytes with the golden files and collects every mismatch, so one
/// run names all the files a change touched; [`Golden::finish`] fails with the list.
/// `UPDATE_GOLDEN=1` (the one switch) rewrites the files instead.
#[derive(Default)]
struct Golden {
    failures: Vec<String>,
}

impl Golden {
    fn check(&mut self, name: &str, bytes: &[u8]) {
        let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "golden", name]
            .iter()
            .collect();
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, bytes).unwrap();
            return;
        }
        match std::fs::read(&path) {
            Ok(want) if want == bytes => {}
            Ok(_) => self
                .failures
                .push(format!("{name}: differs from the golden file")),
            Err(_) => self
                .failures
                .push(format!("{name}: missing ({})", path.display())),
        }
    }

    fn finish(self) {
        assert!(
            self.failures.is_empty(),
            "{} golden file(s) do not match:\n  {}\nif the change is intended, regenerate with \
             UPDATE_GOLDEN=1 cargo test -p shared --test render_outputs, and review",
            self.failures.len(),
            self.failures.join("\n  ")
        );
    }
}

fn golden_scene() -> Scene {
    layout_linear(&ean13("9501101020917"), &ean_opts(Some(300)))
}

/// GS1 General Specifications, EAN-13: guard bars 5X longer, first digit in the
/// left quiet zone, `>` light margin indicator, digits between the guard extensions.
#[test]
fn golden_ean13_guard_extensions_and_digits() {
    let scene = golden_scene();
    let o = RenderOptions::default();
    let mut golden = Golden::default();
    golden.check(
        "ean13_guards_and_digits.svg",
        &render(&scene, Format::Svg, &o),
    );
    golden.check(
        "ean13_guards_and_digits_text.svg",
        &render(
            &scene,
            Format::Svg,
            &RenderOptions {
                embed_font: false,
                ..o
            },
        ),
    );
    golden.check(
        "ean13_guards_and_digits.png",
        &render(&scene, Format::Png, &o),
    );
    golden.check(
        "ean13_guards_and_digits.eps",
        &render(&scene, Format::Eps, &o),
    );
    golden.check(
        "ean13_guards_and_digits.pdf",
        &render(&scene, Format::Pdf, &o),
    );
    golden.finish();
}

/// GS1 General Specifications, ITF-14 bearer bars: a frame round symbol and quiet zones.
#[test]
fn golden_itf14_bearer_frame() {
    let sym = itf14(Bearer::Frame);
    let mut o = LinearOptions::for_symbol(&sym, 1.016, 32.0);
    o.dpi = Some(300);
    let scene = layout_linear(&sym, &o);
    let mut golden = Golden::default();
    golden.check(
        "itf14_bearer_frame.svg",
        &render(&scene, Format::Svg, &RenderOptions::default()),
    );
    golden.finish();
}

/// Real encoder output through layout and render, one golden file per rule shown.
/// Each name says the symbology and the GS1 rule its picture demonstrates.
#[test]
fn golden_symbols_named_after_the_rule_they_show() {
    use shared::gs1::ElementString;
    use shared::render::{layout_matrix, MatrixOptions};
    use shared::symbol::{code128, code39, datamatrix, ean_upc, itf};
    let mut golden = Golden::default();
    let mut linear = |name: &str, sym: Linear, format: Format| {
        let mut o = LinearOptions::for_symbol(&sym, 0.33, 22.85);
        o.dpi = (format == Format::Png).then_some(300);
        golden.check(
            name,
            &render(&layout_linear(&sym, &o), format, &RenderOptions::default()),
        );
    };
    // 0: EAN-8: `<` and `>` light margin indicators, 4 + 4 digits between the guards
    linear(
        "ean8_light-margin-indicators.svg",
        ean_upc::ean8("95011011").unwrap(),
        Format::Svg,
    );
    // 1: UPC-A: outer digits small, outside the bars; their bars extend like guards
    linear(
        "upca_small-outer-digits.svg",
        ean_upc::upca("012345000065").unwrap(),
        Format::Svg,
    );
    // 2: UPC-E: zero-suppressed from UPC-A 012345000065, number system 0 and check small
    linear(
        "upce_zero-suppression.pdf",
        ean_upc::upce("012345000065").unwrap(),
        Format::Pdf,
    );
    // 3: ITF-14: 3:1 ratio, 135 modules, bearer frame (GS1's recommendation)
    linear(
        "itf14_bearer-frame_3-to-1.png",
        itf::itf14("19501101020914", Bearer::Frame).unwrap(),
        Format::Png,
    );
    // 4: GS1-128: FNC1 first, FNC1 separator only after a variable-length AI not last
    let es = ElementString::parse_bracketed("(01)09501101020917(10)LOT1(17)270630").unwrap();
    linear(
        "gs1-128_fnc1-after-variable-length-ai.eps",
        code128::gs1_128(&es).unwrap(),
        Format::Eps,
    );
    // 5: Code 39 with its mod-43 check character
    linear(
        "code39_mod-43-check-character.svg",
        code39::code39("ABC-123", true).unwrap(),
        Format::Svg,
    );
    // 6: GS1 DataMatrix: FNC1 first and as the separator, smallest square, 2X quiet zone, HRI
    let es = ElementString::parse_bracketed("(01)09501101020917(17)270630(10)LOT1(21)SN1").unwrap();
    let m = datamatrix::gs1_datamatrix(&es, datamatrix::DmShape::Square).unwrap();
    let o = MatrixOptions {
        x_dimension_mm: 0.5,
        quiet_zone_modules: 2,
        write_text: true,
        font_size_pt: 8.0,
        dpi: None,
    };
    golden.check(
        "gs1-datamatrix_fnc1-separators_hri.svg",
        &render(
            &layout_matrix(&m, &o),
            Format::Svg,
            &RenderOptions::default(),
        ),
    );
    golden.finish();
}
