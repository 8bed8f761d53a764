//! The request body, read whole but never past a limit: the [`Buffered`] extractor every
//! handler takes, so the limit holds the same on API Gateway, in the local server and in
//! tests. The limit is [`MAX_BODY_BYTES`] unless a route names its own as the extractor's
//! parameter (`Buffered<{ 8 * 1024 * 1024 }>`, as the captures route does for photos):
//! one large route does not raise the limit of every other.

use super::problem::{Problem, ProblemKind};
use super::Request;
use axum::extract::FromRequest;
use http_body_util::{BodyExt, LengthLimitError, Limited};

/// The largest request body we read by default, in bytes (2 MiB: bulk requests of 5000
/// items fit).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// The 413 problem for a body over [`MAX_BODY_BYTES`].
pub fn too_large() -> Problem {
    too_large_for(MAX_BODY_BYTES)
}

/// The 413 problem for a body over `limit` bytes.
pub fn too_large_for(limit: usize) -> Problem {
    Problem::new(
        ProblemKind::PayloadTooLarge,
        format!("The request body exceeds {limit} bytes."),
    )
}

/// The whole request with its body as bytes. Reading stops at `LIMIT` + 1 bytes with a
/// 413 problem, so a huge body is never buffered whole; a body that breaks off is a 400
/// problem. `LIMIT` is [`MAX_BODY_BYTES`] unless given.
#[derive(Debug)]
pub struct Buffered<const LIMIT: usize = MAX_BODY_BYTES>(pub Request);

impl<S: Send + Sync, const LIMIT: usize> FromRequest<S> for Buffered<LIMIT> {
    type Rejection = Problem;

    async fn from_request(req: axum::extract::Request, _: &S) -> Result<Self, Problem> {
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
