//! The bulk task table on [`AwsStore`]: put, consistent get and conditional
//! status updates (see the module doc of [`super`] for the item layout).

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;

use super::sdk_error::{sdk_error, DYNAMODB};
use super::{conditional, AwsStore};
use crate::store::{BulkTask, GetTask, PutTask, StoreError, TaskStatus, TaskUpdate, UpdateTask};

/// How long a task item is kept after it was created, then after it finished:
/// 30 days, in seconds. Its `ttl` attribute is that time, in Unix seconds.
pub const TASK_TTL_SECS: u64 = 30 * 24 * 60 * 60;

fn n(v: impl ToString) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}

fn ttl(from: u64) -> AttributeValue {
    n(from.saturating_add(TASK_TTL_SECS))
}

impl PutTask for AwsStore {
    async fn put_task(&self, task: &BulkTask) -> Result<(), StoreError> {
        let mut item = HashMap::from([
            ("task_id".to_owned(), s(&task.task_id)),
            ("owner".to_owned(), s(&task.owner)),
            ("status".to_owned(), s(task.status.as_str())),
            ("count".to_owned(), n(task.count)),
            ("done".to_owned(), n(task.done)),
            ("created".to_owned(), n(task.created)),
            ("job_key".to_owned(), s(&task.job_key)),
            ("bundle_key".to_owned(), s(&task.bundle_key)),
            ("request_hash".to_owned(), s(&task.request_hash)),
            ("ttl".to_owned(), ttl(task.finished.unwrap_or(task.created))),
        ]);
        if let Some(started) = task.started {
            item.insert("started".to_owned(), n(started));
        }
        if let Some(finished) = task.finished {
            item.insert("finished".to_owned(), n(finished));
        }
        if let Some(error) = &task.error {
            item.insert("error".to_owned(), s(error));
        }
        let result = self
            .client
            .put_item()
            .table_name(&self.tables.tasks)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(task_id)")
            .send()
            .await;
        super::insert_result(result)
    }
}

impl GetTask for AwsStore {
    async fn get_task(&self, task_id: &str) -> Result<Option<BulkTask>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.tables.tasks)
            .key("task_id", s(task_id))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| sdk_error(&DYNAMODB, e))?;
        out.item.map(|item| task_from_item(&item)).transpose()
    }
}

/// One `UpdateItem`: its update expression, its condition and the values
/// both use. Every attribute goes through a `#name` (`status`, `count`,
/// `owner`, `ttl` ... include DynamoDB reserved words).
struct Expression {
    update: &'static str,
    condition: &'static str,
    values: Vec<(&'static str, AttributeValue)>,
}

fn expression(update: &TaskUpdate) -> Expression {
    const FROM_PENDING_OR_RUNNING: &str =
        "attribute_exists(task_id) AND #status IN (:pending, :running)";
    const FROM_RUNNING: &str = "attribute_exists(task_id) AND #status = :running";
    let pending = (":pending", s(TaskStatus::Pending.as_str()));
    let running = (":running", s(TaskStatus::Running.as_str()));
    match update {
        TaskUpdate::Start { now } => Expression {
            update:
                "SET #status = :running, #started = if_not_exists(#started, :now), #done = :zero",
            condition: FROM_PENDING_OR_RUNNING,
            values: vec![pending, running, (":now", n(now)), (":zero", n(0))],
        },
        TaskUpdate::Progress { done } => Expression {
            update: "SET #done = :done",
            condition: FROM_RUNNING,
            values: vec![running, (":done", n(done))],
        },
        TaskUpdate::Complete { now } => Expression {
            update: "SET #status = :completed, #done = #count, #finished = :now, #ttl = :ttl",
            condition: FROM_RUNNING,
            values: vec![
                running,
                (":completed", s(TaskStatus::Completed.as_str())),
                (":now", n(now)),
                (":ttl", ttl(*now)),
            ],
        },
        TaskUpdate::Fail { now, error } => Expression {
            update: "SET #status = :failed, #error = :error, #finished = :now, #ttl = :ttl",
            condition: FROM_PENDING_OR_RUNNING,
            values: vec![
                pending,
                running,
                (":failed", s(TaskStatus::Failed.as_str())),
                (":error", s(error)),
                (":now", n(now)),
                (":ttl", ttl(*now)),
            ],
        },
    }
}

impl UpdateTask for AwsStore {
    async fn update_task(&self, task_id: &str, update: &TaskUpdate) -> Result<bool, StoreError> {
        let expr = expression(update);
        let mut request = self
            .client
            .update_item()
            .table_name(&self.tables.tasks)
            .key("task_id", s(task_id))
            .update_expression(expr.update)
            .condition_expression(expr.condition);
        // Only the names an expression uses may be declared (DynamoDB refuses
        // unused ones).
        let text = format!("{} {}", expr.update, expr.condition);
        for name in [
            "status", "started", "done", "count", "finished", "ttl", "error",
        ] {
            if text.contains(&format!("#{name}")) {
                request = request.expression_attribute_names(format!("#{name}"), name);
            }
        }
        for (placeholder, value) in expr.values {
            request = request.expression_attribute_values(placeholder, value);
        }
        conditional(request.send().await, |e| {
            e.is_conditional_check_failed_exception()
        })
    }
}

fn task_from_item(item: &HashMap<String, AttributeValue>) -> Result<BulkTask, StoreError> {
    let string = |name: &str| match item.get(name) {
        Some(AttributeValue::S(v)) => Ok(v.clone()),
        _ => Err(StoreError::corrupt(
            "task attribute missing or not a string",
        )),
    };
    fn number<T: std::str::FromStr>(
        item: &HashMap<String, AttributeValue>,
        name: &str,
    ) -> Result<Option<T>, StoreError> {
        match item.get(name) {
            None => Ok(None),
            Some(AttributeValue::N(v)) => v
                .parse()
                .map(Some)
                .map_err(|_| StoreError::corrupt("task number out of range")),
            Some(_) => Err(StoreError::corrupt("task number attribute is not a number")),
        }
    }
    fn required<T>(v: Option<T>) -> Result<T, StoreError> {
        v.ok_or(StoreError::corrupt("task number attribute missing"))
    }
    let status =
        TaskStatus::parse(&string("status")?).ok_or(StoreError::corrupt("task status unknown"))?;
    let error = match item.get("error") {
        None => None,
        Some(AttributeValue::S(v)) => Some(v.clone()),
        Some(_) => return Err(StoreError::corrupt("task error is not a string")),
    };
    Ok(BulkTask {
        task_id: string("task_id")?,
        owner: string("owner")?,
        status,
        count: required(number(item, "count")?)?,
        done: required(number(item, "done")?)?,
        created: required(number(item, "created")?)?,
        started: number(item, "started")?,
        finished: number(item, "finished")?,
        error,
        job_key: string("job_key")?,
        bundle_key: string("bundle_key")?,
        request_hash: string("request_hash")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_of_an_expression_is_bound() {
        // Rows: one per kind of update.
        let rows = [
            TaskUpdate::Start { now: 1 },
            TaskUpdate::Progress { done: 2 },
            TaskUpdate::Complete { now: 3 },
            TaskUpdate::Fail {
                now: 4,
                error: "e".to_owned(),
            },
        ];
        for (i, update) in rows.iter().enumerate() {
            let expr = expression(update);
            let text = format!("{} {}", expr.update, expr.condition);
            let used: std::collections::BTreeSet<&str> = text
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == ':' || c == '_'))
                .filter(|w| w.starts_with(':'))
                .collect();
            let bound: std::collections::BTreeSet<&str> =
                expr.values.iter().map(|(p, _)| *p).collect();
            assert_eq!(used, bound, "row {i}: {text}");
        }
    }
}
