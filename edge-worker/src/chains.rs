//! A Durable Object per call chain ([`ChainObject`]): created when an order is accepted, it
//! keeps the order's [`Chain`] (the `shared` state machine) in its storage, feeds it events
//! (the time, the provider's callbacks, a direct call, a manual re-scheduling) and runs the
//! commands it returns.
//!
//! Nothing is lost and nothing is done twice, whatever happens to the runtime:
//!
//! - every change is one storage write of the whole state, including an *outbox* of the jobs
//!   the commands call for (dial, hang up, write the journal, notify), made before any of them
//!   runs;
//! - the object's alarm is always set to the earliest of its next job and the chain's next
//!   wake-up, so after a crash or a restart the alarm resumes the work from storage;
//! - jobs are idempotent: a dial carries the key `<order>-<attempt>-<leg>` (providers that
//!   honour it create one call), journal rows are upserts, and notifications are sent once per
//!   job id (`notifications.id`);
//! - a failing provider is retried with back-off ([`retry_after_ms`]); a dial that keeps failing
//!   ends the attempt as a telephony error, which the chain re-dials with its own back-off;
//! - an outgoing webhook that fails is tried again after 1 minute, doubling to every hour, until
//!   24 hours after its event ([`shared::webhook::next_try`], in chain time); the job stays in
//!   the outbox, and the alarm with it, however long ago the chain finished.
//!
//! Under the `local-dev` feature only, `RINGBACK_CLOCK_SPEED` runs the chain's clock faster
//! ([`shared::telephony::Clock`]) so that tests see retries and slots in seconds.

use crate::db::{self, int, opt_text, text, ts};
use crate::error::ApiError;
use crate::notifications;
use crate::telephony::{self, Adapter, DialRequest, Failure, Telephony};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::attempt::AttemptRecord;
use shared::chain::{CancelReason, Chain, ChainPlan, Command, Event, JournalStatus, State};
use shared::dialing::{Action, AttemptCall};
use shared::notify::Message;
use shared::redact::redact;
use shared::telephony::{twilio_signature_valid, TelephonySettings};
use shared::telephony::{twiml, CallbackUrls, Clock, PbxAnswer, PbxEvent, Provider, WebhookEvent};
use shared::webhook::{self, Accepted, Refusal, Signed};
use std::cell::{Cell, RefCell};
use worker::{durable_object, DurableObject, Env, Method, Request, RequestInit, Response, Result};

/// The binding of the chains' namespace in `wrangler.toml`.
pub const BINDING: &str = "CHAINS";
/// Storage key of the whole state.
const KEY: &str = "chain";
/// Attempts at a provider request before it counts as failed.
const MAX_TRIES: u32 = 4;
/// Attempts at an email or SMS (a webhook is tried for 24 hours instead).
const MAX_SEND_TRIES: u32 = 8;
/// How long the operator's end is awaited after the client's result, ms of real time.
const OPERATOR_REPORT_WAIT_MS: i64 = 10_000;
/// Real-time slack added to the watchdog's alarm when the clock runs fast: the provider's
/// callbacks need real milliseconds however fast the chain's clock runs.
const FAST_CLOCK_SLACK_MS: i64 = 10_000;

/// What the order endpoint hands to a new chain.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Start {
    /// The order.
    pub order_id: String,
    /// Its account.
    pub account_id: i64,
    /// What the chain will do.
    pub plan: ChainPlan,
    /// The worker's public origin: callback URLs start with it.
    pub base_url: String,
    /// The account's telephony when the order came in.
    pub provider: Provider,
}

/// A manual re-scheduling from the journal.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reschedule {
    /// When the new attempt is due.
    pub at: DateTime<Utc>,
    /// The user who re-scheduled (their email).
    pub by: String,
}

/// A provider's callback, forwarded by [`crate::callbacks`]; the chain checks its signature
/// with the account's secret (kept in memory, so a callback costs no database read).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TwilioCallback {
    /// The form parameters.
    pub params: Vec<(String, String)>,
    /// The URL the provider called.
    pub url: String,
    /// Its `X-Twilio-Signature`.
    pub signature: Option<String>,
    /// Its `I-Twilio-Idempotency-Token`: the same on every retry of one request.
    #[serde(default)]
    pub idempotency_token: Option<String>,
}

/// A PBX's event, forwarded by [`crate::callbacks`] for the chain to check and apply.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PbxCallback {
    /// The JSON body as sent.
    pub body: String,
    /// Its `X-Ringback-Signature`.
    pub signature: Option<String>,
    /// The path (and query) it was posted to: part of what is signed.
    #[serde(default)]
    pub path: String,
}

/// TwiML answers kept for repeated callbacks.
const MAX_ANSWERS: usize = 8;
/// After the runtime (re)starts, how long the watchdog waits for callbacks the provider
/// retried while it was down before it declares a call silent, ms of real time.
const WARM_UP_MS: i64 = 15_000;
/// How long the account's telephony settings are kept in memory, ms.
const SETTINGS_TTL_MS: i64 = 60_000;

/// One piece of I/O the chain asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "work")]
enum Work {
    /// Create or end a Twilio call leg.
    Leg { attempt: u32, action: Action },
    /// Hand an attempt to the PBX.
    PbxDial { attempt: u32 },
    /// Tell the PBX to end an attempt's call.
    PbxEnd { attempt: u32 },
    /// Write an ended attempt to the journal.
    Record { attempt: AttemptRecord },
    /// Tag an attempt already written.
    Tag { attempt: u32, tag: String },
    /// Send an email or SMS.
    Notify { message: Message },
    /// Write the order's status to the journal.
    Sync { status: JournalStatus },
    /// Post an outgoing webhook.
    Webhook { event: WebhookEvent },
}

impl Work {
    /// The job in words for the log: never its numbers, message bodies or addresses.
    fn describe(&self) -> String {
        match self {
            Work::Leg { attempt, action } => match action {
                Action::Dial { leg, .. } => format!("dialing leg {leg} of attempt {attempt}"),
                Action::End { .. } => format!("ending a leg of attempt {attempt}"),
            },
            Work::PbxDial { attempt } => format!("handing attempt {attempt} to the PBX"),
            Work::PbxEnd { attempt } => format!("ending attempt {attempt} at the PBX"),
            Work::Record { attempt } => format!("writing attempt {} to the journal", attempt.n),
            Work::Tag { attempt, .. } => format!("tagging attempt {attempt}"),
            Work::Notify { message } => format!("sending a {:?} notification", message.channel),
            Work::Sync { status } => format!("writing the status {}", status.status),
            Work::Webhook { event } => format!("posting the webhook {}", event.event),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Job {
    id: u64,
    /// Real time, ms, when it may run.
    due_ms: i64,
    tries: u32,
    work: Work,
}

/// Everything the object stores, under one key so that every change is atomic.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    order_id: String,
    account_id: i64,
    base_url: String,
    provider: Provider,
    clock: Clock,
    chain: Chain,
    /// The current attempt's legs (Twilio-compatible providers).
    #[serde(default)]
    call: Option<AttemptCall>,
    #[serde(default)]
    jobs: Vec<Job>,
    #[serde(default)]
    next_job: u64,
    /// The journal status last queued.
    #[serde(default)]
    synced: Option<JournalStatus>,
    /// Real time, ms, after which the attempt ends without the operator's report.
    #[serde(default)]
    report_due_ms: Option<i64>,
    /// The last TwiML answers, by request: a callback the provider repeats (its answer was
    /// lost, e.g. the runtime restarted) gets the same answer instead of being applied twice.
    #[serde(default)]
    answers: Vec<(String, String)>,
}

/// Real milliseconds since the epoch.
fn real_ms() -> i64 {
    worker::Date::now().as_millis() as i64
}

/// The wait before try `tries + 1` of a failed job: 1, 2, 4, 8 ... seconds, at most 30.
pub fn retry_after_ms(tries: u32) -> i64 {
    (1_000i64 << tries.min(5)).min(30_000)
}

impl Stored {
    fn now(&self) -> DateTime<Utc> {
        self.clock.now(real_ms())
    }

    fn push(&mut self, work: Work) {
        self.next_job += 1;
        self.jobs.push(Job {
            id: self.next_job,
            due_ms: real_ms(),
            tries: 0,
            work,
        });
    }

    fn webhook(&mut self, event: &str, attempt: Option<AttemptRecord>) {
        let status = self
            .chain
            .journal_status()
            .map(|s| s.status)
            .unwrap_or_else(|| "scheduled".into());
        let now = self.now();
        self.push(Work::Webhook {
            event: WebhookEvent {
                event: event.into(),
                order_id: self.order_id.clone(),
                at: now,
                phone: self.chain.plan.client.clone(),
                status,
                attempt,
            },
        });
    }

    /// Applies one event and queues the I/O its commands call for; returns the commands (the
    /// voice ones become TwiML or the PBX's answer).
    fn apply(&mut self, event: Event) -> Vec<Command> {
        let now = self.now();
        let commands = self.chain.handle(event, now);
        self.queue(&commands);
        commands
    }

    fn queue(&mut self, commands: &[Command]) {
        for c in commands {
            match c {
                Command::DialOperators { attempt, dial } => match self.provider {
                    Provider::Twilio => {
                        let (call, actions) = AttemptCall::start(*attempt, dial);
                        self.call = Some(call);
                        for action in actions {
                            self.push(Work::Leg {
                                attempt: *attempt,
                                action,
                            });
                        }
                    }
                    Provider::Webhook => {
                        self.call = None;
                        self.push(Work::PbxDial { attempt: *attempt });
                    }
                },
                Command::HangUp { attempt } => match self.provider {
                    Provider::Twilio => {
                        let actions = self
                            .call
                            .as_mut()
                            .filter(|c| c.attempt == *attempt)
                            .map(AttemptCall::hang_up)
                            .unwrap_or_default();
                        self.leg_actions(*attempt, actions);
                    }
                    Provider::Webhook => self.push(Work::PbxEnd { attempt: *attempt }),
                },
                Command::Record { attempt } => {
                    self.push(Work::Record {
                        attempt: attempt.clone(),
                    });
                    self.webhook("call.ended", Some(attempt.clone()));
                }
                Command::Tag { attempt, tag } => self.push(Work::Tag {
                    attempt: *attempt,
                    tag: tag.clone(),
                }),
                Command::Notify { message } => self.push(Work::Notify {
                    message: message.clone(),
                }),
                // Voice commands are answered to the provider's callback; wake-ups become the
                // alarm ([`Stored::alarm_ms`]); the status follows the state ([`Stored::sync`]).
                Command::WakeAt { .. }
                | Command::ClearWake
                | Command::Announce { .. }
                | Command::GatherKey { .. }
                | Command::DialClient { .. }
                | Command::Finish { .. } => {}
            }
        }
        self.sync();
    }

    fn leg_actions(&mut self, attempt: u32, actions: Vec<Action>) {
        for action in actions {
            self.push(Work::Leg { attempt, action });
        }
    }

    /// Queues the journal status (and its webhook) when it changed.
    fn sync(&mut self) {
        let Some(status) = self.chain.journal_status() else {
            return;
        };
        if self.synced.as_ref() != Some(&status) {
            let changed = self.synced.as_ref().map(|s| &s.status) != Some(&status.status);
            self.synced = Some(status.clone());
            self.push(Work::Sync { status });
            if changed {
                self.webhook("order.status", None);
            }
        }
    }

    /// Real time, ms, the alarm must fire at: the earliest job, or the chain's wake-up.
    fn alarm_ms(&self) -> Option<i64> {
        let job = self
            .jobs
            .iter()
            .map(|j| j.due_ms)
            .chain(self.report_due_ms)
            .min();
        let wake = self.chain.wake_at().map(|at| {
            let slack = match self.chain.state {
                State::Calling { .. } if self.clock.speed > 1 => FAST_CLOCK_SLACK_MS,
                _ => 0,
            };
            self.clock.real_ms(at) + slack
        });
        match (job, wake) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The current attempt's legs, if `attempt` is the one under way.
    fn call_of(&mut self, attempt: u32) -> Option<&mut AttemptCall> {
        self.call.as_mut().filter(|c| c.attempt == attempt)
    }
}

impl Work {
    /// Calls first: a ringing phone must not wait for the journal or an email.
    fn urgent(&self) -> bool {
        matches!(
            self,
            Work::Leg { .. } | Work::PbxDial { .. } | Work::PbxEnd { .. }
        )
    }
}

/// The jobs to run now: every due call job at once, or else the oldest due job.
fn next_batch(jobs: &[Job], now_ms: i64) -> Vec<Job> {
    let due = jobs.iter().filter(|j| j.due_ms <= now_ms);
    let urgent: Vec<Job> = due.clone().filter(|j| j.work.urgent()).cloned().collect();
    if !urgent.is_empty() {
        return urgent;
    }
    due.min_by_key(|j| (j.due_ms, j.id))
        .cloned()
        .into_iter()
        .collect()
}

/// What running a job came to.
enum Ran {
    /// Done; for a dial, the provider's call id.
    Done(Option<String>),
    /// Failed; `true` if trying again may help.
    Failed(String, bool),
    /// A webhook's delivery failed and is tried again at this real time, ms.
    RetryAt(String, i64),
}

impl From<Failure> for Ran {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Transient(m) => Ran::Failed(m, true),
            Failure::Permanent(m) => Ran::Failed(m, false),
        }
    }
}

/// The Durable Object of one order's call chain.
#[durable_object]
pub struct ChainObject {
    state: worker::State,
    env: Env,
    /// A job runner is under way in this instance.
    draining: Cell<bool>,
    /// The account's telephony settings and when they were read (real ms).
    settings: RefCell<Option<(TelephonySettings, i64)>>,
    /// When this instance started (real ms).
    booted_ms: i64,
}

impl DurableObject for ChainObject {
    fn new(state: worker::State, env: Env) -> Self {
        Self {
            state,
            env,
            draining: Cell::new(false),
            settings: RefCell::new(None),
            booted_ms: real_ms(),
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let path = req.path();
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        match (req.method(), parts.as_slice()) {
            (Method::Post, ["start"]) => {
                let start: Start = req.json().await?;
                self.start(start).await
            }
            (Method::Get, ["state"]) => match self.load().await? {
                Some(s) => Response::from_json(&serde_json::json!({
                    "chain": s.chain,
                    "call": s.call,
                    "jobs": s.jobs.len(),
                    "clock": s.clock,
                })),
                None => Response::error("no chain", 404),
            },
            (Method::Post, ["twilio", attempt, leg, what]) => {
                let cb: TwilioCallback = req.json().await?;
                let (Ok(attempt), Ok(leg)) = (attempt.parse(), leg.parse()) else {
                    return Response::error("bad path", 400);
                };
                self.twilio(attempt, leg, what, cb).await
            }
            (Method::Post, ["pbx", attempt]) => {
                let cb: PbxCallback = req.json().await?;
                let Ok(attempt) = attempt.parse() else {
                    return Response::error("bad path", 400);
                };
                self.pbx(attempt, cb).await
            }
            (Method::Post, ["direct"]) => {
                self.event(Event::ClientCalledDirectly).await?;
                self.status().await
            }
            (Method::Post, ["stop"]) => {
                let reason: CancelReason = req.json().await?;
                self.event(Event::Stop { reason }).await?;
                self.status().await
            }
            (Method::Post, ["reschedule"]) => {
                let r: Reschedule = req.json().await?;
                self.reschedule(r).await
            }
            _ => Response::error("no such chain route", 404),
        }
    }

    async fn alarm(&self) -> Result<Response> {
        let mut hold_until = None;
        if let Some(mut s) = self.load().await? {
            let mut changed = false;
            if s.report_due_ms.is_some_and(|ms| ms <= real_ms()) {
                s.report_due_ms = None;
                let now = s.now();
                let event = s.call.as_mut().and_then(|c| c.overdue(now));
                if let Some(e) = event {
                    s.apply(e);
                }
                changed = true;
            }
            let due = s
                .chain
                .wake_at()
                .is_some_and(|at| s.clock.real_ms(at) <= real_ms());
            let warm_until = self.booted_ms + WARM_UP_MS;
            if due && matches!(s.chain.state, State::Calling { .. }) && real_ms() < warm_until {
                // Just (re)started: callbacks the provider retried meanwhile come first.
                hold_until = Some(warm_until);
            } else if due {
                let event = match self.ring_refused(&s).await? {
                    Some(reason) => Event::Stop { reason },
                    None => Event::TimeReached,
                };
                s.apply(event);
                changed = true;
            }
            if changed {
                self.save(&s).await?;
            }
        }
        self.drain().await?;
        if let Some(hold) = hold_until {
            // The watchdog waits; jobs due sooner do not.
            let jobs = self
                .load()
                .await?
                .and_then(|s| s.jobs.iter().map(|j| j.due_ms).min());
            let ms = jobs.map_or(hold, |j| j.min(hold)).max(real_ms());
            let at = DateTime::from_timestamp_millis(ms).unwrap_or_default();
            self.state.storage().set_alarm(at).await?;
        }
        Response::ok("")
    }
}

impl ChainObject {
    /// Before a due attempt starts, it claims its ring of the client's number
    /// ([`crate::limits::claim_ring`]; the first was claimed with the order): a refused claim
    /// cancels the chain, and nothing is dialed. A claim that cannot be made now (storage
    /// down) lets the attempt go ahead rather than lose the call.
    async fn ring_refused(&self, s: &Stored) -> Result<Option<CancelReason>> {
        if !matches!(s.chain.state, State::Waiting { .. }) {
            return Ok(None);
        }
        let attempt = s.chain.attempts.len() as u32 + 1;
        if attempt < 2 {
            return Ok(None);
        }
        let db = self.env.d1("DB")?;
        let now = chrono::DateTime::from_timestamp_millis(real_ms()).unwrap_or_default();
        match crate::limits::claim_ring(
            &db,
            &s.order_id,
            attempt,
            s.account_id,
            &s.chain.plan.client,
            now,
        )
        .await
        {
            Ok(true) => Ok(None),
            Ok(false) => Ok(Some(CancelReason::DailyRingLimit)),
            Err(e) => {
                worker::console_warn!(
                    "order {}: ring not claimed: {}",
                    s.order_id,
                    redact(&format!("{e:?}"))
                );
                Ok(None)
            }
        }
    }

    async fn load(&self) -> Result<Option<Stored>> {
        self.state.storage().get(KEY).await
    }

    /// Stores the state and points the alarm at its next due moment.
    async fn save(&self, s: &Stored) -> Result<()> {
        let storage = self.state.storage();
        storage.put(KEY, s).await?;
        match s.alarm_ms() {
            Some(ms) => {
                let at = DateTime::from_timestamp_millis(ms.max(real_ms())).unwrap_or_default();
                storage.set_alarm(at).await
            }
            None => storage.delete_alarm().await,
        }
    }

    fn clock_speed(&self) -> u32 {
        #[cfg(feature = "local-dev")]
        if let Ok(v) = self.env.var("RINGBACK_CLOCK_SPEED") {
            if let Ok(speed) = v.to_string().parse::<u32>() {
                return speed.max(1);
            }
        }
        1
    }

    async fn start(&self, start: Start) -> Result<Response> {
        if self.load().await?.is_some() {
            return Response::from_json(&serde_json::json!({ "started": false }));
        }
        let clock = Clock {
            epoch_ms: start.plan.placed_at.timestamp_millis(),
            speed: self.clock_speed(),
        };
        let mut s = Stored {
            order_id: start.order_id,
            account_id: start.account_id,
            base_url: start.base_url,
            provider: start.provider,
            clock,
            chain: Chain::new(start.plan),
            call: None,
            jobs: Vec::new(),
            next_job: 0,
            synced: None,
            report_due_ms: None,
            answers: Vec::new(),
        };
        s.webhook("order.created", None);
        s.apply(Event::Placed);
        self.save(&s).await?;
        Response::from_json(&serde_json::json!({ "started": true }))
    }

    /// Applies `event` to the stored chain and saves; the commands it returned.
    async fn event(&self, event: Event) -> Result<Vec<Command>> {
        let Some(mut s) = self.load().await? else {
            return Ok(Vec::new());
        };
        let commands = s.apply(event);
        self.save(&s).await?;
        Ok(commands)
    }

    async fn status(&self) -> Result<Response> {
        let s = self.load().await?;
        Response::from_json(&s.and_then(|s| s.chain.journal_status()))
    }

    async fn reschedule(&self, r: Reschedule) -> Result<Response> {
        let Some(mut s) = self.load().await? else {
            return Response::error("no chain", 404);
        };
        if s.chain.is_running() {
            return Response::error(
                shared::rescheduling::RescheduleError::ChainStillRunning.to_string(),
                409,
            );
        }
        s.apply(Event::Rescheduled { at: r.at, by: r.by });
        self.save(&s).await?;
        Response::from_json(&s.chain.journal_status())
    }

    /// A callback of a Twilio-compatible provider about leg `leg` of attempt `attempt`.
    async fn twilio(
        &self,
        attempt: u32,
        leg: usize,
        what: &str,
        cb: TwilioCallback,
    ) -> Result<Response> {
        let Some(account_id) = self.load().await?.map(|s| s.account_id) else {
            return Response::error("no such order", 404);
        };
        let signature = cb.signature.as_deref().unwrap_or("");
        let settings = self
            .verified(account_id, |t| {
                !t.auth_token.is_empty()
                    && twilio_signature_valid(&t.auth_token, &cb.url, &cb.params, signature)
            })
            .await?;
        let Some(settings) = settings else {
            return Response::error("the request's signature is wrong", 403);
        };
        // Reading the settings may have let other events in: the state is read again.
        let Some(mut s) = self.load().await? else {
            return Response::error("no such order", 404);
        };
        let now = s.now();
        let p = |k: &str| {
            cb.params
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.as_str())
                .unwrap_or("")
        };
        // A retried request gets the answer it had, not a second one. The provider's token
        // tells a retry apart; without one, an answer or a dial's end comes once per call,
        // but a gather may legitimately bring the same wrong digit again.
        let request = match cb.idempotency_token.as_deref() {
            Some(token) => Some(format!("{attempt}/{leg}/{what}/{token}")),
            None if what == "gather" => None,
            None => Some(format!("{attempt}/{leg}/{what}/{}", p("CallSid"))),
        };
        if let Some((_, xml)) = s.answers.iter().find(|(k, _)| Some(k) == request.as_ref()) {
            return twiml_response(xml);
        }
        let mut events: Vec<Event> = Vec::new();
        let mut actions: Vec<Action> = Vec::new();
        let voice = matches!(what, "answer" | "gather" | "dial");
        if let Some(call) = s.call.as_mut().filter(|c| c.attempt == attempt) {
            match what {
                "answer" => {
                    if call.legs.get(leg).is_some_and(|l| l.sid.is_none()) {
                        // The answer came before the provider's reply to the dial was stored.
                        call.created(leg, p("CallSid"));
                    }
                    let (e, a) = call.operator_answered(leg, now);
                    events.extend(e);
                    actions = a;
                }
                "status" if is_final(p("CallStatus")) => {
                    let duration = p("CallDuration").parse().ok();
                    let (e, a) = call.leg_ended(leg, p("CallStatus"), duration, now);
                    events.extend(e);
                    actions = a;
                }
                "client" if matches!(p("CallStatus"), "in-progress" | "answered") => {
                    events.extend(call.client_answered(now));
                }
                "dial" => {
                    let bridged = p("DialCallDuration").parse().unwrap_or(0);
                    call.client_ended(p("DialCallStatus"), bridged);
                    s.report_due_ms = Some(real_ms() + OPERATOR_REPORT_WAIT_MS);
                }
                _ => {}
            }
        }
        if what == "gather" {
            if let Some(digit) = p("Digits").chars().next().and_then(|c| c.to_digit(10)) {
                events.push(Event::KeyPressed {
                    attempt,
                    digit: digit as u8,
                });
            }
        }
        if s.call.as_ref().is_none_or(|c| c.reported) {
            s.report_due_ms = None;
        }
        s.leg_actions(attempt, actions);
        let mut commands = Vec::new();
        for e in events {
            commands.extend(s.apply(e));
        }
        s.sync();
        if !voice {
            self.save(&s).await?;
            return Response::ok("");
        }
        let urls = CallbackUrls {
            gather: telephony::twilio_callback(&s.base_url, &s.order_id, attempt, leg, "gather"),
            dial: telephony::twilio_callback(&s.base_url, &s.order_id, attempt, leg, "dial"),
            client: telephony::twilio_callback(&s.base_url, &s.order_id, attempt, leg, "client"),
            caller_id: settings.from,
        };
        let voice_commands: Vec<Command> = commands
            .into_iter()
            .filter(|c| match c {
                Command::Announce { attempt: a, .. }
                | Command::GatherKey { attempt: a, .. }
                | Command::DialClient { attempt: a, .. }
                | Command::HangUp { attempt: a } => *a == attempt,
                _ => false,
            })
            .collect();
        let xml = twiml(&voice_commands, &urls, s.chain.plan.notify.lang);
        if let Some(request) = request {
            s.answers.push((request, xml.clone()));
            if s.answers.len() > MAX_ANSWERS {
                s.answers.remove(0);
            }
        }
        self.save(&s).await?;
        twiml_response(&xml)
    }

    /// A PBX's signed event about attempt `attempt`; the answer says what to do now.
    async fn pbx(&self, attempt: u32, cb: PbxCallback) -> Result<Response> {
        let Some(account_id) = self.load().await?.map(|s| s.account_id) else {
            return Response::error("no such order", 404);
        };
        let signed = Signed {
            method: "POST",
            path: &cb.path,
            body: cb.body.as_bytes(),
        };
        let now = crate::now().timestamp();
        let outcome = Cell::new(Err(Refusal::Wrong));
        self.verified(account_id, |t| {
            let v = webhook::verify(&t.pbx_secret, cb.signature.as_deref(), &signed, now);
            let ok = v.is_ok();
            outcome.set(v);
            ok
        })
        .await?;
        let accepted: Accepted = match outcome.into_inner() {
            Ok(a) => a,
            Err(r) => return Response::error(r.to_string(), 403),
        };
        let event: PbxEvent = match serde_json::from_str(&cb.body) {
            Ok(e) => e,
            Err(e) => return Response::error(format!("not a PBX event: {e}"), 400),
        };
        // Good once: the same signature again is a replay, and changes nothing.
        let db = db::db(&self.env).map_err(|e| worker::Error::RustError(format!("{e:?}")))?;
        match crate::signatures::claim(&db, &accepted).await {
            Ok(()) => {}
            Err(ApiError::Forbidden(m)) => return Response::error(m, 403),
            Err(e) => return Err(worker::Error::RustError(format!("{e:?}"))),
        }
        let commands = self.event(event.into_event(attempt)).await?;
        Response::from_json(&PbxAnswer::from_commands(&commands))
    }

    /// The account's telephony settings: from memory unless `fresh` or older than a minute.
    async fn settings(&self, account_id: i64, fresh: bool) -> Result<Option<TelephonySettings>> {
        if !fresh {
            if let Some((t, at)) = self.settings.borrow().as_ref() {
                if real_ms() - at < SETTINGS_TTL_MS {
                    return Ok(Some(t.clone()));
                }
            }
        }
        let db = self.env.d1("DB")?;
        let loaded = telephony::settings(&db, account_id)
            .await
            .map_err(|e| worker::Error::RustError(format!("{e:?}")))?;
        *self.settings.borrow_mut() = loaded.clone().map(|t| (t, real_ms()));
        Ok(loaded)
    }

    /// The settings if `check` accepts them, from memory or, failing that, read afresh (the
    /// secret may have just changed).
    async fn verified(
        &self,
        account_id: i64,
        check: impl Fn(&TelephonySettings) -> bool,
    ) -> Result<Option<TelephonySettings>> {
        for fresh in [false, true] {
            if let Some(t) = self.settings(account_id, fresh).await? {
                if check(&t) {
                    return Ok(Some(t));
                }
            }
        }
        Ok(None)
    }

    /// Runs the due jobs one by one until none is left; one runner at a time.
    async fn drain(&self) -> Result<()> {
        if self.draining.replace(true) {
            return Ok(());
        }
        let result = self.drain_jobs().await;
        self.draining.set(false);
        result
    }

    async fn drain_jobs(&self) -> Result<()> {
        loop {
            let Some(s) = self.load().await? else {
                return Ok(());
            };
            let batch = next_batch(&s.jobs, real_ms());
            if batch.is_empty() {
                return Ok(());
            }
            // The calls of a batch go out together: a parallel group rings at once.
            let ran = futures_util::future::join_all(batch.iter().map(|j| self.run(&s, j))).await;
            // Other events may have changed the state while the jobs' I/O was under way.
            let Some(mut s) = self.load().await? else {
                return Ok(());
            };
            for (job, ran) in batch.iter().zip(ran) {
                self.settle(&mut s, job, ran);
            }
            self.save(&s).await?;
        }
    }

    /// Takes a finished job off the outbox: done, retried later, or failed for good.
    fn settle(&self, s: &mut Stored, job: &Job, ran: Ran) {
        s.jobs.retain(|j| j.id != job.id);
        let retry_due = match &job.work {
            // A storage failure around a webhook: tried again on the webhook's schedule.
            Work::Webhook { event } => {
                webhook::next_try(event.at, job.tries + 1, s.now()).map(|at| s.clock.real_ms(at))
            }
            Work::Notify { .. } => {
                (job.tries + 1 < MAX_SEND_TRIES).then(|| real_ms() + retry_after_ms(job.tries))
            }
            Work::Record { .. } | Work::Tag { .. } | Work::Sync { .. } => {
                Some(real_ms() + retry_after_ms(job.tries))
            }
            _ => (job.tries + 1 < MAX_TRIES).then(|| real_ms() + retry_after_ms(job.tries)),
        };
        let ran = match (ran, retry_due) {
            (Ran::Failed(message, true), Some(due_ms)) => Ran::RetryAt(message, due_ms),
            (ran, _) => ran,
        };
        match ran {
            Ran::Done(sid) => self.done(s, &job.work, sid),
            Ran::RetryAt(message, due_ms) => {
                worker::console_warn!(
                    "order {}: {} failed, retrying: {}",
                    s.order_id,
                    job.work.describe(),
                    redact(&message)
                );
                s.jobs.push(Job {
                    due_ms,
                    tries: job.tries + 1,
                    ..job.clone()
                });
            }
            Ran::Failed(message, _) => {
                worker::console_error!(
                    "order {}: {} failed: {}",
                    s.order_id,
                    job.work.describe(),
                    redact(&message)
                );
                self.failed(s, &job.work);
            }
        }
    }

    /// A job's success changes the state: a created leg may be unwanted by now.
    fn done(&self, s: &mut Stored, work: &Work, sid: Option<String>) {
        if let (
            Work::Leg {
                attempt,
                action: Action::Dial { leg, .. },
            },
            Some(sid),
        ) = (work, sid)
        {
            // A call created for an attempt that is over by now is ended at once.
            let actions = s
                .call_of(*attempt)
                .map(|c| c.created(*leg, &sid))
                .unwrap_or_else(|| vec![Action::End { sid }]);
            s.leg_actions(*attempt, actions);
        }
    }

    /// A job failed for good: a dial that could not be made ends its leg as a telephony
    /// error (the chain re-dials); anything else is logged and dropped.
    fn failed(&self, s: &mut Stored, work: &Work) {
        let now = s.now();
        let event = match work {
            Work::Leg {
                attempt,
                action: Action::Dial { leg, .. },
            } => {
                let (event, actions) = s
                    .call_of(*attempt)
                    .map(|c| c.leg_failed(*leg, now))
                    .unwrap_or_default();
                s.leg_actions(*attempt, actions);
                event
            }
            Work::PbxDial { attempt } => Some(Event::CallEnded {
                attempt: *attempt,
                report: shared::attempt::CallReport {
                    cause: shared::attempt::EndCause::Error,
                    bridged_secs: 0,
                    total_secs: 0,
                },
            }),
            _ => None,
        };
        if let Some(e) = event {
            s.apply(e);
        }
    }

    /// Does one job's I/O.
    async fn run(&self, s: &Stored, job: &Job) -> Ran {
        match self.try_run(s, job).await {
            Ok(ran) => ran,
            Err(e) => Ran::Failed(format!("{e:?}"), true),
        }
    }

    async fn adapter(&self, s: &Stored) -> std::result::Result<Adapter, ApiError> {
        let settings = self
            .settings(s.account_id, false)
            .await?
            .ok_or_else(|| ApiError::Conflict("the account has no telephony set up".into()))?;
        Ok(Adapter::of(settings))
    }

    async fn try_run(&self, s: &Stored, job: &Job) -> std::result::Result<Ran, ApiError> {
        let order = s.order_id.as_str();
        let db = db::db(&self.env)?;
        Ok(match &job.work {
            Work::Leg { attempt, action } => {
                // Only what the current attempt still needs.
                let current = s.call.as_ref().filter(|c| c.attempt == *attempt);
                match action {
                    Action::Dial {
                        leg,
                        number,
                        ring_secs,
                    } => {
                        let wanted = current.is_some_and(|c| {
                            !c.reported
                                && c.answered.is_none()
                                && c.legs.get(*leg).is_some_and(|l| l.sid.is_none())
                        });
                        if !wanted {
                            return Ok(Ran::Done(None));
                        }
                        let adapter = match self.adapter(s).await {
                            Ok(a) => a,
                            Err(e) => return Ok(Ran::Failed(format!("{e:?}"), false)),
                        };
                        let request = DialRequest {
                            order_id: order,
                            attempt: *attempt,
                            leg: *leg,
                            number,
                            ring_secs: *ring_secs,
                            operators: &s.chain.plan.operators,
                            client: &s.chain.plan.client,
                            client_extension: s.chain.plan.client_extension.as_deref(),
                            base_url: &s.base_url,
                        };
                        match adapter.dial(&request).await {
                            Ok(sid) => Ran::Done(Some(sid)),
                            Err(f) => f.into(),
                        }
                    }
                    Action::End { sid } => match self.adapter(s).await {
                        Ok(adapter) => match adapter.end(order, *attempt, sid).await {
                            Ok(()) => Ran::Done(None),
                            Err(f) => f.into(),
                        },
                        Err(e) => Ran::Failed(format!("{e:?}"), false),
                    },
                }
            }
            Work::PbxDial { attempt } => {
                let still = matches!(s.chain.state, State::Calling { .. })
                    && s.chain.attempts.last().map(|a| a.n) == Some(*attempt);
                if !still {
                    return Ok(Ran::Done(None));
                }
                let adapter = match self.adapter(s).await {
                    Ok(a) => a,
                    Err(e) => return Ok(Ran::Failed(format!("{e:?}"), false)),
                };
                let request = DialRequest {
                    order_id: order,
                    attempt: *attempt,
                    leg: 0,
                    number: "",
                    ring_secs: s.chain.plan.operators.total_ring_secs(),
                    operators: &s.chain.plan.operators,
                    client: &s.chain.plan.client,
                    client_extension: s.chain.plan.client_extension.as_deref(),
                    base_url: &s.base_url,
                };
                match adapter.dial(&request).await {
                    Ok(_) => Ran::Done(None),
                    Err(f) => f.into(),
                }
            }
            Work::PbxEnd { attempt } => match self.adapter(s).await {
                Ok(adapter) => match adapter.end(order, *attempt, "").await {
                    Ok(()) => Ran::Done(None),
                    Err(f) => f.into(),
                },
                Err(e) => Ran::Failed(format!("{e:?}"), false),
            },
            Work::Record { attempt } => {
                record(&db, order, s.account_id, attempt).await?;
                Ran::Done(None)
            }
            Work::Tag { attempt, tag } => {
                add_tag(&db, order, s.account_id, *attempt, tag).await?;
                Ran::Done(None)
            }
            Work::Sync { status } => {
                db::run(
                    &db,
                    "UPDATE orders SET status = ?1, status_reason = ?2, \
                     call_at = COALESCE(?3, call_at), finished_at = ?4, chain_started = 1 \
                     WHERE id = ?5",
                    &[
                        text(&status.status),
                        opt_text(status.reason.as_deref()),
                        opt_text(status.call_at.map(ts).as_deref()),
                        opt_text(status.finished.then(|| ts(s.now())).as_deref()),
                        text(order),
                    ],
                )
                .await?;
                Ran::Done(None)
            }
            Work::Notify { message } => {
                let id = format!("{order}-{}", job.id);
                match notifications::send(&self.env, &db, s.account_id, order, &id, message).await {
                    Ok(()) => Ran::Done(None),
                    Err(f) => f.into(),
                }
            }
            Work::Webhook { event } => {
                let id = format!("{order}-{}", job.id);
                // Decided before the try, so that the journal says what the outbox does.
                let tries = job.tries + 1;
                let next = webhook::next_try(event.at, tries, s.now());
                let delivery = notifications::Delivery {
                    id: &id,
                    tries,
                    next,
                };
                match notifications::webhook(&db, s.account_id, order, &delivery, event).await {
                    Ok(()) => Ran::Done(None),
                    Err(Failure::Transient(m)) => match next {
                        Some(at) => Ran::RetryAt(m, s.clock.real_ms(at)),
                        None => Ran::Failed(m, false),
                    },
                    Err(Failure::Permanent(m)) => Ran::Failed(m, false),
                }
            }
        })
    }
}

/// A final `CallStatus`.
fn is_final(status: &str) -> bool {
    matches!(
        status,
        "completed" | "busy" | "no-answer" | "failed" | "canceled"
    )
}

fn twiml_response(xml: &str) -> Result<Response> {
    let mut r = Response::ok(xml)?;
    r.headers_mut()
        .set("Content-Type", "text/xml; charset=utf-8")?;
    Ok(r)
}

/// Writes an ended attempt and its tags to the journal (an upsert: a repeat changes nothing).
async fn record(
    db: &worker::D1Database,
    order_id: &str,
    account_id: i64,
    a: &AttemptRecord,
) -> std::result::Result<(), ApiError> {
    let (success, bridged, billed) = match &a.result {
        Some(r) => (
            r.is_success(),
            i64::from(r.bridged_secs()),
            shared::balance::billable_minutes(r),
        ),
        None => (false, 0, 0),
    };
    let mut batch = vec![db::bind(
        db.prepare(
            "INSERT INTO call_attempts (order_id, n, record, success, bridged_secs, billed_minutes, \
             started_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (order_id, n) DO UPDATE \
             SET record = excluded.record, success = excluded.success, \
             bridged_secs = excluded.bridged_secs, billed_minutes = excluded.billed_minutes",
        ),
        &[
            text(order_id),
            int(i64::from(a.n)),
            text(&serde_json::to_string(a).expect("serializes")),
            int(i64::from(success)),
            int(bridged),
            int(billed),
            text(&ts(a.started_at)),
        ],
    )?];
    for tag in &a.tags {
        batch.extend(tag_statements(db, order_id, account_id, tag)?);
    }
    db.batch(batch).await?;
    Ok(())
}

fn tag_statements(
    db: &worker::D1Database,
    order_id: &str,
    account_id: i64,
    tag: &str,
) -> std::result::Result<Vec<worker::D1PreparedStatement>, ApiError> {
    Ok(vec![
        db::bind(
            db.prepare("INSERT OR IGNORE INTO tags (account_id, name) VALUES (?1, ?2)"),
            &[int(account_id), text(tag)],
        )?,
        db::bind(
            db.prepare(
                "INSERT OR IGNORE INTO order_tags (order_id, tag_id) \
                 SELECT ?1, id FROM tags WHERE account_id = ?2 AND name = ?3",
            ),
            &[text(order_id), int(account_id), text(tag)],
        )?,
    ])
}

#[derive(Deserialize)]
struct RecordRow {
    record: String,
}

/// Adds a tag to an attempt already written ("last in chain" after a direct call).
async fn add_tag(
    db: &worker::D1Database,
    order_id: &str,
    account_id: i64,
    n: u32,
    tag: &str,
) -> std::result::Result<(), ApiError> {
    let row: Option<RecordRow> = db::first(
        db,
        "SELECT record FROM call_attempts WHERE order_id = ?1 AND n = ?2",
        &[text(order_id), int(i64::from(n))],
    )
    .await?;
    let Some(row) = row else {
        // Not written yet: the Record job that follows carries the tag already.
        return Ok(());
    };
    let mut a: AttemptRecord = serde_json::from_str(&row.record)
        .map_err(|e| ApiError::Internal(format!("attempt record: {e}")))?;
    if !a.tags.iter().any(|t| t == tag) {
        a.tags.push(tag.to_string());
    }
    let mut batch = vec![db::bind(
        db.prepare("UPDATE call_attempts SET record = ?1 WHERE order_id = ?2 AND n = ?3"),
        &[
            text(&serde_json::to_string(&a).expect("serializes")),
            text(order_id),
            int(i64::from(n)),
        ],
    )?];
    batch.extend(tag_statements(db, order_id, account_id, tag)?);
    db.batch(batch).await?;
    Ok(())
}

/// The stub of an order's chain.
fn stub(env: &Env, order_id: &str) -> std::result::Result<worker::Stub, ApiError> {
    Ok(env.durable_object(BINDING)?.get_by_name(order_id)?)
}

/// Sends `body` to the chain of `order_id` at `path`; its answer.
pub async fn call(
    env: &Env,
    order_id: &str,
    method: Method,
    path: &str,
    body: Option<String>,
) -> std::result::Result<Response, ApiError> {
    let mut init = RequestInit::new();
    init.with_method(method);
    if let Some(b) = body {
        init.with_body(Some(b.into()));
    }
    let req = Request::new_with_init(&format!("https://chain{path}"), &init)?;
    Ok(stub(env, order_id)?.fetch_with_request(req).await?)
}

/// Starts an order's chain (idempotent: a started chain ignores it).
pub async fn start(env: &Env, start: &Start) -> std::result::Result<(), ApiError> {
    let body = serde_json::to_string(start).expect("serializes");
    let res = call(env, &start.order_id, Method::Post, "/start", Some(body)).await?;
    if res.status_code() != 200 {
        return Err(ApiError::Internal(format!(
            "chain {} did not start: {}",
            start.order_id,
            res.status_code()
        )));
    }
    Ok(())
}

#[derive(Deserialize)]
struct Unstarted {
    id: String,
    account_id: i64,
    plan: String,
    callback_base: String,
    telephony: Option<String>,
}

/// The minute cron: starts the chain of any order stored more than a minute ago whose chain
/// did not start (the runtime failed between storing the order and starting its chain).
pub async fn sweep(env: &Env) -> std::result::Result<usize, ApiError> {
    let db = db::db(env)?;
    let before = ts(crate::now() - chrono::Duration::minutes(1));
    let rows: Vec<Unstarted> = db::all(
        &db,
        "SELECT o.id, o.account_id, o.plan, o.callback_base, t.settings AS telephony \
         FROM orders o LEFT JOIN telephony t ON t.account_id = o.account_id \
         WHERE o.chain_started = 0 AND o.created_at < ?1 ORDER BY o.created_at LIMIT 200",
        &[text(&before)],
    )
    .await?;
    let mut started = 0;
    for r in rows {
        let plan: ChainPlan = match serde_json::from_str(&r.plan) {
            Ok(p) => p,
            Err(e) => {
                worker::console_error!("order {}: unreadable plan: {e}", r.id);
                continue;
            }
        };
        let provider = telephony::provider_of(r.telephony.as_deref());
        let s = Start {
            order_id: r.id,
            account_id: r.account_id,
            plan,
            base_url: r.callback_base,
            provider,
        };
        match start(env, &s).await {
            Ok(()) => started += 1,
            Err(e) => worker::console_error!(
                "order {}: chain not started: {}",
                s.order_id,
                redact(&format!("{e:?}"))
            ),
        }
    }
    Ok(started)
}
