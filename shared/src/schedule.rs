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
    use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc};
    use chrono_tz::Tz;

    /// Every modern zone's offset is a whole number of quarter hours, so every local hour
    /// boundary is a UTC quarter-hour boundary: stepping by quarters never misses one.
    pub(crate) const QUARTER: i64 = 15 * 60;

    /// Longest search for an opening, in days: a non-empty weekly grid opens within a week,
    /// plus a day of slack for a skipped DST hour.
    const SEARCH_DAYS: i64 = 8;

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

        /// The first instant at or after `from` at which the schedule is open, or `None` for an
        /// empty grid.
        pub fn next_open(&self, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
            if self.hours.is_empty() {
                return None;
            }
            if self.is_open(from) {
                return Some(from);
            }
            let mut t = next_quarter(from);
            let end = from + Duration::days(SEARCH_DAYS);
            while t <= end {
                if self.is_open(t) {
                    return Some(t);
                }
                t += Duration::seconds(QUARTER);
            }
            None
        }

        /// When the open stretch containing `at` ends, or `None` if closed at `at` (or never
        /// closes within the search horizon).
        pub fn closes_after(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
            if !self.is_open(at) {
                return None;
            }
            let mut t = next_quarter(at);
            let end = at + Duration::days(SEARCH_DAYS);
            while t <= end {
                if !self.is_open(t) {
                    return Some(t);
                }
                t += Duration::seconds(QUARTER);
            }
            None
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

    /// The first instant at or after `from` when every schedule is open at once, or `None`
    /// within a week and a day. A department "is offered only while its own schedule
    /// intersects the call-center schedule" (SPEC §2.6): both must be open.
    pub fn next_open_all(schedules: &[&Schedule], from: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let all_open = |t| schedules.iter().all(|s| s.is_open(t));
        if all_open(from) {
            return Some(from);
        }
        let mut t = next_quarter(from);
        let end = from + Duration::days(SEARCH_DAYS);
        while t <= end {
            if all_open(t) {
                return Some(t);
            }
            t += Duration::seconds(QUARTER);
        }
        None
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
