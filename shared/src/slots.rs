//! Time slots (SPEC §2.2, §3): the visitor picks "a time (day + time slot inside the
//! call-center schedule)"; off-hours "the visitor can only pick a time inside working hours
//! (nearest working day first)".
//!
//! Slots start every [`SlotOptions::step_minutes`] on the call center's clock, at least
//! [`SlotOptions::lead_minutes`] from now, inside every given schedule (the call center's and,
//! for a department, the department's). They are grouped by day *in the visitor's own zone*
//! and labelled with the visitor's clock, so the widget needs no time-zone database.

pub use crate::api::{SlotDay, SlotRun};
use crate::schedule::Schedule;
use chrono::Offset;
use chrono::{DateTime, Duration, Timelike, Utc};
use chrono_tz::Tz;

/// How slots are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotOptions {
    /// Minutes between slot starts.
    pub step_minutes: u32,
    /// No slot starts sooner than this from now.
    pub lead_minutes: i64,
    /// At most this many days are offered.
    pub max_days: usize,
    /// Days ahead searched.
    pub horizon_days: i64,
}

impl Default for SlotOptions {
    fn default() -> Self {
        SlotOptions {
            step_minutes: 30,
            lead_minutes: 15,
            max_days: 7,
            horizon_days: 14,
        }
    }
}

/// Whether `at` starts a slot on the call center's clock (`schedules[0]`).
fn on_step(call_center: &Schedule, at: DateTime<Utc>, step: u32) -> bool {
    let local = at.with_timezone(&call_center.tz());
    local.second() == 0 && (local.hour() * 60 + local.minute()).is_multiple_of(step)
}

/// The slots a visitor in `visitor` may pick at `now`, nearest first, grouped by the visitor's
/// date into runs.
pub fn slots(
    schedules: &[&Schedule],
    visitor: Tz,
    now: DateTime<Utc>,
    opts: SlotOptions,
) -> Vec<SlotDay> {
    let Some(call_center) = schedules.first() else {
        return Vec::new();
    };
    let step = Duration::minutes(i64::from(opts.step_minutes));
    let mut days: Vec<SlotDay> = Vec::new();
    let start = crate::schedule::ceil_quarter(now + Duration::minutes(opts.lead_minutes));
    let end = now + Duration::days(opts.horizon_days);
    let mut t = start;
    while t <= end {
        if on_step(call_center, t, opts.step_minutes) && schedules.iter().all(|s| s.is_open(t)) {
            let local = t.with_timezone(&visitor);
            let date = local.date_naive();
            if days.last().is_none_or(|d| d.date != date) {
                if days.len() == opts.max_days {
                    break;
                }
                days.push(SlotDay {
                    date,
                    runs: Vec::new(),
                });
            }
            let day = days.last_mut().expect("pushed");
            let offset = local.offset().fix();
            let extends = day.runs.last().is_some_and(|r| {
                let next = r.start + step * i32::from(r.count);
                next == t
                    && next.with_timezone(&visitor).offset().fix() == offset
                    && r.start.with_timezone(&visitor).offset().fix() == offset
            });
            if extends {
                day.runs.last_mut().expect("checked").count += 1;
            } else {
                day.runs.push(SlotRun {
                    start: t,
                    count: 1,
                    step_minutes: opts.step_minutes as u16,
                    label: local.format("%H:%M").to_string(),
                });
            }
        }
        t += Duration::minutes(15);
    }
    days
}

/// Whether `at` is a time a visitor could have picked at `now` (an order must not choose a
/// closed or past time). A slot offered a little earlier stays acceptable until it starts.
pub fn is_pickable(
    schedules: &[&Schedule],
    now: DateTime<Utc>,
    at: DateTime<Utc>,
    opts: SlotOptions,
) -> bool {
    let Some(call_center) = schedules.first() else {
        return false;
    };
    at >= now
        && at <= now + Duration::days(opts.horizon_days)
        && on_step(call_center, at, opts.step_minutes)
        && schedules.iter().all(|s| s.is_open(at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::WeekGrid;
    use chrono::{NaiveDate, TimeZone, Weekday};

    fn msk(y: i32, mo: u32, d: u32, h: u32, m: u32) -> DateTime<Utc> {
        chrono_tz::Europe::Moscow
            .with_ymd_and_hms(y, mo, d, h, m, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    /// Seed 000: the call center works 9:00–20:00; a visitor comes at 21:00 and orders a call
    /// "at 12 on the nearest working day": the nearest working day comes first and starts at
    /// 9:00.
    #[test]
    fn off_hours_visitor_at_21_gets_the_nearest_working_day_first() {
        let cc = Schedule::default();
        // Tuesday 2026-03-03 21:00 Moscow.
        let days = slots(
            &[&cc],
            chrono_tz::Europe::Moscow,
            msk(2026, 3, 3, 21, 0),
            SlotOptions::default(),
        );
        assert_eq!(days[0].date, NaiveDate::from_ymd_opt(2026, 3, 4).unwrap());
        let first = days[0].slots();
        assert_eq!(first[0].1, "09:00");
        assert_eq!(first.last().unwrap().1, "19:30");
        assert_eq!(first.len(), 22);
        assert!(first
            .iter()
            .any(|(at, l)| l == "12:00" && *at == msk(2026, 3, 4, 12, 0)));
        assert_eq!(days[0].runs.len(), 1, "one run per working day");
        // Wed, Thu, Fri, then Mon: weekends have no slots.
        let dates: Vec<String> = days
            .iter()
            .map(|d| d.date.format("%a").to_string())
            .collect();
        assert_eq!(dates, ["Wed", "Thu", "Fri", "Mon", "Tue", "Wed", "Thu"]);
    }

    #[test]
    fn today_starts_after_the_lead_time() {
        let cc = Schedule::default();
        let days = slots(
            &[&cc],
            chrono_tz::Europe::Moscow,
            msk(2026, 3, 3, 12, 10),
            SlotOptions::default(),
        );
        assert_eq!(days[0].date, NaiveDate::from_ymd_opt(2026, 3, 3).unwrap());
        assert_eq!(days[0].slots()[0].1, "12:30");
    }

    #[test]
    fn labels_and_days_are_on_the_visitors_clock() {
        let cc = Schedule::default();
        // A visitor in Vladivostok (UTC+10, Moscow+7) on Tuesday 21:00 Moscow = Wednesday 04:00
        // local: the first slot, Wednesday 9:00 Moscow, is 16:00 for them.
        let days = slots(
            &[&cc],
            chrono_tz::Asia::Vladivostok,
            msk(2026, 3, 3, 21, 0),
            SlotOptions::default(),
        );
        assert_eq!(days[0].date, NaiveDate::from_ymd_opt(2026, 3, 4).unwrap());
        let first = days[0].slots();
        assert_eq!(first[0].1, "16:00");
        assert_eq!(first[0].0, msk(2026, 3, 4, 9, 0));
        // Moscow 17:00–19:30 is past midnight in Vladivostok: the next day there.
        assert_eq!(first.last().unwrap().1, "23:30");
        assert_eq!(days[1].slots()[0].1, "00:00");
    }

    #[test]
    fn a_department_narrows_the_slots_to_both_schedules() {
        let cc = Schedule::default();
        let dept = Schedule {
            zone: "Europe/Moscow".into(),
            hours: WeekGrid::hours(&[Weekday::Wed], 14, 16),
        };
        let days = slots(
            &[&cc, &dept],
            chrono_tz::Europe::Moscow,
            msk(2026, 3, 3, 21, 0),
            SlotOptions::default(),
        );
        let slots = days[0].slots();
        let labels: Vec<&str> = slots.iter().map(|s| s.1.as_str()).collect();
        assert_eq!(labels, ["14:00", "14:30", "15:00", "15:30"]);
        assert_eq!(days.len(), 2, "Wednesday this week and next");
    }

    #[test]
    fn only_offered_times_are_pickable() {
        let cc = Schedule::default();
        let now = msk(2026, 3, 3, 21, 0);
        let o = SlotOptions::default();
        assert!(is_pickable(&[&cc], now, msk(2026, 3, 4, 12, 0), o));
        assert!(
            !is_pickable(&[&cc], now, msk(2026, 3, 4, 12, 10), o),
            "not on a step"
        );
        assert!(
            !is_pickable(&[&cc], now, msk(2026, 3, 4, 20, 0), o),
            "closed"
        );
        assert!(!is_pickable(&[&cc], now, msk(2026, 3, 3, 12, 0), o), "past");
        assert!(
            !is_pickable(&[&cc], now, msk(2026, 3, 30, 12, 0), o),
            "beyond the horizon"
        );
    }

    /// Slots start on multiples of the step counted from midnight on the call center's
    /// clock: with a 2-hour step, 10:00, 12:00, … (9:00 is not a multiple of 120 min).
    #[test]
    fn steps_count_from_midnight_on_the_call_centers_clock() {
        let cc = Schedule::default();
        let opts = SlotOptions {
            step_minutes: 120,
            ..SlotOptions::default()
        };
        let now = msk(2026, 3, 3, 21, 0);
        let days = slots(&[&cc], chrono_tz::Europe::Moscow, now, opts);
        let labels: Vec<String> = days[0].slots().into_iter().map(|s| s.1).collect();
        assert_eq!(labels, ["10:00", "12:00", "14:00", "16:00", "18:00"]);
        assert!(is_pickable(&[&cc], now, msk(2026, 3, 4, 12, 0), opts));
        assert!(!is_pickable(&[&cc], now, msk(2026, 3, 4, 11, 0), opts));
    }
}
