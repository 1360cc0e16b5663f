//! *decide*: which widget shows on a page (SPEC §3), answered as a ready render model.

use crate::error::ApiError;
use crate::{store, Ctx};
use ringback_shared::api::{DecideAnswer, DecideQuery, RenderModel};
use ringback_shared::selection::choose_widget;
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
    let site_id = store::site_id_by_key(&db, &query.site)
        .await?
        .ok_or(ApiError::UnknownSite)?;
    let widgets = store::site_widgets(&db, site_id).await?;
    let answer = DecideAnswer {
        widget: choose_widget(&widgets).map(|w| RenderModel {
            widget_id: w.id,
            button: w.settings.button.clone(),
        }),
    };
    let mut response = Response::from_json(&answer)?;
    // Public, cookieless: any customer site may read the answer.
    response
        .headers_mut()
        .set("Access-Control-Allow-Origin", "*")?;
    Ok(response)
}
