//! Numbers as the vector writers (SVG, EPS) print them: millimetres and points with at
//! most 4 decimals (0.1 µm), scale factors with up to 8, integers; no trailing zeros, no
//! `-0`. Byte-for-byte what trimming Rust's float formatter gives, without its cost.

/// A number for SVG and EPS: at most 4 decimals (0.1 µm), no trailing zeros, no `-0`.
///
/// Byte-for-byte what trimming `format!("{v:.4}")` gives, but without the float
/// formatter or an allocation on the common path: `{:.4}` falls back to big-number
/// arithmetic (Dragon4) for most values and was ~60% of SVG and EPS rendering time.
pub(super) fn num(v: f64) -> Num {
    // v × 10⁴ is exact to within 2⁻⁵² relative; below 10¹² that is < 2.5·10⁻⁴ absolute,
    // so unless the product lies within 10⁻³ of a half, rounding it rounds the exact
    // decimal value the same way `{:.4}` does. Near halves and for huge or non-finite
    // values, ask the formatter. (Truncate and compare rather than `f64::round`, which
    // is a libm call on baseline x86-64.)
    let scaled = v * 10_000.0;
    if scaled.abs() < 1e12 {
        let whole = scaled as i64; // towards zero
        let rest = scaled - whole as f64; // in (-1, 1), exact
        if rest.abs() < 0.499 {
            return Num::fixed4(whole);
        }
        if rest.abs() > 0.501 {
            return Num::fixed4(whole + if rest > 0.0 { 1 } else { -1 });
        }
    }
    Num::Text(num_exact(v))
}

/// Appends [`num`]`(v)` to `out` (no allocation on the fast path).
pub(super) fn push_num(out: &mut Vec<u8>, v: f64) {
    out.extend_from_slice(num(v).as_bytes());
}

/// Appends `v` with up to 8 decimals, trailing zeros removed: for scale factors, where
/// [`num`]'s 4 decimals would be a visible relative error (a glyph scale of 0.0049).
pub(super) fn push_fine(out: &mut Vec<u8>, v: f64) {
    let scaled = (v * 1e8).round();
    if scaled.is_finite() && scaled.abs() < 9e18 {
        let n = scaled as i64;
        let (int, frac) = (n / 100_000_000, (n % 100_000_000).unsigned_abs());
        if n < 0 && int == 0 {
            out.push(b'-');
        }
        push_int(out, int);
        if frac != 0 {
            let mut digits = [b'0'; 8];
            let mut f = frac;
            for d in digits.iter_mut().rev() {
                *d = b'0' + (f % 10) as u8;
                f /= 10;
            }
            let len = 8 - digits.iter().rev().take_while(|&&d| d == b'0').count();
            out.push(b'.');
            out.extend_from_slice(&digits[..len]);
        }
    } else {
        out.extend_from_slice(num_exact(v).as_bytes());
    }
}

/// Appends an integer in decimal.
pub(super) fn push_int(out: &mut Vec<u8>, n: i64) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    let mut m = n.unsigned_abs();
    loop {
        at -= 1;
        buf[at] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if n < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&buf[at..]);
}

/// A formatted [`num`]: ASCII on the stack (`buf[at..]`), or the formatter's text.
pub(super) enum Num {
    Ascii { buf: [u8; 24], at: usize },
    Text(String),
}

impl Num {
    /// `n / 10⁴` as a decimal with trailing zeros (and a bare `.`) removed; 0 is `0`.
    fn fixed4(n: i64) -> Num {
        // Right to left: |n| < 10¹⁹ is at most 19 digits, plus `-` and `.`.
        let mut buf = [0u8; 24];
        let mut at = buf.len();
        let mut m = n.unsigned_abs();
        let mut frac = m % 10_000;
        m /= 10_000;
        if frac != 0 {
            let mut digits = 4;
            while frac.is_multiple_of(10) {
                frac /= 10;
                digits -= 1;
            }
            for _ in 0..digits {
                at -= 1;
                buf[at] = b'0' + (frac % 10) as u8;
                frac /= 10;
            }
            at -= 1;
            buf[at] = b'.';
        }
        loop {
            at -= 1;
            buf[at] = b'0' + (m % 10) as u8;
            m /= 10;
            if m == 0 {
                break;
            }
        }
        if n < 0 {
            at -= 1;
            buf[at] = b'-';
        }
        Num::Ascii { buf, at }
    }

    fn as_str(&self) -> &str {
        match self {
            Num::Ascii { buf, at } => std::str::from_utf8(&buf[*at..]).expect("ASCII digits"),
            Num::Text(s) => s,
        }
    }

    pub(super) fn as_bytes(&self) -> &[u8] {
        match self {
            Num::Ascii { buf, at } => &buf[*at..],
            Num::Text(s) => s.as_bytes(),
        }
    }
}

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// [`num`] by way of the float formatter (the reference the fast path must match).
fn num_exact(v: f64) -> String {
    let mut s = format!("{v:.4}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" {
        s.remove(0);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_compact() {
        // (index) value, text
        let cases = [
            /* 0 */ (0.0, "0"),
            /* 1 */ (-0.00001, "0"),
            /* 2 */ (1.5, "1.5"),
            /* 3 */ (0.33, "0.33"),
            /* 4 */ (37.29000001, "37.29"),
            /* 5 */ (-2.12345, "-2.1235"),
            /* 6 */ (100.0, "100"),
        ];
        for (i, (v, want)) in cases.into_iter().enumerate() {
            assert_eq!(num(v).as_str(), want, "case {i}");
        }
    }

    #[test]
    fn fast_numbers_match_the_float_formatter() {
        // GIVEN the values backends write: pixel-grid multiples at common dpis, glyph
        // coordinates (font units × size), decimal ties and near-ties, negatives
        let mut values = vec![0.0, -0.0, 1e11, -1e11, 0.00005, 0.00015, 2.5e-5, 1.0 / 3.0];
        for dpi in [72.0, 96.0, 150.0, 203.0, 300.0, 600.0, 1200.0] {
            values.extend((0..4000).map(|px| f64::from(px) * 25.4 / dpi));
        }
        values.extend((-20_000..20_000).map(|k| f64::from(k) * 0.000_05));
        values.extend((0..20_000).map(|k| f64::from(k) * 0.001_953_125)); // 2⁻⁹ steps
        values.extend((0..20_000).map(|k| f64::from(k) * 3.527_777_8e-3 - 7.0));
        let mut x = 0x2545_f491_4f6c_dd1d_u64; // xorshift: arbitrary doubles in ±1000
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push((x >> 11) as f64 / (1u64 << 53) as f64 * 2000.0 - 1000.0);
        }
        // THEN the fast path writes exactly what the formatter writes
        for v in values {
            assert_eq!(num(v).as_str(), num_exact(v), "value {v:e}");
        }
    }

    #[test]
    fn fine_numbers_keep_eight_decimals() {
        // (index) value, text
        let cases = [
            /* 0 */ (0.0, "0"),
            /* 1 */ (0.004_918_395_6, "0.0049184"),
            /* 2 */ (-0.5, "-0.5"),
            /* 3 */ (12.000_000_001, "12"),
            /* 4 */ (-3.25, "-3.25"),
            /* 5 */ (1e-9, "0"),
        ];
        for (i, (v, want)) in cases.into_iter().enumerate() {
            let mut s = Vec::new();
            push_fine(&mut s, v);
            assert_eq!(s, want.as_bytes(), "case {i}");
        }
        let mut s = Vec::new();
        push_int(&mut s, -1234);
        push_int(&mut s, 0);
        assert_eq!(s, b"-12340");
    }
}
