//! A socket's address as the kernel reported it. Events carry this type, so nothing downstream
//! has to read an address back from the text it is shown as.

use super::command::{AddrArg, Family, bytes_literal};
use serde::{Deserialize, Serialize};
use socket2::SockAddr;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::unix::ffi::OsStrExt;

/// What getsockname, getpeername, accept and recvfrom return, typed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SocketAddress {
    V4(SocketAddrV4),
    V6(SocketAddrV6),
    /// An AF_UNIX socket bound to a filesystem path.
    Path(String),
    /// A Linux abstract-namespace name, without its leading NUL.
    Abstract(Vec<u8>),
    /// An AF_UNIX socket with no name (an unbound client); Python shows `''`.
    Unnamed,
}

impl SocketAddress {
    pub fn inet(ip: IpAddr, port: u16) -> Self {
        match ip {
            IpAddr::V4(ip) => SocketAddress::V4(SocketAddrV4::new(ip, port)),
            IpAddr::V6(ip) => SocketAddress::V6(SocketAddrV6::new(ip, port, 0, 0)),
        }
    }

    pub(crate) fn from_sock_addr(address: &SockAddr) -> Self {
        if let Some(inet) = address.as_socket() {
            return match inet {
                SocketAddr::V4(v4) => SocketAddress::V4(v4),
                SocketAddr::V6(v6) => SocketAddress::V6(v6),
            };
        }
        if let Some(path) = address.as_pathname() {
            return SocketAddress::Path(path.display().to_string());
        }
        match address.as_abstract_namespace() {
            Some(name) => SocketAddress::Abstract(name.to_vec()),
            None => SocketAddress::Unnamed,
        }
    }

    /// The address as the kernel takes it, or None for an unnamed Unix socket (nothing can be
    /// sent to it).
    pub(crate) fn to_sock_addr(&self) -> Option<SockAddr> {
        match self {
            SocketAddress::V4(v4) => Some(SockAddr::from(*v4)),
            SocketAddress::V6(v6) => Some(SockAddr::from(*v6)),
            SocketAddress::Path(path) => SockAddr::unix(path).ok(),
            SocketAddress::Abstract(name) => {
                let mut bytes = vec![0u8];
                bytes.extend_from_slice(name);
                SockAddr::unix(std::ffi::OsStr::from_bytes(&bytes)).ok()
            }
            SocketAddress::Unnamed => None,
        }
    }

    pub fn family(&self) -> Family {
        match self {
            SocketAddress::V4(_) => Family::Ipv4,
            SocketAddress::V6(_) => Family::Ipv6,
            _ => Family::Unix,
        }
    }

    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            SocketAddress::V4(v4) => Some(IpAddr::V4(*v4.ip())),
            SocketAddress::V6(v6) => Some(IpAddr::V6(*v6.ip())),
            _ => None,
        }
    }

    pub fn port(&self) -> Option<u16> {
        match self {
            SocketAddress::V4(v4) => Some(v4.port()),
            SocketAddress::V6(v6) => Some(v6.port()),
            _ => None,
        }
    }

    /// Whether the address names one endpoint, so that seeing it again means the same socket
    /// (not port 0, not an unnamed Unix socket).
    pub fn names_one_endpoint(&self) -> bool {
        match self {
            SocketAddress::V4(_) | SocketAddress::V6(_) => self.port() != Some(0),
            SocketAddress::Path(path) => !path.is_empty(),
            SocketAddress::Abstract(_) => true,
            SocketAddress::Unnamed => false,
        }
    }

    /// Whether other machines can reach a socket bound here: every interface (0.0.0.0, ::)
    /// or one that is not loopback. Multicast groups are left out: membership decides.
    pub fn reachable_from_network(&self) -> bool {
        self.canonical_ip()
            .is_some_and(|ip| !ip.is_loopback() && !ip.is_multicast())
    }

    /// 0.0.0.0 or :: — bound to every local address.
    pub fn is_wildcard(&self) -> bool {
        self.ip().is_some_and(|ip| ip.is_unspecified())
    }

    /// The IP with an IPv4-mapped IPv6 address (::ffff:127.0.0.1) read as the IPv4 one, so a
    /// dual-stack socket's view of a peer matches that peer's own address.
    pub fn canonical_ip(&self) -> Option<IpAddr> {
        self.ip().map(|ip| match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
            v4 => v4,
        })
    }

    /// Whether two addresses name the same endpoint (IPv4-mapped IPv6 equals its IPv4 form;
    /// flow info and scope are ignored).
    pub fn same_endpoint(&self, other: &SocketAddress) -> bool {
        match (self.canonical_ip(), other.canonical_ip()) {
            (Some(a), Some(b)) => a == b && self.port() == other.port(),
            (None, None) => self == other,
            _ => false,
        }
    }

    /// The address a client connects to to reach a socket bound here: a wildcard becomes the
    /// loopback address of its family (what `client.connect(server)` means in a script).
    pub fn connect_address(&self) -> SocketAddress {
        match self {
            SocketAddress::V4(v4) if v4.ip().is_unspecified() => {
                SocketAddress::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, v4.port()))
            }
            SocketAddress::V6(v6) if v6.ip().is_unspecified() => {
                SocketAddress::V6(SocketAddrV6::new(Ipv6Addr::LOCALHOST, v6.port(), 0, 0))
            }
            other => other.clone(),
        }
    }

    /// The address as a call's argument.
    pub fn to_arg(&self) -> AddrArg {
        match self {
            SocketAddress::V4(v4) => AddrArg::inet(v4.ip().to_string(), u32::from(v4.port())),
            SocketAddress::V6(v6) => AddrArg::inet(v6.ip().to_string(), u32::from(v6.port())),
            SocketAddress::Path(path) => AddrArg::Path(path.clone()),
            SocketAddress::Abstract(name) => {
                AddrArg::Path(format!("\0{}", String::from_utf8_lossy(name)))
            }
            SocketAddress::Unnamed => AddrArg::Path(String::new()),
        }
    }

    /// What a person would type in an address field: `127.0.0.1:5000`, `[::1]:80`, a path.
    pub fn field_text(&self) -> String {
        match self {
            SocketAddress::V4(v4) => v4.to_string(),
            SocketAddress::V6(v6) => format!("[{}]:{}", v6.ip(), v6.port()),
            SocketAddress::Path(path) => path.clone(),
            SocketAddress::Abstract(name) => format!("\\0{}", String::from_utf8_lossy(name)),
            SocketAddress::Unnamed => String::new(),
        }
    }
}

impl From<SocketAddr> for SocketAddress {
    fn from(address: SocketAddr) -> Self {
        SocketAddress::inet(address.ip(), address.port())
    }
}

impl AddrArg {
    /// The address a call's argument names, where that needs no name lookup: an IP literal
    /// (or `localhost`) with a port, a path, an abstract name. None for other host names.
    pub fn literal_address(&self) -> Option<SocketAddress> {
        match self {
            AddrArg::Inet { host, port } => {
                let port = u16::try_from(*port).ok()?;
                let ip: IpAddr = match host.trim_matches(['[', ']']) {
                    "localhost" => IpAddr::V4(Ipv4Addr::LOCALHOST),
                    "ip6-localhost" => IpAddr::V6(Ipv6Addr::LOCALHOST),
                    literal => literal.parse().ok()?,
                };
                Some(SocketAddress::inet(ip, port))
            }
            AddrArg::Path(path) => Some(match path.strip_prefix('\0') {
                Some(name) => SocketAddress::Abstract(name.as_bytes().to_vec()),
                None if path.is_empty() => SocketAddress::Unnamed,
                None => SocketAddress::Path(path.clone()),
            }),
        }
    }
}

/// Python's notation: `('127.0.0.1', 5000)`, `('::1', 5000, 0, 0)`, `'/tmp/x.sock'`,
/// `b'\x00name'`, `''`.
impl fmt::Display for SocketAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SocketAddress::V4(v4) => write!(f, "('{}', {})", v4.ip(), v4.port()),
            SocketAddress::V6(v6) => write!(
                f,
                "('{}', {}, {}, {})",
                v6.ip(),
                v6.port(),
                v6.flowinfo(),
                v6.scope_id()
            ),
            SocketAddress::Path(path) => write!(f, "'{path}'"),
            SocketAddress::Abstract(name) => {
                let mut bytes = vec![0u8];
                bytes.extend_from_slice(name);
                f.write_str(&bytes_literal(&bytes))
            }
            SocketAddress::Unnamed => f.write_str("''"),
        }
    }
}

/// A test's address written the short way: `127.0.0.1:5000`, `[::1]:80`, or a path.
#[cfg(test)]
pub(crate) fn at(text: &str) -> SocketAddress {
    match text.parse::<SocketAddr>() {
        Ok(inet) => SocketAddress::from(inet),
        Err(_) => SocketAddress::Path(text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_the_python_notation() {
        let v4 = SocketAddress::inet(IpAddr::V4(Ipv4Addr::LOCALHOST), 5000);
        assert_eq!(v4.to_string(), "('127.0.0.1', 5000)");
        let v6 = SocketAddress::inet(IpAddr::V6(Ipv6Addr::LOCALHOST), 80);
        assert_eq!(v6.to_string(), "('::1', 80, 0, 0)");
        assert_eq!(SocketAddress::Path("/tmp/x".into()).to_string(), "'/tmp/x'");
        assert_eq!(
            SocketAddress::Abstract(b"name".to_vec()).to_string(),
            "b'\\x00name'"
        );
        assert_eq!(SocketAddress::Unnamed.to_string(), "''");
    }

    #[test]
    fn a_wildcard_is_reached_through_loopback() {
        let any4 = SocketAddress::inet(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 8080);
        assert!(any4.is_wildcard());
        assert_eq!(any4.connect_address().to_string(), "('127.0.0.1', 8080)");
        let any6 = SocketAddress::inet(IpAddr::V6(Ipv6Addr::UNSPECIFIED), 80);
        assert_eq!(any6.connect_address().field_text(), "[::1]:80");
        let path = SocketAddress::Path("/tmp/x".into());
        assert!(!path.is_wildcard());
        assert_eq!(path.connect_address(), path);
    }

    #[test]
    fn a_mapped_address_is_the_same_endpoint_as_its_ipv4_form() {
        let mapped = SocketAddress::inet("::ffff:127.0.0.1".parse().unwrap(), 6001);
        let plain = SocketAddress::inet("127.0.0.1".parse().unwrap(), 6001);
        assert!(mapped.same_endpoint(&plain));
        assert!(!mapped.same_endpoint(&SocketAddress::inet("127.0.0.1".parse().unwrap(), 6002)));
    }

    #[test]
    fn kernel_addresses_round_trip() {
        for address in [
            SocketAddress::inet(IpAddr::V4(Ipv4Addr::LOCALHOST), 5000),
            SocketAddress::inet(IpAddr::V6(Ipv6Addr::LOCALHOST), 80),
            SocketAddress::Path("/tmp/workbench-x.sock".into()),
            SocketAddress::Abstract(b"workbench".to_vec()),
        ] {
            let kernel = address.to_sock_addr().unwrap();
            assert_eq!(SocketAddress::from_sock_addr(&kernel), address);
        }
    }
}
