//! The photo of an `IMAGE` capture: what is accepted ([`ImageFormat::sniff`],
//! [`MAX_IMAGE_BYTES`], [`MAX_IMAGE_PIXELS`]), its grey pixels ([`Grey::decode`]) and
//! the barcode read from them with rxing ([`read_barcode`]), as the raw value a scanner
//! would have sent (symbology identifier first), ready for [`crate::gs1::scan::understand`].
//!
//! Every symbology we render reads back: EAN-13, UPC-A, UPC-E, EAN-8, ITF-14, GS1-128,
//! (GS1) DataMatrix and (GS1) QR Code. A photo is tried as it is, then turned by 90, 180
//! and 270 degrees; a large one (longest side over [`DOWNSCALE_ABOVE`] pixels) is first
//! tried halved, which is faster and reads the blur of a phone camera better.
//!
//! ```
//! use shared::api::capture_image::{read_barcode, Grey};
//! // A white page holds no barcode.
//! let blank = Grey { width: 64, height: 48, pixels: vec![255; 64 * 48] };
//! assert_eq!(read_barcode(&blank), None);
//! ```

use crate::gs1::gtin::upce_to_gtin12;
use rxing::common::HybridBinarizer;
use rxing::{
    BarcodeFormat, BinaryBitmap, DecodeHints, Luma8LuminanceSource, MultiFormatReader, RXingResult,
    RXingResultMetadataType, RXingResultMetadataValue, Reader,
};

/// The largest photo accepted, in bytes (5 MiB, as decoded from base64): more is a 413.
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;

/// The most pixels a photo may have (40 megapixels: a 5 MiB PNG can hold far more, and
/// each pixel costs a byte or four to read): more is a 413, checked from the header
/// before any pixel is decoded.
pub const MAX_IMAGE_PIXELS: u64 = 40_000_000;

/// Longest side, in pixels, above which a photo is first tried at half size.
pub const DOWNSCALE_ABOVE: u32 = 1600;

/// The image formats a capture may carry, told by their magic bytes (never by a declared
/// type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    /// PNG (`\x89PNG\r\n\x1a\n`).
    Png,
    /// JPEG (`FF D8 FF`).
    Jpeg,
}

impl ImageFormat {
    /// The format whose magic bytes `bytes` start with; `None` for anything else (GIF,
    /// text, ...).
    pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageFormat::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageFormat::Jpeg)
        } else {
            None
        }
    }

    /// The object key's extension: `png` or `jpg`.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpg",
        }
    }

    /// The media type: `image/png` or `image/jpeg`.
    pub fn content_type(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
        }
    }
}

/// Why a photo's pixels could not be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    /// More than [`MAX_IMAGE_PIXELS`] (or a side over 65535).
    #[error("the image is {width} x {height} pixels; at most {MAX_IMAGE_PIXELS} pixels are read")]
    TooManyPixels {
        /// Width in pixels.
        width: u64,
        /// Height in pixels.
        height: u64,
    },
    /// Its magic bytes say PNG or JPEG, but it does not decode as one.
    #[error("the image could not be read as {format}: {reason}")]
    Corrupt {
        /// `PNG` or `JPEG`.
        format: &'static str,
        /// The decoder's words.
        reason: String,
    },
}

/// An 8-bit grey image, row by row, one byte a pixel (0 black, 255 white).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grey {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height` bytes.
    pub pixels: Vec<u8>,
}

fn check_pixels(width: u64, height: u64) -> Result<(), ImageError> {
    if width * height > MAX_IMAGE_PIXELS || width > 65_535 || height > 65_535 {
        return Err(ImageError::TooManyPixels { width, height });
    }
    Ok(())
}

impl Grey {
    /// The grey pixels of a PNG or JPEG: colours by their luma (BT.601), transparency
    /// over white.
    pub fn decode(bytes: &[u8], format: ImageFormat) -> Result<Grey, ImageError> {
        match format {
            ImageFormat::Png => decode_png(bytes),
            ImageFormat::Jpeg => decode_jpeg(bytes),
        }
    }

    /// This image turned 90 degrees clockwise.
    pub fn rotated_90(&self) -> Grey {
        let (w, h) = (self.width as usize, self.height as usize);
        let mut pixels = vec![0; w * h];
        for y in 0..h {
            for x in 0..w {
                // (x, y) goes to column h-1-y, row x of the h-wide result.
                pixels[x * h + (h - 1 - y)] = self.pixels[y * w + x];
            }
        }
        Grey {
            width: self.height,
            height: self.width,
            pixels,
        }
    }

    /// This image at half size, each 2 x 2 block averaged (an odd last row or column
    /// dropped).
    pub fn halved(&self) -> Grey {
        let (w, h) = (self.width as usize / 2, self.height as usize / 2);
        let src = self.width as usize;
        let mut pixels = Vec::with_capacity(w * h);
        for y in 0..h {
            for x in 0..w {
                let at =
                    |dx: usize, dy: usize| u16::from(self.pixels[(2 * y + dy) * src + 2 * x + dx]);
                pixels.push(((at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1) + 2) / 4) as u8);
            }
        }
        Grey {
            width: w as u32,
            height: h as u32,
            pixels,
        }
    }
}

fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b) + 500) / 1000) as u8
}

fn over_white(v: u8, alpha: u8) -> u8 {
    let (v, a) = (u32::from(v), u32::from(alpha));
    ((v * a + 255 * (255 - a) + 127) / 255) as u8
}

fn decode_png(bytes: &[u8]) -> Result<Grey, ImageError> {
    let corrupt = |e: png::DecodingError| ImageError::Corrupt {
        format: "PNG",
        reason: e.to_string(),
    };
    // 40 Mpx of 16-bit RGBA is 320 MB: let the decoder allocate what the pixel limit allows.
    let limits = png::Limits {
        bytes: (MAX_IMAGE_PIXELS * 8) as usize,
    };
    let mut decoder = png::Decoder::new_with_limits(std::io::Cursor::new(bytes), limits);
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(corrupt)?;
    let (w, h) = (reader.info().width, reader.info().height);
    check_pixels(u64::from(w), u64::from(h))?;
    let size = reader
        .output_buffer_size()
        .ok_or(ImageError::TooManyPixels {
            width: u64::from(w),
            height: u64::from(h),
        })?;
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf).map_err(corrupt)?;
    buf.truncate(info.buffer_size());
    let pixels = match info.color_type {
        png::ColorType::Grayscale => buf,
        png::ColorType::GrayscaleAlpha => buf
            .chunks_exact(2)
            .map(|p| over_white(p[0], p[1]))
            .collect(),
        png::ColorType::Rgb => buf
            .chunks_exact(3)
            .map(|p| luma(p[0], p[1], p[2]))
            .collect(),
        png::ColorType::Rgba => buf
            .chunks_exact(4)
            .map(|p| over_white(luma(p[0], p[1], p[2]), p[3]))
            .collect(),
        // EXPAND turns palettes into RGB(A).
        png::ColorType::Indexed => {
            return Err(ImageError::Corrupt {
                format: "PNG",
                reason: "palette not expanded".into(),
            })
        }
    };
    Ok(Grey {
        width: info.width,
        height: info.height,
        pixels,
    })
}

fn decode_jpeg(bytes: &[u8]) -> Result<Grey, ImageError> {
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;
    let corrupt = |e: zune_jpeg::errors::DecodeErrors| ImageError::Corrupt {
        format: "JPEG",
        reason: e.to_string(),
    };
    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::Luma)
        .set_max_width(65_535)
        .set_max_height(65_535);
    let mut decoder =
        zune_jpeg::JpegDecoder::new_with_options(std::io::Cursor::new(bytes), options);
    decoder.decode_headers().map_err(corrupt)?;
    let info = decoder.info().ok_or(ImageError::Corrupt {
        format: "JPEG",
        reason: "no frame header".into(),
    })?;
    let (w, h) = (u64::from(info.width), u64::from(info.height));
    check_pixels(w, h)?;
    let pixels = decoder.decode().map_err(corrupt)?;
    if pixels.len() as u64 != w * h {
        return Err(ImageError::Corrupt {
            format: "JPEG",
            reason: format!("{} bytes for {w} x {h} grey pixels", pixels.len()),
        });
    }
    Ok(Grey {
        width: info.width.into(),
        height: info.height.into(),
        pixels,
    })
}

/// The barcode in `image` as a scanner would send it (`]E0` + 13 digits, `]C1` + element
/// strings, `]d2...`, `]Q1https://...`), or `None` if none is found in any orientation.
///
/// rxing gives UPC-A as 12 digits and UPC-E as its 8 printed digits; both become `]E0`
/// and the 13 digits of their GTIN-12 with a leading `0`, as ISO/IEC 15420 scanners
/// send them. When several symbols are in the picture, the first read wins.
pub fn read_barcode(image: &Grey) -> Option<String> {
    let mut sizes = Vec::with_capacity(2);
    if image.width.max(image.height) > DOWNSCALE_ABOVE {
        sizes.push(image.halved());
    }
    sizes.push(image.clone());
    for sized in sizes {
        let mut turned = sized;
        for quarter in 0..4 {
            if quarter > 0 {
                turned = turned.rotated_90();
            }
            if let Some(result) = read_once(&turned) {
                return Some(raw_value(&result));
            }
        }
    }
    None
}

fn read_once(image: &Grey) -> Option<RXingResult> {
    let source = Luma8LuminanceSource::new(image.pixels.clone(), image.width, image.height).ok()?;
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let hints = DecodeHints {
        TryHarder: Some(true),
        ..Default::default()
    };
    MultiFormatReader::default()
        .decode_with_hints(&mut bitmap, &hints)
        .ok()
}

fn raw_value(result: &RXingResult) -> String {
    let id = match result
        .getRXingResultMetadata()
        .get(&RXingResultMetadataType::SYMBOLOGY_IDENTIFIER)
    {
        Some(RXingResultMetadataValue::SymbologyIdentifier(id)) => id.as_str(),
        _ => "",
    };
    let text = result.getText();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match result.getBarcodeFormat() {
        BarcodeFormat::UPC_A if digits(text, 12) => format!("]E00{text}"),
        BarcodeFormat::UPC_E if digits(text, 8) => {
            let mut ns_and_six = [0u8; 7];
            for (d, b) in ns_and_six.iter_mut().zip(text.bytes()) {
                *d = b - b'0';
            }
            let gtin12: String = upce_to_gtin12(ns_and_six)
                .iter()
                .map(|d| char::from(b'0' + d))
                .collect();
            format!("]E00{gtin12}")
        }
        // rxing puts `]C1` in a GS1-128's text itself.
        _ if !id.is_empty() && text.starts_with(id) => text.to_string(),
        _ => format!("{id}{text}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_table() {
        let rows: &[(&[u8], Option<ImageFormat>)] = &[
            /* 0 */ (b"\x89PNG\r\n\x1a\n\0\0", Some(ImageFormat::Png)),
            /* 1 */ (&[0xFF, 0xD8, 0xFF, 0xE0], Some(ImageFormat::Jpeg)),
            /* 2 */ (b"GIF89a", None),
            /* 3 */ (b"hello", None),
            /* 4 */ (b"", None),
        ];
        for (i, (bytes, want)) in rows.iter().enumerate() {
            assert_eq!(ImageFormat::sniff(bytes), *want, "row {i}");
        }
    }

    #[test]
    fn turning_four_times_is_the_same_image() {
        let g = Grey {
            width: 3,
            height: 2,
            pixels: vec![1, 2, 3, 4, 5, 6],
        };
        let r = g.rotated_90();
        assert_eq!((r.width, r.height), (2, 3));
        // Clockwise: the bottom-left pixel (4) comes to the top left.
        assert_eq!(r.pixels, vec![4, 1, 5, 2, 6, 3]);
        assert_eq!(r.rotated_90().rotated_90().rotated_90(), g);
    }

    #[test]
    fn halving_averages_blocks() {
        let g = Grey {
            width: 5,
            height: 2,
            pixels: vec![0, 255, 10, 10, 9, 255, 0, 20, 20, 9],
        };
        assert_eq!(
            g.halved(),
            Grey {
                width: 2,
                height: 1,
                pixels: vec![128, 15]
            }
        );
    }

    #[test]
    fn too_many_pixels_is_refused_from_the_header() {
        assert!(check_pixels(8000, 5000).is_ok());
        assert_eq!(
            check_pixels(8001, 5000),
            Err(ImageError::TooManyPixels {
                width: 8001,
                height: 5000
            })
        );
    }
}
