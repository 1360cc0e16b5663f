//! One error type for the whole worker, mapped to HTTP in [`ApiError::into_response`].
//!
//! Bad input is always a 4xx with a JSON body `{ "error": code, "message", "problems" }` that
//! says what to fix; a 5xx means the platform itself failed.

use shared::api::ErrorBody;
use shared::validation::Problem;
use worker::Response;

#[derive(Debug)]
pub enum ApiError {
    /// The request is malformed or fails validation.
    BadRequest {
        message: String,
        problems: Vec<Problem>,
    },
    /// The site key names no site.
    UnknownSite,
    /// No such endpoint.
    NotFound,
    /// Storage or runtime failure; the message goes to the log, not to the client.
    Internal(String),
}

impl ApiError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::BadRequest {
            message: message.into(),
            problems: Vec::new(),
        }
    }

    fn status_and_body(self) -> (u16, ErrorBody) {
        let body = |error: &str, message: String, problems: Vec<Problem>| ErrorBody {
            error: error.into(),
            message,
            problems,
        };
        match self {
            ApiError::BadRequest { message, problems } => {
                (400, body("bad_request", message, problems))
            }
            ApiError::UnknownSite => (
                404,
                body(
                    "unknown_site",
                    "No site has this key: check data-site in the script tag.".into(),
                    vec![],
                ),
            ),
            ApiError::NotFound => (404, body("not_found", "No such endpoint.".into(), vec![])),
            ApiError::Internal(detail) => {
                worker::console_error!("internal error: {detail}");
                (
                    500,
                    body(
                        "internal",
                        "Something went wrong on our side; nothing you sent was lost.".into(),
                        vec![],
                    ),
                )
            }
        }
    }

    pub fn into_response(self) -> worker::Result<Response> {
        let (status, body) = self.status_and_body();
        let mut response = Response::from_json(&body)?.with_status(status);
        // Errors of the public API must be readable by the widget on any site.
        response
            .headers_mut()
            .set("Access-Control-Allow-Origin", "*")?;
        Ok(response)
    }
}

impl From<worker::Error> for ApiError {
    fn from(e: worker::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}
