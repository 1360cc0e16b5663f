//! Choosing the widget for a page: "Widgets are ordered; on a page the first widget (in list
//! order) whose schedule and conditions match is shown" (SPEC §1).

use crate::widget::WidgetSettings;
use serde::{Deserialize, Serialize};

/// A widget as it stands in its site's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListedWidget {
    pub id: i64,
    /// Place in the site's list; lower comes first.
    pub position: i64,
    /// Activated by the marketer.
    pub active: bool,
    pub settings: WidgetSettings,
}

impl ListedWidget {
    /// Whether this widget may show on the page at all.
    ///
    /// Display schedules and condition sets are not modelled yet, so every active widget of a
    /// kind that shows on pages matches.
    pub fn matches(&self) -> bool {
        self.active && self.settings.kind.shows_on_pages()
    }
}

/// The first matching widget in list order, or `None`: nothing shows on this page.
pub fn choose_widget(widgets: &[ListedWidget]) -> Option<&ListedWidget> {
    widgets
        .iter()
        .filter(|w| w.matches())
        .min_by_key(|w| (w.position, w.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::widget::WidgetKind;

    fn listed(id: i64, position: i64, active: bool, kind: WidgetKind) -> ListedWidget {
        ListedWidget {
            id,
            position,
            active,
            settings: WidgetSettings::new(format!("w{id}"), kind),
        }
    }

    #[test]
    fn first_active_widget_in_list_order_wins() {
        use WidgetKind::*;
        let cases: &[(&[ListedWidget], Option<i64>)] = &[
            (&[], None),
            (&[listed(1, 0, false, Standard)], None),
            (
                &[listed(1, 1, true, Standard), listed(2, 0, true, Promo)],
                Some(2),
            ),
            (
                &[listed(1, 0, false, Standard), listed(2, 1, true, Standard)],
                Some(2),
            ),
            (
                &[listed(1, 0, true, MissedCall), listed(2, 1, true, Standard)],
                Some(2),
            ),
            (&[listed(1, 0, true, LeadForm)], None),
            // Equal positions never happen in storage, but the choice stays deterministic.
            (
                &[listed(7, 0, true, Standard), listed(3, 0, true, Standard)],
                Some(3),
            ),
        ];
        for (i, (widgets, want)) in cases.iter().enumerate() {
            assert_eq!(choose_widget(widgets).map(|w| w.id), *want, "case {i}");
        }
    }
}
