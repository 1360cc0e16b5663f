//! Browser tests in headless Chromium: the one script tag on the demo customer page shows the
//! callback button, isolated from the page's own CSS.

use ringback_e2e::{browser, eventually, worker_url};
use serde_json::Value;
use std::time::Duration;

/// The look of the widget's button as the browser computed it, or `null` before it exists.
const BUTTON_LOOK: &str = r#"
    const host = document.querySelector('ringback-widget');
    const button = host && host.shadowRoot && host.shadowRoot.querySelector('[data-rb=button]');
    if (!button) return null;
    const s = getComputedStyle(button);
    const r = button.getBoundingClientRect();
    const icon = button.querySelector('svg');
    return {
        background: s.backgroundColor, width: r.width, height: r.height,
        right: document.documentElement.clientWidth - r.right,
        bottom: document.documentElement.clientHeight - r.bottom,
        border: s.borderTopStyle + ' ' + s.borderTopWidth, radius: s.borderTopLeftRadius,
        position: s.position, font: s.fontFamily,
        icon: icon ? getComputedStyle(icon).display : 'missing',
        iconWidth: icon ? icon.getBoundingClientRect().width : 0,
        visible: document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === host,
    };
"#;

#[tokio::test]
async fn demo_page_shows_the_callback_button_untouched_by_the_sites_css() {
    let client = browser().await;
    client
        .goto(&format!("{}/demo/", worker_url()))
        .await
        .unwrap();
    let look: Value = eventually("the widget's button", Duration::from_secs(20), || async {
        let v = client.execute(BUTTON_LOOK, vec![]).await.unwrap();
        (!v.is_null()).then_some(v)
    })
    .await;

    // Drawn as the demo widget's settings say: 64 px, #1a73e8, bottom right, 20 px margin.
    assert_eq!(look["background"], "rgb(26, 115, 232)", "{look}");
    assert_eq!(look["width"], 64.0, "{look}");
    assert_eq!(look["height"], 64.0, "{look}");
    assert_eq!(look["right"], 20.0, "{look}");
    assert_eq!(look["bottom"], 20.0, "{look}");
    assert_eq!(look["position"], "fixed", "{look}");
    assert_eq!(look["radius"], "50%", "{look}");
    // The demo page sets `button { border: 6px dashed lime !important; width: 300px !important }`
    // and `svg { display: none !important }`: none of it reaches inside the widget.
    assert_eq!(look["border"], "none 0px", "{look}");
    assert_eq!(look["icon"], "block", "{look}");
    assert!(look["iconWidth"].as_f64().unwrap() > 20.0, "{look}");
    // On top of the page, where a visitor can click it.
    assert_eq!(look["visible"], true, "{look}");

    // The site's CSS is really there: the page's own button got it.
    let site_button = client
        .execute(
            "return getComputedStyle(document.querySelector('main button')).borderTopStyle",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(site_button, "dashed");

    // Without the site's stylesheets the widget's button looks exactly the same.
    let plain: Value = client
        .execute(
            &format!(
                "document.querySelectorAll('style, link[rel=stylesheet]').forEach(e => e.remove());\n{BUTTON_LOOK}"
            ),
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(look, plain, "the page's CSS changed the button");
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_loader_runs_once_even_when_the_tag_is_inserted_twice() {
    let client = browser().await;
    client
        .goto(&format!("{}/demo/", worker_url()))
        .await
        .unwrap();
    client
        .execute(
            "const s = document.createElement('script'); s.async = true; s.src = '/w.js'; \
             s.dataset.site = 'demo'; document.body.appendChild(s);",
            vec![],
        )
        .await
        .unwrap();
    eventually("the widget's button", Duration::from_secs(20), || async {
        let v = client.execute(BUTTON_LOOK, vec![]).await.unwrap();
        (!v.is_null()).then_some(v)
    })
    .await;
    // Give a second loader time to mount a second widget, if it wrongly would.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let hosts = client
        .execute(
            "return document.querySelectorAll('ringback-widget').length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(hosts, 1);
    client.close().await.unwrap();
}
