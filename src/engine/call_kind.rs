//! Which socket call a call is, apart from its arguments: its Python name, what it does in one
//! line, which way its bytes go and whether it can wait. The session keys results by it, and
//! the forms, the table, the timeline, the Python export and the script parser all name calls
//! through it.

use serde::{Deserialize, Serialize};

/// Every socket call the workbench performs. Declared in alphabetical order of the Python
/// names, so that sorting by kind sorts by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CallKind {
    Accept,
    Bind,
    Close,
    Connect,
    GetPeerName,
    GetSockName,
    GetSockOpt,
    Listen,
    Recv,
    RecvFrom,
    Send,
    SendAll,
    SendTo,
    SetBlocking,
    SetSockOpt,
    SetTimeout,
    Shutdown,
}

/// Which way a call moves data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// send, sendall, sendto: bytes to the kernel.
    Out,
    /// recv, recvfrom: bytes from the kernel.
    In,
    /// Everything else: no payload.
    Control,
}

impl CallKind {
    /// In the order the syllabus meets them (the order of the call rows).
    pub const ALL: [CallKind; 17] = [
        CallKind::Bind,
        CallKind::Listen,
        CallKind::Accept,
        CallKind::Connect,
        CallKind::Send,
        CallKind::SendAll,
        CallKind::SendTo,
        CallKind::Recv,
        CallKind::RecvFrom,
        CallKind::Shutdown,
        CallKind::Close,
        CallKind::SetSockOpt,
        CallKind::GetSockOpt,
        CallKind::SetBlocking,
        CallKind::SetTimeout,
        CallKind::GetSockName,
        CallKind::GetPeerName,
    ];

    /// The Python method's name (`"sendall"`).
    pub const fn name(self) -> &'static str {
        match self {
            CallKind::Accept => "accept",
            CallKind::Bind => "bind",
            CallKind::Close => "close",
            CallKind::Connect => "connect",
            CallKind::GetPeerName => "getpeername",
            CallKind::GetSockName => "getsockname",
            CallKind::GetSockOpt => "getsockopt",
            CallKind::Listen => "listen",
            CallKind::Recv => "recv",
            CallKind::RecvFrom => "recvfrom",
            CallKind::Send => "send",
            CallKind::SendAll => "sendall",
            CallKind::SendTo => "sendto",
            CallKind::SetBlocking => "setblocking",
            CallKind::SetSockOpt => "setsockopt",
            CallKind::SetTimeout => "settimeout",
            CallKind::Shutdown => "shutdown",
        }
    }

    /// The kind whose Python name this is.
    pub fn from_name(name: &str) -> Option<CallKind> {
        CallKind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// What the call does, in one or two sentences (the call buttons' tooltips).
    pub const fn tooltip(self) -> &'static str {
        match self {
            CallKind::Bind => {
                "bind(address): give the socket its local address (port 0: the kernel picks a free port)."
            }
            CallKind::Listen => {
                "listen(backlog): make a bound stream socket a server; the kernel queues up to backlog finished connections for accept()."
            }
            CallKind::Accept => {
                "accept(): take the next connection from the accept queue (blocks while it is empty); returns a new socket for that client."
            }
            CallKind::Connect => {
                "connect(address): TCP: the three-way handshake with a listening server. UDP: only sets the default peer."
            }
            CallKind::Send => {
                "send(data): hand bytes to the kernel's send buffer; may take only part of them — the return value says how many."
            }
            CallKind::SendAll => {
                "sendall(data): call send() until every byte is taken (blocks while the send buffer is full)."
            }
            CallKind::SendTo => {
                "sendto(data, address): send one datagram to that address; no connection needed."
            }
            CallKind::Recv => {
                "recv(bufsize): take up to bufsize bytes that have arrived (blocks while none have); b'' means the peer closed."
            }
            CallKind::RecvFrom => {
                "recvfrom(bufsize): like recv, and also tells who sent the data (for UDP, one whole datagram per call)."
            }
            CallKind::Shutdown => {
                "shutdown(how): end one direction of a connection; SHUT_WR sends FIN (the peer's recv returns b'') while we can still receive."
            }
            CallKind::Close => {
                "close(): release the socket; a connected TCP socket sends FIN (or RST with SO_LINGER 0)."
            }
            CallKind::GetSockName => {
                "getsockname(): the socket's own address (shows the port the kernel picked)."
            }
            CallKind::GetPeerName => "getpeername(): the address of the connected peer.",
            CallKind::SetSockOpt => "setsockopt(level, option, value): change a socket option.",
            CallKind::GetSockOpt => {
                "getsockopt(level, option): read an option as the kernel applied it."
            }
            CallKind::SetBlocking => {
                "setblocking(flag): True = calls wait; False = calls fail at once with EWOULDBLOCK instead of waiting."
            }
            CallKind::SetTimeout => {
                "settimeout(seconds): calls wait at most that long, then fail with a timeout."
            }
        }
    }

    pub const fn direction(self) -> Direction {
        match self {
            CallKind::Send | CallKind::SendAll | CallKind::SendTo => Direction::Out,
            CallKind::Recv | CallKind::RecvFrom => Direction::In,
            _ => Direction::Control,
        }
    }

    /// Calls that wait for the peer or the network (and so can block, time out, be cancelled).
    pub const fn can_block(self) -> bool {
        matches!(
            self,
            CallKind::Accept
                | CallKind::Connect
                | CallKind::Send
                | CallKind::SendAll
                | CallKind::SendTo
                | CallKind::Recv
                | CallKind::RecvFrom
        )
    }
}

impl std::fmt::Display for CallKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_sorted_and_found_again() {
        let mut by_order = CallKind::ALL;
        by_order.sort();
        let names: Vec<&str> = by_order.iter().map(|kind| kind.name()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(
            names, sorted,
            "declaration order is alphabetical, no duplicates"
        );
        for kind in CallKind::ALL {
            assert_eq!(CallKind::from_name(kind.name()), Some(kind));
            assert!(kind.tooltip().starts_with(kind.name()), "{kind}");
        }
        assert_eq!(CallKind::from_name("kernel"), None);
    }
}
