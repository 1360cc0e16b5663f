//! Reading a typed number the way libphonenumber does.
//!
//! A port of libphonenumber's `PhoneNumberUtil.parse`, `isValidNumber`, `getNumberType` and
//! `getRegionCodeForNumber` over the metadata the `phonenumber` crate carries (the same
//! release, 9.0.33). The crate's own parser is not used: it reads the national prefix of the
//! *site's* country after a `+` and a foreign country code (`+49 89 …` on a Russian site lost
//! its 8), and drops a leading 8 that belongs to the number (whisperfish/rust-phonenumber#76).
//! Every step below names the libphonenumber function it follows; the table in
//! `shared/tests/phone_reference.tsv`, written by the Python port of libphonenumber of the same
//! release, checks that both read every spelling alike.
//!
//! The steps, as libphonenumber takes them:
//! 1. keep the part of the input that can be a number (`extractPossibleNumber`);
//! 2. cut off an extension (`maybeStripExtension`: `ext. 12`, `доб. 123`, `x12`, `#12`, `,,12`);
//! 3. a leading `+` or the site country's international prefix (`810`, `00`, `011`) means a
//!    country code follows; then the number is read with *that* country's rules only
//!    (`maybeExtractCountryCode`);
//! 4. otherwise the number is the site country's, perhaps written with its own country code
//!    (`7 916 …`);
//! 5. the national prefix (`8`, `0`, `1`) is stripped when what remains still fits the
//!    country's numbers (`maybeStripNationalPrefixAndCarrierCode`, `testNumberLength`);
//! 6. the national number is valid when it matches one of the country's number types, with
//!    a length that type allows (`getNumberTypeHelper`).

use super::NumberKind;
use phonenumber::metadata::{Descriptor, Metadata, DATABASE};
use regex::Regex;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

/// A number as libphonenumber reads it, before any of Ringback's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parsed {
    /// The country calling code (`7`, `49`).
    pub country_code: u16,
    /// The national significant number, digits only (`9161234567`).
    pub national: String,
    /// The extension, digits only, when the input had one.
    pub extension: Option<String>,
}

/// Why libphonenumber's `parse` refuses an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParseError {
    /// `NOT_A_NUMBER`, `INVALID_COUNTRY_CODE`: nothing that reads as a phone number.
    NotANumber,
    /// `TOO_SHORT_NSN`, `TOO_SHORT_AFTER_IDD`.
    TooShort,
    /// `TOO_LONG`: over 250 characters typed, or a national number over 17 digits.
    TooLong,
}

const MIN_LENGTH_FOR_NSN: usize = 2;
const MAX_LENGTH_FOR_NSN: usize = 17;
const MAX_LENGTH_COUNTRY_CODE: usize = 3;
const MAX_INPUT_STRING_LENGTH: usize = 250;

/// `VALID_PUNCTUATION`: dashes, spaces, dots, slashes, brackets, tildes (and `x`, a carrier
/// placeholder), with their full-width forms.
const VALID_PUNCTUATION: &str = "\\-x\u{2010}-\u{2015}\u{2212}\u{30FC}\u{FF0D}-\u{FF0F} \u{00A0}\u{00AD}\u{200B}\u{2060}\u{3000}()\u{FF08}\u{FF09}\u{FF3B}\u{FF3D}.\\[\\]/~\u{2053}\u{223C}\u{FF5E}";
const PLUS_CHARS: &str = "+\u{FF0B}";

/// `EXTN_PATTERNS_FOR_PARSING` (`createExtnPattern(true)`): each way of writing an extension,
/// with the most digits each label allows; exactly one group captures the digits.
fn extension_patterns() -> String {
    let digits = |n: u32| format!("(\\d{{1,{n}}})");
    let separators = "[ \u{00A0}\\t,]*";
    let after_label = "[:\\.\u{FF0E}]?[ \u{00A0}\\t,-]*";
    let explicit_labels =
        "(?:e?xt(?:ensi(?:o\u{0301}?|\u{00F3}))?n?|\u{FF45}?\u{FF58}\u{FF54}\u{FF4E}?|доб|anexo)";
    let ambiguous_labels = "(?:[x\u{FF58}#\u{FF03}~\u{FF5E}]|int|\u{FF49}\u{FF4E}\u{FF54})";
    let no_comma = "[ \u{00A0}\\t]*";
    [
        format!(";ext={}", digits(20)),
        format!("{separators}{explicit_labels}{after_label}{}#?", digits(20)),
        format!("{separators}{ambiguous_labels}{after_label}{}#?", digits(9)),
        format!("[- ]+{}#", digits(6)),
        format!("{no_comma}(?:,{{2}}|;){after_label}{}#?", digits(15)),
        format!("{no_comma}(?:,)+{after_label}{}#?", digits(9)),
    ]
    .join("|")
}

struct Patterns {
    /// `VALID_PHONE_NUMBER_PATTERN`, anchored.
    viable: Regex,
    /// `EXTN_PATTERN`: an extension at the end.
    extension: Regex,
    /// `VALID_START_CHAR_PATTERN`.
    start: Regex,
    /// `UNWANTED_END_CHAR_PATTERN`.
    unwanted_end: Regex,
    /// `SECOND_NUMBER_START_PATTERN`.
    second_number: Regex,
    /// `LEADING_PLUS_CHARS_PATTERN`.
    leading_plus: Regex,
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    let ext = extension_patterns();
    let valid = format!(
        "\\d{{{MIN_LENGTH_FOR_NSN}}}|[{PLUS_CHARS}]*(?:[{VALID_PUNCTUATION}*]*\\d){{3,}}[{VALID_PUNCTUATION}*A-Za-z\\d]*"
    );
    let re = |p: &str| Regex::new(p).expect("libphonenumber's patterns compile");
    Patterns {
        viable: re(&format!("(?i)^(?:(?:{valid})(?:{ext})?)$")),
        extension: re(&format!("(?i)(?:{ext})$")),
        start: re(&format!("[{PLUS_CHARS}\\d]")),
        unwanted_end: re("[\\P{N}&&\\P{L}&&[^#]]+$"),
        second_number: re("[\\\\/] *x"),
        leading_plus: re(&format!("^[{PLUS_CHARS}]+")),
    }
});

/// The metadata's patterns, compiled once each: whole-string (`^(?:…)$`) for national
/// numbers, prefix (`^(?:…)`) for national and international prefixes and leading digits.
/// Keyed by where the pattern lives: every pattern is a `'static` string of the crate's
/// database, which never changes.
static COMPILED: LazyLock<Mutex<HashMap<PatternKey, Regex>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// A pattern's address and length, and whether it must match the whole number.
type PatternKey = (usize, usize, bool);

fn with_regex<T>(pattern: &'static str, whole: bool, f: impl FnOnce(&Regex) -> T) -> Option<T> {
    let key = (pattern.as_ptr() as usize, pattern.len(), whole);
    let cached = COMPILED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&key)
        .cloned();
    let re = match cached {
        Some(re) => re,
        None => {
            // The metadata keeps its XML's layout: whitespace is not part of a pattern.
            let clean: String = pattern.split_whitespace().collect();
            let anchored = if whole {
                format!("^(?:{clean})$")
            } else {
                format!("^(?:{clean})")
            };
            let re = Regex::new(&anchored).ok()?;
            COMPILED
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(key, re.clone());
            re
        }
    };
    // The lock is released before `f` runs: `f` may look up other patterns.
    Some(f(&re))
}

/// `matchNationalNumber` without prefix matches: the whole number matches the pattern.
fn matches_whole(number: &str, desc: &'static Descriptor) -> bool {
    with_regex(desc.national_number().as_str(), true, |re| {
        re.is_match(number)
    })
    .unwrap_or(false)
}

/// `isNumberMatchingDesc`: a possible length of the type, and its pattern.
fn matching_desc(number: &str, desc: Option<&'static Descriptor>) -> bool {
    let Some(desc) = desc else {
        return false;
    };
    let lengths = desc.possible_length();
    if !lengths.is_empty() && !lengths.contains(&(number.len() as u16)) {
        return false;
    }
    matches_whole(number, desc)
}

/// The general description's possible lengths, national and local-only. The metadata file
/// leaves them out and libphonenumber's build computes them
/// (`BuildMetadataFromXml.setPossibleLengthsGeneralDesc`): every length of every type but
/// "no international dialling"; a length that is national somewhere is not local-only.
fn general_lengths(meta: &'static Metadata) -> (Vec<u16>, Vec<u16>) {
    let d = meta.descriptors();
    let types = [
        d.fixed_line(),
        d.mobile(),
        d.toll_free(),
        d.premium_rate(),
        d.shared_cost(),
        d.personal_number(),
        d.voip(),
        d.pager(),
        d.uan(),
        d.voicemail(),
    ];
    let mut national: Vec<u16> = d.general().possible_length().to_vec();
    let mut local: Vec<u16> = d.general().possible_local_length().to_vec();
    for desc in types.into_iter().flatten() {
        national.extend_from_slice(desc.possible_length());
        local.extend_from_slice(desc.possible_local_length());
    }
    national.sort_unstable();
    national.dedup();
    local.sort_unstable();
    local.dedup();
    local.retain(|l| !national.contains(l));
    (national, local)
}

/// `isNumberMatchingDesc` for the general description, with its computed lengths.
fn matching_general(number: &str, meta: &'static Metadata) -> bool {
    let (lengths, _) = general_lengths(meta);
    (lengths.is_empty() || lengths.contains(&(number.len() as u16)))
        && matches_whole(number, meta.descriptors().general())
}

/// The national prefix for parsing; "when it is missing from the XML file, this field
/// inherits the value of national prefix" (the crate does not fill it in).
fn national_prefix_for_parsing(meta: &'static Metadata) -> Option<&'static str> {
    meta.national_prefix_for_parsing()
        .map(|r| r.as_str())
        .or(meta.national_prefix())
        .filter(|p| !p.is_empty())
}

/// `normalizeDigitsOnly` for one character: decimal digits of the scripts visitors type
/// (ASCII, full-width, Arabic-Indic, Eastern Arabic-Indic, Devanagari, Bengali).
fn digit_value(c: char) -> Option<char> {
    let base = match c {
        '0'..='9' => '0',
        '\u{FF10}'..='\u{FF19}' => '\u{FF10}',
        '\u{0660}'..='\u{0669}' => '\u{0660}',
        '\u{06F0}'..='\u{06F9}' => '\u{06F0}',
        '\u{0966}'..='\u{096F}' => '\u{0966}',
        '\u{09E6}'..='\u{09EF}' => '\u{09E6}',
        _ => return None,
    };
    char::from_digit(c as u32 - base as u32, 10)
}

fn digits_only(s: &str) -> String {
    s.chars().filter_map(digit_value).collect()
}

/// `normalize`: digits only, or, when at least three Latin letters are in it (a vanity number
/// like `8 800 CALL-NOW`), letters read as the keypad's digits.
fn normalize(s: &str) -> String {
    let letters = s.chars().filter(char::is_ascii_alphabetic).count();
    if letters < 3 {
        return digits_only(s);
    }
    s.chars()
        .filter_map(|c| {
            digit_value(c).or(match c.to_ascii_uppercase() {
                'A'..='C' => Some('2'),
                'D'..='F' => Some('3'),
                'G'..='I' => Some('4'),
                'J'..='L' => Some('5'),
                'M'..='O' => Some('6'),
                'P'..='S' => Some('7'),
                'T'..='V' => Some('8'),
                'W'..='Z' => Some('9'),
                _ => None,
            })
        })
        .collect()
}

/// `isViablePhoneNumber`.
fn viable(s: &str) -> bool {
    s.chars().count() >= MIN_LENGTH_FOR_NSN && PATTERNS.viable.is_match(s)
}

/// `extractPossibleNumber`: from the first digit or plus to the last letter, digit or `#`,
/// up to a second number (`/x…`).
fn extract_possible_number(s: &str) -> &str {
    let p = &*PATTERNS;
    let Some(m) = p.start.find(s) else {
        return "";
    };
    let mut number = &s[m.start()..];
    if let Some(end) = p.unwanted_end.find(number) {
        number = &number[..end.start()];
    }
    if let Some(second) = p.second_number.find(number) {
        number = &number[..second.start()];
    }
    number
}

/// `buildNationalNumberForParsing` for what a visitor types: RFC 3966 `tel:` URIs with a
/// `;phone-context=+…` are read as libphonenumber reads them; anything else through
/// [`extract_possible_number`]. An ISDN sub-address (`;isub=`) is cut off.
fn national_number_for_parsing(s: &str) -> Result<String, ParseError> {
    let mut number = match s.find(";phone-context=") {
        Some(at) => {
            let context_start = at + ";phone-context=".len();
            let context = match s[context_start..].find(';') {
                Some(end) => &s[context_start..context_start + end],
                None => &s[context_start..],
            };
            if context.is_empty() {
                return Err(ParseError::NotANumber);
            }
            let mut n = if context.starts_with('+') {
                context.to_string()
            } else {
                String::new()
            };
            let from = s.find("tel:").map(|i| i + 4).unwrap_or(0);
            n.push_str(s.get(from..at).unwrap_or(""));
            n
        }
        None => extract_possible_number(s).to_string(),
    };
    if let Some(isdn) = number.find(";isub=") {
        if isdn > 0 {
            number.truncate(isdn);
        }
    }
    Ok(number)
}

/// `maybeStripExtension`: the extension at the end, when what precedes it is still a number.
fn strip_extension(number: &str) -> (String, Option<String>) {
    if let Some(caps) = PATTERNS.extension.captures(number) {
        let whole = caps.get(0).expect("group 0");
        if viable(&number[..whole.start()]) {
            if let Some(ext) = caps.iter().skip(1).flatten().next() {
                return (
                    number[..whole.start()].to_string(),
                    Some(digits_only(ext.as_str())),
                );
            }
        }
    }
    (number.to_string(), None)
}

/// Whether the national prefix pattern matched, and what remains.
struct PrefixStrip {
    rest: String,
}

/// `maybeStripNationalPrefixAndCarrierCode`: strips the national prefix (and a carrier code,
/// and applies the transform rule of countries like Argentina) unless the number fitted the
/// country before and would not after.
fn strip_national_prefix(number: &str, meta: &'static Metadata) -> Option<PrefixStrip> {
    let prefix = national_prefix_for_parsing(meta)?;
    if number.is_empty() {
        return None;
    }
    let general = meta.descriptors().general();
    with_regex(prefix, false, |re| {
        let caps = re.captures(number)?;
        let whole = caps.get(0).expect("group 0");
        let viable_original = matches_whole(number, general);
        let groups = caps.len() - 1;
        let last_group_matched = groups > 0 && caps.get(groups).is_some();
        match meta.national_prefix_transform_rule() {
            Some(rule) if !rule.is_empty() && last_group_matched => {
                let mut transformed = String::new();
                caps.expand(&java_replacement(rule), &mut transformed);
                transformed.push_str(&number[whole.end()..]);
                if viable_original && !matches_whole(&transformed, general) {
                    return None;
                }
                Some(PrefixStrip { rest: transformed })
            }
            _ => {
                let rest = &number[whole.end()..];
                if viable_original && !matches_whole(rest, general) {
                    return None;
                }
                Some(PrefixStrip {
                    rest: rest.to_string(),
                })
            }
        }
    })
    .flatten()
}

/// The metadata's transform rules are Java replacements (`9$1`); the regex crate reads `$1x`
/// as a group named `1x`, so every group is braced.
fn java_replacement(rule: &str) -> String {
    let mut out = String::new();
    let mut chars = rule.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' {
            let mut n = String::new();
            while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                n.push(*d);
                chars.next();
            }
            out.push_str(&format!("${{{n}}}"));
        } else {
            out.push(c);
        }
    }
    out
}

/// `ValidationResult` of `testNumberLength`.
#[allow(clippy::enum_variant_names)] // libphonenumber's names
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Length {
    Possible,
    PossibleLocalOnly,
    TooShort,
    InvalidLength,
    TooLong,
}

/// `testNumberLength` against the general description.
pub(crate) fn test_length(number: &str, meta: &'static Metadata) -> Length {
    let (lengths, local) = general_lengths(meta);
    let actual = number.len() as u16;
    if local.contains(&actual) {
        return Length::PossibleLocalOnly;
    }
    let (Some(min), Some(max)) = (lengths.first(), lengths.last()) else {
        return Length::InvalidLength;
    };
    if actual == *min || lengths.contains(&actual) {
        Length::Possible
    } else if actual < *min {
        Length::TooShort
    } else if actual > *max {
        Length::TooLong
    } else {
        Length::InvalidLength
    }
}

/// `maybeExtractCountryCode`: the country code after a `+` or the default region's
/// international prefix, or the default region's code written without `+` when the rest
/// fits that region better. Returns the code and the rest, or `(0, "")` for none.
fn extract_country_code(
    number: &str,
    default: Option<&'static Metadata>,
) -> Result<(u16, String), ParseError> {
    if number.is_empty() {
        return Ok((0, String::new()));
    }
    let p = &*PATTERNS;
    let (international, full) = if let Some(m) = p.leading_plus.find(number) {
        (true, normalize(&number[m.end()..]))
    } else {
        let full = normalize(number);
        match default.and_then(|d| d.international_prefix()) {
            Some(idd) => match strip_idd(idd.as_str(), &full) {
                Some(rest) => (true, rest),
                None => (false, full),
            },
            None => (false, full),
        }
    };
    if international {
        if full.len() <= MIN_LENGTH_FOR_NSN {
            return Err(ParseError::TooShort);
        }
        return match split_country_code(&full) {
            Some(split) => Ok(split),
            None => Err(ParseError::NotANumber),
        };
    }
    if let Some(meta) = default {
        let code = meta.country_code().to_string();
        if let Some(rest) = full.strip_prefix(&code) {
            let general = meta.descriptors().general();
            let rest = strip_national_prefix(rest, meta)
                .map(|s| s.rest)
                .unwrap_or_else(|| rest.to_string());
            if (!matches_whole(&full, general) && matches_whole(&rest, general))
                || test_length(&full, meta) == Length::TooLong
            {
                return Ok((meta.country_code(), rest));
            }
        }
    }
    Ok((0, String::new()))
}

/// `parsePrefixAsIdd`: the international prefix at the start, unless a 0 follows it
/// (country codes never start with 0).
fn strip_idd(idd: &'static str, number: &str) -> Option<String> {
    with_regex(idd, false, |re| {
        let m = re.find(number)?;
        let rest = &number[m.end()..];
        if rest.starts_with('0') {
            return None;
        }
        Some(rest.to_string())
    })
    .flatten()
}

/// `extractCountryCode`: the first one to three digits that are a country calling code.
fn split_country_code(full: &str) -> Option<(u16, String)> {
    if full.starts_with('0') {
        return None;
    }
    (1..=MAX_LENGTH_COUNTRY_CODE.min(full.len())).find_map(|n| {
        let code: u16 = full[..n].parse().ok()?;
        DATABASE
            .by_code(&code)
            .map(|_| (code, full[n..].to_string()))
    })
}

/// The metadata for a country calling code: its main country's (`regionCodeForCountryCode`),
/// or the non-geographic entity's (`001`).
fn metadata_for_code(code: u16) -> Option<&'static Metadata> {
    DATABASE.by_code(&code)?.into_iter().next()
}

/// `PhoneNumberUtil.parse(input, default_region)`.
pub(crate) fn parse(input: &str, default_region: &str) -> Result<Parsed, ParseError> {
    if input.len() > MAX_INPUT_STRING_LENGTH {
        return Err(ParseError::TooLong);
    }
    let number = national_number_for_parsing(input)?;
    if !viable(&number) {
        return Err(ParseError::NotANumber);
    }
    let default = DATABASE.by_id(default_region);
    // `checkRegionForParsing`: without a known region, only `+…` can be read.
    if default.is_none() && !PATTERNS.leading_plus.is_match(&number) {
        return Err(ParseError::NotANumber);
    }
    let (number, extension) = strip_extension(&number);
    let (mut code, mut national) = match extract_country_code(&number, default) {
        Err(ParseError::NotANumber) if PATTERNS.leading_plus.is_match(&number) => {
            let m = PATTERNS.leading_plus.find(&number).expect("matched");
            match extract_country_code(&number[m.end()..], default)? {
                (0, _) => return Err(ParseError::NotANumber),
                found => found,
            }
        }
        other => other?,
    };
    let meta = if code != 0 {
        metadata_for_code(code)
    } else {
        national = normalize(&number);
        if let Some(d) = default {
            code = d.country_code();
        }
        default
    };
    if national.len() < MIN_LENGTH_FOR_NSN {
        return Err(ParseError::TooShort);
    }
    if let Some(meta) = meta {
        if let Some(stripped) = strip_national_prefix(&national, meta) {
            if !matches!(
                test_length(&stripped.rest, meta),
                Length::TooShort | Length::PossibleLocalOnly | Length::InvalidLength
            ) {
                national = stripped.rest;
            }
        }
    }
    if national.len() < MIN_LENGTH_FOR_NSN {
        return Err(ParseError::TooShort);
    }
    if national.len() > MAX_LENGTH_FOR_NSN {
        return Err(ParseError::TooLong);
    }
    Ok(Parsed {
        country_code: code,
        national,
        extension,
    })
}

/// `getNumberTypeHelper`: the first type whose pattern the number matches, in
/// libphonenumber's order (premium rate before everything, fixed line and mobile last).
fn number_kind(national: &str, meta: &'static Metadata) -> Option<NumberKind> {
    let d = meta.descriptors();
    if !matching_general(national, meta) {
        return None;
    }
    let special = [
        (d.premium_rate(), NumberKind::PremiumRate),
        (d.toll_free(), NumberKind::TollFree),
        (d.shared_cost(), NumberKind::SharedCost),
        (d.voip(), NumberKind::Voip),
        (d.personal_number(), NumberKind::PersonalNumber),
        (d.pager(), NumberKind::Pager),
        (d.uan(), NumberKind::Uan),
        (d.voicemail(), NumberKind::Voicemail),
    ];
    if let Some((_, kind)) = special
        .into_iter()
        .find(|(desc, _)| matching_desc(national, *desc))
    {
        return Some(kind);
    }
    let same_pattern = match (d.fixed_line(), d.mobile()) {
        (Some(f), Some(m)) => f.national_number().as_str() == m.national_number().as_str(),
        _ => false,
    };
    if matching_desc(national, d.fixed_line()) {
        if same_pattern || matching_desc(national, d.mobile()) {
            return Some(NumberKind::FixedLineOrMobile);
        }
        return Some(NumberKind::FixedLine);
    }
    if !same_pattern && matching_desc(national, d.mobile()) {
        return Some(NumberKind::Mobile);
    }
    None
}

/// A valid number's country and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Valid {
    /// ISO 3166-1 alpha-2 of the number's country, or `001` for non-geographic numbers.
    pub region: String,
    /// Its type.
    pub kind: NumberKind,
}

/// `getRegionCodeForNumber` and `isValidNumberForRegion` with `getNumberType`: the country
/// among those sharing the code (by leading digits, or by the first whose types fit), and the
/// number's type there; `None` when the number fits no type (`isValidNumber` is false).
pub(crate) fn validate(number: &Parsed) -> Option<Valid> {
    let metas = DATABASE.by_code(&number.country_code)?;
    let meta = if metas.len() == 1 {
        metas[0]
    } else {
        *metas.iter().find(|m| match m.leading_digits() {
            Some(leading) => {
                with_regex(leading.as_str(), false, |re| re.is_match(&number.national))
                    .unwrap_or(false)
            }
            None => number_kind(&number.national, m).is_some(),
        })?
    };
    let kind = number_kind(&number.national, meta)?;
    Some(Valid {
        region: meta.id().to_string(),
        kind,
    })
}

/// The metadata of a parsed number's country code, for length checks.
pub(crate) fn metadata_of(number: &Parsed) -> Option<&'static Metadata> {
    metadata_for_code(number.country_code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &str, region: &str) -> Option<(String, Option<String>)> {
        let p = parse(input, region).ok()?;
        validate(&p)?;
        Some((format!("+{}{}", p.country_code, p.national), p.extension))
    }

    #[test]
    fn extensions_are_read_apart_in_every_spelling() {
        for (input, ext) in [
            ("8 916 123-45-67 доб. 123", "123"),
            ("8 916 123-45-67 ext. 12", "12"),
            ("8 916 123-45-67 x12", "12"),
            ("8 916 123-45-67 #12", "12"),
            ("+7 916 123 45 67,,12", "12"),
            ("+7 916 123 45 67;ext=12", "12"),
            ("+7 916 123 45 67 extension 4", "4"),
        ] {
            assert_eq!(
                read(input, "RU"),
                Some(("+79161234567".into(), Some(ext.into()))),
                "{input}"
            );
        }
    }

    #[test]
    fn transform_rules_with_groups_are_java_replacements() {
        assert_eq!(java_replacement("9$1"), "9${1}");
        assert_eq!(java_replacement("0549$1"), "0549${1}");
        // Argentina's mobile numbers: 0 11 15 2345-6789 is +54 9 11 2345 6789.
        assert_eq!(
            read("011 15 2345-6789", "AR").map(|r| r.0),
            Some("+5491123456789".into())
        );
    }
}
