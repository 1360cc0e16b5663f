//! The telephony's callbacks: every request is checked for the provider's signature with the
//! account's secret (unsigned or wrongly signed requests get 403 and change nothing), then
//! handed to the order's chain ([`crate::chains`]). A PBX's signature also binds the method,
//! the path and a time within 5 minutes, and is good once ([`crate::signatures`]).
//!
//! | path | from |
//! |---|---|
//! | `POST /api/telephony/twilio/{order}/{attempt}/{leg}/{answer,status,gather,dial,client}` | a Twilio-compatible provider: TwiML fetches and status callbacks (`X-Twilio-Signature`) |
//! | `POST /api/telephony/twilio/inbound` | the provider's inbound-call notification: a client's direct call cancels pending retries |
//! | `POST /api/telephony/pbx/{order}/{attempt}` | a PBX's signed [`shared::telephony::PbxEvent`]; answers [`shared::telephony::PbxAnswer`] |
//! | `POST /api/telephony/pbx/accounts/{account}/inbound` | a PBX's signed `{"from": "+7..."}`: a direct call |

use crate::chains::{self, PbxCallback, TwilioCallback};
use crate::db::{self, int, text};
use crate::error::{ApiError, ApiResult};
use crate::http::{self, Limit};
use crate::signatures;
use crate::telephony;
use crate::Ctx;
use serde::Deserialize;
use shared::telephony::twilio_signature_valid;
use shared::webhook::Signed;
use worker::{Method, Request, Response};

/// The form parameters of a provider's POST (at most [`Limit::Form`]).
async fn form(req: &mut Request) -> Result<Vec<(String, String)>, ApiError> {
    let body = http::body(req, Limit::Form).await?;
    serde_urlencoded::from_bytes(&body)
        .map_err(|e| ApiError::bad_request(format!("the body is not a form: {e}")))
}

fn twilio_signed(req: &Request, token: &str, params: &[(String, String)]) -> Result<(), ApiError> {
    let signature = req
        .headers()
        .get("X-Twilio-Signature")?
        .ok_or_else(|| ApiError::Forbidden("the request is not signed".into()))?;
    let url = req.url()?.to_string();
    if token.is_empty() || !twilio_signature_valid(token, &url, params, &signature) {
        return Err(ApiError::Forbidden(
            "the request's signature is wrong".into(),
        ));
    }
    Ok(())
}

fn param<'a>(ctx: &'a Ctx, name: &str) -> Result<&'a String, ApiError> {
    ctx.param(name).ok_or(ApiError::NotFound)
}

/// A chain's answer: its refusals become the API's errors.
async fn from_chain(mut res: Response) -> ApiResult {
    match res.status_code() {
        403 => Err(ApiError::Forbidden(res.text().await.unwrap_or_default())),
        404 => Err(ApiError::NotFound),
        400 => Err(ApiError::BadRequest(res.text().await.unwrap_or_default())),
        _ => Ok(res),
    }
}

/// `POST /api/telephony/twilio/{order}/{attempt}/{leg}/{what}`: handed to the order's chain,
/// which checks the signature with the account's secret.
pub async fn twilio(mut req: Request, ctx: Ctx) -> ApiResult {
    let order = param(&ctx, "order")?.clone();
    let attempt: u32 = param(&ctx, "attempt")?
        .parse()
        .map_err(|_| ApiError::NotFound)?;
    let leg: usize = param(&ctx, "leg")?
        .parse()
        .map_err(|_| ApiError::NotFound)?;
    let what = param(&ctx, "what")?.clone();
    if !matches!(
        what.as_str(),
        "answer" | "status" | "gather" | "dial" | "client"
    ) {
        return Err(ApiError::NotFound);
    }
    let params = form(&mut req).await?;
    let callback = TwilioCallback {
        params,
        url: req.url()?.to_string(),
        signature: req.headers().get("X-Twilio-Signature")?,
        idempotency_token: req.headers().get("I-Twilio-Idempotency-Token")?,
    };
    let res = chains::call(
        &ctx.env,
        &order,
        Method::Post,
        &format!("/twilio/{attempt}/{leg}/{what}"),
        Some(serde_json::to_string(&callback).expect("serializes")),
    )
    .await?;
    from_chain(res).await
}

#[derive(Deserialize)]
struct RunningRow {
    id: String,
}

/// Tells every running chain of `phone` in the account that the client called directly.
async fn direct_call(ctx: &Ctx, account_id: i64, phone: &str) -> Result<usize, ApiError> {
    let db = db::db(&ctx.env)?;
    let rows: Vec<RunningRow> = db::all(
        &db,
        "SELECT id FROM orders WHERE account_id = ?1 AND phone = ?2 \
         AND status IN ('scheduled', 'calling')",
        &[int(account_id), text(phone)],
    )
    .await?;
    for r in &rows {
        chains::call(&ctx.env, &r.id, Method::Post, "/direct", None).await?;
    }
    Ok(rows.len())
}

/// `POST /api/telephony/twilio/inbound`: the provider's notification of an inbound call.
pub async fn twilio_inbound(mut req: Request, ctx: Ctx) -> ApiResult {
    let params = form(&mut req).await?;
    let get = |k: &str| {
        params
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let db = db::db(&ctx.env)?;
    let candidates = telephony::by_account_sid(&db, &get("AccountSid")).await?;
    let account = candidates
        .iter()
        .find(|(_, s)| twilio_signed(&req, &s.auth_token, &params).is_ok())
        .map(|(id, _)| *id)
        .ok_or_else(|| ApiError::Forbidden("the request's signature is wrong".into()))?;
    let from = get("From");
    if !from.is_empty() {
        direct_call(&ctx, account, &from).await?;
    }
    let mut r = Response::ok(r#"<?xml version="1.0" encoding="UTF-8"?><Response/>"#)?;
    r.headers_mut()
        .set("Content-Type", "text/xml; charset=utf-8")?;
    Ok(r)
}

/// `POST /api/telephony/pbx/{order}/{attempt}`: a PBX's event about an attempt, handed to the
/// order's chain, which checks its signature.
pub async fn pbx(mut req: Request, ctx: Ctx) -> ApiResult {
    let order = param(&ctx, "order")?.clone();
    let attempt: u32 = param(&ctx, "attempt")?
        .parse()
        .map_err(|_| ApiError::NotFound)?;
    let callback = PbxCallback {
        signature: signatures::header_of(&req)?,
        path: signatures::path_of(&req)?,
        body: String::from_utf8(http::body(&mut req, Limit::Json).await?)
            .map_err(|_| ApiError::bad_request("the body is not UTF-8 text"))?,
    };
    let res = chains::call(
        &ctx.env,
        &order,
        Method::Post,
        &format!("/pbx/{attempt}"),
        Some(serde_json::to_string(&callback).expect("serializes")),
    )
    .await?;
    from_chain(res).await
}

#[derive(Deserialize)]
struct PbxInbound {
    from: String,
}

/// `POST /api/telephony/pbx/accounts/{account}/inbound`: a client called the company.
pub async fn pbx_inbound(mut req: Request, ctx: Ctx) -> ApiResult {
    let account: i64 = param(&ctx, "account")?
        .parse()
        .map_err(|_| ApiError::NotFound)?;
    let db = db::db(&ctx.env)?;
    let settings = telephony::settings(&db, account)
        .await?
        .ok_or(ApiError::NotFound)?;
    let (signature, path) = (signatures::header_of(&req)?, signatures::path_of(&req)?);
    let body = http::body(&mut req, Limit::Json).await?;
    let signed = Signed {
        method: "POST",
        path: &path,
        body: &body,
    };
    signatures::check(&db, &settings.pbx_secret, signature.as_deref(), &signed).await?;
    let inbound: PbxInbound = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("expected {{\"from\": ...}}: {e}")))?;
    let cancelled = direct_call(&ctx, account, &inbound.from).await?;
    http::json(200, &serde_json::json!({ "chains": cancelled }))
}
