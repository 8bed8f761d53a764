//! The ECC 200 symbol sizes of ISO/IEC 16022 Table 7: dimensions, data capacity and
//! error-correction blocks. The `datamatrix` crate's own table is private, so this one is
//! ours; the tests in [`super`] check it against the crate for every size.

use datamatrix::SymbolSize;

use super::DmShape;

/// One ECC 200 symbol size (ISO/IEC 16022 Table 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DmSize {
    /// Rows of modules, finder pattern included.
    pub rows: usize,
    /// Columns of modules, finder pattern included.
    pub cols: usize,
    /// Data codewords the symbol holds.
    pub data_codewords: usize,
    pub(super) crate_size: SymbolSize,
}

const fn size(rows: usize, cols: usize, data_codewords: usize, crate_size: SymbolSize) -> DmSize {
    DmSize {
        rows,
        cols,
        data_codewords,
        crate_size,
    }
}

/// Every ISO/IEC 16022 size, squares then rectangles, each in increasing capacity.
pub const SIZES: [DmSize; 30] = [
    size(10, 10, 3, SymbolSize::Square10),
    size(12, 12, 5, SymbolSize::Square12),
    size(14, 14, 8, SymbolSize::Square14),
    size(16, 16, 12, SymbolSize::Square16),
    size(18, 18, 18, SymbolSize::Square18),
    size(20, 20, 22, SymbolSize::Square20),
    size(22, 22, 30, SymbolSize::Square22),
    size(24, 24, 36, SymbolSize::Square24),
    size(26, 26, 44, SymbolSize::Square26),
    size(32, 32, 62, SymbolSize::Square32),
    size(36, 36, 86, SymbolSize::Square36),
    size(40, 40, 114, SymbolSize::Square40),
    size(44, 44, 144, SymbolSize::Square44),
    size(48, 48, 174, SymbolSize::Square48),
    size(52, 52, 204, SymbolSize::Square52),
    size(64, 64, 280, SymbolSize::Square64),
    size(72, 72, 368, SymbolSize::Square72),
    size(80, 80, 456, SymbolSize::Square80),
    size(88, 88, 576, SymbolSize::Square88),
    size(96, 96, 696, SymbolSize::Square96),
    size(104, 104, 816, SymbolSize::Square104),
    size(120, 120, 1050, SymbolSize::Square120),
    size(132, 132, 1304, SymbolSize::Square132),
    size(144, 144, 1558, SymbolSize::Square144),
    size(8, 18, 5, SymbolSize::Rect8x18),
    size(8, 32, 10, SymbolSize::Rect8x32),
    size(12, 26, 16, SymbolSize::Rect12x26),
    size(12, 36, 22, SymbolSize::Rect12x36),
    size(16, 36, 32, SymbolSize::Rect16x36),
    size(16, 48, 49, SymbolSize::Rect16x48),
];

/// The sizes of `shape`, in increasing capacity.
pub fn sizes(shape: DmShape) -> &'static [DmSize] {
    match shape {
        DmShape::Square => &SIZES[..24],
        DmShape::Rectangle => &SIZES[24..],
    }
}

/// Error-correction blocks of `size` (ISO/IEC 16022 Table 7): (blocks, codewords per block).
pub(super) fn ecc_blocks(size: DmSize) -> (usize, usize) {
    match (size.rows, size.cols) {
        (10, 10) => (1, 5),
        (12, 12) => (1, 7),
        (14, 14) => (1, 10),
        (16, 16) => (1, 12),
        (18, 18) => (1, 14),
        (20, 20) => (1, 18),
        (22, 22) => (1, 20),
        (24, 24) => (1, 24),
        (26, 26) => (1, 28),
        (32, 32) => (1, 36),
        (36, 36) => (1, 42),
        (40, 40) => (1, 48),
        (44, 44) => (1, 56),
        (48, 48) => (1, 68),
        (52, 52) => (2, 42),
        (64, 64) => (2, 56),
        (72, 72) => (4, 36),
        (80, 80) => (4, 48),
        (88, 88) => (4, 56),
        (96, 96) => (4, 68),
        (104, 104) => (6, 56),
        (120, 120) => (6, 68),
        (132, 132) => (8, 62),
        (144, 144) => (10, 62),
        (8, 18) => (1, 7),
        (8, 32) => (1, 11),
        (12, 26) => (1, 14),
        (12, 36) => (1, 18),
        (16, 36) => (1, 24),
        (16, 48) => (1, 28),
        _ => unreachable!("not an ISO/IEC 16022 size: {size:?}"),
    }
}
