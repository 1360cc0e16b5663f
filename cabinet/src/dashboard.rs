//! A site's widgets dashboard (SPEC §6): "add (by kind), open, activate/deactivate, clone,
//! delete (with confirmation), reorder; each card shows the forwarding scenario, schedule
//! summary and badges". Also the site's snippet and the preview link of a widget not yet
//! active.

use crate::api::{self, Failure};
use crate::i18n::{lang, t};
use crate::route::{self, Link, Page, Tab};
use crate::sites::Snippet;
use crate::ui::{FailureBanner, TextField};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::cabinet_api::{
    Badge, NewWidget, PreviewLink, Reorder, SiteView, WidgetCard, WidgetView,
};
use shared::widget::WidgetKind;

/// The kinds a marketer can add, with their names.
fn kind_name(kind: WidgetKind) -> &'static str {
    match kind {
        WidgetKind::Standard => t("Callback button", "Кнопка обратного звонка"),
        WidgetKind::Promo => t("Promo with countdown", "Акция с обратным отсчётом"),
        WidgetKind::MissedCall => t("Missed-call callback", "Перезвон на пропущенные"),
        WidgetKind::LeadForm => t("Lead forms and API orders", "Лид-формы и заказы по API"),
    }
}

const KINDS: [(WidgetKind, &str); 4] = [
    (WidgetKind::Standard, "standard"),
    (WidgetKind::Promo, "promo"),
    (WidgetKind::MissedCall, "missed_call"),
    (WidgetKind::LeadForm, "lead_form"),
];

/// The site's widgets, in order, and what happens to them.
#[derive(Debug, Clone, Copy)]
struct Board {
    site_id: i64,
    cards: RwSignal<Option<Vec<WidgetCard>>>,
    failure: RwSignal<Option<Failure>>,
}

impl Board {
    fn reload(self) {
        spawn_local(async move {
            let lang = untrack(lang).tag();
            let path = format!("/sites/{}/widgets?lang={lang}", self.site_id);
            match api::get::<Vec<WidgetCard>>(&path).await {
                Ok(cards) => self.cards.set(Some(cards)),
                Err(f) => self.failure.set(Some(f)),
            }
        });
    }

    /// Runs `post` on widget `id` (`activate`, `deactivate`, `clone`) and reloads.
    fn act(self, id: i64, what: &'static str) {
        spawn_local(async move {
            api::settle(
                self.failure,
                api::post::<_, WidgetView>(
                    &format!("/widgets/{id}/{what}"),
                    &serde_json::json!({}),
                )
                .await,
            );
            self.reload();
        });
    }

    fn delete(self, id: i64) {
        spawn_local(async move {
            api::settle(self.failure, api::delete(&format!("/widgets/{id}")).await);
            self.reload();
        });
    }

    /// Moves widget `id` one place up (`-1`) or down (`1`).
    fn shift(self, id: i64, by: isize) {
        let Some(mut ids) = self.cards.with_untracked(|c| {
            c.as_ref()
                .map(|c| c.iter().map(|w| w.id).collect::<Vec<_>>())
        }) else {
            return;
        };
        let Some(at) = ids.iter().position(|&w| w == id) else {
            return;
        };
        let to = at as isize + by;
        if to < 0 || to as usize >= ids.len() {
            return;
        }
        ids.swap(at, to as usize);
        let site = self.site_id;
        spawn_local(async move {
            api::settle(
                self.failure,
                api::post::<_, serde_json::Value>(
                    &format!("/sites/{site}/widgets/reorder"),
                    &Reorder { ids },
                )
                .await,
            );
            self.reload();
        });
    }
}

#[component]
pub fn DashboardPage(site_id: i64) -> impl IntoView {
    let site = RwSignal::new(None::<SiteView>);
    let board = Board {
        site_id,
        cards: RwSignal::new(None),
        failure: RwSignal::new(None),
    };
    provide_context(board);
    spawn_local(async move {
        match api::get::<SiteView>(&format!("/sites/{site_id}")).await {
            Ok(s) => site.set(Some(s)),
            Err(f) => board.failure.set(Some(f)),
        }
    });
    // The cards' words come in the interface's language: again when it changes.
    Effect::new(move |_| {
        lang();
        board.reload();
    });
    view! {
        <section class="cab-card">
            <p><Link page=Page::Sites>{move || t("← Sites", "← Сайты")}</Link></p>
            <h1>{move || site.get().map(|s| s.domain).unwrap_or_default()}</h1>
            {move || site.get().map(|s| view! { <Snippet snippet=s.snippet /> })}
            <FailureBanner failure=board.failure />
        </section>
        <section class="cab-card">
            <h2>{move || t("Widgets", "Виджеты")}</h2>
            <p class="cab-muted">{move || t(
                "On every page the first active widget in this list whose conditions match is shown.",
                "На каждой странице показывается первый активный виджет списка, чьи условия подходят.",
            )}</p>
            {move || match board.cards.get() {
                None => view! { <p class="cab-muted">{t("Loading…", "Загрузка…")}</p> }.into_any(),
                Some(cards) if cards.is_empty() => view! {
                    <p class="cab-muted" data-cab="no-widgets">{t("No widgets yet: add one below.", "Виджетов пока нет: добавьте ниже.")}</p>
                }.into_any(),
                Some(cards) => {
                    let last = cards.len() - 1;
                    view! {
                        <ol class="cab-cards">
                            {cards.into_iter().enumerate().map(|(i, c)| view! { <Card card=c first=i == 0 last=i == last /> }).collect_view()}
                        </ol>
                    }.into_any()
                }
            }}
            <AddWidget />
        </section>
    }
}

/// A widget's card.
#[component]
fn Card(card: WidgetCard, first: bool, last: bool) -> impl IntoView {
    let board = expect_context::<Board>();
    let id = card.id;
    let confirming = RwSignal::new(false);
    let preview = RwSignal::new(card.preview.clone());
    let name = card.name.clone();
    let card_name = card.name.clone();
    let make_preview = move |_| {
        spawn_local(async move {
            match api::post::<_, PreviewLink>(
                &format!("/widgets/{id}/preview"),
                &serde_json::json!({}),
            )
            .await
            {
                Ok(l) => preview.set(Some(l)),
                Err(f) => board.failure.set(Some(f)),
            }
        });
    };
    view! {
        <li class="cab-widget-card" data-cab="widget-card" data-name=card_name data-active=card.active.to_string()>
            <div class="cab-row">
                <Link page=Page::Widget(id, Tab::Settings) class="cab-widget-name">{card.name.clone()}</Link>
                <span class="cab-muted">{move || kind_name(card.kind)}</span>
                <span class="cab-spacer"></span>
                {if card.active {
                    view! { <span class="cab-badge cab-badge-on" data-cab="state">{move || t("Active", "Активен")}</span> }.into_any()
                } else {
                    view! { <span class="cab-badge" data-cab="state">{move || t("Inactive", "Выключен")}</span> }.into_any()
                }}
                {card.badges.iter().map(|b| match b {
                    Badge::PromoFinished => view! { <span class="cab-badge cab-badge-warn" data-cab="badge-promo-finished">{move || t("Promo finished", "Акция закончилась")}</span> }.into_any(),
                    Badge::Conflicts => view! {
                        <a class="cab-badge cab-badge-warn" data-cab="badge-conflicts" href=Page::Widget(id, Tab::Errors).path()
                            on:click=move |e| { e.prevent_default(); route::go(Page::Widget(id, Tab::Errors)); }>
                            {move || t("Conflicts", "Конфликты")}
                        </a>
                    }.into_any(),
                }).collect_view()}
            </div>
            <dl class="cab-facts">
                <dt>{move || t("Calls go to", "Звонки идут на")}</dt><dd data-cab="forwarding">{card.forwarding.clone()}</dd>
                <dt>{move || t("Shown", "Показ")}</dt><dd data-cab="schedule">{card.schedule.clone()}</dd>
            </dl>
            <div class="cab-row cab-actions">
                <Link page=Page::Widget(id, Tab::Settings) class="cab-button">{move || t("Open", "Открыть")}</Link>
                {if card.active {
                    view! { <button type="button" class="cab-secondary" data-cab="deactivate" on:click=move |_| board.act(id, "deactivate")>{move || t("Deactivate", "Выключить")}</button> }.into_any()
                } else {
                    view! { <button type="button" class="cab-primary" data-cab="activate" on:click=move |_| board.act(id, "activate")>{move || t("Activate", "Включить")}</button> }.into_any()
                }}
                <button type="button" class="cab-secondary" data-cab="clone" on:click=move |_| board.act(id, "clone")>{move || t("Clone", "Копировать")}</button>
                <button type="button" class="cab-secondary" data-cab="up" disabled=first on:click=move |_| board.shift(id, -1)
                    aria-label=move || t("Move up", "Выше")>"↑"</button>
                <button type="button" class="cab-secondary" data-cab="down" disabled=last on:click=move |_| board.shift(id, 1)
                    aria-label=move || t("Move down", "Ниже")>"↓"</button>
                <Show when=move || !card.active && preview.with(Option::is_none)>
                    <button type="button" class="cab-secondary" data-cab="preview-link" on:click=make_preview>{move || t("Preview link", "Ссылка для просмотра")}</button>
                </Show>
                <button type="button" class="cab-danger" data-cab="delete" on:click=move |_| confirming.set(true)>{move || t("Delete", "Удалить")}</button>
            </div>
            {move || preview.get().filter(|_| !card.active).map(|link| {
                let works = shared::preview::link_works(Some(link.expires_at), crate::journal::now());
                let until = crate::journal::show_time(link.expires_at);
                view! {
                    <div class="cab-preview-link" data-cab="preview" data-works=works.to_string()>
                        <p class="cab-muted">{t("Open on your site to see this widget before it is active: ", "Откройте на сайте, чтобы увидеть виджет до включения: ")}
                            <a href=link.url.clone() target="_blank" rel="noopener noreferrer" data-cab="preview-url">{link.url.clone()}</a></p>
                        <p class="cab-row">
                            <span class="cab-muted" data-cab="preview-expires">{if works {
                                format!("{} {until}", t("The link works until", "Ссылка работает до"))
                            } else {
                                format!("{} {until}", t("The link expired on", "Срок ссылки истёк"))
                            }}</span>
                            <button type="button" class="cab-secondary" data-cab="preview-renew" on:click=make_preview
                                title=move || t("A new link; the old one stops working", "Новая ссылка; старая перестанет работать")>
                                {move || t("Renew link", "Обновить ссылку")}
                            </button>
                        </p>
                    </div>
                }
            })}
            <Show when=move || confirming.get()>
                <div class="cab-confirm" role="alertdialog" data-cab="confirm-delete">
                    <span>{let name = name.clone(); move || format!("{} «{}»?", t("Delete the widget", "Удалить виджет"), name)}</span>
                    <button type="button" class="cab-danger" data-cab="confirm" on:click=move |_| { confirming.set(false); board.delete(id); }>{move || t("Delete", "Удалить")}</button>
                    <button type="button" class="cab-secondary" on:click=move |_| confirming.set(false)>{move || t("Keep", "Оставить")}</button>
                </div>
            </Show>
        </li>
    }
}

/// "Add (by kind)".
#[component]
fn AddWidget() -> impl IntoView {
    let board = expect_context::<Board>();
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(WidgetKind::Standard);
    let failure = RwSignal::new(None::<Failure>);
    let submit = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        let mut new = NewWidget {
            name: name.get_untracked().trim().to_string(),
            kind: kind.get_untracked(),
        };
        if new.name.is_empty() {
            new.name = kind_name(new.kind).to_string();
        }
        let site = board.site_id;
        spawn_local(async move {
            let answer = api::post::<_, WidgetView>(&format!("/sites/{site}/widgets"), &new).await;
            if let Some(w) = api::settle(failure, answer) {
                route::go(Page::Widget(w.id, Tab::Settings));
            }
        });
    };
    view! {
        <form class="cab-inline-form" on:submit=submit data-cab="add-widget" novalidate>
            <h3>{move || t("Add a widget", "Добавить виджет")}</h3>
            <FailureBanner failure=failure />
            <TextField label=|| t("Name", "Название") value=name failure=failure path="name" />
            <label class="cab-field">
                <span>{move || t("Kind", "Тип")}</span>
                <select name="kind" on:change=move |e| {
                    let v = event_target_value(&e);
                    if let Some((k, _)) = KINDS.iter().find(|(_, s)| *s == v) { kind.set(*k); }
                }>
                    {KINDS.iter().map(|(k, slug)| { let k = *k; view! { <option value=*slug>{move || kind_name(k)}</option> } }).collect_view()}
                </select>
            </label>
            <button type="submit" class="cab-primary">{move || t("Add widget", "Добавить виджет")}</button>
        </form>
    }
}
