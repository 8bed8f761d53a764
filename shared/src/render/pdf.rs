//! PDF backend: one page the size of the scene, written with `pdf-writer`.
//!
//! Bars are `re` + `f`; text is OCR-B outlines filled with the non-zero rule, so the
//! PDF embeds no font. No dates, document ids or producer strings are written, so
//! the same scene always yields the same bytes.

use pdf_writer::{Content, Finish, Pdf, Ref};

use super::font::{self, PathCmd};
use super::scene::Scene;

const PT_PER_MM: f64 = 72.0 / 25.4;

/// Writes `scene` as a one-page PDF.
pub fn to_pdf(scene: &Scene) -> Vec<u8> {
    let catalog_id = Ref::new(1);
    let page_tree_id = Ref::new(2);
    let page_id = Ref::new(3);
    let content_id = Ref::new(4);
    let (w_pt, h_pt) = (
        (scene.width_mm * PT_PER_MM) as f32,
        (scene.height_mm * PT_PER_MM) as f32,
    );

    let mut content = Content::new();
    // Work in the scene's units: millimetres, origin top-left, y down.
    let k = PT_PER_MM as f32;
    content.transform([k, 0.0, 0.0, -k, 0.0, h_pt]);
    content.set_fill_gray(1.0);
    content.rect(0.0, 0.0, scene.width_mm as f32, scene.height_mm as f32);
    content.fill_nonzero();
    content.set_fill_gray(0.0);
    for r in &scene.rects {
        content.rect(r.x as f32, r.y as f32, r.w as f32, r.h as f32);
    }
    if !scene.rects.is_empty() {
        content.fill_nonzero();
    }
    for run in &scene.texts {
        let mut current = (0.0f32, 0.0f32);
        for cmd in font::run_outline(run) {
            match cmd {
                PathCmd::MoveTo(x, y) => {
                    current = (x as f32, y as f32);
                    content.move_to(current.0, current.1);
                }
                PathCmd::LineTo(x, y) => {
                    current = (x as f32, y as f32);
                    content.line_to(current.0, current.1);
                }
                PathCmd::QuadTo(x1, y1, x, y) => {
                    let (x0, y0) = current;
                    let (x1, y1, x, y) = (x1 as f32, y1 as f32, x as f32, y as f32);
                    content.cubic_to(
                        x0 + 2.0 / 3.0 * (x1 - x0),
                        y0 + 2.0 / 3.0 * (y1 - y0),
                        x + 2.0 / 3.0 * (x1 - x),
                        y + 2.0 / 3.0 * (y1 - y),
                        x,
                        y,
                    );
                    current = (x, y);
                }
                PathCmd::CubicTo(x1, y1, x2, y2, x, y) => {
                    current = (x as f32, y as f32);
                    content.cubic_to(
                        x1 as f32, y1 as f32, x2 as f32, y2 as f32, current.0, current.1,
                    );
                }
                PathCmd::Close => {
                    content.close_path();
                }
            }
        }
        content.fill_nonzero();
    }
    let content = content.finish();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id).pages(page_tree_id);
    pdf.pages(page_tree_id).kids([page_id]).count(1);
    let mut page = pdf.page(page_id);
    page.media_box(pdf_writer::Rect::new(0.0, 0.0, w_pt, h_pt));
    page.parent(page_tree_id);
    page.contents(content_id);
    page.resources();
    page.finish();
    pdf.stream(content_id, &content);
    pdf.finish()
}
