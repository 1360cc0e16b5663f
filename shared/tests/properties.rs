//! Property tests: schedules across time zones and DST changes, and condition evaluation
//! against a reference model written from the SPEC's sentences.

use chrono::{
    DateTime, Datelike, Duration, NaiveDateTime, Offset, TimeZone, Timelike, Utc, Weekday,
};
use chrono_tz::Tz;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use shared::conditions::{
    ConditionSet, DeviceRules, Effect, Geo, GeoLevel, GeoRule, Join, PageMatch, PageRule,
    TrafficRule, TrafficRules, Utm, Visit,
};
use shared::device::DeviceType;
use shared::schedule::{deferred_call_at, DeferredOffsets, Schedule, WeekGrid, WEEK};
use shared::slots::{slots, SlotOptions};
use std::sync::OnceLock;

/// Zones with every kind of clock: no DST, northern and southern DST, half- and
/// three-quarter-hour offsets, a 30-minute DST shift, and a zone that moves at midnight.
const ZONES: &[&str] = &[
    "Europe/Moscow",
    "Europe/Berlin",
    "America/New_York",
    "America/Santiago",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/Havana",
    "Asia/Vladivostok",
];

fn zone() -> impl Strategy<Value = String> {
    prop::sample::select(ZONES).prop_map(str::to_string)
}

fn grid() -> impl Strategy<Value = WeekGrid> {
    prop::collection::vec(any::<u32>(), 7).prop_map(|days| {
        let mut g = WeekGrid::EMPTY;
        for (d, bits) in days.iter().enumerate() {
            // Sparse-ish grids: keep about a third of the hours.
            let bits = bits & (bits >> 1) & 0x00ff_ffff;
            for h in 0..24u8 {
                if bits & (1 << h) != 0 {
                    g.set(WEEK[d], h, true);
                }
            }
        }
        g
    })
}

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    // 2020-01-01 .. 2030-12-31, to the second.
    (1_577_836_800i64..1_924_905_600i64).prop_map(|s| Utc.timestamp_opt(s, 0).unwrap())
}

/// The local wall clock at `t`, computed from the zone's UTC offset alone (not with
/// `with_timezone`), as an independent reference.
fn wall_clock(zone: &str, t: DateTime<Utc>) -> NaiveDateTime {
    let tz: Tz = zone.parse().unwrap();
    let offset = tz.offset_from_utc_datetime(&t.naive_utc()).fix();
    t.naive_utc() + Duration::seconds(i64::from(offset.local_minus_utc()))
}

fn reference_open(s: &Schedule, t: DateTime<Utc>) -> bool {
    let local = wall_clock(&s.zone, t);
    s.hours.get(local.weekday(), local.hour())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn is_open_is_the_cell_of_the_local_wall_clock(zone in zone(), hours in grid(), t in instant()) {
        let s = Schedule { zone, hours };
        prop_assert_eq!(s.is_open(t), reference_open(&s, t));
    }

    #[test]
    fn next_open_is_the_first_open_instant(zone in zone(), hours in grid(), t in instant()) {
        let s = Schedule { zone, hours };
        match s.next_open(t) {
            None => prop_assert!(s.hours.is_empty()),
            Some(u) => {
                prop_assert!(u >= t);
                prop_assert!(reference_open(&s, u));
                prop_assert!(u - t <= Duration::days(8));
                // Nothing open in between (every local hour starts on a UTC quarter hour).
                let mut q = t;
                while q < u {
                    prop_assert!(!reference_open(&s, q), "open at {} before {}", q, u);
                    let next = Utc.timestamp_opt((q.timestamp() / 900 + 1) * 900, 0).unwrap();
                    q = next;
                }
            }
        }
    }

    #[test]
    fn an_open_stretch_ends_where_it_closes(zone in zone(), hours in grid(), t in instant()) {
        let s = Schedule { zone, hours };
        if let Some(end) = s.closes_after(t) {
            prop_assert!(end > t);
            prop_assert!(!s.is_open(end));
            let mut q = t;
            while q < end {
                prop_assert!(s.is_open(q));
                q += Duration::minutes(15);
                if q > end { break; }
            }
        }
    }

    #[test]
    fn deferred_calls_fall_inside_working_hours(zone in zone(), hours in grid(), t in instant(), offset in 0u16..240) {
        let s = Schedule { zone, hours };
        let at = deferred_call_at(&s, &DeferredOffsets::every_day(offset), t);
        match (at, s.next_open(t)) {
            (Some(at), Some(open)) => {
                prop_assert!(at >= open);
                prop_assert!(at <= open + Duration::minutes(i64::from(offset)));
                prop_assert!(s.is_open(at));
            }
            (None, None) => {}
            other => prop_assert!(false, "deferred {:?} vs next open {:?}", other.0, other.1),
        }
    }

    #[test]
    fn slots_are_open_ahead_and_labelled_on_the_visitors_clock(
        zone in zone(), visitor in zone(), hours in grid(), t in instant()
    ) {
        let s = Schedule { zone, hours };
        let tz: Tz = visitor.parse().unwrap();
        let opts = SlotOptions::default();
        let days = slots(&[&s], tz, t, opts);
        prop_assert!(days.len() <= opts.max_days);
        let mut last = None;
        for day in &days {
            for (at, label) in day.slots() {
                prop_assert!(s.is_open(at));
                prop_assert!(at >= t + Duration::minutes(opts.lead_minutes));
                prop_assert!(last.is_none_or(|l| at > l), "nearest first");
                last = Some(at);
                let local = wall_clock(&visitor, at);
                prop_assert_eq!(&label, &format!("{:02}:{:02}", local.hour(), local.minute()));
                prop_assert_eq!(day.date, local.date());
            }
        }
    }
}

/// DST by example: Berlin moves to summer time on 2026-03-29, New York back to winter time on
/// 2026-11-01.
#[test]
fn schedules_follow_their_zones_daylight_saving_changes() {
    let berlin = Schedule {
        zone: "Europe/Berlin".into(),
        hours: WeekGrid::hours(&WEEK[..5], 9, 20),
    };
    // Winter: 09:00 CET is 08:00 UTC; summer: 09:00 CEST is 07:00 UTC.
    let before = Utc.with_ymd_and_hms(2026, 3, 22, 12, 0, 0).unwrap();
    assert_eq!(
        berlin.next_open(before),
        Some(Utc.with_ymd_and_hms(2026, 3, 23, 8, 0, 0).unwrap())
    );
    let after = Utc.with_ymd_and_hms(2026, 3, 29, 12, 0, 0).unwrap();
    assert_eq!(
        berlin.next_open(after),
        Some(Utc.with_ymd_and_hms(2026, 3, 30, 7, 0, 0).unwrap())
    );
    assert_eq!(
        berlin.closes_after(Utc.with_ymd_and_hms(2026, 3, 30, 7, 0, 0).unwrap()),
        Some(Utc.with_ymd_and_hms(2026, 3, 30, 18, 0, 0).unwrap())
    );

    // The skipped hour: 02:00–03:00 Berlin on 2026-03-29 never happens.
    let night = Schedule {
        zone: "Europe/Berlin".into(),
        hours: WeekGrid::hours(&[Weekday::Sun], 2, 3),
    };
    let from = Utc.with_ymd_and_hms(2026, 3, 28, 12, 0, 0).unwrap();
    assert_eq!(
        night.next_open(from),
        Some(Utc.with_ymd_and_hms(2026, 4, 5, 0, 0, 0).unwrap())
    );

    // The repeated hour: 01:00–02:00 New York on 2026-11-01 happens twice, open both times.
    let ny = Schedule {
        zone: "America/New_York".into(),
        hours: WeekGrid::hours(&[Weekday::Sun], 1, 2),
    };
    assert!(ny.is_open(Utc.with_ymd_and_hms(2026, 11, 1, 5, 30, 0).unwrap()));
    assert!(ny.is_open(Utc.with_ymd_and_hms(2026, 11, 1, 6, 30, 0).unwrap()));
    assert!(!ny.is_open(Utc.with_ymd_and_hms(2026, 11, 1, 7, 30, 0).unwrap()));
    assert_eq!(
        ny.closes_after(Utc.with_ymd_and_hms(2026, 11, 1, 5, 0, 0).unwrap()),
        Some(Utc.with_ymd_and_hms(2026, 11, 1, 7, 0, 0).unwrap())
    );
}

// ---- Searches across every zone that changes its clocks ----

/// One change of a zone's clock: at `at` (UTC seconds) the offset goes from `before` to
/// `after` (seconds east of UTC).
#[derive(Clone, Copy, Debug)]
struct Change {
    at: i64,
    before: i32,
    after: i32,
}

/// 2000-01-01 and 2038-01-01, the years the searches are tried in.
const FROM_2000: i64 = 946_684_800;
const TO_2038: i64 = 2_145_916_800;

fn offset_at(tz: Tz, s: i64) -> i32 {
    tz.offset_from_utc_datetime(&DateTime::from_timestamp(s, 0).unwrap().naive_utc())
        .fix()
        .local_minus_utc()
}

/// Every zone of `chrono_tz::TZ_VARIANTS` whose clock changes between 2000 and 2037 (DST or
/// a change of standard time), with its changes. The offset is sampled every 6 days, and a
/// difference between two samples is halved down to the second: one zone's changes are more
/// than 6 days apart, so a step holds at most one. (With tzdata 2025b that is 339 zones and
/// 17348 changes, as many as chrono-tz's tables list.)
fn changing_zones() -> &'static [(Tz, Vec<Change>)] {
    static ZONES: OnceLock<Vec<(Tz, Vec<Change>)>> = OnceLock::new();
    ZONES.get_or_init(|| {
        const STEP: i64 = 6 * 86_400;
        chrono_tz::TZ_VARIANTS
            .iter()
            .filter_map(|&tz| {
                let mut changes = Vec::new();
                let mut s = FROM_2000;
                let mut offset = offset_at(tz, s);
                while s < TO_2038 {
                    let next = s + STEP;
                    let next_offset = offset_at(tz, next);
                    if next_offset != offset {
                        let (mut lo, mut hi) = (s, next);
                        while hi - lo > 1 {
                            let mid = lo + (hi - lo) / 2;
                            if offset_at(tz, mid) == offset {
                                lo = mid;
                            } else {
                                hi = mid;
                            }
                        }
                        changes.push(Change {
                            at: hi,
                            before: offset,
                            after: next_offset,
                        });
                    }
                    (s, offset) = (next, next_offset);
                }
                (!changes.is_empty()).then_some((tz, changes))
            })
            .collect()
    })
}

/// The cell of the wall clock at `t` in `tz`, from the offset alone.
fn cell_at(tz: Tz, t: i64) -> (Weekday, u32) {
    let local = DateTime::from_timestamp(t + i64::from(offset_at(tz, t)), 0)
        .unwrap()
        .naive_utc();
    (local.weekday(), local.hour())
}

/// A grid's single cell and an instant to search from: mostly near one of the zone's
/// changes, the cell one the change skips, repeats or borders (the wall-clock hour within
/// 90 minutes of the change's local time before or after it) and the instant up to 15 days
/// before the change or a day after; sometimes any cell and any instant in 2000–2037.
fn cell_and_instant(
    changes: &'static [Change],
) -> impl Strategy<Value = ((Weekday, u32), DateTime<Utc>)> {
    let near = (
        0..changes.len(),
        any::<bool>(),
        -6i64..=6,
        -15 * 86_400i64..86_400,
        any::<bool>(),
    )
        .prop_map(move |(i, after, quarters, from, on_quarter)| {
            let c = changes[i];
            let offset = if after { c.after } else { c.before };
            // The wall-clock time `offset` gives the change's instant, moved by whole quarters
            // (the cell is then that of the naive local time, which may be skipped).
            let local = c.at + i64::from(offset) + quarters * 900;
            let naive = DateTime::from_timestamp(local, 0).unwrap().naive_utc();
            let mut from = c.at + from;
            if on_quarter {
                from -= from.rem_euclid(900);
            }
            (
                (naive.weekday(), naive.hour()),
                DateTime::from_timestamp(from, 0).unwrap(),
            )
        });
    let anywhere = (0..7usize, 0..24u32, FROM_2000..TO_2038)
        .prop_map(|(d, h, s)| ((WEEK[d], h), DateTime::from_timestamp(s, 0).unwrap()));
    prop_oneof![3 => near, 1 => anywhere]
}

/// Runs `check` on a few cases in every zone that changes its clocks, reproducibly (a seed
/// per zone), and fails naming the zone.
fn in_every_changing_zone<S: Strategy>(
    cases: u32,
    strategy: impl Fn(&'static [Change]) -> S,
    check: impl Fn(Tz, S::Value) -> Result<(), TestCaseError>,
) {
    let zones = changing_zones();
    assert!(
        zones.len() > 300,
        "only {} zones change their clocks",
        zones.len()
    );
    for (i, (tz, changes)) in zones.iter().enumerate() {
        let mut seed = [0u8; 32];
        seed[..8].copy_from_slice(&(i as u64).to_le_bytes());
        let config = Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner =
            TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
        if let Err(e) = runner.run(&strategy(changes), |v| check(*tz, v)) {
            panic!("{}: {e}", tz.name());
        }
    }
}

/// The brute-force reference: whether the grid is open at `t` by the offset alone.
fn open_by_offset(tz: Tz, hours: &WeekGrid, t: DateTime<Utc>) -> bool {
    let (day, hour) = cell_at(tz, t.timestamp());
    hours.get(day, hour)
}

/// The quarter-hour boundaries in `(from, to)`, with `from` itself: the reference's steps.
/// While offsets are whole quarter hours (every zone since 1972) every local hour starts on
/// one of them; a stretch that a clock change off the quarter starts (America/Goose_Bay
/// changed at 00:01 until 2011) is still open at the next one, and the checks of the instant
/// just before an answer pin that to the second.
fn quarters(from: DateTime<Utc>, to: DateTime<Utc>) -> impl Iterator<Item = DateTime<Utc>> {
    let first = (from.timestamp().div_euclid(900) + 1) * 900;
    std::iter::once(from).filter(move |f| *f < to).chain(
        (first..to.timestamp())
            .step_by(900)
            .map(|s| DateTime::from_timestamp(s, 0).unwrap()),
    )
}

const CASES_PER_ZONE: u32 = 6;

/// Issue 11: "'Never' may only mean an empty grid". A grid with a single open hour opens,
/// and at its first opening: however many weeks the zone's changes skip that hour, in every
/// zone that changes its clocks.
#[test]
fn a_single_hour_grid_opens_at_its_first_opening_in_every_zone() {
    in_every_changing_zone(
        CASES_PER_ZONE,
        cell_and_instant,
        |tz, ((day, hour), from)| {
            let s = Schedule {
                zone: tz.name().into(),
                hours: WeekGrid::hours(&[day], hour as u8, hour as u8 + 1),
            };
            let Some(t) = s.next_open(from) else {
                return Err(TestCaseError::fail(format!(
                    "{day:?} {hour}:00 never opens after {from}"
                )));
            };
            prop_assert!(t >= from);
            prop_assert!(open_by_offset(tz, &s.hours, t), "closed at {t}");
            let second = Duration::seconds(1);
            prop_assert!(
                t == from || !open_by_offset(tz, &s.hours, t - second),
                "open before {t}"
            );
            for q in quarters(from, t) {
                prop_assert!(!open_by_offset(tz, &s.hours, q), "open at {q}, before {t}");
            }
            Ok(())
        },
    );
}

/// The same for the close of a grid open everywhere but in one hour.
#[test]
fn a_grid_closed_for_one_hour_closes_at_its_first_close_in_every_zone() {
    in_every_changing_zone(CASES_PER_ZONE, cell_and_instant, |tz, ((day, hour), at)| {
        let s = Schedule {
            zone: tz.name().into(),
            hours: WeekGrid::hours(&[day], hour as u8, hour as u8 + 1).complement(),
        };
        let closes = s.closes_after(at);
        if !open_by_offset(tz, &s.hours, at) {
            prop_assert_eq!(closes, None);
            return Ok(());
        }
        let Some(t) = closes else {
            return Err(TestCaseError::fail(format!("open at {at}, never closes")));
        };
        prop_assert!(t > at);
        prop_assert!(!open_by_offset(tz, &s.hours, t), "open at {t}");
        prop_assert!(
            open_by_offset(tz, &s.hours, t - Duration::seconds(1)),
            "closed before {t}"
        );
        for q in quarters(at, t) {
            prop_assert!(open_by_offset(tz, &s.hours, q), "closed at {q}, before {t}");
        }
        Ok(())
    });
}

/// Two schedules in two zones, one cell each: the cells of one instant shortly after a change
/// of either zone's clock, so they meet there at the latest, and usually not before the change
/// (a department whose hour meets the call center's only once one zone has moved its clocks).
/// The search finds the first instant both are open, from up to 30 days before the change.
#[test]
fn schedules_in_two_zones_first_meet_where_both_are_open() {
    let zones = changing_zones();
    let strategy = (
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        0..10 * 86_400i64,
        0..30 * 86_400i64,
    );
    let config = Config {
        cases: 300,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let result =
        TestRunner::new_with_rng(config, rng).run(&strategy, |(a, b, c, after, before)| {
            let (za, changes) = &zones[a.index(zones.len())];
            let (zb, _) = &zones[b.index(zones.len())];
            let change = changes[c.index(changes.len())].at;
            let meet = change + after;
            let single = |tz: Tz| {
                let (day, hour) = cell_at(tz, meet);
                Schedule {
                    zone: tz.name().into(),
                    hours: WeekGrid::hours(&[day], hour as u8, hour as u8 + 1),
                }
            };
            let (sa, sb) = (single(*za), single(*zb));
            let both = |t: DateTime<Utc>| {
                open_by_offset(*za, &sa.hours, t) && open_by_offset(*zb, &sb.hours, t)
            };
            let from = DateTime::from_timestamp(change - before, 0).unwrap();
            let meet = DateTime::from_timestamp(meet, 0).unwrap();
            let found = shared::schedule::next_open_all(&[&sa, &sb], from);
            prop_assert_eq!(found, shared::schedule::next_open_all(&[&sb, &sa], from));
            let Some(t) = found else {
                return Err(TestCaseError::fail(format!(
                    "{} and {} never meet after {from}, yet both are open at {meet}",
                    sa.zone, sb.zone
                )));
            };
            prop_assert!(from <= t && t <= meet, "{} not in {}..={}", t, from, meet);
            prop_assert!(both(t), "not both open at {}", t);
            prop_assert!(
                t == from || !both(t - Duration::seconds(1)),
                "both open before {}",
                t
            );
            for q in quarters(from, t) {
                prop_assert!(!both(q), "both open at {}, before {}", q, t);
            }
            Ok(())
        });
    if let Err(e) = result {
        panic!("{e}");
    }
}

// ---- Conditions against a reference model ----

const PARTS: &[&str] = &["shop", "blog", "articles", "cart", "contacts"];
const SOURCES: &[&str] = &["yandex", "google", "vk"];
const MEDIUMS: &[&str] = &["cpc", "organic"];
const COUNTRIES: &[&str] = &["RU", "KZ"];
const REGIONS: &[&str] = &["Moscow", "Moscow Oblast"];
const CITIES: &[&str] = &["Moscow", "Krasnogorsk"];

fn effect() -> impl Strategy<Value = Effect> {
    prop_oneof![Just(Effect::Allow), Just(Effect::Deny)]
}

fn url() -> impl Strategy<Value = String> {
    (
        prop::sample::select(PARTS),
        prop::sample::select(PARTS),
        any::<bool>(),
    )
        .prop_map(|(a, b, q)| format!("https://site.ru/{a}/{b}{}", if q { "?x=1" } else { "" }))
}

fn page_rule() -> impl Strategy<Value = PageRule> {
    (
        0..3u8,
        prop::sample::select(PARTS),
        prop::sample::select(PARTS),
        effect(),
    )
        .prop_map(|(m, a, b, effect)| {
            let (matching, value) = match m {
                0 => (PageMatch::Contains, a.to_string()),
                1 => (PageMatch::Equals, format!("https://site.ru/{a}/{b}")),
                _ => (PageMatch::StartsWith, format!("https://site.ru/{a}")),
            };
            PageRule {
                matching,
                value,
                effect,
            }
        })
}

fn opt(values: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop::sample::select(values).prop_map(str::to_string))
}

fn traffic_rule() -> impl Strategy<Value = TrafficRule> {
    (opt(SOURCES), opt(MEDIUMS), effect())
        .prop_filter("a rule names a tag", |(s, m, _)| s.is_some() || m.is_some())
        .prop_map(|(source, medium, effect)| TrafficRule {
            source,
            medium,
            campaign: None,
            effect,
        })
}

fn geo_rule() -> impl Strategy<Value = GeoRule> {
    (0..3u8, 0..2usize, effect()).prop_map(|(l, i, effect)| {
        let (level, value) = match l {
            0 => (GeoLevel::Country, COUNTRIES[i]),
            1 => (GeoLevel::Region, REGIONS[i]),
            _ => (GeoLevel::City, CITIES[i]),
        };
        GeoRule {
            level,
            value: value.into(),
            effect,
        }
    })
}

fn device() -> impl Strategy<Value = DeviceType> {
    prop::sample::select(DeviceType::ALL.to_vec())
}

fn set() -> impl Strategy<Value = ConditionSet> {
    (
        (effect(), effect(), effect()),
        prop::collection::vec(page_rule(), 0..4),
        any::<bool>(),
        prop::collection::vec(traffic_rule(), 0..3),
        prop::collection::vec(geo_rule(), 0..3),
    )
        .prop_map(
            |((desktop, tablet, mobile), pages, and, rules, geo)| ConditionSet {
                name: "p".into(),
                active: true,
                devices: DeviceRules {
                    desktop,
                    tablet,
                    mobile,
                },
                pages,
                traffic: TrafficRules {
                    join: if and { Join::And } else { Join::Or },
                    rules,
                },
                geo,
            },
        )
}

fn visit() -> impl Strategy<Value = Visit> {
    (
        url(),
        opt(SOURCES),
        opt(MEDIUMS),
        device(),
        opt(COUNTRIES),
        opt(REGIONS),
        opt(CITIES),
    )
        .prop_map(
            |(url, source, medium, device, country, region, city)| Visit {
                url,
                utm: Utm {
                    source,
                    medium,
                    campaign: None,
                },
                device,
                geo: Geo {
                    country,
                    region,
                    city,
                },
            },
        )
}

/// The SPEC, sentence by sentence, with no shared code.
mod reference {
    use super::*;

    fn page_matches(r: &PageRule, url: &str) -> bool {
        let url = url.to_lowercase();
        let v = r.value.to_lowercase();
        match r.matching {
            PageMatch::Contains => url.contains(&v),
            // "equals" ignores the query string (the value has none here).
            PageMatch::Equals => url.split('?').next().unwrap() == v,
            PageMatch::StartsWith => url.starts_with(&v),
            PageMatch::Regex => unreachable!(),
        }
    }

    /// "Allows are OR-ed; denies are AND-ed (the page must pass every deny); the allow group
    /// and the deny group are AND-ed."
    fn allow_deny(effects_and_matches: Vec<(Effect, bool)>) -> bool {
        let allows: Vec<bool> = effects_and_matches
            .iter()
            .filter(|(e, _)| *e == Effect::Allow)
            .map(|(_, m)| *m)
            .collect();
        let denies: Vec<bool> = effects_and_matches
            .iter()
            .filter(|(e, _)| *e == Effect::Deny)
            .map(|(_, m)| *m)
            .collect();
        let allow_group = allows.is_empty() || allows.iter().any(|m| *m);
        let deny_group = denies.iter().all(|m| !*m);
        allow_group && deny_group
    }

    /// "a rule can require several tags together"; rules "joined by AND or OR".
    fn traffic(t: &TrafficRules, utm: &Utm) -> bool {
        if t.rules.is_empty() {
            return true;
        }
        let passes = |r: &TrafficRule| {
            let mut m = true;
            if let Some(s) = &r.source {
                m &= utm.source.as_deref().map(str::to_lowercase) == Some(s.to_lowercase());
            }
            if let Some(x) = &r.medium {
                m &= utm.medium.as_deref().map(str::to_lowercase) == Some(x.to_lowercase());
            }
            if r.effect == Effect::Allow {
                m
            } else {
                !m
            }
        };
        match t.join {
            Join::And => t.rules.iter().all(passes),
            Join::Or => t.rules.iter().any(passes),
        }
    }

    fn geo_matches(r: &GeoRule, g: &Geo) -> bool {
        let v = match r.level {
            GeoLevel::Country => &g.country,
            GeoLevel::Region => &g.region,
            GeoLevel::City => &g.city,
        };
        v.as_deref().map(str::to_lowercase) == Some(r.value.to_lowercase())
    }

    pub fn shows(set: &ConditionSet, v: &Visit) -> bool {
        let device = match v.device {
            DeviceType::Desktop => set.devices.desktop,
            DeviceType::Tablet => set.devices.tablet,
            DeviceType::Mobile => set.devices.mobile,
        } == Effect::Allow;
        let pages = allow_deny(
            set.pages
                .iter()
                .map(|r| (r.effect, page_matches(r, &v.url)))
                .collect(),
        );
        let geo = allow_deny(
            set.geo
                .iter()
                .map(|r| (r.effect, geo_matches(r, &v.geo)))
                .collect(),
        );
        device && pages && geo && traffic(&set.traffic, &v.utm)
    }

    /// Pinned for the session when an allow traffic rule matched (and the widget shows).
    pub fn pins(set: &ConditionSet, v: &Visit) -> bool {
        shows(set, v)
            && set.traffic.rules.iter().any(|r| {
                r.effect == Effect::Allow
                    && r.source.as_ref().is_none_or(|s| utm_eq(&v.utm.source, s))
                    && r.medium.as_ref().is_none_or(|m| utm_eq(&v.utm.medium, m))
            })
    }

    fn utm_eq(got: &Option<String>, want: &str) -> bool {
        got.as_deref().is_some_and(|g| g.eq_ignore_ascii_case(want))
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn conditions_agree_with_the_reference_model(set in set(), v in visit()) {
        let verdict = set.evaluate(&v);
        prop_assert_eq!(verdict.shows, reference::shows(&set, &v));
        prop_assert_eq!(verdict.by_traffic, reference::pins(&set, &v));
    }

    #[test]
    fn a_pinned_widget_passes_traffic_but_nothing_else(set in set(), v in visit()) {
        let pinned = set.evaluate_with(&v, true);
        let without_traffic = ConditionSet { traffic: TrafficRules::default(), ..set.clone() };
        prop_assert_eq!(pinned.shows, reference::shows(&without_traffic, &v));
    }
}
