//! Choosing the widget for a page (SPEC §1, §3): "Widgets are ordered; on a page the first
//! widget (in list order) whose schedule and conditions match is shown."
//!
//! - "The first widget that matched on traffic is **pinned for the whole visitor session** (a
//!   later direct visit in the same session still shows it)": the loader keeps the pinned id in
//!   the session and sends it back; the pinned widget shows first, with its traffic rules
//!   counted as passed (its schedule, devices, pages and geo still apply).
//! - "A page match is NOT remembered: each page is judged anew."
//! - A widget shows only while active, of a kind that shows on pages, inside its display
//!   schedule, with its promo not finished, and with minutes on the balance ("At zero, all
//!   widgets stop showing").
//! - "a preview link that shows a not-yet-active widget on the real site for the person who
//!   opens it" (SPEC §6): a previewed widget shows whatever its state, schedule or conditions.

use crate::conditions::{Verdict, Visit};
use crate::promo::PromoState;
use crate::schedule::{Schedule, WidgetMode};
use crate::widget::{WidgetKind, WidgetSettings};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A widget as it stands in its site's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ListedWidget {
    /// The widget's id.
    pub id: i64,
    /// Place in the site's list; lower comes first.
    pub position: i64,
    /// Activated by the marketer.
    pub active: bool,
    /// The widget's settings document.
    pub settings: WidgetSettings,
}

/// What the choice depends on besides the widgets.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// The current instant.
    pub now: DateTime<Utc>,
    /// The page view.
    pub visit: &'a Visit,
    /// The widget this session is pinned to, if any.
    pub pinned: Option<i64>,
    /// The widget a preview link asks for, if any.
    pub preview: Option<i64>,
    /// The account has minutes left and the service is on.
    pub service_available: bool,
}

/// The widget to show and how.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Choice<'a> {
    /// The widget to show.
    pub widget: &'a ListedWidget,
    /// Working-hours or off-hours variant.
    pub mode: WidgetMode,
    /// Pin (or keep pinned) this widget for the session.
    pub pin: bool,
}

/// Whether the promo of a promo widget is over ("the widget switches itself off").
pub fn promo_finished(settings: &WidgetSettings, now: DateTime<Utc>) -> bool {
    settings.kind == WidgetKind::Promo
        && settings
            .promo
            .as_ref()
            .is_none_or(|p| p.state(now) == PromoState::Finished)
}

impl ListedWidget {
    /// The mode this widget would show in, and its condition verdict, or `None` if it does
    /// not show. `traffic_pinned`: the session is pinned to this widget.
    pub fn shows(&self, ctx: &Context, traffic_pinned: bool) -> Option<(WidgetMode, Verdict)> {
        let s = &self.settings;
        if !self.active || !s.kind.shows_on_pages() || promo_finished(s, ctx.now) {
            return None;
        }
        let mode = Schedule::widget_mode(&s.call_center, s.display_schedule(), ctx.now);
        if mode == WidgetMode::Hidden {
            return None;
        }
        let verdict = match s.active_conditions() {
            Some(set) => set.evaluate_with(ctx.visit, traffic_pinned),
            None => Verdict {
                shows: true,
                by_traffic: false,
            },
        };
        verdict.shows.then_some((mode, verdict))
    }
}

/// The widget for this page view, or `None`: nothing shows.
pub fn choose<'a>(widgets: &'a [ListedWidget], ctx: &Context) -> Option<Choice<'a>> {
    if let Some(id) = ctx.preview {
        if let Some(w) = widgets.iter().find(|w| w.id == id) {
            let s = &w.settings;
            let mode = if s.call_center.is_open(ctx.now) {
                WidgetMode::Working
            } else {
                WidgetMode::OffHours
            };
            return Some(Choice {
                widget: w,
                mode,
                pin: false,
            });
        }
    }
    if !ctx.service_available {
        return None;
    }
    if let Some(id) = ctx.pinned {
        if let Some(w) = widgets.iter().find(|w| w.id == id) {
            if let Some((mode, _)) = w.shows(ctx, true) {
                return Some(Choice {
                    widget: w,
                    mode,
                    pin: true,
                });
            }
        }
    }
    let mut ordered: Vec<&ListedWidget> = widgets.iter().collect();
    ordered.sort_by_key(|w| (w.position, w.id));
    ordered.into_iter().find_map(|w| {
        w.shows(ctx, false).map(|(mode, verdict)| Choice {
            widget: w,
            mode,
            pin: verdict.by_traffic,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conditions::{
        ConditionSet, Effect, Geo, Join, PageMatch, PageRule, TrafficRule, TrafficRules, DIRECT,
    };
    use crate::device::DeviceType;
    use crate::promo::Promo;
    use crate::schedule::WeekGrid;
    use chrono::{Duration, TimeZone};

    /// Tuesday 2026-03-03 12:00 Moscow.
    fn noon() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap()
    }

    fn listed(id: i64, position: i64, conditions: Option<ConditionSet>) -> ListedWidget {
        let mut settings = WidgetSettings::new(format!("w{id}"), WidgetKind::Standard);
        settings.conditions = conditions.into_iter().collect();
        ListedWidget {
            id,
            position,
            active: true,
            settings,
        }
    }

    fn pages(url: &str) -> ConditionSet {
        ConditionSet {
            name: url.into(),
            active: true,
            pages: vec![PageRule {
                matching: PageMatch::Equals,
                value: url.into(),
                effect: Effect::Allow,
            }],
            ..Default::default()
        }
    }

    fn traffic(source: &str, medium: Option<&str>) -> ConditionSet {
        ConditionSet {
            name: source.into(),
            active: true,
            traffic: TrafficRules {
                join: Join::Or,
                rules: vec![TrafficRule {
                    source: Some(source.into()),
                    medium: medium.map(str::to_string),
                    ..Default::default()
                }],
            },
            ..Default::default()
        }
    }

    /// Plays one page view: `(shown widget id, pin to keep)`.
    fn view(
        widgets: &[ListedWidget],
        url: &str,
        pinned: Option<i64>,
    ) -> (Option<i64>, Option<i64>) {
        let visit = Visit::new(url, DeviceType::Desktop, Geo::default());
        let ctx = Context {
            now: noon(),
            visit: &visit,
            pinned,
            preview: None,
            service_available: true,
        };
        match choose(widgets, &ctx) {
            Some(c) => (
                Some(c.widget.id),
                if c.pin { Some(c.widget.id) } else { pinned },
            ),
            None => (None, pinned),
        }
    }

    #[test]
    fn first_active_widget_in_list_order_wins() {
        let mut widgets = vec![listed(1, 1, None), listed(2, 0, None)];
        assert_eq!(view(&widgets, "https://site.ru/", None).0, Some(2));
        widgets[1].active = false;
        assert_eq!(view(&widgets, "https://site.ru/", None).0, Some(1));
        widgets[0].settings.kind = WidgetKind::MissedCall;
        assert_eq!(view(&widgets, "https://site.ru/", None).0, None);
    }

    /// Seed 000: "one widget shows on https://site.ru/pageA, another on
    /// https://site.ru/pageB. ... pageA shows the first widget, a later pageB in the same session
    /// shows the second; a page that fits neither shows no widget."
    #[test]
    fn page_match_is_not_pinned_page_a_then_page_b_example() {
        let widgets = [
            listed(1, 0, Some(pages("https://site.ru/pageA"))),
            listed(2, 1, Some(pages("https://site.ru/pageB"))),
        ];
        let (shown, pin) = view(&widgets, "https://site.ru/pageA", None);
        assert_eq!((shown, pin), (Some(1), None));
        let (shown, pin) = view(&widgets, "https://site.ru/pageB", pin);
        assert_eq!((shown, pin), (Some(2), None));
        assert_eq!(view(&widgets, "https://site.ru/other", pin).0, None);
    }

    /// Seed 000: "one widget for paid traffic yandex cpc, another for direct visits. A visitor
    /// from yandex cpc sees the first; a later direct visit in the same session also shows the
    /// first, because the first matching traffic condition is pinned for the whole session."
    #[test]
    fn traffic_match_is_pinned_yandex_cpc_then_direct_example() {
        let widgets = [
            listed(1, 0, Some(traffic("yandex", Some("cpc")))),
            listed(2, 1, Some(traffic(DIRECT, None))),
        ];
        let (shown, pin) = view(
            &widgets,
            "https://site.ru/?utm_source=yandex&utm_medium=cpc",
            None,
        );
        assert_eq!((shown, pin), (Some(1), Some(1)));
        let (shown, pin) = view(&widgets, "https://site.ru/contacts", pin);
        assert_eq!((shown, pin), (Some(1), Some(1)));
        // A new session (no pin): the direct visit gets the direct widget.
        assert_eq!(
            view(&widgets, "https://site.ru/contacts", None),
            (Some(2), Some(2))
        );
    }

    #[test]
    fn a_pinned_widget_still_obeys_its_schedule_and_activity() {
        let mut widgets = vec![
            listed(1, 0, Some(traffic("yandex", None))),
            listed(2, 1, None),
        ];
        widgets[0].active = false;
        assert_eq!(view(&widgets, "https://site.ru/", Some(1)).0, Some(2));
        widgets[0].active = true;
        widgets[0].settings.display = Some(Schedule {
            zone: "Europe/Moscow".into(),
            hours: WeekGrid::EMPTY,
        });
        assert_eq!(view(&widgets, "https://site.ru/", Some(1)).0, Some(2));
    }

    #[test]
    fn off_hours_cells_of_the_display_schedule_show_the_off_hours_variant() {
        let mut w = listed(1, 0, None);
        w.settings.display = Some(Schedule {
            zone: "Europe/Moscow".into(),
            hours: WeekGrid::full(),
        });
        let widgets = [w];
        let visit = Visit::new("https://site.ru/", DeviceType::Desktop, Geo::default());
        let at = |t| Context {
            now: t,
            visit: &visit,
            pinned: None,
            preview: None,
            service_available: true,
        };
        assert_eq!(
            choose(&widgets, &at(noon())).unwrap().mode,
            WidgetMode::Working
        );
        let night = noon() + Duration::hours(12);
        assert_eq!(
            choose(&widgets, &at(night)).unwrap().mode,
            WidgetMode::OffHours
        );
        // Default display = call center: hidden at night.
        let plain = [listed(1, 0, None)];
        assert!(choose(&plain, &at(night)).is_none());
    }

    #[test]
    fn no_minutes_means_no_widget_but_a_preview_still_shows() {
        let mut widgets = [listed(1, 0, None)];
        widgets[0].active = false;
        let visit = Visit::new("https://site.ru/", DeviceType::Desktop, Geo::default());
        let mut ctx = Context {
            now: noon() + Duration::hours(12),
            visit: &visit,
            pinned: None,
            preview: None,
            service_available: false,
        };
        assert!(choose(&widgets, &ctx).is_none());
        ctx.preview = Some(1);
        let c = choose(&widgets, &ctx).unwrap();
        assert_eq!(
            (c.widget.id, c.mode, c.pin),
            (1, WidgetMode::OffHours, false)
        );
    }

    #[test]
    fn a_finished_promo_does_not_show() {
        let mut w = listed(1, 0, None);
        w.settings.kind = WidgetKind::Promo;
        w.settings.promo = Some(Promo {
            starts_at: noon() - Duration::days(10),
            ends_at: noon() - Duration::seconds(1),
            auto_extend: false,
            timer: None,
            image: None,
        });
        let widgets = [w.clone(), listed(2, 1, None)];
        assert_eq!(view(&widgets, "https://site.ru/", None).0, Some(2));
        w.settings.promo.as_mut().unwrap().auto_extend = true;
        assert_eq!(view(&[w], "https://site.ru/", None).0, Some(1));
    }
}
