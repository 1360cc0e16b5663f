//! The Ringback widget: what a visitor sees on a customer's site (SPEC §2).
//!
//! The components here are drawn from a [`RenderModel`] that the worker's *decide* endpoint
//! computed; every rule they apply comes from `shared` (the form's checks, day labels, the
//! promo countdown, the auto-show plan). The cabinet reuses them for its live preview through
//! [`Preview`], so the preview is the real widget.
//!
//! | element (SPEC §2) | component |
//! |---|---|
//! | 1 Button | [`button::CallbackButton`] |
//! | 2 Main form | [`form::MainForm`] |
//! | 3 Countdown timer | [`popups::CountdownTimer`] |
//! | 4 Invitation dialog | [`popups::Invitation`] |
//! | 5 After-order message | [`popups::AfterOrder`] |
//! | 6 Departments | [`form::DepartmentSelect`] |
//! | 7 Promo countdown and image | [`promo::PromoCountdown`], [`promo::PromoPicture`] |
//! | Auto-show scenarios, exit intent | [`autoshow`] |

pub mod autoshow;
pub mod button;
pub mod dialog;
pub mod form;
pub mod host;
pub mod popups;
pub mod promo;
pub mod state;

use button::CallbackButton;
use dialog::Dialog;
use form::MainForm;
pub use host::Host;
use leptos::prelude::*;
use popups::{AfterOrder, CountdownTimer, Invitation};
use shared::api::RenderModel;
use shared::device::Layout;
use shared::schedule::WidgetMode;
pub use state::{Opener, Screen, WidgetState};

/// The widget's stylesheet. It lives inside the widget's Shadow DOM root, so it cannot touch the
/// site and the site's CSS cannot touch it.
pub const WIDGET_CSS: &str = include_str!("widget.css");

/// The whole widget for one page, once it is drawn (see [`WidgetState::drawn`]).
#[component]
pub fn Widget(state: WidgetState) -> impl IntoView {
    provide_context(state);
    let drawn = state.drawn;
    view! {
        <Show when=move || drawn.get()>
            <Drawn />
        </Show>
    }
}

/// The widget's styles, the button and whatever is open.
#[component]
fn Drawn() -> impl IntoView {
    let state = expect_context::<WidgetState>();
    let (layout, mode, primary, secondary, radius) = state.model.with_value(|m| {
        (
            m.layout,
            m.mode,
            m.form.primary.hex(),
            m.form.secondary.hex(),
            m.form.radius,
        )
    });
    let class = format!(
        "rb-root {} {}",
        match layout {
            Layout::Desktop => "rb-desktop",
            Layout::Mobile => "rb-mobile",
        },
        match mode {
            WidgetMode::OffHours => "rb-off-hours",
            _ => "rb-working",
        }
    );
    // "Primary and secondary colors ... apply to all elements": CSS variables of the root.
    let vars = format!("--rb-primary:{primary};--rb-secondary:{secondary};--rb-radius:{radius}px");
    let screen = state.screen;
    view! {
        <style>{WIDGET_CSS}</style>
        <div
            class=class
            class:rb-open=move || screen.get() != Screen::Closed
            style=vars
            lang=state.model.with_value(|m| m.lang.tag())
        >
            <Show when=move || !state.disabled.get()>
                <CallbackButton />
                {move || match screen.get() {
                    Screen::Closed => ().into_any(),
                    Screen::Form => view! { <Dialog kind="form"><MainForm /></Dialog> }.into_any(),
                    Screen::Invitation => {
                        view! { <Dialog kind="invitation"><Invitation /></Dialog> }.into_any()
                    }
                    Screen::Timer => {
                        view! { <Dialog kind="timer"><CountdownTimer /></Dialog> }.into_any()
                    }
                    Screen::AfterOrder => {
                        view! { <Dialog kind="after-order"><AfterOrder /></Dialog> }.into_any()
                    }
                }}
            </Show>
        </div>
    }
}

/// The cabinet's live preview: the real widget for `model` with `screen` open, sending nothing.
#[component]
pub fn Preview(model: RenderModel, screen: Screen, assets: String) -> impl IntoView {
    let state = WidgetState::new(model, Host::preview(&assets));
    state.show(screen);
    state.drawn.set(true);
    view! { <Widget state=state /> }
}
