//! Wire types of the HTTP API, shared by the worker (which answers) and the widget and cabinet
//! (which ask), so both sides always agree on the format.

use crate::button::ButtonLook;
use crate::validation::Problem;
use serde::{Deserialize, Serialize};

/// Path of the public *decide* endpoint: which widget to show on a page.
pub const DECIDE_PATH: &str = "/api/v1/decide";

/// Query string of `GET /api/v1/decide`. A plain GET keeps the request "simple" in CORS terms,
/// so the browser sends no preflight and the answer can be cached with an ETag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecideQuery {
    /// The site key from the script tag's `data-site`.
    pub site: String,
    /// The page's full URL.
    #[serde(default)]
    pub url: String,
    /// `document.referrer`, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
}

/// Answer of *decide*: the widget to render, ready to draw, or nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecideAnswer {
    /// `None`: no widget shows on this page and the loader downloads nothing more.
    pub widget: Option<RenderModel>,
}

/// Everything the widget needs to draw itself; the widget decides nothing on its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenderModel {
    pub widget_id: i64,
    pub button: ButtonLook,
}

/// The JSON body of every error answer: `{ "error": code, "message", "problems" }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `unknown_site`.
    pub error: String,
    /// One sentence for people.
    pub message: String,
    /// Field-level problems from validation, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_to_show_is_an_explicit_null() {
        let json = serde_json::to_string(&DecideAnswer { widget: None }).unwrap();
        assert_eq!(json, r#"{"widget":null}"#);
    }

    #[test]
    fn decide_query_needs_only_the_site() {
        let q: DecideQuery = serde_json::from_str(r#"{"site":"demo"}"#).unwrap();
        assert_eq!(q.url, "");
        assert_eq!(q.referrer, None);
    }
}
