//! Where the marketer is: the cabinet's pages as a plain enum parsed from the URL path, and
//! navigation with the History API (the worker serves the cabinet for every path that is not
//! an API, asset or demo path).

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// A tab of the widget editor (SPEC §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Settings,
    Departments,
    Conditions,
    Notifications,
    Button,
    Form,
    Errors,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Settings,
        Tab::Departments,
        Tab::Conditions,
        Tab::Notifications,
        Tab::Button,
        Tab::Form,
        Tab::Errors,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Tab::Settings => "settings",
            Tab::Departments => "departments",
            Tab::Conditions => "conditions",
            Tab::Notifications => "notifications",
            Tab::Button => "button",
            Tab::Form => "form",
            Tab::Errors => "errors",
        }
    }

    fn from_slug(s: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.slug() == s)
    }
}

/// A page of the cabinet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    LogIn,
    SignUp,
    /// The link of a sign-up email (`/confirm?token=...`).
    Confirm,
    /// The sites and the first-run guide (home).
    Sites,
    /// A site's widgets dashboard.
    Site(i64),
    /// A widget's editor at a tab.
    Widget(i64, Tab),
    Journal,
    Reports,
    Blacklist,
    Departments,
    Telephony,
    NotFound,
}

impl Page {
    /// The page at `path`.
    pub fn parse(path: &str) -> Page {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let id = |s: &str| s.parse::<i64>().ok();
        match parts.as_slice() {
            [""] => Page::Sites,
            ["login"] => Page::LogIn,
            ["signup"] => Page::SignUp,
            ["confirm"] => Page::Confirm,
            ["sites", s] => id(s).map_or(Page::NotFound, Page::Site),
            ["widgets", w] => id(w).map_or(Page::NotFound, |w| Page::Widget(w, Tab::Settings)),
            ["widgets", w, tab] => match (id(w), Tab::from_slug(tab)) {
                (Some(w), Some(t)) => Page::Widget(w, t),
                _ => Page::NotFound,
            },
            ["journal"] => Page::Journal,
            ["reports"] => Page::Reports,
            ["blacklist"] => Page::Blacklist,
            ["departments"] => Page::Departments,
            ["telephony"] => Page::Telephony,
            _ => Page::NotFound,
        }
    }

    /// The page's path.
    pub fn path(self) -> String {
        match self {
            Page::LogIn => "/login".into(),
            Page::SignUp => "/signup".into(),
            Page::Confirm => shared::cabinet_api::CONFIRM_PATH.into(),
            Page::Sites | Page::NotFound => "/".into(),
            Page::Site(id) => format!("/sites/{id}"),
            Page::Widget(id, tab) => format!("/widgets/{id}/{}", tab.slug()),
            Page::Journal => "/journal".into(),
            Page::Reports => "/reports".into(),
            Page::Blacklist => "/blacklist".into(),
            Page::Departments => "/departments".into(),
            Page::Telephony => "/telephony".into(),
        }
    }
}

thread_local! {
    static CURRENT: RwSignal<Page> = RwSignal::new(Page::parse(&pathname()));
    /// Asked before leaving a page with unsaved changes; `None`: nothing unsaved.
    static GUARD: RwSignal<Option<&'static str>> = RwSignal::new(None);
}

fn pathname() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default()
}

/// The value of the current URL's query parameter `name`.
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
}

/// The current page (reactive).
pub fn current() -> Page {
    CURRENT.with(|c| c.get())
}

/// Goes to `page`, unless a page with unsaved changes is open and the marketer stays.
pub fn go(page: Page) {
    if !may_leave() {
        return;
    }
    if let Some(w) = web_sys::window() {
        if let Ok(h) = w.history() {
            let _ = h.push_state_with_url(&JsValue::NULL, "", Some(&page.path()));
        }
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
    CURRENT.with(|c| c.set(page));
}

/// Replaces the current page without a history entry (e.g. after logging in).
pub fn replace(page: Page) {
    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&page.path()));
    }
    CURRENT.with(|c| c.set(page));
}

/// Marks the open page as having unsaved changes (`Some(question)`) or none (`None`): leaving
/// it asks the question first, and closing the browser tab warns.
pub fn guard(question: Option<&'static str>) {
    GUARD.with(|g| g.set(question));
}

fn may_leave() -> bool {
    match GUARD.with(|g| g.get_untracked()) {
        None => true,
        Some(q) => {
            let leave = web_sys::window()
                .and_then(|w| w.confirm_with_message(q).ok())
                .unwrap_or(true);
            if leave {
                guard(None);
            }
            leave
        }
    }
}

/// Follows the browser's back and forward buttons and warns on closing a tab with unsaved
/// changes. Called once, before mounting: the page signals are created here, outside any
/// component, so that no component's cleanup can dispose of them.
pub fn listen() {
    CURRENT.with(|_| ());
    GUARD.with(|_| ());
    let Some(w) = web_sys::window() else { return };
    let pop = Closure::<dyn Fn()>::new(|| {
        guard(None);
        CURRENT.with(|c| c.set(Page::parse(&pathname())));
    });
    let _ = w.add_event_listener_with_callback("popstate", pop.as_ref().unchecked_ref());
    pop.forget();
    let unload =
        Closure::<dyn Fn(web_sys::BeforeUnloadEvent)>::new(|e: web_sys::BeforeUnloadEvent| {
            if GUARD.with(|g| g.get_untracked()).is_some() {
                e.prevent_default();
                e.set_return_value("unsaved changes");
            }
        });
    let _ = w.add_event_listener_with_callback("beforeunload", unload.as_ref().unchecked_ref());
    unload.forget();
}

/// A link to `page` that navigates without reloading.
#[component]
pub fn Link(
    page: Page,
    children: Children,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    view! {
        <a
            href=page.path()
            class=class
            on:click=move |e: web_sys::MouseEvent| {
                if e.ctrl_key() || e.meta_key() || e.shift_key() || e.button() != 0 {
                    return;
                }
                e.prevent_default();
                go(page);
            }
        >
            {children()}
        </a>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_parses_back_from_its_path() {
        let pages = [
            Page::LogIn,
            Page::SignUp,
            Page::Confirm,
            Page::Sites,
            Page::Site(3),
            Page::Widget(7, Tab::Form),
            Page::Journal,
            Page::Reports,
            Page::Blacklist,
            Page::Departments,
            Page::Telephony,
        ];
        for p in pages {
            assert_eq!(Page::parse(&p.path()), p);
        }
        assert_eq!(Page::parse("/widgets/7"), Page::Widget(7, Tab::Settings));
        assert_eq!(Page::parse("/widgets/x/form"), Page::NotFound);
        assert_eq!(Page::parse("/nothing"), Page::NotFound);
    }
}
