//! A workspace saved from what a session set up rebuilds it: the same sockets, set, bound,
//! listening and connected as before, serving a real client.

use socket_workbench::engine::{AddrArg, Family, Mode, OptValue, Responder, SockType};
use socket_workbench::i18n::Lang;
use socket_workbench::script::{Runner, parse};
use socket_workbench::workspace::{self, Target};
use std::io::{Read, Write};
use std::time::Duration;

const SETUP: &str = r#"
[[step]]
do = [
  "server = socket(AF_INET, SOCK_STREAM)",
  "server.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)",
  "server.bind(('127.0.0.1', 0))",
  "server.listen(5)",
  "server.auto(accept, receive, respond='upper')",
  "client = socket(AF_INET, SOCK_STREAM)",
  "client.connect(server)                => None",
  "client.settimeout(2)",
  "client.send(b'hi')                    => 2",
  "client.recv(10)                       => b'HI'",
  "u = socket(AF_INET6, SOCK_DGRAM)",
  "u.bind(('::1', 0))",
  "u.setblocking(False)",
]
"#;

fn run(text: &str) -> Runner<std::io::Sink> {
    let script = parse(text).unwrap_or_else(|error| panic!("{}", error.render("ws", text)));
    let mut runner = Runner::new(script, std::io::sink());
    runner.run_all();
    runner
}

#[test]
fn a_saved_workspace_rebuilds_the_sockets_and_they_serve_a_real_client() {
    let first = run(SETUP);
    assert_eq!(
        first.report().failures.len(),
        0,
        "{:?}",
        first.report().failures
    );
    let saved = workspace::print(&workspace::from_session(first.session()));
    drop(first);

    let read = workspace::read(Lang::En, &saved).expect("the saved file reads back");
    let sockets = &read.workspace.sockets;
    let names: Vec<&str> = sockets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["server", "client", "u"], "{saved}");
    let (server, client, u) = (&sockets[0], &sockets[1], &sockets[2]);
    assert_eq!(
        server.options,
        [("SO_REUSEADDR".to_string(), OptValue::Int(1))]
    );
    assert_eq!(server.bind, Some(AddrArg::inet("127.0.0.1", 0)));
    assert_eq!(server.listen, Some(5));
    assert_eq!(server.automation.responder, Some(Responder::UppercaseEcho));
    assert!(server.automation.auto_accept);
    assert_eq!(
        client.connect,
        Some(Target::Socket("server".into())),
        "{saved}"
    );
    assert_eq!(client.mode, Mode::Timeout { timeout_ms: 2000 });
    assert_eq!((u.family, u.sock_type), (Family::Ipv6, SockType::Datagram));
    assert_eq!(u.mode, Mode::NonBlocking);
    // The send and recv were not setup: they are not in the workspace.
    assert!(read.workspace.other_actions.is_empty(), "{saved}");

    // Rebuilt headless, the server answers a client that is not the workbench.
    let second = run(&saved);
    assert_eq!(
        second.report().failures.len(),
        0,
        "{saved}\n{:?}",
        second.report().failures
    );
    let server_id = second.socket_named("server").expect("server rebuilt");
    let local = second
        .session()
        .socket(server_id)
        .and_then(|view| view.local.clone())
        .expect("bound");
    let port = local.port().expect("a port");
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    stream.write_all(b"abc").expect("send");
    let mut reply = [0u8; 3];
    // Reading needs the runner's events applied: the engine's threads answer by themselves.
    stream
        .read_exact(&mut reply)
        .expect("the rebuilt server answers");
    assert_eq!(&reply, b"ABC");
    let client_id = second.socket_named("client").expect("client rebuilt");
    let client_view = second.session().socket(client_id).expect("client");
    assert_eq!(client_view.peer.as_ref().and_then(|p| p.port()), Some(port));
}

/// A workspace's reply rules, run headless: `respond='rules'` answers by the rules of the
/// file it is in.
mod reply_rules {
    use socket_workbench::engine::{Call, Origin, Responder};
    use socket_workbench::i18n::Lang;
    use socket_workbench::script::{ActionKind, Runner, parse, parse_in};
    use socket_workbench::session::LogEntry;
    use socket_workbench::workspace;

    const SERVER: &str = r#"
title = "Reply rules"

[[step]]
do = [
  "server = socket(AF_INET, SOCK_STREAM)",
  "server.bind(('127.0.0.1', 0))",
  "server.listen(5)",
  "server.auto(accept, respond='rules')",
  "client = socket(AF_INET, SOCK_STREAM)",
  "client.connect(server)                    => None",
  "client.settimeout(0.5)",
  "client.send(b'PING\\n')                   => 5",
  "client.recv(100)                          => b'PONG 1\\n'",
  "client.send(b'PING\\n')                   => 5",
  "client.recv(100)                          => b'PONG 2\\n'",
  "client.send(b'GET /x HTTP/1.0\\r\\n\\r\\n')",
  "client.recv(100)                          => b'HTTP/1.0 200 OK\\r\\n\\r\\nhello'",
  "client.send(b'nothing\\n')",
  "client.recv(100)                          => timeout",
]

[workspace]

[[workspace.message]]
name = "pong"
body = 'PONG ${counter}\n'

[[workspace.message]]
name = "page"
body = 'HTTP/1.0 200 OK\r\n\r\nhello'

[[workspace.rule]]
match = "prefix"
pattern = "PING"
reply = "pong"

[[workspace.rule]]
match = "regex"
pattern = '^GET (\S+)'
reply = "page"
"#;

    #[test]
    fn a_workspace_answers_by_its_rules_headless() {
        let script = parse(SERVER).unwrap_or_else(|error| panic!("{}", error.render("ws", SERVER)));
        // Every respond='rules' of the file shares the rules compiled once.
        let rules = script
            .steps
            .iter()
            .flat_map(|step| &step.actions)
            .find_map(|action| match &action.kind {
                ActionKind::Auto { automation, .. } => automation.responder.clone(),
                _ => None,
            });
        let Some(Responder::Rules(rules)) = rules else {
            panic!("{rules:?}");
        };
        assert_eq!(rules.len(), 2);
        let mut transcript = Vec::new();
        let mut runner = Runner::new(script, &mut transcript);
        runner.run_all();
        let failures = runner.report().failures.clone();
        let record_rules: Vec<Option<u32>> = runner
            .session()
            .log()
            .filter_map(|entry| match entry {
                LogEntry::Call(record)
                    if record.origin == Origin::Auto
                        && matches!(record.call, Call::Send { .. }) =>
                {
                    Some(record.reply_rule)
                }
                _ => None,
            })
            .collect();
        drop(runner);
        let transcript = String::from_utf8_lossy(&transcript);
        assert!(failures.is_empty(), "{failures:?}\n{transcript}");
        assert_eq!(record_rules, [Some(1), Some(1), Some(2)], "{transcript}");
        // The transcript says which rule sent each reply.
        let replies: Vec<&str> = transcript
            .lines()
            .filter(|line| line.contains("[auto] send("))
            .collect();
        assert_eq!(replies.len(), 3, "{transcript}");
        assert!(replies[0].contains("[rule 1, "), "{}", replies[0]);
        assert!(replies[2].contains("[rule 2, "), "{}", replies[2]);
        // The workspace module reads the same file's rules as they are written.
        let read = workspace::read(Lang::En, SERVER).expect("reads as a workspace");
        assert_eq!(read.workspace.rules.as_slice(), rules.rules());
    }

    /// `SERVER` with its `[workspace]` table replaced.
    fn with_table(table: &str) -> String {
        let (script, _) = SERVER.split_once("[workspace]").expect("a workspace table");
        format!("{script}{table}")
    }

    #[test]
    fn respond_rules_without_usable_rules_is_an_error_at_that_argument() {
        let column = |text: &str| {
            let line = text
                .lines()
                .position(|line| line.contains("respond='rules'"))
                .expect("the auto line")
                + 1;
            let column = text
                .lines()
                .nth(line - 1)
                .and_then(|l| l.find("'rules'"))
                .expect("the argument");
            (line, column)
        };
        let none = with_table("");
        let error = parse(&none).unwrap_err();
        assert_eq!((error.line, error.column - 1), column(&none), "{error}");
        assert!(
            error.message.contains("[[workspace.rule]]"),
            "{}",
            error.message
        );
        let chinese = parse_in(Lang::Zh, &none).unwrap_err();
        assert_ne!(chinese.message, error.message);

        let bad_regex = with_table(
            "[workspace]\n[[workspace.message]]\nname = 'm'\n\
             [[workspace.rule]]\npattern = 'x'\nreply = 'm'\n\
             [[workspace.rule]]\nmatch = 'regex'\npattern = '(x'\nreply = 'm'\n",
        );
        let error = parse(&bad_regex).unwrap_err();
        assert_eq!((error.line, error.column - 1), column(&bad_regex));
        assert!(
            error
                .message
                .contains("rule 2: its regular expression does not compile: unclosed group"),
            "{}",
            error.message
        );

        let no_message =
            with_table("[workspace]\n[[workspace.rule]]\npattern = 'x'\nreply = 'missing'\n");
        let error = parse(&no_message).unwrap_err();
        assert!(
            error.message.contains("rule 1") && error.message.contains("'missing'"),
            "{}",
            error.message
        );

        let malformed = with_table(
            "[workspace]\n[[workspace.rule]]\nmatch = 'sometimes'\npattern = 'x'\nreply = 'm'\n",
        );
        let error = parse(&malformed).unwrap_err();
        assert!(
            error.message.contains("workspace.rule[1]"),
            "{}",
            error.message
        );
        // A file whose rules are not asked for parses whatever they are.
        let unused = malformed.replace(
            "server.auto(accept, respond='rules')",
            "server.auto(accept)",
        );
        assert!(parse(&unused).is_ok());
    }
}

/// A file far larger than any script (someone else's, or the wrong file) is refused before
/// it is read, with its size.
#[test]
fn a_huge_file_is_refused_unread() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let path = folder.path().join("huge.toml");
    let file = std::fs::File::create(&path).expect("create");
    // Sparse: no 17 MB written.
    file.set_len(17 * 1024 * 1024).expect("set_len");
    let error = socket_workbench::script::read_text_in(Lang::En, &path).expect_err("refused");
    assert!(error.contains("too large"), "{error}");
    assert!(error.contains("17825792"), "{error}");
}
