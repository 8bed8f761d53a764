//! SVG backend: millimetre-sized SVG 1.1 whose user unit is the millimetre.
//!
//! Bars are one `<path>` of rectangle subpaths; text is either glyph outlines (one
//! `<path>` per run: portable, needs no font) or `<text>` elements naming OCR-B.

use std::fmt::Write;

use super::font::{self, PathCmd};
use super::num;
use super::scene::Scene;

/// Writes `scene` as SVG. With `embed_font`, text is drawn as OCR-B outlines; without,
/// as `<text font-family="OCR-B, OCRB, monospace">`, which is smaller and selectable
/// but looks right only where OCR-B is installed.
pub fn to_svg(scene: &Scene, embed_font: bool) -> Vec<u8> {
    let (w, h) = (num(scene.width_mm), num(scene.height_mm));
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{w}mm\" height=\"{h}mm\" viewBox=\"0 0 {w} {h}\">"
    );
    let _ = writeln!(s, "<rect width=\"{w}\" height=\"{h}\" fill=\"#FFFFFF\"/>");
    if !scene.rects.is_empty() {
        s.push_str("<path fill=\"#000000\" shape-rendering=\"crispEdges\" d=\"");
        for r in &scene.rects {
            let _ = write!(
                s,
                "M{} {}h{}v{}h-{}z",
                num(r.x),
                num(r.y),
                num(r.w),
                num(r.h),
                num(r.w)
            );
        }
        s.push_str("\"/>\n");
    }
    for run in &scene.texts {
        if embed_font {
            s.push_str("<path fill=\"#000000\" d=\"");
            path_data(&mut s, &font::run_outline(run));
            s.push_str("\"/>\n");
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
    s.push_str("</svg>\n");
    s.into_bytes()
}

fn path_data(s: &mut String, path: &[PathCmd]) {
    for cmd in path {
        let _ = match *cmd {
            PathCmd::MoveTo(x, y) => write!(s, "M{} {}", num(x), num(y)),
            PathCmd::LineTo(x, y) => write!(s, "L{} {}", num(x), num(y)),
            PathCmd::QuadTo(x1, y1, x, y) => {
                write!(s, "Q{} {} {} {}", num(x1), num(y1), num(x), num(y))
            }
            PathCmd::CubicTo(x1, y1, x2, y2, x, y) => write!(
                s,
                "C{} {} {} {} {} {}",
                num(x1),
                num(y1),
                num(x2),
                num(y2),
                num(x),
                num(y)
            ),
            PathCmd::Close => write!(s, "Z"),
        };
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::scene::{Rect, TextRun};

    #[test]
    fn margin_mark_text_is_escaped() {
        let scene = Scene {
            width_mm: 10.0,
            height_mm: 5.0,
            rects: vec![Rect {
                x: 1.0,
                y: 0.0,
                w: 0.33,
                h: 4.0,
            }],
            texts: vec![TextRun {
                text: "<&>".into(),
                x_mm: 0.0,
                baseline_mm: 4.5,
                size_mm: 3.0,
            }],
        };
        let svg = String::from_utf8(to_svg(&scene, false)).unwrap();
        assert!(svg.contains(">&lt;&amp;&gt;</text>"), "{svg}");
        assert!(svg.contains("d=\"M1 0h0.33v4h-0.33z\""), "{svg}");
    }
}
