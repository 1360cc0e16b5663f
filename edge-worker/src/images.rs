//! Image uploads (SPEC §6 "image upload for logo, background and promo image with size, type
//! and dimension checks"): the cabinet posts the file as it is; `shared::images` measures and
//! checks it; the file goes to the R2 bucket `MEDIA` (simulated on disk by `wrangler dev`) and
//! is served from `/media/<account>/<token>.<ext>` to the widget on any site.

use crate::auth::{require, Access};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::http::{body, json, Limit};
use crate::{crypto, origin_of, Ctx};
use shared::images::{self, ImageUse};
use worker::{HttpMetadata, Request, Response};

/// The bucket binding.
const BUCKET: &str = "MEDIA";

/// `POST /api/cabinet/images?use=logo|background|promo`, the file as the body: the measured
/// [`shared::appearance::ImageRef`] (201), or its problems (422) under the path `image`.
pub async fn upload(mut req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Write).await?;
    let url = req.url()?;
    let usage = url
        .query_pairs()
        .find(|(k, _)| k == "use")
        .and_then(|(_, v)| ImageUse::parse(&v))
        .ok_or_else(|| {
            ApiError::bad_request("say what the image is for: ?use=logo, background or promo")
        })?;
    let bytes = body(&mut req, Limit::Image).await?;
    let kind = shared::appearance::ImageType::sniff(&bytes);
    let key = format!(
        "{}/{}-{}.{}",
        user.account_id,
        usage.as_str(),
        crypto::token()?,
        kind.map_or("bin", |k| k.extension())
    );
    let image = images::measure(
        &bytes,
        usage,
        format!("{}/media/{key}", origin_of(&req)?),
        "image",
    )
    .map_err(ApiError::Invalid)?;
    ctx.env
        .bucket(BUCKET)?
        .put(&key, bytes)
        .http_metadata(HttpMetadata {
            content_type: Some(image.kind.mime().to_string()),
            cache_control: Some("public, max-age=31536000, immutable".into()),
            ..HttpMetadata::default()
        })
        .execute()
        .await?;
    json(201, &image)
}

/// Whether `key` has the shape [`upload`] gives its files (`<account>/<use>-<token>.<ext>`):
/// anything else is not asked of the bucket, whose keys are at most 1,024 bytes (a longer one
/// is an error of R2's, not a missing file).
fn could_be_upload(key: &str) -> bool {
    (1..=200).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'))
}

/// `GET /media/<key>`: an uploaded image, cached for good (every upload gets a new name).
/// Whatever a file holds, it never runs: opened as a page it gets a policy that allows nothing
/// and a sandbox, and the browser must take its content type as given.
pub async fn serve(_req: Request, ctx: Ctx) -> ApiResult {
    let key = ctx
        .param("key")
        .ok_or(ApiError::NotFound)?
        .trim_start_matches('/')
        .to_string();
    if !could_be_upload(&key) {
        return Err(ApiError::NotFound);
    }
    let Some(object) = ctx.env.bucket(BUCKET)?.get(&key).execute().await? else {
        return Err(ApiError::NotFound);
    };
    let meta = object.http_metadata();
    let body = object.body().ok_or(ApiError::NotFound)?.bytes().await?;
    let mut res = Response::from_bytes(body)?;
    let h = res.headers_mut();
    h.set(
        "Content-Type",
        meta.content_type
            .as_deref()
            .unwrap_or("application/octet-stream"),
    )?;
    h.set("Cache-Control", "public, max-age=31536000, immutable")?;
    h.set("X-Content-Type-Options", "nosniff")?;
    h.set("Content-Security-Policy", "default-src 'none'; sandbox")?;
    Ok(res)
}
