//! Flood limits ([`shared::limits`]), enforced atomically in D1, and the account's daily caps
//! (`GET`/`PUT /api/cabinet/limits`).
//!
//! D1 runs one statement (and one batch) at a time, so a statement whose own condition counts
//! what is stored cannot be raced: the order's `INSERT … SELECT … WHERE <counts below the
//! caps>` ([`order_insert_condition`]) stores the order or nothing, and a chain's ring claim
//! ([`claim_ring`]) is one conditional insert too. Only when that statement stored nothing are
//! the counts read again ([`refusal`]) to tell the visitor which limit it was.

use crate::auth::{require, Access};
use crate::db::{self, int, opt_text, text, ts};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, json_body};
use crate::{now, Ctx};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use shared::limits::{
    first_hit, Counts, DailyCaps, LimitHit, ORDERS_PER_ADDRESS_PER_HOUR,
    ORDERS_PER_NUMBER_PER_HOUR, ORDERS_PER_SITE_PER_HOUR, PLATFORM_ORDERS_PER_NUMBER,
    PLATFORM_RINGS_PER_NUMBER,
};
use shared::validation::Problems;
use wasm_bindgen::JsValue;
use worker::{D1Database, Request};

/// The counts of [`Counts`], as one `SELECT`'s columns, with its parameters numbered from
/// `?{base}` (D1 numbers parameters up to `?100`): `base` phone, `+1` account, `+2` site,
/// `+3` address group (or NULL: not counted), `+4` 24 hours ago, `+5` an hour ago, `+6` and
/// `+7` 24 hours before and after the order's first ring. Rings are counted around when they
/// ring, not when they were ordered: scheduled calls booked over many days for one day
/// still count on that day.
fn counts_sql(base: usize) -> String {
    let [phone, account, site, group, day, hour, ring_from, ring_to] =
        [0, 1, 2, 3, 4, 5, 6, 7].map(|i| format!("?{}", base + i));
    let rings = format!("at > {ring_from} AND at < {ring_to}");
    format!(
        "SELECT \
         (SELECT COUNT(*) FROM orders WHERE account_id = {account} AND phone = {phone} AND created_at > {day}) AS account_orders_24h, \
         (SELECT COUNT(*) FROM client_rings WHERE account_id = {account} AND phone = {phone} AND {rings}) AS account_rings_24h, \
         (SELECT COUNT(*) FROM orders WHERE phone = {phone} AND created_at > {day}) AS platform_orders_24h, \
         (SELECT COUNT(*) FROM client_rings WHERE phone = {phone} AND {rings}) AS platform_rings_24h, \
         (SELECT COUNT(*) FROM orders WHERE phone = {phone} AND created_at > {hour}) AS number_orders_1h, \
         (CASE WHEN {group} IS NULL THEN 0 ELSE \
            (SELECT COUNT(*) FROM orders WHERE ip_group = {group} AND created_at > {hour}) END) AS address_orders_1h, \
         (SELECT COUNT(*) FROM orders WHERE site_id = {site} AND created_at > {hour}) AS site_orders_1h"
    )
}

/// What an order's conditional insert appends after its own `SELECT ?1, …`: the order is
/// stored only while every count is below its cap (the same rule as
/// [`shared::limits::first_hit`]). Its parameters start at `?{base}`: those of
/// [`counts_sql`], then the account's orders cap and its rings cap ([`Counted::params`]).
pub fn order_insert_condition(base: usize) -> String {
    let (orders_cap, rings_cap) = (base + 8, base + 9);
    format!(
        " FROM ({}) c WHERE c.platform_orders_24h < {PLATFORM_ORDERS_PER_NUMBER} \
         AND c.platform_rings_24h < {PLATFORM_RINGS_PER_NUMBER} \
         AND c.account_orders_24h < ?{orders_cap} AND c.account_rings_24h < ?{rings_cap} \
         AND c.number_orders_1h < {ORDERS_PER_NUMBER_PER_HOUR} \
         AND c.address_orders_1h < {ORDERS_PER_ADDRESS_PER_HOUR} \
         AND c.site_orders_1h < {ORDERS_PER_SITE_PER_HOUR}",
        counts_sql(base)
    )
}

/// Who an order is counted for.
pub struct Counted<'a> {
    /// The client number, E.164.
    pub phone: &'a str,
    /// The account.
    pub account_id: i64,
    /// The site.
    pub site_id: i64,
    /// The client's address group ([`shared::limits::ip_group`]), if counted.
    pub ip_group: Option<&'a str>,
    /// The account's caps.
    pub caps: DailyCaps,
    /// When the order's first call is due: its ring is counted then.
    pub rings_at: DateTime<Utc>,
}

impl Counted<'_> {
    /// The parameters of [`order_insert_condition`], in their order (those of
    /// [`counts_sql`] are the first eight).
    pub fn params(&self, now: DateTime<Utc>) -> Vec<JsValue> {
        vec![
            text(self.phone),
            int(self.account_id),
            int(self.site_id),
            opt_text(self.ip_group),
            text(&ts(now - Duration::hours(24))),
            text(&ts(now - Duration::hours(1))),
            text(&ts(self.rings_at - Duration::hours(24))),
            text(&ts(self.rings_at + Duration::hours(24))),
            int(i64::from(self.caps.orders_per_number)),
            int(i64::from(self.caps.rings_per_number)),
        ]
    }
}

#[derive(Deserialize)]
struct CountsRow {
    account_orders_24h: i64,
    account_rings_24h: i64,
    platform_orders_24h: i64,
    platform_rings_24h: i64,
    number_orders_1h: i64,
    address_orders_1h: i64,
    site_orders_1h: i64,
}

/// Why an order's conditional insert stored nothing: the limit its counts reach now. (A
/// limit may have moved on in between; then the busiest one is named.)
pub async fn refusal(
    db: &D1Database,
    counted: &Counted<'_>,
    now: DateTime<Utc>,
) -> Result<LimitHit, ApiError> {
    let row: CountsRow = db::first(db, &counts_sql(1), &counted.params(now)[..8])
        .await?
        .ok_or_else(|| ApiError::Internal("counts: no row".into()))?;
    let counts = Counts {
        account_orders_24h: row.account_orders_24h,
        account_rings_24h: row.account_rings_24h,
        platform_orders_24h: row.platform_orders_24h,
        platform_rings_24h: row.platform_rings_24h,
        number_orders_1h: row.number_orders_1h,
        address_orders_1h: row.address_orders_1h,
        site_orders_1h: row.site_orders_1h,
    };
    Ok(first_hit(counted.caps, &counts).unwrap_or(LimitHit::PlatformPerNumber))
}

/// Claims the ring of attempt `attempt` of an order before it dials: granted while the
/// number's rings within 24 hours either side of now (scheduled ones included) are below the
/// account's cap and the platform's. Claiming the same attempt again answers as the first
/// time did (a retried job).
pub async fn claim_ring(
    db: &D1Database,
    order_id: &str,
    attempt: u32,
    account_id: i64,
    phone: &str,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let params = [
        text(order_id),
        int(i64::from(attempt)),
        int(account_id),
        text(phone),
        text(&ts(now)),
        text(&ts(now - Duration::hours(24))),
        text(&ts(now + Duration::hours(24))),
    ];
    let claim = db::bind(
        db.prepare(format!(
            "INSERT INTO client_rings (order_id, attempt, account_id, phone, at) \
             SELECT ?1, ?2, ?3, ?4, ?5 WHERE \
             (SELECT COUNT(*) FROM client_rings WHERE account_id = ?3 AND phone = ?4 \
                AND at > ?6 AND at < ?7) \
               < (SELECT rings_per_number_per_day FROM accounts WHERE id = ?3) \
             AND (SELECT COUNT(*) FROM client_rings WHERE phone = ?4 AND at > ?6 AND at < ?7) \
               < {PLATFORM_RINGS_PER_NUMBER} \
             ON CONFLICT (order_id, attempt) DO NOTHING"
        )),
        &params,
    )?;
    let check = db::bind(
        db.prepare("SELECT COUNT(*) AS n FROM client_rings WHERE order_id = ?1 AND attempt = ?2"),
        &params[..2],
    )?;
    let results = db.batch(vec![claim, check]).await?;
    #[derive(Deserialize)]
    struct N {
        n: i64,
    }
    let granted = results
        .get(1)
        .map(|r| r.results::<N>())
        .transpose()?
        .and_then(|rows| rows.first().map(|r| r.n > 0))
        .unwrap_or(false);
    Ok(granted)
}

#[derive(Deserialize)]
struct CapsRow {
    orders_per_number_per_day: i64,
    rings_per_number_per_day: i64,
}

/// The account's daily caps.
pub async fn caps_of(db: &D1Database, account_id: i64) -> Result<DailyCaps, ApiError> {
    let row: Option<CapsRow> = db::first(
        db,
        "SELECT orders_per_number_per_day, rings_per_number_per_day FROM accounts WHERE id = ?1",
        &[int(account_id)],
    )
    .await?;
    Ok(row
        .map(|r| DailyCaps::stored(r.orders_per_number_per_day, r.rings_per_number_per_day))
        .unwrap_or_default())
}

/// `GET /api/cabinet/limits`: the account's daily caps per client number.
pub async fn get(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Read).await?;
    json(200, &caps_of(&db, user.account_id).await?)
}

/// `PUT /api/cabinet/limits`.
pub async fn update(mut req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let caps: DailyCaps = json_body(&mut req).await?;
    let mut p = Problems::new();
    caps.validate("", &mut p);
    p.finish().map_err(ApiError::Invalid)?;
    db::run(
        &db,
        "UPDATE accounts SET orders_per_number_per_day = ?1, rings_per_number_per_day = ?2 \
         WHERE id = ?3",
        &[
            int(i64::from(caps.orders_per_number)),
            int(i64::from(caps.rings_per_number)),
            int(user.account_id),
        ],
    )
    .await?;
    db::audit(
        &db,
        user.account_id,
        user.user_id,
        "limits.update",
        &format!(
            "{} orders, {} rings",
            caps.orders_per_number, caps.rings_per_number
        ),
        now(),
    )
    .await?;
    json(200, &caps)
}
