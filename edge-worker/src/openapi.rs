//! `GET /openapi.json`: the OpenAPI 3.1 document of both APIs, generated from the Rust types
//! by `cargo xtask openapi` and embedded at build time.

use worker::Response;

const DOCUMENT: &str = include_str!("../openapi.json");

pub fn serve() -> worker::Result<Response> {
    let mut r = Response::ok(DOCUMENT)?;
    r.headers_mut().set("Content-Type", "application/json")?;
    r.headers_mut().set("Access-Control-Allow-Origin", "*")?;
    Ok(r)
}
