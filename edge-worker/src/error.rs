//! One error type for the whole worker, mapped to HTTP in [`ApiError::into_response`].
//!
//! Bad input is always a 4xx with a JSON body `{ "error": code, "message", "problems" }` that
//! says what to fix; a 5xx means the platform itself failed.

use shared::api::ErrorBody;
use shared::validation::Problem;
use worker::Response;

#[derive(Debug)]
pub enum ApiError {
    /// The request is malformed: not JSON, a missing parameter.
    BadRequest(String),
    /// The request is well-formed but its values break the rules: every problem, by field.
    Invalid(Vec<Problem>),
    /// No session, or an expired one.
    Unauthorized,
    /// Log-in with a wrong email or password.
    BadCredentials,
    /// A state change without the session's CSRF token, or from another origin.
    Csrf,
    /// Sign-up, log-in or log-out sent by a page of another site (`Origin`, `Sec-Fetch-Site`).
    CrossOrigin,
    /// A sign-up link that expired or was used already.
    LinkExpired,
    /// The visitor's number or address is blacklisted: a polite refusal, nothing dialed.
    Refused(String),
    /// A honeypot field was filled in.
    Spam,
    /// Not allowed for this caller (e.g. an origin that is not the site's).
    Forbidden(String),
    /// The site key names no site.
    UnknownSite,
    /// Nothing here, or not this account's.
    NotFound,
    /// The request conflicts with the current state (edit an active widget, a used email).
    Conflict(String),
    /// The body is larger than the route reads (`limit` bytes); refused before it is read whole.
    PayloadTooLarge { limit: usize },
    /// Too many requests; try again after `retry_after` seconds.
    RateLimited { message: String, retry_after: u32 },
    /// Storage or runtime failure; the detail goes to the log, not to the client.
    Internal(String),
}

impl ApiError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::BadRequest(message.into())
    }

    /// One field's problem.
    pub fn invalid(path: &str, message: impl Into<String>) -> Self {
        ApiError::Invalid(vec![Problem {
            path: path.into(),
            message: message.into(),
        }])
    }

    fn parts(self) -> (u16, &'static str, String, Vec<Problem>) {
        match self {
            ApiError::BadRequest(m) => (400, "bad_request", m, vec![]),
            ApiError::Invalid(problems) => {
                let message = match problems.as_slice() {
                    [one] => one.to_string(),
                    many => format!("{} fields need fixing", many.len()),
                };
                (422, "invalid", message, problems)
            }
            ApiError::Unauthorized => (401, "unauthorized", "Sign in to continue.".into(), vec![]),
            ApiError::BadCredentials => (
                401,
                "wrong_credentials",
                "Wrong email or password.".into(),
                vec![],
            ),
            ApiError::Csrf => (
                403,
                "csrf",
                "This change did not come from the cabinet: reload the page and try again.".into(),
                vec![],
            ),
            ApiError::CrossOrigin => (
                403,
                "cross_origin",
                "This request came from another site: open the cabinet at its own address and \
                 try again."
                    .into(),
                vec![],
            ),
            ApiError::LinkExpired => (
                410,
                "link_expired",
                "This link has expired or was used already: sign up again to get a new one.".into(),
                vec![],
            ),
            ApiError::Refused(m) => (403, "refused", m, vec![]),
            ApiError::Spam => (
                400,
                "spam",
                "The form was not sent by a person.".into(),
                vec![],
            ),
            ApiError::Forbidden(m) => (403, "forbidden", m, vec![]),
            ApiError::UnknownSite => (
                404,
                "unknown_site",
                "No site has this key: check data-site in the script tag.".into(),
                vec![],
            ),
            ApiError::NotFound => (404, "not_found", "Nothing here.".into(), vec![]),
            ApiError::Conflict(m) => (409, "conflict", m, vec![]),
            ApiError::PayloadTooLarge { limit } => (
                413,
                "payload_too_large",
                format!(
                    "The request body is larger than {}, the most this route reads.",
                    size(limit)
                ),
                vec![],
            ),
            ApiError::RateLimited { message, .. } => (429, "rate_limited", message, vec![]),
            ApiError::Internal(detail) => {
                worker::console_error!("internal error: {}", shared::redact::redact(&detail));
                (
                    500,
                    "internal",
                    "Something went wrong on our side; nothing you sent was lost.".into(),
                    vec![],
                )
            }
        }
    }

    pub fn into_response(self) -> worker::Result<Response> {
        let retry_after = match &self {
            ApiError::RateLimited { retry_after, .. } => Some(*retry_after),
            _ => None,
        };
        let (status, code, message, problems) = self.parts();
        let body = ErrorBody {
            error: code.into(),
            message,
            problems,
        };
        let mut response = Response::from_json(&body)?.with_status(status);
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .set("Retry-After", &secs.to_string())?;
        }
        Ok(response)
    }
}

/// `65536` → "64 KB", `1048576` → "1 MB".
fn size(bytes: usize) -> String {
    const MB: usize = 1024 * 1024;
    if bytes >= MB && bytes.is_multiple_of(MB) {
        format!("{} MB", bytes / MB)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

impl From<worker::Error> for ApiError {
    fn from(e: worker::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<Vec<Problem>> for ApiError {
    fn from(problems: Vec<Problem>) -> Self {
        ApiError::Invalid(problems)
    }
}

/// Handler result.
pub type ApiResult = Result<Response, ApiError>;
