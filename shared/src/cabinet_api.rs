//! Wire types of the cabinet API (SPEC §6), shared by the worker and the cabinet.
//!
//! Every path is under `/api/cabinet`. Requests carry the session cookie; every state change
//! also carries the `X-CSRF-Token` header with the token from [`Me::csrf_token`].

use crate::attempt::AttemptRecord;
use crate::blacklist::BlacklistEntry;
use crate::conditions::ConditionSet;
use crate::departments::Department;
use crate::validation::Problems;
use crate::widget::{WidgetKind, WidgetSettings};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The header that carries the CSRF token on every state change.
pub const CSRF_HEADER: &str = "X-CSRF-Token";
/// The session cookie's name.
pub const SESSION_COOKIE: &str = "rb_session";
/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 10;

/// `POST /signup`: a new account with its first user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SignUp {
    /// The user's email, their login.
    pub email: String,
    /// At least [`MIN_PASSWORD`] characters.
    pub password: String,
    /// The company's name.
    pub company: String,
}

impl SignUp {
    /// Every problem of the form.
    pub fn validate(&self) -> Result<(), Vec<crate::validation::Problem>> {
        let mut p = Problems::new();
        if !looks_like_email(&self.email) {
            p.add("email", "enter an email address such as anna@okna.ru");
        }
        if self.password.chars().count() < MIN_PASSWORD {
            p.add(
                "password",
                format!("use at least {MIN_PASSWORD} characters"),
            );
        }
        if self.password.chars().count() > 200 {
            p.add("password", "use at most 200 characters");
        }
        let company = self.company.trim();
        if company.is_empty() {
            p.add("company", "must not be empty");
        } else if company.chars().count() > 100 {
            p.add("company", "at most 100 characters");
        }
        p.finish()
    }
}

/// Whether a string has the shape of an email address.
pub fn looks_like_email(s: &str) -> bool {
    let s = s.trim();
    s.len() <= 254
        && !s.contains(char::is_whitespace)
        && s.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty()
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
                && !host.contains('@')
        })
}

/// How long the link of a sign-up email works, in hours.
pub const SIGNUP_LINK_HOURS: i64 = 24;

/// The cabinet page a sign-up email links to, with `?token=`.
pub const CONFIRM_PATH: &str = "/confirm";

/// The answer to `POST /signup` (202): the same whether or not the email already has an
/// account, so that sign-up tells no one which emails are registered. The email sent to the
/// address says what to do: open the link to finish signing up, or, when it has an account
/// already, log in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SignUpSent {
    /// Where the email went.
    pub email: String,
    /// What to do next, in words.
    pub message: String,
}

/// `POST /confirm`: finishes a sign-up with the token of the link in its email (single use,
/// [`SIGNUP_LINK_HOURS`]); answered like a log-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Confirm {
    /// The `token` parameter of the link.
    pub token: String,
}

/// `POST /login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct LogIn {
    /// The user's email.
    pub email: String,
    /// The user's password.
    pub password: String,
}

/// `GET /me` (and the answer of sign-up and log-in): who is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Me {
    /// The user.
    pub user_id: i64,
    /// Their login.
    pub email: String,
    /// Their account.
    pub account_id: i64,
    /// The account's company name.
    pub company: String,
    /// "Minutes balance: shared by an account's widgets" (SPEC §4).
    pub minutes_balance: i64,
    /// Send back in [`CSRF_HEADER`] on every state change.
    pub csrf_token: String,
}

/// `POST /sites`, `PUT /sites/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SiteInput {
    /// The site's domain; normalized by [`crate::account::Site::normalize_domain`].
    pub domain: String,
    /// ISO 3166-1 alpha-2; Russia when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The countries whose client numbers the site calls back (ISO 3166-1 alpha-2); empty
    /// or absent: the site's own country.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub client_countries: Vec<String>,
}

/// A site as the cabinet shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SiteView {
    /// The site's id.
    pub id: i64,
    /// The domain as stored and compared, e.g. `okna.ru` (`xn--80atjc.xn--p1ai`).
    pub domain: String,
    /// The domain as people read it, e.g. `окна.рф`.
    #[serde(default)]
    pub display_domain: String,
    /// The country of its phone numbers.
    pub country: String,
    /// The countries whose client numbers the site calls back (the site's own by default).
    #[serde(default)]
    pub client_countries: Vec<String>,
    /// The public key of the script tag's `data-site`.
    pub key: String,
    /// "the embed snippet to copy" (SPEC §6).
    pub snippet: String,
    /// How many widgets the site has (the first-run guide's "add a widget" step).
    #[serde(default)]
    pub widgets: u32,
    /// How many of them are active (the guide's "activate it" step).
    #[serde(default)]
    pub active_widgets: u32,
}

/// `POST /sites/{id}/widgets`: "add (by kind)" (SPEC §6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct NewWidget {
    /// The widget's name.
    pub name: String,
    /// Its kind.
    pub kind: WidgetKind,
}

/// A badge on a widget's dashboard card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Badge {
    /// "Promo finished" (SPEC §2.7).
    PromoFinished,
    /// "Conflicts" (SPEC §3): another widget shows where this one would.
    Conflicts,
}

/// A widget's dashboard card: "each card shows the forwarding scenario (main number or the
/// departments' numbers), status ("Promo finished", "Conflicts")" (SPEC §6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct WidgetCard {
    /// The widget's id.
    pub id: i64,
    /// Its place in the site's list.
    pub position: i64,
    /// Activated.
    pub active: bool,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: WidgetKind,
    /// Where calls go, in words: the main number(s) or each department's.
    pub forwarding: String,
    /// The display schedule in words, e.g. `Mon–Fri 9–20 (Europe/Moscow)`.
    pub schedule: String,
    /// Badges to show.
    pub badges: Vec<Badge>,
    /// The widget's current preview link, expired or not, if one was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview: Option<PreviewLink>,
}

/// `GET /sites/{id}/widgets?lang=ru` (and the reorder that answers with the cards): the
/// language of the cards' words.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CardsQuery {
    /// The language of `forwarding` and `schedule` (`en` or `ru`); English when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<crate::texts::Lang>,
}

/// A widget with all its settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct WidgetView {
    /// The widget's id.
    pub id: i64,
    /// Its site.
    pub site_id: i64,
    /// Its place in the list.
    pub position: i64,
    /// Activated (then read-only: "A widget's settings can be changed only while it is
    /// deactivated").
    pub active: bool,
    /// The settings document (condition sets come with it).
    pub settings: WidgetSettings,
    /// Advice that does not block saving.
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// `POST /sites/{id}/widgets/reorder`: the site's widget ids in their new order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Reorder {
    /// Every widget of the site, once, in the new order.
    pub ids: Vec<i64>,
}

/// A department with its id, as `GET /departments` lists it; `POST`/`PUT` take
/// [`DepartmentInput`].
pub type DepartmentView = Department;

/// `POST /departments`, `PUT /departments/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DepartmentInput {
    /// What visitors choose by.
    pub name: String,
    /// Its forwarding number.
    pub number: String,
    /// Its own schedule.
    pub schedule: crate::schedule::Schedule,
    /// Its automatic tags.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A condition set with its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ConditionSetView {
    /// The set's id.
    pub id: i64,
    /// The set.
    pub set: ConditionSet,
}

/// `POST /blacklist`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum BlacklistInput {
    /// A phone number in any usual spelling.
    Phone(String),
    /// An IP address or network.
    Ip(String),
}

/// A blacklist entry with its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct BlacklistView {
    /// The entry's id.
    pub id: i64,
    /// The blocked number or network.
    pub entry: BlacklistEntry,
}

/// An order's state in the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    /// The first call is due later.
    Scheduled,
    /// Attempts are under way or due.
    Calling,
    /// A call connected.
    Success,
    /// Every attempt failed.
    Failed,
    /// Stopped before a due attempt.
    Cancelled,
}

impl OrderState {
    /// The state as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderState::Scheduled => "scheduled",
            OrderState::Calling => "calling",
            OrderState::Success => "success",
            OrderState::Failed => "failed",
            OrderState::Cancelled => "cancelled",
        }
    }

    /// The stored state.
    pub fn parse(s: &str) -> Option<OrderState> {
        [
            OrderState::Scheduled,
            OrderState::Calling,
            OrderState::Success,
            OrderState::Failed,
            OrderState::Cancelled,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
    }
}

/// `GET /journal` filters: "filters (status, widget, tag, date, source)" (SPEC §6).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct JournalQuery {
    /// Only orders in this state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<OrderState>,
    /// Only orders of this widget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub widget: Option<i64>,
    /// Only orders with this tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// From this date (the account's zone), inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// To this date, inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// Only orders from this utm_source (`(direct)` for none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// 1-based page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Rows per page (at most [`JournalQuery::MAX_PER_PAGE`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u32>,
    /// The IANA zone dates are in (the cabinet's); Moscow when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tz: Option<String>,
}

impl JournalQuery {
    /// Rows per page unless asked.
    pub const DEFAULT_PER_PAGE: u32 = 50;
    /// Most rows per page.
    pub const MAX_PER_PAGE: u32 = 200;

    /// The page, at least 1.
    pub fn page(&self) -> u32 {
        self.page.unwrap_or(1).max(1)
    }

    /// Rows per page, within bounds.
    pub fn per_page(&self) -> u32 {
        self.per_page
            .unwrap_or(Self::DEFAULT_PER_PAGE)
            .clamp(1, Self::MAX_PER_PAGE)
    }
}

/// One order in the journal, with its chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct JournalRow {
    /// The order's id.
    pub order_id: String,
    /// When it came in.
    pub created_at: DateTime<Utc>,
    /// The site's domain.
    pub site: String,
    /// The widget it came through (its name at the time).
    pub widget: String,
    /// The widget's id, `None` once deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub widget_id: Option<i64>,
    /// The department chosen, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// The client's number, E.164.
    pub phone: String,
    /// The extension typed after the number (`доб. 123`), for the operator to dial once
    /// connected: never dialed by Ringback.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// The client's name, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The order's state.
    pub status: OrderState,
    /// Why it was cancelled, e.g. "cancelled: client called directly".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    /// When the first call was due.
    pub call_at: DateTime<Utc>,
    /// The visit's utm_source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The order's tags.
    pub tags: Vec<String>,
    /// The chain's calls.
    pub attempts: Vec<AttemptRecord>,
}

/// One page of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct JournalPage {
    /// Orders matching the filters.
    pub total: u64,
    /// This page.
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
    /// The rows, newest first.
    pub rows: Vec<JournalRow>,
}

/// `GET /reports` range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ReportQuery {
    /// First day, inclusive (in `tz`).
    pub from: NaiveDate,
    /// Last day, inclusive.
    pub to: NaiveDate,
    /// The IANA zone days and hours are in (the cabinet's); Moscow when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tz: Option<String>,
}

/// Orders and successful calls of one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DayCount {
    /// The day.
    pub date: NaiveDate,
    /// Orders placed.
    pub orders: u64,
    /// Orders whose chain connected.
    pub successful: u64,
}

/// Orders and successes from one traffic source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SourceCount {
    /// utm_source, `(direct)` for none.
    pub source: String,
    /// Orders placed.
    pub orders: u64,
    /// Orders whose chain connected.
    pub successful: u64,
    /// successful / orders.
    pub conversion: f64,
}

/// "Reports with charts: orders and successful calls per day, results split, activity by hour
/// of day, conversion by traffic source; minutes spent" (SPEC §6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Report {
    /// Every day of the range, including days without orders.
    pub days: Vec<DayCount>,
    /// Orders by final state.
    pub results: Vec<(OrderState, u64)>,
    /// Orders by hour of day (0–23), the account's zone.
    pub by_hour: Vec<u64>,
    /// Orders by weekday, Monday first.
    pub by_weekday: Vec<u64>,
    /// Orders by traffic source, most orders first.
    pub by_source: Vec<SourceCount>,
    /// Billed minutes of the range.
    pub minutes_spent: i64,
}

/// A link that shows a not-yet-active widget on the real site to whoever opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PreviewLink {
    /// The site's page with the preview token, e.g. `https://okna.ru/?rb_preview=...`.
    pub url: String,
    /// When the link stops working ([`crate::preview::LINK_HOURS`] after it was made);
    /// renewing it makes a new link and the old one stops working at once.
    pub expires_at: DateTime<Utc>,
}

/// A conflict for the Errors tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ConflictView {
    /// The widget that shows.
    pub first: i64,
    /// The widget that does not.
    pub second: i64,
    /// The explanation in words.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_up_checks_every_field() {
        let ok = SignUp {
            email: "anna@okna.ru".into(),
            password: "correct horse".into(),
            company: "Okna".into(),
        };
        assert_eq!(ok.validate(), Ok(()));
        let bad = SignUp {
            email: "anna@okna".into(),
            password: "short".into(),
            company: " ".into(),
        };
        let paths: Vec<_> = bad
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|p| p.path)
            .collect();
        assert_eq!(paths, ["email", "password", "company"]);
    }

    #[test]
    fn emails_are_recognized_by_shape() {
        for ok in ["a@b.ru", "anna.k+rb@okna.co.uk"] {
            assert!(looks_like_email(ok), "{ok}");
        }
        for bad in [
            "", "a@b", "@b.ru", "a b@c.ru", "a@.ru", "a@b.ru.", "a@b@c.ru",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }

    #[test]
    fn journal_paging_is_bounded() {
        let q = JournalQuery {
            page: Some(0),
            per_page: Some(10_000),
            ..Default::default()
        };
        assert_eq!((q.page(), q.per_page()), (1, 200));
        assert_eq!(JournalQuery::default().per_page(), 50);
    }

    #[test]
    fn order_states_round_trip() {
        for s in ["scheduled", "calling", "success", "failed", "cancelled"] {
            assert_eq!(OrderState::parse(s).unwrap().as_str(), s);
        }
        assert_eq!(OrderState::parse("lost"), None);
    }
}

/// Which telephony an account uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    /// A Twilio-compatible voice API (Twilio itself, or a compatible provider at `base_url`).
    #[default]
    Twilio,
    /// The customer's own PBX, through signed webhooks.
    Webhook,
}

/// `GET /telephony`: the account's telephony as the cabinet sees it; secrets only say whether
/// they are set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct TelephonyView {
    /// The provider calls go through.
    pub provider: Provider,
    /// Base URL of the Twilio-compatible API.
    pub base_url: String,
    /// The provider account.
    pub account_sid: String,
    /// Whether the provider secret is set.
    pub auth_token_set: bool,
    /// The number calls come from.
    pub from: String,
    /// The PBX's order endpoint.
    pub pbx_url: String,
    /// Whether the PBX secret is set.
    pub pbx_secret_set: bool,
    /// Where order and status changes are posted.
    pub webhook_url: String,
    /// Whether the webhook secret is set.
    pub webhook_secret_set: bool,
    /// Where the provider must send inbound-call notifications (the number's status
    /// callback), so that a client's direct call cancels pending retries.
    pub inbound_url: String,
}

/// `PUT /telephony`: new settings; a secret left out (or empty) keeps its stored value.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct TelephonyUpdate {
    /// The provider calls go through.
    pub provider: Provider,
    /// Base URL of the Twilio-compatible API, e.g. `https://api.twilio.com`.
    #[serde(default)]
    pub base_url: String,
    /// The provider account (Basic auth user).
    #[serde(default)]
    pub account_sid: String,
    /// The provider secret; left out: unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_token: Option<String>,
    /// The number calls come from, E.164.
    #[serde(default)]
    pub from: String,
    /// The PBX's order endpoint.
    #[serde(default)]
    pub pbx_url: String,
    /// The PBX secret; left out: unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pbx_secret: Option<String>,
    /// Where order and status changes are posted (empty: nowhere).
    #[serde(default)]
    pub webhook_url: String,
    /// The webhook secret; left out: unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_secret: Option<String>,
}

/// `POST /orders/{id}/reschedule`: call a failed chain again at `at` (SPEC §4 *Manual
/// re-scheduling*; refusals are 409 with the reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct RescheduleRequest {
    /// When to call.
    pub at: DateTime<Utc>,
}

/// One manual re-scheduling: "each re-scheduling records user, when, and for when".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct RescheduleView {
    /// The user's email.
    pub by: String,
    /// When it was made.
    pub at: DateTime<Utc>,
    /// When the call was scheduled for.
    pub for_time: DateTime<Utc>,
}

/// An email, SMS or outgoing webhook sent about the order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct NotificationView {
    /// The delivery's id: a webhook carries it in `X-Ringback-Delivery`, the same on every
    /// automatic retry; "send again" makes a new delivery with a new id.
    pub id: String,
    /// `email`, `sms` or `webhook`.
    pub channel: String,
    /// Addresses, numbers or the webhook URL.
    pub recipients: String,
    /// The subject (the event, for a webhook).
    pub subject: String,
    /// The text (the JSON, for a webhook).
    pub body: String,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    /// Why it has not gone out (the last try's failure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// How many times it was tried.
    #[serde(default)]
    pub tries: u32,
    /// When a failed webhook is tried next (every minute, doubling to every hour, for 24
    /// hours after its event).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_try_at: Option<DateTime<Utc>>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
}

/// `GET /orders/{id}`: one order with its whole chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct OrderDetail {
    /// The order as the journal lists it, with its attempts and tags.
    pub order: JournalRow,
    /// Its manual re-schedulings, oldest first.
    pub reschedules: Vec<RescheduleView>,
    /// What was sent about it, oldest first.
    pub notifications: Vec<NotificationView>,
}
