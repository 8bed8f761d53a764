//! OCR-B text as outlines, shared by every backend.
//!
//! The glyph data is generated into [`super::ocrb`] from the font by
//! `shared/gen/gen_ocrb.py`. Every backend draws text from these outlines, so an
//! SVG, EPS or PDF looks the same on a machine without OCR-B, and the PNG
//! rasteriser needs no font parser.
//!
//! # Characters OCR-B cannot draw
//! The human readable text must show every character the symbol carries, so layout
//! passes each text through [`printed_text`] first: a character OCR-B holds (all of
//! printable ASCII and 19 Latin-1 letters and signs, such as `ä`, `Ö`, `ß`, `Æ`, `ø`,
//! `§`, `¿`) is drawn as itself; U+00A0 (no-break space) as a space; any other
//! character becomes a stand-in made of characters OCR-B has:
//!
//! * a C0 control character or DEL becomes its ASCII name in angle brackets, `<CR>`,
//!   `<LF>`, `<HT>`, `<NUL>`, `<GS>`, `<DEL>`: the notation scanner manuals and the GS1
//!   General Specifications use (`<GS>`, `<FNC1>`), and readable where caret notation
//!   (`^M`) needs a reader who knows it. Unicode's control pictures (`␍`) are not in OCR-B;
//! * anything else, a C1 control character (U+0080..U+009F) or a Latin-1 character
//!   without an OCR-B glyph (`é`, `ñ`, `©`, `°`, the soft hyphen...), becomes its code
//!   point in angle brackets, `<U+00E9>`: the font has no accented letter but the
//!   umlauts, and dropping the accent (`e` for `é`) would print other data than the
//!   symbol holds.
//!
//! A stand-in can be confused with the same characters sent literally (`<CR>` as four
//! characters): Code 128 carries all of ASCII, so no printable notation avoids that.
//! [`glyph_index`] itself still maps a character without a glyph to `?`, for text
//! that did not go through [`printed_text`].

use std::borrow::Cow;

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

/// The ASCII names of the C0 control characters, 0..=31.
const C0_NAMES: [&str; 32] = [
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR",
    "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC",
    "FS", "GS", "RS", "US",
];

/// Index of `c` in the [`ocrb`] tables when the font has a glyph for it.
fn held(c: char) -> Option<usize> {
    let i = u32::from(c).checked_sub(u32::from(ocrb::FIRST_CHAR))? as usize;
    ocrb::HAS_GLYPH.get(i).copied()?.then_some(i)
}

/// Whether OCR-B has a glyph for `c`: every printable ASCII character, the
/// no-break space, and 19 Latin-1 characters.
pub fn has_glyph(c: char) -> bool {
    held(c).is_some()
}

/// Index of `c`'s glyph in the [`ocrb`] tables (`?` for characters it does not have;
/// [`printed_text`] replaces those first).
pub fn glyph_index(c: char) -> usize {
    held(c).unwrap_or(usize::from(b'?' - ocrb::FIRST_CHAR))
}

/// `text` as the human readable text prints it: each character OCR-B has stays
/// itself, any other becomes a stand-in (`<CR>` for a control character, `<U+00E9>`
/// for a character without a glyph; see the module docs). Borrowed when nothing changes.
///
/// ```
/// use shared::render::font::printed_text;
/// assert_eq!(printed_text("Testgerät"), "Testgerät");
/// assert_eq!(printed_text("CR\r Café"), "CR<CR> Caf<U+00E9>");
/// ```
pub fn printed_text(text: &str) -> Cow<'_, str> {
    if text.chars().all(has_glyph) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if has_glyph(c) => out.push(c),
            '\u{0}'..='\u{1f}' => {
                out.push('<');
                out.push_str(C0_NAMES[c as usize]);
                out.push('>');
            }
            '\u{7f}' => out.push_str("<DEL>"),
            c => out.push_str(&format!("<U+{:04X}>", u32::from(c))),
        }
    }
    Cow::Owned(out)
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
        assert_eq!(ocrb::HAS_GLYPH.len(), n);
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
            let c = char::from(ocrb::FIRST_CHAR + i as u8);
            if !ocrb::HAS_GLYPH[i] {
                assert!(ops.is_empty(), "{c:?}: no glyph, no outline");
            } else if c != ' ' && c != '\u{a0}' {
                // Every glyph but the spaces has ink: closed contours.
                assert_eq!(ops.first(), Some(&b'M'), "glyph {i}");
                assert_eq!(ops.last(), Some(&b'Z'), "glyph {i}");
            }
        }
    }

    #[test]
    fn a_character_without_a_glyph_falls_back_to_question_mark() {
        assert_eq!(
            ink_extent_mm("é", 10.0),
            ink_extent_mm("?", 10.0),
            "same glyph"
        );
        assert_eq!(ink_extent_mm(" ", 10.0), None);
        assert_eq!(ink_extent_mm("\u{a0}", 10.0), None, "no-break space");
    }

    #[test]
    fn latin_1_letters_that_ocr_b_holds_have_their_own_glyphs() {
        // 0..18: every Latin-1 character above U+00A0 that the font draws
        let held = "¡¤§¨¯´¸¿ÄÆÖØÜßäæöøü";
        for (i, c) in held.chars().enumerate() {
            assert!(has_glyph(c), "row {i}: {c}");
            assert_ne!(glyph_index(c), glyph_index('?'), "row {i}: {c}");
            assert!(
                ink_extent_mm(&c.to_string(), 10.0).is_some(),
                "row {i}: {c}"
            );
        }
        let count = (0xa1..=0xffu32)
            .filter_map(char::from_u32)
            .filter(|&c| has_glyph(c))
            .count();
        assert_eq!(count, held.chars().count());
        // The umlauts are not the base letters.
        assert_ne!(ink_extent_mm("ä", 10.0), ink_extent_mm("a", 10.0));
    }

    #[test]
    fn printed_text_keeps_what_ocr_b_draws_and_names_the_rest() {
        let rows = [
            // 0..2: ASCII and held Latin-1 stay as they are
            ("ABC-123 xyz", "ABC-123 xyz"),
            ("Testgerät", "Testgerät"),
            ("Größe ØÆ §", "Größe ØÆ §"),
            // 3: the issue's control characters, each named
            ("Newline\n Tab\t CR\r", "Newline<LF> Tab<HT> CR<CR>"),
            // 4: first and last C0, DEL and GS
            ("\u{0}\u{1f}\u{7f}\u{1d}", "<NUL><US><DEL><GS>"),
            // 5: C1 control characters by code point
            ("\u{80}\u{9f}", "<U+0080><U+009F>"),
            // 6: Latin-1 without an OCR-B glyph, by code point
            ("Café ñ ©°", "Caf<U+00E9> <U+00F1> <U+00A9><U+00B0>"),
            // 7: soft hyphen is shown, no-break space is a space
            ("a\u{ad}b\u{a0}c", "a<U+00AD>b\u{a0}c"),
            // 8: empty
            ("", ""),
        ];
        for (i, (text, want)) in rows.into_iter().enumerate() {
            assert_eq!(printed_text(text), want, "row {i}");
            assert!(
                printed_text(text).chars().all(has_glyph),
                "row {i}: every printed character has a glyph"
            );
        }
        assert!(matches!(printed_text("Testgerät"), Cow::Borrowed(_)));
    }
}
