//! What the UI or a script asks a socket thread to do: one variant per socket call, plus the
//! controls that are not socket calls (cancel, automatic behaviour, kernel snapshot).

use super::call_kind::CallKind;
use crate::i18n::Lang;
use crate::messages::rules::RuleSet;
use crate::t;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

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
    /// `IPv4`, `IPv6`, `Unix`, in `lang`.
    pub fn label(self, lang: Lang) -> String {
        match self {
            Family::Ipv4 => t!(lang, "family-ipv4"),
            Family::Ipv6 => t!(lang, "family-ipv6"),
            Family::Unix => t!(lang, "family-unix"),
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
    /// `TCP` and `UDP` for the internet families (as written in both languages); stream or
    /// datagram, in `lang`, for Unix sockets.
    pub fn label(self, lang: Lang, family: Family) -> String {
        match (family, self) {
            (Family::Unix, SockType::Stream) => t!(lang, "sockets-stream"),
            (Family::Unix, SockType::Datagram) => t!(lang, "sockets-datagram"),
            (_, SockType::Stream) => "TCP".into(),
            (_, SockType::Datagram) => "UDP".into(),
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

impl Mode {
    /// `blocking`, `non-blocking`, `timeout 500 ms`, in `lang`.
    pub fn label(self, lang: Lang) -> String {
        match self {
            Mode::Blocking => t!(lang, "mode-blocking"),
            Mode::NonBlocking => t!(lang, "mode-non-blocking"),
            Mode::Timeout { timeout_ms } => t!(lang, "mode-timeout", ms = timeout_ms.to_string()),
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
    /// or (for Unix sockets) a path. What is wrong, in `lang`.
    pub fn parse_text(lang: Lang, text: &str, family: Family) -> Result<AddrArg, String> {
        let text = text.trim();
        if family == Family::Unix {
            if text.is_empty() {
                return Err(t!(lang, "address-unix-is-path"));
            }
            return Ok(AddrArg::Path(text.to_string()));
        }
        let (host, port_text) = if let Some(rest) = text.strip_prefix('[') {
            let Some((host, after)) = rest.split_once(']') else {
                return Err(t!(lang, "address-missing-bracket", text = text));
            };
            let Some(port) = after.strip_prefix(':') else {
                return Err(t!(lang, "address-expected-port-after-bracket", text = text));
            };
            (host, port)
        } else {
            match text.rsplit_once(':') {
                Some((host, port)) if !host.contains(':') => (host, port),
                _ => {
                    return Err(t!(lang, "address-expected-host-port", text = text));
                }
            }
        };
        let port: u32 = port_text
            .trim()
            .parse()
            .map_err(|_| t!(lang, "calls-bad-port", port = port_text))?;
        Ok(AddrArg::Inet {
            host: host.trim().to_string(),
            port,
        })
    }
}

impl AddrArg {
    /// Python's notation with its strings escaped, so any host or path reads back:
    /// `('127.0.0.1', 8080)`, `'/tmp/it\'s.sock'`.
    pub fn python_literal(&self) -> String {
        match self {
            AddrArg::Inet { host, port } => format!("({}, {port})", python_str(host)),
            AddrArg::Path(path) => python_str(path),
        }
    }
}

/// A Python string literal that the script lexer reads back as `text`.
pub fn python_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
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
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Responder {
    Echo,
    UppercaseEcho,
    HttpHello,
    /// Replies with the local time formatted by the request (strftime), or by a default.
    TimeServer,
    CelsiusToFahrenheit,
    Discard,
    /// Answers by reply rules: the first that matches a chunk (or a whole datagram) replies
    /// with its saved message. Shared, compiled once; each connection answers with its own
    /// copy, so each counts its replies from 1. Not serialized: compiled rules are no data
    /// (a workspace keeps the rules themselves and says `respond='rules'`), so serializing
    /// this variant is an error and none is ever read back.
    #[serde(skip)]
    Rules(Arc<RuleSet>),
}

impl PartialEq for Responder {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            // The same compiled set, or one compiled from the same rules and messages.
            (Responder::Rules(a), Responder::Rules(b)) => a.same_rules(b),
            (Responder::Rules(_), _) | (_, Responder::Rules(_)) => false,
            // The others carry nothing: the same kind is the same responder.
            _ => std::mem::discriminant(self) == std::mem::discriminant(other),
        }
    }
}

impl Eq for Responder {}

impl Responder {
    /// The responders that need nothing but their name (reply rules need their rules).
    pub const ALL: [Responder; 6] = [
        Responder::Echo,
        Responder::UppercaseEcho,
        Responder::HttpHello,
        Responder::TimeServer,
        Responder::CelsiusToFahrenheit,
        Responder::Discard,
    ];
    /// What the responder does, in a few words in `lang` (scripts name it by
    /// [`Responder::script_name`]).
    pub fn label(&self, lang: Lang) -> String {
        match self {
            Responder::Echo => t!(lang, "responder-echo"),
            Responder::UppercaseEcho => t!(lang, "responder-uppercase-echo"),
            Responder::HttpHello => t!(lang, "responder-http-hello"),
            Responder::TimeServer => t!(lang, "responder-time-server"),
            Responder::CelsiusToFahrenheit => t!(lang, "responder-celsius-to-fahrenheit"),
            Responder::Discard => t!(lang, "responder-discard"),
            Responder::Rules(_) => t!(lang, "rules-responder"),
        }
    }
    /// The short name used in scripts (`rules`: by the reply rules of the file it is in).
    pub fn script_name(&self) -> &'static str {
        match self {
            Responder::Echo => "echo",
            Responder::UppercaseEcho => "upper",
            Responder::HttpHello => "http",
            Responder::TimeServer => "time",
            Responder::CelsiusToFahrenheit => "c2f",
            Responder::Discard => "discard",
            Responder::Rules(_) => "rules",
        }
    }
    /// The responder a script names, of [`Responder::ALL`] (`rules` needs the file's rules:
    /// the script parser makes that one).
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

    /// The arguments of a script's `auto(...)` that set this automation (`off` when nothing
    /// is on); the flood's destination is `to=NAME` when `flood_to` names a socket, else its
    /// address. Strings are escaped so the script parser reads them back.
    pub fn script_args(&self, flood_to: Option<&str>) -> String {
        let mut parts = Vec::new();
        if self.auto_accept {
            parts.push("accept".to_string());
        }
        if self.auto_receive {
            parts.push("receive".to_string());
        }
        if let Some(responder) = &self.responder {
            parts.push(format!("respond='{}'", responder.script_name()));
        }
        if let Some(flood) = &self.flood {
            parts.push(format!("flood={}", flood.bytes_per_sec));
            match (flood_to, &flood.destination) {
                (Some(name), _) => parts.push(format!("to={name}")),
                (None, Some(address)) => parts.push(format!("to={}", address.python_literal())),
                (None, None) => {}
            }
            if flood.chunk_size != DEFAULT_FLOOD_CHUNK {
                parts.push(format!("chunk={}", flood.chunk_size));
            }
            if let Some(total) = flood.total_bytes {
                parts.push(format!("total={total}"));
            }
        }
        if self.recv_bufsize > 0 {
            parts.push(format!("bufsize={}", self.recv_bufsize));
        }
        if parts.is_empty() {
            "off".to_string()
        } else {
            parts.join(", ")
        }
    }

    /// What the socket does by itself, in a few words in `lang` ("accepts, receives,
    /// replies: echo").
    pub fn summary(&self, lang: Lang) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.auto_accept {
            parts.push(t!(lang, "auto-accepts"));
        }
        if self.auto_receive || self.responder.is_some() {
            parts.push(t!(lang, "auto-receives"));
        }
        if let Some(responder) = &self.responder {
            parts.push(t!(lang, "auto-replies", responder = responder.label(lang)));
        }
        if let Some(flood) = &self.flood {
            parts.push(if flood.bytes_per_sec == 0 {
                t!(lang, "auto-floods-fast")
            } else {
                t!(
                    lang,
                    "auto-floods-rate",
                    rate = flood.bytes_per_sec.to_string()
                )
            });
        }
        parts.join(&t!(lang, "auto-separator"))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::{ReplyRule, SavedMessage};

    #[test]
    fn reply_rules_are_a_responder_named_and_compared_by_their_rules() {
        let compile = |pattern: &str| {
            let rules = [ReplyRule {
                pattern: pattern.to_string(),
                reply: "m".to_string(),
                ..ReplyRule::default()
            }];
            let messages = [SavedMessage {
                name: "m".to_string(),
                ..SavedMessage::default()
            }];
            Arc::new(RuleSet::compile(&rules, &messages).unwrap())
        };
        let rules = Responder::Rules(compile("a"));
        assert_eq!(rules.label(Lang::En), "reply rules");
        assert_eq!(rules.label(Lang::Zh), "按规则回复");
        assert_eq!(rules.script_name(), "rules");
        assert_eq!(Responder::from_script_name("rules"), None);
        assert_eq!(rules, rules.clone());
        assert_eq!(rules, Responder::Rules(compile("a")));
        assert_ne!(rules, Responder::Rules(compile("b")));
        assert_ne!(rules, Responder::Echo);
        assert_eq!(Responder::Echo, Responder::Echo);
        assert_ne!(Responder::Echo, Responder::Discard);
        let automation = Automation {
            auto_receive: true,
            responder: Some(rules.clone()),
            ..Automation::default()
        };
        assert_eq!(
            automation.summary(Lang::En),
            "receives, replies: reply rules"
        );
        // Compiled rules are no data: a workspace says respond='rules' and keeps the rules.
        assert!(serde_json::to_string(&rules).is_err());
        assert_eq!(serde_json::to_string(&Responder::Echo).unwrap(), "\"Echo\"");
    }

    #[test]
    fn labels_read_as_before_in_english_and_have_chinese() {
        assert_eq!(Family::Unix.label(Lang::En), "Unix");
        assert_eq!(Family::Ipv6.label(Lang::Zh), "IPv6");
        assert_eq!(SockType::Stream.label(Lang::En, Family::Unix), "stream");
        assert_eq!(SockType::Datagram.label(Lang::Zh, Family::Unix), "数据报");
        assert_eq!(SockType::Datagram.label(Lang::Zh, Family::Ipv4), "UDP");
        assert_eq!(Mode::Blocking.label(Lang::En), "blocking");
        assert_eq!(Mode::NonBlocking.label(Lang::En), "non-blocking");
        assert_eq!(Mode::NonBlocking.label(Lang::Zh), "非阻塞");
        let timeout = Mode::Timeout { timeout_ms: 2500 };
        assert_eq!(timeout.label(Lang::En), "timeout 2500 ms");
        assert_eq!(timeout.label(Lang::Zh), "超时 2500 ms");
        let english: Vec<String> = Responder::ALL.iter().map(|r| r.label(Lang::En)).collect();
        assert_eq!(
            english,
            [
                "echo",
                "uppercase echo",
                "HTTP hello page",
                "time server",
                "Celsius to Fahrenheit",
                "discard"
            ]
        );
        for responder in Responder::ALL {
            assert_ne!(responder.label(Lang::Zh), responder.label(Lang::En));
        }
    }

    #[test]
    fn typed_addresses_are_refused_in_both_languages() {
        let refusals = [
            (
                "",
                Family::Unix,
                "a Unix socket address is a path, e.g. /tmp/demo.sock",
            ),
            (
                "[::1",
                Family::Ipv6,
                "'[::1': missing ']' after the IPv6 address",
            ),
            (
                "[::1]80",
                Family::Ipv6,
                "'[::1]80': expected ':port' after ']'",
            ),
            (
                "localhost",
                Family::Ipv4,
                "'localhost': expected host:port (for IPv6 write [::1]:port)",
            ),
            (
                "localhost:http",
                Family::Ipv4,
                "'http' is not a port number (0-65535)",
            ),
        ];
        for (text, family, english) in refusals {
            assert_eq!(
                AddrArg::parse_text(Lang::En, text, family),
                Err(english.to_string())
            );
            let chinese = AddrArg::parse_text(Lang::Zh, text, family).unwrap_err();
            assert_ne!(chinese, english);
        }
        assert_eq!(
            AddrArg::parse_text(Lang::Zh, " [::1]:80 ", Family::Ipv6),
            Ok(AddrArg::inet("::1", 80))
        );
    }

    #[test]
    fn automation_is_summarised_in_both_languages() {
        let all = Automation {
            auto_accept: true,
            auto_receive: true,
            responder: Some(Responder::Echo),
            flood: Some(Flood {
                bytes_per_sec: 1000,
                destination: None,
                chunk_size: 10,
                total_bytes: None,
            }),
            recv_bufsize: 0,
        };
        assert_eq!(
            all.summary(Lang::En),
            "accepts, receives, replies: echo, floods 1000 bytes/s"
        );
        assert_eq!(
            all.summary(Lang::Zh),
            "接受连接，接收，应答：回显，泛洪发送 1000 字节/秒"
        );
        let fast = Automation {
            flood: Some(Flood {
                bytes_per_sec: 0,
                destination: None,
                chunk_size: 10,
                total_bytes: None,
            }),
            ..Automation::default()
        };
        assert_eq!(fast.summary(Lang::En), "floods as fast as it can");
        assert_eq!(Automation::default().summary(Lang::En), "");
    }
}
