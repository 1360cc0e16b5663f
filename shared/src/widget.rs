//! The Widget: "one configured callback widget of a site. Kinds: `standard`, `promo`,
//! `missed_call`, `lead_form`" (SPEC §1).
//!
//! A widget's settings are one versioned document: the `version` field names the format, and
//! documents written in an older format still load.

use crate::button::ButtonLook;
use crate::validation::{Problem, Problems};
use serde::{Deserialize, Serialize};

/// The widget kinds of SPEC §1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WidgetKind {
    Standard,
    Promo,
    MissedCall,
    LeadForm,
}

impl WidgetKind {
    /// Whether visitors see this kind on pages. `missed_call` and `lead_form` widgets only hold
    /// the call settings for orders that arrive another way (SPEC §5).
    pub fn shows_on_pages(self) -> bool {
        matches!(self, WidgetKind::Standard | WidgetKind::Promo)
    }
}

/// The current version of the settings document format.
pub const SETTINGS_VERSION: u32 = 1;

/// A widget's settings document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WidgetSettings {
    /// Format version of this document; see [`SETTINGS_VERSION`].
    #[serde(default = "current_version")]
    pub version: u32,
    pub name: String,
    pub kind: WidgetKind,
    /// The floating button in working hours.
    #[serde(default)]
    pub button: ButtonLook,
}

fn current_version() -> u32 {
    SETTINGS_VERSION
}

impl WidgetSettings {
    /// Longest widget name, in characters.
    pub const MAX_NAME: usize = 100;

    pub fn new(name: impl Into<String>, kind: WidgetKind) -> Self {
        Self {
            version: SETTINGS_VERSION,
            name: name.into(),
            kind,
            button: ButtonLook::default(),
        }
    }

    /// Every problem of this document at once (see [`crate::validation`]).
    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut p = Problems::new();
        let name = self.name.trim();
        if name.is_empty() {
            p.add("name", "must not be empty");
        } else if name.chars().count() > Self::MAX_NAME {
            p.add(
                "name",
                format!("must be at most {} characters", Self::MAX_NAME),
            );
        }
        if self.version > SETTINGS_VERSION {
            p.add(
                "version",
                format!(
                    "format {} is newer than this server understands",
                    self.version
                ),
            );
        }
        self.button.validate("button", &mut p);
        p.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_without_version_or_button_loads_with_defaults() {
        let w: WidgetSettings =
            serde_json::from_str(r#"{"name":"Main","kind":"standard"}"#).unwrap();
        assert_eq!(w.version, SETTINGS_VERSION);
        assert_eq!(w.button, ButtonLook::default());
        assert!(w.validate().is_ok());
    }

    #[test]
    fn validation_returns_every_problem_with_its_path() {
        let mut w = WidgetSettings::new("  ", WidgetKind::Promo);
        w.button.size = 10;
        w.version = 99;
        let problems = w.validate().unwrap_err();
        let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["name", "version", "button.size"]);
    }

    #[test]
    fn only_standard_and_promo_show_on_pages() {
        assert!(WidgetKind::Standard.shows_on_pages());
        assert!(WidgetKind::Promo.shows_on_pages());
        assert!(!WidgetKind::MissedCall.shows_on_pages());
        assert!(!WidgetKind::LeadForm.shows_on_pages());
    }
}
