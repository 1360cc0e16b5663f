//! Accounts and sessions: sign-up, its confirmation, log-in, log-out, who am I; and the check
//! every cabinet handler starts with ([`require`]).
//!
//! A session is a random token in an HttpOnly, Secure, SameSite=Lax cookie, stored only as its
//! SHA-256. Every state change must carry the session's CSRF token in `X-CSRF-Token` and come
//! from the cabinet's own origin ([`same_origin`]); sign-up, log-in and log-out, which have no
//! CSRF token yet (or any more), are held to the same-origin rule alone.
//!
//! Sign-up never tells whether an email is registered: it answers the same for every email
//! and sends an email to the address, either with a single-use link that creates the account
//! when opened ([`confirm`], [`SIGNUP_LINK_HOURS`]) or, when the address has an account
//! already, with the way to log in. Log-in answers one message for an unknown email and a
//! wrong password, and spends the same Argon2 work on both.

use crate::crypto;
use crate::db::{self, int, text, ts};
use crate::error::{ApiError, ApiResult};
use crate::http::{client_ip, cookie, json, json_body};
use crate::{notifications, now, origin_of, Ctx};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use shared::balance::FREE_MINUTES;
use shared::cabinet_api::{
    Confirm, LogIn, Me, SignUp, SignUpSent, CONFIRM_PATH, CSRF_HEADER, SESSION_COOKIE,
    SIGNUP_LINK_HOURS,
};
use shared::limits::ip_group;
use worker::{D1Database, Request, Response};

/// How long a session lasts.
const SESSION_DAYS: i64 = 30;
/// Failed log-ins allowed per email in [`FAILURE_WINDOW_MINUTES`].
const MAX_FAILURES_PER_EMAIL: i64 = 5;
/// Failed log-ins allowed per address group ([`ip_group`]) in [`FAILURE_WINDOW_MINUTES`].
const MAX_FAILURES_PER_IP: i64 = 20;
const FAILURE_WINDOW_MINUTES: i64 = 15;
/// Sign-ups allowed per address ([`ip_group`]: an IPv6 /64 counts as one) per
/// [`SIGNUP_WINDOW_MINUTES`].
const MAX_SIGNUPS_PER_IP: i64 = 5;
/// Sign-ups allowed per email address in [`SIGNUP_WINDOW_MINUTES`]: no inbox is flooded
/// with confirmation links.
const MAX_SIGNUPS_PER_EMAIL: i64 = 3;
const SIGNUP_WINDOW_MINUTES: i64 = 60;

/// Whether a request comes from the cabinet's own pages, as far as the browser tells:
/// `Sec-Fetch-Site`, when sent, must be `same-origin`, and `Origin`, when sent, must be the
/// worker's own origin (scheme, host and port). A request with neither header is no browser's
/// (curl, a script, the tests' HTTP client) and passes: a forged request from another site's
/// page always carries them, since every browser that runs the cabinet sends `Origin` on a
/// POST and `Sec-Fetch-Site` on every request.
pub fn same_origin(req: &Request) -> Result<bool, ApiError> {
    let headers = req.headers();
    if let Some(site) = headers.get("Sec-Fetch-Site")? {
        if !site.trim().eq_ignore_ascii_case("same-origin") {
            return Ok(false);
        }
    }
    if let Some(sent) = headers.get("Origin")? {
        if !sent.trim().eq_ignore_ascii_case(&origin_of(req)?) {
            return Ok(false);
        }
    }
    Ok(true)
}

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
        if !same_origin(req)? {
            return Err(ApiError::Csrf);
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

/// `POST /api/cabinet/signup`: "50 free minutes at first use" once the address is confirmed.
/// Answers 202 [`SignUpSent`] whether or not the email has an account, and sends the address
/// either the link that creates the account ([`confirm`]) or, when it has one, the way to log
/// in. Both ways hash the password and send one email, so they also take as long.
pub async fn sign_up(mut req: Request, ctx: Ctx) -> ApiResult {
    if !same_origin(&req)? {
        return Err(ApiError::CrossOrigin);
    }
    let form: SignUp = json_body(&mut req).await?;
    form.validate()?;
    let db = db::db(&ctx.env)?;
    let now = now();
    let address = client_address(&req);
    let email = form.email.trim().to_lowercase();
    limit_sign_ups(&db, &address, &email, now).await?;
    let hash = crypto::hash_password(&form.password)?;
    let registered: Option<serde_json::Value> = db::first(
        &db,
        "SELECT id FROM users WHERE email = ?1",
        &[text(&email)],
    )
    .await?;
    let origin = origin_of(&req)?;
    let (subject, body) = if registered.is_some() {
        already_registered_email(&origin)
    } else {
        let token = crypto::token()?;
        db::run(
            &db,
            "INSERT INTO signups (token_hash, email, password_hash, company, created_at, \
             expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[
                text(&crypto::sha256_hex(&token)),
                text(&email),
                text(&hash),
                text(form.company.trim()),
                text(&ts(now)),
                text(&ts(now + Duration::hours(SIGNUP_LINK_HOURS))),
            ],
        )
        .await?;
        confirm_email(&origin, &token)
    };
    notifications::email_to(&ctx.env, std::slice::from_ref(&email), &subject, &body)
        .await
        .map_err(|e| ApiError::Internal(format!("sign-up email: {e:?}")))?;
    json(
        202,
        &SignUpSent {
            message: format!(
                "We sent an email to {email}: open the link in it within {SIGNUP_LINK_HOURS} \
                 hours to finish signing up."
            ),
            email,
        },
    )
}

/// Counts a sign-up from `address` for `email`, or refuses it (429) when the address made
/// [`MAX_SIGNUPS_PER_IP`], or the email got [`MAX_SIGNUPS_PER_EMAIL`], in the last
/// [`SIGNUP_WINDOW_MINUTES`]. The count and the insert are one conditional statement, so a
/// burst cannot slip past. Also forgets attempts and pending sign-ups that no longer matter.
async fn limit_sign_ups(
    db: &D1Database,
    address: &str,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let since = ts(now - Duration::minutes(SIGNUP_WINDOW_MINUTES));
    db::run(
        db,
        "DELETE FROM signup_attempts WHERE at <= ?1",
        &[text(&since)],
    )
    .await?;
    db::run(
        db,
        "DELETE FROM signups WHERE expires_at <= ?1",
        &[text(&ts(now))],
    )
    .await?;
    let counted = db::changes(
        db,
        &format!(
            "INSERT INTO signup_attempts (ip, email, at) SELECT ?1, ?2, ?3 WHERE \
             (SELECT COUNT(*) FROM signup_attempts WHERE ip = ?1 AND at > ?4) < {MAX_SIGNUPS_PER_IP} \
             AND (SELECT COUNT(*) FROM signup_attempts WHERE email = ?2 AND at > ?4) \
               < {MAX_SIGNUPS_PER_EMAIL}"
        ),
        &[text(address), text(email), text(&ts(now)), text(&since)],
    )
    .await?;
    if counted > 0 {
        return Ok(());
    }
    #[derive(Deserialize)]
    struct Attempts {
        by_address: i64,
        first: Option<String>,
    }
    let made: Attempts = db::first(
        db,
        "SELECT (SELECT COUNT(*) FROM signup_attempts WHERE ip = ?1 AND at > ?3) AS by_address, \
         (SELECT MIN(at) FROM signup_attempts WHERE (ip = ?1 OR email = ?2) AND at > ?3) AS first",
        &[text(address), text(email), text(&since)],
    )
    .await?
    .unwrap_or(Attempts {
        by_address: 0,
        first: None,
    });
    let free_at = match made.first.as_deref() {
        Some(first) => db::parse_ts(first)? + Duration::minutes(SIGNUP_WINDOW_MINUTES),
        None => now + Duration::minutes(SIGNUP_WINDOW_MINUTES),
    };
    let minutes = (free_at - now)
        .num_minutes()
        .clamp(1, SIGNUP_WINDOW_MINUTES);
    let message = if made.by_address >= MAX_SIGNUPS_PER_IP {
        format!("Too many sign-ups from your address: try again in {minutes} minutes.")
    } else {
        format!("Too many sign-ups for this email: try again in {minutes} minutes.")
    };
    Err(ApiError::RateLimited {
        message,
        retry_after: (minutes * 60) as u32,
    })
}

/// The email with the link that finishes a sign-up.
fn confirm_email(origin: &str, token: &str) -> (String, String) {
    (
        "Confirm your Ringback account".into(),
        format!(
            "Hello,\n\nopen this link to finish signing up for Ringback:\n\n\
             {origin}{CONFIRM_PATH}?token={token}\n\n\
             The link works once, for {SIGNUP_LINK_HOURS} hours. If you did not sign up, ignore \
             this email: no account is made without the link.\n"
        ),
    )
}

/// The email to an address that signed up again although it has an account.
fn already_registered_email(origin: &str) -> (String, String) {
    (
        "Your Ringback account".into(),
        format!(
            "Hello,\n\nsomeone, probably you, tried to sign up for Ringback with this email, \
             but it has an account already. Log in here:\n\n{origin}/login\n\n\
             If it was not you, ignore this email: nothing was changed.\n"
        ),
    )
}

#[derive(Deserialize)]
struct Pending {
    email: String,
    password_hash: String,
    company: String,
    expires_at: String,
}

/// `POST /api/cabinet/confirm`: the link of a sign-up email, opened. Creates the account and
/// its user and opens a session (201 [`Me`]); a link that expired, was used, or was replaced
/// by the account another link of the same email created is 410.
pub async fn confirm(mut req: Request, ctx: Ctx) -> ApiResult {
    if !same_origin(&req)? {
        return Err(ApiError::CrossOrigin);
    }
    let form: Confirm = json_body(&mut req).await?;
    let db = db::db(&ctx.env)?;
    let now = now();
    // Taken in one statement: two openings of one link cannot both create an account.
    let pending: Option<Pending> = db::first(
        &db,
        "DELETE FROM signups WHERE token_hash = ?1 \
         RETURNING email, password_hash, company, expires_at",
        &[text(&crypto::sha256_hex(form.token.trim()))],
    )
    .await?;
    let Some(p) = pending else {
        return Err(ApiError::LinkExpired);
    };
    if db::parse_ts(&p.expires_at)? <= now {
        return Err(ApiError::LinkExpired);
    }
    // The other links of this email stop working: one account per email.
    db::run(
        &db,
        "DELETE FROM signups WHERE email = ?1",
        &[text(&p.email)],
    )
    .await?;
    // The account and its user in one transaction, only while the email has no user: links
    // of one email opened at the same moment make one account, and the others are expired.
    let results = db
        .batch(vec![
            db::bind(
                db.prepare(
                    "INSERT INTO accounts (name, minutes_balance, created_at) SELECT ?1, ?2, ?3 \
                     WHERE NOT EXISTS (SELECT 1 FROM users WHERE email = ?4)",
                ),
                &[
                    text(&p.company),
                    int(FREE_MINUTES),
                    text(&ts(now)),
                    text(&p.email),
                ],
            )?,
            db::bind(
                db.prepare(
                    "INSERT INTO users (account_id, email, password_hash, created_at) \
                     SELECT last_insert_rowid(), ?1, ?2, ?3 WHERE changes() = 1 \
                     AND NOT EXISTS (SELECT 1 FROM users WHERE email = ?1)",
                ),
                &[text(&p.email), text(&p.password_hash), text(&ts(now))],
            )?,
        ])
        .await?;
    let made = |i: usize| {
        results
            .get(i)
            .and_then(|r| r.meta().ok().flatten())
            .filter(|m| m.changes.unwrap_or(0) > 0)
            .and_then(|m| m.last_row_id)
    };
    let (Some(account_id), Some(user_id)) = (made(0), made(1)) else {
        return Err(ApiError::LinkExpired);
    };
    let user = User {
        user_id,
        account_id,
    };
    db::audit(&db, account_id, user_id, "sign_up", &p.email, now).await?;
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

/// The group of addresses a request counts against ([`ip_group`]: an IPv6 /64 is one
/// subscriber). What is not an address is a group of its own, never a real address's.
fn client_address(req: &Request) -> String {
    let ip = client_ip(req).unwrap_or_default();
    ip_group(&ip).unwrap_or_else(|| format!("?{}", ip.trim().to_ascii_lowercase()))
}

/// `POST /api/cabinet/login`: one answer ("wrong email or password") for an unknown email and
/// a wrong password.
pub async fn log_in(mut req: Request, ctx: Ctx) -> ApiResult {
    if !same_origin(&req)? {
        return Err(ApiError::CrossOrigin);
    }
    let form: LogIn = json_body(&mut req).await?;
    let db = db::db(&ctx.env)?;
    let now = now();
    let email = form.email.trim().to_lowercase();
    // Failures count per address group: an IPv6 /64 is one subscriber.
    let ip = client_address(&req);
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
    if !same_origin(&req)? {
        return Err(ApiError::CrossOrigin);
    }
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
