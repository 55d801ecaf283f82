//! The first hour of a newcomer, at 1280x720: the TCP quick start, a line sent from the client,
//! received on the server and answered; then the UDP pair, a datagram sent with the fields as
//! they come and received on the other socket. Every widget used is on screen without
//! scrolling when it is needed.

use crate::window::{App, click, click_in, new_harness, set_text_in, wait_until};
use egui_kittest::kittest::{NodeT, Queryable};
use socket_workbench::engine::{Call, Lifecycle, SocketId};
use socket_workbench::session::Session;

/// How many widgets with this label are wholly on screen: inside the window and not cut by
/// the scroll area they are in (a person sees and clicks them without scrolling).
fn wholly_visible(harness: &App, label: &str) -> usize {
    let ids: Vec<u64> = harness
        .query_all_by_label(label)
        .map(|node| (u128::from(node.accesskit_node().id()) >> 64) as u64)
        .collect();
    let screen = harness.ctx.content_rect();
    harness.ctx.viewport(|viewport| {
        viewport
            .this_pass
            .widgets
            .layers()
            .flat_map(|(_, rects)| rects.iter())
            .filter(|widget| widget.visible && ids.contains(&widget.id.value()))
            .filter(|widget| {
                let shown = widget.interact_rect.intersect(screen);
                screen.contains_rect(widget.rect) && shown.area() >= widget.rect.area() * 0.95
            })
            .count()
    })
}

#[track_caller]
fn assert_reachable(harness: &App, label: &str, count: usize) {
    let seen = wholly_visible(harness, label);
    assert!(
        seen >= count,
        "'{label}': {seen} of {count} on screen without scrolling"
    );
}

fn socket_named(session: &Session, name: &str) -> SocketId {
    session
        .sockets()
        .find(|view| view.name == name)
        .map(|view| view.id)
        .unwrap_or_else(|| panic!("no socket {name}"))
}

/// The data the socket's latest recv-kind call returned, if any.
fn last_received(session: &Session, socket: SocketId) -> Option<Vec<u8>> {
    let view = session.socket(socket)?;
    view.chunks.back().map(|chunk| chunk.data.clone())
}

#[test]
fn a_newcomers_first_hour_needs_no_scrolling_and_has_no_traps() {
    let mut harness = new_harness(1280.0, 720.0);
    harness.run_ok();

    // TCP quick start: the server's connection (left) and the client (right).
    click(&mut harness, "TCP server and client");
    wait_until(&mut harness, "the quick start", |h| {
        h.state().session().stats().sockets_open == 3
            && h.state().scenario().is_some_and(|run| run.finished)
    });
    for _ in 0..3 {
        harness.run_ok();
    }
    let (conn, client) = {
        let session = harness.state().session();
        (
            socket_named(session, "conn"),
            socket_named(session, "client"),
        )
    };
    assert_eq!(harness.state().shown_sockets(), vec![conn, client]);
    for (label, count) in [("send text", 2), ("send()", 2), ("recv()", 2)] {
        assert_reachable(&harness, label, count);
    }
    // The header says which side is which.
    assert!(
        harness
            .query_all_by_label("accepted connection")
            .next()
            .is_some()
    );

    // The client sends hello\n; the server's connection receives it.
    set_text_in(&mut harness, "send text", 1, "hello\\n");
    click_in(&mut harness, "send()", 1);
    click_in(&mut harness, "recv()", 0);
    wait_until(&mut harness, "conn to receive hello", |h| {
        last_received(h.state().session(), conn).as_deref() == Some(b"hello\n")
    });
    assert!(
        harness
            .query_all_by_label_contains("b'hello\\n'")
            .next()
            .is_some(),
        "the received line is shown"
    );
    // The server replies; the client receives the reply.
    set_text_in(&mut harness, "send text", 0, "hi there\\n");
    assert_reachable(&harness, "send()", 2);
    click_in(&mut harness, "send()", 0);
    click_in(&mut harness, "recv()", 1);
    wait_until(&mut harness, "the client to receive the reply", |h| {
        last_received(h.state().session(), client).as_deref() == Some(b"hi there\n")
    });

    // A new session, then the UDP pair: sendto with the fields as they come.
    click(&mut harness, "New session");
    click(&mut harness, "Close them and start anew");
    wait_until(&mut harness, "the first screen", |h| {
        h.query_all_by_label("UDP pair").next().is_some()
    });
    click(&mut harness, "UDP pair");
    wait_until(&mut harness, "the UDP pair", |h| {
        h.state().session().stats().sockets_open == 2
            && h.state().scenario().is_some_and(|run| run.finished)
            && h.state().shown_sockets().len() == 2
    });
    for _ in 0..3 {
        harness.run_ok();
    }
    let (a, b) = {
        let session = harness.state().session();
        (socket_named(session, "a"), socket_named(session, "b"))
    };
    assert_eq!(harness.state().shown_sockets(), vec![a, b]);
    for (label, count) in [("send text", 2), ("sendto()", 2), ("recvfrom()", 2)] {
        assert_reachable(&harness, label, count);
    }
    set_text_in(&mut harness, "send text", 0, "hi");
    click_in(&mut harness, "sendto()", 0);
    wait_until(&mut harness, "a's sendto to return", |h| {
        h.state()
            .session()
            .socket(a)
            .and_then(|view| view.last_result(socket_workbench::engine::CallKind::SendTo))
            .is_some()
    });
    // It went to b, the other socket (not to a port nothing listens on).
    let sent_to = harness
        .state()
        .session()
        .socket(a)
        .and_then(|view| view.last_result(socket_workbench::engine::CallKind::SendTo))
        .map(|last| last.call.clone());
    let b_local = harness
        .state()
        .session()
        .socket(b)
        .and_then(|view| view.local.clone())
        .expect("b is bound");
    match sent_to {
        Some(Call::SendTo { addr, .. }) => assert_eq!(
            Some(addr.to_string()),
            b_local.connect_address().to_string().into()
        ),
        other => panic!("a's sendto: {other:?}"),
    }
    click_in(&mut harness, "recvfrom()", 1);
    wait_until(&mut harness, "b to receive the datagram", |h| {
        last_received(h.state().session(), b).as_deref() == Some(b"hi")
    });
    assert_eq!(
        harness.state().session().socket(a).map(|view| view.state),
        Some(Lifecycle::Bound)
    );
}

/// On a projector (1920x1080 at 175 %) the composer and the latest result are on screen
/// without scrolling, in both inspectors of the TCP quick start.
#[test]
fn on_a_projector_the_composer_and_the_latest_result_need_no_scrolling() {
    let mut harness = new_harness(1920.0, 1080.0);
    harness.state_mut().set_projector(true);
    harness.state_mut().set_zoom_percent(175);
    harness.run_ok();
    harness.run_ok();
    harness.set_size(egui::vec2(1920.0 / 1.75, 1080.0 / 1.75));
    harness.run_ok();
    click(&mut harness, "TCP server and client");
    wait_until(&mut harness, "the quick start", |h| {
        h.state().session().stats().sockets_open == 3
            && h.state().scenario().is_some_and(|run| run.finished)
    });
    for _ in 0..4 {
        harness.run_ok();
    }
    for (label, count) in [("send text", 2), ("send()", 2)] {
        assert_reachable(&harness, label, count);
    }
    let latest = harness
        .query_all_by_label_contains("latest: ")
        .filter(|node| harness.ctx.content_rect().contains_rect(node.rect()))
        .count();
    assert_eq!(latest, 2, "both inspectors' latest result lines on screen");

    // Scrolled down to the calls and options, each inspector still says whose it is.
    let send_button = harness
        .query_all_by_label("send()")
        .next()
        .map(|node| node.rect())
        .expect("a send() button");
    let send_before = send_button.center().y;
    let over_inspector = egui::pos2(send_button.center().x as f32, send_button.center().y as f32);
    harness.event(egui::Event::PointerMoved(over_inspector));
    harness.run_ok();
    for _ in 0..3 {
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -200.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        });
        harness.run_ok();
    }
    for _ in 0..10 {
        harness.run_ok();
    }
    let send_after = harness
        .query_all_by_label("send()")
        .next()
        .map(|node| node.rect().center().y)
        .expect("a send() button");
    assert!(
        send_after < send_before - 100.0,
        "the inspector scrolled (send() at {send_before}, then {send_after})"
    );
    let header_lines = harness
        .query_all_by_label_contains("latest: ")
        .filter(|node| harness.ctx.content_rect().contains_rect(node.rect()))
        .count();
    assert_eq!(header_lines, 2, "the headers stay on screen while scrolled");
    assert_reachable(&harness, "accepted connection", 1);
}
