//! Code generation on sessions made by hand.

use super::*;
use crate::engine::address::at;
use crate::engine::event::{AutoSummary, Returned, SocketInfo, Started};
use crate::engine::{AddrArg, CallId, Event, Family, Origin, SockType, WokenBy};

struct Build {
    session: Session,
    next_call: u64,
    now: u64,
}

impl Build {
    fn new() -> Build {
        Build {
            session: Session::default(),
            next_call: 1,
            now: 10,
        }
    }
    fn tick(&mut self) -> u64 {
        self.now += 10;
        self.now
    }
    fn open(&mut self, id: u32, family: Family, sock_type: SockType, parent: Option<u32>) {
        let at_us = self.tick();
        self.session.apply(Event::Opened(SocketInfo {
            socket: SocketId(id),
            family,
            sock_type,
            parent: parent.map(SocketId),
            at_us,
        }));
    }
    fn start_as(&mut self, socket: u32, call: Call, origin: Origin) -> u64 {
        let call_id = self.next_call;
        self.next_call += 1;
        let at_us = self.tick();
        self.session.apply(Event::Started(Started {
            socket: SocketId(socket),
            call_id: CallId(call_id),
            at_us,
            call,
            origin,
        }));
        call_id
    }
    fn start(&mut self, socket: u32, call: Call) -> u64 {
        self.start_as(socket, call, Origin::User)
    }
    fn ret_full(
        &mut self,
        socket: u32,
        call_id: u64,
        outcome: Outcome,
        data: Option<&[u8]>,
        from: Option<&str>,
    ) {
        let at_us = self.tick();
        self.session.apply(Event::Returned(Returned {
            socket: SocketId(socket),
            call_id: CallId(call_id),
            at_us,
            duration_us: 5,
            outcome,
            bytes_moved: data.map_or(0, <[u8]>::len),
            data: data.map(<[u8]>::to_vec),
            from: from.map(at),
            truncated_from: None,
            woken_by: WokenBy::NoWait,
            context: None,
        }));
    }
    fn ret(&mut self, socket: u32, call_id: u64, outcome: Outcome) {
        self.ret_full(socket, call_id, outcome, None, None);
    }
    fn call(&mut self, socket: u32, call: Call, outcome: Outcome) -> u64 {
        let id = self.start(socket, call);
        self.ret(socket, id, outcome);
        id
    }
    fn record(&self, call_id: u64) -> &CallRecord {
        self.session.call(CallId(call_id)).expect("record")
    }
}

fn ok_none() -> Outcome {
    Outcome::Ok(Value::None)
}

fn recv(bufsize: usize) -> Call {
    Call::Recv {
        bufsize,
        flags: RecvFlags::default(),
    }
}

fn names(id: SocketId) -> String {
    match id.0 {
        1 => "server".into(),
        2 => "client".into(),
        3 => "conn".into(),
        other => format!("s{other}"),
    }
}

fn line_of(build: &Build, call_id: u64) -> String {
    let record = build.record(call_id);
    let data = received_data(&build.session, record);
    python_line_with_data(record, &names, data.as_deref())
}

#[test]
fn lines_read_like_the_syllabus() {
    let mut b = Build::new();
    b.open(1, Family::Ipv4, SockType::Stream, None);
    b.open(2, Family::Ipv4, SockType::Stream, None);
    let bind = b.call(1, Call::Bind(AddrArg::inet("127.0.0.1", 0)), ok_none());
    assert_eq!(
        line_of(&b, bind),
        "server.bind(('127.0.0.1', 0))  # -> None"
    );
    b.open(3, Family::Ipv4, SockType::Stream, Some(1));
    let accept = b.call(
        1,
        Call::Accept,
        Outcome::Ok(Value::Accepted {
            child: SocketId(3),
            peer: at("127.0.0.1:50312"),
        }),
    );
    assert_eq!(
        line_of(&b, accept),
        "conn, addr = server.accept()  # -> (conn, ('127.0.0.1', 50312))"
    );
    let r = b.start(3, recv(1024));
    b.ret_full(3, r, Outcome::Ok(Value::Bytes(5)), Some(b"hello"), None);
    assert_eq!(line_of(&b, r), "data = conn.recv(1024)  # -> b'hello'");
    assert_eq!(
        python_line(b.record(r), &names),
        "data = conn.recv(1024)  # -> <5 bytes>"
    );
    let peek = b.call(
        3,
        Call::Recv {
            bufsize: 1024,
            flags: RecvFlags {
                peek: true,
                ..RecvFlags::default()
            },
        },
        Outcome::Errno(libc::EWOULDBLOCK),
    );
    assert_eq!(
        line_of(&b, peek),
        format!(
            "conn.recv(1024, socket.MSG_PEEK)  # BlockingIOError: [Errno {}] EWOULDBLOCK",
            libc::EWOULDBLOCK
        )
    );
    let opt = b.call(
        2,
        Call::SetOpt {
            name: "SO_REUSEADDR".into(),
            value: OptValue::Int(1),
        },
        ok_none(),
    );
    assert_eq!(
        line_of(&b, opt),
        "client.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # -> None"
    );
    let timeout = b.call(2, Call::SetTimeout(Some(500)), ok_none());
    assert!(line_of(&b, timeout).starts_with("client.settimeout(0.5)  #"));
    let linger = b.call(
        2,
        Call::SetOpt {
            name: "SO_LINGER".into(),
            value: OptValue::Linger(Some(0)),
        },
        ok_none(),
    );
    assert!(line_of(&b, linger).starts_with(
        "client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))"
    ));
    let refused = b.call(
        2,
        Call::Connect(AddrArg::inet("127.0.0.1", 1)),
        Outcome::Errno(libc::ECONNREFUSED),
    );
    assert_eq!(
        line_of(&b, refused),
        "client.connect(('127.0.0.1', 1))  # ConnectionRefusedError: [Errno 111] ECONNREFUSED"
    );
    let send = b.call(
        2,
        Call::Send {
            data: b"hello".to_vec(),
        },
        Outcome::Ok(Value::Int(5)),
    );
    assert_eq!(line_of(&b, send), "client.send(b'hello')  # -> 5");
    let timed = b.call(2, recv(10), Outcome::TimedOut { timeout_ms: 500 });
    assert_eq!(
        line_of(&b, timed),
        "data = client.recv(10)  # TimeoutError: timed out"
    );
}

#[test]
fn udp_lines() {
    let mut b = Build::new();
    b.open(4, Family::Ipv4, SockType::Datagram, None);
    let send = b.call(
        4,
        Call::SendTo {
            data: b"37".to_vec(),
            addr: AddrArg::inet("127.0.0.1", 9999),
        },
        Outcome::Ok(Value::Int(2)),
    );
    assert_eq!(
        line_of(&b, send),
        "s4.sendto(b'37', ('127.0.0.1', 9999))  # -> 2"
    );
    let r = b.start(
        4,
        Call::RecvFrom {
            bufsize: 1024,
            flags: RecvFlags::default(),
        },
    );
    b.ret_full(
        4,
        r,
        Outcome::Ok(Value::Bytes(2)),
        Some(b"98"),
        Some("127.0.0.1:9999"),
    );
    assert_eq!(
        line_of(&b, r),
        "data, addr = s4.recvfrom(1024)  # -> (b'98', ('127.0.0.1', 9999))"
    );
    assert_eq!(
        result_key(b.record(r), Some(b"98")).as_deref(),
        Some("bytes:3938 from ('127.0.0.1', *)")
    );
}

#[test]
fn names_fall_back_for_non_identifiers_and_clashes() {
    let mut b = Build::new();
    b.open(1, Family::Ipv4, SockType::Stream, None);
    b.open(2, Family::Ipv4, SockType::Stream, None);
    b.open(3, Family::Ipv4, SockType::Stream, None);
    b.open(4, Family::Ipv4, SockType::Stream, None);
    b.open(5, Family::Ipv4, SockType::Stream, None);
    b.session.rename(SocketId(2), "server");
    b.session.rename(SocketId(3), "server");
    b.session.rename(SocketId(4), "data");
    b.session.rename(SocketId(5), "s1");
    let names = python_names(&b.session);
    assert_eq!(names[&SocketId(1)], "s1");
    assert_eq!(names[&SocketId(2)], "server");
    // The session keeps names unique: the second "server" is "server2".
    assert_eq!(names[&SocketId(3)], "server2");
    assert_eq!(names[&SocketId(4)], "s4");
    assert_eq!(names[&SocketId(5)], "s5");
    assert!(is_python_identifier("服务器"));
    assert!(!is_python_identifier("tcp4 #3"));
    assert!(!is_python_identifier("class"));
    assert!(!is_python_identifier("3abc"));
}

/// A TCP exchange with an accept pending while the client connects.
fn tcp_session() -> Build {
    let mut b = Build::new();
    b.open(1, Family::Ipv4, SockType::Stream, None);
    b.session.rename(SocketId(1), "server");
    b.call(1, Call::Bind(AddrArg::inet("127.0.0.1", 0)), ok_none());
    b.call(1, Call::Listen { backlog: 5 }, ok_none());
    let accept = b.start(1, Call::Accept);
    b.open(2, Family::Ipv4, SockType::Stream, None);
    b.session.rename(SocketId(2), "client");
    b.call(
        2,
        Call::Connect(AddrArg::inet("127.0.0.1", 40000)),
        ok_none(),
    );
    b.open(3, Family::Ipv4, SockType::Stream, Some(1));
    b.ret(
        1,
        accept,
        Outcome::Ok(Value::Accepted {
            child: SocketId(3),
            peer: at("127.0.0.1:50000"),
        }),
    );
    b.call(
        2,
        Call::Send {
            data: b"hello".to_vec(),
        },
        Outcome::Ok(Value::Int(5)),
    );
    let r = b.start(3, recv(1024));
    b.ret_full(3, r, Outcome::Ok(Value::Bytes(5)), Some(b"hello"), None);
    b.call(2, Call::Close, ok_none());
    b.call(3, Call::Close, ok_none());
    b
}

#[test]
fn export_threads_a_pending_accept_and_maps_the_port() {
    let b = tcp_session();
    let script = export_python(&b.session);
    if std::env::var_os("CODEGEN_DUMP").is_some() {
        eprintln!("{script}");
    }
    assert!(script.contains("server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)"));
    assert!(script.contains("def call_3():"), "{script}");
    assert!(script.contains("    global s3\n"), "{script}");
    assert!(script.contains("t3.start()"));
    assert!(script.contains("t3.join(10)"));
    // The client connects to the listener's address of this run (guessed: the only listener).
    assert!(
        script.contains("client.connect(('127.0.0.1', server_addr[1]))"),
        "{script}"
    );
    assert!(script.contains("server_addr = server.getsockname()"));
    // Join before the send that followed the accept's return.
    let join = script.find("t3.join").unwrap_or(usize::MAX);
    let send = script.find("client.send(b'hello')").unwrap_or(0);
    assert!(join < send, "{script}");
    assert_eq!(
        expected_results(&b.session),
        vec![
            "RESULT 1 None",
            "RESULT 2 None",
            "RESULT 3 accepted ('127.0.0.1', *)",
            "RESULT 4 None",
            "RESULT 5 5",
            "RESULT 6 bytes:68656c6c6f",
            "RESULT 7 None",
            "RESULT 8 None",
        ]
    );
    assert!(script.contains("CALLS = 8"));
}

#[test]
fn known_addresses_beat_guessing() {
    let mut b = Build::new();
    b.open(1, Family::Ipv4, SockType::Stream, None);
    b.open(2, Family::Ipv4, SockType::Stream, None);
    b.call(1, Call::Bind(AddrArg::inet("127.0.0.1", 0)), ok_none());
    b.call(
        1,
        Call::GetSockName,
        Outcome::Ok(Value::Address(at("127.0.0.1:41234"))),
    );
    // Closed without listen: a connect to its address is refused.
    b.call(1, Call::Close, ok_none());
    b.call(
        2,
        Call::Connect(AddrArg::inet("127.0.0.1", 41234)),
        Outcome::Errno(libc::ECONNREFUSED),
    );
    let script = export_python(&b.session);
    assert!(
        script.contains("s2.connect(('127.0.0.1', s1_addr[1]))"),
        "{script}"
    );
    assert!(script.contains("s1_addr = s1.getsockname()"));
    assert_eq!(
        expected_results(&b.session).last().map(String::as_str),
        Some("RESULT 4 err ConnectionRefusedError 111")
    );
}

#[test]
fn pending_cancelled_and_automatic_calls() {
    let mut b = Build::new();
    b.open(1, Family::Ipv4, SockType::Stream, None);
    b.call(1, Call::Bind(AddrArg::inet("127.0.0.1", 0)), ok_none());
    b.call(1, Call::Listen { backlog: 5 }, ok_none());
    let auto_accept = b.start_as(1, Call::Accept, Origin::Auto);
    b.open(3, Family::Ipv4, SockType::Stream, Some(1));
    b.ret(
        1,
        auto_accept,
        Outcome::Ok(Value::Accepted {
            child: SocketId(3),
            peer: at("127.0.0.1:50000"),
        }),
    );
    let auto_recv = b.start_as(3, recv(65536), Origin::Auto);
    b.ret_full(
        3,
        auto_recv,
        Outcome::Ok(Value::Bytes(2)),
        Some(b"hi"),
        None,
    );
    let auto_send = b.start_as(
        3,
        Call::Send {
            data: b"HI".to_vec(),
        },
        Origin::Auto,
    );
    b.ret(3, auto_send, Outcome::Ok(Value::Int(2)));
    let summary_at = b.tick();
    b.session.apply(Event::Auto(AutoSummary {
        socket: SocketId(3),
        from_us: summary_at,
        to_us: summary_at + 5,
        recv_calls: 10,
        recv_bytes: 100,
        send_calls: 10,
        send_bytes: 100,
        sample: b"x".to_vec(),
        errors: 0,
    }));
    let cancelled = b.start(1, Call::Accept);
    b.ret(
        1,
        cancelled,
        Outcome::Cancelled(crate::engine::event::CancelReason::User),
    );
    b.call(
        3,
        Call::Send {
            data: b"x".to_vec(),
        },
        Outcome::Ok(Value::Int(1)),
    );
    b.start(3, recv(10));
    let script = export_python(&b.session);
    assert!(script.contains("def auto_s1():"), "{script}");
    assert!(script.contains("def auto_s3():"));
    assert!(script.contains("threading.Thread(target=auto_s3, daemon=True).start()"));
    assert!(script.contains("s3_ready = threading.Event()"));
    assert!(script.contains("s3_ready.set()"));
    assert!(script.contains("s3_ready.wait(10)"));
    // Threads keep `data` local; the accepted socket is shared.
    assert!(script.contains("    global s3\n"), "{script}");
    assert!(script.contains("s3.send(b'HI')"));
    assert!(script.contains("# [automatic, only counted] s3: 10 recv calls"));
    assert!(script.contains("# [not replayed: cancelled by the workbench; a Python program has no cancel: there this call would still be waiting"), "{script}");
    assert!(script.contains("# [not replayed: still waiting when exported] s3.recv(10)"));
    assert!(script.contains("CALLS = 3"));
    // Auto threads are defined children first.
    let child = script.find("def auto_s3").unwrap_or(usize::MAX);
    let parent = script.find("def auto_s1").unwrap_or(0);
    assert!(child < parent);
}

#[test]
fn every_call_has_a_line() {
    let mut b = Build::new();
    b.open(1, Family::Ipv6, SockType::Datagram, None);
    let calls = [
        Call::SetBlocking(false),
        Call::SetTimeout(None),
        Call::Shutdown(crate::engine::ShutdownHow::Write),
        Call::GetPeerName,
        Call::GetOpt {
            name: "SO_RCVBUF".into(),
        },
        Call::SendAll {
            data: vec![b'x'; 100_000],
        },
        Call::SetOpt {
            name: "IPV6_JOIN_GROUP".into(),
            value: OptValue::Membership {
                group: "ff02::1".into(),
                interface: "0".into(),
            },
        },
    ];
    let expected = [
        "s1.setblocking(False)",
        "s1.settimeout(None)",
        "s1.shutdown(socket.SHUT_WR)",
        "s1.getpeername()",
        "s1.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)",
        "s1.sendall(b'x' * 100000)",
        "s1.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, struct.pack('16sI', socket.inet_pton(socket.AF_INET6, 'ff02::1'), 0))",
    ];
    for (call, text) in calls.into_iter().zip(expected) {
        let id = b.call(1, call, ok_none());
        let line = python_line(b.record(id), &|id| fallback_name(id));
        assert!(line.starts_with(text), "{line}");
    }
    let script = export_python(&b.session);
    assert!(script.contains("s1 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)"));
}

#[test]
fn unix_bind_removes_a_left_over_socket_file() {
    let mut b = Build::new();
    b.open(1, Family::Unix, SockType::Stream, None);
    b.call(
        1,
        Call::Bind(AddrArg::Path("/tmp/demo.sock".into())),
        ok_none(),
    );
    let script = export_python(&b.session);
    assert!(
        script.contains("    if os.path.exists('/tmp/demo.sock'):"),
        "{script}"
    );
    assert!(script.contains("        os.unlink('/tmp/demo.sock')"));
    assert!(script.contains("    s1.bind('/tmp/demo.sock')  # -> None"));
}

/// The engine starts an automatic accept only once a client is waiting, so under load its
/// accept can start after the client's send and recv. The exported script must still start the
/// server's thread where the automation was switched on, before the client waits for a reply.
#[test]
fn automatic_thread_starts_where_automation_was_switched_on() {
    let mut b = Build::new();
    b.open(1, Family::Ipv4, SockType::Stream, None);
    b.call(1, Call::Bind(AddrArg::inet("127.0.0.1", 0)), ok_none());
    b.call(1, Call::Listen { backlog: 5 }, ok_none());
    let switched_on_us = b.tick();
    b.session.apply(Event::Automation {
        socket: SocketId(1),
        at_us: switched_on_us,
        automation: crate::engine::Automation {
            auto_accept: true,
            auto_receive: true,
            responder: Some(crate::engine::Responder::UppercaseEcho),
            ..Default::default()
        },
    });
    assert_eq!(
        b.session
            .socket(SocketId(1))
            .and_then(|view| view.automation_first_on_us),
        Some(switched_on_us)
    );
    b.open(2, Family::Ipv4, SockType::Stream, None);
    b.call(
        2,
        Call::Connect(AddrArg::inet("127.0.0.1", 40000)),
        ok_none(),
    );
    b.call(
        2,
        Call::Send {
            data: b"hi".to_vec(),
        },
        Outcome::Ok(Value::Int(2)),
    );
    let client_recv = b.start(2, recv(1024));
    // The server's thread only now gets to its accept.
    let auto_accept = b.start_as(1, Call::Accept, Origin::Auto);
    b.open(3, Family::Ipv4, SockType::Stream, Some(1));
    b.ret(
        1,
        auto_accept,
        Outcome::Ok(Value::Accepted {
            child: SocketId(3),
            peer: at("127.0.0.1:50000"),
        }),
    );
    b.ret_full(
        2,
        client_recv,
        Outcome::Ok(Value::Bytes(2)),
        Some(b"HI"),
        None,
    );

    let script = export_python(&b.session);
    let thread_start = script
        .find("threading.Thread(target=auto_s1, daemon=True).start()")
        .unwrap_or_else(|| panic!("no automatic thread for s1:\n{script}"));
    let listen = script.find("s1.listen(5)").unwrap_or(usize::MAX);
    let connect = script.find("s2.connect(").unwrap_or(0);
    assert!(
        listen < thread_start && thread_start < connect,
        "the thread starts after listen and before the client connects:\n{script}"
    );
}

#[test]
fn the_timeline_bar_and_the_python_comment_show_one_value() {
    let mut b = Build::new();
    b.open(1, Family::Ipv4, SockType::Datagram, None);
    let id = b.start(
        1,
        Call::RecvFrom {
            bufsize: 1024,
            flags: RecvFlags::default(),
        },
    );
    b.ret_full(
        1,
        id,
        Outcome::Ok(Value::Bytes(4)),
        Some(b"kept"),
        Some("127.0.0.1:6001"),
    );
    let record = b.record(id);
    let data = received_bytes(&b.session, record);
    let value = python_value(
        &record.call,
        record.from.as_ref(),
        &Value::Bytes(4),
        &names,
        data,
    );
    assert_eq!(value, "(b'kept', ('127.0.0.1', 6001))");
    assert!(
        python_line_with_data(record, &names, data).ends_with(&format!("# -> {value}")),
        "the Python view's comment"
    );
    assert_eq!(
        crate::ui::timeline::bar_label(crate::i18n::Lang::En, record, &b.session, u64::MAX).full(),
        format!("recvfrom(1024) -> {value}"),
        "the timeline's bar"
    );
}
