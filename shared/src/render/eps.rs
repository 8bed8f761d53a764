//! EPS backend: DSC-conforming Encapsulated PostScript 3.0 (LanguageLevel 2 for
//! `rectfill`).
//!
//! The page is set up so that the body speaks the scene's own units (millimetres,
//! y down), so the numbers match the SVG's. `%%BoundingBox` is rounded *up* to whole
//! points (DSC: it must enclose every mark); `%%HiResBoundingBox` is the exact size.

use std::fmt::Write;

use super::font::{self, PathCmd};
use super::number::num;
use super::scene::Scene;

/// Points per millimetre.
const PT_PER_MM: f64 = 72.0 / 25.4;

/// Writes `scene` as EPS; text is drawn as OCR-B outlines.
pub fn to_eps(scene: &Scene) -> Vec<u8> {
    let (w_pt, h_pt) = (scene.width_mm * PT_PER_MM, scene.height_mm * PT_PER_MM);
    let mut s = String::new();
    s.push_str("%!PS-Adobe-3.0 EPSF-3.0\n");
    s.push_str("%%Creator: gs1-codes\n");
    s.push_str("%%Title: GS1 barcode\n");
    // Ceil with a tolerance so 100.0000001 pt is 100, not 101.
    let _ = writeln!(
        s,
        "%%BoundingBox: 0 0 {} {}",
        (w_pt - 1e-6).ceil() as i64,
        (h_pt - 1e-6).ceil() as i64
    );
    let _ = writeln!(s, "%%HiResBoundingBox: 0 0 {:.4} {:.4}", w_pt, h_pt);
    s.push_str("%%LanguageLevel: 2\n");
    s.push_str("%%DocumentData: Clean7Bit\n");
    s.push_str("%%Pages: 1\n");
    s.push_str("%%EndComments\n");
    s.push_str("%%BeginProlog\n");
    s.push_str("/m { moveto } bind def /l { lineto } bind def /c { curveto } bind def\n");
    s.push_str("/z { closepath } bind def /r { rectfill } bind def\n");
    s.push_str("%%EndProlog\n");
    s.push_str("%%Page: 1 1\n");
    s.push_str("save\n");
    // Millimetres, origin top-left, y down.
    let _ = writeln!(s, "0 {:.4} translate {:.6} dup neg scale", h_pt, PT_PER_MM);
    let _ = writeln!(
        s,
        "1 setgray 0 0 {} {} r",
        num(scene.width_mm),
        num(scene.height_mm)
    );
    s.push_str("0 setgray\n");
    for r in &scene.rects {
        let _ = writeln!(s, "{} {} {} {} r", num(r.x), num(r.y), num(r.w), num(r.h));
    }
    for run in &scene.texts {
        s.push_str("newpath\n");
        let mut current = (0.0, 0.0);
        for cmd in font::run_outline(run) {
            let _ = match cmd {
                PathCmd::MoveTo(x, y) => {
                    current = (x, y);
                    writeln!(s, "{} {} m", num(x), num(y))
                }
                PathCmd::LineTo(x, y) => {
                    current = (x, y);
                    writeln!(s, "{} {} l", num(x), num(y))
                }
                PathCmd::QuadTo(x1, y1, x, y) => {
                    // PostScript has only cubics: raise the degree.
                    let (x0, y0) = current;
                    current = (x, y);
                    let c1 = (x0 + 2.0 / 3.0 * (x1 - x0), y0 + 2.0 / 3.0 * (y1 - y0));
                    let c2 = (x + 2.0 / 3.0 * (x1 - x), y + 2.0 / 3.0 * (y1 - y));
                    writeln!(
                        s,
                        "{} {} {} {} {} {} c",
                        num(c1.0),
                        num(c1.1),
                        num(c2.0),
                        num(c2.1),
                        num(x),
                        num(y)
                    )
                }
                PathCmd::CubicTo(x1, y1, x2, y2, x, y) => {
                    current = (x, y);
                    writeln!(
                        s,
                        "{} {} {} {} {} {} c",
                        num(x1),
                        num(y1),
                        num(x2),
                        num(y2),
                        num(x),
                        num(y)
                    )
                }
                PathCmd::Close => writeln!(s, "z"),
            };
        }
        s.push_str("fill\n");
    }
    s.push_str("restore\n");
    s.push_str("showpage\n");
    s.push_str("%%Trailer\n");
    s.push_str("%%EOF\n");
    s.into_bytes()
}
