//! PNG backend: 8-bit greyscale, rasterised with tiny-skia, `pHYs` carrying the dpi.
//!
//! Rectangles are filled without anti-aliasing after rounding their edges to whole
//! pixels, so bars are pure black on pure white (a scene laid out with the same dpi
//! has its edges on whole pixels already, so rounding moves nothing). Text may
//! anti-alias: it is for people, not scanners.

use tiny_skia::{FillRule, Paint, PathBuilder, Pixmap, Transform};

use super::font::{self, PathCmd};
use super::scene::Scene;

/// Rasterises `scene` at `dpi` (0 is treated as 1) and encodes it as a greyscale PNG.
pub fn to_png(scene: &Scene, dpi: u32) -> Vec<u8> {
    let dpi = dpi.max(1);
    let px_per_mm = f64::from(dpi) / 25.4;
    let to_px = |mm: f64| (mm * px_per_mm).round().max(0.0) as u32;
    let (w, h) = (to_px(scene.width_mm).max(1), to_px(scene.height_mm).max(1));
    let mut pixmap = Pixmap::new(w, h).expect("non-zero size");
    pixmap.fill(tiny_skia::Color::WHITE);

    let mut paint = Paint::default();
    paint.set_color_rgba8(0, 0, 0, 255);
    paint.anti_alias = false;
    for r in &scene.rects {
        let (x0, y0) = (to_px(r.x), to_px(r.y));
        let (x1, y1) = (to_px(r.right()).min(w), to_px(r.bottom()).min(h));
        if x1 > x0 && y1 > y0 {
            let rect = tiny_skia::Rect::from_xywh(
                x0 as f32,
                y0 as f32,
                (x1 - x0) as f32,
                (y1 - y0) as f32,
            )
            .expect("positive size");
            pixmap.fill_rect(rect, &paint, Transform::identity(), None);
        }
    }

    paint.anti_alias = true;
    for run in &scene.texts {
        let k = px_per_mm as f32;
        let mut pb = PathBuilder::new();
        for cmd in font::run_outline(run) {
            let p = |v: f64| v as f32 * k;
            match cmd {
                PathCmd::MoveTo(x, y) => pb.move_to(p(x), p(y)),
                PathCmd::LineTo(x, y) => pb.line_to(p(x), p(y)),
                PathCmd::QuadTo(x1, y1, x, y) => pb.quad_to(p(x1), p(y1), p(x), p(y)),
                PathCmd::CubicTo(x1, y1, x2, y2, x, y) => {
                    pb.cubic_to(p(x1), p(y1), p(x2), p(y2), p(x), p(y))
                }
                PathCmd::Close => pb.close(),
            }
        }
        if let Some(path) = pb.finish() {
            pixmap.fill_path(
                &path,
                &paint,
                FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
    }

    // Black on opaque white: every pixel is grey, so the red channel is the value.
    let grey: Vec<u8> = pixmap.data().chunks_exact(4).map(|p| p[0]).collect();
    encode_grey(&grey, w, h, dpi)
}

fn encode_grey(grey: &[u8], w: u32, h: u32, dpi: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Balanced);
        let ppm = (f64::from(dpi) / 0.0254).round() as u32;
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: ppm,
            yppu: ppm,
            unit: png::Unit::Meter,
        }));
        let mut writer = enc.write_header().expect("writing to a Vec");
        writer.write_image_data(grey).expect("writing to a Vec");
    }
    out
}
