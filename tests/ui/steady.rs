//! The window holds still: a call blocking and returning, its result arriving and kernel
//! snapshots arriving never move the buttons and fields of the inspectors or the socket list.

use crate::window::*;
use egui::accesskit::Role;
use egui_kittest::kittest::NodeT;
use socket_workbench::engine::Call;
use socket_workbench::ui::Intent;

/// Every button and text field on screen, by text, with where it is (the Cancel button of a
/// pending call comes and goes by design and is left out).
fn widget_places(harness: &App) -> Vec<(String, [i32; 4])> {
    let mut places: Vec<(String, [i32; 4])> = harness
        .root()
        .children_recursive()
        .filter_map(|node| {
            let inner = node.accesskit_node();
            if !matches!(
                inner.role(),
                Role::Button | Role::TextInput | Role::CheckBox
            ) {
                return None;
            }
            let text = inner.label().or_else(|| inner.value()).unwrap_or_default();
            if text == "Cancel" {
                return None;
            }
            let bounds = inner.raw_bounds()?;
            // Whole points: a sub-point shift is no move.
            let at = [bounds.x0, bounds.y0, bounds.x1, bounds.y1].map(|v| v.round() as i32);
            Some((text, at))
        })
        .collect();
    places.sort();
    places
}

#[track_caller]
fn assert_still(before: &[(String, [i32; 4])], after: &[(String, [i32; 4])], when: &str) {
    let moved: Vec<String> = before
        .iter()
        .filter(|place| !after.contains(place))
        .map(|(text, at)| {
            let now = after.iter().find(|(t, _)| t == text).map(|(_, a)| *a);
            format!("{text:?} {at:?} -> {now:?}")
        })
        .collect();
    assert!(
        moved.is_empty(),
        "{when}: {} widgets moved: {moved:?}",
        moved.len()
    );
}

fn settle(harness: &mut App) {
    for _ in 0..3 {
        harness.run_ok();
    }
}

#[test]
fn blocking_returning_and_snapshots_move_nothing() {
    let mut harness = new_harness(1600.0, 1000.0);
    harness.run_ok();
    click(&mut harness, "TCP server and client");
    wait_until(&mut harness, "the pair and its kernel gauges", |h| {
        let session = h.state().session();
        let named = |name: &str| session.sockets().find(|view| view.name == name);
        h.state().scenario().is_some_and(|run| run.finished)
            && ["conn", "client"]
                .iter()
                .all(|name| named(name).is_some_and(|view| view.kernel.is_some()))
    });
    settle(&mut harness);
    let session = harness.state().session();
    let id_of = |name: &str| {
        session
            .sockets()
            .find(|view| view.name == name)
            .map(|view| view.id)
            .expect("socket")
    };
    let (conn, client) = (id_of("conn"), id_of("client"));
    let before = widget_places(&harness);
    assert!(
        before.len() > 20,
        "the inspectors are on screen: {before:?}"
    );

    // conn blocks in recv: its pending lines appear (header, under the button, its card).
    harness.state_mut().apply_intent(Intent::Call {
        socket: conn,
        call: Call::Recv {
            bufsize: 1024,
            flags: Default::default(),
        },
    });
    wait_until(&mut harness, "conn to block in recv", |h| {
        h.state()
            .session()
            .socket(conn)
            .is_some_and(|view| !view.pending.is_empty())
    });
    settle(&mut harness);
    assert_still(&before, &widget_places(&harness), "a recv blocked");

    // The client sends: conn's recv returns, its result arrives, the client's send result too.
    harness.state_mut().apply_intent(Intent::Call {
        socket: client,
        call: Call::Send {
            data: b"hello".to_vec(),
        },
    });
    wait_until(&mut harness, "the recv to return", |h| {
        h.state()
            .session()
            .socket(conn)
            .is_some_and(|view| view.pending.is_empty() && view.counters.bytes_in == 5)
    });
    settle(&mut harness);
    let after_results = widget_places(&harness);
    assert_still(&before, &after_results, "the recv returned");

    // Fresh kernel snapshots (the gauges refresh while shown) move nothing either.
    let taken = harness
        .state()
        .session()
        .socket(conn)
        .and_then(|view| view.kernel.as_deref().map(|(at, _)| *at));
    wait_until(&mut harness, "a newer snapshot of conn", |h| {
        h.state()
            .session()
            .socket(conn)
            .and_then(|view| view.kernel.as_deref().map(|(at, _)| *at))
            > taken
    });
    settle(&mut harness);
    assert_still(
        &after_results,
        &widget_places(&harness),
        "a snapshot arrived",
    );
}
