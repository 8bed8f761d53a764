//! One mapping from an AWS SDK failure to [`StoreError`], for every service the
//! adapter calls. The `Display` of the result is a fixed reason naming the
//! service; the SDK's error (with its message and request id) is only the
//! `source`, for logs.

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};

use crate::store::StoreError;

/// The fixed reasons of one service, one per kind of failure.
#[derive(Debug)]
pub(crate) struct Service {
    timed_out: &'static str,
    unreachable: &'static str,
    unreadable: &'static str,
    not_built: &'static str,
    throttled: &'static str,
    internal: &'static str,
    missing: &'static str,
    credentials: &'static str,
    rejected: &'static str,
    other: &'static str,
}

macro_rules! service {
    ($name:literal, $resource:literal) => {
        Service {
            timed_out: concat!($name, " timed out"),
            unreachable: concat!($name, " unreachable"),
            unreadable: concat!("unreadable ", $name, " response"),
            not_built: concat!($name, " request not built"),
            throttled: concat!($name, " throttled"),
            internal: concat!($name, " internal error"),
            missing: concat!($name, " ", $resource, " missing"),
            credentials: concat!($name, " refused credentials"),
            rejected: concat!($name, " rejected the request"),
            other: concat!($name, " error"),
        }
    };
}

/// DynamoDB: the missing resource is a table.
pub(crate) const DYNAMODB: Service = service!("dynamodb", "table");
/// S3: the missing resource is the bucket (a missing key is not an error).
pub(crate) const S3: Service = service!("s3", "bucket");
/// SQS: the missing resource is the queue.
pub(crate) const SQS: Service = service!("sqs", "queue");

/// Error codes that mean "slow down", across DynamoDB, S3 and SQS.
const THROTTLED: &[&str] = &[
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "Throttling",
    "RequestLimitExceeded",
    "LimitExceededException",
    "SlowDown",
    "RequestThrottled",
    "RequestThrottledException",
    "KmsThrottled",
];
/// Error codes of a service-side fault worth a retry.
const INTERNAL: &[&str] = &[
    "InternalServerError",
    "InternalError",
    "InternalFailure",
    "ServiceUnavailable",
    "RequestTimeout",
    "RequestTimeoutException",
];
/// Error codes of a table, bucket or queue that does not exist.
const MISSING: &[&str] = &[
    "ResourceNotFoundException",
    "NoSuchBucket",
    "QueueDoesNotExist",
    "AWS.SimpleQueueService.NonExistentQueue",
];
/// Error codes of refused credentials or signatures.
const CREDENTIALS: &[&str] = &[
    "AccessDeniedException",
    "AccessDenied",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "InvalidAccessKeyId",
    "InvalidClientTokenId",
    "ExpiredTokenException",
    "ExpiredToken",
];

/// Maps an SDK failure of `service` to [`StoreError::Unavailable`]: timeouts,
/// network failures, throttling and 5xx answers are retryable; a missing
/// resource, refused credentials and other 4xx answers are not.
pub(crate) fn sdk_error<E>(service: &Service, e: SdkError<E, HttpResponse>) -> StoreError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let (reason, retryable) = match &e {
        SdkError::TimeoutError(_) => (service.timed_out, true),
        SdkError::DispatchFailure(_) => (service.unreachable, true),
        SdkError::ResponseError(_) => (service.unreadable, true),
        SdkError::ConstructionFailure(_) => (service.not_built, false),
        SdkError::ServiceError(se) => {
            let code = se.err().code().unwrap_or_default();
            if THROTTLED.contains(&code) || se.raw().status().as_u16() == 429 {
                (service.throttled, true)
            } else if INTERNAL.contains(&code) || se.raw().status().is_server_error() {
                (service.internal, true)
            } else if MISSING.contains(&code) {
                (service.missing, false)
            } else if CREDENTIALS.contains(&code) {
                (service.credentials, false)
            } else {
                (service.rejected, false)
            }
        }
        _ => (service.other, false),
    };
    StoreError::unavailable(reason, retryable, e)
}

/// A successful answer that lacks a field the service always sends (an
/// upload id, an ETag, a queue URL): not retryable.
pub(crate) fn incomplete(reason: &'static str) -> StoreError {
    StoreError::Unavailable {
        reason,
        retryable: false,
        source: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_name_the_service() {
        // Rows: (service, its "missing" reason, its throttled reason)
        let rows = [
            (&DYNAMODB, "dynamodb table missing", "dynamodb throttled"),
            (&S3, "s3 bucket missing", "s3 throttled"),
            (&SQS, "sqs queue missing", "sqs throttled"),
        ];
        for (i, (service, missing, throttled)) in rows.into_iter().enumerate() {
            assert_eq!(service.missing, missing, "row {i}");
            assert_eq!(service.throttled, throttled, "row {i}");
        }
    }
}
