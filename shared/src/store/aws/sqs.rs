//! [`SqsQueue`]: the bulk task queue (one message per task, for the bundler).

use aws_sdk_sqs::types::QueueAttributeName;
use aws_sdk_sqs::Client;

use super::sdk_error::{incomplete, sdk_error, SQS};
use crate::store::{SendMessage, StoreError};

/// Receives of a message before SQS moves it to the dead-letter queue (the
/// `maxReceiveCount` of the redrive policy [`SqsQueue::ensure_queue`] sets): the
/// bundler's [`crate::bulk::DEAD_LETTER_AFTER`], so its last receive can fail a task
/// whose earlier attempts all died.
pub const MAX_RECEIVE_COUNT: u32 = crate::bulk::DEAD_LETTER_AFTER;

/// How long the dead-letter queue keeps a message: 14 days, the SQS maximum,
/// in seconds.
const DEAD_LETTER_RETENTION_SECS: u32 = 14 * 24 * 60 * 60;

/// One SQS queue. Cloning is cheap (the SDK client is an `Arc`).
#[derive(Debug, Clone)]
pub struct SqsQueue {
    client: Client,
    queue_url: String,
}

/// The URLs of a queue and of its dead-letter queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueUrls {
    /// The queue messages are sent to.
    pub queue: String,
    /// Where a message goes after [`MAX_RECEIVE_COUNT`] receives.
    pub dead_letter: String,
}

impl SqsQueue {
    /// An adapter on the queue at `queue_url` over an already loaded SDK
    /// configuration.
    pub fn new(config: &aws_config::SdkConfig, queue_url: impl Into<String>) -> Self {
        SqsQueue {
            client: Client::new(config),
            queue_url: queue_url.into(),
        }
    }

    /// Loads the SDK configuration from the environment and the queue URL
    /// from `BUNDLE_QUEUE_URL`. Call once, outside the Lambda handler.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] (not retryable) if `BUNDLE_QUEUE_URL` is
    /// unset or empty: there is no default queue.
    pub async fn from_env() -> Result<Self, StoreError> {
        let url = queue_url_from_env()?;
        let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        Ok(SqsQueue::new(&config, url))
    }

    /// The queue URL in use.
    pub fn queue_url(&self) -> &str {
        &self.queue_url
    }

    /// Creates the queue `name` and its dead-letter queue `<name>-dlq` (kept
    /// 14 days) if they are missing, with a redrive policy that moves a
    /// message there after [`MAX_RECEIVE_COUNT`] receives; returns both URLs.
    /// Idempotent while the attributes are unchanged. For tests and local
    /// tooling only: deployed queues belong to the infrastructure template.
    pub async fn ensure_queue(
        config: &aws_config::SdkConfig,
        name: &str,
    ) -> Result<QueueUrls, StoreError> {
        let client = Client::new(config);
        let dead_letter = client
            .create_queue()
            .queue_name(format!("{name}-dlq"))
            .attributes(
                QueueAttributeName::MessageRetentionPeriod,
                DEAD_LETTER_RETENTION_SECS.to_string(),
            )
            .send()
            .await
            .map_err(|e| sdk_error(&SQS, e))?
            .queue_url
            .ok_or(incomplete("sqs queue created without a url"))?;
        let dead_letter_arn = client
            .get_queue_attributes()
            .queue_url(&dead_letter)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await
            .map_err(|e| sdk_error(&SQS, e))?
            .attributes
            .and_then(|mut a| a.remove(&QueueAttributeName::QueueArn))
            .ok_or(incomplete("sqs queue without an arn"))?;
        let policy = serde_json::json!({
            "deadLetterTargetArn": dead_letter_arn,
            "maxReceiveCount": MAX_RECEIVE_COUNT.to_string(),
        });
        let queue = client
            .create_queue()
            .queue_name(name)
            .attributes(QueueAttributeName::RedrivePolicy, policy.to_string())
            .send()
            .await
            .map_err(|e| sdk_error(&SQS, e))?
            .queue_url
            .ok_or(incomplete("sqs queue created without a url"))?;
        Ok(QueueUrls { queue, dead_letter })
    }
}

/// `BUNDLE_QUEUE_URL`, or an error if it is unset or empty.
pub(crate) fn queue_url_from_env() -> Result<String, StoreError> {
    std::env::var("BUNDLE_QUEUE_URL")
        .ok()
        .filter(|v| !v.is_empty())
        .ok_or(StoreError::Unavailable {
            reason: "BUNDLE_QUEUE_URL is not set",
            retryable: false,
            source: None,
        })
}

impl SendMessage for SqsQueue {
    async fn send_message(&self, body: &str) -> Result<(), StoreError> {
        self.client
            .send_message()
            .queue_url(&self.queue_url)
            .message_body(body)
            .send()
            .await
            .map_err(|e| sdk_error(&SQS, e))?;
        Ok(())
    }
}
