//! Which socket call a call is, apart from its arguments: its Python name, what it does in one
//! line, which way its bytes go and whether it can wait. The session keys results by it, and
//! the forms, the table, the timeline, the Python export and the script parser all name calls
//! through it.

use crate::i18n::Lang;
use crate::t;
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

    /// What the call does, in one or two sentences in `lang` (the call buttons' tooltips);
    /// the call itself is written as Python writes it.
    pub fn tooltip(self, lang: Lang) -> String {
        match self {
            CallKind::Bind => t!(lang, "callkind-bind-tip"),
            CallKind::Listen => t!(lang, "callkind-listen-tip"),
            CallKind::Accept => t!(lang, "callkind-accept-tip"),
            CallKind::Connect => t!(lang, "callkind-connect-tip"),
            CallKind::Send => t!(lang, "callkind-send-tip"),
            CallKind::SendAll => t!(lang, "callkind-sendall-tip"),
            CallKind::SendTo => t!(lang, "callkind-sendto-tip"),
            CallKind::Recv => t!(lang, "callkind-recv-tip"),
            CallKind::RecvFrom => t!(lang, "callkind-recvfrom-tip"),
            CallKind::Shutdown => t!(lang, "callkind-shutdown-tip"),
            CallKind::Close => t!(lang, "callkind-close-tip"),
            CallKind::GetSockName => t!(lang, "callkind-getsockname-tip"),
            CallKind::GetPeerName => t!(lang, "callkind-getpeername-tip"),
            CallKind::SetSockOpt => t!(lang, "callkind-setsockopt-tip"),
            CallKind::GetSockOpt => t!(lang, "callkind-getsockopt-tip"),
            CallKind::SetBlocking => t!(lang, "callkind-setblocking-tip"),
            CallKind::SetTimeout => t!(lang, "callkind-settimeout-tip"),
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
            for lang in Lang::ALL {
                let tooltip = kind.tooltip(lang);
                assert!(tooltip.starts_with(kind.name()), "{lang} {kind}: {tooltip}");
            }
        }
        assert_eq!(CallKind::from_name("kernel"), None);
    }
}
