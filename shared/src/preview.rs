//! The cabinet's live preview (SPEC §6 "a live preview made of the real widget components"):
//! the render model of a widget's settings as a visitor would get it, without a visit. The
//! cabinet carries no time-zone database, so the preview's time picker is empty; everything
//! else is what *decide* answers ([`crate::render`] on the worker).

use crate::api::{PromoModel, RenderModel};
use crate::autoshow::Plan;
use crate::device::Layout;
use crate::mask::PhoneMask;
use crate::promo::PromoState;
use crate::schedule::WidgetMode;
use crate::texts::{Lang, TextKey};
use crate::widget::WidgetSettings;
use chrono::{DateTime, Utc};

/// The model of `settings` in `mode` and `layout`, for a site at `domain` in `country`.
pub fn model(
    settings: &WidgetSettings,
    mode: WidgetMode,
    layout: Layout,
    lang: Lang,
    domain: &str,
    country: &str,
    now: DateTime<Utc>,
) -> RenderModel {
    let a = &settings.appearance;
    let look = match mode {
        WidgetMode::OffHours => &a.off_hours,
        _ => &a.working,
    };
    let mut button = look.button.clone();
    if layout == Layout::Mobile {
        button.size = a.mobile.button_size.unwrap_or(button.size);
        button.position = a.mobile.button_position.unwrap_or(button.position);
    }
    RenderModel {
        widget_id: 0,
        mode,
        layout,
        lang,
        button_style: button.style(),
        button_label: crate::form::word(crate::form::Word::RequestCallback, lang).to_string(),
        button,
        form: look.form.clone(),
        texts: TextKey::ALL
            .iter()
            .map(|k| (*k, look.texts.get(*k, lang)))
            .collect(),
        consent_link: look.form.consent.link(domain),
        timer_secs: (mode == WidgetMode::Working && a.timer.enabled).then_some(a.timer.start_secs),
        slots: Vec::new(),
        departments: Vec::new(),
        department_required: settings.departments.must_choose,
        preselected_department: None,
        auto_show: Plan::for_visit(&settings.auto_show, &[], None),
        promo: settings.promo.as_ref().and_then(|p| match p.state(now) {
            PromoState::Running { ends_at, .. } => Some(PromoModel {
                ends_at,
                timer: p.timer.clone(),
                image: p.image.clone(),
            }),
            PromoState::Finished => None,
        }),
        phone_mask: PhoneMask::for_country(country),
    }
}

#[cfg(all(test, feature = "server"))]
mod tests {
    use super::*;
    use crate::account::Site;
    use crate::conditions::{Geo, Visit};
    use crate::device::DeviceType;
    use crate::render::{render, Input};
    use crate::selection::{Choice, ListedWidget};
    use crate::widget::WidgetKind;
    use chrono::TimeZone;

    #[test]
    fn the_preview_is_what_decide_draws_except_the_time_picker() {
        let now = Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap();
        let mut s = WidgetSettings::new("Main", WidgetKind::Standard);
        s.appearance.mobile.button_size = Some(48);
        let w = ListedWidget {
            id: 0,
            position: 0,
            active: true,
            settings: s.clone(),
        };
        let site = Site {
            domain: "okna.ru".into(),
            country: "RU".into(),
            client_countries: vec![],
        };
        for (mode, device) in [
            (WidgetMode::Working, DeviceType::Desktop),
            (WidgetMode::OffHours, DeviceType::Mobile),
        ] {
            let visit = Visit::new("https://okna.ru/", device, Geo::default());
            let mut decided = render(Input {
                choice: Choice {
                    widget: &w,
                    mode,
                    pin: false,
                },
                departments: &[],
                site: &site,
                visit: &visit,
                page_lang: "en",
                visitor_zone: None,
                samples: &[],
                now,
            });
            decided.slots.clear();
            let preview = model(&s, mode, device.layout(), Lang::En, "okna.ru", "RU", now);
            assert_eq!(preview, decided, "{mode:?} {device:?}");
        }
    }
}
