//! The public API against real `wrangler dev` and D1: *decide*, *order*, *order status*.
//! Each test makes its own account, site and widget through the cabinet API.

use ringback_e2e::{
    fifty_megabytes_are_refused, http, ip, order, phone, streamed_body, unique, worker_url, Cabinet,
};
use serde_json::{json, Value};
use shared::api::{CallPromise, DecideAnswer, ErrorBody, OrderAnswer, OrderStatus};
use shared::conditions::{
    ConditionSet, Effect, GeoLevel, GeoRule, Join, TrafficRule, TrafficRules,
};
use shared::schedule::WeekGrid;

async fn decide(key: &str, query: &[(&str, &str)], headers: &[(&str, &str)]) -> reqwest::Response {
    let mut q: Vec<(&str, &str)> = vec![("site", key)];
    q.extend_from_slice(query);
    let mut r = http()
        .get(format!("{}/api/v1/decide", worker_url()))
        .query(&q);
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    r.send().await.unwrap()
}

async fn error(res: reqwest::Response, status: u16) -> ErrorBody {
    Cabinet::ok(res, status).await
}

#[tokio::test]
async fn decide_answers_the_sites_widget_with_cors_for_the_site_only() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    let own = decide(
        &site.key,
        &[("url", "http://127.0.0.1/page")],
        &[("Origin", "http://127.0.0.1:8787")],
    )
    .await;
    assert_eq!(own.status(), 200);
    assert_eq!(
        own.headers()["access-control-allow-origin"],
        "http://127.0.0.1:8787"
    );
    assert_eq!(own.headers()["vary"], "Origin");
    let answer: DecideAnswer = own.json().await.unwrap();
    let model = answer.widget.expect("the active widget");
    assert_eq!(model.widget_id, w.id);
    assert!(!model.slots.is_empty());
    let other = decide(&site.key, &[], &[("Origin", "https://evil.example")]).await;
    assert_eq!(other.status(), 200);
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn decide_sends_an_etag_and_answers_304_when_nothing_changed() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    cab.active_widget(site.id, |_| {}).await;
    let first = decide(&site.key, &[("url", "http://127.0.0.1/")], &[]).await;
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let again = decide(
        &site.key,
        &[("url", "http://127.0.0.1/")],
        &[("If-None-Match", &etag)],
    )
    .await;
    assert_eq!(again.status(), 304);
    assert!(again.text().await.unwrap().is_empty());
}

#[tokio::test]
async fn decide_sees_changes_at_once_despite_its_cache() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    let before: DecideAnswer = decide(&site.key, &[], &[]).await.json().await.unwrap();
    assert!(before.widget.is_some());
    Cabinet::ok::<Value>(
        cab.post(&format!("/widgets/{}/deactivate", w.id), json!({}))
            .await,
        200,
    )
    .await;
    let after: DecideAnswer = decide(&site.key, &[], &[]).await.json().await.unwrap();
    assert!(after.widget.is_none());
}

#[tokio::test]
async fn decide_rejects_bad_input_with_a_json_message() {
    let cases = [
        ("site=no-such-site", 404, "unknown_site"),
        ("url=x", 400, "bad_request"),
        ("site=", 400, "bad_request"),
    ];
    for (q, status, code) in cases {
        let res = http()
            .get(format!("{}/api/v1/decide?{q}", worker_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["access-control-allow-origin"], "*", "{q}");
        assert_eq!(error(res, status).await.error, code, "{q}");
    }
}

#[tokio::test]
async fn decide_uses_injected_geo_in_local_development() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    Cabinet::ok::<Value>(
        cab.post(&format!("/widgets/{}/deactivate", w.id), json!({}))
            .await,
        200,
    )
    .await;
    let set = ConditionSet {
        name: "Kazakhstan".into(),
        active: true,
        geo: vec![GeoRule {
            level: GeoLevel::Country,
            value: "KZ".into(),
            effect: Effect::Allow,
        }],
        ..Default::default()
    };
    Cabinet::ok::<Value>(
        cab.post(
            &format!("/widgets/{}/conditions", w.id),
            serde_json::to_value(&set).unwrap(),
        )
        .await,
        201,
    )
    .await;
    Cabinet::ok::<Value>(
        cab.post(&format!("/widgets/{}/activate", w.id), json!({}))
            .await,
        200,
    )
    .await;
    let kz: DecideAnswer = decide(
        &site.key,
        &[],
        &[
            ("X-Ringback-Dev-Country", "KZ"),
            ("X-Ringback-Dev-City", "Almaty"),
        ],
    )
    .await
    .json()
    .await
    .unwrap();
    assert!(kz.widget.is_some());
    let ru: DecideAnswer = decide(&site.key, &[], &[("X-Ringback-Dev-Country", "RU")])
        .await
        .json()
        .await
        .unwrap();
    assert!(ru.widget.is_none());
}

#[tokio::test]
async fn decide_pins_a_traffic_match_for_the_session() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let paid = cab.active_widget(site.id, |_| {}).await;
    Cabinet::ok::<Value>(
        cab.post(&format!("/widgets/{}/deactivate", paid.id), json!({}))
            .await,
        200,
    )
    .await;
    let set = ConditionSet {
        name: "paid".into(),
        active: true,
        traffic: TrafficRules {
            join: Join::Or,
            rules: vec![TrafficRule {
                source: Some("yandex".into()),
                medium: Some("cpc".into()),
                ..Default::default()
            }],
        },
        ..Default::default()
    };
    Cabinet::ok::<Value>(
        cab.post(
            &format!("/widgets/{}/conditions", paid.id),
            serde_json::to_value(&set).unwrap(),
        )
        .await,
        201,
    )
    .await;
    Cabinet::ok::<Value>(
        cab.post(&format!("/widgets/{}/activate", paid.id), json!({}))
            .await,
        200,
    )
    .await;
    let other = cab.active_widget(site.id, |_| {}).await;
    let first: DecideAnswer = decide(
        &site.key,
        &[("url", "http://127.0.0.1/?utm_source=yandex&utm_medium=cpc")],
        &[],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(first.widget.unwrap().widget_id, paid.id);
    assert_eq!(first.pin, Some(paid.id));
    let direct: DecideAnswer = decide(&site.key, &[("url", "http://127.0.0.1/contacts")], &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        direct.widget.unwrap().widget_id,
        other.id,
        "without the pin"
    );
    let pinned: DecideAnswer = decide(
        &site.key,
        &[
            ("url", "http://127.0.0.1/contacts"),
            ("pin", &paid.id.to_string()),
        ],
        &[],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        pinned.widget.unwrap().widget_id,
        paid.id,
        "pinned for the session"
    );
}

#[tokio::test]
async fn a_preview_link_shows_an_inactive_widget_to_whoever_has_it() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    Cabinet::ok::<Value>(
        cab.post(&format!("/widgets/{}/deactivate", w.id), json!({}))
            .await,
        200,
    )
    .await;
    let link: shared::cabinet_api::PreviewLink = Cabinet::ok(
        cab.post(&format!("/widgets/{}/preview", w.id), json!({}))
            .await,
        200,
    )
    .await;
    let token = link.url.split("rb_preview=").nth(1).unwrap().to_string();
    let plain: DecideAnswer = decide(&site.key, &[], &[]).await.json().await.unwrap();
    assert!(plain.widget.is_none());
    let preview: DecideAnswer = decide(&site.key, &[("preview", &token)], &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview.widget.unwrap().widget_id, w.id);
    let wrong: DecideAnswer = decide(&site.key, &[("preview", "not-a-token")], &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(wrong.widget.is_none());
    // The link works for 24 hours (its expiry is the pure rule's, tested in shared::preview),
    // the widget's card shows it, and renewing it makes a new one: the old stops working.
    let left = link.expires_at - chrono::Utc::now();
    assert!(
        left > chrono::Duration::hours(23) && left <= chrono::Duration::hours(24),
        "{left}"
    );
    let cards: Vec<shared::cabinet_api::WidgetCard> =
        Cabinet::ok(cab.get(&format!("/sites/{}/widgets", site.id)).await, 200).await;
    assert_eq!(cards[0].preview.as_ref(), Some(&link));
    let renewed: shared::cabinet_api::PreviewLink = Cabinet::ok(
        cab.post(&format!("/widgets/{}/preview", w.id), json!({}))
            .await,
        200,
    )
    .await;
    assert_ne!(renewed.url, link.url);
    assert!(renewed.expires_at >= link.expires_at);
    let fresh = renewed.url.split("rb_preview=").nth(1).unwrap().to_string();
    let old: DecideAnswer = decide(&site.key, &[("preview", &token)], &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(
        old.widget.is_none(),
        "the renewed link replaced the old one"
    );
    let new: DecideAnswer = decide(&site.key, &[("preview", &fresh)], &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(new.widget.unwrap().widget_id, w.id);
    let cards: Vec<shared::cabinet_api::WidgetCard> =
        Cabinet::ok(cab.get(&format!("/sites/{}/widgets", site.id)).await, 200).await;
    assert_eq!(cards[0].preview.as_ref(), Some(&renewed));
}

#[tokio::test]
async fn an_order_now_is_accepted_and_readable_with_its_token_only() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    let res = order(&site.key, w.id, "8 (916) 555-01-02", &ip(), json!({ "name": "Anna", "page": { "url": "http://127.0.0.1/?utm_source=vk", "utm": { "source": "vk" } } })).await;
    let answer: OrderAnswer = Cabinet::ok(res, 201).await;
    assert_eq!(answer.promise, CallPromise::Soon { in_secs: 30 });
    let status = |token: String| {
        let id = answer.order_id.clone();
        async move {
            http()
                .get(format!("{}/api/v1/orders/{id}", worker_url()))
                .query(&[("token", token)])
                .send()
                .await
                .unwrap()
        }
    };
    let st: OrderStatus = Cabinet::ok(status(answer.token.clone()).await, 200).await;
    assert!(matches!(st, OrderStatus::Scheduled { .. }));
    assert_eq!(
        error(status("wrong".into()).await, 404).await.error,
        "not_found"
    );
    let no_token = http()
        .get(format!(
            "{}/api/v1/orders/{}",
            worker_url(),
            answer.order_id
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(error(no_token, 400).await.error, "bad_request");
    // The journal has it, normalized and tagged.
    let page: shared::cabinet_api::JournalPage = Cabinet::ok(cab.get("/journal").await, 200).await;
    let row = &page.rows[0];
    assert_eq!(row.phone, "+79165550102");
    assert_eq!(row.name.as_deref(), Some("Anna"));
    assert_eq!(row.source.as_deref(), Some("vk"));
    assert!(row.tags.contains(&"working hours".to_string()));
}

#[tokio::test]
async fn a_repeated_order_with_the_same_key_returns_the_first_answer_and_creates_nothing() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    let key = unique();
    let extra = json!({ "idempotency_key": key });
    let from = ip();
    let first: OrderAnswer = Cabinet::ok(
        order(&site.key, w.id, &phone(), &from, extra.clone()).await,
        201,
    )
    .await;
    let again: OrderAnswer =
        Cabinet::ok(order(&site.key, w.id, &phone(), &from, extra).await, 200).await;
    assert_eq!(first, again);
    let page: shared::cabinet_api::JournalPage = Cabinet::ok(cab.get("/journal").await, 200).await;
    assert_eq!(page.total, 1);
}

#[tokio::test]
async fn bad_orders_are_refused_with_a_clear_error_and_store_nothing() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    let from = ip();
    let cases: Vec<(Value, u16, &str)> = vec![
        (json!({ "phone": "123" }), 422, "invalid"),
        (json!({ "phone": "" }), 422, "invalid"),
        (json!({ "website": "http://spam.example" }), 400, "spam"),
        (json!({ "widget_id": 999_999 }), 404, "not_found"),
        (json!({ "site": "no-such-key" }), 404, "unknown_site"),
        (json!({ "idempotency_key": "short" }), 422, "invalid"),
        (json!({ "when": { "when": "at", "at": 1 } }), 422, "invalid"),
        (json!({ "department": 5 }), 422, "invalid"),
        (json!({ "name": "x".repeat(101) }), 422, "invalid"),
    ];
    for (extra, status, code) in cases {
        let res = order(&site.key, w.id, &phone(), &from, extra.clone()).await;
        let e = error(res, status).await;
        assert_eq!(e.error, code, "{extra}");
        assert!(!e.message.is_empty());
    }
    let invalid = error(order(&site.key, w.id, "123", &from, json!({})).await, 422).await;
    assert_eq!(invalid.problems[0].path, "phone");
    let bad_json = http()
        .post(format!("{}/api/v1/orders", worker_url()))
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(error(bad_json, 400).await.error, "bad_request");
    let page: shared::cabinet_api::JournalPage = Cabinet::ok(cab.get("/journal").await, 200).await;
    assert_eq!(page.total, 0);
}

#[tokio::test]
async fn an_order_from_another_sites_page_is_forbidden() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    let res = http()
        .post(format!("{}/api/v1/orders", worker_url()))
        .header("Origin", "https://evil.example")
        .json(&json!({ "site": site.key, "widget_id": w.id, "phone": phone(), "when": { "when": "now" }, "idempotency_key": unique() }))
        .send()
        .await
        .unwrap();
    assert_eq!(error(res, 403).await.error, "forbidden");
}

#[tokio::test]
async fn an_inactive_widget_takes_no_orders() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    Cabinet::ok::<Value>(
        cab.post(&format!("/widgets/{}/deactivate", w.id), json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(
        error(
            order(&site.key, w.id, &phone(), &ip(), json!({})).await,
            409
        )
        .await
        .error,
        "conflict"
    );
}

#[tokio::test]
async fn blacklisted_numbers_and_addresses_get_a_polite_refusal() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    let blocked = phone();
    Cabinet::ok::<Value>(
        cab.post("/blacklist", json!({ "kind": "phone", "value": blocked }))
            .await,
        201,
    )
    .await;
    Cabinet::ok::<Value>(
        cab.post(
            "/blacklist",
            json!({ "kind": "ip", "value": "203.0.113.0/24" }),
        )
        .await,
        201,
    )
    .await;
    let e = error(
        order(&site.key, w.id, &blocked, &ip(), json!({})).await,
        403,
    )
    .await;
    assert_eq!(e.error, "refused");
    assert_eq!(e.message, "Sorry, we cannot call this number back.");
    assert_eq!(
        error(
            order(&site.key, w.id, &phone(), "203.0.113.77", json!({})).await,
            403
        )
        .await
        .error,
        "refused"
    );
    let page: shared::cabinet_api::JournalPage = Cabinet::ok(cab.get("/journal").await, 200).await;
    assert_eq!(page.total, 0, "nothing stored, nothing dialed");
}

#[tokio::test]
async fn a_phone_gets_at_most_three_orders_an_hour_and_an_address_ten() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    let p = phone();
    for _ in 0..3 {
        Cabinet::ok::<Value>(order(&site.key, w.id, &p, &ip(), json!({})).await, 201).await;
    }
    let res = order(&site.key, w.id, &p, &ip(), json!({})).await;
    assert_eq!(res.headers()["retry-after"], "3600");
    assert_eq!(error(res, 429).await.error, "rate_limited");
    let from = ip();
    for _ in 0..10 {
        Cabinet::ok::<Value>(
            order(&site.key, w.id, &phone(), &from, json!({})).await,
            201,
        )
        .await;
    }
    assert_eq!(
        error(
            order(&site.key, w.id, &phone(), &from, json!({})).await,
            429
        )
        .await
        .error,
        "rate_limited"
    );
}

#[tokio::test]
async fn a_picked_time_must_be_an_offered_slot() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab
        .active_widget(site.id, |s| {
            s.call_center.hours = WeekGrid::hours(&shared::schedule::WEEK, 9, 18);
            s.display = Some(shared::schedule::Schedule {
                zone: "Europe/Moscow".into(),
                hours: WeekGrid::full(),
            });
        })
        .await;
    let d: DecideAnswer = decide(&site.key, &[], &[]).await.json().await.unwrap();
    let slot = d.widget.unwrap().slots[1].slots()[0].0;
    let at = json!({ "when": { "when": "at", "at": slot.timestamp_millis() } });
    let answer: OrderAnswer =
        Cabinet::ok(order(&site.key, w.id, &phone(), &ip(), at).await, 201).await;
    assert_eq!(answer.promise, CallPromise::At { at: slot });
    let off_step = json!({ "when": { "when": "at", "at": slot.timestamp_millis() + 60_000 } });
    let e = error(order(&site.key, w.id, &phone(), &ip(), off_step).await, 422).await;
    assert_eq!(e.problems[0].path, "when");
}

#[tokio::test]
async fn preflights_of_the_public_api_allow_the_asking_origin() {
    let res = http()
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/api/v1/orders", worker_url()),
        )
        .header("Origin", "https://okna.ru")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://okna.ru"
    );
    assert!(res.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("POST"));
}

/// Issue 11, toll fraud: a premium-rate number is refused with its reason; nothing is stored.
#[tokio::test]
async fn a_premium_rate_number_is_refused_and_nothing_is_dialed() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    for (number, lang, words) in [
        ("8 809 123-45-67", "en", "premium-rate"),
        ("+7 809 765 43 21", "ru", "платные"),
    ] {
        let e = error(
            order(&site.key, w.id, number, &ip(), json!({ "lang": lang })).await,
            422,
        )
        .await;
        assert_eq!(e.problems[0].path, "phone");
        assert!(e.problems[0].message.contains(words), "{:?}", e.problems);
    }
    let page: shared::cabinet_api::JournalPage = Cabinet::ok(cab.get("/journal").await, 200).await;
    assert_eq!(page.total, 0, "nothing stored, nothing dialed");
}

/// Issue 11: each site calls back the countries of its allow-list (by default its own).
#[tokio::test]
async fn a_foreign_number_is_called_back_only_where_the_site_allows_its_country() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    assert_eq!(site.client_countries, Vec::<String>::new());
    let w = cab.active_widget(site.id, |_| {}).await;
    let german = format!("+49 89 {}", fastrand::u32(1_000_000..10_000_000));
    let e = error(
        order(&site.key, w.id, &german, &ip(), json!({ "lang": "en" })).await,
        422,
    )
    .await;
    assert_eq!(e.problems[0].path, "phone");
    assert_eq!(
        e.problems[0].message,
        "this site calls back numbers from RU only; this number is from DE"
    );
    let updated: shared::cabinet_api::SiteView = Cabinet::ok(
        cab.put(
            &format!("/sites/{}", site.id),
            json!({ "domain": site.domain, "country": "RU", "client_countries": ["RU", "de"] }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(updated.client_countries, ["RU", "DE"]);
    let answer: OrderAnswer =
        Cabinet::ok(order(&site.key, w.id, &german, &ip(), json!({})).await, 201).await;
    let detail = cab.order(&answer.order_id).await;
    // The + number was read with Germany's rules only: its 8 is still there.
    assert_eq!(detail.order.phone, german.replace(' ', ""));
    // An unknown code in the list is a field problem.
    let e = error(
        cab.put(
            &format!("/sites/{}", site.id),
            json!({ "domain": site.domain, "client_countries": ["RU", "XX"] }),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(e.problems[0].path, "client_countries[1]");
}

/// Issue 11: an extension is kept with the order, never dialed as part of the number.
#[tokio::test]
async fn an_extension_is_kept_apart_from_the_number() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    let n = fastrand::u32(1_000_000..10_000_000);
    let typed = format!("8 (495) {n} доб. 123");
    let answer: OrderAnswer =
        Cabinet::ok(order(&site.key, w.id, &typed, &ip(), json!({})).await, 201).await;
    let detail = cab.order(&answer.order_id).await;
    assert_eq!(detail.order.phone, format!("+7495{n}"));
    assert_eq!(detail.order.extension.as_deref(), Some("123"));
}

/// Issue 11, floods: limits are enforced atomically; a burst of 50 parallel orders for one
/// number accepts exactly the cap, refuses the rest politely, and stores nothing else.
#[tokio::test]
async fn a_burst_of_50_parallel_orders_for_one_number_accepts_at_most_the_cap() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    // The account's own daily cap, lower than the hourly cap of every number (3).
    let caps: shared::limits::DailyCaps = Cabinet::ok(
        cab.put(
            "/limits",
            json!({ "orders_per_number": 2, "rings_per_number": 15 }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(caps.orders_per_number, 2);
    let burst = |p: String, cap: usize| {
        let key = site.key.clone();
        async move {
            let answers = futures_util::future::join_all((0..50).map(|_| {
                let (key, p) = (key.clone(), p.clone());
                async move { order(&key, w.id, &p, &ip(), json!({ "lang": "en" })).await }
            }))
            .await;
            let mut accepted = 0;
            for res in answers {
                match res.status().as_u16() {
                    201 => accepted += 1,
                    429 => {
                        let e: ErrorBody = res.json().await.unwrap();
                        assert_eq!(e.error, "rate_limited");
                        assert!(
                            e.message.contains("callbacks"),
                            "a specific message: {}",
                            e.message
                        );
                    }
                    other => panic!("a burst answers 201 or 429, not {other}"),
                }
            }
            assert_eq!(accepted, cap, "{p}");
        }
    };
    burst(phone(), 2).await;
    let _: shared::limits::DailyCaps = Cabinet::ok(
        cab.put(
            "/limits",
            json!({ "orders_per_number": 50, "rings_per_number": 100 }),
        )
        .await,
        200,
    )
    .await;
    // Every number's hourly cap, across accounts: 3.
    burst(phone(), 3).await;
    let page: shared::cabinet_api::JournalPage = Cabinet::ok(cab.get("/journal").await, 200).await;
    assert_eq!(page.total, 5, "only the accepted orders are stored");
    // Out of bounds caps are field problems.
    let e = error(
        cab.put(
            "/limits",
            json!({ "orders_per_number": 0, "rings_per_number": 101 }),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(e.problems.len(), 2);
}

/// Issue 11: addresses are limited by their IPv6 /64 (one subscriber has the whole /64).
#[tokio::test]
async fn an_ipv6_subscriber_is_limited_by_its_64() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    let net = format!("2001:db8:{:x}:{:x}", fastrand::u16(..), fastrand::u16(..));
    for i in 1..=10 {
        let from = format!("{net}::{i:x}");
        Cabinet::ok::<Value>(
            order(&site.key, w.id, &phone(), &from, json!({})).await,
            201,
        )
        .await;
    }
    let e = error(
        order(
            &site.key,
            w.id,
            &phone(),
            &format!("{net}:ffff:ffff:ffff:ffff"),
            json!({ "lang": "en" }),
        )
        .await,
        429,
    )
    .await;
    assert_eq!(
        e.message,
        "Too many orders from this address; try again later."
    );
    let other = format!(
        "2001:db8:{:x}:{:x}::1",
        fastrand::u16(..),
        fastrand::u16(..)
    );
    Cabinet::ok::<Value>(
        order(&site.key, w.id, &phone(), &other, json!({})).await,
        201,
    )
    .await;
}

#[tokio::test]
async fn a_50_mb_order_is_refused_before_it_is_read() {
    let url = format!("{}/api/v1/orders", worker_url());
    fifty_megabytes_are_refused(|| {
        http()
            .post(&url)
            .header("Content-Type", "text/plain")
            .header("X-Ringback-Dev-Ip", ip())
    })
    .await;
}

#[tokio::test]
async fn a_50_mb_callback_is_refused_before_it_is_read() {
    let base = worker_url();
    let inbound = format!("{base}/api/telephony/twilio/inbound");
    fifty_megabytes_are_refused(|| {
        http()
            .post(&inbound)
            .header("Content-Type", "application/x-www-form-urlencoded")
    })
    .await;
    let pbx = format!("{base}/api/telephony/pbx/{}/1", unique());
    fifty_megabytes_are_refused(|| {
        http()
            .post(&pbx)
            .header("Content-Type", "application/json")
            .header("X-Ringback-Signature", "sha256=00")
    })
    .await;
}

#[tokio::test]
async fn an_order_body_is_read_up_to_64_kb() {
    let url = format!("{}/api/v1/orders", worker_url());
    for with_length in [true, false] {
        // At the limit the body is read (and is not an order); one byte more is refused unread.
        let at = streamed_body(http().post(&url), b"", 64 * 1024, with_length)
            .header("X-Ringback-Dev-Ip", ip())
            .send()
            .await
            .unwrap();
        assert_eq!(error(at, 400).await.error, "bad_request");
        let over = streamed_body(http().post(&url), b"", 64 * 1024 + 1, with_length)
            .header("X-Ringback-Dev-Ip", ip())
            .send()
            .await
            .unwrap();
        assert_eq!(over.headers()["access-control-allow-origin"], "*");
        let e = error(over, 413).await;
        assert_eq!(e.error, "payload_too_large");
        assert!(e.message.contains("64 KB"), "{}", e.message);
    }
}
