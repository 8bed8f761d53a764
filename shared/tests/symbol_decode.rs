//! Every 1D encoder's output, rasterised by hand and read back by an independent decoder
//! (rxing, a port of ZXing): the right text, the right symbology.

use std::collections::HashSet;

use rxing::common::HybridBinarizer;
use rxing::{
    BarcodeFormat, BinaryBitmap, DecodeHints, Luma8LuminanceSource, MultiFormatReader, RXingResult,
    RXingResultMetadataType, RXingResultMetadataValue, Reader,
};
use shared::gs1::ElementString;
use shared::symbol::code128::{code128, code128_items, gs1_128, Code128Item};
use shared::symbol::code39::code39;
use shared::symbol::ean_upc::{ean13, ean8, upca, upce, upce_to_upca};
use shared::symbol::itf::itf14;
use shared::symbol::{Bearer, Linear};

/// An element string of `(AI, value)` pairs, in the order given.
fn es(pairs: &[(&str, &str)]) -> ElementString {
    pairs.iter().copied().collect()
}

const PX: usize = 3;
const HEIGHT: usize = 60;

/// Grey image of the modules: 3 px per module, at least 10 modules of quiet zone each side.
fn rasterise(modules: &[bool], quiet: (u32, u32)) -> (Vec<u8>, usize) {
    let left = quiet.0.max(10) as usize;
    let right = quiet.1.max(10) as usize;
    let mut row = vec![255u8; left * PX];
    for &dark in modules {
        row.extend([if dark { 0 } else { 255 }; PX]);
    }
    row.extend(vec![255u8; right * PX]);
    let width = row.len();
    (row.repeat(HEIGHT), width)
}

fn decode_with(modules: &[bool], quiet: (u32, u32), hints: DecodeHints) -> Option<RXingResult> {
    let (pixels, width) = rasterise(modules, quiet);
    let source = Luma8LuminanceSource::new(pixels, width as u32, HEIGHT as u32).ok()?;
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let formats: HashSet<BarcodeFormat> = [
        BarcodeFormat::EAN_13,
        BarcodeFormat::EAN_8,
        BarcodeFormat::UPC_A,
        BarcodeFormat::UPC_E,
        BarcodeFormat::ITF,
        BarcodeFormat::CODE_128,
        BarcodeFormat::CODE_39,
    ]
    .into();
    let hints = DecodeHints {
        PossibleFormats: Some(formats),
        TryHarder: Some(true),
        ..hints
    };
    MultiFormatReader::default()
        .decode_with_hints(&mut bitmap, &hints)
        .ok()
}

fn decode(symbol: &Linear) -> RXingResult {
    decode_with(
        &symbol.modules,
        symbol.min_quiet_zone,
        DecodeHints::default(),
    )
    .unwrap_or_else(|| panic!("{:?} did not decode", symbol.symbology))
}

/// Reads as a GS1 reader does: FNC1 first shows as `]C1`, later ones as GS.
fn decode_gs1(symbol: &Linear) -> RXingResult {
    let hints = DecodeHints {
        AssumeGs1: Some(true),
        ..Default::default()
    };
    decode_with(&symbol.modules, symbol.min_quiet_zone, hints)
        .unwrap_or_else(|| panic!("{:?} did not decode as GS1", symbol.symbology))
}

fn symbology_id(result: &RXingResult) -> String {
    match result
        .getRXingResultMetadata()
        .get(&RXingResultMetadataType::SYMBOLOGY_IDENTIFIER)
    {
        Some(RXingResultMetadataValue::SymbologyIdentifier(id)) => id.clone(),
        other => panic!("no symbology identifier: {other:?}"),
    }
}

#[test]
fn ean_upc_samples_decode() {
    // (symbol, decoded text, format, symbology identifier)
    let rows = [
        (
            ean13("9501101020917").unwrap(),
            "9501101020917",
            BarcodeFormat::EAN_13,
            "]E0",
        ), // 0
        (
            ean13("950110102091").unwrap(),
            "9501101020917",
            BarcodeFormat::EAN_13,
            "]E0",
        ), // 1: check digit computed
        (
            ean8("95011011").unwrap(),
            "95011011",
            BarcodeFormat::EAN_8,
            "]E4",
        ), // 2
        (
            upca("012345000065").unwrap(),
            "012345000065",
            BarcodeFormat::UPC_A,
            "]E0",
        ), // 3
        (
            upce("01234565").unwrap(),
            "01234565",
            BarcodeFormat::UPC_E,
            "]E0",
        ), // 4
        (
            upce("012345000065").unwrap(),
            "01234565",
            BarcodeFormat::UPC_E,
            "]E0",
        ), // 5: from UPC-A
        (
            upce("123456").unwrap(),
            "01234565",
            BarcodeFormat::UPC_E,
            "]E0",
        ), // 6: 6 digits
    ];
    for (i, (symbol, text, format, id)) in rows.iter().enumerate() {
        let result = decode(symbol);
        assert_eq!(result.getText(), *text, "row {i}");
        assert_eq!(result.getBarcodeFormat(), format, "row {i}");
        assert_eq!(symbology_id(&result), *id, "row {i}");
    }
}

#[test]
fn upce_decodes_to_the_digits_that_expand_to_its_upca() {
    let result = decode(&upce("01234565").unwrap());
    assert_eq!(upce_to_upca(result.getText()).unwrap(), "012345000065");
}

#[test]
fn itf14_sample_decodes_with_any_bearer() {
    for bearer in [Bearer::None, Bearer::Bars, Bearer::Frame] {
        let symbol = itf14("19501101020914", bearer).unwrap();
        let result = decode(&symbol);
        assert_eq!(result.getText(), "19501101020914");
        assert_eq!(result.getBarcodeFormat(), &BarcodeFormat::ITF);
    }
}

#[test]
fn code128_samples_decode() {
    // (input, decoded text)
    let rows = [
        ("ABC-123 xyz", "ABC-123 xyz"),                   // 0: the sample
        ("12345678901234567890", "12345678901234567890"), // 1: long digit string, all set C
        ("1234567890123456789", "1234567890123456789"),   // 2: odd digit run
        ("a\tb\x01c12345", "a\tb\x01c12345"),             // 3: lowercase with control chars (Shift)
        ("\x01\x02\x03abc", "\x01\x02\x03abc"),           // 4: controls then lowercase
        ("Grüße 99", "Grüße 99"),                         // 5: Latin-1 via FNC4
    ];
    for (i, (input, text)) in rows.iter().enumerate() {
        let result = decode(&code128(input).unwrap());
        assert_eq!(result.getText(), *text, "row {i}");
        assert_eq!(
            result.getBarcodeFormat(),
            &BarcodeFormat::CODE_128,
            "row {i}"
        );
        assert_eq!(symbology_id(&result), "]C0", "row {i}");
    }
}

#[test]
fn gs1_128_sample_decodes_with_fnc1() {
    // GIVEN the sample element strings, (10) variable-length but last: no separator after it
    let ais = [("01", "09501101020917"), ("17", "270630"), ("10", "LOT1")];
    let symbol = gs1_128(&es(&ais)).unwrap();
    // WHEN read as GS1 THEN FNC1 in first position shows as the ]C1 prefix
    let gs1 = decode_gs1(&symbol);
    assert_eq!(gs1.getText(), "]C101095011010209171727063010LOT1");
    // AND a plain read reports the GS1-128 symbology identifier
    let plain = decode(&symbol);
    assert_eq!(plain.getText(), "01095011010209171727063010LOT1");
    assert_eq!(symbology_id(&plain), "]C1");
}

#[test]
fn gs1_128_separator_after_a_variable_length_ai_reads_as_gs() {
    let ais = [("10", "LOT1"), ("17", "270630"), ("21", "12345")];
    let symbol = gs1_128(&es(&ais)).unwrap();
    let gs1 = decode_gs1(&symbol);
    assert_eq!(gs1.getText(), "]C110LOT1\u{1d}172706302112345");
}

#[test]
fn code128_fnc1_not_first_is_a_gs_to_a_gs1_reader() {
    let items: Vec<Code128Item> = b"AB"
        .iter()
        .map(|&b| Code128Item::Byte(b))
        .chain([Code128Item::Fnc1, Code128Item::Byte(b'7')])
        .collect();
    let symbol = code128_items(&items, "AB7".into()).unwrap();
    let result = decode_gs1(&symbol);
    assert_eq!(result.getText(), "AB\u{1d}7");
}

#[test]
fn code39_decodes_with_and_without_check_character() {
    let plain = decode(&code39("ABC-123", false).unwrap());
    assert_eq!(plain.getText(), "ABC-123");
    assert_eq!(plain.getBarcodeFormat(), &BarcodeFormat::CODE_39);

    // A=10 B=11 C=12 -=36 1 2 3: 75 mod 43 = 32 = W
    let checked = code39("ABC-123", true).unwrap();
    assert_eq!(decode(&checked).getText(), "ABC-123W");
    let verified = decode_with(
        &checked.modules,
        checked.min_quiet_zone,
        DecodeHints {
            AssumeCode39CheckDigit: Some(true),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(verified.getText(), "ABC-123");
}

#[test]
fn code39_full_set_decodes() {
    let data = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%";
    assert_eq!(decode(&code39(data, false).unwrap()).getText(), data);
}

/// The harness must be able to fail: a symbol with one symbol character's bars damaged
/// does not read as the original.
#[test]
fn damaged_symbols_do_not_decode_to_the_original() {
    let mut symbol = ean13("9501101020917").unwrap();
    // Swap the first left-half digit's pattern for another valid one (9 -> 8 in set A):
    // the check digit no longer holds.
    let eight = [false, true, true, false, true, true, true];
    symbol.modules.splice(3..10, eight);
    let result = decode_with(
        &symbol.modules,
        symbol.min_quiet_zone,
        DecodeHints::default(),
    );
    assert!(result.is_none_or(|r| r.getText() != "9501101020917"));

    let mut symbol = code128("ABC-123 xyz").unwrap();
    // Flip the second module of the first data character.
    symbol.modules[12] = !symbol.modules[12];
    let result = decode_with(
        &symbol.modules,
        symbol.min_quiet_zone,
        DecodeHints::default(),
    );
    assert!(result.is_none_or(|r| r.getText() != "ABC-123 xyz"));
}

/// Every data value of the Code 128 table is drawn somewhere in these two symbols: all
/// 128 ASCII characters (values 0..=95 of sets A and B, with Shift and switches) and all
/// 100 digit pairs of set C. FNC1 is covered by the GS1 tests; FNC2/FNC3 are never used.
#[test]
fn code128_whole_table_decodes() {
    let ascii: String = (0u8..128).map(char::from).collect();
    assert_eq!(decode(&code128(&ascii).unwrap()).getText(), ascii);
    let pairs: String = (0..100).map(|n| format!("{n:02}")).collect();
    assert_eq!(decode(&code128(&pairs).unwrap()).getText(), pairs);
}
