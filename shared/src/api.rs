//! Wire types of the HTTP API, shared by the worker (which answers) and the widget and cabinet
//! (which ask), so both sides always agree on the format.

use crate::appearance::FormLook;
use crate::autoshow::Plan;
use crate::button::ButtonLook;
use crate::conditions::Utm;
use crate::device::Layout;
use crate::mask::PhoneMask;
use crate::promo::{PromoImage, PromoTimer};
use crate::schedule::WidgetMode;
use crate::texts::{Lang, TextKey};
use crate::validation::Problem;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Path of the public *decide* endpoint: which widget to show on a page.
pub const DECIDE_PATH: &str = "/api/v1/decide";
/// Path of the public *order* endpoint.
pub const ORDERS_PATH: &str = "/api/v1/orders";

/// Query string of `GET /api/v1/decide`. A plain GET keeps the request "simple" in CORS terms,
/// so the browser sends no preflight and the answer can be cached with an ETag.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DecideQuery {
    /// The site key from the script tag's `data-site`.
    pub site: String,
    /// The page's full URL.
    #[serde(default)]
    pub url: String,
    /// `document.referrer`, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
    /// The page's `lang` attribute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// The visitor's IANA zone (`Intl.DateTimeFormat().resolvedOptions().timeZone`), for slot
    /// labels on the visitor's clock. Optional: the loader leaves it out and the widget
    /// relabels the slots with the browser's clock ([`crate::form::on_visitor_clock`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tz: Option<String>,
    /// The widget this session is pinned to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<i64>,
    /// A preview token from a preview link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview: Option<String>,
}

/// A run of times a visitor can pick: `count` slots `step_minutes` apart from `start`. Runs
/// are split wherever the visitor's clock jumps (DST), so the labels of a run follow from its
/// first: `HH:MM` plus `k × step`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SlotRun {
    /// The first slot, ms since the epoch.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    #[cfg_attr(feature = "openapi", schemars(with = "i64"))]
    pub start: DateTime<Utc>,
    /// Slots in the run.
    pub count: u16,
    /// Minutes between slots.
    pub step_minutes: u16,
    /// The first slot on the visitor's clock, `HH:MM`.
    pub label: String,
}

impl SlotRun {
    /// Every slot of the run with its label on the visitor's clock.
    pub fn slots(&self) -> Vec<(DateTime<Utc>, String)> {
        let (h, m) = self
            .label
            .split_once(':')
            .and_then(|(h, m)| Some((h.parse::<u32>().ok()?, m.parse::<u32>().ok()?)))
            .unwrap_or((0, 0));
        (0..u32::from(self.count))
            .map(|k| {
                let minutes = h * 60 + m + k * u32::from(self.step_minutes);
                (
                    self.start
                        + chrono::Duration::minutes(i64::from(k) * i64::from(self.step_minutes)),
                    format!("{:02}:{:02}", (minutes / 60) % 24, minutes % 60),
                )
            })
            .collect()
    }
}

/// The slots of one day on the visitor's calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SlotDay {
    /// The visitor's date.
    pub date: NaiveDate,
    /// The day's slots, as runs.
    pub runs: Vec<SlotRun>,
}

impl SlotDay {
    /// Every slot of the day with its label.
    pub fn slots(&self) -> Vec<(DateTime<Utc>, String)> {
        self.runs.iter().flat_map(SlotRun::slots).collect()
    }
}

/// A department the visitor can choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DepartmentOption {
    /// The department's id, sent back with the order.
    pub id: i64,
    /// What the visitor chooses by.
    pub name: String,
    /// Open now (working-hours orders "now" are possible).
    pub open_now: bool,
    /// The times this department can be called.
    pub slots: Vec<SlotDay>,
}

/// The promo part of a render model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PromoModel {
    /// The end of the current period (extensions applied).
    #[serde(with = "chrono::serde::ts_milliseconds")]
    #[cfg_attr(feature = "openapi", schemars(with = "i64"))]
    pub ends_at: DateTime<Utc>,
    /// The countdown's look; `None`: no countdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timer: Option<PromoTimer>,
    /// The promo image, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<PromoImage>,
}

/// Everything the widget needs to draw itself; the widget decides nothing on its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct RenderModel {
    /// The widget shown; the order names it.
    pub widget_id: i64,
    /// Working hours or off-hours variant.
    pub mode: WidgetMode,
    /// "smartphone = mobile layout; desktop, laptop, tablet, TV = desktop layout" (SPEC §2).
    pub layout: Layout,
    /// The language of the texts.
    pub lang: Lang,
    /// The button of this variant, with the phone adjustments applied.
    pub button: ButtonLook,
    /// The button's inline CSS ([`ButtonLook::style`]): the loader draws the button with it
    /// while the widget's code is still on its way.
    #[serde(default)]
    pub button_style: String,
    /// The button's label for screen readers, in the widget's language.
    #[serde(default)]
    pub button_label: String,
    /// The main form of this variant.
    pub form: FormLook,
    /// Every text, resolved for the variant and language.
    pub texts: BTreeMap<TextKey, String>,
    /// The consent line's link, or `None` when the line is off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_link: Option<String>,
    /// Seconds the countdown timer starts from after a "now" order; working hours only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timer_secs: Option<u16>,
    /// The times the visitor can pick (the call center's).
    pub slots: Vec<SlotDay>,
    /// Departments offered, in the widget's order; empty when departments are off.
    #[serde(default)]
    pub departments: Vec<DepartmentOption>,
    /// "visitor must choose": nothing is preselected and ordering without a department
    /// highlights the selector (SPEC §2.6).
    #[serde(default)]
    pub department_required: bool,
    /// The department selected at first: the first that can take the order now, unless the
    /// visitor must choose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preselected_department: Option<i64>,
    /// When the form or invitation opens by itself, with `dynamic` already in seconds.
    pub auto_show: Plan,
    /// The running promo's countdown and image; `None` when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promo: Option<PromoModel>,
    /// The phone input's mask for the site's country; `None`: international input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_mask: Option<PhoneMask>,
}

/// Answer of *decide*: the widget to render, ready to draw, or nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DecideAnswer {
    /// `None`: no widget shows on this page and the loader downloads nothing more.
    pub widget: Option<RenderModel>,
    /// Pin this widget for the rest of the session (it matched on traffic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<i64>,
}

/// When the visitor wants the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "when", content = "at")]
pub enum OrderWhen {
    /// "call me now".
    Now,
    /// A picked slot, ms since the epoch.
    At(
        #[serde(with = "chrono::serde::ts_milliseconds")]
        #[cfg_attr(feature = "openapi", schemars(with = "i64"))]
        DateTime<Utc>,
    ),
}

/// The page an order came from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PageContext {
    /// The page's full URL.
    pub url: String,
    /// `document.referrer`, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
    /// The visit's UTM tags, recorded with the order.
    #[serde(default)]
    pub utm: Utm,
    /// Seconds from landing on the site to ordering (for the dynamic auto-show statistic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds_on_site: Option<u32>,
}

/// `POST /api/v1/orders`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct OrderRequest {
    /// The site key from the script tag's `data-site`.
    pub site: String,
    /// The widget the visitor ordered in.
    pub widget_id: i64,
    /// The number as typed; the worker normalizes it to E.164 or refuses it.
    pub phone: String,
    /// The visitor's name, when the form asks for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The chosen department's id, when departments are on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<i64>,
    /// "call me now" or the picked slot.
    pub when: OrderWhen,
    /// The page the order came from.
    #[serde(default)]
    pub page: PageContext,
    /// Extra fields from `Ringback.order({fields})`.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// A retry of the same request with the same key gets the first answer.
    pub idempotency_key: String,
    /// Honeypot: a field people never see; a filled one means a bot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// The language of the page or widget (`ru`, `en`): refusals are worded in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// What the visitor is told after ordering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "call")]
pub enum CallPromise {
    /// The phone should ring in about `in_secs` seconds.
    Soon {
        /// Seconds until the phone should ring; the countdown timer starts from them.
        in_secs: u32,
    },
    /// The call is scheduled.
    At {
        /// When the call is scheduled; ms since the epoch on the wire.
        #[serde(with = "chrono::serde::ts_milliseconds")]
        #[cfg_attr(feature = "openapi", schemars(with = "i64"))]
        at: DateTime<Utc>,
    },
}

/// Answer of an accepted order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct OrderAnswer {
    /// The new order's id.
    pub order_id: String,
    /// Reads the order's status.
    pub token: String,
    /// What the after-order message tells the visitor.
    pub promise: CallPromise,
}

/// An order's status, for the countdown and the confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum OrderStatus {
    /// The next call is due at `at`.
    Scheduled {
        /// When the call is due; ms since the epoch on the wire.
        #[serde(with = "chrono::serde::ts_milliseconds")]
        #[cfg_attr(feature = "openapi", schemars(with = "i64"))]
        at: DateTime<Utc>,
    },
    /// An attempt is under way.
    Calling {
        /// The attempt's number in the chain, from 1.
        attempt: u32,
    },
    /// Operator and client are talking.
    Connected,
    /// The chain is over.
    Finished {
        /// At least one call connected.
        success: bool,
    },
    /// The pending calls were called off.
    Cancelled {
        /// Why, in the journal's words (e.g. "cancelled: client called directly").
        reason: String,
    },
}

/// The JSON body of every error answer: `{ "error": code, "message", "problems" }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
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
        let json = serde_json::to_string(&DecideAnswer {
            widget: None,
            pin: None,
        })
        .unwrap();
        assert_eq!(json, r#"{"widget":null}"#);
    }

    #[test]
    fn decide_query_needs_only_the_site() {
        let q: DecideQuery = serde_json::from_str(r#"{"site":"demo"}"#).unwrap();
        assert_eq!(q.url, "");
        assert_eq!(q.referrer, None);
    }

    #[test]
    fn a_run_expands_to_its_slots_and_labels() {
        let start = DateTime::from_timestamp_millis(1_772_528_400_000).unwrap();
        let run = SlotRun {
            start,
            count: 3,
            step_minutes: 30,
            label: "23:00".into(),
        };
        let slots = run.slots();
        let labels: Vec<&str> = slots.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["23:00", "23:30", "00:00"]);
        assert_eq!(slots[2].0, start + chrono::Duration::hours(1));
    }

    #[test]
    fn instants_travel_as_milliseconds() {
        let at = DateTime::from_timestamp_millis(1_772_528_400_000).unwrap();
        let json = serde_json::to_string(&OrderWhen::At(at)).unwrap();
        assert_eq!(json, r#"{"when":"at","at":1772528400000}"#);
        assert_eq!(
            serde_json::to_string(&OrderWhen::Now).unwrap(),
            r#"{"when":"now"}"#
        );
        let back: OrderWhen = serde_json::from_str(&json).unwrap();
        assert_eq!(back, OrderWhen::At(at));
    }
}
