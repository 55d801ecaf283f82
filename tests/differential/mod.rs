//! The differential harness: one scenario (actions in the workbench's script notation) run on
//! real sockets through the workbench's runner and, independently, through CPython
//! (`cpython_driver.py`, real `socket` module calls on threads), compared call by call: the
//! value (ports hidden), the errno, and whether the call blocked.

use socket_workbench::codegen::received_bytes;
use socket_workbench::engine::bytes_literal;
use socket_workbench::engine::{Call, Origin, Outcome, SocketAddress, Value, errno};
use socket_workbench::script::{Runner, parse};
use socket_workbench::session::{CallRecord, Limits, LogEntry};
use std::io::Write;
use std::process::{Command, Stdio};

/// After a `&` action both sides wait this long, so the call reaches the kernel (and blocks,
/// or not) before the next action.
const GRACE_MS: u64 = 200;
/// A call that took at least this long blocked.
const BLOCKED_MS: u64 = 100;

/// What one call did, in the same notation on both sides.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct Record {
    pub index: usize,
    pub socket: String,
    pub call: String,
    pub result: String,
    pub blocked: bool,
}

/// The actions with a pause after every `&` call.
fn expanded(actions: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for action in actions {
        out.push(action.to_string());
        if action.trim_start().starts_with('&') {
            out.push(format!("sleep {GRACE_MS}ms"));
        }
    }
    out
}

fn is_call_action(action: &str) -> bool {
    let text = action.trim_start().trim_start_matches('&').trim_start();
    !(text.starts_with("sleep ")
        || text.starts_with("await ")
        || text.split_once('=').is_some_and(|(_, right)| {
            let right = right.trim_start();
            right.starts_with("socket(") || right.starts_with("socket.socket(")
        }))
}

/// The socket a call action is on: `&conn, addr = srv.accept()` -> `srv`.
fn socket_of(action: &str) -> String {
    let text = action.trim_start().trim_start_matches('&');
    let call = text.split_once('(').map_or(text, |(head, _)| head);
    let call = call.rsplit_once('=').map_or(call, |(_, right)| right);
    call.split_once('.')
        .map_or(call, |(name, _)| name)
        .trim()
        .to_string()
}

/// An address as the driver writes it: Python's notation with the port hidden (`*`; port 0
/// stays 0), since ports differ between runs: `('127.0.0.1', *)`, `('::1', *, 0, 0)`.
pub fn hide_port(address: &SocketAddress) -> String {
    let port = match address.port() {
        Some(0) => "0",
        _ => "*",
    };
    match address {
        SocketAddress::V4(v4) => format!("('{}', {port})", v4.ip()),
        SocketAddress::V6(v6) => format!(
            "('{}', {port}, {}, {})",
            v6.ip(),
            v6.flowinfo(),
            v6.scope_id()
        ),
        other => other.to_string(),
    }
}

/// A bytes literal, or `<N bytes>` past 64 bytes (as the driver writes it).
fn bytes_text(data: &[u8]) -> String {
    if data.len() > 64 {
        format!("<{} bytes>", data.len())
    } else {
        bytes_literal(data)
    }
}

fn errno_text(code: i32) -> String {
    format!("errno:{code}")
}

/// The workbench's result in the driver's notation.
fn workbench_result(record: &CallRecord, outcome: &Outcome, data: Option<&[u8]>) -> String {
    match outcome {
        Outcome::Ok(Value::None) => "None".into(),
        Outcome::Ok(Value::Int(n)) => n.to_string(),
        Outcome::Ok(Value::Bytes(_)) => {
            let data = bytes_text(data.unwrap_or_default());
            if matches!(record.call, Call::RecvFrom { .. }) {
                let from = record.from.as_ref().map_or("None".into(), hide_port);
                format!("({data}, {from})")
            } else {
                data
            }
        }
        Outcome::Ok(Value::Accepted { peer, .. }) => format!("(socket, {})", hide_port(peer)),
        Outcome::Ok(Value::Address(addr)) => hide_port(addr),
        Outcome::Ok(Value::Text(text)) => text.clone(),
        Outcome::Errno(code) => errno_text(*code),
        Outcome::TimedOut { .. } => "timeout".into(),
        Outcome::Invalid(_) => "invalid".into(),
        Outcome::Cancelled(_) => "cancelled".into(),
    }
}

/// Runs the actions through the workbench's runner on a fresh engine.
pub fn run_workbench(actions: &[String]) -> (Vec<Record>, String) {
    let mut text = String::from("timeout_ms = 4000\n[[step]]\ndo = [\n");
    for action in actions {
        text.push_str(&format!("'''{action}''',\n"));
    }
    text.push_str("]\n");
    let script = parse(&text).unwrap_or_else(|error| panic!("scenario does not parse: {error}"));
    let mut out: Vec<u8> = Vec::new();
    let mut runner = Runner::new(script, &mut out);
    // Every call stays in the log, however big its payload (scenarios send 20 MB).
    runner.set_limits(Limits {
        max_log_payload_bytes: 1 << 30,
        ..Limits::default()
    });
    runner.run_all();
    // The script's calls as the session recorded them when the steps were done (a call still
    // pending then shows as pending, as in Python's view of a blocked call).
    let session = runner.session();
    let mut script_calls: Vec<&CallRecord> = session
        .log()
        .filter_map(|entry| match entry {
            LogEntry::Call(record) if record.origin == Origin::Script => Some(record),
            _ => None,
        })
        .collect();
    script_calls.sort_by_key(|record| record.call_id);
    let call_indexes: Vec<usize> = (0..actions.len())
        .filter(|&i| is_call_action(&actions[i]))
        .collect();
    let records = script_calls
        .into_iter()
        .enumerate()
        .map(|(n, record)| {
            let index = call_indexes.get(n).copied().unwrap_or(usize::MAX);
            let socket = actions.get(index).map_or("?".into(), |a| socket_of(a));
            let (result, blocked) = match &record.outcome {
                Some(outcome) => (
                    workbench_result(record, outcome, received_bytes(session, record)),
                    record.duration_us.unwrap_or(0) >= BLOCKED_MS * 1000,
                ),
                None => ("pending".to_string(), true),
            };
            Record {
                index,
                socket,
                call: record.call.name().to_string(),
                result,
                blocked,
            }
        })
        .collect();
    drop(runner.finish());
    let timeline = String::from_utf8_lossy(&out).into_owned();
    (records, timeline)
}

/// Runs the actions with python3; None when python3 is not installed (outside CI).
pub fn run_cpython(actions: &[String]) -> Option<Vec<Record>> {
    let driver = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/differential/cpython_driver.py"
    );
    let spawned = Command::new("python3")
        .arg(driver)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(error) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "python3 is needed for the differential suite in CI: {error}"
            );
            println!("skipped: python3 cannot be started ({error}); CI installs it");
            return None;
        }
    };
    let spec = driver_input(actions);
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(spec.as_bytes())
            .expect("write the scenario to python3");
    }
    let output = child.wait_with_output().expect("python3 ends");
    assert!(
        output.status.success(),
        "python3 driver failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut records: Vec<Record> =
        serde_json::from_slice(&output.stdout).expect("the driver's JSON");
    for record in &mut records {
        if let Some(code) = record.result.strip_prefix("errno:") {
            record.result = errno_text(code.parse().unwrap_or(0));
        }
    }
    Some(records)
}

/// `{"actions": [...], "grace_ms": 0, "blocked_ms": N}` (the pauses are already in the list).
fn driver_input(actions: &[String]) -> String {
    serde_json::json!({"actions": actions, "grace_ms": 0, "blocked_ms": BLOCKED_MS}).to_string()
}

fn display(result: &str) -> String {
    match result.strip_prefix("errno:") {
        Some(code) => errno::name(code.parse().unwrap_or(0)).to_string(),
        None => result.to_string(),
    }
}

/// `{tmp}` in the actions is a directory of this run's own.
fn in_dir(actions: &[String], dir: &std::path::Path) -> Vec<String> {
    let dir = dir.display().to_string();
    actions.iter().map(|a| a.replace("{tmp}", &dir)).collect()
}

fn hide_dir(mut records: Vec<Record>, dir: &std::path::Path) -> Vec<Record> {
    let dir = dir.display().to_string();
    for record in &mut records {
        record.result = record.result.replace(&dir, "{tmp}");
    }
    records
}

/// Runs one scenario both ways and fails with a side-by-side table where they differ.
#[track_caller]
pub fn assert_same(name: &str, actions: &[&str]) {
    let actions = expanded(actions);
    // Each side gets its own directory for AF_UNIX paths (a socket file outlives its socket).
    let python_dir = tempfile::tempdir().expect("a temporary directory");
    let workbench_dir = tempfile::tempdir().expect("a temporary directory");
    let Some(python) = run_cpython(&in_dir(&actions, python_dir.path())) else {
        return;
    };
    let python = hide_dir(python, python_dir.path());
    let (workbench, timeline) = run_workbench(&in_dir(&actions, workbench_dir.path()));
    let workbench = hide_dir(workbench, workbench_dir.path());
    let mut table = String::new();
    let mut differs = workbench.len() != python.len();
    let rows = workbench.len().max(python.len());
    for row in 0..rows {
        let ours = workbench.get(row);
        let theirs = python.get(row);
        let same = ours == theirs;
        differs |= !same;
        let describe = |record: Option<&Record>| {
            record.map_or("-".to_string(), |r| {
                format!(
                    "{}.{} -> {}{}",
                    r.socket,
                    r.call,
                    display(&r.result),
                    if r.blocked { " [blocked]" } else { "" }
                )
            })
        };
        let action = ours
            .or(theirs)
            .and_then(|r| actions.get(r.index))
            .map_or("", String::as_str);
        table.push_str(&format!(
            "{} {:<44} workbench: {:<48} cpython: {}\n",
            if same { " " } else { "!" },
            action,
            describe(ours),
            describe(theirs)
        ));
    }
    println!("scenario {name}:\n{table}");
    assert!(
        !differs,
        "scenario {name}: the workbench differs from CPython\n{table}\nworkbench timeline:\n{timeline}"
    );
}
