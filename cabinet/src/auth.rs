//! Sign-up and log-in (SPEC §6): the same checks as the worker's (`SignUp::validate`) before
//! sending, each problem next to its field. Sign-up ends in "check your email"; the email's
//! link opens [`ConfirmPage`], which creates the account and signs in, or says that the link
//! expired or was used and offers to sign up again.

use crate::api::{self, Failure};
use crate::i18n::t;
use crate::route::{self, Link, Page};
use crate::ui::{FailureBanner, TextField};
use crate::Session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::cabinet_api::{Confirm, LogIn, Me, SignUp, SignUpSent, SIGNUP_LINK_HOURS};

#[component]
pub fn SignUpPage() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let company = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let sent = RwSignal::new(None::<SignUpSent>);
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
            if let Some(answer) =
                api::settle(failure, api::post::<_, SignUpSent>("/signup", &form).await)
            {
                sent.set(Some(answer));
            }
            busy.set(false);
        });
    };
    view! {
        <Show when=move || sent.get().is_none() fallback=move || view! { <CheckEmail sent=sent /> }>
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
        </Show>
    }
}

/// After sign-up: the email went out (the same words whether or not the address has an
/// account; the email itself says which).
#[component]
fn CheckEmail(sent: RwSignal<Option<SignUpSent>>) -> impl IntoView {
    let email = move || sent.get().map(|s| s.email).unwrap_or_default();
    view! {
        <section class="cab-card cab-narrow" data-cab="signup-sent" role="status">
            <h1>{move || t("Check your email", "Проверьте почту")}</h1>
            <p>
                {move || t("We sent an email to ", "Мы отправили письмо на ")}
                <strong data-cab="signup-email">{email}</strong>
                {move || match crate::i18n::lang() {
                    shared::texts::Lang::Ru => format!(
                        ". Откройте ссылку из письма в течение {SIGNUP_LINK_HOURS} часов, чтобы закончить регистрацию."
                    ),
                    shared::texts::Lang::En => format!(
                        ". Open the link in it within {SIGNUP_LINK_HOURS} hours to finish signing up."
                    ),
                }}
            </p>
            <p class="cab-muted">
                {move || t("No email? Check the spam folder, or ", "Письма нет? Проверьте папку «Спам» или ")}
                <a href=Page::SignUp.path() on:click=move |e: web_sys::MouseEvent| { e.prevent_default(); sent.set(None); }>
                    {move || t("sign up again", "зарегистрируйтесь ещё раз")}
                </a>
                "."
            </p>
        </section>
    }
}

/// The link of a sign-up email: creates the account and signs in, or says why not.
#[component]
pub fn ConfirmPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let failure = RwSignal::new(None::<Failure>);
    let token = route::query_param("token").unwrap_or_default();
    spawn_local(async move {
        let result = api::post::<_, Me>("/confirm", &Confirm { token }).await;
        if let Some(me) = api::settle(failure, result) {
            // The page first, so that this page is not drawn again (and the used link sent
            // again) for the new session.
            route::replace(Page::Sites);
            session.signed_in(me);
        }
    });
    let expired = move || failure.with(|f| f.as_ref().is_some_and(|f| f.status == 410));
    view! {
        <section class="cab-card cab-narrow" data-cab="confirm">
            {move || match failure.get() {
                None => view! { <p class="cab-muted">{t("Finishing your sign-up…", "Завершаем регистрацию…")}</p> }.into_any(),
                Some(_) if expired() => view! {
                    <div data-cab="confirm-expired" role="alert">
                        <h1>{t("This link no longer works", "Эта ссылка больше не работает")}</h1>
                        <p>{t(
                            "It has expired or was used already. Sign up again to get a new link, or log in if your account is ready.",
                            "Срок её действия истёк, или по ней уже перешли. Зарегистрируйтесь ещё раз, чтобы получить новую ссылку, или войдите, если аккаунт уже создан.",
                        )}</p>
                        <p class="cab-row">
                            <Link page=Page::SignUp class="cab-button">{t("Sign up again", "Зарегистрироваться снова")}</Link>
                            <Link page=Page::LogIn>{t("Log in", "Войти")}</Link>
                        </p>
                    </div>
                }.into_any(),
                Some(_) => view! { <FailureBanner failure=failure /> }.into_any(),
            }}
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
