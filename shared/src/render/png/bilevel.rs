//! 1-bit PNG writer for scenes without text, without the `png` crate.
//!
//! A barcode without text is bands of identical rows: every row between two
//! consecutive rectangle edges is the same. Each band's packed row is built once,
//! straight from the rectangles, and the zlib stream is one fixed-Huffman deflate
//! block where a row is either literals (filter byte 0, then the row) or, when it
//! repeats the row above, matches at distance "one row" covering its filter byte and
//! pixels. No window search, no tables to clear, no 8-bit buffer: the writer's cost
//! follows the number of rows and distinct bands, not the number of pixels.
//! Adler-32 of a repeated row is updated from its byte sum and weighted sum, without
//! reading it again (which is why Adler-32 is ours); CRC-32 (`crc32fast`) runs over the
//! (small) compressed bytes only.

/// Pixels per metre for `dpi`, rounded, as the `pHYs` chunk wants it.
fn pixels_per_metre(dpi: u32) -> u32 {
    (f64::from(dpi) / 0.0254).round() as u32
}

/// Fixed Huffman literal/length codes (RFC 1951 3.2.6), bit-reversed so they can be
/// written LSB first, with their lengths.
const LIT_CODES: [(u16, u8); 288] = {
    let mut t = [(0u16, 0u8); 288];
    let mut s = 0;
    while s < 288 {
        let (code, len) = match s {
            0..=143 => (0x30 + s, 8),
            144..=255 => (0x190 + s - 144, 9),
            256..=279 => (s - 256, 7),
            _ => (0xC0 + s - 280, 8),
        };
        t[s] = (reverse(code as u16, len), len as u8);
        s += 1;
    }
    t
};

const fn reverse(code: u16, len: u32) -> u16 {
    code.reverse_bits() >> (16 - len)
}

const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// Longest and shortest deflate match, farthest distance.
const MAX_MATCH: usize = 258;
const MIN_MATCH: usize = 3;
const MAX_DIST: usize = 32768;

/// LSB-first bit writer.
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    /// Appends the low `len` (<= 32) bits of `bits`.
    #[inline]
    fn put(&mut self, bits: u32, len: u32) {
        self.acc |= u64::from(bits) << self.n;
        self.n += len;
        if self.n >= 32 {
            self.out.extend_from_slice(&(self.acc as u32).to_le_bytes());
            self.acc >>= 32;
            self.n -= 32;
        }
    }

    fn lit(&mut self, sym: usize) {
        let (code, len) = LIT_CODES[sym];
        self.put(u32::from(code), u32::from(len));
    }

    /// Pads to a whole byte and flushes.
    fn finish(mut self) -> Vec<u8> {
        while self.n > 0 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n = self.n.saturating_sub(8);
        }
        self.out
    }
}

/// The bits of one match (`len` 3..=258 at `dist` 1..=32768), as (bits, count).
fn match_bits(len: usize, dist: usize) -> (u32, u32) {
    let li = LEN_BASE
        .iter()
        .rposition(|&b| usize::from(b) <= len)
        .expect("len >= 3");
    let (code, clen) = LIT_CODES[257 + li];
    let mut bits = u32::from(code);
    let mut n = u32::from(clen);
    bits |= ((len - usize::from(LEN_BASE[li])) as u32) << n;
    n += u32::from(LEN_EXTRA[li]);
    let di = DIST_BASE
        .iter()
        .rposition(|&b| usize::from(b) <= dist)
        .expect("dist >= 1");
    bits |= u32::from(reverse(di as u16, 5)) << n;
    n += 5;
    bits |= ((dist - usize::from(DIST_BASE[di])) as u32) << n;
    n += u32::from(DIST_EXTRA[di]);
    // At most 8 + 5 + 5 + 13 = 31 bits.
    (bits, n)
}

const ADLER_MOD: u64 = 65521;

/// Writes the zlib stream of rows given band by band.
struct Rows {
    bits: Bits,
    /// Packed row bytes (without the filter byte).
    stride: usize,
    /// The previous row, when there is one.
    prev: Option<Vec<u8>>,
    /// Matches that copy the whole previous row (filter byte included); empty when a
    /// row is too short or too long for that.
    repeat: Vec<(u32, u32)>,
    adler_a: u64,
    adler_b: u64,
}

impl Rows {
    fn new(stride: usize, capacity: usize) -> Self {
        let mut bits = Bits {
            out: Vec::with_capacity(capacity),
            acc: 0,
            n: 0,
        };
        // zlib header: deflate, 32K window, no dictionary, "fastest" (check: % 31 == 0).
        bits.out.extend_from_slice(&[0x78, 0x01]);
        // One block: BFINAL = 1, BTYPE = 01 (fixed Huffman).
        bits.put(0b011, 3);
        let row = stride + 1;
        let mut repeat = Vec::new();
        if (MIN_MATCH..=MAX_DIST).contains(&row) {
            let mut rest = row;
            while rest > 0 {
                let take = if rest <= MAX_MATCH {
                    rest
                } else if rest - MAX_MATCH < MIN_MATCH {
                    rest - MIN_MATCH
                } else {
                    MAX_MATCH
                };
                repeat.push(match_bits(take, row));
                rest -= take;
            }
        }
        Rows {
            bits,
            stride,
            prev: None,
            repeat,
            adler_a: 1,
            adler_b: 0,
        }
    }

    /// Appends `n` copies of `row` (filter byte 0 before each).
    fn push(&mut self, row: &[u8], n: usize) {
        if n == 0 {
            return;
        }
        let len = self.stride as u64 + 1;
        // Adler-32 of filter byte 0 then `row`: byte i (from 1) adds to b (len - i)
        // times over the row.
        let (mut sum, mut weighted) = (0u64, 0u64);
        for (i, &b) in row.iter().enumerate() {
            sum += u64::from(b);
            weighted += u64::from(b) * (len - 1 - i as u64);
        }
        let (sum, weighted) = (sum % ADLER_MOD, weighted % ADLER_MOD);
        // n rows: a grows by n * sum; b by n * (len * a + weighted) plus, for the k-th
        // row, len * k * sum from the a of the rows before it.
        let (a, b) = (self.adler_a, self.adler_b);
        let n64 = n as u64;
        let pairs = (n64 * (n64 - 1) / 2) % ADLER_MOD;
        let len = len % ADLER_MOD;
        let b = (b
            + (n64 % ADLER_MOD) * ((len * a + weighted) % ADLER_MOD)
            + (len * sum % ADLER_MOD) * pairs)
            % ADLER_MOD;
        let a = (a + (n64 % ADLER_MOD) * sum) % ADLER_MOD;
        (self.adler_a, self.adler_b) = (a, b);

        let mut copies = n;
        let same = self.prev.as_deref() == Some(row);
        if !same || self.repeat.is_empty() {
            if self.repeat.is_empty() {
                copies = 0;
            } else {
                copies -= 1;
            }
            for _ in 0..n - copies {
                self.bits.lit(0);
                for &byte in row {
                    self.bits.lit(usize::from(byte));
                }
            }
            match &mut self.prev {
                Some(p) => p.copy_from_slice(row),
                None => self.prev = Some(row.to_vec()),
            }
        }
        for _ in 0..copies {
            for &(bits, count) in &self.repeat {
                self.bits.put(bits, count);
            }
        }
    }

    /// The zlib stream: end of block, padding, Adler-32.
    fn finish(mut self) -> Vec<u8> {
        self.bits.lit(256);
        let adler = ((self.adler_b << 16) | self.adler_a) as u32;
        let mut out = self.bits.finish();
        out.extend_from_slice(&adler.to_be_bytes());
        out
    }
}

/// Appends a chunk: length, type, data, CRC of type and data.
fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32fast::hash(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

#[inline]
/// Clears (inks) pixels `x0..x1` of a packed row (MSB first, 1 = white).
fn ink(row: &mut [u8], x0: usize, x1: usize) {
    let (b0, b1) = (x0 / 8, (x1 - 1) / 8);
    let m0 = 0xFFu8 >> (x0 % 8);
    let m1 = 0xFFu8 << (7 - (x1 - 1) % 8);
    if b0 == b1 {
        row[b0] &= !(m0 & m1);
    } else {
        row[b0] &= !m0;
        row[b0 + 1..b1].fill(0);
        row[b1] &= !m1;
    }
}

/// A 1-bit greyscale PNG (`w` x `h`, black `rects` in pixels (x0, y0, x1, y1) on
/// white, each non-empty and inside the image, sorted by y0) with `pHYs` for `dpi`.
pub(super) fn encode(rects: &[[usize; 4]], w: usize, h: usize, dpi: u32) -> Vec<u8> {
    let stride = w.div_ceil(8);
    let mut rows = Rows::new(stride, 64 + stride * 2 + h * 4);
    let mut row = vec![0xFFu8; stride];
    super::for_each_band(rects, h, |top, bottom, active| {
        row.fill(0xFF);
        for &[x0, _, x1, _] in active {
            ink(&mut row, x0, x1);
        }
        rows.push(&row, bottom - top);
    });
    let idat = rows.finish();

    let mut out = Vec::with_capacity(8 + 25 + 21 + 12 + idat.len() + 12);
    out.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    let mut ihdr = [0u8; 13];
    ihdr[0..4].copy_from_slice(&(w as u32).to_be_bytes());
    ihdr[4..8].copy_from_slice(&(h as u32).to_be_bytes());
    // Bit depth 1, colour type 0 (grey), deflate, adaptive filtering, no interlace.
    ihdr[8..13].copy_from_slice(&[1, 0, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    let ppm = pixels_per_metre(dpi).to_be_bytes();
    let mut phys = [1u8; 9]; // unit 1: metre
    phys[0..4].copy_from_slice(&ppm);
    phys[4..8].copy_from_slice(&ppm);
    chunk(&mut out, b"pHYs", &phys);
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_end_in_the_crc_of_type_and_data() {
        // (type, data, CRC-32 of type and data)
        let rows: &[(&[u8; 4], &[u8], u32)] = &[
            (b"IEND", b"", 0xAE42_6082),      // 0: every PNG's last chunk
            (b"1234", b"56789", 0xCBF4_3926), // 1: the CRC-32 check value
            (
                b"The ",
                b"quick brown fox jumps over the lazy dog",
                0x414F_A339,
            ), // 2
        ];
        for (i, &(kind, data, crc)) in rows.iter().enumerate() {
            let mut out = Vec::new();
            chunk(&mut out, kind, data);
            let mut want = (data.len() as u32).to_be_bytes().to_vec();
            want.extend_from_slice(kind);
            want.extend_from_slice(data);
            want.extend_from_slice(&crc.to_be_bytes());
            assert_eq!(out, want, "row {i}");
        }
    }

    #[test]
    fn adler_of_repeated_rows_matches_byte_by_byte() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for stride in [1, 2, 18, 300, 5000] {
            let mut rows = Rows::new(stride, 0);
            let mut raw = Vec::new();
            for _ in 0..20 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let row: Vec<u8> = (0..stride).map(|i| (seed >> (i % 56)) as u8).collect();
                let n = (seed % 700) as usize;
                rows.push(&row, n);
                for _ in 0..n {
                    raw.push(0);
                    raw.extend_from_slice(&row);
                }
            }
            let (mut a, mut b) = (1u64, 0u64);
            for &x in &raw {
                a = (a + u64::from(x)) % ADLER_MOD;
                b = (b + a) % ADLER_MOD;
            }
            let out = rows.finish();
            let want = ((b << 16) | a) as u32;
            assert_eq!(out[out.len() - 4..], want.to_be_bytes(), "stride {stride}");
        }
    }

    #[test]
    fn ink_clears_exactly_the_span() {
        for w in 1..40usize {
            for x0 in 0..w {
                for x1 in x0 + 1..=w {
                    let mut row = vec![0xFFu8; w.div_ceil(8)];
                    ink(&mut row, x0, x1);
                    for x in 0..w.div_ceil(8) * 8 {
                        let white = row[x / 8] & (0x80 >> (x % 8)) != 0;
                        assert_eq!(white, !(x0..x1).contains(&x), "{w} {x0} {x1} {x}");
                    }
                }
            }
        }
    }
}
