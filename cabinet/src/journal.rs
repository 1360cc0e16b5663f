//! The journal of orders and calls (SPEC §6): "filters (status, widget, tag, date, source),
//! chain view, manual re-scheduling, export (CSV/Excel)".
//!
//! The list is `GET /journal` with [`JournalQuery`] as its query string; a row opens the order's
//! chain (`GET /orders/{id}`: attempts, re-schedulings, notifications) in a side panel, where a
//! failed chain can be called again (`POST /orders/{id}/reschedule`; the worker decides, and a
//! refusal's reason is shown next to the form), and a webhook delivery can be sent again
//! (`POST /orders/{id}/webhooks/{delivery}/resend`: a new delivery, listed with how it went).
//! Dates are the browser's: the filters send its time zone, and times are shown on its clock.
//!
//! The small helpers for the browser's clock and for query strings are shared with the reports.

use crate::api::{self, Failure};
use crate::i18n::{self, t};
use crate::ui::FailureBanner;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Timelike, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;
use shared::attempt::{AttemptKind, AttemptRecord, AttemptResult};
use shared::cabinet_api::{
    JournalPage as Listing, JournalQuery, JournalRow, NotificationView, OrderDetail, OrderState,
    RescheduleRequest, RescheduleView, SiteView, WidgetCard,
};
use shared::conditions::DIRECT;
use shared::texts::Lang;
use wasm_bindgen::JsValue;

// ---------------------------------------------------------------------------------------------
// The browser's clock and query strings (also used by the reports).

/// Percent-encodes one query-string component (RFC 3986 unreserved characters stay as they are).
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The query string of a wire type (the fields it serializes, scalars only), as the worker's
/// `serde_urlencoded` reads it back.
pub(crate) fn query_string<T: Serialize>(value: &T) -> String {
    let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(value) else {
        return String::new();
    };
    fields
        .iter()
        .filter_map(|(k, v)| {
            let v = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some(format!("{}={}", encode(k), encode(&v)))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The browser's IANA time zone (e.g. `Europe/Moscow`), so that the worker's days are the
/// marketer's days.
pub(crate) fn browser_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &JsValue::from_str("timeZone"))
        .ok()?
        .as_string()
        .filter(|z| !z.is_empty())
}

/// The current instant, by the browser's clock.
pub(crate) fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// `t` on the browser's wall clock (its zone's offset at that instant, daylight saving included).
pub(crate) fn local(t: DateTime<Utc>) -> NaiveDateTime {
    let date = js_sys::Date::new(&JsValue::from_f64(t.timestamp_millis() as f64));
    // getTimezoneOffset() is UTC minus local time, in minutes.
    t.naive_utc() - Duration::minutes(date.get_timezone_offset() as i64)
}

/// Today on the browser's calendar.
pub(crate) fn today() -> NaiveDate {
    local(now()).date()
}

/// An instant for people: on the browser's clock, in the interface language's usual form.
pub(crate) fn show_time(t: DateTime<Utc>) -> String {
    let l = local(t);
    match i18n::lang() {
        Lang::Ru => l.format("%d.%m.%Y %H:%M").to_string(),
        Lang::En => l.format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// What an `<input type="datetime-local">` holds: `2026-03-02T14:30` (seconds optional).
fn parse_local_input(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .ok()
}

/// The value an `<input type="datetime-local">` shows for `n`.
fn to_local_input(n: NaiveDateTime) -> String {
    n.format("%Y-%m-%dT%H:%M").to_string()
}

/// The next whole hour after `n` (the form's first suggestion).
fn next_hour(n: NaiveDateTime) -> NaiveDateTime {
    let hour = n.date().and_hms_opt(n.hour(), 0, 0).unwrap_or(n);
    hour + Duration::hours(1)
}

/// The instant of a `datetime-local` value read on the browser's clock.
fn from_local_input(s: &str) -> Option<DateTime<Utc>> {
    let n = parse_local_input(s)?;
    let date = js_sys::Date::new_with_year_month_day_hr_min(
        n.year().max(0) as u32,
        n.month0() as i32,
        n.day() as i32,
        n.hour() as i32,
        n.minute() as i32,
    );
    let ms = date.get_time();
    if ms.is_nan() {
        return None;
    }
    DateTime::from_timestamp_millis(ms as i64)
}

/// Seconds as a clock: `0:07`, `12:05`, `1:02:03`.
pub(crate) fn clock(secs: u32) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

// ---------------------------------------------------------------------------------------------
// Words.

/// An order state in words.
pub(crate) fn state_label(s: OrderState) -> &'static str {
    match s {
        OrderState::Scheduled => t("Scheduled", "Запланирован"),
        OrderState::Calling => t("Calling", "Идёт обзвон"),
        OrderState::Success => t("Connected", "Успешно"),
        OrderState::Failed => t("Failed", "Не дозвонились"),
        OrderState::Cancelled => t("Cancelled", "Отменён"),
    }
}

const STATES: [OrderState; 5] = [
    OrderState::Scheduled,
    OrderState::Calling,
    OrderState::Success,
    OrderState::Failed,
    OrderState::Cancelled,
];

fn kind_label(k: AttemptKind) -> String {
    match k {
        AttemptKind::First => t("First call", "Первый звонок").into(),
        AttemptKind::Retry { n } => format!("{} {n}", t("Retry", "Повтор")),
        AttemptKind::Extra => t("Extra attempt", "Доп. попытка").into(),
        AttemptKind::Manual => t("Re-scheduled by hand", "Назначен вручную").into(),
        AttemptKind::Redial => t("Technical re-dial", "Технический перезвон").into(),
    }
}

fn result_label(r: Option<AttemptResult>) -> String {
    match r {
        None => t("in progress", "идёт").into(),
        Some(AttemptResult::Success { bridged_secs, .. }) => {
            format!("{} {}", t("connected", "соединены"), clock(bridged_secs))
        }
        Some(AttemptResult::Failed { cause, .. }) => cause.describe(i18n::lang()).into(),
    }
}

fn source_label(source: &Option<String>) -> String {
    source
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| DIRECT.to_string())
}

// ---------------------------------------------------------------------------------------------
// Filters.

/// The journal's query from the filter form's texts (empty or unreadable fields: no filter).
fn journal_query(
    from: &str,
    to: &str,
    status: &str,
    widget: &str,
    tag: &str,
    source: &str,
) -> JournalQuery {
    let date = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    JournalQuery {
        status: OrderState::parse(status),
        widget: widget.trim().parse().ok(),
        tag: text(tag),
        from: date(from),
        to: date(to),
        source: text(source),
        ..JournalQuery::default()
    }
}

/// The export's address: the same filters, every page.
fn csv_href(q: &JournalQuery) -> String {
    let q = JournalQuery {
        page: None,
        per_page: None,
        ..q.clone()
    };
    let qs = query_string(&q);
    if qs.is_empty() {
        "/api/cabinet/journal.csv".into()
    } else {
        format!("/api/cabinet/journal.csv?{qs}")
    }
}

/// "Orders 51–100 of 234" numbers: the first and last row shown and whether there are pages
/// before and after.
fn page_span(total: u64, page: u32, per_page: u32, rows: usize) -> (u64, u64, bool, bool) {
    let first = u64::from(page.saturating_sub(1)) * u64::from(per_page);
    let last = first + rows as u64;
    (
        if rows == 0 { first } else { first + 1 },
        last,
        page > 1,
        last < total,
    )
}

#[derive(Clone, Copy)]
struct Filters {
    from: RwSignal<String>,
    to: RwSignal<String>,
    status: RwSignal<String>,
    widget: RwSignal<String>,
    tag: RwSignal<String>,
    source: RwSignal<String>,
    per_page: RwSignal<u32>,
}

impl Filters {
    fn new() -> Self {
        Filters {
            from: RwSignal::new(String::new()),
            to: RwSignal::new(String::new()),
            status: RwSignal::new(String::new()),
            widget: RwSignal::new(String::new()),
            tag: RwSignal::new(String::new()),
            source: RwSignal::new(String::new()),
            per_page: RwSignal::new(JournalQuery::DEFAULT_PER_PAGE),
        }
    }

    fn clear(&self) {
        for s in [
            self.from,
            self.to,
            self.status,
            self.widget,
            self.tag,
            self.source,
        ] {
            s.set(String::new());
        }
    }

    fn query(&self, page: u32, tz: Option<String>) -> JournalQuery {
        JournalQuery {
            page: Some(page),
            per_page: Some(self.per_page.get_untracked()),
            tz,
            ..journal_query(
                &self.from.get_untracked(),
                &self.to.get_untracked(),
                &self.status.get_untracked(),
                &self.widget.get_untracked(),
                &self.tag.get_untracked(),
                &self.source.get_untracked(),
            )
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The page.

#[component]
pub fn JournalPage() -> impl IntoView {
    let filters = Filters::new();
    let zone = StoredValue::new(browser_zone());
    let applied = RwSignal::new(JournalQuery::default());
    let listing = RwSignal::new(None::<Listing>);
    let failure = RwSignal::new(None::<Failure>);
    let loading = RwSignal::new(false);
    let generation = StoredValue::new(0u32);
    let open = RwSignal::new(None::<String>);
    let widgets = RwSignal::new(Vec::<(i64, String)>::new());

    let load = Callback::new(move |page: u32| {
        let q = filters.query(page.max(1), zone.get_value());
        applied.set(q.clone());
        let n = generation.get_value() + 1;
        generation.set_value(n);
        loading.set(true);
        spawn_local(async move {
            let answer = api::get::<Listing>(&format!("/journal?{}", query_string(&q))).await;
            if generation.get_value() != n {
                return; // a newer request is on its way
            }
            if let Some(l) = api::settle(failure, answer) {
                listing.set(Some(l));
            }
            loading.set(false);
        });
    });
    load.run(1);

    spawn_local(async move {
        let Ok(sites) = api::get::<Vec<SiteView>>("/sites").await else {
            return;
        };
        let mut all = Vec::new();
        for s in sites {
            if let Ok(cards) =
                api::get::<Vec<WidgetCard>>(&format!("/sites/{}/widgets", s.id)).await
            {
                all.extend(
                    cards
                        .into_iter()
                        .map(|c| (c.id, format!("{} — {}", c.name, s.domain))),
                );
            }
        }
        widgets.set(all);
    });

    let close = Callback::new(move |()| open.set(None));
    let rows = move || listing.with(|l| l.as_ref().map(|l| l.rows.clone()).unwrap_or_default());

    view! {
        <section class="cab-card cab-journal" data-cab="journal">
            <div class="cab-pagehead">
                <h1>{move || t("Journal of orders and calls", "Журнал заявок и звонков")}</h1>
                <a
                    class="cab-secondary cab-btnlink"
                    data-cab="csv"
                    href=move || csv_href(&applied.get())
                    download="ringback-journal.csv"
                >
                    {move || t("Export CSV (Excel)", "Выгрузить CSV (Excel)")}
                </a>
            </div>
            <FilterForm filters=filters widgets=widgets load=load />
            <FailureBanner failure=failure />
            <Pager listing=listing loading=loading load=load />
            <div class="cab-tbl-wrap" data-cab="journal-table">
                <table class="cab-tbl">
                    <thead>
                        <tr>
                            <th>{move || t("Placed", "Поступила")}</th>
                            <th>{move || t("Client", "Клиент")}</th>
                            <th>{move || t("Widget", "Виджет")}</th>
                            <th>{move || t("Status", "Статус")}</th>
                            <th>{move || t("Calls", "Звонки")}</th>
                            <th>{move || t("Talk", "Разговор")}</th>
                            <th>{move || t("Source", "Источник")}</th>
                            <th>{move || t("Tags", "Теги")}</th>
                            <th>{move || t("Call at", "Звонок на")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=rows
                            key=|r: &JournalRow| {
                                (r.order_id.clone(), r.status, r.call_at, r.attempts.len())
                            }
                            children=move |r: JournalRow| view! { <Row row=r open=open /> }
                        />
                    </tbody>
                </table>
            </div>
            {move || {
                let empty = listing.with(|l| l.as_ref().is_some_and(|l| l.rows.is_empty()));
                (empty && !loading.get())
                    .then(|| {
                        view! {
                            <p class="cab-muted cab-empty" data-cab="journal-empty">
                                {move || t("No orders match these filters.", "Нет заявок с такими условиями.")}
                            </p>
                        }
                    })
            }}
            {move || {
                open.get()
                    .map(|id| view! { <OrderPanel order_id=id listing=listing on_close=close /> })
            }}
        </section>
    }
}

#[component]
fn FilterForm(
    filters: Filters,
    widgets: RwSignal<Vec<(i64, String)>>,
    load: Callback<u32>,
) -> impl IntoView {
    let apply = move || load.run(1);
    let text_input = move |label: fn() -> &'static str,
                           name: &'static str,
                           value: RwSignal<String>,
                           kind: &'static str,
                           list: &'static str| {
        view! {
            <label class="cab-field cab-filter">
                <span>{label}</span>
                <input
                    type=kind
                    name=name
                    list=list
                    prop:value=move || value.get()
                    on:input=move |e| value.set(event_target_value(&e))
                    on:change=move |_| apply()
                />
            </label>
        }
    };
    view! {
        <form
            class="cab-filters"
            data-cab="journal-filters"
            on:submit=move |e: web_sys::SubmitEvent| {
                e.prevent_default();
                apply();
            }
        >
            {text_input(|| t("From", "С"), "from", filters.from, "date", "")}
            {text_input(|| t("To", "По"), "to", filters.to, "date", "")}
            <label class="cab-field cab-filter">
                <span>{move || t("Status", "Статус")}</span>
                <select
                    name="status"
                    prop:value=move || filters.status.get()
                    on:change=move |e| {
                        filters.status.set(event_target_value(&e));
                        apply();
                    }
                >
                    <option value="">{move || t("Any", "Любой")}</option>
                    {STATES
                        .into_iter()
                        .map(|s| {
                            view! {
                                <option
                                    value=s.as_str()
                                    selected=move || filters.status.get() == s.as_str()
                                >
                                    {move || state_label(s)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="cab-field cab-filter">
                <span>{move || t("Widget", "Виджет")}</span>
                <select
                    name="widget"
                    prop:value=move || filters.widget.get()
                    on:change=move |e| {
                        filters.widget.set(event_target_value(&e));
                        apply();
                    }
                >
                    <option value="">{move || t("All widgets", "Все виджеты")}</option>
                    {move || {
                        widgets
                            .get()
                            .into_iter()
                            .map(|(id, name)| {
                                let value = id.to_string();
                                let selected = value.clone();
                                view! {
                                    <option
                                        value=value
                                        selected=move || filters.widget.get() == selected
                                    >
                                        {name}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            {text_input(|| t("Tag", "Тег"), "tag", filters.tag, "text", "cab-journal-tags")}
            {text_input(
                || t("Source (utm_source)", "Источник (utm_source)"),
                "source",
                filters.source,
                "text",
                "cab-journal-sources",
            )}
            <datalist id="cab-journal-tags">
                {[
                    shared::tags::WORKING_HOURS,
                    shared::tags::OFF_HOURS,
                    shared::tags::LAST_IN_CHAIN,
                    shared::tags::MISSED_CALL,
                    shared::tags::CALLED_BACK,
                ]
                    .into_iter()
                    .map(|tag| view! { <option value=tag></option> })
                    .collect_view()}
            </datalist>
            <datalist id="cab-journal-sources">
                <option value=DIRECT></option>
            </datalist>
            <label class="cab-field cab-filter cab-filter-narrow">
                <span>{move || t("Per page", "На странице")}</span>
                <select
                    name="per_page"
                    on:change=move |e| {
                        filters.per_page.set(event_target_value(&e).parse().unwrap_or(JournalQuery::DEFAULT_PER_PAGE));
                        apply();
                    }
                >
                    {[25u32, 50, 100, 200]
                        .into_iter()
                        .map(|n| {
                            view! {
                                <option value=n.to_string() selected=move || filters.per_page.get() == n>
                                    {n.to_string()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <div class="cab-filter-actions">
                <button type="submit" class="cab-primary" data-cab="apply">
                    {move || t("Show", "Показать")}
                </button>
                <button
                    type="button"
                    class="cab-secondary"
                    data-cab="reset"
                    on:click=move |_| {
                        filters.clear();
                        apply();
                    }
                >
                    {move || t("Reset", "Сбросить")}
                </button>
            </div>
        </form>
    }
}

#[component]
fn Pager(
    listing: RwSignal<Option<Listing>>,
    loading: RwSignal<bool>,
    load: Callback<u32>,
) -> impl IntoView {
    let span = move || {
        listing.with(|l| {
            l.as_ref().map(|l| {
                (
                    l.page,
                    page_span(l.total, l.page, l.per_page, l.rows.len()),
                    l.total,
                )
            })
        })
    };
    move || {
        let Some((page, (first, last, before, after), total)) = span() else {
            return view! {
                <p class="cab-muted" data-cab="journal-loading">{move || t("Loading…", "Загрузка…")}</p>
            }
            .into_any();
        };
        view! {
            <div class="cab-pager" data-cab="pager">
                <span class="cab-muted" data-cab="page-info">
                    {move || {
                        if total == 0 {
                            t("No orders", "Заявок нет").to_string()
                        } else {
                            format!("{} {first}–{last} {} {total}", t("Orders", "Заявки"), t("of", "из"))
                        }
                    }}
                    {move || loading.get().then(|| view! { <span class="cab-spinner" aria-hidden="true"></span> })}
                </span>
                <span class="cab-spacer"></span>
                <button
                    type="button"
                    class="cab-secondary"
                    data-cab="prev"
                    disabled=move || !before || loading.get()
                    on:click=move |_| load.run(page - 1)
                >
                    {move || t("← Previous", "← Назад")}
                </button>
                <button
                    type="button"
                    class="cab-secondary"
                    data-cab="next"
                    disabled=move || !after || loading.get()
                    on:click=move |_| load.run(page + 1)
                >
                    {move || t("Next →", "Дальше →")}
                </button>
            </div>
        }
        .into_any()
    }
}

/// An order's state as a colored badge.
#[component]
pub(crate) fn StateBadge(state: OrderState) -> impl IntoView {
    view! {
        <span class=format!("cab-state cab-state-{}", state.as_str()) data-state=state.as_str()>
            {move || state_label(state)}
        </span>
    }
}

/// The chain's calls as small marks: ✓ connected, ✕ failed, … under way.
fn attempt_marks(attempts: &[AttemptRecord]) -> impl IntoView {
    attempts
        .iter()
        .map(|a| {
            let (class, mark) = match a.result {
                None => ("cab-mark cab-mark-live", "…"),
                Some(r) if r.is_success() => ("cab-mark cab-mark-ok", "✓"),
                Some(_) => ("cab-mark cab-mark-fail", "✕"),
            };
            let (kind, result) = (a.kind, a.result);
            view! {
                <span class=class title=move || format!("{}: {}", kind_label(kind), result_label(result))>
                    {mark}
                </span>
            }
        })
        .collect_view()
}

fn tag_chips(tags: Vec<String>) -> impl IntoView {
    tags.into_iter()
        .map(|tag| view! { <span class="cab-tag">{tag}</span> })
        .collect_view()
}

#[component]
fn Row(row: JournalRow, open: RwSignal<Option<String>>) -> impl IntoView {
    let id = StoredValue::new(row.order_id.clone());
    let selected = move || open.with(|o| o.as_deref() == Some(id.get_value().as_str()));
    let talk: u32 = row
        .attempts
        .iter()
        .filter_map(|a| a.result.map(|r| r.bridged_secs()))
        .sum();
    let last = row.attempts.last().map(|a| a.result);
    let (created, call_at, state) = (row.created_at, row.call_at, row.status);
    let calls = row.attempts.len();
    view! {
        <tr
            class=move || if selected() { "cab-jrow cab-jrow-on" } else { "cab-jrow" }
            data-cab="journal-row"
            data-order=row.order_id.clone()
            data-state=state.as_str()
            on:click=move |_| open.set(Some(id.get_value()))
        >
            <td class="cab-nowrap">
                <button type="button" class="cab-linkish" data-cab="open-order">
                    {move || show_time(created)}
                </button>
            </td>
            <td class="cab-nowrap">
                <div class="cab-phone">
                    {row.phone.clone()}
                    {row.extension.clone().map(|e| view! { " " <span class="cab-muted" data-cab="extension">{move || format!("{} {e}", t("ext.", "доб."))}</span> })}
                </div>
                {row.name.clone().map(|n| view! { <small class="cab-muted">{n}</small> })}
            </td>
            <td>
                <div>{row.widget.clone()}</div>
                <small class="cab-muted">
                    {row.site.clone()}
                    {row.department.clone().map(|d| format!(" · {d}"))}
                </small>
            </td>
            <td>
                <StateBadge state=state />
                {row.status_reason.clone().map(|r| view! { <small class="cab-muted cab-block">{r}</small> })}
            </td>
            <td class="cab-calls">
                <span class="cab-marks">{attempt_marks(&row.attempts)}</span>
                {(calls > 0).then(|| view! { <small class="cab-muted cab-block" data-cab="cause">{move || last.map(result_label).unwrap_or_default()}</small> })}
            </td>
            <td class="cab-nowrap cab-num">{clock(talk)}</td>
            <td>{source_label(&row.source)}</td>
            <td class="cab-tags">{tag_chips(row.tags.clone())}</td>
            <td class="cab-nowrap">{move || show_time(call_at)}</td>
        </tr>
    }
}

// ---------------------------------------------------------------------------------------------
// One order's chain.

type Detail = Option<Result<OrderDetail, Failure>>;

#[component]
fn OrderPanel(
    order_id: String,
    listing: RwSignal<Option<Listing>>,
    on_close: Callback<()>,
) -> impl IntoView {
    let detail = RwSignal::new(None::<Result<OrderDetail, Failure>>);
    let resent = RwSignal::new(None::<Resent>);
    let path = format!("/orders/{}", encode(&order_id));
    let order_attr = order_id.clone();
    let body_order = StoredValue::new(order_id.clone());
    spawn_local(async move {
        detail.set(Some(api::get::<OrderDetail>(&path).await));
    });
    let close_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(b) = close_button.get() {
            let _ = b.focus();
        }
    });
    view! {
        <div class="cab-drawer-backdrop" on:click=move |_| on_close.run(())></div>
        <aside
            class="cab-drawer"
            role="dialog"
            aria-modal="true"
            data-cab="order-detail"
            data-order=order_attr
            on:keydown=move |e: web_sys::KeyboardEvent| {
                if e.key() == "Escape" {
                    on_close.run(());
                }
            }
        >
            <div class="cab-drawer-head">
                <h2>
                    {move || t("Order", "Заявка")} " "
                    {move || detail.with(|d| match d {
                        Some(Ok(d)) => d.order.phone.clone(),
                        _ => String::new(),
                    })}
                </h2>
                <button
                    type="button"
                    class="cab-secondary cab-close"
                    data-cab="close-order"
                    node_ref=close_button
                    aria-label=move || t("Close", "Закрыть")
                    on:click=move |_| on_close.run(())
                >
                    "×"
                </button>
            </div>
            {move || match detail.get() {
                None => view! { <p class="cab-muted">{move || t("Loading…", "Загрузка…")}</p> }.into_any(),
                Some(Err(f)) => view! { <div class="cab-failure" role="alert">{f.message}</div> }.into_any(),
                Some(Ok(d)) => order_body(d, body_order.get_value(), detail, resent).into_any(),
            }}
            <RescheduleForm order_id=order_id detail=detail listing=listing />
        </aside>
    }
}

fn order_body(
    d: OrderDetail,
    order_id: String,
    detail: RwSignal<Detail>,
    resent: RwSignal<Option<Resent>>,
) -> impl IntoView {
    let o = d.order;
    let (created, call_at, state) = (o.created_at, o.call_at, o.status);
    let calls = o.attempts.len();
    view! {
        <dl class="cab-facts">
            <dt>{move || t("Status", "Статус")}</dt>
            <dd>
                <StateBadge state=state />
                {o.status_reason.clone().map(|r| view! { " " <span class="cab-muted">{r}</span> })}
            </dd>
            <dt>{move || t("Client", "Клиент")}</dt>
            <dd>
                <span class="cab-phone">{o.phone.clone()}</span>
                {o.extension.clone().map(|e| view! { " " <span data-cab="extension">{move || format!("{} {e}", t("ext.", "доб."))}</span> })}
                {o.name.clone().map(|n| format!(" · {n}"))}
            </dd>
            <dt>{move || t("Site and widget", "Сайт и виджет")}</dt>
            <dd>
                {format!("{} · {}", o.site, o.widget)}
                {o.widget_id.is_none().then(|| view! { <small class="cab-muted">{move || t(" (deleted)", " (удалён)")}</small> })}
            </dd>
            {o.department.clone().map(|dep| view! {
                <dt>{move || t("Department", "Отдел")}</dt>
                <dd>{dep}</dd>
            })}
            <dt>{move || t("Placed", "Поступила")}</dt>
            <dd>{move || show_time(created)}</dd>
            <dt>{move || t("Call at", "Звонок на")}</dt>
            <dd>{move || show_time(call_at)}</dd>
            <dt>{move || t("Source", "Источник")}</dt>
            <dd>{source_label(&o.source)}</dd>
            <dt>{move || t("Tags", "Теги")}</dt>
            <dd class="cab-tags">{tag_chips(o.tags.clone())}</dd>
        </dl>
        <h3>{move || format!("{} ({calls})", t("Calls of the chain", "Звонки цепочки"))}</h3>
        {if o.attempts.is_empty() {
            view! { <p class="cab-muted">{move || t("No calls yet.", "Звонков ещё не было.")}</p> }.into_any()
        } else {
            view! {
                <div class="cab-tbl-wrap">
                    <table class="cab-tbl cab-tbl-compact" data-cab="attempts">
                        <thead>
                            <tr>
                                <th>"#"</th>
                                <th>{move || t("Call", "Звонок")}</th>
                                <th>{move || t("Started", "Начало")}</th>
                                <th>{move || t("Result", "Итог")}</th>
                                <th>{move || t("Talk", "Разговор")}</th>
                                <th>{move || t("Total", "Всего")}</th>
                                <th>{move || t("Operator", "Оператор")}</th>
                                <th>{move || t("Tags", "Теги")}</th>
                            </tr>
                        </thead>
                        <tbody>{o.attempts.into_iter().map(attempt_row).collect_view()}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }}
        <h3>{move || t("Re-schedulings", "Перепланирования")}</h3>
        {reschedules(d.reschedules)}
        <h3>{move || t("Notifications", "Уведомления")}</h3>
        {notifications(d.notifications, order_id, detail, resent)}
    }
}

fn attempt_row(a: AttemptRecord) -> impl IntoView {
    let (kind, result, started) = (a.kind, a.result, a.started_at);
    let ok = a.succeeded();
    let outcome = match result {
        None => "live",
        Some(_) if ok => "success",
        Some(_) => "failed",
    };
    let result_class = if ok { "cab-ok" } else { "" };
    view! {
        <tr data-cab="attempt-row" data-outcome=outcome>
            <td class="cab-num">{a.n}</td>
            <td class="cab-nowrap">{move || kind_label(kind)}</td>
            <td class="cab-nowrap">{move || show_time(started)}</td>
            <td class=result_class>{move || result_label(result)}</td>
            <td class="cab-num">{result.map(|r| clock(r.bridged_secs()))}</td>
            <td class="cab-num">{result.map(|r| clock(r.total_secs()))}</td>
            <td class="cab-nowrap">{a.operator.unwrap_or_default()}</td>
            <td class="cab-tags">{tag_chips(a.tags)}</td>
        </tr>
    }
}

fn reschedules(list: Vec<RescheduleView>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="cab-muted">{move || t("None.", "Не было.")}</p> }.into_any();
    }
    view! {
        <ul class="cab-plain-list" data-cab="reschedules">
            {list
                .into_iter()
                .map(|r| {
                    let (at, for_time) = (r.at, r.for_time);
                    view! {
                        <li data-cab="reschedule-row">
                            <strong>{move || format!("{} {}", t("For", "На"), show_time(for_time))}</strong>
                            <span class="cab-muted">
                                {move || format!(" — {} {}, {}", t("by", "назначил"), r.by, show_time(at))}
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// The outcome of the last "send again": which delivery was sent again, and the new delivery
/// or why the worker refused.
#[derive(Debug, Clone)]
struct Resent {
    from: String,
    result: Result<NotificationView, String>,
}

/// How a "send again" went, in one sentence.
fn resent_label(r: &Result<NotificationView, String>) -> (String, bool) {
    match r {
        Ok(n) if n.status == "sent" => (t("Sent again.", "Отправлено повторно.").to_string(), true),
        Ok(n) => (
            format!(
                "{} {}",
                t("Sending again failed:", "Повторная отправка не удалась:"),
                n.error.clone().unwrap_or_default()
            ),
            false,
        ),
        Err(m) => (m.clone(), false),
    }
}

/// "Send again" beside a webhook delivery: posts its event again as a new delivery, adds that
/// to the list and says how it went.
#[component]
fn SendAgain(
    order_id: String,
    delivery: String,
    detail: RwSignal<Detail>,
    resent: RwSignal<Option<Resent>>,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let path = StoredValue::new(format!(
        "/orders/{}/webhooks/{}/resend",
        encode(&order_id),
        encode(&delivery)
    ));
    let from = StoredValue::new(delivery);
    let click = move |_| {
        busy.set(true);
        spawn_local(async move {
            let result =
                api::post::<_, NotificationView>(&path.get_value(), &serde_json::json!({}))
                    .await
                    .map_err(|f| f.summary());
            if let Ok(n) = &result {
                detail.update(|d| {
                    if let Some(Ok(d)) = d {
                        d.notifications.push(n.clone());
                    }
                });
            }
            resent.set(Some(Resent {
                from: from.get_value(),
                result,
            }));
            busy.set(false);
        });
    };
    view! {
        <button
            type="button"
            class="cab-secondary cab-small"
            data-cab="send-again"
            disabled=move || busy.get()
            on:click=click
        >
            {move || if busy.get() { t("Sending…", "Отправляем…") } else { t("Send again", "Отправить снова") }}
        </button>
        {move || resent.get().filter(|r| r.from == from.get_value()).map(|r| {
            let (text, ok) = resent_label(&r.result);
            let (class, role) = if ok { ("cab-ok", "status") } else { ("cab-problem", "alert") };
            view! { <span class=class role=role data-cab="send-again-result">" " {text}</span> }
        })}
    }
}

fn notifications(
    list: Vec<NotificationView>,
    order_id: String,
    detail: RwSignal<Detail>,
    resent: RwSignal<Option<Resent>>,
) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="cab-muted">{move || t("Nothing was sent.", "Ничего не отправлялось.")}</p> }
            .into_any();
    }
    view! {
        <ul class="cab-plain-list" data-cab="notifications">
            {list
                .into_iter()
                .map(|n| {
                    let created = n.created_at;
                    let again = (n.channel == "webhook").then(|| view! {
                        <SendAgain order_id=order_id.clone() delivery=n.id.clone() detail=detail resent=resent />
                    });
                    let tries = (n.tries > 1).then(|| format!(
                        " · {} {}",
                        n.tries,
                        t("tries", "попыток")
                    ));
                    let next_try = n.next_try_at.map(|at| view! {
                        <small class="cab-muted cab-block">
                            {move || format!("{} {}", t("Next try", "Следующая попытка"), show_time(at))}
                        </small>
                    });
                    let status_class = match n.status.as_str() {
                        "sent" => "cab-ok",
                        "failed" => "cab-problem",
                        _ => "cab-muted",
                    };
                    view! {
                        <li data-cab="notification-row" data-channel=n.channel.clone() data-delivery=n.id.clone()>
                            <details>
                                <summary>
                                    <span class="cab-tag">{n.channel.clone()}</span> " "
                                    <strong>{n.subject.clone()}</strong> " "
                                    <span class=status_class>{n.status.clone()}</span>
                                    <small class="cab-muted cab-block">
                                        {move || show_time(created)} " → " {n.recipients.clone()}
                                        {tries}
                                    </small>
                                    {next_try}
                                </summary>
                                {n.error.clone().map(|e| view! { <p class="cab-problem">{e}</p> })}
                                <pre class="cab-pre">{n.body.clone()}</pre>
                            </details>
                            {again}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// Replaces the journal's row of `order` (after a re-scheduling) without reloading the page.
fn replace_row(listing: RwSignal<Option<Listing>>, order: &JournalRow) {
    listing.update(|l| {
        if let Some(l) = l {
            for r in l.rows.iter_mut().filter(|r| r.order_id == order.order_id) {
                *r = order.clone();
            }
        }
    });
}

#[component]
fn RescheduleForm(
    order_id: String,
    detail: RwSignal<Detail>,
    listing: RwSignal<Option<Listing>>,
) -> impl IntoView {
    let at = RwSignal::new(to_local_input(next_hour(local(now()))));
    let refusal = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<DateTime<Utc>>);
    let busy = RwSignal::new(false);
    let path = StoredValue::new(format!("/orders/{}/reschedule", encode(&order_id)));
    let submit = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        let Some(when) = from_local_input(&at.get_untracked()) else {
            refusal.set(Some(
                t(
                    "Choose the day and time of the call.",
                    "Выберите день и время звонка.",
                )
                .into(),
            ));
            return;
        };
        busy.set(true);
        refusal.set(None);
        done.set(None);
        spawn_local(async move {
            let body = RescheduleRequest { at: when };
            match api::post::<_, OrderDetail>(&path.get_value(), &body).await {
                Ok(d) => {
                    replace_row(listing, &d.order);
                    detail.set(Some(Ok(d)));
                    done.set(Some(when));
                }
                Err(f) => refusal.set(Some(f.summary())),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="cab-reschedule" data-cab="reschedule-form" on:submit=submit novalidate>
            <h3>{move || t("Call again", "Перезвонить ещё раз")}</h3>
            <p class="cab-muted cab-small">
                {move || t(
                    "A failed chain can be called again at a time inside the call center's working hours. Time is on your computer's clock.",
                    "Неудавшуюся цепочку можно назначить снова на время в рабочие часы колл-центра. Время — по часам вашего компьютера.",
                )}
            </p>
            <div class="cab-formline">
                <label class="cab-field">
                    <span>{move || t("Day and time", "День и время")}</span>
                    <input
                        type="datetime-local"
                        name="at"
                        data-cab="reschedule-at"
                        prop:value=move || at.get()
                        on:input=move |e| at.set(event_target_value(&e))
                        aria-invalid=move || refusal.with(|r| r.is_some()).to_string()
                    />
                </label>
                <button type="submit" class="cab-primary" data-cab="reschedule" disabled=move || busy.get()>
                    {move || if busy.get() { t("Scheduling…", "Назначаем…") } else { t("Schedule the call", "Назначить звонок") }}
                </button>
            </div>
            {move || refusal.get().map(|r| view! {
                <p class="cab-problem" role="alert" data-cab="reschedule-refusal">{r}</p>
            })}
            {move || done.get().map(|when| view! {
                <p class="cab-ok" role="status" data-cab="reschedule-done">
                    {move || format!("{} {}", t("The call is scheduled for", "Звонок назначен на"), show_time(when))}
                </p>
            })}
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_components_are_percent_encoded() {
        assert_eq!(encode("abc-_.~09"), "abc-_.~09");
        assert_eq!(encode("(direct)"), "%28direct%29");
        assert_eq!(encode("a b&c=d"), "a%20b%26c%3Dd");
        assert_eq!(encode("Europe/Moscow"), "Europe%2FMoscow");
        assert_eq!(encode("ё"), "%D1%91");
    }

    #[test]
    fn the_query_string_holds_only_the_filters_set() {
        assert_eq!(query_string(&JournalQuery::default()), "");
        let q = JournalQuery {
            status: Some(OrderState::Failed),
            widget: Some(7),
            from: NaiveDate::from_ymd_opt(2026, 3, 1),
            source: Some("(direct)".into()),
            page: Some(2),
            tz: Some("Europe/Moscow".into()),
            ..JournalQuery::default()
        };
        assert_eq!(
            query_string(&q),
            "from=2026-03-01&page=2&source=%28direct%29&status=failed&tz=Europe%2FMoscow&widget=7"
        );
    }

    #[test]
    fn the_filter_form_becomes_a_query() {
        let q = journal_query("2026-03-01", "", "cancelled", "12", " last in chain ", "");
        assert_eq!(q.from, NaiveDate::from_ymd_opt(2026, 3, 1));
        assert_eq!(q.to, None);
        assert_eq!(q.status, Some(OrderState::Cancelled));
        assert_eq!(q.widget, Some(12));
        assert_eq!(q.tag.as_deref(), Some("last in chain"));
        assert_eq!(q.source, None);
        assert_eq!(
            journal_query("x", "", "", "", "", ""),
            JournalQuery::default()
        );
    }

    #[test]
    fn the_export_keeps_the_filters_and_drops_the_paging() {
        let q = JournalQuery {
            status: Some(OrderState::Success),
            page: Some(3),
            per_page: Some(100),
            ..JournalQuery::default()
        };
        assert_eq!(csv_href(&q), "/api/cabinet/journal.csv?status=success");
        assert_eq!(
            csv_href(&JournalQuery::default()),
            "/api/cabinet/journal.csv"
        );
    }

    #[test]
    fn pages_say_which_rows_they_show() {
        assert_eq!(page_span(234, 1, 50, 50), (1, 50, false, true));
        assert_eq!(page_span(234, 2, 50, 50), (51, 100, true, true));
        assert_eq!(page_span(234, 5, 50, 34), (201, 234, true, false));
        assert_eq!(page_span(0, 1, 50, 0), (0, 0, false, false));
    }

    #[test]
    fn durations_read_as_a_clock() {
        assert_eq!(clock(0), "0:00");
        assert_eq!(clock(7), "0:07");
        assert_eq!(clock(725), "12:05");
        assert_eq!(clock(3723), "1:02:03");
    }

    #[test]
    fn datetime_local_values_are_read_and_written() {
        let n = parse_local_input("2026-03-02T14:30").unwrap();
        assert_eq!(to_local_input(n), "2026-03-02T14:30");
        assert_eq!(
            parse_local_input("2026-03-02T14:30:15").map(to_local_input),
            Some("2026-03-02T14:30".into())
        );
        assert_eq!(parse_local_input(""), None);
        assert_eq!(to_local_input(next_hour(n)), "2026-03-02T15:00");
        let late = parse_local_input("2026-03-02T23:10").unwrap();
        assert_eq!(to_local_input(next_hour(late)), "2026-03-03T00:00");
    }
}
