//! Code 39 (ISO/IEC 16388), the 43-character set, with an optional mod-43 check character.
//!
//! Our own table rather than `barcoders`: one 44-entry table is less than adapting its
//! output, and we choose the wide:narrow ratio ourselves. Wide elements are 3X (ratio
//! 3:1, the top of the 2:1..3:1 range ISO/IEC 16388 allows and the most tolerant of ink
//! spread and low-resolution printers); each character is 15 modules, separated by a 1X
//! space. Full ASCII (pairs like `+A` for `a`) is not offered.
//!
//! Human-readable text: `*DATA*`, with the check character before the closing `*` when
//! one is added. This is what Zint prints for Code 39 (backend/code.c), and showing the
//! start/stop characters tells a reader that the symbol is Code 39.

use super::{push_runs, span, Bearer, Linear, Symbology, TextAnchor};

/// Why text cannot be encoded as Code 39.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Code39Error {
    /// No input at all.
    #[error("Code 39 needs at least one character")]
    Empty,
    /// Longer than [`MAX_LEN`]: such a symbol is metres wide and no scanner reads it.
    #[error("Code 39 holds at most {max} characters here, got {found}")]
    TooLong {
        /// Characters given.
        found: usize,
        /// [`MAX_LEN`].
        max: usize,
    },
    /// A character outside `0-9 A-Z - . space $ / + %`.
    #[error("character {found:?} (U+{:04X}) at position {position} is not in the Code 39 set (0-9, A-Z, - . space $ / + %; no lowercase)", u32::from(*.found))]
    InvalidChar {
        /// 1-based position in the input.
        position: usize,
        /// The character.
        found: char,
    },
}

/// The characters in check-value order (value = index).
const CHARSET: &[u8; 43] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%";

/// Narrow (0) / wide (1) of the nine elements (bar first) per character, first element in
/// bit 8; the index is the character's value, 43 is the start/stop `*`.
const PATTERNS: [u16; 44] = [
    0x034, 0x121, 0x061, 0x160, 0x031, 0x130, 0x070, 0x025, 0x124, 0x064, // 0-9
    0x109, 0x049, 0x148, 0x019, 0x118, 0x058, 0x00D, 0x10C, 0x04C, 0x01C, // A-J
    0x103, 0x043, 0x142, 0x013, 0x112, 0x052, 0x007, 0x106, 0x046, 0x016, // K-T
    0x181, 0x0C1, 0x1C0, 0x091, 0x190, 0x0D0, // U-Z
    0x085, 0x184, 0x0C4, 0x0A8, 0x0A2, 0x08A, 0x02A, // - . space $ / + %
    0x094, // *
];

const WIDE: u8 = 3;
const STAR: usize = 43;

fn push_char(modules: &mut Vec<bool>, value: usize) {
    let p = PATTERNS[value];
    let widths: Vec<u8> = (0..9)
        .map(|i| if p >> (8 - i) & 1 == 1 { WIDE } else { 1 })
        .collect();
    push_runs(modules, &widths, true);
}

/// The longest data we encode: Zint's limit, 86 characters (~1.4 m at X = 1 mm).
pub const MAX_LEN: usize = 86;

/// A Code 39 symbol for `data` (the 43-character set of ISO/IEC 16388), with the mod-43
/// check character appended when `check_char`; start/stop `*` added, wide:narrow 3:1.
/// The HRI shows the data between asterisks, check character included.
///
/// # Errors
/// [`Code39Error`]: empty, longer than [`MAX_LEN`], or a character outside the set.
pub fn code39(data: &str, check_char: bool) -> Result<Linear, Code39Error> {
    if data.is_empty() {
        return Err(Code39Error::Empty);
    }
    let found = data.chars().count();
    if found > MAX_LEN {
        return Err(Code39Error::TooLong {
            found,
            max: MAX_LEN,
        });
    }
    let mut values = data
        .chars()
        .enumerate()
        .map(|(i, c)| {
            u8::try_from(c)
                .ok()
                .and_then(|b| CHARSET.iter().position(|&x| x == b))
                .ok_or(Code39Error::InvalidChar {
                    position: i + 1,
                    found: c,
                })
        })
        .collect::<Result<Vec<usize>, _>>()?;
    let mut text = format!("*{data}");
    if check_char {
        let check = values.iter().sum::<usize>() % 43;
        values.push(check);
        text.push(char::from(CHARSET[check]));
    }
    text.push('*');
    let mut modules = Vec::with_capacity((values.len() + 2) * 16);
    for value in std::iter::once(STAR).chain(values).chain([STAR]) {
        if !modules.is_empty() {
            modules.push(false); // inter-character gap, 1X
        }
        push_char(&mut modules, value);
    }
    let centre = modules.len() as f32 / 2.0;
    Ok(Linear {
        symbology: Symbology::Code39,
        modules,
        guards: Vec::new(),
        hri: vec![span(text, centre, TextAnchor::Middle)],
        min_quiet_zone: Symbology::Code39.min_quiet_zone(),
        light_margin_indicators: Vec::new(),
        bearer: Bearer::None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_has_three_wide_elements_of_nine_and_is_unique() {
        for (i, &p) in PATTERNS.iter().enumerate() {
            assert_eq!(p.count_ones(), 3, "pattern {i}");
            assert!(p < 1 << 9, "pattern {i}");
            assert_eq!(
                PATTERNS.iter().filter(|&&q| q == p).count(),
                1,
                "pattern {i}"
            );
        }
    }
}
