//! `gs1::scan::understand` over raw values as scanners send them: first a table of real
//! scanner outputs (AIM symbology identifiers, GS characters, Digital Links with custom
//! domains, UPC-E, add-ons, restricted circulation numbers, bad check digits, truncated
//! data), then the GS1 Barcode Syntax Engine's own scan-data vectors
//! (`src/c-lib/scandata.c`, `test_scandata_processScanData`), then the comparison of
//! client-sent fields that the captures endpoint makes.

use shared::gs1::scan::{understand, Scan, ScanKind, ScanStatus};
use shared::gs1::ElementString;

use ScanKind::{DigitalLink as Dl, ElementString as Es, Gtin, PlainText as Text};
use ScanStatus::{Matched, NotFound};

/// The products of the status column: a GTIN-13, a UPC-A (also as UPC-E) and an RCN-13.
const CATALOG: &[&str] = &["09501101020917", "00012345000065", "02012345000056"];

/// The AIs of a scan in bracketed form, `""` for none.
fn bracketed(scan: &Scan) -> String {
    ElementString {
        ais: scan.ais.clone(),
    }
    .to_bracketed()
}

fn status(scan: &Scan) -> ScanStatus {
    scan.status(|g| CATALOG.contains(&g.as_str()))
}

/// The status when the data is valid, else the failed rule and its AI.
type Expect = Result<ScanStatus, (&'static str, Option<&'static str>)>;

/// (raw value, kind, GTIN-14, AIs bracketed, add-on, expected)
type Row = (
    &'static str,
    ScanKind,
    Option<&'static str>,
    &'static str,
    Option<&'static str>,
    Expect,
);

const W: &str = "(01)09501101020917(17)270630(10)ABC(21)X";
const G: Option<&str> = Some("09501101020917");

#[test]
fn real_scanner_outputs() {
    #[rustfmt::skip]
    let rows: &[Row] = &[
        // EAN/UPC with symbology identifiers: ISO/IEC 15420 sends 13 digits for EAN-13,
        // UPC-A and UPC-E (the latter two with a leading 0), 8 for EAN-8.
        /* 0 */ ("]E09501101020917", Gtin, G, "(01)09501101020917", None, Ok(Matched)),
        /* 1 */ ("]E00012345678905", Gtin, Some("00012345678905"), "(01)00012345678905", None, Ok(NotFound)),
        /* 2 */ ("]E496385074", Gtin, Some("00000096385074"), "(01)00000096385074", None, Ok(NotFound)),
        // Add-ons, combined (]E3) or as a second packet (]E1, ]E2): kept apart.
        /* 3 */ ("]E3978020137962452495", Gtin, Some("09780201379624"), "(01)09780201379624", Some("52495"), Ok(NotFound)),
        /* 4 */ ("]E3001234500006512", Gtin, Some("00012345000065"), "(01)00012345000065", Some("12"), Ok(Matched)),
        /* 5 */ ("]E00060992011187]E112", Gtin, Some("00060992011187"), "(01)00060992011187", Some("12"), Ok(NotFound)),
        /* 6 */ ("]E400210126]E212345", Gtin, Some("00000000210126"), "(01)00000000210126", Some("12345"), Ok(NotFound)),
        // ITF-14.
        /* 7 */ ("]I119501101020914", Gtin, Some("19501101020914"), "(01)19501101020914", None, Ok(NotFound)),
        // GS1 element strings, GS for FNC1, in each GS1 symbology.
        /* 8 */ ("]C101095011010209171727063010ABC", Es, G, "(01)09501101020917(17)270630(10)ABC", None, Ok(Matched)),
        /* 9 */ ("]C101095011010209171727063010ABC\x1d21X", Es, G, W, None, Ok(Matched)),
        /* 10 */ ("]d201095011010209171727063010ABC\x1d21X", Es, G, W, None, Ok(Matched)),
        /* 11 */ ("]Q301095011010209171727063010ABC\x1d21X", Es, G, W, None, Ok(Matched)),
        /* 12 */ ("]J101095011010209171727063010ABC\x1d21X", Es, G, W, None, Ok(Matched)),
        /* 13 */ ("]e00109501101020917", Es, G, "(01)09501101020917", None, Ok(Matched)),
        // No symbology identifier: bracketed, or raw with GS.
        /* 14 */ ("(01)09501101020917(17)270630(10)ABC(21)X", Es, G, W, None, Ok(Matched)),
        /* 15 */ ("01095011010209171727063010ABC\x1d21X", Es, G, W, None, Ok(Matched)),
        // Digital Links: any domain and path prefix; the last primary key is the key.
        /* 16 */ ("]Q1https://example.com/shop/01/foo/01/09501101020917/10/ABC?17=270630", Dl, G, "(01)09501101020917(10)ABC(17)270630", None, Ok(Matched)),
        /* 17 */ ("]Q1HTTPS://ID.GS1.ORG/01/09501101020917", Dl, G, "(01)09501101020917", None, Ok(Matched)),
        /* 18 */ ("]d1https://id.gs1.org/01/09501101020917/21/X", Dl, G, "(01)09501101020917(21)X", None, Ok(Matched)),
        /* 19 */ ("https://example.com/01/9501101020917?3103=000500", Dl, G, "(01)09501101020917(3103)000500", None, Ok(Matched)),
        // Bare GTINs; 8 digits starting 0 with a UPC-E check digit are a UPC-E.
        /* 20 */ ("09501101020917", Gtin, G, "(01)09501101020917", None, Ok(Matched)),
        /* 21 */ ("9501101020917", Gtin, G, "(01)09501101020917", None, Ok(Matched)),
        /* 22 */ ("012345000065", Gtin, Some("00012345000065"), "(01)00012345000065", None, Ok(Matched)),
        /* 23 */ ("01234565", Gtin, Some("00012345000065"), "(01)00012345000065", None, Ok(Matched)),
        /* 24 */ ("06543217", Gtin, Some("00065100004327"), "(01)00065100004327", None, Ok(NotFound)),
        /* 25 */ ("06543211", Gtin, Some("00000006543211"), "(01)00000006543211", None, Ok(NotFound)),
        /* 26 */ ("96385074", Gtin, Some("00000096385074"), "(01)00000096385074", None, Ok(NotFound)),
        /* 27 */ ("]Q109501101020917", Gtin, G, "(01)09501101020917", None, Ok(Matched)),
        /* 28 */ ("09501101020917\r\n", Gtin, G, "(01)09501101020917", None, Ok(Matched)),
        // Valid GS1 data without a GTIN: SSCC, GLN, GRAI.
        /* 29 */ ("]C100106141411234567897", Es, None, "(00)106141411234567897", None, Ok(NotFound)),
        /* 30 */ ("]C14149501101020917", Es, None, "(414)9501101020917", None, Ok(NotFound)),
        /* 31 */ ("]C1800302112345678900ABC", Es, None, "(8003)02112345678900ABC", None, Ok(NotFound)),
        // Restricted circulation numbers (prefix 20-29, 02): GTINs like any other.
        /* 32 */ ("2012345000056", Gtin, Some("02012345000056"), "(01)02012345000056", None, Ok(Matched)),
        /* 33 */ ("]E00212345000052", Gtin, Some("00212345000052"), "(01)00212345000052", None, Ok(NotFound)),
        /* 34 */ ("]C10102012345000056", Es, Some("02012345000056"), "(01)02012345000056", None, Ok(Matched)),
        // EAN-13 with a composite component.
        /* 35 */ ("]E02112345678900|]e099COMPOSITE\x1d98XYZ", Es, Some("02112345678900"), "(01)02112345678900(99)COMPOSITE(98)XYZ", None, Ok(NotFound)),
        // Bad check digits.
        /* 36 */ ("09501101020918", Gtin, None, "", None, Err(("csum", Some("01")))),
        /* 37 */ ("]E09501101020918", Gtin, None, "", None, Err(("csum", Some("01")))),
        /* 38 */ ("]C10109501101020918", Es, None, "(01)09501101020918", None, Err(("csum", Some("01")))),
        /* 39 */ ("]Q1https://id.gs1.org/01/09501101020918", Dl, None, "", None, Err(("csum", Some("01")))),
        // Truncated data, wrong lengths.
        /* 40 */ ("]C10109501101", Es, None, "", None, Err(("length", Some("01")))),
        /* 41 */ ("95011010209", Gtin, None, "", None, Err(("length", Some("01")))),
        /* 42 */ ("]E0012345678905", Gtin, None, "", None, Err(("length", Some("01")))),
        /* 43 */ ("]E001234565", Gtin, None, "", None, Err(("length", Some("01")))),
        /* 44 */ ("]E39780201379624524", Gtin, None, "", None, Err(("length", Some("01")))),
        /* 45 */ ("]I11950110102091", Gtin, None, "", None, Err(("length", Some("01")))),
        // An unknown AI, a lint failure, a missing required AI.
        /* 46 */ ("]C1010950110102091789XYZ", Es, None, "", None, Err(("unknown_ai", None))),
        /* 47 */ ("(01)09501101020917(89)XYZ", Es, None, "", None, Err(("unknown_ai", Some("89")))),
        /* 48 */ ("]C1010950110102091717271330", Es, G, "(01)09501101020917(17)271330", None, Err(("yymmd0", Some("17")))),
        /* 49 */ ("(10)ABC", Es, None, "(10)ABC", None, Err(("req", Some("10")))),
        /* 50 */ ("]C110ABC", Es, None, "(10)ABC", None, Err(("req", Some("10")))),
        /* 51 */ ("]Q1https://example.com/01/09501101020917?21=123", Dl, None, "", None, Err(("dl_not_attribute", Some("21")))),
        // Not GS1 at all.
        /* 52 */ ("]Q1hello", Text, None, "", None, Err(("not_gs1", None))),
        /* 53 */ ("hello", Text, None, "", None, Err(("not_gs1", None))),
        /* 54 */ ("", Text, None, "", None, Err(("not_gs1", None))),
        /* 55 */ ("]A0CODE39", Text, None, "", None, Err(("symbology_identifier", None))),
        /* 56 */ ("]E212345", Gtin, None, "", None, Err(("addon", None))),
        // FNC1 details: a trailing GS is tolerated, one straight after ]C1 is not.
        /* 57 */ ("]C1010950110102091710ABC\x1d", Es, G, "(01)09501101020917(10)ABC", None, Ok(Matched)),
        /* 58 */ ("]C1\x1d0109501101020917", Es, None, "", None, Err(("syntax", None))),
    ];
    let mut bad = Vec::new();
    for (i, (raw, kind, gtin, ais, add_on, want)) in rows.iter().enumerate() {
        let scan = understand(raw);
        let got = match &scan.outcome {
            Ok(()) => Ok(status(&scan)),
            Err(e) => Err((e.rule, e.ai.as_deref())),
        };
        let got_row = (
            scan.kind,
            scan.gtin.as_ref().map(|g| g.as_str()),
            bracketed(&scan),
            scan.add_on.as_deref(),
            got,
        );
        let want_row = (*kind, *gtin, ais.to_string(), *add_on, *want);
        if got_row != want_row {
            bad.push(format!(
                "row {i} {raw:?}:\n   got {got_row:?} ({:?})\n  want {want_row:?}",
                scan.error_message()
            ));
        }
        if scan.outcome.is_err() {
            assert_eq!(status(&scan), ScanStatus::Error, "row {i}");
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} rows:\n{}",
        bad.len(),
        rows.len(),
        bad.join("\n")
    );
}

#[test]
fn symbology_identifiers_are_kept() {
    // (raw, identifier)
    let rows: &[(&str, Option<&str>)] = &[
        /* 0 */ ("]E09501101020917", Some("]E0")),
        /* 1 */ ("]C10109501101020917", Some("]C1")),
        /* 2 */ ("]Q1hello", Some("]Q1")),
        /* 3 */ ("]XX", Some("]XX")),
        /* 4 */ ("09501101020917", None),
        /* 5 */ ("]", None),
    ];
    for (i, (raw, want)) in rows.iter().enumerate() {
        assert_eq!(
            understand(raw).symbology_identifier.as_deref(),
            *want,
            "row {i}"
        );
    }
}

/// What the engine's `gs1_processScanData` makes of a vector.
#[derive(Debug, Clone, Copy)]
enum Engine {
    /// Refused.
    Fails,
    /// Accepted as GS1 data with these AIs (bracketed). An EAN/UPC primary, which the
    /// engine keeps as bare digits, is AI (01) to us.
    Ais(&'static str),
    /// Accepted as plain data with no AIs: to us plain text, rule `not_gs1`.
    Plain,
}
use Engine::*;

/// Whether our reading agrees with the engine's.
fn agrees(scan: &Scan, engine: Engine) -> bool {
    match engine {
        Fails => scan.outcome.is_err(),
        Ais(ais) => scan.outcome.is_ok() && bracketed(scan) == ais,
        Plain => scan.ais.is_empty() && scan.outcome.as_ref().is_err_and(|e| e.rule == "not_gs1"),
    }
}

/// scandata.c `test_scandata_processScanData`, every vector in order but the MAX_DATA
/// boundary (a limit of the engine's buffers, which we do not have).
#[test]
fn engine_scan_data_vectors() {
    const T: &str = "(01)12312312312333(10)ABC123(99)TESTING";
    const DL: &str = "(01)12312312312333(99)TEST";
    let rows: &[(&str, Engine)] = &[
        /* 0 */ ("", Fails),
        /* 1 */ ("ABC", Fails),
        /* 2 */ ("]", Fails),
        /* 3 */ ("]X", Fails),
        /* 4 */ ("]XX", Fails),
        /* 5 */ ("]e0", Fails),
        /* 6 */ ("]Q1", Plain),
        /* 7 */ ("]Q1TESTING", Plain),
        /* 8 */ ("]Q1^TESTING", Plain),
        /* 9 */ ("]Q1\\^TESTING", Plain),
        /* 10 */ ("]Q3", Fails),
        /* 11 */ ("]Q3011231231231233310ABC123\x1D99TESTING", Ais(T)),
        /* 12 */
        ("]Q1https://example.com/01/12312312312333?99=TEST", Ais(DL)),
        /* 13 */
        ("]Q1HTTPS://example.com/01/12312312312333?99=TEST", Ais(DL)),
        /* 14 */
        ("]Q1HtTps://example.com/01/12312312312333?99=TEST", Plain),
        /* 15 */ ("]d1", Plain),
        /* 16 */ ("]d1TESTING", Plain),
        /* 17 */ ("]d1^TESTING", Plain),
        /* 18 */ ("]d1\\^TESTING", Plain),
        /* 19 */ ("]d2", Fails),
        /* 20 */ ("]d2011231231231233310ABC123\x1D99TESTING", Ais(T)),
        /* 21 */
        ("]d1https://example.com/01/12312312312333?99=TEST", Ais(DL)),
        /* 22 */ ("]J0", Plain),
        /* 23 */ ("]J0TESTING", Plain),
        /* 24 */ ("]J0^TESTING", Plain),
        /* 25 */ ("]J0\\^TESTING", Plain),
        /* 26 */ ("]J1", Fails),
        /* 27 */ ("]J1011231231231233310ABC123\x1D99TESTING", Ais(T)),
        /* 28 */
        ("]J0https://example.com/01/12312312312333?99=TEST", Ais(DL)),
        /* 29 */ ("]e0", Fails),
        /* 30 */ ("]e0011231231231233310ABC123\x1D99TESTING", Ais(T)),
        /* 31 */
        (
            "]e0011231231231233310ABC123\x1D99TESTING\x1D98XYZ",
            Ais("(01)12312312312333(10)ABC123(99)TESTING(98)XYZ"),
        ),
        /* 32 */
        (
            "]e0011231231231233310ABC123\x1D1199122598TESTING\x1D97XYZ",
            Ais("(01)12312312312333(10)ABC123(11)991225(98)TESTING(97)XYZ"),
        ),
        /* 33 */
        (
            "]e00112312312312333235XYZ\x1D10ABC",
            Ais("(01)12312312312333(235)XYZ(10)ABC"),
        ),
        /* 34 */ ("]C1", Fails),
        /* 35 */ ("]C1011231231231233310ABC123\x1D99TESTING", Ais(T)),
        /* 36 */
        (
            "]C10112312312312333235XYZ",
            Ais("(01)12312312312333(235)XYZ"),
        ),
        /* 37 */
        (
            "]C10112312312312333235XYZ\x1D10ABC",
            Ais("(01)12312312312333(235)XYZ(10)ABC"),
        ),
        /* 38 */ ("]E0", Fails),
        /* 39 */ ("]E0123456789012", Fails),
        /* 40 */ ("]E012345678901234", Fails),
        /* 41 */ ("]E01234ABC890123", Fails),
        /* 42 */ ("]E02112345678901", Fails),
        /* 43 */ ("]E02112345678900", Ais("(01)02112345678900")),
        /* 44 */
        (
            "]E02112345678900|]e099COMPOSITE\x1D98XYZ",
            Ais("(01)02112345678900(99)COMPOSITE(98)XYZ"),
        ),
        /* 45 */ ("]E4", Fails),
        /* 46 */ ("]E41234567", Fails),
        /* 47 */ ("]E4123456789", Fails),
        /* 48 */ ("]E412ABC678", Fails),
        /* 49 */ ("]E402345674", Fails),
        /* 50 */ ("]E402345673", Ais("(01)00000002345673")),
        /* 51 */
        (
            "]E402345673|]e099COMPOSITE\x1D98XYZ",
            Ais("(01)00000002345673(99)COMPOSITE(98)XYZ"),
        ),
        /* 52 */ ("]C101123123123133^10ABC", Fails),
        /* 53 */ ("]Q1https://a/NOPRIMARYAI", Fails),
    ];
    let bad: Vec<String> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, (raw, engine))| {
            let scan = understand(raw);
            (!agrees(&scan, *engine)).then(|| {
                format!(
                    "row {i} {raw:?}: engine {engine:?}, we {:?} {:?}",
                    bracketed(&scan),
                    scan.outcome
                )
            })
        })
        .collect();
    assert!(
        bad.is_empty(),
        "{} of {} engine vectors disagree:\n{}",
        bad.len(),
        rows.len(),
        bad.join("\n")
    );
}

#[test]
fn client_fields_that_contradict_the_raw_value() {
    type Pairs = &'static [(&'static str, &'static str)];
    // (raw, client gtin, client gs1_dl_data, contradiction: (field, AI) or None)
    #[rustfmt::skip]
    type Contradicted = Option<(&'static str, Option<&'static str>)>;
    let rows: &[(&str, Option<&str>, Option<Pairs>, Contradicted)] = &[
        /* 0 */ ("]E09501101020917", Some("9501101020917"), None, None),
        /* 1 */
        (
            "]E09501101020917",
            Some("09501101020924"),
            None,
            Some(("gtin", None)),
        ),
        /* 2 */ ("]E09501101020917", Some("123"), None, Some(("gtin", None))),
        // GIVEN an SSCC, which carries no GTIN, WHEN the client sends one THEN it contradicts.
        /* 3 */
        (
            "]C100106141411234567897",
            Some("09501101020917"),
            None,
            Some(("gtin", None)),
        ),
        // GIVEN unreadable data WHEN the client sends a GTIN THEN nothing backs it.
        /* 4 */
        (
            "09501101020918",
            Some("09501101020917"),
            None,
            Some(("gtin", None)),
        ),
        /* 5 */
        (
            "]C101095011010209171727063010ABC\x1d21X",
            None,
            Some(&[("10", "ABC"), ("17", "270630")]),
            None,
        ),
        /* 6 */
        (
            "]C101095011010209171727063010ABC\x1d21X",
            None,
            Some(&[("10", "XYZ")]),
            Some(("gs1_dl_data", Some("10"))),
        ),
        /* 7 */
        (
            "]C101095011010209171727063010ABC\x1d21X",
            None,
            Some(&[("22", "Q")]),
            Some(("gs1_dl_data", Some("22"))),
        ),
        /* 8 */
        (
            "]C101095011010209171727063010ABC\x1d21X",
            None,
            Some(&[("01", "9501101020917")]),
            None,
        ),
        /* 9 */
        (
            "]C101095011010209171727063010ABC\x1d21X",
            Some("09501101020917"),
            Some(&[]),
            None,
        ),
        /* 10 */
        (
            "https://example.com/01/09501101020917/10/ABC",
            None,
            Some(&[("10", "ABC")]),
            None,
        ),
    ];
    for (i, (raw, gtin, data, want)) in rows.iter().enumerate() {
        let data: Option<Vec<(String, String)>> = data.map(|d| {
            d.iter()
                .map(|(a, v)| (a.to_string(), v.to_string()))
                .collect()
        });
        let got = understand(raw).contradicts(*gtin, data.as_deref());
        assert_eq!(
            got.as_ref().map(|c| (c.field, c.ai.as_deref())),
            *want,
            "row {i}: {got:?}"
        );
    }
}
