//! Ringback's edge worker: the only server.
//!
//! Handlers are thin: parse, call `shared`, store, respond. One module per resource; every
//! failure is an [`error::ApiError`] mapped to HTTP in one place. Static files (the loader, the
//! widget, the cabinet, the demo page) are served by Workers static assets from `dist/`; only
//! `/api/*` reaches this code (see `wrangler.toml`); `/openapi.json` is a static file too,
//! generated from the wire types by `cargo xtask openapi`.
//!
//! | path | module |
//! |---|---|
//! | `GET /api/v1/decide` | [`decide`] |
//! | `POST /api/v1/orders`, `GET /api/v1/orders/{id}` | [`orders`] |
//! | `/api/cabinet/signup`, `confirm`, `login`, `logout`, `me` | [`auth`] |
//! | `/api/cabinet/sites...` | [`sites`], [`widgets`] |
//! | `/api/cabinet/widgets...` | [`widgets`], [`conditions`] |
//! | `/api/cabinet/departments...` | [`departments`] |
//! | `/api/cabinet/blacklist...` | [`blacklist`] |
//! | `/api/cabinet/limits` (daily caps per client number) | [`limits`] |
//! | `/api/cabinet/journal`, `journal.csv`, `reports`, `orders/{id}`, `orders/{id}/reschedule` | [`journal`] |
//! | `/api/cabinet/orders/{id}/webhooks/{delivery}/resend` | [`notifications`] |
//! | `/api/cabinet/telephony` | [`telephony`] |
//! | `/api/telephony/...` (provider and PBX callbacks) | [`callbacks`] |
//! | a Durable Object per call chain | [`chains`] |

mod auth;
mod blacklist;
mod callbacks;
mod chains;
mod conditions;
mod crypto;
mod db;
mod decide;
mod departments;
mod error;
mod http;
mod images;
mod journal;
mod limits;
mod notifications;
mod orders;
mod signatures;
mod sites;
mod telephony;
mod widgets;

pub use chains::ChainObject;

use error::{ApiError, ApiResult};
use worker::{event, Context, Env, Request, Response, RouteContext, Router};

/// Shorthand for handlers' route context.
type Ctx = RouteContext<()>;

/// The current instant, from the runtime's clock (the core never reads a clock itself).
fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(worker::Date::now().as_millis() as i64)
        .expect("the runtime clock is in range")
}

/// The worker's own origin, e.g. `https://rb.example` (for snippets and links).
fn origin_of(req: &Request) -> Result<String, ApiError> {
    let url = req.url()?;
    Ok(url.origin().ascii_serialization())
}

/// The one place where cabinet results become HTTP answers.
fn respond(result: ApiResult) -> worker::Result<Response> {
    match result {
        Ok(response) => guarded(response),
        Err(e) => guarded(e.into_response()?),
    }
}

/// Public API answers: errors are readable by the widget on any site.
fn respond_public(result: ApiResult) -> worker::Result<Response> {
    match result {
        Ok(response) => guarded(response),
        Err(e) => {
            let mut r = e.into_response()?;
            r.headers_mut().set("Access-Control-Allow-Origin", "*")?;
            guarded(r)
        }
    }
}

/// Headers of every answer of the worker: the browser must not guess a content type, and an
/// answer that says nothing about caching (the cabinet's data, sessions) is not stored by any
/// cache. Uploaded images and *decide* set their own caching. Set on a copy of the headers:
/// an answer passed on from a call chain's Durable Object has headers that cannot change.
fn guarded(r: Response) -> worker::Result<Response> {
    let h = r.headers().clone();
    h.set("X-Content-Type-Options", "nosniff")?;
    if !h.has("Cache-Control")? {
        h.set("Cache-Control", "no-store")?;
    }
    Ok(r.with_headers(h))
}

macro_rules! public {
    ($router:ident . $method:ident ($path:literal, $handler:path)) => {
        $router.$method($path, |req, ctx| async move {
            respond_public($handler(req, ctx).await)
        })
    };
}

macro_rules! cabinet {
    ($router:ident . $method:ident ($path:literal, $handler:path)) => {
        $router.$method($path, |req, ctx| async move {
            respond($handler(req, ctx).await)
        })
    };
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let r = Router::new()
        .get("/api/health", |_, _| health())
        .options("/api/v1/*path", |req, _| {
            respond_public(http::preflight(&req))
        });
    let r = public!(r.get_async("/api/v1/decide", decide::handle));
    let r = public!(r.post_async("/api/v1/orders", orders::create));
    let r = public!(r.get_async("/api/v1/orders/:id", orders::status));
    let r = cabinet!(r.post_async("/api/cabinet/signup", auth::sign_up));
    let r = cabinet!(r.post_async("/api/cabinet/confirm", auth::confirm));
    let r = cabinet!(r.post_async("/api/cabinet/login", auth::log_in));
    let r = cabinet!(r.post_async("/api/cabinet/logout", auth::log_out));
    let r = cabinet!(r.get_async("/api/cabinet/me", auth::me));
    let r = cabinet!(r.get_async("/api/cabinet/sites", sites::list));
    let r = cabinet!(r.post_async("/api/cabinet/sites", sites::create));
    let r = cabinet!(r.get_async("/api/cabinet/sites/:id", sites::get));
    let r = cabinet!(r.put_async("/api/cabinet/sites/:id", sites::update));
    let r = cabinet!(r.delete_async("/api/cabinet/sites/:id", sites::delete));
    let r = cabinet!(r.get_async("/api/cabinet/sites/:id/widgets", widgets::list));
    let r = cabinet!(r.post_async("/api/cabinet/sites/:id/widgets", widgets::create));
    let r = cabinet!(r.post_async("/api/cabinet/sites/:id/widgets/reorder", widgets::reorder));
    let r = cabinet!(r.get_async("/api/cabinet/sites/:id/conflicts", widgets::site_conflicts));
    let r = cabinet!(r.get_async("/api/cabinet/widgets/:id", widgets::get));
    let r = cabinet!(r.put_async("/api/cabinet/widgets/:id", widgets::update));
    let r = cabinet!(r.delete_async("/api/cabinet/widgets/:id", widgets::delete));
    let r = cabinet!(r.post_async("/api/cabinet/widgets/:id/activate", widgets::activate));
    let r = cabinet!(r.post_async("/api/cabinet/widgets/:id/deactivate", widgets::deactivate));
    let r = cabinet!(r.post_async("/api/cabinet/widgets/:id/clone", widgets::clone));
    let r = cabinet!(r.post_async("/api/cabinet/widgets/:id/preview", widgets::preview));
    let r = cabinet!(r.get_async("/api/cabinet/widgets/:id/conditions", conditions::list));
    let r = cabinet!(r.post_async("/api/cabinet/widgets/:id/conditions", conditions::create));
    let r = cabinet!(r.put_async(
        "/api/cabinet/widgets/:id/conditions/:cid",
        conditions::update
    ));
    let r = cabinet!(r.delete_async(
        "/api/cabinet/widgets/:id/conditions/:cid",
        conditions::delete
    ));
    let r = cabinet!(r.get_async("/api/cabinet/departments", departments::list));
    let r = cabinet!(r.post_async("/api/cabinet/departments", departments::create));
    let r = cabinet!(r.put_async("/api/cabinet/departments/:id", departments::update));
    let r = cabinet!(r.delete_async("/api/cabinet/departments/:id", departments::delete));
    let r = cabinet!(r.get_async("/api/cabinet/blacklist", blacklist::list));
    let r = cabinet!(r.post_async("/api/cabinet/blacklist", blacklist::create));
    let r = cabinet!(r.delete_async("/api/cabinet/blacklist/:id", blacklist::delete));
    let r = cabinet!(r.get_async("/api/cabinet/limits", limits::get));
    let r = cabinet!(r.put_async("/api/cabinet/limits", limits::update));
    let r = cabinet!(r.get_async("/api/cabinet/journal", journal::list));
    let r = cabinet!(r.get_async("/api/cabinet/journal.csv", journal::export));
    let r = cabinet!(r.get_async("/api/cabinet/reports", journal::reports));
    let r = cabinet!(r.get_async("/api/cabinet/orders/:id", journal::order));
    let r = cabinet!(r.post_async("/api/cabinet/orders/:id/reschedule", journal::reschedule));
    let r = cabinet!(r.post_async(
        "/api/cabinet/orders/:id/webhooks/:delivery/resend",
        notifications::resend
    ));
    let r = cabinet!(r.post_async("/api/cabinet/images", images::upload));
    let r = cabinet!(r.get_async("/media/*key", images::serve));
    let r = cabinet!(r.get_async("/api/cabinet/telephony", telephony::get));
    let r = cabinet!(r.put_async("/api/cabinet/telephony", telephony::update));
    let r = cabinet!(r.post_async("/api/telephony/twilio/inbound", callbacks::twilio_inbound));
    let r = cabinet!(r.post_async(
        "/api/telephony/twilio/:order/:attempt/:leg/:what",
        callbacks::twilio
    ));
    let r = cabinet!(r.post_async(
        "/api/telephony/pbx/accounts/:account/inbound",
        callbacks::pbx_inbound
    ));
    let r = cabinet!(r.post_async("/api/telephony/pbx/:order/:attempt", callbacks::pbx));
    r.or_else_any_method("/api/*rest", |_, _| respond(Err(ApiError::NotFound)))
        .run(req, env)
        .await
}

/// The minute cron: chains that did not start with their order start now; expired PBX
/// signatures are forgotten.
#[event(scheduled)]
async fn scheduled(_event: worker::ScheduledEvent, env: Env, _ctx: worker::ScheduleContext) {
    if let Err(e) = chains::sweep(&env).await {
        worker::console_error!("sweep: {}", shared::redact::redact(&format!("{e:?}")));
    }
    if let Err(e) = signatures::purge(&env).await {
        worker::console_error!("used signatures: {e:?}");
    }
}

fn health() -> worker::Result<Response> {
    Response::from_json(&serde_json::json!({ "status": "ok", "service": "ringback-edge-worker" }))
}
