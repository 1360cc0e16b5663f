//! The small popups: the countdown timer (SPEC §2.3), the invitation dialog (§2.4) and the
//! after-order message (§2.5).

use crate::state::{Opener, Screen, WidgetState};
use leptos::prelude::*;
use shared::texts::TextKey;

/// "after a "call me now" order in working hours, a popup counts seconds until the phone
/// should ring".
#[component]
pub fn CountdownTimer() -> impl IntoView {
    let state = expect_context::<WidgetState>();
    let left = state.timer_left;
    view! {
        <p id="rb-title" class="rb-title">{state.text(TextKey::TimerText)}</p>
        <p class="rb-countdown" role="timer" aria-live="off" data-rb="seconds">
            {move || format!("{:02}:{:02}", left.get() / 60, left.get() % 60)}
        </p>
    }
}

/// "a popup offering a callback, shown by the auto-show scenario".
#[component]
pub fn Invitation() -> impl IntoView {
    let state = expect_context::<WidgetState>();
    view! {
        <p id="rb-title" class="rb-title">{state.text(TextKey::Invitation)}</p>
        <button
            type="button"
            class="rb-primary"
            data-rb="accept"
            on:click=move |_| state.open(Screen::Form, Opener::Visitor)
        >
            {state.text(TextKey::InvitationButton)}
        </button>
    }
}

/// "confirmation ("We will call you at 12:00 tomorrow" for scheduled)".
#[component]
pub fn AfterOrder() -> impl IntoView {
    let state = expect_context::<WidgetState>();
    view! {
        <p id="rb-title" class="rb-title" role="status" data-rb="message">
            {move || state.after_text.get()}
        </p>
    }
}
