//! The OpenAPI document the worker serves describes what it really answers: every endpoint is
//! called for real and each answer is validated against the document's schema for that path,
//! method and status (JSON Schema 2020-12, via the `jsonschema` crate).

use ringback_e2e::{
    email_in, http, ip, link_token, log_len, order, phone, unique, worker_url, wrangler_log,
    Cabinet,
};
use serde_json::{json, Value};

struct Spec {
    doc: Value,
}

impl Spec {
    async fn load() -> Spec {
        let res = http()
            .get(format!("{}/openapi.json", worker_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let doc: Value = res.json().await.unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        Spec { doc }
    }

    /// Validates one answer against the document; panics naming every difference.
    fn check(&self, method: &str, path: &str, status: u16, body: &Value) {
        let op = &self.doc["paths"][path][method];
        assert!(!op.is_null(), "{method} {path} is not documented");
        let response = &op["responses"][status.to_string()];
        assert!(
            !response.is_null(),
            "{method} {path} does not document {status}"
        );
        let schema = &response["content"]["application/json"]["schema"];
        if schema.is_null() {
            return;
        }
        let root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": self.doc["components"],
            "allOf": [schema],
        });
        let validator = jsonschema::validator_for(&root).expect("the document's schema compiles");
        let errors: Vec<String> = validator
            .iter_errors(body)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{method} {path} {status} answer does not match the document: {errors:#?}\n{body}"
        );
    }

    /// Sends, checks the status, validates the body, and returns it.
    async fn call(
        &self,
        req: reqwest::RequestBuilder,
        method: &str,
        path: &str,
        status: u16,
    ) -> Value {
        let res = req.send().await.unwrap();
        let got = res.status().as_u16();
        let text = res.text().await.unwrap();
        assert_eq!(got, status, "{method} {path}: {text}");
        let body: Value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        };
        self.check(method, path, status, &body);
        body
    }
}

#[tokio::test]
async fn every_documented_answer_matches_the_document() {
    let spec = Spec::load().await;
    let base = worker_url();
    let c = http();
    // Accounts.
    let email = format!("{}@test.ringback.dev", unique());
    let signup = json!({ "email": email, "password": "correct horse battery", "company": "Okna" });
    spec.call(
        c.post(format!("{base}/api/cabinet/signup"))
            .json(&json!({ "email": "x", "password": "short", "company": "" })),
        "post",
        "/api/cabinet/signup",
        422,
    )
    .await;
    let address = ip();
    let since = log_len(&wrangler_log());
    spec.call(
        c.post(format!("{base}/api/cabinet/signup"))
            .header("X-Ringback-Dev-Ip", &address)
            .json(&signup),
        "post",
        "/api/cabinet/signup",
        202,
    )
    .await;
    let token = link_token(&email_in(&wrangler_log(), since, &email).await).unwrap();
    spec.call(
        c.post(format!("{base}/api/cabinet/confirm"))
            .json(&json!({ "token": token })),
        "post",
        "/api/cabinet/confirm",
        201,
    )
    .await;
    spec.call(
        c.post(format!("{base}/api/cabinet/confirm"))
            .json(&json!({ "token": token })),
        "post",
        "/api/cabinet/confirm",
        410,
    )
    .await;
    spec.call(
        c.post(format!("{base}/api/cabinet/signup"))
            .header("X-Ringback-Dev-Ip", &address)
            .json(&signup),
        "post",
        "/api/cabinet/signup",
        202,
    )
    .await;
    spec.call(
        c.post(format!("{base}/api/cabinet/login"))
            .header("Origin", "https://evil.example")
            .json(&json!({ "email": email, "password": "correct horse battery" })),
        "post",
        "/api/cabinet/login",
        403,
    )
    .await;
    spec.call(
        c.post(format!("{base}/api/cabinet/login"))
            .json(&json!({ "email": email, "password": "correct horse battery" })),
        "post",
        "/api/cabinet/login",
        200,
    )
    .await;
    spec.call(
        c.post(format!("{base}/api/cabinet/login"))
            .json(&json!({ "email": email, "password": "nope nope nope" })),
        "post",
        "/api/cabinet/login",
        401,
    )
    .await;
    spec.call(
        c.get(format!("{base}/api/cabinet/me")),
        "get",
        "/api/cabinet/me",
        401,
    )
    .await;

    let cab = Cabinet::sign_up().await;
    let r = |m: reqwest::Method, p: &str| cab.request(m, p);
    use reqwest::Method as M;
    spec.call(r(M::GET, "/me"), "get", "/api/cabinet/me", 200)
        .await;
    // Sites.
    let site = spec
        .call(
            r(M::POST, "/sites").json(&json!({ "domain": "127.0.0.1" })),
            "post",
            "/api/cabinet/sites",
            201,
        )
        .await;
    let site_id = site["id"].as_i64().unwrap();
    let key = site["key"].as_str().unwrap().to_string();
    spec.call(
        r(M::POST, "/sites").json(&json!({ "domain": "nope" })),
        "post",
        "/api/cabinet/sites",
        422,
    )
    .await;
    spec.call(r(M::GET, "/sites"), "get", "/api/cabinet/sites", 200)
        .await;
    spec.call(
        r(M::GET, &format!("/sites/{site_id}")),
        "get",
        "/api/cabinet/sites/{id}",
        200,
    )
    .await;
    spec.call(
        r(M::PUT, &format!("/sites/{site_id}"))
            .json(&json!({ "domain": "127.0.0.1", "country": "RU" })),
        "put",
        "/api/cabinet/sites/{id}",
        200,
    )
    .await;
    spec.call(
        r(M::GET, "/sites/999999"),
        "get",
        "/api/cabinet/sites/{id}",
        404,
    )
    .await;
    // Departments.
    let dept_body = json!({ "name": "Sales", "number": "+74951234567", "schedule": shared::schedule::Schedule::default(), "tags": ["sales"] });
    let dept = spec
        .call(
            r(M::POST, "/departments").json(&dept_body),
            "post",
            "/api/cabinet/departments",
            201,
        )
        .await;
    let dept_id = dept["id"].as_i64().unwrap();
    spec.call(
        r(M::PUT, &format!("/departments/{dept_id}")).json(&dept_body),
        "put",
        "/api/cabinet/departments/{id}",
        200,
    )
    .await;
    spec.call(
        r(M::GET, "/departments"),
        "get",
        "/api/cabinet/departments",
        200,
    )
    .await;
    // Widgets.
    let w = spec
        .call(
            r(M::POST, &format!("/sites/{site_id}/widgets"))
                .json(&json!({ "name": "Main", "kind": "standard" })),
            "post",
            "/api/cabinet/sites/{id}/widgets",
            201,
        )
        .await;
    let wid = w["id"].as_i64().unwrap();
    spec.call(
        r(M::POST, &format!("/widgets/{wid}/activate")),
        "post",
        "/api/cabinet/widgets/{id}/activate",
        422,
    )
    .await;
    let mut settings = w["settings"].clone();
    settings["forwarding"] = json!({ "numbers": [{ "number": "+74951234567" }] });
    settings["call_center"]["hours"] = json!(vec!["1".repeat(24); 7]);
    settings["departments"] = json!({ "offered": [dept_id] });
    spec.call(
        r(M::PUT, &format!("/widgets/{wid}")).json(&settings),
        "put",
        "/api/cabinet/widgets/{id}",
        200,
    )
    .await;
    spec.call(
        r(M::POST, &format!("/widgets/{wid}/conditions"))
            .json(&json!({ "name": "all", "active": true })),
        "post",
        "/api/cabinet/widgets/{id}/conditions",
        201,
    )
    .await;
    let sets = spec
        .call(
            r(M::GET, &format!("/widgets/{wid}/conditions")),
            "get",
            "/api/cabinet/widgets/{id}/conditions",
            200,
        )
        .await;
    let cid = sets[0]["id"].as_i64().unwrap();
    spec.call(
        r(M::PUT, &format!("/widgets/{wid}/conditions/{cid}"))
            .json(&json!({ "name": "all", "active": true, "devices": { "mobile": "deny" } })),
        "put",
        "/api/cabinet/widgets/{id}/conditions/{cid}",
        200,
    )
    .await;
    spec.call(
        r(M::POST, &format!("/widgets/{wid}/activate")),
        "post",
        "/api/cabinet/widgets/{id}/activate",
        200,
    )
    .await;
    spec.call(
        r(M::PUT, &format!("/widgets/{wid}")).json(&settings),
        "put",
        "/api/cabinet/widgets/{id}",
        409,
    )
    .await;
    spec.call(
        r(M::GET, &format!("/widgets/{wid}")),
        "get",
        "/api/cabinet/widgets/{id}",
        200,
    )
    .await;
    let copy = spec
        .call(
            r(M::POST, &format!("/widgets/{wid}/clone")),
            "post",
            "/api/cabinet/widgets/{id}/clone",
            201,
        )
        .await;
    let copy_id = copy["id"].as_i64().unwrap();
    spec.call(
        r(M::POST, &format!("/widgets/{copy_id}/preview")),
        "post",
        "/api/cabinet/widgets/{id}/preview",
        200,
    )
    .await;
    spec.call(
        r(M::POST, &format!("/sites/{site_id}/widgets/reorder"))
            .json(&json!({ "ids": [copy_id, wid] })),
        "post",
        "/api/cabinet/sites/{id}/widgets/reorder",
        200,
    )
    .await;
    spec.call(
        r(M::GET, &format!("/sites/{site_id}/widgets")),
        "get",
        "/api/cabinet/sites/{id}/widgets",
        200,
    )
    .await;
    spec.call(
        r(M::GET, &format!("/sites/{site_id}/conflicts")),
        "get",
        "/api/cabinet/sites/{id}/conflicts",
        200,
    )
    .await;
    spec.call(
        r(M::POST, &format!("/widgets/{copy_id}/deactivate")),
        "post",
        "/api/cabinet/widgets/{id}/deactivate",
        200,
    )
    .await;
    // Blacklist.
    spec.call(
        r(M::POST, "/blacklist").json(&json!({ "kind": "ip", "value": "203.0.113.0/24" })),
        "post",
        "/api/cabinet/blacklist",
        201,
    )
    .await;
    spec.call(
        r(M::POST, "/blacklist").json(&json!({ "kind": "phone", "value": "12" })),
        "post",
        "/api/cabinet/blacklist",
        422,
    )
    .await;
    spec.call(
        r(M::GET, "/blacklist"),
        "get",
        "/api/cabinet/blacklist",
        200,
    )
    .await;
    // Public API.
    let decide = |q: Vec<(&'static str, String)>| c.get(format!("{base}/api/v1/decide")).query(&q);
    let answer = spec
        .call(
            decide(vec![
                ("site", key.clone()),
                ("url", "http://127.0.0.1/".into()),
            ]),
            "get",
            "/api/v1/decide",
            200,
        )
        .await;
    assert!(!answer["widget"].is_null(), "{answer}");
    spec.call(
        decide(vec![("site", "nope".into())]),
        "get",
        "/api/v1/decide",
        404,
    )
    .await;
    spec.call(decide(vec![]), "get", "/api/v1/decide", 400)
        .await;
    let key_body = json!({ "site": key, "widget_id": wid, "phone": phone(), "department": dept_id, "when": { "when": "now" }, "idempotency_key": unique() });
    let from = ip();
    let post = |body: Value| {
        c.post(format!("{base}/api/v1/orders"))
            .header("X-Ringback-Dev-Ip", from.clone())
            .json(&body)
    };
    let placed = spec
        .call(post(key_body.clone()), "post", "/api/v1/orders", 201)
        .await;
    spec.call(post(key_body), "post", "/api/v1/orders", 200)
        .await;
    spec.call(post(json!({ "site": key, "widget_id": wid, "phone": "1", "when": { "when": "now" }, "idempotency_key": unique() })), "post", "/api/v1/orders", 422).await;
    spec.call(post(json!({ "site": key })), "post", "/api/v1/orders", 400)
        .await;
    let status_url = format!(
        "{base}/api/v1/orders/{}",
        placed["order_id"].as_str().unwrap()
    );
    spec.call(
        c.get(&status_url)
            .query(&[("token", placed["token"].as_str().unwrap())]),
        "get",
        "/api/v1/orders/{order_id}",
        200,
    )
    .await;
    spec.call(
        c.get(&status_url).query(&[("token", "no")]),
        "get",
        "/api/v1/orders/{order_id}",
        404,
    )
    .await;
    Cabinet::ok::<Value>(
        order(&key, wid, &phone(), &ip(), json!({ "department": dept_id })).await,
        201,
    )
    .await;
    // Journal and reports.
    let page = spec
        .call(r(M::GET, "/journal"), "get", "/api/cabinet/journal", 200)
        .await;
    assert_eq!(page["total"], 2);
    let today = chrono::Utc::now().date_naive();
    spec.call(
        r(M::GET, &format!("/reports?from={today}&to={today}")),
        "get",
        "/api/cabinet/reports",
        200,
    )
    .await;
    // One order; re-scheduling while its chain runs.
    let order_id = placed["order_id"].as_str().unwrap();
    spec.call(
        r(M::GET, &format!("/orders/{order_id}")),
        "get",
        "/api/cabinet/orders/{order_id}",
        200,
    )
    .await;
    spec.call(
        r(M::GET, "/orders/nope"),
        "get",
        "/api/cabinet/orders/{order_id}",
        404,
    )
    .await;
    spec.call(
        r(M::POST, &format!("/orders/{order_id}/reschedule"))
            .json(&json!({ "at": chrono::Utc::now() + chrono::Duration::hours(1) })),
        "post",
        "/api/cabinet/orders/{order_id}/reschedule",
        409,
    )
    .await;
    spec.call(
        r(M::POST, &format!("/orders/{order_id}/webhooks/nope/resend")),
        "post",
        "/api/cabinet/orders/{order_id}/webhooks/{delivery}/resend",
        404,
    )
    .await;
    // Telephony.
    spec.call(
        r(M::GET, "/telephony"),
        "get",
        "/api/cabinet/telephony",
        200,
    )
    .await;
    spec.call(
        r(M::PUT, "/telephony").json(&json!({ "provider": "webhook" })),
        "put",
        "/api/cabinet/telephony",
        422,
    )
    .await;
    spec.call(
        r(M::PUT, "/telephony").json(&json!({
            "provider": "webhook",
            "pbx_url": "https://pbx.example/ringback",
            "pbx_secret": "0123456789abcdef-secret",
        })),
        "put",
        "/api/cabinet/telephony",
        200,
    )
    .await;
    // Errors of the cabinet.
    spec.call(
        c.post(format!("{base}/api/cabinet/sites"))
            .header("Cookie", format!("rb_session={}", cab.session))
            .json(&json!({ "domain": "x.ru" })),
        "post",
        "/api/cabinet/sites",
        403,
    )
    .await;
    spec.call(
        r(M::DELETE, &format!("/widgets/{copy_id}")),
        "delete",
        "/api/cabinet/widgets/{id}",
        204,
    )
    .await;
    spec.call(
        r(M::DELETE, &format!("/departments/{dept_id}")),
        "delete",
        "/api/cabinet/departments/{id}",
        204,
    )
    .await;
    spec.call(r(M::POST, "/logout"), "post", "/api/cabinet/logout", 204)
        .await;
}

#[tokio::test]
async fn the_document_names_every_route_the_worker_has() {
    let spec = Spec::load().await;
    let paths = spec.doc["paths"].as_object().unwrap();
    assert_eq!(paths.len(), 33);
    for (path, ops) in paths {
        for (method, op) in ops.as_object().unwrap() {
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path}"
            );
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{method} {path}"
            );
        }
    }
}
