//! OCR-B text as outlines, shared by every backend.
//!
//! The glyph data is generated into [`super::ocrb`] from the font by
//! `shared/gen/gen_ocrb.py`. Every backend draws text from these outlines, so an
//! SVG, EPS or PDF looks the same on a machine without OCR-B, and the PNG
//! rasteriser needs no font parser. Characters outside printable ASCII are drawn
//! as `?` (GS1 human-readable text is printable ASCII).

use super::ocrb;
use super::scene::TextRun;

/// One path command in millimetres, y down.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PathCmd {
    /// Start a new contour at (x, y).
    MoveTo(f64, f64),
    /// Straight line to (x, y).
    LineTo(f64, f64),
    /// Quadratic Bézier: control point (x1, y1), end (x, y).
    QuadTo(f64, f64, f64, f64),
    /// Cubic Bézier: control points (x1, y1) and (x2, y2), end (x, y).
    CubicTo(f64, f64, f64, f64, f64, f64),
    /// Close the contour back to its start.
    Close,
}

/// Millimetres per point.
pub const MM_PER_PT: f64 = 25.4 / 72.0;

/// Index of `c`'s glyph in the [`ocrb`] tables (`?` for characters it does not have).
pub fn glyph_index(c: char) -> usize {
    let code = u32::from(c);
    let code = if (u32::from(ocrb::FIRST_CHAR)..=u32::from(ocrb::LAST_CHAR)).contains(&code) {
        code
    } else {
        u32::from(b'?')
    };
    (code - u32::from(ocrb::FIRST_CHAR)) as usize
}

fn units_to_mm(size_mm: f64) -> f64 {
    size_mm / f64::from(ocrb::UNITS_PER_EM)
}

/// Advance width of `text` at `size_mm` (the em), in millimetres.
pub fn text_width_mm(text: &str, size_mm: f64) -> f64 {
    let units: u32 = text
        .chars()
        .map(|c| u32::from(ocrb::ADVANCE[glyph_index(c)]))
        .sum();
    f64::from(units) * units_to_mm(size_mm)
}

/// Height of digits and capitals above the baseline at `size_mm`.
pub fn cap_height_mm(size_mm: f64) -> f64 {
    f64::from(ocrb::CAP_HEIGHT) * units_to_mm(size_mm)
}

/// Height of the digits' ink above the baseline at `size_mm` (OCR-B digits are
/// taller than its capitals: 0.77 em against a 0.70 em cap height). Layout hangs
/// text from this so the tops of the digits keep their gap to the bars.
pub fn digit_height_mm(size_mm: f64) -> f64 {
    ink_extent_mm("0123456789", size_mm).map_or(0.0, |(top, _)| -top)
}

/// Glyph `i`'s outline in font units (y up, origin on the baseline at the left of
/// its advance box): `(op, coordinates)` with `op` one of `M L Q C Z` and 2, 2, 4, 6
/// or 0 coordinates.
pub fn glyph_units(i: usize) -> impl Iterator<Item = (u8, &'static [i16])> {
    let ops = &ocrb::OPS[usize::from(ocrb::OP_START[i])..usize::from(ocrb::OP_START[i + 1])];
    let mut coords =
        &ocrb::COORDS[usize::from(ocrb::COORD_START[i])..usize::from(ocrb::COORD_START[i + 1])];
    ops.iter().map(move |&op| {
        let n = match op {
            b'M' | b'L' => 2,
            b'Q' => 4,
            b'C' => 6,
            _ => 0,
        };
        let (now, rest) = coords.split_at(n);
        coords = rest;
        (op, now)
    })
}

/// Outline of a whole text run in scene millimetres (y down), ready to fill with
/// the non-zero winding rule.
pub fn run_outline(run: &TextRun) -> Vec<PathCmd> {
    let k = units_to_mm(run.size_mm);
    let mut out = Vec::new();
    let mut pen_x = run.x_mm;
    for c in run.text.chars() {
        let i = glyph_index(c);
        let ops = &ocrb::OPS[usize::from(ocrb::OP_START[i])..usize::from(ocrb::OP_START[i + 1])];
        let mut coords = ocrb::COORDS
            [usize::from(ocrb::COORD_START[i])..usize::from(ocrb::COORD_START[i + 1])]
            .chunks_exact(2)
            .map(|p| {
                (
                    pen_x + f64::from(p[0]) * k,
                    run.baseline_mm - f64::from(p[1]) * k,
                )
            });
        let mut next = || coords.next().expect("ocrb tables: too few coordinates");
        for &op in ops {
            out.push(match op {
                b'M' => {
                    let (x, y) = next();
                    PathCmd::MoveTo(x, y)
                }
                b'L' => {
                    let (x, y) = next();
                    PathCmd::LineTo(x, y)
                }
                b'Q' => {
                    let (x1, y1) = next();
                    let (x, y) = next();
                    PathCmd::QuadTo(x1, y1, x, y)
                }
                b'C' => {
                    let (x1, y1) = next();
                    let (x2, y2) = next();
                    let (x, y) = next();
                    PathCmd::CubicTo(x1, y1, x2, y2, x, y)
                }
                _ => PathCmd::Close,
            });
        }
        pen_x += f64::from(ocrb::ADVANCE[i]) * k;
    }
    out
}

/// Vertical ink extent `(top, bottom)` of `text` relative to the baseline, in mm
/// (y down: `top` is negative for ink above the baseline). From the outlines'
/// control points, which bound the curves. `None` for text without ink (spaces).
pub fn ink_extent_mm(text: &str, size_mm: f64) -> Option<(f64, f64)> {
    let k = units_to_mm(size_mm);
    let mut extent: Option<(i16, i16)> = None;
    for c in text.chars() {
        let i = glyph_index(c);
        let ys = ocrb::COORDS
            [usize::from(ocrb::COORD_START[i])..usize::from(ocrb::COORD_START[i + 1])]
            .chunks_exact(2)
            .map(|p| p[1]);
        for y in ys {
            extent = Some(match extent {
                None => (y, y),
                Some((lo, hi)) => (lo.min(y), hi.max(y)),
            });
        }
    }
    extent.map(|(lo, hi)| (-f64::from(hi) * k, -f64::from(lo) * k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ocr_b_is_monospaced_for_digits() {
        let w1 = text_width_mm("0", 10.0);
        assert!((text_width_mm("0123456789", 10.0) - 10.0 * w1).abs() < 1e-9);
        assert!((w1 - 7.23).abs() < 1e-9, "advance 723/1000 em");
    }

    #[test]
    fn outline_of_a_digit_sits_on_the_baseline_below_digit_height() {
        // GIVEN a "1" at 10 mm with its baseline at y = 20 mm
        let run = TextRun {
            text: "1".into(),
            x_mm: 5.0,
            baseline_mm: 20.0,
            size_mm: 10.0,
        };
        let path = run_outline(&run);
        // THEN it starts with a move, closes, and stays inside its advance box and
        // between baseline and digit height (+ a little overshoot)
        assert!(matches!(path.first(), Some(PathCmd::MoveTo(..))));
        assert!(matches!(path.last(), Some(PathCmd::Close)));
        let (top, bottom) = ink_extent_mm("1", 10.0).unwrap();
        assert!((top + 7.7).abs() < 0.05, "top {top}");
        assert!((digit_height_mm(10.0) - 7.73).abs() < 1e-9);
        assert!(cap_height_mm(10.0) < digit_height_mm(10.0));
        assert!(bottom.abs() < 0.3);
        for cmd in path {
            if let PathCmd::MoveTo(x, y) | PathCmd::LineTo(x, y) = cmd {
                assert!((5.0..=5.0 + 7.23).contains(&x), "x {x}");
                assert!((20.0 - 7.8..=20.3).contains(&y), "y {y}");
            }
        }
    }

    #[test]
    fn generated_tables_are_consistent() {
        let n = usize::from(ocrb::LAST_CHAR - ocrb::FIRST_CHAR) + 1;
        assert_eq!(ocrb::ADVANCE.len(), n);
        assert_eq!(usize::from(ocrb::OP_START[n]), ocrb::OPS.len());
        assert_eq!(usize::from(ocrb::COORD_START[n]), ocrb::COORDS.len());
        for i in 0..n {
            let ops =
                &ocrb::OPS[usize::from(ocrb::OP_START[i])..usize::from(ocrb::OP_START[i + 1])];
            let coords: usize = ops
                .iter()
                .map(|op| match op {
                    b'M' | b'L' => 2,
                    b'Q' => 4,
                    b'C' => 6,
                    b'Z' => 0,
                    other => panic!("glyph {i}: unknown op {other}"),
                })
                .sum();
            let have = usize::from(ocrb::COORD_START[i + 1] - ocrb::COORD_START[i]);
            assert_eq!(coords, have, "glyph {i}: coordinates");
            if i > 0 {
                // Every printable glyph but the space has ink: closed contours.
                assert_eq!(ops.first(), Some(&b'M'), "glyph {i}");
                assert_eq!(ops.last(), Some(&b'Z'), "glyph {i}");
            }
        }
    }

    #[test]
    fn non_ascii_falls_back_to_question_mark() {
        assert_eq!(
            ink_extent_mm("é", 10.0),
            ink_extent_mm("?", 10.0),
            "same glyph"
        );
        assert_eq!(ink_extent_mm(" ", 10.0), None);
    }
}
