//! GS1 DataMatrix: read back by an independent decoder (rxing), sizes no larger than
//! Zint's and bwip-js's, and codewords checked against published examples.

use std::collections::HashSet;

use rxing::common::HybridBinarizer;
use rxing::{
    BarcodeFormat, BinaryBitmap, DecodeHints, Luma8LuminanceSource, MultiFormatReader, RXingResult,
    RXingResultMetadataType, RXingResultMetadataValue, Reader,
};
use shared::gs1::ElementString;
use shared::symbol::datamatrix::{
    encode_data, encode_in, gs1_data, gs1_datamatrix, matrix_of, sizes, DataChar, DataMatrixError,
    DmShape, Encoded, SIZES,
};
use shared::symbol::{Matrix, Symbology};

const PX: usize = 4;
const QUIET: usize = 2;

/// Grey image of the matrix: 4 px per module, a 2-module quiet zone.
fn rasterise(m: &Matrix) -> (Vec<u8>, usize, usize) {
    let w = (m.width + 2 * QUIET) * PX;
    let h = (m.height + 2 * QUIET) * PX;
    let mut pixels = vec![255u8; w * h];
    for y in 0..m.height {
        for x in 0..m.width {
            if m.get(x, y) {
                for dy in 0..PX {
                    let row = ((y + QUIET) * PX + dy) * w;
                    let col = (x + QUIET) * PX;
                    pixels[row + col..row + col + PX].fill(0);
                }
            }
        }
    }
    (pixels, w, h)
}

fn decode(m: &Matrix) -> RXingResult {
    let (pixels, w, h) = rasterise(m);
    let source = Luma8LuminanceSource::new(pixels, w as u32, h as u32).unwrap();
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let hints = DecodeHints {
        PossibleFormats: Some(HashSet::from([BarcodeFormat::DATA_MATRIX])),
        TryHarder: Some(true),
        ..Default::default()
    };
    MultiFormatReader::default()
        .decode_with_hints(&mut bitmap, &hints)
        .unwrap_or_else(|e| panic!("{}x{} did not decode: {e:?}", m.width, m.height))
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

fn es(bracketed: &str) -> ElementString {
    let es = ElementString::parse_bracketed(bracketed).unwrap();
    es.validate().unwrap();
    es
}

/// The inputs of the size comparison, with the sizes (rows x cols) that Zint 2.11.1
/// (`zint -b 71 --gs1 [--square]`) and bwip-js 4.11.4 (`gs1datamatrix`,
/// `format: square|rectangle`) chose for them.
struct SizeRow {
    input: &'static str,
    ours_square: (usize, usize),
    ours_rect: Option<(usize, usize)>,
    zint_square: (usize, usize),
    bwip_square: (usize, usize),
    bwip_rect: Option<(usize, usize)>,
}

const SIZE_TABLE: &[SizeRow] = &[
    // 0
    SizeRow {
        input: "(01)09501101020917(17)270630(10)LOT1",
        ours_square: (18, 18),
        ours_rect: Some((12, 36)),
        zint_square: (18, 18),
        bwip_square: (18, 18),
        bwip_rect: Some((12, 36)),
    },
    // 1
    SizeRow {
        input: "(01)09501101020917(17)270630(10)LOT1(21)SN1",
        ours_square: (22, 22),
        ours_rect: Some((16, 36)),
        zint_square: (22, 22),
        bwip_square: (22, 22),
        bwip_rect: Some((16, 36)),
    },
    // 2
    SizeRow {
        input: "(01)00012345678905(10)LOT-A001(21)SN-0001(17)270630",
        ours_square: (22, 22),
        ours_rect: Some((16, 36)),
        zint_square: (22, 22),
        bwip_square: (22, 22),
        bwip_rect: Some((16, 36)),
    },
    // 3
    SizeRow {
        input: "(01)09501101020917",
        ours_square: (16, 16),
        ours_rect: Some((8, 32)),
        zint_square: (16, 16),
        bwip_square: (16, 16),
        bwip_rect: Some((8, 32)),
    },
    // 4
    SizeRow {
        input: "(01)09501101020917(21)xK4pQ9zR2mW7tY1bN6vC",
        ours_square: (22, 22),
        ours_rect: Some((16, 36)),
        zint_square: (22, 22),
        bwip_square: (22, 22),
        bwip_rect: Some((16, 36)),
    },
    // 5
    SizeRow {
        input: "(01)09501101020917(10)12345678901234567890",
        ours_square: (20, 20),
        ours_rect: Some((12, 36)),
        zint_square: (20, 20),
        bwip_square: (20, 20),
        bwip_rect: Some((12, 36)),
    },
    // 6
    SizeRow {
        input: "(01)09501101020917(10)ABCDEFGHIJKLMNOPQRST",
        ours_square: (22, 22),
        ours_rect: Some((16, 36)),
        zint_square: (22, 22),
        bwip_square: (22, 22),
        bwip_rect: Some((16, 36)),
    },
    // 7
    SizeRow {
        input: "(10)ABC-12/x(01)09501101020917(21)a_b;c:d(91)SOME:PUNCT;-_",
        ours_square: (26, 26),
        ours_rect: Some((16, 48)),
        zint_square: (26, 26),
        bwip_square: (26, 26),
        bwip_rect: Some((16, 48)),
    },
    // 8
    SizeRow {
        input: "(01)09501101020917(240)AB*CD>EF*GH>IJ*KL>MNOPQRSTU(10)X",
        ours_square: (24, 24),
        ours_rect: Some((16, 48)),
        zint_square: (24, 24),
        bwip_square: (24, 24),
        bwip_rect: Some((16, 48)),
    },
];

#[test]
fn samples_decode_to_the_raw_element_string_as_gs1() {
    let inputs = [
        /* 0 */ "(01)09501101020917(17)270630(10)LOT1",
        /* 1 */ "(01)09501101020917(17)270630(10)LOT1(21)SN1",
        /* 2 */ "(01)00012345678905(10)LOT-A001(21)SN-0001(17)270630",
        /* 3 */ "(01)09501101020917",
        /* 4 */ "(01)09501101020917(21)xK4pQ9zR2mW7tY1bN6vC",
        /* 5 */ "(01)09501101020917(10)12345678901234567890",
        /* 6 */ "(01)09501101020917(10)ABCDEFGHIJKLMNOPQRST",
        /* 7 */ "(10)ABC-12/x(01)09501101020917(21)a_b;c:d(91)SOME:PUNCT;-_",
        /* 8 */ "(01)09501101020917(240)AB*CD>EF*GH>IJ*KL>MNOPQRSTU(10)X",
    ];
    for (i, input) in inputs.iter().enumerate() {
        let es = es(input);
        for shape in [DmShape::Square, DmShape::Rectangle] {
            let m = gs1_datamatrix(&es, shape).unwrap();
            assert_eq!(m.symbology, Symbology::Gs1DataMatrix);
            assert_eq!(m.min_quiet_zone, 1);
            assert_eq!(m.hri.as_deref(), Some(es.hri().as_str()));
            let result = decode(&m);
            assert_eq!(result.getText(), es.to_raw(), "row {i} {shape}");
            assert_eq!(symbology_id(&result), "]d2", "row {i} {shape}");
        }
    }
}

/// Every mode and end-of-data rule, forced through each symbol size, decodes.
#[test]
fn every_encodation_ending_decodes() {
    // Texts chosen to end in each mode with 0, 1 or 2 pending values.
    let texts = [
        "ABCDEFGHIJKL",          // C40, whole triplets
        "ABCDEFGHIJKLM",         // C40, one value pending
        "ABCDEFGHIJKLMN",        // C40, two values pending
        "abcdefghijklmn",        // Text
        "abcdefghijklm",         //
        "AB*CD>EF*GH>IJ*KL\rMN", // X12
        "AB*CD>EF*GH>IJ*KL\rM",  //
        "A.B.C.D.E.F.G.H.I.J.K", // EDIFACT
        "A.B.C.D.E.F.G.H.I.J.",  //
        "A.B.C.D.E.F.G.H.I.J",   //
        "A.B.C.D.E.F.G.H.I.",    //
        "1234567890123",         // ASCII pairs
    ];
    for (i, text) in texts.iter().enumerate() {
        let chars: Vec<DataChar> = std::iter::once(DataChar::Fnc1)
            .chain(text.bytes().map(DataChar::Byte))
            .collect();
        // Each size that holds the text: the end-of-data rule depends on the room left.
        for size in SIZES.iter().filter(|s| s.data_codewords <= 62) {
            let Ok(enc) = encode_in(&chars, &[*size], DmShape::Square) else {
                continue;
            };
            let result = decode(&matrix_of(&enc));
            assert_eq!(
                result.getText(),
                *text,
                "row {i} {}x{} {:?}",
                size.rows,
                size.cols,
                enc.codewords
            );
        }
    }
}

#[test]
fn smallest_size_never_larger_than_zint_or_bwip() {
    for (i, row) in SIZE_TABLE.iter().enumerate() {
        let es = es(row.input);
        let sq = gs1_datamatrix(&es, DmShape::Square).unwrap();
        assert_eq!((sq.height, sq.width), row.ours_square, "row {i} square");
        let area = |(r, c): (usize, usize)| r * c;
        assert!(area(row.ours_square) <= area(row.zint_square), "row {i}");
        assert!(area(row.ours_square) <= area(row.bwip_square), "row {i}");
        let rect = gs1_datamatrix(&es, DmShape::Rectangle)
            .ok()
            .map(|m| (m.height, m.width));
        assert_eq!(rect, row.ours_rect, "row {i} rectangle");
        if let (Some(ours), Some(bwip)) = (rect, row.bwip_rect) {
            assert!(area(ours) <= area(bwip), "row {i}");
        }
    }
}

#[test]
fn iso_16022_example_123456() {
    // ISO/IEC 16022 Annex O: "123456" is three digit pairs in a 10x10 symbol, followed by
    // the Reed-Solomon codewords 114 25 5 88 102.
    let chars: Vec<DataChar> = "123456".bytes().map(DataChar::Byte).collect();
    let enc = encode_data(&chars, DmShape::Square).unwrap();
    assert_eq!(enc.codewords, vec![142, 164, 186]);
    assert_eq!((enc.size.rows, enc.size.cols), (10, 10));
    let m = matrix_of(&enc);
    assert_eq!(decode(&m).getText(), "123456");
}

#[test]
fn separators_are_fnc1_never_ascii_gs() {
    // GIVEN a variable-length AI that is not last
    let es = es("(10)AB(01)09501101020917");
    let data = gs1_data(&es).unwrap();
    // THEN FNC1 starts the data and separates; no byte 29 is left
    assert_eq!(data[0], DataChar::Fnc1);
    assert_eq!(data[5], DataChar::Fnc1);
    assert!(!data.contains(&DataChar::Byte(29)));
    let enc = encode_data(&data, DmShape::Square).unwrap();
    assert_eq!(enc.codewords[0], 232);
    assert!(!enc.codewords.contains(&30), "{:?}", enc.codewords);
}

#[test]
fn codewords_of_known_gs1_examples() {
    // Data codewords of Zint 2.11.1's symbols (`zint -b 71 --gs1 --square --dump`, modules
    // read back into codewords with the datamatrix crate's MatrixMap::try_from_bits).
    // (bracketed input, data codewords)
    let rows: &[(&str, &[u8])] = &[
        /* 0 */
        (
            "(01)09501101020917(17)270630(10)LOT1",
            &[
                232, 131, 139, 180, 141, 131, 132, 139, 147, 147, 157, 136, 160, 140, 77, 80, 85,
                50,
            ],
        ),
        /* 1: FNC1 separator (232) after (10); C40 for "SN1" then 129 and randomised pads */
        (
            "(01)09501101020917(17)270630(10)LOT1(21)SN1",
            &[
                232, 131, 139, 180, 141, 131, 132, 139, 147, 147, 157, 136, 160, 140, 77, 80, 85,
                50, 232, 151, 84, 79, 50, 129, 59, 209, 104, 254, 150, 45,
            ],
        ),
        /* 2 */
        (
            "(01)09501101020917",
            &[232, 131, 139, 180, 141, 131, 132, 139, 147, 129, 251, 147],
        ),
    ];
    for (i, (input, expected)) in rows.iter().enumerate() {
        let enc = encode_data(&gs1_data(&es(input)).unwrap(), DmShape::Square).unwrap();
        assert_eq!(enc.codewords, *expected, "row {i}");
    }
    // Zint fills the 22x22 with 30 ASCII codewords for this serial; C40 needs 29 and ends
    // with one codeword left, read as ASCII with the unlatch implied (ISO/IEC 16022 5.2.5.2).
    let enc = encode_data(
        &gs1_data(&es("(01)09501101020917(21)xK4pQ9zR2mW7tY1bN6vC")).unwrap(),
        DmShape::Square,
    )
    .unwrap();
    assert_eq!(enc.codewords[10], 230, "{:?}", enc.codewords);
    assert_eq!(enc.codewords[29], 129, "{:?}", enc.codewords);
}

#[test]
fn whole_symbol_matches_zint_module_for_module() {
    // GIVEN the codewords above, Reed-Solomon and placement come from the datamatrix crate;
    // Zint 2.11.1 --dump of (01)09501101020917 (16x16), one hex row per module row.
    let zint = [
        "AAAA", "CF0B", "8A3E", "B349", "EA88", "86F7", "9F74", "9371", "81D2", "C4D9", "A772",
        "B557", "E526", "B5ED", "A18A", "FFFF",
    ];
    let m = gs1_datamatrix(&es("(01)09501101020917"), DmShape::Square).unwrap();
    let ours: Vec<String> = (0..m.height)
        .map(|y| {
            let bits = (0..m.width).fold(0u32, |acc, x| (acc << 1) | u32::from(m.get(x, y)));
            format!("{bits:04X}")
        })
        .collect();
    assert_eq!(ours, zint);
}

#[test]
fn pads_are_randomised_253_state() {
    // GIVEN one digit pair in a 10x10 (3 data codewords)
    let chars: Vec<DataChar> = "12".bytes().map(DataChar::Byte).collect();
    let enc = encode_data(&chars, DmShape::Square).unwrap();
    // THEN the first pad is 129 and the second is randomised for position 3:
    // 129 + (149 * 3 mod 253 + 1) = 324 > 254, so 324 - 254 = 70.
    assert_eq!(enc.codewords, vec![142, 129, 70]);
}

#[test]
fn every_size_matches_the_crate_layout_and_decodes() {
    // Our capacity table must agree with the crate's Reed-Solomon block setup (it asserts
    // the data length) and placement (the bitmap's size).
    for size in SIZES {
        let enc = Encoded {
            size,
            codewords: {
                let mut c = vec![232, 142];
                c.resize(size.data_codewords, 129);
                c
            },
        };
        let m = matrix_of(&enc);
        assert_eq!((m.height, m.width), (size.rows, size.cols));
    }
    assert_eq!(sizes(DmShape::Square).len(), 24);
    assert_eq!(sizes(DmShape::Rectangle).len(), 6);
}

#[test]
fn errors_name_the_problem() {
    assert_eq!(
        gs1_datamatrix(&ElementString::new(), DmShape::Square),
        Err(DataMatrixError::Empty)
    );
    assert_eq!(
        encode_data(&[], DmShape::Square),
        Err(DataMatrixError::Empty)
    );
    // 3,200 digits need 1,601 codewords; the 144x144 holds 1,558.
    let digits: Vec<DataChar> = std::iter::once(DataChar::Fnc1)
        .chain(std::iter::repeat_n(DataChar::Byte(b'7'), 3200))
        .collect();
    match encode_data(&digits, DmShape::Square) {
        Err(DataMatrixError::TooLong {
            needed, capacity, ..
        }) => {
            assert_eq!((needed, capacity), (1601, 1558))
        }
        other => panic!("{other:?}"),
    }
    // 3,114 digits fit the 144x144 exactly (FNC1 + 1,557 pairs).
    let fits: Vec<DataChar> = std::iter::once(DataChar::Fnc1)
        .chain(std::iter::repeat_n(DataChar::Byte(b'7'), 3114))
        .collect();
    assert_eq!(encode_data(&fits, DmShape::Square).unwrap().size.rows, 144);
    // A rectangle holds at most 49.
    let long = es("(01)09501101020917(10)ABCDEFGHIJKLMNOPQRST(21)abcdefghijklmnopqrst(240)ABCDEFGHIJKLMNOPQRSTUVWXYZ1234");
    let err = gs1_datamatrix(&long, DmShape::Rectangle).unwrap_err();
    assert!(
        matches!(
            err,
            DataMatrixError::TooLong {
                capacity: 49,
                rows: 16,
                cols: 48,
                ..
            }
        ),
        "{err}"
    );
    let bad = ElementString {
        ais: vec![("10".into(), "AB\u{1d}C".into())],
    };
    assert!(matches!(
        gs1_datamatrix(&bad, DmShape::Square),
        Err(DataMatrixError::Gs1Value {
            index: 1,
            position: 3,
            ..
        })
    ));
}

#[test]
#[ignore = "prints our sizes for the comparison table"]
fn print_sizes() {
    for input in [
        "(01)09501101020917(17)270630(10)LOT1",
        "(01)09501101020917(17)270630(10)LOT1(21)SN1",
        "(01)00012345678905(10)LOT-A001(21)SN-0001(17)270630",
        "(01)09501101020917",
        "(01)09501101020917(21)xK4pQ9zR2mW7tY1bN6vC",
        "(01)09501101020917(10)12345678901234567890",
        "(01)09501101020917(10)ABCDEFGHIJKLMNOPQRST",
        "(10)ABC-12/x(01)09501101020917(21)a_b;c:d(91)SOME:PUNCT;-_",
        "(01)09501101020917(240)AB*CD>EF*GH>IJ*KL>MNOPQRSTU(10)X",
    ] {
        let es = es(input);
        let sq = encode_data(&gs1_data(&es).unwrap(), DmShape::Square).unwrap();
        let rect = encode_data(&gs1_data(&es).unwrap(), DmShape::Rectangle).ok();
        println!(
            "{input}: square {}x{} {:?} rect {:?}",
            sq.size.rows,
            sq.size.cols,
            sq.codewords,
            rect.map(|r| (r.size.rows, r.size.cols, r.codewords))
        );
    }
}

#[test]
fn base256_segments_around_the_two_codeword_length_field() {
    // GIVEN runs of bytes >= 128 (two ASCII codewords each), some split by an FNC1
    // (which Base 256 cannot carry), around the 250-byte length where the length field
    // grows to two codewords
    for (len, fnc1_at) in [
        (1, None),
        (3, None),
        (248, None),
        (249, None),
        (250, None),
        (251, None),
        (400, None),
        (600, Some(300)),
        (520, Some(5)),
    ] {
        let bytes: Vec<u8> = (0..len).map(|i| 0x80 + (i * 7 % 128) as u8).collect();
        let mut chars: Vec<DataChar> = bytes.iter().map(|&b| DataChar::Byte(b)).collect();
        if let Some(at) = fnc1_at {
            chars.insert(at, DataChar::Fnc1);
        }
        // WHEN encoded
        let enc = encode_data(&chars, DmShape::Square).unwrap();
        // THEN each run is one Base 256 segment (latch, 1 or 2 length codewords, the
        // bytes), with FNC1 in ASCII between them, then a pad
        let segment = |n: usize| match n {
            0..=2 => 2 * n, // a latch and a length cost more than Upper Shift
            3..=249 => 2 + n,
            _ => 3 + n,
        };
        let used = match fnc1_at {
            None => segment(len),
            Some(at) => segment(at) + 1 + segment(len - at),
        };
        assert!(
            enc.codewords.len() >= used,
            "{len}: {}",
            enc.codewords.len()
        );
        if enc.codewords.len() > used {
            assert_eq!(enc.codewords[used], 129, "{len}: pad after {used}");
        }
        // AND the datamatrix crate's decoder reads the bytes back (FNC1 as GS)
        let mut expected = bytes.clone();
        if let Some(at) = fnc1_at {
            expected.insert(at, 29);
        }
        assert_eq!(
            datamatrix::data::decode_data(&enc.codewords).unwrap(),
            expected,
            "{len}"
        );
    }
}
