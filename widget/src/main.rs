//! The widget's wasm entry. The loader (`loader/w.js`) imports the generated `widget.js`,
//! initializes the wasm and calls [`mount`] with a node inside the widget's Shadow DOM root;
//! the returned [`Handle`] backs the page's `Ringback.open()`, `close()` and `disable()`. The
//! gallery of elements (`assets/demo/gallery.html`) mounts it without a loader, with one
//! element open.

use leptos::prelude::*;
use ringback_widget::{autoshow, Host, Opener, Screen, Widget, WidgetState};
use shared::api::{OrderAnswer, OrderWhen, RenderModel};
use wasm_bindgen::prelude::*;

/// The mounted widget, for the page's JS API.
#[wasm_bindgen]
pub struct Handle {
    state: WidgetState,
}

#[wasm_bindgen]
impl Handle {
    /// `Ringback.open()`: the main form.
    pub fn open(&self) {
        self.state.open(Screen::Form, Opener::Page);
    }

    /// `Ringback.close()`.
    pub fn close(&self) {
        self.state.close();
    }

    /// `Ringback.disable()`: nothing of the widget shows on this page any more.
    pub fn disable(&self) {
        self.state.disable();
    }

    /// The page's own form ordered through `Ringback.order()` (`answer_json` is the worker's
    /// answer): the timer or the after-order message shows as after the widget's own form.
    pub fn ordered(&self, answer_json: &str, scheduled_ms: Option<f64>) {
        let answer: Option<OrderAnswer> = serde_json::from_str(answer_json).ok();
        let when = scheduled_ms
            .and_then(|ms| chrono::DateTime::from_timestamp_millis(ms as i64))
            .map(OrderWhen::At)
            .unwrap_or(OrderWhen::Now);
        self.state.ordered(when, answer);
    }
}

/// A render model from *decide*, parsed: [`parse`] and [`mount`] are separate calls so that a
/// slow phone does each in a task of its own (no long task).
#[wasm_bindgen]
pub struct Model(RenderModel);

/// Parses `model_json`, a [`RenderModel`] from *decide*.
#[wasm_bindgen]
pub fn parse(model_json: &str) -> Result<Model, JsError> {
    Ok(Model(serde_json::from_str(model_json)?))
}

/// Draws the widget of `model` into `root`, talking to the page through `host`
/// (`{site, assets, speed, send, emit, ready, screen}`).
///
/// On a slow phone even the first run of the widget's code is slow (the browser compiles each
/// function on its first call), so the work goes in steps, each in a task of its own, none of
/// them a long task ("no long task over 50 ms caused by the widget"): the state now; the
/// (still empty) view a task later; the auto-show plan after that; the button and its styles
/// after that; and the loader is told a task later still, when the button is there.
#[wasm_bindgen]
pub fn mount(root: web_sys::HtmlElement, model: Model, host: JsValue) -> Handle {
    let host = Host::from_js(&host);
    let screen = host.screen.as_deref().and_then(Screen::from_name);
    let state = WidgetState::new(model.0, host);
    if let Some(screen) = screen {
        state.show(screen);
    }
    in_steps(vec![
        Box::new(move || {
            leptos::mount::mount_to(root, move || view! { <Widget state=state /> }).forget()
        }),
        Box::new(move || autoshow::start(state)),
        Box::new(move || state.drawn.set(true)),
        Box::new(move || state.host.with_value(Host::ready)),
    ]);
    Handle { state }
}

/// Runs `steps` one per task, in order.
fn in_steps(mut steps: Vec<Box<dyn FnOnce()>>) {
    if steps.is_empty() {
        return;
    }
    set_timeout(
        move || {
            let step = steps.remove(0);
            step();
            in_steps(steps);
        },
        std::time::Duration::ZERO,
    );
}

fn main() {}
