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
}

fn default_country() -> String {
    "RU".into()
}

impl Site {
    /// The domain as stored: lowercase, without scheme, `www.`, path or port.
    pub fn normalize_domain(input: &str) -> String {
        let s = input.trim().to_lowercase();
        let s = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .unwrap_or(&s);
        let s = s.split(['/', '?', '#']).next().unwrap_or("");
        let s = s.split(':').next().unwrap_or("");
        s.strip_prefix("www.")
            .unwrap_or(s)
            .trim_end_matches('.')
            .to_string()
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
        let c = &self.country;
        if !(c.len() == 2 && c.chars().all(|ch| ch.is_ascii_uppercase())) {
            problems.add(
                format!("{path}.country"),
                "use the two-letter country code, e.g. RU",
            );
        }
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

    #[test]
    fn domains_are_normalized() {
        for (input, want) in [
            ("okna.ru", "okna.ru"),
            ("https://www.Okna.ru/catalog?x=1", "okna.ru"),
            ("http://shop.okna.ru:8080/", "shop.okna.ru"),
            ("  WWW.окна.рф. ", "окна.рф"),
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
            }
            .validate("site", &mut p);
            p.into_vec().into_iter().map(|p| p.path).collect::<Vec<_>>()
        };
        assert!(check("okna.ru", "RU").is_empty());
        assert!(check("окна.рф", "RU").is_empty());
        assert_eq!(check("localhost", "ru"), ["site.domain", "site.country"]);
        assert_eq!(check("-bad-.ru", "RU"), ["site.domain"]);
        assert_eq!(check("", "RUS"), ["site.domain", "site.country"]);
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
