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
        client_extension: None,
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
            client_extension: None,
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

/// Issue 11: the call center's only hour is Sunday 02:00–03:00 in Berlin, the hour summer time
/// skips on 2026-03-29. An off-hours order placed the Sunday before, after that hour, is called
/// when the hour next happens, two weeks later: neither never nor at once in the night.
#[test]
fn an_off_hours_order_waits_two_weeks_when_summer_time_skips_the_only_hour() {
    let mut p = plan(None, None);
    p.call_center = Schedule {
        zone: "Europe/Berlin".into(),
        hours: WeekGrid::hours(&[chrono::Weekday::Sun], 2, 3),
    };
    // Sunday 2026-03-22 03:30 CET.
    p.placed_at = Utc.with_ymd_and_hms(2026, 3, 22, 2, 30, 0).unwrap();
    let run = Run::start(p);
    // Sunday 2026-04-05 02:00 CEST.
    let at = Utc.with_ymd_and_hms(2026, 4, 5, 0, 0, 0).unwrap();
    assert_eq!(run.log, [Command::WakeAt { at }]);
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

fn key_press_plan(digit: u8, wait_secs: u8) -> ChainPlan {
    let mut p = plan(None, None);
    p.connection = ConnectionMode::KeyPress { digit, wait_secs };
    p
}

fn answer_operator(run: &mut Run, attempt: u32) -> Vec<Command> {
    run.send(Event::OperatorAnswered {
        attempt,
        number: "+74951234567".into(),
    })
}

fn fail_cause(record: &shared::attempt::AttemptRecord) -> Option<FailCause> {
    match record.result {
        Some(shared::attempt::AttemptResult::Failed { cause, .. }) => Some(cause),
        _ => None,
    }
}

/// A bridged call is waited for up to four hours before the watchdog ends it.
#[test]
fn the_watchdog_waits_four_hours_for_a_bridged_call() {
    let mut run = Run::start(plan(None, None));
    answer_operator(&mut run, 1);
    run.advance(10);
    let out = run.send(Event::ClientAnswered { attempt: 1 });
    assert_eq!(
        out,
        [Command::WakeAt {
            at: run.now + Duration::hours(4)
        }]
    );
}

/// "the client is dialed" after the announcement, and "The client has 30 s to answer": the
/// watchdog allows announcement + 30 s + the report grace (60 s).
#[test]
fn the_client_leg_deadline_is_announcement_plus_30_s_plus_grace() {
    let mut run = Run::start(plan(None, None)); // auto, 7 s announcement
    run.advance(4);
    let out = answer_operator(&mut run, 1);
    let at = run.now + Duration::seconds(7 + 30 + 60);
    assert_eq!(out.last(), Some(&Command::WakeAt { at }));
    assert_eq!(run.chain.wake_at(), Some(at));

    // Key-press mode dials the client at once after the press: 30 s + grace.
    let mut run = Run::start(key_press_plan(5, 60));
    answer_operator(&mut run, 1);
    run.advance(12);
    let out = run.send(Event::KeyPressed {
        attempt: 1,
        digit: 5,
    });
    let at = run.now + Duration::seconds(30 + 60);
    assert_eq!(out.last(), Some(&Command::WakeAt { at }));
    assert_eq!(run.chain.wake_at(), Some(at));
}

/// "0 = none": without an announcement the client is dialed straight away.
#[test]
fn a_zero_second_announcement_plays_nothing() {
    let mut p = plan(None, None);
    p.connection = ConnectionMode::Auto { announce_secs: 0 };
    let mut run = Run::start(p);
    let out = answer_operator(&mut run, 1);
    assert!(
        !out.iter().any(|c| matches!(c, Command::Announce { .. })),
        "{out:?}"
    );
    assert!(matches!(out[0], Command::DialClient { .. }), "{out:?}");
    assert_eq!(
        run.chain.wake_at(),
        Some(run.now + Duration::seconds(30 + 60))
    );
}

/// Key-press mode waits `wait_secs` for the digit, plus the report grace before the watchdog.
#[test]
fn key_press_waits_for_the_digit_then_the_report_grace() {
    let mut run = Run::start(key_press_plan(5, 60));
    run.advance(4);
    let answered = run.now;
    let out = answer_operator(&mut run, 1);
    let deadline = answered + Duration::seconds(60 + 60);
    assert_eq!(out.last(), Some(&Command::WakeAt { at: deadline }));
    assert_eq!(run.chain.wake_at(), Some(deadline));
    // Past the wait but before the deadline, an alarm only re-arms the watchdog.
    run.advance(61);
    assert_eq!(
        run.send(Event::TimeReached),
        [Command::WakeAt { at: deadline }]
    );
}

/// A wrong digit when no wait is left ends the attempt: "no press → attempt failed".
#[test]
fn a_wrong_digit_at_the_end_of_the_wait_fails_the_attempt() {
    let mut run = Run::start(key_press_plan(5, 30));
    run.advance(4);
    answer_operator(&mut run, 1);
    run.advance(30);
    let out = run.send(Event::KeyPressed {
        attempt: 1,
        digit: 3,
    });
    assert_eq!(out[0], Command::HangUp { attempt: 1 });
    let rec = run.records()[0];
    assert_eq!(
        rec.result,
        Some(shared::attempt::AttemptResult::Failed {
            cause: FailCause::NoKeyPress,
            bridged_secs: 0,
            total_secs: 34,
        })
    );
    assert!(!run
        .log
        .iter()
        .any(|c| matches!(c, Command::DialClient { .. })));
    assert_eq!(run.chain.outcome(), Some(Outcome::Failed));
}

/// An alarm before the attempt is due starts nothing.
#[test]
fn an_early_alarm_does_not_start_a_scheduled_call() {
    let mut p = plan(None, None);
    p.when = When::At(msk(3, 12, 0));
    let mut run = Run::start(p);
    run.now = msk(3, 11, 59);
    assert_eq!(
        run.send(Event::TimeReached),
        [Command::WakeAt { at: msk(3, 12, 0) }]
    );
    assert_eq!(run.dials(), 0);
}

/// The 5-second rule holds for the watchdog too: a bridge under 5 s is not a success.
#[test]
fn the_watchdog_counts_a_bridge_under_five_seconds_as_failed() {
    use shared::chain::Stage;
    let mut run = Run::start(plan(None, None));
    answer_operator(&mut run, 1);
    run.advance(10);
    run.send(Event::ClientAnswered { attempt: 1 });
    // A stored state whose watchdog fires 2 s into the bridge.
    run.chain.state = State::Calling {
        stage: Stage::Talking { since: run.now },
        deadline: run.now + Duration::seconds(2),
    };
    run.advance(2);
    let out = run.send(Event::TimeReached);
    assert_eq!(out[0], Command::HangUp { attempt: 1 });
    assert_eq!(
        fail_cause(run.records()[0]),
        Some(FailCause::TelephonySilent)
    );
    assert_eq!(run.chain.outcome(), Some(Outcome::Failed));
}

/// The client's answer only counts while the client is being dialed.
#[test]
fn a_client_answer_before_the_client_is_dialed_is_ignored() {
    let mut run = Run::start(plan(None, None));
    assert!(run.send(Event::ClientAnswered { attempt: 1 }).is_empty());
    assert!(matches!(
        run.chain.state,
        State::Calling {
            stage: shared::chain::Stage::RingingOperator,
            ..
        }
    ));
    let mut run = Run::start(key_press_plan(5, 60));
    answer_operator(&mut run, 1);
    assert!(run.send(Event::ClientAnswered { attempt: 1 }).is_empty());
}

/// Before the operator answers, the report's cause says why the operator side failed.
#[test]
fn operator_side_failures_keep_their_cause() {
    let cases = [
        (EndCause::OperatorBusy, FailCause::OperatorBusy),
        (
            EndCause::OperatorUnreachable,
            FailCause::OperatorUnreachable,
        ),
        (EndCause::Error, FailCause::TelephonyError),
        (EndCause::OperatorHungUp, FailCause::OperatorHungUp),
        (EndCause::OperatorNoAnswer, FailCause::OperatorNoAnswer),
        (EndCause::Completed, FailCause::OperatorNoAnswer),
    ];
    for (cause, want) in cases {
        let mut run = Run::start(plan(None, None));
        run.advance(20);
        run.send(Event::CallEnded {
            attempt: 1,
            report: CallReport {
                cause,
                bridged_secs: 0,
                total_secs: 0,
            },
        });
        assert_eq!(fail_cause(run.records()[0]), Some(want), "{cause:?}");
    }
}

/// Only a provider failure before the operator answered is re-dialed; an operator who is busy
/// is an ordinary failure, and so is an error once the client is being dialed.
#[test]
fn only_provider_failures_on_the_operator_side_are_redialed() {
    let end = |run: &mut Run, cause: EndCause| {
        run.send(Event::CallEnded {
            attempt: 1,
            report: CallReport {
                cause,
                bridged_secs: 0,
                total_secs: 0,
            },
        });
    };
    let mut run = Run::start(plan(None, None));
    end(&mut run, EndCause::OperatorBusy);
    assert_eq!(run.chain.outcome(), Some(Outcome::Failed));
    assert_eq!(run.dials(), 1);

    let mut run = Run::start(plan(None, None));
    answer_operator(&mut run, 1);
    end(&mut run, EndCause::Error);
    assert_eq!(
        fail_cause(run.records()[0]),
        Some(FailCause::TelephonyError)
    );
    assert_eq!(run.chain.outcome(), Some(Outcome::Failed));

    let mut run = Run::start(plan(None, None));
    end(&mut run, EndCause::Error);
    assert!(matches!(
        run.chain.state,
        State::Waiting {
            kind: AttemptKind::Redial,
            ..
        }
    ));
}

/// "if the chain's successful call was shorter than N s (e.g. 30)": exactly 30 s is not
/// shorter.
#[test]
fn the_extra_attempt_needs_a_call_strictly_shorter_than_n() {
    // `Talk(s)` reports a total of s + 10 seconds.
    for (talk, extra) in [(19, true), (20, false)] {
        let mut run = Run::start(two_retries_and_extra());
        run.play(Call::Talk(talk));
        assert_eq!(
            matches!(run.chain.state, State::Waiting { kind: EXTRA, .. }),
            extra,
            "total {} s",
            talk + 10
        );
        assert_eq!(run.chain.outcome().is_none(), extra);
    }
}

/// A manual re-scheduling is one call: even a short success gets no extra attempt.
#[test]
fn a_short_manual_call_gets_no_extra_attempt() {
    let mut p = two_retries_and_extra();
    p.retries = None;
    let mut run = Run::start(p);
    run.play(Call::Fail);
    assert_eq!(run.chain.outcome(), Some(Outcome::Failed));
    run.send(Event::Rescheduled {
        at: msk(3, 10, 0),
        by: "anna".into(),
    });
    run.play(Call::Talk(10));
    assert_eq!(run.chain.outcome(), Some(Outcome::Success));
    assert_eq!(
        run.summary(),
        [(FIRST, false, true), (AttemptKind::Manual, true, true)]
    );
}
