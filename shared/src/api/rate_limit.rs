//! Fixed-window rate limits per API key, with the spec's "informed governor" headers.
//!
//! Counts live in the process: exact for the local server; on Lambda each warm
//! instance counts for itself, which bounds bursts per instance (API Gateway's own
//! throttling is the global guard there). Documented in the README.

use super::problem::{Problem, ProblemKind};
use http::{HeaderMap, HeaderValue};
use std::collections::HashMap;
use std::sync::Mutex;

/// One window: `limit` requests per `seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Requests allowed per window.
    pub limit: u64,
    /// Window length in seconds; windows are fixed, aligned to Unix time.
    pub seconds: u64,
}

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
    policy: String,
}

/// Fixed-window counters per client, for every window at once.
pub struct RateLimiter {
    windows: Vec<Window>,
    counts: Mutex<HashMap<String, Vec<(u64, u64)>>>,
}

impl RateLimiter {
    /// A limiter enforcing every one of `windows`.
    pub fn new(windows: Vec<Window>) -> Self {
        RateLimiter {
            windows,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// Reads `RATE_LIMIT_PER_MINUTE` / `RATE_LIMIT_PER_DAY`, else the spec's defaults.
    pub fn from_env() -> Self {
        let read = |name: &str, default: u64| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        };
        RateLimiter::new(vec![
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

    /// Counts one request for `client` at `now` (Unix seconds).
    pub fn check(&self, client: &str, now: u64) -> Decision {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let slots = counts
            .entry(client.to_string())
            .or_insert_with(|| vec![(0, 0); self.windows.len()]);
        let mut allowed = true;
        for (w, (start, count)) in self.windows.iter().zip(slots.iter_mut()) {
            let current = now - now % w.seconds;
            if *start != current {
                *start = current;
                *count = 0;
            }
            if *count >= w.limit {
                allowed = false;
            }
        }
        if allowed {
            for (_, count) in slots.iter_mut() {
                *count += 1;
            }
        }
        // Most restrictive: fewest requests left; on a tie, the window that resets last
        // (waiting for the short one would not help).
        let (w, (start, count)) = self
            .windows
            .iter()
            .zip(slots.iter())
            .min_by_key(|(w, (_, c))| (w.limit.saturating_sub(*c), std::cmp::Reverse(w.seconds)))
            .expect("at least one window");
        let reset_at = start + w.seconds;
        let policy: Vec<String> = self
            .windows
            .iter()
            .map(|w| format!("{};w={}", w.limit, w.seconds))
            .collect();
        Decision {
            allowed,
            limit: w.limit,
            remaining: w.limit.saturating_sub(*count),
            reset: reset_at.saturating_sub(now),
            reset_at,
            policy: policy.join(", "),
        }
    }
}

impl Decision {
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

    /// The 429 problem, with `retry_after` the seconds until the window resets (at least 1).
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

    #[test]
    fn the_tightest_window_blocks_and_resets() {
        let rl = RateLimiter::new(vec![
            Window {
                limit: 2,
                seconds: 60,
            },
            Window {
                limit: 3,
                seconds: 86_400,
            },
        ]);
        let t = 86_400 * 100 + 10;
        // 0,1: within both windows
        assert!(rl.check("k", t).allowed);
        let d = rl.check("k", t);
        assert!(d.allowed);
        assert_eq!((d.limit, d.remaining, d.reset), (2, 0, 50));
        // 2: minute window exhausted
        let d = rl.check("k", t + 1);
        assert!(!d.allowed);
        assert_eq!(d.problem().retry_after, Some(49));
        // 3: next minute: one left in the day, which is now the tighter window
        let d = rl.check("k", t + 60);
        assert!(d.allowed);
        assert_eq!((d.limit, d.remaining), (3, 0));
        // 4: day exhausted even though the minute has room
        assert!(!rl.check("k", t + 120).allowed);
        // 5: other keys are counted apart
        assert!(rl.check("other", t + 120).allowed);
    }

    #[test]
    fn headers_carry_policy_and_legacy_aliases() {
        let rl = RateLimiter::new(DEFAULT_WINDOWS.to_vec());
        let mut h = HeaderMap::new();
        rl.check("k", 1_000_000).apply(&mut h);
        assert_eq!(h["ratelimit-policy"], "300;w=60, 10000;w=86400");
        assert_eq!(h["ratelimit-remaining"], "299");
        assert_eq!(h["x-ratelimit-reset"], "1000020");
    }
}
