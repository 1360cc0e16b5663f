//! Home: the account's sites with their embed snippets, adding a site, and the first-run
//! guide that takes a marketer from sign-up to a live widget (SPEC §6).

use crate::api::{self, Failure};
use crate::i18n::t;
use crate::route::{Link, Page};
use crate::ui::{CopyButton, FailureBanner, TextField};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::cabinet_api::{SiteInput, SiteView, TelephonyView};

/// How far the account is on the way to a live widget.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    pub has_site: bool,
    pub has_telephony: bool,
    pub has_widget: bool,
    pub has_active_widget: bool,
}

impl Progress {
    /// Whether the guide still has something to say.
    pub fn unfinished(&self) -> bool {
        !(self.has_site && self.has_telephony && self.has_widget && self.has_active_widget)
    }
}

#[component]
pub fn SitesPage() -> impl IntoView {
    let sites = RwSignal::new(None::<Vec<SiteView>>);
    let progress = RwSignal::new(Progress::default());
    let load = move || {
        spawn_local(async move {
            let list = api::get::<Vec<SiteView>>("/sites")
                .await
                .unwrap_or_default();
            let mut p = Progress {
                has_site: !list.is_empty(),
                has_widget: list.iter().any(|s| s.widgets > 0),
                has_active_widget: list.iter().any(|s| s.active_widgets > 0),
                ..Progress::default()
            };
            if let Ok(tel) = api::get::<TelephonyView>("/telephony").await {
                p.has_telephony = !tel.from.is_empty() || !tel.pbx_url.is_empty();
            }
            progress.set(p);
            sites.set(Some(list));
        });
    };
    load();
    view! {
        <Show when=move || progress.with(Progress::unfinished) && sites.with(Option::is_some)>
            <Guide progress=progress />
        </Show>
        <section class="cab-card">
            <h1>{move || t("Your sites", "Ваши сайты")}</h1>
            {move || match sites.get() {
                None => view! { <p class="cab-muted">{t("Loading…", "Загрузка…")}</p> }.into_any(),
                Some(list) if list.is_empty() => view! {
                    <p class="cab-muted">{t("No sites yet: add the first one below.", "Сайтов пока нет: добавьте первый ниже.")}</p>
                }.into_any(),
                Some(list) => view! {
                    <ul class="cab-sites">
                        {list.into_iter().map(|s| view! { <SiteItem site=s on_saved=move || load() /> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <AddSite on_added=move || load() />
        </section>
    }
}

/// "A first-run guide": the steps from sign-up to a live widget, each with where to do it.
#[component]
fn Guide(progress: RwSignal<Progress>) -> impl IntoView {
    let step = move |done: bool, text: &'static str| {
        view! {
            <li class:cab-done=done>
                <span aria-hidden="true">{if done { "✓" } else { "○" }}</span>
                " "
                {text}
            </li>
        }
    };
    view! {
        <section class="cab-card cab-guide" data-cab="guide">
            <h2>{move || t("Get your callback button live", "Запустите кнопку обратного звонка")}</h2>
            {move || {
                let p = progress.get();
                view! {
                    <ol>
                        {step(p.has_site, t("Add your site's domain below and copy its snippet into every page, before </body>.", "Добавьте домен сайта ниже и вставьте его код на все страницы перед </body>."))}
                        {step(p.has_telephony, t("Connect telephony (Telephony section): the provider that rings your operators.", "Подключите телефонию (раздел «Телефония»): через неё звонят операторам."))}
                        {step(p.has_widget, t("Open the site and add a widget; set its schedule, numbers and look.", "Откройте сайт и добавьте виджет; задайте расписание, номера и внешний вид."))}
                        {step(p.has_active_widget, t("Activate the widget: visitors see it at once.", "Активируйте виджет — посетители сразу его увидят."))}
                    </ol>
                }
            }}
        </section>
    }
}

/// A site: its domain, its snippet with a copy button, the way to its widgets, and the
/// countries whose numbers it calls back.
#[component]
fn SiteItem(site: SiteView, on_saved: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let snippet = site.snippet.clone();
    let shown = if site.display_domain.is_empty() {
        site.domain.clone()
    } else {
        site.display_domain.clone()
    };
    let served = shared::phone::served_countries(&site.country, &site.client_countries).join(", ");
    let editing = RwSignal::new(false);
    let edited = site.clone();
    view! {
        <li class="cab-site" data-cab="site" data-domain=site.domain.clone()>
            <div class="cab-row">
                <strong>{shown}</strong>
                <span class="cab-muted">{site.country.clone()}</span>
                <span class="cab-spacer"></span>
                <Link page=Page::Site(site.id) class="cab-button">{move || t("Widgets", "Виджеты")}</Link>
            </div>
            <p class="cab-muted" data-cab="served">
                {move || t("Numbers called back from: ", "Перезваниваем на номера стран: ")}
                {served}
                " "
                <button type="button" class="cab-link" data-cab="edit-site" on:click=move |_| editing.update(|e| *e = !*e)>
                    {move || t("Change", "Изменить")}
                </button>
            </p>
            <Show when=move || editing.get()>
                <EditSite site=edited.clone() on_saved=move || { editing.set(false); on_saved(); } />
            </Show>
            <Snippet snippet=snippet.clone() />
        </li>
    }
}

/// The site's country and the countries whose client numbers it calls back ("default: the
/// site's own country"): a number from any other country is refused with its reason.
#[component]
fn EditSite(site: SiteView, on_saved: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let country = RwSignal::new(site.country.clone());
    let countries = RwSignal::new(site.client_countries.join(", "));
    let failure = RwSignal::new(None::<Failure>);
    let id = site.id;
    let domain = site.domain.clone();
    let submit = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        let input = SiteInput {
            domain: domain.clone(),
            country: Some(country.get_untracked().trim().to_uppercase()),
            client_countries: shared::account::Site::parse_countries(&countries.get_untracked()),
        };
        spawn_local(async move {
            let path = format!("/sites/{id}");
            if api::settle(failure, api::put::<_, SiteView>(&path, &input).await).is_some() {
                on_saved();
            }
        });
    };
    view! {
        <form class="cab-inline-form" on:submit=submit data-cab="edit-site-form" novalidate>
            <FailureBanner failure=failure />
            <TextField label=|| t("Country of phone numbers (ISO code)", "Страна номеров (код ISO)") value=country failure=failure path="country" />
            <TextField
                label=|| t("Also call back numbers from (ISO codes, e.g. KZ, BY; empty: this country only)", "Также перезванивать на номера стран (коды ISO, например KZ, BY; пусто — только этой страны)")
                value=countries
                failure=failure
                path="client_countries"
                name="client_countries"
            />
            <button type="submit" class="cab-primary">{move || t("Save", "Сохранить")}</button>
        </form>
    }
}

/// "The embed snippet with a copy button".
#[component]
pub fn Snippet(snippet: String) -> impl IntoView {
    view! {
        <div class="cab-snippet">
            <code data-cab="snippet">{snippet.clone()}</code>
            <CopyButton text=snippet />
        </div>
    }
}

/// Adding a site: its domain and the country of its phone numbers.
#[component]
fn AddSite(on_added: impl Fn() + Copy + 'static) -> impl IntoView {
    let domain = RwSignal::new(String::new());
    let country = RwSignal::new("RU".to_string());
    let failure = RwSignal::new(None::<Failure>);
    let submit = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        let input = SiteInput {
            domain: domain.get_untracked(),
            country: Some(country.get_untracked().trim().to_uppercase()),
            client_countries: Vec::new(),
        };
        spawn_local(async move {
            if api::settle(failure, api::post::<_, SiteView>("/sites", &input).await).is_some() {
                domain.set(String::new());
                on_added();
            }
        });
    };
    view! {
        <form class="cab-inline-form" on:submit=submit data-cab="add-site" novalidate>
            <h2>{move || t("Add a site", "Добавить сайт")}</h2>
            <FailureBanner failure=failure />
            <TextField label=|| t("Domain, e.g. okna.ru", "Домен, например okna.ru") value=domain failure=failure path="domain" />
            <TextField label=|| t("Country of phone numbers (ISO code)", "Страна номеров (код ISO)") value=country failure=failure path="country" />
            <button type="submit" class="cab-primary">{move || t("Add site", "Добавить сайт")}</button>
        </form>
    }
}
