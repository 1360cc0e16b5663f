//! Integration tests of the worker's HTTP surface against real `wrangler dev` and local D1,
//! and of the simulator's health endpoint.

use ringback_e2e::{http, simulator_url, worker_url};
use shared::api::{DecideAnswer, ErrorBody};

#[tokio::test]
async fn worker_and_simulator_answer_their_health_endpoints() {
    let w: serde_json::Value = http()
        .get(format!("{}/api/health", worker_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(w["status"], "ok");
    let s: serde_json::Value = http()
        .get(format!("{}/health", simulator_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(s["service"], "ringback-telephony-simulator");
}

#[tokio::test]
async fn decide_returns_the_demo_sites_widget_to_the_demo_page() {
    let res = http()
        .get(format!("{}/api/v1/decide", worker_url()))
        .query(&[("site", "demo"), ("url", "http://127.0.0.1/demo/")])
        .header("Origin", "http://127.0.0.1:8787")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "http://127.0.0.1:8787"
    );
    let answer: DecideAnswer = res.json().await.unwrap();
    let widget = answer.widget.expect("the demo site's active widget");
    assert_eq!(widget.widget_id, 1);
    assert_eq!(widget.button.color.hex(), "#1a73e8");
    assert_eq!(widget.button.size, 64);
}

#[tokio::test]
async fn decide_answers_nothing_when_no_widget_is_active() {
    let answer: DecideAnswer = http()
        .get(format!("{}/api/v1/decide?site=demo-quiet", worker_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer.widget, None);
}

#[tokio::test]
async fn unknown_api_paths_are_a_json_404() {
    let res = http()
        .get(format!("{}/api/v1/nothing-here", worker_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let body: ErrorBody = res.json().await.unwrap();
    assert_eq!(body.error, "not_found");
}

#[tokio::test]
async fn the_worker_serves_the_loader_widget_cabinet_and_demo_page() {
    let get = |path: &'static str| async move {
        let res = http()
            .get(format!("{}{path}", worker_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
        res
    };
    let loader = get("/w.js").await;
    assert_eq!(loader.headers()["access-control-allow-origin"], "*");
    assert!(loader.text().await.unwrap().contains("data-site"));
    let wasm = get("/widget/widget_bg.wasm").await;
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(wasm.headers()["access-control-allow-origin"], "*");
    let glue = get("/widget/widget.js").await;
    assert_eq!(glue.headers()["access-control-allow-origin"], "*");
    let demo = get("/demo/").await.text().await.unwrap();
    assert!(demo.contains(r#"<script async src="/w.js" data-site="demo"></script>"#));
    let cabinet = get("/").await.text().await.unwrap();
    assert!(cabinet.contains("cabinet"), "{cabinet}");
}

/// The cabinet's policy, as `assets/_headers` gives it to the cabinet's documents.
const CABINET_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self'; connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

async fn headers_of(path: &str) -> reqwest::header::HeaderMap {
    let res = http()
        .get(format!("{}{path}", worker_url()))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{path}: {}", res.status());
    res.headers().clone()
}

fn header<'a>(h: &'a reqwest::header::HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn the_cabinet_is_served_with_a_strict_policy_and_the_widgets_files_without_it() {
    // The cabinet's pages (its SPA routes too) and files.
    for path in [
        "/",
        "/signup",
        "/confirm?token=x",
        "/widgets/7/form",
        "/start.js",
        "/cabinet.js",
        "/cabinet_bg.wasm",
        "/style.css",
    ] {
        let h = headers_of(path).await;
        assert_eq!(
            header(&h, "content-security-policy"),
            Some(CABINET_CSP),
            "{path}"
        );
        assert_eq!(
            header(&h, "strict-transport-security"),
            Some("max-age=31536000; includeSubDomains"),
            "{path}"
        );
        assert_eq!(
            header(&h, "x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(header(&h, "x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(header(&h, "referrer-policy"), Some("same-origin"), "{path}");
    }
    // Its page starts the wasm from a file: the policy refuses inline scripts.
    let page = http()
        .get(format!("{}/signup", worker_url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(r#"<script type="module" src="/start.js" integrity="sha384-"#),
        "{page}"
    );
    assert!(!page.contains("import init"), "{page}");
    // What customer sites load, and the pages that play customer sites: no cabinet policy, so
    // they stay usable on (and embeddable in) any site.
    for path in [
        "/w.js",
        "/widget/widget.js",
        "/widget/widget_bg.wasm",
        "/demo/",
        "/demo/blank.html",
        "/demo/strict-csp.html",
    ] {
        let h = headers_of(path).await;
        assert_eq!(header(&h, "content-security-policy"), None, "{path}");
        assert_eq!(header(&h, "x-frame-options"), None, "{path}");
        assert_eq!(
            header(&h, "x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
    }
    for path in ["/w.js", "/widget/widget.js"] {
        assert_eq!(
            header(&headers_of(path).await, "access-control-allow-origin"),
            Some("*"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn api_answers_are_not_sniffed_and_the_cabinets_are_not_cached() {
    let me = http()
        .get(format!("{}/api/cabinet/me", worker_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 401);
    assert_eq!(
        header(me.headers(), "x-content-type-options"),
        Some("nosniff")
    );
    assert_eq!(header(me.headers(), "cache-control"), Some("no-store"));
    let cab = ringback_e2e::Cabinet::sign_up().await;
    let sites = cab.get("/sites").await;
    assert_eq!(header(sites.headers(), "cache-control"), Some("no-store"));
    assert_eq!(
        header(sites.headers(), "x-content-type-options"),
        Some("nosniff")
    );
    let decide = http()
        .get(format!("{}/api/v1/decide?site=demo", worker_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(decide.headers(), "x-content-type-options"),
        Some("nosniff")
    );
    assert_eq!(
        header(decide.headers(), "cache-control"),
        Some("no-cache"),
        "decide keeps its own caching (ETag)"
    );
}

#[tokio::test]
async fn an_uploaded_file_never_runs_when_opened() {
    // The smallest GIF: 1×1 px.
    const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
    let cab = ringback_e2e::Cabinet::sign_up().await;
    let res = cab
        .request(reqwest::Method::POST, "/images?use=logo")
        .header("Content-Type", "image/gif")
        .body(GIF)
        .send()
        .await
        .unwrap();
    let image: serde_json::Value = ringback_e2e::Cabinet::ok(res, 201).await;
    let url = image["url"].as_str().unwrap();
    assert!(url.contains("/media/"), "{url}");
    let file = http().get(url).send().await.unwrap();
    assert_eq!(file.status(), 200);
    let h = file.headers();
    assert_eq!(header(h, "content-type"), Some("image/gif"));
    assert_eq!(header(h, "x-content-type-options"), Some("nosniff"));
    assert_eq!(
        header(h, "content-security-policy"),
        Some("default-src 'none'; sandbox")
    );
    assert_eq!(
        header(h, "cache-control"),
        Some("public, max-age=31536000, immutable")
    );
}
