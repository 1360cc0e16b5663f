#![deny(missing_docs)]
//! Ringback's pure core.
//!
//! Every rule of `SPEC.md` that can be decided without I/O lives here, one module per concept,
//! each named with the SPEC's own words, so that a rule can be found by its SPEC name with one
//! search. The edge worker, the widget and the cabinet only call into this crate; none of them
//! decides anything on its own.
//!
//! This crate has no I/O, reads no clock and has no browser or worker types; it builds for
//! native and `wasm32`. The modules that need the time-zone database, phone metadata or regular
//! expressions are behind the `server` feature (on by default), which the widget leaves off.
//!
//! | SPEC | module |
//! |---|---|
//! | §1 Account, Site | [`account`] |
//! | §1 Widget, kinds; settings document | [`widget`] |
//! | §2 Button | [`button`] |
//! | §2 Main form, timer, invitation, after-order, colors, images | [`appearance`], [`color`] |
//! | §2 texts, character limits, languages | [`texts`] |
//! | §2.2 the visitor's form: checks, day labels; §2.3 timer; §2.5 after-order message | [`form`] |
//! | §2.6 Departments | [`departments`] |
//! | §2.7 Promo | [`promo`] |
//! | §2 Auto-show scenarios, dynamic | [`autoshow`] |
//! | §2, §3 device types | [`device`] |
//! | §3 Call-center and display schedules, deferred offset | [`schedule`] |
//! | §2, §3 time slots | [`slots`] |
//! | §3 Conditions | [`conditions`] |
//! | §3 which widget shows, pinning | [`selection`] |
//! | §3 Conflicts | [`conflicts`] |
//! | §4 Phone, toll-free | [`phone`] |
//! | §4 Blacklist | [`blacklist`] |
//! | §4 Forwarding | [`forwarding`]; dialing a group's legs: [`dialing`] |
//! | §4 Connection modes | [`connection`] |
//! | §4 Announcements | [`announcements`] |
//! | §4 Outcome, the 5-second rule | [`attempt`] |
//! | §4 Retries, extra attempt | [`retries`] |
//! | §4 the call chain | [`chain`] |
//! | §4 Manual re-scheduling | [`rescheduling`] |
//! | §4 Tags | [`tags`] |
//! | §4 Notifications | [`notify`] |
//! | §4 Minutes balance | [`balance`] |
//! | §2 phone input mask | [`mask`] |
//! | §5 Missed-call callback | [`missed_call`] |
//! | §5 Lead forms | [`lead_forms`] |
//! | *decide*'s render model | [`render`]; the cabinet's preview of it: [`preview`] |
//! | HTTP wire types | [`api`] (public), [`cabinet_api`] (cabinet) |
//! | §6 Journal export, reports | [`reports`] |
//! | telephony adapters (signatures, TwiML), the test clock | [`telephony`] |
//! | per-address limits (IPv6 by /64) | [`limits`] |
//! | field paths and messages | [`validation`] |

pub mod account;
pub mod announcements;
pub mod api;
pub mod appearance;
pub mod attempt;
pub mod autoshow;
pub mod balance;
pub mod blacklist;
pub mod button;
pub mod cabinet_api;
pub mod color;
pub mod conditions;
pub mod connection;
pub mod departments;
pub mod device;
pub mod form;
pub mod forwarding;
pub mod images;
pub mod lead_forms;
pub mod limits;
pub mod mask;
pub mod missed_call;
pub mod notify;
pub mod phone;
pub mod preview;
pub mod promo;
pub mod retries;
pub mod schedule;
pub mod tags;
pub mod texts;
pub mod validation;
pub mod widget;

#[cfg(feature = "server")]
pub mod chain;
#[cfg(feature = "server")]
pub mod conflicts;
#[cfg(feature = "server")]
pub mod dialing;
#[cfg(feature = "server")]
pub mod render;
#[cfg(feature = "server")]
pub mod reports;
#[cfg(feature = "server")]
pub mod rescheduling;
#[cfg(feature = "server")]
pub mod selection;
#[cfg(feature = "server")]
pub mod slots;
#[cfg(feature = "server")]
pub mod telephony;
