//! The GS1 data fields that 2D symbol requests share (GS1 DataMatrix, QR): the spec's
//! `gtin`, `lot` (AI 10), `serial` (AI 21) and `expiry` (AI 17), plus extra AIs as `ais`
//! (an object, POST only) or `element_string` (bracketed or raw, also in a GET query).
//!
//! One reader, one element-string builder and one query writer, so every endpoint
//! names the same fields the same way and reports a GS1 rule failure at the field that
//! carried the data.

use super::fields::{Fields, Source};
use super::image::QueryBuilder;
use super::problem::FieldFailure;
use crate::gs1::element_string::ElementString;
use crate::gs1::{Gs1Error, Gtin14};
use serde_json::Value;

/// The GS1 data of one request, as sent.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Gs1Fields {
    /// `gtin` as sent (8/12/13/14 digits); AI (01) as GTIN-14.
    pub gtin: String,
    /// AI (10) batch/lot number.
    pub lot: Option<String>,
    /// AI (21) serial number.
    pub serial: Option<String>,
    /// AI (17) expiry date, YYMMDD (DD = 00 allowed).
    pub expiry: Option<String>,
    /// Extra AIs beyond the spec, in the order given.
    pub extra: Vec<(String, String)>,
    /// Which of `extra` came from the `ais` object (the others from `element_string`):
    /// only to name the field an error is reported at.
    pub from_ais_object: Vec<String>,
}

impl Gs1Fields {
    /// The body fields read here.
    pub const NAMES: [&'static str; 6] =
        ["gtin", "lot", "serial", "expiry", "ais", "element_string"];
    /// Those with no place in a GET query (objects).
    pub const POST_ONLY: [&'static str; 1] = ["ais"];

    /// Reads every field but `gtin` (which the POST body or the GET path gives).
    pub fn read(f: &mut Fields, gtin: Option<String>) -> Self {
        Gs1Fields {
            gtin: gtin.unwrap_or_default(),
            lot: f.opt_string("lot"),
            serial: f.opt_string("serial"),
            expiry: f.opt_string("expiry"),
            from_ais_object: f
                .raw("ais")
                .and_then(Value::as_object)
                .filter(|_| f.source() == Source::Body)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default(),
            extra: read_extra(f),
        }
    }

    /// The element string: predefined-length AIs first ((01), (17)...), then the others
    /// ((10), (21), extras), so the fewest FNC1 separators are needed
    /// ([`ElementString::ordered_for_encoding`]); validated as a whole message.
    ///
    /// Errors: a 422 at `gtin`, `lot`, `serial`, `expiry`, `ais.<AI>` or
    /// `element_string`, naming the GS1 rule.
    pub fn element_string(&self) -> Result<ElementString, FieldFailure> {
        let es = self.unvalidated_element_string()?;
        es.validate().map_err(|e| self.failure(&e))?;
        Ok(es)
    }

    /// [`Gs1Fields::element_string`] without validating the message (the GTIN is still
    /// checked): for callers that validate it themselves, such as
    /// `DigitalLink::from_element_string`.
    ///
    /// Errors: a 422 at `gtin`.
    pub fn unvalidated_element_string(&self) -> Result<ElementString, FieldFailure> {
        let gtin: Gtin14 = self.gtin.parse().map_err(|e| FieldFailure::gtin(&e))?;
        let mut all: Vec<(String, String)> = vec![("01".into(), gtin.as_str().to_string())];
        let named = [
            ("17", &self.expiry),
            ("10", &self.lot),
            ("21", &self.serial),
        ];
        all.extend(
            named
                .iter()
                .filter_map(|(ai, v)| v.as_ref().map(|v| (ai.to_string(), v.clone()))),
        );
        all.extend(self.extra.iter().cloned());
        Ok(ElementString::ordered_for_encoding(all))
    }

    /// A GS1 failure at the request field that carried the AI: `gtin` for (01); `lot`,
    /// `serial`, `expiry` for (10), (21), (17) when those fields were sent; `ais.<AI>`
    /// for an AI of the `ais` object; `element_string` for the rest.
    pub fn failure(&self, e: &Gs1Error) -> FieldFailure {
        let named = |ai: &str| match ai {
            "10" => self.lot.as_ref().map(|_| "lot"),
            "21" => self.serial.as_ref().map(|_| "serial"),
            "17" => self.expiry.as_ref().map(|_| "expiry"),
            _ => None,
        };
        let field = match e.ai() {
            Some("01") => "gtin".to_string(),
            Some(ai) => match named(ai) {
                Some(f) => f.to_string(),
                None if self.from_ais_object.iter().any(|a| a == ai) => format!("ais.{ai}"),
                None => "element_string".to_string(),
            },
            None => "element_string".to_string(),
        };
        FieldFailure::gs1(field, e)
    }

    /// Writes these fields into a GET query (`gtin` goes in the path).
    pub fn write_query(&self, q: &mut QueryBuilder) {
        q.push_opt("lot", self.lot.as_deref());
        q.push_opt("serial", self.serial.as_deref());
        q.push_opt("expiry", self.expiry.as_deref());
        if !self.extra.is_empty() {
            let es = ElementString {
                ais: self.extra.clone(),
            };
            q.push_opt("element_string", Some(&es.to_bracketed()));
        }
    }
}

/// Extra AIs from `ais` (an object) and `element_string`.
fn read_extra(f: &mut Fields) -> Vec<(String, String)> {
    let mut extra = Vec::new();
    // `ais` is an object, so it exists in JSON bodies only; in a query it is unknown.
    let ais = match f.source() {
        Source::Body => f.raw("ais").cloned(),
        Source::Query => None,
    };
    match ais {
        None => {}
        Some(Value::Object(map)) => {
            for (ai, v) in map {
                match v {
                    Value::String(s) => extra.push((ai, s)),
                    _ => f.error_at(
                        &["ais", &ai],
                        "string_type",
                        "Input should be a valid string",
                    ),
                }
            }
        }
        Some(_) => f.error(
            "ais",
            "dict_type",
            "Input should be an object of AI -> value",
        ),
    }
    if let Some(s) = f.opt_string("element_string") {
        let parsed = if s.starts_with('(') {
            ElementString::parse_bracketed(&s)
        } else {
            ElementString::parse_raw(&s)
        };
        match parsed {
            Ok(es) => extra.extend(es.ais),
            Err(e) => f.error("element_string", e.rule(), e.to_string()),
        }
    }
    extra
}
