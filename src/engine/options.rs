//! Socket options by their usual names: what each does, and setting/reading them through
//! socket2 so getsockopt shows what the kernel really applied.

use super::command::{Family, OptValue};
use super::event::Value;
use crate::i18n::{Lang, lookup};
use crate::t;
use socket2::Socket;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::Duration;

/// The kind of value an option takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptKind {
    Bool,
    Int,
    Linger,
    Membership,
}

#[derive(Clone, Copy, Debug)]
pub struct OptionSpec {
    pub name: &'static str,
    pub level: &'static str,
    pub kind: OptKind,
    /// One line for a tooltip.
    pub description: &'static str,
    /// Join/leave are set-only.
    pub readable: bool,
}

const fn spec(
    name: &'static str,
    level: &'static str,
    kind: OptKind,
    description: &'static str,
    readable: bool,
) -> OptionSpec {
    OptionSpec {
        name,
        level,
        kind,
        description,
        readable,
    }
}

pub const OPTIONS: &[OptionSpec] = &[
    spec(
        "SO_REUSEADDR",
        "SOL_SOCKET",
        OptKind::Bool,
        "Allow bind to a port that still has connections in TIME_WAIT.",
        true,
    ),
    spec(
        "SO_REUSEPORT",
        "SOL_SOCKET",
        OptKind::Bool,
        "Let several sockets bind the same address and port (each must set it).",
        true,
    ),
    spec(
        "SO_BROADCAST",
        "SOL_SOCKET",
        OptKind::Bool,
        "Allow sending UDP datagrams to a broadcast address.",
        true,
    ),
    spec(
        "SO_KEEPALIVE",
        "SOL_SOCKET",
        OptKind::Bool,
        "Send TCP keep-alive probes on an idle connection.",
        true,
    ),
    spec(
        "SO_LINGER",
        "SOL_SOCKET",
        OptKind::Linger,
        "How close() ends a connection: linger 0 sends RST instead of FIN.",
        true,
    ),
    spec(
        "SO_RCVBUF",
        "SOL_SOCKET",
        OptKind::Int,
        "Receive buffer size in bytes (Linux applies double the value).",
        true,
    ),
    spec(
        "SO_SNDBUF",
        "SOL_SOCKET",
        OptKind::Int,
        "Send buffer size in bytes (Linux applies double the value).",
        true,
    ),
    spec(
        "SO_ERROR",
        "SOL_SOCKET",
        OptKind::Int,
        "Read (and clear) the pending error, e.g. of a non-blocking connect.",
        true,
    ),
    spec(
        "TCP_NODELAY",
        "IPPROTO_TCP",
        OptKind::Bool,
        "Send small segments at once instead of waiting to combine them (Nagle off).",
        true,
    ),
    spec(
        "IP_TTL",
        "IPPROTO_IP",
        OptKind::Int,
        "Time to live: how many routers an IPv4 packet may pass.",
        true,
    ),
    spec(
        "IPV6_V6ONLY",
        "IPPROTO_IPV6",
        OptKind::Bool,
        "An IPv6 socket refuses IPv4 peers (off = dual stack).",
        true,
    ),
    spec(
        "IP_MULTICAST_TTL",
        "IPPROTO_IP",
        OptKind::Int,
        "How far multicast datagrams may travel (1 = this network).",
        true,
    ),
    spec(
        "IP_MULTICAST_LOOP",
        "IPPROTO_IP",
        OptKind::Bool,
        "Deliver our own multicast datagrams back to this host.",
        true,
    ),
    spec(
        "IP_ADD_MEMBERSHIP",
        "IPPROTO_IP",
        OptKind::Membership,
        "Join an IPv4 multicast group on an interface.",
        false,
    ),
    spec(
        "IP_DROP_MEMBERSHIP",
        "IPPROTO_IP",
        OptKind::Membership,
        "Leave an IPv4 multicast group.",
        false,
    ),
    spec(
        "IPV6_MULTICAST_LOOP",
        "IPPROTO_IPV6",
        OptKind::Bool,
        "Deliver our own IPv6 multicast datagrams back to this host.",
        true,
    ),
    spec(
        "IPV6_JOIN_GROUP",
        "IPPROTO_IPV6",
        OptKind::Membership,
        "Join an IPv6 multicast group (interface index, 0 = default).",
        false,
    ),
    spec(
        "IPV6_LEAVE_GROUP",
        "IPPROTO_IPV6",
        OptKind::Membership,
        "Leave an IPv6 multicast group.",
        false,
    ),
];

impl OptionSpec {
    /// [`OptionSpec::description`] in `lang` (catalogue id `option-about-<NAME>`).
    pub fn description_in(&self, lang: Lang) -> String {
        lookup(lang, &format!("option-about-{}", self.name))
            .unwrap_or_else(|| self.description.to_string())
    }
}

pub fn find(name: &str) -> Option<&'static OptionSpec> {
    let name = name.trim();
    OPTIONS
        .iter()
        .find(|spec| spec.name.eq_ignore_ascii_case(name))
}

/// The level argument Python code passes with this option.
pub fn level_name(name: &str) -> &'static str {
    find(name).map_or("SOL_SOCKET", |spec| spec.level)
}

/// Why an option call did not reach the kernel, or what the kernel said.
#[derive(Debug)]
pub(crate) enum OptError {
    /// Refused before any syscall (unknown name, wrong value type, bad group address).
    Invalid(String),
    Os(io::Error),
}

impl From<io::Error> for OptError {
    fn from(error: io::Error) -> Self {
        OptError::Os(error)
    }
}

fn unknown(lang: Lang, name: &str) -> OptError {
    let known: Vec<&str> = OPTIONS.iter().map(|spec| spec.name).collect();
    OptError::Invalid(t!(
        lang,
        "option-unknown",
        name = name,
        known = known.join(", ")
    ))
}

fn int_value(lang: Lang, name: &str, value: &OptValue) -> Result<i64, OptError> {
    match value {
        OptValue::Int(value) => Ok(*value),
        other => Err(OptError::Invalid(t!(
            lang,
            "option-takes-integer",
            name = name,
            value = other.to_string()
        ))),
    }
}

fn u32_value(lang: Lang, name: &str, value: &OptValue) -> Result<u32, OptError> {
    let value = int_value(lang, name, value)?;
    u32::try_from(value).map_err(|_| {
        OptError::Invalid(t!(
            lang,
            "option-out-of-range",
            name = name,
            max = u32::MAX.to_string()
        ))
    })
}

fn membership_v4(lang: Lang, value: &OptValue) -> Result<(Ipv4Addr, Ipv4Addr), OptError> {
    let OptValue::Membership { group, interface } = value else {
        return Err(OptError::Invalid(t!(lang, "option-membership-v4-value")));
    };
    let group: Ipv4Addr = group.trim().parse().map_err(|_| {
        OptError::Invalid(t!(lang, "option-not-ipv4-group", group = group.as_str()))
    })?;
    if !group.is_multicast() {
        return Err(OptError::Invalid(t!(
            lang,
            "option-not-ipv4-multicast",
            group = group.to_string()
        )));
    }
    let interface = if interface.trim().is_empty() {
        Ipv4Addr::UNSPECIFIED
    } else {
        interface.trim().parse().map_err(|_| {
            OptError::Invalid(t!(
                lang,
                "option-not-ipv4-interface",
                interface = interface.as_str()
            ))
        })?
    };
    Ok((group, interface))
}

fn membership_v6(lang: Lang, value: &OptValue) -> Result<(Ipv6Addr, u32), OptError> {
    let OptValue::Membership { group, interface } = value else {
        return Err(OptError::Invalid(t!(lang, "option-membership-v6-value")));
    };
    let group: Ipv6Addr = group.trim().parse().map_err(|_| {
        OptError::Invalid(t!(lang, "option-not-ipv6-group", group = group.as_str()))
    })?;
    if !group.is_multicast() {
        return Err(OptError::Invalid(t!(
            lang,
            "option-not-ipv6-multicast",
            group = group.to_string()
        )));
    }
    let index = if interface.trim().is_empty() {
        0
    } else {
        interface.trim().parse().map_err(|_| {
            OptError::Invalid(t!(
                lang,
                "option-not-interface-index",
                interface = interface.as_str()
            ))
        })?
    };
    Ok((group, index))
}

/// setsockopt by name; a refusal ([`OptError::Invalid`]) is worded in `lang`.
pub(crate) fn set_in(
    lang: Lang,
    socket: &Socket,
    name: &str,
    value: &OptValue,
) -> Result<(), OptError> {
    let spec = find(name).ok_or_else(|| unknown(lang, name))?;
    let flag = || int_value(lang, spec.name, value).map(|value| value != 0);
    match spec.name {
        "SO_REUSEADDR" => socket.set_reuse_address(flag()?)?,
        "SO_REUSEPORT" => socket.set_reuse_port(flag()?)?,
        "SO_BROADCAST" => socket.set_broadcast(flag()?)?,
        "SO_KEEPALIVE" => socket.set_keepalive(flag()?)?,
        "SO_LINGER" => match value {
            OptValue::Linger(linger) => {
                socket.set_linger(linger.map(|secs| Duration::from_secs(u64::from(secs))))?
            }
            other => {
                return Err(OptError::Invalid(t!(
                    lang,
                    "option-linger-value",
                    value = other.to_string()
                )));
            }
        },
        "SO_RCVBUF" => socket.set_recv_buffer_size(u32_value(lang, spec.name, value)? as usize)?,
        "SO_SNDBUF" => socket.set_send_buffer_size(u32_value(lang, spec.name, value)? as usize)?,
        "SO_ERROR" => {
            return Err(OptError::Invalid(t!(
                lang,
                "option-read-only",
                name = spec.name
            )));
        }
        "TCP_NODELAY" => socket.set_tcp_nodelay(flag()?)?,
        "IP_TTL" => socket.set_ttl_v4(u32_value(lang, spec.name, value)?)?,
        "IPV6_V6ONLY" => socket.set_only_v6(flag()?)?,
        "IP_MULTICAST_TTL" => socket.set_multicast_ttl_v4(u32_value(lang, spec.name, value)?)?,
        "IP_MULTICAST_LOOP" => socket.set_multicast_loop_v4(flag()?)?,
        "IPV6_MULTICAST_LOOP" => socket.set_multicast_loop_v6(flag()?)?,
        "IP_ADD_MEMBERSHIP" => {
            let (group, interface) = membership_v4(lang, value)?;
            socket.join_multicast_v4(&group, &interface)?
        }
        "IP_DROP_MEMBERSHIP" => {
            let (group, interface) = membership_v4(lang, value)?;
            socket.leave_multicast_v4(&group, &interface)?
        }
        "IPV6_JOIN_GROUP" => {
            let (group, index) = membership_v6(lang, value)?;
            socket.join_multicast_v6(&group, index)?
        }
        "IPV6_LEAVE_GROUP" => {
            let (group, index) = membership_v6(lang, value)?;
            socket.leave_multicast_v6(&group, index)?
        }
        _ => return Err(unknown(lang, name)),
    }
    Ok(())
}

/// getsockopt by name: the value the kernel applied; a refusal ([`OptError::Invalid`]) is worded in `lang`.
pub(crate) fn get_in(
    lang: Lang,
    socket: &Socket,
    name: &str,
    family: Family,
) -> Result<Value, OptError> {
    let spec = find(name).ok_or_else(|| unknown(lang, name))?;
    let flag = |value: bool| Value::Int(i64::from(value));
    let value = match spec.name {
        "SO_REUSEADDR" => flag(socket.reuse_address()?),
        "SO_REUSEPORT" => flag(socket.reuse_port()?),
        "SO_BROADCAST" => flag(socket.broadcast()?),
        "SO_KEEPALIVE" => flag(socket.keepalive()?),
        // Without a buffer length CPython reads an int: the first field, l_onoff.
        "SO_LINGER" => flag(socket.linger()?.is_some()),
        "SO_RCVBUF" => Value::Int(socket.recv_buffer_size()? as i64),
        "SO_SNDBUF" => Value::Int(socket.send_buffer_size()? as i64),
        "SO_ERROR" => Value::Int(
            socket
                .take_error()?
                .and_then(|error| error.raw_os_error())
                .map_or(0, i64::from),
        ),
        "TCP_NODELAY" => flag(socket.tcp_nodelay()?),
        "IP_TTL" => Value::Int(i64::from(socket.ttl_v4()?)),
        "IPV6_V6ONLY" => flag(socket.only_v6()?),
        "IP_MULTICAST_TTL" => Value::Int(i64::from(socket.multicast_ttl_v4()?)),
        "IP_MULTICAST_LOOP" => flag(socket.multicast_loop_v4()?),
        "IPV6_MULTICAST_LOOP" => flag(socket.multicast_loop_v6()?),
        _ => {
            let _ = family;
            return Err(OptError::Invalid(t!(
                lang,
                "option-set-only",
                name = spec.name
            )));
        }
    };
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use socket2::{Domain, Type};

    fn udp() -> Socket {
        Socket::new(Domain::IPV4, Type::DGRAM, None).expect("a UDP socket")
    }

    fn udp6() -> Socket {
        Socket::new(Domain::IPV6, Type::DGRAM, None).expect("an IPv6 UDP socket")
    }

    fn membership(group: &str, interface: &str) -> OptValue {
        OptValue::Membership {
            group: group.into(),
            interface: interface.into(),
        }
    }

    fn refusal<T: std::fmt::Debug>(result: Result<T, OptError>) -> String {
        match result {
            Err(OptError::Invalid(message)) => message,
            other => panic!("not refused: {other:?}"),
        }
    }

    /// Each refusal: the socket, the option, the value, and the English words it had.
    fn refusals() -> Vec<(Socket, &'static str, OptValue, String)> {
        let linger = OptValue::Linger(Some(0));
        let known: Vec<&str> = OPTIONS.iter().map(|spec| spec.name).collect();
        vec![
            (
                udp(),
                "SO_NOPE",
                OptValue::Int(1),
                format!(
                    "unknown option 'SO_NOPE'; known options: {}",
                    known.join(", ")
                ),
            ),
            (
                udp(),
                "SO_REUSEADDR",
                linger.clone(),
                format!("SO_REUSEADDR takes an integer, not {linger}"),
            ),
            (
                udp(),
                "SO_RCVBUF",
                OptValue::Int(-1),
                "SO_RCVBUF must be between 0 and 4294967295".into(),
            ),
            (
                udp(),
                "SO_LINGER",
                OptValue::Int(1),
                "SO_LINGER takes (onoff, seconds), not 1".into(),
            ),
            (
                udp(),
                "SO_ERROR",
                OptValue::Int(0),
                "SO_ERROR can only be read".into(),
            ),
            (
                udp(),
                "IP_ADD_MEMBERSHIP",
                OptValue::Int(1),
                "a membership option takes a group and an interface address".into(),
            ),
            (
                udp(),
                "IP_ADD_MEMBERSHIP",
                membership("x", ""),
                "'x' is not an IPv4 group address".into(),
            ),
            (
                udp(),
                "IP_DROP_MEMBERSHIP",
                membership("10.0.0.1", ""),
                "10.0.0.1 is not a multicast (class D, 224.0.0.0-239.255.255.255) address".into(),
            ),
            (
                udp(),
                "IP_ADD_MEMBERSHIP",
                membership("239.1.1.1", "eth0"),
                "'eth0' is not an IPv4 interface address".into(),
            ),
            (
                udp6(),
                "IPV6_JOIN_GROUP",
                OptValue::Int(1),
                "a membership option takes a group and an interface index".into(),
            ),
            (
                udp6(),
                "IPV6_JOIN_GROUP",
                membership("x", ""),
                "'x' is not an IPv6 group address".into(),
            ),
            (
                udp6(),
                "IPV6_LEAVE_GROUP",
                membership("::1", ""),
                "::1 is not an IPv6 multicast (ff00::/8) address".into(),
            ),
            (
                udp6(),
                "IPV6_JOIN_GROUP",
                membership("ff02::1", "eth0"),
                "'eth0' is not an interface index".into(),
            ),
        ]
    }

    fn is_chinese(text: &str) -> bool {
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn a_refused_setsockopt_says_why_in_both_languages() {
        for (socket, name, value, english) in refusals() {
            assert_eq!(refusal(set_in(Lang::En, &socket, name, &value)), english);
            assert_eq!(refusal(set_in(Lang::En, &socket, name, &value)), english);
            let chinese = refusal(set_in(Lang::Zh, &socket, name, &value));
            assert!(is_chinese(&chinese), "{name}: {chinese}");
        }
        let chinese = refusal(set_in(Lang::Zh, &udp(), "SO_RCVBUF", &OptValue::Int(-1)));
        assert!(
            chinese.contains("SO_RCVBUF") && chinese.contains("4294967295"),
            "{chinese}"
        );
    }

    #[test]
    fn a_refused_getsockopt_says_why_in_both_languages() {
        let socket = udp();
        let rows = [
            ("IP_ADD_MEMBERSHIP", "IP_ADD_MEMBERSHIP can only be set"),
            ("IPV6_LEAVE_GROUP", "IPV6_LEAVE_GROUP can only be set"),
        ];
        for (name, english) in rows {
            assert_eq!(
                refusal(get_in(Lang::En, &socket, name, Family::Ipv4)),
                english
            );
            assert_eq!(
                refusal(get_in(Lang::En, &socket, name, Family::Ipv4)),
                english
            );
            let chinese = refusal(get_in(Lang::Zh, &socket, name, Family::Ipv4));
            assert!(is_chinese(&chinese) && chinese.contains(name), "{chinese}");
        }
        let unknown = refusal(get_in(Lang::Zh, &socket, "SO_NOPE", Family::Ipv4));
        assert!(unknown.contains("SO_NOPE") && unknown.contains("SO_REUSEADDR"));
        assert!(get_in(Lang::Zh, &socket, "SO_REUSEADDR", Family::Ipv4).is_ok());
    }

    #[test]
    fn every_option_is_described_in_both_languages() {
        for spec in OPTIONS {
            // The catalogue itself, not the table's words as a fallback.
            let id = format!("option-about-{}", spec.name);
            assert_eq!(
                crate::i18n::lookup(Lang::En, &id).as_deref(),
                Some(spec.description)
            );
            assert_eq!(
                spec.description_in(Lang::En),
                spec.description,
                "{}",
                spec.name
            );
            let chinese = spec.description_in(Lang::Zh);
            assert!(is_chinese(&chinese), "{}: {chinese}", spec.name);
        }
    }
}
