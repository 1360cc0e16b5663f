//! The blacklist (SPEC §4, §6): "numbers (and IPs) blocked from ordering callbacks get a polite
//! refusal, and nothing is dialed."
//!
//! `GET /blacklist` lists the entries, `POST /blacklist` adds a number (any usual spelling; the
//! worker normalizes it to E.164 with the account's country) or an IP address or network, and
//! `DELETE /blacklist/{id}` removes one after the marketer confirms.

use crate::api::{self, Failure};
use crate::i18n::t;
use crate::ui::{DeleteButton, FailureBanner, ListTable, Problem, TextField};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::blacklist::BlacklistEntry;
use shared::cabinet_api::{BlacklistInput, BlacklistView};
use shared::limits::DailyCaps;

/// What the form adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Phone,
    Ip,
}

impl Kind {
    fn input(self, value: &str) -> BlacklistInput {
        let value = value.trim().to_string();
        match self {
            Kind::Phone => BlacklistInput::Phone(value),
            Kind::Ip => BlacklistInput::Ip(value),
        }
    }
}

/// The entry as people write it: the number, or the address (a network with its prefix).
fn entry_text(entry: &BlacklistEntry) -> String {
    match entry {
        BlacklistEntry::Phone(p) => p.as_str().to_string(),
        BlacklistEntry::Ip(net) if net.prefix_len() == net.max_prefix_len() => {
            net.addr().to_string()
        }
        BlacklistEntry::Ip(net) => net.to_string(),
    }
}

fn entry_kind(entry: &BlacklistEntry) -> Kind {
    match entry {
        BlacklistEntry::Phone(_) => Kind::Phone,
        BlacklistEntry::Ip(_) => Kind::Ip,
    }
}

/// Whether `entry` matches the search text (digits of a number match whatever the spelling).
fn matches(entry: &BlacklistEntry, search: &str) -> bool {
    let search = search.trim().to_lowercase();
    if search.is_empty() {
        return true;
    }
    let text = entry_text(entry).to_lowercase();
    if text.contains(&search) {
        return true;
    }
    let digits: String = search.chars().filter(char::is_ascii_digit).collect();
    matches!(entry, BlacklistEntry::Phone(_))
        && !digits.is_empty()
        && text
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .contains(&digits)
}

#[component]
pub fn BlacklistPage() -> impl IntoView {
    let entries = RwSignal::new(None::<Vec<BlacklistView>>);
    let list_failure = RwSignal::new(None::<Failure>);
    let search = RwSignal::new(String::new());
    spawn_local(async move {
        match api::get::<Vec<BlacklistView>>("/blacklist").await {
            Ok(list) => entries.set(Some(list)),
            Err(f) => list_failure.set(Some(f)),
        }
    });
    let shown = move || {
        let search = search.get();
        entries.with(|e| {
            e.as_ref()
                .map(|e| {
                    e.iter()
                        .filter(|v| matches(&v.entry, &search))
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let count = move || entries.with(|e| e.as_ref().map_or(0, Vec::len));

    view! {
        <section class="cab-card cab-blacklist" data-cab="blacklist">
            <div class="cab-pagehead">
                <h1>{move || t("Blacklist", "Чёрный список")}</h1>
            </div>
            <p class="cab-muted">
                {move || t(
                    "Numbers and IP addresses on this list cannot order callbacks: the visitor gets a polite refusal and nothing is dialed.",
                    "С номеров и IP-адресов из этого списка нельзя заказать обратный звонок: посетитель получит вежливый отказ, звонка не будет.",
                )}
            </p>
            <AddForm entries=entries />
            <FailureBanner failure=list_failure />
            <div class="cab-listhead">
                <h2>
                    {move || t("Blocked", "Заблокированы")}
                    " "
                    <span class="cab-muted" data-cab="blacklist-count">{move || format!("({})", count())}</span>
                </h2>
                <Show when=move || { count() > 5 }>
                    <input
                        type="search"
                        class="cab-search"
                        data-cab="blacklist-search"
                        placeholder=move || t("Find a number or address", "Найти номер или адрес")
                        aria-label=move || t("Find a number or address", "Найти номер или адрес")
                        prop:value=move || search.get()
                        on:input=move |e| search.set(event_target_value(&e))
                    />
                </Show>
            </div>
            <ListTable
                empty=move || entries.with(|e| e.as_ref().map(Vec::is_empty))
                failed=move || list_failure.with(Option::is_some)
                cab="blacklist"
                nothing=|| t("The list is empty.", "Список пуст.")
                heads=vec![|| t("Number or address", "Номер или адрес"), || t("Kind", "Тип")]
            >
                <For
                    each=shown
                    key=|v: &BlacklistView| v.id
                    children=move |v: BlacklistView| view! { <EntryRow item=v entries=entries /> }
                />
            </ListTable>
        </section>
        <DailyLimits />
    }
}

/// The account's daily caps for each client number ([`shared::limits::DailyCaps`]): "default
/// 5 orders and 15 rings a day, retries included; the cabinet edits them".
#[component]
fn DailyLimits() -> impl IntoView {
    let orders = RwSignal::new(String::new());
    let rings = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let saved = RwSignal::new(false);
    let show = move |caps: DailyCaps| {
        orders.set(caps.orders_per_number.to_string());
        rings.set(caps.rings_per_number.to_string());
    };
    spawn_local(async move {
        if let Some(caps) = api::settle(failure, api::get::<DailyCaps>("/limits").await) {
            show(caps);
        }
    });
    let submit = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        let number = |s: RwSignal<String>| s.get_untracked().trim().parse::<u32>().unwrap_or(0);
        let caps = DailyCaps {
            orders_per_number: number(orders),
            rings_per_number: number(rings),
        };
        saved.set(false);
        spawn_local(async move {
            if let Some(caps) =
                api::settle(failure, api::put::<_, DailyCaps>("/limits", &caps).await)
            {
                show(caps);
                saved.set(true);
            }
        });
    };
    view! {
        <section class="cab-card" data-cab="limits">
            <h2>{move || t("Daily limits per client number", "Дневные ограничения на номер клиента")}</h2>
            <p class="cab-muted">
                {move || t(
                    "Within 24 hours one number can order at most this many callbacks and be called at most this many times (every attempt and retry counts). Past a limit the visitor gets a polite refusal and nothing is dialed.",
                    "За 24 часа с одного номера можно заказать не больше стольких звонков, и позвонить на него не больше стольких раз (считается каждая попытка и перезвон). Сверх ограничения посетитель получит вежливый отказ, звонка не будет.",
                )}
            </p>
            <form class="cab-inline-form" on:submit=submit novalidate>
                <FailureBanner failure=failure />
                <TextField label=|| t("Orders per number a day (1–50)", "Заказов с номера в день (1–50)") value=orders failure=failure path="orders_per_number" kind="number" />
                <TextField label=|| t("Calls to a number a day (1–100)", "Звонков на номер в день (1–100)") value=rings failure=failure path="rings_per_number" kind="number" />
                <button type="submit" class="cab-primary">{move || t("Save", "Сохранить")}</button>
                <Show when=move || saved.get()>
                    <span class="cab-muted" data-cab="limits-saved">{move || t("Saved.", "Сохранено.")}</span>
                </Show>
            </form>
        </section>
    }
}

#[component]
fn AddForm(entries: RwSignal<Option<Vec<BlacklistView>>>) -> impl IntoView {
    let kind = RwSignal::new(Kind::Phone);
    let value = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let added = RwSignal::new(None::<String>);
    let submit = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        let text = value.get_untracked();
        if text.trim().is_empty() {
            failure.set(Some(api::local(vec![shared::validation::Problem {
                path: "value".into(),
                message: if kind.get_untracked() == Kind::Phone {
                    t("enter a phone number", "введите номер телефона").into()
                } else {
                    t(
                        "enter an IP address or network",
                        "введите IP-адрес или сеть",
                    )
                    .into()
                },
            }])));
            return;
        }
        let input = kind.get_untracked().input(&text);
        busy.set(true);
        added.set(None);
        spawn_local(async move {
            let answer = api::post::<_, BlacklistView>("/blacklist", &input).await;
            if let Some(v) = api::settle(failure, answer) {
                value.set(String::new());
                added.set(Some(entry_text(&v.entry)));
                entries.update(|e| e.get_or_insert_with(Vec::new).push(v));
            }
            busy.set(false);
        });
    };
    let pick = move |k: Kind| {
        kind.set(k);
        failure.set(None);
    };
    view! {
        <form class="cab-addform" data-cab="blacklist-form" on:submit=submit novalidate>
            <div class="cab-segmented" role="group" aria-label=move || t("What to block", "Что заблокировать")>
                <button
                    type="button"
                    data-cab="blacklist-kind-phone"
                    aria-pressed=move || (kind.get() == Kind::Phone).to_string()
                    on:click=move |_| pick(Kind::Phone)
                >
                    {move || t("Phone number", "Номер телефона")}
                </button>
                <button
                    type="button"
                    data-cab="blacklist-kind-ip"
                    aria-pressed=move || (kind.get() == Kind::Ip).to_string()
                    on:click=move |_| pick(Kind::Ip)
                >
                    {move || t("IP address or network", "IP-адрес или сеть")}
                </button>
            </div>
            <div class="cab-formline">
                <label class="cab-field cab-grow">
                    <span class="cab-visually-hidden">{move || t("Number or address", "Номер или адрес")}</span>
                    <input
                        type=move || if kind.get() == Kind::Phone { "tel" } else { "text" }
                        name="value"
                        data-cab="blacklist-value"
                        autocomplete="off"
                        placeholder=move || if kind.get() == Kind::Phone { "+7 916 123-45-67" } else { "203.0.113.7 / 203.0.113.0/24" }
                        prop:value=move || value.get()
                        on:input=move |e| value.set(event_target_value(&e))
                        aria-invalid=move || failure.with(|f| f.as_ref().and_then(|f| f.at("value")).is_some()).to_string()
                    />
                    <Problem failure=failure path="value" />
                </label>
                <button type="submit" class="cab-primary" data-cab="blacklist-add" disabled=move || busy.get()>
                    {move || t("Block", "Заблокировать")}
                </button>
            </div>
            {move || {
                failure
                    .with(|f| f.as_ref().is_some_and(|f| f.at("value").is_none()))
                    .then(|| view! { <FailureBanner failure=failure /> })
            }}
            {move || added.get().map(|a| view! {
                <p class="cab-ok" role="status" data-cab="blacklist-added">
                    {move || format!("{} {a}", t("Blocked:", "Заблокирован:"))}
                </p>
            })}
        </form>
    }
}

#[component]
fn EntryRow(item: BlacklistView, entries: RwSignal<Option<Vec<BlacklistView>>>) -> impl IntoView {
    let id = item.id;
    let text = entry_text(&item.entry);
    let kind = entry_kind(&item.entry);
    let deleted = Callback::new(move |()| {
        entries.update(|e| {
            if let Some(e) = e {
                e.retain(|v| v.id != id);
            }
        })
    });
    view! {
        <tr data-cab="blacklist-row" data-id=id.to_string()>
            <td class="cab-phone" data-cab="blacklist-entry">{text}</td>
            <td>
                {move || match kind {
                    Kind::Phone => t("number", "номер"),
                    Kind::Ip => t("IP", "IP"),
                }}
            </td>
            <td class="cab-tdactions">
                <DeleteButton
                    path=format!("/blacklist/{id}")
                    cab="blacklist"
                    label=|| t("Remove", "Удалить")
                    question=|| t("Unblock?", "Разблокировать?")
                    yes=|| t("Yes, remove", "Да, удалить")
                    deleted=deleted
                />
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::phone::E164;

    #[test]
    fn entries_read_as_people_write_them() {
        let phone = BlacklistEntry::Phone(E164::from_stored("+79161234567"));
        assert_eq!(entry_text(&phone), "+79161234567");
        let one: BlacklistEntry =
            serde_json::from_str(r#"{"kind":"ip","value":"198.51.100.7/32"}"#).unwrap();
        assert_eq!(entry_text(&one), "198.51.100.7");
        let net: BlacklistEntry =
            serde_json::from_str(r#"{"kind":"ip","value":"203.0.113.0/24"}"#).unwrap();
        assert_eq!(entry_text(&net), "203.0.113.0/24");
    }

    #[test]
    fn the_search_matches_text_and_a_numbers_digits() {
        let phone = BlacklistEntry::Phone(E164::from_stored("+79161234567"));
        assert!(matches(&phone, ""));
        assert!(matches(&phone, "916"));
        assert!(matches(&phone, "+7 (916) 123-45"));
        assert!(!matches(&phone, "495"));
        let net: BlacklistEntry =
            serde_json::from_str(r#"{"kind":"ip","value":"203.0.113.0/24"}"#).unwrap();
        assert!(matches(&net, "203.0"));
        assert!(!matches(&net, "2030"));
    }

    #[test]
    fn the_form_sends_the_kind_and_the_trimmed_value() {
        assert_eq!(
            Kind::Phone.input(" 8 916 123-45-67 "),
            BlacklistInput::Phone("8 916 123-45-67".into())
        );
        assert_eq!(
            Kind::Ip.input("203.0.113.7"),
            BlacklistInput::Ip("203.0.113.7".into())
        );
    }
}
