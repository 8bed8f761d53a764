//! The [`Scene`]: what every backend draws, in millimetres, y pointing down.
//!
//! A scene is deliberately dumb: dark rectangles and text runs on a light page.
//! `layout` decides where things go (and snaps them to pixels when asked); the
//! backends only translate a scene into their own syntax.

/// A dark, axis-aligned rectangle in millimetres (origin top-left, y down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge, mm.
    pub x: f64,
    /// Top edge, mm.
    pub y: f64,
    /// Width, mm.
    pub w: f64,
    /// Height, mm.
    pub h: f64,
}

impl Rect {
    /// Right edge.
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
}

/// A line of OCR-B text. Backends draw it from the glyph outlines in
/// [`super::font`] (or, for SVG without embedded outlines, as a `<text>` element).
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// The characters, drawn left to right.
    pub text: String,
    /// Left edge of the first glyph's advance box.
    pub x_mm: f64,
    /// Baseline, from the top of the scene.
    pub baseline_mm: f64,
    /// Font size (the em), in millimetres.
    pub size_mm: f64,
}

/// Everything needed to draw one symbol: a light page of `width_mm` x `height_mm`
/// with dark `rects` and `texts` on it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scene {
    /// Page width, mm.
    pub width_mm: f64,
    /// Page height, mm.
    pub height_mm: f64,
    /// Dark fills. Adjacent dark modules are merged, so a linear symbol has one
    /// rectangle per bar and a matrix one per run of dark modules.
    pub rects: Vec<Rect>,
    /// Text lines: the HRI and light margin indicators.
    pub texts: Vec<TextRun>,
}

/// Maximal runs of `true` in `modules`, as `(start, len)`.
///
/// This is how bars become "as few path/rect elements" as possible: a 3-module
/// bar is one rectangle, not three abutting ones (which also avoids hairline seams
impl Scene {
    /// The same drawing on a larger page: `left`, `top`, `right` and `bottom` mm of
    /// light margin added (the rectangles and text move right and down).
    pub fn padded(mut self, left: f64, top: f64, right: f64, bottom: f64) -> Scene {
        for r in &mut self.rects {
            r.x += left;
            r.y += top;
        }
        for t in &mut self.texts {
            t.x_mm += left;
            t.baseline_mm += top;
        }
        self.width_mm += left + right;
        self.height_mm += top + bottom;
        self
    }
}

/// when a viewer anti-aliases each rectangle on its own).
pub fn dark_runs(modules: &[bool]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, &dark) in modules.iter().enumerate() {
        match (dark, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push((s, i - s));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push((s, modules.len() - s));
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::dark_runs;

    #[test]
    fn dark_runs_merge_adjacent_modules() {
        // (index) modules, expected runs
        type Case<'a> = (&'a [bool], &'a [(usize, usize)]);
        let cases: &[Case] = &[
            /* 0 */ (&[], &[]),
            /* 1 */ (&[false, false], &[]),
            /* 2 */ (&[true], &[(0, 1)]),
            /* 3 */ (&[true, true, false, true], &[(0, 2), (3, 1)]),
            /* 4 */ (&[false, true, true, true], &[(1, 3)]),
        ];
        for (i, (modules, want)) in cases.iter().enumerate() {
            assert_eq!(dark_runs(modules), *want, "case {i}");
        }
    }
}
