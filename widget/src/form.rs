//! The main form (SPEC §2.2): phone with the country's mask, "call me now" or "pick a time",
//! the name field, departments (§2.6), the consent line, logo, illustration and the promo.
//! Every check is `shared::form`'s; the worker checks again.

use crate::promo::{PromoCountdown, PromoPicture};
use crate::state::WidgetState;
use leptos::prelude::*;
use shared::appearance::{FormStyle, Illustration};
use shared::form::{self, day_label, word, Word};
use shared::schedule::WidgetMode;
use shared::texts::TextKey;

/// The form.
#[component]
pub fn MainForm() -> impl IntoView {
    let state = expect_context::<WidgetState>();
    let m = state.model.get_value();
    let (title, subtitle) = match m.mode {
        WidgetMode::OffHours => (TextKey::OffHoursTitle, TextKey::OffHoursSubtitle),
        _ => (TextKey::Title, TextKey::Subtitle),
    };
    let illustration = (m.form.style == FormStyle::Modern).then(|| {
        let name = match m.form.illustration {
            Illustration::Operator => "operator",
            Illustration::Headset => "headset",
            Illustration::Smartphone => "smartphone",
        };
        let src = state
            .host
            .with_value(|h| format!("{}illustrations/{name}.svg", h.assets));
        view! { <img class="rb-illustration" src=src alt="" width="96" height="96" data-rb="illustration" /> }
    });
    let logo = m.form.logo.clone().map(|logo| {
        view! { <img class="rb-logo" src=logo.url alt="" width=logo.width height=logo.height data-rb="logo" /> }
    });
    let promo = m.promo.clone().and_then(|p| {
        p.timer.map(
            |timer| view! { <PromoCountdown timer=timer ends_ms=p.ends_at.timestamp_millis() /> },
        )
    });
    let sending = state.sending;
    let failure = state.failure;
    let lang = m.lang;
    view! {
        <form
            class="rb-form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                state.submit();
            }
        >
            <PromoPicture />
            {logo}
            {illustration}
            <h2 id="rb-title" class="rb-title">{state.text(title)}</h2>
            <p class="rb-subtitle">{state.text(subtitle)}</p>
            {promo}
            <PhoneField />
            {m.form.name_field.then(|| view! { <NameField /> })}
            {(!m.departments.is_empty()).then(|| view! { <DepartmentSelect /> })}
            <WhenChoice />
            <Honeypot />
            <Show when=move || failure.get().is_some()>
                <p class="rb-failure" role="alert" data-rb="failure">
                    {move || failure.get().unwrap_or_default()}
                </p>
            </Show>
            <Show when=move || sending.get()>
                <p class="rb-sending" role="status">{word(Word::Sending, lang)}</p>
            </Show>
            <ConsentLine />
        </form>
    }
}

/// "phone input (mask + validation)": formatted while typing, with "a clear message for an
/// invalid number".
#[component]
fn PhoneField() -> impl IntoView {
    let state = expect_context::<WidgetState>();
    let (placeholder, lang) = state.model.with_value(|m| {
        (
            m.phone_mask
                .as_ref()
                .map(|mask| mask.placeholder())
                .unwrap_or_else(|| "+".into()),
            m.lang,
        )
    });
    let phone = state.phone;
    let problems = state.problems;
    let invalid = move || problems.get().phone;
    view! {
        <label class="rb-label" for="rb-phone">{word(Word::Phone, lang)}</label>
        <input
            id="rb-phone"
            class="rb-input"
            type="tel"
            inputmode="tel"
            autocomplete="tel"
            placeholder=placeholder
            aria-invalid=move || invalid().to_string()
            aria-describedby="rb-phone-error"
            data-rb="phone"
            prop:value=move || phone.get()
            on:input=move |ev| {
                let typed = event_target_value(&ev);
                phone.set(state.model.with_value(|m| form::format_phone(m, &typed)));
                problems.update(|p| p.phone = false);
                state.phone_problem.set(None);
            }
        />
        <p id="rb-phone-error" class="rb-error" role="alert" data-rb="phone-error">
            {move || {
                invalid()
                    .then(|| {
                        state
                            .phone_problem
                            .get()
                            .unwrap_or_else(|| state.text(TextKey::InvalidPhone))
                    })
            }}
        </p>
    }
}

/// The name field, "if enabled".
#[component]
fn NameField() -> impl IntoView {
    let state = expect_context::<WidgetState>();
    let name = state.name;
    let label = state.text(TextKey::NamePlaceholder);
    view! {
        <label class="rb-label" for="rb-name">{label.clone()}</label>
        <input
            id="rb-name"
            class="rb-input"
            type="text"
            autocomplete="name"
            maxlength="60"
            placeholder=label
            data-rb="name"
            prop:value=move || name.get()
            on:input=move |ev| name.set(event_target_value(&ev))
        />
    }
}

/// "departments with optional/required choice and the highlight" (SPEC §2.6).
#[component]
pub fn DepartmentSelect() -> impl IntoView {
    let state = expect_context::<WidgetState>();
    let (options, required) = state
        .model
        .with_value(|m| (m.departments.clone(), m.department_required));
    let chosen = state.department;
    let problems = state.problems;
    let missing = move || problems.get().department;
    let prompt = state.text(TextKey::ChooseDepartment);
    view! {
        <label class="rb-label" for="rb-department">{state.text(TextKey::Department)}</label>
        <select
            id="rb-department"
            class="rb-input"
            class:rb-highlight=missing
            aria-invalid=move || missing().to_string()
            aria-required=required.to_string()
            data-rb="department"
            on:change=move |ev| state.choose_department(event_target_value(&ev).parse().ok())
        >
            {move || chosen.get().is_none().then(|| view! { <option value="" selected>{prompt.clone()}</option> })}
            {options
                .into_iter()
                .map(|d| {
                    let id = d.id;
                    view! {
                        <option value=id.to_string() selected=move || chosen.get() == Some(id)>
                            {d.name}
                        </option>
                    }
                })
                .collect_view()}
        </select>
        <p class="rb-error" role="alert">
            {move || missing().then(|| state.text(TextKey::ChooseDepartment))}
        </p>
    }
}

/// "call me now" or "pick a time" with the slots from *decide*.
#[component]
fn WhenChoice() -> impl IntoView {
    let state = expect_context::<WidgetState>();
    let picking = state.picking;
    let department = state.department;
    let lang = state.model.with_value(|m| m.lang);
    let now_possible = move || {
        state
            .model
            .with_value(|m| form::now_possible(m, department.get()))
    };
    view! {
        <Show
            when=move || picking.get()
            fallback=move || {
                view! {
                    <button type="submit" class="rb-primary" data-rb="now">
                        {state.text(TextKey::ButtonNow)}
                    </button>
                    <button
                        type="button"
                        class="rb-link"
                        data-rb="pick-time"
                        on:click=move |_| picking.set(true)
                    >
                        {state.text(TextKey::PickTime)}
                    </button>
                }
            }
        >
            <SlotPicker />
            <button type="submit" class="rb-primary" data-rb="scheduled">
                {state.text(TextKey::ButtonScheduled)}
            </button>
            <Show when=now_possible>
                <button
                    type="button"
                    class="rb-link"
                    data-rb="back-to-now"
                    on:click=move |_| picking.set(false)
                >
                    {word(Word::Back, lang)}
                </button>
            </Show>
        </Show>
    }
}

/// "day + time slot inside the call-center schedule" (or the chosen department's).
#[component]
fn SlotPicker() -> impl IntoView {
    let state = expect_context::<WidgetState>();
    let (day, slot, department, problems) =
        (state.day, state.slot, state.department, state.problems);
    let lang = state.model.with_value(|m| m.lang);
    let today = state.host.with_value(|h| h.today());
    let days = move || {
        state
            .model
            .with_value(|m| form::slots_for(m, department.get()).to_vec())
    };
    // The first slot of the day is picked unless the visitor picked another.
    let times = move || days().get(day.get()).map(|d| d.slots()).unwrap_or_default();
    Effect::new(move |_| {
        let times = times();
        let current = slot.get_untracked();
        if !times
            .iter()
            .any(|(at, _)| Some(at.timestamp_millis()) == current)
        {
            slot.set(times.first().map(|(at, _)| at.timestamp_millis()));
        }
    });
    view! {
        <div class="rb-slots" class:rb-highlight=move || problems.get().time>
            <label class="rb-label" for="rb-day">{word(Word::Day, lang)}</label>
            <select
                id="rb-day"
                class="rb-input"
                data-rb="day"
                on:change=move |ev| day.set(event_target_value(&ev).parse().unwrap_or(0))
            >
                {move || {
                    days()
                        .into_iter()
                        .enumerate()
                        .map(|(i, d)| {
                            view! {
                                <option value=i.to_string() selected=move || day.get() == i>
                                    {day_label(d.date, today, lang)}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
            <label class="rb-label" for="rb-time">{word(Word::Time, lang)}</label>
            <select
                id="rb-time"
                class="rb-input"
                data-rb="time"
                on:change=move |ev| slot.set(event_target_value(&ev).parse().ok())
            >
                {move || {
                    times()
                        .into_iter()
                        .map(|(at, label)| {
                            let ms = at.timestamp_millis();
                            view! {
                                <option value=ms.to_string() selected=move || slot.get() == Some(ms)>
                                    {label}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}

/// "consent line ... linking the policy URL (default: the site's home page; can be switched
/// off)".
#[component]
fn ConsentLine() -> impl IntoView {
    let state = expect_context::<WidgetState>();
    state
        .model
        .with_value(|m| m.consent_link.clone())
        .map(|link| {
            view! {
                <p class="rb-consent" data-rb="consent">
                    <a href=link target="_blank" rel="noopener">{state.text(TextKey::Consent)}</a>
                </p>
            }
        })
}

/// A field people never see and bots fill in.
#[component]
fn Honeypot() -> impl IntoView {
    let state = expect_context::<WidgetState>();
    let website = state.website;
    view! {
        <input
            class="rb-hp"
            type="text"
            name="website"
            tabindex="-1"
            autocomplete="off"
            aria-hidden="true"
            on:input=move |ev| website.set(event_target_value(&ev))
        />
    }
}
