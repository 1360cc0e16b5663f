//! The widget's wasm entry. The loader (`loader/w.js`) imports the generated `widget.js`,
//! initializes the wasm and calls [`mount`] with a node inside the widget's Shadow DOM root;
//! the returned [`Handle`] backs the page's `Ringback.open()`, `close()` and `disable()`. The
//! gallery of elements (`assets/demo/gallery.html`) mounts it without a loader, with one
//! element open.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use leptos::prelude::*;
use ringback_widget::{autoshow, Host, Opener, Screen, Widget, WidgetState};
use serde_json::value::RawValue;
use shared::api::{OrderAnswer, OrderWhen, RenderModel};
use wasm_bindgen::prelude::*;

/// The mounted widget, for the page's JS API. The widget comes to life a few tasks after
/// [`mount`]; until then the page's calls do nothing (the loader holds them until `ready`).
#[wasm_bindgen]
pub struct Handle {
    mounted: Rc<RefCell<Mounted>>,
}

/// What [`mount`]'s steps have done so far.
#[derive(Default)]
struct Mounted {
    state: Option<WidgetState>,
    /// `Ringback.disable()` came before the widget was drawn: it is not drawn.
    disabled: bool,
}

impl Handle {
    fn with(&self, f: impl FnOnce(WidgetState)) {
        let state = self.mounted.borrow().state;
        if let Some(state) = state {
            f(state);
        }
    }
}

#[wasm_bindgen]
impl Handle {
    /// `Ringback.open()`: the main form.
    pub fn open(&self) {
        self.with(|state| state.open(Screen::Form, Opener::Page));
    }

    /// `Ringback.close()`.
    pub fn close(&self) {
        self.with(|state| state.close());
    }

    /// `Ringback.disable()`: nothing of the widget shows on this page any more.
    pub fn disable(&self) {
        self.mounted.borrow_mut().disabled = true;
        self.with(|state| state.disable());
    }

    /// The page's own form ordered through `Ringback.order()` (`answer_json` is the worker's
    /// answer): the timer or the after-order message shows as after the widget's own form.
    pub fn ordered(&self, answer_json: &str, scheduled_ms: Option<f64>) {
        let answer: Option<OrderAnswer> = serde_json::from_str(answer_json).ok();
        let when = scheduled_ms
            .and_then(|ms| chrono::DateTime::from_timestamp_millis(ms as i64))
            .map(OrderWhen::At)
            .unwrap_or(OrderWhen::Now);
        self.with(|state| state.ordered(when, answer));
    }
}

/// Draws the widget of `model_json` (a [`RenderModel`] from *decide*) into `root`, talking to
/// the page through `host` (`{site, assets, speed, send, emit, ready, screen}`). The call
/// itself does nothing but plan the steps.
///
/// "No long task over 50 ms caused by the widget" (issue 6): on a slow phone even the first
/// run of the widget's code is slow, because the browser compiles each wasm function on its
/// first call, and reading the model alone made one long task. So the work goes in steps, each
/// in a task of its own: the model's parser is run (and so compiled) on an empty model, then on
/// each part of the model alone ([`warm`]); then the whole model is read, which now costs
/// little, and the widget drawn ([`draw`]).
#[wasm_bindgen]
pub fn mount(root: web_sys::HtmlElement, model_json: String, host: JsValue) -> Handle {
    let mounted = Rc::new(RefCell::new(Mounted::default()));
    let handle = Handle {
        mounted: mounted.clone(),
    };
    in_steps(vec![
        // The model's reader alone, on a model of nothing (it stops at the first missing field).
        Box::new(|| warm("{}")),
        // The model cut into its parts, then each part read alone, then the whole and the rest.
        Box::new(move || {
            let mut steps: Vec<Step> = parts(&model_json)
                .into_iter()
                .map(|part| Box::new(move || warm(&part)) as Step)
                .collect();
            steps.push(Box::new(move || draw(root, &model_json, host, mounted)));
            in_steps(steps);
        }),
    ]);
    handle
}

/// Reads the whole model now, and draws the widget in the next tasks ([`start`]).
fn draw(
    root: web_sys::HtmlElement,
    model_json: &str,
    host: JsValue,
    mounted: Rc<RefCell<Mounted>>,
) {
    match serde_json::from_str::<RenderModel>(model_json) {
        Ok(model) => in_steps(vec![Box::new(move || start(root, model, host, mounted))]),
        Err(e) => {
            web_sys::console::warn_1(&format!("Ringback: a widget that cannot be read: {e}").into())
        }
    }
}

/// The widget's state now; the (still empty) view, the auto-show plan, the button with its
/// styles, and the loader's `ready` a task each.
fn start(
    root: web_sys::HtmlElement,
    model: RenderModel,
    host: JsValue,
    mounted: Rc<RefCell<Mounted>>,
) {
    if mounted.borrow().disabled {
        // `Ringback.disable()` came while the model was read: no state, no auto-show.
        return;
    }
    let host = Host::from_js(&host);
    let screen = host.screen.as_deref().and_then(Screen::from_name);
    let state = WidgetState::new(model, host);
    if let Some(screen) = screen {
        state.show(screen);
    }
    mounted.borrow_mut().state = Some(state);
    let live = move || !mounted.borrow().disabled;
    in_steps(vec![
        Box::new(move || {
            leptos::mount::mount_to(root, move || view! { <Widget state=state /> }).forget()
        }),
        Box::new(move || autoshow::start(state)),
        Box::new(move || state.drawn.set(true)),
        Box::new(move || {
            if live() {
                state.host.with_value(Host::ready)
            }
        }),
    ]);
}

type Step = Box<dyn FnOnce()>;

/// The model's parts worth warming the parser on, each as a model of that part alone
/// (`{"form": {...}}`): the objects and lists; plain values cost nothing to read.
fn parts(model_json: &str) -> Vec<String> {
    let Ok(fields) = serde_json::from_str::<BTreeMap<&str, &RawValue>>(model_json) else {
        return Vec::new();
    };
    fields
        .into_iter()
        .filter(|(_, raw)| matches!(raw.get().as_bytes().first(), Some(b'{' | b'[')))
        .map(|(key, raw)| format!("{{\"{key}\":{raw}}}"))
        .collect()
}

/// Runs the model's parser on a model of one part: it stops at the first missing field, after
/// reading the part, and the browser has compiled what reading that part takes.
fn warm(part: &str) {
    let _ = serde_json::from_str::<RenderModel>(part);
}

/// Runs `steps` one per task, in order.
fn in_steps(mut steps: Vec<Step>) {
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
