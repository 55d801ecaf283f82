//! The export round trip on real sockets: drive the engine on 127.0.0.1 (port 0), feed every
//! event into a session, export it as Python, run the script with python3, and compare what it
//! printed with what the workbench saw (ports excepted). Every wait is bounded.

use socket_workbench::codegen::{expected_results, export_python};
use socket_workbench::engine::{
    AddrArg, Automation, Call, Event, Family, Outcome, RecvFlags, SockType, SocketId, Value,
};
use socket_workbench::session::Session;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::Bench;

const PYTHON_LIMIT: Duration = Duration::from_secs(20);

impl Bench {
    fn local_from_state(&mut self, socket: SocketId) -> AddrArg {
        self.pump(Duration::from_millis(50));
        let address = self
            .seen
            .iter()
            .rev()
            .find_map(|event| match event {
                Event::State(change) if change.socket == socket => change.local.clone(),
                _ => None,
            })
            .expect("a state report with the local address");
        address.to_arg()
    }
}

fn recv(bufsize: usize) -> Call {
    Call::Recv {
        bufsize,
        flags: RecvFlags::default(),
    }
}

fn loopback() -> AddrArg {
    AddrArg::inet("127.0.0.1", 0)
}

/// The session: TCP with a concurrent accept and recv, UDP both ways, a refused connect.
fn record_session() -> Session {
    let mut bench = Bench::new();

    // TCP: the accept waits while the client connects.
    let server = bench.socket(Family::Ipv4, SockType::Stream);
    bench.ok(server, Call::Bind(loopback()));
    bench.ok(server, Call::Listen { backlog: 5 });
    let server_addr = bench.local_from_state(server);
    let accept = bench.start(server, Call::Accept);
    bench.pump(Duration::from_millis(100));
    assert!(bench.find_returned(accept).is_none(), "accept should wait");
    let client = bench.socket(Family::Ipv4, SockType::Stream);
    bench.ok(client, Call::Connect(server_addr));
    let Outcome::Ok(Value::Accepted { child: conn, .. }) = bench.wait_returned(accept).outcome
    else {
        panic!("accept returned no connection");
    };
    // Nothing to read yet: non-blocking recv fails at once, a recv with a timeout times out.
    bench.ok(conn, Call::SetBlocking(false));
    let would_block = bench.call(conn, recv(1024));
    assert_eq!(would_block.outcome.errno_name(), Some("EWOULDBLOCK"));
    bench.ok(conn, Call::SetBlocking(true));
    bench.ok(client, Call::SetTimeout(Some(200)));
    let timed_out = bench.call(client, recv(1024));
    assert!(
        matches!(timed_out.outcome, Outcome::TimedOut { .. }),
        "{}",
        timed_out.outcome
    );
    bench.ok(client, Call::SetTimeout(None));
    // The recv waits while the peer sends.
    let pending_recv = bench.start(conn, recv(1024));
    bench.pump(Duration::from_millis(100));
    assert!(
        bench.find_returned(pending_recv).is_none(),
        "recv should wait"
    );
    bench.ok(
        client,
        Call::Send {
            data: b"hello".to_vec(),
        },
    );
    let got = bench.wait_returned(pending_recv);
    assert_eq!(got.data.as_deref(), Some(&b"hello"[..]));
    bench.ok(
        conn,
        Call::SendAll {
            data: b"HELLO\n".to_vec(),
        },
    );
    bench.ok(client, recv(1024));
    bench.ok(client, Call::Close);
    // EOF on the accepted side, then close it.
    bench.ok(conn, recv(1024));
    bench.ok(conn, Call::Close);

    // UDP: a datagram each way; the reply goes to the address recvfrom gave.
    let receiver = bench.socket(Family::Ipv4, SockType::Datagram);
    bench.ok(receiver, Call::Bind(loopback()));
    let receiver_addr = bench.local_from_state(receiver);
    let sender = bench.socket(Family::Ipv4, SockType::Datagram);
    bench.ok(
        sender,
        Call::SendTo {
            data: b"37".to_vec(),
            addr: receiver_addr,
        },
    );
    let datagram = bench.call(
        receiver,
        Call::RecvFrom {
            bufsize: 1024,
            flags: RecvFlags::default(),
        },
    );
    let from = datagram.from.clone().expect("recvfrom gives the sender");
    bench.ok(
        receiver,
        Call::SendTo {
            data: b"98.6".to_vec(),
            addr: from.to_arg(),
        },
    );
    bench.ok(
        sender,
        Call::RecvFrom {
            bufsize: 1024,
            flags: RecvFlags::default(),
        },
    );

    // A refused connect: a port that was bound (so free of listeners) and closed again.
    let gone = bench.socket(Family::Ipv4, SockType::Stream);
    bench.ok(gone, Call::Bind(loopback()));
    let Value::Address(gone_addr) = bench.ok(gone, Call::GetSockName) else {
        panic!("getsockname gave no address");
    };
    bench.ok(gone, Call::Close);
    let refused_client = bench.socket(Family::Ipv4, SockType::Stream);
    let refused = bench.call(refused_client, Call::Connect(gone_addr.to_arg()));
    assert_eq!(refused.outcome.errno_name(), Some("ECONNREFUSED"));

    bench.pump(Duration::from_millis(100));
    let mut session = Session::default();
    session.apply_all(bench.seen.drain(..));
    bench.engine.close_all();
    session
}

/// Runs `python3 script` with a time limit; (exit code, stdout, stderr).
fn run_python(script: &std::path::Path) -> (Option<i32>, String, String) {
    let version = Command::new("python3").arg("--version").output();
    match version {
        Ok(output) if output.status.success() => {}
        Ok(output) => panic!(
            "python3 is needed for the export round trip but `python3 --version` failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(error) => panic!(
            "python3 is needed for the export round trip (install Python 3; CI does): {error}"
        ),
    }
    let mut child = Command::new("python3")
        .arg(script)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start python3");
    let deadline = Instant::now() + PYTHON_LIMIT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for python3") {
            break Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = child.wait_with_output().expect("python3 output");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    match status {
        Some(status) => (status.code(), stdout, stderr),
        None => panic!(
            "python3 did not finish within {PYTHON_LIMIT:?}\nstdout:\n{stdout}\nstderr:\n{stderr}"
        ),
    }
}

#[test]
fn exported_script_repeats_the_session_with_real_sockets() {
    let session = record_session();
    let expected = expected_results(&session);
    let script = export_python(&session);

    // What the workbench saw, in the form the script prints.
    let joined = expected.join("\n");
    for wanted in [
        "accepted ('127.0.0.1', *)",
        "bytes:68656c6c6f",
        "bytes:48454c4c4f0a",
        "bytes:3337 from ('127.0.0.1', *)",
        "bytes:39382e36 from ('127.0.0.1', *)",
        "err ConnectionRefusedError",
        "err BlockingIOError",
        "err TimeoutError None",
    ] {
        assert!(joined.contains(wanted), "expected {wanted} in:\n{joined}");
    }
    // The accept and the first recv were waiting while the next call started: threads.
    assert!(script.contains("threading.Thread(target=call_"), "{script}");
    assert!(script.contains("_addr[1])"), "{script}");

    round_trip(&session);
}

/// Writes the script, runs it and checks its results equal the workbench's.
fn round_trip(session: &Session) -> String {
    let expected = expected_results(session);
    let script = export_python(session);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("session.py");
    std::fs::write(&path, &script).expect("write script");
    if let Some(keep) = std::env::var_os("CODEGEN_KEEP_SCRIPT") {
        std::fs::write(keep, &script).expect("keep script");
    }
    let (code, stdout, stderr) = run_python(&path);
    assert_eq!(
        code,
        Some(0),
        "the script failed\nstdout:\n{stdout}\nstderr:\n{stderr}\nscript:\n{script}"
    );
    let printed: Vec<&str> = stdout
        .lines()
        .filter(|line| line.starts_with("RESULT "))
        .collect();
    assert_eq!(
        printed, expected,
        "the script's results differ from the workbench's\nstderr:\n{stderr}\nscript:\n{script}"
    );
    script
}

#[test]
fn automatic_uppercase_server_is_replayed_in_a_thread() {
    let mut bench = Bench::new();
    let server = bench.socket(Family::Ipv4, SockType::Stream);
    bench.ok(server, Call::Bind(loopback()));
    bench.ok(server, Call::Listen { backlog: 5 });
    let server_addr = bench.local_from_state(server);
    bench
        .engine
        .set_automation(
            server,
            Automation {
                auto_accept: true,
                auto_receive: true,
                responder: Some(socket_workbench::engine::Responder::UppercaseEcho),
                ..Automation::default()
            },
        )
        .expect("automation");
    let client = bench.socket(Family::Ipv4, SockType::Stream);
    bench.ok(client, Call::Connect(server_addr));
    bench.ok(
        client,
        Call::Send {
            data: b"hi".to_vec(),
        },
    );
    let reply = bench.call(client, recv(1024));
    assert_eq!(reply.data.as_deref(), Some(&b"HI"[..]));
    bench.ok(client, Call::Close);
    bench.pump(Duration::from_millis(200));
    let mut session = Session::default();
    session.apply_all(bench.seen.drain(..));
    bench.engine.close_all();

    let script = round_trip(&session);
    assert!(script.contains("def auto_s1():"), "{script}");
    assert!(script.contains(".send(b'HI')"), "{script}");
    // The automation was asked for before the client existed: its thread starts there, even
    // when the listener's worker was slow to read the request (under load it once came after
    // the client's recv, and the script waited for an answer nobody would send).
    let auto_starts = script.find("threading.Thread(target=auto_s1");
    let client_made = script.find("s2 = socket.socket(");
    assert!(
        matches!((auto_starts, client_made), (Some(a), Some(c)) if a < c),
        "{script}"
    );
    assert_eq!(
        expected_results(&session),
        vec![
            "RESULT 1 None",
            "RESULT 2 None",
            "RESULT 3 None",
            "RESULT 4 2",
            "RESULT 5 bytes:4849",
            "RESULT 6 None",
        ]
    );
}

#[test]
fn every_line_of_the_session_is_python_that_compiles() {
    let session = record_session();
    let script = export_python(&session);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("check.py");
    std::fs::write(&path, &script).expect("write script");
    let output = Command::new("python3")
        .args(["-m", "py_compile"])
        .arg(&path)
        .output()
        .expect("python3 is needed for this test (install Python 3; CI does)");
    assert!(
        output.status.success(),
        "py_compile failed: {}\n{script}",
        String::from_utf8_lossy(&output.stderr)
    );
}

// ----- the code view widget (hand-made session, no sockets) -----

mod view {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    use socket_workbench::engine::{
        Call, CallId, Event, Family, Origin, Outcome, SockType, SocketId, Value, WokenBy,
    };
    use socket_workbench::engine::{Returned, SocketInfo, Started};
    use socket_workbench::session::Session;
    use socket_workbench::ui::CodeView;

    struct State {
        session: Session,
        view: CodeView,
    }

    fn session_with_sends(count: u64) -> Session {
        let mut session = Session::default();
        session.apply(Event::Opened(SocketInfo {
            socket: SocketId(1),
            family: Family::Ipv4,
            sock_type: SockType::Stream,
            parent: None,
            at_us: 0,
        }));
        session.rename(SocketId(1), "client");
        for n in 0..count {
            let data = format!("row {n}").into_bytes();
            let len = data.len();
            session.apply(Event::Started(Started {
                socket: SocketId(1),
                call_id: CallId(n + 1),
                at_us: n * 10 + 1,
                call: Call::Send { data },
                origin: Origin::User,
            }));
            session.apply(Event::Returned(Returned {
                socket: SocketId(1),
                call_id: CallId(n + 1),
                at_us: n * 10 + 2,
                duration_us: 1,
                outcome: Outcome::Ok(Value::Int(len as i64)),
                bytes_moved: len,
                data: None,
                from: None,
                truncated_from: None,
                woken_by: WokenBy::NoWait,
                context: None,
            }));
        }
        session
    }

    fn harness(session: Session) -> Harness<'static, State> {
        let mut harness = Harness::builder()
            .with_size(egui::vec2(900.0, 500.0))
            .build_ui_state(
                |ui, state: &mut State| {
                    let State { session, view } = state;
                    view.ui(ui, session);
                },
                State {
                    session,
                    view: CodeView::new(),
                },
            );
        for _ in 0..4 {
            harness.step();
        }
        harness
    }

    fn shows(harness: &Harness<'_, State>, text: &str) -> bool {
        harness.query_all_by_label_contains(text).next().is_some()
    }

    #[test]
    fn code_view_shows_only_the_newest_rows_of_a_long_log() {
        let harness = harness(session_with_sends(200_000));
        assert!(shows(&harness, "client.send(b'row 199999')  # -> 10"));
        assert!(!shows(&harness, "client.send(b'row 0')"));
        let laid_out = harness.query_all_by_label_contains("client.send(").count();
        assert!((3..100).contains(&laid_out), "{laid_out} rows laid out");
        assert!(harness.query_by_label("Copy all").is_some());
    }

    #[test]
    fn code_view_exports_python_or_shows_why_not() {
        let mut harness = harness(session_with_sends(3));
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.py");
        harness
            .get_by_label("export path")
            .set_text_value_accesskit(&path.to_string_lossy());
        harness.run_ok();
        harness.get_by_label("Export as Python").click();
        harness.run_ok();
        let script = std::fs::read_to_string(&path).expect("script written");
        assert!(script.contains("client.send(b'row 2')"), "{script}");
        assert!(shows(&harness, "Wrote "));

        harness
            .get_by_label("export path")
            .set_text_value_accesskit(&dir.path().join("no/such/dir/x.py").to_string_lossy());
        harness.run_ok();
        harness.get_by_label("Export as Python").click();
        harness.run_ok();
        assert!(shows(&harness, "Could not write"));

        harness.get_by_label("Copy all").click();
        harness.run_ok();
        assert!(shows(&harness, "copied 3 lines"));
        assert_eq!(
            CodeView::all_text(&harness.state().session),
            "client.send(b'row 0')  # -> 5\nclient.send(b'row 1')  # -> 5\nclient.send(b'row 2')  # -> 5\n"
        );
    }
}
