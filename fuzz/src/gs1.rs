//! Properties of the GS1 layer: element strings (bracketed and raw), Digital Links, and
//! raw scans. See the crate docs for the list.

use shared::gs1::digital_link::{BuildError, ParseOptions};
use shared::gs1::element_string::{GS, SYMBOLOGY_PREFIXES};
use shared::gs1::scan::{understand, ScanKind, ScanStatus};
use shared::gs1::{lookup, DigitalLink, ElementString};

use crate::{ensure, Check};

/// Stems a Digital Link is built under: the default, a custom domain with a path prefix
/// (which itself looks like a key: the rightmost key wins), and one with a trailing `/`.
pub const STEMS: [Option<&str>; 4] = [
    None,
    Some("https://example.com"),
    Some("https://example.com/shop/01/x"),
    Some("HTTP://EXAMPLE.COM/"),
];

/// The rules [`DigitalLink::from_element_string`] may give for a *valid* message that no
/// Digital Link URI carries, and why each is a real limit of GS1 Digital Link 1.2, not
/// ours:
/// * `dl_no_primary_key`: no AI of the message is a primary key (a path needs one), e.g.
///   `(02)...(37)...` or `(99)...` alone;
/// * `dl_not_attribute`: an AI that no path of its key holds is not a data attribute
///   either (only the dictionary's `?` AIs may go in the query), e.g. `(8200)` or
///   `(8040)` beside `(01)`, or `(235)` beside `(01)(22)(10)`, whose path has no room
///   for it;
/// * `dl_belongs_in_path`: an AI left for the query is a qualifier of the key that the
///   chosen path has no place for (the standard forbids it in the query).
pub const NO_URI_RULES: [&str; 3] = [
    "dl_no_primary_key",
    "dl_not_attribute",
    "dl_belongs_in_path",
];

/// The AIs of a message as a sorted set: message order and repeats (which a valid message
/// may have, with equal values) are not carried by a Digital Link.
pub fn ai_set(ais: &[(String, String)]) -> Vec<(String, String)> {
    let mut v = ais.to_vec();
    v.sort();
    v.dedup();
    v
}

/// Every written form of a *valid* message reads back to it (parse(format(x)) == x):
/// bracketed; raw with GS separators, with each symbology identifier, and in the
/// engine's `^` notation; as a scanner sends it (`]d2`, bracketed); and its Digital Link
/// (see [`check_digital_link_of`]). An invalid message has no such obligations.
pub fn check_message(es: &ElementString) -> Check {
    if es.validate().is_err() {
        return Ok(());
    }
    let bracketed = es.to_bracketed();
    ensure!(
        ElementString::parse_bracketed(&bracketed).as_ref() == Ok(es),
        "bracketed {bracketed:?} of {es:?} reads back as {:?}",
        ElementString::parse_bracketed(&bracketed)
    );
    let raw = es.to_raw();
    let mut forms = vec![raw.clone(), format!("{GS}{raw}")];
    // `^` is FNC1 in AI data, and never in a valid value (outside CSET 82 and 39).
    forms.push(format!("^{}", raw.replace(GS, "^")));
    forms.extend(SYMBOLOGY_PREFIXES.iter().map(|p| format!("{p}{raw}")));
    for form in &forms {
        ensure!(
            ElementString::parse_raw(form).as_ref() == Ok(es),
            "raw {form:?} of {es:?} reads back as {:?}",
            ElementString::parse_raw(form)
        );
    }
    for sent in [format!("]d2{raw}"), bracketed] {
        let scan = understand(&sent);
        ensure!(
            scan.outcome.is_ok() && scan.kind == ScanKind::ElementString && scan.ais == es.ais,
            "the scan {sent:?} of valid {es:?} is {scan:?}"
        );
        let gtin = es.get("01").map(str::to_owned);
        ensure!(
            scan.gtin.as_ref().map(|g| g.as_str().to_owned()) == gtin,
            "the scan {sent:?} has GTIN {:?}, the message {gtin:?}",
            scan.gtin
        );
    }
    for stem in STEMS {
        check_digital_link_of(es, stem)?;
    }
    Ok(())
}

/// A valid message has a Digital Link, unless it is one of the [`NO_URI_RULES`]
/// exclusions; that link's URI parses back to the same link and to the same AIs (as a
/// set: order and repeats are not carried), and reads as a valid scan (`]Q1`).
pub fn check_digital_link_of(es: &ElementString, stem: Option<&str>) -> Check {
    let dl = match DigitalLink::from_element_string(es, stem) {
        Ok(dl) => dl,
        Err(BuildError::NoUri(e)) => {
            ensure!(
                NO_URI_RULES.contains(&e.rule()),
                "valid {es:?} has no Digital Link for an unexpected reason: {e}"
            );
            return Ok(());
        }
        Err(BuildError::InvalidData(e)) => {
            return Err(format!(
                "valid {es:?} is invalid to the Digital Link builder: {e}"
            ))
        }
    };
    let uri = dl.to_string();
    let parsed = DigitalLink::parse(&uri);
    ensure!(
        parsed.as_ref() == Ok(&dl),
        "the Digital Link {uri:?} of {es:?} parses as {parsed:?}, built as {dl:?}"
    );
    ensure!(
        ai_set(&dl.to_element_string().ais) == ai_set(&es.ais),
        "the Digital Link {uri:?} carries {:?}, the message {:?}",
        dl.to_element_string().ais,
        es.ais
    );
    let scan = understand(&format!("]Q1{uri}"));
    ensure!(
        scan.outcome.is_ok() && scan.kind == ScanKind::DigitalLink,
        "the scan of {uri:?} is {scan:?}"
    );
    ensure!(
        ai_set(&scan.ais) == ai_set(&es.ais),
        "the scan of {uri:?} has {:?}, the message {:?}",
        scan.ais,
        es.ais
    );
    Ok(())
}

/// Arbitrary text through both element string parsers: whatever parses has only known
/// AIs and non-empty values (predefined-length ones exactly as long as the table says);
/// bracketed data reads back from its own bracketed form whether valid or not; and a
/// valid message passes [`check_message`].
pub fn check_parse_text(s: &str) -> Check {
    if let Ok(es) = ElementString::parse_bracketed(s) {
        check_parsed(&es, s, false)?;
        let again = ElementString::parse_bracketed(&es.to_bracketed());
        ensure!(
            again.as_ref() == Ok(&es),
            "{s:?} parses as {es:?}, whose bracketed form {:?} parses as {again:?}",
            es.to_bracketed()
        );
        check_message(&es)?;
    }
    if let Ok(es) = ElementString::parse_raw(s) {
        check_parsed(&es, s, true)?;
        check_message(&es)?;
    }
    Ok(())
}

/// Known AIs, non-empty values, and (`raw`: read without brackets, where the table says
/// where a value ends) predefined-length values of exactly their length.
fn check_parsed(es: &ElementString, s: &str, raw: bool) -> Check {
    ensure!(!es.ais.is_empty(), "{s:?} parses to no AI");
    for (ai, value) in &es.ais {
        let Some(entry) = lookup(ai) else {
            return Err(format!("{s:?} parses to unknown AI ({ai})"));
        };
        ensure!(!value.is_empty(), "{s:?} parses to an empty ({ai})");
        ensure!(
            !raw || !entry.predefined_length || value.chars().count() == entry.max_len(),
            "{s:?}: raw ({ai}) is predefined-length {} but has {value:?}",
            entry.max_len()
        );
    }
    Ok(())
}

/// Arbitrary text as a Digital Link URI, with and without zero-suppressed GTINs. What
/// parses is a valid message; its URI parses back to the same link; its canonical form
/// is stable and carries the same AIs; the builder makes a link of its AIs with the same
/// key and AIs; and it reads as a valid scan with those AIs.
pub fn check_uri(s: &str) -> Check {
    for opts in [
        ParseOptions::default(),
        ParseOptions {
            permit_zero_suppressed_gtin: true,
        },
    ] {
        let Ok(dl) = DigitalLink::parse_with(s, opts) else {
            continue;
        };
        let es = dl.to_element_string();
        ensure!(es.validate().is_ok(), "{s:?} parses to invalid {es:?}");
        let uri = dl.to_string();
        let again = DigitalLink::parse(&uri);
        ensure!(
            again.as_ref() == Ok(&dl),
            "{s:?} parses as {dl:?}, whose URI {uri:?} parses as {again:?}"
        );
        let canonical = dl.canonical(None);
        let curi = canonical.to_string();
        let again = DigitalLink::parse(&curi);
        ensure!(
            again.as_ref() == Ok(&canonical),
            "{s:?}: canonical {curi:?} parses as {again:?}"
        );
        ensure!(
            ai_set(&canonical.to_element_string().ais) == ai_set(&es.ais),
            "{s:?}: canonical {curi:?} lost or gained AIs"
        );
        match DigitalLink::from_element_string(&es, None) {
            Ok(built) => {
                ensure!(
                    built.key == dl.key,
                    "{s:?}: built again the key is {:?}, parsed {:?}",
                    built.key,
                    dl.key
                );
                ensure!(
                    ai_set(&built.to_element_string().ais) == ai_set(&es.ais),
                    "{s:?}: built again from {es:?} gives {built:?}"
                );
            }
            Err(e) => {
                return Err(format!(
                    "{s:?} parses, but its AIs {es:?} build no link: {e}"
                ))
            }
        }
        let scan = understand(&format!("]Q1{uri}"));
        ensure!(
            scan.outcome.is_ok() && scan.ais == es.ais,
            "{s:?}: the scan of {uri:?} is {scan:?}"
        );
    }
    Ok(())
}

/// A raw scan: never refused (a [`Scan`](shared::gs1::scan::Scan) whatever the input);
/// status `ERROR` exactly when the outcome is an error; valid data has AIs that form a
/// valid message and a GTIN that is its (01); the five GS1 AI-data identifiers read the
/// same data the same way; valid element strings and Digital Links read the same again
/// when re-sent as `]d2` raw data; and the scan never contradicts its own GTIN and AIs.
pub fn check_scan(raw: &str) -> Check {
    let scan = understand(raw);
    let status = scan.status(|_| true);
    ensure!(
        (status == ScanStatus::Error) == scan.outcome.is_err(),
        "{raw:?}: status {status} with outcome {:?}",
        scan.outcome
    );
    ensure!(
        scan.error_message().is_some() == scan.outcome.is_err(),
        "{raw:?}: error message and outcome disagree"
    );
    // The same body under each GS1 AI-data identifier reads the same.
    if let Some(body) = SYMBOLOGY_PREFIXES.iter().find_map(|p| raw.strip_prefix(p)) {
        for p in SYMBOLOGY_PREFIXES {
            let other = understand(&format!("{p}{body}"));
            ensure!(
                (&other.kind, &other.gtin, &other.ais, &other.outcome)
                    == (&scan.kind, &scan.gtin, &scan.ais, &scan.outcome),
                "{raw:?} reads as {scan:?} but under {p} as {other:?}"
            );
        }
    }
    if scan.outcome.is_err() {
        return Ok(());
    }
    ensure!(
        scan.kind != ScanKind::PlainText && !scan.ais.is_empty(),
        "{raw:?}: valid but {scan:?}"
    );
    let es = ElementString {
        ais: scan.ais.clone(),
    };
    ensure!(
        es.validate().is_ok(),
        "{raw:?}: valid scan with invalid AIs {es:?}"
    );
    ensure!(
        scan.gtin.as_ref().map(|g| g.as_str()) == es.get("01"),
        "{raw:?}: GTIN {:?} but (01) {:?}",
        scan.gtin,
        es.get("01")
    );
    if scan.kind == ScanKind::Gtin {
        ensure!(
            scan.ais.len() == 1 && scan.gtin.is_some(),
            "{raw:?}: a GTIN scan with {:?}",
            scan.ais
        );
    }
    ensure!(
        scan.contradicts(scan.gtin.as_ref().map(|g| g.as_str()), Some(&scan.ais))
            .is_none(),
        "{raw:?}: the scan contradicts its own data"
    );
    if matches!(scan.kind, ScanKind::ElementString | ScanKind::DigitalLink) {
        let again = understand(&format!("]d2{}", es.to_raw()));
        ensure!(
            again.outcome.is_ok() && again.ais == scan.ais,
            "{raw:?}: sent again as ]d2 {:?} reads as {again:?}",
            es.to_raw()
        );
        check_message(&es)?;
    }
    Ok(())
}
