//! Results explained for the call and the socket that produced them: the same errno means
//! different things from connect() and from accept(), on TCP and on UDP; b'' is not always the
//! peer closing; and what woke a call depends on what it returned. The errno table
//! ([`super::errno`]) holds the general sentence; this module picks the one that fits.

use super::command::{AddrArg, Call, Family, SockType};
use super::errno;
use super::event::{CallContext, CancelReason, Outcome, Value, WokenBy};
use std::net::Ipv6Addr;

/// An errno explained for one call: a plain sentence and, where there is one, the usual fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub text: String,
    pub fix: Option<String>,
}

impl Explanation {
    fn new(text: &str, fix: &str) -> Explanation {
        Explanation {
            text: text.to_string(),
            fix: Some(fix.to_string()),
        }
    }
}

/// The IPv4-mapped address (`::ffff:a.b.c.d`) a call is aimed at, if it is one.
fn mapped_target(call: &Call) -> Option<String> {
    let (Call::Connect(AddrArg::Inet { host, .. })
    | Call::SendTo {
        addr: AddrArg::Inet { host, .. },
        ..
    }) = call
    else {
        return None;
    };
    let ip: Ipv6Addr = host.trim_matches(['[', ']']).parse().ok()?;
    ip.to_ipv4_mapped().map(|_| ip.to_string())
}

/// `code` as returned by `call` on a socket described by `context` (None: nothing known
/// beyond the call, the general explanation is used).
pub fn errno(code: i32, call: &Call, context: Option<&CallContext>) -> Explanation {
    let general = Explanation {
        text: errno::explanation(code).to_string(),
        fix: errno::fix(code).map(str::to_string),
    };
    let family = context.map(|c| c.family);
    let sock_type = context.map(|c| c.sock_type);
    let is = |wanted: &[i32]| wanted.contains(&code);
    if is(&[libc::ECONNABORTED]) && matches!(call, Call::Connect(_)) {
        return Explanation::new(
            "An earlier connect() on this socket failed and its error was already reported (or read with SO_ERROR); the kernel answers the next connect() with ECONNABORTED and resets the socket.",
            "Call connect() again: the socket can connect now.",
        );
    }
    if is(&[libc::ECONNREFUSED]) {
        match (family, sock_type) {
            (Some(Family::Unix), Some(SockType::Datagram)) => {
                return Explanation::new(
                    "The socket file exists, but no socket is bound to it any more (the program that bound it closed it).",
                    "Start the receiving program again, or remove the stale socket file.",
                );
            }
            (Some(Family::Unix), _) => {
                return Explanation::new(
                    "The socket file exists, but nothing listens on it (listen() was never called, or its program closed it).",
                    "Start the server (bind and listen) first; remove the stale socket file if its program is gone.",
                );
            }
            (Some(_), Some(SockType::Datagram)) => {
                return Explanation::new(
                    "A datagram sent earlier from this connected UDP socket reached a port where nothing is bound; the 'port unreachable' answer is reported on this later call.",
                    "Start the receiver first or check its port; the error is reported once, and later calls go on.",
                );
            }
            _ => {}
        }
    }
    if is(&[libc::EADDRINUSE]) {
        if family == Some(Family::Unix) {
            return Explanation::new(
                "A file already exists at that path: a socket file stays on disk after its socket is closed.",
                "Remove the old file first (os.unlink(path)) or choose another path.",
            );
        }
        if context.is_some_and(|c| c.reuse_addr) {
            return Explanation::new(
                "Another socket is bound to that port and still in use. SO_REUSEADDR (already set here) only lets bind() reuse a port whose old connections wait in TIME_WAIT, not one a socket is bound to or listens on.",
                "Stop the other program or close the other socket, or choose another port (port 0 lets the kernel pick); two listeners on one port need SO_REUSEPORT on both.",
            );
        }
    }
    if is(&[libc::ENETUNREACH])
        && context.is_some_and(|c| c.v6only)
        && let Some(target) = mapped_target(call)
    {
        return Explanation {
            text: format!(
                "This socket is IPv6-only (IPV6_V6ONLY = 1), so it cannot reach {target}: that is an IPv4 address written in IPv6 form, and IPv4 is another network to this socket."
            ),
            fix: Some(
                "Use an AF_INET socket for IPv4 peers, or an IPv6 socket without IPV6_V6ONLY."
                    .to_string(),
            ),
        };
    }
    if is(&[libc::EPIPE]) && context.is_some_and(|c| c.write_shut) {
        return Explanation::new(
            "This socket shut its own sending side with shutdown(SHUT_WR); nothing more can be sent on it.",
            "Send everything before shutdown(SHUT_WR).",
        );
    }
    if is(&[libc::EDESTADDRREQ, libc::ENOTCONN])
        && sock_type == Some(SockType::Datagram)
        && matches!(call, Call::Send { .. } | Call::SendAll { .. })
    {
        return Explanation::new(
            "This datagram socket has no default destination: send() works only after connect().",
            "Use sendto(data, address), or connect() the socket to its peer first.",
        );
    }
    if is(&[libc::EBADF]) {
        return Explanation::new(
            "This socket was closed (close()); its descriptor no longer exists, so no call can use it.",
            "Create a new socket.",
        );
    }
    general
}

/// What an empty result (b'') of a receive means for this call and socket.
pub fn empty_recv(call: &Call, context: Option<&CallContext>) -> &'static str {
    if matches!(
        call,
        Call::Recv { bufsize: 0, .. } | Call::RecvFrom { bufsize: 0, .. }
    ) {
        return "b'' at once: recv(0) asks for no bytes";
    }
    if context.is_some_and(|c| c.sock_type == SockType::Datagram) {
        return "an empty datagram (0 bytes; not end of file)";
    }
    if context.is_some_and(|c| c.read_shut) {
        return "b'': this socket shut its own reading side (shutdown(SHUT_RD)); it says nothing about the peer";
    }
    "b'': end of file, the peer closed its sending side"
}

/// What ended a call's wait, in words that fit the call and what it returned.
/// A datagram call that succeeded, but nothing on this machine is bound where it went
/// ([`CallContext::nothing_bound_at_destination`]); None otherwise.
pub fn nothing_bound(call: &Call, context: Option<&CallContext>) -> Option<String> {
    if !context.is_some_and(|context| context.nothing_bound_at_destination) {
        return None;
    }
    let destination = match call {
        Call::SendTo { addr, .. } | Call::Connect(addr) => addr.to_string(),
        _ => return None,
    };
    Some(match call {
        Call::Connect(_) => format!(
            "Nothing on this machine is bound to {destination}: connect() on a UDP socket only \
             sets where datagrams go, so it succeeds; what you send is dropped, and a later \
             recv may fail with ECONNREFUSED."
        ),
        _ => format!(
            "Nothing on this machine is bound to {destination}: the datagram was dropped, \
             and UDP does not tell the sender. Bind a socket there first, or send to one that is."
        ),
    })
}

pub fn woken(call: &Call, woken_by: WokenBy, outcome: &Outcome) -> &'static str {
    let errno = match outcome {
        Outcome::Errno(code) => Some(*code),
        _ => None,
    };
    let empty = matches!(outcome, Outcome::Ok(Value::Bytes(0)));
    let reset = matches!(errno, Some(libc::ECONNRESET | libc::EPIPE));
    match (call, woken_by) {
        (_, WokenBy::Timeout) if errno == Some(libc::EBADF) => {
            "the timeout, on a socket closed meanwhile"
        }
        (_, WokenBy::Readable | WokenBy::HangupOrError | WokenBy::Writable)
            if errno == Some(libc::EBADF) =>
        {
            "the socket became ready, but it had been closed meanwhile"
        }
        (Call::Connect(_), WokenBy::Writable) if errno.is_none() => "the connection was set up",
        (Call::Connect(_), _) if errno == Some(libc::ECONNREFUSED) => {
            "the peer refused the connection (RST)"
        }
        (Call::Connect(_), _) if errno == Some(libc::ETIMEDOUT) => {
            "no answer: the kernel gave up retrying"
        }
        (Call::Accept, WokenBy::Readable) => "a connection arrived",
        (Call::Recv { .. } | Call::RecvFrom { .. }, _) if reset => {
            "the peer reset the connection (RST)"
        }
        (Call::Recv { .. } | Call::RecvFrom { .. }, WokenBy::Readable | WokenBy::HangupOrError)
            if empty =>
        {
            "the connection's reading side closed (FIN from the peer, or our own shutdown)"
        }
        (Call::Recv { .. } | Call::RecvFrom { .. }, WokenBy::Readable) => "data arrived",
        (Call::Send { .. } | Call::SendAll { .. } | Call::SendTo { .. }, _) if reset => {
            "the peer reset the connection (RST)"
        }
        (Call::Send { .. } | Call::SendAll { .. } | Call::SendTo { .. }, WokenBy::Writable) => {
            "room appeared in the send buffer"
        }
        (_, other) => other.label(),
    }
}

/// A call the workbench ended, said plainly, with what a Python program would see instead.
pub fn cancelled(reason: CancelReason, call: &Call) -> String {
    let by = match reason {
        CancelReason::User => "cancelled by the workbench",
        CancelReason::Closed => "ended by the workbench when it closed every socket",
    };
    format!(
        "{by}; in a Python program this {}() would still be waiting",
        call.name()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::RecvFlags;

    fn context(family: Family, sock_type: SockType) -> CallContext {
        CallContext {
            family,
            sock_type,
            reuse_addr: false,
            v6only: false,
            read_shut: false,
            write_shut: false,
            nothing_bound_at_destination: false,
        }
    }

    fn recv(bufsize: usize) -> Call {
        Call::Recv {
            bufsize,
            flags: RecvFlags::default(),
        }
    }

    /// One row: the errno, the call, the socket, and words the explanation must (and must
    /// not) contain.
    struct Row {
        code: i32,
        call: Call,
        context: CallContext,
        says: &'static str,
        fix_says: &'static str,
        fix_never: &'static str,
    }

    #[test]
    fn errno_explanations_fit_the_call_and_the_socket() {
        for row in errno_rows() {
            let explained = errno(row.code, &row.call, Some(&row.context));
            let fix = explained.fix.clone().unwrap_or_default();
            let what = format!(
                "{} from {} on {:?}",
                errno::name(row.code),
                row.call.text(),
                row.context
            );
            assert!(explained.text.contains(row.says), "{what}: {explained:?}");
            assert!(fix.contains(row.fix_says), "{what}: fix {fix:?}");
            assert!(!fix.contains(row.fix_never), "{what}: fix {fix:?}");
        }
    }

    /// Each errno, for a call and a socket, and what its explanation and fix must (not) say.
    fn errno_rows() -> Vec<Row> {
        let tcp = context(Family::Ipv4, SockType::Stream);
        let udp = context(Family::Ipv4, SockType::Datagram);
        let unix_stream = context(Family::Unix, SockType::Stream);
        let unix_dgram = context(Family::Unix, SockType::Datagram);
        let reuse = CallContext {
            reuse_addr: true,
            ..tcp
        };
        let v6only = CallContext {
            v6only: true,
            ..context(Family::Ipv6, SockType::Stream)
        };
        let shut_wr = CallContext {
            write_shut: true,
            ..tcp
        };
        let connect = Call::Connect(AddrArg::inet("127.0.0.1", 5000));
        let mapped = Call::Connect(AddrArg::inet("::ffff:127.0.0.1", 5000));
        let bind = Call::Bind(AddrArg::inet("127.0.0.1", 5000));
        let send = Call::Send { data: vec![1] };
        vec![
            Row {
                code: libc::ECONNABORTED,
                call: connect.clone(),
                context: tcp,
                says: "earlier connect()",
                fix_says: "connect() again",
                fix_never: "accept",
            },
            Row {
                code: libc::ECONNABORTED,
                call: Call::Accept,
                context: tcp,
                says: "before accept()",
                fix_says: "accept() again",
                fix_never: "connect",
            },
            Row {
                code: libc::ECONNREFUSED,
                call: connect.clone(),
                context: tcp,
                says: "Nothing is listening",
                fix_says: "Start the server",
                fix_never: "socket file",
            },
            Row {
                code: libc::ECONNREFUSED,
                call: recv(10),
                context: udp,
                says: "port unreachable",
                fix_says: "receiver",
                fix_never: "listen",
            },
            Row {
                code: libc::ECONNREFUSED,
                call: Call::SendTo {
                    data: vec![1],
                    addr: AddrArg::Path("/tmp/x".into()),
                },
                context: unix_dgram,
                says: "no socket is bound",
                fix_says: "stale socket file",
                fix_never: "port",
            },
            Row {
                code: libc::ECONNREFUSED,
                call: Call::Connect(AddrArg::Path("/tmp/x".into())),
                context: unix_stream,
                says: "nothing listens",
                fix_says: "bind and listen",
                fix_never: "port",
            },
            Row {
                code: libc::EADDRINUSE,
                call: bind.clone(),
                context: tcp,
                says: "already bound",
                fix_says: "SO_REUSEADDR",
                fix_never: "os.unlink",
            },
            Row {
                code: libc::EADDRINUSE,
                call: bind.clone(),
                context: reuse,
                says: "already set here",
                fix_says: "another port",
                fix_never: "Set SO_REUSEADDR",
            },
            Row {
                code: libc::EADDRINUSE,
                call: Call::Bind(AddrArg::Path("/tmp/x".into())),
                context: unix_stream,
                says: "socket file stays",
                fix_says: "os.unlink",
                fix_never: "SO_REUSEADDR",
            },
            Row {
                code: libc::ENETUNREACH,
                call: mapped.clone(),
                context: v6only,
                says: "IPv6-only",
                fix_says: "AF_INET socket",
                fix_never: "ip route",
            },
            Row {
                code: libc::ENETUNREACH,
                call: mapped,
                context: context(Family::Ipv6, SockType::Stream),
                says: "no route",
                fix_says: "ip route",
                fix_never: "IPV6_V6ONLY",
            },
            Row {
                code: libc::EPIPE,
                call: send.clone(),
                context: shut_wr,
                says: "its own sending side",
                fix_says: "before shutdown",
                fix_never: "reconnect",
            },
            Row {
                code: libc::EDESTADDRREQ,
                call: send,
                context: udp,
                says: "no default destination",
                fix_says: "sendto",
                fix_never: "listen",
            },
            Row {
                code: libc::EBADF,
                call: recv(10),
                context: tcp,
                says: "was closed",
                fix_says: "new socket",
                fix_never: "SO_REUSEADDR",
            },
        ]
    }

    #[test]
    fn an_empty_recv_says_why_it_is_empty() {
        let tcp = context(Family::Ipv4, SockType::Stream);
        let shut = CallContext {
            read_shut: true,
            ..tcp
        };
        let rows = [
            (recv(0), tcp, "recv(0)"),
            (recv(10), tcp, "the peer closed"),
            (recv(10), shut, "its own reading side"),
            (
                recv(10),
                context(Family::Ipv4, SockType::Datagram),
                "empty datagram",
            ),
        ];
        for (call, context, says) in rows {
            let text = empty_recv(&call, Some(&context));
            assert!(text.contains(says), "{}: {text}", call.text());
        }
        assert!(!empty_recv(&recv(10), Some(&shut)).contains("peer closed"));
    }

    #[test]
    fn woken_by_names_what_happened() {
        let connect = Call::Connect(AddrArg::inet("127.0.0.1", 1));
        let rows = [
            (
                connect.clone(),
                WokenBy::HangupOrError,
                Outcome::Errno(libc::ECONNREFUSED),
                "refused",
            ),
            (
                connect,
                WokenBy::Writable,
                Outcome::Ok(Value::None),
                "set up",
            ),
            (
                Call::Accept,
                WokenBy::Readable,
                Outcome::Ok(Value::None),
                "connection arrived",
            ),
            (
                recv(10),
                WokenBy::Readable,
                Outcome::Ok(Value::Bytes(0)),
                "reading side closed",
            ),
            (
                recv(10),
                WokenBy::Readable,
                Outcome::Ok(Value::Bytes(4)),
                "data arrived",
            ),
            (
                recv(10),
                WokenBy::HangupOrError,
                Outcome::Errno(libc::ECONNRESET),
                "reset",
            ),
            (
                recv(10),
                WokenBy::Readable,
                Outcome::Errno(libc::EBADF),
                "closed meanwhile",
            ),
            (
                Call::Send { data: vec![1] },
                WokenBy::Writable,
                Outcome::Ok(Value::Int(1)),
                "room appeared",
            ),
        ];
        for (call, woken_by, outcome, says) in rows {
            let text = woken(&call, woken_by, &outcome);
            assert!(
                text.contains(says),
                "{} {woken_by:?} {outcome:?}: {text}",
                call.text()
            );
        }
    }

    #[test]
    fn cancelled_calls_say_what_python_would_see() {
        let text = cancelled(CancelReason::User, &recv(10));
        assert!(text.contains("by the workbench"), "{text}");
        assert!(
            text.contains("in a Python program this recv() would still be waiting"),
            "{text}"
        );
        let text = cancelled(CancelReason::Closed, &Call::Accept);
        assert!(text.contains("accept() would still be waiting"), "{text}");
    }
}
