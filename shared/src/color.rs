//! Colors: "Primary and secondary colors (HEX or RGB) apply to all elements" (SPEC §2.2).
//!
//! A marketer may type `#1a73e8`, `#17e` or `rgb(26, 115, 232)`; all are stored in one normal
//! form, lowercase `#rrggbb`, so two spellings of one color compare equal.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An opaque sRGB color.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Color {
    /// Red, 0–255.
    pub r: u8,
    /// Green, 0–255.
    pub g: u8,
    /// Blue, 0–255.
    pub b: u8,
}

impl Color {
    /// The color with these red, green and blue components.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Self { r, g, b }
    }

    /// The normal form, `#rrggbb`, ready for CSS.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }

    /// WCAG 2 relative luminance: 0 for black, 1 for white.
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.r) + 0.7152 * channel(self.g) + 0.0722 * channel(self.b)
    }

    /// WCAG 2 contrast ratio of text in one color on the other, from 1 (none) to 21.
    pub fn contrast(self, other: Color) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }
}

/// WCAG 2 AA: the least contrast of normal text on its background.
pub const MIN_TEXT_CONTRAST: f64 = 4.5;
/// WCAG 2 AA: the least contrast of an icon or a control's edge ("non-text contrast").
pub const MIN_ICON_CONTRAST: f64 = 3.0;

/// Why a color text was not understood; the message tells the marketer the accepted forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadColor(pub String);

impl fmt::Display for BadColor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a color: use HEX (#1a73e8 or #17e) or RGB (rgb(26, 115, 232))",
            self.0
        )
    }
}

impl std::error::Error for BadColor {}

impl FromStr for Color {
    type Err = BadColor;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || BadColor(text.to_string());
        let t = text.trim();
        if let Some(hex) = t.strip_prefix('#') {
            let digit = |c: char| c.to_digit(16).ok_or_else(bad);
            let chars: Vec<char> = hex.chars().collect();
            return match chars.len() {
                3 => {
                    let mut v = [0u8; 3];
                    for (i, c) in chars.iter().enumerate() {
                        v[i] = (digit(*c)? * 17) as u8;
                    }
                    Ok(Color::rgb(v[0], v[1], v[2]))
                }
                6 => {
                    let mut v = [0u8; 3];
                    for i in 0..3 {
                        v[i] = (digit(chars[2 * i])? * 16 + digit(chars[2 * i + 1])?) as u8;
                    }
                    Ok(Color::rgb(v[0], v[1], v[2]))
                }
                _ => Err(bad()),
            };
        }
        let lower = t.to_ascii_lowercase();
        let inner = lower
            .strip_prefix("rgb(")
            .and_then(|s| s.strip_suffix(')'))
            .ok_or_else(bad)?;
        let parts: Vec<u8> = inner
            .split(',')
            .map(|p| p.trim().parse::<u8>().map_err(|_| bad()))
            .collect::<Result<_, _>>()?;
        match parts[..] {
            [r, g, b] => Ok(Color::rgb(r, g, b)),
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hex())
    }
}

impl TryFrom<String> for Color {
    type Error = BadColor;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Color> for String {
    fn from(c: Color) -> String {
        c.hex()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_follows_wcag() {
        let white = Color::rgb(255, 255, 255);
        let black = Color::rgb(0, 0, 0);
        assert!((white.contrast(black) - 21.0).abs() < 1e-9);
        assert!((white.contrast(white) - 1.0).abs() < 1e-9);
        // The default button: white on #1a73e8, just above AA for text.
        let blue = Color::rgb(0x1a, 0x73, 0xe8);
        let c = blue.contrast(white);
        assert!((4.5..4.6).contains(&c), "{c}");
        assert_eq!(c, white.contrast(blue), "symmetric");
        // Yellow on white: too pale even for an icon.
        assert!(Color::rgb(0xff, 0xeb, 0x3b).contrast(white) < MIN_ICON_CONTRAST);
    }

    #[test]
    fn every_accepted_spelling_normalizes_to_hex() {
        let cases = [
            ("#1a73e8", "#1a73e8"),
            ("#1A73E8", "#1a73e8"),
            ("#17e", "#1177ee"),
            ("rgb(26, 115, 232)", "#1a73e8"),
            ("RGB(0,0,0)", "#000000"),
            ("  #ffffff ", "#ffffff"),
        ];
        for (input, want) in cases {
            assert_eq!(input.parse::<Color>().unwrap().hex(), want, "{input}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_color_with_a_helpful_message() {
        for input in [
            "",
            "#12",
            "#1234567",
            "#ggg",
            "rgb(1,2)",
            "rgb(1,2,300)",
            "blue",
        ] {
            let err = input.parse::<Color>().unwrap_err();
            assert!(err.to_string().contains("use HEX"), "{input}");
        }
    }

    #[test]
    fn serde_uses_the_normal_form() {
        let c: Color = serde_json::from_str("\"rgb(255, 0, 0)\"").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"#ff0000\"");
        assert!(serde_json::from_str::<Color>("\"red\"").is_err());
    }

    #[test]
    fn display_writes_the_normal_form() {
        assert_eq!(Color::rgb(26, 115, 232).to_string(), "#1a73e8");
        assert_eq!(format!("{}", Color::rgb(0, 0, 0)), "#000000");
    }
}
