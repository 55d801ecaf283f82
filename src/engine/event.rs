//! What socket threads report. All sockets share one channel; times are microseconds since the
//! engine started, so a session can be replayed and compared.

use super::address::SocketAddress;
use super::command::{Automation, Call, CallId, Family, Mode, Origin, SockType, SocketId};
use super::errno;
use super::kernel::KernelSnapshot;
use crate::i18n::Lang;
use crate::t;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The lifecycle of one socket, as PRODUCT part 1 lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lifecycle {
    Created,
    Bound,
    Listening,
    Connecting,
    Connected,
    /// shutdown(SHUT_WR) done: we sent FIN, can still receive.
    WriteShut,
    /// recv returned 0: the peer closed its side.
    PeerClosed,
    Closed,
    Error,
}

impl Lifecycle {
    /// The state's name on cards, headers and lanes, in `lang`.
    pub fn label(self, lang: Lang) -> String {
        match self {
            Lifecycle::Created => t!(lang, "state-created"),
            Lifecycle::Bound => t!(lang, "state-bound"),
            Lifecycle::Listening => t!(lang, "state-listening"),
            Lifecycle::Connecting => t!(lang, "state-connecting"),
            Lifecycle::Connected => t!(lang, "state-connected"),
            Lifecycle::WriteShut => t!(lang, "state-write-shut"),
            Lifecycle::PeerClosed => t!(lang, "state-peer-closed"),
            Lifecycle::Closed => t!(lang, "state-closed"),
            Lifecycle::Error => t!(lang, "state-error"),
        }
    }
}

/// The value a call returned, in the shape Python would show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Value {
    /// bind, listen, connect, shutdown, close, setsockopt... return None in Python.
    None,
    /// send returns a count; connect_ex-style results; getsockopt integers.
    Int(i64),
    /// recv / recvfrom: the bytes are in [`Returned::data`]; this is their count.
    Bytes(usize),
    /// accept: the new connection's socket and the peer address.
    Accepted {
        child: SocketId,
        peer: SocketAddress,
    },
    /// getsockname / getpeername.
    Address(SocketAddress),
    /// getsockopt of a structured option (SO_LINGER).
    Text(String),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::None => write!(f, "None"),
            Value::Int(value) => write!(f, "{value}"),
            Value::Bytes(len) => write!(f, "{len} bytes"),
            Value::Accepted { child, peer } => write!(f, "(socket {child}, {peer})"),
            Value::Address(addr) => write!(f, "{addr}"),
            Value::Text(text) => write!(f, "{text}"),
        }
    }
}

/// Why a pending call ended without a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CancelReason {
    /// A person pressed Cancel (or a script cancelled).
    User,
    /// The socket was closed while the call waited.
    Closed,
}

/// How a call ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Ok(Value),
    /// The kernel's errno.
    Errno(i32),
    /// Timeout mode: nothing happened within the timeout (Python raises `TimeoutError`).
    TimedOut {
        timeout_ms: u64,
    },
    Cancelled(CancelReason),
    /// Refused before any syscall: a bad address, port over 65535, unknown option.
    Invalid(String),
}

impl Outcome {
    pub fn is_ok(&self) -> bool {
        matches!(self, Outcome::Ok(_))
    }
    pub fn errno_name(&self) -> Option<&'static str> {
        match self {
            Outcome::Errno(code) => Some(errno::name(*code)),
            _ => None,
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Ok(value) => write!(f, "{value}"),
            Outcome::Errno(code) => write!(f, "{} ({code})", errno::name(*code)),
            Outcome::TimedOut { timeout_ms } => write!(f, "timed out after {timeout_ms} ms"),
            Outcome::Cancelled(CancelReason::User) => write!(f, "cancelled"),
            Outcome::Cancelled(CancelReason::Closed) => write!(f, "cancelled: socket closed"),
            Outcome::Invalid(message) => write!(f, "invalid: {message}"),
        }
    }
}

/// What ended a call's wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WokenBy {
    /// The call did not have to wait.
    NoWait,
    /// Data (or a connection) arrived.
    Readable,
    /// Room appeared in the send buffer, or a connect completed.
    Writable,
    /// The peer closed (EOF) or reset, or an error was queued on the socket.
    HangupOrError,
    Timeout,
    Cancel,
    Close,
}

impl WokenBy {
    /// What woke the call, in English (the headless runner's transcript; the window uses
    /// [`WokenBy::label_in`]).
    pub fn label(self) -> &'static str {
        match self {
            WokenBy::NoWait => "did not wait",
            WokenBy::Readable => "data arrived",
            WokenBy::Writable => "room in the send buffer / connection complete",
            WokenBy::HangupOrError => "peer closed or reset",
            WokenBy::Timeout => "timeout",
            WokenBy::Cancel => "cancel",
            WokenBy::Close => "close",
        }
    }

    /// [`WokenBy::label`] in `lang`.
    pub fn label_in(self, lang: Lang) -> String {
        match self {
            WokenBy::NoWait => t!(lang, "explain-woken-no-wait"),
            WokenBy::Readable => t!(lang, "explain-woken-data"),
            WokenBy::Writable => t!(lang, "explain-woken-writable"),
            WokenBy::HangupOrError => t!(lang, "explain-woken-hangup"),
            WokenBy::Timeout => t!(lang, "explain-woken-timeout"),
            WokenBy::Cancel => t!(lang, "explain-woken-cancel"),
            WokenBy::Close => t!(lang, "explain-woken-close"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Started {
    pub socket: SocketId,
    pub call_id: CallId,
    pub at_us: u64,
    pub call: Call,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Returned {
    pub socket: SocketId,
    pub call_id: CallId,
    pub at_us: u64,
    pub duration_us: u64,
    pub outcome: Outcome,
    /// Bytes sent or received by this call (also set for a partial transfer that then failed).
    pub bytes_moved: usize,
    /// recv / recvfrom: the bytes received.
    pub data: Option<Vec<u8>>,
    /// recvfrom: the sender.
    pub from: Option<SocketAddress>,
    /// A datagram longer than bufsize: its real length where the OS told it.
    pub truncated_from: Option<usize>,
    pub woken_by: WokenBy,
    /// The socket at the moment the call returned, so that an errno (or an empty recv) can be
    /// explained for this call on this socket. Set by the socket thread for failed calls and
    /// empty receives.
    #[serde(default)]
    pub context: Option<CallContext>,
}

/// Facts about a socket when one of its calls returned, read from the kernel where it can
/// tell (getsockopt), so explanations fit what really happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallContext {
    pub family: Family,
    pub sock_type: SockType,
    /// SO_REUSEADDR was set on the socket.
    pub reuse_addr: bool,
    /// IPV6_V6ONLY was set (IPv6 sockets).
    pub v6only: bool,
    /// This socket shut its own reading side (shutdown(SHUT_RD) or SHUT_RDWR).
    pub read_shut: bool,
    /// This socket shut its own sending side (shutdown(SHUT_WR) or SHUT_RDWR).
    pub write_shut: bool,
    /// A datagram went (sendto, or a UDP connect) to a loopback address where no socket on
    /// this machine is bound: it is dropped, and UDP says nothing.
    #[serde(default)]
    pub nothing_bound_at_destination: bool,
}

/// Several automatic calls folded into one event, so a flood cannot grow the channel.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AutoSummary {
    pub socket: SocketId,
    pub from_us: u64,
    pub to_us: u64,
    pub recv_calls: u64,
    pub recv_bytes: u64,
    pub send_calls: u64,
    pub send_bytes: u64,
    /// The first bytes received in this period (the rest are counted, not kept).
    pub sample: Vec<u8>,
    pub errors: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SocketInfo {
    pub socket: SocketId,
    pub family: Family,
    pub sock_type: SockType,
    /// The listener an accepted connection came from.
    pub parent: Option<SocketId>,
    pub at_us: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StateChange {
    pub socket: SocketId,
    pub at_us: u64,
    pub state: Lifecycle,
    pub mode: Mode,
    pub local: Option<SocketAddress>,
    pub peer: Option<SocketAddress>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Event {
    Opened(SocketInfo),
    Started(Started),
    Returned(Returned),
    Auto(AutoSummary),
    State(StateChange),
    Kernel {
        socket: SocketId,
        at_us: u64,
        snapshot: KernelSnapshot,
    },
    /// The socket's automatic behaviour was set (by a person or a script), or an accepted
    /// connection inherited its listener's.
    Automation {
        socket: SocketId,
        at_us: u64,
        automation: Automation,
    },
    /// The socket's thread failed (a bug in the workbench, not the kernel's doing): its
    /// pending calls will not return. A ThreadEnded follows.
    ThreadFailed {
        socket: SocketId,
        at_us: u64,
        message: String,
    },
    /// The socket's thread has ended; no more events will come for it.
    ThreadEnded {
        socket: SocketId,
        at_us: u64,
    },
    /// The wire: segments seen on loopback, or the capture's state. Not about one socket.
    Wire(super::wire::WireReport),
    /// A relay's doings (a relay is not a socket: its events name the relay).
    Relay(super::relay::RelayEvent),
    /// The automatic send `call_id` carries the reply of reply rule `rule` (counted from 1).
    /// Comes between that send's Started and its Returned, and only for a send reported on
    /// its own: one folded into a summary has no record to carry it (and sends no event).
    ReplyRule {
        socket: SocketId,
        call_id: CallId,
        rule: u32,
    },
}

impl Event {
    /// The socket the event is about (None for the wire's reports).
    pub fn socket(&self) -> Option<SocketId> {
        match self {
            Event::Opened(info) => Some(info.socket),
            Event::Started(started) => Some(started.socket),
            Event::Returned(returned) => Some(returned.socket),
            Event::Auto(summary) => Some(summary.socket),
            Event::State(change) => Some(change.socket),
            Event::Kernel { socket, .. }
            | Event::Automation { socket, .. }
            | Event::ThreadFailed { socket, .. }
            | Event::ThreadEnded { socket, .. }
            | Event::ReplyRule { socket, .. } => Some(*socket),
            Event::Wire(_) | Event::Relay(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_and_wake_ups_are_named_in_both_languages() {
        let states = [
            (Lifecycle::Created, "created", "新建"),
            (Lifecycle::Bound, "bound", "已绑定"),
            (Lifecycle::Listening, "listening", "监听中"),
            (Lifecycle::Connecting, "connecting", "连接中"),
            (Lifecycle::Connected, "connected", "已连接"),
            (Lifecycle::WriteShut, "write-shut", "已关闭发送（半关闭）"),
            (
                Lifecycle::PeerClosed,
                "peer-closed (EOF seen)",
                "对端已关闭（读到了 EOF）",
            ),
            (Lifecycle::Closed, "closed", "已关闭"),
            (Lifecycle::Error, "error", "出错"),
        ];
        for (state, english, chinese) in states {
            assert_eq!(state.label(Lang::En), english);
            assert_eq!(state.label(Lang::Zh), chinese);
        }
        for woken_by in [
            WokenBy::NoWait,
            WokenBy::Readable,
            WokenBy::Writable,
            WokenBy::HangupOrError,
            WokenBy::Timeout,
            WokenBy::Cancel,
            WokenBy::Close,
        ] {
            assert_eq!(woken_by.label_in(Lang::En), woken_by.label());
            assert_ne!(woken_by.label_in(Lang::Zh), woken_by.label());
        }
    }
}
