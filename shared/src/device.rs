//! Device types: "adapted to phones (smartphone = mobile layout; desktop, laptop, tablet, TV =
//! desktop layout)" (SPEC §2) and "Devices: allow/deny per device type (desktop, tablet,
//! mobile)" (SPEC §3). So TVs, set-top boxes, game consoles, laptops, bots and anything unknown
//! are desktops; only phones (smartphones and feature phones) are mobile.
//!
//! The type comes from the request's `User-Agent` (and the `Sec-CH-UA-Mobile` client hint when
//! the browser sends it) by a short ordered list of substring markers rather than a parser crate
//! or regexes: we need three classes, not browser names and versions, and this code also runs in
//! the widget's wasm, built without the `server` feature, where every KB counts. The rules, first
//! match wins:
//!
//! 1. Large-screen markers → desktop, whatever the client hint says: the word `TV` (not touching
//!    an ASCII letter on either side: `Android TV`, `Google TV`, `SMART-TV`, `Smart TV`,
//!    `Opera TV`, `TV Safari`, `webOS.TV`, `NetCast.TV`, `(TV;`, `Apple TV`); `SmartTV`,
//!    `smart-tv`, `GoogleTV`, `AndroidTV` (Chromecast's `DeviceType/AndroidTV`), `AppleTV`,
//!    `HbbTV`, `CrKey` (Chromecast), `NetCast`, `Web0S` (LG), `BRAVIA`, `Roku`, `Large Screen`,
//!    `PhilipsTV`, `NETTV`, `VIDAA` (Hisense), `MiTV` (Xiaomi), `Andr0id` (Opera's TV browser on Sony and Fire TV sets),
//!    `InettvBrowser`, `Espial`, `tvOS`; `; AFT` (Fire TV models: `AFTMM`, `AFTT`, `AFTKA`…,
//!    whose Silk would otherwise read as a Kindle tablet) and ` OMI/` (Opera's TV engine); the
//!    consoles `Xbox`, `PlayStation`, `Nintendo`; and `Chromebook`, `Pixelbook` (laptops running
//!    Android apps, which send Android user agents).
//! 2. `Sec-CH-UA-Mobile: ?1` → mobile.
//! 3. Tablet markers → tablet: `iPad`, `Tablet` (but not IE's `Tablet PC` token, which Windows
//!    desktops with a pen or touch driver send), `PlayBook`, `Kindle`, `Silk`, `/apad` (Yandex's
//!    tablet apps), and `Windows NT` with `Touch` but no phone marker of rule 4 (IE 10 and 11 on
//!    Windows 8+ touch devices such as the Surface RT: Matomo's device detector counts them as
//!    tablets, as we do).
//! 4. Phone markers → mobile: `Mobi` (`Mobile`, `Opera Mobi`, `IEMobile`), `iPhone`, `iPod`,
//!    `Windows Phone`, `WPDesktop`, `Opera Mini`, `BlackBerry`, `BB10`.
//! 5. `Android` without a phone marker → tablet: Android phones say `Mobile`, Android tablets do
//!    not. This comes before rule 6 so that Android tablets of phone brands (`Nokia T20`,
//!    `SAMSUNG-SM-T217A`) stay tablets.
//! 6. Feature-phone and old phone-platform markers → mobile: `J2ME`, `MIDP`, `CLDC`, `Symbian`,
//!    `SymbOS`, `Series60`, `Series40`, `UP.Browser`, `Openwave`, `KaiOS`, `Nokia`,
//!    `SonyEricsson`, `SAMSUNG-` (`SAMSUNG-GT-E1200`…), `Obigo`, `NetFront`, `MAUI`, `WAP`,
//!    `DoCoMo`, `KDDI`, `BREW`, `UCWEB`, `Palm`, `webOS` (Palm's; LG's TVs stopped at rule 1),
//!    `Windows CE`, `Bada`, `Dolfin`, `Maemo`.
//! 7. Everything else (desktops, laptops, bots, an empty string) → desktop.
//!
//! `Sec-CH-UA-Mobile: ?0` turns a mobile result of rules 4 and 6 into desktop (the browser says it
//! is not showing a mobile page); tablets stay tablets.
//!
//! Case: markers match ASCII case-insensitively (vendors write `SmartTV`, `SMART-TV` and
//! `smart-tv`, `NOKIA` and `Nokia`, `BlackBerry` and `BLACKBERRY`), except five that match exactly
//! because their lower-case letters turn up inside ordinary words and model names: `Mobi` (the
//! marker MDN recommends; `bb-mobile`, `i-mobile` and `MY MOBILE` are tablet brands, `mobileOK` a
//! bot), the word `TV` (`Natv`, `iptv`), `; AFT` (`Minecraft`, `draft`), ` OMI/` (`XiaoMi/`) and
//! `WAP` (`Wappalyzer`).
//!
//! Known limits, checked against the labelled fixtures of Matomo's device detector (see
//! `shared/tests/user_agents.txt`): TVs and set-top boxes that name only a model number
//! (`Android 9; 32H700GU`) read as Android tablets, Android tablets whose browser sends `Mobile`
//! read as phones, and phones without `Mobile` as tablets; telling those apart needs a database of
//! device models. iPadOS 13+ in its default "desktop site" mode sends a Macintosh user agent and is
//! seen as a desktop, which is also the layout the SPEC wants for tablets.

use serde::{Deserialize, Serialize};

/// The device classes conditions can allow or deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeviceType {
    /// Desktops, laptops, TVs, set-top boxes, game consoles, bots and anything not recognized
    /// as a tablet or phone.
    Desktop,
    /// Tablets (desktop layout, but a class of their own in conditions).
    Tablet,
    /// Smartphones and feature phones.
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
        let lower = user_agent.to_ascii_lowercase();
        let any = |markers: &[&str]| markers.iter().any(|m| lower.contains(m));
        let exact = |markers: &[&str]| markers.iter().any(|m| user_agent.contains(m));
        // Rule 1.
        if has_word_tv(user_agent) || any(LARGE_SCREEN) || exact(LARGE_SCREEN_EXACT) {
            return DeviceType::Desktop;
        }
        // Rule 2.
        if ch_mobile == Some(true) {
            return DeviceType::Mobile;
        }
        let mobile = if ch_mobile == Some(false) {
            DeviceType::Desktop
        } else {
            DeviceType::Mobile
        };
        let phone = user_agent.contains("Mobi") || any(PHONE);
        // Rule 3.
        if any(TABLET)
            || (lower.contains("tablet") && !lower.contains("tablet pc"))
            || (lower.contains("windows nt") && lower.contains("touch") && !phone)
        {
            return DeviceType::Tablet;
        }
        // Rules 4 to 7.
        if phone {
            mobile
        } else if lower.contains("android") {
            DeviceType::Tablet
        } else if user_agent.contains("WAP") || any(OLD_PHONE) {
            mobile
        } else {
            DeviceType::Desktop
        }
    }
}

/// Rule 1, matched in lower case: TVs, set-top boxes, consoles, laptops sending Android UAs.
const LARGE_SCREEN: &[&str] = &[
    "smarttv",
    "smart-tv",
    "googletv",
    "androidtv",
    "appletv",
    "hbbtv",
    "crkey",
    "netcast",
    "web0s",
    "bravia",
    "roku",
    "large screen",
    "philipstv",
    "nettv",
    "vidaa",
    "mitv",
    "andr0id",
    "inettvbrowser",
    "espial",
    "tvos",
    "xbox",
    "playstation",
    "nintendo",
    "chromebook",
    "pixelbook",
];

/// Rule 1, matched exactly: Fire TV model names and Opera's TV engine.
const LARGE_SCREEN_EXACT: &[&str] = &["; AFT", " OMI/"];

/// Rule 3, matched in lower case (`Tablet` and Windows touch are checked in the code).
const TABLET: &[&str] = &["ipad", "playbook", "kindle", "silk", "/apad"];

/// Rule 4, matched in lower case (`Mobi` is matched exactly in the code).
const PHONE: &[&str] = &[
    "iphone",
    "ipod",
    "windows phone",
    "wpdesktop",
    "opera mini",
    "blackberry",
    "bb10",
];

/// Rule 6, matched in lower case (`WAP` is matched exactly in the code).
const OLD_PHONE: &[&str] = &[
    "j2me",
    "midp",
    "cldc",
    "symbian",
    "symbos",
    "series60",
    "series40",
    "up.browser",
    "openwave",
    "kaios",
    "nokia",
    "sonyericsson",
    "samsung-",
    "obigo",
    "netfront",
    "maui",
    "docomo",
    "kddi",
    "brew",
    "ucweb",
    "palm",
    "webos",
    "windows ce",
    "bada",
    "dolfin",
    "maemo",
];

/// Rule 1's `TV` as a word: upper case, with no ASCII letter right before or after it.
fn has_word_tv(user_agent: &str) -> bool {
    let bytes = user_agent.as_bytes();
    let letter = |i: Option<usize>| {
        i.and_then(|i| bytes.get(i))
            .is_some_and(u8::is_ascii_alphabetic)
    };
    user_agent
        .match_indices("TV")
        .any(|(i, _)| !letter(i.checked_sub(1)) && !letter(Some(i + 2)))
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

    /// Rules 3 to 6: each marker alone is enough.
    #[test]
    fn each_marker_alone_decides() {
        let cases = [
            ("Mozilla/5.0 (iPad)", Tablet),
            ("Mozilla/5.0 (Tablet PC)", Desktop),
            ("Mozilla/5.0 (Android 4.4; Tablet; rv:41.0)", Tablet),
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
            ("Mozilla/5.0 (Windows NT 6.2; Touch)", Tablet),
            ("Mozilla/5.0 (Windows NT 6.2; Touch; WPDesktop)", Mobile),
            ("Nokia6300/2.0 Profile/MIDP-2.0", Mobile),
            ("Mozilla/5.0 (Linux; Android 11; Nokia T20)", Tablet),
            ("Mozilla/5.0 (Mobile; LYF; rv:48.0) KAIOS/2.5", Mobile),
            ("G4040_MAUI WAP Browser", Mobile),
            ("Mozilla/5.0 (compatible; Wappalyzer)", Desktop),
        ];
        for (ua, want) in cases {
            assert_eq!(DeviceType::from_request(ua, None), want, "{ua}");
        }
    }

    /// Rule 2: `Sec-CH-UA-Mobile: ?1` → mobile, whatever the user agent says short of rule 1's
    /// large screens (see `tvs_set_top_boxes_and_consoles_are_desktops`).
    #[test]
    fn the_mobile_hint_makes_any_user_agent_but_a_large_screen_mobile() {
        for ua in [
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0.0.0 Safari/537.36",
            "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X)",
            "",
        ] {
            assert_eq!(DeviceType::from_request(ua, Some(true)), Mobile, "{ua}");
        }
    }
    /// Defect: TVs, set-top boxes and consoles came out as tablets (Android without `Mobile`,
    /// Fire TV's Silk). SPEC §2 gives TVs the desktop layout. Real user agents from Matomo's and
    /// ua-parser-js's fixtures (see `tests/user_agents.txt`).
    #[test]
    fn tvs_set_top_boxes_and_consoles_are_desktops() {
        for ua in [
            // Fire TV: Silk and WebViews on AFT… models.
            "Mozilla/5.0 (Linux; Android 7.1.2; AFTMM) AppleWebKit/537.36 (KHTML, like Gecko) Silk/91.1.138 like Chrome/91.0.4472.114 Safari/537.36",
            "Mozilla/5.0 (Linux; Android 5.1.1; AFTT) AppleWebKit/537.36 (KHTML, like Gecko) Silk/86.3.20 like Chrome/86.0.4240.198 Safari/537.36",
            "Mozilla/5.0 (Linux; Android 9; AFTKA Build/PS7633.3445N; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/108.0.5359.160 Mobile Safari/537.36",
            // Chromecast with Google TV, older Chromecasts, Android TV and Google TV sets.
            "Mozilla/5.0 (Linux; Android 12.0; Build/STTL.240206.002) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/92.0.4515.0 Safari/537.36 CrKey/1.56.500000 DeviceType/AndroidTV",
            "Mozilla/5.0 (X11; Linux armv7l) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.84 Safari/537.36 CrKey/1.22.79313",
            "Mozilla/5.0 (Linux; Android 11; SINGER ANDROID TV Build/RTM2.210929.109; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/129.0.6668.102 Mobile Safari/537.36",
            "Mozilla/5.0 (X11; U; Linux i686; en-US) AppleWebKit/533.4 (KHTML, like Gecko) Chrome/5.0.375.127 Large Screen Safari/533.4 GoogleTV/ 162671",
            "Mozilla/5.0 (Linux; U; Android 5.0.1; NVIDIA Shield; smart-tv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Safari/537.36",
            // Samsung Tizen, LG webOS and NetCast, HbbTV, Sony, Philips, Hisense, Roku, Apple TV.
            "Mozilla/5.0 (SMART-TV; Linux; Tizen 8.0) AppleWebKit/537.36 (KHTML, like Gecko) Samsung Browser/7.0 Chrome/108.0.5359.1 TV Safari/537.36",
            "Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.79 Safari/537.36 HbbTV/1.5.1 (+DRM; LGE; KEY0000213F; WEBOS6.0 03.00.07; W60_O20N; DTV_W21O;) FVC/5.0 (LGE; WEBOS6.0 ;)",
            "Mozilla/5.0 (DirectFB; U; Linux mips; en) AppleWebKit/528.5+ (KHTML, like Gecko, Safari/528.5+) LG Browser (; LG NetCast.TV-2011)",
            "HbbTV/1.2.1 (;Philips;MT5580;;;) ANTGalio/3.3.0.26.04",
            "Mozilla/5.0 (Linux; Andr0id 10; BRAVIA 4K VH2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/84.0.4147.125 Safari/537.36 OPR/46.0.2207.0 OMI/4.21.0.273.DIA6.106 HbbTV/1.5.1 ( DRM; Sony; BRAVIA_VH2; unknown; unknown; mt5895; ) FVC/6.0 (Sony;mt5895;)",
            "Opera/9.80 (Linux armv6l; Opera TV Store/5581) Presto/2.12.362 Version/12.11  Blu-ray Player/v00.17 (Pioneer, BDP-160, wired)",
            "Opera/9.80 (Linux i686; U; HbbTV/1.1.1 (; Philips; ; ; ; ) CE-HTML/1.0 NETTV/4.0.1; en) Presto/2.10.250 Version/11.60",
            "Mozilla/5.0 (X11; Linux armv7l) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/88.0.4324.182 Odin/88.4324.2.10 Safari/537.36 Model/Hisense-MT9602 VIDAA/6.0(GEEPAS;SmartTV;VT0165UD1;MTK9602/V0000.06.13L.O0829;UHD;VT0165UD1;)",
            "Mozilla/5.0 (Roku) AppleWebKit/537.36 (KHTML, like Gecko) Web/1.1 Safari/537.36",
            "Mozilla/5.0 (Apple TV; U; CPU iPhone OS 10_1_1 like Mac OS X; en-US) FOX Sports GO/1160",
            "Mozilla/5.0 (Linux; Android 6.0.1; MiTV4-ANSM0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.93 Mobile Safari/537.36",
            "Mozilla/5.0 (TV; rv:78.0) Gecko/78.0 Firefox/78.0 TvBrowser/5.0",
            // Consoles.
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox Series X) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/48.0.2564.82 Safari/537.36 Edge/20.02",
            "Mozilla/5.0 (compatible; MSIE 10.0; Windows Phone 8.0; Trident/6.0; IEMobile/10.0; Xbox; Xbox One)",
            "Mozilla/5.0 (PlayStation 5 3.03/SmartTV) AppleWebKit/605.1.15 (KHTML, like Gecko)",
            "Mozilla/5.0 (Nintendo Switch; WifiWebAuthApplet) AppleWebKit/606.4 (KHTML, like Gecko) NF/6.0.1.15.4 NintendoBrowser/5.1.0.20393",
        ] {
            assert_eq!(DeviceType::from_request(ua, None), Desktop, "{ua}");
            // A large screen stays a desktop whatever the client hint says.
            assert_eq!(DeviceType::from_request(ua, Some(true)), Desktop, "{ua}");
        }
    }

    /// The word `TV` counts only when no letter touches it, and only in upper case.
    #[test]
    fn tv_is_a_whole_upper_case_word() {
        let phone = |model: &str| {
            format!("Mozilla/5.0 (Linux; Android 14; {model}) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36")
        };
        assert_eq!(
            DeviceType::from_request(&phone("ums9230_latte_Natv"), None),
            Mobile
        );
        assert_eq!(DeviceType::from_request(&phone("HiTVbox"), None), Mobile);
        assert_eq!(DeviceType::from_request(&phone("iptv"), None), Mobile);
        assert_eq!(
            DeviceType::from_request(&phone("Fision TV Plus"), None),
            Desktop
        );
        assert_eq!(DeviceType::from_request(&phone("TV"), None), Desktop);
        assert_eq!(DeviceType::from_request("TV", None), Desktop);
    }

    /// Defect: IE's `Tablet PC` token (sent by Windows desktops with pen or touch drivers) made
    /// desktops tablets. Windows 8+ touch devices sending IE's `Touch` (Surface RT) are tablets,
    /// as Matomo's device detector says; Windows Phone's `WPDesktop` mode is a phone.
    #[test]
    fn the_tablet_pc_token_is_a_desktop_and_windows_touch_a_tablet() {
        let cases = [
            ("Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0; SLCC2; .NET CLR 2.0.50727; .NET CLR 3.5.30729; .NET CLR 3.0.30729; Media Center PC 6.0; MDDR; .NET4.0C; .NET4.0E; .NET CLR 1.1.4322; Tablet PC 2.0); 360Spider", Desktop),
            ("Mozilla/5.0 (Windows NT 6.3; WOW64; Trident/7.0; .NET4.0E; .NET4.0C; .NET CLR 3.5.30729; .NET CLR 2.0.50727; .NET CLR 3.0.30729; Tablet PC 2.0; GWX:MANAGED; rv:11.0) like Gecko", Desktop),
            ("Mozilla/5.0 (Wayland; Ubuntu; Linux x86_64; Touch; Tablet PC 4.1; Microsoft Corporation/Surface Pro 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.5735.245 Safari/537.36 Ubuntu/23.10 (6.1.3035.204-1) Vivaldi/6.1.3035.204", Desktop),
            ("Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; ARM; Trident/6.0; Touch; ARMBJS)", Tablet),
            ("Mozilla/5.0 (Windows NT 6.3; Win64; x64; Trident/7.0; Touch; TAJB; rv:11.0) like Gecko", Tablet),
            ("Mozilla/5.0 (Windows NT 6.2; ARM; Trident/7.0; Touch; rv:11.0; WPDesktop; Lumia 640 Dual SIM) like Gecko", Mobile),
        ];
        for (ua, want) in cases {
            assert_eq!(DeviceType::from_request(ua, None), want, "{ua}");
        }
    }

    /// Defect: feature phones without `Mobile` came out as desktops.
    #[test]
    fn feature_phones_are_mobile() {
        for ua in [
            "Opera/9.80 (J2ME/MIDP; Opera Mini/5.0.22371/28.3782; U; en) Presto/2.8.119 Version/11.10",
            "SonyEricssonU1i/R1CA; Mozilla/5.0 (SymbianOS/9.4; U; Series60/5.0 Profile/MIDP-2.1 Configuration/CLDC-1.1) AppleWebKit/525 (KHTML, like Gecko) Version/3.0 Safari/525",
            "Mozilla/5.0 (Series40; Nokia306/03.63; Profile/MIDP-2.1 Configuration/CLDC-1.1) Gecko/20100401 S40OviBrowser/3.9.0.0.22",
            "Amoi-CA6/1.0 UP.Browser/6.2.2.5 (GUI) MMP/1.0",
            "KDDI-CA3H UP.Browser/6.2_7.2.7.1.K.5.214 (GUI) MMP/2.0",
            "Mozilla/5.0 (Mobile; Nokia_2720_Flip; rv:48.0) Gecko/48.0 Firefox/48.0 KAIOS/2.5.2.2",
            "SAMSUNG-GT-E2152/E2152XXJK2 NetFront/3.5 Profile/MIDP-2.0 Configuration/CLDC-1.1",
            "Huawei/1.0/HUAWEI_G6310/Obigo Browser/Q03C Browser/Q03C MMS/1.0/MIDP-2.0 Configuration/CLDC-1.1",
            "G4040_MAUI WAP Browser",
            "B30_Dorado WAP-Browser/1.0.0",
            "DoCoMo/1.0/P501i",
            "Mozilla/5.0 (X11; U; Linux armv7l; pt-PT; rv:1.9.2.3pre) Gecko/20100723 Firefox/3.5 Maemo Browser 1.7.4.8 RX-51 N900",
        ] {
            assert_eq!(DeviceType::from_request(ua, None), Mobile, "{ua}");
        }
    }

    /// The other classes the rules must keep: tablets (including Android tablets of phone brands
    /// and Yandex's tablet apps), phones in in-app browsers, Firefox OS, Chromebooks.
    #[test]
    fn tablets_phones_and_laptops_keep_their_class() {
        let cases = [
            ("Mozilla/5.0 (Tablet; rv:26.0) Gecko/26.0 Firefox/26.0", Tablet),
            ("Mozilla/5.0 (Linux; Android 4.4.2; SAMSUNG-SM-P907A Build/KOT49H) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.135 Safari/537.36", Tablet),
            ("Mozilla/5.0 (Linux; Android 11; Nokia T20) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0.4664.45 Safari/537.36", Tablet),
            ("Mozilla/5.0 (Linux; arm_64; Android 13; MEGA 1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.324 YaApp_Android/24.19/apad YaSearchBrowser/24.19/apad BroPP/1.0 SA/3 Mobile Safari/537.36", Tablet),
            ("Mozilla/5.0 (Linux; Android 10; HarmonyOS; BAH4-W29; HMSCore 6.9.0.302) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 HuaweiBrowser/13.0.3.301 Safari/537.36", Tablet),
            ("Mozilla/4.0 (compatible; Linux 2.6.22) NetFront/3.4 Kindle/2.0 (screen 600x800)", Tablet),
            ("Mozilla/5.0 (Linux; Android 9; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/84.3.5 like Chrome/84.0.4147.125 Safari/537.36", Tablet),
            ("Mozilla/5.0 (iPad; CPU OS 9_3_6 like Mac OS X) AppleWebKit/601.1.46 (KHTML, like Gecko) Mobile/13G37 [FBAN/FBIOS;FBAV/174.0.0.48.98;FBBV/110921384;FBDV/iPad3,3;FBMD/iPad;FBSN/iPhone OS;FBSV/9.3.6;FBSS/2;FBCR/TELIA;FBID/tablet;FBLC/da_DK;FBOP/5;FBRV/0]", Tablet),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/20G75 Instagram 296.0.0.18.107 (iPhone14,8; iOS 16_6; en_US; en; scale=3.00; 1284x2778; 505423516)", Mobile),
            ("Mozilla/5.0 (Linux; arm_64; Android 11; KINGKONG MINI2 Pro) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/104.0.5112.114 YaBrowser/22.9.4.79.00 SA/3 Mobile Safari/537.36", Mobile),
            ("Mozilla/5.0 (Linux; Android 11; HarmonyOS; JLN-AL00; HMSCore 6.4.0.312) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/92.0.4515.105 HuaweiBrowser/12.0.5.302 Mobile Safari/537.36", Mobile),
            ("Mozilla/5.0 (Mobile; ALCATEL ONE TOUCH 4012A; rv:18.1) Gecko/18.1 Firefox/18.1", Mobile),
            ("Mozilla/5.0 (Linux; Android 9; HP Chromebook 13 G1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/80.0.3987.162 Safari/537.36", Desktop),
            ("Mozilla/5.0 (X11; CrOS x86_64 14150.90.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/94.0.4606.126 Safari/537.36", Desktop),
        ];
        for (ua, want) in cases {
            assert_eq!(DeviceType::from_request(ua, None), want, "{ua}");
        }
    }
}
