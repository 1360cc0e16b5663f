//! The system running locally: `wrangler dev` (workerd with local D1, Durable Objects and
//! static assets) with migrations applied and the demo data seeded, and the telephony simulator.

use crate::proc::{free_port, run, wait_ready, Service};
use crate::tools::Tools;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The D1 database name in `wrangler.toml`.
const DATABASE: &str = "ringback";

pub struct Options {
    /// Folder of the local D1 and Durable Object state.
    pub persist_to: PathBuf,
    pub worker_port: Option<u16>,
    pub simulator_port: Option<u16>,
    /// Write the services' output to files in this folder instead of the terminal.
    pub log_dir: Option<PathBuf>,
    /// Chain seconds per real second (the worker's `RINGBACK_CLOCK_SPEED` and the simulator's
    /// `--speed`): 1 is real time.
    pub clock_speed: u32,
}

pub struct LocalSystem {
    pub worker_url: String,
    pub simulator_url: String,
    // Dropped (stopped) in reverse order of start.
    pub services: Vec<Service>,
}

impl LocalSystem {
    /// The first service that exited by itself, if any.
    pub fn exited(&mut self) -> Option<String> {
        self.services.iter_mut().find_map(|s| {
            s.exited()
                .map(|status| format!("{} exited ({status})", s.name))
        })
    }

    pub fn stop(&mut self) {
        while let Some(mut s) = self.services.pop() {
            s.stop();
        }
    }
}

impl Drop for LocalSystem {
    fn drop(&mut self) {
        self.stop();
    }
}

/// wrangler with its telemetry, prompts and internet lookups switched off.
pub fn wrangler(tools: &Tools, persist_to: &Path) -> Command {
    let mut cmd = tools.command(tools.node_tool("wrangler"));
    cmd.env("CI", "true")
        .env("WRANGLER_SEND_METRICS", "false")
        .env("XDG_CONFIG_HOME", persist_to.join("config"))
        // The `request.cf` object comes from a fixed local placeholder, not from the internet.
        .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
        .env("FORCE_COLOR", "0");
    cmd
}

/// The demo account's telephony: the simulator at `simulator_url`, which also receives the
/// demo's outgoing webhooks.
pub fn demo_telephony_sql(simulator_url: &str) -> String {
    let settings = serde_json::json!({
        "provider": "twilio",
        "base_url": simulator_url,
        "account_sid": DEMO_ACCOUNT_SID,
        "auth_token": DEMO_AUTH_TOKEN,
        "from": "+74950000000",
        "webhook_url": format!("{simulator_url}/hooks/demo"),
        "webhook_secret": "demo-webhook-secret-0123456789",
    });
    format!(
        "INSERT OR REPLACE INTO telephony (account_id, settings, account_sid, updated_at) \
         VALUES (1, '{}', '{DEMO_ACCOUNT_SID}', '2026-01-01T00:00:00Z');",
        settings.to_string().replace('\'', "''")
    )
}

/// The demo account's provider account at the simulator.
pub const DEMO_ACCOUNT_SID: &str = "ACdemo";
/// Its secret.
pub const DEMO_AUTH_TOKEN: &str = "demo-auth-token";

/// Applies the D1 migrations and the idempotent demo seed to the local database; the demo
/// account calls through the simulator at `simulator_url`.
pub fn prepare_database(
    tools: &Tools,
    persist_to: &Path,
    simulator_url: &str,
) -> anyhow::Result<()> {
    fs::create_dir_all(persist_to)?;
    run(wrangler(tools, persist_to)
        .args([
            "d1",
            "migrations",
            "apply",
            DATABASE,
            "--local",
            "--persist-to",
        ])
        .arg(persist_to))?;
    let seed = persist_to.join("seed.sql");
    let demo = fs::read_to_string(tools.root.join("edge-worker/seed/demo.sql"))?;
    fs::write(
        &seed,
        format!("{demo}\n{}\n", demo_telephony_sql(simulator_url)),
    )?;
    run(wrangler(tools, persist_to)
        .args(["d1", "execute", DATABASE, "--local", "--persist-to"])
        .arg(persist_to)
        .arg("--file")
        .arg(&seed))
}

pub fn start(tools: &Tools, opts: Options) -> anyhow::Result<LocalSystem> {
    let simulator_port = free_port(opts.simulator_port)?;
    let simulator_url = format!("http://127.0.0.1:{simulator_port}");
    prepare_database(tools, &opts.persist_to, &simulator_url)?;
    let mut system = LocalSystem {
        worker_url: String::new(),
        simulator_url: String::new(),
        services: Vec::new(),
    };
    let output = |name: &str| -> anyhow::Result<(Stdio, Stdio)> {
        match &opts.log_dir {
            Some(dir) => {
                fs::create_dir_all(dir)?;
                let f = fs::File::create(dir.join(format!("{name}.log")))?;
                Ok((f.try_clone()?.into(), f.into()))
            }
            None => Ok((Stdio::inherit(), Stdio::inherit())),
        }
    };

    run(tools
        .cargo()
        .args(["build", "--quiet", "-p", "ringback-simulator"]))?;
    let (out, err) = output("simulator")?;
    let mut simulator = Service::spawn(
        "telephony simulator",
        Command::new(tools.target_dir.join("debug/ringback-simulator"))
            .args(["--port", &simulator_port.to_string()])
            .args(["--speed", &opts.clock_speed.to_string()])
            .stdout(out)
            .stderr(err),
    )?;
    wait_ready(
        &mut simulator,
        simulator_port,
        "/health",
        Duration::from_secs(30),
    )?;
    system.services.push(simulator);
    system.simulator_url = simulator_url;

    let worker_port = free_port(opts.worker_port)?;
    let inspector_port = free_port(None)?;
    let (out, err) = output("wrangler")?;
    let mut worker = Service::spawn(
        "worker (wrangler dev)",
        wrangler(tools, &opts.persist_to)
            .args([
                "dev",
                "--ip",
                "127.0.0.1",
                "--port",
                &worker_port.to_string(),
            ])
            .args(["--inspector-port", &inspector_port.to_string()])
            .args([
                "--var",
                &format!("RINGBACK_CLOCK_SPEED:{}", opts.clock_speed),
            ])
            .args(["--show-interactive-dev-session=false", "--persist-to"])
            .arg(&opts.persist_to)
            .stdout(out)
            .stderr(err),
    )?;
    if let Err(e) = wait_ready(
        &mut worker,
        worker_port,
        "/api/health",
        Duration::from_secs(120),
    ) {
        if let Some(dir) = &opts.log_dir {
            print_tail(&dir.join("wrangler.log"));
        }
        return Err(e);
    }
    system.services.push(worker);
    system.worker_url = format!("http://127.0.0.1:{worker_port}");
    Ok(system)
}

/// Prints the end of a service's log, for failures.
pub fn print_tail(log: &Path) {
    if let Ok(text) = fs::read_to_string(log) {
        let lines: Vec<&str> = text.lines().collect();
        let from = lines.len().saturating_sub(60);
        eprintln!("--- last lines of {} ---", log.display());
        for l in &lines[from..] {
            eprintln!("{l}");
        }
        eprintln!("--- end of {} ---", log.display());
    }
}
