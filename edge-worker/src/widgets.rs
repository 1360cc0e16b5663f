//! Widgets of a site (SPEC §6): "add (by kind), edit, activate/deactivate, clone (with all
//! settings), delete (irreversible, confirm), reorder"; "A widget's settings can be changed
//! only while it is deactivated". Cards carry the forwarding scenario, the schedule and the
//! "Promo finished" / "Conflicts" badges; the Errors tab lists conflicts in words.

use crate::auth::{require, Access, User};
use crate::db::{self, int, opt_text, text, ts};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, json_body, query};
use crate::sites::{id_param, owned};
use crate::{crypto, now, origin_of, Ctx};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use shared::account::Site;
use shared::cabinet_api::{
    Badge, CardsQuery, ConflictView, NewWidget, PreviewLink, Reorder, WidgetCard, WidgetView,
};
use shared::conditions::ConditionSet;
use shared::conflicts::conflicts;
use shared::departments::Department;
use shared::selection::{promo_finished, ListedWidget};
use shared::texts::Lang;
use shared::widget::{Context, WidgetKind, WidgetSettings};
use worker::{D1Database, Request, Response};

/// A widget as stored, with its site.
pub struct Stored {
    pub widget: ListedWidget,
    pub site_id: i64,
    pub site: Site,
}

#[derive(Deserialize)]
struct Row {
    id: i64,
    site_id: i64,
    position: i64,
    active: i64,
    settings: String,
    domain: String,
    country: String,
}

#[derive(Deserialize)]
struct SetRow {
    id: i64,
    body: String,
}

fn parse_settings(id: i64, json: &str) -> Result<WidgetSettings, ApiError> {
    WidgetSettings::load(json).map_err(|e| ApiError::Internal(format!("widget {id}: {e}")))
}

/// The widget's condition sets in order, with their ids.
pub async fn condition_sets(
    db: &D1Database,
    widget_id: i64,
) -> Result<Vec<(i64, ConditionSet)>, ApiError> {
    let rows: Vec<SetRow> = db::all(
        db,
        "SELECT id, body FROM condition_sets WHERE widget_id = ?1 ORDER BY position, id",
        &[int(widget_id)],
    )
    .await?;
    rows.into_iter()
        .map(|r| {
            serde_json::from_str(&r.body)
                .map(|set| (r.id, set))
                .map_err(|e| ApiError::Internal(format!("condition set {}: {e}", r.id)))
        })
        .collect()
}

/// Widget `id` of the user's account, with its condition sets (404 otherwise).
pub async fn load(db: &D1Database, user: &User, id: i64) -> Result<Stored, ApiError> {
    let row: Row = db::first(
        db,
        "SELECT w.id, w.site_id, w.position, w.active, w.settings, s.domain, s.country \
         FROM widgets w JOIN sites s ON s.id = w.site_id WHERE w.id = ?1 AND s.account_id = ?2",
        &[int(id), int(user.account_id)],
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    let mut settings = parse_settings(row.id, &row.settings)?;
    settings.conditions = condition_sets(db, row.id)
        .await?
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    Ok(Stored {
        widget: ListedWidget {
            id: row.id,
            position: row.position,
            active: row.active != 0,
            settings,
        },
        site_id: row.site_id,
        site: Site {
            domain: row.domain,
            country: row.country,
            client_countries: vec![],
        },
    })
}

/// Every widget of a site, in list order, with its condition sets.
pub async fn of_site(db: &D1Database, site_id: i64) -> Result<Vec<ListedWidget>, ApiError> {
    #[derive(Deserialize)]
    struct W {
        id: i64,
        position: i64,
        active: i64,
        settings: String,
    }
    #[derive(Deserialize)]
    struct C {
        widget_id: i64,
        body: String,
    }
    let rows: Vec<W> = db::all(
        db,
        "SELECT id, position, active, settings FROM widgets WHERE site_id = ?1 ORDER BY position, id",
        &[int(site_id)],
    )
    .await?;
    let sets: Vec<C> = db::all(
        db,
        "SELECT c.widget_id, c.body FROM condition_sets c JOIN widgets w ON w.id = c.widget_id \
         WHERE w.site_id = ?1 ORDER BY c.widget_id, c.position, c.id",
        &[int(site_id)],
    )
    .await?;
    rows.into_iter()
        .map(|r| {
            let mut settings = parse_settings(r.id, &r.settings)?;
            settings.conditions = sets
                .iter()
                .filter(|c| c.widget_id == r.id)
                .map(|c| serde_json::from_str(&c.body))
                .collect::<Result<_, _>>()
                .map_err(|e| ApiError::Internal(format!("widget {} conditions: {e}", r.id)))?;
            Ok(ListedWidget {
                id: r.id,
                position: r.position,
                active: r.active != 0,
                settings,
            })
        })
        .collect()
}

/// The account's departments.
pub async fn departments(db: &D1Database, account_id: i64) -> Result<Vec<Department>, ApiError> {
    crate::departments::of_account(db, account_id).await
}

#[derive(Deserialize)]
struct Digits {
    reserved_digits: String,
}

/// Digits the account uses for tagging.
pub async fn reserved_digits(db: &D1Database, account_id: i64) -> Result<Vec<u8>, ApiError> {
    let row: Option<Digits> = db::first(
        db,
        "SELECT reserved_digits FROM accounts WHERE id = ?1",
        &[int(account_id)],
    )
    .await?;
    Ok(row
        .and_then(|r| serde_json::from_str(&r.reserved_digits).ok())
        .unwrap_or_default())
}

/// Every problem of the widget's settings, in the context of its account and site; `origin`
/// is the worker's, where the account's images are served.
pub async fn validate(
    db: &D1Database,
    user: &User,
    site: &Site,
    settings: &WidgetSettings,
    origin: &str,
) -> Result<(), ApiError> {
    let departments = departments(db, user.account_id).await?;
    let digits = reserved_digits(db, user.account_id).await?;
    let media = format!("{origin}/media/{}/", user.account_id);
    settings.validate(&Context {
        country: &site.country,
        departments: &departments,
        reserved_digits: &digits,
        media: Some(&media),
    })?;
    Ok(())
}

/// The settings document as stored: condition sets live in their own table.
fn stored_json(settings: &WidgetSettings) -> String {
    let mut doc = settings.clone();
    doc.conditions.clear();
    doc.to_json()
}

fn view(stored: &Stored) -> WidgetView {
    WidgetView {
        id: stored.widget.id,
        site_id: stored.site_id,
        position: stored.widget.position,
        active: stored.widget.active,
        warnings: {
            let s = &stored.widget.settings;
            let mut w = s.auto_show.warnings();
            w.extend(s.appearance.contrast_warnings());
            w
        },
        settings: stored.widget.settings.clone(),
    }
}

/// Refuses changes to an active widget.
pub fn editable(stored: &Stored) -> Result<(), ApiError> {
    if stored.widget.active {
        Err(ApiError::Conflict(
            "Deactivate the widget to change its settings.".into(),
        ))
    } else {
        Ok(())
    }
}

/// `GET /api/cabinet/sites/{id}/widgets`: the dashboard's cards.
pub async fn list(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Read).await?;
    let site_id = id_param(&ctx, "id")?;
    let lang = query::<CardsQuery>(&req)?.lang.unwrap_or(Lang::En);
    let site = owned(&db, &user, site_id).await?;
    let widgets = of_site(&db, site_id).await?;
    let departments = departments(&db, user.account_id).await?;
    let previews = preview_tokens(&db, site_id).await?;
    let now = now();
    let found = conflicts(&widgets, now);
    let cards: Vec<WidgetCard> = widgets
        .iter()
        .map(|w| {
            let s = &w.settings;
            let mut badges = Vec::new();
            if promo_finished(s, now) {
                badges.push(Badge::PromoFinished);
            }
            if found.iter().any(|c| c.first == w.id || c.second == w.id) {
                badges.push(Badge::Conflicts);
            }
            WidgetCard {
                id: w.id,
                position: w.position,
                active: w.active,
                name: s.name.clone(),
                kind: s.kind,
                forwarding: s.calls_go_to(&departments, lang),
                schedule: s.shown_when(lang),
                badges,
                preview: previews.iter().find(|p| p.widget_id == w.id).and_then(|p| {
                    p.expires_at
                        .map(|at| preview_link(&site.domain, &p.token, at))
                }),
            }
        })
        .collect();
    json(200, &cards)
}

/// `GET /api/cabinet/sites/{id}/conflicts`: the Errors tab.
pub async fn site_conflicts(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Read).await?;
    let site_id = id_param(&ctx, "id")?;
    owned(&db, &user, site_id).await?;
    let widgets = of_site(&db, site_id).await?;
    let views: Vec<ConflictView> = conflicts(&widgets, now())
        .into_iter()
        .map(|c| ConflictView {
            first: c.first,
            second: c.second,
            message: c.message(),
        })
        .collect();
    json(200, &views)
}

async fn next_position(db: &D1Database, site_id: i64) -> Result<i64, ApiError> {
    #[derive(Deserialize)]
    struct P {
        p: Option<i64>,
    }
    let p: Option<P> = db::first(
        db,
        "SELECT MAX(position) AS p FROM widgets WHERE site_id = ?1",
        &[int(site_id)],
    )
    .await?;
    Ok(p.and_then(|p| p.p).map(|p| p + 1).unwrap_or(0))
}

/// `POST /api/cabinet/sites/{id}/widgets`: a new (inactive) widget of a kind.
pub async fn create(mut req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let site_id = id_param(&ctx, "id")?;
    owned(&db, &user, site_id).await?;
    let new: NewWidget = json_body(&mut req).await?;
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > WidgetSettings::MAX_NAME {
        return Err(ApiError::invalid(
            "name",
            format!("a name of 1 to {} characters", WidgetSettings::MAX_NAME),
        ));
    }
    let now = now();
    let mut settings = WidgetSettings::new(name, new.kind);
    if new.kind == WidgetKind::Promo {
        settings.promo = Some(shared::promo::Promo {
            starts_at: now,
            ends_at: now + chrono::Duration::days(7),
            auto_extend: false,
            timer: None,
            image: None,
        });
    }
    let position = next_position(&db, site_id).await?;
    let id = db::run(
        &db,
        "INSERT INTO widgets (site_id, position, active, settings, created_at, updated_at) \
         VALUES (?1, ?2, 0, ?3, ?4, ?4)",
        &[
            int(site_id),
            int(position),
            text(&stored_json(&settings)),
            text(&ts(now)),
        ],
    )
    .await?;
    db::bump_site(&db, site_id).await?;
    db::audit(
        &db,
        user.account_id,
        user.user_id,
        "widget.create",
        &id.to_string(),
        now,
    )
    .await?;
    let stored = load(&db, &user, id).await?;
    json(201, &view(&stored))
}

/// `GET /api/cabinet/widgets/{id}`.
pub async fn get(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Read).await?;
    let stored = load(&db, &user, id_param(&ctx, "id")?).await?;
    json(200, &view(&stored))
}

/// `PUT /api/cabinet/widgets/{id}`: replace the settings (not the condition sets, which have
/// their own endpoints) while the widget is deactivated.
pub async fn update(mut req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let mut stored = load(&db, &user, id_param(&ctx, "id")?).await?;
    editable(&stored)?;
    let mut settings: WidgetSettings = json_body(&mut req).await?;
    settings.conditions = stored.widget.settings.conditions.clone();
    validate(&db, &user, &stored.site, &settings, &origin_of(&req)?).await?;
    let now = now();
    db::run(
        &db,
        "UPDATE widgets SET settings = ?1, updated_at = ?2 WHERE id = ?3",
        &[
            text(&stored_json(&settings)),
            text(&ts(now)),
            int(stored.widget.id),
        ],
    )
    .await?;
    db::bump_site(&db, stored.site_id).await?;
    db::audit(
        &db,
        user.account_id,
        user.user_id,
        "widget.update",
        &stored.widget.id.to_string(),
        now,
    )
    .await?;
    stored.widget.settings = settings;
    json(200, &view(&stored))
}

async fn set_active(req: Request, ctx: Ctx, active: bool) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let mut stored = load(&db, &user, id_param(&ctx, "id")?).await?;
    if active {
        validate(
            &db,
            &user,
            &stored.site,
            &stored.widget.settings,
            &origin_of(&req)?,
        )
        .await?;
    }
    let now = now();
    db::run(
        &db,
        "UPDATE widgets SET active = ?1, updated_at = ?2 WHERE id = ?3",
        &[
            int(i64::from(active)),
            text(&ts(now)),
            int(stored.widget.id),
        ],
    )
    .await?;
    db::bump_site(&db, stored.site_id).await?;
    let action = if active {
        "widget.activate"
    } else {
        "widget.deactivate"
    };
    db::audit(
        &db,
        user.account_id,
        user.user_id,
        action,
        &stored.widget.id.to_string(),
        now,
    )
    .await?;
    stored.widget.active = active;
    json(200, &view(&stored))
}

/// `POST /api/cabinet/widgets/{id}/activate`: only a widget whose settings are valid.
pub async fn activate(req: Request, ctx: Ctx) -> ApiResult {
    set_active(req, ctx, true).await
}

/// `POST /api/cabinet/widgets/{id}/deactivate`.
pub async fn deactivate(req: Request, ctx: Ctx) -> ApiResult {
    set_active(req, ctx, false).await
}

/// `POST /api/cabinet/widgets/{id}/clone`: "clone (with all settings)", as a new inactive
/// widget at the end of the list.
pub async fn clone(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let stored = load(&db, &user, id_param(&ctx, "id")?).await?;
    let mut settings = stored.widget.settings.clone();
    let mut name = format!("{} (copy)", settings.name);
    if name.chars().count() > WidgetSettings::MAX_NAME {
        name = name.chars().take(WidgetSettings::MAX_NAME).collect();
    }
    settings.name = name;
    let now = now();
    let position = next_position(&db, stored.site_id).await?;
    let id = db::run(
        &db,
        "INSERT INTO widgets (site_id, position, active, settings, created_at, updated_at) \
         VALUES (?1, ?2, 0, ?3, ?4, ?4)",
        &[
            int(stored.site_id),
            int(position),
            text(&stored_json(&settings)),
            text(&ts(now)),
        ],
    )
    .await?;
    for (i, set) in settings.conditions.iter().enumerate() {
        db::run(
            &db,
            "INSERT INTO condition_sets (widget_id, position, body) VALUES (?1, ?2, ?3)",
            &[
                int(id),
                int(i as i64),
                text(&serde_json::to_string(set).expect("serializes")),
            ],
        )
        .await?;
    }
    db::bump_site(&db, stored.site_id).await?;
    db::audit(
        &db,
        user.account_id,
        user.user_id,
        "widget.clone",
        &format!("{} -> {id}", stored.widget.id),
        now,
    )
    .await?;
    let copy = load(&db, &user, id).await?;
    json(201, &view(&copy))
}

/// `DELETE /api/cabinet/widgets/{id}`: irreversible; its orders stay in the journal.
pub async fn delete(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let stored = load(&db, &user, id_param(&ctx, "id")?).await?;
    db::run(
        &db,
        "DELETE FROM widgets WHERE id = ?1",
        &[int(stored.widget.id)],
    )
    .await?;
    db::bump_site(&db, stored.site_id).await?;
    db::audit(
        &db,
        user.account_id,
        user.user_id,
        "widget.delete",
        &stored.widget.id.to_string(),
        now(),
    )
    .await?;
    Ok(Response::empty()?.with_status(204))
}

/// `POST /api/cabinet/sites/{id}/widgets/reorder`: every widget of the site, in the new
/// order.
pub async fn reorder(mut req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let site_id = id_param(&ctx, "id")?;
    owned(&db, &user, site_id).await?;
    let order: Reorder = json_body(&mut req).await?;
    #[derive(Deserialize)]
    struct Id {
        id: i64,
    }
    let mut current: Vec<i64> = db::all::<Id>(
        &db,
        "SELECT id FROM widgets WHERE site_id = ?1",
        &[int(site_id)],
    )
    .await?
    .into_iter()
    .map(|r| r.id)
    .collect();
    let mut wanted = order.ids.clone();
    current.sort_unstable();
    wanted.sort_unstable();
    if current != wanted {
        return Err(ApiError::invalid(
            "ids",
            "list every widget of the site exactly once",
        ));
    }
    for (position, id) in order.ids.iter().enumerate() {
        db::run(
            &db,
            "UPDATE widgets SET position = ?1 WHERE id = ?2 AND site_id = ?3",
            &[int(position as i64), int(*id), int(site_id)],
        )
        .await?;
    }
    db::bump_site(&db, site_id).await?;
    db::audit(
        &db,
        user.account_id,
        user.user_id,
        "widget.reorder",
        &site_id.to_string(),
        now(),
    )
    .await?;
    list(req, ctx).await
}

/// `POST /api/cabinet/widgets/{id}/preview`: "a preview link that shows a not-yet-active
/// widget on the real site for the person who opens it", working for
/// [`shared::preview::LINK_HOURS`]. Asked again, it renews the link: a new token, and the old
/// one stops working at once.
pub async fn preview(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let stored = load(&db, &user, id_param(&ctx, "id")?).await?;
    let token = crypto::token()?;
    // As stored (whole seconds), so that the cards show the same instant.
    let expires_at = db::parse_ts(&ts(shared::preview::link_expires_at(now())))?;
    db::run(
        &db,
        "UPDATE widgets SET preview_token = ?1, preview_expires_at = ?2 WHERE id = ?3",
        &[
            opt_text(Some(&token)),
            text(&ts(expires_at)),
            int(stored.widget.id),
        ],
    )
    .await?;
    db::bump_site(&db, stored.site_id).await?;
    json(200, &preview_link(&stored.site.domain, &token, expires_at))
}

fn preview_link(domain: &str, token: &str, expires_at: DateTime<Utc>) -> PreviewLink {
    PreviewLink {
        url: format!("https://{domain}/?rb_preview={token}"),
        expires_at,
    }
}

#[derive(Deserialize)]
struct PreviewRow {
    id: i64,
    preview_token: String,
    preview_expires_at: Option<String>,
}

/// The current preview tokens of a site's widgets (for *decide*, which checks their expiry at
/// each request, and for the cards).
pub async fn preview_tokens(
    db: &D1Database,
    site_id: i64,
) -> Result<Vec<shared::preview::PreviewToken>, ApiError> {
    let rows: Vec<PreviewRow> = db::all(
        db,
        "SELECT id, preview_token, preview_expires_at FROM widgets \
         WHERE site_id = ?1 AND preview_token IS NOT NULL",
        &[int(site_id)],
    )
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(shared::preview::PreviewToken {
                token: r.preview_token,
                widget_id: r.id,
                expires_at: r
                    .preview_expires_at
                    .as_deref()
                    .map(db::parse_ts)
                    .transpose()?,
            })
        })
        .collect()
}
