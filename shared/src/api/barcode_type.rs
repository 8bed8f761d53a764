//! The API's `barcode_type` and `gtin` fields to an encoded [`Linear`] symbol: the wire
//! names of the symbologies, the `auto` policy, and which request field each encoder
//! error belongs to. The encoders in [`crate::symbol`] know none of these words: they
//! take data and return typed errors; this module names the field (`gtin` or
//! `barcode_type`) and the rule the HTTP problem reports.
//!
//! The API's `gtin` field carries a GTIN (8/12/13/14 digits, spaces or hyphens
//! allowed), AI-bracketed data for GS1-128, or free text for Code 128 / Code 39.
//! `auto` picks the symbology GS1 assigns to each GTIN length: GTIN-8 -> EAN-8,
//! GTIN-12 -> UPC-A, GTIN-13 -> EAN-13, GTIN-14 -> ITF-14, and bracketed AIs ->
//! GS1-128. The length is the GTIN's own, read from the leading zeros of its 14-digit
//! form (6 zeros: GTIN-8; 2: GTIN-12; 1: GTIN-13; none: GTIN-14), so padding a GTIN
//! never changes its symbol. An explicit type takes any GTIN it can carry (a GTIN-13 with a leading 0
//! as UPC-A, any GTIN as ITF-14...); one it cannot carry is an error on `barcode_type`.

use crate::gs1::element_string::ElementString;
use crate::gs1::{Gs1Error, Gtin14};
use crate::symbol::{code128, code39, ean_upc, itf, Bearer, Linear};

/// The spec's `barcode_type` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarcodeType {
    /// Chosen by the data: GTIN length, or bracketed AIs for GS1-128.
    Auto,
    /// EAN-13 (ISO/IEC 15420), a GTIN-13.
    Ean13,
    /// EAN-8 (ISO/IEC 15420), a GTIN-8.
    Ean8,
    /// EAN-13 with a Japanese GS1 prefix (45 or 49).
    Jan,
    /// UPC-A (ISO/IEC 15420), a GTIN-12.
    Upca,
    /// UPC-E, a zero-suppressed GTIN-12 (GS1 GenSpecs 5.2.2.4.2).
    Upce,
    /// ITF-14 (ISO/IEC 16390), a GTIN-14 with bearer bars.
    Itf14,
    /// GS1-128 carrying AI (01) alone.
    Ean14,
    /// Code 128 (ISO/IEC 15417) of free text.
    Code128,
    /// GS1-128 (ISO/IEC 15417 with FNC1) of bracketed AIs.
    Gs1_128,
    /// Code 39 (ISO/IEC 16388) of free text.
    Code39,
}

impl BarcodeType {
    /// Every value, in the spec's order, with its API name.
    pub const ALL: [(&'static str, BarcodeType); 11] = [
        ("auto", BarcodeType::Auto),
        ("ean13", BarcodeType::Ean13),
        ("ean8", BarcodeType::Ean8),
        ("jan", BarcodeType::Jan),
        ("upca", BarcodeType::Upca),
        ("upce", BarcodeType::Upce),
        ("itf14", BarcodeType::Itf14),
        ("ean14", BarcodeType::Ean14),
        ("code128", BarcodeType::Code128),
        ("gs1_128", BarcodeType::Gs1_128),
        ("code39", BarcodeType::Code39),
    ];

    /// The type with this API name, if any.
    pub fn from_name(name: &str) -> Option<BarcodeType> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }

    /// The API name (`"ean13"`, `"gs1_128"`...).
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, t)| *t == self)
            .map(|(n, _)| *n)
            .unwrap_or("auto")
    }
}

/// Options that only some symbologies read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EncodeOptions {
    /// ITF-14 bearer bars.
    pub bearer: Bearer,
    /// Code 39 mod-43 check character.
    pub code39_check: bool,
}

/// Which request field an error belongs to, and the rule that failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{msg}")]
pub struct EncodeError {
    /// `"gtin"` or `"barcode_type"`.
    pub field: &'static str,
    /// The rule, e.g. `csum`, `length`, `symbology_mismatch`, `jan_prefix`.
    pub rule: &'static str,
    /// The AI concerned, for GS1 data errors.
    pub ai: Option<String>,
    /// What failed, for people.
    pub msg: String,
}

impl EncodeError {
    fn gtin(rule: &'static str, msg: impl Into<String>) -> Self {
        EncodeError {
            field: "gtin",
            rule,
            ai: None,
            msg: msg.into(),
        }
    }

    fn mismatch(ty: BarcodeType, msg: impl Into<String>) -> Self {
        EncodeError {
            field: "barcode_type",
            rule: "symbology_mismatch",
            ai: None,
            msg: format!("{}: {}", ty.name(), msg.into()),
        }
    }
}

impl From<Gs1Error> for EncodeError {
    fn from(e: Gs1Error) -> Self {
        EncodeError {
            field: "gtin",
            rule: e.rule(),
            ai: e.ai().map(str::to_string),
            msg: e.to_string(),
        }
    }
}

/// Encodes `data` as `ty`.
///
/// What is normalised: only a GTIN. Free text for Code 128 and Code 39 is encoded
/// exactly as sent, every space and control character included (a space-only value is
/// data); AI-bracketed data is not trimmed either, the GS1 core validates every
/// character of it. A GTIN (for EAN/UPC, ITF-14, `ean14`, or a GTIN given to
/// `gs1_128`) may be surrounded by whitespace and contain spaces or hyphens, which are
/// dropped, as the spec's "with or without separators" allows.
///
/// # Errors
/// [`EncodeError`]: `missing` for `""`; for free text, the rule of the first character
/// the symbology cannot carry (`code128_charset`, `code39_charset`), with the character,
/// its code point and its 1-based position in the message; GTIN and GS1 rules otherwise.
pub fn encode(ty: BarcodeType, data: &str, opts: EncodeOptions) -> Result<Linear, EncodeError> {
    if data.is_empty() {
        return Err(EncodeError::gtin("missing", "gtin must not be empty"));
    }
    match ty {
        // Free text, byte-exact.
        BarcodeType::Code128 => {
            return code128::code128(data).map_err(|e| {
                let rule = match e {
                    code128::Code128Error::TooLong { .. } => "length",
                    _ => "code128_charset",
                };
                EncodeError::gtin(rule, e.to_string())
            })
        }
        BarcodeType::Code39 => {
            return code39::code39(data, opts.code39_check).map_err(|e| {
                let rule = match e {
                    code39::Code39Error::TooLong { .. } => "length",
                    _ => "code39_charset",
                };
                EncodeError::gtin(rule, e.to_string())
            })
        }
        _ => {}
    }
    // Bracketed AIs as sent; a GTIN without the whitespace around it.
    let bracketed = data.trim_start().starts_with('(');
    let data = if bracketed { data } else { data.trim() };
    if data.is_empty() {
        return Err(EncodeError::gtin("missing", "gtin must not be blank"));
    }
    match ty {
        BarcodeType::Gs1_128 | BarcodeType::Auto if bracketed => return gs1_128(data),
        BarcodeType::Upce if digit_count(data).is_some_and(|n| n <= 8) && !bracketed => {
            return ean_upc::upce(&strip_separators(data))
                .map_err(|e| EncodeError::gtin(ean_upc_rule(&e), e.to_string()));
        }
        _ if bracketed => {
            return Err(EncodeError::mismatch(
                ty,
                "AI-bracketed data needs barcode_type gs1_128 (or auto)",
            ))
        }
        _ => {}
    }
    let gtin: Gtin14 = data
        .parse()
        .map_err(|e: crate::gs1::GtinError| EncodeError::gtin(e.rule(), e.to_string()))?;
    let g = gtin.as_str();
    let lead_zeros = g.bytes().take_while(|b| *b == b'0').count();
    let enc = |r: Result<Linear, ean_upc::EanUpcError>| {
        r.map_err(|e| EncodeError::mismatch(ty, e.to_string()))
    };
    match ty {
        // By the GTIN's own length, not the digits typed: `00012345678905` is the
        // GTIN-12 012345678905 padded, a retail item (UPC-A), not a case (ITF-14).
        BarcodeType::Auto => match lead_zeros {
            6.. => enc(ean_upc::ean8(&g[6..])),
            2..=5 => enc(ean_upc::upca(&g[2..])),
            1 => enc(ean_upc::ean13(&g[1..])),
            _ => itf14(g, opts.bearer),
        },
        BarcodeType::Ean13 | BarcodeType::Jan => {
            if lead_zeros < 1 {
                return Err(EncodeError::mismatch(ty, format!("GTIN-14 {g} has indicator digit {}; EAN-13 carries only GTINs whose 14-digit form starts with 0", &g[..1])));
            }
            if ty == BarcodeType::Jan && !(g[1..].starts_with("45") || g[1..].starts_with("49")) {
                return Err(EncodeError {
                    field: "barcode_type",
                    rule: "jan_prefix",
                    ai: None,
                    msg: format!(
                        "jan: a JAN is an EAN-13 with prefix 45 or 49; {} starts with {}",
                        &g[1..],
                        &g[1..3]
                    ),
                });
            }
            enc(ean_upc::ean13(&g[1..]))
        }
        BarcodeType::Ean8 => {
            if lead_zeros < 6 {
                return Err(EncodeError::mismatch(
                    ty,
                    format!(
                        "{g} is not a GTIN-8 (EAN-8 needs 6 leading zeros in the 14-digit form)"
                    ),
                ));
            }
            enc(ean_upc::ean8(&g[6..]))
        }
        BarcodeType::Upca | BarcodeType::Upce => {
            if lead_zeros < 2 {
                return Err(EncodeError::mismatch(
                    ty,
                    format!(
                        "{g} is not a GTIN-12 (UPC needs 2 leading zeros in the 14-digit form)"
                    ),
                ));
            }
            if ty == BarcodeType::Upca {
                enc(ean_upc::upca(&g[2..]))
            } else {
                enc(ean_upc::upce(&g[2..]))
            }
        }
        BarcodeType::Itf14 => itf14(g, opts.bearer),
        BarcodeType::Ean14 => code128::gs1_128(&[("01", g)].into_iter().collect())
            .map_err(|e| EncodeError::gtin("gs1_128", e.to_string())),
        BarcodeType::Gs1_128 => gs1_128(&format!("(01){g}")),
        BarcodeType::Code128 | BarcodeType::Code39 => unreachable!("handled above"),
    }
}

fn itf14(g: &str, bearer: Bearer) -> Result<Linear, EncodeError> {
    itf::itf14(g, bearer).map_err(|e| EncodeError::gtin("itf14", e.to_string()))
}

/// GS1-128 from bracketed data, validated as a whole message first.
fn gs1_128(data: &str) -> Result<Linear, EncodeError> {
    let es = ElementString::parse_bracketed(data)?;
    es.validate()?;
    code128::gs1_128(&es).map_err(|e| EncodeError::gtin("gs1_128_length", e.to_string()))
}

/// The number of digits when `s` is digits with optional spaces/hyphens.
fn digit_count(s: &str) -> Option<usize> {
    s.chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
        .then(|| s.chars().filter(char::is_ascii_digit).count())
}

fn strip_separators(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn ean_upc_rule(e: &ean_upc::EanUpcError) -> &'static str {
    use ean_upc::EanUpcError as E;
    match e {
        E::CheckDigit { .. } => "csum",
        E::NotADigit { .. } => "digits",
        E::Length { .. } => "length",
        E::UpcENumberSystem { .. } => "upce_number_system",
        E::NotSuppressible { .. } => "upce_not_suppressible",
        E::UpcENotCanonical { .. } => "upce_not_canonical",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::symbol::Symbology;

    fn sym(ty: &str, data: &str) -> Result<Symbology, (String, String)> {
        encode(
            BarcodeType::from_name(ty).unwrap(),
            data,
            EncodeOptions::default(),
        )
        .map(|l| l.symbology)
        .map_err(|e| (e.field.to_string(), e.rule.to_string()))
    }

    fn hri(ty: &str, data: &str) -> Result<String, (String, String)> {
        encode(
            BarcodeType::from_name(ty).unwrap(),
            data,
            EncodeOptions::default(),
        )
        .map(|l| l.hri.iter().map(|s| s.text.as_str()).collect())
        .map_err(|e| (e.field.to_string(), e.rule.to_string()))
    }

    #[test]
    fn free_text_is_encoded_exactly_as_sent() {
        let rows = [
            // 0..1: the issue's inputs: spaces and a final CR are data
            ("code39", " ABC ", "* ABC *"),
            ("code128", "Newline\n Tab\t CR\r", "Newline\n Tab\t CR\r"),
            // 2..3: a space-only value is data, not empty
            ("code39", "   ", "*   *"),
            ("code128", " ", " "),
            // 4..5: Latin-1 and every control character Code 128 carries
            ("code128", "Testgerät", "Testgerät"),
            (
                "code128",
                "\u{0}\u{1d}x\u{7f}\u{80}ÿ",
                "\u{0}\u{1d}x\u{7f}\u{80}ÿ",
            ),
            // 6: leading and trailing line breaks
            ("code128", "\r\nA\r\n", "\r\nA\r\n"),
        ];
        for (i, (ty, data, want)) in rows.into_iter().enumerate() {
            assert_eq!(hri(ty, data), Ok(want.to_string()), "row {i}");
        }
    }

    #[test]
    fn only_a_gtin_is_trimmed_and_stripped_of_separators() {
        let rows = [
            // 0..2: whitespace around a GTIN, spaces and hyphens inside it
            ("ean13", " 9501101020917\n", Ok("9501101020917")),
            ("auto", "\t950-1101-02091 7 ", Ok("9501101020917")),
            ("itf14", " 1 95011 01020 914 ", Ok("19501101020914")),
            // 3: a GTIN given to gs1_128 is normalised too
            ("gs1_128", " 09501101020917 ", Ok("(01)09501101020917")),
            // 4..5: bracketed AIs are not: the GS1 core refuses the stray space
            ("gs1_128", "(01)09501101020917(10)ABC ", Err("cset82")),
            ("auto", " (01)09501101020917", Err("syntax")),
        ];
        for (i, (ty, data, want)) in rows.into_iter().enumerate() {
            let got = hri(ty, data).map(|h| h.replace(' ', ""));
            let want = want
                .map(str::to_string)
                .map_err(|rule| ("gtin".to_string(), rule.to_string()));
            assert_eq!(got, want, "row {i}");
        }
    }

    #[test]
    fn empty_is_missing_but_blank_is_missing_only_for_a_gtin() {
        let rows = [
            // 0..2: "" is missing for every type
            ("code128", "", Some("missing")),
            ("code39", "", Some("missing")),
            ("ean13", "", Some("missing")),
            // 3: blank is no GTIN
            ("auto", "  ", Some("missing")),
            // 4..5: blank is free text
            ("code128", "  ", None),
            ("code39", "\u{20}", None),
        ];
        for (i, (ty, data, rule)) in rows.into_iter().enumerate() {
            let got = sym(ty, data).err().map(|(field, rule)| {
                assert_eq!(field, "gtin", "row {i}");
                rule
            });
            assert_eq!(got.as_deref(), rule, "row {i}");
        }
    }

    #[test]
    fn a_character_the_symbology_cannot_carry_is_named_with_its_position() {
        let rows = [
            // 0: above Latin-1 in Code 128
            (
                "code128",
                "ab€",
                "code128_charset",
                "'€' (U+20AC) at position 3",
            ),
            // 1: position counts characters, not bytes
            (
                "code128",
                "ää✓",
                "code128_charset",
                "'✓' (U+2713) at position 3",
            ),
            // 2: an emoji outside the BMP
            (
                "code128",
                "😀",
                "code128_charset",
                "'😀' (U+1F600) at position 1",
            ),
            // 3..5: Code 39's 43 characters: no lowercase, no control, no Latin-1
            (
                "code39",
                "ABc",
                "code39_charset",
                "'c' (U+0063) at position 3",
            ),
            (
                "code39",
                "A\rB",
                "code39_charset",
                "'\\r' (U+000D) at position 2",
            ),
            (
                "code39",
                "Ä",
                "code39_charset",
                "'Ä' (U+00C4) at position 1",
            ),
            // 6: too long is a length error, not a character error
            ("code128", &"a".repeat(257), "length", "257 characters"),
        ];
        for (i, (ty, data, rule, msg)) in rows.into_iter().enumerate() {
            let e = encode(
                BarcodeType::from_name(ty).unwrap(),
                data,
                EncodeOptions::default(),
            )
            .unwrap_err();
            assert_eq!((e.field, e.rule), ("gtin", rule), "row {i}");
            assert!(e.msg.contains(msg), "row {i}: {}", e.msg);
        }
    }

    #[test]
    fn auto_follows_the_gtin_length() {
        let rows = [
            // 0..4: GTIN-8/12/13/14 and bracketed AIs
            ("95011011", Symbology::Ean8),
            ("012345000065", Symbology::UpcA),
            ("9501101020917", Symbology::Ean13),
            ("19501101020914", Symbology::Itf14),
            ("(01)09501101020917(10)AB", Symbology::Gs1_128),
            // 5: separators allowed
            ("950-1101-02091 7", Symbology::Ean13),
            // 6..8: padded forms keep the GTIN's own symbology (the spec's example is a GTIN-12)
            ("00012345678905", Symbology::UpcA),
            ("09501101020917", Symbology::Ean13),
            ("00000095011011", Symbology::Ean8),
        ];
        for (i, (data, want)) in rows.into_iter().enumerate() {
            assert_eq!(sym("auto", data), Ok(want), "row {i}");
        }
    }

    #[test]
    fn explicit_types_take_any_gtin_they_can_carry() {
        let ok = [
            // 0: GTIN-13 with a leading 0 as UPC-A
            ("upca", "0012345000065", Symbology::UpcA),
            // 1: GTIN-14 form of an EAN-13
            ("ean13", "09501101020917", Symbology::Ean13),
            // 2: UPC-A that zero-suppresses, as UPC-E
            ("upce", "012345000065", Symbology::UpcE),
            // 3: UPC-E digits given directly
            ("upce", "01234565", Symbology::UpcE),
            // 4: any GTIN as ITF-14 and as EAN-14 (GS1-128 of AI 01)
            ("itf14", "9501101020917", Symbology::Itf14),
            ("ean14", "95011011", Symbology::Gs1_128),
            // 5: JAN
            ("jan", "4901234567894", Symbology::Ean13),
            // 6: a GTIN given to gs1_128 becomes (01)
            ("gs1_128", "9501101020917", Symbology::Gs1_128),
        ];
        for (i, (ty, data, want)) in ok.into_iter().enumerate() {
            assert_eq!(sym(ty, data), Ok(want), "row {i}");
        }
    }

    #[test]
    fn mismatches_and_bad_data_name_the_field_and_rule() {
        let rows = [
            // 0: indicator digit 1 cannot be an EAN-13
            (
                "ean13",
                "19501101020914",
                "barcode_type",
                "symbology_mismatch",
            ),
            // 1: a GTIN-13 is not a GTIN-8
            (
                "ean8",
                "9501101020917",
                "barcode_type",
                "symbology_mismatch",
            ),
            // 2: JAN prefix
            ("jan", "9501101020917", "barcode_type", "jan_prefix"),
            // 3: UPC-A that does not zero-suppress
            ("upce", "012345678905", "barcode_type", "symbology_mismatch"),
            // 4: bad check digit
            ("auto", "9501101020918", "gtin", "csum"),
            // 5: wrong length
            ("auto", "12345", "gtin", "length"),
            // 6: GS1 rule failure inside bracketed data
            ("gs1_128", "(01)09501101020917(17)271332", "gtin", "yymmd0"),
            // 7: bracketed data for a GTIN-only symbology
            (
                "ean13",
                "(01)09501101020917",
                "barcode_type",
                "symbology_mismatch",
            ),
            // 8: lowercase in Code 39
            ("code39", "abc", "gtin", "code39_charset"),
        ];
        for (i, (ty, data, field, rule)) in rows.into_iter().enumerate() {
            assert_eq!(
                sym(ty, data),
                Err((field.to_string(), rule.to_string())),
                "row {i}"
            );
        }
    }
}
