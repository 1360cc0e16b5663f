//! The widget's wasm entry. The loader (`loader/w.js`) imports the generated `widget.js`,
//! initializes the wasm and calls [`mount`] with a node inside the widget's Shadow DOM root.

use leptos::prelude::*;
use ringback_widget::Widget;
use shared::api::RenderModel;
use wasm_bindgen::prelude::*;

/// Draws the widget described by `model_json` (a [`RenderModel`] from *decide*) into `root`.
#[wasm_bindgen]
pub fn mount(root: web_sys::HtmlElement, model_json: &str) -> Result<(), JsError> {
    let model: RenderModel = serde_json::from_str(model_json)?;
    leptos::mount::mount_to(root, move || view! { <Widget model=model /> }).forget();
    Ok(())
}

fn main() {}
