//! SVG backend: millimetre-sized SVG 1.1 whose user unit is the millimetre.
//!
//! Bars are one `<path>` of rectangle subpaths; text is either glyph outlines or
//! `<text>` elements naming OCR-B.
//!
//! Outlines: each glyph the scene uses is defined once, in font units, as
//! `<defs><path id="ocrb-NN">` (`NN` its character code), and each text run is a
//! `<g transform="matrix(k 0 0 -k x baseline)">` of `<use xlink:href="#ocrb-NN" x=..>`
//! (`k` = size / 1000 em, the minus flips the font's y-up units). That is about a
//! quarter of the bytes of one outline per digit and needs no font where it is viewed.
//! `xlink:href` (with the xlink namespace) rather than SVG 2's bare `href`, so SVG 1.1
//! consumers (older librsvg, Inkscape 0.x, Batik) read it as well as browsers and resvg.
//! The ids depend only on the character, so two of our SVGs inlined in one HTML page
//! define equal glyphs under equal ids and cannot draw each other's text wrong.

use std::io::Write;
use std::sync::OnceLock;

use super::font;
use super::number::{num, push_fine, push_int, push_num};
use super::ocrb;
use super::scene::Scene;

/// Writes `scene` as SVG. With `embed_font`, text is drawn as OCR-B outlines; without,
/// as `<text font-family="OCR-B, OCRB, monospace">`, which is smaller and selectable
/// but looks right only where OCR-B is installed.
pub fn to_svg(scene: &Scene, embed_font: bool) -> Vec<u8> {
    let outlines = embed_font && !scene.texts.is_empty();
    let text_len: usize = scene.texts.iter().map(|t| t.text.len()).sum();
    let mut s: Vec<u8> = Vec::with_capacity(
        400 + 40 * scene.rects.len() + if outlines { 2600 + 40 * text_len } else { 200 },
    );
    s.extend_from_slice(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"",
    );
    if outlines {
        s.extend_from_slice(b" xmlns:xlink=\"http://www.w3.org/1999/xlink\"");
    }
    s.extend_from_slice(b" version=\"1.1\" width=\"");
    let w = num(scene.width_mm);
    let h = num(scene.height_mm);
    let (w, h) = (w.as_bytes(), h.as_bytes());
    for part in [
        w,
        b"mm\" height=\"",
        h,
        b"mm\" viewBox=\"0 0 ",
        w,
        b" ",
        h,
        b"\">\n",
    ] {
        s.extend_from_slice(part);
    }
    if outlines {
        defs(&mut s, scene);
    }
    for part in [
        b"<rect width=\"",
        w,
        b"\" height=\"",
        h,
        b"\" fill=\"#FFFFFF\"/>\n",
    ] {
        s.extend_from_slice(part);
    }
    if !scene.rects.is_empty() {
        s.extend_from_slice(b"<path fill=\"#000000\" shape-rendering=\"crispEdges\" d=\"");
        let mut nums = NumMemo::new();
        for r in &scene.rects {
            s.push(b'M');
            nums.push(&mut s, r.x);
            s.push(b' ');
            nums.push(&mut s, r.y);
            s.push(b'h');
            let mark = s.len();
            nums.push(&mut s, r.w);
            let w_end = s.len();
            s.push(b'v');
            nums.push(&mut s, r.h);
            s.extend_from_slice(b"h-");
            s.extend_from_within(mark..w_end);
            s.push(b'z');
        }
        s.extend_from_slice(b"\"/>\n");
    }
    for run in &scene.texts {
        if outlines {
            s.extend_from_slice(b"<g fill=\"#000000\" transform=\"matrix(");
            let k = run.size_mm / f64::from(ocrb::UNITS_PER_EM);
            push_fine(&mut s, k);
            s.extend_from_slice(b" 0 0 ");
            push_fine(&mut s, -k);
            s.push(b' ');
            push_num(&mut s, run.x_mm);
            s.push(b' ');
            push_num(&mut s, run.baseline_mm);
            s.extend_from_slice(b")\">");
            let mut pen: i64 = 0;
            for c in run.text.chars() {
                let i = font::glyph_index(c);
                if has_ink(i) {
                    s.extend_from_slice(b"<use xlink:href=\"#ocrb-");
                    push_int(&mut s, i as i64 + i64::from(ocrb::FIRST_CHAR));
                    if pen != 0 {
                        s.extend_from_slice(b"\" x=\"");
                        push_int(&mut s, pen);
                    }
                    s.extend_from_slice(b"\"/>");
                }
                pen += i64::from(ocrb::ADVANCE[i]);
            }
            s.extend_from_slice(b"</g>\n");
        } else {
            let _ = writeln!(
                s,
                "<text x=\"{}\" y=\"{}\" font-family=\"OCR-B, OCRB, monospace\" font-size=\"{}\" textLength=\"{}\" fill=\"#000000\">{}</text>",
                num(run.x_mm),
                num(run.baseline_mm),
                num(run.size_mm),
                num(font::text_width_mm(&run.text, run.size_mm)),
                escape(&run.text)
            );
        }
    }
    s.extend_from_slice(b"</svg>\n");
    s
}

/// [`push_num`] remembering recent values: bar and module edges repeat (a matrix
/// symbol's rectangles use a few dozen distinct numbers hundreds of times), and a
/// copy is cheaper than formatting. Direct-mapped on the value's bits; same bytes.
struct NumMemo {
    keys: [u64; 64],
    text: [[u8; 15]; 64],
    len: [u8; 64],
}

impl NumMemo {
    fn new() -> Self {
        Self {
            keys: [u64::MAX; 64], // a NaN that is never cached (len 0 below)
            text: [[0; 15]; 64],
            len: [0; 64],
        }
    }

    fn push(&mut self, out: &mut Vec<u8>, v: f64) {
        let bits = v.to_bits();
        let slot = (bits.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize;
        let len = usize::from(self.len[slot]);
        if self.keys[slot] == bits && len > 0 {
            out.extend_from_slice(&self.text[slot][..len]);
            return;
        }
        let start = out.len();
        push_num(out, v);
        let text = &out[start..];
        if text.len() <= 15 {
            self.keys[slot] = bits;
            self.text[slot][..text.len()].copy_from_slice(text);
            self.len[slot] = text.len() as u8;
        }
    }
}

/// Whether glyph `i` draws anything (the space does not).
fn has_ink(i: usize) -> bool {
    ocrb::OP_START[i] != ocrb::OP_START[i + 1]
}

/// `<defs>` with each glyph the scene's text uses, in character-code order.
fn defs(s: &mut Vec<u8>, scene: &Scene) {
    let mut used = [false; ocrb::ADVANCE.len()];
    for run in &scene.texts {
        for c in run.text.chars() {
            used[font::glyph_index(c)] = true;
        }
    }
    let paths = glyph_paths();
    s.extend_from_slice(b"<defs>\n");
    for (i, _) in used.iter().enumerate().filter(|&(i, &u)| u && has_ink(i)) {
        s.extend_from_slice(b"<path id=\"ocrb-");
        push_int(s, i as i64 + i64::from(ocrb::FIRST_CHAR));
        s.extend_from_slice(b"\" d=\"");
        s.extend_from_slice(&paths[i]);
        s.extend_from_slice(b"\"/>\n");
    }
    s.extend_from_slice(b"</defs>\n");
}

/// Every glyph's path data in font units (y up), built once per process.
fn glyph_paths() -> &'static [Vec<u8>] {
    static PATHS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    PATHS.get_or_init(|| {
        (0..ocrb::ADVANCE.len())
            .map(|i| {
                let mut d = Vec::new();
                for (op, coords) in font::glyph_units(i) {
                    d.push(op);
                    for (j, &v) in coords.iter().enumerate() {
                        if j > 0 && v >= 0 {
                            d.push(b' ');
                        }
                        push_int(&mut d, i64::from(v));
                    }
                }
                d
            })
            .collect()
    })
}

/// `text` as XML character data: markup characters as entities; tab, line feed and
/// carriage return as character references (a parser would normalise them away when
/// written raw); characters XML 1.0 forbids (other C0 controls, U+FFFE, U+FFFF) as
/// U+FFFD. Layout already prints control characters as stand-ins ([`font::printed_text`]),
/// so the last two cases only arise for scenes built by hand.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::scene::{Rect, TextRun};

    fn scene(text: &str) -> Scene {
        Scene {
            width_mm: 10.0,
            height_mm: 5.0,
            rects: vec![Rect {
                x: 1.0,
                y: 0.0,
                w: 0.33,
                h: 4.0,
            }],
            texts: vec![TextRun {
                text: text.into(),
                x_mm: 0.5,
                baseline_mm: 4.5,
                size_mm: 3.0,
            }],
        }
    }

    #[test]
    fn margin_mark_text_is_escaped() {
        let svg = String::from_utf8(to_svg(&scene("<&>"), false)).unwrap();
        assert!(svg.contains(">&lt;&amp;&gt;</text>"), "{svg}");
        assert!(svg.contains("d=\"M1 0h0.33v4h-0.33z\""), "{svg}");
        assert!(!svg.contains("xlink"), "{svg}");
    }

    #[test]
    fn text_mode_escapes_every_markup_and_control_character() {
        let rows = [
            // 0: markup characters and quotes
            ("a<b>&\"c'", ">a&lt;b&gt;&amp;&quot;c'</text>"),
            // 1: PostScript/PDF string specials need nothing in XML
            ("(x)\\", ">(x)\\</text>"),
            // 2: Latin-1 is written as itself (the file is UTF-8)
            ("Testgerät", ">Testgerät</text>"),
            // 3: whitespace controls as references, so no parser drops them
            ("\t\n\r", ">&#9;&#10;&#13;</text>"),
            // 4: controls XML forbids cannot be written at all
            ("a\u{1}\u{1d}b", ">a\u{fffd}\u{fffd}b</text>"),
        ];
        for (i, (text, want)) in rows.into_iter().enumerate() {
            let svg = String::from_utf8(to_svg(&scene(text), false)).unwrap();
            assert!(svg.contains(want), "row {i}: {svg}");
        }
    }

    #[test]
    fn latin_1_glyphs_are_defined_under_their_code() {
        // GIVEN "ä" (U+00E4) and "ß" (U+00DF), which OCR-B holds
        let svg = String::from_utf8(to_svg(&scene("äßa"), true)).unwrap();
        // THEN each has its own outline, not the "?" (63)
        assert!(svg.contains("<path id=\"ocrb-228\""), "{svg}");
        assert!(svg.contains("<path id=\"ocrb-223\""), "{svg}");
        assert!(svg.contains("<path id=\"ocrb-97\""), "{svg}");
        assert!(!svg.contains("ocrb-63"), "{svg}");
        assert_eq!(svg.matches("<use ").count(), 3, "{svg}");
    }

    #[test]
    fn each_glyph_is_defined_once_and_used_per_character() {
        // GIVEN a run with a repeated digit and a space
        let svg = String::from_utf8(to_svg(&scene("1 21"), true)).unwrap();
        // THEN "1" and "2" are defined once each (the space has no ink), in code order
        assert_eq!(svg.matches("<path id=").count(), 2, "{svg}");
        let (one, two) = (
            svg.find("id=\"ocrb-49\"").unwrap(),
            svg.find("id=\"ocrb-50\"").unwrap(),
        );
        assert!(one < two);
        // AND used once per inked character, at its advance in font units
        assert!(
            svg.contains(
                "<g fill=\"#000000\" transform=\"matrix(0.003 0 0 -0.003 0.5 4.5)\">\
             <use xlink:href=\"#ocrb-49\"/><use xlink:href=\"#ocrb-50\" x=\"1446\"/>\
             <use xlink:href=\"#ocrb-49\" x=\"2169\"/></g>"
            ),
            "{svg}"
        );
        assert!(svg.contains("xmlns:xlink=\"http://www.w3.org/1999/xlink\""));
    }

    #[test]
    fn remembered_numbers_are_the_same_bytes() {
        let mut memo = NumMemo::new();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for i in 0..2000 {
            let v = f64::from(i % 300) * 0.508 - 3.0;
            memo.push(&mut a, v);
            push_num(&mut b, v);
            a.push(b' ');
            b.push(b' ');
        }
        assert_eq!(a, b);
    }

    #[test]
    fn glyph_path_data_is_the_font_outline() {
        // The "1": starts with a move, ends closed, integer font units.
        let d = std::str::from_utf8(&glyph_paths()[usize::from(b'1' - ocrb::FIRST_CHAR)]).unwrap();
        assert!(d.starts_with('M') && d.ends_with('Z'), "{d}");
        assert!(
            d.bytes()
                .all(|b| b"MLQCZ -".contains(&b) || b.is_ascii_digit()),
            "{d}"
        );
    }
}
