//! RFC 9457 problem details, shaped like the spec's `ErrorOut`, and the one place where
//! every error type of the crate becomes one.
//!
//! Every failure a caller can see goes through [`Problem`]: handlers return
//! `Result<Response, Problem>`; [`Problem`] is an axum `IntoResponse` that leaves the
//! body to the [`render`] layer, which writes `application/problem+json` with the
//! timestamp of the app's injected clock, and also turns axum's own bare 404/405 into
//! problems. Internal errors are logged, never echoed.
//!
//! | error                              | status | `error_code`          | `details[].loc`                    |
//! |------------------------------------|--------|-----------------------|------------------------------------|
//! | [`KeyError`]                       | 401    | `unauthorized`        | -                                  |
//! | [`StoreError`]                     | 503    | `service_unavailable` | -                                  |
//! | [`Gs1Error`] via [`Problem::gs1`]  | 422    | `validation_error`    | the field, then the AI for `ais`   |
//! | [`GtinError`], [`EncodeError`]     | 422    | `validation_error`    | via [`FieldFailure`]               |
//! | [`FieldFailure`]                   | 422    | `validation_error`    | `body`/`query`/`path`, then field  |

use super::auth::KeyError;
use super::barcode_type::EncodeError;
use super::clock::iso8601;
use super::fields::{Source, FORBIDDEN_CHARACTER};
use super::{App, Response};
use crate::gs1::{Gs1Error, GtinError};
use crate::store::StoreError;
use axum::extract::{Request as AxumRequest, State};
use axum::middleware::Next;
use bytes::Bytes;
use http::{header, HeaderValue, Method, StatusCode};
use serde::Serialize;
use std::collections::HashSet;
use std::sync::Arc;

/// The most failing fields one 422 lists (the `detail` says how many there were).
pub const MAX_DETAILS: usize = 50;

/// One step of a `loc`: an object key (a JSON string) or a list index (a JSON number),
/// as pydantic writes them: `["body", "items", 3, "lot"]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum Loc {
    /// An object key (also an AI, `"17"`).
    Key(String),
    /// A 0-based list index.
    Index(usize),
}

/// As `detail` and logs show it: a key's controls and refused characters escaped
/// (`\u{202e}`), so a message never carries them raw (the `loc` list keeps the key
/// exactly as sent).
impl std::fmt::Display for Loc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Loc::Key(k) => {
                for c in k.chars() {
                    if c.is_control() || crate::unicode::refused(c).is_some() {
                        write!(f, "\\u{{{:x}}}", u32::from(c))?;
                    } else {
                        write!(f, "{c}")?;
                    }
                }
                Ok(())
            }
            Loc::Index(i) => write!(f, "{i}"),
        }
    }
}

/// One failing field: `loc` is the path to it (`["body", "gtin"]`), `type` the rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldError {
    /// Path to the failing input: `["body", "ais", "17"]`, `["query", "dpi"]`,
    /// `["path", "gtin"]`, `["body", "items", 3, "lot"]`.
    pub loc: Vec<Loc>,
    /// What failed, for people.
    pub msg: String,
    #[serde(rename = "type")]
    /// The rule that failed (`missing`, `enum`, `csum`, `cset82`...), serialised as `type`.
    pub kind: String,
}

impl FieldError {
    /// A field error at `body.<field>`.
    pub fn body(field: &str, kind: &str, msg: impl Into<String>) -> Self {
        Self::at(&["body", field], kind, msg)
    }

    /// `loc` joined with dots: `body.items.3.lot`.
    pub fn dotted_loc(&self) -> String {
        let parts: Vec<String> = self.loc.iter().map(ToString::to_string).collect();
        parts.join(".")
    }

    /// The same error one level down: `loc` gets `prefix` inserted after its source
    /// (`["body", "lot"]` -> `["body", "items", 3, "lot"]`).
    pub fn nested(mut self, prefix: &[Loc]) -> Self {
        let at = self.loc.len().min(1);
        self.loc.splice(at..at, prefix.iter().cloned());
        self
    }

    /// A field error at `loc` with rule `kind`.
    pub fn at(loc: &[&str], kind: &str, msg: impl Into<String>) -> Self {
        FieldError {
            loc: loc.iter().map(|s| Loc::Key(s.to_string())).collect(),
            msg: msg.into(),
            kind: kind.to_string(),
        }
    }
}

/// A failure found while reading or drawing a request, at a named request field
/// (`gtin`, `lot`, `ais.17`...), with the rule that failed (`csum`, `enum`...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldFailure {
    /// Dotted field path below the source, e.g. `ais.17`.
    pub field: String,
    /// The rule's name, as `details[].type`.
    pub rule: String,
    /// What failed, for people.
    pub msg: String,
}

impl FieldFailure {
    /// A failure of rule `rule` at `field`.
    pub fn new(field: impl Into<String>, rule: impl Into<String>, msg: impl Into<String>) -> Self {
        FieldFailure {
            field: field.into(),
            rule: rule.into(),
            msg: msg.into(),
        }
    }

    /// A GS1 rule failure at the request field that carried the data.
    pub fn gs1(field: impl Into<String>, e: &Gs1Error) -> Self {
        Self::new(field, e.rule(), e.to_string())
    }

    /// A GTIN that is not one (length, digits, check digit), at `gtin`.
    pub fn gtin(e: &GtinError) -> Self {
        Self::new("gtin", e.rule(), e.to_string())
    }

    /// The 422 for this failure; in the GET form `gtin` lives in the path.
    pub fn problem(&self, source: Source) -> Problem {
        let mut loc: Vec<&str> = match (source, self.field.as_str()) {
            (Source::Query, "gtin") => vec!["path"],
            (Source::Query, _) => vec!["query"],
            (Source::Body, _) => vec!["body"],
        };
        loc.extend(self.field.split('.').filter(|s| !s.is_empty()));
        Problem::field(FieldError::at(&loc, &self.rule, self.msg.clone()))
    }
}

/// The problem types we emit; each has one status, code and title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// 400: a body that could not be read.
    BadRequest,
    /// 401: no, malformed or unknown API key.
    Unauthorized,
    /// 403: a signed URL that is wrong or expired, or a forbidden action.
    Forbidden,
    /// 404: no such path or resource.
    NotFound,
    /// 405: the path exists, not with this method (with `Allow`).
    MethodNotAllowed,
    /// 409: the resource is not in a state that allows this (a closed scan session).
    Conflict,
    /// 413: a body over the limit.
    PayloadTooLarge,
    /// 415: a body that is not JSON.
    UnsupportedMediaType,
    /// 422: fields that break a rule (with `details`).
    Validation,
    /// 429: over a rate limit (with `Retry-After`).
    RateLimited,
    /// 500: a bug; logged, never described to the caller.
    Internal,
    /// 503: storage unavailable; retry.
    ServiceUnavailable,
}

impl ProblemKind {
    /// The HTTP status.
    pub fn status(self) -> StatusCode {
        match self {
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Validation => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Self::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The spec's `error_code`.
    pub fn code(self) -> &'static str {
        match self {
            Self::BadRequest => "bad_request",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict => "conflict",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::Validation => "validation_error",
            Self::RateLimited => "rate_limited",
            Self::Internal => "internal_error",
            Self::ServiceUnavailable => "service_unavailable",
        }
    }

    /// The RFC 9457 `title`.
    pub fn title(self) -> &'static str {
        match self {
            Self::BadRequest => "Bad Request",
            Self::Unauthorized => "Unauthorized",
            Self::Forbidden => "Forbidden",
            Self::NotFound => "Not Found",
            Self::MethodNotAllowed => "Method Not Allowed",
            Self::Conflict => "Conflict",
            Self::PayloadTooLarge => "Payload Too Large",
            Self::UnsupportedMediaType => "Unsupported Media Type",
            Self::Validation => "Validation Error",
            Self::RateLimited => "Rate Limited",
            Self::Internal => "Internal Server Error",
            Self::ServiceUnavailable => "Service Unavailable",
        }
    }

    /// Whether the same request may succeed later.
    pub fn retryable(self) -> bool {
        matches!(
            self,
            Self::RateLimited | Self::Internal | Self::ServiceUnavailable
        )
    }
}

/// An error response on its way to the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Which problem type.
    pub kind: ProblemKind,
    /// The RFC 9457 `detail`: this occurrence, for people.
    pub detail: String,
    /// Failing fields (422 only).
    pub details: Vec<FieldError>,
    /// Seconds to wait, for 429 and 503: the body's `retry_after` and
    /// `retry_after_seconds` (the spec's schema and its prose name one each), and
    /// the `Retry-After` header.
    pub retry_after: Option<u64>,
    /// The spec's `owner_action_required`: only the account owner can clear this
    /// (a suspended account's 403).
    pub owner_action_required: Option<bool>,
    /// Extra headers (`Allow` on 405, `WWW-Authenticate` on 401...).
    pub headers: Vec<(header::HeaderName, String)>,
}

impl Problem {
    /// A problem of `kind` with `detail`.
    pub fn new(kind: ProblemKind, detail: impl Into<String>) -> Self {
        Problem {
            kind,
            detail: detail.into(),
            details: Vec::new(),
            retry_after: None,
            owner_action_required: None,
            headers: Vec::new(),
        }
    }

    /// A 422 listing the failing fields: a field holding a character no field accepts
    /// ([`FORBIDDEN_CHARACTER`]) is listed once, for that, and not again for the rules
    /// it then breaks (nor is anything below it); at most [`MAX_DETAILS`] are listed, so
    /// a body of a hundred thousand bad keys is not answered with ten megabytes.
    pub fn validation(mut details: Vec<FieldError>) -> Self {
        let refused: HashSet<Vec<Loc>> = details
            .iter()
            .filter(|d| d.kind == FORBIDDEN_CHARACTER)
            .map(|d| d.loc.clone())
            .collect();
        if !refused.is_empty() {
            let mut listed: HashSet<Vec<Loc>> = HashSet::new();
            details.retain(|d| {
                if d.kind == FORBIDDEN_CHARACTER {
                    listed.insert(d.loc.clone())
                } else {
                    !(1..=d.loc.len()).any(|n| refused.contains(&d.loc[..n]))
                }
            });
        }
        let found = details.len();
        details.truncate(MAX_DETAILS);
        let detail = match details.as_slice() {
            [one] => format!("{}: {}", one.dotted_loc(), one.msg),
            _ if found > MAX_DETAILS => {
                format!("{found} fields failed validation; the first {MAX_DETAILS} are listed.")
            }
            _ => format!("{found} fields failed validation."),
        };
        Problem {
            details,
            ..Problem::new(ProblemKind::Validation, detail)
        }
    }

    /// A 422 for one field.
    pub fn field(field: FieldError) -> Self {
        Self::validation(vec![field])
    }

    /// A 401 with `WWW-Authenticate` naming both ways to send a key.
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Problem::new(ProblemKind::Unauthorized, detail).with_header(
            header::WWW_AUTHENTICATE,
            "Bearer realm=\"gs1-codes\", ApiKey header=\"X-API-Key\"",
        )
    }

    /// The 403 for a key whose account is suspended: `owner_action_required`.
    pub fn suspended() -> Self {
        let mut p = Problem::new(
            ProblemKind::Forbidden,
            "This API key's account is suspended; the account owner must act before it can be used again.",
        );
        p.owner_action_required = Some(true);
        p
    }

    /// The 404 for an unknown path.
    pub fn not_found() -> Self {
        Problem::new(
            ProblemKind::NotFound,
            "The requested resource was not found.",
        )
    }

    /// Logs the real cause and gives the caller a generic 500.
    pub fn internal(cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Problem::new(
            ProblemKind::Internal,
            "An internal error occurred. It has been logged; please retry.",
        )
    }

    /// Adds a response header (`Allow`, `WWW-Authenticate`...).
    pub fn with_header(mut self, name: header::HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// A GS1 rule failure in body field `field` as a 422 naming the field, the AI
    /// (below `ais`) and the rule.
    pub fn gs1(field: &str, e: &Gs1Error) -> Self {
        let mut loc = vec!["body", field];
        if field == "ais" {
            if let Some(ai) = e.ai() {
                loc.push(ai);
            }
        }
        Problem::field(FieldError::at(&loc, e.rule(), e.to_string()))
    }

    /// The `application/problem+json` response, stamped with `now` (Unix seconds).
    pub fn into_response_at(self, now: u64) -> Response {
        #[derive(Serialize)]
        struct Body<'a> {
            #[serde(rename = "type")]
            kind: String,
            title: &'a str,
            status: u16,
            detail: &'a str,
            error_code: &'a str,
            retryable: bool,
            timestamp: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            retry_after: Option<u64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            retry_after_seconds: Option<u64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            owner_action_required: Option<bool>,
            #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
            details: &'a [FieldError],
        }
        let status = self.kind.status();
        let body = Body {
            kind: format!("https://closient.com/docs/errors/{}", self.kind.code()),
            title: self.kind.title(),
            status: status.as_u16(),
            detail: &self.detail,
            error_code: self.kind.code(),
            retryable: self.kind.retryable(),
            timestamp: iso8601(now),
            retry_after: self.retry_after,
            retry_after_seconds: self.retry_after,
            owner_action_required: self.owner_action_required,
            details: &self.details,
        };
        let json = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
        let mut resp = http::Response::new(Bytes::from(json));
        *resp.status_mut() = status;
        let headers = resp.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(secs) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        for (name, value) in self.headers {
            if let Ok(v) = HeaderValue::from_str(&value) {
                headers.append(name, v);
            }
        }
        resp
    }
}

impl From<EncodeError> for FieldFailure {
    /// A 1D encoder's failure, at the field the API layer named for it.
    fn from(e: EncodeError) -> Self {
        FieldFailure::new(e.field, e.rule, e.msg)
    }
}

impl From<StoreError> for Problem {
    /// Store failures are the service's fault: 503 (retryable), never the adapter's text.
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, "store error");
        Problem::new(
            ProblemKind::ServiceUnavailable,
            "Storage is unavailable right now; please retry.",
        )
    }
}

impl From<KeyError> for Problem {
    /// Every refused key is a 401 that says why (missing, malformed, checksum, unknown).
    fn from(e: KeyError) -> Self {
        Problem::unauthorized(e.to_string())
    }
}

/// A problem on its way out: the [`render`] layer writes its body.
#[derive(Debug, Clone)]
struct Pending(Problem);

impl axum::response::IntoResponse for Problem {
    fn into_response(self) -> axum::response::Response {
        let mut resp = axum::response::Response::new(axum::body::Body::empty());
        *resp.status_mut() = self.kind.status();
        resp.extensions_mut().insert(Pending(self));
        resp
    }
}

/// The outermost layer of every router: writes each [`Problem`] as
/// `application/problem+json` with the app clock's timestamp, turns axum's bare
/// 405 (with its `Allow`) into a problem, and gives a HEAD request only the headers.
pub async fn render<S: Send + Sync + 'static>(
    State(app): State<Arc<App<S>>>,
    req: AxumRequest,
    next: Next,
) -> axum::response::Response {
    let method = req.method().clone();
    let mut resp = next.run(req).await;
    let problem = match resp.extensions_mut().remove::<Pending>() {
        Some(Pending(p)) => Some(p),
        None if resp.status() == StatusCode::METHOD_NOT_ALLOWED => {
            let allow: Vec<String> = resp
                .headers()
                .get(header::ALLOW)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .split(',')
                .map(|m| m.trim().to_string())
                .filter(|m| !m.is_empty())
                .collect();
            let allow = allow.join(", ");
            Some(
                Problem::new(
                    ProblemKind::MethodNotAllowed,
                    format!("{method} is not allowed here; use {allow}."),
                )
                .with_header(header::ALLOW, allow),
            )
        }
        None => None,
    };
    let Some(problem) = problem else {
        return resp;
    };
    // Keep the headers others set on the way out (rate limits), replace the rest.
    let kept = std::mem::take(resp.headers_mut());
    let mut out = problem.into_response_at(app.clock.now());
    for (name, value) in kept.iter() {
        let ours = [header::ALLOW, header::CONTENT_LENGTH, header::CONTENT_TYPE];
        if !ours.contains(name) && !out.headers().contains_key(name) {
            out.headers_mut().insert(name, value.clone());
        }
    }
    if method == Method::HEAD {
        let len = out.body().len();
        out.headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
        *out.body_mut() = Bytes::new();
    }
    out.map(axum::body::Body::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_problem_names_the_field_and_rule() {
        let resp = Problem::field(FieldError::body("gtin", "csum", "bad check digit"))
            .into_response_at(1_774_958_400);
        assert_eq!(resp.status(), 422);
        assert_eq!(resp.headers()["content-type"], "application/problem+json");
        let v: serde_json::Value = serde_json::from_slice(resp.body()).unwrap();
        assert_eq!(v["error_code"], "validation_error");
        assert_eq!(v["status"], 422);
        assert_eq!(v["retryable"], false);
        assert_eq!(v["details"][0]["loc"], serde_json::json!(["body", "gtin"]));
        assert_eq!(v["details"][0]["type"], "csum");
        assert_eq!(
            v["type"],
            "https://closient.com/docs/errors/validation_error"
        );
        assert_eq!(v["timestamp"], "2026-03-31T12:00:00+00:00");
    }

    #[test]
    fn rate_limited_carries_retry_after() {
        let mut p = Problem::new(ProblemKind::RateLimited, "slow down");
        p.retry_after = Some(31);
        let resp = p.into_response_at(0);
        assert_eq!(resp.status(), 429);
        assert_eq!(resp.headers()["retry-after"], "31");
        let v: serde_json::Value = serde_json::from_slice(resp.body()).unwrap();
        assert_eq!(v["retry_after"], 31);
        assert_eq!(v["retry_after_seconds"], 31);
        assert_eq!(v["retryable"], true);
        assert!(v.get("owner_action_required").is_none());
    }

    #[test]
    fn a_suspended_account_asks_for_its_owner() {
        let v: serde_json::Value =
            serde_json::from_slice(Problem::suspended().into_response_at(0).body()).unwrap();
        assert_eq!(v["status"], 403);
        assert_eq!(v["error_code"], "forbidden");
        assert_eq!(v["owner_action_required"], true);
        assert_eq!(v["retryable"], false);
    }
}
