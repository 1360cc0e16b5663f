//! The device rules (`shared::device`) against a corpus of real user agents, each labelled with
//! the class the SPEC wants: `user_agents.txt` says where the strings come from and how their
//! labels were mapped to desktop, tablet and mobile.

use shared::device::DeviceType;

const CORPUS: &str = include_str!("user_agents.txt");

/// A corpus line: its 1-based number, the class it expects and the user agent.
struct Entry {
    line: usize,
    want: DeviceType,
    user_agent: &'static str,
}

/// The corpus entries; panics on a line that is neither a comment, blank nor `<class>\t<ua>`.
fn entries() -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut malformed = Vec::new();
    for (index, text) in CORPUS.lines().enumerate() {
        let line = index + 1;
        if text.trim().is_empty() || text.starts_with('#') {
            continue;
        }
        let parsed = text.split_once('\t').and_then(|(class, user_agent)| {
            let want = match class {
                "desktop" => DeviceType::Desktop,
                "tablet" => DeviceType::Tablet,
                "mobile" => DeviceType::Mobile,
                _ => return None,
            };
            (!user_agent.is_empty() && !user_agent.contains('\t')).then_some((want, user_agent))
        });
        match parsed {
            Some((want, user_agent)) => entries.push(Entry {
                line,
                want,
                user_agent,
            }),
            None => malformed.push(format!("line {line}: {text}")),
        }
    }
    assert!(
        malformed.is_empty(),
        "lines that are not `<desktop|tablet|mobile>\\t<user agent>`:\n{}",
        malformed.join("\n")
    );
    entries
}

#[test]
fn the_corpus_is_large_and_covers_every_class() {
    let entries = entries();
    assert!(
        entries.len() >= 300,
        "only {} user agents in the corpus",
        entries.len()
    );
    for class in DeviceType::ALL {
        let count = entries.iter().filter(|e| e.want == class).count();
        assert!(
            count >= 30,
            "only {count} {class:?} user agents in the corpus"
        );
    }
}

#[test]
fn every_corpus_user_agent_gets_its_class() {
    let entries = entries();
    let mismatches: Vec<String> = entries
        .iter()
        .filter_map(|e| {
            let got = DeviceType::from_request(e.user_agent, None);
            (got != e.want).then(|| {
                format!(
                    "line {}: expected {:?}, got {got:?}: {}",
                    e.line, e.want, e.user_agent
                )
            })
        })
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} of {} corpus user agents misclassified:\n{}",
        mismatches.len(),
        entries.len(),
        mismatches.join("\n")
    );
}
