//! The independent half of `decode_formats`: rasterise each output format by a path that
//! shares no code with our renderers, then read the pixels with rxing.
//!
//! | format | rasterised by                                                         |
//! |--------|-----------------------------------------------------------------------|
//! | PNG    | the `png` crate's decoder (our file, decoded as any viewer would)     |
//! | SVG    | resvg, at `dpi` ([`DPI`] = 300 unless a row says why not)              |
//! | PDF    | `pdftoppm -r <dpi> -gray` (poppler), a subprocess                     |
//! | EPS    | `gs -sDEVICE=pnggray -r<dpi> -dEPSCrop` (Ghostscript), a subprocess   |
//!
//! A missing `pdftoppm` or `gs` is a failure that says to run `make test` (which
//! installs both through `tests/setup.sh`), never a silent skip.

use std::collections::HashSet;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;

use rxing::common::HybridBinarizer;
use rxing::{
    BarcodeFormat, BinaryBitmap, DecodeHints, Luma8LuminanceSource, MultiFormatReader,
    RXingResultMetadataType, RXingResultMetadataValue, Reader,
};
use shared::render::Format;

/// Resolution of every rasterisation (and of the PNG layout's pixel grid).
pub const DPI: u32 = 300;

/// An 8-bit greyscale image, row-major, 0 = black.
pub struct Raster {
    pub width: u32,
    pub height: u32,
    pub luma: Vec<u8>,
}

impl Raster {
    /// Encodes the raster as a greyscale PNG (for `target/decode-failures/`).
    pub fn to_png(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, self.width, self.height);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().expect("png header");
        writer.write_image_data(&self.luma).expect("png data");
        writer.finish().expect("png end");
        out
    }
}

/// What rxing read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub format: BarcodeFormat,
    /// The symbology identifier from the result metadata (`]E0`, `]C1`, ...).
    pub symbology_id: Option<String>,
}

/// Rasterises `bytes` (one rendered file in `format`) at `dpi` (a PNG is decoded as it
/// is). `name` keeps the temporary files of rows running in parallel apart.
pub fn rasterise(format: Format, bytes: &[u8], dpi: u32, name: &str) -> Result<Raster, String> {
    match format {
        Format::Png => png_raster(bytes),
        Format::Svg => svg_raster(bytes, dpi),
        Format::Pdf => {
            let pdf = write_tmp(name, "pdf", bytes);
            let out = run_tool(
                "pdftoppm",
                &[
                    "-r".as_ref(),
                    dpi.to_string().as_ref(),
                    "-gray".as_ref(),
                    "-singlefile".as_ref(),
                    pdf.as_os_str(),
                ],
            )?;
            pgm_raster(&out)
        }
        Format::Eps => {
            let eps = write_tmp(name, "eps", bytes);
            let out = run_tool(
                "gs",
                &[
                    "-q".as_ref(),
                    "-dSAFER".as_ref(),
                    "-dBATCH".as_ref(),
                    "-dNOPAUSE".as_ref(),
                    "-sDEVICE=pnggray".as_ref(),
                    format!("-r{dpi}").as_ref(),
                    "-dEPSCrop".as_ref(),
                    "-sOutputFile=-".as_ref(),
                    eps.as_os_str(),
                ],
            )?;
            png_raster(&out)
        }
    }
}

/// Fails the test, saying how to install them, unless `pdftoppm` and `gs` both run.
pub fn require_rasterisers() {
    for (tool, arg) in [("pdftoppm", "-v"), ("gs", "--version")] {
        run_tool(tool, &[arg.as_ref()]).unwrap_or_else(|e| panic!("{e}"));
    }
}

/// Reads the one symbol in `raster` (1D, or DataMatrix) with rxing's 1D readers (try harder, every
/// row). `AssumeGs1` makes FNC1 visible: `]C1` in first position, GS elsewhere.
/// `code39_check` asks the reader to verify and strip a Code 39 check character.
pub fn decode(raster: &Raster, code39_check: bool) -> Option<Decoded> {
    let source =
        Luma8LuminanceSource::new(raster.luma.clone(), raster.width, raster.height).ok()?;
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let formats: HashSet<BarcodeFormat> = [
        BarcodeFormat::EAN_13,
        BarcodeFormat::EAN_8,
        BarcodeFormat::UPC_A,
        BarcodeFormat::UPC_E,
        BarcodeFormat::ITF,
        BarcodeFormat::CODE_128,
        BarcodeFormat::CODE_39,
        BarcodeFormat::DATA_MATRIX,
    ]
    .into();
    let hints = DecodeHints {
        PossibleFormats: Some(formats),
        TryHarder: Some(true),
        AssumeGs1: Some(true),
        AssumeCode39CheckDigit: Some(code39_check),
        ..Default::default()
    };
    let result = MultiFormatReader::default()
        .decode_with_hints(&mut bitmap, &hints)
        .ok()?;
    let symbology_id = match result
        .getRXingResultMetadata()
        .get(&RXingResultMetadataType::SYMBOLOGY_IDENTIFIER)
    {
        Some(RXingResultMetadataValue::SymbologyIdentifier(id)) => Some(id.clone()),
        _ => None,
    };
    Some(Decoded {
        text: result.getText().to_owned(),
        format: *result.getBarcodeFormat(),
        symbology_id,
    })
}

/// Keeps a failing row's rendered file and its raster under `target/decode-failures/`
/// and returns the raster's path, for the failure message.
pub fn keep_failure(name: &str, format: Format, bytes: &[u8], raster: Option<&Raster>) -> PathBuf {
    let dir = target_dir().join("decode-failures");
    std::fs::create_dir_all(&dir).expect("create target/decode-failures");
    let rendered = dir.join(format!("{name}.{}", format.extension()));
    std::fs::write(&rendered, bytes).expect("write rendered file");
    match raster {
        Some(r) => {
            let path = dir.join(format!("{name}.raster.png"));
            std::fs::write(&path, r.to_png()).expect("write raster");
            path
        }
        None => rendered,
    }
}

fn target_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is <target>/tmp, whatever CARGO_TARGET_DIR says.
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .to_owned()
}

fn write_tmp(name: &str, ext: &str, bytes: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("decode_formats");
    std::fs::create_dir_all(&dir).expect("create tmp dir");
    let path = dir.join(format!("{name}.{ext}"));
    std::fs::write(&path, bytes).expect("write tmp file");
    path
}

/// Runs an external rasteriser and returns its stdout. A missing tool panics (the test
/// fails) with the command that installs it; a tool that fails is an `Err` for the row.
fn run_tool(tool: &str, args: &[&std::ffi::OsStr]) -> Result<Vec<u8>, String> {
    let out = match Command::new(tool).args(args).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "`{tool}` is not installed: run `make test` (tests/setup.sh installs \
             poppler-utils and ghostscript), then rerun this test"
        ),
        Err(e) => panic!("cannot run `{tool}`: {e}"),
    };
    if !out.status.success() {
        return Err(format!(
            "{tool} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(out.stdout)
}

fn png_raster(bytes: &[u8]) -> Result<Raster, String> {
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| format!("png: {e}"))?;
    let mut buf = vec![0; reader.output_buffer_size().ok_or("png: too large")?];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("png: {e}"))?;
    let channels = info.color_type.samples();
    let luma = buf[..info.buffer_size()]
        .chunks_exact(channels)
        .map(|px| match px {
            [l] | [l, 255] => *l,
            // Composite onto white; then the usual Rec. 601 weights.
            [l, a] => white_under(*l, *a),
            [r, g, b] => luma601(*r, *g, *b),
            [r, g, b, a] => white_under(luma601(*r, *g, *b), *a),
            _ => unreachable!("png has 1 to 4 samples per pixel"),
        })
        .collect();
    Ok(Raster {
        width: info.width,
        height: info.height,
        luma,
    })
}

fn luma601(r: u8, g: u8, b: u8) -> u8 {
    ((299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000) as u8
}

fn white_under(l: u8, a: u8) -> u8 {
    ((u32::from(l) * u32::from(a) + 255 * (255 - u32::from(a))) / 255) as u8
}

fn svg_raster(bytes: &[u8], dpi: u32) -> Result<Raster, String> {
    let opt = resvg::usvg::Options {
        dpi: dpi as f32,
        ..Default::default()
    };
    // usvg turns the `mm` width and height into pixels at `opt.dpi`.
    let tree = resvg::usvg::Tree::from_data(bytes, &opt).map_err(|e| format!("usvg: {e}"))?;
    let size = tree.size().to_int_size();
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("svg: empty canvas")?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    let luma = pixmap
        .pixels()
        .iter()
        .map(|p| {
            let c = p.demultiply();
            white_under(luma601(c.red(), c.green(), c.blue()), c.alpha())
        })
        .collect();
    Ok(Raster {
        width: size.width(),
        height: size.height(),
        luma,
    })
}

/// A binary PGM (`P5`, maxval 255) as pdftoppm writes it.
fn pgm_raster(bytes: &[u8]) -> Result<Raster, String> {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes.get(i) == Some(&b'#') {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if start == i {
            return Err("pgm: truncated header".into());
        }
        fields.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
    }
    let pixels = &bytes[i + 1..]; // one whitespace byte ends the header
    let num = |s: &str| {
        s.parse::<u32>()
            .map_err(|_| format!("pgm: bad number {s:?}"))
    };
    let (width, height, max) = (num(&fields[1])?, num(&fields[2])?, num(&fields[3])?);
    if fields[0] != "P5" || max != 255 {
        return Err(format!("pgm: expected P5 with maxval 255, got {fields:?}"));
    }
    let len = (width * height) as usize;
    if pixels.len() < len {
        return Err(format!("pgm: {} of {len} pixels", pixels.len()));
    }
    Ok(Raster {
        width,
        height,
        luma: pixels[..len].to_vec(),
    })
}
