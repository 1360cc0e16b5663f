//! A widget's editor (SPEC §6): its tabs, the rule that "editing is possible only while
//! deactivated" (the page says so and offers to deactivate), settings tabs that save on
//! change, and the Button and Form tabs that save with a button and warn about unsaved
//! changes on leaving.

mod conditions;
pub(crate) mod grid;
mod look;
mod others;
mod promo;
mod settings;

use crate::api::{self, Failure};
use crate::i18n::t;
use crate::route::{self, Link, Page, Tab};
use crate::ui::{FailureBanner, SaveNote, SaveState};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::cabinet_api::{SiteView, WidgetView};
use shared::widget::WidgetSettings;

/// The widget being edited: what is stored, the draft on screen, and how saving went.
#[derive(Debug, Clone, Copy)]
pub struct Editor {
    pub id: i64,
    pub stored: RwSignal<Option<WidgetView>>,
    pub draft: RwSignal<Option<WidgetSettings>>,
    pub site: RwSignal<Option<SiteView>>,
    pub failure: RwSignal<Option<Failure>>,
    pub state: RwSignal<SaveState>,
    /// The Button or Form tab has changes not saved yet.
    pub dirty: RwSignal<bool>,
}

const UNSAVED: &str = "The widget has unsaved changes. Leave without saving? / Есть несохранённые изменения. Уйти без сохранения?";

impl Editor {
    fn new(id: i64) -> Editor {
        Editor {
            id,
            stored: RwSignal::new(None),
            draft: RwSignal::new(None),
            site: RwSignal::new(None),
            failure: RwSignal::new(None),
            state: RwSignal::new(SaveState::Idle),
            dirty: RwSignal::new(false),
        }
    }

    fn load(self) {
        spawn_local(async move {
            match api::get::<WidgetView>(&format!("/widgets/{}", self.id)).await {
                Ok(v) => {
                    let site_id = v.site_id;
                    self.draft.set(Some(v.settings.clone()));
                    self.stored.set(Some(v));
                    if let Ok(s) = api::get::<SiteView>(&format!("/sites/{site_id}")).await {
                        self.site.set(Some(s));
                    }
                }
                Err(f) => self.failure.set(Some(f)),
            }
        });
    }

    /// "A widget's settings can be changed only while it is deactivated."
    pub fn locked(self) -> bool {
        self.stored.with(|v| v.as_ref().is_some_and(|v| v.active))
    }

    /// A value of the draft (tracked).
    pub fn read<T>(self, f: impl FnOnce(&WidgetSettings) -> T) -> Option<T> {
        self.draft.with(|d| d.as_ref().map(f))
    }

    /// Settings tabs: a change is saved at once ("settings tabs save on change").
    pub fn change(self, f: impl FnOnce(&mut WidgetSettings)) {
        self.draft.update(|d| {
            if let Some(d) = d {
                f(d)
            }
        });
        self.save();
    }

    /// Button and Form tabs: a change waits for the Save button.
    pub fn edit(self, f: impl FnOnce(&mut WidgetSettings)) {
        self.draft.update(|d| {
            if let Some(d) = d {
                f(d)
            }
        });
        self.dirty.set(true);
        self.state.set(SaveState::Idle);
        route::guard(Some(UNSAVED));
    }

    /// Sends the draft; problems show next to their fields.
    pub fn save(self) {
        let Some(settings) = self.draft.get_untracked() else {
            return;
        };
        self.state.set(SaveState::Saving);
        spawn_local(async move {
            match api::put::<_, WidgetView>(&format!("/widgets/{}", self.id), &settings).await {
                Ok(v) => {
                    self.stored.set(Some(v));
                    self.failure.set(None);
                    self.state.set(SaveState::Saved);
                    self.dirty.set(false);
                    route::guard(None);
                }
                Err(f) => {
                    self.failure.set(Some(f.clone()));
                    self.state.set(SaveState::Failed(f));
                }
            }
        });
    }

    /// Back to what is stored.
    pub fn discard(self) {
        self.draft
            .set(self.stored.get_untracked().map(|v| v.settings));
        self.dirty.set(false);
        self.failure.set(None);
        self.state.set(SaveState::Idle);
        route::guard(None);
    }

    fn set_active(self, on: bool) {
        let what = if on { "activate" } else { "deactivate" };
        spawn_local(async move {
            match api::post::<_, WidgetView>(
                &format!("/widgets/{}/{what}", self.id),
                &serde_json::json!({}),
            )
            .await
            {
                Ok(v) => {
                    self.failure.set(None);
                    self.stored.set(Some(v));
                }
                Err(f) => self.failure.set(Some(f)),
            }
        });
    }
}

fn tab_name(tab: Tab) -> &'static str {
    match tab {
        Tab::Settings => t("Settings", "Настройки"),
        Tab::Departments => t("Departments", "Отделы"),
        Tab::Conditions => t("Conditions", "Условия"),
        Tab::Notifications => t("Notifications", "Уведомления"),
        Tab::Button => t("Button", "Кнопка"),
        Tab::Form => t("Form", "Форма"),
        Tab::Errors => t("Errors", "Ошибки"),
    }
}

#[component]
pub fn EditorPage(widget_id: i64, tab: Tab) -> impl IntoView {
    let editor = Editor::new(widget_id);
    provide_context(editor);
    editor.load();
    on_cleanup(|| route::guard(None));
    let locked = move || editor.locked();
    view! {
        <section class="cab-card">
            {move || editor.stored.get().map(|v| view! {
                <p><Link page=Page::Site(v.site_id)>{move || t("← Widgets", "← Виджеты")}</Link></p>
            })}
            <div class="cab-row">
                <h1 data-cab="widget-title">{move || editor.read(|s| s.name.clone()).unwrap_or_default()}</h1>
                <span class="cab-spacer"></span>
                <SaveNote state=editor.state />
            </div>
            <Show when=locked>
                <div class="cab-locked" role="status" data-cab="locked">
                    {move || t(
                        "This widget is active, so its settings are read-only. Deactivate it to change them.",
                        "Виджет включён, поэтому настройки только для чтения. Выключите его, чтобы изменить.",
                    )}
                    <button type="button" class="cab-secondary" data-cab="deactivate" on:click=move |_| editor.set_active(false)>
                        {move || t("Deactivate", "Выключить")}
                    </button>
                </div>
            </Show>
            <Show when=move || !locked() && editor.stored.with(Option::is_some)>
                <div class="cab-row">
                    <span class="cab-muted">{move || t("Inactive: visitors do not see it yet.", "Выключен: посетители его пока не видят.")}</span>
                    <button type="button" class="cab-primary" data-cab="activate" on:click=move |_| editor.set_active(true)>
                        {move || t("Activate", "Включить")}
                    </button>
                </div>
            </Show>
            {move || editor.stored.with(|v| v.as_ref().map(|v| v.warnings.clone())).filter(|w| !w.is_empty()).map(|w| view! {
                <ul class="cab-warnings" data-cab="warnings">{w.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
            })}
            <FailureBanner failure=editor.failure />
            <nav class="cab-tabs" role="tablist">
                {Tab::ALL.into_iter().map(|t_| view! {
                    <a
                        role="tab"
                        href=Page::Widget(widget_id, t_).path()
                        aria-selected=(t_ == tab).to_string()
                        data-tab=t_.slug()
                        on:click=move |e| { e.prevent_default(); route::go(Page::Widget(widget_id, t_)); }
                    >
                        {move || tab_name(t_)}
                    </a>
                }).collect_view()}
            </nav>
        </section>
        <Show when=move || editor.draft.with(Option::is_some)>
            <section class="cab-card" role="tabpanel" data-cab=format!("tab-{}", tab.slug())>
                {match tab {
                    Tab::Settings => view! { <settings::SettingsTab /> }.into_any(),
                    Tab::Departments => view! { <others::DepartmentsTab /> }.into_any(),
                    Tab::Conditions => view! { <conditions::ConditionsTab /> }.into_any(),
                    Tab::Notifications => view! { <others::NotificationsTab /> }.into_any(),
                    Tab::Button => view! { <look::ButtonTab /> }.into_any(),
                    Tab::Form => view! { <look::FormTab /> }.into_any(),
                    Tab::Errors => view! { <others::ErrorsTab /> }.into_any(),
                }}
            </section>
        </Show>
    }
}
