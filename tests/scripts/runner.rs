//! Runs real scenario scripts on 127.0.0.1 (port 0) through the headless runner.

use socket_workbench::i18n::Lang;
use socket_workbench::script::{self, RunReport, Runner, parse, run_file, run_text};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join("examples")
        .join(name)
}

/// Runs a script text; returns the report and the printed timeline.
fn run(text: &str) -> (RunReport, String) {
    let mut out: Vec<u8> = Vec::new();
    let report = run_text(text, &mut out).unwrap_or_else(|e| panic!("malformed: {e}"));
    let output = String::from_utf8_lossy(&out).into_owned();
    println!("{output}");
    (report, output)
}

fn assert_passed(report: &RunReport, output: &str) {
    assert!(report.passed(), "script failed:\n{output}");
    assert!(
        output.trim_end().ends_with(&report.summary()),
        "no summary line:\n{output}"
    );
}

#[test]
fn tcp_hello_example_with_concurrent_accept() {
    let text = std::fs::read_to_string(example("tcp_hello.toml")).unwrap();
    let (report, output) = run(&text);
    assert_passed(&report, &output);
    assert!(report.calls >= 20, "{report:?}");
    assert!(report.expectations_met >= 15, "{report:?}");
    assert!(
        output.contains("== step 1/5: The server creates a socket"),
        "{output}"
    );
    // The accept was started in the background, then returned the named connection.
    assert!(output.contains("started with &"), "{output}");
    assert!(output.contains("-> (conn, ('127.0.0.1', "), "{output}");
    assert!(output.contains("ECONNREFUSED"), "{output}");
    assert!(output.contains("b'hello'"), "{output}");
}

#[test]
fn udp_echo_server_example_serves_automatically() {
    let text = std::fs::read_to_string(example("udp_echo_server.toml")).unwrap();
    let (report, output) = run(&text);
    assert_passed(&report, &output);
    assert!(output.contains("auto(receive, respond='echo')"), "{output}");
}

#[test]
fn connection_refused_is_an_expectation_not_a_crash() {
    let (report, output) = run(r#"
        [[step]]
        do = [
          "c = socket(AF_INET, SOCK_STREAM)",
          "c.connect(('127.0.0.1', 1)) => ECONNREFUSED",
          "d = socket(AF_INET, SOCK_STREAM)",
          "d.connect(('127.0.0.1', 1))",
        ]
    "#);
    assert_passed(&report, &output);
    // Without '=>' a failing call is shown, and does not fail the script.
    assert_eq!(output.matches("-> ECONNREFUSED").count(), 2, "{output}");
    assert_eq!(report.expectations_met, 1);
}

#[test]
fn recv_timeout_blocks_for_the_timeout() {
    let (report, output) = run(r#"
        [[step]]
        say = "A connected pair; nobody sends."
        do = [
          "srv = socket()",
          "srv.bind(('127.0.0.1', 0))",
          "srv.listen()",
          "cli = socket()",
          "cli.connect(srv)",
          "conn = srv.accept()",
          "conn.settimeout(0.3)",
          "conn.recv(100)           => timeout, blocks >= 300ms, blocks < 3s",
          "conn.setblocking(False)",
          "conn.recv(100)           => EWOULDBLOCK, blocks < 1s",
          "conn.recv(100)           => EAGAIN",
        ]
    "#);
    assert_passed(&report, &output);
    assert_eq!(report.expectations_met, 6);
}

#[test]
fn udp_exchange_with_recvfrom_and_a_reply_to_the_sender() {
    let (report, output) = run(r#"
        [[step]]
        do = [
          "server = socket(AF_INET, SOCK_DGRAM)",
          "server.bind(('127.0.0.1', 0))",
          "client = socket(AF_INET, SOCK_DGRAM)",
          "client.sendto(b'36.6', server)           => 4",
          "data, addr = server.recvfrom(1024)       => b'36.6', from == client",
          "server.sendto(data, addr)                => 4",
          "client.recvfrom(1024)                    => b'36.6', from == server",
          "client.sendto(b'0123456789', server)",
          "server.recv(4)                           => b'0123'",
        ]
    "#);
    assert_passed(&report, &output);
    assert_eq!(report.expectations_met, 7);
}

#[test]
fn a_datagram_sent_where_nothing_is_bound_is_said_to_be_dropped() {
    let (report, output) = run(r#"
        [[step]]
        do = [
          "gone = socket(AF_INET, SOCK_DGRAM)",
          "gone.bind(('127.0.0.1', 0))",
          "nowhere = gone.getsockname()",
          "gone.close()",
          "client = socket(AF_INET, SOCK_DGRAM)",
          "client.sendto(b'hi', nowhere)            => 2",
        ]
    "#);
    assert_passed(&report, &output);
    assert!(
        output.contains("the datagram was dropped, and UDP does not tell the sender"),
        "{output}"
    );
}

#[test]
fn automatic_uppercase_server_over_tcp() {
    let (report, output) = run(r#"
        timeout_ms = 3000
        [[step]]
        do = [
          "server = socket()",
          "server.bind(('127.0.0.1', 0))",
          "server.listen(5)",
          "server.auto(accept, receive, respond='upper')",
          "client = socket()",
          "client.connect(server)",
          "client.send(b'hello')      => 5",
          "client.recv(1024)          => b'HELLO'",
        ]
    "#);
    assert_passed(&report, &output);
    assert!(
        output.contains("server_conn1") || output.contains("[auto]"),
        "{output}"
    );
}

#[test]
fn failing_expectation_reports_line_expected_and_got() {
    let text = r#"title = "wrong guess"
[[step]]
do = [
  "srv = socket()",
  "srv.bind(('127.0.0.1', 0))",
  "srv.listen()",
  "cli = socket()",
  "cli.connect(srv)",
  "conn = srv.accept()",
  "cli.send(b'hello')",
  "conn.recv(1024)    => b'bye'",
  "cli.send(b'x')     => 1",
]
"#;
    let (report, output) = run(text);
    assert!(!report.passed());
    assert_eq!(report.failures.len(), 1, "{output}");
    let failure = &report.failures[0];
    assert_eq!(failure.line, 11);
    assert_eq!(failure.column, 26);
    assert!(
        failure
            .message
            .contains("conn.recv(1024): expected b'bye', got b'hello'"),
        "{}",
        failure.message
    );
    assert!(
        output.contains("!! line 11: conn.recv(1024): expected b'bye'"),
        "{output}"
    );
    assert!(
        report
            .summary()
            .starts_with("FAILED: 1 expectation not met, 1 expectation met")
    );
    // The same file through run_file: exit code 1.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wrong.toml");
    std::fs::write(&path, text).unwrap();
    assert_eq!(run_file(&path, Lang::En), ExitCode::from(1));
}

#[test]
fn malformed_files_say_where() {
    let cases: &[(&str, &str, usize, usize, &str)] = &[
        (
            "bad toml",
            "title = 'x'\n[[step]]\ndo = [\n  \"s = socket()\"\n  \"s.close()\",\n]\n",
            5,
            3,
            "",
        ),
        (
            "unknown call",
            "[[step]]\ndo = [\n  \"s = socket()\",\n  \"s.recvv(1024)\",\n]\n",
            4,
            6,
            "unknown call 'recvv' (did you mean recv?)",
        ),
        (
            "bad errno",
            "[[step]]\ndo = [\"s = socket()\", \"s.connect(('127.0.0.1', 1)) => EFOO\"]\n",
            2,
            55,
            "unknown errno name EFOO",
        ),
        (
            "port 70000",
            "[[step]]\ndo = [\n  \"s = socket()\",\n\n  \"s.bind(('127.0.0.1', 70000))\",\n]\n",
            5,
            25,
            "port 70000 is over 65535",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (what, text, line, column, needle) in cases {
        let error = parse(text).expect_err(what);
        assert_eq!(
            (error.line, error.column),
            (*line, *column),
            "{what}: {error}"
        );
        assert!(error.message.contains(needle), "{what}: {error}");
        let mut out = Vec::new();
        assert!(run_text(text, &mut out).is_err(), "{what}");
        assert!(out.is_empty(), "{what}: nothing runs");
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, text).unwrap();
        assert_eq!(run_file(&path, Lang::En), ExitCode::from(2), "{what}");
        let shown = error.render(&path.display().to_string(), text);
        assert!(
            shown.starts_with(&format!("{}:{line}:{column}: ", path.display())),
            "{shown}"
        );
    }
    assert_eq!(
        run_file(&dir.path().join("missing.toml"), Lang::En),
        ExitCode::from(2)
    );
}

#[test]
fn pending_call_is_cancelled_at_the_end_and_reported() {
    let (report, output) = run(r#"
        [[step]]
        do = [
          "srv = socket()",
          "srv.bind(('127.0.0.1', 0))",
          "srv.listen()",
          "&srv.accept()",
        ]
    "#);
    assert_passed(&report, &output);
    assert_eq!(report.cancelled_at_end, 1);
    assert!(output.contains("still pending: cancelling it"), "{output}");
    assert!(output.contains("cancelled"), "{output}");
}

#[test]
fn cancel_ends_a_blocked_call() {
    let (report, output) = run(r#"
        [[step]]
        do = [
          "srv = socket()",
          "srv.bind(('127.0.0.1', 0))",
          "srv.listen()",
          "&srv.accept() => cancelled",
          "sleep 100ms",
          "srv.cancel()",
          "await srv => cancelled, blocks >= 100ms",
        ]
    "#);
    assert_passed(&report, &output);
    assert_eq!(report.expectations_met, 3);
}

#[test]
fn a_call_that_never_returns_is_bounded_by_timeout_ms() {
    let (report, output) = run(r#"
        timeout_ms = 300
        [[step]]
        do = [
          "srv = socket()",
          "srv.bind(('127.0.0.1', 0))",
          "srv.listen()",
          "srv.accept()",
          "srv.close()",
        ]
    "#);
    assert!(!report.passed());
    assert_eq!(report.failures.len(), 1, "{output}");
    assert!(
        report.failures[0]
            .message
            .contains("srv.accept() still waiting after 300 ms"),
        "{output}"
    );
    assert_eq!(report.calls, 5, "the script went on after the timeout");
}

#[test]
fn socket_name_as_address_before_bind_stops_at_that_line() {
    let (report, output) = run(r#"title = "early"
[[step]]
do = [
  "srv = socket()",
  "cli = socket()",
  "cli.connect(srv)",
  "cli.close()",
]
"#);
    let stop = report.stopped.as_ref().expect("stopped");
    assert_eq!(stop.line, 6);
    assert!(stop.message.contains("'srv' has no address yet"), "{stop}");
    assert!(output.contains("STOPPED"), "{output}");
    assert_eq!(report.calls, 2);
}

#[test]
fn calls_on_a_closed_socket_fail_with_ebadf() {
    let (report, output) = run(r#"
        [[step]]
        do = [
          "s = socket()",
          "s.close() => None",
          "sleep 50ms",
          "s.send(b'x') => EBADF",
        ]
    "#);
    assert_passed(&report, &output);
}

#[test]
fn runner_runs_one_step_at_a_time() {
    let script = parse(
        r#"
        [[step]]
        say = "one"
        do = ["a = socket()", "a.bind(('127.0.0.1', 0))"]
        [[step]]
        say = "two"
        do = ["a.getsockname() => ok", "a.listen(1) => 7"]
    "#,
    )
    .unwrap();
    assert_eq!(script.steps.len(), 2);
    assert_eq!(script.timeout_ms, script::DEFAULT_TIMEOUT_MS);
    let mut out: Vec<u8> = Vec::new();
    let mut runner = Runner::new(script, &mut out);
    assert_eq!(runner.next_step(), 0);
    let first = runner.run_next().unwrap();
    assert_eq!((first.step, first.calls, first.failures), (0, 2, 0));
    assert!(runner.socket_named("a").is_some());
    let second = runner.run_next().unwrap();
    assert_eq!((second.step, second.calls, second.failures), (1, 2, 1));
    assert!(runner.is_finished());
    assert!(runner.run_next().is_none());
    let report = runner.finish();
    assert_eq!(report.expectations_met, 1);
    let output = String::from_utf8(out).unwrap();
    assert!(output.contains("== step 2/2: two"), "{output}");
}

#[test]
fn unix_stream_sockets_use_a_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.sock");
    let text = format!(
        r#"
        [[step]]
        do = [
          "server = socket(AF_UNIX, SOCK_STREAM)",
          "server.bind('{path}')",
          "server.listen(1)",
          "client = socket(AF_UNIX, SOCK_STREAM)",
          "client.connect(server)",
          "conn = server.accept()         => ok",
          "client.sendall(b'over a path') => ok",
          "conn.recv(100)                 => b'over a path'",
          "conn.getsockname()             => '{path}'",
        ]
    "#,
        path = path.display()
    );
    let (report, output) = run(&text);
    assert_passed(&report, &output);
}

#[test]
fn hostile_files_are_refused_with_their_line_and_column() {
    // Nesting at any depth is an error at its place, never a stack overflow.
    let deep = format!(
        "[[step]]\ndo = ['s = socket()', 's.settimeout({}1{})']\n",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    let error = parse(&deep).expect_err("too deep");
    assert!(
        error.message.contains("nested more than 32 deep"),
        "{error}"
    );
    assert_eq!(error.line, 2);
    assert!(parse("[[step]]\ndo = ['s = socket()', 's.settimeout(((((1)))))']").is_ok());
    // An impossible IPv4 literal is refused before anything runs.
    let error = parse("[[step]]\ndo = ['s = socket()', \"s.connect(('999.1.1.1', 80))\"]")
        .expect_err("999.1.1.1");
    assert!(
        error.message.contains("'999.1.1.1' is not an IPv4 address"),
        "{error}"
    );
    assert_eq!((error.line, error.column), (2, 35));
    // A step must say what it does.
    let error = parse("[[step]]\nsay = 'nothing to do'\n").expect_err("step without do");
    assert!(error.message.contains("do"), "{error}");
    // Invalid UTF-8: the line and column of the bad byte.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("latin1.toml");
    std::fs::write(&path, b"[[step]]\ndo = ['s.send(b\"caf\xe9\")']\n").expect("write");
    let message = script::read_text(&path).expect_err("not UTF-8");
    assert!(
        message.ends_with(":2:20: invalid UTF-8 (byte 0xe9); save the file as UTF-8"),
        "{message}"
    );
    assert_eq!(run_file(&path, Lang::En), ExitCode::from(2));
}

#[test]
fn printed_names_and_addresses_are_escaped_for_the_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = format!("{}/\\u001b[31mred\\u202eevil", dir.path().display());
    let (_, output) = run(&format!(
        "[[step]]\ndo = [\"s = socket(AF_UNIX, SOCK_DGRAM)\", \"s.bind('{path}')\", \"s.getsockname()\"]\n"
    ));
    assert!(!output.contains('\u{1b}'), "{output:?}");
    assert!(!output.contains('\u{202e}'), "{output:?}");
    assert!(output.contains("\\x1b[31mred\\u{202e}evil"), "{output}");
}

#[test]
fn ctrl_c_during_stay_prints_the_summary_and_exits_130() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("stay.toml");
    std::fs::write(
        &path,
        "[[step]]\ndo = ['s = socket()', \"s.bind(('127.0.0.1', 0))\", 's.listen(1)', 'stay']\n",
    )
    .expect("write");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_socket-workbench"))
        .arg("run")
        .arg(&path)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start the runner");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut seen = String::new();
    for line in lines.by_ref() {
        let line = line.expect("a line");
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("staying until interrupted") {
            break;
        }
    }
    assert!(seen.contains("staying until interrupted"), "{seen}");
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(killed.success());
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let status = child.wait().expect("the runner ends");
    assert_eq!(status.code(), Some(130), "{seen}{rest:?}");
    assert!(
        rest.iter().any(|line| line.contains("interrupted")),
        "{rest:?}"
    );
    assert!(
        rest.last()
            .is_some_and(|line| line.starts_with("ok: 3 calls")),
        "{rest:?}"
    );
}

#[test]
fn a_failed_socket_thread_fails_the_run() {
    use socket_workbench::engine::{Engine, Event, EventReceiver, SocketId};
    let (engine, _unused) = Engine::new(|| {});
    let (sender, receiver) = crossbeam_channel::unbounded();
    let script = parse("[[step]]\ndo = ['sleep 300ms']").expect("parses");
    let mut out: Vec<u8> = Vec::new();
    let mut runner =
        Runner::with_engine(script, engine, EventReceiver::forwarded(receiver), &mut out);
    sender
        .send(Event::ThreadFailed {
            socket: SocketId(7),
            at_us: 1,
            message: "index out of bounds".into(),
        })
        .expect("send");
    runner.run_all();
    let report = runner.finish();
    let output = String::from_utf8_lossy(&out);
    assert!(!report.passed(), "{output}");
    assert!(
        output.contains("the socket's thread failed: index out of bounds"),
        "{output}"
    );
    assert!(
        output
            .trim_end()
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("FAILED")),
        "{output}"
    );
}

#[test]
fn system_rows_see_time_wait_and_unlink_removes_only_socket_files() {
    let dir = std::env::temp_dir().join(format!("sw-unlink-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let socket_path = dir.join("s.sock");
    let plain_path = dir.join("notes.txt");
    std::fs::write(&plain_path, "keep me").unwrap();
    let text = format!(
        r#"timeout_ms = 3000
[[step]]
do = [
  "server = socket(AF_INET, SOCK_STREAM)",
  "server.bind(('127.0.0.1', 0))",
  "server.listen(5)",
  "system(server) => listen == 1, rows == 1",
  "client = socket(AF_INET, SOCK_STREAM)",
  "client.connect(server)",
  "conn, addr = server.accept() => port in ephemeral, host == '127.0.0.1'",
  "client.close()",
  "conn.recv(10) => eof",
  "conn.close()",
  "sleep 50ms",
  "system(client) => time_wait == 1",
  "system(server) => time_wait == 0, listen == 1",
  "u = socket(AF_UNIX, SOCK_STREAM)",
  "u.bind('{sock}') => None",
  "u.close()",
  "os.unlink('{sock}') => ok",
  "os.unlink('{sock}') => ENOENT",
  "os.unlink('{plain}') => ok",
]
"#,
        sock = socket_path.display(),
        plain = plain_path.display()
    );
    let (report, output) = run(&text);
    assert_eq!(report.failures.len(), 1, "{output}");
    assert!(
        report.failures[0].message.contains("not a socket file"),
        "{output}"
    );
    assert!(output.contains("tcp TIME_WAIT to"), "{output}");
    assert!(!socket_path.exists(), "the socket file was removed");
    assert_eq!(
        std::fs::read_to_string(&plain_path).unwrap(),
        "keep me",
        "a file that is not a socket is left alone"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_failed_system_expectation_names_what_was_counted() {
    let (report, output) = run(r#"timeout_ms = 3000
[[step]]
do = [
  "server = socket(AF_INET, SOCK_STREAM)",
  "server.bind(('127.0.0.1', 0))",
  "system(server) => listen == 1",
]
"#);
    assert_eq!(report.failures.len(), 1, "{output}");
    assert!(
        report.failures[0].message.contains("got listen = 0"),
        "{}",
        report.failures[0].message
    );
}

/// The echo server example (a fixed port for load generators) sets up; here on a port the
/// kernel picks, so the test never finds 9400 taken.
#[test]
fn echo_server_example_listens_and_answers_by_itself() {
    let text = std::fs::read_to_string(example("echo_server.toml")).expect("example");
    assert!(text.contains("server.bind(('127.0.0.1', 9400))"));
    let text = text.replace("9400))", "0))")
        + "\n[[step]]\ndo = [\n  \"client = socket(AF_INET, SOCK_STREAM)\",\n  \"client.connect(server)\",\n  \"client.sendall(b'hi')\",\n  \"client.recv(16)                => b'hi'\",\n]\n";
    let (report, output) = run(&text);
    assert_passed(&report, &output);
    assert_eq!(report.expectations_met, 1, "{output}");
}
