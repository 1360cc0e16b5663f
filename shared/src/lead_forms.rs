//! Lead forms (SPEC §5, seed 001): "leads from ad lead forms → callback by a rule (priority
//! among rules; conditions on form name/id, ad id, form field values); scenario `operator
//! first` or `client first`, each with key-press or after-message connection; message text
//! with `$field$` variables, repeated N times, or an audio URL; cancel digit for the operator;
//! scheduling by a lead field ("after 1 hours"); UTM parameters recorded with the order."

use crate::conditions::Utm;
use crate::validation::Problems;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A lead from an ad platform.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Lead {
    /// The lead form's id on the ad platform.
    pub form_id: String,
    /// The lead form's name.
    pub form_name: String,
    /// The ad the lead came from.
    #[serde(default)]
    pub ad_id: String,
    /// The form's fields by name (`phone`, `name`, `city`, `call_in`, ...).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// "UTM parameters recorded with the order".
    #[serde(default)]
    pub utm: Utm,
}

/// What a condition looks at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "on", content = "name")]
pub enum LeadField {
    /// The form's name.
    FormName,
    /// The form's id.
    FormId,
    /// The ad's id.
    AdId,
    /// A form field by name.
    Field(String),
}

/// How a condition compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LeadMatch {
    /// The value equals the text.
    Equals,
    /// The value contains the text.
    Contains,
}

/// One condition of a lead rule (case-insensitive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct LeadCondition {
    /// What is compared.
    pub field: LeadField,
    /// How it is compared.
    pub matching: LeadMatch,
    /// The text it is compared with.
    pub value: String,
}

/// Who is called first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LeadScenario {
    /// "operator first": the operator, then the client (the default).
    #[default]
    OperatorFirst,
    /// "client first": the client, then the operator.
    ClientFirst,
}

/// How the second party is joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum LeadConnection {
    /// The first party presses `digit` to connect.
    KeyPress {
        /// The digit, 0–9.
        digit: u8,
    },
    /// Joined after the message has played.
    AfterMessage,
}

/// The message the first party hears.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum LeadMessage {
    /// Speech with `$field$` variables, repeated `repeat` times.
    Text {
        /// The message; may use `$field$` variables.
        text: String,
        /// How many times it plays: 1–10.
        repeat: u8,
    },
    /// A recording.
    Audio {
        /// The audio file's address.
        url: String,
    },
}

/// A lead rule; rules apply in list order (priority).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct LeadRule {
    /// The rule's name.
    pub name: String,
    /// The rule is on.
    pub enabled: bool,
    /// All must hold.
    #[serde(default)]
    pub conditions: Vec<LeadCondition>,
    /// Who is called first.
    #[serde(default)]
    pub scenario: LeadScenario,
    /// How the second party is joined.
    pub connection: LeadConnection,
    /// What the first party hears.
    pub message: LeadMessage,
    /// The operator presses this to refuse the lead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_digit: Option<u8>,
    /// The lead field that says when to call ("after 1 hours").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_field: Option<String>,
}

impl LeadCondition {
    fn holds(&self, lead: &Lead) -> bool {
        let got = match &self.field {
            LeadField::FormName => Some(lead.form_name.as_str()),
            LeadField::FormId => Some(lead.form_id.as_str()),
            LeadField::AdId => Some(lead.ad_id.as_str()),
            LeadField::Field(name) => lead.fields.get(name).map(String::as_str),
        };
        let Some(got) = got else { return false };
        let (g, v) = (got.trim().to_lowercase(), self.value.trim().to_lowercase());
        match self.matching {
            LeadMatch::Equals => g == v,
            LeadMatch::Contains => g.contains(&v),
        }
    }
}

/// The first enabled rule, in priority order, whose conditions all hold.
pub fn pick_rule<'a>(rules: &'a [LeadRule], lead: &Lead) -> Option<(usize, &'a LeadRule)> {
    rules
        .iter()
        .enumerate()
        .find(|(_, r)| r.enabled && r.conditions.iter().all(|c| c.holds(lead)))
}

/// When to call, from a lead field such as `after 1 hours`, `after 30 minutes`,
/// `через 2 часа`, `через 15 минут`; `None` if the text says nothing we read.
pub fn call_time_from_field(text: &str, received: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let t = text.trim().to_lowercase();
    let rest = t
        .strip_prefix("after ")
        .or_else(|| t.strip_prefix("in "))
        .or_else(|| t.strip_prefix("через "))?;
    let mut words = rest.split_whitespace();
    let n: i64 = words.next()?.parse().ok()?;
    let unit = words.next().unwrap_or("");
    let minutes = if unit.starts_with("hour") || unit.starts_with("час") {
        n * 60
    } else if unit.starts_with("min") || unit.starts_with("мин") {
        n
    } else if unit.starts_with("day") || unit.starts_with("д") {
        n * 24 * 60
    } else {
        return None;
    };
    (0..=7 * 24 * 60)
        .contains(&minutes)
        .then(|| received + Duration::minutes(minutes))
}

/// The message text with its `$field$` variables filled from the lead.
pub fn message_text(text: &str, lead: &Lead) -> String {
    let mut vars: BTreeMap<String, String> = lead.fields.clone();
    vars.insert("form_name".into(), lead.form_name.clone());
    crate::announcements::fill(text, &vars)
}

impl LeadRule {
    /// Every problem under `path`.
    pub fn validate(&self, path: &str, problems: &mut Problems) {
        if self.name.trim().is_empty() {
            problems.add(format!("{path}.name"), "must not be empty");
        }
        if let LeadConnection::KeyPress { digit } = self.connection {
            if digit > 9 {
                problems.add(
                    format!("{path}.connection.digit"),
                    "must be a digit from 0 to 9",
                );
            }
            if self.cancel_digit == Some(digit) {
                problems.add(
                    format!("{path}.cancel_digit"),
                    "must differ from the connect digit",
                );
            }
        }
        if self.cancel_digit.is_some_and(|d| d > 9) {
            problems.add(
                format!("{path}.cancel_digit"),
                "must be a digit from 0 to 9",
            );
        }
        if let LeadMessage::Text { text, repeat } = &self.message {
            if text.trim().is_empty() {
                problems.add(format!("{path}.message.text"), "must not be empty");
            }
            problems.check_range(format!("{path}.message.repeat"), *repeat, 1, 10, "");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn lead() -> Lead {
        Lead {
            form_id: "42".into(),
            form_name: "Windows spring".into(),
            ad_id: "ad-7".into(),
            fields: [
                ("city", "Tula"),
                ("call_in", "after 1 hours"),
                ("name", "Anna"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
            utm: Utm::default(),
        }
    }

    fn rule(name: &str, conditions: Vec<LeadCondition>) -> LeadRule {
        LeadRule {
            name: name.into(),
            enabled: true,
            conditions,
            scenario: LeadScenario::OperatorFirst,
            connection: LeadConnection::AfterMessage,
            message: LeadMessage::Text {
                text: "New lead from $form_name$, $name$ in $city$".into(),
                repeat: 2,
            },
            cancel_digit: None,
            schedule_field: Some("call_in".into()),
        }
    }

    fn cond(field: LeadField, matching: LeadMatch, value: &str) -> LeadCondition {
        LeadCondition {
            field,
            matching,
            value: value.into(),
        }
    }

    #[test]
    fn the_first_matching_rule_by_priority_wins() {
        let mut rules = vec![
            rule(
                "Moscow",
                vec![cond(
                    LeadField::Field("city".into()),
                    LeadMatch::Equals,
                    "Moscow",
                )],
            ),
            rule(
                "Spring forms",
                vec![
                    cond(LeadField::FormName, LeadMatch::Contains, "spring"),
                    cond(LeadField::AdId, LeadMatch::Equals, "AD-7"),
                ],
            ),
            rule("Everything", vec![]),
        ];
        assert_eq!(pick_rule(&rules, &lead()).unwrap().0, 1);
        rules[1].enabled = false;
        assert_eq!(pick_rule(&rules, &lead()).unwrap().0, 2);
        rules[2].conditions = vec![cond(LeadField::FormId, LeadMatch::Equals, "43")];
        assert!(pick_rule(&rules, &lead()).is_none());
    }

    #[test]
    fn a_lead_field_schedules_the_call() {
        let at = Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap();
        let cases = [
            ("after 1 hours", Some(60)),
            ("After 30 minutes", Some(30)),
            ("in 2 hours", Some(120)),
            ("через 2 часа", Some(120)),
            ("через 15 минут", Some(15)),
            ("after 1 day", Some(1440)),
            ("tomorrow", None),
            ("after soon", None),
            ("after 900 days", None),
        ];
        for (text, minutes) in cases {
            assert_eq!(
                call_time_from_field(text, at),
                minutes.map(|m| at + Duration::minutes(m)),
                "{text}"
            );
        }
    }

    #[test]
    fn the_message_fills_the_leads_fields() {
        assert_eq!(
            message_text("New lead from $form_name$, $name$ in $city$", &lead()),
            "New lead from Windows spring, Anna in Tula"
        );
    }

    #[test]
    fn digits_are_checked() {
        let mut r = rule("", vec![]);
        r.connection = LeadConnection::KeyPress { digit: 5 };
        r.cancel_digit = Some(5);
        r.message = LeadMessage::Text {
            text: " ".into(),
            repeat: 0,
        };
        let mut p = Problems::new();
        r.validate("leads[0]", &mut p);
        assert_eq!(p.into_vec().len(), 4);
    }

    /// A lead field schedules the call at most a week ahead.
    #[test]
    fn a_lead_field_schedules_at_most_a_week_ahead() {
        let at = Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap();
        let week = 7 * 24 * 60;
        let cases = [
            ("after 7 days", Some(week)),
            ("after 168 hours", Some(week)),
            (&*format!("after {week} minutes"), Some(week)),
            (&*format!("after {} minutes", week + 1), None),
            ("after 8 days", None),
            ("after 0 minutes", Some(0)),
        ];
        for (text, minutes) in cases {
            assert_eq!(
                call_time_from_field(text, at),
                minutes.map(|m| at + Duration::minutes(m)),
                "{text}"
            );
        }
    }

    #[test]
    fn connect_and_cancel_digits_are_0_to_9() {
        let problems = |digit: u8, cancel: Option<u8>| {
            let mut r = rule("Leads", vec![]);
            r.connection = LeadConnection::KeyPress { digit };
            r.cancel_digit = cancel;
            let mut p = Problems::new();
            r.validate("leads[0]", &mut p);
            p.into_vec().into_iter().map(|p| p.path).collect::<Vec<_>>()
        };
        let none: &[&str] = &[];
        assert_eq!(problems(9, Some(0)), none);
        assert_eq!(problems(0, Some(9)), none);
        assert_eq!(problems(1, None), none);
        assert_eq!(problems(10, None), ["leads[0].connection.digit"]);
        assert_eq!(problems(5, Some(10)), ["leads[0].cancel_digit"]);
    }
}
