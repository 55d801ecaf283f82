//! Messages in the window over real TCP: the received view splits a stream by a framing rule
//! and shows the messages beside the recv chunks (three sends in one recv are three messages,
//! one message over two recvs is one); a stream that breaks the rule is shown as such and the
//! window goes on; the composer puts a length prefix before its payload; a repeat sends a
//! saved message, its counter advancing.

use socket_workbench::engine::{Automation, Call, RecvFlags, SocketId};
use socket_workbench::i18n::Lang;
use socket_workbench::messages::SavedMessage;
use socket_workbench::session::Session;
use socket_workbench::t;
use socket_workbench::ui::{Intent, WorkbenchApp};
use std::time::{Duration, Instant};

use crate::window::{
    App, click, click_in, open_socket_named, received_bytes, set_text_in, shows, shows_containing,
    wait_until,
};

fn harness() -> App {
    egui_kittest::Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(|cc| WorkbenchApp::new(&cc.egui_ctx).with_language(Lang::En))
}

fn chunks(session: &Session, socket: SocketId) -> usize {
    session.socket(socket).map_or(0, |view| view.chunks.len())
}

fn bytes_out(session: &Session, socket: SocketId) -> u64 {
    session
        .socket(socket)
        .map_or(0, |view| view.counters.bytes_out)
}

/// The quick start's TCP pair: conn (the accepted connection, left) and client (right).
fn pair() -> (App, SocketId, SocketId) {
    let mut harness = harness();
    harness.run_ok();
    click(&mut harness, &t!(Lang::En, "quick-tcp-pair"));
    wait_until(&mut harness, "the quick start", |h| {
        h.state().scenario().is_some_and(|run| run.finished)
    });
    let conn = open_socket_named(harness.state().session(), "conn");
    let client = open_socket_named(harness.state().session(), "client");
    (harness, conn, client)
}

fn receive_by_itself(harness: &mut App, socket: SocketId) {
    harness.state_mut().apply_intent(Intent::Automate {
        socket,
        automation: Automation {
            auto_receive: true,
            ..Automation::default()
        },
    });
    harness.run_ok();
}

/// The client sends `data` with sendall; waits until it returned.
fn send(harness: &mut App, client: SocketId, data: &[u8]) {
    let before = bytes_out(harness.state().session(), client);
    harness.state_mut().apply_intent(Intent::Call {
        socket: client,
        call: Call::SendAll {
            data: data.to_vec(),
        },
    });
    let wanted = before + data.len() as u64;
    wait_until(harness, "the send to return", |h| {
        bytes_out(h.state().session(), client) >= wanted
    });
}

/// conn makes one recv of exactly `size` bytes (MSG_WAITALL: all of them in one chunk).
fn recv_all(harness: &mut App, conn: SocketId, size: usize) {
    let before = chunks(harness.state().session(), conn);
    harness.state_mut().apply_intent(Intent::Call {
        socket: conn,
        call: Call::Recv {
            bufsize: size,
            flags: RecvFlags {
                waitall: true,
                ..RecvFlags::default()
            },
        },
    });
    wait_until(harness, "the recv to return", |h| {
        chunks(h.state().session(), conn) > before
    });
    harness.run_ok();
}

/// Opens the combo box labelled `combo` in the inspector at `column`, picks `option`, and
/// closes the list again (a click made through AccessKit does not close it by itself).
fn pick(harness: &mut App, combo: &str, column: usize, option: &str) {
    click_in(harness, combo, column);
    click(harness, option);
    if shows(harness, option) {
        click_in(harness, combo, column);
    }
    harness.run_ok();
}

/// Chooses a framing kind (by its words) in conn's received view (the left inspector).
fn choose_framing(harness: &mut App, kind: &str) {
    pick(harness, &t!(Lang::En, "received-framing"), 0, kind);
}

fn prefixed(payload: &[u8]) -> Vec<u8> {
    let mut framed = (payload.len() as u32).to_be_bytes().to_vec();
    framed.extend_from_slice(payload);
    framed
}

fn count_heading(count: u64, rule: &str) -> String {
    t!(
        Lang::En,
        "received-framing-count",
        count = count,
        rule = rule
    )
}

const PREFIX_4_BIG: &str = "length prefix, 4 bytes, big-endian";

/// Three length-prefixed sends taken by one recv are three messages; one message taken by two
/// recvs is one message that "arrived in 2 recv chunks".
#[test]
fn three_sends_in_one_recv_and_one_message_in_two_recvs() {
    let (mut harness, conn, client) = pair();
    let mut three = Vec::new();
    for word in ["one", "two", "three"] {
        let message = prefixed(word.as_bytes());
        send(&mut harness, client, &message);
        three.extend(message);
    }
    recv_all(&mut harness, conn, three.len());
    assert_eq!(received_bytes(harness.state().session(), conn), three);
    choose_framing(&mut harness, &t!(Lang::En, "received-framing-prefix"));
    wait_until(&mut harness, "three messages from one recv", |h| {
        shows(h, &count_heading(3, PREFIX_4_BIG))
    });
    // The newest rows are in view (the list sticks to the bottom).
    assert!(shows_containing(
        &harness,
        "3 · at #1 + 14 · message, 5 bytes"
    ));
    assert!(shows(&harness, &t!(Lang::En, "received-framing-chunks")));

    // One message, two recvs: the prefix and half of it, then the rest.
    let split = prefixed(b"hello world");
    send(&mut harness, client, &split[..9]);
    recv_all(&mut harness, conn, 9);
    assert!(shows(&harness, &count_heading(3, PREFIX_4_BIG)));
    send(&mut harness, client, &split[9..]);
    recv_all(&mut harness, conn, split.len() - 9);
    wait_until(&mut harness, "the fourth message", |h| {
        shows(h, &count_heading(4, PREFIX_4_BIG))
    });
    assert!(shows_containing(
        &harness,
        "4 · at #2 · message, 11 bytes, arrived in 2 recv chunks"
    ));
    // Its bytes, shown as the view shows data.
    assert!(shows(&harness, "hello world"));
}

/// Lines: two in one recv, one over two recvs; and a delimiter typed with escapes.
#[test]
fn lines_and_a_typed_delimiter() {
    let (mut harness, conn, client) = pair();
    send(&mut harness, client, b"alpha\r\nbeta\ngam");
    recv_all(&mut harness, conn, 15);
    choose_framing(&mut harness, &t!(Lang::En, "received-framing-line"));
    let lines = "lines (each ends at \\n or \\r\\n)";
    wait_until(&mut harness, "two lines", |h| {
        shows(h, &count_heading(2, lines))
    });
    send(&mut harness, client, b"ma\n");
    recv_all(&mut harness, conn, 3);
    wait_until(&mut harness, "the third line", |h| {
        shows(h, &count_heading(3, lines))
    });
    assert!(shows_containing(
        &harness,
        "3 · at #1 + 12 · message, 5 bytes, arrived in 2 recv chunks"
    ));

    choose_framing(&mut harness, &t!(Lang::En, "received-framing-delimiter"));
    set_text_in(
        &mut harness,
        &t!(Lang::En, "received-framing-delimiter-field"),
        0,
        "a",
    );
    harness.run_ok();
    // "alpha\r\nbeta\ngamma\n" split at each "a": "", "lph", "\r\nbet", "\ng", "mm".
    wait_until(&mut harness, "split again by the delimiter", |h| {
        shows(h, &count_heading(5, "delimiter a"))
    });
    // A delimiter that is not valid escaped text is said, and nothing is split.
    set_text_in(
        &mut harness,
        &t!(Lang::En, "received-framing-delimiter-field"),
        0,
        "\\q",
    );
    harness.run_ok();
    assert!(shows_containing(
        &harness,
        &t!(Lang::En, "received-framing-unusable", error = "")
    ));
    assert!(!shows_containing(&harness, "delimiter a"));
}

/// A length prefix over the cap is shown as broken, the window goes on with a flood behind it,
/// and splitting starts again from the next chunk when asked.
#[test]
fn a_length_over_the_cap_is_shown_and_the_view_goes_on() {
    let (mut harness, conn, client) = pair();
    send(&mut harness, client, &prefixed(b"ok"));
    recv_all(&mut harness, conn, 6);
    choose_framing(&mut harness, &t!(Lang::En, "received-framing-prefix"));
    wait_until(&mut harness, "the first message", |h| {
        shows(h, &count_heading(1, PREFIX_4_BIG))
    });
    send(&mut harness, client, &[0x7f, 0xff, 0xff, 0xff, 1, 2, 3]);
    recv_all(&mut harness, conn, 7);
    wait_until(&mut harness, "the broken length", |h| {
        shows_containing(
            h,
            "the length prefix says 2147483647 bytes, over the limit of 1048576: framing stopped",
        )
    });
    // Garbage keeps coming: the window keeps drawing frames.
    let garbage = vec![0xffu8; 256 * 1024];
    let started = Instant::now();
    for _ in 0..8 {
        send(&mut harness, client, &garbage);
        recv_all(&mut harness, conn, garbage.len());
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "2 MiB after a broken length took {:?}",
        started.elapsed()
    );
    assert!(shows(&harness, &count_heading(1, PREFIX_4_BIG)));
    click_in(&mut harness, &t!(Lang::En, "received-framing-restart"), 0);
    send(&mut harness, client, &prefixed(b"again"));
    recv_all(&mut harness, conn, 9);
    wait_until(&mut harness, "a message after splitting again", |h| {
        shows(h, &count_heading(2, PREFIX_4_BIG))
    });
    assert!(shows_containing(&harness, "splitting starts again at #"));
}

/// The composer's "add a length prefix" puts 00 00 00 05 before "hello": what the peer got.
#[test]
fn the_composer_puts_the_length_prefix_before_the_payload() {
    let (mut harness, conn, _client) = pair();
    receive_by_itself(&mut harness, conn);
    set_text_in(
        &mut harness,
        &t!(Lang::En, "composer-send-text"),
        1,
        "hello",
    );
    click_in(&mut harness, &t!(Lang::En, "composer-prefix"), 1);
    assert!(shows_containing(&harness, "b'\\x00\\x00\\x00\\x05hello'"));
    click_in(&mut harness, "send()", 1);
    wait_until(&mut harness, "conn receives the prefixed payload", |h| {
        received_bytes(h.state().session(), conn) == b"\x00\x00\x00\x05hello"
    });
    // Split by the same rule on the receiving side, it is one message.
    choose_framing(&mut harness, &t!(Lang::En, "received-framing-prefix"));
    wait_until(&mut harness, "one message", |h| {
        shows(h, &count_heading(1, PREFIX_4_BIG))
    });
    // Too long for a one-byte prefix: refused where the composer says why.
    let one_byte = t!(Lang::En, "received-framing-prefix-bytes", count = 1);
    let width = t!(Lang::En, "received-framing-prefix-width");
    pick(&mut harness, &width, 1, &one_byte);
    set_text_in(
        &mut harness,
        &t!(Lang::En, "composer-send-text"),
        1,
        &"x".repeat(300),
    );
    assert!(shows_containing(
        &harness,
        "a 1-byte length prefix fits at most 255 bytes here; this message is 300 bytes"
    ));
}

/// A repeat of a saved message: three sends, the counter advancing at each.
#[test]
fn a_repeat_sends_a_saved_message_with_its_counter_advancing() {
    let (mut harness, conn, client) = pair();
    receive_by_itself(&mut harness, conn);
    harness.state_mut().add_saved_message(SavedMessage {
        name: "tick".into(),
        body: "n=${counter}\\n".into(),
        ..SavedMessage::default()
    });
    harness.state_mut().apply_intent(Intent::Select(client));
    harness.run_ok();
    click_in(&mut harness, &t!(Lang::En, "inspector-repeat-history"), 1);
    // Only the client's "Repeat and history" is open.
    pick(
        &mut harness,
        &t!(Lang::En, "composer-repeat-saved-source"),
        0,
        &t!(Lang::En, "composer-repeat-saved-message", name = "tick"),
    );
    set_text_in(&mut harness, &t!(Lang::En, "composer-repeat-times"), 0, "3");
    set_text_in(
        &mut harness,
        &t!(Lang::En, "composer-repeat-every"),
        0,
        "20",
    );
    click_in(&mut harness, &t!(Lang::En, "composer-repeat-start"), 1);
    wait_until(&mut harness, "three sends of the saved message", |h| {
        received_bytes(h.state().session(), conn) == b"n=0\nn=1\nn=2\n"
    });
    // Split by lines on the receiving side: three messages.
    choose_framing(&mut harness, &t!(Lang::En, "received-framing-line"));
    wait_until(&mut harness, "three lines", |h| {
        shows(h, &count_heading(3, "lines (each ends at \\n or \\r\\n)"))
    });
}
