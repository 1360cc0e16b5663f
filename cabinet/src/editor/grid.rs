//! The 7×24 schedule grid (SPEC §3 "per-hour cells, whole-day toggle, whole-hour toggle"): a
//! grid you click and drag across, with a toggle for each day and each hour. A drag paints
//! the state the first cell took; the change is handed over once the pointer lifts.

use crate::i18n::{lang, t};
use chrono::Weekday;
use leptos::prelude::*;
use shared::schedule::{weekday_short, WeekGrid, WEEK};

fn day_name(day: Weekday) -> &'static str {
    weekday_short(day, lang())
}

/// Whether every hour of `day` is on.
fn whole_day(grid: &WeekGrid, day: Weekday) -> bool {
    (0..24).all(|h| grid.get(day, h))
}

/// Whether hour `hour` is on every day.
fn whole_hour(grid: &WeekGrid, hour: u8) -> bool {
    WEEK.iter().all(|d| grid.get(*d, hour as u32))
}

/// A grid editor for `value`; `on_change` gets each finished change.
#[component]
pub fn WeekGridEditor(
    value: Signal<WeekGrid>,
    on_change: Callback<WeekGrid>,
    name: &'static str,
) -> impl IntoView {
    let working = RwSignal::new(value.get_untracked());
    Effect::new(move |_| working.set(value.get()));
    // While dragging: the state being painted.
    let paint = RwSignal::new(None::<bool>);
    let commit = move || {
        if paint.get_untracked().is_some() {
            paint.set(None);
            on_change.run(working.get_untracked());
        }
    };
    let cell = move |day: Weekday, hour: u8| {
        let on = move || working.with(|g| g.get(day, hour as u32));
        view! {
            <td>
                <button
                    type="button"
                    class="cab-cell"
                    class:cab-on=on
                    aria-pressed=move || on().to_string()
                    aria-label=move || format!("{} {:02}:00", day_name(day), hour)
                    data-day=day.num_days_from_monday()
                    data-hour=hour
                    on:pointerdown=move |e: web_sys::PointerEvent| {
                        if e.button() != 0 { return; }
                        e.prevent_default();
                        let to = !on();
                        paint.set(Some(to));
                        working.update(|g| g.set(day, hour, to));
                    }
                    on:pointerenter=move |_| {
                        if let Some(to) = paint.get_untracked() {
                            working.update(|g| g.set(day, hour, to));
                        }
                    }
                    on:click=move |e: web_sys::MouseEvent| {
                        // A click from the keyboard (no pointer): toggle this cell.
                        if e.detail() == 0 {
                            let to = !on();
                            working.update(|g| g.set(day, hour, to));
                            on_change.run(working.get_untracked());
                        }
                    }
                ></button>
            </td>
        }
    };
    view! {
        <div class="cab-grid-wrap">
            <table class="cab-grid" data-grid=name on:pointerup=move |_| commit() on:pointerleave=move |_| commit()>
                <thead>
                    <tr>
                        <th></th>
                        {(0u8..24).map(|h| view! {
                            <th>
                                <button type="button" class="cab-hour" data-hour-toggle=h
                                    title=move || t("Toggle this hour on every day", "Переключить этот час во все дни")
                                    on:click=move |_| {
                                        working.update(|g| { let to = !whole_hour(g, h); g.set_hour(h, to) });
                                        on_change.run(working.get_untracked());
                                    }>
                                    {format!("{h}")}
                                </button>
                            </th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {WEEK.into_iter().map(|day| view! {
                        <tr>
                            <th>
                                <button type="button" class="cab-day" data-day-toggle=day.num_days_from_monday()
                                    title=move || t("Toggle the whole day", "Переключить весь день")
                                    on:click=move |_| {
                                        working.update(|g| { let to = !whole_day(g, day); g.set_day(day, to) });
                                        on_change.run(working.get_untracked());
                                    }>
                                    {move || day_name(day)}
                                </button>
                            </th>
                            {(0u8..24).map(|h| cell(day, h)).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="cab-muted" data-cab=format!("{name}-words")>{move || working.with(|g| g.describe_in(lang()))}</p>
        </div>
    }
}

/// IANA zones offered by the picker: Russia's eleven, then the neighbours and a few far ones.
pub const ZONES: &[&str] = &[
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Kamchatka",
    "Europe/Minsk",
    "Europe/Kyiv",
    "Asia/Almaty",
    "Asia/Tashkent",
    "Asia/Tbilisi",
    "Asia/Yerevan",
    "Asia/Baku",
    "Europe/Istanbul",
    "Europe/Berlin",
    "Europe/London",
    "Asia/Dubai",
    "America/New_York",
    "UTC",
];

/// The time-zone picker.
#[component]
pub fn ZonePicker(
    value: Signal<String>,
    on_change: Callback<String>,
    name: &'static str,
) -> impl IntoView {
    view! {
        <label class="cab-field">
            <span>{move || t("Time zone", "Часовой пояс")}</span>
            <select name=name prop:value=move || value.get() on:change=move |e| on_change.run(event_target_value(&e))>
                {move || {
                    let current = value.get();
                    let mut zones: Vec<String> = ZONES.iter().map(|z| z.to_string()).collect();
                    if !zones.contains(&current) {
                        zones.insert(0, current.clone());
                    }
                    zones.into_iter().map(|z| {
                        let selected = z == current;
                        view! { <option value=z.clone() selected=selected>{z.clone()}</option> }
                    }).collect_view()
                }}
            </select>
        </label>
    }
}
