//! The Button: "floating phone button, always on screen (position: any corner/side; colors; size;
//! pulse animation on/off)" (SPEC §2.1).

use crate::color::Color;
use crate::validation::Problems;
use serde::{Deserialize, Serialize};

/// Where the floating button sits: any corner or the middle of any side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ButtonPosition {
    /// Top left corner.
    TopLeft,
    /// Middle of the top side.
    Top,
    /// Top right corner.
    TopRight,
    /// Middle of the right side.
    Right,
    /// Bottom right corner (the default).
    BottomRight,
    /// Middle of the bottom side.
    Bottom,
    /// Bottom left corner.
    BottomLeft,
    /// Middle of the left side.
    Left,
}

impl ButtonPosition {
    /// CSS placement of a `position: fixed` element of `size` px at this position, with
    /// `margin` px from the window's edges.
    pub fn css(self, size: u16, margin: u16) -> String {
        let half = size / 2;
        let centered_h = format!("left:calc(50% - {half}px)");
        let centered_v = format!("top:calc(50% - {half}px)");
        let (v, h) = match self {
            ButtonPosition::TopLeft => (format!("top:{margin}px"), format!("left:{margin}px")),
            ButtonPosition::Top => (format!("top:{margin}px"), centered_h),
            ButtonPosition::TopRight => (format!("top:{margin}px"), format!("right:{margin}px")),
            ButtonPosition::Right => (centered_v, format!("right:{margin}px")),
            ButtonPosition::BottomRight => {
                (format!("bottom:{margin}px"), format!("right:{margin}px"))
            }
            ButtonPosition::Bottom => (format!("bottom:{margin}px"), centered_h),
            ButtonPosition::BottomLeft => {
                (format!("bottom:{margin}px"), format!("left:{margin}px"))
            }
            ButtonPosition::Left => (centered_v, format!("left:{margin}px")),
        };
        format!("{v};{h}")
    }
}

/// How the button looks. Each widget has one for working hours and one for off-hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ButtonLook {
    /// Where the button sits on the screen.
    pub position: ButtonPosition,
    /// Fill of the round button.
    pub color: Color,
    /// Color of the phone icon on the button.
    pub icon_color: Color,
    /// Diameter in CSS pixels.
    pub size: u16,
    /// Pulse animation on/off.
    pub pulse: bool,
}

impl ButtonLook {
    /// Distance of the floating button from the window's edges, in px.
    pub const MARGIN: u16 = 20;

    /// The button's inline CSS: where it sits, its size and its two colors. The loader draws
    /// the button with it before the widget's code arrives; the widget draws it the same way.
    pub fn style(&self) -> String {
        format!(
            "{};width:{size}px;height:{size}px;background-color:{};color:{}",
            self.position.css(self.size, Self::MARGIN),
            self.color.hex(),
            self.icon_color.hex(),
            size = self.size,
        )
    }

    /// Smallest button diameter, in px: below this a thumb misses it on a phone.
    pub const MIN_SIZE: u16 = 40;
    /// Largest button diameter, in px.
    pub const MAX_SIZE: u16 = 96;

    /// Every problem under `path`: the size must be 40–96 px.
    pub fn validate(&self, path: &str, problems: &mut Problems) {
        problems.check_range(
            format!("{path}.size"),
            self.size,
            Self::MIN_SIZE,
            Self::MAX_SIZE,
            " px",
        );
    }
}

impl Default for ButtonLook {
    fn default() -> Self {
        Self {
            position: ButtonPosition::BottomRight,
            color: Color::rgb(0x1a, 0x73, 0xe8),
            icon_color: Color::rgb(0xff, 0xff, 0xff),
            size: 60,
            pulse: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_style_places_sizes_and_colors_the_button() {
        assert_eq!(
            ButtonLook::default().style(),
            "bottom:20px;right:20px;width:60px;height:60px;background-color:#1a73e8;color:#ffffff"
        );
    }

    #[test]
    fn css_places_the_button_at_every_corner_and_side() {
        let cases = [
            (ButtonPosition::TopLeft, "top:20px;left:20px"),
            (ButtonPosition::Top, "top:20px;left:calc(50% - 30px)"),
            (ButtonPosition::TopRight, "top:20px;right:20px"),
            (ButtonPosition::Right, "top:calc(50% - 30px);right:20px"),
            (ButtonPosition::BottomRight, "bottom:20px;right:20px"),
            (ButtonPosition::Bottom, "bottom:20px;left:calc(50% - 30px)"),
            (ButtonPosition::BottomLeft, "bottom:20px;left:20px"),
            (ButtonPosition::Left, "top:calc(50% - 30px);left:20px"),
        ];
        for (pos, css) in cases {
            assert_eq!(pos.css(60, 20), css, "{pos:?}");
        }
    }

    #[test]
    fn size_outside_the_range_is_a_problem() {
        for (size, ok) in [(39, false), (40, true), (60, true), (96, true), (97, false)] {
            let mut p = Problems::new();
            ButtonLook {
                size,
                ..ButtonLook::default()
            }
            .validate("button", &mut p);
            assert_eq!(p.is_empty(), ok, "size {size}");
        }
    }
}
