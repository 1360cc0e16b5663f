//! The blacklist (SPEC §4): "numbers (and IPs) blocked from ordering callbacks get a polite
//! refusal, and nothing is dialed."
//!
//! Numbers match on their normalized E.164 form, so `8 (916) 123-45-67` and `+79161234567` are
//! one entry. IPs match exactly or by network (`203.0.113.0/24`, `2001:db8::/32`).

use crate::phone::E164;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// One blocked number or address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum BlacklistEntry {
    /// A number, in E.164 form.
    Phone(E164),
    /// One IP address (as a single-address network) or a whole network.
    Ip(#[cfg_attr(feature = "openapi", schemars(with = "String"))] IpNet),
}

impl BlacklistEntry {
    /// Reads an IP or network as the cabinet's blacklist form gives it.
    pub fn parse_ip(text: &str) -> Result<BlacklistEntry, String> {
        let t = text.trim();
        if let Ok(net) = t.parse::<IpNet>() {
            return Ok(BlacklistEntry::Ip(net.trunc()));
        }
        t.parse::<IpAddr>()
            .map(|ip| BlacklistEntry::Ip(IpNet::from(ip)))
            .map_err(|_| format!("`{t}` is not an IP address or network such as 203.0.113.0/24"))
    }
}

/// An account's blacklist.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Blacklist {
    /// The blocked numbers and addresses.
    pub entries: Vec<BlacklistEntry>,
}

impl Blacklist {
    /// The number is blocked.
    pub fn blocks_phone(&self, phone: &E164) -> bool {
        self.entries
            .iter()
            .any(|e| matches!(e, BlacklistEntry::Phone(p) if p == phone))
    }

    /// The address is blocked, exactly or by a network containing it.
    pub fn blocks_ip(&self, ip: IpAddr) -> bool {
        self.entries
            .iter()
            .any(|e| matches!(e, BlacklistEntry::Ip(net) if net.contains(&ip)))
    }

    /// Whether an order from `ip` for `phone` must be refused.
    pub fn refuses(&self, phone: &E164, ip: Option<IpAddr>) -> bool {
        self.blocks_phone(phone) || ip.is_some_and(|ip| self.blocks_ip(ip))
    }
}

#[cfg(all(test, feature = "server"))]
mod tests {
    use super::*;
    use crate::phone::normalize;

    #[test]
    fn numbers_match_on_their_normalized_form() {
        let list = Blacklist {
            entries: vec![BlacklistEntry::Phone(
                normalize("8 (916) 123-45-67", "RU").unwrap(),
            )],
        };
        assert!(list.blocks_phone(&normalize("+7 916 123 45 67", "RU").unwrap()));
        assert!(!list.blocks_phone(&normalize("+7 916 123 45 68", "RU").unwrap()));
    }

    #[test]
    fn ips_match_exactly_or_by_network() {
        let list = Blacklist {
            entries: vec![
                BlacklistEntry::parse_ip("198.51.100.7").unwrap(),
                BlacklistEntry::parse_ip("203.0.113.77/24").unwrap(),
                BlacklistEntry::parse_ip("2001:db8::/32").unwrap(),
            ],
        };
        let blocked = |ip: &str| list.blocks_ip(ip.parse().unwrap());
        assert!(blocked("198.51.100.7"));
        assert!(!blocked("198.51.100.8"));
        assert!(blocked("203.0.113.1"));
        assert!(!blocked("203.0.114.1"));
        assert!(blocked("2001:db8:1::5"));
        assert!(!blocked("2001:db9::5"));
        let phone = normalize("+79161234567", "RU").unwrap();
        assert!(list.refuses(&phone, Some("203.0.113.9".parse().unwrap())));
        assert!(!list.refuses(&phone, None));
        assert!(BlacklistEntry::parse_ip("not an ip").is_err());
    }

    #[test]
    fn entries_serialize_with_their_kind() {
        let e = BlacklistEntry::parse_ip("203.0.113.77/24").unwrap();
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"kind":"ip","value":"203.0.113.0/24"}"#
        );
    }
}
