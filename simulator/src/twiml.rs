//! TwiML, as far as Ringback's adapter uses it: `Say`, `Play`, `Pause`, `Gather` (with nested
//! `Say`/`Play`), `Dial` with `Number`s, `Hangup`. Other verbs are kept by name and skipped.

use anyhow::{bail, Context};
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::HashMap;

/// A number to dial, with its status callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    pub number: String,
    pub status_callback: Option<String>,
}

/// One TwiML verb.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verb {
    Say {
        times: u32,
        text: String,
    },
    Play {
        times: u32,
        url: String,
    },
    Pause {
        secs: u32,
    },
    Gather {
        num_digits: u32,
        timeout: u32,
        action: Option<String>,
        inner: Vec<Verb>,
    },
    Dial {
        timeout: u32,
        action: Option<String>,
        caller_id: Option<String>,
        numbers: Vec<Number>,
    },
    Hangup,
    Other(String),
}

#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: HashMap<String, String>,
    text: String,
    children: Vec<Element>,
}

fn dom(xml: &str) -> anyhow::Result<Element> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        match reader.read_event().context("TwiML is not XML")? {
            Event::Start(e) => {
                let mut el = Element {
                    name: String::from_utf8_lossy(e.name().as_ref()).into_owned(),
                    ..Default::default()
                };
                for a in e.attributes().flatten() {
                    el.attrs.insert(
                        String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                        a.unescape_value()?.into_owned(),
                    );
                }
                stack.push(el);
            }
            Event::Empty(e) => {
                let mut el = Element {
                    name: String::from_utf8_lossy(e.name().as_ref()).into_owned(),
                    ..Default::default()
                };
                for a in e.attributes().flatten() {
                    el.attrs.insert(
                        String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                        a.unescape_value()?.into_owned(),
                    );
                }
                stack.last_mut().expect("root").children.push(el);
            }
            Event::Text(t) => {
                let text = t.decode()?.into_owned();
                stack.last_mut().expect("root").text.push_str(&text);
            }
            Event::GeneralRef(r) => {
                let name = r.decode()?.into_owned();
                let ch = match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                };
                stack.last_mut().expect("root").text.push_str(ch);
            }
            Event::End(_) => {
                let done = stack.pop().context("unbalanced TwiML")?;
                stack
                    .last_mut()
                    .context("unbalanced TwiML")?
                    .children
                    .push(done);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut root = stack.pop().context("empty TwiML")?;
    match root.children.pop() {
        Some(r) if r.name == "Response" => Ok(r),
        _ => bail!("TwiML must be a <Response>"),
    }
}

fn num(el: &Element, name: &str, default: u32) -> u32 {
    el.attrs
        .get(name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

fn verb(el: &Element) -> Verb {
    match el.name.as_str() {
        "Say" => Verb::Say {
            times: num(el, "loop", 1).max(1),
            text: el.text.trim().to_string(),
        },
        "Play" => Verb::Play {
            times: num(el, "loop", 1).max(1),
            url: el.text.trim().to_string(),
        },
        "Pause" => Verb::Pause {
            secs: num(el, "length", 1),
        },
        "Gather" => Verb::Gather {
            num_digits: num(el, "numDigits", 1),
            timeout: num(el, "timeout", 5),
            action: el.attrs.get("action").cloned(),
            inner: el.children.iter().map(verb).collect(),
        },
        "Dial" => {
            let mut numbers: Vec<Number> = el
                .children
                .iter()
                .filter(|c| c.name == "Number")
                .map(|c| Number {
                    number: c.text.trim().to_string(),
                    status_callback: c.attrs.get("statusCallback").cloned(),
                })
                .collect();
            if numbers.is_empty() && !el.text.trim().is_empty() {
                numbers.push(Number {
                    number: el.text.trim().to_string(),
                    status_callback: None,
                });
            }
            Verb::Dial {
                timeout: num(el, "timeout", 30),
                action: el.attrs.get("action").cloned(),
                caller_id: el.attrs.get("callerId").cloned(),
                numbers,
            }
        }
        "Hangup" => Verb::Hangup,
        other => Verb::Other(other.to_string()),
    }
}

/// The verbs of a TwiML document.
pub fn parse(xml: &str) -> anyhow::Result<Vec<Verb>> {
    Ok(dom(xml)?.children.iter().map(verb).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_ringbacks_adapter_renders() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?><Response><Gather input="dtmf" numDigits="1" timeout="1" action="https://rb.example/g?a=1&amp;b=2" method="POST"><Say language="ru-RU" loop="8">Нажмите 5 &amp; ждите</Say></Gather><Hangup/></Response>"#;
        assert_eq!(
            parse(xml).unwrap(),
            vec![
                Verb::Gather {
                    num_digits: 1,
                    timeout: 1,
                    action: Some("https://rb.example/g?a=1&b=2".into()),
                    inner: vec![Verb::Say {
                        times: 8,
                        text: "Нажмите 5 & ждите".into()
                    }],
                },
                Verb::Hangup
            ]
        );
        let dial = r#"<Response><Say loop="2">Hi</Say><Dial timeout="30" action="https://rb/d" callerId="+7495"><Number statusCallbackEvent="answered" statusCallback="https://rb/c">+79161234567</Number></Dial><Hangup/></Response>"#;
        let verbs = parse(dial).unwrap();
        assert_eq!(
            verbs[1],
            Verb::Dial {
                timeout: 30,
                action: Some("https://rb/d".into()),
                caller_id: Some("+7495".into()),
                numbers: vec![Number {
                    number: "+79161234567".into(),
                    status_callback: Some("https://rb/c".into()),
                }],
            }
        );
    }

    #[test]
    fn rejects_what_is_not_twiml() {
        assert!(parse("<Nope/>").is_err());
        assert!(parse("not xml <").is_err() || parse("not xml <").unwrap().is_empty());
        assert_eq!(
            parse("<Response><Reject/></Response>").unwrap(),
            vec![Verb::Other("Reject".into())]
        );
    }
}
