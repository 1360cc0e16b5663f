//! The cabinet in headless Chromium (SPEC §6): the marketer's journey from sign-up to a
//! successful call in the journal and the reports, and the cabinet's refusals (editing an
//! active widget, leaving unsaved changes, a conflict, another account's widget, removing a
//! blocked number without being asked).
//!
//! The journey drives the cabinet as a person does (typing, clicking, tabbing out of fields);
//! the other tests set their accounts up through the API and log in through the page.

use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use ringback_e2e::{
    browser, csp_violations, email_in, eventually, link_token, log_len, operator, phone, sim,
    simulator_url, unique, watch_csp, worker_url, wrangler_log, Cabinet,
};
use serde_json::{json, Value};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

async fn goto(c: &Client, path: &str) {
    c.goto(&format!("{}{path}", worker_url())).await.unwrap();
}

/// The element matching `css`, once it is on the page.
async fn el(c: &Client, css: &str) -> Element {
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
}

async fn click(c: &Client, css: &str) {
    el(c, css).await.click().await.unwrap();
}

/// Types `text` into the field `css` (after clearing it) and leaves the field, as a person does.
async fn fill(c: &Client, css: &str, text: &str) {
    let e = el(c, css).await;
    e.clear().await.unwrap();
    let tab: char = Key::Tab.into();
    e.send_keys(&format!("{text}{tab}")).await.unwrap();
}

/// Types into the field `css` without leaving it.
async fn type_in(c: &Client, css: &str, text: &str) {
    let e = el(c, css).await;
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

async fn text(c: &Client, css: &str) -> String {
    el(c, css).await.text().await.unwrap()
}

/// Waits until the text of `css` contains `want`.
async fn text_comes(c: &Client, css: &str, want: &str) -> String {
    eventually(&format!("{css} to say {want:?}"), WAIT, || async {
        let found = c.find(Locator::Css(css)).await.ok()?;
        let t = found.text().await.ok()?;
        t.contains(want).then_some(t)
    })
    .await
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.unwrap()
}

/// Logs `cab`'s user in through the log-in page.
async fn log_in(c: &Client, cab: &Cabinet) {
    goto(c, "/login").await;
    fill(c, "form[data-cab=login] input[name=email]", &cab.me.email).await;
    fill(
        c,
        "form[data-cab=login] input[name=password]",
        "correct horse battery",
    )
    .await;
    click(c, "form[data-cab=login] button[type=submit]").await;
    el(c, "[data-cab=logout]").await;
}

#[tokio::test]
async fn a_marketer_goes_from_sign_up_to_a_successful_call_in_the_journal_and_reports() {
    let c = browser().await;
    // Every page of the journey runs under the cabinet's Content-Security-Policy; the browser
    // notes each violation.
    watch_csp(&c).await;
    // Sign up, then open the link of the email.
    goto(&c, "/signup").await;
    let email = format!("{}@test.ringback.dev", unique());
    fill(&c, "form[data-cab=signup] input[name=company]", "Okna").await;
    fill(&c, "form[data-cab=signup] input[name=email]", &email).await;
    fill(
        &c,
        "form[data-cab=signup] input[name=password]",
        "correct horse battery",
    )
    .await;
    let since = log_len(&wrangler_log());
    click(&c, "form[data-cab=signup] button[type=submit]").await;
    text_comes(&c, "[data-cab=signup-sent]", "Check your email").await;
    text_comes(&c, "[data-cab=signup-email]", &email).await;
    let mail = email_in(&wrangler_log(), since, &email).await;
    let token = link_token(&mail).unwrap_or_else(|| panic!("a link in {mail}"));
    goto(&c, &format!("/confirm?token={token}")).await;
    el(&c, "[data-cab=guide]").await;
    let path = js(&c, "return location.pathname + location.search;").await;
    assert_eq!(
        path,
        json!("/"),
        "the used link is gone from the address bar"
    );

    // Telephony: the simulator plays the provider.
    click(&c, "nav a[href='/telephony']").await;
    fill(&c, "input[name=base_url]", &simulator_url()).await;
    fill(&c, "input[name=account_sid]", &format!("AC{}", unique())).await;
    fill(&c, "input[name=auth_token]", "journey-token").await;
    fill(&c, "input[name=from]", "+74950000000").await;
    click(&c, "form[data-cab=telephony] button[type=submit]").await;
    text_comes(&c, "[data-cab=save-state]", "Saved").await;

    // A site and its snippet.
    click(&c, "nav a[href='/']").await;
    fill(
        &c,
        "form[data-cab=add-site] input[name=domain]",
        "127.0.0.1",
    )
    .await;
    click(&c, "form[data-cab=add-site] button[type=submit]").await;
    let snippet = text(
        &c,
        "[data-cab=site][data-domain='127.0.0.1'] [data-cab=snippet]",
    )
    .await;
    let key = snippet
        .split("data-site=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("a site key in {snippet}"))
        .to_string();
    click(&c, "[data-cab=site][data-domain='127.0.0.1'] a.cab-button").await;

    // A widget.
    fill(
        &c,
        "form[data-cab=add-widget] input[name=name]",
        "Okna callback",
    )
    .await;
    click(&c, "form[data-cab=add-widget] button[type=submit]").await;
    el(&c, "[data-cab=tab-settings]").await;

    // Schedule: every day, round the clock (a whole-day toggle per day).
    for day in 0..7 {
        click(
            &c,
            &format!("[data-grid=call-center] [data-day-toggle='{day}']"),
        )
        .await;
    }
    text_comes(&c, "[data-cab=call-center-words]", "round the clock").await;
    // Forwarding: the operator's number.
    let op = operator();
    fill(&c, "input[name=new_number]", &op).await;
    click(&c, "[data-cab=add-number]").await;
    el(&c, "input[name=number_0]").await;
    text_comes(&c, "[data-cab=save-state]", "Saved").await;

    // Conditions: shown on the demo pages only.
    click(&c, "a[data-tab=conditions]").await;
    click(&c, "[data-cab=add-set]").await;
    el(&c, "[data-cab=condition-set]").await;
    type_in(&c, "[data-cab=add-page-rule] input", "/demo/").await;
    click(&c, "[data-cab=add-page-rule] button").await;
    eventually("the page rule to be saved", WAIT, || async {
        let v = js(
            &c,
            "const e = document.querySelector('input[name=page_0]'); return e ? e.value : null;",
        )
        .await;
        (v == json!("/demo/")).then_some(())
    })
    .await;

    // The form: a title and a color of the marketer's own, seen in the preview at once.
    click(&c, "a[data-tab=form]").await;
    let title = "Call me back in 26 seconds";
    type_in(&c, "input[name=text_title]", title).await;
    eventually("the preview to show the title", WAIT, || async {
        let t = js(&c, "const p = document.querySelector('[data-cab=preview] [data-rb=form]'); return p ? p.textContent : '';").await;
        t.as_str().unwrap_or("").contains(title).then_some(())
    })
    .await;
    fill(&c, "input[name=primary]", "#d81b60").await;
    eventually("the preview to take the color", WAIT, || async {
        let style = js(&c, "const r = document.querySelector('[data-cab=preview] .rb-root'); return r ? r.getAttribute('style') : '';").await;
        style.as_str().unwrap_or("").contains("#d81b60").then_some(())
    })
    .await;
    el(&c, "[data-cab=unsaved]").await;
    click(&c, "button[data-cab=save]").await;
    text_comes(&c, "[data-cab=save-state]", "Saved").await;

    // Activate: from now on the settings are read-only.
    click(&c, "button[data-cab=activate]").await;
    el(&c, "[data-cab=locked]").await;

    // The customer's page with the snippet shows the designed widget; a visitor orders.
    let client = phone();
    sim::people(json!({
        op.clone(): { "answer": { "kind": "after", "secs": 2 }, "talk": 30 },
        client.clone(): { "answer": { "kind": "after", "secs": 2 }, "talk": 30 },
    }))
    .await;
    let refused = csp_violations(&c).await;
    assert!(
        refused.is_empty(),
        "the cabinet broke its own policy: {refused:?}"
    );
    goto(&c, &format!("/demo/blank.html?site={key}&speed=60")).await;
    let in_widget = |body: &str| {
        format!("const h = document.querySelector('ringback-widget'); const root = h && h.shadowRoot; if (!root) return null; {body}")
    };
    eventually("the widget's button", WAIT, || async {
        let b = js(
            &c,
            &in_widget(
                "const b = root.querySelector('[data-rb=button]'); if (b) b.click(); return !!b;",
            ),
        )
        .await;
        (b == json!(true)).then_some(())
    })
    .await;
    let shown_title = eventually("the designed form", WAIT, || async {
        let t = js(
            &c,
            &in_widget(
                "const f = root.querySelector('[data-rb=form]'); return f ? f.textContent : null;",
            ),
        )
        .await;
        t.as_str().filter(|t| t.contains(title)).map(String::from)
    })
    .await;
    assert!(shown_title.contains(title));
    let color = js(
        &c,
        &in_widget("return root.querySelector('.rb-root').getAttribute('style');"),
    )
    .await;
    assert!(color.as_str().unwrap().contains("#d81b60"), "{color}");
    js(&c, &in_widget(&format!(
        "const e = root.querySelector('[data-rb=phone]'); e.focus(); e.value = {:?}; \
         e.dispatchEvent(new Event('input', {{ bubbles: true }})); root.querySelector('[data-rb=now]').click(); return 1;",
        &client[2..]
    )))
    .await;

    // The simulator rings the operator, then the visitor, and bridges them.
    eventually(
        "the simulator to bridge the call",
        Duration::from_secs(60),
        || async {
            let calls = sim::calls_of(&[op.as_str()]).await;
            calls
                .iter()
                .any(|c| c.to == client && c.answered)
                .then_some(())
        },
    )
    .await;

    // The journal shows the successful call; the reports count it.
    goto(&c, "/journal").await;
    eventually("the successful call in the journal", Duration::from_secs(60), || async {
        let rows = js(&c, "return [...document.querySelectorAll('[data-cab=journal-row]')].map(r => r.dataset.state + ' ' + r.textContent).join('\\n');").await;
        let rows = rows.as_str().unwrap_or("").to_string();
        if rows.contains("success") && rows.contains(&client[2..]) {
            return Some(());
        }
        c.refresh().await.ok();
        tokio::time::sleep(Duration::from_secs(1)).await;
        None
    })
    .await;
    goto(&c, "/reports").await;
    let chart = el(&c, "[data-cab=chart-days]").await;
    let html = chart.html(false).await.unwrap();
    assert!(html.contains("<svg") || html.contains("<rect"), "{html}");
    let refused = csp_violations(&c).await;
    assert!(
        refused.is_empty(),
        "the cabinet broke its own policy: {refused:?}"
    );
    c.close().await.unwrap();
}

#[tokio::test]
async fn a_used_or_unknown_sign_up_link_offers_to_sign_up_again() {
    let c = browser().await;
    watch_csp(&c).await;
    goto(&c, "/confirm?token=not-a-token").await;
    let said = text(&c, "[data-cab=confirm-expired]").await;
    assert!(said.contains("no longer works"), "{said}");
    click(&c, "[data-cab=confirm-expired] a[href='/signup']").await;
    el(&c, "form[data-cab=signup]").await;
    let refused = csp_violations(&c).await;
    assert!(refused.is_empty(), "{refused:?}");
    c.close().await.unwrap();
}

#[tokio::test]
async fn a_preview_link_says_until_when_it_works_and_renews() {
    let (c, _cab, site, _) = logged_in_with_widget(false).await;
    goto(&c, &format!("/sites/{site}")).await;
    click(&c, "[data-cab=widget-card] [data-cab=preview-link]").await;
    let first = text(&c, "[data-cab=preview-url]").await;
    assert!(first.contains("rb_preview="), "{first}");
    let until = text(&c, "[data-cab=preview-expires]").await;
    assert!(until.contains("works until"), "{until}");
    click(&c, "[data-cab=preview-renew]").await;
    let renewed = eventually("a new link", WAIT, || async {
        let now = c
            .find(Locator::Css("[data-cab=preview-url]"))
            .await
            .ok()?
            .text()
            .await
            .ok()?;
        (now != first && now.contains("rb_preview=")).then_some(now)
    })
    .await;
    // The card shows the current link after a reload too.
    c.refresh().await.unwrap();
    text_comes(&c, "[data-cab=preview-url]", &renewed).await;
    c.close().await.unwrap();
}

/// An account with one active widget, logged in in a fresh browser.
async fn logged_in_with_widget(active: bool) -> (Client, Cabinet, i64, i64) {
    let cab = Cabinet::sign_up().await;
    let site = cab.site().await;
    let w = cab.active_widget(site.id, |_| {}).await;
    if !active {
        Cabinet::ok::<Value>(
            cab.post(&format!("/widgets/{}/deactivate", w.id), json!({}))
                .await,
            200,
        )
        .await;
    }
    let c = browser().await;
    log_in(&c, &cab).await;
    (c, cab, site.id, w.id)
}

#[tokio::test]
async fn an_active_widget_cannot_be_edited_and_the_page_says_so() {
    let (c, _cab, _, id) = logged_in_with_widget(true).await;
    goto(&c, &format!("/widgets/{id}/settings")).await;
    let banner = text(&c, "[data-cab=locked]").await;
    assert!(banner.contains("Deactivate it to change"), "{banner}");
    el(&c, "[data-cab=tab-settings]").await;
    let disabled = js(
        &c,
        "return document.querySelector('[data-cab=tab-settings] fieldset').disabled;",
    )
    .await;
    assert_eq!(disabled, json!(true));
    // Deactivating unlocks it.
    click(&c, "[data-cab=locked] button[data-cab=deactivate]").await;
    el(&c, "button[data-cab=activate]").await;
    let disabled = js(
        &c,
        "return document.querySelector('[data-cab=tab-settings] fieldset').disabled;",
    )
    .await;
    assert_eq!(disabled, json!(false));
    c.close().await.unwrap();
}

#[tokio::test]
async fn leaving_unsaved_form_changes_asks_first() {
    let (c, _cab, _, id) = logged_in_with_widget(false).await;
    goto(&c, &format!("/widgets/{id}/form")).await;
    type_in(&c, "input[name=text_title]", "Not saved yet").await;
    el(&c, "[data-cab=unsaved]").await;
    // The page's question, answered "stay" and then "leave" (the browser's own dialog, stood in
    // for so that the test reads the question).
    js(&c, "window.asked = null; window.confirm = (q) => { window.asked = q; return false; }; return 1;").await;
    click(&c, "a[data-tab=settings]").await;
    let question = js(&c, "return window.asked;").await;
    assert!(
        question.as_str().unwrap_or("").contains("unsaved changes"),
        "{question}"
    );
    assert!(c.current_url().await.unwrap().path().ends_with("/form"));
    el(&c, "[data-cab=unsaved]").await;
    js(&c, "window.confirm = () => true; return 1;").await;
    click(&c, "a[data-tab=settings]").await;
    el(&c, "[data-cab=tab-settings]").await;
    assert!(c.current_url().await.unwrap().path().ends_with("/settings"));
    c.close().await.unwrap();
}

#[tokio::test]
async fn a_conflict_appears_in_the_errors_tab_and_on_the_cards() {
    let (c, cab, site, first) = logged_in_with_widget(true).await;
    // A second widget showing everywhere the first does.
    cab.active_widget(site, |s| s.name = "Second".into()).await;
    goto(&c, &format!("/sites/{site}")).await;
    el(&c, "[data-cab=badge-conflicts]").await;
    goto(&c, &format!("/widgets/{first}/errors")).await;
    let conflict = text(&c, "[data-cab=conflict]").await;
    assert!(conflict.contains("Second"), "{conflict}");
    c.close().await.unwrap();
}

#[tokio::test]
async fn a_number_is_blocked_and_unblocked_after_a_question() {
    let cab = Cabinet::sign_up().await;
    let c = browser().await;
    log_in(&c, &cab).await;
    goto(&c, "/blacklist").await;
    text_comes(&c, "[data-cab=blacklist-empty]", "empty").await;
    // Nothing typed: the field says what to do.
    click(&c, "[data-cab=blacklist-add]").await;
    text_comes(&c, "[data-problem=value]", "phone number").await;
    type_in(&c, "[data-cab=blacklist-value]", "+7 916 123-45-67").await;
    click(&c, "[data-cab=blacklist-add]").await;
    text_comes(&c, "[data-cab=blacklist-row]", "+79161234567").await;
    // Remove asks first; Cancel keeps the number.
    click(&c, "[data-cab=blacklist-delete]").await;
    text_comes(&c, "[data-cab=blacklist-row]", "Unblock?").await;
    click(&c, "[data-cab=blacklist-cancel]").await;
    el(&c, "[data-cab=blacklist-delete]").await;
    let kept: Value = Cabinet::ok(cab.get("/blacklist").await, 200).await;
    assert_eq!(kept.as_array().map(Vec::len), Some(1));
    click(&c, "[data-cab=blacklist-delete]").await;
    click(&c, "[data-cab=blacklist-confirm]").await;
    text_comes(&c, "[data-cab=blacklist-empty]", "empty").await;
    let gone: Value = Cabinet::ok(cab.get("/blacklist").await, 200).await;
    assert_eq!(gone.as_array().map(Vec::len), Some(0));
    c.close().await.unwrap();
}

#[tokio::test]
async fn another_accounts_widget_is_not_reachable_by_its_url() {
    let owner = Cabinet::sign_up().await;
    let site = owner.site().await;
    let theirs = owner.active_widget(site.id, |_| {}).await;
    let (c, _cab, _, _) = logged_in_with_widget(false).await;
    goto(&c, &format!("/widgets/{}/settings", theirs.id)).await;
    let failure = text(&c, "[data-cab=failure]").await;
    assert!(!failure.is_empty());
    assert!(c
        .find(Locator::Css("[data-cab=tab-settings]"))
        .await
        .is_err());
    goto(&c, &format!("/sites/{}", site.id)).await;
    el(&c, "[data-cab=failure]").await;
    c.close().await.unwrap();
}

/// The start of a PNG file of `w`×`h` (its header is what the worker measures).
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    b
}

#[tokio::test]
async fn an_oversized_logo_is_refused_with_the_reason_and_a_fitting_one_is_taken() {
    let (c, _cab, _, id) = logged_in_with_widget(false).await;
    goto(&c, &format!("/widgets/{id}/form")).await;
    let dir = std::env::temp_dir().join(format!("ringback-logos-{}", unique()));
    std::fs::create_dir_all(&dir).unwrap();
    let wide = dir.join("wide-logo.png");
    std::fs::write(&wide, png(400, 100)).unwrap();
    el(&c, "input[type=file][name=logo]")
        .await
        .send_keys(wide.to_str().unwrap())
        .await
        .unwrap();
    let problem = text(&c, "[data-cab=logo-problem]").await;
    assert!(
        problem.contains("a logo is at most 250×80 px; this one is 400×100"),
        "{problem}"
    );
    let fitting = dir.join("logo.png");
    std::fs::write(&fitting, png(200, 60)).unwrap();
    el(&c, "input[type=file][name=logo]")
        .await
        .send_keys(fitting.to_str().unwrap())
        .await
        .unwrap();
    text_comes(&c, "[data-cab=image-logo]", "200×60 px").await;
    el(&c, "[data-cab=unsaved]").await;
    click(&c, "button[data-cab=save]").await;
    text_comes(&c, "[data-cab=save-state]", "Saved").await;
    let _ = std::fs::remove_dir_all(&dir);
    c.close().await.unwrap();
}

/// Every page and tab opens with its content; with `RINGBACK_SCREENSHOTS=dir` a picture of each
/// is kept for the README (`docs/screenshots/cabinet-*.png`), on a desktop and a phone screen.
#[tokio::test]
async fn every_page_and_tab_opens_with_its_content() {
    let keep = std::env::var_os("RINGBACK_SCREENSHOTS").map(std::path::PathBuf::from);
    let cab = Cabinet::sign_up().await;
    cab.telephony().await;
    let site = cab.site().await;
    let op = operator();
    let forwarding = shared::forwarding::Forwarding::to(op.clone());
    let main = cab
        .active_widget(site.id, |s| {
            s.name = "Callback button".into();
            s.forwarding = forwarding;
            s.tags = vec!["website".into()];
        })
        .await;
    let promo = cab
        .active_widget(site.id, |s| s.name = "Evening offer".into())
        .await;
    Cabinet::ok::<Value>(
        cab.post("/departments", json!({
            "name": "Sales", "number": operator(),
            "schedule": { "zone": "Europe/Moscow", "hours": shared::schedule::WeekGrid::default_working_hours() },
            "tags": ["sales"],
        }))
        .await,
        201,
    )
    .await;
    Cabinet::ok::<Value>(
        cab.post("/blacklist", json!({ "kind": "phone", "value": phone() }))
            .await,
        201,
    )
    .await;
    // A successful call for the journal and the reports.
    let client = phone();
    let talk = json!({ "answer": { "kind": "after", "secs": 2 }, "talk": 40 });
    sim::people(json!({ op.clone(): talk.clone(), client.clone(): talk })).await;
    let id = ringback_e2e::order_now(&site.key, main.id, &client).await;
    cab.finished(&id, ringback_e2e::chain_secs(300)).await;

    let shoot = |c: &Client, name: String| {
        let keep = keep.clone();
        let c = c.clone();
        async move {
            if let Some(dir) = keep {
                tokio::time::sleep(Duration::from_millis(400)).await;
                let png = c.screenshot().await.unwrap();
                std::fs::write(dir.join(format!("cabinet-{name}.png")), png).unwrap();
            }
        }
    };
    let c = browser().await;
    log_in(&c, &cab).await;
    // The Errors tab while both widgets show everywhere; then the first one is opened for
    // editing.
    goto(&c, &format!("/widgets/{}/errors", main.id)).await;
    el(&c, "[data-cab=conflict]").await;
    shoot(&c, "errors".into()).await;
    Cabinet::ok::<Value>(
        cab.post(&format!("/widgets/{}/deactivate", promo.id), json!({}))
            .await,
        200,
    )
    .await;
    Cabinet::ok::<Value>(
        cab.post(&format!("/widgets/{}/deactivate", main.id), json!({}))
            .await,
        200,
    )
    .await;
    let w = main.id;
    let pages: Vec<(&str, String, &str)> = vec![
        ("sites", "/".into(), "[data-cab=site] [data-cab=snippet]"),
        (
            "dashboard",
            format!("/sites/{}", site.id),
            "[data-cab=widget-card]",
        ),
        (
            "settings",
            format!("/widgets/{w}/settings"),
            "[data-grid=call-center]",
        ),
        (
            "departments-tab",
            format!("/widgets/{w}/departments"),
            "[data-cab=department]",
        ),
        (
            "conditions",
            format!("/widgets/{w}/conditions"),
            "[data-cab=add-set]",
        ),
        (
            "notifications",
            format!("/widgets/{w}/notifications"),
            "[data-cab=add-notification]",
        ),
        (
            "button",
            format!("/widgets/{w}/button"),
            "[data-cab=preview] [data-rb=button]",
        ),
        (
            "form",
            format!("/widgets/{w}/form"),
            "[data-cab=preview] [data-rb=form]",
        ),
        ("journal", "/journal".into(), "[data-cab=journal-row]"),
        ("reports", "/reports".into(), "[data-cab=chart-days]"),
        ("blacklist", "/blacklist".into(), "[data-cab=blacklist-row]"),
        (
            "departments",
            "/departments".into(),
            "[data-cab=department-row]",
        ),
        ("telephony", "/telephony".into(), "form[data-cab=telephony]"),
    ];
    for (name, path, what) in &pages {
        goto(&c, path).await;
        el(&c, what).await;
        assert!(
            c.find(Locator::Css("[data-cab=failure]")).await.is_err(),
            "{name} failed"
        );
        shoot(&c, name.to_string()).await;
    }
    // The order's chain, opened from the journal.
    goto(&c, "/journal").await;
    click(&c, "[data-cab=journal-row] [data-cab=open-order]").await;
    el(&c, "[data-cab=attempt-row]").await;
    shoot(&c, "order".into()).await;
    // "Send again" beside a webhook delivery: a new delivery joins the list, and the button
    // says how it went.
    let webhooks = "[data-cab=notification-row][data-channel=webhook]";
    let count = format!("return document.querySelectorAll('{webhooks}').length;");
    let before = js(&c, &count).await.as_u64().unwrap();
    assert!(before >= 1, "the order's webhooks are listed");
    click(&c, &format!("{webhooks} [data-cab=send-again]")).await;
    text_comes(&c, "[data-cab=send-again-result]", "Sent again").await;
    assert_eq!(js(&c, &count).await.as_u64(), Some(before + 1));
    c.close().await.unwrap();
    // 390 px wide: the dashboard and the form tab stay usable.
    let m = ringback_e2e::mobile_browser().await;
    log_in(&m, &cab).await;
    for (name, path, what) in [
        (
            "mobile-dashboard",
            format!("/sites/{}", site.id),
            "[data-cab=widget-card]",
        ),
        (
            "mobile-form",
            format!("/widgets/{w}/form"),
            "[data-cab=preview] [data-rb=form]",
        ),
    ] {
        goto(&m, &path).await;
        el(&m, what).await;
        let overflow = js(
            &m,
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
        )
        .await;
        assert!(
            overflow.as_i64().unwrap_or(0) <= 1,
            "{name} is wider than the screen by {overflow} px"
        );
        shoot(&m, name.to_string()).await;
    }
    m.close().await.unwrap();
}
