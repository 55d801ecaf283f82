//! Scripts that turn the wire on: the runner prints the segments between the call lines and
//! `wire(A, B)` counts them; without CAP_NET_RAW the script runs as before and says what it
//! would have checked, and how to grant capture.

use socket_workbench::script::run_text;

const HANDSHAKE_AND_RESET: &str = r#"
[[step]]
do = [
  "wire on",
  "server = socket(AF_INET, SOCK_STREAM)",
  "server.bind(('127.0.0.1', 0))",
  "server.listen(5)",
  "client = socket(AF_INET, SOCK_STREAM)",
  "client.connect(server)",
  # Counted before accept() is even called: the handshake is the kernel's alone.
  "wire(client, server) => syn == 1, syn_ack == 1, segments == 3, rst == 0",
  "conn = server.accept() => blocks < 200ms",
]
[[step]]
do = [
  "client.setsockopt(SOL_SOCKET, SO_LINGER, linger(0))",
  "client.close()",
  "conn.recv(1024) => ECONNRESET",
  "wire(client, conn) => rst == 1, fin == 0",
]
"#;

/// Whether this process may capture (root or CAP_NET_RAW): the engine's own answer.
fn may_capture() -> bool {
    let (engine, events) = socket_workbench::engine::Engine::new(|| {});
    engine.set_wire(true);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while std::time::Instant::now() < deadline {
        match events.recv_timeout(std::time::Duration::from_millis(50)) {
            Some(socket_workbench::engine::Event::Wire(
                socket_workbench::engine::WireReport::Started { .. },
            )) => return true,
            Some(socket_workbench::engine::Event::Wire(
                socket_workbench::engine::WireReport::Unavailable { .. },
            )) => return false,
            _ => {}
        }
    }
    panic!("the wire never said whether it runs")
}

#[test]
fn the_runner_prints_segments_and_checks_them() {
    if !may_capture() {
        println!(
            "SKIPPED the_runner_prints_segments_and_checks_them: capture needs CAP_NET_RAW \
             (run the tests as root, as CI does)"
        );
        return;
    }
    let mut out: Vec<u8> = Vec::new();
    let report = run_text(HANDSHAKE_AND_RESET, &mut out).expect("parses");
    let output = String::from_utf8_lossy(&out).into_owned();
    println!("{output}");
    assert!(report.passed(), "{output}");
    assert_eq!(report.expectations_met, 8, "{output}");
    for wanted in [
        "~ wire on",
        "~ client -> server  SYN ",
        "~ server -> client  SYN, ACK",
        "~ client -> conn  RST, ACK",
        "3 segments: 1 SYN, 1 SYN-ACK",
    ] {
        assert!(output.contains(wanted), "{wanted:?} missing:\n{output}");
    }
    // Segments come between the call lines: the SYN after connect's line, before accept's.
    let at = |text: &str| output.find(text).unwrap_or(usize::MAX);
    assert!(at("connect(") < at("~ client -> server  SYN "), "{output}");
    assert!(at("~ client -> server  ACK") < at("accept()"), "{output}");
}

#[test]
fn a_failed_wire_expectation_says_what_was_counted() {
    if !may_capture() {
        println!(
            "SKIPPED a_failed_wire_expectation_says_what_was_counted: capture needs CAP_NET_RAW"
        );
        return;
    }
    let text = "[[step]]\ndo = ['wire on', 's = socket()', \"s.bind(('127.0.0.1', 0))\", \
                's.listen(1)', 'c = socket()', 'c.connect(s)', 'wire(c, s) => rst == 1']\n";
    let mut out: Vec<u8> = Vec::new();
    let report = run_text(text, &mut out).expect("parses");
    let output = String::from_utf8_lossy(&out).into_owned();
    assert_eq!(report.failures.len(), 1, "{output}");
    assert!(
        report.failures[0]
            .message
            .contains("expected rst == 1, got rst == 0 (3 segments: 1 SYN"),
        "{output}"
    );
}

#[test]
fn wire_counts_need_wire_on_first() {
    let text = "[[step]]\ndo = ['s = socket()', 'wire(s) => segments == 0']\n";
    let mut out: Vec<u8> = Vec::new();
    let report = run_text(text, &mut out).expect("parses");
    let output = String::from_utf8_lossy(&out).into_owned();
    assert!(!report.passed(), "{output}");
    assert!(
        output.contains("the wire is off; say `wire on` first"),
        "{output}"
    );
}

/// The runner binary, made to lack CAP_NET_RAW: as root by dropping it from the bounding
/// set (setpriv, util-linux); as another user it lacks it already.
#[test]
fn without_cap_net_raw_the_script_runs_as_before_and_says_how_to_grant_capture() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("wire.toml");
    std::fs::write(&path, HANDSHAKE_AND_RESET).expect("write");
    let binary = env!("CARGO_BIN_EXE_socket-workbench");
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false);
    let mut command = if is_root {
        let mut command = std::process::Command::new("setpriv");
        command.args([
            "--bounding-set",
            "-net_raw",
            "--inh-caps",
            "-net_raw",
            binary,
        ]);
        command
    } else {
        std::process::Command::new(binary)
    };
    let output = command
        .arg("run")
        .arg(&path)
        .output()
        .unwrap_or_else(|error| {
            panic!("setpriv (util-linux) is needed to drop CAP_NET_RAW; CI installs it: {error}")
        });
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    for wanted in [
        "~ wire not shown: Capturing the wire needs CAP_NET_RAW",
        "sudo setcap cap_net_raw=eip ",
        "or run the workbench as root",
        "wire(client, server)",
        "not captured: would have checked syn == 1, syn_ack == 1, segments == 3, rst == 0",
        "not captured: would have checked rst == 1, fin == 0",
        "ok: ",
    ] {
        assert!(stdout.contains(wanted), "{wanted:?} missing:\n{stdout}");
    }
    assert!(!stdout.contains("~ client -> server"), "{stdout}");
}
