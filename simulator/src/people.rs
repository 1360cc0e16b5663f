//! The simulated people: how the person at each phone number behaves.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How a phone reacts to a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "secs")]
pub enum Answer {
    /// Picks up after this many seconds (never, if the caller gives up first).
    After(u32),
    /// The line is busy.
    Busy,
    /// Rings until the caller gives up.
    NoAnswer,
    /// The network cannot reach the phone.
    Unreachable,
    /// Waits for a person to click "answer" on the simulator's page.
    Manual,
}

/// A simulated person at one number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub answer: Answer,
    /// Presses this digit this many seconds after answering (key-press mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub press: Option<(char, u32)>,
    /// Seconds this person talks once bridged (the shorter side ends the call).
    #[serde(default = "default_talk")]
    pub talk: u32,
    /// Answered by voicemail: the greeting and recording last `talk` seconds.
    #[serde(default)]
    pub voicemail: bool,
}

fn default_talk() -> u32 {
    60
}

impl Default for Person {
    /// Answers after 2 s and talks for a minute.
    fn default() -> Self {
        Person {
            answer: Answer::After(2),
            press: None,
            talk: default_talk(),
            voicemail: false,
        }
    }
}

/// How the person at one number behaves: the same on every call, or call by call (the last
/// entry goes on for later calls), e.g. busy, busy, then answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Script {
    /// Call by call.
    Each(Vec<Person>),
    /// Every call alike.
    One(Person),
}

impl From<Person> for Script {
    fn from(p: Person) -> Self {
        Script::One(p)
    }
}

/// Everyone the simulator knows, and how strangers behave.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct People {
    #[serde(default)]
    pub default: Person,
    #[serde(default)]
    pub numbers: HashMap<String, Script>,
}

impl People {
    /// How the person at `number` behaves on its call number `call` (from 0).
    pub fn at(&self, number: &str, call: usize) -> Person {
        match self.numbers.get(number) {
            Some(Script::One(p)) => *p,
            Some(Script::Each(list)) => list
                .get(call)
                .or(list.last())
                .copied()
                .unwrap_or(self.default),
            None => self.default,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_read_from_json() {
        let p: People = serde_json::from_str(
            r#"{"numbers":{"+79160000001":{"answer":{"kind":"busy"}},"+79160000002":{"answer":{"kind":"after","secs":3},"press":["5",4],"talk":2}}}"#,
        )
        .unwrap();
        assert_eq!(p.at("+79160000001", 0).answer, Answer::Busy);
        let q = p.at("+79160000002", 0);
        assert_eq!(
            (q.answer, q.press, q.talk),
            (Answer::After(3), Some(('5', 4)), 2)
        );
        assert_eq!(p.at("+70000000000", 0), Person::default());
    }

    #[test]
    fn a_script_can_change_call_by_call() {
        let p: People = serde_json::from_str(
            r#"{"numbers":{"+1":[{"answer":{"kind":"busy"}},{"answer":{"kind":"after","secs":2},"talk":10}]}}"#,
        )
        .unwrap();
        assert_eq!(p.at("+1", 0).answer, Answer::Busy);
        assert_eq!(p.at("+1", 1).talk, 10);
        assert_eq!(p.at("+1", 7).talk, 10, "the last entry goes on");
    }
}
