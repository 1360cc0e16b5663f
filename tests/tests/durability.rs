//! Durability: the runtime is killed (SIGKILL, no clean shutdown) in the middle of 50 running
//! chains and started again on the same local state. Every chain must finish exactly as it
//! would have without the stop: the same attempts with the same results, and no number dialed
//! twice (each attempt's operator call is created once at the simulator).
//!
//! The test runs a `wrangler dev` of its own (so that stopping it does not disturb the other
//! tests) against the shared telephony simulator, with the chain clock x60.

use futures_util::future::join_all;
use ringback_e2e::runtime::Runtime;
use ringback_e2e::{chain_secs, ip, operator, order_at, phone, sim, Cabinet};
use serde_json::json;
use shared::attempt::{AttemptKind, AttemptResult, FailCause};
use shared::cabinet_api::OrderState;
use shared::forwarding::Forwarding;
use shared::retries::RetryPolicy;
use std::collections::HashMap;
use std::time::Duration;

const CHAINS: usize = 50;

#[tokio::test]
async fn chains_survive_a_killed_runtime_without_losing_or_repeating_a_call() {
    let mut runtime = Runtime::fresh("durability");
    let cab = Cabinet::sign_up_with(&runtime.url, &runtime.log()).await;
    let tel = cab.telephony().await;
    let site = cab.site().await;
    let op = operator();
    let o = op.clone();
    let widget = cab
        .active_widget(site.id, move |s| {
            s.forwarding = Forwarding::to(o);
            s.retries = Some(RetryPolicy::Standard {
                retries: 1,
                pause_minutes: 3,
            });
        })
        .await;
    // Each client: busy the first time, then answers and talks 20 s.
    let clients: Vec<String> = (0..CHAINS).map(|_| phone()).collect();
    let mut script = serde_json::Map::new();
    for c in &clients {
        script.insert(
            c.clone(),
            json!([
                { "answer": { "kind": "busy" } },
                { "answer": { "kind": "after", "secs": 2 }, "talk": 20 }
            ]),
        );
    }
    sim::people(script.into()).await;

    // Two waves, so that the stop finds chains waiting for their retry (an alarm) and chains
    // in the middle of a call (callbacks the simulator retries while the runtime is down).
    let mut orders = Vec::new();
    for (i, wave) in clients.chunks(CHAINS / 2).enumerate() {
        let placed = join_all(wave.iter().map(|c| {
            let (url, key) = (runtime.url.clone(), site.key.clone());
            let c = c.clone();
            async move {
                let res = order_at(&url, &key, widget.id, &c, &ip(), json!({})).await;
                let a: shared::api::OrderAnswer = Cabinet::ok(res, 201).await;
                a.order_id
            }
        }))
        .await;
        orders.extend(placed);
        if i == 0 {
            tokio::time::sleep(chain_secs(120)).await;
        }
    }
    runtime.kill();
    tokio::time::sleep(Duration::from_secs(2)).await;
    runtime.start();

    for id in &orders {
        let d = cab.finished(id, chain_secs(20 * 60)).await;
        assert_eq!(
            d.order.status,
            OrderState::Success,
            "{id}: {:?}",
            d.order.attempts
        );
        let a = &d.order.attempts;
        assert_eq!(a.len(), 2, "{id}: {a:?}");
        assert_eq!(a[0].kind, AttemptKind::First);
        assert!(matches!(
            a[0].result,
            Some(AttemptResult::Failed {
                cause: FailCause::ClientBusy,
                ..
            })
        ));
        assert_eq!(a[1].kind, AttemptKind::Retry { n: 1 });
        assert!(matches!(
            a[1].result,
            Some(AttemptResult::Success {
                bridged_secs: 20,
                ..
            })
        ));
    }
    // No number dialed twice: one operator call per attempt, each created once.
    let calls: Vec<_> = sim::calls()
        .await
        .into_iter()
        .filter(|c| c.account_sid == tel.account_sid && c.kind == "operator")
        .collect();
    let mut per_key: HashMap<String, usize> = HashMap::new();
    for c in &calls {
        *per_key
            .entry(c.key.clone().unwrap_or_default())
            .or_default() += 1;
    }
    assert!(
        per_key.values().all(|n| *n == 1),
        "a dial was repeated: {:?}",
        per_key.iter().filter(|(_, n)| **n > 1).collect::<Vec<_>>()
    );
    assert_eq!(
        calls.len(),
        2 * CHAINS,
        "two attempts per chain, nothing more"
    );
    for id in &orders {
        for attempt in 1..=2 {
            assert!(
                per_key.contains_key(&format!("{id}-{attempt}-0")),
                "{id} attempt {attempt}"
            );
        }
    }
    let clients_called = sim::calls()
        .await
        .into_iter()
        .filter(|c| c.kind == "client" && clients.contains(&c.to))
        .count();
    assert_eq!(
        clients_called,
        2 * CHAINS,
        "each client rang twice: busy, then answered"
    );
}
