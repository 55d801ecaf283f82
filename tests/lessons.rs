//! The built-in lessons (assets/lessons/NN_name.toml, NN the lesson's number in LESSONS.md): each one runs headless on real
//! loopback sockets and every expectation in it holds; and every file has the shape a lesson
//! needs (title, intro, narrated steps, expectations, sockets to show). A binary of its own, away
//! from the many connect()s of the other suites (see tests/scripts/main.rs).

use socket_workbench::engine::Call;
use socket_workbench::i18n::Lang;
use socket_workbench::script::{ActionKind, Script, parse, run_text};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The lessons built so far, by their numbers in LESSONS.md (L22 and L23 need the relay).
const LESSON_NUMBERS: [usize; 23] = [
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 24, 25,
];
const LESSON_COUNT: usize = LESSON_NUMBERS.len();

/// The one lesson that may bind every interface (0.0.0.0), to show where a server listens.
const WILDCARD_LESSON: usize = 25;

fn lessons_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join("lessons")
}

/// Every `*.toml` in assets/lessons, sorted by name.
fn lesson_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(lessons_dir())
        .expect("assets/lessons exists")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    files
}

/// The lesson file whose name starts with `NN_`.
fn lesson_file(number: usize) -> PathBuf {
    let prefix = format!("{number:02}_");
    let matches: Vec<PathBuf> = lesson_files()
        .into_iter()
        .filter(|path| file_name(path).starts_with(&prefix))
        .collect();
    assert_eq!(
        matches.len(),
        1,
        "expected exactly one lesson file {prefix}*.toml, found {matches:?}"
    );
    matches.into_iter().next().unwrap()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Runs one lesson headless and fails with its whole timeline if any expectation failed,
/// a call hung, or the script stopped.
fn run_lesson(number: usize) {
    let path = lesson_file(number);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut out: Vec<u8> = Vec::new();
    let started = Instant::now();
    let report = run_text(&text, &mut out)
        .unwrap_or_else(|e| panic!("{}: malformed: {}", path.display(), e.render("", &text)));
    let elapsed = started.elapsed();
    let output = String::from_utf8_lossy(&out).into_owned();
    assert!(
        report.passed(),
        "{} failed: {}\n\n{output}",
        path.display(),
        report.summary()
    );
    assert!(
        report.expectations_met >= 1,
        "{}: no expectation was checked\n\n{output}",
        path.display()
    );
    assert!(
        elapsed < Duration::from_secs(5),
        "{} took {elapsed:?} (a lesson must run in under 5 s)\n\n{output}",
        path.display()
    );
}

macro_rules! lesson_tests {
    ($($name:ident = $number:expr;)*) => {
        $(
            #[test]
            fn $name() {
                run_lesson($number);
            }
        )*
    };
}

lesson_tests! {
    lesson_01_tcp_hello_passes = 1;
    lesson_02_uppercase_echo_passes = 2;
    lesson_03_multi_client_passes = 3;
    lesson_04_http_hello_passes = 4;
    lesson_05_http_get_client_passes = 5;
    lesson_06_udp_c2f_passes = 6;
    lesson_07_udp_time_passes = 7;
    lesson_08_chat_byebye_passes = 8;
    lesson_09_reuseaddr_passes = 9;
    lesson_10_sticky_packets_passes = 10;
    lesson_11_partial_send_passes = 11;
    lesson_12_empty_send_passes = 12;
    lesson_13_client_vanishes_passes = 13;
    lesson_14_handshake_close_passes = 14;
    lesson_15_listen_backlog_passes = 15;
    lesson_16_blocking_modes_passes = 16;
    lesson_17_ports_passes = 17;
    lesson_18_ipv4_ipv6_passes = 18;
    lesson_19_broadcast_multicast_passes = 19;
    lesson_20_unix_sockets_passes = 20;
    lesson_21_udp_limits_passes = 21;
    lesson_24_half_close_passes = 24;
    lesson_25_where_a_server_listens_passes = 25;
}

/// Names a script gives to sockets: created ones, accepted ones (`conn, addr = s.accept()`),
/// and every socket an action uses (automatically accepted `server_conn1`...).
fn socket_names(script: &Script) -> HashSet<String> {
    let mut names = HashSet::new();
    for action in script.steps.iter().flat_map(|step| &step.actions) {
        match &action.kind {
            ActionKind::Create { name, .. } => {
                names.insert(name.clone());
            }
            ActionKind::Call {
                socket,
                call,
                targets,
                ..
            } => {
                names.insert(socket.clone());
                if matches!(call.call, Call::Accept)
                    && let Some(first) = targets.first()
                {
                    names.insert(first.clone());
                }
            }
            ActionKind::Await { socket, .. }
            | ActionKind::Cancel { socket }
            | ActionKind::Auto { socket, .. }
            | ActionKind::Kernel { socket } => {
                names.insert(socket.clone());
            }
            ActionKind::WireCheck { sockets } => names.extend(sockets.iter().cloned()),
            ActionKind::Sleep { .. }
            | ActionKind::Stay { .. }
            | ActionKind::System { .. }
            | ActionKind::Wire { .. }
            | ActionKind::Unlink { .. } => {}
        }
    }
    names
}

/// `server_conn2` is a connection `server` accepted automatically.
fn is_auto_accepted(name: &str, names: &HashSet<String>) -> bool {
    name.rsplit_once("_conn").is_some_and(|(listener, number)| {
        names.contains(listener) && !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())
    })
}

/// The lesson's number from its file name `NN_name.toml`.
fn lesson_number(path: &Path) -> usize {
    let name = file_name(path);
    name.get(..2)
        .and_then(|digits| digits.parse().ok())
        .unwrap_or_else(|| panic!("{name}: a lesson file is named NN_short_name.toml"))
}

#[test]
fn the_lessons_are_the_ones_of_lessons_md_by_number() {
    let names: Vec<String> = lesson_files().iter().map(|path| file_name(path)).collect();
    assert_eq!(names.len(), LESSON_COUNT, "{names:?}");
    for (number, name) in LESSON_NUMBERS.iter().zip(&names) {
        let prefix = format!("{number:02}_");
        assert!(
            name.starts_with(&prefix) && name.len() > prefix.len() + ".toml".len(),
            "lesson {number} should be named {prefix}short_name.toml, found {name}"
        );
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.'),
            "{name}: use lowercase letters, digits and _ only"
        );
    }
}

#[test]
fn every_lesson_has_a_title_an_intro_narrated_steps_and_expectations() {
    for path in lesson_files() {
        let path = &path;
        let number = lesson_number(path);
        let text = std::fs::read_to_string(path).unwrap();
        let script = parse(&text)
            .unwrap_or_else(|e| panic!("{}", e.render(&path.display().to_string(), &text)));
        let name = path.display();

        let title_prefix = format!("L{number} ");
        for lang in Lang::ALL {
            // A built-in lesson speaks both languages itself: nothing falls back.
            let title = script.title.has(lang).then(|| script.title.get(lang));
            assert!(
                title.is_some_and(|t| t.starts_with(&title_prefix) && t.len() > title_prefix.len()),
                "{name}: the {lang} title should read \"{title_prefix}...\", found {:?}",
                script.title
            );
            let intro = script.intro.as_ref().filter(|intro| intro.has(lang));
            let intro = intro.map_or("", |intro| intro.get(lang).trim());
            // 80 letters of English, or 40 characters of Chinese: two sentences or more.
            let least = if lang == Lang::Zh { 40 } else { 80 };
            assert!(
                intro.chars().count() >= least,
                "{name}: the {lang} intro should be 2-4 sentences, found {intro:?}"
            );
        }

        assert!(
            script.steps.len() >= 2,
            "{name}: at least 2 steps, found {}",
            script.steps.len()
        );
        for step in &script.steps {
            for lang in Lang::ALL {
                let say = step.say.as_ref().filter(|say| say.has(lang));
                let say = say.map_or("", |say| say.get(lang).trim());
                assert!(
                    !say.is_empty(),
                    "{name}: the step at line {} has no narration (say.{lang})",
                    step.line
                );
            }
            assert!(
                !step.actions.is_empty(),
                "{name}: the step at line {} does nothing",
                step.line
            );
        }

        let expectations: usize = script
            .steps
            .iter()
            .flat_map(|step| &step.actions)
            .map(|action| action.expect.len())
            .sum();
        assert!(expectations >= 1, "{name}: no expectation (=>)");

        assert!(
            (1..=3).contains(&script.show.len()),
            "{name}: show should name 1-3 sockets, found {:?}",
            script.show
        );
        let sockets = socket_names(&script);
        for shown in &script.show {
            assert!(
                sockets.contains(shown) || is_auto_accepted(shown, &sockets),
                "{name}: show names {shown:?}, which the lesson never creates or accepts"
            );
        }

        // Loopback only, and no fixed ports: every inet address in an action is on
        // 127.0.0.0/8, ::1, ::ffff:127.0.0.1, 224.1.1.1 (a multicast group joined on loopback)
        // or port 0/1 (port 1: "nobody listens here"). Only L25 binds every interface or the
        // host name, and closes each such socket in the step that shows it or first thing in
        // the next one.
        if number == WILDCARD_LESSON {
            for (index, step) in script.steps.iter().enumerate() {
                assert_wide_binds_close_soon(&name.to_string(), step, script.steps.get(index + 1));
            }
        }
        for action in script.steps.iter().flat_map(|step| &step.actions) {
            if let ActionKind::Call { call, .. } = &action.kind {
                let addr = match &call.call {
                    Call::Bind(addr) | Call::Connect(addr) => Some(addr),
                    Call::SendTo { addr, .. } => Some(addr),
                    _ => None,
                };
                if let Some(socket_workbench::engine::AddrArg::Inet { host, port }) = addr
                    && call.addr_from.is_none()
                {
                    let wide = is_wide(host) && matches!(call.call, Call::Bind(_));
                    assert!(
                        host.starts_with("127.")
                            || host == "::1"
                            || host == "::ffff:127.0.0.1"
                            || host == "224.1.1.1"
                            || (wide && number == WILDCARD_LESSON),
                        "{name}:{}: {host} is not a loopback address",
                        action.line
                    );
                    assert!(
                        *port <= 1,
                        "{name}:{}: fixed port {port} (use port 0)",
                        action.line
                    );
                }
            }
        }
    }
}

/// An address that other machines may reach: every interface, or this machine's name.
fn is_wide(host: &str) -> bool {
    host == "0.0.0.0"
        || host == "::"
        || host.is_empty()
        || host == socket_workbench::engine::host_name()
}

/// Every socket bound to a wide address in `step` is closed later in that step, or before
/// anything else happens in the next one (so it is open only while its step is shown).
fn assert_wide_binds_close_soon(
    lesson: &str,
    step: &socket_workbench::script::Step,
    next: Option<&socket_workbench::script::Step>,
) {
    let closes = |action: &socket_workbench::script::Action, socket: &str| {
        matches!(&action.kind, ActionKind::Call { socket: s, call, .. }
            if s == socket && matches!(call.call, Call::Close))
    };
    for (index, action) in step.actions.iter().enumerate() {
        let ActionKind::Call { socket, call, .. } = &action.kind else {
            continue;
        };
        let Call::Bind(socket_workbench::engine::AddrArg::Inet { host, .. }) = &call.call else {
            continue;
        };
        if !is_wide(host) {
            continue;
        }
        let closed_in_step = step.actions[index + 1..]
            .iter()
            .any(|later| closes(later, socket));
        let closed_first_next = next
            .and_then(|next| next.actions.first())
            .is_some_and(|first| closes(first, socket));
        assert!(
            closed_in_step || closed_first_next,
            "{lesson}:{}: {socket} is bound to {host} (reachable from the network) and must be \
             closed in its step or first thing in the next",
            action.line
        );
    }
}

#[test]
fn the_lessons_are_built_into_the_program() {
    let builtin = socket_workbench::lessons::builtin();
    let embedded: Vec<&str> = builtin
        .iter()
        .map(|lesson| lesson.file_name.as_str())
        .collect();
    assert_eq!(
        builtin.len(),
        LESSON_COUNT,
        "the program embeds {embedded:?}; build.rs should embed every assets/lessons/*.toml \
         (if this list is empty or short while the files exist, the build script's output was \
         reused from another checkout sharing this target directory)"
    );
    for (lesson, path) in builtin.iter().zip(lesson_files()) {
        assert_eq!(lesson.file_name, file_name(&path));
        assert!(
            lesson.script.is_ok(),
            "{}: {:?}",
            lesson.file_name,
            lesson.script
        );
        assert!(
            lesson.title.get(Lang::En).starts_with('L'),
            "{:?}",
            lesson.title
        );
        assert!(
            lesson.title.get(Lang::Zh).starts_with('L'),
            "{:?}",
            lesson.title
        );
        assert!(!lesson.summary.is_empty(), "{}", lesson.file_name);
    }
}

/// The lessons that show the wire (PRODUCT part 14, issue "the wire"): RST vs FIN, the
/// handshake and the close, dropped SYNs, the zero window, several sends as segments, and the
/// ICMP port unreachable a UDP socket is or is not told of.
const WIRE_LESSONS: [usize; 6] = [10, 11, 13, 14, 15, 21];

#[test]
fn the_wire_lessons_turn_the_wire_on_and_check_segments() {
    for number in WIRE_LESSONS {
        let path = lesson_file(number);
        let text = std::fs::read_to_string(&path).expect("read lesson");
        let script = parse(&text).unwrap_or_else(|e| panic!("{}: {e}", file_name(&path)));
        let actions: Vec<&ActionKind> = script
            .steps
            .iter()
            .flat_map(|step| &step.actions)
            .map(|action| &action.kind)
            .collect();
        assert!(
            actions
                .iter()
                .any(|action| matches!(action, ActionKind::Wire { on: true })),
            "L{number}: the wire is switched on"
        );
        // Its sockets talk only to each other, so without CAP_NET_RAW it captures in a private
        // network.
        assert!(script.own_network, "L{number}: own_network = true");
        let checks = script
            .steps
            .iter()
            .flat_map(|step| &step.actions)
            .filter(|action| matches!(action.kind, ActionKind::WireCheck { .. }))
            .filter(|action| !action.expect.is_empty())
            .count();
        assert!(checks >= 1, "L{number}: no wire() expectation");
    }
}

/// Without CAP_NET_RAW the wire lessons (`own_network = true`) make their sockets in a private
/// network namespace, capture the wire there and check it; where the system refuses that, they
/// run as before and say what they would have checked. As root, the binary is run without the
/// capability (setpriv, util-linux, drops it from the bounding set); as another user it has
/// none to drop.
#[test]
fn the_wire_lessons_pass_without_capture_permission_in_a_private_network() {
    let binary = env!("CARGO_BIN_EXE_socket-workbench");
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false);
    for number in WIRE_LESSONS {
        let path = lesson_file(number);
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
                panic!(
                    "setpriv (util-linux) is needed to drop CAP_NET_RAW; CI installs it: {error}"
                )
            });
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "L{number}:\n{stdout}");
        if !stdout.contains("~ no private network for the capture") {
            assert!(
                stdout.contains("this script's sockets are made in a private network namespace"),
                "L{number}:\n{stdout}"
            );
            assert!(
                !stdout.contains("not captured"),
                "L{number}: every wire() checked:\n{stdout}"
            );
            assert!(
                stdout
                    .lines()
                    .any(|line| line.contains("  ~ ") && line.contains(" -> ")),
                "L{number}: segments shown:\n{stdout}"
            );
            continue;
        }
        println!(
            "SKIPPED the private network part of L{number}: this system refuses unprivileged \
             user namespaces; checked that it runs without the wire instead"
        );
        assert!(
            stdout.contains("Capturing the wire needs CAP_NET_RAW"),
            "L{number}:\n{stdout}"
        );
        assert!(
            stdout.contains("not captured: would have checked"),
            "L{number}:\n{stdout}"
        );
        assert!(
            !stdout
                .lines()
                .any(|line| line.contains("  ~ ") && line.contains(" -> ")),
            "L{number}: no segment without capture:\n{stdout}"
        );
    }
}

/// The command line takes a built-in lesson by number or by a word of its name, speaks the
/// language asked for, lists the lessons, and `run --help` names only what `run` takes.
#[test]
fn the_command_line_runs_a_lesson_by_number_or_name_in_either_language() {
    let binary = env!("CARGO_BIN_EXE_socket-workbench");
    let run = |args: &[&str]| {
        let output = std::process::Command::new(binary)
            .args(args)
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .output()
            .expect("the binary runs");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, out, _) = run(&["run", "L12", "--lang", "zh"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.starts_with("# L12 "), "{out}");
    assert!(out.contains("== step 1/"), "{out}");
    assert!(
        out.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "no Chinese: {out}"
    );
    let (code, out, _) = run(&["run", "empty"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.starts_with("# L12 Empty message"),
        "English by the locale: {out}"
    );
    // The locale decides when --lang is not given.
    let chinese = std::process::Command::new(binary)
        .args(["lessons"])
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("the binary runs");
    let list = String::from_utf8_lossy(&chinese.stdout);
    assert!(list.lines().count() >= 23, "{list}");
    assert!(
        list.contains("10_sticky_packets.toml") && list.contains("黏包"),
        "{list}"
    );
    let (code, _, err) = run(&["run", "L99", "--lang", "zh"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("L99") && err.contains("socket-workbench lessons"),
        "{err}"
    );
    let (code, _, err) = run(&["run", "udp"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("several") && err.contains("L6 "), "{err}");
    let (_, help, _) = run(&["run", "--help"]);
    assert!(
        help.contains("--lang") && help.contains("LESSON_OR_FILE"),
        "{help}"
    );
    assert!(
        !help.contains("--projector") && !help.contains("--view"),
        "{help}"
    );
    let (_, help, _) = run(&["open", "--help"]);
    assert!(
        help.contains("--projector") && help.contains("--view"),
        "{help}"
    );
}

/// A file from someone else that binds every interface is not run without --trust: `run`
/// names the action with its line and exits with 3; with --trust it runs.
#[test]
fn run_refuses_a_file_that_reaches_beyond_loopback_unless_trusted() {
    let binary = env!("CARGO_BIN_EXE_socket-workbench");
    let dir = tempfile::tempdir().expect("temporary folder");
    let file = dir.path().join("lab.toml");
    std::fs::write(
        &file,
        "[[step]]\ndo = [\n  \"s = socket()\",\n  \"s.bind(('0.0.0.0', 0))\",\n]\n",
    )
    .expect("write");
    let refused = std::process::Command::new(binary)
        .args(["--lang", "en", "run"])
        .arg(&file)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("line 4: binds 0.0.0.0: reachable from the network"),
        "{stderr}"
    );
    assert!(stderr.contains("--trust"), "{stderr}");
    let trusted = std::process::Command::new(binary)
        .args(["--lang", "en", "run", "--trust"])
        .arg(&file)
        .output()
        .expect("runs");
    assert_eq!(
        trusted.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&trusted.stderr)
    );
    // A built-in lesson is trusted as it is.
    let lesson = std::process::Command::new(binary)
        .args(["--lang", "en", "run", "L1"])
        .output()
        .expect("runs");
    assert_eq!(lesson.status.code(), Some(0));
}

/// A built-in lesson's file run by its path is trusted as the lesson is (L19 joins a
/// multicast group, which a file from someone else may not without --trust).
#[test]
fn a_built_in_lessons_file_needs_no_trust() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_socket-workbench"))
        .args([
            "--lang",
            "en",
            "run",
            "assets/lessons/19_broadcast_multicast.toml",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs");
    assert_ne!(
        output.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
