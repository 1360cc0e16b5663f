//! "One account can never read or change another's data": every cabinet endpoint, tried with
//! another account's ids and with no session.

use ringback_e2e::{http, ip, order, phone, worker_url, Cabinet};
use serde_json::{json, Value};
use shared::cabinet_api::{BlacklistView, ConditionSetView, JournalPage, SiteView, WidgetView};
use shared::departments::Department;
use shared::schedule::Schedule;

/// Every endpoint that takes ids: method, path with `{site}`, `{widget}`, `{set}`, `{dept}`,
/// `{entry}` placeholders, and a body for writes.
fn endpoints() -> Vec<(reqwest::Method, &'static str, Value)> {
    use reqwest::Method as M;
    let settings = serde_json::to_value(shared::widget::WidgetSettings::new(
        "x",
        shared::widget::WidgetKind::Standard,
    ))
    .unwrap();
    let dept = json!({ "name": "x", "number": "+74951234567", "schedule": Schedule::default() });
    vec![
        (M::GET, "/sites/{site}", json!(null)),
        (M::PUT, "/sites/{site}", json!({ "domain": "stolen.ru" })),
        (M::GET, "/sites/{site}/widgets", json!(null)),
        (
            M::POST,
            "/sites/{site}/widgets",
            json!({ "name": "x", "kind": "standard" }),
        ),
        (
            M::POST,
            "/sites/{site}/widgets/reorder",
            json!({ "ids": [] }),
        ),
        (M::GET, "/sites/{site}/conflicts", json!(null)),
        (M::GET, "/widgets/{widget}", json!(null)),
        (M::PUT, "/widgets/{widget}", settings),
        (M::POST, "/widgets/{widget}/activate", json!({})),
        (M::POST, "/widgets/{widget}/deactivate", json!({})),
        (M::POST, "/widgets/{widget}/clone", json!({})),
        (M::POST, "/widgets/{widget}/preview", json!({})),
        (M::GET, "/widgets/{widget}/conditions", json!(null)),
        (
            M::POST,
            "/widgets/{widget}/conditions",
            json!({ "name": "x" }),
        ),
        (
            M::PUT,
            "/widgets/{widget}/conditions/{set}",
            json!({ "name": "x" }),
        ),
        (M::DELETE, "/widgets/{widget}/conditions/{set}", json!(null)),
        (M::PUT, "/departments/{dept}", dept),
        (M::DELETE, "/departments/{dept}", json!(null)),
        (M::DELETE, "/blacklist/{entry}", json!(null)),
        (M::DELETE, "/widgets/{widget}", json!(null)),
        (M::DELETE, "/sites/{site}", json!(null)),
    ]
}

/// Endpoints without ids: no session must be a 401 too.
fn collections() -> Vec<(reqwest::Method, &'static str, Value)> {
    use reqwest::Method as M;
    vec![
        (M::GET, "/me", json!(null)),
        (M::POST, "/logout", json!({})),
        (M::GET, "/sites", json!(null)),
        (M::POST, "/sites", json!({ "domain": "okna.ru" })),
        (M::GET, "/departments", json!(null)),
        (
            M::POST,
            "/departments",
            json!({ "name": "x", "number": "+74951234567", "schedule": Schedule::default() }),
        ),
        (M::GET, "/blacklist", json!(null)),
        (
            M::POST,
            "/blacklist",
            json!({ "kind": "ip", "value": "10.0.0.1" }),
        ),
        (M::GET, "/journal", json!(null)),
        (M::GET, "/journal.csv", json!(null)),
        (
            M::GET,
            "/reports?from=2026-01-01&to=2026-01-02",
            json!(null),
        ),
    ]
}

struct Ids {
    site: i64,
    widget: i64,
    set: i64,
    dept: i64,
    entry: i64,
}

fn fill(path: &str, ids: &Ids) -> String {
    path.replace("{site}", &ids.site.to_string())
        .replace("{widget}", &ids.widget.to_string())
        .replace("{set}", &ids.set.to_string())
        .replace("{dept}", &ids.dept.to_string())
        .replace("{entry}", &ids.entry.to_string())
}

async fn owner() -> (Cabinet, Ids, SiteView) {
    let a = Cabinet::sign_up().await;
    let site = a.site().await;
    let w = a.active_widget(site.id, |_| {}).await;
    Cabinet::ok::<Value>(
        a.post(&format!("/widgets/{}/deactivate", w.id), json!({}))
            .await,
        200,
    )
    .await;
    let set: ConditionSetView = Cabinet::ok(
        a.post(
            &format!("/widgets/{}/conditions", w.id),
            json!({ "name": "mine" }),
        )
        .await,
        201,
    )
    .await;
    let dept: Department = Cabinet::ok(
        a.post(
            "/departments",
            json!({ "name": "Sales", "number": "+74951234567", "schedule": Schedule::default() }),
        )
        .await,
        201,
    )
    .await;
    let entry: BlacklistView = Cabinet::ok(
        a.post("/blacklist", json!({ "kind": "phone", "value": phone() }))
            .await,
        201,
    )
    .await;
    Cabinet::ok::<Value>(
        a.post(&format!("/widgets/{}/activate", w.id), json!({}))
            .await,
        200,
    )
    .await;
    Cabinet::ok::<Value>(
        order(&site.key, w.id, &phone(), &ip(), json!({})).await,
        201,
    )
    .await;
    (
        a,
        Ids {
            site: site.id,
            widget: w.id,
            set: set.id,
            dept: dept.id,
            entry: entry.id,
        },
        site,
    )
}

#[tokio::test]
async fn another_accounts_ids_are_not_found_everywhere() {
    let (a, ids, site) = owner().await;
    let b = Cabinet::sign_up().await;
    for (method, path, body) in endpoints() {
        let mut r = b.request(method.clone(), &fill(path, &ids));
        if !body.is_null() {
            r = r.json(&body);
        }
        let res = r.send().await.unwrap();
        assert_eq!(
            res.status(),
            404,
            "{method} {path}: {}",
            res.text().await.unwrap()
        );
    }
    // B's own lists hold nothing of A's.
    let sites: Vec<SiteView> = Cabinet::ok(b.get("/sites").await, 200).await;
    assert!(sites.is_empty());
    let journal: JournalPage = Cabinet::ok(b.get("/journal").await, 200).await;
    assert_eq!(journal.total, 0);
    let depts: Vec<Department> = Cabinet::ok(b.get("/departments").await, 200).await;
    assert!(depts.is_empty());
    let entries: Vec<BlacklistView> = Cabinet::ok(b.get("/blacklist").await, 200).await;
    assert!(entries.is_empty());
    // A's data is untouched.
    let w: WidgetView = Cabinet::ok(a.get(&format!("/widgets/{}", ids.widget)).await, 200).await;
    assert!(w.active);
    assert_eq!(w.settings.conditions.len(), 1);
    let mine: SiteView = Cabinet::ok(a.get(&format!("/sites/{}", ids.site)).await, 200).await;
    assert_eq!(mine.domain, site.domain);
    let journal: JournalPage = Cabinet::ok(a.get("/journal").await, 200).await;
    assert_eq!(journal.total, 1);
}

#[tokio::test]
async fn without_a_session_every_endpoint_is_unauthorized() {
    let (_a, ids, _) = owner().await;
    let all = endpoints().into_iter().chain(collections());
    for (method, path, body) in all {
        let mut r = http().request(
            method.clone(),
            format!("{}/api/cabinet{}", worker_url(), fill(path, &ids)),
        );
        if !body.is_null() {
            r = r.json(&body);
        }
        let res = r.send().await.unwrap();
        assert_eq!(res.status(), 401, "{method} {path}");
        let forged = http()
            .request(
                method.clone(),
                format!("{}/api/cabinet{}", worker_url(), fill(path, &ids)),
            )
            .header("Cookie", "rb_session=forged-session-token")
            .send()
            .await
            .unwrap();
        assert_eq!(
            forged.status(),
            401,
            "{method} {path} with a forged session"
        );
    }
}
