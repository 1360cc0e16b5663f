//! Departments (SPEC §2.6): "the marketer picks which departments the widget offers and their
//! order; the first is preselected unless "visitor must choose" is on — then nothing is
//! preselected and ordering without a department highlights the selector. A department is
//! offered only while its own schedule intersects the call-center schedule. With departments
//! on, the main forwarding number is not used."

use crate::forwarding::check_forwarding_number;
use crate::schedule::Schedule;
use crate::validation::Problems;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A department of the account: its own number, schedule and tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Department {
    /// The department's id.
    pub id: i64,
    /// What visitors choose by, and what notification subjects carry.
    pub name: String,
    /// The department's forwarding number.
    pub number: String,
    /// Its own hours: it is "offered only while its own schedule intersects the call-center
    /// schedule".
    pub schedule: Schedule,
    /// "per-department tags", carried by every call of its orders.
    #[serde(default)]
    pub tags: Vec<String>,
}

impl Department {
    /// Longest department name, in characters.
    pub const MAX_NAME: usize = 40;

    /// Every problem under `path`.
    pub fn validate(&self, path: &str, problems: &mut Problems, country: &str) {
        let name = self.name.trim();
        if name.is_empty() {
            problems.add(format!("{path}.name"), "must not be empty");
        } else if name.chars().count() > Self::MAX_NAME {
            problems.add(
                format!("{path}.name"),
                format!("at most {} characters", Self::MAX_NAME),
            );
        }
        check_forwarding_number(&format!("{path}.number"), &self.number, country, problems);
        self.schedule.validate(
            &format!("{path}.schedule"),
            problems,
            Some("the department has no working hours, so it would never be offered"),
        );
        crate::tags::validate(&self.tags, &format!("{path}.tags"), problems);
    }
}

/// Which departments a widget offers, in order; empty: departments are off.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DepartmentChoice {
    /// The ids of the departments offered, in the selector's order.
    #[serde(default)]
    pub offered: Vec<i64>,
    /// "visitor must choose": nothing is preselected.
    #[serde(default)]
    pub must_choose: bool,
}

impl DepartmentChoice {
    /// Departments are on for this widget.
    pub fn enabled(&self) -> bool {
        !self.offered.is_empty()
    }

    /// The chosen departments in the widget's order (ids that no longer exist are skipped).
    pub fn in_order<'a>(&self, departments: &'a [Department]) -> Vec<&'a Department> {
        self.offered
            .iter()
            .filter_map(|id| departments.iter().find(|d| d.id == *id))
            .collect()
    }

    /// What the selector shows preselected among `offered`: the first, unless the visitor must
    /// choose.
    pub fn preselected(&self, offered: &[i64]) -> Option<i64> {
        if self.must_choose {
            None
        } else {
            offered.first().copied()
        }
    }

    /// The department an order goes to, given what the visitor chose and what was offered.
    pub fn resolve(
        &self,
        offered: &[i64],
        chosen: Option<i64>,
    ) -> Result<Option<i64>, DepartmentError> {
        if !self.enabled() {
            return match chosen {
                None => Ok(None),
                Some(_) => Err(DepartmentError::NotOffered),
            };
        }
        match chosen {
            Some(id) if offered.contains(&id) => Ok(Some(id)),
            Some(_) => Err(DepartmentError::NotOffered),
            None if offered.is_empty() => Err(DepartmentError::NoneOpen),
            None if self.must_choose => Err(DepartmentError::Required),
            None => Ok(self.preselected(offered)),
        }
    }

    /// Every problem under `path`, given the account's departments.
    pub fn validate(&self, path: &str, problems: &mut Problems, departments: &[Department]) {
        for (i, id) in self.offered.iter().enumerate() {
            if !departments.iter().any(|d| d.id == *id) {
                problems.add(
                    format!("{path}.offered[{i}]"),
                    "this department no longer exists",
                );
            } else if self.offered[..i].contains(id) {
                problems.add(
                    format!("{path}.offered[{i}]"),
                    "this department is already offered",
                );
            }
        }
    }
}

/// Why an order's department was not accepted; the widget highlights the selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DepartmentError {
    /// "visitor must choose" and nothing was chosen.
    Required,
    /// The department is not one the widget offers now.
    NotOffered,
    /// Departments are on but none is open.
    NoneOpen,
}

impl fmt::Display for DepartmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DepartmentError::Required => "choose a department",
            DepartmentError::NotOffered => "this department is not available now; choose another",
            DepartmentError::NoneOpen => "no department is available now; pick a time instead",
        })
    }
}

impl std::error::Error for DepartmentError {}

#[cfg(feature = "server")]
mod zoned {
    use super::*;
    use crate::schedule::next_open_all;
    use chrono::{DateTime, Utc};

    impl DepartmentChoice {
        /// The departments offered at `at` in working hours: those whose own schedule and the
        /// call center's are both open, in the widget's order.
        pub fn open_at<'a>(
            &self,
            departments: &'a [Department],
            call_center: &Schedule,
            at: DateTime<Utc>,
        ) -> Vec<&'a Department> {
            self.in_order(departments)
                .into_iter()
                .filter(|d| d.schedule.is_open(at) && call_center.is_open(at))
                .collect()
        }

        /// The departments a visitor can order from for later: those whose schedule meets
        /// the call center's at all (within 400 days, see [`next_open_all`]), in the widget's
        /// order.
        pub fn open_later<'a>(
            &self,
            departments: &'a [Department],
            call_center: &Schedule,
            from: DateTime<Utc>,
        ) -> Vec<&'a Department> {
            self.in_order(departments)
                .into_iter()
                .filter(|d| next_open_all(&[&d.schedule, call_center], from).is_some())
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(offered: &[i64], must_choose: bool) -> DepartmentChoice {
        DepartmentChoice {
            offered: offered.to_vec(),
            must_choose,
        }
    }

    #[test]
    fn the_first_is_preselected_unless_the_visitor_must_choose() {
        assert_eq!(choice(&[3, 1, 2], false).preselected(&[1, 2]), Some(1));
        assert_eq!(choice(&[3, 1, 2], true).preselected(&[1, 2]), None);
        assert_eq!(choice(&[3], false).preselected(&[]), None);
    }

    #[test]
    fn ordering_without_a_department_when_one_is_required_is_refused() {
        let c = choice(&[3, 1], true);
        assert_eq!(c.resolve(&[3, 1], None), Err(DepartmentError::Required));
        assert_eq!(c.resolve(&[3, 1], Some(1)), Ok(Some(1)));
        assert_eq!(c.resolve(&[3], Some(1)), Err(DepartmentError::NotOffered));
        assert_eq!(c.resolve(&[], None), Err(DepartmentError::NoneOpen));
        let optional = choice(&[3, 1], false);
        assert_eq!(optional.resolve(&[1, 3], None), Ok(Some(1)));
        let off = DepartmentChoice::default();
        assert_eq!(off.resolve(&[], None), Ok(None));
        assert_eq!(off.resolve(&[], Some(1)), Err(DepartmentError::NotOffered));
    }

    #[test]
    fn offered_ids_must_exist_once() {
        let d = |id| Department {
            id,
            name: format!("d{id}"),
            number: "+74951234567".into(),
            schedule: Schedule::default(),
            tags: vec![],
        };
        let mut p = Problems::new();
        choice(&[1, 9, 1], false).validate("departments", &mut p, &[d(1), d(2)]);
        let msgs: Vec<String> = p.into_vec().iter().map(|p| p.to_string()).collect();
        assert_eq!(
            msgs,
            [
                "departments.offered[1]: this department no longer exists",
                "departments.offered[2]: this department is already offered"
            ]
        );
    }

    fn dept(id: i64, name: &str, schedule: Schedule) -> Department {
        Department {
            id,
            name: name.into(),
            number: "+74951234567".into(),
            schedule,
            tags: vec![],
        }
    }

    #[test]
    fn department_names_are_required_and_at_most_40_characters() {
        let problems = |name: &str| {
            let mut p = Problems::new();
            dept(1, name, Schedule::default()).validate("departments[0]", &mut p, "RU");
            p.into_vec()
                .into_iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
        };
        let cases: [(String, &[&str]); 5] = [
            ("Sales".into(), &[]),
            ("ё".repeat(Department::MAX_NAME), &[]),
            (
                "ё".repeat(Department::MAX_NAME + 1),
                &["departments[0].name: at most 40 characters"],
            ),
            ("  ".into(), &["departments[0].name: must not be empty"]),
            ("".into(), &["departments[0].name: must not be empty"]),
        ];
        for (name, want) in cases {
            assert_eq!(problems(&name), want, "{name:?}");
        }
    }

    #[test]
    fn a_department_without_hours_is_a_problem() {
        let mut p = Problems::new();
        let never = Schedule {
            hours: crate::schedule::WeekGrid::EMPTY,
            ..Schedule::default()
        };
        dept(1, "Sales", never).validate("d", &mut p, "RU");
        assert_eq!(p.into_vec()[0].path, "d.schedule.hours");
    }

    #[test]
    fn department_errors_say_what_to_do() {
        for (e, want) in [
            (DepartmentError::Required, "choose a department"),
            (
                DepartmentError::NotOffered,
                "this department is not available now; choose another",
            ),
            (
                DepartmentError::NoneOpen,
                "no department is available now; pick a time instead",
            ),
        ] {
            assert_eq!(e.to_string(), want);
        }
    }

    /// "A department is offered only while its own schedule intersects the call-center
    /// schedule": both must be open now (`open_at`), or meet at all, however far ahead
    /// (`open_later`).
    #[cfg(feature = "server")]
    #[test]
    fn departments_are_offered_only_while_both_schedules_are_open() {
        use crate::schedule::WeekGrid;
        use chrono::{TimeZone, Utc, Weekday};
        let sched = |grid: WeekGrid| Schedule {
            hours: grid,
            ..Schedule::default()
        };
        let departments = [
            // Mon–Fri 9–20, like the call center.
            dept(1, "Sales", Schedule::default()),
            // Saturdays only: never meets the Mon–Fri call center.
            dept(2, "Weekend", sched(WeekGrid::hours(&[Weekday::Sat], 9, 20))),
            // Mornings: open later today, not now.
            dept(
                3,
                "Morning",
                sched(WeekGrid::hours(&crate::schedule::WEEK, 9, 10)),
            ),
            // New York at noon: 20:00 in Moscow in winter, after closing; 19:00 once the US
            // moves to summer time on 2024-03-10, eight weeks ahead.
            dept(
                4,
                "Overseas",
                Schedule {
                    zone: "America/New_York".into(),
                    hours: WeekGrid::hours(&crate::schedule::WEEK[..5], 12, 13),
                },
            ),
        ];
        let call_center = Schedule::default();
        let c = choice(&[3, 2, 1, 4], false);
        // Monday 2024-01-15 12:00 Moscow (UTC+3).
        let noon = Utc.with_ymd_and_hms(2024, 1, 15, 9, 0, 0).unwrap();
        let ids = |ds: Vec<&Department>| ds.iter().map(|d| d.id).collect::<Vec<_>>();
        assert_eq!(ids(c.open_at(&departments, &call_center, noon)), [1]);
        assert_eq!(
            ids(c.open_later(&departments, &call_center, noon)),
            [3, 1, 4]
        );
        // Saturday 2024-01-20 12:00 Moscow: the call center is closed, so nobody is open.
        let saturday = Utc.with_ymd_and_hms(2024, 1, 20, 9, 0, 0).unwrap();
        assert!(c.open_at(&departments, &call_center, saturday).is_empty());
    }
}
