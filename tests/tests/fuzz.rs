//! Fuzz: every route the worker has (`edge-worker/src/lib.rs`) gets malformed, oversized and
//! odd requests, and not one answer is a 5xx.
//!
//! Each route is asked many times with its own method mostly, sometimes another; its path
//! parameters real (ids of the fuzzing account's objects, so requests get past the look-ups) or
//! junk (non-numeric, huge, very long, percent-encoding junk, another account's); with a
//! session, one without the CSRF token, a forged one or none; and a body that is the route's
//! valid body damaged, truncated, retyped, not UTF-8, with huge numbers, deeply nested, with
//! NUL bytes, empty, or just over the route's limit (with and without `Content-Length`), under
//! any content type. Callbacks are also sent correctly signed, so their junk reaches the chain.
//! A few raw HTTP requests try what a client library will not send (a `Content-Length` that is
//! not a number, a body shorter than it says).
//!
//! The generator is seeded, so a failure repeats (`RINGBACK_FUZZ_SEED` varies the seeds);
//! every 5xx is listed with its request, and a summary (requests per route, answers by status)
//! is printed. Four tests, run side by side.

use reqwest::Method;
use ringback_e2e::{http, ip, order_now, phone, unique, worker_url, Cabinet, Telephony};
use serde_json::{json, Value};
use shared::telephony::twilio_signature;
use shared::webhook::{sign, Signed};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// What a route reads, and how much at most (`edge-worker/src/http.rs`, `Limit`).
#[derive(Clone)]
enum Reads {
    /// Nothing (the body is ignored): any junk body is sent anyway.
    Nothing,
    /// JSON like this value, at most 64 KB.
    Json(Value),
    /// A provider's form, at most 64 KB; signed with the account's token when the test can.
    TwilioForm,
    /// A PBX's JSON, at most 64 KB; signed with the account's secret when the test can.
    PbxJson(Value),
    /// An image file, at most 1 MB.
    Image,
}

impl Reads {
    fn limit(&self) -> usize {
        match self {
            Reads::Image => 1024 * 1024,
            _ => 64 * 1024,
        }
    }
}

/// Whose session a cabinet route is asked with when it gets a valid one.
#[derive(Clone, Copy, PartialEq)]
enum Who {
    /// Public or callback: no session is needed (a cookie may be sent anyway).
    Nobody,
    /// The fuzzing account.
    Main,
    /// An account of its own (its telephony may be changed by a valid body).
    Scratch,
    /// A session of its own, which `logout` ends.
    Leaving,
}

struct Route {
    name: &'static str,
    method: Method,
    /// `{name}` parts are filled from the world's values (or with junk).
    path: &'static str,
    reads: Reads,
    who: Who,
    /// How many requests.
    times: usize,
}

fn route(method: &str, path: &'static str, reads: Reads, who: Who, times: usize) -> Route {
    Route {
        name: path,
        method: Method::from_bytes(method.as_bytes()).unwrap(),
        path,
        reads,
        who,
        times,
    }
}

/// One generated request: sent as it is, again when local wrangler's proxy fails to forward it.
struct Req {
    route: String,
    method: Method,
    path: String,
    headers: Vec<(String, String)>,
    /// The body, and whether it goes chunked (no `Content-Length`).
    body: Option<(Vec<u8>, bool)>,
}

impl Req {
    fn describe(&self) -> String {
        let body = match &self.body {
            None => "no body".to_string(),
            Some((b, chunked)) => format!(
                "{} bytes{}: {:?}",
                b.len(),
                if *chunked { " chunked" } else { "" },
                String::from_utf8_lossy(&b[..b.len().min(200)])
            ),
        };
        let path: String = self.path.chars().take(300).collect();
        format!("{} {path} {:?} {body}", self.method, self.headers)
    }
}

/// Answers by route and status, and every 5xx with its request.
#[derive(Default)]
struct Tally {
    routes: BTreeMap<String, BTreeMap<u16, u32>>,
    statuses: BTreeMap<u16, u32>,
    failures: Vec<String>,
    proxy_retries: u32,
}

impl Tally {
    fn summary(&self, group: &str) -> String {
        let total: u32 = self.statuses.values().sum();
        let mut s = format!(
            "{group}: {total} requests; statuses {:?}; wrangler proxy retries {}\n",
            self.statuses, self.proxy_retries
        );
        for (route, statuses) in &self.routes {
            let n: u32 = statuses.values().sum();
            let _ = writeln!(s, "  {n:>5}  {route}  {statuses:?}");
        }
        s
    }

    fn assert_no_server_error(&self, group: &str) {
        println!("{}", self.summary(group));
        assert!(
            self.failures.is_empty(),
            "{} answers of 5xx:\n{}",
            self.failures.len(),
            self.failures
                .iter()
                .take(30)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

/// Sends `req`; again (up to twice) when the 503 is local wrangler's proxy's, not the
/// worker's (see [`ringback_e2e::send_again_after_restart`]: the worker never answers 503).
async fn send(client: &reqwest::Client, base: &str, i: usize, req: &Req, tally: &mut Tally) {
    let mut tries = 0;
    let (status, text) = loop {
        let mut r = client.request(req.method.clone(), format!("{base}{}", req.path));
        for (k, v) in &req.headers {
            r = r.header(k, v);
        }
        r = match &req.body {
            None => r,
            Some((b, false)) => r.body(b.clone()),
            Some((b, true)) => {
                let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
                    b.chunks(16 * 1024).map(|c| Ok(c.to_vec())).collect();
                r.body(reqwest::Body::wrap_stream(futures_util::stream::iter(
                    chunks,
                )))
            }
        };
        let res = match r.send().await {
            Ok(res) => res,
            Err(e) => {
                tally.failures.push(format!(
                    "request {i} ({}): no answer: {e:?}\n    {}",
                    req.route,
                    req.describe()
                ));
                return;
            }
        };
        let status = res.status().as_u16();
        let text = res.text().await.unwrap_or_default();
        tries += 1;
        let proxys = status == 503 && !text.contains("\"error\"");
        if proxys && tries < 3 {
            tally.proxy_retries += 1;
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            continue;
        }
        break (status, text);
    };
    *tally.statuses.entry(status).or_default() += 1;
    *tally
        .routes
        .entry(req.route.clone())
        .or_default()
        .entry(status)
        .or_default() += 1;
    if status >= 500 {
        let text: String = text.chars().take(300).collect();
        tally.failures.push(format!(
            "request {i} ({}) got {status}: {text}\n    {}",
            req.route,
            req.describe()
        ));
    }
}

// --- Random values ---------------------------------------------------------------------------

/// A value of a random JSON type.
fn random_value(rng: &mut fastrand::Rng, depth: u32) -> Value {
    match rng.u8(0..9) {
        0 => Value::Null,
        1 => json!(rng.bool()),
        2 => json!(rng.i64(..)),
        3 => json!(rng.f64() * 1e12 - 5e11),
        4 => json!(random_text(rng)),
        5 if depth < 3 => Value::Array(
            (0..rng.usize(0..4))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        6 if depth < 3 => Value::Object(
            (0..rng.usize(0..4))
                .map(|_| (random_text(rng), random_value(rng, depth + 1)))
                .collect(),
        ),
        7 => json!(u64::MAX),
        _ => json!(""),
    }
}

fn random_text(rng: &mut fastrand::Rng) -> String {
    const PIECES: &[&str] = &[
        "",
        "a",
        "+7",
        "8 (916) 123-45-67",
        "+79161234567",
        "'; DROP TABLE orders; --",
        "<script>",
        "%00",
        "\u{0}",
        "😀",
        "9999999999999999999999",
        "-1",
        "0",
        "now",
        "at",
        "null",
        "{}",
        "[]",
        "\\",
        "\"",
        "../..",
        "\u{202e}",
        "ы",
        "completed",
        "in-progress",
        "busy",
        "2030-01-01T10:00:00Z",
        "Europe/Moscow",
        "Mars/Base",
        "\u{FEFF}",
        "\r\n",
    ];
    let mut s = String::new();
    for _ in 0..rng.usize(0..4) {
        s.push_str(PIECES[rng.usize(0..PIECES.len())]);
    }
    if rng.u8(0..10) == 0 {
        s.push_str(&"x".repeat(rng.usize(0..5000)));
    }
    s
}

/// `v` with one to three of its parts removed, retyped or joined by junk, anywhere inside.
fn damaged(rng: &mut fastrand::Rng, v: &Value) -> Value {
    let mut v = v.clone();
    for _ in 0..rng.usize(1..4) {
        damage_somewhere(rng, &mut v);
    }
    v
}

fn damage_somewhere(rng: &mut fastrand::Rng, v: &mut Value) {
    match v {
        Value::Object(map) if !map.is_empty() && rng.u8(0..3) > 0 => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let k = &keys[rng.usize(0..keys.len())];
            match rng.u8(0..4) {
                0 => {
                    map.remove(k);
                }
                1 => {
                    map.insert(k.clone(), random_value(rng, 0));
                }
                2 => {
                    map.insert(random_text(rng), random_value(rng, 0));
                }
                _ => damage_somewhere(rng, map.get_mut(k).unwrap()),
            }
        }
        Value::Array(items) if !items.is_empty() && rng.bool() => {
            let i = rng.usize(0..items.len());
            damage_somewhere(rng, &mut items[i]);
        }
        other => *other = random_value(rng, 0),
    }
}

/// The JSON text of `v` with a leaf replaced by a number no type holds.
fn with_huge_number(rng: &mut fastrand::Rng, v: &Value) -> Vec<u8> {
    const MARK: &str = "\u{1}huge";
    let mut v = v.clone();
    fn mark_a_leaf(rng: &mut fastrand::Rng, v: &mut Value) {
        match v {
            Value::Object(map) if !map.is_empty() => {
                let keys: Vec<String> = map.keys().cloned().collect();
                let k = keys[rng.usize(0..keys.len())].clone();
                mark_a_leaf(rng, map.get_mut(&k).unwrap());
            }
            Value::Array(items) if !items.is_empty() => {
                let i = rng.usize(0..items.len());
                mark_a_leaf(rng, &mut items[i]);
            }
            other => *other = json!(MARK),
        }
    }
    mark_a_leaf(rng, &mut v);
    const HUGE: &[&str] = &[
        "1e999999",
        "-1e400",
        "123456789012345678901234567890",
        "-99999999999999999999",
        "0.0000000000000000000000000000000000000001",
        "18446744073709551616",
        "1.7976931348623157e309",
    ];
    v.to_string()
        .replace(&json!(MARK).to_string(), HUGE[rng.usize(0..HUGE.len())])
        .into_bytes()
}

/// Nesting no parser should follow all the way down.
fn deeply_nested(rng: &mut fastrand::Rng) -> Vec<u8> {
    let depth = [200, 5_000, 30_000][rng.usize(0..3)];
    if rng.bool() {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes()
    } else {
        format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)).into_bytes()
    }
}

/// `bytes` with a few bytes that are never UTF-8.
fn not_utf8(rng: &mut fastrand::Rng, mut bytes: Vec<u8>) -> Vec<u8> {
    for _ in 0..rng.usize(1..4) {
        let at = rng.usize(0..=bytes.len());
        let junk: &[u8] = [
            &[0xFF][..],
            &[0xC3, 0x28],
            &[0xED, 0xA0, 0x80],
            &[0xF8, 0x88, 0x80, 0x80, 0x80],
            &[0x80],
        ][rng.usize(0..5)];
        bytes.splice(at..at, junk.iter().copied());
    }
    bytes
}

/// A body for a route that reads JSON like `template` (or nothing), at most `limit` bytes.
fn body_like(rng: &mut fastrand::Rng, template: &Value, limit: usize) -> Vec<u8> {
    let valid = template.to_string().into_bytes();
    match rng.u8(0..20) {
        0..=6 => damaged(rng, template).to_string().into_bytes(),
        7 => valid,
        8 => {
            let cut = rng.usize(0..=valid.len());
            valid[..cut].to_vec()
        }
        9 => not_utf8(rng, valid),
        10 | 11 => with_huge_number(rng, template),
        12 => deeply_nested(rng),
        13 => {
            let mut b = valid;
            let at = rng.usize(0..=b.len());
            b.insert(at, 0);
            b
        }
        14 => vec![],
        15 => (0..rng.usize(0..300)).map(|_| rng.u8(..)).collect(),
        16 => random_value(rng, 0).to_string().into_bytes(),
        // Just over the limit, and exactly at it (valid JSON, then spaces).
        17 => padded(valid, limit + 1 + rng.usize(0..100)),
        18 => padded(valid, limit),
        _ => b"a=1&b=%zz&=&&c".to_vec(),
    }
}

fn padded(mut bytes: Vec<u8>, len: usize) -> Vec<u8> {
    bytes.resize(len.max(bytes.len()), b' ');
    bytes
}

/// A junk path parameter, or `real`.
fn param(rng: &mut fastrand::Rng, real: &str, other: &str) -> String {
    if rng.u8(0..10) < 6 {
        return real.to_string();
    }
    const JUNK: &[&str] = &[
        "0",
        "-1",
        "abc",
        "99999999999999999999999",
        "1.5",
        "1e3",
        "%20",
        "%zz",
        "%00",
        "%FF%FE",
        "%2F..%2F",
        "..",
        "%C0%AE",
        "😀",
        "null",
        "%",
        "9223372036854775808",
        "+1",
        " 1",
    ];
    match rng.u8(0..5) {
        0 => other.to_string(),
        1 => "9".repeat(rng.usize(20..5000)),
        2 => "a".repeat(rng.usize(100..9000)),
        _ => JUNK[rng.usize(0..JUNK.len())].to_string(),
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

const CONTENT_TYPES: &[&str] = &[
    "application/json",
    "text/plain",
    "text/plain;charset=UTF-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=----x",
    "image/png",
    "application/octet-stream",
    "",
    "application/json; charset=koi8-r",
    "*/*",
];

/// Methods HTTP knows (a method it does not know is the raw group's: the runtime refuses it
/// before the worker runs).
const ODD_METHODS: &[&str] = &[
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "MKCOL",
    "PURGE", "REPORT",
];

// --- The world the requests are about --------------------------------------------------------

/// What the requests' real parameters name.
struct World {
    base: String,
    values: HashMap<&'static str, String>,
    /// Values of another account: its ids answer 404.
    others: HashMap<&'static str, String>,
    sessions: HashMap<u8, (String, String)>,
    twilio: Option<Telephony>,
    pbx_secret: Option<String>,
}

const PBX_SECRET: &str = "fuzz-pbx-secret-0123456789";

impl World {
    fn session(&self, who: Who) -> Option<&(String, String)> {
        self.sessions.get(&(who as u8))
    }

    fn sign_in(&mut self, who: Who, cab: &Cabinet) {
        self.sessions
            .insert(who as u8, (cab.session.clone(), cab.csrf.clone()));
    }

    fn new() -> World {
        World {
            base: worker_url(),
            values: HashMap::new(),
            others: HashMap::new(),
            sessions: HashMap::new(),
            twilio: None,
            pbx_secret: None,
        }
    }

    /// `path` with its `{name}` parts filled with real values (a signature covers them).
    fn fill_real(&self, path: &str) -> String {
        let mut out = path.to_string();
        for (name, value) in &self.values {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    /// `path` with its `{name}` parts filled, each real or junk.
    fn fill(&self, rng: &mut fastrand::Rng, path: &str) -> String {
        let mut out = String::new();
        let mut rest = path;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let end = rest[start..].find('}').unwrap() + start;
            let name = &rest[start + 1..end];
            let real = self.values.get(name).cloned().unwrap_or_else(|| "1".into());
            let other = self.others.get(name).cloned().unwrap_or_else(|| "2".into());
            out.push_str(&param(rng, &real, &other));
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// A 200×50 PNG's header: enough to be measured.
fn png(len: usize) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend_from_slice(&200u32.to_be_bytes());
    png.extend_from_slice(&50u32.to_be_bytes());
    png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    padded(png, len)
}

/// A site with an active widget in `cab`'s account, and one order of it.
async fn site_widget_order(
    cab: &Cabinet,
) -> (
    shared::cabinet_api::SiteView,
    shared::cabinet_api::WidgetView,
    String,
) {
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    let order = order_now(&site.key, w.id, &phone()).await;
    (site, w, order)
}

fn order_template(world: &World) -> Value {
    json!({
        "site": world.values["key"],
        "widget_id": world.values["widget"].parse::<i64>().unwrap(),
        "phone": phone(),
        "name": "Anna",
        "when": { "when": "now" },
        "page": { "url": "http://127.0.0.1/", "utm": { "source": "vk" }, "seconds_on_site": 12 },
        "fields": { "city": "Tula" },
        "idempotency_key": unique(),
    })
}

// --- Generating a request --------------------------------------------------------------------

fn request(rng: &mut fastrand::Rng, world: &World, r: &Route) -> Req {
    let method = if rng.u8(0..100) < 88 {
        r.method.clone()
    } else {
        Method::from_bytes(ODD_METHODS[rng.usize(0..ODD_METHODS.len())].as_bytes()).unwrap()
    };
    let mut path = world.fill(rng, r.path);
    let mut signed = false;
    let mut headers: Vec<(String, String)> = vec![];
    let mut header = |k: &str, v: String| headers.push((k.to_string(), v));
    header(
        "X-Ringback-Dev-Ip",
        if rng.u8(0..20) == 0 {
            random_text(rng).replace(['\r', '\n', '\0'], "")
        } else {
            ip()
        },
    );

    // A session: the route's own, one without the CSRF token, a forged one, or none.
    if r.who != Who::Nobody || rng.u8(0..10) == 0 {
        let own = world.session(r.who).or(world.session(Who::Main)).unwrap();
        match rng.u8(0..10) {
            0..=5 => {
                header("Cookie", format!("rb_session={}", own.0));
                header("X-CSRF-Token", own.1.clone());
            }
            6 => header("Cookie", format!("rb_session={}", own.0)),
            7 => {
                header("Cookie", format!("rb_session={}x; rb_session=", own.0));
                header(
                    "X-CSRF-Token",
                    random_text(rng).replace(['\r', '\n', '\0'], ""),
                );
            }
            _ => {}
        }
    }
    if rng.u8(0..4) == 0 {
        let origins = [
            "https://evil.example",
            "null",
            "http://127.0.0.1",
            "https://127.0.0.1.evil.example",
            "http://[::1]:1",
            "javascript:alert(1)",
        ];
        header("Origin", origins[rng.usize(0..origins.len())].to_string());
    }
    if rng.u8(0..5) == 0 {
        let ct = CONTENT_TYPES[rng.usize(0..CONTENT_TYPES.len())];
        header("Content-Type", ct.to_string());
    }

    let limit = r.reads.limit();
    let mut body = match &r.reads {
        Reads::Nothing => match rng.u8(0..4) {
            0 => Some(body_like(rng, &json!({ "a": 1 }), limit)),
            _ => None,
        },
        Reads::Json(t) => {
            let mut t = t.clone();
            if r.path == "/api/v1/orders" {
                t = order_template(world);
            }
            Some(body_like(rng, &t, limit))
        }
        Reads::Image => Some(match rng.u8(0..8) {
            0 => png(rng.usize(24..2000)),
            1 => png(600 * 1024 + 1),
            2 => png(limit),
            3 => png(limit + 1 + rng.usize(0..100)),
            4 => vec![],
            5 => b"GIF89a".to_vec(),
            6 => not_utf8(rng, png(100)),
            _ => (0..rng.usize(0..3000)).map(|_| rng.u8(..)).collect(),
        }),
        Reads::TwilioForm => {
            let (params, body) = twilio_form(rng, world, limit);
            if let (true, Some(t)) = (rng.bool(), &world.twilio) {
                path = world.fill_real(r.path);
                signed = true;
                let url = format!("{}{path}", world.base);
                header(
                    "X-Twilio-Signature",
                    twilio_signature(&t.auth_token, &url, &params),
                );
                if rng.bool() {
                    header(
                        "I-Twilio-Idempotency-Token",
                        random_text(rng).replace(['\r', '\n', '\0'], ""),
                    );
                }
            } else if rng.bool() {
                header(
                    "X-Twilio-Signature",
                    random_text(rng).replace(['\r', '\n', '\0'], ""),
                );
            }
            header("Content-Type", "application/x-www-form-urlencoded".into());
            Some(body)
        }
        Reads::PbxJson(t) => {
            let body = body_like(rng, t, limit);
            match (rng.u8(0..3), &world.pbx_secret) {
                (0 | 1, Some(secret)) => {
                    path = world.fill_real(r.path);
                    signed = true;
                    let signed_path = path.split('?').next().unwrap_or("").to_string();
                    let t = chrono::Utc::now().timestamp();
                    let request = Signed {
                        method: "POST",
                        path: &signed_path,
                        body: &body,
                    };
                    header("X-Ringback-Signature", sign(secret, t, &request));
                }
                (0, None) | (2, _) => header(
                    "X-Ringback-Signature",
                    format!(
                        "t={}, v1={}",
                        rng.i64(..),
                        random_text(rng).replace(['\r', '\n', '\0'], "")
                    ),
                ),
                _ => {}
            }
            Some(body)
        }
    };
    // A signature covers the URL: signed requests go to the real one, without a query.
    if !signed {
        if let Some(q) = query(rng, world, r.path) {
            path.push_str(&q);
        }
    }
    if rng.u8(0..30) == 0 {
        body = None;
    }
    let chunked = rng.u8(0..4) == 0;
    Req {
        route: format!("{} {}", r.method, r.name),
        method,
        path,
        headers,
        body: body.map(|b| (b, chunked)),
    }
}

/// A provider's form: known parameters with real or odd values, and junk ones.
fn twilio_form(
    rng: &mut fastrand::Rng,
    world: &World,
    limit: usize,
) -> (Vec<(String, String)>, Vec<u8>) {
    const KEYS: &[&str] = &[
        "CallSid",
        "CallStatus",
        "Digits",
        "DialCallStatus",
        "DialCallDuration",
        "CallDuration",
        "AccountSid",
        "From",
        "To",
        "AnsweredBy",
        "Junk",
        "",
    ];
    const VALUES: &[&str] = &[
        "completed",
        "in-progress",
        "answered",
        "busy",
        "no-answer",
        "failed",
        "canceled",
        "ringing",
        "queued",
        "1",
        "2",
        "#",
        "30",
        "-5",
        "99999999999999999999",
        "+79161234567",
        "human",
        "machine_start",
        "",
    ];
    let mut params: Vec<(String, String)> = vec![];
    if let (Some(t), true) = (&world.twilio, rng.u8(0..10) > 0) {
        params.push(("AccountSid".into(), t.account_sid.clone()));
    }
    for _ in 0..rng.usize(0..8) {
        let k = KEYS[rng.usize(0..KEYS.len())];
        let v = match (k, rng.u8(0..3)) {
            ("AccountSid", 0 | 1) => world
                .twilio
                .as_ref()
                .map(|t| t.account_sid.clone())
                .unwrap_or_default(),
            (_, 0) => random_text(rng),
            _ => VALUES[rng.usize(0..VALUES.len())].to_string(),
        };
        params.push((k.to_string(), v));
    }
    let form = serde_urlencoded::to_string(&params).unwrap().into_bytes();
    let body = match rng.u8(0..10) {
        0 => not_utf8(rng, form),
        1 => b"%zz=%&&==a=b=c".to_vec(),
        2 => padded(form, limit + 1 + rng.usize(0..100)),
        3 => padded(form, limit),
        4 => br#"{"CallStatus":"completed"}"#.to_vec(),
        _ => form,
    };
    (params, body)
}

/// Sometimes a query string: the route's own parameters with junk values, and junk ones.
fn query(rng: &mut fastrand::Rng, world: &World, path: &str) -> Option<String> {
    let keys: &[&str] = match path {
        "/api/v1/decide" => &[
            "site", "url", "referrer", "lang", "tz", "pin", "preview", "junk",
        ],
        "/api/v1/orders/{order}" => &["token", "token", "junk"],
        "/api/cabinet/journal" | "/api/cabinet/journal.csv" => &[
            "status", "widget", "tag", "from", "to", "source", "page", "per_page", "tz",
        ],
        "/api/cabinet/reports" => &["from", "to", "tz", "from", "to"],
        "/api/cabinet/images" => &["use", "use", "use"],
        "/api/cabinet/sites/{site}/widgets" => &["lang"],
        _ => &["junk", "a"],
    };
    let always = matches!(
        path,
        "/api/v1/decide" | "/api/v1/orders/{order}" | "/api/cabinet/images"
    );
    if !always && rng.u8(0..3) > 0 {
        return None;
    }
    const VALUES: &[&str] = &[
        "logo",
        "background",
        "promo",
        "2026-01-01",
        "2026-13-45",
        "success",
        "failed",
        "ru",
        "en",
        "Europe/Moscow",
        "Mars/Base",
        "1",
        "0",
        "-1",
        "99999999999",
        "4294967296",
    ];
    let mut q = String::from("?");
    for key in keys {
        if rng.u8(0..3) == 0 {
            continue;
        }
        let v = match (key, rng.u8(0..4)) {
            (&"site", 0..=2) => world.values["key"].clone(),
            (&"token", 0 | 1) => world.values.get("token").cloned().unwrap_or_default(),
            (_, 0 | 1) => VALUES[rng.usize(0..VALUES.len())].to_string(),
            _ => random_text(rng),
        };
        let _ = write!(q, "{key}={}&", urlencode(&v));
    }
    if rng.u8(0..10) == 0 {
        q.push_str(["%zz", "a=%", "&&&", "=x", "a[]=1&a[]=2", "a=1;b=2"][rng.usize(0..6)]);
    }
    Some(q)
}

/// Sends `times` requests for each route, interleaved in a seeded order.
/// `RINGBACK_FUZZ_SEED=<n>` varies the seeds (to look for more; a failure then names its seed).
async fn run(seed: u64, world: &World, routes: &[Route]) -> Tally {
    let seed = match std::env::var("RINGBACK_FUZZ_SEED").map(|s| s.parse::<u64>()) {
        Ok(Ok(n)) => seed ^ n,
        _ => seed,
    };
    println!("seed {seed:#x}");
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut order: Vec<usize> = routes
        .iter()
        .enumerate()
        .flat_map(|(i, r)| std::iter::repeat_n(i, r.times))
        .collect();
    rng.shuffle(&mut order);
    let client = http();
    let mut tally = Tally::default();
    for (i, &r) in order.iter().enumerate() {
        let req = request(&mut rng, world, &routes[r]);
        send(&client, &world.base, i, &req, &mut tally).await;
    }
    tally
}

// --- The groups --------------------------------------------------------------------------------

#[tokio::test]
async fn the_public_api_gets_no_server_error_from_malformed_requests() {
    let cab = Cabinet::sign_up().await;
    let (site, w, _) = site_widget_order(&cab).await;
    let res = ringback_e2e::order(&site.key, w.id, &phone(), &ip(), json!({})).await;
    let answer: shared::api::OrderAnswer = Cabinet::ok(res, 201).await;
    let image: Value = Cabinet::ok(
        cab.request(Method::POST, "/images?use=logo")
            .body(png(2000))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    let mut world = World::new();
    world.values.insert("key", site.key.clone());
    world.values.insert("widget", w.id.to_string());
    world.values.insert("order", answer.order_id.clone());
    world.values.insert("token", answer.token.clone());
    let media = image["url"]
        .as_str()
        .unwrap()
        .split("/media/")
        .nth(1)
        .unwrap()
        .to_string();
    world.values.insert("media", media);
    world
        .others
        .insert("order", format!("{}-{}", unique(), "x"));
    world.sign_in(Who::Main, &cab);

    let routes = [
        route("GET", "/api/health", Reads::Nothing, Who::Nobody, 40),
        route("OPTIONS", "/api/v1/{any}", Reads::Nothing, Who::Nobody, 60),
        route("GET", "/api/v1/decide", Reads::Nothing, Who::Nobody, 250),
        route(
            "POST",
            "/api/v1/orders",
            Reads::Json(json!({})),
            Who::Nobody,
            550,
        ),
        route(
            "GET",
            "/api/v1/orders/{order}",
            Reads::Nothing,
            Who::Nobody,
            250,
        ),
        route("GET", "/media/{media}", Reads::Nothing, Who::Nobody, 60),
        route("GET", "/api/{any}", Reads::Nothing, Who::Nobody, 40),
        route(
            "GET",
            "/api/v1/{any}/{any}",
            Reads::Nothing,
            Who::Nobody,
            30,
        ),
        route(
            "POST",
            "/api/cabinet/{any}",
            Reads::Json(json!({})),
            Who::Nobody,
            30,
        ),
        route(
            "POST",
            "/api/telephony/{any}/{any}",
            Reads::Nothing,
            Who::Nobody,
            30,
        ),
    ];
    world.values.insert("any", "orders".into());
    let tally = run(0x5eed_cafe, &world, &routes).await;
    // Not every request was turned away: the generator also produces valid ones.
    let orders = &tally.routes["POST /api/v1/orders"];
    assert!(orders.keys().any(|s| *s < 300), "{orders:?}");
    tally.assert_no_server_error("public API");
}

#[tokio::test]
async fn the_telephony_callbacks_get_no_server_error_from_malformed_requests() {
    // A Twilio-compatible account and a PBX account, each with an order whose chain runs.
    let twilio = Cabinet::sign_up().await;
    let tel = twilio.telephony().await;
    let (_, _, twilio_order) = site_widget_order(&twilio).await;
    let pbx = Cabinet::sign_up().await;
    let res = pbx
        .put(
            "/telephony",
            json!({
                "provider": "webhook",
                "pbx_url": format!("{}/hooks/fuzz-{}", ringback_e2e::simulator_url(), unique()),
                "pbx_secret": PBX_SECRET,
            }),
        )
        .await;
    let _: Value = Cabinet::ok(res, 200).await;
    let (_, _, pbx_order) = site_widget_order(&pbx).await;

    let mut world = World::new();
    world.values.insert("order", twilio_order.clone());
    world.values.insert("attempt", "1".into());
    world.values.insert("leg", "0".into());
    world.values.insert("what", "status".into());
    world.values.insert("pbx_order", pbx_order.clone());
    world
        .values
        .insert("account", pbx.me.account_id.to_string());
    world
        .others
        .insert("account", twilio.me.account_id.to_string());
    world.others.insert("order", pbx_order.clone());
    world.others.insert("pbx_order", twilio_order.clone());
    world.sign_in(Who::Main, &twilio);
    world.twilio = Some(tel);
    world.pbx_secret = Some(PBX_SECRET.into());
    let mut routes = vec![
        route(
            "POST",
            "/api/telephony/twilio/inbound",
            Reads::TwilioForm,
            Who::Nobody,
            300,
        ),
        route(
            "POST",
            "/api/telephony/pbx/accounts/{account}/inbound",
            Reads::PbxJson(json!({ "from": "+79161234567" })),
            Who::Nobody,
            300,
        ),
        route(
            "POST",
            "/api/telephony/pbx/{pbx_order}/{attempt}",
            Reads::PbxJson(json!({ "event": "operator_answered", "number": "+74951234567" })),
            Who::Nobody,
            120,
        ),
        route(
            "POST",
            "/api/telephony/pbx/{pbx_order}/{attempt}",
            Reads::PbxJson(json!({ "event": "key_pressed", "digit": 1 })),
            Who::Nobody,
            80,
        ),
        route(
            "POST",
            "/api/telephony/pbx/{pbx_order}/{attempt}",
            Reads::PbxJson(
                json!({ "event": "call_ended", "cause": "completed", "bridged_secs": 30, "total_secs": 41 }),
            ),
            Who::Nobody,
            100,
        ),
    ];
    for what in ["answer", "status", "gather", "dial", "client"] {
        let name: &'static str = Box::leak(
            format!("/api/telephony/twilio/{{order}}/{{attempt}}/{{leg}}/{what}").into_boxed_str(),
        );
        routes.push(route("POST", name, Reads::TwilioForm, Who::Nobody, 80));
    }
    routes.push(route(
        "POST",
        "/api/telephony/twilio/{order}/{attempt}/{leg}/{what}",
        Reads::TwilioForm,
        Who::Nobody,
        80,
    ));
    let tally = run(0xca11_bac5, &world, &routes).await;
    tally.assert_no_server_error("telephony callbacks");
}

#[tokio::test]
async fn the_cabinet_api_gets_no_server_error_from_malformed_requests() {
    let main = Cabinet::sign_up().await;
    let (site, w, order) = site_widget_order(&main).await;
    let post = |path: &'static str, body: Value| {
        let main = &main;
        async move {
            let v: Value = Cabinet::ok(main.post(path, body).await, 201).await;
            v["id"].as_i64().unwrap().to_string()
        }
    };
    // Objects the requests edit, and victims the DELETE routes remove.
    let spare_widget = {
        let v: Value = Cabinet::ok(
            main.post(
                &format!("/sites/{}/widgets", site.id),
                json!({ "name": "Spare", "kind": "standard" }),
            )
            .await,
            201,
        )
        .await;
        v
    };
    let victim_widget: Value = Cabinet::ok(
        main.post(
            &format!("/sites/{}/widgets", site.id),
            json!({ "name": "Victim", "kind": "standard" }),
        )
        .await,
        201,
    )
    .await;
    let victim_site: Value = Cabinet::ok(
        main.post("/sites", json!({ "domain": "victim.example" }))
            .await,
        201,
    )
    .await;
    let spare_widget_id = spare_widget["id"].as_i64().unwrap();
    let condition = shared::conditions::ConditionSet {
        name: "fuzz".into(),
        ..Default::default()
    };
    let cond_path: &'static str =
        Box::leak(format!("/widgets/{spare_widget_id}/conditions").into_boxed_str());
    let cid = post(cond_path, serde_json::to_value(&condition).unwrap()).await;
    let victim_cid = post(cond_path, serde_json::to_value(&condition).unwrap()).await;
    let department = json!({ "name": "Sales", "number": "+74951234567", "schedule": shared::schedule::Schedule::default() });
    let dept = post("/departments", department.clone()).await;
    let victim_dept = post("/departments", department.clone()).await;
    let blacklisted = json!({ "kind": "phone", "value": "+79160000001" });
    let victim_bl = post("/blacklist", blacklisted.clone()).await;
    let other = Cabinet::sign_up().await;
    let other_site = other.site().await;
    let scratch = Cabinet::sign_up().await;
    let leaving = http()
        .post(format!("{}/api/cabinet/login", worker_url()))
        .header("X-Ringback-Dev-Ip", ip())
        .json(&json!({ "email": scratch.me.email, "password": "correct horse battery" }))
        .send()
        .await
        .unwrap();
    let leaving_session = ringback_e2e::session_from(&leaving).unwrap();
    let leaving_me: Value = Cabinet::ok(leaving, 200).await;

    let mut world = World::new();
    world.sign_in(Who::Main, &main);
    world.sign_in(Who::Scratch, &scratch);
    world.sessions.insert(
        Who::Leaving as u8,
        (
            leaving_session,
            leaving_me["csrf_token"].as_str().unwrap().to_string(),
        ),
    );
    for (k, v) in [
        ("site", site.id.to_string()),
        ("widget", spare_widget_id.to_string()),
        ("active_widget", w.id.to_string()),
        ("victim_site", victim_site["id"].to_string()),
        ("victim_widget", victim_widget["id"].to_string()),
        ("cid", cid.clone()),
        ("victim_cid", victim_cid),
        ("dept", dept),
        ("victim_dept", victim_dept),
        ("victim_bl", victim_bl),
        ("order", order.clone()),
        ("any", "sites".into()),
    ] {
        world.values.insert(k, v);
    }
    for k in ["site", "victim_site"] {
        world.others.insert(k, other_site.id.to_string());
    }
    world.others.insert("order", unique());

    let settings = spare_widget["settings"].clone();
    let set = serde_json::to_value(&condition).unwrap();
    let telephony = json!({ "provider": "twilio", "base_url": "http://127.0.0.1:1", "account_sid": "AC1", "auth_token": "t", "from": "+74950000000", "webhook_url": "", "webhook_secret": "" });
    use Reads::{Image, Json, Nothing};
    use Who::{Leaving, Main, Scratch};
    let routes = [
        route(
            "POST",
            "/api/cabinet/signup",
            Json(
                json!({ "email": format!("{}@fuzz.ringback.dev", unique()), "password": "correct horse battery", "company": "Okna" }),
            ),
            Who::Nobody,
            12,
        ),
        route(
            "POST",
            "/api/cabinet/confirm",
            Json(json!({ "token": unique() })),
            Who::Nobody,
            12,
        ),
        route(
            "POST",
            "/api/cabinet/login",
            Json(json!({ "email": main.me.email, "password": "correct horse battery" })),
            Who::Nobody,
            12,
        ),
        route("POST", "/api/cabinet/logout", Nothing, Leaving, 50),
        route("GET", "/api/cabinet/me", Nothing, Main, 50),
        route("GET", "/api/cabinet/sites", Nothing, Main, 50),
        route(
            "POST",
            "/api/cabinet/sites",
            Json(json!({ "domain": "fuzz.example", "country": "RU" })),
            Main,
            60,
        ),
        route("GET", "/api/cabinet/sites/{site}", Nothing, Main, 50),
        route(
            "PUT",
            "/api/cabinet/sites/{victim_site}",
            Json(json!({ "domain": "victim.example" })),
            Main,
            60,
        ),
        route(
            "DELETE",
            "/api/cabinet/sites/{victim_site}",
            Nothing,
            Main,
            50,
        ),
        route(
            "GET",
            "/api/cabinet/sites/{site}/widgets",
            Nothing,
            Main,
            50,
        ),
        route(
            "POST",
            "/api/cabinet/sites/{site}/widgets",
            Json(json!({ "name": "W", "kind": "standard" })),
            Main,
            60,
        ),
        route(
            "POST",
            "/api/cabinet/sites/{site}/widgets/reorder",
            Json(json!({ "ids": [w.id, spare_widget_id] })),
            Main,
            60,
        ),
        route(
            "GET",
            "/api/cabinet/sites/{site}/conflicts",
            Nothing,
            Main,
            50,
        ),
        route(
            "GET",
            "/api/cabinet/widgets/{active_widget}",
            Nothing,
            Main,
            50,
        ),
        route(
            "PUT",
            "/api/cabinet/widgets/{widget}",
            Json(settings),
            Main,
            120,
        ),
        route(
            "DELETE",
            "/api/cabinet/widgets/{victim_widget}",
            Nothing,
            Main,
            50,
        ),
        route(
            "POST",
            "/api/cabinet/widgets/{widget}/activate",
            Nothing,
            Main,
            50,
        ),
        route(
            "POST",
            "/api/cabinet/widgets/{widget}/deactivate",
            Nothing,
            Main,
            50,
        ),
        route(
            "POST",
            "/api/cabinet/widgets/{widget}/clone",
            Nothing,
            Main,
            50,
        ),
        route(
            "POST",
            "/api/cabinet/widgets/{widget}/preview",
            Nothing,
            Main,
            50,
        ),
        route(
            "GET",
            "/api/cabinet/widgets/{widget}/conditions",
            Nothing,
            Main,
            50,
        ),
        route(
            "POST",
            "/api/cabinet/widgets/{widget}/conditions",
            Json(set.clone()),
            Main,
            80,
        ),
        route(
            "PUT",
            "/api/cabinet/widgets/{widget}/conditions/{cid}",
            Json(set),
            Main,
            80,
        ),
        route(
            "DELETE",
            "/api/cabinet/widgets/{widget}/conditions/{victim_cid}",
            Nothing,
            Main,
            50,
        ),
        route("GET", "/api/cabinet/departments", Nothing, Main, 50),
        route(
            "POST",
            "/api/cabinet/departments",
            Json(department.clone()),
            Main,
            60,
        ),
        route(
            "PUT",
            "/api/cabinet/departments/{dept}",
            Json(department),
            Main,
            60,
        ),
        route(
            "DELETE",
            "/api/cabinet/departments/{victim_dept}",
            Nothing,
            Main,
            50,
        ),
        route("GET", "/api/cabinet/blacklist", Nothing, Main, 50),
        route(
            "POST",
            "/api/cabinet/blacklist",
            Json(blacklisted),
            Main,
            60,
        ),
        route(
            "DELETE",
            "/api/cabinet/blacklist/{victim_bl}",
            Nothing,
            Main,
            50,
        ),
        route("GET", "/api/cabinet/limits", Nothing, Main, 30),
        route(
            "PUT",
            "/api/cabinet/limits",
            Json(json!({ "orders_per_number": 5, "rings_per_number": 15 })),
            Main,
            50,
        ),
        route("GET", "/api/cabinet/journal", Nothing, Main, 60),
        route("GET", "/api/cabinet/journal.csv", Nothing, Main, 50),
        route("GET", "/api/cabinet/reports", Nothing, Main, 60),
        route("GET", "/api/cabinet/orders/{order}", Nothing, Main, 50),
        route(
            "POST",
            "/api/cabinet/orders/{order}/reschedule",
            Json(json!({ "at": "2030-01-01T10:00:00Z" })),
            Main,
            60,
        ),
        route(
            "POST",
            "/api/cabinet/orders/{order}/webhooks/{order}-1/resend",
            Json(json!({})),
            Main,
            40,
        ),
        route("POST", "/api/cabinet/images", Image, Main, 80),
        route("GET", "/api/cabinet/telephony", Nothing, Scratch, 50),
        route(
            "PUT",
            "/api/cabinet/telephony",
            Json(telephony),
            Scratch,
            60,
        ),
        route("DELETE", "/api/cabinet/{any}/{any}", Nothing, Main, 40),
    ];
    let tally = run(0x0cab_12e7, &world, &routes).await;
    tally.assert_no_server_error("cabinet API");
}

/// What a client library will not send, written to the socket: broken framing, an unknown
/// method. Local `wrangler dev`'s front (workerd's HTTP server, then wrangler's proxy worker)
/// refuses most of these before the worker runs, in its own words; those answers are printed
/// and named here, never taken for the worker's. The worker's own answers (JSON) are never a
/// 5xx, and it is healthy afterwards.
#[tokio::test]
async fn raw_http_oddities_get_no_server_error() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let base = worker_url();
    let host = base.trim_start_matches("http://").trim_end_matches('/');
    let long_path = format!(
        "GET /api/v1/orders/{} HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
        "a".repeat(20_000)
    );
    let long_header = format!(
        "GET /api/health HTTP/1.1\r\nHost: h\r\nX-Junk: {}\r\nConnection: close\r\n\r\n",
        "a".repeat(20_000)
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("a Content-Length that is not a number", b"POST /api/v1/orders HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\nConnection: close\r\n\r\n{}".to_vec()),
        ("a negative Content-Length", b"POST /api/v1/orders HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\nConnection: close\r\n\r\n{}".to_vec()),
        ("two different Content-Lengths", b"POST /api/v1/orders HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{}".to_vec()),
        ("a Content-Length of 23 digits", b"POST /api/v1/orders HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\nConnection: close\r\n\r\n{}".to_vec()),
        ("a Content-Length over the limit, then a short body and the end", b"POST /api/telephony/twilio/inbound HTTP/1.1\r\nHost: h\r\nContent-Length: 70000\r\nConnection: close\r\n\r\nFrom=1".to_vec()),
        ("a body shorter than it says, then the end", b"POST /api/v1/orders HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"site\":".to_vec()),
        ("bad chunk sizes", b"POST /api/v1/orders HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n".to_vec()),
        ("Content-Length and chunked together", b"POST /api/cabinet/login HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n".to_vec()),
        ("a chunked body that stops midway", b"POST /api/telephony/pbx/x/1 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nX-Ringback-Signature: sha256=0\r\nConnection: close\r\n\r\n5\r\nab".to_vec()),
        ("a NUL in the path", b"GET /api/v1/orders/a\0b HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n".to_vec()),
        ("a path of 20,000 characters", long_path.into_bytes()),
        ("a header of 20,000 characters", long_header.into_bytes()),
        ("an absolute-form target", b"GET http://example.com/api/health HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n".to_vec()),
        ("HTTP/1.0 without Host", b"POST /api/v1/orders HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}".to_vec()),
        ("a method HTTP does not know", b"FOO /api/v1/orders HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}".to_vec()),
        ("a lower-case method", b"post /api/v1/orders HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}".to_vec()),
    ];
    let mut failures = vec![];
    for (what, raw) in &cases {
        let mut s = tokio::net::TcpStream::connect(host).await.unwrap();
        let _ = s.write_all(raw).await;
        // Some of these never finish their body: the end of the stream says so.
        let _ = s.shutdown().await;
        let mut out = vec![];
        let read =
            tokio::time::timeout(std::time::Duration::from_secs(15), s.read_to_end(&mut out)).await;
        let text = String::from_utf8_lossy(&out).into_owned();
        let status = text.split(' ').nth(1).and_then(|s| s.parse::<u16>().ok());
        let body = text.split("\r\n\r\n").nth(1).unwrap_or("");
        let answer = match status {
            Some(s) => format!("{s} {}", body.chars().take(60).collect::<String>()),
            None if read.is_err() => "no answer in 15 s".into(),
            None => "closed without an answer".into(),
        };
        println!("raw: {what}: {answer}");
        let front = front_refusal(&text);
        if status.is_some_and(|s| s >= 500) && front.is_none() {
            failures.push(format!(
                "{what}: {}",
                text.chars().take(300).collect::<String>()
            ));
        }
        if let Some(who) = front {
            println!("     ({who})");
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    let health = http()
        .get(format!("{base}/api/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}

/// Who in front of the worker gave this answer, if it is one of local `wrangler dev`'s own.
fn front_refusal(answer: &str) -> Option<&'static str> {
    let (head, body) = answer.split_once("\r\n\r\n")?;
    let head = head.to_ascii_lowercase();
    if head.starts_with("http/1.1 500")
        && head.contains("connection: close")
        && body == "Internal Server Error"
    {
        Some("workerd's HTTP server: the request could not be parsed; nothing was forwarded")
    } else if head.starts_with("http/1.1 501") && body == "ERROR: Unrecognized request method." {
        Some("workerd's HTTP server: RFC 9110's answer to a method it does not know")
    } else if head.starts_with("http/1.1 503")
        && body.starts_with("Your worker restarted mid-request")
    {
        Some("wrangler's proxy: the request ended before its body did, so its forward failed")
    } else {
        None
    }
}
