//! Attempts (SPEC §1, §4): "one operator-then-client call", and its outcome: "The client has
//! 30 s to answer. An attempt is **successful** when operator and client were bridged for at
//! least 5 s; otherwise it failed (client busy, unreachable, no answer in 30 s, or hung up at
//! once). A client's voicemail that bridges ≥ 5 s counts as successful."

use crate::texts::Lang;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// "The client has 30 s to answer."
pub const CLIENT_ANSWER_SECS: u32 = 30;

/// "bridged for at least 5 s".
pub const MIN_BRIDGED_SECS: u32 = 5;

/// Which attempt of a chain this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum AttemptKind {
    /// The first call of the order.
    First,
    /// Automatic retry number `n` (1-based).
    Retry {
        /// Which retry: 1 for the first.
        n: u32,
    },
    /// The extra attempt after a short successful call.
    Extra,
    /// Scheduled by hand from the journal.
    Manual,
    /// A technical re-dial after the telephony failed before reaching the operator; it does
    /// not use up the widget's retries.
    Redial,
}

/// How the telephony says a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum EndCause {
    /// The operator's line was busy.
    OperatorBusy,
    /// No operator answered in the ring time.
    OperatorNoAnswer,
    /// The operator's number could not be reached.
    OperatorUnreachable,
    /// The operator answered, then hung up before the client was connected.
    OperatorHungUp,
    /// Key-press mode: the operator did not press the digit in time.
    NoKeyPress,
    /// The client's line was busy.
    ClientBusy,
    /// The client did not answer in 30 s.
    ClientNoAnswer,
    /// The client's number could not be reached.
    ClientUnreachable,
    /// Both answered; the call ended normally. Whether it succeeded is the 5-second rule.
    Completed,
    /// The provider failed the call (an error on its side or ours).
    Error,
}

/// What the telephony reports when an attempt's call ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CallReport {
    /// How the call ended.
    pub cause: EndCause,
    /// Seconds operator and client were bridged.
    pub bridged_secs: u32,
    /// The call's whole length from the operator answering, "with the wait for the call
    /// center" (what the extra attempt compares).
    pub total_secs: u32,
}

/// Why an attempt failed, as the journal and the notifications say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FailCause {
    /// The operator's line was busy.
    OperatorBusy,
    /// No operator answered in the ring time.
    OperatorNoAnswer,
    /// The operator's number could not be reached.
    OperatorUnreachable,
    /// The operator answered, then hung up before the client was connected.
    OperatorHungUp,
    /// Key-press mode: "no press → attempt failed, client never dialed".
    NoKeyPress,
    /// The client's line was busy.
    ClientBusy,
    /// The client did not answer in 30 s.
    ClientNoAnswer,
    /// The client's number could not be reached.
    ClientUnreachable,
    /// Answered and hung up at once: bridged under 5 s.
    ClientHungUp,
    /// The provider failed the call.
    TelephonyError,
    /// The telephony never reported how the call ended.
    TelephonySilent,
}

impl FailCause {
    /// The cause in words.
    pub fn describe(self, lang: Lang) -> &'static str {
        use FailCause::*;
        match (self, lang) {
            (OperatorBusy, Lang::En) => "operator busy",
            (OperatorNoAnswer, Lang::En) => "operator did not answer",
            (OperatorUnreachable, Lang::En) => "operator unreachable",
            (OperatorHungUp, Lang::En) => "operator hung up before the client was connected",
            (NoKeyPress, Lang::En) => "operator did not press the key",
            (ClientBusy, Lang::En) => "client busy",
            (ClientNoAnswer, Lang::En) => "no answer in 30 s",
            (ClientUnreachable, Lang::En) => "client unreachable",
            (ClientHungUp, Lang::En) => "client hung up at once",
            (TelephonyError, Lang::En) => "telephony error",
            (TelephonySilent, Lang::En) => "no report from the telephony",
            (OperatorBusy, Lang::Ru) => "оператор занят",
            (OperatorNoAnswer, Lang::Ru) => "оператор не ответил",
            (OperatorUnreachable, Lang::Ru) => "оператор недоступен",
            (OperatorHungUp, Lang::Ru) => "оператор положил трубку до соединения с клиентом",
            (NoKeyPress, Lang::Ru) => "оператор не нажал клавишу",
            (ClientBusy, Lang::Ru) => "клиент занят",
            (ClientNoAnswer, Lang::Ru) => "клиент не ответил за 30 с",
            (ClientUnreachable, Lang::Ru) => "клиент недоступен",
            (ClientHungUp, Lang::Ru) => "клиент сразу сбросил",
            (TelephonyError, Lang::Ru) => "ошибка телефонии",
            (TelephonySilent, Lang::Ru) => "телефония не сообщила итог",
        }
    }
}

/// An attempt's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum AttemptResult {
    /// Bridged for at least 5 s (voicemail included).
    Success {
        /// Seconds operator and client were bridged; the billed time.
        bridged_secs: u32,
        /// The call's whole length from the operator answering.
        total_secs: u32,
    },
    /// Bridged for less than 5 s, whatever ended the call.
    Failed {
        /// Why it failed.
        cause: FailCause,
        /// Seconds operator and client were bridged (under 5).
        bridged_secs: u32,
        /// The call's whole length from the operator answering.
        total_secs: u32,
    },
}

impl AttemptResult {
    /// The 5-second rule: bridged at least 5 s is a success, whatever ended the call
    /// (voicemail included); otherwise the reported cause, or "hung up at once".
    pub fn from_report(report: CallReport) -> AttemptResult {
        let CallReport {
            cause,
            bridged_secs,
            total_secs,
        } = report;
        if bridged_secs >= MIN_BRIDGED_SECS {
            return AttemptResult::Success {
                bridged_secs,
                total_secs,
            };
        }
        let cause = match cause {
            EndCause::OperatorBusy => FailCause::OperatorBusy,
            EndCause::OperatorNoAnswer => FailCause::OperatorNoAnswer,
            EndCause::OperatorUnreachable => FailCause::OperatorUnreachable,
            EndCause::OperatorHungUp => FailCause::OperatorHungUp,
            EndCause::NoKeyPress => FailCause::NoKeyPress,
            EndCause::ClientBusy => FailCause::ClientBusy,
            EndCause::ClientNoAnswer => FailCause::ClientNoAnswer,
            EndCause::ClientUnreachable => FailCause::ClientUnreachable,
            EndCause::Completed => FailCause::ClientHungUp,
            EndCause::Error => FailCause::TelephonyError,
        };
        AttemptResult::Failed {
            cause,
            bridged_secs,
            total_secs,
        }
    }

    /// The 5-second rule held: bridged for at least 5 s.
    pub fn is_success(&self) -> bool {
        matches!(self, AttemptResult::Success { .. })
    }

    /// Seconds bridged (the billed talk time).
    pub fn bridged_secs(&self) -> u32 {
        match *self {
            AttemptResult::Success { bridged_secs, .. }
            | AttemptResult::Failed { bridged_secs, .. } => bridged_secs,
        }
    }

    /// The call's whole length.
    pub fn total_secs(&self) -> u32 {
        match *self {
            AttemptResult::Success { total_secs, .. }
            | AttemptResult::Failed { total_secs, .. } => total_secs,
        }
    }
}

/// One attempt as the journal keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct AttemptRecord {
    /// 1-based position in the chain.
    pub n: u32,
    /// First call, retry, extra, manual or technical re-dial.
    pub kind: AttemptKind,
    /// When the operator side started ringing.
    pub started_at: DateTime<Utc>,
    /// When the call ended; `None` while it goes on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<DateTime<Utc>>,
    /// The operator number that answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// `None` while the call is going on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<AttemptResult>,
    /// The call's tags (SPEC §4 Tags), e.g. "working hours" or "last in chain".
    #[serde(default)]
    pub tags: Vec<String>,
}

impl AttemptRecord {
    /// Ended and successful.
    pub fn succeeded(&self) -> bool {
        self.result.is_some_and(|r| r.is_success())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(cause: EndCause, bridged_secs: u32) -> AttemptResult {
        AttemptResult::from_report(CallReport {
            cause,
            bridged_secs,
            total_secs: bridged_secs + 20,
        })
    }

    /// "An attempt is successful when operator and client were bridged for at least 5 s;
    /// otherwise it failed (client busy, unreachable, no answer in 30 s, or hung up at once).
    /// A client's voicemail that bridges ≥ 5 s counts as successful."
    #[test]
    fn the_five_second_rule() {
        use EndCause::*;
        let cases = [
            (Completed, 5, None),
            (Completed, 600, None),
            (Completed, 4, Some(FailCause::ClientHungUp)),
            (Completed, 0, Some(FailCause::ClientHungUp)),
            (ClientBusy, 0, Some(FailCause::ClientBusy)),
            (ClientNoAnswer, 0, Some(FailCause::ClientNoAnswer)),
            (ClientUnreachable, 0, Some(FailCause::ClientUnreachable)),
            (OperatorBusy, 0, Some(FailCause::OperatorBusy)),
            (OperatorNoAnswer, 0, Some(FailCause::OperatorNoAnswer)),
            (OperatorUnreachable, 0, Some(FailCause::OperatorUnreachable)),
            (NoKeyPress, 0, Some(FailCause::NoKeyPress)),
            (Error, 0, Some(FailCause::TelephonyError)),
            // Voicemail: the network reports the client leg as answered; 12 s bridged.
            (Completed, 12, None),
            // A provider that says "busy" after bridging 7 s still bridged 7 s.
            (ClientBusy, 7, None),
        ];
        for (cause, secs, want) in cases {
            let got = report(cause, secs);
            match want {
                None => assert!(got.is_success(), "{cause:?} {secs}"),
                Some(c) => assert_eq!(
                    got,
                    AttemptResult::Failed {
                        cause: c,
                        bridged_secs: secs,
                        total_secs: secs + 20
                    },
                    "{cause:?} {secs}"
                ),
            }
        }
    }

    #[test]
    fn causes_are_described_in_both_languages() {
        assert_eq!(
            FailCause::ClientNoAnswer.describe(Lang::En),
            "no answer in 30 s"
        );
        assert_eq!(
            FailCause::ClientHungUp.describe(Lang::Ru),
            "клиент сразу сбросил"
        );
    }

    #[test]
    fn bridged_and_total_seconds_are_reported_for_both_outcomes() {
        for (cause, bridged) in [
            (EndCause::Completed, 42),
            (EndCause::Completed, 3),
            (EndCause::ClientBusy, 0),
        ] {
            let r = report(cause, bridged);
            assert_eq!(r.bridged_secs(), bridged, "{cause:?} {bridged}");
            assert_eq!(r.total_secs(), bridged + 20, "{cause:?} {bridged}");
        }
    }
}
