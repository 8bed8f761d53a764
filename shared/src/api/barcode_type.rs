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
//! never changes its symbol. An explicit type takes any GTIN GS1 lets it carry (a
//! GTIN-13 with a leading 0 is a GTIN-12, so UPC-A; any GTIN as ITF-14...); one it
//! cannot carry is an error on `barcode_type` naming the type that can (see
//! [`GtinKind`] for the table).

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
            let digits = strip_separators(data);
            return ean_upc::upce(&digits).map_err(|e| {
                // Eight digits that are no UPC-E but a valid GTIN-8 were meant as one.
                match digits.parse::<Gtin14>() {
                    Ok(g) if digits.len() == 8 => EncodeError::mismatch(
                        ty,
                        format!(
                            "{digits} is not a UPC-E ({e}) but {}",
                            GtinKind::Gtin8.carried_by(g.as_str())
                        ),
                    ),
                    _ => EncodeError::gtin(ean_upc_rule(&e), e.to_string()),
                }
            });
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
    let kind = GtinKind::of(g);
    let enc = |r: Result<Linear, ean_upc::EanUpcError>| {
        r.map_err(|e| EncodeError::mismatch(ty, e.to_string()))
    };
    // What an explicit EAN/UPC type cannot carry names the type that can.
    let only = |takes: &[GtinKind]| {
        if takes.contains(&kind) {
            Ok(())
        } else {
            Err(EncodeError::mismatch(ty, kind.carried_by(g)))
        }
    };
    match ty {
        // By the GTIN's own length, not the digits typed: `00012345678905` is the
        // GTIN-12 012345678905 padded, a retail item (UPC-A), not a case (ITF-14).
        BarcodeType::Auto => match kind {
            GtinKind::Gtin8 => enc(ean_upc::ean8(&g[6..])),
            GtinKind::Gtin12 => enc(ean_upc::upca(&g[2..])),
            GtinKind::Gtin13 => enc(ean_upc::ean13(&g[1..])),
            GtinKind::Gtin14 => itf14(g, opts.bearer),
        },
        // A GTIN-12 as EAN-13 (leading 0) has exactly UPC-A's bars: scanners read the
        // GTIN-12, and the spec's own example asks for it. Only the HRI differs.
        BarcodeType::Ean13 => {
            only(&[GtinKind::Gtin13, GtinKind::Gtin12])?;
            enc(ean_upc::ean13(&g[1..]))
        }
        BarcodeType::Jan => {
            only(&[GtinKind::Gtin13])?;
            if !(g[1..].starts_with("45") || g[1..].starts_with("49")) {
                return Err(EncodeError {
                    field: "barcode_type",
                    rule: "jan_prefix",
                    ai: None,
                    msg: format!(
                        "jan: a JAN is an EAN-13 with prefix 45 or 49; {} starts with {}: use barcode_type ean13",
                        &g[1..],
                        &g[1..3]
                    ),
                });
            }
            enc(ean_upc::ean13(&g[1..]))
        }
        BarcodeType::Ean8 => {
            only(&[GtinKind::Gtin8])?;
            enc(ean_upc::ean8(&g[6..]))
        }
        BarcodeType::Upca => {
            only(&[GtinKind::Gtin12])?;
            enc(ean_upc::upca(&g[2..]))
        }
        BarcodeType::Upce => {
            only(&[GtinKind::Gtin12])?;
            enc(ean_upc::upce(&g[2..]))
        }
        BarcodeType::Itf14 => itf14(g, opts.bearer),
        BarcodeType::Ean14 => code128::gs1_128(&[("01", g)].into_iter().collect())
            .map_err(|e| EncodeError::gtin("gs1_128", e.to_string())),
        BarcodeType::Gs1_128 => gs1_128(&format!("(01){g}")),
        BarcodeType::Code128 | BarcodeType::Code39 => unreachable!("handled above"),
    }
}

/// A GTIN's own length, read from the leading zeros of its 14-digit form (6 zeros:
/// GTIN-8; 2 to 5: GTIN-12; 1: GTIN-13; none: GTIN-14).
///
/// Which GTINs each `barcode_type` takes. GS1 carries a GTIN-8 in EAN-8, a GTIN-12 in
/// UPC-A or UPC-E, a GTIN-13 in EAN-13, and any GTIN as 14 digits in ITF-14 and as AI
/// (01) in GS1-128, DataMatrix and QR. "yes" is a symbol; a type name is the 422
/// (`symbology_mismatch` on `barcode_type`) pointing to that type. The tests check every
/// cell.
///
/// | `barcode_type`              | GTIN-8 | GTIN-12                | GTIN-13                  | GTIN-14 |
/// |-----------------------------|--------|------------------------|--------------------------|---------|
/// | `auto`                      | EAN-8  | UPC-A                  | EAN-13                   | ITF-14  |
/// | `ean8`                      | yes    | upca                   | ean13                    | itf14   |
/// | `ean13`                     | ean8   | yes (UPC-A's bars)     | yes                      | itf14   |
/// | `jan`                       | ean8   | upca                   | yes if prefix 45/49      | itf14   |
/// | `upca`                      | ean8   | yes                    | ean13                    | itf14   |
/// | `upce`                      | ean8   | yes if zero-suppressible | ean13                  | itf14   |
/// | `itf14`, `ean14`, `gs1_128` | yes    | yes                    | yes                      | yes     |
///
/// `code128` and `code39` take the digits as text. Eight digits given to `upce` are
/// read as UPC-E's own 8 digits; only when they are no UPC-E but a valid GTIN-8 is the
/// answer the 422 pointing to `ean8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GtinKind {
    /// GTIN-8: EAN-8.
    Gtin8,
    /// GTIN-12: UPC-A (or UPC-E when it zero-suppresses).
    Gtin12,
    /// GTIN-13: EAN-13.
    Gtin13,
    /// GTIN-14: ITF-14 (or GS1-128).
    Gtin14,
}

impl GtinKind {
    /// The kind of a 14-digit GTIN.
    pub fn of(gtin14: &str) -> GtinKind {
        match gtin14.bytes().take_while(|b| *b == b'0').count() {
            6.. => GtinKind::Gtin8,
            2..=5 => GtinKind::Gtin12,
            1 => GtinKind::Gtin13,
            _ => GtinKind::Gtin14,
        }
    }

    /// `GTIN-8`...
    pub fn name(self) -> &'static str {
        match self {
            GtinKind::Gtin8 => "GTIN-8",
            GtinKind::Gtin12 => "GTIN-12",
            GtinKind::Gtin13 => "GTIN-13",
            GtinKind::Gtin14 => "GTIN-14",
        }
    }

    /// The GTIN without its padding zeros.
    fn own_digits(self, gtin14: &str) -> &str {
        let len = match self {
            GtinKind::Gtin8 => 8,
            GtinKind::Gtin12 => 12,
            GtinKind::Gtin13 => 13,
            GtinKind::Gtin14 => 14,
        };
        &gtin14[14 - len..]
    }

    /// The `barcode_type` GS1 assigns to this kind of GTIN.
    pub fn barcode_type(self) -> BarcodeType {
        match self {
            GtinKind::Gtin8 => BarcodeType::Ean8,
            GtinKind::Gtin12 => BarcodeType::Upca,
            GtinKind::Gtin13 => BarcodeType::Ean13,
            GtinKind::Gtin14 => BarcodeType::Itf14,
        }
    }

    /// Why another type cannot carry `gtin14`, naming the one that can.
    fn carried_by(self, gtin14: &str) -> String {
        let carriers = match self {
            GtinKind::Gtin8 => "EAN-8 (or, as 14 digits, ITF-14 and GS1-128)",
            GtinKind::Gtin12 => "UPC-A or UPC-E (or, as 14 digits, ITF-14 and GS1-128)",
            GtinKind::Gtin13 => "EAN-13 (or, as 14 digits, ITF-14 and GS1-128)",
            GtinKind::Gtin14 => "ITF-14 or GS1-128",
        };
        format!(
            "{} is a {}; GS1 carries a {} only in {carriers}: use barcode_type {}",
            self.own_digits(gtin14),
            self.name(),
            self.name(),
            self.barcode_type().name()
        )
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

    /// What `encode` answers: the symbology, or the 422's field, rule and message.
    fn answer(ty: &str, data: &str) -> Result<Symbology, (&'static str, &'static str, String)> {
        encode(
            BarcodeType::from_name(ty).unwrap(),
            data,
            EncodeOptions::default(),
        )
        .map(|l| l.symbology)
        .map_err(|e| (e.field, e.rule, e.msg))
    }

    #[test]
    fn every_gtin_length_in_every_barcode_type() {
        use Symbology as S;
        // One GTIN of each length (the GTIN-12 zero-suppresses, the GTIN-13 has JAN
        // prefix 49), each sent as its own digits and as its 14-digit form.
        let gtins = [
            ("95011011", "00000095011011"),
            ("012345000065", "00012345000065"),
            ("4901234567894", "04901234567894"),
            ("19501101020914", "19501101020914"),
        ];
        // Ok(symbology), or Err(the barcode_type the 422 points to).
        type Cell = Result<S, &'static str>;
        let table: [(&str, [Cell; 4]); 11] = [
            // type       GTIN-8          GTIN-12          GTIN-13          GTIN-14
            // 0
            (
                "auto",
                [Ok(S::Ean8), Ok(S::UpcA), Ok(S::Ean13), Ok(S::Itf14)],
            ),
            // 1
            (
                "ean13",
                [Err("ean8"), Ok(S::Ean13), Ok(S::Ean13), Err("itf14")],
            ),
            // 2
            (
                "ean8",
                [Ok(S::Ean8), Err("upca"), Err("ean13"), Err("itf14")],
            ),
            // 3
            (
                "jan",
                [Err("ean8"), Err("upca"), Ok(S::Ean13), Err("itf14")],
            ),
            // 4
            (
                "upca",
                [Err("ean8"), Ok(S::UpcA), Err("ean13"), Err("itf14")],
            ),
            // 5
            (
                "upce",
                [Err("ean8"), Ok(S::UpcE), Err("ean13"), Err("itf14")],
            ),
            // 6
            (
                "itf14",
                [Ok(S::Itf14), Ok(S::Itf14), Ok(S::Itf14), Ok(S::Itf14)],
            ),
            // 7
            (
                "ean14",
                [
                    Ok(S::Gs1_128),
                    Ok(S::Gs1_128),
                    Ok(S::Gs1_128),
                    Ok(S::Gs1_128),
                ],
            ),
            // 8: the digits as text
            (
                "code128",
                [
                    Ok(S::Code128),
                    Ok(S::Code128),
                    Ok(S::Code128),
                    Ok(S::Code128),
                ],
            ),
            // 9
            (
                "gs1_128",
                [
                    Ok(S::Gs1_128),
                    Ok(S::Gs1_128),
                    Ok(S::Gs1_128),
                    Ok(S::Gs1_128),
                ],
            ),
            // 10: the digits as text
            (
                "code39",
                [Ok(S::Code39), Ok(S::Code39), Ok(S::Code39), Ok(S::Code39)],
            ),
        ];
        for (row, (ty, cells)) in table.iter().enumerate() {
            for (col, (cell, (own, padded))) in cells.iter().zip(gtins).enumerate() {
                for data in [own, padded] {
                    let got = answer(ty, data);
                    let at = format!("row {row} ({ty}), column {col} ({data}): {got:?}");
                    match cell {
                        Ok(want) => assert_eq!(got.as_ref().ok(), Some(want), "{at}"),
                        Err(carrier) => {
                            let (field, rule, msg) = got.clone().expect_err(&at);
                            assert_eq!(
                                (field, rule),
                                ("barcode_type", "symbology_mismatch"),
                                "{at}"
                            );
                            assert!(
                                msg.ends_with(&format!("use barcode_type {carrier}")),
                                "{at}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn eight_digits_for_upce_are_upc_e_unless_only_a_gtin_8() {
        let rows = [
            // 0: a valid UPC-E (and also a valid GTIN-8): UPC-E, as documented
            ("04256212", Ok(Symbology::UpcE)),
            // 1: number system 9 is no UPC-E, but 95011011 is a GTIN-8
            ("95011011", Err(("barcode_type", "symbology_mismatch"))),
            // 2: neither (bad check digit for both): the UPC-E error on gtin
            ("95011012", Err(("gtin", "upce_number_system"))),
        ];
        for (i, (data, want)) in rows.into_iter().enumerate() {
            let got = answer("upce", data).map_err(|(f, r, _)| (f, r));
            assert_eq!(got, want, "row {i}");
        }
        let (_, _, msg) = answer("upce", "95011011").unwrap_err();
        assert!(msg.ends_with("use barcode_type ean8"), "{msg}");
    }

    #[test]
    fn a_jan_without_prefix_45_or_49_points_to_ean13() {
        let (field, rule, msg) = answer("jan", "9501101020917").unwrap_err();
        assert_eq!((field, rule), ("barcode_type", "jan_prefix"));
        assert!(msg.ends_with("use barcode_type ean13"), "{msg}");
    }
}
