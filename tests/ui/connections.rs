//! A server's many connections in the window: the listener's card counts them, and closed
//! sockets beyond the cap are forgotten with a note that says so (real sockets, real clients).

use crate::window::{App, shows_containing, wait_until};
use egui_kittest::Harness;
use socket_workbench::core::Core;
use socket_workbench::session::Limits;
use socket_workbench::ui::{ViewKind, WorkbenchApp};
use std::io::{Read, Write};

const ECHO_SERVER: &str = r#"
title = "echo server"
[[step]]
do = [
  "server = socket(AF_INET, SOCK_STREAM)",
  "server.bind(('127.0.0.1', 0))",
  "server.listen(16)",
  "server.auto(accept, receive, respond='echo')",
]
"#;

fn listening_port(harness: &App) -> Option<u16> {
    harness.state().session().sockets().find_map(|view| {
        (view.state == socket_workbench::engine::Lifecycle::Listening)
            .then(|| view.local.as_ref().and_then(|address| address.port()))
            .flatten()
    })
}

#[test]
fn closed_connections_beyond_the_cap_are_forgotten_and_the_panel_says_so() {
    let limits = Limits {
        max_closed_sockets: 2,
        ..Limits::default()
    };
    let mut harness: App = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_eframe(move |cc| {
            let ctx = cc.egui_ctx.clone();
            WorkbenchApp::with_core(
                &cc.egui_ctx,
                Core::new(limits, move || ctx.request_repaint()),
            )
        });
    let script = socket_workbench::script::parse(ECHO_SERVER).expect("parses");
    harness.state_mut().open_script(script);
    harness.state_mut().run_all_steps();
    wait_until(&mut harness, "the server listens", |h| {
        listening_port(h).is_some()
    });
    let port = listening_port(&harness).expect("port");
    let mut clients = Vec::new();
    for n in 0..5 {
        let mut client = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
        client
            .set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .expect("timeout");
        let line = format!("hello {n}\n");
        client.write_all(line.as_bytes()).expect("send");
        let mut echo = vec![0u8; line.len()];
        client.read_exact(&mut echo).expect("echo");
        clients.push(client);
    }
    wait_until(&mut harness, "five connections under the listener", |h| {
        shows_containing(h, "5 accepted connections below, 5 of them open")
    });
    assert!(!shows_containing(&harness, "forgotten"));
    // Three clients leave: the server closes their connections; two closed ones are kept.
    clients.truncate(2);
    wait_until(
        &mut harness,
        "the oldest closed connection forgotten",
        |h| {
            shows_containing(
                h,
                "1 closed sockets forgotten (the newest 2 closed ones are kept)",
            )
        },
    );
    assert!(shows_containing(
        &harness,
        "4 accepted connections below, 2 of them open"
    ));
    assert_eq!(harness.state().session().forgotten_sockets(), 1);
    assert!(
        shows_containing(&harness, "· 1 closed sockets forgotten"),
        "status bar"
    );
    if !harness.state().view_open(ViewKind::Timeline) {
        harness.state_mut().toggle_view(ViewKind::Timeline);
    }
    harness.run_ok();
    assert!(
        shows_containing(&harness, "1 closed sockets forgotten: no lanes"),
        "timeline"
    );
    // The forgotten connection's calls wait in the log for the next sweep, named as forgotten.
    let session = harness.state().session();
    let forgotten = session
        .log()
        .map(|entry| entry.socket())
        .find(|socket| session.was_forgotten(*socket))
        .expect("a call of the forgotten connection waits in the log");
    assert!(session.socket_name(forgotten).ends_with("(forgotten)"));

    // Churn: many more clients come and go, one after another.
    const CHURN: usize = 120;
    for n in 0..CHURN {
        let mut client = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
        client
            .set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .expect("timeout");
        let line = format!("churn {n}\n");
        client.write_all(line.as_bytes()).expect("send");
        let mut echo = vec![0u8; line.len()];
        client.read_exact(&mut echo).expect("echo");
    }
    wait_until(&mut harness, "the churned connections forgotten", |h| {
        h.state().session().forgotten_sockets() == 1 + CHURN as u64
    });
    let session = harness.state().session();
    let kept = session.sockets_kept();
    assert_eq!(kept, 5, "the listener, two open and two closed connections");
    // The forgotten sockets' calls left the log (at most a quarter of the sockets wait).
    let mut waiting: Vec<_> = session
        .log()
        .map(|entry| entry.socket())
        .filter(|socket| session.was_forgotten(*socket))
        .collect();
    waiting.dedup();
    assert!(
        waiting.len() <= kept / 3,
        "forgotten sockets still in the log: {waiting:?}"
    );
    // The script that made the server named each connection as it came; it lets them go.
    let named = harness
        .state()
        .scenario()
        .expect("the script")
        .names()
        .len();
    assert!(
        named <= 2 * kept + 64 + 1,
        "the script still names {named} sockets"
    );
}
