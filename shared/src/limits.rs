//! Flood limits: "never let Ringback be used against anyone" (issue 11). A site key is
//! public, so anyone can send orders for any number; these caps keep one number from being
//! rung over and over, by one account or by many.
//!
//! | limit | window | who sets it |
//! |---|---|---|
//! | orders per client number, per account | 24 h | the account (default 5, 1–50) |
//! | rings of a client number (every attempt, retries included), per account | 24 h | the account (default 15, 1–100) |
//! | orders per client number, all accounts together | 24 h | fixed, [`PLATFORM_ORDERS_PER_NUMBER`] |
//! | rings of a client number, all accounts together | 24 h | fixed, [`PLATFORM_RINGS_PER_NUMBER`] |
//! | orders per client number | 1 h | fixed, [`ORDERS_PER_NUMBER_PER_HOUR`] |
//! | orders per client address (IPv6 by its /64) | 1 h | fixed, [`ORDERS_PER_ADDRESS_PER_HOUR`] |
//! | sign-ups per address (IPv6 by its /64) | 1 h | fixed, in `edge-worker/src/auth.rs` |
//! | orders per site | 1 h | fixed, [`ORDERS_PER_SITE_PER_HOUR`] |
//!
//! The worker enforces them atomically: an order is stored only by a statement whose own
//! condition counts what is already stored, so a burst of parallel orders cannot slip past a
//! cap between a count and an insert. Each attempt of a chain claims a ring the same way
//! before the operator is dialed; a refused claim cancels the chain
//! ([`crate::chain::CancelReason::DailyRingLimit`]). A refused order stores nothing and
//! dials nothing; its visitor reads a polite, specific message ([`LimitHit::message`]).

use crate::texts::Lang;
use crate::validation::Problems;
use ipnet::Ipv6Net;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// Orders of one client number per 24 hours across every account: no one can use many
/// accounts to ring one person.
pub const PLATFORM_ORDERS_PER_NUMBER: i64 = 20;
/// Rings of one client number per 24 hours across every account.
pub const PLATFORM_RINGS_PER_NUMBER: i64 = 50;
/// Orders of one client number per hour (any account).
pub const ORDERS_PER_NUMBER_PER_HOUR: i64 = 3;
/// Orders from one client address (an IPv6 /64) per hour.
pub const ORDERS_PER_ADDRESS_PER_HOUR: i64 = 10;
/// Orders on one site per hour.
pub const ORDERS_PER_SITE_PER_HOUR: i64 = 500;

/// The daily caps an account sets for each client number ("default 5 orders and 15 rings a
/// day, retries included; the cabinet edits them").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DailyCaps {
    /// Orders a client number may place in 24 hours (1–50).
    pub orders_per_number: u32,
    /// Times a client number may be rung in 24 hours, every attempt of every chain counted
    /// (1–100).
    pub rings_per_number: u32,
}

impl Default for DailyCaps {
    fn default() -> Self {
        DailyCaps {
            orders_per_number: 5,
            rings_per_number: 15,
        }
    }
}

impl DailyCaps {
    /// The caps as stored in the account's two columns.
    pub fn stored(orders_per_number: i64, rings_per_number: i64) -> DailyCaps {
        let read = |n: i64| n.clamp(0, 1000) as u32;
        DailyCaps {
            orders_per_number: read(orders_per_number),
            rings_per_number: read(rings_per_number),
        }
    }

    /// Every problem under `path`.
    pub fn validate(&self, path: &str, problems: &mut Problems) {
        if !(1..=50).contains(&self.orders_per_number) {
            problems.add(
                format!("{path}orders_per_number"),
                "between 1 and 50 orders a day",
            );
        }
        if !(1..=100).contains(&self.rings_per_number) {
            problems.add(
                format!("{path}rings_per_number"),
                "between 1 and 100 calls a day",
            );
        }
    }
}

/// The address requests are counted under (orders, sign-ups): an IPv4 address itself, an
/// IPv6 address by its /64 (one subscriber holds a whole /64: a home router hands every
/// device its own address out of it, and a device changes its address at will, so counting
/// single IPv6 addresses would be no limit at all), an IPv4-mapped IPv6 address as its IPv4
/// address. `None` for what is not an address.
pub fn ip_group(ip: &str) -> Option<String> {
    match ip.trim().parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => Some(v4.to_string()),
        IpAddr::V6(v6) => Some(match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => Ipv6Net::new(v6, 64)
                .expect("64 is a valid IPv6 prefix length")
                .trunc()
                .to_string(),
        }),
    }
}

/// Which limit refused an order (or an attempt).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "limit")]
pub enum LimitHit {
    /// The account's daily orders cap for this number.
    OrdersPerNumber {
        /// The cap.
        cap: u32,
    },
    /// The account's daily rings cap for this number.
    RingsPerNumber {
        /// The cap.
        cap: u32,
    },
    /// The platform's daily caps for this number.
    PlatformPerNumber,
    /// Orders of this number in the last hour.
    NumberPerHour,
    /// Orders from this address in the last hour.
    AddressPerHour,
    /// Orders on this site in the last hour.
    SitePerHour,
}

impl LimitHit {
    /// When the visitor may try again, seconds.
    pub fn retry_after_secs(self) -> u32 {
        match self {
            LimitHit::NumberPerHour | LimitHit::AddressPerHour | LimitHit::SitePerHour => 3600,
            _ => 24 * 3600,
        }
    }

    /// What the visitor reads: polite, and what it means for them.
    pub fn message(self, lang: Lang) -> String {
        match (self, lang) {
            (LimitHit::OrdersPerNumber { cap }, Lang::En) => format!(
                "This number has already asked for {cap} callbacks today: we will call it back, please wait for our call."
            ),
            (LimitHit::OrdersPerNumber { cap }, Lang::Ru) => format!(
                "С этого номера сегодня уже заказано обратных звонков: {cap}. Мы перезвоним, пожалуйста, дождитесь звонка."
            ),
            (LimitHit::RingsPerNumber { cap }, Lang::En) => format!(
                "We have already called this number {cap} times today; please try again tomorrow or call us."
            ),
            (LimitHit::RingsPerNumber { cap }, Lang::Ru) => format!(
                "Сегодня мы уже звонили на этот номер {cap} раз; попробуйте завтра или позвоните нам."
            ),
            (LimitHit::PlatformPerNumber, Lang::En) => {
                "This number has asked for too many callbacks today; please try again tomorrow.".into()
            }
            (LimitHit::PlatformPerNumber, Lang::Ru) => {
                "С этого номера сегодня заказано слишком много звонков; попробуйте завтра.".into()
            }
            (LimitHit::NumberPerHour, Lang::En) => {
                "This number has already ordered several callbacks this hour; we will call it back.".into()
            }
            (LimitHit::NumberPerHour, Lang::Ru) => {
                "С этого номера за последний час уже заказано несколько звонков; мы перезвоним.".into()
            }
            (LimitHit::AddressPerHour, Lang::En) => {
                "Too many orders from this address; try again later.".into()
            }
            (LimitHit::AddressPerHour, Lang::Ru) => {
                "Слишком много заказов с этого адреса; попробуйте позже.".into()
            }
            (LimitHit::SitePerHour, Lang::En) => {
                "This site is receiving too many orders; try again later.".into()
            }
            (LimitHit::SitePerHour, Lang::Ru) => {
                "На сайт приходит слишком много заказов; попробуйте позже.".into()
            }
        }
    }
}

/// What is already stored, counted for one order ([`first_hit`] judges it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Orders of the number in this account, last 24 h.
    pub account_orders_24h: i64,
    /// Rings of the number by this account, last 24 h.
    pub account_rings_24h: i64,
    /// Orders of the number in every account, last 24 h.
    pub platform_orders_24h: i64,
    /// Rings of the number by every account, last 24 h.
    pub platform_rings_24h: i64,
    /// Orders of the number in every account, last hour.
    pub number_orders_1h: i64,
    /// Orders from the address, last hour (0 when the address is not counted).
    pub address_orders_1h: i64,
    /// Orders on the site, last hour.
    pub site_orders_1h: i64,
}

/// The first limit `counts` reach, if any: one more order would break it. An order also
/// rings its number at least once, so the rings caps are checked too.
pub fn first_hit(caps: DailyCaps, counts: &Counts) -> Option<LimitHit> {
    let orders = i64::from(caps.orders_per_number);
    let rings = i64::from(caps.rings_per_number);
    if counts.platform_orders_24h >= PLATFORM_ORDERS_PER_NUMBER
        || counts.platform_rings_24h >= PLATFORM_RINGS_PER_NUMBER
    {
        Some(LimitHit::PlatformPerNumber)
    } else if counts.account_orders_24h >= orders {
        Some(LimitHit::OrdersPerNumber {
            cap: caps.orders_per_number,
        })
    } else if counts.account_rings_24h >= rings {
        Some(LimitHit::RingsPerNumber {
            cap: caps.rings_per_number,
        })
    } else if counts.number_orders_1h >= ORDERS_PER_NUMBER_PER_HOUR {
        Some(LimitHit::NumberPerHour)
    } else if counts.address_orders_1h >= ORDERS_PER_ADDRESS_PER_HOUR {
        Some(LimitHit::AddressPerHour)
    } else if counts.site_orders_1h >= ORDERS_PER_SITE_PER_HOUR {
        Some(LimitHit::SitePerHour)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_are_counted_by_their_64() {
        for (ip, want) in [
            ("203.0.113.7", Some("203.0.113.7")),
            (" 203.0.113.7 ", Some("203.0.113.7")),
            ("2001:db8:1:2:aaaa::1", Some("2001:db8:1:2::/64")),
            (
                "2001:db8:1:2:ffff:ffff:ffff:ffff",
                Some("2001:db8:1:2::/64"),
            ),
            ("2001:0db8:0001:0002::", Some("2001:db8:1:2::/64")),
            ("::ffff:198.51.100.9", Some("198.51.100.9")),
            ("::1", Some("::/64")),
            ("2001:DB8:1:2:a:b:c:d", Some("2001:db8:1:2::/64")),
            ("not an address", None),
            ("", None),
        ] {
            assert_eq!(ip_group(ip).as_deref(), want, "{ip}");
        }
        assert_ne!(ip_group("2001:db8:1:2::1"), ip_group("2001:db8:1:3::1"));
    }

    #[test]
    fn caps_default_to_5_orders_and_15_rings_and_are_bounded() {
        assert_eq!(
            DailyCaps::default(),
            DailyCaps {
                orders_per_number: 5,
                rings_per_number: 15
            }
        );
        let mut p = Problems::new();
        DailyCaps {
            orders_per_number: 0,
            rings_per_number: 101,
        }
        .validate("", &mut p);
        let paths: Vec<String> = p.into_vec().into_iter().map(|p| p.path).collect();
        assert_eq!(paths, ["orders_per_number", "rings_per_number"]);
    }

    #[test]
    fn the_first_limit_reached_refuses() {
        let caps = DailyCaps::default();
        let none = Counts::default();
        let cases = [
            (none, None),
            (
                Counts {
                    account_orders_24h: 4,
                    account_rings_24h: 14,
                    ..none
                },
                None,
            ),
            (
                Counts {
                    account_orders_24h: 5,
                    ..none
                },
                Some(LimitHit::OrdersPerNumber { cap: 5 }),
            ),
            (
                Counts {
                    account_rings_24h: 15,
                    ..none
                },
                Some(LimitHit::RingsPerNumber { cap: 15 }),
            ),
            (
                Counts {
                    platform_orders_24h: 20,
                    account_orders_24h: 5,
                    ..none
                },
                Some(LimitHit::PlatformPerNumber),
            ),
            (
                Counts {
                    platform_rings_24h: 50,
                    ..none
                },
                Some(LimitHit::PlatformPerNumber),
            ),
            (
                Counts {
                    number_orders_1h: 3,
                    ..none
                },
                Some(LimitHit::NumberPerHour),
            ),
            (
                Counts {
                    address_orders_1h: 10,
                    ..none
                },
                Some(LimitHit::AddressPerHour),
            ),
            (
                Counts {
                    site_orders_1h: 500,
                    ..none
                },
                Some(LimitHit::SitePerHour),
            ),
        ];
        for (counts, want) in cases {
            assert_eq!(first_hit(caps, &counts), want, "{counts:?}");
        }
    }

    #[test]
    fn refusals_say_what_happened_in_the_visitors_language() {
        assert_eq!(
            LimitHit::OrdersPerNumber { cap: 5 }.message(Lang::En),
            "This number has already asked for 5 callbacks today: we will call it back, please wait for our call."
        );
        assert!(LimitHit::RingsPerNumber { cap: 15 }
            .message(Lang::Ru)
            .contains("15 раз"));
        assert_eq!(LimitHit::NumberPerHour.retry_after_secs(), 3600);
        assert_eq!(LimitHit::PlatformPerNumber.retry_after_secs(), 86400);
    }
}
