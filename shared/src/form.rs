//! The main form (SPEC §2.2): what the visitor typed, checked before it is sent, and the words
//! the form and the after-order message (§2.5) show around times.
//!
//! The widget keeps the visitor's input in signals and asks [`check`] whether it can be sent;
//! the worker checks again, authoritatively (the widget carries no phone-metadata library).

use crate::api::{OrderWhen, RenderModel, SlotDay, SlotRun};
use crate::mask::{check_international, Input};
use crate::schedule::{weekday_short, WidgetMode};
use crate::texts::{Lang, TextKey};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};

/// What the visitor entered in the main form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormInput {
    /// The phone as typed (the mask's formatting included).
    pub phone: String,
    /// The name, when the form asks for it.
    pub name: String,
    /// The chosen department, when departments are on.
    pub department: Option<i64>,
    /// "call me now" or a picked slot.
    pub when: OrderWhen,
}

/// A checked form, ready to become an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedForm {
    /// The number in international form, e.g. `+79161234567`.
    pub phone: String,
    /// The name, if one was typed.
    pub name: Option<String>,
    /// The chosen department.
    pub department: Option<i64>,
    /// When to call.
    pub when: OrderWhen,
}

/// What keeps the form from being sent; each shows next to its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FormProblems {
    /// "a clear message for an invalid number": digits missing or extra.
    pub phone: bool,
    /// "ordering without a department highlights the selector" (SPEC §2.6).
    pub department: bool,
    /// A time must be picked: off-hours, or the chosen department is closed now.
    pub time: bool,
}

impl FormProblems {
    /// Nothing to fix.
    pub fn is_empty(&self) -> bool {
        *self == FormProblems::default()
    }
}

/// Whether "call me now" is possible: working hours, and the chosen department (if any) is open.
/// Off-hours "the visitor can only pick a time inside working hours" (SPEC §3).
pub fn now_possible(model: &RenderModel, department: Option<i64>) -> bool {
    model.mode == WidgetMode::Working
        && department.is_none_or(|id| model.departments.iter().any(|d| d.id == id && d.open_now))
}

/// The days and times the visitor can pick: the chosen department's, else the call center's.
pub fn slots_for(model: &RenderModel, department: Option<i64>) -> &[SlotDay] {
    department
        .and_then(|id| model.departments.iter().find(|d| d.id == id))
        .map(|d| d.slots.as_slice())
        .unwrap_or(&model.slots)
}

/// The phone as the mask shows it while typing.
pub fn format_phone(model: &RenderModel, typed: &str) -> String {
    match &model.phone_mask {
        Some(mask) => mask.format(typed),
        None => typed.to_string(),
    }
}

/// Checks the form against the render model.
pub fn check(model: &RenderModel, input: &FormInput) -> Result<CheckedForm, FormProblems> {
    let phone = match &model.phone_mask {
        Some(mask) => mask.check(&input.phone),
        None => check_international(&input.phone),
    };
    let mut problems = FormProblems::default();
    // What is sent is what the visitor sees in the field: the worker reads it by
    // libphonenumber's rules, extension and all ([`crate::phone`]); the mask only catches
    // missing or extra digits before sending.
    let phone = match phone {
        Input::Complete { .. } => Some(input.phone.trim().to_string()),
        Input::Incomplete | Input::TooLong => {
            problems.phone = true;
            None
        }
    };
    let department = input
        .department
        .filter(|id| model.departments.iter().any(|d| d.id == *id));
    if !model.departments.is_empty() && department.is_none() {
        problems.department = true;
    }
    match input.when {
        OrderWhen::Now if !now_possible(model, department) => problems.time = true,
        OrderWhen::At(at)
            if !slots_for(model, department)
                .iter()
                .any(|d| d.slots().iter().any(|(s, _)| *s == at)) =>
        {
            problems.time = true
        }
        _ => {}
    }
    match phone {
        Some(phone) if problems.is_empty() => Ok(CheckedForm {
            phone,
            name: Some(input.name.trim().to_string()).filter(|n| !n.is_empty()),
            department,
            when: input.when,
        }),
        _ => Err(problems),
    }
}

/// Words of the widget's controls that are not the marketer's texts: labels that screen
/// readers announce, in the widget's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    /// The floating button's label.
    RequestCallback,
    /// The close button of every popup.
    Close,
    /// The phone field's label.
    Phone,
    /// The day picker's label.
    Day,
    /// The time picker's label.
    Time,
    /// Back from the time picker to "call me now".
    Back,
    /// Shown while an order is on its way.
    Sending,
}

/// `word` in `lang`.
pub fn word(word: Word, lang: Lang) -> &'static str {
    use Word::*;
    match (word, lang) {
        (RequestCallback, Lang::Ru) => "Заказать обратный звонок",
        (RequestCallback, Lang::En) => "Request a callback",
        (Close, Lang::Ru) => "Закрыть",
        (Close, Lang::En) => "Close",
        (Phone, Lang::Ru) => "Телефон",
        (Phone, Lang::En) => "Phone",
        (Day, Lang::Ru) => "День",
        (Day, Lang::En) => "Day",
        (Time, Lang::Ru) => "Время",
        (Time, Lang::En) => "Time",
        (Back, Lang::Ru) => "Позвонить сейчас",
        (Back, Lang::En) => "Call me now instead",
        (Sending, Lang::Ru) => "Отправляем…",
        (Sending, Lang::En) => "Sending…",
    }
}

/// The label of a day in the time picker: "Today", "Tomorrow", or "Thu 26.11".
pub fn day_label(date: NaiveDate, today: NaiveDate, lang: Lang) -> String {
    let days = (date - today).num_days();
    match (days, lang) {
        (0, Lang::Ru) => "Сегодня".into(),
        (0, Lang::En) => "Today".into(),
        (1, Lang::Ru) => "Завтра".into(),
        (1, Lang::En) => "Tomorrow".into(),
        _ => format!(
            "{} {:02}.{:02}",
            weekday_short(date.weekday(), lang),
            date.day(),
            date.month()
        ),
    }
}

/// The time picker's days and times on the visitor's own clock: `days` (as *decide* labelled
/// them, in whatever zone it knew) regrouped by the visitor's dates and relabelled, where
/// `local` gives the visitor's wall-clock time of an instant (the browser knows it without a
/// time-zone database, and asking it is much cheaper than sending the zone's name). Runs are
/// split wherever the visitor's clock jumps (DST), as *decide* splits them.
pub fn on_visitor_clock(
    days: &[SlotDay],
    local: impl Fn(DateTime<Utc>) -> NaiveDateTime,
) -> Vec<SlotDay> {
    let mut out: Vec<SlotDay> = Vec::new();
    let mut prev: Option<(DateTime<Utc>, NaiveDateTime)> = None;
    for (at, _) in days.iter().flat_map(SlotDay::slots) {
        let here = local(at);
        let date = here.date();
        let continues = prev.is_some_and(|(p_at, p_here)| {
            let step = at - p_at;
            p_here.date() == date && here - p_here == step
        });
        if out.last().map(|d| d.date) != Some(date) {
            out.push(SlotDay {
                date,
                runs: Vec::new(),
            });
        }
        let day = out.last_mut().expect("pushed above");
        let step_minutes = prev.map(|(p_at, _)| (at - p_at).num_minutes()).unwrap_or(0);
        match day.runs.last_mut() {
            Some(run)
                if continues && (run.count == 1 || i64::from(run.step_minutes) == step_minutes) =>
            {
                run.step_minutes = u16::try_from(step_minutes).unwrap_or(u16::MAX);
                run.count += 1;
            }
            _ => day.runs.push(SlotRun {
                start: at,
                count: 1,
                step_minutes: 0,
                label: here.format("%H:%M").to_string(),
            }),
        }
        prev = Some((at, here));
    }
    out
}

/// The `{when}` of the after-order message for a call at `at`: "12:00 tomorrow" (SPEC §2.5),
/// on the visitor's clock as the slot labels are. `None` if `at` is not one of `slots`.
pub fn when_words(
    at: DateTime<Utc>,
    slots: &[SlotDay],
    today: NaiveDate,
    lang: Lang,
) -> Option<String> {
    let (date, label) = slots.iter().find_map(|d| {
        d.slots()
            .into_iter()
            .find(|(s, _)| *s == at)
            .map(|(_, label)| (d.date, label))
    })?;
    let day = day_label(date, today, lang).to_lowercase();
    let days = (date - today).num_days();
    Some(match (days, lang) {
        (0 | 1, _) => format!("{label} {day}"),
        (_, Lang::Ru) => format!("{label}, {day}"),
        (_, Lang::En) => format!("{label} on {}", day_label(date, today, lang)),
    })
}

/// The after-order message: [`TextKey::AfterOrderNow`], or [`TextKey::AfterOrderScheduled`] with
/// `{when}` filled in.
pub fn after_order_text(model: &RenderModel, when: OrderWhen, when_words: Option<&str>) -> String {
    let text = |k: TextKey| model.texts.get(&k).cloned().unwrap_or_default();
    match (when, when_words) {
        (OrderWhen::At(_), Some(words)) => {
            text(TextKey::AfterOrderScheduled).replace("{when}", words)
        }
        _ => text(TextKey::AfterOrderNow),
    }
}

/// The countdown timer's seconds left, `start_secs` after an order at `ordered_ms` (SPEC §2.3).
pub fn timer_left(start_secs: u16, ordered_ms: i64, now_ms: i64) -> u32 {
    let left = i64::from(start_secs) - (now_ms - ordered_ms).max(0) / 1000;
    left.max(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{DepartmentOption, SlotRun};
    use crate::autoshow::{Opens, Plan};
    use crate::button::ButtonLook;
    use crate::device::Layout;
    use crate::mask::PhoneMask;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, h, m, 0).unwrap()
    }

    fn day(d: u32, runs: Vec<SlotRun>) -> SlotDay {
        SlotDay {
            date: NaiveDate::from_ymd_opt(2026, 11, d).unwrap(),
            runs,
        }
    }

    fn run(start: DateTime<Utc>, label: &str) -> SlotRun {
        SlotRun {
            start,
            count: 4,
            step_minutes: 30,
            label: label.into(),
        }
    }

    fn model(mode: WidgetMode) -> RenderModel {
        RenderModel {
            widget_id: 1,
            mode,
            layout: Layout::Desktop,
            lang: Lang::En,
            button: ButtonLook::default(),
            button_style: ButtonLook::default().style(),
            button_label: "Request a callback".into(),
            form: Default::default(),
            texts: TextKey::ALL
                .iter()
                .map(|k| (*k, k.default_text(Lang::En).to_string()))
                .collect(),
            consent_link: None,
            timer_secs: Some(30),
            slots: vec![day(24, vec![run(at(9, 0), "12:00")])],
            departments: vec![],
            department_required: false,
            preselected_department: None,
            auto_show: Plan {
                after_secs: None,
                repeat: false,
                exit_intent: false,
                opens: Opens::Form,
            },
            promo: None,
            phone_mask: PhoneMask::for_country("RU"),
        }
    }

    fn input(phone: &str, when: OrderWhen) -> FormInput {
        FormInput {
            phone: phone.into(),
            name: "  ".into(),
            department: None,
            when,
        }
    }

    #[test]
    fn a_complete_number_is_sent_as_the_visitor_typed_it() {
        // The worker reads the number once, with the site's rules: what it reads is what the
        // visitor saw, extension and foreign code included (issue 11).
        let m = model(WidgetMode::Working);
        let ok = check(&m, &input(" +7 (916) 123-45-67 ", OrderWhen::Now)).unwrap();
        assert_eq!(ok.phone, "+7 (916) 123-45-67");
        assert_eq!(ok.name, None, "a blank name is no name");
    }

    #[test]
    fn missing_or_extra_digits_are_an_invalid_number() {
        let m = model(WidgetMode::Working);
        for typed in ["+7 916 123", "+7 916 123 45 67 8", ""] {
            let p = check(&m, &input(typed, OrderWhen::Now)).unwrap_err();
            assert!(p.phone, "{typed}");
        }
    }

    #[test]
    fn off_hours_only_a_picked_time_can_be_ordered() {
        let m = model(WidgetMode::OffHours);
        assert!(!now_possible(&m, None));
        let p = check(&m, &input("+79161234567", OrderWhen::Now)).unwrap_err();
        assert_eq!(
            p,
            FormProblems {
                time: true,
                ..Default::default()
            }
        );
        assert!(check(&m, &input("+79161234567", OrderWhen::At(at(9, 30)))).is_ok());
        // A time that is not one of the slots is refused.
        assert!(check(&m, &input("+79161234567", OrderWhen::At(at(9, 10)))).is_err());
    }

    #[test]
    fn a_required_department_must_be_chosen_and_its_own_times_count() {
        let mut m = model(WidgetMode::Working);
        m.departments = vec![
            DepartmentOption {
                id: 7,
                name: "Sales".into(),
                open_now: true,
                slots: m.slots.clone(),
            },
            DepartmentOption {
                id: 8,
                name: "Service".into(),
                open_now: false,
                slots: vec![day(25, vec![run(at(7, 0), "10:00")])],
            },
        ];
        m.department_required = true;
        let p = check(&m, &input("+79161234567", OrderWhen::Now)).unwrap_err();
        assert!(p.department && !p.phone);
        let mut i = input("+79161234567", OrderWhen::Now);
        i.department = Some(8);
        assert!(check(&m, &i).unwrap_err().time, "Service is closed now");
        assert_eq!(slots_for(&m, Some(8))[0].slots()[0].1, "10:00");
        i.department = Some(7);
        assert_eq!(check(&m, &i).unwrap().department, Some(7));
    }

    #[test]
    fn days_are_today_tomorrow_or_a_weekday_and_date() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let cases = [
            (24, Lang::En, "Today"),
            (25, Lang::En, "Tomorrow"),
            (26, Lang::En, "Thu 26.11"),
            (24, Lang::Ru, "Сегодня"),
            (25, Lang::Ru, "Завтра"),
            (30, Lang::Ru, "Пн 30.11"),
        ];
        for (d, lang, want) in cases {
            let date = NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
            assert_eq!(day_label(date, today, lang), want);
        }
    }

    #[test]
    fn the_after_order_message_says_when_on_the_visitors_clock() {
        // "We will call you at 12:00 tomorrow".
        let m = model(WidgetMode::OffHours);
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let words = when_words(at(9, 0), &m.slots, today, Lang::En).unwrap();
        assert_eq!(words, "12:00 tomorrow");
        assert_eq!(
            after_order_text(&m, OrderWhen::At(at(9, 0)), Some(&words)),
            "We will call you at 12:00 tomorrow"
        );
        assert_eq!(
            when_words(at(9, 30), &m.slots, today, Lang::Ru).as_deref(),
            Some("12:30 завтра")
        );
        let earlier = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert_eq!(
            when_words(at(10, 30), &m.slots, earlier, Lang::En).as_deref(),
            Some("13:30 on Tue 24.11")
        );
        assert_eq!(when_words(at(11, 0), &m.slots, today, Lang::En), None);
        assert_eq!(
            after_order_text(&m, OrderWhen::Now, None),
            "Thank you! We will call you shortly"
        );
    }

    #[test]
    fn the_visitors_clock_regroups_and_relabels_the_slots() {
        // Slots 12:00..13:30 Moscow (09:00..10:30 UTC) and 09:00 the next day.
        let days = vec![
            day(24, vec![run(at(9, 0), "12:00")]),
            SlotDay {
                date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
                runs: vec![SlotRun {
                    start: Utc.with_ymd_and_hms(2026, 11, 25, 6, 0, 0).unwrap(),
                    count: 1,
                    step_minutes: 30,
                    label: "09:00".into(),
                }],
            },
        ];
        // A visitor at UTC-10 (Honolulu): 23:00..00:30, across their midnight.
        let honolulu = |t: DateTime<Utc>| (t - chrono::Duration::hours(10)).naive_utc();
        let v = on_visitor_clock(&days, honolulu);
        let labels: Vec<(NaiveDate, Vec<String>)> = v
            .iter()
            .map(|d| (d.date, d.slots().into_iter().map(|s| s.1).collect()))
            .collect();
        let date = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        assert_eq!(
            labels,
            vec![
                (date(23), vec!["23:00".to_string(), "23:30".into()]),
                (
                    date(24),
                    vec!["00:00".to_string(), "00:30".into(), "20:00".into()]
                ),
            ]
        );
        // Every instant is kept.
        let all = |d: &[SlotDay]| -> Vec<DateTime<Utc>> {
            d.iter().flat_map(|x| x.slots()).map(|s| s.0).collect()
        };
        assert_eq!(all(&v), all(&days));
        // The zone decide used is the visitor's: nothing changes.
        let moscow = |t: DateTime<Utc>| (t + chrono::Duration::hours(3)).naive_utc();
        type Shown = Vec<(NaiveDate, Vec<(DateTime<Utc>, String)>)>;
        let shown = |d: &[SlotDay]| -> Shown { d.iter().map(|x| (x.date, x.slots())).collect() };
        assert_eq!(shown(&on_visitor_clock(&days, moscow)), shown(&days));
    }

    #[test]
    fn a_clock_change_splits_the_run() {
        // 01:00, 01:30 then the clock goes back an hour: 01:00 again, 01:30.
        let days = vec![day(24, vec![run(at(0, 0), "00:00")])];
        let dst = |t: DateTime<Utc>| {
            let back = t >= at(1, 0);
            (t + chrono::Duration::hours(if back { 0 } else { 1 })).naive_utc()
        };
        let v = on_visitor_clock(&days, dst);
        assert_eq!(v.len(), 1);
        let labels: Vec<String> = v[0].slots().into_iter().map(|s| s.1).collect();
        assert_eq!(labels, ["01:00", "01:30", "01:00", "01:30"]);
        assert_eq!(v[0].runs.len(), 2);
    }

    #[test]
    fn the_timer_counts_whole_seconds_down_to_zero() {
        assert_eq!(timer_left(30, 1_000, 1_000), 30);
        assert_eq!(timer_left(30, 1_000, 1_999), 30);
        assert_eq!(timer_left(30, 1_000, 2_000), 29);
        assert_eq!(timer_left(30, 1_000, 100_000), 0);
    }
}
