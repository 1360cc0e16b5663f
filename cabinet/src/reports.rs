//! Reports (SPEC §6): "Reports with charts: orders and successful calls per day, results split,
//! activity by hour of day, conversion by traffic source; minutes spent."
//!
//! `GET /reports` with [`ReportQuery`] (the range in the browser's days and zone) answers a
//! [`Report`] the worker counted; this page only draws it, as inline SVG. The geometry (axes,
//! bars, ring segments) is in small plain functions with their tests at the end of the file.

use crate::api::{self, Failure};
use crate::i18n::{self, t};
use crate::journal::{browser_zone, query_string, state_label, today};
use crate::ui::{FailureBanner, Problem};
use chrono::{Duration, NaiveDate};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::cabinet_api::{DayCount, OrderState, Report, ReportQuery, SourceCount};
use shared::texts::Lang;
use std::f64::consts::TAU;

// ---------------------------------------------------------------------------------------------
// Geometry.

/// A bar's rectangle in its plot's coordinates (origin top left, y down).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Bar {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

/// The smallest "round" step (1, 2 or 5 × 10ⁿ) at least `raw`.
fn nice_step(raw: f64) -> u64 {
    let mut magnitude = 1u64;
    loop {
        for m in [1, 2, 5] {
            let step = m * magnitude;
            if step as f64 >= raw {
                return step;
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
}

/// A count axis that holds `max`: its round top and its ticks from 0, about five of them.
fn axis(max: u64) -> (u64, Vec<u64>) {
    let step = nice_step(max as f64 / 5.0).max(1);
    let top = max.div_ceil(step).max(1) * step;
    (top, (0..=top).step_by(step as usize).collect())
}

/// The height of `value` on a plot `height` high whose top is `top`, from the plot's top.
fn y_of(value: u64, top: u64, height: f64) -> f64 {
    height - height * (value as f64 / top.max(1) as f64).min(1.0)
}

/// Vertical bars for `values` side by side across `width`, standing on the bottom of a plot
/// `height` high whose top means `top`; each bar takes `fill` of its slot, centred.
fn bars(values: &[u64], top: u64, width: f64, height: f64, fill: f64) -> Vec<Bar> {
    if values.is_empty() {
        return Vec::new();
    }
    let slot = width / values.len() as f64;
    let w = slot * fill.clamp(0.0, 1.0);
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let y = y_of(v, top, height);
            Bar {
                x: i as f64 * slot + (slot - w) / 2.0,
                y,
                w,
                h: height - y,
            }
        })
        .collect()
}

/// Horizontal bars for shares (0–1) one under the other, each in a row `row` high (the bar
/// `fill` of it, centred), as long as its share of `width`.
fn hbars(shares: &[f64], width: f64, row: f64, fill: f64) -> Vec<Bar> {
    let h = row * fill.clamp(0.0, 1.0);
    shares
        .iter()
        .enumerate()
        .map(|(i, &s)| Bar {
            x: 0.0,
            y: i as f64 * row + (row - h) / 2.0,
            w: width * s.clamp(0.0, 1.0),
            h,
        })
        .collect()
}

/// Every how many-th of `n` labels to write so that labels `label` wide fit in `width`.
fn label_every(n: usize, width: f64, label: f64) -> usize {
    if n == 0 || width <= 0.0 {
        return 1;
    }
    ((n as f64 * label / width).ceil() as usize).max(1)
}

/// Where each value's segment of a ring starts and ends, as fractions of the circle, in order.
fn shares(values: &[u64]) -> Vec<(f64, f64)> {
    let total: u64 = values.iter().sum();
    if total == 0 {
        return vec![(0.0, 0.0); values.len()];
    }
    let mut sum = 0u64;
    values
        .iter()
        .map(|&v| {
            let start = sum as f64 / total as f64;
            sum += v;
            (start, sum as f64 / total as f64)
        })
        .collect()
}

/// The point at fraction `f` of a circle of radius `r` around (`cx`, `cy`), clockwise from 12.
fn on_circle(cx: f64, cy: f64, r: f64, f: f64) -> (f64, f64) {
    let a = f * TAU;
    (cx + r * a.sin(), cy - r * a.cos())
}

/// The SVG path of a ring's segment from fraction `a` to `b` of the circle (clockwise from 12
/// o'clock), between radii `inner` and `r`. Each edge is drawn as two arcs, so that a whole
/// ring (0 to 1) is a segment too.
fn ring_segment(cx: f64, cy: f64, r: f64, inner: f64, a: f64, b: f64) -> String {
    let m = (a + b) / 2.0;
    let p = |radius: f64, f: f64| {
        let (x, y) = on_circle(cx, cy, radius, f);
        format!("{x:.2} {y:.2}")
    };
    format!(
        "M{} A{r:.2} {r:.2} 0 0 1 {} A{r:.2} {r:.2} 0 0 1 {} L{} A{inner:.2} {inner:.2} 0 0 0 {} A{inner:.2} {inner:.2} 0 0 0 {}Z",
        p(r, a),
        p(r, m),
        p(r, b),
        p(inner, b),
        p(inner, m),
        p(inner, a),
    )
}

/// A share as a whole percentage.
fn percent(share: f64) -> String {
    format!("{:.0}%", (share * 100.0).clamp(0.0, 100.0))
}

/// `part` of `whole` as a share; 0 of nothing.
fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// `s` cut to `n` characters with an ellipsis.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// The last `n` days up to `today`, both included.
fn last_days(today: NaiveDate, n: i64) -> (NaiveDate, NaiveDate) {
    (today - Duration::days(n.max(1) - 1), today)
}

/// A number in chart coordinates.
fn num(x: f64) -> String {
    format!("{x:.1}")
}

// ---------------------------------------------------------------------------------------------
// Words and colors.

fn state_color(s: OrderState) -> &'static str {
    match s {
        OrderState::Success => "#1e9e5a",
        OrderState::Failed => "#d64545",
        OrderState::Cancelled => "#9aa3b2",
        OrderState::Calling => "#f0a020",
        OrderState::Scheduled => "#1a73e8",
    }
}

/// The order the results split lists states in: outcomes first.
fn state_rank(s: OrderState) -> u8 {
    match s {
        OrderState::Success => 0,
        OrderState::Failed => 1,
        OrderState::Cancelled => 2,
        OrderState::Calling => 3,
        OrderState::Scheduled => 4,
    }
}

fn weekday_names() -> [&'static str; 7] {
    [
        t("Mon", "Пн"),
        t("Tue", "Вт"),
        t("Wed", "Ср"),
        t("Thu", "Чт"),
        t("Fri", "Пт"),
        t("Sat", "Сб"),
        t("Sun", "Вс"),
    ]
}

fn day_label(d: NaiveDate) -> String {
    match i18n::lang() {
        Lang::Ru => d.format("%-d.%m").to_string(),
        Lang::En => d.format("%b %-d").to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// The page.

#[component]
pub fn ReportsPage() -> impl IntoView {
    let (first, last) = last_days(today(), 30);
    let from = RwSignal::new(first.format("%Y-%m-%d").to_string());
    let to = RwSignal::new(last.format("%Y-%m-%d").to_string());
    let zone = StoredValue::new(browser_zone());
    let report = RwSignal::new(None::<Report>);
    let failure = RwSignal::new(None::<Failure>);
    let loading = RwSignal::new(false);
    let generation = StoredValue::new(0u32);

    let load = move || {
        let date = |s: String| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok();
        let (Some(from), Some(to)) = (date(from.get_untracked()), date(to.get_untracked())) else {
            return;
        };
        let q = ReportQuery {
            from,
            to,
            tz: zone.get_value(),
        };
        let n = generation.get_value() + 1;
        generation.set_value(n);
        loading.set(true);
        spawn_local(async move {
            let answer = api::get::<Report>(&format!("/reports?{}", query_string(&q))).await;
            if generation.get_value() != n {
                return;
            }
            if let Some(r) = api::settle(failure, answer) {
                report.set(Some(r));
            }
            loading.set(false);
        });
    };
    load();

    let quick = move |days: i64| {
        let (a, b) = last_days(today(), days);
        from.set(a.format("%Y-%m-%d").to_string());
        to.set(b.format("%Y-%m-%d").to_string());
        load();
    };
    let is_quick = move |days: i64| {
        let (a, b) = last_days(today(), days);
        from.get() == a.format("%Y-%m-%d").to_string()
            && to.get() == b.format("%Y-%m-%d").to_string()
    };

    view! {
        <section class="cab-reports" data-cab="reports">
            <div class="cab-card">
                <div class="cab-pagehead">
                    <h1>{move || t("Reports", "Отчёты")}</h1>
                    {move || loading.get().then(|| view! { <span class="cab-spinner" aria-hidden="true"></span> })}
                </div>
                <form
                    class="cab-range"
                    data-cab="range"
                    on:submit=move |e: web_sys::SubmitEvent| {
                        e.prevent_default();
                        load();
                    }
                >
                    <label class="cab-field cab-filter">
                        <span>{move || t("From", "С")}</span>
                        <input
                            type="date"
                            name="from"
                            data-cab="range-from"
                            prop:value=move || from.get()
                            on:change=move |e| {
                                from.set(event_target_value(&e));
                                load();
                            }
                        />
                        <Problem failure=failure path="from" />
                    </label>
                    <label class="cab-field cab-filter">
                        <span>{move || t("To", "По")}</span>
                        <input
                            type="date"
                            name="to"
                            data-cab="range-to"
                            prop:value=move || to.get()
                            on:change=move |e| {
                                to.set(event_target_value(&e));
                                load();
                            }
                        />
                        <Problem failure=failure path="to" />
                    </label>
                    <div class="cab-quick" role="group" aria-label=move || t("Quick ranges", "Быстрый выбор")>
                        {[(7i64, "range-7"), (30, "range-30"), (90, "range-90")]
                            .into_iter()
                            .map(|(days, cab)| {
                                view! {
                                    <button
                                        type="button"
                                        class=move || if is_quick(days) { "cab-chip cab-chip-on" } else { "cab-chip" }
                                        aria-pressed=move || is_quick(days).to_string()
                                        data-cab=cab
                                        on:click=move |_| quick(days)
                                    >
                                        {move || format!("{days} {}", t("days", "дней"))}
                                    </button>
                                }
                            })
                            .collect_view()}
                    </div>
                </form>
                <FailureBanner failure=failure />
            </div>
            {move || {
                // Charts are drawn anew when the language changes, so every word in them is read here.
                let _ = i18n::lang();
                report.get().map(|r| view! { <ReportView report=r /> })
            }}
        </section>
    }
}

#[component]
fn ReportView(report: Report) -> impl IntoView {
    let orders: u64 = report.days.iter().map(|d| d.orders).sum();
    let successful: u64 = report.days.iter().map(|d| d.successful).sum();
    view! {
        <div class="cab-kpis" data-cab="kpis">
            <Kpi cab="kpi-orders" label=t("Orders", "Заявки") value=orders.to_string() />
            <Kpi cab="kpi-successful" label=t("Successful calls", "Успешные звонки") value=successful.to_string() />
            <Kpi cab="kpi-conversion" label=t("Conversion", "Конверсия") value=percent(share(successful, orders)) />
            <Kpi cab="kpi-minutes" label=t("Minutes spent", "Потрачено минут") value=report.minutes_spent.to_string() />
        </div>
        {(orders == 0).then(|| view! {
            <p class="cab-card cab-muted" data-cab="report-empty">
                {t("No orders in this period yet.", "За этот период заявок ещё нет.")}
            </p>
        })}
        <div class="cab-charts">
            <figure class="cab-card cab-chart cab-chart-wide" data-cab="chart-days">
                <figcaption>
                    <h2>{t("Orders and successful calls per day", "Заявки и успешные звонки по дням")}</h2>
                    <span class="cab-legend-inline">
                        <span class="cab-swatch cab-swatch-orders"></span>{t("orders", "заявки")}
                        <span class="cab-swatch cab-swatch-success"></span>{t("successful", "успешные")}
                    </span>
                </figcaption>
                <div class="cab-chart-scroll">{days_chart(&report.days)}</div>
            </figure>
            <figure class="cab-card cab-chart" data-cab="chart-results">
                <figcaption><h2>{t("Results", "Итоги заявок")}</h2></figcaption>
                {results_chart(&report.results)}
            </figure>
            <figure class="cab-card cab-chart" data-cab="chart-sources">
                <figcaption><h2>{t("Conversion by traffic source", "Конверсия по источникам трафика")}</h2></figcaption>
                {sources_chart(&report.by_source)}
            </figure>
            <figure class="cab-card cab-chart" data-cab="chart-hours">
                <figcaption><h2>{t("Activity by hour of day", "Активность по часам")}</h2></figcaption>
                {hours_chart(&report.by_hour)}
            </figure>
            <figure class="cab-card cab-chart" data-cab="chart-weekdays">
                <figcaption><h2>{t("Activity by weekday", "Активность по дням недели")}</h2></figcaption>
                {weekdays_chart(&report.by_weekday)}
            </figure>
        </div>
    }
}

#[component]
fn Kpi(cab: &'static str, label: &'static str, value: String) -> impl IntoView {
    view! {
        <div class="cab-card cab-kpi" data-cab=cab>
            <span class="cab-kpi-value">{value}</span>
            <span class="cab-muted">{label}</span>
        </div>
    }
}

/// A plot's frame: the whole chart's size and the margins for the axes' labels.
#[derive(Clone, Copy)]
struct Frame {
    width: f64,
    height: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

impl Frame {
    fn plot_w(&self) -> f64 {
        self.width - self.left - self.right
    }

    fn plot_h(&self) -> f64 {
        self.height - self.top - self.bottom
    }

    fn view_box(&self) -> String {
        format!("0 0 {} {}", self.width, self.height)
    }
}

/// The horizontal grid lines and the count labels on the left.
fn y_axis(f: Frame, top: u64, ticks: &[u64]) -> impl IntoView {
    ticks
        .iter()
        .map(|&v| {
            let y = f.top + y_of(v, top, f.plot_h());
            view! {
                <line class="cab-gridline" x1=num(f.left) x2=num(f.width - f.right) y1=num(y) y2=num(y) />
                <text class="cab-axis" x=num(f.left - 6.0) y=num(y + 4.0) text-anchor="end">{v.to_string()}</text>
            }
        })
        .collect_view()
}

/// Labels under the bars' slots, every `every`-th.
fn x_labels(f: Frame, labels: Vec<String>, every: usize) -> impl IntoView {
    let slot = f.plot_w() / labels.len().max(1) as f64;
    labels
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % every.max(1) == 0)
        .map(|(i, label)| {
            let x = f.left + slot * (i as f64 + 0.5);
            view! {
                <text class="cab-axis" x=num(x) y=num(f.height - 8.0) text-anchor="middle">{label}</text>
            }
        })
        .collect_view()
}

fn days_chart(days: &[DayCount]) -> impl IntoView {
    let f = Frame {
        width: 720.0,
        height: 260.0,
        left: 40.0,
        right: 12.0,
        top: 12.0,
        bottom: 28.0,
    };
    let orders: Vec<u64> = days.iter().map(|d| d.orders).collect();
    let successful: Vec<u64> = days.iter().map(|d| d.successful).collect();
    let (top, ticks) = axis(orders.iter().copied().max().unwrap_or(0));
    let outer = bars(&orders, top, f.plot_w(), f.plot_h(), 0.8);
    let inner = bars(&successful, top, f.plot_w(), f.plot_h(), 0.44);
    let every = label_every(days.len(), f.plot_w(), 52.0);
    let labels = days.iter().map(|d| day_label(d.date)).collect();
    let (orders_word, successful_word) = (t("orders", "заявок"), t("successful", "успешных"));
    view! {
        <svg
            class="cab-svg cab-svg-days"
            viewBox=f.view_box()
            role="img"
            aria-label=t("Orders and successful calls per day", "Заявки и успешные звонки по дням")
        >
            {y_axis(f, top, &ticks)}
            <g transform=format!("translate({},{})", f.left, f.top)>
                {days
                    .iter()
                    .zip(outer.into_iter().zip(inner))
                    .map(|(d, (o, s))| {
                        let tip = format!(
                            "{}: {} {orders_word}, {} {successful_word}",
                            day_label(d.date),
                            d.orders,
                            d.successful
                        );
                        view! {
                            <g class="cab-bar-group" data-date=d.date.to_string()>
                                <rect class="cab-bar-orders" x=num(o.x) y=num(o.y) width=num(o.w) height=num(o.h) rx="2" />
                                <rect class="cab-bar-success" x=num(s.x) y=num(s.y) width=num(s.w) height=num(s.h) rx="2" />
                                <title>{tip}</title>
                            </g>
                        }
                    })
                    .collect_view()}
            </g>
            <line class="cab-baseline" x1=num(f.left) x2=num(f.width - f.right) y1=num(f.top + f.plot_h()) y2=num(f.top + f.plot_h()) />
            {x_labels(f, labels, every)}
        </svg>
    }
}

/// A bar chart of counts (activity by hour or weekday), the busiest bars stressed.
fn count_chart(
    values: &[u64],
    labels: Vec<String>,
    tips: Vec<String>,
    label: &'static str,
) -> impl IntoView {
    let f = Frame {
        width: 480.0,
        height: 210.0,
        left: 34.0,
        right: 8.0,
        top: 10.0,
        bottom: 26.0,
    };
    let max = values.iter().copied().max().unwrap_or(0);
    let (top, ticks) = axis(max);
    let every = label_every(values.len(), f.plot_w(), 26.0);
    let shown = bars(values, top, f.plot_w(), f.plot_h(), 0.72);
    view! {
        <svg class="cab-svg" viewBox=f.view_box() role="img" aria-label=label>
            {y_axis(f, top, &ticks)}
            <g transform=format!("translate({},{})", f.left, f.top)>
                {shown
                    .into_iter()
                    .zip(values.iter().zip(tips))
                    .map(|(b, (&v, tip))| {
                        let class = if v == max && max > 0 { "cab-bar cab-bar-peak" } else { "cab-bar" };
                        view! {
                            <rect class=class x=num(b.x) y=num(b.y) width=num(b.w) height=num(b.h) rx="2">
                                <title>{tip}</title>
                            </rect>
                        }
                    })
                    .collect_view()}
            </g>
            <line class="cab-baseline" x1=num(f.left) x2=num(f.width - f.right) y1=num(f.top + f.plot_h()) y2=num(f.top + f.plot_h()) />
            {x_labels(f, labels, every)}
        </svg>
    }
}

fn hours_chart(by_hour: &[u64]) -> impl IntoView {
    let word = t("orders", "заявок");
    let labels = (0..by_hour.len()).map(|h| h.to_string()).collect();
    let tips = by_hour
        .iter()
        .enumerate()
        .map(|(h, v)| format!("{h:02}:00–{:02}:00: {v} {word}", (h + 1) % 24))
        .collect();
    let busiest = by_hour
        .iter()
        .enumerate()
        .filter(|(_, v)| **v > 0)
        .max_by_key(|(h, v)| (**v, std::cmp::Reverse(*h)))
        .map(|(h, _)| h);
    view! {
        {count_chart(by_hour, labels, tips, t("Orders by hour of day", "Заявки по часам суток"))}
        {busiest.map(|h| view! {
            <p class="cab-muted cab-small" data-cab="busiest-hour">
                {format!("{} {h:02}:00–{:02}:00", t("Busiest hour:", "Самый активный час:"), (h + 1) % 24)}
            </p>
        })}
    }
}

fn weekdays_chart(by_weekday: &[u64]) -> impl IntoView {
    let word = t("orders", "заявок");
    let names = weekday_names();
    let labels = (0..by_weekday.len())
        .map(|d| names.get(d).copied().unwrap_or_default().to_string())
        .collect();
    let tips = by_weekday
        .iter()
        .enumerate()
        .map(|(d, v)| format!("{}: {v} {word}", names.get(d).copied().unwrap_or_default()))
        .collect();
    count_chart(
        by_weekday,
        labels,
        tips,
        t("Orders by weekday", "Заявки по дням недели"),
    )
}

fn results_chart(results: &[(OrderState, u64)]) -> impl IntoView {
    let mut results = results.to_vec();
    results.sort_by_key(|(s, _)| state_rank(*s));
    let values: Vec<u64> = results.iter().map(|(_, n)| *n).collect();
    let total: u64 = values.iter().sum();
    let segments = shares(&values);
    let (cx, cy, r, inner) = (100.0, 100.0, 92.0, 58.0);
    view! {
        <div class="cab-donut-wrap">
            <svg class="cab-svg cab-donut" viewBox="0 0 200 200" role="img" aria-label=t("Results split", "Итоги заявок")>
                <circle cx="100" cy="100" r=num((r + inner) / 2.0) fill="none" class="cab-ring-empty" stroke-width=num(r - inner) />
                {results
                    .iter()
                    .zip(segments)
                    .filter(|(_, (a, b))| b > a)
                    .map(|(&(state, n), (a, b))| {
                        view! {
                            <path d=ring_segment(cx, cy, r, inner, a, b) fill=state_color(state) data-state=state.as_str()>
                                <title>{format!("{}: {n} ({})", state_label(state), percent(share(n, total)))}</title>
                            </path>
                        }
                    })
                    .collect_view()}
                <text class="cab-donut-total" x="100" y="104" text-anchor="middle">{total.to_string()}</text>
                <text class="cab-axis" x="100" y="124" text-anchor="middle">{t("orders", "заявок")}</text>
            </svg>
            <ul class="cab-legend">
                {results
                    .iter()
                    .map(|&(state, n)| {
                        view! {
                            <li data-state=state.as_str()>
                                <span class="cab-swatch" style=format!("background:{}", state_color(state))></span>
                                <span class="cab-legend-label">{state_label(state)}</span>
                                <strong>{n.to_string()}</strong>
                                <span class="cab-muted">{percent(share(n, total))}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

fn sources_chart(sources: &[SourceCount]) -> impl IntoView {
    if sources.is_empty() {
        return view! { <p class="cab-muted">{t("No orders yet.", "Заявок пока нет.")}</p> }
            .into_any();
    }
    let rows: Vec<&SourceCount> = sources.iter().take(10).collect();
    let (width, row, label_w, value_w) = (480.0, 34.0, 124.0, 104.0);
    let bar_w = width - label_w - value_w;
    let conversion: Vec<f64> = rows.iter().map(|s| s.conversion).collect();
    let shown = hbars(&conversion, bar_w, row, 0.56);
    let height = row * rows.len() as f64;
    let more = sources.len().saturating_sub(rows.len());
    view! {
        <svg
            class="cab-svg"
            viewBox=format!("0 0 {width} {height}")
            role="img"
            aria-label=t("Conversion by traffic source", "Конверсия по источникам трафика")
        >
            {rows
                .iter()
                .zip(shown)
                .enumerate()
                .map(|(i, (s, b))| {
                    view! {
                        <g transform=format!("translate(0,{})", i as f64 * row) data-source=s.source.clone()>
                            <text class="cab-axis-label" x=num(label_w - 8.0) y=num(row / 2.0 + 4.0) text-anchor="end">
                                {clip(&s.source, 16)}
                                <title>{s.source.clone()}</title>
                            </text>
                            <rect class="cab-track" x=num(label_w) y=num(b.y) width=num(bar_w) height=num(b.h) rx="3" />
                            <rect class="cab-bar-conv" x=num(label_w + b.x) y=num(b.y) width=num(b.w) height=num(b.h) rx="3" />
                            <text class="cab-axis-value" x=num(label_w + bar_w + 8.0) y=num(row / 2.0 + 4.0)>
                                <tspan class="cab-strong">{percent(s.conversion)}</tspan>
                                {format!(" · {}/{}", s.successful, s.orders)}
                            </text>
                        </g>
                    }
                })
                .collect_view()}
        </svg>
        <p class="cab-muted cab-small">
            {t("Share of orders whose call connected · successful/orders", "Доля заявок с состоявшимся разговором · успешные/все")}
            {(more > 0).then(|| format!("; {} {more}", t("other sources:", "других источников:")))}
        </p>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_a_round_number_with_about_five_ticks() {
        assert_eq!(axis(0), (1, vec![0, 1]));
        assert_eq!(axis(1), (1, vec![0, 1]));
        assert_eq!(axis(5), (5, vec![0, 1, 2, 3, 4, 5]));
        assert_eq!(axis(7), (8, vec![0, 2, 4, 6, 8]));
        assert_eq!(axis(43), (50, vec![0, 10, 20, 30, 40, 50]));
        assert_eq!(axis(100), (100, vec![0, 20, 40, 60, 80, 100]));
        assert_eq!(axis(1234), (1500, vec![0, 500, 1000, 1500]));
    }

    #[test]
    fn bars_share_the_width_and_stand_on_the_bottom() {
        let b = bars(&[0, 5, 10], 10, 300.0, 100.0, 0.8);
        assert_eq!(b.len(), 3);
        assert_eq!(
            b[0],
            Bar {
                x: 10.0,
                y: 100.0,
                w: 80.0,
                h: 0.0
            }
        );
        assert_eq!(
            b[1],
            Bar {
                x: 110.0,
                y: 50.0,
                w: 80.0,
                h: 50.0
            }
        );
        assert_eq!(
            b[2],
            Bar {
                x: 210.0,
                y: 0.0,
                w: 80.0,
                h: 100.0
            }
        );
        assert!(bars(&[], 10, 300.0, 100.0, 0.8).is_empty());
        // A value above the top is cut at the top; a zero top does not divide by zero.
        assert_eq!(bars(&[20], 10, 10.0, 100.0, 1.0)[0].h, 100.0);
        assert_eq!(bars(&[0], 0, 10.0, 100.0, 1.0)[0].h, 0.0);
    }

    #[test]
    fn horizontal_bars_are_as_long_as_their_share() {
        let b = hbars(&[0.5, 1.0, 1.5], 200.0, 30.0, 0.5);
        assert_eq!(
            b[0],
            Bar {
                x: 0.0,
                y: 7.5,
                w: 100.0,
                h: 15.0
            }
        );
        assert_eq!(b[1].y, 37.5);
        assert_eq!(b[1].w, 200.0);
        assert_eq!(b[2].w, 200.0, "a share above 1 is cut at the end");
    }

    #[test]
    fn labels_are_thinned_to_fit() {
        assert_eq!(label_every(7, 400.0, 30.0), 1);
        assert_eq!(label_every(30, 600.0, 50.0), 3);
        assert_eq!(label_every(365, 660.0, 52.0), 29);
        assert_eq!(label_every(0, 600.0, 50.0), 1);
    }

    #[test]
    fn ring_shares_follow_each_other_and_fill_the_circle() {
        assert_eq!(
            shares(&[1, 1, 2]),
            vec![(0.0, 0.25), (0.25, 0.5), (0.5, 1.0)]
        );
        assert_eq!(shares(&[0, 3]), vec![(0.0, 0.0), (0.0, 1.0)]);
        assert_eq!(shares(&[0, 0]), vec![(0.0, 0.0), (0.0, 0.0)]);
    }

    #[test]
    fn ring_segments_are_drawn_clockwise_from_twelve() {
        assert_eq!(
            ring_segment(50.0, 50.0, 40.0, 20.0, 0.0, 0.25),
            "M50.00 10.00 A40.00 40.00 0 0 1 78.28 21.72 A40.00 40.00 0 0 1 90.00 50.00 \
             L70.00 50.00 A20.00 20.00 0 0 0 64.14 35.86 A20.00 20.00 0 0 0 50.00 30.00Z"
        );
        // A whole ring goes round through the bottom and back.
        let whole = ring_segment(50.0, 50.0, 40.0, 20.0, 0.0, 1.0);
        assert!(
            whole.starts_with("M50.00 10.00 A40.00 40.00 0 0 1 50.00 90.00 "),
            "{whole}"
        );
    }

    #[test]
    fn numbers_for_people() {
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(1.0 / 3.0), "33%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(share(1, 4), 0.25);
        assert_eq!(share(1, 0), 0.0);
        assert_eq!(clip("yandex", 16), "yandex");
        assert_eq!(clip("a-very-long-source-name", 8), "a-very-…");
    }

    #[test]
    fn quick_ranges_end_today() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        assert_eq!(
            last_days(today, 7),
            (NaiveDate::from_ymd_opt(2026, 3, 4).unwrap(), today)
        );
        assert_eq!(
            last_days(today, 30),
            (NaiveDate::from_ymd_opt(2026, 2, 9).unwrap(), today)
        );
        assert_eq!(last_days(today, 0), (today, today));
    }

    #[test]
    fn values_fall_from_the_top_of_the_plot() {
        assert_eq!(y_of(0, 10, 200.0), 200.0);
        assert_eq!(y_of(5, 10, 200.0), 100.0);
        assert_eq!(y_of(10, 10, 200.0), 0.0);
    }
}
