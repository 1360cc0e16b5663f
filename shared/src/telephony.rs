//! Telephony: the provider settings of an account, and the pure parts of the adapters (the
//! worker does the HTTP).
//!
//! - *Twilio-compatible voice API*: calls are created over REST; when an operator answers, the
//!   provider fetches TwiML that [`twiml`] renders from the chain's commands (announcement by
//!   speech or audio, repeated; key-press gathering; dialing the client for 30 s); every callback
//!   carries `X-Twilio-Signature`, checked with [`twilio_signature`].
//! - *Generic webhook* for a customer's own PBX: a JSON order in a signed POST, and signed
//!   status events back ([`crate::webhook`]: timestamp, method, path and body, 5 minutes).
//! - Outgoing webhooks on order and status changes are signed the same way.
//! - [`Clock`]: local development can run chains faster ("minutes become seconds").

use crate::announcements::Announcement;
use crate::attempt::{AttemptRecord, CallReport, EndCause};
pub use crate::cabinet_api::{Provider, TelephonyUpdate, TelephonyView};
use crate::chain::{Command, Event};
use crate::forwarding::OperatorDial;
use crate::texts::Lang;
use crate::validation::Problems;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};

/// An account's telephony, as stored (secrets included; never sent to the cabinet).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TelephonySettings {
    /// The provider calls go through.
    pub provider: Provider,
    /// Base URL of the Twilio-compatible API, e.g. `https://api.twilio.com`.
    #[serde(default)]
    pub base_url: String,
    /// The provider account (Basic auth user).
    #[serde(default)]
    pub account_sid: String,
    /// The provider secret (Basic auth password, and the key of callback signatures).
    #[serde(default)]
    pub auth_token: String,
    /// The number calls come from, E.164.
    #[serde(default)]
    pub from: String,
    /// The PBX's order endpoint (generic webhook adapter).
    #[serde(default)]
    pub pbx_url: String,
    /// The secret both directions of the PBX webhook are signed with.
    #[serde(default)]
    pub pbx_secret: String,
    /// Where order and status changes are posted (empty: nowhere).
    #[serde(default)]
    pub webhook_url: String,
    /// The secret outgoing webhooks are signed with.
    #[serde(default)]
    pub webhook_secret: String,
}

impl TelephonySettings {
    /// The settings after a cabinet update: a secret left out keeps its stored value.
    pub fn updated(&self, u: TelephonyUpdate) -> TelephonySettings {
        let keep = |new: Option<String>, old: &str| match new {
            Some(s) if !s.is_empty() => s,
            _ => old.to_string(),
        };
        TelephonySettings {
            provider: u.provider,
            base_url: u.base_url.trim().trim_end_matches('/').to_string(),
            account_sid: u.account_sid.trim().to_string(),
            auth_token: keep(u.auth_token, &self.auth_token),
            from: u.from.trim().to_string(),
            pbx_url: u.pbx_url.trim().to_string(),
            pbx_secret: keep(u.pbx_secret, &self.pbx_secret),
            webhook_url: u.webhook_url.trim().to_string(),
            webhook_secret: keep(u.webhook_secret, &self.webhook_secret),
        }
    }

    /// What the cabinet may see; `inbound_url` is where inbound-call notifications go.
    pub fn view(&self, inbound_url: String) -> TelephonyView {
        TelephonyView {
            provider: self.provider,
            base_url: self.base_url.clone(),
            account_sid: self.account_sid.clone(),
            auth_token_set: !self.auth_token.is_empty(),
            from: self.from.clone(),
            pbx_url: self.pbx_url.clone(),
            pbx_secret_set: !self.pbx_secret.is_empty(),
            webhook_url: self.webhook_url.clone(),
            webhook_secret_set: !self.webhook_secret.is_empty(),
            inbound_url,
        }
    }

    /// Every problem, for the provider chosen. Every address Ringback sends a secret or a
    /// number to is https ([`crate::webhook::check_url`]; `loopback_http`: a development build
    /// also takes `http://` to this machine).
    pub fn validate(&self, problems: &mut Problems, loopback_http: bool) {
        let address = |problems: &mut Problems, path: &str, url: &str, example: &str| {
            if let Err(m) = crate::webhook::check_url(url, loopback_http) {
                problems.add(path, format!("{m}, e.g. {example}"));
            }
        };
        match self.provider {
            Provider::Twilio => {
                address(
                    problems,
                    "base_url",
                    &self.base_url,
                    "https://api.twilio.com",
                );
                if self.account_sid.trim().is_empty() {
                    problems.add("account_sid", "must not be empty");
                }
                if self.auth_token.trim().is_empty() {
                    problems.add("auth_token", "must not be empty");
                }
                if self.from.trim().is_empty() {
                    problems.add("from", "the number calls come from is required");
                }
            }
            Provider::Webhook => {
                address(
                    problems,
                    "pbx_url",
                    &self.pbx_url,
                    "https://pbx.example/ringback",
                );
                if self.pbx_secret.len() < 16 {
                    problems.add("pbx_secret", "use a secret of at least 16 characters");
                }
            }
        }
        if !self.webhook_url.is_empty() {
            let example = "https://crm.example/ringback-hook";
            address(problems, "webhook_url", &self.webhook_url, example);
            if self.webhook_secret.len() < 16 {
                problems.add("webhook_secret", "use a secret of at least 16 characters");
            }
        }
    }
}

/// Twilio's request signature: base64 of HMAC-SHA1 over the full URL followed by every POST
/// parameter, sorted by name, as name and value concatenated.
pub fn twilio_signature(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    let mut data = url.to_string();
    for (k, v) in sorted {
        data.push_str(k);
        data.push_str(v);
    }
    let mut mac =
        Hmac::<sha1::Sha1>::new_from_slice(auth_token.as_bytes()).expect("any key length");
    mac.update(data.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Whether a callback's `X-Twilio-Signature` is right (compared in constant time).
pub fn twilio_signature_valid(
    auth_token: &str,
    url: &str,
    params: &[(String, String)],
    header: &str,
) -> bool {
    let want = twilio_signature(auth_token, url, params);
    want.len() == header.len()
        && want
            .bytes()
            .zip(header.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Where the provider sends its callbacks for one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackUrls {
    /// Gather's `action`: the operator's digits.
    pub gather: String,
    /// Dial's `action`: how the client leg ended.
    pub dial: String,
    /// The client leg's status callback: the client answered.
    pub client: String,
    /// The number the client sees.
    pub caller_id: String,
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn language(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => "ru-RU",
        Lang::En => "en-US",
    }
}

/// Seconds one played announcement is reckoned to last in key-press mode ("one per 8 s").
const KEY_ANNOUNCEMENT_SECS: u32 = 8;

fn announce(a: &Announcement, plays: u32, lang: Lang) -> String {
    match a {
        Announcement::Speech { text } => format!(
            r#"<Say language="{}" loop="{plays}">{}</Say>"#,
            language(lang),
            xml(text)
        ),
        Announcement::Audio { url } => format!(r#"<Play loop="{plays}">{}</Play>"#, xml(url)),
    }
}

/// The TwiML answer for the voice commands of one chain step: the announcement, the key-press
/// gathering around it, dialing the client for 30 s, or hanging up. Commands that are not about
/// the call (journal, wake-ups) are ignored; no voice command at all hangs up.
pub fn twiml(commands: &[Command], urls: &CallbackUrls, lang: Lang) -> String {
    let mut verbs = String::new();
    let mut pending_announce: Option<(String, u32)> = None;
    for c in commands {
        match c {
            Command::Announce {
                announcement,
                plays,
                ..
            } => pending_announce = Some((announce(announcement, *plays, lang), *plays)),
            Command::GatherKey { timeout_secs, .. } => {
                let (inner, plays) = pending_announce.take().unwrap_or_default();
                // The announcement loops for the wait; Gather's own timeout is what remains.
                let timeout = timeout_secs
                    .saturating_sub(plays * KEY_ANNOUNCEMENT_SECS)
                    .max(1);
                verbs.push_str(&format!(
                    r#"<Gather input="dtmf" numDigits="1" timeout="{timeout}" action="{}" method="POST">{inner}</Gather><Hangup/>"#,
                    xml(&urls.gather)
                ));
            }
            Command::DialClient {
                number,
                timeout_secs,
                ..
            } => {
                if let Some((a, _)) = pending_announce.take() {
                    verbs.push_str(&a);
                }
                verbs.push_str(&format!(
                    r#"<Dial timeout="{timeout_secs}" action="{}" method="POST" callerId="{}"><Number statusCallbackEvent="answered" statusCallback="{}" statusCallbackMethod="POST">{}</Number></Dial><Hangup/>"#,
                    xml(&urls.dial),
                    xml(&urls.caller_id),
                    xml(&urls.client),
                    xml(number)
                ));
            }
            Command::HangUp { .. } => verbs.push_str("<Hangup/>"),
            _ => {}
        }
    }
    if let Some((a, _)) = pending_announce {
        verbs.push_str(&a);
    }
    if verbs.is_empty() {
        verbs.push_str("<Hangup/>");
    }
    format!(r#"<?xml version="1.0" encoding="UTF-8"?><Response>{verbs}</Response>"#)
}

/// How a `<Dial>` to the client ended (`DialCallStatus`).
pub fn dial_end_cause(dial_call_status: &str) -> EndCause {
    match dial_call_status {
        "completed" | "answered" => EndCause::Completed,
        "busy" => EndCause::ClientBusy,
        "no-answer" | "canceled" => EndCause::ClientNoAnswer,
        "failed" => EndCause::ClientUnreachable,
        _ => EndCause::Error,
    }
}

/// How an operator leg ended before anyone answered (`CallStatus`), or `None` while it is
/// still going.
pub fn operator_end_cause(call_status: &str) -> Option<EndCause> {
    match call_status {
        "busy" => Some(EndCause::OperatorBusy),
        "no-answer" | "canceled" => Some(EndCause::OperatorNoAnswer),
        "failed" => Some(EndCause::OperatorUnreachable),
        "completed" => Some(EndCause::Completed),
        _ => None,
    }
}

/// What Ringback posts to a customer's PBX (the generic webhook adapter), as JSON signed with
/// the PBX secret ([`crate::webhook::sign`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum PbxRequest {
    /// Start attempt `attempt`: ring the operators; report to `callback_url` with
    /// [`PbxEvent`]s and do what each answer's [`PbxAnswer::commands`] say.
    Dial {
        /// The order.
        order_id: String,
        /// The attempt's number in the chain.
        attempt: u32,
        /// Which operator numbers to ring, and how.
        operators: OperatorDial,
        /// The client's number, E.164.
        client: String,
        /// The extension the client typed after the number: for the operator to dial by hand
        /// once connected; never part of the number dialed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client_extension: Option<String>,
        /// Where the PBX posts the attempt's events.
        callback_url: String,
    },
    /// End the attempt's call if it is still up.
    HangUp {
        /// The order.
        order_id: String,
        /// The attempt's number in the chain.
        attempt: u32,
    },
}

/// What a PBX reports about an attempt, posted as JSON to the attempt's `callback_url` and
/// signed like [`PbxRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum PbxEvent {
    /// An operator picked up.
    OperatorAnswered {
        /// Which of the operator numbers.
        number: String,
    },
    /// The operator pressed a digit.
    KeyPressed {
        /// The digit.
        digit: u8,
    },
    /// The client picked up.
    ClientAnswered,
    /// The attempt's call is over.
    CallEnded {
        /// How it ended.
        cause: EndCause,
        /// Seconds operator and client were bridged.
        #[serde(default)]
        bridged_secs: u32,
        /// Seconds from the operator answering to the end.
        #[serde(default)]
        total_secs: u32,
    },
}

impl PbxEvent {
    /// The chain's event for attempt `attempt`.
    pub fn into_event(self, attempt: u32) -> Event {
        match self {
            PbxEvent::OperatorAnswered { number } => Event::OperatorAnswered { attempt, number },
            PbxEvent::KeyPressed { digit } => Event::KeyPressed { attempt, digit },
            PbxEvent::ClientAnswered => Event::ClientAnswered { attempt },
            PbxEvent::CallEnded {
                cause,
                bridged_secs,
                total_secs,
            } => Event::CallEnded {
                attempt,
                report: CallReport {
                    cause,
                    bridged_secs,
                    total_secs,
                },
            },
        }
    }
}

/// Ringback's answer to a [`PbxEvent`]: what the PBX does now, in order (`announce`,
/// `gather_key`, `dial_client`, `hang_up`); empty: carry on.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PbxAnswer {
    /// The voice commands of the chain's step.
    pub commands: Vec<Command>,
}

impl PbxAnswer {
    /// Keeps the commands a PBX acts on.
    pub fn from_commands(commands: &[Command]) -> PbxAnswer {
        PbxAnswer {
            commands: commands
                .iter()
                .filter(|c| {
                    matches!(
                        c,
                        Command::Announce { .. }
                            | Command::GatherKey { .. }
                            | Command::DialClient { .. }
                            | Command::HangUp { .. }
                    )
                })
                .cloned()
                .collect(),
        }
    }
}

/// An outgoing webhook: posted as JSON to the account's webhook URL on order and status
/// changes, signed with the webhook secret ([`crate::webhook::sign`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEvent {
    /// `order.created`, `order.status` or `call.ended`.
    pub event: String,
    /// The order.
    pub order_id: String,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The client's number.
    pub phone: String,
    /// The order's status after the change: scheduled, calling, success, failed, cancelled.
    pub status: String,
    /// The attempt that ended (`call.ended`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempt: Option<AttemptRecord>,
}

/// The chain clock. In production `speed` is 1 and chain time is real time. Local development
/// may run it faster (`speed` 60: a minute passes in a second) so that retries and scheduled
/// slots come within a test's patience; telephony durations scale the same way in the
/// simulator. Chain time starts at `epoch` (when the order came in) equal to real time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// Real time, ms since the epoch, where chain time equals real time.
    pub epoch_ms: i64,
    /// Chain seconds per real second (1 in production).
    pub speed: u32,
}

impl Clock {
    /// Real time.
    pub fn real(epoch_ms: i64) -> Clock {
        Clock { epoch_ms, speed: 1 }
    }

    /// Chain time at real time `real_ms`.
    pub fn now(&self, real_ms: i64) -> DateTime<Utc> {
        let ms = self.epoch_ms + (real_ms - self.epoch_ms) * i64::from(self.speed.max(1));
        DateTime::from_timestamp_millis(ms).unwrap_or_default()
    }

    /// The real time, ms, at which chain time reaches `at`.
    pub fn real_ms(&self, at: DateTime<Utc>) -> i64 {
        self.epoch_ms + (at.timestamp_millis() - self.epoch_ms) / i64::from(self.speed.max(1))
    }

    /// A chain duration in real time.
    pub fn real_duration(&self, d: Duration) -> Duration {
        d / (self.speed.max(1) as i32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Twilio's documented example: token `12345`, URL
    /// `https://mycompany.com/myapp.php?foo=1&bar=2` and five parameters sign to
    /// `0/KCTR6DLpKmkAf8muzZqo1nDgQ=`.
    #[test]
    fn signatures_match_twilios_documented_example() {
        let params: Vec<(String, String)> = [
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+12349013030"),
            ("Digits", "1234"),
            ("From", "+12349013030"),
            ("To", "+18005551212"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        assert_eq!(
            twilio_signature("12345", url, &params),
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
        );
        assert!(twilio_signature_valid(
            "12345",
            url,
            &params,
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
        ));
        assert!(!twilio_signature_valid(
            "12345",
            url,
            &params,
            "0/KCTR6DLpKmkAf8muzZqo1nDgQx"
        ));
        assert!(!twilio_signature_valid(
            "54321",
            url,
            &params,
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
        ));
    }

    fn urls() -> CallbackUrls {
        CallbackUrls {
            gather: "https://rb.example/g?a=1&b=2".into(),
            dial: "https://rb.example/d".into(),
            client: "https://rb.example/c".into(),
            caller_id: "+74950000000".into(),
        }
    }

    #[test]
    fn auto_mode_says_the_announcement_then_dials_the_client_for_30_seconds() {
        let commands = [
            Command::Announce {
                attempt: 1,
                announcement: Announcement::Speech {
                    text: "Callback <from> the site".into(),
                },
                plays: 2,
            },
            Command::DialClient {
                attempt: 1,
                number: "+79161234567".into(),
                timeout_secs: 30,
            },
            Command::WakeAt {
                at: DateTime::from_timestamp_millis(0).unwrap(),
            },
        ];
        assert_eq!(
            twiml(&commands, &urls(), Lang::En),
            r#"<?xml version="1.0" encoding="UTF-8"?><Response><Say language="en-US" loop="2">Callback &lt;from&gt; the site</Say><Dial timeout="30" action="https://rb.example/d" method="POST" callerId="+74950000000"><Number statusCallbackEvent="answered" statusCallback="https://rb.example/c" statusCallbackMethod="POST">+79161234567</Number></Dial><Hangup/></Response>"#
        );
    }

    #[test]
    fn key_press_mode_gathers_one_digit_around_the_looping_announcement() {
        let commands = [
            Command::Announce {
                attempt: 1,
                announcement: Announcement::Audio {
                    url: "https://cdn.example/a.mp3".into(),
                },
                plays: 8,
            },
            Command::GatherKey {
                attempt: 1,
                digit: 5,
                timeout_secs: 60,
            },
        ];
        assert_eq!(
            twiml(&commands, &urls(), Lang::Ru),
            r#"<?xml version="1.0" encoding="UTF-8"?><Response><Gather input="dtmf" numDigits="1" timeout="1" action="https://rb.example/g?a=1&amp;b=2" method="POST"><Play loop="8">https://cdn.example/a.mp3</Play></Gather><Hangup/></Response>"#
        );
        // A wrong digit: wait out what is left, without the announcement.
        let again = [Command::GatherKey {
            attempt: 1,
            digit: 5,
            timeout_secs: 25,
        }];
        assert!(twiml(&again, &urls(), Lang::Ru).contains(r#"timeout="25""#));
    }

    #[test]
    fn nothing_to_say_hangs_up() {
        assert_eq!(
            twiml(&[], &urls(), Lang::Ru),
            r#"<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>"#
        );
        let dial = OperatorDial::single("+74951234567");
        let only_dial = [Command::DialOperators { attempt: 1, dial }];
        assert!(twiml(&only_dial, &urls(), Lang::Ru).contains("<Hangup/>"));
    }

    #[test]
    fn pbx_events_read_from_json_and_answers_keep_voice_commands() {
        let e: PbxEvent =
            serde_json::from_str(r#"{"event":"call_ended","cause":"client_busy"}"#).unwrap();
        assert_eq!(
            e.into_event(3),
            Event::CallEnded {
                attempt: 3,
                report: CallReport {
                    cause: EndCause::ClientBusy,
                    bridged_secs: 0,
                    total_secs: 0
                }
            }
        );
        let answer = PbxAnswer::from_commands(&[
            Command::ClearWake,
            Command::DialClient {
                attempt: 1,
                number: "+79161234567".into(),
                timeout_secs: 30,
            },
        ]);
        assert_eq!(
            serde_json::to_string(&answer).unwrap(),
            r#"{"commands":[{"command":"dial_client","attempt":1,"number":"+79161234567","timeout_secs":30}]}"#
        );
    }

    #[test]
    fn provider_statuses_map_to_end_causes() {
        assert_eq!(dial_end_cause("completed"), EndCause::Completed);
        assert_eq!(dial_end_cause("busy"), EndCause::ClientBusy);
        assert_eq!(dial_end_cause("no-answer"), EndCause::ClientNoAnswer);
        assert_eq!(dial_end_cause("failed"), EndCause::ClientUnreachable);
        assert_eq!(dial_end_cause("weird"), EndCause::Error);
        assert_eq!(operator_end_cause("busy"), Some(EndCause::OperatorBusy));
        assert_eq!(
            operator_end_cause("no-answer"),
            Some(EndCause::OperatorNoAnswer)
        );
        assert_eq!(
            operator_end_cause("failed"),
            Some(EndCause::OperatorUnreachable)
        );
        assert_eq!(operator_end_cause("ringing"), None);
    }

    #[test]
    fn the_fast_clock_turns_minutes_into_seconds() {
        let c = Clock {
            epoch_ms: 1_000_000,
            speed: 60,
        };
        assert_eq!(c.now(1_000_000).timestamp_millis(), 1_000_000);
        assert_eq!(c.now(1_001_000).timestamp_millis(), 1_000_000 + 60_000);
        let five_minutes_later = DateTime::from_timestamp_millis(1_000_000 + 300_000).unwrap();
        assert_eq!(c.real_ms(five_minutes_later), 1_005_000);
        assert_eq!(c.real_duration(Duration::minutes(5)), Duration::seconds(5));
        let real = Clock::real(0);
        assert_eq!(real.now(42).timestamp_millis(), 42);
    }

    #[test]
    fn settings_hide_their_secrets_and_check_the_provider_fields() {
        let mut s = TelephonySettings {
            provider: Provider::Twilio,
            base_url: "https://api.twilio.com".into(),
            account_sid: "AC1".into(),
            auth_token: "secret".into(),
            from: "+74950000000".into(),
            ..Default::default()
        };
        let v = s.view("https://rb.example/api/telephony/twilio/inbound".into());
        assert!(v.auth_token_set);
        assert!(!serde_json::to_string(&v).unwrap().contains("secret\""));
        let mut p = Problems::new();
        s.validate(&mut p, false);
        assert!(p.is_empty());
        // Secrets left out keep their value; others change.
        let kept = s.updated(TelephonyUpdate {
            provider: Provider::Twilio,
            base_url: "https://api.example/".into(),
            account_sid: "AC2".into(),
            ..Default::default()
        });
        assert_eq!(
            (kept.auth_token.as_str(), kept.base_url.as_str()),
            ("secret", "https://api.example")
        );
        s.provider = Provider::Webhook;
        s.webhook_url = "ftp://x".into();
        let mut p = Problems::new();
        s.validate(&mut p, false);
        let paths: Vec<_> = p.into_vec().into_iter().map(|p| p.path).collect();
        assert_eq!(
            paths,
            ["pbx_url", "pbx_secret", "webhook_url", "webhook_secret"]
        );
        // "https only": plain http is refused, except to this machine in a development build.
        s.pbx_url = "https://pbx.example/ringback".into();
        s.pbx_secret = "pbx-secret-0123456789".into();
        s.webhook_secret = "hook-secret-0123456789".into();
        for (url, loopback_http, refused) in [
            ("http://crm.example/hook", false, true),
            ("http://crm.example/hook", true, true),
            ("http://127.0.0.1:8790/hooks/a", false, true),
            ("http://127.0.0.1:8790/hooks/a", true, false),
            ("https://user:pw@crm.example/hook", false, true),
            ("https://crm.example/hook", false, false),
        ] {
            s.webhook_url = url.into();
            let mut p = Problems::new();
            s.validate(&mut p, loopback_http);
            let paths: Vec<_> = p.into_vec().into_iter().map(|p| p.path).collect();
            assert_eq!(paths == ["webhook_url"], refused, "{url}: {paths:?}");
        }
    }
}
