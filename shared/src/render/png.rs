//! PNG backend: greyscale, bars drawn straight into the pixel rows, text rasterised
//! with tiny-skia, `pHYs` carrying the dpi.
//!
//! Rectangles are filled without anti-aliasing after rounding their edges to whole
//! pixels, so bars are pure black on pure white (a scene laid out with the same dpi
//! has its edges on whole pixels already, so rounding moves nothing). Text may
//! anti-alias: it is for people, not scanners.
//!
//! Speed (a PNG is a few hundred thousand pixels, and a request renders one):
//! * Bars are written into an 8-bit grey buffer: between two consecutive rectangle
//!   edges (y) every row is the same, so one row is drawn and copied down.
//! * Text goes through tiny-skia one glyph at a time, as a coverage [`Mask`] the size
//!   of the glyph, remembered per thread by (glyph, size, 1/64 px position): an EAN-13
//!   has 13 digits on one pixel pitch, so a warm thread rasterises none of them again.
//! * Rows are filtered with `Up` (a bar row repeats the row above: all zeros) and
//!   deflated with `fdeflate` ([`png::Compression::Fast`]); trying all five filters
//!   per row and zlib level 6 took over half the time for a file ~10% smaller.
//! * Without text (a DataMatrix without HRI) every pixel is black or white, and the
//!   PNG is 1 bit per pixel: 8 times fewer bytes to filter and deflate.

use tiny_skia::{FillRule, Mask, PathBuilder};

mod bilevel;

use super::font;
use super::ocrb;
use super::scene::Scene;

/// The canvas size (as [`super::png_size`], which the pixel limit is checked with) and
/// the bars in pixels (x0, y0, x1, y1), empty ones dropped, in scene order.
fn pixel_rects(scene: &Scene, dpi: u32) -> (u32, u32, Vec<[usize; 4]>) {
    let px_per_mm = f64::from(dpi.max(1)) / 25.4;
    // Round half up, clamped at 0 (`f64::round` is a libm call on baseline x86-64).
    let to_px = |mm: f64| (mm * px_per_mm + 0.5).max(0.0) as u32;
    let (w, h) = super::png_size(scene, dpi);
    let (w, h) = (w as u32, h as u32);
    let rects = scene
        .rects
        .iter()
        .map(|r| {
            [
                to_px(r.x) as usize,
                to_px(r.y) as usize,
                to_px(r.right()).min(w) as usize,
                to_px(r.bottom()).min(h) as usize,
            ]
        })
        .filter(|&[x0, y0, x1, y1]| x1 > x0 && y1 > y0)
        .collect();
    (w, h, rects)
}

/// Rasterises `scene` at `dpi` (0 is treated as 1) and encodes it as a greyscale PNG:
/// 8-bit when there is (anti-aliased) text, 1-bit otherwise.
pub fn to_png(scene: &Scene, dpi: u32) -> Vec<u8> {
    let dpi = dpi.max(1);
    let px_per_mm = f64::from(dpi) / 25.4;
    let (w, h, mut rects) = pixel_rects(scene, dpi);
    let (wu, hu) = (w as usize, h as usize);
    rects.sort_unstable_by_key(|r| r[1]);

    if scene.texts.is_empty() {
        return bilevel::encode(&rects, wu, hu, dpi);
    }
    let mut grey = vec![255u8; wu * hu];
    for_each_band(&rects, hu, |top, bottom, active| {
        if active.is_empty() {
            return;
        }
        let row = &mut grey[top * wu..(top + 1) * wu];
        for &[x0, _, x1, _] in active {
            row[x0..x1].fill(0);
        }
        for y in top + 1..bottom {
            grey.copy_within(top * wu..(top + 1) * wu, y * wu);
        }
    });
    draw_text(scene, &mut grey, w, h, px_per_mm);
    encode(&grey, w, h, png::BitDepth::Eight, dpi)
}

/// Calls `f(top, bottom, active)` for each band of rows `top..bottom` between two
/// consecutive rectangle edges (and the image's top and bottom, `0..h`), in order,
/// with the rectangles covering the band (all of its rows: between two edges a
/// rectangle covers every row or none). `rects` (x0, y0, x1, y1) must be sorted by
/// y0, non-empty and inside `0..h`. A sweep: each rectangle enters the active list
/// once and leaves it once, rather than every band scanning every rectangle.
fn for_each_band(rects: &[[usize; 4]], h: usize, mut f: impl FnMut(usize, usize, &[[usize; 4]])) {
    // Rows where some rectangle starts or ends, in order (marked, not sorted).
    let mut is_edge = vec![false; h + 1];
    (is_edge[0], is_edge[h]) = (true, true);
    for r in rects {
        is_edge[r[1]] = true;
        is_edge[r[3]] = true;
    }
    let mut active: Vec<[usize; 4]> = Vec::new();
    let mut next = 0;
    let mut top = 0;
    for bottom in (1..=h).filter(|&y| is_edge[y]) {
        active.retain(|r| r[3] > top);
        // Every y0 is an edge, so rectangles start at band tops only.
        while next < rects.len() && rects[next][1] == top {
            active.push(rects[next]);
            next += 1;
        }
        f(top, bottom, &active);
        top = bottom;
    }
}

/// Sub-pixel positions of glyphs are rounded to 1/`SUBPIXEL` px, so that equal glyphs
/// at (nearly) equal fractional offsets share one rasterisation.
const SUBPIXEL: f64 = 64.0;
/// Glyph rasterisations kept per thread (cleared when full).
const GLYPH_CACHE_MAX: usize = 512;

/// One glyph's anti-aliased coverage, positioned relative to the whole pixel its
/// origin (left of the advance box, on the baseline) falls in.
struct GlyphMask {
    left: i64,
    top: i64,
    width: usize,
    cover: Vec<u8>,
}

/// Glyph index, em in pixels (`f64` bits), sub-pixel origin (x, y) in 1/[`SUBPIXEL`].
type GlyphKey = (usize, u64, i64, i64);

thread_local! {
    static GLYPHS: std::cell::RefCell<std::collections::HashMap<GlyphKey, GlyphMask>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Rasterises glyph `glyph` at `em` px with its origin at (`fx`, `fy`) / [`SUBPIXEL`]
/// px (anti-aliased, non-zero winding). `None` for a glyph without ink.
fn rasterise(glyph: usize, em: f64, fx: i64, fy: i64) -> Option<GlyphMask> {
    let k = em / f64::from(ocrb::UNITS_PER_EM);
    let (ox, oy) = (fx as f64 / SUBPIXEL, fy as f64 / SUBPIXEL);
    // Control points bound the outline; one pixel more on each side for the
    // anti-aliased edge.
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (_, c) in font::glyph_units(glyph) {
        for p in c.chunks_exact(2) {
            let (x, y) = (ox + f64::from(p[0]) * k, oy - f64::from(p[1]) * k);
            (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
        }
    }
    if x0 > x1 {
        return None;
    }
    let (left, top) = (x0.floor() as i64 - 1, y0.floor() as i64 - 1);
    let (right, bottom) = (x1.ceil() as i64 + 1, y1.ceil() as i64 + 1);
    let (width, height) = ((right - left) as u32, (bottom - top) as u32);
    let mut mask = Mask::new(width, height)?;
    let (dx, dy) = (ox - left as f64, oy - top as f64);
    let px = |p: &[i16]| {
        (
            (dx + f64::from(p[0]) * k) as f32,
            (dy - f64::from(p[1]) * k) as f32,
        )
    };
    let mut pb = PathBuilder::new();
    for (op, c) in font::glyph_units(glyph) {
        match op {
            b'M' => {
                let (x, y) = px(c);
                pb.move_to(x, y)
            }
            b'L' => {
                let (x, y) = px(c);
                pb.line_to(x, y)
            }
            b'Q' => {
                let ((x1, y1), (x, y)) = (px(c), px(&c[2..]));
                pb.quad_to(x1, y1, x, y)
            }
            b'C' => {
                let ((x1, y1), (x2, y2), (x, y)) = (px(c), px(&c[2..]), px(&c[4..]));
                pb.cubic_to(x1, y1, x2, y2, x, y)
            }
            _ => pb.close(),
        }
    }
    mask.fill_path(
        &pb.finish()?,
        FillRule::Winding,
        true,
        tiny_skia::Transform::identity(),
    );
    Some(GlyphMask {
        left,
        top,
        width: width as usize,
        cover: mask.take(),
    })
}

/// Darkens `grey` (`w` x `h`) by each glyph of the text runs, in order. Each glyph is
/// rasterised on its own (and remembered per thread), so the bytes are the same
/// whether a glyph comes from the cache or not.
fn draw_text(scene: &Scene, grey: &mut [u8], w: u32, h: u32, px_per_mm: f64) {
    let (w, h) = (i64::from(w), i64::from(h));
    GLYPHS.with_borrow_mut(|cache| {
        for run in &scene.texts {
            let em = run.size_mm * px_per_mm;
            let k = em / f64::from(ocrb::UNITS_PER_EM);
            let oy = (run.baseline_mm * px_per_mm * SUBPIXEL).round() as i64;
            let mut pen = 0u32;
            for c in run.text.chars() {
                let glyph = font::glyph_index(c);
                let ox = ((run.x_mm * px_per_mm + f64::from(pen) * k) * SUBPIXEL).round() as i64;
                pen += u32::from(ocrb::ADVANCE[glyph]);
                let (sub_x, sub_y) = (
                    ox.rem_euclid(SUBPIXEL as i64),
                    oy.rem_euclid(SUBPIXEL as i64),
                );
                let key = (glyph, em.to_bits(), sub_x, sub_y);
                if !cache.contains_key(&key) {
                    if cache.len() >= GLYPH_CACHE_MAX {
                        cache.clear();
                    }
                    match rasterise(glyph, em, sub_x, sub_y) {
                        Some(m) => cache.insert(key, m),
                        None => continue,
                    };
                }
                let m = &cache[&key];
                let gx = ox.div_euclid(SUBPIXEL as i64) + m.left;
                let gy = oy.div_euclid(SUBPIXEL as i64) + m.top;
                for (my, cover) in m.cover.chunks_exact(m.width).enumerate() {
                    let y = gy + my as i64;
                    if !(0..h).contains(&y) {
                        continue;
                    }
                    // Columns of the glyph that fall on the canvas.
                    let skip = (-gx).max(0);
                    let end = (w - gx).min(m.width as i64);
                    if skip >= end {
                        break;
                    }
                    let row = (y * w + gx + skip) as usize;
                    let cover = &cover[skip as usize..end as usize];
                    for (g, &c) in grey[row..row + cover.len()].iter_mut().zip(cover) {
                        if c != 0 {
                            *g = ((u32::from(*g) * (255 - u32::from(c)) + 127) / 255) as u8;
                        }
                    }
                }
            }
        }
    });
}

/// 8-bit black-or-white rows (`w` pixels each) as 1-bit rows, MSB first, 1 = white
/// (how 1-bit PNGs were made before [`bilevel`]; the tests compare against it).
#[cfg(test)]
fn pack_bits(grey: &[u8], w: usize) -> Vec<u8> {
    let stride = w.div_ceil(8);
    let mut out = Vec::with_capacity(stride * (grey.len() / w.max(1)));
    for row in grey.chunks_exact(w) {
        let mut chunks = row.chunks_exact(8);
        for c in &mut chunks {
            // Bit 7 of byte i (0 or 1 after the shift), gathered by one multiply: the
            // product's top byte has byte i's bit at 63 - i, and no carries reach it.
            let b =
                (u64::from_le_bytes(c.try_into().expect("8 bytes")) >> 7) & 0x0101_0101_0101_0101;
            out.push((b.wrapping_mul(0x8040_2010_0804_0201) >> 56) as u8);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = 0u8;
            for &p in rest {
                b = (b << 1) | (p >> 7);
            }
            // Padding bits: white, like the pixels next to them in the quiet zone.
            let pad = 8 - rest.len();
            out.push((b << pad) | ((1u8 << pad) - 1));
        }
    }
    out
}

fn encode(data: &[u8], w: u32, h: u32, depth: png::BitDepth, dpi: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024 + data.len() / 16);
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(depth);
        enc.set_compression(png::Compression::Fast);
        enc.set_filter(png::Filter::Up);
        let ppm = (f64::from(dpi) / 0.0254).round() as u32;
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: ppm,
            yppu: ppm,
            unit: png::Unit::Meter,
        }));
        let mut writer = enc.write_header().expect("writing to a Vec");
        writer.write_image_data(data).expect("writing to a Vec");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::scene::Rect;

    /// The 1-bit PNG as it was made before [`bilevel`]: an 8-bit buffer, every band
    /// scanning every rectangle, packed, encoded by the `png` crate.
    fn reference_png(scene: &Scene, dpi: u32) -> Vec<u8> {
        let dpi = dpi.max(1);
        let (w, h, rects) = pixel_rects(scene, dpi);
        let (wu, hu) = (w as usize, h as usize);
        let mut grey = vec![255u8; wu * hu];
        let mut is_edge = vec![false; hu + 1];
        for r in &rects {
            is_edge[r[1]] = true;
            is_edge[r[3]] = true;
        }
        let edges: Vec<usize> = (0..=hu).filter(|&y| is_edge[y]).collect();
        for band in edges.windows(2) {
            let (top, bottom) = (band[0], band[1]);
            let row = &mut grey[top * wu..(top + 1) * wu];
            let mut inked = false;
            for &[x0, y0, x1, y1] in &rects {
                if y0 <= top && y1 >= bottom {
                    row[x0..x1].fill(0);
                    inked = true;
                }
            }
            if inked {
                for y in top + 1..bottom {
                    grey.copy_within(top * wu..(top + 1) * wu, y * wu);
                }
            }
        }
        encode(&pack_bits(&grey, wu), w, h, png::BitDepth::One, dpi)
    }

    /// Header fields, pixel density and raw (packed) rows of a PNG.
    #[allow(clippy::type_complexity)]
    fn decode(bytes: &[u8]) -> (u32, u32, png::BitDepth, Option<(u32, u32, bool)>, Vec<u8>) {
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .expect("PNG header");
        let mut buf = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut buf).expect("PNG data");
        buf.truncate(info.buffer_size());
        let dims = reader
            .info()
            .pixel_dims
            .map(|d| (d.xppu, d.yppu, d.unit == png::Unit::Meter));
        (info.width, info.height, info.bit_depth, dims, buf)
    }

    fn assert_same_pixels(scene: &Scene, dpi: u32, what: &str) {
        let new = to_png(scene, dpi);
        let (w, h, depth, dims, pixels) = decode(&new);
        let (w0, h0, depth0, dims0, pixels0) = decode(&reference_png(scene, dpi));
        assert_eq!((w, h, depth), (w0, h0, depth0), "{what}");
        assert_eq!(depth, png::BitDepth::One, "{what}");
        assert_eq!(dims, dims0, "{what}");
        assert!(pixels == pixels0, "{what}: pixels differ");
        assert_eq!(new, to_png(scene, dpi), "{what}: not deterministic");
    }

    #[test]
    fn bilevel_png_has_the_pixels_of_the_png_crate_path() {
        use crate::gs1::element_string::ElementString;
        use crate::render::layout::{layout_linear, layout_matrix, LinearOptions, MatrixOptions};
        use crate::symbol::datamatrix::{gs1_datamatrix, DmShape};
        use crate::symbol::itf::itf14;
        use crate::symbol::Bearer;

        let es = ElementString::parse_bracketed("(01)09501101020917(17)270630(21)ABC123")
            .expect("element string");
        for shape in [DmShape::Square, DmShape::Rectangle] {
            let m = gs1_datamatrix(&es, shape).expect("DataMatrix");
            for dpi in [72, 150, 300, 600, 1200] {
                for snap in [None, Some(dpi)] {
                    let opts = MatrixOptions {
                        x_dimension_mm: 0.5,
                        quiet_zone_modules: 1,
                        write_text: false,
                        font_size_pt: 8.0,
                        dpi: snap,
                    };
                    let scene = layout_matrix(&m, &opts);
                    assert!(scene.texts.is_empty());
                    assert_same_pixels(&scene, dpi, &format!("DM {shape:?} {dpi} {snap:?}"));
                }
            }
        }
        // The golden ITF-14 with bearer frame, without its text (so 1-bit).
        let itf = itf14("19501101020914", Bearer::Frame).expect("ITF-14");
        for dpi in [100, 300, 600] {
            let mut opts = LinearOptions::for_symbol(&itf, 0.495, 32.0);
            opts.dpi = Some(dpi);
            let mut scene = layout_linear(&itf, &opts);
            scene.texts.clear();
            assert_same_pixels(&scene, dpi, &format!("ITF-14 {dpi}"));
        }
    }

    #[test]
    fn bilevel_png_matches_on_random_scenes() {
        // Widths around the deflate match limits: one row + filter byte of 2 (too
        // short for a match), 258, 259, 260 (split 257 + 3) and long rows.
        let widths = [1, 7, 8, 9, 16, 17, 2056, 2057, 2064, 2065, 2072, 2073, 5000];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut rnd = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for (i, &w) in widths.iter().enumerate() {
            for _ in 0..4 {
                let h = 1 + rnd(60) as usize;
                let mm = |px: u64| px as f64 * 25.4 / 96.0;
                let mut scene = Scene {
                    width_mm: mm(w),
                    height_mm: mm(h as u64),
                    ..Scene::default()
                };
                for _ in 0..rnd(30) {
                    let (x, y) = (rnd(w + 2), rnd(h as u64 + 2));
                    scene.rects.push(Rect {
                        x: mm(x) + 0.01,
                        y: mm(y),
                        w: mm(1 + rnd(w)),
                        h: mm(1 + rnd(h as u64)),
                    });
                }
                assert_same_pixels(&scene, 96, &format!("case {i}: {w} x {h}"));
            }
        }
    }

    #[test]
    fn bits_pack_msb_first_with_white_padding() {
        // (index) 8-bit row, packed row
        let cases: [(&[u8], &[u8]); 4] = [
            /* 0 */ (&[0, 255, 255, 255, 255, 255, 255, 0], &[0b0111_1110]),
            /* 1 */ (&[0, 0, 255], &[0b0011_1111]),
            /* 2 */ (&[255; 9], &[0xFF, 0xFF]),
            /* 3 */
            (
                &[255, 0, 0, 255, 0, 255, 255, 255, 0, 255],
                &[0b1001_0111, 0b0111_1111],
            ),
        ];
        for (i, (row, want)) in cases.into_iter().enumerate() {
            assert_eq!(pack_bits(row, row.len()), want, "case {i}");
        }
        // Every byte pattern: the multiply trick against the plain loop.
        for v in 0..=255u8 {
            let row: Vec<u8> = (0..8)
                .map(|i| if v & (0x80 >> i) != 0 { 255 } else { 0 })
                .collect();
            assert_eq!(pack_bits(&row, 8), [v], "pattern {v:08b}");
        }
    }
}
