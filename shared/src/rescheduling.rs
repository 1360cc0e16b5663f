//! Manual re-scheduling (SPEC §4): "from the journal for a failed chain: only if the widget is
//! active; today only until 15 min before the day's end; otherwise the next working days; not
//! while a chain is still running; each re-scheduling records user, when, and for when. Errors
//! name the reason: widget deleted, service off, no minutes left, chain still running, number no
//! longer configured."

use crate::schedule::Schedule;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// "today only until 15 min before the day's end".
pub const TODAY_CUTOFF_MINUTES: i64 = 15;

/// What the journal knows about the chain and its widget at the moment of re-scheduling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Situation {
    /// `None`: the widget was deleted.
    pub widget_active: Option<bool>,
    /// The account's callback service is on.
    pub service_on: bool,
    /// The account's minutes balance.
    pub minutes_left: i64,
    /// The chain still has attempts due or under way.
    pub chain_running: bool,
    /// The chain ended with every attempt failed (or its retries cancelled).
    pub chain_failed: bool,
    /// The number the chain called operators on is still one of the widget's (or its
    /// department's).
    pub number_configured: bool,
}

/// Why a chain cannot be re-scheduled for that time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RescheduleError {
    /// "widget deleted".
    WidgetDeleted,
    /// "only if the widget is active".
    WidgetInactive,
    /// "service off".
    ServiceOff,
    /// "no minutes left".
    NoMinutesLeft,
    /// "not while a chain is still running".
    ChainStillRunning,
    /// Only "a failed chain" can be re-scheduled.
    NotFailed,
    /// "number no longer configured".
    NumberNoLongerConfigured,
    /// The time is in the past.
    InThePast,
    /// The call center is closed at that time.
    OutsideWorkingHours,
    /// Today, but later than 15 minutes before the day's end.
    TooLateToday,
}

impl fmt::Display for RescheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RescheduleError::WidgetDeleted => "the widget the order came from was deleted",
            RescheduleError::WidgetInactive => "the widget is not active; activate it first",
            RescheduleError::ServiceOff => "the callback service is switched off",
            RescheduleError::NoMinutesLeft => "no minutes left: top up the balance",
            RescheduleError::ChainStillRunning => {
                "the chain is still running; re-schedule after its last attempt"
            }
            RescheduleError::NotFailed => "only a failed chain can be re-scheduled",
            RescheduleError::NumberNoLongerConfigured => {
                "the call center's number is no longer configured in the widget"
            }
            RescheduleError::InThePast => "that time has passed",
            RescheduleError::OutsideWorkingHours => "the call center is closed at that time",
            RescheduleError::TooLateToday => {
                "today's calls can be scheduled only until 15 minutes before the day's end"
            }
        })
    }
}

impl std::error::Error for RescheduleError {}

/// Checks a re-scheduling of a chain to `at`, made at `now`; the first reason that applies.
pub fn check(
    situation: &Situation,
    call_center: &Schedule,
    now: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<(), RescheduleError> {
    match situation.widget_active {
        None => return Err(RescheduleError::WidgetDeleted),
        Some(false) => return Err(RescheduleError::WidgetInactive),
        Some(true) => {}
    }
    if !situation.service_on {
        return Err(RescheduleError::ServiceOff);
    }
    if situation.minutes_left <= 0 {
        return Err(RescheduleError::NoMinutesLeft);
    }
    if situation.chain_running {
        return Err(RescheduleError::ChainStillRunning);
    }
    if !situation.chain_failed {
        return Err(RescheduleError::NotFailed);
    }
    if !situation.number_configured {
        return Err(RescheduleError::NumberNoLongerConfigured);
    }
    if at < now {
        return Err(RescheduleError::InThePast);
    }
    if !call_center.is_open(at) {
        return Err(RescheduleError::OutsideWorkingHours);
    }
    if call_center.local_date(at) == call_center.local_date(now) {
        let cutoff = call_center
            .day_end(now)
            .map(|end| end - Duration::minutes(TODAY_CUTOFF_MINUTES));
        if cutoff.is_none_or(|c| now > c || at > c) {
            return Err(RescheduleError::TooLateToday);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn ok_situation() -> Situation {
        Situation {
            widget_active: Some(true),
            service_on: true,
            minutes_left: 100,
            chain_running: false,
            chain_failed: true,
            number_configured: true,
        }
    }

    /// Moscow is UTC+3 all year: 2026-03-06 is a Friday.
    fn msk(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap() - Duration::hours(3)
    }

    #[test]
    fn each_refusal_names_its_reason() {
        let cc = Schedule::default();
        let now = msk(4, 12, 0);
        let at = msk(4, 15, 0);
        type Change = fn(&mut Situation);
        let cases: [(Change, RescheduleError); 6] = [
            (|s| s.widget_active = None, RescheduleError::WidgetDeleted),
            (
                |s| s.widget_active = Some(false),
                RescheduleError::WidgetInactive,
            ),
            (|s| s.service_on = false, RescheduleError::ServiceOff),
            (|s| s.minutes_left = 0, RescheduleError::NoMinutesLeft),
            (
                |s| s.chain_running = true,
                RescheduleError::ChainStillRunning,
            ),
            (
                |s| s.number_configured = false,
                RescheduleError::NumberNoLongerConfigured,
            ),
        ];
        for (change, want) in cases {
            let mut s = ok_situation();
            change(&mut s);
            assert_eq!(check(&s, &cc, now, at), Err(want));
        }
        let mut s = ok_situation();
        s.chain_failed = false;
        assert_eq!(check(&s, &cc, now, at), Err(RescheduleError::NotFailed));
        assert_eq!(check(&ok_situation(), &cc, now, at), Ok(()));
    }

    /// Seed 000: "Scheduling for today is possible only until 15 minutes before the end of the
    /// call center's working day"; after hours the next working days are offered; a Friday
    /// evening offers Monday.
    #[test]
    fn today_only_until_15_minutes_before_the_days_end() {
        let cc = Schedule::default(); // Mon–Fri 9–20
        let s = ok_situation();
        assert_eq!(check(&s, &cc, msk(4, 19, 40), msk(4, 19, 44)), Ok(()));
        assert_eq!(
            check(&s, &cc, msk(4, 19, 40), msk(4, 19, 50)),
            Err(RescheduleError::TooLateToday)
        );
        assert_eq!(
            check(&s, &cc, msk(4, 19, 46), msk(4, 19, 50)),
            Err(RescheduleError::TooLateToday)
        );
        assert_eq!(check(&s, &cc, msk(4, 19, 46), msk(5, 9, 0)), Ok(()));
        // Friday 19:00 → Saturday is not a working day, Monday is.
        assert_eq!(
            check(&s, &cc, msk(6, 19, 0), msk(7, 12, 0)),
            Err(RescheduleError::OutsideWorkingHours)
        );
        assert_eq!(check(&s, &cc, msk(6, 19, 0), msk(9, 9, 30)), Ok(()));
        assert_eq!(
            check(&s, &cc, msk(6, 12, 0), msk(6, 11, 0)),
            Err(RescheduleError::InThePast)
        );
    }

    #[test]
    fn every_reason_has_its_words() {
        let cases = [
            (
                RescheduleError::WidgetDeleted,
                "the widget the order came from was deleted",
            ),
            (
                RescheduleError::WidgetInactive,
                "the widget is not active; activate it first",
            ),
            (
                RescheduleError::ServiceOff,
                "the callback service is switched off",
            ),
            (
                RescheduleError::NoMinutesLeft,
                "no minutes left: top up the balance",
            ),
            (
                RescheduleError::ChainStillRunning,
                "the chain is still running; re-schedule after its last attempt",
            ),
            (
                RescheduleError::NotFailed,
                "only a failed chain can be re-scheduled",
            ),
            (
                RescheduleError::NumberNoLongerConfigured,
                "the call center's number is no longer configured in the widget",
            ),
            (RescheduleError::InThePast, "that time has passed"),
            (
                RescheduleError::OutsideWorkingHours,
                "the call center is closed at that time",
            ),
            (
                RescheduleError::TooLateToday,
                "today's calls can be scheduled only until 15 minutes before the day's end",
            ),
        ];
        for (e, want) in cases {
            assert_eq!(e.to_string(), want, "{e:?}");
        }
    }

    /// "today only until 15 min before the day's end": 19:45 itself is still allowed, and a
    /// call for right now is not in the past.
    #[test]
    fn the_boundaries_themselves_are_allowed() {
        let cc = Schedule::default(); // Mon–Fri 9–20
        let s = ok_situation();
        assert_eq!(check(&s, &cc, msk(4, 12, 0), msk(4, 12, 0)), Ok(()));
        assert_eq!(check(&s, &cc, msk(4, 19, 45), msk(4, 19, 45)), Ok(()));
        assert_eq!(check(&s, &cc, msk(4, 19, 0), msk(4, 19, 45)), Ok(()));
        assert_eq!(
            check(&s, &cc, msk(4, 19, 0), msk(4, 19, 46)),
            Err(RescheduleError::TooLateToday)
        );
    }
}
