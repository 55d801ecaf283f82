//! Results explained for the call and the socket that produced them: the same errno means
//! different things from connect() and from accept(), on TCP and on UDP; b'' is not always the
//! peer closing; and what woke a call depends on what it returned. The errno table
//! ([`super::errno`]) holds the general sentence; this module picks the one that fits.

use super::command::{AddrArg, Call, Family, SockType};
use super::errno;
use super::event::{CallContext, CancelReason, Outcome, Value, WokenBy};
use crate::i18n::Lang;
use crate::t;
use std::net::Ipv6Addr;

/// An errno explained for one call: a plain sentence and, where there is one, the usual fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub text: String,
    pub fix: Option<String>,
}

impl Explanation {
    fn new(text: String, fix: String) -> Explanation {
        Explanation {
            text,
            fix: Some(fix),
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
/// beyond the call, the general explanation is used), in `lang`.
pub fn errno_in(lang: Lang, code: i32, call: &Call, context: Option<&CallContext>) -> Explanation {
    let general = Explanation {
        text: errno::explanation_in(lang, code),
        fix: errno::fix_in(lang, code),
    };
    let family = context.map(|c| c.family);
    let sock_type = context.map(|c| c.sock_type);
    let is = |wanted: &[i32]| wanted.contains(&code);
    if is(&[libc::ECONNABORTED]) && matches!(call, Call::Connect(_)) {
        return Explanation::new(
            t!(lang, "explain-econnaborted-connect"),
            t!(lang, "explain-econnaborted-connect-fix"),
        );
    }
    if is(&[libc::ECONNREFUSED]) {
        match (family, sock_type) {
            (Some(Family::Unix), Some(SockType::Datagram)) => {
                return Explanation::new(
                    t!(lang, "explain-econnrefused-unix-dgram"),
                    t!(lang, "explain-econnrefused-unix-dgram-fix"),
                );
            }
            (Some(Family::Unix), _) => {
                return Explanation::new(
                    t!(lang, "explain-econnrefused-unix-stream"),
                    t!(lang, "explain-econnrefused-unix-stream-fix"),
                );
            }
            (Some(_), Some(SockType::Datagram)) => {
                return Explanation::new(
                    t!(lang, "explain-econnrefused-udp"),
                    t!(lang, "explain-econnrefused-udp-fix"),
                );
            }
            _ => {}
        }
    }
    if is(&[libc::EADDRINUSE]) {
        if family == Some(Family::Unix) {
            return Explanation::new(
                t!(lang, "explain-eaddrinuse-unix"),
                t!(lang, "explain-eaddrinuse-unix-fix"),
            );
        }
        if context.is_some_and(|c| c.reuse_addr) {
            return Explanation::new(
                t!(lang, "explain-eaddrinuse-reuseaddr"),
                t!(lang, "explain-eaddrinuse-reuseaddr-fix"),
            );
        }
    }
    if is(&[libc::ENETUNREACH])
        && context.is_some_and(|c| c.v6only)
        && let Some(target) = mapped_target(call)
    {
        return Explanation::new(
            t!(lang, "explain-enetunreach-v6only", target = target),
            t!(lang, "explain-enetunreach-v6only-fix"),
        );
    }
    if is(&[libc::EPIPE]) && context.is_some_and(|c| c.write_shut) {
        return Explanation::new(
            t!(lang, "explain-epipe-write-shut"),
            t!(lang, "explain-epipe-write-shut-fix"),
        );
    }
    if is(&[libc::EDESTADDRREQ, libc::ENOTCONN])
        && sock_type == Some(SockType::Datagram)
        && matches!(call, Call::Send { .. } | Call::SendAll { .. })
    {
        return Explanation::new(
            t!(lang, "explain-no-default-destination"),
            t!(lang, "explain-no-default-destination-fix"),
        );
    }
    if is(&[libc::EBADF]) {
        return Explanation::new(
            t!(lang, "explain-ebadf-closed"),
            t!(lang, "explain-ebadf-closed-fix"),
        );
    }
    general
}

/// Which of the four meanings an empty receive has (see [`empty_recv_in`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum EmptyRecv {
    AskedForNothing,
    EmptyDatagram,
    OwnReadSideShut,
    PeerClosed,
}

fn empty_recv_kind(call: &Call, context: Option<&CallContext>) -> EmptyRecv {
    if matches!(
        call,
        Call::Recv { bufsize: 0, .. } | Call::RecvFrom { bufsize: 0, .. }
    ) {
        return EmptyRecv::AskedForNothing;
    }
    if context.is_some_and(|c| c.sock_type == SockType::Datagram) {
        return EmptyRecv::EmptyDatagram;
    }
    if context.is_some_and(|c| c.read_shut) {
        return EmptyRecv::OwnReadSideShut;
    }
    EmptyRecv::PeerClosed
}

/// What an empty result (b'') of a receive means for this call and socket, in `lang`.
pub fn empty_recv_in(lang: Lang, call: &Call, context: Option<&CallContext>) -> String {
    match empty_recv_kind(call, context) {
        EmptyRecv::AskedForNothing => t!(lang, "explain-empty-recv-zero"),
        EmptyRecv::EmptyDatagram => t!(lang, "explain-empty-recv-datagram"),
        EmptyRecv::OwnReadSideShut => t!(lang, "explain-empty-recv-read-shut"),
        EmptyRecv::PeerClosed => t!(lang, "explain-empty-recv-eof"),
    }
}

/// A datagram call that succeeded, but nothing on this machine is bound where it went
/// ([`CallContext::nothing_bound_at_destination`]), in `lang`; None otherwise.
pub fn nothing_bound_in(lang: Lang, call: &Call, context: Option<&CallContext>) -> Option<String> {
    if !context.is_some_and(|context| context.nothing_bound_at_destination) {
        return None;
    }
    match call {
        Call::Connect(addr) => Some(t!(
            lang,
            "explain-nothing-bound-connect",
            destination = addr.to_string()
        )),
        Call::SendTo { addr, .. } => Some(t!(
            lang,
            "explain-nothing-bound-sendto",
            destination = addr.to_string()
        )),
        _ => None,
    }
}

/// What ended a call's wait, as [`woken_in`] words it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Woken {
    TimeoutOnClosed,
    ReadyButClosed,
    Connected,
    Refused,
    GaveUp,
    Accepted,
    Reset,
    ReadSideClosed,
    Data,
    Room,
    /// Nothing more particular: what woke it, as [`WokenBy::label_in`] says.
    Plain(WokenBy),
}

fn woken_kind(call: &Call, woken_by: WokenBy, outcome: &Outcome) -> Woken {
    let errno = match outcome {
        Outcome::Errno(code) => Some(*code),
        _ => None,
    };
    let empty = matches!(outcome, Outcome::Ok(Value::Bytes(0)));
    let reset = matches!(errno, Some(libc::ECONNRESET | libc::EPIPE));
    match (call, woken_by) {
        (_, WokenBy::Timeout) if errno == Some(libc::EBADF) => Woken::TimeoutOnClosed,
        (_, WokenBy::Readable | WokenBy::HangupOrError | WokenBy::Writable)
            if errno == Some(libc::EBADF) =>
        {
            Woken::ReadyButClosed
        }
        (Call::Connect(_), WokenBy::Writable) if errno.is_none() => Woken::Connected,
        (Call::Connect(_), _) if errno == Some(libc::ECONNREFUSED) => Woken::Refused,
        (Call::Connect(_), _) if errno == Some(libc::ETIMEDOUT) => Woken::GaveUp,
        (Call::Accept, WokenBy::Readable) => Woken::Accepted,
        (Call::Recv { .. } | Call::RecvFrom { .. }, _) if reset => Woken::Reset,
        (Call::Recv { .. } | Call::RecvFrom { .. }, WokenBy::Readable | WokenBy::HangupOrError)
            if empty =>
        {
            Woken::ReadSideClosed
        }
        (Call::Recv { .. } | Call::RecvFrom { .. }, WokenBy::Readable) => Woken::Data,
        (Call::Send { .. } | Call::SendAll { .. } | Call::SendTo { .. }, _) if reset => {
            Woken::Reset
        }
        (Call::Send { .. } | Call::SendAll { .. } | Call::SendTo { .. }, WokenBy::Writable) => {
            Woken::Room
        }
        (_, other) => Woken::Plain(other),
    }
}

/// What ended a call's wait, in words in `lang` that fit the call and what it returned.
pub fn woken_in(lang: Lang, call: &Call, woken_by: WokenBy, outcome: &Outcome) -> String {
    match woken_kind(call, woken_by, outcome) {
        Woken::TimeoutOnClosed => t!(lang, "explain-woken-timeout-closed"),
        Woken::ReadyButClosed => t!(lang, "explain-woken-ready-closed"),
        Woken::Connected => t!(lang, "explain-woken-connected"),
        Woken::Refused => t!(lang, "explain-woken-refused"),
        Woken::GaveUp => t!(lang, "explain-woken-gave-up"),
        Woken::Accepted => t!(lang, "explain-woken-accepted"),
        Woken::Reset => t!(lang, "explain-woken-reset"),
        Woken::ReadSideClosed => t!(lang, "explain-woken-read-closed"),
        Woken::Data => t!(lang, "explain-woken-data"),
        Woken::Room => t!(lang, "explain-woken-room"),
        Woken::Plain(other) => other.label_in(lang),
    }
}

/// A call the workbench ended, said plainly, with what a Python program would see instead,
/// in `lang`.
pub fn cancelled_in(lang: Lang, reason: CancelReason, call: &Call) -> String {
    match reason {
        CancelReason::User => t!(lang, "explain-cancelled-by-user", call = call.name()),
        CancelReason::Closed => t!(lang, "explain-cancelled-by-close-all", call = call.name()),
    }
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
            let explained = errno_in(Lang::En, row.code, &row.call, Some(&row.context));
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
            let text = empty_recv_in(Lang::En, &call, Some(&context));
            assert!(text.contains(says), "{}: {text}", call.text());
        }
        assert!(!empty_recv_in(Lang::En, &recv(10), Some(&shut)).contains("peer closed"));
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
            let text = woken_in(Lang::En, &call, woken_by, &outcome);
            assert!(
                text.contains(says),
                "{} {woken_by:?} {outcome:?}: {text}",
                call.text()
            );
        }
    }

    /// Calls of every kind, for the tests that go through every case.
    fn every_kind_of_call() -> Vec<Call> {
        vec![
            Call::Bind(AddrArg::inet("127.0.0.1", 5000)),
            Call::Listen { backlog: 5 },
            Call::Accept,
            Call::Connect(AddrArg::inet("127.0.0.1", 5000)),
            Call::Connect(AddrArg::Path("/tmp/x".into())),
            Call::Send { data: vec![1] },
            Call::SendAll { data: vec![1] },
            Call::SendTo {
                data: vec![1],
                addr: AddrArg::inet("127.0.0.1", 5000),
            },
            recv(0),
            recv(10),
            Call::RecvFrom {
                bufsize: 0,
                flags: RecvFlags::default(),
            },
            Call::RecvFrom {
                bufsize: 10,
                flags: RecvFlags::default(),
            },
            Call::Shutdown(crate::engine::command::ShutdownHow::Write),
            Call::Close,
            Call::GetOpt {
                name: "SO_ERROR".into(),
            },
            Call::SetBlocking(false),
            Call::SetTimeout(Some(1000)),
            Call::GetSockName,
            Call::GetPeerName,
        ]
    }

    fn every_kind_of_context() -> Vec<Option<CallContext>> {
        let mut contexts = vec![None];
        for family in [Family::Ipv4, Family::Ipv6, Family::Unix] {
            for sock_type in [SockType::Stream, SockType::Datagram] {
                let plain = context(family, sock_type);
                contexts.push(Some(plain));
                contexts.push(Some(CallContext {
                    read_shut: true,
                    write_shut: true,
                    ..plain
                }));
            }
        }
        contexts
    }

    /// What [`woken_in`] said in English before the catalogue: the English must not change.
    fn english_woken(kind: Woken) -> &'static str {
        match kind {
            Woken::TimeoutOnClosed => "the timeout, on a socket closed meanwhile",
            Woken::ReadyButClosed => "the socket became ready, but it had been closed meanwhile",
            Woken::Connected => "the connection was set up",
            Woken::Refused => "the peer refused the connection (RST)",
            Woken::GaveUp => "no answer: the kernel gave up retrying",
            Woken::Accepted => "a connection arrived",
            Woken::Reset => "the peer reset the connection (RST)",
            Woken::ReadSideClosed => {
                "the connection's reading side closed (FIN from the peer, or our own shutdown)"
            }
            Woken::Data => "data arrived",
            Woken::Room => "room appeared in the send buffer",
            Woken::Plain(other) => other.label(),
        }
    }

    /// What [`empty_recv_in`] said in English before the catalogue.
    fn english_empty_recv(kind: EmptyRecv) -> &'static str {
        match kind {
            EmptyRecv::AskedForNothing => "b'' at once: recv(0) asks for no bytes",
            EmptyRecv::EmptyDatagram => "an empty datagram (0 bytes; not end of file)",
            EmptyRecv::OwnReadSideShut => {
                "b'': this socket shut its own reading side (shutdown(SHUT_RD)); it says nothing \
                 about the peer"
            }
            EmptyRecv::PeerClosed => "b'': end of file, the peer closed its sending side",
        }
    }

    fn is_chinese(text: &str) -> bool {
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn woken_reads_as_before_in_english_in_every_case() {
        let woken_bys = [
            WokenBy::NoWait,
            WokenBy::Readable,
            WokenBy::Writable,
            WokenBy::HangupOrError,
            WokenBy::Timeout,
            WokenBy::Cancel,
            WokenBy::Close,
        ];
        let outcomes = [
            Outcome::Ok(Value::None),
            Outcome::Ok(Value::Int(1)),
            Outcome::Ok(Value::Bytes(0)),
            Outcome::Ok(Value::Bytes(4)),
            Outcome::Errno(libc::EBADF),
            Outcome::Errno(libc::ECONNREFUSED),
            Outcome::Errno(libc::ETIMEDOUT),
            Outcome::Errno(libc::ECONNRESET),
            Outcome::Errno(libc::EPIPE),
            Outcome::Errno(libc::EWOULDBLOCK),
            Outcome::TimedOut { timeout_ms: 1000 },
            Outcome::Cancelled(CancelReason::User),
            Outcome::Invalid("x".into()),
        ];
        let mut kinds = Vec::new();
        for call in every_kind_of_call() {
            for woken_by in woken_bys {
                for outcome in &outcomes {
                    let english = english_woken(woken_kind(&call, woken_by, outcome));
                    let what = format!("{} {woken_by:?} {outcome:?}", call.text());
                    assert_eq!(
                        woken_in(Lang::En, &call, woken_by, outcome),
                        english,
                        "{what}"
                    );
                    let chinese = woken_in(Lang::Zh, &call, woken_by, outcome);
                    assert!(is_chinese(&chinese), "{what}: {chinese}");
                    let kind = woken_kind(&call, woken_by, outcome);
                    if !kinds.contains(&kind) {
                        kinds.push(kind);
                    }
                }
            }
        }
        // Every wording was reached: 10 particular ones and the 7 plain labels.
        assert_eq!(kinds.len(), 17, "{kinds:?}");
    }

    #[test]
    fn an_empty_recv_reads_as_before_in_english_in_every_case() {
        let mut kinds = std::collections::HashSet::new();
        for call in every_kind_of_call() {
            for context in every_kind_of_context() {
                let english = english_empty_recv(empty_recv_kind(&call, context.as_ref()));
                let what = format!("{} {context:?}", call.text());
                assert_eq!(
                    empty_recv_in(Lang::En, &call, context.as_ref()),
                    english,
                    "{what}"
                );
                let chinese = empty_recv_in(Lang::Zh, &call, context.as_ref());
                assert!(is_chinese(&chinese), "{what}: {chinese}");
                kinds.insert(empty_recv_kind(&call, context.as_ref()));
            }
        }
        assert_eq!(kinds.len(), 4);
        let shut = CallContext {
            read_shut: true,
            ..context(Family::Ipv4, SockType::Stream)
        };
        let chinese = empty_recv_in(Lang::Zh, &recv(10), Some(&shut));
        assert!(chinese.contains("shutdown(SHUT_RD)"), "{chinese}");
    }

    #[test]
    fn errno_explanations_read_the_same_in_english_as_before() {
        let v6only = CallContext {
            v6only: true,
            ..context(Family::Ipv6, SockType::Stream)
        };
        let mapped = Call::Connect(AddrArg::inet("::ffff:127.0.0.1", 5000));
        assert_eq!(
            errno_in(Lang::En, libc::ENETUNREACH, &mapped, Some(&v6only)),
            Explanation {
                text: "This socket is IPv6-only (IPV6_V6ONLY = 1), so it cannot reach \
                       ::ffff:127.0.0.1: that is an IPv4 address written in IPv6 form, and IPv4 \
                       is another network to this socket."
                    .into(),
                fix: Some(
                    "Use an AF_INET socket for IPv4 peers, or an IPv6 socket without IPV6_V6ONLY."
                        .into()
                ),
            }
        );
        let tcp = context(Family::Ipv4, SockType::Stream);
        assert_eq!(
            errno_in(Lang::En, libc::EBADF, &recv(10), Some(&tcp)),
            Explanation {
                text: "This socket was closed (close()); its descriptor no longer exists, so no \
                       call can use it."
                    .into(),
                fix: Some("Create a new socket.".into()),
            }
        );
        // Without anything particular, the errno table's sentences.
        let general = errno_in(Lang::En, libc::ECONNRESET, &recv(10), Some(&tcp));
        assert_eq!(
            general.text,
            errno::explanation_in(Lang::En, libc::ECONNRESET)
        );
        assert_eq!(general.fix, errno::fix_in(Lang::En, libc::ECONNRESET));
    }

    #[test]
    fn errno_explanations_in_chinese() {
        for row in errno_rows() {
            let explained = errno_in(Lang::Zh, row.code, &row.call, Some(&row.context));
            let what = format!("{} from {}", errno::name(row.code), row.call.text());
            assert!(is_chinese(&explained.text), "{what}: {explained:?}");
            assert!(
                explained.fix.as_deref().is_some_and(is_chinese),
                "{what}: {explained:?}"
            );
            let english = errno_in(Lang::En, row.code, &row.call, Some(&row.context));
            assert_ne!(explained.text, english.text, "{what}");
        }
        let v6only = CallContext {
            v6only: true,
            ..context(Family::Ipv6, SockType::Stream)
        };
        let mapped = Call::Connect(AddrArg::inet("::ffff:127.0.0.1", 5000));
        let explained = errno_in(Lang::Zh, libc::ENETUNREACH, &mapped, Some(&v6only));
        assert!(explained.text.contains("::ffff:127.0.0.1"), "{explained:?}");
        assert!(explained.text.contains("IPV6_V6ONLY"), "{explained:?}");
    }

    #[test]
    fn a_datagram_that_went_nowhere_is_said_in_both_languages() {
        let nothing_there = CallContext {
            nothing_bound_at_destination: true,
            ..context(Family::Ipv4, SockType::Datagram)
        };
        let connect = Call::Connect(AddrArg::inet("127.0.0.1", 5000));
        let send_to = Call::SendTo {
            data: vec![1],
            addr: AddrArg::inet("127.0.0.1", 5000),
        };
        let destination = AddrArg::inet("127.0.0.1", 5000).to_string();
        assert_eq!(
            nothing_bound_in(Lang::En, &connect, Some(&nothing_there)),
            Some(format!(
                "Nothing on this machine is bound to {destination}: connect() on a UDP socket only \
                 sets where datagrams go, so it succeeds; what you send is dropped, and a later \
                 recv may fail with ECONNREFUSED."
            ))
        );
        assert_eq!(
            nothing_bound_in(Lang::En, &send_to, Some(&nothing_there)),
            Some(format!(
                "Nothing on this machine is bound to {destination}: the datagram was dropped, \
                 and UDP does not tell the sender. Bind a socket there first, or send to one that is."
            ))
        );
        for call in [&connect, &send_to] {
            let chinese =
                nothing_bound_in(Lang::Zh, call, Some(&nothing_there)).unwrap_or_default();
            assert!(
                chinese.contains(&destination) && is_chinese(&chinese),
                "{chinese}"
            );
        }
        assert_eq!(
            nothing_bound_in(Lang::Zh, &recv(10), Some(&nothing_there)),
            None
        );
        let udp = context(Family::Ipv4, SockType::Datagram);
        assert_eq!(nothing_bound_in(Lang::Zh, &send_to, Some(&udp)), None);
        assert_eq!(nothing_bound_in(Lang::Zh, &send_to, None), None);
    }

    #[test]
    fn cancelled_calls_in_both_languages() {
        assert_eq!(
            cancelled_in(Lang::En, CancelReason::User, &recv(10)),
            "cancelled by the workbench; in a Python program this recv() would still be waiting"
        );
        assert_eq!(
            cancelled_in(Lang::En, CancelReason::Closed, &Call::Accept),
            "ended by the workbench when it closed every socket; in a Python program this \
             accept() would still be waiting"
        );
        for reason in [CancelReason::User, CancelReason::Closed] {
            let chinese = cancelled_in(Lang::Zh, reason, &recv(10));
            assert!(
                chinese.contains("recv()") && is_chinese(&chinese),
                "{chinese}"
            );
        }
    }

    #[test]
    fn cancelled_calls_say_what_python_would_see() {
        let text = cancelled_in(Lang::En, CancelReason::User, &recv(10));
        assert!(text.contains("by the workbench"), "{text}");
        assert!(
            text.contains("in a Python program this recv() would still be waiting"),
            "{text}"
        );
        let text = cancelled_in(Lang::En, CancelReason::Closed, &Call::Accept);
        assert!(text.contains("accept() would still be waiting"), "{text}");
    }
}
