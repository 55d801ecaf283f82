//! The system socket table, like `netstat -ano`: every TCP, UDP and Unix socket on the machine,
//! read from `/proc/net/{tcp,tcp6,udp,udp6,unix}` on Linux. Elsewhere the table is empty and
//! says why.
//!
//! Addresses are typed ([`SocketAddress`]), so they show the way the rest of the workbench
//! shows them (`('127.0.0.1', 5000)`, `'/tmp/x.sock'`) and compare with our sockets' own.
//!
//! Which sockets are ours: [`own_inodes`] lists the socket inodes this process holds (from
//! `/proc/self/fd`). A TIME_WAIT socket has inode 0 (it belongs to no process any more), so
//! [`is_ours`] also counts a socket with inode 0 whose local or remote address is one our
//! sockets had.

use super::address::SocketAddress;
use crate::i18n::Lang;
use crate::t;
use std::collections::HashSet;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Which `/proc/net` file a socket came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Proto {
    Tcp,
    Tcp6,
    Udp,
    Udp6,
    Unix,
}

impl Proto {
    pub const ALL: [Proto; 5] = [
        Proto::Tcp,
        Proto::Tcp6,
        Proto::Udp,
        Proto::Udp6,
        Proto::Unix,
    ];

    /// `tcp`, `tcp6`, `udp`, `udp6`, `unix` (as netstat prints it, and the file name).
    pub fn label(self) -> &'static str {
        match self {
            Proto::Tcp => "tcp",
            Proto::Tcp6 => "tcp6",
            Proto::Udp => "udp",
            Proto::Udp6 => "udp6",
            Proto::Unix => "unix",
        }
    }

    /// `/proc/net/tcp`...
    pub fn path(self) -> &'static str {
        match self {
            Proto::Tcp => "/proc/net/tcp",
            Proto::Tcp6 => "/proc/net/tcp6",
            Proto::Udp => "/proc/net/udp",
            Proto::Udp6 => "/proc/net/udp6",
            Proto::Unix => "/proc/net/unix",
        }
    }

    pub fn is_tcp(self) -> bool {
        matches!(self, Proto::Tcp | Proto::Tcp6)
    }

    pub fn is_udp(self) -> bool {
        matches!(self, Proto::Udp | Proto::Udp6)
    }

    fn is_v6(self) -> bool {
        matches!(self, Proto::Tcp6 | Proto::Udp6)
    }
}

impl fmt::Display for Proto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One line of the system socket table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SystemSocket {
    pub proto: Proto,
    /// A Unix socket: its path, abstract name, or unnamed.
    pub local: SocketAddress,
    /// `('0.0.0.0', 0)` when there is no peer; None for Unix sockets (the file does not say).
    pub remote: Option<SocketAddress>,
    /// TCP: the netstat name (`ESTABLISHED`, `TIME_WAIT`, `LISTEN`...). UDP: empty, or
    /// `ESTABLISHED` for a connected socket. Unix: `LISTENING`, `CONNECTED`, `CONNECTING`,
    /// `DISCONNECTING` or empty.
    pub state: String,
    /// Bytes waiting to be read. For a TCP listener: connections waiting for accept().
    pub rx_queue: u64,
    /// Bytes not yet acknowledged (0 for a TCP listener).
    pub tx_queue: u64,
    /// The socket's inode: 0 when no process holds it (TIME_WAIT, not yet accepted).
    pub inode: u64,
    /// Owner's user id (0 for Unix sockets: /proc/net/unix does not say).
    pub uid: u32,
    /// Unix: the path (`@name` for an abstract socket), if bound.
    pub path: Option<String>,
    /// Unix: `STREAM`, `DGRAM` or `SEQPACKET`.
    pub unix_type: Option<String>,
}

/// The range of ports the kernel picks from for an unbound or port-0 socket
/// (`/proc/sys/net/ipv4/ip_local_port_range`, 32768-60999 by default on Linux).
pub fn ephemeral_port_range() -> Result<(u16, u16), String> {
    const PATH: &str = "/proc/sys/net/ipv4/ip_local_port_range";
    let text =
        std::fs::read_to_string(PATH).map_err(|error| format!("could not read {PATH}: {error}"))?;
    let mut numbers = text.split_whitespace().map(str::parse::<u16>);
    match (numbers.next(), numbers.next()) {
        (Some(Ok(low)), Some(Ok(high))) if low <= high => Ok((low, high)),
        _ => Err(format!("{PATH} holds '{}', not two ports", text.trim())),
    }
}

/// This machine's host name, as Python's `socket.gethostname()` returns it.
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "localhost".to_string())
}

/// The whole table and what could not be read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SystemTable {
    pub sockets: Vec<SystemSocket>,
    /// One per file that could not be read and per line that could not be parsed.
    pub errors: Vec<TableError>,
    /// Why there is no table at all on this OS (None on Linux), in English ([`NOT_AVAILABLE`]);
    /// [`SystemTable::unavailable_in`] says it in a language.
    pub unavailable: Option<String>,
}

impl SystemTable {
    /// Why there is no table at all on this OS, in `lang` (None on Linux).
    pub fn unavailable_in(&self, lang: Lang) -> Option<String> {
        self.unavailable
            .as_ref()
            .map(|_| t!(lang, "system-table-not-available"))
    }
}

/// The explanation given where there is no /proc/net, in English (the headless runner's
/// transcript); the catalogue has it as `system-table-not-available`.
pub const NOT_AVAILABLE: &str = "The system socket table is not available on this operating system \
     (it is read from /proc/net, which only Linux has).";

/// A file of the table that could not be read, or a line of it that could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableError {
    /// The system's own words for why `path` could not be read.
    Unreadable { path: String, error: String },
    /// Line `line` (from 1) of `path`.
    BadLine {
        path: &'static str,
        line: usize,
        problem: LineProblem,
    },
}

impl TableError {
    /// What went wrong, in `lang` (file paths, field names and the system's words as written).
    pub fn text(&self, lang: Lang) -> String {
        match self {
            TableError::Unreadable { path, error } => t!(
                lang,
                "system-table-unreadable",
                path = path.as_str(),
                error = error.as_str()
            ),
            TableError::BadLine {
                path,
                line,
                problem,
            } => t!(
                lang,
                "system-table-bad-line",
                path = *path,
                line = line.to_string(),
                problem = problem.text(lang)
            ),
        }
    }
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// Why one line of a /proc/net file could not be parsed. The field names (`rx_queue`,
/// `inode`) are the file's own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineProblem {
    /// The line has `found` fields, fewer than `expected`.
    TooFewFields { found: usize, expected: usize },
    /// The first field is no `N:` slot (inet files).
    NotSlot(String),
    /// The first field is no `N:` socket number (the Unix file).
    NotSocketNumber(String),
    /// Field `field` should be hexadecimal.
    NotHex { field: &'static str, text: String },
    /// Field `field` should be a decimal number.
    NotNumber { field: &'static str, text: String },
    /// An address without its `:port`.
    NoPort(String),
    /// An address with the wrong number of hex digits for its family.
    AddressLength { address: String, digits: usize },
    /// A TCP state code the kernel does not define.
    UnknownTcpState(u8),
    /// The queues field is not `tx:rx`.
    NotQueues(String),
    /// The Unix file read as an inet one.
    NotInet,
}

impl LineProblem {
    /// What is wrong, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            LineProblem::TooFewFields { found, expected } => t!(
                lang,
                "system-table-too-few-fields",
                found = found.to_string(),
                expected = expected.to_string()
            ),
            LineProblem::NotSlot(text) => {
                t!(lang, "system-table-not-slot", text = text.as_str())
            }
            LineProblem::NotSocketNumber(text) => {
                t!(lang, "system-table-not-socket-number", text = text.as_str())
            }
            LineProblem::NotHex { field, text } => t!(
                lang,
                "system-table-not-hex",
                field = *field,
                text = text.as_str()
            ),
            LineProblem::NotNumber { field, text } => t!(
                lang,
                "system-table-not-number",
                field = *field,
                text = text.as_str()
            ),
            LineProblem::NoPort(text) => t!(lang, "system-table-no-port", text = text.as_str()),
            LineProblem::AddressLength { address, digits } => t!(
                lang,
                "system-table-address-length",
                address = address.as_str(),
                digits = digits.to_string()
            ),
            LineProblem::UnknownTcpState(code) => t!(
                lang,
                "system-table-unknown-tcp-state",
                code = format!("{code:02X}")
            ),
            LineProblem::NotQueues(text) => {
                t!(lang, "system-table-not-queues", text = text.as_str())
            }
            LineProblem::NotInet => t!(lang, "system-table-not-inet"),
        }
    }
}

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// True if `socket` is one of ours: its inode is in `own_inodes`, or it has inode 0 (TIME_WAIT,
/// or a connection not yet accepted) and its local or remote address is one of `our_addresses`
/// (addresses with port 0, and unbound Unix sockets, never match).
pub fn is_ours(
    socket: &SystemSocket,
    own_inodes: &HashSet<u64>,
    our_addresses: &HashSet<SocketAddress>,
) -> bool {
    if socket.inode != 0 {
        return own_inodes.contains(&socket.inode);
    }
    std::iter::once(&socket.local)
        .chain(socket.remote.as_ref())
        .any(|address| address.names_one_endpoint() && our_addresses.contains(address))
}

/// The TCP state's netstat name from the hex code in /proc/net/tcp.
fn tcp_state(code: u8) -> Result<&'static str, LineProblem> {
    match code {
        1..=12 => Ok(super::kernel::tcp_state_name(code)),
        other => Err(LineProblem::UnknownTcpState(other)),
    }
}

/// UDP sockets use the TCP codes: 07 (CLOSE) for an unconnected socket, which netstat shows
/// as an empty state, and 01 (ESTABLISHED) for a connected one.
fn udp_state(code: u8) -> Result<&'static str, LineProblem> {
    match code {
        7 => Ok(""),
        other => tcp_state(other),
    }
}

fn not_hex(field: &'static str, text: &str) -> LineProblem {
    LineProblem::NotHex {
        field,
        text: text.to_string(),
    }
}

fn not_number(field: &'static str, text: &str) -> LineProblem {
    LineProblem::NotNumber {
        field,
        text: text.to_string(),
    }
}

fn hex_u32(text: &str, field: &'static str) -> Result<u32, LineProblem> {
    u32::from_str_radix(text, 16).map_err(|_| not_hex(field, text))
}

fn hex_u64(text: &str, field: &'static str) -> Result<u64, LineProblem> {
    u64::from_str_radix(text, 16).map_err(|_| not_hex(field, text))
}

/// `0100007F:1388` -> 127.0.0.1 port 5000. The address is the kernel's in-memory bytes
/// printed as 32-bit words in host byte order (so 127.0.0.1 is `0100007F` on little-endian
/// machines); the port is plain big-endian hex.
fn parse_inet_address(text: &str, v6: bool) -> Result<SocketAddress, LineProblem> {
    let (address, port) = text
        .split_once(':')
        .ok_or_else(|| LineProblem::NoPort(text.to_string()))?;
    let port = u16::from_str_radix(port, 16).map_err(|_| not_hex("port", port))?;
    let expected = if v6 { 32 } else { 8 };
    if address.len() != expected || !address.is_ascii() {
        return Err(LineProblem::AddressLength {
            address: address.to_string(),
            digits: expected,
        });
    }
    let mut bytes = [0u8; 16];
    for (word, chunk) in bytes.chunks_exact_mut(4).take(expected / 8).enumerate() {
        let digits = &address[word * 8..word * 8 + 8];
        chunk.copy_from_slice(&hex_u32(digits, "address")?.to_ne_bytes());
    }
    let ip = if v6 {
        IpAddr::V6(Ipv6Addr::from(bytes))
    } else {
        IpAddr::V4(Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]))
    };
    Ok(SocketAddress::inet(ip, port))
}

fn is_header(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with("sl ") || trimmed.starts_with("Num ")
}

/// One line of /proc/net/{tcp,tcp6,udp,udp6}.
pub fn parse_inet_line(line: &str, proto: Proto) -> Result<SystemSocket, LineProblem> {
    if proto == Proto::Unix {
        return Err(LineProblem::NotInet);
    }
    let fields: Vec<&str> = line.split_whitespace().collect();
    if fields.len() < 10 {
        return Err(LineProblem::TooFewFields {
            found: fields.len(),
            expected: 10,
        });
    }
    if !fields[0].ends_with(':') {
        return Err(LineProblem::NotSlot(fields[0].to_string()));
    }
    let v6 = proto.is_v6();
    let local = parse_inet_address(fields[1], v6)?;
    let remote = parse_inet_address(fields[2], v6)?;
    let code = u8::from_str_radix(fields[3], 16).map_err(|_| not_hex("state", fields[3]))?;
    let state = if proto.is_tcp() {
        tcp_state(code)?
    } else {
        udp_state(code)?
    };
    let (tx, rx) = fields[4]
        .split_once(':')
        .ok_or_else(|| LineProblem::NotQueues(fields[4].to_string()))?;
    let uid = fields[7]
        .parse::<u32>()
        .map_err(|_| not_number("uid", fields[7]))?;
    let inode = fields[9]
        .parse::<u64>()
        .map_err(|_| not_number("inode", fields[9]))?;
    Ok(SystemSocket {
        proto,
        local,
        remote: Some(remote),
        state: state.to_string(),
        rx_queue: hex_u64(rx, "rx_queue")?,
        tx_queue: hex_u64(tx, "tx_queue")?,
        inode,
        uid,
        path: None,
        unix_type: None,
    })
}

/// One line of /proc/net/unix:
/// `Num RefCount Protocol Flags Type St Inode [Path]`.
pub fn parse_unix_line(line: &str) -> Result<SystemSocket, LineProblem> {
    let mut rest = line.trim_start();
    let mut fields = Vec::with_capacity(7);
    for _ in 0..7 {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        if end == 0 {
            return Err(LineProblem::TooFewFields {
                found: fields.len(),
                expected: 7,
            });
        }
        fields.push(&rest[..end]);
        rest = rest[end..].trim_start();
    }
    if !fields[0].ends_with(':') {
        return Err(LineProblem::NotSocketNumber(fields[0].to_string()));
    }
    let flags = hex_u32(fields[3], "flags")?;
    let unix_type = match hex_u32(fields[4], "type")? {
        1 => "STREAM",
        2 => "DGRAM",
        5 => "SEQPACKET",
        _ => "UNKNOWN",
    };
    const ACCEPTCON: u32 = 1 << 16;
    let state = if flags & ACCEPTCON != 0 {
        "LISTENING"
    } else {
        match hex_u32(fields[5], "state")? {
            0 => "FREE",
            1 => "",
            2 => "CONNECTING",
            3 => "CONNECTED",
            4 => "DISCONNECTING",
            _ => "UNKNOWN",
        }
    };
    let inode = fields[6]
        .parse::<u64>()
        .map_err(|_| not_number("inode", fields[6]))?;
    let path = rest.trim_end();
    let path = (!path.is_empty()).then(|| path.to_string());
    Ok(SystemSocket {
        proto: Proto::Unix,
        local: match path.as_deref() {
            None => SocketAddress::Unnamed,
            // The file writes an abstract name with '@' for its leading NUL.
            Some(name) if name.starts_with('@') => {
                SocketAddress::Abstract(name.as_bytes()[1..].to_vec())
            }
            Some(path) => SocketAddress::Path(path.to_string()),
        },
        remote: None,
        state: state.to_string(),
        rx_queue: 0,
        tx_queue: 0,
        inode,
        uid: 0,
        path,
        unix_type: Some(unix_type.to_string()),
    })
}

/// Parses a whole file, keeping the good lines and one message per bad line.
pub fn parse_lenient(text: &str, proto: Proto) -> (Vec<SystemSocket>, Vec<TableError>) {
    let mut sockets = Vec::new();
    let mut errors = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() || (number == 0 && is_header(line)) {
            continue;
        }
        let parsed = if proto == Proto::Unix {
            parse_unix_line(line)
        } else {
            parse_inet_line(line, proto)
        };
        match parsed {
            Ok(socket) => sockets.push(socket),
            Err(problem) => errors.push(TableError::BadLine {
                path: proto.path(),
                line: number + 1,
                problem,
            }),
        }
    }
    (sockets, errors)
}

fn strict(text: &str, proto: Proto) -> Result<Vec<SystemSocket>, String> {
    let (sockets, errors) = parse_lenient(text, proto);
    match errors.into_iter().next() {
        Some(first) => Err(first.to_string()),
        None => Ok(sockets),
    }
}

/// /proc/net/{tcp,tcp6,udp,udp6}. The first malformed line is an error naming that line; see
/// [`parse_lenient`] to keep the good lines.
pub fn parse_inet(text: &str, proto: Proto) -> Result<Vec<SystemSocket>, String> {
    if proto == Proto::Unix {
        return Err("/proc/net/unix is parsed by parse_unix".into());
    }
    strict(text, proto)
}

/// /proc/net/unix. The first malformed line is an error naming that line.
pub fn parse_unix(text: &str) -> Result<Vec<SystemSocket>, String> {
    strict(text, Proto::Unix)
}

/// Reads the five files: the machine's, or with `network_of` those of the network namespace
/// that process is in (/proc/<pid>/net). A missing or unreadable file, or a bad line, is an
/// error in the table; the rest is still read.
#[cfg(target_os = "linux")]
pub fn read_all(network_of: Option<u32>) -> SystemTable {
    let mut table = SystemTable::default();
    for proto in Proto::ALL {
        let path = match network_of {
            Some(pid) => format!("/proc/{pid}/net/{}", proto.label()),
            None => proto.path().to_string(),
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let (sockets, errors) = parse_lenient(&text, proto);
                table.sockets.extend(sockets);
                table.errors.extend(errors);
            }
            Err(error) => table.errors.push(TableError::Unreadable {
                path,
                error: error.to_string(),
            }),
        }
    }
    table
}

#[cfg(not(target_os = "linux"))]
pub fn read_all(_network_of: Option<u32>) -> SystemTable {
    SystemTable {
        unavailable: Some(NOT_AVAILABLE.to_string()),
        ..SystemTable::default()
    }
}

/// Whether a UDP socket is bound where a datagram to `destination` would be delivered (its
/// port, on that address or on the wildcard), in the calling thread's network namespace.
/// None when the tables cannot be read.
#[cfg(target_os = "linux")]
pub fn udp_bound_at(destination: std::net::SocketAddr) -> Option<bool> {
    let mut read_any = false;
    for proto in [Proto::Udp, Proto::Udp6] {
        // thread-self: a script's sockets may live in a private network of their own.
        let path = format!("/proc/thread-self/net/{}", proto.label());
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        read_any = true;
        let (sockets, _) = parse_lenient(&text, proto);
        if sockets
            .iter()
            .any(|socket| delivers_to(&socket.local, destination))
        {
            return Some(true);
        }
    }
    read_any.then_some(false)
}

#[cfg(not(target_os = "linux"))]
pub fn udp_bound_at(_destination: std::net::SocketAddr) -> Option<bool> {
    None
}

/// A socket bound at `local` receives datagrams sent to `destination`. (An IPv6 wildcard
/// socket also receives IPv4 unless IPV6_V6ONLY, which the table does not show: it counts.)
fn delivers_to(local: &SocketAddress, destination: std::net::SocketAddr) -> bool {
    let same_ip = |ip: IpAddr| {
        ip.is_unspecified()
            || ip == destination.ip()
            || match (ip, destination.ip()) {
                (IpAddr::V6(v6), IpAddr::V4(v4)) => v6.to_ipv4_mapped() == Some(v4),
                (IpAddr::V4(v4), IpAddr::V6(v6)) => v6.to_ipv4_mapped() == Some(v4),
                _ => false,
            }
    };
    match local {
        SocketAddress::V4(address) => {
            address.port() == destination.port() && same_ip(IpAddr::V4(*address.ip()))
        }
        SocketAddress::V6(address) => {
            address.port() == destination.port() && same_ip(IpAddr::V6(*address.ip()))
        }
        _ => false,
    }
}

/// `socket:[12345]` -> 12345.
pub fn socket_inode(link: &str) -> Option<u64> {
    link.strip_prefix("socket:[")?
        .strip_suffix(']')?
        .parse()
        .ok()
}

/// The inodes of the sockets this process holds open (from the /proc/self/fd links).
#[cfg(target_os = "linux")]
pub fn own_inodes() -> HashSet<u64> {
    let Ok(entries) = std::fs::read_dir("/proc/self/fd") else {
        return HashSet::new();
    };
    entries
        .flatten()
        .filter_map(|entry| std::fs::read_link(entry.path()).ok())
        .filter_map(|link| socket_inode(&link.to_string_lossy()))
        .collect()
}

#[cfg(not(target_os = "linux"))]
pub fn own_inodes() -> HashSet<u64> {
    HashSet::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(address: &Option<SocketAddress>) -> String {
        address
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default()
    }

    /// Copied from this machine's /proc/net/tcp with test sockets open: a listener on
    /// 127.0.0.1:44201, a connection to it with 5 bytes unread, a v4 client of a v6 listener.
    const TCP: &str = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     
   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1556 1 000000000dadcc6e 100 0 0 10 0                      
   1: 0100007F:ACA9 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 88294 1 000000006c6e80b3 100 0 0 10 0                     
   2: 0100007F:83CC 0100007F:CD3B 01 00000000:00000000 00:00000000 00000000     0        0 88301 2 0000000074f62574 20 0 0 10 -1                     
   3: 0100007F:ACA9 0100007F:A44A 01 00000000:00000005 00:00000000 00000000     0        0 88296 1 00000000814436d1 20 4 30 10 -1                    
   4: 0100007F:A44A 0100007F:ACA9 01 00000000:00000000 00:00000000 00000000     0        0 88295 1 00000000c0100025 20 0 0 11 -1                     
";

    /// Copied from this machine's /proc/net/tcp6: a listener on :: with one unaccepted
    /// connection, one on ::1, a FIN_WAIT2 / CLOSE_WAIT pair and a v4-mapped connection.
    const TCP6: &str = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:CD3B 00000000000000000000000000000000:0000 0A 00000000:00000001 00:00000000 00000000     0        0 88300 2 00000000a3af0c12 100 0 0 10 0
   1: 00000000000000000000000001000000:BA01 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 88297 1 0000000013864341 100 0 0 10 0
   2: 00000000000000000000000001000000:9350 00000000000000000000000001000000:BA01 05 00000000:00000000 03:0000175B 00000000     0        0 0 3 0000000077691ba0
   3: 0000000000000000FFFF00000100007F:CD3B 0000000000000000FFFF00000100007F:83CC 01 00000000:00000000 00:00000000 00000000     0        0 0 1 00000000c2051db3 20 0 0 10 -1
   4: 00000000000000000000000001000000:BA01 00000000000000000000000001000000:9350 08 00000000:00000001 00:00000000 00000000     0        0 88299 1 0000000011b184fb 20 4 0 10 -1
";

    const UDP: &str = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            
12087: 0100007F:DB92 00000000:0000 07 00000000:00000340 00:00000000 00000000     0        0 88302 2 00000000b6c9fda6 0         
12088: 0100007F:DB93 0100007F:1388 01 00000000:00000000 00:00000000 00000000  1000        0 88310 2 00000000b6c9fda7 0         
";

    const UDP6: &str = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
 9283: 00000000000000000000000001000000:909E 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 88303 2 00000000dce95875 0
";

    const UNIX: &str = "Num       RefCount Protocol Flags    Type St Inode Path
0000000086223c90: 00000002 00000000 00010000 0001 01 88304 /tmp/pn-test.sock
000000004fb20fda: 00000003 00000000 00000000 0001 03  1553
000000000f2f25f7: 00000003 00000000 00000000 0002 03 1552 @/tmp/.X11-unix/X0
0000000011111111: 00000002 00000000 00000000 0005 01 1560 /tmp/with space.sock
";

    #[test]
    fn tcp_v4_lines() {
        let sockets = parse_inet(TCP, Proto::Tcp).unwrap();
        assert_eq!(sockets.len(), 5);
        assert_eq!(sockets[0].local.to_string(), "('0.0.0.0', 2024)");
        assert_eq!(shown(&sockets[0].remote), "('0.0.0.0', 0)");
        assert_eq!(sockets[1].local.to_string(), "('127.0.0.1', 44201)");
        assert_eq!(sockets[1].state, "LISTEN");
        assert_eq!(sockets[1].inode, 88294);
        let server = &sockets[3];
        assert_eq!(server.state, "ESTABLISHED");
        assert_eq!(shown(&server.remote), "('127.0.0.1', 42058)");
        assert_eq!((server.rx_queue, server.tx_queue), (5, 0));
        assert_eq!(server.uid, 0);
        assert_eq!(server.proto, Proto::Tcp);
        assert_eq!(server.path, None);
    }

    #[test]
    fn tcp_v6_lines() {
        let sockets = parse_inet(TCP6, Proto::Tcp6).unwrap();
        assert_eq!(sockets.len(), 5);
        assert_eq!(sockets[0].local.to_string(), "('::', 52539, 0, 0)");
        assert_eq!(sockets[0].state, "LISTEN");
        assert_eq!(
            sockets[0].rx_queue, 1,
            "one connection waiting for accept()"
        );
        assert_eq!(sockets[1].local.to_string(), "('::1', 47617, 0, 0)");
        assert_eq!(sockets[2].state, "FIN_WAIT2");
        assert_eq!(sockets[2].inode, 0);
        assert_eq!(shown(&sockets[2].remote), "('::1', 47617, 0, 0)");
        assert_eq!(
            sockets[3].local.to_string(),
            "('::ffff:127.0.0.1', 52539, 0, 0)"
        );
        assert_eq!(
            shown(&sockets[3].remote),
            "('::ffff:127.0.0.1', 33740, 0, 0)"
        );
        assert_eq!(sockets[4].state, "CLOSE_WAIT");
        assert_eq!(sockets[4].rx_queue, 1);
    }

    #[test]
    fn every_tcp_state() {
        let expected = [
            "ESTABLISHED",
            "SYN_SENT",
            "SYN_RECV",
            "FIN_WAIT1",
            "FIN_WAIT2",
            "TIME_WAIT",
            "CLOSE",
            "CLOSE_WAIT",
            "LAST_ACK",
            "LISTEN",
            "CLOSING",
        ];
        let mut text = String::from("  sl  local_address rem_address   st tx_queue rx_queue\n");
        for code in 1..=11 {
            text.push_str(&format!(
                "   {code}: 0100007F:1388 0100007F:{:04X} {code:02X} 00000010:00000020 00:00000000 00000000  1000        0 {} 1 0000000000000000 20 4 30 10 -1\n",
                40000 + code,
                if code == 6 { 0 } else { 1000 + code }
            ));
        }
        let sockets = parse_inet(&text, Proto::Tcp).unwrap();
        let states: Vec<&str> = sockets.iter().map(|s| s.state.as_str()).collect();
        assert_eq!(states, expected);
        for (socket, code) in sockets.iter().zip(1..) {
            assert_eq!(socket.local.to_string(), "('127.0.0.1', 5000)");
            assert_eq!(
                shown(&socket.remote),
                format!("('127.0.0.1', {})", 40000 + code)
            );
            assert_eq!((socket.tx_queue, socket.rx_queue), (16, 32));
            assert_eq!(socket.uid, 1000);
        }
        assert_eq!(sockets[5].inode, 0, "TIME_WAIT belongs to no process");
    }

    #[test]
    fn udp_states_and_queues() {
        let sockets = parse_inet(UDP, Proto::Udp).unwrap();
        assert_eq!(sockets[0].state, "");
        assert_eq!(sockets[0].rx_queue, 0x340);
        assert_eq!(sockets[0].local.to_string(), "('127.0.0.1', 56210)");
        assert_eq!(sockets[1].state, "ESTABLISHED");
        assert_eq!(shown(&sockets[1].remote), "('127.0.0.1', 5000)");
        assert_eq!(sockets[1].uid, 1000);
        let sockets = parse_inet(UDP6, Proto::Udp6).unwrap();
        assert_eq!(sockets[0].local.to_string(), "('::1', 37022, 0, 0)");
        assert_eq!(sockets[0].proto, Proto::Udp6);
    }

    #[test]
    fn unix_lines() {
        let sockets = parse_unix(UNIX).unwrap();
        assert_eq!(sockets.len(), 4);
        assert_eq!(sockets[0].state, "LISTENING");
        assert_eq!(sockets[0].path.as_deref(), Some("/tmp/pn-test.sock"));
        assert_eq!(sockets[0].local.to_string(), "'/tmp/pn-test.sock'");
        assert_eq!(sockets[0].inode, 88304);
        assert_eq!(sockets[0].unix_type.as_deref(), Some("STREAM"));
        assert_eq!(sockets[1].state, "CONNECTED");
        assert_eq!(sockets[1].path, None);
        assert_eq!(sockets[1].local, SocketAddress::Unnamed);
        assert_eq!(sockets[2].path.as_deref(), Some("@/tmp/.X11-unix/X0"));
        assert_eq!(
            sockets[2].local,
            SocketAddress::Abstract(b"/tmp/.X11-unix/X0".to_vec())
        );
        assert_eq!(sockets[2].unix_type.as_deref(), Some("DGRAM"));
        assert_eq!(sockets[3].state, "");
        assert_eq!(sockets[3].path.as_deref(), Some("/tmp/with space.sock"));
        assert_eq!(sockets[3].unix_type.as_deref(), Some("SEQPACKET"));
    }

    #[test]
    fn malformed_lines_are_errors_for_that_line() {
        let bad_lines = [
            "   0: 0100007F:ACA9",
            "   0: 0100007G:ACA9 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1",
            "   0: 0100007F:ACA9 00000000:0000 0Z 00000000:00000000 00:00000000 00000000 0 0 1 1",
            "   0: 0100007F:ACA9 00000000:0000 0A 0000000000000000 00:00000000 00000000 0 0 1 1",
            "   0: 0100007F:ACA9 00000000:0000 0A 00000000:00000000 00:00000000 00000000 x 0 1 1",
            "   0: 0100007F:ACA9 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 -1 1",
            "   0: 0100007F:ACA9 00000000:0000 FF 00000000:00000000 00:00000000 00000000 0 0 1 1",
            "   0: 0100007F 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1",
            "   0: 100007F:ACA9 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1",
            "   0: 0100007F:1ACA9 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1",
            "   0: 0100\u{e9}07F:ACA9 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1",
            "garbage",
        ];
        for bad in bad_lines {
            let text = format!("{TCP}{bad}\n");
            let error = parse_inet(&text, Proto::Tcp).unwrap_err();
            assert!(error.contains("line 7"), "{error}");
            let (good, errors) = parse_lenient(&text, Proto::Tcp);
            assert_eq!(good.len(), 5, "the good lines are kept");
            assert_eq!(errors.len(), 1);
        }
        // A v4 address in the v6 file.
        assert!(parse_inet("   0: 0100007F:ACA9 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1", Proto::Tcp6).is_err());
        assert!(parse_unix("0000: 0002 0 00010000 0001 01").is_err());
        assert!(parse_unix("0000: 0002 0 0001000Q 0001 01 5 /x").is_err());
        assert!(parse_unix("0000: 0002 0 00010000 0001 01 five /x").is_err());
        assert!(parse_inet(UNIX, Proto::Unix).is_err());
    }

    /// Each problem as the table said it before it was worded in two languages.
    #[test]
    fn bad_lines_are_said_in_both_languages() {
        let line = |fields: &str| format!("   0: {fields}");
        let cases = [
            (line("0100007F:ACA9"), "2 fields, expected at least 10"),
            (
                "garbage 1 2 3 4 5 6 7 8 9".to_string(),
                "'garbage' is not a slot number",
            ),
            (
                line(
                    "0100007G:ACA9 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1",
                ),
                "address '0100007G' is not hex",
            ),
            (
                line(
                    "0100007F:ACA9 00000000:0000 0Z 00000000:00000000 00:00000000 00000000 0 0 1 1",
                ),
                "state '0Z' is not hex",
            ),
            (
                line(
                    "0100007F:ACA9 00000000:0000 0A 0000000000000000 00:00000000 00000000 0 0 1 1",
                ),
                "queues '0000000000000000' are not tx:rx",
            ),
            (
                line(
                    "0100007F:ACA9 00000000:0000 0A 00000000:00000000 00:00000000 00000000 x 0 1 1",
                ),
                "uid 'x' is not a number",
            ),
            (
                line(
                    "0100007F:ACA9 00000000:0000 FF 00000000:00000000 00:00000000 00000000 0 0 1 1",
                ),
                "unknown TCP state FF",
            ),
            (
                line("0100007F 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1"),
                "address '0100007F' has no ':port'",
            ),
            (
                line(
                    "100007F:ACA9 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1",
                ),
                "address '100007F' is not 8 hex digits",
            ),
            (
                line(
                    "0100007F:1ACA9 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1",
                ),
                "port '1ACA9' is not hex",
            ),
        ];
        for (text, english) in cases {
            let (_, errors) = parse_lenient(&text, Proto::Tcp);
            assert_eq!(errors.len(), 1, "{text}");
            assert_eq!(
                errors[0].to_string(),
                format!("/proc/net/tcp line 1: {english}")
            );
            let chinese = errors[0].text(Lang::Zh);
            assert!(chinese.starts_with("/proc/net/tcp 第 1 行："), "{chinese}");
        }
        let (_, errors) = parse_lenient("0000: 0002 0 00010000 0001 01", Proto::Unix);
        assert_eq!(
            errors[0].to_string(),
            "/proc/net/unix line 1: 6 fields, expected at least 7"
        );
        let unreadable = TableError::Unreadable {
            path: "/proc/net/tcp".into(),
            error: "No such file or directory (os error 2)".into(),
        };
        assert_eq!(
            unreadable.to_string(),
            "could not read /proc/net/tcp: No such file or directory (os error 2)"
        );
        let nowhere = SystemTable {
            unavailable: Some(NOT_AVAILABLE.to_string()),
            ..SystemTable::default()
        };
        assert_eq!(
            nowhere.unavailable_in(Lang::En).as_deref(),
            Some(NOT_AVAILABLE)
        );
        assert!(
            nowhere
                .unavailable_in(Lang::Zh)
                .is_some_and(|why| why.contains("/proc/net"))
        );
    }

    #[test]
    fn empty_file_is_an_empty_table() {
        assert_eq!(parse_inet("", Proto::Tcp), Ok(Vec::new()));
        assert_eq!(
            parse_unix("Num       RefCount Protocol Flags    Type St Inode Path\n"),
            Ok(Vec::new())
        );
    }

    #[test]
    fn ours_by_inode_or_by_address_when_inode_is_zero() {
        let sockets = parse_inet(TCP6, Proto::Tcp6).unwrap();
        let own: HashSet<u64> = [88297].into();
        let addresses: HashSet<SocketAddress> =
            [SocketAddress::inet(Ipv6Addr::LOCALHOST.into(), 47617)].into();
        let ours: Vec<bool> = sockets
            .iter()
            .map(|socket| is_ours(socket, &own, &addresses))
            .collect();
        // The ::1 listener by inode, the FIN_WAIT2 socket (inode 0) by its remote address;
        // the CLOSE_WAIT socket has the address too, but its inode is someone else's.
        assert_eq!(ours, [false, true, true, false, false]);
        // An unbound socket's address matches nothing.
        let unbound: HashSet<SocketAddress> = [
            SocketAddress::inet(Ipv4Addr::UNSPECIFIED.into(), 0),
            SocketAddress::inet(Ipv6Addr::UNSPECIFIED.into(), 0),
        ]
        .into();
        let time_wait = SystemSocket {
            remote: Some(SocketAddress::inet(Ipv6Addr::UNSPECIFIED.into(), 0)),
            ..sockets[2].clone()
        };
        assert!(!is_ours(&time_wait, &HashSet::new(), &unbound));
    }

    #[test]
    fn socket_links() {
        assert_eq!(socket_inode("socket:[12345]"), Some(12345));
        assert_eq!(socket_inode("pipe:[12345]"), None);
        assert_eq!(socket_inode("/dev/null"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn reads_this_machine() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let table = read_all(None);
        assert!(table.unavailable.is_none());
        let own = own_inodes();
        let ours = table
            .sockets
            .iter()
            .find(|socket| socket.local.to_string() == format!("('127.0.0.1', {port})"))
            .unwrap();
        assert_eq!(ours.state, "LISTEN");
        assert!(own.contains(&ours.inode));
    }
}
