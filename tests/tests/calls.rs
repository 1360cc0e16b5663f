//! Calls end to end: orders ring the telephony simulator through the real runtime (wrangler
//! dev: workerd, D1, a Durable Object per chain with its alarms) and the production
//! Twilio-compatible adapter. The simulator plays operators and clients by script; the chain
//! clock runs x60 (`RINGBACK_CLOCK_SPEED`), so a 3-minute retry pause takes 3 seconds.
//!
//! Every test has its own account, operator numbers and client numbers, so they run at once.

use chrono::{DateTime, Duration as Span, Timelike, Utc};
use ringback_e2e::{
    chain_secs, http, ip, operator, order, order_now, phone, sim, simulator_url, unique,
    worker_url, Cabinet, Telephony,
};
use serde_json::{json, Value};
use shared::attempt::{AttemptKind, AttemptRecord, AttemptResult, FailCause};
use shared::cabinet_api::{OrderDetail, OrderState};
use shared::connection::ConnectionMode;
use shared::forwarding::{Forwarding, ForwardingNumber, GroupMode};
use shared::notify::{Channel, NotificationRule, NotifyMode};
use shared::retries::{ExtraAttempt, RetryPolicy};
use shared::schedule::{DeferredOffsets, Schedule, WeekGrid};
use shared::tags::{LAST_IN_CHAIN, OFF_HOURS, WORKING_HOURS};
use shared::widget::WidgetSettings;
use std::time::Duration;

/// An account with telephony at the simulator and one active widget calling `operator`.
struct World {
    cab: Cabinet,
    tel: Telephony,
    key: String,
    widget: i64,
    operator: String,
}

async fn world(edit: impl FnOnce(&mut WidgetSettings)) -> World {
    let cab = Cabinet::sign_up().await;
    let tel = cab.telephony().await;
    let site = cab.site().await;
    let op = operator();
    let forwarding = Forwarding::to(op.clone());
    let w = cab
        .active_widget(site.id, |s| {
            s.forwarding = forwarding;
            edit(s)
        })
        .await;
    World {
        cab,
        tel,
        key: site.key,
        widget: w.id,
        operator: op,
    }
}

impl World {
    async fn order(&self, client: &str) -> String {
        order_now(&self.key, self.widget, client).await
    }

    /// Orders a call to `client` and waits for its chain to end (`chain` of chain time at
    /// most).
    async fn call(&self, client: &str, chain_minutes: u64) -> OrderDetail {
        let id = self.order(client).await;
        self.cab.finished(&id, chain_secs(chain_minutes * 60)).await
    }
}

fn answers(after: u32, talk: u32) -> Value {
    json!({ "answer": { "kind": "after", "secs": after }, "talk": talk })
}
fn busy() -> Value {
    json!({ "answer": { "kind": "busy" } })
}
fn no_answer() -> Value {
    json!({ "answer": { "kind": "no_answer" } })
}
fn presses(digit: char, after: u32) -> Value {
    json!({ "answer": { "kind": "after", "secs": 2 }, "press": [digit, after], "talk": 60 })
}

fn failed(a: &AttemptRecord) -> Option<FailCause> {
    match a.result {
        Some(AttemptResult::Failed { cause, .. }) => Some(cause),
        _ => None,
    }
}

fn bridged(a: &AttemptRecord) -> Option<u32> {
    match a.result {
        Some(AttemptResult::Success { bridged_secs, .. }) => Some(bridged_secs),
        _ => None,
    }
}

fn last_tagged(d: &OrderDetail) -> Vec<bool> {
    d.order
        .attempts
        .iter()
        .map(|a| a.tags.iter().any(|t| t == LAST_IN_CHAIN))
        .collect()
}

#[tokio::test]
async fn auto_connection_plays_the_announcement_then_bridges_the_client() {
    let w = world(|_| {}).await;
    let client = phone();
    sim::people(json!({ client.clone(): answers(3, 40) })).await;
    let d = w.call(&client, 5).await;
    assert_eq!(d.order.status, OrderState::Success);
    let a = &d.order.attempts[0];
    assert_eq!(a.kind, AttemptKind::First);
    assert_eq!(a.operator.as_deref(), Some(w.operator.as_str()));
    assert_eq!(bridged(a), Some(40));
    assert!(a.tags.iter().any(|t| t == WORKING_HOURS), "{:?}", a.tags);
    assert_eq!(last_tagged(&d), [true]);
    let calls = sim::calls_of(&[&w.operator]).await;
    assert_eq!(calls.len(), 2, "the operator, then the client: {calls:?}");
    let (op, cl) = (&calls[0], &calls[1]);
    assert_eq!((op.kind.as_str(), cl.kind.as_str()), ("operator", "client"));
    assert_eq!(op.account_sid, w.tel.account_sid);
    assert_eq!(op.said.len(), 1, "7 s of announcement: one play");
    assert!(op.said[0].starts_with("say×1: "), "{:?}", op.said);
    assert_eq!(cl.to, client);
    assert_eq!((cl.answered, cl.bridged_secs), (true, 40));
    assert!(cl.created_ms > op.created_ms);
}

#[tokio::test]
async fn key_press_connection_dials_the_client_only_after_the_digit() {
    let w = world(|s| {
        s.connection = ConnectionMode::KeyPress {
            digit: 5,
            wait_secs: 30,
        }
    })
    .await;
    let client = phone();
    sim::people(json!({ w.operator.clone(): presses('5', 4), client.clone(): answers(2, 30) }))
        .await;
    let d = w.call(&client, 5).await;
    assert_eq!(d.order.status, OrderState::Success, "{d:?}");
    assert_eq!(bridged(&d.order.attempts[0]), Some(30));
    let calls = sim::calls_of(&[&w.operator]).await;
    assert_eq!(calls[0].pressed.as_deref(), Some("5"));
    assert_eq!(calls[0].said.len(), 1);
    assert!(
        calls[0].said[0].starts_with("say×4: "),
        "30 s of 8 s plays: {:?}",
        calls[0].said
    );
    assert_eq!(calls.len(), 2);
}

#[tokio::test]
async fn without_the_right_key_the_attempt_fails_and_the_client_is_never_dialed() {
    for operator_does in [answers(2, 60), presses('3', 3)] {
        let w = world(|s| {
            s.connection = ConnectionMode::KeyPress {
                digit: 5,
                wait_secs: 30,
            }
        })
        .await;
        let client = phone();
        sim::people(json!({ w.operator.clone(): operator_does })).await;
        let d = w.call(&client, 5).await;
        assert_eq!(d.order.status, OrderState::Failed);
        assert_eq!(failed(&d.order.attempts[0]), Some(FailCause::NoKeyPress));
        let calls = sim::calls_of(&[&w.operator]).await;
        assert_eq!(calls.len(), 1, "no client leg: {calls:?}");
    }
}

#[tokio::test]
async fn busy_no_answer_a_hang_up_under_5_s_and_voicemail_over_5_s() {
    let w = world(|_| {}).await;
    let cases = [
        (busy(), Err(FailCause::ClientBusy)),
        (no_answer(), Err(FailCause::ClientNoAnswer)),
        (answers(2, 3), Err(FailCause::ClientHungUp)),
        (
            json!({ "answer": { "kind": "after", "secs": 4 }, "talk": 20, "voicemail": true }),
            Ok(20),
        ),
    ];
    let mut ids = Vec::new();
    for (person, want) in cases {
        let client = phone();
        sim::people(json!({ client.clone(): person })).await;
        ids.push((w.order(&client).await, want));
    }
    for (id, want) in ids {
        let d = w.cab.finished(&id, chain_secs(300)).await;
        let a = &d.order.attempts[0];
        match want {
            Ok(secs) => {
                assert_eq!(d.order.status, OrderState::Success);
                assert_eq!(bridged(a), Some(secs));
            }
            Err(cause) => {
                assert_eq!(d.order.status, OrderState::Failed);
                assert_eq!(failed(a), Some(cause), "{a:?}");
            }
        }
    }
}

#[tokio::test]
async fn a_parallel_group_rings_everyone_and_the_first_to_answer_gets_the_call() {
    let ops: Vec<String> = (0..4).map(|_| operator()).collect();
    let numbers = ops.clone();
    let w = world(move |s| {
        s.forwarding = Forwarding {
            numbers: numbers
                .iter()
                .map(|n| ForwardingNumber {
                    number: n.clone(),
                    ring_secs: None,
                })
                .collect(),
            mode: GroupMode::Parallel,
            ring_secs: 30,
        }
    })
    .await;
    let client = phone();
    sim::people(json!({
        ops[0].clone(): busy(),
        ops[1].clone(): no_answer(),
        ops[2].clone(): answers(4, 60),
        ops[3].clone(): answers(12, 60),
        client.clone(): answers(2, 20),
    }))
    .await;
    let d = w.call(&client, 5).await;
    assert_eq!(d.order.status, OrderState::Success);
    // The first answer Ringback hears wins: ops[2] picks up 8 s before ops[3], but with the
    // clock x60 that is 133 real ms, less than a loaded machine may delay a callback, so
    // either may be heard first; exactly one gets the client.
    let won = d.order.attempts[0].operator.clone().unwrap();
    assert!(won == ops[2] || won == ops[3], "{won}");
    let lost = if won == ops[2] { &ops[3] } else { &ops[2] };
    let refs: Vec<&str> = ops.iter().map(String::as_str).collect();
    let calls = sim::calls_of(&refs).await;
    let operator_call = |n: &str| {
        calls
            .iter()
            .find(|c| c.to == n && c.kind == "operator")
            .cloned()
            .unwrap()
    };
    assert_eq!(operator_call(&ops[0]).status, "busy");
    let winner = operator_call(&won);
    assert_eq!(winner.status, "completed");
    let legs: Vec<_> = calls.iter().filter(|c| c.kind == "client").collect();
    assert_eq!(legs.len(), 1, "one client leg");
    assert_eq!(legs[0].parent.as_deref(), Some(winner.sid.as_str()));
    // Everyone else still ringing is cancelled. (With the clock x60 a 30 s ring lasts half a
    // real second, so a busy machine may let one ring out first; the cancel goes out anyway.)
    for loser in [&ops[1], lost] {
        let c = operator_call(loser);
        assert!(c.ended_by_api, "Ringback ended {loser}: {c:?}");
        assert!(c.said.is_empty(), "{loser} heard no announcement");
    }
    let first = calls.iter().map(|c| c.created_ms).min().unwrap();
    assert!(
        calls
            .iter()
            .filter(|c| c.kind == "operator")
            .all(|c| c.created_ms - first < 2_000),
        "all ring together"
    );
}

#[tokio::test]
async fn a_sequential_group_rings_one_number_after_another() {
    let ops: Vec<String> = (0..3).map(|_| operator()).collect();
    let numbers = ops.clone();
    let w = world(move |s| {
        s.forwarding = Forwarding {
            numbers: numbers
                .iter()
                .map(|n| ForwardingNumber {
                    number: n.clone(),
                    ring_secs: None,
                })
                .collect(),
            mode: GroupMode::Sequential,
            ring_secs: 20,
        }
    })
    .await;
    let client = phone();
    sim::people(json!({
        ops[0].clone(): no_answer(),
        ops[1].clone(): busy(),
        ops[2].clone(): answers(3, 60),
        client.clone(): answers(2, 20),
    }))
    .await;
    let d = w.call(&client, 5).await;
    assert_eq!(d.order.status, OrderState::Success);
    assert_eq!(
        d.order.attempts[0].operator.as_deref(),
        Some(ops[2].as_str()),
        "{:#?} {:#?}",
        d.order.attempts,
        sim::calls_of(&ops.iter().map(String::as_str).collect::<Vec<_>>()).await
    );
    let refs: Vec<&str> = ops.iter().map(String::as_str).collect();
    let calls: Vec<_> = sim::calls_of(&refs)
        .await
        .into_iter()
        .filter(|c| c.kind == "operator")
        .collect();
    let order: Vec<&str> = calls.iter().map(|c| c.to.as_str()).collect();
    assert_eq!(order, refs, "one after another, in the group's order");
    assert_eq!(calls[0].status, "no-answer");
    let rang_ms = calls[1].created_ms - calls[0].created_ms;
    assert!(
        rang_ms >= chain_secs(20).as_millis() as i64,
        "the first number rang its 20 s before the next ({rang_ms} ms)"
    );
}

/// SPEC §4's worked cases: 2 retries; an extra attempt if the success is shorter than 30 s.
#[tokio::test]
async fn retries_and_the_extra_attempt_follow_the_specs_worked_cases() {
    let w = world(|s| {
        s.retries = Some(RetryPolicy::Standard {
            retries: 2,
            pause_minutes: 3,
        });
        s.extra_attempt = Some(ExtraAttempt {
            shorter_than_secs: 30,
            after_minutes: 3,
        });
    })
    .await;
    /// The client's calls, the results (bridged seconds), which attempt is "last in chain".
    type Case = (Vec<Value>, Vec<Option<u32>>, Vec<bool>);
    let cases: Vec<Case> = vec![
        (
            vec![busy(), busy(), answers(2, 10)],
            vec![None, None, Some(10), Some(10)],
            vec![false, false, false, true],
        ),
        (
            vec![busy(), busy(), answers(2, 40)],
            vec![None, None, Some(40)],
            vec![false, false, true],
        ),
        (
            vec![busy()],
            vec![None, None, None],
            vec![false, false, true],
        ),
        (
            vec![answers(2, 10)],
            vec![Some(10), Some(10)],
            vec![false, true],
        ),
        (
            vec![busy(), answers(2, 10)],
            vec![None, Some(10), Some(10)],
            vec![false, false, true],
        ),
    ];
    let mut running = Vec::new();
    for (script, results, tags) in cases {
        let client = phone();
        sim::people(json!({ client.clone(): script })).await;
        running.push((w.order(&client).await, results, tags));
    }
    for (id, results, tags) in running {
        let d = w.cab.finished(&id, chain_secs(20 * 60)).await;
        let got: Vec<Option<u32>> = d.order.attempts.iter().map(bridged).collect();
        assert_eq!(got, results, "{id}: {:?}", d.order.attempts);
        assert_eq!(last_tagged(&d), tags, "{id}");
        let kinds: Vec<AttemptKind> = d.order.attempts.iter().map(|a| a.kind).collect();
        if results.len() > 1 && results[results.len() - 2].is_some() {
            assert_eq!(kinds.last(), Some(&AttemptKind::Extra));
        }
        for pair in d.order.attempts.windows(2) {
            let gap = pair[1].started_at - pair[0].ended_at.unwrap();
            assert!(
                gap >= Span::minutes(3) && gap < Span::minutes(4),
                "3 minutes apart: {gap}"
            );
        }
    }
}

#[tokio::test]
async fn custom_retries_wait_each_their_own_interval() {
    let w = world(|s| {
        s.retries = Some(RetryPolicy::Custom {
            intervals_minutes: vec![3, 7],
        })
    })
    .await;
    let client = phone();
    sim::people(json!({ client.clone(): busy() })).await;
    let d = w.call(&client, 20).await;
    assert_eq!(d.order.status, OrderState::Failed);
    let a = &d.order.attempts;
    assert_eq!(a.len(), 3);
    assert_eq!(a[1].kind, AttemptKind::Retry { n: 1 });
    assert_eq!(a[2].kind, AttemptKind::Retry { n: 2 });
    let gaps: Vec<i64> = a
        .windows(2)
        .map(|p| (p[1].started_at - p[0].ended_at.unwrap()).num_minutes())
        .collect();
    assert_eq!(gaps, [3, 7]);
    assert!(a.iter().all(|x| failed(x) == Some(FailCause::ClientBusy)));
    assert_eq!(last_tagged(&d), [false, false, true]);
}

/// The start of the UTC hour `h` hours after `t`'s.
fn hour_start(t: DateTime<Utc>, h: i64) -> DateTime<Utc> {
    let base = t
        .with_minute(0)
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_nanosecond(0))
        .unwrap();
    base + Span::hours(h)
}

/// A UTC week with the hours `closed` (hours from now's, 0 = this one) off.
fn utc_schedule_without(closed: &[i64]) -> Schedule {
    let now = Utc::now();
    let mut hours = WeekGrid::full();
    for h in closed {
        let t = hour_start(now, *h);
        hours.set(chrono::Datelike::weekday(&t), t.hour() as u8, false);
    }
    Schedule {
        zone: "UTC".into(),
        hours,
    }
}

/// How late a due attempt may start and still be on time: 5 real seconds for a runtime busy
/// with the other tests, which the fast chain clock turns into minutes.
fn on_time() -> Span {
    Span::seconds(5 * i64::from(ringback_e2e::clock_speed()).max(12))
}

/// Tests that depend on the current hour do not start in its last seconds.
async fn not_at_the_end_of_an_hour() {
    let now = Utc::now();
    if now.minute() == 59 && now.second() >= 45 {
        tokio::time::sleep(Duration::from_secs(20)).await;
    }
}

#[tokio::test]
async fn a_retry_due_after_closing_moves_to_the_next_opening() {
    not_at_the_end_of_an_hour().await;
    let now = Utc::now();
    let w = world(|s| {
        s.call_center = utc_schedule_without(&[1]);
        s.retries = Some(RetryPolicy::Custom {
            intervals_minutes: vec![60],
        });
    })
    .await;
    let client = phone();
    sim::people(json!({ client.clone(): [busy(), answers(2, 20)] })).await;
    let d = w.call(&client, 150).await;
    assert_eq!(
        d.order.status,
        OrderState::Success,
        "{:?}",
        d.order.attempts
    );
    let retry = &d.order.attempts[1];
    let opening = hour_start(now, 2);
    assert!(
        retry.started_at >= opening && retry.started_at < opening + on_time(),
        "due in the closed hour, the retry waits for {opening}: {}",
        retry.started_at
    );
}

#[tokio::test]
async fn an_off_hours_order_is_called_at_the_chosen_slot() {
    not_at_the_end_of_an_hour().await;
    let now = Utc::now();
    let w = world(|s| s.call_center = utc_schedule_without(&[0])).await;
    let client = phone();
    sim::people(json!({ client.clone(): answers(2, 20) })).await;
    let slot = hour_start(now, 1) + Span::minutes(30);
    let res = order(
        &w.key,
        w.widget,
        &client,
        &ip(),
        json!({ "when": { "when": "at", "at": slot.timestamp_millis() } }),
    )
    .await;
    let answer: shared::api::OrderAnswer = Cabinet::ok(res, 201).await;
    assert_eq!(answer.promise, shared::api::CallPromise::At { at: slot });
    let d = w.cab.finished(&answer.order_id, chain_secs(100 * 60)).await;
    let a = &d.order.attempts[0];
    assert!(
        a.started_at >= slot && a.started_at < slot + on_time(),
        "called at the slot {slot}: {}",
        a.started_at
    );
    assert!(a.tags.iter().any(|t| t == OFF_HOURS), "{:?}", a.tags);
    assert_eq!(d.order.status, OrderState::Success);
}

#[tokio::test]
async fn an_off_hours_call_me_now_is_called_at_the_opening_plus_the_deferred_offset() {
    not_at_the_end_of_an_hour().await;
    let now = Utc::now();
    // "opens 09:00, offset 45 min → 09:45": the offset follows the day's first opening, so
    // the day is closed until the next hour.
    let today_so_far: Vec<i64> = (-i64::from(now.hour())..=0).collect();
    let w = world(|s| {
        s.call_center = utc_schedule_without(&today_so_far);
        s.deferred = DeferredOffsets::every_day(10);
    })
    .await;
    let client = phone();
    sim::people(json!({ client.clone(): answers(2, 20) })).await;
    let d = w.call(&client, 80).await;
    let due = hour_start(now, 1) + Span::minutes(10);
    let a = &d.order.attempts[0];
    assert!(
        a.started_at >= due && a.started_at < due + on_time(),
        "due at {due}: {}",
        a.started_at
    );
}

#[tokio::test]
async fn a_direct_call_from_the_client_cancels_the_pending_retries() {
    let w = world(|s| {
        s.retries = Some(RetryPolicy::Standard {
            retries: 2,
            pause_minutes: 15,
        })
    })
    .await;
    let client = phone();
    sim::people(json!({ client.clone(): busy() })).await;
    let id = w.order(&client).await;
    ringback_e2e::eventually("the first attempt to fail", chain_secs(600), || async {
        let d = w.cab.order(&id).await;
        (d.order.attempts.len() == 1 && d.order.status == OrderState::Scheduled).then_some(())
    })
    .await;
    let res = http()
        .post(format!("{}/control/inbound", simulator_url()))
        .json(&json!({
            "url": format!("{}/api/telephony/twilio/inbound", worker_url()),
            "account_sid": w.tel.account_sid,
            "from": client,
            "to": "+74950000000",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let d = w.cab.finished(&id, chain_secs(60)).await;
    assert_eq!(d.order.status, OrderState::Cancelled);
    assert_eq!(
        d.order.status_reason.as_deref(),
        Some("cancelled: client called directly")
    );
    assert_eq!(d.order.attempts.len(), 1);
    assert_eq!(last_tagged(&d), [true]);
}

async fn reschedule(cab: &Cabinet, id: &str, at: DateTime<Utc>) -> reqwest::Response {
    cab.post(&format!("/orders/{id}/reschedule"), json!({ "at": at }))
        .await
}

async fn refused(res: reqwest::Response) -> String {
    let body: shared::api::ErrorBody = Cabinet::ok(res, 409).await;
    body.message
}

#[tokio::test]
async fn manual_rescheduling_is_refused_with_its_reason_and_calls_again_when_allowed() {
    // "today only until 15 min before the day's end": a zone where it is not that late.
    let zone = if Utc::now().hour() >= 23 {
        "Asia/Tokyo"
    } else {
        "UTC"
    };
    let w = world(|s| s.call_center.zone = zone.into()).await;
    let client = phone();
    sim::people(json!({ client.clone(): [busy(), answers(2, 30)] })).await;
    let id = w.order(&client).await;
    let soon = Utc::now() + Span::minutes(2);
    assert!(refused(reschedule(&w.cab, &id, soon).await)
        .await
        .contains("still running"));
    let d = w.cab.finished(&id, chain_secs(300)).await;
    assert_eq!(d.order.status, OrderState::Failed);
    assert!(
        refused(reschedule(&w.cab, &id, Utc::now() - Span::minutes(5)).await)
            .await
            .contains("passed")
    );

    let path = format!("/widgets/{}", w.widget);
    let _: Value = Cabinet::ok(
        w.cab.post(&format!("{path}/deactivate"), json!({})).await,
        200,
    )
    .await;
    assert!(refused(reschedule(&w.cab, &id, soon).await)
        .await
        .contains("not active"));
    let view: shared::cabinet_api::WidgetView = Cabinet::ok(w.cab.get(&path).await, 200).await;
    let mut other = view.settings.clone();
    other.forwarding = Forwarding::to(operator());
    let _: Value = Cabinet::ok(
        w.cab
            .put(&path, serde_json::to_value(&other).unwrap())
            .await,
        200,
    )
    .await;
    let _: Value = Cabinet::ok(
        w.cab.post(&format!("{path}/activate"), json!({})).await,
        200,
    )
    .await;
    assert!(refused(reschedule(&w.cab, &id, soon).await)
        .await
        .contains("no longer configured"));
    let _: Value = Cabinet::ok(
        w.cab.post(&format!("{path}/deactivate"), json!({})).await,
        200,
    )
    .await;
    let _: Value = Cabinet::ok(
        w.cab
            .put(&path, serde_json::to_value(&view.settings).unwrap())
            .await,
        200,
    )
    .await;
    let _: Value = Cabinet::ok(
        w.cab.post(&format!("{path}/activate"), json!({})).await,
        200,
    )
    .await;

    let allowed: OrderDetail = Cabinet::ok(reschedule(&w.cab, &id, soon).await, 200).await;
    assert_eq!(allowed.reschedules.len(), 1);
    assert_eq!(
        allowed.reschedules[0].for_time.timestamp(),
        soon.timestamp()
    );
    assert!(allowed.reschedules[0].by.ends_with("@test.ringback.dev"));
    let d = w.cab.finished(&id, chain_secs(300)).await;
    assert_eq!(
        d.order.status,
        OrderState::Success,
        "{:?}",
        d.order.attempts
    );
    let kinds: Vec<AttemptKind> = d.order.attempts.iter().map(|a| a.kind).collect();
    assert_eq!(kinds, [AttemptKind::First, AttemptKind::Manual]);
    assert_eq!(bridged(&d.order.attempts[1]), Some(30));
}

#[tokio::test]
async fn notifications_follow_the_all_failed_and_last_in_chain_modes() {
    let tag = unique();
    let (all, failed_to, sms) = (
        format!("all-{tag}@test.ringback.dev"),
        format!("failed-{tag}@test.ringback.dev"),
        phone(),
    );
    let rules = vec![
        NotificationRule {
            channel: Channel::Email,
            to: all.clone(),
            mode: NotifyMode::All,
        },
        NotificationRule {
            channel: Channel::Email,
            to: failed_to.clone(),
            mode: NotifyMode::Failed,
        },
        NotificationRule {
            channel: Channel::Sms,
            to: sms.clone(),
            mode: NotifyMode::LastInChain,
        },
    ];
    let w = world(move |s| {
        s.retries = Some(RetryPolicy::Standard {
            retries: 1,
            pause_minutes: 3,
        });
        s.notifications = rules;
    })
    .await;
    // Fail, fail: a mail per call, one "failed" mail with both, one SMS with the history.
    let busy_client = phone();
    // Fail, success: a mail per call, no "failed" mail, one SMS at the success.
    let late_client = phone();
    sim::people(json!({
        busy_client.clone(): busy(),
        late_client.clone(): [busy(), answers(2, 30)],
    }))
    .await;
    let failing = w.order(&busy_client).await;
    let late = w.order(&late_client).await;
    for (id, emails_all, emails_failed) in [(failing, 2, 1), (late, 2, 0)] {
        w.cab.finished(&id, chain_secs(600)).await;
        let d = ringback_e2e::eventually("the notifications", Duration::from_secs(30), || async {
            let d = w.cab.order(&id).await;
            let sent = d.notifications.iter().filter(|n| n.channel != "webhook");
            (sent.clone().count() == emails_all + emails_failed + 1
                && sent.clone().all(|n| n.status == "sent"))
            .then_some(d)
        })
        .await;
        let to = |who: &str| {
            d.notifications
                .iter()
                .filter(|n| n.recipients == who)
                .collect::<Vec<_>>()
        };
        assert_eq!(to(&all).len(), emails_all, "{:?}", d.notifications);
        assert!(to(&all).iter().all(|n| n.channel == "email"));
        assert_eq!(to(&failed_to).len(), emails_failed);
        let texts = to(&sms);
        assert_eq!(texts.len(), 1);
        assert_eq!(texts[0].channel, "sms");
        assert!(
            texts[0].body.contains("1. ") && texts[0].body.contains("; 2. "),
            "the history of both attempts: {}",
            texts[0].body
        );
        if emails_failed == 1 {
            let mail = to(&failed_to)[0];
            assert!(
                mail.body.contains("\n1. ") && mail.body.contains("\n2. "),
                "{}",
                mail.body
            );
        }
    }
    let texts: Vec<_> = sim::messages()
        .await
        .into_iter()
        .filter(|m| m.to == sms)
        .collect();
    assert_eq!(texts.len(), 2, "one SMS per chain reached the provider");
    assert_eq!(texts[0].account_sid, w.tel.account_sid);
    if let Ok(log) = std::env::var("RINGBACK_WRANGLER_LOG") {
        let log = std::fs::read_to_string(log).unwrap_or_default();
        assert!(
            log.contains("send_email binding called") && log.contains(&failed_to),
            "the email went through the send_email binding"
        );
    }
    let hooks = sim::hooks_of(&w.tel.account_sid).await;
    // The receiver checked each signature (time, method, path, body) with the secret.
    assert!(hooks.iter().all(|h| h.verified == Some(true)), "{hooks:?}");
    let events: Vec<String> = hooks
        .iter()
        .map(|h| {
            serde_json::from_str::<Value>(&h.body).unwrap()["event"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(events.iter().filter(|e| *e == "order.created").count(), 2);
    assert_eq!(events.iter().filter(|e| *e == "call.ended").count(), 4);
}

#[tokio::test]
async fn callbacks_without_a_valid_signature_are_refused_and_change_nothing() {
    let w = world(|_| {}).await;
    let client = phone();
    sim::people(json!({ client.clone(): answers(2, 20) })).await;
    let id = w.order(&client).await;
    let url = format!("{}/api/telephony/twilio/{id}/1/0/status", worker_url());
    let form = [("CallSid", "CAforged"), ("CallStatus", "busy")];
    let unsigned = http().post(&url).form(&form).send().await.unwrap();
    assert_eq!(unsigned.status(), 403);
    let params: Vec<(String, String)> = form
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let wrong = shared::telephony::twilio_signature("not-the-token", &url, &params);
    let forged = http()
        .post(&url)
        .header("X-Twilio-Signature", wrong)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let right = shared::telephony::twilio_signature(&w.tel.auth_token, &url, &params);
    let other_url = http()
        .post(format!("{url}?x=1"))
        .header("X-Twilio-Signature", right)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(other_url.status(), 403, "the signature covers the URL");
    let inbound = http()
        .post(format!("{}/api/telephony/twilio/inbound", worker_url()))
        .form(&[
            ("AccountSid", w.tel.account_sid.as_str()),
            ("From", client.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(inbound.status(), 403);
    let d = w.cab.finished(&id, chain_secs(300)).await;
    assert_eq!(
        d.order.status,
        OrderState::Success,
        "the forged busy changed nothing"
    );
}

#[tokio::test]
async fn telephony_settings_check_every_field_and_never_return_secrets() {
    let cab = Cabinet::sign_up().await;
    let res = cab
        .put(
            "/telephony",
            json!({ "provider": "twilio", "base_url": "ftp://x" }),
        )
        .await;
    let err: shared::api::ErrorBody = Cabinet::ok(res, 422).await;
    let paths: Vec<&str> = err.problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["base_url", "account_sid", "auth_token", "from"]);
    // Webhooks go to https addresses only (this development build also takes http to this
    // machine, where the simulator listens), without credentials in them.
    for url in [
        "http://crm.example/hook",
        "https://user:pw@crm.example/hook",
        "https://crm.example/a\nb",
        "javascript:alert(1)",
    ] {
        let res = cab
            .put(
                "/telephony",
                json!({ "provider": "twilio", "base_url": simulator_url(), "account_sid": "AC1",
                        "auth_token": "t", "from": "+74950000000", "webhook_url": url,
                        "webhook_secret": "webhook-secret-0123456789" }),
            )
            .await;
        let err: shared::api::ErrorBody = Cabinet::ok(res, 422).await;
        let paths: Vec<&str> = err.problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["webhook_url"], "{url}: {}", err.message);
    }
    cab.telephony().await;
    // Saved again without the token: it is kept.
    let res = cab
        .put(
            "/telephony",
            json!({ "provider": "twilio", "base_url": simulator_url(), "account_sid": "AC1", "from": "+74950000000" }),
        )
        .await;
    let view: Value = Cabinet::ok(res, 200).await;
    assert_eq!(view["auth_token_set"], true);
    assert!(view["inbound_url"]
        .as_str()
        .unwrap()
        .ends_with("/api/telephony/twilio/inbound"));
    let text = cab.get("/telephony").await.text().await.unwrap();
    assert!(!text.contains("token-"), "{text}");
}

/// An account whose calls go through its own PBX, played by the test: Ringback's orders go to
/// the simulator's receiver `/hooks/{hook}`, which checks their signatures with the PBX secret.
struct PbxWorld {
    cab: Cabinet,
    hook: String,
    key: String,
    widget: i64,
    operator: String,
}

const PBX_SECRET: &str = "pbx-secret-0123456789abcdef";

async fn pbx_world() -> PbxWorld {
    let cab = Cabinet::sign_up().await;
    let hook = format!("pbx-{}", unique());
    sim::receiver(&hook, PBX_SECRET, 0).await;
    let res = cab
        .put(
            "/telephony",
            json!({
                "provider": "webhook",
                "pbx_url": format!("{}/hooks/{hook}", simulator_url()),
                "pbx_secret": PBX_SECRET,
            }),
        )
        .await;
    let _: Value = Cabinet::ok(res, 200).await;
    let site = cab.site().await;
    let op = operator();
    let o = op.clone();
    let widget = cab
        .active_widget(site.id, move |s| s.forwarding = Forwarding::to(o))
        .await;
    PbxWorld {
        cab,
        hook,
        key: site.key,
        widget: widget.id,
        operator: op,
    }
}

impl PbxWorld {
    /// Orders a call now; the order and the PBX's `dial` request for its first attempt.
    async fn order(&self, client: &str) -> (String, shared::telephony::PbxRequest) {
        let id = order_now(&self.key, self.widget, client).await;
        let dial = ringback_e2e::eventually("the PBX order", Duration::from_secs(20), || async {
            sim::hooks_of(&self.hook).await.into_iter().find(|h| {
                serde_json::from_str::<Value>(&h.body).is_ok_and(|b| {
                    b["type"] == "dial" && b["order_id"] == id.as_str() && b["attempt"] == 1
                })
            })
        })
        .await;
        assert_eq!(
            (dial.verified, dial.refusal.as_deref()),
            (Some(true), None),
            "the PBX found Ringback's signature right"
        );
        (id, serde_json::from_str(&dial.body).unwrap())
    }
}

/// Unix seconds now.
fn unix_now() -> i64 {
    Utc::now().timestamp()
}

/// The `X-Ringback-Signature` of a PBX's `method` request to `url` with `body`, at time `t`.
fn pbx_signature(key: &str, t: i64, method: &str, url: &str, body: &str) -> String {
    let u = reqwest::Url::parse(url).unwrap();
    let path = match u.query() {
        Some(q) => format!("{}?{q}", u.path()),
        None => u.path().to_string(),
    };
    shared::webhook::sign(
        key,
        t,
        &shared::webhook::Signed {
            method,
            path: &path,
            body: body.as_bytes(),
        },
    )
}

/// POSTs `body` to `url` with the signature header `signature` (none: unsigned).
async fn pbx_post(url: &str, signature: Option<&str>, body: &str) -> reqwest::Response {
    let mut r = http().post(url).body(body.to_string());
    if let Some(sig) = signature {
        r = r.header("X-Ringback-Signature", sig);
    }
    r.send().await.unwrap()
}

/// Signs `event` for `url` now with `key` and POSTs it there.
async fn pbx_event(url: &str, event: Value, key: &str) -> reqwest::Response {
    let body = event.to_string();
    let sig = pbx_signature(key, unix_now(), "POST", url, &body);
    pbx_post(url, Some(&sig), &body).await
}

async fn refusal(res: reqwest::Response) -> String {
    let err: shared::api::ErrorBody = Cabinet::ok(res, 403).await;
    err.message
}

fn callback_of(request: &shared::telephony::PbxRequest) -> String {
    match request {
        shared::telephony::PbxRequest::Dial { callback_url, .. } => callback_url.clone(),
        other => panic!("expected a dial: {other:?}"),
    }
}

#[tokio::test]
async fn a_customers_pbx_gets_signed_orders_and_drives_the_chain_with_signed_events() {
    let w = pbx_world().await;
    let op = w.operator.clone();
    let client = phone();
    let (id, request) = w.order(&client).await;
    let shared::telephony::PbxRequest::Dial {
        order_id,
        attempt,
        client: to,
        ref callback_url,
        ..
    } = request
    else {
        panic!("expected a dial: {request:?}")
    };
    assert_eq!(
        (order_id.as_str(), attempt, to.as_str()),
        (id.as_str(), 1, client.as_str())
    );
    let forged = pbx_event(
        callback_url,
        json!({ "event": "client_answered" }),
        "wrong-secret",
    )
    .await;
    assert!(refusal(forged).await.contains("wrong"));
    let answered = pbx_event(
        callback_url,
        json!({ "event": "operator_answered", "number": op }),
        PBX_SECRET,
    )
    .await;
    let answer: shared::telephony::PbxAnswer = Cabinet::ok(answered, 200).await;
    let kinds: Vec<String> = answer
        .commands
        .iter()
        .map(|c| {
            serde_json::to_value(c).unwrap()["command"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(kinds, ["announce", "dial_client"]);
    let _: Value = Cabinet::ok(
        pbx_event(
            callback_url,
            json!({ "event": "client_answered" }),
            PBX_SECRET,
        )
        .await,
        200,
    )
    .await;
    let _: Value = Cabinet::ok(
        pbx_event(
            callback_url,
            json!({ "event": "call_ended", "cause": "completed", "bridged_secs": 30, "total_secs": 41 }),
            PBX_SECRET,
        )
        .await,
        200,
    )
    .await;
    let d = w.cab.finished(&id, Duration::from_secs(10)).await;
    assert_eq!(d.order.status, OrderState::Success);
    assert_eq!(bridged(&d.order.attempts[0]), Some(30));
    assert_eq!(d.order.attempts[0].operator.as_deref(), Some(op.as_str()));
}

/// Issue 11: every attempt claims a ring of the client's number first; past the account's
/// daily cap the chain is cancelled with its reason and nothing more is dialed.
#[tokio::test]
async fn a_number_is_rung_at_most_the_daily_cap_however_many_retries_are_due() {
    let w = world(|s| {
        s.retries = Some(RetryPolicy::Standard {
            retries: 3,
            pause_minutes: 3,
        });
    })
    .await;
    let _: shared::limits::DailyCaps = Cabinet::ok(
        w.cab
            .put(
                "/limits",
                json!({ "orders_per_number": 5, "rings_per_number": 2 }),
            )
            .await,
        200,
    )
    .await;
    let client = phone();
    sim::people(json!({ client.clone(): busy() })).await;
    let d = w.call(&client, 20).await;
    assert_eq!(d.order.status, OrderState::Cancelled);
    assert_eq!(
        d.order.status_reason.as_deref(),
        Some("cancelled: daily call limit for this number reached")
    );
    assert_eq!(d.order.attempts.len(), 2, "{:?}", d.order.attempts);
    let rung: Vec<_> = sim::calls_of(&[&w.operator])
        .await
        .into_iter()
        .filter(|c| c.kind == "client")
        .collect();
    assert_eq!(rung.len(), 2, "the client was rung twice: {rung:?}");
    // A new order for the same number is refused at once: it would ring it a third time.
    let res = order(&w.key, w.widget, &client, &ip(), json!({ "lang": "en" })).await;
    let e: shared::api::ErrorBody = Cabinet::ok(res, 429).await;
    assert_eq!(
        e.message,
        "We have already called this number 2 times today; please try again tomorrow or call us."
    );
}

/// Issue 11: the operator hears the client's extension; the client's own number is dialed
/// without it.
#[tokio::test]
async fn the_operator_is_told_the_extension_and_the_client_is_dialed_without_it() {
    let w = world(|_| {}).await;
    let client = phone();
    sim::people(json!({ client.clone(): answers(2, 20) })).await;
    let id = w.order(&format!("{client} доб. 123")).await;
    let d = w.cab.finished(&id, chain_secs(5 * 60)).await;
    assert_eq!(d.order.status, OrderState::Success);
    assert_eq!(d.order.phone, client);
    assert_eq!(d.order.extension.as_deref(), Some("123"));
    let calls = sim::calls_of(&[&w.operator]).await;
    let (op, cl) = (&calls[0], &calls[1]);
    assert!(
        op.said[0].contains("Добавочный номер клиента: 1 2 3."),
        "{:?}",
        op.said
    );
    assert_eq!(cl.to, client, "the extension is not dialed");
}

/// "PBX webhooks are signed over timestamp, method, path and body, with a 5-minute window; a
/// replayed or re-targeted signature is refused": the exact same request twice, a signature
/// moved to another order's callback, to another method, kept too long or made for the
/// future are all 403s that say why, and change nothing.
#[tokio::test]
async fn a_replayed_retargeted_or_expired_pbx_signature_is_refused_and_changes_nothing() {
    let w = pbx_world().await;
    let (a, request_a) = w.order(&phone()).await;
    let (b, request_b) = w.order(&phone()).await;
    let (url_a, url_b) = (callback_of(&request_a), callback_of(&request_b));
    assert_ne!(url_a, url_b);
    let answered = json!({ "event": "operator_answered", "number": w.operator });
    let client_answered = json!({ "event": "client_answered" });
    // Order B talks (a bridged call waits hours for its end): what follows must not end it.
    for event in [answered.clone(), client_answered.clone()] {
        let _: Value = Cabinet::ok(pbx_event(&url_b, event, PBX_SECRET).await, 200).await;
    }
    let snapshot = |d: OrderDetail| (d.order.status, d.order.attempts.len());

    // Once: accepted. The exact same request again: a replay, refused, changing nothing.
    let body = answered.to_string();
    let sig = pbx_signature(PBX_SECRET, unix_now(), "POST", &url_a, &body);
    let first = pbx_post(&url_a, Some(&sig), &body).await;
    let _: shared::telephony::PbxAnswer = Cabinet::ok(first, 200).await;
    let before = snapshot(w.cab.order(&a).await);
    let replay = pbx_post(&url_a, Some(&sig), &body).await;
    assert!(refusal(replay).await.contains("used already"));
    assert_eq!(snapshot(w.cab.order(&a).await), before);
    let _: Value = Cabinet::ok(pbx_event(&url_a, client_answered, PBX_SECRET).await, 200).await;

    // Re-targeted: a signature for order A's attempt 1, sent to order B's, or to A's attempt 2.
    let b_before = snapshot(w.cab.order(&b).await);
    let busy = json!({ "event": "call_ended", "cause": "operator_busy" }).to_string();
    let for_a = pbx_signature(PBX_SECRET, unix_now(), "POST", &url_a, &busy);
    let moved = pbx_post(&url_b, Some(&for_a), &busy).await;
    assert!(refusal(moved).await.contains("wrong"));
    let attempt_2 = url_a.replace(&format!("/{a}/1"), &format!("/{a}/2"));
    assert_ne!(attempt_2, url_a);
    let other_attempt = pbx_post(&attempt_2, Some(&for_a), &busy).await;
    assert!(refusal(other_attempt).await.contains("wrong"));
    // Signed for another method.
    let as_put = pbx_signature(PBX_SECRET, unix_now(), "PUT", &url_b, &busy);
    assert!(refusal(pbx_post(&url_b, Some(&as_put), &busy).await)
        .await
        .contains("wrong"));
    // Older than 5 minutes, or made for 10 minutes ahead.
    for t in [unix_now() - 600, unix_now() + 600] {
        let sig = pbx_signature(PBX_SECRET, t, "POST", &url_b, &busy);
        assert!(refusal(pbx_post(&url_b, Some(&sig), &busy).await)
            .await
            .contains("5 minutes"));
    }
    // Unsigned, or in the old `sha256=` form.
    assert!(refusal(pbx_post(&url_b, None, &busy).await)
        .await
        .contains("not signed"));
    let old_form = format!("sha256={}", for_a.split("v1=").nth(1).unwrap());
    assert!(refusal(pbx_post(&url_b, Some(&old_form), &busy).await)
        .await
        .contains("t=<unix seconds>"));
    assert_eq!(snapshot(w.cab.order(&b).await), b_before);

    // The account's inbound route takes each signature once too.
    let inbound = format!(
        "{}/api/telephony/pbx/accounts/{}/inbound",
        worker_url(),
        w.cab.me.account_id
    );
    let call = json!({ "from": phone() }).to_string();
    let sig = pbx_signature(PBX_SECRET, unix_now(), "POST", &inbound, &call);
    let _: Value = Cabinet::ok(pbx_post(&inbound, Some(&sig), &call).await, 200).await;
    assert!(refusal(pbx_post(&inbound, Some(&sig), &call).await)
        .await
        .contains("used already"));

    // The PBX ends both calls with requests of their own: the refused ones left no trace.
    for (url, talk) in [(&url_a, 20), (&url_b, 25)] {
        let ended = json!({ "event": "call_ended", "cause": "completed", "bridged_secs": talk, "total_secs": talk + 10 });
        let _: Value = Cabinet::ok(pbx_event(url, ended, PBX_SECRET).await, 200).await;
    }
    for (id, talk) in [(&a, 20), (&b, 25)] {
        let d = w.cab.finished(id, Duration::from_secs(10)).await;
        assert_eq!(d.order.status, OrderState::Success);
        assert_eq!(d.order.attempts.len(), 1);
        assert_eq!(bridged(&d.order.attempts[0]), Some(talk));
    }
}

/// "Outgoing webhooks ... retried with back-off for 24 hours": a receiver that answers 500 to
/// the first three deliveries gets every event later, each try signed afresh (the receiver
/// checks every signature) with the same delivery id; the journal says how often each was
/// tried.
#[tokio::test]
async fn a_webhook_that_fails_for_a_while_is_delivered_later() {
    let w = world(|_| {}).await;
    let name = w.tel.account_sid.clone();
    sim::receiver(&name, ringback_e2e::WEBHOOK_SECRET, 3).await;
    let client = phone();
    sim::people(json!({ client.clone(): answers(2, 5) })).await;
    let d = w.call(&client, 10).await;
    assert_eq!(d.order.status, OrderState::Success);
    // Back-off 1, 2, 4 ... chain minutes: the 500s are behind us within a few chain minutes.
    let d = ringback_e2e::eventually("every webhook delivered", chain_secs(30 * 60), || async {
        let d = w.cab.order(&d.order.order_id).await;
        let hooks: Vec<_> = d
            .notifications
            .iter()
            .filter(|n| n.channel == "webhook")
            .collect();
        (hooks.len() >= 4 && hooks.iter().all(|n| n.status == "sent")).then_some(d)
    })
    .await;
    let hooks = sim::hooks_of(&name).await;
    assert!(hooks.iter().all(|h| h.verified == Some(true)), "{hooks:?}");
    let failed: Vec<_> = hooks.iter().filter(|h| h.status == 500).collect();
    assert_eq!(failed.len(), 3, "{hooks:?}");
    for f in &failed {
        let later = hooks
            .iter()
            .find(|h| h.delivery == f.delivery && h.status == 204)
            .unwrap_or_else(|| panic!("{:?} was delivered later: {hooks:?}", f.delivery));
        assert_eq!(later.body, f.body, "the same event");
        assert_ne!(later.signature, f.signature, "signed afresh");
        let row = d
            .notifications
            .iter()
            .find(|n| Some(&n.id) == f.delivery.as_ref())
            .expect("the delivery is in the journal");
        let tries = hooks.iter().filter(|h| h.delivery == f.delivery).count();
        assert_eq!(row.tries as usize, tries);
        assert!(row.tries >= 2 && row.next_try_at.is_none());
    }
    // Each delivery reached the receiver with its event named.
    for n in d.notifications.iter().filter(|n| n.channel == "webhook") {
        let got: Vec<_> = hooks
            .iter()
            .filter(|h| h.delivery.as_deref() == Some(n.id.as_str()) && h.status == 204)
            .collect();
        assert_eq!(got.len(), 1, "{n:?}");
        assert_eq!(got[0].event.as_deref(), Some(n.subject.as_str()));
    }
}

/// "a 'send again' action on the order in the journal": the recorded event goes out again as
/// a new delivery with a fresh signature; its result is recorded and answered; another account
/// gets 404, and a request without the session's CSRF token is refused.
#[tokio::test]
async fn send_again_posts_a_recorded_webhook_as_a_new_delivery() {
    let w = world(|_| {}).await;
    let name = w.tel.account_sid.clone();
    let client = phone();
    sim::people(json!({ client.clone(): answers(2, 5) })).await;
    let id = w.order(&client).await;
    w.cab.finished(&id, chain_secs(600)).await;
    let created =
        ringback_e2e::eventually("every webhook sent", Duration::from_secs(30), || async {
            let d = w.cab.order(&id).await;
            let hooks: Vec<_> = d
                .notifications
                .iter()
                .filter(|n| n.channel == "webhook")
                .collect();
            let all_sent = hooks.len() >= 4 && hooks.iter().all(|n| n.status == "sent");
            all_sent
                .then(|| {
                    hooks
                        .into_iter()
                        .find(|n| n.subject == "order.created")
                        .cloned()
                })
                .flatten()
        })
        .await;
    let path = format!("/orders/{id}/webhooks/{}/resend", created.id);

    let again: shared::cabinet_api::NotificationView =
        Cabinet::ok(w.cab.post(&path, json!({})).await, 201).await;
    assert_eq!(
        (again.status.as_str(), again.subject.as_str(), again.tries),
        ("sent", "order.created", 1)
    );
    assert_eq!(again.body, created.body);
    assert!(
        again.id.starts_with(&format!("{}~", created.id)),
        "{}",
        again.id
    );
    let hooks = sim::hooks_of(&name).await;
    let first = hooks
        .iter()
        .find(|h| h.delivery.as_deref() == Some(created.id.as_str()))
        .expect("the first delivery");
    let second = hooks
        .iter()
        .find(|h| h.delivery.as_deref() == Some(again.id.as_str()))
        .expect("the second delivery reached the receiver");
    assert_eq!((second.verified, second.status), (Some(true), 204));
    assert_eq!(second.body, first.body);
    assert_eq!(second.event.as_deref(), Some("order.created"));
    assert_ne!(second.signature, first.signature);
    let d = w.cab.order(&id).await;
    assert!(d.notifications.iter().any(|n| n.id == again.id));

    // A receiver that fails: the answer says so, and the delivery is recorded as failed.
    sim::receiver(&name, ringback_e2e::WEBHOOK_SECRET, 1).await;
    let failed: shared::cabinet_api::NotificationView =
        Cabinet::ok(w.cab.post(&path, json!({})).await, 201).await;
    assert_eq!(failed.status, "failed");
    assert!(
        failed.error.as_deref().unwrap_or("").contains("500"),
        "{failed:?}"
    );

    // Not another account's, not without the CSRF token, not a delivery that is not there.
    let other = Cabinet::sign_up().await;
    assert_eq!(other.post(&path, json!({})).await.status(), 404);
    let no_csrf = http()
        .post(format!("{}/api/cabinet{path}", worker_url()))
        .header("Cookie", format!("rb_session={}", w.cab.session))
        .send()
        .await
        .unwrap();
    assert_eq!(no_csrf.status(), 403);
    let missing = format!("/orders/{id}/webhooks/{id}-999/resend");
    assert_eq!(w.cab.post(&missing, json!({})).await.status(), 404);
    let sent = sim::hooks_of(&name).await.len();
    assert_eq!(sent, hooks.len() + 1, "only the failed try went out since");
}
