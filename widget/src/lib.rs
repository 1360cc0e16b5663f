//! The Ringback widget: what a visitor sees on a customer's site (SPEC §2).
//!
//! The components here are drawn from a [`RenderModel`] that the worker's *decide* endpoint
//! computed; they decide nothing themselves. The cabinet reuses them for its live preview, so
//! the preview is the real widget.

use leptos::prelude::*;
use shared::api::RenderModel;
use shared::button::ButtonLook;

/// The widget's stylesheet. It lives inside the widget's Shadow DOM root, so it cannot touch the
/// site and the site's CSS cannot touch it.
pub const WIDGET_CSS: &str = include_str!("widget.css");

/// Distance of the floating button from the window's edges, in px.
const BUTTON_MARGIN: u16 = 20;

/// The whole widget for one page: its styles and its elements.
#[component]
pub fn Widget(model: RenderModel) -> impl IntoView {
    view! {
        <style>{WIDGET_CSS}</style>
        <CallbackButton look=model.button />
    }
}

/// The floating phone button (SPEC §2.1).
#[component]
pub fn CallbackButton(look: ButtonLook) -> impl IntoView {
    let style = format!(
        "{};width:{size}px;height:{size}px;background-color:{};color:{}",
        look.position.css(look.size, BUTTON_MARGIN),
        look.color,
        look.icon_color,
        size = look.size,
    );
    view! {
        <button
            type="button"
            class="rb-button"
            class:rb-pulse=look.pulse
            style=style
            aria-label="Request a callback"
            data-rb="button"
        >
            <PhoneIcon />
        </button>
    }
}

/// A phone handset drawn in the current text color.
#[component]
fn PhoneIcon() -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path
                fill="currentColor"
                d="M6.6 10.8a15.2 15.2 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.6a1 1 0 0 1-.25 1z"
            />
        </svg>
    }
}
