//! Device types: "adapted to phones (smartphone = mobile layout; desktop, laptop, tablet, TV =
//! desktop layout)" (SPEC §2) and "Devices: allow/deny per device type (desktop, tablet,
//! mobile)" (SPEC §3).
//!
//! The type comes from the request's `User-Agent` (and the `Sec-CH-UA-Mobile` client hint when
//! the browser sends it) by a short documented rule set rather than a parser crate: we need
//! three classes, not browser names and versions, and full parsers carry hundreds of KB of
//! regexes into the worker. The rules, first match wins:
//!
//! 1. `Sec-CH-UA-Mobile: ?1` → mobile; `?0` with no tablet marker below → desktop.
//! 2. Tablet markers: `iPad`, `Tablet`, `PlayBook`, `Kindle`, `Silk`, or `Android` without
//!    `Mobile` (Android phones always say `Mobile`; Android tablets do not) → tablet.
//! 3. Phone markers: `Mobi` (covers `Mobile`), `iPhone`, `iPod`, `Windows Phone`,
//!    `Opera Mini`, `BlackBerry`, `BB10` → mobile.
//! 4. Everything else (desktops, laptops, TVs, consoles, bots, an empty string) → desktop.
//!
//! iPadOS 13+ in its default "desktop site" mode sends a Macintosh user agent and is seen as a
//! desktop, which is also the layout the SPEC wants for tablets.

use serde::{Deserialize, Serialize};

/// The device classes conditions can allow or deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeviceType {
    /// Desktops, laptops, TVs and anything not recognized as a tablet or phone.
    Desktop,
    /// Tablets.
    Tablet,
    /// Smartphones.
    Mobile,
}

/// The widget's two layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// For desktops, laptops, tablets and TVs.
    Desktop,
    /// For smartphones.
    Mobile,
}

impl DeviceType {
    /// All device types, for editors and reference models.
    pub const ALL: [DeviceType; 3] = [DeviceType::Desktop, DeviceType::Tablet, DeviceType::Mobile];

    /// "smartphone = mobile layout; desktop, laptop, tablet, TV = desktop layout".
    pub fn layout(self) -> Layout {
        match self {
            DeviceType::Mobile => Layout::Mobile,
            DeviceType::Desktop | DeviceType::Tablet => Layout::Desktop,
        }
    }

    /// Classifies a request by the rules in the module documentation. `ch_mobile` is the
    /// `Sec-CH-UA-Mobile` client hint (`Some(true)` for `?1`).
    pub fn from_request(user_agent: &str, ch_mobile: Option<bool>) -> DeviceType {
        let has = |needle: &str| user_agent.contains(needle);
        let tablet = has("iPad")
            || has("Tablet")
            || has("PlayBook")
            || has("Kindle")
            || has("Silk")
            || (has("Android") && !has("Mobile"));
        match ch_mobile {
            Some(true) => return DeviceType::Mobile,
            Some(false) if !tablet => return DeviceType::Desktop,
            _ => {}
        }
        if tablet {
            DeviceType::Tablet
        } else if has("Mobi")
            || has("iPhone")
            || has("iPod")
            || has("Windows Phone")
            || has("Opera Mini")
            || has("BlackBerry")
            || has("BB10")
        {
            DeviceType::Mobile
        } else {
            DeviceType::Desktop
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DeviceType::*;

    #[test]
    fn real_user_agents_are_classified() {
        let cases = [
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", Desktop),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15", Desktop),
            ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", Desktop),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1", Mobile),
            ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", Mobile),
            ("Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1", Tablet),
            ("Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", Tablet),
            ("Mozilla/5.0 (Linux; Android 9; KFMAWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/128.2.1 like Chrome/128.0.0.0 Safari/537.36", Tablet),
            ("Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.116 Mobile Safari/537.36 Edge/15.14977", Mobile),
            ("Opera/9.80 (J2ME/MIDP; Opera Mini/9.80 (S60; SymbOS; Opera Mobi/23.348; U; en) Presto/2.5.25 Version/10.54", Mobile),
            ("Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36", Desktop),
            ("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", Desktop),
            ("", Desktop),
        ];
        for (ua, want) in cases {
            assert_eq!(DeviceType::from_request(ua, None), want, "{ua}");
        }
    }

    #[test]
    fn the_mobile_client_hint_wins_except_for_tablet_markers() {
        let desktop_ua =
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 Chrome/131 Mobile Safari/537.36";
        assert_eq!(DeviceType::from_request(desktop_ua, Some(true)), Mobile);
        assert_eq!(DeviceType::from_request(desktop_ua, Some(false)), Desktop);
        let tablet =
            "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 Chrome/131 Safari/537.36";
        assert_eq!(DeviceType::from_request(tablet, Some(false)), Tablet);
    }

    #[test]
    fn only_phones_get_the_mobile_layout() {
        assert_eq!(Mobile.layout(), Layout::Mobile);
        assert_eq!(Tablet.layout(), Layout::Desktop);
        assert_eq!(Desktop.layout(), Layout::Desktop);
    }

    /// Rule 2 and rule 3: each marker alone is enough.
    #[test]
    fn each_marker_alone_decides() {
        let cases = [
            ("Mozilla/5.0 (iPad)", Tablet),
            ("Mozilla/5.0 (Tablet PC)", Tablet),
            ("Mozilla/5.0 (PlayBook)", Tablet),
            ("Mozilla/5.0 (Kindle/3.0)", Tablet),
            ("Mozilla/5.0 Silk/1.0", Tablet),
            ("Mozilla/5.0 (Linux; Android 13)", Tablet),
            ("Mozilla/5.0 (Linux; Android 13) Mobile", Mobile),
            ("Mozilla/5.0 Mobi", Mobile),
            ("Mozilla/5.0 (iPhone)", Mobile),
            ("Mozilla/5.0 (iPod touch)", Mobile),
            ("Mozilla/5.0 (Windows Phone 8.1)", Mobile),
            ("Opera/9.80 (Opera Mini/9.80)", Mobile),
            ("BlackBerry9700/5.0.0.862", Mobile),
            ("Mozilla/5.0 (BB10; Touch)", Mobile),
            ("Mozilla/5.0 (Windows NT 10.0)", Desktop),
        ];
        for (ua, want) in cases {
            assert_eq!(DeviceType::from_request(ua, None), want, "{ua}");
        }
    }

    /// Rule 1: `Sec-CH-UA-Mobile: ?1` → mobile, whatever the user agent says.
    #[test]
    fn the_mobile_hint_makes_any_user_agent_mobile() {
        for ua in [
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0.0.0 Safari/537.36",
            "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X)",
            "",
        ] {
            assert_eq!(DeviceType::from_request(ua, Some(true)), Mobile, "{ua}");
        }
    }
}
