//! Validation: every problem found at once, each with a field path and a human message.
//!
//! Bad input gets a clear error and loses nothing: validators never stop at the first problem;
//! they return the whole list so the cabinet can show every message next to its field and the
//! API can answer one 4xx naming all of them.

use serde::{Deserialize, Serialize};

/// One thing wrong with a document: where (`forwarding.numbers[3]`) and what, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Problem {
    /// Dotted field path with indices, e.g. `button.size` or `forwarding.numbers[3]`.
    pub path: String,
    /// A sentence a marketer understands, e.g. `must be between 40 and 96 px`.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Collects problems while a validator walks a document.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Problems(Vec<Problem>);

impl Problems {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem at `path`.
    pub fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }

    /// Records a problem unless `value` lies in `min..=max` (an inclusive SPEC range).
    pub fn check_range<T: PartialOrd + std::fmt::Display>(
        &mut self,
        path: impl Into<String>,
        value: T,
        min: T,
        max: T,
        unit: &str,
    ) {
        if value < min || value > max {
            self.add(path, format!("must be between {min} and {max}{unit}"));
        }
    }

    /// Nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every problem recorded, in order.
    pub fn into_vec(self) -> Vec<Problem> {
        self.0
    }

    /// `Ok(())` when nothing was recorded, otherwise every problem.
    pub fn finish(self) -> Result<(), Vec<Problem>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

/// What is wrong with a web address a marketer entered, if anything: it must start with
/// `https://` (or `http://`), name a host without user or password, and hold no spaces or
/// control characters (a line break in a URL can split a header or a TwiML attribute).
pub fn web_address_problem(url: &str) -> Option<&'static str> {
    let u = url.trim();
    if u.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Some("must not contain spaces or control characters");
    }
    let Some(rest) = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
    else {
        return Some("must be a web address starting with https://");
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || authority.contains('@') {
        return Some("must be a web address such as https://okna.ru/page");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses_have_a_host_and_no_control_characters() {
        for (url, want) in [
            ("https://okna.ru/privacy", None),
            ("http://127.0.0.1:8787/media/1/a.png", None),
            ("  https://okna.ru  ", None),
            (
                "https://okna.ru/a\r\nSet-Cookie: x",
                Some("must not contain spaces or control characters"),
            ),
            (
                "https://okna.ru/\u{0}",
                Some("must not contain spaces or control characters"),
            ),
            (
                "https://okna.ru/a b",
                Some("must not contain spaces or control characters"),
            ),
            (
                "https://user:pw@okna.ru/",
                Some("must be a web address such as https://okna.ru/page"),
            ),
            (
                "https:///path",
                Some("must be a web address such as https://okna.ru/page"),
            ),
        ] {
            assert_eq!(web_address_problem(url), want, "{url:?}");
        }
        for url in ["javascript:alert(1)", "okna.ru", "ftp://okna.ru/a"] {
            assert_eq!(
                web_address_problem(url),
                Some("must be a web address starting with https://"),
                "{url}"
            );
        }
    }

    #[test]
    fn range_check_names_the_bounds_and_keeps_every_problem() {
        let mut p = Problems::new();
        p.check_range("button.size", 30, 40, 96, " px");
        p.check_range("form.radius", 10, 0, 24, " px");
        p.check_range("auto_show.seconds", 9000, 15, 3000, " s");
        let all = p.finish().unwrap_err();
        assert_eq!(all.len(), 2);
        assert_eq!(
            all[0].to_string(),
            "button.size: must be between 40 and 96 px"
        );
        assert_eq!(all[1].path, "auto_show.seconds");
    }
}
