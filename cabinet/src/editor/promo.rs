//! The Form tab's auto-show and promo sections (SPEC §2.7, §3 "Auto-show"): when the form or
//! the invitation opens by itself, and a promo widget's period, extension, countdown and image.

use super::Editor;
use crate::i18n::t;
use crate::ui::Problem;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use shared::autoshow::{Opens, Scenario};
use shared::color::Color;
use shared::images::ImageUse;
use shared::promo::{ImageAlign, ImageShape, PromoImage, PromoTimer, TimerFormat, TimerStyle};

/// "2026-11-21T14:30" on the browser's clock, for a `datetime-local` field.
fn local_input(at: DateTime<Utc>) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        at.timestamp_millis() as f64
    ));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// The instant a `datetime-local` field names, on the browser's clock.
fn from_local_input(s: &str) -> Option<DateTime<Utc>> {
    let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(s)).get_time();
    (!ms.is_nan())
        .then(|| DateTime::from_timestamp_millis(ms as i64))
        .flatten()
}

#[component]
pub fn AutoShowFields() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let auto = move || editor.read(|s| s.auto_show).unwrap_or_default();
    let kind = move || match auto().scenario {
        Scenario::OncePerSession { .. } => "once",
        Scenario::Periodic { .. } => "periodic",
        Scenario::Disabled => "disabled",
        Scenario::Dynamic => "dynamic",
    };
    let secs = move || match auto().scenario {
        Scenario::OncePerSession { after_secs } => Some(after_secs),
        Scenario::Periodic { every_secs } => Some(every_secs),
        _ => None,
    };
    view! {
        <h3>{move || t("Opens by itself", "Открывается сама")}</h3>
        <label class="cab-field">
            <span>{move || t("When", "Когда")}</span>
            <select name="auto_show" prop:value=kind on:change=move |e| {
                let v = event_target_value(&e);
                let secs = secs().unwrap_or(30);
                editor.edit(|s| s.auto_show.scenario = match v.as_str() {
                    "once" => Scenario::OncePerSession { after_secs: secs },
                    "periodic" => Scenario::Periodic { every_secs: secs.max(60) },
                    "dynamic" => Scenario::Dynamic,
                    _ => Scenario::Disabled,
                });
            }>
                <option value="once">{move || t("Once per visit, after some seconds", "Один раз за визит, через несколько секунд")}</option>
                <option value="periodic">{move || t("Again and again, every so many seconds", "Снова и снова, каждые N секунд")}</option>
                <option value="dynamic">{move || t("At the moment visitors of this site usually order", "В момент, когда посетители сайта обычно заказывают")}</option>
                <option value="disabled">{move || t("Never", "Никогда")}</option>
            </select>
        </label>
        {move || secs().map(|n| view! {
            <label class="cab-small-field">
                <span>{t("seconds", "секунд")}</span>
                <input type="number" min="1" name="auto_show_secs" prop:value=n.to_string() on:change=move |e| {
                    let n: u16 = event_target_value(&e).parse().unwrap_or(30);
                    editor.edit(|s| match &mut s.auto_show.scenario {
                        Scenario::OncePerSession { after_secs } => *after_secs = n,
                        Scenario::Periodic { every_secs } => *every_secs = n,
                        _ => {}
                    });
                } />
            </label>
        })}
        <fieldset class="cab-choice">
            <legend>{move || t("What opens", "Что открывается")}</legend>
            <label><input type="radio" name="opens" prop:checked=move || auto().opens == Opens::Form
                on:change=move |_| editor.edit(|s| s.auto_show.opens = Opens::Form) />{move || t("the form", "форма")}</label>
            <label><input type="radio" name="opens" prop:checked=move || auto().opens == Opens::Invitation
                on:change=move |_| editor.edit(|s| s.auto_show.opens = Opens::Invitation) />{move || t("the invitation", "приглашение")}</label>
        </fieldset>
        <label class="cab-check">
            <input type="checkbox" name="exit_intent" prop:checked=move || auto().exit_intent
                on:change=move |e| { let on = event_target_checked(&e); editor.edit(|s| s.auto_show.exit_intent = on) } />
            {move || t("Also when the visitor is about to leave", "А также когда посетитель собирается уйти")}
        </label>
        <Problem failure=editor.failure path="auto_show" />
    }
}

const STYLES: [(TimerStyle, &str); 4] = [
    (TimerStyle::Text, "text"),
    (TimerStyle::Plate, "plate"),
    (TimerStyle::Classic, "classic"),
    (TimerStyle::Modern, "modern"),
];
const FORMATS: [(TimerFormat, &str); 4] = [
    (TimerFormat::D, "d"),
    (TimerFormat::DH, "dh"),
    (TimerFormat::DHM, "dhm"),
    (TimerFormat::DHMS, "dhms"),
];
const SHAPES: [(ImageShape, &str); 3] = [
    (ImageShape::Square, "square"),
    (ImageShape::Vertical, "vertical"),
    (ImageShape::Horizontal, "horizontal"),
];

/// A promo widget's period, automatic extension, countdown and image.
#[component]
pub fn PromoFields() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let promo = move || editor.read(|s| s.promo.clone()).flatten();
    let timer = move || promo().and_then(|p| p.timer);
    let image = move || promo().and_then(|p| p.image);
    let edit_promo = move |f: Box<dyn FnOnce(&mut shared::promo::Promo)>| {
        editor.edit(|s| {
            if let Some(p) = &mut s.promo {
                f(p)
            }
        })
    };
    let timer_color = move |e: web_sys::Event| {
        if let Ok(c) = event_target_value(&e).parse::<Color>() {
            edit_promo(Box::new(move |p| {
                if let Some(t) = &mut p.timer {
                    t.color = c
                }
            }))
        }
    };
    view! {
        <h3>{move || t("Promo", "Акция")}</h3>
        <div class="cab-row cab-wrap">
            <label class="cab-small-field"><span>{move || t("Starts", "Начало")}</span>
                <input type="datetime-local" name="promo_starts" prop:value=move || promo().map(|p| local_input(p.starts_at)).unwrap_or_default()
                    on:change=move |e| if let Some(at) = from_local_input(&event_target_value(&e)) { edit_promo(Box::new(move |p| p.starts_at = at)) } /></label>
            <label class="cab-small-field"><span>{move || t("Ends", "Окончание")}</span>
                <input type="datetime-local" name="promo_ends" prop:value=move || promo().map(|p| local_input(p.ends_at)).unwrap_or_default()
                    on:change=move |e| if let Some(at) = from_local_input(&event_target_value(&e)) { edit_promo(Box::new(move |p| p.ends_at = at)) } /></label>
        </div>
        <label class="cab-check">
            <input type="checkbox" name="auto_extend" prop:checked=move || promo().is_some_and(|p| p.auto_extend)
                on:change=move |e| { let on = event_target_checked(&e); edit_promo(Box::new(move |p| p.auto_extend = on)) } />
            {move || t("At the end, start the same period again", "По окончании начинать тот же период заново")}
        </label>
        <Problem failure=editor.failure path="promo" />
        <label class="cab-check">
            <input type="checkbox" name="promo_timer" prop:checked=move || timer().is_some()
                on:change=move |e| {
                    let on = event_target_checked(&e);
                    edit_promo(Box::new(move |p| p.timer = on.then(|| PromoTimer {
                        style: TimerStyle::Plate,
                        format: TimerFormat::DHMS,
                        show_zeros: true,
                        color: Color::rgb(0xd8, 0x1b, 0x60),
                        text_before: String::new(),
                    })));
                } />
            {move || t("Countdown to the end", "Обратный отсчёт до конца")}
        </label>
        {move || timer().map(|tm| view! {
            <div class="cab-row cab-wrap">
                <select name="timer_style" on:change=move |e| {
                    let v = event_target_value(&e);
                    if let Some((st, _)) = STYLES.iter().find(|(_, n)| *n == v) { let st = *st; edit_promo(Box::new(move |p| if let Some(t) = &mut p.timer { t.style = st })) }
                }>
                    {STYLES.iter().map(|(st, n)| view! { <option value=*n selected=*st == tm.style>{*n}</option> }).collect_view()}
                </select>
                <select name="timer_format" on:change=move |e| {
                    let v = event_target_value(&e);
                    if let Some((f, _)) = FORMATS.iter().find(|(_, n)| *n == v) { let f = *f; edit_promo(Box::new(move |p| if let Some(t) = &mut p.timer { t.format = f })) }
                }>
                    {FORMATS.iter().map(|(f, n)| view! { <option value=*n selected=*f == tm.format>{n.to_uppercase()}</option> }).collect_view()}
                </select>
                <label class="cab-check"><input type="checkbox" name="show_zeros" prop:checked=tm.show_zeros
                    on:change=move |e| { let on = event_target_checked(&e); edit_promo(Box::new(move |p| if let Some(t) = &mut p.timer { t.show_zeros = on })) } />
                    {t("show zeros", "показывать нули")}</label>
                <input type="color" aria-label=t("Timer color", "Цвет таймера") prop:value=tm.color.hex()
                    on:input=timer_color />
                <input name="text_before" maxlength="60" placeholder=t("Text before the timer", "Текст перед таймером") prop:value=tm.text_before.clone()
                    on:input=move |e| { let v = event_target_value(&e); edit_promo(Box::new(move |p| if let Some(t) = &mut p.timer { t.text_before = v })) } />
            </div>
        })}
        <super::look::ImageField label=|| t("Promo image (PNG, JPEG or GIF; at most 600 KB)", "Изображение акции (PNG, JPEG или GIF; не больше 600 КБ)")
            usage=ImageUse::Promo
            value=Signal::derive(move || image().map(|i| i.image))
            on_change=Callback::new(move |img: Option<shared::appearance::ImageRef>| edit_promo(Box::new(move |p| {
                p.image = img.map(|image| PromoImage {
                    shape: p.image.as_ref().map_or(ImageShape::Square, |i| i.shape),
                    align: p.image.as_ref().map_or(ImageAlign::Center, |i| i.align),
                    image,
                });
            }))) />
        {move || image().map(|img| view! {
            <div class="cab-row">
                <label class="cab-small-field"><span>{t("Shape", "Форма")}</span>
                    <select name="image_shape" on:change=move |e| {
                        let v = event_target_value(&e);
                        if let Some((sh, _)) = SHAPES.iter().find(|(_, n)| *n == v) { let sh = *sh; edit_promo(Box::new(move |p| if let Some(i) = &mut p.image { i.shape = sh })) }
                    }>
                        {SHAPES.iter().map(|(sh, n)| view! { <option value=*n selected=*sh == img.shape>{*n}</option> }).collect_view()}
                    </select></label>
            </div>
        })}
    }
}
