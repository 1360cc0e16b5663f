//! The widget on a page, in headless Chromium (SPEC §2): every element, both variants, the
//! mobile layout, the auto-show scenarios on a fast clock, the JS API, a hostile site
//! stylesheet, an invalid and a refused number, and orders that reach the worker.
//!
//! Each test signs up its own account with a site on 127.0.0.1 and opens
//! `/demo/blank.html?site=KEY&speed=60`: a page whose stylesheet tries to restyle `*`,
//! `button`, `input`, `select`, `div` and `img`, loading the one script tag of that site with
//! the widget's own timers 60 times faster.

use fantoccini::key::Key;
use fantoccini::Client;
use ringback_e2e::{browser, csp_violations, eventually, phone, watch_csp, worker_url, Cabinet};
use serde_json::{json, Value};
use shared::autoshow::{AutoShow, Opens, Scenario};
use shared::schedule::WeekGrid;
use shared::widget::WidgetSettings;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

/// An account with an active widget set up by `edit` (auto-show off unless `edit` turns it on).
async fn site_with(edit: impl FnOnce(&mut WidgetSettings)) -> (Cabinet, String, i64) {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab
        .active_widget(site.id, |s| {
            s.auto_show.scenario = Scenario::Disabled;
            edit(s)
        })
        .await;
    (cab, site.key, w.id)
}

/// Opens the test page of site `key` and waits for the widget's button.
async fn page(client: &Client, key: &str) {
    open(
        client,
        &format!("{}/demo/blank.html?site={key}&speed=60", worker_url()),
    )
    .await;
}

/// Opens `url`, keeps every event of the widget for the test to read, and waits for the
/// widget's button.
async fn open(client: &Client, url: &str) {
    client.goto(url).await.unwrap();
    client
        .execute(
            "window.events = []; (function wait() { if (!window.Ringback) return setTimeout(wait, 20); \
             ['open', 'order', 'close'].forEach(t => Ringback.on(t, e => events.push([e.type, e.detail]))); })();",
            vec![],
        )
        .await
        .unwrap();
    shadow(client, "[data-rb=button]").await;
}

/// Runs `body` (JS with `root`, the widget's shadow root) and returns its value.
async fn in_widget(client: &Client, body: &str) -> Value {
    client
        .execute(
            &format!(
                "const host = document.querySelector('ringback-widget'); \
                 const root = host && host.shadowRoot; if (!root) return null; {body}"
            ),
            vec![],
        )
        .await
        .unwrap()
}

/// Waits for an element of the widget matching `selector` to be shown; returns its text.
async fn shadow(client: &Client, selector: &str) -> String {
    eventually(selector, WAIT, || async {
        let v = in_widget(
            client,
            &format!(
                "const e = root.querySelector('{selector}'); \
                 return e && e.getClientRects().length ? e.textContent : null;"
            ),
        )
        .await;
        v.as_str().map(str::to_string)
    })
    .await
}

/// Whether an element matching `selector` is shown now.
async fn shown(client: &Client, selector: &str) -> bool {
    in_widget(
        client,
        &format!("const e = root.querySelector('{selector}'); return !!(e && e.getClientRects().length);"),
    )
    .await
        == json!(true)
}

async fn click(client: &Client, selector: &str) {
    shadow(client, selector).await;
    in_widget(
        client,
        &format!("root.querySelector('{selector}').click(); return 1;"),
    )
    .await;
}

/// Types `text` into the widget's field `selector`: the value changes and the field hears an
/// `input` event, as when a person types or pastes.
async fn type_into(client: &Client, selector: &str, text: &str) {
    shadow(client, selector).await;
    in_widget(
        client,
        &format!(
            "const e = root.querySelector('{selector}'); e.focus(); e.value = {text:?}; \
             e.dispatchEvent(new Event('input', {{ bubbles: true }})); return 1;"
        ),
    )
    .await;
}

/// Presses `key` on whatever has the focus (the keyboard, not a script).
async fn press(client: &Client, key: Key) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let value: char = key.into();
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value })
        .then(KeyAction::Up { value });
    client.perform_actions(keys).await.unwrap();
}

/// How many widgets the page holds.
async fn hosts(client: &Client) -> Value {
    client
        .execute(
            "return document.querySelectorAll('ringback-widget').length",
            vec![],
        )
        .await
        .unwrap()
}

/// Gives widget `id` the condition set `set` (conditions change only while it is switched off).
async fn set_conditions(cab: &Cabinet, id: i64, set: &shared::conditions::ConditionSet) {
    let (off, on) = (
        format!("/widgets/{id}/deactivate"),
        format!("/widgets/{id}/activate"),
    );
    Cabinet::ok::<Value>(cab.post(&off, json!({})).await, 200).await;
    let body = serde_json::to_value(set).unwrap();
    Cabinet::ok::<Value>(
        cab.post(&format!("/widgets/{id}/conditions"), body).await,
        201,
    )
    .await;
    Cabinet::ok::<Value>(cab.post(&on, json!({})).await, 200).await;
}

async fn events(client: &Client) -> Vec<(String, String)> {
    let v = client
        .execute("return window.events || [];", vec![])
        .await
        .unwrap();
    serde_json::from_value(v).unwrap()
}

/// The id of the order the widget reported in its `order` event.
async fn ordered_id(client: &Client) -> String {
    eventually("the order event", WAIT, || async {
        events(client)
            .await
            .into_iter()
            .find(|(t, _)| t == "order")
            .map(|(_, id)| id)
    })
    .await
}

#[tokio::test]
async fn a_call_now_order_with_an_invalid_number_first_then_the_timer() {
    let (cab, key, _) = site_with(|s| s.appearance.working.form.name_field = true).await;
    let client = browser().await;
    page(&client, &key).await;
    click(&client, "[data-rb=button]").await;
    shadow(&client, "[data-rb=form]").await;
    assert!(
        shown(&client, "[data-rb=illustration]").await,
        "modern style"
    );
    assert!(shown(&client, "[data-rb=consent]").await);
    // An invalid number: the visitor sees what to fix; nothing is sent.
    type_into(&client, "[data-rb=phone]", "916 12").await;
    click(&client, "[data-rb=now]").await;
    let error = shadow(&client, "[data-rb=phone-error]").await;
    assert_eq!(error, "Check the number: digits are missing or extra");
    assert_eq!(
        in_widget(
            &client,
            "return root.querySelector('[data-rb=phone]').getAttribute('aria-invalid');"
        )
        .await,
        "true"
    );
    // The mask formats what is typed.
    let number = phone();
    type_into(&client, "[data-rb=phone]", &number[2..]).await;
    let typed = in_widget(
        &client,
        "return root.querySelector('[data-rb=phone]').value;",
    )
    .await;
    assert_eq!(
        typed,
        format!(
            "+7 ({}) {}-{}-{}",
            &number[2..5],
            &number[5..8],
            &number[8..10],
            &number[10..]
        )
    );
    type_into(&client, "[data-rb=name]", "Anna").await;
    click(&client, "[data-rb=now]").await;
    // The countdown timer counts from 30 s.
    let seconds = shadow(&client, "[data-rb=seconds]").await;
    assert!(seconds.starts_with("00:"), "{seconds}");
    let id = ordered_id(&client).await;
    let d = cab.order(&id).await;
    assert_eq!(d.order.phone, number);
    assert_eq!(d.order.name.as_deref(), Some("Anna"));
    // At zero (half a second at x60) the after-order message takes the timer's place.
    let message = shadow(&client, "[data-rb=message]").await;
    assert_eq!(message, "Thank you! We will call you shortly");
    client.close().await.unwrap();
}

/// The README's "what a customer's strict CSP needs", for real: `/demo/strict-csp.html` is a
/// page on 127.0.0.1 whose policy allows only those lines, with the widget loaded from
/// `localhost` (another origin, as Ringback is to a customer's site). The widget shows its
/// button, opens its form with its illustration and sends an order, and the browser refuses
/// nothing; an inline script, which the policy does not allow, is refused (the policy is on).
#[tokio::test]
async fn the_widget_works_on_a_site_with_the_strict_policy_the_readme_gives() {
    let (cab, key, _) = site_with(|_| {}).await;
    let client = browser().await;
    watch_csp(&client).await;
    let ringback = worker_url().replace("://127.0.0.1:", "://localhost:");
    assert_ne!(ringback, worker_url());
    open(
        &client,
        &format!(
            "{}/demo/strict-csp.html?site={key}&from={ringback}&speed=60",
            worker_url()
        ),
    )
    .await;
    let loader = client
        .execute(
            "return document.querySelector('script[data-site]').src;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(loader, json!(format!("{ringback}/w.js")));
    click(&client, "[data-rb=button]").await;
    shadow(&client, "[data-rb=form]").await;
    eventually("the form's illustration", WAIT, || async {
        let loaded = in_widget(
            &client,
            "const i = root.querySelector('[data-rb=illustration]'); return !!(i && i.complete && i.naturalWidth > 0);",
        )
        .await;
        (loaded == json!(true)).then_some(())
    })
    .await;
    let number = phone();
    type_into(&client, "[data-rb=phone]", &number[2..]).await;
    click(&client, "[data-rb=now]").await;
    let id = ordered_id(&client).await;
    assert_eq!(cab.order(&id).await.order.phone, number);
    let refused = csp_violations(&client).await;
    assert!(
        refused.is_empty(),
        "the documented policy is not enough: {refused:?}"
    );
    client
        .execute(
            "const s = document.createElement('script'); s.textContent = 'window.inlineRan = 1'; \
             document.body.appendChild(s); return 1;",
            vec![],
        )
        .await
        .unwrap();
    let ran = client
        .execute("return window.inlineRan || 0;", vec![])
        .await
        .unwrap();
    assert_eq!(ran, json!(0), "the page's policy is in force");
    let refused = csp_violations(&client).await;
    assert!(
        refused.len() == 1 && refused[0].starts_with("script-src"),
        "{refused:?}"
    );
    client.close().await.unwrap();
}

/// A call center open only three hours from now: the off-hours variant shows.
fn closed_now(s: &mut WidgetSettings) {
    let hour = (chrono::Utc::now() + chrono::Duration::hours(3 + 3)).format("%H");
    let hour: u8 = hour.to_string().parse().unwrap();
    s.call_center.zone = "Europe/Moscow".into();
    use chrono::Weekday::*;
    s.call_center.hours = WeekGrid::hours(&[Mon, Tue, Wed, Thu, Fri, Sat, Sun], hour, hour + 1);
    // The widget itself shows round the clock.
    s.display = Some(shared::schedule::Schedule {
        zone: "Europe/Moscow".into(),
        hours: WeekGrid::full(),
    });
}

#[tokio::test]
async fn off_hours_the_visitor_picks_a_time_and_is_told_when() {
    let (cab, key, _) = site_with(closed_now).await;
    let client = browser().await;
    page(&client, &key).await;
    click(&client, "[data-rb=button]").await;
    let title = shadow(&client, "#rb-title").await;
    assert_eq!(title, "We are closed right now");
    assert!(
        !shown(&client, "[data-rb=now]").await,
        "no 'call me now' off-hours"
    );
    let day = in_widget(
        &client,
        "return root.querySelector('[data-rb=day] option:checked').textContent;",
    )
    .await;
    let time = in_widget(
        &client,
        "return root.querySelector('[data-rb=time] option:checked').textContent;",
    )
    .await;
    type_into(&client, "[data-rb=phone]", &phone()[2..]).await;
    click(&client, "[data-rb=scheduled]").await;
    let message = shadow(&client, "[data-rb=message]").await;
    let day = day.as_str().unwrap().to_lowercase();
    let time = time.as_str().unwrap();
    let want = if day == "today" || day == "tomorrow" {
        format!("We will call you at {time} {day}")
    } else {
        format!("We will call you at {time} on")
    };
    assert!(message.starts_with(&want), "{message} / {want}");
    let id = ordered_id(&client).await;
    assert!(cab.order(&id).await.order.call_at > chrono::Utc::now());
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_blacklisted_number_is_refused_politely() {
    let (cab, key, _) = site_with(|_| {}).await;
    let number = phone();
    Cabinet::ok::<Value>(
        cab.post("/blacklist", json!({ "kind": "phone", "value": number }))
            .await,
        201,
    )
    .await;
    let client = browser().await;
    page(&client, &key).await;
    click(&client, "[data-rb=button]").await;
    type_into(&client, "[data-rb=phone]", &number[2..]).await;
    click(&client, "[data-rb=now]").await;
    let failure = shadow(&client, "[data-rb=failure]").await;
    assert_eq!(failure, "Sorry, we cannot call this number back");
    assert!(
        shown(&client, "[data-rb=form]").await,
        "the form stays open"
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_required_department_is_highlighted_until_chosen() {
    let cab = Cabinet::sign_up().await;
    let mut ids = Vec::new();
    for name in ["Sales", "Service"] {
        let d: Value = Cabinet::ok(
            cab.post(
                "/departments",
                json!({ "name": name, "number": "+74951234567",
                        "schedule": { "zone": "Europe/Moscow", "hours": WeekGrid::full() } }),
            )
            .await,
            201,
        )
        .await;
        ids.push(d["id"].as_i64().unwrap());
    }
    let site = cab.site().await;
    cab.active_widget(site.id, |s| {
        s.auto_show.scenario = Scenario::Disabled;
        s.departments.offered = ids.clone();
        s.departments.must_choose = true;
    })
    .await;
    let client = browser().await;
    page(&client, &site.key).await;
    click(&client, "[data-rb=button]").await;
    type_into(&client, "[data-rb=phone]", &phone()[2..]).await;
    click(&client, "[data-rb=now]").await;
    eventually("the highlight", WAIT, || async {
        let v = in_widget(
            &client,
            "return root.querySelector('[data-rb=department]').classList.contains('rb-highlight');",
        )
        .await;
        (v == json!(true)).then_some(())
    })
    .await;
    in_widget(
        &client,
        &format!(
            "const s = root.querySelector('[data-rb=department]'); s.value = '{}'; \
             s.dispatchEvent(new Event('change')); return 1;",
            ids[1]
        ),
    )
    .await;
    click(&client, "[data-rb=now]").await;
    let id = ordered_id(&client).await;
    assert_eq!(
        cab.order(&id).await.order.department.as_deref(),
        Some("Service")
    );
    client.close().await.unwrap();
}

/// Computed styles of the open form's parts that a site's CSS would most like to change.
const FORM_LOOK: &str = "const look = e => { const s = getComputedStyle(e); \
    return [s.fontFamily, s.fontSize, s.lineHeight, s.letterSpacing, s.color, s.backgroundColor, \
            s.borderTopStyle, s.borderTopColor, s.width, s.height, s.padding, s.display, s.opacity]; }; \
    return ['.rb-panel', '[data-rb=phone]', '[data-rb=now]', '[data-rb=pick-time]', \
            '[data-rb=illustration]', '#rb-title', '.rb-consent'].map(q => look(root.querySelector(q)));";

#[tokio::test]
async fn the_sites_stylesheet_cannot_restyle_the_form() {
    let (_cab, key, _) = site_with(|_| {}).await;
    let client = browser().await;
    page(&client, &key).await;
    click(&client, "[data-rb=button]").await;
    shadow(&client, "[data-rb=phone]").await;
    // The panel slides in: measure once it has settled.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let styled = in_widget(&client, FORM_LOOK).await;
    // blank.html restyles `*`, `button`, `input`, `select`, `div`, `p` and `img`.
    assert!(!styled.to_string().contains("Georgia"), "{styled}");
    assert_eq!(styled[1][1], "17px", "the phone field's own font size");
    assert_eq!(styled[4][11], "block", "the illustration shows");
    let plain = in_widget(
        &client,
        &format!("document.querySelectorAll('style').forEach(e => e.remove()); {FORM_LOOK}"),
    )
    .await;
    assert_eq!(styled, plain, "the site's stylesheet changed the form");
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_dialog_keeps_the_focus_and_returns_it_on_escape() {
    let (_cab, key, _) = site_with(|_| {}).await;
    let client = browser().await;
    page(&client, &key).await;
    in_widget(
        &client,
        "root.querySelector('[data-rb=button]').focus(); return 1;",
    )
    .await;
    let active =
        "const a = root.activeElement; return a ? (a.dataset.rb || a.id || a.tagName) : null;";
    // Enter on the focused button opens the form, whose first control takes the focus.
    press(&client, Key::Enter).await;
    shadow(&client, "[data-rb=form]").await;
    assert_eq!(in_widget(&client, active).await, "close");
    // Tabbing past the last control comes back to the first.
    let mut seen = Vec::new();
    for _ in 0..8 {
        press(&client, Key::Tab).await;
        seen.push(in_widget(&client, active).await);
    }
    assert!(
        seen.iter().all(|s| !s.is_null()),
        "the focus left the dialog: {seen:?}"
    );
    assert!(seen.contains(&json!("close")), "{seen:?}");
    press(&client, Key::Escape).await;
    eventually("the form to close", WAIT, || async {
        (!shown(&client, "[data-rb=form]").await).then_some(())
    })
    .await;
    assert_eq!(in_widget(&client, active).await, "button");
    let types: Vec<String> = events(&client).await.into_iter().map(|e| e.0).collect();
    assert_eq!(types, ["open", "close"]);
    client.close().await.unwrap();
}

/// How long after loading the page an automatic open came, if it did within `wait`.
async fn auto_opened(client: &Client, what: &str, wait: Duration) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < wait {
        if shown(client, what).await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

fn scenario(s: Scenario, opens: Opens) -> impl FnOnce(&mut WidgetSettings) {
    move |w| {
        w.auto_show = AutoShow {
            scenario: s,
            exit_intent: false,
            opens,
        }
    }
}

#[tokio::test]
async fn once_per_session_opens_once_and_not_again_on_the_next_page() {
    // 15 s at x60: a quarter of a second.
    let (_cab, key, _) = site_with(scenario(
        Scenario::OncePerSession { after_secs: 15 },
        Opens::Form,
    ))
    .await;
    let client = browser().await;
    page(&client, &key).await;
    assert!(auto_opened(&client, "[data-rb=form]", WAIT).await);
    assert_eq!(
        events(&client).await[0],
        ("open".to_string(), "form".to_string())
    );
    click(&client, "[data-rb=close]").await;
    page(&client, &key).await;
    assert!(!auto_opened(&client, "[data-rb=form]", Duration::from_secs(2)).await);
    client.close().await.unwrap();
}

#[tokio::test]
async fn periodic_opens_again_after_closing_until_the_visitor_orders() {
    let (_cab, key, _) = site_with(scenario(
        Scenario::Periodic { every_secs: 30 },
        Opens::Invitation,
    ))
    .await;
    let client = browser().await;
    page(&client, &key).await;
    for _ in 0..2 {
        assert!(auto_opened(&client, "[data-rb=invitation]", WAIT).await);
        click(&client, "[data-rb=close]").await;
    }
    // The invitation leads to the form; after an order nothing opens by itself any more.
    assert!(auto_opened(&client, "[data-rb=invitation]", WAIT).await);
    click(&client, "[data-rb=accept]").await;
    type_into(&client, "[data-rb=phone]", &phone()[2..]).await;
    click(&client, "[data-rb=now]").await;
    ordered_id(&client).await;
    shadow(&client, "[data-rb=message]").await;
    click(&client, "[data-rb=close]").await;
    assert!(!auto_opened(&client, "[data-rb=invitation]", Duration::from_secs(2)).await);
    client.close().await.unwrap();
}

#[tokio::test]
async fn disabled_never_opens_and_dynamic_falls_back_to_25_seconds() {
    let (_c1, off, _) = site_with(scenario(Scenario::Disabled, Opens::Form)).await;
    let (_c2, dynamic, _) = site_with(scenario(Scenario::Dynamic, Opens::Form)).await;
    let client = browser().await;
    page(&client, &off).await;
    assert!(!auto_opened(&client, "[data-rb=form]", Duration::from_secs(2)).await);
    client.close().await.unwrap();
    let client = browser().await;
    page(&client, &dynamic).await;
    let start = std::time::Instant::now();
    assert!(auto_opened(&client, "[data-rb=form]", WAIT).await);
    // 25 s at x60 is about 0.4 s.
    assert!(start.elapsed() < Duration::from_secs(5));
    client.close().await.unwrap();
}

#[tokio::test]
async fn exit_intent_opens_when_the_pointer_leaves_through_the_top() {
    let (_cab, key, _) = site_with(|s| {
        s.auto_show = AutoShow {
            scenario: Scenario::Disabled,
            exit_intent: true,
            opens: Opens::Form,
        }
    })
    .await;
    let client = browser().await;
    page(&client, &key).await;
    let leave = |y: i32| {
        format!("document.dispatchEvent(new MouseEvent('mouseout', {{ bubbles: true, clientY: {y}, relatedTarget: null }})); return 1;")
    };
    // Leaving through the side does nothing; through the top opens the form.
    client.execute(&leave(300), vec![]).await.unwrap();
    assert!(!auto_opened(&client, "[data-rb=form]", Duration::from_secs(1)).await);
    client.execute(&leave(-2), vec![]).await.unwrap();
    assert!(auto_opened(&client, "[data-rb=form]", WAIT).await);
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_js_api_opens_closes_disables_and_orders_from_the_sites_own_form() {
    let (cab, key, _) = site_with(|_| {}).await;
    let client = browser().await;
    page(&client, &key).await;
    client
        .execute("Ringback.open(); return 1;", vec![])
        .await
        .unwrap();
    shadow(&client, "[data-rb=form]").await;
    client
        .execute("Ringback.close(); return 1;", vec![])
        .await
        .unwrap();
    eventually("closed", WAIT, || async {
        (!shown(&client, "[data-rb=form]").await).then_some(())
    })
    .await;
    // The site's own form: a bad number is rejected with what to fix.
    let bad = client
        .execute_async(
            "const done = arguments[0]; Ringback.order({ phone: '12' }).then(a => done(['ok', a]), e => done(['error', e.message, e.status]));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(bad[0], "error", "{bad}");
    assert_eq!(bad[2], 422, "{bad}");
    let number = phone();
    let ok = client
        .execute_async(
            &format!("const done = arguments[0]; Ringback.order({{ phone: '{number}', name: 'Site form', fields: {{ address: 'Tverskaya 1' }} }}).then(a => done(['ok', a]), e => done(['error', e.message]));"),
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(ok[0], "ok", "{ok}");
    let id = ok[1]["order_id"].as_str().unwrap().to_string();
    assert_eq!(
        cab.order(&id).await.order.name.as_deref(),
        Some("Site form")
    );
    // The widget confirms it like its own orders.
    shadow(&client, "[data-rb=seconds]").await;
    let types: Vec<String> = events(&client).await.into_iter().map(|e| e.0).collect();
    assert_eq!(types, ["open", "close", "order"]);
    client
        .execute("Ringback.disable(); return 1;", vec![])
        .await
        .unwrap();
    eventually("the widget gone", WAIT, || async {
        (!shown(&client, "[data-rb=button]").await).then_some(())
    })
    .await;
    client
        .execute("Ringback.open(); return 1;", vec![])
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !shown(&client, "[data-rb=form]").await,
        "disabled stays disabled"
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_single_page_site_gets_a_new_decision_on_every_navigation() {
    use shared::conditions::{ConditionSet, Effect, PageMatch, PageRule};
    let (cab, key, id) = site_with(|_| {}).await;
    let set = ConditionSet {
        name: "Not on pages without the widget".into(),
        active: true,
        pages: vec![PageRule {
            matching: PageMatch::Contains,
            value: "/no-widget".into(),
            effect: Effect::Deny,
        }],
        ..ConditionSet::default()
    };
    set_conditions(&cab, id, &set).await;
    let client = browser().await;
    page(&client, &key).await;
    client
        .execute(
            "history.pushState({}, '', '/demo/no-widget?site=x'); return 1;",
            vec![],
        )
        .await
        .unwrap();
    eventually("the widget to go", WAIT, || async {
        (hosts(&client).await == json!(0)).then_some(())
    })
    .await;
    client
        .execute("history.back(); return 1;", vec![])
        .await
        .unwrap();
    eventually("the widget to come back", WAIT, || async {
        (hosts(&client).await == json!(1)).then_some(())
    })
    .await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_phone_gets_the_mobile_layout() {
    let (_cab, key, _) = site_with(|s| s.appearance.mobile.button_size = Some(52)).await;
    let client = ringback_e2e::mobile_browser().await;
    page(&client, &key).await;
    let size = in_widget(
        &client,
        "return root.querySelector('[data-rb=button]').getBoundingClientRect().width;",
    )
    .await;
    assert_eq!(size, 52.0);
    click(&client, "[data-rb=button]").await;
    shadow(&client, "[data-rb=form]").await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let sheet = in_widget(
        &client,
        "const p = root.querySelector('.rb-panel').getBoundingClientRect(); \
         return [p.left === 0, Math.round(p.right) === document.documentElement.clientWidth, \
                 Math.round(p.bottom) === document.documentElement.clientHeight];",
    )
    .await;
    assert_eq!(
        sheet,
        json!([true, true, true]),
        "a bottom sheet across the screen"
    );
    client.close().await.unwrap();
}

/// A promo widget (promo ending in three days, plate countdown) of a fresh account, active.
async fn promo_site(edit: impl FnOnce(&mut WidgetSettings)) -> (Cabinet, String) {
    use shared::promo::{Promo, PromoTimer, TimerFormat, TimerStyle};
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w: shared::cabinet_api::WidgetView = Cabinet::ok(
        cab.post(
            &format!("/sites/{}/widgets", site.id),
            json!({ "name": "Autumn sale", "kind": "promo" }),
        )
        .await,
        201,
    )
    .await;
    let mut s = w.settings.clone();
    s.call_center.hours = WeekGrid::full();
    s.forwarding = shared::forwarding::Forwarding::to("+74951234567");
    s.auto_show.scenario = Scenario::Disabled;
    s.appearance.working.form.name_field = true;
    let now = chrono::Utc::now();
    s.promo = Some(Promo {
        starts_at: now - chrono::Duration::days(1),
        ends_at: now + chrono::Duration::days(3) + chrono::Duration::minutes(5 * 60 + 30),
        auto_extend: false,
        timer: Some(PromoTimer {
            style: TimerStyle::Plate,
            format: TimerFormat::DHM,
            show_zeros: false,
            color: "#c5221f".parse().unwrap(),
            text_before: "The sale ends in".into(),
        }),
        image: None,
    });
    edit(&mut s);
    Cabinet::ok::<Value>(
        cab.put(
            &format!("/widgets/{}", w.id),
            serde_json::to_value(&s).unwrap(),
        )
        .await,
        200,
    )
    .await;
    Cabinet::ok::<Value>(
        cab.post(&format!("/widgets/{}/activate", w.id), json!({}))
            .await,
        200,
    )
    .await;
    (cab, site.key)
}

const PHONE_UA: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36";
const DESKTOP_UA: &str =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";

/// *decide*'s render model of site `key` for a browser with `ua`, in English.
async fn model(key: &str, ua: &str) -> Value {
    let url = format!("{}/demo/gallery.html", worker_url());
    let answer: Value = ringback_e2e::http()
        .get(format!("{}/api/v1/decide", worker_url()))
        .query(&[
            ("site", key),
            ("url", &url),
            ("lang", "en"),
            ("tz", "Europe/Moscow"),
        ])
        .header("User-Agent", ua)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["widget"].clone()
}

/// Opens the gallery page and waits for its `show(model, screen)`.
async fn gallery(client: &Client) {
    client
        .goto(&format!("{}/demo/gallery.html", worker_url()))
        .await
        .unwrap();
    eventually("the gallery", WAIT, || async {
        let ready = client
            .execute("return !!window.galleryReady;", vec![])
            .await
            .unwrap();
        (ready == json!(true)).then_some(())
    })
    .await;
}

async fn show(client: &Client, model: &Value, screen: &str) {
    client
        .execute(
            "show(arguments[0], arguments[1]); return 1;",
            vec![model.clone(), json!(screen)],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn every_element_in_both_variants_and_both_layouts() {
    let (_c1, working) = promo_site(|_| {}).await;
    let (_c2, closed) = promo_site(closed_now).await;
    // `RINGBACK_SCREENSHOTS=dir` keeps a picture of each for the README (docs/screenshots).
    let keep = std::env::var_os("RINGBACK_SCREENSHOTS").map(std::path::PathBuf::from);
    for (layout, ua) in [("desktop", DESKTOP_UA), ("mobile", PHONE_UA)] {
        let client = if layout == "mobile" {
            ringback_e2e::mobile_browser().await
        } else {
            browser().await
        };
        gallery(&client).await;
        for (mode, key) in [("working", &working), ("off-hours", &closed)] {
            let m = model(key, ua).await;
            assert_eq!(m["layout"], layout, "{m}");
            assert_eq!(m["mode"], mode.replace('-', "_"), "{m}");
            let mut elements = vec![
                ("button", "", "[data-rb=button]"),
                ("form", "form", "[data-rb=form]"),
                ("invitation", "invitation", "[data-rb=invitation]"),
                ("after-order", "after_order", "[data-rb=message]"),
            ];
            // "Not shown off-hours."
            if mode == "working" {
                elements.push(("timer", "timer", "[data-rb=seconds]"));
            }
            for (name, screen, selector) in elements {
                show(&client, &m, screen).await;
                shadow(&client, selector).await;
                if screen == "form" {
                    // The promo countdown of the promo widget, plate style, D/H/M.
                    let promo = shadow(&client, "[data-rb=promo]").await;
                    assert!(
                        promo.starts_with("The sale ends in03days05hours"),
                        "{promo}"
                    );
                    let picker = shown(&client, "[data-rb=day]").await;
                    assert_eq!(picker, mode == "off-hours", "only a time off-hours");
                }
                if let Some(dir) = &keep {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    std::fs::create_dir_all(dir).unwrap();
                    let png = client.screenshot().await.unwrap();
                    std::fs::write(dir.join(format!("{layout}-{mode}-{name}.png")), png).unwrap();
                }
            }
        }
        client.close().await.unwrap();
    }
}

#[tokio::test]
async fn the_promo_countdown_in_every_style_and_format() {
    use shared::promo::{countdown, TimerFormat, TimerStyle};
    let (_cab, key) = promo_site(|_| {}).await;
    let base = model(&key, DESKTOP_UA).await;
    let client = browser().await;
    gallery(&client).await;
    let formats = [
        TimerFormat::D,
        TimerFormat::DH,
        TimerFormat::DHM,
        TimerFormat::DHMS,
    ];
    for style in TimerStyle::ALL {
        for format in formats.into_iter().filter(|f| style.formats().contains(f)) {
            for show_zeros in [false, true] {
                let mut m = base.clone();
                m["promo"]["timer"]["style"] = serde_json::to_value(style).unwrap();
                m["promo"]["timer"]["format"] = serde_json::to_value(format).unwrap();
                m["promo"]["timer"]["show_zeros"] = json!(show_zeros);
                show(&client, &m, "form").await;
                let text = shadow(&client, "[data-rb=promo]").await;
                let ends = chrono::DateTime::from_timestamp_millis(
                    m["promo"]["ends_at"].as_i64().unwrap(),
                )
                .unwrap();
                let units = countdown(ends - chrono::Utc::now(), format, show_zeros).len();
                let drawn = in_widget(
                    &client,
                    "return root.querySelectorAll('[data-rb=promo] .rb-unit').length;",
                )
                .await;
                let label = format!("{style:?} {format:?} zeros={show_zeros}: {text}");
                if style == TimerStyle::Text {
                    assert_eq!(drawn, 0, "{label}");
                    assert!(text.contains("days"), "{label}");
                } else {
                    assert_eq!(drawn, units, "{label}");
                }
            }
        }
    }
    client.close().await.unwrap();
}

#[tokio::test]
async fn axe_finds_no_serious_or_critical_problem_in_the_open_form() {
    let (_cab, key) = promo_site(|s| {
        s.departments.must_choose = false;
    })
    .await;
    let root = std::env::var("RINGBACK_ROOT").unwrap_or_else(|_| ".".into());
    let axe = std::fs::read_to_string(format!("{root}/node_modules/axe-core/axe.min.js"))
        .expect("axe-core from npm (cargo xtask installs it)");
    for client in [browser().await, ringback_e2e::mobile_browser().await] {
        page(&client, &key).await;
        click(&client, "[data-rb=button]").await;
        shadow(&client, "[data-rb=form]").await;
        // The invalid-number message shows too: it must be as readable as the rest.
        click(&client, "[data-rb=now]").await;
        shadow(&client, "[data-rb=phone-error]").await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        client.execute(&axe, vec![]).await.unwrap();
        let found = client
            .execute_async(
                "const done = arguments[0]; \
                 axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations \
                   .map(v => ({ id: v.id, impact: v.impact, help: v.help, \
                     nodes: v.nodes.filter(n => JSON.stringify(n.target).includes('ringback-widget')) \
                       .map(n => n.target) })) \
                   .filter(v => v.nodes.length && (v.impact === 'serious' || v.impact === 'critical'))));",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(found, json!([]), "{found:#}");
        client.close().await.unwrap();
    }
}

#[tokio::test]
async fn a_widget_matched_by_traffic_stays_for_the_rest_of_the_session() {
    use shared::conditions::{ConditionSet, Effect, TrafficRule, TrafficRules};
    // The first widget shows only to visitors from the "vk" campaign; the second to everyone.
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let vk = cab
        .active_widget(site.id, |s| s.auto_show.scenario = Scenario::Disabled)
        .await;
    let set = ConditionSet {
        name: "From vk".into(),
        active: true,
        traffic: TrafficRules {
            rules: vec![TrafficRule {
                source: Some("vk".into()),
                effect: Effect::Allow,
                ..TrafficRule::default()
            }],
            ..TrafficRules::default()
        },
        ..ConditionSet::default()
    };
    set_conditions(&cab, vk.id, &set).await;
    let everyone = cab
        .active_widget(site.id, |s| {
            s.auto_show.scenario = Scenario::Disabled;
            s.appearance.working.button.color = "#188038".parse().unwrap();
        })
        .await;
    let client = browser().await;
    let color = "return getComputedStyle(root.querySelector('[data-rb=button]')).backgroundColor;";
    // Arriving from the campaign: the vk widget, pinned.
    client
        .goto(&format!(
            "{}/demo/blank.html?site={}&speed=60&utm_source=vk",
            worker_url(),
            site.key
        ))
        .await
        .unwrap();
    shadow(&client, "[data-rb=button]").await;
    assert_eq!(in_widget(&client, color).await, "rgb(26, 115, 232)");
    // The next page of the session has no utm_source any more: still the vk widget.
    page(&client, &site.key).await;
    assert_eq!(in_widget(&client, color).await, "rgb(26, 115, 232)");
    client.close().await.unwrap();
    // A new session without the campaign gets the widget for everyone.
    let client = browser().await;
    page(&client, &site.key).await;
    assert_eq!(in_widget(&client, color).await, "rgb(24, 128, 56)");
    assert!(everyone.id > vk.id);
    client.close().await.unwrap();
}

#[tokio::test]
async fn where_no_widget_shows_nothing_but_the_loader_and_decide_is_downloaded() {
    // An account whose only widget is switched off.
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    let off = format!("/widgets/{}/deactivate", w.id);
    Cabinet::ok::<Value>(cab.post(&off, json!({})).await, 200).await;
    let client = browser().await;
    client
        .goto(&format!(
            "{}/demo/blank.html?site={}",
            worker_url(),
            site.key
        ))
        .await
        .unwrap();
    eventually("decide's answer", WAIT, || async {
        let v = client
            .execute(
                "const r = performance.getEntriesByType('resource').map(e => new URL(e.name).pathname); \
                 return r.includes('/api/v1/decide') ? r : null;",
                vec![],
            )
            .await
            .unwrap();
        (!v.is_null()).then_some(v)
    })
    .await;
    // Give an eager loader time to fetch more, if it wrongly would.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let fetched = client
        .execute(
            "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname) \
               .filter(p => p !== '/favicon.ico');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(fetched, json!(["/w.js", "/api/v1/decide"]), "{fetched}");
    assert_eq!(hosts(&client).await, 0);
    client.close().await.unwrap();
}

#[tokio::test]
async fn texts_follow_the_pages_language_unless_the_widget_fixes_one() {
    use shared::appearance::LangSetting;
    let (_c1, auto, _) = site_with(|_| {}).await;
    let (_c2, fixed, _) = site_with(|s| s.appearance.lang = LangSetting::En).await;
    let client = browser().await;
    for (key, lang, title) in [
        (&auto, "ru", "Перезвоним за 30 секунд"),
        (&auto, "en-GB", "We'll call you back in 30 seconds"),
        (&fixed, "ru", "We'll call you back in 30 seconds"),
    ] {
        client
            .goto(&format!(
                "{}/demo/blank.html?site={key}&lang={lang}",
                worker_url()
            ))
            .await
            .unwrap();
        click(&client, "[data-rb=button]").await;
        assert_eq!(shadow(&client, "#rb-title").await, title, "{lang}");
    }
    client.close().await.unwrap();
}

/// Issue 11: a site added as `окна.рф` shows its widget: browsers send the ASCII form
/// (`xn--80atjc.xn--p1ai`) in `Origin`, and the site is stored and compared in that form.
#[tokio::test]
async fn a_site_added_as_an_internationalized_domain_shows_its_widget() {
    let cab = Cabinet::sign_up().await;
    // Each test's own domain under .рф, so that tests of other runs never share it.
    let label = format!("окна{}", fastrand::u32(..));
    let site: shared::cabinet_api::SiteView = Cabinet::ok(
        cab.post("/sites", json!({ "domain": format!("{label}.рф") }))
            .await,
        201,
    )
    .await;
    assert!(
        site.domain.starts_with("xn--") && site.domain.ends_with(".xn--p1ai"),
        "{}",
        site.domain
    );
    assert_eq!(site.display_domain, format!("{label}.рф"));
    cab.active_widget(site.id, |_| {}).await;
    let port = worker_url().rsplit(':').next().unwrap().to_string();
    let client = ringback_e2e::browser_resolving(&site.domain).await;
    client
        .goto(&format!(
            "http://{}:{port}/demo/blank.html?site={}&speed=60",
            site.domain, site.key
        ))
        .await
        .unwrap();
    shadow(&client, "[data-rb=button]").await;
    client.close().await.unwrap();
}

/// Issue 11 in the widget: a number the worker refuses (a premium-rate number, a country the
/// site does not call) shows the worker's reason under the field; a foreign number typed with
/// `+` is not squeezed into the site's mask; an extension stays apart.
#[tokio::test]
async fn the_visitor_reads_why_a_number_is_refused() {
    let (cab, key, _) = site_with(|_| {}).await;
    let client = browser().await;
    page(&client, &key).await;
    click(&client, "[data-rb=button]").await;
    shadow(&client, "[data-rb=form]").await;
    for (typed, shown_as, reason) in [
        (
            "8 809 123 45 67",
            "+7 (809) 123-45-67",
            "We cannot call premium-rate numbers back: leave a mobile or landline number",
        ),
        (
            "+49 89 1234567",
            "+49 89 1234567",
            "This site calls back numbers from RU only; this number is from DE",
        ),
    ] {
        type_into(&client, "[data-rb=phone]", typed).await;
        let value = in_widget(
            &client,
            "return root.querySelector('[data-rb=phone]').value;",
        )
        .await;
        assert_eq!(value, shown_as);
        click(&client, "[data-rb=now]").await;
        let error = eventually("the worker's reason", WAIT, || async {
            let text = shadow(&client, "[data-rb=phone-error]").await;
            (text == reason).then_some(text)
        })
        .await;
        assert_eq!(error, reason);
    }
    // An extension is shown beside the number and the order goes through.
    let number = phone();
    type_into(
        &client,
        "[data-rb=phone]",
        &format!("{} доб. 12", &number[2..]),
    )
    .await;
    let value = in_widget(
        &client,
        "return root.querySelector('[data-rb=phone]').value;",
    )
    .await;
    assert!(value.as_str().unwrap().ends_with(" доб. 12"), "{value}");
    click(&client, "[data-rb=now]").await;
    let id = ordered_id(&client).await;
    let d = cab.order(&id).await;
    assert_eq!(d.order.phone, number);
    assert_eq!(d.order.extension.as_deref(), Some("12"));
    let page: shared::cabinet_api::JournalPage = Cabinet::ok(cab.get("/journal").await, 200).await;
    assert_eq!(page.total, 1, "only the good number was stored");
    client.close().await.unwrap();
}
