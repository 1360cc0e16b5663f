//! Dialing one attempt (SPEC §4, *Forwarding*): the operator side as separate calls ("legs"),
//! "one number, or a group of up to 10: `parallel` (all ring together for 30 s until one
//! answers) or `sequential` (one after another, each for 20–60 s ...)", then the client.
//!
//! A Twilio-compatible REST API creates one call per number, so a parallel group is one call
//! per number created at once, and every other leg is cancelled when the first operator
//! answers; a sequential group dials the next number when a leg ends unanswered. [`AttemptCall`]
//! keeps that bookkeeping and turns the provider's callbacks into the chain's
//! [`Event`]s; the edge worker only stores it and makes the HTTP calls ([`Action`]s).
//!
//! The attempt is over when the answered operator's call ends: its `CallDuration` is "the
//! call's whole length from the operator answering", which the extra attempt compares. The
//! client's result (`DialCallStatus`, bridged seconds) arrives just before and is kept until
//! then; should the operator's end never be reported, [`AttemptCall::overdue`] ends the attempt
//! with the length the chain's own clock measured.

use crate::attempt::{CallReport, EndCause};
use crate::chain::Event;
use crate::forwarding::OperatorDial;
use crate::telephony::{dial_end_cause, operator_end_cause};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where one operator leg is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum LegState {
    /// Not dialed yet (a later number of a sequential group).
    Waiting,
    /// Asked for; ringing.
    Dialing,
    /// The operator answered.
    Answered,
    /// Over, with how it ended.
    Ended {
        /// How the leg ended.
        cause: EndCause,
    },
}

/// One operator number of the attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leg {
    /// The operator's number, E.164.
    pub number: String,
    /// How long it may ring.
    pub ring_secs: u32,
    /// The provider's id of the call, once created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// Where it is.
    pub state: LegState,
}

/// An HTTP call the worker must make to the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum Action {
    /// Create a call to `number` ringing at most `ring_secs`.
    Dial {
        /// Which leg of the attempt.
        leg: usize,
        /// The operator's number.
        number: String,
        /// How long it may ring.
        ring_secs: u32,
    },
    /// End the call `sid` (cancel it if it still rings).
    End {
        /// The provider's call id.
        sid: String,
    },
}

/// The calls of one attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptCall {
    /// The attempt's number in the chain.
    pub attempt: u32,
    /// All numbers ring at once.
    pub parallel: bool,
    /// The operator legs, in the group's order.
    pub legs: Vec<Leg>,
    /// The leg whose operator answered first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered: Option<usize>,
    /// When that operator answered (chain time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<DateTime<Utc>>,
    /// When the client answered (chain time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_answered_at: Option<DateTime<Utc>>,
    /// How the dial to the client ended, until the operator's call ends too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_result: Option<ClientResult>,
    /// The chain was told how the attempt's call ended.
    #[serde(default)]
    pub reported: bool,
}

/// How the dial to the client ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientResult {
    /// From `DialCallStatus`.
    pub cause: EndCause,
    /// Seconds operator and client were bridged (`DialCallDuration`).
    pub bridged_secs: u32,
}

fn secs_between(from: Option<DateTime<Utc>>, to: DateTime<Utc>) -> u32 {
    from.map(|f| (to - f).num_seconds().max(0) as u32)
        .unwrap_or(0)
}

impl AttemptCall {
    /// Starts attempt `attempt`: a parallel group dials every number, a sequential one its
    /// first.
    pub fn start(attempt: u32, dial: &OperatorDial) -> (AttemptCall, Vec<Action>) {
        let (parallel, legs): (bool, Vec<Leg>) = match dial {
            OperatorDial::Parallel { numbers, ring_secs } => (
                true,
                numbers
                    .iter()
                    .map(|n| Leg {
                        number: n.clone(),
                        ring_secs: u32::from(*ring_secs),
                        sid: None,
                        state: LegState::Waiting,
                    })
                    .collect(),
            ),
            OperatorDial::Sequential { legs } => (
                false,
                legs.iter()
                    .map(|l| Leg {
                        number: l.number.clone(),
                        ring_secs: u32::from(l.ring_secs),
                        sid: None,
                        state: LegState::Waiting,
                    })
                    .collect(),
            ),
        };
        let mut call = AttemptCall {
            attempt,
            parallel,
            legs,
            answered: None,
            answered_at: None,
            client_answered_at: None,
            client_result: None,
            reported: false,
        };
        let first = if parallel {
            (0..call.legs.len()).collect()
        } else {
            vec![0]
        };
        let actions = first
            .into_iter()
            .filter_map(|i| call.dial(i))
            .collect::<Vec<_>>();
        (call, actions)
    }

    fn dial(&mut self, i: usize) -> Option<Action> {
        let leg = self.legs.get_mut(i)?;
        leg.state = LegState::Dialing;
        Some(Action::Dial {
            leg: i,
            number: leg.number.clone(),
            ring_secs: leg.ring_secs,
        })
    }

    /// The provider created leg `leg` as call `sid`. If the leg is no longer wanted (another
    /// operator answered, or the attempt is over), it is ended at once.
    pub fn created(&mut self, leg: usize, sid: &str) -> Vec<Action> {
        let unwanted = self.reported || self.answered.is_some_and(|a| a != leg);
        match self.legs.get_mut(leg) {
            Some(l) => {
                l.sid = Some(sid.to_string());
                if unwanted {
                    vec![Action::End {
                        sid: sid.to_string(),
                    }]
                } else {
                    Vec::new()
                }
            }
            None => Vec::new(),
        }
    }

    /// The operator at leg `leg` picked up at `now`. The first one to answer is the attempt's
    /// operator ([`Event::OperatorAnswered`]) and every other leg is ended; a later one gets
    /// nothing and must be hung up.
    pub fn operator_answered(
        &mut self,
        leg: usize,
        now: DateTime<Utc>,
    ) -> (Option<Event>, Vec<Action>) {
        if self.answered.is_some() || self.reported || leg >= self.legs.len() {
            return (None, Vec::new());
        }
        self.answered = Some(leg);
        self.answered_at = Some(now);
        self.legs[leg].state = LegState::Answered;
        let others = self
            .legs
            .iter()
            .enumerate()
            .filter(|(i, l)| *i != leg && l.state == LegState::Dialing)
            .filter_map(|(_, l)| l.sid.clone())
            .map(|sid| Action::End { sid })
            .collect();
        let event = Event::OperatorAnswered {
            attempt: self.attempt,
            number: self.legs[leg].number.clone(),
        };
        (Some(event), others)
    }

    /// Leg `leg` ended with the provider's `CallStatus` (and `CallDuration`, seconds from its
    /// answer) at `now`. An unanswered leg of a sequential group hands over to the next
    /// number; when every leg ended unanswered the attempt's call is over. The answered leg
    /// ending ends the attempt: with the client's result, or as the operator hanging up before
    /// the client was connected.
    pub fn leg_ended(
        &mut self,
        leg: usize,
        call_status: &str,
        call_duration: Option<u32>,
        now: DateTime<Utc>,
    ) -> (Option<Event>, Vec<Action>) {
        let cause = match operator_end_cause(call_status) {
            Some(EndCause::Completed) | None => EndCause::OperatorNoAnswer,
            Some(c) => c,
        };
        self.end_leg(leg, cause, call_duration, now)
    }

    /// The provider would not create leg `leg` (errors, time-outs): it ended with
    /// [`EndCause::Error`].
    pub fn leg_failed(&mut self, leg: usize, now: DateTime<Utc>) -> (Option<Event>, Vec<Action>) {
        self.end_leg(leg, EndCause::Error, None, now)
    }

    fn end_leg(
        &mut self,
        leg: usize,
        cause: EndCause,
        call_duration: Option<u32>,
        now: DateTime<Utc>,
    ) -> (Option<Event>, Vec<Action>) {
        let Some(l) = self.legs.get_mut(leg) else {
            return (None, Vec::new());
        };
        if matches!(l.state, LegState::Ended { .. }) {
            return (None, Vec::new());
        }
        let was_answered = l.state == LegState::Answered;
        l.state = LegState::Ended {
            cause: if was_answered {
                EndCause::Completed
            } else {
                cause
            },
        };
        if self.reported {
            return (None, Vec::new());
        }
        if was_answered {
            return (Some(self.report(call_duration, now)), Vec::new());
        }
        if self.answered.is_some() {
            return (None, Vec::new());
        }
        if !self.parallel {
            if let Some(next) = self.legs.iter().position(|l| l.state == LegState::Waiting) {
                return (None, self.dial(next).into_iter().collect());
            }
        }
        if self
            .legs
            .iter()
            .any(|l| matches!(l.state, LegState::Waiting | LegState::Dialing))
        {
            return (None, Vec::new());
        }
        self.reported = true;
        let report = CallReport {
            cause: self.unanswered_cause(),
            bridged_secs: 0,
            total_secs: 0,
        };
        (Some(self.ended(report)), Vec::new())
    }

    /// The answered operator's call is over: the attempt ends with the client's result, or,
    /// without one, as the operator hanging up (bridged until now if the client had
    /// answered).
    fn report(&mut self, call_duration: Option<u32>, now: DateTime<Utc>) -> Event {
        self.reported = true;
        let total_secs = call_duration.unwrap_or_else(|| secs_between(self.answered_at, now));
        let (cause, bridged_secs) = match (self.client_result, self.client_answered_at) {
            (Some(r), _) => (r.cause, r.bridged_secs),
            (None, Some(at)) => (EndCause::Completed, secs_between(Some(at), now)),
            (None, None) => (EndCause::OperatorHungUp, 0),
        };
        self.ended(CallReport {
            cause,
            bridged_secs,
            total_secs,
        })
    }

    /// Why nobody answered, from every leg: someone not answering outweighs a busy line,
    /// which outweighs an unreachable one; only provider errors everywhere are an error.
    fn unanswered_cause(&self) -> EndCause {
        let causes: Vec<EndCause> = self
            .legs
            .iter()
            .filter_map(|l| match l.state {
                LegState::Ended { cause } => Some(cause),
                _ => None,
            })
            .collect();
        [
            EndCause::OperatorNoAnswer,
            EndCause::OperatorBusy,
            EndCause::OperatorUnreachable,
        ]
        .into_iter()
        .find(|c| causes.contains(c))
        .unwrap_or(EndCause::Error)
    }

    fn ended(&self, report: CallReport) -> Event {
        Event::CallEnded {
            attempt: self.attempt,
            report,
        }
    }

    /// The client picked up at `now`.
    pub fn client_answered(&mut self, now: DateTime<Utc>) -> Option<Event> {
        if self.reported || self.client_answered_at.is_some() {
            return None;
        }
        self.client_answered_at = Some(now);
        Some(Event::ClientAnswered {
            attempt: self.attempt,
        })
    }

    /// The dial to the client ended (`DialCallStatus`, `DialCallDuration` bridged seconds).
    /// The attempt ends with the operator's call, which hangs up next.
    pub fn client_ended(&mut self, dial_call_status: &str, bridged_secs: u32) {
        if !self.reported && self.client_result.is_none() {
            self.client_result = Some(ClientResult {
                cause: dial_end_cause(dial_call_status),
                bridged_secs,
            });
        }
    }

    /// The client's result is in but the operator's end was never reported: the attempt ends
    /// now, measured by the chain's clock.
    pub fn overdue(&mut self, now: DateTime<Utc>) -> Option<Event> {
        if self.reported || self.client_result.is_none() {
            return None;
        }
        Some(self.report(None, now))
    }

    /// Ends every leg still up (the chain's `HangUp`).
    pub fn hang_up(&mut self) -> Vec<Action> {
        self.reported = true;
        self.legs
            .iter()
            .filter(|l| matches!(l.state, LegState::Dialing | LegState::Answered))
            .filter_map(|l| l.sid.clone())
            .map(|sid| Action::End { sid })
            .collect()
    }

    /// The leg whose provider call id is `sid`.
    pub fn leg_of(&self, sid: &str) -> Option<usize> {
        self.legs.iter().position(|l| l.sid.as_deref() == Some(sid))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forwarding::Leg as SeqLeg;

    fn t(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap()
    }

    fn parallel(n: usize) -> OperatorDial {
        OperatorDial::Parallel {
            numbers: (0..n).map(|i| format!("+7495000000{i}")).collect(),
            ring_secs: 30,
        }
    }

    fn sequential(n: usize) -> OperatorDial {
        OperatorDial::Sequential {
            legs: (0..n)
                .map(|i| SeqLeg {
                    number: format!("+7495000000{i}"),
                    ring_secs: 20,
                })
                .collect(),
        }
    }

    #[test]
    fn a_parallel_group_rings_everyone_and_the_first_to_answer_wins() {
        let (mut call, actions) = AttemptCall::start(1, &parallel(3));
        assert_eq!(actions.len(), 3);
        for i in 0..3 {
            assert!(call.created(i, &format!("CA{i}")).is_empty());
        }
        let (event, ends) = call.operator_answered(1, t(5));
        assert_eq!(
            event,
            Some(Event::OperatorAnswered {
                attempt: 1,
                number: "+74950000001".into()
            })
        );
        assert_eq!(
            ends,
            vec![
                Action::End { sid: "CA0".into() },
                Action::End { sid: "CA2".into() }
            ]
        );
        // A second operator picking up at the same moment is hung up.
        assert_eq!(call.operator_answered(2, t(5)), (None, vec![]));
        // The cancelled legs' reports change nothing.
        assert_eq!(call.leg_ended(0, "canceled", None, t(6)), (None, vec![]));
        assert_eq!(
            call.client_answered(t(20)),
            Some(Event::ClientAnswered { attempt: 1 })
        );
        call.client_ended("completed", 40);
        // The operator's call ends next: its length is the attempt's whole length.
        assert_eq!(
            call.leg_ended(1, "completed", Some(57), t(61)).0,
            Some(Event::CallEnded {
                attempt: 1,
                report: CallReport {
                    cause: EndCause::Completed,
                    bridged_secs: 40,
                    total_secs: 57
                }
            })
        );
        assert_eq!(
            call.leg_ended(1, "completed", Some(57), t(62)),
            (None, vec![])
        );
        assert_eq!(call.overdue(t(70)), None);
    }

    #[test]
    fn a_leg_created_after_someone_answered_is_ended_at_once() {
        let (mut call, _) = AttemptCall::start(1, &parallel(2));
        call.created(0, "CA0");
        call.operator_answered(0, t(3));
        assert_eq!(
            call.created(1, "CA1"),
            vec![Action::End { sid: "CA1".into() }]
        );
    }

    #[test]
    fn a_sequential_group_dials_one_number_after_another() {
        let (mut call, actions) = AttemptCall::start(2, &sequential(3));
        assert_eq!(
            actions,
            vec![Action::Dial {
                leg: 0,
                number: "+74950000000".into(),
                ring_secs: 20
            }]
        );
        call.created(0, "CA0");
        let (event, next) = call.leg_ended(0, "no-answer", None, t(20));
        assert_eq!(event, None);
        assert!(matches!(next[..], [Action::Dial { leg: 1, .. }]));
        call.created(1, "CA1");
        let (_, next) = call.leg_ended(1, "busy", None, t(21));
        assert!(matches!(next[..], [Action::Dial { leg: 2, .. }]));
        let (event, next) = call.leg_ended(2, "failed", None, t(22));
        assert!(next.is_empty());
        assert_eq!(
            event,
            Some(Event::CallEnded {
                attempt: 2,
                report: CallReport {
                    cause: EndCause::OperatorNoAnswer,
                    bridged_secs: 0,
                    total_secs: 0
                }
            })
        );
    }

    /// Table: the legs' endings → the attempt's cause.
    #[test]
    fn the_attempts_cause_weighs_every_leg() {
        for (statuses, cause) in [
            (&["busy", "busy"][..], EndCause::OperatorBusy),
            (&["busy", "no-answer"][..], EndCause::OperatorNoAnswer),
            (&["failed", "busy"][..], EndCause::OperatorBusy),
            (&["failed"][..], EndCause::OperatorUnreachable),
            (&["canceled", "failed"][..], EndCause::OperatorNoAnswer),
        ] {
            let (mut call, _) = AttemptCall::start(1, &parallel(statuses.len()));
            let mut last = None;
            for (i, s) in statuses.iter().enumerate() {
                last = call.leg_ended(i, s, None, t(30)).0;
            }
            assert_eq!(
                last,
                Some(Event::CallEnded {
                    attempt: 1,
                    report: CallReport {
                        cause,
                        bridged_secs: 0,
                        total_secs: 0
                    }
                }),
                "{statuses:?}"
            );
        }
    }

    #[test]
    fn an_operator_hanging_up_before_the_client_is_connected_ends_the_attempt() {
        let (mut call, _) = AttemptCall::start(1, &parallel(1));
        call.created(0, "CA0");
        call.operator_answered(0, t(2));
        let (event, _) = call.leg_ended(0, "completed", None, t(12));
        assert_eq!(
            event,
            Some(Event::CallEnded {
                attempt: 1,
                report: CallReport {
                    cause: EndCause::OperatorHungUp,
                    bridged_secs: 0,
                    total_secs: 10
                }
            })
        );
        // Talking already: the bridge lasted until the hang-up.
        let (mut call, _) = AttemptCall::start(1, &parallel(1));
        call.operator_answered(0, t(2));
        call.client_answered(t(10));
        let (event, _) = call.leg_ended(0, "completed", Some(38), t(40));
        assert!(matches!(
            event,
            Some(Event::CallEnded {
                report: CallReport {
                    cause: EndCause::Completed,
                    bridged_secs: 30,
                    ..
                },
                ..
            })
        ));
    }

    #[test]
    fn a_group_the_provider_would_not_dial_is_a_telephony_error() {
        let (mut call, _) = AttemptCall::start(4, &parallel(2));
        assert_eq!(call.leg_failed(0, t(1)), (None, vec![]));
        assert_eq!(
            call.leg_failed(1, t(2)).0,
            Some(Event::CallEnded {
                attempt: 4,
                report: CallReport {
                    cause: EndCause::Error,
                    bridged_secs: 0,
                    total_secs: 0
                }
            })
        );
    }

    #[test]
    fn a_lost_operator_report_ends_the_attempt_on_the_chains_clock() {
        let (mut call, _) = AttemptCall::start(1, &parallel(1));
        call.operator_answered(0, t(2));
        assert_eq!(
            call.overdue(t(5)),
            None,
            "no client result yet: the watchdog's business"
        );
        call.client_answered(t(10));
        call.client_ended("busy", 0);
        assert_eq!(
            call.overdue(t(22)),
            Some(Event::CallEnded {
                attempt: 1,
                report: CallReport {
                    cause: EndCause::ClientBusy,
                    bridged_secs: 0,
                    total_secs: 20
                }
            })
        );
        assert_eq!(call.leg_ended(0, "completed", Some(20), t(23)).0, None);
    }

    #[test]
    fn hanging_up_ends_every_live_leg_and_silences_later_reports() {
        let (mut call, _) = AttemptCall::start(1, &parallel(2));
        call.created(0, "CA0");
        call.created(1, "CA1");
        assert_eq!(call.hang_up().len(), 2);
        assert_eq!(call.leg_ended(0, "canceled", None, t(1)), (None, vec![]));
        call.client_ended("completed", 10);
        assert_eq!(call.overdue(t(2)), None);
        assert_eq!(call.leg_of("CA1"), Some(1));
        assert_eq!(call.leg_of("CA9"), None);
    }
}
