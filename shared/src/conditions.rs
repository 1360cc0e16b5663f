//! Display conditions (SPEC §3): "a widget has any number of condition sets; at most one
//! active", each with rules on devices, pages, traffic and geo.
//!
//! - *Devices*: allow/deny per device type (desktop, tablet, mobile).
//! - *Pages*: rules on the page URL (`contains`, `equals`, `starts with`, `regex`), each allow or
//!   deny. "Allows are OR-ed; denies are AND-ed (the page must pass every deny); the allow group
//!   and the deny group are AND-ed." A page match is not remembered.
//! - *Traffic*: rules on utm_source / utm_medium / utm_campaign ("equals; a rule can require
//!   several tags together"), "joined by AND or OR as the marketer chooses". A traffic match pins
//!   the widget for the session (see [`crate::selection`]). "When pages and traffic are combined,
//!   all page rules must be allows."
//! - *Geo*: allow/deny by country, region, city ("a city is not its region; both may be
//!   listed"); allows OR-ed and denies AND-ed, as for pages.

use crate::device::DeviceType;
use crate::validation::Problems;
use serde::{Deserialize, Serialize};

/// Whether a rule lets the widget show or keeps it away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// The rule lets the widget show (the default).
    #[default]
    Allow,
    /// The rule keeps the widget away.
    Deny,
}

/// Allow or deny per device type; everything allowed by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DeviceRules {
    /// Desktops, laptops and TVs.
    #[serde(default)]
    pub desktop: Effect,
    /// Tablets.
    #[serde(default)]
    pub tablet: Effect,
    /// Smartphones.
    #[serde(default)]
    pub mobile: Effect,
}

impl DeviceRules {
    /// The rule for one device type.
    pub fn effect(&self, device: DeviceType) -> Effect {
        match device {
            DeviceType::Desktop => self.desktop,
            DeviceType::Tablet => self.tablet,
            DeviceType::Mobile => self.mobile,
        }
    }

    /// Whether the widget may show on `device`.
    pub fn allows(&self, device: DeviceType) -> bool {
        self.effect(device) == Effect::Allow
    }
}

/// How a page rule compares the page URL with its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PageMatch {
    /// The URL contains the value (case-insensitive).
    Contains,
    /// The URL equals the value (case-insensitive). The page's query string and fragment are
    /// ignored unless the value has a query string itself, so `https://site.ru/contacts/` still
    /// matches when the visitor arrived with UTM tags.
    Equals,
    /// The URL starts with the value (case-insensitive).
    StartsWith,
    /// The value is a regular expression searched in the URL (as written; `(?i)` for
    /// case-insensitive).
    Regex,
}

/// One rule on the page URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PageRule {
    /// How the URL is compared.
    pub matching: PageMatch,
    /// What the URL is compared with.
    pub value: String,
    /// Allow or deny.
    #[serde(default)]
    pub effect: Effect,
}

/// The utm_source value that stands for a direct visit: a rule with `source: "(direct)"`
/// matches visits without a utm_source.
pub const DIRECT: &str = "(direct)";

/// One traffic rule: every tag it names must equal the visit's tag (case-insensitive);
/// `source: "(direct)"` matches a visit without a utm_source.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct TrafficRule {
    /// The utm_source required; [`DIRECT`] for visits without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The utm_medium required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<String>,
    /// The utm_campaign required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    /// Allow or deny.
    #[serde(default)]
    pub effect: Effect,
}

/// How traffic rules combine: "joined by AND or OR as the marketer chooses".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Join {
    /// Every rule must pass.
    And,
    /// One passing rule is enough (the default).
    #[default]
    Or,
}

/// The traffic part of a condition set.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct TrafficRules {
    /// AND or OR.
    #[serde(default)]
    pub join: Join,
    /// The rules; none at all lets every visit through.
    #[serde(default)]
    pub rules: Vec<TrafficRule>,
}

/// The level a geo rule names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum GeoLevel {
    /// ISO 3166-1 alpha-2 code, e.g. `RU`.
    Country,
    /// Region name as the edge reports it, e.g. `Moscow Oblast`.
    Region,
    /// City name as the edge reports it, e.g. `Krasnogorsk`.
    City,
}

/// One geo rule. "A city is not its region": a region rule never matches by city and a city
/// rule never matches by region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct GeoRule {
    /// Country, region or city.
    pub level: GeoLevel,
    /// The country code, or the region's or city's name.
    pub value: String,
    /// Allow or deny.
    #[serde(default)]
    pub effect: Effect,
}

/// A named set of conditions; "at most one active" per widget.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ConditionSet {
    /// The marketer's name for the set.
    pub name: String,
    /// This is the widget's one active set.
    #[serde(default)]
    pub active: bool,
    /// "Devices: allow/deny per device type".
    #[serde(default)]
    pub devices: DeviceRules,
    /// Rules on the page URL.
    #[serde(default)]
    pub pages: Vec<PageRule>,
    /// Rules on the UTM tags.
    #[serde(default)]
    pub traffic: TrafficRules,
    /// Rules on where the visitor is.
    #[serde(default)]
    pub geo: Vec<GeoRule>,
}

/// UTM tags of a visit.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Utm {
    /// utm_source, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// utm_medium, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<String>,
    /// utm_campaign, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
}

impl Utm {
    /// The `utm_*` parameters of a URL's query string (`application/x-www-form-urlencoded`,
    /// decoded by `form_urlencoded`).
    pub fn from_url(url: &str) -> Utm {
        let query = url
            .split('#')
            .next()
            .and_then(|u| u.split_once('?'))
            .map(|(_, q)| q)
            .unwrap_or("");
        let mut utm = Utm::default();
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            if v.trim().is_empty() {
                continue;
            }
            match k.as_ref() {
                "utm_source" => utm.source = Some(v.into_owned()),
                "utm_medium" => utm.medium = Some(v.into_owned()),
                "utm_campaign" => utm.campaign = Some(v.into_owned()),
                _ => {}
            }
        }
        utm
    }

    /// No tag at all: a direct visit.
    pub fn is_empty(&self) -> bool {
        self.source.is_none() && self.medium.is_none() && self.campaign.is_none()
    }
}

/// Where the visitor is, as the edge reports it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Geo {
    /// ISO 3166-1 alpha-2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Region name, e.g. `Moscow Oblast`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// City name, e.g. `Krasnogorsk`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
}

impl Geo {
    fn at(&self, level: GeoLevel) -> Option<&str> {
        match level {
            GeoLevel::Country => self.country.as_deref(),
            GeoLevel::Region => self.region.as_deref(),
            GeoLevel::City => self.city.as_deref(),
        }
    }
}

/// One page view, as conditions see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Visit {
    /// The page's full URL.
    pub url: String,
    /// The visit's UTM tags.
    pub utm: Utm,
    /// The visitor's device type.
    pub device: DeviceType,
    /// Where the visitor is.
    pub geo: Geo,
}

impl Visit {
    /// A visit to `url` whose UTM tags come from the URL itself.
    pub fn new(url: impl Into<String>, device: DeviceType, geo: Geo) -> Visit {
        let url = url.into();
        Visit {
            utm: Utm::from_url(&url),
            url,
            device,
            geo,
        }
    }
}

/// The outcome of a condition set for one visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Verdict {
    /// The widget may show.
    pub shows: bool,
    /// It shows because an allow traffic rule matched: the widget is pinned for the session.
    pub by_traffic: bool,
}

/// Equal ignoring case and surrounding spaces (marketers type `Yandex`, sites send `yandex`).
fn eq_ci(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

impl TrafficRule {
    /// Every tag the rule names equals the visit's; a rule naming no tag matches nothing.
    pub fn matches(&self, utm: &Utm) -> bool {
        // `None`: the rule does not name this tag.
        let tag = |want: &Option<String>, got: &Option<String>, is_source: bool| {
            want.as_deref().map(|w| match got {
                None => is_source && eq_ci(w, DIRECT),
                Some(g) => eq_ci(w, g),
            })
        };
        let checks = [
            tag(&self.source, &utm.source, true),
            tag(&self.medium, &utm.medium, false),
            tag(&self.campaign, &utm.campaign, false),
        ];
        checks.iter().any(Option::is_some) && checks.iter().all(|c| c.unwrap_or(true))
    }

    /// Whether this rule, with its effect, lets the visit through.
    pub fn passes(&self, utm: &Utm) -> bool {
        match self.effect {
            Effect::Allow => self.matches(utm),
            Effect::Deny => !self.matches(utm),
        }
    }

    /// Names the tags, e.g. `utm_source=yandex & utm_medium=cpc`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for (name, v) in [
            ("utm_source", &self.source),
            ("utm_medium", &self.medium),
            ("utm_campaign", &self.campaign),
        ] {
            if let Some(v) = v {
                parts.push(format!("{name}={v}"));
            }
        }
        parts.join(" & ")
    }
}

impl TrafficRules {
    /// `(passes, matched an allow rule)`; no rules at all pass without pinning.
    pub fn evaluate(&self, utm: &Utm) -> (bool, bool) {
        if self.rules.is_empty() {
            return (true, false);
        }
        let passes = match self.join {
            Join::And => self.rules.iter().all(|r| r.passes(utm)),
            Join::Or => self.rules.iter().any(|r| r.passes(utm)),
        };
        let allow_matched = self
            .rules
            .iter()
            .any(|r| r.effect == Effect::Allow && r.matches(utm));
        (passes, passes && allow_matched)
    }
}

impl GeoRule {
    /// The visit's value at this rule's level equals the rule's (case-insensitive).
    pub fn matches(&self, geo: &Geo) -> bool {
        geo.at(self.level).is_some_and(|v| eq_ci(v, &self.value))
    }
}

/// "Allows are OR-ed; denies are AND-ed; the allow group and the deny group are AND-ed",
/// for any kind of rule with an effect and a way to match.
pub fn allow_deny<R>(
    rules: &[R],
    effect: impl Fn(&R) -> Effect,
    matches: impl Fn(&R) -> bool,
) -> bool {
    let mut any_allow = false;
    let mut allowed = false;
    for r in rules {
        match effect(r) {
            Effect::Allow => {
                any_allow = true;
                allowed = allowed || matches(r);
            }
            Effect::Deny => {
                if matches(r) {
                    return false;
                }
            }
        }
    }
    !any_allow || allowed
}

/// The URL a page rule compares with: without the fragment, and for `equals` without the query
/// string unless the rule's value has one.
fn page_subject<'a>(url: &'a str, rule: &PageRule) -> &'a str {
    let url = url.split('#').next().unwrap_or(url);
    if rule.matching == PageMatch::Equals && !rule.value.contains('?') {
        url.split('?').next().unwrap_or(url)
    } else {
        url
    }
}

impl PageRule {
    /// Whether the rule's text comparison matches `url`. Regex rules need the `server`
    /// feature; without it they never match.
    pub fn matches(&self, url: &str) -> bool {
        let subject = page_subject(url, self);
        let (s, v) = (subject.to_lowercase(), self.value.trim().to_lowercase());
        match self.matching {
            PageMatch::Contains => s.contains(&v),
            PageMatch::Equals => s == v,
            PageMatch::StartsWith => s.starts_with(&v),
            PageMatch::Regex => self.regex_matches(subject),
        }
    }

    #[cfg(feature = "server")]
    fn regex_matches(&self, subject: &str) -> bool {
        compiled::with(&self.value, |re| re.is_some_and(|re| re.is_match(subject)))
    }

    #[cfg(not(feature = "server"))]
    fn regex_matches(&self, _subject: &str) -> bool {
        false
    }

    /// Names the rule, e.g. `pages containing "articles"`.
    pub fn describe(&self) -> String {
        let verb = match (self.effect, self.matching) {
            (Effect::Allow, PageMatch::Contains) => "pages containing",
            (Effect::Allow, PageMatch::Equals) => "the page",
            (Effect::Allow, PageMatch::StartsWith) => "pages starting with",
            (Effect::Allow, PageMatch::Regex) => "pages matching",
            (Effect::Deny, PageMatch::Contains) => "not on pages containing",
            (Effect::Deny, PageMatch::Equals) => "not on the page",
            (Effect::Deny, PageMatch::StartsWith) => "not on pages starting with",
            (Effect::Deny, PageMatch::Regex) => "not on pages matching",
        };
        format!("{verb} \"{}\"", self.value)
    }
}

impl ConditionSet {
    /// Judges one visit. Each page is judged anew; the caller pins by `by_traffic`.
    pub fn evaluate(&self, visit: &Visit) -> Verdict {
        self.evaluate_with(visit, false)
    }

    /// Judges one visit; `traffic_pinned` treats the traffic rules as passed, for the widget a
    /// visitor is pinned to: "a later direct visit in the same session still shows it".
    pub fn evaluate_with(&self, visit: &Visit, traffic_pinned: bool) -> Verdict {
        let devices = self.devices.allows(visit.device);
        let pages = allow_deny(&self.pages, |r| r.effect, |r| r.matches(&visit.url));
        let geo = allow_deny(&self.geo, |r| r.effect, |r| r.matches(&visit.geo));
        let (traffic, by_traffic) = if traffic_pinned {
            (true, !self.traffic.rules.is_empty())
        } else {
            self.traffic.evaluate(&visit.utm)
        };
        let shows = devices && pages && geo && traffic;
        Verdict {
            shows,
            by_traffic: shows && by_traffic,
        }
    }

    /// Every problem of this set, under `path` (e.g. `conditions[2]`).
    pub fn validate(&self, path: &str, problems: &mut Problems) {
        if self.name.trim().is_empty() {
            problems.add(format!("{path}.name"), "must not be empty");
        }
        let rules = self.pages.len() + self.traffic.rules.len() + self.geo.len();
        if rules > MAX_RULES {
            problems.add(
                path.to_string(),
                format!("a condition set has at most {MAX_RULES} rules; this one has {rules}"),
            );
        }
        if DeviceType::ALL.iter().all(|d| !self.devices.allows(*d)) {
            problems.add(
                format!("{path}.devices"),
                "every device type is denied, so the widget would never show",
            );
        }
        let combined = !self.traffic.rules.is_empty();
        for (i, rule) in self.pages.iter().enumerate() {
            let p = format!("{path}.pages[{i}]");
            if rule.value.trim().is_empty() {
                problems.add(format!("{p}.value"), "must not be empty");
            }
            if rule.value.chars().count() > MAX_VALUE_CHARS {
                problems.add(
                    format!("{p}.value"),
                    format!("at most {MAX_VALUE_CHARS} characters"),
                );
            } else if rule.matching == PageMatch::Regex {
                check_regex(&format!("{p}.value"), &rule.value, problems);
            }
            if combined && rule.effect == Effect::Deny {
                problems.add(
                    format!("{p}.effect"),
                    "when pages and traffic are combined, all page rules must be allows",
                );
            }
        }
        for (i, rule) in self.traffic.rules.iter().enumerate() {
            let named = [&rule.source, &rule.medium, &rule.campaign];
            if named
                .iter()
                .all(|v| v.as_deref().is_none_or(|s| s.trim().is_empty()))
            {
                problems.add(
                    format!("{path}.traffic.rules[{i}]"),
                    "name at least one of utm_source, utm_medium, utm_campaign",
                );
            }
        }
        for (i, rule) in self.geo.iter().enumerate() {
            let p = format!("{path}.geo[{i}].value");
            let v = rule.value.trim();
            if v.is_empty() {
                problems.add(p, "must not be empty");
            } else if rule.level == GeoLevel::Country
                && !(v.len() == 2 && v.chars().all(|c| c.is_ascii_alphabetic()))
            {
                problems.add(p, "use the two-letter country code, e.g. RU or KZ");
            }
        }
    }
}

/// Most rules in one condition set (pages, traffic and geo together).
pub const MAX_RULES: usize = 50;
/// Longest value of a rule, and so of a `regex` pattern, in characters.
pub const MAX_VALUE_CHARS: usize = 512;

/// How a `regex` page rule is compiled, for checking and for matching alike: bounded, so that
/// no pattern can make a compiled program (or its lazy DFA) large enough to slow *decide*
/// down. The `regex` crate matches in linear time, so a bounded program is a bounded cost.
#[cfg(feature = "server")]
fn build_regex(pattern: &str) -> Result<regex::Regex, regex::Error> {
    if pattern.chars().count() > MAX_VALUE_CHARS {
        return Err(regex::Error::CompiledTooBig(MAX_VALUE_CHARS));
    }
    regex::RegexBuilder::new(pattern)
        .size_limit(256 * 1024)
        .dfa_size_limit(1024 * 1024)
        .nest_limit(32)
        .build()
}

/// Compiled `regex` page rules, kept between evaluations: compiling a pattern costs ~40 µs,
/// evaluating it well under one, and *decide* judges every rule of every widget on every page
/// view. A pure memo (no I/O), bounded, per thread (an isolate has one).
#[cfg(feature = "server")]
mod compiled {
    use regex::Regex;
    use std::cell::RefCell;
    use std::collections::HashMap;

    /// Patterns kept before the memo starts over.
    const MAX: usize = 2048;

    thread_local! {
        static CACHE: RefCell<HashMap<String, Option<Regex>>> = RefCell::new(HashMap::new());
    }

    /// Runs `f` with the compiled pattern (`None` when it does not compile).
    pub fn with<T>(pattern: &str, f: impl FnOnce(Option<&Regex>) -> T) -> T {
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            if !cache.contains_key(pattern) {
                if cache.len() >= MAX {
                    cache.clear();
                }
                cache.insert(pattern.to_string(), super::build_regex(pattern).ok());
            }
            f(cache.get(pattern).and_then(Option::as_ref))
        })
    }
}

#[cfg(feature = "server")]
fn check_regex(path: &str, pattern: &str, problems: &mut Problems) {
    match build_regex(pattern) {
        Ok(_) => {}
        Err(regex::Error::CompiledTooBig(_)) => problems.add(
            path,
            "this regular expression is too complex: simplify it or split it into several rules",
        ),
        Err(e) => problems.add(path, format!("is not a valid regular expression: {e}")),
    }
}

#[cfg(not(feature = "server"))]
fn check_regex(_path: &str, _pattern: &str, _problems: &mut Problems) {}

/// "A widget has any number of condition sets; at most one active" (SPEC §3). The active set,
/// if any; every problem of the list under `path`.
pub fn validate_sets(sets: &[ConditionSet], path: &str, problems: &mut Problems) {
    let active: Vec<usize> = sets
        .iter()
        .enumerate()
        .filter(|(_, s)| s.active)
        .map(|(i, _)| i)
        .collect();
    if active.len() > 1 {
        problems.add(
            format!("{path}[{}].active", active[1]),
            format!(
                "only one condition set can be active; \"{}\" already is",
                sets[active[0]].name
            ),
        );
    }
    for (i, set) in sets.iter().enumerate() {
        set.validate(&format!("{path}[{i}]"), problems);
    }
}

/// The active condition set of a list, if any.
pub fn active_set(sets: &[ConditionSet]) -> Option<&ConditionSet> {
    sets.iter().find(|s| s.active)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(matching: PageMatch, value: &str, effect: Effect) -> PageRule {
        PageRule {
            matching,
            value: value.into(),
            effect,
        }
    }

    fn visit(url: &str) -> Visit {
        Visit::new(url, DeviceType::Desktop, Geo::default())
    }

    fn traffic(source: &str, medium: &str) -> TrafficRule {
        TrafficRule {
            source: Some(source.into()),
            medium: Some(medium.into()),
            ..Default::default()
        }
    }

    /// Seed 000, pages: "the widget shows either on all pages whose address contains articles,
    /// or on the page whose address equals https://site.ru/contacts/".
    #[test]
    fn page_allows_are_ored_articles_or_contacts_example() {
        let set = ConditionSet {
            name: "content".into(),
            active: true,
            pages: vec![
                page(PageMatch::Contains, "articles", Effect::Allow),
                page(
                    PageMatch::Equals,
                    "https://site.ru/contacts/",
                    Effect::Allow,
                ),
            ],
            ..Default::default()
        };
        let cases = [
            ("https://site.ru/articles/rust", true),
            ("https://site.ru/contacts/", true),
            ("https://site.ru/contacts/?utm_source=yandex", true),
            ("https://site.ru/contacts/#map", true),
            ("https://site.ru/contacts/team", false),
            ("https://site.ru/", false),
        ];
        for (url, want) in cases {
            assert_eq!(set.evaluate(&visit(url)).shows, want, "{url}");
        }
    }

    #[test]
    fn page_denies_are_anded_and_the_groups_are_anded() {
        let set = ConditionSet {
            name: "catalog".into(),
            pages: vec![
                page(
                    PageMatch::StartsWith,
                    "https://site.ru/catalog",
                    Effect::Allow,
                ),
                page(PageMatch::Contains, "/cart", Effect::Deny),
                page(PageMatch::Regex, r"/catalog/\d+/print", Effect::Deny),
            ],
            ..Default::default()
        };
        let cases = [
            ("https://site.ru/catalog/windows", true),
            ("https://site.ru/catalog/cart", false),
            ("https://site.ru/catalog/42/print", false),
            ("https://site.ru/catalog/42", true),
            ("https://site.ru/about", false),
        ];
        for (url, want) in cases {
            assert_eq!(set.evaluate(&visit(url)).shows, want, "{url}");
        }
        let only_denies = ConditionSet {
            name: "d".into(),
            pages: vec![page(PageMatch::Contains, "/cart", Effect::Deny)],
            ..Default::default()
        };
        assert!(only_denies.evaluate(&visit("https://site.ru/")).shows);
        assert!(!only_denies.evaluate(&visit("https://site.ru/cart")).shows);
    }

    /// Seed 000, traffic: "either utm_source=yandex&utm_medium=cpc, or
    /// utm_source=google&utm_medium=cpc" — several tags per rule, rules joined by OR.
    #[test]
    fn traffic_rules_need_every_tag_of_a_rule_yandex_or_google_cpc_example() {
        let set = ConditionSet {
            name: "paid".into(),
            traffic: TrafficRules {
                join: Join::Or,
                rules: vec![traffic("yandex", "cpc"), traffic("google", "cpc")],
            },
            ..Default::default()
        };
        let cases = [
            ("https://site.ru/?utm_source=yandex&utm_medium=cpc", true),
            (
                "https://site.ru/?utm_medium=cpc&utm_source=Google&utm_campaign=x",
                true,
            ),
            ("https://site.ru/?utm_source=yandex", false),
            (
                "https://site.ru/?utm_source=yandex&utm_medium=organic",
                false,
            ),
            ("https://site.ru/", false),
        ];
        for (url, want) in cases {
            let v = set.evaluate(&visit(url));
            assert_eq!(v.shows, want, "{url}");
            assert_eq!(v.by_traffic, want, "{url}");
        }
        let both = ConditionSet {
            traffic: TrafficRules {
                join: Join::And,
                ..set.traffic.clone()
            },
            ..set
        };
        assert!(
            !both
                .evaluate(&visit("https://site.ru/?utm_source=yandex&utm_medium=cpc"))
                .shows
        );
    }

    #[test]
    fn a_deny_only_traffic_rule_filters_but_never_pins() {
        let set = ConditionSet {
            name: "no google".into(),
            traffic: TrafficRules {
                join: Join::And,
                rules: vec![TrafficRule {
                    source: Some("google".into()),
                    effect: Effect::Deny,
                    ..Default::default()
                }],
            },
            ..Default::default()
        };
        assert_eq!(
            set.evaluate(&visit("https://site.ru/")),
            Verdict {
                shows: true,
                by_traffic: false
            }
        );
        assert!(
            !set.evaluate(&visit("https://site.ru/?utm_source=google"))
                .shows
        );
    }

    #[test]
    fn pinned_traffic_counts_as_passed_but_other_rules_still_apply() {
        let set = ConditionSet {
            name: "paid mobile".into(),
            devices: DeviceRules {
                desktop: Effect::Deny,
                ..Default::default()
            },
            traffic: TrafficRules {
                join: Join::Or,
                rules: vec![traffic("yandex", "cpc")],
            },
            ..Default::default()
        };
        let mut direct = visit("https://site.ru/prices");
        direct.device = DeviceType::Mobile;
        assert!(!set.evaluate(&direct).shows);
        let pinned = set.evaluate_with(&direct, true);
        assert!(pinned.shows && pinned.by_traffic);
        direct.device = DeviceType::Desktop;
        assert!(!set.evaluate_with(&direct, true).shows);
    }

    /// Seed 000, geo: "a city and a region are not the same": Moscow city is not in
    /// Moscow Oblast.
    #[test]
    fn a_city_is_not_its_region() {
        let oblast = ConditionSet {
            name: "oblast".into(),
            geo: vec![GeoRule {
                level: GeoLevel::Region,
                value: "Moscow Oblast".into(),
                effect: Effect::Allow,
            }],
            ..Default::default()
        };
        let mut v = visit("https://site.ru/");
        v.geo = Geo {
            country: Some("RU".into()),
            region: Some("Moscow".into()),
            city: Some("Moscow".into()),
        };
        assert!(!oblast.evaluate(&v).shows);
        v.geo.region = Some("Moscow Oblast".into());
        v.geo.city = Some("Krasnogorsk".into());
        assert!(oblast.evaluate(&v).shows);
        let both = ConditionSet {
            geo: vec![
                GeoRule {
                    level: GeoLevel::City,
                    value: "moscow".into(),
                    effect: Effect::Allow,
                },
                GeoRule {
                    level: GeoLevel::Region,
                    value: "Moscow Oblast".into(),
                    effect: Effect::Allow,
                },
                GeoRule {
                    level: GeoLevel::Country,
                    value: "KZ".into(),
                    effect: Effect::Deny,
                },
            ],
            ..oblast
        };
        assert!(both.evaluate(&v).shows);
        v.geo.city = Some("Moscow".into());
        v.geo.region = Some("Moscow".into());
        assert!(both.evaluate(&v).shows);
        v.geo.country = Some("KZ".into());
        assert!(!both.evaluate(&v).shows);
        assert!(
            !both.evaluate(&visit("https://site.ru/")).shows,
            "unknown geo matches no allow"
        );
    }

    #[test]
    fn devices_allow_and_deny_per_type() {
        let set = ConditionSet {
            name: "desktop only".into(),
            devices: DeviceRules {
                desktop: Effect::Allow,
                tablet: Effect::Deny,
                mobile: Effect::Deny,
            },
            ..Default::default()
        };
        for (device, want) in [
            (DeviceType::Desktop, true),
            (DeviceType::Tablet, false),
            (DeviceType::Mobile, false),
        ] {
            let v = Visit::new("https://site.ru/", device, Geo::default());
            assert_eq!(set.evaluate(&v).shows, want, "{device:?}");
        }
    }

    #[test]
    fn utm_tags_come_from_the_query_string_decoded() {
        let u = Utm::from_url(
            "https://s.ru/p?a=1&utm_source=ya%20direct&utm_medium=cpc&utm_campaign=spring+sale#top",
        );
        assert_eq!(u.source.as_deref(), Some("ya direct"));
        assert_eq!(u.medium.as_deref(), Some("cpc"));
        assert_eq!(u.campaign.as_deref(), Some("spring sale"));
        assert!(Utm::from_url("https://s.ru/p#utm_source=x").is_empty());
        assert!(Utm::from_url("https://s.ru/p?utm_source=").is_empty());
        assert_eq!(
            Utm::from_url("https://s.ru/?utm_source=%zz")
                .source
                .as_deref(),
            Some("%zz")
        );
    }

    #[test]
    fn validation_finds_every_problem_of_every_set() {
        let sets = vec![
            ConditionSet {
                name: "a".into(),
                active: true,
                ..Default::default()
            },
            ConditionSet {
                name: "".into(),
                active: true,
                devices: DeviceRules {
                    desktop: Effect::Deny,
                    tablet: Effect::Deny,
                    mobile: Effect::Deny,
                },
                pages: vec![
                    page(PageMatch::Regex, "(unclosed", Effect::Allow),
                    page(PageMatch::Contains, "cart", Effect::Deny),
                ],
                traffic: TrafficRules {
                    join: Join::Or,
                    rules: vec![traffic("yandex", "cpc"), TrafficRule::default()],
                },
                geo: vec![GeoRule {
                    level: GeoLevel::Country,
                    value: "Russia".into(),
                    effect: Effect::Allow,
                }],
            },
        ];
        let mut p = Problems::new();
        validate_sets(&sets, "conditions", &mut p);
        let got: Vec<String> = p.into_vec().iter().map(|p| p.path.clone()).collect();
        assert_eq!(
            got,
            [
                "conditions[1].active",
                "conditions[1].name",
                "conditions[1].devices",
                "conditions[1].pages[0].value",
                "conditions[1].pages[1].effect",
                "conditions[1].traffic.rules[1]",
                "conditions[1].geo[0].value",
            ]
        );
        assert_eq!(active_set(&sets).unwrap().name, "a");
    }

    /// A direct visit has no UTM tag at all; any one tag makes it a tagged visit.
    #[test]
    fn utm_is_empty_only_without_any_tag() {
        let tag = || Some("x".to_string());
        let cases = [
            (Utm::default(), true),
            (
                Utm {
                    source: tag(),
                    ..Utm::default()
                },
                false,
            ),
            (
                Utm {
                    medium: tag(),
                    ..Utm::default()
                },
                false,
            ),
            (
                Utm {
                    campaign: tag(),
                    ..Utm::default()
                },
                false,
            ),
        ];
        for (utm, want) in cases {
            assert_eq!(utm.is_empty(), want, "{utm:?}");
        }
    }

    /// Only `equals` ignores the query string, and only when its value has none.
    #[test]
    fn the_query_string_is_dropped_only_for_equals_without_one() {
        let cases = [
            (
                page(PageMatch::Contains, "utm_source=ya", Effect::Allow),
                "https://site.ru/?utm_source=ya",
                true,
            ),
            (
                page(PageMatch::StartsWith, "https://site.ru/?p", Effect::Allow),
                "https://site.ru/?page=2",
                true,
            ),
            (
                page(PageMatch::Equals, "https://site.ru/a?b=1", Effect::Allow),
                "https://site.ru/a?b=1",
                true,
            ),
            (
                page(PageMatch::Equals, "https://site.ru/a?b=1", Effect::Allow),
                "https://site.ru/a?b=2",
                false,
            ),
            (
                page(PageMatch::Equals, "https://site.ru/a", Effect::Allow),
                "https://site.ru/a?b=2",
                true,
            ),
        ];
        for (rule, url, want) in cases {
            assert_eq!(rule.matches(url), want, "{rule:?} {url}");
        }
    }

    /// Issue 11: a pattern is at most 512 characters, compiles within a size limit, and a
    /// set has at most 50 rules; each is a field problem for the cabinet.
    #[cfg(feature = "server")]
    #[test]
    fn patterns_and_rule_counts_are_bounded() {
        let problems_of = |set: &ConditionSet| {
            let mut p = Problems::new();
            set.validate("conditions[0]", &mut p);
            p.into_vec()
                .into_iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
        };
        let with_pages = |pages: Vec<PageRule>| ConditionSet {
            name: "Set".into(),
            pages,
            ..Default::default()
        };
        let long = "a".repeat(513);
        assert_eq!(
            problems_of(&with_pages(vec![page(
                PageMatch::Regex,
                &long,
                Effect::Allow
            )])),
            ["conditions[0].pages[0].value: at most 512 characters"]
        );
        // Small to write, huge to compile: bounded repetitions of a Unicode class.
        let explosive = r"(\w{100}){100}";
        assert_eq!(
            problems_of(&with_pages(vec![page(PageMatch::Regex, explosive, Effect::Allow)])),
            ["conditions[0].pages[0].value: this regular expression is too complex: simplify it or split it into several rules"]
        );
        assert!(!page(PageMatch::Regex, explosive, Effect::Allow).matches("https://x.ru/"));
        let many = (0..51)
            .map(|i| page(PageMatch::Contains, &format!("/p{i}"), Effect::Allow))
            .collect();
        assert_eq!(
            problems_of(&with_pages(many)),
            ["conditions[0]: a condition set has at most 50 rules; this one has 51"]
        );
        let fifty = (0..50)
            .map(|i| page(PageMatch::Contains, &format!("/p{i}"), Effect::Allow))
            .collect();
        assert!(problems_of(&with_pages(fifty)).is_empty());
    }

    #[cfg(feature = "server")]
    #[test]
    fn regex_rules_match_only_what_the_pattern_matches() {
        let rule = page(PageMatch::Regex, r"^https://site\.ru/a/\d+$", Effect::Allow);
        assert!(rule.matches("https://site.ru/a/42"));
        assert!(!rule.matches("https://site.ru/a/b"));
        assert!(!rule.matches("https://site.ru/"));
        let broken = page(PageMatch::Regex, "(unclosed", Effect::Allow);
        assert!(!broken.matches("https://site.ru/(unclosed"));
    }

    /// "Regex rules need the `server` feature; without it they never match."
    #[cfg(not(feature = "server"))]
    #[test]
    fn without_the_server_feature_regex_rules_never_match() {
        let rule = page(PageMatch::Regex, ".*", Effect::Allow);
        assert!(!rule.matches("https://site.ru/"));
    }

    /// Only a country rule needs a two-letter code; regions and cities are names.
    #[test]
    fn only_country_rules_need_a_two_letter_code() {
        let problems = |level: GeoLevel, value: &str| {
            let mut p = Problems::new();
            ConditionSet {
                name: "geo".into(),
                geo: vec![GeoRule {
                    level,
                    value: value.into(),
                    effect: Effect::Allow,
                }],
                ..Default::default()
            }
            .validate("set", &mut p);
            p.into_vec().len()
        };
        let cases = [
            (GeoLevel::Country, "RU", 0),
            (GeoLevel::Country, "kz", 0),
            (GeoLevel::Country, "RUS", 1),
            (GeoLevel::Country, "R1", 1),
            (GeoLevel::Region, "Moscow Oblast", 0),
            (GeoLevel::City, "Krasnogorsk", 0),
            (GeoLevel::City, " ", 1),
        ];
        for (level, value, want) in cases {
            assert_eq!(problems(level, value), want, "{level:?} {value}");
        }
    }

    /// "at most one active": one active set is fine.
    #[test]
    fn one_active_set_is_allowed() {
        let sets = vec![
            ConditionSet {
                name: "a".into(),
                active: true,
                ..Default::default()
            },
            ConditionSet {
                name: "b".into(),
                ..Default::default()
            },
        ];
        let mut p = Problems::new();
        validate_sets(&sets, "conditions", &mut p);
        assert!(p.is_empty(), "{p:?}");
    }
}
