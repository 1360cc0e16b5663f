//! A widget's condition sets (SPEC §3): "a widget has any number of condition sets; at most one
//! active". Changed only while the widget is deactivated.

use crate::auth::{require, Access};
use crate::db::{self, int, text};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, json_body};
use crate::sites::id_param;
use crate::widgets::{condition_sets, editable, load, Stored};
use crate::{now, Ctx};
use shared::cabinet_api::ConditionSetView;
use shared::conditions::{validate_sets, ConditionSet};
use shared::validation::Problems;
use worker::{D1Database, Request, Response};

async fn views(db: &D1Database, widget_id: i64) -> Result<Vec<ConditionSetView>, ApiError> {
    Ok(condition_sets(db, widget_id)
        .await?
        .into_iter()
        .map(|(id, set)| ConditionSetView { id, set })
        .collect())
}

/// Checks the widget's sets as they would be after a change; problems name the set by its
/// place in the list.
fn check(sets: &[ConditionSet]) -> Result<(), ApiError> {
    let mut p = Problems::new();
    validate_sets(sets, "conditions", &mut p);
    p.finish().map_err(ApiError::Invalid)
}

/// `GET /api/cabinet/widgets/{id}/conditions`.
pub async fn list(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Read).await?;
    let stored = load(&db, &user, id_param(&ctx, "id")?).await?;
    json(200, &views(&db, stored.widget.id).await?)
}

async fn changed(
    db: &D1Database,
    stored: &Stored,
    user: &crate::auth::User,
    action: &str,
) -> Result<(), ApiError> {
    db::bump_site(db, stored.site_id).await?;
    db::audit(
        db,
        user.account_id,
        user.user_id,
        action,
        &stored.widget.id.to_string(),
        now(),
    )
    .await
}

/// `POST /api/cabinet/widgets/{id}/conditions`.
pub async fn create(mut req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let stored = load(&db, &user, id_param(&ctx, "id")?).await?;
    editable(&stored)?;
    let set: ConditionSet = json_body(&mut req).await?;
    let mut all = stored.widget.settings.conditions.clone();
    all.push(set.clone());
    check(&all)?;
    let id = db::run(
        &db,
        "INSERT INTO condition_sets (widget_id, position, body) VALUES (?1, ?2, ?3)",
        &[
            int(stored.widget.id),
            int(all.len() as i64 - 1),
            text(&serde_json::to_string(&set).expect("serializes")),
        ],
    )
    .await?;
    changed(&db, &stored, &user, "conditions.create").await?;
    json(201, &ConditionSetView { id, set })
}

/// `PUT /api/cabinet/widgets/{id}/conditions/{cid}`.
pub async fn update(mut req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let stored = load(&db, &user, id_param(&ctx, "id")?).await?;
    editable(&stored)?;
    let cid = id_param(&ctx, "cid")?;
    let set: ConditionSet = json_body(&mut req).await?;
    let existing = condition_sets(&db, stored.widget.id).await?;
    if !existing.iter().any(|(id, _)| *id == cid) {
        return Err(ApiError::NotFound);
    }
    let all: Vec<ConditionSet> = existing
        .into_iter()
        .map(|(id, s)| if id == cid { set.clone() } else { s })
        .collect();
    check(&all)?;
    db::run(
        &db,
        "UPDATE condition_sets SET body = ?1 WHERE id = ?2 AND widget_id = ?3",
        &[
            text(&serde_json::to_string(&set).expect("serializes")),
            int(cid),
            int(stored.widget.id),
        ],
    )
    .await?;
    changed(&db, &stored, &user, "conditions.update").await?;
    json(200, &ConditionSetView { id: cid, set })
}

/// `DELETE /api/cabinet/widgets/{id}/conditions/{cid}`.
pub async fn delete(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let stored = load(&db, &user, id_param(&ctx, "id")?).await?;
    editable(&stored)?;
    let cid = id_param(&ctx, "cid")?;
    let existing = condition_sets(&db, stored.widget.id).await?;
    if !existing.iter().any(|(id, _)| *id == cid) {
        return Err(ApiError::NotFound);
    }
    db::run(
        &db,
        "DELETE FROM condition_sets WHERE id = ?1 AND widget_id = ?2",
        &[int(cid), int(stored.widget.id)],
    )
    .await?;
    changed(&db, &stored, &user, "conditions.delete").await?;
    Ok(Response::empty()?.with_status(204))
}
