//! D1 helpers shared by the resource modules: the database, parameter values, timestamps, the
//! audit log and the per-site settings version.

use crate::error::ApiError;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env};

pub fn db(env: &Env) -> Result<D1Database, ApiError> {
    Ok(env.d1("DB")?)
}

/// An integer parameter (D1 numbers are JavaScript numbers).
pub fn int(v: i64) -> JsValue {
    JsValue::from_f64(v as f64)
}

/// A text parameter.
pub fn text(v: &str) -> JsValue {
    JsValue::from_str(v)
}

/// A nullable text parameter.
pub fn opt_text(v: Option<&str>) -> JsValue {
    v.map(JsValue::from_str).unwrap_or(JsValue::NULL)
}

/// A nullable integer parameter.
pub fn opt_int(v: Option<i64>) -> JsValue {
    v.map(int).unwrap_or(JsValue::NULL)
}

/// Timestamps as stored: RFC 3339, UTC, whole seconds, `Z` (sorts as text).
pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A stored timestamp.
pub fn parse_ts(s: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| ApiError::Internal(format!("stored time `{s}`: {e}")))
}

/// Binds parameters.
pub fn bind(
    stmt: D1PreparedStatement,
    params: &[JsValue],
) -> Result<D1PreparedStatement, ApiError> {
    Ok(stmt.bind(params)?)
}

/// The first row of a query, if any.
pub async fn first<T: DeserializeOwned>(
    db: &D1Database,
    sql: &str,
    params: &[JsValue],
) -> Result<Option<T>, ApiError> {
    Ok(bind(db.prepare(sql), params)?.first(None).await?)
}

/// Every row of a query.
pub async fn all<T: DeserializeOwned>(
    db: &D1Database,
    sql: &str,
    params: &[JsValue],
) -> Result<Vec<T>, ApiError> {
    Ok(bind(db.prepare(sql), params)?.all().await?.results()?)
}

/// Runs a statement; returns how many rows it changed.
pub async fn changes(db: &D1Database, sql: &str, params: &[JsValue]) -> Result<usize, ApiError> {
    let result = bind(db.prepare(sql), params)?.run().await?;
    Ok(result.meta()?.and_then(|m| m.changes).unwrap_or(0))
}

/// Runs a statement; returns the last inserted row id.
pub async fn run(db: &D1Database, sql: &str, params: &[JsValue]) -> Result<i64, ApiError> {
    let result = bind(db.prepare(sql), params)?.run().await?;
    Ok(result
        .meta()?
        .and_then(|m| m.last_row_id)
        .unwrap_or_default())
}

/// Records who changed what.
pub async fn audit(
    db: &D1Database,
    account_id: i64,
    user_id: i64,
    action: &str,
    target: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    run(
        db,
        "INSERT INTO audit_log (account_id, user_id, action, target, at) VALUES (?1, ?2, ?3, ?4, ?5)",
        &[int(account_id), int(user_id), text(action), text(target), text(&ts(now))],
    )
    .await?;
    Ok(())
}

/// A site's widgets changed: *decide* must not serve its cached copy.
pub async fn bump_site(db: &D1Database, site_id: i64) -> Result<(), ApiError> {
    run(
        db,
        "UPDATE sites SET settings_version = settings_version + 1 WHERE id = ?1",
        &[int(site_id)],
    )
    .await?;
    Ok(())
}

/// The account's departments changed: every site of it.
pub async fn bump_account_sites(db: &D1Database, account_id: i64) -> Result<(), ApiError> {
    run(
        db,
        "UPDATE sites SET settings_version = settings_version + 1 WHERE account_id = ?1",
        &[int(account_id)],
    )
    .await?;
    Ok(())
}
