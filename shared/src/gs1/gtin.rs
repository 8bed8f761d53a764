//! [`Gtin14`]: a Global Trade Item Number with a verified check digit, held in its
//! 14-digit form (GTIN-8, -12 and -13 are left-padded with zeros).

use std::fmt;
use std::str::FromStr;

use super::check_digit;

/// Why a string is not a GTIN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GtinError {
    /// Not 8, 12, 13 or 14 digits (separators removed).
    #[error("a GTIN has 8, 12, 13 or 14 digits, not {0}")]
    WrongLength(usize),
    /// A character that is not a digit, space or hyphen (0-based char position in the
    /// input; the message counts from 1, as people do).
    #[error("character {} at position {} is not a digit", crate::unicode::CharName(*ch), position + 1)]
    BadCharacter {
        /// Position in the input.
        position: usize,
        /// The character.
        ch: char,
    },
    /// The last digit is not the check digit of the others.
    #[error("bad check digit: expected {expected}, got {got}")]
    BadCheckDigit {
        /// The correct check digit.
        expected: u8,
        /// The check digit given.
        got: u8,
    },
}

impl GtinError {
    /// The rule that failed, named as the API reports it (`csum` as in the dictionary).
    pub fn rule(&self) -> &'static str {
        match self {
            GtinError::WrongLength(_) => "length",
            GtinError::BadCharacter { .. } => "digits",
            GtinError::BadCheckDigit { .. } => "csum",
        }
    }
}

/// A GTIN in 14-digit form, check digit verified.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gtin14(String);

impl Gtin14 {
    /// The 14 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The shortest GS1 form the leading zeros allow: GTIN-8 (6 leading zeros),
    /// GTIN-12 (2), GTIN-13 (1), else GTIN-14.
    pub fn short_form(&self) -> &str {
        let zeros = self.0.bytes().take_while(|&b| b == b'0').count();
        let skip = match zeros {
            z if z >= 6 => 6,
            z if z >= 2 => 2,
            1 => 1,
            _ => 0,
        };
        &self.0[skip..]
    }

    /// The indicator digit (first of 14).
    pub fn indicator(&self) -> u8 {
        self.0.as_bytes()[0] - b'0'
    }
}

impl FromStr for Gtin14 {
    type Err = GtinError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut digits = String::with_capacity(14);
        for (position, ch) in s.chars().enumerate() {
            match ch {
                '0'..='9' => digits.push(ch),
                ' ' | '-' => {}
                _ => return Err(GtinError::BadCharacter { position, ch }),
            }
        }
        if !matches!(digits.len(), 8 | 12 | 13 | 14) {
            return Err(GtinError::WrongLength(digits.len()));
        }
        let n = digits.len();
        let expected = check_digit::mod10(&digits[..n - 1]).unwrap_or(0);
        let got = digits.as_bytes()[n - 1] - b'0';
        if expected != got {
            return Err(GtinError::BadCheckDigit { expected, got });
        }
        Ok(Gtin14(format!("{digits:0>14}")))
    }
}

impl fmt::Display for Gtin14 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Gtin14 {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The GTIN-12 (UPC-A, 12 digit values) that a UPC-E stands for, from its number system
/// digit and six digits, the check digit computed.
///
/// GS1 zero suppression (GS1 General Specifications 5.2.2.4.2) read backwards: the last
/// of the six digits says where the suppressed zeros were.
///
/// | last digit | six digits   | GTIN-12 after the number system |
/// |------------|--------------|---------------------------------|
/// | 0, 1, 2    | `abcdeX`     | `abX0000cde` + check            |
/// | 3          | `abcde3`     | `abc00000de` + check            |
/// | 4          | `abcde4`     | `abcd00000e` + check            |
/// | 5 to 9     | `abcdeX`     | `abcde0000X` + check            |
///
/// This is what a scanner does when it expands UPC-E; the GS1 rule that only the
/// canonical zero-suppressed form may be printed is the encoder's
/// (`symbol::ean_upc::upce`), not checked here.
pub fn upce_to_gtin12(ns_and_six: [u8; 7]) -> [u8; 12] {
    let (ns, d) = (ns_and_six[0], &ns_and_six[1..]);
    let body: [u8; 10] = match d[5] {
        0..=2 => [d[0], d[1], d[5], 0, 0, 0, 0, d[2], d[3], d[4]],
        3 => [d[0], d[1], d[2], 0, 0, 0, 0, 0, d[3], d[4]],
        4 => [d[0], d[1], d[2], d[3], 0, 0, 0, 0, 0, d[4]],
        _ => [d[0], d[1], d[2], d[3], d[4], 0, 0, 0, 0, d[5]],
    };
    let mut a = [0u8; 12];
    a[0] = ns;
    a[1..11].copy_from_slice(&body);
    a[11] = check_digit::mod10_of_values(&a[..11]);
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        // (input, Ok(14 digits) or Err)
        let rows: &[(&str, Result<&str, GtinError>)] = &[
            /* 0 */ ("9501101020917", Ok("09501101020917")),
            /* 1 */ ("09501101020917", Ok("09501101020917")),
            /* 2 */ ("96385074", Ok("00000096385074")),
            /* 3 */ ("036000291452", Ok("00036000291452")),
            /* 4 */ ("950 1101-020917", Ok("09501101020917")),
            /* 5 */
            (
                "950110102091",
                Err(GtinError::BadCheckDigit {
                    expected: 8,
                    got: 1,
                }),
            ),
            /* 6 */
            (
                "9501101020918",
                Err(GtinError::BadCheckDigit {
                    expected: 7,
                    got: 8,
                }),
            ),
            /* 7 */ ("95011010209", Err(GtinError::WrongLength(11))),
            /* 8 */
            (
                "950110102091A",
                Err(GtinError::BadCharacter {
                    position: 12,
                    ch: 'A',
                }),
            ),
            /* 9 */ ("", Err(GtinError::WrongLength(0))),
        ];
        for (i, (input, want)) in rows.iter().enumerate() {
            let got = input.parse::<Gtin14>();
            match want {
                Ok(s) => assert_eq!(got.as_ref().map(Gtin14::as_str), Ok(*s), "row {i}"),
                Err(e) => assert_eq!(got.as_ref().unwrap_err(), e, "row {i}"),
            }
        }
    }

    #[test]
    fn short_forms() {
        // (input, short form)
        let rows = [
            /* 0 */ ("00000096385074", "96385074"),
            /* 1 */ ("00036000291452", "036000291452"),
            /* 2 */ ("09501101020917", "9501101020917"),
            /* 3 */ ("19501101020914", "19501101020914"),
        ];
        for (i, (input, short)) in rows.iter().enumerate() {
            let g: Gtin14 = input.parse().unwrap();
            assert_eq!(g.short_form(), *short, "row {i}");
            assert_eq!(g.to_string(), *input, "row {i}");
        }
    }
}
