//! Layout: a [`Symbol`](crate::symbol::Symbol) plus options becomes a [`Scene`] in
//! millimetres.
//!
//! All geometry decisions live here, so the backends agree by construction:
//!
//! * **Pixel snapping.** With `dpi: Some(d)`, X becomes `round(X·d/25.4)` whole pixels
//!   (at least 1) and the quiet zone, bar height, bearer bars and canvas edges are whole
//!   pixels too, so every bar edge lands on a pixel boundary (Zint rasterises on the
//!   module grid the same way). A PNG of that scene at the same dpi has no grey pixels
//!   in the bars and every bar is exactly `modules × X px` wide. A quiet zone that
//!   meets the symbol's minimum at the requested X is at least that many snapped
//!   modules wide in pixels too (rounding alone could lose a pixel).
//! * **Width** = modules × X + 2 × quiet zone, except that text is never clipped: if a
//!   text span or light margin indicator falls outside (EAN-13's first digit with no quiet zone,
//!   a long GS1-128 HRI line), the canvas grows to hold it.
//! * **Guard bars** (EAN/UPC) extend [`GUARD_EXTENSION_X`] = 5X below the other bars, as
//!   the GS1 General Specifications draw EAN/UPC; the digits sit between the extensions,
//!   their tops just under the normal bars.
//! * **Light margin indicators** (`<`, `>`) are drawn only when the quiet zone holds them: a zero
//!   or too-narrow quiet zone drops them rather than growing the canvas for them.
//! * **Bearer bars** (ITF-14) are [`BEARER_X`] = 5X thick. GS1 (General Specifications,
//!   ITF-14 bearer bars) asks for at least 2X, and 4.8 mm nominal for the 1.016 mm
//!   nominal X of corrugate printing; 5X is 5.08 mm there, satisfies the 2X minimum at
//!   every X, scales with X, and is Zint's default bearer width for ITF-14.
//!   `Frame` is a rectangle around symbol and quiet zones; `Bars` is top and bottom only.
//! * **No margin above the bars** unless a bearer bar sits there; the canvas ends at the
//!   lowest ink (guard bars, bearer bar or text).
//! * **Text** is OCR-B under the bars, a gap of 1X below them; below 8 pt it is compact
//!   (gap 0.5X), for small symbols where every tenth of a millimetre counts. A character
//!   OCR-B cannot draw is printed as a stand-in ([`font::printed_text`]: `<CR>`,
//!   `<U+00E9>`), so the scene's text, and every backend's, shows every character.

use super::font::{self, MM_PER_PT};
use super::scene::{dark_runs, Rect, Scene, TextRun};
use crate::symbol::{Bearer, Linear, Matrix, Symbology, TextAnchor, TextSpan};

/// Guard bars extend this many X below the normal bars.
pub const GUARD_EXTENSION_X: f64 = 5.0;
/// Bearer bar thickness in X (see the module docs for why 5).
pub const BEARER_X: f64 = 5.0;
/// `TextSpan::small` digits are drawn at this fraction of the font size.
pub const SMALL_TEXT_SCALE: f64 = 0.75;
/// Below this font size (points), text is set compact: closer to the bars.
pub const COMPACT_TEXT_BELOW_PT: f64 = 8.0;
/// Gap between bars and the top of the digits, in X (compact: half of it).
pub const TEXT_GAP_X: f64 = 1.0;

/// How to lay out a [`Linear`] symbol.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearOptions {
    /// The X-dimension (GS1 term): the width of the narrowest bar or space, in mm.
    pub x_dimension_mm: f64,
    /// Height of the normal bars (guard bars extend 5X further down).
    pub bar_height_mm: f64,
    /// Quiet zone on the left and on the right; 0 = no quiet zone and no light margin indicators.
    pub quiet_zone_mm: f64,
    /// OCR-B size of the human-readable text; below 8 pt the text is compact.
    pub font_size_pt: f64,
    /// Draw the Human Readable Interpretation (and light margin indicators).
    pub write_text: bool,
    /// Snap to whole pixels at this resolution (see the module docs).
    pub dpi: Option<u32>,
}

impl LinearOptions {
    /// Options for `symbol` at X = `x_dimension_mm`: the symbol's larger minimum quiet
    /// zone on both sides, text on at [`default_font_size_pt`], no pixel snapping.
    pub fn for_symbol(symbol: &Linear, x_dimension_mm: f64, bar_height_mm: f64) -> Self {
        let (left, right) = symbol.min_quiet_zone;
        Self {
            x_dimension_mm,
            bar_height_mm,
            quiet_zone_mm: f64::from(left.max(right)) * x_dimension_mm,
            font_size_pt: default_font_size_pt(symbol.symbology, x_dimension_mm),
            write_text: true,
            dpi: None,
        }
    }
}

/// A default text size for `symbology` at X = `x_dimension_mm`.
///
/// EAN/UPC: the size whose digit advance is 7X, the pitch of their symbol characters,
/// so each digit sits under its own symbol character. Others (ITF-14, GS1-128, ...)
/// have no such pitch: the same rule, capped at [`MAX_DEFAULT_FONT_PT`] so that a
/// 1 mm ITF-14 does not get 27 pt digits.
pub fn default_font_size_pt(symbology: Symbology, x_dimension_mm: f64) -> f64 {
    let em_mm = 7.0 * x_dimension_mm / font::text_width_mm("0", 1.0);
    let pt = em_mm / MM_PER_PT;
    match symbology {
        Symbology::Ean13 | Symbology::Ean8 | Symbology::UpcA | Symbology::UpcE => pt,
        _ => pt.min(MAX_DEFAULT_FONT_PT),
    }
}

/// Cap of [`default_font_size_pt`] outside EAN/UPC.
pub const MAX_DEFAULT_FONT_PT: f64 = 11.0;

/// How to lay out a [`Matrix`] symbol.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatrixOptions {
    /// The X-dimension: the side of one square module, in mm.
    pub x_dimension_mm: f64,
    /// Quiet zone on every side, in modules.
    pub quiet_zone_modules: u32,
    /// Draw the symbol's HRI line (if it has one) under the symbol.
    pub write_text: bool,
    /// OCR-B size of the HRI line, in points.
    pub font_size_pt: f64,
    /// Snap to whole pixels at this resolution.
    pub dpi: Option<u32>,
}

/// Pixel grid of an optional dpi; without one every function is the identity.
#[derive(Clone, Copy)]
struct Grid(Option<f64>);

impl Grid {
    fn new(dpi: Option<u32>) -> Self {
        Grid(dpi.filter(|&d| d > 0).map(|d| 25.4 / f64::from(d)))
    }
    fn round(self, mm: f64) -> f64 {
        self.0.map_or(mm, |p| (mm / p).round() * p)
    }
    /// Whole pixels, at least one (a module never vanishes).
    fn module(self, mm: f64) -> f64 {
        self.0.map_or(mm, |p| (mm / p).round().max(1.0) * p)
    }
    fn floor(self, mm: f64) -> f64 {
        // The epsilon keeps values that are already on the grid from moving a pixel.
        self.0.map_or(mm, |p| (mm / p + 1e-6).floor() * p)
    }
    fn ceil(self, mm: f64) -> f64 {
        self.0.map_or(mm, |p| (mm / p - 1e-6).ceil() * p)
    }
}

/// A text run placed relative to the first bar (x = 0 at the left of module 0).
struct Placed {
    run: TextRun,
    right: f64,
    ink_bottom: f64,
}

fn place(span: &TextSpan, x: f64, baseline: f64, size_mm: f64) -> Placed {
    let size = if span.small {
        size_mm * SMALL_TEXT_SCALE
    } else {
        size_mm
    };
    let text = font::printed_text(&span.text);
    let width = font::text_width_mm(&text, size);
    let anchor = f64::from(span.x) * x;
    let left = match span.anchor {
        TextAnchor::Start => anchor,
        TextAnchor::Middle => anchor - width / 2.0,
        TextAnchor::End => anchor - width,
    };
    let ink_bottom = font::ink_extent_mm(&text, size).map_or(baseline, |(_, b)| baseline + b);
    Placed {
        run: TextRun {
            text: text.into_owned(),
            x_mm: left,
            baseline_mm: baseline,
            size_mm: size,
        },
        right: left + width,
        ink_bottom,
    }
}

/// The quiet zone in mm on the pixel grid. Rounding it to whole pixels on its own could
/// lose the minimum: X = 0.33 mm is 4 px at 300 dpi (0.339 mm), and EAN-13's 11X =
/// 3.63 mm rounds to 43 px where 11 modules are 44. So a quiet zone that meets the
/// symbol's minimum at the requested X meets it in whole modules of the snapped `x`.
/// (One below the minimum, or 0, is the caller's choice and only rounded.)
fn snapped_quiet_zone(symbol: &Linear, opts: &LinearOptions, grid: Grid, x: f64) -> f64 {
    let requested = opts.quiet_zone_mm.max(0.0);
    let (left, right) = symbol.min_quiet_zone;
    let min_modules = f64::from(left.max(right));
    let rounded = grid.round(requested);
    if requested > 0.0 && requested + 1e-6 >= min_modules * opts.x_dimension_mm {
        rounded.max(min_modules * x)
    } else {
        rounded
    }
}

/// Lays out a linear symbol; see the module docs for the rules.
pub fn layout_linear(symbol: &Linear, opts: &LinearOptions) -> Scene {
    let grid = Grid::new(opts.dpi);
    let x = grid.module(opts.x_dimension_mm.max(0.0));
    let quiet = snapped_quiet_zone(symbol, opts, grid, x);
    let bar_h = grid.round(opts.bar_height_mm.max(0.0));
    let n = symbol.modules.len() as f64;

    let bearer_t = match symbol.bearer {
        Bearer::None => 0.0,
        Bearer::Bars | Bearer::Frame => BEARER_X * x,
    };
    let frame_side = if symbol.bearer == Bearer::Frame {
        bearer_t
    } else {
        0.0
    };
    let bars_top = bearer_t;
    let bars_bottom = bars_top + bar_h;
    let guard_ext = if symbol.guards.is_empty() {
        0.0
    } else {
        GUARD_EXTENSION_X * x
    };

    // Horizontal extent of symbol, quiet zones and frame, relative to module 0.
    let mut left = -(quiet + frame_side);
    let mut right = n * x + quiet + frame_side;
    let (box_left, box_right) = (left, right);
    let mut bottom = bars_bottom + guard_ext + bearer_t;

    let mut placed = Vec::new();
    if opts.write_text {
        // EAN/UPC digits each sit under their own 7-module symbol character: a size
        // whose digits are wider would push them into the guard bars (10 pt at the
        // default X = 0.33 mm does), so for these the requested size is a maximum.
        let pt = match symbol.symbology {
            Symbology::Ean13 | Symbology::Ean8 | Symbology::UpcA | Symbology::UpcE => opts
                .font_size_pt
                .min(default_font_size_pt(symbol.symbology, opts.x_dimension_mm)),
            _ => opts.font_size_pt,
        };
        let size_mm = pt.max(0.0) * MM_PER_PT;
        let compact = pt < COMPACT_TEXT_BELOW_PT;
        let gap = TEXT_GAP_X * x * if compact { 0.5 } else { 1.0 };
        // Digits hang from the normal bars (between the guard extensions) or from
        // the bottom bearer bar.
        let baseline = bars_bottom + bearer_t + gap + font::digit_height_mm(size_mm);
        for span in &symbol.hri {
            placed.push(place(span, x, baseline, size_mm));
        }
        if quiet > 0.0 {
            let eps = 1e-9;
            for mark in &symbol.light_margin_indicators {
                let p = place(mark, x, baseline, size_mm);
                if p.run.x_mm >= -quiet - eps && p.right <= n * x + quiet + eps {
                    placed.push(p);
                }
            }
        }
        for p in &placed {
            left = left.min(p.run.x_mm);
            right = right.max(p.right);
            bottom = bottom.max(p.ink_bottom);
        }
    }
    let left = grid.floor(left);
    let right = grid.ceil(right);
    let ox = -left;

    let mut rects = Vec::new();
    // Bars: runs of dark modules, split where the guard extension starts or stops.
    let in_guard = |i: usize| symbol.guards.iter().any(|g| g.contains(&i));
    for (start, len) in dark_runs(&symbol.modules) {
        let mut s = start;
        while s < start + len {
            let ext = in_guard(s);
            let mut e = s + 1;
            while e < start + len && in_guard(e) == ext {
                e += 1;
            }
            rects.push(Rect {
                x: ox + s as f64 * x,
                y: bars_top,
                w: (e - s) as f64 * x,
                h: bar_h + if ext { guard_ext } else { 0.0 },
            });
            s = e;
        }
    }
    if bearer_t > 0.0 {
        let (bx, bw) = (ox + box_left, box_right - box_left);
        rects.push(Rect {
            x: bx,
            y: 0.0,
            w: bw,
            h: bearer_t,
        });
        rects.push(Rect {
            x: bx,
            y: bars_bottom,
            w: bw,
            h: bearer_t,
        });
        if frame_side > 0.0 {
            for fx in [bx, bx + bw - frame_side] {
                rects.push(Rect {
                    x: fx,
                    y: bearer_t,
                    w: frame_side,
                    h: bar_h,
                });
            }
        }
    }

    let texts = placed
        .into_iter()
        .map(|p| TextRun {
            x_mm: p.run.x_mm + ox,
            ..p.run
        })
        .collect();
    Scene {
        width_mm: right - left,
        height_mm: grid.ceil(bottom),
        rects,
        texts,
    }
}

/// Line pitch of a wrapped matrix HRI, in em.
const HRI_LINE_SPACING: f64 = 1.2;

/// Splits an HRI such as `(01) 095... (17) 270630 (10) LOT1` into lines no wider than
/// `max_mm`, breaking only between element strings (a lone wide one keeps its line),
/// so a 10 mm symbol does not get a 100 mm caption.
fn wrap_hri(hri: &str, size_mm: f64, max_mm: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for (i, piece) in hri.split(" (").enumerate() {
        let piece = if i == 0 {
            piece.to_string()
        } else {
            format!("({piece}")
        };
        match lines.last_mut() {
            Some(line) if font::text_width_mm(&format!("{line} {piece}"), size_mm) <= max_mm => {
                line.push(' ');
                line.push_str(&piece);
            }
            _ => lines.push(piece),
        }
    }
    lines
}

/// Lays out a matrix symbol: square modules, a quiet zone all round, and the HRI
/// line (if any and asked for) centred under the quiet zone.
pub fn layout_matrix(symbol: &Matrix, opts: &MatrixOptions) -> Scene {
    let grid = Grid::new(opts.dpi);
    let m = grid.module(opts.x_dimension_mm.max(0.0));
    let quiet = f64::from(opts.quiet_zone_modules) * m;
    let sym_w = symbol.width as f64 * m;
    let sym_h = symbol.height as f64 * m;

    let mut width = sym_w + 2.0 * quiet;
    let mut height = sym_h + 2.0 * quiet;
    let mut side = 0.0;
    let mut texts = Vec::new();
    if let (true, Some(hri)) = (opts.write_text, &symbol.hri) {
        let size = opts.font_size_pt.max(0.0) * MM_PER_PT;
        let lines = wrap_hri(&font::printed_text(hri), size, width);
        let tw = lines
            .iter()
            .map(|l| font::text_width_mm(l, size))
            .fold(0.0, f64::max);
        if tw > width {
            side = grid.ceil((tw - width) / 2.0);
            width += 2.0 * side;
        }
        // The quiet zone stays clear: text starts below it (or 1 module under the
        // symbol when there is none).
        let top = quiet + sym_h + quiet.max(m);
        let mut baseline = top + font::digit_height_mm(size);
        for line in lines {
            let lw = font::text_width_mm(&line, size);
            let ink_bottom =
                font::ink_extent_mm(&line, size).map_or(baseline, |(_, b)| baseline + b);
            height = grid.ceil(height.max(ink_bottom));
            texts.push(TextRun {
                text: line,
                x_mm: (width - lw) / 2.0,
                baseline_mm: baseline,
                size_mm: size,
            });
            baseline += size * HRI_LINE_SPACING;
        }
    }

    // Merge each row into runs, then stack identical runs of consecutive rows:
    // a finder pattern's 7x1 rows become one rectangle with a hole, not 49 squares.
    // `open`: the previous row's runs as (start, len, index in `done`), by start; a run
    // of this row continues one there with the same start and length, which a merge
    // walk of the two sorted lists finds without a map. A rectangle is pushed when its
    // run opens, so `done` is in (first row, start) order without sorting.
    let mut open: Vec<(usize, usize, usize)> = Vec::new();
    let mut next: Vec<(usize, usize, usize)> = Vec::new();
    let mut done: Vec<(usize, usize, usize, usize)> = Vec::new(); // (row0, start, len, rows)
    for row in 0..=symbol.height {
        next.clear();
        let mut prev = open.iter().peekable();
        let close = |done: &mut Vec<(usize, usize, usize, usize)>, p: &(usize, usize, usize)| {
            let rect = &mut done[p.2];
            rect.3 = row - rect.0;
        };
        if row < symbol.height {
            let modules = &symbol.modules[row * symbol.width..(row + 1) * symbol.width];
            let mut x = 0;
            while x < modules.len() {
                if !modules[x] {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < modules.len() && modules[x] {
                    x += 1;
                }
                let len = x - start;
                // Close the previous row's runs that start before this one.
                while let Some(p) = prev.next_if(|p| p.0 < start) {
                    close(&mut done, p);
                }
                let continued = match prev.next_if(|p| p.0 == start) {
                    Some(p) if p.1 == len => Some(p.2),
                    Some(p) => {
                        close(&mut done, p);
                        None
                    }
                    None => None,
                };
                let index = continued.unwrap_or_else(|| {
                    done.push((row, start, len, 0));
                    done.len() - 1
                });
                next.push((start, len, index));
            }
        }
        for p in prev {
            close(&mut done, p);
        }
        std::mem::swap(&mut open, &mut next);
    }
    let ox = side + quiet;
    let rects = done
        .into_iter()
        .map(|(row0, start, len, rows)| Rect {
            x: ox + start as f64 * m,
            y: quiet + row0 as f64 * m,
            w: len as f64 * m,
            h: rows as f64 * m,
        })
        .collect();
    Scene {
        width_mm: width,
        height_mm: height,
        rects,
        texts,
    }
}
