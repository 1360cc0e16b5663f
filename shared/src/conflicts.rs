//! Conflicts (SPEC §3): "two active widgets whose display schedules and conditions overlap →
//! only the first in list order shows, and the cabinet's "Errors" tab explains which widgets
//! conflict and on what (e.g. both show Sat–Sun 9–21)."
//!
//! Seed 000 gives both kinds: "Example 1: the first shows Mon–Sun 9–21, the second Sat–Sun 9–21
//! ... the first always shows, even on Sat–Sun"; "Example 2: the first on all pages with
//! articles, the second for paid traffic yandex cpc. The settings do not obviously overlap, but
//! a potential overlap exists: `https://site.ru/articles/?utm_source=yandex&utm_medium=cpc`."
//!
//! Conditions conflict unless they are *provably* disjoint on some dimension: no device type
//! allowed by both; page allows that cannot match the same URL; traffic that needs different
//! values of one tag; geo allows of one level with no value in common. Anything we cannot prove
//! disjoint (a regex against a prefix, say) is reported, as in Example 2: a false alarm the
//! marketer can read is better than a widget that silently never shows.

use crate::conditions::{ConditionSet, Effect, GeoLevel, Join, PageMatch, PageRule};
use crate::device::DeviceType;
use crate::schedule::{Schedule, WeekGrid};
use crate::selection::ListedWidget;
use chrono::{DateTime, Datelike, Duration, TimeZone, Timelike, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Two widgets that can claim the same page view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Conflict {
    /// The widget that shows (first in list order).
    pub first: i64,
    /// The first widget's name.
    pub first_name: String,
    /// The widget that never shows where they overlap.
    pub second: i64,
    /// The second widget's name.
    pub second_name: String,
    /// When both show, in the first widget's zone, e.g. `Sat–Sun 9–21`.
    pub when: String,
    /// The first widget's zone.
    pub zone: String,
    /// Where both show: each widget's conditions in words.
    pub first_conditions: String,
    /// The second widget's conditions in words.
    pub second_conditions: String,
}

impl Conflict {
    /// The explanation for the Errors tab.
    pub fn message(&self) -> String {
        let on = if self.first_conditions == self.second_conditions {
            format!("on {}", self.first_conditions)
        } else {
            format!(
                "on pages where «{}» ({}) and «{}» ({}) both apply",
                self.first_name, self.first_conditions, self.second_name, self.second_conditions
            )
        };
        format!(
            "«{}» and «{}» both show {} ({}) {on}; only «{}», first in the list, is shown there.",
            self.first_name, self.second_name, self.when, self.zone, self.first_name
        )
    }
}

/// Every conflict among a site's widgets, in list order. `reference` fixes the week used to
/// compare schedules in different zones (their offsets can differ by season).
pub fn conflicts(widgets: &[ListedWidget], reference: DateTime<Utc>) -> Vec<Conflict> {
    let mut shown: Vec<&ListedWidget> = widgets
        .iter()
        .filter(|w| w.active && w.settings.kind.shows_on_pages())
        .collect();
    shown.sort_by_key(|w| (w.position, w.id));
    let mut out = Vec::new();
    for (i, a) in shown.iter().enumerate() {
        for b in &shown[i + 1..] {
            let (sa, sb) = (a.settings.display_schedule(), b.settings.display_schedule());
            let both = schedule_overlap(sa, sb, reference);
            if both.is_empty() {
                continue;
            }
            let (ca, cb) = (
                a.settings.active_conditions(),
                b.settings.active_conditions(),
            );
            if !conditions_may_overlap(ca, cb) {
                continue;
            }
            out.push(Conflict {
                first: a.id,
                first_name: a.settings.name.clone(),
                second: b.id,
                second_name: b.settings.name.clone(),
                when: both.describe(),
                zone: sa.zone.clone(),
                first_conditions: describe(ca),
                second_conditions: describe(cb),
            });
        }
    }
    out
}

/// The hours (of `a`'s grid, in `a`'s zone) when both schedules are on. Same zone: the grids'
/// intersection. Different zones: every quarter hour of the week of `reference` is checked in
/// both zones.
pub fn schedule_overlap(a: &Schedule, b: &Schedule, reference: DateTime<Utc>) -> WeekGrid {
    if a.zone == b.zone {
        return a.hours.intersect(&b.hours);
    }
    let tz = a.tz();
    let local = reference.with_timezone(&tz);
    let monday =
        local.date_naive() - Duration::days(i64::from(local.weekday().num_days_from_monday()));
    let start = tz
        .from_local_datetime(&monday.and_hms_opt(0, 0, 0).expect("midnight"))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(reference);
    let mut grid = WeekGrid::EMPTY;
    let mut t = start;
    while t < start + Duration::days(7) {
        if a.is_open(t) && b.is_open(t) {
            let l = t.with_timezone(&tz);
            grid.set(l.weekday(), l.hour() as u8, true);
        }
        t += Duration::minutes(15);
    }
    grid
}

/// Whether some visit could satisfy both condition sets (no set = every visit).
pub fn conditions_may_overlap(a: Option<&ConditionSet>, b: Option<&ConditionSet>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return true;
    };
    if !DeviceType::ALL
        .iter()
        .any(|d| a.devices.allows(*d) && b.devices.allows(*d))
    {
        return false;
    }
    !(pages_disjoint(a, b) || traffic_disjoint(a, b) || geo_disjoint(a, b))
}

fn allows(rules: &[PageRule]) -> Vec<&PageRule> {
    rules.iter().filter(|r| r.effect == Effect::Allow).collect()
}

/// A URL that is certain to be the only one an `equals` rule matches.
fn exact(r: &PageRule) -> Option<String> {
    (r.matching == PageMatch::Equals).then(|| r.value.trim().to_lowercase())
}

/// Whether one rule of each set can never match the same URL.
fn rules_disjoint(x: &PageRule, y: &PageRule) -> bool {
    let (vx, vy) = (x.value.trim().to_lowercase(), y.value.trim().to_lowercase());
    match (x.matching, y.matching) {
        (PageMatch::Equals, _) => !y.matches(&vx),
        (_, PageMatch::Equals) => !x.matches(&vy),
        (PageMatch::StartsWith, PageMatch::StartsWith) => {
            !(vx.starts_with(&vy) || vy.starts_with(&vx))
        }
        _ => false,
    }
}

/// Page allows of both sets that cannot meet, or one set's exact pages all denied by the
/// other.
fn pages_disjoint(a: &ConditionSet, b: &ConditionSet) -> bool {
    let (aa, ab) = (allows(&a.pages), allows(&b.pages));
    if !aa.is_empty()
        && !ab.is_empty()
        && aa.iter().all(|x| ab.iter().all(|y| rules_disjoint(x, y)))
    {
        return true;
    }
    let denied_by = |set: &ConditionSet, url: &str| {
        set.pages
            .iter()
            .any(|r| r.effect == Effect::Deny && r.matches(url))
    };
    let all_exact_denied = |own: &[&PageRule], other: &ConditionSet| {
        !own.is_empty()
            && own
                .iter()
                .all(|r| exact(r).is_some_and(|u| denied_by(other, &u)))
    };
    all_exact_denied(&aa, b) || all_exact_denied(&ab, a)
}

/// The values of one tag a set can let through, if it constrains that tag at all.
fn tag_values(
    set: &ConditionSet,
    pick: fn(&crate::conditions::TrafficRule) -> &Option<String>,
) -> Option<BTreeSet<String>> {
    let allows: Vec<_> = set
        .traffic
        .rules
        .iter()
        .filter(|r| r.effect == Effect::Allow)
        .collect();
    if allows.is_empty() {
        return None;
    }
    let named: Vec<String> = allows
        .iter()
        .filter_map(|r| pick(r).as_ref().map(|v| v.trim().to_lowercase()))
        .collect();
    match set.traffic.join {
        // Every allow rule must match: any rule naming the tag fixes it.
        Join::And => {
            let distinct: BTreeSet<String> = named.into_iter().collect();
            (!distinct.is_empty()).then_some(distinct)
        }
        // Any allow rule may match: constrained only if every one names the tag, and only when
        // no deny rule alone could let a visit through.
        Join::Or => {
            let has_deny = set.traffic.rules.iter().any(|r| r.effect == Effect::Deny);
            (named.len() == allows.len() && !has_deny).then(|| named.into_iter().collect())
        }
    }
}

fn traffic_disjoint(a: &ConditionSet, b: &ConditionSet) -> bool {
    let picks: [fn(&crate::conditions::TrafficRule) -> &Option<String>; 3] =
        [|r| &r.source, |r| &r.medium, |r| &r.campaign];
    picks
        .iter()
        .any(|pick| match (tag_values(a, *pick), tag_values(b, *pick)) {
            (Some(x), Some(y)) => x.is_disjoint(&y),
            _ => false,
        })
}

fn geo_disjoint(a: &ConditionSet, b: &ConditionSet) -> bool {
    let level_values = |set: &ConditionSet| -> Option<(GeoLevel, BTreeSet<String>)> {
        let allows: Vec<_> = set
            .geo
            .iter()
            .filter(|r| r.effect == Effect::Allow)
            .collect();
        let level = allows.first()?.level;
        allows.iter().all(|r| r.level == level).then(|| {
            (
                level,
                allows
                    .iter()
                    .map(|r| r.value.trim().to_lowercase())
                    .collect(),
            )
        })
    };
    match (level_values(a), level_values(b)) {
        (Some((la, va)), Some((lb, vb))) => la == lb && va.is_disjoint(&vb),
        _ => false,
    }
}

/// A condition set in words: `any page`, or its parts joined by `; `.
pub fn describe(set: Option<&ConditionSet>) -> String {
    let Some(set) = set else {
        return "any page".into();
    };
    let mut parts = Vec::new();
    let devices: Vec<&str> = DeviceType::ALL
        .iter()
        .filter(|d| set.devices.allows(**d))
        .map(|d| match d {
            DeviceType::Desktop => "desktop",
            DeviceType::Tablet => "tablet",
            DeviceType::Mobile => "mobile",
        })
        .collect();
    if devices.len() < 3 {
        parts.push(format!("{} devices", devices.join(" and ")));
    }
    if !set.pages.is_empty() {
        parts.push(
            set.pages
                .iter()
                .map(PageRule::describe)
                .collect::<Vec<_>>()
                .join(if set.pages.iter().all(|r| r.effect == Effect::Allow) {
                    " or "
                } else {
                    ", "
                }),
        );
    }
    if !set.traffic.rules.is_empty() {
        let join = match set.traffic.join {
            Join::And => " and ",
            Join::Or => " or ",
        };
        parts.push(format!(
            "visits from {}",
            set.traffic
                .rules
                .iter()
                .map(|r| match r.effect {
                    Effect::Allow => r.describe(),
                    Effect::Deny => format!("not {}", r.describe()),
                })
                .collect::<Vec<_>>()
                .join(join)
        ));
    }
    if !set.geo.is_empty() {
        parts.push(
            set.geo
                .iter()
                .map(|g| {
                    let not = if g.effect == Effect::Deny { "not " } else { "" };
                    format!("{not}{}", g.value)
                })
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    if parts.is_empty() {
        "any page".into()
    } else {
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conditions::{DeviceRules, GeoRule, TrafficRule, TrafficRules};
    use crate::schedule::WEEK;
    use crate::widget::{WidgetKind, WidgetSettings};
    use chrono::Weekday;

    fn widget(
        id: i64,
        name: &str,
        hours: WeekGrid,
        conditions: Option<ConditionSet>,
    ) -> ListedWidget {
        let mut s = WidgetSettings::new(name, WidgetKind::Standard);
        s.display = Some(Schedule {
            zone: "Europe/Moscow".into(),
            hours,
        });
        s.conditions = conditions.into_iter().collect();
        ListedWidget {
            id,
            position: id,
            active: true,
            settings: s,
        }
    }

    fn reference() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap()
    }

    fn set(pages: Vec<PageRule>, traffic: Vec<TrafficRule>) -> ConditionSet {
        ConditionSet {
            name: "c".into(),
            active: true,
            pages,
            traffic: TrafficRules {
                join: Join::Or,
                rules: traffic,
            },
            ..Default::default()
        }
    }

    fn page(m: PageMatch, v: &str) -> PageRule {
        PageRule {
            matching: m,
            value: v.into(),
            effect: Effect::Allow,
        }
    }

    fn source(s: &str, medium: Option<&str>) -> TrafficRule {
        TrafficRule {
            source: Some(s.into()),
            medium: medium.map(str::to_string),
            ..Default::default()
        }
    }

    /// Seed 000, Example 1: "the first shows Mon–Sun 9–21, the second Sat–Sun 9–21".
    #[test]
    fn schedule_overlap_example_both_show_sat_sun_9_21() {
        let widgets = [
            widget(1, "Every day", WeekGrid::hours(&WEEK, 9, 21), None),
            widget(
                2,
                "Weekend",
                WeekGrid::hours(&[Weekday::Sat, Weekday::Sun], 9, 21),
                None,
            ),
        ];
        let c = conflicts(&widgets, reference());
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].when, "Sat–Sun 9–21");
        assert_eq!(
            c[0].message(),
            "«Every day» and «Weekend» both show Sat–Sun 9–21 (Europe/Moscow) on any page; only «Every day», first in the list, is shown there."
        );
    }

    /// Seed 000, Example 2: pages with "articles" and yandex cpc traffic potentially overlap.
    #[test]
    fn pages_and_traffic_potentially_overlap_example() {
        let all = WeekGrid::hours(&WEEK, 9, 21);
        let widgets = [
            widget(
                1,
                "Articles",
                all,
                Some(set(vec![page(PageMatch::Contains, "articles")], vec![])),
            ),
            widget(
                2,
                "Paid",
                all,
                Some(set(vec![], vec![source("yandex", Some("cpc"))])),
            ),
        ];
        let c = conflicts(&widgets, reference());
        assert_eq!(c.len(), 1);
        assert!(c[0].message().contains(
            "on pages where «Articles» (pages containing \"articles\") and «Paid» (visits from utm_source=yandex & utm_medium=cpc) both apply"
        ), "{}", c[0].message());
    }

    #[test]
    fn disjoint_schedules_or_conditions_do_not_conflict() {
        let week = WeekGrid::hours(&WEEK[..5], 9, 18);
        let weekend = WeekGrid::hours(&WEEK[5..], 9, 18);
        assert!(conflicts(
            &[widget(1, "a", week, None), widget(2, "b", weekend, None)],
            reference()
        )
        .is_empty());
        let cases: Vec<(ConditionSet, ConditionSet)> = vec![
            (
                set(
                    vec![page(PageMatch::Equals, "https://site.ru/pageA")],
                    vec![],
                ),
                set(
                    vec![page(PageMatch::Equals, "https://site.ru/pageB")],
                    vec![],
                ),
            ),
            (
                set(
                    vec![page(PageMatch::StartsWith, "https://site.ru/shop")],
                    vec![],
                ),
                set(
                    vec![page(PageMatch::StartsWith, "https://site.ru/blog")],
                    vec![],
                ),
            ),
            (
                set(
                    vec![page(PageMatch::Equals, "https://site.ru/contacts")],
                    vec![],
                ),
                set(vec![page(PageMatch::Contains, "articles")], vec![]),
            ),
            (
                set(vec![], vec![source("yandex", Some("cpc"))]),
                set(vec![], vec![source("google", Some("cpc"))]),
            ),
            (
                ConditionSet {
                    geo: vec![GeoRule {
                        level: GeoLevel::Country,
                        value: "RU".into(),
                        effect: Effect::Allow,
                    }],
                    ..set(vec![], vec![])
                },
                ConditionSet {
                    geo: vec![GeoRule {
                        level: GeoLevel::Country,
                        value: "KZ".into(),
                        effect: Effect::Allow,
                    }],
                    ..set(vec![], vec![])
                },
            ),
            (
                ConditionSet {
                    devices: DeviceRules {
                        desktop: Effect::Allow,
                        tablet: Effect::Deny,
                        mobile: Effect::Deny,
                    },
                    ..set(vec![], vec![])
                },
                ConditionSet {
                    devices: DeviceRules {
                        desktop: Effect::Deny,
                        tablet: Effect::Allow,
                        mobile: Effect::Allow,
                    },
                    ..set(vec![], vec![])
                },
            ),
            (
                set(
                    vec![page(PageMatch::Equals, "https://site.ru/cart")],
                    vec![],
                ),
                ConditionSet {
                    pages: vec![PageRule {
                        matching: PageMatch::Contains,
                        value: "cart".into(),
                        effect: Effect::Deny,
                    }],
                    ..set(vec![], vec![])
                },
            ),
        ];
        for (i, (a, b)) in cases.into_iter().enumerate() {
            assert!(!conditions_may_overlap(Some(&a), Some(&b)), "case {i}");
            assert!(
                !conditions_may_overlap(Some(&b), Some(&a)),
                "case {i} reversed"
            );
        }
    }

    #[test]
    fn what_cannot_be_proved_disjoint_is_reported() {
        let a = set(
            vec![page(PageMatch::Regex, "^https://site.ru/(shop|blog)")],
            vec![],
        );
        let b = set(
            vec![page(PageMatch::StartsWith, "https://site.ru/blog")],
            vec![],
        );
        assert!(conditions_may_overlap(Some(&a), Some(&b)));
        let geo_a = ConditionSet {
            geo: vec![GeoRule {
                level: GeoLevel::Region,
                value: "Moscow Oblast".into(),
                effect: Effect::Allow,
            }],
            ..set(vec![], vec![])
        };
        let geo_b = ConditionSet {
            geo: vec![GeoRule {
                level: GeoLevel::City,
                value: "Moscow".into(),
                effect: Effect::Allow,
            }],
            ..set(vec![], vec![])
        };
        assert!(conditions_may_overlap(Some(&geo_a), Some(&geo_b)));
    }

    #[test]
    fn inactive_and_non_page_widgets_never_conflict() {
        let all = WeekGrid::hours(&WEEK, 9, 21);
        let mut widgets = [widget(1, "a", all, None), widget(2, "b", all, None)];
        widgets[1].active = false;
        assert!(conflicts(&widgets, reference()).is_empty());
        widgets[1].active = true;
        widgets[1].settings.kind = WidgetKind::LeadForm;
        assert!(conflicts(&widgets, reference()).is_empty());
    }

    #[test]
    fn schedules_in_different_zones_are_compared_on_one_clock() {
        let msk = Schedule {
            zone: "Europe/Moscow".into(),
            hours: WeekGrid::hours(&[Weekday::Mon], 9, 12),
        };
        // 11:00–14:00 in Yekaterinburg (UTC+5) is 9:00–12:00 in Moscow (UTC+3).
        let ekb = Schedule {
            zone: "Asia/Yekaterinburg".into(),
            hours: WeekGrid::hours(&[Weekday::Mon], 13, 14),
        };
        assert_eq!(
            schedule_overlap(&msk, &ekb, reference()).describe(),
            "Mon 11–12"
        );
    }

    /// "`reference` fixes the week used to compare schedules in different zones": the week
    /// from the Monday of the reference, on `a`'s clock. Berlin changes to summer time on
    /// Sunday 2024-03-31, so Monday 9:00 Berlin is 11:00 Moscow in the week of 25 March but
    /// 10:00 Moscow in the weeks after.
    #[test]
    fn zones_are_compared_in_the_week_of_the_reference() {
        let berlin = Schedule {
            zone: "Europe/Berlin".into(),
            hours: WeekGrid::hours(&[Weekday::Mon], 9, 10),
        };
        let moscow = Schedule {
            zone: "Europe/Moscow".into(),
            hours: WeekGrid::hours(&[Weekday::Mon], 11, 12),
        };
        // Saturday 2024-03-30, in the week of Monday 25 March (winter time in Berlin).
        let saturday = Utc.with_ymd_and_hms(2024, 3, 30, 12, 0, 0).unwrap();
        assert_eq!(
            schedule_overlap(&berlin, &moscow, saturday).describe(),
            "Mon 9–10"
        );
        // A week later Berlin is on summer time: no overlap.
        let next_saturday = Utc.with_ymd_and_hms(2024, 4, 6, 12, 0, 0).unwrap();
        assert!(schedule_overlap(&berlin, &moscow, next_saturday).is_empty());
    }

    /// The week is `[Monday 00:00, next Monday 00:00)`: the next Monday's first quarter is
    /// not part of it, even when a DST change elsewhere makes it overlap.
    #[test]
    fn the_compared_week_excludes_the_next_monday() {
        let moscow = Schedule {
            zone: "Europe/Moscow".into(),
            hours: WeekGrid::hours(&[Weekday::Mon], 0, 1),
        };
        let berlin = Schedule {
            zone: "Europe/Berlin".into(),
            hours: WeekGrid::hours(&[Weekday::Sun], 23, 24),
        };
        // Monday 25 March 00:00 Moscow is Sunday 22:00 in Berlin (winter time); Monday
        // 1 April 00:00 Moscow would be Sunday 23:00 in Berlin (summer time).
        let wednesday = Utc.with_ymd_and_hms(2024, 3, 27, 12, 0, 0).unwrap();
        assert!(schedule_overlap(&moscow, &berlin, wednesday).is_empty());
    }

    /// Nested prefixes can match the same URL; only unrelated prefixes are disjoint.
    #[test]
    fn nested_prefixes_overlap() {
        let a = set(
            vec![page(PageMatch::StartsWith, "https://site.ru/catalog")],
            vec![],
        );
        let b = set(
            vec![page(
                PageMatch::StartsWith,
                "https://site.ru/catalog/windows",
            )],
            vec![],
        );
        assert!(conditions_may_overlap(Some(&a), Some(&b)));
        assert!(conditions_may_overlap(Some(&b), Some(&a)));
    }

    /// An exact page is excluded only by the other set's *deny* rules, never by its allows.
    #[test]
    fn an_allow_rule_does_not_exclude_an_exact_page() {
        let a = set(
            vec![page(PageMatch::Equals, "https://site.ru/contacts/")],
            vec![],
        );
        let b = set(vec![page(PageMatch::Contains, "contacts")], vec![]);
        assert!(conditions_may_overlap(Some(&a), Some(&b)));
        assert!(conditions_may_overlap(Some(&b), Some(&a)));
    }

    /// Traffic is disjoint when both sets need different values of one tag: with AND, any
    /// rule naming the tag fixes it; with OR, only when every allow names it and no deny rule
    /// could let another visit through.
    #[test]
    fn traffic_values_decide_disjointness() {
        let joined = |join: Join, rules: Vec<TrafficRule>| ConditionSet {
            traffic: TrafficRules { join, rules },
            ..set(vec![], vec![])
        };
        let deny = |s: &str| TrafficRule {
            effect: Effect::Deny,
            ..source(s, None)
        };
        let medium_only = TrafficRule {
            medium: Some("cpc".into()),
            ..Default::default()
        };
        let vk = joined(Join::Or, vec![source("vk", None)]);
        let cases = [
            (
                joined(Join::And, vec![source("yandex", None)]),
                joined(Join::And, vec![source("google", None)]),
                false,
            ),
            (
                joined(Join::And, vec![source("yandex", None), medium_only.clone()]),
                vk.clone(),
                false,
            ),
            (
                joined(
                    Join::Or,
                    vec![source("yandex", None), source("google", None)],
                ),
                vk.clone(),
                false,
            ),
            (
                joined(Join::Or, vec![source("yandex", None), deny("google")]),
                vk.clone(),
                true,
            ),
            (
                joined(Join::Or, vec![source("yandex", None), medium_only]),
                vk.clone(),
                true,
            ),
            (
                joined(Join::Or, vec![source("yandex", None), source("vk", None)]),
                vk,
                true,
            ),
        ];
        for (i, (a, b, want)) in cases.into_iter().enumerate() {
            assert_eq!(conditions_may_overlap(Some(&a), Some(&b)), want, "case {i}");
            assert_eq!(
                conditions_may_overlap(Some(&b), Some(&a)),
                want,
                "case {i} reversed"
            );
        }
    }

    #[test]
    fn condition_sets_are_described_in_words() {
        let deny_page = |m: PageMatch, v: &str| PageRule {
            effect: Effect::Deny,
            ..page(m, v)
        };
        let cases = [
            (set(vec![], vec![]), "any page"),
            (
                ConditionSet {
                    devices: DeviceRules {
                        desktop: Effect::Allow,
                        tablet: Effect::Deny,
                        mobile: Effect::Deny,
                    },
                    ..set(vec![], vec![])
                },
                "desktop devices",
            ),
            (
                set(
                    vec![
                        page(PageMatch::Contains, "articles"),
                        page(PageMatch::Equals, "https://site.ru/contacts/"),
                    ],
                    vec![],
                ),
                "pages containing \"articles\" or the page \"https://site.ru/contacts/\"",
            ),
            (
                set(
                    vec![
                        page(PageMatch::StartsWith, "https://site.ru/catalog"),
                        deny_page(PageMatch::Contains, "/cart"),
                    ],
                    vec![],
                ),
                "pages starting with \"https://site.ru/catalog\", not on pages containing \"/cart\"",
            ),
            (
                ConditionSet {
                    geo: vec![
                        GeoRule {
                            level: GeoLevel::City,
                            value: "Moscow".into(),
                            effect: Effect::Allow,
                        },
                        GeoRule {
                            level: GeoLevel::Country,
                            value: "KZ".into(),
                            effect: Effect::Deny,
                        },
                    ],
                    ..set(vec![], vec![])
                },
                "Moscow, not KZ",
            ),
        ];
        for (s, want) in cases {
            assert_eq!(describe(Some(&s)), want);
        }
        assert_eq!(describe(None), "any page");
    }
}
