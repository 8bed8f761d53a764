//! The local side of scan sessions, captures and products: three tables in the SQLite
//! file (schema version 3). A capture's `gs1_dl_data` is kept as a JSON array of
//! `[AI, value]` pairs, so its order survives.

use super::{inserted, sqlite_error, to_i64, LocalStore};
use crate::store::scan::{
    Capture, CaptureStatus, CloseSession, FinishCapture, GetCapture, GetProduct, GetSession,
    ListCaptures, Page, Product, PutCapture, PutProduct, PutSession, ScanSession,
};
use crate::store::StoreError;
use rusqlite::OptionalExtension;

fn from_i64(n: i64) -> u64 {
    n.max(0) as u64
}

const CAPTURE_COLUMNS: &str = "public_id, session_public_id, owner, status, capture_type, raw_value, gtin, error_message, gs1_dl_data, product_public_id, product_name, uploaded_image_key, created, processed_at";

/// A capture row, with its status and data still as text.
struct CaptureRow(Capture, String, String);

fn capture_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<CaptureRow> {
    let product_id: Option<String> = row.get(9)?;
    let product_name: Option<String> = row.get(10)?;
    Ok(CaptureRow(
        Capture {
            public_id: row.get(0)?,
            session_public_id: row.get(1)?,
            owner: row.get(2)?,
            status: CaptureStatus::Pending,
            capture_type: row.get(4)?,
            raw_value: row.get(5)?,
            gtin: row.get(6)?,
            error_message: row.get(7)?,
            gs1_dl_data: Vec::new(),
            product: product_id.zip(product_name),
            uploaded_image_key: row.get(11)?,
            created: from_i64(row.get(12)?),
            processed_at: row.get::<_, Option<i64>>(13)?.map(from_i64),
        },
        row.get(3)?,
        row.get(8)?,
    ))
}

fn finish_row(r: CaptureRow) -> Result<Capture, StoreError> {
    let CaptureRow(mut c, status, data) = r;
    c.status = CaptureStatus::parse(&status)
        .ok_or_else(|| StoreError::corrupt("unknown capture status"))?;
    c.gs1_dl_data =
        serde_json::from_str(&data).map_err(|_| StoreError::corrupt("capture data is not JSON"))?;
    Ok(c)
}

/// The bound values of a capture row, in [`CAPTURE_COLUMNS`] order.
fn capture_params(c: &Capture) -> Result<Vec<rusqlite::types::Value>, StoreError> {
    use rusqlite::types::Value;
    let text = |s: &str| Value::Text(s.to_string());
    let opt = |s: &Option<String>| s.as_deref().map_or(Value::Null, text);
    let data = serde_json::to_string(&c.gs1_dl_data).map_err(|_| StoreError::Invalid {
        reason: "capture data",
    })?;
    Ok(vec![
        text(&c.public_id),
        text(&c.session_public_id),
        text(&c.owner),
        text(c.status.as_str()),
        text(&c.capture_type),
        text(&c.raw_value),
        text(&c.gtin),
        opt(&c.error_message),
        Value::Text(data),
        opt(&c.product.as_ref().map(|p| p.0.clone())),
        opt(&c.product.as_ref().map(|p| p.1.clone())),
        opt(&c.uploaded_image_key),
        Value::Integer(to_i64(c.created)?),
        c.processed_at
            .map(to_i64)
            .transpose()?
            .map_or(Value::Null, Value::Integer),
    ])
}

impl PutSession for LocalStore {
    async fn put_session(&self, s: &ScanSession) -> Result<(), StoreError> {
        let s = s.clone();
        let (created, closed) = (to_i64(s.created)?, s.closed.map(to_i64).transpose()?);
        self.with_conn(move |conn| {
            let n = conn
                .execute(
                    "INSERT INTO scan_sessions (public_id, owner, cookie_hash, created, closed)
                     VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (public_id) DO NOTHING",
                    rusqlite::params![s.public_id, s.owner, s.cookie_hash, created, closed],
                )
                .map_err(sqlite_error)?;
            inserted(n)
        })
        .await
    }
}

impl GetSession for LocalStore {
    async fn get_session(&self, public_id: &str) -> Result<Option<ScanSession>, StoreError> {
        let id = public_id.to_owned();
        self.with_conn(move |conn| {
            conn.query_row(
                "SELECT public_id, owner, cookie_hash, created, closed FROM scan_sessions
                 WHERE public_id = ?1",
                [&id],
                |row| {
                    Ok(ScanSession {
                        public_id: row.get(0)?,
                        owner: row.get(1)?,
                        cookie_hash: row.get(2)?,
                        created: from_i64(row.get(3)?),
                        closed: row.get::<_, Option<i64>>(4)?.map(from_i64),
                    })
                },
            )
            .optional()
            .map_err(sqlite_error)
        })
        .await
    }
}

impl CloseSession for LocalStore {
    async fn close_session(&self, public_id: &str, now: u64) -> Result<bool, StoreError> {
        let (id, now) = (public_id.to_owned(), to_i64(now)?);
        self.with_conn(move |conn| {
            conn.execute(
                "UPDATE scan_sessions SET closed = ?2 WHERE public_id = ?1 AND closed IS NULL",
                rusqlite::params![id, now],
            )
            .map(|n| n == 1)
            .map_err(sqlite_error)
        })
        .await
    }
}

impl PutCapture for LocalStore {
    async fn put_capture(&self, c: &Capture) -> Result<(), StoreError> {
        let params = capture_params(c)?;
        self.with_conn(move |conn| {
            let n = conn
                .execute(
                    &format!(
                        "INSERT INTO captures ({CAPTURE_COLUMNS}) VALUES
                         (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
                         ON CONFLICT (public_id) DO NOTHING"
                    ),
                    rusqlite::params_from_iter(params),
                )
                .map_err(sqlite_error)?;
            inserted(n)
        })
        .await
    }
}

impl GetCapture for LocalStore {
    async fn get_capture(&self, public_id: &str) -> Result<Option<Capture>, StoreError> {
        let id = public_id.to_owned();
        let row = self
            .with_conn(move |conn| {
                conn.query_row(
                    &format!("SELECT {CAPTURE_COLUMNS} FROM captures WHERE public_id = ?1"),
                    [&id],
                    capture_of,
                )
                .optional()
                .map_err(sqlite_error)
            })
            .await?;
        row.map(finish_row).transpose()
    }
}

impl ListCaptures for LocalStore {
    async fn list_captures(
        &self,
        session_public_id: &str,
        page: u64,
        page_size: u64,
    ) -> Result<Page<Capture>, StoreError> {
        let id = session_public_id.to_owned();
        let limit = to_i64(page_size)?;
        let offset = to_i64(page.saturating_sub(1).saturating_mul(page_size))?;
        let (rows, total) = self
            .with_conn(move |conn| {
                let total: i64 = conn
                    .query_row(
                        "SELECT COUNT(*) FROM captures WHERE session_public_id = ?1",
                        [&id],
                        |r| r.get(0),
                    )
                    .map_err(sqlite_error)?;
                let mut stmt = conn
                    .prepare(&format!(
                        "SELECT {CAPTURE_COLUMNS} FROM captures WHERE session_public_id = ?1
                         ORDER BY created, public_id LIMIT ?2 OFFSET ?3"
                    ))
                    .map_err(sqlite_error)?;
                let rows = stmt
                    .query_map(rusqlite::params![id, limit, offset], capture_of)
                    .map_err(sqlite_error)?
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(sqlite_error)?;
                Ok((rows, from_i64(total)))
            })
            .await?;
        Ok(Page {
            items: rows.into_iter().map(finish_row).collect::<Result<_, _>>()?,
            total,
        })
    }
}

impl FinishCapture for LocalStore {
    async fn finish_capture(&self, c: &Capture) -> Result<bool, StoreError> {
        let params = capture_params(c)?;
        self.with_conn(move |conn| {
            conn.execute(
                "UPDATE captures SET status = ?4, raw_value = ?6, gtin = ?7, error_message = ?8,
                   gs1_dl_data = ?9, product_public_id = ?10, product_name = ?11,
                   processed_at = ?14
                 WHERE public_id = ?1 AND status = 'PENDING'",
                rusqlite::params_from_iter(params),
            )
            .map(|n| n == 1)
            .map_err(sqlite_error)
        })
        .await
    }
}

impl PutProduct for LocalStore {
    async fn put_product(&self, p: &Product) -> Result<(), StoreError> {
        let p = p.clone();
        self.with_conn(move |conn| {
            conn.execute(
                "INSERT INTO products (gtin, public_id, name, brand) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (gtin) DO UPDATE SET public_id = excluded.public_id,
                   name = excluded.name, brand = excluded.brand",
                rusqlite::params![p.gtin, p.public_id, p.name, p.brand],
            )
            .map(|_| ())
            .map_err(sqlite_error)
        })
        .await
    }
}

impl GetProduct for LocalStore {
    async fn get_product(&self, gtin14: &str) -> Result<Option<Product>, StoreError> {
        let g = gtin14.to_owned();
        self.with_conn(move |conn| {
            conn.query_row(
                "SELECT public_id, gtin, name, brand FROM products WHERE gtin = ?1",
                [&g],
                |row| {
                    Ok(Product {
                        public_id: row.get(0)?,
                        gtin: row.get(1)?,
                        name: row.get(2)?,
                        brand: row.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(sqlite_error)
        })
        .await
    }
}
