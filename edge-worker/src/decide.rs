//! *decide*: which widget shows on a page (SPEC §3), answered as a ready render model.

use crate::error::ApiError;
use crate::{now, store, Ctx};
use shared::api::{DecideAnswer, DecideQuery};
use shared::conditions::{Geo, Visit};
use shared::device::DeviceType;
use shared::render::{render, Input};
use shared::selection::{choose, Context};
use worker::{Request, Response};

pub async fn handle(req: Request, ctx: Ctx) -> Result<Response, ApiError> {
    let query: DecideQuery = req
        .query()
        .map_err(|_| ApiError::bad_request("`site` (the data-site key) is required"))?;
    if query.site.trim().is_empty() {
        return Err(ApiError::bad_request(
            "`site` (the data-site key) is required",
        ));
    }
    let db = store::db(&ctx.env)?;
    let site = store::site_by_key(&db, &query.site)
        .await?
        .ok_or(ApiError::UnknownSite)?;
    let widgets = store::site_widgets(&db, site.id).await?;
    let headers = req.headers();
    let user_agent = headers.get("User-Agent")?.unwrap_or_default();
    let ch_mobile = headers.get("Sec-CH-UA-Mobile")?.map(|v| v.trim() == "?1");
    let geo = req
        .cf()
        .map(|cf| Geo {
            country: cf.country(),
            region: cf.region(),
            city: cf.city(),
        })
        .unwrap_or_default();
    let visit = Visit::new(
        query.url.clone(),
        DeviceType::from_request(&user_agent, ch_mobile),
        geo,
    );
    let now = now();
    let choice = choose(
        &widgets,
        &Context {
            now,
            visit: &visit,
            pinned: query.pin,
            preview: None,
            service_available: true,
        },
    );
    let answer = DecideAnswer {
        pin: choice.filter(|c| c.pin).map(|c| c.widget.id),
        widget: choice.map(|choice| {
            render(Input {
                choice,
                departments: &[],
                site: &site.site,
                visit: &visit,
                page_lang: query.lang.as_deref().unwrap_or(""),
                visitor_zone: query.tz.as_deref(),
                samples: &[],
                now,
            })
        }),
    };
    let mut response = Response::from_json(&answer)?;
    // Public, cookieless: any customer site may read the answer.
    response
        .headers_mut()
        .set("Access-Control-Allow-Origin", "*")?;
    Ok(response)
}
