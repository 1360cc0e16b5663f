//! `ringback-simulator [--port N]`: serves the telephony simulator on 127.0.0.1.

use anyhow::Context;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut port: u16 = 8788;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => {
                port = args
                    .next()
                    .context("--port needs a value")?
                    .parse()
                    .context("--port must be a number")?;
            }
            other => {
                anyhow::bail!("unknown argument `{other}`; usage: ringback-simulator [--port N]")
            }
        }
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .with_context(|| format!("cannot listen on 127.0.0.1:{port}"))?;
    println!(
        "telephony simulator listening on http://{}",
        listener.local_addr()?
    );
    axum::serve(listener, ringback_simulator::router()).await?;
    Ok(())
}
