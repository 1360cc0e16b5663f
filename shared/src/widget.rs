//! The Widget: "one configured callback widget of a site. Kinds: `standard`, `promo`,
//! `missed_call`, `lead_form` (server/API and lead-ad orders). Widgets are ordered" (SPEC §1).
//!
//! A widget's settings are one versioned document ([`WidgetSettings`]): the `version` field
//! names the format, [`WidgetSettings::load`] reads every format ever written, and
//! [`WidgetSettings::validate`] enforces every range of the SPEC at once.

use crate::announcements::Announcements;
use crate::appearance::Appearance;
use crate::autoshow::AutoShow;
use crate::button::ButtonLook;
use crate::conditions::{self, ConditionSet};
use crate::connection::ConnectionMode;
use crate::departments::{Department, DepartmentChoice};
use crate::forwarding::{Forwarding, GroupMode};
use crate::notify::NotificationRule;
use crate::promo::Promo;
use crate::retries::{ExtraAttempt, RetryPolicy};
use crate::schedule::{DeferredOffsets, Schedule};
use crate::texts::Lang;
use crate::validation::{Problem, Problems};
use serde::{Deserialize, Serialize};

/// The widget kinds of SPEC §1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum WidgetKind {
    /// The callback button and form.
    Standard,
    /// A standard widget with a promo period, countdown and image (SPEC §2.7).
    Promo,
    /// Calls back lost incoming calls (SPEC §5); never shows on pages.
    MissedCall,
    /// Holds the call settings for "server/API and lead-ad orders" (SPEC §5); never shows on
    /// pages.
    LeadForm,
}

impl WidgetKind {
    /// Whether visitors see this kind on pages. `missed_call` and `lead_form` widgets only hold
    /// the call settings for orders that arrive another way (SPEC §5).
    pub fn shows_on_pages(self) -> bool {
        matches!(self, WidgetKind::Standard | WidgetKind::Promo)
    }
}

/// The current version of the settings document format.
///
/// - 1: name, kind and the working-hours button only.
/// - 2: every setting of SPEC §2–§4.
pub const SETTINGS_VERSION: u32 = 2;

/// A widget's settings document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct WidgetSettings {
    /// Format version of this document; see [`SETTINGS_VERSION`].
    pub version: u32,
    /// The name the cabinet shows.
    pub name: String,
    /// Which kind of widget this is.
    pub kind: WidgetKind,
    /// "Call-center schedule: a 7×24 grid of working hours in a chosen IANA time zone".
    #[serde(default)]
    pub call_center: Schedule,
    /// "Widget display schedule: its own 7×24 grid; by default equal to the call-center
    /// schedule." `None`: equal to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<Schedule>,
    /// "Deferred-call offset" per weekday.
    #[serde(default)]
    pub deferred: DeferredOffsets,
    /// The operators' numbers; not used when departments are on.
    #[serde(default)]
    pub forwarding: Forwarding,
    /// `auto` or `key_press`.
    #[serde(default)]
    pub connection: ConnectionMode,
    /// What the operator hears.
    #[serde(default)]
    pub announcements: Announcements,
    /// `None`: no automatic retries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<RetryPolicy>,
    /// The extra attempt after a short successful call; `None`: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_attempt: Option<ExtraAttempt>,
    /// "per-widget automatic tags".
    #[serde(default)]
    pub tags: Vec<String>,
    /// The departments the form offers.
    #[serde(default)]
    pub departments: DepartmentChoice,
    /// Display condition sets; at most one active.
    #[serde(default)]
    pub conditions: Vec<ConditionSet>,
    /// Who is told about calls, by email or SMS, and when.
    #[serde(default)]
    pub notifications: Vec<NotificationRule>,
    /// Everything a visitor sees.
    #[serde(default)]
    pub appearance: Appearance,
    /// When the form or invitation opens by itself.
    #[serde(default)]
    pub auto_show: AutoShow,
    /// Required for kind `promo`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promo: Option<Promo>,
}

/// What validation needs to know beyond the document.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The site's country (ISO 3166-1 alpha-2), the default region of phone numbers.
    pub country: &'a str,
    /// The account's departments.
    pub departments: &'a [Department],
    /// Digits the account uses for tagging, not allowed as the key-press digit.
    pub reserved_digits: &'a [u8],
    /// Where the account's uploaded images are served (`https://rb.example/media/42/`):
    /// "images referenced by a widget must be the account's own `/media/` URLs". `None`
    /// checks nothing (the core's own tests).
    pub media: Option<&'a str>,
}

/// Whether `url` is one of the uploads under `prefix`, read as a browser reads it: dot
/// segments resolved, percent-encoded ones too (`/media/42/%2e%2e/43/x.png` is account 43's).
fn own_upload(url: &str, prefix: &str) -> bool {
    #[cfg(feature = "server")]
    {
        url::Url::parse(url).is_ok_and(|u| u.as_str().starts_with(prefix))
    }
    #[cfg(not(feature = "server"))]
    {
        url.starts_with(prefix) && !url.contains("..") && !url.contains('%')
    }
}

/// Why a stored document could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// Not JSON of any known format.
    Malformed(String),
    /// Written by a newer server.
    TooNew(u32),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Malformed(e) => write!(f, "the settings document does not parse: {e}"),
            LoadError::TooNew(v) => write!(f, "settings format {v} is newer than this server"),
        }
    }
}

impl std::error::Error for LoadError {}

/// Format 1, as written before every setting existed.
#[derive(Deserialize)]
struct V1 {
    name: String,
    kind: WidgetKind,
    #[serde(default)]
    button: ButtonLook,
}

impl WidgetSettings {
    /// Longest widget name, in characters.
    pub const MAX_NAME: usize = 100;

    /// A new widget of `kind` with the SPEC's defaults (a promo gets a week-long promo from
    /// `now`, which the marketer then sets).
    pub fn new(name: impl Into<String>, kind: WidgetKind) -> Self {
        WidgetSettings {
            version: SETTINGS_VERSION,
            name: name.into(),
            kind,
            call_center: Schedule::default(),
            display: None,
            deferred: DeferredOffsets::default(),
            forwarding: Forwarding::default(),
            connection: ConnectionMode::default(),
            announcements: Announcements::default(),
            retries: None,
            extra_attempt: None,
            tags: Vec::new(),
            departments: DepartmentChoice::default(),
            conditions: Vec::new(),
            notifications: Vec::new(),
            appearance: Appearance::default(),
            auto_show: AutoShow::default(),
            promo: None,
        }
    }

    /// Reads a stored document of any format, upgrading older ones.
    pub fn load(json: &str) -> Result<WidgetSettings, LoadError> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| LoadError::Malformed(e.to_string()))?;
        let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(1) as u32;
        match version {
            1 => {
                let v1: V1 = serde_json::from_value(value)
                    .map_err(|e| LoadError::Malformed(e.to_string()))?;
                let mut w = WidgetSettings::new(v1.name, v1.kind);
                w.appearance.working.button = v1.button.clone();
                w.appearance.off_hours.button = v1.button;
                Ok(w)
            }
            SETTINGS_VERSION => {
                serde_json::from_value(value).map_err(|e| LoadError::Malformed(e.to_string()))
            }
            v => Err(LoadError::TooNew(v)),
        }
    }

    /// The document in the current format.
    pub fn to_json(&self) -> String {
        let mut doc = self.clone();
        doc.version = SETTINGS_VERSION;
        serde_json::to_string(&doc).expect("settings serialize")
    }

    /// The display schedule: its own, or the call center's.
    pub fn display_schedule(&self) -> &Schedule {
        self.display.as_ref().unwrap_or(&self.call_center)
    }

    /// Where calls go, in words for the dashboard's card: the number, the group with how it
    /// rings (`+7…, +7… (together)` / `(in turn)`), or each department with its number
    /// ("when departments are on, the selected department's number takes priority", SPEC §2.6).
    pub fn calls_go_to(&self, departments: &[Department], lang: Lang) -> String {
        if self.departments.enabled() {
            let parts: Vec<String> = self
                .departments
                .in_order(departments)
                .iter()
                .map(|d| format!("{} {}", d.name, d.number))
                .collect();
            return format!(
                "{}: {}",
                lang.pick("departments", "отделы"),
                parts.join(", ")
            );
        }
        let numbers: Vec<&str> = self
            .forwarding
            .numbers
            .iter()
            .map(|n| n.number.as_str())
            .collect();
        match (numbers.len(), self.forwarding.mode) {
            (0, _) => lang.pick("no number yet", "номера пока нет").into(),
            (1, _) => numbers[0].to_string(),
            (_, GroupMode::Parallel) => {
                format!(
                    "{} ({})",
                    numbers.join(", "),
                    lang.pick("together", "одновременно")
                )
            }
            (_, GroupMode::Sequential) => {
                format!(
                    "{} ({})",
                    numbers.join(", "),
                    lang.pick("in turn", "по очереди")
                )
            }
        }
    }

    /// The display schedule in words for the dashboard's card: `Mon–Fri 9–20 (Europe/Moscow)`.
    pub fn shown_when(&self, lang: Lang) -> String {
        let s = self.display_schedule();
        format!("{} ({})", s.hours.describe_in(lang), s.zone)
    }

    /// The active condition set, if any.
    pub fn active_conditions(&self) -> Option<&ConditionSet> {
        conditions::active_set(&self.conditions)
    }

    /// Every image the widget shows, with its field path.
    pub fn images(&self) -> Vec<(String, &crate::appearance::ImageRef)> {
        let mut out = Vec::new();
        for (variant, look) in [
            ("working", &self.appearance.working),
            ("off_hours", &self.appearance.off_hours),
        ] {
            let form = &look.form;
            let path = format!("appearance.{variant}.form");
            if let Some(logo) = &form.logo {
                out.push((format!("{path}.logo"), logo));
            }
            if let Some(bg) = &form.background {
                out.push((format!("{path}.background"), bg));
            }
        }
        if let Some(image) = self.promo.as_ref().and_then(|p| p.image.as_ref()) {
            out.push(("promo.image.image".to_string(), &image.image));
        }
        out
    }

    /// Every problem of this document at once, each with its field path.
    pub fn validate(&self, ctx: &Context) -> Result<(), Vec<Problem>> {
        let mut p = Problems::new();
        let name = self.name.trim();
        if name.is_empty() {
            p.add("name", "must not be empty");
        } else if name.chars().count() > Self::MAX_NAME {
            p.add(
                "name",
                format!("must be at most {} characters", Self::MAX_NAME),
            );
        }
        if self.version > SETTINGS_VERSION {
            p.add(
                "version",
                format!(
                    "format {} is newer than this server understands",
                    self.version
                ),
            );
        }
        self.call_center.validate(
            "call_center",
            &mut p,
            Some("the call center has no working hours: nobody could be called"),
        );
        if let Some(display) = &self.display {
            display.validate(
                "display",
                &mut p,
                Some("the widget would never show; deactivate it instead"),
            );
        }
        self.deferred.validate("deferred", &mut p);
        self.forwarding.validate(
            "forwarding",
            &mut p,
            !self.departments.enabled(),
            ctx.country,
        );
        self.connection
            .validate("connection", &mut p, ctx.reserved_digits);
        self.announcements.validate("announcements", &mut p);
        if let Some(r) = &self.retries {
            r.validate("retries", &mut p);
        }
        if let Some(e) = &self.extra_attempt {
            e.validate("extra_attempt", &mut p);
        }
        crate::tags::validate(&self.tags, "tags", &mut p);
        self.departments
            .validate("departments", &mut p, ctx.departments);
        conditions::validate_sets(&self.conditions, "conditions", &mut p);
        NotificationRule::validate_all(&self.notifications, "notifications", &mut p);
        self.appearance.validate("appearance", &mut p);
        if let Some(prefix) = ctx.media {
            for (path, image) in self.images() {
                if !own_upload(&image.url, prefix) {
                    p.add(
                        format!("{path}.url"),
                        "upload the image in the cabinet: only this account's uploads can be shown",
                    );
                }
            }
        }
        self.auto_show.validate("auto_show", &mut p);
        match (&self.promo, self.kind) {
            (Some(promo), _) => promo.validate("promo", &mut p),
            (None, WidgetKind::Promo) => p.add("promo", "a promo widget needs the promo's end"),
            (None, _) => {}
        }
        p.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forwarding::ForwardingNumber;

    const CTX: Context = Context {
        country: "RU",
        departments: &[],
        reserved_digits: &[],
        media: None,
    };

    fn valid() -> WidgetSettings {
        let mut w = WidgetSettings::new("Main", WidgetKind::Standard);
        w.forwarding = Forwarding::to("+74951234567");
        w
    }

    /// Issue 11: a widget shows only the account's own uploads.
    #[test]
    fn images_must_be_the_accounts_own_uploads() {
        let ctx = Context {
            media: Some("https://rb.example/media/42/"),
            ..CTX
        };
        for (url, ok) in [
            ("https://rb.example/media/42/logo-abc.png", true),
            ("https://rb.example/media/43/logo-abc.png", false),
            ("https://rb.example/media/42/../43/logo-abc.png", false),
            ("https://rb.example/media/42/%2e%2e/43/logo-abc.png", false),
            ("https://rb.example/media/42/%2E%2E/43/logo-abc.png", false),
            ("https://evil.example/media/42/logo-abc.png", false),
            ("/media/42/logo-abc.png", false),
        ] {
            let mut w = valid();
            let mut logo = crate::appearance::ImageRef::test_png(100, 40, 1000);
            logo.url = url.into();
            w.appearance.off_hours.form.logo = Some(logo);
            let problems = w.validate(&ctx).err().unwrap_or_default();
            assert_eq!(problems.is_empty(), ok, "{url}: {problems:?}");
            if !ok {
                assert_eq!(problems[0].path, "appearance.off_hours.form.logo.url");
            }
        }
    }

    #[test]
    fn the_cards_words_say_where_calls_go_and_when_it_shows() {
        let one = valid();
        let mut group = valid();
        group.forwarding = Forwarding::to("+74951234567");
        group.forwarding.numbers.push(ForwardingNumber {
            number: "+74957654321".into(),
            ring_secs: None,
        });
        let mut in_turn = group.clone();
        in_turn.forwarding.mode = GroupMode::Sequential;
        let mut none = valid();
        none.forwarding.numbers.clear();
        let sales = Department {
            id: 7,
            name: "Sales".into(),
            number: "+74951112233".into(),
            schedule: Schedule::default(),
            tags: vec![],
        };
        let mut by_department = valid();
        by_department.departments.offered = vec![7];
        for (w, en, ru) in [
            (&one, "+74951234567", "+74951234567"),
            (
                &group,
                "+74951234567, +74957654321 (together)",
                "+74951234567, +74957654321 (одновременно)",
            ),
            (
                &in_turn,
                "+74951234567, +74957654321 (in turn)",
                "+74951234567, +74957654321 (по очереди)",
            ),
            (&none, "no number yet", "номера пока нет"),
            (
                &by_department,
                "departments: Sales +74951112233",
                "отделы: Sales +74951112233",
            ),
        ] {
            let departments = std::slice::from_ref(&sales);
            assert_eq!(w.calls_go_to(departments, Lang::En), en);
            assert_eq!(w.calls_go_to(departments, Lang::Ru), ru);
        }
        assert_eq!(one.shown_when(Lang::Ru), "Пн–Пт 9–20 (Europe/Moscow)");
    }

    #[test]
    fn a_format_1_document_still_loads() {
        let v1 = r##"{"version":1,"name":"Main callback","kind":"standard","button":{"position":"top_left","color":"#ff0000","icon_color":"#ffffff","size":50,"pulse":false}}"##;
        let w = WidgetSettings::load(v1).unwrap();
        assert_eq!(w.version, SETTINGS_VERSION);
        assert_eq!(w.name, "Main callback");
        assert_eq!(w.appearance.working.button.size, 50);
        assert_eq!(w.appearance.off_hours.button.size, 50);
        assert_eq!(w.call_center, Schedule::default());
        // Without a version at all: format 1.
        let w = WidgetSettings::load(r#"{"name":"Old","kind":"promo"}"#).unwrap();
        assert_eq!(w.kind, WidgetKind::Promo);
    }

    #[test]
    fn the_current_format_round_trips_and_newer_formats_are_refused() {
        let w = valid();
        assert_eq!(WidgetSettings::load(&w.to_json()).unwrap(), w);
        assert_eq!(
            WidgetSettings::load(r#"{"version":9,"name":"x","kind":"standard"}"#),
            Err(LoadError::TooNew(9))
        );
        assert!(matches!(
            WidgetSettings::load("{"),
            Err(LoadError::Malformed(_))
        ));
    }

    #[test]
    fn a_new_widget_with_a_number_is_valid() {
        assert_eq!(valid().validate(&CTX), Ok(()));
    }

    #[test]
    fn validation_returns_every_problem_with_its_path() {
        let mut w = WidgetSettings::new("  ", WidgetKind::Promo);
        w.forwarding.numbers = vec![
            ForwardingNumber {
                number: "+74951234567".into(),
                ring_secs: None,
            },
            ForwardingNumber {
                number: "8 800 555 35 35".into(),
                ring_secs: None,
            },
        ];
        w.appearance.working.button.size = 10;
        w.connection = ConnectionMode::KeyPress {
            digit: 5,
            wait_secs: 10,
        };
        w.retries = Some(RetryPolicy::Standard {
            retries: 4,
            pause_minutes: 5,
        });
        w.call_center.zone = "Mars/Olympus".into();
        let problems: Vec<String> = w
            .validate(&CTX)
            .unwrap_err()
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(
            problems,
            [
                "name: must not be empty",
                "call_center.zone: `Mars/Olympus` is not an IANA time zone such as Europe/Moscow",
                "forwarding.numbers[1]: toll-free 8-800 numbers cannot receive callbacks",
                "connection.wait_secs: must be between 30 and 120 s",
                "retries.retries: choose 1, 2, 3, 5 or 7 retries",
                "appearance.working.button.size: must be between 40 and 96 px",
                "promo: a promo widget needs the promo's end",
            ]
        );
    }

    #[test]
    fn with_departments_on_the_main_number_is_not_needed() {
        let mut w = WidgetSettings::new("Depts", WidgetKind::Standard);
        assert!(w.validate(&CTX).is_err());
        let dept = Department {
            id: 7,
            name: "Sales".into(),
            number: "+74951234567".into(),
            schedule: Schedule::default(),
            tags: vec![],
        };
        w.departments.offered = vec![7];
        let ctx = Context {
            departments: std::slice::from_ref(&dept),
            ..CTX
        };
        assert_eq!(w.validate(&ctx), Ok(()));
    }

    #[test]
    fn only_standard_and_promo_show_on_pages() {
        assert!(WidgetKind::Standard.shows_on_pages());
        assert!(WidgetKind::Promo.shows_on_pages());
        assert!(!WidgetKind::MissedCall.shows_on_pages());
        assert!(!WidgetKind::LeadForm.shows_on_pages());
    }

    #[test]
    fn load_errors_say_what_went_wrong() {
        assert_eq!(
            LoadError::TooNew(9).to_string(),
            "settings format 9 is newer than this server"
        );
        assert_eq!(
            LoadError::Malformed("EOF".into()).to_string(),
            "the settings document does not parse: EOF"
        );
    }

    #[test]
    fn the_name_has_at_most_100_characters() {
        for (len, ok) in [(1, true), (100, true), (101, false)] {
            let mut w = valid();
            w.name = "ш".repeat(len);
            let paths: Vec<String> = match w.validate(&CTX) {
                Ok(()) => vec![],
                Err(p) => p.into_iter().map(|p| p.path).collect(),
            };
            assert_eq!(paths.is_empty(), ok, "{len}: {paths:?}");
            if !ok {
                assert_eq!(paths, ["name"]);
            }
        }
    }

    #[test]
    fn a_newer_format_in_memory_is_a_problem() {
        let mut w = valid();
        w.version = SETTINGS_VERSION + 1;
        let paths: Vec<String> = w
            .validate(&CTX)
            .unwrap_err()
            .into_iter()
            .map(|p| p.path)
            .collect();
        assert_eq!(paths, ["version"]);
        w.version = SETTINGS_VERSION;
        assert_eq!(w.validate(&CTX), Ok(()));
    }
}
