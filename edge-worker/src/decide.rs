//! *decide*: which widget shows on a page (SPEC §3), answered as a ready render model.
//!
//! A site's widgets, departments and order statistics are cached in the isolate per site
//! settings version (one D1 query per page view when nothing changed); the answer carries an
//! ETag, and a page that sends it back with `If-None-Match` gets a bodyless 304.

use crate::db::{self, int};
use crate::error::{ApiError, ApiResult};
use crate::http::{allow_site_origin, query};
use crate::orders::{site_by_key, PublicSite};
use crate::{crypto, departments, now, widgets, Ctx};
use serde::Deserialize;
use shared::account::Site;
use shared::api::{DecideAnswer, DecideQuery};
use shared::autoshow::Sample;
use shared::conditions::{Geo, Visit};
use shared::departments::Department;
use shared::device::DeviceType;
use shared::preview::{previewed, PreviewToken};
use shared::render::{render, Input};
use shared::selection::{choose, Context, ListedWidget};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use worker::{D1Database, Request, Response};

/// Order statistics are re-read at most this often, in seconds.
const SAMPLES_TTL_SECS: i64 = 600;
/// Orders the dynamic auto-show statistic looks at.
const SAMPLES: i64 = 500;

/// What *decide* needs of a site, as of one settings version.
struct Cached {
    version: i64,
    widgets: Vec<ListedWidget>,
    departments: Vec<Department>,
    /// Preview tokens of the site's widgets, with their expiry (checked at each request).
    previews: Vec<PreviewToken>,
    samples: Vec<Sample>,
    samples_at: i64,
}

thread_local! {
    static CACHE: RefCell<HashMap<i64, Rc<Cached>>> = RefCell::new(HashMap::new());
}

#[derive(Deserialize)]
struct SampleRow {
    utm_source: Option<String>,
    seconds_on_site: i64,
}

async fn samples(db: &D1Database, site_id: i64) -> Result<Vec<Sample>, ApiError> {
    let rows: Vec<SampleRow> = db::all(
        db,
        "SELECT utm_source, seconds_on_site FROM orders WHERE site_id = ?1 \
         AND seconds_on_site IS NOT NULL ORDER BY created_at DESC LIMIT ?2",
        &[int(site_id), int(SAMPLES)],
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Sample {
            source: r.utm_source,
            seconds: r.seconds_on_site.clamp(0, i64::from(u32::MAX)) as u32,
        })
        .collect())
}

/// The site's cached data, loaded again when its version moved or its statistics aged.
async fn cached(db: &D1Database, site: &PublicSite, now_secs: i64) -> Result<Rc<Cached>, ApiError> {
    let hit = CACHE.with(|c| c.borrow().get(&site.id).cloned());
    if let Some(c) = hit.filter(|c| c.version == site.settings_version) {
        if now_secs - c.samples_at < SAMPLES_TTL_SECS {
            return Ok(c);
        }
        let fresh = Rc::new(Cached {
            version: c.version,
            widgets: c.widgets.clone(),
            departments: c.departments.clone(),
            previews: c.previews.clone(),
            samples: samples(db, site.id).await?,
            samples_at: now_secs,
        });
        CACHE.with(|cache| cache.borrow_mut().insert(site.id, fresh.clone()));
        return Ok(fresh);
    }
    let previews = widgets::preview_tokens(db, site.id).await?;
    let fresh = Rc::new(Cached {
        version: site.settings_version,
        widgets: widgets::of_site(db, site.id).await?,
        departments: departments::of_account(db, site.account_id).await?,
        previews,
        samples: samples(db, site.id).await?,
        samples_at: now_secs,
    });
    CACHE.with(|cache| cache.borrow_mut().insert(site.id, fresh.clone()));
    Ok(fresh)
}

/// The visitor's location: Cloudflare's data, or in local development (feature `local-dev`)
/// the `X-Ringback-Dev-Country`, `-Region` and `-City` headers when a test sends them.
fn geo(req: &Request) -> Geo {
    let cf = req.cf();
    let mut g = Geo {
        country: cf.and_then(|c| c.country()),
        region: cf.and_then(|c| c.region()),
        city: cf.and_then(|c| c.city()),
    };
    if cfg!(feature = "local-dev") {
        let h = |name: &str| req.headers().get(name).ok().flatten();
        if let Some(c) = h("X-Ringback-Dev-Country") {
            g.country = Some(c);
            g.region = h("X-Ringback-Dev-Region");
            g.city = h("X-Ringback-Dev-City");
        }
    }
    g
}

/// `GET /api/v1/decide`.
pub async fn handle(req: Request, ctx: Ctx) -> ApiResult {
    let q: DecideQuery = query(&req)?;
    if q.site.trim().is_empty() {
        return Err(ApiError::bad_request(
            "`site` (the data-site key) is required",
        ));
    }
    let db = db::db(&ctx.env)?;
    let site = site_by_key(&db, &q.site)
        .await?
        .ok_or(ApiError::UnknownSite)?;
    let now = now();
    let data = cached(&db, &site, now.timestamp()).await?;
    let headers = req.headers();
    let user_agent = headers.get("User-Agent")?.unwrap_or_default();
    let ch_mobile = headers.get("Sec-CH-UA-Mobile")?.map(|v| v.trim() == "?1");
    let visit = Visit::new(
        q.url.clone(),
        DeviceType::from_request(&user_agent, ch_mobile),
        geo(&req),
    );
    let preview = q
        .preview
        .as_deref()
        .and_then(|token| previewed(&data.previews, token, now));
    let choice = choose(
        &data.widgets,
        &Context {
            now,
            visit: &visit,
            pinned: q.pin,
            preview,
            service_available: site.available(),
        },
    );
    let public_site = Site {
        domain: site.domain.clone(),
        country: site.country.clone(),
        client_countries: vec![],
    };
    let answer = DecideAnswer {
        pin: choice.filter(|c| c.pin).map(|c| c.widget.id),
        widget: choice.map(|choice| {
            render(Input {
                choice,
                departments: &data.departments,
                site: &public_site,
                visit: &visit,
                page_lang: q.lang.as_deref().unwrap_or(""),
                visitor_zone: q.tz.as_deref(),
                samples: &data.samples,
                now,
            })
        }),
    };
    let body = serde_json::to_string(&answer).expect("serializes");
    let etag = format!("\"{}\"", &crypto::sha256_hex(&body)[..32]);
    let not_modified = headers
        .get("If-None-Match")?
        .is_some_and(|sent| sent.split(',').any(|t| t.trim() == etag));
    let mut response = if not_modified {
        Response::empty()?.with_status(304)
    } else {
        Response::ok(body)?
    };
    let h = response.headers_mut();
    h.set("Content-Type", "application/json")?;
    h.set("ETag", &etag)?;
    h.set("Cache-Control", "no-cache")?;
    allow_site_origin(&mut response, &req, &site.domain)?;
    Ok(response)
}
