//! API keys in DynamoDB: insert only, strongly consistent reads, conditional
//! updates (a change to a key that does not exist is `Ok(false)`, never an
//! upsert of a half record).

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;

use super::sdk_error::{sdk_error, DYNAMODB};
use super::{conditional, insert_result, AwsStore};
use crate::store::{
    ApiKeyRecord, GetApiKey, KeyChange, ListApiKeys, PutApiKey, StoreError, UpdateApiKey,
    DEFAULT_TIER,
};

impl PutApiKey for AwsStore {
    async fn put_api_key(&self, rec: &ApiKeyRecord) -> Result<(), StoreError> {
        let result = self
            .client
            .put_item()
            .table_name(&self.tables.api_keys)
            .item("key_hash", AttributeValue::S(rec.key_hash.clone()))
            .item("prefix", AttributeValue::S(rec.prefix.clone()))
            .item("created_at", AttributeValue::N(rec.created_at.to_string()))
            .item("revoked", AttributeValue::Bool(rec.revoked))
            .item("tier", AttributeValue::S(rec.tier.clone()))
            .item("suspended", AttributeValue::Bool(rec.suspended))
            .condition_expression("attribute_not_exists(key_hash)")
            .send()
            .await;
        insert_result(result)
    }
}

impl GetApiKey for AwsStore {
    async fn get_api_key(&self, key_hash: &str) -> Result<Option<ApiKeyRecord>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.tables.api_keys)
            .key("key_hash", AttributeValue::S(key_hash.to_owned()))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| sdk_error(&DYNAMODB, e))?;
        out.item.map(|item| api_key_from_item(&item)).transpose()
    }
}

impl ListApiKeys for AwsStore {
    async fn list_api_keys(&self) -> Result<Vec<ApiKeyRecord>, StoreError> {
        let mut keys = Vec::new();
        let mut start: Option<HashMap<String, AttributeValue>> = None;
        loop {
            let out = self
                .client
                .scan()
                .table_name(&self.tables.api_keys)
                .consistent_read(true)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| sdk_error(&DYNAMODB, e))?;
            for item in out.items() {
                keys.push(api_key_from_item(item)?);
            }
            match out.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => break,
            }
        }
        keys.sort_by(|a, b| (a.created_at, &a.prefix).cmp(&(b.created_at, &b.prefix)));
        Ok(keys)
    }
}

impl UpdateApiKey for AwsStore {
    async fn update_api_key(&self, key_hash: &str, change: &KeyChange) -> Result<bool, StoreError> {
        let (expression, value) = match change {
            KeyChange::Revoke => ("SET revoked = :v", AttributeValue::Bool(true)),
            KeyChange::Tier(tier) => ("SET tier = :v", AttributeValue::S(tier.clone())),
            KeyChange::Suspend(on) => ("SET suspended = :v", AttributeValue::Bool(*on)),
        };
        let result = self
            .client
            .update_item()
            .table_name(&self.tables.api_keys)
            .key("key_hash", AttributeValue::S(key_hash.to_owned()))
            .update_expression(expression)
            .expression_attribute_values(":v", value)
            .condition_expression("attribute_exists(key_hash)")
            .send()
            .await;
        conditional(result, |e| e.is_conditional_check_failed_exception())
    }
}

/// A key record from its item; `tier` and `suspended` may be absent (keys stored
/// before they existed): the default tier, not suspended.
fn api_key_from_item(item: &HashMap<String, AttributeValue>) -> Result<ApiKeyRecord, StoreError> {
    let string = |name: &str| match item.get(name) {
        Some(AttributeValue::S(s)) => Ok(s.clone()),
        _ => Err(StoreError::corrupt(
            "api key attribute missing or not a string",
        )),
    };
    let flag = |name: &str| match item.get(name) {
        Some(AttributeValue::Bool(b)) => Ok(*b),
        None => Ok(false),
        _ => Err(StoreError::corrupt("api key flag is not a bool")),
    };
    let created_at = match item.get("created_at") {
        Some(AttributeValue::N(n)) => n
            .parse::<u64>()
            .map_err(|_| StoreError::corrupt("api key created_at is not a u64"))?,
        _ => return Err(StoreError::corrupt("api key created_at missing")),
    };
    let tier = match item.get("tier") {
        Some(AttributeValue::S(s)) => s.clone(),
        None => DEFAULT_TIER.to_owned(),
        _ => return Err(StoreError::corrupt("api key tier is not a string")),
    };
    Ok(ApiKeyRecord {
        key_hash: string("key_hash")?,
        prefix: string("prefix")?,
        created_at,
        revoked: flag("revoked")?,
        tier,
        suspended: flag("suspended")?,
    })
}
