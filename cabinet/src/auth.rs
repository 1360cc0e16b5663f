//! Sign-up and log-in (SPEC §6): the same checks as the worker's (`SignUp::validate`) before
//! sending, each problem next to its field.

use crate::api::{self, Failure};
use crate::i18n::t;
use crate::route::{self, Link, Page};
use crate::ui::{FailureBanner, TextField};
use crate::Session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::cabinet_api::{LogIn, Me, SignUp};

#[component]
pub fn SignUpPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let company = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let submit = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        let form = SignUp {
            email: email.get_untracked().trim().to_string(),
            password: password.get_untracked(),
            company: company.get_untracked(),
        };
        if let Err(problems) = form.validate() {
            failure.set(Some(api::local(problems)));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            if let Some(me) = api::settle(failure, api::post::<_, Me>("/signup", &form).await) {
                session.signed_in(me);
                route::replace(Page::Sites);
            }
            busy.set(false);
        });
    };
    view! {
        <section class="cab-card cab-narrow">
            <h1>{move || t("Create your account", "Создайте аккаунт")}</h1>
            <form on:submit=submit data-cab="signup" novalidate>
                <FailureBanner failure=failure />
                <TextField label=|| t("Company", "Компания") value=company failure=failure path="company" />
                <TextField label=|| t("Email", "Email") value=email failure=failure path="email" kind="email" />
                <TextField label=|| t("Password (at least 10 characters)", "Пароль (не короче 10 символов)") value=password failure=failure path="password" kind="password" />
                <button type="submit" class="cab-primary" disabled=move || busy.get()>
                    {move || t("Sign up", "Зарегистрироваться")}
                </button>
            </form>
            <p class="cab-muted">
                {move || t("Have an account? ", "Уже есть аккаунт? ")}
                <Link page=Page::LogIn>{move || t("Log in", "Войти")}</Link>
            </p>
        </section>
    }
}

#[component]
pub fn LogInPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let submit = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        let form = LogIn {
            email: email.get_untracked().trim().to_string(),
            password: password.get_untracked(),
        };
        busy.set(true);
        spawn_local(async move {
            if let Some(me) = api::settle(failure, api::post::<_, Me>("/login", &form).await) {
                session.signed_in(me);
                if route::current() == Page::LogIn {
                    route::replace(Page::Sites);
                }
            }
            busy.set(false);
        });
    };
    view! {
        <section class="cab-card cab-narrow">
            <h1>{move || t("Log in to Ringback", "Вход в Ringback")}</h1>
            <form on:submit=submit data-cab="login" novalidate>
                <FailureBanner failure=failure />
                <TextField label=|| t("Email", "Email") value=email failure=failure path="email" kind="email" />
                <TextField label=|| t("Password", "Пароль") value=password failure=failure path="password" kind="password" />
                <button type="submit" class="cab-primary" disabled=move || busy.get()>
                    {move || t("Log in", "Войти")}
                </button>
            </form>
            <p class="cab-muted">
                {move || t("New here? ", "Впервые здесь? ")}
                <Link page=Page::SignUp>{move || t("Create an account", "Создать аккаунт")}</Link>
            </p>
        </section>
    }
}
