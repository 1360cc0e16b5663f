//! Phone numbers (SPEC §4): "normalized to E.164; invalid numbers are rejected with a clear
//! message in the widget; toll-free 8-800 numbers cannot be forwarding numbers."
//!
//! Parsing uses the `phonenumber` crate (Google's libphonenumber metadata), with the site's
//! country as the default region, so `8 (916) 123-45-67` on a Russian site is `+79161234567`.
//! It is behind the `server` feature: the widget only checks the digit count of its mask and
//! the worker decides.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A phone number in E.164 form (`+79161234567`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct E164(String);

impl E164 {
    /// The number as stored and dialed, e.g. `+79161234567`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Wraps a string already known to be E.164 (read back from storage).
    pub fn from_stored(s: impl Into<String>) -> E164 {
        E164(s.into())
    }

    /// The number with its middle digits hidden, for logs: `+7916***4567`.
    pub fn masked(&self) -> String {
        let s = &self.0;
        let n = s.chars().count();
        if n <= 8 {
            return s.clone();
        }
        let head: String = s.chars().take(5).collect();
        let tail: String = s.chars().skip(n - 4).collect();
        format!("{head}***{tail}")
    }
}

impl fmt::Display for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a number was refused; each variant's text is what the visitor or marketer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PhoneError {
    /// Nothing was entered.
    Empty,
    /// Not a number that can exist: wrong length or an unknown code.
    Invalid,
    /// "toll-free 8-800 numbers cannot be forwarding numbers".
    TollFree,
}

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PhoneError::Empty => "enter a phone number",
            PhoneError::Invalid => {
                "this is not a valid phone number: check the digits and the country code"
            }
            PhoneError::TollFree => "toll-free 8-800 numbers cannot receive callbacks",
        })
    }
}

impl std::error::Error for PhoneError {}

#[cfg(feature = "server")]
mod parse {
    use super::*;
    use phonenumber::metadata::{Metadata, DATABASE};
    use phonenumber::{country, Mode, Type};

    /// A number read from input: country code, national significant number, and whether it is
    /// toll-free.
    struct Read {
        e164: String,
        toll_free: bool,
    }

    /// Number types a callback can go to or come from.
    const KINDS: [Type; 10] = [
        Type::FixedLine,
        Type::Mobile,
        Type::FixedLineOrMobile,
        Type::TollFree,
        Type::PremiumRate,
        Type::SharedCost,
        Type::PersonalNumber,
        Type::Voip,
        Type::Uan,
        Type::Voicemail,
    ];

    /// Whether a descriptor's pattern matches the whole national number, at a possible length.
    fn full_match(meta: &Metadata, kind: Type, national: &str) -> bool {
        let Some(d) = meta.descriptors().get(kind) else {
            return false;
        };
        let lengths = d.possible_length();
        if !lengths.is_empty() && !lengths.contains(&(national.len() as u16)) {
            return false;
        }
        // The metadata keeps its XML's layout: whitespace is not part of the pattern.
        let pattern: String = d.national_number().as_str().split_whitespace().collect();
        regex::Regex::new(&format!("^(?:{pattern})$")).is_ok_and(|re| re.is_match(national))
    }

    /// Reads `digits` as `code` + national number, if the metadata of any region with that
    /// code accepts it.
    fn read_as(code: u16, national: &str) -> Option<Read> {
        let metas = DATABASE.by_code(&code)?;
        let kind = metas
            .iter()
            .find_map(|m| KINDS.into_iter().find(|k| full_match(m, *k, national)))?;
        Some(Read {
            e164: format!("+{code}{national}"),
            toll_free: kind == Type::TollFree,
        })
    }

    /// Our own reading with the crate's metadata, for what the crate's parser gets wrong: it
    /// strips a leading national-prefix digit even when that digit belongs to the number
    /// (whisperfish/rust-phonenumber#76: `+7 800 …`, `+7 812 …`, `8 (843) …` lose their 8).
    fn read_digits(input: &str, default_country: &str) -> Option<Read> {
        let digits: String = input.chars().filter(char::is_ascii_digit).collect();
        if input.trim_start().starts_with('+') {
            return (1..=3).find_map(|n| {
                let code: u16 = digits.get(..n)?.parse().ok()?;
                read_as(code, digits.get(n..)?)
            });
        }
        let meta = DATABASE.by_id(default_country)?;
        let code = meta.country_code();
        let mut candidates = vec![digits.clone()];
        if let Some(prefix) = meta.national_prefix() {
            if let Some(rest) = digits.strip_prefix(prefix) {
                candidates.push(rest.to_string());
            }
        }
        if let Some(rest) = digits.strip_prefix(&code.to_string()) {
            candidates.push(rest.to_string());
        }
        candidates
            .iter()
            .find_map(|national| read_as(code, national))
    }

    fn read(input: &str, default_country: &str) -> Result<Read, PhoneError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(PhoneError::Empty);
        }
        let region_code = default_country.trim().to_ascii_uppercase();
        let region = region_code.parse::<country::Id>().ok();
        if let Ok(number) = phonenumber::parse(region, trimmed) {
            if phonenumber::is_valid(&number) {
                return Ok(Read {
                    e164: number.format().mode(Mode::E164).to_string(),
                    toll_free: number.number_type(&DATABASE) == Type::TollFree,
                });
            }
        }
        read_digits(trimmed, &region_code).ok_or(PhoneError::Invalid)
    }

    /// Normalizes a number a visitor typed, reading it in `default_country` (ISO 3166-1
    /// alpha-2, from the site's settings) unless it starts with `+`.
    pub fn normalize(input: &str, default_country: &str) -> Result<E164, PhoneError> {
        read(input, default_country).map(|r| E164(r.e164))
    }

    /// Normalizes a forwarding (operator) number: like [`normalize`], and never toll-free.
    pub fn normalize_forwarding(input: &str, default_country: &str) -> Result<E164, PhoneError> {
        let r = read(input, default_country)?;
        if r.toll_free {
            return Err(PhoneError::TollFree);
        }
        Ok(E164(r.e164))
    }
}

#[cfg(feature = "server")]
pub use parse::*;

#[cfg(all(test, feature = "server"))]
mod tests {
    use super::*;

    #[test]
    fn russian_numbers_in_every_usual_spelling_normalize_to_e164() {
        let want = "+79161234567";
        for input in [
            "8 (916) 123-45-67",
            "+7 916 123 45 67",
            "89161234567",
            "9161234567",
            "+7(916)1234567",
            "  8-916-123-45-67 ",
        ] {
            assert_eq!(normalize(input, "RU").unwrap().as_str(), want, "{input}");
        }
    }

    /// Numbers whose national part starts with 8 (St Petersburg 812, Kazan 843, 8-800) keep
    /// their 8 (the crate's parser drops it: whisperfish/rust-phonenumber#76).
    #[test]
    fn numbers_starting_with_8_after_the_code_keep_it() {
        let cases = [
            ("+7 812 123-45-67", "+78121234567"),
            ("8 812 123 45 67", "+78121234567"),
            ("8 (843) 123-45-67", "+78431234567"),
            ("88005553535", "+78005553535"),
            ("+7 800 555-35-35", "+78005553535"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input, "RU").unwrap().as_str(), want, "{input}");
        }
        assert_eq!(
            normalize_forwarding("+7 812 123-45-67", "RU")
                .unwrap()
                .as_str(),
            "+78121234567"
        );
    }

    #[test]
    fn the_site_country_is_the_default_region() {
        assert_eq!(
            normalize("(202) 555-0143", "US").unwrap().as_str(),
            "+12025550143"
        );
        assert_eq!(
            normalize("030 901820", "DE").unwrap().as_str(),
            "+4930901820"
        );
        // A leading + overrides the site's country.
        assert_eq!(
            normalize("+44 20 7946 0018", "RU").unwrap().as_str(),
            "+442079460018"
        );
        // An unknown site country still reads international numbers.
        assert_eq!(
            normalize("+7 916 123 45 67", "??").unwrap().as_str(),
            "+79161234567"
        );
    }

    #[test]
    fn invalid_numbers_are_rejected_with_a_clear_message() {
        assert_eq!(normalize("   ", "RU"), Err(PhoneError::Empty));
        for input in [
            "123",
            "8 916 123 45",
            "8 916 123 45 678 90",
            "hello",
            "+999 1234567",
        ] {
            assert_eq!(normalize(input, "RU"), Err(PhoneError::Invalid), "{input}");
        }
        assert_eq!(
            PhoneError::Invalid.to_string(),
            "this is not a valid phone number: check the digits and the country code"
        );
    }

    #[test]
    fn toll_free_8_800_numbers_cannot_be_forwarding_numbers() {
        assert_eq!(
            normalize_forwarding("8 800 555-35-35", "RU"),
            Err(PhoneError::TollFree)
        );
        // A visitor may still leave one (it is a valid number); only forwarding refuses it.
        assert_eq!(
            normalize("8 800 555-35-35", "RU").unwrap().as_str(),
            "+78005553535"
        );
        assert_eq!(
            normalize_forwarding("+7 495 123-45-67", "RU")
                .unwrap()
                .as_str(),
            "+74951234567"
        );
        assert_eq!(
            PhoneError::TollFree.to_string(),
            "toll-free 8-800 numbers cannot receive callbacks"
        );
    }

    #[test]
    fn masked_numbers_hide_the_middle() {
        assert_eq!(E164::from_stored("+79161234567").masked(), "+7916***4567");
        assert_eq!(E164::from_stored("+1234").masked(), "+1234");
    }

    #[test]
    fn display_is_the_e164_form() {
        let n = normalize("8 (916) 123-45-67", "RU").unwrap();
        assert_eq!(n.to_string(), "+79161234567");
        assert_eq!(
            format!("{}", E164::from_stored("+74951234567")),
            "+74951234567"
        );
    }
}
