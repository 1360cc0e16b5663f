//! `cargo xtask bench`: measurements printed as a table. Not part of the test command: budgets
//! are measured here, tests never assert wall-clock times.
//!
//! Sizes are raw and brotli (quality 11, the level CDNs use for static files).

use crate::build;
use crate::load;
use crate::local::{self, wrangler, Options};
use crate::proc;
use crate::tools::Tools;
use shared::conditions::{
    ConditionSet, DeviceRules, Effect, GeoLevel, GeoRule, Join, PageMatch, PageRule, TrafficRule,
    TrafficRules,
};
use shared::widget::{WidgetKind, WidgetSettings};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Widgets of the benchmark site.
const WIDGETS: usize = 50;
/// Concurrent connections of the latency run.
const CONCURRENCY: usize = 16;
/// Length of each latency run.
const RUN: Duration = Duration::from_secs(15);

pub fn run() -> anyhow::Result<()> {
    let tools = Tools::ensure(false)?;
    build::all(&tools, build::Flavor::Production)?;
    sizes(&tools)?;
    latency(&tools)
}

/// The benchmark site: `WIDGETS` active widgets of 10 rules each; only the last matches the
/// benchmark page, so *decide* evaluates every widget's every rule.
fn bench_seed(dir: &Path, simulator_url: &str) -> anyhow::Result<PathBuf> {
    let sql_text = |s: &str| s.replace('\'', "''");
    let mut sql = String::from(
        "INSERT INTO accounts (id, name, minutes_balance) VALUES (100, 'Bench', 100000);\n\
         INSERT INTO sites (id, account_id, domain, site_key, country) VALUES (100, 100, 'bench.example', 'bench', 'RU');\n",
    );
    for i in 0..WIDGETS {
        let mut w = WidgetSettings::new(format!("Widget {i}"), WidgetKind::Standard);
        w.call_center.hours = shared::schedule::WeekGrid::full();
        w.forwarding = shared::forwarding::Forwarding::to("+74951234567");
        let page = |matching, value: String| PageRule {
            matching,
            value,
            effect: Effect::Allow,
        };
        let set = ConditionSet {
            name: format!("rules {i}"),
            active: true,
            devices: DeviceRules {
                mobile: Effect::Deny,
                ..Default::default()
            },
            pages: vec![
                page(PageMatch::Contains, format!("/catalog-{i}/")),
                page(
                    PageMatch::StartsWith,
                    format!("https://bench.example/offers/{i}/"),
                ),
                page(
                    PageMatch::Equals,
                    format!("https://bench.example/landing-{i}"),
                ),
                page(
                    PageMatch::Regex,
                    format!(r"^https://bench\.example/promo/{i}/\d+$"),
                ),
            ],
            traffic: TrafficRules {
                join: Join::Or,
                rules: vec![
                    TrafficRule {
                        source: Some(format!("yandex-{i}")),
                        medium: Some("cpc".into()),
                        ..Default::default()
                    },
                    TrafficRule {
                        source: Some(format!("google-{i}")),
                        ..Default::default()
                    },
                    TrafficRule {
                        campaign: Some(format!("spring-{i}")),
                        ..Default::default()
                    },
                ],
            },
            geo: vec![
                GeoRule {
                    level: GeoLevel::Country,
                    value: "KZ".into(),
                    effect: Effect::Deny,
                },
                GeoRule {
                    level: GeoLevel::City,
                    value: format!("City {i}"),
                    effect: Effect::Deny,
                },
            ],
        };
        let id = 1000 + i;
        sql.push_str(&format!(
            "INSERT INTO widgets (id, site_id, position, active, settings) VALUES ({id}, 100, {i}, 1, '{}');\n\
             INSERT INTO condition_sets (widget_id, position, body) VALUES ({id}, 0, '{}');\n",
            sql_text(&w.to_json()),
            sql_text(&serde_json::to_string(&set)?),
        ));
    }
    sql.push_str(&crate::bench_calls::seed(simulator_url)?);
    fs::create_dir_all(dir)?;
    let path = dir.join("bench-seed.sql");
    fs::write(&path, sql)?;
    Ok(path)
}

/// *decide* for the benchmark site next to a trivial route of the same worker, then calls
/// ([`crate::bench_calls`]), on one running system.
fn latency(tools: &Tools) -> anyhow::Result<()> {
    let scratch = std::env::temp_dir().join(format!("ringback-bench-{}", std::process::id()));
    let _ = fs::remove_dir_all(&scratch);
    let state = scratch.join("state");
    let simulator_port = proc::free_port(None)?;
    let simulator_url = format!("http://127.0.0.1:{simulator_port}");
    local::prepare_database(tools, &state, &simulator_url)?;
    let seed = bench_seed(&scratch, &simulator_url)?;
    proc::run(
        wrangler(tools, &state)
            .args(["d1", "execute", "ringback", "--local", "--persist-to"])
            .arg(&state)
            .arg("--file")
            .arg(&seed),
    )?;
    let mut system = local::start(
        tools,
        Options {
            persist_to: state.clone(),
            worker_port: None,
            simulator_port: Some(simulator_port),
            log_dir: Some(scratch.join("logs")),
            // The production build runs in real time; so does the simulator.
            clock_speed: 1,
        },
    )?;
    let port: u16 = system
        .worker_url
        .rsplit(':')
        .next()
        .unwrap_or("0")
        .parse()?;
    let last = WIDGETS - 1;
    let decide_path = format!(
        "/api/v1/decide?site=bench&url=https%3A%2F%2Fbench.example%2Flanding-{last}%3Futm_source%3Dyandex-{last}%26utm_medium%3Dcpc&tz=Europe%2FMoscow"
    );
    let ua = [(
        "User-Agent",
        "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36",
    )];
    println!(
        "\nmeasuring {CONCURRENCY} connections for {}s each...",
        RUN.as_secs()
    );
    let decide = load::run(port, &decide_path, &ua, CONCURRENCY, RUN)?;
    let health = load::run(port, "/api/health", &ua, CONCURRENCY, RUN)?;
    let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1000.0);
    println!(
        "\n*decide*: site with {WIDGETS} widgets x 10 rules, only the last matching; local wrangler dev (workerd), concurrency {CONCURRENCY}\n"
    );
    println!("| route | requests | median | p99 | requests/s |\n|---|---:|---:|---:|---:|");
    for (name, s) in [
        ("GET /api/v1/decide (50 widgets)", &decide),
        ("GET /api/health (trivial)", &health),
    ] {
        println!(
            "| {name} | {} | {} | {} | {:.0} |",
            s.requests,
            ms(s.median()),
            ms(s.p99()),
            s.rps()
        );
    }
    println!(
        "| decide / trivial | | {:.2}x | {:.2}x | {:.2}x |",
        decide.median().as_secs_f64() / health.median().as_secs_f64(),
        decide.p99().as_secs_f64() / health.p99().as_secs_f64(),
        decide.rps() / health.rps()
    );
    let widget = widget_on_the_page(tools, &system.worker_url, &scratch);
    let calls = crate::bench_calls::run(tools, &state, port, simulator_port);
    system.stop();
    let _ = fs::remove_dir_all(&scratch);
    widget.and(calls)
}

/// The widget's cost to the demo customer page in headless Chromium (`xtask/bench/widget.mjs`):
/// time to the button and long tasks with the CPU slowed down 4x, and Lighthouse with and
/// without the widget.
fn widget_on_the_page(tools: &Tools, worker_url: &str, scratch: &Path) -> anyhow::Result<()> {
    // What a visitor downloads before the button shows: the loader and decide's answer.
    let port: u16 = worker_url.rsplit(':').next().unwrap_or("0").parse()?;
    let page = format!("{worker_url}/demo/");
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("url", &page)
        .finish();
    let (status, answer) = load::request(
        port,
        "GET",
        &format!("/api/v1/decide?site=demo&{query}&lang=en&tz=Europe%2FMoscow"),
        &[],
        "",
    )?;
    anyhow::ensure!(status == 200, "decide answered {status}");
    let loader = fs::read(tools.root.join("dist/w.js"))?;
    let (raw, br) = (
        loader.len() + answer.len(),
        brotli_len(&loader) + brotli_len(answer.as_bytes()),
    );
    println!(
        "
| what | raw | brotli |
|---|---:|---:|"
    );
    println!(
        "| decide's answer for the demo page | {} | {} |",
        kb(answer.len()),
        kb(brotli_len(answer.as_bytes()))
    );
    println!(
        "| everything to show the button: loader + decide's answer | {} | {} |",
        kb(raw),
        kb(br)
    );
    let lighthouse = crate::tools::ensure_lighthouse()?;
    let logs = scratch.join("logs");
    let (_driver, webdriver_url) = crate::test::chromedriver(&logs)?;
    println!(
        "
measuring the widget on the demo page in headless Chromium..."
    );
    proc::run(
        tools
            .command("node")
            .arg(tools.root.join("xtask/bench/widget.mjs"))
            .arg(worker_url)
            .arg(&webdriver_url)
            .arg(&lighthouse)
            .env("XDG_CONFIG_HOME", logs.join("chromium-config"))
            .env("XDG_CACHE_HOME", logs.join("chromium-cache")),
    )
}

/// Sizes of what visitors and the edge download, raw and brotli.
fn sizes(tools: &Tools) -> anyhow::Result<()> {
    let dist = tools.root.join("dist");
    // The deployable worker bundle, as `wrangler deploy` would upload it.
    let bundle = std::env::temp_dir().join(format!("ringback-bundle-{}", std::process::id()));
    let _ = fs::remove_dir_all(&bundle);
    proc::run(
        wrangler(tools, &bundle.join("state"))
            .args(["deploy", "--dry-run", "--outdir"])
            .arg(&bundle),
    )?;
    let worker_files: Vec<PathBuf> = fs::read_dir(&bundle)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();

    let loader = dist.join("w.js");
    let widget_js = dist.join("widget/widget.js");
    let widget_wasm = dist.join("widget/widget_bg.wasm");
    let rows: Vec<(&str, Vec<PathBuf>)> = vec![
        ("loader w.js", vec![loader.clone()]),
        ("widget JS glue", vec![widget_js.clone()]),
        ("widget wasm", vec![widget_wasm.clone()]),
        (
            "widget: glue + wasm (fetched when the page is idle)",
            vec![widget_js, widget_wasm],
        ),
        ("cabinet JS glue", vec![dist.join("cabinet.js")]),
        ("cabinet wasm", vec![dist.join("cabinet_bg.wasm")]),
        ("worker bundle (wrangler deploy --dry-run)", worker_files),
    ];
    println!("\n| what | raw | brotli |\n|---|---:|---:|");
    for (label, files) in rows {
        let (mut raw, mut br) = (0, 0);
        for f in &files {
            let bytes = fs::read(f).map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
            raw += bytes.len();
            br += brotli_len(&bytes);
        }
        println!("| {label} | {} | {} |", kb(raw), kb(br));
    }
    let _ = fs::remove_dir_all(&bundle);
    Ok(())
}

fn brotli_len(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("in-memory compression");
    out.len()
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}
