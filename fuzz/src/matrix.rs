//! Matrix symbols read back: GS1 DataMatrix (ISO/IEC 16022) and QR Code (ISO/IEC 18004).
//!
//! DataMatrix: the size is one of Table 7, the smallest of its shape that holds the
//! data; the finder and clock tracks are in place; the modules read back (module
//! placement and Reed-Solomon by the `datamatrix` crate's reader, which must find no
//! error to correct) to the codewords the encoder chose, and those decode (our own
//! decoder of ISO/IEC 16022 5.2, below) to exactly the input, FNC1s told apart from GS
//! bytes, pads included.
//!
//! QR: width 17 + 4·version; finders, separators, timing patterns, dark module; format
//! information (both copies, BCH-valid) naming the requested level; version information
//! (both copies, Golay-valid) from version 7; the version the smallest that holds the
//! segments; the data mask the one of least penalty; and the modules read back (unmasked, zigzag, de-interleaved, segments
//! parsed) to exactly the input bytes.

use qrcode::bits::Bits;
use qrcode::types::{Mode, Version};
use shared::gs1::element_string::GS;
use shared::gs1::ElementString;
use shared::symbol::datamatrix::{
    encode_data, encode_in, gs1_data, gs1_datamatrix, matrix_of, sizes, DataChar, DmShape,
};
use shared::symbol::qr::{optimal_segments, penalty, qr, smallest_version, EcLevel, QrError};
use shared::symbol::Matrix;

use crate::{ensure, Check};

// ------------------------------------------------------------------------ DataMatrix

/// ISO/IEC 16022 Table 7, the ECC 200 sizes we offer: (rows, columns, data codewords).
pub const DM_SQUARES: [(usize, usize, usize); 24] = [
    (10, 10, 3),
    (12, 12, 5),
    (14, 14, 8),
    (16, 16, 12),
    (18, 18, 18),
    (20, 20, 22),
    (22, 22, 30),
    (24, 24, 36),
    (26, 26, 44),
    (32, 32, 62),
    (36, 36, 86),
    (40, 40, 114),
    (44, 44, 144),
    (48, 48, 174),
    (52, 52, 204),
    (64, 64, 280),
    (72, 72, 368),
    (80, 80, 456),
    (88, 88, 576),
    (96, 96, 696),
    (104, 104, 816),
    (120, 120, 1050),
    (132, 132, 1304),
    (144, 144, 1558),
];
/// The rectangles of ISO/IEC 16022 Table 7 (no DMRE).
pub const DM_RECTANGLES: [(usize, usize, usize); 6] = [
    (8, 18, 5),
    (8, 32, 10),
    (12, 26, 16),
    (12, 36, 22),
    (16, 36, 32),
    (16, 48, 49),
];

/// One character of decoded DataMatrix data: a byte, or FNC1.
pub fn dm_char_name(c: DataChar) -> String {
    match c {
        DataChar::Byte(b) => format!("{b:#04x}"),
        DataChar::Fnc1 => "FNC1".into(),
    }
}

/// Encodes `chars` in the smallest symbol of `shape` and checks it (see the module docs).
pub fn check_datamatrix(chars: &[DataChar], shape: DmShape) -> Check {
    let table: &[(usize, usize, usize)] = match shape {
        DmShape::Square => &DM_SQUARES,
        DmShape::Rectangle => &DM_RECTANGLES,
    };
    let enc = match encode_data(chars, shape) {
        Ok(enc) => enc,
        Err(e) => {
            ensure!(
                !chars.is_empty()
                    || matches!(e, shared::symbol::datamatrix::DataMatrixError::Empty),
                "{e}"
            );
            // Too long: not even the largest size holds the data.
            let largest = *sizes(shape).last().expect("sizes");
            ensure!(
                encode_in(chars, &[largest], shape).is_err(),
                "refused ({e}) but fits {}x{}",
                largest.rows,
                largest.cols
            );
            return Ok(());
        }
    };
    let size = (enc.size.rows, enc.size.cols, enc.size.data_codewords);
    ensure!(
        table.contains(&size),
        "{size:?} is not an ISO/IEC 16022 {shape} size"
    );
    ensure!(
        enc.codewords.len() == size.2,
        "{} codewords in a {size:?} symbol",
        enc.codewords.len()
    );
    // The smallest: the next smaller size (capacities grow along the table) refuses it.
    if let Some(smaller) = sizes(shape)
        .iter()
        .filter(|s| s.data_codewords < enc.size.data_codewords)
        .max_by_key(|s| s.data_codewords)
    {
        ensure!(
            encode_in(chars, &[*smaller], shape).is_err(),
            "{size:?} chosen but {}x{} holds the data",
            smaller.rows,
            smaller.cols
        );
    }
    let decoded = decode_dm_codewords(&enc.codewords)?;
    ensure!(
        decoded == chars,
        "DataMatrix codewords {:?} decode to {:?}, not {:?}",
        enc.codewords,
        decoded.iter().map(|&c| dm_char_name(c)).collect::<Vec<_>>(),
        chars.iter().map(|&c| dm_char_name(c)).collect::<Vec<_>>()
    );
    let m = matrix_of(&enc);
    ensure!(
        (m.height, m.width) == (size.0, size.1),
        "a {size:?} symbol of {}x{} modules",
        m.height,
        m.width
    );
    check_dm_modules(&m, &enc.codewords)
}

/// A GS1 message as GS1 DataMatrix: its characters are FNC1, then the raw element
/// string with FNC1 for each GS separator; the symbol checks as [`check_datamatrix`]
/// and carries the message's HRI; a valid message reads back from the decoded data as
/// a scanner reports it (`]d2`, FNC1 as GS).
pub fn check_gs1_datamatrix(es: &ElementString, shape: DmShape) -> Check {
    let Ok(chars) = gs1_data(es) else {
        return Ok(());
    };
    let raw: Vec<DataChar> = std::iter::once(DataChar::Fnc1)
        .chain(es.to_raw().chars().map(|c| {
            if c == GS {
                DataChar::Fnc1
            } else {
                DataChar::Byte(c as u32 as u8)
            }
        }))
        .collect();
    ensure!(
        chars == raw,
        "GS1 DataMatrix data of {es:?} is not FNC1 + its raw form"
    );
    check_datamatrix(&chars, shape)?;
    let Ok(m) = gs1_datamatrix(es, shape) else {
        return Ok(());
    };
    ensure!(
        m.hri.as_deref() == Some(es.hri().as_str()),
        "DataMatrix HRI {:?}",
        m.hri
    );
    if es.validate().is_ok() {
        let enc = encode_data(&chars, shape).map_err(|e| e.to_string())?;
        let scanned: String = decode_dm_codewords(&enc.codewords)?[1..]
            .iter()
            .map(|c| match c {
                DataChar::Byte(b) => char::from(*b),
                DataChar::Fnc1 => GS,
            })
            .collect();
        let back = ElementString::parse_raw(&format!("]d2{scanned}"));
        ensure!(
            back.as_ref() == Ok(es),
            "GS1 DataMatrix of {es:?} scans as {back:?}"
        );
    }
    Ok(())
}

/// The finder ("L" solid on the left and bottom, clock track on the top and right), and
/// the modules read back to `data` codewords with a Reed-Solomon block that needs no
/// correction.
pub fn check_dm_modules(m: &Matrix, data: &[u8]) -> Check {
    let (w, h) = (m.width, m.height);
    ensure!(
        m.modules.len() == w * h,
        "{} modules for {w}x{h}",
        m.modules.len()
    );
    for y in 0..h {
        ensure!(m.get(0, y), "left finder at row {y}");
        ensure!(
            m.get(w - 1, y) == (y % 2 == 1),
            "right clock track at row {y}"
        );
    }
    for x in 0..w {
        ensure!(m.get(x, h - 1), "bottom finder at column {x}");
        ensure!(m.get(x, 0) == (x % 2 == 0), "top clock track at column {x}");
    }
    let (map, _size) = datamatrix::placement::MatrixMap::try_from_bits(&m.modules, w)
        .map_err(|e| format!("{w}x{h}: {e:?}"))?;
    let read = map.codewords();
    let mut corrected = read.clone();
    datamatrix::errorcode::decode_error(&mut corrected, _size)
        .map_err(|e| format!("Reed-Solomon: {e:?}"))?;
    ensure!(corrected == read, "Reed-Solomon had errors to correct");
    ensure!(
        read[..data.len()] == *data,
        "the modules hold other data codewords than were encoded"
    );
    Ok(())
}

/// The 253-state pad randomising (ISO/IEC 16022 Annex B.1), undone at 1-based `pos`.
fn unpad253(c: u8, pos: usize) -> u8 {
    let pseudo = (149 * pos) % 253 + 1;
    let t = i32::from(c) - pseudo as i32;
    (if t >= 1 { t } else { t + 254 }) as u8
}

/// The 255-state Base 256 randomising (Annex B.2), undone at 1-based `pos`.
fn unrandomize255(c: u8, pos: usize) -> u8 {
    let pseudo = (149 * pos) % 255 + 1;
    let t = i32::from(c) - pseudo as i32;
    (if t >= 0 { t } else { t + 256 }) as u8
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum DmMode {
    Ascii,
    C40,
    Text,
    X12,
    Edifact,
    Base256,
}

/// Decodes DataMatrix data codewords (ISO/IEC 16022 5.2) into characters: ASCII (digit
/// pairs, Upper Shift, FNC1), C40 and Text (shifts 1-3, Upper Shift, FNC1 as Shift 2 +
/// 27, a final Shift 1 as pad), X12, EDIFACT (unlatch 31) and Base 256 (randomised
/// length and bytes); a mode left by the end of the symbol, or by one (C40/Text/X12) or
/// up to two (EDIFACT) codewords in ASCII, as 5.2.5-5.2.8 allow; then the pads, 129 and
/// the randomised 129s. Refuses what our encoder never writes (ECI, macros, structured
/// append, FNC4-style latches).
pub fn decode_dm_codewords(cw: &[u8]) -> Result<Vec<DataChar>, String> {
    let mut out = Vec::new();
    let mut mode = DmMode::Ascii;
    let mut i = 0;
    let mut upper = false;
    // A C40/Text shift pending across triplets (0 none, 1-3 the shift set).
    let mut c40_shift = 0u8;
    let push = |out: &mut Vec<DataChar>, upper: &mut bool, b: u8| -> Check {
        let v = if *upper {
            ensure!(b < 128, "Upper Shift of {b}");
            b + 128
        } else {
            b
        };
        *upper = false;
        out.push(DataChar::Byte(v));
        Ok(())
    };
    while i < cw.len() {
        match mode {
            DmMode::Ascii => {
                let c = cw[i];
                i += 1;
                match c {
                    1..=128 => push(&mut out, &mut upper, c - 1)?,
                    129 => {
                        ensure!(!upper, "pad after Upper Shift");
                        for (k, &p) in cw.iter().enumerate().skip(i) {
                            ensure!(unpad253(p, k + 1) == 129, "bad pad {p} at {k}");
                        }
                        return Ok(out);
                    }
                    130..=229 => {
                        ensure!(!upper, "digit pair after Upper Shift");
                        out.push(DataChar::Byte(b'0' + (c - 130) / 10));
                        out.push(DataChar::Byte(b'0' + (c - 130) % 10));
                    }
                    232 => {
                        ensure!(!upper, "FNC1 after Upper Shift");
                        out.push(DataChar::Fnc1);
                    }
                    235 => {
                        ensure!(!upper, "Upper Shift twice");
                        upper = true;
                    }
                    230 | 231 | 238 | 239 | 240 => {
                        ensure!(!upper, "latch after Upper Shift");
                        mode = match c {
                            230 => DmMode::C40,
                            231 => DmMode::Base256,
                            238 => DmMode::X12,
                            239 => DmMode::Text,
                            _ => DmMode::Edifact,
                        };
                    }
                    _ => return Err(format!("ASCII codeword {c} is never written")),
                }
            }
            DmMode::C40 | DmMode::Text | DmMode::X12 => {
                if cw[i] == 254 {
                    i += 1;
                    mode = DmMode::Ascii;
                    continue;
                }
                if i + 1 == cw.len() {
                    // One codeword left: ASCII without unlatch (5.2.5.2 c).
                    mode = DmMode::Ascii;
                    continue;
                }
                let v = usize::from(cw[i]) * 256 + usize::from(cw[i + 1]);
                ensure!(v >= 1, "C40 pair 0");
                let v = v - 1;
                i += 2;
                let values = [v / 1600, v / 40 % 40, v % 40];
                ensure!(values[0] < 40, "C40 value {} at {}", values[0], i - 2);
                if mode == DmMode::X12 {
                    for x in values {
                        let b = match x {
                            0 => b'\r',
                            1 => b'*',
                            2 => b'>',
                            3 => b' ',
                            4..=13 => b'0' + x as u8 - 4,
                            _ => b'A' + x as u8 - 14,
                        };
                        out.push(DataChar::Byte(b));
                    }
                    continue;
                }
                c40_shift = c40_values(
                    &values,
                    mode == DmMode::Text,
                    c40_shift,
                    &mut out,
                    &mut upper,
                )?;
                let segment_ends = i + 1 >= cw.len() || cw[i] == 254;
                if segment_ends {
                    ensure!(c40_shift <= 1, "C40/Text segment ends in Shift {c40_shift}");
                    c40_shift = 0;
                }
            }
            DmMode::Edifact => {
                if cw.len() - i < 3 {
                    // One or two codewords left: ASCII, the unlatch implied (5.2.8.2).
                    mode = DmMode::Ascii;
                    continue;
                }
                let group =
                    u32::from(cw[i]) << 16 | u32::from(cw[i + 1]) << 8 | u32::from(cw[i + 2]);
                let mut used = 0;
                let mut unlatched = false;
                for k in 0..4 {
                    let x = (group >> (18 - 6 * k)) & 63;
                    used = (6 * (k + 1usize)).div_ceil(8);
                    if x == 31 {
                        unlatched = true;
                        break;
                    }
                    let b = if x >= 32 { x } else { x + 64 } as u8;
                    out.push(DataChar::Byte(b));
                }
                if unlatched {
                    i += used;
                    mode = DmMode::Ascii;
                } else {
                    i += 3;
                }
            }
            DmMode::Base256 => {
                let l0 = usize::from(unrandomize255(cw[i], i + 1));
                i += 1;
                let len = match l0 {
                    0 => cw.len() - i,
                    1..=249 => l0,
                    _ => {
                        ensure!(i < cw.len(), "Base 256 length cut off");
                        let l1 = usize::from(unrandomize255(cw[i], i + 1));
                        i += 1;
                        (l0 - 249) * 250 + l1
                    }
                };
                ensure!(i + len <= cw.len(), "Base 256 of {len} past the end");
                out.extend(
                    cw[i..i + len]
                        .iter()
                        .enumerate()
                        .map(|(k, &c)| DataChar::Byte(unrandomize255(c, i + k + 1))),
                );
                i += len;
                mode = DmMode::Ascii;
            }
        }
    }
    ensure!(!upper, "ends in Upper Shift");
    Ok(out)
}

/// C40/Text values of one triplet, `shift` pending from the triplet before (a character
/// split over two triplets); returns the shift pending after it. A Shift 1 left pending
/// when the segment ends (at an unlatch, or the end of the symbol) is the pad of 5.2.5.2.
fn c40_values(
    values: &[usize; 3],
    text: bool,
    mut shift: u8,
    out: &mut Vec<DataChar>,
    upper: &mut bool,
) -> Result<u8, String> {
    for &x in values {
        let byte = |b: u8, out: &mut Vec<DataChar>, upper: &mut bool| {
            let v = if *upper { b + 128 } else { b };
            *upper = false;
            out.push(DataChar::Byte(v));
        };
        match shift {
            0 => match x {
                0..=2 => shift = x as u8 + 1,
                3 => byte(b' ', out, upper),
                4..=13 => byte(b'0' + x as u8 - 4, out, upper),
                _ => byte(if text { b'a' } else { b'A' } + x as u8 - 14, out, upper),
            },
            1 => {
                ensure!(x < 32, "Shift 1 value {x}");
                byte(x as u8, out, upper);
                shift = 0;
            }
            2 => {
                match x {
                    0..=14 => byte(b'!' + x as u8, out, upper),
                    15..=21 => byte(b':' + x as u8 - 15, out, upper),
                    22..=26 => byte(b'[' + x as u8 - 22, out, upper),
                    27 => {
                        ensure!(!*upper, "FNC1 after Upper Shift");
                        out.push(DataChar::Fnc1);
                    }
                    30 => {
                        ensure!(!*upper, "Upper Shift twice");
                        *upper = true;
                    }
                    _ => return Err(format!("Shift 2 value {x}")),
                }
                shift = 0;
            }
            _ => {
                ensure!(x < 32, "Shift 3 value {x}");
                let b = match x {
                    0 => b'`',
                    1..=26 => (if text { b'A' } else { b'a' }) + x as u8 - 1,
                    _ => b'{' + x as u8 - 27,
                };
                byte(b, out, upper);
                shift = 0;
            }
        }
    }
    Ok(shift)
}

// ------------------------------------------------------------------------------- QR

/// ISO/IEC 18004 Table 9 per version (1-40) and level (L, M, Q, H): error correction
/// codewords per block, and (data codewords, blocks) of the short then the long blocks.
/// Cross-checked against the module count of each version in the tests.
const QR_BLOCKS: [[Blocks; 4]; 40] = include!("qr_blocks.in");

/// One entry of [`QR_BLOCKS`]: (error correction codewords per block, data codewords of
/// a short block, short blocks, data codewords of a long block, long blocks).
type Blocks = (usize, usize, usize, usize, usize);

/// Whether alignment position (`i`, `j`) of `last + 1` per axis would overlap a finder
/// (top left, top right, bottom left), where no alignment pattern is placed.
fn at_finder(i: usize, j: usize, last: usize) -> bool {
    (i == 0 && (j == 0 || j == last)) || (i == last && j == 0)
}

fn level_index(level: EcLevel) -> usize {
    match level {
        EcLevel::L => 0,
        EcLevel::M => 1,
        EcLevel::Q => 2,
        EcLevel::H => 3,
    }
}

fn crate_level(level: EcLevel) -> qrcode::EcLevel {
    match level {
        EcLevel::L => qrcode::EcLevel::L,
        EcLevel::M => qrcode::EcLevel::M,
        EcLevel::Q => qrcode::EcLevel::Q,
        EcLevel::H => qrcode::EcLevel::H,
    }
}

/// Data bits a version holds at a level.
pub fn qr_capacity_bits(version: i16, level: EcLevel) -> usize {
    Bits::new(Version::Normal(version))
        .max_len(crate_level(level))
        .expect("versions 1-40")
}

/// Alignment pattern centres of `version` (ISO/IEC 18004 Annex E, as a formula).
pub fn alignment_positions(version: usize) -> Vec<usize> {
    if version == 1 {
        return Vec::new();
    }
    let size = 17 + 4 * version;
    let n = version / 7 + 2;
    let step = if version == 32 {
        26
    } else {
        (version * 4 + n * 2 + 1) / (n * 2 - 2) * 2
    };
    let mut out = vec![6; n];
    let mut pos = size - 7;
    for k in (1..n).rev() {
        out[k] = pos;
        pos = pos.saturating_sub(step);
    }
    out
}

/// Which modules of a version are function patterns (finders with separators and format
/// areas, timing, alignment, version information), row-major.
pub fn qr_function_map(version: usize) -> Vec<bool> {
    let n = 17 + 4 * version;
    let mut f = vec![false; n * n];
    let mut set = |x: usize, y: usize| f[y * n + x] = true;
    for y in 0..n {
        for x in 0..n {
            let corner = (x < 9 && (y < 9 || y >= n - 8)) || (x >= n - 8 && y < 9);
            let version_info = version >= 7
                && ((x < 6 && (n - 11..n - 8).contains(&y))
                    || (y < 6 && (n - 11..n - 8).contains(&x)));
            if corner || x == 6 || y == 6 || version_info {
                set(x, y);
            }
        }
    }
    let pos = alignment_positions(version);
    let last = pos.len().saturating_sub(1);
    for (i, &cx) in pos.iter().enumerate() {
        for (j, &cy) in pos.iter().enumerate() {
            if at_finder(i, j, last) {
                continue;
            }
            for y in cy - 2..=cy + 2 {
                for x in cx - 2..=cx + 2 {
                    set(x, y);
                }
            }
        }
    }
    f
}

/// The data mask condition of mask `k` at column `x`, row `y` (ISO/IEC 18004 Table 10).
fn qr_mask(k: u8, x: usize, y: usize) -> bool {
    match k {
        0 => (x + y).is_multiple_of(2),
        1 => y.is_multiple_of(2),
        2 => x.is_multiple_of(3),
        3 => (x + y).is_multiple_of(3),
        4 => (x / 3 + y / 2).is_multiple_of(2),
        5 => x * y % 2 + x * y % 3 == 0,
        6 => (x * y % 2 + x * y % 3).is_multiple_of(2),
        _ => ((x + y) % 2 + x * y % 3).is_multiple_of(2),
    }
}

/// BCH remainder of `data` (shifted left by `bits`) under `generator`.
fn bch(data: u32, bits: u32, generator: u32) -> u32 {
    let mut rem = data;
    for _ in 0..bits {
        rem = (rem << 1) ^ ((rem >> (bits - 1)) * generator);
    }
    data << bits | rem
}

/// Where bit `i` (0 = least significant) of each copy of the format information sits
/// in a symbol `n` modules wide, as (x, y) pairs (ISO/IEC 18004 Figure 25).
fn format_bit_positions(i: usize, n: usize) -> [(usize, usize); 2] {
    let first = match i {
        0..=5 => (8, i),
        6 => (8, 7),
        7 => (8, 8),
        8 => (7, 8),
        _ => (14 - i, 8),
    };
    let second = if i < 8 {
        (n - 1 - i, 8)
    } else {
        (8, n - 15 + i)
    };
    [first, second]
}

/// The format information's two bits for a level (ISO/IEC 18004 Table 12).
fn level_bits(level: EcLevel) -> u32 {
    match level {
        EcLevel::L => 1,
        EcLevel::M => 0,
        EcLevel::Q => 3,
        EcLevel::H => 2,
    }
}

/// Format information of `m`: the level and mask, both copies equal and BCH-valid.
pub fn qr_format(m: &Matrix) -> Result<(EcLevel, u8), String> {
    let n = m.width;
    let mut a = 0u32;
    let mut b = 0u32;
    for i in 0..15 {
        let [(x1, y1), (x2, y2)] = format_bit_positions(i, n);
        a |= u32::from(m.get(x1, y1)) << i;
        b |= u32::from(m.get(x2, y2)) << i;
    }
    ensure!(a == b, "format information copies {a:#x} and {b:#x} differ");
    let raw = a ^ 0x5412;
    let data = raw >> 10;
    ensure!(
        bch(data, 10, 0x537) == raw,
        "format information {a:#x} fails its BCH code"
    );
    let level = match data >> 3 {
        1 => EcLevel::L,
        0 => EcLevel::M,
        3 => EcLevel::Q,
        _ => EcLevel::H,
    };
    Ok((level, (data & 7) as u8))
}

/// The modules of `m` (version, level, data mask `from`) with data mask `to` instead:
/// the data and remainder modules re-masked, the format information rewritten.
pub fn qr_remasked(m: &Matrix, version: usize, level: EcLevel, from: u8, to: u8) -> Vec<bool> {
    let n = m.width;
    let f = qr_function_map(version);
    let mut out = m.modules.clone();
    for y in 0..n {
        for x in 0..n {
            if !f[y * n + x] {
                out[y * n + x] ^= qr_mask(from, x, y) ^ qr_mask(to, x, y);
            }
        }
    }
    let bits = bch(level_bits(level) << 3 | u32::from(to), 10, 0x537) ^ 0x5412;
    for i in 0..15 {
        for (x, y) in format_bit_positions(i, n) {
            out[y * n + x] = bits >> i & 1 == 1;
        }
    }
    out
}

/// The data mask of `m` is the one of the eight with the lowest penalty, the first of
/// equals (ISO/IEC 18004 7.8.3). Scored with `shared`'s fast [`penalty`], which the
/// `qr_penalty` target holds to [`reference_penalty`]: with the reference, eight times
/// per symbol, the `qr` target ran 128 inputs/s instead of 213.
pub fn check_qr_mask(m: &Matrix, version: usize, level: EcLevel, mask: u8) -> Check {
    let scores: Vec<u32> = (0..8)
        .map(|to| penalty(&qr_remasked(m, version, level, mask, to), m.width))
        .collect();
    let best = (0..8u8)
        .min_by_key(|&k| scores[usize::from(k)])
        .expect("eight masks");
    ensure!(
        best == mask,
        "mask {mask} chosen, but mask {best} scores lower: {scores:?}"
    );
    Ok(())
}

/// The structure of a QR symbol of `version`: finders and separators, timing patterns,
/// the dark module, alignment patterns, version information (from version 7).
pub fn check_qr_structure(m: &Matrix, version: usize) -> Check {
    let n = m.width;
    for (cx, cy) in [(3, 3), (n - 4, 3), (3, n - 4)] {
        for dy in -4i32..=4 {
            for dx in -4i32..=4 {
                let (x, y) = (cx as i32 + dx, cy as i32 + dy);
                if x < 0 || y < 0 || x >= n as i32 || y >= n as i32 {
                    continue;
                }
                let dist = dx.abs().max(dy.abs());
                ensure!(
                    m.get(x as usize, y as usize) == (dist != 2 && dist != 4),
                    "finder at ({cx},{cy}) wrong at ({x},{y})"
                );
            }
        }
    }
    for i in 8..n - 8 {
        ensure!(m.get(i, 6) == (i % 2 == 0), "timing row at {i}");
        ensure!(m.get(6, i) == (i % 2 == 0), "timing column at {i}");
    }
    ensure!(m.get(8, n - 8), "dark module");
    let pos = alignment_positions(version);
    let last = pos.len().saturating_sub(1);
    for (i, &cx) in pos.iter().enumerate() {
        for (j, &cy) in pos.iter().enumerate() {
            if at_finder(i, j, last) {
                continue;
            }
            for y in cy - 2..=cy + 2 {
                for x in cx - 2..=cx + 2 {
                    let dist = x.abs_diff(cx).max(y.abs_diff(cy));
                    ensure!(
                        m.get(x, y) == (dist != 1),
                        "alignment at ({cx},{cy}) wrong at ({x},{y})"
                    );
                }
            }
        }
    }
    if version >= 7 {
        let want = bch(version as u32, 12, 0x1f25);
        let (mut a, mut b) = (0u32, 0u32);
        for i in 0..18 {
            let (p, q) = (n - 11 + i % 3, i / 3);
            a |= u32::from(m.get(p, q)) << i;
            b |= u32::from(m.get(q, p)) << i;
        }
        ensure!(
            a == want && b == want,
            "version information {a:#x} {b:#x}, want {want:#x}"
        );
    }
    Ok(())
}

/// Reads the data codewords of `m` (version, mask): unmasked, in zigzag order, the
/// blocks de-interleaved; the error correction codewords checked with `qrcode`'s
/// Reed-Solomon encoder.
pub fn qr_data_codewords(
    m: &Matrix,
    version: usize,
    level: EcLevel,
    mask: u8,
) -> Result<Vec<u8>, String> {
    let n = m.width;
    let f = qr_function_map(version);
    let mut bits = Vec::new();
    let mut right = n - 1;
    loop {
        if right == 6 {
            right = 5;
        }
        for vert in 0..n {
            for j in 0..2 {
                let x = right - j;
                let upward = (right + 1) & 2 == 0;
                let y = if upward { n - 1 - vert } else { vert };
                if !f[y * n + x] {
                    bits.push(m.get(x, y) ^ qr_mask(mask, x, y));
                }
            }
        }
        if right < 2 {
            break;
        }
        right -= 2;
    }
    let (ec, short, short_n, long, long_n) = QR_BLOCKS[version - 1][level_index(level)];
    let total = (short + ec) * short_n + (long + ec) * long_n;
    ensure!(
        bits.len() / 8 == total,
        "version {version}: {} data modules for {total} codewords",
        bits.len()
    );
    // The 0, 3, 4 or 7 remainder bits after the last codeword are 0 (ISO/IEC 18004 7.7.3).
    ensure!(
        bits[total * 8..].iter().all(|&b| !b),
        "version {version}: remainder bits set"
    );
    let codewords: Vec<u8> = bits
        .chunks_exact(8)
        .map(|c| c.iter().fold(0u8, |a, &b| a << 1 | u8::from(b)))
        .collect();
    let lens: Vec<usize> = std::iter::repeat_n(short, short_n)
        .chain(std::iter::repeat_n(long, long_n))
        .collect();
    let mut blocks: Vec<Vec<u8>> = lens.iter().map(|&l| Vec::with_capacity(l + ec)).collect();
    let mut at = 0;
    for k in 0..long.max(short) {
        for (b, &l) in blocks.iter_mut().zip(&lens) {
            if k < l {
                b.push(codewords[at]);
                at += 1;
            }
        }
    }
    let data_len = at;
    for _ in 0..ec {
        for b in blocks.iter_mut() {
            b.push(codewords[at]);
            at += 1;
        }
    }
    let mut data = Vec::with_capacity(data_len);
    for (b, &l) in blocks.iter().zip(&lens) {
        let want = qrcode::ec::create_error_correction_code(&b[..l], ec);
        ensure!(
            b[l..] == want[..],
            "version {version}: a block's error correction"
        );
        data.extend_from_slice(&b[..l]);
    }
    Ok(data)
}

/// The 45 characters of the alphanumeric mode, in value order (ISO/IEC 18004 Table 5).
const QR_ALNUM: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Parses QR data codewords (numeric, alphanumeric and byte segments, then the
/// terminator, zero bits to a byte, and the 0xEC 0x11 pads) into the bytes they carry.
pub fn qr_parse_segments(data: &[u8], version: usize) -> Result<Vec<u8>, String> {
    let total = data.len() * 8;
    let bit = |i: usize| data[i / 8] >> (7 - i % 8) & 1 == 1;
    let mut at = 0;
    let read = |n: usize, at: &mut usize| -> Result<usize, String> {
        ensure!(*at + n <= total, "segment data past the end");
        let v = (*at..*at + n).fold(0, |a, i| a << 1 | usize::from(bit(i)));
        *at += n;
        Ok(v)
    };
    let class = match version {
        1..=9 => 0,
        10..=26 => 1,
        _ => 2,
    };
    let mut out = Vec::new();
    loop {
        if total - at < 4 {
            // No room for a terminator: it may be cut short (ISO/IEC 18004 7.4.9).
            ensure!(
                (at..total).all(|i| !bit(i)),
                "non-zero bits where the terminator is"
            );
            return Ok(out);
        }
        let mode = read(4, &mut at)?;
        match mode {
            0 => break,
            1 => {
                let count = read([10, 12, 14][class], &mut at)?;
                let mut left = count;
                while left > 0 {
                    let k = left.min(3);
                    let v = read([0, 4, 7, 10][k], &mut at)?;
                    ensure!(v < 10usize.pow(k as u32), "numeric group {v}");
                    let digits = format!("{v:0k$}");
                    out.extend_from_slice(digits.as_bytes());
                    left -= k;
                }
            }
            2 => {
                let count = read([9, 11, 13][class], &mut at)?;
                let mut left = count;
                while left > 0 {
                    if left >= 2 {
                        let v = read(11, &mut at)?;
                        ensure!(v < 45 * 45, "alphanumeric pair {v}");
                        out.push(QR_ALNUM[v / 45]);
                        out.push(QR_ALNUM[v % 45]);
                        left -= 2;
                    } else {
                        let v = read(6, &mut at)?;
                        ensure!(v < 45, "alphanumeric {v}");
                        out.push(QR_ALNUM[v]);
                        left -= 1;
                    }
                }
            }
            4 => {
                let count = read([8, 16, 16][class], &mut at)?;
                for _ in 0..count {
                    out.push(read(8, &mut at)? as u8);
                }
            }
            m => return Err(format!("mode {m:04b} is never written")),
        }
    }
    // Zero bits to the byte boundary, then alternating pad codewords.
    let byte_end = at.div_ceil(8) * 8;
    ensure!(
        (at..byte_end).all(|i| !bit(i)),
        "non-zero bits before the pad codewords"
    );
    for (k, &p) in data[byte_end / 8..].iter().enumerate() {
        ensure!(p == [0xEC, 0x11][k % 2], "pad codeword {p:#x}");
    }
    Ok(out)
}

/// Bits of `segments` at `version`'s count-field widths.
fn segment_bits(segments: &[qrcode::optimize::Segment], version: i16) -> usize {
    segments
        .iter()
        .map(|s| s.encoded_len(Version::Normal(version)))
        .sum()
}

/// Encodes `data` at `level` and checks the symbol (see the module docs).
pub fn check_qr(data: &str, level: EcLevel) -> Check {
    let m = match qr(data, level) {
        Ok(m) => m,
        Err(QrError::Empty) => {
            ensure!(data.is_empty(), "QrError::Empty for {} bytes", data.len());
            return Ok(());
        }
        Err(QrError::TooLong { bits, capacity, .. }) => {
            ensure!(bits > capacity, "refused {bits} bits, capacity {capacity}");
            ensure!(
                capacity == qr_capacity_bits(40, level),
                "refused with capacity {capacity}"
            );
            return Ok(());
        }
    };
    let n = m.width;
    ensure!(m.height == n && m.modules.len() == n * n, "QR not square");
    ensure!(n >= 21 && (n - 17) % 4 == 0, "QR width {n} is not 17 + 4v");
    let version = (n - 17) / 4;
    ensure!((1..=40).contains(&version), "QR version {version}");
    ensure!(m.min_quiet_zone == 4, "QR quiet zone {}", m.min_quiet_zone);
    let bytes = data.as_bytes();
    let (v, segments) = smallest_version(bytes, level).map_err(|e| e.to_string())?;
    ensure!(
        v as usize == version,
        "symbol version {version}, smallest_version {v}"
    );
    // Segments cover the data in order, each in a mode that can carry its bytes.
    let mut next = 0;
    for s in &segments {
        ensure!(s.begin == next && s.end > s.begin, "segments {segments:?}");
        let ok = bytes[s.begin..s.end].iter().all(|&b| match s.mode {
            Mode::Numeric => b.is_ascii_digit(),
            Mode::Alphanumeric => QR_ALNUM.contains(&b),
            Mode::Byte => true,
            Mode::Kanji => false,
        });
        ensure!(ok, "segment {s:?} cannot carry its bytes");
        next = s.end;
    }
    ensure!(
        next == bytes.len(),
        "segments end at {next} of {}",
        bytes.len()
    );
    let bits = segment_bits(&segments, v);
    ensure!(
        bits <= qr_capacity_bits(v, level),
        "{bits} bits over capacity of version {v}"
    );
    if v > 1 {
        let smaller = segment_bits(&optimal_segments(bytes, Version::Normal(v - 1)), v - 1);
        ensure!(
            smaller > qr_capacity_bits(v - 1, level),
            "version {v} chosen, but version {} holds {smaller} bits",
            v - 1
        );
    }
    check_qr_symbol(&m, bytes, level)
}

/// A QR symbol of `bytes` at `level`: its structure, format information, and the bytes
/// it reads back to.
pub fn check_qr_symbol(m: &Matrix, bytes: &[u8], level: EcLevel) -> Check {
    let n = m.width;
    ensure!(
        n >= 21 && (n - 17).is_multiple_of(4) && m.height == n,
        "QR of {n}x{}",
        m.height
    );
    let version = (n - 17) / 4;
    check_qr_structure(m, version)?;
    let (read_level, mask) = qr_format(m)?;
    ensure!(
        read_level == level,
        "format information says {read_level:?}, asked {level:?}"
    );
    check_qr_mask(m, version, level, mask)?;
    let codewords = qr_data_codewords(m, version, level, mask)?;
    let back = qr_parse_segments(&codewords, version)?;
    ensure!(
        back == bytes,
        "QR reads {:?}, encoded {:?}",
        String::from_utf8_lossy(&back),
        String::from_utf8_lossy(bytes)
    );
    Ok(())
}

/// The mask penalty of ISO/IEC 18004 7.8.3.1, written as the standard reads, one rule at
/// a time (the reference [`penalty`] is fuzzed against): N1 = 3 + (run − 5) per run of
/// five or more same-colour modules in a row or column; N2 = 3 per 2×2 block of one
/// colour; N3 = 40 per 1:1:3:1:1 dark-light-dark-light-dark pattern with four light
/// modules (the quiet zone counts as light) before or after it, in a row or column;
/// N4 = 10 per whole 5% the dark share is away from 50%.
pub fn reference_penalty(dark: &[bool], n: usize) -> u32 {
    let at = |x: usize, y: usize, transposed: bool| {
        if transposed {
            dark[x * n + y]
        } else {
            dark[y * n + x]
        }
    };
    let mut score = 0u32;
    for transposed in [false, true] {
        for y in 0..n {
            let line: Vec<bool> = (0..n).map(|x| at(x, y, transposed)).collect();
            let mut x = 0;
            while x < n {
                let mut e = x;
                while e < n && line[e] == line[x] {
                    e += 1;
                }
                if e - x >= 5 {
                    score += 3 + (e - x - 5) as u32;
                }
                x = e;
            }
            let light = |k: i64| k < 0 || k >= n as i64 || !line[k as usize];
            for s in 0..n as i64 {
                let pattern = [true, false, true, true, true, false, true];
                let matches = (0..7).all(|k| {
                    let p = s + k as i64;
                    p < n as i64 && line[p as usize] == pattern[k]
                });
                if matches {
                    let before = (1..=4).all(|d| light(s - d));
                    let after = (7..=10).all(|d| light(s + d));
                    if before || after {
                        score += 40;
                    }
                }
            }
        }
    }
    for y in 0..n.saturating_sub(1) {
        for x in 0..n - 1 {
            let c = at(x, y, false);
            if at(x + 1, y, false) == c && at(x, y + 1, false) == c && at(x + 1, y + 1, false) == c
            {
                score += 3;
            }
        }
    }
    let dark_count = dark.iter().filter(|&&d| d).count();
    let percent = dark_count * 100 / dark.len();
    score + 10 * (percent.abs_diff(50) / 5) as u32
}

/// [`penalty`] equals [`reference_penalty`] on `dark` (`n` x `n`).
pub fn check_penalty(dark: &[bool], n: usize) -> Check {
    let (fast, slow) = (penalty(dark, n), reference_penalty(dark, n));
    ensure!(fast == slow, "penalty {fast}, reference {slow}, {n}x{n}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_table_matches_every_version_s_data_modules() {
        // GIVEN the function patterns of each version THEN the modules left are exactly
        // the codewords of Table 9 (and 0, 3, 4 or 7 remainder bits)
        for v in 1..=40 {
            let free = qr_function_map(v).iter().filter(|&&f| !f).count();
            for (level, &(ec, short, sn, long, ln)) in QR_BLOCKS[v - 1].iter().enumerate() {
                let total = (short + ec) * sn + (long + ec) * ln;
                assert_eq!(free / 8, total, "version {v} level {level}");
                assert!(ln == 0 || long == short + 1, "version {v} level {level}");
            }
        }
    }

    #[test]
    fn qr_and_datamatrix_samples_read_back() {
        // (index) data
        let rows = [
            /* 0 */ "https://id.gs1.org/01/09501101020917/10/ABC?17=270630",
            /* 1 */ "0123456789012345678901234567890123456789",
            /* 2 */ "HELLO WORLD 123 hello world \u{e9}",
        ];
        for (i, data) in rows.iter().enumerate() {
            for level in [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H] {
                assert_eq!(check_qr(data, level), Ok(()), "row {i} {level:?}");
            }
            let chars: Vec<DataChar> = data.bytes().map(DataChar::Byte).collect();
            for shape in [DmShape::Square, DmShape::Rectangle] {
                assert_eq!(check_datamatrix(&chars, shape), Ok(()), "row {i} {shape}");
            }
        }
        assert_eq!(
            check_qr(&"9".repeat(7089), EcLevel::L),
            Ok(()),
            "version 40"
        );
        let es =
            ElementString::parse_bracketed("(01)09501101020917(10)ABC(21)X-1(17)270630").unwrap();
        assert_eq!(check_gs1_datamatrix(&es, DmShape::Square), Ok(()));
        assert_eq!(check_gs1_datamatrix(&es, DmShape::Rectangle), Ok(()));
    }

    #[test]
    fn the_dm_decoder_reads_what_the_crate_reads() {
        // GIVEN texts that end in each encodation THEN both decoders agree
        for text in [
            "ABCDEFGHIJKLM",
            "abcdefghijklmn",
            "AB*CD>EF*GH>IJ*KL>MN",
            "A.B.C.D.E.F.G.H.I.J",
            "\u{e9}\u{e8}\u{ea}\u{eb}\u{e0}",
        ] {
            let chars: Vec<DataChar> = text
                .chars()
                .map(|c| DataChar::Byte(c as u32 as u8))
                .collect();
            let enc = encode_data(&chars, DmShape::Square).unwrap();
            let ours = decode_dm_codewords(&enc.codewords).unwrap();
            let theirs = datamatrix::data::decode_data(&enc.codewords).unwrap();
            let ours: Vec<u8> = ours
                .iter()
                .map(|c| match c {
                    DataChar::Byte(b) => *b,
                    DataChar::Fnc1 => 29,
                })
                .collect();
            assert_eq!(ours, theirs, "{text:?}");
        }
    }

    #[test]
    fn a_flipped_module_is_caught() {
        // GIVEN good symbols WHEN one module is flipped THEN the read-back refuses them
        let data = "https://id.gs1.org/01/09501101020917/10/ABC";
        let m = qr(data, EcLevel::M).unwrap();
        assert_eq!(check_qr_symbol(&m, data.as_bytes(), EcLevel::M), Ok(()));
        for k in 0..m.modules.len() {
            let mut bad = m.clone();
            bad.modules[k] = !bad.modules[k];
            assert!(
                check_qr_symbol(&bad, data.as_bytes(), EcLevel::M).is_err(),
                "QR module {k}"
            );
        }
        let chars: Vec<DataChar> = data.bytes().map(DataChar::Byte).collect();
        let enc = encode_data(&chars, DmShape::Square).unwrap();
        let m = matrix_of(&enc);
        for k in 0..m.modules.len() {
            let mut bad = m.clone();
            bad.modules[k] = !bad.modules[k];
            assert!(
                check_dm_modules(&bad, &enc.codewords).is_err(),
                "DataMatrix module {k}"
            );
        }
    }

    #[test]
    fn penalty_matches_the_reference_on_symbols() {
        let m = qr("https://id.gs1.org/01/09501101020917", EcLevel::M).unwrap();
        assert_eq!(check_penalty(&m.modules, m.width), Ok(()));
    }
}
