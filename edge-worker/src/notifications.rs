//! Notifications (SPEC §4) and outgoing webhooks (SPEC §5), as the chains decide them
//! ([`shared::notify::messages`]): emails through the Workers `send_email` binding, SMS through
//! the account's provider messaging API, and signed JSON posts to the account's webhook URL.
//!
//! Each message is a row of `notifications` keyed by the chain job that sent it, written
//! before sending: a job repeated after a restart finds it `sent` and sends nothing twice.
//!
//! A webhook is signed ([`shared::webhook`]), names its event and delivery
//! (`X-Ringback-Event`, `X-Ringback-Delivery`), goes only to an https address, and is tried
//! again for 24 hours while it fails (the chain's outbox keeps the job; the row says how often
//! it was tried and when it is tried next). `POST /api/cabinet/orders/{id}/webhooks/{delivery}/resend`
//! ([`resend`]) posts a recorded event again at once, as a new delivery.

use crate::auth::{require, Access};
use crate::db::{self, int, text, ts};
use crate::error::{ApiError, ApiResult};
use crate::telephony::{self, Adapter, Failure, Telephony};
use crate::{now, Ctx};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use shared::cabinet_api::NotificationView;
use shared::notify::{Channel, Message};
use shared::telephony::{TelephonySettings, WebhookEvent};
use shared::webhook;
use worker::{D1Database, Env, Request, SendEmailBuilder};

/// The `send_email` binding in `wrangler.toml`.
const EMAIL_BINDING: &str = "EMAIL";
/// The sender when `RINGBACK_EMAIL_FROM` is not set.
const DEFAULT_FROM: &str = "calls@ringback.dev";

#[derive(Deserialize)]
struct StatusRow {
    status: String,
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Failure::Transient(format!("{e:?}"))
    }
}

/// Writes the row if it is new; whether this message still has to go out.
async fn claim(
    db: &D1Database,
    id: &str,
    order_id: &str,
    channel: &str,
    recipients: &str,
    subject: &str,
    body: &str,
) -> Result<bool, ApiError> {
    db::run(
        db,
        "INSERT OR IGNORE INTO notifications (id, order_id, channel, recipients, subject, body, \
         status, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7)",
        &[
            text(id),
            text(order_id),
            text(channel),
            text(recipients),
            text(subject),
            text(body),
            text(&ts(now())),
        ],
    )
    .await?;
    let row: Option<StatusRow> = db::first(
        db,
        "SELECT status FROM notifications WHERE id = ?1",
        &[text(id)],
    )
    .await?;
    Ok(row.is_some_and(|r| r.status != "sent"))
}

/// When a failed try is tried again.
#[derive(Debug, Clone, Copy)]
enum Again {
    /// At some point (the chain's outbox decides).
    Later,
    /// At this time.
    At(DateTime<Utc>),
    /// Never: this was the last try.
    Never,
}

/// Records a try's result: sent; pending (a transient failure tried again); or failed.
async fn mark(
    db: &D1Database,
    id: &str,
    result: &Result<(), Failure>,
    again: Again,
) -> Result<(), ApiError> {
    let (status, error, next) = match (result, again) {
        (Ok(()), _) => ("sent", None, None),
        (Err(Failure::Transient(m)), Again::Later) => ("pending", Some(m.clone()), None),
        (Err(Failure::Transient(m)), Again::At(at)) => ("pending", Some(m.clone()), Some(at)),
        (Err(Failure::Transient(m)), Again::Never) | (Err(Failure::Permanent(m)), _) => {
            ("failed", Some(m.clone()), None)
        }
    };
    db::run(
        db,
        "UPDATE notifications SET status = ?1, error = ?2, sent_at = ?3, tries = tries + 1, \
         next_at = ?4 WHERE id = ?5",
        &[
            text(status),
            db::opt_text(error.as_deref()),
            text(&ts(now())),
            db::opt_text(next.map(ts).as_deref()),
            text(id),
        ],
    )
    .await?;
    Ok(())
}

/// Sends an email or SMS of a chain, once per `id`.
pub async fn send(
    env: &Env,
    db: &D1Database,
    account_id: i64,
    order_id: &str,
    id: &str,
    m: &Message,
) -> Result<(), Failure> {
    let channel = match m.channel {
        Channel::Email => "email",
        Channel::Sms => "sms",
    };
    if !claim(
        db,
        id,
        order_id,
        channel,
        &m.to.join(", "),
        &m.subject,
        &m.body,
    )
    .await?
    {
        return Ok(());
    }
    let result = match m.channel {
        Channel::Email => email(env, m).await,
        Channel::Sms => sms(db, account_id, m).await,
    };
    mark(db, id, &result, Again::Later).await?;
    result
}

async fn email(env: &Env, m: &Message) -> Result<(), Failure> {
    email_to(env, &m.to, &m.subject, &m.body).await
}

/// Sends one plain-text email through the `send_email` binding (chains' notifications, and the
/// cabinet's sign-up emails).
pub async fn email_to(env: &Env, to: &[String], subject: &str, body: &str) -> Result<(), Failure> {
    let from = env
        .var("RINGBACK_EMAIL_FROM")
        .map(|v| v.to_string())
        .unwrap_or_else(|_| DEFAULT_FROM.to_string());
    let binding = env
        .send_email(EMAIL_BINDING)
        .map_err(|e| Failure::Permanent(format!("no email binding: {e}")))?;
    let builder = SendEmailBuilder::builder_with_str_and_slice(&from, to, subject)
        .text(body)
        .build();
    binding
        .send_with_builder(&builder)
        .await
        .map(|_| ())
        .map_err(|e| Failure::Transient(format!("email: {e:?}")))
}

async fn sms(db: &D1Database, account_id: i64, m: &Message) -> Result<(), Failure> {
    let settings = telephony::settings(db, account_id)
        .await?
        .ok_or_else(|| Failure::Permanent("the account has no telephony for SMS".into()))?;
    let adapter = Adapter::of(settings);
    for to in &m.to {
        adapter.send_sms(to, &m.body).await?;
    }
    Ok(())
}

/// One try of a chain's webhook delivery.
pub struct Delivery<'a> {
    /// The delivery's id (`X-Ringback-Delivery`), the same on every try.
    pub id: &'a str,
    /// Which try this is (1 is the first).
    pub tries: u32,
    /// When it is tried again if this try fails; `None`: this is the last.
    pub next: Option<DateTime<Utc>>,
}

/// Posts an outgoing webhook, until it is sent once, if the account has a webhook URL. Any
/// failure of the receiver (no answer in 10 s, anything but a 2xx) is transient: tried again
/// on the chain's schedule; an address Ringback refuses to post to fails at once.
pub async fn webhook(
    db: &D1Database,
    account_id: i64,
    order_id: &str,
    d: &Delivery<'_>,
    event: &WebhookEvent,
) -> Result<(), Failure> {
    let settings = telephony::settings(db, account_id)
        .await?
        .filter(|s| !s.webhook_url.is_empty());
    let Some(settings) = settings else {
        if d.tries == 1 {
            return Ok(());
        }
        // Nowhere to post any more: the delivery still pending stops here.
        db::run(
            db,
            "UPDATE notifications SET status = 'failed', next_at = NULL, \
             error = 'the account no longer has a webhook address' \
             WHERE id = ?1 AND status = 'pending'",
            &[text(d.id)],
        )
        .await?;
        return Ok(());
    };
    let body = serde_json::to_string(event).expect("serializes");
    let claimed = claim(
        db,
        d.id,
        order_id,
        "webhook",
        &settings.webhook_url,
        &event.event,
        &body,
    )
    .await?;
    if !claimed {
        return Ok(());
    }
    let result = deliver(&settings, d.id, &event.event, &body).await;
    let again = match (&result, d.next) {
        (Err(Failure::Transient(_)), Some(at)) => Again::At(at),
        _ => Again::Never,
    };
    let recorded = match (result, again) {
        (Err(Failure::Transient(m)), Again::Never) => Err(Failure::Transient(format!(
            "gave up after {} tries in 24 hours: {m}",
            d.tries
        ))),
        (r, _) => r,
    };
    mark(db, d.id, &recorded, again).await?;
    recorded
}

/// One signed POST of a webhook's `body` to the account's receiver.
async fn deliver(
    settings: &TelephonySettings,
    id: &str,
    event: &str,
    body: &str,
) -> Result<(), Failure> {
    // An address Ringback does not post to (stored before the https rule): no try will do.
    webhook::check_url(&settings.webhook_url, cfg!(feature = "local-dev")).map_err(|m| {
        Failure::Permanent(format!("the webhook address {} {m}", settings.webhook_url))
    })?;
    let headers = [
        (webhook::EVENT_HEADER, event),
        (webhook::DELIVERY_HEADER, id),
    ];
    match telephony::post_signed(
        &settings.webhook_url,
        &settings.webhook_secret,
        body,
        &headers,
    )
    .await
    {
        Ok(_) => Ok(()),
        // Whatever the receiver answered, it may answer better later.
        Err(Failure::Permanent(m)) | Err(Failure::Transient(m)) => Err(Failure::Transient(m)),
    }
}

#[derive(Deserialize)]
struct DeliveryRow {
    id: String,
    order_id: String,
    channel: String,
    subject: String,
    body: String,
}

/// The row as the cabinet sees it.
#[derive(Deserialize)]
pub struct NotificationRow {
    id: String,
    channel: String,
    recipients: String,
    subject: String,
    body: String,
    status: String,
    error: Option<String>,
    #[serde(default)]
    tries: i64,
    next_at: Option<String>,
    created_at: String,
}

/// The columns of a [`NotificationRow`].
pub const VIEW_COLUMNS: &str =
    "id, channel, recipients, subject, body, status, error, tries, next_at, created_at";

impl NotificationRow {
    /// The cabinet's view of the row.
    pub fn view(self) -> Result<NotificationView, ApiError> {
        Ok(NotificationView {
            id: self.id,
            channel: self.channel,
            recipients: self.recipients,
            subject: self.subject,
            body: self.body,
            status: self.status,
            error: self.error,
            tries: u32::try_from(self.tries).unwrap_or_default(),
            next_try_at: self.next_at.as_deref().map(db::parse_ts).transpose()?,
            created_at: db::parse_ts(&self.created_at)?,
        })
    }
}

/// `POST /api/cabinet/orders/{id}/webhooks/{delivery}/resend` ("send again"): posts the
/// recorded event of one of the order's webhook deliveries again, now, to the account's
/// current webhook address, as a new delivery (a new `X-Ringback-Delivery`, a fresh
/// signature), once; answers 201 with the new delivery and how it went. 404 for another
/// account's order or a delivery that is not a webhook; 409 without a webhook address.
pub async fn resend(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let order_id = ctx.param("id").ok_or(ApiError::NotFound)?;
    let delivery = ctx.param("delivery").ok_or(ApiError::NotFound)?;
    let row: DeliveryRow = db::first::<DeliveryRow>(
        &db,
        "SELECT n.id, n.order_id, n.channel, n.subject, n.body FROM notifications n \
         JOIN orders o ON o.id = n.order_id \
         WHERE n.id = ?1 AND n.order_id = ?2 AND o.account_id = ?3",
        &[text(delivery), text(order_id), int(user.account_id)],
    )
    .await?
    .filter(|r| r.channel == "webhook")
    .ok_or(ApiError::NotFound)?;
    let settings = telephony::settings(&db, user.account_id)
        .await?
        .filter(|s| !s.webhook_url.is_empty())
        .ok_or_else(|| {
            ApiError::Conflict(
                "The account has no webhook address: set one under Telephony first.".into(),
            )
        })?;
    // Every "send again" is a delivery of its own: `<first delivery>~<random>`.
    let first = row.id.split('~').next().unwrap_or(&row.id);
    let suffix: String = crate::crypto::id()?.chars().take(10).collect();
    let id = format!("{first}~{suffix}");
    claim(
        &db,
        &id,
        &row.order_id,
        "webhook",
        &settings.webhook_url,
        &row.subject,
        &row.body,
    )
    .await?;
    let result = deliver(&settings, &id, &row.subject, &row.body).await;
    mark(&db, &id, &result, Again::Never).await?;
    let now = now();
    db::audit(
        &db,
        user.account_id,
        user.user_id,
        "webhook.resend",
        &id,
        now,
    )
    .await?;
    let sql = format!("SELECT {VIEW_COLUMNS} FROM notifications WHERE id = ?1");
    let view: NotificationRow = db::first(&db, &sql, &[text(&id)])
        .await?
        .ok_or_else(|| ApiError::Internal(format!("delivery {id} vanished")))?;
    crate::http::json(201, &view.view()?)
}
