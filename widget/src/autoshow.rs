//! Runs the auto-show plan from *decide* on a live page (SPEC §2 "Auto-show scenarios"): the
//! timer of `once_per_session`, `periodic` and `dynamic`, and exit intent. When to open is
//! decided by `shared::autoshow`; this module only arms timers and listens to the page.

use crate::state::{Opener, Screen, WidgetState};
use leptos::prelude::*;
use shared::autoshow::{fast_scroll_up, pointer_left_through_top, Opens, Plan, FAST_SCROLL_UP_MS};
use shared::device::Layout;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

/// The screen an automatic open shows.
fn screen_of(plan: &Plan) -> Screen {
    match plan.opens {
        Opens::Form => Screen::Form,
        Opens::Invitation => Screen::Invitation,
    }
}

/// Starts the plan on a live page.
pub fn start(state: WidgetState) {
    if !state.host.with_value(|h| h.is_live()) {
        return;
    }
    let plan = state.model.with_value(|m| m.auto_show);
    arm(state, plan);
    if plan.exit_intent {
        watch_exit_intent(state, plan);
    }
}

/// Sets the timer for the plan's next open, if there is one this session.
fn arm(state: WidgetState, plan: Plan) {
    let (due, now) = state
        .host
        .with_value(|h| (plan.next_open_ms(&h.session()), h.now_ms()));
    let Some(due) = due else { return };
    let wait = state
        .host
        .with_value(|h| h.real_ms((due - now).max(0) as u64));
    set_timeout(
        move || {
            if state.disabled.get_untracked() {
                return;
            }
            if state.screen.get_untracked() == Screen::Closed {
                state.open(screen_of(&plan), Opener::Auto);
            } else {
                // The visitor is busy with the widget: this open counts as made.
                state.count_auto_open();
            }
            if plan.repeat {
                arm(state, plan);
            }
        },
        Duration::from_millis(wait),
    );
}

/// Opens the widget when the visitor is about to leave, if the plan allows it now.
fn exit_intent(state: WidgetState, plan: Plan) {
    let allowed = state
        .host
        .with_value(|h| plan.exit_intent_allowed(&h.session()));
    if allowed && !state.disabled.get_untracked() && state.screen.get_untracked() == Screen::Closed
    {
        state.open(screen_of(&plan), Opener::Auto);
    }
}

/// "pointer leaves through the top on desktop, fast scroll-up on mobile".
fn watch_exit_intent(state: WidgetState, plan: Plan) {
    if state.model.with_value(|m| m.layout) == Layout::Desktop {
        let handle = window_event_listener(leptos::ev::mouseout, move |ev| {
            if pointer_left_through_top(ev.related_target().is_none(), f64::from(ev.client_y())) {
                exit_intent(state, plan);
            }
        });
        std::mem::forget(handle);
    } else {
        // The scroll position and time of the start of the current upward movement.
        let from: Rc<Cell<(f64, f64)>> = Rc::new(Cell::new((scroll_y(), js_sys::Date::now())));
        let last = Rc::new(Cell::new(scroll_y()));
        let handle = window_event_listener(leptos::ev::scroll, move |_| {
            let (y, now) = (scroll_y(), js_sys::Date::now());
            // Moving down, or a movement older than the window: measure from here.
            if y > last.get() || now - from.get().1 > FAST_SCROLL_UP_MS {
                from.set((last.get().max(y), now));
            }
            last.set(y);
            let (start_y, start_t) = from.get();
            if fast_scroll_up(start_y - y, now - start_t) {
                from.set((y, now));
                exit_intent(state, plan);
            }
        });
        std::mem::forget(handle);
    }
}

fn scroll_y() -> f64 {
    web_sys::window()
        .and_then(|w| w.scroll_y().ok())
        .unwrap_or(0.0)
}
