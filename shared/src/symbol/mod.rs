//! Symbol encoders: data in, modules out.
//!
//! Every encoder returns a [`Symbol`], the one model that `render::layout` turns into a
//! `Scene` for every output format. A symbol knows nothing of millimetres or pixels:
//! positions are in modules (X), so the same symbol renders at any X dimension.
//!
//! Module coordinates: x = 0 is the left edge of the first bar (the quiet zone lies at
//! negative x on the left and beyond `modules.len()` on the right).
//!
//! | module      | encoders                                                    |
//! |-------------|-------------------------------------------------------------|
//! | [`ean_upc`] | EAN-13, EAN-8, UPC-A, UPC-E (and UPC-A <-> UPC-E)            |
//! | [`itf`]     | ITF-14                                                      |
//! | [`code128`] | Code 128 (optimal code sets), GS1-128                       |
//! | [`code39`]  | Code 39 with an optional mod-43 check character             |
//!
//! ```
//! use shared::symbol::ean_upc::ean13;
//! let symbol = ean13("950110102091").unwrap(); // check digit 7 computed
//! assert_eq!(symbol.modules.len(), 95);
//! ```

use std::ops::Range;

pub mod code128;
pub mod code39;
pub mod datamatrix;
pub mod ean_upc;
pub mod itf;
pub mod qr;

/// The symbologies we encode; the identifier a scanner reports is in the comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Symbology {
    /// `]E0`
    Ean13,
    /// `]E4`
    Ean8,
    /// `]E0` (a UPC-A is an EAN-13 with a leading 0 to a scanner)
    UpcA,
    /// `]E0`
    UpcE,
    /// `]I1`
    Itf14,
    /// `]C0`
    Code128,
    /// `]C1`
    Gs1_128,
    /// `]A0` / `]A1` with a check character
    Code39,
    /// `]d2`
    Gs1DataMatrix,
    /// `]Q1` / `]Q3`
    Qr,
}

impl Symbology {
    /// The symbology's name as GS1 and ISO write it (`"EAN-13"`, `"GS1-128"`...).
    pub const fn name(self) -> &'static str {
        match self {
            Symbology::Ean13 => "EAN-13",
            Symbology::Ean8 => "EAN-8",
            Symbology::UpcA => "UPC-A",
            Symbology::UpcE => "UPC-E",
            Symbology::Itf14 => "ITF-14",
            Symbology::Code128 => "Code 128",
            Symbology::Gs1_128 => "GS1-128",
            Symbology::Code39 => "Code 39",
            Symbology::Gs1DataMatrix => "GS1 DataMatrix",
            Symbology::Qr => "QR Code",
        }
    }

    /// The minimum quiet zones in modules (X), `(left, right)`; a matrix symbol needs
    /// the same on all four sides. This is the one table of minima: every encoder puts
    /// it in its symbol (`Linear::min_quiet_zone`, `Matrix::min_quiet_zone`) and the
    /// API refuses a requested quiet zone below it.
    ///
    /// | symbology       | left | right | source                                               |
    /// |-----------------|------|-------|------------------------------------------------------|
    /// | EAN-13          | 11   | 7     | GS1 General Specifications 5.2.3.4, Figure 5.2.3.4-1  |
    /// | EAN-8           | 7    | 7     | GS1 General Specifications 5.2.3.4, Figure 5.2.3.4-1  |
    /// | UPC-A           | 9    | 9     | GS1 General Specifications 5.2.3.4, Figure 5.2.3.4-1  |
    /// | UPC-E           | 9    | 7     | GS1 General Specifications 5.2.3.4, Figure 5.2.3.4-1  |
    /// | ITF-14          | 10   | 10    | GS1 General Specifications 5.3.3 (ISO/IEC 16390)     |
    /// | GS1-128         | 10   | 10    | GS1 General Specifications 5.4.4.5 (ISO/IEC 15417)   |
    /// | Code 128        | 10   | 10    | ISO/IEC 15417                                        |
    /// | Code 39         | 10   | 10    | ISO/IEC 16388                                        |
    /// | GS1 DataMatrix  | 1    | 1     | ISO/IEC 16022                                        |
    /// | QR Code         | 4    | 4     | ISO/IEC 18004                                        |
    ///
    /// ```
    /// use shared::symbol::Symbology;
    /// assert_eq!(Symbology::Ean13.min_quiet_zone(), (11, 7));
    /// assert_eq!(Symbology::Qr.min_quiet_zone(), (4, 4));
    /// ```
    pub const fn min_quiet_zone(self) -> (u32, u32) {
        match self {
            Symbology::Ean13 => (11, 7),
            Symbology::Ean8 => (7, 7),
            Symbology::UpcA => (9, 9),
            Symbology::UpcE => (9, 7),
            Symbology::Itf14 | Symbology::Code128 | Symbology::Gs1_128 | Symbology::Code39 => {
                (10, 10)
            }
            Symbology::Gs1DataMatrix => (1, 1),
            Symbology::Qr => (4, 4),
        }
    }
}

/// Output of every encoder.
#[derive(Debug, Clone, PartialEq)]
pub enum Symbol {
    /// A one-dimensional symbol: bars and spaces.
    Linear(Linear),
    /// A two-dimensional symbol: a grid of square modules.
    Matrix(Matrix),
}

/// A one-dimensional symbol.
#[derive(Debug, Clone, PartialEq)]
pub struct Linear {
    /// What was encoded, e.g. [`Symbology::Ean13`].
    pub symbology: Symbology,
    /// One entry per module, left to right; `true` is a dark module (bar).
    pub modules: Vec<bool>,
    /// Module ranges whose bars extend below the others (EAN/UPC guard bars, and the
    /// bars of UPC-A's first and last symbol characters), as the GS1 General
    /// Specifications draw them.
    pub guards: Vec<Range<usize>>,
    /// The Human Readable Interpretation (GS1 General Specifications 4.15), placed by the
    /// encoder because where the digits go is part of each symbology's specification
    /// (EAN-13's first digit left of the bars...).
    pub hri: Vec<TextSpan>,
    /// Minimum quiet zones in modules (left, right) that the symbology's spec requires,
    /// e.g. 11 and 7 for EAN-13, 10 and 10 for ITF-14 and GS1-128; the encoders take
    /// them from [`Symbology::min_quiet_zone`].
    pub min_quiet_zone: (u32, u32),
    /// Light margin indicators (`<`, `>`) that EAN-13/EAN-8/UPC-E print in the quiet zone.
    pub light_margin_indicators: Vec<TextSpan>,
    /// Bearer bars (ITF-14 only; `None` elsewhere).
    pub bearer: Bearer,
}

/// A piece of human-readable text under a linear symbol.
#[derive(Debug, Clone, PartialEq)]
pub struct TextSpan {
    /// The characters printed.
    pub text: String,
    /// Horizontal anchor in modules (may be negative: inside the left quiet zone).
    pub x: f32,
    /// Which point of the text `x` gives.
    pub anchor: TextAnchor,
    /// Smaller digits (UPC-A/UPC-E outer digits), drawn at about 3/4 size.
    pub small: bool,
}

/// How a [`TextSpan`] hangs from its `x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextAnchor {
    /// `x` is the text's left edge.
    Start,
    /// `x` is the text's centre.
    Middle,
    /// `x` is the text's right edge.
    End,
}

/// ITF-14 bearer bars; GS1 recommends a full frame for printing on corrugate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Bearer {
    /// No bearer bars (the default).
    #[default]
    None,
    /// Horizontal bars above and below the symbol.
    Bars,
    /// A rectangle around symbol and quiet zones.
    Frame,
}

/// A two-dimensional symbol (DataMatrix, QR).
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    /// What was encoded, e.g. [`Symbology::Gs1DataMatrix`].
    pub symbology: Symbology,
    /// Columns, in modules.
    pub width: usize,
    /// Rows, in modules.
    pub height: usize,
    /// Row-major, `true` is dark; `width * height` entries.
    pub modules: Vec<bool>,
    /// Minimum quiet zone in modules on every side (from [`Symbology::min_quiet_zone`]).
    pub min_quiet_zone: u32,
    /// Optional HRI line under the symbol, e.g. `(01) 09501101020917 (10) ABC`.
    pub hri: Option<String>,
}

impl Matrix {
    /// Whether the module at column `x`, row `y` is dark.
    pub fn get(&self, x: usize, y: usize) -> bool {
        self.modules[y * self.width + x]
    }
}

/// Digit values of `text`, or the 1-based position and the character that is not a digit.
pub(crate) fn parse_digits(text: &str) -> Result<Vec<u8>, (usize, char)> {
    text.chars()
        .enumerate()
        .map(|(i, c)| c.to_digit(10).map(|d| d as u8).ok_or((i + 1, c)))
        .collect()
}

/// Appends runs of alternating bars and spaces, `widths` in modules, starting with a bar
/// when `bar_first`.
pub(crate) fn push_runs(modules: &mut Vec<bool>, widths: &[u8], bar_first: bool) {
    let mut dark = bar_first;
    for &w in widths {
        modules.extend(std::iter::repeat_n(dark, usize::from(w)));
        dark = !dark;
    }
}

/// A normal-size text span.
pub(crate) fn span(text: impl Into<String>, x: f32, anchor: TextAnchor) -> TextSpan {
    TextSpan {
        text: text.into(),
        x,
        anchor,
        small: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_digits_names_the_first_bad_character() {
        assert_eq!(parse_digits("12x4"), Err((3, 'x')));
        assert_eq!(parse_digits("٣"), Err((1, '٣'))); // a non-ASCII digit is not a digit here
    }
}
