//! Accounts and sites (SPEC §1): "**Account**: a company using Ringback; has users (login),
//! sites, a minutes balance, a blacklist. **Site**: a domain with a public `site key` used in
//! the script tag."

use crate::validation::Problems;
use serde::{Deserialize, Serialize};

/// A site of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Site {
    /// `okna.ru`, without scheme or path.
    pub domain: String,
    /// The country whose numbers visitors type without a code (ISO 3166-1 alpha-2).
    #[serde(default = "default_country")]
    pub country: String,
    /// The countries whose client numbers the site calls back besides its own (ISO 3166-1
    /// alpha-2); empty: "default: the site's own country" (issue 11). See
    /// [`crate::phone::client_number`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub client_countries: Vec<String>,
}

/// At most this many countries in a site's allow-list.
pub const MAX_CLIENT_COUNTRIES: usize = 50;

fn default_country() -> String {
    "RU".into()
}

impl Site {
    /// The domain as stored and compared: its ASCII form (`окна.рф` is stored as
    /// `xn--80atjc.xn--p1ai`, which browsers send in `Origin`), lowercase, without scheme,
    /// `www.`, path, port or a trailing dot. The WHATWG URL parser (the `url` crate, with
    /// UTS #46 IDNA) does the reading; what it cannot read as a host is returned lowercased
    /// for [`Site::validate`] to refuse.
    #[cfg(feature = "server")]
    pub fn normalize_domain(input: &str) -> String {
        let s = input.trim();
        let with_scheme = if s.contains("://") {
            s.to_string()
        } else {
            format!("http://{s}")
        };
        let host = url::Url::parse(&with_scheme)
            .ok()
            .and_then(|u| u.domain().map(str::to_string));
        let Some(host) = host else {
            return s.to_lowercase();
        };
        let host = host.trim_end_matches('.');
        host.strip_prefix("www.").unwrap_or(host).to_string()
    }

    /// The domain as people read it: `xn--80atjc.xn--p1ai` is `окна.рф`.
    #[cfg(feature = "server")]
    pub fn display_domain(domain: &str) -> String {
        let (unicode, result) = idna::domain_to_unicode(domain);
        if result.is_ok() {
            unicode
        } else {
            domain.to_string()
        }
    }

    /// Every problem under `path`.
    pub fn validate(&self, path: &str, problems: &mut Problems) {
        let d = &self.domain;
        let labels_ok = d.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
        if d.is_empty() || !d.contains('.') || !labels_ok || d.len() > 253 {
            problems.add(
                format!("{path}.domain"),
                "enter the site's domain, e.g. okna.ru",
            );
        }
        if !is_country_code(&self.country) {
            problems.add(
                format!("{path}.country"),
                "use the two-letter country code, e.g. RU",
            );
        }
        if self.client_countries.len() > MAX_CLIENT_COUNTRIES {
            problems.add(
                format!("{path}.client_countries"),
                format!("at most {MAX_CLIENT_COUNTRIES} countries"),
            );
        }
        for (i, c) in self.client_countries.iter().enumerate() {
            if !is_country_code(c) {
                problems.add(
                    format!("{path}.client_countries[{i}]"),
                    "use two-letter country codes, e.g. RU, KZ",
                );
            }
        }
    }

    /// The countries whose client numbers the site calls back: its own, and those its
    /// allow-list adds.
    pub fn served_countries(&self) -> Vec<String> {
        crate::phone::served_countries(&self.country, &self.client_countries)
    }
}

/// A two-letter upper-case country code (ISO 3166-1 alpha-2), one the phone metadata knows
/// where the crate has it.
fn is_country_code(c: &str) -> bool {
    let shaped = c.len() == 2 && c.chars().all(|ch| ch.is_ascii_uppercase());
    #[cfg(feature = "server")]
    let shaped = shaped && crate::phone::is_region(c);
    shaped
}

impl Site {
    /// Reads a comma- or space-separated list of country codes typed in the cabinet.
    pub fn parse_countries(list: &str) -> Vec<String> {
        crate::phone::countries(list.split([',', ' ', ';']))
    }

    /// A list of country codes as stored: upper-case, without blanks or repeats
    /// ([`crate::phone::countries`]).
    pub fn countries(list: Vec<String>) -> Vec<String> {
        crate::phone::countries(list.iter().map(String::as_str))
    }
}

/// The embed snippet for a site: "one `<script async src=".../w.js" data-site="KEY"></script>`".
pub fn embed_snippet(origin: &str, site_key: &str) -> String {
    format!(
        r#"<script async src="{}/w.js" data-site="{}"></script>"#,
        origin.trim_end_matches('/'),
        site_key
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "server")]
    #[test]
    fn domains_are_normalized() {
        for (input, want) in [
            ("okna.ru", "okna.ru"),
            ("https://www.Okna.ru/catalog?x=1", "okna.ru"),
            ("http://shop.okna.ru:8080/", "shop.okna.ru"),
            ("  WWW.окна.рф. ", "xn--80atjc.xn--p1ai"),
            ("https://окна.рф/", "xn--80atjc.xn--p1ai"),
            ("xn--80atjc.xn--p1ai", "xn--80atjc.xn--p1ai"),
            ("ПРИМЕР.РФ", "xn--e1afmkfd.xn--p1ai"),
            ("bücher.de", "xn--bcher-kva.de"),
        ] {
            assert_eq!(Site::normalize_domain(input), want, "{input}");
        }
    }

    #[test]
    fn sites_need_a_domain_and_a_country_code() {
        let check = |domain: &str, country: &str| {
            let mut p = Problems::new();
            Site {
                domain: domain.into(),
                country: country.into(),
                client_countries: vec![],
            }
            .validate("site", &mut p);
            p.into_vec().into_iter().map(|p| p.path).collect::<Vec<_>>()
        };
        assert!(check("okna.ru", "RU").is_empty());
        assert!(check("xn--80atjc.xn--p1ai", "RU").is_empty());
        assert_eq!(check("localhost", "ru"), ["site.domain", "site.country"]);
        assert_eq!(check("-bad-.ru", "RU"), ["site.domain"]);
        assert_eq!(check("", "RUS"), ["site.domain", "site.country"]);
    }

    #[test]
    fn internationalized_domains_are_shown_in_their_letters() {
        #[cfg(feature = "server")]
        assert_eq!(Site::display_domain("xn--80atjc.xn--p1ai"), "окна.рф");
        assert_eq!(
            Site::parse_countries("ru, kz;BY  de"),
            ["RU", "KZ", "BY", "DE"]
        );
    }

    #[cfg(feature = "server")]
    #[test]
    fn the_allow_list_holds_known_country_codes() {
        let mut p = Problems::new();
        Site {
            domain: "okna.ru".into(),
            country: "RU".into(),
            client_countries: vec!["KZ".into(), "XX".into(), "kz".into()],
        }
        .validate("site", &mut p);
        let paths: Vec<String> = p.into_vec().into_iter().map(|p| p.path).collect();
        assert_eq!(
            paths,
            ["site.client_countries[1]", "site.client_countries[2]"]
        );
    }

    #[test]
    fn the_snippet_is_one_async_script_tag() {
        assert_eq!(
            embed_snippet("https://rb.example/", "k3y"),
            r#"<script async src="https://rb.example/w.js" data-site="k3y"></script>"#
        );
    }

    /// A site stored without a country uses Russia's numbers.
    #[test]
    fn the_country_defaults_to_ru() {
        let site: Site = serde_json::from_str(r#"{"domain":"okna.ru"}"#).unwrap();
        assert_eq!(site.country, "RU");
    }

    #[test]
    fn domain_labels_and_length_are_checked() {
        let domain_ok = |domain: &str| {
            let mut p = Problems::new();
            Site {
                domain: domain.into(),
                country: "RU".into(),
                client_countries: vec![],
            }
            .validate("site", &mut p);
            p.is_empty()
        };
        // 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 characters: the longest domain.
        let longest = format!(
            "{}.{}.{}.{}",
            "a".repeat(63),
            "b".repeat(63),
            "c".repeat(63),
            "d".repeat(61)
        );
        assert_eq!(longest.len(), 253);
        let cases: [(&str, bool); 7] = [
            ("my-shop.ru", true),
            ("a-b.c-d.ru", true),
            (&longest, true),
            (&format!("{longest}e"), false),
            ("bad-.ru", false),
            ("-bad.ru", false),
            ("okna.r u", false),
        ];
        for (domain, want) in cases {
            assert_eq!(domain_ok(domain), want, "{domain}");
        }
    }
}
