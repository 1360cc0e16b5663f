//! The journal of orders and calls (SPEC §6): "filters (status, widget, tag, date, source),
//! chain view, ... export (CSV/Excel)"; and the reports' aggregates.

use crate::auth::{require, Access, User};
use crate::chains::{self, Reschedule};
use crate::db::{self, int, text, ts};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, query};
use crate::Ctx;
use chrono::{NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use shared::attempt::AttemptRecord;
use shared::cabinet_api::{
    JournalPage, JournalQuery, JournalRow, OrderDetail, OrderState, ReportQuery, RescheduleRequest,
    RescheduleView,
};
use shared::chain::ChainPlan;
use shared::conditions::DIRECT;
use shared::reports::{journal_csv, report, OrderFact};
use shared::rescheduling::{check, Situation};
use wasm_bindgen::JsValue;
use worker::{D1Database, Request, Response};

fn zone(tz: Option<&str>) -> Tz {
    tz.and_then(|z| z.parse().ok())
        .unwrap_or(chrono_tz::Europe::Moscow)
}

/// The first instant of a local date, as stored text.
fn start_of(date: NaiveDate, tz: Tz) -> String {
    let t = tz
        .from_local_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight"))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight")));
    ts(t)
}

/// The WHERE clause and parameters of the journal's filters.
fn filters(user: &User, q: &JournalQuery) -> (String, Vec<JsValue>) {
    let tz = zone(q.tz.as_deref());
    let mut sql = String::from("o.account_id = ?1");
    let mut params = vec![int(user.account_id)];
    let mut push = |clause: &str, value: JsValue, sql: &mut String| {
        params.push(value);
        sql.push_str(&clause.replace('?', &format!("?{}", params.len())));
    };
    if let Some(status) = q.status {
        push(" AND o.status = ?", text(status.as_str()), &mut sql);
    }
    if let Some(w) = q.widget {
        push(" AND o.widget_id = ?", int(w), &mut sql);
    }
    if let Some(from) = q.from {
        push(
            " AND o.created_at >= ?",
            text(&start_of(from, tz)),
            &mut sql,
        );
    }
    if let Some(to) = q.to {
        let next = to.succ_opt().unwrap_or(to);
        push(" AND o.created_at < ?", text(&start_of(next, tz)), &mut sql);
    }
    match q.source.as_deref() {
        Some(DIRECT) => sql.push_str(" AND o.utm_source IS NULL"),
        Some(s) => push(" AND o.utm_source = ?", text(s), &mut sql),
        None => {}
    }
    if let Some(tag) = &q.tag {
        push(
            " AND EXISTS (SELECT 1 FROM order_tags ot JOIN tags t ON t.id = ot.tag_id \
             WHERE ot.order_id = o.id AND t.name = ?)",
            text(tag),
            &mut sql,
        );
    }
    (sql, params)
}

#[derive(Deserialize)]
struct OrderRow {
    id: String,
    created_at: String,
    domain: String,
    widget_name: String,
    widget_id: Option<i64>,
    department_name: Option<String>,
    phone: String,
    #[serde(default)]
    extension: Option<String>,
    name: Option<String>,
    status: String,
    status_reason: Option<String>,
    call_at: String,
    utm_source: Option<String>,
}

#[derive(Deserialize)]
struct AttemptRow {
    order_id: String,
    record: String,
}

#[derive(Deserialize)]
struct TagRow {
    order_id: String,
    name: String,
}

async fn rows(
    db: &D1Database,
    user: &User,
    q: &JournalQuery,
    limit: u32,
    offset: u32,
) -> Result<Vec<JournalRow>, ApiError> {
    rows_where(db, user, q, limit, offset, None).await
}

async fn rows_where(
    db: &D1Database,
    user: &User,
    q: &JournalQuery,
    limit: u32,
    offset: u32,
    only: Option<&str>,
) -> Result<Vec<JournalRow>, ApiError> {
    let (mut filter, mut params) = filters(user, q);
    if let Some(id) = only {
        params.push(text(id));
        filter.push_str(&format!(" AND o.id = ?{}", params.len()));
    }
    params.push(int(i64::from(limit)));
    params.push(int(i64::from(offset)));
    let n = params.len();
    let orders: Vec<OrderRow> = db::all(
        db,
        &format!(
            "SELECT o.id, o.created_at, s.domain, o.widget_name, o.widget_id, o.department_name, \
             o.phone, o.extension, o.name, o.status, o.status_reason, o.call_at, o.utm_source \
             FROM orders o JOIN sites s ON s.id = o.site_id WHERE {filter} \
             ORDER BY o.created_at DESC, o.id LIMIT ?{} OFFSET ?{n}",
            n - 1
        ),
        &params,
    )
    .await?;
    let ids =
        serde_json::to_string(&orders.iter().map(|o| &o.id).collect::<Vec<_>>()).expect("ids");
    let attempts: Vec<AttemptRow> = db::all(
        db,
        "SELECT order_id, record FROM call_attempts WHERE order_id IN (SELECT value FROM json_each(?1)) ORDER BY order_id, n",
        &[text(&ids)],
    )
    .await?;
    let tags: Vec<TagRow> = db::all(
        db,
        "SELECT ot.order_id, t.name FROM order_tags ot JOIN tags t ON t.id = ot.tag_id \
         WHERE ot.order_id IN (SELECT value FROM json_each(?1)) ORDER BY t.name",
        &[text(&ids)],
    )
    .await?;
    orders
        .into_iter()
        .map(|o| {
            Ok(JournalRow {
                attempts: attempts
                    .iter()
                    .filter(|a| a.order_id == o.id)
                    .map(|a| serde_json::from_str::<AttemptRecord>(&a.record))
                    .collect::<Result<_, _>>()
                    .map_err(|e| ApiError::Internal(format!("attempt of {}: {e}", o.id)))?,
                tags: tags
                    .iter()
                    .filter(|t| t.order_id == o.id)
                    .map(|t| t.name.clone())
                    .collect(),
                created_at: db::parse_ts(&o.created_at)?,
                call_at: db::parse_ts(&o.call_at)?,
                status: OrderState::parse(&o.status).ok_or_else(|| {
                    ApiError::Internal(format!("order {} status {}", o.id, o.status))
                })?,
                order_id: o.id,
                site: o.domain,
                widget: o.widget_name,
                widget_id: o.widget_id,
                department: o.department_name,
                phone: o.phone,
                extension: o.extension,
                name: o.name,
                status_reason: o.status_reason,
                source: o.utm_source,
            })
        })
        .collect()
}

#[derive(Deserialize)]
struct Count {
    n: u64,
}

/// `GET /api/cabinet/journal`.
pub async fn list(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Read).await?;
    let q: JournalQuery = query(&req)?;
    let (filter, params) = filters(&user, &q);
    let total = db::first::<Count>(
        &db,
        &format!("SELECT COUNT(*) AS n FROM orders o WHERE {filter}"),
        &params,
    )
    .await?
    .map(|c| c.n)
    .unwrap_or(0);
    let (page, per_page) = (q.page(), q.per_page());
    let rows = rows(&db, &user, &q, per_page, (page - 1) * per_page).await?;
    json(
        200,
        &JournalPage {
            total,
            page,
            per_page,
            rows,
        },
    )
}

/// Most rows an export holds.
const MAX_EXPORT: u32 = 10_000;

/// `GET /api/cabinet/journal.csv`: the filtered journal as CSV (opens in Excel).
pub async fn export(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Read).await?;
    let q: JournalQuery = query(&req)?;
    let mut all = Vec::new();
    let mut offset = 0;
    while offset < MAX_EXPORT {
        let batch = rows(&db, &user, &q, 500, offset).await?;
        let n = batch.len() as u32;
        all.extend(batch);
        if n < 500 {
            break;
        }
        offset += n;
    }
    let csv = journal_csv(&all, q.tz.as_deref().unwrap_or("Europe/Moscow"));
    let mut r = Response::ok(csv)?;
    let h = r.headers_mut();
    h.set("Content-Type", "text/csv; charset=utf-8")?;
    h.set(
        "Content-Disposition",
        "attachment; filename=\"ringback-journal.csv\"",
    )?;
    Ok(r)
}

#[derive(Deserialize)]
struct FactRow {
    created_at: String,
    status: String,
    utm_source: Option<String>,
    minutes: i64,
}

/// `GET /api/cabinet/reports?from=YYYY-MM-DD&to=YYYY-MM-DD`.
pub async fn reports(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Read).await?;
    let q: ReportQuery = query(&req)?;
    if q.to < q.from || (q.to - q.from).num_days() > 366 {
        return Err(ApiError::invalid(
            "to",
            "choose a range of at most a year, ending after it starts",
        ));
    }
    let tz = zone(q.tz.as_deref());
    let facts: Vec<FactRow> = db::all(
        &db,
        "SELECT o.created_at, o.status, o.utm_source, COALESCE(SUM(a.billed_minutes), 0) AS minutes \
         FROM orders o LEFT JOIN call_attempts a ON a.order_id = o.id \
         WHERE o.account_id = ?1 AND o.created_at >= ?2 AND o.created_at < ?3 \
         GROUP BY o.id LIMIT 200000",
        &[
            int(user.account_id),
            text(&start_of(q.from, tz)),
            text(&start_of(q.to.succ_opt().unwrap_or(q.to), tz)),
        ],
    )
    .await?;
    let facts: Vec<OrderFact> = facts
        .into_iter()
        .map(|f| {
            Ok(OrderFact {
                created_at: db::parse_ts(&f.created_at)?,
                status: OrderState::parse(&f.status).unwrap_or(OrderState::Scheduled),
                source: f.utm_source,
                billed_minutes: f.minutes,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    json(200, &report(&facts, tz.name(), &q))
}

#[derive(Deserialize)]
struct RescheduleRow {
    user_email: String,
    at: String,
    for_time: String,
}

async fn detail(db: &D1Database, user: &User, id: &str) -> Result<OrderDetail, ApiError> {
    let order = rows_where(db, user, &JournalQuery::default(), 1, 0, Some(id))
        .await?
        .pop()
        .ok_or(ApiError::NotFound)?;
    let reschedules: Vec<RescheduleRow> = db::all(
        db,
        "SELECT user_email, at, for_time FROM reschedules WHERE order_id = ?1 ORDER BY at, id",
        &[text(id)],
    )
    .await?;
    let notifications: Vec<crate::notifications::NotificationRow> = db::all(
        db,
        &format!(
            "SELECT {} FROM notifications WHERE order_id = ?1 ORDER BY created_at, id",
            crate::notifications::VIEW_COLUMNS
        ),
        &[text(id)],
    )
    .await?;
    Ok(OrderDetail {
        order,
        reschedules: reschedules
            .into_iter()
            .map(|r| {
                Ok(RescheduleView {
                    by: r.user_email,
                    at: db::parse_ts(&r.at)?,
                    for_time: db::parse_ts(&r.for_time)?,
                })
            })
            .collect::<Result<_, ApiError>>()?,
        notifications: notifications
            .into_iter()
            .map(|n| n.view())
            .collect::<Result<_, ApiError>>()?,
    })
}

/// `GET /api/cabinet/orders/{id}`: the order's chain view.
pub async fn order(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Read).await?;
    let id = ctx.param("id").ok_or(ApiError::NotFound)?;
    json(200, &detail(&db, &user, id).await?)
}

#[derive(Deserialize)]
struct ChainRow {
    plan: String,
    status: String,
    widget_id: Option<i64>,
    department_id: Option<i64>,
    service_on: i64,
    minutes_balance: i64,
    email: String,
}

/// `POST /api/cabinet/orders/{id}/reschedule`: SPEC §4 *Manual re-scheduling*; a refusal is a
/// 409 that names the reason.
pub async fn reschedule(mut req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let id = ctx.param("id").ok_or(ApiError::NotFound)?.clone();
    let body: RescheduleRequest = crate::http::json_body(&mut req).await?;
    let row: ChainRow = db::first(
        &db,
        "SELECT o.plan, o.status, o.widget_id, o.department_id, a.service_on, a.minutes_balance, \
         u.email FROM orders o JOIN accounts a ON a.id = o.account_id JOIN users u ON u.id = ?3 \
         WHERE o.id = ?1 AND o.account_id = ?2",
        &[text(&id), int(user.account_id), int(user.user_id)],
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    let plan: ChainPlan = serde_json::from_str(&row.plan)
        .map_err(|e| ApiError::Internal(format!("plan of {id}: {e}")))?;
    let widget = match row.widget_id {
        Some(w) => Some(crate::widgets::load(&db, &user, w).await?),
        None => None,
    };
    let configured: Vec<String> = match (row.department_id, &widget) {
        (Some(d), _) => crate::departments::of_account(&db, user.account_id)
            .await?
            .into_iter()
            .filter(|dep| dep.id == d)
            .map(|dep| dep.number)
            .collect(),
        (None, Some(w)) => w
            .widget
            .settings
            .forwarding
            .numbers
            .iter()
            .map(|n| n.number.clone())
            .collect(),
        (None, None) => Vec::new(),
    };
    let situation = Situation {
        widget_active: widget.as_ref().map(|w| w.widget.active),
        service_on: row.service_on != 0,
        minutes_left: row.minutes_balance,
        chain_running: matches!(row.status.as_str(), "scheduled" | "calling"),
        chain_failed: matches!(row.status.as_str(), "failed" | "cancelled"),
        number_configured: plan
            .operators
            .numbers()
            .iter()
            .all(|n| configured.iter().any(|c| c == n)),
    };
    let now = crate::now();
    check(&situation, &plan.call_center, now, body.at)
        .map_err(|e| ApiError::Conflict(e.to_string()))?;
    let request = Reschedule {
        at: body.at,
        by: row.email.clone(),
    };
    let mut res = chains::call(
        &ctx.env,
        &id,
        worker::Method::Post,
        "/reschedule",
        Some(serde_json::to_string(&request).expect("serializes")),
    )
    .await?;
    if res.status_code() == 409 {
        return Err(ApiError::Conflict(res.text().await.unwrap_or_default()));
    }
    if res.status_code() != 200 {
        return Err(ApiError::Internal(format!(
            "chain {id} answered {}",
            res.status_code()
        )));
    }
    db::run(
        &db,
        "INSERT INTO reschedules (order_id, user_id, user_email, at, for_time) VALUES (?1, ?2, ?3, ?4, ?5)",
        &[
            text(&id),
            int(user.user_id),
            text(&row.email),
            text(&ts(now)),
            text(&ts(body.at)),
        ],
    )
    .await?;
    // The chain writes its own status soon; the journal shows the new call at once.
    db::run(
        &db,
        "UPDATE orders SET status = 'scheduled', status_reason = NULL, call_at = ?1, \
         finished_at = NULL WHERE id = ?2 AND status IN ('failed', 'cancelled')",
        &[text(&ts(body.at)), text(&id)],
    )
    .await?;
    db::audit(
        &db,
        user.account_id,
        user.user_id,
        "order.reschedule",
        &id,
        now,
    )
    .await?;
    json(200, &detail(&db, &user, &id).await?)
}
