//! [`S3Objects`]: bulk job objects (the item list, the finished ZIP) in one S3
//! bucket, with multipart uploads and presigned downloads.

use std::time::{Duration, UNIX_EPOCH};

use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    BucketLocationConstraint, CompletedMultipartUpload, CompletedPart, CreateBucketConfiguration,
};
use aws_sdk_s3::Client;

use super::env_or;
use super::sdk_error::{incomplete, sdk_error, S3};
use crate::store::{GetObject, MultipartUpload, PresignGet, PutObject, StoreError};

/// Default bucket of bulk objects (override with `BUNDLE_BUCKET`).
pub const DEFAULT_BUNDLE_BUCKET: &str = "gs1codes-bundles";

/// Objects in one S3 bucket. Cloning is cheap (the SDK client is an `Arc`).
///
/// Implements [`PutObject`], [`GetObject`] (a missing key is `None`),
/// [`MultipartUpload`] and [`PresignGet`] (SigV4 query-string signing).
#[derive(Debug, Clone)]
pub struct S3Objects {
    client: Client,
    bucket: String,
}

impl S3Objects {
    /// An adapter on `bucket` over an already loaded SDK configuration. When
    /// the configuration has an endpoint URL (`AWS_ENDPOINT_URL`: moto, MinIO),
    /// requests and presigned URLs use path-style addressing
    /// (`http://host/bucket/key`), as such servers have no per-bucket DNS
    /// names.
    pub fn new(config: &aws_config::SdkConfig, bucket: impl Into<String>) -> Self {
        let mut builder = aws_sdk_s3::config::Builder::from(config);
        if config.endpoint_url().is_some() {
            builder = builder.force_path_style(true);
        }
        S3Objects {
            client: Client::from_conf(builder.build()),
            bucket: bucket.into(),
        }
    }

    /// Loads the SDK configuration from the environment and the bucket from
    /// `BUNDLE_BUCKET` (default [`DEFAULT_BUNDLE_BUCKET`]). Call once, outside
    /// the Lambda handler.
    pub async fn from_env() -> Self {
        let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        S3Objects::new(&config, bucket_from_env())
    }

    /// The bucket in use.
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// Creates the bucket if it is missing (in the client's region).
    /// Idempotent. For tests and local tooling only: the deployed bucket, with
    /// its lifecycle rules, belongs to the infrastructure template.
    pub async fn ensure_bucket(&self) -> Result<(), StoreError> {
        let mut request = self.client.create_bucket().bucket(&self.bucket);
        // us-east-1 is the one region that refuses an explicit constraint.
        if let Some(region) = self
            .client
            .config()
            .region()
            .map(|r| r.as_ref())
            .filter(|r| *r != "us-east-1")
        {
            request = request.create_bucket_configuration(
                CreateBucketConfiguration::builder()
                    .location_constraint(BucketLocationConstraint::from(region))
                    .build(),
            );
        }
        match request.send().await {
            Ok(_) => Ok(()),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|se| se.is_bucket_already_owned_by_you()) =>
            {
                Ok(())
            }
            Err(e) => Err(sdk_error(&S3, e)),
        }
    }
}

/// `BUNDLE_BUCKET`, or [`DEFAULT_BUNDLE_BUCKET`] if unset or empty.
pub(crate) fn bucket_from_env() -> String {
    env_or("BUNDLE_BUCKET", DEFAULT_BUNDLE_BUCKET)
}

impl PutObject for S3Objects {
    async fn put_object(
        &self,
        key: &str,
        bytes: Vec<u8>,
        content_type: &str,
    ) -> Result<(), StoreError> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|e| sdk_error(&S3, e))?;
        Ok(())
    }
}

impl GetObject for S3Objects {
    async fn get_object(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let result = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await;
        let out = match result {
            Ok(out) => out,
            Err(e) if e.as_service_error().is_some_and(|se| se.is_no_such_key()) => {
                return Ok(None)
            }
            Err(e) => return Err(sdk_error(&S3, e)),
        };
        let body = out
            .body
            .collect()
            .await
            .map_err(|e| StoreError::unavailable("s3 body read failed", true, e))?;
        Ok(Some(body.into_bytes().to_vec()))
    }
}

/// The SDK's default checksums apply: each part carries a CRC32 that S3
/// checks; no checksum algorithm is set on the upload, so completing needs
/// only the part numbers and ETags.
impl MultipartUpload for S3Objects {
    async fn create_upload(&self, key: &str, content_type: &str) -> Result<String, StoreError> {
        let out = self
            .client
            .create_multipart_upload()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .send()
            .await
            .map_err(|e| sdk_error(&S3, e))?;
        out.upload_id
            .ok_or(incomplete("s3 multipart upload without an id"))
    }

    async fn upload_part(
        &self,
        key: &str,
        upload_id: &str,
        part_number: i32,
        bytes: Vec<u8>,
    ) -> Result<String, StoreError> {
        let out = self
            .client
            .upload_part()
            .bucket(&self.bucket)
            .key(key)
            .upload_id(upload_id)
            .part_number(part_number)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|e| sdk_error(&S3, e))?;
        out.e_tag.ok_or(incomplete("s3 part without an etag"))
    }

    async fn complete_upload(
        &self,
        key: &str,
        upload_id: &str,
        parts: Vec<(i32, String)>,
    ) -> Result<(), StoreError> {
        let parts = parts
            .into_iter()
            .map(|(number, e_tag)| {
                CompletedPart::builder()
                    .part_number(number)
                    .e_tag(e_tag)
                    .build()
            })
            .collect();
        self.client
            .complete_multipart_upload()
            .bucket(&self.bucket)
            .key(key)
            .upload_id(upload_id)
            .multipart_upload(
                CompletedMultipartUpload::builder()
                    .set_parts(Some(parts))
                    .build(),
            )
            .send()
            .await
            .map_err(|e| sdk_error(&S3, e))?;
        Ok(())
    }

    /// An upload that is already gone (aborted or completed) is `Ok`, so a
    /// retried clean-up does not fail.
    async fn abort_upload(&self, key: &str, upload_id: &str) -> Result<(), StoreError> {
        let result = self
            .client
            .abort_multipart_upload()
            .bucket(&self.bucket)
            .key(key)
            .upload_id(upload_id)
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|se| se.is_no_such_upload()) =>
            {
                Ok(())
            }
            Err(e) => Err(sdk_error(&S3, e)),
        }
    }
}

/// A SigV4 presigned `GetObject` URL, signed locally (no request to S3) as of
/// `now`, with `X-Amz-Expires` = `expires_in`. S3 caps `expires_in` at 7 days
/// ([`StoreError::Invalid`] beyond). A URL signed with temporary credentials
/// (a Lambda's role) also stops working when those credentials expire,
/// whichever comes first.
impl PresignGet for S3Objects {
    async fn presign_get(
        &self,
        key: &str,
        expires_in: u64,
        now: u64,
    ) -> Result<String, StoreError> {
        let config = PresigningConfig::builder()
            .start_time(UNIX_EPOCH + Duration::from_secs(now))
            .expires_in(Duration::from_secs(expires_in))
            .build()
            .map_err(|_| StoreError::Invalid {
                reason: "presigned URL lifetime over 7 days",
            })?;
        let request = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .presigned(config)
            .await
            .map_err(|e| sdk_error(&S3, e))?;
        Ok(request.uri().to_owned())
    }
}
