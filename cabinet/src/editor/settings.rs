//! The Settings tab (SPEC §6): name; the call-center and display schedules with the time-zone
//! picker (the display schedule beyond working hours is the off-hours collection); the
//! deferred-call offset; forwarding; connection mode; announcements; retries; the extra
//! attempt; tags. Every change is saved at once.

use super::grid::{WeekGridEditor, ZonePicker};
use super::Editor;
use crate::i18n::{lang, t};
use crate::ui::Problem;
use leptos::prelude::*;
use shared::announcements::{Announcement, Situation, VARIABLES};
use shared::connection::ConnectionMode;
use shared::forwarding::{ForwardingNumber, GroupMode};
use shared::retries::{ExtraAttempt, RetryPolicy};
use shared::schedule::{WeekGrid, WEEK};
use shared::widget::WidgetSettings;

/// Most numbers in a forwarding group.
const MAX_GROUP: usize = 10;

#[component]
pub fn SettingsTab() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let failure = editor.failure;
    view! {
        <fieldset class="cab-plain" disabled=move || editor.locked()>
            <label class="cab-field">
                <span>{move || t("Name", "Название")}</span>
                <input name="name" prop:value=move || editor.read(|s| s.name.clone()).unwrap_or_default()
                    on:change=move |e| { let v = event_target_value(&e); editor.change(|s| s.name = v) } />
                <Problem failure=failure path="name" />
            </label>
            <Schedules />
            <Forwarding />
            <Connection />
            <Announcements />
            <Retries />
            <Tags />
        </fieldset>
    }
}

#[component]
fn Schedules() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let failure = editor.failure;
    let call_center = Signal::derive(move || {
        editor
            .read(|s| s.call_center.hours)
            .unwrap_or(WeekGrid::EMPTY)
    });
    let zone = Signal::derive(move || {
        editor
            .read(|s| s.call_center.zone.clone())
            .unwrap_or_default()
    });
    let own_display = move || editor.read(|s| s.display.is_some()).unwrap_or(false);
    let display = Signal::derive(move || {
        editor
            .read(|s| s.display_schedule().hours)
            .unwrap_or(WeekGrid::EMPTY)
    });
    view! {
        <h2>{move || t("Call-center schedule", "Расписание колл-центра")}</h2>
        <p class="cab-muted">{move || t(
            "The hours your operators take calls. Click or drag across the cells; the day and hour buttons switch a whole row or column.",
            "Часы, когда операторы принимают звонки. Нажимайте или протягивайте по ячейкам; кнопки дня и часа переключают строку или столбец.",
        )}</p>
        <ZonePicker value=zone name="zone" on_change=Callback::new(move |z: String| editor.change(|s| {
            s.call_center.zone = z.clone();
            if let Some(d) = &mut s.display { d.zone = z; }
        })) />
        <Problem failure=failure path="call_center.zone" />
        <WeekGridEditor value=call_center name="call-center" on_change=Callback::new(move |g| editor.change(|s| s.call_center.hours = g)) />
        <Problem failure=failure path="call_center" />
        <h2>{move || t("Display schedule", "Расписание показа")}</h2>
        <label class="cab-check">
            <input type="checkbox" name="own_display" prop:checked=own_display
                on:change=move |e| {
                    let own = event_target_checked(&e);
                    editor.change(|s| s.display = own.then(|| s.call_center.clone()));
                } />
            {move || t(
                "Show the widget outside working hours too (orders taken then are called when the call center opens)",
                "Показывать виджет и в нерабочее время (такие заказы перезвонят, когда колл-центр откроется)",
            )}
        </label>
        <Show when=own_display>
            <WeekGridEditor value=display name="display" on_change=Callback::new(move |g| editor.change(|s| {
                if let Some(d) = &mut s.display { d.hours = g; }
            })) />
            <Problem failure=failure path="display" />
        </Show>
        <h3>{move || t("Deferred-call offset", "Отсрочка звонка")}</h3>
        <p class="cab-muted">{move || t(
            "Off-hours orders without a chosen time are called this many minutes after the call center opens, per weekday.",
            "Заказы в нерабочее время без выбранного времени звонятся через столько минут после открытия, по дням недели.",
        )}</p>
        <div class="cab-row cab-wrap">
            {WEEK.into_iter().enumerate().map(|(i, day)| view! {
                <label class="cab-small-field">
                    <span>{format!("{day}")}</span>
                    <input type="number" min="0" max="240" name=format!("deferred_{i}")
                        prop:value=move || editor.read(|s| s.deferred.0[i].to_string()).unwrap_or_default()
                        on:change=move |e| {
                            let v = event_target_value(&e).parse().unwrap_or(0);
                            editor.change(|s| s.deferred.0[i] = v);
                        } />
                </label>
            }).collect_view()}
        </div>
        <Problem failure=failure path="deferred" />
    }
}

#[component]
fn Forwarding() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let failure = editor.failure;
    let numbers = move || {
        editor
            .read(|s| s.forwarding.numbers.clone())
            .unwrap_or_default()
    };
    let mode = move || editor.read(|s| s.forwarding.mode).unwrap_or_default();
    view! {
        <h2>{move || t("Forwarding", "Переадресация")}</h2>
        <p class="cab-muted">{move || t(
            "The operators' numbers: one, or a group of up to 10 rung together or one after another. With departments on, each department's numbers are used instead.",
            "Номера операторов: один или группа до 10, которым звоним одновременно или по очереди. Если включены отделы, звоним на номера отдела.",
        )}</p>
        <ol class="cab-numbers" data-cab="numbers">
            {move || numbers().into_iter().enumerate().map(|(i, n)| {
                let path = format!("forwarding.numbers[{i}]");
                view! {
                    <li>
                        <input type="tel" name=format!("number_{i}") placeholder="+7 495 123-45-67" prop:value=n.number.clone()
                            on:change=move |e| { let v = event_target_value(&e); editor.change(|s| s.forwarding.numbers[i].number = v) } />
                        <Show when=move || mode() == GroupMode::Sequential>
                            <label class="cab-small-field">
                                <span>{move || t("rings, s", "гудки, с")}</span>
                                <input type="number" min="5" max="120" name=format!("ring_{i}")
                                    prop:value=n.ring_secs.map(|r| r.to_string()).unwrap_or_default()
                                    on:change=move |e| {
                                        let v = event_target_value(&e).parse().ok();
                                        editor.change(|s| s.forwarding.numbers[i].ring_secs = v);
                                    } />
                            </label>
                        </Show>
                        <button type="button" class="cab-secondary" aria-label=move || t("Remove this number", "Удалить номер")
                            on:click=move |_| editor.change(|s| { s.forwarding.numbers.remove(i); })>"✕"</button>
                        <Problem failure=failure path=path />
                    </li>
                }
            }).collect_view()}
        </ol>
        <Problem failure=failure path="forwarding" />
        <AddNumber />
        <Show when=move || { numbers().len() > 1 }>
            <fieldset class="cab-choice">
                <legend>{move || t("Ring the group", "Звонить группе")}</legend>
                <label><input type="radio" name="group_mode" prop:checked=move || mode() == GroupMode::Parallel
                    on:change=move |_| editor.change(|s| s.forwarding.mode = GroupMode::Parallel) />
                    {move || t("all at once", "одновременно")}</label>
                <label><input type="radio" name="group_mode" prop:checked=move || mode() == GroupMode::Sequential
                    on:change=move |_| editor.change(|s| s.forwarding.mode = GroupMode::Sequential) />
                    {move || t("one after another", "по очереди")}</label>
            </fieldset>
            <label class="cab-small-field">
                <span>{move || t("Each number rings, s", "Каждый номер звонит, с")}</span>
                <input type="number" min="5" max="120" name="ring_secs"
                    prop:value=move || editor.read(|s| s.forwarding.ring_secs.to_string()).unwrap_or_default()
                    on:change=move |e| { let v = event_target_value(&e).parse().unwrap_or(20); editor.change(|s| s.forwarding.ring_secs = v) } />
            </label>
        </Show>
    }
}

/// A new operator number, added when it is typed and confirmed.
#[component]
fn AddNumber() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let number = RwSignal::new(String::new());
    let full = move || {
        editor
            .read(|s| s.forwarding.numbers.len() >= MAX_GROUP)
            .unwrap_or(true)
    };
    let add = move || {
        let n = number.get_untracked().trim().to_string();
        if n.is_empty() {
            return;
        }
        number.set(String::new());
        editor.change(|s| {
            s.forwarding.numbers.push(ForwardingNumber {
                number: n,
                ring_secs: None,
            })
        });
    };
    view! {
        <div class="cab-row">
            <input type="tel" name="new_number" placeholder="+7 495 123-45-67" prop:value=move || number.get()
                on:input=move |e| number.set(event_target_value(&e))
                on:keydown=move |e: web_sys::KeyboardEvent| if e.key() == "Enter" { e.prevent_default(); add() } />
            <button type="button" class="cab-secondary" data-cab="add-number" disabled=full on:click=move |_| add()>
                {move || t("Add number", "Добавить номер")}
            </button>
        </div>
    }
}

#[component]
fn Connection() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let failure = editor.failure;
    let mode = move || editor.read(|s| s.connection);
    let key_press = move || matches!(mode(), Some(ConnectionMode::KeyPress { .. }));
    view! {
        <h2>{move || t("Connection", "Соединение")}</h2>
        <fieldset class="cab-choice">
            <label><input type="radio" name="connection" prop:checked=move || !key_press()
                on:change=move |_| editor.change(|s| s.connection = ConnectionMode::Auto { announce_secs: 5 }) />
                {move || t("Connect the client once the operator has heard the announcement", "Соединять с клиентом после объявления оператору")}</label>
            <label><input type="radio" name="connection" prop:checked=key_press
                on:change=move |_| editor.change(|s| s.connection = ConnectionMode::KeyPress { digit: 1, wait_secs: 10 }) />
                {move || t("Connect only when the operator presses a key", "Соединять, только когда оператор нажмёт клавишу")}</label>
        </fieldset>
        {move || match mode() {
            Some(ConnectionMode::Auto { announce_secs }) => view! {
                <label class="cab-small-field">
                    <span>{t("Announcement lasts, s", "Объявление длится, с")}</span>
                    <input type="number" min="0" max="60" name="announce_secs" prop:value=announce_secs.to_string()
                        on:change=move |e| { let v = event_target_value(&e).parse().unwrap_or(0); editor.change(|s| s.connection = ConnectionMode::Auto { announce_secs: v }) } />
                </label>
            }.into_any(),
            Some(ConnectionMode::KeyPress { digit, wait_secs }) => view! {
                <div class="cab-row">
                    <label class="cab-small-field">
                        <span>{t("Key", "Клавиша")}</span>
                        <input type="number" min="0" max="9" name="digit" prop:value=digit.to_string()
                            on:change=move |e| { let v = event_target_value(&e).parse().unwrap_or(1); editor.change(|s| s.connection = ConnectionMode::KeyPress { digit: v, wait_secs }) } />
                    </label>
                    <label class="cab-small-field">
                        <span>{t("Wait for it, s", "Ждать нажатия, с")}</span>
                        <input type="number" min="1" max="60" name="wait_secs" prop:value=wait_secs.to_string()
                            on:change=move |e| { let v = event_target_value(&e).parse().unwrap_or(10); editor.change(|s| s.connection = ConnectionMode::KeyPress { digit, wait_secs: v }) } />
                    </label>
                </div>
            }.into_any(),
            None => ().into_any(),
        }}
        <Problem failure=failure path="connection" />
    }
}

const SITUATIONS: [Situation; 6] = [
    Situation::Working,
    Situation::OffHours,
    Situation::KeyPressWorking,
    Situation::KeyPressOffHours,
    Situation::MissedCall,
    Situation::Retry,
];

fn situation_name(s: Situation) -> &'static str {
    match s {
        Situation::Working => t("Working hours", "В рабочее время"),
        Situation::OffHours => t("Ordered off-hours", "Заказ в нерабочее время"),
        Situation::KeyPressWorking => {
            t("Key press, working hours", "Нажатие клавиши, рабочее время")
        }
        Situation::KeyPressOffHours => t(
            "Key press, ordered off-hours",
            "Нажатие клавиши, заказ в нерабочее время",
        ),
        Situation::MissedCall => t("Missed call", "Пропущенный звонок"),
        Situation::Retry => t("Retry", "Повторный звонок"),
    }
}

#[component]
fn Announcements() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let failure = editor.failure;
    view! {
        <h2>{move || t("What the operator hears", "Что слышит оператор")}</h2>
        <p class="cab-muted">{move || format!("{} ${}$", t("Texts may use", "В текстах можно использовать"), VARIABLES.join("$, $"))}</p>
        {SITUATIONS.into_iter().map(|sit| {
            let current = move || editor.read(|s| s.announcements.custom.get(&sit).cloned()).flatten();
            let path = format!("announcements.custom.{}", serde_json::to_value(sit).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default());
            view! {
                <div class="cab-announcement">
                    <strong>{move || situation_name(sit)}</strong>
                    <select on:change=move |e| {
                        let v = event_target_value(&e);
                        editor.change(|s| match v.as_str() {
                            "text" => { s.announcements.custom.insert(sit, Announcement::Speech { text: sit.default_text(lang()).to_string() }); }
                            "audio" => { s.announcements.custom.insert(sit, Announcement::Audio { url: String::new() }); }
                            _ => { s.announcements.custom.remove(&sit); }
                        });
                    }>
                        <option value="default" selected=move || current().is_none()>{move || t("Default text", "Текст по умолчанию")}</option>
                        <option value="text" selected=move || matches!(current(), Some(Announcement::Speech { .. }))>{move || t("Own text", "Свой текст")}</option>
                        <option value="audio" selected=move || matches!(current(), Some(Announcement::Audio { .. }))>{move || t("Audio file URL", "Ссылка на аудиофайл")}</option>
                    </select>
                    {move || match current() {
                        None => view! { <p class="cab-muted">{sit.default_text(lang())}</p> }.into_any(),
                        Some(Announcement::Speech { text }) => view! {
                            <textarea rows="2" maxlength="500" prop:value=text
                                on:change=move |e| { let v = event_target_value(&e); editor.change(|s| { s.announcements.custom.insert(sit, Announcement::Speech { text: v }); }) }></textarea>
                        }.into_any(),
                        Some(Announcement::Audio { url }) => view! {
                            <input type="url" placeholder="https://…/announcement.mp3" prop:value=url
                                on:change=move |e| { let v = event_target_value(&e); editor.change(|s| { s.announcements.custom.insert(sit, Announcement::Audio { url: v }); }) } />
                        }.into_any(),
                    }}
                    <Problem failure=failure path=path />
                </div>
            }
        }).collect_view()}
    }
}

#[component]
fn Retries() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let failure = editor.failure;
    let policy = move || editor.read(|s| s.retries.clone()).flatten();
    let extra = move || editor.read(|s| s.extra_attempt).flatten();
    let kind = move || match policy() {
        None => "none",
        Some(RetryPolicy::Standard { .. }) => "standard",
        Some(RetryPolicy::Custom { .. }) => "custom",
    };
    view! {
        <h2>{move || t("Retries", "Повторные звонки")}</h2>
        <select name="retries" prop:value=kind on:change=move |e| {
            let v = event_target_value(&e);
            editor.change(|s| s.retries = match v.as_str() {
                "standard" => Some(RetryPolicy::Standard { retries: 3, pause_minutes: 5 }),
                "custom" => Some(RetryPolicy::Custom { intervals_minutes: vec![5, 15, 60] }),
                _ => None,
            });
        }>
            <option value="none">{move || t("No retries", "Без повторов")}</option>
            <option value="standard">{move || t("Standard: N retries, a pause apart", "Стандартно: N повторов через паузу")}</option>
            <option value="custom">{move || t("Custom intervals", "Свои интервалы")}</option>
        </select>
        {move || match policy() {
            Some(RetryPolicy::Standard { retries, pause_minutes }) => view! {
                <div class="cab-row">
                    <label class="cab-small-field"><span>{t("Retries", "Повторов")}</span>
                        <input type="number" min="1" max="10" name="retry_count" prop:value=retries.to_string()
                            on:change=move |e| { let v = event_target_value(&e).parse().unwrap_or(1); editor.change(|s| s.retries = Some(RetryPolicy::Standard { retries: v, pause_minutes })) } /></label>
                    <label class="cab-small-field"><span>{t("Pause, min", "Пауза, мин")}</span>
                        <input type="number" min="1" max="120" name="retry_pause" prop:value=pause_minutes.to_string()
                            on:change=move |e| { let v = event_target_value(&e).parse().unwrap_or(1); editor.change(|s| s.retries = Some(RetryPolicy::Standard { retries, pause_minutes: v })) } /></label>
                </div>
            }.into_any(),
            Some(RetryPolicy::Custom { intervals_minutes }) => view! {
                <label class="cab-field"><span>{t("Minutes after the previous attempt, comma-separated", "Минуты после предыдущей попытки, через запятую")}</span>
                    <input name="retry_intervals" prop:value={ intervals_minutes.iter().map(u16::to_string).collect::<Vec<_>>().join(", ") }
                        on:change=move |e| {
                            let v: Vec<u16> = event_target_value(&e).split(',').filter_map(|x| x.trim().parse().ok()).collect();
                            editor.change(|s| s.retries = Some(RetryPolicy::Custom { intervals_minutes: v }));
                        } /></label>
            }.into_any(),
            None => ().into_any(),
        }}
        <Problem failure=failure path="retries" />
        <label class="cab-check">
            <input type="checkbox" name="extra_attempt" prop:checked=move || extra().is_some()
                on:change=move |e| {
                    let on = event_target_checked(&e);
                    editor.change(|s| s.extra_attempt = on.then_some(ExtraAttempt { shorter_than_secs: 20, after_minutes: 10 }));
                } />
            {move || t("Call again when a successful call was very short", "Перезвонить, если успешный разговор был очень коротким")}
        </label>
        {move || extra().map(|x| view! {
            <div class="cab-row">
                <label class="cab-small-field"><span>{t("Shorter than, s", "Короче, с")}</span>
                    <input type="number" min="1" name="extra_shorter" prop:value=x.shorter_than_secs.to_string()
                        on:change=move |e| { let v = event_target_value(&e).parse().unwrap_or(20); editor.change(|s| s.extra_attempt = Some(ExtraAttempt { shorter_than_secs: v, ..x })) } /></label>
                <label class="cab-small-field"><span>{t("After, min", "Через, мин")}</span>
                    <input type="number" min="1" name="extra_after" prop:value=x.after_minutes.to_string()
                        on:change=move |e| { let v = event_target_value(&e).parse().unwrap_or(10); editor.change(|s| s.extra_attempt = Some(ExtraAttempt { after_minutes: v, ..x })) } /></label>
            </div>
        })}
        <Problem failure=failure path="extra_attempt" />
    }
}

#[component]
fn Tags() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let failure = editor.failure;
    view! {
        <h2>{move || t("Tags", "Теги")}</h2>
        <label class="cab-field">
            <span>{move || t("Added to every order of this widget, comma-separated", "Добавляются к каждому заказу виджета, через запятую")}</span>
            <input name="tags" prop:value=move || editor.read(|s: &WidgetSettings| s.tags.join(", ")).unwrap_or_default()
                on:change=move |e| {
                    let v: Vec<String> = event_target_value(&e).split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect();
                    editor.change(|s| s.tags = v);
                } />
            <Problem failure=failure path="tags" />
        </label>
    }
}
