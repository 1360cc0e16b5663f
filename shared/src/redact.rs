//! What logs may hold: "Logs never hold a full phone number, email body or secret: use the
//! masked number" (issue 11). The worker passes every free text it logs (a provider's error,
//! a storage failure) through [`redact`]; it never logs a message body or a secret at all.

/// The text with every phone number masked the way [`crate::phone::E164::masked`] does
/// (`+79161234567` → `+791***67`; any run of 7 or more digits counts, with the separators
/// people write inside numbers) and every email address's local part hidden
/// (`ivan@okna.ru` → `i***@okna.ru`).
pub fn redact(text: &str) -> String {
    mask_emails(&mask_numbers(text))
}

fn mask_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let separator = |c: char| matches!(c, ' ' | '-' | '(' | ')' | '.');
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let plus = chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if !(chars[i].is_ascii_digit() || plus) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // The longest stretch of digits and in-number separators (at most two in a row, each
        // followed by a digit soon) from here.
        let mut j = i + 1;
        let mut end = j;
        let mut digits = usize::from(!plus);
        while j < chars.len() {
            let c = chars[j];
            if c.is_ascii_digit() {
                digits += 1;
                j += 1;
                end = j;
            } else if separator(c) && j + 1 < chars.len() && j - end < 2 {
                j += 1;
            } else {
                break;
            }
        }
        let run: String = chars[i..end].iter().collect();
        if digits >= 7 {
            let compact: String = run
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect();
            out.push_str(&mask(&compact));
        } else {
            out.push_str(&run);
        }
        i = end;
    }
    out
}

/// A number with at least half of its digits hidden ([`crate::phone::mask_digits`]).
fn mask(compact: &str) -> String {
    crate::phone::mask_digits(compact)
}

fn mask_emails(text: &str) -> String {
    text.split_inclusive(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ',' | ';')
    })
    .map(|word| {
        let (core, tail) = match word.char_indices().last() {
            Some((i, c))
                if c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ',' | ';') =>
            {
                (&word[..i], &word[i..])
            }
            _ => (word, ""),
        };
        match core.split_once('@') {
            Some((local, domain)) if !local.is_empty() && domain.contains('.') => {
                let first: String = local.chars().take(1).collect();
                format!("{first}***@{domain}{tail}")
            }
            _ => word.to_string(),
        }
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_emails_are_masked_and_the_rest_kept() {
        for (text, want) in [
            ("dial +79161234567 failed", "dial +791***67 failed"),
            (
                "The 'To' number +7 916 123-45-67 is not valid",
                "The 'To' number +791***67 is not valid",
            ),
            ("call 8 (916) 123-45-67 now", "call 891***67 now"),
            (
                "attempt 3 of order ab12, 30 s",
                "attempt 3 of order ab12, 30 s",
            ),
            ("HTTP 503 after 2026 ms", "HTTP 503 after 2026 ms"),
            ("code 1234567", "code 12***7"),
            ("to ivan.petrov@okna.ru: sent", "to i***@okna.ru: sent"),
            (
                "<anna@okna.ru>, +442079460018",
                "<a***@okna.ru>, +442***018",
            ),
        ] {
            assert_eq!(redact(text), want, "{text}");
        }
    }
}
