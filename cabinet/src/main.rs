//! The Ringback cabinet (SPEC §6): a Leptos single-page app served by the edge worker, on top
//! of the cabinet API (`/api/cabinet`, wire types in `shared::cabinet_api`).
//!
//! | page | module |
//! |---|---|
//! | sign-up, its email's link, log-in | [`auth`] |
//! | sites, snippet, first-run guide | [`sites`] |
//! | widgets dashboard | [`dashboard`] |
//! | widget editor: settings, departments, conditions, notifications, button, form, errors | [`editor`] |
//! | account departments | [`departments`] |
//! | journal, re-scheduling | [`journal`] |
//! | reports | [`reports`] |
//! | blacklist | [`blacklist`] |
//! | telephony provider | [`telephony`] |
//!
//! Rules live in `shared`; views call them (validation before sending, the preview model, the
//! schedule's words).

mod api;
mod auth;
mod blacklist;
mod dashboard;
mod departments;
mod editor;
mod i18n;
mod journal;
mod reports;
mod route;
mod sites;
mod telephony;
mod ui;

use i18n::{set_lang, t};
use leptos::prelude::*;
use leptos::task::spawn_local;
use route::{Link, Page};
use shared::cabinet_api::Me;
use shared::texts::Lang;

fn main() {
    // A bug shows its message in the browser's console instead of a bare "unreachable".
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
    }));
    i18n::init();
    route::listen();
    leptos::mount::mount_to_body(App);
}

/// Who is signed in.
#[derive(Debug, Clone, PartialEq)]
pub enum Who {
    /// Asking the worker.
    Unknown,
    /// Nobody: the log-in and sign-up pages.
    Nobody,
    /// The user.
    User(Me),
}

/// The session, in context for every page.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    pub who: RwSignal<Who>,
}

impl Session {
    /// Signed in as `me` (after sign-up, log-in or on load).
    pub fn signed_in(&self, me: Me) {
        api::signed_in(&me);
        self.who.set(Who::User(me));
    }

    /// Signed out.
    pub fn signed_out(&self) {
        self.who.set(Who::Nobody);
    }
}

#[component]
fn App() -> impl IntoView {
    let session = Session {
        who: RwSignal::new(Who::Unknown),
    };
    provide_context(session);
    spawn_local(async move {
        match api::get::<Me>("/me").await {
            Ok(me) => session.signed_in(me),
            Err(_) => session.signed_out(),
        }
    });
    view! {
        <Header />
        <main class="cab-main">
            {move || match (session.who.get(), route::current()) {
                (Who::Unknown, _) => view! { <p class="cab-muted">{t("Loading…", "Загрузка…")}</p> }.into_any(),
                (_, Page::Confirm) => view! { <auth::ConfirmPage /> }.into_any(),
                (Who::Nobody, Page::SignUp) => view! { <auth::SignUpPage /> }.into_any(),
                (Who::Nobody, _) => view! { <auth::LogInPage /> }.into_any(),
                (Who::User(_), page) => signed_in_page(page),
            }}
        </main>
    }
}

fn signed_in_page(page: Page) -> AnyView {
    match page {
        Page::Sites | Page::LogIn | Page::SignUp | Page::Confirm => {
            view! { <sites::SitesPage /> }.into_any()
        }
        Page::Site(id) => view! { <dashboard::DashboardPage site_id=id /> }.into_any(),
        Page::Widget(id, tab) => view! { <editor::EditorPage widget_id=id tab=tab /> }.into_any(),
        Page::Journal => view! { <journal::JournalPage /> }.into_any(),
        Page::Reports => view! { <reports::ReportsPage /> }.into_any(),
        Page::Blacklist => view! { <blacklist::BlacklistPage /> }.into_any(),
        Page::Departments => view! { <departments::DepartmentsPage /> }.into_any(),
        Page::Telephony => view! { <telephony::TelephonyPage /> }.into_any(),
        Page::NotFound => view! {
            <section class="cab-card">
                <h2>{t("Nothing here", "Здесь ничего нет")}</h2>
                <Link page=Page::Sites>{t("To your sites", "К вашим сайтам")}</Link>
            </section>
        }
        .into_any(),
    }
}

/// The top bar: the sections, the language switch, log-out.
#[component]
fn Header() -> impl IntoView {
    let session = expect_context::<Session>();
    let log_out = move |_| {
        spawn_local(async move {
            let _ = api::post::<_, serde_json::Value>("/logout", &serde_json::json!({})).await;
            session.signed_out();
            route::replace(Page::LogIn);
        });
    };
    let signed_in = move || matches!(session.who.get(), Who::User(_));
    view! {
        <header class="cab-header">
            <Link page=Page::Sites class="cab-logo">"Ringback"</Link>
            <Show when=signed_in>
                <nav class="cab-nav" aria-label=move || t("Sections", "Разделы")>
                    <Link page=Page::Sites>{move || t("Sites", "Сайты")}</Link>
                    <Link page=Page::Journal>{move || t("Journal", "Журнал")}</Link>
                    <Link page=Page::Reports>{move || t("Reports", "Отчёты")}</Link>
                    <Link page=Page::Departments>{move || t("Departments", "Отделы")}</Link>
                    <Link page=Page::Blacklist>{move || t("Blacklist", "Чёрный список")}</Link>
                    <Link page=Page::Telephony>{move || t("Telephony", "Телефония")}</Link>
                </nav>
            </Show>
            <span class="cab-spacer"></span>
            <select
                class="cab-lang"
                aria-label="Language / Язык"
                on:change=move |e| set_lang(if event_target_value(&e) == "ru" { Lang::Ru } else { Lang::En })
                prop:value=move || i18n::lang().tag()
            >
                <option value="en">"English"</option>
                <option value="ru">"Русский"</option>
            </select>
            <Show when=signed_in>
                <span class="cab-muted cab-who">
                    {move || match session.who.get() { Who::User(me) => me.company, _ => String::new() }}
                </span>
                <button type="button" class="cab-secondary" data-cab="logout" on:click=log_out>
                    {move || t("Log out", "Выйти")}
                </button>
            </Show>
        </header>
    }
}
