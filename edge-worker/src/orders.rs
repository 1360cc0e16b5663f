//! Orders (SPEC §4): the public *order* endpoint the widget posts to, and *order status* for
//! its countdown and confirmation.
//!
//! An order is checked in this order, each failure a 4xx that says what to fix and stores
//! nothing: honeypot, site and origin, idempotency (a repeat gets the first answer), widget,
//! service, phone (valid, of a callable type, from a country the site serves:
//! [`shared::phone::client_number`]), blacklist, department, time, and the flood limits
//! ([`crate::limits`]). An accepted order is stored with its call chain's plan in one D1
//! batch before the answer goes out; the batch's insert is conditional on the limits, so a
//! burst of parallel orders cannot pass a cap, and it claims the chain's first ring.

use crate::db::{self, int, opt_int, opt_text, text, ts};
use crate::error::{ApiError, ApiResult};
use crate::http::{
    allow_any_origin, allow_site_origin, client_ip, json, json_body, origin, origin_belongs_to,
};
use crate::limits::{self, Counted};
use crate::{blacklist, crypto, departments, now, widgets, Ctx};
use chrono::Duration;
use serde::Deserialize;
use shared::api::{CallPromise, OrderAnswer, OrderRequest, OrderStatus, OrderWhen};
use shared::chain::{Chain, ChainPlan, When};
use shared::forwarding::OperatorDial;
use shared::limits::DailyCaps;
use shared::notify::NotifyContext;
use shared::schedule::Schedule;
use shared::slots::{is_pickable, SlotOptions};
use shared::tags::order_tags;
use shared::widget::WidgetKind;
use std::collections::BTreeMap;
use worker::{D1Database, Request};

/// A site as the public API needs it.
#[derive(Deserialize)]
pub struct PublicSite {
    pub id: i64,
    pub account_id: i64,
    pub domain: String,
    pub country: String,
    pub settings_version: i64,
    pub minutes_balance: i64,
    pub service_on: i64,
    /// The account's telephony settings (JSON), if set up.
    #[serde(default)]
    pub telephony: Option<String>,
    /// The countries whose client numbers are called back (comma-separated; empty: the
    /// site's own).
    #[serde(default)]
    pub client_countries: String,
    /// The account's daily caps per client number.
    #[serde(default = "default_orders_cap")]
    pub orders_per_number_per_day: i64,
    #[serde(default = "default_rings_cap")]
    pub rings_per_number_per_day: i64,
}

fn default_orders_cap() -> i64 {
    i64::from(DailyCaps::default().orders_per_number)
}

fn default_rings_cap() -> i64 {
    i64::from(DailyCaps::default().rings_per_number)
}

impl PublicSite {
    /// The provider the account's calls go through.
    pub fn provider(&self) -> shared::telephony::Provider {
        crate::telephony::provider_of(self.telephony.as_deref())
    }

    /// Minutes are left and the service is on.
    pub fn available(&self) -> bool {
        self.service_on != 0 && self.minutes_balance > 0
    }

    /// The countries whose client numbers are called back.
    pub fn served_countries(&self) -> Vec<String> {
        shared::phone::served_countries(
            &self.country,
            &shared::account::Site::parse_countries(&self.client_countries),
        )
    }

    /// The account's daily caps per client number.
    pub fn caps(&self) -> DailyCaps {
        DailyCaps::stored(
            self.orders_per_number_per_day,
            self.rings_per_number_per_day,
        )
    }
}

/// The site with this key and its account's state.
pub async fn site_by_key(db: &D1Database, key: &str) -> Result<Option<PublicSite>, ApiError> {
    db::first(
        db,
        "SELECT s.id, s.account_id, s.domain, s.country, s.client_countries, s.settings_version, \
         a.minutes_balance, a.service_on, a.orders_per_number_per_day, a.rings_per_number_per_day, \
         t.settings AS telephony FROM sites s JOIN accounts a ON a.id = s.account_id \
         LEFT JOIN telephony t ON t.account_id = a.id WHERE s.site_key = ?1",
        &[text(key)],
    )
    .await
}

#[derive(Deserialize)]
struct Existing {
    answer: String,
}

async fn existing_answer(
    db: &D1Database,
    site_id: i64,
    key: &str,
) -> Result<Option<OrderAnswer>, ApiError> {
    let row: Option<Existing> = db::first(
        db,
        "SELECT answer FROM orders WHERE site_id = ?1 AND idempotency_key = ?2",
        &[int(site_id), text(key)],
    )
    .await?;
    row.map(|r| {
        serde_json::from_str(&r.answer)
            .map_err(|e| ApiError::Internal(format!("stored answer: {e}")))
    })
    .transpose()
}

/// Checks the free-form parts of an order.
fn check_text(order: &OrderRequest) -> Result<(), ApiError> {
    let mut problems = shared::validation::Problems::new();
    let key = order.idempotency_key.trim();
    if !(8..=100).contains(&key.len()) {
        problems.add(
            "idempotency_key",
            "send a random key of 8 to 100 characters",
        );
    }
    if order
        .name
        .as_deref()
        .is_some_and(|n| n.chars().count() > 100)
    {
        problems.add("name", "at most 100 characters");
    }
    if order.fields.len() > 20 {
        problems.add("fields", "at most 20 fields");
    }
    for (k, v) in &order.fields {
        if k.is_empty() || k.len() > 40 || v.chars().count() > 500 {
            problems.add(
                format!("fields.{k}"),
                "names up to 40 characters, values up to 500",
            );
        }
    }
    if order.page.url.len() > 2000 {
        problems.add("page.url", "at most 2000 characters");
    }
    problems.finish().map_err(ApiError::Invalid)
}

/// `POST /api/v1/orders`.
pub async fn create(mut req: Request, ctx: Ctx) -> ApiResult {
    let order: OrderRequest = json_body(&mut req).await?;
    if order
        .website
        .as_deref()
        .is_some_and(|w| !w.trim().is_empty())
    {
        return Err(ApiError::Spam);
    }
    let db = db::db(&ctx.env)?;
    let site = site_by_key(&db, &order.site)
        .await?
        .ok_or(ApiError::UnknownSite)?;
    if let Some(o) = origin(&req) {
        if !origin_belongs_to(&o, &site.domain) {
            return Err(ApiError::Forbidden(format!(
                "This site key belongs to {}, not to {o}.",
                site.domain
            )));
        }
    }
    check_text(&order)?;
    if let Some(answer) = existing_answer(&db, site.id, order.idempotency_key.trim()).await? {
        return answered(&req, &site, 200, &answer);
    }
    let listed = widgets::of_site(&db, site.id).await?;
    let widget = listed
        .iter()
        .find(|w| w.id == order.widget_id && w.settings.kind.shows_on_pages())
        .ok_or(ApiError::NotFound)?;
    if !widget.active {
        return Err(ApiError::Conflict("This widget is switched off.".into()));
    }
    if !site.available() {
        return Err(ApiError::Forbidden(
            "Callbacks are paused on this site; please call us.".into(),
        ));
    }
    let s = &widget.settings;
    let lang = s
        .appearance
        .lang
        .resolve(order.lang.as_deref().unwrap_or(""));
    let client =
        shared::phone::client_number(&order.phone, &site.country, &site.served_countries())
            .map_err(|e| ApiError::invalid("phone", e.message(lang)))?;
    let phone = client.e164.clone();
    let ip = client_ip(&req);
    let ip_addr = ip.as_deref().and_then(|i| i.parse().ok());
    if blacklist::of_account(&db, site.account_id)
        .await?
        .refuses(&phone, ip_addr)
    {
        return Err(ApiError::Refused(
            "Sorry, we cannot call this number back.".into(),
        ));
    }
    let now = now();

    let all_departments = departments::of_account(&db, site.account_id).await?;
    let offered: Vec<i64> = s
        .departments
        .open_later(&all_departments, &s.call_center, now)
        .iter()
        .map(|d| d.id)
        .collect();
    let department_id = s
        .departments
        .resolve(&offered, order.department)
        .map_err(|e| ApiError::invalid("department", e.to_string()))?;
    let department = department_id.and_then(|id| all_departments.iter().find(|d| d.id == id));
    let mut schedules: Vec<&Schedule> = vec![&s.call_center];
    if let Some(d) = department {
        schedules.push(&d.schedule);
    }
    let open_now = schedules.iter().all(|sc| sc.is_open(now));
    let when = match order.when {
        OrderWhen::Now => When::Now,
        OrderWhen::At(at) => {
            if !is_pickable(&schedules, now, at, SlotOptions::default()) {
                return Err(ApiError::invalid(
                    "when",
                    "that time is not available any more; pick another",
                ));
            }
            When::At(at)
        }
    };

    let mut vars: BTreeMap<String, String> = order
        .fields
        .iter()
        .map(|(k, v)| (format!("field_{k}"), v.clone()))
        .collect();
    let utm = &order.page.utm;
    for (k, v) in [
        ("utm_source", utm.source.clone()),
        ("utm_medium", utm.medium.clone()),
        ("utm_campaign", utm.campaign.clone()),
        ("page", Some(order.page.url.clone())),
        ("department", department.map(|d| d.name.clone())),
        ("name", order.name.clone()),
        ("phone", Some(phone.to_string())),
        ("extension", client.extension.clone()),
        ("widget", Some(s.name.clone())),
    ] {
        if let Some(v) = v {
            vars.insert(k.to_string(), v);
        }
    }
    let missed = s.kind == WidgetKind::MissedCall;
    let key_digit = match s.connection {
        shared::connection::ConnectionMode::KeyPress { digit, .. } => Some(digit),
        shared::connection::ConnectionMode::Auto { .. } => None,
    };
    let announce = |retry| {
        s.announcements
            .resolve(lang, open_now, missed, retry, key_digit, &vars)
            .announcement
    };
    let tags = order_tags(
        &s.tags,
        department.map(|d| d.tags.as_slice()).unwrap_or(&[]),
        open_now,
        missed,
    );
    let plan = ChainPlan {
        client: phone.to_string(),
        client_extension: client.extension.clone(),
        operators: match department {
            Some(d) => OperatorDial::single(d.number.clone()),
            None => s.forwarding.dial(),
        },
        connection: s.connection,
        call_center: match department {
            // Calls of a department happen when both it and the call center work.
            Some(d)
                if d.schedule.hours != s.call_center.hours
                    || d.schedule.zone != s.call_center.zone =>
            {
                Schedule {
                    zone: s.call_center.zone.clone(),
                    hours: intersect_in_zone(&s.call_center, &d.schedule),
                }
            }
            _ => s.call_center.clone(),
        },
        deferred: s.deferred,
        placed_at: now,
        when,
        retries: s.retries.clone(),
        extra: s.extra_attempt,
        announcement: announce(false),
        retry_announcement: announce(true),
        tags: tags.clone(),
        notifications: s.notifications.clone(),
        notify: NotifyContext {
            site: site.domain.clone(),
            widget: s.name.clone(),
            department: department.map(|d| d.name.clone()),
            client: phone.to_string(),
            client_extension: client.extension.clone(),
            zone: s.call_center.zone.clone(),
            lang,
        },
        missed_call: missed,
    };
    let chain = Chain::new(plan.clone());
    let first_call = chain.first_call_at();
    let promise = if first_call <= now + Duration::seconds(5) {
        CallPromise::Soon {
            in_secs: u32::from(s.appearance.timer.start_secs),
        }
    } else {
        CallPromise::At { at: first_call }
    };
    let order_id = crypto::id()?;
    let token = crypto::token()?;
    let answer = OrderAnswer {
        order_id: order_id.clone(),
        token: token.clone(),
        promise,
    };
    let answer_json = serde_json::to_string(&answer).expect("serializes");
    let fields_json = serde_json::to_string(&order.fields).expect("serializes");
    let plan_json = serde_json::to_string(&plan).expect("serializes");
    let base_url = crate::origin_of(&req)?;
    // Locally every browser of the machine shares 127.0.0.1: a developer clicking through the
    // demo, or the browser tests, are not limited by address (the tests of the limit itself
    // name their addresses with X-Ringback-Dev-Ip).
    let this_machine =
        cfg!(feature = "local-dev") && matches!(ip.as_deref(), Some("127.0.0.1" | "::1"));
    let ip_group = ip
        .as_deref()
        .filter(|_| !this_machine)
        .and_then(shared::limits::ip_group);
    let counted = Counted {
        phone: phone.as_str(),
        account_id: site.account_id,
        site_id: site.id,
        ip_group: ip_group.as_deref(),
        caps: site.caps(),
        rings_at: first_call,
    };
    let order_values = vec![
        text(&order_id),
        int(site.account_id),
        int(site.id),
        int(widget.id),
        text(&s.name),
        opt_int(department.map(|d| d.id)),
        opt_text(department.map(|d| d.name.as_str())),
        text(phone.as_str()),
        opt_text(
            order
                .name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty()),
        ),
        text("scheduled"),
        text(&ts(first_call)),
        int(i64::from(open_now)),
        text(&order.page.url),
        opt_text(order.page.referrer.as_deref()),
        opt_text(utm.source.as_deref()),
        opt_text(utm.medium.as_deref()),
        opt_text(utm.campaign.as_deref()),
        opt_int(order.page.seconds_on_site.map(i64::from)),
        text(&fields_json),
        opt_text(ip.as_deref()),
        text(&crypto::sha256_hex(&token)),
        text(order.idempotency_key.trim()),
        text(&answer_json),
        text(&plan_json),
        text(&ts(now)),
        text(&base_url),
        opt_text(client.extension.as_deref()),
        opt_text(ip_group.as_deref()),
    ];
    let counted_from = order_values.len() + 1;
    let mut batch = vec![db::bind(
        db.prepare(format!(
            "INSERT INTO orders (id, account_id, site_id, widget_id, widget_name, department_id, \
             department_name, phone, name, status, call_at, working_hours, page_url, referrer, \
             utm_source, utm_medium, utm_campaign, seconds_on_site, fields, ip, token_hash, \
             idempotency_key, answer, plan, created_at, callback_base, extension, ip_group) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, \
             ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28{}",
            limits::order_insert_condition(counted_from)
        )),
        &[order_values, counted.params(now)].concat(),
    )?];
    // The first ring is claimed with the order, for when it is due; later attempts claim
    // theirs when they are due.
    batch.push(db::bind(
        db.prepare(
            "INSERT OR IGNORE INTO client_rings (order_id, attempt, account_id, phone, at) \
             SELECT id, 1, account_id, phone, call_at FROM orders WHERE id = ?1",
        ),
        &[text(&order_id)],
    )?);
    for tag in &tags {
        batch.push(db::bind(
            db.prepare("INSERT OR IGNORE INTO tags (account_id, name) VALUES (?1, ?2)"),
            &[int(site.account_id), text(tag)],
        )?);
        batch.push(db::bind(
            db.prepare(
                "INSERT OR IGNORE INTO order_tags (order_id, tag_id) \
                 SELECT o.id, t.id FROM orders o JOIN tags t ON t.account_id = o.account_id \
                 WHERE o.id = ?1 AND t.name = ?2",
            ),
            &[text(&order_id), text(tag)],
        )?);
    }
    let stored = match db.batch(batch).await {
        Ok(results) => {
            results
                .first()
                .and_then(|r| r.meta().ok().flatten())
                .and_then(|m| m.changes)
                .unwrap_or(0)
                > 0
        }
        Err(e) => {
            // The same key sent twice at once: the other request stored it; answer as it did.
            if let Some(answer) =
                existing_answer(&db, site.id, order.idempotency_key.trim()).await?
            {
                return answered(&req, &site, 200, &answer);
            }
            return Err(e.into());
        }
    };
    if !stored {
        // A limit was reached: nothing is stored, nothing will be dialed.
        let hit = limits::refusal(&db, &counted, now).await?;
        return Err(ApiError::RateLimited {
            message: hit.message(lang),
            retry_after: hit.retry_after_secs(),
        });
    }
    // The order is stored: from here on it is never lost. Its chain starts now; should that
    // fail, the minute cron ([`crate::chains::sweep`]) starts it.
    let start = crate::chains::Start {
        order_id,
        account_id: site.account_id,
        plan,
        base_url,
        provider: site.provider(),
    };
    if let Err(e) = crate::chains::start(&ctx.env, &start).await {
        worker::console_error!(
            "order {}: chain not started yet: {}",
            start.order_id,
            shared::redact::redact(&format!("{e:?}"))
        );
    }
    answered(&req, &site, 201, &answer)
}

/// A schedule on when both `a` and `b` work, on `a`'s clock (by the hour, at this week's
/// offsets).
fn intersect_in_zone(a: &Schedule, b: &Schedule) -> shared::schedule::WeekGrid {
    shared::conflicts::schedule_overlap(a, b, now())
}

fn answered(req: &Request, site: &PublicSite, status: u16, answer: &OrderAnswer) -> ApiResult {
    let mut response = json(status, answer)?;
    allow_site_origin(&mut response, req, &site.domain)?;
    Ok(response)
}

#[derive(Deserialize)]
struct StatusRow {
    status: String,
    status_reason: Option<String>,
    call_at: String,
    token_hash: String,
    attempts: i64,
}

#[derive(Deserialize)]
struct TokenQuery {
    token: String,
}

/// `GET /api/v1/orders/{id}?token=...`: readable only with the order's token.
pub async fn status(req: Request, ctx: Ctx) -> ApiResult {
    let id = ctx.param("id").cloned().ok_or(ApiError::NotFound)?;
    let q: TokenQuery = crate::http::query(&req)
        .map_err(|_| ApiError::bad_request("the order's `token` is required"))?;
    let db = db::db(&ctx.env)?;
    let row: StatusRow = db::first(
        &db,
        "SELECT o.status, o.status_reason, o.call_at, o.token_hash, \
         (SELECT COUNT(*) FROM call_attempts a WHERE a.order_id = o.id) AS attempts \
         FROM orders o WHERE o.id = ?1",
        &[text(&id)],
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    if !crypto::same(&crypto::sha256_hex(&q.token), &row.token_hash) {
        return Err(ApiError::NotFound);
    }
    let status = match row.status.as_str() {
        "scheduled" => OrderStatus::Scheduled {
            at: db::parse_ts(&row.call_at)?,
        },
        "calling" => OrderStatus::Calling {
            attempt: row.attempts.max(1) as u32,
        },
        "success" => OrderStatus::Finished { success: true },
        "failed" => OrderStatus::Finished { success: false },
        _ => OrderStatus::Cancelled {
            reason: row.status_reason.unwrap_or_default(),
        },
    };
    let mut response = json(200, &status)?;
    allow_any_origin(&mut response)?;
    Ok(response)
}
