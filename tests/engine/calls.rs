//! Engine tests on real sockets (127.0.0.1 and ::1, port 0). Every wait is bounded, so a test
//! fails instead of hanging.

use socket_workbench::engine::{
    AddrArg, Automation, Call, Event, Family, Flood, OptValue, RecvFlags, Responder, ShutdownHow,
    SockType, SocketAddress, Value, WokenBy, errno,
};
use socket_workbench::engine::{CancelReason, Returned};
use socket_workbench::engine::{Lifecycle, Outcome};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

use crate::common::{Bench, WAIT, loopback, socket_addr};

fn recv(bufsize: usize) -> Call {
    Call::Recv {
        bufsize,
        flags: RecvFlags::default(),
    }
}

fn send(data: &[u8]) -> Call {
    Call::Send {
        data: data.to_vec(),
    }
}

fn data_of(returned: &Returned) -> Vec<u8> {
    returned.data.clone().unwrap_or_default()
}

fn errno_name(returned: &Returned) -> &'static str {
    returned.outcome.errno_name().unwrap_or("(no errno)")
}

fn wait_until(limit: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if condition() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    condition()
}

/// Runs a test body for IPv4 and IPv6.
macro_rules! both_families {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[test]
            fn ipv4() {
                ($body)(Family::Ipv4);
            }
            #[test]
            fn ipv6() {
                ($body)(Family::Ipv6);
            }
        }
    };
}

both_families!(three_sends_merge_into_one_recv, |family| {
    let mut bench = Bench::new();
    let (client, server, _) = bench.pair(family);
    for word in [b"one ".as_slice(), b"two ", b"three"] {
        assert_eq!(bench.ok(client, send(word)), Value::Int(word.len() as i64));
    }
    // Let all three segments arrive before the one recv.
    assert!(wait_until(WAIT, || bench.snapshot(server).rx_queue == Some(13)));
    let got = bench.call(server, recv(1024));
    assert_eq!(data_of(&got), b"one two three");
});

both_families!(recv_smaller_than_waiting_takes_only_n_bytes, |family| {
    let mut bench = Bench::new();
    let (client, server, _) = bench.pair(family);
    bench.ok(client, send(b"0123456789"));
    assert_eq!(data_of(&bench.call(server, recv(4))), b"0123");
    assert_eq!(data_of(&bench.call(server, recv(4))), b"4567");
    assert_eq!(data_of(&bench.call(server, recv(4))), b"89");
});

both_families!(
    udp_keeps_boundaries_and_truncates_long_datagrams,
    |family| {
        let mut bench = Bench::new();
        let receiver = bench.socket(family, SockType::Datagram);
        bench.ok(receiver, Call::Bind(loopback(family)));
        let address = bench.local(receiver);
        let sender = bench.socket(family, SockType::Datagram);
        for datagram in [b"first".as_slice(), b"second", b"a longer third datagram"] {
            bench.ok(
                sender,
                Call::SendTo {
                    data: datagram.to_vec(),
                    addr: address.clone(),
                },
            );
        }
        let sender_address = bench.local(sender);
        let recvfrom = |bufsize| Call::RecvFrom {
            bufsize,
            flags: RecvFlags::default(),
        };
        let first = bench.call(receiver, recvfrom(1024));
        assert_eq!(data_of(&first), b"first");
        let AddrArg::Inet { port, .. } = sender_address else {
            unreachable!()
        };
        assert!(
            first
                .from
                .as_ref()
                .and_then(SocketAddress::port)
                .map(u32::from)
                == Some(port),
            "source {:?} should name the sender's port {port}",
            first.from
        );
        assert_eq!(data_of(&bench.call(receiver, recvfrom(1024))), b"second");
        let third = bench.call(receiver, recvfrom(8));
        assert_eq!(data_of(&third), b"a longer");
        assert_eq!(
            third.truncated_from,
            Some(23),
            "the real length is reported"
        );
        // The rest of a truncated datagram is gone: nothing more waits.
        bench.ok(receiver, Call::SetBlocking(false));
        assert_eq!(
            errno_name(&bench.call(receiver, recvfrom(1024))),
            "EWOULDBLOCK"
        );
    }
);

#[test]
fn partial_send_with_small_sndbuf_then_sendall_blocks_until_peer_reads() {
    let mut bench = Bench::new();
    let (client, server, _) = bench.pair(Family::Ipv4);
    bench.ok(
        client,
        Call::SetOpt {
            name: "SO_SNDBUF".into(),
            value: OptValue::Int(4096),
        },
    );
    // Python's send() in timeout mode: wait for room, then one send that may take only part.
    bench.ok(client, Call::SetTimeout(Some(500)));
    let big = vec![b'x'; 4 * 1024 * 1024];
    let first = bench.call(client, send(&big));
    let Outcome::Ok(Value::Int(sent)) = first.outcome else {
        panic!("send gave {}", first.outcome);
    };
    assert!(
        sent > 0 && (sent as usize) < big.len(),
        "send must be partial, sent {sent}"
    );
    // Now the buffers are full: sendall of the rest blocks while nobody reads.
    bench.ok(client, Call::SetTimeout(None));
    let rest = big[sent as usize..].to_vec();
    let sendall = bench.start(client, Call::SendAll { data: rest.clone() });
    assert!(bench.still_pending(sendall, Duration::from_millis(300)));
    // The reader drains everything; sendall then completes.
    let mut received = 0usize;
    let deadline = Instant::now() + Duration::from_secs(20);
    while received < big.len() && Instant::now() < deadline {
        received += data_of(&bench.call(server, recv(1 << 20))).len();
    }
    assert_eq!(received, big.len());
    let done = bench.wait(sendall, WAIT).expect("sendall returns");
    assert_eq!(done.outcome, Outcome::Ok(Value::None));
    assert_eq!(done.bytes_moved, rest.len());
    assert!(
        done.duration_us >= 300_000,
        "sendall blocked {} us",
        done.duration_us
    );
}

both_families!(recv_returns_empty_after_orderly_close, |family| {
    let mut bench = Bench::new();
    let (client, server, _) = bench.pair(family);
    let pending = bench.start(server, recv(1024));
    assert!(bench.still_pending(pending, Duration::from_millis(100)));
    bench.ok(client, Call::Close);
    let eof = bench.wait(pending, WAIT).expect("recv returns on close");
    assert_eq!(eof.outcome, Outcome::Ok(Value::Bytes(0)));
    assert_eq!(bench.state(server), Some(Lifecycle::PeerClosed));
});

#[test]
fn recv_fails_with_econnreset_after_linger_zero_close() {
    let mut bench = Bench::new();
    let (client, server, _) = bench.pair(Family::Ipv4);
    bench.ok(
        client,
        Call::SetOpt {
            name: "SO_LINGER".into(),
            value: OptValue::Linger(Some(0)),
        },
    );
    let pending = bench.start(server, recv(1024));
    bench.ok(client, Call::Close);
    let reset = bench.wait(pending, WAIT).expect("recv returns on RST");
    assert_eq!(errno_name(&reset), "ECONNRESET");
    assert_eq!(bench.state(server), Some(Lifecycle::Error));
}

both_families!(non_blocking_recv_and_accept_give_ewouldblock, |family| {
    let mut bench = Bench::new();
    let (client, server, listener) = bench.pair(family);
    bench.ok(server, Call::SetBlocking(false));
    bench.ok(listener, Call::SetBlocking(false));
    let recv_result = bench.call(server, recv(10));
    assert_eq!(errno_name(&recv_result), "EWOULDBLOCK");
    assert!(recv_result.duration_us < 100_000);
    assert_eq!(
        errno_name(&bench.call(listener, Call::Accept)),
        "EWOULDBLOCK"
    );
    bench.ok(client, send(b"hi"));
    assert!(wait_until(WAIT, || bench.snapshot(server).rx_queue == Some(2)));
    assert_eq!(data_of(&bench.call(server, recv(10))), b"hi");
    // A non-blocking connect reports EINPROGRESS or completes at once on loopback.
    let (_, address) = bench.listener(family, 5);
    let other = bench.socket(family, SockType::Stream);
    bench.ok(other, Call::SetBlocking(false));
    let connect = bench.call(other, Call::Connect(address));
    assert!(
        matches!(connect.outcome, Outcome::Ok(_)) || errno_name(&connect) == "EINPROGRESS",
        "connect gave {}",
        connect.outcome
    );
});

#[test]
fn recv_times_out_after_the_timeout() {
    let mut bench = Bench::new();
    let (_client, server, _) = bench.pair(Family::Ipv4);
    bench.ok(server, Call::SetTimeout(Some(200)));
    let timed_out = bench.call(server, recv(1024));
    assert_eq!(timed_out.outcome, Outcome::TimedOut { timeout_ms: 200 });
    assert!(
        (200_000..5_000_000).contains(&timed_out.duration_us),
        "blocked {} us",
        timed_out.duration_us
    );
    // The socket is still usable afterwards.
    bench.ok(server, Call::SetTimeout(Some(0)));
    assert_eq!(errno_name(&bench.call(server, recv(1))), "EWOULDBLOCK");
}

#[test]
fn bind_gives_eaddrinuse_during_time_wait_and_succeeds_with_so_reuseaddr() {
    let mut bench = Bench::new();
    let reuse_addr = || Call::SetOpt {
        name: "SO_REUSEADDR".into(),
        value: OptValue::Int(1),
    };
    // The first server run sets SO_REUSEADDR, as the syllabus' servers do.
    let listener = bench.socket(Family::Ipv4, SockType::Stream);
    bench.ok(listener, reuse_addr());
    bench.ok(listener, Call::Bind(loopback(Family::Ipv4)));
    bench.ok(listener, Call::Listen { backlog: 5 });
    let address = bench.local(listener);
    let client = bench.socket(Family::Ipv4, SockType::Stream);
    bench.ok(client, Call::Connect(address.clone()));
    let Value::Accepted { child: server, .. } = bench.ok(listener, Call::Accept) else {
        panic!("accept");
    };
    // The server side closes first, so its end of the connection waits in TIME_WAIT.
    bench.ok(server, Call::Close);
    bench.ok(listener, Call::Close);
    let eof = bench.call(client, recv(10));
    assert_eq!(eof.outcome, Outcome::Ok(Value::Bytes(0)));
    bench.ok(client, Call::Close);

    // A restarted server without the option cannot bind the port...
    let again = bench.socket(Family::Ipv4, SockType::Stream);
    let refused = bench.call(again, Call::Bind(address.clone()));
    assert_eq!(errno_name(&refused), "EADDRINUSE");
    assert!(
        errno::fix_in(socket_workbench::i18n::Lang::En, libc::EADDRINUSE)
            .unwrap_or_default()
            .contains("SO_REUSEADDR")
    );
    // ...with SO_REUSEADDR set before bind, it can.
    let with_option = bench.socket(Family::Ipv4, SockType::Stream);
    bench.ok(with_option, reuse_addr());
    bench.ok(with_option, Call::Bind(address));
    bench.ok(with_option, Call::Listen { backlog: 1 });
}

both_families!(connect_to_a_closed_port_is_refused, |family| {
    let mut bench = Bench::new();
    // A port that was just free: bind, read it, close.
    let probe = bench.socket(family, SockType::Stream);
    bench.ok(probe, Call::Bind(loopback(family)));
    let address = bench.local(probe);
    bench.ok(probe, Call::Close);
    let client = bench.socket(family, SockType::Stream);
    let refused = bench.call(client, Call::Connect(address.clone()));
    assert_eq!(errno_name(&refused), "ECONNREFUSED");
    // A refused blocking connect leaves the socket unconnected, as the kernel's blocking path
    // does: once something listens there, connect() again succeeds (CPython does the same).
    // (getsockname still shows the port the attempt used, in CPython too.)
    assert!(
        matches!(
            bench.state(client),
            Some(Lifecycle::Created | Lifecycle::Bound)
        ),
        "{:?}",
        bench.state(client)
    );
    let server = bench.socket(family, SockType::Stream);
    bench.ok(server, Call::Bind(address.clone()));
    bench.ok(server, Call::Listen { backlog: 1 });
    assert_eq!(bench.ok(client, Call::Connect(address)), Value::None);
    assert_eq!(bench.state(client), Some(Lifecycle::Connected));
});

both_families!(
    a_datagram_sent_where_nothing_is_bound_is_marked_as_dropped,
    |family| {
        let mut bench = Bench::new();
        let receiver = bench.socket(family, SockType::Datagram);
        bench.ok(receiver, Call::Bind(loopback(family)));
        let bound = bench.local(receiver);
        // A port nothing is bound to: one the kernel just gave out and took back.
        let gone = bench.socket(family, SockType::Datagram);
        bench.ok(gone, Call::Bind(loopback(family)));
        let unbound = bench.local(gone);
        bench.ok(gone, Call::Close);

        let sender = bench.socket(family, SockType::Datagram);
        let nothing_there = |returned: &Returned| {
            returned
                .context
                .is_some_and(|context| context.nothing_bound_at_destination)
        };
        let to_nobody = bench.call(
            sender,
            Call::SendTo {
                data: b"hi".to_vec(),
                addr: unbound.clone(),
            },
        );
        assert_eq!(
            to_nobody.outcome,
            Outcome::Ok(Value::Int(2)),
            "UDP says nothing"
        );
        assert!(nothing_there(&to_nobody), "{to_nobody:?}");
        let to_receiver = bench.call(
            sender,
            Call::SendTo {
                data: b"hi".to_vec(),
                addr: bound,
            },
        );
        assert_eq!(to_receiver.outcome, Outcome::Ok(Value::Int(2)));
        assert!(!nothing_there(&to_receiver), "{to_receiver:?}");
        // connect() on a UDP socket succeeds too; it is marked the same way.
        let connected = bench.call(sender, Call::Connect(unbound));
        assert_eq!(connected.outcome, Outcome::Ok(Value::None));
        assert!(nothing_there(&connected), "{connected:?}");
    }
);

#[test]
fn udp_payload_over_65507_bytes_gives_emsgsize() {
    let mut bench = Bench::new();
    let receiver = bench.socket(Family::Ipv4, SockType::Datagram);
    bench.ok(receiver, Call::Bind(loopback(Family::Ipv4)));
    let address = bench.local(receiver);
    let sender = bench.socket(Family::Ipv4, SockType::Datagram);
    let too_big = bench.call(
        sender,
        Call::SendTo {
            data: vec![0; 65_508],
            addr: address.clone(),
        },
    );
    assert_eq!(errno_name(&too_big), "EMSGSIZE");
    let largest = bench.call(
        sender,
        Call::SendTo {
            data: vec![0; 65_507],
            addr: address,
        },
    );
    assert_eq!(largest.outcome, Outcome::Ok(Value::Int(65_507)));
}

#[test]
fn connect_completes_before_accept_and_waits_in_the_accept_queue() {
    let mut bench = Bench::new();
    let (listener, address) = bench.listener(Family::Ipv4, 4);
    let client = bench.socket(Family::Ipv4, SockType::Stream);
    assert_eq!(
        bench.ok(client, Call::Connect(address.clone())),
        Value::None
    );
    let snapshot = bench.snapshot(listener);
    assert_eq!(snapshot.tcp_state.as_deref(), Some("LISTEN"));
    assert_eq!(snapshot.accept_queue, Some(1));
    assert_eq!(snapshot.backlog, Some(4));
    let second = bench.socket(Family::Ipv4, SockType::Stream);
    bench.ok(second, Call::Connect(address));
    assert_eq!(bench.snapshot(listener).accept_queue, Some(2));
    assert_eq!(
        bench.snapshot(client).tcp_state.as_deref(),
        Some("ESTABLISHED")
    );
    bench.ok(listener, Call::Accept);
    assert_eq!(bench.snapshot(listener).accept_queue, Some(1));
}

#[test]
fn blocked_accept_and_blocked_recv_can_be_cancelled_and_the_socket_still_works() {
    let mut bench = Bench::new();
    let (listener, address) = bench.listener(Family::Ipv4, 5);
    let accept = bench.start(listener, Call::Accept);
    assert!(bench.still_pending(accept, Duration::from_millis(200)));
    bench.engine.cancel(listener).expect("cancel");
    let cancelled = bench.wait(accept, WAIT).expect("accept ends");
    assert_eq!(cancelled.outcome, Outcome::Cancelled(CancelReason::User));
    assert_eq!(cancelled.woken_by, WokenBy::Cancel);

    let client = bench.socket(Family::Ipv4, SockType::Stream);
    bench.ok(client, Call::Connect(address));
    let Value::Accepted { child, .. } = bench.ok(listener, Call::Accept) else {
        panic!("accept after cancel");
    };
    let pending = bench.start(child, recv(100));
    assert!(bench.still_pending(pending, Duration::from_millis(200)));
    bench.engine.cancel(child).expect("cancel");
    assert_eq!(
        bench.wait(pending, WAIT).expect("recv ends").outcome,
        Outcome::Cancelled(CancelReason::User)
    );
    bench.ok(client, send(b"still here"));
    assert_eq!(data_of(&bench.call(child, recv(100))), b"still here");
}

#[test]
fn close_leaves_a_blocked_recv_waiting_as_linux_does() {
    let mut bench = Bench::new();
    let (client, server, _) = bench.pair(Family::Ipv4);
    let pending = bench.start(server, recv(100));
    assert!(bench.still_pending(pending, Duration::from_millis(100)));
    bench.ok(server, Call::Close);
    assert_eq!(bench.state(server), Some(Lifecycle::Closed));
    // Linux keeps the socket while a call is blocked in it: the recv goes on...
    assert!(bench.still_pending(pending, Duration::from_millis(200)));
    // ...new calls find the descriptor gone, and close() again is a no-op, as in CPython.
    assert_eq!(errno_name(&bench.call(server, recv(1))), "EBADF");
    assert_eq!(bench.ok(server, Call::Close), Value::None);
    // ...and it still gets the peer's data.
    bench.ok(client, send(b"late"));
    let ended = bench.wait(pending, WAIT).expect("recv returns");
    assert_eq!(data_of(&ended), b"late");
    // Then the socket is released: the peer sees it closed.
    assert_eq!(data_of(&bench.call(client, recv(100))), b"");
}

#[test]
fn close_all_ends_blocked_calls_and_says_so() {
    let mut bench = Bench::new();
    let server = bench.socket(Family::Ipv4, SockType::Stream);
    bench.ok(server, Call::Bind(loopback(Family::Ipv4)));
    bench.ok(server, Call::Listen { backlog: 1 });
    let pending = bench.start(server, Call::Accept);
    assert!(bench.still_pending(pending, Duration::from_millis(100)));
    bench.engine.close_all();
    let ended = bench.wait(pending, WAIT).expect("accept ends");
    assert_eq!(ended.outcome, Outcome::Cancelled(CancelReason::Closed));
    // A call on the closed socket is answered (EBADF), not refused by the engine.
    let after = bench.call(server, recv(1));
    assert_eq!(errno_name(&after), "EBADF");
}

#[test]
fn a_connected_socket_sends_while_its_recv_is_pending() {
    let mut bench = Bench::new();
    let (client, server, _) = bench.pair(Family::Ipv4);
    let pending = bench.start(client, recv(100));
    assert!(bench.still_pending(pending, Duration::from_millis(100)));
    assert_eq!(bench.ok(client, send(b"ping")), Value::Int(4));
    assert_eq!(data_of(&bench.call(server, recv(100))), b"ping");
    bench.ok(server, send(b"pong"));
    let got = bench.wait(pending, WAIT).expect("recv returns");
    assert_eq!(data_of(&got), b"pong");
    // It waited, and data ended the wait (durations are not asserted: a loaded machine may
    // start the worker's clock late).
    assert_eq!(got.woken_by, WokenBy::Readable);
}

#[test]
fn msg_peek_leaves_data_and_msg_waitall_waits_for_all() {
    let mut bench = Bench::new();
    let (client, server, _) = bench.pair(Family::Ipv4);
    bench.ok(client, send(b"abc"));
    let peek = Call::Recv {
        bufsize: 10,
        flags: RecvFlags {
            peek: true,
            ..RecvFlags::default()
        },
    };
    assert_eq!(data_of(&bench.call(server, peek)), b"abc");
    let waitall = bench.start(
        server,
        Call::Recv {
            bufsize: 6,
            flags: RecvFlags {
                waitall: true,
                ..RecvFlags::default()
            },
        },
    );
    assert!(bench.still_pending(waitall, Duration::from_millis(150)));
    bench.ok(client, send(b"defg"));
    assert_eq!(
        data_of(&bench.wait(waitall, WAIT).expect("waitall")),
        b"abcdef"
    );
    assert_eq!(data_of(&bench.call(server, recv(10))), b"g");
}

#[test]
fn bad_input_gets_a_specific_error_and_everything_carries_on() {
    let mut bench = Bench::new();
    let socket = bench.socket(Family::Ipv4, SockType::Stream);
    let other = bench.socket(Family::Ipv4, SockType::Datagram);
    let over = bench.call(socket, Call::Bind(AddrArg::inet("127.0.0.1", 70000)));
    assert!(matches!(&over.outcome, Outcome::Invalid(message) if message.contains("70000")));
    let bad = bench.call(socket, Call::Bind(AddrArg::inet("300.1.1.1", 80)));
    assert!(
        matches!(bad.outcome, Outcome::Invalid(_)),
        "{}",
        bad.outcome
    );
    let unknown = bench.call(
        socket,
        Call::SetOpt {
            name: "SO_FOO".into(),
            value: OptValue::Int(1),
        },
    );
    assert!(
        matches!(&unknown.outcome, Outcome::Invalid(message) if message.contains("unknown option 'SO_FOO'"))
    );
    let privileged = bench.call(socket, Call::Bind(AddrArg::inet("127.0.0.1", 80)));
    let running_as_root = {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata("/proc/self")
            .map(|meta| meta.uid())
            .unwrap_or(1)
            == 0
    };
    if running_as_root {
        // Root may bind port 80 (or find it in use); either way a specific result.
        assert!(privileged.outcome.is_ok() || errno_name(&privileged) == "EADDRINUSE");
    } else {
        assert_eq!(errno_name(&privileged), "EACCES");
    }
    // Both sockets still work.
    let fresh = bench.socket(Family::Ipv4, SockType::Stream);
    bench.ok(fresh, Call::Bind(loopback(Family::Ipv4)));
    bench.ok(other, Call::Bind(loopback(Family::Ipv4)));
}

#[test]
fn unix_stream_and_datagram_sockets_use_paths() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut bench = Bench::new();
    let path = dir.path().join("server.sock").display().to_string();
    let listener = bench.socket(Family::Unix, SockType::Stream);
    bench.ok(listener, Call::Bind(AddrArg::Path(path.clone())));
    bench.ok(listener, Call::Listen { backlog: 2 });
    let client = bench.socket(Family::Unix, SockType::Stream);
    bench.ok(client, Call::Connect(AddrArg::Path(path.clone())));
    let Value::Accepted { child, .. } = bench.ok(listener, Call::Accept) else {
        panic!("accept");
    };
    bench.ok(client, send(b"over a path"));
    assert_eq!(data_of(&bench.call(child, recv(100))), b"over a path");
    // Binding the same path again: the file exists.
    let again = bench.socket(Family::Unix, SockType::Stream);
    assert_eq!(
        errno_name(&bench.call(again, Call::Bind(AddrArg::Path(path)))),
        "EADDRINUSE"
    );

    let dgram_path = dir.path().join("dgram.sock").display().to_string();
    let receiver = bench.socket(Family::Unix, SockType::Datagram);
    bench.ok(receiver, Call::Bind(AddrArg::Path(dgram_path.clone())));
    let sender = bench.socket(Family::Unix, SockType::Datagram);
    bench.ok(
        sender,
        Call::SendTo {
            data: b"dgram".to_vec(),
            addr: AddrArg::Path(dgram_path),
        },
    );
    assert_eq!(data_of(&bench.call(receiver, recv(100))), b"dgram");
}

#[test]
fn setsockopt_then_getsockopt_shows_what_the_kernel_applied() {
    let mut bench = Bench::new();
    let socket = bench.socket(Family::Ipv4, SockType::Stream);
    bench.ok(
        socket,
        Call::SetOpt {
            name: "SO_RCVBUF".into(),
            value: OptValue::Int(8192),
        },
    );
    let applied = bench.ok(
        socket,
        Call::GetOpt {
            name: "SO_RCVBUF".into(),
        },
    );
    // Linux doubles the request for its bookkeeping.
    assert_eq!(applied, Value::Int(16384));
    for (name, value) in [
        ("SO_REUSEADDR", 1),
        ("SO_KEEPALIVE", 1),
        ("TCP_NODELAY", 1),
        ("IP_TTL", 7),
    ] {
        bench.ok(
            socket,
            Call::SetOpt {
                name: name.into(),
                value: OptValue::Int(value),
            },
        );
        assert_eq!(
            bench.ok(socket, Call::GetOpt { name: name.into() }),
            Value::Int(value),
            "{name}"
        );
    }
    let udp = bench.socket(Family::Ipv4, SockType::Datagram);
    bench.ok(
        udp,
        Call::SetOpt {
            name: "IP_ADD_MEMBERSHIP".into(),
            value: OptValue::Membership {
                group: "224.1.1.1".into(),
                interface: "127.0.0.1".into(),
            },
        },
    );
    let not_multicast = bench.call(
        udp,
        Call::SetOpt {
            name: "IP_ADD_MEMBERSHIP".into(),
            value: OptValue::Membership {
                group: "10.0.0.1".into(),
                interface: "".into(),
            },
        },
    );
    assert!(matches!(not_multicast.outcome, Outcome::Invalid(_)));
    let v6 = bench.socket(Family::Ipv6, SockType::Stream);
    bench.ok(
        v6,
        Call::SetOpt {
            name: "IPV6_V6ONLY".into(),
            value: OptValue::Int(1),
        },
    );
    assert_eq!(
        bench.ok(
            v6,
            Call::GetOpt {
                name: "IPV6_V6ONLY".into()
            }
        ),
        Value::Int(1)
    );
}

#[test]
fn shutdown_write_sends_eof_but_keeps_receiving() {
    let mut bench = Bench::new();
    let (client, server, _) = bench.pair(Family::Ipv4);
    bench.ok(client, Call::Shutdown(ShutdownHow::Write));
    assert_eq!(bench.state(client), Some(Lifecycle::WriteShut));
    assert_eq!(
        bench.call(server, recv(10)).outcome,
        Outcome::Ok(Value::Bytes(0))
    );
    bench.ok(server, send(b"reply"));
    assert_eq!(data_of(&bench.call(client, recv(10))), b"reply");
    assert_eq!(errno_name(&bench.call(client, send(b"x"))), "EPIPE");
}

fn exchange(address: &AddrArg, request: &[u8]) -> Vec<u8> {
    let mut stream = std::net::TcpStream::connect(socket_addr(address)).expect("connect");
    stream.set_read_timeout(Some(WAIT)).expect("read timeout");
    stream.write_all(request).expect("write");
    let mut reply = vec![0; 4096];
    let count = stream.read(&mut reply).expect("read reply");
    reply.truncate(count);
    reply
}

#[test]
fn automatic_servers_echo_uppercase_convert_and_tell_time() {
    let mut bench = Bench::new();
    let echo = bench.automatic_server(Responder::Echo).1;
    assert_eq!(exchange(&echo, b"hello\n"), b"hello\n");
    let upper = bench.automatic_server(Responder::UppercaseEcho).1;
    assert_eq!(exchange(&upper, b"hello\n"), b"HELLO\n");
    let c2f = bench.automatic_server(Responder::CelsiusToFahrenheit).1;
    assert_eq!(exchange(&c2f, b"100\n"), b"212.0\n");
    assert!(exchange(&c2f, b"hot\n").starts_with(b"error:"));
    let time = bench.automatic_server(Responder::TimeServer).1;
    let year = exchange(&time, b"%Y\n");
    assert_eq!(year.len(), 5, "{:?}", String::from_utf8_lossy(&year));
    // Each accepted connection appears as a child of its listener.
    bench.pump(Duration::from_millis(200));
    let children = bench
        .seen
        .iter()
        .filter(|event| matches!(event, Event::Opened(info) if info.parent.is_some()))
        .count();
    assert!(children >= 5, "{children} accepted connections seen");
}

#[test]
fn udp_celsius_server_replies_to_each_sender() {
    let mut bench = Bench::new();
    let server = bench.socket(Family::Ipv4, SockType::Datagram);
    bench.ok(server, Call::Bind(loopback(Family::Ipv4)));
    let address = bench.local(server);
    bench
        .engine
        .set_automation(
            server,
            Automation {
                auto_receive: true,
                responder: Some(Responder::CelsiusToFahrenheit),
                ..Automation::default()
            },
        )
        .expect("automation");
    let client = bench.socket(Family::Ipv4, SockType::Datagram);
    bench.ok(client, Call::SetTimeout(Some(3000)));
    bench.ok(
        client,
        Call::SendTo {
            data: b"37".to_vec(),
            addr: address,
        },
    );
    let reply = bench.call(
        client,
        Call::RecvFrom {
            bufsize: 100,
            flags: RecvFlags::default(),
        },
    );
    // Exactly what the seed's Python server sends: str(float(c) * 1.8 + 32).
    assert_eq!(data_of(&reply), b"98.60000000000001");
}

#[test]
fn http_responder_is_read_by_a_real_http_client() {
    let mut bench = Bench::new();
    let address = bench.automatic_server(Responder::HttpHello).1;
    let url = format!("http://{}/", socket_addr(&address));
    let mut response = ureq::get(&url).call().expect("HTTP GET");
    assert_eq!(response.status(), 200);
    let body = response.body_mut().read_to_string().expect("body");
    assert!(body.contains("Hello World"));
    // curl too, where it is installed (CI installs it).
    if let Ok(output) = std::process::Command::new("curl")
        .args(["--silent", "--show-error", "--max-time", "5", &url])
        .output()
    {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("Hello World"));
    }
}

#[test]
fn a_flood_is_summarised_instead_of_growing_the_event_channel() {
    let mut bench = Bench::new();
    let (client, server, _) = bench.pair(Family::Ipv4);
    bench
        .engine
        .set_automation(
            server,
            Automation {
                auto_receive: true,
                responder: Some(Responder::Discard),
                ..Automation::default()
            },
        )
        .expect("sink");
    let total: u64 = 64 * 1024 * 1024;
    bench
        .engine
        .set_automation(
            client,
            Automation {
                flood: Some(Flood {
                    bytes_per_sec: 0,
                    destination: None,
                    chunk_size: 64 * 1024,
                    total_bytes: Some(total),
                }),
                ..Automation::default()
            },
        )
        .expect("flood");
    // Nobody reads the events for a while: the channel must stay bounded.
    std::thread::sleep(Duration::from_millis(1500));
    let queued = bench.events.drain();
    assert!(
        queued.len() < 5_000,
        "{} events queued while nobody read them",
        queued.len()
    );
    bench.seen.extend(queued);
    let received = |bench: &Bench| -> u64 {
        bench
            .seen
            .iter()
            .map(|event| match event {
                Event::Auto(summary) if summary.socket == server => summary.recv_bytes,
                Event::Returned(returned) if returned.socket == server => {
                    returned.bytes_moved as u64
                }
                _ => 0,
            })
            .sum()
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while received(&bench) < total && Instant::now() < deadline {
        bench.pump(Duration::from_millis(100));
    }
    assert_eq!(received(&bench), total, "every byte is counted");
}

/// Stress: a call issued right after close() is always answered (it used to hang now and
/// then, when it reached the socket's thread as it ended).
#[test]
fn a_call_right_after_close_is_always_answered() {
    let mut bench = Bench::new();
    for round in 0..300 {
        let socket = bench.socket(Family::Ipv4, SockType::Stream);
        let close = bench.start(socket, Call::Close);
        let after = bench.start(socket, Call::GetSockName);
        let again = bench.start(socket, Call::Close);
        for call_id in [close, after, again] {
            assert!(
                bench.wait(call_id, WAIT).is_some(),
                "round {round}: a call after close() was never answered"
            );
        }
        let after = bench.find_returned(after).expect("answered");
        assert_eq!(errno_name(&after), "EBADF", "round {round}");
    }
}

/// Stress: an automatically accepted connection's own calls never come before the accept
/// that created it.
#[test]
fn an_auto_accepted_connection_reports_after_its_accept() {
    for round in 0..40 {
        let mut bench = Bench::new();
        let (listener, address) = bench.automatic_server(Responder::Echo);
        let client = bench.socket(Family::Ipv4, SockType::Stream);
        bench.ok(client, Call::Connect(address));
        bench.ok(client, send(b"ping"));
        assert_eq!(data_of(&bench.call(client, recv(10))), b"ping");
        let mut accepted = None;
        for event in &bench.seen {
            match event {
                Event::Returned(returned) if returned.socket == listener => {
                    if let Outcome::Ok(Value::Accepted { child, .. }) = &returned.outcome {
                        accepted = Some(*child);
                    }
                }
                Event::Started(started)
                    if started.socket != listener && started.socket != client =>
                {
                    assert_eq!(
                        accepted,
                        Some(started.socket),
                        "round {round}: {} started on the connection before its accept was reported",
                        started.call.text()
                    );
                }
                Event::Automation { socket, .. } if *socket != listener => {
                    assert_eq!(
                        accepted,
                        Some(*socket),
                        "round {round}: automation before accept"
                    );
                }
                _ => {}
            }
        }
        assert!(accepted.is_some(), "round {round}: no accept seen");
    }
}

/// A peer that sends and never reads: the echo server stops reading once its replies back up,
/// as a server blocked in sendall() would, instead of keeping every byte in memory.
#[test]
fn an_echo_server_whose_peer_never_reads_stops_reading() {
    let mut bench = Bench::new();
    let (listener, address) = bench.automatic_server(Responder::Echo);
    let client = bench.socket(Family::Ipv4, SockType::Stream);
    bench.ok(client, Call::Connect(address));
    // 64 MiB: far more than the socket buffers and the server's 1 MiB reply backlog hold.
    let flood = bench.start(
        client,
        Call::SendAll {
            data: vec![b'e'; 64 * 1024 * 1024],
        },
    );
    assert!(
        bench.still_pending(flood, Duration::from_millis(1500)),
        "the server read everything: its replies grow without bound"
    );
    let received: u64 = bench
        .seen
        .iter()
        .map(|event| match event {
            Event::Auto(summary) if summary.socket != client => summary.recv_bytes,
            Event::Returned(returned)
                if returned.socket != client
                    && returned.socket != listener
                    && returned.data.is_some() =>
            {
                returned.bytes_moved as u64
            }
            _ => 0,
        })
        .sum();
    assert!(
        received < 48 * 1024 * 1024,
        "the server took {received} bytes"
    );
    // The peer goes: the server's backlog is dropped and its connection closed.
    bench.engine.cancel(client).expect("cancel");
    bench.ok(client, Call::Close);
    let served = bench
        .seen
        .iter()
        .find_map(|event| match event {
            Event::Opened(info) if info.parent == Some(listener) => Some(info.socket),
            _ => None,
        })
        .expect("the accepted connection");
    let deadline = Instant::now() + WAIT;
    while !bench
        .seen
        .iter()
        .any(|event| matches!(event, Event::ThreadEnded { socket, .. } if *socket == served))
    {
        assert!(
            Instant::now() < deadline,
            "the served connection was never closed"
        );
        bench.pump(Duration::from_millis(50));
    }
}

#[test]
fn close_all_after_close_with_a_blocked_recvfrom_ends_it() {
    let mut bench = Bench::new();
    let socket = bench.socket(Family::Ipv4, SockType::Datagram);
    bench.ok(socket, Call::Bind(loopback(Family::Ipv4)));
    let pending = bench.start(
        socket,
        Call::RecvFrom {
            bufsize: 10,
            flags: Default::default(),
        },
    );
    assert!(bench.still_pending(pending, Duration::from_millis(100)));
    bench.ok(socket, Call::Close);
    assert!(bench.still_pending(pending, Duration::from_millis(100)));
    bench.engine.close_all();
    let ended = bench.wait(pending, WAIT).expect("recvfrom ends");
    assert_eq!(ended.outcome, Outcome::Cancelled(CancelReason::Closed));
}

#[test]
fn cancelling_the_last_call_on_a_closed_socket_releases_it() {
    // close() with a recv blocked in it keeps the socket open (as on Linux): the peer sees no
    // FIN. Once that recv is cancelled nothing holds it, and the FIN goes out at once.
    let mut bench = Bench::new();
    let (client, server, _listener) = bench.pair(Family::Ipv4);
    let pending = bench.start(
        client,
        Call::Recv {
            bufsize: 10,
            flags: Default::default(),
        },
    );
    assert!(bench.still_pending(pending, Duration::from_millis(100)));
    bench.ok(client, Call::Close);
    bench.ok(server, Call::SetBlocking(false));
    let before_cancel = bench.call(
        server,
        Call::Recv {
            bufsize: 10,
            flags: Default::default(),
        },
    );
    assert_eq!(
        errno_name(&before_cancel),
        "EWOULDBLOCK",
        "no FIN while the recv keeps the closed socket alive"
    );
    bench.engine.cancel(client).expect("cancel");
    let ended = bench.wait(pending, WAIT).expect("recv ends");
    assert_eq!(ended.outcome, Outcome::Cancelled(CancelReason::User));
    bench.ok(server, Call::SetBlocking(true));
    bench.ok(server, Call::SetTimeout(Some(2_000)));
    assert_eq!(bench.recv(server, 10), Some(Vec::new()), "the FIN arrived");
}
