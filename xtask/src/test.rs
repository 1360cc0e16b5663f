//! `cargo xtask test`: every test, from a machine with nothing installed.
//!
//! Groups: lint (fmt, clippy for native and wasm), native unit tests, the wasm builds, then the
//! integration tests (HTTP against a real `wrangler dev` with fresh local D1) and the browser
//! tests (headless Chromium via chromedriver). Prints the time of each phase and ends with the
//! summary line of all test results.

use crate::build;
use crate::local::{self, print_tail, LocalSystem, Options};
use crate::phases::{secs, Phases};
use crate::proc::{self, free_port, run_tests, wait_ready, Service, TestCounts};
use crate::tools::{Tools, WASM_TARGET};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Test binaries of the `ringback-e2e` crate, one group each, with how many tests of the group
/// run at once (calls mostly wait for the simulated people, so they run many at once).
const E2E_GROUPS: &[(&str, &[&str], usize)] = &[
    (
        "integration tests (worker APIs, real wrangler + D1)",
        &["api", "public_api", "cabinet", "isolation", "openapi"],
        2,
    ),
    (
        "fuzz: 4,900 malformed and oversized requests to every route, and raw HTTP oddities",
        &["fuzz"],
        2,
    ),
    (
        "calls: chains, Durable Object alarms, simulator (clock x60)",
        &["calls"],
        32,
    ),
    (
        "soak: 300 orders over random simulated people",
        &["soak"],
        1,
    ),
    // Its own `wrangler dev` starting in the same project makes the shared one restart its
    // worker, failing requests in flight: nothing else runs meanwhile.
    (
        "durability: a runtime killed mid-chains and started again",
        &["durability"],
        1,
    ),
    // The simulator's fault switch is global: nothing else runs meanwhile.
    ("faults: provider errors and time-outs", &["faults"], 1),
    (
        "browser tests: the widget on a page and the cabinet (headless Chromium)",
        &["browser", "widget", "cabinet_ui"],
        2,
    ),
];

/// Chain seconds per real second in the tests: retries minutes apart come seconds apart.
pub const TEST_CLOCK_SPEED: u32 = 60;

/// What to run: everything, or (for working on one part) only some end-to-end test binaries,
/// without the lint and unit-test phases, and perhaps only the tests whose names contain a
/// filter: `cargo xtask test --only public_api,fuzz -- premium`.
#[derive(Debug, Default)]
pub struct Selection {
    /// The end-to-end test binaries to run, if not all.
    pub only: Option<Vec<String>>,
    /// Arguments for the test binaries (a name filter).
    pub filter: Vec<String>,
}

impl Selection {
    /// Reads `--only a,b` and what follows `--` from the command line after `test`.
    pub fn from_args(args: &[String]) -> anyhow::Result<Selection> {
        let mut selection = Selection::default();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--only" => {
                    let list = it.next().ok_or_else(|| {
                        anyhow::anyhow!("--only needs test binaries, e.g. public_api,fuzz")
                    })?;
                    selection.only = Some(list.split(',').map(str::to_string).collect());
                }
                "--" => selection.filter = it.by_ref().cloned().collect(),
                other => anyhow::bail!("unknown argument {other}: use --only a,b [-- filter]"),
            }
        }
        if let Some(only) = &selection.only {
            for b in only {
                if !E2E_GROUPS
                    .iter()
                    .any(|(_, bins, _)| bins.contains(&b.as_str()))
                {
                    anyhow::bail!("no end-to-end test binary {b}");
                }
            }
        }
        Ok(selection)
    }

    fn wants(&self, binary: &str) -> bool {
        self.only
            .as_ref()
            .is_none_or(|only| only.iter().any(|b| b == binary))
    }
}

pub fn run(selection: Selection) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut phases = Phases::default();
    let mut counts = TestCounts::default();
    let scratch = std::env::temp_dir().join(format!("ringback-test-{}", std::process::id()));
    let result = run_all(&mut phases, &mut counts, &scratch, &selection);
    keep_logs(&scratch.join("logs"));
    let _ = std::fs::remove_dir_all(&scratch);
    phases.print_table();
    if let Err(e) = &result {
        eprintln!("\nerror: {e:#}");
    }
    let verdict = if result.is_ok() && counts.failed == 0 {
        "ok"
    } else {
        "FAILED"
    };
    println!(
        "\ntest result: {verdict}. {} passed; {} failed; {} ignored; all groups finished in {}",
        counts.passed,
        counts.failed,
        counts.ignored,
        secs(started.elapsed())
    );
    if verdict == "ok" {
        Ok(())
    } else {
        std::process::exit(1)
    }
}

/// The logs of the last run (wrangler, simulator, chromedriver) stay in `target/test-logs`
/// for reading after a failure; the rest of the scratch directory goes.
fn keep_logs(logs: &Path) {
    let kept = crate::root().join("target/test-logs");
    let _ = std::fs::remove_dir_all(&kept);
    let _ = std::fs::create_dir_all(&kept);
    if let Ok(entries) = std::fs::read_dir(logs) {
        for e in entries.flatten() {
            if e.path().extension().is_some_and(|x| x == "log") {
                let _ = std::fs::copy(e.path(), kept.join(e.file_name()));
            }
        }
    }
    println!("logs of this run: {}", kept.display());
}

fn run_all(
    phases: &mut Phases,
    counts: &mut TestCounts,
    scratch: &Path,
    selection: &Selection,
) -> anyhow::Result<()> {
    let tools = phases.run("install tools (cached by version)", || Tools::ensure(true))?;
    if selection.only.is_none() {
        phases.run("lint: rustfmt, clippy native and wasm", || lint(&tools))?;
        counts.add(phases.run("unit tests (native)", || {
            run_tests(tools.cargo().args([
                "test",
                "-p",
                "shared",
                "-p",
                "ringback-simulator",
                "-p",
                "xtask",
                "-p",
                "ringback-cabinet",
            ]))
        })?);
    }
    phases.run("build wasm: widget, cabinet, loader, worker", || {
        build::all(&tools, build::Flavor::LocalDev)
    })?;
    phases.run("build end-to-end tests", || {
        proc::run(
            tools
                .cargo()
                .args(["test", "--quiet", "-p", "ringback-e2e", "--no-run"]),
        )
    })?;
    let logs = scratch.join("logs");
    let system = phases.run("start worker (fresh local D1) and simulator", || {
        local::start(
            &tools,
            Options {
                persist_to: scratch.join("state"),
                worker_port: None,
                simulator_port: None,
                log_dir: Some(logs.clone()),
                clock_speed: TEST_CLOCK_SPEED,
            },
        )
    })?;
    let (_driver, webdriver_url) = phases.run("start chromedriver", || chromedriver(&logs))?;
    for (name, binaries, threads) in E2E_GROUPS {
        let binaries: Vec<&str> = binaries
            .iter()
            .copied()
            .filter(|b| selection.wants(b))
            .collect();
        if binaries.is_empty() {
            continue;
        }
        let result = phases.run(name, || {
            let mut cmd = e2e(&tools, &system, &webdriver_url, &logs);
            for b in &binaries {
                cmd.args(["--test", b]);
            }
            cmd.arg("--").arg(format!("--test-threads={threads}"));
            cmd.args(&selection.filter);
            run_tests(&mut cmd)
        });
        match result {
            Ok(c) => counts.add(c),
            Err(e) => {
                print_tail(&logs.join("wrangler.log"));
                print_tail(&logs.join("simulator.log"));
                counts.failed += 1;
                return Err(e);
            }
        }
    }
    Ok(())
}

fn e2e(tools: &Tools, system: &LocalSystem, webdriver_url: &str, logs: &Path) -> Command {
    let mut cmd = tools.cargo();
    cmd.args(["test", "--quiet", "--no-fail-fast", "-p", "ringback-e2e"])
        .env("RINGBACK_WORKER_URL", &system.worker_url)
        .env("RINGBACK_SIMULATOR_URL", &system.simulator_url)
        .env("RINGBACK_WEBDRIVER_URL", webdriver_url)
        .env("RINGBACK_CLOCK_SPEED", TEST_CLOCK_SPEED.to_string())
        // Emails are captured in wrangler's log.
        .env("RINGBACK_WRANGLER_LOG", logs.join("wrangler.log"))
        // The durability test runs a wrangler of its own, which it stops and starts.
        .env("RINGBACK_WRANGLER", tools.node_tool("wrangler"))
        .env("RINGBACK_ROOT", &tools.root)
        .env("RINGBACK_SCRATCH", logs.join("e2e"));
    cmd
}

fn lint(tools: &Tools) -> anyhow::Result<()> {
    proc::run(tools.cargo().args(["fmt", "--all", "--check"]))?;
    crate::openapi::check()?;
    proc::run(tools.cargo().args([
        "clippy",
        "--quiet",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    proc::run(tools.cargo().args([
        "clippy",
        "--quiet",
        "--target",
        WASM_TARGET,
        "-p",
        "shared",
        "-p",
        "ringback-widget",
        "-p",
        "ringback-cabinet",
        "-p",
        "ringback-edge-worker",
        "--",
        "-D",
        "warnings",
    ]))
}

/// ChromeDriver on a free port, logging into `logs`.
pub fn chromedriver(logs: &Path) -> anyhow::Result<(Service, String)> {
    let port = free_port(None)?;
    std::fs::create_dir_all(logs)?;
    let log = std::fs::File::create(logs.join("chromedriver.log"))?;
    let mut driver = Service::spawn(
        "chromedriver",
        Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            // Chromium writes its config and cache under these: keep them out of $HOME.
            .env("XDG_CONFIG_HOME", logs.join("chromium-config"))
            .env("XDG_CACHE_HOME", logs.join("chromium-cache"))
            .stdout(log.try_clone()?)
            .stderr(log),
    )?;
    wait_ready(&mut driver, port, "/status", Duration::from_secs(30))?;
    Ok((driver, format!("http://127.0.0.1:{port}")))
}
