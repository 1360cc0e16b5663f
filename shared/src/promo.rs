//! Promo (SPEC §2.7, widget kind `promo`): the promo period with optional automatic extension,
//! the countdown in every style and format, and the promo image.

use crate::appearance::ImageRef;
use crate::color::Color;
use crate::texts::{plural, Lang};
use crate::validation::Problems;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Countdown styles: "`text` and `plate` allow D, D/H, D/H/M; `classic` and `modern` (animated
/// seconds) allow D/H/M and D/H/M/S".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimerStyle {
    /// Plain text.
    Text,
    /// Digits on a plate in the form's primary color.
    Plate,
    /// Animated seconds, classic look.
    Classic,
    /// Animated seconds.
    Modern,
}

/// Countdown formats: which units show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimerFormat {
    /// Days.
    D,
    /// Days/hours.
    DH,
    /// Days/hours/minutes.
    DHM,
    /// Days/hours/minutes/seconds.
    DHMS,
}

impl TimerStyle {
    /// Every countdown style.
    pub const ALL: [TimerStyle; 4] = [
        TimerStyle::Text,
        TimerStyle::Plate,
        TimerStyle::Classic,
        TimerStyle::Modern,
    ];

    /// The formats this style allows (the compatibility table of SPEC §2.7).
    pub fn formats(self) -> &'static [TimerFormat] {
        match self {
            TimerStyle::Text | TimerStyle::Plate => {
                &[TimerFormat::D, TimerFormat::DH, TimerFormat::DHM]
            }
            TimerStyle::Classic | TimerStyle::Modern => &[TimerFormat::DHM, TimerFormat::DHMS],
        }
    }
}

impl TimerFormat {
    /// Every countdown format.
    pub const ALL: [TimerFormat; 4] = [
        TimerFormat::D,
        TimerFormat::DH,
        TimerFormat::DHM,
        TimerFormat::DHMS,
    ];

    /// The styles that allow this format: "picking a style narrows formats and vice versa".
    pub fn styles(self) -> Vec<TimerStyle> {
        TimerStyle::ALL
            .into_iter()
            .filter(|s| s.formats().contains(&self))
            .collect()
    }

    /// The units of the format, largest first.
    pub fn units(self) -> &'static [Unit] {
        use Unit::*;
        match self {
            TimerFormat::D => &[Days],
            TimerFormat::DH => &[Days, Hours],
            TimerFormat::DHM => &[Days, Hours, Minutes],
            TimerFormat::DHMS => &[Days, Hours, Minutes, Seconds],
        }
    }
}

/// Whether a style and a format go together.
pub fn compatible(style: TimerStyle, format: TimerFormat) -> bool {
    style.formats().contains(&format)
}

/// A countdown unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Days.
    Days,
    /// Hours.
    Hours,
    /// Minutes.
    Minutes,
    /// Seconds.
    Seconds,
}

impl Unit {
    const ALL: [Unit; 4] = [Unit::Days, Unit::Hours, Unit::Minutes, Unit::Seconds];

    fn seconds(self) -> i64 {
        match self {
            Unit::Days => 86_400,
            Unit::Hours => 3_600,
            Unit::Minutes => 60,
            Unit::Seconds => 1,
        }
    }

    /// The unit's name for `n` in `lang` ("3 дня", "1 hour").
    pub fn name(self, n: u64, lang: Lang) -> &'static str {
        let forms = match (self, lang) {
            (Unit::Days, Lang::Ru) => ["день", "дня", "дней"],
            (Unit::Hours, Lang::Ru) => ["час", "часа", "часов"],
            (Unit::Minutes, Lang::Ru) => ["минута", "минуты", "минут"],
            (Unit::Seconds, Lang::Ru) => ["секунда", "секунды", "секунд"],
            (Unit::Days, Lang::En) => ["day", "days", ""],
            (Unit::Hours, Lang::En) => ["hour", "hours", ""],
            (Unit::Minutes, Lang::En) => ["minute", "minutes", ""],
            (Unit::Seconds, Lang::En) => ["second", "seconds", ""],
        };
        plural(lang, n, forms)
    }
}

/// One shown unit of a countdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Part {
    /// Which unit.
    pub unit: Unit,
    /// How many of it, floored.
    pub value: u64,
}

/// What the countdown shows with `remaining` time left.
///
/// Units are those of the format, each floored (3 d 23 h in format D shows 3 days). With
/// "show zero values" on, every unit of the format shows ("0 days 5 hours"). With it off, "only
/// non-zero leading units show": leading zero units are dropped, and when every unit of the
/// format is zero the count moves down to the first finer unit that is not — "format D/H in the
/// last 24 h shows hours only; under 1 h it counts minutes" — and to seconds in the last minute.
/// At zero or below it shows the format's finest unit at 0.
pub fn countdown(remaining: Duration, format: TimerFormat, show_zeros: bool) -> Vec<Part> {
    let total = remaining.num_seconds().max(0);
    let units = format.units();
    let finest = *units.last().expect("a format has units");
    let value = |unit: Unit, finer_than: Option<Unit>| -> u64 {
        let above = match finer_than {
            Some(bigger) => total % bigger.seconds(),
            None => total,
        };
        (above / unit.seconds()) as u64
    };
    let parts: Vec<Part> = units
        .iter()
        .enumerate()
        .map(|(i, &unit)| Part {
            unit,
            value: value(unit, if i == 0 { None } else { Some(units[i - 1]) }),
        })
        .collect();
    if show_zeros {
        return parts;
    }
    if let Some(first) = parts.iter().position(|p| p.value > 0) {
        return parts[first..].to_vec();
    }
    // Every unit of the format is zero: count in the first finer unit that is not.
    Unit::ALL
        .iter()
        .filter(|u| **u > finest)
        .map(|&unit| Part {
            unit,
            value: (total / unit.seconds()) as u64,
        })
        .find(|p| p.value > 0)
        .map(|p| vec![p])
        .unwrap_or_else(|| {
            vec![Part {
                unit: finest,
                value: 0,
            }]
        })
}

/// The countdown as words, e.g. `3 дня 4 часа` or `3 days 4 hours`.
pub fn countdown_text(parts: &[Part], lang: Lang) -> String {
    parts
        .iter()
        .map(|p| format!("{} {}", p.value, p.unit.name(p.value, lang)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The countdown's look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PromoTimer {
    /// `text`, `plate`, `classic` or `modern`.
    pub style: TimerStyle,
    /// Which units show; the style must allow it.
    pub format: TimerFormat,
    /// "Show zero values": every unit of the format shows, zeros included.
    #[serde(default)]
    pub show_zeros: bool,
    /// "Timer color".
    pub color: Color,
    /// "text before timer".
    #[serde(default)]
    pub text_before: String,
}

impl PromoTimer {
    /// Longest text before the timer, in characters.
    pub const MAX_TEXT_BEFORE: usize = 60;
}

/// Promo image shapes with their recommended sizes: "square (1000×1000), vertical (800×1200),
/// horizontal 3:2 (1500×1000)".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImageShape {
    /// Square, 1000×1000 recommended.
    Square,
    /// Vertical, 800×1200 recommended.
    Vertical,
    /// Horizontal 3:2, 1500×1000 recommended.
    Horizontal,
}

impl ImageShape {
    /// Recommended width × height in px.
    pub fn recommended(self) -> (u32, u32) {
        match self {
            ImageShape::Square => (1000, 1000),
            ImageShape::Vertical => (800, 1200),
            ImageShape::Horizontal => (1500, 1000),
        }
    }
}

/// "aligned left/right/center of the form".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImageAlign {
    /// Left of the form.
    Left,
    /// Right of the form.
    Right,
    /// Centered on the form (the default).
    #[default]
    Center,
}

/// The promo image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PromoImage {
    /// The uploaded image.
    pub image: ImageRef,
    /// Its shape; the image must have the shape's proportions.
    pub shape: ImageShape,
    /// Where it sits relative to the form.
    #[serde(default)]
    pub align: ImageAlign,
}

/// A promo: "promo end date-time; optional automatic extension".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Promo {
    /// The promo's start.
    pub starts_at: DateTime<Utc>,
    /// "promo end date-time".
    pub ends_at: DateTime<Utc>,
    /// "automatic extension": at the end, both dates move forward by the original period.
    #[serde(default)]
    pub auto_extend: bool,
    /// The countdown; `None`: no countdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timer: Option<PromoTimer>,
    /// The promo image, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<PromoImage>,
}

/// Where a promo stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum PromoState {
    /// Running until `ends_at` (already moved forward by automatic extension).
    Running {
        /// Start of the current period.
        starts_at: DateTime<Utc>,
        /// End of the current period.
        ends_at: DateTime<Utc>,
    },
    /// "at the end without extension the widget switches itself off and the dashboard marks it
    /// 'Promo finished'".
    Finished,
}

impl Promo {
    /// The promo at `now`. With automatic extension, "at the end, both dates move forward by
    /// the original period: 1 Jan 00:00–10 Jan 00:00 becomes 10 Jan 00:00–19 Jan 00:00", as many
    /// periods as have passed. The end instant itself belongs to the next period.
    pub fn state(&self, now: DateTime<Utc>) -> PromoState {
        if now < self.ends_at {
            return PromoState::Running {
                starts_at: self.starts_at,
                ends_at: self.ends_at,
            };
        }
        let period = self.ends_at - self.starts_at;
        if !self.auto_extend || period <= Duration::zero() {
            return PromoState::Finished;
        }
        let passed = (now - self.ends_at).num_seconds() / period.num_seconds() + 1;
        let shift = Duration::seconds(period.num_seconds() * passed);
        PromoState::Running {
            starts_at: self.starts_at + shift,
            ends_at: self.ends_at + shift,
        }
    }

    /// Every problem of the promo under `path`.
    pub fn validate(&self, path: &str, problems: &mut Problems) {
        if self.ends_at <= self.starts_at {
            problems.add(format!("{path}.ends_at"), "must be after the start");
        }
        if let Some(timer) = &self.timer {
            if !compatible(timer.style, timer.format) {
                problems.add(
                    format!("{path}.timer.format"),
                    "this style does not offer this format: text and plate show D, D/H or D/H/M; \
                     classic and modern show D/H/M or D/H/M/S",
                );
            }
            if timer.text_before.chars().count() > PromoTimer::MAX_TEXT_BEFORE {
                problems.add(
                    format!("{path}.timer.text_before"),
                    format!("at most {} characters", PromoTimer::MAX_TEXT_BEFORE),
                );
            }
        }
        if let Some(img) = &self.image {
            img.image
                .validate_common(&format!("{path}.image.image"), problems);
            let (w, h) = img.shape.recommended();
            let (iw, ih) = (
                img.image.width.max(1) as f64,
                img.image.height.max(1) as f64,
            );
            let want = w as f64 / h as f64;
            if ((iw / ih) / want - 1.0).abs() > 0.05 {
                problems.add(
                    format!("{path}.image.shape"),
                    format!(
                        "a {} image should have the proportions of {w}×{h}; this one is {}×{}",
                        match img.shape {
                            ImageShape::Square => "square",
                            ImageShape::Vertical => "vertical",
                            ImageShape::Horizontal => "horizontal",
                        },
                        img.image.width,
                        img.image.height
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(d: u32, h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, d, h, m, s).unwrap()
    }

    fn promo(auto_extend: bool) -> Promo {
        Promo {
            starts_at: at(1, 0, 0, 0),
            ends_at: at(10, 0, 0, 0),
            auto_extend,
            timer: None,
            image: None,
        }
    }

    /// SPEC §2.7: "1 Jan 00:00–10 Jan 00:00 becomes 10 Jan 00:00–19 Jan 00:00".
    #[test]
    fn promo_extension_1_jan_to_10_jan_becomes_10_jan_to_19_jan() {
        let p = promo(true);
        assert_eq!(
            p.state(at(10, 0, 0, 1)),
            PromoState::Running {
                starts_at: at(10, 0, 0, 0),
                ends_at: at(19, 0, 0, 0)
            }
        );
        assert_eq!(
            p.state(at(9, 23, 59, 59)),
            PromoState::Running {
                starts_at: at(1, 0, 0, 0),
                ends_at: at(10, 0, 0, 0)
            }
        );
        // Two periods later: 19 Jan–28 Jan.
        assert_eq!(
            p.state(at(20, 12, 0, 0)),
            PromoState::Running {
                starts_at: at(19, 0, 0, 0),
                ends_at: at(28, 0, 0, 0)
            }
        );
    }

    #[test]
    fn promo_without_extension_finishes_at_its_end() {
        let p = promo(false);
        assert!(matches!(
            p.state(at(9, 23, 59, 59)),
            PromoState::Running { .. }
        ));
        assert_eq!(p.state(at(10, 0, 0, 0)), PromoState::Finished);
        assert_eq!(p.state(at(25, 0, 0, 0)), PromoState::Finished);
    }

    /// The compatibility table of SPEC §2.7 and seed 000, row by row.
    #[test]
    fn style_and_format_compatibility_table() {
        use TimerFormat::*;
        use TimerStyle::*;
        let table = [
            (Text, [true, true, true, false]),
            (Plate, [true, true, true, false]),
            (Classic, [false, false, true, true]),
            (Modern, [false, false, true, true]),
        ];
        for (style, row) in table {
            for (format, want) in [D, DH, DHM, DHMS].into_iter().zip(row) {
                assert_eq!(compatible(style, format), want, "{style:?} {format:?}");
            }
        }
        assert_eq!(D.styles(), vec![Text, Plate]);
        assert_eq!(DHM.styles(), vec![Text, Plate, Classic, Modern]);
        assert_eq!(DHMS.styles(), vec![Classic, Modern]);
    }

    fn shown(secs: i64, format: TimerFormat, zeros: bool) -> String {
        countdown_text(&countdown(Duration::seconds(secs), format, zeros), Lang::En)
    }

    const DAY: i64 = 86_400;
    const HOUR: i64 = 3_600;
    const MIN: i64 = 60;

    #[test]
    fn countdown_for_every_format_with_zeros_on_and_off() {
        use TimerFormat::*;
        let cases: &[(i64, TimerFormat, bool, &str)] = &[
            (3 * DAY + 4 * HOUR + 5 * MIN + 6, D, false, "3 days"),
            (3 * DAY + 23 * HOUR, D, false, "3 days"),
            (
                3 * DAY + 4 * HOUR + 5 * MIN + 6,
                DH,
                false,
                "3 days 4 hours",
            ),
            (
                3 * DAY + 4 * HOUR + 5 * MIN + 6,
                DHM,
                false,
                "3 days 4 hours 5 minutes",
            ),
            (
                3 * DAY + 4 * HOUR + 5 * MIN + 6,
                DHMS,
                false,
                "3 days 4 hours 5 minutes 6 seconds",
            ),
            // Inner zeros stay; only leading zeros go.
            (2 * DAY + 5 * MIN, DHM, false, "2 days 0 hours 5 minutes"),
            // "format D/H in the last 24 h shows hours only"
            (5 * HOUR + 30 * MIN, DH, false, "5 hours"),
            // "under 1 h it counts minutes"
            (40 * MIN + 10, DH, false, "40 minutes"),
            (40 * MIN + 10, D, false, "40 minutes"),
            (5 * HOUR, D, false, "5 hours"),
            (45, DHM, false, "45 seconds"),
            (1, DH, false, "1 second"),
            (0, DH, false, "0 hours"),
            (-30, DHMS, false, "0 seconds"),
            // Show zero values: the format's units, always.
            (5 * HOUR + 30 * MIN, DH, true, "0 days 5 hours"),
            (40 * MIN, DH, true, "0 days 0 hours"),
            (3 * DAY + 4 * HOUR, D, true, "3 days"),
            (61, DHMS, true, "0 days 0 hours 1 minute 1 second"),
        ];
        for (secs, format, zeros, want) in cases {
            assert_eq!(
                shown(*secs, *format, *zeros),
                *want,
                "{secs}s {format:?} zeros={zeros}"
            );
        }
    }

    #[test]
    fn countdown_speaks_russian_plurals() {
        let parts = countdown(
            Duration::seconds(2 * DAY + 21 * HOUR + 5 * MIN),
            TimerFormat::DHM,
            false,
        );
        assert_eq!(countdown_text(&parts, Lang::Ru), "2 дня 21 час 5 минут");
    }

    #[test]
    fn validation_checks_dates_compatibility_text_and_image_shape() {
        let mut p = promo(false);
        p.ends_at = p.starts_at;
        p.timer = Some(PromoTimer {
            style: TimerStyle::Modern,
            format: TimerFormat::D,
            show_zeros: false,
            color: Color::rgb(0, 0, 0),
            text_before: "x".repeat(61),
        });
        p.image = Some(PromoImage {
            image: ImageRef::test_png(1500, 1000, 100_000),
            shape: ImageShape::Square,
            align: ImageAlign::Left,
        });
        let mut problems = Problems::new();
        p.validate("promo", &mut problems);
        let paths: Vec<_> = problems.into_vec().into_iter().map(|p| p.path).collect();
        assert_eq!(
            paths,
            [
                "promo.ends_at",
                "promo.timer.format",
                "promo.timer.text_before",
                "promo.image.shape"
            ]
        );
        let mut ok = promo(true);
        ok.image = Some(PromoImage {
            image: ImageRef::test_png(800, 1200, 100_000),
            shape: ImageShape::Vertical,
            align: ImageAlign::Right,
        });
        let mut problems = Problems::new();
        ok.validate("promo", &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
    }

    /// "text before timer" is at most 60 characters.
    #[test]
    fn the_text_before_the_timer_is_at_most_60_characters() {
        let problems = |len: usize| {
            let mut p = promo(false);
            p.timer = Some(PromoTimer {
                style: TimerStyle::Classic,
                format: TimerFormat::DHMS,
                show_zeros: false,
                color: Color::rgb(0, 0, 0),
                text_before: "ж".repeat(len),
            });
            let mut pr = Problems::new();
            p.validate("promo", &mut pr);
            pr.into_vec()
                .into_iter()
                .map(|p| p.path)
                .collect::<Vec<_>>()
        };
        assert!(problems(PromoTimer::MAX_TEXT_BEFORE).is_empty());
        assert_eq!(
            problems(PromoTimer::MAX_TEXT_BEFORE + 1),
            ["promo.timer.text_before"]
        );
    }
}
