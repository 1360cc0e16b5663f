//! The calls part of `cargo xtask bench`, on the production build (real time) with the
//! telephony simulator:
//!
//! - from an order sent to the provider receiving the operator call (each call is created with
//!   the key `<order>-<attempt>-<leg>`, and the simulator records when it got it);
//! - the lateness of scheduled calls: retries are due exactly 3 minutes after the attempt
//!   before them ended; how late the attempt started (the Durable Object's alarm and its
//!   work) and how late the provider received its call.

use crate::load;
use crate::local::wrangler;
use crate::proc;
use crate::tools::Tools;
use anyhow::Context;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use shared::attempt::AttemptRecord;
use shared::widget::{WidgetKind, WidgetSettings};
use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Orders of the latency run.
const NOW_ORDERS: usize = 100;
/// Orders of the scheduled-call run.
const RETRY_ORDERS: usize = 60;
/// Orders sent at once.
const PARALLEL: usize = 4;
/// The calls benchmark's widget (the *decide* benchmark's widgets are 1000 and up).
const WIDGET_ID: i64 = 900;
/// The pause before the retry, minutes.
const PAUSE_MINUTES: i64 = 3;

/// Seed for the calls benchmark: a site of the benchmark account with one 24/7 widget that
/// retries once after 3 minutes, calling through the simulator at `simulator_url`.
pub fn seed(simulator_url: &str) -> anyhow::Result<String> {
    let mut w = WidgetSettings::new("Calls".to_string(), WidgetKind::Standard);
    w.call_center.hours = shared::schedule::WeekGrid::full();
    w.forwarding = shared::forwarding::Forwarding::to("+74950001000");
    w.retries = Some(shared::retries::RetryPolicy::Standard {
        retries: 1,
        pause_minutes: PAUSE_MINUTES as u8,
    });
    let telephony = json!({
        "provider": "twilio",
        "base_url": simulator_url,
        "account_sid": "ACbench",
        "auth_token": "bench-token",
        "from": "+74950000000",
    });
    let q = |s: &str| s.replace('\'', "''");
    Ok(format!(
        "INSERT INTO sites (id, account_id, domain, site_key, country) VALUES (101, 100, '127.0.0.1', 'bench-calls', 'RU');\n\
         INSERT INTO widgets (id, site_id, position, active, settings) VALUES ({WIDGET_ID}, 101, 0, 1, '{}');\n\
         INSERT INTO telephony (account_id, settings, account_sid, updated_at) VALUES (100, '{}', 'ACbench', '2026-01-01T00:00:00Z');\n",
        q(&w.to_json()),
        q(&telephony.to_string())
    ))
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// Places `clients.len()` "call me now" orders, `PARALLEL` at a time; (order id, ms sent).
fn place(worker: u16, clients: &[String]) -> anyhow::Result<Vec<(String, i64)>> {
    let results: Vec<anyhow::Result<Vec<(String, i64)>>> = std::thread::scope(|scope| {
        clients
            .chunks(clients.len().div_ceil(PARALLEL))
            .enumerate()
            .map(|(t, chunk)| {
                scope.spawn(move || {
                    let mut placed = Vec::new();
                    for (i, phone) in chunk.iter().enumerate() {
                        let body = json!({
                            "site": "bench-calls",
                            "widget_id": WIDGET_ID,
                            "phone": phone,
                            "when": { "when": "now" },
                            "idempotency_key": format!("bench-{t}-{i}-{phone}"),
                        })
                        .to_string();
                        // Each order from its own address: the per-address limit is 10 an hour.
                        let ip = format!("198.18.{t}.{}", i % 250 + 1);
                        // Local wrangler's proxy answers 503 when its connection to the
                        // runtime is reset under load (see `tests/src/lib.rs`,
                        // `send_again_after_restart`); the order, with its idempotency key, is
                        // sent again and timed from the try that got through.
                        let mut tries = 0;
                        let (sent, status, answer) = loop {
                            let sent = now_ms();
                            let (status, answer) = load::request(
                                worker,
                                "POST",
                                "/api/v1/orders",
                                &[("Content-Type", "text/plain"), ("CF-Connecting-IP", &ip)],
                                &body,
                            )?;
                            tries += 1;
                            if status != 503 || tries == 3 {
                                break (sent, status, answer);
                            }
                        };
                        anyhow::ensure!(status == 201, "order answered {status}: {answer}");
                        let v: Value = serde_json::from_str(&answer)?;
                        let id = v["order_id"].as_str().context("order_id")?.to_string();
                        placed.push((id, sent));
                    }
                    Ok(placed)
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    let mut all = Vec::new();
    for r in results {
        all.extend(r?);
    }
    Ok(all)
}

/// When the simulator received each call, by its key.
fn received(simulator: u16) -> anyhow::Result<HashMap<String, i64>> {
    let (_, body) = load::request(simulator, "GET", "/control/calls", &[], "")?;
    let calls: Vec<Value> = serde_json::from_str(&body)?;
    Ok(calls
        .iter()
        .filter_map(|c| Some((c["key"].as_str()?.to_string(), c["created_ms"].as_i64()?)))
        .collect())
}

fn people(simulator: u16, numbers: Value) -> anyhow::Result<()> {
    let body = json!({ "numbers": numbers }).to_string();
    let (status, _) = load::request(
        simulator,
        "POST",
        "/control/people",
        &[("Content-Type", "application/json")],
        &body,
    )?;
    anyhow::ensure!(status == 204, "scripting the simulator answered {status}");
    Ok(())
}

fn phones(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("+7916{prefix}{i:06}")).collect()
}

/// Sorted samples' median and p99, ms.
fn spread(mut samples: Vec<f64>) -> (f64, f64, usize) {
    samples.sort_by(f64::total_cmp);
    let at = |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize];
    (at(0.5), at(0.99), samples.len())
}

/// Every attempt of these orders, read from the local D1 (a wrangler command).
fn attempts(
    tools: &Tools,
    state: &Path,
    orders: &[String],
) -> anyhow::Result<HashMap<String, Vec<AttemptRecord>>> {
    let ids = orders
        .iter()
        .map(|o| format!("'{o}'"))
        .collect::<Vec<_>>()
        .join(",");
    let out = proc::output(
        wrangler(tools, state)
            .args(["d1", "execute", "ringback", "--local", "--json", "--persist-to"])
            .arg(state)
            .arg("--command")
            .arg(format!(
                "SELECT order_id, record FROM call_attempts WHERE order_id IN ({ids}) ORDER BY order_id, n"
            )),
    )?;
    let v: Value = serde_json::from_str(&out).context("wrangler's JSON")?;
    let mut by_order: HashMap<String, Vec<AttemptRecord>> = HashMap::new();
    for row in v[0]["results"].as_array().context("results")? {
        let record: AttemptRecord =
            serde_json::from_str(row["record"].as_str().context("record")?)?;
        by_order
            .entry(row["order_id"].as_str().unwrap_or_default().to_string())
            .or_default()
            .push(record);
    }
    Ok(by_order)
}

/// Runs both measurements on the started system and prints their table.
pub fn run(tools: &Tools, state: &Path, worker: u16, simulator: u16) -> anyhow::Result<()> {
    let talk = json!({ "answer": { "kind": "after", "secs": 2 }, "talk": 5 });
    let now_clients = phones("1", NOW_ORDERS);
    let retry_clients = phones("2", RETRY_ORDERS);
    let mut script = serde_json::Map::new();
    for c in &now_clients {
        script.insert(c.clone(), talk.clone());
    }
    for c in &retry_clients {
        script.insert(c.clone(), json!([{ "answer": { "kind": "busy" } }, talk]));
    }
    people(simulator, script.into())?;

    println!("\nmeasuring calls: {NOW_ORDERS} orders, then {RETRY_ORDERS} orders with a retry after {PAUSE_MINUTES} min...");
    let placed = place(worker, &now_clients)?;
    std::thread::sleep(Duration::from_secs(5));
    let got = received(simulator)?;
    let to_provider: Vec<f64> = placed
        .iter()
        .filter_map(|(id, sent)| got.get(&format!("{id}-1-0")).map(|at| (at - sent) as f64))
        .collect();
    anyhow::ensure!(
        to_provider.len() == placed.len(),
        "{} of {} orders reached the provider",
        to_provider.len(),
        placed.len()
    );

    let retries = place(worker, &retry_clients)?;
    let ids: Vec<String> = retries.iter().map(|(id, _)| id.clone()).collect();
    let deadline = Instant::now() + Duration::from_secs(60 * (PAUSE_MINUTES as u64 + 3));
    let got = loop {
        let got = received(simulator)?;
        if ids.iter().all(|id| got.contains_key(&format!("{id}-2-0"))) {
            break got;
        }
        anyhow::ensure!(Instant::now() < deadline, "the retries did not all happen");
        std::thread::sleep(Duration::from_secs(5));
    };
    // The journal is written after the call is placed: wait until every retry is in it.
    let records = loop {
        let records = attempts(tools, state, &ids)?;
        if ids
            .iter()
            .all(|id| records.get(id).is_some_and(|a| a.len() >= 2))
        {
            break records;
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "the journal lacks retries of some orders"
        );
        std::thread::sleep(Duration::from_secs(2));
    };
    let (mut started_late, mut received_late) = (Vec::new(), Vec::new());
    for id in &ids {
        let a = records
            .get(id)
            .with_context(|| format!("attempts of {id}"))?;
        let (first, retry) = (&a[0], &a[1]);
        let due: DateTime<Utc> =
            first.ended_at.context("ended")? + chrono::Duration::minutes(PAUSE_MINUTES);
        started_late.push((retry.started_at - due).num_milliseconds() as f64);
        let at = got[&format!("{id}-2-0")];
        received_late.push((at - due.timestamp_millis()) as f64);
    }

    println!("\ncalls: production build, local wrangler dev, telephony simulator in real time\n");
    println!("| from → to | n | median | p99 |\n|---|---:|---:|---:|");
    for (label, samples) in [
        (
            "order sent → provider receives the operator call",
            to_provider,
        ),
        ("retry due → its attempt starts", started_late),
        ("retry due → provider receives its call", received_late),
    ] {
        let (median, p99, n) = spread(samples);
        println!("| {label} | {n} | {median:.0} ms | {p99:.0} ms |");
    }
    Ok(())
}
