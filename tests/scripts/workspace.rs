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
