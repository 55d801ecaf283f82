//! Parser tests: values, escapes, expectations, and every kind of malformed input with the
//! line and column it is reported at.

use super::*;
use crate::engine::{AddrArg, Call, OptValue, RecvFlags, Responder, ShutdownHow};
use crate::i18n::Lang;

/// A script with one step whose actions are written as TOML '''literal''' strings, one per
/// line starting at line 4, each action's text beginning at column 6.
fn script_with(actions: &[&str]) -> String {
    let mut text = String::from("title = 't'\n[[step]]\ndo = [\n");
    for action in actions {
        text.push_str(&format!("  '''{action}''',\n"));
    }
    text.push_str("]\n");
    text
}

const PRELUDE: &[&str] = &[
    "s = socket(AF_INET, SOCK_STREAM)",
    "u = socket(AF_INET, SOCK_DGRAM)",
];

/// Parses the prelude plus `action` and returns the last action.
fn action(text: &str) -> Action {
    let mut actions = PRELUDE.to_vec();
    actions.push(text);
    let script = parse(&script_with(&actions)).unwrap_or_else(|e| panic!("{text}: {e}"));
    script.steps[0].actions.last().unwrap().clone()
}

fn call_of(text: &str) -> Call {
    match action(text).kind {
        ActionKind::Call { call, .. } => call.call,
        other => panic!("not a call: {other:?}"),
    }
}

fn checks(text: &str) -> Vec<Check> {
    action(text).expect.into_iter().map(|e| e.check).collect()
}

/// The error for the prelude plus `action`, as (line, column, message); the action is on line
/// 6 and starts at column 6.
fn error(text: &str) -> (usize, usize, String) {
    let mut actions = PRELUDE.to_vec();
    actions.push(text);
    let error = parse(&script_with(&actions)).expect_err(text);
    (error.line, error.column, error.message)
}

#[test]
fn creates_sockets() {
    let script = parse(&script_with(&[
        "a = socket(AF_INET, SOCK_STREAM)",
        "b = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)",
        "c = socket()",
        "d = socket(family=AF_UNIX, type=SOCK_STREAM)",
    ]))
    .unwrap();
    let kinds: Vec<_> = script.steps[0]
        .actions
        .iter()
        .map(|a| a.kind.clone())
        .collect();
    assert_eq!(
        kinds[1],
        ActionKind::Create {
            name: "b".into(),
            family: Family::Ipv6,
            sock_type: SockType::Datagram
        }
    );
    assert_eq!(
        kinds[2],
        ActionKind::Create {
            name: "c".into(),
            family: Family::Ipv4,
            sock_type: SockType::Stream
        }
    );
    assert!(matches!(
        kinds[3],
        ActionKind::Create {
            family: Family::Unix,
            ..
        }
    ));
    assert_eq!(script.steps[0].line, 2, "the [[step]] header line");
    assert_eq!(script.steps[0].actions[0].line, 4);
    assert_eq!(script.steps[0].actions[0].column, 6);
    assert_eq!(script.timeout_ms, DEFAULT_TIMEOUT_MS);
    assert_eq!(script.title, LocalText::guessed("t".into()));
}

#[test]
fn prose_in_both_languages_or_in_one() {
    let script = parse(
        "title.en = 'Hello'\ntitle.zh = '你好'\nintro = '服务器先监听。'\n\
         [[step]]\nsay.zh = '只有中文'\ndo = []\n[[step]]\nsay = 'English only'\ndo = []\n",
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(script.title, LocalText::both("Hello", "你好"));
    let intro = script.intro.expect("intro");
    assert!(intro.has(Lang::Zh) && !intro.has(Lang::En), "{intro:?}");
    let first = script.steps[0].say.clone().expect("say");
    assert_eq!(first.get(Lang::En), "只有中文");
    let second = script.steps[1].say.clone().expect("say");
    assert!(second.has(Lang::En) && !second.has(Lang::Zh));
    // Another language, or a number, is refused where it is written.
    let error = parse("title.fr = 'Bonjour'\n").expect_err("fr");
    assert_eq!(error.line, 1, "{error:?}");
    let error = parse("[[step]]\nsay = 5\ndo = []\n").expect_err("a number");
    assert_eq!(error.line, 2, "{error:?}");
    assert!(error.message.contains("say.zh"), "{}", error.message);
}

#[test]
fn values_ints_floats_bools_none() {
    assert_eq!(call_of("s.listen(5)"), Call::Listen { backlog: 5 });
    assert_eq!(call_of("s.listen()"), Call::Listen { backlog: 128 });
    assert_eq!(call_of("s.settimeout(0.5)"), Call::SetTimeout(Some(500)));
    assert_eq!(call_of("s.settimeout(2)"), Call::SetTimeout(Some(2000)));
    assert_eq!(call_of("s.settimeout(None)"), Call::SetTimeout(None));
    assert_eq!(call_of("s.setblocking(False)"), Call::SetBlocking(false));
    assert_eq!(call_of("s.setblocking(1)"), Call::SetBlocking(true));
    assert_eq!(call_of("s.listen(-1)"), Call::Listen { backlog: -1 });
}

#[test]
fn bytes_literals_and_escapes() {
    assert_eq!(
        call_of(r"s.send(b'GET / HTTP/1.0\r\n\r\n')"),
        Call::Send {
            data: b"GET / HTTP/1.0\r\n\r\n".to_vec()
        }
    );
    assert_eq!(
        call_of(r#"s.sendall(b"\x00\xff\t\\ \'q\'")"#),
        Call::SendAll {
            data: b"\x00\xff\t\\ 'q'".to_vec()
        }
    );
    assert_eq!(
        call_of("s.send(b'x' * 100000)"),
        Call::Send {
            data: vec![b'x'; 100000]
        }
    );
    assert_eq!(call_of("s.send(b'')"), Call::Send { data: Vec::new() });
    assert_eq!(
        call_of("s.send('你好'.encode('utf-8'))"),
        Call::Send {
            data: "你好".as_bytes().to_vec()
        }
    );
    assert_eq!(
        call_of("s.send('hi'.encode())"),
        Call::Send {
            data: b"hi".to_vec()
        }
    );
}

#[test]
fn escapes_inside_toml_basic_strings() {
    // In a TOML "..." string, \\r reaches the action as \r (an escape), while TOML's own \n
    // becomes a real newline byte: both send the same bytes.
    let text = "[[step]]\ndo = [\"s = socket()\", \"s.send(b'a\\\\r\\n')\"]\n";
    let script = parse(text).unwrap();
    match &script.steps[0].actions[1].kind {
        ActionKind::Call { call, .. } => assert_eq!(
            call.call,
            Call::Send {
                data: b"a\r\n".to_vec()
            }
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn tuples_addresses_and_names() {
    assert_eq!(
        call_of("s.bind(('127.0.0.1', 0))"),
        Call::Bind(AddrArg::inet("127.0.0.1", 0))
    );
    assert_eq!(
        call_of("s.connect(('::1', 8080, 0, 0))"),
        Call::Connect(AddrArg::inet("::1", 8080))
    );
    assert_eq!(
        call_of("s.bind('/tmp/demo.sock')"),
        Call::Bind(AddrArg::Path("/tmp/demo.sock".into()))
    );
    match action("s.connect(u)").kind {
        ActionKind::Call { call, .. } => assert_eq!(call.addr_from.as_deref(), Some("u")),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        call_of("u.sendto(b'hi', ('127.0.0.1', 9))"),
        Call::SendTo {
            data: b"hi".to_vec(),
            addr: AddrArg::inet("127.0.0.1", 9)
        }
    );
    assert_eq!(
        call_of("u.sendto(b'hi', 0, ('127.0.0.1', 9))"),
        Call::SendTo {
            data: b"hi".to_vec(),
            addr: AddrArg::inet("127.0.0.1", 9)
        }
    );
}

#[test]
fn flags_and_shutdown() {
    assert_eq!(
        call_of("s.recv(4, MSG_PEEK | MSG_WAITALL)"),
        Call::Recv {
            bufsize: 4,
            flags: RecvFlags {
                peek: true,
                waitall: true,
                dontwait: false
            }
        }
    );
    assert_eq!(
        call_of("s.recv(4, socket.MSG_DONTWAIT)"),
        Call::Recv {
            bufsize: 4,
            flags: RecvFlags {
                dontwait: true,
                ..RecvFlags::default()
            }
        }
    );
    assert_eq!(
        call_of("s.shutdown(SHUT_WR)"),
        Call::Shutdown(ShutdownHow::Write)
    );
    assert_eq!(call_of("s.shutdown(2)"), Call::Shutdown(ShutdownHow::Both));
}

#[test]
fn socket_options() {
    assert_eq!(
        call_of("s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)"),
        Call::SetOpt {
            name: "SO_REUSEADDR".into(),
            value: OptValue::Int(1)
        }
    );
    assert_eq!(
        call_of("s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, True)"),
        Call::SetOpt {
            name: "TCP_NODELAY".into(),
            value: OptValue::Int(1)
        }
    );
    assert_eq!(
        call_of("s.setsockopt(SOL_SOCKET, SO_LINGER, struct.pack('ii', 1, 0))"),
        Call::SetOpt {
            name: "SO_LINGER".into(),
            value: OptValue::Linger(Some(0))
        }
    );
    assert_eq!(
        call_of("s.setsockopt(SOL_SOCKET, SO_LINGER, linger(0))"),
        Call::SetOpt {
            name: "SO_LINGER".into(),
            value: OptValue::Linger(Some(0))
        }
    );
    assert_eq!(
        call_of("s.setsockopt(SOL_SOCKET, SO_LINGER, struct.pack('ii', 0, 5))"),
        Call::SetOpt {
            name: "SO_LINGER".into(),
            value: OptValue::Linger(None)
        }
    );
    assert_eq!(
        call_of("u.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, membership('224.1.1.1', '0.0.0.0'))"),
        Call::SetOpt {
            name: "IP_ADD_MEMBERSHIP".into(),
            value: OptValue::Membership {
                group: "224.1.1.1".into(),
                interface: "0.0.0.0".into()
            }
        }
    );
    assert_eq!(
        call_of("s.getsockopt(SOL_SOCKET, SO_RCVBUF)"),
        Call::GetOpt {
            name: "SO_RCVBUF".into()
        }
    );
}

#[test]
fn expectations_of_every_kind() {
    assert_eq!(
        checks("s.send(b'hello') => 5"),
        vec![Check::Value {
            op: CmpOp::Eq,
            value: 5
        }]
    );
    assert_eq!(
        checks("s.recv(1024) => b'hello', blocks >= 200ms, blocks < 2s, blocks"),
        vec![
            Check::Data(b"hello".to_vec()),
            Check::Blocks(Some((CmpOp::Ge, 200_000))),
            Check::Blocks(Some((CmpOp::Lt, 2_000_000))),
            Check::Blocks(None),
        ]
    );
    assert_eq!(
        checks("s.connect(('127.0.0.1', 1)) => ECONNREFUSED"),
        vec![Check::Errno {
            name: "ECONNREFUSED".into(),
            code: libc::ECONNREFUSED
        }]
    );
    assert_eq!(
        checks("s.recv(1) => EAGAIN"),
        vec![Check::Errno {
            name: "EAGAIN".into(),
            code: libc::EAGAIN
        }]
    );
    assert_eq!(
        checks("s.recv(1) => timeout, eof, cancelled, ok, truncated"),
        vec![
            Check::Timeout,
            Check::Eof,
            Check::Cancelled,
            Check::Ok,
            Check::Truncated
        ]
    );
    assert_eq!(checks("s.close() => None"), vec![Check::NoneValue]);
    assert_eq!(
        checks("u.recvfrom(10) => from == s, len == 3"),
        vec![
            Check::From {
                op: CmpOp::Eq,
                addr: AddrRef::Name("s".into())
            },
            Check::Moved {
                op: CmpOp::Eq,
                value: 3
            }
        ]
    );
    assert_eq!(
        checks("s.getsockname() => ('127.0.0.1', 8080)"),
        vec![Check::Address {
            op: CmpOp::Eq,
            addr: AddrRef::Literal(AddrArg::inet("127.0.0.1", 8080))
        }]
    );
    assert_eq!(
        checks("s.getsockopt(SOL_SOCKET, SO_RCVBUF) => value >= 4096"),
        vec![Check::Value {
            op: CmpOp::Ge,
            value: 4096
        }]
    );
    assert_eq!(
        checks("s.kernel() => accept_queue == 1, state == LISTEN, rx_queue >= 0"),
        vec![
            Check::Kernel {
                field: "accept_queue".into(),
                op: CmpOp::Eq,
                value: FieldValue::Int(1)
            },
            Check::Kernel {
                field: "tcp_state".into(),
                op: CmpOp::Eq,
                value: FieldValue::Name("LISTEN".into())
            },
            Check::Kernel {
                field: "rx_queue".into(),
                op: CmpOp::Ge,
                value: FieldValue::Int(0)
            },
        ]
    );
    let exp = action("s.recv(1024) => b'hi',  blocks >= 0.2s").expect;
    assert_eq!(exp[1].text, "blocks >= 0.2s");
    assert_eq!(exp[1].line, 6);
    assert_eq!(exp[1].column, 6 + "s.recv(1024) => b'hi',  ".len());
}

#[test]
fn background_await_and_targets() {
    let script = parse(&script_with(&[
        "server = socket()",
        "server.bind(('127.0.0.1', 0))",
        "server.listen()",
        "&conn, addr = server.accept()",
        "client = socket()",
        "client.connect(server)",
        "await server.accept => ok",
        "conn.send(b'x')",
        "client.connect(addr)",
        "data = client.recv(10)",
        "client.send(data)",
        "&conn.recv(10)",
        "await conn",
        "client.close()",
        "sleep 1.5s",
        "stay 2min",
        "stay",
        "server.auto(accept, receive, respond='upper')",
        "server.auto(echo, bufsize=4096)",
        "client.auto(flood=0, to=server, chunk=100, total=1000)",
        "server.auto(off)",
        "client.cancel()",
        "server_conn3.kernel()",
    ]))
    .unwrap();
    let actions = &script.steps[0].actions;
    assert!(matches!(
        &actions[3].kind,
        ActionKind::Call { background: true, targets, .. } if targets == &["conn", "addr"]
    ));
    assert_eq!(
        actions[6].kind,
        ActionKind::Await {
            socket: "server".into(),
            call: Some(crate::engine::CallKind::Accept),
            target: ActionRef { step: 0, index: 3 }
        }
    );
    assert!(
        matches!(&actions[10].kind, ActionKind::Call { call, .. } if call.data_from.as_deref() == Some("data"))
    );
    assert!(matches!(
        &actions[12].kind,
        ActionKind::Await {
            target: ActionRef { index: 11, .. },
            ..
        }
    ));
    assert_eq!(actions[14].kind, ActionKind::Sleep { ms: 1500 });
    assert_eq!(actions[15].kind, ActionKind::Stay { ms: Some(120_000) });
    assert_eq!(actions[16].kind, ActionKind::Stay { ms: None });
    match &actions[17].kind {
        ActionKind::Auto { automation, .. } => {
            assert!(automation.auto_accept && automation.auto_receive);
            assert_eq!(automation.responder, Some(Responder::UppercaseEcho));
        }
        other => panic!("{other:?}"),
    }
    match &actions[19].kind {
        ActionKind::Auto {
            automation,
            flood_to,
            ..
        } => {
            let flood = automation.flood.clone().unwrap();
            assert_eq!(
                (flood.bytes_per_sec, flood.chunk_size, flood.total_bytes),
                (0, 100, Some(1000))
            );
            assert_eq!(flood_to.as_deref(), Some("server"));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(&actions[20].kind, ActionKind::Auto { automation, .. } if *automation == Automation::default())
    );
}

#[test]
fn bad_toml_reports_its_line() {
    let text =
        "title = 't'\n[[step]]\ndo = [\"s = socket()\",\n  \"s.listen(5)\"\n  \"s.close()\"]\n";
    let error = parse(text).unwrap_err();
    assert_eq!(error.line, 5, "{error}");
    let error = parse("title = 't'\n[[step]]\nsya = 'hi'\ndo = []\n").unwrap_err();
    assert_eq!(error.line, 3, "{error}");
    assert!(error.message.contains("sya"), "{error}");
    let error = parse("title = 't'\n").unwrap_err();
    assert!(error.message.contains("no steps"), "{error}");
    let error = parse("timeout_ms = -5\n[[step]]\ndo = []\n").unwrap_err();
    assert_eq!((error.line, error.column), (1, 14), "{error}");
}

#[test]
fn unknown_call_with_suggestion_and_column() {
    let (line, column, message) = error("s.recvv(1024)");
    assert_eq!((line, column), (6, 8));
    assert_eq!(message, "unknown call 'recvv' (did you mean recv?)");
    let (_, column, message) = error("recv(1024)");
    assert_eq!(column, 6);
    assert!(message.contains("needs a socket"), "{message}");
}

#[test]
fn port_over_65535() {
    let (line, column, message) = error("s.bind(('127.0.0.1', 70000))");
    assert_eq!((line, column), (6, 6 + "s.bind(('127.0.0.1', ".len()));
    assert_eq!(message, "port 70000 is over 65535");
}

#[test]
fn unknown_errno_name() {
    let (line, column, message) = error("s.connect(('127.0.0.1', 1)) => EFOO");
    assert_eq!(
        (line, column),
        (6, 6 + "s.connect(('127.0.0.1', 1)) => ".len())
    );
    assert!(message.starts_with("unknown errno name EFOO"), "{message}");
    let (_, _, message) = error("s.connect(('127.0.0.1', 1)) => ECONREFUSED");
    assert!(message.contains("did you mean ECONNREFUSED?"), "{message}");
}

#[test]
fn malformed_actions() {
    let cases: &[(&str, usize, &str)] = &[
        ("clinet.send(b'x')", 0, "no socket named 'clinet'"),
        ("s.send('hello')", 7, "send takes bytes, not a str"),
        ("s.send(b'a\\q')", 10, "unknown escape \\q"),
        ("s.send(b'abc)", 7, "no closing"),
        ("s.recv(1024", 11, "missing ')'"),
        ("s.recv(1024) => blocks >= 200", 26, "add a time unit"),
        ("s.recv(1024) => bogus", 16, "unknown expectation 'bogus'"),
        ("s.send(b'x') => b'x'", 16, "returns no bytes"),
        (
            "s.setsockopt(SOL_SOCKET, SO_REUSEADR, 1)",
            25,
            "did you mean SO_REUSEADDR?",
        ),
        (
            "s.setsockopt(SOL_SOCKET, TCP_NODELAY, 1)",
            13,
            "set at level IPPROTO_TCP",
        ),
        (
            "x = socket(AF_INTE, SOCK_STREAM)",
            11,
            "did you mean AF_INET?",
        ),
        ("s.recv(4, MSG_PEK)", 10, "did you mean MSG_PEEK?"),
        (
            "s.kernel() => stat == LISTEN",
            14,
            "kernel() has no field 'stat'",
        ),
        ("await s", 0, "nothing started with '&' on 's'"),
        ("s.auto(respond='uppr')", 15, "unknown responder 'uppr'"),
        ("s.settimeout(-1)", 13, "cannot be negative"),
        ("sleep 5", 6, "add a time unit"),
        ("s.listen(5) 6", 12, "unexpected 6"),
        (
            "s.connect(nowhere)",
            10,
            "no socket or address named 'nowhere'",
        ),
        ("s.send(b'x' * 100000000)", 12, "over the limit"),
        ("", 0, "empty action"),
        ("socket()", 0, "give the new socket a name"),
        ("s.bind(('127.0.0.1', -1))", 21, "negative"),
        ("s.send(b'é')", 9, "ASCII only"),
        ("n = s.send(b'x')", 0, "gives no value to keep"),
    ];
    for (text, pos, needle) in cases {
        let (line, column, message) = error(text);
        assert_eq!(line, 6, "{text}: {message}");
        assert!(message.contains(needle), "{text}: {message}");
        assert_eq!(column, 6 + pos, "{text}: {message}");
    }
}

#[test]
fn columns_follow_toml_escapes_and_multiline_strings() {
    // A basic string with TOML escapes before the error: the column still points at 'bogus'.
    let text = "[[step]]\ndo = [\"s = socket()\", \"s.send(b'\\\\x00\\\\t') => 1, bogus\"]\n";
    let error = parse(text).unwrap_err();
    let line = text.lines().nth(1).unwrap();
    assert_eq!(error.line, 2);
    assert_eq!(error.column, line.find("bogus").unwrap() + 1, "{error}");
    // An action on the second line of a multi-line literal string.
    let text = "[[step]]\ndo = [\n'''\ns = socket()''', '''\ns.recvv(1)''']\n";
    let error = parse(text).unwrap_err();
    assert_eq!((error.line, error.column), (5, 3), "{error}");
}

#[test]
fn render_points_a_caret() {
    let text = script_with(&["s = socket()", "s.recvv(1)"]);
    let error = parse(&text).unwrap_err();
    let shown = error.render("x.toml", &text);
    assert!(
        shown.starts_with("x.toml:5:8: unknown call 'recvv'"),
        "{shown}"
    );
    assert!(shown.ends_with("\n           ^"), "{shown:?}");
}

#[test]
fn a_step_says_what_is_on_stage() {
    let text = "title = 't'\nstage = [\"timeline\", \"python\"]\n\
                [[step]]\ndo = ['a = socket()', 'b = socket()']\n\
                stage = [\"timeline a b\", \"kernel a\", \"received b\", \"system\", \"calls\"]\nkey = true\n\
                [[step]]\ndo = ['a.kernel()', 'b.close()']\n";
    let script = parse(text).expect("parses");
    assert_eq!(
        script.steps[0].stage,
        vec![
            StageView::Timeline(vec!["a".into(), "b".into()]),
            StageView::Kernel("a".into()),
            StageView::Received("b".into()),
            StageView::System,
            StageView::Calls,
        ]
    );
    assert!(script.steps[0].key);
    assert_eq!(script.key_step(), 0);
    // A step that says nothing gets the script's stage.
    assert_eq!(
        script.stage_of(1),
        vec![StageView::Timeline(Vec::new()), StageView::Python]
    );
}

#[test]
fn the_default_stage_is_the_timeline_and_the_gauges_the_step_asks_for() {
    let text = "[[step]]\ndo = ['a = socket()', 'b = socket()', 'b.close()', 'a.kernel()']\n\
                [[step]]\ndo = ['a.close()']\n";
    let script = parse(text).expect("parses");
    assert_eq!(
        script.stage_of(0),
        vec![
            StageView::Timeline(Vec::new()),
            StageView::Kernel("a".into())
        ]
    );
    // Without kernel(): the sockets it calls.
    assert_eq!(
        script.stage_of(1),
        vec![
            StageView::Timeline(Vec::new()),
            StageView::Kernel("a".into())
        ]
    );
    assert_eq!(script.key_step(), 1);
}

#[test]
fn a_stage_naming_an_unknown_socket_or_view_is_refused_where_written() {
    let text = "[[step]]\ndo = ['a = socket()']\nstage = [\"kernel nobody\"]\n";
    let error = parse(text).expect_err("unknown socket");
    assert_eq!((error.line, error.column), (3, 10));
    assert!(
        error.message.contains("'nobody' is not a socket"),
        "{}",
        error.message
    );
    let text = "[[step]]\ndo = ['a = socket()']\nstage = [\"timeline\", \"gauges a\"]\n";
    let error = parse(text).expect_err("unknown view");
    assert!(
        error.message.contains("unknown view 'gauges'"),
        "{}",
        error.message
    );
    let text = "[[step]]\ndo = ['a = socket()']\nstage = [\"kernel\"]\n";
    let error = parse(text).expect_err("kernel needs a socket");
    assert!(
        error.message.contains("'kernel' shows one socket"),
        "{}",
        error.message
    );
    // A socket made only in a later step is not on stage yet.
    let text = "[[step]]\ndo = ['a = socket()']\nstage = [\"kernel b\"]\n[[step]]\ndo = ['b = socket()']\n";
    assert!(parse(text).is_err());
}

#[test]
fn port_and_host_expectations() {
    assert_eq!(
        checks("s.getsockname() => port in ephemeral, port >= 1024, host == '127.0.0.1'"),
        vec![
            Check::Port(PortCheck::Ephemeral),
            Check::Port(PortCheck::Cmp {
                op: CmpOp::Ge,
                value: 1024
            }),
            Check::Host {
                op: CmpOp::Eq,
                host: "127.0.0.1".to_string()
            },
        ]
    );
    let (_, _, message) = error("s.getsockname() => port in range");
    assert!(message.contains("expected 'ephemeral'"), "{message}");
    let (_, _, message) = error("s.getsockname() => host == 'localhost'");
    assert!(message.contains("not an IP address"), "{message}");
    let (_, _, message) = error("s.bind(('127.0.0.1', 0)) => port > 0");
    assert!(message.contains("bind() returns no address"), "{message}");
    let (_, _, message) = error("s.getsockname() => port >= 70000");
    assert!(message.contains("65535"), "{message}");
}

#[test]
fn system_rows_unlink_and_host_name() {
    match action("system(s) => time_wait == 1, rows >= 2").kind {
        ActionKind::System { addr } => assert_eq!(addr, AddrRef::Name("s".to_string())),
        other => panic!("not system(): {other:?}"),
    }
    assert_eq!(
        checks("system(('127.0.0.1', 8080)) => listen == 0"),
        vec![Check::Kernel {
            field: "listen".to_string(),
            op: CmpOp::Eq,
            value: FieldValue::Int(0)
        }]
    );
    let (line, column, message) = error("system(s) => time_waits == 1");
    assert_eq!((line, column), (6, 19), "{message}");
    assert!(message.contains("did you mean time_wait"), "{message}");
    let (_, _, message) = error("system(nobody)");
    assert!(
        message.contains("no socket or address named 'nobody'"),
        "{message}"
    );

    match action("os.unlink('/tmp/x.sock') => ENOENT").kind {
        ActionKind::Unlink { path } => assert_eq!(path, "/tmp/x.sock"),
        other => panic!("not os.unlink: {other:?}"),
    }
    let (_, _, message) = error("os.unlink(s)");
    assert!(message.contains("the socket file's path"), "{message}");
    let (_, _, message) = error("os.unlink('/tmp/x.sock') => 5");
    assert!(message.contains("ok, None or an errno"), "{message}");

    match call_of("s.bind((gethostname(), 0))") {
        Call::Bind(AddrArg::Inet { host, port }) => {
            assert_eq!(host, crate::engine::host_name());
            assert_eq!(port, 0);
        }
        other => panic!("not bind: {other:?}"),
    }
    let (_, _, message) = error("s.bind((gethostname(1), 0))");
    assert!(
        message.contains("gethostname() takes no arguments"),
        "{message}"
    );
}

/// The error for `text`, parsed with its messages in `lang`.
fn error_in(lang: Lang, text: &str) -> ScriptError {
    parse_in(lang, text).expect_err(text)
}

#[test]
fn mistakes_are_explained_in_chinese_at_the_same_place() {
    let with_prelude = |action: &str| {
        let mut actions = PRELUDE.to_vec();
        actions.push(action);
        script_with(&actions)
    };
    let cases: &[(&str, String, &str)] = &[
        (
            "unknown call",
            with_prelude("s.recvv(1024)"),
            "未知的调用“recvv”（是不是想写 recv？）",
        ),
        (
            "bad address",
            with_prelude("s.bind(('300.1.1.1', 80))"),
            "“300.1.1.1”不是 IPv4 地址：IPv4 地址是用点隔开的四个 0-255 的数",
        ),
        (
            "unknown option",
            with_prelude("s.setsockopt(SOL_SOCKET, SO_REUSEADR, 1)"),
            "未知的选项 SO_REUSEADR（是不是想写 SO_REUSEADDR？）",
        ),
        (
            "bad stage view",
            "[[step]]\ndo = ['a = socket()']\nstage = [\"timeline\", \"gauges a\"]\n".to_string(),
            "stage：没有“gauges”这种视图（可用的视图：timeline [sockets], kernel SOCKET, \
             received SOCKET, system, python, calls, wire）",
        ),
        (
            "a number for the host",
            with_prelude("s.connect((5, 80))"),
            "主机要写成字符串，比如 '127.0.0.1'，不能是整数 5",
        ),
        (
            "a number for say",
            "[[step]]\nsay = 5\ndo = []\n".to_string(),
            "这里应该是一个字符串，或者 en 和 zh 两个字符串（say.en = \"…\" 和 say.zh = \"…\"）",
        ),
        (
            "an unknown name",
            with_prelude("clinet.send(b'x')"),
            "没有名叫“clinet”的套接字",
        ),
        (
            "a missing time unit",
            with_prelude("sleep 5"),
            "数字后面要加时间单位：200ms、1.5s、2min",
        ),
        (
            "a bad escape",
            with_prelude("s.send(b'a\\q')"),
            "bytes 字面量里没有 \\q 这种转义（可用的有：\\n \\r \\t \\0 \\xNN \\\\ \\' \\\"）",
        ),
    ];
    for (what, text, chinese) in cases {
        let english = error_in(Lang::En, text);
        let zh = error_in(Lang::Zh, text);
        assert_eq!(
            (zh.line, zh.column),
            (english.line, english.column),
            "{what}: {} / {}",
            english.message,
            zh.message
        );
        assert_eq!(zh.message, *chinese, "{what}");
        // `parse` is English, as before.
        assert_eq!(parse(text).expect_err(what), english, "{what}");
        // Rendered, the FILE:LINE:COL prefix and the excerpt are the same in both languages.
        let prefix = format!("x.toml:{}:{}: ", english.line, english.column);
        let shown = zh.render("x.toml", text);
        assert!(shown.starts_with(&format!("{prefix}{chinese}")), "{shown}");
        assert_eq!(
            shown.split_once('\n').map(|(_, excerpt)| excerpt),
            english
                .render("x.toml", text)
                .split_once('\n')
                .map(|(_, excerpt)| excerpt),
            "{what}"
        );
    }
}
