//! Faults: the provider answers errors, then hangs until requests time out. Calls are
//! retried with back-off (the adapter's tries, then the chain's technical re-dials) and every
//! accepted order still gets its call; nothing is lost, no client is called twice.
//!
//! The simulator's fault switch is global, so this group runs alone.

use ringback_e2e::{http, operator, order_now, phone, sim, simulator_url, Cabinet};
use serde_json::json;
use shared::attempt::{AttemptKind, AttemptResult, FailCause};
use shared::cabinet_api::OrderState;
use shared::forwarding::Forwarding;
use std::time::Duration;

async fn fault(kind: Option<&str>, for_secs: u64) {
    let res = http()
        .post(format!("{}/control/faults", simulator_url()))
        .json(&json!({ "kind": kind, "for_secs": for_secs }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
}

#[tokio::test]
async fn a_failing_provider_is_retried_with_back_off_and_no_order_is_lost() {
    let cab = Cabinet::sign_up().await;
    let tel = cab.telephony().await;
    let site = cab.site().await;
    let op = operator();
    let o = op.clone();
    let widget = cab
        .active_widget(site.id, move |s| s.forwarding = Forwarding::to(o))
        .await;
    let clients: Vec<String> = (0..5).map(|_| phone()).collect();
    let mut people = serde_json::Map::new();
    for c in &clients {
        people.insert(
            c.clone(),
            json!({ "answer": { "kind": "after", "secs": 2 }, "talk": 20 }),
        );
    }
    sim::people(people.into()).await;

    // Errors for 10 s, then time-outs (each request hangs 15 s) for 12 s more.
    fault(Some("error"), 10).await;
    let mut orders = Vec::new();
    for c in &clients {
        orders.push(order_now(&site.key, widget.id, c).await);
    }
    tokio::time::sleep(Duration::from_secs(10)).await;
    fault(Some("timeout"), 12).await;
    tokio::time::sleep(Duration::from_secs(12)).await;
    fault(None, 0).await;

    let mut failures = 0;
    for id in &orders {
        let d = cab.finished(id, Duration::from_secs(120)).await;
        assert_eq!(
            d.order.status,
            OrderState::Success,
            "{id}: {:?}",
            d.order.attempts
        );
        let (last, earlier) = d.order.attempts.split_last().unwrap();
        assert!(matches!(
            last.result,
            Some(AttemptResult::Success {
                bridged_secs: 20,
                ..
            })
        ));
        for a in earlier {
            assert!(
                matches!(
                    a.result,
                    Some(AttemptResult::Failed {
                        cause: FailCause::TelephonyError | FailCause::TelephonySilent,
                        ..
                    })
                ),
                "only the provider failed: {a:?}"
            );
            failures += 1;
        }
        if !earlier.is_empty() {
            assert_eq!(
                last.kind,
                AttemptKind::Redial,
                "re-dialled, not a widget retry"
            );
        }
    }
    assert!(
        failures > 0,
        "22 s of faults (22 chain minutes) cost attempts"
    );
    // Each client was called exactly once, by the call that connected.
    let legs: Vec<_> = sim::calls()
        .await
        .into_iter()
        .filter(|c| c.kind == "client" && c.account_sid == tel.account_sid)
        .collect();
    assert_eq!(legs.len(), clients.len());
    for c in &clients {
        assert_eq!(legs.iter().filter(|l| &l.to == c).count(), 1, "{c}");
    }
}
