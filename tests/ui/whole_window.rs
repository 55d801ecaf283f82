//! The whole window on real loopback sockets: two inspectors side by side, hex view, a blocked
//! recv and Cancel, errno explanations, refused hex, projector mode, and a script stepped in the
//! window. Every wait is bounded, so a test fails instead of hanging.

use egui_kittest::kittest::{NodeT, Queryable};
use socket_workbench::engine::{CallKind, Lifecycle, Outcome, errno};
use socket_workbench::i18n::Lang;
use socket_workbench::script;
use std::time::Duration;

use crate::window;
use crate::window::{
    App, click, click_in, click_topmost, name_of, new_tcp_socket, set_text_in, shows_containing,
    state_of, wait_until,
};

fn new_harness() -> App {
    window::new_harness(1600.0, 1000.0)
}

/// Loads a script into the window and runs all its steps.
fn run_script_in_window(harness: &mut App, text: &str) {
    let script = script::parse(text).expect("script");
    harness.state_mut().open_script(script);
    harness.state_mut().run_all_steps();
    wait_until(harness, "the script to finish", |h| {
        h.state()
            .scenario()
            .is_some_and(|run| run.finished && !run.running)
    });
}

#[test]
fn listener_and_client_side_by_side_exchange_hello_shown_as_text_and_hex() {
    let mut harness = new_harness();
    let server = new_tcp_socket(&mut harness);
    click(&mut harness, "bind()");
    wait_until(&mut harness, "bind", |h| {
        state_of(h, server) == Some(Lifecycle::Bound)
    });
    click(&mut harness, "listen()");
    wait_until(&mut harness, "listen", |h| {
        state_of(h, server) == Some(Lifecycle::Listening)
    });
    let server_addr = harness
        .state()
        .session()
        .socket(server)
        .and_then(|view| view.local.clone())
        .expect("address");

    let client = new_tcp_socket(&mut harness);
    let target = format!("{} {server_addr}", name_of(&harness, server));
    click(&mut harness, &target);
    click(&mut harness, "connect()");
    // The state comes before the call's return; wait for the result line itself.
    wait_until(&mut harness, "connect and its result", |h| {
        state_of(h, client) == Some(Lifecycle::Connected)
            && shows_containing(h, "connect(('127.0.0.1'")
    });

    // The listener goes in an inspector beside the client's.
    click(&mut harness, "beside");
    let shown = harness.state().shown_sockets();
    assert_eq!(shown.len(), 2, "two inspectors: {shown:?}");
    assert_eq!(shown[0], client);
    assert_eq!(shown[1], server);
    click_in(&mut harness, "accept()", 1);
    wait_until(&mut harness, "accept", |h| {
        h.state()
            .session()
            .socket(server)
            .is_some_and(|view| !view.children.is_empty())
    });
    let child = harness
        .state()
        .session()
        .socket(server)
        .expect("server")
        .children[0];

    // Show the accepted connection in the right-hand inspector.
    let child_name = name_of(&harness, child);
    click(&mut harness, &child_name);
    let shown = harness.state().shown_sockets();
    assert!(
        shown.contains(&child) && shown.contains(&client),
        "{shown:?}"
    );
    let client_column = shown.iter().position(|id| *id == client).expect("client");
    let child_column = 1 - client_column;

    set_text_in(&mut harness, "send text", client_column, "hello");
    click_in(&mut harness, "send()", client_column);
    wait_until(&mut harness, "send", |h| {
        h.state()
            .session()
            .socket(client)
            .is_some_and(|view| view.counters.bytes_out == 5)
    });
    click_in(&mut harness, "recv()", child_column);
    wait_until(&mut harness, "the chunk as text", |h| {
        h.state()
            .session()
            .socket(child)
            .is_some_and(|view| view.counters.bytes_in == 5)
            && shows_containing(h, "b'hello' (5 bytes)")
    });
    click_in(&mut harness, "as hex", child_column);
    wait_until(&mut harness, "the chunk as hex", |h| {
        shows_containing(h, "68 65 6c 6c 6f")
    });
}

#[test]
fn a_blocked_recv_is_shown_growing_and_cancel_ends_it() {
    let mut harness = new_harness();
    run_script_in_window(
        &mut harness,
        r#"
show = ["conn", "client"]
[[step]]
do = [
  "server = socket(AF_INET, SOCK_STREAM)",
  "server.bind(('127.0.0.1', 0))",
  "server.listen(1)",
  "&conn, addr = server.accept()",
  "client = socket(AF_INET, SOCK_STREAM)",
  "client.connect(server)",
  "await conn",
  "&conn.recv(1024)",
]
"#,
    );
    let conn = harness
        .state()
        .scenario()
        .and_then(|run| run.socket_named("conn"))
        .expect("conn");
    wait_until(&mut harness, "the blocked recv", |h| {
        shows_containing(h, "blocked in recv() 0.")
    });
    std::thread::sleep(Duration::from_millis(1100));
    wait_until(&mut harness, "the time to grow", |h| {
        shows_containing(h, "blocked in recv() 1.")
    });
    click(&mut harness, "Cancel");
    wait_until(&mut harness, "cancel to end the recv", |h| {
        h.state().session().socket(conn).is_some_and(|view| {
            view.pending.is_empty()
                && view
                    .last_result(CallKind::Recv)
                    .is_some_and(|last| matches!(last.outcome, Outcome::Cancelled(_)))
        })
    });
    assert!(shows_containing(&harness, "cancelled"));
    assert_eq!(state_of(&harness, conn), Some(Lifecycle::Connected));
}

#[test]
fn eaddrinuse_is_shown_with_its_explanation_and_fix() {
    let occupied = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = occupied.local_addr().expect("address").port();
    let mut harness = new_harness();
    let socket = new_tcp_socket(&mut harness);
    set_text_in(
        &mut harness,
        "bind address",
        0,
        &format!("127.0.0.1:{port}"),
    );
    click(&mut harness, "bind()");
    wait_until(&mut harness, "the errno", |h| {
        shows_containing(h, "EADDRINUSE (errno 98)")
    });
    assert!(shows_containing(
        &harness,
        &errno::explanation_in(Lang::En, libc::EADDRINUSE)
    ));
    assert!(shows_containing(&harness, "Usual fix: "));
    // The socket carries on: a free port works.
    assert_eq!(state_of(&harness, socket), Some(Lifecycle::Created));
    set_text_in(&mut harness, "bind address", 0, "127.0.0.1:0");
    click(&mut harness, "bind()");
    wait_until(&mut harness, "bind on port 0", |h| {
        state_of(h, socket) == Some(Lifecycle::Bound)
    });
}

#[test]
fn listen_is_disabled_before_bind_and_says_why() {
    let mut harness = new_harness();
    new_tcp_socket(&mut harness);
    let listen = harness.get_by_label("listen()");
    assert!(listen.accesskit_node().is_disabled());
    listen.hover();
    harness.run_ok();
    assert!(shows_containing(
        &harness,
        "listen needs a bound stream socket: call bind() first"
    ));
    click(&mut harness, "bind()");
    wait_until(&mut harness, "listen to be enabled", |h| {
        !h.get_by_label("listen()").accesskit_node().is_disabled()
    });
}

#[test]
fn bad_hex_is_refused_with_its_position_and_nothing_is_sent() {
    let mut harness = new_harness();
    run_script_in_window(
        &mut harness,
        r#"
show = ["client"]
[[step]]
do = [
  "server = socket(AF_INET, SOCK_STREAM)",
  "server.bind(('127.0.0.1', 0))",
  "server.listen(1)",
  "client = socket(AF_INET, SOCK_STREAM)",
  "client.connect(server)",
]
"#,
    );
    let client = harness
        .state()
        .scenario()
        .and_then(|run| run.socket_named("client"))
        .expect("client");
    click(&mut harness, "Hex");
    set_text_in(&mut harness, "send hex", 0, "48 6 6c");
    wait_until(&mut harness, "the hex error", |h| {
        shows_containing(h, "at character 4")
    });
    let send = harness.get_by_label("send()");
    assert!(send.accesskit_node().is_disabled(), "send is refused");
    click(&mut harness, "send()");
    harness.run_ok();
    let view = harness.state().session().socket(client).expect("client");
    assert_eq!(view.counters.send_calls, 0, "nothing was sent");
}

#[test]
fn projector_mode_and_zoom_keys_change_the_scale() {
    let mut harness = new_harness();
    harness.run_ok();
    let normal = harness.ctx.zoom_factor();
    click(&mut harness, "Projector mode");
    harness.run_ok();
    let projector = harness.ctx.zoom_factor();
    assert!(
        projector >= 1.5,
        "projector zoom {projector} (normal {normal})"
    );
    assert!(
        !harness.ctx.global_style().visuals.dark_mode,
        "a light theme"
    );
    assert!(harness.state().appearance().projector);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Plus);
    harness.run_ok();
    assert!(harness.ctx.zoom_factor() > projector);
}

#[test]
fn a_script_steps_in_the_window_on_page_down() {
    let mut harness = new_harness();
    let script = script::parse(
        r#"
title = "Two steps"
[[step]]
say = "First the server listens."
do = ["server = socket(AF_INET, SOCK_STREAM)", "server.bind(('127.0.0.1', 0))", "server.listen(1)"]
[[step]]
say = "Then a client connects."
do = ["client = socket(AF_INET, SOCK_STREAM)", "client.connect(server)"]
"#,
    )
    .expect("script");
    harness.state_mut().open_script(script);
    harness.run_ok();
    assert!(shows_containing(&harness, "First the server listens."));
    harness.key_press(egui::Key::PageDown);
    wait_until(&mut harness, "step 1", |h| {
        h.state()
            .scenario()
            .is_some_and(|run| run.current == Some(0) && !run.running)
    });
    assert!(shows_containing(&harness, "step 1 of 2"));
    let server = harness
        .state()
        .scenario()
        .and_then(|run| run.socket_named("server"))
        .expect("server");
    assert_eq!(state_of(&harness, server), Some(Lifecycle::Listening));
    assert!(
        harness.query_by_label("server").is_some(),
        "the card uses the script's name"
    );
    click(&mut harness, "Next step");
    wait_until(&mut harness, "step 2", |h| {
        h.state()
            .scenario()
            .is_some_and(|run| run.finished && !run.running)
    });
    assert!(shows_containing(&harness, "Then a client connects."));
}

#[test]
fn a_lesson_loads_in_one_click_and_page_down_runs_every_step() {
    let mut harness = new_harness();
    let lessons = harness.state().lessons().to_vec();
    assert_eq!(lessons.len(), 23, "23 built-in lessons (L1-L21, L24, L25)");
    let lesson = lessons
        .iter()
        .find(|lesson| lesson.file_name.starts_with("10_"))
        .expect("lesson 10")
        .clone();
    let script = lesson.script.clone().expect("lesson 10 parses");
    click_topmost(&mut harness, "Lessons");
    click(&mut harness, lesson.title.get(Lang::En));
    assert!(harness.state().scenario().is_some(), "the lesson is loaded");
    for (index, step) in script.steps.iter().enumerate() {
        harness.key_press(egui::Key::PageDown);
        wait_until(&mut harness, "the step to run", |h| {
            h.state()
                .scenario()
                .is_some_and(|run| run.current == Some(index) && !run.running)
        });
        if let Some(say) = &step.say {
            let start: String = say.get(Lang::En).trim().chars().take(40).collect();
            assert!(
                shows_containing(&harness, &start),
                "narration of step {}",
                index + 1
            );
        }
    }
    let run = harness.state().scenario().expect("scenario");
    assert!(run.finished);
    assert!(run.failures.is_empty(), "{:?}", run.failures);
}

#[test]
fn a_malformed_lesson_file_is_refused_with_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("mine.toml");
    std::fs::write(
        &path,
        "title = 'mine'\n[[step]]\ndo = ['s = socket()', 's.recvv(1)']\n",
    )
    .expect("write");
    let mut harness = new_harness();
    click_topmost(&mut harness, "Lessons");
    set_text_in(&mut harness, "lesson file", 0, &path.display().to_string());
    click(&mut harness, "Open file");
    assert!(shows_containing(&harness, "mine.toml:3:"));
    assert!(shows_containing(&harness, "unknown call 'recvv'"));
    assert!(harness.state().scenario().is_none());
}

#[test]
fn the_call_table_exports_the_calls_made_by_clicking() {
    let mut harness = new_harness();
    let socket = new_tcp_socket(&mut harness);
    click(&mut harness, "bind()");
    wait_until(&mut harness, "bind", |h| {
        state_of(h, socket) == Some(Lifecycle::Bound)
    });
    click(&mut harness, "Call table");
    wait_until(&mut harness, "the call table", |h| {
        h.query_by_label("Export CSV").is_some()
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("calls.csv");
    window::set_text(&mut harness, "Export to", &csv.to_string_lossy());
    click(&mut harness, "Export CSV");
    wait_until(&mut harness, "the export", |h| {
        shows_containing(h, "Wrote 1 rows to")
    });
    let text = std::fs::read_to_string(&csv).expect("csv written");
    assert!(text.starts_with("time_s,socket,call,"), "{text}");
    assert!(text.contains(",bind,\"('127.0.0.1', 0)\",None,"), "{text}");
}

#[test]
fn a_socket_that_answers_by_itself_says_so_in_its_header() {
    let mut harness = new_harness();
    run_script_in_window(
        &mut harness,
        r#"
show = ["server"]
[[step]]
do = [
  "server = socket(AF_INET, SOCK_STREAM)",
  "server.bind(('127.0.0.1', 0))",
  "server.listen(1)",
  "server.auto(accept, respond='upper')",
  "client = socket(AF_INET, SOCK_STREAM)",
  "client.connect(server)",
  "client.sendall(b'hi')",
  "client.recv(1024) => b'HI'",
]
"#,
    );
    let failures = harness
        .state()
        .scenario()
        .map(|run| run.failures.clone())
        .unwrap_or_default();
    assert!(failures.is_empty(), "{failures:?}");
    wait_until(&mut harness, "the listener's header", |h| {
        window::shows(h, "automatic: accepts, receives, replies: uppercase echo")
    });
    // The accepted connection inherited it.
    wait_until(&mut harness, "the connection's header", |h| {
        h.state().session().sockets().any(|view| {
            view.parent.is_some()
                && view.automation.summary(Lang::En) == "receives, replies: uppercase echo"
        })
    });
}

#[test]
fn previous_step_closes_the_scripts_sockets_and_runs_the_steps_before_again() {
    let mut harness = new_harness();
    let script = script::parse(
        r#"
title = "three steps"
[[step]]
say = "A server listens."
do = ["server = socket(AF_INET, SOCK_STREAM)", "server.bind(('127.0.0.1', 0))", "server.listen(1)"]
[[step]]
say = "A client connects."
do = ["client = socket(AF_INET, SOCK_STREAM)", "client.connect(server)"]
[[step]]
say = "The client closes."
do = ["client.close()"]
"#,
    )
    .expect("script");
    harness.state_mut().open_script(script);
    harness.run_ok();
    for step in 0..2 {
        click(&mut harness, "Next step");
        wait_until(&mut harness, "the step to run", |h| {
            h.state()
                .scenario()
                .is_some_and(|run| run.current == Some(step) && !run.running)
        });
    }
    let named = |h: &App, name: &str| h.state().scenario().and_then(|run| run.socket_named(name));
    let (first_server, first_client) = (
        named(&harness, "server").expect("server"),
        named(&harness, "client").expect("client"),
    );
    assert_eq!(state_of(&harness, first_client), Some(Lifecycle::Connected));

    click(&mut harness, "Previous step");
    wait_until(&mut harness, "step 1 to run again", |h| {
        h.state()
            .scenario()
            .is_some_and(|run| run.current == Some(0) && !run.running && !run.finished)
    });
    assert!(shows_containing(&harness, "step 1 of 3"));
    // Step 1 ran again on a new socket with the same name; step 2 has not: no client.
    let server = named(&harness, "server").expect("server again");
    assert_ne!(server, first_server);
    assert_eq!(name_of(&harness, server), "server");
    assert_eq!(state_of(&harness, server), Some(Lifecycle::Listening));
    assert!(named(&harness, "client").is_none());
    // The first run's sockets are closed and gone from the views: the run replaced them.
    wait_until(
        &mut harness,
        "the first run's sockets to close and go",
        |h| {
            [first_server, first_client]
                .iter()
                .all(|id| h.state().session().socket(*id).is_none())
        },
    );

    // Going on from there runs step 2 again, then Reset starts from nothing.
    click(&mut harness, "Next step");
    wait_until(&mut harness, "step 2 again", |h| {
        h.state()
            .scenario()
            .is_some_and(|run| run.current == Some(1) && !run.running)
    });
    let client = named(&harness, "client").expect("client again");
    assert_ne!(client, first_client);
    assert_eq!(state_of(&harness, client), Some(Lifecycle::Connected));
    click(&mut harness, "Reset");
    // Mid-script, Reset asks first.
    assert!(shows_containing(
        &harness,
        "Start again from the first step?"
    ));
    click(&mut harness, "Start again");
    wait_until(&mut harness, "reset", |h| {
        h.state()
            .scenario()
            .is_some_and(|run| run.current.is_none() && !run.running)
    });
    assert!(named(&harness, "server").is_none());
    assert!(shows_containing(&harness, "3 steps"));
}

#[test]
fn presenter_keys_end_home_blank_and_full_screen() {
    let mut harness = new_harness();
    let script = script::parse(
        r#"
title = "Three steps"
[[step]]
say = "One."
do = ["a = socket(AF_INET, SOCK_DGRAM)"]
[[step]]
say = "Two."
do = ["b = socket(AF_INET, SOCK_DGRAM)"]
[[step]]
say = "Three."
do = ["c = socket(AF_INET, SOCK_DGRAM)"]
"#,
    )
    .expect("script");
    harness.state_mut().open_script(script);
    harness.run_ok();
    // End: every step.
    harness.key_press(egui::Key::End);
    wait_until(&mut harness, "the last step", |h| {
        h.state()
            .scenario()
            .is_some_and(|run| run.finished && !run.running && run.current == Some(2))
    });
    assert!(shows_containing(&harness, "Three."));
    // Home: back to the first step, run again on fresh sockets.
    harness.key_press(egui::Key::Home);
    wait_until(&mut harness, "the first step", |h| {
        h.state()
            .scenario()
            .is_some_and(|run| run.current == Some(0) && !run.running && !run.finished)
    });
    assert!(shows_containing(&harness, "One."));
    // B blanks the window (nothing else is drawn) and shows it again.
    harness.key_press(egui::Key::B);
    harness.run_ok();
    assert!(harness.state().is_blanked());
    assert!(shows_containing(
        &harness,
        "press B to show the window again"
    ));
    assert!(!shows_containing(&harness, "One."));
    harness.key_press(egui::Key::B);
    harness.run_ok();
    assert!(!harness.state().is_blanked());
    assert!(shows_containing(&harness, "One."));
    // F11 asks for full screen, and again to leave it.
    harness.key_press(egui::Key::F11);
    harness.run_ok();
    assert!(harness.state().is_full_screen());
    harness.key_press(egui::Key::F11);
    harness.run_ok();
    assert!(!harness.state().is_full_screen());
}

/// L25: while its key step is shown, the wildcard listener is marked reachable from the
/// network (on the stage's socket strip and in the system table); the next step closes it
/// first, and the mark goes with it.
#[test]
fn a_wildcard_listener_is_marked_reachable_from_the_network_while_its_step_is_shown() {
    let mut harness = new_harness();
    let lesson = harness
        .state()
        .lessons()
        .iter()
        .find(|lesson| lesson.file_name.starts_with("25_"))
        .expect("lesson 25")
        .clone();
    let key = lesson.script.as_ref().expect("L25 parses").key_step();
    harness.state_mut().open_lesson(&lesson);
    harness.state_mut().set_present(true);
    harness.state_mut().run_steps(key + 1);
    wait_until(&mut harness, "the key step", |h| {
        h.state()
            .scenario()
            .is_some_and(|run| !run.running && run.current == Some(key))
    });
    wait_until(&mut harness, "the mark on the strip and the table", |h| {
        h.query_all_by_label_contains("reachable from the network")
            .count()
            >= 2
    });
    assert!(shows_containing(
        &harness,
        "everywhere · listening · reachable from the network"
    ));
    click(&mut harness, "Next step");
    wait_until(&mut harness, "the next step", |h| {
        h.state()
            .scenario()
            .is_some_and(|run| !run.running && run.current == Some(key + 1))
    });
    wait_until(&mut harness, "the mark to go", |h| {
        h.query_all_by_label_contains("reachable from the network")
            .next()
            .is_none()
    });
}

/// The presenter bar's buttons stay where they are whatever its status reads ("7 steps",
/// "step 1 of 7 (running)", "step 7 of 7 (finished)"): a click meant for one never lands on
/// another.
#[test]
fn the_presenter_bars_buttons_never_move() {
    let mut harness = window::new_harness(1280.0, 720.0);
    harness.run_ok();
    let lesson = harness.state().lessons()[0].clone();
    let steps = lesson.script.as_ref().expect("parses").steps.len();
    harness.state_mut().open_lesson(&lesson);
    harness.state_mut().set_present(true);
    harness.run_ok();
    harness.run_ok();
    let places = |h: &App| -> Vec<(String, f32)> {
        ["Previous step", "Next step", "Reset", "Preview", "Leave"]
            .iter()
            .map(|label| {
                let node = h.get_by_label(label);
                (label.to_string(), node.rect().min.x)
            })
            .collect()
    };
    let before = places(&harness);
    for step in 0..steps {
        harness.state_mut().run_next_step();
        // While the step runs, and once it has.
        harness.run_ok();
        assert_eq!(places(&harness), before, "step {} running", step + 1);
        wait_until(&mut harness, "the step to run", |h| {
            h.state()
                .scenario()
                .is_some_and(|run| run.current == Some(step) && !run.running)
        });
        assert_eq!(places(&harness), before, "after step {}", step + 1);
    }
}

/// Sockets left open by manual work before a lesson is opened stay open, but the lesson's
/// stage shows only the lesson's own: none in its introduction, then the ones its steps make.
#[test]
fn a_lesson_opens_on_its_own_sockets_only() {
    let mut harness = window::new_harness(1280.0, 720.0);
    harness.run_ok();
    let first = window::new_tcp_socket(&mut harness);
    let second = window::new_tcp_socket(&mut harness);
    let leftovers = [first, second];
    let names: Vec<String> = leftovers
        .iter()
        .map(|id| window::name_of(&harness, *id))
        .collect();
    let lesson = harness.state().lessons()[0].clone();
    harness.state_mut().open_lesson(&lesson);
    harness.state_mut().set_present(true);
    for _ in 0..4 {
        harness.run_ok();
    }
    let drawn = harness.state().stage().timeline().lanes_drawn().to_vec();
    assert!(
        drawn.is_empty(),
        "the introduction shows no lanes, not the earlier sockets: {drawn:?}"
    );
    assert!(
        names
            .iter()
            .all(|name| harness.query_all_by_label(name).next().is_none()),
        "no earlier socket is named on stage"
    );
    harness.state_mut().run_steps(1);
    wait_until(&mut harness, "step 1", |h| {
        h.state()
            .scenario()
            .is_some_and(|run| !run.running && run.current == Some(0))
    });
    for _ in 0..4 {
        harness.run_ok();
    }
    let ours = harness
        .state()
        .scenario()
        .map(|run| run.sockets())
        .unwrap_or_default();
    let drawn = harness.state().stage().timeline().lanes_drawn().to_vec();
    assert!(
        !drawn.is_empty(),
        "step 1 puts the lesson's sockets on stage"
    );
    assert!(
        drawn
            .iter()
            .all(|lane| ours.contains(lane) && !leftovers.contains(lane)),
        "lanes {drawn:?}: the lesson's {ours:?}, none of the earlier {leftovers:?}"
    );
    assert_eq!(
        harness.state().session().stats().sockets_open,
        leftovers.len() + ours.len(),
        "the earlier sockets were left open"
    );
}
