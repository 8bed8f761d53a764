//! API keys and rate-limit counters in SQLite.
//!
//! A rate-limit count is one `IMMEDIATE` transaction: it takes SQLite's write
//! lock before reading the counters, so two processes (or two connections)
//! cannot both read "19 of 20" and both admit.

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior};

use super::{inserted, sqlite_error, to_i64, LocalStore};
use crate::store::rate::{decide, Admission, CountRequest, Window};
use crate::store::{
    ApiKeyRecord, GetApiKey, KeyChange, ListApiKeys, PutApiKey, StoreError, UpdateApiKey,
};

const KEY_COLUMNS: &str = "key_hash, prefix, created_at, revoked, tier, suspended";

fn key_from_row(row: &Row<'_>) -> rusqlite::Result<(ApiKeyRecord, i64)> {
    let created_at: i64 = row.get(2)?;
    Ok((
        ApiKeyRecord {
            key_hash: row.get(0)?,
            prefix: row.get(1)?,
            created_at: 0,
            revoked: row.get(3)?,
            tier: row.get(4)?,
            suspended: row.get(5)?,
        },
        created_at,
    ))
}

fn with_created_at((mut rec, created_at): (ApiKeyRecord, i64)) -> Result<ApiKeyRecord, StoreError> {
    rec.created_at =
        u64::try_from(created_at).map_err(|_| StoreError::corrupt("negative created_at"))?;
    Ok(rec)
}

impl PutApiKey for LocalStore {
    async fn put_api_key(&self, rec: &ApiKeyRecord) -> Result<(), StoreError> {
        let created_at = to_i64(rec.created_at)?;
        let rec = rec.clone();
        self.with_conn(move |conn| {
            let rows = conn
                .execute(
                    &format!(
                        "INSERT INTO api_keys ({KEY_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                         ON CONFLICT (key_hash) DO NOTHING"
                    ),
                    (
                        &rec.key_hash,
                        &rec.prefix,
                        created_at,
                        rec.revoked,
                        &rec.tier,
                        rec.suspended,
                    ),
                )
                .map_err(sqlite_error)?;
            inserted(rows)
        })
        .await
    }
}

impl GetApiKey for LocalStore {
    async fn get_api_key(&self, key_hash: &str) -> Result<Option<ApiKeyRecord>, StoreError> {
        let key_hash = key_hash.to_owned();
        // Every keyed request starts here: a point read, done in place (see `read_now`).
        self.read_now(move |conn| {
            // Cached: parsing the statement cost more than running it.
            conn.prepare_cached(&format!(
                "SELECT {KEY_COLUMNS} FROM api_keys WHERE key_hash = ?1"
            ))
            .and_then(|mut stmt| stmt.query_row([&key_hash], key_from_row).optional())
            .map_err(sqlite_error)?
            .map(with_created_at)
            .transpose()
        })
        .await
    }
}

impl ListApiKeys for LocalStore {
    async fn list_api_keys(&self) -> Result<Vec<ApiKeyRecord>, StoreError> {
        self.with_conn(move |conn| {
            let mut stmt = conn
                .prepare(&format!(
                    "SELECT {KEY_COLUMNS} FROM api_keys ORDER BY created_at, prefix"
                ))
                .map_err(sqlite_error)?;
            let rows = stmt.query_map([], key_from_row).map_err(sqlite_error)?;
            rows.map(|r| r.map_err(sqlite_error).and_then(with_created_at))
                .collect()
        })
        .await
    }
}

impl UpdateApiKey for LocalStore {
    async fn update_api_key(&self, key_hash: &str, change: &KeyChange) -> Result<bool, StoreError> {
        let key_hash = key_hash.to_owned();
        let change = change.clone();
        self.with_conn(move |conn| {
            let rows = match &change {
                KeyChange::Revoke => conn.execute(
                    "UPDATE api_keys SET revoked = 1 WHERE key_hash = ?1",
                    [&key_hash],
                ),
                KeyChange::Tier(tier) => conn.execute(
                    "UPDATE api_keys SET tier = ?2 WHERE key_hash = ?1",
                    (&key_hash, tier),
                ),
                KeyChange::Suspend(on) => conn.execute(
                    "UPDATE api_keys SET suspended = ?2 WHERE key_hash = ?1",
                    (&key_hash, on),
                ),
            }
            .map_err(sqlite_error)?;
            Ok(rows == 1)
        })
        .await
    }
}

impl CountRequest for LocalStore {
    async fn count_request(
        &self,
        client: &str,
        windows: &[Window],
        now: u64,
    ) -> Result<Admission, StoreError> {
        let client = client.to_owned();
        let windows = windows.to_vec();
        self.with_conn(move |conn| count_in(conn, &client, &windows, now))
            .await
    }
}

fn count_in(
    conn: &mut Connection,
    client: &str,
    windows: &[Window],
    now: u64,
) -> Result<Admission, StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sqlite_error)?;
    let mut stored = Vec::with_capacity(windows.len());
    for w in windows {
        let seconds = to_i64(w.seconds)?;
        let row: Option<(i64, i64)> = tx
            .prepare_cached(
                "SELECT start, count FROM rate_counters WHERE client = ?1 AND seconds = ?2",
            )
            .and_then(|mut stmt| {
                stmt.query_row((client, seconds), |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .map_err(sqlite_error)?;
        stored.push(row.map(|(s, c)| (s.max(0) as u64, c.max(0) as u64)));
    }
    let admission = decide(windows, &stored, now);
    if admission.admitted {
        for (w, c) in windows.iter().zip(&admission.counts) {
            let row = (
                client,
                to_i64(w.seconds)?,
                to_i64(c.start)?,
                to_i64(c.count)?,
            );
            tx.prepare_cached(
                "INSERT INTO rate_counters (client, seconds, start, count) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (client, seconds) DO UPDATE SET start = ?3, count = ?4",
            )
            .and_then(|mut stmt| stmt.execute(row))
            .map_err(sqlite_error)?;
        }
    }
    tx.commit().map_err(sqlite_error)?;
    Ok(admission)
}
