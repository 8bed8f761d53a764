//! Rate-limit counters in DynamoDB: one item per client holding every window,
//! counted with conditional `UpdateItem`s (see the module docs of
//! [`super`], "Rate limits").

use std::collections::HashMap;

use aws_sdk_dynamodb::operation::update_item::{UpdateItemError, UpdateItemOutput};
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue, ReturnValuesOnConditionCheckFailure};

use super::sdk_error::{sdk_error, DYNAMODB};
use super::AwsStore;
use crate::store::rate::{decide, Admission, CountRequest, Window, WindowCount};
use crate::store::StoreError;

type Item = HashMap<String, AttributeValue>;

/// Rounds of "read the winner's item, try again" before giving up. Each lost
/// round means another request was counted, so this bounds contention at a
/// window's rollover, not throughput.
const MAX_ROUNDS: usize = 64;

/// What the next attempt is.
enum Step {
    /// Assume every stored window is current: add one to each.
    Add,
    /// The item as it is (`None`: no item): decide from it, then rewrite it.
    Decide(Option<Item>),
}

impl CountRequest for AwsStore {
    async fn count_request(
        &self,
        client: &str,
        windows: &[Window],
        now: u64,
    ) -> Result<Admission, StoreError> {
        let mut step = Step::Add;
        for _ in 0..MAX_ROUNDS {
            step = match step {
                Step::Add => match self.add(client, windows, now).await? {
                    Ok(new) => return admitted_from(windows, &new, now),
                    Err(old) => Step::Decide(self.known(client, old).await?),
                },
                Step::Decide(old) => {
                    let stored = stored_windows(windows, old.as_ref())?;
                    let admission = decide(windows, &stored, now);
                    let all_current = windows
                        .iter()
                        .zip(&stored)
                        .all(|(w, s)| s.is_some_and(|(start, _)| start == w.start(now)));
                    if !admission.admitted {
                        return Ok(admission);
                    }
                    if all_current {
                        // Someone else rolled the windows over first: plain adds work again.
                        Step::Add
                    } else {
                        match self
                            .rewrite(client, windows, &stored, &admission.counts)
                            .await?
                        {
                            Ok(()) => return Ok(admission),
                            Err(old) => Step::Decide(self.known(client, old).await?),
                        }
                    }
                }
            };
        }
        Err(StoreError::Unavailable {
            reason: "dynamodb rate-limit counter contended",
            retryable: true,
            source: None,
        })
    }
}

impl AwsStore {
    /// `SET c<S> = c<S> + 1` for every window, if each is current and has room.
    /// `Ok(Ok(new item))` when counted, `Ok(Err(old item))` when the condition failed.
    async fn add(
        &self,
        client: &str,
        windows: &[Window],
        now: u64,
    ) -> Result<Result<Item, Option<Item>>, StoreError> {
        let mut req = self
            .client
            .update_item()
            .table_name(&self.tables.rate_limits)
            .key("client", AttributeValue::S(client.to_owned()))
            .expression_attribute_names("#ttl", "ttl")
            .expression_attribute_values(":one", number(1))
            .expression_attribute_values(":ttl", number(ttl(windows, now)))
            .return_values(ReturnValue::AllNew)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld);
        let mut sets = Vec::new();
        let mut conditions = Vec::new();
        for (i, w) in windows.iter().enumerate() {
            req = req
                .expression_attribute_names(format!("#s{i}"), format!("s{}", w.seconds))
                .expression_attribute_names(format!("#c{i}"), format!("c{}", w.seconds))
                .expression_attribute_values(format!(":s{i}"), number(w.start(now)))
                .expression_attribute_values(format!(":l{i}"), number(w.limit));
            sets.push(format!("#c{i} = #c{i} + :one"));
            conditions.push(format!("#s{i} = :s{i} AND #c{i} < :l{i}"));
        }
        sets.push("#ttl = :ttl".to_owned());
        let result = req
            .update_expression(format!("SET {}", sets.join(", ")))
            .condition_expression(conditions.join(" AND "))
            .send()
            .await;
        settle(result.map(|out: UpdateItemOutput| out.attributes.unwrap_or_default()))
    }

    /// Writes `counts` (new starts and counts for every window), if the item is
    /// still exactly `stored`: each window's pair as read, or absent (which also
    /// covers "no item"; other attributes, such as windows of a tier the key had
    /// before, do not matter). `Ok(Err(old item))` when it is not.
    async fn rewrite(
        &self,
        client: &str,
        windows: &[Window],
        stored: &[Option<(u64, u64)>],
        counts: &[WindowCount],
    ) -> Result<Result<(), Option<Item>>, StoreError> {
        let longest = windows
            .iter()
            .zip(counts)
            .map(|(w, c)| c.start + w.seconds)
            .max()
            .unwrap_or(0);
        let mut req = self
            .client
            .update_item()
            .table_name(&self.tables.rate_limits)
            .key("client", AttributeValue::S(client.to_owned()))
            .expression_attribute_names("#ttl", "ttl")
            .expression_attribute_values(":ttl", number(longest))
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld);
        let mut sets = Vec::new();
        let mut conditions = Vec::new();
        for (i, ((w, c), s)) in windows.iter().zip(counts).zip(stored).enumerate() {
            req = req
                .expression_attribute_names(format!("#s{i}"), format!("s{}", w.seconds))
                .expression_attribute_names(format!("#c{i}"), format!("c{}", w.seconds))
                .expression_attribute_values(format!(":s{i}"), number(c.start))
                .expression_attribute_values(format!(":n{i}"), number(c.count));
            sets.push(format!("#s{i} = :s{i}, #c{i} = :n{i}"));
            match s {
                Some((start, count)) => {
                    req = req
                        .expression_attribute_values(format!(":os{i}"), number(*start))
                        .expression_attribute_values(format!(":oc{i}"), number(*count));
                    conditions.push(format!("#s{i} = :os{i} AND #c{i} = :oc{i}"));
                }
                None => conditions.push(format!("attribute_not_exists(#s{i})")),
            }
        }
        sets.push("#ttl = :ttl".to_owned());
        let result = req
            .update_expression(format!("SET {}", sets.join(", ")))
            .condition_expression(conditions.join(" AND "))
            .send()
            .await;
        settle(result.map(|_| ()))
    }

    /// The item after a failed condition: the one DynamoDB sent back with the
    /// failure, else (no item came back: there was none, or the endpoint does not
    /// return it) a strongly consistent read.
    async fn known(&self, client: &str, old: Option<Item>) -> Result<Option<Item>, StoreError> {
        if old.is_some() {
            return Ok(old);
        }
        let out = self
            .client
            .get_item()
            .table_name(&self.tables.rate_limits)
            .key("client", AttributeValue::S(client.to_owned()))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| sdk_error(&DYNAMODB, e))?;
        Ok(out.item)
    }
}

/// A conditional update's outcome: done, or the condition failed (with the item
/// as it was, when DynamoDB returned it), or an error.
fn settle<T>(
    result: Result<
        T,
        aws_sdk_dynamodb::error::SdkError<
            UpdateItemError,
            aws_sdk_dynamodb::config::http::HttpResponse,
        >,
    >,
) -> Result<Result<T, Option<Item>>, StoreError> {
    match result {
        Ok(v) => Ok(Ok(v)),
        Err(e) => match e.as_service_error() {
            Some(UpdateItemError::ConditionalCheckFailedException(ccf)) => {
                Ok(Err(ccf.item().filter(|i| !i.is_empty()).cloned()))
            }
            _ => Err(sdk_error(&DYNAMODB, e)),
        },
    }
}

/// Each window's stored `(start, count)`, if the item has both.
fn stored_windows(
    windows: &[Window],
    item: Option<&Item>,
) -> Result<Vec<Option<(u64, u64)>>, StoreError> {
    windows
        .iter()
        .map(|w| {
            let Some(item) = item else { return Ok(None) };
            let start = read_number(item, &format!("s{}", w.seconds))?;
            let count = read_number(item, &format!("c{}", w.seconds))?;
            Ok(start.zip(count))
        })
        .collect()
}

/// The admission an `ADD` that succeeded stands for: the counts it returned.
fn admitted_from(windows: &[Window], new: &Item, now: u64) -> Result<Admission, StoreError> {
    let counts = windows
        .iter()
        .map(|w| {
            let count = read_number(new, &format!("c{}", w.seconds))?.ok_or(
                StoreError::corrupt("rate-limit counter missing after update"),
            )?;
            Ok(WindowCount {
                start: w.start(now),
                count,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(Admission {
        admitted: true,
        counts,
    })
}

fn read_number(item: &Item, name: &str) -> Result<Option<u64>, StoreError> {
    match item.get(name) {
        None => Ok(None),
        Some(AttributeValue::N(n)) => n
            .parse()
            .map(Some)
            .map_err(|_| StoreError::corrupt("rate-limit counter is not a u64")),
        Some(_) => Err(StoreError::corrupt("rate-limit counter is not a number")),
    }
}

/// The end of the longest window holding `now`: after it the item says nothing
/// any window still needs, so TTL may delete it.
fn ttl(windows: &[Window], now: u64) -> u64 {
    windows
        .iter()
        .map(|w| w.start(now) + w.seconds)
        .max()
        .unwrap_or(now)
}

fn number(n: u64) -> AttributeValue {
    AttributeValue::N(n.to_string())
}
