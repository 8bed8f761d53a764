//! Rate-limit counters and key changes, on every adapter.

use std::sync::Arc;

use shared::store::{
    ApiKeyRecord, CountRequest, GetApiKey, KeyChange, ListApiKeys, PutApiKey, UpdateApiKey, Window,
};
use tokio::sync::Barrier;

use super::unique;

const MINUTE: Window = Window {
    limit: 3,
    seconds: 60,
};
const DAY: Window = Window {
    limit: 5,
    seconds: 86_400,
};

/// A client's counts through two minute rollovers and a day rollover, at
/// fixed times: each row is (seconds after a day began, admitted, minute count,
/// day count).
pub async fn counts_roll_over_at_fixed_times<S: CountRequest>(store: &S) {
    let client = unique("client");
    let day = 86_400 * 20_000;
    let rows: [(u64, bool, u64, u64); 9] = [
        // 0-2: three in the first minute
        (5, true, 1, 1),
        (6, true, 2, 2),
        (59, true, 3, 3),
        // 3: the minute is full, nothing is counted
        (59, false, 3, 3),
        // 4-5: the next minute has room; the day fills up
        (60, true, 1, 4),
        (61, true, 2, 5),
        // 6: the day is full although the minute is not
        (62, false, 2, 5),
        // 7: a minute later the day is still full
        (130, false, 0, 5),
        // 8: the next day starts afresh
        (86_400 + 1, true, 1, 1),
    ];
    for (i, (t, admitted, minute, in_day)) in rows.into_iter().enumerate() {
        let a = store
            .count_request(&client, &[MINUTE, DAY], day + t)
            .await
            .unwrap_or_else(|e| panic!("row {i}: {e}"));
        assert_eq!(a.admitted, admitted, "row {i}");
        assert_eq!(
            (a.counts[0].count, a.counts[1].count),
            (minute, in_day),
            "row {i}"
        );
        assert_eq!(a.counts[0].start, MINUTE.start(day + t), "row {i}");
        assert_eq!(a.counts[1].start, DAY.start(day + t), "row {i}");
    }
    // The key's tier changes to an hour window: counted afresh, the old
    // windows left as they are.
    let hour = Window {
        limit: 1,
        seconds: 3600,
    };
    for (i, admitted) in [true, false].into_iter().enumerate() {
        let a = store
            .count_request(&client, &[hour], day + 86_400 + 2)
            .await
            .unwrap();
        assert_eq!(a.admitted, admitted, "new tier, request {i}");
    }
    // Another client is counted apart.
    let other = store
        .count_request(&unique("other"), &[MINUTE, DAY], day + 62)
        .await
        .unwrap();
    assert!(other.admitted);
}

/// GIVEN a limit of 20, WHEN 50 requests race through several handles (separate
/// connections or SDK clients, as separate processes or Lambdas), THEN exactly 20
/// are admitted, with counts 1..=20 each seen once. Returns the admitted count.
/// Run twice: once inside one window, once across a rollover (the previous window
/// full, so every racer must rewrite it).
pub async fn exactly_the_limit_under_concurrency<S: CountRequest + Clone + 'static>(
    handles: Vec<S>,
) -> usize {
    let window = Window {
        limit: 20,
        seconds: 60,
    };
    let day = Window {
        limit: 1_000,
        seconds: 86_400,
    };
    // 90 s into a day: the minute before is the same day.
    let now = 86_400 * 20_001 + 90;
    let mut admitted_total = 0;
    for (round, prefill) in [(0, 0u64), (1, 20)].into_iter() {
        let client = unique("racer");
        // Round 1: the previous minute is full, so the race starts with a rollover.
        for _ in 0..prefill {
            let a = handles[0]
                .count_request(&client, &[window, day], now - 60)
                .await
                .unwrap();
            assert!(a.admitted);
        }
        let barrier = Arc::new(Barrier::new(50));
        let tasks: Vec<_> = (0..50)
            .map(|i| {
                let handle = handles[i % handles.len()].clone();
                let (barrier, client) = (barrier.clone(), client.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    handle.count_request(&client, &[window, day], now).await
                })
            })
            .collect();
        let mut counts = Vec::new();
        let mut refused = 0;
        for t in tasks {
            let a = t.await.expect("task").expect("count_request");
            if a.admitted {
                counts.push(a.counts[0].count);
                assert_eq!(
                    a.counts[1].count,
                    prefill + a.counts[0].count,
                    "round {round}"
                );
            } else {
                assert_eq!(a.counts[0].count, 20, "round {round}");
                refused += 1;
            }
        }
        counts.sort_unstable();
        assert_eq!(counts, (1..=20).collect::<Vec<_>>(), "round {round}");
        assert_eq!(refused, 30, "round {round}");
        admitted_total = counts.len();
    }
    admitted_total
}

/// Keys are listed, and a revocation, a tier and a suspension read back at once;
/// a change to a missing key is `false`.
pub async fn keys_are_listed_and_changed<S: PutApiKey + GetApiKey + ListApiKeys + UpdateApiKey>(
    store: &S,
) {
    let rec = ApiKeyRecord {
        key_hash: unique("changed"),
        prefix: "csb_Chg0Chg0".to_owned(),
        created_at: 1_767_225_600,
        revoked: false,
        tier: "default".to_owned(),
        suspended: false,
    };
    store.put_api_key(&rec).await.unwrap();
    assert!(store.list_api_keys().await.unwrap().contains(&rec));
    let rows = [
        (
            KeyChange::Tier("20;w=60".to_owned()),
            ApiKeyRecord {
                tier: "20;w=60".to_owned(),
                ..rec.clone()
            },
        ),
        (
            KeyChange::Suspend(true),
            ApiKeyRecord {
                tier: "20;w=60".to_owned(),
                suspended: true,
                ..rec.clone()
            },
        ),
        (
            KeyChange::Suspend(false),
            ApiKeyRecord {
                tier: "20;w=60".to_owned(),
                ..rec.clone()
            },
        ),
        (
            KeyChange::Revoke,
            ApiKeyRecord {
                tier: "20;w=60".to_owned(),
                revoked: true,
                ..rec.clone()
            },
        ),
    ];
    for (i, (change, want)) in rows.into_iter().enumerate() {
        assert!(
            store.update_api_key(&rec.key_hash, &change).await.unwrap(),
            "row {i}"
        );
        assert_eq!(
            store.get_api_key(&rec.key_hash).await.unwrap(),
            Some(want),
            "row {i}"
        );
    }
    let missing = unique("missing");
    assert!(!store
        .update_api_key(&missing, &KeyChange::Revoke)
        .await
        .unwrap());
    assert_eq!(store.get_api_key(&missing).await.unwrap(), None);
}
