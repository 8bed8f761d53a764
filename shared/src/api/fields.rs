//! Request fields with exact errors.
//!
//! We read JSON bodies (and the query strings of cacheable GET URLs) field by field
//! instead of deriving `Deserialize`, because serde stops at the first error and
//! words it for Rust programmers; a caller needs every failing field, its location
//! (`["body", "module_width"]`) and the rule, in pydantic's vocabulary
//! (`missing`, `float_type`, `greater_than_equal`, `enum`, `extra_forbidden`...).

use super::body::{too_large_for, MAX_BODY_BYTES};
use super::problem::{FieldError, Loc, Problem, ProblemKind, MAX_DETAILS};
use super::Request;
use crate::unicode::{first_refused, refused, CharName};
use serde_json::{Map, Value};

/// The rule of a string holding a character no field accepts ([`crate::unicode`]).
pub const FORBIDDEN_CHARACTER: &str = "forbidden_character";

/// A number field: its wire name, default and bounds (inclusive). One constant per
/// field serves the body reader, the query reader and the query writer, so the
/// cacheable and signed GET URLs can never drift from what the POST form reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NumberField {
    /// The JSON key and query parameter.
    pub name: &'static str,
    /// The value when absent (left out of written queries).
    pub default: f64,
    /// Smallest value accepted.
    pub min: f64,
    /// Largest value accepted.
    pub max: f64,
}

/// A whole-number field, as [`NumberField`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntegerField {
    /// The JSON key and query parameter.
    pub name: &'static str,
    /// The value when absent.
    pub default: i64,
    /// Smallest value accepted.
    pub min: i64,
    /// Largest value accepted.
    pub max: i64,
}

/// A boolean field, as [`NumberField`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlagField {
    /// The JSON key and query parameter.
    pub name: &'static str,
    /// The value when absent.
    pub default: bool,
}

/// A field taking one of named values, each standing for a `T`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChoiceField<T: 'static> {
    /// The JSON key and query parameter.
    pub name: &'static str,
    /// The value when absent.
    pub default: T,
    /// Every wire name with its value, in the order error messages list them.
    pub options: &'static [(&'static str, T)],
}

impl<T: Copy + PartialEq> ChoiceField<T> {
    /// The wire name of `value` (the default's name if `value` is not listed).
    pub fn name_of(&self, value: T) -> &'static str {
        self.options
            .iter()
            .chain(self.options.iter().filter(|(_, v)| *v == self.default))
            .find(|(_, v)| *v == value)
            .map_or("", |(n, _)| n)
    }
}

/// Where the fields came from; it is the first element of every `loc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A JSON request body.
    Body,
    /// A GET URL's query string (and its path, for `gtin`).
    Query,
}

impl Source {
    fn name(self) -> &'static str {
        match self {
            Source::Body => "body",
            Source::Query => "query",
        }
    }
}

/// The fields of one request, read one by one; every error is kept for one 422.
pub struct Fields {
    source: Source,
    map: Map<String, Value>,
    errors: Vec<FieldError>,
}

impl Fields {
    /// Parses a JSON object body: 415 for a non-JSON body sent as another type, 413 when too large,
    /// 422 `json_invalid` / `model_type` for malformed JSON or a non-object.
    pub fn from_json_request(req: &Request) -> Result<Fields, Problem> {
        Self::from_json_request_up_to(req, MAX_BODY_BYTES)
    }

    /// [`Fields::from_json_request`] for a route whose body may reach `limit` bytes (the
    /// same limit as its [`super::body::Buffered`] extractor).
    pub fn from_json_request_up_to(req: &Request, limit: usize) -> Result<Fields, Problem> {
        if req.body().len() > limit {
            return Err(too_large_for(limit));
        }
        let mime = req.headers().get(http::header::CONTENT_TYPE).map(|ct| {
            let ct = ct.to_str().unwrap_or("");
            ct.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
        let declared_json = mime
            .as_deref()
            .is_none_or(|m| m == "application/json" || m.ends_with("+json"));
        let value: Value = match serde_json::from_slice(req.body()) {
            Ok(v) => v,
            // `curl -d '{...}'` labels JSON as a form: read what was sent, and answer
            // 415 only for a body that is neither declared nor parsable as JSON.
            Err(_) if !declared_json && !looks_like_json(req.body()) => {
                return Err(Problem::new(
                    ProblemKind::UnsupportedMediaType,
                    format!(
                        "Send a JSON body (Content-Type: application/json), not {:?}.",
                        mime.unwrap_or_default()
                    ),
                ))
            }
            Err(e) => {
                return Err(Problem::field(FieldError::at(
                    &["body"],
                    "json_invalid",
                    format!(
                        "Invalid JSON at line {} column {}: {}",
                        e.line(),
                        e.column(),
                        json_reason(&e)
                    ),
                )))
            }
        };
        match value {
            Value::Object(map) => Ok(Fields::checked(Source::Body, map)),
            _ => Err(Problem::field(FieldError::at(
                &["body"],
                "model_type",
                "The body must be a JSON object.",
            ))),
        }
    }

    /// The fields of a body that is not JSON (a multipart form's text parts), with
    /// `body` locations.
    pub fn from_body_map(map: Map<String, Value>) -> Fields {
        Fields::checked(Source::Body, map)
    }

    /// Fields over `map` whose every string (value or object key, at any depth) has
    /// been checked for characters no field accepts: each one found is a
    /// `forbidden_character` error at its place, recorded before any field's own rule
    /// runs (see [`crate::unicode`] for the list and why).
    fn checked(source: Source, map: Map<String, Value>) -> Fields {
        let mut errors = Vec::new();
        let mut loc = vec![Loc::Key(source.name().to_string())];
        refuse_hidden_in_object(&mut loc, &map, &mut errors);
        Fields {
            source,
            map,
            errors,
        }
    }

    /// Query parameters as string fields; a repeated parameter is an error.
    pub fn from_query(query: Option<&str>) -> Result<Fields, Problem> {
        let mut map = Map::new();
        let mut errors = Vec::new();
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let malformed = "Malformed percent-encoding, or bytes that are not UTF-8.";
            match (form_decode(k), form_decode(v)) {
                (Some(k), Some(v)) => {
                    if map.insert(k.clone(), Value::String(v)).is_some() {
                        errors.push(FieldError::at(
                            &["query", &k],
                            "duplicate",
                            "Parameter given more than once.",
                        ));
                    }
                }
                // The parameter's name, when it can be read.
                (Some(k), None) => {
                    errors.push(FieldError::at(&["query", &k], "url_parsing", malformed))
                }
                (None, _) => errors.push(FieldError::at(&["query"], "url_parsing", malformed)),
            }
        }
        let mut f = Fields::checked(Source::Query, map);
        errors.append(&mut f.errors);
        f.errors = errors;
        Ok(f)
    }

    /// Where these fields came from.
    pub fn source(&self) -> Source {
        self.source
    }

    /// Records an error at `field` (below the source) with rule `kind`.
    pub fn error(&mut self, field: &str, kind: &str, msg: impl Into<String>) {
        self.errors
            .push(FieldError::at(&[self.source.name(), field], kind, msg));
    }

    /// Records an error at a nested location below the source (`["body", "ais", "17"]`).
    pub fn error_at(&mut self, loc: &[&str], kind: &str, msg: impl Into<String>) {
        let mut full = vec![self.source.name()];
        full.extend_from_slice(loc);
        self.errors.push(FieldError::at(&full, kind, msg));
    }

    /// Whether `name` is present and not null.
    pub fn has(&self, name: &str) -> bool {
        self.map.get(name).is_some_and(|v| !v.is_null())
    }

    /// The raw JSON value of `name`, unless absent or null.
    pub fn raw(&self, name: &str) -> Option<&Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    /// A required string.
    pub fn string(&mut self, name: &str) -> Option<String> {
        if !self.has(name) {
            self.error(name, "missing", "Field required");
            return None;
        }
        self.opt_string(name)
    }

    /// An optional string (absent or null is `None`).
    pub fn opt_string(&mut self, name: &str) -> Option<String> {
        match self.map.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                self.error(name, "string_type", "Input should be a valid string");
                None
            }
        }
    }

    /// A number within `[min, max]`, `default` when absent.
    pub fn number(&mut self, name: &str, default: f64, min: f64, max: f64) -> f64 {
        let v = match self.map.get(name) {
            None | Some(Value::Null) => return default,
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) if self.source == Source::Query => s.trim().parse::<f64>().ok(),
            Some(_) => None,
        };
        match v {
            Some(v) if !v.is_finite() => {
                self.error(name, "finite_number", "Input should be a finite number");
                default
            }
            Some(v) if v < min => {
                self.error(
                    name,
                    "greater_than_equal",
                    format!("Input should be greater than or equal to {min}"),
                );
                default
            }
            Some(v) if v > max => {
                self.error(
                    name,
                    "less_than_equal",
                    format!("Input should be less than or equal to {max}"),
                );
                default
            }
            Some(v) => v,
            None => {
                self.error(name, "float_type", "Input should be a valid number");
                default
            }
        }
    }

    /// A whole number within `[min, max]`.
    pub fn integer(&mut self, name: &str, default: i64, min: i64, max: i64) -> i64 {
        let before = self.errors.len();
        let v = self.number(name, default as f64, min as f64, max as f64);
        if self.errors.len() == before && v.fract() != 0.0 {
            self.error(name, "int_type", "Input should be a valid integer");
            return default;
        }
        v as i64
    }

    /// A boolean, `default` when absent; in a query also `1/0`, `yes/no`, `on/off`.
    pub fn boolean(&mut self, name: &str, default: bool) -> bool {
        match self.map.get(name) {
            None | Some(Value::Null) => default,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) if self.source == Source::Query => match s.as_str() {
                "true" | "1" | "yes" | "on" => true,
                "false" | "0" | "no" | "off" => false,
                _ => {
                    self.error(name, "bool_type", "Input should be a valid boolean");
                    default
                }
            },
            Some(_) => {
                self.error(name, "bool_type", "Input should be a valid boolean");
                default
            }
        }
    }

    /// One of `options`; `default` when absent. Never falls back silently on a bad value.
    pub fn choice<'a>(&mut self, name: &str, default: &'a str, options: &[&'a str]) -> &'a str {
        match self.opt_string(name) {
            None => default,
            Some(s) => match options.iter().find(|o| **o == s) {
                Some(o) => o,
                None => {
                    self.error(
                        name,
                        "enum",
                        format!("Input should be {}", quoted_list(options)),
                    );
                    default
                }
            },
        }
    }

    /// [`Fields::number`] for a declared field.
    pub fn read_number(&mut self, field: &NumberField) -> f64 {
        self.number(field.name, field.default, field.min, field.max)
    }

    /// [`Fields::integer`] for a declared field.
    pub fn read_integer(&mut self, field: &IntegerField) -> i64 {
        self.integer(field.name, field.default, field.min, field.max)
    }

    /// [`Fields::boolean`] for a declared field.
    pub fn read_flag(&mut self, field: &FlagField) -> bool {
        self.boolean(field.name, field.default)
    }

    /// [`Fields::choice`] for a declared field, as its value.
    pub fn read_choice<T: Copy + PartialEq>(&mut self, field: &ChoiceField<T>) -> T {
        let names: Vec<&'static str> = field.options.iter().map(|(n, _)| *n).collect();
        let default = field.name_of(field.default);
        let name = self.choice(field.name, default, &names);
        field
            .options
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(field.default, |(_, v)| *v)
    }

    /// Rejects fields we do not know (a typo must not silently become a default),
    /// then returns every error found so far as one 422.
    pub fn finish(mut self, known: &[&str]) -> Result<(), Problem> {
        let mut extra: Vec<String> = self
            .map
            .keys()
            .filter(|k| !known.contains(&k.as_str()))
            .cloned()
            .collect();
        extra.sort();
        for k in extra {
            self.error(&k, "extra_forbidden", "Extra inputs are not permitted");
        }
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Problem::validation(self.errors))
        }
    }
}

/// The `forbidden_character` error of `value` at `loc`, if it holds a character no
/// field accepts: which one (escaped, never raw), where (1-based, in characters) and why.
pub fn refused_character(loc: Vec<Loc>, value: &str) -> Option<FieldError> {
    let (position, c) = first_refused(value)?;
    let why = refused(c).map_or("", |r| r.reason());
    Some(FieldError {
        loc,
        msg: format!(
            "character {} at position {} is refused in every field: {why}",
            CharName(c),
            position + 1
        ),
        kind: FORBIDDEN_CHARACTER.to_string(),
    })
}

/// [`refused_character`] over every string of `value` at `loc` (values and object
/// keys, at any depth: serde_json stops at 128 levels); stops once [`MAX_DETAILS`]
/// errors are found (one problem lists no more).
fn refuse_hidden_characters(loc: &mut Vec<Loc>, value: &Value, errors: &mut Vec<FieldError>) {
    match value {
        Value::String(s) => errors.extend(refused_character(loc.clone(), s)),
        Value::Array(list) => {
            for (i, v) in list.iter().enumerate() {
                if errors.len() >= MAX_DETAILS {
                    return;
                }
                loc.push(Loc::Index(i));
                refuse_hidden_characters(loc, v, errors);
                loc.pop();
            }
        }
        Value::Object(map) => refuse_hidden_in_object(loc, map, errors),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// [`refuse_hidden_characters`] for each member of `map`: a key that holds a refused
/// character is the fault, and its value is not looked at.
fn refuse_hidden_in_object(
    loc: &mut Vec<Loc>,
    map: &Map<String, Value>,
    errors: &mut Vec<FieldError>,
) {
    for (k, v) in map {
        if errors.len() >= MAX_DETAILS {
            return;
        }
        loc.push(Loc::Key(k.clone()));
        match refused_character(loc.clone(), k) {
            Some(e) => errors.push(e),
            None => refuse_hidden_characters(loc, v, errors),
        }
        loc.pop();
    }
}

/// A body that starts like JSON is answered as JSON (a parse error is a 422 with the
/// place), whatever its declared type.
fn looks_like_json(body: &[u8]) -> bool {
    matches!(
        body.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

fn quoted_list(options: &[&str]) -> String {
    let q: Vec<String> = options.iter().map(|o| format!("'{o}'")).collect();
    match q.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => q.join(""),
    }
}

fn json_reason(e: &serde_json::Error) -> String {
    // serde_json's Display appends " at line X column Y"; we give those separately.
    let s = e.to_string();
    match s.find(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// `application/x-www-form-urlencoded` decoding of one query component.
pub fn form_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn req(ct: Option<&str>, body: &str) -> Request {
        let mut b = http::Request::builder().method("POST").uri("/x");
        if let Some(ct) = ct {
            b = b.header("content-type", ct);
        }
        b.body(Bytes::from(body.to_string())).unwrap()
    }

    fn locs(p: &Problem) -> Vec<(String, String)> {
        p.details
            .iter()
            .map(|d| (d.dotted_loc(), d.kind.clone()))
            .collect()
    }

    #[test]
    fn every_bad_field_is_reported_with_its_rule() {
        let r = req(
            Some("application/json"),
            r#"{"a": 5, "n": 0, "b": "x", "c": "zz", "typo": 1}"#,
        );
        let mut f = Fields::from_json_request(&r).unwrap();
        assert_eq!(f.string("a"), None);
        f.string("missing");
        f.number("n", 1.0, 0.1, 2.0);
        f.boolean("b", true);
        f.choice("c", "svg", &["svg", "png"]);
        let p = f.finish(&["a", "missing", "n", "b", "c"]).unwrap_err();
        assert_eq!(p.kind, ProblemKind::Validation);
        assert_eq!(
            locs(&p),
            [
                ("body.a", "string_type"),
                ("body.missing", "missing"),
                ("body.n", "greater_than_equal"),
                ("body.b", "bool_type"),
                ("body.c", "enum"),
                ("body.typo", "extra_forbidden"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    #[test]
    fn malformed_bodies_are_problems() {
        // 0: not JSON
        let p = Fields::from_json_request(&req(None, "{")).err().unwrap();
        assert_eq!(locs(&p), [("body".to_string(), "json_invalid".to_string())]);
        // 1: JSON but not an object
        let p = Fields::from_json_request(&req(None, "[1]")).err().unwrap();
        assert_eq!(p.details[0].kind, "model_type");
        // 2: not JSON, and not declared as JSON
        let p = Fields::from_json_request(&req(Some("text/plain"), "hello"))
            .err()
            .unwrap();
        assert_eq!(p.kind, ProblemKind::UnsupportedMediaType);
        // 2b: JSON that curl -d labelled as a form is read, and a JSON error in it
        // is reported as one
        let form = Some("application/x-www-form-urlencoded");
        assert!(Fields::from_json_request(&req(form, r#"{"a": 1}"#)).is_ok());
        let p = Fields::from_json_request(&req(form, r#"{"a": 1,}"#))
            .err()
            .unwrap();
        assert_eq!(p.details[0].kind, "json_invalid");
        // 3: too large
        let big = format!("{{\"a\":\"{}\"}}", "x".repeat(MAX_BODY_BYTES));
        let p = Fields::from_json_request(&req(None, &big)).err().unwrap();
        assert_eq!(p.kind, ProblemKind::PayloadTooLarge);
    }

    #[test]
    fn hidden_characters_are_refused_at_their_place_once() {
        let rows: [(&str, &[(&str, &str)]); 6] = [
            // 0: a value; the enum rule it also breaks is not listed again
            (
                r#"{"c": "svg\u202e"}"#,
                &[("body.c", "forbidden_character")],
            ),
            // 1: deep in a list of objects, with its index
            (
                r#"{"items": [{"lot": "A"}, {"lot": "A\u200dB"}]}"#,
                &[("body.items.1.lot", "forbidden_character")],
            ),
            // 2: an object key (and nothing below it, nor extra_forbidden for it),
            // shown escaped
            (
                r#"{"ais": {"1\u200f0": "x"}, "c": "svg"}"#,
                &[(r"body.ais.1\u{200f}0", "forbidden_character")],
            ),
            // 3: NUL, the line separator and a noncharacter
            (
                r#"{"c": "\u0000", "items": ["\u2028", "\ufdd0"]}"#,
                &[
                    ("body.c", "forbidden_character"),
                    ("body.items.0", "forbidden_character"),
                    ("body.items.1", "forbidden_character"),
                ],
            ),
            // 4: what each field's own rule judges passes here: emoji, Latin-1, GS
            (r#"{"c": "svg", "items": ["😀", "é\u001d\u00ad"]}"#, &[]),
            // 5: an unknown key that is only unknown
            (r#"{"typo": 1}"#, &[("body.typo", "extra_forbidden")]),
        ];
        for (i, (body, want)) in rows.into_iter().enumerate() {
            let mut f = Fields::from_json_request(&req(None, body)).unwrap();
            f.choice("c", "svg", &["svg", "png"]);
            let got = match f.finish(&["c", "items", "ais"]) {
                Ok(()) => Vec::new(),
                Err(p) => locs(&p),
            };
            let want: Vec<(String, String)> = want
                .iter()
                .map(|(l, k)| (l.to_string(), k.to_string()))
                .collect();
            assert_eq!(got, want, "row {i}");
        }
        // The message names the character escaped, its code point and name, and where.
        let f = Fields::from_json_request(&req(None, r#"{"lot": "AB\u202eC"}"#)).unwrap();
        let p = f.finish(&["lot"]).unwrap_err();
        assert!(
            p.details[0].msg.starts_with(
                "character '\\u{202e}' (U+202E RIGHT-TO-LEFT OVERRIDE) at position 3 is refused"
            ),
            "{}",
            p.details[0].msg
        );
        assert!(!p.detail.contains('\u{202e}'), "{}", p.detail);
        // In a query too, keys and values.
        let f = Fields::from_query(Some("lot=%E2%80%AE&x%E2%80%8B=1")).unwrap();
        let p = f.finish(&["lot"]).unwrap_err();
        assert_eq!(
            locs(&p),
            [
                ("query.lot".to_string(), "forbidden_character".to_string()),
                (
                    r"query.x\u{200b}".to_string(),
                    "forbidden_character".to_string()
                )
            ]
        );
    }

    #[test]
    fn a_problem_lists_at_most_fifty_fields() {
        // GIVEN a body of 10,000 unknown keys
        let keys: Vec<String> = (0..10_000).map(|i| format!("\"k{i}\": 1")).collect();
        let body = format!("{{{}}}", keys.join(","));
        let f = Fields::from_json_request(&req(None, &body)).unwrap();
        // THEN one 422 lists 50 of them and says how many there were
        let p = f.finish(&[]).unwrap_err();
        assert_eq!(p.details.len(), MAX_DETAILS);
        assert_eq!(
            p.detail,
            "10000 fields failed validation; the first 50 are listed."
        );
    }

    #[test]
    fn undecodable_query_values_are_named_by_their_parameter() {
        let f = Fields::from_query(Some("lot=%FF%FE&%C3=1&ok=%41")).unwrap();
        let p = f.finish(&["lot", "ok"]).unwrap_err();
        assert_eq!(
            locs(&p),
            [
                ("query.lot".to_string(), "url_parsing".to_string()),
                ("query".to_string(), "url_parsing".to_string())
            ]
        );
    }

    #[test]
    fn query_values_coerce_to_numbers_and_booleans() {
        let mut f = Fields::from_query(Some("w=0.5&t=false&s=a%20b+c")).unwrap();
        assert_eq!(f.number("w", 0.33, 0.1, 2.0), 0.5);
        assert!(!f.boolean("t", true));
        assert_eq!(f.opt_string("s").as_deref(), Some("a b c"));
        f.finish(&["w", "t", "s"]).unwrap();
        let f = Fields::from_query(Some("w=1&w=2")).unwrap();
        assert_eq!(f.finish(&["w"]).unwrap_err().details[0].kind, "duplicate");
    }
}
