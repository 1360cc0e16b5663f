//! D1 storage: the queries, and rows turned into `shared` types.

use crate::error::ApiError;
use serde::Deserialize;
use shared::account::Site;
use shared::selection::ListedWidget;
use shared::widget::WidgetSettings;
use worker::{D1Database, Env};

pub fn db(env: &Env) -> Result<D1Database, ApiError> {
    Ok(env.d1("DB")?)
}

#[derive(Deserialize)]
struct SiteRow {
    id: i64,
    domain: String,
    country: String,
}

/// A stored site.
pub struct StoredSite {
    pub id: i64,
    pub site: Site,
}

#[derive(Deserialize)]
struct WidgetRow {
    id: i64,
    position: i64,
    active: i64,
    settings: String,
}

/// The site with this public key.
pub async fn site_by_key(db: &D1Database, key: &str) -> Result<Option<StoredSite>, ApiError> {
    let row: Option<SiteRow> = db
        .prepare("SELECT id, domain, country FROM sites WHERE site_key = ?1")
        .bind(&[key.into()])?
        .first(None)
        .await?;
    Ok(row.map(|r| StoredSite {
        id: r.id,
        site: Site {
            domain: r.domain,
            country: r.country,
        },
    }))
}

/// The site's widgets in list order.
pub async fn site_widgets(db: &D1Database, site_id: i64) -> Result<Vec<ListedWidget>, ApiError> {
    let rows: Vec<WidgetRow> = db
        .prepare(
            "SELECT id, position, active, settings FROM widgets \
             WHERE site_id = ?1 ORDER BY position, id",
        )
        .bind(&[(site_id as f64).into()])?
        .all()
        .await?
        .results()?;
    rows.into_iter()
        .map(|r| {
            Ok(ListedWidget {
                id: r.id,
                position: r.position,
                active: r.active != 0,
                settings: WidgetSettings::load(&r.settings)
                    .map_err(|e| ApiError::Internal(format!("widget {}: {e}", r.id)))?,
            })
        })
        .collect()
}
