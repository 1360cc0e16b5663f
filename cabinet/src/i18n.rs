//! The cabinet's interface language: English or Russian ("Russian and English interface"),
//! from the browser's language at first and then the marketer's choice, kept in
//! `localStorage`. Views write both texts side by side: `t("Sites", "Сайты")`.

use leptos::prelude::*;
use shared::texts::Lang;

/// The interface's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ui {
    En,
    Ru,
}

thread_local! {
    static LANG: RwSignal<Ui> = RwSignal::new(initial());
}

const KEY: &str = "ringback:cabinet-lang";

fn initial() -> Ui {
    let window = web_sys::window();
    let saved = window
        .as_ref()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(KEY).ok().flatten());
    let browser = window.and_then(|w| w.navigator().language());
    match saved.or(browser) {
        Some(l) if l.starts_with("ru") => Ui::Ru,
        _ => Ui::En,
    }
}

/// Creates the language signal outside any component, so that no component's cleanup can
/// dispose of it. Called once, before mounting.
pub fn init() {
    LANG.with(|_| ());
}

/// The current language (reactive).
pub fn lang() -> Ui {
    LANG.with(|l| l.get())
}

/// The current language as `shared`'s [`Lang`], for the words `shared` makes (schedules in
/// words, the dashboard cards) (reactive).
pub fn words() -> Lang {
    match lang() {
        Ui::En => Lang::En,
        Ui::Ru => Lang::Ru,
    }
}

/// Switches the interface to `ui` and remembers it.
pub fn set_lang(ui: Ui) {
    LANG.with(|l| l.set(ui));
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item(KEY, if ui == Ui::Ru { "ru" } else { "en" });
    }
}

/// The text for the current language (reactive when read inside a view's closure).
pub fn t(en: &'static str, ru: &'static str) -> &'static str {
    match lang() {
        Ui::En => en,
        Ui::Ru => ru,
    }
}
