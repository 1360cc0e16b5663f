//! The call chain (SPEC §4) as a sans-I/O state machine.
//!
//! A chain is an order's call attempts: the first call, automatic retries, and the extra
//! attempt. The edge worker keeps one [`Chain`] per order in a Durable Object; it feeds it
//! [`Event`]s with the current instant and runs the [`Command`]s it returns (dial, play,
//! schedule a wake-up, write the journal, notify). The chain itself does no I/O and reads no
//! clock, so every rule below is tested here with plain `cargo test`:
//!
//! - connection: `auto` plays the announcement, then dials the client for 30 s; `key_press`
//!   loops the announcement and dials the client only after the right digit ("no press →
//!   attempt failed, client never dialed");
//! - the 5-second success rule ([`AttemptResult::from_report`]);
//! - retries, standard and custom; "a retry due after the working day ends moves to the next
//!   working morning";
//! - "If the client calls the company directly before a retry, the remaining retries are
//!   cancelled ("cancelled: client called directly")";
//! - the extra attempt after a successful call shorter than N s, and the "last in chain" tag;
//! - manual re-scheduling from the journal (its rules are in [`crate::rescheduling`]);
//! - notifications ([`crate::notify`]).
//!
//! The chain never loses an order to the telephony: a call the provider never reports on is
//! ended by a watchdog ("no report from the telephony"), and a provider failure before the
//! operator was reached is re-dialled up to [`MAX_REDIALS`] times with a doubling back-off
//! ([`redial_delay`]: 1, 2, 4, 8, 16, 30 minutes) without using up the widget's retries.

use crate::announcements::Announcement;
use crate::attempt::{
    AttemptKind, AttemptRecord, AttemptResult, CallReport, EndCause, FailCause, CLIENT_ANSWER_SECS,
    MIN_BRIDGED_SECS,
};
use crate::connection::ConnectionMode;
use crate::forwarding::OperatorDial;
use crate::notify::{self, Message, Moment, NotificationRule, NotifyContext};
use crate::retries::{ExtraAttempt, RetryPolicy};
use crate::schedule::{deferred_call_at, DeferredOffsets, Schedule};
use crate::tags::LAST_IN_CHAIN;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Extra seconds the watchdog gives the telephony to report, beyond the longest a stage can
/// last.
pub const REPORT_GRACE_SECS: i64 = 60;
/// The longest a bridged call is waited for before the watchdog ends it.
pub const MAX_TALK_SECS: i64 = 4 * 3600;
/// Technical re-dials after provider failures in a row: with [`redial_delay`] they cover about
/// an hour of provider trouble.
pub const MAX_REDIALS: u32 = 6;
/// Wait before the first technical re-dial; each next one waits twice as long.
pub const REDIAL_AFTER_SECS: i64 = 60;
/// The longest wait between technical re-dials.
pub const MAX_REDIAL_WAIT_SECS: i64 = 30 * 60;

/// The wait before technical re-dial `k` (from 1): 1, 2, 4, 8, 16 minutes, then at most 30.
pub fn redial_delay(k: u32) -> Duration {
    let doubled = REDIAL_AFTER_SECS.saturating_mul(1i64 << k.saturating_sub(1).min(20));
    Duration::seconds(doubled.min(MAX_REDIAL_WAIT_SECS))
}

/// When the order asked to be called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "when", content = "at")]
pub enum When {
    /// "call me now". Outside working hours this becomes a deferred call: the next opening
    /// plus the day's offset.
    Now,
    /// A chosen slot (or a server-API schedule time).
    At(DateTime<Utc>),
}

/// Everything a chain needs to know, fixed when the order is accepted: later edits of the
/// widget do not change calls already ordered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ChainPlan {
    /// The client's number, E.164.
    pub client: String,
    /// The extension typed after the client's number: told to the operator (in the
    /// announcement and the journal), never dialed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_extension: Option<String>,
    /// The operators: the widget's forwarding, or the department's number.
    pub operators: OperatorDial,
    /// `auto` or `key_press`.
    pub connection: ConnectionMode,
    /// The call-center schedule: attempts are made only inside it.
    pub call_center: Schedule,
    /// Offsets of deferred calls: "now" orders placed off-hours.
    #[serde(default)]
    pub deferred: DeferredOffsets,
    /// When the order was accepted.
    pub placed_at: DateTime<Utc>,
    /// "call me now" or the chosen time.
    pub when: When,
    /// Automatic retries after a failed attempt; `None`: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<RetryPolicy>,
    /// The extra attempt after a short successful call, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<ExtraAttempt>,
    /// The announcement of the first (and a manual) attempt.
    pub announcement: Announcement,
    /// The announcement of retries and the extra attempt.
    pub retry_announcement: Announcement,
    /// Tags every call of the order carries ([`crate::tags::order_tags`]).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Who is told about the calls, and when.
    #[serde(default)]
    pub notifications: Vec<NotificationRule>,
    /// What notifications say about the order.
    pub notify: NotifyContext,
    /// A missed-call callback: the caller's own repeat call cancels even the first attempt
    /// (SPEC §5, the watch window).
    #[serde(default)]
    pub missed_call: bool,
}

/// Where the current attempt's call is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "stage")]
pub enum Stage {
    /// The operator side rings.
    RingingOperator,
    /// Key-press mode: the announcement loops until the digit or `until`.
    WaitingForKey {
        /// When the wait for the digit runs out.
        until: DateTime<Utc>,
    },
    /// The client is being dialed (after the announcement in auto mode).
    ConnectingClient,
    /// Operator and client are bridged.
    Talking {
        /// When the client answered.
        since: DateTime<Utc>,
    },
}

/// How a chain ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "outcome", content = "reason")]
pub enum Outcome {
    /// At least one call connected.
    Success,
    /// Every attempt failed.
    Failed,
    /// Stopped before a due attempt.
    Cancelled(CancelReason),
}

/// Why pending attempts were cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CancelReason {
    /// "cancelled: client called directly".
    ClientCalledDirectly,
    /// "At zero, ... orders already scheduled are cancelled".
    NoMinutes,
    /// The account's callback service was switched off.
    ServiceOff,
    /// The widget the order came from was deleted.
    WidgetDeleted,
    /// The client's number was rung as often today as the account's daily cap (or the
    /// platform's) allows ([`crate::limits`]).
    DailyRingLimit,
}

impl CancelReason {
    /// The journal's words.
    pub fn describe(self) -> &'static str {
        match self {
            CancelReason::ClientCalledDirectly => "cancelled: client called directly",
            CancelReason::NoMinutes => "cancelled: no minutes left",
            CancelReason::ServiceOff => "cancelled: service switched off",
            CancelReason::WidgetDeleted => "cancelled: widget deleted",
            CancelReason::DailyRingLimit => "cancelled: daily call limit for this number reached",
        }
    }
}

/// The chain's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum State {
    /// Created; [`Event::Placed`] starts it.
    New,
    /// The next attempt is due at `at`.
    Waiting {
        /// When the attempt is due.
        at: DateTime<Utc>,
        /// Which attempt it is.
        kind: AttemptKind,
    },
    /// An attempt is under way; the watchdog ends it at `deadline`.
    Calling {
        /// Where the call is.
        stage: Stage,
        /// When the watchdog ends the attempt if the telephony has not reported.
        deadline: DateTime<Utc>,
    },
    /// Nothing more is due.
    Finished {
        /// How the chain ended.
        outcome: Outcome,
    },
}

/// What happens to a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum Event {
    /// The order was accepted.
    Placed,
    /// A wake-up the chain asked for is due (or a spurious one).
    TimeReached,
    /// An operator of attempt `attempt` answered.
    OperatorAnswered {
        /// The attempt's number in the chain, from 1.
        attempt: u32,
        /// The operator number that answered.
        number: String,
    },
    /// The operator pressed a digit (key-press mode).
    KeyPressed {
        /// The attempt's number in the chain, from 1.
        attempt: u32,
        /// The digit pressed.
        digit: u8,
    },
    /// The client answered.
    ClientAnswered {
        /// The attempt's number in the chain, from 1.
        attempt: u32,
    },
    /// The attempt's call ended.
    CallEnded {
        /// The attempt's number in the chain, from 1.
        attempt: u32,
        /// How the telephony says the call ended.
        report: CallReport,
    },
    /// The client called the company directly.
    ClientCalledDirectly,
    /// A user re-scheduled the failed chain from the journal (checked by
    /// [`crate::rescheduling::check`] first).
    Rescheduled {
        /// When the new attempt is due.
        at: DateTime<Utc>,
        /// The user who re-scheduled.
        by: String,
    },
    /// Pending attempts must not happen.
    Stop {
        /// Why the pending attempts are called off.
        reason: CancelReason,
    },
}

/// What the worker must do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "command")]
pub enum Command {
    /// Wake the chain at `at` with [`Event::TimeReached`] (replaces any earlier wake-up).
    WakeAt {
        /// When to wake.
        at: DateTime<Utc>,
    },
    /// No wake-up is needed any more.
    ClearWake,
    /// Start attempt `attempt`: ring the operators.
    DialOperators {
        /// The new attempt's number in the chain, from 1.
        attempt: u32,
        /// Which numbers to ring, and how.
        dial: OperatorDial,
    },
    /// Play the announcement to the operator `plays` times.
    Announce {
        /// The attempt's number in the chain.
        attempt: u32,
        /// What to play.
        announcement: Announcement,
        /// How many times.
        plays: u32,
    },
    /// Wait up to `timeout_secs` for the operator to press `digit` (while the announcement
    /// loops).
    GatherKey {
        /// The attempt's number in the chain.
        attempt: u32,
        /// The digit that connects the client.
        digit: u8,
        /// How long to wait for it.
        timeout_secs: u32,
    },
    /// Dial the client, letting it ring `timeout_secs`, and bridge on answer.
    DialClient {
        /// The attempt's number in the chain.
        attempt: u32,
        /// The client's number, E.164.
        number: String,
        /// How long it may ring: "The client has 30 s to answer".
        timeout_secs: u32,
    },
    /// End the attempt's call, if it is still up.
    HangUp {
        /// The attempt's number in the chain.
        attempt: u32,
    },
    /// An attempt ended: write it to the journal.
    Record {
        /// The ended attempt, with its result and tags.
        attempt: AttemptRecord,
    },
    /// Add a tag to an attempt already written.
    Tag {
        /// The attempt's number in the chain.
        attempt: u32,
        /// The tag to add, e.g. "last in chain".
        tag: String,
    },
    /// Send a notification ([`crate::notify`]).
    Notify {
        /// The message, ready to send.
        message: Message,
    },
    /// The chain is over.
    Finish {
        /// How the chain ended.
        outcome: Outcome,
    },
}

/// One manual re-scheduling: "each re-scheduling records user, when, and for when".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Reschedule {
    /// The user who re-scheduled.
    pub by: String,
    /// When the re-scheduling was made.
    pub at: DateTime<Utc>,
    /// When the call was scheduled for.
    pub for_time: DateTime<Utc>,
}

/// Where an order stands, as the journal stores it (`orders.status`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalStatus {
    /// `scheduled`, `calling`, `success`, `failed` or `cancelled`.
    pub status: String,
    /// Why it was cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When the next call is due (`scheduled`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_at: Option<DateTime<Utc>>,
    /// Nothing more is due.
    pub finished: bool,
}

/// An order's call chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Chain {
    /// What was fixed when the order was accepted.
    pub plan: ChainPlan,
    /// Every attempt so far, in order.
    pub attempts: Vec<AttemptRecord>,
    /// Where the chain stands.
    pub state: State,
    /// The manual re-schedulings, oldest first.
    #[serde(default)]
    pub reschedules: Vec<Reschedule>,
    /// Where the current notification segment starts: a manual re-scheduling starts a new
    /// one, so its call is reported like a chain of its own.
    #[serde(default)]
    segment_start: usize,
}

impl Chain {
    /// A new chain; nothing happens until [`Event::Placed`].
    pub fn new(plan: ChainPlan) -> Chain {
        Chain {
            plan,
            attempts: Vec::new(),
            state: State::New,
            reschedules: Vec::new(),
            segment_start: 0,
        }
    }

    /// Attempts are due or under way: "not while a chain is still running".
    pub fn is_running(&self) -> bool {
        !matches!(self.state, State::Finished { .. })
    }

    /// The chain's outcome, once finished.
    pub fn outcome(&self) -> Option<Outcome> {
        match self.state {
            State::Finished { outcome } => Some(outcome),
            _ => None,
        }
    }

    /// The order's status for the journal; `None` before [`Event::Placed`].
    pub fn journal_status(&self) -> Option<JournalStatus> {
        let (status, reason, call_at) = match self.state {
            State::New => return None,
            State::Waiting { at, .. } => ("scheduled", None, Some(at)),
            State::Calling { .. } => ("calling", None, None),
            State::Finished { outcome } => match outcome {
                Outcome::Success => ("success", None, None),
                Outcome::Failed => ("failed", None, None),
                Outcome::Cancelled(r) => ("cancelled", Some(r.describe().to_string()), None),
            },
        };
        Some(JournalStatus {
            status: status.into(),
            reason,
            call_at,
            finished: matches!(self.state, State::Finished { .. }),
        })
    }

    /// When the chain next needs [`Event::TimeReached`].
    pub fn wake_at(&self) -> Option<DateTime<Utc>> {
        match self.state {
            State::Waiting { at, .. } => Some(at),
            State::Calling { deadline, .. } => Some(deadline),
            _ => None,
        }
    }

    /// When the first call is due: "now" in working hours; a deferred call when ordered
    /// "now" outside them; a chosen slot, moved to the next opening if the call center is
    /// closed then.
    pub fn first_call_at(&self) -> DateTime<Utc> {
        let cc = &self.plan.call_center;
        let placed = self.plan.placed_at;
        match self.plan.when {
            When::Now if cc.is_open(placed) => placed,
            When::Now => deferred_call_at(cc, &self.plan.deferred, placed).unwrap_or(placed),
            When::At(t) => cc.next_open(t).unwrap_or(t),
        }
    }

    /// Applies one event at `now` and returns what to do.
    pub fn handle(&mut self, event: Event, now: DateTime<Utc>) -> Vec<Command> {
        match event {
            Event::Placed => match self.state {
                State::New => {
                    let at = self.first_call_at();
                    self.wait_or_start(at, AttemptKind::First, now)
                }
                _ => Vec::new(),
            },
            Event::TimeReached => self.on_time(now),
            Event::OperatorAnswered { attempt, number } => {
                self.on_operator_answered(attempt, number, now)
            }
            Event::KeyPressed { attempt, digit } => self.on_key(attempt, digit, now),
            Event::ClientAnswered { attempt } => self.on_client_answered(attempt, now),
            Event::CallEnded { attempt, report } => self.on_call_ended(attempt, report, now),
            Event::ClientCalledDirectly => self.on_direct_call(),
            Event::Rescheduled { at, by } => self.on_rescheduled(at, by, now),
            Event::Stop { reason } => self.on_stop(reason),
        }
    }

    fn current(&self) -> Option<&AttemptRecord> {
        self.attempts.last()
    }

    /// Whether an event about attempt `n` concerns the call under way.
    fn is_current_call(&self, n: u32) -> bool {
        matches!(self.state, State::Calling { .. }) && self.current().map(|a| a.n) == Some(n)
    }

    fn stage(&self) -> Option<Stage> {
        match self.state {
            State::Calling { stage, .. } => Some(stage),
            _ => None,
        }
    }

    fn wait_or_start(
        &mut self,
        at: DateTime<Utc>,
        kind: AttemptKind,
        now: DateTime<Utc>,
    ) -> Vec<Command> {
        if at <= now {
            self.start_attempt(kind, now)
        } else {
            self.state = State::Waiting { at, kind };
            vec![Command::WakeAt { at }]
        }
    }

    fn start_attempt(&mut self, kind: AttemptKind, now: DateTime<Utc>) -> Vec<Command> {
        let n = self.attempts.len() as u32 + 1;
        self.attempts.push(AttemptRecord {
            n,
            kind,
            started_at: now,
            ended_at: None,
            operator: None,
            result: None,
            tags: self.plan.tags.clone(),
        });
        let deadline = now
            + Duration::seconds(
                i64::from(self.plan.operators.total_ring_secs()) + REPORT_GRACE_SECS,
            );
        self.state = State::Calling {
            stage: Stage::RingingOperator,
            deadline,
        };
        vec![
            Command::DialOperators {
                attempt: n,
                dial: self.plan.operators.clone(),
            },
            Command::WakeAt { at: deadline },
        ]
    }

    fn on_time(&mut self, now: DateTime<Utc>) -> Vec<Command> {
        match self.state.clone() {
            State::Waiting { at, kind } if now >= at => self.start_attempt(kind, now),
            State::Waiting { at, .. } => vec![Command::WakeAt { at }],
            State::Calling { stage, deadline } if now >= deadline => {
                let a = self.current().expect("calling has an attempt");
                let n = a.n;
                let total = (now - a.started_at).num_seconds().max(0) as u32;
                let result = match stage {
                    Stage::Talking { since }
                        if (now - since).num_seconds() >= i64::from(MIN_BRIDGED_SECS) =>
                    {
                        AttemptResult::Success {
                            bridged_secs: (now - since).num_seconds() as u32,
                            total_secs: total,
                        }
                    }
                    _ => AttemptResult::Failed {
                        cause: FailCause::TelephonySilent,
                        bridged_secs: 0,
                        total_secs: total,
                    },
                };
                let mut commands = vec![Command::HangUp { attempt: n }];
                commands.extend(self.end_attempt(result, stage, now));
                commands
            }
            State::Calling { deadline, .. } => vec![Command::WakeAt { at: deadline }],
            State::New | State::Finished { .. } => Vec::new(),
        }
    }

    fn announcement_for(&self, kind: AttemptKind) -> Announcement {
        match kind {
            AttemptKind::First | AttemptKind::Manual | AttemptKind::Redial => {
                self.plan.announcement.clone()
            }
            AttemptKind::Retry { .. } | AttemptKind::Extra => self.plan.retry_announcement.clone(),
        }
    }

    fn dial_client(&mut self, n: u32, now: DateTime<Utc>, after_secs: u32) -> Vec<Command> {
        let deadline = now
            + Duration::seconds(
                i64::from(after_secs) + i64::from(CLIENT_ANSWER_SECS) + REPORT_GRACE_SECS,
            );
        self.state = State::Calling {
            stage: Stage::ConnectingClient,
            deadline,
        };
        vec![
            Command::DialClient {
                attempt: n,
                number: self.plan.client.clone(),
                timeout_secs: CLIENT_ANSWER_SECS,
            },
            Command::WakeAt { at: deadline },
        ]
    }

    fn on_operator_answered(&mut self, n: u32, number: String, now: DateTime<Utc>) -> Vec<Command> {
        // A repeated report of the same answer gets nothing: the call already has its
        // instructions, and a second set could dial the client twice.
        if !self.is_current_call(n) || self.stage() != Some(Stage::RingingOperator) {
            return Vec::new();
        }
        let kind = {
            let a = self.attempts.last_mut().expect("calling has an attempt");
            a.operator = Some(number);
            a.kind
        };
        let announcement = self.announcement_for(kind);
        let plays = self.plan.connection.plays();
        let mut commands = Vec::new();
        if plays > 0 {
            commands.push(Command::Announce {
                attempt: n,
                announcement,
                plays,
            });
        }
        match self.plan.connection {
            ConnectionMode::Auto { announce_secs } => {
                commands.extend(self.dial_client(n, now, u32::from(announce_secs)));
            }
            ConnectionMode::KeyPress { digit, wait_secs } => {
                let until = now + Duration::seconds(i64::from(wait_secs));
                self.state = State::Calling {
                    stage: Stage::WaitingForKey { until },
                    deadline: until + Duration::seconds(REPORT_GRACE_SECS),
                };
                commands.push(Command::GatherKey {
                    attempt: n,
                    digit,
                    timeout_secs: u32::from(wait_secs),
                });
                commands.push(Command::WakeAt {
                    at: until + Duration::seconds(REPORT_GRACE_SECS),
                });
            }
        }
        commands
    }

    fn on_key(&mut self, n: u32, digit: u8, now: DateTime<Utc>) -> Vec<Command> {
        let Some(Stage::WaitingForKey { until }) = self.stage() else {
            return Vec::new();
        };
        if !self.is_current_call(n) {
            return Vec::new();
        }
        let ConnectionMode::KeyPress { digit: wanted, .. } = self.plan.connection else {
            return Vec::new();
        };
        if digit == wanted {
            return self.dial_client(n, now, 0);
        }
        // A wrong digit: keep waiting for the rest of the time, if any is left.
        let left = (until - now).num_seconds();
        if left > 0 {
            vec![Command::GatherKey {
                attempt: n,
                digit: wanted,
                timeout_secs: left as u32,
            }]
        } else {
            let mut commands = vec![Command::HangUp { attempt: n }];
            let total = self.elapsed_in_attempt(now);
            commands.extend(self.end_attempt(
                AttemptResult::Failed {
                    cause: FailCause::NoKeyPress,
                    bridged_secs: 0,
                    total_secs: total,
                },
                Stage::WaitingForKey { until },
                now,
            ));
            commands
        }
    }

    fn elapsed_in_attempt(&self, now: DateTime<Utc>) -> u32 {
        self.current()
            .map(|a| (now - a.started_at).num_seconds().max(0) as u32)
            .unwrap_or(0)
    }

    fn on_client_answered(&mut self, n: u32, now: DateTime<Utc>) -> Vec<Command> {
        if !self.is_current_call(n) || self.stage() != Some(Stage::ConnectingClient) {
            return Vec::new();
        }
        let deadline = now + Duration::seconds(MAX_TALK_SECS);
        self.state = State::Calling {
            stage: Stage::Talking { since: now },
            deadline,
        };
        vec![Command::WakeAt { at: deadline }]
    }

    fn on_call_ended(&mut self, n: u32, report: CallReport, now: DateTime<Utc>) -> Vec<Command> {
        if !self.is_current_call(n) {
            return Vec::new();
        }
        let stage = self.stage().expect("calling");
        let result = match stage {
            // The operator never answered: whatever the report says, nobody was bridged.
            Stage::RingingOperator => AttemptResult::Failed {
                cause: match report.cause {
                    EndCause::OperatorBusy => FailCause::OperatorBusy,
                    EndCause::OperatorUnreachable => FailCause::OperatorUnreachable,
                    EndCause::Error => FailCause::TelephonyError,
                    EndCause::OperatorHungUp => FailCause::OperatorHungUp,
                    _ => FailCause::OperatorNoAnswer,
                },
                bridged_secs: 0,
                total_secs: 0,
            },
            // "no press → attempt failed, client never dialed".
            Stage::WaitingForKey { .. } => AttemptResult::Failed {
                cause: FailCause::NoKeyPress,
                bridged_secs: 0,
                total_secs: report.total_secs,
            },
            Stage::ConnectingClient | Stage::Talking { .. } => AttemptResult::from_report(report),
        };
        self.end_attempt(result, stage, now)
    }

    /// The attempts of the current notification segment.
    fn segment(&self) -> &[AttemptRecord] {
        &self.attempts[self.segment_start.min(self.attempts.len())..]
    }

    /// Retries already made in this segment.
    fn retries_made(&self) -> u32 {
        self.segment()
            .iter()
            .filter(|a| matches!(a.kind, AttemptKind::Retry { .. }))
            .count() as u32
    }

    /// Technical re-dials in a row just before the current attempt.
    fn redials_in_a_row(&self) -> u32 {
        self.segment()
            .iter()
            .rev()
            .take_while(|a| a.kind == AttemptKind::Redial)
            .count() as u32
    }

    /// What comes after an attempt with `result`, as `(due, kind)`, or `None`: the chain is over.
    fn next_after(
        &self,
        kind: AttemptKind,
        result: &AttemptResult,
        stage: Stage,
        now: DateTime<Utc>,
    ) -> Option<(DateTime<Utc>, AttemptKind)> {
        if result.is_success() {
            let extra_due = matches!(
                kind,
                AttemptKind::First | AttemptKind::Retry { .. } | AttemptKind::Redial
            ) && !self.segment().iter().any(|a| a.kind == AttemptKind::Extra);
            return match self.plan.extra {
                Some(ExtraAttempt {
                    shorter_than_secs,
                    after_minutes,
                }) if extra_due && result.total_secs() < shorter_than_secs => Some((
                    now + Duration::minutes(i64::from(after_minutes)),
                    AttemptKind::Extra,
                )),
                _ => None,
            };
        }
        let provider_failed = matches!(
            result,
            AttemptResult::Failed {
                cause: FailCause::TelephonyError | FailCause::TelephonySilent,
                ..
            }
        ) && stage == Stage::RingingOperator;
        if provider_failed && kind != AttemptKind::Manual && self.redials_in_a_row() < MAX_REDIALS {
            return Some((
                now + redial_delay(self.redials_in_a_row() + 1),
                AttemptKind::Redial,
            ));
        }
        match kind {
            AttemptKind::First | AttemptKind::Retry { .. } | AttemptKind::Redial => {
                let n = self.retries_made() + 1;
                self.plan
                    .retries
                    .as_ref()
                    .and_then(|p| p.delay_before(n))
                    .map(|d| (now + d, AttemptKind::Retry { n }))
            }
            AttemptKind::Extra | AttemptKind::Manual => None,
        }
    }

    fn end_attempt(
        &mut self,
        result: AttemptResult,
        stage: Stage,
        now: DateTime<Utc>,
    ) -> Vec<Command> {
        let kind = self.current().expect("an attempt").kind;
        let next = self.next_after(kind, &result, stage, now);
        let over = next.is_none();
        let record = {
            let a = self.attempts.last_mut().expect("an attempt");
            a.ended_at = Some(now);
            a.result = Some(result);
            if over {
                a.tags.push(LAST_IN_CHAIN.to_string());
            }
            a.clone()
        };
        let mut commands = vec![Command::Record { attempt: record }];
        commands.extend(self.notifications(Moment {
            chain_over: over,
            attempt_ended: true,
        }));
        match next {
            None => commands.extend(self.finish(None)),
            Some((due, kind)) => {
                // "A retry due after the working day ends moves to the next working morning."
                let at = self.plan.call_center.next_open(due).unwrap_or(due);
                commands.extend(self.wait_or_start(at, kind, now));
            }
        }
        commands
    }

    fn notifications(&self, moment: Moment) -> Vec<Command> {
        notify::messages(
            &self.plan.notifications,
            &self.plan.notify,
            self.segment(),
            moment,
        )
        .into_iter()
        .map(|message| Command::Notify { message })
        .collect()
    }

    /// Ends the chain; `cancelled` when pending attempts were called off.
    fn finish(&mut self, cancelled: Option<CancelReason>) -> Vec<Command> {
        let success = self.segment().iter().any(|a| a.succeeded());
        let outcome = match (success, cancelled) {
            (true, _) => Outcome::Success,
            (false, Some(reason)) => Outcome::Cancelled(reason),
            (false, None) => Outcome::Failed,
        };
        self.state = State::Finished { outcome };
        vec![Command::ClearWake, Command::Finish { outcome }]
    }

    fn on_direct_call(&mut self) -> Vec<Command> {
        let cancels = match self.state {
            State::Waiting { kind, .. } => match kind {
                AttemptKind::Retry { .. } | AttemptKind::Extra | AttemptKind::Redial => true,
                AttemptKind::First => self.plan.missed_call,
                AttemptKind::Manual => false,
            },
            _ => false,
        };
        if !cancels {
            return Vec::new();
        }
        let mut commands = Vec::new();
        if let Some(last) = self.attempts.last_mut() {
            if !last.tags.iter().any(|t| t == LAST_IN_CHAIN) {
                last.tags.push(LAST_IN_CHAIN.to_string());
                commands.push(Command::Tag {
                    attempt: last.n,
                    tag: LAST_IN_CHAIN.to_string(),
                });
            }
        }
        commands.extend(self.notifications(Moment {
            chain_over: true,
            attempt_ended: false,
        }));
        commands.extend(self.finish(Some(CancelReason::ClientCalledDirectly)));
        commands
    }

    fn on_rescheduled(
        &mut self,
        at: DateTime<Utc>,
        by: String,
        now: DateTime<Utc>,
    ) -> Vec<Command> {
        if self.is_running() {
            return Vec::new();
        }
        self.reschedules.push(Reschedule {
            by,
            at: now,
            for_time: at,
        });
        self.segment_start = self.attempts.len();
        self.wait_or_start(at, AttemptKind::Manual, now)
    }

    fn on_stop(&mut self, reason: CancelReason) -> Vec<Command> {
        match self.state {
            State::New | State::Waiting { .. } => self.finish(Some(reason)),
            // A call under way finishes; nothing after it will be due.
            State::Calling { .. } | State::Finished { .. } => Vec::new(),
        }
    }
}
