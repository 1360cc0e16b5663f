//! The phone input's mask (SPEC §2.2: "phone input (mask + validation)").
//!
//! The widget carries no phone metadata: it formats what the visitor types with the mask of
//! the site's country and checks the digit count, so most mistakes are caught before sending;
//! the worker then validates authoritatively with full metadata ([`crate::phone`]).
//!
//! Two rules keep the mask from changing what was typed:
//! - a number typed with `+` or the country's international prefix (`810` in Russia, `00` in
//!   Germany) and another country's code (`+49 89 …` on a Russian site) is not the site
//!   country's: it is checked as an international number and shown as typed, never squeezed
//!   into the site's mask;
//! - an extension after the number (`доб. 123`, `ext. 12`, `x12`, `#12`, `,,12`, `-12#`)
//!   stays as typed beside the formatted number, and its digits are never counted as part of
//!   the number.
//!
//! What the order sends is what the visitor sees in the field, so the worker reads exactly
//! that (and splits the extension off by libphonenumber's own rules, [`crate::phone`]).

use serde::{Deserialize, Serialize};

/// A country's mask: `#` is a digit of the national number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PhoneMask {
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// Country calling code without `+`.
    pub code: String,
    /// The national number's layout, e.g. `(###) ###-##-##`.
    pub pattern: String,
    /// The national prefix visitors type instead of the code (`8` in Russia, `80` in
    /// Belarus), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trunk: Option<String>,
    /// The international prefix dialed before another country's code (`810`, `00`, `011`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idd: Option<String>,
}

/// Masks of the countries Ringback's customers mostly serve; other countries type numbers
/// in international form (`+` and 8 to 15 digits).
/// (country, code, layout, trunk prefix, international prefix), the prefixes as
/// libphonenumber's metadata has them.
const MASKS: &[(&str, &str, &str, Option<&str>, &str)] = &[
    ("RU", "7", "(###) ###-##-##", Some("8"), "810"),
    ("KZ", "7", "(###) ###-##-##", Some("8"), "810"),
    ("BY", "375", "(##) ###-##-##", Some("80"), "810"),
    ("UA", "380", "(##) ###-##-##", Some("0"), "00"),
    ("UZ", "998", "(##) ###-##-##", None, "00"),
    ("AM", "374", "(##) ###-###", Some("0"), "00"),
    ("GE", "995", "(###) ##-##-##", Some("0"), "00"),
    ("US", "1", "(###) ###-####", Some("1"), "011"),
    ("CA", "1", "(###) ###-####", Some("1"), "011"),
    ("GB", "44", "#### ######", Some("0"), "00"),
    ("DE", "49", "### ########", Some("0"), "00"),
];

/// What the visitor's input amounts to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum Input {
    /// Not enough digits yet.
    Incomplete,
    /// The right number of digits; `international` is the number it reads as (`+79161234567`).
    Complete {
        /// The number in international form, e.g. `+79161234567`.
        international: String,
        /// The extension's digits, if one was typed after the number.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        extension: Option<String>,
    },
    /// More digits than any number of this country has.
    TooLong,
}

/// Splits what was typed into the number and an extension after it: the extension starts
/// at the first letter, `#`, `,` or `;` that follows a digit (`ext. 12`, `доб. 123`, `x12`,
/// `#12`, `,,12`), or is the American `-12#` / ` 12#` at the end (up to 6 digits before a
/// final `#`, as libphonenumber reads it). Returns the number part and the extension as
/// typed (trimmed), if any.
pub fn split_extension(typed: &str) -> (&str, Option<&str>) {
    if let Some(before) = typed.trim_end().strip_suffix('#') {
        let digits = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let number = before[..before.len() - digits].trim_end_matches(['-', ' ']);
        if (1..=6).contains(&digits) && number.len() < before.len() - digits {
            return (number, Some(typed[number.len()..].trim()));
        }
    }
    let mut seen_digit = false;
    for (i, c) in typed.char_indices() {
        if c.is_ascii_digit() {
            seen_digit = true;
        } else if seen_digit && (c.is_alphabetic() || matches!(c, '#' | ',' | ';')) {
            return (typed[..i].trim_end(), Some(typed[i..].trim()));
        }
    }
    (typed, None)
}

/// The digits of an extension as typed (`доб. 123` → `123`), if it has any.
fn extension_digits(extension: Option<&str>) -> Option<String> {
    let digits: String = extension?.chars().filter(char::is_ascii_digit).collect();
    Some(digits).filter(|d| !d.is_empty())
}

impl PhoneMask {
    /// The mask for a country, if there is one.
    pub fn for_country(country: &str) -> Option<PhoneMask> {
        let c = country.trim().to_ascii_uppercase();
        MASKS.iter().find(|m| m.0 == c).map(|m| PhoneMask {
            country: m.0.into(),
            code: m.1.into(),
            pattern: m.2.into(),
            trunk: m.3.map(str::to_string),
            idd: Some(m.4.to_string()),
        })
    }

    /// Digits of the national number.
    pub fn national_len(&self) -> usize {
        self.pattern.chars().filter(|c| *c == '#').count()
    }

    /// The digits after `+` or after the international prefix, when the input is written in
    /// international form.
    fn international_digits(&self, typed: &str) -> Option<String> {
        let number = split_extension(typed).0.trim_start();
        let digits: String = number.chars().filter(char::is_ascii_digit).collect();
        if number.starts_with('+') {
            return Some(digits);
        }
        let idd = self.idd.as_deref().filter(|i| !i.is_empty())?;
        digits
            .strip_prefix(idd)
            .filter(|rest| !rest.is_empty())
            .map(str::to_string)
    }

    /// Whether the input is another country's number: in international form, with a code
    /// other than the mask's.
    pub fn is_foreign(&self, typed: &str) -> bool {
        self.international_digits(typed).is_some_and(|digits| {
            !digits.is_empty()
                && !self
                    .code
                    .starts_with(&digits[..digits.len().min(self.code.len())])
        })
    }

    /// The national digits in what the visitor typed: without the country code or the trunk
    /// prefix when those lead a too-long input (`8 916...`, `+7 916...`, `7916...`).
    pub fn national_digits(&self, typed: &str) -> String {
        let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
        let n = self.national_len();
        let plus = typed.trim_start().starts_with('+');
        if plus || digits.len() > n {
            if let Some(rest) = digits.strip_prefix(self.code.as_str()) {
                if plus || rest.len() == n {
                    return rest.to_string();
                }
            }
        }
        if let Some(t) = &self.trunk {
            if digits.len() == n + t.len() {
                if let Some(rest) = digits.strip_prefix(t.as_str()) {
                    return rest.to_string();
                }
            }
        }
        digits
    }

    /// The input shown while typing: `+7 (916) 123-4`; another country's number as typed,
    /// and an extension as typed after the number (`+7 (495) 123-45-67 доб. 12`).
    pub fn format(&self, typed: &str) -> String {
        if self.is_foreign(typed) {
            return typed.trim_start().to_string();
        }
        let (number, extension) = split_extension(typed);
        let formatted = self.format_number(number);
        match extension {
            // The extension keeps what separated it: `-12#` stays glued, `доб. 12` spaced.
            Some(ext) if ext.starts_with('-') => format!("{formatted}{ext}"),
            Some(ext) => format!("{formatted} {ext}"),
            None => formatted,
        }
    }

    fn format_number(&self, typed: &str) -> String {
        let digits = self.national_digits(typed);
        let mut out = format!("+{} ", self.code);
        let mut it = digits.chars().peekable();
        for p in self.pattern.chars() {
            if it.peek().is_none() {
                break;
            }
            if p == '#' {
                out.push(it.next().expect("peeked"));
            } else {
                out.push(p);
            }
        }
        out.extend(it);
        out.trim_end().to_string()
    }

    /// The placeholder: `+7 (___) ___-__-__`.
    pub fn placeholder(&self) -> String {
        format!("+{} {}", self.code, self.pattern.replace('#', "_"))
    }

    /// Whether the input has the right number of digits (another country's number: the
    /// digit count of any E.164 number; the extension's digits do not count).
    pub fn check(&self, typed: &str) -> Input {
        if self.is_foreign(typed) {
            let (_, extension) = split_extension(typed);
            let digits = self.international_digits(typed).unwrap_or_default();
            return international(&digits, extension);
        }
        let (number, extension) = split_extension(typed);
        let digits = self.national_digits(number);
        let n = self.national_len();
        match digits.len().cmp(&n) {
            std::cmp::Ordering::Less => Input::Incomplete,
            std::cmp::Ordering::Equal => Input::Complete {
                international: format!("+{}{digits}", self.code),
                extension: extension_digits(extension),
            },
            std::cmp::Ordering::Greater => Input::TooLong,
        }
    }
}

/// The check for countries without a mask: international form, 8 to 15 digits (E.164).
pub fn check_international(typed: &str) -> Input {
    let (number, extension) = split_extension(typed);
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    international(&digits, extension)
}

fn international(digits: &str, extension: Option<&str>) -> Input {
    match digits.len() {
        0..=7 => Input::Incomplete,
        8..=15 => Input::Complete {
            international: format!("+{digits}"),
            extension: extension_digits(extension),
        },
        _ => Input::TooLong,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_input_in_every_usual_form() {
        let m = PhoneMask::for_country("ru").unwrap();
        assert_eq!(m.placeholder(), "+7 (___) ___-__-__");
        let want = Input::Complete {
            international: "+79161234567".into(),
            extension: None,
        };
        for typed in [
            "9161234567",
            "89161234567",
            "+7 916 123 45 67",
            "79161234567",
            "8 (916) 123-45-67",
        ] {
            assert_eq!(m.check(typed), want, "{typed}");
            assert_eq!(m.format(typed), "+7 (916) 123-45-67", "{typed}");
        }
        assert_eq!(m.check("916123"), Input::Incomplete);
        assert_eq!(m.format("916123"), "+7 (916) 123");
        assert_eq!(m.check("+7 916 123 45 67 8"), Input::TooLong);
    }

    #[test]
    fn other_masked_countries() {
        let by = PhoneMask::for_country("BY").unwrap();
        assert_eq!(
            by.check("+375 29 123-45-67"),
            Input::Complete {
                international: "+375291234567".into(),
                extension: None,
            }
        );
        assert_eq!(by.format("80291234567"), "+375 (29) 123-45-67");
        let us = PhoneMask::for_country("US").unwrap();
        assert_eq!(
            us.check("(202) 555-0143"),
            Input::Complete {
                international: "+12025550143".into(),
                extension: None,
            }
        );
        assert!(PhoneMask::for_country("FR").is_none());
    }

    #[test]
    fn unmasked_countries_type_international_numbers() {
        assert_eq!(check_international("+33 1 23 45"), Input::Incomplete);
        assert_eq!(
            check_international("+33 1 23 45 67 89"),
            Input::Complete {
                international: "+33123456789".into(),
                extension: None,
            }
        );
        assert_eq!(check_international("+1234567890123456"), Input::TooLong);
    }

    fn reads_as(international: &str, extension: Option<&str>) -> Input {
        Input::Complete {
            international: international.into(),
            extension: extension.map(str::to_string),
        }
    }

    /// Defect class 1 of issue 11 in the widget: `+49 89 …` on a Russian site was squeezed
    /// into the Russian mask (and refused as too long).
    #[test]
    fn another_countrys_number_is_not_read_with_the_sites_mask() {
        let ru = PhoneMask::for_country("RU").unwrap();
        for (typed, want) in [
            ("+49 89 1234567", "+49891234567"),
            ("+90 532 123 45 67", "+905321234567"),
            ("+375 29 123-45-67", "+375291234567"),
            // The international prefix reads like a +.
            ("810 49 89 1234567", "+49891234567"),
        ] {
            assert!(ru.is_foreign(typed), "{typed}");
            assert_eq!(ru.format(typed), typed, "{typed}");
            assert_eq!(ru.check(typed), reads_as(want, None), "{typed}");
        }
        // A + with the site's own code, or the first digit of it, is still the site's.
        assert!(!ru.is_foreign("+7 916"));
        assert!(!ru.is_foreign("+"));
        assert!(!ru.is_foreign("8 916 123"));
        let us = PhoneMask::for_country("US").unwrap();
        assert!(us.is_foreign("+7 916 123 45 67"));
        assert!(us.is_foreign("011 7 916 123 45 67"));
        assert_eq!(us.check("+7 916 123 45 67"), reads_as("+79161234567", None));
        let de = PhoneMask::for_country("DE").unwrap();
        assert_eq!(
            de.check("00 7 916 123 45 67"),
            reads_as("+79161234567", None)
        );
    }

    /// Defect class 2 in the widget: the extension's digits were counted (and glued on).
    #[test]
    fn an_extension_is_kept_apart() {
        let ru = PhoneMask::for_country("RU").unwrap();
        for (typed, shown, number, ext) in [
            (
                "8 495 123 45 67 доб. 123",
                "+7 (495) 123-45-67 доб. 123",
                "+74951234567",
                "123",
            ),
            (
                "84951234567 ext. 12",
                "+7 (495) 123-45-67 ext. 12",
                "+74951234567",
                "12",
            ),
            (
                "+7 495 123 45 67 #12",
                "+7 (495) 123-45-67 #12",
                "+74951234567",
                "12",
            ),
            (
                "+7 495 123 45 67 x1",
                "+7 (495) 123-45-67 x1",
                "+74951234567",
                "1",
            ),
            (
                "8 495 123 45 67-12#",
                "+7 (495) 123-45-67-12#",
                "+74951234567",
                "12",
            ),
            (
                "+49 89 1234567 ext 5",
                "+49 89 1234567 ext 5",
                "+49891234567",
                "5",
            ),
            (
                "+49 89 1234567-12#",
                "+49 89 1234567-12#",
                "+49891234567",
                "12",
            ),
        ] {
            assert_eq!(ru.format(typed), shown, "{typed}");
            assert_eq!(ru.check(typed), reads_as(number, Some(ext)), "{typed}");
        }
        // An extension label without digits yet leaves the number alone.
        assert_eq!(
            ru.check("8 495 123 45 67 доб"),
            reads_as("+74951234567", None)
        );
        assert_eq!(split_extension("+7 916"), ("+7 916", None));
        assert_eq!(split_extension("916 123#"), ("916", Some("123#")));
        assert_eq!(split_extension("#"), ("#", None));
    }
}
