//! Per-address limits: which requests count as coming "from one address".
//!
//! One person holds one IPv4 address but a whole IPv6 /64 (a home router hands every device
//! its own address out of it, and a device changes its address at will), so an IPv6 limit
//! that counted single addresses would be no limit at all. A limit counts per
//! [`ip_group`]: an IPv4 address as it is, an IPv6 address by its first 64 bits.

use ipnet::Ipv6Net;
use std::net::IpAddr;

/// The group an address's requests are counted in: `203.0.113.7` for an IPv4 address,
/// `2001:db8:1:2::/64` for any address of that IPv6 /64. An IPv4-mapped IPv6 address
/// (`::ffff:203.0.113.7`) is its IPv4 address. Text that is no address is its own group
/// (trimmed and lower-cased), so that it can never share a group with a real address.
pub fn ip_group(ip: &str) -> String {
    let ip = ip.trim();
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => Ipv6Net::new(v6, 64)
                .expect("64 is a valid IPv6 prefix length")
                .trunc()
                .to_string(),
        },
        Err(_) => format!("?{}", ip.to_ascii_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_counts_per_address_and_ipv6_per_64() {
        for (ip, group) in [
            ("203.0.113.7", "203.0.113.7"),
            (" 203.0.113.7 ", "203.0.113.7"),
            ("203.0.113.8", "203.0.113.8"),
            ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
            ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
            ("2001:DB8:1:2:a:b:c:d", "2001:db8:1:2::/64"),
            ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
            ("::1", "::/64"),
            ("::ffff:203.0.113.7", "203.0.113.7"),
            ("", "?"),
            ("not an address", "?not an address"),
        ] {
            assert_eq!(ip_group(ip), group, "{ip:?}");
        }
    }

    #[test]
    fn one_64_is_one_group_and_neighbours_are_not() {
        let a = ip_group("2a02:6b8:b010:a4fc::1");
        let b = ip_group("2a02:6b8:b010:a4fc:1234:5678:9abc:def0");
        let c = ip_group("2a02:6b8:b010:a4fd::1");
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
