//! The page around the widget: the loader's functions (send an order, emit an event), the
//! session's memory in `sessionStorage`, and the clock. The cabinet's preview has a host with
//! no functions: nothing is sent and nothing is remembered.

use chrono::NaiveDate;
use js_sys::{Function, Promise, Reflect};
use shared::api::OrderRequest;
use shared::autoshow::SessionMemory;
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Where the session's auto-show memory is kept.
const SESSION_KEY: &str = "ringback:session";

/// A sent order's answer: HTTP status and body, or a network failure's message.
pub type Answer = Result<(u16, String), String>;

/// The page's side of the widget.
#[derive(Clone, Default)]
pub struct Host {
    /// The site key of the script tag.
    pub site: String,
    /// Base URL of the widget's assets (illustrations), ending in `/`.
    pub assets: String,
    /// How many times faster the widget's own timers run (tests; 1 on real sites).
    pub speed: f64,
    /// `send(json) -> Promise<{status, body}>`, from the loader.
    send: Option<Function>,
    /// `emit(name, detail)`, from the loader.
    emit: Option<Function>,
    /// `ready()`, from the loader: the widget's own button is on screen.
    ready: Option<Function>,
    /// The element to show at once (`form`, `invitation`, `timer`, `after_order`): the gallery
    /// of elements and the cabinet's preview open one without a visitor.
    pub screen: Option<String>,
}

impl Host {
    /// A live host from the loader's object `{site, assets, speed, send, emit}`.
    pub fn from_js(obj: &JsValue) -> Host {
        let get = |k: &str| Reflect::get(obj, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
        Host {
            site: get("site").as_string().unwrap_or_default(),
            assets: get("assets").as_string().unwrap_or_default(),
            speed: get("speed").as_f64().filter(|s| *s >= 1.0).unwrap_or(1.0),
            send: get("send").dyn_into().ok(),
            emit: get("emit").dyn_into().ok(),
            ready: get("ready").dyn_into().ok(),
            screen: get("screen").as_string(),
        }
    }

    /// The cabinet's preview: assets from `assets`, nothing sent.
    pub fn preview(assets: &str) -> Host {
        Host {
            assets: assets.to_string(),
            speed: 1.0,
            ..Host::default()
        }
    }

    /// Whether this widget is on a real page (not a preview).
    pub fn is_live(&self) -> bool {
        self.send.is_some()
    }

    /// Sends `order`; `None` in the preview.
    pub fn send(&self, order: &OrderRequest) -> Option<Pin<Box<dyn Future<Output = Answer>>>> {
        let send = self.send.as_ref()?;
        let body = serde_json::to_string(order).expect("an order serializes");
        let promise: Result<Promise, _> = send
            .call1(&JsValue::NULL, &JsValue::from_str(&body))
            .and_then(|p| p.dyn_into());
        Some(Box::pin(async move {
            let reply = JsFuture::from(promise.map_err(|_| "could not send".to_string())?)
                .await
                .map_err(|e| e.as_string().unwrap_or_else(|| "network error".into()))?;
            let get = |k: &str| Reflect::get(&reply, &JsValue::from_str(k)).unwrap_or_default();
            let status = get("status").as_f64().unwrap_or(0.0) as u16;
            Ok((status, get("body").as_string().unwrap_or_default()))
        }))
    }

    /// Tells the page's subscribers about `name` (`open`, `order`, `close`).
    pub fn emit(&self, name: &str, detail: &str) {
        if let Some(emit) = &self.emit {
            let _ = emit.call2(
                &JsValue::NULL,
                &JsValue::from_str(name),
                &JsValue::from_str(detail),
            );
        }
    }

    /// Tells the loader the widget is drawn (it then removes the button it drew itself).
    pub fn ready(&self) {
        if let Some(ready) = &self.ready {
            let _ = ready.call0(&JsValue::NULL);
        }
    }

    /// Now, ms since the epoch.
    pub fn now_ms(&self) -> i64 {
        js_sys::Date::now() as i64
    }

    /// Real milliseconds for `ms` of the widget's clock.
    pub fn real_ms(&self, ms: u64) -> u64 {
        (ms as f64 / self.speed.max(1.0)).max(1.0) as u64
    }

    /// The visitor's wall-clock time of `at`, as their browser keeps it.
    pub fn local(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
        let d = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
        NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
            .and_then(|day| day.and_hms_opt(d.get_hours(), d.get_minutes(), d.get_seconds()))
            .unwrap_or_default()
    }

    /// The visitor's date on their own clock.
    pub fn today(&self) -> NaiveDate {
        let d = js_sys::Date::new_0();
        NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
            .unwrap_or_default()
    }

    /// The page's URL.
    pub fn page_url(&self) -> String {
        web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default()
    }

    /// `document.referrer`, when there is one.
    pub fn referrer(&self) -> Option<String> {
        web_sys::window()
            .and_then(|w| w.document())
            .map(|d| d.referrer())
            .filter(|r| !r.is_empty())
    }

    /// A fresh key that makes a repeated send of the same order harmless.
    pub fn idempotency_key(&self) -> String {
        let r = || (js_sys::Math::random() * 4_294_967_296.0) as u64;
        format!(
            "w{:08x}{:08x}{:08x}",
            self.now_ms() as u64 & 0xffff_ffff,
            r(),
            r()
        )
    }

    fn storage(&self) -> Option<web_sys::Storage> {
        if !self.is_live() {
            return None;
        }
        web_sys::window()?.session_storage().ok()?
    }

    /// The session's memory; a new session starts now.
    pub fn session(&self) -> SessionMemory {
        let fresh = || SessionMemory {
            started_ms: self.now_ms(),
            last_auto_open_ms: None,
            ordered: false,
        };
        let Some(storage) = self.storage() else {
            return fresh();
        };
        match storage
            .get_item(SESSION_KEY)
            .ok()
            .flatten()
            .and_then(|s| serde_json::from_str(&s).ok())
        {
            Some(s) => s,
            None => {
                let s = fresh();
                self.save_session(&s);
                s
            }
        }
    }

    /// Remembers `session` for the next pages of the session.
    pub fn save_session(&self, session: &SessionMemory) {
        if let Some(storage) = self.storage() {
            let json = serde_json::to_string(session).expect("serializes");
            let _ = storage.set_item(SESSION_KEY, &json);
        }
    }
}
