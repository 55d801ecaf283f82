//! The first screen: quick starts and lessons, one click each, on real loopback sockets.

use socket_workbench::engine::Lifecycle;
use socket_workbench::i18n::Lang;

use crate::window;
use crate::window::{App, click, set_text, shows, shows_containing, wait_until};

fn new_harness() -> App {
    window::new_harness(1280.0, 720.0)
}

/// The sockets the session has, with their names and states.
fn sockets(harness: &App) -> Vec<(String, Lifecycle, bool)> {
    harness
        .state()
        .session()
        .sockets()
        .map(|view| (view.name.clone(), view.state, view.automation.auto_accept))
        .collect()
}

#[test]
fn the_first_screen_offers_quick_starts_and_lessons() {
    let mut harness = new_harness();
    harness.run_ok();
    assert!(shows(&harness, "Quick start"));
    assert!(shows(&harness, "TCP server and client"));
    assert!(shows(&harness, "UDP pair"));
    // Every built-in lesson is one click away.
    let titles: Vec<String> = harness
        .state()
        .lessons()
        .iter()
        .map(|lesson| lesson.title.get(Lang::En).to_string())
        .collect();
    assert!(titles.len() >= 21);
    for title in &titles {
        assert!(shows(&harness, title), "lesson {title} on the first screen");
    }
}

#[test]
fn tcp_server_and_client_in_one_click() {
    let mut harness = new_harness();
    harness.run_ok();
    click(&mut harness, "TCP server and client");
    wait_until(&mut harness, "server, conn and client", |h| {
        let found = sockets(h);
        let state = |name: &str| {
            found
                .iter()
                .find(|(n, _, _)| n == name)
                .map(|(_, state, _)| *state)
        };
        state("server") == Some(Lifecycle::Listening)
            && state("conn") == Some(Lifecycle::Connected)
            && state("client") == Some(Lifecycle::Connected)
    });
    // The first screen gives way to the inspectors, conn and client side by side.
    wait_until(&mut harness, "the first screen to go", |h| {
        !shows(h, "Quick start")
    });
    assert!(harness.state().scenario().is_some_and(|run| run.finished));
    // What was set up stays said above the inspectors.
    assert!(shows_containing(
        &harness,
        "A server listening on 127.0.0.1"
    ));
}

#[test]
fn udp_pair_and_a_listener_with_a_responder() {
    let mut harness = new_harness();
    harness.run_ok();
    click(&mut harness, "UDP pair");
    wait_until(&mut harness, "two bound UDP sockets", |h| {
        let found = sockets(h);
        ["a", "b"].iter().all(|name| {
            found
                .iter()
                .any(|(n, state, _)| n == name && *state == Lifecycle::Bound)
        })
    });
}

#[test]
fn listen_with_a_responder_and_bad_input_on_the_first_screen() {
    let mut harness = new_harness();
    harness.run_ok();
    // Input that could change the generated script is refused where it was typed.
    set_text(&mut harness, "connect to", "x'), s.close(), ('y:80");
    harness.run_ok();
    assert!(shows(
        &harness,
        "'x'), s.close(), ('y' is not a host name or an IP address"
    ));
    set_text(&mut harness, "listen on port", "70000");
    harness.run_ok();
    assert!(shows(&harness, "'70000' is not a port (0-65535)"));
    set_text(&mut harness, "listen on port", "0");
    harness.run_ok();
    click(&mut harness, "Listen");
    wait_until(
        &mut harness,
        "a listening server that accepts by itself",
        |h| {
            sockets(h).iter().any(|(name, state, accepts)| {
                name == "server" && *state == Lifecycle::Listening && *accepts
            })
        },
    );
}

#[test]
fn a_lesson_opened_once_is_listed_as_opened_lately() {
    let mut harness = new_harness();
    harness.run_ok();
    assert!(!shows(&harness, "Opened lately"));
    harness
        .state_mut()
        .apply_intent(socket_workbench::ui::Intent::OpenLesson(0));
    harness.run_ok();
    click(&mut harness, "Next step");
    wait_until(&mut harness, "the lesson's sockets", |h| {
        h.state().session().stats().sockets_open > 0
    });
    click(&mut harness, "Close script");
    click(&mut harness, "Close all");
    wait_until(&mut harness, "the first screen again", |h| {
        h.state().session().stats().sockets_open == 0 && shows(h, "Opened lately")
    });
}

#[test]
fn new_session_asks_then_closes_everything_and_brings_the_first_screen_back() {
    let mut harness = new_harness();
    harness.run_ok();
    click(&mut harness, "TCP server and client");
    wait_until(&mut harness, "the quick start's three sockets", |h| {
        h.state().session().stats().sockets_open == 3 && !shows(h, "Quick start")
    });
    let old_sockets: Vec<_> = harness.state().session().sockets().map(|v| v.id).collect();
    click(&mut harness, "New session");
    assert!(shows(&harness, "Start a new session?"), "it asks first");
    click(&mut harness, "Keep working");
    assert!(!shows(&harness, "Start a new session?"));
    assert_eq!(
        harness.state().session().stats().sockets_open,
        3,
        "nothing closed"
    );

    click(&mut harness, "New session");
    click(&mut harness, "Close them and start anew");
    wait_until(&mut harness, "the first screen again", |h| {
        shows(h, "Quick start")
    });
    assert!(harness.state().scenario().is_none(), "the script ended");
    assert_eq!(harness.state().session().sockets().count(), 0);
    assert_eq!(
        harness.state().session().log_len(),
        0,
        "the calls are cleared"
    );
    // The old sockets close in the background; nothing of theirs comes back.
    for _ in 0..20 {
        harness.step();
    }
    assert!(
        old_sockets
            .iter()
            .all(|id| harness.state().session().socket(*id).is_none())
    );
    // A second quick start gets the plain names again (the old ones are not kept).
    click(&mut harness, "TCP server and client");
    wait_until(&mut harness, "the quick start again", |h| {
        sockets(h)
            .iter()
            .any(|(name, state, _)| name == "client" && *state == Lifecycle::Connected)
    });
}
