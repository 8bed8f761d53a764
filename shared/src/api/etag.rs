//! Strong ETags over image bytes, and `If-None-Match` as RFC 9110 §13.1.2 says:
//! a list of entity tags or `*`, compared weakly (a `W/` prefix is ignored).

use super::Response;
use bytes::Bytes;
use http::{header, HeaderMap, HeaderValue, StatusCode};
use sha2::{Digest, Sha256};

/// Images never change for the same request: cache them for 30 days (the spec's value).
pub const IMAGE_CACHE_CONTROL: &str = "public, max-age=2592000";
/// The max-age of [`IMAGE_CACHE_CONTROL`], in seconds.
pub const IMAGE_CACHE_MAX_AGE: u64 = 2_592_000;

/// `"<first 128 bits of SHA-256, hex>"`: strong, because equal tags mean equal bytes.
pub fn strong_etag(bytes: &[u8]) -> String {
    format!("\"{}\"", super::auth::hex(&Sha256::digest(bytes)[..16]))
}

/// Whether `If-None-Match` matches `etag` (weak comparison).
pub fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let ours = opaque(etag);
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || opaque(t) == ours)
}

/// 200 with the image, or 304 when the caller already has these bytes. Both carry
/// the same `ETag` and `Cache-Control`.
pub fn image_response(request_headers: &HeaderMap, content_type: &str, bytes: Vec<u8>) -> Response {
    let etag = strong_etag(&bytes);
    let not_modified = if_none_match(request_headers, &etag);
    let mut resp = if not_modified {
        let mut r = http::Response::new(Bytes::new());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r
    } else {
        let mut r = http::Response::new(Bytes::from(bytes));
        if let Ok(ct) = HeaderValue::from_str(content_type) {
            r.headers_mut().insert(header::CONTENT_TYPE, ct);
        }
        r
    };
    let h = resp.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(IMAGE_CACHE_CONTROL),
    );
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inm(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, v.parse().unwrap());
        h
    }

    #[test]
    fn if_none_match_follows_rfc_9110() {
        let tag = strong_etag(b"img");
        let rows = [
            // 0: exact
            (tag.clone(), true),
            // 1: weak form of the same tag matches (weak comparison)
            (format!("W/{tag}"), true),
            // 2: in a list
            (format!("\"x\", {tag}"), true),
            // 3: star
            ("*".to_string(), true),
            // 4: other tag
            ("\"abc\"".to_string(), false),
        ];
        for (i, (v, want)) in rows.into_iter().enumerate() {
            assert_eq!(if_none_match(&inm(&v), &tag), want, "row {i}");
        }
        assert!(!if_none_match(&HeaderMap::new(), &tag));
    }

    #[test]
    fn not_modified_keeps_validators_and_drops_the_body() {
        let tag = strong_etag(b"img");
        let r = image_response(&inm(&tag), "image/png", b"img".to_vec());
        assert_eq!(r.status(), 304);
        assert!(r.body().is_empty());
        assert_eq!(r.headers()["etag"], tag.as_str());
        assert_eq!(r.headers()["cache-control"], IMAGE_CACHE_CONTROL);
        let r = image_response(&HeaderMap::new(), "image/png", b"img".to_vec());
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "image/png");
        assert_eq!(r.body().as_ref(), b"img");
    }
}
