//! The Departments, Notifications and Errors tabs (SPEC §6).

use super::Editor;
use crate::api;
use crate::i18n::{lang, t};
use crate::route::{self, Link, Page, Tab};
use crate::ui::Problem;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::cabinet_api::{ConflictView, WidgetCard};
use shared::departments::Department;
use shared::notify::{Channel, NotificationRule, NotifyMode};

/// Which of the account's departments the form offers, in order, and whether the visitor must
/// choose one.
#[component]
pub fn DepartmentsTab() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let all = RwSignal::new(None::<Vec<Department>>);
    spawn_local(async move {
        all.set(Some(
            api::get::<Vec<Department>>("/departments")
                .await
                .unwrap_or_default(),
        ));
    });
    let offered = move || {
        editor
            .read(|s| s.departments.offered.clone())
            .unwrap_or_default()
    };
    view! {
        <p class="cab-muted">{move || t(
            "Offered departments appear in the form; each has its own number and hours. The account's departments are kept in the Departments section.",
            "Выбранные отделы появляются в форме; у каждого свой номер и часы. Отделы аккаунта задаются в разделе «Отделы».",
        )}</p>
        <fieldset class="cab-plain" disabled=move || editor.locked()>
            {move || match all.get() {
                None => view! { <p class="cab-muted">{t("Loading…", "Загрузка…")}</p> }.into_any(),
                Some(list) if list.is_empty() => view! {
                    <p>{t("The account has no departments yet. ", "В аккаунте пока нет отделов. ")}
                        <Link page=Page::Departments>{t("Add departments", "Добавить отделы")}</Link></p>
                }.into_any(),
                Some(list) => list.into_iter().map(|d| {
                    let id = d.id;
                    view! {
                        <label class="cab-check" data-cab="department">
                            <input type="checkbox" prop:checked=move || offered().contains(&id)
                                on:change=move |e| {
                                    let on = event_target_checked(&e);
                                    editor.change(|s| {
                                        s.departments.offered.retain(|x| *x != id);
                                        if on { s.departments.offered.push(id); }
                                    });
                                } />
                            {d.name.clone()} " " <span class="cab-muted">{d.number.clone()} " · " {d.schedule.hours.describe_in(lang())}</span>
                        </label>
                    }
                }).collect_view().into_any(),
            }}
            <label class="cab-check">
                <input type="checkbox" name="must_choose" prop:checked=move || editor.read(|s| s.departments.must_choose).unwrap_or(false)
                    on:change=move |e| { let on = event_target_checked(&e); editor.change(|s| s.departments.must_choose = on) } />
                {move || t("The visitor must choose a department (nothing preselected)", "Посетитель должен выбрать отдел (ничего не выбрано заранее)")}
            </label>
            <Problem failure=editor.failure path="departments" />
        </fieldset>
    }
}

fn mode_name(m: NotifyMode) -> &'static str {
    match m {
        NotifyMode::All => t("about every call", "о каждом звонке"),
        NotifyMode::Failed => t("about failed calls", "о неудачных звонках"),
        NotifyMode::LastInChain => t(
            "about the last call of each order",
            "о последнем звонке заказа",
        ),
    }
}

/// Who is told about calls, by email or SMS.
#[component]
pub fn NotificationsTab() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let rules = move || editor.read(|s| s.notifications.clone()).unwrap_or_default();
    let to = RwSignal::new(String::new());
    let channel = RwSignal::new(Channel::Email);
    let mode = RwSignal::new(NotifyMode::All);
    let add = move |_| {
        let v = to.get_untracked().trim().to_string();
        if v.is_empty() {
            return;
        }
        to.set(String::new());
        editor.change(|s| {
            s.notifications.push(NotificationRule {
                channel: channel.get_untracked(),
                to: v,
                mode: mode.get_untracked(),
            })
        });
    };
    view! {
        <fieldset class="cab-plain" disabled=move || editor.locked()>
            <ul class="cab-rules" data-cab="notifications">
                {move || rules().into_iter().enumerate().map(|(i, r)| view! {
                    <li class="cab-row">
                        <span>{if r.channel == Channel::Email { "Email" } else { "SMS" }}</span>
                        <strong>{r.to.clone()}</strong>
                        <span class="cab-muted">{mode_name(r.mode)}</span>
                        <button type="button" class="cab-secondary" on:click=move |_| editor.change(|s| { s.notifications.remove(i); })>"✕"</button>
                        <Problem failure=editor.failure path=format!("notifications[{i}]") />
                    </li>
                }).collect_view()}
            </ul>
            <div class="cab-row cab-wrap" data-cab="add-notification">
                <select on:change=move |e| channel.set(if event_target_value(&e) == "sms" { Channel::Sms } else { Channel::Email })>
                    <option value="email">"Email"</option>
                    <option value="sms">"SMS"</option>
                </select>
                <input name="notify_to" placeholder="anna@okna.ru" prop:value=move || to.get() on:input=move |e| to.set(event_target_value(&e)) />
                <select on:change=move |e| mode.set(match event_target_value(&e).as_str() { "failed" => NotifyMode::Failed, "last" => NotifyMode::LastInChain, _ => NotifyMode::All })>
                    <option value="all">{move || mode_name(NotifyMode::All)}</option>
                    <option value="failed">{move || mode_name(NotifyMode::Failed)}</option>
                    <option value="last">{move || mode_name(NotifyMode::LastInChain)}</option>
                </select>
                <button type="button" class="cab-secondary" on:click=add>{move || t("Add", "Добавить")}</button>
            </div>
        </fieldset>
    }
}

/// The site's conflicts explained in words, with links to the widgets involved.
#[component]
pub fn ErrorsTab() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let conflicts = RwSignal::new(None::<Vec<ConflictView>>);
    let names = RwSignal::new(Vec::<WidgetCard>::new());
    Effect::new(move |_| {
        let Some(site) = editor.stored.with(|v| v.as_ref().map(|v| v.site_id)) else {
            return;
        };
        spawn_local(async move {
            names.set(
                api::get::<Vec<WidgetCard>>(&format!("/sites/{site}/widgets"))
                    .await
                    .unwrap_or_default(),
            );
            conflicts.set(Some(
                api::get::<Vec<ConflictView>>(&format!("/sites/{site}/conflicts"))
                    .await
                    .unwrap_or_default(),
            ));
        });
    });
    let name = move |id: i64| {
        names
            .with(|n| n.iter().find(|c| c.id == id).map(|c| c.name.clone()))
            .unwrap_or_else(|| format!("#{id}"))
    };
    view! {
        {move || match conflicts.get() {
            None => view! { <p class="cab-muted">{t("Loading…", "Загрузка…")}</p> }.into_any(),
            Some(list) if list.is_empty() => view! { <p data-cab="no-conflicts">{t("No conflicts: every widget shows where it should.", "Конфликтов нет: каждый виджет показывается там, где должен.")}</p> }.into_any(),
            Some(list) => view! {
                <ul class="cab-conflicts">
                    {list.into_iter().map(|c| view! {
                        <li data-cab="conflict">
                            <p>{c.message.clone()}</p>
                            <p>
                                <a href=Page::Widget(c.first, Tab::Settings).path() on:click=move |e| { e.prevent_default(); route::go(Page::Widget(c.first, Tab::Settings)) }>{name(c.first)}</a>
                                " · "
                                <a href=Page::Widget(c.second, Tab::Settings).path() on:click=move |e| { e.prevent_default(); route::go(Page::Widget(c.second, Tab::Settings)) }>{name(c.second)}</a>
                            </p>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}
