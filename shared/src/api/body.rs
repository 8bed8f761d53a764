//! The request body, read whole but never past [`MAX_BODY_BYTES`]: the [`Buffered`]
//! extractor every handler takes, so the limit holds the same on API Gateway, in the
//! local server and in tests.

use super::problem::{Problem, ProblemKind};
use super::Request;
use axum::extract::FromRequest;
use http_body_util::{BodyExt, LengthLimitError, Limited};

/// The largest request body we read, in bytes (2 MiB: bulk requests of 5000 items fit).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// The 413 problem for a body over [`MAX_BODY_BYTES`].
pub fn too_large() -> Problem {
    Problem::new(
        ProblemKind::PayloadTooLarge,
        format!("The request body exceeds {MAX_BODY_BYTES} bytes."),
    )
}

/// The whole request with its body as bytes. Reading stops at [`MAX_BODY_BYTES`] + 1
/// with a 413 problem, so a huge body is never buffered whole; a body that breaks off
/// is a 400 problem.
#[derive(Debug)]
pub struct Buffered(pub Request);

impl<S: Send + Sync> FromRequest<S> for Buffered {
    type Rejection = Problem;

    async fn from_request(req: axum::extract::Request, _: &S) -> Result<Self, Problem> {
        let (parts, body) = req.into_parts();
        match Limited::new(body, MAX_BODY_BYTES).collect().await {
            Ok(collected) => Ok(Buffered(http::Request::from_parts(
                parts,
                collected.to_bytes(),
            ))),
            Err(e) if e.is::<LengthLimitError>() => Err(too_large()),
            Err(e) => Err(Problem::new(
                ProblemKind::BadRequest,
                format!("could not read the body: {e}"),
            )),
        }
    }
}
