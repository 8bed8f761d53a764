//! API keys: `csb_<body>_<checksum>`.
//!
//! The body is 32 random base62 characters. The checksum is the first 8 base62
//! characters of HMAC-SHA256(server secret, `csb_<body>`), so a typo or a forged key is
//! rejected by arithmetic alone, before any store lookup (a plain CRC would catch typos
//! but anyone could forge it). Keys are stored only as the SHA-256 of the whole key.
//!
//! Every keyed route then counts the request against the key's tier
//! ([`super::rate_limit`]), in the store, before the handler runs.

use super::problem::Problem;
use super::rate_limit::{self, Policy};
use super::signed_url::Signed;
use super::App;
use crate::store::{ApiKeyRecord, CountRequest, GetApiKey, DEFAULT_TIER};
use axum::extract::{Request as AxumRequest, State};
use axum::middleware::Next;
use axum::response::IntoResponse;
use hmac::{Hmac, Mac};
use http::HeaderMap;
use sha2::{Digest, Sha256};
use std::sync::Arc;

const PREFIX: &str = "csb_";
const BODY_LEN: usize = 32;
const CHECKSUM_LEN: usize = 8;
/// Characters of a key kept for display (`csb_` and 8 of the body): enough to
/// tell keys apart in `key list` and to name one to `key revoke`.
pub const DISPLAY_PREFIX_LEN: usize = PREFIX.len() + 8;
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The name of the server secret in the store.
pub const KEY_SECRET_NAME: &str = "api-key-hmac";

/// Why a presented key was refused; all map to 401.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// No key in `X-API-Key` nor `Authorization: Bearer`.
    #[error("missing API key: send it in the X-API-Key header or as Authorization: Bearer <key>")]
    Missing,
    /// Not of the shape `csb_<32 base62>_<8 base62>`.
    #[error("malformed API key: expected csb_<32 characters>_<8 characters>")]
    Malformed,
    /// The checksum is not the HMAC of the body under our secret: a typo or a forgery.
    #[error("invalid API key: checksum does not match (typo, or not a key we issued)")]
    BadChecksum,
    /// Well formed and checksummed, but not in the store, or revoked.
    #[error("unknown or revoked API key")]
    Unknown,
}

/// Mints and checks keys with one server secret.
#[derive(Clone)]
pub struct KeyMinter {
    secret: Vec<u8>,
}

impl KeyMinter {
    /// A minter over the server secret (any length; 32 random bytes in practice).
    pub fn new(secret: Vec<u8>) -> Self {
        KeyMinter { secret }
    }

    /// A fresh random key and the record to store for it, in the default tier.
    pub fn mint(&self, now: u64) -> Result<(String, ApiKeyRecord), getrandom::Error> {
        let mut raw = [0u8; BODY_LEN];
        getrandom::fill(&mut raw)?;
        // 62 * 4 = 248 < 256: rejecting bytes >= 248 keeps every character equally likely.
        let mut body = String::with_capacity(BODY_LEN);
        let mut pool = raw.to_vec();
        while body.len() < BODY_LEN {
            for &b in &pool {
                if b < 248 && body.len() < BODY_LEN {
                    body.push(BASE62[(b % 62) as usize] as char);
                }
            }
            if body.len() < BODY_LEN {
                getrandom::fill(&mut raw)?;
                pool = raw.to_vec();
            }
        }
        let key = format!("{PREFIX}{body}_{}", self.checksum(&body));
        let record = ApiKeyRecord {
            key_hash: hash_key(&key),
            prefix: key[..DISPLAY_PREFIX_LEN].to_string(),
            created_at: now,
            revoked: false,
            tier: DEFAULT_TIER.to_owned(),
            suspended: false,
        };
        Ok((key, record))
    }

    fn checksum(&self, body: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC takes any key length");
        mac.update(PREFIX.as_bytes());
        mac.update(body.as_bytes());
        base62_prefix(&mac.finalize().into_bytes(), CHECKSUM_LEN)
    }

    /// Checks form and checksum; no store access.
    pub fn check_format(&self, key: &str) -> Result<(), KeyError> {
        let rest = key.strip_prefix(PREFIX).ok_or(KeyError::Malformed)?;
        let (body, sum) = rest.split_once('_').ok_or(KeyError::Malformed)?;
        let base62 = |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric());
        if body.len() != BODY_LEN || sum.len() != CHECKSUM_LEN || !base62(body) || !base62(sum) {
            return Err(KeyError::Malformed);
        }
        if !constant_time_eq(&self.checksum(body), sum) {
            return Err(KeyError::BadChecksum);
        }
        Ok(())
    }

    /// Full check: header, format, checksum, then the store.
    ///
    /// Errors: a 401 problem for a missing, malformed, forged, unknown or revoked
    /// key; a 403 with `owner_action_required` for a suspended account; a 503 when
    /// the store cannot be read.
    pub async fn authenticate<S: GetApiKey>(
        &self,
        store: &S,
        headers: &HeaderMap,
    ) -> Result<ApiKeyRecord, Problem> {
        let key = presented_key(headers).ok_or(KeyError::Missing)?;
        self.check_format(key)?;
        match store.get_api_key(&hash_key(key)).await? {
            Some(rec) if rec.revoked => Err(KeyError::Unknown.into()),
            Some(rec) if rec.suspended => Err(Problem::suspended()),
            Some(rec) => Ok(rec),
            None => Err(KeyError::Unknown.into()),
        }
    }
}

/// The key from `X-API-Key`, else from `Authorization: Bearer`.
pub fn presented_key(headers: &HeaderMap) -> Option<&str> {
    if let Some(v) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        return Some(v.trim());
    }
    let auth = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = auth.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Whether two secrets (a key's checksum, a URL signature, a cookie's hash) are equal,
/// in time that depends on their length only (never on where they first differ), so a
/// caller timing the answers cannot find a valid MAC byte by byte. `subtle`'s
/// comparison, which hides the bytes from the optimiser (the one `hmac` verifies MACs
/// with); lengths are public (every MAC we issue has a fixed length). Every comparison
/// of a secret in the crate goes through here: no `==` on a secret.
pub(crate) fn constant_time_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// Hex SHA-256 of the whole key: what the store keeps.
pub fn hash_key(key: &str) -> String {
    hex(&Sha256::digest(key.as_bytes()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

/// First `n` base62 digits of a big-endian number (the MAC).
fn base62_prefix(bytes: &[u8], n: usize) -> String {
    let mut num = bytes.to_vec();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let mut rem = 0u32;
        for b in num.iter_mut() {
            let cur = (rem << 8) | u32::from(*b);
            *b = (cur / 62) as u8;
            rem = cur % 62;
        }
        out.push(BASE62[rem as usize]);
    }
    String::from_utf8(out).expect("base62 is ASCII")
}

/// Who is calling, as the auth layer found it; handlers read it from the request's
/// extensions (`Extension<Caller>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// A valid API key, by the hex SHA-256 of the key.
    Key(String),
    /// A valid signed image URL (see [`super::signed_url`]).
    Signed(Signed),
    /// A `sessionid` cookie, by the hex SHA-256 of its value: not yet checked against a
    /// session (the handler does that, once it knows which session is meant).
    SessionCookie(String),
}

impl Caller {
    /// Whom the rate limiter counts: the first 16 hex digits of the key's hash, or
    /// the `kid` a signed URL carries (the same digits of the key that minted it).
    pub fn client_id(&self) -> &str {
        match self {
            Caller::Key(hash) => &hash[..16.min(hash.len())],
            Caller::Signed(s) => &s.kid,
            Caller::SessionCookie(hash) => &hash[..16.min(hash.len())],
        }
    }
}

/// The store operations every keyed route needs: reading keys and counting
/// requests. Endpoint modules bound their store by this (plus their own traits).
pub trait AuthStore: GetApiKey + CountRequest {}

impl<S: GetApiKey + CountRequest> AuthStore for S {}

/// Layer function for routes that need an API key: authenticates, rate-limits, and
/// adds the rate-limit headers to whatever the handler answers.
pub async fn require_key<S: AuthStore + 'static>(
    State(app): State<Arc<App<S>>>,
    req: AxumRequest,
    next: Next,
) -> axum::response::Response {
    admit(&app, req, next, Also::Nothing).await
}

/// Like [`require_key`], but a GET with a valid `sig=` (a signed image URL) needs no key.
pub async fn key_or_signature<S: AuthStore + 'static>(
    State(app): State<Arc<App<S>>>,
    req: AxumRequest,
    next: Next,
) -> axum::response::Response {
    admit(&app, req, next, Also::Signature).await
}

/// Like [`require_key`], but a request without a key may bring a `sessionid` cookie
/// (the spec's SessionAuth for scanner routes): the handler checks it against the
/// session it names.
pub async fn key_or_session_cookie<S: AuthStore + 'static>(
    State(app): State<Arc<App<S>>>,
    req: AxumRequest,
    next: Next,
) -> axum::response::Response {
    admit(&app, req, next, Also::SessionCookie).await
}

/// What a route accepts besides an API key.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Also {
    Nothing,
    Signature,
    SessionCookie,
}

/// The `sessionid` cookie's value, if the request has one.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("sessionid="))
        .filter(|v| !v.is_empty())
}

async fn admit<S: AuthStore>(
    app: &App<S>,
    mut req: AxumRequest,
    next: Next,
    also: Also,
) -> axum::response::Response {
    let now = app.clock.now();
    let query = req.uri().query().unwrap_or("");
    let cookie = (also == Also::SessionCookie && presented_key(req.headers()).is_none())
        .then(|| session_cookie(req.headers()))
        .flatten();
    // Callers without a key of their own (a cookie, a signed URL) get the default
    // tier, counted under the id they carry.
    let default = || app.limits.policy(DEFAULT_TIER);
    let caller = if let Some(cookie) = cookie {
        Ok((Caller::SessionCookie(hash_key(cookie)), default()))
    } else if also == Also::Signature && query.contains("sig=") {
        app.urls
            .verify(req.uri().path(), query, now)
            .map(|s| (Caller::Signed(s), default()))
    } else {
        app.keys
            .authenticate(&app.store, req.headers())
            .await
            .map(|rec| {
                let policy = app.limits.policy(&rec.tier);
                (Caller::Key(rec.key_hash), policy)
            })
    };
    let (caller, policy): (Caller, Policy) = match caller {
        Ok(c) => c,
        Err(p) => {
            // Who tried, for an operator watching for guessing: the start of the
            // presented key's hash (the rate limiter's id), never the key.
            let presented = presented_key(req.headers()).map(hash_key);
            let key_id = presented.as_deref().map_or("none", |h| &h[..16]);
            tracing::info!(
                status = p.kind.status().as_u16(),
                reason = %p.detail,
                key_id,
                path = req.uri().path(),
                "request refused"
            );
            return p.into_response();
        }
    };
    let decision = match rate_limit::check(&app.store, caller.client_id(), &policy, now).await {
        Ok(d) => d,
        // Fail closed: a request that cannot be counted is not served.
        Err(e) => {
            let mut p = Problem::from(e);
            p.retry_after = Some(1);
            return p.into_response();
        }
    };
    let mut resp = if decision.allowed {
        req.extensions_mut().insert(caller);
        next.run(req).await
    } else {
        decision.problem().into_response()
    };
    decision.apply(resp.headers_mut());
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minter() -> KeyMinter {
        KeyMinter::new(b"test secret".to_vec())
    }

    #[test]
    fn minted_keys_pass_and_have_the_documented_shape() {
        let (key, rec) = minter().mint(1).unwrap();
        assert!(key.starts_with("csb_"));
        assert_eq!(key.len(), 4 + 32 + 1 + 8);
        assert_eq!(minter().check_format(&key), Ok(()));
        assert_eq!(rec.key_hash, hash_key(&key));
        assert!(!rec.key_hash.contains(&key[4..36]));
    }

    #[test]
    fn typos_and_forgeries_fail_without_a_lookup() {
        let (key, _) = minter().mint(1).unwrap();
        // 0: one character changed in the body
        let mut typo = key.clone().into_bytes();
        typo[10] = if typo[10] == b'a' { b'b' } else { b'a' };
        let typo = String::from_utf8(typo).unwrap();
        assert_eq!(minter().check_format(&typo), Err(KeyError::BadChecksum));
        // 1: a key made with another secret
        let (forged, _) = KeyMinter::new(b"other".to_vec()).mint(1).unwrap();
        assert_eq!(minter().check_format(&forged), Err(KeyError::BadChecksum));
        // 2: wrong shapes
        for bad in [
            "",
            "csb_",
            "abc_x_y",
            &key[..key.len() - 1],
            &key.replace('_', "-"),
        ] {
            assert_eq!(
                minter().check_format(bad),
                Err(KeyError::Malformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn secrets_compare_in_constant_time_and_exactly() {
        // The comparison every secret goes through: equal, one byte off at either end,
        // a prefix, and empty.
        let rows = [
            ("AbCd1234", "AbCd1234", true),
            ("AbCd1234", "BbCd1234", false),
            ("AbCd1234", "AbCd1235", false),
            ("AbCd1234", "AbCd123", false),
            ("AbCd1234", "", false),
            ("", "", true),
        ];
        for (i, (a, b, same)) in rows.into_iter().enumerate() {
            assert_eq!(constant_time_eq(a, b), same, "row {i}");
        }
        // No `==` on a secret anywhere: each place that checks one calls this.
        for (file, source) in [
            ("auth.rs", include_str!("auth.rs")),
            ("signed_url.rs", include_str!("signed_url.rs")),
            ("scanner.rs", include_str!("scanner.rs")),
            (
                "store/local/bulk.rs",
                include_str!("../store/local/bulk.rs"),
            ),
        ] {
            assert!(source.contains("constant_time_eq("), "{file}");
            for name in ["sig", "sum", "cookie_hash", "expected"] {
                for needle in [format!("== {name}"), format!("{name} ==")] {
                    assert!(!source.contains(&needle), "{file}: {needle}");
                }
            }
        }
    }

    #[test]
    fn key_is_read_from_either_header() {
        let mut h = HeaderMap::new();
        assert_eq!(presented_key(&h), None);
        h.insert("authorization", "bearer  csb_x_y ".parse().unwrap());
        assert_eq!(presented_key(&h), Some("csb_x_y"));
        h.insert("x-api-key", "csb_a_b".parse().unwrap());
        assert_eq!(presented_key(&h), Some("csb_a_b"));
    }
}
