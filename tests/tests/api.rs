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
