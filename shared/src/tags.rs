//! Tags (SPEC §4): "per-widget automatic tags, per-department tags, "working hours"/"off-hours"
//! tags, "last in chain", "missed-call callback". Filterable in the journal and reports."

use crate::validation::Problems;

/// Tag of orders placed during working hours.
pub const WORKING_HOURS: &str = "working hours";
/// Tag of orders placed outside working hours.
pub const OFF_HOURS: &str = "off-hours";
/// Tag of a chain's final call.
pub const LAST_IN_CHAIN: &str = "last in chain";
/// Tag of calls of a missed-call callback.
pub const MISSED_CALL: &str = "missed-call callback";
/// Tag of a client's direct call that cancelled pending retries (seed 000: "Перезвонили на
/// пропущенный вызов").
pub const CALLED_BACK: &str = "called back on a missed call";

/// Longest tag, in characters.
pub const MAX_TAG: usize = 40;

/// The tags every call of an order carries: the widget's, the department's, working or
/// off-hours, and the missed-call tag; each once, in that order.
pub fn order_tags(
    widget: &[String],
    department: &[String],
    working_hours: bool,
    missed_call: bool,
) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    let hours = if working_hours {
        WORKING_HOURS
    } else {
        OFF_HOURS
    };
    let fixed = [hours.to_string()]
        .into_iter()
        .chain(missed_call.then(|| MISSED_CALL.to_string()));
    for t in widget.iter().chain(department).cloned().chain(fixed) {
        let t = t.trim().to_string();
        if !t.is_empty() && !tags.iter().any(|have| have.eq_ignore_ascii_case(&t)) {
            tags.push(t);
        }
    }
    tags
}

/// Every problem of a tag list under `path`.
pub fn validate(tags: &[String], path: &str, problems: &mut Problems) {
    for (i, t) in tags.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let t = t.trim();
        if t.is_empty() {
            problems.add(p, "must not be empty");
        } else if t.chars().count() > MAX_TAG {
            problems.add(p, format!("at most {MAX_TAG} characters"));
        } else if tags[..i].iter().any(|o| o.trim().eq_ignore_ascii_case(t)) {
            problems.add(p, "this tag is already in the list");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn every_call_carries_widget_department_and_hours_tags_once() {
        assert_eq!(
            order_tags(&s(&["site", "promo"]), &s(&["sales", "Site"]), true, false),
            ["site", "promo", "sales", "working hours"]
        );
        assert_eq!(
            order_tags(&[], &[], false, true),
            ["off-hours", "missed-call callback"]
        );
    }

    #[test]
    fn tags_are_checked_for_emptiness_length_and_duplicates() {
        let mut p = Problems::new();
        validate(&s(&["a", " ", "A", &"x".repeat(41)]), "tags", &mut p);
        let paths: Vec<_> = p.into_vec().into_iter().map(|p| p.path).collect();
        assert_eq!(paths, ["tags[1]", "tags[2]", "tags[3]"]);
    }

    #[test]
    fn a_tag_may_have_exactly_40_characters() {
        let mut p = Problems::new();
        validate(&["ы".repeat(MAX_TAG)], "tags", &mut p);
        assert!(p.is_empty(), "{p:?}");
        validate(&["ы".repeat(MAX_TAG + 1)], "tags", &mut p);
        assert_eq!(p.into_vec()[0].message, "at most 40 characters");
    }
}
