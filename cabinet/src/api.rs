//! The cabinet API client: JSON over `fetch` (gloo-net) to `/api/cabinet`, the session cookie
//! sent by the browser and the CSRF token (from [`Me::csrf_token`]) on every change.
//!
//! Errors come back as the worker's [`ErrorBody`]: one sentence for people and the problems of
//! each field, which the forms show next to their fields ([`Failure::at`]).

use gloo_net::http::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::api::ErrorBody;
use shared::cabinet_api::{Me, CSRF_HEADER};
use shared::validation::Problem;
use std::cell::RefCell;

const BASE: &str = "/api/cabinet";

thread_local! {
    static CSRF: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Remembers the signed-in user's CSRF token for the changes that follow.
pub fn signed_in(me: &Me) {
    CSRF.with(|c| *c.borrow_mut() = me.csrf_token.clone());
}

/// A request that did not succeed, in words.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Failure {
    /// The HTTP status; 0 when the worker could not be reached.
    pub status: u16,
    /// One sentence for people.
    pub message: String,
    /// Field-level problems.
    pub problems: Vec<Problem>,
}

impl Failure {
    /// The messages of the field at `path` and of everything under it (`forwarding` holds
    /// `forwarding.numbers[0]`), joined.
    pub fn at(&self, path: &str) -> Option<String> {
        let messages: Vec<&str> = self
            .problems
            .iter()
            .filter(|p| under(&p.path, path))
            .map(|p| p.message.as_str())
            .collect();
        (!messages.is_empty()).then(|| messages.join("; "))
    }

    /// The problems of no field shown by the form (their paths named), for a summary.
    pub fn summary(&self) -> String {
        if self.problems.is_empty() {
            return self.message.clone();
        }
        self.problems
            .iter()
            .map(|p| format!("{}: {}", p.path, p.message))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn from_local(problems: Vec<Problem>) -> Failure {
        Failure {
            status: 0,
            message: "please correct the highlighted fields".into(),
            problems,
        }
    }
}

/// Whether a problem at `path` belongs to the field at `field`.
fn under(path: &str, field: &str) -> bool {
    path == field
        || path
            .strip_prefix(field)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// Problems found before sending (the same `shared` rules the worker applies).
pub fn local(problems: Vec<Problem>) -> Failure {
    Failure::from_local(problems)
}

/// Shows how a request went in `failure` (cleared on success) and gives back its value.
pub fn settle<T>(
    failure: leptos::prelude::RwSignal<Option<Failure>>,
    result: Result<T, Failure>,
) -> Option<T> {
    use leptos::prelude::Set;
    match result {
        Ok(v) => {
            failure.set(None);
            Some(v)
        }
        Err(f) => {
            failure.set(Some(f));
            None
        }
    }
}

/// `GET path`.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, Failure> {
    call::<(), T>(Method::GET, path, None).await
}

/// `POST path` with `body`.
pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, Failure> {
    call(Method::POST, path, Some(body)).await
}

/// `PUT path` with `body`.
pub async fn put<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, Failure> {
    call(Method::PUT, path, Some(body)).await
}

/// `POST path` with a file as the body (sent as it is, with its own content type).
pub async fn upload<T: DeserializeOwned>(path: &str, file: &web_sys::File) -> Result<T, Failure> {
    let res = RequestBuilder::new(&format!("{BASE}{path}"))
        .method(Method::POST)
        .header(CSRF_HEADER, &CSRF.with(|c| c.borrow().clone()))
        .header("Content-Type", &file.type_())
        .body(wasm_bindgen::JsValue::from(file.clone()))
        .map_err(unreachable)?
        .send()
        .await
        .map_err(unreachable)?;
    answer(res).await
}

/// `DELETE path`.
pub async fn delete(path: &str) -> Result<(), Failure> {
    call::<(), serde_json::Value>(Method::DELETE, path, None)
        .await
        .map(|_| ())
}

async fn call<B: Serialize, T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: Option<&B>,
) -> Result<T, Failure> {
    let mut req = RequestBuilder::new(&format!("{BASE}{path}")).method(method.clone());
    if method != Method::GET {
        req = req.header(CSRF_HEADER, &CSRF.with(|c| c.borrow().clone()));
    }
    let res = match body {
        Some(b) => req.json(b).map_err(unreachable)?.send().await,
        None => req.send().await,
    }
    .map_err(unreachable)?;
    answer(res).await
}

fn unreachable(e: gloo_net::Error) -> Failure {
    Failure {
        status: 0,
        message: format!("the server could not be reached ({e})"),
        problems: Vec::new(),
    }
}

/// The answer's body as `T`, or the failure it tells.
async fn answer<T: DeserializeOwned>(res: gloo_net::http::Response) -> Result<T, Failure> {
    let status = res.status();
    let text = res.text().await.map_err(unreachable)?;
    if (200..300).contains(&status) {
        let text = if text.trim().is_empty() {
            "null"
        } else {
            &text
        };
        return serde_json::from_str(text).map_err(|e| Failure {
            status,
            message: format!("the server's answer was not understood ({e})"),
            problems: Vec::new(),
        });
    }
    Err(match serde_json::from_str::<ErrorBody>(&text) {
        Ok(b) => Failure {
            status,
            message: b.message,
            problems: b.problems,
        },
        Err(_) => Failure {
            status,
            message: format!("the server answered {status}"),
            problems: Vec::new(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fields_problems_include_those_under_it() {
        let f = Failure {
            status: 422,
            message: "invalid".into(),
            problems: vec![
                Problem {
                    path: "forwarding.numbers[0]".into(),
                    message: "not a phone number".into(),
                },
                Problem {
                    path: "forwardingx".into(),
                    message: "other".into(),
                },
            ],
        };
        assert_eq!(f.at("forwarding").as_deref(), Some("not a phone number"));
        assert_eq!(
            f.at("forwarding.numbers[0]").as_deref(),
            Some("not a phone number")
        );
        assert_eq!(f.at("name"), None);
    }
}
