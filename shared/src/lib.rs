//! Ringback's pure core.
//!
//! Every rule of `SPEC.md` that can be decided without I/O lives here, one module per concept,
//! each named with the SPEC's own words, so that a rule can be found by its SPEC name with one
//! search. The edge worker, the widget and the cabinet only call into this crate; none of them
//! decides anything on its own.
//!
//! This crate has no I/O and no browser or worker types, and builds for native and `wasm32`.

pub mod api;
pub mod button;
pub mod color;
pub mod selection;
pub mod validation;
pub mod widget;
