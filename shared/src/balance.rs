//! The minutes balance (SPEC §4): "shared by an account's widgets; 50 free minutes at first
//! use; top-ups are requests (minimum 300 min) that a platform operator confirms; only
//! connected time is billed; spending is debited once a day at 23:59:59; ... At zero, all
//! widgets stop showing; orders already scheduled are cancelled and the owner gets one email
//! listing them (with phone numbers) to call back by hand."

use crate::attempt::AttemptResult;
use serde::{Deserialize, Serialize};

/// "50 free minutes at first use".
pub const FREE_MINUTES: i64 = 50;
/// "minimum 300 min".
pub const MIN_TOP_UP: i64 = 300;

/// Minutes an attempt costs: "only connected time is billed", by the started minute; a failed
/// attempt costs nothing.
pub fn billable_minutes(result: &AttemptResult) -> i64 {
    match result {
        AttemptResult::Success { bridged_secs, .. } => i64::from(bridged_secs.div_ceil(60)),
        AttemptResult::Failed { .. } => 0,
    }
}

/// A top-up request's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TopUpStatus {
    /// Asked for; waits for a platform operator.
    Requested,
    /// Confirmed by a platform operator.
    Confirmed,
    /// Called off; it adds no minutes.
    Cancelled,
}

/// Checks a top-up request's size.
pub fn check_top_up(minutes: i64) -> Result<(), String> {
    if minutes < MIN_TOP_UP {
        Err(format!("a top-up is at least {MIN_TOP_UP} minutes"))
    } else {
        Ok(())
    }
}

/// The balance after the day's debit: the minutes left, never below zero on the books (the
/// last call of a day may run over).
pub fn after_debit(balance: i64, spent_today: i64) -> i64 {
    (balance - spent_today).max(0)
}

/// Widgets show and calls are made only while minutes are left: "At zero, all widgets stop
/// showing". Minutes already spent today count against the balance before the nightly debit.
pub fn service_available(balance: i64, spent_today: i64) -> bool {
    balance - spent_today > 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attempt::FailCause;

    #[test]
    fn only_connected_time_is_billed_by_the_started_minute() {
        let ok = |s| AttemptResult::Success {
            bridged_secs: s,
            total_secs: s + 20,
        };
        assert_eq!(billable_minutes(&ok(5)), 1);
        assert_eq!(billable_minutes(&ok(60)), 1);
        assert_eq!(billable_minutes(&ok(61)), 2);
        let failed = AttemptResult::Failed {
            cause: FailCause::ClientHungUp,
            bridged_secs: 4,
            total_secs: 40,
        };
        assert_eq!(billable_minutes(&failed), 0);
    }

    #[test]
    fn top_ups_start_at_300_minutes_and_zero_stops_the_service() {
        assert!(check_top_up(299).is_err());
        assert!(check_top_up(300).is_ok());
        assert!(service_available(FREE_MINUTES, 0));
        assert!(!service_available(50, 50));
        assert!(service_available(50, 49));
        assert_eq!(after_debit(10, 12), 0);
        assert_eq!(after_debit(300, 12), 288);
    }
}
