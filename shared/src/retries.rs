//! Retries and the extra attempt (SPEC §4).
//!
//! - Retries: "`standard`: 1, 2, 3, 5 or 7 retries with a 3, 5, 10 or 15 min pause; `custom`: up
//!   to 10 attempts, each interval 3–1440 min. A retry due after the working day ends moves to
//!   the next working morning." A custom scenario lists up to 10 retries, each with its own
//!   interval from the previous attempt.
//! - Extra attempt: "if the chain's successful call was shorter than N s (e.g. 30), one more
//!   attempt after M min (e.g. 60)".

use crate::validation::Problems;
use chrono::Duration;
use serde::{Deserialize, Serialize};

/// Automatic retries after a failed attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "scenario")]
pub enum RetryPolicy {
    /// The same pause before each retry.
    Standard {
        /// How many: 1, 2, 3, 5 or 7.
        retries: u8,
        /// Minutes before each: 3, 5, 10 or 15.
        pause_minutes: u8,
    },
    /// One interval per retry.
    Custom {
        /// Minutes before each retry, from the previous attempt: up to 10, each 3–1440.
        intervals_minutes: Vec<u16>,
    },
}

impl RetryPolicy {
    /// "1, 2, 3, 5 or 7 retries".
    pub const STANDARD_RETRIES: [u8; 5] = [1, 2, 3, 5, 7];
    /// "a 3, 5, 10 or 15 min pause".
    pub const STANDARD_PAUSES: [u8; 4] = [3, 5, 10, 15];
    /// "up to 10 attempts".
    pub const MAX_CUSTOM: usize = 10;
    /// "each interval 3–1440 min".
    pub const MIN_INTERVAL: u16 = 3;
    /// Longest custom interval, in minutes.
    pub const MAX_INTERVAL: u16 = 1440;

    /// How many retries follow a failed first attempt.
    pub fn retries(&self) -> u32 {
        match self {
            RetryPolicy::Standard { retries, .. } => u32::from(*retries),
            RetryPolicy::Custom { intervals_minutes } => intervals_minutes.len() as u32,
        }
    }

    /// The wait before retry number `n` (1 = the first retry), or `None` past the last.
    pub fn delay_before(&self, n: u32) -> Option<Duration> {
        if n == 0 || n > self.retries() {
            return None;
        }
        let minutes = match self {
            RetryPolicy::Standard { pause_minutes, .. } => i64::from(*pause_minutes),
            RetryPolicy::Custom { intervals_minutes } => {
                i64::from(intervals_minutes[(n - 1) as usize])
            }
        };
        Some(Duration::minutes(minutes))
    }

    /// Every problem under `path`.
    pub fn validate(&self, path: &str, problems: &mut Problems) {
        match self {
            RetryPolicy::Standard {
                retries,
                pause_minutes,
            } => {
                if !Self::STANDARD_RETRIES.contains(retries) {
                    problems.add(format!("{path}.retries"), "choose 1, 2, 3, 5 or 7 retries");
                }
                if !Self::STANDARD_PAUSES.contains(pause_minutes) {
                    problems.add(
                        format!("{path}.pause_minutes"),
                        "choose a pause of 3, 5, 10 or 15 minutes",
                    );
                }
            }
            RetryPolicy::Custom { intervals_minutes } => {
                if intervals_minutes.is_empty() {
                    problems.add(
                        format!("{path}.intervals_minutes"),
                        "add at least one retry",
                    );
                }
                if intervals_minutes.len() > Self::MAX_CUSTOM {
                    problems.add(
                        format!("{path}.intervals_minutes"),
                        format!("at most {} retries", Self::MAX_CUSTOM),
                    );
                }
                for (i, m) in intervals_minutes.iter().enumerate() {
                    problems.check_range(
                        format!("{path}.intervals_minutes[{i}]"),
                        *m,
                        Self::MIN_INTERVAL,
                        Self::MAX_INTERVAL,
                        " min",
                    );
                }
            }
        }
    }
}

/// The extra attempt after a short successful call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ExtraAttempt {
    /// N: a successful call shorter than this (total length, including the wait for the
    /// call center) gets one more attempt.
    pub shorter_than_secs: u32,
    /// M: that attempt's delay after the short call ends.
    pub after_minutes: u32,
}

impl ExtraAttempt {
    /// A call shorter than 5 s is not successful at all, so N starts above it.
    pub const MIN_SECS: u32 = 6;
    /// Largest N, in seconds.
    pub const MAX_SECS: u32 = 600;
    /// Shortest delay M, in minutes.
    pub const MIN_MINUTES: u32 = 3;
    /// Longest delay M, in minutes.
    pub const MAX_MINUTES: u32 = 1440;

    /// Whether a successful call of `total_secs` earns the extra attempt.
    pub fn applies_to(&self, total_secs: u32) -> bool {
        total_secs < self.shorter_than_secs
    }

    /// Every problem under `path`.
    pub fn validate(&self, path: &str, problems: &mut Problems) {
        problems.check_range(
            format!("{path}.shorter_than_secs"),
            self.shorter_than_secs,
            Self::MIN_SECS,
            Self::MAX_SECS,
            " s",
        );
        problems.check_range(
            format!("{path}.after_minutes"),
            self.after_minutes,
            Self::MIN_MINUTES,
            Self::MAX_MINUTES,
            " min",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_retries_wait_the_same_pause() {
        let p = RetryPolicy::Standard {
            retries: 2,
            pause_minutes: 5,
        };
        assert_eq!(p.retries(), 2);
        assert_eq!(p.delay_before(0), None);
        assert_eq!(p.delay_before(1), Some(Duration::minutes(5)));
        assert_eq!(p.delay_before(2), Some(Duration::minutes(5)));
        assert_eq!(p.delay_before(3), None);
    }

    #[test]
    fn custom_retries_wait_their_own_interval() {
        let p = RetryPolicy::Custom {
            intervals_minutes: vec![3, 60, 1440],
        };
        assert_eq!(p.retries(), 3);
        assert_eq!(p.delay_before(2), Some(Duration::minutes(60)));
        assert_eq!(p.delay_before(3), Some(Duration::minutes(1440)));
        assert_eq!(p.delay_before(4), None);
    }

    #[test]
    fn only_the_spec_values_are_accepted() {
        let problems = |p: RetryPolicy| {
            let mut pr = Problems::new();
            p.validate("retries", &mut pr);
            pr.into_vec()
                .into_iter()
                .map(|p| p.path)
                .collect::<Vec<_>>()
        };
        for r in RetryPolicy::STANDARD_RETRIES {
            for m in RetryPolicy::STANDARD_PAUSES {
                assert!(problems(RetryPolicy::Standard {
                    retries: r,
                    pause_minutes: m
                })
                .is_empty());
            }
        }
        assert_eq!(
            problems(RetryPolicy::Standard {
                retries: 4,
                pause_minutes: 7
            }),
            ["retries.retries", "retries.pause_minutes"]
        );
        assert_eq!(
            problems(RetryPolicy::Custom {
                intervals_minutes: vec![]
            }),
            ["retries.intervals_minutes"]
        );
        assert_eq!(
            problems(RetryPolicy::Custom {
                intervals_minutes: vec![3; 11]
            }),
            ["retries.intervals_minutes"]
        );
        assert_eq!(
            problems(RetryPolicy::Custom {
                intervals_minutes: vec![2, 3, 1440, 1441]
            }),
            [
                "retries.intervals_minutes[0]",
                "retries.intervals_minutes[3]"
            ]
        );
    }

    #[test]
    fn the_extra_attempt_applies_below_n_seconds() {
        let e = ExtraAttempt {
            shorter_than_secs: 30,
            after_minutes: 60,
        };
        assert!(e.applies_to(10));
        assert!(e.applies_to(29));
        assert!(!e.applies_to(30));
        assert!(!e.applies_to(40));
        let mut p = Problems::new();
        ExtraAttempt {
            shorter_than_secs: 5,
            after_minutes: 2,
        }
        .validate("extra", &mut p);
        assert_eq!(p.into_vec().len(), 2);
    }

    /// "`custom`: up to 10 attempts": ten intervals are fine, eleven are not.
    #[test]
    fn custom_retries_allow_up_to_ten_intervals() {
        for (n, ok) in [(1, true), (10, true), (11, false)] {
            let mut p = Problems::new();
            RetryPolicy::Custom {
                intervals_minutes: vec![3; n],
            }
            .validate("retries", &mut p);
            assert_eq!(p.is_empty(), ok, "{n}");
        }
    }
}
