//! The fuzzing harness in CI: each target of `socket_workbench::fuzz` over a short run of
//! generated inputs (FUZZ_INPUTS, default 20,000, or 10,000 for scripts, workspaces and Packet
//! Sender files; FUZZ_SEED, default 1), then every input kept under
//! `tests/fuzz_regressions/<target>/` replayed. An input that panics fails its target's test
//! with the input printed; one that runs longer than 30 s, or the process over 4 GB, aborts
//! the test binary with the input printed (straight to stderr). `cargo bench --bench fuzz`
//! runs the same targets a million inputs each; `FUZZ_INPUTS=200000 cargo test --test fuzz`
//! runs them long in a debug build, where integer overflow panics.
//!
//! The tests at the end keep what the fuzzer found (each was fixed in its parser); a new
//! finding not fixed yet goes there `#[ignore]`d, with an entry in [`KNOWN`].

use socket_workbench::fuzz::{self, Limits, Settings, Target};
use std::path::Path;
use std::time::Duration;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|text| text.trim().replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// Debug builds on a busy machine are slow: the watchdog allows 30 s for one input.
fn limits() -> Limits {
    Limits {
        timeout: Duration::from_secs(30),
        ..Limits::default()
    }
}

/// A few real files, built in (the bench reads them all at run time), and the built-in seeds.
fn corpus(target: Target) -> Vec<Vec<u8>> {
    let files: &[&str] = match target {
        Target::Script | Target::Workspace => &[
            include_str!("../assets/lessons/01_tcp_hello.toml"),
            include_str!("../assets/examples/blocked_recv.toml"),
            include_str!("../assets/examples/echo_server.toml"),
            include_str!("../assets/examples/exchange.toml"),
            include_str!("../assets/examples/tcp_hello.toml"),
            include_str!("../assets/examples/udp_echo_server.toml"),
            include_str!("../assets/examples/wire.toml"),
        ],
        Target::PacketSender => &[
            include_str!("fixtures/packet_sender/packets.ini"),
            include_str!("fixtures/packet_sender/packets_qt5.ini"),
            include_str!("fixtures/packet_sender/packets.json"),
        ],
        _ => &[],
    };
    let mut corpus: Vec<Vec<u8>> = files.iter().map(|file| file.as_bytes().to_vec()).collect();
    corpus.extend(fuzz::builtin_corpus(target));
    corpus
}

/// Inputs per target in CI: 20,000, or 10,000 for the three slowest, so that the whole file
/// takes about half a minute in a debug build on two busy cores.
fn ci_inputs(target: Target) -> u64 {
    match target {
        Target::Script | Target::Workspace | Target::PacketSender => 10_000,
        _ => 20_000,
    }
}

/// Panics the fuzzer found that are not fixed yet: (what the message contains, the
/// `#[ignore]`d test below that keeps the input). A generated input that fails this way is
/// printed, not failed on; remove the entry once the parser is fixed.
const KNOWN: &[(&str, &str)] = &[];

fn known(finding: &fuzz::Finding) -> Option<&'static str> {
    let fuzz::Problem::Panic(message) = &finding.problem else {
        return None;
    };
    KNOWN
        .iter()
        .find(|(part, _)| message.contains(part))
        .map(|(_, test)| *test)
}

/// Generated inputs, then the kept ones; fails with every input that failed (a generated
/// one that fails as a [`KNOWN`] finding is only printed).
fn fuzz_target(target: Target) {
    let mut settings = Settings::new(
        target,
        env_number("FUZZ_SEED", 1),
        env_number("FUZZ_INPUTS", ci_inputs(target)),
    );
    settings.limits = limits();
    // The tests run side by side: the process's peak memory is theirs together.
    settings.check_memory = false;
    let report = fuzz::run(&settings, &corpus(target), &mut |_| {});
    println!("generated: {}", report.summary());
    let kept = fuzz::regressions(&Path::new(ROOT).join("tests/fuzz_regressions"), target);
    let replayed = fuzz::replay(target, &kept, limits());
    println!("kept:      {}", replayed.summary());
    let mut failed = Vec::new();
    for finding in &report.findings {
        match known(finding) {
            Some(test) => println!("known (see {test}):\n{}", finding.describe()),
            None => failed.push(finding.describe()),
        }
    }
    // Beyond the findings a report keeps, failures are counted only: not known to be known.
    let uncounted = report.failed.saturating_sub(report.findings.len() as u64);
    failed.extend(replayed.findings.iter().map(fuzz::Finding::describe));
    assert!(
        failed.is_empty() && uncounted == 0,
        "{} input(s) failed ({} more not shown):\n{}",
        failed.len(),
        uncounted,
        failed.join("\n")
    );
    assert_eq!(report.inputs, settings.count);
}

#[test]
fn script() {
    fuzz_target(Target::Script);
}

#[test]
fn workspace() {
    fuzz_target(Target::Workspace);
}

#[test]
fn packet_sender() {
    fuzz_target(Target::PacketSender);
}

#[test]
fn template() {
    fuzz_target(Target::Template);
}

#[test]
fn framing() {
    fuzz_target(Target::Framing);
}

#[test]
fn escaped() {
    fuzz_target(Target::Escaped);
}

#[test]
fn hex() {
    fuzz_target(Target::Hex);
}

#[test]
fn address() {
    fuzz_target(Target::Address);
}

/// The harness itself can fail: a panic inside a target is caught with its place, counted and
/// kept as a finding; each target has a test above.
#[test]
fn a_panic_is_a_finding() {
    let caught = fuzz::catch(|| -> u8 { panic!("a parser gave up") });
    let message = caught.expect_err("the panic is caught");
    assert!(
        message.starts_with("a parser gave up at tests/fuzz.rs:"),
        "{message}"
    );
    assert_eq!(Target::ALL.len(), 8);
    for target in Target::ALL {
        assert_eq!(Target::from_name(target.name()), Some(target));
    }
}

/// An input that runs too long stops the process, the input printed: here a call that
/// sleeps, in a child process (this test binary again) whose watchdog allows 100 ms.
#[test]
fn a_hang_stops_the_process_with_the_input() {
    if std::env::var_os("FUZZ_WATCHDOG_CHILD").is_some() {
        let limits = Limits {
            timeout: Duration::from_millis(100),
            ..Limits::default()
        };
        let watchdog = fuzz::Watchdog::start(limits, None);
        let origin = fuzz::Origin::File("sleepy".to_string());
        watchdog.guard(Target::Script, &origin, b"sleep \xff forever", || {
            std::thread::sleep(Duration::from_secs(20));
        });
        return;
    }
    let output = std::process::Command::new(std::env::current_exe().expect("this test"))
        .args([
            "--exact",
            "a_hang_stops_the_process_with_the_input",
            "--nocapture",
        ])
        .env("FUZZ_WATCHDOG_CHILD", "1")
        .output()
        .expect("the child runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("watchdog: one input has run for"),
        "{stderr}"
    );
    assert!(stderr.contains(r#"b"sleep \xff forever""#), "{stderr}");
}

/// The generator gives the same input for the same seed and number, and stays in bounds.
#[test]
fn inputs_are_reproducible_and_bounded() {
    for target in Target::ALL {
        let corpus = corpus(target);
        for index in 0..300 {
            let input = fuzz::generate(target, 9, index, &corpus);
            assert!(input.len() <= fuzz::MAX_INPUT);
            assert_eq!(input, fuzz::generate(target, 9, index, &corpus));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Found by the fuzzer and fixed: each stays as a regression test

/// A script whose only action is `ACTION`, after a socket `s` is made.
fn script_with(actions: &[&str]) -> Vec<u8> {
    let quoted: Vec<String> = actions
        .iter()
        .map(|action| format!("  {action:?},"))
        .collect();
    format!(
        "[[step]]\ndo = [\n  \"s = socket()\",\n{}\n]\n",
        quoted.join("\n")
    )
    .into_bytes()
}

fn replay_fails(target: Target, name: &str, input: Vec<u8>) {
    let report = fuzz::replay(target, &[(name.to_string(), input)], limits());
    let findings: Vec<String> = report
        .findings
        .iter()
        .map(fuzz::Finding::describe)
        .collect();
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}

/// src/script/parse.rs, `P::unary_inner`: `V::Int(n) => ... V::Int(-n)` negates i64::MIN
/// (made by `-4611686018427387904 * 2`, which `checked_mul` allows): "attempt to negate with
/// overflow" in a debug build; a release build wraps silently and keeps -2^63. Fix: a
/// `checked_neg` with a "number too large" error.
#[test]
fn script_negation_of_the_smallest_integer() {
    for action in [
        "s.recv(-(-4611686018427387904 * 2))",
        "s.settimeout(-(-4611686018427387904 * 2))",
        "s.listen(--4611686018427387904 * 2)",
    ] {
        replay_fails(Target::Script, action, script_with(&[action]));
    }
}

/// src/script/parse.rs: `MAX_BYTES` (64 MiB) bounds one bytes value, not a script: each
/// `b'x' * 67108864` (26 bytes of text) is held whole in the parsed `Script` (`repeat`, then
/// cloned by `P::data`), so 12 of them (a 400-byte file) take about 800 MB, and a 64 KB file
/// of them some 160 GB. Fix: a budget for the whole script's bytes.
#[test]
fn script_bytes_are_bounded_per_value_not_per_script() {
    let actions = ["s.send(b'x' * 67108864)"; 12];
    replay_fails(Target::Script, "12 x 64 MiB", script_with(&actions));
}

/// src/script/parse.rs, `distance` (behind `suggest` and `did_you_mean`, "did you mean ...?"):
/// time in the product of the two names' lengths, and a name's length has no bound. A 60 KB
/// script that makes a socket named with 30,000 letters and then calls one a letter apart
/// takes 1.5 s in a release build (some 40 s in a debug one); a 1 MB file, minutes. Fix:
/// suggest only for names of a sensible length, or give up once the distance is over the
/// limit.
#[test]
fn script_did_you_mean_is_quadratic_in_the_name_length() {
    let long = "a".repeat(30_000);
    let make = format!("{long} = socket()");
    let typo = format!("b{long}.close()");
    let input = script_with(&[&make, &typo]);
    let began = std::time::Instant::now();
    assert_eq!(fuzz::script(&input), fuzz::Verdict::Refused);
    let took = began.elapsed();
    assert!(took < Duration::from_millis(500), "took {took:?}");
}
