//! Auto-show scenarios (SPEC §2): "the form or invitation opens by itself":
//!
//! - `once_per_session` after N s (15–3000, default 25);
//! - `periodic` every N s (15–3000; warn below 40) "until the visitor orders or leaves, even
//!   after closing";
//! - `disabled` (button only);
//! - `dynamic`: "open at the moment visitors from this traffic source usually hesitate —
//!   computed from the site's own order statistics (time from landing to order, per
//!   utm_source), falling back to 25 s until there are enough samples";
//! - plus exit intent as an option.
//!
//! "A visitor sees an automatic open at most once per session in `once_per_session` and
//! `dynamic`."
//!
//! ## The dynamic statistic
//!
//! For a source with at least [`MIN_SAMPLES`] orders, the moment is the **median** time from
//! landing to order of that source's orders. At the median, half of the visitors who were going
//! to order have done so on their own; a visitor still on the page past the time most such
//! visitors needed is the one hesitating, and the form finds them before they leave. The median
//! needs no assumption about the distribution's shape and is not dragged by the long tail of
//! visitors who order after an hour in another tab, which would push a mean far too late. A
//! source with too few orders uses the median of all the site's orders if those are enough,
//! and 25 s otherwise. The result is kept within 15–3000 s, the range a marketer could set.

use crate::validation::Problems;
use serde::{Deserialize, Serialize};

/// "falling back to 25 s".
pub const DEFAULT_SECS: u16 = 25;
/// Shortest delay or period a marketer can set: "15–3000".
pub const MIN_SECS: u16 = 15;
/// Longest delay or period a marketer can set.
pub const MAX_SECS: u16 = 3000;
/// Below this, periodic opens get a warning.
pub const PERIODIC_WARN_BELOW: u16 = 40;
/// Orders of a source needed before its own statistic is used.
pub const MIN_SAMPLES: usize = 20;

/// The scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "scenario")]
pub enum Scenario {
    /// Open once a session, `after_secs` after landing.
    OncePerSession {
        /// Seconds after landing: 15–3000, default 25.
        after_secs: u16,
    },
    /// Open every `every_secs` "until the visitor orders or leaves, even after closing".
    Periodic {
        /// Seconds between opens: 15–3000; warn below 40.
        every_secs: u16,
    },
    /// "button only": nothing opens by itself.
    Disabled,
    /// Open "at the moment visitors from this traffic source usually hesitate"
    /// ([`dynamic_delay`]).
    Dynamic,
}

/// What opens by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Opens {
    /// The main form (the default).
    #[default]
    Form,
    /// The invitation dialog offering a callback.
    Invitation,
}

/// The widget's auto-show settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct AutoShow {
    /// When the widget opens by itself.
    pub scenario: Scenario,
    /// Also open when the visitor is about to leave (pointer out through the top on desktop,
    /// fast scroll-up on mobile).
    #[serde(default)]
    pub exit_intent: bool,
    /// The form or the invitation.
    #[serde(default)]
    pub opens: Opens,
}

impl Default for AutoShow {
    fn default() -> Self {
        AutoShow {
            scenario: Scenario::OncePerSession {
                after_secs: DEFAULT_SECS,
            },
            exit_intent: false,
            opens: Opens::Form,
        }
    }
}

impl AutoShow {
    /// Every problem under `path`.
    pub fn validate(&self, path: &str, problems: &mut Problems) {
        match self.scenario {
            Scenario::OncePerSession { after_secs } => problems.check_range(
                format!("{path}.after_secs"),
                after_secs,
                MIN_SECS,
                MAX_SECS,
                " s",
            ),
            Scenario::Periodic { every_secs } => problems.check_range(
                format!("{path}.every_secs"),
                every_secs,
                MIN_SECS,
                MAX_SECS,
                " s",
            ),
            Scenario::Disabled | Scenario::Dynamic => {}
        }
    }

    /// Advice that does not block saving: "warn below 40".
    pub fn warnings(&self) -> Vec<String> {
        match self.scenario {
            Scenario::Periodic { every_secs } if every_secs < PERIODIC_WARN_BELOW => vec![format!(
                "opening the form every {every_secs} s gets in visitors' way; 40 s or more is kinder"
            )],
            _ => Vec::new(),
        }
    }
}

/// One order's time from landing to ordering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Sample {
    /// The visit's utm_source; `None` for direct visits.
    pub source: Option<String>,
    /// Seconds from landing on the site to ordering.
    pub seconds: u32,
}

/// What the dynamic moment was computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "basis", content = "samples")]
pub enum Basis {
    /// The visitor's own source.
    Source(usize),
    /// Every source of the site.
    AllSources(usize),
    /// Not enough orders yet: 25 s.
    Fallback,
}

fn median(mut v: Vec<u32>) -> u32 {
    v.sort_unstable();
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        ((u64::from(v[n / 2 - 1]) + u64::from(v[n / 2])) / 2) as u32
    }
}

/// The `dynamic` moment for a visitor from `source`, in seconds after landing, and its basis.
pub fn dynamic_delay(samples: &[Sample], source: Option<&str>) -> (u16, Basis) {
    let clamp = |s: u32| s.clamp(u32::from(MIN_SECS), u32::from(MAX_SECS)) as u16;
    let norm = |s: Option<&str>| s.map(|x| x.trim().to_lowercase()).filter(|x| !x.is_empty());
    let wanted = norm(source);
    let own: Vec<u32> = samples
        .iter()
        .filter(|s| norm(s.source.as_deref()) == wanted)
        .map(|s| s.seconds)
        .collect();
    if own.len() >= MIN_SAMPLES {
        let n = own.len();
        return (clamp(median(own)), Basis::Source(n));
    }
    if samples.len() >= MIN_SAMPLES {
        let all: Vec<u32> = samples.iter().map(|s| s.seconds).collect();
        return (clamp(median(all)), Basis::AllSources(samples.len()));
    }
    (DEFAULT_SECS, Basis::Fallback)
}

/// What the widget remembers about the visitor's session (in `sessionStorage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SessionMemory {
    /// When the session's first page loaded, ms since the epoch.
    pub started_ms: i64,
    /// When the widget last opened by itself, if ever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_auto_open_ms: Option<i64>,
    /// The visitor has ordered in this session.
    #[serde(default)]
    pub ordered: bool,
}

/// The auto-show plan a page gets from *decide*: the scenario with `dynamic` already turned
/// into seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Plan {
    /// `None`: never by timer.
    pub after_secs: Option<u16>,
    /// Repeat every `after_secs` (periodic).
    pub repeat: bool,
    /// Also open on exit intent.
    pub exit_intent: bool,
    /// The form or the invitation.
    pub opens: Opens,
}

impl Plan {
    /// The plan for a visitor from `source`, given the site's samples.
    pub fn for_visit(auto: &AutoShow, samples: &[Sample], source: Option<&str>) -> Plan {
        let (after_secs, repeat) = match auto.scenario {
            Scenario::OncePerSession { after_secs } => (Some(after_secs), false),
            Scenario::Periodic { every_secs } => (Some(every_secs), true),
            Scenario::Disabled => (None, false),
            Scenario::Dynamic => (Some(dynamic_delay(samples, source).0), false),
        };
        Plan {
            after_secs,
            repeat,
            exit_intent: auto.exit_intent,
            opens: auto.opens,
        }
    }

    /// When the widget should next open by itself, in ms since the epoch, or `None`.
    /// Once-per-session and dynamic open at most once a session; periodic repeats from the last
    /// automatic open (so closing the form does not stop it) until the visitor orders.
    pub fn next_open_ms(&self, session: &SessionMemory) -> Option<i64> {
        if session.ordered {
            return None;
        }
        let every = i64::from(self.after_secs?) * 1000;
        match (self.repeat, session.last_auto_open_ms) {
            (false, Some(_)) => None,
            (false, None) => Some(session.started_ms + every),
            (true, last) => Some(last.unwrap_or(session.started_ms) + every),
        }
    }

    /// Whether exit intent may open the widget now: only if enabled, not ordered, and (outside
    /// periodic) not opened by itself yet this session.
    pub fn exit_intent_allowed(&self, session: &SessionMemory) -> bool {
        self.exit_intent && !session.ordered && (self.repeat || session.last_auto_open_ms.is_none())
    }
}

/// Exit intent on a desktop: "pointer leaves through the top" — it left the window (no element
/// under it any more) at or above the window's top edge.
pub fn pointer_left_through_top(left_window: bool, client_y: f64) -> bool {
    left_window && client_y <= 0.0
}

/// Pixels a phone's page must move up, at least, to count as a fast scroll-up.
pub const FAST_SCROLL_UP_PX: f64 = 120.0;
/// ... within this many milliseconds.
pub const FAST_SCROLL_UP_MS: f64 = 300.0;

/// Exit intent on a phone: "fast scroll-up" — the page moved up by at least
/// [`FAST_SCROLL_UP_PX`] within [`FAST_SCROLL_UP_MS`] (heading for the address bar, or back).
pub fn fast_scroll_up(moved_up_px: f64, within_ms: f64) -> bool {
    moved_up_px >= FAST_SCROLL_UP_PX && within_ms <= FAST_SCROLL_UP_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_intent_is_leaving_through_the_top_or_a_fast_scroll_up() {
        assert!(pointer_left_through_top(true, 0.0));
        assert!(pointer_left_through_top(true, -3.0));
        assert!(!pointer_left_through_top(true, 10.0), "left through a side");
        assert!(
            !pointer_left_through_top(false, -3.0),
            "moved onto the page's own element"
        );
        assert!(fast_scroll_up(200.0, 150.0));
        assert!(fast_scroll_up(120.0, 300.0));
        assert!(!fast_scroll_up(119.0, 100.0), "a small nudge");
        assert!(!fast_scroll_up(400.0, 900.0), "reading upwards slowly");
        assert!(!fast_scroll_up(-300.0, 100.0), "scrolling down");
    }

    fn samples(source: Option<&str>, secs: &[u32]) -> Vec<Sample> {
        secs.iter()
            .map(|s| Sample {
                source: source.map(str::to_string),
                seconds: *s,
            })
            .collect()
    }

    #[test]
    fn dynamic_uses_the_sources_median_once_it_has_enough_orders() {
        let mut s = samples(
            Some("yandex"),
            &(1..=21).map(|i| i * 10).collect::<Vec<_>>(),
        );
        s.extend(samples(Some("google"), &[500; 5]));
        assert_eq!(dynamic_delay(&s, Some("Yandex")), (110, Basis::Source(21)));
        // Google has 5 orders: every order's median (26 samples).
        let (secs, basis) = dynamic_delay(&s, Some("google"));
        assert_eq!(basis, Basis::AllSources(26));
        assert_eq!(secs, 135);
    }

    #[test]
    fn dynamic_falls_back_to_25_seconds_without_enough_orders() {
        let s = samples(Some("yandex"), &[60; 19]);
        assert_eq!(dynamic_delay(&s, Some("yandex")), (25, Basis::Fallback));
        assert_eq!(dynamic_delay(&[], None), (25, Basis::Fallback));
    }

    #[test]
    fn dynamic_stays_in_the_range_a_marketer_could_set() {
        assert_eq!(dynamic_delay(&samples(None, &[3; 20]), None).0, 15);
        assert_eq!(dynamic_delay(&samples(None, &[9999; 20]), None).0, 3000);
        // A long tail does not drag the median.
        let mut tail = vec![40; 15];
        tail.extend([3600; 6]);
        assert_eq!(dynamic_delay(&samples(None, &tail), None).0, 40);
    }

    #[test]
    fn ranges_and_the_periodic_warning() {
        let check = |scenario| {
            let mut p = Problems::new();
            AutoShow {
                scenario,
                ..AutoShow::default()
            }
            .validate("auto_show", &mut p);
            p.into_vec().len()
        };
        assert_eq!(check(Scenario::OncePerSession { after_secs: 15 }), 0);
        assert_eq!(check(Scenario::OncePerSession { after_secs: 14 }), 1);
        assert_eq!(check(Scenario::Periodic { every_secs: 3001 }), 1);
        assert_eq!(check(Scenario::Dynamic), 0);
        let warn = AutoShow {
            scenario: Scenario::Periodic { every_secs: 30 },
            ..AutoShow::default()
        };
        assert_eq!(warn.warnings().len(), 1);
        assert!(AutoShow::default().warnings().is_empty());
        assert_eq!(
            AutoShow::default().scenario,
            Scenario::OncePerSession { after_secs: 25 }
        );
    }

    #[test]
    fn once_per_session_opens_once() {
        let plan = Plan::for_visit(&AutoShow::default(), &[], None);
        let mut s = SessionMemory {
            started_ms: 1_000,
            ..Default::default()
        };
        assert_eq!(plan.next_open_ms(&s), Some(26_000));
        s.last_auto_open_ms = Some(26_000);
        assert_eq!(plan.next_open_ms(&s), None);
        assert!(!plan.exit_intent_allowed(&s));
    }

    #[test]
    fn periodic_repeats_after_closing_until_the_visitor_orders() {
        let auto = AutoShow {
            scenario: Scenario::Periodic { every_secs: 60 },
            exit_intent: true,
            opens: Opens::Invitation,
        };
        let plan = Plan::for_visit(&auto, &[], None);
        let mut s = SessionMemory {
            started_ms: 0,
            ..Default::default()
        };
        assert_eq!(plan.next_open_ms(&s), Some(60_000));
        s.last_auto_open_ms = Some(60_000);
        assert_eq!(plan.next_open_ms(&s), Some(120_000));
        assert!(plan.exit_intent_allowed(&s));
        s.ordered = true;
        assert_eq!(plan.next_open_ms(&s), None);
        assert!(!plan.exit_intent_allowed(&s));
    }

    #[test]
    fn disabled_never_opens_by_timer_and_dynamic_uses_the_statistic() {
        let off = Plan::for_visit(
            &AutoShow {
                scenario: Scenario::Disabled,
                ..AutoShow::default()
            },
            &[],
            None,
        );
        assert_eq!(off.next_open_ms(&SessionMemory::default()), None);
        let dynamic = Plan::for_visit(
            &AutoShow {
                scenario: Scenario::Dynamic,
                ..AutoShow::default()
            },
            &samples(Some("vk"), &[90; 20]),
            Some("vk"),
        );
        assert_eq!(dynamic.after_secs, Some(90));
        assert!(!dynamic.repeat);
    }

    /// "`periodic` every N s (15–3000; warn below 40)": 39 warns, 40 does not.
    #[test]
    fn the_periodic_warning_starts_below_40() {
        for (every_secs, warns) in [(15, true), (39, true), (40, false), (60, false)] {
            let auto = AutoShow {
                scenario: Scenario::Periodic { every_secs },
                ..AutoShow::default()
            };
            assert_eq!(!auto.warnings().is_empty(), warns, "{every_secs}");
        }
        let once = AutoShow {
            scenario: Scenario::OncePerSession { after_secs: 15 },
            ..AutoShow::default()
        };
        assert!(once.warnings().is_empty());
    }
}
