//! Telephony: each account's provider settings (`GET`/`PUT /api/cabinet/telephony`, secrets
//! never returned) and the adapters that place calls, behind the [`Telephony`] trait:
//!
//! - [`Twilio`]: the Twilio-compatible voice REST API (form-encoded, Basic auth, configurable
//!   base URL), one call per operator number; the provider then fetches TwiML from
//!   [`crate::callbacks`];
//! - [`Pbx`]: the generic webhook: a signed JSON [`PbxRequest`] to the customer's PBX, which
//!   reports back to [`crate::callbacks`] with signed [`shared::telephony::PbxEvent`]s.
//!
//! Every request has a time-out and follows no redirect; failures say whether trying again
//! may help.

use crate::auth::{require, Access};
use crate::db::{self, int, text, ts};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, json_body};
use crate::{now, origin_of, Ctx};
use base64::Engine;
use serde::Deserialize;
use shared::forwarding::OperatorDial;
use shared::telephony::{PbxRequest, Provider, TelephonySettings, TelephonyUpdate};
use shared::webhook::{self, Signed};
use worker::{
    AbortSignal, D1Database, Fetch, Headers, Method, Request, RequestInit, RequestRedirect,
    Response, Url,
};

/// How long a provider may take to answer one request.
const REQUEST_TIMEOUT_MS: u32 = 10_000;

/// The inbound-call notification endpoint of a Twilio-compatible provider.
pub const TWILIO_INBOUND_PATH: &str = "/api/telephony/twilio/inbound";

#[derive(Deserialize)]
struct Row {
    settings: String,
}

/// The account's telephony, if it set one up.
pub async fn settings(
    db: &D1Database,
    account_id: i64,
) -> Result<Option<TelephonySettings>, ApiError> {
    let row: Option<Row> = db::first(
        db,
        "SELECT settings FROM telephony WHERE account_id = ?1",
        &[int(account_id)],
    )
    .await?;
    row.map(|r| {
        serde_json::from_str(&r.settings)
            .map_err(|e| ApiError::Internal(format!("telephony of account {account_id}: {e}")))
    })
    .transpose()
}

/// The provider of stored settings (JSON); a Twilio-compatible one when none are set.
pub fn provider_of(settings: Option<&str>) -> Provider {
    settings
        .and_then(|t| serde_json::from_str::<TelephonySettings>(t).ok())
        .map(|t| t.provider)
        .unwrap_or_default()
}

#[derive(Deserialize)]
struct AccountRow {
    account_id: i64,
    settings: String,
}

/// The account whose provider account is `account_sid`, with its settings.
pub async fn by_account_sid(
    db: &D1Database,
    account_sid: &str,
) -> Result<Vec<(i64, TelephonySettings)>, ApiError> {
    let rows: Vec<AccountRow> = db::all(
        db,
        "SELECT account_id, settings FROM telephony WHERE account_sid = ?1",
        &[text(account_sid)],
    )
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((r.account_id, serde_json::from_str(&r.settings).ok()?)))
        .collect())
}

/// `GET /api/cabinet/telephony`.
pub async fn get(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Read).await?;
    let stored = settings(&db, user.account_id).await?.unwrap_or_default();
    let inbound = format!("{}{TWILIO_INBOUND_PATH}", origin_of(&req)?);
    json(200, &stored.view(inbound))
}

/// `PUT /api/cabinet/telephony`: every problem at once; secrets left out stay as they were.
pub async fn update(mut req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let update: TelephonyUpdate = json_body(&mut req).await?;
    let next = settings(&db, user.account_id)
        .await?
        .unwrap_or_default()
        .updated(update);
    let mut problems = shared::validation::Problems::new();
    next.validate(&mut problems, cfg!(feature = "local-dev"));
    problems.finish()?;
    let now = now();
    db::run(
        &db,
        "INSERT INTO telephony (account_id, settings, account_sid, updated_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (account_id) DO UPDATE SET settings = excluded.settings, \
         account_sid = excluded.account_sid, updated_at = excluded.updated_at",
        &[
            int(user.account_id),
            text(&serde_json::to_string(&next).expect("serializes")),
            text(&next.account_sid),
            text(&ts(now)),
        ],
    )
    .await?;
    db::audit(
        &db,
        user.account_id,
        user.user_id,
        "telephony.update",
        "telephony",
        now,
    )
    .await?;
    let inbound = format!("{}{TWILIO_INBOUND_PATH}", origin_of(&req)?);
    json(200, &next.view(inbound))
}

/// Why a provider request failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Time-out, network trouble, 5xx or 429: trying again later may work.
    Transient(String),
    /// The provider refused (4xx), or nothing is set up: trying again will not help.
    Permanent(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Transient(m) => write!(f, "{m} (will retry)"),
            Failure::Permanent(m) => f.write_str(m),
        }
    }
}

/// One call to create: an operator leg (Twilio) or a whole attempt (PBX).
pub struct DialRequest<'a> {
    /// The order.
    pub order_id: &'a str,
    /// The attempt's number in the chain.
    pub attempt: u32,
    /// The operator leg (Twilio: one call per number).
    pub leg: usize,
    /// The leg's number.
    pub number: &'a str,
    /// How long the leg may ring.
    pub ring_secs: u32,
    /// The whole operator group (PBX).
    pub operators: &'a OperatorDial,
    /// The client's number.
    pub client: &'a str,
    /// The client's extension, told to the operator, never dialed.
    pub client_extension: Option<&'a str>,
    /// The worker's public origin, for callback URLs.
    pub base_url: &'a str,
}

impl DialRequest<'_> {
    /// The callback URL of this leg for `what` (answer, status, gather, dial, client).
    pub fn twilio_url(&self, what: &str) -> String {
        twilio_callback(self.base_url, self.order_id, self.attempt, self.leg, what)
    }

    /// The idempotency key: a dial repeated after a restart creates no second call where the
    /// provider honours it (the simulator does; Twilio ignores unknown parameters).
    pub fn key(&self) -> String {
        format!("{}-{}-{}", self.order_id, self.attempt, self.leg)
    }
}

/// A Twilio-compatible callback URL.
pub fn twilio_callback(base: &str, order: &str, attempt: u32, leg: usize, what: &str) -> String {
    format!("{base}/api/telephony/twilio/{order}/{attempt}/{leg}/{what}")
}

/// The PBX's callback URL of an attempt.
pub fn pbx_callback(base: &str, order: &str, attempt: u32) -> String {
    format!("{base}/api/telephony/pbx/{order}/{attempt}")
}

/// What every telephony provider does for a chain.
#[allow(async_fn_in_trait)]
pub trait Telephony {
    /// Starts ringing; returns the provider's id of the call.
    async fn dial(&self, d: &DialRequest<'_>) -> Result<String, Failure>;
    /// Ends a call (cancels it while it rings).
    async fn end(&self, order_id: &str, attempt: u32, sid: &str) -> Result<(), Failure>;
    /// Sends an SMS.
    async fn send_sms(&self, to: &str, body: &str) -> Result<(), Failure>;
}

/// The adapter for an account's settings.
pub enum Adapter {
    /// A Twilio-compatible provider.
    Twilio(Twilio),
    /// The customer's PBX.
    Pbx(Pbx),
}

impl Adapter {
    /// The adapter of `settings`.
    pub fn of(settings: TelephonySettings) -> Adapter {
        match settings.provider {
            Provider::Twilio => Adapter::Twilio(Twilio { s: settings }),
            Provider::Webhook => Adapter::Pbx(Pbx { s: settings }),
        }
    }
}

impl Telephony for Adapter {
    async fn dial(&self, d: &DialRequest<'_>) -> Result<String, Failure> {
        match self {
            Adapter::Twilio(t) => t.dial(d).await,
            Adapter::Pbx(p) => p.dial(d).await,
        }
    }

    async fn end(&self, order_id: &str, attempt: u32, sid: &str) -> Result<(), Failure> {
        match self {
            Adapter::Twilio(t) => t.end(order_id, attempt, sid).await,
            Adapter::Pbx(p) => p.end(order_id, attempt, sid).await,
        }
    }

    async fn send_sms(&self, to: &str, body: &str) -> Result<(), Failure> {
        match self {
            Adapter::Twilio(t) => t.send_sms(to, body).await,
            Adapter::Pbx(p) => p.send_sms(to, body).await,
        }
    }
}

/// Sends one request with a time-out; the answer's status and body.
pub async fn send(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<String>,
) -> Result<(u16, String), Failure> {
    let h = Headers::new();
    for (k, v) in headers {
        h.set(k, v)
            .map_err(|e| Failure::Permanent(format!("header {k}: {e}")))?;
    }
    let mut init = RequestInit::new();
    // A redirect could lead a signed request, or an http one, anywhere: it counts as a failure.
    init.with_method(method)
        .with_headers(h)
        .with_redirect(RequestRedirect::Manual);
    if let Some(b) = body {
        init.with_body(Some(b.into()));
    }
    let req = Request::new_with_init(url, &init)
        .map_err(|e| Failure::Permanent(format!("{url}: {e}")))?;
    let signal = web_sys::AbortSignal::timeout_with_u32(REQUEST_TIMEOUT_MS);
    let mut res = Fetch::Request(req)
        .send_with_signal(&AbortSignal::from(signal))
        .await
        .map_err(|e| Failure::Transient(format!("{url}: {e}")))?;
    let status = res.status_code();
    let text = answer_text(&mut res).await;
    // A failure's words go to the journal and the log: a short excerpt is enough.
    let excerpt: String = text.chars().take(MAX_ERROR_EXCERPT).collect();
    match status {
        200..=299 => Ok((status, text)),
        429 | 500..=599 => Err(Failure::Transient(format!(
            "{url} answered {status}: {excerpt}"
        ))),
        _ => Err(Failure::Permanent(format!(
            "{url} answered {status}: {excerpt}"
        ))),
    }
}

/// The most of an answer read: a provider's JSON is a few KB; a customer's PBX or webhook
/// receiver may answer anything, and the rest is never read.
const MAX_ANSWER: usize = 64 * 1024;
/// Characters of a failed answer kept in its error.
const MAX_ERROR_EXCERPT: usize = 1024;

/// Up to [`MAX_ANSWER`] bytes of `res`'s body, as text.
async fn answer_text(res: &mut Response) -> String {
    use futures_util::StreamExt;
    let Ok(mut stream) = res.stream() else {
        // Not a stream: already in memory, and an empty or small body.
        return res.text().await.unwrap_or_default();
    };
    let mut bytes = Vec::new();
    while let Some(Ok(chunk)) = stream.next().await {
        bytes.extend_from_slice(&chunk);
        if bytes.len() >= MAX_ANSWER {
            bytes.truncate(MAX_ANSWER);
            break;
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn form(params: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(params).unwrap_or_default()
}

/// The Twilio-compatible voice API.
pub struct Twilio {
    s: TelephonySettings,
}

impl Twilio {
    fn auth(&self) -> String {
        let pair = format!("{}:{}", self.s.account_sid, self.s.auth_token);
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        )
    }

    fn url(&self, path: &str) -> String {
        format!(
            "{}/2010-04-01/Accounts/{}/{path}",
            self.s.base_url, self.s.account_sid
        )
    }

    async fn post(&self, path: &str, params: &[(&str, &str)]) -> Result<String, Failure> {
        let auth = self.auth();
        let (_, body) = send(
            Method::Post,
            &self.url(path),
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            Some(form(params)),
        )
        .await?;
        Ok(body)
    }
}

#[derive(Deserialize)]
struct Created {
    sid: String,
}

impl Telephony for Twilio {
    async fn dial(&self, d: &DialRequest<'_>) -> Result<String, Failure> {
        let (answer, status, key) = (d.twilio_url("answer"), d.twilio_url("status"), d.key());
        let timeout = d.ring_secs.to_string();
        let body = self
            .post(
                "Calls.json",
                &[
                    ("To", d.number),
                    ("From", &self.s.from),
                    ("Url", &answer),
                    ("Method", "POST"),
                    ("StatusCallback", &status),
                    ("StatusCallbackMethod", "POST"),
                    ("Timeout", &timeout),
                    ("RingbackKey", &key),
                ],
            )
            .await?;
        serde_json::from_str::<Created>(&body)
            .map(|c| c.sid)
            .map_err(|e| Failure::Permanent(format!("the provider's answer has no call sid: {e}")))
    }

    async fn end(&self, _order_id: &str, _attempt: u32, sid: &str) -> Result<(), Failure> {
        self.post(&format!("Calls/{sid}.json"), &[("Status", "completed")])
            .await
            .map(|_| ())
    }

    async fn send_sms(&self, to: &str, body: &str) -> Result<(), Failure> {
        self.post(
            "Messages.json",
            &[("To", to), ("From", &self.s.from), ("Body", body)],
        )
        .await
        .map(|_| ())
    }
}

/// The customer's own PBX, through signed JSON webhooks.
pub struct Pbx {
    s: TelephonySettings,
}

/// Posts `body` as JSON to `url` with `headers`, signed with `secret` now
/// ([`shared::webhook::sign`]: `X-Ringback-Signature: t=…, v1=…` over the time, `POST`, the
/// URL's path and query, and the body). Only to an address [`shared::webhook::check_url`]
/// accepts: settings stored before that rule are refused here too.
pub async fn post_signed(
    url: &str,
    secret: &str,
    body: &str,
    headers: &[(&str, &str)],
) -> Result<String, Failure> {
    let parsed: Url = webhook::check_url(url, cfg!(feature = "local-dev"))
        .map_err(|m| Failure::Permanent(format!("the address {url} {m}")))?;
    let signed = Signed {
        method: "POST",
        path: &webhook::signed_path(&parsed),
        body: body.as_bytes(),
    };
    let signature = webhook::sign(secret, crate::now().timestamp(), &signed);
    let mut all = vec![
        ("Content-Type", "application/json"),
        (webhook::SIGNATURE_HEADER, signature.as_str()),
    ];
    all.extend_from_slice(headers);
    send(Method::Post, parsed.as_str(), &all, Some(body.to_string()))
        .await
        .map(|(_, b)| b)
}

impl Telephony for Pbx {
    async fn dial(&self, d: &DialRequest<'_>) -> Result<String, Failure> {
        let request = PbxRequest::Dial {
            order_id: d.order_id.to_string(),
            attempt: d.attempt,
            operators: d.operators.clone(),
            client: d.client.to_string(),
            client_extension: d.client_extension.map(str::to_string),
            callback_url: pbx_callback(d.base_url, d.order_id, d.attempt),
        };
        let body = serde_json::to_string(&request).expect("serializes");
        post_signed(&self.s.pbx_url, &self.s.pbx_secret, &body, &[]).await?;
        Ok(d.key())
    }

    async fn end(&self, order_id: &str, attempt: u32, _sid: &str) -> Result<(), Failure> {
        let request = PbxRequest::HangUp {
            order_id: order_id.to_string(),
            attempt,
        };
        let body = serde_json::to_string(&request).expect("serializes");
        post_signed(&self.s.pbx_url, &self.s.pbx_secret, &body, &[])
            .await
            .map(|_| ())
    }

    async fn send_sms(&self, _to: &str, _body: &str) -> Result<(), Failure> {
        Err(Failure::Permanent(
            "SMS needs a Twilio-compatible provider; this account calls through its own PBX".into(),
        ))
    }
}
