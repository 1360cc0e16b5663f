//! Texts: "texts editable with per-field character limits shown as "N left"" (SPEC §2.2),
//! Russian and English by default, every one overridable in the cabinet.

use crate::validation::Problems;
use serde::{Deserialize, Serialize};

/// The languages with built-in texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Russian (the default).
    #[default]
    Ru,
    /// English.
    En,
}

/// A message as a sentence: its first letter capitalized (`this number …` → `This number …`).
pub fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Lang {
    /// `en` or `ru`, whichever is this language's.
    pub fn pick<T>(self, en: T, ru: T) -> T {
        match self {
            Lang::En => en,
            Lang::Ru => ru,
        }
    }

    /// The BCP 47 tag, for the `lang` attribute of what the widget draws.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// The language for a page's `lang` attribute: Russian for Russian and the languages of
    /// visitors who read it (Belarusian, Ukrainian, Kazakh) and for a page that does not say;
    /// English for any other language.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match primary.as_str() {
            "" | "ru" | "be" | "uk" | "kk" => Lang::Ru,
            _ => Lang::En,
        }
    }
}

/// Which of a noun's forms goes with `n`: Russian has three (1 день, 2 дня, 5 дней), English
/// two (1 day, 2 days).
pub fn plural(lang: Lang, n: u64, forms: [&str; 3]) -> &str {
    match lang {
        Lang::En => {
            if n == 1 {
                forms[0]
            } else {
                forms[1]
            }
        }
        Lang::Ru => {
            let (d, dd) = (n % 10, n % 100);
            if d == 1 && dd != 11 {
                forms[0]
            } else if (2..=4).contains(&d) && !(12..=14).contains(&dd) {
                forms[1]
            } else {
                forms[2]
            }
        }
    }
}

/// Every editable text of the widget, with its character limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TextKey {
    /// The form's heading in working hours.
    Title,
    /// The line under the heading in working hours.
    Subtitle,
    /// The form's heading off-hours.
    OffHoursTitle,
    /// The line under the heading off-hours.
    OffHoursSubtitle,
    /// Placeholder of the name field.
    NamePlaceholder,
    /// The "call me now" button.
    ButtonNow,
    /// The "pick a time" choice.
    PickTime,
    /// The button that orders a call at the picked time.
    ButtonScheduled,
    /// "By pressing the button you agree to the processing of personal data".
    Consent,
    /// Label of the departments selector.
    Department,
    /// The selector's prompt when nothing is preselected.
    ChooseDepartment,
    /// The invitation dialog's offer of a callback.
    Invitation,
    /// The invitation dialog's button.
    InvitationButton,
    /// The countdown timer's text.
    TimerText,
    /// After-order message for a "call me now" order.
    AfterOrderNow,
    /// After-order message for a scheduled call: "We will call you at 12:00 tomorrow".
    AfterOrderScheduled,
    /// Shown when the number is not valid.
    InvalidPhone,
    /// The polite refusal a blacklisted number gets.
    Refused,
}

impl TextKey {
    /// All keys, in the order the cabinet lists them.
    pub const ALL: [TextKey; 18] = [
        TextKey::Title,
        TextKey::Subtitle,
        TextKey::OffHoursTitle,
        TextKey::OffHoursSubtitle,
        TextKey::NamePlaceholder,
        TextKey::ButtonNow,
        TextKey::PickTime,
        TextKey::ButtonScheduled,
        TextKey::Consent,
        TextKey::Department,
        TextKey::ChooseDepartment,
        TextKey::Invitation,
        TextKey::InvitationButton,
        TextKey::TimerText,
        TextKey::AfterOrderNow,
        TextKey::AfterOrderScheduled,
        TextKey::InvalidPhone,
        TextKey::Refused,
    ];

    /// The field's character limit, so the layout never breaks.
    pub fn limit(self) -> usize {
        match self {
            TextKey::Title | TextKey::OffHoursTitle => 60,
            TextKey::Subtitle | TextKey::OffHoursSubtitle => 140,
            TextKey::NamePlaceholder | TextKey::Department | TextKey::ChooseDepartment => 40,
            TextKey::ButtonNow | TextKey::ButtonScheduled | TextKey::InvitationButton => 30,
            TextKey::PickTime => 40,
            TextKey::Consent => 150,
            TextKey::Invitation => 120,
            TextKey::TimerText => 60,
            TextKey::AfterOrderNow | TextKey::AfterOrderScheduled => 140,
            TextKey::InvalidPhone | TextKey::Refused => 120,
        }
    }

    /// The built-in text. `{when}` in [`TextKey::AfterOrderScheduled`] is replaced by the
    /// scheduled time ("We will call you at 12:00 tomorrow").
    pub fn default_text(self, lang: Lang) -> &'static str {
        use TextKey::*;
        match (self, lang) {
            (Title, Lang::Ru) => "Перезвоним за 30 секунд",
            (Title, Lang::En) => "We'll call you back in 30 seconds",
            (Subtitle, Lang::Ru) => "Оставьте номер — специалист перезвонит и ответит на вопросы",
            (Subtitle, Lang::En) => "Leave your number and a specialist will call you back",
            (OffHoursTitle, Lang::Ru) => "Сейчас мы не работаем",
            (OffHoursTitle, Lang::En) => "We are closed right now",
            (OffHoursSubtitle, Lang::Ru) => "Выберите удобное время — мы перезвоним в рабочие часы",
            (OffHoursSubtitle, Lang::En) => "Pick a time and we will call you during working hours",
            (NamePlaceholder, Lang::Ru) => "Имя",
            (NamePlaceholder, Lang::En) => "Your name",
            (ButtonNow, Lang::Ru) => "Жду звонка",
            (ButtonNow, Lang::En) => "Call me now",
            (PickTime, Lang::Ru) => "Выбрать удобное время",
            (PickTime, Lang::En) => "Pick a time",
            (ButtonScheduled, Lang::Ru) => "Заказать звонок",
            (ButtonScheduled, Lang::En) => "Request a call",
            (Consent, Lang::Ru) => {
                "Нажимая на кнопку, вы даете согласие на обработку персональных данных"
            }
            (Consent, Lang::En) => {
                "By pressing the button you agree to the processing of personal data"
            }
            (Department, Lang::Ru) => "Отдел",
            (Department, Lang::En) => "Department",
            (ChooseDepartment, Lang::Ru) => "Выберите отдел",
            (ChooseDepartment, Lang::En) => "Choose a department",
            (Invitation, Lang::Ru) => "Хотите, мы перезвоним вам за 30 секунд?",
            (Invitation, Lang::En) => "Would you like us to call you back in 30 seconds?",
            (InvitationButton, Lang::Ru) => "Да, перезвоните",
            (InvitationButton, Lang::En) => "Yes, call me",
            (TimerText, Lang::Ru) => "Уже набираем ваш номер",
            (TimerText, Lang::En) => "We are dialing your number",
            (AfterOrderNow, Lang::Ru) => "Спасибо! Мы скоро позвоним",
            (AfterOrderNow, Lang::En) => "Thank you! We will call you shortly",
            (AfterOrderScheduled, Lang::Ru) => "Мы позвоним вам {when}",
            (AfterOrderScheduled, Lang::En) => "We will call you at {when}",
            (InvalidPhone, Lang::Ru) => "Проверьте номер: в нём не хватает цифр или есть лишние",
            (InvalidPhone, Lang::En) => "Check the number: digits are missing or extra",
            (Refused, Lang::Ru) => "К сожалению, мы не можем перезвонить на этот номер",
            (Refused, Lang::En) => "Sorry, we cannot call this number back",
        }
    }
}

/// The marketer's overrides, by key; a key without an override uses the default text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Texts {
    /// The marketer's texts by key; a blank one counts as none.
    #[serde(default)]
    pub overrides: std::collections::BTreeMap<TextKey, String>,
}

impl Texts {
    /// The text shown for `key` in `lang`.
    pub fn get(&self, key: TextKey, lang: Lang) -> String {
        self.overrides
            .get(&key)
            .filter(|t| !t.trim().is_empty())
            .cloned()
            .unwrap_or_else(|| key.default_text(lang).to_string())
    }

    /// "N left" for the cabinet's counter (negative when over the limit).
    pub fn left(&self, key: TextKey, lang: Lang) -> i64 {
        key.limit() as i64 - self.get(key, lang).chars().count() as i64
    }

    /// Every override longer than its field's limit.
    pub fn validate(&self, path: &str, problems: &mut Problems) {
        for (key, text) in &self.overrides {
            let n = text.chars().count();
            if n > key.limit() {
                let name = serde_json::to_value(key)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                problems.add(
                    format!("{path}.{name}"),
                    format!(
                        "at most {} characters ({} too many)",
                        key.limit(),
                        n - key.limit()
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_become_sentences() {
        assert_eq!(
            sentence("this number is too short"),
            "This number is too short"
        );
        assert_eq!(sentence("в номере лишние цифры"), "В номере лишние цифры");
        assert_eq!(sentence(""), "");
    }

    #[test]
    fn russian_has_three_plural_forms() {
        let f = ["день", "дня", "дней"];
        let cases = [
            (0, "дней"),
            (1, "день"),
            (2, "дня"),
            (4, "дня"),
            (5, "дней"),
            (11, "дней"),
            (12, "дней"),
            (14, "дней"),
            (21, "день"),
            (22, "дня"),
            (25, "дней"),
            (101, "день"),
            (111, "дней"),
        ];
        for (n, want) in cases {
            assert_eq!(plural(Lang::Ru, n, f), want, "{n}");
        }
        assert_eq!(plural(Lang::En, 1, ["day", "days", ""]), "day");
        assert_eq!(plural(Lang::En, 0, ["day", "days", ""]), "days");
    }

    #[test]
    fn every_default_fits_its_own_limit_in_both_languages() {
        for key in TextKey::ALL {
            for lang in [Lang::Ru, Lang::En] {
                let t = key.default_text(lang);
                assert!(t.chars().count() <= key.limit(), "{key:?} {lang:?}: {t}");
            }
        }
    }

    #[test]
    fn overrides_replace_defaults_and_count_what_is_left() {
        let mut t = Texts::default();
        assert_eq!(t.get(TextKey::ButtonNow, Lang::En), "Call me now");
        t.overrides.insert(TextKey::ButtonNow, "Ring me".into());
        assert_eq!(t.get(TextKey::ButtonNow, Lang::Ru), "Ring me");
        assert_eq!(t.left(TextKey::ButtonNow, Lang::Ru), 30 - 7);
        t.overrides.insert(TextKey::Title, "   ".into());
        assert_eq!(
            t.get(TextKey::Title, Lang::En),
            "We'll call you back in 30 seconds"
        );
        t.overrides.insert(TextKey::ButtonNow, "x".repeat(33));
        let mut p = Problems::new();
        t.validate("form.texts", &mut p);
        let p = p.into_vec();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].path, "form.texts.button_now");
        assert_eq!(p[0].message, "at most 30 characters (3 too many)");
    }

    #[test]
    fn page_lang_picks_the_language() {
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_tag("EN"), Lang::En);
        assert_eq!(Lang::from_tag("ru-RU"), Lang::Ru);
        assert_eq!(Lang::from_tag("kk"), Lang::Ru);
        assert_eq!(Lang::from_tag("de"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::Ru);
    }

    /// "per-field character limits": a text exactly at its limit is fine.
    #[test]
    fn a_text_exactly_at_its_limit_is_accepted() {
        let mut t = Texts::default();
        t.overrides.insert(TextKey::ButtonNow, "я".repeat(30));
        t.overrides.insert(TextKey::Title, "я".repeat(60));
        assert_eq!(t.left(TextKey::ButtonNow, Lang::Ru), 0);
        let mut p = Problems::new();
        t.validate("form.texts", &mut p);
        assert!(p.is_empty(), "{p:?}");
    }
}
