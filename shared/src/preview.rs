//! The cabinet's live preview (SPEC §6 "a live preview made of the real widget components"):
//! the render model of a widget's settings as a visitor would get it, without a visit. The
//! cabinet carries no time-zone database, so the preview's time picker is empty; everything
//! else is what *decide* answers ([`crate::render`] on the worker).
//!
//! Also the preview *link* ("a preview link that shows a not-yet-active widget on the real site
//! for the person who opens it", SPEC §6): its token works for [`LINK_HOURS`] after it was
//! made; renewing it in the cabinet makes a new token and the old one stops working.

use crate::api::{PromoModel, RenderModel};
use crate::autoshow::Plan;
use crate::device::Layout;
use crate::mask::PhoneMask;
use crate::promo::PromoState;
use crate::schedule::WidgetMode;
use crate::texts::{Lang, TextKey};
use crate::widget::WidgetSettings;
use chrono::{DateTime, Duration, Utc};

/// How long a preview link works after it was made (or renewed), in hours.
pub const LINK_HOURS: i64 = 24;

/// When a preview link made at `made_at` stops working.
pub fn link_expires_at(made_at: DateTime<Utc>) -> DateTime<Utc> {
    made_at + Duration::hours(LINK_HOURS)
}

/// Whether a preview link that expires at `expires_at` still works at `now`. A link stored
/// without an expiry (made before links expired) does not.
pub fn link_works(expires_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    expires_at.is_some_and(|e| now < e)
}

/// A widget's current preview token, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewToken {
    /// The token of the link's `rb_preview` parameter.
    pub token: String,
    /// The widget it shows.
    pub widget_id: i64,
    /// When it stops working.
    pub expires_at: Option<DateTime<Utc>>,
}

/// The widget that the token `sent` by a page shows at `now`: the one whose current token it
/// is, while that token works. An unknown, replaced or expired token is no preview at all:
/// *decide* then answers as for any visitor. Tokens are compared in time independent of their
/// content.
pub fn previewed(tokens: &[PreviewToken], sent: &str, now: DateTime<Utc>) -> Option<i64> {
    tokens
        .iter()
        .find(|t| same(&t.token, sent))
        .filter(|t| link_works(t.expires_at, now))
        .map(|t| t.widget_id)
}

/// Equal strings, compared in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

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

#[cfg(test)]
mod link_tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_preview_link_works_for_24_hours_after_it_was_made() {
        let made = Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap();
        let expires = link_expires_at(made);
        assert_eq!(expires, Utc.with_ymd_and_hms(2026, 3, 4, 9, 0, 0).unwrap());
        for (now, works) in [
            (made, true),
            (made + Duration::hours(23) + Duration::minutes(59), true),
            (expires - Duration::seconds(1), true),
            (expires, false),
            (expires + Duration::days(30), false),
        ] {
            assert_eq!(link_works(Some(expires), now), works, "{now}");
        }
        assert!(!link_works(None, made), "a link stored without an expiry");
    }

    #[test]
    fn only_the_current_unexpired_token_previews_its_widget() {
        let now = Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap();
        let tokens = [
            PreviewToken {
                token: "fresh-token".into(),
                widget_id: 1,
                expires_at: Some(now + Duration::hours(1)),
            },
            PreviewToken {
                token: "stale-token".into(),
                widget_id: 2,
                expires_at: Some(now - Duration::seconds(1)),
            },
            PreviewToken {
                token: "old-format".into(),
                widget_id: 3,
                expires_at: None,
            },
        ];
        for (sent, widget) in [
            ("fresh-token", Some(1)),
            ("stale-token", None),
            ("old-format", None),
            ("fresh-tokeN", None),
            ("fresh-token-longer", None),
            ("", None),
        ] {
            assert_eq!(previewed(&tokens, sent, now), widget, "{sent:?}");
        }
    }
}
