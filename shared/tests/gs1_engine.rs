//! The GS1 Barcode Syntax Engine's own unit-test vectors (repository
//! `gs1/gs1-syntax-engine`, `src/c-lib/`), transcribed as data: one row per
//! vector, the engine function it comes from named above each group.
//!
//! The engine's options are at their defaults (unknown AIs not permitted,
//! zero-suppressed GTINs in DL paths not permitted, convenience alphas not
//! permitted, all validations on). Vectors that the engine runs with another
//! setting say so: those we model run with it (`DlZ`), the others are kept with
//! the outcome the engine gives at its defaults.
//!
//! Engine data strings use `^` for FNC1; outputs are compared in that form.

use shared::gs1::digital_link::ParseOptions;
use shared::gs1::element_string::{validate_value, GS};
use shared::gs1::lint::{self, LintResult};
use shared::gs1::{ai, DigitalLink, ElementString, Gs1Error};

#[derive(Clone, Copy, Debug)]
enum Kind {
    /// Bracketed data, each AI's value checked (engine `gs1_parseAIdata`: no
    /// req/ex/repeat checks). Output: the `^` data string.
    Bp,
    /// Bracketed data, fully validated (parse, values, then associations).
    B,
    /// Raw / scan data, each AI's value checked (engine `gs1_processAIdata`,
    /// `gs1_processScanData`). Output: the `^` data string.
    Rp,
    /// Digital Link URI parsed with default options. Output: the `^` data string.
    Dl,
    /// Digital Link URI parsed permitting zero-suppressed GTINs in the path.
    DlZ,
    /// Canonical Digital Link built from bracketed data, with this stem (None =
    /// `https://id.gs1.org`). Output: the URI.
    Gen(Option<&'static str>),
    /// One linter applied to the data.
    Lint(fn(&str) -> LintResult),
}
use Kind::*;

#[derive(Clone, Copy, Debug)]
enum Exp {
    /// Accepted; the output must equal this unless it is empty.
    Pass(&'static str),
    /// Rejected.
    Fail,
    /// Rejected by this rule (the engine tests one validation function).
    FailRule(&'static str),
    /// Not rejected by this rule (the engine tests one validation function;
    /// other rules may still reject the message).
    NotRule(&'static str),
}
use Exp::*;

type Row = (Kind, &'static str, Exp);

/// The engine's `^` form of a message: FNC1 first, then after each value that
/// is not of predefined length, except the last.
fn caret(es: &ElementString) -> String {
    format!("^{}", es.to_raw().replace(GS, "^"))
}

fn values_ok(es: ElementString) -> Result<ElementString, Gs1Error> {
    for (a, v) in &es.ais {
        let e = ai::lookup(a).ok_or_else(|| Gs1Error::new("unknown_ai", a.clone()))?;
        validate_value(e, v)?;
    }
    Ok(es)
}

fn run_one(kind: Kind, input: &str) -> Result<String, Gs1Error> {
    match kind {
        Bp => ElementString::parse_bracketed(input)
            .and_then(values_ok)
            .map(|e| caret(&e)),
        B => {
            let es = ElementString::parse_bracketed(input)?;
            es.validate()?;
            Ok(caret(&es))
        }
        Rp => {
            // Engine data strings start with "^"; scan data with "]".
            ElementString::parse_raw(input)
                .and_then(values_ok)
                .map(|e| caret(&e))
        }
        Dl => DigitalLink::parse(input).map(|d| caret(&d.to_element_string())),
        DlZ => DigitalLink::parse_with(
            input,
            ParseOptions {
                permit_zero_suppressed_gtin: true,
            },
        )
        .map(|d| caret(&d.to_element_string())),
        Lint(f) => f(input)
            .map(|()| String::new())
            .map_err(|e| Gs1Error::new(e.rule, e.msg)),
        Gen(stem) => {
            let es = ElementString::parse_bracketed(input)?;
            DigitalLink::from_element_string(&es, stem)
                .map(|d| d.to_string())
                .map_err(Gs1Error::from)
        }
    }
}

/// Runs the rows, returning one line per disagreement with the engine.
fn disagreements(rows: &[Row]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, (kind, input, exp)) in rows.iter().enumerate() {
        let got = run_one(*kind, input);
        let ok = match (exp, &got) {
            (Pass(want), Result::Ok(out)) => want.is_empty() || want == out,
            (Pass(_), Err(_)) => false,
            (Fail, r) => r.is_err(),
            (FailRule(rule), Err(e)) => e.rule() == *rule,
            (FailRule(_), Result::Ok(_)) => false,
            (NotRule(rule), r) => r.as_ref().err().is_none_or(|e| e.rule() != *rule),
        };
        if !ok {
            out.push(format!(
                "row {i}: {kind:?} {input:?}: expected {exp:?}, got {got:?}"
            ));
        }
    }
    out
}

fn check(name: &str, rows: &[Row]) {
    let bad = disagreements(rows);
    assert!(
        bad.is_empty(),
        "{name}: {} of {} vectors disagree with the engine:\n{}",
        bad.len(),
        rows.len(),
        bad.join("\n")
    );
}

/// ai.c: `test_ai_parseAIdata` (bracketed data to the `^` data string).
#[test]
fn ai_parse_ai_data() {
    let rows: &[Row] = &[
        /* 0 */ (Bp, "(01)12345678901231", Pass("^0112345678901231")),
        /* 1 */ (Bp, "(10)12345", Pass("^1012345")),
        /* 2 */
        (
            Bp,
            "(01)12345678901231(10)12345",
            Pass("^01123456789012311012345"),
        ),
        /* 3 */ (Bp, "(3100)123456(10)12345", Pass("^31001234561012345")),
        /* 4 */ (Bp, "(10)12345(11)991225", Pass("^1012345^11991225")),
        /* 5 */ (Bp, "(3900)12345(11)991225", Pass("^390012345^11991225")),
        /* 6 */ (Bp, "(10)12345\\(11)991225", Pass("^1012345(11)991225")),
        /* 7 */ (Bp, "(10)12345\\(", Pass("^1012345(")),
        /* 8 */ (Bp, "(10)(11)98765", Fail),
        /* 9 */ (Bp, "(10)12345(11)", Fail),
        /* 10 */ (Bp, "(1A)12345", Fail),
        /* 11 */ (Bp, "1(12345", Fail),
        /* 12 */ (Bp, "12345", Fail),
        /* 13 */ (Bp, "()12345", Fail),
        /* 14 */ (Bp, "(1)12345", Fail),
        /* 15 */ (Bp, "(12345)12345", Fail),
        /* 16 */ (Bp, "(15", Fail),
        /* 17 */ (Bp, "(1", Fail),
        /* 18 */ (Bp, "(", Fail),
        /* 19 */ (Bp, "(01)123456789012312(10)12345", Fail),
        /* 20 */ (Bp, "(10)12345^", Fail),
        /* 21 */ (Bp, "(17)9(90)217", Fail),
    ];
    check("test_ai_parseAIdata", rows);
}

/// ai.c: `test_ai_linters` (each linter error triggered through a real AI; the
/// engine's expected GS1_LINTER_* code is in the comment).
#[test]
fn ai_linters() {
    let rows: &[Row] = &[
        /* 0 */ (Bp, "(00)123456789012345675", Pass("")), // OK
        /* 1 */ (Bp, "(00)A23456789012345675", Fail), // NON_DIGIT_CHARACTER
        /* 2 */ (Bp, "(10) ", Fail), // INVALID_CSET82_CHARACTER
        /* 3 */ (Bp, "(8010)123456_", Fail), // INVALID_CSET39_CHARACTER
        /* 4 */ (Bp, "(8030)ABC:123", Fail), // INVALID_CSET64_CHARACTER
        /* 5 */ (Bp, "(8030)123=", Fail), // INVALID_CSET64_PADDING
        /* 6 */ (Bp, "(00)123456789012345670", Fail), // INCORRECT_CHECK_DIGIT
        /* 7 */ (Bp, "(00)123456789012345675", Pass("")), // OK
        /* 8 */ (Bp, "(8013)123456ABXX", Fail), // INCORRECT_CHECK_PAIR
        /* 9 */ (Bp, "(8013)A", Fail), // TOO_SHORT_FOR_CHECK_PAIR
        /* 10 */ (Bp, "(401)123", Fail), // TOO_SHORT_FOR_GCP
        /* 11 */ (Bp, "(7023)12A4", Fail), // INVALID_GCP_PREFIX
        /* 12 */ (Bp, "(7040)1AB=", Fail), // INVALID_IMPORT_IDX_CHARACTER
        /* 13 */ (Bp, "(8001)12340000012311", Fail), // ILLEGAL_ZERO_VALUE
        /* 14 */ (Bp, "(8003)112345678901281234567890123456", Fail), // NOT_ZERO
        /* 15 */ (Bp, "(8011)023456789012", Fail), // ILLEGAL_ZERO_PREFIX
        /* 16 */ (Bp, "(4321)2", Fail), // NOT_ZERO_OR_ONE
        /* 17 */ (Bp, "(8001)12341234512321", Fail), // INVALID_WINDING_DIRECTION
        /* 18 */ (Bp, "(426)987", Fail), // NOT_ISO3166
        /* 19 */ (Bp, "(7030)987ABC", Fail), // NOT_ISO3166_OR_999
        /* 20 */ (Bp, "(4307)AA", Fail), // NOT_ISO3166_ALPHA2
        /* 21 */ (Bp, "(3910)9870", Fail), // NOT_ISO4217
        /* 22 */ (Bp, "(8007)FR1234", Fail), // IBAN_TOO_SHORT
        /* 23 */ (Bp, "(8007)FR12_45678901234", Fail), // INVALID_IBAN_CHARACTER
        /* 24 */ (Bp, "(8007)AB12345678901234", Fail), // ILLEGAL_IBAN_COUNTRY_CODE
        /* 25 */ (Bp, "(8007)FR12345678901234", Fail), // INCORRECT_IBAN_CHECKSUM
        /* 26 */ (Bp, "(4326)201300", Fail), // ILLEGAL_MONTH
        /* 27 */ (Bp, "(4326)201200", Fail), // ILLEGAL_DAY
        /* 28 */ (Bp, "(4324)2012252400", Fail), // ILLEGAL_HOUR
        /* 29 */ (Bp, "(4324)2012252360", Fail), // ILLEGAL_MINUTE
        /* 30 */ (Bp, "(8008)201225230060", Fail), // ILLEGAL_SECOND
        /* 31 */ (Bp, "(8026)123456789012310099", Fail), // ZERO_PIECE_NUMBER
        /* 32 */ (Bp, "(8026)123456789012310100", Fail), // ZERO_TOTAL_PIECES
        /* 33 */ (Bp, "(8026)123456789012310302", Fail), // PIECE_NUMBER_EXCEEDS_TOTAL
        /* 34 */ (Bp, "(4300)ABC%0g", Fail), // INVALID_PERCENT_SEQUENCE
        /* 35 */
        (Bp, "(8112)201234561234560123456", Fail), // COUPON_INVALID_FORMAT_CODE
        /* 36 */ (Bp, "(8112)0", Fail), // COUPON_MISSING_FUNDER_VLI
        /* 37 */ (Bp, "(8112)07", Fail), // COUPON_INVALID_FUNDER_LENGTH
        /* 38 */ (Bp, "(8112)01123456", Fail), // COUPON_TRUNCATED_FUNDER
        /* 39 */ (Bp, "(8112)00123456", Fail), // COUPON_TRUNCATED_OFFER_CODE
        /* 40 */ (Bp, "(8112)00123456123456", Fail), // COUPON_MISSING_SERIAL_NUMBER_VLI
        /* 41 */ (Bp, "(8112)001234561234560", Fail), // COUPON_TRUNCATED_SERIAL_NUMBER
        /* 42 */ (Bp, "(8110)71234567890123", Fail), // COUPON_INVALID_GCP_LENGTH
        /* 43 */ (Bp, "(8110)012345", Fail), // COUPON_TRUNCATED_GCP
        /* 44 */ (Bp, "(8110)0123456123456", Fail), // COUPON_MISSING_SAVE_VALUE_VLI
        /* 45 */ (Bp, "(8110)01234561234560", Fail), // COUPON_INVALID_SAVE_VALUE_LENGTH
        /* 46 */ (Bp, "(8110)01234561234561", Fail), // COUPON_TRUNCATED_SAVE_VALUE
        /* 47 */
        (Bp, "(8110)012345612345611", Fail), // COUPON_MISSING_1ST_PURCHASE_REQUIREMENT_VLI
        /* 48 */
        (Bp, "(8110)0123456123456116123456", Fail), // COUPON_INVALID_1ST_PURCHASE_REQUIREMENT_LENGTH
        /* 49 */
        (Bp, "(8110)0123456123456111", Fail), // COUPON_TRUNCATED_1ST_PURCHASE_REQUIREMENT
        /* 50 */
        (Bp, "(8110)01234561234561111", Fail), // COUPON_MISSING_1ST_PURCHASE_REQUIREMENT_CODE
        /* 51 */
        (Bp, "(8110)012345612345611115", Fail), // COUPON_INVALID_1ST_PURCHASE_REQUIREMENT_CODE
        /* 52 */
        (Bp, "(8110)012345612345611119", Fail), // COUPON_TRUNCATED_1ST_PURCHASE_FAMILY_CODE
        /* 53 */
        (Bp, "(8110)0123456123456111101231", Fail), // COUPON_MISSING_ADDITIONAL_PURCHASE_RULES_CODE
        /* 54 */
        (Bp, "(8110)01234561234561111012314", Fail), // COUPON_INVALID_ADDITIONAL_PURCHASE_RULES_CODE
        /* 55 */
        (Bp, "(8110)01234561234561111012310", Fail), // COUPON_MISSING_2ND_PURCHASE_REQUIREMENT_VLI
        /* 56 */
        (Bp, "(8110)012345612345611110123106123456", Fail), // COUPON_INVALID_2ND_PURCHASE_REQUIREMENT_LENGTH
        /* 57 */
        (Bp, "(8110)012345612345611110123101", Fail), // COUPON_TRUNCATED_2ND_PURCHASE_REQUIREMENT
        /* 58 */
        (Bp, "(8110)0123456123456111101231011", Fail), // COUPON_MISSING_2ND_PURCHASE_REQUIREMENT_CODE
        /* 59 */
        (Bp, "(8110)01234561234561111012310115", Fail), // COUPON_INVALID_2ND_PURCHASE_REQUIREMENT_CODE
        /* 60 */
        (Bp, "(8110)01234561234561111012310119", Fail), // COUPON_TRUNCATED_2ND_PURCHASE_FAMILY_CODE
        /* 61 */
        (Bp, "(8110)01234561234561111012310110123", Fail), // COUPON_MISSING_2ND_PURCHASE_GCP_VLI
        /* 62 */
        (
            Bp,
            "(8110)0123456123456111101231011012371234567890123",
            Fail,
        ), // COUPON_INVALID_2ND_PURCHASE_GCP_LENGTH
        /* 63 */
        (Bp, "(8110)012345612345611110123101101230", Fail), // COUPON_TRUNCATED_2ND_PURCHASE_GCP
        /* 64 */
        (Bp, "(8110)0123456123456111101232", Fail), // COUPON_MISSING_3RD_PURCHASE_REQUIREMENT_VLI
        /* 65 */
        (Bp, "(8110)01234561234561111012320", Fail), // COUPON_INVALID_3RD_PURCHASE_REQUIREMENT_LENGTH
        /* 66 */
        (Bp, "(8110)01234561234561111012321", Fail), // COUPON_TRUNCATED_3RD_PURCHASE_REQUIREMENT
        /* 67 */
        (Bp, "(8110)012345612345611110123211", Fail), // COUPON_MISSING_3RD_PURCHASE_REQUIREMENT_CODE
        /* 68 */
        (Bp, "(8110)0123456123456111101232115", Fail), // COUPON_INVALID_3RD_PURCHASE_REQUIREMENT_CODE
        /* 69 */
        (Bp, "(8110)0123456123456111101232110", Fail), // COUPON_TRUNCATED_3RD_PURCHASE_FAMILY_CODE
        /* 70 */
        (Bp, "(8110)0123456123456111101232110123", Fail), // COUPON_MISSING_3RD_PURCHASE_GCP_VLI
        /* 71 */
        (Bp, "(8110)012345612345611110123211012371234567890123", Fail), // COUPON_INVALID_3RD_PURCHASE_GCP_LENGTH
        /* 72 */
        (Bp, "(8110)01234561234561111012321101230", Fail), // COUPON_TRUNCATED_3RD_PURCHASE_GCP
        /* 73 */
        (Bp, "(8110)0123456123456111101233", Fail), // COUPON_TOO_SHORT_FOR_EXPIRATION_DATE
        /* 74 */
        (Bp, "(8110)0123456123456111101233200010", Fail), // COUPON_INVALID_EXIPIRATION_DATE
        /* 75 */
        (Bp, "(8110)0123456123456111101234", Fail), // COUPON_TOO_SHORT_FOR_START_DATE
        /* 76 */
        (Bp, "(8110)0123456123456111101234200010", Fail), // COUPON_INVALID_START_DATE
        /* 77 */
        (Bp, "(8110)01234561234561111012335006064500607", Fail), // COUPON_EXPIRATION_BEFORE_START
        /* 78 */
        (Bp, "(8110)0123456123456111101236", Fail), // COUPON_MISSING_RETAILER_GCP_OR_GLN_VLI
        /* 79 */
        (Bp, "(8110)01234561234561111012360", Fail), // COUPON_INVALID_RETAILER_GCP_OR_GLN_LENGTH
        /* 80 */
        (Bp, "(8110)01234561234561111012361", Fail), // COUPON_TRUNCATED_RETAILER_GCP_OR_GLN
        /* 81 */
        (Bp, "(8110)0123456123456111101239", Fail), // COUPON_MISSING_SAVE_VALUE_CODE
        /* 82 */
        (Bp, "(8110)01234561234561111012393", Fail), // COUPON_INVALID_SAVE_VALUE_CODE
        /* 83 */
        (Bp, "(8110)01234561234561111012390", Fail), // COUPON_MISSING_SAVE_VALUE_APPLIES_TO_ITEM
        /* 84 */
        (Bp, "(8110)012345612345611110123903", Fail), // COUPON_INVALID_SAVE_VALUE_APPLIES_TO_ITEM
        /* 85 */
        (Bp, "(8110)012345612345611110123900", Fail), // COUPON_MISSING_STORE_COUPON_FLAG
        /* 86 */
        (Bp, "(8110)0123456123456111101239000", Fail), // COUPON_MISSING_DONT_MULTIPLY_FLAG
        /* 87 */
        (Bp, "(8110)01234561234561111012390002", Fail), // COUPON_INVALID_DONT_MULTIPLY_FLAG
        /* 88 */ (Bp, "(8110)012345612345611110123900000", Fail), // COUPON_EXCESS_DATA
        /* 89 */ (Bp, "(4309)18000000010000000000", Fail), // INVALID_LATITUDE
        /* 90 */ (Bp, "(4309)00000000003600000001", Fail), // INVALID_LONGITUDE
        /* 91 */ (Bp, "(4330)000000X", Fail), // NOT_HYPHEN
        /* 92 */ (Bp, "(7252)5", Fail), // INVALID_BIOLOGICAL_SEX_CODE
        /* 93 */ (Bp, "(7258)111", Fail), // POSITION_IN_SEQUENCE_MALFORMED
        /* 94 */ (Bp, "(7258)0/3", Fail), // ILLEGAL_ZERO_PREFIX
        /* 95 */ (Bp, "(7258)2/1", Fail), // POSITION_EXCEEDS_END
        /* 96 */ (Bp, "(01)95012345678903(3103)000123", Pass("")), // OK
        /* 97 */ (Bp, "(01)95012345678902(3103)000123", Fail), // INCORRECT_CHECK_DIGIT
        /* 98 */ (Bp, "(01)95012345678903(11)131313", Fail), // ILLEGAL_MONTH
    ];
    check("test_ai_linters", rows);
}

/// ai.c: `test_ai_processAIdata` (`^` data strings, extracting AIs).
#[test]
fn ai_process_ai_data() {
    let rows: &[Row] = &[
        /* 0 */ (Rp, "", Fail),
        // The engine wants FNC1 in first position here; our raw form takes data
        // without it too, as decoders hand it over once the symbology identifier
        // (which implies it) is stripped. Hence accepted.
        /* 1 */
        (Rp, "991234", Pass("^991234")),
        /* 2 */ (Rp, "^", Fail),
        /* 3 */ (Rp, "^891234", Fail),
        /* 4 */ (Rp, "^991234", Pass("^991234")),
        /* 5 */ (Rp, "^99~ABC", Fail),
        /* 6 */ (Rp, "^99ABC~", Fail),
        /* 7 */ (Rp, "^0112345678901231", Pass("^0112345678901231")),
        /* 8 */ (Rp, "^01A2345678901231", Fail),
        /* 9 */ (Rp, "^011234567890123A", Fail),
        /* 10 */ (Rp, "^0112345678901234", Fail),
        /* 11 */ (Rp, "^011234567890123", Fail),
        /* 12 */ (Rp, "^01123456789012312", Fail),
        /* 13 */ (Rp, "^0112345678901231^", Pass("^0112345678901231")),
        /* 14 */ (Rp, "^011234567890123^", Fail),
        /* 15 */ (Rp, "^01123456789012345^", Fail),
        /* 16 */ (Rp, "^01123456789012345^991234", Fail),
        /* 17 */
        (
            Rp,
            "^0112345678901231991234",
            Pass("^0112345678901231991234"),
        ),
        /* 18 */
        (
            Rp,
            "^0112345678901231^991234",
            Pass("^0112345678901231991234"),
        ),
        /* 19 */ (Rp, "^2421", Pass("^2421")),
        /* 20 */ (Rp, "^24212", Pass("")),
        /* 21 */ (Rp, "^242123", Pass("")),
        /* 22 */ (Rp, "^2421234", Pass("")),
        /* 23 */ (Rp, "^24212345", Pass("")),
        /* 24 */ (Rp, "^242123456", Pass("")),
        /* 25 */ (Rp, "^242123456^10ABC123", Pass("^242123456^10ABC123")),
        /* 26 */ (Rp, "^242123456^", Pass("^242123456")),
        /* 27 */ (Rp, "^2421234567", Fail),
        /* 28 */ (Rp, "^81111234", Pass("")),
        /* 29 */ (Rp, "^8111123", Fail),
        /* 30 */ (Rp, "^811112345", Fail),
        /* 31 */ (Rp, "^81111234^10ABC123", Pass("")),
        /* 32 */ (Rp, "^800112341234512398", Pass("")),
        /* 33 */ (Rp, "^80011234123451239", Fail),
        /* 34 */ (Rp, "^8001123412345123981", Fail),
        /* 35 */ (Rp, "^800112341234512398^0112345678901231", Pass("")),
        /* 36 */ (Rp, "^80011234123451239^0112345678901231", Fail),
        /* 37 */ (Rp, "^8001123412345123981^01123456789012312", Fail),
        /* 38 */ (Rp, "^7007211225211231", Pass("")),
        /* 39 */ (Rp, "^7007211225", Pass("")),
        /* 40 */ (Rp, "^70072112252", Fail),
        /* 41 */ (Rp, "^700721122521", Fail),
        /* 42 */ (Rp, "^7007211225211", Fail),
        /* 43 */ (Rp, "^70072112252112", Fail),
        /* 44 */ (Rp, "^700721122521123", Fail),
        /* 45 */ (Rp, "^70072112252212311", Fail),
        /* 46 */ (Rp, "^800302112345678900ABC", Pass("")),
        /* 47 */ (Rp, "^800302112345678901ABC", Fail),
        /* 48 */ (Rp, "^800302112345678900", Pass("")),
        /* 49 */ (Rp, "^800302112345678900^10ABC123", Pass("")),
        /* 50 */ (Rp, "^800302112345678900ABCDEFGHIJKLMNOP", Pass("")),
        /* 51 */ (Rp, "^800302112345678900ABCDEFGHIJKLMNOPQ", Fail),
        /* 52 */ (Rp, "^7230121234567890123456789012345678", Pass("")),
        /* 53 */ (Rp, "^72301212345678901234567890123456789", Fail),
        /* 54 */ (Rp, "^7230123", Pass("")),
        /* 55 */ (Rp, "^723012", Fail),
        /* 56 */ (Rp, "^423", Fail),
        /* 57 */ (Rp, "^4235", Fail),
        /* 58 */ (Rp, "^42352", Fail),
        /* 59 */ (Rp, "^423528", Pass("")),
        /* 60 */ (Rp, "^4235285", Fail),
        /* 61 */ (Rp, "^42352852", Fail),
        /* 62 */ (Rp, "^423528528", Pass("")),
        /* 63 */ (Rp, "^4235285285", Fail),
        /* 64 */ (Rp, "^42352852852", Fail),
        /* 65 */ (Rp, "^423528528528", Pass("")),
        /* 66 */ (Rp, "^4235285285285", Fail),
        /* 67 */ (Rp, "^42352852852852", Fail),
        /* 68 */ (Rp, "^423528528528528", Pass("")),
        /* 69 */ (Rp, "^4235285285285285", Fail),
        /* 70 */ (Rp, "^42352852852852852", Fail),
        /* 71 */ (Rp, "^423528528528528528", Pass("")),
        /* 72 */ (Rp, "^4235285285285285285", Fail),
        // Run with unknown AIs permitted: still refused in raw data.
        /* 73 */
        (Rp, "^891234", Fail),
    ];
    check("test_ai_processAIdata", rows);
}

/// ai.c: `test_ai_validateAIs` (one validation function per vector:
/// validateAIrepeats = "duplicate_ai", validateAImutex = "ex",
/// validateAIrequisites = "req", validateDigSigRequiresSerialisedKey =
/// "digsig_serial"). The engine runs these with unknown AIs permitted; at its
/// default the (89) vectors are refused as unknown AIs, which is what we check.
#[test]
fn ai_validate_ais() {
    const R: &str = "duplicate_ai";
    const X: &str = "ex";
    const Q: &str = "req";
    const D: &str = "digsig_serial";
    let rows: &[Row] = &[
        /* 0 */ (B, "(400)ABC", NotRule(R)),
        /* 1 */ (B, "(400)ABC(400)ABC", NotRule(R)),
        /* 2 */ (B, "(400)ABC(99)DEF(400)ABC", NotRule(R)),
        /* 3 */ (B, "(99)ABC(400)XYZ(400)XYZ", NotRule(R)),
        /* 4 */ (B, "(400)ABC(400)AB", FailRule(R)),
        /* 5 */ (B, "(400)ABC(400)ABCD", FailRule(R)),
        /* 6 */ (B, "(400)ABC(400)ABC(400)XYZ", FailRule(R)),
        /* 7 */ (B, "(400)ABC(400)XYZ(400)ABC", FailRule(R)),
        /* 8 */ (B, "(400)ABC(400)XYZ(400)XYZ", FailRule(R)),
        /* 9 */ (B, "(400)ABC(99)DEF(400)XYZ", FailRule(R)),
        /* 10 */ (B, "(99)ABC(400)ABC(400)XYZ", FailRule(R)),
        /* 11 */ (B, "(89)ABC(89)ABC(89)ABC", FailRule("unknown_ai")),
        /* 12 */ (B, "(89)ABC(89)ABC(89)XYZ", Fail),
        /* 13 */ (B, "(89)ABC(89)XYZ(89)ABC", Fail),
        /* 14 */ (B, "(89)ABC(89)XYZ(89)XYZ", Fail),
        /* 15 */ (B, "(89)ABC(89)AB(89)ABC", Fail),
        /* 16 */ (B, "(89)ABC(89)ABCD(89)ABC", Fail),
        /* 17 */ (B, "(01)12345678901231(02)12345678901231", FailRule(X)),
        /* 18 */
        (
            B,
            "(99)ABC123(01)12345678901231(02)12345678901231",
            FailRule(X),
        ),
        /* 19 */
        (
            B,
            "(01)12345678901231(99)ABC123(02)12345678901231",
            FailRule(X),
        ),
        /* 20 */
        (
            B,
            "(01)12345678901231(02)12345678901231(99)ABC123",
            FailRule(X),
        ),
        /* 21 */ (B, "(01)12345678901231(255)5412345000150", FailRule(X)),
        /* 22 */ (B, "(01)12345678901231(37)123", FailRule(X)),
        /* 23 */ (B, "(21)ABC123(235)XYZ", FailRule(X)),
        /* 24 */ (B, "(3940)1234(8111)9999", FailRule(X)),
        /* 25 */ (B, "(3940)1234(3941)9999", FailRule(X)),
        /* 26 */ (B, "(3955)123456(3929)123", FailRule(X)),
        /* 27 */ (B, "(02)12345678901231", FailRule(Q)),
        /* 28 */ (B, "(02)12345678901231(37)123", FailRule(Q)),
        /* 29 */ (B, "(99)AAA(02)12345678901231(37)123", FailRule(Q)),
        /* 30 */ (B, "(02)12345678901231(99)AAA(37)123", FailRule(Q)),
        /* 31 */ (B, "(02)12345678901231(37)123(99)AAA", FailRule(Q)),
        /* 32 */
        (
            B,
            "(02)12345678901231(37)123(00)123456789012345675",
            NotRule(Q),
        ),
        /* 33 */
        (
            B,
            "(91)XXX(02)12345678901231(92)YYY(37)123(93)ZZZ(00)123456789012345675",
            NotRule(Q),
        ),
        /* 34 */ (B, "(21)ABC123", FailRule(Q)),
        /* 35 */ (B, "(21)ABC123(01)12345678901231", NotRule(Q)),
        /* 36 */ (B, "(21)ABC123(8006)123456789012310510", NotRule(Q)),
        /* 37 */ (B, "(01)12345678901231(250)ABC123", FailRule(Q)),
        /* 38 */ (B, "(01)12345678901231(21)XYZ999(250)ABC123", NotRule(Q)),
        /* 39 */ (B, "(01)12345678901231(3925)12599", FailRule(Q)),
        /* 40 */ (B, "(01)12345678901231(3925)12599(30)123", NotRule(Q)),
        /* 41 */ (B, "(01)12345678901231(3925)12599(3100)654321", NotRule(Q)),
        /* 42 */ (B, "(01)12345678901231(3925)12599(3105)654321", NotRule(Q)),
        /* 43 */ (B, "(01)12345678901231(3925)12599(3160)654321", NotRule(Q)),
        /* 44 */ (B, "(01)12345678901231(3925)12599(3165)654321", NotRule(Q)),
        /* 45 */ (B, "(01)12345678901231(3925)12599(3295)654321", NotRule(Q)),
        /* 46 */ (B, "(01)12345678901231(3925)12599(3500)654321", NotRule(Q)),
        /* 47 */ (B, "(01)12345678901231(3925)12599(3575)654321", NotRule(Q)),
        /* 48 */ (B, "(01)12345678901231(3925)12599(3600)654321", NotRule(Q)),
        /* 49 */ (B, "(01)12345678901231(3925)12599(3695)654321", NotRule(Q)),
        /* 50 */ (B, "(8030)DIGSIG", FailRule(Q)),
        /* 51 */ (B, "(8030)DIGSIG(00)123456789012345675", NotRule(Q)),
        /* 52 */ (B, "(8030)DIGSIG(01)12345678901231", FailRule(Q)),
        /* 53 */ (B, "(8030)DIGSIG(01)12345678901231(21)ABC123", NotRule(Q)),
        /* 54 */ (B, "(8030)DIGSIG(253)1234567890128X", NotRule(Q)),
        /* 55 */ (B, "(8030)DIGSIG(255)12345678901280", NotRule(Q)),
        /* 56 */ (B, "(8030)DIGSIG(8003)01234567890128X", NotRule(Q)),
        /* 57 */ (B, "(8030)DIGSIG(8004)01234567890", NotRule(Q)),
        /* 58 */ (B, "(8030)DIGSIG(8006)123456789012310102", FailRule(Q)),
        /* 59 */
        (
            B,
            "(8030)DIGSIG(8006)123456789012310102(21)ABC123",
            NotRule(Q),
        ),
        /* 60 */ (B, "(8030)DIGSIG(8010)1234567890", FailRule(Q)),
        /* 61 */
        (
            B,
            "(8030)DIGSIG(8010)1234567890(8011)123456789012",
            NotRule(Q),
        ),
        /* 62 */ (B, "(8030)DIGSIG(8017)123456789012345675", NotRule(Q)),
        /* 63 */ (B, "(8030)DIGSIG(8018)123456789012345675", NotRule(Q)),
        /* 64 */ (B, "(253)1234567890128", NotRule(D)),
        /* 65 */ (B, "(253)1234567890128(8030)ABC123", FailRule(D)),
        /* 66 */ (B, "(253)1234567890128X(8030)ABC123", NotRule(D)),
        /* 67 */ (B, "(255)1234567890128", NotRule(D)),
        /* 68 */ (B, "(255)1234567890128(8030)ABC123", FailRule(D)),
        /* 69 */ (B, "(255)12345678901280(8030)ABC123", NotRule(D)),
        /* 70 */ (B, "(8003)01234567890128", NotRule(D)),
        /* 71 */ (B, "(8003)01234567890128(8030)ABC123", FailRule(D)),
        /* 72 */ (B, "(8003)01234567890128X(8030)ABC123", NotRule(D)),
    ];
    check("test_ai_validateAIs", rows);
}

/// dl.c: `test_dl_parseDLuri` (DL URI to the `^` data string).
#[test]
fn dl_parse_dl_uri() {
    const A00: &str = "^00006141411234567890";
    const A01: &str = "^0112312312312333";
    const Q: &str = "^011231231231233399ABC^98XYZ";
    const SPEC: &str = "^0109520123456788310300019539220299^17201225";
    let rows: &[Row] = &[
        /* 0 */ (Dl, "", Fail),
        /* 1 */ (Dl, "ftp://", Fail),
        /* 2 */ (Dl, "http://", Fail),
        /* 3 */ (Dl, "http:///", Fail),
        /* 4 */ (Dl, "http://a", Fail),
        /* 5 */ (Dl, "http://a/", Fail),
        /* 6 */ (Dl, "http://a/b", Fail),
        /* 7 */ (Dl, "http://a/b/", Fail),
        /* 8 */ (Dl, "http://a/00/006141411234567890", Pass(A00)),
        /* 9 */ (Dl, "HTTP://a/00/006141411234567890", Pass(A00)),
        /* 10 */ (Dl, "https://a/00/006141411234567890", Pass(A00)),
        /* 11 */ (Dl, "HTTPS://a/00/006141411234567890", Pass(A00)),
        /* 12 */ (Dl, "HtTp://a/b/00/006141411234567890", Fail),
        /* 13 */ (Dl, "https://00/006141411234567890", Fail),
        /* 14 */ (Dl, "https://a/01/12312312312333", Pass(A01)),
        /* 15 */ (Dl, "https://xn--fsq.xn--0zwm56d/01/12312312312333", Pass(A01)),
        /* 16 */ (Dl, "https://a./01/12312312312333", Pass(A01)),
        /* 17 */ (Dl, "https://a:65535/01/12312312312333", Pass(A01)),
        /* 18 */ (Dl, "https://192.0.2.1/01/12312312312333", Pass(A01)),
        /* 19 */ (Dl, "https://3232235777/01/12312312312333", Pass(A01)),
        /* 20 */ (Dl, "https://0300.0250.01.01/01/12312312312333", Pass(A01)),
        /* 21 */ (Dl, "https://0xC0.0xA8.0x01.0x01/01/12312312312333", Pass(A01)),
        /* 22 */ (Dl, "https://[2001:db8::1]/01/12312312312333", Pass(A01)),
        /* 23 */ (Dl, "https://[fe80::1%25lo]/01/12312312312333", Fail),
        /* 24 */ (Dl, "https://$a/006141411234567890", Fail),
        /* 25 */ (Dl, "https://a$/006141411234567890", Fail),
        /* 26 */ (Dl, "https://a/stem/00/006141411234567890", Pass(A00)),
        /* 27 */ (Dl, "https://a/more/stem/00/006141411234567890", Pass(A00)),
        /* 28 */ (Dl, "https://a/00/faux/00/006141411234567890", Pass(A00)),
        /* 29 */ (Dl, "https://a/gtin/12312312312333", Fail),
        // Run with convenience alphas permitted, which we do not model: refused
        // at the engine's default.
        /* 30 */ (Dl, "https://a/gtin/12312312312333", Fail),
        /* 31 */ (Dl, "https://a/gtin/12312312312333/ser/ABC123", Fail),
        /* 32 */ (Dl, "https://a/sscc/006141411234567890", Fail),
        /* 33 */ (DlZ, "https://a/01/2112345678900", Pass("^0102112345678900")),
        /* 34 */ (Dl, "https://a/01/2112345678900", Fail),
        /* 35 */ (DlZ, "https://a/01/416000336108", Pass("^0100416000336108")),
        /* 36 */ (Dl, "https://a/01/416000336108", Fail),
        /* 37 */ (DlZ, "https://a/01/02345673", Pass("^0100000002345673")),
        /* 38 */ (Dl, "https://a/01/02345673", Fail),
        /* 39 */
        (
            Dl,
            "https://a/01/12312312312333/22/TEST/10/ABC/21/XYZ",
            Pass("^011231231231233322TEST^10ABC^21XYZ"),
        ),
        /* 40 */
        (
            Dl,
            "https://a/01/12312312312333/235/TEST",
            Pass("^0112312312312333235TEST"),
        ),
        /* 41 */ (Dl, "https://a/253/1231231231232", Pass("^2531231231231232")),
        /* 42 */
        (
            Dl,
            "https://a/253/1231231231232TEST5678901234567",
            Pass("^2531231231231232TEST5678901234567"),
        ),
        /* 43 */ (Dl, "https://a/253/1231231231232TEST56789012345678", Fail),
        /* 44 */
        (
            Dl,
            "https://a/8018/123456789012345675/8019/123",
            Pass("^8018123456789012345675^8019123"),
        ),
        /* 45 */ (Dl, "https://a/stem/00/006141411234567890/", Fail),
        /* 46 */ (Dl, "https://a/stem/00/006141411234567890?", Pass(A00)),
        /* 47 */
        (
            Dl,
            "https://a/stem/00/006141411234567890?99=ABC",
            Pass("^0000614141123456789099ABC"),
        ),
        /* 48 */ (Dl, "https://a/stem/401/12345678?99=ABC", Pass("^40112345678^99ABC")),
        /* 49 */ (Dl, "https://a/01/12312312312333?99=ABC&98=XYZ", Pass(Q)),
        /* 50 */ (Dl, "https://a/01/12312312312333?99=", Fail),
        /* 51 */ (Dl, "https://a/01/12312312312333?99=ABC&999=faux", Fail),
        /* 52 */ (Dl, "https://a/01/12312312312333?&&&99=ABC&&&&&&98=XYZ&&&", Pass(Q)),
        /* 53 */ (Dl, "https://a/01/12312312312333?99=ABC&unknown=666&98=XYZ", Pass(Q)),
        /* 54 */ (Dl, "https://a/01/12312312312333?unknown=666&99=ABC&98=XYZ", Pass(Q)),
        /* 55 */ (Dl, "https://a/01/12312312312333?99=ABC&98=XYZ&unknown=666", Pass(Q)),
        /* 56 */
        (
            Dl,
            "https://a/01/12312312312333?unknown1=555&99=ABC&unknown2=666&98=XYZ&unknown3=777",
            Pass(Q),
        ),
        /* 57 */ (Dl, "https://a/01/12312312312333?99=ABC&singleton&98=XYZ", Pass(Q)),
        /* 58 */ (Dl, "https://a/01/12312312312333?singleton&99=ABC&98=XYZ", Pass(Q)),
        /* 59 */ (Dl, "https://a/01/12312312312333?99=ABC&98=XYZ&singleton", Pass(Q)),
        /* 60 */
        (
            Dl,
            "https://a/01/12312312312333?singleton1&99=ABC&singleton2&98=XYZ&singleton3",
            Pass(Q),
        ),
        /* 61 */
        (
            Dl,
            "https://a/01/12312312312333?singleton1&unknown1=555&99=ABC&singleton2&unknown2=6666&98=XYZ&unknown3=777&singleton3",
            Pass(Q),
        ),
        /* 62 */
        (
            Dl,
            "https://a/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ%2f987",
            Pass("^011231231231233322ABC-123^99ABC^98XYZ/987"),
        ),
        /* 63 */
        (
            Dl,
            "https://a/01/12312312312333/22/ABC+123?99=ABC&98=XYZ%2f987",
            Pass("^011231231231233322ABC+123^99ABC^98XYZ/987"),
        ),
        /* 64 */ (Dl, "https://a/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ+987", Fail),
        /* 65 */
        (
            Dl,
            "https://a/01/12312312312333/22/test/10/abc/21/xyz#",
            Pass("^011231231231233322test^10abc^21xyz"),
        ),
        /* 66 */
        (
            Dl,
            "https://a/01/12312312312333/22/test/10/abc/21/xyz#fragment",
            Pass("^011231231231233322test^10abc^21xyz"),
        ),
        /* 67 */
        (
            Dl,
            "https://a/stem/00/006141411234567890?99=ABC#",
            Pass("^0000614141123456789099ABC"),
        ),
        /* 68 */
        (
            Dl,
            "https://a/stem/00/006141411234567890?99=ABC#fragment",
            Pass("^0000614141123456789099ABC"),
        ),
        // Examples from the DL specification.
        /* 69 */ (Dl, "https://id.gs1.org/01/09520123456788", Pass("^0109520123456788")),
        /* 70 */ (DlZ, "https://brand.example.com/01/9520123456788", Pass("^0109520123456788")),
        /* 71 */
        (
            DlZ,
            "https://brand.example.com/some-extra/pathinfo/01/9520123456788",
            Pass("^0109520123456788"),
        ),
        /* 72 */ (Dl, "https://id.gs1.org/01/09520123456788/22/2A", Pass("^0109520123456788222A")),
        /* 73 */
        (
            Dl,
            "https://id.gs1.org/01/09520123456788/10/ABC123",
            Pass("^010952012345678810ABC123"),
        ),
        /* 74 */
        (
            Dl,
            "https://id.gs1.org/01/09520123456788/21/12345",
            Pass("^01095201234567882112345"),
        ),
        /* 75 */
        (
            Dl,
            "https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426",
            Pass("^010952012345678810ABC1^2112345^17180426"),
        ),
        /* 76 */
        (
            Dl,
            "https://id.gs1.org/01/09520123456788?3103=000195",
            Pass("^01095201234567883103000195"),
        ),
        /* 77 */ (DlZ, "https://example.com/01/9520123456788?3103=000195&3922=0299&17=201225", Pass(SPEC)),
        /* 78 */ (Dl, "https://example.com/01/09520123456788?3103=000195&3922=0299&17=201225", Pass(SPEC)),
        /* 79 */ (DlZ, "https://example.com/01/9520123456788?3103=000195&3922=0299&17=201225", Pass(SPEC)),
        /* 80 */ (Dl, "https://example.com/01/09520123456788?3103=000195&3922=0299&17=201225", Pass(SPEC)),
        /* 81 */ (DlZ, "https://id.gs1.org/01/9520123456788?3103=000195&3922=0299&17=201225", Pass(SPEC)),
        /* 82 */ (Dl, "https://id.gs1.org/01/09520123456788?3103=000195&3922=0299&17=201225", Pass(SPEC)),
        /* 83 */
        (
            DlZ,
            "https://id.gs1.org/01/9520123456788?17=201225&3103=000195&3922=0299",
            Pass("^010952012345678817201225310300019539220299"),
        ),
        /* 84 */
        (
            Dl,
            "https://id.gs1.org/01/09520123456788?17=201225&3103=000195&3922=0299",
            Pass("^010952012345678817201225310300019539220299"),
        ),
        /* 85 */ (Dl, "https://id.gs1.org/00/952012345678912345", Pass("^00952012345678912345")),
        /* 86 */
        (
            Dl,
            "https://id.gs1.org/00/952012345678912345?02=09520123456788&37=25&10=ABC123",
            Pass("^0095201234567891234502095201234567883725^10ABC123"),
        ),
        /* 87 */ (Dl, "https://id.gs1.org/414/9520123456788", Pass("^4149520123456788")),
        /* 88 */
        (
            Dl,
            "https://id.gs1.org/414/9520123456788/254/32a%2Fb",
            Pass("^414952012345678825432a/b"),
        ),
        /* 89 */
        (
            Dl,
            "https://example.com/8004/9520614141234567?01=9520123456788",
            Pass("^80049520614141234567^0109520123456788"),
        ),
        /* 90 */ (Dl, "https://example.com/01/09520123456788?10=ABC123", Fail),
        /* 91 */
        (
            Dl,
            "https://id.gs1.org/01/09520123456788/235/XYZ?10=ABC123",
            Pass("^0109520123456788235XYZ^10ABC123"),
        ),
        /* 92 */ (Dl, "https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&01=09520123456788", Fail),
        /* 93 */ (Dl, "https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&10=ABC123", Fail),
        /* 94 */ (Dl, "https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&99=XYZ789", Fail),
        /* 95 */ (Dl, "https://example.com/01/09520123456788/89/ABC123?99=XYZ", Fail),
        /* 96 */ (Dl, "https://example.com/01/09520123456788?99=XYZ&89=ABC123", Fail),
        // Run with unknown AIs permitted (not modelled): refused either way.
        /* 97 */ (Dl, "https://example.com/01/09520123456788?99=XYZ&89=ABC123", Fail),
        // Run with unknown AIs permitted and as data attributes (not modelled):
        // refused at the engine's defaults.
        /* 98 */ (Dl, "https://example.com/01/09520123456788?99=XYZ&89=ABC123", Fail),
    ];
    check("test_dl_parseDLuri", rows);
}

/// dl.c: `test_dl_generateDLuri` (canonical DL URI from bracketed data).
#[test]
fn dl_generate_dl_uri() {
    const E: Kind = Gen(Some("https://example.com"));
    let rows: &[Row] = &[
        /* 0 */
        (
            Gen(None),
            "(01)12312312312326(21)abc123",
            Pass("https://id.gs1.org/01/12312312312326/21/abc123"),
        ),
        /* 1 */
        (
            E,
            "(01)12312312312326(21)abc123",
            Pass("https://example.com/01/12312312312326/21/abc123"),
        ),
        /* 2 */
        (
            E,
            "(01)12312312312326(22)ABC(10)DEF(21)GHI",
            Pass("https://example.com/01/12312312312326/22/ABC/10/DEF/21/GHI"),
        ),
        /* 3 */
        (
            E,
            "(01)12312312312326(22)ABC(10)DEF(21)GHI(95)INT",
            Pass("https://example.com/01/12312312312326/22/ABC/10/DEF/21/GHI?95=INT"),
        ),
        /* 4 */
        (
            E,
            "(21)XYZ(01)12312312312333(10)ABC123(99)XYZ",
            Pass("https://example.com/01/12312312312333/10/ABC123/21/XYZ?99=XYZ"),
        ),
        /* 5 */
        (
            E,
            "(01)12312312312333(10)ABC+123(99)XYZ+QWERTY",
            Pass("https://example.com/01/12312312312333/10/ABC%2B123?99=XYZ%2BQWERTY"),
        ),
        /* 6 */
        (
            E,
            "(8017)795260646688514634(99)000001(253)9526064000028000001",
            Pass("https://example.com/8017/795260646688514634?99=000001&253=9526064000028000001"),
        ),
        /* 7 */
        (
            E,
            "(253)9526064000028000001(99)000001(8017)795260646688514634",
            Pass("https://example.com/253/9526064000028000001?99=000001&8017=795260646688514634"),
        ),
        /* 8 */
        (
            E,
            "(98)ABC(253)9526064000028000001(99)000001(8017)795260646688514634",
            Pass("https://example.com/253/9526064000028000001?98=ABC&99=000001&8017=795260646688514634"),
        ),
        /* 9 */
        (
            E,
            "(253)9526064000028000001(99)000001(01)12312312312326(10)DEF(95)INT",
            Pass("https://example.com/253/9526064000028000001?01=12312312312326&99=000001&10=DEF&95=INT"),
        ),
        /* 10 */
        (
            E,
            "(01)12312312312326(01)12312312312326(10)ABC123(99)XYZ789",
            Pass("https://example.com/01/12312312312326/10/ABC123?99=XYZ789"),
        ),
        /* 11 */
        (
            E,
            "(01)12312312312326(10)ABC123(10)ABC123(99)XYZ789",
            Pass("https://example.com/01/12312312312326/10/ABC123?99=XYZ789"),
        ),
        /* 12 */
        (
            E,
            "(01)12312312312326(10)ABC123(99)XYZ789(99)XYZ789",
            Pass("https://example.com/01/12312312312326/10/ABC123?99=XYZ789"),
        ),
        /* 13 */
        (
            E,
            "(8010)0200(3133)333333(3300)000000(99)57(3133)333333(3300)000000(01)04065093955756(10)0(3133)333333(3300)000000(01)04065093955756",
            Pass("https://example.com/8010/0200?3133=333333&3300=000000&01=04065093955756&99=57&10=0"),
        ),
        /* 14 */ (E, "(01)12312312312326(99)000001(8200)http://example.com(95)INT", Fail),
        /* 15 */ (E, "(01)12312312312326(235)TPX9526064(99)000001(22)ABC(95)INT", Fail),
        /* 16 */ (E, "(01)12312312312326(22)ABC(10)DEF(99)000001(235)TPX9526064(95)INT", Fail),
        // Run with unknown AIs permitted (not modelled): refused either way.
        /* 17 */ (E, "(01)12312312312326(99)000001(89)XXX(95)INT", Fail),
        // Run with unknown AIs permitted as data attributes (not modelled):
        // refused at the engine's defaults.
        /* 18 */ (E, "(01)12312312312326(99)000001(89)XXX(95)INT", Fail),
    ];
    check("test_dl_generateDLuri", rows);
}

/// scandata.c: `test_scandata_processScanData`, the vectors in GS1 AI mode (and
/// the DL URIs carried in plain-data mode, parsed as URIs). Plain-data and
/// EAN/UPC primary vectors (`]Q1`, `]d1`, `]E0`, `]E4`) carry no AI element
/// string and are not transcribed here: `tests/gs1_scan.rs` runs every vector of
/// this engine test, those too, through `gs1::scan::understand`.
#[test]
fn scandata_process_scan_data() {
    const W: &str = "^011231231231233310ABC123^99TESTING";
    let rows: &[Row] = &[
        /* 0 */ (Rp, "", Fail),
        /* 1 */ (Rp, "ABC", Fail),
        /* 2 */ (Rp, "]", Fail),
        /* 3 */ (Rp, "]X", Fail),
        /* 4 */ (Rp, "]XX", Fail),
        /* 5 */ (Rp, "]e0", Fail),
        /* 6 */ (Rp, "]Q3", Fail),
        /* 7 */ (Rp, "]Q3011231231231233310ABC123\x1D99TESTING", Pass(W)),
        /* 8 */
        (
            Dl,
            "https://example.com/01/12312312312333?99=TEST",
            Pass("^011231231231233399TEST"),
        ),
        /* 9 */
        (
            Dl,
            "HTTPS://example.com/01/12312312312333?99=TEST",
            Pass("^011231231231233399TEST"),
        ),
        /* 10 */ (Dl, "HtTps://example.com/01/12312312312333?99=TEST", Fail),
        /* 11 */ (Rp, "]d2", Fail),
        /* 12 */ (Rp, "]d2011231231231233310ABC123\x1D99TESTING", Pass(W)),
        /* 13 */ (Rp, "]e0", Fail),
        /* 14 */ (Rp, "]e0011231231231233310ABC123\x1D99TESTING", Pass(W)),
        /* 15 */
        (
            Rp,
            "]e0011231231231233310ABC123\x1D99TESTING\x1D98XYZ",
            Pass("^011231231231233310ABC123^99TESTING^98XYZ"),
        ),
        /* 16 */
        (
            Rp,
            "]e0011231231231233310ABC123\x1D1199122598TESTING\x1D97XYZ",
            Pass("^011231231231233310ABC123^1199122598TESTING^97XYZ"),
        ),
        /* 17 */ (Rp, "]C1", Fail),
        /* 18 */ (Rp, "]C1011231231231233310ABC123\x1D99TESTING", Pass(W)),
    ];
    check("test_scandata_processScanData", rows);
}

/// syntax/lint_yymmd0.c: `test_lint_yymmd0` (YY maps to 19YY from 72 to 99,
/// else 20YY, for the leap year rule).
#[test]
fn lint_yymmd0() {
    let l = Lint(lint::yymmd0);
    let rows: &[Row] = &[
        /* 0 */ (l, "000606", Pass("")),
        /* 1 */ (l, "250606", Pass("")),
        /* 2 */ (l, "500606", Pass("")),
        /* 3 */ (l, "750606", Pass("")),
        /* 4 */ (l, "990606", Pass("")),
        /* 5 */ (l, "200131", Pass("")),
        /* 6 */ (l, "x00131", Fail),
        /* 7 */ (l, "2x0131", Fail),
        /* 8 */ (l, "20x131", Fail),
        /* 9 */ (l, "200x31", Fail),
        /* 10 */ (l, "2001x1", Fail),
        /* 11 */ (l, "20013x", Fail),
        /* 12 */ (l, "", Fail),
        /* 13 */ (l, "1", Fail),
        /* 14 */ (l, "11", Fail),
        /* 15 */ (l, "111", Fail),
        /* 16 */ (l, "1111", Fail),
        /* 17 */ (l, "11111", Fail),
        /* 18 */ (l, "1111111", Fail),
        /* 19 */ (l, "200010", Fail),
        /* 20 */ (l, "201310", Fail),
        /* 21 */ (l, "209910", Fail),
        /* 22 */ (l, "200131", Pass("")),
        /* 23 */ (l, "200132", Fail),
        /* 24 */ (l, "200229", Pass("")),
        /* 25 */ (l, "200230", Fail),
        /* 26 */ (l, "200331", Pass("")),
        /* 27 */ (l, "200332", Fail),
        /* 28 */ (l, "200430", Pass("")),
        /* 29 */ (l, "200431", Fail),
        /* 30 */ (l, "200531", Pass("")),
        /* 31 */ (l, "200532", Fail),
        /* 32 */ (l, "200630", Pass("")),
        /* 33 */ (l, "200631", Fail),
        /* 34 */ (l, "200731", Pass("")),
        /* 35 */ (l, "200732", Fail),
        /* 36 */ (l, "200831", Pass("")),
        /* 37 */ (l, "200832", Fail),
        /* 38 */ (l, "200930", Pass("")),
        /* 39 */ (l, "200931", Fail),
        /* 40 */ (l, "201031", Pass("")),
        /* 41 */ (l, "201032", Fail),
        /* 42 */ (l, "201130", Pass("")),
        /* 43 */ (l, "201131", Fail),
        /* 44 */ (l, "201231", Pass("")),
        /* 45 */ (l, "201232", Fail),
        /* 46 */ (l, "210228", Pass("")),
        /* 47 */ (l, "210229", Fail),
        /* 48 */ (l, "220228", Pass("")),
        /* 49 */ (l, "220229", Fail),
        /* 50 */ (l, "230228", Pass("")),
        /* 51 */ (l, "230229", Fail),
        /* 52 */ (l, "240229", Pass("")),
        /* 53 */ (l, "240230", Fail),
        /* 54 */ (l, "000229", Pass("")),
        /* 55 */ (l, "000230", Fail),
        /* 56 */ (l, "040229", Pass("")),
        /* 57 */ (l, "040230", Fail),
        /* 58 */ (l, "960229", Pass("")),
        /* 59 */ (l, "960230", Fail),
        /* 60 */ (l, "200600", Pass("")),
    ];
    check("test_lint_yymmd0", rows);
}

/// syntax/lint_yymmdd.c: `test_lint_yymmdd` (as yymmd0, but day 00 refused).
#[test]
fn lint_yymmdd() {
    let l = Lint(lint::yymmdd);
    let rows: &[Row] = &[
        /* 0 */ (l, "000606", Pass("")),
        /* 1 */ (l, "250606", Pass("")),
        /* 2 */ (l, "500606", Pass("")),
        /* 3 */ (l, "750606", Pass("")),
        /* 4 */ (l, "990606", Pass("")),
        /* 5 */ (l, "200131", Pass("")),
        /* 6 */ (l, "x00131", Fail),
        /* 7 */ (l, "2x0131", Fail),
        /* 8 */ (l, "20x131", Fail),
        /* 9 */ (l, "200x31", Fail),
        /* 10 */ (l, "2001x1", Fail),
        /* 11 */ (l, "20013x", Fail),
        /* 12 */ (l, "", Fail),
        /* 13 */ (l, "1", Fail),
        /* 14 */ (l, "11", Fail),
        /* 15 */ (l, "111", Fail),
        /* 16 */ (l, "1111", Fail),
        /* 17 */ (l, "11111", Fail),
        /* 18 */ (l, "1111111", Fail),
        /* 19 */ (l, "200010", Fail),
        /* 20 */ (l, "201310", Fail),
        /* 21 */ (l, "209910", Fail),
        /* 22 */ (l, "200131", Pass("")),
        /* 23 */ (l, "200132", Fail),
        /* 24 */ (l, "200229", Pass("")),
        /* 25 */ (l, "200230", Fail),
        /* 26 */ (l, "200331", Pass("")),
        /* 27 */ (l, "200332", Fail),
        /* 28 */ (l, "200430", Pass("")),
        /* 29 */ (l, "200431", Fail),
        /* 30 */ (l, "200531", Pass("")),
        /* 31 */ (l, "200532", Fail),
        /* 32 */ (l, "200630", Pass("")),
        /* 33 */ (l, "200631", Fail),
        /* 34 */ (l, "200731", Pass("")),
        /* 35 */ (l, "200732", Fail),
        /* 36 */ (l, "200831", Pass("")),
        /* 37 */ (l, "200832", Fail),
        /* 38 */ (l, "200930", Pass("")),
        /* 39 */ (l, "200931", Fail),
        /* 40 */ (l, "201031", Pass("")),
        /* 41 */ (l, "201032", Fail),
        /* 42 */ (l, "201130", Pass("")),
        /* 43 */ (l, "201131", Fail),
        /* 44 */ (l, "201231", Pass("")),
        /* 45 */ (l, "201232", Fail),
        /* 46 */ (l, "210228", Pass("")),
        /* 47 */ (l, "210229", Fail),
        /* 48 */ (l, "220228", Pass("")),
        /* 49 */ (l, "220229", Fail),
        /* 50 */ (l, "230228", Pass("")),
        /* 51 */ (l, "230229", Fail),
        /* 52 */ (l, "240229", Pass("")),
        /* 53 */ (l, "240230", Fail),
        /* 54 */ (l, "000229", Pass("")),
        /* 55 */ (l, "000230", Fail),
        /* 56 */ (l, "040229", Pass("")),
        /* 57 */ (l, "040230", Fail),
        /* 58 */ (l, "960229", Pass("")),
        /* 59 */ (l, "960230", Fail),
        /* 60 */ (l, "200600", Fail),
    ];
    check("test_lint_yymmdd", rows);
}
