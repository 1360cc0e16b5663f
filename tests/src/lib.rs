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

/// A unique string for this test run: emails, idempotency keys, phone numbers.
pub fn unique() -> String {
    format!("{:x}{:08x}", std::process::id(), fastrand::u32(..))
}

/// A random valid Russian mobile number (tests must not share numbers: 3 orders per number
/// per hour).
pub fn phone() -> String {
    format!("+7916{:07}", fastrand::u32(0..10_000_000))
}

/// A random documentation-range address for `X-Ringback-Dev-Ip` (each test its own rate
/// limit).
pub fn ip() -> String {
    format!("198.18.{}.{}", fastrand::u8(0..=255), fastrand::u8(1..=254))
}

/// A signed-in cabinet user of a fresh account.
pub struct Cabinet {
    pub http: reqwest::Client,
    pub base: String,
    pub session: String,
    pub csrf: String,
    pub me: shared::cabinet_api::Me,
}

/// The session token from a `Set-Cookie` header.
pub fn session_from(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| {
            c.strip_prefix("rb_session=")
                .map(|rest| rest.split(';').next().unwrap_or("").to_string())
        })
}

impl Cabinet {
    /// Signs up a new account.
    pub async fn sign_up() -> Cabinet {
        let http = http();
        let base = worker_url();
        let email = format!("{}@test.ringback.dev", unique());
        let res = http
            .post(format!("{base}/api/cabinet/signup"))
            .json(
                &json!({ "email": email, "password": "correct horse battery", "company": "Okna" }),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201, "sign-up");
        let session = session_from(&res).expect("a session cookie");
        let me: shared::cabinet_api::Me = res.json().await.unwrap();
        Cabinet {
            http,
            base,
            session,
            csrf: me.csrf_token.clone(),
            me,
        }
    }

    /// A request with the session cookie and, for changes, the CSRF token.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let write = method != reqwest::Method::GET;
        let mut r = self
            .http
            .request(method, format!("{}/api/cabinet{path}", self.base))
            .header("Cookie", format!("rb_session={}", self.session));
        if write {
            r = r.header("X-CSRF-Token", &self.csrf);
        }
        r
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.request(reqwest::Method::GET, path)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.request(reqwest::Method::POST, path)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn put(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.request(reqwest::Method::PUT, path)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn delete(&self, path: &str) -> reqwest::Response {
        self.request(reqwest::Method::DELETE, path)
            .send()
            .await
            .unwrap()
    }

    /// Asserts `status` and returns the JSON body.
    pub async fn ok<T: serde::de::DeserializeOwned>(res: reqwest::Response, status: u16) -> T {
        let got = res.status().as_u16();
        let text = res.text().await.unwrap();
        assert_eq!(got, status, "{text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    /// A site on the worker's own host (so pages served by the worker are "the site").
    pub async fn site(&self) -> shared::cabinet_api::SiteView {
        Cabinet::ok(
            self.post("/sites", json!({ "domain": "127.0.0.1" })).await,
            201,
        )
        .await
    }

    /// An active standard widget that works round the clock, with its settings adjusted by
    /// `edit`.
    pub async fn active_widget(
        &self,
        site_id: i64,
        edit: impl FnOnce(&mut shared::widget::WidgetSettings),
    ) -> shared::cabinet_api::WidgetView {
        let w: shared::cabinet_api::WidgetView = Cabinet::ok(
            self.post(
                &format!("/sites/{site_id}/widgets"),
                json!({ "name": "Main", "kind": "standard" }),
            )
            .await,
            201,
        )
        .await;
        let mut s = w.settings.clone();
        s.call_center.hours = shared::schedule::WeekGrid::full();
        s.forwarding = shared::forwarding::Forwarding::to("+74951234567");
        edit(&mut s);
        let _: shared::cabinet_api::WidgetView = Cabinet::ok(
            self.put(
                &format!("/widgets/{}", w.id),
                serde_json::to_value(&s).unwrap(),
            )
            .await,
            200,
        )
        .await;
        Cabinet::ok(
            self.post(&format!("/widgets/{}/activate", w.id), json!({}))
                .await,
            200,
        )
        .await
    }
}

/// Places an order through the public API from address `ip`.
pub async fn order(
    site_key: &str,
    widget_id: i64,
    phone: &str,
    ip: &str,
    extra: serde_json::Value,
) -> reqwest::Response {
    let mut body = json!({
        "site": site_key,
        "widget_id": widget_id,
        "phone": phone,
        "when": { "when": "now" },
        "idempotency_key": unique(),
    });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    http()
        .post(format!("{}/api/v1/orders", worker_url()))
        .header("X-Ringback-Dev-Ip", ip)
        // The widget sends text/plain: no CORS preflight for the visitor.
        .header("Content-Type", "text/plain")
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}
