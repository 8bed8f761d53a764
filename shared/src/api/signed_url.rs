//! Signed image URLs, so a web page can `<img src>` a barcode without exposing a key.
//!
//! `POST <image prefix>signed-url/` (`/products/api/v1/barcode/signed-url/`,
//! `/products/api/v1/datamatrix/signed-url/`) takes that endpoint's POST body plus
//! `expires_in` seconds and returns a GET URL ending in
//! `&expires=<unix>&kid=<key id>&sig=<mac>`. The MAC is HMAC-SHA256 under a server
//! secret over `GET <path>?<query before &sig=>`, so neither the options, the expiry
//! nor the key id can be changed. `kid` (the first 16 hex digits of the minting key's
//! hash) attributes the request for rate limiting; it grants nothing by itself.

use super::fields::{Fields, Source};
use super::image::{read_body, ImageRequest};
use super::problem::{Problem, ProblemKind};
use super::{json, Request, Response};
use hmac::{Hmac, Mac};
use http::StatusCode;
use sha2::Sha256;

/// Name of the URL-signing secret in the store.
pub const URL_SECRET_NAME: &str = "image-url-hmac";
/// Default `expires_in`, in seconds: a day.
pub const EXPIRES_DEFAULT: i64 = 86_400;
/// Shortest `expires_in`: a minute.
pub const EXPIRES_MIN: i64 = 60;
/// Longest `expires_in`: a year.
pub const EXPIRES_MAX: i64 = 31_536_000;

/// Signs and checks image URLs with one server secret.
#[derive(Clone)]
pub struct UrlSigner {
    secret: Vec<u8>,
}

/// What a valid signature vouches for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// Who minted the URL: the first 16 hex digits of the key's hash (for rate limits).
    pub kid: String,
    /// Unix time after which the URL is refused.
    pub expires: u64,
    /// The query without `expires`, `kid` and `sig`: the image options.
    pub options_query: String,
}

impl UrlSigner {
    /// A signer over the server secret.
    pub fn new(secret: Vec<u8>) -> Self {
        UrlSigner { secret }
    }

    fn mac(&self, path: &str, query: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).expect("any key length");
        mac.update(b"GET ");
        mac.update(path.as_bytes());
        mac.update(b"?");
        mac.update(query.as_bytes());
        base64url(&mac.finalize().into_bytes())
    }

    /// `path?options&expires=..&kid=..&sig=..`.
    pub fn sign(&self, path: &str, options_query: &str, expires: u64, kid: &str) -> String {
        let mut query = options_query.to_string();
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(&format!("expires={expires}&kid={kid}"));
        let sig = self.mac(path, &query);
        format!("{path}?{query}&sig={sig}")
    }

    /// Checks a request's signature; `sig` must be the last parameter.
    pub fn verify(&self, path: &str, query: &str, now: u64) -> Result<Signed, Problem> {
        let forbidden = |why: &str| Problem::new(ProblemKind::Forbidden, why.to_string());
        let (signed, sig) = match query.rsplit_once("&sig=") {
            Some(parts) => parts,
            None => ("", query.strip_prefix("sig=").unwrap_or("")),
        };
        let expected = self.mac(path, signed);
        let same = crate::api::auth::constant_time_eq(&expected, sig);
        if !same {
            return Err(forbidden(
                "Invalid signature: the URL was changed or not signed by us.",
            ));
        }
        let mut expires = None;
        let mut kid = None;
        let mut options = Vec::new();
        for pair in signed.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("expires", v)) => expires = v.parse::<u64>().ok(),
                Some(("kid", v)) => kid = Some(v.to_string()),
                _ => options.push(pair),
            }
        }
        let (Some(expires), Some(kid)) = (expires, kid) else {
            return Err(forbidden("Signed URL lacks expires or kid."));
        };
        if expires < now {
            return Err(forbidden("This signed URL has expired."));
        }
        Ok(Signed {
            kid,
            expires,
            options_query: options.join("&"),
        })
    }
}

/// `POST <prefix>signed-url/` for image kind `R`.
pub fn post<R: ImageRequest>(
    req: &Request,
    signer: &UrlSigner,
    key_hash: &str,
    now: u64,
) -> Result<Response, Problem> {
    let mut f = Fields::from_json_request(req)?;
    let request: R = read_body(&mut f);
    let expires_in = f.integer("expires_in", EXPIRES_DEFAULT, EXPIRES_MIN, EXPIRES_MAX);
    let mut known = R::BODY_FIELDS.to_vec();
    known.push("expires_in");
    f.finish(&known)?;
    // Refuse to sign what would not render: the caller learns now, not the page.
    request.render().map_err(|e| e.problem(Source::Body))?;
    let expires = now + expires_in as u64;
    let path = signer.sign(&request.path(), &request.query(), expires, &key_hash[..16]);
    let host = req
        .headers()
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok());
    let scheme = req
        .headers()
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .unwrap_or(
            if host.is_some_and(|h| h.starts_with("127.0.0.1") || h.starts_with("localhost")) {
                "http"
            } else {
                "https"
            },
        );
    let url = host.map(|h| format!("{scheme}://{h}{path}"));
    Ok(json(
        StatusCode::OK,
        &serde_json::json!({ "expires": expires, "path": path, "url": url }),
    ))
}

fn base64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 2);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_cover_path_options_and_expiry() {
        let s = UrlSigner::new(b"k".to_vec());
        let url = s.sign("/p/1.svg", "dpi=600", 2_000, "abcd");
        let (path, query) = url.split_once('?').unwrap();
        let ok = s.verify(path, query, 1_000).unwrap();
        assert_eq!(ok.options_query, "dpi=600");
        assert_eq!(ok.kid, "abcd");
        // 0: expired
        assert_eq!(
            s.verify(path, query, 2_001).unwrap_err().kind,
            ProblemKind::Forbidden
        );
        // 1: options changed
        let changed = query.replace("dpi=600", "dpi=300");
        assert!(s.verify(path, &changed, 1_000).is_err());
        // 2: expiry extended
        assert!(s
            .verify(path, &query.replace("2000", "9000"), 1_000)
            .is_err());
        // 3: another path
        assert!(s.verify("/p/2.svg", query, 1_000).is_err());
        // 4: another secret
        assert!(UrlSigner::new(b"x".to_vec())
            .verify(path, query, 1_000)
            .is_err());
        // 5: no signature
        assert!(s.verify(path, "dpi=600", 1_000).is_err());
    }

    #[test]
    fn base64url_matches_rfc_4648_vectors() {
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }
}
