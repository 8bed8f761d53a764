//! GS1 check digits: the mod-10 digit of numeric keys (GTIN, SSCC, GLN, ...) and the
//! alphanumeric check character pair of GMN and MUDI (GS1 General Specifications
//! 7.9.5, weights are successive prime numbers).

/// The 82 characters of CSET 82 in check-character weight order.
pub const CSET82: &str =
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

/// The 32 characters of CSET 32 in weight order (check character pair alphabet).
pub const CSET32: &str = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

const PRIMES: [u32; 97] = [
    2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97,
    101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167, 173, 179, 181, 191, 193,
    197, 199, 211, 223, 227, 229, 233, 239, 241, 251, 257, 263, 269, 271, 277, 281, 283, 293, 307,
    311, 313, 317, 331, 337, 347, 349, 353, 359, 367, 373, 379, 383, 389, 397, 401, 409, 419, 421,
    431, 433, 439, 443, 449, 457, 461, 463, 467, 479, 487, 491, 499, 503, 509,
];

/// The longest data (without the pair) the check character pair is defined for here.
pub const MAX_ALPHA_DATA_LEN: usize = PRIMES.len();

/// The GS1 mod-10 check digit for `digits` (the data *without* its check digit).
///
/// Weights 3, 1, 3, ... from the rightmost digit (GS1 General Specifications 7.9.1).
/// Returns `None` if a character is not an ASCII digit.
pub fn mod10(digits: &str) -> Option<u8> {
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(mod10_of(digits.bytes().map(|b| b - b'0')))
}

/// [`mod10`] of digit values (each 0..=9), as the symbol encoders hold them.
pub fn mod10_of_values(values: &[u8]) -> u8 {
    mod10_of(values.iter().copied())
}

/// The one implementation of the mod-10 rule, over digit values.
fn mod10_of(values: impl DoubleEndedIterator<Item = u8>) -> u8 {
    let sum: u32 = values
        .rev()
        .enumerate()
        .map(|(i, d)| u32::from(d) * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// True when the last digit of `digits` is the correct mod-10 check digit.
pub fn mod10_valid(digits: &str) -> bool {
    match digits.len() {
        0 => false,
        n => match (mod10(&digits[..n - 1]), digits.as_bytes()[n - 1]) {
            (Some(c), last) => last == b'0' + c,
            _ => false,
        },
    }
}

/// The alphanumeric check character pair for `data` (CSET 82, without the pair).
///
/// Returns `None` if a character is outside CSET 82 or the data is longer than
/// [`MAX_ALPHA_DATA_LEN`].
pub fn alpha_pair(data: &str) -> Option<[char; 2]> {
    if data.len() > PRIMES.len() {
        return None;
    }
    let mut sum = 0u32;
    for (i, c) in data.chars().rev().enumerate() {
        let v = CSET82.find(c)? as u32;
        sum += v * PRIMES[i];
    }
    let sum = sum % 1021;
    let c32 = CSET32.as_bytes();
    Some([
        c32[(sum >> 5) as usize] as char,
        c32[(sum & 31) as usize] as char,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mod10_table() {
        // (data with check digit, valid)
        let rows: &[(&str, bool)] = &[
            /* 0 */ ("09501101020917", true),
            /* 1 */ ("09501101020916", false),
            /* 2 */ ("9501101020917", true),
            /* 3 */ ("96385074", true),
            /* 4 */ ("614141000013", false),
            /* 5 */ ("036000291452", true),
            /* 6 */ ("106141411234567897", true),
            /* 7 */ ("00", true),
            /* 8 */ ("", false),
            /* 9 */ ("0950110102091A", false),
        ];
        for (i, (d, ok)) in rows.iter().enumerate() {
            assert_eq!(mod10_valid(d), *ok, "row {i}: {d}");
        }
    }

    #[test]
    fn mod10_of_values_of_known_gtins() {
        // (body, check digit)
        let rows: &[(&str, u8)] = &[
            ("950110102091", 7),  // 0: GTIN-13 9501101020917
            ("01234500006", 5),   // 1: UPC-A 012345000065
            ("9501101", 1),       // 2: EAN-8 95011011
            ("1950110102091", 4), // 3: GTIN-14 19501101020914
            ("0000000000000", 0), // 4: all zeros
        ];
        for (i, (body, check)) in rows.iter().enumerate() {
            let values: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
            assert_eq!(mod10_of_values(&values), *check, "row {i}");
            assert_eq!(mod10(body), Some(*check), "row {i}");
        }
    }

    #[test]
    fn alpha_pair_table() {
        // GenSpecs / engine examples: data + pair
        let rows: &[&str] = &[
            /* 0 */ "1987654Ad4X4bL5ttr2310c2K",
            /* 1 */ "12345678901234567890123NT",
            /* 2 */ "12345_ABCDEFGHIJKLMCP",
            /* 3 */ "7907665Bm8v2AB",
            /* 4 */ "00000!HV",
            /* 5 */ "22",
        ];
        for (i, s) in rows.iter().enumerate() {
            let (d, p) = s.split_at(s.len() - 2);
            let pair: String = alpha_pair(d).unwrap().iter().collect();
            assert_eq!(pair, p, "row {i}");
        }
        assert_eq!(alpha_pair("a b"), None);
    }
}
