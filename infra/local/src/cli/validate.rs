//! `gs1-codes validate`: GS1 data read as a scanner's would be ([`understand`]), then
//! the AIs, the HRI and the canonical Digital Link URI, or the GS1 rule that failed
//! with a caret under the failing character.
//!
//! Reading and validation are the GS1 core's ([`understand`], the captures' reader).
//! What is added here is only where to put the caret: [`Gs1Error::position`] counts
//! within an AI's value for AI rules and within the parsed text for syntax rules, so
//! the failing data is parsed once more to get that error and its value is found in
//! the input.

use super::Failure;
use clap::Args;
use serde_json::{json, Value};
use shared::api::qr::stem;
use shared::gs1::digital_link::{percent_encode, ParseOptions};
use shared::gs1::element_string::GS;
use shared::gs1::scan::{understand, Scan, ScanKind};
use shared::gs1::{lookup, DigitalLink, ElementString, Gs1Error, Gtin14};

/// `gs1-codes validate`.
#[derive(Args, Debug, Clone)]
pub struct ValidateArgs {
    /// The data: `(01)09501101020917(10)ABC`, `https://id.gs1.org/01/09501101020917`, or scan data such as `]d2` + AIs with GS (0x1D) separators; - reads one line from stdin
    #[arg(allow_hyphen_values = true)]
    pub data: String,
    /// Print the result as one JSON object (on failure too, with exit code 1)
    #[arg(long)]
    pub json: bool,
}

/// The symbology identifiers whose data [`ElementString::parse_raw`] reads.
const RAW_IDS: [&str; 5] = ["]C1", "]e0", "]d2", "]Q3", "]J1"];
/// Those whose data may be a Digital Link URI.
const PLAIN_IDS: [&str; 3] = ["]d1", "]Q1", "]J0"];

/// Validates and prints.
pub fn run(args: ValidateArgs) -> Result<(), Failure> {
    let data = if args.data == "-" {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| Failure::io("stdin", &e))?;
        line
    } else {
        args.data
    };
    let data = data.trim_end_matches(['\r', '\n']).to_string();
    let scan = understand(&data);
    let report = Report::of(&data, &scan);
    if args.json {
        println!("{}", report.json(&scan));
    } else {
        print!("{}", report.text(&scan));
    }
    match scan.outcome {
        Ok(()) => Ok(()),
        Err(_) => Err(Failure {
            code: 1,
            message: String::new(),
        }),
    }
}

/// What validate says of one input.
struct Report {
    input: String,
    es: ElementString,
    uri: Option<String>,
    /// The failing character, 0-based, in `input`'s characters.
    caret: Option<usize>,
}

impl Report {
    fn of(input: &str, scan: &Scan) -> Report {
        let es = ElementString {
            ais: scan.ais.clone(),
        };
        let uri = scan
            .outcome
            .is_ok()
            .then(|| DigitalLink::from_element_string(&es, Some(stem())).ok())
            .flatten()
            .map(|dl| dl.to_string());
        let caret = scan.outcome.is_err().then(|| caret(input, scan));
        Report {
            input: input.to_string(),
            es,
            uri,
            caret,
        }
    }

    fn text(&self, scan: &Scan) -> String {
        let mut out = String::new();
        match &scan.outcome {
            Ok(()) => {
                out.push_str(&format!("valid {}\n", kind_name(scan.kind)));
                for (ai, v) in &self.es.ais {
                    let title = lookup(ai).map_or("", |e| e.title);
                    out.push_str(&format!("  ({ai}) {v:<24} {title}\n"));
                }
                if let Some(a) = &scan.add_on {
                    out.push_str(&format!("  add-on {a}\n"));
                }
                out.push_str(&format!("HRI: {}\n", self.es.hri()));
                out.push_str(&format!(
                    "canonical URI: {}\n",
                    self.uri
                        .as_deref()
                        .unwrap_or("(none: no Digital Link primary key)")
                ));
            }
            Err(e) => {
                out.push_str(&format!("invalid: {} [{}]\n", e.message, e.rule));
                out.push_str(&format!("  {}\n", shown(&self.input)));
                let col = self.caret.unwrap_or(0);
                out.push_str(&format!("  {}^\n", " ".repeat(col)));
            }
        }
        out
    }

    fn json(&self, scan: &Scan) -> Value {
        let ais: Vec<Value> = self
            .es
            .ais
            .iter()
            .map(|(ai, v)| json!({"ai": ai, "value": v, "title": lookup(ai).map_or("", |e| e.title)}))
            .collect();
        let error = scan.outcome.as_ref().err().map(
            |e| json!({"rule": e.rule, "ai": e.ai, "message": e.message, "position": self.caret}),
        );
        json!({
            "valid": scan.outcome.is_ok(),
            "input": self.input,
            "kind": kind_name(scan.kind).to_ascii_lowercase().replace(' ', "_"),
            "symbology_identifier": scan.symbology_identifier,
            "gtin": scan.gtin.as_ref().map(Gtin14::as_str),
            "add_on": scan.add_on,
            "ais": ais,
            "element_string": (!self.es.ais.is_empty()).then(|| self.es.to_bracketed()),
            "hri": (!self.es.ais.is_empty()).then(|| self.es.hri()),
            "canonical_uri": self.uri,
            "error": error,
        })
    }
}

fn kind_name(kind: ScanKind) -> &'static str {
    match kind {
        ScanKind::Gtin => "GTIN",
        ScanKind::ElementString => "element string",
        ScanKind::DigitalLink => "Digital Link URI",
        ScanKind::PlainText => "plain text",
    }
}

/// The input with GS shown as `␝` (one column, as the caret counts).
fn shown(input: &str) -> String {
    input.replace(GS, "\u{241D}")
}

/// The 0-based character under which the caret goes.
fn caret(input: &str, scan: &Scan) -> usize {
    let id = input.get(..3).filter(|s| s.starts_with(']'));
    let (offset, body) = match id {
        Some(id) if !RAW_IDS.contains(&id) => (3, &input[3..]),
        _ => (0, input),
    };
    let is_dl = ["https://", "HTTPS://", "http://", "HTTP://"]
        .iter()
        .any(|s| body.starts_with(s));
    let chars = input.chars().count();
    let at = |byte: usize| input[..byte.min(input.len())].chars().count();
    // The GS1 error with its position, and whether that position is in the input
    // (syntax) or in the AI's value.
    let raw_id = id.is_some_and(|id| RAW_IDS.contains(&id));
    let plain_id = id.is_some_and(|id| PLAIN_IDS.contains(&id));
    let (err, in_input): (Option<Gs1Error>, bool) = if is_dl && (id.is_none() || plain_id) {
        let opts = ParseOptions {
            permit_zero_suppressed_gtin: true,
        };
        let e = DigitalLink::parse_with(body, opts).err();
        let in_input = e.as_ref().is_some_and(|e| e.ai().is_none());
        (e, in_input)
    } else if scan.kind == ScanKind::ElementString && (id.is_none() || raw_id) {
        let parsed = if body.starts_with('(') {
            ElementString::parse_bracketed(body)
        } else {
            ElementString::parse_raw(body)
        };
        match parsed {
            Err(e) => {
                let in_input = e.position().is_some();
                (Some(e), in_input)
            }
            Ok(es) => (es.validate().err(), false),
        }
    } else {
        (None, false)
    };
    let Some(err) = err else {
        // A GTIN alone: its last digit (check digit) for `csum`, else where the data starts.
        return match scan.outcome.as_ref().err().map(|e| e.rule) {
            Some("csum") => chars.saturating_sub(1),
            _ => at(offset),
        };
    };
    if in_input {
        return at(offset) + err.position().unwrap_or(0);
    }
    match err.ai() {
        Some(ai) => match value_start(input, offset, is_dl, ai, scan) {
            Some(start) => at(start) + err.position().unwrap_or(0),
            None => at(offset),
        },
        None => at(offset) + err.position().unwrap_or(0),
    }
    .min(chars.saturating_sub(1))
}

/// Where the value of `ai` starts in `input` (a byte index).
fn value_start(input: &str, offset: usize, is_dl: bool, ai: &str, scan: &Scan) -> Option<usize> {
    let body = &input[offset..];
    if is_dl {
        let value = scan
            .ais
            .iter()
            .find(|(a, _)| a == ai)
            .map(|(_, v)| percent_encode(v));
        for pat in [format!("/{ai}/"), format!("?{ai}="), format!("&{ai}=")] {
            if let Some(p) = body.rfind(&pat) {
                return Some(offset + p + pat.len());
            }
        }
        return value.and_then(|v| body.find(&v)).map(|p| offset + p);
    }
    if body.starts_with('(') {
        let pat = format!("({ai})");
        return body.find(&pat).map(|p| offset + p + pat.len());
    }
    // Raw data: walk the AIs as parsed, past the symbology identifier and any FNC1.
    let mut at = input
        .get(..3)
        .filter(|id| RAW_IDS.contains(id))
        .map_or(offset, |_| 3);
    for (a, v) in &scan.ais {
        at += input[at..].starts_with([GS, '^']) as usize;
        if !input[at..].starts_with(a.as_str()) {
            return None;
        }
        if a == ai {
            return Some(at + a.len());
        }
        at += a.len() + v.len();
    }
    None
}
