//! `ringback-simulator [--port N] [--speed S] [--people FILE]`: serves the telephony simulator
//! on 127.0.0.1.
//!
//! `--speed S` runs the simulated clock S times faster than real time (rings, announcements,
//! talk); the worker's test clock (`RINGBACK_CLOCK_SPEED`) must match it. `--people FILE`
//! loads a JSON script of how the person at each number behaves (see `people::People`).

use anyhow::Context;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut port: u16 = 8788;
    let mut speed: f64 = 1.0;
    let mut people: Option<String> = None;
    let mut args = std::env::args().skip(1);
    let usage = "usage: ringback-simulator [--port N] [--speed S] [--people FILE]";
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().with_context(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--port" => {
                port = value("--port")?
                    .parse()
                    .context("--port must be a number")?
            }
            "--speed" => {
                speed = value("--speed")?
                    .parse()
                    .context("--speed must be a number")?
            }
            "--people" => people = Some(value("--people")?),
            other => anyhow::bail!("unknown argument `{other}`; {usage}"),
        }
    }
    let sim = ringback_simulator::Sim::new(speed);
    if let Some(file) = people {
        let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {file}"))?;
        sim.set_people(
            serde_json::from_str(&text)
                .with_context(|| format!("{file} is not a people script"))?,
        );
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .with_context(|| format!("cannot listen on 127.0.0.1:{port}"))?;
    println!(
        "telephony simulator listening on http://{} (clock x{speed})",
        listener.local_addr()?
    );
    axum::serve(listener, ringback_simulator::router(sim)).await?;
    Ok(())
}
