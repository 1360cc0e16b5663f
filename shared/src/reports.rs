//! The journal's export and the reports (SPEC §6): "Journal of orders and calls: ... export
//! (CSV/Excel)"; "Reports with charts: orders and successful calls per day, results split,
//! activity by hour of day, conversion by traffic source; minutes spent."

use crate::attempt::AttemptResult;
use crate::cabinet_api::{DayCount, JournalRow, OrderState, Report, ReportQuery, SourceCount};
use crate::conditions::DIRECT;
use crate::texts::Lang;
use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;

/// What a report needs of one order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFact {
    /// When it came in.
    pub created_at: DateTime<Utc>,
    /// Its state.
    pub status: OrderState,
    /// Its utm_source.
    pub source: Option<String>,
    /// Minutes its calls were billed.
    pub billed_minutes: i64,
}

/// The report of `facts` for the days of `range` in `zone` (orders outside it are ignored).
pub fn report(facts: &[OrderFact], zone: &str, range: &ReportQuery) -> Report {
    let tz: Tz = zone.parse().unwrap_or(chrono_tz::Europe::Moscow);
    let mut days: BTreeMap<chrono::NaiveDate, DayCount> = BTreeMap::new();
    let mut d = range.from;
    while d <= range.to && days.len() < 3660 {
        days.insert(
            d,
            DayCount {
                date: d,
                orders: 0,
                successful: 0,
            },
        );
        d += Duration::days(1);
    }
    let mut results: BTreeMap<OrderState, u64> = BTreeMap::new();
    let mut by_hour = vec![0u64; 24];
    let mut by_weekday = vec![0u64; 7];
    let mut sources: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut minutes = 0;
    for f in facts {
        let local = f.created_at.with_timezone(&tz);
        let Some(day) = days.get_mut(&local.date_naive()) else {
            continue;
        };
        let success = f.status == OrderState::Success;
        day.orders += 1;
        day.successful += u64::from(success);
        *results.entry(f.status).or_default() += 1;
        by_hour[local.hour() as usize] += 1;
        by_weekday[local.weekday().num_days_from_monday() as usize] += 1;
        let source = f
            .source
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| DIRECT.to_string());
        let e = sources.entry(source).or_default();
        e.0 += 1;
        e.1 += u64::from(success);
        minutes += f.billed_minutes;
    }
    let mut by_source: Vec<SourceCount> = sources
        .into_iter()
        .map(|(source, (orders, successful))| SourceCount {
            source,
            orders,
            successful,
            conversion: successful as f64 / orders as f64,
        })
        .collect();
    by_source.sort_by(|a, b| b.orders.cmp(&a.orders).then(a.source.cmp(&b.source)));
    Report {
        days: days.into_values().collect(),
        results: results.into_iter().collect(),
        by_hour,
        by_weekday,
        by_source,
        minutes_spent: minutes,
    }
}

/// The first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV
/// Injection"): `=`, `+`, `-`, `@`, a tab and a carriage return.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell as a spreadsheet must read it: as text. A cell that starts with one of
/// [`FORMULA_STARTS`] gets a leading `'`, so that Excel, LibreOffice and Google Sheets show
/// `=HYPERLINK(...)` instead of running it. Phone numbers start with `+` and are prefixed too:
/// a spreadsheet shows `'+79161234567` as text, where unprefixed it would read the number
/// 79161234567 and drop the `+`.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// One CSV field: [`neutralize`]d, then quoted when it has to be (RFC 4180; `;` too, which
/// Excel takes for the separator in many locales).
fn field(s: &str) -> String {
    let s = neutralize(s);
    if s.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.into_owned()
    }
}

/// The journal rows as CSV that Excel opens as UTF-8 (with a byte-order mark), times in
/// `zone`, one row per order with its calls summarized.
pub fn journal_csv(rows: &[JournalRow], zone: &str) -> String {
    let tz: Tz = zone.parse().unwrap_or(chrono_tz::Europe::Moscow);
    let time = |t: DateTime<Utc>| t.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S").to_string();
    let mut out = String::from('\u{feff}');
    out.push_str(
        "order,created,site,widget,department,phone,name,status,reason,call_at,source,tags,calls,talk_seconds,history\r\n",
    );
    for r in rows {
        let talk: u32 = r
            .attempts
            .iter()
            .filter_map(|a| a.result.map(|x| x.bridged_secs()))
            .sum();
        let history: Vec<String> = r
            .attempts
            .iter()
            .map(|a| {
                let result = match a.result {
                    Some(AttemptResult::Success { bridged_secs, .. }) => {
                        format!("connected {bridged_secs} s")
                    }
                    Some(AttemptResult::Failed { cause, .. }) => {
                        cause.describe(Lang::En).to_string()
                    }
                    None => "in progress".into(),
                };
                format!("{} {} {}", a.n, time(a.started_at), result)
            })
            .collect();
        let cells = [
            r.order_id.clone(),
            time(r.created_at),
            r.site.clone(),
            r.widget.clone(),
            r.department.clone().unwrap_or_default(),
            r.phone.clone(),
            r.name.clone().unwrap_or_default(),
            r.status.as_str().to_string(),
            r.status_reason.clone().unwrap_or_default(),
            time(r.call_at),
            r.source.clone().unwrap_or_default(),
            r.tags.join("; "),
            r.attempts.len().to_string(),
            talk.to_string(),
            history.join(" | "),
        ];
        let line: Vec<String> = cells.iter().map(|c| field(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attempt::{AttemptKind, AttemptRecord, FailCause};
    use chrono::{NaiveDate, TimeZone};

    fn fact(
        day: u32,
        hour: u32,
        status: OrderState,
        source: Option<&str>,
        minutes: i64,
    ) -> OrderFact {
        OrderFact {
            // Moscow time (UTC+3).
            created_at: Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap()
                - Duration::hours(3),
            status,
            source: source.map(str::to_string),
            billed_minutes: minutes,
        }
    }

    #[test]
    fn the_report_counts_days_results_hours_weekdays_sources_and_minutes() {
        let facts = [
            fact(2, 10, OrderState::Success, Some("yandex"), 3),
            fact(2, 10, OrderState::Failed, Some("yandex"), 0),
            fact(2, 23, OrderState::Success, None, 1),
            fact(4, 9, OrderState::Cancelled, Some("google"), 0),
            fact(9, 9, OrderState::Success, Some("google"), 5), // outside the range
        ];
        let r = report(
            &facts,
            "Europe/Moscow",
            &ReportQuery {
                from: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
                to: NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(),
                tz: None,
            },
        );
        let days: Vec<(u32, u64, u64)> = r
            .days
            .iter()
            .map(|d| (d.date.day(), d.orders, d.successful))
            .collect();
        assert_eq!(
            days,
            [(1, 0, 0), (2, 3, 2), (3, 0, 0), (4, 1, 0), (5, 0, 0)]
        );
        assert_eq!(
            r.results,
            [
                (OrderState::Success, 2),
                (OrderState::Failed, 1),
                (OrderState::Cancelled, 1)
            ]
        );
        assert_eq!(r.by_hour[10], 2);
        assert_eq!(r.by_hour[23], 1);
        assert_eq!(r.by_hour[9], 1);
        assert_eq!(
            r.by_weekday,
            [3, 0, 1, 0, 0, 0, 0],
            "Monday 2nd, Wednesday 4th"
        );
        assert_eq!(r.by_source[0].source, "yandex");
        assert_eq!(r.by_source[0].conversion, 0.5);
        assert_eq!(
            r.by_source
                .iter()
                .find(|s| s.source == "(direct)")
                .unwrap()
                .successful,
            1
        );
        assert_eq!(r.minutes_spent, 4);
    }

    #[test]
    fn the_csv_quotes_what_needs_quoting_and_opens_in_excel() {
        let started = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        let row = JournalRow {
            order_id: "o1".into(),
            created_at: started,
            site: "okna.ru".into(),
            widget: "Main, \"new\"".into(),
            widget_id: Some(1),
            department: Some("Sales".into()),
            phone: "+79161234567".into(),
            extension: None,
            name: None,
            status: OrderState::Failed,
            status_reason: None,
            call_at: started,
            source: Some("yandex".into()),
            tags: vec!["site".into(), "working hours".into()],
            attempts: vec![AttemptRecord {
                n: 1,
                kind: AttemptKind::First,
                started_at: started,
                ended_at: None,
                operator: None,
                result: Some(AttemptResult::Failed {
                    cause: FailCause::ClientBusy,
                    bridged_secs: 0,
                    total_secs: 9,
                }),
                tags: vec![],
            }],
        };
        let csv = journal_csv(&[row], "Europe/Moscow");
        assert!(csv.starts_with('\u{feff}'));
        let line = csv.lines().nth(1).unwrap();
        assert_eq!(
            line,
            "o1,2026-03-02 12:00:00,okna.ru,\"Main, \"\"new\"\"\",Sales,'+79161234567,,failed,,2026-03-02 12:00:00,yandex,\"site; working hours\",1,0,1 2026-03-02 12:00:00 client busy"
        );
    }

    #[test]
    fn cells_a_spreadsheet_would_run_as_formulas_are_text() {
        for (cell, neutral) in [
            (
                "=HYPERLINK(\"http://evil\",\"x\")",
                "'=HYPERLINK(\"http://evil\",\"x\")",
            ),
            ("=1+2", "'=1+2"),
            ("+79161234567", "'+79161234567"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("Anna", "Anna"),
            ("a=1", "a=1"),
            (" =1", " =1"),
            ("'=1", "'=1"),
            ("", ""),
            ("89161234567", "89161234567"),
        ] {
            assert_eq!(neutralize(cell), neutral, "{cell:?}");
        }
    }

    #[test]
    fn a_formula_cell_is_neutralized_and_then_quoted() {
        assert_eq!(
            field("=HYPERLINK(\"http://evil\",\"x\")"),
            "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""
        );
        assert_eq!(field("\r=1"), "\"'\r=1\"");
        assert_eq!(field("-5"), "'-5");
        assert_eq!(field("plain"), "plain");
    }
}
