//! The telephony simulator: a stand-in for the telephony provider that runs on loopback.
//!
//! It speaks the part of the Twilio-compatible voice API that Ringback's production adapter
//! uses, so the adapter itself is what gets tested:
//!
//! - `POST /2010-04-01/Accounts/{sid}/Calls.json` creates a call (Basic auth; `To`, `From`,
//!   `Url`, `StatusCallback`, `Timeout`; and `RingbackKey`, an idempotency key real providers
//!   ignore), `POST .../Calls/{CallSid}.json` with `Status=canceled|completed` ends one, and
//!   `POST .../Messages.json` sends an SMS;
//! - when a person answers it fetches the TwiML at `Url` and executes it (`Say`, `Play`,
//!   `Pause`, `Gather`, `Dial`/`Number`, `Hangup`), posting every callback signed with
//!   `X-Twilio-Signature` as Twilio does, retrying while the receiver is unreachable;
//! - people behave by script, per number ([`people`]): answer after N s, busy, no answer,
//!   unreachable, press a digit after N s, talk for T s, voicemail; or wait for a click on the
//!   live page at `/`.
//!
//! For tests it also keeps a record of every call and SMS (`/control/calls`,
//! `/control/messages`), receives webhooks (`/hooks/{name}`, `/control/hooks`), can fail on
//! purpose (`/control/faults`) and can place an inbound call (`/control/inbound`). `--speed S`
//! runs its clock S times faster, like the worker's test clock.
//!
//! A webhook receiver `/hooks/{name}` plays a careful customer once told its secret
//! (`POST /control/hooks/{name}` `{"secret": "…", "fail_next": N}`): it checks every request's
//! `X-Ringback-Signature` ([`shared::webhook::verify`]: time, method, path, body, 5 minutes)
//! and answers 403 to a bad one, and answers 500 to the next N good ones (a receiver that is
//! down for a while). Every request is recorded with what the receiver made of it.

pub mod people;
pub mod twiml;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::Engine;
use people::{Answer, People, Person};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::{broadcast, watch};
use twiml::Verb;

/// What `GET /health` answers.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Health {
    pub status: String,
    pub service: String,
    pub version: String,
}

/// One call as the simulator saw it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CallRecord {
    pub sid: String,
    pub account_sid: String,
    /// The operator call a client leg belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// `operator` (created over REST) or `client` (dialed from TwiML).
    pub kind: String,
    pub from: String,
    pub to: String,
    /// The idempotency key the call was created with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// When the provider received the request, ms since the epoch (real time).
    pub created_ms: i64,
    /// queued, ringing, in-progress, completed, busy, no-answer, failed, canceled.
    pub status: String,
    pub answered: bool,
    /// What was said or played, in order.
    pub said: Vec<String>,
    /// The digit the person pressed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pressed: Option<String>,
    /// Seconds bridged with the other side (simulated clock).
    pub bridged_secs: u32,
    /// Seconds from answer to hang-up (simulated clock).
    pub duration_secs: u32,
    /// Ringback asked the API to end this call (`Status=canceled|completed`).
    #[serde(default)]
    pub ended_by_api: bool,
}

/// An SMS sent through the messaging API.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Sms {
    pub sid: String,
    pub account_sid: String,
    pub from: String,
    pub to: String,
    pub body: String,
}

/// A webhook received at `/hooks/{name}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Hook {
    pub name: String,
    pub signature: Option<String>,
    pub body: String,
    /// `X-Ringback-Event`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// `X-Ringback-Delivery`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<String>,
    /// Whether the signature was right for the receiver's secret (`None`: no secret set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
    /// Why the signature was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
    /// What the receiver answered.
    #[serde(default)]
    pub status: u16,
}

/// How the webhook receiver of one name behaves (`POST /control/hooks/{name}`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Receiver {
    /// The secret it checks signatures with (none: it checks nothing).
    #[serde(default)]
    pub secret: Option<String>,
    /// How many of the next well-signed requests it answers with 500.
    #[serde(default)]
    pub fail_next: u32,
}

/// A failure mode of the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// Call creation answers 500.
    Error,
    /// Call creation hangs for 15 s, then answers 504.
    Timeout,
}

#[derive(Debug, Clone, Copy, Default)]
struct Control {
    canceled: bool,
    answered: bool,
    pressed: Option<char>,
}

/// The simulator's state.
pub struct Sim {
    speed: f64,
    http: reqwest::Client,
    people: Mutex<People>,
    tokens: Mutex<HashMap<String, String>>,
    calls: Mutex<Vec<CallRecord>>,
    keys: Mutex<HashMap<String, String>>,
    controls: Mutex<HashMap<String, watch::Sender<Control>>>,
    fault: Mutex<Option<(Fault, Instant)>>,
    messages: Mutex<Vec<Sms>>,
    hooks: Mutex<Vec<Hook>>,
    receivers: Mutex<HashMap<String, Receiver>>,
    events: broadcast::Sender<String>,
    seq: AtomicU64,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

impl Sim {
    /// A simulator whose clock runs `speed` times faster than real time.
    pub fn new(speed: f64) -> Arc<Sim> {
        let (events, _) = broadcast::channel(1024);
        Arc::new(Sim {
            speed: speed.max(0.01),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .expect("an HTTP client"),
            people: Mutex::new(People::default()),
            tokens: Mutex::new(HashMap::new()),
            calls: Mutex::new(Vec::new()),
            keys: Mutex::new(HashMap::new()),
            controls: Mutex::new(HashMap::new()),
            fault: Mutex::new(None),
            messages: Mutex::new(Vec::new()),
            hooks: Mutex::new(Vec::new()),
            receivers: Mutex::new(HashMap::new()),
            events,
            seq: AtomicU64::new(1),
        })
    }

    /// Replaces the whole script of people (e.g. from `--people FILE`).
    pub fn set_people(&self, people: People) {
        *self.people.lock().expect("lock") = people;
    }

    /// How the person at `number` behaves on this call: their script's entry for the number
    /// of calls they had so far.
    fn person(&self, number: &str) -> Person {
        let before = self
            .calls
            .lock()
            .expect("lock")
            .iter()
            .filter(|c| c.to == number)
            .count();
        self.people.lock().expect("lock").at(number, before)
    }

    fn sid(&self, prefix: &str) -> String {
        format!("{prefix}{:032x}", self.seq.fetch_add(1, Ordering::SeqCst))
    }

    /// Real time for `secs` simulated seconds.
    fn real(&self, secs: f64) -> Duration {
        Duration::from_secs_f64((secs / self.speed).max(0.0))
    }

    /// Simulated seconds for a real stretch.
    fn simulated(&self, real: Duration) -> u32 {
        (real.as_secs_f64() * self.speed).round() as u32
    }

    fn emit(&self, record: &CallRecord) {
        let _ = self
            .events
            .send(serde_json::to_string(record).unwrap_or_default());
    }

    fn update(&self, sid: &str, f: impl FnOnce(&mut CallRecord)) {
        let mut calls = self.calls.lock().expect("lock");
        if let Some(r) = calls.iter_mut().find(|c| c.sid == sid) {
            f(r);
            self.emit(r);
        }
    }

    fn control(&self, sid: &str) -> watch::Receiver<Control> {
        let mut controls = self.controls.lock().expect("lock");
        controls
            .entry(sid.to_string())
            .or_insert_with(|| watch::channel(Control::default()).0)
            .subscribe()
    }

    fn set_control(&self, sid: &str, f: impl FnOnce(&mut Control)) -> bool {
        let controls = self.controls.lock().expect("lock");
        match controls.get(sid) {
            Some(tx) => {
                tx.send_modify(f);
                true
            }
            None => false,
        }
    }

    /// Sleeps `secs` simulated seconds; `false` if the call was canceled meanwhile. The call's
    /// clock ([`tick`]) advances by what was waited.
    async fn wait(&self, control: &mut watch::Receiver<Control>, secs: f64) -> bool {
        let started = Instant::now();
        let deadline = tokio::time::Instant::now() + self.real(secs);
        let completed = loop {
            if control.borrow().canceled {
                break false;
            }
            tokio::select! {
                _ = tokio::time::sleep_until(deadline) => break !control.borrow().canceled,
                changed = control.changed() => if changed.is_err() { tokio::time::sleep_until(deadline).await; break true; },
            }
        };
        tick(if completed {
            secs
        } else {
            f64::from(self.simulated(started.elapsed()))
        });
        completed
    }

    /// Waits up to `secs` for a manual event; returns it as soon as `pick` sees it.
    async fn wait_for<T>(
        &self,
        control: &mut watch::Receiver<Control>,
        secs: f64,
        pick: impl Fn(&Control) -> Option<T>,
    ) -> Option<T> {
        let started = Instant::now();
        let deadline = tokio::time::Instant::now() + self.real(secs);
        let got = loop {
            if let Some(v) = pick(&control.borrow()) {
                break Some(v);
            }
            if control.borrow().canceled {
                break None;
            }
            tokio::select! {
                _ = tokio::time::sleep_until(deadline) => break None,
                changed = control.changed() => if changed.is_err() { break None; },
            }
        };
        tick(f64::from(self.simulated(started.elapsed())).min(secs));
        got
    }

    /// Posts a signed callback, retrying while the receiver is unreachable or failing (up to a
    /// minute of real time), and returns the answer's body.
    async fn callback(
        &self,
        url: &str,
        params: &[(String, String)],
        token: &str,
    ) -> anyhow::Result<String> {
        let signature = shared::telephony::twilio_signature(token, url, params);
        // As Twilio does: one token per request, the same on every retry of it.
        let idempotency = self.sid("IT");
        let mut delay = Duration::from_millis(100);
        let give_up = Instant::now() + Duration::from_secs(60);
        loop {
            let sent = self
                .http
                .post(url)
                .header("X-Twilio-Signature", &signature)
                .header("I-Twilio-Idempotency-Token", &idempotency)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(encode(params))
                .send()
                .await;
            match sent {
                Ok(res) if res.status().is_success() => return Ok(res.text().await?),
                Ok(res) if res.status().is_client_error() => {
                    anyhow::bail!("{url} answered {}", res.status())
                }
                _ if Instant::now() > give_up => anyhow::bail!("{url} did not answer for a minute"),
                _ => {
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(Duration::from_secs(2));
                }
            }
        }
    }
}

tokio::task_local! {
    /// The simulated seconds a call has lasted: the sum of what its people waited (rings,
    /// announcements, talk), so that network delays between the provider and Ringback take no
    /// simulated time however fast the clock runs.
    static CALL_CLOCK: std::cell::Cell<f64>;
}

fn tick(secs: f64) {
    let _ = CALL_CLOCK.try_with(|c| c.set(c.get() + secs));
}

/// The current call's simulated seconds, restarted by [`restart_clock`].
fn call_clock() -> u32 {
    CALL_CLOCK.try_with(|c| c.get().round() as u32).unwrap_or(0)
}

fn restart_clock() {
    let _ = CALL_CLOCK.try_with(|c| c.set(0.0));
}

fn encode(params: &[(String, String)]) -> String {
    let mut s = String::new();
    for (i, (k, v)) in params.iter().enumerate() {
        if i > 0 {
            s.push('&');
        }
        s.push_str(&urlencode(k));
        s.push('=');
        s.push_str(&urlencode(v));
    }
    s
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn p(k: &str, v: &str) -> (String, String) {
    (k.to_string(), v.to_string())
}

/// One live call's context while its TwiML runs.
struct Call {
    sid: String,
    account_sid: String,
    from: String,
    to: String,
    token: String,
    person: Person,
}

impl Call {
    fn params(&self, status: &str) -> Vec<(String, String)> {
        vec![
            p("AccountSid", &self.account_sid),
            p("ApiVersion", "2010-04-01"),
            p("CallSid", &self.sid),
            p("CallStatus", status),
            p("Direction", "outbound-api"),
            p("From", &self.from),
            p("To", &self.to),
        ]
    }
}

/// How ringing ended.
enum Rang {
    Answered,
    Ended(&'static str),
}

async fn ring(
    sim: &Sim,
    control: &mut watch::Receiver<Control>,
    person: Person,
    timeout: u32,
) -> Rang {
    match person.answer {
        Answer::Busy => {
            sim.wait(control, 1.0).await;
            Rang::Ended("busy")
        }
        Answer::Unreachable => Rang::Ended("failed"),
        Answer::NoAnswer => {
            if sim.wait(control, f64::from(timeout)).await {
                Rang::Ended("no-answer")
            } else {
                Rang::Ended("canceled")
            }
        }
        Answer::After(n) if n >= timeout => {
            if sim.wait(control, f64::from(timeout)).await {
                Rang::Ended("no-answer")
            } else {
                Rang::Ended("canceled")
            }
        }
        Answer::After(n) => {
            if sim.wait(control, f64::from(n)).await {
                Rang::Answered
            } else {
                Rang::Ended("canceled")
            }
        }
        Answer::Manual => match sim
            .wait_for(control, f64::from(timeout), |c| c.answered.then_some(()))
            .await
        {
            Some(()) => Rang::Answered,
            None if control.borrow().canceled => Rang::Ended("canceled"),
            None => Rang::Ended("no-answer"),
        },
    }
}

/// Seconds one `Say`/`Play` is reckoned to last: "one announcement per 7 s" (8 s in key-press
/// mode, inside `Gather`).
fn verb_secs(v: &Verb, in_gather: bool) -> u32 {
    let per = if in_gather { 8 } else { 7 };
    match v {
        Verb::Say { times, .. } | Verb::Play { times, .. } => per * times,
        Verb::Pause { secs } => *secs,
        _ => 0,
    }
}

fn said(v: &Verb) -> Option<String> {
    match v {
        Verb::Say { times, text } => Some(format!("say×{times}: {text}")),
        Verb::Play { times, url } => Some(format!("play×{times}: {url}")),
        _ => None,
    }
}

/// Runs TwiML on an answered call until it hangs up or runs out of verbs.
async fn execute(
    sim: &Arc<Sim>,
    call: &Call,
    control: &mut watch::Receiver<Control>,
    mut verbs: Vec<Verb>,
) {
    let mut i = 0;
    while i < verbs.len() {
        if control.borrow().canceled {
            return;
        }
        let verb = verbs[i].clone();
        i += 1;
        match verb {
            Verb::Say { .. } | Verb::Play { .. } | Verb::Pause { .. } => {
                if let Some(s) = said(&verb) {
                    sim.update(&call.sid, |r| r.said.push(s));
                }
                if !sim.wait(control, f64::from(verb_secs(&verb, false))).await {
                    return;
                }
            }
            Verb::Gather {
                timeout,
                action,
                inner,
                ..
            } => {
                for v in &inner {
                    if let Some(s) = said(v) {
                        sim.update(&call.sid, |r| r.said.push(s));
                    }
                }
                let window =
                    f64::from(inner.iter().map(|v| verb_secs(v, true)).sum::<u32>() + timeout);
                let digit = match (call.person.answer, call.person.press) {
                    (Answer::Manual, _) => {
                        let d = sim.wait_for(control, window, |c| c.pressed).await;
                        // A key is pressed once: the next Gather waits for a new press.
                        sim.set_control(&call.sid, |c| c.pressed = None);
                        d
                    }
                    (_, Some((d, after))) if f64::from(after) < window => {
                        if sim.wait(control, f64::from(after)).await {
                            Some(d)
                        } else {
                            return;
                        }
                    }
                    _ => {
                        if !sim.wait(control, window).await {
                            return;
                        }
                        None
                    }
                };
                if let (Some(d), Some(action)) = (digit, action) {
                    sim.update(&call.sid, |r| r.pressed = Some(d.to_string()));
                    let mut params = call.params("in-progress");
                    params.push(p("Digits", &d.to_string()));
                    match sim
                        .callback(&action, &params, &call.token)
                        .await
                        .and_then(|x| twiml::parse(&x))
                    {
                        Ok(next) => {
                            verbs = next;
                            i = 0;
                        }
                        Err(_) => return,
                    }
                }
            }
            Verb::Dial {
                timeout,
                action,
                numbers,
                ..
            } => {
                let Some(number) = numbers.first() else {
                    continue;
                };
                let (status, bridged, client_sid) = dial_client(
                    sim,
                    call,
                    control,
                    &number.number,
                    number.status_callback.as_deref(),
                    timeout,
                )
                .await;
                if let Some(action) = action {
                    let mut params = call.params("in-progress");
                    params.push(p("DialCallStatus", status));
                    params.push(p("DialCallDuration", &bridged.to_string()));
                    params.push(p("DialCallSid", &client_sid));
                    sim.update(&call.sid, |r| r.bridged_secs = bridged);
                    match sim
                        .callback(&action, &params, &call.token)
                        .await
                        .and_then(|x| twiml::parse(&x))
                    {
                        Ok(next) => {
                            verbs = next;
                            i = 0;
                        }
                        Err(_) => return,
                    }
                }
            }
            Verb::Hangup => return,
            Verb::Other(_) => {}
        }
    }
}

/// Dials the client leg of a call; returns `DialCallStatus`, bridged seconds and the leg's sid.
async fn dial_client(
    sim: &Arc<Sim>,
    call: &Call,
    control: &mut watch::Receiver<Control>,
    number: &str,
    status_callback: Option<&str>,
    timeout: u32,
) -> (&'static str, u32, String) {
    let sid = sim.sid("CA");
    let person = sim.person(number);
    let record = CallRecord {
        sid: sid.clone(),
        account_sid: call.account_sid.clone(),
        parent: Some(call.sid.clone()),
        kind: "client".into(),
        from: call.from.clone(),
        to: number.into(),
        key: None,
        created_ms: now_ms(),
        status: "ringing".into(),
        answered: false,
        said: vec![],
        pressed: None,
        bridged_secs: 0,
        duration_secs: 0,
        ended_by_api: false,
    };
    sim.emit(&record);
    sim.calls.lock().expect("lock").push(record);
    // The client leg shares the operator call's fate: hanging up one ends both.
    let mut client_control = sim.control(&sid);
    let status = match ring(sim, &mut client_control, person, timeout).await {
        Rang::Ended(s) => {
            // An operator hang-up cancels the ringing client.
            s
        }
        Rang::Answered => "completed",
    };
    if control.borrow().canceled {
        sim.update(&sid, |r| r.status = "canceled".into());
        return ("canceled", 0, sid);
    }
    if status != "completed" {
        sim.update(&sid, |r| r.status = status.into());
        return (status, 0, sid);
    }
    sim.update(&sid, |r| {
        r.answered = true;
        r.status = "in-progress".into();
    });
    if let Some(url) = status_callback {
        let params = vec![
            p("AccountSid", &call.account_sid),
            p("CallSid", &sid),
            p("CallStatus", "in-progress"),
            p("ParentCallSid", &call.sid),
            p("To", number),
        ];
        let _ = sim.callback(url, &params, &call.token).await;
    }
    let talk = if person.voicemail {
        person.talk
    } else {
        person.talk.min(call.person.talk)
    };
    let started = Instant::now();
    let completed = sim.wait(control, f64::from(talk)).await;
    let bridged = if completed {
        talk
    } else {
        sim.simulated(started.elapsed())
    };
    sim.update(&sid, |r| {
        r.status = "completed".into();
        r.bridged_secs = bridged;
        r.duration_secs = bridged;
    });
    ("completed", bridged, sid)
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateCall {
    to: String,
    from: String,
    url: String,
    #[serde(default)]
    status_callback: Option<String>,
    #[serde(default)]
    timeout: Option<u32>,
    #[serde(default)]
    ringback_key: Option<String>,
}

fn basic_auth(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (u, p) = text.split_once(':')?;
    Some((u.to_string(), p.to_string()))
}

fn api_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({ "code": status.as_u16(), "message": message, "status": status.as_u16() })),
    )
        .into_response()
}

async fn create_call(
    State(sim): State<Arc<Sim>>,
    Path(account): Path<String>,
    headers: HeaderMap,
    Form(form): Form<CreateCall>,
) -> Response {
    let Some((user, token)) = basic_auth(&headers).filter(|(u, _)| *u == account) else {
        return api_error(
            StatusCode::UNAUTHORIZED,
            "authenticate with the account sid and token",
        );
    };
    sim.tokens
        .lock()
        .expect("lock")
        .insert(user.clone(), token.clone());
    let fault = *sim.fault.lock().expect("lock");
    if let Some((kind, until)) = fault {
        if Instant::now() < until {
            return match kind {
                Fault::Error => api_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "simulated provider error",
                ),
                Fault::Timeout => {
                    tokio::time::sleep(Duration::from_secs(15)).await;
                    api_error(StatusCode::GATEWAY_TIMEOUT, "simulated provider time-out")
                }
            };
        }
    }
    if let Some(key) = &form.ringback_key {
        let existing = sim.keys.lock().expect("lock").get(key).cloned();
        if let Some(sid) = existing {
            return (
                StatusCode::CREATED,
                Json(json!({ "sid": sid, "status": "queued", "to": form.to, "from": form.from })),
            )
                .into_response();
        }
    }
    let sid = sim.sid("CA");
    if let Some(key) = &form.ringback_key {
        sim.keys
            .lock()
            .expect("lock")
            .insert(key.clone(), sid.clone());
    }
    let person = sim.person(&form.to);
    let record = CallRecord {
        sid: sid.clone(),
        account_sid: account.clone(),
        parent: None,
        kind: "operator".into(),
        from: form.from.clone(),
        to: form.to.clone(),
        key: form.ringback_key.clone(),
        created_ms: now_ms(),
        status: "queued".into(),
        answered: false,
        said: vec![],
        pressed: None,
        bridged_secs: 0,
        duration_secs: 0,
        ended_by_api: false,
    };
    sim.emit(&record);
    sim.calls.lock().expect("lock").push(record);
    let answer = json!({ "sid": sid, "status": "queued", "to": form.to, "from": form.from });
    let mut control = sim.control(&sid);
    let task_sim = sim.clone();
    let task_sid = sid.clone();
    tokio::spawn(CALL_CLOCK.scope(std::cell::Cell::new(0.0), async move {
        let sim = task_sim;
        let call = Call {
            sid: task_sid.clone(),
            account_sid: account,
            from: form.from.clone(),
            to: form.to.clone(),
            token,
            person,
        };
        sim.update(&call.sid, |r| r.status = "ringing".into());
        let rang = ring(&sim, &mut control, person, form.timeout.unwrap_or(60)).await;
        let status = match rang {
            Rang::Ended(s) => s,
            Rang::Answered => {
                sim.update(&call.sid, |r| {
                    r.answered = true;
                    r.status = "in-progress".into();
                });
                restart_clock();
                match sim
                    .callback(&form.url, &call.params("in-progress"), &call.token)
                    .await
                    .and_then(|x| twiml::parse(&x))
                {
                    Ok(verbs) => execute(&sim, &call, &mut control, verbs).await,
                    Err(e) => eprintln!("call {}: {e}", call.sid),
                }
                let secs = call_clock();
                sim.update(&call.sid, |r| r.duration_secs = secs);
                "completed"
            }
        };
        let duration = sim
            .calls
            .lock()
            .expect("lock")
            .iter()
            .find(|c| c.sid == call.sid)
            .map(|c| c.duration_secs)
            .unwrap_or(0);
        sim.update(&call.sid, |r| r.status = status.into());
        if let Some(url) = &form.status_callback {
            let mut params = call.params(status);
            params.push(p("CallDuration", &duration.to_string()));
            let _ = sim.callback(url, &params, &call.token).await;
        }
        sim.controls.lock().expect("lock").remove(&call.sid);
    }));
    (StatusCode::CREATED, Json(answer)).into_response()
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateCall {
    status: String,
}

async fn update_call(
    State(sim): State<Arc<Sim>>,
    Path((_account, sid)): Path<(String, String)>,
    Form(form): Form<UpdateCall>,
) -> Response {
    let sid = sid.trim_end_matches(".json").to_string();
    if !matches!(form.status.as_str(), "canceled" | "completed") {
        return api_error(
            StatusCode::BAD_REQUEST,
            "Status must be canceled or completed",
        );
    }
    // Ending a call ends its client leg too.
    let legs: Vec<String> = sim
        .calls
        .lock()
        .expect("lock")
        .iter()
        .filter(|c| c.parent.as_deref() == Some(sid.as_str()))
        .map(|c| c.sid.clone())
        .collect();
    let found = sim.set_control(&sid, |c| c.canceled = true);
    sim.update(&sid, |r| r.ended_by_api = true);
    for leg in legs {
        sim.set_control(&leg, |c| c.canceled = true);
    }
    if found || sim.calls.lock().expect("lock").iter().any(|c| c.sid == sid) {
        (
            StatusCode::OK,
            Json(json!({ "sid": sid, "status": form.status })),
        )
            .into_response()
    } else {
        api_error(StatusCode::NOT_FOUND, "no such call")
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SendSms {
    to: String,
    from: String,
    body: String,
}

async fn send_sms(
    State(sim): State<Arc<Sim>>,
    Path(account): Path<String>,
    headers: HeaderMap,
    Form(form): Form<SendSms>,
) -> Response {
    if basic_auth(&headers)
        .filter(|(u, _)| *u == account)
        .is_none()
    {
        return api_error(
            StatusCode::UNAUTHORIZED,
            "authenticate with the account sid and token",
        );
    }
    let sms = Sms {
        sid: sim.sid("SM"),
        account_sid: account,
        from: form.from,
        to: form.to,
        body: form.body,
    };
    let answer = json!({ "sid": sms.sid, "status": "queued" });
    sim.messages.lock().expect("lock").push(sms);
    (StatusCode::CREATED, Json(answer)).into_response()
}

/// `POST /control/people`: adds or replaces the people at the numbers given.
async fn set_people(State(sim): State<Arc<Sim>>, Json(update): Json<People>) -> StatusCode {
    sim.people
        .lock()
        .expect("lock")
        .numbers
        .extend(update.numbers);
    StatusCode::NO_CONTENT
}

/// `POST /control/default`: how people at numbers nobody scripted behave.
async fn set_default(State(sim): State<Arc<Sim>>, Json(person): Json<Person>) -> StatusCode {
    sim.people.lock().expect("lock").default = person;
    StatusCode::NO_CONTENT
}

#[derive(Debug, Deserialize)]
struct FaultRequest {
    kind: Option<Fault>,
    #[serde(default)]
    for_secs: u64,
}

async fn set_fault(State(sim): State<Arc<Sim>>, Json(f): Json<FaultRequest>) -> StatusCode {
    *sim.fault.lock().expect("lock") = f
        .kind
        .map(|k| (k, Instant::now() + Duration::from_secs(f.for_secs)));
    StatusCode::NO_CONTENT
}

#[derive(Debug, Deserialize)]
struct Inbound {
    url: String,
    account_sid: String,
    from: String,
    to: String,
}

async fn inbound(State(sim): State<Arc<Sim>>, Json(call): Json<Inbound>) -> Response {
    let token = sim
        .tokens
        .lock()
        .expect("lock")
        .get(&call.account_sid)
        .cloned();
    let Some(token) = token else {
        return api_error(
            StatusCode::BAD_REQUEST,
            "unknown account: create a call with it first",
        );
    };
    let params = vec![
        p("AccountSid", &call.account_sid),
        p("CallSid", &sim.sid("CA")),
        p("CallStatus", "ringing"),
        p("Direction", "inbound"),
        p("From", &call.from),
        p("To", &call.to),
    ];
    match sim.callback(&call.url, &params, &token).await {
        Ok(body) => (StatusCode::OK, body).into_response(),
        Err(e) => api_error(StatusCode::BAD_GATEWAY, &e.to_string()),
    }
}

async fn answer(State(sim): State<Arc<Sim>>, Path(sid): Path<String>) -> StatusCode {
    if sim.set_control(&sid, |c| c.answered = true) {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
}

async fn press(
    State(sim): State<Arc<Sim>>,
    Path((sid, digit)): Path<(String, char)>,
) -> StatusCode {
    if sim.set_control(&sid, |c| c.pressed = Some(digit)) {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
}

/// `POST /control/hooks/{name}`: how the receiver `/hooks/{name}` behaves from now on.
async fn set_receiver(
    State(sim): State<Arc<Sim>>,
    Path(name): Path<String>,
    Json(r): Json<Receiver>,
) -> StatusCode {
    sim.receivers.lock().expect("lock").insert(name, r);
    StatusCode::NO_CONTENT
}

/// `POST /hooks/{name}`: a customer's webhook receiver (or PBX), checking signatures as the
/// README tells customers to.
async fn receive_hook(
    State(sim): State<Arc<Sim>>,
    Path(name): Path<String>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: String,
) -> Response {
    let header = |k: &str| {
        headers
            .get(k)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let signature = header(shared::webhook::SIGNATURE_HEADER);
    let path = uri
        .path_and_query()
        .map_or(uri.path(), |p| p.as_str())
        .to_string();
    let (verified, refusal, status) = {
        let mut receivers = sim.receivers.lock().expect("lock");
        let r = receivers.entry(name.clone()).or_default();
        let checked = r.secret.as_deref().map(|secret| {
            let signed = shared::webhook::Signed {
                method: "POST",
                path: &path,
                body: body.as_bytes(),
            };
            shared::webhook::verify(secret, signature.as_deref(), &signed, now_ms() / 1000)
        });
        match checked {
            Some(Err(refusal)) => (
                Some(false),
                Some(refusal.to_string()),
                StatusCode::FORBIDDEN,
            ),
            verified if r.fail_next > 0 => {
                r.fail_next -= 1;
                (
                    verified.map(|_| true),
                    None,
                    StatusCode::INTERNAL_SERVER_ERROR,
                )
            }
            verified => (verified.map(|_| true), None, StatusCode::NO_CONTENT),
        }
    };
    sim.hooks.lock().expect("lock").push(Hook {
        name,
        signature,
        body,
        event: header(shared::webhook::EVENT_HEADER),
        delivery: header(shared::webhook::DELIVERY_HEADER),
        verified,
        refusal: refusal.clone(),
        status: status.as_u16(),
    });
    match refusal {
        Some(m) => api_error(status, &m),
        None if status == StatusCode::NO_CONTENT => status.into_response(),
        None => api_error(status, "the receiver is down for a while (simulated)"),
    }
}

async fn events(
    State(sim): State<Arc<Sim>>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, std::convert::Infallible>>> {
    use tokio_stream::StreamExt;
    let history: Vec<String> = sim
        .calls
        .lock()
        .expect("lock")
        .iter()
        .map(|c| serde_json::to_string(c).unwrap_or_default())
        .collect();
    let live =
        tokio_stream::wrappers::BroadcastStream::new(sim.events.subscribe()).filter_map(|m| m.ok());
    let stream = tokio_stream::iter(history)
        .chain(live)
        .map(|data| Ok(Event::default().data(data)));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The simulator's HTTP routes.
pub fn router(sim: Arc<Sim>) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/", get(index))
        .route("/events", get(events))
        .route(
            "/2010-04-01/Accounts/{account}/Calls.json",
            post(create_call),
        )
        .route(
            "/2010-04-01/Accounts/{account}/Calls/{sid}",
            post(update_call),
        )
        .route(
            "/2010-04-01/Accounts/{account}/Messages.json",
            post(send_sms),
        )
        .route("/control/people", post(set_people))
        .route(
            "/control/default",
            post(set_default).get(|State(sim): State<Arc<Sim>>| async move {
                Json(sim.people.lock().expect("lock").default)
            }),
        )
        .route("/control/faults", post(set_fault))
        .route("/control/inbound", post(inbound))
        .route("/control/answer/{sid}", post(answer))
        .route("/control/press/{sid}/{digit}", post(press))
        .route(
            "/control/calls",
            get(|State(sim): State<Arc<Sim>>| async move {
                Json(sim.calls.lock().expect("lock").clone())
            }),
        )
        .route(
            "/control/messages",
            get(|State(sim): State<Arc<Sim>>| async move {
                Json(sim.messages.lock().expect("lock").clone())
            }),
        )
        .route(
            "/control/hooks",
            get(|State(sim): State<Arc<Sim>>| async move {
                Json(sim.hooks.lock().expect("lock").clone())
            }),
        )
        .route("/control/hooks/{name}", post(set_receiver))
        .route("/hooks/{name}", post(receive_hook))
        .with_state(sim)
}

async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        service: "ringback-telephony-simulator".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    })
}

async fn index() -> Html<&'static str> {
    Html(include_str!("index.html"))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn serve(sim: Arc<Sim>) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router(sim)).await.unwrap() });
        format!("http://{addr}")
    }

    #[tokio::test]
    async fn health_answers_ok_over_real_http() {
        let base = serve(Sim::new(1.0)).await;
        let health: Health = reqwest::get(format!("{base}/health"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(health.status, "ok");
        assert_eq!(health.service, "ringback-telephony-simulator");
    }

    /// The receiver plays a careful customer: a bad signature gets 403, a good one 204 (or 500
    /// while it is told to fail), and every request is recorded with the verdict.
    #[tokio::test]
    async fn the_webhook_receiver_checks_signatures_and_fails_on_request() {
        let base = serve(Sim::new(1.0)).await;
        let http = reqwest::Client::new();
        let secret = "hook-secret-0123456789";
        let setup = http
            .post(format!("{base}/control/hooks/crm"))
            .json(&json!({ "secret": secret, "fail_next": 1 }))
            .send()
            .await
            .unwrap();
        assert_eq!(setup.status(), 204);
        let body = r#"{"event":"order.created"}"#;
        let post = |path: &'static str, signed_path: &'static str, key: &'static str| {
            let now = now_ms() / 1000;
            let signed = shared::webhook::Signed {
                method: "POST",
                path: signed_path,
                body: body.as_bytes(),
            };
            let sig = shared::webhook::sign(key, now, &signed);
            let http = http.clone();
            let url = format!("{base}{path}");
            async move {
                http.post(url)
                    .header("X-Ringback-Signature", sig)
                    .header("X-Ringback-Delivery", "d-1")
                    .body(body)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        };
        assert_eq!(
            post("/hooks/crm", "/hooks/crm", "wrong-secret-0123").await,
            403
        );
        assert_eq!(post("/hooks/crm", "/hooks/other", secret).await, 403);
        assert_eq!(post("/hooks/crm", "/hooks/crm", secret).await, 500);
        assert_eq!(post("/hooks/crm", "/hooks/crm", secret).await, 204);
        // A receiver nobody set up takes anything and checks nothing.
        assert_eq!(post("/hooks/open", "/x", "any").await, 204);
        let hooks: Vec<Hook> = reqwest::get(format!("{base}/control/hooks"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let seen: Vec<(Option<bool>, u16)> = hooks.iter().map(|h| (h.verified, h.status)).collect();
        assert_eq!(
            seen,
            [
                (Some(false), 403),
                (Some(false), 403),
                (Some(true), 500),
                (Some(true), 204),
                (None, 204)
            ]
        );
        assert!(hooks[0].refusal.as_deref().unwrap().contains("wrong"));
        assert_eq!(hooks[3].delivery.as_deref(), Some("d-1"));
    }

    /// Callbacks a fake Ringback received: path, parameters, whether the signature was right.
    type Seen = Arc<Mutex<Vec<(String, HashMap<String, String>, bool)>>>;

    /// A tiny stand-in for Ringback: answers TwiML and records callbacks, checking signatures.
    async fn fake_ringback(seen: Seen, twiml_answer: &'static str) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let base = format!("http://{addr}");
        let b = base.clone();
        let app = Router::new().route(
            "/{*path}",
            post(
                move |Path(path): Path<String>,
                      headers: HeaderMap,
                      Form(form): Form<HashMap<String, String>>| {
                    let seen = seen.clone();
                    let b = b.clone();
                    async move {
                        let url = format!("{b}/{path}");
                        let mut params: Vec<(String, String)> = form.clone().into_iter().collect();
                        params.sort();
                        let sig = headers
                            .get("x-twilio-signature")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("");
                        let valid =
                            shared::telephony::twilio_signature_valid("tok", &url, &params, sig);
                        seen.lock().unwrap().push((path.clone(), form, valid));
                        if path == "twiml" {
                            twiml_answer.replace("{base}", &b)
                        } else {
                            "<Response><Hangup/></Response>".to_string()
                        }
                    }
                },
            ),
        );
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        base
    }

    #[tokio::test]
    async fn a_call_fetches_twiml_dials_the_client_and_reports_signed_callbacks() {
        let sim = Sim::new(200.0);
        sim.people.lock().unwrap().numbers.insert(
            "+79160000002".into(),
            Person {
                answer: Answer::After(3),
                press: None,
                talk: 40,
                voicemail: false,
            }
            .into(),
        );
        let base = serve(sim.clone()).await;
        let seen = Arc::new(Mutex::new(Vec::new()));
        let ringback = fake_ringback(
            seen.clone(),
            "<Response><Say loop=\"1\">Hello</Say><Dial timeout=\"30\" action=\"{base}/dial\"><Number statusCallback=\"{base}/client\">+79160000002</Number></Dial></Response>",
        )
        .await;
        let res = reqwest::Client::new()
            .post(format!("{base}/2010-04-01/Accounts/AC1/Calls.json"))
            .basic_auth("AC1", Some("tok"))
            .form(&[
                ("To", "+74950000001"),
                ("From", "+74950000000"),
                ("Url", &format!("{ringback}/twiml")),
                ("StatusCallback", &format!("{ringback}/status")),
                ("RingbackKey", "k1"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        let again = reqwest::Client::new()
            .post(format!("{base}/2010-04-01/Accounts/AC1/Calls.json"))
            .basic_auth("AC1", Some("tok"))
            .form(&[
                ("To", "+74950000001"),
                ("From", "+74950000000"),
                ("Url", &format!("{ringback}/twiml")),
                ("RingbackKey", "k1"),
            ])
            .send()
            .await
            .unwrap();
        let a: serde_json::Value = res.json().await.unwrap();
        let b: serde_json::Value = again.json().await.unwrap();
        assert_eq!(a["sid"], b["sid"], "the same key creates one call");
        for _ in 0..200 {
            if seen
                .lock()
                .unwrap()
                .iter()
                .any(|(path, _, _)| path == "status")
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let seen = seen.lock().unwrap().clone();
        let paths: Vec<&str> = seen.iter().map(|(p, _, _)| p.as_str()).collect();
        assert_eq!(paths, ["twiml", "client", "dial", "status"]);
        assert!(
            seen.iter().all(|(_, _, valid)| *valid),
            "every callback is signed"
        );
        assert_eq!(seen[2].1["DialCallStatus"], "completed");
        assert_eq!(seen[2].1["DialCallDuration"], "40");
        assert_eq!(seen[3].1["CallStatus"], "completed");
        // The operator's call lasted the announcement, the client's ring and the talk, whatever
        // the network took.
        assert_eq!(seen[3].1["CallDuration"], "50");
        let calls: Vec<CallRecord> = reqwest::get(format!("{base}/control/calls"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(calls.len(), 2, "the operator call and the client leg");
        assert_eq!(calls[0].said, ["say×1: Hello"]);
        assert!(calls[1].answered);
    }

    #[tokio::test]
    async fn busy_and_unreachable_people_end_the_call_with_their_status() {
        let sim = Sim::new(500.0);
        sim.people.lock().unwrap().numbers.insert(
            "+1".into(),
            Person {
                answer: Answer::Busy,
                ..Person::default()
            }
            .into(),
        );
        sim.people.lock().unwrap().numbers.insert(
            "+2".into(),
            Person {
                answer: Answer::Unreachable,
                ..Person::default()
            }
            .into(),
        );
        sim.people.lock().unwrap().numbers.insert(
            "+3".into(),
            Person {
                answer: Answer::After(40),
                ..Person::default()
            }
            .into(),
        );
        let mut c = watch::channel(Control::default()).1;
        assert!(matches!(
            ring(&sim, &mut c, sim.person("+1"), 30).await,
            Rang::Ended("busy")
        ));
        assert!(matches!(
            ring(&sim, &mut c, sim.person("+2"), 30).await,
            Rang::Ended("failed")
        ));
        assert!(matches!(
            ring(&sim, &mut c, sim.person("+3"), 30).await,
            Rang::Ended("no-answer")
        ));
        assert!(matches!(
            ring(&sim, &mut c, Person::default(), 30).await,
            Rang::Answered
        ));
    }

    #[test]
    fn form_encoding_matches_what_servers_decode() {
        assert_eq!(
            encode(&[p("To", "+7 916"), p("Body", "a&b=c/д")]),
            "To=%2B7+916&Body=a%26b%3Dc%2F%D0%B4"
        );
    }
}
