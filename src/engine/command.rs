//! What the UI or a script asks a socket thread to do: one variant per socket call, plus the
//! controls that are not socket calls (cancel, automatic behaviour, kernel snapshot).

use super::call_kind::CallKind;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Identifies one socket for the whole life of an [`crate::engine::Engine`].
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct SocketId(pub u32);

impl fmt::Display for SocketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Identifies one call (issued by a person, a script or an automatic loop).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CallId(pub u64);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Family {
    Ipv4,
    Ipv6,
    Unix,
}

impl Family {
    pub fn python_name(self) -> &'static str {
        match self {
            Family::Ipv4 => "AF_INET",
            Family::Ipv6 => "AF_INET6",
            Family::Unix => "AF_UNIX",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Family::Ipv4 => "IPv4",
            Family::Ipv6 => "IPv6",
            Family::Unix => "Unix",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SockType {
    Stream,
    Datagram,
}

impl SockType {
    pub fn python_name(self) -> &'static str {
        match self {
            SockType::Stream => "SOCK_STREAM",
            SockType::Datagram => "SOCK_DGRAM",
        }
    }
    pub fn label(self, family: Family) -> &'static str {
        match (family, self) {
            (Family::Unix, SockType::Stream) => "stream",
            (Family::Unix, SockType::Datagram) => "datagram",
            (_, SockType::Stream) => "TCP",
            (_, SockType::Datagram) => "UDP",
        }
    }
}

/// How the socket's calls wait, as Python's `setblocking` / `settimeout` set it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    Blocking,
    NonBlocking,
    Timeout { timeout_ms: u64 },
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mode::Blocking => write!(f, "blocking"),
            Mode::NonBlocking => write!(f, "non-blocking"),
            Mode::Timeout { timeout_ms } => write!(f, "timeout {timeout_ms} ms"),
        }
    }
}

/// An address argument as the person gave it; checked and resolved by the socket thread, so
/// a bad one becomes that call's error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AddrArg {
    /// Host name or literal address, and a port. The port is wide so that 70000 can be refused
    /// with a clear message instead of wrapping.
    Inet { host: String, port: u32 },
    /// A filesystem path for AF_UNIX.
    Path(String),
}

impl AddrArg {
    pub fn inet(host: impl Into<String>, port: u32) -> Self {
        AddrArg::Inet {
            host: host.into(),
            port,
        }
    }

    /// Parses what a person types in one field: `127.0.0.1:8080`, `[::1]:80`, `localhost:80`,
    /// or (for Unix sockets) a path.
    pub fn parse_text(text: &str, family: Family) -> Result<AddrArg, String> {
        let text = text.trim();
        if family == Family::Unix {
            if text.is_empty() {
                return Err("a Unix socket address is a path, e.g. /tmp/demo.sock".into());
            }
            return Ok(AddrArg::Path(text.to_string()));
        }
        let (host, port_text) = if let Some(rest) = text.strip_prefix('[') {
            let Some((host, after)) = rest.split_once(']') else {
                return Err(format!("'{text}': missing ']' after the IPv6 address"));
            };
            let Some(port) = after.strip_prefix(':') else {
                return Err(format!("'{text}': expected ':port' after ']'"));
            };
            (host, port)
        } else {
            match text.rsplit_once(':') {
                Some((host, port)) if !host.contains(':') => (host, port),
                _ => {
                    return Err(format!(
                        "'{text}': expected host:port (for IPv6 write [::1]:port)"
                    ));
                }
            }
        };
        let port: u32 = port_text
            .trim()
            .parse()
            .map_err(|_| format!("'{port_text}' is not a port number (0-65535)"))?;
        Ok(AddrArg::Inet {
            host: host.trim().to_string(),
            port,
        })
    }
}

impl fmt::Display for AddrArg {
    /// Python's notation: `('127.0.0.1', 8080)` or `'/tmp/x.sock'`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddrArg::Inet { host, port } => write!(f, "('{host}', {port})"),
            AddrArg::Path(path) => write!(f, "'{path}'"),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecvFlags {
    pub peek: bool,
    pub waitall: bool,
    pub dontwait: bool,
}

impl RecvFlags {
    pub fn python_text(self) -> Option<String> {
        let mut parts = Vec::new();
        if self.peek {
            parts.push("MSG_PEEK");
        }
        if self.waitall {
            parts.push("MSG_WAITALL");
        }
        if self.dontwait {
            parts.push("MSG_DONTWAIT");
        }
        (!parts.is_empty()).then(|| parts.join(" | "))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShutdownHow {
    Read,
    Write,
    Both,
}

impl ShutdownHow {
    pub fn python_name(self) -> &'static str {
        match self {
            ShutdownHow::Read => "SHUT_RD",
            ShutdownHow::Write => "SHUT_WR",
            ShutdownHow::Both => "SHUT_RDWR",
        }
    }
}

/// A value for setsockopt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OptValue {
    Int(i64),
    /// SO_LINGER: `None` turns lingering off; `Some(0)` makes close send RST.
    Linger(Option<u32>),
    /// IP_ADD_MEMBERSHIP / IP_DROP_MEMBERSHIP (and the IPv6 ones): group and local interface
    /// address (IPv4) or interface index (IPv6, as text).
    Membership {
        group: String,
        interface: String,
    },
}

impl fmt::Display for OptValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OptValue::Int(value) => write!(f, "{value}"),
            OptValue::Linger(None) => write!(f, "struct.pack('ii', 0, 0)"),
            OptValue::Linger(Some(secs)) => write!(f, "struct.pack('ii', 1, {secs})"),
            OptValue::Membership { group, interface } => {
                write!(f, "membership('{group}', '{interface}')")
            }
        }
    }
}

/// Every socket call the workbench performs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Call {
    Bind(AddrArg),
    Listen {
        backlog: i32,
    },
    Accept,
    Connect(AddrArg),
    Send {
        data: Vec<u8>,
    },
    SendAll {
        data: Vec<u8>,
    },
    SendTo {
        data: Vec<u8>,
        addr: AddrArg,
    },
    Recv {
        bufsize: usize,
        flags: RecvFlags,
    },
    RecvFrom {
        bufsize: usize,
        flags: RecvFlags,
    },
    Shutdown(ShutdownHow),
    Close,
    /// The option by its usual name (`SO_REUSEADDR`); an unknown name is that call's error.
    SetOpt {
        name: String,
        value: OptValue,
    },
    GetOpt {
        name: String,
    },
    SetBlocking(bool),
    /// Python's `settimeout`: `None` means blocking, `Some(0)` non-blocking.
    SetTimeout(Option<u64>),
    GetSockName,
    GetPeerName,
}

impl Call {
    pub fn kind(&self) -> CallKind {
        match self {
            Call::Bind(_) => CallKind::Bind,
            Call::Listen { .. } => CallKind::Listen,
            Call::Accept => CallKind::Accept,
            Call::Connect(_) => CallKind::Connect,
            Call::Send { .. } => CallKind::Send,
            Call::SendAll { .. } => CallKind::SendAll,
            Call::SendTo { .. } => CallKind::SendTo,
            Call::Recv { .. } => CallKind::Recv,
            Call::RecvFrom { .. } => CallKind::RecvFrom,
            Call::Shutdown(_) => CallKind::Shutdown,
            Call::Close => CallKind::Close,
            Call::SetOpt { .. } => CallKind::SetSockOpt,
            Call::GetOpt { .. } => CallKind::GetSockOpt,
            Call::SetBlocking(_) => CallKind::SetBlocking,
            Call::SetTimeout(_) => CallKind::SetTimeout,
            Call::GetSockName => CallKind::GetSockName,
            Call::GetPeerName => CallKind::GetPeerName,
        }
    }

    /// The Python method's name (`"recv"`).
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// The option a setsockopt / getsockopt names.
    pub fn option_name(&self) -> Option<&str> {
        match self {
            Call::SetOpt { name, .. } | Call::GetOpt { name } => Some(name),
            _ => None,
        }
    }

    /// The arguments in Python notation, without the parentheses.
    pub fn args_text(&self) -> String {
        match self {
            Call::Bind(addr) | Call::Connect(addr) => addr.to_string(),
            Call::Listen { backlog } => backlog.to_string(),
            Call::Send { data } | Call::SendAll { data } => bytes_literal_short(data),
            Call::SendTo { data, addr } => format!("{}, {addr}", bytes_literal_short(data)),
            Call::Recv { bufsize, flags } | Call::RecvFrom { bufsize, flags } => {
                match flags.python_text() {
                    Some(flags) => format!("{bufsize}, {flags}"),
                    None => bufsize.to_string(),
                }
            }
            Call::Shutdown(how) => how.python_name().to_string(),
            Call::SetOpt { name, value } => {
                format!(
                    "{}, {name}, {value}",
                    crate::engine::options::level_name(name)
                )
            }
            Call::GetOpt { name } => {
                format!("{}, {name}", crate::engine::options::level_name(name))
            }
            Call::SetBlocking(flag) => if *flag { "True" } else { "False" }.to_string(),
            Call::SetTimeout(None) => "None".to_string(),
            Call::SetTimeout(Some(ms)) => format_seconds(*ms),
            Call::Accept | Call::Close | Call::GetSockName | Call::GetPeerName => String::new(),
        }
    }

    /// `recv(1024)`, `bind(('127.0.0.1', 0))`.
    pub fn text(&self) -> String {
        format!("{}({})", self.name(), self.args_text())
    }

    /// Calls that wait for the peer or the network (and so can block, time out, be cancelled).
    pub fn can_block(&self) -> bool {
        self.kind().can_block()
    }
}

/// Seconds as Python writes them: 2 -> `2`, 500 ms -> `0.5`.
pub fn format_seconds(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        format!("{}", ms / 1000)
    } else {
        let text = format!("{:.3}", ms as f64 / 1000.0);
        text.trim_end_matches('0').to_string()
    }
}

/// A Python bytes literal, cut short for display: `b'hello\r\n'`, `b'xxxx'...(100000 bytes)`.
pub fn bytes_literal_short(data: &[u8]) -> String {
    const SHOWN: usize = 40;
    if data.len() <= SHOWN {
        bytes_literal(data)
    } else if data.iter().all(|byte| *byte == data[0]) {
        format!("{} * {}", bytes_literal(&data[..1]), data.len())
    } else {
        format!("{}...({} bytes)", bytes_literal(&data[..SHOWN]), data.len())
    }
}

/// A Python bytes literal with every non-printable byte escaped.
pub fn bytes_literal(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len() + 3);
    out.push_str("b'");
    for &byte in data {
        match byte {
            b'\\' => out.push_str("\\\\"),
            b'\'' => out.push_str("\\'"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(byte as char),
            _ => out.push_str(&format!("\\x{byte:02x}")),
        }
    }
    out.push('\'');
    out
}

/// Who issued a call. Automatic loops may be coalesced into summaries; the others never are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Origin {
    User,
    Script,
    Auto,
}

/// A canned reply generator run by the socket thread on each received chunk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Responder {
    Echo,
    UppercaseEcho,
    HttpHello,
    /// Replies with the local time formatted by the request (strftime), or by a default.
    TimeServer,
    CelsiusToFahrenheit,
    Discard,
}

impl Responder {
    pub const ALL: [Responder; 6] = [
        Responder::Echo,
        Responder::UppercaseEcho,
        Responder::HttpHello,
        Responder::TimeServer,
        Responder::CelsiusToFahrenheit,
        Responder::Discard,
    ];
    pub fn label(&self) -> &'static str {
        match self {
            Responder::Echo => "echo",
            Responder::UppercaseEcho => "uppercase echo",
            Responder::HttpHello => "HTTP hello page",
            Responder::TimeServer => "time server",
            Responder::CelsiusToFahrenheit => "Celsius to Fahrenheit",
            Responder::Discard => "discard",
        }
    }
    /// The short name used in scripts.
    pub fn script_name(&self) -> &'static str {
        match self {
            Responder::Echo => "echo",
            Responder::UppercaseEcho => "upper",
            Responder::HttpHello => "http",
            Responder::TimeServer => "time",
            Responder::CelsiusToFahrenheit => "c2f",
            Responder::Discard => "discard",
        }
    }
    pub fn from_script_name(name: &str) -> Option<Responder> {
        Responder::ALL
            .into_iter()
            .find(|responder| responder.script_name() == name)
    }
}

/// Bytes per send of a flood unless a person chooses otherwise: large enough that a
/// workbench-to-workbench flood runs at loopback speed (measured in `cargo bench --bench
/// engine` against iperf3).
pub const DEFAULT_FLOOD_CHUNK: usize = 256 * 1024;

/// A datagram flood's size when [`DEFAULT_FLOOD_CHUNK`] was left as it is (it is over UDP's
/// 65,507-byte limit).
pub const DEFAULT_DATAGRAM_FLOOD_CHUNK: usize = 8192;

/// Receive size of the automatic receive loop when none is chosen (see
/// [`DEFAULT_FLOOD_CHUNK`]).
pub const DEFAULT_AUTO_RECV_BUFSIZE: usize = 256 * 1024;

/// A generator that sends as long as the socket can take it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flood {
    /// Bytes per second; 0 means as fast as possible.
    pub bytes_per_sec: u64,
    /// For an unconnected datagram socket: where the datagrams go.
    pub destination: Option<AddrArg>,
    /// Bytes per send call (datagram size for UDP).
    pub chunk_size: usize,
    /// Stop after this many bytes (None = until switched off).
    pub total_bytes: Option<u64>,
}

/// What a socket does by itself, so a person can build a server without clicking forever.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Automation {
    /// Listener: accept every connection as it arrives.
    pub auto_accept: bool,
    /// Receive in a loop whenever data arrives (and apply the responder).
    pub auto_receive: bool,
    pub responder: Option<Responder>,
    pub flood: Option<Flood>,
    /// Receive size of the automatic loop (0 means [`DEFAULT_AUTO_RECV_BUFSIZE`]).
    pub recv_bufsize: usize,
}

impl Automation {
    /// True when the socket does anything by itself.
    pub fn is_on(&self) -> bool {
        self.auto_accept || self.auto_receive || self.responder.is_some() || self.flood.is_some()
    }

    /// What the socket does by itself, in a few words ("accepts, receives, replies: echo").
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.auto_accept {
            parts.push("accepts".into());
        }
        if self.auto_receive || self.responder.is_some() {
            parts.push("receives".into());
        }
        if let Some(responder) = &self.responder {
            parts.push(format!("replies: {}", responder.label()));
        }
        if let Some(flood) = &self.flood {
            parts.push(if flood.bytes_per_sec == 0 {
                "floods as fast as it can".to_string()
            } else {
                format!("floods {} bytes/s", flood.bytes_per_sec)
            });
        }
        parts.join(", ")
    }
}

/// Everything that can be sent to a socket thread.
#[derive(Clone, Debug)]
pub enum Command {
    Call {
        call_id: CallId,
        call: Call,
        origin: Origin,
    },
    /// End every pending call on this socket as cancelled; the socket stays usable.
    Cancel,
    /// End every pending call because the workbench is closing every socket (Close all, or
    /// the engine shutting down); a close follows.
    CancelForClose,
    /// Switch automatic behaviour; `requested_us` is when it was asked for, which is the time
    /// the change is reported with (the worker may be busy for a while before it reads this).
    SetAutomation {
        automation: Automation,
        requested_us: u64,
    },
    /// Report a [`crate::engine::kernel::KernelSnapshot`] now.
    Snapshot,
}
