//! Phone numbers (SPEC §4): "normalized to E.164; invalid numbers are rejected with a clear
//! message in the widget; toll-free 8-800 numbers cannot be forwarding numbers."
//!
//! A number is read as libphonenumber reads it ([`parse`], a port over the `phonenumber`
//! crate's metadata), with the site's country as the default region, so `8 (916) 123-45-67`
//! on a Russian site is `+79161234567`. Ringback's own rules come on top:
//! - **A number that starts with `+` is never read with the site's national rules**: after
//!   `+49` only Germany's rules apply (`+49 89 …` keeps its 8 on a Russian site).
//! - **Extensions are read apart** (`ext. 12`, `доб. 123`, `x12`, `#12`): kept with the order
//!   and told to the operator, never dialed as part of the number.
//! - **A number is valid or refused, never repaired**: too many digits (`88 916 …`) is a clear
//!   error, not a guess.
//! - **Client numbers must be callable at ordinary cost** ([`client_number`]): premium-rate,
//!   shared-cost, universal access, personal, voicemail-access, VoIP and pager numbers, and
//!   non-geographic numbers (satellite, global services), are refused; so is a number from a
//!   country the site does not serve (its own country and those its allow-list adds).
//!   Toll-free numbers cost the caller nothing and are accepted.
//!
//! It is behind the `server` feature: the widget only checks the digit count of its mask
//! ([`crate::mask`]) and the worker decides.

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

    /// The number with at least half of its digits hidden, for logs: the first digits (the
    /// country code, at most 3) and the last quarter (at most 4) are kept, `+791***67`.
    pub fn masked(&self) -> String {
        mask_digits(&self.0)
    }
}

/// [`E164::masked`] for any run of digits, with or without its `+`.
pub fn mask_digits(number: &str) -> String {
    let (plus, digits) = match number.strip_prefix('+') {
        Some(rest) => ("+", rest),
        None => ("", number),
    };
    let d = digits.chars().count();
    if d == 0 {
        return number.to_string();
    }
    let tail = (d / 4).clamp(1, 4);
    let head = (d / 2).saturating_sub(tail).min(3);
    let first: String = digits.chars().take(head).collect();
    let last: String = digits.chars().skip(d - tail).collect();
    format!("{plus}{first}***{last}")
}

impl fmt::Display for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a number was refused; each variant's text is what the visitor or marketer reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PhoneError {
    /// Nothing was entered.
    Empty,
    /// Not a number that can exist: an unknown code, or digits no number of the country has.
    Invalid,
    /// Fewer digits than any number of the country.
    TooShort,
    /// More digits than any number of the country.
    TooLong,
    /// "toll-free 8-800 numbers cannot be forwarding numbers".
    TollFree,
    /// A type of number a callback never rings: it costs the caller extra or reaches no
    /// person (premium rate, shared cost, universal access, personal, voicemail, pager).
    NotCallable(NumberKind),
    /// A non-geographic number (`+800`, `+881` satellite phones, `+882`, `+883`).
    NonGeographic,
    /// The number's country is not among the countries the site calls back.
    CountryNotServed {
        /// ISO 3166-1 alpha-2 of the number.
        country: String,
        /// The site's allow-list.
        served: Vec<String>,
    },
}

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PhoneError::Empty => f.write_str("enter a phone number"),
            PhoneError::Invalid => f.write_str(
                "this is not a valid phone number: check the digits and the country code",
            ),
            PhoneError::TooShort => {
                f.write_str("this number is too short: check that no digit is missing")
            }
            PhoneError::TooLong => f.write_str(
                "this number has too many digits: check it (write an extension as \"ext. 12\")",
            ),
            PhoneError::TollFree => f.write_str("toll-free 8-800 numbers cannot receive callbacks"),
            PhoneError::NotCallable(kind) => write!(
                f,
                "we cannot call {} numbers back: leave a mobile or landline number",
                kind.words()
            ),
            PhoneError::NonGeographic => f.write_str(
                "we cannot call satellite or international service numbers back: leave a mobile or landline number",
            ),
            PhoneError::CountryNotServed { country, served } => write!(
                f,
                "this site calls back numbers from {} only; this number is from {country}",
                served.join(", ")
            ),
        }
    }
}

impl std::error::Error for PhoneError {}

impl PhoneError {
    /// What the visitor reads, in the widget's language (English is [`fmt::Display`]).
    pub fn message(&self, lang: crate::texts::Lang) -> String {
        use crate::texts::Lang;
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            PhoneError::Empty => "введите номер телефона".into(),
            PhoneError::Invalid => {
                "такого номера не бывает: проверьте цифры и код страны".into()
            }
            PhoneError::TooShort => "в номере не хватает цифр".into(),
            PhoneError::TooLong => {
                "в номере лишние цифры: проверьте его (добавочный пишите как «доб. 12»)".into()
            }
            PhoneError::TollFree => "на номера 8-800 обратный звонок не переводится".into(),
            PhoneError::NotCallable(kind) => format!(
                "на {} номера мы не перезваниваем: оставьте мобильный или городской",
                kind.words_ru()
            ),
            PhoneError::NonGeographic => {
                "на спутниковые и международные сервисные номера мы не перезваниваем: оставьте мобильный или городской".into()
            }
            PhoneError::CountryNotServed { country, served } => format!(
                "этот сайт перезванивает только на номера стран: {}; этот номер из {country}",
                served.join(", ")
            ),
        }
    }
}

/// The types of number libphonenumber tells apart (`PhoneNumberType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NumberKind {
    /// A landline.
    FixedLine,
    /// A mobile phone.
    Mobile,
    /// Either: the country's plan does not tell them apart (the US, Canada).
    FixedLineOrMobile,
    /// Free for the caller (`8-800`).
    TollFree,
    /// Premium rate: the caller pays extra, and someone earns it.
    PremiumRate,
    /// The cost is shared between caller and recipient.
    SharedCost,
    /// Voice over IP.
    Voip,
    /// A personal number routed elsewhere.
    PersonalNumber,
    /// A pager.
    Pager,
    /// A universal access (company) number.
    Uan,
    /// Voicemail access.
    Voicemail,
}

impl NumberKind {
    /// The type in words, for messages: "premium-rate".
    pub fn words(self) -> &'static str {
        match self {
            NumberKind::FixedLine => "landline",
            NumberKind::Mobile => "mobile",
            NumberKind::FixedLineOrMobile => "landline or mobile",
            NumberKind::TollFree => "toll-free",
            NumberKind::PremiumRate => "premium-rate",
            NumberKind::SharedCost => "shared-cost",
            NumberKind::Voip => "VoIP",
            NumberKind::PersonalNumber => "personal",
            NumberKind::Pager => "pager",
            NumberKind::Uan => "universal access (company)",
            NumberKind::Voicemail => "voicemail access",
        }
    }

    /// The type in Russian words, for messages: «платные».
    pub fn words_ru(self) -> &'static str {
        match self {
            NumberKind::FixedLine => "городские",
            NumberKind::Mobile => "мобильные",
            NumberKind::FixedLineOrMobile => "городские и мобильные",
            NumberKind::TollFree => "бесплатные (8-800)",
            NumberKind::PremiumRate => "платные",
            NumberKind::SharedCost => "номера с разделённой оплатой,",
            NumberKind::Voip => "IP-телефонии",
            NumberKind::PersonalNumber => "персональные",
            NumberKind::Pager => "пейджерные",
            NumberKind::Uan => "единые (корпоративные)",
            NumberKind::Voicemail => "голосовой почты",
        }
    }

    /// "visitor (client) numbers must be mobile or fixed-line": the types a callback rings.
    /// Toll-free lines reach a person at no extra cost and are rung too; VoIP ranges are not
    /// (in several countries they are billed above a call to a subscriber, and they are where
    /// numbers are rented by the minute).
    pub fn callable(self) -> bool {
        matches!(
            self,
            NumberKind::FixedLine
                | NumberKind::Mobile
                | NumberKind::FixedLineOrMobile
                | NumberKind::TollFree
        )
    }
}

/// A number read from input, with what is known of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    /// The number dialed, in E.164.
    pub e164: E164,
    /// The extension typed after it (`доб. 123` → `123`), told to the operator, never dialed.
    pub extension: Option<String>,
    /// ISO 3166-1 alpha-2 of the number's country (`001` for non-geographic numbers).
    pub country: String,
    /// The number's type.
    pub kind: NumberKind,
}

#[cfg(feature = "server")]
mod parse;

#[cfg(feature = "server")]
mod read {
    use super::*;
    use parse::{Length, ParseError};

    /// Reads a number typed in `default_country` (ISO 3166-1 alpha-2, from the site's
    /// settings); a `+` or the country's international prefix (`810`, `00`) makes the
    /// country code decide instead.
    pub fn read(input: &str, default_country: &str) -> Result<Number, PhoneError> {
        if input.trim().is_empty() {
            return Err(PhoneError::Empty);
        }
        let region = default_country.trim().to_ascii_uppercase();
        let parsed = parse::parse(input.trim(), &region).map_err(|e| match e {
            ParseError::NotANumber => PhoneError::Invalid,
            ParseError::TooShort => PhoneError::TooShort,
            ParseError::TooLong => PhoneError::TooLong,
        })?;
        let Some(valid) = parse::validate(&parsed) else {
            return Err(
                match parse::metadata_of(&parsed).map(|m| parse::test_length(&parsed.national, m)) {
                    Some(Length::TooShort) => PhoneError::TooShort,
                    Some(Length::TooLong) => PhoneError::TooLong,
                    _ => PhoneError::Invalid,
                },
            );
        };
        Ok(Number {
            e164: E164(format!("+{}{}", parsed.country_code, parsed.national)),
            extension: parsed.extension,
            country: valid.region,
            kind: valid.kind,
        })
    }

    /// Whether `region` (ISO 3166-1 alpha-2) is a country the phone metadata knows.
    pub fn is_region(region: &str) -> bool {
        region != "001" && phonenumber::metadata::DATABASE.by_id(region).is_some()
    }

    /// Normalizes a number a visitor typed, reading it in `default_country` unless it starts
    /// with `+` (the extension, if any, is left out: see [`read`]).
    pub fn normalize(input: &str, default_country: &str) -> Result<E164, PhoneError> {
        read(input, default_country).map(|n| n.e164)
    }

    /// Normalizes a forwarding (operator) number: like [`normalize`], and never toll-free.
    pub fn normalize_forwarding(input: &str, default_country: &str) -> Result<E164, PhoneError> {
        let n = read(input, default_country)?;
        if n.kind == NumberKind::TollFree {
            return Err(PhoneError::TollFree);
        }
        Ok(n.e164)
    }

    /// A client's (visitor's) number for a callback: valid, of a type a callback rings, and
    /// from a country the site serves. `served` is the site's allow-list of countries (ISO
    /// 3166-1 alpha-2) it calls back besides its own.
    pub fn client_number(
        input: &str,
        site_country: &str,
        served: &[String],
    ) -> Result<Number, PhoneError> {
        let n = read(input, site_country)?;
        if n.country == "001" {
            return Err(PhoneError::NonGeographic);
        }
        if !n.kind.callable() {
            return Err(PhoneError::NotCallable(n.kind));
        }
        let served = served_countries(site_country, served);
        if !served.contains(&n.country) {
            return Err(PhoneError::CountryNotServed {
                country: n.country,
                served,
            });
        }
        Ok(n)
    }
}

#[cfg(feature = "server")]
pub use read::*;

/// The countries a site calls back, upper-case and without repeats: its own country ("default:
/// the site's own country"), then the countries its allow-list adds.
pub fn served_countries(site_country: &str, served: &[String]) -> Vec<String> {
    countries(std::iter::once(site_country).chain(served.iter().map(String::as_str)))
}

/// Country codes as they are stored and compared: trimmed, upper-case, without blanks or
/// repeats, in their first order.
pub fn countries<'a>(codes: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in codes.into_iter().map(|c| c.trim().to_ascii_uppercase()) {
        if !c.is_empty() && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

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
        use PhoneError::*;
        for (input, want) in [
            ("   ", Empty),
            ("123", TooShort),
            ("8 916 123 45", TooShort),
            ("8 916 123 45 678 90", Invalid),
            ("+1 202 555 01439", TooLong),
            ("hello", Invalid),
            ("+999 1234567", Invalid),
            ("8 (299) 123-45-67", Invalid),
        ] {
            assert_eq!(normalize(input, "RU"), Err(want), "{input}");
        }
        assert_eq!(
            PhoneError::Invalid.to_string(),
            "this is not a valid phone number: check the digits and the country code"
        );
    }

    /// Defect class 1 of issue 11: the site's national prefix ("8" in Russia and Kazakhstan,
    /// "80" in Belarus, "1" in the US) was stripped from the digits after a foreign country
    /// code, making another, still valid, number.
    #[test]
    fn a_number_with_a_plus_is_never_read_with_the_sites_national_rules() {
        for site in ["RU", "KZ", "BY", "US"] {
            for (input, want) in [
                ("+49 89 1234567", "+49891234567"),
                ("+49 89 12345678", "+498912345678"),
                ("+498912345678", "+498912345678"),
                ("+90 212 555 12 34", "+902125551234"),
                ("+90 532 123 45 67", "+905321234567"),
                ("+905321234567", "+905321234567"),
                ("+1 202 555 0143", "+12025550143"),
                ("+7 916 123-45-67", "+79161234567"),
                ("+44 20 7946 0018", "+442079460018"),
            ] {
                assert_eq!(
                    normalize(input, site).unwrap().as_str(),
                    want,
                    "{site} {input}"
                );
            }
        }
        // The site's international prefix reads like a +: 810 in Russia, 00 in Belarus.
        assert_eq!(
            normalize("810 49 89 1234567", "RU").unwrap().as_str(),
            "+49891234567"
        );
        assert_eq!(
            normalize("00 49 89 1234567", "DE").unwrap().as_str(),
            "+49891234567"
        );
    }

    /// Defect class 2: an extension is read apart, never glued onto the digits.
    #[test]
    fn extensions_are_kept_apart_from_the_number() {
        for (input, ext) in [
            ("8 916 123-45-67 доб. 123", "123"),
            ("8 (495) 123-45-67 ext. 12", "12"),
            ("+7 916 123 45 67 x12", "12"),
            ("+7 916 123 45 67 #12", "12"),
            ("89161234567,,4", "4"),
        ] {
            let n = read(input, "RU").unwrap();
            assert!(n.e164.as_str() == "+79161234567" || n.e164.as_str() == "+74951234567");
            assert_eq!(n.extension.as_deref(), Some(ext), "{input}");
        }
        assert_eq!(
            read("(202) 555-0143 x12", "US")
                .unwrap()
                .extension
                .as_deref(),
            Some("12")
        );
        assert_eq!(read("+7 916 123 45 67", "RU").unwrap().extension, None);
    }

    /// Defect class 3: more digits than the country's numbers have is an error, not a
    /// guess at which digit is extra.
    #[test]
    fn over_long_numbers_are_refused() {
        use PhoneError::*;
        // Russia also has 14-digit numbers (8 + 13), so 11 to 13 digits are no length of
        // a Russian number rather than too many: libphonenumber says "invalid" there too.
        for (input, site, want) in [
            ("88 916 123 45 67", "RU", Invalid),
            ("8 916 123 45 67 8", "RU", Invalid),
            ("+7 916 123 45 67 89", "RU", Invalid),
            ("+49 30 90182012345678", "RU", TooLong),
            ("+1 202 555 01439", "US", TooLong),
            ("+90 532 123 45 678", "RU", Invalid),
            ("+44 20 7946 00181", "RU", TooLong),
        ] {
            assert_eq!(normalize(input, site), Err(want), "{input}");
        }
    }

    #[test]
    fn client_numbers_must_be_callable_at_ordinary_cost() {
        let ru = ["RU".to_string()];
        for (input, kind) in [
            ("8 809 123 45 67", NumberKind::PremiumRate),
            ("8 803 123 45 67", NumberKind::PremiumRate),
        ] {
            assert_eq!(
                client_number(input, "RU", &ru),
                Err(PhoneError::NotCallable(kind)),
                "{input}"
            );
        }
        let gb = ["GB".to_string()];
        for (input, kind) in [
            ("+44 909 879 0000", NumberKind::PremiumRate),
            ("+44 870 123 4567", NumberKind::PremiumRate),
            ("+44 70 1234 5678", NumberKind::PersonalNumber),
            ("+44 55 1234 5678", NumberKind::Uan),
            ("+44 76 4012 3456", NumberKind::Pager),
            ("+44 56 1234 5678", NumberKind::Voip),
        ] {
            assert_eq!(
                client_number(input, "GB", &gb),
                Err(PhoneError::NotCallable(kind)),
                "{input}"
            );
        }
        let de = ["DE".to_string()];
        for (input, kind) in [
            ("+49 180 1 2345", NumberKind::SharedCost),
            ("+49 177 99 1234567", NumberKind::Voicemail),
            ("+49 900 1 234567", NumberKind::PremiumRate),
        ] {
            assert_eq!(
                client_number(input, "DE", &de),
                Err(PhoneError::NotCallable(kind)),
                "{input}"
            );
        }
        assert_eq!(
            client_number("+881 6 12345678", "RU", &ru),
            Err(PhoneError::NonGeographic)
        );
        // Mobile, landline and toll-free numbers are called back.
        for input in ["8 916 123 45 67", "8 495 123 45 67", "8 800 555 35 35"] {
            assert!(client_number(input, "RU", &ru).is_ok(), "{input}");
        }
        assert_eq!(
            PhoneError::NotCallable(NumberKind::PremiumRate).to_string(),
            "we cannot call premium-rate numbers back: leave a mobile or landline number"
        );
    }

    #[test]
    fn a_site_calls_back_the_countries_it_serves() {
        // By default only the site's own country.
        assert_eq!(
            client_number("+49 89 1234567", "RU", &[]),
            Err(PhoneError::CountryNotServed {
                country: "DE".into(),
                served: vec!["RU".into()]
            })
        );
        // The allow-list adds countries: the site's own stays served.
        let served = ["DE".to_string()];
        let n = client_number("+49 89 1234567", "RU", &served).unwrap();
        assert!(client_number("+7 916 123 45 67", "RU", &served).is_ok());
        assert_eq!(
            (n.e164.as_str(), n.country.as_str()),
            ("+49891234567", "DE")
        );
        // +7 is Russia or Kazakhstan by its digits.
        assert!(matches!(
            client_number("+7 701 123 45 67", "RU", &[]),
            Err(PhoneError::CountryNotServed { country, .. }) if country == "KZ"
        ));
        assert_eq!(
            PhoneError::CountryNotServed {
                country: "DE".into(),
                served: vec!["RU".into(), "KZ".into()]
            }
            .to_string(),
            "this site calls back numbers from RU, KZ only; this number is from DE"
        );
        assert_eq!(
            served_countries("RU", &[" kz ".into(), "KZ".into(), "".into(), "ru".into()]),
            vec!["RU".to_string(), "KZ".to_string()]
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
        for (number, masked) in [
            ("+79161234567", "+791***67"),
            ("+442079460018", "+442***018"),
            ("+6837012", "+68***2"),
            ("+12345678", "+12***78"),
            ("2025550143", "202***43"),
            ("+1234", "+1***4"),
        ] {
            assert_eq!(mask_digits(number), masked, "{number}");
            // At least half of the digits are hidden.
            let shown = masked.chars().filter(char::is_ascii_digit).count();
            let all = number.chars().filter(char::is_ascii_digit).count();
            assert!(shown * 2 <= all, "{number} → {masked}");
        }
        assert_eq!(E164::from_stored("+79161234567").masked(), "+791***67");
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
