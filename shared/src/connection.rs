//! Connection modes (SPEC §4):
//!
//! - `auto`: "the operator answers, hears the announcement for 0–120 s (default 7; one
//!   announcement per 7 s, repeated; 0 = none), then the client is dialed."
//! - `key_press`: "the announcement loops (one per 8 s) for 30–120 s (default 60) asking the
//!   operator to press a digit 0–9 (digits used elsewhere for tagging are not allowed); the
//!   client is dialed only after the press; no press → attempt failed, client never dialed."

use crate::validation::Problems;
use serde::{Deserialize, Serialize};

/// How operator and client are connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum ConnectionMode {
    /// "the operator answers, hears the announcement …, then the client is dialed".
    Auto {
        /// Seconds of announcement: 0–120, default 7; 0 = none.
        announce_secs: u8,
    },
    /// The announcement loops; "the client is dialed only after the press".
    KeyPress {
        /// The digit 0–9 the operator presses; not one used for tagging.
        digit: u8,
        /// How long the announcement loops waiting: 30–120 s, default 60.
        wait_secs: u8,
    },
}

impl Default for ConnectionMode {
    fn default() -> Self {
        ConnectionMode::Auto {
            announce_secs: Self::DEFAULT_ANNOUNCE_SECS,
        }
    }
}

impl ConnectionMode {
    /// "one announcement per 7 s".
    pub const AUTO_ANNOUNCEMENT_SECS: u32 = 7;
    /// "one per 8 s".
    pub const KEY_ANNOUNCEMENT_SECS: u32 = 8;
    /// "default 7".
    pub const DEFAULT_ANNOUNCE_SECS: u8 = 7;
    /// "0–120 s".
    pub const MAX_ANNOUNCE_SECS: u8 = 120;
    /// "default 60".
    pub const DEFAULT_WAIT_SECS: u8 = 60;
    /// Shortest key-press wait: "30–120 s".
    pub const MIN_WAIT_SECS: u8 = 30;
    /// Longest key-press wait.
    pub const MAX_WAIT_SECS: u8 = 120;

    /// Key-press with the default wait.
    pub fn key_press(digit: u8) -> ConnectionMode {
        ConnectionMode::KeyPress {
            digit,
            wait_secs: Self::DEFAULT_WAIT_SECS,
        }
    }

    /// How many times the announcement plays: enough announcements to fill the configured
    /// time (7 s → 1, 14 s → 2, 30 s → 5, 0 → none); key-press: enough 8 s announcements to
    /// cover the wait (60 s → 8).
    pub fn plays(&self) -> u32 {
        match *self {
            ConnectionMode::Auto { announce_secs } => {
                u32::from(announce_secs).div_ceil(Self::AUTO_ANNOUNCEMENT_SECS)
            }
            ConnectionMode::KeyPress { wait_secs, .. } => {
                u32::from(wait_secs).div_ceil(Self::KEY_ANNOUNCEMENT_SECS)
            }
        }
    }

    /// Seconds between the operator answering and the client being dialed at the latest.
    pub fn operator_phase_secs(&self) -> u32 {
        match *self {
            ConnectionMode::Auto { announce_secs } => u32::from(announce_secs),
            ConnectionMode::KeyPress { wait_secs, .. } => u32::from(wait_secs),
        }
    }

    /// Every problem under `path`; `reserved_digits` are digits the account uses for tagging.
    pub fn validate(&self, path: &str, problems: &mut Problems, reserved_digits: &[u8]) {
        match *self {
            ConnectionMode::Auto { announce_secs } => problems.check_range(
                format!("{path}.announce_secs"),
                announce_secs,
                0,
                Self::MAX_ANNOUNCE_SECS,
                " s",
            ),
            ConnectionMode::KeyPress { digit, wait_secs } => {
                if digit > 9 {
                    problems.add(format!("{path}.digit"), "must be a digit from 0 to 9");
                } else if reserved_digits.contains(&digit) {
                    problems.add(
                        format!("{path}.digit"),
                        format!("{digit} is already used for tagging calls; choose another digit"),
                    );
                }
                problems.check_range(
                    format!("{path}.wait_secs"),
                    wait_secs,
                    Self::MIN_WAIT_SECS,
                    Self::MAX_WAIT_SECS,
                    " s",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announcement_plays_fill_the_configured_time() {
        let auto = |s| ConnectionMode::Auto { announce_secs: s }.plays();
        assert_eq!(auto(0), 0);
        assert_eq!(auto(7), 1);
        assert_eq!(auto(8), 2);
        assert_eq!(auto(14), 2);
        assert_eq!(auto(30), 5);
        assert_eq!(auto(120), 18);
        let key = |s| {
            ConnectionMode::KeyPress {
                digit: 5,
                wait_secs: s,
            }
            .plays()
        };
        assert_eq!(key(30), 4);
        assert_eq!(key(60), 8);
        assert_eq!(key(120), 15);
        assert_eq!(
            ConnectionMode::default(),
            ConnectionMode::Auto { announce_secs: 7 }
        );
    }

    #[test]
    fn ranges_and_reserved_digits_are_enforced() {
        let check = |m: ConnectionMode| {
            let mut p = Problems::new();
            m.validate("connection", &mut p, &[1, 2]);
            p.into_vec()
                .into_iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
        };
        assert!(check(ConnectionMode::Auto { announce_secs: 120 }).is_empty());
        assert_eq!(
            check(ConnectionMode::Auto { announce_secs: 121 }),
            ["connection.announce_secs: must be between 0 and 120 s"]
        );
        assert!(check(ConnectionMode::key_press(5)).is_empty());
        assert_eq!(
            check(ConnectionMode::KeyPress {
                digit: 2,
                wait_secs: 29
            }),
            [
                "connection.digit: 2 is already used for tagging calls; choose another digit",
                "connection.wait_secs: must be between 30 and 120 s"
            ]
        );
        assert_eq!(
            check(ConnectionMode::KeyPress {
                digit: 10,
                wait_secs: 121
            })
            .len(),
            2
        );
    }

    /// The operator phase lasts the announcement time (`auto`) or the key-press wait.
    #[test]
    fn the_operator_phase_is_the_announcement_or_the_wait() {
        let cases = [
            (ConnectionMode::Auto { announce_secs: 0 }, 0),
            (ConnectionMode::Auto { announce_secs: 7 }, 7),
            (ConnectionMode::Auto { announce_secs: 120 }, 120),
            (ConnectionMode::key_press(5), 60),
            (
                ConnectionMode::KeyPress {
                    digit: 1,
                    wait_secs: 30,
                },
                30,
            ),
        ];
        for (mode, want) in cases {
            assert_eq!(mode.operator_phase_secs(), want, "{mode:?}");
        }
    }

    /// "press a digit 0–9": 9 is a digit, 10 is not.
    #[test]
    fn every_digit_0_to_9_can_be_the_key() {
        for (digit, ok) in [(0, true), (9, true), (10, false)] {
            let mut p = Problems::new();
            ConnectionMode::key_press(digit).validate("connection", &mut p, &[]);
            assert_eq!(p.is_empty(), ok, "{digit}");
        }
    }
}
