//! Announcements (SPEC §4): "speech synthesis text or audio URL mp3/wav/ogg: working hours
//! "Callback from the website, please wait for the connection", off-hours "Callback ordered
//! outside working hours…", key-press variants "…press 5 to connect", missed-call "The client's
//! call was missed, calling back", and a separate text for retries. Texts may use `$variables$`
//! (utm_source, utm_campaign, page, department, form fields)."

use crate::texts::Lang;
use crate::validation::Problems;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the operator hears.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Announcement {
    /// Read by speech synthesis.
    Speech {
        /// The text to speak; may use `$variables$` ([`VARIABLES`], `$field_<name>$`).
        text: String,
    },
    /// A recording.
    Audio {
        /// Address of the mp3, wav or ogg file.
        url: String,
    },
}

/// The situations that have their own announcement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Situation {
    /// Working hours: "Callback from the website, please wait for the connection".
    Working,
    /// Orders placed off-hours: "Callback ordered outside working hours…".
    OffHours,
    /// Working hours in `key_press` mode: "…press 5 to connect".
    KeyPressWorking,
    /// Orders placed off-hours, in `key_press` mode.
    KeyPressOffHours,
    /// A missed-call callback: "The client's call was missed, calling back".
    MissedCall,
    /// Retries and the extra attempt: "a separate text for retries".
    Retry,
}

impl Situation {
    /// The built-in text; `{digit}` stands for the key-press digit.
    pub fn default_text(self, lang: Lang) -> &'static str {
        use Situation::*;
        match (self, lang) {
            (Working, Lang::En) => "Callback from the website, please wait for the connection",
            (Working, Lang::Ru) => "Поступил обратный звонок с сайта, ожидайте соединения с абонентом",
            (OffHours, Lang::En) => {
                "Callback ordered outside working hours, please wait for the connection"
            }
            (OffHours, Lang::Ru) => {
                "Заказан обратный звонок в нерабочее время, ожидайте соединения с абонентом"
            }
            (KeyPressWorking, Lang::En) => "Callback from the website, press {digit} to connect",
            (KeyPressWorking, Lang::Ru) => {
                "Поступил обратный звонок с сайта, для соединения с абонентом нажмите {digit}"
            }
            (KeyPressOffHours, Lang::En) => {
                "Callback ordered outside working hours, press {digit} to connect"
            }
            (KeyPressOffHours, Lang::Ru) => {
                "Заказан обратный звонок в нерабочее время, для соединения с абонентом нажмите {digit}"
            }
            (MissedCall, Lang::En) => "The client's call was missed, calling back",
            (MissedCall, Lang::Ru) => "Пропущенный звонок клиента, перезваниваем",
            (Retry, Lang::En) => "Repeat callback from the website, please wait for the connection",
            (Retry, Lang::Ru) => {
                "Повторный обратный звонок с сайта, ожидайте соединения с абонентом"
            }
        }
    }
}

/// The sentence added to announcements that do not already ask for the key.
fn press_suffix(lang: Lang, digit: u8) -> String {
    match lang {
        Lang::En => format!("Press {digit} to connect."),
        Lang::Ru => format!("Для соединения нажмите {digit}."),
    }
}

/// Variables every announcement may use; form fields are `$field_<name>$`.
pub const VARIABLES: [&str; 9] = [
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "page",
    "department",
    "name",
    "phone",
    "extension",
    "widget",
];

/// "Tell the operator the extension": a spoken announcement ends with the client's
/// extension (`доб. 123`, never dialed), digit by digit, unless its template already says it
/// with `$extension$`. A recording stays as it is (the journal and the notifications show the
/// extension).
fn tell_extension(text: String, template: &str, extension: Option<&str>, lang: Lang) -> String {
    let Some(ext) = extension.filter(|_| !template.contains("$extension$")) else {
        return text;
    };
    let digits = ext.chars().map(String::from).collect::<Vec<_>>().join(" ");
    let said = match lang {
        Lang::En => format!("The client's extension: {digits}."),
        Lang::Ru => format!("Добавочный номер клиента: {digits}."),
    };
    if text.trim().is_empty() {
        said
    } else {
        format!("{}. {said}", text.trim_end().trim_end_matches('.'))
    }
}

/// The marketer's announcements; a situation without one uses the built-in text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Announcements {
    /// The marketer's announcement per situation; a blank speech text counts as none.
    #[serde(default)]
    pub custom: BTreeMap<Situation, Announcement>,
}

/// What the operator hears in one attempt, ready to play.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Resolved {
    /// Speech with its `$variables$` filled in, or the recording.
    pub announcement: Announcement,
    /// The language the speech is read in.
    pub lang: Lang,
}

impl Announcements {
    /// Longest announcement text, in characters.
    pub const MAX_TEXT: usize = 500;

    /// The announcement for an attempt. `missed_call`: a missed-call callback; `retry`: a retry
    /// or the extra attempt; `key_digit`: the key-press digit in key-press mode. Speech gets its
    /// `$variables$` filled in from `vars`; in key-press mode a speech text that does not ask
    /// for the key gets "Press D to connect." appended.
    pub fn resolve(
        &self,
        lang: Lang,
        working: bool,
        missed_call: bool,
        retry: bool,
        key_digit: Option<u8>,
        vars: &BTreeMap<String, String>,
    ) -> Resolved {
        use Situation::*;
        let situation = match (missed_call, retry, key_digit.is_some(), working) {
            (true, ..) => MissedCall,
            (false, true, ..) => Retry,
            (false, false, true, true) => KeyPressWorking,
            (false, false, true, false) => KeyPressOffHours,
            (false, false, false, true) => Working,
            (false, false, false, false) => OffHours,
        };
        let asks_for_key = matches!(situation, KeyPressWorking | KeyPressOffHours);
        let announcement = match self.custom.get(&situation) {
            Some(Announcement::Audio { url }) => Announcement::Audio { url: url.clone() },
            Some(Announcement::Speech { text }) if !text.trim().is_empty() => {
                speech(text, vars, key_digit, asks_for_key, lang)
            }
            _ => speech(
                situation.default_text(lang),
                vars,
                key_digit,
                asks_for_key,
                lang,
            ),
        };
        Resolved { announcement, lang }
    }

    /// Every problem under `path`.
    pub fn validate(&self, path: &str, problems: &mut Problems) {
        for (situation, a) in &self.custom {
            let name = serde_json::to_value(situation)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let p = format!("{path}.{name}");
            match a {
                Announcement::Speech { text } => {
                    if text.chars().count() > Self::MAX_TEXT {
                        problems.add(
                            format!("{p}.text"),
                            format!("at most {} characters", Self::MAX_TEXT),
                        );
                    }
                    for v in unknown_variables(text) {
                        problems.add(
                            format!("{p}.text"),
                            format!(
                                "unknown variable ${v}$; use ${}$ or $field_<name>$",
                                VARIABLES.join("$, $")
                            ),
                        );
                    }
                }
                Announcement::Audio { url } => check_audio_url(&format!("{p}.url"), url, problems),
            }
        }
    }
}

fn speech(
    template: &str,
    vars: &BTreeMap<String, String>,
    key_digit: Option<u8>,
    asks_for_key: bool,
    lang: Lang,
) -> Announcement {
    let mut text = fill(template, vars);
    if let Some(d) = key_digit {
        text = text.replace("{digit}", &d.to_string());
        if !asks_for_key && !template.contains("{digit}") {
            text = format!("{} {}", text.trim_end(), press_suffix(lang, d));
        }
    }
    let text = tell_extension(
        text,
        template,
        vars.get("extension").map(String::as_str),
        lang,
    );
    Announcement::Speech { text }
}

/// Replaces every `$name$` with its value (an unknown or missing one with nothing).
pub fn fill(template: &str, vars: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('$') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('$') {
            Some(end) if is_name(&after[..end]) => {
                if let Some(v) = vars.get(&after[..end]) {
                    out.push_str(v);
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The `$names$` of a template that are neither known variables nor `field_` fields.
pub fn unknown_variables(template: &str) -> Vec<String> {
    let mut unknown = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('$') {
        let after = &rest[start + 1..];
        match after.find('$') {
            Some(end) if is_name(&after[..end]) => {
                let name = &after[..end];
                if !VARIABLES.contains(&name) && !name.starts_with("field_") {
                    unknown.push(name.to_string());
                }
                rest = &after[end + 1..];
            }
            _ => rest = after,
        }
    }
    unknown
}

/// "audio URL mp3/wav/ogg".
fn check_audio_url(path: &str, url: &str, problems: &mut Problems) {
    let u = url.trim();
    let file = u
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if let Some(problem) = crate::validation::web_address_problem(u) {
        problems.add(path, problem);
    } else if ![".mp3", ".wav", ".ogg"]
        .iter()
        .any(|ext| file.ends_with(ext))
    {
        problems.add(path, "must be an mp3, wav or ogg file");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 11: an extension is told to the operator, never dialed; a template that says
    /// `$extension$` itself is not repeated, whatever other variables hold.
    #[test]
    fn the_operator_hears_the_clients_extension() {
        let vars = |ext: Option<&str>| {
            let mut v = BTreeMap::new();
            v.insert("phone".to_string(), "+74951234512".to_string());
            if let Some(e) = ext {
                v.insert("extension".to_string(), e.to_string());
            }
            v
        };
        let custom = |text: &str| {
            let mut a = Announcements::default();
            a.custom.insert(
                Situation::Working,
                Announcement::Speech { text: text.into() },
            );
            a
        };
        let said = |a: &Announcements, lang, ext| match a
            .resolve(lang, true, false, false, None, &vars(ext))
            .announcement
        {
            Announcement::Speech { text } => text,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            said(&Announcements::default(), Lang::En, Some("12")),
            "Callback from the website, please wait for the connection. The client's extension: 1 2."
        );
        // The number holds "12" too: the extension is still said.
        assert_eq!(
            said(&custom("Call from $phone$"), Lang::Ru, Some("12")),
            "Call from +74951234512. Добавочный номер клиента: 1 2."
        );
        assert_eq!(
            said(&custom("Call, extension $extension$"), Lang::En, Some("77")),
            "Call, extension 77"
        );
        assert_eq!(
            said(&custom("No extension"), Lang::En, None),
            "No extension"
        );
    }

    fn vars() -> BTreeMap<String, String> {
        [
            ("utm_source", "yandex"),
            ("department", "Sales"),
            ("field_city", "Tula"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    fn text(r: Resolved) -> String {
        match r.announcement {
            Announcement::Speech { text } => text,
            Announcement::Audio { url } => url,
        }
    }

    #[test]
    fn each_situation_gets_its_default_text() {
        let a = Announcements::default();
        let v = BTreeMap::new();
        let cases = [
            ((true, false, false, None), "Callback from the website, please wait for the connection"),
            ((false, false, false, None), "Callback ordered outside working hours, please wait for the connection"),
            ((true, false, false, Some(5)), "Callback from the website, press 5 to connect"),
            ((false, false, false, Some(5)), "Callback ordered outside working hours, press 5 to connect"),
            ((true, true, false, None), "The client's call was missed, calling back"),
            ((true, false, true, None), "Repeat callback from the website, please wait for the connection"),
            ((true, false, true, Some(3)), "Repeat callback from the website, please wait for the connection Press 3 to connect."),
            ((true, true, true, Some(3)), "The client's call was missed, calling back Press 3 to connect."),
        ];
        for ((working, missed, retry, digit), want) in cases {
            assert_eq!(
                text(a.resolve(Lang::En, working, missed, retry, digit, &v)),
                want,
                "working={working} missed={missed} retry={retry} digit={digit:?}"
            );
        }
    }

    #[test]
    fn custom_texts_fill_their_variables() {
        let mut a = Announcements::default();
        a.custom.insert(
            Situation::Working,
            Announcement::Speech {
                text: "Order from $utm_source$ for $department$ in $field_city$, $name$. $5".into(),
            },
        );
        assert_eq!(
            text(a.resolve(Lang::En, true, false, false, None, &vars())),
            "Order from yandex for Sales in Tula, . $5"
        );
        a.custom.insert(
            Situation::OffHours,
            Announcement::Audio {
                url: "https://cdn.example/off.mp3".into(),
            },
        );
        assert_eq!(
            text(a.resolve(Lang::En, false, false, false, None, &vars())),
            "https://cdn.example/off.mp3"
        );
        // Key-press mode has its own situation: the off-hours recording is not used there.
        assert_eq!(
            text(a.resolve(Lang::En, false, false, false, Some(4), &vars())),
            "Callback ordered outside working hours, press 4 to connect"
        );
    }

    #[test]
    fn validation_names_unknown_variables_and_bad_audio() {
        let mut a = Announcements::default();
        a.custom.insert(
            Situation::Working,
            Announcement::Speech {
                text: "From $utm_sorce$ $page$".into(),
            },
        );
        a.custom.insert(
            Situation::Retry,
            Announcement::Audio {
                url: "https://cdn.example/retry.flac".into(),
            },
        );
        a.custom.insert(
            Situation::MissedCall,
            Announcement::Audio {
                url: "ftp://cdn.example/m.mp3".into(),
            },
        );
        let mut p = Problems::new();
        a.validate("announcements", &mut p);
        let text: Vec<String> = p.into_vec().iter().map(|p| p.to_string()).collect();
        assert_eq!(text.len(), 3, "{text:?}");
        assert!(text[0].starts_with("announcements.working.text: unknown variable $utm_sorce$"));
        assert_eq!(
            text[1],
            "announcements.missed_call.url: must be a web address starting with https://"
        );
        assert_eq!(
            text[2],
            "announcements.retry.url: must be an mp3, wav or ogg file"
        );
    }

    /// "a blank speech text counts as none": the built-in text is read instead.
    #[test]
    fn a_blank_custom_text_falls_back_to_the_default() {
        let mut a = Announcements::default();
        a.custom.insert(
            Situation::Working,
            Announcement::Speech { text: "  ".into() },
        );
        assert_eq!(
            text(a.resolve(Lang::En, true, false, false, None, &vars())),
            "Callback from the website, please wait for the connection"
        );
    }

    /// A retry text that already asks for the key gets no second "Press D" sentence.
    #[test]
    fn a_text_that_asks_for_the_key_gets_no_press_suffix() {
        let mut a = Announcements::default();
        a.custom.insert(
            Situation::Retry,
            Announcement::Speech {
                text: "Again: press {digit}".into(),
            },
        );
        assert_eq!(
            text(a.resolve(Lang::En, true, false, true, Some(7), &vars())),
            "Again: press 7"
        );
    }

    #[test]
    fn fill_replaces_only_real_variable_names() {
        let cases = [
            ("costs $5 or $6", "costs $5 or $6"),
            ("100$$ off", "100$$ off"),
            ("$a b$ and $department$", "$a b$ and Sales"),
            ("$utm_source$$department$", "yandexSales"),
            ("$unknown_1$!", "!"),
        ];
        for (template, want) in cases {
            assert_eq!(fill(template, &vars()), want, "{template}");
        }
    }

    #[test]
    fn unknown_variables_are_names_between_dollars() {
        let cases: [(&str, &[&str]); 6] = [
            ("costs $5 or $6", &[]),
            ("100$$ off", &[]),
            ("$x$y$", &["x"]),
            ("$ab$cd$ef$", &["ab", "ef"]),
            ("$page$ $field_city$ $bogus$", &["bogus"]),
            ("$a b$", &[]),
        ];
        for (template, want) in cases {
            assert_eq!(unknown_variables(template), want, "{template}");
        }
    }

    #[test]
    fn speech_is_at_most_500_characters() {
        let count = |len: usize| {
            let mut a = Announcements::default();
            a.custom.insert(
                Situation::Working,
                Announcement::Speech {
                    text: "я".repeat(len),
                },
            );
            let mut p = Problems::new();
            a.validate("announcements", &mut p);
            p.into_vec().len()
        };
        assert_eq!(count(Announcements::MAX_TEXT), 0);
        assert_eq!(count(Announcements::MAX_TEXT + 1), 1);
    }
}
