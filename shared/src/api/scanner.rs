//! Scan sessions and products for scanning apps:
//!
//! | method and path                                   | auth           | answer                       |
//! |---------------------------------------------------|----------------|------------------------------|
//! | `POST /scanner/api/v1/sessions`                   | key            | 201, the session + cookie    |
//! | `GET /scanner/api/v1/sessions/{public_id}`        | key or cookie  | the session                  |
//! | `POST /scanner/api/v1/sessions/{public_id}/close` | key or cookie  | the closed session (409 if closed) |
//! | `GET /products/api/v1/products/{gtin}/`           | key            | the product (any GTIN length)|
//!
//! A session's `sessionid` cookie (HttpOnly, Secure, SameSite=Lax) holds a random
//! secret; the store keeps only its SHA-256. A session is visible to the key that
//! opened it and to its cookie; to anyone else it is a 404.

use super::auth::{hash_key, key_or_session_cookie, require_key, Caller};
use super::clock::iso8601;
use super::problem::{Problem, ProblemKind};
use super::{json, reply, route_both, App, Response};
use crate::api::auth::AuthStore;
use crate::gs1::Gtin14;
use crate::store::scan::{CloseSession, GetProduct, GetSession, PutSession, ScanSession};
use crate::store::StoreError;
use axum::extract::{Extension, Path, State};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;
use http::{header, HeaderValue, StatusCode};
use serde_json::json;
use std::sync::Arc;

/// What the session and product routes need of the store.
pub trait SessionStore:
    AuthStore + PutSession + GetSession + CloseSession + GetProduct + 'static
{
}
impl<S: AuthStore + PutSession + GetSession + CloseSession + GetProduct + 'static> SessionStore
    for S
{
}

/// The session and product routes.
pub fn routes<S: SessionStore>(app: &Arc<App<S>>) -> Router {
    let key = || from_fn_with_state(Arc::clone(app), require_key::<S>);
    let key_or_cookie = || from_fn_with_state(Arc::clone(app), key_or_session_cookie::<S>);
    let r = route_both(
        Router::new(),
        "/scanner/api/v1/sessions",
        post(create::<S>).route_layer(key()),
    );
    let r = route_both(
        r,
        "/scanner/api/v1/sessions/{public_id}",
        get(show::<S>).route_layer(key_or_cookie()),
    );
    let r = route_both(
        r,
        "/scanner/api/v1/sessions/{public_id}/close",
        post(close::<S>).route_layer(key_or_cookie()),
    );
    route_both(
        r,
        "/products/api/v1/products/{gtin}/",
        get(product::<S>).route_layer(key()),
    )
    .with_state(Arc::clone(app))
}

/// `n` random characters from `[a-z0-9]`.
pub(crate) fn random_slug(n: usize) -> Result<String, Problem> {
    const ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut raw = vec![0u8; n * 2];
    getrandom::fill(&mut raw).map_err(|e| Problem::internal(&e))?;
    // 36 * 7 = 252 < 256: bytes >= 252 are skipped, so each character is uniform.
    let slug: String = raw
        .iter()
        .filter(|&&b| b < 252)
        .take(n)
        .map(|&b| ALPHABET[(b % 36) as usize] as char)
        .collect();
    if slug.len() < n {
        return random_slug(n);
    }
    Ok(slug)
}

/// Whether `caller` may see `session`: the key that opened it, or its cookie.
pub fn may_use(caller: &Caller, session: &ScanSession) -> bool {
    match caller {
        Caller::Key(_) | Caller::Signed(_) => caller.client_id() == session.owner,
        Caller::SessionCookie(hash) => super::auth::constant_time_eq(hash, &session.cookie_hash),
    }
}

/// The session a caller names, if they may use it; a 404 for anyone else.
pub async fn session_for<S: GetSession>(
    store: &S,
    caller: &Caller,
    public_id: &str,
) -> Result<ScanSession, Problem> {
    store
        .get_session(public_id)
        .await
        .map_err(Problem::from)?
        .filter(|s| may_use(caller, s))
        .ok_or_else(Problem::not_found)
}

fn session_json(s: &ScanSession) -> serde_json::Value {
    json!({
        "public_id": s.public_id,
        "status": if s.closed.is_some() { "closed" } else { "open" },
        "created": iso8601(s.created),
        "closed": s.closed.map(iso8601),
    })
}

async fn create<S: SessionStore>(
    State(app): State<Arc<App<S>>>,
    Extension(caller): Extension<Caller>,
) -> axum::response::Response {
    reply(create_inner(&app, &caller).await)
}

async fn create_inner<S: SessionStore>(app: &App<S>, caller: &Caller) -> Result<Response, Problem> {
    let Caller::Key(_) = caller else {
        return Err(Problem::new(
            ProblemKind::Forbidden,
            "Sessions are opened with an API key.",
        ));
    };
    let secret = random_slug(43)?;
    let session = ScanSession {
        public_id: format!("ss_{}", random_slug(16)?),
        owner: caller.client_id().to_string(),
        cookie_hash: hash_key(&secret),
        created: app.clock.now(),
        closed: None,
    };
    match app.store.put_session(&session).await {
        Ok(()) => {}
        Err(StoreError::Conflict) => return Err(Problem::internal(&"session id collision")),
        Err(e) => return Err(e.into()),
    }
    let mut resp = json(StatusCode::CREATED, &session_json(&session));
    let cookie = format!("sessionid={secret}; Path=/scanner/; HttpOnly; Secure; SameSite=Lax");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(resp)
}

async fn show<S: SessionStore>(
    State(app): State<Arc<App<S>>>,
    Extension(caller): Extension<Caller>,
    Path(public_id): Path<String>,
) -> axum::response::Response {
    reply(
        session_for(&app.store, &caller, &public_id)
            .await
            .map(|s| json(StatusCode::OK, &session_json(&s))),
    )
}

async fn close<S: SessionStore>(
    State(app): State<Arc<App<S>>>,
    Extension(caller): Extension<Caller>,
    Path(public_id): Path<String>,
) -> axum::response::Response {
    reply(close_inner(&app, &caller, &public_id).await)
}

async fn close_inner<S: SessionStore>(
    app: &App<S>,
    caller: &Caller,
    public_id: &str,
) -> Result<Response, Problem> {
    session_for(&app.store, caller, public_id).await?;
    if !app
        .store
        .close_session(public_id, app.clock.now())
        .await
        .map_err(Problem::from)?
    {
        return Err(Problem::new(
            ProblemKind::Conflict,
            "This scan session is already closed.",
        ));
    }
    let s = session_for(&app.store, caller, public_id).await?;
    Ok(json(StatusCode::OK, &session_json(&s)))
}

async fn product<S: SessionStore>(
    State(app): State<Arc<App<S>>>,
    Path(gtin): Path<String>,
) -> axum::response::Response {
    let result = async {
        let gtin: Gtin14 = gtin.parse().map_err(|e| {
            super::problem::FieldFailure::gtin(&e).problem(super::fields::Source::Query)
        })?;
        let p = app
            .store
            .get_product(gtin.as_str())
            .await
            .map_err(Problem::from)?
            .ok_or_else(Problem::not_found)?;
        Ok(json(
            StatusCode::OK,
            &json!({"public_id": p.public_id, "gtin": p.gtin, "name": p.name, "brand": p.brand}),
        ))
    }
    .await;
    reply(result)
}
