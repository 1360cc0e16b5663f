//! Ringback's edge worker: the only server.
//!
//! Handlers are thin: parse, call `shared`, store, respond. One module per resource;
//! every failure is an [`error::ApiError`] mapped to HTTP in one place. Static files (the
//! loader, the widget, the cabinet, the demo page) are served by Workers static assets from
//! `dist/`; only `/api/*` reaches this code (see `wrangler.toml`).

mod decide;
mod error;
mod store;

use error::ApiError;
use worker::{event, Context, Env, Request, Response, RouteContext, Router};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    Router::new()
        .get("/api/health", |_, _| health())
        .get_async("/api/v1/decide", |req, ctx| async move {
            respond(decide::handle(req, ctx).await)
        })
        .or_else_any_method("/api/*rest", |_, _| respond(Err(ApiError::NotFound)))
        .run(req, env)
        .await
}

fn health() -> worker::Result<Response> {
    Response::from_json(&serde_json::json!({ "status": "ok", "service": "ringback-edge-worker" }))
}

/// The one place where results become HTTP answers.
fn respond(result: Result<Response, ApiError>) -> worker::Result<Response> {
    match result {
        Ok(response) => Ok(response),
        Err(e) => e.into_response(),
    }
}

/// Shorthand for handlers' route context.
type Ctx = RouteContext<()>;

/// The current instant, from the runtime's clock (the core never reads a clock itself).
fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(worker::Date::now().as_millis() as i64)
        .expect("the runtime clock is in range")
}
