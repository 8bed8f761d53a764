//! `POST /products/api/v1/digital-link/`: parse a GS1 Digital Link URI, or build the
//! canonical one from AIs or an element string.
//!
//! Body: exactly one of `uri`, `ais` (object of AI -> value) or `element_string`
//! (bracketed, or raw with `]C1`/`]d2`/`]Q3` and GS separators); optional `stem`
//! (default `https://id.gs1.org`) for the canonical URI.
//!
//! Validity and the existence of a Digital Link URI are separate answers: valid data
//! is a 200; when it has no URI (no primary key, or an AI that is not a data
//! attribute), `canonical_uri` is null and `dl_error` (`rule`, `ai`, `message`) says
//! why. Only invalid data is a 422.

use super::auth::require_key;
use super::body::Buffered;
use super::fields::Fields;
use super::problem::Problem;
use super::{json, reply, route_both, App, Request, Response};
use crate::api::auth::AuthStore;
use crate::gs1::digital_link::{
    is_uri_character, BuildError, DigitalLink, ParseOptions, DEFAULT_STEM,
};
use crate::gs1::element_string::ElementString;
use crate::gs1::Gs1Error;
use crate::unicode::CharName;
use axum::middleware::from_fn_with_state;
use axum::routing::post as post_route;
use axum::Router;
use http::StatusCode;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// The body's fields: exactly one of the first three, and `stem`.
pub const FIELDS: &[&str] = &["uri", "ais", "element_string", "stem"];

/// `POST /products/api/v1/digital-link/`, behind an API key.
pub fn routes<S: AuthStore + 'static>(app: &Arc<App<S>>) -> Router {
    route_both(
        Router::new(),
        "/products/api/v1/digital-link/",
        post_route(|Buffered(req): Buffered| async move { reply(post(&req)) })
            .route_layer(from_fn_with_state(Arc::clone(app), require_key::<S>)),
    )
}

/// Reads the body, parses or builds the Digital Link, answers its parts as JSON.
///
/// Errors: 415/422 for the body (see [`Fields`]), 422 naming the field and GS1 rule
/// when the data is not a valid GS1 message (never because it has no URI).
pub fn post(req: &Request) -> Result<Response, Problem> {
    let mut f = Fields::from_json_request(req)?;
    let uri = f.opt_string("uri");
    let element_string = f.opt_string("element_string");
    let stem = f
        .opt_string("stem")
        .unwrap_or_else(|| DEFAULT_STEM.to_string());
    let ais = read_ais(&mut f);
    let given = ["uri", "ais", "element_string"]
        .iter()
        .filter(|n| f.has(n))
        .count();
    if given != 1 {
        f.error_at(
            &[],
            "one_of",
            "Give exactly one of uri, ais or element_string.",
        );
    }
    if !(stem.starts_with("https://") || stem.starts_with("http://")) || stem.contains(['?', '#']) {
        f.error(
            "stem",
            "url_scheme",
            "stem must be an http(s) URL without query or fragment.",
        );
    } else if let Some((p, c)) = stem
        .chars()
        .enumerate()
        .find(|&(_, c)| !is_uri_character(c))
    {
        // The stem starts the canonical URI as written: a space, a `<` or a
        // non-ASCII character there would make it no URI at all.
        f.error(
            "stem",
            "url_syntax",
            format!(
                "character {} at position {} is not permitted in a URI (RFC 3986): percent-encode it",
                CharName(c),
                p + 1
            ),
        );
    }
    f.finish(FIELDS)?;

    let (es, extra_params, input_field, parsed) = if let Some(uri) = uri {
        // Zero-suppressed GTINs in the path are accepted (the engine's
        // "permit zero-suppressed GTIN" option; our issue asks for it): printed
        // Digital Links in the wild carry GTIN-13s as they appear on packs.
        let opts = ParseOptions {
            permit_zero_suppressed_gtin: true,
        };
        let dl = DigitalLink::parse_with(&uri, opts).map_err(|e| Problem::gs1("uri", &e))?;
        let params = extra_params(&dl.other_params);
        (dl.to_element_string(), params, "uri", Some(dl))
    } else if let Some(es) = element_string {
        let es = parse_element_string(&es).map_err(|e| Problem::gs1("element_string", &e))?;
        (es, Map::new(), "element_string", None)
    } else {
        (
            ElementString {
                ais: ais.unwrap_or_default(),
            },
            Map::new(),
            "ais",
            None,
        )
    };
    // Only invalid data is an error; a valid message without a Digital Link form
    // is answered with `canonical_uri: null` and `dl_error` saying why.
    es.validate().map_err(|e| Problem::gs1(input_field, &e))?;
    let canonical = match parsed {
        // A parsed URI keeps its path, as the engine regenerates it.
        Some(dl) => Ok(dl.canonical(Some(&stem))),
        None => DigitalLink::from_element_string(&es, Some(&stem)),
    };
    let (canonical_uri, dl_error) = match canonical {
        Ok(dl) => (Value::String(dl.to_string()), Value::Null),
        Err(BuildError::NoUri(e)) => (
            Value::Null,
            json!({"rule": e.rule(), "ai": e.ai(), "message": e.to_string()}),
        ),
        Err(BuildError::InvalidData(e)) => return Err(Problem::gs1(input_field, &e)),
    };

    let find = |ai: &str| es.ais.iter().find(|(a, _)| a == ai).map(|(_, v)| v.clone());
    let ais: Map<String, Value> = es
        .ais
        .iter()
        .map(|(a, v)| (a.clone(), Value::String(v.clone())))
        .collect();
    Ok(json(
        StatusCode::OK,
        // Keys in alphabetical order, as before objects kept insertion order.
        &json!({
            "ais": ais,
            "canonical_uri": canonical_uri,
            "dl_error": dl_error,
            "element_string": es.to_bracketed(),
            "expiry": find("17"),
            "extra_params": extra_params,
            "gtin": find("01"),
            "hri": es.hri(),
            "lot": find("10"),
            "serial": find("21"),
        }),
    ))
}

/// The query parameters that are not AIs, by name: a string for a name given once
/// (`""` for a singleton such as `?flag`), an array of strings, in URI order, for a
/// name given more than once.
fn extra_params(params: &[(String, String)]) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in params {
        let v = Value::String(v.clone());
        match out.get_mut(k) {
            None => {
                out.insert(k.clone(), v);
            }
            Some(Value::Array(values)) => values.push(v),
            Some(first) => *first = Value::Array(vec![first.take(), v]),
        }
    }
    out
}

/// Bracketed when it starts with '(', else raw data with FNC1/GS separators.
fn parse_element_string(s: &str) -> Result<ElementString, Gs1Error> {
    if s.starts_with('(') {
        ElementString::parse_bracketed(s)
    } else {
        ElementString::parse_raw(s)
    }
}

/// `ais` as an object of AI -> string value, kept in the order given.
fn read_ais(f: &mut Fields) -> Option<Vec<(String, String)>> {
    let map = match f.raw("ais")?.clone() {
        Value::Object(map) => map,
        _ => {
            f.error(
                "ais",
                "dict_type",
                "Input should be an object of AI -> value.",
            );
            return None;
        }
    };
    let mut out = Vec::with_capacity(map.len());
    for (ai, v) in map {
        match v {
            Value::String(s) => out.push((ai, s)),
            _ => f.error_at(
                &["ais", &ai],
                "string_type",
                "Input should be a valid string",
            ),
        }
    }
    Some(out)
}
