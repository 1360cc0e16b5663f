//! The popup every element opens in: a labelled dialog, operable by keyboard, that keeps the
//! focus inside while open ("focus kept inside an open dialog and returned on close") and
//! closes on Escape, on its close button and on a click beside it.

use crate::state::WidgetState;
use leptos::html;
use leptos::prelude::*;
use shared::appearance::{FormPosition, FormStyle};
use shared::device::Layout;
use shared::form::{word, Word};
use wasm_bindgen::JsCast;

/// What can take the focus inside a dialog.
const FOCUSABLE: &str =
    "button:not([disabled]),input:not([type=hidden]):not([tabindex='-1']),select,a[href],[tabindex='0']";

/// A popup with `children`; `kind` names it for styles and tests (`data-rb`).
#[component]
pub fn Dialog(kind: &'static str, children: Children) -> impl IntoView {
    let state = expect_context::<WidgetState>();
    let (layout, lang, position, style, background) = state.model.with_value(|m| {
        (
            m.layout,
            m.lang,
            m.form.position,
            m.form.style,
            m.form.background.as_ref().map(|b| b.url.clone()),
        )
    });
    let panel = NodeRef::<html::Div>::new();
    let position = match (layout, position) {
        (Layout::Mobile, _) => "rb-sheet",
        (_, FormPosition::Center) => "rb-center",
        (_, FormPosition::TopLeft) => "rb-top-left",
        (_, FormPosition::TopRight) => "rb-top-right",
        (_, FormPosition::BottomLeft) => "rb-bottom-left",
        (_, FormPosition::BottomRight) => "rb-bottom-right",
    };
    let style = match style {
        FormStyle::Modern => "rb-modern",
        FormStyle::Minimal => "rb-minimal",
        FormStyle::Unstyled => "rb-unstyled",
    };
    let backdrop = matches!(position, "rb-center" | "rb-sheet");
    let panel_style = background
        .filter(|_| kind == "form")
        .map(|url| format!("background-image:url(\"{}\")", url.replace('"', "%22")))
        .unwrap_or_default();
    // The first field or button takes the focus once the dialog is drawn (on a page; the
    // cabinet's preview leaves the focus with the marketer's field).
    let live = state.host.with_value(|h| h.is_live());
    Effect::new(move |_| {
        if let (true, Some(panel)) = (live, panel.get()) {
            focusables(&panel).first().map(|e| e.focus());
        }
    });
    let on_key = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            state.close();
        }
        "Tab" => {
            let Some(panel) = panel.get_untracked() else {
                return;
            };
            let all = focusables(&panel);
            let (Some(first), Some(last)) = (all.first(), all.last()) else {
                return;
            };
            let active = active_in(&panel);
            if ev.shift_key() && active.as_ref() == Some(first) {
                ev.prevent_default();
                let _ = last.focus();
            } else if !ev.shift_key() && (active.as_ref() == Some(last) || active.is_none()) {
                ev.prevent_default();
                let _ = first.focus();
            }
        }
        _ => {}
    };
    view! {
        <div class="rb-layer" class:rb-backdrop=backdrop on:click=move |_| state.close()>
            <div
                node_ref=panel
                class=format!("rb-panel {position} {style}")
                style=panel_style
                role="dialog"
                aria-modal=backdrop.to_string()
                aria-labelledby="rb-title"
                data-rb=kind
                on:click=|ev| ev.stop_propagation()
                on:keydown=on_key
            >
                <button
                    type="button"
                    class="rb-close"
                    aria-label=word(Word::Close, lang)
                    data-rb="close"
                    on:click=move |_| state.close()
                >
                    "×"
                </button>
                {children()}
            </div>
        </div>
    }
}

/// The elements of `panel` that can take the focus, in order.
fn focusables(panel: &web_sys::HtmlElement) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = panel.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|e| e.offset_parent().is_some())
        .collect()
}

/// The focused element inside the shadow root that holds `panel`.
fn active_in(panel: &web_sys::HtmlElement) -> Option<web_sys::HtmlElement> {
    let root: web_sys::ShadowRoot = panel.get_root_node().dyn_into().ok()?;
    root.active_element()?.dyn_into().ok()
}

/// The element that has the focus on the page, looking inside shadow roots.
pub fn focused_element() -> Option<web_sys::HtmlElement> {
    let mut el = web_sys::window()?.document()?.active_element()?;
    while let Some(inner) = el.shadow_root().and_then(|r| r.active_element()) {
        el = inner;
    }
    el.dyn_into().ok()
}
