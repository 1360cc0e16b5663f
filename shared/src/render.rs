//! Render models: the chosen widget drawn for one visit, as *decide* answers it (SPEC §2, §3).
//! The worker only loads data and calls [`render`]; the widget only draws what it gets.

use crate::account::Site;
use crate::api::{DepartmentOption, RenderModel};
use crate::autoshow::{Plan, Sample};
use crate::conditions::Visit;
use crate::departments::Department;
use crate::schedule::{next_open_all, WidgetMode};
use crate::selection::Choice;
use crate::slots::{slots, SlotOptions};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// What a render depends on.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The widget chosen for the page, and its mode.
    pub choice: Choice<'a>,
    /// The account's departments.
    pub departments: &'a [Department],
    /// The site the page belongs to.
    pub site: &'a Site,
    /// The page view.
    pub visit: &'a Visit,
    /// The page's `lang` attribute.
    pub page_lang: &'a str,
    /// The visitor's IANA zone, if the browser told it.
    pub visitor_zone: Option<&'a str>,
    /// The site's order statistics for the dynamic auto-show.
    pub samples: &'a [Sample],
    /// The current instant.
    pub now: DateTime<Utc>,
}

/// The render model of the chosen widget for this visit: what the cabinet's preview draws for
/// the settings ([`crate::preview::model`]), with the visit's time picker, departments and
/// auto-show moment.
pub fn render(input: Input) -> RenderModel {
    let w = input.choice.widget;
    let s = &w.settings;
    let mode = input.choice.mode;
    let lang = s.appearance.lang.resolve(input.page_lang);
    let mut model = crate::preview::model(
        s,
        mode,
        input.visit.device.layout(),
        lang,
        &input.site.domain,
        &input.site.country,
        input.now,
    );
    let visitor: Tz = input
        .visitor_zone
        .and_then(|z| z.parse().ok())
        .unwrap_or_else(|| s.call_center.tz());
    let opts = SlotOptions::default();
    let departments: Vec<DepartmentOption> = s
        .departments
        .in_order(input.departments)
        .into_iter()
        .filter(|d| next_open_all(&[&d.schedule, &s.call_center], input.now).is_some())
        .map(|d| DepartmentOption {
            id: d.id,
            name: d.name.clone(),
            open_now: d.schedule.is_open(input.now) && s.call_center.is_open(input.now),
            slots: slots(&[&s.call_center, &d.schedule], visitor, input.now, opts),
        })
        .collect();
    let selectable: Vec<i64> = departments
        .iter()
        .filter(|d| mode == WidgetMode::OffHours || d.open_now)
        .map(|d| d.id)
        .collect();
    model.widget_id = w.id;
    model.slots = slots(&[&s.call_center], visitor, input.now, opts);
    model.preselected_department = s.departments.preselected(&selectable);
    model.departments = departments;
    model.auto_show = Plan::for_visit(
        &s.auto_show,
        input.samples,
        input.visit.utm.source.as_deref(),
    );
    model
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::button::ButtonPosition;
    use crate::conditions::Geo;
    use crate::device::DeviceType;
    use crate::device::Layout;
    use crate::schedule::{Schedule, WeekGrid};
    use crate::selection::ListedWidget;
    use crate::texts::Lang;
    use crate::texts::TextKey;
    use crate::widget::{WidgetKind, WidgetSettings};
    use chrono::{TimeZone, Weekday};

    fn site() -> Site {
        Site {
            domain: "okna.ru".into(),
            country: "RU".into(),
            client_countries: vec![],
        }
    }

    fn widget() -> ListedWidget {
        let mut s = WidgetSettings::new("Main", WidgetKind::Standard);
        s.appearance.off_hours.button.color = "#222222".parse().unwrap();
        s.appearance.mobile.button_size = Some(48);
        s.appearance.mobile.button_position = Some(ButtonPosition::BottomLeft);
        ListedWidget {
            id: 5,
            position: 0,
            active: true,
            settings: s,
        }
    }

    /// Tuesday 2026-03-03 12:00 Moscow.
    fn noon() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap()
    }

    fn model(
        w: &ListedWidget,
        mode: WidgetMode,
        device: DeviceType,
        departments: &[Department],
    ) -> RenderModel {
        let visit = Visit::new("https://okna.ru/?utm_source=vk", device, Geo::default());
        render(Input {
            choice: Choice {
                widget: w,
                mode,
                pin: false,
            },
            departments,
            site: &site(),
            visit: &visit,
            page_lang: "en",
            visitor_zone: Some("Europe/Moscow"),
            samples: &[],
            now: noon(),
        })
    }

    #[test]
    fn working_hours_get_the_working_look_the_timer_and_english_texts() {
        let m = model(&widget(), WidgetMode::Working, DeviceType::Desktop, &[]);
        assert_eq!(m.widget_id, 5);
        assert_eq!(m.lang, Lang::En);
        assert_eq!(m.button.color.hex(), "#1a73e8");
        assert_eq!(m.timer_secs, Some(30));
        assert_eq!(m.texts[&TextKey::ButtonNow], "Call me now");
        assert_eq!(m.consent_link.as_deref(), Some("https://okna.ru/"));
        assert_eq!(m.phone_mask.unwrap().placeholder(), "+7 (___) ___-__-__");
        assert_eq!(m.slots[0].slots()[0].1, "12:30");
        assert_eq!(m.auto_show.after_secs, Some(25));
    }

    #[test]
    fn off_hours_get_their_own_look_and_no_timer() {
        let m = model(&widget(), WidgetMode::OffHours, DeviceType::Desktop, &[]);
        assert_eq!(m.button.color.hex(), "#222222");
        assert_eq!(m.timer_secs, None);
    }

    #[test]
    fn phones_get_the_mobile_adjustments() {
        let m = model(&widget(), WidgetMode::Working, DeviceType::Mobile, &[]);
        assert_eq!(m.layout, Layout::Mobile);
        assert_eq!(m.button.size, 48);
        assert_eq!(m.button.position, ButtonPosition::BottomLeft);
        let tablet = model(&widget(), WidgetMode::Working, DeviceType::Tablet, &[]);
        assert_eq!(tablet.button.size, 60);
    }

    #[test]
    fn departments_are_offered_in_order_with_their_own_slots() {
        let depts = [
            Department {
                id: 1,
                name: "Sales".into(),
                number: "+74951234567".into(),
                schedule: Schedule::default(),
                tags: vec![],
            },
            Department {
                id: 2,
                name: "Service".into(),
                number: "+74951234568".into(),
                schedule: Schedule {
                    zone: "Europe/Moscow".into(),
                    hours: WeekGrid::hours(&[Weekday::Thu], 10, 12),
                },
                tags: vec![],
            },
            Department {
                id: 3,
                name: "Night shift".into(),
                number: "+74951234569".into(),
                schedule: Schedule {
                    zone: "Europe/Moscow".into(),
                    hours: WeekGrid::hours(&[Weekday::Sun], 0, 5),
                },
                tags: vec![],
            },
        ];
        let mut w = widget();
        w.settings.departments.offered = vec![2, 1, 3];
        let m = model(&w, WidgetMode::Working, DeviceType::Desktop, &depts);
        let names: Vec<(&str, bool)> = m
            .departments
            .iter()
            .map(|d| (d.name.as_str(), d.open_now))
            .collect();
        // Night shift never meets the call center: not offered.
        assert_eq!(names, [("Service", false), ("Sales", true)]);
        assert_eq!(m.departments[0].slots[0].slots()[0].1, "10:00");
        // "The first is preselected": the first selectable now.
        assert_eq!(m.preselected_department, Some(1));
        w.settings.departments.must_choose = true;
        let m = model(&w, WidgetMode::Working, DeviceType::Desktop, &depts);
        assert_eq!(m.preselected_department, None);
        assert!(m.department_required);
    }
}
