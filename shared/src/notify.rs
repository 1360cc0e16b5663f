//! Notifications (SPEC §4): "(email and SMS) per widget: `all`, `failed` (only when the chain's
//! last call failed), `last_in_chain` (one message per chain: at the first success or the last
//! attempt, with the history of attempts). Duplicates across settings are sent once. The subject
//! contains the department name."
//!
//! Worked cases: "Without retries: success → no `failed` mail; with 2 retries: fail, fail, fail →
//! one mail listing all three; fail, success → none."
//!
//! Seed 000 adds: several addresses of one kind get one common email with everyone in copy; an
//! SMS goes to each number.

use crate::attempt::AttemptRecord;
#[cfg(feature = "server")]
use crate::attempt::AttemptResult;
use crate::texts::Lang;
use crate::validation::Problems;
use serde::{Deserialize, Serialize};

/// When a recipient hears about calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotifyMode {
    /// About every call.
    All,
    /// Only when the chain's last call failed, listing every attempt.
    Failed,
    /// One message per chain: at the first success or after the last attempt.
    LastInChain,
}

/// Email or SMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// By email; several addresses get one common email.
    Email,
    /// By SMS, one to each number.
    Sms,
}

/// One recipient with one mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct NotificationRule {
    /// Email or SMS.
    pub channel: Channel,
    /// An email address or an E.164 number.
    pub to: String,
    /// `all`, `failed` or `last_in_chain`.
    pub mode: NotifyMode,
}

impl NotificationRule {
    /// Every problem of a rule list under `path`.
    pub fn validate_all(rules: &[NotificationRule], path: &str, problems: &mut Problems) {
        for (i, r) in rules.iter().enumerate() {
            let to = r.to.trim();
            let p = format!("{path}[{i}].to");
            match r.channel {
                Channel::Email => {
                    let ok = to.split_once('@').is_some_and(|(user, host)| {
                        !user.is_empty()
                            && host.contains('.')
                            && !host.starts_with('.')
                            && !host.ends_with('.')
                    }) && !to.contains(char::is_whitespace);
                    if !ok {
                        problems.add(p, "is not an email address");
                    }
                }
                Channel::Sms =>
                {
                    #[cfg(feature = "server")]
                    if crate::phone::normalize(to, "RU").is_err() {
                        problems.add(p, "is not a phone number");
                    }
                }
            }
        }
    }
}

/// What a message is about, beyond its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct NotifyContext {
    /// The site's domain.
    pub site: String,
    /// The widget's name.
    pub widget: String,
    /// The department the visitor chose, if any: it goes into the subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// The client's number, E.164.
    pub client: String,
    /// The extension typed after the number, if any (never dialed; the operator dials it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_extension: Option<String>,
    /// Zone for the times in the text (the call center's).
    pub zone: String,
    /// The language of the messages.
    #[serde(default)]
    pub lang: Lang,
}

/// The reason a message is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// About one call (`all`).
    Call,
    /// The chain is over (`failed`, `last_in_chain`), with its history.
    Chain,
}

/// A message to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Message {
    /// Email or SMS.
    pub channel: Channel,
    /// Recipients: several for one email (everyone sees who got it), one for an SMS.
    pub to: Vec<String>,
    /// About one call, or about the chain with its history.
    pub kind: MessageKind,
    /// Names the client and, if any, the department.
    pub subject: String,
    /// The text: the call, or every call of the chain, with its result.
    pub body: String,
}

/// Where a chain stands when it asks whom to tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    /// The chain (or a manual re-scheduling's segment of it) is over: nothing more is due.
    pub chain_over: bool,
    /// The moment is an attempt ending (not a cancellation between attempts).
    pub attempt_ended: bool,
}

/// The modes that speak at this moment, given the attempts of the current segment (the last
/// one is the attempt that just ended, if `attempt_ended`).
pub fn modes_due(segment: &[AttemptRecord], moment: Moment) -> Vec<NotifyMode> {
    let mut due = Vec::new();
    let last = segment.last();
    let last_failed = last.is_some_and(|a| !a.succeeded());
    let successes = segment.iter().filter(|a| a.succeeded()).count();
    if moment.attempt_ended && last.is_some() {
        due.push(NotifyMode::All);
    }
    if moment.chain_over && last_failed {
        due.push(NotifyMode::Failed);
    }
    let first_success_now =
        moment.attempt_ended && last.is_some_and(|a| a.succeeded()) && successes == 1;
    let over_without_success = moment.chain_over && successes == 0 && last.is_some();
    if first_success_now || over_without_success {
        due.push(NotifyMode::LastInChain);
    }
    due
}

#[cfg(feature = "server")]
/// The messages for this moment: each recipient once ("Duplicates across settings are sent
/// once", with the chain's history whenever any of their modes wants it), emails to the same
/// content grouped into one, SMS one per number.
pub fn messages(
    rules: &[NotificationRule],
    ctx: &NotifyContext,
    segment: &[AttemptRecord],
    moment: Moment,
) -> Vec<Message> {
    let due = modes_due(segment, moment);
    // Per (channel, recipient): the richest kind any of their due modes asks for.
    let mut wanted: Vec<(Channel, String, MessageKind)> = Vec::new();
    for rule in rules.iter().filter(|r| due.contains(&r.mode)) {
        let kind = match rule.mode {
            NotifyMode::All => MessageKind::Call,
            NotifyMode::Failed | NotifyMode::LastInChain => MessageKind::Chain,
        };
        let to = rule.to.trim().to_string();
        match wanted
            .iter_mut()
            .find(|(c, t, _)| *c == rule.channel && t.eq_ignore_ascii_case(&to))
        {
            Some(w) => {
                if kind == MessageKind::Chain {
                    w.2 = MessageKind::Chain;
                }
            }
            None => wanted.push((rule.channel, to, kind)),
        }
    }
    let mut out: Vec<Message> = Vec::new();
    for (channel, to, kind) in wanted {
        let (subject, body) = compose(ctx, segment, kind, channel);
        match out
            .iter_mut()
            .find(|m| channel == Channel::Email && m.channel == channel && m.kind == kind)
        {
            Some(m) => m.to.push(to),
            None => out.push(Message {
                channel,
                to: vec![to],
                kind,
                subject,
                body,
            }),
        }
    }
    out
}

#[cfg(feature = "server")]
fn result_text(a: &AttemptRecord, lang: Lang) -> String {
    match (&a.result, lang) {
        (Some(AttemptResult::Success { bridged_secs, .. }), Lang::En) => {
            format!("connected, talked {bridged_secs} s")
        }
        (Some(AttemptResult::Success { bridged_secs, .. }), Lang::Ru) => {
            format!("соединение, разговор {bridged_secs} с")
        }
        (Some(AttemptResult::Failed { cause, .. }), lang) => cause.describe(lang).to_string(),
        (None, Lang::En) => "in progress".into(),
        (None, Lang::Ru) => "идёт".into(),
    }
}

#[cfg(feature = "server")]
fn compose(
    ctx: &NotifyContext,
    segment: &[AttemptRecord],
    kind: MessageKind,
    channel: Channel,
) -> (String, String) {
    let tz: chrono_tz::Tz = ctx.zone.parse().unwrap_or(chrono_tz::Europe::Moscow);
    let lang = ctx.lang;
    let success = segment.iter().any(|a| a.succeeded());
    let verdict = match (success, lang) {
        (true, Lang::En) => "connected",
        (true, Lang::Ru) => "соединение состоялось",
        (false, Lang::En) => "not connected",
        (false, Lang::Ru) => "не дозвонились",
    };
    let dept = ctx
        .department
        .as_deref()
        .map(|d| format!(" — {d}"))
        .unwrap_or_default();
    let client = match (&ctx.client_extension, lang) {
        (Some(ext), Lang::En) => format!("{} ext. {ext}", ctx.client),
        (Some(ext), Lang::Ru) => format!("{} доб. {ext}", ctx.client),
        (None, _) => ctx.client.clone(),
    };
    let subject = match lang {
        Lang::En => format!("Callback {client}{dept}: {verdict}"),
        Lang::Ru => format!("Обратный звонок {client}{dept}: {verdict}"),
    };
    let line = |a: &AttemptRecord| {
        format!(
            "{}. {} — {}",
            a.n,
            a.started_at.with_timezone(&tz).format("%d.%m %H:%M"),
            result_text(a, lang)
        )
    };
    let lines: Vec<String> = match kind {
        MessageKind::Call => segment.last().map(line).into_iter().collect(),
        MessageKind::Chain => segment.iter().map(line).collect(),
    };
    let body = match channel {
        Channel::Sms => format!("{subject}. {}", lines.join("; ")),
        Channel::Email => {
            let head = match lang {
                Lang::En => format!(
                    "Site: {}\nWidget: {}\nClient: {}{}\n\nCalls:",
                    ctx.site,
                    ctx.widget,
                    client,
                    ctx.department
                        .as_deref()
                        .map(|d| format!("\nDepartment: {d}"))
                        .unwrap_or_default()
                ),
                Lang::Ru => format!(
                    "Сайт: {}\nВиджет: {}\nКлиент: {}{}\n\nЗвонки:",
                    ctx.site,
                    ctx.widget,
                    client,
                    ctx.department
                        .as_deref()
                        .map(|d| format!("\nОтдел: {d}"))
                        .unwrap_or_default()
                ),
            };
            format!("{head}\n{}\n", lines.join("\n"))
        }
    };
    (subject, body)
}

#[cfg(all(test, feature = "server"))]
mod tests {
    use super::*;
    use crate::attempt::{AttemptKind, FailCause};
    use chrono::{TimeZone, Utc};

    fn attempt(n: u32, ok: bool) -> AttemptRecord {
        let started = Utc.with_ymd_and_hms(2026, 3, 2, 9 + n, 0, 0).unwrap();
        AttemptRecord {
            n,
            kind: if n == 1 {
                AttemptKind::First
            } else {
                AttemptKind::Retry { n: n - 1 }
            },
            started_at: started,
            ended_at: Some(started + chrono::Duration::seconds(60)),
            operator: Some("+74951234567".into()),
            result: Some(if ok {
                AttemptResult::Success {
                    bridged_secs: 42,
                    total_secs: 60,
                }
            } else {
                AttemptResult::Failed {
                    cause: FailCause::ClientNoAnswer,
                    bridged_secs: 0,
                    total_secs: 45,
                }
            }),
            tags: vec![],
        }
    }

    fn ctx() -> NotifyContext {
        NotifyContext {
            site: "okna.ru".into(),
            widget: "Main".into(),
            department: Some("Sales".into()),
            client: "+79161234567".into(),
            client_extension: None,
            zone: "Europe/Moscow".into(),
            lang: Lang::En,
        }
    }

    fn rule(channel: Channel, to: &str, mode: NotifyMode) -> NotificationRule {
        NotificationRule {
            channel,
            to: to.into(),
            mode,
        }
    }

    const ENDED: Moment = Moment {
        chain_over: false,
        attempt_ended: true,
    };
    const OVER: Moment = Moment {
        chain_over: true,
        attempt_ended: true,
    };

    /// Plays a chain: after each attempt, what the `failed` rule sends.
    fn failed_mails(results: &[bool], retries: usize) -> Vec<Message> {
        let rules = [rule(Channel::Email, "boss@okna.ru", NotifyMode::Failed)];
        let mut sent = Vec::new();
        let mut segment = Vec::new();
        for (i, ok) in results.iter().enumerate() {
            segment.push(attempt(i as u32 + 1, *ok));
            let over = *ok || i == retries;
            let moment = if over { OVER } else { ENDED };
            sent.extend(messages(&rules, &ctx(), &segment, moment));
        }
        sent
    }

    /// "Without retries: success → no `failed` mail" (and a failure → one mail).
    #[test]
    fn without_retries_success_sends_no_failed_mail() {
        assert!(failed_mails(&[true], 0).is_empty());
        let fail = failed_mails(&[false], 0);
        assert_eq!(fail.len(), 1);
    }

    /// "with 2 retries: fail, fail, fail → one mail listing all three".
    #[test]
    fn with_two_retries_fail_fail_fail_sends_one_mail_listing_all_three() {
        let sent = failed_mails(&[false, false, false], 2);
        assert_eq!(sent.len(), 1);
        let body = &sent[0].body;
        for n in ["1. ", "2. ", "3. "] {
            assert!(body.contains(n), "{body}");
        }
        assert_eq!(body.matches("no answer in 30 s").count(), 3, "{body}");
        assert_eq!(
            sent[0].subject,
            "Callback +79161234567 — Sales: not connected"
        );
    }

    /// "fail, success → none".
    #[test]
    fn with_two_retries_fail_success_sends_none() {
        assert!(failed_mails(&[false, true], 2).is_empty());
    }

    /// Seed 000: with 4 retries all failing, `last_in_chain` sends one message after the fifth
    /// call with the history; fail then success → one message after the second call.
    #[test]
    fn last_in_chain_sends_one_message_per_chain() {
        let rules = [rule(Channel::Email, "a@okna.ru", NotifyMode::LastInChain)];
        let mut segment = Vec::new();
        let mut sent = Vec::new();
        for i in 0..5 {
            segment.push(attempt(i + 1, false));
            let moment = if i == 4 { OVER } else { ENDED };
            sent.push(messages(&rules, &ctx(), &segment, moment).len());
        }
        assert_eq!(sent, [0, 0, 0, 0, 1]);
        let mut segment = vec![attempt(1, false)];
        assert!(messages(&rules, &ctx(), &segment, ENDED).is_empty());
        segment.push(attempt(2, true));
        let m = messages(&rules, &ctx(), &segment, OVER);
        assert_eq!(m.len(), 1);
        assert!(m[0].body.contains("1. ") && m[0].body.contains("2. "));
    }

    /// The first success speaks even when an extra attempt follows, and the chain's end then
    /// stays silent: one message per chain.
    #[test]
    fn last_in_chain_speaks_at_the_first_success_only() {
        let rules = [rule(Channel::Email, "a@okna.ru", NotifyMode::LastInChain)];
        let mut segment = vec![attempt(1, true)];
        assert_eq!(messages(&rules, &ctx(), &segment, ENDED).len(), 1);
        segment.push(attempt(2, true));
        assert!(messages(&rules, &ctx(), &segment, OVER).is_empty());
    }

    #[test]
    fn all_speaks_after_every_call() {
        let rules = [rule(Channel::Sms, "+79160000000", NotifyMode::All)];
        let segment = vec![attempt(1, false)];
        let m = messages(&rules, &ctx(), &segment, ENDED);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].kind, MessageKind::Call);
        assert!(m[0]
            .body
            .starts_with("Callback +79161234567 — Sales: not connected. 1. "));
    }

    /// "Duplicates across settings are sent once": the same address under `all` and
    /// `failed` gets one message, with the history.
    #[test]
    fn duplicates_across_settings_are_sent_once() {
        let rules = [
            rule(Channel::Email, "boss@okna.ru", NotifyMode::All),
            rule(Channel::Email, "Boss@okna.ru", NotifyMode::Failed),
            rule(Channel::Email, "boss@okna.ru", NotifyMode::LastInChain),
        ];
        let segment = vec![attempt(1, false), attempt(2, false)];
        let m = messages(&rules, &ctx(), &segment, OVER);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].kind, MessageKind::Chain);
        assert_eq!(m[0].to, ["boss@okna.ru"]);
    }

    #[test]
    fn one_email_goes_to_everyone_in_copy_and_each_number_gets_its_sms() {
        let rules = [
            rule(Channel::Email, "a@okna.ru", NotifyMode::Failed),
            rule(Channel::Email, "b@okna.ru", NotifyMode::Failed),
            rule(Channel::Sms, "+79160000001", NotifyMode::Failed),
            rule(Channel::Sms, "+79160000002", NotifyMode::Failed),
        ];
        let m = messages(&rules, &ctx(), &[attempt(1, false)], OVER);
        assert_eq!(m.len(), 3);
        assert_eq!(m[0].to, ["a@okna.ru", "b@okna.ru"]);
        assert_eq!(m[1].to, ["+79160000001"]);
        assert_eq!(m[2].to, ["+79160000002"]);
    }

    #[test]
    fn the_subject_names_the_department_in_the_widgets_language() {
        let mut c = ctx();
        c.lang = Lang::Ru;
        let m = messages(
            &[rule(Channel::Email, "a@okna.ru", NotifyMode::All)],
            &c,
            &[attempt(1, true)],
            OVER,
        );
        assert_eq!(
            m[0].subject,
            "Обратный звонок +79161234567 — Sales: соединение состоялось"
        );
        assert!(m[0].body.contains("Отдел: Sales"));
        c.department = None;
        let m = messages(
            &[rule(Channel::Email, "a@okna.ru", NotifyMode::All)],
            &c,
            &[attempt(1, true)],
            OVER,
        );
        assert_eq!(
            m[0].subject,
            "Обратный звонок +79161234567: соединение состоялось"
        );
    }

    #[test]
    fn recipients_are_validated() {
        let mut p = Problems::new();
        NotificationRule::validate_all(
            &[
                rule(Channel::Email, "ok@okna.ru", NotifyMode::All),
                rule(Channel::Email, "not an email", NotifyMode::All),
                rule(Channel::Email, "x@localhost", NotifyMode::All),
                rule(Channel::Sms, "12", NotifyMode::All),
            ],
            "notifications",
            &mut p,
        );
        let paths: Vec<_> = p.into_vec().into_iter().map(|p| p.path).collect();
        assert_eq!(
            paths,
            [
                "notifications[1].to",
                "notifications[2].to",
                "notifications[3].to"
            ]
        );
    }

    /// An `all` message speaks only when an attempt ended; a cancellation between attempts
    /// speaks only to `failed` and `last_in_chain`.
    #[test]
    fn all_speaks_only_when_an_attempt_ended() {
        let cancelled = Moment {
            chain_over: true,
            attempt_ended: false,
        };
        assert_eq!(
            modes_due(&[attempt(1, false)], cancelled),
            [NotifyMode::Failed, NotifyMode::LastInChain]
        );
        assert_eq!(modes_due(&[], ENDED), []);
        assert_eq!(modes_due(&[], OVER), []);
        assert_eq!(modes_due(&[attempt(1, false)], ENDED), [NotifyMode::All]);
    }

    /// The email lists each call at the call center's local time.
    #[test]
    fn the_email_lists_each_call_on_the_call_centers_clock() {
        let m = messages(
            &[rule(Channel::Email, "a@okna.ru", NotifyMode::Failed)],
            &ctx(),
            &[attempt(1, false), attempt(2, true)],
            OVER,
        );
        assert!(m.is_empty(), "a successful chain sends no `failed` mail");
        let m = messages(
            &[rule(Channel::Email, "a@okna.ru", NotifyMode::Failed)],
            &ctx(),
            &[attempt(1, false), attempt(2, false)],
            OVER,
        );
        assert_eq!(
            m[0].body,
            "Site: okna.ru\nWidget: Main\nClient: +79161234567\nDepartment: Sales\n\nCalls:\n\
             1. 02.03 13:00 — no answer in 30 s\n\
             2. 02.03 14:00 — no answer in 30 s\n"
        );
    }
}
