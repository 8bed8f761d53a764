//! Request counters for rate limits, kept in the store so that every process
//! (every warm Lambda instance, or the local server and its tools) counts
//! against the same figures.
//!
//! Windows are fixed and aligned to Unix time: the 60-second window that holds
//! `now` starts at `now - now % 60`. A request is admitted only if every window
//! still has room, and then it counts in every window; a refused request counts
//! nowhere (so a client hammering at its limit does not push its own reset
//! further away).

use super::StoreError;
use std::future::Future;

/// One window: at most `limit` requests per `seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    /// Requests allowed per window.
    pub limit: u64,
    /// Window length in seconds (at least 1); windows are aligned to Unix time.
    pub seconds: u64,
}

impl Window {
    /// The Unix second at which the window holding `now` began.
    pub fn start(&self, now: u64) -> u64 {
        now - now % self.seconds.max(1)
    }
}

/// One window's figures after a request was counted (or refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowCount {
    /// Unix second at which this window began.
    pub start: u64,
    /// Requests counted in it, including this one if it was admitted.
    pub count: u64,
}

/// The outcome of [`CountRequest::count_request`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admission {
    /// Whether every window had room (and the request was counted in each).
    pub admitted: bool,
    /// One entry per window, in the order the windows were given.
    pub counts: Vec<WindowCount>,
}

/// Count one request against a client's windows, atomically across processes.
pub trait CountRequest: Send + Sync {
    /// If every one of `windows` has fewer than its `limit` requests from
    /// `client` in the window holding `now` (Unix seconds), counts this request
    /// in all of them; otherwise counts nothing. The check and the count are one
    /// atomic step: concurrent callers, in any process, never admit more than
    /// `limit` in a window. `windows` is non-empty, with distinct `seconds`.
    ///
    /// Errors: [`StoreError::Unavailable`] when the store cannot be reached;
    /// callers must then refuse the request (fail closed).
    fn count_request(
        &self,
        client: &str,
        windows: &[Window],
        now: u64,
    ) -> impl Future<Output = Result<Admission, StoreError>> + Send;
}

/// What the counts stored for a client's windows say about one more request:
/// each window's count in its current window (0 when the stored window is an
/// older one, or absent), and whether all have room. `stored` holds, per window,
/// the stored `(start, count)` if any. Both adapters decide with this, so they
/// cannot disagree.
pub fn decide(windows: &[Window], stored: &[Option<(u64, u64)>], now: u64) -> Admission {
    let counts: Vec<WindowCount> = windows
        .iter()
        .zip(stored)
        .map(|(w, s)| {
            let start = w.start(now);
            let count = match s {
                Some((s, c)) if *s == start => *c,
                _ => 0,
            };
            WindowCount { start, count }
        })
        .collect();
    let admitted = windows.iter().zip(&counts).all(|(w, c)| c.count < w.limit);
    let counts = if admitted {
        counts
            .into_iter()
            .map(|c| WindowCount {
                count: c.count + 1,
                ..c
            })
            .collect()
    } else {
        counts
    };
    Admission { admitted, counts }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decide_resets_stale_windows_and_refuses_full_ones() {
        let w = [
            Window {
                limit: 2,
                seconds: 60,
            },
            Window {
                limit: 5,
                seconds: 86_400,
            },
        ];
        let now = 86_400 * 3 + 125; // minute starts at +120
        let day = 86_400 * 3;
        type Stored<'a> = &'a [Option<(u64, u64)>];
        let rows: [(Stored, bool, [u64; 2]); 4] = [
            // 0: nothing stored: admitted, one in each
            (&[None, None], true, [1, 1]),
            // 1: last minute's count is stale, the day's is current
            (&[Some((day + 60, 2)), Some((day, 3))], true, [1, 4]),
            // 2: the minute is full: refused, nothing counted
            (&[Some((day + 120, 2)), Some((day, 3))], false, [2, 3]),
            // 3: the day is full although the minute has room
            (&[Some((day + 120, 0)), Some((day, 5))], false, [0, 5]),
        ];
        for (i, (stored, admitted, counts)) in rows.into_iter().enumerate() {
            let a = decide(&w, stored, now);
            assert_eq!(a.admitted, admitted, "row {i}");
            assert_eq!(
                a.counts.iter().map(|c| c.count).collect::<Vec<_>>(),
                counts,
                "row {i}"
            );
            assert_eq!(a.counts[0].start, day + 120, "row {i}");
        }
    }
}
