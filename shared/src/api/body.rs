//! The request body, read whole but never past a limit: the [`Buffered`] extractor every
//! handler takes, so the limit holds the same on API Gateway, in the local server and in
//! tests. The limit is [`MAX_BODY_BYTES`] unless a route names its own as the extractor's
//! parameter (`Buffered<{ MAX_BULK_BODY_BYTES }>`, as the bulk, label and capture routes
//! do): one large route does not raise the limit of every other.
//!
//! | routes                                                   | limit                   |
//! |----------------------------------------------------------|-------------------------|
//! | render and parse calls (1D, DataMatrix, QR, Digital Link, signed URLs) and every other | 1 MiB ([`MAX_BODY_BYTES`]) |
//! | bulk QR and label jobs (5000 items), image captures (a 5 MiB photo as base64) | 10 MiB ([`MAX_BULK_BODY_BYTES`]) |
//!
//! Over the limit is a 413 problem, answered before the body is read when its
//! `Content-Length` says so, and as soon as the limit is passed otherwise (a chunked
//! body): at most `LIMIT` bytes are ever held.

use super::problem::{Problem, ProblemKind};
use super::Request;
use axum::extract::FromRequest;
use http_body_util::{BodyExt, LengthLimitError, Limited};

/// The largest request body we read by default, in bytes (1 MiB): a render or parse
/// request is a few hundred bytes, and the largest field any of them takes (a Code 128
/// text, an element string) is a few hundred characters.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The largest body of a bulk QR or label job and of an image capture, in bytes
/// (10 MiB): 5000 label items with lot, serial, expiry, three more AIs and a
/// 100-character text are 1.6 MB (over the render limit), a 5 MiB photo is 6.7 MiB of
/// base64. API Gateway takes 10 MB; a
/// synchronous Lambda invocation 6 MB, which is the tighter bound on AWS.
pub const MAX_BULK_BODY_BYTES: usize = 10 * 1024 * 1024;

/// The 413 problem for a body over [`MAX_BODY_BYTES`].
pub fn too_large() -> Problem {
    too_large_for(MAX_BODY_BYTES)
}

/// The 413 problem for a body over `limit` bytes.
pub fn too_large_for(limit: usize) -> Problem {
    Problem::new(
        ProblemKind::PayloadTooLarge,
        format!(
            "The request body exceeds {limit} bytes ({} MiB), the limit of this route.",
            limit / (1024 * 1024)
        ),
    )
}

/// The whole request with its body as bytes, `LIMIT` bytes at most ([`MAX_BODY_BYTES`]
/// unless given): a `Content-Length` over the limit is a 413 problem before a byte of
/// the body is read; a body without one (chunked) is read until it passes the limit,
/// then refused with the same 413, so a huge body is never buffered whole. A body that
/// breaks off is a 400 problem.
#[derive(Debug)]
pub struct Buffered<const LIMIT: usize = MAX_BODY_BYTES>(pub Request);

impl<S: Send + Sync, const LIMIT: usize> FromRequest<S> for Buffered<LIMIT> {
    type Rejection = Problem;

    async fn from_request(req: axum::extract::Request, _: &S) -> Result<Self, Problem> {
        let declared = req
            .headers()
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        // RFC 9110 15.5.14: the server may close the connection instead of reading on.
        if declared.is_some_and(|n| n > LIMIT as u64) {
            return Err(too_large_for(LIMIT));
        }
        let (parts, body) = req.into_parts();
        match Limited::new(body, LIMIT).collect().await {
            Ok(collected) => Ok(Buffered(http::Request::from_parts(
                parts,
                collected.to_bytes(),
            ))),
            Err(e) if e.is::<LengthLimitError>() => Err(too_large_for(LIMIT)),
            Err(e) => Err(Problem::new(
                ProblemKind::BadRequest,
                format!("could not read the body: {e}"),
            )),
        }
    }
}
