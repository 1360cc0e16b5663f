//! The account's telephony: the Twilio-compatible provider that rings operators and clients,
//! or the customer's own PBX through signed webhooks; and where order events are posted.
//! Secrets are write-only: the page only says whether one is set.

use crate::api::{self, Failure};
use crate::i18n::t;
use crate::ui::{FailureBanner, SaveNote, SaveState, TextField};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::cabinet_api::{Provider, TelephonyUpdate, TelephonyView};

#[component]
pub fn TelephonyPage() -> impl IntoView {
    let provider = RwSignal::new(Provider::Twilio);
    let base_url = RwSignal::new(String::new());
    let account_sid = RwSignal::new(String::new());
    let auth_token = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let pbx_url = RwSignal::new(String::new());
    let pbx_secret = RwSignal::new(String::new());
    let webhook_url = RwSignal::new(String::new());
    let webhook_secret = RwSignal::new(String::new());
    let view_ = RwSignal::new(None::<TelephonyView>);
    let failure = RwSignal::new(None::<Failure>);
    let state = RwSignal::new(SaveState::Idle);
    let fill = move |v: TelephonyView| {
        provider.set(v.provider);
        base_url.set(v.base_url.clone());
        account_sid.set(v.account_sid.clone());
        from.set(v.from.clone());
        pbx_url.set(v.pbx_url.clone());
        webhook_url.set(v.webhook_url.clone());
        auth_token.set(String::new());
        pbx_secret.set(String::new());
        webhook_secret.set(String::new());
        view_.set(Some(v));
    };
    spawn_local(async move {
        if let Ok(v) = api::get::<TelephonyView>("/telephony").await {
            fill(v);
        }
    });
    let secret = |s: RwSignal<String>| {
        let v = s.get_untracked();
        (!v.is_empty()).then_some(v)
    };
    let submit = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        let update = TelephonyUpdate {
            provider: provider.get_untracked(),
            base_url: base_url.get_untracked().trim().to_string(),
            account_sid: account_sid.get_untracked().trim().to_string(),
            auth_token: secret(auth_token),
            from: from.get_untracked().trim().to_string(),
            pbx_url: pbx_url.get_untracked().trim().to_string(),
            pbx_secret: secret(pbx_secret),
            webhook_url: webhook_url.get_untracked().trim().to_string(),
            webhook_secret: secret(webhook_secret),
        };
        state.set(SaveState::Saving);
        spawn_local(async move {
            match api::put::<_, TelephonyView>("/telephony", &update).await {
                Ok(v) => {
                    failure.set(None);
                    fill(v);
                    state.set(SaveState::Saved);
                }
                Err(f) => {
                    failure.set(Some(f.clone()));
                    state.set(SaveState::Failed(f));
                }
            }
        });
    };
    let is_set = move |f: fn(&TelephonyView) -> bool| {
        move || {
            if view_.with(|v| v.as_ref().is_some_and(f)) {
                t("set; type to replace", "задан; введите, чтобы заменить")
            } else {
                t("not set", "не задан")
            }
        }
    };
    view! {
        <section class="cab-card">
            <h1>{move || t("Telephony", "Телефония")}</h1>
            <p class="cab-muted">{move || t(
                "Ringback rings your operator first and, once a person answers, rings the visitor and connects them.",
                "Ringback сначала звонит оператору, а когда он ответит — посетителю, и соединяет их.",
            )}</p>
            <form on:submit=submit data-cab="telephony" novalidate>
                <FailureBanner failure=failure />
                <fieldset class="cab-choice">
                    <legend>{move || t("Provider", "Провайдер")}</legend>
                    <label><input type="radio" name="provider" value="twilio"
                        prop:checked=move || provider.get() == Provider::Twilio
                        on:change=move |_| provider.set(Provider::Twilio) />
                        {move || t("Twilio-compatible voice API", "Голосовой API, совместимый с Twilio")}</label>
                    <label><input type="radio" name="provider" value="webhook"
                        prop:checked=move || provider.get() == Provider::Webhook
                        on:change=move |_| provider.set(Provider::Webhook) />
                        {move || t("Our own PBX (signed webhooks)", "Своя АТС (подписанные вебхуки)")}</label>
                </fieldset>
                <Show when=move || provider.get() == Provider::Twilio>
                    <TextField label=|| t("API base URL", "Адрес API") value=base_url failure=failure path="base_url" name="base_url" />
                    <TextField label=|| t("Account SID", "Account SID") value=account_sid failure=failure path="account_sid" name="account_sid" />
                    <label class="cab-field">
                        <span>{move || t("Auth token", "Auth token")} " (" {is_set(|v| v.auth_token_set)} ")"</span>
                        <input type="password" name="auth_token" prop:value=move || auth_token.get()
                            on:input=move |e| auth_token.set(event_target_value(&e)) />
                    </label>
                    <TextField label=|| t("Calls come from (E.164)", "Номер, с которого звоним (E.164)") value=from failure=failure path="from" name="from" />
                </Show>
                <Show when=move || provider.get() == Provider::Webhook>
                    <TextField label=|| t("PBX order endpoint (https://)", "Адрес АТС для заказов (https://)") value=pbx_url failure=failure path="pbx_url" name="pbx_url" />
                    <label class="cab-field">
                        <span>{move || t("PBX secret", "Секрет АТС")} " (" {is_set(|v| v.pbx_secret_set)} ")"</span>
                        <input type="password" name="pbx_secret" prop:value=move || pbx_secret.get()
                            on:input=move |e| pbx_secret.set(event_target_value(&e)) />
                    </label>
                </Show>
                <TextField label=|| t("Post order events to (an https:// address, optional)", "Отправлять события заказов на (адрес https://, необязательно)") value=webhook_url failure=failure path="webhook_url" name="webhook_url" />
                <label class="cab-field">
                    <span>{move || t("Webhook secret", "Секрет вебхука")} " (" {is_set(|v| v.webhook_secret_set)} ")"</span>
                    <input type="password" name="webhook_secret" prop:value=move || webhook_secret.get()
                        on:input=move |e| webhook_secret.set(event_target_value(&e)) />
                </label>
                {move || view_.get().map(|v| view! {
                    <p class="cab-muted">{t("Inbound-call notifications (so that a client's own call cancels pending retries): ", "Уведомления о входящих (звонок клиента сам отменяет повторы): ")}<code>{v.inbound_url}</code></p>
                })}
                <div class="cab-row">
                    <button type="submit" class="cab-primary">{move || t("Save", "Сохранить")}</button>
                    <SaveNote state=state />
                </div>
            </form>
        </section>
    }
}
