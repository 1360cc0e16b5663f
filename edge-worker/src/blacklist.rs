//! The blacklist (SPEC §4): "numbers (and IPs) blocked from ordering callbacks get a polite
//! refusal, and nothing is dialed."

use crate::auth::{require, Access};
use crate::db::{self, int, text};
use crate::departments::account_country;
use crate::error::{ApiError, ApiResult};
use crate::http::{json, json_body};
use crate::sites::id_param;
use crate::{now, Ctx};
use serde::Deserialize;
use shared::blacklist::{Blacklist, BlacklistEntry};
use shared::cabinet_api::{BlacklistInput, BlacklistView};
use worker::{D1Database, Request, Response};

#[derive(Deserialize)]
struct Row {
    id: i64,
    entry: String,
}

async fn rows(db: &D1Database, account_id: i64) -> Result<Vec<BlacklistView>, ApiError> {
    let rows: Vec<Row> = db::all(
        db,
        "SELECT id, entry FROM blacklist WHERE account_id = ?1 ORDER BY id",
        &[int(account_id)],
    )
    .await?;
    rows.into_iter()
        .map(|r| {
            serde_json::from_str(&r.entry)
                .map(|entry| BlacklistView { id: r.id, entry })
                .map_err(|e| ApiError::Internal(format!("blacklist {}: {e}", r.id)))
        })
        .collect()
}

/// The account's blacklist, for checking orders.
pub async fn of_account(db: &D1Database, account_id: i64) -> Result<Blacklist, ApiError> {
    Ok(Blacklist {
        entries: rows(db, account_id)
            .await?
            .into_iter()
            .map(|v| v.entry)
            .collect(),
    })
}

/// `GET /api/cabinet/blacklist`.
pub async fn list(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Read).await?;
    json(200, &rows(&db, user.account_id).await?)
}

/// `POST /api/cabinet/blacklist`: a number (any usual spelling) or an IP or network.
pub async fn create(mut req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let input: BlacklistInput = json_body(&mut req).await?;
    let entry = match input {
        BlacklistInput::Phone(p) => {
            let country = account_country(&db, user.account_id).await?;
            BlacklistEntry::Phone(
                shared::phone::normalize(&p, &country)
                    .map_err(|e| ApiError::invalid("value", e.to_string()))?,
            )
        }
        BlacklistInput::Ip(ip) => {
            BlacklistEntry::parse_ip(&ip).map_err(|e| ApiError::invalid("value", e))?
        }
    };
    let json_entry = serde_json::to_string(&entry).expect("serializes");
    if rows(&db, user.account_id)
        .await?
        .iter()
        .any(|v| v.entry == entry)
    {
        return Err(ApiError::invalid("value", "already on the blacklist"));
    }
    let id = db::run(
        &db,
        "INSERT INTO blacklist (account_id, entry) VALUES (?1, ?2)",
        &[int(user.account_id), text(&json_entry)],
    )
    .await?;
    db::audit(
        &db,
        user.account_id,
        user.user_id,
        "blacklist.add",
        &json_entry,
        now(),
    )
    .await?;
    json(201, &BlacklistView { id, entry })
}

/// `DELETE /api/cabinet/blacklist/{id}`.
pub async fn delete(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let id = id_param(&ctx, "id")?;
    let found: Option<serde_json::Value> = db::first(
        &db,
        "SELECT id FROM blacklist WHERE id = ?1 AND account_id = ?2",
        &[int(id), int(user.account_id)],
    )
    .await?;
    found.ok_or(ApiError::NotFound)?;
    db::run(
        &db,
        "DELETE FROM blacklist WHERE id = ?1 AND account_id = ?2",
        &[int(id), int(user.account_id)],
    )
    .await?;
    db::audit(
        &db,
        user.account_id,
        user.user_id,
        "blacklist.remove",
        &id.to_string(),
        now(),
    )
    .await?;
    Ok(Response::empty()?.with_status(204))
}
