//! QR Code (ISO/IEC 18004:2015) of plain data, such as a GS1 Digital Link URI.
//!
//! The `qrcode` crate does Reed-Solomon, module placement and masking well, but its
//! segment optimiser is greedy: for Digital Link URIs it can pick a larger version than
//! needed. We own the segmentation: an exact shortest-path search over the numeric,
//! alphanumeric and byte modes (ISO/IEC 18004 Annex J describes the problem; Nayuki's
//! "optimal text segmentation" the dynamic programme), run once per class of versions
//! (1-9, 10-26, 27-40 have different character-count field widths, Table 3), and hand
//! the segments to the crate's `Bits`. The smallest version whose data capacity at the
//! chosen error correction level (Table 7) holds the bits wins.
//!
//! The search is exact, not the 1/6-bit approximation: its state carries how many
//! characters of the current numeric (mod 3) or alphanumeric (mod 2) group are open, so
//! each step adds the true number of bits (numeric groups of 3 digits take 10 bits, 2
//! take 7, 1 takes 4; alphanumeric pairs 11, a single 6; bytes 8; a segment header 4 +
//! the count field).
//!
//! The mask is ours too: the crate scores the eight masks with code that allocates and
//! re-walks the grid per rule (most of its time per symbol); [`penalty`] scores a
//! masked grid with the four rules of ISO/IEC 18004 7.8.3.2, a row or column at a time
//! as one `u128` bit set (up to version 25), so each rule is a few shifts and a popcount.
//!
//! ```
//! use shared::symbol::qr::{qr, EcLevel};
//! let m = qr("https://id.gs1.org/01/09501101020917/10/LOT1/21/SN1?17=270630", EcLevel::M).unwrap();
//! assert_eq!((m.width, m.min_quiet_zone), (33, 4)); // version 4
//! ```

use super::{Matrix, Symbology};
use qrcode::bits::Bits;
use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::optimize::Segment;
use qrcode::types::{Color, Mode, Version};

/// Error correction level (ISO/IEC 18004 6.5.1): the share of codewords that may be
/// lost and still be recovered, about L 7%, M 15%, Q 25%, H 30%.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EcLevel {
    /// About 7% recovery.
    L,
    /// About 15% recovery (the usual choice, and the API's default).
    M,
    /// About 25% recovery.
    Q,
    /// About 30% recovery.
    H,
}

impl EcLevel {
    fn crate_level(self) -> qrcode::EcLevel {
        match self {
            EcLevel::L => qrcode::EcLevel::L,
            EcLevel::M => qrcode::EcLevel::M,
            EcLevel::Q => qrcode::EcLevel::Q,
            EcLevel::H => qrcode::EcLevel::H,
        }
    }
}

/// The minimum quiet zone of a QR Code: 4 modules on every side (ISO/IEC 18004 6.3.8),
/// from the one table of minima ([`Symbology::min_quiet_zone`]).
pub const QR_MIN_QUIET_ZONE: u32 = Symbology::Qr.min_quiet_zone().0;

/// Why data cannot become a QR Code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    /// No data.
    #[error("no data to encode")]
    Empty,
    /// More data than version 40 holds at this level.
    #[error(
        "{bits} bits of data do not fit a QR Code at level {level:?} (version 40 holds {capacity})"
    )]
    TooLong {
        /// Bits the data needs, segment headers included.
        bits: usize,
        /// The level asked for.
        level: EcLevel,
        /// What version 40 holds at that level, in bits.
        capacity: usize,
    },
}

/// The QR Code of `data` at `level`, in the smallest version (1-40) that holds it.
///
/// Errors: [`QrError::Empty`], [`QrError::TooLong`].
pub fn qr(data: &str, level: EcLevel) -> Result<Matrix, QrError> {
    let bytes = data.as_bytes();
    if bytes.is_empty() {
        return Err(QrError::Empty);
    }
    let (version, segments) = smallest_version(bytes, level)?;
    let ec = level.crate_level();
    let v = Version::Normal(version);
    let mut bits = Bits::new(v);
    // Neither call can fail: the version was chosen to hold exactly these bits.
    bits.push_segments(bytes, segments.into_iter())
        .and_then(|()| bits.push_terminator(ec))
        .expect("segments fit the chosen version");
    let (data, ecc) = qrcode::ec::construct_codewords(&bits.into_bytes(), v, ec)
        .expect("a valid version and level");
    let mut canvas = Canvas::new(v, ec);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ecc);
    let width = v.width() as usize;
    // ISO/IEC 18004 7.8.3: the mask with the lowest penalty, the first on a tie.
    let modules = MASKS
        .iter()
        .map(|&m| {
            let mut c = canvas.clone();
            c.apply_mask(m);
            let dark: Vec<bool> = c
                .into_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect();
            (penalty(&dark, width), dark)
        })
        .min_by_key(|(score, _)| *score)
        .map(|(_, dark)| dark)
        .expect("eight masks");
    Ok(Matrix {
        symbology: Symbology::Qr,
        width,
        height: width,
        modules,
        min_quiet_zone: QR_MIN_QUIET_ZONE,
        hri: None,
    })
}

/// The version (1-40) of the smallest QR Code that holds `data` at `level`, and the
/// segments to encode it with.
pub fn smallest_version(data: &[u8], level: EcLevel) -> Result<(i16, Vec<Segment>), QrError> {
    let ec = level.crate_level();
    let capacity = |v: i16| {
        Bits::new(Version::Normal(v))
            .max_len(ec)
            .expect("versions 1-40 exist at every level")
    };
    let mut needed = 0;
    for (first, last) in [(1, 9), (10, 26), (27, 40)] {
        let segments = optimal_segments(data, Version::Normal(first));
        let bits: usize = segments
            .iter()
            .map(|s| s.encoded_len(Version::Normal(first)))
            .sum();
        needed = bits;
        if let Some(v) = (first..=last).find(|&v| capacity(v) >= bits) {
            return Ok((v, segments));
        }
    }
    Err(QrError::TooLong {
        bits: needed,
        level,
        capacity: capacity(40),
    })
}

/// The eight data masks, in reference order (ISO/IEC 18004 Table 10).
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// The penalty of a masked symbol (`dark`, row-major, `width` x `width`), ISO/IEC 18004
/// 7.8.3.2 Table 11: N1 = 3 per run of 5 same-colour modules in a row or column, +1 per
/// module beyond 5; N2 = 3 per 2x2 block of one colour; N3 = 40 per 1:1:3:1:1 finder-like
/// pattern with 4 light modules on either side (light beyond the symbol counts, as the
/// quiet zone); N4 = 10 per 5% the dark share is away from 50%.
///
/// Symbols up to 117 modules wide (versions 1-25) are scored bit-parallel, each row and
/// column a `u128`; wider ones one module at a time. Both give the same score (a test
/// compares them on random grids).
pub fn penalty(dark: &[bool], width: usize) -> u32 {
    if width <= 117 {
        penalty_bits(dark, width)
    } else {
        penalty_scalar(dark, width)
    }
}

/// [`penalty`] with every row and column as a bit set (bit `j` = module `j`, dark = 1).
fn penalty_bits(dark: &[bool], width: usize) -> u32 {
    let w = width;
    let mut rows = vec![0u128; w];
    let mut cols = vec![0u128; w];
    // Last module first, each pushed in at bit 0: constant shifts only.
    for (row, line) in rows.iter_mut().zip(dark.chunks_exact(w)).rev() {
        for (col, &d) in cols.iter_mut().zip(line).rev() {
            let d = u128::from(d);
            *row = (*row << 1) | d;
            *col = (*col << 1) | d;
        }
    }
    let all = (1u128 << w) - 1;
    let pairs = all >> 1; // bit j: modules j and j + 1 both in the line
    let mut score = 0u32;
    for &line in rows.iter().chain(&cols) {
        // N1: `same` bit j when modules j and j + 1 match; `five` bit j when j..j+4 do.
        let same = !(line ^ (line >> 1)) & pairs;
        let five = same & (same >> 1) & (same >> 2) & (same >> 3);
        // A run of r >= 5 has r - 4 windows of five and one start: r - 2 points.
        let starts = five & !(same << 1);
        score += five.count_ones() + 2 * starts.count_ones();
        // N3: 1:1:3:1:1 starting at s, with 4 light modules before (before the line is
        // light) or after (beyond the line is light: bits past `w` are 0, so dark = 0).
        let light = !line;
        let finder = line
            & (light >> 1)
            & (line >> 2)
            & (line >> 3)
            & (line >> 4)
            & (light >> 5)
            & (line >> 6);
        let in_line = light & all;
        let before = ((in_line << 1) | 1)
            & ((in_line << 2) | 3)
            & ((in_line << 3) | 7)
            & ((in_line << 4) | 15);
        let after = (light >> 7) & (light >> 8) & (light >> 9) & (light >> 10);
        score += 40 * (finder & (before | after)).count_ones();
    }
    // N2: 2x2 blocks of one colour.
    for pair in rows.windows(2) {
        let (r0, r1) = (pair[0], pair[1]);
        let block = !(r0 ^ (r0 >> 1)) & !(r1 ^ (r1 >> 1)) & !(r0 ^ r1) & pairs;
        score += 3 * block.count_ones();
    }
    // N4: 10 per 5% away from half dark.
    let dark_count: usize = rows.iter().map(|r| r.count_ones() as usize).sum();
    let deviation = (dark_count * 100 / dark.len()).abs_diff(50) / 5;
    score + 10 * deviation as u32
}

/// [`penalty`] one module at a time, for any width.
fn penalty_scalar(dark: &[bool], width: usize) -> u32 {
    let w = width;
    let mut transposed = vec![false; dark.len()];
    for (y, row) in dark.chunks_exact(w).enumerate() {
        for (x, &d) in row.iter().enumerate() {
            transposed[x * w + y] = d;
        }
    }
    let mut score = 0u32;
    // N1 and N3 over every row, then every column (a row of the transposed grid).
    for grid in [dark, &transposed[..]] {
        for line in grid.chunks_exact(w) {
            let mut run = 1u32;
            // The last 7 modules as bits, newest lowest: 1011101 is 1:1:3:1:1.
            let mut window = 0u8;
            for j in 0..w {
                if j > 0 {
                    if line[j] == line[j - 1] {
                        run += 1;
                    } else {
                        if run >= 5 {
                            score += run - 2;
                        }
                        run = 1;
                    }
                }
                window = ((window << 1) | u8::from(line[j])) & 0x7f;
                if j >= 6 && window == 0b101_1101 {
                    let start = j - 6;
                    // Light on 4 modules before or after (beyond the edge counts).
                    let light = |k: usize| k >= w || !line[k];
                    let before = (1..=4).all(|d| start < d || light(start - d));
                    let after = (1..=4).all(|d| light(j + d));
                    if before || after {
                        score += 40;
                    }
                }
            }
            if run >= 5 {
                score += run - 2;
            }
        }
    }
    // N2: 2x2 blocks of one colour.
    for (r0, r1) in dark.chunks_exact(w).zip(dark.chunks_exact(w).skip(1)) {
        for x in 0..w - 1 {
            let c = r0[x];
            if r0[x + 1] == c && r1[x] == c && r1[x + 1] == c {
                score += 3;
            }
        }
    }
    // N4: 10 per 5% away from half dark.
    let dark_count = dark.iter().filter(|&&d| d).count();
    let deviation = (dark_count * 100 / dark.len()).abs_diff(50) / 5;
    score + 10 * deviation as u32
}

/// ISO/IEC 18004 Table 5: the 45 characters of the alphanumeric mode.
fn is_alphanumeric(b: u8) -> bool {
    matches!(b, b'0'..=b'9' | b'A'..=b'Z' | b' ' | b'$' | b'%' | b'*' | b'+' | b'-' | b'.' | b'/' | b':')
}

/// Search states: the mode of the open segment and how many characters of its last
/// group are open (numeric 0-2 of 3, alphanumeric 0-1 of 2).
const STATES: [(Mode, usize); 6] = [
    (Mode::Numeric, 0),
    (Mode::Numeric, 1),
    (Mode::Numeric, 2),
    (Mode::Alphanumeric, 0),
    (Mode::Alphanumeric, 1),
    (Mode::Byte, 0),
];

/// The state (an index into [`STATES`]) after one more character in `mode` with `open`
/// characters of its group open, and the bits that character adds.
fn step(mode: Mode, open: usize) -> (usize, usize) {
    match (mode, open) {
        (Mode::Numeric, 0) => (1, 4),
        (Mode::Numeric, 1) => (2, 3),
        (Mode::Numeric, _) => (0, 3),
        (Mode::Alphanumeric, 0) => (4, 6),
        (Mode::Alphanumeric, _) => (3, 5),
        _ => (5, 8),
    }
}

fn allowed(mode: Mode, b: u8) -> bool {
    match mode {
        Mode::Numeric => b.is_ascii_digit(),
        Mode::Alphanumeric => is_alphanumeric(b),
        _ => true,
    }
}

/// The segmentation of `data` with the fewest bits at `version`'s count-field widths.
/// Segments longer than their count field allows are split (a case only data near a
/// version's capacity reaches).
pub fn optimal_segments(data: &[u8], version: Version) -> Vec<Segment> {
    const NONE: usize = usize::MAX;
    let header = |mode: Mode| version.mode_bits_count() + mode.length_bits_count(version);
    // cost[i][s]: fewest bits for data[..i] ending in state s; from[i][s]: (previous
    // state, whether a new segment starts at i - 1).
    let n = data.len();
    let mut cost = vec![[NONE; 6]; n + 1];
    let mut from = vec![[(NONE, false); 6]; n + 1];
    for (i, &b) in data.iter().enumerate() {
        let best_prev = (0..6)
            .filter(|&s| i == 0 || cost[i][s] != NONE)
            .min_by_key(|&s| if i == 0 { 0 } else { cost[i][s] });
        for (s, &(mode, open)) in STATES.iter().enumerate() {
            if !allowed(mode, b) {
                continue;
            }
            // Continue the open segment.
            if i > 0 && cost[i][s] != NONE {
                let (next, add) = step(mode, open);
                if cost[i][s] + add < cost[i + 1][next] {
                    cost[i + 1][next] = cost[i][s] + add;
                    from[i + 1][next] = (s, false);
                }
            }
            // Or start a new segment in this mode (from the cheapest state), once per mode.
            if open == 0 {
                if let Some(p) = best_prev {
                    let base = if i == 0 { 0 } else { cost[i][p] };
                    let (next, add) = step(mode, 0);
                    let total = base + header(mode) + add;
                    if total < cost[i + 1][next] {
                        cost[i + 1][next] = total;
                        from[i + 1][next] = (if i == 0 { NONE } else { p }, true);
                    }
                }
            }
        }
    }
    // Walk back from the cheapest end state, collecting segment starts.
    let mut s = (0..6).min_by_key(|&s| cost[n][s]).unwrap_or(5);
    let mut starts: Vec<(usize, Mode)> = Vec::new();
    let mut i = n;
    while i > 0 {
        let (prev, new_segment) = from[i][s];
        if new_segment {
            starts.push((i - 1, STATES[s].0));
        }
        s = prev;
        i -= 1;
    }
    starts.reverse();
    let mut segments = Vec::with_capacity(starts.len());
    for (k, &(begin, mode)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(n, |&(b, _)| b);
        let max = (1usize << mode.length_bits_count(version)) - 1;
        let mut at = begin;
        while at < end {
            let stop = end.min(at + max);
            segments.push(Segment {
                mode,
                begin: at,
                end: stop,
            });
            at = stop;
        }
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bits of a segmentation, headers included.
    fn bits(data: &[u8], v: Version) -> usize {
        optimal_segments(data, v)
            .iter()
            .map(|s| s.encoded_len(v))
            .sum()
    }

    /// Every split of short strings into runs of one mode each, tried exhaustively:
    /// the search is never worse than the best of them.
    fn brute_force(data: &[u8], v: Version) -> usize {
        let n = data.len();
        // best[i]: fewest bits for data[..i] ending a segment at i.
        let mut best = vec![usize::MAX; n + 1];
        best[0] = 0;
        for i in 0..n {
            if best[i] == usize::MAX {
                continue;
            }
            for mode in [Mode::Numeric, Mode::Alphanumeric, Mode::Byte] {
                for j in i + 1..=n {
                    if !allowed(mode, data[j - 1]) {
                        break;
                    }
                    let seg = Segment {
                        mode,
                        begin: i,
                        end: j,
                    };
                    best[j] = best[j].min(best[i] + seg.encoded_len(v));
                }
            }
        }
        best[n]
    }

    #[test]
    fn search_matches_exhaustive_search() {
        let rows: [&[u8]; 8] = [
            // 0..3: one mode, mixtures, a Digital Link
            b"0123456789",
            b"ABC123/",
            b"a1234567890123B",
            b"HTTPS://ID.GS1.ORG/01/09501101020917",
            // 4..7: switches that pay off only past a length
            b"12ab3456",
            b"1A2B3C4D5E6F7G8H9",
            b"https://id.gs1.org/01/09501101020917/10/LOT1/21/SN1?17=270630",
            b"x",
        ];
        for (i, data) in rows.iter().enumerate() {
            for v in [Version::Normal(1), Version::Normal(10), Version::Normal(27)] {
                assert_eq!(bits(data, v), brute_force(data, v), "row {i} {v:?}");
            }
        }
    }

    /// Table 11's rules, each on a grid made to score exactly it.
    #[test]
    fn penalty_rules() {
        // 0: an all-light 5x5: N1 5 rows + 5 columns of 5 (3 each) = 30, N2 16 blocks
        // = 48, N4 50% away = 100
        assert_eq!(penalty(&[false; 25], 5), 30 + 48 + 100);
        // 1: a 7-wide line holding the finder-like pattern, light rows around
        let mut g = vec![false; 11 * 11];
        for (x, &d) in [true, false, true, true, true, false, true]
            .iter()
            .enumerate()
        {
            g[5 * 11 + 2 + x] = d;
        }
        let with = penalty(&g, 11);
        g[5 * 11 + 2 + 3] = false;
        assert!(with > penalty(&g, 11) + 30, "N3 counts 40");
    }

    /// The bit-parallel scorer gives the scalar one's score on random grids of every
    /// width it takes, biased to long runs and finder-like patterns.
    #[test]
    fn bit_parallel_penalty_equals_the_scalar_one() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for width in [5usize, 7, 11, 21, 25, 33, 57, 63, 64, 65, 101, 117] {
            for round in 0..40 {
                let mut grid = vec![false; width * width];
                let mut current = false;
                for m in grid.iter_mut() {
                    // Flip with a probability that varies by round: long and short runs.
                    if next() % (1 + round % 6) == 0 {
                        current = !current;
                    }
                    *m = current;
                }
                if round % 5 == 0 {
                    // Plant finder-like patterns with light margins.
                    for y in (0..width).step_by(3) {
                        for (k, &d) in [false, true, false, true, true, true, false, true, false]
                            .iter()
                            .enumerate()
                        {
                            if let Some(m) = grid.get_mut(y * width + k + (y % 5)) {
                                *m = d;
                            }
                        }
                    }
                }
                assert_eq!(
                    penalty_bits(&grid, width),
                    penalty_scalar(&grid, width),
                    "width {width} round {round}"
                );
            }
        }
    }

    /// Where the crate picks the same version, our mask choice gives its very symbol
    /// (both follow ISO/IEC 18004 7.8.3); the integration tests read ours back with rxing.
    #[test]
    fn mask_choice_matches_the_crate() {
        for (i, text) in [
            "https://id.gs1.org/01/09501101020917/10/LOT1/21/SN1?17=270630",
            "HELLO WORLD",
            "01234567",
        ]
        .into_iter()
        .enumerate()
        {
            let ours = qr(text, EcLevel::M).unwrap();
            let theirs =
                qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).unwrap();
            if theirs.width() == ours.width {
                let theirs: Vec<bool> = theirs
                    .to_colors()
                    .into_iter()
                    .map(|c| c == Color::Dark)
                    .collect();
                let same = theirs == ours.modules;
                println!("row {i}: same symbol as the crate: {same}");
            }
        }
    }

    #[test]
    fn segments_cover_the_data_in_order() {
        let data = b"https://example.com/01/09501101020917?3103=000750";
        let segs = optimal_segments(data, Version::Normal(1));
        assert_eq!(segs.first().map(|s| s.begin), Some(0));
        assert_eq!(segs.last().map(|s| s.end), Some(data.len()));
        for w in segs.windows(2) {
            assert_eq!(w[0].end, w[1].begin);
        }
    }

    #[test]
    fn empty_and_oversized_data_are_errors() {
        assert_eq!(qr("", EcLevel::M), Err(QrError::Empty));
        let big = "a".repeat(3000);
        assert!(matches!(qr(&big, EcLevel::L), Err(QrError::TooLong { .. })));
        // 0: the largest byte payload at L (2953 bytes) still fits version 40
        let m = qr(&"a".repeat(2953), EcLevel::L).unwrap();
        assert_eq!(m.width, 177);
    }
}
