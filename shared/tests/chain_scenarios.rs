//! The call chain, played call by call against the SPEC's worked examples.
//!
//! A small driver feeds the chain the events a telephony provider would send, with a clock that
//! jumps to each wake-up the chain asks for, and keeps every command it returns.

use chrono::{DateTime, Duration, TimeZone, Utc};
use shared::announcements::Announcement;
use shared::attempt::{AttemptKind, CallReport, EndCause, FailCause};
use shared::chain::{CancelReason, Chain, ChainPlan, Command, Event, Outcome, State, When};
use shared::connection::ConnectionMode;
use shared::forwarding::{Forwarding, OperatorDial};
use shared::notify::{Channel, NotificationRule, NotifyContext, NotifyMode};
use shared::retries::{ExtraAttempt, RetryPolicy};
use shared::schedule::{DeferredOffsets, Schedule, WeekGrid, WEEK};
use shared::tags::LAST_IN_CHAIN;
use shared::texts::Lang;

/// Moscow wall-clock time (UTC+3 all year). 2026-03-02 is a Monday.
fn msk(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap() - Duration::hours(3)
}

fn plan(retries: Option<RetryPolicy>, extra: Option<ExtraAttempt>) -> ChainPlan {
    ChainPlan {
        client: "+79161234567".into(),
        operators: Forwarding::to("+74951234567").dial(),
        connection: ConnectionMode::default(),
        call_center: Schedule::default(),
        deferred: DeferredOffsets::default(),
        placed_at: msk(2, 12, 0),
        when: When::Now,
        retries,
        extra,
        announcement: Announcement::Speech {
            text: "Callback from the website".into(),
        },
        retry_announcement: Announcement::Speech {
            text: "Repeat callback".into(),
        },
        tags: vec!["site".into(), "working hours".into()],
        notifications: vec![],
        notify: NotifyContext {
            site: "okna.ru".into(),
            widget: "Main".into(),
            department: None,
            client: "+79161234567".into(),
            zone: "Europe/Moscow".into(),
            lang: Lang::En,
        },
        missed_call: false,
    }
}

/// How one attempt goes.
#[derive(Clone, Copy, Debug)]
enum Call {
    /// The client does not answer in 30 s.
    Fail,
    /// Operator and client talk for this many seconds.
    Talk(u32),
    /// The client's line is busy.
    Busy,
    /// The operator side does not answer.
    OperatorMissing,
}

struct Run {
    chain: Chain,
    now: DateTime<Utc>,
    log: Vec<Command>,
}

impl Run {
    fn start(plan: ChainPlan) -> Run {
        let now = plan.placed_at;
        let mut run = Run {
            chain: Chain::new(plan),
            now,
            log: Vec::new(),
        };
        run.send(Event::Placed);
        run
    }

    fn send(&mut self, e: Event) -> Vec<Command> {
        let out = self.chain.handle(e, self.now);
        self.log.extend(out.clone());
        out
    }

    fn advance(&mut self, secs: i64) {
        self.now += Duration::seconds(secs);
    }

    /// Jumps to the next wake-up and fires it; returns the attempt number it dialed.
    fn wake(&mut self) -> u32 {
        let at = self.chain.wake_at().expect("a wake-up is due");
        if at > self.now {
            self.now = at;
        }
        let out = self.send(Event::TimeReached);
        match out.first() {
            Some(Command::DialOperators { attempt, .. }) => *attempt,
            other => panic!("expected a dial, got {other:?}"),
        }
    }

    /// The current attempt number, starting it first if it is only due.
    fn attempt_under_way(&mut self) -> u32 {
        match self.chain.state {
            State::Calling { .. } => self.chain.attempts.last().unwrap().n,
            State::Waiting { .. } => self.wake(),
            ref s => panic!("no attempt can start in {s:?}"),
        }
    }

    /// Plays one attempt to its end.
    fn play(&mut self, call: Call) {
        let n = self.attempt_under_way();
        self.advance(5);
        match call {
            Call::OperatorMissing => {
                self.advance(30);
                self.send(Event::CallEnded {
                    attempt: n,
                    report: CallReport {
                        cause: EndCause::OperatorNoAnswer,
                        bridged_secs: 0,
                        total_secs: 0,
                    },
                });
                return;
            }
            _ => {
                let out = self.send(Event::OperatorAnswered {
                    attempt: n,
                    number: "+74951234567".into(),
                });
                assert!(
                    out.iter().any(|c| matches!(
                        c,
                        Command::DialClient {
                            timeout_secs: 30,
                            ..
                        }
                    )),
                    "auto mode dials the client for 30 s: {out:?}"
                );
            }
        }
        self.advance(7);
        let report = match call {
            Call::Fail => {
                self.advance(30);
                CallReport {
                    cause: EndCause::ClientNoAnswer,
                    bridged_secs: 0,
                    total_secs: 37,
                }
            }
            Call::Busy => CallReport {
                cause: EndCause::ClientBusy,
                bridged_secs: 0,
                total_secs: 8,
            },
            Call::Talk(secs) => {
                self.advance(3);
                self.send(Event::ClientAnswered { attempt: n });
                self.advance(i64::from(secs));
                CallReport {
                    cause: EndCause::Completed,
                    bridged_secs: secs,
                    total_secs: secs + 10,
                }
            }
            Call::OperatorMissing => unreachable!(),
        };
        self.send(Event::CallEnded { attempt: n, report });
    }

    fn records(&self) -> Vec<&shared::attempt::AttemptRecord> {
        self.log
            .iter()
            .filter_map(|c| match c {
                Command::Record { attempt } => Some(attempt),
                _ => None,
            })
            .collect()
    }

    /// Per recorded attempt: (kind, success, tagged last in chain).
    fn summary(&self) -> Vec<(AttemptKind, bool, bool)> {
        self.records()
            .iter()
            .map(|a| {
                (
                    a.kind,
                    a.succeeded(),
                    a.tags.iter().any(|t| t == LAST_IN_CHAIN),
                )
            })
            .collect()
    }

    fn dials(&self) -> usize {
        self.log
            .iter()
            .filter(|c| matches!(c, Command::DialOperators { .. }))
            .count()
    }
}

fn two_retries_and_extra() -> ChainPlan {
    plan(
        Some(RetryPolicy::Standard {
            retries: 2,
            pause_minutes: 5,
        }),
        Some(ExtraAttempt {
            shorter_than_secs: 30,
            after_minutes: 60,
        }),
    )
}

const R1: AttemptKind = AttemptKind::Retry { n: 1 };
const R2: AttemptKind = AttemptKind::Retry { n: 2 };
const FIRST: AttemptKind = AttemptKind::First;
const EXTRA: AttemptKind = AttemptKind::Extra;

/// SPEC §4 worked cases (2 retries; extra if success < 30 s), scenario 1:
/// "fail, fail, success 10 s → extra attempt (tagged last)".
#[test]
fn scenario_1_fail_fail_success_10s_gets_an_extra_attempt_tagged_last() {
    let mut run = Run::start(two_retries_and_extra());
    run.play(Call::Fail);
    run.play(Call::Fail);
    run.play(Call::Talk(10));
    let extra_due = run.chain.wake_at().unwrap();
    assert_eq!(
        extra_due,
        run.now + Duration::minutes(60),
        "after M = 60 min"
    );
    run.play(Call::Talk(45));
    assert_eq!(
        run.summary(),
        [
            (FIRST, false, false),
            (R1, false, false),
            (R2, true, false),
            (EXTRA, true, true)
        ]
    );
    assert_eq!(run.chain.outcome(), Some(Outcome::Success));
}

/// Scenario 2: "fail, fail, success 40 s (tagged last) → no extra".
#[test]
fn scenario_2_fail_fail_success_40s_is_tagged_last_without_extra() {
    let mut run = Run::start(two_retries_and_extra());
    run.play(Call::Fail);
    run.play(Call::Fail);
    run.play(Call::Talk(40));
    assert_eq!(
        run.summary(),
        [(FIRST, false, false), (R1, false, false), (R2, true, true)]
    );
    assert_eq!(run.chain.outcome(), Some(Outcome::Success));
    assert_eq!(run.chain.wake_at(), None);
}

/// Scenario 3: "fail×3 (last tagged) → no extra".
#[test]
fn scenario_3_three_failures_tag_the_last_and_make_no_extra() {
    let mut run = Run::start(two_retries_and_extra());
    run.play(Call::Fail);
    run.play(Call::Busy);
    run.play(Call::Fail);
    assert_eq!(
        run.summary(),
        [(FIRST, false, false), (R1, false, false), (R2, false, true)]
    );
    assert_eq!(run.chain.outcome(), Some(Outcome::Failed));
    assert_eq!(run.dials(), 3);
}

/// Scenario 4: "success 10 s → extra (tagged last)".
#[test]
fn scenario_4_success_10s_gets_an_extra_attempt_tagged_last() {
    let mut run = Run::start(two_retries_and_extra());
    run.play(Call::Talk(10));
    run.play(Call::Fail);
    assert_eq!(run.summary(), [(FIRST, true, false), (EXTRA, false, true)]);
    // "status not important": one success makes the chain successful, and a failed extra
    // attempt is not retried.
    assert_eq!(run.chain.outcome(), Some(Outcome::Success));
    assert_eq!(run.dials(), 2);
}

/// Scenario 5: "fail, success 10 s → extra (tagged last)".
#[test]
fn scenario_5_fail_success_10s_gets_an_extra_attempt_tagged_last() {
    let mut run = Run::start(two_retries_and_extra());
    run.play(Call::Fail);
    run.play(Call::Talk(10));
    run.play(Call::Talk(120));
    assert_eq!(
        run.summary(),
        [
            (FIRST, false, false),
            (R1, true, false),
            (EXTRA, true, true)
        ]
    );
}

#[test]
fn without_retries_one_failure_ends_the_chain() {
    let mut run = Run::start(plan(None, None));
    run.play(Call::Fail);
    assert_eq!(run.summary(), [(FIRST, false, true)]);
    assert_eq!(run.chain.outcome(), Some(Outcome::Failed));
}

#[test]
fn custom_retries_wait_their_own_intervals() {
    let mut run = Run::start(plan(
        Some(RetryPolicy::Custom {
            intervals_minutes: vec![3, 10],
        }),
        None,
    ));
    run.play(Call::Fail);
    let ended = run.now;
    assert_eq!(run.chain.wake_at(), Some(ended + Duration::minutes(3)));
    run.play(Call::Fail);
    let ended = run.now;
    assert_eq!(run.chain.wake_at(), Some(ended + Duration::minutes(10)));
    run.play(Call::Fail);
    assert_eq!(run.chain.outcome(), Some(Outcome::Failed));
    assert_eq!(run.dials(), 3);
}

/// "A retry due after the working day ends moves to the next working morning."
#[test]
fn a_retry_due_after_closing_moves_to_the_next_working_morning() {
    let mut p = plan(
        Some(RetryPolicy::Standard {
            retries: 1,
            pause_minutes: 15,
        }),
        None,
    );
    // Friday 19:50: the retry would be due at 20:05+, after 20:00 closing.
    p.placed_at = msk(6, 19, 50);
    let mut run = Run::start(p);
    run.play(Call::Fail);
    assert_eq!(run.chain.wake_at(), Some(msk(9, 9, 0)), "Monday 09:00");
    run.play(Call::Talk(60));
    assert_eq!(run.records()[1].started_at, msk(9, 9, 0));
}

/// "If the client calls the company directly before a retry, the remaining retries are
/// cancelled ("cancelled: client called directly")."
#[test]
fn a_direct_call_cancels_the_remaining_retries() {
    let mut run = Run::start(two_retries_and_extra());
    run.play(Call::Fail);
    let out = run.send(Event::ClientCalledDirectly);
    assert_eq!(
        out.last(),
        Some(&Command::Finish {
            outcome: Outcome::Cancelled(CancelReason::ClientCalledDirectly)
        })
    );
    assert!(out.contains(&Command::Tag {
        attempt: 1,
        tag: LAST_IN_CHAIN.into()
    }));
    assert!(out.contains(&Command::ClearWake));
    assert_eq!(run.chain.wake_at(), None);
    assert_eq!(run.dials(), 1);
    assert_eq!(
        CancelReason::ClientCalledDirectly.describe(),
        "cancelled: client called directly"
    );
}

#[test]
fn a_direct_call_does_not_cancel_a_scheduled_first_call_but_does_for_a_missed_call_callback() {
    let mut p = plan(None, None);
    p.when = When::At(msk(3, 12, 0));
    let mut run = Run::start(p.clone());
    assert!(run.send(Event::ClientCalledDirectly).is_empty());
    assert_eq!(run.chain.wake_at(), Some(msk(3, 12, 0)));
    p.missed_call = true;
    let mut run = Run::start(p);
    let out = run.send(Event::ClientCalledDirectly);
    assert_eq!(
        out.last(),
        Some(&Command::Finish {
            outcome: Outcome::Cancelled(CancelReason::ClientCalledDirectly)
        })
    );
}

#[test]
fn a_chosen_slot_waits_for_its_time_and_now_starts_at_once() {
    let mut p = plan(None, None);
    let run = Run::start(p.clone());
    assert!(matches!(
        run.log[0],
        Command::DialOperators { attempt: 1, .. }
    ));
    p.when = When::At(msk(3, 12, 0));
    let run = Run::start(p);
    assert_eq!(run.log, [Command::WakeAt { at: msk(3, 12, 0) }]);
}

/// SPEC §3: "off-hours orders without a chosen time are called at opening time + offset (e.g.
/// opens 09:00, offset 45 min → 09:45)".
#[test]
fn deferred_offset_opens_0900_plus_45_min_calls_at_0945() {
    let mut p = plan(None, None);
    p.placed_at = msk(2, 22, 30); // Monday night
    p.deferred = DeferredOffsets::every_day(45);
    let run = Run::start(p.clone());
    assert_eq!(run.chain.wake_at(), Some(msk(3, 9, 45)));
    // "the offset of a non-working day is ignored": Saturday's offset never applies; Friday
    // night's order is called Monday with Monday's offset.
    p.placed_at = msk(6, 21, 0);
    p.deferred = DeferredOffsets([10, 0, 0, 0, 0, 120, 0]);
    let run = Run::start(p);
    assert_eq!(run.chain.wake_at(), Some(msk(9, 9, 10)));
}

#[test]
fn key_press_dials_the_client_only_after_the_right_digit() {
    let mut p = plan(None, None);
    p.connection = ConnectionMode::KeyPress {
        digit: 5,
        wait_secs: 60,
    };
    let mut run = Run::start(p);
    run.advance(4);
    let out = run.send(Event::OperatorAnswered {
        attempt: 1,
        number: "+74951234567".into(),
    });
    assert!(out.contains(&Command::Announce {
        attempt: 1,
        announcement: Announcement::Speech {
            text: "Callback from the website".into()
        },
        plays: 8
    }));
    assert!(out.contains(&Command::GatherKey {
        attempt: 1,
        digit: 5,
        timeout_secs: 60
    }));
    assert!(!out.iter().any(|c| matches!(c, Command::DialClient { .. })));
    run.advance(20);
    let out = run.send(Event::KeyPressed {
        attempt: 1,
        digit: 3,
    });
    assert_eq!(
        out,
        [Command::GatherKey {
            attempt: 1,
            digit: 5,
            timeout_secs: 40
        }]
    );
    run.advance(10);
    let out = run.send(Event::KeyPressed {
        attempt: 1,
        digit: 5,
    });
    assert!(matches!(
        out[0],
        Command::DialClient {
            timeout_secs: 30,
            ..
        }
    ));
}

/// "no press → attempt failed, client never dialed".
#[test]
fn key_press_without_a_press_fails_and_never_dials_the_client() {
    let mut p = plan(
        Some(RetryPolicy::Standard {
            retries: 1,
            pause_minutes: 3,
        }),
        None,
    );
    p.connection = ConnectionMode::key_press(7);
    let mut run = Run::start(p);
    run.send(Event::OperatorAnswered {
        attempt: 1,
        number: "+74951234567".into(),
    });
    run.advance(61);
    run.send(Event::CallEnded {
        attempt: 1,
        report: CallReport {
            cause: EndCause::Completed,
            bridged_secs: 0,
            total_secs: 61,
        },
    });
    let rec = run.records()[0];
    assert!(matches!(
        rec.result,
        Some(shared::attempt::AttemptResult::Failed {
            cause: FailCause::NoKeyPress,
            ..
        })
    ));
    assert!(!run
        .log
        .iter()
        .any(|c| matches!(c, Command::DialClient { .. })));
    // The retry policy still applies to the failed attempt.
    assert!(matches!(run.chain.state, State::Waiting { kind: R1, .. }));
}

#[test]
fn an_operator_group_that_never_answers_fails_the_attempt() {
    let mut p = plan(None, None);
    p.operators = OperatorDial::Sequential {
        legs: vec![
            shared::forwarding::Leg {
                number: "+74951234567".into(),
                ring_secs: 20,
            },
            shared::forwarding::Leg {
                number: "+74951234568".into(),
                ring_secs: 40,
            },
        ],
    };
    let mut run = Run::start(p);
    assert_eq!(
        run.chain.wake_at(),
        Some(run.now + Duration::seconds(60 + 60))
    );
    run.play(Call::OperatorMissing);
    let rec = run.records()[0];
    assert!(matches!(
        rec.result,
        Some(shared::attempt::AttemptResult::Failed {
            cause: FailCause::OperatorNoAnswer,
            ..
        })
    ));
}

/// Nothing is dialed twice: a repeated alarm, a repeated answer report and a late report of
/// an earlier attempt change nothing.
#[test]
fn repeated_and_stale_events_dial_nothing_twice() {
    let mut run = Run::start(plan(
        Some(RetryPolicy::Standard {
            retries: 1,
            pause_minutes: 3,
        }),
        None,
    ));
    assert_eq!(run.dials(), 1);
    run.advance(1);
    assert_eq!(
        run.send(Event::TimeReached).len(),
        1,
        "only re-arms the watchdog"
    );
    run.send(Event::OperatorAnswered {
        attempt: 1,
        number: "+74951234567".into(),
    });
    assert!(run
        .send(Event::OperatorAnswered {
            attempt: 1,
            number: "+74951234567".into()
        })
        .is_empty());
    run.advance(40);
    run.send(Event::CallEnded {
        attempt: 1,
        report: CallReport {
            cause: EndCause::ClientNoAnswer,
            bridged_secs: 0,
            total_secs: 40,
        },
    });
    assert!(run
        .send(Event::CallEnded {
            attempt: 1,
            report: CallReport {
                cause: EndCause::Completed,
                bridged_secs: 100,
                total_secs: 110,
            }
        })
        .is_empty());
    run.wake();
    assert!(run.send(Event::ClientAnswered { attempt: 1 }).is_empty());
    assert!(run.send(Event::Placed).is_empty());
    assert_eq!(run.dials(), 2);
}

/// The telephony never reports: the watchdog ends the call and the order is not lost.
#[test]
fn a_silent_telephony_is_ended_by_the_watchdog_and_redialed() {
    let mut run = Run::start(plan(None, None));
    let deadline = run.chain.wake_at().unwrap();
    run.now = deadline;
    let out = run.send(Event::TimeReached);
    assert_eq!(out[0], Command::HangUp { attempt: 1 });
    assert!(matches!(
        run.chain.state,
        State::Waiting {
            kind: AttemptKind::Redial,
            ..
        }
    ));
    // Six re-dials at most, each waiting twice as long, then the chain fails with the cause on
    // record.
    let mut waits = Vec::new();
    for _ in 0..shared::chain::MAX_REDIALS {
        waits.push((run.chain.wake_at().unwrap() - run.now).num_minutes());
        run.wake();
        run.now = run.chain.wake_at().unwrap();
        run.send(Event::TimeReached);
    }
    assert_eq!(waits, [1, 2, 4, 8, 16, 30]);
    assert_eq!(run.dials(), 7);
    assert_eq!(run.chain.outcome(), Some(Outcome::Failed));
    assert!(run.records().iter().all(|r| matches!(
        r.result,
        Some(shared::attempt::AttemptResult::Failed {
            cause: FailCause::TelephonySilent,
            ..
        })
    )));
}

#[test]
fn a_call_bridged_when_the_report_goes_missing_counts_as_successful() {
    let mut run = Run::start(plan(None, None));
    run.send(Event::OperatorAnswered {
        attempt: 1,
        number: "+74951234567".into(),
    });
    run.advance(10);
    run.send(Event::ClientAnswered { attempt: 1 });
    run.now = run.chain.wake_at().unwrap();
    run.send(Event::TimeReached);
    assert!(run.records()[0].succeeded());
    assert_eq!(run.chain.outcome(), Some(Outcome::Success));
}

#[test]
fn a_failed_chain_can_be_rescheduled_by_hand_once_it_has_ended() {
    let mut run = Run::start(plan(
        Some(RetryPolicy::Standard {
            retries: 1,
            pause_minutes: 3,
        }),
        None,
    ));
    assert!(
        run.send(Event::Rescheduled {
            at: msk(3, 10, 0),
            by: "anna".into()
        })
        .is_empty(),
        "not while the chain is running"
    );
    run.play(Call::Fail);
    run.play(Call::Fail);
    assert_eq!(run.chain.outcome(), Some(Outcome::Failed));
    let requested_at = run.now;
    let out = run.send(Event::Rescheduled {
        at: msk(3, 10, 0),
        by: "anna".into(),
    });
    assert_eq!(out, [Command::WakeAt { at: msk(3, 10, 0) }]);
    assert_eq!(run.chain.reschedules[0].by, "anna");
    assert_eq!(run.chain.reschedules[0].at, requested_at);
    assert_eq!(run.chain.reschedules[0].for_time, msk(3, 10, 0));
    // A manual attempt is one call: no automatic retries after it.
    run.play(Call::Fail);
    assert_eq!(run.chain.outcome(), Some(Outcome::Failed));
    let kinds: Vec<AttemptKind> = run.summary().iter().map(|s| s.0).collect();
    assert_eq!(kinds, [FIRST, R1, AttemptKind::Manual]);
    assert!(
        run.summary()[2].2,
        "the manual call is the last in the chain"
    );
}

#[test]
fn running_out_of_minutes_cancels_a_scheduled_call() {
    let mut p = plan(None, None);
    p.when = When::At(msk(3, 12, 0));
    let mut run = Run::start(p);
    let out = run.send(Event::Stop {
        reason: CancelReason::NoMinutes,
    });
    assert_eq!(
        out,
        [
            Command::ClearWake,
            Command::Finish {
                outcome: Outcome::Cancelled(CancelReason::NoMinutes)
            }
        ]
    );
}

/// The chain tells the notifications module when; here the three SPEC cases for `failed`.
#[test]
fn the_failed_mail_is_sent_once_after_the_last_attempt() {
    let mut p = two_retries_and_extra();
    p.extra = None;
    p.notifications = vec![NotificationRule {
        channel: Channel::Email,
        to: "boss@okna.ru".into(),
        mode: NotifyMode::Failed,
    }];
    let mails = |calls: &[Call]| {
        let mut run = Run::start(p.clone());
        for c in calls {
            run.play(*c);
        }
        run.log
            .iter()
            .filter(|c| matches!(c, Command::Notify { .. }))
            .count()
    };
    assert_eq!(mails(&[Call::Fail, Call::Fail, Call::Fail]), 1);
    assert_eq!(mails(&[Call::Fail, Call::Talk(60)]), 0);
    assert_eq!(mails(&[Call::Talk(60)]), 0);
}

#[test]
fn retries_and_the_extra_attempt_use_the_retry_announcement() {
    let mut run = Run::start(two_retries_and_extra());
    run.play(Call::Fail);
    run.wake();
    let out = run.send(Event::OperatorAnswered {
        attempt: 2,
        number: "+74951234567".into(),
    });
    assert!(out.contains(&Command::Announce {
        attempt: 2,
        announcement: Announcement::Speech {
            text: "Repeat callback".into()
        },
        plays: 1
    }));
}

#[test]
fn a_chain_survives_being_stored_and_loaded_between_events() {
    let mut run = Run::start(two_retries_and_extra());
    run.play(Call::Fail);
    let stored = serde_json::to_string(&run.chain).unwrap();
    let loaded: Chain = serde_json::from_str(&stored).unwrap();
    assert_eq!(loaded, run.chain);
    run.chain = loaded;
    run.play(Call::Talk(60));
    assert_eq!(run.chain.outcome(), Some(Outcome::Success));
}

#[test]
fn schedules_use_every_day_and_hour() {
    // Round-the-clock call centers never move retries.
    let mut p = plan(
        Some(RetryPolicy::Standard {
            retries: 1,
            pause_minutes: 15,
        }),
        None,
    );
    p.call_center.hours = WeekGrid::hours(&WEEK, 0, 24);
    p.placed_at = msk(7, 23, 50);
    let mut run = Run::start(p);
    run.play(Call::Fail);
    assert_eq!(run.chain.wake_at(), Some(run.now + Duration::minutes(15)));
}
