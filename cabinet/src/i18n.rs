//! The cabinet's interface language: English or Russian ("Russian and English interface"),
//! from the browser's language at first and then the marketer's choice, kept in
//! `localStorage`. Views write both texts side by side: `t("Sites", "Сайты")`.

use leptos::prelude::*;
use shared::texts::Lang;

thread_local! {
    static LANG: RwSignal<Lang> = RwSignal::new(initial());
}

const KEY: &str = "ringback:cabinet-lang";

fn initial() -> Lang {
    let window = web_sys::window();
    let saved = window
        .as_ref()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(KEY).ok().flatten());
    let browser = window.and_then(|w| w.navigator().language());
    match saved.or(browser) {
        Some(l) if l.starts_with("ru") => Lang::Ru,
        _ => Lang::En,
    }
}

/// Creates the language signal outside any component, so that no component's cleanup can
/// dispose of it. Called once, before mounting.
pub fn init() {
    LANG.with(|_| ());
}

/// The current language (reactive); `shared`'s [`Lang`], so the words `shared` makes (schedules,
/// fail causes, announcements) come in it too.
pub fn lang() -> Lang {
    LANG.with(|l| l.get())
}

/// Switches the interface to `lang` and remembers it.
pub fn set_lang(lang: Lang) {
    LANG.with(|l| l.set(lang));
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item(KEY, lang.tag());
    }
}

/// The text for the current language (reactive when read inside a view's closure).
pub fn t(en: &'static str, ru: &'static str) -> &'static str {
    lang().pick(en, ru)
}
