//! Ringback reads every number as libphonenumber does (issue 11, defect classes 1–3).
//!
//! `phone_reference.tsv` holds what the Python port of libphonenumber, at the release whose
//! metadata the `phonenumber` crate carries, makes of about ten thousand inputs: every
//! region's example numbers of every type, spelled and misspelled as visitors type them, on
//! sites of many countries (`phone_reference.py` wrote it). [`shared::phone::read`] must agree
//! on each: the same E.164 number, type, country and extension, or a refusal for the same
//! reason.

use shared::phone::{read, NumberKind, PhoneError};

fn kind_name(kind: NumberKind) -> String {
    serde_json::to_value(kind)
        .expect("serializes")
        .as_str()
        .expect("a string")
        .to_string()
}

fn reason(e: &PhoneError) -> &'static str {
    match e {
        PhoneError::TooShort => "too_short",
        PhoneError::TooLong => "too_long",
        _ => "invalid",
    }
}

#[test]
fn every_input_reads_as_libphonenumber_reads_it() {
    let table = include_str!("phone_reference.tsv");
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (i, line) in table.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let (site, input, want) = (cols[0], cols[1], &cols[2..]);
        let got = match read(input, site) {
            Ok(n) => vec![
                n.e164.to_string(),
                kind_name(n.kind),
                n.country,
                n.extension.unwrap_or_else(|| "-".into()),
            ],
            Err(e) => vec!["error".into(), reason(&e).into()],
        };
        checked += 1;
        if got != want {
            wrong.push(format!(
                "line {}: {site} {input:?}: want {want:?}, got {got:?}",
                i + 1
            ));
        }
    }
    assert!(checked > 5000, "the table has {checked} inputs");
    assert!(
        wrong.is_empty(),
        "{} of {checked} inputs read differently from libphonenumber:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
