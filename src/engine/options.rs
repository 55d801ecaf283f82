//! Socket options by their usual names: what each does, and setting/reading them through
//! socket2 so getsockopt shows what the kernel really applied.

use super::command::{Family, OptValue};
use super::event::Value;
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

fn unknown(name: &str) -> OptError {
    let known: Vec<&str> = OPTIONS.iter().map(|spec| spec.name).collect();
    OptError::Invalid(format!(
        "unknown option '{name}'; known options: {}",
        known.join(", ")
    ))
}

fn int_value(name: &str, value: &OptValue) -> Result<i64, OptError> {
    match value {
        OptValue::Int(value) => Ok(*value),
        other => Err(OptError::Invalid(format!(
            "{name} takes an integer, not {other}"
        ))),
    }
}

fn u32_value(name: &str, value: &OptValue) -> Result<u32, OptError> {
    let value = int_value(name, value)?;
    u32::try_from(value)
        .map_err(|_| OptError::Invalid(format!("{name} must be between 0 and {}", u32::MAX)))
}

fn membership_v4(value: &OptValue) -> Result<(Ipv4Addr, Ipv4Addr), OptError> {
    let OptValue::Membership { group, interface } = value else {
        return Err(OptError::Invalid(
            "a membership option takes a group and an interface address".into(),
        ));
    };
    let group: Ipv4Addr = group
        .trim()
        .parse()
        .map_err(|_| OptError::Invalid(format!("'{group}' is not an IPv4 group address")))?;
    if !group.is_multicast() {
        return Err(OptError::Invalid(format!(
            "{group} is not a multicast (class D, 224.0.0.0-239.255.255.255) address"
        )));
    }
    let interface = if interface.trim().is_empty() {
        Ipv4Addr::UNSPECIFIED
    } else {
        interface.trim().parse().map_err(|_| {
            OptError::Invalid(format!("'{interface}' is not an IPv4 interface address"))
        })?
    };
    Ok((group, interface))
}

fn membership_v6(value: &OptValue) -> Result<(Ipv6Addr, u32), OptError> {
    let OptValue::Membership { group, interface } = value else {
        return Err(OptError::Invalid(
            "a membership option takes a group and an interface index".into(),
        ));
    };
    let group: Ipv6Addr = group
        .trim()
        .parse()
        .map_err(|_| OptError::Invalid(format!("'{group}' is not an IPv6 group address")))?;
    if !group.is_multicast() {
        return Err(OptError::Invalid(format!(
            "{group} is not an IPv6 multicast (ff00::/8) address"
        )));
    }
    let index = if interface.trim().is_empty() {
        0
    } else {
        interface
            .trim()
            .parse()
            .map_err(|_| OptError::Invalid(format!("'{interface}' is not an interface index")))?
    };
    Ok((group, index))
}

/// setsockopt by name.
pub(crate) fn set(socket: &Socket, name: &str, value: &OptValue) -> Result<(), OptError> {
    let spec = find(name).ok_or_else(|| unknown(name))?;
    let flag = || int_value(spec.name, value).map(|value| value != 0);
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
                return Err(OptError::Invalid(format!(
                    "SO_LINGER takes (onoff, seconds), not {other}"
                )));
            }
        },
        "SO_RCVBUF" => socket.set_recv_buffer_size(u32_value(spec.name, value)? as usize)?,
        "SO_SNDBUF" => socket.set_send_buffer_size(u32_value(spec.name, value)? as usize)?,
        "SO_ERROR" => return Err(OptError::Invalid("SO_ERROR can only be read".into())),
        "TCP_NODELAY" => socket.set_tcp_nodelay(flag()?)?,
        "IP_TTL" => socket.set_ttl_v4(u32_value(spec.name, value)?)?,
        "IPV6_V6ONLY" => socket.set_only_v6(flag()?)?,
        "IP_MULTICAST_TTL" => socket.set_multicast_ttl_v4(u32_value(spec.name, value)?)?,
        "IP_MULTICAST_LOOP" => socket.set_multicast_loop_v4(flag()?)?,
        "IPV6_MULTICAST_LOOP" => socket.set_multicast_loop_v6(flag()?)?,
        "IP_ADD_MEMBERSHIP" => {
            let (group, interface) = membership_v4(value)?;
            socket.join_multicast_v4(&group, &interface)?
        }
        "IP_DROP_MEMBERSHIP" => {
            let (group, interface) = membership_v4(value)?;
            socket.leave_multicast_v4(&group, &interface)?
        }
        "IPV6_JOIN_GROUP" => {
            let (group, index) = membership_v6(value)?;
            socket.join_multicast_v6(&group, index)?
        }
        "IPV6_LEAVE_GROUP" => {
            let (group, index) = membership_v6(value)?;
            socket.leave_multicast_v6(&group, index)?
        }
        _ => return Err(unknown(name)),
    }
    Ok(())
}

/// getsockopt by name: the value the kernel applied.
pub(crate) fn get(socket: &Socket, name: &str, family: Family) -> Result<Value, OptError> {
    let spec = find(name).ok_or_else(|| unknown(name))?;
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
            return Err(OptError::Invalid(format!("{} can only be set", spec.name)));
        }
    };
    Ok(value)
}
