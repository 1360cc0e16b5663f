//! The floating phone button (SPEC §2.1): "always on screen (position: any corner/side;
//! colors; size; pulse animation on/off)". The loader draws the same button from the same
//! model (`button_style`, `button_label`) until this one replaces it.

use crate::state::{Opener, Screen, WidgetState};
use leptos::prelude::*;

/// The button; pressing it opens the main form, pressing it again closes what is open.
#[component]
pub fn CallbackButton() -> impl IntoView {
    let state = expect_context::<WidgetState>();
    let (style, label, pulse) = state.model.with_value(|m| {
        (
            m.button_style.clone(),
            m.button_label.clone(),
            m.button.pulse,
        )
    });
    let open = state.screen;
    view! {
        <button
            type="button"
            class="rb-button"
            class:rb-pulse=pulse
            style=style
            aria-label=label
            aria-haspopup="dialog"
            aria-expanded=move || (open.get() != Screen::Closed).to_string()
            data-rb="button"
            on:click=move |_| {
                if open.get_untracked() == Screen::Closed {
                    state.open(Screen::Form, Opener::Visitor)
                } else {
                    state.close()
                }
            }
        >
            <PhoneIcon />
        </button>
    }
}

/// A phone handset drawn in the current text color (the loader draws the same path).
#[component]
pub fn PhoneIcon() -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path fill="currentColor" d=PHONE_PATH />
        </svg>
    }
}

/// The handset's outline.
pub const PHONE_PATH: &str = "M6.6 10.8a15.2 15.2 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.6a1 1 0 0 1-.25 1z";
