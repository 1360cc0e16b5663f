//! Schedules (SPEC §3): "Call-center schedule: a 7×24 grid of working hours in a chosen IANA time
//! zone (default Europe/Moscow, UTC+3), default Mon–Fri 09:00–20:00; per-hour cells, whole-day
//! and whole-hour toggles." The widget's display schedule is a second grid of the same kind.
//!
//! A cell is one wall-clock hour in the schedule's own zone, so a schedule follows its zone's
//! daylight-saving changes: "09:00–20:00" stays 09:00–20:00 on the clock in summer and winter. On
//! the day a zone skips an hour that hour simply does not happen; on the day it repeats one, the
//! hour's cell applies to both.
//!
//! Everything that needs the time-zone database is behind the `server` feature.

use crate::texts::Lang;
use crate::validation::Problems;
use chrono::Weekday;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The seven days in the order the grids and the cabinet show them.
pub const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// The default call-center zone: "default Europe/Moscow, UTC+3".
pub const DEFAULT_ZONE: &str = "Europe/Moscow";

/// A 7×24 grid of hours: a cell is on when that wall-clock hour of that weekday is included.
///
/// Stored as seven strings of 24 `0`/`1` characters, Monday first, hour 00 first, e.g. the
/// default Mon–Fri 09:00–20:00 row is `"000000000111111111110000"`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(try_from = "Vec<String>", into = "Vec<String>")]
pub struct WeekGrid {
    /// Bit `h` of `days[d]`: hour `h` of day `d` (0 = Monday).
    days: [u32; 7],
}

const ALL_HOURS: u32 = (1 << 24) - 1;

impl WeekGrid {
    /// No hour at all.
    pub const EMPTY: WeekGrid = WeekGrid { days: [0; 7] };

    /// Every hour of every day.
    pub const fn full() -> Self {
        WeekGrid {
            days: [ALL_HOURS; 7],
        }
    }

    /// Hours `from..to` (wall clock, `to` exclusive) on each of `days`.
    pub fn hours(days: &[Weekday], from: u8, to: u8) -> Self {
        let mut grid = WeekGrid::EMPTY;
        for &day in days {
            for hour in from..to.min(24) {
                grid.set(day, hour, true);
            }
        }
        grid
    }

    /// "default Mon–Fri 09:00–20:00".
    pub fn default_working_hours() -> Self {
        WeekGrid::hours(&WEEK[..5], 9, 20)
    }

    /// Whether hour `hour` (0–23) of `day` is on.
    pub fn get(&self, day: Weekday, hour: u32) -> bool {
        hour < 24 && self.days[day.num_days_from_monday() as usize] & (1 << hour) != 0
    }

    /// Turns one cell on or off ("per-hour cells").
    pub fn set(&mut self, day: Weekday, hour: u8, on: bool) {
        if hour >= 24 {
            return;
        }
        let d = &mut self.days[day.num_days_from_monday() as usize];
        if on {
            *d |= 1 << hour;
        } else {
            *d &= !(1 << hour);
        }
    }

    /// Turns a whole day on or off ("whole-day toggle").
    pub fn set_day(&mut self, day: Weekday, on: bool) {
        self.days[day.num_days_from_monday() as usize] = if on { ALL_HOURS } else { 0 };
    }

    /// Turns one hour on or off on every day ("whole-hour toggle").
    pub fn set_hour(&mut self, hour: u8, on: bool) {
        for day in WEEK {
            self.set(day, hour, on);
        }
    }

    /// Cells on in both grids.
    pub fn intersect(&self, other: &WeekGrid) -> WeekGrid {
        let mut days = self.days;
        for (d, o) in days.iter_mut().zip(other.days) {
            *d &= o;
        }
        WeekGrid { days }
    }

    /// The cells that are off in this grid: where a schedule is closed.
    pub fn complement(&self) -> WeekGrid {
        let mut days = self.days;
        for d in &mut days {
            *d = !*d & ALL_HOURS;
        }
        WeekGrid { days }
    }

    /// The runs of consecutive hours of `day` that are on, as `(start, end)` with `end`
    /// exclusive (24 for a run up to midnight), earliest first.
    pub fn runs_of(&self, day: Weekday) -> impl Iterator<Item = (u32, u32)> {
        let mut bits = self.days[day.num_days_from_monday() as usize];
        std::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let start = bits.trailing_zeros();
            let end = start + (bits >> start).trailing_ones();
            // Every bit below `start` is already off.
            bits &= !((1u32 << end) - 1);
            Some((start, end))
        })
    }

    /// No cell is on.
    pub fn is_empty(&self) -> bool {
        self.days.iter().all(|d| *d == 0)
    }

    /// The hours of `day` that are on, ascending.
    pub fn hours_of(&self, day: Weekday) -> impl Iterator<Item = u8> + '_ {
        let bits = self.days[day.num_days_from_monday() as usize];
        (0..24u8).filter(move |h| bits & (1 << h) != 0)
    }

    /// Number of cells on.
    pub fn count(&self) -> u32 {
        self.days.iter().map(|d| d.count_ones()).sum()
    }

    /// A short description in words, days with equal hours grouped:
    /// `Mon–Fri 9–20, Sat 10–14`; `never` for an empty grid; `round the clock` for a full one.
    pub fn describe(&self) -> String {
        self.describe_in(Lang::En)
    }

    /// [`WeekGrid::describe`] in `lang`: `Пн–Пт 9–20, Сб 10–14`, `никогда`, `круглосуточно`.
    pub fn describe_in(&self, lang: Lang) -> String {
        if self.is_empty() {
            return lang.pick("never", "никогда").into();
        }
        if *self == WeekGrid::full() {
            return lang.pick("round the clock", "круглосуточно").into();
        }
        let day_name = |day| weekday_short(day, lang);
        let mut parts = Vec::new();
        let mut i = 0;
        while i < 7 {
            let bits = self.days[i];
            let mut j = i;
            while j + 1 < 7 && self.days[j + 1] == bits {
                j += 1;
            }
            if bits != 0 {
                let days = if i == j {
                    day_name(WEEK[i]).to_string()
                } else {
                    format!("{}–{}", day_name(WEEK[i]), day_name(WEEK[j]))
                };
                parts.push(format!("{days} {}", hour_ranges(bits)));
            }
            i = j + 1;
        }
        parts.join(", ")
    }
}

/// The short name of `day` in `lang` (`Mon`, `Пн`), for descriptions, the time picker and the
/// cabinet's week grid.
pub fn weekday_short(day: Weekday, lang: Lang) -> &'static str {
    let i = day.num_days_from_monday() as usize;
    match lang {
        Lang::Ru => ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"][i],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
    }
}

/// `9–13, 14–20` for the bits of one day (end hours exclusive, as people say "9 to 20").
fn hour_ranges(bits: u32) -> String {
    let mut out = Vec::new();
    let mut h = 0;
    while h < 24 {
        if bits & (1 << h) != 0 {
            let start = h;
            while h < 24 && bits & (1 << h) != 0 {
                h += 1;
            }
            out.push(format!("{start}–{h}"));
        } else {
            h += 1;
        }
    }
    out.join(", ")
}

impl fmt::Debug for WeekGrid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WeekGrid({})", self.describe())
    }
}

impl TryFrom<Vec<String>> for WeekGrid {
    type Error = String;

    fn try_from(rows: Vec<String>) -> Result<Self, Self::Error> {
        if rows.len() != 7 {
            return Err(format!(
                "a week grid has 7 rows (Monday to Sunday), not {}",
                rows.len()
            ));
        }
        let mut grid = WeekGrid::EMPTY;
        for (d, row) in rows.iter().enumerate() {
            if row.len() != 24 || !row.bytes().all(|b| b == b'0' || b == b'1') {
                return Err(format!(
                    "row {} of a week grid must be 24 characters of 0 and 1",
                    d + 1
                ));
            }
            for (h, b) in row.bytes().enumerate() {
                if b == b'1' {
                    grid.days[d] |= 1 << h;
                }
            }
        }
        Ok(grid)
    }
}

impl From<WeekGrid> for Vec<String> {
    fn from(grid: WeekGrid) -> Self {
        grid.days
            .iter()
            .map(|bits| {
                (0..24)
                    .map(|h| if bits & (1 << h) != 0 { '1' } else { '0' })
                    .collect()
            })
            .collect()
    }
}

/// A grid of hours in a time zone: the call-center schedule, a widget's display schedule, or a
/// department's schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Schedule {
    /// IANA zone name, e.g. `Europe/Moscow`.
    pub zone: String,
    /// The hours included, on the zone's wall clock.
    pub hours: WeekGrid,
}

impl Default for Schedule {
    /// The default call-center schedule: Mon–Fri 09:00–20:00, Europe/Moscow.
    fn default() -> Self {
        Schedule {
            zone: DEFAULT_ZONE.into(),
            hours: WeekGrid::default_working_hours(),
        }
    }
}

impl Schedule {
    /// Records a problem if the zone is not an IANA zone the server knows, and, when
    /// `empty_problem` is given, that message if the grid has no hour at all (what "never"
    /// means is the caller's to say).
    pub fn validate(&self, path: &str, problems: &mut Problems, empty_problem: Option<&str>) {
        #[cfg(feature = "server")]
        if self.zone.parse::<chrono_tz::Tz>().is_err() {
            problems.add(
                format!("{path}.zone"),
                format!(
                    "`{}` is not an IANA time zone such as Europe/Moscow",
                    self.zone
                ),
            );
        }
        #[cfg(not(feature = "server"))]
        if self.zone.trim().is_empty() {
            problems.add(format!("{path}.zone"), "a time zone is required");
        }
        if let (true, Some(message)) = (self.hours.is_empty(), empty_problem) {
            problems.add(format!("{path}.hours"), message);
        }
    }
}

/// What a widget shows at an instant: "Cells outside working hours but inside the display
/// schedule show the off-hours variant" (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum WidgetMode {
    /// Display schedule on, call center open: the working-hours variant.
    Working,
    /// Display schedule on, call center closed: the off-hours variant, where the visitor can only
    /// pick a time inside working hours.
    OffHours,
    /// Display schedule off: the widget does not show.
    Hidden,
}

/// Deferred-call offsets, one per weekday, in minutes: "off-hours orders without a chosen time
/// are called at opening time + offset (e.g. opens 09:00, offset 45 min → 09:45); the offset of a
/// non-working day is ignored" (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DeferredOffsets(pub [u16; 7]);

impl DeferredOffsets {
    /// Longest offset, in minutes.
    pub const MAX_MINUTES: u16 = 240;

    /// The same offset on every day.
    pub fn every_day(minutes: u16) -> Self {
        DeferredOffsets([minutes; 7])
    }

    /// The offset for `day`.
    pub fn on(&self, day: Weekday) -> u16 {
        self.0[day.num_days_from_monday() as usize]
    }

    /// Each offset within 0..=[`Self::MAX_MINUTES`].
    pub fn validate(&self, path: &str, problems: &mut Problems) {
        for (i, m) in self.0.iter().enumerate() {
            problems.check_range(format!("{path}[{i}]"), *m, 0, Self::MAX_MINUTES, " min");
        }
    }
}

#[cfg(feature = "server")]
pub use zoned::*;

#[cfg(feature = "server")]
mod zoned {
    use super::*;
    use chrono::{
        DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
        TimeZone, Timelike, Utc,
    };
    use chrono_tz::{GapInfo, Tz};
    use std::ops::ControlFlow;

    /// Every modern zone's offset is a whole number of quarter hours, so every local hour
    /// boundary is a UTC quarter-hour boundary: stepping by quarters never misses one.
    pub(crate) const QUARTER: i64 = 15 * 60;

    // What the searches below rely on: facts of the tz database over its whole history, read
    // off the tables of chrono-tz 0.10 (tzdata 2025b). The property tests in
    // `tests/properties.rs` check the searches against a brute-force reference in every zone
    // whose clock changes between 2000 and 2037.
    //
    // - ONE CHANGE A WEEK: a zone's clock changes at most once in 6 days (the closest two
    //   changes are 6 days 23 hours apart: Brazil's zones in October 2000).
    // - A DAY AT MOST: one change moves the clock by at most 24 hours, forward (Kwajalein in
    //   1993, Pacific/Apia on 2011-12-30) or back (Alaska's zones in 1867); and a later instant
    //   is never more than 24 hours behind an earlier one on the wall clock.
    // - FEW JUMPS: no zone jumps forward more than 3 times in 373 days (Africa/Casablanca in
    //   2012–13: summer time and the ends of its Ramadan breaks).

    /// How many local dates [`Schedule::next_open`] walks at most: 53 weeks and 2 days, a safety
    /// net that a non-empty grid never reaches. Such a grid has an on cell, weekday `w` hour
    /// `h`, and the walk meets 53 dates that are a `w`. Hour `h` is missing on one of them only
    /// where the clock jumps forward over it; a jump is at most a day long, so it removes the
    /// hour from one date only, and there are at most 3 jumps in that time (FEW JUMPS): at
    /// least 50 of the 53 dates have the hour.
    const SEARCH_DATES: u32 = 373;

    /// How far ahead [`next_open_all`] looks for an instant when every schedule is open; see
    /// there for why this is where the intersection is called empty.
    pub const ALL_OPEN_DAYS: i64 = 400;

    const WEEK_SECONDS: i64 = 7 * 86_400;

    /// The first quarter-hour boundary strictly after `t`.
    pub(crate) fn next_quarter(t: DateTime<Utc>) -> DateTime<Utc> {
        let s = t.timestamp();
        let next = (s.div_euclid(QUARTER) + 1) * QUARTER;
        Utc.timestamp_opt(next, 0).single().expect("in range")
    }

    /// The first quarter-hour boundary at or after `t`.
    pub(crate) fn ceil_quarter(t: DateTime<Utc>) -> DateTime<Utc> {
        if t.timestamp().rem_euclid(QUARTER) == 0 && t.timestamp_subsec_nanos() == 0 {
            t
        } else {
            next_quarter(t)
        }
    }

    impl Schedule {
        /// The zone, or Moscow when the stored name is not a zone (validation prevents that;
        /// a wrong zone must never stop calls).
        pub fn tz(&self) -> Tz {
            self.zone.parse().unwrap_or(chrono_tz::Europe::Moscow)
        }

        /// "Is the call center open at an instant": the cell of the local weekday and hour.
        pub fn is_open(&self, at: DateTime<Utc>) -> bool {
            let local = at.with_timezone(&self.tz());
            self.hours.get(local.weekday(), local.hour())
        }

        /// The first instant at or after `from` at which the schedule is open: `from` itself
        /// if it is open then, `None` only for an empty grid ("never"). SPEC §3: "off-hours
        /// orders without a chosen time are called at opening time + offset"; §4: "A retry due
        /// after the working day ends moves to the next working morning". There is always such
        /// a time unless the grid has no hour at all, however far off it is: a grid whose only
        /// hour this year's spring-forward skips opens two weeks after the week before, and a
        /// Friday-only grid in Pacific/Apia opens on 2012-01-06 from 2011-12-24, as that zone
        /// skipped Friday 2011-12-30.
        ///
        /// Hour by hour, not quarter by quarter: the search walks the runs of on hours in
        /// wall-clock order and converts only their starts and ends, so it costs a few
        /// time-zone conversions, however many closed days lie before the opening.
        pub fn next_open(&self, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
            first_open(self.tz(), &self.hours, from)
        }

        /// When the open stretch containing `at` ends: the first instant after `at` at which
        /// the schedule is closed. `None` if it is closed at `at`, or if it never closes (a
        /// round-the-clock grid). Like [`Schedule::next_open`] it searches as far as needed:
        /// a grid closed only in an hour that this week's clock change skips closes a week
        /// later, when that hour comes back.
        pub fn closes_after(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
            if !self.is_open(at) {
                return None;
            }
            // The schedule is closed exactly where the complementary grid is open, and `at` is
            // closed in that grid, so its first opening is after `at`.
            first_open(self.tz(), &self.hours.complement(), at)
        }

        /// The local calendar date of `at` in this schedule's zone.
        pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
            at.with_timezone(&self.tz()).date_naive()
        }

        /// The open stretches of the local date `date`, as instants `[from, to)`.
        pub fn open_periods_on(&self, date: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
            let tz = self.tz();
            // Local midnight may not exist (a zone that moves its clocks at 00:00): start from
            // the earliest instant whose local date is `date`, scanning from 14 h before UTC
            // midnight (the largest offset) in quarter steps.
            let utc_midnight = Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).expect("valid"));
            let mut t = utc_midnight - Duration::hours(15);
            let stop = utc_midnight + Duration::hours(39);
            let mut periods = Vec::new();
            let mut open_since: Option<DateTime<Utc>> = None;
            while t <= stop {
                let local = t.with_timezone(&tz);
                let on_date = local.date_naive() == date;
                let open = on_date && self.hours.get(local.weekday(), local.hour());
                match (open, open_since) {
                    (true, None) => open_since = Some(t),
                    (false, Some(since)) => {
                        periods.push((since, t));
                        open_since = None;
                    }
                    _ => {}
                }
                if local.date_naive() > date && open_since.is_none() {
                    break;
                }
                t += Duration::seconds(QUARTER);
            }
            periods
        }

        /// "The day's end": when the last open stretch of the local date of `at` closes, or
        /// `None` on a non-working day.
        pub fn day_end(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
            self.open_periods_on(self.local_date(at))
                .last()
                .map(|(_, to)| *to)
        }

        /// Where the instant falls for a widget: working, off-hours, or hidden (SPEC §3,
        /// "Widget display schedule").
        pub fn widget_mode(
            call_center: &Schedule,
            display: &Schedule,
            at: DateTime<Utc>,
        ) -> WidgetMode {
            match (display.is_open(at), call_center.is_open(at)) {
                (false, _) => WidgetMode::Hidden,
                (true, true) => WidgetMode::Working,
                (true, false) => WidgetMode::OffHours,
            }
        }
    }

    /// When an off-hours order without a chosen time is called: the next opening of the call
    /// center, plus the offset of that day when the opening is the day's first ("opens 09:00,
    /// offset 45 min → 09:45"). An offset that would fall outside working hours (a short day)
    /// is dropped rather than pushing the call to another day.
    pub fn deferred_call_at(
        call_center: &Schedule,
        offsets: &DeferredOffsets,
        placed: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let opening = call_center.next_open(placed)?;
        let periods = call_center.open_periods_on(call_center.local_date(opening));
        let first_of_day = periods.first().map(|(from, _)| *from) == Some(opening);
        if !first_of_day || opening == placed {
            return Some(opening);
        }
        let day = opening.with_timezone(&call_center.tz()).weekday();
        let with_offset = opening + Duration::minutes(i64::from(offsets.on(day)));
        Some(if call_center.is_open(with_offset) {
            with_offset
        } else {
            opening
        })
    }

    /// The first instant at or after `from` when every schedule is open at once. A department
    /// "is offered only while its own schedule intersects the call-center schedule" (SPEC
    /// §2.6): both must be open. An empty list is open at `from`.
    ///
    /// `None` means the intersection is empty: some grid is empty, the grids are in one zone
    /// and share no cell, or the schedules do not meet within [`ALL_OPEN_DAYS`] (400 days).
    /// The zones' rules repeat every year and the weekly grids every week, so schedules in
    /// different zones that meet at all under this year's rules meet within a year and a week
    /// (for instance only in the weeks when one zone has moved its clocks and the other not
    /// yet); 400 days leave slack for the dates of clock changes moving a few days from year to
    /// year. Schedules that would first meet only after a change of the rules more than 400
    /// days ahead count as not meeting until that change comes within reach.
    ///
    /// Schedules in one zone are open together exactly where their grids' common cells are, so
    /// that is one search. Otherwise each schedule in turn moves the candidate instant to its
    /// own next opening until none moves it: the candidate never passes the first common
    /// instant, since every schedule is open there. The usual cases (all open at `from`, or
    /// meeting within a day) take one or two rounds. Schedules that never meet would take a
    /// round per opening for 400 days, so a week through which no zone changes its clock and
    /// nothing was common is not walked again: the same week repeats until a clock changes, and
    /// the walk jumps to that change.
    pub fn next_open_all(schedules: &[&Schedule], from: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let zones: Vec<Tz> = schedules.iter().map(|s| s.tz()).collect();
        let open_at = |t: DateTime<Utc>| {
            schedules.iter().zip(&zones).all(|(s, tz)| {
                let local = t.with_timezone(tz);
                s.hours.get(local.weekday(), local.hour())
            })
        };
        if open_at(from) {
            return Some(from);
        }
        if zones.iter().all(|z| *z == zones[0]) {
            let common = schedules
                .iter()
                .fold(WeekGrid::full(), |grid, s| grid.intersect(&s.hours));
            return first_open(zones[0], &common, from);
        }
        let limit = from.timestamp() + ALL_OPEN_DAYS * 86_400;
        let mut t = from;
        // Nothing is common in `[since, t)`; `since` is a whole second, as every change of the
        // clocks is.
        let mut since = from.timestamp() + i64::from(from.timestamp_subsec_nanos() > 0);
        loop {
            let mut moved = false;
            for (s, tz) in schedules.iter().zip(&zones) {
                let next = first_open(*tz, &s.hours, t)?;
                if next > t {
                    t = next;
                    moved = true;
                }
            }
            if !moved {
                return Some(t);
            }
            if t.timestamp() > limit {
                return None;
            }
            if t.timestamp() >= since + WEEK_SECONDS {
                since = match first_change(&zones, since, since + WEEK_SECONDS) {
                    // The clocks changed within the week: the pattern is new from there on.
                    Some(change) => change,
                    // They did not: that week repeats until they do, so nothing is common
                    // before the change.
                    None => {
                        let change = first_change(&zones, since + WEEK_SECONDS, limit)?;
                        if change > t.timestamp() {
                            t = Utc.timestamp_opt(change, 0).single()?;
                        }
                        change
                    }
                };
            }
        }
    }

    /// The first second in `(after, until]` at which one of `zones` shows another UTC offset
    /// than at `after`. Sampled every 3 days: by ONE CHANGE A WEEK a step holds at most one
    /// change of each zone and shows it as a difference at its end, and halving the step finds
    /// the second.
    fn first_change(zones: &[Tz], after: i64, until: i64) -> Option<i64> {
        const STEP: i64 = 3 * 86_400;
        let offsets_at = |s: i64| {
            let t = Utc.timestamp_opt(s, 0).single();
            zones
                .iter()
                .map(move |tz| t.map(|t| tz.offset_from_utc_datetime(&t.naive_utc()).fix()))
        };
        let at_start: Vec<_> = offsets_at(after).collect();
        let differs = |s: i64| offsets_at(s).ne(at_start.iter().copied());
        let mut lo = after;
        while lo < until {
            let mut hi = (lo + STEP).min(until);
            if differs(hi) {
                while hi - lo > 1 {
                    let mid = lo + (hi - lo) / 2;
                    if differs(mid) {
                        hi = mid;
                    } else {
                        lo = mid;
                    }
                }
                return Some(hi);
            }
            lo = hi;
        }
        None
    }

    /// The first instant at or after `from` whose wall-clock cell in `tz` is on in `hours`, or
    /// `None` for an empty grid (see [`SEARCH_DATES`] for why the walk always ends earlier).
    ///
    /// Unless `from` itself is open, the answer is an instant where the clock enters a run of
    /// on hours, so it is the earliest of those entries at or after `from` ([`run_entries`]
    /// lists them). The runs are walked in wall-clock order from the one that contains the
    /// wall-clock time of `from`, and the walk stops at a run whose start happens once and
    /// after the best entry so far. Both ends are safe by ONE CHANGE A WEEK: if a wall-clock
    /// time happens only once, no instant after it shows an earlier time and none before it a
    /// later one, since that takes the clock going back over it and then a second change
    /// within a day to keep it from happening twice. When `from`'s own time happens twice,
    /// the walk starts a day earlier (A DAY AT MOST).
    fn first_open(tz: Tz, hours: &WeekGrid, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if hours.is_empty() {
            return None;
        }
        let local = from.with_timezone(&tz);
        if hours.get(local.weekday(), local.hour()) {
            return Some(from);
        }
        let now = local.naive_local();
        // No instant from `from` on shows a wall-clock time before `floor`.
        let floor = match tz.from_local_datetime(&now) {
            LocalResult::Single(_) => now,
            _ => now - Duration::days(1),
        };
        let mut best: Option<DateTime<Utc>> = None;
        let mut date = floor.date();
        for _ in 0..SEARCH_DATES {
            let midnight = date.and_time(NaiveTime::MIN);
            for (start, end) in hours.runs_of(date.weekday()) {
                let run = (
                    midnight + Duration::hours(i64::from(start)),
                    midnight + Duration::hours(i64::from(end)),
                );
                if run.1 <= floor {
                    continue;
                }
                if run_entries(tz, run, from, &mut best).is_break() {
                    return best;
                }
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        best
    }

    /// Lowers `best` to the earliest instant at or after `from` at which the wall clock of `tz`
    /// enters the run of on hours `run` (its start and end, local) from outside it, if that is
    /// earlier. The clock enters a run:
    /// - at its start, once, or twice when the clock goes back over it;
    /// - where a gap ends, when its start is skipped by a jump forward that lands inside the
    ///   run (Australia/Lord_Howe jumps from 02:00 to 02:30; a date a zone skips entirely has
    ///   no entry);
    /// - where the clock goes back into the run from after its end (Pacific/Chatham goes back
    ///   from 03:45 to 02:45), the only way to enter a run in its middle, which makes its end
    ///   happen twice.
    ///
    /// By ONE CHANGE A WEEK no other change is near. Breaks when the run starts once, after
    /// `best`: then nothing from here on is earlier (see [`first_open`]).
    fn run_entries(
        tz: Tz,
        (start, end): (NaiveDateTime, NaiveDateTime),
        from: DateTime<Utc>,
        best: &mut Option<DateTime<Utc>>,
    ) -> ControlFlow<()> {
        let at_start = tz.from_local_datetime(&start);
        if let (LocalResult::Single(t), Some(b)) = (&at_start, *best) {
            if *t >= b {
                return ControlFlow::Break(());
            }
        }
        let mut found = |t: DateTime<Utc>| {
            if t >= from && best.is_none_or(|b| t < b) {
                *best = Some(t);
            }
        };
        match at_start {
            LocalResult::Single(t) => found(t.with_timezone(&Utc)),
            LocalResult::Ambiguous(first, second) => {
                found(first.with_timezone(&Utc));
                found(second.with_timezone(&Utc));
            }
            LocalResult::None => {
                let gap_end = GapInfo::new(&start, &tz).and_then(|gap| gap.end);
                if let Some(t) = gap_end.filter(|t| t.naive_local() < end) {
                    found(t.with_timezone(&Utc));
                }
            }
        }
        if let LocalResult::Ambiguous(before, after) = tz.from_local_datetime(&end) {
            let after = after.with_timezone(&Utc);
            let back = fall_back_instant(tz, before.with_timezone(&Utc), after);
            // Back to inside the run, or to before its start, from where it starts again.
            let again = back.max(after - (end - start));
            if again < after {
                found(again);
            }
        }
        ControlFlow::Continue(())
    }

    /// The instant at which the clock goes back between `before` and `after`, the two instants
    /// of one local time: the first instant that has `after`'s offset. Exactly one change lies
    /// between them (they are in adjacent spans of the tz database), so halving finds it.
    fn fall_back_instant(tz: Tz, before: DateTime<Utc>, after: DateTime<Utc>) -> DateTime<Utc> {
        let offset = |s: i64| {
            let t = Utc.timestamp_opt(s, 0).single().expect("in range");
            tz.offset_from_utc_datetime(&t.naive_utc()).fix()
        };
        let later = offset(after.timestamp());
        let (mut lo, mut hi) = (before.timestamp(), after.timestamp());
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if offset(mid) == later {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Utc.timestamp_opt(hi, 0).single().expect("in range")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_mon_to_fri_9_to_20_in_moscow() {
        let s = Schedule::default();
        assert_eq!(s.zone, "Europe/Moscow");
        assert_eq!(s.hours.describe(), "Mon–Fri 9–20");
        assert_eq!(s.hours.count(), 5 * 11);
    }

    #[test]
    fn grid_toggles_cells_days_and_hours() {
        let mut g = WeekGrid::EMPTY;
        g.set(Weekday::Sat, 10, true);
        g.set(Weekday::Sat, 11, true);
        assert_eq!(g.describe(), "Sat 10–12");
        g.set_day(Weekday::Sun, true);
        assert_eq!(g.describe(), "Sat 10–12, Sun 0–24");
        g.set_hour(10, false);
        assert_eq!(g.describe(), "Sat 11–12, Sun 0–10, 11–24");
        g.set_day(Weekday::Sun, false);
        g.set(Weekday::Sat, 11, false);
        assert!(g.is_empty());
        assert_eq!(g.describe(), "never");
        assert_eq!(WeekGrid::full().describe(), "round the clock");
    }

    #[test]
    fn descriptions_in_russian() {
        let mut weekend = WeekGrid::EMPTY;
        weekend.set(Weekday::Sat, 10, true);
        weekend.set(Weekday::Sun, 10, true);
        for (grid, en, ru) in [
            (Schedule::default().hours, "Mon–Fri 9–20", "Пн–Пт 9–20"),
            (weekend, "Sat–Sun 10–11", "Сб–Вс 10–11"),
            (WeekGrid::EMPTY, "never", "никогда"),
            (WeekGrid::full(), "round the clock", "круглосуточно"),
        ] {
            assert_eq!(grid.describe_in(Lang::En), en);
            assert_eq!(grid.describe_in(Lang::Ru), ru);
        }
    }

    #[test]
    fn grid_serde_is_seven_rows_of_24_digits() {
        let json = serde_json::to_string(&WeekGrid::hours(&[Weekday::Mon], 9, 20)).unwrap();
        assert!(json.starts_with(r#"["000000000111111111110000","000000000000000000000000""#));
        let back: WeekGrid = serde_json::from_str(&json).unwrap();
        assert_eq!(back.describe(), "Mon 9–20");
        let err = serde_json::from_str::<WeekGrid>(r#"["01"]"#).unwrap_err();
        assert!(err.to_string().contains("7 rows"), "{err}");
        let bad_row = format!(r#"[{}]"#, [r#""0000""#; 7].join(","));
        let err = serde_json::from_str::<WeekGrid>(&bad_row).unwrap_err();
        assert!(err.to_string().contains("24 characters"), "{err}");
    }

    #[test]
    fn deferred_offsets_are_bounded() {
        let mut p = Problems::new();
        DeferredOffsets([0, 45, 240, 241, 0, 0, 0]).validate("off_hours.offsets", &mut p);
        let p = p.into_vec();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].path, "off_hours.offsets[3]");
    }

    #[test]
    fn hours_of_lists_the_hours_that_are_on_in_order() {
        let g = WeekGrid::default_working_hours();
        assert_eq!(
            g.hours_of(Weekday::Mon).collect::<Vec<_>>(),
            (9..20).collect::<Vec<u8>>()
        );
        assert_eq!(g.hours_of(Weekday::Sat).count(), 0);
        let mut g = WeekGrid::EMPTY;
        g.set(Weekday::Tue, 0, true);
        g.set(Weekday::Tue, 1, true);
        g.set(Weekday::Tue, 23, true);
        assert_eq!(g.hours_of(Weekday::Tue).collect::<Vec<_>>(), [0, 1, 23]);
        assert_eq!(
            WeekGrid::full().hours_of(Weekday::Sun).collect::<Vec<_>>(),
            (0..24).collect::<Vec<u8>>()
        );
    }

    #[test]
    fn debug_shows_the_grid_in_words() {
        assert_eq!(
            format!("{:?}", WeekGrid::default_working_hours()),
            "WeekGrid(Mon–Fri 9–20)"
        );
    }

    #[cfg(feature = "server")]
    #[test]
    fn ceil_quarter_keeps_an_exact_boundary() {
        use chrono::{Duration, TimeZone, Utc};
        let noon = Utc.with_ymd_and_hms(2024, 1, 15, 12, 0, 0).unwrap();
        let quarter_past = Utc.with_ymd_and_hms(2024, 1, 15, 12, 15, 0).unwrap();
        assert_eq!(zoned::ceil_quarter(noon), noon);
        assert_eq!(
            zoned::ceil_quarter(noon + Duration::milliseconds(500)),
            quarter_past
        );
        assert_eq!(
            zoned::ceil_quarter(noon + Duration::minutes(1)),
            quarter_past
        );
    }

    #[test]
    fn runs_and_complement_of_a_grid() {
        let mut g = WeekGrid::hours(&[Weekday::Mon], 9, 13);
        g.set(Weekday::Mon, 14, true);
        g.set(Weekday::Mon, 23, true);
        g.set(Weekday::Mon, 0, true);
        assert_eq!(
            g.runs_of(Weekday::Mon).collect::<Vec<_>>(),
            [(0, 1), (9, 13), (14, 15), (23, 24)]
        );
        assert_eq!(g.runs_of(Weekday::Tue).count(), 0);
        assert_eq!(
            WeekGrid::full().runs_of(Weekday::Sun).collect::<Vec<_>>(),
            [(0, 24)]
        );
        assert_eq!(g.complement().count(), 7 * 24 - g.count());
        assert_eq!(g.complement().intersect(&g), WeekGrid::EMPTY);
        assert_eq!(WeekGrid::full().complement(), WeekGrid::EMPTY);
        assert_eq!(g.complement().complement(), g);
    }

    /// An instant given in UTC, for the searches' tables.
    #[cfg(feature = "server")]
    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> chrono::DateTime<chrono::Utc> {
        use chrono::TimeZone;
        chrono::Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    /// A schedule open in one hour of the week.
    #[cfg(feature = "server")]
    fn only(zone: &str, day: Weekday, hour: u8) -> Schedule {
        Schedule {
            zone: zone.into(),
            hours: WeekGrid::hours(&[day], hour, hour + 1),
        }
    }

    /// Issue 11: a grid whose only hour the spring-forward skips opens the week after, and
    /// "never" means only an empty grid.
    #[cfg(feature = "server")]
    #[test]
    fn the_next_opening_is_found_however_far_it_is() {
        use chrono::Duration;
        let friday = Schedule {
            zone: "Pacific/Apia".into(),
            hours: WeekGrid::hours(&[Weekday::Fri], 0, 24),
        };
        let cases = [
            // Berlin skips 02:00–03:00 on Sunday 2026-03-29: from the Sunday before, 03:00
            // CET, to Sunday 2026-04-05 02:00 CEST.
            (
                only("Europe/Berlin", Weekday::Sun, 2),
                utc(2026, 3, 22, 2, 0),
                utc(2026, 4, 5, 0, 0),
            ),
            // New York skips 02:00–03:00 on the second Sunday of March, 2026-03-08.
            (
                only("America/New_York", Weekday::Sun, 2),
                utc(2026, 3, 1, 8, 0),
                utc(2026, 3, 15, 6, 0),
            ),
            // Lord Howe moves half an hour, 02:00 → 02:30, on 2026-10-04: hour 2 is still
            // there from 02:30 (+11:00).
            (
                only("Australia/Lord_Howe", Weekday::Sun, 2),
                utc(2026, 9, 26, 16, 30),
                utc(2026, 10, 3, 15, 30),
            ),
            // Chatham goes back from 03:45 to 02:45 on 2026-04-05: closed at 03:15 in the first
            // pass, open again at 02:45 (+12:45), the instant of the change.
            (
                only("Pacific/Chatham", Weekday::Sun, 2),
                utc(2026, 4, 4, 13, 30),
                utc(2026, 4, 4, 14, 0),
            ),
            // Goose Bay went back from Sunday 00:01 to Saturday 23:01 on 2010-11-07: at
            // Sunday 00:00:30 Saturday's last hour is yet to come again, from 23:01.
            (
                only("America/Goose_Bay", Weekday::Sat, 23),
                utc(2010, 11, 7, 3, 0) + Duration::seconds(30),
                utc(2010, 11, 7, 3, 1),
            ),
            // Apia skipped Friday 2011-12-30 altogether: from Saturday 2011-12-24 (−10:00) or
            // Thursday 2011-12-29, the next Friday is 2012-01-06 (+14:00).
            (
                friday.clone(),
                utc(2011, 12, 24, 10, 0),
                utc(2012, 1, 5, 10, 0),
            ),
            (
                friday.clone(),
                utc(2011, 12, 29, 22, 0),
                utc(2012, 1, 5, 10, 0),
            ),
            // An open instant is its own next opening.
            (friday, utc(2012, 1, 5, 10, 0), utc(2012, 1, 5, 10, 0)),
        ];
        for (schedule, from, want) in cases {
            assert_eq!(
                schedule.next_open(from),
                Some(want),
                "{} from {from}",
                schedule.zone
            );
        }
        let never = Schedule {
            hours: WeekGrid::EMPTY,
            ..Schedule::default()
        };
        assert_eq!(never.next_open(utc(2026, 3, 22, 2, 0)), None);
    }

    /// The close is searched as far as the next opening: a grid closed only in the skipped
    /// hour closes a week after the change, and a round-the-clock grid never closes.
    #[cfg(feature = "server")]
    #[test]
    fn an_open_stretch_closes_however_far_off_that_is() {
        let all_but = |zone: &str, day, hour| Schedule {
            zone: zone.into(),
            hours: only(zone, day, hour).hours.complement(),
        };
        let cases = [
            (
                all_but("Europe/Berlin", Weekday::Sun, 2),
                utc(2026, 3, 22, 2, 0),
                Some(utc(2026, 4, 5, 0, 0)),
            ),
            (
                all_but("America/New_York", Weekday::Sun, 2),
                utc(2026, 3, 1, 8, 0),
                Some(utc(2026, 3, 15, 6, 0)),
            ),
            // From Sunday 01:00 (+10:30) on Lord Howe the clock jumps from 02:00 to 02:30, into
            // the closed hour.
            (
                all_but("Australia/Lord_Howe", Weekday::Sun, 2),
                utc(2026, 10, 3, 14, 30),
                Some(utc(2026, 10, 3, 15, 30)),
            ),
            // In the second pass of Chatham's 02:45–03:00 the stretch ends at 03:00 (+12:45).
            (
                all_but("Pacific/Chatham", Weekday::Sun, 3),
                utc(2026, 4, 4, 14, 5),
                Some(utc(2026, 4, 4, 14, 15)),
            ),
            // Closed at the instant asked about.
            (
                all_but("Europe/Berlin", Weekday::Sun, 2),
                utc(2026, 4, 5, 0, 30),
                None,
            ),
            (
                Schedule {
                    zone: "Europe/Berlin".into(),
                    hours: WeekGrid::full(),
                },
                utc(2026, 3, 22, 2, 0),
                None,
            ),
        ];
        for (schedule, at, want) in cases {
            assert_eq!(schedule.closes_after(at), want, "{} at {at}", schedule.zone);
        }
    }

    /// A department in New York whose hour meets the Berlin call center's only in the weeks
    /// when the US has moved its clocks and Europe not yet (2026-03-08 to 03-29 and 10-25 to
    /// 11-01): offered, and found months ahead.
    #[cfg(feature = "server")]
    #[test]
    fn schedules_in_two_zones_meet_in_the_weeks_between_their_clock_changes() {
        let call_center = only("Europe/Berlin", Weekday::Mon, 14);
        let department = only("America/New_York", Weekday::Mon, 9);
        let cases = [
            (utc(2026, 2, 20, 12, 0), utc(2026, 3, 9, 13, 0)),
            (utc(2026, 3, 9, 13, 30), utc(2026, 3, 9, 13, 30)),
            (utc(2026, 3, 9, 14, 0), utc(2026, 3, 16, 13, 0)),
            (utc(2026, 3, 24, 0, 0), utc(2026, 10, 26, 13, 0)),
            (utc(2026, 10, 27, 0, 0), utc(2027, 3, 15, 13, 0)),
        ];
        for (from, want) in cases {
            assert_eq!(
                next_open_all(&[&call_center, &department], from),
                Some(want),
                "{from}"
            );
            assert_eq!(
                next_open_all(&[&department, &call_center], from),
                Some(want),
                "{from}"
            );
        }
        // Saturday in New York never meets Monday in Berlin.
        let weekend = only("America/New_York", Weekday::Sat, 9);
        assert_eq!(
            next_open_all(&[&call_center, &weekend], utc(2026, 2, 20, 12, 0)),
            None
        );
        // One zone: the common cells, here none.
        let tuesday = only("Europe/Berlin", Weekday::Tue, 14);
        assert_eq!(
            next_open_all(&[&call_center, &tuesday], utc(2026, 2, 20, 12, 0)),
            None
        );
        let both = Schedule {
            zone: "Europe/Berlin".into(),
            hours: WeekGrid::hours(&[Weekday::Mon, Weekday::Tue], 14, 15),
        };
        assert_eq!(
            next_open_all(&[&both, &tuesday], utc(2026, 3, 16, 12, 0)),
            Some(utc(2026, 3, 17, 13, 0))
        );
        // The Berlin hour that spring-forward skips, in one zone: two weeks ahead.
        let night = only("Europe/Berlin", Weekday::Sun, 2);
        assert_eq!(
            next_open_all(&[&night, &night.clone()], utc(2026, 3, 22, 2, 0)),
            Some(utc(2026, 4, 5, 0, 0))
        );
        assert_eq!(
            next_open_all(&[], utc(2026, 3, 22, 2, 0)),
            Some(utc(2026, 3, 22, 2, 0))
        );
    }

    /// "opens 09:00, offset 45 min → 09:45": the offset applies only to the day's first
    /// opening, and not to an order placed at the opening itself.
    #[cfg(feature = "server")]
    #[test]
    fn the_deferred_offset_applies_only_to_the_days_first_opening() {
        use chrono::{TimeZone, Utc};
        // Monday 9–13 and 14–20, Moscow (UTC+3).
        let mut hours = WeekGrid::hours(&[Weekday::Mon], 9, 20);
        hours.set(Weekday::Mon, 13, false);
        let cc = Schedule {
            hours,
            ..Schedule::default()
        };
        let offsets = DeferredOffsets::every_day(45);
        // Moscow wall clock on Monday 2024-01-15.
        let msk = |h: u32, m: u32| Utc.with_ymd_and_hms(2024, 1, 15, h - 3, m, 0).unwrap();
        let cases = [
            // Before the first opening: 09:00 + 45 min.
            (msk(8, 0), msk(9, 45)),
            // Placed exactly at the opening: called at once.
            (msk(9, 0), msk(9, 0)),
            // In the lunch break: the second opening of the day, no offset.
            (msk(13, 30), msk(14, 0)),
        ];
        for (placed, want) in cases {
            assert_eq!(
                deferred_call_at(&cc, &offsets, placed),
                Some(want),
                "{placed}"
            );
        }
    }
}
