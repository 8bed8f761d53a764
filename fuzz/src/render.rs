//! Rendering with arbitrary options (within the API's bounds): the scene is the symbol
//! (its bars or modules, exactly, at the snapped X dimension), on whole pixels when laid
//! out for a dpi, inside its canvas, with the quiet zone asked for; and every format
//! draws that one scene: SVG, EPS and PDF state its size (and SVG and EPS its
//! rectangles) as the number writer's reference formatting gives them, and the PNG,
//! decoded by the `png` crate, is the scene's size in pixels at its dpi with every bar
//! pixel black (and, without text, every pixel as the rectangles rasterise).

use arbitrary::Arbitrary;
use shared::render::font::{ink_extent_mm, printed_text, text_width_mm};
use shared::render::layout::{layout_linear, layout_matrix, LinearOptions, MatrixOptions};
use shared::render::{png_size, render, Format, RenderOptions, Scene};
use shared::symbol::datamatrix::{gs1_datamatrix, DmShape};
use shared::symbol::qr::{qr, EcLevel};
use shared::symbol::{code128, code39, ean_upc, itf, Bearer, Linear, Matrix, Symbol};

use crate::message::MessageSpec;
use crate::{ensure, Check};

/// The most pixels a PNG may have here: the API's limit is 40 Mpx, but a fuzz run
/// wants many small cases more than a few huge ones (the PNG code does not change with
/// size, only its loops run longer).
pub const MAX_FUZZ_PNG_PIXELS: u64 = 300_000;

/// Tolerance for comparing millimetres computed two ways (1 nm).
const EPS: f64 = 1e-6;

/// A symbol to render.
#[derive(Debug, Clone, Arbitrary)]
pub enum RenderSymbol {
    /// EAN-13 of 12 digits (check digit computed).
    Ean13([u8; 12]),
    /// EAN-8 of 7 digits.
    Ean8([u8; 7]),
    /// UPC-A of 11 digits.
    UpcA([u8; 11]),
    /// UPC-E of number system 0 and 6 digits (not every six are a canonical UPC-E).
    UpcE([u8; 6]),
    /// ITF-14 of 13 digits, bearer bars by the byte.
    Itf14([u8; 13], u8),
    /// Code 128 of Latin-1 bytes.
    Code128(Vec<u8>),
    /// GS1-128 of a message.
    Gs1_128(MessageSpec),
    /// Code 39 of bytes mapped into its set, with the check character or not.
    Code39(Vec<u8>, bool),
    /// GS1 DataMatrix of a message, rectangular or not.
    DataMatrix(MessageSpec, bool),
    /// QR of text at a level.
    Qr(String, u8),
}

/// Options as numbers, mapped into the API's ranges (see [`RenderCase::linear_options`]).
#[derive(Debug, Clone, Arbitrary)]
pub struct RawOptions {
    /// X dimension.
    pub x: u16,
    /// Bar height.
    pub height: u16,
    /// Quiet zone: 0 none, 1 the symbology's minimum, else millimetres or modules.
    pub quiet_mode: u8,
    /// Quiet zone amount.
    pub quiet: u16,
    /// HRI size.
    pub font: u16,
    /// Draw the HRI.
    pub text: bool,
    /// Lay out for a dpi (PNG), or not (vector formats).
    pub dpi: Option<u16>,
    /// PNG resolution when the scene has no dpi.
    pub png_dpi: u16,
    /// SVG text as outlines.
    pub embed_font: bool,
}

/// One render case.
#[derive(Debug, Clone, Arbitrary)]
pub struct RenderCase {
    /// What to draw.
    pub symbol: RenderSymbol,
    /// How.
    pub options: RawOptions,
}

fn digits(d: &[u8]) -> String {
    d.iter().map(|&b| char::from(b'0' + b % 10)).collect()
}

/// `v` mapped onto `lo..=hi` in steps of `step`.
fn ranged(v: u16, lo: f64, hi: f64, step: f64) -> f64 {
    let steps = ((hi - lo) / step).round() as u16;
    lo + f64::from(v % (steps + 1)) * step
}

impl RenderCase {
    /// The encoded symbol, or `None` when the encoder refuses the data (not this
    /// target's concern: the encoder targets check that).
    pub fn symbol(&self) -> Option<Symbol> {
        Some(match &self.symbol {
            RenderSymbol::Ean13(d) => Symbol::Linear(ean_upc::ean13(&digits(d)).ok()?),
            RenderSymbol::Ean8(d) => Symbol::Linear(ean_upc::ean8(&digits(d)).ok()?),
            RenderSymbol::UpcA(d) => Symbol::Linear(ean_upc::upca(&digits(d)).ok()?),
            RenderSymbol::UpcE(d) => Symbol::Linear(ean_upc::upce(&digits(d)).ok()?),
            RenderSymbol::Itf14(d, b) => {
                let bearer = [Bearer::None, Bearer::Bars, Bearer::Frame][usize::from(*b % 3)];
                Symbol::Linear(itf::itf14(&digits(d), bearer).ok()?)
            }
            RenderSymbol::Code128(bytes) => {
                let text: String = bytes.iter().take(80).map(|&b| char::from(b)).collect();
                Symbol::Linear(code128::code128(&text).ok()?)
            }
            RenderSymbol::Gs1_128(m) => Symbol::Linear(code128::gs1_128(&m.build()).ok()?),
            RenderSymbol::Code39(bytes, check) => {
                const SET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%";
                let text: String = bytes
                    .iter()
                    .take(40)
                    .map(|&b| char::from(SET[usize::from(b) % SET.len()]))
                    .collect();
                Symbol::Linear(code39::code39(&text, *check).ok()?)
            }
            RenderSymbol::DataMatrix(m, rect) => {
                let shape = if *rect {
                    DmShape::Rectangle
                } else {
                    DmShape::Square
                };
                Symbol::Matrix(gs1_datamatrix(&m.build(), shape).ok()?)
            }
            RenderSymbol::Qr(text, level) => {
                let level =
                    [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H][usize::from(*level % 4)];
                let text: String = text.chars().take(200).collect();
                Symbol::Matrix(qr(&text, level).ok()?)
            }
        })
    }

    fn dpi(&self) -> Option<u32> {
        self.options
            .dpi
            .map(|d| 72 + u32::from(d) % (2400 - 72 + 1))
    }

    /// The barcode endpoint's ranges: X 0.1-2 mm, bars 1-100 mm, quiet zone none, the
    /// symbology's minimum, or 0-20 mm, text 4-24 pt, dpi 72-2400.
    pub fn linear_options(&self, symbol: &Linear) -> LinearOptions {
        let o = &self.options;
        let x = ranged(o.x, 0.1, 2.0, 0.001);
        let mut opts = LinearOptions::for_symbol(symbol, x, ranged(o.height, 1.0, 100.0, 0.01));
        opts.quiet_zone_mm = match o.quiet_mode % 3 {
            0 => 0.0,
            1 => opts.quiet_zone_mm,
            _ => ranged(o.quiet, 0.0, 20.0, 0.01),
        };
        opts.font_size_pt = ranged(o.font, 4.0, 24.0, 0.01);
        opts.write_text = o.text;
        opts.dpi = self.dpi();
        opts
    }

    /// The DataMatrix and QR endpoints' ranges: modules 0.1-5 mm, quiet zone 0-20
    /// modules, text 4-24 pt, dpi 72-2400.
    pub fn matrix_options(&self) -> MatrixOptions {
        let o = &self.options;
        MatrixOptions {
            x_dimension_mm: ranged(o.x, 0.1, 5.0, 0.001),
            quiet_zone_modules: u32::from(o.quiet % 21),
            write_text: o.text,
            font_size_pt: ranged(o.font, 4.0, 24.0, 0.01),
            dpi: self.dpi(),
        }
    }
}

/// X as layout snaps it: whole pixels at `dpi`, at least one.
fn snapped(x: f64, dpi: Option<u32>) -> f64 {
    match dpi {
        Some(d) => {
            let p = 25.4 / f64::from(d);
            (x / p).round().max(1.0) * p
        }
        None => x,
    }
}

fn on_grid(mm: f64, dpi: u32) -> bool {
    let px = mm * f64::from(dpi) / 25.4;
    (px - px.round()).abs() < 1e-6
}

/// Renders `case` and checks the scene and every format (see the module docs).
pub fn check_render(case: &RenderCase) -> Check {
    let Some(symbol) = case.symbol() else {
        return Ok(());
    };
    let dpi = case.dpi();
    let scene = match &symbol {
        Symbol::Linear(l) => {
            let opts = case.linear_options(l);
            let scene = layout_linear(l, &opts);
            check_scene_frame(&scene, dpi)?;
            check_linear_scene(l, &opts, &scene)?;
            scene
        }
        Symbol::Matrix(m) => {
            let opts = case.matrix_options();
            let scene = layout_matrix(m, &opts);
            check_scene_frame(&scene, dpi)?;
            check_matrix_scene(m, &opts, &scene)?;
            scene
        }
    };
    let png_dpi = dpi.unwrap_or(72 + u32::from(case.options.png_dpi) % (2400 - 72 + 1));
    check_formats(&scene, png_dpi, case.options.embed_font)
}

/// A canvas of positive finite size holding every rectangle and text line; on whole
/// pixels (canvas and rectangles) when laid out for a dpi.
pub fn check_scene_frame(scene: &Scene, dpi: Option<u32>) -> Check {
    let (w, h) = (scene.width_mm, scene.height_mm);
    ensure!(
        w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0,
        "canvas {w} x {h} mm"
    );
    for r in &scene.rects {
        ensure!(
            [r.x, r.y, r.w, r.h].iter().all(|v| v.is_finite()) && r.w > 0.0 && r.h > 0.0,
            "rectangle {r:?}"
        );
        ensure!(
            r.x >= -EPS && r.y >= -EPS && r.right() <= w + EPS && r.bottom() <= h + EPS,
            "rectangle {r:?} outside the {w} x {h} mm canvas"
        );
        if let Some(d) = dpi {
            ensure!(
                [r.x, r.y, r.right(), r.bottom()]
                    .iter()
                    .all(|&v| on_grid(v, d)),
                "rectangle {r:?} off the {d} dpi pixel grid"
            );
        }
    }
    if let Some(d) = dpi {
        ensure!(
            on_grid(w, d) && on_grid(h, d),
            "canvas {w} x {h} mm off the {d} dpi grid"
        );
    }
    // Text: its advance box across, its ink (not its baseline: the canvas ends at the
    // lowest ink, and a digit may sit a hair above the baseline) down.
    for t in &scene.texts {
        let right = t.x_mm + text_width_mm(&t.text, t.size_mm);
        let (top, bottom) = ink_extent_mm(&t.text, t.size_mm).unwrap_or((0.0, 0.0));
        let (top, bottom) = (t.baseline_mm + top, t.baseline_mm + bottom);
        ensure!(
            t.x_mm >= -EPS && right <= w + EPS && top >= -EPS && bottom <= h + EPS,
            "text {t:?} (right edge {right}, ink {top} to {bottom}) outside the {w} x {h} mm canvas"
        );
    }
    Ok(())
}

/// The bar rectangles are the symbol's dark modules at the snapped X, exactly (so the
/// module count is the encoder's), guard bars longer by 5X; the quiet zones at least
/// the symbology's minimum when one that large was asked for; text only when asked for.
pub fn check_linear_scene(symbol: &Linear, opts: &LinearOptions, scene: &Scene) -> Check {
    let x = snapped(opts.x_dimension_mm, opts.dpi);
    let bearers = match symbol.bearer {
        Bearer::None => 0,
        Bearer::Bars => 2,
        Bearer::Frame => 4,
    };
    ensure!(scene.rects.len() > bearers, "no bars");
    let (bars, frame) = scene.rects.split_at(scene.rects.len() - bearers);
    let x0 = bars[0].x;
    let n = symbol.modules.len();
    let mut modules = vec![false; n];
    let bar_top = bars[0].y;
    let bar_h = bars.iter().map(|r| r.h).fold(f64::INFINITY, f64::min);
    for r in bars {
        let (s, e) = ((r.x - x0) / x, (r.right() - x0) / x);
        ensure!(
            (s - s.round()).abs() < 1e-6 && (e - e.round()).abs() < 1e-6,
            "bar {r:?} not on whole modules of {x} mm"
        );
        let (s, e) = (s.round() as usize, e.round() as usize);
        ensure!(e <= n && s < e, "bar {r:?} is modules {s}..{e} of {n}");
        for m in &mut modules[s..e] {
            ensure!(!*m, "bars overlap at {r:?}");
            *m = true;
        }
        ensure!(
            (r.y - bar_top).abs() < EPS,
            "bar {r:?} does not start at {bar_top}"
        );
        let guard = symbol.guards.iter().any(|g| g.contains(&s));
        let want = if guard { bar_h + 5.0 * x } else { bar_h };
        ensure!(
            (r.h - want).abs() < EPS,
            "bar {r:?}: height {}, want {want} (guard {guard})",
            r.h
        );
    }
    ensure!(
        modules == symbol.modules,
        "{:?}: the scene's bars are not the symbol's {n} modules",
        symbol.symbology
    );
    // Light space on each side of the bars, up to the canvas edge or the frame.
    let right_end = x0 + n as f64 * x;
    let left_ink = frame
        .iter()
        .filter(|r| r.right() <= x0 + EPS && r.y < bar_top + bar_h && r.bottom() > bar_top)
        .map(|r| r.right())
        .fold(0.0, f64::max);
    let right_ink = frame
        .iter()
        .filter(|r| r.x >= right_end - EPS && r.y < bar_top + bar_h && r.bottom() > bar_top)
        .map(|r| r.x)
        .fold(scene.width_mm, f64::min);
    let (l, r) = symbol.min_quiet_zone;
    let min = f64::from(l.max(r));
    if opts.quiet_zone_mm > 0.0 && opts.quiet_zone_mm + EPS >= min * opts.x_dimension_mm {
        ensure!(
            x0 - left_ink >= min * x - EPS && right_ink - right_end >= min * x - EPS,
            "{:?}: quiet zones {} and {} mm, minimum {min}X = {} mm",
            symbol.symbology,
            x0 - left_ink,
            right_ink - right_end,
            min * x
        );
    }
    if !opts.write_text {
        ensure!(scene.texts.is_empty(), "text drawn though not asked for");
    } else {
        let spans = symbol.hri.iter().filter(|s| !s.text.is_empty()).count();
        ensure!(
            scene.texts.len() >= spans,
            "{} text lines for {spans} spans",
            scene.texts.len()
        );
    }
    Ok(())
}

/// The rectangles are the symbol's dark modules at the snapped module size, exactly,
/// with the quiet zone asked for around them; the HRI (when asked for) is the symbol's.
pub fn check_matrix_scene(symbol: &Matrix, opts: &MatrixOptions, scene: &Scene) -> Check {
    let m = snapped(opts.x_dimension_mm, opts.dpi);
    let (w, h) = (symbol.width, symbol.height);
    ensure!(!scene.rects.is_empty(), "no modules drawn");
    let ox = scene
        .rects
        .iter()
        .map(|r| r.x)
        .fold(f64::INFINITY, f64::min);
    let oy = scene
        .rects
        .iter()
        .map(|r| r.y)
        .fold(f64::INFINITY, f64::min);
    let mut grid = vec![false; w * h];
    for r in &scene.rects {
        let c = [
            (r.x - ox) / m,
            (r.right() - ox) / m,
            (r.y - oy) / m,
            (r.bottom() - oy) / m,
        ];
        ensure!(
            c.iter().all(|v| (v - v.round()).abs() < 1e-6),
            "rectangle {r:?} not on whole modules of {m} mm"
        );
        let [x0, x1, y0, y1] = c.map(|v| v.round() as usize);
        ensure!(
            x1 <= w && y1 <= h,
            "rectangle {r:?} beyond the {w}x{h} symbol"
        );
        for y in y0..y1 {
            for x in x0..x1 {
                ensure!(!grid[y * w + x], "rectangles overlap at module ({x}, {y})");
                grid[y * w + x] = true;
            }
        }
    }
    ensure!(
        grid == symbol.modules,
        "the scene's rectangles are not the symbol's modules"
    );
    let quiet = f64::from(opts.quiet_zone_modules) * m;
    ensure!(
        (oy - quiet).abs() < EPS,
        "top quiet zone {oy} mm, want {quiet}"
    );
    ensure!(ox >= quiet - EPS, "left quiet zone {ox} mm, want {quiet}");
    ensure!(
        scene.width_mm - (ox + w as f64 * m) >= quiet - EPS
            && scene.height_mm - (oy + h as f64 * m) >= quiet - EPS,
        "right or bottom quiet zone under {quiet} mm"
    );
    match (&symbol.hri, opts.write_text) {
        (Some(hri), true) => {
            let lines: Vec<&str> = scene.texts.iter().map(|t| t.text.as_str()).collect();
            ensure!(
                lines.join(" ") == printed_text(hri),
                "HRI lines {lines:?} for {hri:?}"
            );
        }
        _ => ensure!(
            scene.texts.is_empty(),
            "text drawn without an HRI asked for"
        ),
    }
    Ok(())
}

/// The reference number format of the vector writers: `{:.4}`, trailing zeros and a
/// bare `.` removed, no `-0` (what their fast formatter must write, byte for byte).
pub fn reference_num(v: f64) -> String {
    let mut s = format!("{v:.4}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" {
        s.remove(0);
    }
    s
}

const PT_PER_MM: f64 = 72.0 / 25.4;

/// Every format draws `scene`: see the module docs.
pub fn check_formats(scene: &Scene, png_dpi: u32, embed_font: bool) -> Check {
    let opts = RenderOptions {
        embed_font,
        dpi: png_dpi,
    };
    // SVG: size, viewBox, and one path of every rectangle, numbers as the reference.
    let svg = String::from_utf8(render(scene, Format::Svg, &opts)).map_err(|e| e.to_string())?;
    let (w, h) = (
        reference_num(scene.width_mm),
        reference_num(scene.height_mm),
    );
    let head = format!("width=\"{w}mm\" height=\"{h}mm\" viewBox=\"0 0 {w} {h}\">");
    ensure!(svg.contains(&head), "SVG without {head:?}");
    if !scene.rects.is_empty() {
        let mut d = String::new();
        for r in &scene.rects {
            let rw = reference_num(r.w);
            d.push_str(&format!(
                "M{} {}h{rw}v{}h-{rw}z",
                reference_num(r.x),
                reference_num(r.y),
                reference_num(r.h)
            ));
        }
        ensure!(
            svg.contains(&format!(" d=\"{d}\"/>")),
            "SVG path is not the scene's rectangles"
        );
    }
    let runs = if embed_font {
        svg.matches("<g ").count()
    } else {
        svg.matches("<text ").count()
    };
    ensure!(
        runs == scene.texts.len(),
        "SVG has {runs} text runs of {}",
        scene.texts.len()
    );
    ensure!(svg.ends_with("</svg>\n"), "SVG not closed");

    // EPS: bounding boxes and one rectfill per rectangle.
    let eps = String::from_utf8(render(scene, Format::Eps, &opts)).map_err(|e| e.to_string())?;
    let (wp, hp) = (scene.width_mm * PT_PER_MM, scene.height_mm * PT_PER_MM);
    let bbox = format!(
        "%%BoundingBox: 0 0 {} {}\n%%HiResBoundingBox: 0 0 {wp:.4} {hp:.4}\n",
        (wp - 1e-6).ceil() as i64,
        (hp - 1e-6).ceil() as i64
    );
    ensure!(eps.contains(&bbox), "EPS without {bbox:?}");
    let mut body = String::from("0 setgray\n");
    for r in &scene.rects {
        body.push_str(&format!(
            "{} {} {} {} r\n",
            reference_num(r.x),
            reference_num(r.y),
            reference_num(r.w),
            reference_num(r.h)
        ));
    }
    ensure!(eps.contains(&body), "EPS rectangles are not the scene's");

    // PDF: the page is the scene's size in points.
    let pdf = render(scene, Format::Pdf, &opts);
    let text = String::from_utf8_lossy(&pdf);
    let media = text
        .split("/MediaBox [")
        .nth(1)
        .and_then(|s| s.split(']').next())
        .ok_or("PDF without a MediaBox")?;
    let nums: Vec<f64> = media
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    ensure!(nums.len() == 4, "PDF MediaBox {media:?}");
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-4 * b.max(1.0);
    ensure!(
        nums[0] == 0.0 && nums[1] == 0.0 && close(nums[2], wp) && close(nums[3], hp),
        "PDF MediaBox {media:?} for {wp} x {hp} pt"
    );
    let re = text.matches(" re\n").count();
    ensure!(
        re == scene.rects.len() + 1,
        "PDF has {re} rectangles for {}",
        scene.rects.len()
    );
    ensure!(text.trim_end().ends_with("%%EOF"), "PDF not closed");

    // PNG: size, resolution, pixels.
    let (pw, ph) = png_size(scene, png_dpi);
    if pw * ph > MAX_FUZZ_PNG_PIXELS {
        return Ok(());
    }
    check_png(scene, &render(scene, Format::Png, &opts), png_dpi)
}

/// The PNG decodes to the scene's size at `dpi`, with `pHYs` saying the dpi; every pixel
/// inside a rectangle is black; without text every pixel is as the rectangles, their
/// edges rounded half up to whole pixels, rasterise.
pub fn check_png(scene: &Scene, bytes: &[u8], dpi: u32) -> Check {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().map_err(|e| format!("PNG: {e}"))?;
    let dims = reader.info().pixel_dims;
    let mut buf = vec![0; reader.output_buffer_size().ok_or("PNG size")?];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("PNG: {e}"))?;
    let (w, h) = png_size(scene, dpi);
    ensure!(
        (u64::from(info.width), u64::from(info.height)) == (w, h),
        "PNG {} x {} px, scene {w} x {h} px at {dpi} dpi",
        info.width,
        info.height
    );
    let ppm = (f64::from(dpi) / 0.0254).round() as u32;
    ensure!(
        dims.is_some_and(|d| d.xppu == ppm && d.yppu == ppm && d.unit == png::Unit::Meter),
        "PNG pHYs {dims:?}, want {ppm} px/m"
    );
    ensure!(
        info.color_type == png::ColorType::Grayscale,
        "PNG colour type {:?}",
        info.color_type
    );
    let (w, h) = (w as usize, h as usize);
    let stride = info.line_size;
    let pixel = |x: usize, y: usize| buf[y * stride + x];
    let ppmm = f64::from(dpi) / 25.4;
    let px = |mm: f64, max: usize| ((mm * ppmm + 0.5).max(0.0) as usize).min(max);
    let mut want = vec![255u8; w * h];
    for r in &scene.rects {
        let (x0, x1) = (px(r.x, w), px(r.right(), w));
        let (y0, y1) = (px(r.y, h), px(r.bottom(), h));
        for y in y0..y1 {
            for x in x0..x1 {
                ensure!(
                    pixel(x, y) == 0,
                    "PNG pixel ({x}, {y}) in {r:?} is {}",
                    pixel(x, y)
                );
                want[y * w + x] = 0;
            }
        }
    }
    if scene.texts.is_empty() {
        for y in 0..h {
            for x in 0..w {
                ensure!(
                    pixel(x, y) == want[y * w + x],
                    "PNG pixel ({x}, {y}) is {}, want {}",
                    pixel(x, y),
                    want[y * w + x]
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_numbers() {
        // (index) value, text
        let rows = [
            (0.0, "0"),
            (-0.00001, "0"),
            (1.5, "1.5"),
            (100.0, "100"),
            (-2.12345, "-2.1235"),
        ];
        for (i, (v, want)) in rows.into_iter().enumerate() {
            assert_eq!(reference_num(v), want, "row {i}");
        }
    }

    #[test]
    fn every_symbol_renders_consistently() {
        // GIVEN each kind of symbol, with and without a dpi and text
        let symbols = [
            RenderSymbol::Ean13([9, 5, 0, 1, 1, 0, 1, 0, 2, 0, 9, 1]),
            RenderSymbol::Ean8([9, 5, 0, 1, 1, 0, 1]),
            RenderSymbol::UpcA([0, 1, 2, 3, 4, 5, 0, 0, 0, 0, 6]),
            RenderSymbol::UpcE([1, 2, 3, 4, 5, 6]),
            RenderSymbol::Itf14([1, 9, 5, 0, 1, 1, 0, 1, 0, 2, 0, 9, 1], 2),
            RenderSymbol::Itf14([1, 9, 5, 0, 1, 1, 0, 1, 0, 2, 0, 9, 1], 1),
            RenderSymbol::Code128(b"ABC-123 xyz".to_vec()),
            RenderSymbol::Code39(b"AB12".to_vec(), true),
            RenderSymbol::Qr("https://id.gs1.org/01/09501101020917".into(), 1),
        ];
        for (i, symbol) in symbols.into_iter().enumerate() {
            for (dpi, text, quiet_mode) in
                [(None, true, 1), (Some(228), true, 2), (Some(0), false, 0)]
            {
                let case = RenderCase {
                    symbol: symbol.clone(),
                    options: RawOptions {
                        x: 230,
                        height: 2400,
                        quiet_mode,
                        quiet: 500,
                        font: 600,
                        text,
                        dpi,
                        png_dpi: 228,
                        embed_font: text,
                    },
                };
                assert!(case.symbol().is_some(), "row {i}");
                // THEN scene and formats agree
                assert_eq!(check_render(&case), Ok(()), "row {i} {dpi:?} {text}");
            }
        }
    }
}
