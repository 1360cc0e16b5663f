//! Missed-call callback (SPEC §5, seeds 002 and 003): "the telephony reports an incoming call
//! that was lost (not answered, or answered shorter than N s, or unique only); after a watch
//! window (e.g. 5 min) in which the caller's own repeat call cancels it, the operator is called
//! with a distinct announcement, then the caller; retries per rule (at most 5 attempts;
//! intervals; don't call back if the caller waited under N s, at most 60); at most N
//! simultaneous callbacks (at most 5); rules have priority order, on/off, and a master switch;
//! a blacklisted caller is ignored."
//!
//! The callback itself is a [`crate::chain`] with `missed_call` set: its first attempt is due
//! at the end of the watch window, and the caller's repeat call cancels it like a retry.

use crate::validation::Problems;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// "at most 5 attempts".
pub const MAX_ATTEMPTS: u8 = 5;
/// "don't call back if the caller waited under N s, at most 60".
pub const MAX_MIN_WAIT_SECS: u32 = 60;
/// "at most N simultaneous callbacks (at most 5)".
pub const MAX_SIMULTANEOUS: u8 = 5;
/// Longest watch window, minutes.
pub const MAX_WATCH_MINUTES: u32 = 60;

/// Which incoming calls count as lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct LostWhen {
    /// Nobody answered.
    pub unanswered: bool,
    /// Answered but shorter than this (a dropped call), if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_shorter_than_secs: Option<u32>,
    /// Only callers who have not called before.
    #[serde(default)]
    pub unique_only: bool,
}

/// One rule; rules apply in list order (priority), the first matching one wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct MissedCallRule {
    /// The rule's name.
    pub name: String,
    /// The rule is on.
    pub enabled: bool,
    /// The company numbers this rule watches; empty: all.
    #[serde(default)]
    pub numbers: Vec<String>,
    /// Which calls count as lost.
    pub lost_when: LostWhen,
    /// The caller's own repeat call within this many minutes cancels the callback.
    pub watch_minutes: u32,
    /// Callers who hung up sooner than this are not called back.
    pub min_wait_secs: u32,
    /// Attempts of the callback, the first included (1–5).
    pub attempts: u8,
    /// Minutes before each retry (`attempts - 1` values).
    #[serde(default)]
    pub intervals_minutes: Vec<u16>,
}

/// A site's missed-call callback settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct MissedCallSettings {
    /// The master switch.
    pub enabled: bool,
    /// "at most N simultaneous callbacks (at most 5)".
    pub max_simultaneous: u8,
    /// The rules, in priority order.
    pub rules: Vec<MissedCallRule>,
}

/// An incoming call the telephony reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct IncomingCall {
    /// The caller, E.164.
    pub caller: String,
    /// The company number called.
    pub called: String,
    /// When the incoming call ended.
    pub ended_at: DateTime<Utc>,
    /// Seconds the caller waited before hanging up (or being answered).
    pub waited_secs: u32,
    /// Seconds of conversation, if answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_secs: Option<u32>,
    /// The caller has called this account before.
    #[serde(default)]
    pub called_before: bool,
    /// The caller is on the account's blacklist.
    #[serde(default)]
    pub blacklisted: bool,
}

/// What to do about an incoming call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "decision")]
pub enum Decision {
    /// Call back: the rule, and when the first attempt is due (the watch window's end).
    CallBack {
        /// Index of the rule that applies.
        rule: usize,
        /// When the first attempt is due.
        due_at: DateTime<Utc>,
    },
    /// No callback.
    Ignore {
        /// Why.
        reason: Ignored,
    },
}

/// Why a call gets no callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Ignored {
    /// The master switch is off.
    SwitchedOff,
    /// "a blacklisted caller is ignored".
    Blacklisted,
    /// A rule covers the number, but the call does not count as lost.
    NotLost,
    /// No enabled rule covers the number, or the caller waited too briefly for every rule.
    NoRule,
}

impl MissedCallRule {
    fn covers(&self, call: &IncomingCall) -> bool {
        self.enabled
            && (self.numbers.is_empty() || self.numbers.iter().any(|n| n.trim() == call.called))
    }

    fn lost(&self, call: &IncomingCall) -> bool {
        let lost = match call.answered_secs {
            None => self.lost_when.unanswered,
            Some(secs) => self
                .lost_when
                .answered_shorter_than_secs
                .is_some_and(|limit| secs < limit),
        };
        lost && !(self.lost_when.unique_only && call.called_before)
    }

    /// The retries as a custom retry policy for the chain, if any.
    pub fn retry_intervals(&self) -> Vec<u16> {
        self.intervals_minutes
            .iter()
            .take(usize::from(self.attempts.saturating_sub(1)))
            .copied()
            .collect()
    }

    /// Every problem under `path`.
    pub fn validate(&self, path: &str, problems: &mut Problems) {
        if self.name.trim().is_empty() {
            problems.add(format!("{path}.name"), "must not be empty");
        }
        problems.check_range(
            format!("{path}.attempts"),
            self.attempts,
            1,
            MAX_ATTEMPTS,
            "",
        );
        problems.check_range(
            format!("{path}.min_wait_secs"),
            self.min_wait_secs,
            0,
            MAX_MIN_WAIT_SECS,
            " s",
        );
        problems.check_range(
            format!("{path}.watch_minutes"),
            self.watch_minutes,
            0,
            MAX_WATCH_MINUTES,
            " min",
        );
        if self.intervals_minutes.len() + 1 != usize::from(self.attempts) {
            problems.add(
                format!("{path}.intervals_minutes"),
                "give one interval for each attempt after the first",
            );
        }
        for (i, m) in self.intervals_minutes.iter().enumerate() {
            problems.check_range(
                format!("{path}.intervals_minutes[{i}]"),
                *m,
                3,
                1440,
                " min",
            );
        }
        if !self.lost_when.unanswered && self.lost_when.answered_shorter_than_secs.is_none() {
            problems.add(
                format!("{path}.lost_when"),
                "choose which calls count as lost: unanswered, answered too briefly, or both",
            );
        }
    }
}

impl MissedCallSettings {
    /// The decision for one incoming call: the first enabled rule (in priority order) that
    /// covers the number and sees the call as lost, unless the caller waited too briefly.
    pub fn decide(&self, call: &IncomingCall) -> Decision {
        if !self.enabled {
            return Decision::Ignore {
                reason: Ignored::SwitchedOff,
            };
        }
        if call.blacklisted {
            return Decision::Ignore {
                reason: Ignored::Blacklisted,
            };
        }
        let covering: Vec<(usize, &MissedCallRule)> = self
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.covers(call))
            .collect();
        let Some((i, rule)) = covering.iter().find(|(_, r)| r.lost(call)) else {
            return Decision::Ignore {
                reason: if covering.is_empty() {
                    Ignored::NoRule
                } else {
                    Ignored::NotLost
                },
            };
        };
        if call.answered_secs.is_none() && call.waited_secs < rule.min_wait_secs {
            return Decision::Ignore {
                reason: Ignored::NoRule,
            };
        }
        Decision::CallBack {
            rule: *i,
            due_at: call.ended_at + Duration::minutes(i64::from(rule.watch_minutes)),
        }
    }

    /// Whether another callback may start with `running` under way.
    pub fn may_start(&self, running: usize) -> bool {
        running < usize::from(self.max_simultaneous.clamp(1, MAX_SIMULTANEOUS))
    }

    /// Every problem under `path`, each rule's included.
    pub fn validate(&self, path: &str, problems: &mut Problems) {
        problems.check_range(
            format!("{path}.max_simultaneous"),
            self.max_simultaneous,
            1,
            MAX_SIMULTANEOUS,
            "",
        );
        for (i, r) in self.rules.iter().enumerate() {
            r.validate(&format!("{path}.rules[{i}]"), problems);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn rule(name: &str, numbers: &[&str], unanswered: bool, short: Option<u32>) -> MissedCallRule {
        MissedCallRule {
            name: name.into(),
            enabled: true,
            numbers: numbers.iter().map(|s| s.to_string()).collect(),
            lost_when: LostWhen {
                unanswered,
                answered_shorter_than_secs: short,
                unique_only: false,
            },
            watch_minutes: 5,
            min_wait_secs: 10,
            attempts: 3,
            intervals_minutes: vec![5, 15],
        }
    }

    fn call(waited: u32, answered: Option<u32>) -> IncomingCall {
        IncomingCall {
            caller: "+79161234567".into(),
            called: "+74951234567".into(),
            ended_at: Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap(),
            waited_secs: waited,
            answered_secs: answered,
            called_before: false,
            blacklisted: false,
        }
    }

    fn settings(rules: Vec<MissedCallRule>) -> MissedCallSettings {
        MissedCallSettings {
            enabled: true,
            max_simultaneous: 2,
            rules,
        }
    }

    #[test]
    fn an_unanswered_call_is_called_back_after_the_watch_window() {
        let s = settings(vec![rule("all", &[], true, None)]);
        assert_eq!(
            s.decide(&call(20, None)),
            Decision::CallBack {
                rule: 0,
                due_at: Utc.with_ymd_and_hms(2026, 3, 3, 9, 5, 0).unwrap()
            }
        );
        assert_eq!(s.rules[0].retry_intervals(), [5, 15]);
    }

    #[test]
    fn short_waits_answered_calls_blacklist_and_the_master_switch_are_ignored() {
        let mut s = settings(vec![rule("all", &[], true, Some(10))]);
        assert_eq!(
            s.decide(&call(5, None)),
            Decision::Ignore {
                reason: Ignored::NoRule
            }
        );
        assert!(
            matches!(s.decide(&call(5, Some(8))), Decision::CallBack { .. }),
            "dropped after 8 s"
        );
        assert_eq!(
            s.decide(&call(20, Some(60))),
            Decision::Ignore {
                reason: Ignored::NotLost
            }
        );
        let mut c = call(20, None);
        c.blacklisted = true;
        assert_eq!(
            s.decide(&c),
            Decision::Ignore {
                reason: Ignored::Blacklisted
            }
        );
        s.enabled = false;
        assert_eq!(
            s.decide(&call(20, None)),
            Decision::Ignore {
                reason: Ignored::SwitchedOff
            }
        );
    }

    #[test]
    fn rules_apply_in_priority_order_and_only_when_on() {
        let mut s = settings(vec![
            rule("sales line", &["+74951234567"], true, None),
            rule("everything", &[], true, None),
        ]);
        assert!(matches!(
            s.decide(&call(20, None)),
            Decision::CallBack { rule: 0, .. }
        ));
        s.rules[0].enabled = false;
        assert!(matches!(
            s.decide(&call(20, None)),
            Decision::CallBack { rule: 1, .. }
        ));
        let mut other = call(20, None);
        other.called = "+74950000000".into();
        s.rules[1].numbers = vec!["+74951111111".into()];
        assert_eq!(
            s.decide(&other),
            Decision::Ignore {
                reason: Ignored::NoRule
            }
        );
    }

    #[test]
    fn unique_only_skips_callers_seen_before() {
        let mut r = rule("new", &[], true, None);
        r.lost_when.unique_only = true;
        let s = settings(vec![r]);
        let mut c = call(20, None);
        c.called_before = true;
        assert_eq!(
            s.decide(&c),
            Decision::Ignore {
                reason: Ignored::NotLost
            }
        );
    }

    #[test]
    fn limits_are_enforced() {
        let s = settings(vec![]);
        assert!(s.may_start(1));
        assert!(!s.may_start(2));
        let mut bad = rule("", &[], false, None);
        bad.attempts = 6;
        bad.min_wait_secs = 61;
        let mut p = Problems::new();
        MissedCallSettings {
            enabled: true,
            max_simultaneous: 6,
            rules: vec![bad],
        }
        .validate("missed", &mut p);
        let paths: Vec<_> = p.into_vec().into_iter().map(|p| p.path).collect();
        assert_eq!(
            paths,
            [
                "missed.max_simultaneous",
                "missed.rules[0].name",
                "missed.rules[0].attempts",
                "missed.rules[0].min_wait_secs",
                "missed.rules[0].intervals_minutes",
                "missed.rules[0].lost_when",
            ]
        );
    }

    /// "answered shorter than N s": a call answered for exactly N s is not lost.
    #[test]
    fn answered_exactly_the_limit_is_not_lost() {
        let s = settings(vec![rule("short", &[], false, Some(10))]);
        assert!(matches!(
            s.decide(&call(20, Some(9))),
            Decision::CallBack { rule: 0, .. }
        ));
        assert_eq!(
            s.decide(&call(20, Some(10))),
            Decision::Ignore {
                reason: Ignored::NotLost
            }
        );
    }

    /// "don't call back if the caller waited under N s": waiting exactly N s is enough.
    #[test]
    fn waiting_exactly_the_minimum_is_enough() {
        let s = settings(vec![rule("all", &[], true, None)]);
        assert!(matches!(
            s.decide(&call(10, None)),
            Decision::CallBack { rule: 0, .. }
        ));
        assert_eq!(
            s.decide(&call(9, None)),
            Decision::Ignore {
                reason: Ignored::NoRule
            }
        );
    }

    /// Without "unique only", a caller seen before is called back like anyone else.
    #[test]
    fn callers_seen_before_count_unless_unique_only() {
        let s = settings(vec![rule("all", &[], true, None)]);
        let mut c = call(20, None);
        c.called_before = true;
        assert!(matches!(s.decide(&c), Decision::CallBack { rule: 0, .. }));
    }

    #[test]
    fn well_formed_rules_have_no_problems() {
        let cases = [
            rule("unanswered", &[], true, None),
            rule("short", &[], false, Some(10)),
            rule("both", &["+74951234567"], true, Some(10)),
            MissedCallRule {
                attempts: 1,
                intervals_minutes: vec![],
                ..rule("once", &[], true, None)
            },
            MissedCallRule {
                attempts: 5,
                intervals_minutes: vec![3, 5, 10, 1440],
                ..rule("five", &[], true, None)
            },
        ];
        for r in cases {
            let mut p = Problems::new();
            r.validate("rule", &mut p);
            assert!(p.is_empty(), "{}: {p:?}", r.name);
        }
        let mut p = Problems::new();
        MissedCallRule {
            attempts: 3,
            intervals_minutes: vec![5],
            ..rule("short of intervals", &[], true, None)
        }
        .validate("rule", &mut p);
        assert_eq!(p.into_vec()[0].path, "rule.intervals_minutes");
    }
}
