//! Soak: 300 orders over randomly behaving simulated people (operators of a parallel pair who
//! answer, are busy or let it ring; clients who answer and talk, hang up at once, are busy,
//! unreachable, do not answer, or have voicemail), with a retry. When every chain is over,
//! the journal must match the simulator's own record call for call.

use futures_util::future::join_all;
use ringback_e2e::{chain_secs, ip, operator, order, phone, sim, Cabinet};
use ringback_simulator::CallRecord;
use serde_json::{json, Value};
use shared::attempt::{AttemptRecord, AttemptResult, FailCause};
use shared::cabinet_api::{JournalPage, JournalRow, OrderState};
use shared::forwarding::{Forwarding, ForwardingNumber, GroupMode};
use shared::retries::RetryPolicy;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

const ORDERS: usize = 300;

fn random_operator() -> Value {
    match fastrand::u8(0..10) {
        0 => json!({ "answer": { "kind": "busy" } }),
        1 => json!({ "answer": { "kind": "no_answer" } }),
        _ => json!({ "answer": { "kind": "after", "secs": fastrand::u32(1..15) }, "talk": 600 }),
    }
}

fn random_client() -> Value {
    match fastrand::u8(0..10) {
        0 => json!({ "answer": { "kind": "busy" } }),
        1 => json!({ "answer": { "kind": "no_answer" } }),
        2 => json!({ "answer": { "kind": "unreachable" } }),
        3 => json!({ "answer": { "kind": "after", "secs": 3 }, "talk": fastrand::u32(1..5) }),
        4 => json!({ "answer": { "kind": "after", "secs": 5 }, "talk": 25, "voicemail": true }),
        _ => {
            json!({ "answer": { "kind": "after", "secs": fastrand::u32(1..20) }, "talk": fastrand::u32(5..120) })
        }
    }
}

async fn journal(cab: &Cabinet) -> Vec<JournalRow> {
    let mut rows = Vec::new();
    for page in 1.. {
        let p: JournalPage = Cabinet::ok(
            cab.get(&format!("/journal?per_page=200&page={page}")).await,
            200,
        )
        .await;
        let n = p.rows.len();
        rows.extend(p.rows);
        if n < 200 {
            break;
        }
    }
    rows
}

fn over(r: &JournalRow) -> bool {
    matches!(
        r.status,
        OrderState::Success | OrderState::Failed | OrderState::Cancelled
    ) && r.attempts.iter().all(|a| a.result.is_some())
}

/// What the journal says an attempt's client leg did, checked against the simulator.
fn client_matches(a: &AttemptRecord, leg: &CallRecord) -> bool {
    match a.result {
        Some(AttemptResult::Success { bridged_secs, .. }) => {
            leg.answered && leg.bridged_secs == bridged_secs
        }
        Some(AttemptResult::Failed { cause, .. }) => match cause {
            FailCause::ClientBusy => leg.status == "busy",
            FailCause::ClientNoAnswer => leg.status == "no-answer",
            FailCause::ClientUnreachable => leg.status == "failed",
            FailCause::ClientHungUp => leg.answered && leg.bridged_secs < 5,
            _ => false,
        },
        None => false,
    }
}

#[tokio::test]
async fn three_hundred_orders_end_with_the_journal_matching_the_simulator_call_for_call() {
    let cab = Cabinet::sign_up().await;
    let tel = cab.telephony().await;
    let site = cab.site().await;
    let ops = [operator(), operator()];
    let numbers = ops.clone();
    let widget = cab
        .active_widget(site.id, move |s| {
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
            };
            s.retries = Some(RetryPolicy::Standard {
                retries: 1,
                pause_minutes: 3,
            });
        })
        .await;
    let clients: Vec<String> = (0..ORDERS).map(|_| phone()).collect();
    let mut people = serde_json::Map::new();
    for op in &ops {
        let script: Vec<Value> = (0..2 * ORDERS).map(|_| random_operator()).collect();
        people.insert(op.clone(), Value::Array(script));
    }
    for c in &clients {
        people.insert(c.clone(), json!([random_client(), random_client()]));
    }
    sim::people(people.into()).await;

    let started = Instant::now();
    let mut placed = Vec::new();
    for batch in clients.chunks(10) {
        placed.extend(
            join_all(batch.iter().map(|c| {
                let key = site.key.clone();
                async move {
                    let res = order(&key, widget.id, c, &ip(), json!({})).await;
                    let a: shared::api::OrderAnswer = Cabinet::ok(res, 201).await;
                    a.order_id
                }
            }))
            .await,
        );
    }
    let ids: HashSet<String> = placed.into_iter().collect();
    assert_eq!(ids.len(), ORDERS);
    let rows = ringback_e2e::eventually(
        "every chain to end",
        chain_secs(60 * 60) + Duration::from_secs(60),
        || async {
            let rows = journal(&cab).await;
            (rows.len() == ORDERS && rows.iter().all(over)).then_some(rows)
        },
    )
    .await;
    println!("{ORDERS} chains ended in {:?}", started.elapsed());

    let calls: Vec<CallRecord> = sim::calls()
        .await
        .into_iter()
        .filter(|c| c.account_sid == tel.account_sid)
        .collect();
    let operator_calls: Vec<&CallRecord> = calls.iter().filter(|c| c.kind == "operator").collect();
    let mut by_key: HashMap<&str, &CallRecord> = HashMap::new();
    for c in &operator_calls {
        let key = c.key.as_deref().expect("every dial carries its key");
        assert!(by_key.insert(key, c).is_none(), "{key} dialed twice");
    }
    let client_of = |op: &CallRecord| -> Vec<&CallRecord> {
        calls
            .iter()
            .filter(|c| c.parent.as_deref() == Some(op.sid.as_str()))
            .collect()
    };
    let mut attempts = 0;
    for row in &rows {
        assert!(ids.contains(&row.order_id));
        for a in &row.attempts {
            attempts += 1;
            let legs: Vec<&CallRecord> = (0..ops.len())
                .filter_map(|leg| by_key.get(format!("{}-{}-{leg}", row.order_id, a.n).as_str()))
                .copied()
                .collect();
            assert!(
                !legs.is_empty(),
                "{} attempt {} was dialed",
                row.order_id,
                a.n
            );
            // The operator who heard the announcement is the journal's operator.
            let announced: Vec<&&CallRecord> = legs.iter().filter(|l| !l.said.is_empty()).collect();
            match &a.operator {
                Some(op) => {
                    assert_eq!(announced.len(), 1, "{} #{}: {legs:?}", row.order_id, a.n);
                    assert_eq!(&announced[0].to, op);
                    let client = client_of(announced[0]);
                    assert_eq!(client.len(), 1, "one client leg");
                    assert!(client_matches(a, client[0]), "{a:?} vs {:?}", client[0]);
                }
                None => {
                    assert!(announced.is_empty(), "{} #{}", row.order_id, a.n);
                    assert!(legs.iter().all(|l| client_of(l).is_empty()));
                    assert!(matches!(
                        a.result,
                        Some(AttemptResult::Failed {
                            cause: FailCause::OperatorBusy
                                | FailCause::OperatorNoAnswer
                                | FailCause::OperatorUnreachable,
                            ..
                        })
                    ));
                }
            }
        }
    }
    // Nothing at the simulator that the journal does not know.
    let known: HashSet<String> = rows
        .iter()
        .flat_map(|r| {
            r.attempts
                .iter()
                .map(move |a| format!("{}-{}-", r.order_id, a.n))
        })
        .collect();
    for key in by_key.keys() {
        let prefix = &key[..=key.rfind('-').unwrap()];
        assert!(known.contains(prefix), "{key} is not in the journal");
    }
    let bridged_clients = calls.iter().filter(|c| c.kind == "client").count();
    let journal_clients = rows
        .iter()
        .flat_map(|r| &r.attempts)
        .filter(|a| a.operator.is_some())
        .count();
    assert_eq!(bridged_clients, journal_clients);
    println!(
        "{attempts} attempts, {} operator calls, {bridged_clients} client calls: all in the journal",
        operator_calls.len()
    );
}
