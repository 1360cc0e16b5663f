//! Accounts and sessions: sign-up, log-in, log-out, who am I; and the check every cabinet
//! handler starts with ([`require`]).
//!
//! A session is a random token in an HttpOnly, Secure, SameSite=Lax cookie, stored only as its
//! SHA-256. Every state change must carry the session's CSRF token in `X-CSRF-Token` and, when
//! the browser sends an `Origin`, come from the cabinet's own origin.

use crate::crypto;
use crate::db::{self, int, text, ts};
use crate::error::{ApiError, ApiResult};
use crate::http::{client_ip, cookie, json, json_body, origin};
use crate::{now, Ctx};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use shared::balance::FREE_MINUTES;
use shared::cabinet_api::{LogIn, Me, SignUp, CSRF_HEADER, SESSION_COOKIE};
use worker::{D1Database, Request, Response};

/// How long a session lasts.
const SESSION_DAYS: i64 = 30;
/// Failed log-ins allowed per email in [`FAILURE_WINDOW_MINUTES`].
const MAX_FAILURES_PER_EMAIL: i64 = 5;
/// Failed log-ins allowed per address in [`FAILURE_WINDOW_MINUTES`].
const MAX_FAILURES_PER_IP: i64 = 20;
const FAILURE_WINDOW_MINUTES: i64 = 15;

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct User {
    pub user_id: i64,
    pub account_id: i64,
}

/// What a handler is about to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    /// A state change: needs the CSRF token.
    Write,
}

#[derive(Deserialize)]
struct SessionRow {
    user_id: i64,
    account_id: i64,
    csrf: String,
    expires_at: String,
}

/// The request's user, or why not: no session (401), or a state change without the CSRF
/// token or from another origin (403).
pub async fn require(req: &Request, db: &D1Database, access: Access) -> Result<User, ApiError> {
    let token = cookie(req, SESSION_COOKIE).ok_or(ApiError::Unauthorized)?;
    let row: SessionRow = db::first(
        db,
        "SELECT s.user_id, u.account_id, s.csrf, s.expires_at FROM sessions s \
         JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1",
        &[text(&crypto::sha256_hex(&token))],
    )
    .await?
    .ok_or(ApiError::Unauthorized)?;
    if db::parse_ts(&row.expires_at)? <= now() {
        return Err(ApiError::Unauthorized);
    }
    if access == Access::Write {
        let sent = req.headers().get(CSRF_HEADER)?.unwrap_or_default();
        if !crypto::same(&sent, &row.csrf) {
            return Err(ApiError::Csrf);
        }
        if let Some(o) = origin(req) {
            let url = req.url()?;
            if crate::http::host_of(&o) != url.host_str().unwrap_or("").to_ascii_lowercase() {
                return Err(ApiError::Csrf);
            }
        }
    }
    Ok(User {
        user_id: row.user_id,
        account_id: row.account_id,
    })
}

/// The `Set-Cookie` value for a session token (an empty token and zero age end it).
fn session_cookie(token: &str, max_age: i64) -> String {
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age={max_age}")
}

/// Opens a session for `user_id`; returns the cookie and the CSRF token.
async fn open_session(
    db: &D1Database,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(String, String), ApiError> {
    let token = crypto::token()?;
    let csrf = crypto::token()?;
    db::run(
        db,
        "INSERT INTO sessions (token_hash, user_id, csrf, expires_at) VALUES (?1, ?2, ?3, ?4)",
        &[
            text(&crypto::sha256_hex(&token)),
            int(user_id),
            text(&csrf),
            text(&ts(now + Duration::days(SESSION_DAYS))),
        ],
    )
    .await?;
    Ok((session_cookie(&token, SESSION_DAYS * 86_400), csrf))
}

#[derive(Deserialize)]
struct MeRow {
    email: String,
    company: String,
    minutes_balance: i64,
}

async fn me_of(db: &D1Database, user: &User, csrf: String) -> Result<Me, ApiError> {
    let row: MeRow = db::first(
        db,
        "SELECT u.email, a.name AS company, a.minutes_balance FROM users u \
         JOIN accounts a ON a.id = u.account_id WHERE u.id = ?1",
        &[int(user.user_id)],
    )
    .await?
    .ok_or(ApiError::Unauthorized)?;
    Ok(Me {
        user_id: user.user_id,
        email: row.email,
        account_id: user.account_id,
        company: row.company,
        minutes_balance: row.minutes_balance,
        csrf_token: csrf,
    })
}

fn with_cookie(mut response: Response, cookie: &str) -> ApiResult {
    response.headers_mut().set("Set-Cookie", cookie)?;
    Ok(response)
}

/// `POST /api/cabinet/signup`: a new account ("50 free minutes at first use") and its user.
pub async fn sign_up(mut req: Request, ctx: Ctx) -> ApiResult {
    let form: SignUp = json_body(&mut req).await?;
    form.validate()?;
    let db = db::db(&ctx.env)?;
    let email = form.email.trim().to_lowercase();
    let taken: Option<serde_json::Value> = db::first(
        &db,
        "SELECT id FROM users WHERE email = ?1",
        &[text(&email)],
    )
    .await?;
    if taken.is_some() {
        return Err(ApiError::Conflict(
            "An account with this email already exists: log in instead.".into(),
        ));
    }
    let now = now();
    let hash = crypto::hash_password(&form.password)?;
    let account_id = db::run(
        &db,
        "INSERT INTO accounts (name, minutes_balance, created_at) VALUES (?1, ?2, ?3)",
        &[text(form.company.trim()), int(FREE_MINUTES), text(&ts(now))],
    )
    .await?;
    let user_id = db::run(
        &db,
        "INSERT INTO users (account_id, email, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        &[int(account_id), text(&email), text(&hash), text(&ts(now))],
    )
    .await?;
    let user = User {
        user_id,
        account_id,
    };
    db::audit(&db, account_id, user_id, "sign_up", &email, now).await?;
    let (cookie, csrf) = open_session(&db, user_id, now).await?;
    with_cookie(json(201, &me_of(&db, &user, csrf).await?)?, &cookie)
}

#[derive(Deserialize)]
struct Count {
    n: i64,
}

#[derive(Deserialize)]
struct Credentials {
    id: i64,
    account_id: i64,
    password_hash: String,
}

/// A hash that never matches, verified when the email is unknown so that a wrong email takes
/// as long as a wrong password (no account enumeration by timing).
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$2vXO2Wq3yT6lJ2Kp1uF8xS0c2Qe5N0kqfZ3Wm4yH1tA";

/// `POST /api/cabinet/login`.
pub async fn log_in(mut req: Request, ctx: Ctx) -> ApiResult {
    let form: LogIn = json_body(&mut req).await?;
    let db = db::db(&ctx.env)?;
    let now = now();
    let email = form.email.trim().to_lowercase();
    let ip = client_ip(&req).unwrap_or_default();
    let since = ts(now - Duration::minutes(FAILURE_WINDOW_MINUTES));
    let by_email: Count = db::first(
        &db,
        "SELECT COUNT(*) AS n FROM login_failures WHERE email = ?1 AND at > ?2",
        &[text(&email), text(&since)],
    )
    .await?
    .unwrap_or(Count { n: 0 });
    let by_ip: Count = db::first(
        &db,
        "SELECT COUNT(*) AS n FROM login_failures WHERE ip = ?1 AND at > ?2",
        &[text(&ip), text(&since)],
    )
    .await?
    .unwrap_or(Count { n: 0 });
    if by_email.n >= MAX_FAILURES_PER_EMAIL || by_ip.n >= MAX_FAILURES_PER_IP {
        return Err(ApiError::RateLimited {
            message: "Too many failed log-ins: wait 15 minutes and try again.".into(),
            retry_after: (FAILURE_WINDOW_MINUTES * 60) as u32,
        });
    }
    let found: Option<Credentials> = db::first(
        &db,
        "SELECT id, account_id, password_hash FROM users WHERE email = ?1",
        &[text(&email)],
    )
    .await?;
    let ok = match &found {
        Some(c) => crypto::verify_password(&form.password, &c.password_hash),
        None => {
            crypto::verify_password(&form.password, DUMMY_HASH);
            false
        }
    };
    let Some(c) = found.filter(|_| ok) else {
        db::run(
            &db,
            "INSERT INTO login_failures (email, ip, at) VALUES (?1, ?2, ?3)",
            &[text(&email), text(&ip), text(&ts(now))],
        )
        .await?;
        return Err(ApiError::BadCredentials);
    };
    let user = User {
        user_id: c.id,
        account_id: c.account_id,
    };
    let (cookie, csrf) = open_session(&db, user.user_id, now).await?;
    with_cookie(json(200, &me_of(&db, &user, csrf).await?)?, &cookie)
}

/// `POST /api/cabinet/logout`: ends the session (needs the CSRF token like every change).
pub async fn log_out(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    require(&req, &db, Access::Write).await?;
    if let Some(token) = cookie(&req, SESSION_COOKIE) {
        db::run(
            &db,
            "DELETE FROM sessions WHERE token_hash = ?1",
            &[text(&crypto::sha256_hex(&token))],
        )
        .await?;
    }
    with_cookie(Response::empty()?.with_status(204), &session_cookie("", 0))
}

/// `GET /api/cabinet/me`: the signed-in user, with the CSRF token for changes.
pub async fn me(req: Request, ctx: Ctx) -> ApiResult {
    let db = db::db(&ctx.env)?;
    let user = require(&req, &db, Access::Read).await?;
    let token = cookie(&req, SESSION_COOKIE).unwrap_or_default();
    #[derive(Deserialize)]
    struct Csrf {
        csrf: String,
    }
    let csrf: Csrf = db::first(
        &db,
        "SELECT csrf FROM sessions WHERE token_hash = ?1",
        &[text(&crypto::sha256_hex(&token))],
    )
    .await?
    .ok_or(ApiError::Unauthorized)?;
    json(200, &me_of(&db, &user, csrf.csrf).await?)
}
