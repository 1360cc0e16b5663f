//! The Ringback cabinet (SPEC §6): a Leptos single-page app served by the edge worker.

use leptos::prelude::*;
use ringback_widget::{Preview, Screen};
use shared::device::Layout;
use shared::schedule::WidgetMode;
use shared::texts::Lang;
use shared::widget::{WidgetKind, WidgetSettings};

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
                <WidgetPreview />
            </section>
        </main>
    }
}

/// A frame that holds the real widget. The frame is transformed, so the widget's
/// `position: fixed` is relative to the frame instead of the window.
#[component]
fn WidgetPreview() -> impl IntoView {
    let settings = WidgetSettings::new("Main", WidgetKind::Standard);
    let now =
        chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default();
    let model = shared::preview::model(
        &settings,
        WidgetMode::Working,
        Layout::Desktop,
        Lang::En,
        "example.com",
        "RU",
        now,
    );
    view! {
        <div class="cab-preview" data-cab="preview">
            <Preview model=model screen=Screen::Closed assets="/widget/".to_string() />
        </div>
    }
}
