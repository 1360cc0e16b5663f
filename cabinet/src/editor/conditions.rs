//! The Conditions tab (SPEC §3 "Display conditions"): named sets of device, page, traffic and
//! geo rules, at most one of them active. Each change of a set is saved at once.

use super::Editor;
use crate::api::{self, Failure};
use crate::i18n::t;
use crate::ui::FailureBanner;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::cabinet_api::ConditionSetView;
use shared::conditions::{
    ConditionSet, Effect, GeoLevel, GeoRule, Join, PageMatch, PageRule, TrafficRule,
};

/// The widget's condition sets.
#[derive(Debug, Clone, Copy)]
struct Sets {
    widget: i64,
    list: RwSignal<Option<Vec<ConditionSetView>>>,
    failure: RwSignal<Option<Failure>>,
}

impl Sets {
    fn reload(self) {
        spawn_local(async move {
            match api::get::<Vec<ConditionSetView>>(&format!("/widgets/{}/conditions", self.widget))
                .await
            {
                Ok(l) => self.list.set(Some(l)),
                Err(f) => self.failure.set(Some(f)),
            }
        });
    }

    fn add(self) {
        let n = self.list.with_untracked(|l| l.as_ref().map_or(0, Vec::len)) + 1;
        let set = ConditionSet {
            name: format!("{} {n}", t("Conditions", "Условия")),
            active: n == 1,
            ..ConditionSet::default()
        };
        spawn_local(async move {
            api::settle(
                self.failure,
                api::post::<_, ConditionSetView>(
                    &format!("/widgets/{}/conditions", self.widget),
                    &set,
                )
                .await,
            );
            self.reload();
        });
    }

    /// Saves set `id`; when it becomes active, the one active before is switched off first.
    fn save(self, id: i64, set: ConditionSet) {
        let others: Vec<ConditionSetView> = self.list.with_untracked(|l| {
            l.iter()
                .flatten()
                .filter(|v| v.id != id && v.set.active && set.active)
                .cloned()
                .collect()
        });
        spawn_local(async move {
            for mut o in others {
                o.set.active = false;
                let _ = api::put::<_, serde_json::Value>(
                    &format!("/widgets/{}/conditions/{}", self.widget, o.id),
                    &o.set,
                )
                .await;
            }
            api::settle(
                self.failure,
                api::put::<_, serde_json::Value>(
                    &format!("/widgets/{}/conditions/{id}", self.widget),
                    &set,
                )
                .await,
            );
            self.reload();
        });
    }

    fn delete(self, id: i64) {
        spawn_local(async move {
            api::settle(
                self.failure,
                api::delete(&format!("/widgets/{}/conditions/{id}", self.widget)).await,
            );
            self.reload();
        });
    }
}

#[component]
pub fn ConditionsTab() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let sets = Sets {
        widget: editor.id,
        list: RwSignal::new(None),
        failure: RwSignal::new(None),
    };
    provide_context(sets);
    sets.reload();
    view! {
        <p class="cab-muted">{move || t(
            "The widget shows only where the active set allows: every rule kind must allow the visit. Without an active set it shows everywhere.",
            "Виджет показывается только там, где разрешает активный набор: каждый вид правил должен разрешить визит. Без активного набора — везде.",
        )}</p>
        <FailureBanner failure=sets.failure />
        <fieldset class="cab-plain" disabled=move || editor.locked()>
            {move || sets.list.get().map(|list| list.into_iter().map(|v| view! { <SetEditor view=v /> }).collect_view())}
            <button type="button" class="cab-secondary" data-cab="add-set" on:click=move |_| sets.add()>
                {move || t("Add a condition set", "Добавить набор условий")}
            </button>
        </fieldset>
    }
}

fn effect_select(value: Effect, on: impl Fn(Effect) + 'static) -> impl IntoView {
    view! {
        <select on:change=move |e| on(if event_target_value(&e) == "deny" { Effect::Deny } else { Effect::Allow })>
            <option value="allow" selected=value == Effect::Allow>{move || t("show", "показывать")}</option>
            <option value="deny" selected=value == Effect::Deny>{move || t("hide", "скрывать")}</option>
        </select>
    }
}

/// One set's rules.
#[component]
fn SetEditor(view: ConditionSetView) -> impl IntoView {
    let sets = expect_context::<Sets>();
    let id = view.id;
    let set = view.set;
    // Each edit starts from the set as loaded and saves the whole set.
    let current = StoredValue::new(set.clone());
    let change = move |f: Box<dyn FnOnce(&mut ConditionSet)>| {
        let mut s = current.get_value();
        f(&mut s);
        current.set_value(s.clone());
        sets.save(id, s);
    };
    let device = |name: &'static str,
                  get: fn(&ConditionSet) -> Effect,
                  put: fn(&mut ConditionSet, Effect)| {
        let value = get(&set);
        view! {
            <label class="cab-small-field">
                <span>{name}</span>
                {effect_select(value, move |e| change(Box::new(move |s| put(s, e))))}
            </label>
        }
    };
    view! {
        <article class="cab-set" data-cab="condition-set">
            <div class="cab-row">
                <input name="set_name" prop:value=set.name.clone()
                    on:change=move |e| { let v = event_target_value(&e); change(Box::new(move |s| s.name = v)) } />
                <label class="cab-check">
                    <input type="checkbox" name="set_active" prop:checked=set.active
                        on:change=move |e| { let on = event_target_checked(&e); change(Box::new(move |s| s.active = on)) } />
                    {move || t("Active", "Активен")}
                </label>
                <span class="cab-spacer"></span>
                <button type="button" class="cab-danger" on:click=move |_| sets.delete(id)>{move || t("Delete", "Удалить")}</button>
            </div>
            <h3>{move || t("Devices", "Устройства")}</h3>
            <div class="cab-row cab-wrap" data-cab="devices">
                {device("desktop", |s| s.devices.desktop, |s, e| s.devices.desktop = e)}
                {device("tablet", |s| s.devices.tablet, |s, e| s.devices.tablet = e)}
                {device("mobile", |s| s.devices.mobile, |s, e| s.devices.mobile = e)}
            </div>
            <h3>{move || t("Pages", "Страницы")}</h3>
            <ul class="cab-rules" data-cab="pages">
                {set.pages.iter().cloned().enumerate().map(|(i, r)| view! {
                    <li class="cab-row cab-wrap">
                        <select on:change=move |e| {
                            let m = match event_target_value(&e).as_str() { "equals" => PageMatch::Equals, "starts_with" => PageMatch::StartsWith, "regex" => PageMatch::Regex, _ => PageMatch::Contains };
                            change(Box::new(move |s| s.pages[i].matching = m));
                        }>
                            <option value="contains" selected=r.matching == PageMatch::Contains>{move || t("URL contains", "URL содержит")}</option>
                            <option value="equals" selected=r.matching == PageMatch::Equals>{move || t("URL is", "URL равен")}</option>
                            <option value="starts_with" selected=r.matching == PageMatch::StartsWith>{move || t("URL starts with", "URL начинается с")}</option>
                            <option value="regex" selected=r.matching == PageMatch::Regex>{move || t("URL matches regex", "URL подходит под regex")}</option>
                        </select>
                        <input name=format!("page_{i}") prop:value=r.value.clone()
                            on:change=move |e| { let v = event_target_value(&e); change(Box::new(move |s| s.pages[i].value = v)) } />
                        {effect_select(r.effect, move |e| change(Box::new(move |s| s.pages[i].effect = e)))}
                        <button type="button" class="cab-secondary" on:click=move |_| change(Box::new(move |s| { s.pages.remove(i); }))>"✕"</button>
                    </li>
                }).collect_view()}
            </ul>
            <AddRule placeholder="/catalog" data="add-page-rule"
                label=|| t("Add a page rule (URL contains)", "Добавить правило страницы (URL содержит)")
                on_add=Callback::new(move |v: String| change(Box::new(move |s| s.pages.push(PageRule { matching: PageMatch::Contains, value: v, effect: Effect::Allow })))) />
            <h3>{move || t("Traffic (UTM)", "Трафик (UTM)")}</h3>
            <select on:change=move |e| { let j = if event_target_value(&e) == "and" { Join::And } else { Join::Or }; change(Box::new(move |s| s.traffic.join = j)) }>
                <option value="or" selected=set.traffic.join == Join::Or>{move || t("any rule may match", "подходит любое правило")}</option>
                <option value="and" selected=set.traffic.join == Join::And>{move || t("every rule must match", "должны подойти все правила")}</option>
            </select>
            <ul class="cab-rules" data-cab="traffic">
                {set.traffic.rules.iter().cloned().enumerate().map(|(i, r)| {
                    let field = move |label: &'static str, value: Option<String>, put: fn(&mut TrafficRule, Option<String>)| view! {
                        <input placeholder=label prop:value=value.unwrap_or_default()
                            on:change=move |e| { let v = event_target_value(&e); let v = (!v.trim().is_empty()).then_some(v); change(Box::new(move |s| put(&mut s.traffic.rules[i], v))) } />
                    };
                    view! {
                        <li class="cab-row cab-wrap">
                            {field("utm_source", r.source.clone(), |r, v| r.source = v)}
                            {field("utm_medium", r.medium.clone(), |r, v| r.medium = v)}
                            {field("utm_campaign", r.campaign.clone(), |r, v| r.campaign = v)}
                            {effect_select(r.effect, move |e| change(Box::new(move |s| s.traffic.rules[i].effect = e)))}
                            <button type="button" class="cab-secondary" on:click=move |_| change(Box::new(move |s| { s.traffic.rules.remove(i); }))>"✕"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <AddRule placeholder="utm_source" data="add-traffic-rule"
                label=|| t("Add a traffic rule (utm_source)", "Добавить правило трафика (utm_source)")
                on_add=Callback::new(move |v: String| change(Box::new(move |s| s.traffic.rules.push(TrafficRule { source: Some(v), ..TrafficRule::default() })))) />
            <h3>{move || t("Geography", "География")}</h3>
            <ul class="cab-rules" data-cab="geo">
                {set.geo.iter().cloned().enumerate().map(|(i, r)| view! {
                    <li class="cab-row cab-wrap">
                        <select on:change=move |e| {
                            let l = match event_target_value(&e).as_str() { "region" => GeoLevel::Region, "city" => GeoLevel::City, _ => GeoLevel::Country };
                            change(Box::new(move |s| s.geo[i].level = l));
                        }>
                            <option value="country" selected=r.level == GeoLevel::Country>{move || t("country (code)", "страна (код)")}</option>
                            <option value="region" selected=r.level == GeoLevel::Region>{move || t("region", "регион")}</option>
                            <option value="city" selected=r.level == GeoLevel::City>{move || t("city", "город")}</option>
                        </select>
                        <input name=format!("geo_{i}") prop:value=r.value.clone()
                            on:change=move |e| { let v = event_target_value(&e); change(Box::new(move |s| s.geo[i].value = v)) } />
                        {effect_select(r.effect, move |e| change(Box::new(move |s| s.geo[i].effect = e)))}
                        <button type="button" class="cab-secondary" on:click=move |_| change(Box::new(move |s| { s.geo.remove(i); }))>"✕"</button>
                    </li>
                }).collect_view()}
            </ul>
            <AddRule placeholder="RU" data="add-geo-rule"
                label=|| t("Add a geo rule (country code)", "Добавить правило географии (код страны)")
                on_add=Callback::new(move |v: String| change(Box::new(move |s| s.geo.push(GeoRule { level: GeoLevel::Country, value: v, effect: Effect::Allow })))) />
        </article>
    }
}

/// A new rule's value and its Add button.
#[component]
fn AddRule(
    label: fn() -> &'static str,
    placeholder: &'static str,
    data: &'static str,
    on_add: Callback<String>,
) -> impl IntoView {
    let value = RwSignal::new(String::new());
    let add = move || {
        let v = value.get_untracked().trim().to_string();
        if !v.is_empty() {
            value.set(String::new());
            on_add.run(v);
        }
    };
    view! {
        <div class="cab-row" data-cab=data>
            <input aria-label=label placeholder=placeholder prop:value=move || value.get()
                on:input=move |e| value.set(event_target_value(&e))
                on:keydown=move |e: web_sys::KeyboardEvent| if e.key() == "Enter" { e.prevent_default(); add() } />
            <button type="button" class="cab-secondary" on:click=move |_| add()>{label}</button>
        </div>
    }
}
