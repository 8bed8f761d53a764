//! GS1 DataMatrix (ECC 200, ISO/IEC 16022): element strings in, the smallest symbol out.
//!
//! # Why we produce the codewords ourselves
//! The `datamatrix` crate (0.3) has a good optimising planner, but its `encode_gs1` writes
//! every separator after the first as ASCII GS (codeword 30) instead of FNC1 (codeword 232).
//! GS1 requires FNC1 there: a scanner reports `]d2` and turns each FNC1 into GS, whereas a
//! literal GS is just data. So this module owns the data codewords:
//!
//! 1. [`gs1_data`]: FNC1 first, then the element strings with an FNC1 separator wherever
//!    [`ElementString::encoding_units`] puts one (none after predefined-length AIs).
//! 2. [`encode_data`]: a shortest path over (input position, encodation, partial
//!    C40/Text/X12 triplet or EDIFACT quadruplet, Base 256 length) that minimises codewords
//!    over ASCII (with digit pairs and Upper Shift), C40, Text, X12, EDIFACT and Base 256,
//!    with the latch/unlatch rules and the end-of-data rules of ISO/IEC 16022 5.2 (no
//!    unlatch when the symbol is full; the last character in ASCII without unlatch when one
//!    codeword is left; a C40/Text pair padded with Shift 1 when two are left; EDIFACT's
//!    last one or two codewords in ASCII). FNC1 is ASCII 232, or Shift 2 + 27 in C40/Text;
//!    X12, EDIFACT and Base 256 cannot carry it. Then the smallest size of the requested
//!    [`DmShape`] whose capacity fits, padded with 129 and the 253-state randomised pads.
//! 3. Reed-Solomon is ours too (GF(256) product table and generator polynomials built once,
//!    interleaved blocks of ISO/IEC 16022 Table 7). From the crate we take only
//!    [`datamatrix::placement::MatrixMap`] (module placement and finder/alignment
//!    patterns), run once per size on codeword-bit slots and cached, so a symbol is one
//!    lookup per module. Its capacity table is private, so [`SIZES`] is ours; tests check
//!    it, and our Reed-Solomon and placement module for module, against the crate for
//!    every size.
//!
//! # Files
//! | file            | holds                                                            |
//! |-----------------|------------------------------------------------------------------|
//! | `mod.rs`        | the public API: GS1 data, shapes, errors, [`matrix_of`]           |
//! | `sizes.rs`      | the symbol size table, ISO/IEC 16022 Table 7 ([`SIZES`])          |
//! | `encodation.rs` | the shortest-path encodation search, [`encode_data`], padding     |
//! | `ecc.rs`        | Reed-Solomon error correction                                    |
//! | `placement.rs`  | module placement (the crate's `MatrixMap`, cached per size)      |
//!
//! Sizes are the ISO/IEC 16022 ones: squares 10x10 to 144x144 and rectangles 8x18 to
//! 16x48. The DMRE rectangles (ISO/IEC 21471, 8x48 to 26x64) are left out on purpose: many
//! installed scanners and verifiers do not read them, and GS1 admitted them only recently.
//!
//! ```
//! use shared::gs1::ElementString;
//! use shared::symbol::datamatrix::{gs1_datamatrix, DmShape};
//! let es = ElementString::parse_bracketed("(01)09501101020917(17)270630(10)LOT1").unwrap();
//! let m = gs1_datamatrix(&es, DmShape::Square).unwrap();
//! assert_eq!((m.width, m.height), (18, 18));
//! ```

mod ecc;
mod encodation;
mod placement;
mod sizes;

use super::{Matrix, Symbology};
use crate::gs1::ElementString;

pub use encodation::{encode_data, encode_in};
pub use sizes::{sizes, DmSize, SIZES};

/// Symbol shapes we offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DmShape {
    /// 10x10 to 144x144.
    #[default]
    Square,
    /// 8x18 to 16x48 (ISO/IEC 16022 rectangles; no DMRE, see the module doc).
    Rectangle,
}

impl std::fmt::Display for DmShape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DmShape::Square => "square",
            DmShape::Rectangle => "rectangular",
        })
    }
}

/// What can go wrong encoding a DataMatrix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DataMatrixError {
    /// Nothing to encode.
    #[error("DataMatrix needs at least one character")]
    Empty,
    /// A GS1 value holds a character outside printable ASCII (GS1 allows only its 82-, 39-
    /// or 64-character sets; a GS or non-ASCII character would change the message).
    #[error("element string {index} (AI {ai}): character {found:?} at position {position} of the value is not printable ASCII")]
    Gs1Value {
        /// 1-based index of the element string.
        index: usize,
        /// The element string's AI.
        ai: String,
        /// 1-based position in the value.
        position: usize,
        /// The character.
        found: char,
    },
    /// More data than the largest symbol of the shape holds.
    #[error("data needs {needed} codewords, more than the {capacity} of the largest {shape} DataMatrix ({rows}x{cols})")]
    TooLong {
        /// Data codewords the best encodation needs (a lower bound for very long input).
        needed: usize,
        /// Data codewords of the largest symbol of `shape`.
        capacity: usize,
        /// The shape asked for.
        shape: DmShape,
        /// Rows of that largest symbol, in modules.
        rows: usize,
        /// Columns of that largest symbol, in modules.
        cols: usize,
    },
}

/// One input character: a byte, or the FNC1 function character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataChar {
    /// A data byte (ASCII 0..=127, or 128..=255 by Upper Shift or Base 256).
    Byte(u8),
    /// Function 1: in first position it marks GS1 DataMatrix, later a GS1 field
    /// separator (ISO/IEC 16022 5.2.4.6; GS1 General Specifications 5.6.3).
    Fnc1,
}

/// Data codewords (padded to capacity) and the size chosen for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    /// The smallest size of the requested shape that holds the data.
    pub size: DmSize,
    /// Exactly `size.data_codewords` codewords, pads included.
    pub codewords: Vec<u8>,
}

/// GS1 DataMatrix of `es`: FNC1 first and as every separator, the smallest symbol of
/// `shape`. The caller validates `es`; here only printable ASCII is checked.
pub fn gs1_datamatrix(es: &ElementString, shape: DmShape) -> Result<Matrix, DataMatrixError> {
    let encoded = encode_data(&gs1_data(es)?, shape)?;
    let mut matrix = matrix_of(&encoded);
    matrix.hri = Some(es.hri());
    Ok(matrix)
}

/// The characters of a GS1 DataMatrix: FNC1 in first position, then each AI and value,
/// with an FNC1 separator where [`ElementString::encoding_units`] puts one (GS1 General
/// Specifications 5.10.1 and 7.8.5).
pub fn gs1_data(es: &ElementString) -> Result<Vec<DataChar>, DataMatrixError> {
    if es.ais.is_empty() {
        return Err(DataMatrixError::Empty);
    }
    for (index, (ai, value)) in es.ais.iter().enumerate() {
        let bad = ai
            .chars()
            .chain(value.chars())
            .position(|c| !(' '..='~').contains(&c));
        if let Some(p) = bad {
            let found = ai.chars().chain(value.chars()).nth(p).unwrap_or(' ');
            return Err(DataMatrixError::Gs1Value {
                index: index + 1,
                ai: ai.clone(),
                position: (p + 1).saturating_sub(ai.chars().count()).max(1),
                found,
            });
        }
    }
    let mut out = vec![DataChar::Fnc1];
    for (ai, value, separator) in es.encoding_units() {
        // Printable ASCII, checked above.
        out.extend(ai.bytes().chain(value.bytes()).map(DataChar::Byte));
        if separator {
            out.push(DataChar::Fnc1);
        }
    }
    Ok(out)
}

/// The module matrix of encoded data: our table-driven Reed-Solomon, then the module
/// placement of the `datamatrix` crate, cached per size as a map from module to codeword bit.
pub fn matrix_of(encoded: &Encoded) -> Matrix {
    let size = encoded.size;
    let mut all = encoded.codewords.clone();
    ecc::reed_solomon(&mut all, size);
    let (width, height, modules) = placement::place(size, &all);
    Matrix {
        symbology: Symbology::Gs1DataMatrix,
        width,
        height,
        modules,
        min_quiet_zone: Symbology::Gs1DataMatrix.min_quiet_zone().0,
        hri: None,
    }
}

#[cfg(test)]
mod tests {
    use datamatrix::placement::MatrixMap;

    use super::*;

    #[test]
    fn reed_solomon_and_placement_match_the_crate_for_every_size() {
        // GIVEN pseudo-random data codewords for every size
        let mut seed: u32 = 0x9e37_79b9;
        for size in SIZES {
            let codewords: Vec<u8> = (0..size.data_codewords)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    seed as u8
                })
                .collect();
            // WHEN our table-driven Reed-Solomon and cached placement build the matrix
            let ours = matrix_of(&Encoded {
                size,
                codewords: codewords.clone(),
            });
            // THEN it is module for module the crate's encode_error + MatrixMap
            let mut all = codewords.clone();
            all.extend(datamatrix::errorcode::encode_error(
                &codewords,
                size.crate_size,
            ));
            let bitmap = MatrixMap::new_with_codewords(&all, size.crate_size).bitmap();
            assert_eq!((ours.width, ours.height), (bitmap.width(), bitmap.height()));
            let mut theirs = vec![false; ours.width * ours.height];
            for (x, y) in bitmap.pixels() {
                theirs[y * ours.width + x] = true;
            }
            assert!(ours.modules == theirs, "{}x{}", size.rows, size.cols);
        }
    }
}
