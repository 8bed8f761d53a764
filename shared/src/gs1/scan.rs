//! [`understand`]: a raw value exactly as a scanner sends it, read into a [`Scan`]: the
//! GTIN (as [`Gtin14`]), the AIs in scan order (a capture's `gs1_dl_data`), any EAN/UPC
//! add-on kept apart, and whether the data is valid as GS1's Barcode Syntax Engine's
//! scan-data parser (`gs1_processScanData`, `src/c-lib/scandata.c`) judges it.
//!
//! Nothing is refused: bad data gives a [`Scan`] whose `outcome` holds the
//! [`ScanError`] (rule, AI, message), so a capture of it is still stored, as `ERROR`.
//!
//! # What is read
//!
//! A raw value starting with `]` starts with an AIM symbology identifier (ISO/IEC 15424:
//! `]`, a symbology letter, a modifier digit or letter):
//!
//! | identifier           | symbol                              | data                                        |
//! |----------------------|-------------------------------------|---------------------------------------------|
//! | `]E0`                | EAN-13, UPC-A, UPC-E                | 13 digits (UPC-A and UPC-E, expanded to a GTIN-12, get a leading `0`) |
//! | `]E4`                | EAN-8                               | 8 digits                                    |
//! | `]E3`                | EAN-13, UPC-A, UPC-E with add-on    | 13 digits then the 2 or 5 add-on digits     |
//! | `]E1`, `]E2`         | the 2- or 5-digit add-on alone      | only after `]E0` or `]E4` data (separate packets sent together) |
//! | `]I0`, `]I1`         | ITF-14 (ISO/IEC 16390)              | 14 digits                                   |
//! | `]C1`, `]e0`, `]d2`, `]Q3`, `]J1` | GS1-128, GS1 DataBar / composite, GS1 DataMatrix, GS1 QR Code, GS1 DotCode | AI element strings, GS (`\x1D`) for FNC1 |
//! | `]d1`, `]Q1`, `]J0`  | DataMatrix, QR Code, DotCode, plain data | a GS1 Digital Link URI; else plain text     |
//!
//! An EAN/UPC primary may be followed by `|]e0` and the AI data of its 2D composite
//! component, as the engine reads it.
//!
//! Without a symbology identifier (keyboard-wedge scanners are often set up that way):
//! 8, 12, 13 or 14 digits are a GTIN; `http://` or `https://` (all lower or all upper
//! case, as the engine) starts a Digital Link URI; `(` starts bracketed element strings;
//! other digits, under 16 of them, are a GTIN of the wrong length; other data starting
//! with a digit, GS or `^` (the engine's FNC1 notation) is raw AI data.
//!
//! # Decisions
//!
//! * **8 digits without a symbology identifier** are either a GTIN-8 (EAN-8) or a UPC-E
//!   sent compressed (scanners expand UPC-E to 12 or 13 digits by default, but can be set
//!   to send the 8 printed digits). They are read as a UPC-E, expanded to its GTIN-12, when
//!   they start with `0` and end with the UPC-E check digit: a GTIN-8 starting with `0`
//!   is a restricted circulation number (RCN-8, GS1-8 Prefix 0), not a trade item, while
//!   UPC-E always has number system 0. Otherwise they are a GTIN-8, check digit verified.
//!   `]E4` always means EAN-8; `]E0` always needs 13 digits, as in the engine (a UPC-E
//!   comes as `0` + its GTIN-12).
//! * **Add-ons** (`]E3`, or `]E0`/`]E4` data followed by `]E1`/`]E2` data) go to
//!   [`Scan::add_on`]; the GTIN and AIs are those of the main symbol, so the GTIN still
//!   matches a product. An add-on alone carries no GTIN: rule `addon`.
//! * **Plain text** (plain-data symbologies that hold no Digital Link, or no-identifier
//!   data that is neither a GTIN nor GS1 data, e.g. `]Q1hello`) is rule `not_gs1`: the
//!   engine accepts it as plain data, but it identifies nothing, so the capture is `ERROR`.
//!   Bare GTIN digits in a plain-data symbol (`]Q109501101020917`) are read as a GTIN.
//! * **Zero-suppressed GTINs in Digital Link paths** (`/01/9501101020917`) are accepted and
//!   padded to 14 digits: the engine's `permitZeroSuppressedGTINinDLuris` option, as the
//!   Digital Link endpoint also sets it. The engine's defaults apply otherwise.
//! * **Restricted circulation numbers** (GS1 Prefix 02 and 20-29, U.P.C. Prefix 2: variable
//!   measure items) are GTINs like any other: kept as scanned, never an error.
//! * A trailing CR or LF (a keyboard-wedge suffix) is dropped: no GS1 data ends in one.
//! * Valid GS1 data without AI (01) (an SSCC, a GLN, a GRAI) is valid: no GTIN, its AIs in
//!   [`Scan::ais`], status `NOT_FOUND` (see [`Scan::status`]).
//! * When the AIs parse but the message is invalid (a lint, `req`, `ex`), [`Scan::ais`]
//!   keeps them and [`Scan::gtin`] holds the (01) value if it is itself a valid GTIN.
//!
//! ```
//! use shared::gs1::scan::{understand, ScanKind};
//! let scan = understand("]C1010950110102091717270630");
//! assert_eq!(scan.kind, ScanKind::ElementString);
//! assert_eq!(scan.gtin.unwrap().as_str(), "09501101020917");
//! assert_eq!(scan.ais[1], ("17".to_owned(), "270630".to_owned()));
//!
//! let scan = understand("]E3978020137962452495");
//! assert_eq!(scan.gtin.unwrap().as_str(), "09780201379624");
//! assert_eq!(scan.add_on.as_deref(), Some("52495"));
//!
//! let scan = understand("]C1010950110102091717271330");
//! let err = scan.outcome.unwrap_err();
//! assert_eq!((err.rule, err.ai.as_deref()), ("yymmd0", Some("17")));
//! ```

use std::fmt;

use super::digital_link::{DigitalLink, ParseOptions};
use super::element_string::{ElementString, GS};
use super::error::Gs1Error;
use super::gtin::{upce_to_gtin12, Gtin14, GtinError};

/// How the raw value was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScanKind {
    /// A GTIN alone: an EAN/UPC or ITF-14 symbol (with any add-on), or bare digits.
    Gtin,
    /// GS1 AI element strings: raw (GS for FNC1, after `]C1`, `]e0`, `]d2`, `]Q3`, `]J1`
    /// or no identifier), bracketed, or an EAN/UPC with a composite component.
    ElementString,
    /// A GS1 Digital Link URI.
    DigitalLink,
    /// Anything else: plain text, or a symbology identifier we do not read.
    PlainText,
}

/// Why a scan is not valid GS1 data: the rule that failed, the AI concerned, and a message
/// for people (the capture's `error_message` is its `Display`: message then rule).
///
/// `rule` is a [`Gs1Error`] rule (`csum`, `length`, `unknown_ai`, `req`, `ex`, a linter's
/// name, `dl_*`, ...) or one of the scan rules: `not_gs1` (plain data that is neither a
/// GTIN, GS1 element strings nor a Digital Link), `symbology_identifier` (one we do not
/// read, engine: "unsupported symbology identifier"), `addon` (an EAN/UPC add-on alone or
/// of the wrong length), `digits` (a non-digit in EAN/UPC/ITF data).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} [{rule}]")]
pub struct ScanError {
    /// The rule that failed (see the type docs).
    pub rule: &'static str,
    /// The AI concerned, if any (`"01"` for a GTIN's own errors).
    pub ai: Option<String>,
    /// What is wrong, naming the AI first where there is one.
    pub message: String,
}

impl ScanError {
    fn new(rule: &'static str, message: impl Into<String>) -> Self {
        ScanError {
            rule,
            ai: None,
            message: message.into(),
        }
    }
}

impl From<Gs1Error> for ScanError {
    fn from(e: Gs1Error) -> Self {
        ScanError {
            rule: e.rule(),
            ai: e.ai().map(str::to_owned),
            message: e.to_string(),
        }
    }
}

impl From<GtinError> for ScanError {
    /// A GTIN's error is that of AI (01), the GTIN's AI.
    fn from(e: GtinError) -> Self {
        ScanError {
            rule: e.rule(),
            ai: Some("01".to_owned()),
            message: format!("AI (01): {e}"),
        }
    }
}

/// The status of a capture, as the captures endpoint stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScanStatus {
    /// An image is still being decoded: no raw value yet.
    Pending,
    /// Valid data whose GTIN is a product of ours.
    Matched,
    /// Valid data, but no product matches: an unknown GTIN, or no GTIN at all (an SSCC,
    /// a GLN, ...).
    NotFound,
    /// The raw value is not valid GS1 data (see [`ScanError`]); the capture is kept.
    Error,
}

impl ScanStatus {
    /// `PENDING`, `MATCHED`, `NOT_FOUND` or `ERROR`.
    pub fn as_str(self) -> &'static str {
        match self {
            ScanStatus::Pending => "PENDING",
            ScanStatus::Matched => "MATCHED",
            ScanStatus::NotFound => "NOT_FOUND",
            ScanStatus::Error => "ERROR",
        }
    }
}

impl fmt::Display for ScanStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A client-sent field that the raw value contradicts (the endpoint answers 422).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Contradiction {
    /// `"gtin"` or `"gs1_dl_data"`.
    pub field: &'static str,
    /// For `gs1_dl_data`, the AI whose value disagrees.
    pub ai: Option<String>,
    /// What disagrees with what.
    pub message: String,
}

/// A raw scan, understood. See the [module docs](self) for how each form is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// The AIM symbology identifier the raw value started with (`"]E0"`, `"]C1"`, ...).
    pub symbology_identifier: Option<String>,
    /// How the data was read.
    pub kind: ScanKind,
    /// The GTIN: AI (01), or the EAN/UPC/ITF-14 number, in 14 digits.
    pub gtin: Option<Gtin14>,
    /// `(AI, value)` in scan order (a Digital Link's: key, qualifiers, data attributes); a
    /// GTIN alone is `[("01", gtin)]`. This is the capture's `gs1_dl_data`.
    pub ais: Vec<(String, String)>,
    /// The digits of an EAN/UPC add-on (2 or 5), kept apart from the GTIN.
    pub add_on: Option<String>,
    /// `Ok` when the data is valid GS1 data, else why not.
    pub outcome: Result<(), ScanError>,
}

/// The schemes that start a Digital Link in plain data, as the engine checks them.
const DL_SCHEMES: [&str; 4] = ["https://", "HTTPS://", "http://", "HTTP://"];

/// Reads `raw` as a scanner sent it. Never fails: see [`Scan::outcome`].
pub fn understand(raw: &str) -> Scan {
    let data = raw.trim_end_matches(['\r', '\n']);
    let Some(after) = data.strip_prefix(']') else {
        return without_identifier(data);
    };
    let id: String = after.chars().take(2).collect();
    if id.chars().count() < 2 || !id.is_ascii() {
        return Scan::new(None, ScanKind::PlainText).failed(ScanError::new(
            "symbology_identifier",
            "a symbology identifier is \"]\" and two characters",
        ));
    }
    let body = &after[2..];
    let sym = Some(format!("]{id}"));
    match id.as_str() {
        "C1" | "e0" | "d2" | "Q3" | "J1" => raw_element_string(sym, data),
        "E0" => ean_upc(sym, body, 13),
        "E4" => ean_upc(sym, body, 8),
        "E3" => ean_upc_with_add_on(sym, body),
        "E1" | "E2" => Scan::new(sym, ScanKind::Gtin).failed(ScanError::new(
            "addon",
            "an add-on read without its main symbol carries no GTIN",
        )),
        "I0" | "I1" => itf14(sym, body),
        "d1" | "Q1" | "J0" => plain_data(sym, body),
        _ => Scan::new(sym, ScanKind::PlainText).failed(ScanError::new(
            "symbology_identifier",
            format!("symbology identifier ]{id} is not one of GS1's"),
        )),
    }
}

impl Scan {
    fn new(symbology_identifier: Option<String>, kind: ScanKind) -> Self {
        Scan {
            symbology_identifier,
            kind,
            gtin: None,
            ais: Vec::new(),
            add_on: None,
            outcome: Ok(()),
        }
    }

    fn failed(mut self, e: impl Into<ScanError>) -> Self {
        self.outcome = Err(e.into());
        self
    }

    /// Takes the AIs of `es`, its (01) as GTIN when that is one, and validates it.
    fn with_message(mut self, es: ElementString) -> Self {
        self.gtin = es.get("01").and_then(gtin_value);
        self.outcome = es.validate().map_err(ScanError::from);
        self.ais = es.ais;
        self
    }

    fn with_gtin(mut self, gtin: Gtin14) -> Self {
        self.ais = vec![("01".to_owned(), gtin.as_str().to_owned())];
        self.gtin = Some(gtin);
        self
    }

    /// The capture's status: `ERROR` when the data is not valid, else `MATCHED` when
    /// `product_exists` says the GTIN is a product, else `NOT_FOUND` (also for valid data
    /// without a GTIN). `PENDING` is the endpoint's, before there is a raw value.
    pub fn status(&self, product_exists: impl FnOnce(&Gtin14) -> bool) -> ScanStatus {
        match (&self.outcome, &self.gtin) {
            (Err(_), _) => ScanStatus::Error,
            (Ok(()), Some(g)) if product_exists(g) => ScanStatus::Matched,
            (Ok(()), _) => ScanStatus::NotFound,
        }
    }

    /// The capture's `error_message`: the [`ScanError`] shown, naming AI and rule.
    pub fn error_message(&self) -> Option<String> {
        self.outcome.as_ref().err().map(ScanError::to_string)
    }

    /// Whether a client-sent `gtin` or `gs1_dl_data` contradicts the raw value, and how.
    ///
    /// * `gtin` must be a GTIN (8, 12, 13 or 14 digits) equal to [`Scan::gtin`]; a raw
    ///   value that yields no GTIN contradicts any.
    /// * each `gs1_dl_data` pair must name an AI of the raw value, with its value (AI
    ///   (01) compared as GTINs, so `9501101020917` equals `09501101020917`). Leaving AIs
    ///   out is no contradiction: the raw value supplies them.
    pub fn contradicts(
        &self,
        gtin: Option<&str>,
        gs1_dl_data: Option<&[(String, String)]>,
    ) -> Option<Contradiction> {
        let gtin_says = |message: String| Contradiction {
            field: "gtin",
            ai: None,
            message,
        };
        if let Some(claimed) = gtin {
            match (claimed.parse::<Gtin14>(), &self.gtin) {
                (Err(e), _) => return Some(gtin_says(format!("{claimed:?} is not a GTIN: {e}"))),
                (Ok(g), None) => {
                    return Some(gtin_says(format!(
                        "{g} was sent but the raw value carries no GTIN"
                    )))
                }
                (Ok(g), Some(s)) if g != *s => {
                    return Some(gtin_says(format!("{g} was sent but the raw value has {s}")))
                }
                _ => {}
            }
        }
        for (ai, value) in gs1_dl_data.unwrap_or_default() {
            let mut scanned = self.ais.iter().filter(|(a, _)| a == ai).map(|(_, v)| v);
            let first = scanned.clone().next();
            let says = |message: String| Contradiction {
                field: "gs1_dl_data",
                ai: Some(ai.clone()),
                message,
            };
            match first {
                None => {
                    return Some(says(format!(
                        "AI ({ai}) was sent but is not in the raw value"
                    )))
                }
                Some(v) if !scanned.any(|s| same_value(ai, s, value)) => {
                    return Some(says(format!(
                        "AI ({ai}) was sent as {value:?} but the raw value has {v:?}"
                    )))
                }
                Some(_) => {}
            }
        }
        None
    }
}

/// Equal values of `ai`; GTINs (AI 01) compared in their 14-digit form.
fn same_value(ai: &str, scanned: &str, sent: &str) -> bool {
    scanned == sent
        || (ai == "01"
            && matches!((scanned.parse::<Gtin14>(), sent.parse::<Gtin14>()), (Ok(a), Ok(b)) if a == b))
}

/// The GTIN an AI (01) value holds: exactly 14 digits with a valid check digit.
fn gtin_value(v: &str) -> Option<Gtin14> {
    (v.len() == 14 && v.bytes().all(|b| b.is_ascii_digit()))
        .then(|| v.parse().ok())
        .flatten()
}

/// The first non-digit of EAN/UPC/ITF data, as an error.
fn all_digits(what: &str, data: &str) -> Result<(), ScanError> {
    match data.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, c)) => Err(ScanError {
            rule: "digits",
            ai: Some("01".to_owned()),
            message: format!(
                "AI (01): {what} has {c:?} at character {}, not a digit",
                i + 1
            ),
        }),
        None => Ok(()),
    }
}

/// AI data after `]C1`, `]e0`, `]d2`, `]Q3` or `]J1` (kept in `data`, which
/// [`ElementString::parse_raw`] reads with the engine's rules for scan data).
fn raw_element_string(sym: Option<String>, data: &str) -> Scan {
    let scan = Scan::new(sym, ScanKind::ElementString);
    match ElementString::parse_raw(data) {
        Ok(es) => scan.with_message(es),
        Err(e) => scan.failed(e),
    }
}

/// `]E0` (13 digits) or `]E4` (8 digits), then optionally a composite component
/// (`|]e0` + AI data) or an add-on packet (`]E1` + 2 digits, `]E2` + 5 digits).
/// Engine: `gs1_processScanData`, primary data too short, too long, not digits, bad
/// check digit.
fn ean_upc(sym: Option<String>, body: &str, n: usize) -> Scan {
    let scan = Scan::new(sym, ScanKind::Gtin);
    let what = if n == 13 {
        "EAN-13/UPC data"
    } else {
        "EAN-8 data"
    };
    let primary_len = body.char_indices().nth(n).map_or(body.len(), |(i, _)| i);
    let (primary, rest) = body.split_at(primary_len);
    if primary.chars().count() < n {
        return scan.failed(GtinError::WrongLength(primary.chars().count()));
    }
    if let Err(e) = all_digits(what, primary) {
        return scan.failed(e);
    }
    let gtin = match primary.parse::<Gtin14>() {
        Ok(g) => g,
        Err(e) => return scan.failed(e),
    };
    let mut scan = scan.with_gtin(gtin.clone());
    if rest.is_empty() {
        return scan;
    }
    if let Some(cc) = rest.strip_prefix('|').filter(|cc| cc.starts_with("]e0")) {
        scan.kind = ScanKind::ElementString;
        return match ElementString::parse_raw(cc) {
            Ok(es) => {
                let mut all = ElementString::new();
                all.push("01", gtin.as_str());
                all.ais.extend(es.ais);
                scan.with_message(all)
            }
            Err(e) => scan.failed(e),
        };
    }
    for (id, len) in [("]E1", 2), ("]E2", 5)] {
        if let Some(add_on) = rest.strip_prefix(id) {
            return with_add_on(scan, add_on, &[len]);
        }
    }
    scan.failed(ScanError {
        rule: "length",
        ai: Some("01".to_owned()),
        message: format!("AI (01): {what} is followed by {rest:?}: the message is too long"),
    })
}

/// Sets the add-on, `add_on` digits of one of `lengths`.
fn with_add_on(mut scan: Scan, add_on: &str, lengths: &[usize]) -> Scan {
    if !add_on.bytes().all(|b| b.is_ascii_digit()) || !lengths.contains(&add_on.len()) {
        return scan.failed(ScanError::new(
            "addon",
            format!("add-on {add_on:?} is not 2 or 5 digits as its identifier says"),
        ));
    }
    scan.add_on = Some(add_on.to_owned());
    scan
}

/// `]E3`: 13 digits of EAN-13, UPC-A or UPC-E, then the 2 or 5 digits of the add-on.
fn ean_upc_with_add_on(sym: Option<String>, body: &str) -> Scan {
    let scan = Scan::new(sym, ScanKind::Gtin);
    if let Err(e) = all_digits("EAN-13/UPC data with add-on", body) {
        return scan.failed(e);
    }
    if !matches!(body.len(), 15 | 18) {
        return scan.failed(ScanError {
            rule: "length",
            ai: Some("01".to_owned()),
            message: format!(
                "AI (01): ]E3 data is 13 digits and a 2- or 5-digit add-on, not {} digits",
                body.len()
            ),
        });
    }
    let (primary, add_on) = body.split_at(13);
    match primary.parse::<Gtin14>() {
        Ok(g) => with_add_on(scan.with_gtin(g), add_on, &[2, 5]),
        Err(e) => scan.failed(e),
    }
}

/// `]I0`/`]I1`: ITF-14, a GTIN-14.
fn itf14(sym: Option<String>, body: &str) -> Scan {
    let scan = Scan::new(sym, ScanKind::Gtin);
    if let Err(e) = all_digits("ITF-14 data", body) {
        return scan.failed(e);
    }
    if body.len() != 14 {
        return scan.failed(GtinError::WrongLength(body.len()));
    }
    match body.parse::<Gtin14>() {
        Ok(g) => scan.with_gtin(g),
        Err(e) => scan.failed(e),
    }
}

/// Plain data (`]d1`, `]Q1`, `]J0`): a Digital Link URI, bare GTIN digits, or text.
fn plain_data(sym: Option<String>, body: &str) -> Scan {
    if DL_SCHEMES.iter().any(|s| body.starts_with(s)) {
        digital_link(sym, body)
    } else if is_gtin_digits(body) {
        bare_gtin(sym, body)
    } else {
        not_gs1(sym)
    }
}

fn not_gs1(sym: Option<String>) -> Scan {
    Scan::new(sym, ScanKind::PlainText).failed(ScanError::new(
        "not_gs1",
        "plain data that is neither a GTIN, GS1 element strings nor a GS1 Digital Link URI",
    ))
}

fn is_gtin_digits(s: &str) -> bool {
    matches!(s.len(), 8 | 12 | 13 | 14) && s.bytes().all(|b| b.is_ascii_digit())
}

/// A Digital Link URI; the engine reads the last primary key in the path, so a stem
/// that itself holds `/01/` is still stem.
fn digital_link(sym: Option<String>, uri: &str) -> Scan {
    let scan = Scan::new(sym, ScanKind::DigitalLink);
    let opts = ParseOptions {
        permit_zero_suppressed_gtin: true,
    };
    match DigitalLink::parse_with(uri, opts) {
        Ok(dl) => scan.with_message(dl.to_element_string()),
        Err(e) => scan.failed(e),
    }
}

/// 8, 12, 13 or 14 digits: a GTIN, or (8 digits) a UPC-E (see the module docs).
fn bare_gtin(sym: Option<String>, digits: &str) -> Scan {
    let scan = Scan::new(sym, ScanKind::Gtin);
    if let Some(gtin12) = upce_expanded(digits) {
        let gtin = gtin12.parse().expect("an expansion has its check digit");
        return scan.with_gtin(gtin);
    }
    match digits.parse::<Gtin14>() {
        Ok(g) => scan.with_gtin(g),
        Err(e) => scan.failed(e),
    }
}

/// The GTIN-12 of 8 digits that are a UPC-E: number system 0, last digit the check digit
/// of the expansion.
fn upce_expanded(digits: &str) -> Option<String> {
    let d: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
    if d.len() != 8 || d[0] != 0 {
        return None;
    }
    let ns_and_six: [u8; 7] = d[..7].try_into().ok()?;
    let a = upce_to_gtin12(ns_and_six);
    (a[11] == d[7]).then(|| a.iter().map(|x| char::from(b'0' + x)).collect())
}

/// Data without a symbology identifier.
fn without_identifier(data: &str) -> Scan {
    if DL_SCHEMES.iter().any(|s| data.starts_with(s)) {
        return digital_link(None, data);
    }
    if is_gtin_digits(data) {
        return bare_gtin(None, data);
    }
    if data.starts_with('(') {
        let scan = Scan::new(None, ScanKind::ElementString);
        return match ElementString::parse_bracketed(data) {
            Ok(es) => scan.with_message(es),
            Err(e) => scan.failed(e),
        };
    }
    let all_digits = !data.is_empty() && data.bytes().all(|b| b.is_ascii_digit());
    if all_digits && data.len() < 16 {
        // Shorter than the shortest (01) element string: a GTIN of the wrong length.
        return Scan::new(None, ScanKind::Gtin).failed(GtinError::WrongLength(data.len()));
    }
    if data.starts_with(|c: char| c.is_ascii_digit() || c == GS || c == '^') {
        return raw_element_string(None, data);
    }
    not_gs1(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_follows_the_outcome_then_the_product() {
        // (raw, product exists, status)
        let rows: &[(&str, bool, ScanStatus)] = &[
            /* 0 */ ("09501101020917", true, ScanStatus::Matched),
            /* 1 */ ("09501101020917", false, ScanStatus::NotFound),
            /* 2 */ ("]C100106141411234567897", true, ScanStatus::NotFound),
            /* 3 */ ("09501101020918", true, ScanStatus::Error),
            /* 4 */ ("]C1010950110102091717271330", true, ScanStatus::Error),
        ];
        for (i, (raw, exists, want)) in rows.iter().enumerate() {
            assert_eq!(understand(raw).status(|_| *exists), *want, "row {i}");
        }
    }

    #[test]
    fn error_messages_name_the_ai_and_the_rule() {
        let scan = understand("]C1010950110102091717271330");
        assert_eq!(
            scan.error_message().unwrap(),
            "AI (17), component 1, character 3: illegal month [yymmd0]"
        );
        let scan = understand("9501101020918");
        assert_eq!(
            scan.error_message().unwrap(),
            "AI (01): bad check digit: expected 7, got 8 [csum]"
        );
    }
}
