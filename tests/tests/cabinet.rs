//! The cabinet API against real `wrangler dev` and D1: accounts and sessions, sites, widgets,
//! condition sets, departments, blacklist, journal, export and reports.

use ringback_e2e::{
    email_in, fifty_megabytes_are_refused, http, ip, link_token, log_len, order, phone,
    session_from, streamed_body, unique, worker_url, wrangler_log, Cabinet,
};
use serde_json::{json, Value};
use shared::api::ErrorBody;
use shared::cabinet_api::{
    Badge, BlacklistView, ConditionSetView, ConflictView, JournalPage, Me, OrderState, Report,
    SignUpSent, SiteView, WidgetCard, WidgetView,
};
use shared::conditions::{ConditionSet, Effect, PageMatch, PageRule, TrafficRule, TrafficRules};
use shared::departments::Department;
use shared::schedule::{Schedule, WeekGrid, WEEK};

async fn error(res: reqwest::Response, status: u16) -> ErrorBody {
    Cabinet::ok(res, status).await
}

fn paths(e: &ErrorBody) -> Vec<&str> {
    e.problems.iter().map(|p| p.path.as_str()).collect()
}

async fn raw(path: &str, body: Value) -> reqwest::Response {
    http()
        .post(format!("{}/api/cabinet{path}", worker_url()))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn raw_from(path: &str, body: Value, ip: &str) -> reqwest::Response {
    http()
        .post(format!("{}/api/cabinet{path}", worker_url()))
        .header("X-Ringback-Dev-Ip", ip)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// A sign-up as its answer and the email it sent.
async fn sign_up_email(email: &str, ip: &str) -> (SignUpSent, String) {
    let since = log_len(&wrangler_log());
    let res = raw_from(
        "/signup",
        json!({ "email": email, "password": "correct horse battery", "company": "Okna" }),
        ip,
    )
    .await;
    assert!(
        session_from(&res).is_none(),
        "no session before the email's link"
    );
    let sent: SignUpSent = Cabinet::ok(res, 202).await;
    (sent, email_in(&wrangler_log(), since, email).await)
}

#[tokio::test]
async fn sign_up_validates_every_field_and_answers_alike_for_a_used_email() {
    let e = error(
        raw(
            "/signup",
            json!({ "email": "nope", "password": "short", "company": "" }),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(paths(&e), ["email", "password", "company"]);
    let address = ip();
    let email = format!("{}@test.ringback.dev", unique());
    let (first, mail) = sign_up_email(&email, &address).await;
    assert_eq!(first.email, email);
    let token = link_token(&mail).expect("a sign-up link");
    assert!(mail.contains("24 hours"), "{mail}");
    let confirm = |token: String| async move { raw("/confirm", json!({ "token": token })).await };
    let opened = confirm(token.clone()).await;
    assert_eq!(opened.status(), 201);
    let cookie = opened.headers()["set-cookie"].to_str().unwrap().to_string();
    for attr in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    let me: Me = opened.json().await.unwrap();
    assert_eq!(me.email, email);
    assert_eq!(me.minutes_balance, 50, "50 free minutes at first use");
    assert_eq!(
        error(confirm(token).await, 410).await.error,
        "link_expired",
        "a link works once"
    );
    assert_eq!(
        error(confirm("not-a-token".into()).await, 410).await.error,
        "link_expired"
    );
    // The registered email gets the same answer as a new one; only its email differs.
    let (again, mail) = sign_up_email(&email, &address).await;
    assert_eq!(again, first, "the answer tells nothing about the email");
    assert!(link_token(&mail).is_none(), "{mail}");
    assert!(mail.contains("has an account already"), "{mail}");
    assert!(mail.contains("/login"), "{mail}");
    let other = format!("{}@test.ringback.dev", unique());
    let (fresh, _) = sign_up_email(&other, &address).await;
    assert_eq!(fresh.message.replace(&other, &email), first.message);
}

#[tokio::test]
async fn two_links_of_one_email_make_one_account() {
    let address = ip();
    let email = format!("{}@test.ringback.dev", unique());
    let (_, first) = sign_up_email(&email, &address).await;
    let (_, second) = sign_up_email(&email, &address).await;
    let (first, second) = (link_token(&first).unwrap(), link_token(&second).unwrap());
    assert_ne!(first, second);
    let opened = raw("/confirm", json!({ "token": second })).await;
    assert_eq!(opened.status(), 201);
    assert_eq!(
        error(raw("/confirm", json!({ "token": first })).await, 410)
            .await
            .error,
        "link_expired",
        "the other link stopped working"
    );
}

#[tokio::test]
async fn sign_up_is_limited_per_address_counting_an_ipv6_64_as_one() {
    let (a, b) = (fastrand::u16(..), fastrand::u16(..));
    let net = format!("2001:db8:{a:x}:{b:x}");
    let next = format!("2001:db8:{a:x}:{:x}", b ^ 1);
    let sign_up = |ip: String| async move {
        let email = format!("{}@test.ringback.dev", unique());
        raw_from(
            "/signup",
            json!({ "email": email, "password": "correct horse battery", "company": "Okna" }),
            &ip,
        )
        .await
    };
    for n in 1..=5 {
        assert_eq!(
            sign_up(format!("{net}::{n}")).await.status(),
            202,
            "sign-up {n}"
        );
    }
    let refused = sign_up(format!("{net}:ffff:ffff:ffff:ffff")).await;
    assert_eq!(refused.status(), 429, "the sixth from the same /64");
    let wait: u32 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((60..=3600).contains(&wait), "{wait}");
    assert_eq!(error(refused, 429).await.error, "rate_limited");
    assert_eq!(
        sign_up(format!("{next}::1")).await.status(),
        202,
        "the next /64 is another address"
    );
}

#[tokio::test]
async fn sign_up_and_log_in_from_another_sites_page_are_refused() {
    let cab = Cabinet::sign_up().await;
    let own = worker_url();
    let login = |headers: Vec<(&'static str, String)>| {
        let email = cab.me.email.clone();
        async move {
            let mut r = http()
                .post(format!("{}/api/cabinet/login", worker_url()))
                .header("X-Ringback-Dev-Ip", ip());
            for (k, v) in headers {
                r = r.header(k, v);
            }
            r.json(&json!({ "email": email, "password": "correct horse battery" }))
                .send()
                .await
                .unwrap()
        }
    };
    for headers in [
        vec![("Origin", "https://evil.example".to_string())],
        vec![("Origin", "null".to_string())],
        vec![("Sec-Fetch-Site", "cross-site".to_string())],
        vec![("Sec-Fetch-Site", "same-site".to_string())],
        vec![
            ("Origin", own.clone()),
            ("Sec-Fetch-Site", "cross-site".to_string()),
        ],
        vec![
            ("Origin", "https://evil.example".to_string()),
            ("Sec-Fetch-Site", "same-origin".to_string()),
        ],
    ] {
        let res = login(headers.clone()).await;
        assert!(session_from(&res).is_none(), "{headers:?}");
        let e = error(res, 403).await;
        assert_eq!(e.error, "cross_origin", "{headers:?}");
        assert!(e.message.contains("another site"), "{}", e.message);
    }
    for headers in [
        vec![
            ("Origin", own.clone()),
            ("Sec-Fetch-Site", "same-origin".to_string()),
        ],
        vec![("Origin", own.clone())],
        vec![("Sec-Fetch-Site", "same-origin".to_string())],
        vec![],
    ] {
        assert_eq!(login(headers.clone()).await.status(), 200, "{headers:?}");
    }
    let evil = |path: &'static str, body: Value| async move {
        http()
            .post(format!("{}/api/cabinet{path}", worker_url()))
            .header("X-Ringback-Dev-Ip", ip())
            .header("Origin", "https://evil.example")
            .header("Sec-Fetch-Site", "cross-site")
            .json(&body)
            .send()
            .await
            .unwrap()
    };
    let sign_up = json!({ "email": format!("{}@test.ringback.dev", unique()), "password": "correct horse battery", "company": "Okna" });
    assert_eq!(
        error(evil("/signup", sign_up).await, 403).await.error,
        "cross_origin"
    );
    assert_eq!(
        error(evil("/confirm", json!({ "token": "x" })).await, 403)
            .await
            .error,
        "cross_origin"
    );
    let out = cab
        .request(reqwest::Method::POST, "/logout")
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(error(out, 403).await.error, "cross_origin");
    assert_eq!(cab.get("/me").await.status(), 200, "still signed in");
}

#[tokio::test]
async fn log_in_log_out_and_guessing_is_slowed_down() {
    let email = Cabinet::sign_up().await.me.email;
    let login = |password: &'static str, email: String| async move {
        http()
            .post(format!("{}/api/cabinet/login", worker_url()))
            .header("X-Ringback-Dev-Ip", ip())
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .unwrap()
    };
    let ok = login("correct horse battery", email.clone()).await;
    assert_eq!(ok.status(), 200);
    let session = session_from(&ok).unwrap();
    let me: Me = ok.json().await.unwrap();
    let get_me = |session: String| async move {
        http()
            .get(format!("{}/api/cabinet/me", worker_url()))
            .header("Cookie", format!("rb_session={session}"))
            .send()
            .await
            .unwrap()
    };
    assert_eq!(get_me(session.clone()).await.status(), 200);
    let out = http()
        .post(format!("{}/api/cabinet/logout", worker_url()))
        .header("Cookie", format!("rb_session={session}"))
        .header("X-CSRF-Token", &me.csrf_token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    assert!(out.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(
        error(get_me(session).await, 401).await.error,
        "unauthorized"
    );
    // An unknown email and a wrong password get one answer (and the same Argon2 work).
    let unknown = error(
        login(
            "wrong password",
            format!("nobody-{}@test.ringback.dev", unique()),
        )
        .await,
        401,
    )
    .await;
    let wrong = error(login("wrong password", email.clone()).await, 401).await;
    assert_eq!(unknown, wrong);
    assert_eq!(unknown.error, "wrong_credentials");
    for _ in 0..4 {
        assert_eq!(
            error(login("wrong password", email.clone()).await, 401)
                .await
                .error,
            "wrong_credentials"
        );
    }
    let locked = login("correct horse battery", email).await;
    assert_eq!(
        locked.status(),
        429,
        "after 5 failures the email waits 15 minutes"
    );
}

#[tokio::test]
async fn sites_are_added_validated_and_get_their_snippet() {
    let cab = Cabinet::sign_up().await;
    let site: SiteView = Cabinet::ok(
        cab.post(
            "/sites",
            json!({ "domain": "https://www.Okna.ru/catalog", "country": "kz" }),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(site.domain, "okna.ru");
    assert_eq!(site.country, "KZ");
    assert_eq!(
        site.snippet,
        format!(
            r#"<script async src="{}/w.js" data-site="{}"></script>"#,
            worker_url(),
            site.key
        )
    );
    let dup = error(
        cab.post("/sites", json!({ "domain": "okna.ru" })).await,
        422,
    )
    .await;
    assert_eq!(paths(&dup), ["domain"]);
    let bad = error(
        cab.post(
            "/sites",
            json!({ "domain": "localhost", "country": "Russia" }),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(paths(&bad), ["domain", "country"]);
    let updated: SiteView = Cabinet::ok(
        cab.put(
            &format!("/sites/{}", site.id),
            json!({ "domain": "shop.okna.ru" }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        (updated.domain.as_str(), updated.key.as_str()),
        ("shop.okna.ru", site.key.as_str())
    );
    let list: Vec<SiteView> = Cabinet::ok(cab.get("/sites").await, 200).await;
    assert_eq!(list.len(), 1);
    assert_eq!(
        cab.delete(&format!("/sites/{}", site.id)).await.status(),
        204
    );
    assert_eq!(
        error(cab.get(&format!("/sites/{}", site.id)).await, 404)
            .await
            .error,
        "not_found"
    );
}

#[tokio::test]
async fn widgets_are_edited_only_while_deactivated_and_activated_only_when_valid() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w: WidgetView = Cabinet::ok(
        cab.post(
            &format!("/sites/{}/widgets", site.id),
            json!({ "name": "Main", "kind": "standard" }),
        )
        .await,
        201,
    )
    .await;
    assert!(!w.active);
    // No forwarding number yet: activation names what is missing.
    let e = error(
        cab.post(&format!("/widgets/{}/activate", w.id), json!({}))
            .await,
        422,
    )
    .await;
    assert_eq!(paths(&e), ["forwarding.numbers"]);
    let mut s = w.settings.clone();
    s.forwarding = shared::forwarding::Forwarding::to("8 800 555-35-35");
    s.appearance.working.form.radius = 30;
    let e = error(
        cab.put(
            &format!("/widgets/{}", w.id),
            serde_json::to_value(&s).unwrap(),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        paths(&e),
        ["forwarding.numbers[0]", "appearance.working.form.radius"]
    );
    assert_eq!(
        e.problems[0].message,
        "toll-free 8-800 numbers cannot receive callbacks"
    );
    let garbage = error(
        cab.put(&format!("/widgets/{}", w.id), json!({ "name": 5 }))
            .await,
        400,
    )
    .await;
    assert_eq!(garbage.error, "bad_request");
    s.forwarding = shared::forwarding::Forwarding::to("+74951234567");
    s.appearance.working.form.radius = 8;
    let saved: WidgetView = Cabinet::ok(
        cab.put(
            &format!("/widgets/{}", w.id),
            serde_json::to_value(&s).unwrap(),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(saved.settings.appearance.working.form.radius, 8);
    let active: WidgetView = Cabinet::ok(
        cab.post(&format!("/widgets/{}/activate", w.id), json!({}))
            .await,
        200,
    )
    .await;
    assert!(active.active);
    // The home page's guide reads the counts from the list of sites.
    let sites: Vec<SiteView> = Cabinet::ok(cab.get("/sites").await, 200).await;
    assert_eq!((sites[0].widgets, sites[0].active_widgets), (1, 1));
    let e = error(
        cab.put(
            &format!("/widgets/{}", w.id),
            serde_json::to_value(&s).unwrap(),
        )
        .await,
        409,
    )
    .await;
    assert_eq!(e.message, "Deactivate the widget to change its settings.");
    let back: WidgetView = Cabinet::ok(cab.get(&format!("/widgets/{}", w.id)).await, 200).await;
    assert_eq!(back.settings.appearance.working.form.radius, 8);
}

#[tokio::test]
async fn widgets_clone_reorder_delete_and_show_their_cards() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let a = cab
        .active_widget(site.id, |s| s.name = "Every day".into())
        .await;
    let b = cab
        .active_widget(site.id, |s| {
            s.name = "Weekend".into();
            s.call_center.hours = WeekGrid::hours(&WEEK[5..], 9, 21);
        })
        .await;
    let cards: Vec<WidgetCard> =
        Cabinet::ok(cab.get(&format!("/sites/{}/widgets", site.id)).await, 200).await;
    assert_eq!(cards.iter().map(|c| c.id).collect::<Vec<_>>(), [a.id, b.id]);
    assert_eq!(cards[0].forwarding, "+74951234567");
    assert_eq!(cards[1].schedule, "Sat–Sun 9–21 (Europe/Moscow)");
    // The cabinet in Russian asks for the words in Russian.
    let ru: Vec<WidgetCard> = Cabinet::ok(
        cab.get(&format!("/sites/{}/widgets?lang=ru", site.id))
            .await,
        200,
    )
    .await;
    assert_eq!(ru[1].schedule, "Сб–Вс 9–21 (Europe/Moscow)");
    let bad = error(
        cab.get(&format!("/sites/{}/widgets?lang=de", site.id))
            .await,
        400,
    )
    .await;
    assert_eq!(bad.error, "bad_request");
    assert!(cards.iter().all(|c| c.badges.contains(&Badge::Conflicts)));
    let conflicts: Vec<ConflictView> =
        Cabinet::ok(cab.get(&format!("/sites/{}/conflicts", site.id)).await, 200).await;
    assert_eq!(conflicts.len(), 1);
    assert!(
        conflicts[0].message.contains("both show Sat–Sun 9–21"),
        "{}",
        conflicts[0].message
    );
    // Clone with all settings, condition sets included.
    Cabinet::ok::<Value>(
        cab.post(&format!("/widgets/{}/deactivate", b.id), json!({}))
            .await,
        200,
    )
    .await;
    let set = ConditionSet {
        name: "blog".into(),
        active: true,
        pages: vec![PageRule {
            matching: PageMatch::Contains,
            value: "blog".into(),
            effect: Effect::Allow,
        }],
        ..Default::default()
    };
    Cabinet::ok::<Value>(
        cab.post(
            &format!("/widgets/{}/conditions", b.id),
            serde_json::to_value(&set).unwrap(),
        )
        .await,
        201,
    )
    .await;
    let copy: WidgetView = Cabinet::ok(
        cab.post(&format!("/widgets/{}/clone", b.id), json!({}))
            .await,
        201,
    )
    .await;
    assert_eq!(copy.settings.name, "Weekend (copy)");
    assert!(!copy.active);
    assert_eq!(copy.settings.conditions, vec![set]);
    assert_eq!(
        copy.settings.call_center.hours,
        WeekGrid::hours(&WEEK[5..], 9, 21)
    );
    // Reorder: every widget once.
    let bad = error(
        cab.post(
            &format!("/sites/{}/widgets/reorder", site.id),
            json!({ "ids": [a.id, b.id] }),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(paths(&bad), ["ids"]);
    let cards: Vec<WidgetCard> = Cabinet::ok(
        cab.post(
            &format!("/sites/{}/widgets/reorder", site.id),
            json!({ "ids": [copy.id, b.id, a.id] }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        cards.iter().map(|c| c.id).collect::<Vec<_>>(),
        [copy.id, b.id, a.id]
    );
    assert_eq!(
        cab.delete(&format!("/widgets/{}", copy.id)).await.status(),
        204
    );
    assert_eq!(
        error(cab.get(&format!("/widgets/{}", copy.id)).await, 404)
            .await
            .error,
        "not_found"
    );
}

#[tokio::test]
async fn a_finished_promo_carries_its_badge() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w: WidgetView = Cabinet::ok(
        cab.post(
            &format!("/sites/{}/widgets", site.id),
            json!({ "name": "Sale", "kind": "promo" }),
        )
        .await,
        201,
    )
    .await;
    let mut s = w.settings.clone();
    let promo = s.promo.as_mut().expect("a new promo widget has a promo");
    promo.starts_at = chrono::Utc::now() - chrono::Duration::days(10);
    promo.ends_at = chrono::Utc::now() - chrono::Duration::days(1);
    s.forwarding = shared::forwarding::Forwarding::to("+74951234567");
    Cabinet::ok::<Value>(
        cab.put(
            &format!("/widgets/{}", w.id),
            serde_json::to_value(&s).unwrap(),
        )
        .await,
        200,
    )
    .await;
    let cards: Vec<WidgetCard> =
        Cabinet::ok(cab.get(&format!("/sites/{}/widgets", site.id)).await, 200).await;
    assert_eq!(cards[0].badges, [Badge::PromoFinished]);
}

#[tokio::test]
async fn condition_sets_allow_one_active_and_the_specs_combination_rule() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    let set = |name: &str, active| ConditionSet {
        name: name.into(),
        active,
        ..Default::default()
    };
    let e = error(
        cab.post(
            &format!("/widgets/{}/conditions", w.id),
            serde_json::to_value(set("a", true)).unwrap(),
        )
        .await,
        409,
    )
    .await;
    assert_eq!(e.error, "conflict", "the widget is active");
    Cabinet::ok::<Value>(
        cab.post(&format!("/widgets/{}/deactivate", w.id), json!({}))
            .await,
        200,
    )
    .await;
    let first: ConditionSetView = Cabinet::ok(
        cab.post(
            &format!("/widgets/{}/conditions", w.id),
            serde_json::to_value(set("a", true)).unwrap(),
        )
        .await,
        201,
    )
    .await;
    let two_active = error(
        cab.post(
            &format!("/widgets/{}/conditions", w.id),
            serde_json::to_value(set("b", true)).unwrap(),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(paths(&two_active), ["conditions[1].active"]);
    let combined = ConditionSet {
        name: "combined".into(),
        active: true,
        pages: vec![PageRule {
            matching: PageMatch::Contains,
            value: "cart".into(),
            effect: Effect::Deny,
        }],
        traffic: TrafficRules {
            rules: vec![TrafficRule {
                source: Some("vk".into()),
                ..Default::default()
            }],
            ..Default::default()
        },
        ..Default::default()
    };
    let e = error(
        cab.put(
            &format!("/widgets/{}/conditions/{}", w.id, first.id),
            serde_json::to_value(&combined).unwrap(),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        e.problems[0].message,
        "when pages and traffic are combined, all page rules must be allows"
    );
    let second: ConditionSetView = Cabinet::ok(
        cab.post(
            &format!("/widgets/{}/conditions", w.id),
            serde_json::to_value(set("b", false)).unwrap(),
        )
        .await,
        201,
    )
    .await;
    let list: Vec<ConditionSetView> =
        Cabinet::ok(cab.get(&format!("/widgets/{}/conditions", w.id)).await, 200).await;
    assert_eq!(list.len(), 2);
    assert_eq!(
        cab.delete(&format!("/widgets/{}/conditions/{}", w.id, second.id))
            .await
            .status(),
        204
    );
    assert_eq!(
        error(
            cab.delete(&format!("/widgets/{}/conditions/{}", w.id, second.id))
                .await,
            404
        )
        .await
        .error,
        "not_found"
    );
}

#[tokio::test]
async fn departments_are_validated_and_a_widget_can_route_to_them() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let bad = error(cab.post("/departments", json!({ "name": "", "number": "8 800 555 35 35", "schedule": Schedule { zone: "Mars/Base".into(), hours: WeekGrid::EMPTY } })).await, 422).await;
    assert_eq!(
        paths(&bad),
        ["name", "number", "schedule.zone", "schedule.hours"]
    );
    let sales: Department = Cabinet::ok(cab.post("/departments", json!({ "name": "Sales", "number": "8 495 123-45-67", "schedule": Schedule { zone: "Europe/Moscow".into(), hours: WeekGrid::full() }, "tags": ["sales"] })).await, 201).await;
    assert_eq!(sales.number, "+74951234567");
    let w = cab
        .active_widget(site.id, |s| {
            s.forwarding = Default::default();
            s.departments.offered = vec![sales.id];
            s.departments.must_choose = true;
        })
        .await;
    let cards: Vec<WidgetCard> =
        Cabinet::ok(cab.get(&format!("/sites/{}/widgets", site.id)).await, 200).await;
    assert_eq!(cards[0].forwarding, "departments: Sales +74951234567");
    let e = error(
        order(&site.key, w.id, &phone(), &ip(), json!({})).await,
        422,
    )
    .await;
    assert_eq!(
        (e.problems[0].path.as_str(), e.problems[0].message.as_str()),
        ("department", "choose a department")
    );
    Cabinet::ok::<Value>(
        order(
            &site.key,
            w.id,
            &phone(),
            &ip(),
            json!({ "department": sales.id }),
        )
        .await,
        201,
    )
    .await;
    let page: JournalPage = Cabinet::ok(cab.get("/journal?tag=sales").await, 200).await;
    assert_eq!(page.rows[0].department.as_deref(), Some("Sales"));
    let renamed: Department = Cabinet::ok(cab.put(&format!("/departments/{}", sales.id), json!({ "name": "Sales team", "number": "+74951234567", "schedule": Schedule::default() })).await, 200).await;
    assert_eq!(renamed.name, "Sales team");
    assert_eq!(
        cab.delete(&format!("/departments/{}", sales.id))
            .await
            .status(),
        204
    );
    let list: Vec<Department> = Cabinet::ok(cab.get("/departments").await, 200).await;
    assert!(list.is_empty());
}

#[tokio::test]
async fn the_blacklist_takes_numbers_and_networks() {
    let cab = Cabinet::sign_up().await;
    let added: BlacklistView = Cabinet::ok(
        cab.post(
            "/blacklist",
            json!({ "kind": "phone", "value": "8 (916) 000-00-01" }),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(
        serde_json::to_value(&added.entry).unwrap(),
        json!({ "kind": "phone", "value": "+79160000001" })
    );
    let dup = error(
        cab.post(
            "/blacklist",
            json!({ "kind": "phone", "value": "+79160000001" }),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(dup.problems[0].message, "already on the blacklist");
    assert_eq!(
        paths(
            &error(
                cab.post("/blacklist", json!({ "kind": "ip", "value": "300.1.1.1" }))
                    .await,
                422
            )
            .await
        ),
        ["value"]
    );
    assert_eq!(
        paths(
            &error(
                cab.post("/blacklist", json!({ "kind": "phone", "value": "12" }))
                    .await,
                422
            )
            .await
        ),
        ["value"]
    );
    let list: Vec<BlacklistView> = Cabinet::ok(cab.get("/blacklist").await, 200).await;
    assert_eq!(list.len(), 1);
    assert_eq!(
        cab.delete(&format!("/blacklist/{}", added.id))
            .await
            .status(),
        204
    );
}

#[tokio::test]
async fn the_journal_filters_pages_and_exports() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let a = cab
        .active_widget(site.id, |s| s.tags = vec!["campaign-a".into()])
        .await;
    let b = cab.active_widget(site.id, |_| {}).await;
    for (w, source) in [(a.id, Some("yandex")), (a.id, None), (b.id, Some("vk"))] {
        let page = match source {
            Some(s) => json!({ "page": { "url": "http://127.0.0.1/", "utm": { "source": s } } }),
            None => json!({}),
        };
        Cabinet::ok::<Value>(order(&site.key, w, &phone(), &ip(), page).await, 201).await;
    }
    let all: JournalPage = Cabinet::ok(cab.get("/journal").await, 200).await;
    assert_eq!(all.total, 3);
    let count = |q: String| {
        let cab = &cab;
        async move {
            Cabinet::ok::<JournalPage>(cab.get(&format!("/journal?{q}")).await, 200)
                .await
                .total
        }
    };
    assert_eq!(count(format!("widget={}", a.id)).await, 2);
    assert_eq!(count("tag=campaign-a".into()).await, 2);
    assert_eq!(count("source=vk".into()).await, 1);
    assert_eq!(count("source=(direct)".into()).await, 1);
    assert_eq!(count("status=scheduled".into()).await, 3);
    assert_eq!(count("status=failed".into()).await, 0);
    let today = chrono::Utc::now().date_naive();
    assert_eq!(count(format!("from={today}&to={today}&tz=UTC")).await, 3);
    assert_eq!(
        count(format!("to={}&tz=UTC", today.pred_opt().unwrap())).await,
        0
    );
    let paged: JournalPage = Cabinet::ok(cab.get("/journal?per_page=2&page=2").await, 200).await;
    assert_eq!((paged.rows.len(), paged.page, paged.per_page), (1, 2, 2));
    assert_eq!(
        error(cab.get("/journal?status=lost").await, 400)
            .await
            .error,
        "bad_request"
    );
    let csv = cab.get("/journal.csv?source=vk").await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.starts_with("\u{feff}order,created,site,widget"));
}

#[tokio::test]
async fn a_formula_in_an_order_opens_as_text_in_the_export() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    let number = phone();
    let formula = r#"=HYPERLINK("http://evil","x")"#;
    Cabinet::ok::<Value>(
        order(&site.key, w.id, &number, &ip(), json!({ "name": formula })).await,
        201,
    )
    .await;
    let csv = cab.get("/journal.csv").await;
    assert_eq!(csv.status(), 200);
    assert_eq!(csv.headers()["cache-control"], "no-store");
    let text = csv.text().await.unwrap();
    let row = text.lines().nth(1).unwrap_or_else(|| panic!("{text}"));
    let cells: Vec<&str> = row.split(',').collect();
    // The name: a leading ' (a spreadsheet shows it as text), then quoted with its quotes
    // doubled (RFC 4180).
    assert!(
        row.contains(r#","'=HYPERLINK(""http://evil"",""x"")","#),
        "{row}"
    );
    assert!(!row.contains(",=HYPERLINK"), "{row}");
    // The phone starts with + and is text too.
    assert_eq!(cells[5], format!("'{number}"), "{row}");
}

#[tokio::test]
async fn reports_aggregate_the_accounts_orders() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    for source in ["yandex", "yandex", "vk"] {
        Cabinet::ok::<Value>(
            order(
                &site.key,
                w.id,
                &phone(),
                &ip(),
                json!({ "page": { "url": "x", "utm": { "source": source } } }),
            )
            .await,
            201,
        )
        .await;
    }
    let today = chrono::Utc::now().date_naive();
    let r: Report = Cabinet::ok(
        cab.get(&format!(
            "/reports?from={}&to={today}&tz=UTC",
            today.pred_opt().unwrap()
        ))
        .await,
        200,
    )
    .await;
    assert_eq!(r.days.len(), 2);
    assert_eq!(r.days[1].orders, 3);
    assert_eq!(r.results, [(OrderState::Scheduled, 3)]);
    assert_eq!(r.by_hour.iter().sum::<u64>(), 3);
    assert_eq!(r.by_source[0].source, "yandex");
    assert_eq!(r.by_source[0].orders, 2);
    let e = error(
        cab.get(&format!(
            "/reports?from={today}&to={}",
            today.pred_opt().unwrap()
        ))
        .await,
        422,
    )
    .await;
    assert_eq!(paths(&e), ["to"]);
}

#[tokio::test]
async fn changes_need_the_csrf_token_and_the_cabinets_own_origin() {
    let cab = Cabinet::sign_up().await;
    let no_token = http()
        .post(format!("{}/api/cabinet/sites", worker_url()))
        .header("Cookie", format!("rb_session={}", cab.session))
        .json(&json!({ "domain": "okna.ru" }))
        .send()
        .await
        .unwrap();
    assert_eq!(error(no_token, 403).await.error, "csrf");
    let wrong_token = http()
        .post(format!("{}/api/cabinet/sites", worker_url()))
        .header("Cookie", format!("rb_session={}", cab.session))
        .header("X-CSRF-Token", "forged")
        .json(&json!({ "domain": "okna.ru" }))
        .send()
        .await
        .unwrap();
    assert_eq!(error(wrong_token, 403).await.error, "csrf");
    let cross_site = cab
        .request(reqwest::Method::POST, "/sites")
        .header("Origin", "https://evil.example")
        .json(&json!({ "domain": "okna.ru" }))
        .send()
        .await
        .unwrap();
    assert_eq!(error(cross_site, 403).await.error, "csrf");
    let list: Vec<SiteView> = Cabinet::ok(cab.get("/sites").await, 200).await;
    assert!(list.is_empty(), "nothing was created");
}

#[tokio::test]
async fn the_demo_login_that_xtask_dev_prints_opens_the_demo_account() {
    let res = http()
        .post(format!("{}/api/cabinet/login", worker_url()))
        .header("X-Ringback-Dev-Ip", ip())
        .json(&json!({ "email": "demo@ringback.test", "password": "demo-password" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "the seeded demo login");
    let session = session_from(&res).unwrap();
    let me: Me = res.json().await.unwrap();
    assert_eq!(me.account_id, 1);
    let sites: Vec<shared::cabinet_api::SiteView> = http()
        .get(format!("{}/api/cabinet/sites", worker_url()))
        .header("Cookie", format!("rb_session={session}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(sites.iter().any(|s| s.key == "demo"), "{sites:?}");
}

#[tokio::test]
async fn pale_colors_are_saved_with_a_contrast_warning() {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w: WidgetView = Cabinet::ok(
        cab.post(
            &format!("/sites/{}/widgets", site.id),
            json!({ "name": "Pale", "kind": "standard" }),
        )
        .await,
        201,
    )
    .await;
    assert!(w.warnings.is_empty(), "{:?}", w.warnings);
    let mut s = w.settings.clone();
    s.forwarding = shared::forwarding::Forwarding::to("+74951234567");
    s.appearance.working.button.icon_color = "#ffeb3b".parse().unwrap();
    s.appearance.working.button.color = "#ffffff".parse().unwrap();
    let saved: WidgetView = Cabinet::ok(
        cab.put(
            &format!("/widgets/{}", w.id),
            serde_json::to_value(&s).unwrap(),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(saved.warnings.len(), 1, "{:?}", saved.warnings);
    assert!(
        saved.warnings[0].contains("hard to see"),
        "{:?}",
        saved.warnings
    );
}

#[tokio::test]
async fn a_50_mb_upload_is_refused_before_it_is_read() {
    let cab = Cabinet::sign_up().await;
    fifty_megabytes_are_refused(|| {
        cab.request(reqwest::Method::POST, "/images?use=logo")
            .header("Content-Type", "image/png")
    })
    .await;
}

#[tokio::test]
async fn an_upload_is_read_up_to_1_mb_so_a_file_a_little_too_large_hears_why() {
    let cab = Cabinet::sign_up().await;
    // A 200×50 PNG's header (signature, IHDR), then padding: measurable, but too many bytes.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend_from_slice(&200u32.to_be_bytes());
    png.extend_from_slice(&50u32.to_be_bytes());
    png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    for with_length in [true, false] {
        // Between SPEC's 600 KB and the 1 MB read, the file is measured and refused with its
        // reason; over 1 MB it is not read.
        let upload = |len| {
            streamed_body(
                cab.request(reqwest::Method::POST, "/images?use=logo"),
                &png,
                len,
                with_length,
            )
            .send()
        };
        let e = error(upload(1024 * 1024).await.unwrap(), 422).await;
        assert_eq!(paths(&e), ["image.bytes"], "{}", e.message);
        let e = error(upload(1024 * 1024 + 1).await.unwrap(), 413).await;
        assert!(e.message.contains("1 MB"), "{}", e.message);
    }
}
