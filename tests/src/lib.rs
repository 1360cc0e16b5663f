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
    session(json!({})).await
}

/// A fresh headless Chromium that looks like a smartphone: a phone's user agent (which the
/// worker's device detection reads), a 390×844 touch screen.
pub async fn mobile_browser() -> Client {
    session(json!({
        "mobileEmulation": {
            "deviceMetrics": { "width": 390, "height": 844, "pixelRatio": 2.0, "touch": true },
            "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36"
        }
    }))
    .await
}

/// A fresh headless Chromium that resolves `host` to this machine (e.g. an internationalized
/// domain such as `окна.рф`, which it looks up by its ASCII form).
pub async fn browser_resolving(host: &str) -> Client {
    let mut options = base_options();
    options["args"]
        .as_array_mut()
        .expect("args")
        .push(json!(format!("--host-resolver-rules=MAP {host} 127.0.0.1")));
    connect(options).await
}

fn base_options() -> serde_json::Value {
    json!({
        "binary": "/usr/bin/chromium",
        "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--window-size=1280,800"
        ]
    })
}

async fn session(extra: serde_json::Value) -> Client {
    let mut options = base_options();
    if let (Some(o), serde_json::Value::Object(extra)) = (options.as_object_mut(), extra) {
        o.extend(extra);
    }
    connect(options).await
}

async fn connect(options: serde_json::Value) -> Client {
    let caps = json!({ "browserName": "chrome", "goog:chromeOptions": options });
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

/// `r` with a body of `len` bytes, `head` then spaces, streamed in 64 KB chunks so the test
/// never holds it whole: with its `Content-Length` when `with_length`, otherwise chunked (no
/// length said).
pub fn streamed_body(
    r: reqwest::RequestBuilder,
    head: &[u8],
    len: usize,
    with_length: bool,
) -> reqwest::RequestBuilder {
    const CHUNK: usize = 64 * 1024;
    let head = bytes::Bytes::copy_from_slice(&head[..head.len().min(len)]);
    let spaces = bytes::Bytes::from(vec![b' '; CHUNK]);
    let rest = len - head.len();
    let chunks = std::iter::once(head)
        .chain((0..rest.div_ceil(CHUNK)).map(move |i| spaces.slice(..CHUNK.min(rest - i * CHUNK))));
    let r = r.body(reqwest::Body::wrap_stream(futures_util::stream::iter(
        chunks.map(Ok::<_, std::io::Error>),
    )));
    if with_length {
        r.header("Content-Length", len.to_string())
    } else {
        r
    }
}

/// Sends `request()` with a 50 MB body, once with its `Content-Length` and once chunked, and
/// asserts each answer is a 413 `payload_too_large` and that the worker is healthy right after.
pub async fn fifty_megabytes_are_refused(request: impl Fn() -> reqwest::RequestBuilder) {
    const FIFTY_MB: usize = 50 * 1024 * 1024;
    for with_length in [true, false] {
        let how = if with_length {
            "with Content-Length"
        } else {
            "chunked"
        };
        let res = streamed_body(request(), b"", FIFTY_MB, with_length)
            .send()
            .await
            .unwrap_or_else(|e| panic!("50 MB {how}: no answer reached the client: {e:?}"));
        let status = res.status().as_u16();
        let text = res
            .text()
            .await
            .unwrap_or_else(|e| panic!("50 MB {how}: {status}, then the body was lost: {e:?}"));
        assert_eq!(status, 413, "50 MB {how}: {text}");
        let body: shared::api::ErrorBody = serde_json::from_str(&text).unwrap();
        assert_eq!(body.error, "payload_too_large", "{text}");
        let health = http()
            .get(format!("{}/api/health", worker_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(health.status(), 200, "healthy after 50 MB {how}");
    }
}

/// The main worker's log, where local `wrangler dev` notes every email it "sends".
pub fn wrangler_log() -> std::path::PathBuf {
    provided("RINGBACK_WRANGLER_LOG").into()
}

/// How long a log is now: read emails from there on ([`email_in`]).
pub fn log_len(log: &std::path::Path) -> u64 {
    std::fs::metadata(log).map(|m| m.len()).unwrap_or(0)
}

/// The text of the first email to `to` that the worker whose log is `log` sent after the log
/// was `since` bytes long; waits for it. Local `wrangler dev` logs each email as
/// `send_email binding called with MessageBuilder:`, its `To:` and `Subject:` lines, and
/// `Text: <file>`, the file holding the text.
pub async fn email_in(log: &std::path::Path, since: u64, to: &str) -> String {
    use std::io::{Read, Seek, SeekFrom};
    let to_line = format!("To: {to}");
    eventually(
        &format!("an email to {to} in {}", log.display()),
        Duration::from_secs(20),
        || async {
            let mut f = std::fs::File::open(log).ok()?;
            f.seek(SeekFrom::Start(since)).ok()?;
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).ok()?;
            let text = String::from_utf8_lossy(&bytes);
            let message = &text[text.find(&to_line)?..];
            let file = message[message.find("Text: ")? + "Text: ".len()..]
                .lines()
                .next()?
                .trim()
                .trim_end_matches("\u{1b}[39m");
            std::fs::read_to_string(file).ok()
        },
    )
    .await
}

/// The token of the sign-up link in an email's text.
pub fn link_token(email: &str) -> Option<String> {
    let rest = &email[email.find("/confirm?token=")? + "/confirm?token=".len()..];
    let token: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (!token.is_empty()).then_some(token)
}

/// Makes the browser note every Content-Security-Policy violation of the pages it opens from
/// now on, before any script of theirs runs (`Page.addScriptToEvaluateOnNewDocument` through
/// chromedriver's DevTools endpoint, which no page policy applies to); read them with
/// [`csp_violations`].
pub async fn watch_csp(c: &Client) {
    let session = c.session_id().await.unwrap().expect("a WebDriver session");
    let source =
        "window.__cspViolations = []; document.addEventListener('securitypolicyviolation', \
                  (e) => window.__cspViolations.push(e.effectiveDirective + ' refused ' + \
                  (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber), true);";
    let res = http()
        .post(format!(
            "{}/session/{session}/goog/cdp/execute",
            provided("RINGBACK_WEBDRIVER_URL")
        ))
        .json(&json!({ "cmd": "Page.addScriptToEvaluateOnNewDocument", "params": { "source": source } }))
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_success(),
        "chromedriver's DevTools endpoint: {}",
        res.text().await.unwrap()
    );
}

/// The CSP violations of the open page so far (after [`watch_csp`]).
pub async fn csp_violations(c: &Client) -> Vec<String> {
    let v = c
        .execute(
            "return window.__cspViolations || ['the page was opened before watch_csp'];",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap_or_default()
}

/// A signed-in cabinet user of a fresh account.
pub struct Cabinet {
    pub http: reqwest::Client,
    pub base: String,
    pub session: String,
    pub csrf: String,
    pub me: shared::cabinet_api::Me,
}

/// Sends `r`, and again (up to twice) when the answer is 503: the worker never answers 503,
/// but local `wrangler dev`'s proxy does when its connection to the runtime fails ("Your worker
/// restarted mid-request ... Only GET or HEAD requests are retried automatically"). Read with
/// `WRANGLER_LOG=debug`, the cause is no restart: under load a few proxy-to-runtime connections
/// are reset ("Connection reset by peer"), and wrangler 4's ProxyWorker words every failed
/// forward of a non-root path that way (it compares the whole URL with the bare origin). The
/// telephony simulator, like Twilio, sends its callbacks again for the same reason.
pub async fn send_again_after_restart(r: reqwest::RequestBuilder) -> reqwest::Response {
    let mut tries = 0;
    loop {
        let again = r.try_clone().expect("a request that can be sent twice");
        let res = again.send().await.unwrap();
        tries += 1;
        if res.status() != 503 || tries == 3 {
            return res;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
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
        Cabinet::sign_up_at(&worker_url()).await
    }

    /// Signs up a new account at the worker at `base` (the main one of the run).
    pub async fn sign_up_at(base: &str) -> Cabinet {
        Cabinet::sign_up_with(base, &wrangler_log()).await
    }

    /// Signs up a new account at the worker at `base`, whose emails are in `log`: the sign-up
    /// (from an address of its own, so that the per-address sign-up limit is the test's own),
    /// then the link of its email, opened.
    pub async fn sign_up_with(base: &str, log: &std::path::Path) -> Cabinet {
        let http = http();
        let base = base.to_string();
        let email = format!("{}@test.ringback.dev", unique());
        let since = log_len(log);
        let res = send_again_after_restart(
            http.post(format!("{base}/api/cabinet/signup"))
                .header("X-Ringback-Dev-Ip", ip())
                .json(&json!({ "email": email, "password": "correct horse battery", "company": "Okna" })),
        )
        .await;
        assert_eq!(res.status(), 202, "sign-up: {}", res.text().await.unwrap());
        let token =
            link_token(&email_in(log, since, &email).await).expect("a sign-up link in the email");
        let res = send_again_after_restart(
            http.post(format!("{base}/api/cabinet/confirm"))
                .json(&json!({ "token": token })),
        )
        .await;
        assert_eq!(res.status(), 201, "the sign-up link");
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
        send_again_after_restart(self.request(reqwest::Method::POST, path).json(&body)).await
    }

    pub async fn put(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        send_again_after_restart(self.request(reqwest::Method::PUT, path).json(&body)).await
    }

    pub async fn delete(&self, path: &str) -> reqwest::Response {
        send_again_after_restart(self.request(reqwest::Method::DELETE, path)).await
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
    order_at(&worker_url(), site_key, widget_id, phone, ip, extra).await
}

/// [`order`] at the worker at `base`.
pub async fn order_at(
    base: &str,
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
    // A repeat carries the same idempotency key: it gets the first answer.
    send_again_after_restart(
        http()
            .post(format!("{base}/api/v1/orders"))
            .header("X-Ringback-Dev-Ip", ip)
            // The widget sends text/plain: no CORS preflight for the visitor.
            .header("Content-Type", "text/plain")
            .body(body.to_string()),
    )
    .await
}

/// Chain seconds per real second of the system under test (`RINGBACK_CLOCK_SPEED`).
pub fn clock_speed() -> u32 {
    std::env::var("RINGBACK_CLOCK_SPEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

/// Real time for `secs` seconds of chain (and simulator) time.
pub fn chain_secs(secs: u64) -> Duration {
    Duration::from_millis(secs * 1000 / u64::from(clock_speed().max(1)))
}

/// A random Moscow landline for an operator (each test its own, so that scripts of the
/// simulated people do not collide).
pub fn operator() -> String {
    format!("+7495{:07}", fastrand::u32(1_000_000..10_000_000))
}

/// The telephony simulator's control API.
pub mod sim {
    use super::{http, simulator_url};
    use ringback_simulator::{CallRecord, Hook, Sms};
    use serde_json::{json, Value};

    /// Scripts the people at these numbers, e.g. `{"+7916...": {"answer": {"kind": "busy"}}}`
    /// or a list, call by call.
    pub async fn people(numbers: Value) {
        let res = http()
            .post(format!("{}/control/people", simulator_url()))
            .json(&json!({ "numbers": numbers }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 204, "scripting the simulator's people");
    }

    /// Every call the simulator saw, in order.
    pub async fn calls() -> Vec<CallRecord> {
        http()
            .get(format!("{}/control/calls", simulator_url()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// The calls to or from these numbers (and their client legs).
    pub async fn calls_of(numbers: &[&str]) -> Vec<CallRecord> {
        let all = calls().await;
        let ops: Vec<String> = all
            .iter()
            .filter(|c| numbers.contains(&c.to.as_str()))
            .map(|c| c.sid.clone())
            .collect();
        all.into_iter()
            .filter(|c| {
                numbers.contains(&c.to.as_str())
                    || c.parent.as_ref().is_some_and(|p| ops.contains(p))
            })
            .collect()
    }

    /// Every SMS sent through the simulator.
    pub async fn messages() -> Vec<Sms> {
        http()
            .get(format!("{}/control/messages", simulator_url()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Makes the webhook receiver `/hooks/{name}` check signatures with `secret` and answer
    /// 500 to the next `fail_next` well-signed requests.
    pub async fn receiver(name: &str, secret: &str, fail_next: u32) {
        let res = http()
            .post(format!("{}/control/hooks/{name}", simulator_url()))
            .json(&json!({ "secret": secret, "fail_next": fail_next }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            204,
            "setting up the simulator's webhook receiver"
        );
    }

    /// The webhooks received at `/hooks/{name}`, in order.
    pub async fn hooks_of(name: &str) -> Vec<Hook> {
        hooks()
            .await
            .into_iter()
            .filter(|h| h.name == name)
            .collect()
    }

    /// Every webhook the simulator received.
    pub async fn hooks() -> Vec<Hook> {
        http()
            .get(format!("{}/control/hooks", simulator_url()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

/// The secret of the webhooks [`Cabinet::telephony`] sets up.
pub const WEBHOOK_SECRET: &str = "webhook-secret-0123456789";

/// The provider account and secret a cabinet set up at the simulator.
pub struct Telephony {
    pub account_sid: String,
    pub auth_token: String,
}

impl Cabinet {
    /// Points the account's telephony at the simulator (and its webhooks at
    /// `/hooks/<account sid>`, a receiver that checks their signatures with
    /// [`WEBHOOK_SECRET`]).
    pub async fn telephony(&self) -> Telephony {
        let account_sid = format!("AC{}", unique());
        let auth_token = format!("token-{}", unique());
        sim::receiver(&account_sid, WEBHOOK_SECRET, 0).await;
        let res = self
            .put(
                "/telephony",
                json!({
                    "provider": "twilio",
                    "base_url": simulator_url(),
                    "account_sid": account_sid,
                    "auth_token": auth_token,
                    "from": "+74950000000",
                    "webhook_url": format!("{}/hooks/{account_sid}", simulator_url()),
                    "webhook_secret": WEBHOOK_SECRET,
                }),
            )
            .await;
        let view: serde_json::Value = Cabinet::ok(res, 200).await;
        assert_eq!(view["auth_token_set"], true);
        assert!(
            view.get("auth_token").is_none(),
            "secrets are never returned"
        );
        Telephony {
            account_sid,
            auth_token,
        }
    }

    /// One order with its chain.
    pub async fn order(&self, id: &str) -> shared::cabinet_api::OrderDetail {
        Cabinet::ok(self.get(&format!("/orders/{id}")).await, 200).await
    }

    /// Waits until the order's chain is over (its status final and its last attempt written).
    pub async fn finished(&self, id: &str, chain: Duration) -> shared::cabinet_api::OrderDetail {
        use shared::cabinet_api::OrderState;
        let timeout = chain + Duration::from_secs(20);
        eventually(&format!("order {id} to finish"), timeout, || async {
            let d = self.order(id).await;
            let done = matches!(
                d.order.status,
                OrderState::Success | OrderState::Failed | OrderState::Cancelled
            );
            let written = d.order.attempts.last().is_none_or(|a| a.result.is_some());
            (done && written).then_some(d)
        })
        .await
    }
}

/// Places a "call me now" order and returns its id.
pub async fn order_now(site_key: &str, widget_id: i64, phone: &str) -> String {
    let res = order(site_key, widget_id, phone, &ip(), serde_json::json!({})).await;
    let answer: shared::api::OrderAnswer = Cabinet::ok(res, 201).await;
    answer.order_id
}

/// A `wrangler dev` of a test's own, on its own port and local state, that the test can kill
/// and start again (the durability test).
pub mod runtime {
    use std::os::unix::process::CommandExt;
    use std::path::{Path, PathBuf};
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};

    fn provided(var: &str) -> PathBuf {
        PathBuf::from(super::provided(var))
    }

    fn wrangler(state: &Path) -> Command {
        let mut cmd = Command::new(provided("RINGBACK_WRANGLER"));
        cmd.current_dir(provided("RINGBACK_ROOT"))
            .env("CI", "true")
            .env("WRANGLER_SEND_METRICS", "false")
            .env("XDG_CONFIG_HOME", state.join("config"))
            .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
            .env("FORCE_COLOR", "0");
        cmd
    }

    /// A worker process group.
    pub struct Runtime {
        child: Option<Child>,
        state: PathBuf,
        pub port: u16,
        pub url: String,
    }

    /// `GET /api/health` answers 200.
    fn healthy(port: u16) -> bool {
        use std::io::{Read, Write};
        let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
            return false;
        };
        let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
        let request = "GET /api/health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
        let mut answer = String::new();
        s.write_all(request.as_bytes()).is_ok()
            && s.read_to_string(&mut answer).is_ok()
            && answer.starts_with("HTTP/1.1 200")
    }

    fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port")
    }

    impl Runtime {
        /// A fresh local state with the migrations applied, and the worker started on it.
        pub fn fresh(name: &str) -> Runtime {
            let state = provided("RINGBACK_SCRATCH").join(format!("{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&state);
            std::fs::create_dir_all(&state).unwrap();
            let status = wrangler(&state)
                .args([
                    "d1",
                    "migrations",
                    "apply",
                    "ringback",
                    "--local",
                    "--persist-to",
                ])
                .arg(&state)
                .stdout(Stdio::null())
                .status()
                .expect("wrangler runs");
            assert!(status.success(), "migrations apply");
            let port = free_port();
            let mut r = Runtime {
                child: None,
                state,
                port,
                url: format!("http://127.0.0.1:{port}"),
            };
            r.start();
            r
        }

        /// The worker's log (its emails too).
        pub fn log(&self) -> PathBuf {
            self.state.join("wrangler.log")
        }

        /// Starts the worker (again) on the same port and state, and waits until it answers.
        pub fn start(&mut self) {
            let log = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(self.state.join("wrangler.log"))
                .unwrap();
            let speed = super::clock_speed();
            let child = wrangler(&self.state)
                .args(["dev", "--ip", "127.0.0.1", "--port", &self.port.to_string()])
                .args(["--inspector-port", &free_port().to_string()])
                .args(["--var", &format!("RINGBACK_CLOCK_SPEED:{speed}")])
                .args(["--show-interactive-dev-session=false", "--persist-to"])
                .arg(&self.state)
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .process_group(0)
                .spawn()
                .expect("wrangler dev starts");
            self.child = Some(child);
            let started = Instant::now();
            loop {
                if healthy(self.port) {
                    return;
                }
                assert!(
                    started.elapsed() < Duration::from_secs(60),
                    "wrangler dev did not start; see {}",
                    self.state.join("wrangler.log").display()
                );
                std::thread::sleep(Duration::from_millis(200));
            }
        }

        /// Kills the worker and everything it started at once (no clean shutdown).
        pub fn kill(&mut self) {
            if let Some(mut child) = self.child.take() {
                // The group: wrangler, its node process and workerd.
                let pgid = child.id() as i32;
                // SAFETY: kill(2) with a negative pid signals that process group; no memory is
                // involved.
                unsafe {
                    libc::kill(-pgid, libc::SIGKILL);
                }
                let _ = child.wait();
            }
        }
    }

    impl Drop for Runtime {
        fn drop(&mut self) {
            self.kill();
        }
    }
}
