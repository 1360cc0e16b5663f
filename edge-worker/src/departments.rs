//! Departments of an account (SPEC §2.6): name, number, schedule, tags. Widgets choose which
//! to offer.

use crate::auth::{require, Access, User};
use crate::db::{self, int, text};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, json_body};
use crate::sites::id_param;
use crate::{now, Ctx};
use serde::Deserialize;
use shared::cabinet_api::DepartmentInput;
use shared::departments::Department;
use shared::validation::Problems;
use worker::{D1Database, Request, Response};

#[derive(Deserialize)]
struct Row {
    id: i64,
    body: String,
}

/// The stored part of a department (its id is the row's).
#[derive(serde::Serialize, Deserialize)]
struct Body {
    name: String,
    number: String,
    schedule: shared::schedule::Schedule,
    #[serde(default)]
    tags: Vec<String>,
}

/// Every department of the account.
pub async fn of_account(db: &D1Database, account_id: i64) -> Result<Vec<Department>, ApiError> {
    let rows: Vec<Row> = db::all(
        db,
        "SELECT id, body FROM departments WHERE account_id = ?1 ORDER BY id",
        &[int(account_id)],
    )
    .await?;
    rows.into_iter()
        .map(|r| {
            let b: Body = serde_json::from_str(&r.body)
                .map_err(|e| ApiError::Internal(format!("department {}: {e}", r.id)))?;
            Ok(Department {
                id: r.id,
                name: b.name,
                number: b.number,
                schedule: b.schedule,
                tags: b.tags,
            })
        })
        .collect()
}

/// The country phone numbers of the account are read in: its first site's, else Russia.
pub async fn account_country(db: &D1Database, account_id: i64) -> Result<String, ApiError> {
    #[derive(Deserialize)]
    struct C {
        country: String,
    }
    let c: Option<C> = db::first(
        db,
        "SELECT country FROM sites WHERE account_id = ?1 ORDER BY id LIMIT 1",
        &[int(account_id)],
    )
    .await?;
    Ok(c.map(|c| c.country).unwrap_or_else(|| "RU".into()))
}

/// The input checked and its number normalized.
async fn checked(db: &D1Database, user: &User, input: DepartmentInput) -> Result<Body, ApiError> {
    let country = account_country(db, user.account_id).await?;
    let dept = Department {
        id: 0,
        name: input.name.trim().to_string(),
        number: input.number.clone(),
        schedule: input.schedule,
        tags: input.tags,
    };
    let mut p = Problems::new();
    dept.validate("", &mut p, &country);
    let problems: Vec<_> = p
        .into_vec()
        .into_iter()
        .map(|mut pr| {
            pr.path = pr.path.trim_start_matches('.').to_string();
            pr
        })
        .collect();
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    let number = shared::phone::normalize_forwarding(&dept.number, &country)
        .map_err(|e| ApiError::invalid("number", e.to_string()))?;
    Ok(Body {
        name: dept.name,
        number: number.to_string(),
        schedule: dept.schedule,
        tags: dept.tags,
    })
}

fn department(id: i64, b: Body) -> Department {
    Department {
        id,
        name: b.name,
        number: b.number,
        schedule: b.schedule,
        tags: b.tags,
    }
}

/// `GET /api/cabinet/departments`.
pub async fn list(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Read).await?;
    json(200, &of_account(&db, user.account_id).await?)
}

/// `POST /api/cabinet/departments`.
pub async fn create(mut req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let body = checked(&db, &user, json_body(&mut req).await?).await?;
    let id = db::run(
        &db,
        "INSERT INTO departments (account_id, body) VALUES (?1, ?2)",
        &[
            int(user.account_id),
            text(&serde_json::to_string(&body).expect("serializes")),
        ],
    )
    .await?;
    db::bump_account_sites(&db, user.account_id).await?;
    db::audit(
        &db,
        user.account_id,
        user.user_id,
        "department.create",
        &id.to_string(),
        now(),
    )
    .await?;
    json(201, &department(id, body))
}

async fn owned(db: &D1Database, user: &User, id: i64) -> Result<(), ApiError> {
    let found: Option<serde_json::Value> = db::first(
        db,
        "SELECT id FROM departments WHERE id = ?1 AND account_id = ?2",
        &[int(id), int(user.account_id)],
    )
    .await?;
    found.map(|_| ()).ok_or(ApiError::NotFound)
}

/// `PUT /api/cabinet/departments/{id}`.
pub async fn update(mut req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let id = id_param(&ctx, "id")?;
    owned(&db, &user, id).await?;
    let body = checked(&db, &user, json_body(&mut req).await?).await?;
    db::run(
        &db,
        "UPDATE departments SET body = ?1 WHERE id = ?2 AND account_id = ?3",
        &[
            text(&serde_json::to_string(&body).expect("serializes")),
            int(id),
            int(user.account_id),
        ],
    )
    .await?;
    db::bump_account_sites(&db, user.account_id).await?;
    db::audit(
        &db,
        user.account_id,
        user.user_id,
        "department.update",
        &id.to_string(),
        now(),
    )
    .await?;
    json(200, &department(id, body))
}

/// `DELETE /api/cabinet/departments/{id}`: widgets stop offering it; its orders keep its name.
pub async fn delete(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let id = id_param(&ctx, "id")?;
    owned(&db, &user, id).await?;
    db::run(
        &db,
        "DELETE FROM departments WHERE id = ?1 AND account_id = ?2",
        &[int(id), int(user.account_id)],
    )
    .await?;
    db::bump_account_sites(&db, user.account_id).await?;
    db::audit(
        &db,
        user.account_id,
        user.user_id,
        "department.delete",
        &id.to_string(),
        now(),
    )
    .await?;
    Ok(Response::empty()?.with_status(204))
}
