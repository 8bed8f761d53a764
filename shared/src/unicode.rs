//! The characters no field accepts, and how a message names a character.
//!
//! Every string a caller sends (a JSON value or object key, a query parameter, a GET
//! path's data, a multipart text part) is checked against one list before any field's
//! own rule runs ([`first_refused`]). The list holds what no barcode, GS1 message, file
//! name or label needs and what hides or reorders text:
//!
//! | characters                                   | why refused                                             |
//! |----------------------------------------------|---------------------------------------------------------|
//! | U+0000 NULL                                  | ends a string in C, shells and many databases; no GS1 data or scanner protocol holds it |
//! | format characters (Unicode category Cf) but U+00AD SOFT HYPHEN: bidirectional controls (U+200E/F, U+202A-E, U+2066-9, U+061C), zero-width characters (U+200B-D, U+2060, U+FEFF), tags... | invisible: they reorder what is shown (Unicode UAX #9; "Trojan Source", CVE-2021-42574) or make two equal-looking values differ (Unicode UTS #39) |
//! | U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR | line breaks that few tools show as such, and that end a JavaScript string literal |
//! | noncharacters (U+FDD0-U+FDEF, U+xxFFFE, U+xxFFFF) | "not for open interchange" (The Unicode Standard, section 23.7) |
//!
//! Lone surrogates cannot reach here: a JSON `\ud800` escape is refused by the JSON
//! parser (RFC 8259 section 8.2), and a Rust string cannot hold one. The soft hyphen is
//! Latin-1 and Code 128 carries it, so it stays. Beyond this list each field keeps its
//! own rule (GS1 character sets, Code 128's Latin-1, Code 39's 43 characters, RFC 3986
//! for a URI, a label's printable Latin-1), and every such rule names the character
//! with [`CharName`].
//!
//! ```
//! use shared::unicode::{first_refused, CharName};
//! let (position, c) = first_refused("AB\u{202e}C").unwrap();
//! assert_eq!(position, 2);
//! assert_eq!(CharName(c).to_string(), r"'\u{202e}' (U+202E RIGHT-TO-LEFT OVERRIDE)");
//! assert_eq!(CharName('€').to_string(), "'€' (U+20AC)");
//! assert_eq!(first_refused("Testgerät 😀"), None);
//! ```

use std::fmt;

/// The Unicode format characters (general category Cf, Unicode 16.0's
/// `DerivedGeneralCategory.txt`), less U+00AD SOFT HYPHEN, as inclusive ranges.
const FORMAT: [(u32, u32); 19] = [
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE007F),
];

/// Why a character is refused in every field (see the module table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// U+0000.
    Null,
    /// A bidirectional control: reorders the text around it.
    Bidi,
    /// Another invisible format character (zero-width, BOM, tags...).
    Invisible,
    /// U+2028 or U+2029.
    LineSeparator,
    /// A Unicode noncharacter.
    Noncharacter,
}

impl Refused {
    /// Why, for a message.
    pub fn reason(self) -> &'static str {
        match self {
            Refused::Null => {
                "NUL ends a string in C, shells and many databases, and no GS1 data or scanner protocol holds it"
            }
            Refused::Bidi => {
                "bidirectional controls reorder how text is shown without being seen (Unicode UAX #9; \"Trojan Source\", CVE-2021-42574)"
            }
            Refused::Invisible => {
                "invisible format characters make two values that look the same differ (Unicode UTS #39)"
            }
            Refused::LineSeparator => "line and paragraph separators are line breaks few tools show",
            Refused::Noncharacter => {
                "noncharacters are not for interchange (The Unicode Standard, section 23.7)"
            }
        }
    }
}

/// Whether `c` is refused in every field, and why.
pub fn refused(c: char) -> Option<Refused> {
    let u = u32::from(c);
    match u {
        0 => Some(Refused::Null),
        0x061C | 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069 => Some(Refused::Bidi),
        0x2028 | 0x2029 => Some(Refused::LineSeparator),
        0xFDD0..=0xFDEF => Some(Refused::Noncharacter),
        _ if u & 0xFFFE == 0xFFFE => Some(Refused::Noncharacter),
        _ if FORMAT.iter().any(|&(lo, hi)| (lo..=hi).contains(&u)) => Some(Refused::Invisible),
        _ => None,
    }
}

/// The first refused character of `s`: its 0-based position in characters, and it.
pub fn first_refused(s: &str) -> Option<(usize, char)> {
    s.chars().enumerate().find(|&(_, c)| refused(c).is_some())
}

/// Names of the characters a message names most often and that do not show: the
/// refused ones, the controls scanners send, the spaces that look like others.
const NAMES: [(u32, &str); 27] = [
    (0x0000, "NULL"),
    (0x0009, "CHARACTER TABULATION"),
    (0x000A, "LINE FEED"),
    (0x000D, "CARRIAGE RETURN"),
    (0x001D, "INFORMATION SEPARATOR THREE (GS)"),
    (0x00A0, "NO-BREAK SPACE"),
    (0x00AD, "SOFT HYPHEN"),
    (0x061C, "ARABIC LETTER MARK"),
    (0x180E, "MONGOLIAN VOWEL SEPARATOR"),
    (0x200B, "ZERO WIDTH SPACE"),
    (0x200C, "ZERO WIDTH NON-JOINER"),
    (0x200D, "ZERO WIDTH JOINER"),
    (0x200E, "LEFT-TO-RIGHT MARK"),
    (0x200F, "RIGHT-TO-LEFT MARK"),
    (0x2028, "LINE SEPARATOR"),
    (0x2029, "PARAGRAPH SEPARATOR"),
    (0x202A, "LEFT-TO-RIGHT EMBEDDING"),
    (0x202B, "RIGHT-TO-LEFT EMBEDDING"),
    (0x202C, "POP DIRECTIONAL FORMATTING"),
    (0x202D, "LEFT-TO-RIGHT OVERRIDE"),
    (0x202E, "RIGHT-TO-LEFT OVERRIDE"),
    (0x2060, "WORD JOINER"),
    (0x2066, "LEFT-TO-RIGHT ISOLATE"),
    (0x2067, "RIGHT-TO-LEFT ISOLATE"),
    (0x2068, "FIRST STRONG ISOLATE"),
    (0x2069, "POP DIRECTIONAL ISOLATE"),
    (0xFEFF, "ZERO WIDTH NO-BREAK SPACE"),
];

/// A character as messages name it: quoted with Rust's escapes (so an invisible or
/// control character shows as `'\u{202e}'`, never as itself), its code point, and its
/// Unicode name for the characters it most often names (the refused ones, the controls
/// scanners send, the spaces that look like others): `'€' (U+20AC)`,
/// `'\u{202e}' (U+202E RIGHT-TO-LEFT OVERRIDE)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CharName(pub char);

impl fmt::Display for CharName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let u = u32::from(self.0);
        // Debug escapes controls and Cf, but shows U+2028/9 and noncharacters raw.
        if refused(self.0).is_some() || self.0.is_control() {
            write!(f, "'\\u{{{u:x}}}' (U+{u:04X}")?;
        } else {
            write!(f, "{:?} (U+{u:04X}", self.0)?;
        }
        match NAMES.iter().find(|(code, _)| *code == u) {
            Some((_, name)) => write!(f, " {name})"),
            None => f.write_str(")"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refused_characters_and_only_those() {
        let rows = [
            // 0: NUL
            ('\u{0}', Some(Refused::Null)),
            // 1: the other controls are data somewhere (GS in scans, CR in Code 128)
            ('\u{1d}', None),
            ('\r', None),
            // 3: bidirectional controls
            ('\u{200f}', Some(Refused::Bidi)),
            ('\u{202e}', Some(Refused::Bidi)),
            ('\u{2067}', Some(Refused::Bidi)),
            ('\u{61c}', Some(Refused::Bidi)),
            // 7: zero-width and other format characters
            ('\u{200b}', Some(Refused::Invisible)),
            ('\u{200d}', Some(Refused::Invisible)),
            ('\u{feff}', Some(Refused::Invisible)),
            ('\u{e0041}', Some(Refused::Invisible)),
            // 11: the soft hyphen is Latin-1, which Code 128 carries
            ('\u{ad}', None),
            // 12: separators and noncharacters
            ('\u{2028}', Some(Refused::LineSeparator)),
            ('\u{fdd0}', Some(Refused::Noncharacter)),
            ('\u{fffe}', Some(Refused::Noncharacter)),
            ('\u{10ffff}', Some(Refused::Noncharacter)),
            // 16: visible characters, however exotic, are each field's business
            ('😀', None),
            ('é', None),
            ('\u{fffd}', None),
        ];
        for (i, (c, want)) in rows.into_iter().enumerate() {
            assert_eq!(refused(c), want, "row {i}: U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn names_never_show_the_character_raw() {
        let rows = [
            // 0: visible: the character itself
            ('€', "'€' (U+20AC)"),
            ('😀', "'😀' (U+1F600)"),
            // 2: invisible: escaped, with its name
            ('\u{202e}', r"'\u{202e}' (U+202E RIGHT-TO-LEFT OVERRIDE)"),
            ('\u{200d}', r"'\u{200d}' (U+200D ZERO WIDTH JOINER)"),
            ('\u{2028}', r"'\u{2028}' (U+2028 LINE SEPARATOR)"),
            ('\u{0}', r"'\u{0}' (U+0000 NULL)"),
            (
                '\u{1d}',
                r"'\u{1d}' (U+001D INFORMATION SEPARATOR THREE (GS))",
            ),
            ('\u{fdd0}', r"'\u{fdd0}' (U+FDD0)"),
        ];
        for (i, (c, want)) in rows.into_iter().enumerate() {
            assert_eq!(CharName(c).to_string(), want, "row {i}");
        }
    }
}
