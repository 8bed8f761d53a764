//! RFC 9457 problem details, shaped like the spec's `ErrorOut`.
//!
//! Every failure a caller can see goes through [`Problem`]: handlers return
//! `Result<Response, Problem>` and the router turns the error into
//! `application/problem+json`. Internal errors are logged, never echoed.

use super::clock::iso8601_now;
use super::Response;
use bytes::Bytes;
use http::{header, HeaderValue, StatusCode};
use serde::Serialize;

/// One failing field: `loc` is the path to it (`["body", "gtin"]`), `type` the rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldError {
    pub loc: Vec<String>,
    pub msg: String,
    #[serde(rename = "type")]
    pub kind: String,
}

impl FieldError {
    /// A field error at `body.<field>`.
    pub fn body(field: &str, kind: &str, msg: impl Into<String>) -> Self {
        Self::at(&["body", field], kind, msg)
    }

    pub fn at(loc: &[&str], kind: &str, msg: impl Into<String>) -> Self {
        FieldError {
            loc: loc.iter().map(|s| s.to_string()).collect(),
            msg: msg.into(),
            kind: kind.to_string(),
        }
    }
}

/// The problem types we emit; each has one status, code and title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    PayloadTooLarge,
    UnsupportedMediaType,
    Validation,
    RateLimited,
    Internal,
    ServiceUnavailable,
}

impl ProblemKind {
    pub fn status(self) -> StatusCode {
        match self {
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Validation => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Self::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::BadRequest => "bad_request",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::Validation => "validation_error",
            Self::RateLimited => "rate_limited",
            Self::Internal => "internal_error",
            Self::ServiceUnavailable => "service_unavailable",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::BadRequest => "Bad Request",
            Self::Unauthorized => "Unauthorized",
            Self::Forbidden => "Forbidden",
            Self::NotFound => "Not Found",
            Self::MethodNotAllowed => "Method Not Allowed",
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
    pub kind: ProblemKind,
    pub detail: String,
    pub details: Vec<FieldError>,
    pub retry_after: Option<u64>,
    /// Extra headers (`Allow` on 405, `WWW-Authenticate` on 401...).
    pub headers: Vec<(header::HeaderName, String)>,
}

impl Problem {
    pub fn new(kind: ProblemKind, detail: impl Into<String>) -> Self {
        Problem {
            kind,
            detail: detail.into(),
            details: Vec::new(),
            retry_after: None,
            headers: Vec::new(),
        }
    }

    /// A 422 listing every failing field.
    pub fn validation(details: Vec<FieldError>) -> Self {
        let detail = match details.as_slice() {
            [one] => format!("{}: {}", one.loc.join("."), one.msg),
            _ => format!("{} fields failed validation.", details.len()),
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

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Problem::new(ProblemKind::Unauthorized, detail).with_header(
            header::WWW_AUTHENTICATE,
            "Bearer realm=\"gs1-codes\", ApiKey header=\"X-API-Key\"",
        )
    }

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

    pub fn with_header(mut self, name: header::HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn into_response(self) -> Response {
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
            timestamp: iso8601_now(),
            retry_after: self.retry_after,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_problem_names_the_field_and_rule() {
        let resp =
            Problem::field(FieldError::body("gtin", "csum", "bad check digit")).into_response();
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
        assert!(v["timestamp"].as_str().unwrap().ends_with("+00:00"));
    }

    #[test]
    fn rate_limited_carries_retry_after() {
        let mut p = Problem::new(ProblemKind::RateLimited, "slow down");
        p.retry_after = Some(31);
        let resp = p.into_response();
        assert_eq!(resp.status(), 429);
        assert_eq!(resp.headers()["retry-after"], "31");
        let v: serde_json::Value = serde_json::from_slice(resp.body()).unwrap();
        assert_eq!(v["retry_after"], 31);
        assert_eq!(v["retryable"], true);
    }
}
