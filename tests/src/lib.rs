//! Harness of Ringback's end-to-end tests.
//!
//! `cargo xtask test` starts the real system (wrangler dev with fresh local D1, the telephony
//! simulator, chromedriver with Debian's Chromium) and passes its addresses in environment
//! variables; the tests here talk to it over HTTP and WebDriver. Nothing is mocked.

use fantoccini::{Client, ClientBuilder};
use serde_json::json;
use std::time::Duration;

/// Reads an address that `cargo xtask test` provides.
fn provided(var: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| {
        panic!("{var} is not set: run these tests through `cargo xtask test`, which starts the system they test")
    })
}

/// Base URL of the edge worker, e.g. `http://127.0.0.1:40123`.
pub fn worker_url() -> String {
    provided("RINGBACK_WORKER_URL")
}

/// Base URL of the telephony simulator.
pub fn simulator_url() -> String {
    provided("RINGBACK_SIMULATOR_URL")
}

/// A plain HTTP client.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("an HTTP client")
}

/// A fresh headless Chromium session (its own empty profile).
pub async fn browser() -> Client {
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,800"
            ]
        }
    });
    let serde_json::Value::Object(caps) = caps else {
        unreachable!()
    };
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&provided("RINGBACK_WEBDRIVER_URL"))
        .await
        .expect("a WebDriver session with headless Chromium")
}

/// Polls `f` every 100 ms until it returns `Some`, or panics after `timeout` naming `what`.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = std::time::Instant::now();
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(
            start.elapsed() < timeout,
            "timed out after {timeout:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
