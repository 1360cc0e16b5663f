//! Forwarding, the operator side (SPEC §4): "one number, or a group of up to 10: `parallel` (all
//! ring together for 30 s until one answers) or `sequential` (one after another, each for
//! 20–60 s, same for all by default or set per number). Department orders use the department's
//! number."

use crate::validation::Problems;
use serde::{Deserialize, Serialize};

/// How a group of numbers is rung.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupMode {
    /// "all ring together for 30 s until one answers".
    #[default]
    Parallel,
    /// "one after another, each for 20–60 s".
    Sequential,
}

/// One forwarding number, with its own ring time for sequential groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ForwardingNumber {
    /// The operator's number.
    pub number: String,
    /// Seconds this number rings in a sequential group; `None`: the group's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ring_secs: Option<u8>,
}

/// The widget's main forwarding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Forwarding {
    /// One number, or a group of up to 10.
    pub numbers: Vec<ForwardingNumber>,
    /// `parallel` or `sequential`.
    #[serde(default)]
    pub mode: GroupMode,
    /// Ring time of each number in a sequential group, unless the number sets its own.
    #[serde(default = "default_ring")]
    pub ring_secs: u8,
}

fn default_ring() -> u8 {
    Forwarding::DEFAULT_SEQUENTIAL_RING
}

impl Default for Forwarding {
    fn default() -> Self {
        Forwarding {
            numbers: Vec::new(),
            mode: GroupMode::Parallel,
            ring_secs: Forwarding::DEFAULT_SEQUENTIAL_RING,
        }
    }
}

/// One operator leg: a number and how long it rings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Leg {
    /// The operator's number.
    pub number: String,
    /// Seconds it rings before the next leg.
    pub ring_secs: u8,
}

/// How to ring the operators for one attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum OperatorDial {
    /// All numbers at once for `ring_secs`; the first to answer takes the call.
    Parallel {
        /// Every number of the group.
        numbers: Vec<String>,
        /// How long they ring: 30 s.
        ring_secs: u8,
    },
    /// One leg after another.
    Sequential {
        /// The legs, in ringing order.
        legs: Vec<Leg>,
    },
}

impl OperatorDial {
    /// A single number (a department's), rung like a parallel group of one.
    pub fn single(number: impl Into<String>) -> OperatorDial {
        OperatorDial::Parallel {
            numbers: vec![number.into()],
            ring_secs: Forwarding::PARALLEL_RING,
        }
    }

    /// The longest the operator side can ring before the attempt counts as unanswered.
    pub fn total_ring_secs(&self) -> u32 {
        match self {
            OperatorDial::Parallel { ring_secs, .. } => u32::from(*ring_secs),
            OperatorDial::Sequential { legs } => legs.iter().map(|l| u32::from(l.ring_secs)).sum(),
        }
    }

    /// Every number this dial may ring.
    pub fn numbers(&self) -> Vec<&str> {
        match self {
            OperatorDial::Parallel { numbers, .. } => numbers.iter().map(String::as_str).collect(),
            OperatorDial::Sequential { legs } => legs.iter().map(|l| l.number.as_str()).collect(),
        }
    }
}

impl Forwarding {
    /// "a group of up to 10".
    pub const MAX_NUMBERS: usize = 10;
    /// "all ring together for 30 s".
    pub const PARALLEL_RING: u8 = 30;
    /// "each for 20–60 s".
    pub const MIN_SEQUENTIAL_RING: u8 = 20;
    /// Longest ring time per number: "each for 20–60 s".
    pub const MAX_SEQUENTIAL_RING: u8 = 60;
    /// The group's ring time by default, in seconds.
    pub const DEFAULT_SEQUENTIAL_RING: u8 = 20;

    /// A forwarding to one number.
    pub fn to(number: impl Into<String>) -> Forwarding {
        Forwarding {
            numbers: vec![ForwardingNumber {
                number: number.into(),
                ring_secs: None,
            }],
            ..Forwarding::default()
        }
    }

    /// How to ring this forwarding.
    pub fn dial(&self) -> OperatorDial {
        match self.mode {
            GroupMode::Parallel => OperatorDial::Parallel {
                numbers: self.numbers.iter().map(|n| n.number.clone()).collect(),
                ring_secs: Self::PARALLEL_RING,
            },
            GroupMode::Sequential => OperatorDial::Sequential {
                legs: self
                    .numbers
                    .iter()
                    .map(|n| Leg {
                        number: n.number.clone(),
                        ring_secs: n.ring_secs.unwrap_or(self.ring_secs),
                    })
                    .collect(),
            },
        }
    }

    /// Every problem under `path`. `required`: at least one number (not when departments
    /// are on: "With departments on, the main forwarding number is not used"). Numbers are
    /// checked with the phone metadata when the `server` feature is on.
    pub fn validate(&self, path: &str, problems: &mut Problems, required: bool, country: &str) {
        if required && self.numbers.is_empty() {
            problems.add(
                format!("{path}.numbers"),
                "add the number operators answer on",
            );
        }
        if self.numbers.len() > Self::MAX_NUMBERS {
            problems.add(
                format!("{path}.numbers"),
                format!("a group has at most {} numbers", Self::MAX_NUMBERS),
            );
        }
        let sequential = self.mode == GroupMode::Sequential;
        if sequential {
            problems.check_range(
                format!("{path}.ring_secs"),
                self.ring_secs,
                Self::MIN_SEQUENTIAL_RING,
                Self::MAX_SEQUENTIAL_RING,
                " s",
            );
        }
        let mut seen = Vec::new();
        for (i, n) in self.numbers.iter().enumerate() {
            let p = format!("{path}.numbers[{i}]");
            check_forwarding_number(&p, &n.number, country, problems);
            if let (true, Some(r)) = (sequential, n.ring_secs) {
                problems.check_range(
                    format!("{p}.ring_secs"),
                    r,
                    Self::MIN_SEQUENTIAL_RING,
                    Self::MAX_SEQUENTIAL_RING,
                    " s",
                );
            }
            let key = n.number.trim().to_string();
            if seen.contains(&key) {
                problems.add(p, "this number is already in the group");
            }
            seen.push(key);
        }
    }
}

/// Records why `number` cannot be a forwarding number, if it cannot.
pub fn check_forwarding_number(path: &str, number: &str, country: &str, problems: &mut Problems) {
    #[cfg(feature = "server")]
    if let Err(e) = crate::phone::normalize_forwarding(number, country) {
        problems.add(path, e.to_string());
    }
    #[cfg(not(feature = "server"))]
    {
        let _ = country;
        if number.trim().is_empty() {
            problems.add(path, "enter a phone number");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(mode: GroupMode, numbers: &[(&str, Option<u8>)]) -> Forwarding {
        Forwarding {
            numbers: numbers
                .iter()
                .map(|(n, r)| ForwardingNumber {
                    number: n.to_string(),
                    ring_secs: *r,
                })
                .collect(),
            mode,
            ring_secs: 25,
        }
    }

    #[test]
    fn parallel_groups_ring_all_numbers_for_30_seconds() {
        let f = group(
            GroupMode::Parallel,
            &[("+74951234567", None), ("+74951234568", Some(50))],
        );
        let dial = f.dial();
        assert_eq!(
            dial,
            OperatorDial::Parallel {
                numbers: vec!["+74951234567".into(), "+74951234568".into()],
                ring_secs: 30
            }
        );
        assert_eq!(dial.total_ring_secs(), 30);
    }

    #[test]
    fn sequential_groups_ring_each_number_for_its_own_or_the_groups_time() {
        let f = group(
            GroupMode::Sequential,
            &[("+74951234567", None), ("+74951234568", Some(50))],
        );
        let dial = f.dial();
        assert_eq!(dial.total_ring_secs(), 25 + 50);
        assert_eq!(dial.numbers(), ["+74951234567", "+74951234568"]);
    }

    #[cfg(feature = "server")]
    #[test]
    fn validation_reports_every_number_by_index() {
        let mut numbers: Vec<(&str, Option<u8>)> = vec![("+74951234567", None); 11];
        numbers[3] = ("8 800 555-35-35", None);
        numbers[4] = ("+74951234500", Some(61));
        numbers[5] = ("8 (299) 123-45-67", None);
        let f = group(GroupMode::Sequential, &numbers);
        let mut p = Problems::new();
        f.validate("forwarding", &mut p, true, "RU");
        let p = p.into_vec();
        let text: Vec<String> = p.iter().map(|p| p.to_string()).collect();
        assert!(text.contains(&"forwarding.numbers: a group has at most 10 numbers".to_string()));
        assert!(text.contains(
            &"forwarding.numbers[3]: toll-free 8-800 numbers cannot receive callbacks".to_string()
        ));
        assert!(text
            .contains(&"forwarding.numbers[4].ring_secs: must be between 20 and 60 s".to_string()));
        assert!(text
            .iter()
            .any(|t| t.starts_with("forwarding.numbers[5]: this is not a valid")));
        assert!(text
            .contains(&"forwarding.numbers[1]: this number is already in the group".to_string()));
        let mut p = Problems::new();
        Forwarding::default().validate("forwarding", &mut p, true, "RU");
        assert_eq!(p.into_vec()[0].path, "forwarding.numbers");
        let mut p = Problems::new();
        Forwarding::default().validate("forwarding", &mut p, false, "RU");
        assert!(p.is_empty());
    }

    /// "same for all by default": a sequential group without a ring time rings 20 s each.
    #[test]
    fn the_group_ring_time_defaults_to_20_seconds() {
        let f: Forwarding =
            serde_json::from_str(r#"{"numbers":[{"number":"+74951234567"}],"mode":"sequential"}"#)
                .unwrap();
        assert_eq!(f.ring_secs, 20);
        assert_eq!(f.dial().total_ring_secs(), 20);
    }

    /// "a group of up to 10": ten numbers are fine, eleven are not.
    #[test]
    fn a_group_has_up_to_10_numbers() {
        let numbers = |n: usize| {
            (0..n)
                .map(|i| format!("+7495123456{i}"))
                .collect::<Vec<_>>()
        };
        for (n, ok) in [(1, true), (10, true), (11, false)] {
            let owned = numbers(n);
            let list: Vec<(&str, Option<u8>)> = owned.iter().map(|s| (s.as_str(), None)).collect();
            let mut p = Problems::new();
            group(GroupMode::Parallel, &list).validate("forwarding", &mut p, true, "RU");
            let too_many = p
                .into_vec()
                .iter()
                .any(|p| p.message == "a group has at most 10 numbers");
            assert_eq!(!too_many, ok, "{n}");
        }
    }
}
