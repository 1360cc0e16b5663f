//! The Button and Form tabs (SPEC §6): each variant's look (working hours, off-hours), edited
//! beside a live preview made of the real widget components (`ringback_widget::Preview`),
//! switchable between desktop and mobile, working and off-hours, and each element. Saved with
//! the Save button; leaving with unsaved changes asks first.

use super::Editor;
use crate::i18n::{lang, t};
use crate::ui::{Problem, SaveNote};
use leptos::prelude::*;
use ringback_widget::{Preview, Screen};
use shared::appearance::{FormPosition, FormStyle, Illustration, ImageRef, Look};
use shared::button::ButtonPosition;
use shared::color::Color;
use shared::device::Layout;
use shared::images::{self, ImageUse};
use shared::schedule::WidgetMode;
use shared::texts::{Lang, TextKey};
use shared::widget::{WidgetKind, WidgetSettings};

/// What the preview shows and which variant the fields edit.
#[derive(Debug, Clone, Copy)]
struct View {
    mode: RwSignal<WidgetMode>,
    layout: RwSignal<Layout>,
    screen: RwSignal<Screen>,
}

impl View {
    fn new(screen: Screen) -> View {
        View {
            mode: RwSignal::new(WidgetMode::Working),
            layout: RwSignal::new(Layout::Desktop),
            screen: RwSignal::new(screen),
        }
    }

    /// The variant being edited.
    fn look(self, s: &WidgetSettings) -> &Look {
        match self.mode.get() {
            WidgetMode::OffHours => &s.appearance.off_hours,
            _ => &s.appearance.working,
        }
    }

    fn look_mut(self, s: &mut WidgetSettings) -> &mut Look {
        match self.mode.get_untracked() {
            WidgetMode::OffHours => &mut s.appearance.off_hours,
            _ => &mut s.appearance.working,
        }
    }

    /// The settings path of the variant being edited.
    fn path(self, rest: &str) -> String {
        let variant = match self.mode.get() {
            WidgetMode::OffHours => "off_hours",
            _ => "working",
        };
        format!("appearance.{variant}.{rest}")
    }
}

/// The widget's language in the preview: the widget's setting, else the cabinet's.
fn preview_lang(s: &WidgetSettings) -> Lang {
    s.appearance.lang.resolve(lang().tag())
}

/// A look tab's frame: the variant switch, the tab's fields, the Save bar, and the preview
/// opened at `screen`.
#[component]
fn LookTab(screen: Screen, children: ChildrenFn) -> impl IntoView {
    let editor = expect_context::<Editor>();
    provide_context(View::new(screen));
    view! {
        <div class="cab-look">
            <fieldset class="cab-plain cab-look-fields" disabled=move || editor.locked()>
                <Variant />
                {children()}
                <SaveBar />
            </fieldset>
            <LivePreview />
        </div>
    }
}

#[component]
pub fn ButtonTab() -> impl IntoView {
    view! { <LookTab screen=Screen::Closed><ButtonFields /></LookTab> }
}

#[component]
pub fn FormTab() -> impl IntoView {
    view! { <LookTab screen=Screen::Form><FormFields /></LookTab> }
}

/// The button of the variant, and its size and position on phones.
#[component]
fn ButtonFields() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let v = expect_context::<View>();
    let button = move || editor.read(|s| v.look(s).button.clone());
    let failure = editor.failure;
    view! {
        <label class="cab-field">
            <span>{move || t("Position", "Положение")}</span>
            <select name="button_position" on:change=move |e| {
                let p = position_from(&event_target_value(&e));
                editor.edit(|s| v.look_mut(s).button.position = p);
            }>
                {POSITIONS.iter().map(|(p, slug)| { let p = *p; view! {
                    <option value=*slug selected=move || button().is_some_and(|b| b.position == p)>{move || position_name(p)}</option>
                } }).collect_view()}
            </select>
        </label>
        <ColorField label=|| t("Button color", "Цвет кнопки") name="button_color"
            value=Signal::derive(move || button().map(|b| b.color).unwrap_or(BLACK))
            on_change=Callback::new(move |c| editor.edit(|s| v.look_mut(s).button.color = c)) />
        <ColorField label=|| t("Icon color", "Цвет значка") name="icon_color"
            value=Signal::derive(move || button().map(|b| b.icon_color).unwrap_or(BLACK))
            on_change=Callback::new(move |c| editor.edit(|s| v.look_mut(s).button.icon_color = c)) />
        <label class="cab-field">
            <span>{move || format!("{} {} px", t("Size", "Размер"), button().map(|b| b.size).unwrap_or_default())}</span>
            <input type="range" name="button_size" min="40" max="96" prop:value=move || button().map(|b| b.size.to_string()).unwrap_or_default()
                on:input=move |e| { let n = event_target_value(&e).parse().unwrap_or(60); editor.edit(|s| v.look_mut(s).button.size = n) } />
            <Problem failure=failure path=Signal::derive(move || v.path("button.size")) />
        </label>
        <label class="cab-check">
            <input type="checkbox" name="pulse" prop:checked=move || button().is_some_and(|b| b.pulse)
                on:change=move |e| { let on = event_target_checked(&e); editor.edit(|s| v.look_mut(s).button.pulse = on) } />
            {move || t("Pulse animation", "Пульсация")}
        </label>
        <h3>{move || t("On phones", "На телефонах")}</h3>
        <label class="cab-field">
            <span>{move || t("Size on phones, px (empty: as on desktop)", "Размер на телефонах, px (пусто — как на компьютере)")}</span>
            <input type="number" min="40" max="96" name="mobile_size"
                prop:value=move || editor.read(|s| s.appearance.mobile.button_size.map(|n| n.to_string()).unwrap_or_default()).unwrap_or_default()
                on:change=move |e| { let n = event_target_value(&e).parse().ok(); editor.edit(|s| s.appearance.mobile.button_size = n) } />
            <Problem failure=failure path="appearance.mobile" />
        </label>
        <label class="cab-field">
            <span>{move || t("Position on phones", "Положение на телефонах")}</span>
            <select name="mobile_position" on:change=move |e| {
                let v = event_target_value(&e);
                let p = (!v.is_empty()).then(|| position_from(&v));
                editor.edit(|s| s.appearance.mobile.button_position = p);
            }>
                <option value="" selected=move || editor.read(|s| s.appearance.mobile.button_position.is_none()).unwrap_or(true)>
                    {move || t("As on desktop", "Как на компьютере")}
                </option>
                {POSITIONS.iter().map(|(p, slug)| { let p = *p; view! {
                    <option value=*slug selected=move || editor.read(|s| s.appearance.mobile.button_position == Some(p)).unwrap_or(false)>{move || position_name(p)}</option>
                } }).collect_view()}
            </select>
        </label>
    }
}

/// The form of the variant: style, colors, images, timer, auto-show, promo, texts.
#[component]
fn FormFields() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let v = expect_context::<View>();
    let form = move || editor.read(|s| v.look(s).form.clone());
    let failure = editor.failure;
    view! {
        <label class="cab-field">
            <span>{move || t("Style", "Стиль")}</span>
            <select name="form_style" on:change=move |e| {
                let st = match event_target_value(&e).as_str() { "minimal" => FormStyle::Minimal, "unstyled" => FormStyle::Unstyled, _ => FormStyle::Modern };
                editor.edit(|s| v.look_mut(s).form.style = st);
            }>
                <option value="modern" selected=move || form().is_some_and(|f| f.style == FormStyle::Modern)>{move || t("Modern, with an illustration", "Современный, с иллюстрацией")}</option>
                <option value="minimal" selected=move || form().is_some_and(|f| f.style == FormStyle::Minimal)>{move || t("Minimal", "Минимальный")}</option>
                <option value="unstyled" selected=move || form().is_some_and(|f| f.style == FormStyle::Unstyled)>{move || t("Unstyled", "Без оформления")}</option>
            </select>
        </label>
        <Show when=move || form().is_some_and(|f| f.style == FormStyle::Modern)>
            <label class="cab-field">
                <span>{move || t("Illustration", "Иллюстрация")}</span>
                <select name="illustration" on:change=move |e| {
                    let i = Illustration::ALL.into_iter().find(|i| slug_of(i) == event_target_value(&e)).unwrap_or_default();
                    editor.edit(|s| v.look_mut(s).form.illustration = i);
                }>
                    {Illustration::ALL.into_iter().map(|i| view! {
                        <option value=slug_of(&i) selected=move || form().is_some_and(|f| f.illustration == i)>{slug_of(&i)}</option>
                    }).collect_view()}
                </select>
            </label>
        </Show>
        <label class="cab-field">
            <span>{move || t("Opens at", "Где открывается")}</span>
            <select name="form_position" on:change=move |e| {
                let p = FORM_POSITIONS.iter().find(|(_, s)| *s == event_target_value(&e)).map(|(p, _)| *p).unwrap_or_default();
                editor.edit(|s| v.look_mut(s).form.position = p);
            }>
                {FORM_POSITIONS.iter().map(|(p, slug)| { let p = *p; view! {
                    <option value=*slug selected=move || form().is_some_and(|f| f.position == p)>{*slug}</option>
                } }).collect_view()}
            </select>
        </label>
        <label class="cab-field">
            <span>{move || format!("{} {} px", t("Corner radius", "Скругление углов"), form().map(|f| f.radius).unwrap_or_default())}</span>
            <input type="range" name="radius" min="0" max="24" prop:value=move || form().map(|f| f.radius.to_string()).unwrap_or_default()
                on:input=move |e| { let n = event_target_value(&e).parse().unwrap_or(0); editor.edit(|s| v.look_mut(s).form.radius = n) } />
        </label>
        <ColorField label=|| t("Primary color", "Основной цвет") name="primary"
            value=Signal::derive(move || form().map(|f| f.primary).unwrap_or(BLACK))
            on_change=Callback::new(move |c| editor.edit(|s| v.look_mut(s).form.primary = c)) />
        <ColorField label=|| t("Secondary color", "Дополнительный цвет") name="secondary"
            value=Signal::derive(move || form().map(|f| f.secondary).unwrap_or(BLACK))
            on_change=Callback::new(move |c| editor.edit(|s| v.look_mut(s).form.secondary = c)) />
        <label class="cab-check">
            <input type="checkbox" name="name_field" prop:checked=move || form().is_some_and(|f| f.name_field)
                on:change=move |e| { let on = event_target_checked(&e); editor.edit(|s| v.look_mut(s).form.name_field = on) } />
            {move || t("Ask for the visitor's name", "Спрашивать имя")}
        </label>
        <label class="cab-check">
            <input type="checkbox" name="consent" prop:checked=move || form().is_some_and(|f| f.consent.enabled)
                on:change=move |e| { let on = event_target_checked(&e); editor.edit(|s| v.look_mut(s).form.consent.enabled = on) } />
            {move || t("Consent line", "Строка согласия")}
        </label>
        <label class="cab-field">
            <span>{move || t("Privacy policy URL", "Ссылка на политику конфиденциальности")}</span>
            <input type="url" name="policy_url" prop:value=move || form().and_then(|f| f.consent.policy_url).unwrap_or_default()
                on:input=move |e| { let u = event_target_value(&e); editor.edit(|s| v.look_mut(s).form.consent.policy_url = (!u.trim().is_empty()).then_some(u)) } />
            <Problem failure=failure path=Signal::derive(move || v.path("form.consent")) />
        </label>
        <ImageField label=|| t("Logo (PNG, JPEG or GIF; at most 250×80 px and 600 KB)", "Логотип (PNG, JPEG или GIF; не больше 250×80 px и 600 КБ)")
            usage=ImageUse::Logo
            value=Signal::derive(move || form().and_then(|f| f.logo))
            on_change=Callback::new(move |img| editor.edit(|s| v.look_mut(s).form.logo = img)) />
        <ImageField label=|| t("Background image (1200×800 recommended; at most 600 KB)", "Фоновое изображение (рекомендуем 1200×800; не больше 600 КБ)")
            usage=ImageUse::Background
            value=Signal::derive(move || form().and_then(|f| f.background))
            on_change=Callback::new(move |img| editor.edit(|s| v.look_mut(s).form.background = img)) />
        <h3>{move || t("Countdown after a “call me now” order", "Отсчёт после заказа «позвоните сейчас»")}</h3>
        <label class="cab-check">
            <input type="checkbox" name="timer_enabled" prop:checked=move || editor.read(|s| s.appearance.timer.enabled).unwrap_or(false)
                on:change=move |e| { let on = event_target_checked(&e); editor.edit(|s| s.appearance.timer.enabled = on) } />
            {move || t("Show the countdown timer (working hours)", "Показывать таймер (в рабочее время)")}
        </label>
        <label class="cab-small-field">
            <span>{move || t("Counts down from, s", "Отсчёт от, с")}</span>
            <input type="number" min="5" max="120" name="timer_start"
                prop:value=move || editor.read(|s| s.appearance.timer.start_secs.to_string()).unwrap_or_default()
                on:change=move |e| { let n = event_target_value(&e).parse().unwrap_or(30); editor.edit(|s| s.appearance.timer.start_secs = n) } />
        </label>
        <Problem failure=failure path="appearance.timer" />
        <super::promo::AutoShowFields />
        <Show when=move || editor.read(|s| s.kind == WidgetKind::Promo).unwrap_or(false)>
            <super::promo::PromoFields />
        </Show>
        <Texts />
    }
}

fn slug_of<T: serde::Serialize>(x: &T) -> String {
    serde_json::to_value(x)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// The texts of the variant, each with its character counter.
#[component]
fn Texts() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let v = expect_context::<View>();
    let failure = editor.failure;
    view! {
        <h3>{move || t("Texts", "Тексты")}</h3>
        {TextKey::ALL.into_iter().map(|key| {
            let slug = slug_of(&key);
            let shown = move || editor.read(|s| v.look(s).texts.get(key, preview_lang(s))).unwrap_or_default();
            let own = move || editor.read(|s| v.look(s).texts.overrides.get(&key).cloned().unwrap_or_default()).unwrap_or_default();
            let left = move || editor.read(|s| v.look(s).texts.left(key, preview_lang(s))).unwrap_or_default();
            let path = slug.clone();
            view! {
                <label class="cab-field">
                    <span>{slug.replace('_', " ")}</span>
                    <input name=format!("text_{slug}") placeholder=shown prop:value=own
                        on:input=move |e| {
                            let text = event_target_value(&e);
                            editor.edit(|s| {
                                let texts = &mut v.look_mut(s).texts.overrides;
                                if text.trim().is_empty() { texts.remove(&key); } else { texts.insert(key, text); }
                            });
                        } />
                    <small class="cab-counter" class:cab-over=move || left() < 0 data-cab="counter">
                        {move || format!("{} {}", left(), t("characters left", "символов осталось"))}
                    </small>
                    <Problem failure=failure path=Signal::derive(move || v.path(&format!("texts.{path}"))) />
                </label>
            }
        }).collect_view()}
    }
}

/// Working hours or off-hours: which variant the fields edit and the preview shows.
#[component]
fn Variant() -> impl IntoView {
    let v = expect_context::<View>();
    view! {
        <fieldset class="cab-choice" data-cab="variant">
            <legend>{move || t("Variant", "Вариант")}</legend>
            <label><input type="radio" name="variant" value="working" prop:checked=move || v.mode.get() == WidgetMode::Working
                on:change=move |_| v.mode.set(WidgetMode::Working) />{move || t("Working hours", "Рабочее время")}</label>
            <label><input type="radio" name="variant" value="off_hours" prop:checked=move || v.mode.get() == WidgetMode::OffHours
                on:change=move |_| v.mode.set(WidgetMode::OffHours) />{move || t("Off-hours", "Нерабочее время")}</label>
        </fieldset>
    }
}

/// Save and discard, and how saving went.
#[component]
fn SaveBar() -> impl IntoView {
    let editor = expect_context::<Editor>();
    view! {
        <div class="cab-row cab-savebar">
            <button type="button" class="cab-primary" data-cab="save" disabled=move || !editor.dirty.get() on:click=move |_| editor.save()>
                {move || t("Save", "Сохранить")}
            </button>
            <button type="button" class="cab-secondary" data-cab="discard" disabled=move || !editor.dirty.get() on:click=move |_| editor.discard()>
                {move || t("Discard changes", "Отменить изменения")}
            </button>
            <Show when=move || editor.dirty.get()>
                <span class="cab-muted" data-cab="unsaved">{move || t("Unsaved changes", "Есть несохранённые изменения")}</span>
            </Show>
            <SaveNote state=editor.state />
        </div>
    }
}

/// A color by picker or by HEX/RGB text ("colors by picker and HEX/RGB").
#[component]
fn ColorField(
    label: fn() -> &'static str,
    name: &'static str,
    value: Signal<Color>,
    on_change: Callback<Color>,
) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let pick = move |e: web_sys::Event| {
        if let Ok(c) = event_target_value(&e).parse::<Color>() {
            problem.set(None);
            on_change.run(c)
        }
    };
    let typed = move |e: web_sys::Event| match event_target_value(&e).parse::<Color>() {
        Ok(c) => {
            problem.set(None);
            on_change.run(c)
        }
        Err(err) => problem.set(Some(err.to_string())),
    };
    view! {
        <label class="cab-field cab-color">
            <span>{label}</span>
            <span class="cab-row">
                <input type="color" aria-label=label prop:value=move || value.get().hex() on:input=pick />
                <input name=name prop:value=move || value.get().hex() on:change=typed />
            </span>
            {move || problem.get().map(|p| view! { <p class="cab-problem" role="alert">{p}</p> })}
        </label>
    }
}

/// The real widget drawn from the draft, in a frame the size of a desktop or a phone screen.
#[component]
fn LivePreview() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let v = expect_context::<View>();
    let promo = move || {
        editor
            .read(|s| s.kind == WidgetKind::Promo)
            .unwrap_or(false)
    };
    let screens = move || {
        let mut all = vec![
            (Screen::Closed, t("Button", "Кнопка")),
            (
                Screen::Form,
                if promo() {
                    t("Form with promo", "Форма с акцией")
                } else {
                    t("Form", "Форма")
                },
            ),
            (Screen::Invitation, t("Invitation", "Приглашение")),
            (Screen::AfterOrder, t("After the order", "После заказа")),
        ];
        if v.mode.get() == WidgetMode::Working {
            all.insert(2, (Screen::Timer, t("Countdown timer", "Таймер")));
        }
        all
    };
    // What the widget would get from *decide* for the draft. A memo: the preview is drawn again
    // only when the model changes, not on every change of the draft (its schedule, say).
    let model = Memo::new(move |_| {
        let settings = editor.draft.get()?;
        let (domain, country) = editor
            .site
            .with(|s| s.as_ref().map(|s| (s.domain.clone(), s.country.clone())))
            .unwrap_or_else(|| ("example.com".into(), "RU".into()));
        let now =
            chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default();
        Some(shared::preview::model(
            &settings,
            v.mode.get(),
            v.layout.get(),
            preview_lang(&settings),
            &domain,
            &country,
            now,
        ))
    });
    view! {
        <aside class="cab-preview-pane">
            <div class="cab-row cab-wrap">
                <div class="cab-segmented" role="group" aria-label=move || t("Screen", "Экран")>
                    <button type="button" aria-pressed=move || (v.layout.get() == Layout::Desktop).to_string() data-layout="desktop"
                        on:click=move |_| v.layout.set(Layout::Desktop)>{move || t("Desktop", "Компьютер")}</button>
                    <button type="button" aria-pressed=move || (v.layout.get() == Layout::Mobile).to_string() data-layout="mobile"
                        on:click=move |_| v.layout.set(Layout::Mobile)>{move || t("Mobile", "Телефон")}</button>
                </div>
                <select aria-label=move || t("Element", "Элемент") data-cab="element" on:change=move |e| {
                    let name = event_target_value(&e);
                    v.screen.set(SCREENS.iter().find(|(_, n)| *n == name).map_or(Screen::Closed, |(s, _)| *s));
                }>
                    {move || screens().into_iter().map(|(s, name)| view! {
                        <option value=screen_slug(s) selected=move || v.screen.get() == s>{name}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="cab-preview" class:cab-preview-mobile=move || v.layout.get() == Layout::Mobile data-cab="preview">
                {move || model.get().map(|model| view! { <Preview model=model screen=v.screen.get() assets="/widget/".to_string() /> })}
            </div>
        </aside>
    }
}

const POSITIONS: [(ButtonPosition, &str); 8] = [
    (ButtonPosition::TopLeft, "top_left"),
    (ButtonPosition::Top, "top"),
    (ButtonPosition::TopRight, "top_right"),
    (ButtonPosition::Right, "right"),
    (ButtonPosition::BottomRight, "bottom_right"),
    (ButtonPosition::Bottom, "bottom"),
    (ButtonPosition::BottomLeft, "bottom_left"),
    (ButtonPosition::Left, "left"),
];

fn position_from(slug: &str) -> ButtonPosition {
    POSITIONS
        .iter()
        .find(|(_, s)| *s == slug)
        .map(|(p, _)| *p)
        .unwrap_or(ButtonPosition::BottomRight)
}

fn position_name(p: ButtonPosition) -> &'static str {
    match p {
        ButtonPosition::TopLeft => t("Top left", "Слева вверху"),
        ButtonPosition::Top => t("Top", "Вверху"),
        ButtonPosition::TopRight => t("Top right", "Справа вверху"),
        ButtonPosition::Right => t("Right", "Справа"),
        ButtonPosition::BottomRight => t("Bottom right", "Справа внизу"),
        ButtonPosition::Bottom => t("Bottom", "Внизу"),
        ButtonPosition::BottomLeft => t("Bottom left", "Слева внизу"),
        ButtonPosition::Left => t("Left", "Слева"),
    }
}

const FORM_POSITIONS: [(FormPosition, &str); 5] = [
    (FormPosition::Center, "center"),
    (FormPosition::TopLeft, "top_left"),
    (FormPosition::TopRight, "top_right"),
    (FormPosition::BottomLeft, "bottom_left"),
    (FormPosition::BottomRight, "bottom_right"),
];

const BLACK: Color = Color::rgb(0, 0, 0);

/// The preview's elements by name.
const SCREENS: [(Screen, &str); 5] = [
    (Screen::Closed, "button"),
    (Screen::Form, "form"),
    (Screen::Timer, "timer"),
    (Screen::Invitation, "invitation"),
    (Screen::AfterOrder, "after_order"),
];

fn screen_slug(s: Screen) -> &'static str {
    SCREENS
        .iter()
        .find(|(x, _)| *x == s)
        .map_or("button", |(_, n)| n)
}

/// An image field: the file is checked for its type and size here, then uploaded; the worker
/// measures it and refuses what breaks the SPEC's limits, with the reason under the field.
#[component]
pub fn ImageField(
    label: fn() -> &'static str,
    usage: ImageUse,
    value: Signal<Option<ImageRef>>,
    on_change: Callback<Option<ImageRef>>,
) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let name = usage.as_str();
    let chosen = move |e: web_sys::Event| {
        let Some(input) = e
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        if let Err(p) = images::precheck(&file.type_(), file.size() as u64, name) {
            problem.set(p.first().map(|p| p.message.clone()));
            return;
        }
        problem.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            match crate::api::upload::<ImageRef>(&format!("/images?use={name}"), &file).await {
                Ok(img) => on_change.run(Some(img)),
                Err(f) => problem.set(Some(f.at("image").unwrap_or(f.message))),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="cab-field cab-image" data-cab=format!("image-{name}")>
            <span>{label}</span>
            {move || value.get().map(|img| view! {
                <span class="cab-row">
                    <img src=img.url.clone() alt="" class="cab-thumb" />
                    <span class="cab-muted">{format!("{}×{} px, {} KB", img.width, img.height, img.bytes.div_ceil(1024))}</span>
                    <button type="button" class="cab-secondary" on:click=move |_| on_change.run(None)>{move || t("Remove", "Удалить")}</button>
                </span>
            })}
            <input type="file" name=name accept="image/png,image/jpeg,image/gif" aria-label=label on:change=chosen />
            <Show when=move || busy.get()>
                <span class="cab-muted">{move || t("Uploading…", "Загружаем…")}</span>
            </Show>
            {move || problem.get().map(|p| view! { <p class="cab-problem" role="alert" data-cab=format!("{name}-problem")>{p}</p> })}
        </div>
    }
}
