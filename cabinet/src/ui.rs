//! Small pieces every page uses: a labelled field with its problem under it, a failure
//! banner, the "saved" note, the copy button, a list's table and a row's delete button.

use crate::api::Failure;
use crate::i18n::t;
use leptos::prelude::*;

/// The problem of the field at `path` in `failure`, shown under the field.
#[component]
pub fn Problem(
    failure: RwSignal<Option<Failure>>,
    #[prop(into)] path: Signal<String>,
) -> impl IntoView {
    move || {
        let path = path.get();
        failure.with(|f| f.as_ref().and_then(|f| f.at(&path))).map(
            |m| view! { <p class="cab-problem" role="alert" data-problem=path.clone()>{m}</p> },
        )
    }
}

/// The failure's sentence, when there is one, above a form.
#[component]
pub fn FailureBanner(failure: RwSignal<Option<Failure>>) -> impl IntoView {
    move || {
        failure.get().map(|f| {
            view! {
                <div class="cab-failure" role="alert" data-cab="failure">
                    {f.message.clone()}
                </div>
            }
        })
    }
}

/// A text input bound to `value`, with its label and the problem of `path`.
#[component]
pub fn TextField(
    label: fn() -> &'static str,
    value: RwSignal<String>,
    failure: RwSignal<Option<Failure>>,
    path: &'static str,
    #[prop(optional)] kind: &'static str,
    #[prop(optional)] name: &'static str,
    #[prop(optional)] max: Option<usize>,
) -> impl IntoView {
    let kind = if kind.is_empty() { "text" } else { kind };
    let name = if name.is_empty() { path } else { name };
    view! {
        <label class="cab-field">
            <span>{move || label()}</span>
            <input
                type=kind
                name=name
                prop:value=move || value.get()
                on:input=move |e| value.set(event_target_value(&e))
                aria-invalid=move || failure.with(|f| f.as_ref().and_then(|f| f.at(path)).is_some()).to_string()
            />
            {max.map(|max| view! {
                <small class="cab-counter" data-cab="counter">
                    {move || format!("{} / {max}", value.with(|v| v.chars().count()))}
                </small>
            })}
            <Problem failure=failure path=path.to_string() />
        </label>
    }
}

/// "Copy" for the text of `text`: puts it on the clipboard and says so.
#[component]
pub fn CopyButton(text: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    view! {
        <button
            type="button"
            class="cab-secondary"
            data-cab="copy"
            on:click=move |_| {
                if let Some(w) = web_sys::window() {
                    let _ = w.navigator().clipboard().write_text(&text);
                }
                copied.set(true);
            }
        >
            {move || if copied.get() { t("Copied", "Скопировано") } else { t("Copy", "Копировать") }}
        </button>
    }
}

/// "Saved" or "Saving…" or the failure, after a change that saves itself.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveState {
    Idle,
    Saving,
    Saved,
    Failed(Failure),
}

/// The line that tells how the last save went.
#[component]
pub fn SaveNote(state: RwSignal<SaveState>) -> impl IntoView {
    move || {
        match state.get() {
        SaveState::Idle => ().into_any(),
        SaveState::Saving => view! { <span class="cab-muted" data-cab="save-state">{t("Saving…", "Сохраняем…")}</span> }.into_any(),
        SaveState::Saved => view! { <span class="cab-ok" data-cab="save-state">{t("Saved", "Сохранено")}</span> }.into_any(),
        SaveState::Failed(f) => view! { <span class="cab-problem" role="alert" data-cab="save-state">{f.summary()}</span> }.into_any(),
    }
    }
}

/// A list's body: "Loading…" (unless loading failed, which a banner says), the sentence for
/// an empty list, or the table with its column heads and rows (`children`, the `<tr>`s) and a
/// last column for the rows' buttons. `cab` names the parts for the tests: `{cab}-empty`,
/// `{cab}-table`.
#[component]
pub fn ListTable(
    /// `None` while loading; then whether the list is empty.
    #[prop(into)]
    empty: Signal<Option<bool>>,
    /// Loading failed (and a banner says so).
    #[prop(into)]
    failed: Signal<bool>,
    cab: &'static str,
    nothing: fn() -> &'static str,
    heads: Vec<fn() -> &'static str>,
    children: ChildrenFn,
) -> impl IntoView {
    move || {
        match empty.get() {
        None => (!failed.get())
            .then(|| view! { <p class="cab-muted">{move || t("Loading…", "Загрузка…")}</p> })
            .into_any(),
        Some(true) => view! {
            <p class="cab-muted cab-empty" data-cab=format!("{cab}-empty")>{move || nothing()}</p>
        }
        .into_any(),
        Some(false) => view! {
            <div class="cab-tbl-wrap">
                <table class="cab-tbl" data-cab=format!("{cab}-table")>
                    <thead>
                        <tr>
                            {heads.iter().map(|head| { let head = *head; view! { <th>{move || head()}</th> } }).collect_view()}
                            <th class="cab-actions-col"></th>
                        </tr>
                    </thead>
                    <tbody>{children()}</tbody>
                </table>
            </div>
        }
        .into_any(),
    }
    }
}

/// A row's delete button that asks first ("Delete the department?" — "Yes, delete" /
/// "Cancel"), then sends `DELETE path` and calls `deleted`; a refusal is shown under it.
/// `cab` names the buttons for the tests: `{cab}-delete`, `{cab}-confirm`, `{cab}-cancel`.
#[component]
pub fn DeleteButton(
    path: String,
    cab: &'static str,
    label: fn() -> &'static str,
    question: fn() -> &'static str,
    yes: fn() -> &'static str,
    deleted: Callback<()>,
) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let path = StoredValue::new(path);
    let remove = move |_: web_sys::MouseEvent| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            match crate::api::delete(&path.get_value()).await {
                Ok(()) => deleted.run(()),
                Err(f) => {
                    failure.set(Some(f.message));
                    busy.set(false);
                    confirming.set(false);
                }
            }
        });
    };
    view! {
        {move || if confirming.get() {
            view! {
                <span class="cab-confirm" role="group">
                    <span>{move || question()}</span>
                    <button type="button" class="cab-danger" data-cab=format!("{cab}-confirm") disabled=move || busy.get() on:click=remove>
                        {move || yes()}
                    </button>
                    <button type="button" class="cab-secondary" data-cab=format!("{cab}-cancel") on:click=move |_| confirming.set(false)>
                        {move || t("Cancel", "Отмена")}
                    </button>
                </span>
            }.into_any()
        } else {
            view! {
                <button type="button" class="cab-secondary" data-cab=format!("{cab}-delete") on:click=move |_| confirming.set(true)>
                    {move || label()}
                </button>
            }.into_any()
        }}
        {move || failure.get().map(|f| view! { <p class="cab-problem" role="alert">{f}</p> })}
    }
}
