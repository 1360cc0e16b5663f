//! Fuzz-style: at least 1,000 malformed or random requests to the public endpoints, and not one
//! 5xx. The generator is seeded, so a failure repeats.

use ringback_e2e::{http, unique, worker_url, Cabinet};
use serde_json::{json, Value};

/// A value of a random JSON type.
fn random_value(rng: &mut fastrand::Rng, depth: u32) -> Value {
    match rng.u8(0..8) {
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
        _ => json!(""),
    }
}

fn random_text(rng: &mut fastrand::Rng) -> String {
    const PIECES: &[&str] = &[
        "",
        "a",
        "+7",
        "8 (916) 123-45-67",
        "'; DROP TABLE orders; --",
        "<script>",
        "%00",
        "\u{0}",
        "😀",
        "9999999999999999999999",
        "-1",
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

/// A valid order body, then damaged: fields removed, retyped or replaced.
fn damaged_order(rng: &mut fastrand::Rng, site: &str, widget: i64) -> String {
    let mut body = json!({
        "site": site,
        "widget_id": widget,
        "phone": "+79161234567",
        "name": "Anna",
        "department": 1,
        "when": { "when": "now" },
        "page": { "url": "http://127.0.0.1/", "utm": { "source": "vk" }, "seconds_on_site": 12 },
        "fields": { "city": "Tula" },
        "idempotency_key": unique(),
    });
    let keys: Vec<String> = body.as_object().unwrap().keys().cloned().collect();
    let obj = body.as_object_mut().unwrap();
    for _ in 0..rng.usize(1..4) {
        let k = &keys[rng.usize(0..keys.len())];
        match rng.u8(0..3) {
            0 => {
                obj.remove(k);
            }
            1 => {
                obj.insert(k.clone(), random_value(rng, 0));
            }
            _ => {
                obj.insert(random_text(rng), random_value(rng, 0));
            }
        }
    }
    match rng.u8(0..12) {
        0 => String::from_utf8_lossy(
            &(0..rng.usize(0..200))
                .map(|_| rng.u8(..))
                .collect::<Vec<_>>(),
        )
        .into_owned(),
        1 => {
            let s = body.to_string();
            let cut = rng.usize(0..=s.len());
            s.get(..cut).unwrap_or("").to_string()
        }
        2 => random_value(rng, 0).to_string(),
        _ => body.to_string(),
    }
}

#[tokio::test]
async fn a_thousand_malformed_requests_get_no_server_error() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    let mut rng = fastrand::Rng::with_seed(0x5eed_cafe);
    let client = http();
    let base = worker_url();
    let mut statuses = std::collections::BTreeMap::new();
    for i in 0..1200 {
        let req = match i % 4 {
            0 | 1 => client
                .post(format!("{base}/api/v1/orders"))
                .header(
                    "X-Ringback-Dev-Ip",
                    format!("198.51.{}.{}", rng.u8(..), rng.u8(1..255)),
                )
                .header(
                    "Content-Type",
                    if rng.bool() {
                        "application/json"
                    } else {
                        "text/plain"
                    },
                )
                .body(damaged_order(&mut rng, &site.key, w.id)),
            2 => {
                let mut q: Vec<(String, String)> = vec![];
                for key in [
                    "site", "url", "referrer", "lang", "tz", "pin", "preview", "junk",
                ] {
                    if rng.bool() {
                        let v = if key == "site" && rng.bool() {
                            site.key.clone()
                        } else {
                            random_text(&mut rng)
                        };
                        q.push((key.to_string(), v));
                    }
                }
                client
                    .get(format!("{base}/api/v1/decide"))
                    .header(
                        "User-Agent",
                        random_text(&mut rng).replace(['\r', '\n', '\u{0}'], ""),
                    )
                    .query(&q)
            }
            _ => {
                let id = random_text(&mut rng).replace(['/', '?', '#'], "");
                client
                    .get(format!("{base}/api/v1/orders/{}", urlencode(&id)))
                    .query(&[("token", random_text(&mut rng))])
            }
        };
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        assert!(
            status < 500,
            "request {i} got {status}: {}",
            res.text().await.unwrap_or_default()
        );
        *statuses.entry(status).or_insert(0u32) += 1;
    }
    // Not every request was turned away: the generator also produces valid ones.
    assert!(statuses.keys().any(|s| *s < 300), "{statuses:?}");
    println!("statuses: {statuses:?}");
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
