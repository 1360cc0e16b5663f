//! The account's departments (SPEC §2.6): each with its own forwarding number, hours and tags;
//! a widget's Departments tab picks which of them it offers.
//!
//! `GET /departments` lists them, `POST /departments` adds one, `PUT /departments/{id}` changes
//! one and `DELETE /departments/{id}` removes one after the marketer confirms (widgets stop
//! offering it; its orders keep its name). The form checks with `Department::validate`, the
//! worker's own rule, before sending; the worker normalizes the number.

use crate::api::{self, Failure};
use crate::i18n::{lang, t};
use crate::journal::browser_zone;
use crate::ui::{DeleteButton, FailureBanner, ListTable, Problem, TextField};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::cabinet_api::DepartmentInput;
use shared::departments::Department;
use shared::schedule::{Schedule, WeekGrid, WEEK};
use shared::validation::Problems;

// Zones offered in the time-zone field (any IANA name can be typed): the editor's list.
use crate::editor::grid::{WeekGridEditor, ZONES};

/// The tags field's text as a list: comma-separated, trimmed, empty pieces dropped.
fn parse_tags(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// The form's problems by `Department::validate` (the worker's check), paths as the worker
/// reports them (`name`, `number`, `schedule.hours`, `tags[1]`).
fn check(input: &DepartmentInput) -> Result<(), Vec<shared::validation::Problem>> {
    let department = Department {
        id: 0,
        name: input.name.clone(),
        number: input.number.clone(),
        schedule: input.schedule.clone(),
        tags: input.tags.clone(),
    };
    let mut problems = Problems::new();
    // The country only matters for the worker's full phone check.
    department.validate("", &mut problems, "RU");
    let problems: Vec<_> = problems
        .into_vec()
        .into_iter()
        .map(|mut p| {
            p.path = p.path.trim_start_matches('.').to_string();
            p
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Which form is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Editing {
    New,
    Existing(i64),
}

type List = RwSignal<Option<Vec<Department>>>;

#[component]
pub fn DepartmentsPage() -> impl IntoView {
    let list: List = RwSignal::new(None);
    let failure = RwSignal::new(None::<Failure>);
    let editing = RwSignal::new(None::<Editing>);
    spawn_local(async move {
        match api::get::<Vec<Department>>("/departments").await {
            Ok(d) => list.set(Some(d)),
            Err(f) => failure.set(Some(f)),
        }
    });
    let done = Callback::new(move |()| editing.set(None));
    view! {
        <section class="cab-card cab-departments" data-cab="departments">
            <div class="cab-pagehead">
                <h1>{move || t("Departments", "Отделы")}</h1>
                <button
                    type="button"
                    class="cab-primary"
                    data-cab="department-add"
                    disabled=move || editing.get() == Some(Editing::New)
                    on:click=move |_| editing.set(Some(Editing::New))
                >
                    {move || t("Add a department", "Добавить отдел")}
                </button>
            </div>
            <p class="cab-muted">
                {move || t(
                    "Each department has its own number, working hours and tags. Visitors choose a department in the widget's form; it is offered only while its hours meet the call center's.",
                    "У каждого отдела свой номер, часы работы и теги. Посетитель выбирает отдел в форме виджета; отдел предлагается, только пока его часы совпадают с часами колл-центра.",
                )}
            </p>
            <FailureBanner failure=failure />
            {move || {
                editing.get().map(|e| {
                    let (id, initial) = match e {
                        Editing::New => (None, DepartmentInput {
                            name: String::new(),
                            number: String::new(),
                            schedule: Schedule::default(),
                            tags: Vec::new(),
                        }),
                        Editing::Existing(id) => {
                            let found = list.with_untracked(|l| {
                                l.as_ref().and_then(|l| l.iter().find(|d| d.id == id).cloned())
                            });
                            match found {
                                Some(d) => (Some(id), DepartmentInput {
                                    name: d.name,
                                    number: d.number,
                                    schedule: d.schedule,
                                    tags: d.tags,
                                }),
                                None => return ().into_any(),
                            }
                        }
                    };
                    view! { <DepartmentForm id=id initial=initial list=list done=done /> }.into_any()
                })
            }}
            <ListTable
                empty=move || list.with(|l| l.as_ref().map(Vec::is_empty))
                failed=move || failure.with(Option::is_some)
                cab="departments"
                nothing=|| t("No departments yet.", "Отделов пока нет.")
                heads=vec![
                    || t("Department", "Отдел"),
                    || t("Number", "Номер"),
                    || t("Working hours", "Часы работы"),
                    || t("Tags", "Теги"),
                ]
            >
                <For
                    each=move || list.get().unwrap_or_default()
                    key=|d: &Department| format!("{d:?}")
                    children=move |d: Department| view! { <DepartmentRow department=d list=list editing=editing /> }
                />
            </ListTable>
        </section>
    }
}

#[component]
fn DepartmentRow(
    department: Department,
    list: List,
    editing: RwSignal<Option<Editing>>,
) -> impl IntoView {
    let id = department.id;
    let deleted = Callback::new(move |()| {
        if editing.get_untracked() == Some(Editing::Existing(id)) {
            editing.set(None);
        }
        list.update(|l| {
            if let Some(l) = l {
                l.retain(|d| d.id != id);
            }
        });
    });
    let schedule = department.schedule.clone();
    let hours = move || format!("{} ({})", schedule.hours.describe_in(lang()), schedule.zone);
    view! {
        <tr data-cab="department-row" data-id=id.to_string()>
            <td><strong data-cab="department-name">{department.name.clone()}</strong></td>
            <td class="cab-nowrap cab-phone">{department.number.clone()}</td>
            <td>{hours}</td>
            <td class="cab-tags">
                {department.tags.iter().map(|tag| view! { <span class="cab-tag">{tag.clone()}</span> }).collect_view()}
            </td>
            <td class="cab-tdactions">
                <span class="cab-row-actions">
                    <button type="button" class="cab-secondary" data-cab="department-edit" on:click=move |_| editing.set(Some(Editing::Existing(id)))>
                        {move || t("Edit", "Изменить")}
                    </button>
                    <DeleteButton
                        path=format!("/departments/{id}")
                        cab="department"
                        label=|| t("Delete", "Удалить")
                        question=|| t("Delete the department?", "Удалить отдел?")
                        yes=|| t("Yes, delete", "Да, удалить")
                        deleted=deleted
                    />
                </span>
            </td>
        </tr>
    }
}

#[component]
fn DepartmentForm(
    id: Option<i64>,
    initial: DepartmentInput,
    list: List,
    done: Callback<()>,
) -> impl IntoView {
    let name = RwSignal::new(initial.name);
    let number = RwSignal::new(initial.number);
    let zone = RwSignal::new(initial.schedule.zone);
    let grid = RwSignal::new(initial.schedule.hours);
    let tags = RwSignal::new(initial.tags.join(", "));
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let submit = move |e: web_sys::SubmitEvent| {
        e.prevent_default();
        let input = DepartmentInput {
            name: name.get_untracked().trim().to_string(),
            number: number.get_untracked().trim().to_string(),
            schedule: Schedule {
                zone: zone.get_untracked().trim().to_string(),
                hours: grid.get_untracked(),
            },
            tags: parse_tags(&tags.get_untracked()),
        };
        if let Err(problems) = check(&input) {
            failure.set(Some(api::local(problems)));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let answer = match id {
                None => api::post::<_, Department>("/departments", &input).await,
                Some(id) => api::put::<_, Department>(&format!("/departments/{id}"), &input).await,
            };
            match answer {
                Ok(saved) => {
                    failure.set(None);
                    list.update(|l| {
                        let l = l.get_or_insert_with(Vec::new);
                        match l.iter_mut().find(|d| d.id == saved.id) {
                            Some(d) => *d = saved,
                            None => l.push(saved),
                        }
                    });
                    busy.set(false);
                    done.run(());
                }
                Err(f) => {
                    failure.set(Some(f));
                    busy.set(false);
                }
            }
        });
    };
    let browser = browser_zone();
    view! {
        <form class="cab-card cab-subcard cab-department-form" data-cab="department-form" on:submit=submit novalidate>
            <h2>
                {move || if id.is_some() { t("Edit the department", "Изменить отдел") } else { t("New department", "Новый отдел") }}
            </h2>
            <FailureBanner failure=failure />
            <div class="cab-form-cols">
                <TextField
                    label=|| t("Name (what visitors choose)", "Название (его выбирает посетитель)")
                    value=name
                    failure=failure
                    path="name"
                    max=Department::MAX_NAME
                />
                <TextField
                    label=|| t("Forwarding number", "Номер переадресации")
                    value=number
                    failure=failure
                    path="number"
                    kind="tel"
                />
                <label class="cab-field">
                    <span>{move || t("Time zone", "Часовой пояс")}</span>
                    <input
                        type="text"
                        name="schedule.zone"
                        list="cab-department-zones"
                        autocomplete="off"
                        prop:value=move || zone.get()
                        on:input=move |e| zone.set(event_target_value(&e))
                        aria-invalid=move || failure.with(|f| f.as_ref().and_then(|f| f.at("schedule.zone")).is_some()).to_string()
                    />
                    <datalist id="cab-department-zones">
                        {browser.filter(|b| !ZONES.contains(&b.as_str())).map(|b| view! { <option value=b></option> })}
                        {ZONES.iter().map(|z| view! { <option value=*z></option> }).collect_view()}
                    </datalist>
                    <Problem failure=failure path="schedule.zone" />
                </label>
                <TextField
                    label=|| t("Tags (comma-separated)", "Теги (через запятую)")
                    value=tags
                    failure=failure
                    path="tags"
                />
            </div>
            <fieldset class="cab-fieldset">
                <legend>{move || t("Working hours", "Часы работы")}</legend>
                <HoursEditor grid=grid />
                <Problem failure=failure path="schedule.hours" />
            </fieldset>
            <div class="cab-form-actions">
                <button type="submit" class="cab-primary" data-cab="department-save" disabled=move || busy.get()>
                    {move || if busy.get() { t("Saving…", "Сохраняем…") } else { t("Save", "Сохранить") }}
                </button>
                <button type="button" class="cab-secondary" data-cab="department-close" on:click=move |_| done.run(())>
                    {move || t("Cancel", "Отмена")}
                </button>
            </div>
        </form>
    }
}

/// A preset of the grid: its button's words, the grid it sets, its `data-cab`.
type Preset = (fn() -> &'static str, fn() -> WeekGrid, &'static str);

/// The department's hours: the presets, then the editor's 7×24 grid (click, drag, a whole day
/// by its name, a whole hour by its number).
#[component]
fn HoursEditor(grid: RwSignal<WeekGrid>) -> impl IntoView {
    let presets: [Preset; 4] = [
        (
            || t("Mon–Fri 9–20", "Пн–Пт 9–20"),
            WeekGrid::default_working_hours,
            "preset-workdays",
        ),
        (
            || t("Every day 9–21", "Ежедневно 9–21"),
            || WeekGrid::hours(&WEEK, 9, 21),
            "preset-daily",
        ),
        (
            || t("Round the clock", "Круглосуточно"),
            WeekGrid::full,
            "preset-full",
        ),
        (
            || t("Clear", "Очистить"),
            || WeekGrid::EMPTY,
            "preset-clear",
        ),
    ];
    view! {
        <div class="cab-week-tools">
            {presets
                .into_iter()
                .map(|(label, make, cab)| view! {
                    <button type="button" class="cab-chip" data-cab=cab on:click=move |_| grid.set(make())>
                        {label}
                    </button>
                })
                .collect_view()}
        </div>
        <WeekGridEditor value=grid.into() name="schedule" on_change=Callback::new(move |g| grid.set(g)) />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_read_from_a_comma_separated_list() {
        assert_eq!(parse_tags("sales, VIP ,, "), ["sales", "VIP"]);
        assert!(parse_tags("  ").is_empty());
    }

    #[test]
    fn the_form_is_checked_by_the_workers_rule_with_the_workers_paths() {
        let ok = DepartmentInput {
            name: "Sales".into(),
            number: "+74951234567".into(),
            schedule: Schedule::default(),
            tags: vec!["sales".into()],
        };
        assert_eq!(check(&ok), Ok(()));
        let bad = DepartmentInput {
            name: " ".into(),
            number: "".into(),
            schedule: Schedule {
                zone: "Europe/Moscow".into(),
                hours: WeekGrid::EMPTY,
            },
            tags: vec!["a".into(), "A".into()],
        };
        let paths: Vec<String> = check(&bad)
            .unwrap_err()
            .into_iter()
            .map(|p| p.path)
            .collect();
        assert_eq!(paths, ["name", "number", "schedule.hours", "tags[1]"]);
    }
}
