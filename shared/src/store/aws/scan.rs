//! Scan sessions, captures and products on [`AwsStore`]: three tables, the
//! same semantics as the SQLite adapter (see the module doc of [`super`] for
//! the item layouts).
//!
//! A session's captures are listed by querying the capture table's
//! [`CAPTURES_BY_SESSION`] index, whose range key is the capture's public id.
//! Capture ids sort by creation (`cap_<second><sequence><random>`), so that
//! order is the local adapter's `created, public_id`. Page N is reached by
//! reading past the first `(N - 1) * page_size` index entries (keys only): a
//! cost that grows with the page number, fine for sessions of up to a few
//! thousand captures. The total is a `Select: COUNT` query over the same
//! index. Index reads are eventually consistent: a capture put a moment ago
//! may be missing from a list for a short while, never from
//! [`GetCapture`].

use std::collections::HashMap;

use aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;
use aws_sdk_dynamodb::types::{AttributeValue, Select};

use super::sdk_error::{sdk_error, DYNAMODB};
use super::{conditional, AwsStore};
use crate::store::scan::{
    Capture, CaptureStatus, CloseSession, FinishCapture, GetCapture, GetProduct, GetSession,
    ListCaptures, Page, Product, PutCapture, PutProduct, PutSession, ScanSession,
};
use crate::store::StoreError;

/// Name of the capture table's global secondary index: hash key
/// `session_public_id` (S), range key `public_id` (S), every attribute projected.
pub const CAPTURES_BY_SESSION: &str = "by_session";

type Item = HashMap<String, AttributeValue>;

fn n(v: u64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}

/// `gs1_dl_data` as a list of `[AI, value]` lists, in scan order.
fn pairs(data: &[(String, String)]) -> AttributeValue {
    AttributeValue::L(
        data.iter()
            .map(|(ai, value)| AttributeValue::L(vec![s(ai), s(value)]))
            .collect(),
    )
}

/// Typed reads of an item's attributes.
struct Fields<'a> {
    item: &'a Item,
}

impl Fields<'_> {
    fn string(&self, name: &str) -> Result<String, StoreError> {
        self.opt_string(name)?
            .ok_or(StoreError::corrupt("scan attribute missing"))
    }

    fn opt_string(&self, name: &str) -> Result<Option<String>, StoreError> {
        match self.item.get(name) {
            None => Ok(None),
            Some(AttributeValue::S(v)) => Ok(Some(v.clone())),
            Some(_) => Err(StoreError::corrupt("scan attribute is not a string")),
        }
    }

    fn number(&self, name: &str) -> Result<u64, StoreError> {
        self.opt_number(name)?
            .ok_or(StoreError::corrupt("scan number attribute missing"))
    }

    fn opt_number(&self, name: &str) -> Result<Option<u64>, StoreError> {
        match self.item.get(name) {
            None => Ok(None),
            Some(AttributeValue::N(v)) => v
                .parse()
                .map(Some)
                .map_err(|_| StoreError::corrupt("scan number out of range")),
            Some(_) => Err(StoreError::corrupt("scan attribute is not a number")),
        }
    }

    fn pairs(&self, name: &str) -> Result<Vec<(String, String)>, StoreError> {
        let bad = || StoreError::corrupt("capture data is not a list of [AI, value] pairs");
        let Some(AttributeValue::L(list)) = self.item.get(name) else {
            return Err(bad());
        };
        list.iter()
            .map(|pair| match pair {
                AttributeValue::L(two) => match two.as_slice() {
                    [AttributeValue::S(ai), AttributeValue::S(value)] => {
                        Ok((ai.clone(), value.clone()))
                    }
                    _ => Err(bad()),
                },
                _ => Err(bad()),
            })
            .collect()
    }
}

fn session_item(x: &ScanSession) -> Item {
    let mut item = HashMap::from([
        ("public_id".to_owned(), s(&x.public_id)),
        ("owner".to_owned(), s(&x.owner)),
        ("cookie_hash".to_owned(), s(&x.cookie_hash)),
        ("created".to_owned(), n(x.created)),
    ]);
    if let Some(closed) = x.closed {
        item.insert("closed".to_owned(), n(closed));
    }
    item
}

fn session_from_item(item: &Item) -> Result<ScanSession, StoreError> {
    let f = Fields { item };
    Ok(ScanSession {
        public_id: f.string("public_id")?,
        owner: f.string("owner")?,
        cookie_hash: f.string("cookie_hash")?,
        created: f.number("created")?,
        closed: f.opt_number("closed")?,
    })
}

/// The attributes a capture's outcome sets (the rest is fixed at creation).
fn outcome_attributes(c: &Capture) -> Vec<(&'static str, Option<AttributeValue>)> {
    let product = c.product.as_ref();
    vec![
        ("status", Some(s(c.status.as_str()))),
        ("raw_value", Some(s(&c.raw_value))),
        ("gtin", Some(s(&c.gtin))),
        ("error_message", c.error_message.as_deref().map(s)),
        ("gs1_dl_data", Some(pairs(&c.gs1_dl_data))),
        ("product_public_id", product.map(|p| s(&p.0))),
        ("product_name", product.map(|p| s(&p.1))),
        ("processed_at", c.processed_at.map(n)),
    ]
}

fn capture_item(c: &Capture) -> Item {
    let mut item = HashMap::from([
        ("public_id".to_owned(), s(&c.public_id)),
        ("session_public_id".to_owned(), s(&c.session_public_id)),
        ("owner".to_owned(), s(&c.owner)),
        ("capture_type".to_owned(), s(&c.capture_type)),
        ("created".to_owned(), n(c.created)),
    ]);
    if let Some(key) = &c.uploaded_image_key {
        item.insert("uploaded_image_key".to_owned(), s(key));
    }
    for (name, value) in outcome_attributes(c) {
        if let Some(value) = value {
            item.insert(name.to_owned(), value);
        }
    }
    item
}

fn capture_from_item(item: &Item) -> Result<Capture, StoreError> {
    let f = Fields { item };
    let status = CaptureStatus::parse(&f.string("status")?)
        .ok_or(StoreError::corrupt("unknown capture status"))?;
    let product = match (
        f.opt_string("product_public_id")?,
        f.opt_string("product_name")?,
    ) {
        (Some(id), Some(name)) => Some((id, name)),
        (None, None) => None,
        _ => return Err(StoreError::corrupt("capture product id without name")),
    };
    Ok(Capture {
        public_id: f.string("public_id")?,
        session_public_id: f.string("session_public_id")?,
        owner: f.string("owner")?,
        status,
        capture_type: f.string("capture_type")?,
        raw_value: f.string("raw_value")?,
        gtin: f.string("gtin")?,
        error_message: f.opt_string("error_message")?,
        gs1_dl_data: f.pairs("gs1_dl_data")?,
        product,
        uploaded_image_key: f.opt_string("uploaded_image_key")?,
        created: f.number("created")?,
        processed_at: f.opt_number("processed_at")?,
    })
}

impl AwsStore {
    /// One consistent `GetItem` by string key.
    async fn get_by_key(
        &self,
        table: &str,
        key: &str,
        value: &str,
    ) -> Result<Option<Item>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(table)
            .key(key, s(value))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| sdk_error(&DYNAMODB, e))?;
        Ok(out.item)
    }

    /// A query of the [`CAPTURES_BY_SESSION`] index for one session, in id order.
    fn session_query(&self, session_public_id: &str) -> QueryFluentBuilder {
        self.client
            .query()
            .table_name(&self.tables.captures)
            .index_name(CAPTURES_BY_SESSION)
            .key_condition_expression("session_public_id = :s")
            .expression_attribute_values(":s", s(session_public_id))
            .scan_index_forward(true)
    }

    /// How many captures the session has (every page of a `COUNT` query).
    async fn count_captures(&self, session_public_id: &str) -> Result<u64, StoreError> {
        let mut total = 0u64;
        let mut start: Option<Item> = None;
        loop {
            let out = self
                .session_query(session_public_id)
                .select(Select::Count)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(|e| sdk_error(&DYNAMODB, e))?;
            total += u64::try_from(out.count).unwrap_or(0);
            match out.last_evaluated_key {
                Some(key) if !key.is_empty() => start = Some(key),
                _ => return Ok(total),
            }
        }
    }

    /// Reads past the session's first `skip` index entries (keys only) and
    /// returns where to start the page: `Ok(None)` if the session has no more
    /// than `skip` captures.
    async fn skip_captures(
        &self,
        session_public_id: &str,
        skip: u64,
    ) -> Result<Option<Option<Item>>, StoreError> {
        let mut left = skip;
        let mut start: Option<Item> = None;
        while left > 0 {
            let out = self
                .session_query(session_public_id)
                .select(Select::SpecificAttributes)
                .projection_expression("public_id, session_public_id")
                .limit(limit(left))
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(|e| sdk_error(&DYNAMODB, e))?;
            left = left.saturating_sub(out.items().len() as u64);
            match out.last_evaluated_key {
                Some(key) if !key.is_empty() => start = Some(key),
                // Nothing after what was read.
                _ => return Ok(None),
            }
        }
        Ok(Some(start))
    }
}

/// A query `Limit`: DynamoDB's is an `i32` of at least 1.
fn limit(want: u64) -> i32 {
    i32::try_from(want).unwrap_or(i32::MAX).max(1)
}

impl PutSession for AwsStore {
    async fn put_session(&self, x: &ScanSession) -> Result<(), StoreError> {
        let result = self
            .client
            .put_item()
            .table_name(&self.tables.sessions)
            .set_item(Some(session_item(x)))
            .condition_expression("attribute_not_exists(public_id)")
            .send()
            .await;
        super::insert_result(result)
    }
}

impl GetSession for AwsStore {
    async fn get_session(&self, public_id: &str) -> Result<Option<ScanSession>, StoreError> {
        self.get_by_key(&self.tables.sessions, "public_id", public_id)
            .await?
            .map(|item| session_from_item(&item))
            .transpose()
    }
}

impl CloseSession for AwsStore {
    async fn close_session(&self, public_id: &str, now: u64) -> Result<bool, StoreError> {
        // `attribute_exists(public_id)`: an update of a missing key would create it.
        let result = self
            .client
            .update_item()
            .table_name(&self.tables.sessions)
            .key("public_id", s(public_id))
            .update_expression("SET #closed = :now")
            .condition_expression("attribute_exists(public_id) AND attribute_not_exists(#closed)")
            .expression_attribute_names("#closed", "closed")
            .expression_attribute_values(":now", n(now))
            .send()
            .await;
        conditional(result, |e| e.is_conditional_check_failed_exception())
    }
}

impl PutCapture for AwsStore {
    async fn put_capture(&self, c: &Capture) -> Result<(), StoreError> {
        let result = self
            .client
            .put_item()
            .table_name(&self.tables.captures)
            .set_item(Some(capture_item(c)))
            .condition_expression("attribute_not_exists(public_id)")
            .send()
            .await;
        super::insert_result(result)
    }
}

impl GetCapture for AwsStore {
    async fn get_capture(&self, public_id: &str) -> Result<Option<Capture>, StoreError> {
        self.get_by_key(&self.tables.captures, "public_id", public_id)
            .await?
            .map(|item| capture_from_item(&item))
            .transpose()
    }
}

impl ListCaptures for AwsStore {
    async fn list_captures(
        &self,
        session_public_id: &str,
        page: u64,
        page_size: u64,
    ) -> Result<Page<Capture>, StoreError> {
        let total = self.count_captures(session_public_id).await?;
        let skip = page.saturating_sub(1).saturating_mul(page_size);
        let mut items = Vec::new();
        if page_size == 0 || skip >= total {
            return Ok(Page { items, total });
        }
        let Some(mut start) = self.skip_captures(session_public_id, skip).await? else {
            return Ok(Page { items, total });
        };
        loop {
            let want = page_size - items.len() as u64;
            let out = self
                .session_query(session_public_id)
                .limit(limit(want))
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(|e| sdk_error(&DYNAMODB, e))?;
            for item in out.items() {
                items.push(capture_from_item(item)?);
            }
            match out.last_evaluated_key {
                Some(key) if !key.is_empty() && (items.len() as u64) < page_size => {
                    start = Some(key)
                }
                _ => break,
            }
        }
        items.truncate(usize::try_from(page_size).unwrap_or(usize::MAX));
        Ok(Page { items, total })
    }
}

impl FinishCapture for AwsStore {
    async fn finish_capture(&self, c: &Capture) -> Result<bool, StoreError> {
        // The outcome's attributes only, as the local adapter: a missing item
        // fails the condition (no status), so an update never creates one.
        let mut set = Vec::new();
        let mut remove = Vec::new();
        let mut request = self
            .client
            .update_item()
            .table_name(&self.tables.captures)
            .key("public_id", s(&c.public_id))
            .condition_expression("#status = :pending")
            .expression_attribute_values(":pending", s(CaptureStatus::Pending.as_str()));
        for (name, value) in outcome_attributes(c) {
            request = request.expression_attribute_names(format!("#{name}"), name);
            match value {
                Some(value) => {
                    set.push(format!("#{name} = :{name}"));
                    request = request.expression_attribute_values(format!(":{name}"), value);
                }
                None => remove.push(format!("#{name}")),
            }
        }
        let mut update = format!("SET {}", set.join(", "));
        if !remove.is_empty() {
            update.push_str(&format!(" REMOVE {}", remove.join(", ")));
        }
        let result = request.update_expression(update).send().await;
        conditional(result, |e| e.is_conditional_check_failed_exception())
    }
}

impl PutProduct for AwsStore {
    async fn put_product(&self, p: &Product) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.tables.products)
            .item("gtin", s(&p.gtin))
            .item("public_id", s(&p.public_id))
            .item("name", s(&p.name))
            .item("brand", s(&p.brand))
            .send()
            .await
            .map_err(|e| sdk_error(&DYNAMODB, e))?;
        Ok(())
    }
}

impl GetProduct for AwsStore {
    async fn get_product(&self, gtin14: &str) -> Result<Option<Product>, StoreError> {
        let Some(item) = self
            .get_by_key(&self.tables.products, "gtin", gtin14)
            .await?
        else {
            return Ok(None);
        };
        let f = Fields { item: &item };
        Ok(Some(Product {
            public_id: f.string("public_id")?,
            gtin: f.string("gtin")?,
            name: f.string("name")?,
            brand: f.string("brand")?,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capture() -> Capture {
        Capture {
            public_id: "cap_1".into(),
            session_public_id: "s".into(),
            owner: "o".into(),
            status: CaptureStatus::Matched,
            capture_type: "BARCODE".into(),
            raw_value: "0109501101020917".into(),
            gtin: "09501101020917".into(),
            error_message: None,
            gs1_dl_data: vec![
                ("01".into(), "09501101020917".into()),
                ("10".into(), "AB".into()),
            ],
            product: Some(("p".into(), "Tea".into())),
            uploaded_image_key: None,
            created: 7,
            processed_at: Some(8),
        }
    }

    #[test]
    fn a_capture_item_reads_back_equal() {
        // Rows: the fields an item may leave out, present and absent.
        let full = Capture {
            error_message: Some("why".into()),
            uploaded_image_key: Some("captures/x.png".into()),
            ..capture()
        };
        let bare = Capture {
            status: CaptureStatus::Pending,
            raw_value: String::new(),
            gtin: String::new(),
            gs1_dl_data: Vec::new(),
            product: None,
            processed_at: None,
            ..capture()
        };
        for (i, c) in [capture(), full, bare].into_iter().enumerate() {
            assert_eq!(capture_from_item(&capture_item(&c)).unwrap(), c, "row {i}");
        }
    }

    #[test]
    fn gs1_dl_data_keeps_its_order() {
        let item = capture_item(&capture());
        let Some(AttributeValue::L(list)) = item.get("gs1_dl_data") else {
            panic!("not a list");
        };
        assert_eq!(
            list[0],
            AttributeValue::L(vec![s("01"), s("09501101020917")])
        );
        assert_eq!(list[1], AttributeValue::L(vec![s("10"), s("AB")]));
    }

    #[test]
    fn a_malformed_pair_is_corrupt() {
        // Rows: what an item's gs1_dl_data must not be.
        let rows = [
            s("01"),
            AttributeValue::L(vec![s("01")]),
            AttributeValue::L(vec![AttributeValue::L(vec![s("01"), n(1)])]),
        ];
        for (i, bad) in rows.into_iter().enumerate() {
            let mut item = capture_item(&capture());
            item.insert("gs1_dl_data".into(), bad);
            assert!(
                matches!(capture_from_item(&item), Err(StoreError::Corrupt { .. })),
                "row {i}"
            );
        }
    }
}
