//! Request and response helpers: bodies read with a cap, JSON bodies, query strings, cookies, client addresses, CORS.

use crate::error::ApiError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::{Request, Response};

/// How much body a route reads at most. Every handler that reads a body reads it through
/// [`body`] with one of these (README "Security" → "Body limits").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// JSON APIs: orders, the cabinet, a PBX's signed JSON.
    Json,
    /// A telephony provider's form callbacks (`application/x-www-form-urlencoded`).
    Form,
    /// An image upload, the file itself as the body: above SPEC's 600 KB image limit, so a file
    /// a little too large is still measured and refused with its reason (422) rather than cut off.
    Image,
}

impl Limit {
    /// The limit in bytes.
    pub const fn bytes(self) -> usize {
        match self {
            Limit::Json | Limit::Form => 64 * 1024,
            Limit::Image => 1024 * 1024,
        }
    }
}

/// The most of a refused body without a length that is read (and dropped) before answering:
/// Cloudflare's own request body limit (Free and Pro plans), which the edge enforces before a
/// request reaches the worker.
const DRAIN_MAX: usize = 100 * 1024 * 1024;

/// The request's body, at most `limit` bytes.
///
/// A `Content-Length` over the limit is refused (413) before a byte is read (one that is not a
/// number is a 400); the runtime discards the unread body outside the isolate, as it does for
/// routes that read no body. A body without a length (chunked) is read chunk by chunk and
/// refused (413) as soon as it passes the limit: from then on its chunks are dropped unread by
/// the worker's code, never kept or copied, and the answer goes once the sender has finished (up
/// to [`DRAIN_MAX`]). Answering while a chunked body is still arriving resets the connection
/// under the sender, who then sees no answer: local `wrangler dev`'s proxy says 503 "Your worker
/// restarted mid-request", or the client's read of the 413 fails with "connection reset".
pub async fn body(req: &mut Request, limit: Limit) -> Result<Vec<u8>, ApiError> {
    use futures_util::StreamExt;
    use wasm_bindgen::JsCast;
    let max = limit.bytes();
    let unreadable = || ApiError::bad_request("the request body could not be read");
    if let Some(length) = req.headers().get("Content-Length")? {
        let length: u64 = length
            .trim()
            .parse()
            .map_err(|_| ApiError::bad_request("the Content-Length header is not a number"))?;
        if length > max as u64 {
            return Err(ApiError::PayloadTooLarge { limit: max });
        }
    }
    let Some(raw) = req.inner().body() else {
        return Ok(Vec::new());
    };
    let mut stream = wasm_streams::ReadableStream::from_raw(raw.unchecked_into());
    let reader = stream.try_get_reader().map_err(|_| unreadable())?;
    // A reader's stream releases its lock when dropped; it does not cancel the body.
    let mut chunks = reader.into_stream();
    let mut bytes = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = chunks.next().await {
        let chunk = js_sys::Uint8Array::from(chunk.map_err(|_| unreadable())?);
        seen += chunk.length() as usize;
        if seen > max {
            if seen > DRAIN_MAX {
                break;
            }
            continue;
        }
        let start = bytes.len();
        bytes.resize(seen, 0);
        chunk.copy_to(&mut bytes[start..]);
    }
    if seen > max {
        return Err(ApiError::PayloadTooLarge { limit: max });
    }
    Ok(bytes)
}

/// The body as `T`, whatever the content type says (the widget sends `text/plain` to spare
/// the visitor a CORS preflight), at most [`Limit::Json`]. A body that is not the expected JSON
/// is a 400 that names the field.
pub async fn json_body<T: DeserializeOwned>(req: &mut Request) -> Result<T, ApiError> {
    let bytes = body(req, Limit::Json).await?;
    serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request(format!("the body is not the expected JSON: {e}")))
}

/// The query string as `T` (`serde_urlencoded` reads each value as its field's type); empty
/// values count as absent. A 400 naming what is wrong otherwise.
pub fn query<T: DeserializeOwned>(req: &Request) -> Result<T, ApiError> {
    let url = req.url()?;
    let present: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let encoded = serde_urlencoded::to_string(&present).unwrap_or_default();
    serde_urlencoded::from_str(&encoded)
        .map_err(|e| ApiError::bad_request(format!("the query string is not valid: {e}")))
}

/// A JSON answer.
pub fn json<T: Serialize>(status: u16, body: &T) -> Result<Response, ApiError> {
    Ok(Response::from_json(body)?.with_status(status))
}

/// The value of cookie `name`.
pub fn cookie(req: &Request, name: &str) -> Option<String> {
    let header = req.headers().get("Cookie").ok().flatten()?;
    header.split(';').find_map(|part| {
        let (k, v) = part.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

/// The client's address as Cloudflare reports it; in local development (feature `local-dev`)
/// a test may set it with `X-Ringback-Dev-Ip`, so that many tests from one machine do not share
/// one address's rate limit.
pub fn client_ip(req: &Request) -> Option<String> {
    let header = |name: &str| req.headers().get(name).ok().flatten();
    if cfg!(feature = "local-dev") {
        if let Some(ip) = header("X-Ringback-Dev-Ip") {
            return Some(ip);
        }
    }
    header("CF-Connecting-IP")
}

/// The host of the request's `Origin` header, if any.
pub fn origin(req: &Request) -> Option<String> {
    req.headers().get("Origin").ok().flatten()
}

/// The host part of an origin as the WHATWG URL parser reads it (`https://shop.okna.ru:8443`
/// → `shop.okna.ru`; an internationalized host in its ASCII form), or empty for what is not
/// an origin (`null`).
pub fn host_of(origin: &str) -> String {
    worker::Url::parse(origin)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default()
}

/// Whether a page on `origin` belongs to the site `domain` (the domain itself or a subdomain).
/// Both are compared in their ASCII form: a site stored as `окна.рф` before domains were
/// stored that way still matches the `xn--80atjc.xn--p1ai` that browsers send.
pub fn origin_belongs_to(origin: &str, domain: &str) -> bool {
    let host = host_of(origin);
    let domain = shared::account::Site::normalize_domain(domain);
    !host.is_empty() && (host == domain || host.ends_with(&format!(".{domain}")))
}

/// Adds the CORS headers that let a customer site read a public answer: the origin itself
/// when it is the site's, nothing otherwise (the browser then withholds the answer).
pub fn allow_site_origin(
    response: &mut Response,
    req: &Request,
    domain: &str,
) -> Result<(), ApiError> {
    let headers = response.headers_mut();
    headers.set("Vary", "Origin")?;
    if let Some(o) = origin(req) {
        if origin_belongs_to(&o, domain) {
            headers.set("Access-Control-Allow-Origin", &o)?;
        }
    }
    Ok(())
}

/// Any origin may read this answer (errors of the public API, before the site is known).
pub fn allow_any_origin(response: &mut Response) -> Result<(), ApiError> {
    response
        .headers_mut()
        .set("Access-Control-Allow-Origin", "*")?;
    Ok(())
}

/// The answer to a CORS preflight of the public API.
pub fn preflight(req: &Request) -> Result<Response, ApiError> {
    let mut r = Response::empty()?.with_status(204);
    let h = r.headers_mut();
    h.set(
        "Access-Control-Allow-Origin",
        &origin(req).unwrap_or_else(|| "*".into()),
    )?;
    h.set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")?;
    h.set("Access-Control-Allow-Headers", "Content-Type")?;
    h.set("Access-Control-Max-Age", "86400")?;
    h.set("Vary", "Origin")?;
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_belong_to_their_site_and_its_subdomains_only() {
        assert!(origin_belongs_to("https://okna.ru", "okna.ru"));
        assert!(origin_belongs_to("https://shop.okna.ru:8443", "okna.ru"));
        assert!(origin_belongs_to("http://127.0.0.1:8787", "127.0.0.1"));
        assert!(!origin_belongs_to("https://evilokna.ru", "okna.ru"));
        assert!(!origin_belongs_to("https://okna.ru.evil.com", "okna.ru"));
        assert!(!origin_belongs_to("null", "okna.ru"));
        assert_eq!(host_of("http://[::1]:8080/x"), "[::1]");
        // Internationalized domains, stored either way, match the ASCII origin browsers send.
        assert!(origin_belongs_to("https://xn--80atjc.xn--p1ai", "окна.рф"));
        assert!(origin_belongs_to(
            "https://shop.xn--80atjc.xn--p1ai",
            "xn--80atjc.xn--p1ai"
        ));
        assert!(!origin_belongs_to(
            "https://xn--80atjc.xn--p1ai.evil.com",
            "окна.рф"
        ));
    }
}
