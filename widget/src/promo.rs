//! The promo countdown and image (SPEC §2.7): "Countdown styles × formats", "Show zero
//! values", "Timer color, text before timer", the promo image aligned beside the form. The
//! units shown come from `shared::promo::countdown`.

use crate::state::WidgetState;
use leptos::prelude::*;
use shared::promo::{countdown, countdown_text, ImageAlign, PromoTimer, TimerStyle};
use std::time::Duration;

/// The countdown to the promo's end, ticking every second.
#[component]
pub fn PromoCountdown(timer: PromoTimer, ends_ms: i64) -> impl IntoView {
    let state = expect_context::<WidgetState>();
    let now = RwSignal::new(state.host.with_value(|h| h.now_ms()));
    let tick = state.host.with_value(|h| h.real_ms(1000));
    if let Ok(handle) = set_interval_with_handle(
        move || now.set(js_sys::Date::now() as i64),
        Duration::from_millis(tick),
    ) {
        on_cleanup(move || handle.clear());
    }
    let lang = state.model.with_value(|m| m.lang);
    let parts = move || {
        countdown(
            chrono::Duration::milliseconds(ends_ms - now.get()),
            timer.format,
            timer.show_zeros,
        )
    };
    let style = timer.style;
    let class = match style {
        TimerStyle::Text => "rb-promo rb-promo-text",
        TimerStyle::Plate => "rb-promo rb-promo-plate",
        TimerStyle::Classic => "rb-promo rb-promo-classic",
        TimerStyle::Modern => "rb-promo rb-promo-modern",
    };
    view! {
        <div class=class style=format!("--rb-timer:{}", timer.color.hex()) data-rb="promo">
            {(!timer.text_before.is_empty()).then(|| view! { <span class="rb-promo-before">{timer.text_before.clone()}</span> })}
            <span class="rb-promo-count" role="timer">
                {move || match style {
                    TimerStyle::Text => countdown_text(&parts(), lang).into_any(),
                    _ => parts()
                        .into_iter()
                        .map(|p| {
                            let seconds = p.unit == shared::promo::Unit::Seconds;
                            view! {
                                <span class="rb-unit" class:rb-tick=seconds>
                                    <b>{format!("{:02}", p.value)}</b>
                                    <small>{p.unit.name(p.value, lang)}</small>
                                </span>
                            }
                        })
                        .collect_view()
                        .into_any(),
                }}
            </span>
        </div>
    }
}

/// The promo image beside the form: "aligned left/right/center of the form".
#[component]
pub fn PromoPicture() -> impl IntoView {
    let state = expect_context::<WidgetState>();
    state
        .model
        .with_value(|m| m.promo.as_ref().and_then(|p| p.image.clone()))
        .map(|img| {
            let align = match img.align {
                ImageAlign::Left => "rb-img-left",
                ImageAlign::Right => "rb-img-right",
                ImageAlign::Center => "rb-img-center",
            };
            view! {
                <img
                    class=format!("rb-promo-img {align}")
                    src=img.image.url.clone()
                    width=img.image.width
                    height=img.image.height
                    alt=""
                    data-rb="promo-image"
                />
            }
        })
}
