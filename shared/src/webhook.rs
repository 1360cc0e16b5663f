//! Signed webhooks, both ways: what Ringback posts with a shared secret (orders to a customer's
//! PBX, outgoing webhooks to a customer's receiver) and what it accepts (a PBX's events).
//!
//! **The signature** (issue 11: "signed over timestamp, method, path and body, with a 5-minute
//! window; a replayed or re-targeted signature is refused"). Every such request carries
//!
//! ```text
//! X-Ringback-Signature: t=<unix seconds>, v1=<hex HMAC-SHA256>
//! ```
//!
//! where the HMAC is keyed with the shared secret and computed over the bytes of
//! `"{t}.{METHOD}.{path}.{body}"`: the timestamp in decimal, the request method in capitals,
//! the URL's path with its query as sent (`/api/telephony/pbx/ord_1/2`, `/hooks/x?a=1`; no
//! scheme, host or fragment), and the body exactly as sent, each joined by one `.`. A receiver
//! ([`verify`]) recomputes it for the request it got and compares in constant time; it then
//! refuses a signature whose `t` is more than [`WINDOW_SECS`] (5 minutes) from its own clock,
//! either way. So a signature cannot be moved to another path (another order or attempt), to
//! another method, to another body, or kept for later. Inside the window the receiver
//! remembers each signature it accepted until it would have expired and refuses a second use
//! (the store is the caller's: [`Accepted::expires_at`] says how long to keep it). A sender
//! signs every request afresh, retries included.
//!
//! The header may carry several `v1=` values (one per secret while a secret is rotated); any
//! one that matches is enough. Other `key=value` elements are ignored, so a later scheme can
//! be added alongside.
//!
//! **Outgoing webhooks** ([`retry_delay`], [`next_try`], [`check_url`]) go only to `https://`
//! addresses (a development build may allow `http://` on this machine), and a delivery that
//! fails is tried again with back-off, 1 minute doubling to at most 1 hour, for 24 hours after
//! the event.

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};

/// The header of the signature.
pub const SIGNATURE_HEADER: &str = "X-Ringback-Signature";
/// The header of an outgoing webhook that names its event (`order.created` ...).
pub const EVENT_HEADER: &str = "X-Ringback-Event";
/// The header of an outgoing webhook that names its delivery: the same on every automatic
/// retry of one delivery, so that a receiver can tell a retry from a new delivery.
pub const DELIVERY_HEADER: &str = "X-Ringback-Delivery";
/// How far a signature's time may be from the receiver's clock: 5 minutes.
pub const WINDOW_SECS: i64 = 300;
/// The longest header [`verify`] reads.
const MAX_HEADER_LEN: usize = 1024;

/// What is signed of one request.
#[derive(Debug, Clone, Copy)]
pub struct Signed<'a> {
    /// The method, e.g. `POST`.
    pub method: &'a str,
    /// The URL's path with its query, e.g. `/api/telephony/pbx/ord_1/1`.
    pub path: &'a str,
    /// The body as sent.
    pub body: &'a [u8],
}

fn mac(secret: &str, t: i64, r: &Signed) -> Hmac<sha2::Sha256> {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{t}.{}.{}.", r.method.to_ascii_uppercase(), r.path).as_bytes());
    mac.update(r.body);
    mac
}

/// The `X-Ringback-Signature` value of request `r` signed with `secret` at unix time `t`.
pub fn sign(secret: &str, t: i64, r: &Signed) -> String {
    format!(
        "t={t}, v1={}",
        hex::encode(mac(secret, t, r).finalize().into_bytes())
    )
}

/// A signature [`verify`] accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// Its time, unix seconds.
    pub t: i64,
    /// The `v1` value that matched (hex): what a replay store keeps.
    pub v1: String,
}

impl Accepted {
    /// Unix time after which the signature is refused as expired anyway: a replay store may
    /// forget it then.
    pub fn expires_at(&self) -> i64 {
        self.t + WINDOW_SECS
    }
}

/// Why a signed request is refused (each is a 403 that says so, never the secret).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No `X-Ringback-Signature` header.
    Unsigned,
    /// The header is not `t=<unix seconds>, v1=<64 hex digits>`.
    Malformed,
    /// No `v1` matches this request with the secret (another secret, path, method or body, or
    /// a changed `t`), or no secret is set.
    Wrong,
    /// The signature is right but its time is more than 5 minutes from now.
    Expired,
    /// The signature is right and in time, but was used already.
    Replayed,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refusal::Unsigned => "the request is not signed: X-Ringback-Signature is missing",
            Refusal::Malformed => {
                "X-Ringback-Signature must read t=<unix seconds>, v1=<hex HMAC-SHA256>"
            }
            Refusal::Wrong => {
                "the request's signature is wrong: it must sign \"{t}.{METHOD}.{path}.{body}\" of \
                 this very request with the shared secret"
            }
            Refusal::Expired => {
                "the signature's time is more than 5 minutes from now: it expired, or the \
                 sender's clock is off"
            }
            Refusal::Replayed => {
                "this signature was used already: a replayed request is refused; sign every \
                 request afresh"
            }
        })
    }
}

/// The header's time and `v1` values.
fn parse(header: &str) -> Result<(i64, Vec<Vec<u8>>), Refusal> {
    if header.len() > MAX_HEADER_LEN {
        return Err(Refusal::Malformed);
    }
    let mut t = None;
    let mut v1 = Vec::new();
    for element in header.split(',') {
        let (key, value) = element.trim().split_once('=').ok_or(Refusal::Malformed)?;
        match key {
            "t" => {
                let digits = !value.is_empty()
                    && value.len() <= 12
                    && value.bytes().all(|b| b.is_ascii_digit());
                if t.is_some() || !digits {
                    return Err(Refusal::Malformed);
                }
                t = value.parse().ok();
            }
            "v1" => match hex::decode(value) {
                Ok(bytes) if bytes.len() == 32 => v1.push(bytes),
                _ => return Err(Refusal::Malformed),
            },
            _ => {}
        }
    }
    match t {
        Some(t) if !v1.is_empty() => Ok((t, v1)),
        _ => Err(Refusal::Malformed),
    }
}

/// Checks `header` (`None`: not sent) for request `r` with `secret` at unix time `now`: the
/// HMAC (in constant time), then the 5-minute window. Replays are the caller's to refuse,
/// with [`Accepted::v1`]. An empty secret accepts nothing.
pub fn verify(
    secret: &str,
    header: Option<&str>,
    r: &Signed,
    now: i64,
) -> Result<Accepted, Refusal> {
    let (t, candidates) = parse(header.ok_or(Refusal::Unsigned)?)?;
    if secret.is_empty() {
        return Err(Refusal::Wrong);
    }
    let expected = mac(secret, t, r);
    let matched = candidates
        .into_iter()
        .find(|v| expected.clone().verify_slice(v).is_ok())
        .ok_or(Refusal::Wrong)?;
    if (now - t).abs() > WINDOW_SECS {
        return Err(Refusal::Expired);
    }
    Ok(Accepted {
        t,
        v1: hex::encode(matched),
    })
}

/// What is signed of a URL: its path, and `?query` if it has one.
pub fn signed_path(url: &url::Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

/// How long a failed delivery is tried again: 24 hours after its event.
pub fn retry_window() -> Duration {
    Duration::hours(24)
}

/// The wait after try number `tries` (1 is the first) of a delivery failed: 1 minute,
/// doubling with every try, at most 1 hour ("retried with back-off for 24 hours").
pub fn retry_delay(tries: u32) -> Duration {
    let minutes = 1i64 << tries.saturating_sub(1).min(6);
    Duration::minutes(minutes.min(60))
}

/// When to try a delivery of an event of time `event_at` again after try number `tries` failed
/// at `now`: after [`retry_delay`], or `None` (give up, the delivery has failed) when that
/// would be more than 24 hours after the event.
pub fn next_try(event_at: DateTime<Utc>, tries: u32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let at = now + retry_delay(tries);
    (at <= event_at + retry_window()).then_some(at)
}

/// Checks an address Ringback posts signed requests to (an outgoing webhook receiver, a PBX,
/// a provider's API): `https://` with a host, no user name or password in it, no fragment, no
/// spaces or control characters. `loopback_http` (a development build) also allows `http://`
/// to this machine (`127.0.0.1`, `localhost`, `[::1]`), where the simulator listens. The
/// error says what to fix.
pub fn check_url(raw: &str, loopback_http: bool) -> Result<url::Url, &'static str> {
    if raw.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("must not contain spaces or control characters");
    }
    let url = url::Url::parse(raw).map_err(|_| "must be a web address such as https://…")?;
    let loopback = matches!(
        url.host(),
        Some(url::Host::Domain("localhost"))
            | Some(url::Host::Ipv4(std::net::Ipv4Addr::LOCALHOST))
            | Some(url::Host::Ipv6(std::net::Ipv6Addr::LOCALHOST))
    );
    match url.scheme() {
        "https" => {}
        "http" if loopback_http && loopback => {}
        "http" => return Err("must start with https:// (plain http is not allowed)"),
        _ => return Err("must be an https:// address"),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("must name a host");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not contain a user name or password");
    }
    if url.fragment().is_some() {
        return Err("must not contain a #fragment");
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "pbx-secret-0123456789abcdef";
    const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

    fn request<'a>(method: &'a str, path: &'a str, body: &'a str) -> Signed<'a> {
        Signed {
            method,
            path,
            body: body.as_bytes(),
        }
    }

    /// The signed string is `"{t}.{METHOD}.{path}.{body}"`: the same HMAC computed by hand.
    #[test]
    fn the_signature_is_an_hmac_of_time_method_path_and_body() {
        let r = request(
            "post",
            "/api/telephony/pbx/ord_1/1",
            r#"{"event":"client_answered"}"#,
        );
        let header = sign(SECRET, NOW, &r);
        let mut by_hand = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
        by_hand.update(
            format!("{NOW}.POST./api/telephony/pbx/ord_1/1.{{\"event\":\"client_answered\"}}")
                .as_bytes(),
        );
        let want = hex::encode(by_hand.finalize().into_bytes());
        assert_eq!(header, format!("t={NOW}, v1={want}"));
    }

    /// The README's worked example, so that a customer can check their own code against it.
    #[test]
    fn the_readmes_example_signature() {
        let r = request("POST", "/ringback-hook", r#"{"event":"order.created"}"#);
        assert_eq!(
            sign("example-secret-0123456789", 1_767_225_600, &r),
            "t=1767225600, v1=c6d5271df4d35fde27fe6226ffce66e130ad1f2ba29ef60c839af471c639cfeb"
        );
    }

    /// HMAC-SHA256 itself is RFC 4231's (test case 2), hex-encoded.
    #[test]
    fn hmac_sha256_is_rfc_4231s() {
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    /// "signed over timestamp, method, path and body, with a 5-minute window": every way of
    /// moving, changing or keeping a signature is refused, and says why.
    #[test]
    fn verification_refuses_every_other_request_time_and_form() {
        let body = r#"{"event":"call_ended","cause":"completed"}"#;
        let path = "/api/telephony/pbx/ord_A/1";
        let r = request("POST", path, body);
        let good = sign(SECRET, NOW, &r);
        let v1 = good.split("v1=").nth(1).unwrap().to_string();
        let other_body = body.replace("completed", "client_busy");
        let with_query = format!("{path}?x=1");
        type Case<'a> = (&'a str, String, Signed<'a>, i64, Result<(), Refusal>);
        let cases: Vec<Case> = vec![
            ("valid", good.clone(), r, NOW, Ok(())),
            ("valid, 5 minutes late", good.clone(), r, NOW + 300, Ok(())),
            ("valid, 5 minutes early", good.clone(), r, NOW - 300, Ok(())),
            ("expired", good.clone(), r, NOW + 301, Err(Refusal::Expired)),
            (
                "from the future",
                good.clone(),
                r,
                NOW - 301,
                Err(Refusal::Expired),
            ),
            (
                "wrong method",
                good.clone(),
                request("PUT", path, body),
                NOW,
                Err(Refusal::Wrong),
            ),
            (
                "another order's path",
                good.clone(),
                request("POST", "/api/telephony/pbx/ord_B/1", body),
                NOW,
                Err(Refusal::Wrong),
            ),
            (
                "another attempt's path",
                good.clone(),
                request("POST", "/api/telephony/pbx/ord_A/2", body),
                NOW,
                Err(Refusal::Wrong),
            ),
            (
                "a query added",
                good.clone(),
                request("POST", &with_query, body),
                NOW,
                Err(Refusal::Wrong),
            ),
            (
                "wrong body",
                good.clone(),
                request("POST", path, &other_body),
                NOW,
                Err(Refusal::Wrong),
            ),
            (
                "tampered t",
                format!("t={}, v1={v1}", NOW + 1),
                r,
                NOW,
                Err(Refusal::Wrong),
            ),
            (
                "another secret",
                sign("another-secret-0123456", NOW, &r),
                r,
                NOW,
                Err(Refusal::Wrong),
            ),
            (
                "one of two v1 matches",
                format!("t={NOW}, v1={}, v1={v1}", "0".repeat(64)),
                r,
                NOW,
                Ok(()),
            ),
            (
                "spaces optional, unknown keys ignored",
                format!("t={NOW},v0=abc,v1={v1}"),
                r,
                NOW,
                Ok(()),
            ),
            (
                "old sha256= form",
                format!("sha256={v1}"),
                r,
                NOW,
                Err(Refusal::Malformed),
            ),
            ("no t", format!("v1={v1}"), r, NOW, Err(Refusal::Malformed)),
            ("no v1", format!("t={NOW}"), r, NOW, Err(Refusal::Malformed)),
            (
                "two t",
                format!("t={NOW}, t={NOW}, v1={v1}"),
                r,
                NOW,
                Err(Refusal::Malformed),
            ),
            (
                "signed t",
                format!("t=+{NOW}, v1={v1}"),
                r,
                NOW,
                Err(Refusal::Malformed),
            ),
            (
                "short v1",
                format!("t={NOW}, v1={}", &v1[..62]),
                r,
                NOW,
                Err(Refusal::Malformed),
            ),
            (
                "non-hex v1",
                format!("t={NOW}, v1={}", "z".repeat(64)),
                r,
                NOW,
                Err(Refusal::Malformed),
            ),
            ("empty", String::new(), r, NOW, Err(Refusal::Malformed)),
            (
                "huge",
                format!("t={NOW}, v1={v1}, {}", "x=y,".repeat(300)),
                r,
                NOW,
                Err(Refusal::Malformed),
            ),
        ];
        for (name, header, req, now, want) in cases {
            let got = verify(SECRET, Some(&header), &req, now);
            assert_eq!(
                got.as_ref().map(|_| ()).map_err(|e| *e),
                want,
                "{name}: {header}"
            );
            if let Ok(a) = got {
                assert_eq!(
                    (a.t, a.v1.as_str(), a.expires_at()),
                    (NOW, v1.as_str(), NOW + 300)
                );
            }
        }
        assert_eq!(verify(SECRET, None, &r, NOW), Err(Refusal::Unsigned));
        assert_eq!(verify("", Some(&good), &r, NOW), Err(Refusal::Wrong));
        // The refusal says why and never holds the secret.
        for refusal in [
            Refusal::Unsigned,
            Refusal::Malformed,
            Refusal::Wrong,
            Refusal::Expired,
            Refusal::Replayed,
        ] {
            assert!(!refusal.to_string().contains(SECRET));
        }
    }

    #[test]
    fn the_signed_path_is_the_path_with_its_query() {
        let u = |s: &str| signed_path(&url::Url::parse(s).unwrap());
        assert_eq!(
            u("https://rb.example/api/telephony/pbx/o/1"),
            "/api/telephony/pbx/o/1"
        );
        assert_eq!(
            u("https://hooks.example/in?token=a&b=c#x"),
            "/in?token=a&b=c"
        );
        assert_eq!(u("https://hooks.example"), "/");
    }

    /// "retried with back-off for 24 hours": 1, 2, 4 ... minutes, at most an hour apart, and
    /// no try later than a day after the event.
    #[test]
    fn failed_deliveries_back_off_to_an_hour_and_stop_after_a_day() {
        let delays: Vec<i64> = (1..=9).map(|n| retry_delay(n).num_minutes()).collect();
        assert_eq!(delays, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(retry_delay(0).num_minutes(), 1);
        assert_eq!(retry_delay(u32::MAX).num_minutes(), 60);
        let event = DateTime::from_timestamp(NOW, 0).unwrap();
        let mut now = event;
        let mut tries = 0;
        while let Some(at) = next_try(event, tries + 1, now) {
            tries += 1;
            assert!(at > now && at <= event + Duration::hours(24));
            now = at;
        }
        // 1+2+...+32 minutes = 63 minutes, then hourly up to the 24th hour.
        assert_eq!(tries, 6 + 22);
        assert!(event + Duration::hours(23) < now);
        assert_eq!(next_try(event, 1, event + Duration::hours(24)), None);
        assert_eq!(
            next_try(event, 1, event + Duration::minutes(1439)),
            Some(event + Duration::hours(24))
        );
    }

    /// "https only": a receiver's address is https (http to this machine in development
    /// only), and never carries credentials, a fragment or control characters.
    #[test]
    fn webhook_addresses_are_https_only() {
        let cases: &[(&str, bool, Result<(), &str>)] = &[
            ("https://hooks.example/ringback", false, Ok(())),
            ("https://hooks.example:8443/in?x=1", false, Ok(())),
            ("https://окна.рф/hook", false, Ok(())),
            (
                "http://hooks.example/ringback",
                false,
                Err("must start with https:// (plain http is not allowed)"),
            ),
            (
                "http://hooks.example/ringback",
                true,
                Err("must start with https:// (plain http is not allowed)"),
            ),
            (
                "http://127.0.0.1:8790/hooks/a",
                false,
                Err("must start with https:// (plain http is not allowed)"),
            ),
            ("http://127.0.0.1:8790/hooks/a", true, Ok(())),
            ("http://localhost/hooks/a", true, Ok(())),
            ("http://[::1]:9/x", true, Ok(())),
            (
                "http://127.0.0.2/x",
                true,
                Err("must start with https:// (plain http is not allowed)"),
            ),
            (
                "ftp://hooks.example/x",
                false,
                Err("must be an https:// address"),
            ),
            (
                "javascript:alert(1)",
                false,
                Err("must be an https:// address"),
            ),
            (
                "hooks.example/x",
                false,
                Err("must be a web address such as https://…"),
            ),
            ("", false, Err("must be a web address such as https://…")),
            (
                "https://user:pw@hooks.example/x",
                false,
                Err("must not contain a user name or password"),
            ),
            (
                "https://user@hooks.example/x",
                false,
                Err("must not contain a user name or password"),
            ),
            (
                "https://hooks.example/x#frag",
                false,
                Err("must not contain a #fragment"),
            ),
            (
                "https://hooks.example/a\nb",
                false,
                Err("must not contain spaces or control characters"),
            ),
            (
                "https://hooks.example/a\tb",
                false,
                Err("must not contain spaces or control characters"),
            ),
            (
                "https://hooks.example/a b",
                false,
                Err("must not contain spaces or control characters"),
            ),
            (
                "https://hooks.example/\u{7f}",
                false,
                Err("must not contain spaces or control characters"),
            ),
        ];
        for (raw, loopback, want) in cases {
            assert_eq!(check_url(raw, *loopback).map(|_| ()), *want, "{raw:?}");
        }
    }
}
