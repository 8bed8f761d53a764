//! Label sheets: where each label sits on a page ([`Grid`], the named [`STOCKS`]), what
//! one label holds ([`label_scene`]: the symbol at its true size, its HRI and a text
//! line), and crop marks. All in millimetres, origin at the page's top-left, y down;
//! [`super::sheet_pdf`] writes the pages.
//!
//! ```
//! use shared::render::sheet::stock;
//! let l7160 = stock("L7160").unwrap();
//! assert_eq!(l7160.grid.per_page(), 21);
//! let (x, y) = l7160.grid.origin(4); // 5th label: 2nd row, 2nd column
//! assert!((x - (7.21 + 66.04)).abs() < 1e-9 && (y - (15.15 + 38.1)).abs() < 1e-9);
//! ```

use super::font::{self, MM_PER_PT};
use super::scene::{Rect, Scene, TextRun};

/// A4, portrait, mm (ISO 216).
pub const A4: (f64, f64) = (210.0, 297.0);
/// US Letter, portrait, mm (8.5 x 11 in).
pub const LETTER: (f64, f64) = (215.9, 279.4);
/// Light space kept between a label's edge and its text (a label's corners are
/// rounded and die-cutting wanders by about a millimetre).
pub const LABEL_PADDING_MM: f64 = 1.5;
/// Gap between a matrix symbol (with its quiet zone) and its HRI lines.
const HRI_GAP_MM: f64 = 1.0;
/// Line pitch of text lines, in ems.
const LINE_SPACING: f64 = 1.2;
/// Crop marks: this long, this thick, this far from the labels.
const MARK_LENGTH_MM: f64 = 5.0;
const MARK_WIDTH_MM: f64 = 0.1;
const MARK_OFFSET_MM: f64 = 1.0;

/// Labels laid out in a grid of `columns` x `rows` on each page, filled left to right,
/// then top to bottom.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "http", derive(serde::Serialize, serde::Deserialize))]
pub struct Grid {
    /// Labels across.
    pub columns: u32,
    /// Labels down.
    pub rows: u32,
    /// One label's width, mm.
    pub label_width_mm: f64,
    /// One label's height, mm.
    pub label_height_mm: f64,
    /// Page top to the first row's top edge, mm.
    pub margin_top_mm: f64,
    /// Page left to the first column's left edge, mm.
    pub margin_left_mm: f64,
    /// Space between columns, mm (column pitch = width + gap).
    pub gap_x_mm: f64,
    /// Space between rows, mm (row pitch = height + gap).
    pub gap_y_mm: f64,
}

impl Grid {
    /// Labels on one page.
    pub fn per_page(&self) -> usize {
        self.columns as usize * self.rows as usize
    }

    /// Top-left corner of label `slot` (0-based, row-major) of a page, mm.
    pub fn origin(&self, slot: usize) -> (f64, f64) {
        let columns = self.columns.max(1) as usize;
        let (row, column) = (slot / columns, slot % columns);
        (
            self.margin_left_mm + column as f64 * (self.label_width_mm + self.gap_x_mm),
            self.margin_top_mm + row as f64 * (self.label_height_mm + self.gap_y_mm),
        )
    }

    /// Right and bottom edge of the whole grid, mm from the page's top-left.
    pub fn extent(&self) -> (f64, f64) {
        let n = |k: u32| f64::from(k.max(1));
        (
            self.margin_left_mm
                + n(self.columns) * self.label_width_mm
                + (n(self.columns) - 1.0) * self.gap_x_mm,
            self.margin_top_mm
                + n(self.rows) * self.label_height_mm
                + (n(self.rows) - 1.0) * self.gap_y_mm,
        )
    }

    /// Crop marks for a page of `page` (width, height) mm: at every column edge above
    /// and below the grid, and at every row edge left and right of it, 5 mm long, each
    /// 1 mm clear of the labels and cut short at the page edge (none
    /// where the margin is narrower than the offset).
    pub fn crop_marks(&self, page: (f64, f64)) -> Vec<Rect> {
        let (right, bottom) = self.extent();
        let mut marks = Vec::new();
        let mut xs = Vec::new();
        for c in 0..self.columns {
            let (x, _) = self.origin(c as usize);
            xs.push(x);
            xs.push(x + self.label_width_mm);
        }
        let mut ys = Vec::new();
        for r in 0..self.rows {
            let (_, y) = self.origin((r * self.columns) as usize);
            ys.push(y);
            ys.push(y + self.label_height_mm);
        }
        dedup(&mut xs);
        dedup(&mut ys);
        let half = MARK_WIDTH_MM / 2.0;
        // (from, to) of a mark in a margin running from `edge` outwards by `room`.
        let span = |start: f64, end: f64| -> Option<(f64, f64)> {
            let (a, b) = (start.max(0.0), end);
            (b - a > MARK_WIDTH_MM).then_some((a, b))
        };
        let above = span(
            self.margin_top_mm - MARK_OFFSET_MM - MARK_LENGTH_MM,
            self.margin_top_mm - MARK_OFFSET_MM,
        );
        let below = span(
            bottom + MARK_OFFSET_MM,
            (bottom + MARK_OFFSET_MM + MARK_LENGTH_MM).min(page.1),
        );
        let left = span(
            self.margin_left_mm - MARK_OFFSET_MM - MARK_LENGTH_MM,
            self.margin_left_mm - MARK_OFFSET_MM,
        );
        let rightm = span(
            right + MARK_OFFSET_MM,
            (right + MARK_OFFSET_MM + MARK_LENGTH_MM).min(page.0),
        );
        for &x in &xs {
            for (a, b) in [above, below].into_iter().flatten() {
                marks.push(Rect {
                    x: x - half,
                    y: a,
                    w: MARK_WIDTH_MM,
                    h: b - a,
                });
            }
        }
        for &y in &ys {
            for (a, b) in [left, rightm].into_iter().flatten() {
                marks.push(Rect {
                    x: a,
                    y: y - half,
                    w: b - a,
                    h: MARK_WIDTH_MM,
                });
            }
        }
        marks
    }
}

/// Sorted, and values within 0.01 mm of the previous one dropped (abutting labels
/// share an edge).
fn dedup(v: &mut Vec<f64>) {
    v.sort_by(f64::total_cmp);
    v.dedup_by(|b, a| (*b - *a).abs() < 0.01);
}

/// A named label stock: its page and its grid, as the maker publishes them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stock {
    /// The maker's code, as the API takes it (`L7160`).
    pub name: &'static str,
    /// Page (width, height), mm.
    pub page: (f64, f64),
    /// Where the labels are.
    pub grid: Grid,
}

/// The stocks the API knows by name.
///
/// | stock | page   | labels  | label           | column pitch | row pitch | top      | left       |
/// |-------|--------|---------|-----------------|--------------|-----------|----------|------------|
/// | L7160 | A4     | 3 x 7   | 63.5 x 38.1 mm  | 66.04 mm     | 38.1 mm   | 15.15 mm | 7.21 mm    |
/// | L7163 | A4     | 2 x 7   | 99.1 x 38.1 mm  | 101.6 mm     | 38.1 mm   | 15.15 mm | 4.65 mm    |
/// | 5160  | Letter | 3 x 10  | 2.625 x 1 in    | 2.75 in      | 1 in      | 0.5 in   | 0.1875 in  |
///
/// Avery's templates (avery.co.uk L7160/L7163, avery.com 5160); each grid is centred
/// on its page, which the margins check: 7.21 + 3 x 63.5 + 2 x 2.54 + 7.21 = 210.
pub const STOCKS: [Stock; 3] = [
    Stock {
        name: "L7160",
        page: A4,
        grid: Grid {
            columns: 3,
            rows: 7,
            label_width_mm: 63.5,
            label_height_mm: 38.1,
            margin_top_mm: 15.15,
            margin_left_mm: 7.21,
            gap_x_mm: 2.54,
            gap_y_mm: 0.0,
        },
    },
    Stock {
        name: "L7163",
        page: A4,
        grid: Grid {
            columns: 2,
            rows: 7,
            label_width_mm: 99.1,
            label_height_mm: 38.1,
            margin_top_mm: 15.15,
            margin_left_mm: 4.65,
            gap_x_mm: 2.5,
            gap_y_mm: 0.0,
        },
    },
    Stock {
        name: "5160",
        page: LETTER,
        grid: Grid {
            columns: 3,
            rows: 10,
            label_width_mm: 2.625 * 25.4,
            label_height_mm: 25.4,
            margin_top_mm: 0.5 * 25.4,
            margin_left_mm: 0.1875 * 25.4,
            gap_x_mm: 0.125 * 25.4,
            gap_y_mm: 0.0,
        },
    },
];

/// The stock named `name` (exactly as in [`STOCKS`]).
pub fn stock(name: &str) -> Option<Stock> {
    STOCKS.iter().find(|s| s.name == name).copied()
}

/// The symbol does not fit its label: by how much, mm (0 when that side fits).
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("{too_wide_mm:.2} mm too wide, {too_tall_mm:.2} mm too tall")]
pub struct DoesNotFit {
    /// Symbol width (with its quiet zones) less the room for it.
    pub too_wide_mm: f64,
    /// Symbol height (with its quiet zones and, for 1D, its HRI) less the room for it.
    pub too_tall_mm: f64,
    /// The room the label has for the symbol, (width, height) mm.
    pub room_mm: (f64, f64),
}

/// What goes on one label.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelContent<'a> {
    /// The symbol laid out at its true X-dimension, quiet zones included (a 1D
    /// symbol's scene carries its own HRI).
    pub symbol: &'a Scene,
    /// HRI lines set beside a matrix symbol (`(01)09501101020917`...); empty for 1D.
    pub hri_lines: &'a [String],
    /// The item's text line, under everything.
    pub text: Option<&'a str>,
    /// Size of the HRI lines and the text line, pt (shrunk to fit the width).
    pub font_pt: f64,
}

/// Lays out one `width` x `height` mm label: the text line (if any) at the bottom,
/// above it the symbol, never scaled: a matrix symbol at the left with its HRI lines
/// beside it, a 1D symbol centred. Text that is too long is set smaller; a symbol
/// that does not fit is an error.
///
/// Errors: [`DoesNotFit`], saying by how many mm.
pub fn label_scene(
    content: &LabelContent<'_>,
    width: f64,
    height: f64,
) -> Result<Scene, DoesNotFit> {
    let pad = LABEL_PADDING_MM;
    let size = content.font_pt.max(1.0) * MM_PER_PT;
    let mut texts = Vec::new();
    // The text line: centred, shrunk to the label's width less its padding.
    let mut bottom = height;
    if let Some(text) = content.text.filter(|t| !t.is_empty()) {
        let text = font::printed_text(text).into_owned();
        let room = (width - 2.0 * pad).max(1.0);
        let s = shrink(size, font::text_width_mm(&text, size), room);
        let w = font::text_width_mm(&text, s);
        let baseline = height - pad - descender_mm(s);
        bottom = baseline - font::digit_height_mm(s) - 0.5 * s * (LINE_SPACING - 1.0) - 0.5;
        texts.push(TextRun {
            text,
            x_mm: (width - w) / 2.0,
            baseline_mm: baseline,
            size_mm: s,
        });
    }
    let sym = content.symbol;
    // The quiet zones are light: they may reach the label's edges, but the dark
    // symbol keeps the padding at the top.
    let room = (width, bottom);
    if sym.width_mm > room.0 + 1e-9 || sym.height_mm > room.1 + 1e-9 {
        return Err(DoesNotFit {
            too_wide_mm: (sym.width_mm - room.0).max(0.0),
            too_tall_mm: (sym.height_mm - room.1).max(0.0),
            room_mm: room,
        });
    }
    let (x, y) = if content.hri_lines.is_empty() {
        ((width - sym.width_mm) / 2.0, (bottom - sym.height_mm) / 2.0)
    } else {
        (
            pad.min(width - sym.width_mm),
            (bottom - sym.height_mm) / 2.0,
        )
    };
    let mut scene = Scene {
        width_mm: width,
        height_mm: height,
        rects: Vec::with_capacity(sym.rects.len()),
        texts: Vec::new(),
    };
    scene.rects.extend(sym.rects.iter().map(|r| Rect {
        x: r.x + x,
        y: r.y + y,
        ..*r
    }));
    scene.texts.extend(sym.texts.iter().map(|t| TextRun {
        x_mm: t.x_mm + x,
        baseline_mm: t.baseline_mm + y,
        ..t.clone()
    }));
    if !content.hri_lines.is_empty() {
        // Beside the symbol, vertically centred on it, shrunk to the room left.
        let left = x + sym.width_mm + HRI_GAP_MM;
        let room_w = (width - pad - left).max(1.0);
        let widest = content
            .hri_lines
            .iter()
            .map(|l| font::text_width_mm(&font::printed_text(l), size))
            .fold(0.0, f64::max);
        let s = shrink(size, widest, room_w);
        let pitch = s * LINE_SPACING;
        let block = pitch * (content.hri_lines.len() as f64 - 1.0) + font::digit_height_mm(s);
        let mut baseline = y + (sym.height_mm - block) / 2.0 + font::digit_height_mm(s);
        for line in content.hri_lines {
            scene.texts.push(TextRun {
                text: font::printed_text(line).into_owned(),
                x_mm: left,
                baseline_mm: baseline,
                size_mm: s,
            });
            baseline += pitch;
        }
    }
    scene.texts.extend(texts);
    Ok(scene)
}

/// Depth of the font's descender below the baseline at `size` (the em), mm.
fn descender_mm(size: f64) -> f64 {
    f64::from(-super::ocrb::DESCENDER) / f64::from(super::ocrb::UNITS_PER_EM) * size
}

/// `size` made smaller, if need be, so text `width` mm wide at `size` fits `room`.
fn shrink(size: f64, width: f64, room: f64) -> f64 {
    if width > room && width > 0.0 {
        size * room / width
    } else {
        size
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each stock's grid is centred on its page, as the makers' templates are.
    #[test]
    fn stocks_are_centred_on_their_page() {
        for (i, s) in STOCKS.iter().enumerate() {
            let (right, bottom) = s.grid.extent();
            assert!(
                (s.page.0 - right - s.grid.margin_left_mm).abs() < 0.011,
                "row {i} {}: right margin {}",
                s.name,
                s.page.0 - right
            );
            assert!(
                (s.page.1 - bottom - s.grid.margin_top_mm).abs() < 0.011,
                "row {i} {}: bottom margin {}",
                s.name,
                s.page.1 - bottom
            );
        }
    }

    #[test]
    fn a_symbol_too_large_says_by_how_much() {
        let sym = Scene {
            width_mm: 70.0,
            height_mm: 10.0,
            ..Scene::default()
        };
        let e = label_scene(
            &LabelContent {
                symbol: &sym,
                hri_lines: &[],
                text: None,
                font_pt: 8.0,
            },
            63.5,
            38.1,
        )
        .unwrap_err();
        assert!((e.too_wide_mm - 6.5).abs() < 1e-9 && e.too_tall_mm == 0.0);
    }
}
