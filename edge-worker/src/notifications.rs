//! Notifications (SPEC §4) and outgoing webhooks (SPEC §5), as the chains decide them
//! ([`shared::notify::messages`]): emails through the Workers `send_email` binding, SMS through
//! the account's provider messaging API, and signed JSON posts to the account's webhook URL.
//!
//! Each message is a row of `notifications` keyed by the chain job that sent it, written
//! before sending: a job repeated after a restart finds it `sent` and sends nothing twice.

use crate::db::{self, text, ts};
use crate::error::ApiError;
use crate::now;
use crate::telephony::{self, Adapter, Failure, Telephony};
use serde::Deserialize;
use shared::notify::{Channel, Message};
use shared::telephony::WebhookEvent;
use worker::{D1Database, Env, SendEmailBuilder};

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

async fn mark(db: &D1Database, id: &str, result: &Result<(), Failure>) -> Result<(), ApiError> {
    let (status, error) = match result {
        Ok(()) => ("sent", None),
        Err(Failure::Transient(m)) => ("pending", Some(m.clone())),
        Err(Failure::Permanent(m)) => ("failed", Some(m.clone())),
    };
    db::run(
        db,
        "UPDATE notifications SET status = ?1, error = ?2, sent_at = ?3 WHERE id = ?4",
        &[
            text(status),
            db::opt_text(error.as_deref()),
            text(&ts(now())),
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
    mark(db, id, &result).await?;
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

/// Posts an outgoing webhook, once per `id`, if the account has a webhook URL.
pub async fn webhook(
    db: &D1Database,
    account_id: i64,
    order_id: &str,
    id: &str,
    event: &WebhookEvent,
) -> Result<(), Failure> {
    let Some(settings) = telephony::settings(db, account_id).await? else {
        return Ok(());
    };
    if settings.webhook_url.is_empty() {
        return Ok(());
    }
    let body = serde_json::to_string(event).expect("serializes");
    if !claim(
        db,
        id,
        order_id,
        "webhook",
        &settings.webhook_url,
        &event.event,
        &body,
    )
    .await?
    {
        return Ok(());
    }
    let result = telephony::post_signed(&settings.webhook_url, &settings.webhook_secret, &body)
        .await
        .map(|_| ());
    mark(db, id, &result).await?;
    result
}
