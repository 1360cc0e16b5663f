//! Sites of an account: add a domain, get the snippet (SPEC §6).

use crate::auth::{require, Access, User};
use crate::db::{self, int, text, ts};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, json_body};
use crate::{crypto, now, origin_of, Ctx};
use base64::Engine;
use serde::Deserialize;
use shared::account::{embed_snippet, Site};
use shared::cabinet_api::{SiteInput, SiteView};
use shared::validation::Problems;
use worker::{D1Database, Request};

#[derive(Deserialize)]
struct SiteRow {
    id: i64,
    domain: String,
    country: String,
    #[serde(default)]
    client_countries: String,
    site_key: String,
    #[serde(default)]
    widgets: u32,
    #[serde(default)]
    active_widgets: u32,
}

fn view(row: SiteRow, origin: &str) -> SiteView {
    SiteView {
        snippet: embed_snippet(origin, &row.site_key),
        id: row.id,
        display_domain: Site::display_domain(&row.domain),
        client_countries: Site::parse_countries(&row.client_countries),
        domain: row.domain,
        country: row.country,
        key: row.site_key,
        widgets: row.widgets,
        active_widgets: row.active_widgets,
    }
}

/// The site `id` if it belongs to the user's account (else 404: another account's ids look
/// like ids that do not exist).
pub async fn owned(db: &D1Database, user: &User, id: i64) -> Result<Site, ApiError> {
    let row: SiteRow = db::first(
        db,
        "SELECT id, domain, country, client_countries, site_key FROM sites \
         WHERE id = ?1 AND account_id = ?2",
        &[int(id), int(user.account_id)],
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    Ok(Site {
        domain: row.domain,
        country: row.country,
        client_countries: Site::parse_countries(&row.client_countries),
    })
}

/// A path parameter as an id (404 when it is not one).
pub fn id_param(ctx: &Ctx, name: &str) -> Result<i64, ApiError> {
    ctx.param(name)
        .and_then(|v| v.parse().ok())
        .ok_or(ApiError::NotFound)
}

fn checked(input: SiteInput) -> Result<Site, ApiError> {
    let site = Site {
        domain: Site::normalize_domain(&input.domain),
        country: input
            .country
            .map(|c| c.trim().to_ascii_uppercase())
            .unwrap_or_else(|| "RU".into()),
        client_countries: Site::countries(input.client_countries),
    };
    let mut p = Problems::new();
    site.validate("", &mut p);
    let problems: Vec<_> = p
        .into_vec()
        .into_iter()
        .map(|mut pr| {
            pr.path = pr.path.trim_start_matches('.').to_string();
            pr
        })
        .collect();
    if problems.is_empty() {
        Ok(site)
    } else {
        Err(ApiError::Invalid(problems))
    }
}

/// `GET /api/cabinet/sites`.
pub async fn list(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Read).await?;
    let rows: Vec<SiteRow> = db::all(
        &db,
        "SELECT s.id, s.domain, s.country, s.client_countries, s.site_key, \
           (SELECT COUNT(*) FROM widgets w WHERE w.site_id = s.id) AS widgets, \
           (SELECT COUNT(*) FROM widgets w WHERE w.site_id = s.id AND w.active = 1) AS active_widgets \
         FROM sites s WHERE s.account_id = ?1 ORDER BY s.id",
        &[int(user.account_id)],
    )
    .await?;
    let origin = origin_of(&req)?;
    json(
        200,
        &rows
            .into_iter()
            .map(|r| view(r, &origin))
            .collect::<Vec<_>>(),
    )
}

/// `POST /api/cabinet/sites`.
pub async fn create(mut req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let site = checked(json_body(&mut req).await?)?;
    let existing: Option<serde_json::Value> = db::first(
        &db,
        "SELECT id FROM sites WHERE account_id = ?1 AND domain = ?2",
        &[int(user.account_id), text(&site.domain)],
    )
    .await?;
    if existing.is_some() {
        return Err(ApiError::invalid("domain", "this site is already added"));
    }
    let key = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(crypto::random_bytes(9)?);
    let now = now();
    let id = db::run(
        &db,
        "INSERT INTO sites (account_id, domain, site_key, country, client_countries, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[
            int(user.account_id),
            text(&site.domain),
            text(&key),
            text(&site.country),
            text(&site.client_countries.join(",")),
            text(&ts(now)),
        ],
    )
    .await?;
    db::audit(
        &db,
        user.account_id,
        user.user_id,
        "site.create",
        &site.domain,
        now,
    )
    .await?;
    let origin = origin_of(&req)?;
    json(
        201,
        &view(
            SiteRow {
                id,
                client_countries: site.client_countries.join(","),
                domain: site.domain,
                country: site.country,
                site_key: key,
                widgets: 0,
                active_widgets: 0,
            },
            &origin,
        ),
    )
}

/// `GET /api/cabinet/sites/{id}`.
pub async fn get(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Read).await?;
    let id = id_param(&ctx, "id")?;
    let row: SiteRow = db::first(
        &db,
        "SELECT id, domain, country, client_countries, site_key FROM sites \
         WHERE id = ?1 AND account_id = ?2",
        &[int(id), int(user.account_id)],
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    json(200, &view(row, &origin_of(&req)?))
}

/// `PUT /api/cabinet/sites/{id}`: change the domain, the country, or the countries whose
/// client numbers are called back.
pub async fn update(mut req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let id = id_param(&ctx, "id")?;
    owned(&db, &user, id).await?;
    let site = checked(json_body(&mut req).await?)?;
    db::run(
        &db,
        "UPDATE sites SET domain = ?1, country = ?2, client_countries = ?3, \
         settings_version = settings_version + 1 WHERE id = ?4 AND account_id = ?5",
        &[
            text(&site.domain),
            text(&site.country),
            text(&site.client_countries.join(",")),
            int(id),
            int(user.account_id),
        ],
    )
    .await?;
    db::audit(
        &db,
        user.account_id,
        user.user_id,
        "site.update",
        &id.to_string(),
        now(),
    )
    .await?;
    get(req, ctx).await
}

/// `DELETE /api/cabinet/sites/{id}`: the site, its widgets and their orders.
pub async fn delete(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let id = id_param(&ctx, "id")?;
    let site = owned(&db, &user, id).await?;
    db::run(
        &db,
        "DELETE FROM sites WHERE id = ?1 AND account_id = ?2",
        &[int(id), int(user.account_id)],
    )
    .await?;
    db::audit(
        &db,
        user.account_id,
        user.user_id,
        "site.delete",
        &site.domain,
        now(),
    )
    .await?;
    Ok(worker::Response::empty()?.with_status(204))
}
