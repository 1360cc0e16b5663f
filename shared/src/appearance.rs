//! Appearance (SPEC §2): "Elements, each designed in the cabinet, each with a working-hours and
//! an off-hours variant and adapted to phones": the button, the main form, the countdown timer,
//! the invitation dialog and the after-order message. Their texts live in [`crate::texts`].

use crate::button::{ButtonLook, ButtonPosition};
use crate::color::{Color, MIN_ICON_CONTRAST, MIN_TEXT_CONTRAST};
use crate::texts::{Lang, Texts};
use crate::validation::Problems;
use serde::{Deserialize, Serialize};

/// Image file types the cabinet accepts: "png/jpeg/gif".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImageType {
    /// A PNG file.
    Png,
    /// A JPEG file.
    Jpeg,
    /// A GIF file.
    Gif,
}

impl ImageType {
    /// The type of a MIME string, if accepted.
    pub fn from_mime(mime: &str) -> Option<ImageType> {
        match mime.trim().to_ascii_lowercase().as_str() {
            "image/png" => Some(ImageType::Png),
            "image/jpeg" | "image/jpg" => Some(ImageType::Jpeg),
            "image/gif" => Some(ImageType::Gif),
            _ => None,
        }
    }
}

/// An uploaded image, with what the upload measured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ImageRef {
    /// Where the image is served from (the worker's media path).
    pub url: String,
    /// The file type.
    pub kind: ImageType,
    /// Width in px, as measured on upload.
    pub width: u32,
    /// Height in px, as measured on upload.
    pub height: u32,
    /// File size in bytes.
    pub bytes: u32,
}

impl ImageRef {
    /// "600 KB" for logos, backgrounds and promo images.
    pub const MAX_BYTES: u32 = 600 * 1024;
    /// "Logo ... at most 250×80 px".
    pub const LOGO_MAX: (u32, u32) = (250, 80);
    /// "background image (recommended 1200×800 ...)".
    pub const BACKGROUND_RECOMMENDED: (u32, u32) = (1200, 800);

    /// Size and URL checks shared by every image.
    pub fn validate_common(&self, path: &str, problems: &mut Problems) {
        if self.url.trim().is_empty() {
            problems.add(format!("{path}.url"), "must not be empty");
        } else if self.url.chars().any(char::is_control) {
            problems.add(format!("{path}.url"), "must not contain control characters");
        }
        if self.bytes > Self::MAX_BYTES {
            problems.add(
                format!("{path}.bytes"),
                format!(
                    "the file is {} KB; at most 600 KB is allowed",
                    self.bytes.div_ceil(1024)
                ),
            );
        }
        if self.width == 0 || self.height == 0 {
            problems.add(format!("{path}.width"), "the image has no size");
        }
    }

    /// Logo checks: common ones plus "at most 250×80 px".
    pub fn validate_logo(&self, path: &str, problems: &mut Problems) {
        self.validate_common(path, problems);
        let (w, h) = Self::LOGO_MAX;
        if self.width > w || self.height > h {
            problems.add(
                format!("{path}.width"),
                format!(
                    "a logo is at most {w}×{h} px; this one is {}×{}",
                    self.width, self.height
                ),
            );
        }
    }

    /// A PNG for tests.
    #[doc(hidden)]
    pub fn test_png(width: u32, height: u32, bytes: u32) -> ImageRef {
        ImageRef {
            url: "/media/test.png".into(),
            kind: ImageType::Png,
            width,
            height,
            bytes,
        }
    }
}

/// Form styles: "`modern` (shows an illustration chosen from a set), `minimal` (no
/// illustration), `unstyled` (no frame, no illustration)".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FormStyle {
    /// "shows an illustration chosen from a set" (the default).
    #[default]
    Modern,
    /// "no illustration".
    Minimal,
    /// "no frame, no illustration".
    Unstyled,
}

/// The illustrations of the modern style (SVG assets shipped with the widget).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Illustration {
    /// An operator (the default).
    #[default]
    Operator,
    /// A headset.
    Headset,
    /// A smartphone.
    Smartphone,
}

impl Illustration {
    /// Every illustration the modern style offers.
    pub const ALL: [Illustration; 3] = [
        Illustration::Operator,
        Illustration::Headset,
        Illustration::Smartphone,
    ];
}

/// "Position on open: center (default) or any corner".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FormPosition {
    /// In the middle of the window (the default).
    #[default]
    Center,
    /// Top left corner.
    TopLeft,
    /// Top right corner.
    TopRight,
    /// Bottom left corner.
    BottomLeft,
    /// Bottom right corner.
    BottomRight,
}

/// The consent line: "By pressing the button you agree to the processing of personal data"
/// linking the policy URL ("default: the site's home page; can be switched off").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Consent {
    /// The line shows; "can be switched off".
    pub enabled: bool,
    /// `None`: the site's home page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_url: Option<String>,
}

impl Default for Consent {
    fn default() -> Self {
        Consent {
            enabled: true,
            policy_url: None,
        }
    }
}

impl Consent {
    /// The link shown: the policy URL, or the site's home page.
    pub fn link(&self, site_domain: &str) -> Option<String> {
        self.enabled.then(|| {
            self.policy_url
                .clone()
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| format!("https://{site_domain}/"))
        })
    }
}

/// The main form's look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct FormLook {
    /// `modern`, `minimal` or `unstyled`.
    #[serde(default)]
    pub style: FormStyle,
    /// The picture of the `modern` style.
    #[serde(default)]
    pub illustration: Illustration,
    /// Where the form opens.
    #[serde(default)]
    pub position: FormPosition,
    /// "Corner radius 0–24 px slider (default sharp)".
    #[serde(default)]
    pub radius: u8,
    /// "Logo (png/jpeg/gif, at most 250×80 px, 600 KB) above content".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<ImageRef>,
    /// "background image (recommended 1200×800, 600 KB)".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<ImageRef>,
    /// "Primary and secondary colors (HEX or RGB) apply to all elements."
    pub primary: Color,
    /// The second of the two colors that apply to all elements.
    pub secondary: Color,
    /// Ask the visitor's name too.
    #[serde(default)]
    pub name_field: bool,
    /// The consent line and its policy link.
    #[serde(default)]
    pub consent: Consent,
}

impl Default for FormLook {
    fn default() -> Self {
        FormLook {
            style: FormStyle::Modern,
            illustration: Illustration::Operator,
            position: FormPosition::Center,
            radius: 0,
            logo: None,
            background: None,
            primary: Color::rgb(0x1a, 0x73, 0xe8),
            secondary: Color::rgb(0xff, 0xff, 0xff),
            name_field: false,
            consent: Consent::default(),
        }
    }
}

impl FormLook {
    /// Largest corner radius, px.
    pub const MAX_RADIUS: u8 = 24;

    /// Every problem under `path`: the radius, the images and the policy URL.
    pub fn validate(&self, path: &str, problems: &mut Problems) {
        problems.check_range(
            format!("{path}.radius"),
            self.radius,
            0,
            Self::MAX_RADIUS,
            " px",
        );
        if let Some(logo) = &self.logo {
            logo.validate_logo(&format!("{path}.logo"), problems);
        }
        if let Some(bg) = &self.background {
            bg.validate_common(&format!("{path}.background"), problems);
        }
        if let Some(url) = &self.consent.policy_url {
            if !url.trim().is_empty() {
                if let Some(problem) = crate::validation::web_address_problem(url) {
                    problems.add(format!("{path}.consent.policy_url"), problem);
                }
            }
        }
    }
}

/// The countdown timer: "after a "call me now" order in working hours, a popup counts seconds
/// until the phone should ring (configurable start, e.g. 30 s). Not shown off-hours."
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CallTimer {
    /// The timer shows after a "call me now" order in working hours.
    pub enabled: bool,
    /// Seconds the timer counts down from: "configurable start, e.g. 30 s".
    pub start_secs: u16,
}

impl Default for CallTimer {
    fn default() -> Self {
        CallTimer {
            enabled: true,
            start_secs: 30,
        }
    }
}

impl CallTimer {
    /// Shortest timer start, in seconds.
    pub const MIN_SECS: u16 = 10;
    /// Longest timer start, in seconds.
    pub const MAX_SECS: u16 = 120;
}

/// One variant of the widget's look (working hours or off-hours).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Look {
    /// The floating button.
    #[serde(default)]
    pub button: ButtonLook,
    /// The main form.
    #[serde(default)]
    pub form: FormLook,
    /// The texts, with the marketer's overrides.
    #[serde(default)]
    pub texts: Texts,
}

/// Adjustments for phones; everything else is inherited from the desktop look and adapted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct MobileLook {
    /// Button diameter on phones; `None`: the desktop size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_size: Option<u16>,
    /// Button position on phones; `None`: the desktop position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_position: Option<ButtonPosition>,
}

/// The widget's language: the page's `lang` by default, or fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LangSetting {
    /// Follow the page's `lang` attribute (the default).
    #[default]
    Auto,
    /// Always Russian.
    Ru,
    /// Always English.
    En,
}

impl LangSetting {
    /// The language to use on a page whose `lang` attribute is `page_lang`.
    pub fn resolve(self, page_lang: &str) -> Lang {
        match self {
            LangSetting::Auto => Lang::from_tag(page_lang),
            LangSetting::Ru => Lang::Ru,
            LangSetting::En => Lang::En,
        }
    }
}

/// Everything a visitor sees, per variant.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Appearance {
    /// Which language the texts are in.
    #[serde(default)]
    pub lang: LangSetting,
    /// The working-hours variant.
    #[serde(default)]
    pub working: Look,
    /// The off-hours variant: "the visitor can only pick a time inside working hours"
    /// (SPEC §3).
    #[serde(default)]
    pub off_hours: Look,
    /// Adjustments for phones.
    #[serde(default)]
    pub mobile: MobileLook,
    /// Working hours only.
    #[serde(default)]
    pub timer: CallTimer,
}

impl Appearance {
    /// Every problem under `path`, in both variants.
    pub fn validate(&self, path: &str, problems: &mut Problems) {
        for (name, look) in [("working", &self.working), ("off_hours", &self.off_hours)] {
            let p = format!("{path}.{name}");
            look.button.validate(&format!("{p}.button"), problems);
            look.form.validate(&format!("{p}.form"), problems);
            look.texts.validate(&format!("{p}.texts"), problems);
        }
        if let Some(size) = self.mobile.button_size {
            problems.check_range(
                format!("{path}.mobile.button_size"),
                size,
                ButtonLook::MIN_SIZE,
                ButtonLook::MAX_SIZE,
                " px",
            );
        }
        problems.check_range(
            format!("{path}.timer.start_secs"),
            self.timer.start_secs,
            CallTimer::MIN_SECS,
            CallTimer::MAX_SECS,
            " s",
        );
    }

    /// "color contrast checked for the chosen colors (warn in cabinet)": advice, not an error,
    /// when the phone icon is hard to see on the button (below WCAG's 3:1 for icons) or the
    /// form's button text on the primary color is hard to read (below 4.5:1 for text).
    pub fn contrast_warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        for (name, look) in [
            ("working hours", &self.working),
            ("off-hours", &self.off_hours),
        ] {
            let (button, form) = (&look.button, &look.form);
            let pairs = [
                (
                    "the phone icon",
                    button.icon_color,
                    "hard to see on the button",
                    button.color,
                    MIN_ICON_CONTRAST,
                ),
                (
                    "the form's button text",
                    form.secondary,
                    "hard to read on the primary color",
                    form.primary,
                    MIN_TEXT_CONTRAST,
                ),
            ];
            for (what, fg, problem, bg, least) in pairs {
                let ratio = fg.contrast(bg);
                if ratio < least {
                    warnings.push(format!(
                        "{name}: {what} ({}) is {problem} ({}): contrast {ratio:.1}:1, at least {least}:1 advised",
                        fg.hex(),
                        bg.hex()
                    ));
                }
            }
        }
        warnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pale_colors_get_a_contrast_warning() {
        let mut a = Appearance::default();
        assert!(
            a.contrast_warnings().is_empty(),
            "the defaults are readable"
        );
        a.working.button.icon_color = "#ffeb3b".parse().unwrap();
        a.working.button.color = "#ffffff".parse().unwrap();
        a.off_hours.form.primary = "#90caf9".parse().unwrap();
        let w = a.contrast_warnings();
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(
            w[0].starts_with("working hours: the phone icon (#ffeb3b)"),
            "{w:?}"
        );
        assert!(
            w[1].starts_with("off-hours: the form's button text (#ffffff)"),
            "{w:?}"
        );
    }

    #[test]
    fn consent_links_the_policy_or_the_home_page_or_nothing() {
        let mut c = Consent::default();
        assert_eq!(c.link("okna.ru").as_deref(), Some("https://okna.ru/"));
        c.policy_url = Some("https://okna.ru/privacy".into());
        assert_eq!(
            c.link("okna.ru").as_deref(),
            Some("https://okna.ru/privacy")
        );
        c.enabled = false;
        assert_eq!(c.link("okna.ru"), None);
    }

    #[test]
    fn image_rules_size_type_and_logo_dimensions() {
        assert_eq!(ImageType::from_mime("image/JPEG"), Some(ImageType::Jpeg));
        assert_eq!(ImageType::from_mime("image/webp"), None);
        let mut p = Problems::new();
        ImageRef::test_png(250, 80, 600 * 1024).validate_logo("logo", &mut p);
        assert!(p.is_empty(), "{p:?}");
        ImageRef::test_png(251, 80, 600 * 1024 + 1).validate_logo("logo", &mut p);
        let p = p.into_vec();
        assert_eq!(p.len(), 2);
        assert_eq!(
            p[0].message,
            "the file is 601 KB; at most 600 KB is allowed"
        );
        assert_eq!(
            p[1].message,
            "a logo is at most 250×80 px; this one is 251×80"
        );
    }

    #[test]
    fn every_range_of_the_look_is_checked_with_its_path() {
        let mut a = Appearance::default();
        a.off_hours.form.radius = 25;
        a.working.button.size = 100;
        a.mobile.button_size = Some(20);
        a.timer.start_secs = 5;
        a.working.form.consent.policy_url = Some("okna.ru/privacy".into());
        let mut p = Problems::new();
        a.validate("appearance", &mut p);
        let paths: Vec<_> = p.into_vec().into_iter().map(|p| p.path).collect();
        assert_eq!(
            paths,
            [
                "appearance.working.button.size",
                "appearance.working.form.consent.policy_url",
                "appearance.off_hours.form.radius",
                "appearance.mobile.button_size",
                "appearance.timer.start_secs",
            ]
        );
    }

    #[test]
    fn language_follows_the_page_unless_fixed() {
        assert_eq!(LangSetting::Auto.resolve("en-US"), Lang::En);
        assert_eq!(LangSetting::Auto.resolve(""), Lang::Ru);
        assert_eq!(LangSetting::Ru.resolve("en"), Lang::Ru);
        assert_eq!(LangSetting::En.resolve("ru"), Lang::En);
    }

    #[test]
    fn png_jpeg_and_gif_are_accepted() {
        for (mime, want) in [
            ("image/png", Some(ImageType::Png)),
            ("IMAGE/PNG ", Some(ImageType::Png)),
            ("image/jpeg", Some(ImageType::Jpeg)),
            ("image/jpg", Some(ImageType::Jpeg)),
            ("image/gif", Some(ImageType::Gif)),
            ("image/svg+xml", None),
        ] {
            assert_eq!(ImageType::from_mime(mime), want, "{mime}");
        }
    }

    /// "Logo (png/jpeg/gif, at most 250×80 px, 600 KB)": either side too big, or no size.
    #[test]
    fn logo_sizes() {
        let problems = |w: u32, h: u32| {
            let mut p = Problems::new();
            ImageRef::test_png(w, h, 1000).validate_logo("logo", &mut p);
            p.into_vec()
                .into_iter()
                .map(|p| p.message)
                .collect::<Vec<_>>()
        };
        assert!(problems(250, 80).is_empty());
        assert!(problems(200, 50).is_empty());
        assert!(problems(1, 1).is_empty());
        assert_eq!(
            problems(200, 81),
            ["a logo is at most 250×80 px; this one is 200×81"]
        );
        assert_eq!(
            problems(251, 10),
            ["a logo is at most 250×80 px; this one is 251×10"]
        );
        assert_eq!(problems(0, 10), ["the image has no size"]);
        assert_eq!(problems(10, 0), ["the image has no size"]);
    }

    #[test]
    fn the_policy_url_is_empty_or_a_web_address() {
        for (url, ok) in [
            ("", true),
            ("  ", true),
            ("https://okna.ru/privacy", true),
            ("http://okna.ru/privacy", true),
            ("okna.ru/privacy", false),
            ("ftp://okna.ru/privacy", false),
        ] {
            let mut look = FormLook::default();
            look.consent.policy_url = Some(url.into());
            let mut p = Problems::new();
            look.validate("form", &mut p);
            assert_eq!(p.is_empty(), ok, "{url:?}");
        }
    }
}
