use super::*;
use crate::engine::{Flood, Responder};
use crate::i18n::Lang;
use crate::messages::{BodyFormat, MatchKind, SendCall, Transport};
use proptest::prelude::*;

fn family_strategy() -> impl Strategy<Value = Family> {
    prop_oneof![Just(Family::Ipv4), Just(Family::Ipv6), Just(Family::Unix)]
}

fn address_strategy(family: Family) -> BoxedStrategy<AddrArg> {
    match family {
        Family::Ipv4 => (
            prop_oneof![Just("127.0.0.1"), Just("0.0.0.0"), Just("localhost")],
            0u32..=65535,
        )
            .prop_map(|(host, port)| AddrArg::inet(host, port))
            .boxed(),
        Family::Ipv6 => (
            prop_oneof![Just("::1"), Just("::"), Just("::ffff:127.0.0.1")],
            0u32..=65535,
        )
            .prop_map(|(host, port)| AddrArg::inet(host, port))
            .boxed(),
        // Quotes, backslashes and other scripts in a path must survive the trip.
        Family::Unix => "[a-z'\"\\\\ü中 ._-]{1,12}"
            .prop_map(|tail| AddrArg::Path(format!("/tmp/ws-{tail}.sock")))
            .boxed(),
    }
}

fn option_strategy() -> impl Strategy<Value = (String, OptValue)> {
    prop_oneof![
        (0i64..=1).prop_map(|v| ("SO_REUSEADDR".to_string(), OptValue::Int(v))),
        (1024i64..=1_000_000).prop_map(|v| ("SO_RCVBUF".to_string(), OptValue::Int(v))),
        (1024i64..=1_000_000).prop_map(|v| ("SO_SNDBUF".to_string(), OptValue::Int(v))),
        (0i64..=1).prop_map(|v| ("SO_KEEPALIVE".to_string(), OptValue::Int(v))),
        proptest::option::of(0u32..=100)
            .prop_map(|v| ("SO_LINGER".to_string(), OptValue::Linger(v))),
    ]
}

fn mode_strategy() -> impl Strategy<Value = Mode> {
    prop_oneof![
        Just(Mode::Blocking),
        Just(Mode::NonBlocking),
        (1u64..=100_000).prop_map(|timeout_ms| Mode::Timeout { timeout_ms }),
    ]
}

/// Automation as a script can say it: a responder implies receiving, a receive size only
/// with receiving.
fn automation_strategy(family: Family) -> impl Strategy<Value = (Automation, bool)> {
    (
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(proptest::sample::select(Responder::ALL.to_vec())),
        proptest::option::of((
            0u64..=10_000_000,
            1usize..=300_000,
            proptest::option::of(1u64..=1 << 26),
        )),
        0usize..=65536,
        proptest::option::of(address_strategy(family)),
        any::<bool>(),
    )
        .prop_map(
            |(accept, receive, responder, flood, bufsize, destination, to_a_socket)| {
                let auto_receive = receive || responder.is_some();
                let automation = Automation {
                    auto_accept: accept,
                    auto_receive,
                    responder,
                    flood: flood.map(|(rate, chunk, total)| Flood {
                        bytes_per_sec: rate,
                        destination: if to_a_socket { None } else { destination },
                        chunk_size: chunk,
                        total_bytes: total,
                    }),
                    recv_bufsize: if auto_receive { bufsize } else { 0 },
                };
                let flood_to = automation.flood.is_some() && to_a_socket;
                (automation, flood_to)
            },
        )
}

fn socket_strategy(index: usize) -> impl Strategy<Value = SocketSetup> {
    (family_strategy(), any::<bool>(), "[a-z0-9_]{0,6}").prop_flat_map(
        move |(family, stream, suffix)| {
            let sock_type = if stream {
                SockType::Stream
            } else {
                SockType::Datagram
            };
            (
                proptest::collection::vec(option_strategy(), 0..3),
                proptest::option::of(address_strategy(family)),
                proptest::option::of(0i32..=200),
                proptest::option::of(address_strategy(family)),
                automation_strategy(family),
                mode_strategy(),
            )
                .prop_map(
                    move |(options, bind, listen, connect, (automation, flood_to), mode)| {
                        let mut setup =
                            SocketSetup::new(format!("s{index}_{suffix}"), family, sock_type);
                        setup.options = options;
                        setup.bind = bind;
                        setup.listen = if stream { listen } else { None };
                        setup.connect = connect.map(Target::Address);
                        setup.automation = automation;
                        // The first socket is every flood's and every named connect's target.
                        setup.flood_to = flood_to.then(|| "s0_target".to_string());
                        setup.mode = mode;
                        setup
                    },
                )
        },
    )
}

fn message_strategy() -> impl Strategy<Value = SavedMessage> {
    (
        ".{0,20}",
        ".{0,40}",
        any::<bool>(),
        proptest::sample::select(crate::codec::TextEncoding::ALL.to_vec()),
        proptest::sample::select(vec![SendCall::Send, SendCall::SendAll, SendCall::SendTo]),
        ".{0,20}",
        proptest::option::of(prop_oneof![Just(Transport::Tcp), Just(Transport::Udp)]),
        0u64..=100_000,
    )
        .prop_map(
            |(name, body, hex, encoding, call, destination, transport, repeat)| SavedMessage {
                name,
                body,
                format: if hex {
                    BodyFormat::Hex
                } else {
                    BodyFormat::Text
                },
                encoding,
                call,
                destination,
                transport,
                repeat_every_ms: repeat,
            },
        )
}

fn rule_strategy() -> impl Strategy<Value = ReplyRule> {
    (
        proptest::sample::select(vec![
            MatchKind::Exact,
            MatchKind::Prefix,
            MatchKind::Contains,
            MatchKind::Regex,
        ]),
        ".{0,20}",
        any::<bool>(),
        ".{0,20}",
    )
        .prop_map(|(kind, pattern, hex, reply)| ReplyRule {
            kind,
            pattern,
            format: if hex {
                BodyFormat::Hex
            } else {
                BodyFormat::Text
            },
            reply,
        })
}

fn table_strategy() -> impl Strategy<Value = toml::Table> {
    proptest::collection::btree_map("[a-z_]{1,8}", ".{0,12}", 0..4).prop_map(|map| {
        map.into_iter()
            .map(|(key, value)| (key, toml::Value::String(value)))
            .collect()
    })
}

fn workspace_strategy() -> impl Strategy<Value = Workspace> {
    (0usize..5).prop_flat_map(|count| {
        let sockets: Vec<_> = (0..count).map(socket_strategy).collect();
        (
            ".{0,20}",
            sockets,
            proptest::collection::vec(message_strategy(), 0..4),
            proptest::collection::vec(rule_strategy(), 0..3),
            proptest::collection::btree_map("[a-z]{1,6}", table_strategy(), 0..3),
            table_strategy(),
            proptest::collection::vec(
                proptest::sample::select(vec!["sleep 5ms", "wire off", "sleep 1s"]),
                0..3,
            ),
            any::<bool>(),
        )
            .prop_map(
                |(title, mut sockets, messages, rules, composers, view, other, connect_by_name)| {
                    if let Some(first) = sockets.first_mut() {
                        first.name = "s0_target".to_string();
                        first.flood_to = None;
                        if first.automation.flood.is_some()
                            && first
                                .automation
                                .flood
                                .as_ref()
                                .is_some_and(|f| f.destination.is_none())
                        {
                            first.automation.flood = None;
                        }
                    }
                    if connect_by_name {
                        for socket in sockets.iter_mut().skip(1) {
                            socket.connect = Some(Target::Socket("s0_target".to_string()));
                        }
                    }
                    Workspace {
                        title,
                        sockets,
                        messages,
                        rules,
                        composers,
                        view,
                        other_actions: other.into_iter().map(str::to_string).collect(),
                    }
                },
            )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn reading_what_was_printed_gives_the_same_workspace(workspace in workspace_strategy()) {
        let text = print(&workspace);
        let read = read(Lang::En, &text).map_err(|error| {
            TestCaseError::fail(format!("{}\n{text}", error.render("ws.toml", &text)))
        })?;
        prop_assert_eq!(&read.workspace, &workspace, "{}", text);
        prop_assert!(read.unknown_keys.is_empty());
        prop_assert_eq!(read.newer_version, None);
    }
}

#[test]
fn a_workspace_reads_as_a_script_that_rebuilds_its_sockets() {
    let mut server = SocketSetup::new("server", Family::Ipv4, SockType::Stream);
    server
        .options
        .push(("SO_REUSEADDR".into(), OptValue::Int(1)));
    server.bind = Some(AddrArg::inet("127.0.0.1", 0));
    server.listen = Some(5);
    server.automation = Automation {
        auto_accept: true,
        auto_receive: true,
        responder: Some(Responder::Echo),
        ..Automation::default()
    };
    let mut client = SocketSetup::new("client", Family::Ipv4, SockType::Stream);
    client.connect = Some(Target::Socket("server".into()));
    client.mode = Mode::Timeout { timeout_ms: 2500 };
    let workspace = Workspace {
        title: "bench".into(),
        sockets: vec![server, client],
        ..Workspace::default()
    };
    let text = print(&workspace);
    let expected_actions = [
        "server = socket(AF_INET, SOCK_STREAM)",
        "server.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)",
        "server.bind(('127.0.0.1', 0))",
        "server.listen(5)",
        "client = socket(AF_INET, SOCK_STREAM)",
        "client.connect(server)",
        "server.auto(accept, receive, respond='echo')",
        "client.settimeout(2.5)",
    ];
    let script = crate::script::parse(&text).expect("a workspace is a script");
    let actions: Vec<&str> = script.steps[0]
        .actions
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    assert_eq!(actions, expected_actions, "{text}");
}

#[test]
fn keys_from_a_newer_version_are_named() {
    let text = r#"
title = "later"
[[step]]
do = ["s = socket()"]

[workspace]
version = 7
colour = "teal"

[[workspace.message]]
name = "hi"
body = "hi"
shape = "round"
"#;
    let read = read(Lang::En, text).expect("readable");
    assert_eq!(read.newer_version, Some(7));
    assert_eq!(
        read.unknown_keys,
        ["workspace.colour", "workspace.message[1].shape"]
    );
    assert_eq!(read.workspace.messages.len(), 1);
    assert_eq!(read.workspace.messages[0].name, "hi");
}

#[test]
fn a_malformed_workspace_table_is_refused_with_line_and_column() {
    let text = "title = \"x\"\n[[step]]\ndo = []\n\n[workspace]\nversion = 1\n\n[[workspace.message]]\nname = 5\n";
    let error = read(Lang::En, text).expect_err("a number is not a name");
    assert_eq!(error.line, 9, "{error:?}");
    assert!(
        error.message.contains("workspace.message[1].name"),
        "{error:?}"
    );
    let error = read(Lang::Zh, text).expect_err("a number is not a name");
    assert!(error.message.contains("无法读取"), "{error:?}");
}

/// Every key a saved message or a rule writes is one the reader knows (else a new field
/// would be read back as "from a newer version").
#[test]
fn the_reader_knows_every_key_an_entry_writes() {
    use super::read::Entry;
    fn keys<T: serde::Serialize>(value: T) -> Vec<String> {
        match toml::Value::try_from(value) {
            Ok(toml::Value::Table(table)) => table.keys().cloned().collect(),
            other => panic!("not a table: {other:?}"),
        }
    }
    let message = SavedMessage {
        transport: Some(Transport::Udp),
        ..SavedMessage::default()
    };
    for key in keys(message) {
        assert!(SavedMessage::KEYS.contains(&key.as_str()), "{key}");
    }
    for key in keys(ReplyRule::default()) {
        assert!(ReplyRule::KEYS.contains(&key.as_str()), "{key}");
    }
}
