//! The Ringback cabinet (SPEC §6): a Leptos single-page app served by the edge worker.

use leptos::prelude::*;
use ringback_widget::{CallbackButton, WIDGET_CSS};
use shared::button::ButtonLook;

fn main() {
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    view! {
        <header class="cab-header">
            <h1>"Ringback"</h1>
            <span class="cab-muted">"cabinet"</span>
        </header>
        <main class="cab-main">
            <section class="cab-card">
                <h2>"Your callback button"</h2>
                <p class="cab-muted">
                    "This preview is drawn by the same components visitors see on your site."
                </p>
                <ButtonPreview look=ButtonLook::default() />
            </section>
        </main>
    }
}

/// A frame that holds the real widget button. The frame is transformed, so the button's
/// `position: fixed` is relative to the frame instead of the window.
#[component]
fn ButtonPreview(look: ButtonLook) -> impl IntoView {
    view! {
        <div class="cab-preview" data-cab="preview">
            <style>{WIDGET_CSS}</style>
            <CallbackButton look=look />
        </div>
    }
}
