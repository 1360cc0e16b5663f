//! `cargo xtask dev`: the whole system on this machine, until Ctrl-C.

use crate::local::{self, Options};
use crate::phases::Phases;
use crate::proc::interrupted;
use crate::tools::Tools;
use crate::{build, root};
use std::time::Duration;

/// `--speed N`: run the chains' clock N times faster (retries minutes apart come seconds
/// apart); real time by default.
fn speed_arg() -> anyhow::Result<u32> {
    let args: Vec<String> = std::env::args().skip(2).collect();
    match args.as_slice() {
        [] => Ok(1),
        [flag, n] if flag == "--speed" => n
            .parse()
            .map_err(|_| anyhow::anyhow!("--speed takes a whole number, e.g. --speed 60")),
        _ => anyhow::bail!("usage: cargo xtask dev [--speed N]"),
    }
}

pub fn run() -> anyhow::Result<()> {
    let speed = speed_arg()?;
    let mut phases = Phases::default();
    let tools = phases.run("install tools (cached by version)", || Tools::ensure(false))?;
    phases.run("build widget, cabinet, loader, worker", || {
        build::all(&tools, build::Flavor::LocalDev)
    })?;
    let mut system = phases.run("start worker and simulator", || {
        local::start(
            &tools,
            Options {
                // Local D1 and Durable Object state survive restarts of `cargo xtask dev`.
                persist_to: root().join(".wrangler/state"),
                worker_port: Some(8787),
                simulator_port: Some(8788),
                log_dir: None,
                clock_speed: speed,
            },
        )
    })?;
    phases.print_table();
    let w = &system.worker_url;
    println!(
        "
Ringback is running locally.

  demo customer page   {w}/demo/
                       (an ordinary page with the one script tag; the callback button is
                       bottom right; {w}/demo/api.html drives it through the JS API)
  cabinet              {w}/
                       (demo login: demo@ringback.test / demo-password)
  telephony simulator  {sim}/
  public API           {w}/api/v1/decide?site=demo

Press Ctrl-C to stop everything.",
        sim = system.simulator_url
    );
    while !interrupted() {
        if let Some(why) = system.exited() {
            anyhow::bail!("{why}; stopping the rest");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    println!("\nstopping...");
    system.stop();
    println!("stopped.");
    Ok(())
}
