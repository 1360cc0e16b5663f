//! The widget's state for one page: which element is open, what the visitor typed, and the
//! way out to the page (the loader's host functions). Provided as context; views read and call
//! it, and it asks `shared` for every rule.

use crate::host::Host;
use leptos::prelude::*;
use shared::api::{ErrorBody, OrderAnswer, OrderRequest, OrderWhen, PageContext, RenderModel};
use shared::autoshow::SessionMemory;
use shared::conditions::Utm;
use shared::form::{self, FormInput, FormProblems};
use shared::texts::TextKey;

/// What is open over the page besides the button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Only the button.
    Closed,
    /// The main form (SPEC §2.2).
    Form,
    /// The invitation dialog (SPEC §2.4).
    Invitation,
    /// The countdown timer after a "call me now" order (SPEC §2.3).
    Timer,
    /// The after-order message (SPEC §2.5).
    AfterOrder,
}

impl Screen {
    /// The screen of a name used by the page's events and the gallery.
    pub fn from_name(name: &str) -> Option<Screen> {
        [
            Screen::Form,
            Screen::Invitation,
            Screen::Timer,
            Screen::AfterOrder,
        ]
        .into_iter()
        .find(|s| screen_name(*s) == name)
    }
}

/// Why the screen opened: the JS API and the auto-show tell the page as `open` events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opener {
    /// The visitor pressed the button or the invitation's button.
    Visitor,
    /// The auto-show scenario or exit intent.
    Auto,
    /// `Ringback.open()`.
    Page,
}

/// The widget's state, cheap to copy into every view.
#[derive(Clone, Copy)]
pub struct WidgetState {
    /// The render model from *decide*.
    pub model: StoredValue<RenderModel>,
    /// What is open.
    pub screen: RwSignal<Screen>,
    /// The phone as typed, mask applied.
    pub phone: RwSignal<String>,
    /// The name, when asked.
    pub name: RwSignal<String>,
    /// The honeypot; people never see it.
    pub website: RwSignal<String>,
    /// The chosen department.
    pub department: RwSignal<Option<i64>>,
    /// The time picker is open ("pick a time"), always so when "now" is impossible.
    pub picking: RwSignal<bool>,
    /// The picked day (index into the slots) and slot (ms since the epoch).
    pub day: RwSignal<usize>,
    /// The picked slot, ms since the epoch.
    pub slot: RwSignal<Option<i64>>,
    /// What keeps the form from being sent.
    pub problems: RwSignal<FormProblems>,
    /// The worker's reason for refusing the number (a premium-rate number, a country the
    /// site does not call), shown under the field instead of the form's own message.
    pub phone_problem: RwSignal<Option<String>>,
    /// A message from the worker that is not about a field (refusal, rate limit, network).
    pub failure: RwSignal<Option<String>>,
    /// An order is on its way.
    pub sending: RwSignal<bool>,
    /// The after-order message.
    pub after_text: RwSignal<String>,
    /// Seconds the countdown timer shows.
    pub timer_left: RwSignal<u32>,
    /// `Ringback.disable()`: nothing shows on this page any more.
    pub disabled: RwSignal<bool>,
    /// The widget is drawn. A page's widget is mounted empty and drawn a task later, so that a
    /// slow phone spends the wasm's first run in two short tasks rather than one long one.
    pub drawn: RwSignal<bool>,
    /// The page's host functions.
    pub host: StoredValue<Host, LocalStorage>,
    /// Where the focus goes back to when the popups close.
    return_focus: StoredValue<Option<web_sys::HtmlElement>, LocalStorage>,
    /// The time picker's slots are on the visitor's clock already.
    local_slots: StoredValue<bool>,
}

impl WidgetState {
    /// The state for `model`, talking to the page through `host`.
    pub fn new(model: RenderModel, host: Host) -> WidgetState {
        let department = model.preselected_department;
        let picking = !form::now_possible(&model, department);
        WidgetState {
            model: StoredValue::new(model),
            screen: RwSignal::new(Screen::Closed),
            phone: RwSignal::new(String::new()),
            name: RwSignal::new(String::new()),
            website: RwSignal::new(String::new()),
            department: RwSignal::new(department),
            picking: RwSignal::new(picking),
            day: RwSignal::new(0),
            slot: RwSignal::new(None),
            problems: RwSignal::new(FormProblems::default()),
            phone_problem: RwSignal::new(None),
            failure: RwSignal::new(None),
            sending: RwSignal::new(false),
            after_text: RwSignal::new(String::new()),
            timer_left: RwSignal::new(0),
            disabled: RwSignal::new(false),
            drawn: RwSignal::new(false),
            host: StoredValue::new_local(host),
            return_focus: StoredValue::new_local(None),
            local_slots: StoredValue::new(false),
        }
    }

    /// Puts the time picker's slots on the visitor's clock, once, before the form first shows.
    /// The loader does not send the visitor's zone (asking the browser for its name is a long
    /// task on a slow phone), and a week of slots is too many to relabel while the page loads.
    fn localize_slots(&self) {
        if self.local_slots.get_value() {
            return;
        }
        self.local_slots.set_value(true);
        self.model.update_value(|m| {
            m.slots = form::on_visitor_clock(&m.slots, Host::local);
            for d in &mut m.departments {
                d.slots = form::on_visitor_clock(&d.slots, Host::local);
            }
        });
    }

    /// Shows `screen` as it looks to a visitor, without one (the gallery and the cabinet's
    /// preview): the timer at its start, the after-order message of a "now" order.
    pub fn show(&self, screen: Screen) {
        self.localize_slots();
        let model = self.model.get_value();
        self.timer_left
            .set(u32::from(model.timer_secs.unwrap_or(30)));
        self.after_text
            .set(form::after_order_text(&model, OrderWhen::Now, None));
        self.screen.set(screen);
    }

    /// A text of the model, resolved for the variant and language.
    pub fn text(&self, key: TextKey) -> String {
        self.model
            .with_value(|m| m.texts.get(&key).cloned().unwrap_or_default())
    }

    /// Opens `screen` (unless disabled) and tells the page.
    pub fn open(&self, screen: Screen, by: Opener) {
        let was = self.screen.get_untracked();
        if self.disabled.get_untracked() || was == screen {
            return;
        }
        if was == Screen::Closed {
            self.return_focus
                .set_value(crate::dialog::focused_element());
        }
        if screen == Screen::Form {
            self.localize_slots();
        }
        self.screen.set(screen);
        if by == Opener::Auto {
            self.count_auto_open();
        }
        self.host
            .with_value(|h| h.emit("open", screen_name(screen)));
    }

    /// Remembers for the session that the widget opened by itself now (the auto-show plan
    /// counts from it).
    pub fn count_auto_open(&self) {
        self.host.with_value(|h| {
            let mut s = h.session();
            s.last_auto_open_ms = Some(h.now_ms());
            h.save_session(&s);
        });
    }

    /// Closes whatever is open and tells the page.
    pub fn close(&self) {
        let was = self.screen.get_untracked();
        if was == Screen::Closed {
            return;
        }
        self.screen.set(Screen::Closed);
        if let Some(el) = self.return_focus.try_update_value(Option::take).flatten() {
            let _ = el.focus();
        }
        self.host.with_value(|h| h.emit("close", screen_name(was)));
    }

    /// `Ringback.disable()`: closes and hides everything on this page.
    pub fn disable(&self) {
        self.close();
        self.disabled.set(true);
    }

    /// Chooses a department: its own times apply, and "now" may stop being possible.
    pub fn choose_department(&self, id: Option<i64>) {
        self.department.set(id);
        self.day.set(0);
        self.slot.set(None);
        let now_possible = self.model.with_value(|m| form::now_possible(m, id));
        if !now_possible {
            self.picking.set(true);
        }
        self.problems.update(|p| p.department = false);
    }

    /// The form's input with `when`.
    fn input(&self, when: OrderWhen) -> FormInput {
        FormInput {
            phone: self.phone.get_untracked(),
            name: self.name.get_untracked(),
            department: self.department.get_untracked(),
            when,
        }
    }

    /// "call me now", or the picked time when the picker is open.
    pub fn submit(&self) {
        if self.sending.get_untracked() {
            return;
        }
        let when = if self.picking.get_untracked() {
            match self
                .slot
                .get_untracked()
                .and_then(chrono::DateTime::from_timestamp_millis)
            {
                Some(at) => OrderWhen::At(at),
                None => {
                    self.problems.set(FormProblems {
                        time: true,
                        ..self.check_only(OrderWhen::Now)
                    });
                    return;
                }
            }
        } else {
            OrderWhen::Now
        };
        let checked = match self.model.with_value(|m| form::check(m, &self.input(when))) {
            Ok(c) => c,
            Err(problems) => {
                self.problems.set(problems);
                return;
            }
        };
        self.problems.set(FormProblems::default());
        self.failure.set(None);
        let honeypot = Some(self.website.get_untracked()).filter(|w| !w.is_empty());
        let order = self.host.with_value(|h| OrderRequest {
            site: h.site.clone(),
            widget_id: self.model.with_value(|m| m.widget_id),
            phone: checked.phone.clone(),
            name: checked.name.clone(),
            department: checked.department,
            when: checked.when,
            page: page_context(h),
            fields: Default::default(),
            idempotency_key: h.idempotency_key(),
            website: honeypot,
            lang: Some(
                self.model
                    .with_value(|m| m.lang.pick("en", "ru"))
                    .to_string(),
            ),
        });
        self.send(order);
    }

    /// The problems of the form as it is, time aside.
    fn check_only(&self, when: OrderWhen) -> FormProblems {
        self.model
            .with_value(|m| form::check(m, &self.input(when)))
            .err()
            .map(|p| FormProblems { time: false, ..p })
            .unwrap_or_default()
    }

    /// Sends `order` through the host; the answer decides what shows next.
    pub fn send(&self, order: OrderRequest) {
        let Some(future) = self.host.with_value(|h| h.send(&order)) else {
            // The cabinet's preview: nothing is sent; the after-order element shows.
            self.ordered(order.when, None);
            return;
        };
        self.sending.set(true);
        let state = *self;
        leptos::task::spawn_local(async move {
            let answer = future.await;
            state.sending.set(false);
            match answer {
                Ok((201, body)) => {
                    let answer: Option<OrderAnswer> = serde_json::from_str(&body).ok();
                    state.ordered(order.when, answer);
                }
                Ok((_, body)) => state.refused(&body),
                Err(message) => state.failure.set(Some(message)),
            }
        });
    }

    /// The worker took the order: the timer after a "now" order in working hours, else the
    /// after-order message.
    pub fn ordered(&self, when: OrderWhen, answer: Option<OrderAnswer>) {
        self.localize_slots();
        let model = self.model.get_value();
        let words = match when {
            OrderWhen::At(at) => self.host.with_value(|h| {
                form::when_words(
                    at,
                    form::slots_for(&model, self.department.get_untracked()),
                    h.today(),
                    model.lang,
                )
            }),
            OrderWhen::Now => None,
        };
        self.after_text
            .set(form::after_order_text(&model, when, words.as_deref()));
        self.host.with_value(|h| {
            let mut s = h.session();
            s.ordered = true;
            h.save_session(&s);
            h.emit(
                "order",
                &answer
                    .as_ref()
                    .map(|a| a.order_id.clone())
                    .unwrap_or_default(),
            );
        });
        match (when, model.timer_secs) {
            (OrderWhen::Now, Some(secs)) => {
                self.timer_left.set(u32::from(secs));
                self.screen.set(Screen::Timer);
                self.run_timer(secs);
            }
            _ => self.screen.set(Screen::AfterOrder),
        }
    }

    /// Counts the timer down once a second; at zero the after-order message takes its place.
    fn run_timer(&self, start_secs: u16) {
        let state = *self;
        let started = self.host.with_value(Host::now_ms);
        let (tick, speed) = self
            .host
            .with_value(|h| (h.real_ms(1000), h.speed.max(1.0)));
        let handle = set_interval_with_handle(
            move || {
                // Seconds on the widget's clock, which runs `speed` times faster in tests.
                let elapsed = (state.host.with_value(Host::now_ms) - started) as f64 * speed;
                let left = form::timer_left(start_secs, 0, elapsed as i64);
                state.timer_left.set(left);
                if left == 0 && state.screen.get_untracked() == Screen::Timer {
                    state.screen.set(Screen::AfterOrder);
                }
            },
            std::time::Duration::from_millis(tick),
        );
        if let Ok(h) = handle {
            // Stops with the timer's screen.
            Effect::new(move |_| {
                if state.screen.get() != Screen::Timer {
                    h.clear();
                }
            });
        }
    }

    /// A 4xx answer: a refused number, an invalid field, or a message to show as it is.
    fn refused(&self, body: &str) {
        let error: Option<ErrorBody> = serde_json::from_str(body).ok();
        match error {
            Some(e) if e.error == "refused" => self.failure.set(Some(self.text(TextKey::Refused))),
            Some(e) if e.problems.iter().any(|p| p.path == "phone") => {
                let reason = e.problems.iter().find(|p| p.path == "phone");
                self.phone_problem
                    .set(reason.map(|p| shared::texts::sentence(&p.message)));
                self.problems.update(|p| p.phone = true)
            }
            Some(e) => self.failure.set(Some(e.message)),
            None => self.failure.set(Some(body.to_string())),
        }
    }
}

/// The name of a screen in the page's events.
fn screen_name(screen: Screen) -> &'static str {
    match screen {
        Screen::Closed => "",
        Screen::Form => "form",
        Screen::Invitation => "invitation",
        Screen::Timer => "timer",
        Screen::AfterOrder => "after_order",
    }
}

/// The page an order comes from.
fn page_context(h: &Host) -> PageContext {
    let session: SessionMemory = h.session();
    let url = h.page_url();
    PageContext {
        utm: Utm::from_url(&url),
        url,
        referrer: h.referrer(),
        seconds_on_site: Some(((h.now_ms() - session.started_ms).max(0) / 1000) as u32),
    }
}
