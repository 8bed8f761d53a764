//! Rate limits per API key, exact across every process, with the spec's
//! "informed governor" headers.
//!
//! The counts live in the store ([`CountRequest`]): DynamoDB on AWS, so every warm
//! Lambda instance counts against the same figures, and SQLite locally. One store
//! round trip per request covers every window of the key's tier (see the
//! adapters' docs for how each makes the check-and-count atomic). When the store
//! cannot count, the request is refused with a 503 problem: the limiter fails
//! closed, never open.
//!
//! Tiers, as a key carries them ([`crate::store::ApiKeyRecord::tier`]):
//!
//! | tier                        | windows                                            |
//! |-----------------------------|----------------------------------------------------|
//! | `default`                   | 300 / 60 s and 10,000 / 86,400 s (the spec's table; `RATE_LIMIT_PER_MINUTE`, `RATE_LIMIT_PER_DAY` change them) |
//! | `unlimited`                 | none: not counted (no store round trip); the headers show a nominal [`UNLIMITED_LIMIT`] per day |
//! | `"1000;w=60, 50000;w=86400"` | the spec's `RateLimit-Policy` syntax: any windows (the spec's "Custom" tier) |
//!
//! Header semantics (IETF draft-ietf-httpapi-ratelimit-headers, as the spec
//! describes them): `RateLimit-Policy` lists every window; `RateLimit-Limit`,
//! `-Remaining` and `-Reset` (seconds, relative) describe the most restrictive
//! one, the window with the fewest requests left (on a tie, the one that resets
//! last: waiting for the shorter one would not help). The legacy
//! `X-RateLimit-Limit/-Remaining/-Reset` repeat them, with `X-RateLimit-Reset` an
//! absolute Unix time.

use super::problem::{Problem, ProblemKind};
use crate::store::{Admission, CountRequest, StoreError, DEFAULT_TIER};
use http::{HeaderMap, HeaderValue};

pub use crate::store::Window;

/// The spec's default tier: 300 a minute, 10,000 a day.
pub const DEFAULT_WINDOWS: [Window; 2] = [
    Window {
        limit: 300,
        seconds: 60,
    },
    Window {
        limit: 10_000,
        seconds: 86_400,
    },
];

/// The tier name for keys that are never limited.
pub const UNLIMITED_TIER: &str = "unlimited";

/// What the headers show for an `unlimited` key: this many per day, always all left.
pub const UNLIMITED_LIMIT: u64 = u32::MAX as u64;

/// A tier's limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Policy {
    /// Every window must have room.
    Windows(Vec<Window>),
    /// Not counted.
    Unlimited,
}

/// Why a tier string is not one we can enforce.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TierError {
    /// Not `default`, `unlimited`, nor a policy list.
    #[error(
        "tier {0:?} is neither default, unlimited, nor windows like \"1000;w=60, 50000;w=86400\""
    )]
    Syntax(String),
    /// A window of 0 seconds, or two windows of the same length.
    #[error("tier {0:?}: each window needs w >= 1 and a length of its own")]
    Windows(String),
}

/// The tiers a deployment enforces: the default windows (from the environment)
/// and whatever a key's tier names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    default: Vec<Window>,
}

impl Limits {
    /// Limits whose `default` tier has `default` windows (non-empty).
    pub fn new(default: Vec<Window>) -> Self {
        Limits { default }
    }

    /// The spec's defaults, with `RATE_LIMIT_PER_MINUTE` / `RATE_LIMIT_PER_DAY`
    /// (requests) overriding the default tier's two windows when set.
    pub fn from_env() -> Self {
        let read = |name: &str, default: u64| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        };
        Limits::new(vec![
            Window {
                limit: read("RATE_LIMIT_PER_MINUTE", 300),
                seconds: 60,
            },
            Window {
                limit: read("RATE_LIMIT_PER_DAY", 10_000),
                seconds: 86_400,
            },
        ])
    }

    /// The policy of `tier`. A tier that does not parse (it was checked when it was
    /// set, so only a hand-edited store has one) gets the default windows: never
    /// more than a default key.
    pub fn policy(&self, tier: &str) -> Policy {
        match parse_tier(tier) {
            Ok(Some(p)) => p,
            Ok(None) => Policy::Windows(self.default.clone()),
            Err(e) => {
                tracing::warn!(error = %e, "unparseable tier; the default windows apply");
                Policy::Windows(self.default.clone())
            }
        }
    }
}

/// Checks a tier string: `Ok(None)` for the default tier, `Ok(Some(policy))`
/// otherwise. Used by the key tools before a tier is stored.
///
/// Errors: [`TierError`] naming what is wrong.
pub fn parse_tier(tier: &str) -> Result<Option<Policy>, TierError> {
    let t = tier.trim();
    if t.is_empty() || t == DEFAULT_TIER {
        return Ok(None);
    }
    if t == UNLIMITED_TIER {
        return Ok(Some(Policy::Unlimited));
    }
    let syntax = || TierError::Syntax(tier.to_owned());
    let mut windows: Vec<Window> = Vec::new();
    for part in t.split(',') {
        let (limit, w) = part.trim().split_once(";w=").ok_or_else(syntax)?;
        let window = Window {
            limit: limit.trim().parse().map_err(|_| syntax())?,
            seconds: w.trim().parse().map_err(|_| syntax())?,
        };
        if window.seconds == 0 || windows.iter().any(|o| o.seconds == window.seconds) {
            return Err(TierError::Windows(tier.to_owned()));
        }
        windows.push(window);
    }
    Ok(Some(Policy::Windows(windows)))
}

/// `windows` in the `RateLimit-Policy` syntax: `300;w=60, 10000;w=86400`.
pub fn format_policy(windows: &[Window]) -> String {
    windows
        .iter()
        .map(|w| format!("{};w={}", w.limit, w.seconds))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Counts one request by `client` under `policy` at `now` (Unix seconds).
///
/// Errors: the store's, when it cannot count; the caller refuses the request.
pub async fn check<S: CountRequest>(
    store: &S,
    client: &str,
    policy: &Policy,
    now: u64,
) -> Result<Decision, StoreError> {
    match policy {
        Policy::Unlimited => Ok(Decision::unlimited(now)),
        Policy::Windows(windows) => {
            let admission = store.count_request(client, windows, now).await?;
            Ok(Decision::new(windows, &admission, now))
        }
    }
}

/// What one request got: the most restrictive window's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Whether this request is admitted.
    pub allowed: bool,
    /// The most restrictive window's limit.
    pub limit: u64,
    /// Requests left in that window.
    pub remaining: u64,
    /// Seconds until the most restrictive window resets.
    pub reset: u64,
    /// Unix time of that reset (for the legacy `X-RateLimit-Reset`).
    pub reset_at: u64,
    /// Every window, as `RateLimit-Policy` lists them.
    pub policy: String,
}

impl Decision {
    /// The decision `admission` stands for under `windows` (same order), at `now`.
    pub fn new(windows: &[Window], admission: &Admission, now: u64) -> Self {
        let (w, c) = windows
            .iter()
            .zip(&admission.counts)
            .min_by_key(|(w, c)| {
                (
                    w.limit.saturating_sub(c.count),
                    std::cmp::Reverse(w.seconds),
                )
            })
            .expect("a policy has at least one window");
        let reset_at = c.start + w.seconds;
        Decision {
            allowed: admission.admitted,
            limit: w.limit,
            remaining: w.limit.saturating_sub(c.count),
            reset: reset_at.saturating_sub(now),
            reset_at,
            policy: format_policy(windows),
        }
    }

    /// An unlimited key's decision: admitted, with a nominal day window.
    pub fn unlimited(now: u64) -> Self {
        let day = Window {
            limit: UNLIMITED_LIMIT,
            seconds: 86_400,
        };
        let reset_at = day.start(now) + day.seconds;
        Decision {
            allowed: true,
            limit: day.limit,
            remaining: day.limit,
            reset: reset_at - now,
            reset_at,
            policy: format_policy(&[day]),
        }
    }

    /// Sets `RateLimit-Policy`, `RateLimit-Limit/-Remaining/-Reset` and the legacy `X-RateLimit-*` headers.
    pub fn apply(&self, headers: &mut HeaderMap) {
        let mut set = |name: &'static str, v: String| {
            if let Ok(v) = HeaderValue::from_str(&v) {
                headers.insert(name, v);
            }
        };
        set("ratelimit-policy", self.policy.clone());
        set("ratelimit-limit", self.limit.to_string());
        set("ratelimit-remaining", self.remaining.to_string());
        set("ratelimit-reset", self.reset.to_string());
        set("x-ratelimit-limit", self.limit.to_string());
        set("x-ratelimit-remaining", self.remaining.to_string());
        set("x-ratelimit-reset", self.reset_at.to_string());
    }

    /// The 429 problem, with `retry_after` (and `Retry-After`) the seconds until the
    /// most restrictive window resets, at least 1.
    pub fn problem(&self) -> Problem {
        let mut p = Problem::new(
            ProblemKind::RateLimited,
            "Rate limit exceeded. Please try again later.",
        );
        p.retry_after = Some(self.reset.max(1));
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::WindowCount;

    fn admission(admitted: bool, counts: &[(u64, u64)]) -> Admission {
        Admission {
            admitted,
            counts: counts
                .iter()
                .map(|&(start, count)| WindowCount { start, count })
                .collect(),
        }
    }

    #[test]
    fn the_tightest_window_is_announced() {
        let t = 86_400 * 100 + 10;
        let day = 86_400 * 100;
        let rows = [
            // 0: 298 left a minute, 9,999 a day: the minute
            (admission(true, &[(day, 2), (day, 1)]), (300, 298, 50)),
            // 1: the day has fewer left than the minute: the day
            (
                admission(true, &[(day, 1), (day, 9_990)]),
                (10_000, 10, 86_390),
            ),
            // 2: both exhausted: the longer one (waiting a minute would not help)
            (
                admission(false, &[(day, 300), (day, 10_000)]),
                (10_000, 0, 86_390),
            ),
        ];
        for (i, (a, (limit, remaining, reset))) in rows.into_iter().enumerate() {
            let d = Decision::new(&DEFAULT_WINDOWS, &a, t);
            assert_eq!(
                (d.limit, d.remaining, d.reset),
                (limit, remaining, reset),
                "row {i}"
            );
            assert_eq!(d.reset_at, t + reset, "row {i}");
        }
    }

    #[test]
    fn headers_carry_policy_and_legacy_aliases() {
        let mut h = HeaderMap::new();
        let now = 1_000_000;
        let a = admission(true, &[(999_960, 1), (950_400, 1)]);
        Decision::new(&DEFAULT_WINDOWS, &a, now).apply(&mut h);
        assert_eq!(h["ratelimit-policy"], "300;w=60, 10000;w=86400");
        assert_eq!(h["ratelimit-limit"], "300");
        assert_eq!(h["ratelimit-remaining"], "299");
        assert_eq!(h["ratelimit-reset"], "20");
        assert_eq!(h["x-ratelimit-limit"], "300");
        assert_eq!(h["x-ratelimit-remaining"], "299");
        assert_eq!(h["x-ratelimit-reset"], "1000020");
    }

    #[test]
    fn tiers_parse_or_name_their_fault() {
        let limits = Limits::new(DEFAULT_WINDOWS.to_vec());
        let w = |limit, seconds| Window { limit, seconds };
        let rows: [(&str, Result<Policy, ()>); 8] = [
            ("default", Ok(Policy::Windows(DEFAULT_WINDOWS.to_vec()))),
            ("", Ok(Policy::Windows(DEFAULT_WINDOWS.to_vec()))),
            ("unlimited", Ok(Policy::Unlimited)),
            ("20;w=60", Ok(Policy::Windows(vec![w(20, 60)]))),
            (
                "1000;w=60, 50000;w=86400",
                Ok(Policy::Windows(vec![w(1000, 60), w(50_000, 86_400)])),
            ),
            ("gold", Err(())),
            ("5;w=0", Err(())),
            ("5;w=60, 6;w=60", Err(())),
        ];
        for (i, (tier, want)) in rows.into_iter().enumerate() {
            match want {
                Ok(p) => {
                    assert!(parse_tier(tier).is_ok(), "row {i}");
                    assert_eq!(limits.policy(tier), p, "row {i}");
                }
                Err(()) => {
                    assert!(parse_tier(tier).is_err(), "row {i}");
                    // Enforced as the default, never as no limit.
                    assert_eq!(
                        limits.policy(tier),
                        Policy::Windows(DEFAULT_WINDOWS.to_vec()),
                        "row {i}"
                    );
                }
            }
        }
    }

    #[test]
    fn unlimited_still_announces_headers() {
        let mut h = HeaderMap::new();
        Decision::unlimited(86_400 * 2 + 100).apply(&mut h);
        assert_eq!(h["ratelimit-policy"], "4294967295;w=86400");
        assert_eq!(h["ratelimit-remaining"], "4294967295");
        assert_eq!(h["ratelimit-reset"], "86300");
    }

    #[test]
    fn a_refusal_says_when_to_retry() {
        let a = admission(false, &[(60, 300), (0, 400)]);
        let p = Decision::new(&DEFAULT_WINDOWS, &a, 119).problem();
        assert_eq!(p.kind, ProblemKind::RateLimited);
        assert_eq!(p.retry_after, Some(1));
    }
}
