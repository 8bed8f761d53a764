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

use std::sync::OnceLock;

use datamatrix::placement::MatrixMap;
use datamatrix::SymbolSize;

use super::{Matrix, Symbology};
use crate::gs1::ElementString;

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
        ai: String,
        /// 1-based position in the value.
        position: usize,
        found: char,
    },
    /// More data than the largest symbol of the shape holds.
    #[error("data needs {needed} codewords, more than the {capacity} of the largest {shape} DataMatrix ({rows}x{cols})")]
    TooLong {
        /// Data codewords the best encodation needs (a lower bound for very long input).
        needed: usize,
        capacity: usize,
        shape: DmShape,
        rows: usize,
        cols: usize,
    },
}

/// One input character: a byte, or the FNC1 function character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataChar {
    Byte(u8),
    Fnc1,
}

/// One ECC 200 symbol size (ISO/IEC 16022 Table 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DmSize {
    pub rows: usize,
    pub cols: usize,
    /// Data codewords the symbol holds.
    pub data_codewords: usize,
    crate_size: SymbolSize,
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

/// Data codewords (padded to capacity) and the size chosen for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
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
    reed_solomon(&mut all, size);
    let (width, height, slots) = placement(size);
    let modules = slots
        .iter()
        .map(|&slot| match slot {
            Slot::LIGHT => false,
            Slot::DARK => true,
            Slot(s) => {
                let bit = usize::from(s - 2);
                all[bit / 8] >> (7 - bit % 8) & 1 == 1
            }
        })
        .collect();
    Matrix {
        symbology: Symbology::Gs1DataMatrix,
        width,
        height,
        modules,
        min_quiet_zone: 1,
        hri: None,
    }
}

/// Error-correction blocks of `size` (ISO/IEC 16022 Table 7): (blocks, codewords per block).
fn ecc_blocks(size: DmSize) -> (usize, usize) {
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

/// GF(256) with the DataMatrix polynomial 301: the full product table (64 KiB, built once),
/// so a Reed-Solomon step is one lookup per generator coefficient.
fn gf_mul_table() -> &'static [[u8; 256]; 256] {
    static TABLE: OnceLock<Box<[[u8; 256]; 256]>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut exp = [0u8; 255];
        let mut log = [0usize; 256];
        let mut x: u16 = 1;
        for (i, e) in exp.iter_mut().enumerate() {
            *e = x as u8;
            log[x as usize] = i;
            x <<= 1;
            if x & 0x100 != 0 {
                x ^= 301;
            }
        }
        let mut t = Box::new([[0u8; 256]; 256]);
        for a in 1..256 {
            for b in 1..256 {
                t[a][b] = exp[(log[a] + log[b]) % 255];
            }
        }
        t
    })
}

/// The generator polynomial of degree `k`, (x - a^1)...(x - a^k), coefficients from x^k
/// down; built once per degree.
fn generator(k: usize) -> &'static [u8] {
    const DEGREES: [usize; 16] = [5, 7, 10, 11, 12, 14, 18, 20, 24, 28, 36, 42, 48, 56, 62, 68];
    static POLYS: [OnceLock<Vec<u8>>; 16] = [const { OnceLock::new() }; 16];
    let slot = DEGREES
        .iter()
        .position(|&d| d == k)
        .expect("an ISO/IEC 16022 block size");
    POLYS[slot].get_or_init(|| {
        let mul = gf_mul_table();
        let mut g = vec![0u8; k + 1];
        g[0] = 1;
        let mut root = 1u8;
        for degree in 1..=k {
            root = mul[usize::from(root)][2];
            // g(x) * (x + root), the new lowest coefficient at `degree`
            for j in (1..=degree).rev() {
                g[j] ^= mul[usize::from(g[j - 1])][usize::from(root)];
            }
        }
        g
    })
}

/// Appends the interleaved Reed-Solomon codewords of `size` to its data codewords.
fn reed_solomon(all: &mut Vec<u8>, size: DmSize) {
    let (blocks, k) = ecc_blocks(size);
    let data_len = all.len();
    debug_assert_eq!(data_len, size.data_codewords);
    let g = generator(k);
    let mul = gf_mul_table();
    all.resize(data_len + blocks * k, 0);
    let mut ecc = [0u8; 69];
    for block in 0..blocks {
        ecc[..=k].fill(0);
        for i in (block..data_len).step_by(blocks) {
            let row = &mul[usize::from(ecc[0] ^ all[i])];
            for j in 0..k {
                ecc[j] = ecc[j + 1] ^ row[usize::from(g[j + 1])];
            }
        }
        for (j, &e) in ecc[..k].iter().enumerate() {
            all[data_len + block + j * blocks] = e;
        }
    }
}

/// What a module shows: light, dark, or bit `s - 2` of the codewords (most significant
/// bit of each codeword first). The crate's placement, run once per size on these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot(u16);

impl Slot {
    const LIGHT: Slot = Slot(0);
    const DARK: Slot = Slot(1);
}

impl datamatrix::placement::Bit for Slot {
    const LOW: Self = Slot::LIGHT;
    const HIGH: Self = Slot::DARK;
}

/// The module map of `size` (width, height, a slot per module, row-major), built once.
fn placement(size: DmSize) -> (usize, usize, &'static [Slot]) {
    static MAPS: [OnceLock<(usize, usize, Vec<Slot>)>; 30] = [const { OnceLock::new() }; 30];
    let index = SIZES
        .iter()
        .position(|s| s.crate_size == size.crate_size)
        .expect("a size of SIZES");
    let (w, h, slots) = MAPS[index].get_or_init(|| {
        let mut map = MatrixMap::<Slot>::new(size.crate_size);
        map.traverse_mut(|codeword, bits| {
            for (i, bit) in bits.into_iter().enumerate() {
                *bit = Slot((2 + codeword * 8 + i) as u16);
            }
        });
        map.write_padding();
        let bitmap = map.bitmap();
        (bitmap.width(), bitmap.height(), bitmap.bits().to_vec())
    });
    (*w, *h, slots)
}

/// Minimal data codewords for `chars` in the smallest symbol of `shape`, padded.
///
/// A leading [`DataChar::Fnc1`] is always ASCII codeword 232 (FNC1 in first position).
pub fn encode_data(chars: &[DataChar], shape: DmShape) -> Result<Encoded, DataMatrixError> {
    encode_in(chars, sizes(shape), shape)
}

/// Like [`encode_data`] but in the first of `candidates` (in increasing capacity) that
/// fits, e.g. one fixed size; `shape` only names the shape in a [`DataMatrixError::TooLong`].
pub fn encode_in(
    chars: &[DataChar],
    candidates: &[DmSize],
    shape: DmShape,
) -> Result<Encoded, DataMatrixError> {
    if chars.is_empty() {
        return Err(DataMatrixError::Empty);
    }
    let largest = candidates
        .iter()
        .copied()
        .max_by_key(|s| s.data_codewords)
        .unwrap_or(SIZES[0]);
    let too_long = |needed| DataMatrixError::TooLong {
        needed,
        capacity: largest.data_codewords,
        shape,
        rows: largest.rows,
        cols: largest.cols,
    };
    let (prefix, rest) = match chars[0] {
        DataChar::Fnc1 => (vec![232u8], &chars[1..]),
        DataChar::Byte(_) => (Vec::new(), chars),
    };
    // Every codeword carries at most two characters: refuse before the search's memory grows.
    let lower_bound = prefix.len() + rest.len().div_ceil(2);
    if lower_bound > largest.data_codewords {
        return Err(too_long(lower_bound));
    }
    let search = Search::run(rest, prefix.len() as u32);
    // Every end uses at least its node's codewords: skip the sizes below the cheapest.
    let cheapest = search.cheapest_end();
    for size in candidates.iter().filter(|s| s.data_codewords >= cheapest) {
        if let Some((state, tail, used)) = search.best_end(size.data_codewords) {
            let mut codewords = prefix.clone();
            search.emit(state, tail, size.data_codewords, &mut codewords);
            debug_assert!(codewords.len() <= used);
            pad(&mut codewords, size.data_codewords);
            return Ok(Encoded {
                size: *size,
                codewords,
            });
        }
    }
    Err(too_long(search.fewest()))
}

/// Pads to `capacity`: 129, then 253-state randomised pads (ISO/IEC 16022 5.2.3).
fn pad(codewords: &mut Vec<u8>, capacity: usize) {
    if codewords.len() < capacity {
        codewords.push(129);
    }
    while codewords.len() < capacity {
        let position = codewords.len() + 1;
        let pseudo = (149 * position) % 253 + 1;
        let v = 129 + pseudo;
        codewords.push(if v <= 254 { v } else { v - 254 } as u8);
    }
}

// ---------------------------------------------------------------------------------------
// Encodation values

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Ascii,
    C40,
    Text,
    X12,
    Edifact,
}

/// Up to four C40/Text/X12 values for one character.
#[derive(Debug, Clone, Copy)]
struct Values {
    v: [u8; 4],
    n: usize,
}

impl Values {
    fn push(&mut self, x: u8) {
        self.v[self.n] = x;
        self.n += 1;
    }
    fn as_slice(&self) -> &[u8] {
        &self.v[..self.n]
    }
}

/// Basic-set value in C40 (`text == false`) or Text.
fn basic_value(c: u8, text: bool) -> Option<u8> {
    match c {
        b' ' => Some(3),
        b'0'..=b'9' => Some(c - b'0' + 4),
        b'A'..=b'Z' if !text => Some(c - b'A' + 14),
        b'a'..=b'z' if text => Some(c - b'a' + 14),
        _ => None,
    }
}

/// C40 or Text values of one character (ISO/IEC 16022 Tables C.1, C.2).
fn c40_text_values(ch: DataChar, text: bool) -> Values {
    let mut out = Values { v: [0; 4], n: 0 };
    let b = match ch {
        DataChar::Fnc1 => {
            out.push(1);
            out.push(27);
            return out;
        }
        DataChar::Byte(b) => b,
    };
    let c = if b >= 128 {
        out.push(1); // Shift 2
        out.push(30); // Upper Shift
        b - 128
    } else {
        b
    };
    if let Some(v) = basic_value(c, text) {
        out.push(v);
    } else if c < 32 {
        out.push(0);
        out.push(c);
    } else if let Some(v) = match c {
        b'!'..=b'/' => Some(c - b'!'),
        b':'..=b'@' => Some(c - b':' + 15),
        b'['..=b'_' => Some(c - b'[' + 22),
        _ => None,
    } {
        out.push(1);
        out.push(v);
    } else {
        out.push(2);
        out.push(match c {
            b'A'..=b'Z' => c - b'A' + 1, // Text only; C40 has them in the basic set
            _ => c - 96,                 // '`', a-z (C40 only), '{' .. DEL
        });
    }
    out
}

/// X12 value (CR, '*', '>', space, digits, capitals); nothing else is encodable.
fn x12_value(ch: DataChar) -> Option<u8> {
    match ch {
        DataChar::Byte(13) => Some(0),
        DataChar::Byte(b'*') => Some(1),
        DataChar::Byte(b'>') => Some(2),
        DataChar::Byte(c) => basic_value(c, false),
        DataChar::Fnc1 => None,
    }
}

/// Values of `ch` in C40, Text or X12 (`None` when the mode cannot carry it).
fn triplet_values(mode: Mode, ch: DataChar) -> Option<Values> {
    match mode {
        Mode::C40 => Some(c40_text_values(ch, false)),
        Mode::Text => Some(c40_text_values(ch, true)),
        Mode::X12 => x12_value(ch).map(|v| Values {
            v: [v, 0, 0, 0],
            n: 1,
        }),
        _ => None,
    }
}

/// EDIFACT value: ASCII 32..=94, its low six bits.
fn edifact_value(ch: DataChar) -> Option<u8> {
    match ch {
        DataChar::Byte(c @ 32..=94) => Some(c & 0x3f),
        _ => None,
    }
}

fn is_digit(ch: DataChar) -> bool {
    matches!(ch, DataChar::Byte(b'0'..=b'9'))
}

/// ASCII codewords of one character (no digit pairing).
fn ascii_codewords(ch: DataChar, out: &mut Vec<u8>) {
    match ch {
        DataChar::Fnc1 => out.push(232),
        DataChar::Byte(b) if b < 128 => out.push(b + 1),
        DataChar::Byte(b) => {
            out.push(235); // Upper Shift
            out.push(b - 127);
        }
    }
}

/// ASCII codewords of a run, pairing digits.
fn ascii_run(chars: &[DataChar], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < chars.len() {
        if let (DataChar::Byte(a @ b'0'..=b'9'), Some(DataChar::Byte(b @ b'0'..=b'9'))) =
            (chars[i], chars.get(i + 1))
        {
            out.push(130 + (a - b'0') * 10 + (b - b'0'));
            i += 2;
        } else {
            ascii_codewords(chars[i], out);
            i += 1;
        }
    }
}

/// Codewords of [`ascii_run`], without writing them.
fn ascii_run_len(chars: &[DataChar]) -> usize {
    let mut len = 0;
    let mut i = 0;
    while i < chars.len() {
        if is_digit(chars[i]) && chars.get(i + 1).is_some_and(|&c| is_digit(c)) {
            i += 2;
            len += 1;
        } else {
            len += match chars[i] {
                DataChar::Byte(b) if b >= 128 => 2,
                _ => 1,
            };
            i += 1;
        }
    }
    len
}

/// Codewords of an EDIFACT unlatch after `k` pending values (the unlatch is value 31; the
/// rest of the last codeword is zero bits).
fn edifact_unlatch_cost(k: usize) -> u32 {
    ((k + 1) * 6).div_ceil(8) as u32
}

// ---------------------------------------------------------------------------------------
// The shortest-path search

/// Base 256 segments from this length on take a two-codeword length field.
const B256_LONG: usize = 250;
/// Search states per input position: ASCII, C40/Text/X12 with 0..=2 values pending,
/// EDIFACT with 0..=3 values pending. Base 256 needs no states of its own (see
/// [`Base256Window`]).
const STATES: usize = 1 + 3 + 3 + 3 + 4;
const INF: u32 = u32::MAX;

fn state(mode: Mode, sub: usize) -> usize {
    match mode {
        Mode::Ascii => 0,
        Mode::C40 => 1 + sub,
        Mode::Text => 4 + sub,
        Mode::X12 => 7 + sub,
        Mode::Edifact => 10 + sub,
    }
}

fn mode_of(s: usize) -> (Mode, usize) {
    match s {
        0 => (Mode::Ascii, 0),
        1..=3 => (Mode::C40, s - 1),
        4..=6 => (Mode::Text, s - 4),
        7..=9 => (Mode::X12, s - 7),
        _ => (Mode::Edifact, s - 10),
    }
}

/// How an edge moves: a latch/unlatch at the same position, or characters consumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Start,
    /// Latch from ASCII, or leave a mode for ASCII.
    Switch,
    /// One character in the target state's mode.
    Char,
    /// Two digits as one ASCII codeword.
    Pair,
    /// ASCII to ASCII through a whole Base 256 segment (latch, length, bytes): from the
    /// ASCII node at the segment's start to the one at its end.
    Base256,
}

#[derive(Debug, Clone, Copy)]
struct Node {
    cost: u32,
    prev: u32,
    step: Step,
}

/// How the data ends in a symbol of a given capacity (ISO/IEC 16022 5.2 end-of-data rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tail {
    /// Nothing more (ASCII, Base 256, or a C40/Text/X12/EDIFACT symbol filled exactly).
    None,
    /// Unlatch to ASCII (254, or EDIFACT value 31), then pads.
    Unlatch,
    /// The last character (one pending C40/Text/X12 value) in ASCII; unlatch implied.
    AsciiLast,
    /// Unlatch, then the last character in ASCII.
    UnlatchAsciiLast,
    /// Two pending C40/Text values completed with Shift 1; symbol full.
    PadTriplet,
    /// Two pending C40/Text values completed with Shift 1, then unlatch.
    PadTripletUnlatch,
    /// The `k` pending EDIFACT characters in ASCII in the last one or two codewords.
    EdifactAscii,
}

/// The best Base 256 segment ending at each position, without a state per segment length.
///
/// A segment `j..i` (latched from the ASCII node at `j`, left for the ASCII node at `i`)
/// costs `A(j) + 2 + (i - j)`, plus one from length 250 on (two-codeword length field),
/// where `A(j)` is the final ASCII cost at `j`. So the best segment into `i` is the `j`
/// with the smallest `A(j) - j`: a sliding-window minimum over the last 249 starts (a
/// monotonic queue) and a running minimum over the older ones. Ties go to the latest start
/// (the shortest segment), which is the choice the former one-state-per-length search made
/// (it relaxed shorter lengths first, with strict `<`).
struct Base256Window {
    /// Candidate starts of short segments, increasing, with strictly increasing keys.
    queue: Vec<usize>,
    head: usize,
    /// Best start of a long (>= 250) segment.
    long: Option<usize>,
    /// First position the current run of bytes (no FNC1) starts at.
    run_start: usize,
}

impl Base256Window {
    fn new() -> Self {
        Base256Window {
            queue: Vec::new(),
            head: 0,
            long: None,
            run_start: 0,
        }
    }

    fn key(nodes: &[Node], j: usize) -> i64 {
        i64::from(nodes[j * STATES].cost) - j as i64
    }

    /// Before the switches at `i`: forget starts before an FNC1, move the start that turns
    /// long, and return the best segment into `i` as (start, cost).
    fn best_into(&mut self, nodes: &[Node], chars: &[DataChar], i: usize) -> Option<(usize, u32)> {
        if i > 0 && chars[i - 1] == DataChar::Fnc1 {
            self.queue.clear();
            self.head = 0;
            self.long = None;
            self.run_start = i;
        }
        if i >= self.run_start + B256_LONG {
            let j = i - B256_LONG;
            if self.queue.get(self.head) == Some(&j) {
                self.head += 1;
            }
            if self
                .long
                .is_none_or(|l| Self::key(nodes, j) <= Self::key(nodes, l))
            {
                self.long = Some(j);
            }
        }
        let cost = |j: usize, extra: u32| nodes[j * STATES].cost + extra + (i - j) as u32;
        let short = self.queue.get(self.head).map(|&j| (j, cost(j, 2)));
        let long = self.long.map(|j| (j, cost(j, 3)));
        match (short, long) {
            (Some(s), Some(l)) => Some(if s.1 <= l.1 { s } else { l }),
            (s, l) => s.or(l),
        }
    }

    /// After the switches at `i`: `i` may start a segment.
    fn push(&mut self, nodes: &[Node], i: usize) {
        let key = Self::key(nodes, i);
        while self.queue.len() > self.head
            && Self::key(nodes, self.queue[self.queue.len() - 1]) >= key
        {
            self.queue.pop();
        }
        self.queue.push(i);
    }
}

struct Search<'a> {
    chars: &'a [DataChar],
    nodes: Vec<Node>,
}

impl<'a> Search<'a> {
    fn run(chars: &'a [DataChar], start_cost: u32) -> Self {
        let n = chars.len();
        let unset = Node {
            cost: INF,
            prev: u32::MAX,
            step: Step::Start,
        };
        let mut s = Search {
            chars,
            nodes: vec![unset; (n + 1) * STATES],
        };
        s.nodes[0].cost = start_cost;
        let mut b256 = Base256Window::new();
        for i in 0..=n {
            let segment = b256.best_into(&s.nodes, chars, i);
            s.switches(i, segment);
            if i < n {
                b256.push(&s.nodes, i);
                s.consume(i);
            }
        }
        s
    }

    #[inline]
    fn relax(&mut self, from: usize, to: usize, add: u32, step: Step) {
        let cost = self.nodes[from].cost + add;
        if cost < self.nodes[to].cost {
            self.nodes[to] = Node {
                cost,
                prev: from as u32,
                step,
            };
        }
    }

    /// Unlatches into ASCII (the best Base 256 segment into `i` last), then latches out of
    /// it, all at position `i`.
    fn switches(&mut self, i: usize, segment: Option<(usize, u32)>) {
        let ascii = i * STATES;
        for s in [
            state(Mode::C40, 0),
            state(Mode::Text, 0),
            state(Mode::X12, 0),
        ] {
            if self.nodes[ascii + s].cost != INF {
                self.relax(ascii + s, ascii, 1, Step::Switch);
            }
        }
        for k in 0..4 {
            let s = ascii + state(Mode::Edifact, k);
            if self.nodes[s].cost != INF {
                self.relax(s, ascii, edifact_unlatch_cost(k), Step::Switch);
            }
        }
        if let Some((j, cost)) = segment {
            if cost < self.nodes[ascii].cost {
                self.nodes[ascii] = Node {
                    cost,
                    prev: (j * STATES) as u32,
                    step: Step::Base256,
                };
            }
        }
        if self.nodes[ascii].cost == INF {
            return;
        }
        for mode in [Mode::C40, Mode::Text, Mode::X12, Mode::Edifact] {
            self.relax(ascii, ascii + state(mode, 0), 1, Step::Switch);
        }
    }

    /// Edges that consume the character at `i` (two digits for an ASCII pair).
    fn consume(&mut self, i: usize) {
        let ch = self.chars[i];
        let base = i * STATES;
        let next = base + STATES;
        if self.nodes[base].cost != INF {
            let n = if matches!(ch, DataChar::Byte(b) if b >= 128) {
                2
            } else {
                1
            };
            self.relax(base, next, n, Step::Char);
            if is_digit(ch) && self.chars.get(i + 1).is_some_and(|&c| is_digit(c)) {
                self.relax(base, next + STATES, 1, Step::Pair);
            }
        }
        for mode in [Mode::C40, Mode::Text, Mode::X12] {
            let first = state(mode, 0);
            if (0..3).all(|p| self.nodes[base + first + p].cost == INF) {
                continue;
            }
            let Some(v) = triplet_values(mode, ch) else {
                continue;
            };
            for p in 0..3 {
                if self.nodes[base + first + p].cost != INF {
                    let total = p + v.n;
                    let add = (total / 3 * 2) as u32;
                    self.relax(base + first + p, next + first + total % 3, add, Step::Char);
                }
            }
        }
        if edifact_value(ch).is_some() {
            for k in 0..4 {
                let s = base + state(Mode::Edifact, k);
                if self.nodes[s].cost != INF {
                    let (k2, add) = if k == 3 { (0, 3) } else { (k + 1, 0) };
                    self.relax(s, next + state(Mode::Edifact, k2), add, Step::Char);
                }
            }
        }
    }

    /// The end states and how each could end in a symbol of `capacity` codewords, with the
    /// codewords used; the one using fewest.
    ///
    /// A path ending inside a Base 256 segment is never needed: leaving the segment is free,
    /// so the ASCII end node is as cheap and ends the same way.
    fn best_end(&self, capacity: usize) -> Option<(usize, Tail, usize)> {
        let n = self.chars.len();
        let mut best: Option<(usize, Tail, usize)> = None;
        for s in 0..STATES {
            let node = self.nodes[n * STATES + s];
            if node.cost == INF {
                continue;
            }
            if let Some((tail, used)) = self.tail(s, node.cost as usize, capacity) {
                if best.is_none_or(|(_, _, u)| used < u) {
                    best = Some((n * STATES + s, tail, used));
                }
            }
        }
        best
    }

    /// The lowest cost of any end node (a lower bound of every way to end).
    fn cheapest_end(&self) -> usize {
        let n = self.chars.len();
        let ends = &self.nodes[n * STATES..];
        ends.iter().map(|node| node.cost).min().unwrap_or(INF) as usize
    }

    /// Fewest codewords of any encodation, whatever the symbol.
    fn fewest(&self) -> usize {
        self.best_end(usize::MAX / 2)
            .map_or(usize::MAX, |(_, _, used)| used)
    }

    /// How state `s` with `b` codewords written ends within `cap`, and the codewords used.
    fn tail(&self, s: usize, b: usize, cap: usize) -> Option<(Tail, usize)> {
        let n = self.chars.len();
        let (mode, sub) = mode_of(s);
        match (mode, sub) {
            (Mode::Ascii, _) => (b <= cap).then_some((Tail::None, b)),
            (Mode::C40 | Mode::Text | Mode::X12, 0) => match b {
                // Full, or one codeword left that a decoder reads as ASCII (unlatch implied).
                _ if b + 1 >= cap => (b <= cap).then_some((Tail::None, b)),
                _ => Some((Tail::Unlatch, b + 1)),
            },
            (Mode::C40 | Mode::Text | Mode::X12, 1) => {
                // Only when that one value is the whole last character.
                let single =
                    n > 0 && triplet_values(mode, self.chars[n - 1]).is_some_and(|v| v.n == 1);
                match b {
                    _ if !single => None,
                    _ if b + 1 == cap => Some((Tail::AsciiLast, b + 1)),
                    _ if b + 2 <= cap => Some((Tail::UnlatchAsciiLast, b + 2)),
                    _ => None,
                }
            }
            (Mode::C40 | Mode::Text, _) => match b {
                _ if b + 2 == cap => Some((Tail::PadTriplet, b + 2)),
                _ if b + 3 <= cap => Some((Tail::PadTripletUnlatch, b + 3)),
                _ => None,
            },
            (Mode::X12, _) => None,
            (Mode::Edifact, k) => {
                let left = cap.checked_sub(b)?;
                if left <= 2 {
                    // A decoder reads the last one or two codewords after a complete EDIFACT
                    // group as ASCII: no unlatch fits there, the pending characters go in ASCII.
                    let ascii = ascii_run_len(&self.chars[n - k..]);
                    return (ascii <= left).then_some((Tail::EdifactAscii, b + ascii));
                }
                Some((Tail::Unlatch, b + edifact_unlatch_cost(k) as usize))
            }
        }
    }

    /// Writes the codewords of the path ending at node `end`, finished by `tail`.
    fn emit(&self, end: usize, tail: Tail, cap: usize, out: &mut Vec<u8>) {
        let mut path = Vec::new();
        let mut at = end;
        while self.nodes[at].step != Step::Start {
            path.push(at);
            at = self.nodes[at].prev as usize;
        }
        path.reverse();

        let mut values: Vec<u8> = Vec::new(); // pending C40/Text/X12 or EDIFACT values
        let mut mode = Mode::Ascii;
        for &to in &path {
            let node = self.nodes[to];
            let from = node.prev as usize;
            let i = from / STATES;
            let (to_mode, _) = mode_of(to % STATES);
            match node.step {
                Step::Start => {}
                Step::Base256 => {
                    out.push(231);
                    let start = out.len();
                    out.extend(self.chars[i..to / STATES].iter().map(|&ch| match ch {
                        DataChar::Byte(b) => b,
                        DataChar::Fnc1 => unreachable!("Base 256 has no FNC1"),
                    }));
                    finish_base256(out, start);
                }
                Step::Switch if to_mode == Mode::Ascii => {
                    match mode {
                        Mode::C40 | Mode::Text | Mode::X12 => out.push(254),
                        // With at most two codewords left after a complete group, a decoder
                        // is back in ASCII already: an unlatch there would read as data.
                        Mode::Edifact if values.is_empty() && cap - out.len() <= 2 => {}
                        Mode::Edifact => {
                            values.push(31);
                            pack_edifact(&mut values, out, true);
                        }
                        Mode::Ascii => unreachable!("ASCII does not unlatch"),
                    }
                    mode = Mode::Ascii;
                }
                Step::Switch => {
                    out.push(match to_mode {
                        Mode::C40 => 230,
                        Mode::X12 => 238,
                        Mode::Text => 239,
                        Mode::Edifact => 240,
                        Mode::Ascii => unreachable!(),
                    });
                    mode = to_mode;
                }
                Step::Pair => ascii_run(&self.chars[i..i + 2], out),
                Step::Char => {
                    let ch = self.chars[i];
                    match mode {
                        Mode::Ascii => ascii_codewords(ch, out),
                        Mode::C40 | Mode::Text | Mode::X12 => {
                            let v = triplet_values(mode, ch).expect("path uses encodable chars");
                            values.extend_from_slice(v.as_slice());
                            pack_triplets(&mut values, out);
                        }
                        Mode::Edifact => {
                            values.push(edifact_value(ch).expect("path uses encodable chars"));
                            pack_edifact(&mut values, out, false);
                        }
                    }
                }
            }
        }
        let n = self.chars.len();
        match tail {
            Tail::None => {}
            Tail::Unlatch if mode == Mode::Edifact => {
                values.push(31);
                pack_edifact(&mut values, out, true);
            }
            Tail::Unlatch => out.push(254),
            Tail::AsciiLast => ascii_codewords(self.chars[n - 1], out),
            Tail::UnlatchAsciiLast => {
                out.push(254);
                ascii_codewords(self.chars[n - 1], out);
            }
            Tail::PadTriplet | Tail::PadTripletUnlatch => {
                values.push(0);
                pack_triplets(&mut values, out);
                if tail == Tail::PadTripletUnlatch {
                    out.push(254);
                }
            }
            Tail::EdifactAscii => {
                let k = values.len();
                ascii_run(&self.chars[n - k..], out);
            }
        }
    }
}

/// Packs complete C40/Text/X12 triplets: 1600 v1 + 40 v2 + v3 + 1 as two codewords.
fn pack_triplets(values: &mut Vec<u8>, out: &mut Vec<u8>) {
    while values.len() >= 3 {
        let v: u32 =
            1600 * u32::from(values[0]) + 40 * u32::from(values[1]) + u32::from(values[2]) + 1;
        out.push((v >> 8) as u8);
        out.push((v & 0xff) as u8);
        values.drain(..3);
    }
}

/// Packs EDIFACT values, four into three codewords; with `flush`, also a last partial
/// group padded with zero bits to a whole codeword.
fn pack_edifact(values: &mut Vec<u8>, out: &mut Vec<u8>, flush: bool) {
    while values.len() >= 4 || (flush && !values.is_empty()) {
        let take = values.len().min(4);
        let mut bits: u32 = 0;
        for (j, &v) in values[..take].iter().enumerate() {
            bits |= u32::from(v) << (18 - 6 * j);
        }
        let bytes = (take * 6).div_ceil(8);
        for j in 0..bytes {
            out.push((bits >> (16 - 8 * j)) as u8);
        }
        values.drain(..take);
    }
}

/// Inserts the Base 256 length field before the segment starting at `start` and applies
/// the 255-state randomisation to length and data (ISO/IEC 16022 5.2.9 and Annex B).
fn finish_base256(out: &mut Vec<u8>, start: usize) {
    let len = out.len() - start;
    let field: Vec<u8> = if len <= 249 {
        vec![len as u8]
    } else {
        vec![(len / 250 + 249) as u8, (len % 250) as u8]
    };
    out.splice(start..start, field);
    for (idx, cw) in out.iter_mut().enumerate().skip(start) {
        let position = idx + 1;
        let pseudo = (149 * position) % 255 + 1;
        let v = usize::from(*cw) + pseudo;
        *cw = if v <= 255 { v } else { v - 256 } as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(s: &str) -> Vec<DataChar> {
        s.bytes().map(DataChar::Byte).collect()
    }

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

    #[test]
    fn c40_values_of_each_set() {
        // (char, C40 values, Text values)
        let rows: &[(DataChar, &[u8], &[u8])] = &[
            /* 0 */ (DataChar::Byte(b'A'), &[14], &[2, 1]),
            /* 1 */ (DataChar::Byte(b'a'), &[2, 1], &[14]),
            /* 2 */ (DataChar::Byte(b'-'), &[1, 12], &[1, 12]),
            /* 3 */ (DataChar::Fnc1, &[1, 27], &[1, 27]),
            /* 4 */ (DataChar::Byte(b'_'), &[1, 26], &[1, 26]),
            /* 5 */ (DataChar::Byte(0x1d), &[0, 29], &[0, 29]),
            /* 6 */ (DataChar::Byte(0xc1), &[1, 30, 14], &[1, 30, 2, 1]),
            /* 7 */ (DataChar::Byte(b'~'), &[2, 30], &[2, 30]),
        ];
        for (i, (ch, c40, text)) in rows.iter().enumerate() {
            assert_eq!(c40_text_values(*ch, false).as_slice(), *c40, "row {i} C40");
            assert_eq!(c40_text_values(*ch, true).as_slice(), *text, "row {i} Text");
        }
    }

    #[test]
    fn every_end_state_and_rule_decodes() {
        // GIVEN texts ending in each encodation, with 0..3 values pending
        let texts = [
            "ABCDEFGHIJKL",
            "ABCDEFGHIJKLM",
            "ABCDEFGHIJKLMN",
            "ABCDEFGHIJK-",  // the last character split over two triplets
            "ABCDEFGHIJKL-", // a shifted character pending
            "abcdefghijklm",
            "abcdefghijklmn",
            "AB*CD>EF*GH>IJ*KL>M",
            "AB*CD>EF*GH>IJ*KL>MN",
            "A.B.C.D.E.F.G.H.I.J.",
            "A.B.C.D.E.F.G.H.I.J",
            "A.B.C.D.E.F.G.H.I.",
            "A.B.C.D.E.F.G.H.I",
            "A.B.C.D.E.F.G.H.12",
            "\u{e9}\u{e8}\u{ea}\u{eb}\u{e0}",
        ];
        let mut seen = Vec::new();
        for text in texts {
            let chars: Vec<DataChar> = text
                .chars()
                .map(|c| DataChar::Byte(c as u32 as u8))
                .collect();
            let search = Search::run(&chars, 0);
            let n = chars.len();
            // WHEN every reachable end state is finished by every rule that fits a capacity
            for s in 0..STATES {
                let b = search.nodes[n * STATES + s].cost;
                if b == INF {
                    continue;
                }
                for cap in 1..48 {
                    let Some((tail, used)) = search.tail(s, b as usize, cap) else {
                        continue;
                    };
                    let mut out = Vec::new();
                    search.emit(n * STATES + s, tail, cap, &mut out);
                    assert!(out.len() <= used, "{text:?} {:?} {tail:?}", mode_of(s));
                    pad(&mut out, cap);
                    // THEN the datamatrix crate's decoder reads the text back
                    let decoded = datamatrix::data::decode_data(&out).unwrap_or_else(|e| {
                        panic!("{text:?} {:?} {tail:?} {out:?}: {e:?}", mode_of(s))
                    });
                    let expected: Vec<u8> = chars
                        .iter()
                        .map(|c| match c {
                            DataChar::Byte(b) => *b,
                            DataChar::Fnc1 => 29,
                        })
                        .collect();
                    assert_eq!(
                        decoded,
                        expected,
                        "{text:?} {:?} {tail:?} {out:?}",
                        mode_of(s)
                    );
                    if !seen.contains(&tail) {
                        seen.push(tail);
                    }
                }
            }
        }
        // AND every rule of ISO/IEC 16022 5.2 was exercised
        assert_eq!(seen.len(), 7, "{seen:?}");
        // AND an EDIFACT unlatch never lands in the last two codewords, mid-path either
        let chars = bytes("A.B.C.D.E.F.G.H.I.J.K.a");
        for cap in 1..40 {
            let mut out = Vec::new();
            let search = Search::run(&chars, 0);
            if let Some((end, tail, _)) = search.best_end(cap) {
                search.emit(end, tail, cap, &mut out);
                pad(&mut out, cap);
                assert_eq!(
                    datamatrix::data::decode_data(&out).unwrap(),
                    b"A.B.C.D.E.F.G.H.I.J.K.a",
                    "{out:?}"
                );
            }
        }
    }

    #[test]
    fn a_split_last_character_is_not_finished_in_ascii() {
        // "ABCDEFGHIJK-": 11 values, then '-' as Shift 2 + 12 splits over two triplets
        let chars = bytes("ABCDEFGHIJK-");
        let search = Search::run(&chars, 0);
        let s = state(Mode::C40, 1);
        let b = search.nodes[chars.len() * STATES + s].cost as usize;
        assert_eq!(search.tail(s, b, b + 1), None);
        // while a whole pending character may end in ASCII with the unlatch implied
        let chars = bytes("ABCDEFGHIJKLM");
        let search = Search::run(&chars, 0);
        let b = search.nodes[chars.len() * STATES + s].cost as usize;
        assert_eq!(search.tail(s, b, b + 1), Some((Tail::AsciiLast, b + 1)));
        assert_eq!(
            search.tail(s, b, b + 2),
            Some((Tail::UnlatchAsciiLast, b + 2))
        );
    }

    #[test]
    fn base256_length_and_randomisation() {
        // GIVEN a Base 256 segment of 2 bytes right after a latch at codeword 1
        let mut out = vec![231, 0xab, 0xcd];
        finish_base256(&mut out, 1);
        // THEN the length 2 and the data are randomised by position (2, 3, 4)
        let r = |v: usize, p: usize| {
            let t = v + (149 * p) % 255 + 1;
            (if t <= 255 { t } else { t - 256 }) as u8
        };
        assert_eq!(out, vec![231, r(2, 2), r(0xab, 3), r(0xcd, 4)]);
    }

    #[test]
    fn upper_shift_bytes_pick_base256_when_shorter() {
        // 6 bytes >= 128: ASCII needs 12 codewords, Base 256 needs 1 + 1 + 6.
        let data: Vec<DataChar> = (0..6).map(|i| DataChar::Byte(0xc0 + i)).collect();
        let enc = encode_data(&data, DmShape::Square).unwrap();
        assert_eq!(enc.codewords[0], 231);
        assert_eq!(enc.size.data_codewords, 8);
    }
}
