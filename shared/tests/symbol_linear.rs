//! The `Linear` model each 1D encoder returns: exact modules, guards, text placement,
//! quiet zones, light margin indicators, and the errors for bad input.

use proptest::prelude::*;
use shared::gs1::ElementString;
use shared::symbol::code128::{code128, gs1_128, Code128Error};
use shared::symbol::code39::{code39, Code39Error};
use shared::symbol::ean_upc::{ean13, ean8, upca, upca_to_upce, upce, upce_to_upca, EanUpcError};
use shared::symbol::itf::{itf14, ItfError};
use shared::symbol::{Bearer, Linear, Symbology, TextAnchor, TextSpan};

/// An element string of `(AI, value)` pairs, in the order given.
fn es(pairs: &[(&str, &str)]) -> ElementString {
    pairs.iter().copied().collect()
}

fn bits(symbol: &Linear) -> String {
    symbol
        .modules
        .iter()
        .map(|&b| if b { '1' } else { '0' })
        .collect()
}

/// Zint draws Code 39 with 2X wide elements; ours are 3X. Widen Zint's 2-module runs.
fn widen(zint: &str) -> String {
    let mut out = String::new();
    let b = zint.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let run = b[i..].iter().take_while(|&&c| c == b[i]).count();
        let width = if run == 2 { 3 } else { run };
        out.extend(std::iter::repeat_n(char::from(b[i]), width));
        i += run;
    }
    out
}

#[test]
fn module_counts() {
    // (symbol, modules)
    let rows = [
        (ean13("9501101020917").unwrap(), 95),                  // 0
        (ean8("95011011").unwrap(), 67),                        // 1
        (upca("012345000065").unwrap(), 95),                    // 2
        (upce("01234565").unwrap(), 51),                        // 3
        (itf14("19501101020914", Bearer::Frame).unwrap(), 135), // 4: 3X stop bar
        (code128("ABC-123 xyz").unwrap(), 13 * 11 + 13),        // 5: 13 codewords + stop
        (code39("ABC-123", false).unwrap(), 9 * 16 - 1),        // 6: 7 + 2 stars, 15 + 1 gap
        (code39("ABC-123", true).unwrap(), 10 * 16 - 1),        // 7: + check character
    ];
    for (i, (symbol, n)) in rows.iter().enumerate() {
        assert_eq!(symbol.modules.len(), *n, "row {i}");
        // Every symbol begins and ends with a bar.
        assert!(symbol.modules[0] && symbol.modules[n - 1], "row {i}");
    }
}

/// Module-exact against Zint 2.11.1 (`zint -b N --dump`), an independent encoder.
#[test]
fn modules_match_zint() {
    // (symbol, Zint 2.11.1 modules)
    let rows = [
        // 0: zint -b 13 -d 950110102091
        (ean13("950110102091").unwrap(), "10101100010100111011001100110010100111001100101010111001011011001110010111010011001101000100101".to_string()),
        // 1: zint -b 13 -d 9501101
        (ean8("9501101").unwrap(), "1010001011011000100011010011001010101100110111001011001101100110101".to_string()),
        // 2: zint -b 34 -d 012345000065
        (upca("012345000065").unwrap(), "10100011010011001001001101111010100011011000101010111001011100101110010111001010100001001110101".to_string()),
        // 3: zint -b 37 -d 01234565
        (upce("01234565").unwrap(), "101011001100100110111101001110101110010101111010101".to_string()),
        // 4: zint -b 89 -d 1950110102091
        (itf14("1950110102091", Bearer::None).unwrap(), "101011101000101000111011101011100010001011100010101011100010001011101110100010100011101110100010100011101110001011101010001011100011101".to_string()),
        // 5: zint -b 20 -d "ABC-123 xyz"
        (code128("ABC-123 xyz").unwrap(), "110100100001010001100010001011000100010001101001101110010011100110110011100101100101110011011001100111100100101101101111011011110110101000011001100011101011".to_string()),
        // 6: zint -b 16 -d "[01]09501101020917[17]270630[10]LOT1"
        (gs1_128(&es(&[("01", "09501101020917"), ("17", "270630"), ("10", "LOT1")])).unwrap(), "1101001110011110101110110011011001100100100011000101110110001001001100110110011001100110110010010001001110011010011100110111011001001001100100011011011000110010001001011110111010001101110100011101101101110001010011100110101000111101100011101011".to_string()),
        // 7: zint -b 8 -d ABC-123, wide 2X -> 3X
        (code39("ABC-123", false).unwrap(), widen("10010110110101101010010110101101001011011011010010101001010110110110100101011010110010101101101100101010100101101101")),
        // 8: zint -b 8 --vers=1 -d ABC-123 (check character W), wide 2X -> 3X
        (code39("ABC-123", true).unwrap(), widen("100101101101011010100101101011010010110110110100101010010101101101101001010110101100101011011011001010101100110101010100101101101")),
    ];
    for (i, (symbol, zint)) in rows.iter().enumerate() {
        assert_eq!(bits(symbol), *zint, "row {i}");
    }
}

fn t(text: &str, x: f32, anchor: TextAnchor, small: bool) -> TextSpan {
    TextSpan {
        text: text.into(),
        x,
        anchor,
        small,
    }
}

/// GS1 General Specifications 5.2.5: where the human-readable digits go.
#[test]
fn ean_upc_hri_guards_quiet_zones_and_light_margin_indicators() {
    use TextAnchor::{End, Middle, Start};

    let s = ean13("9501101020917").unwrap();
    assert_eq!(s.symbology, Symbology::Ean13);
    assert_eq!(
        s.hri,
        [
            t("9", -5.0, End, false),
            t("501101", 24.0, Middle, false),
            t("020917", 71.0, Middle, false)
        ]
    );
    assert_eq!(s.guards, [0..3, 45..50, 92..95]);
    assert_eq!(s.min_quiet_zone, (11, 7));
    assert_eq!(s.light_margin_indicators, [t(">", 102.0, End, false)]);

    let s = ean8("95011011").unwrap();
    assert_eq!(
        s.hri,
        [
            t("9501", 17.0, Middle, false),
            t("1011", 50.0, Middle, false)
        ]
    );
    assert_eq!(s.guards, [0..3, 31..36, 64..67]);
    assert_eq!(s.min_quiet_zone, (7, 7));
    assert_eq!(
        s.light_margin_indicators,
        [t("<", -7.0, Start, false), t(">", 74.0, End, false)]
    );

    let s = upca("012345000065").unwrap();
    assert_eq!(
        s.hri,
        [
            t("0", -5.0, End, true),
            t("12345", 27.5, Middle, false),
            t("00006", 67.5, Middle, false),
            t("5", 100.0, Start, true)
        ]
    );
    // Guards plus the first and last symbol characters.
    assert_eq!(s.guards, [0..10, 45..50, 85..95]);
    assert_eq!(s.min_quiet_zone, (9, 9));
    assert!(s.light_margin_indicators.is_empty());

    let s = upce("01234565").unwrap();
    assert_eq!(
        s.hri,
        [
            t("0", -5.0, End, true),
            t("123456", 24.0, Middle, false),
            t("5", 54.0, Start, true)
        ]
    );
    assert_eq!(s.guards, [0..3, 45..51]);
    assert_eq!(s.min_quiet_zone, (9, 7));
    assert!(s.light_margin_indicators.is_empty());
}

#[test]
fn itf_code128_code39_text_and_quiet_zones() {
    let s = itf14("19501101020914", Bearer::Frame).unwrap();
    assert_eq!(s.bearer, Bearer::Frame);
    assert_eq!(
        s.hri,
        [t("19501101020914", 67.5, TextAnchor::Middle, false)]
    );
    assert_eq!(s.min_quiet_zone, (10, 10));

    let hri = "(01)09501101020917(17)270630(10)LOT1";
    let s = gs1_128(&es(&[
        ("01", "09501101020917"),
        ("17", "270630"),
        ("10", "LOT1"),
    ]))
    .unwrap();
    assert_eq!(s.symbology, Symbology::Gs1_128);
    assert_eq!(s.hri[0].text, hri);
    assert_eq!(s.min_quiet_zone, (10, 10));

    let s = code128("a\tb").unwrap();
    assert_eq!(s.symbology, Symbology::Code128);
    // The HRI keeps the tab; the renderer prints it as `<HT>` (render::font::printed_text).
    assert_eq!(
        s.hri[0].text, "a\tb",
        "the HRI is the data, control characters too"
    );

    let s = code39("ABC-123", true).unwrap();
    assert_eq!(s.hri[0].text, "*ABC-123W*");
    assert_eq!(s.min_quiet_zone, (10, 10));
    assert_eq!(code39("ABC-123", false).unwrap().hri[0].text, "*ABC-123*");
}

#[test]
fn upc_conversions() {
    // (UPC-A, UPC-E)
    let rows = [
        ("012345000065", "01234565"), // 0: sample
        ("01234500006", "01234565"),  // 1: UPC-A without check digit
        ("012340000053", "01234543"), // 2
    ];
    for (i, (a, e)) in rows.iter().enumerate() {
        assert_eq!(upca_to_upce(a).unwrap(), *e, "row {i}");
    }
    assert_eq!(upce_to_upca("01234565").unwrap(), "012345000065");
    assert_eq!(upce_to_upca("0123456").unwrap(), "012345000065");
    assert_eq!(upce_to_upca("123456").unwrap(), "012345000065");
}

#[test]
fn ean_upc_errors() {
    // (result, expected error)
    let rows = [
        // 0: wrong check digit names the right one
        (ean13("9501101020918"), EanUpcError::CheckDigit { expected: 7, found: 8 }),
        // 1
        (ean13("95011010209"), EanUpcError::Length { symbology: "EAN-13", expected: "12 or 13", found: 11 }),
        // 2
        (ean8("9501101x"), EanUpcError::NotADigit { position: 8, found: 'x' }),
        // 3
        (upca("012345000066"), EanUpcError::CheckDigit { expected: 5, found: 6 }),
        // 4: UPC-E check digit is the expanded UPC-A's
        (upce("01234566"), EanUpcError::CheckDigit { expected: 5, found: 6 }),
        // 5: number system 1 is outside GS1
        (upce("1234565"), EanUpcError::UpcENumberSystem { found: 1 }),
        // 6: a UPC-A without the zeros UPC-E suppresses
        (upce("012345678905"), EanUpcError::NotSuppressible {
            upca: "012345678905".into(),
            reason: "GS1 zero suppression needs the digits after the number system to be XX[0-2]0000XXX, XXX00000XX, XXXX00000X or XXXXX0000[5-9]",
        }),
        // 7: non-zero number system cannot be suppressed
        (upce("112345000062"), EanUpcError::NotSuppressible {
            upca: "112345000062".into(),
            reason: "only number system 0 (U.P.C. prefix 0) can be zero-suppressed",
        }),
        // 8: last digit 3 with a manufacturer ending in 0..2 is the "0..2" rule's job
        (upce("120453"), EanUpcError::UpcENotCanonical {
            given: "120453".into(),
            upca: "012000000454".into(),
            canonical: "120450".into(),
        }),
        // 9
        (upce("12345"), EanUpcError::Length {
            symbology: "UPC-E",
            expected: "6, 7 or 8 (UPC-E), or 11 or 12 (UPC-A to zero-suppress)",
            found: 5,
        }),
        // 10: empty
        (ean13(""), EanUpcError::Length { symbology: "EAN-13", expected: "12 or 13", found: 0 }),
    ];
    for (i, (result, want)) in rows.into_iter().enumerate() {
        assert_eq!(result.unwrap_err(), want, "row {i}");
    }
}

#[test]
fn errors_name_the_rule() {
    let e = upce("012345678905").unwrap_err().to_string();
    assert!(e.contains("cannot be zero-suppressed"), "{e}");
    assert_eq!(
        ean13("9501101020918").unwrap_err().to_string(),
        "check digit is 8, expected 7"
    );
}

#[test]
fn itf_code39_code128_errors() {
    assert_eq!(
        itf14("19501101020915", Bearer::None).unwrap_err(),
        ItfError::CheckDigit {
            expected: 4,
            found: 5
        }
    );
    assert_eq!(
        itf14("195011010209", Bearer::None).unwrap_err(),
        ItfError::Length { found: 12 }
    );
    assert_eq!(
        itf14("1950110102091a", Bearer::None).unwrap_err(),
        ItfError::NotADigit {
            position: 14,
            found: 'a'
        }
    );

    assert_eq!(code39("", false).unwrap_err(), Code39Error::Empty);
    assert_eq!(
        code39("ABc", false).unwrap_err(),
        Code39Error::InvalidChar {
            position: 3,
            found: 'c'
        }
    );
    assert_eq!(
        code39("A*B", false).unwrap_err(),
        Code39Error::InvalidChar {
            position: 2,
            found: '*'
        }
    );

    assert_eq!(code128("").unwrap_err(), Code128Error::Empty);
    assert_eq!(
        code128("ab€").unwrap_err(),
        Code128Error::NotLatin1 {
            position: 3,
            found: '€'
        }
    );
    assert_eq!(
        code128(&"1".repeat(257)).unwrap_err(),
        Code128Error::TooLong {
            found: 257,
            max: 256
        }
    );
    assert_eq!(gs1_128(&es(&[])).unwrap_err(), Code128Error::Gs1Empty);
    assert_eq!(
        gs1_128(&es(&[("1", "x")])).unwrap_err(),
        Code128Error::Gs1Ai {
            index: 1,
            ai: "1".into()
        }
    );
    assert_eq!(
        gs1_128(&es(&[("10", "A"), ("21", "A\u{1d}B")])).unwrap_err(),
        Code128Error::Gs1Value {
            index: 2,
            ai: "21".into(),
            position: 2,
            found: '\u{1d}'
        }
    );
    // 01 + 14 + 10 + 20 + FNC1 + 21 + 10 = 16 + 22 + 1 + 12 = 51 > 48
    let long = "1".repeat(20);
    let serial = "2".repeat(10);
    assert_eq!(
        gs1_128(&es(&[
            ("01", "09501101020917"),
            ("10", &long),
            ("21", &serial)
        ]))
        .unwrap_err(),
        Code128Error::Gs1TooLong { found: 51 }
    );
}

proptest! {
    /// No input makes an encoder panic; every success begins and ends with a bar.
    #[test]
    fn encoders_never_panic(s in "\\PC{0,20}", digits in "[0-9]{0,15}") {
        let results: Vec<Option<Linear>> = vec![
            ean13(&s).ok(), ean13(&digits).ok(), ean8(&digits).ok(), upca(&digits).ok(),
            upce(&s).ok(), upce(&digits).ok(), itf14(&digits, Bearer::Bars).ok(),
            code128(&s).ok(), code39(&s, true).ok(),
            gs1_128(&es(&[(&digits, &s), ("10", &s)])).ok(),
        ];
        for symbol in results.into_iter().flatten() {
            prop_assert!(symbol.modules[0]);
            prop_assert!(symbol.modules[symbol.modules.len() - 1]);
        }
        let _ = (upca_to_upce(&digits), upce_to_upca(&digits), upce_to_upca(&s));
    }

    /// Every canonical UPC-E survives expansion and suppression.
    #[test]
    fn upce_round_trips(six in "[0-9]{6}") {
        if let Ok(a) = upce_to_upca(&six) {
            let e = upca_to_upce(&a).unwrap();
            prop_assert_eq!(&e[1..7], six.as_str());
        }
    }
}
