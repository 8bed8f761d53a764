//! The human readable text shows every character the symbol carries, in every format:
//! Latin-1 letters OCR-B holds as their own glyphs, control characters and characters
//! OCR-B lacks as named stand-ins (`render::font::printed_text`), and characters that
//! are special in XML or PostScript never break the file.

use shared::render::font::{glyph_index, run_outline, PathCmd};
use shared::render::{layout_linear, render, Format, LinearOptions, RenderOptions, Scene};
use shared::symbol::code128::code128;
use shared::symbol::code39::code39;
use shared::symbol::Linear;

/// One symbol and the text its HRI must print.
struct Row {
    symbol: fn() -> Linear,
    printed: &'static str,
}

fn rows() -> Vec<Row> {
    vec![
        // 0: the issue's "Testgerät": ä is OCR-B's own glyph, not '?'
        Row {
            symbol: || code128("Testgerät").unwrap(),
            printed: "Testgerät",
        },
        // 1: the issue's control characters, each named (the CR is not lost)
        Row {
            symbol: || code128("Newline\n Tab\t CR\r").unwrap(),
            printed: "Newline<LF> Tab<HT> CR<CR>",
        },
        // 2: the issue's Code 39 with spaces: kept, between the start/stop asterisks
        Row {
            symbol: || code39(" ABC ", false).unwrap(),
            printed: "* ABC *",
        },
        // 3: more Latin-1 that OCR-B holds
        Row {
            symbol: || code128("Größe ÆØ ¿§").unwrap(),
            printed: "Größe ÆØ ¿§",
        },
        // 4: Latin-1 OCR-B lacks, a GS and a C1 control
        Row {
            symbol: || code128("Café\u{1d}\u{85}").unwrap(),
            printed: "Caf<U+00E9><GS><U+0085>",
        },
        // 5: characters special in XML, PostScript and PDF strings
        Row {
            symbol: || code128("(a)\\b<&>\"").unwrap(),
            printed: "(a)\\b<&>\"",
        },
    ]
}

fn scene(symbol: &Linear) -> Scene {
    let opts = LinearOptions::for_symbol(symbol, 0.33, 15.0);
    layout_linear(symbol, &opts)
}

fn text_of(scene: &Scene) -> String {
    scene.texts.iter().map(|t| t.text.as_str()).collect()
}

/// Contours the scene's text draws.
fn closes(scene: &Scene) -> usize {
    scene
        .texts
        .iter()
        .flat_map(run_outline)
        .filter(|c| *c == PathCmd::Close)
        .count()
}

fn svg(scene: &Scene, embed_font: bool) -> String {
    let o = RenderOptions {
        embed_font,
        ..RenderOptions::default()
    };
    String::from_utf8(render(scene, Format::Svg, &o)).unwrap()
}

#[test]
fn the_scene_prints_every_character_the_symbol_carries() {
    for (i, row) in rows().into_iter().enumerate() {
        assert_eq!(text_of(&scene(&(row.symbol)())), row.printed, "row {i}");
    }
}

#[test]
fn svg_outlines_use_one_glyph_per_inked_character_and_never_the_question_mark() {
    for (i, row) in rows().into_iter().enumerate() {
        let svg = svg(&scene(&(row.symbol)()), true);
        let inked = row.printed.chars().filter(|&c| c != ' ').count();
        assert_eq!(svg.matches("<use ").count(), inked, "row {i}: {svg}");
        for c in row.printed.chars().filter(|&c| c != ' ') {
            let id = format!("<path id=\"ocrb-{}\"", u32::from(c));
            assert!(svg.contains(&id), "row {i}: no glyph for {c:?}");
            assert_ne!(glyph_index(c), glyph_index('?'), "row {i}: {c:?}");
        }
        assert!(!svg.contains("ocrb-63"), "row {i}: a '?' was drawn");
    }
}

#[test]
fn svg_text_elements_hold_the_printed_text_escaped() {
    for (i, row) in rows().into_iter().enumerate() {
        let svg = svg(&scene(&(row.symbol)()), false);
        let escaped = row
            .printed
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        assert!(
            svg.contains(&format!(">{escaped}</text>")),
            "row {i}: {svg}"
        );
        assert!(is_well_formed_markup(&svg), "row {i}: {svg}");
    }
}

/// Without an XML parser: every `<` opens a tag and every `&` an entity we write.
fn is_well_formed_markup(svg: &str) -> bool {
    let body = svg.split_once("?>").map_or(svg, |(_, b)| b);
    body.split('<')
        .skip(1)
        .all(|t| t.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/'))
        && body.split('&').skip(1).all(|t| {
            ["amp;", "lt;", "gt;", "quot;", "#9;", "#10;", "#13;"]
                .iter()
                .any(|e| t.starts_with(e))
        })
}

#[test]
fn eps_and_pdf_draw_the_printed_text_as_outlines_never_as_strings() {
    for (i, row) in rows().into_iter().enumerate() {
        let scene = scene(&(row.symbol)());
        let o = RenderOptions::default();
        let eps = String::from_utf8(render(&scene, Format::Eps, &o)).unwrap();
        // Every contour of every printed glyph, and no PostScript string to escape.
        assert_eq!(eps.matches("\nz\n").count(), closes(&scene), "row {i}");
        assert!(!eps.contains(['(', ')', '\\']), "row {i}");
        let pdf = render(&scene, Format::Pdf, &o);
        let pdf = String::from_utf8_lossy(&pdf);
        assert_eq!(pdf.matches("\nh\n").count(), closes(&scene), "row {i}");
        assert!(!pdf.contains(['(', ')', '\\']), "row {i}");
    }
}

#[test]
fn every_format_draws_latin_1_differently_from_the_question_mark() {
    // GIVEN "Testgerät" and the same scene with the ä replaced by the old fallback '?'
    let good = scene(&code128("Testgerät").unwrap());
    let mut old = good.clone();
    for t in &mut old.texts {
        t.text = t.text.replace('ä', "?");
    }
    // THEN no format draws them alike
    for f in Format::ALL {
        let o = RenderOptions::default();
        assert_ne!(render(&good, f, &o), render(&old, f, &o), "{f:?}");
    }
}
