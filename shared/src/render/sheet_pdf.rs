//! Multi-page PDF of label sheets, written as a stream: each page goes to the writer as
//! soon as it is drawn, so a 5000-label sheet never sits in memory (the one-page
//! [`super::pdf`] writer builds its file whole).
//!
//! ```text
//! %PDF-1.7
//! 1 font (Type1, WinAnsiEncoding) -> 2 descriptor -> 3 OCR-B as FontFile3/OpenType
//! 6.. for each page: its content stream (FlateDecode), then the page object
//! last: 4 the page tree, 5 the catalog, the cross-reference table, the trailer
//! ```
//!
//! Each label is a [`Scene`] placed on the page at its origin: bars and modules are
//! path rectangles (`re` + `f`), never images; text runs are real text (`Tj`) in the
//! OCR-B font embedded whole (18 KB, public domain: `shared/fonts/OCRB.otf`, the same
//! file `shared/gen/gen_ocrb.py` reads, so the advance widths written here are the
//! ones every other backend lays text out with). Text can so be selected, searched
//! and extracted (`pdftotext`), and prints from the font's own hinting.
//!
//! Objects are written with `pdf-writer`'s [`Chunk`]s, one per object, so the byte
//! offset of every object is known as it is written and the cross-reference table is
//! built at the end without holding the file. Content streams are deflated with
//! `miniz_oxide` (already in the tree through `png`). No dates or ids are written: the
//! same pages give the same bytes.

use std::io::{self, Write};

use pdf_writer::types::FontFlags;
use pdf_writer::{Chunk, Content, Filter, Finish, Name, Rect as PdfRect, Ref, Str};

use super::font::{glyph_index, has_glyph, printed_text};
use super::ocrb;
use super::scene::{Rect, Scene};

/// The OCR-B font program embedded in every sheet (OpenType, CFF outlines).
pub const OCRB_OTF: &[u8] = include_bytes!("../../fonts/OCRB.otf");

const PT_PER_MM: f64 = 72.0 / 25.4;
const FONT_ID: Ref = Ref::new(1);
const DESCRIPTOR_ID: Ref = Ref::new(2);
const FONT_FILE_ID: Ref = Ref::new(3);
/// Written last, when the pages are known; pages refer to it forward.
const TREE_ID: Ref = Ref::new(4);
const CATALOG_ID: Ref = Ref::new(5);
const FIRST_PAGE_ID: i32 = 6;
/// The font's resource name in every page.
const FONT_NAME: Name<'static> = Name(b"F1");

/// One label on a page: a scene whose top-left corner is at (`x_mm`, `y_mm`) from the
/// page's top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// Left edge of the scene on the page, mm.
    pub x_mm: f64,
    /// Top edge of the scene on the page, mm.
    pub y_mm: f64,
    /// What is drawn there (its own `width_mm`/`height_mm` are not drawn: the page is
    /// white and only dark things are painted).
    pub scene: Scene,
}

/// A `Write` that counts what went through it.
struct Counting<W> {
    inner: W,
    written: usize,
}

impl<W: Write> Counting<W> {
    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.inner.write_all(bytes)?;
        self.written += bytes.len();
        Ok(())
    }
}

/// A sheet PDF being written: [`SheetPdf::new`], [`SheetPdf::page`] per page,
/// [`SheetPdf::finish`].
pub struct SheetPdf<W: Write> {
    out: Counting<W>,
    /// Byte offset of object `i + 1`.
    offsets: Vec<usize>,
    pages: Vec<Ref>,
    width_pt: f32,
    height_pt: f32,
}

impl<W: Write> SheetPdf<W> {
    /// Starts a PDF of `width_mm` x `height_mm` pages: writes the header and the font.
    ///
    /// Errors: the writer's.
    pub fn new(inner: W, width_mm: f64, height_mm: f64) -> io::Result<Self> {
        let mut pdf = SheetPdf {
            out: Counting { inner, written: 0 },
            offsets: Vec::new(),
            pages: Vec::new(),
            width_pt: (width_mm * PT_PER_MM) as f32,
            height_pt: (height_mm * PT_PER_MM) as f32,
        };
        // A binary comment tells transfer tools the file is not text.
        pdf.out.put(b"%PDF-1.7\n%\x80\x80\x80\x80\n\n")?;
        let mut c = Chunk::new();
        c.type1_font(FONT_ID)
            .base_font(Name(b"OCRB-Regular"))
            .first_char(ocrb::FIRST_CHAR)
            .last_char(ocrb::LAST_CHAR)
            .widths((ocrb::FIRST_CHAR..=ocrb::LAST_CHAR).map(|b| {
                let c = char::from(b);
                if has_glyph(c) {
                    f32::from(ocrb::ADVANCE[glyph_index(c)])
                } else {
                    0.0
                }
            }))
            .encoding_predefined(Name(b"WinAnsiEncoding"))
            .font_descriptor(DESCRIPTOR_ID);
        pdf.object(FONT_ID, &c)?;
        let mut c = Chunk::new();
        c.font_descriptor(DESCRIPTOR_ID)
            .name(Name(b"OCRB-Regular"))
            .flags(FontFlags::FIXED_PITCH | FontFlags::NON_SYMBOLIC)
            .bbox(PdfRect::new(-87.0, -336.0, 784.0, 938.0))
            .italic_angle(0.0)
            .ascent(f32::from(ocrb::ASCENDER))
            .descent(f32::from(ocrb::DESCENDER))
            .cap_height(f32::from(ocrb::CAP_HEIGHT))
            .stem_v(80.0)
            .font_file3(FONT_FILE_ID);
        pdf.object(DESCRIPTOR_ID, &c)?;
        let mut c = Chunk::new();
        c.stream(FONT_FILE_ID, OCRB_OTF)
            .pair(Name(b"Subtype"), Name(b"OpenType"));
        pdf.object(FONT_FILE_ID, &c)?;
        Ok(pdf)
    }

    /// Writes `chunk` (object `id` alone) and records where it starts.
    fn object(&mut self, id: Ref, chunk: &Chunk) -> io::Result<()> {
        let index = id.get() as usize - 1;
        if self.offsets.len() <= index {
            self.offsets.resize(index + 1, 0);
        }
        self.offsets[index] = self.out.written;
        self.out.put(chunk.as_bytes())
    }

    fn next_id(&self) -> Ref {
        Ref::new(FIRST_PAGE_ID.max(self.offsets.len() as i32 + 1))
    }

    /// Writes one page: every label, then `marks` (thin rectangles such as crop marks),
    /// all in millimetres from the page's top-left corner.
    ///
    /// Errors: the writer's.
    pub fn page(&mut self, labels: &[Placed], marks: &[Rect]) -> io::Result<()> {
        let mut content = Content::new();
        // Millimetres, origin top-left, y down, as in every scene.
        let k = PT_PER_MM as f32;
        content.transform([k, 0.0, 0.0, -k, 0.0, self.height_pt]);
        content.set_fill_gray(0.0);
        for label in labels {
            content.save_state();
            content.transform([1.0, 0.0, 0.0, 1.0, label.x_mm as f32, label.y_mm as f32]);
            draw_scene(&mut content, &label.scene);
            content.restore_state();
        }
        for r in marks {
            content.rect(r.x as f32, r.y as f32, r.w as f32, r.h as f32);
        }
        if !marks.is_empty() {
            content.fill_nonzero();
        }
        let raw = content.finish();
        let deflated = miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6);

        let content_id = self.next_id();
        let mut c = Chunk::new();
        c.stream(content_id, &deflated).filter(Filter::FlateDecode);
        self.object(content_id, &c)?;

        let page_id = self.next_id();
        let mut c = Chunk::new();
        let mut page = c.page(page_id);
        page.media_box(PdfRect::new(0.0, 0.0, self.width_pt, self.height_pt))
            .parent(TREE_ID)
            .contents(content_id);
        page.resources().fonts().pair(FONT_NAME, FONT_ID);
        page.finish();
        self.object(page_id, &c)?;
        self.pages.push(page_id);
        Ok(())
    }

    /// Writes the page tree, catalog, cross-reference table and trailer; returns the
    /// writer.
    ///
    /// Errors: the writer's.
    pub fn finish(mut self) -> io::Result<W> {
        let tree_id = TREE_ID;
        let mut c = Chunk::new();
        c.pages(tree_id)
            .kids(self.pages.iter().copied())
            .count(self.pages.len() as i32);
        self.object(tree_id, &c)?;
        let catalog_id = CATALOG_ID;
        let mut c = Chunk::new();
        c.indirect(catalog_id)
            .dict()
            .pair(Name(b"Type"), Name(b"Catalog"))
            .pair(Name(b"Pages"), tree_id);
        self.object(catalog_id, &c)?;

        let xref = self.out.written;
        let mut table = format!("xref\n0 {}\n0000000000 65535 f\r\n", self.offsets.len() + 1);
        for offset in &self.offsets {
            table.push_str(&format!("{offset:010} 00000 n\r\n"));
        }
        table.push_str(&format!(
            "trailer\n<<\n  /Size {}\n  /Root {} 0 R\n>>\nstartxref\n{xref}\n%%EOF",
            self.offsets.len() + 1,
            catalog_id.get()
        ));
        self.out.put(table.as_bytes())?;
        Ok(self.out.inner)
    }
}

/// The bars, modules and text of one scene, in the scene's own coordinates.
fn draw_scene(content: &mut Content, scene: &Scene) {
    for r in &scene.rects {
        content.rect(r.x as f32, r.y as f32, r.w as f32, r.h as f32);
    }
    if !scene.rects.is_empty() {
        content.fill_nonzero();
    }
    for run in &scene.texts {
        content.begin_text();
        content.set_font(FONT_NAME, 1.0);
        // The page is y down: flip the text back upright at its baseline.
        let s = run.size_mm as f32;
        content.set_text_matrix([s, 0.0, 0.0, -s, run.x_mm as f32, run.baseline_mm as f32]);
        content.show(Str(&win_ansi(&run.text)));
        content.end_text();
    }
}

/// `text` in the font's WinAnsiEncoding: every character OCR-B holds is printable
/// ASCII or Latin-1, whose WinAnsi codes are their own; the no-break space is drawn as a
/// space, and anything else as its printed stand-in ([`printed_text`]).
pub fn win_ansi(text: &str) -> Vec<u8> {
    printed_text(text)
        .chars()
        .map(|c| match c {
            '\u{a0}' => b' ',
            c => u8::try_from(u32::from(c)).unwrap_or(b'?'),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::scene::TextRun;

    fn two_pages() -> Vec<u8> {
        let label = Scene {
            width_mm: 50.0,
            height_mm: 30.0,
            rects: vec![Rect {
                x: 1.0,
                y: 2.0,
                w: 0.5,
                h: 10.0,
            }],
            texts: vec![TextRun {
                text: "Grüße 1".into(),
                x_mm: 1.0,
                baseline_mm: 20.0,
                size_mm: 3.0,
            }],
        };
        let mut pdf = SheetPdf::new(Vec::new(), 210.0, 297.0).unwrap();
        for y in [10.0, 20.0] {
            let placed = Placed {
                x_mm: 5.0,
                y_mm: y,
                scene: label.clone(),
            };
            pdf.page(&[placed], &[]).unwrap();
        }
        pdf.finish().unwrap()
    }

    /// Every cross-reference entry points at its object, and the same pages give the
    /// same bytes.
    #[test]
    fn xref_offsets_point_at_their_objects() {
        let bytes = two_pages();
        assert_eq!(bytes, two_pages());
        // Offsets are of bytes: search the bytes (the font and streams are binary).
        let rfind = |needle: &[u8]| {
            bytes
                .windows(needle.len())
                .rposition(|w| w == needle)
                .unwrap()
        };
        let xref = rfind(b"\nxref\n") + 1;
        let tail = String::from_utf8(bytes[xref..].to_vec()).unwrap();
        let startxref: usize = tail[tail.rfind("startxref\n").unwrap() + 10..]
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(startxref, xref);
        let entries: Vec<usize> = tail
            .lines()
            .skip(3)
            .take_while(|l| l.ends_with(" n"))
            .map(|l| l[..10].parse().unwrap())
            .collect();
        // Font, descriptor, font file, page tree, catalog, 2 x (content, page).
        assert_eq!(entries.len(), 9);
        for (i, offset) in entries.iter().enumerate() {
            let head = format!("{} 0 obj", i + 1);
            assert!(
                bytes[*offset..].starts_with(head.as_bytes()),
                "object {} at {offset}",
                i + 1
            );
        }
        assert!(tail.ends_with("%%EOF"));
        assert!(tail.contains("/Root 5 0 R"));
    }

    #[test]
    fn text_is_win_ansi() {
        assert_eq!(win_ansi("Grüße\u{a0}1"), b"Gr\xfc\xdfe 1");
        assert_eq!(win_ansi("Caf\u{e9}"), b"Caf<U+00E9>");
    }
}
