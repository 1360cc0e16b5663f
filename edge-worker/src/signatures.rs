//! Signed requests from a customer's PBX ([`shared::webhook`]): the signature must sign this
//! very request (time, method, path with query, body) with the account's PBX secret and be at
//! most 5 minutes from now; each one accepted is kept in `used_signatures` until it expires, so
//! the same signature a second time is refused. Refusals are 403s that say why.

use crate::db::{self, int, text};
use crate::error::ApiError;
use serde::Deserialize;
use shared::webhook::{self, Accepted, Refusal, Signed};
use worker::{D1Database, Env, Request};

/// The refusal as the API's error.
pub fn refused(r: Refusal) -> ApiError {
    ApiError::Forbidden(r.to_string())
}

/// What is signed of `req`'s URL: its path and query.
pub fn path_of(req: &Request) -> Result<String, ApiError> {
    Ok(webhook::signed_path(&req.url()?))
}

/// The request's `X-Ringback-Signature`.
pub fn header_of(req: &Request) -> Result<Option<String>, ApiError> {
    Ok(req.headers().get(webhook::SIGNATURE_HEADER)?)
}

#[derive(Deserialize)]
struct Claimed {
    #[allow(dead_code)]
    v1: String,
}

/// Records the first use of an accepted signature; a second use is [`Refusal::Replayed`].
pub async fn claim(db: &D1Database, accepted: &Accepted) -> Result<(), ApiError> {
    let first: Option<Claimed> = db::first(
        db,
        "INSERT INTO used_signatures (v1, expires_at) VALUES (?1, ?2) \
         ON CONFLICT (v1) DO NOTHING RETURNING v1",
        &[text(&accepted.v1), int(accepted.expires_at())],
    )
    .await?;
    first.map(|_| ()).ok_or(refused(Refusal::Replayed))
}

/// Verifies a PBX's request with `secret` and claims its signature: `Ok` exactly once per
/// valid signature.
pub async fn check(
    db: &D1Database,
    secret: &str,
    header: Option<&str>,
    signed: &Signed<'_>,
) -> Result<(), ApiError> {
    let accepted =
        webhook::verify(secret, header, signed, crate::now().timestamp()).map_err(refused)?;
    claim(db, &accepted).await
}

/// The minute cron: forgets signatures that expired (they are refused as expired anyway).
pub async fn purge(env: &Env) -> Result<(), ApiError> {
    let db = db::db(env)?;
    db::run(
        &db,
        "DELETE FROM used_signatures WHERE expires_at < ?1",
        &[int(crate::now().timestamp())],
    )
    .await?;
    Ok(())
}
