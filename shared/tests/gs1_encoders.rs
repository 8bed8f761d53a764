//! The GS1 Barcode Syntax Engine's API unit-test vectors (repository
//! `gs1/gs1-syntax-engine`, `src/c-lib/gs1encoders.c`), transcribed as data: one
//! row per vector that tests data behaviour we implement (element strings in
//! bracketed, `^` and scanned form, validation, HRI, Digital Link parsing and
//! generation), the engine test function named above each group.
//!
//! The engine's options are at their defaults unless a comment says otherwise. What
//! we do not model is left out with the reason in a comment: plain (non-AI) data,
//! composite components (`|`), the 64-AI and data-length caps, symbology selection,
//! data titles in the HRI and the option that permits unknown AIs (its vectors are
//! kept with the outcome the engine gives at its defaults: refused).
//!
//! Engine data strings use `^` for FNC1; outputs are compared in that form.

use shared::gs1::element_string::GS;
use shared::gs1::{DigitalLink, ElementString, Gs1Error};

#[derive(Clone, Copy, Debug)]
enum Kind {
    /// `gs1_encoder_setDataStr` / `setAIdataStr` / `setScanData`: the message read
    /// and validated. Output: the `^` data string (`getDataStr`).
    Set,
    /// `gs1_encoder_getAIdataStr`: the bracketed form of the message read.
    AiStr,
    /// `gs1_encoder_getScanData` with GS1-128: `]C1` and the raw data.
    ScanC1,
    /// `gs1_encoder_getHRI`: the HRI lines, joined by one space as ours are.
    Hri,
    /// `gs1_encoder_getDLuri` with this stem, from the message read.
    DlUri(&'static str),
    /// `gs1_encoder_getDLignoredQueryParams`: the query parameters that are not AIs,
    /// joined by `&`, a singleton as its name (the engine keeps them undecoded, we
    /// decode them: these vectors hold nothing encoded).
    Ignored,
}
use Kind::*;

#[derive(Clone, Copy, Debug)]
enum Exp {
    /// Accepted; the output must equal this.
    Pass(&'static str),
    /// Rejected.
    Fail,
    /// Rejected by this rule.
    FailRule(&'static str),
}
use Exp::*;

type Row = (Kind, &'static str, Exp);

/// The engine's `^` form of a message.
fn caret(es: &ElementString) -> String {
    format!("^{}", es.to_raw().replace(GS, "^"))
}

/// Reads data as `gs1_encoder_setDataStr` / `setAIdataStr` / `setScanData` do, for
/// the kinds of data we model: bracketed, `^` or scanned (`]C1`...) AI data, fully
/// validated, or a Digital Link URI.
fn read(input: &str) -> Result<ElementString, Gs1Error> {
    if input.starts_with("http://") || input.starts_with("https://") {
        return DigitalLink::parse(input).map(|dl| dl.to_element_string());
    }
    let es = if input.starts_with('(') {
        ElementString::parse_bracketed(input)?
    } else {
        ElementString::parse_raw(input)?
    };
    es.validate()?;
    Ok(es)
}

fn run_one(kind: Kind, input: &str) -> Result<String, Gs1Error> {
    match kind {
        Set => read(input).map(|es| caret(&es)),
        AiStr => read(input).map(|es| es.to_bracketed()),
        ScanC1 => read(input).map(|es| format!("]C1{}", es.to_raw())),
        Hri => read(input).map(|es| es.hri()),
        DlUri(stem) => {
            let es = read(input)?;
            Ok(DigitalLink::from_element_string(&es, Some(stem))?.to_string())
        }
        Ignored => DigitalLink::parse(input).map(|dl| {
            dl.other_params
                .iter()
                .map(|(k, v)| {
                    if v.is_empty() {
                        k.clone()
                    } else {
                        format!("{k}={v}")
                    }
                })
                .collect::<Vec<_>>()
                .join("&")
        }),
    }
}

fn check(name: &str, rows: &[Row]) {
    let mut bad = Vec::new();
    for (i, (kind, input, exp)) in rows.iter().enumerate() {
        let got = run_one(*kind, input);
        let ok = match (exp, &got) {
            (Pass(want), Ok(out)) => want == out,
            (Fail, r) => r.is_err(),
            (FailRule(rule), Err(e)) => e.rule() == *rule,
            _ => false,
        };
        if !ok {
            bad.push(format!(
                "row {i}: {kind:?} {input:?}: expected {exp:?}, got {got:?}"
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "{name}: {} of {} vectors disagree with the engine:\n{}",
        bad.len(),
        rows.len(),
        bad.join("\n")
    );
}

/// `test_api_getters`: the data vectors among the option getters.
#[test]
fn api_getters() {
    let rows: &[Row] = &[
        /* 0 */ (Set, "^0112312312312334", FailRule("csum")),
        // The engine checks only that a URI comes back.
        /* 1 */
        (
            DlUri("https://example.com"),
            "^0112312312312333",
            Pass("https://example.com/01/12312312312333"),
        ),
        // Valid data (the engine's setDataStr succeeds) without a URI.
        /* 2 */
        (
            DlUri("https://example.com"),
            "^99XYZ",
            FailRule("dl_no_primary_key"),
        ),
        // Not modelled: "(01)12312312312333|(10)ABC123", a composite component.
        /* 3 */
        (
            Ignored,
            "https://a/01/12312312312333?singleton&99=ABC",
            Pass("singleton"),
        ),
    ];
    check("test_api_getters", rows);
}

/// `test_api_dataStr`. Not modelled: plain data ("barcode", "", "a", and
/// "41512312312312328020REF00112991225|^99123123" without a leading `^`), composite
/// components ("^...|^99123123"), the MAX_DATA length cap on plain data and the
/// 64-AI cap (MAX_AIS: we have none, a request is bounded by its 2 MiB body).
#[test]
fn api_data_str() {
    let rows: &[Row] = &[
        // gs1_encoder_setAIdataStr error paths.
        // The engine fails in the linear part before it reaches the `|`.
        /* 0 */
        (Set, "(BADAI)DATA|(99)XYZ", Fail),
        /* 1 */ (Set, "(BADAI)DATA", Fail),
        // Not modelled: "(01)12312312312333|(BADAI)XYZ", which fails in the
        // composite component.
        /* 2 */
        (Set, "(01)12312312312334", FailRule("csum")),
        /* 3 */ (Set, "(99)ABC(99)XYZ", FailRule("duplicate_ai")),
        // gs1_encoder_setDataStr error paths.
        /* 4 */
        (Set, "https://a/NOPRIMARYAI", Fail),
        /* 5 */ (Set, "^00SHORT", Fail),
        /* 6 */ (Set, "^0112312312312334", FailRule("csum")),
        // The engine fails in the linear part before it reaches the `|`.
        /* 7 */
        (Set, "^00SHORT|^99XYZ", Fail),
        /* 8 */ (Set, "^99ABC^99XYZ", FailRule("duplicate_ai")),
    ];
    check("test_api_dataStr", rows);
    // The engine's MAX_AIS boundary: 64 identical AIs pass (so do 65 here: we
    // have no such cap).
    let at_cap = format!("^99XY{}", "^99XY".repeat(63));
    assert_eq!(run_one(Set, &at_cap), Ok(at_cap.clone()));
}

/// `test_api_getAIdataStr`. Not modelled: plain data ("TESTING") and the composite
/// "^...10ABC123|^99XYZ(TM)_CORP".
#[test]
fn api_get_ai_data_str() {
    let rows: &[Row] = &[
        /* 0 */
        (
            AiStr,
            "^011231231231233310ABC123",
            Pass("(01)12312312312333(10)ABC123"),
        ),
        // (235), not of predefined length, after (01), which is: no `^` before (235).
        /* 1 */
        (
            AiStr,
            "^0112312312312333235XYZ^10BATCH",
            Pass("(01)12312312312333(235)XYZ(10)BATCH"),
        ),
        /* 2 */
        (
            Set,
            "(01)12312312312333(235)XYZ(10)BATCH",
            Pass("^0112312312312333235XYZ^10BATCH"),
        ),
        // A `(` in the data is escaped.
        /* 3 */
        (
            AiStr,
            "^011231231231233310ABC(123",
            Pass("(01)12312312312333(10)ABC\\(123"),
        ),
        /* 4 */
        (
            AiStr,
            "https://example.org/01/12312312312333/10/ABC123",
            Pass("(01)12312312312333(10)ABC123"),
        ),
        // The engine takes a mixed-case scheme as plain data, which has no AI data
        // string; we take no plain data and refuse it as a URI.
        /* 5 */
        (
            AiStr,
            "HtTp://example.org/01/12312312312333/10/ABC123",
            Fail,
        ),
    ];
    check("test_api_getAIdataStr", rows);
}

/// `test_api_getScanData`. Not modelled: the DataBar Expanded vector with a
/// composite component (`]e0...|^98COMPOSITE^97XYZ`).
#[test]
fn api_get_scan_data() {
    let rows: &[Row] = &[
        // A GS only after (235), not between (01) and (235).
        /* 0 */
        (
            ScanC1,
            "^0112312312312333235XYZ^10BATCH",
            Pass("]C10112312312312333235XYZ\x1D10BATCH"),
        ),
    ];
    check("test_api_getScanData", rows);
}

/// `test_api_setScanData`. Not modelled: the symbology the engine selects from
/// the identifier (`]e0` is DataBar Expanded: we check the data only) and the
/// MAX_DATA cap on `]Q1` plain data.
#[test]
fn api_set_scan_data() {
    let rows: &[Row] = &[
        /* 0 */
        (
            Set,
            "]e0011231231231233310ABC123\x1D99XYZ",
            Pass("^011231231231233310ABC123^99XYZ"),
        ),
        /* 1 */ (Set, "]C199ABC\x1D99XYZ", FailRule("duplicate_ai")),
    ];
    check("test_api_setScanData", rows);
}

/// `test_api_getHRI` (and `test_api_copyHRI`, whose data is the same as rows 0
/// and 4 here, joined by `|`). Not modelled: the composite vectors and data titles
/// in the HRI. The vectors run with unknown AIs permitted are kept with the
/// outcome at the engine's defaults: refused.
#[test]
fn api_get_hri() {
    const H: &str = "(01) 12312312312333 (22) TESTING (99) ABC-123 (98) XYZ";
    let rows: &[Row] = &[
        /* 0 */
        (
            Hri,
            "^011231231231233310ABC123",
            Pass("(01) 12312312312333 (10) ABC123"),
        ),
        /* 1 */
        (
            Hri,
            "^0112312312312333235XYZ^10BATCH",
            Pass("(01) 12312312312333 (235) XYZ (10) BATCH"),
        ),
        /* 2 */
        (
            Hri,
            "(01)12312312312333(10)ABC123",
            Pass("(01) 12312312312333 (10) ABC123"),
        ),
        /* 3 */
        (
            Hri,
            "https://a/01/12312312312333/22/TESTING?99=ABC%2d123&98=XYZ",
            Pass(H),
        ),
        /* 4 */
        (
            Hri,
            "https://a/01/12312312312333/22/TESTING?singleton&99=ABC%2d123&compound1=QWERTY&98=XYZ&compound2=12345",
            Pass(H),
        ),
        // Run with unknown AIs permitted (not modelled): refused at the defaults.
        /* 5 */ (Hri, "(01)12312312312333(89)ABC123", FailRule("unknown_ai")),
        // Run with unknown AIs permitted and as data attributes (not modelled).
        /* 6 */
        (
            Hri,
            "https://a/01/12312312312333?89=TESTING&99=ABC%2d123&88=XYZ",
            FailRule("unknown_ai"),
        ),
        // Run with unknown AIs permitted: AIs of a known length by their prefix.
        /* 7 */ (Hri, "^236ABC123", Fail),
        /* 8 */ (Hri, "^8299ABC123", Fail),
    ];
    check("test_api_getHRI", rows);
}

/// `test_api_getDLignoredQueryParams` (and `test_api_copyDLignoredQueryParams`,
/// whose data is row 5's). The first vector, bracketed data, has no URI and so
/// no query: nothing to model.
#[test]
fn api_get_dl_ignored_query_params() {
    const U: &str = "https://a/01/12312312312333/22/TESTING";
    let rows: &[Row] = &[
        /* 0 */ (Ignored, "https://a/01/12312312312333/22/TESTING?99=ABC%2d123&98=XYZ", Pass("")),
        /* 1 */
        (
            Ignored,
            "https://a/01/12312312312333/22/TESTING?singleton&99=ABC%2d123",
            Pass("singleton"),
        ),
        /* 2 */
        (
            Ignored,
            "https://a/01/12312312312333/22/TESTING?99=ABC%2d123&singleton",
            Pass("singleton"),
        ),
        /* 3 */
        (
            Ignored,
            "https://a/01/12312312312333/22/TESTING?compound1=QWERTY&99=ABC%2d123",
            Pass("compound1=QWERTY"),
        ),
        /* 4 */
        (
            Ignored,
            "https://a/01/12312312312333/22/TESTING?99=ABC%2d123&compound1=QWERTY",
            Pass("compound1=QWERTY"),
        ),
        /* 5 */
        (
            Ignored,
            "https://a/01/12312312312333/22/TESTING?singleton1&compound1=QWERTY&99=ABC%2d123&singleton2&98=XYZ&compound2=12345",
            Pass("singleton1&compound1=QWERTY&singleton2&compound2=12345"),
        ),
    ];
    check("test_api_getDLignoredQueryParams", rows);
    // A parameter longer than 255 bytes is kept whole (the engine's regression for
    // a length once held in a byte).
    let long = "A".repeat(300);
    assert_eq!(run_one(Ignored, &format!("{U}?{long}")), Ok(long));
}
