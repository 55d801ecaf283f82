//! The send composer and the received-data view as widgets, in a small harness over a session
//! built from hand-made events (no sockets): what is shown, what the buttons return, and that
//! huge data does not stall a frame.

use crate::window::at;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use socket_workbench::codec::TextEncoding;
use socket_workbench::engine::{
    AddrArg, Call, CallId, Event, Family, Lifecycle, Mode, Origin, Outcome, RecvFlags, SockType,
    SocketAddress, SocketId, Value, WokenBy,
};
use socket_workbench::engine::{Returned, SocketInfo, Started, StateChange};
use socket_workbench::session::{Limits, Session, SocketView};
use socket_workbench::ui::{Composer, Destinations};
use socket_workbench::ui::{DataIntent, DisplayMode, ReceivedView};
use std::time::Instant;

const SOCKET: SocketId = SocketId(1);

/// A session with one socket, fed by hand.
struct Feed {
    session: Session,
    next_call: u64,
}

impl Feed {
    fn new(sock_type: SockType, state: Lifecycle, peer: Option<&str>) -> Self {
        Feed::with_limits(sock_type, state, peer, Limits::default())
    }

    fn with_limits(
        sock_type: SockType,
        state: Lifecycle,
        peer: Option<&str>,
        limits: Limits,
    ) -> Self {
        let mut session = Session::new(limits);
        session.apply(Event::Opened(SocketInfo {
            socket: SOCKET,
            family: Family::Ipv4,
            sock_type,
            parent: None,
            at_us: 0,
        }));
        session.apply(Event::State(StateChange {
            socket: SOCKET,
            at_us: 1,
            state,
            mode: Mode::Blocking,
            local: Some(at("127.0.0.1:5000")),
            peer: peer.map(at),
        }));
        Feed {
            session,
            next_call: 1,
        }
    }

    fn tcp() -> Self {
        Feed::new(SockType::Stream, Lifecycle::Connected, Some("127.0.0.1:80"))
    }

    fn recv(&mut self, data: &[u8]) {
        let call_id = CallId(self.next_call);
        self.next_call += 1;
        let at_us = self.next_call * 1_000;
        self.session.apply(Event::Started(Started {
            socket: SOCKET,
            call_id,
            at_us,
            call: Call::Recv {
                bufsize: 1 << 20,
                flags: RecvFlags::default(),
            },
            origin: Origin::User,
        }));
        self.session.apply(Event::Returned(Returned {
            socket: SOCKET,
            call_id,
            at_us: at_us + 100,
            duration_us: 100,
            outcome: Outcome::Ok(Value::Bytes(data.len())),
            bytes_moved: data.len(),
            data: Some(data.to_vec()),
            from: None,
            truncated_from: None,
            woken_by: WokenBy::Readable,
            context: None,
        }));
    }

    fn view(&self) -> SocketView {
        self.session.socket(SOCKET).cloned().expect("the socket")
    }
}

// ----- the received-data view -----

struct DataState {
    session: Session,
    view: ReceivedView,
    intent: Option<DataIntent>,
}

fn data_harness(session: Session, view: ReceivedView) -> Harness<'static, DataState> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1100.0, 700.0))
        .build_ui_state(
            |ui, state: &mut DataState| {
                if let Some(intent) = state.view.ui(ui, &state.session, SOCKET) {
                    state.intent = Some(intent);
                }
            },
            DataState {
                session: Session::default(),
                view,
                intent: None,
            },
        );
    // The CJK font is loaded when the next pass begins: let one pass by before data is shown.
    socket_workbench::ui::theme::install_fonts(&harness.ctx);
    harness.step();
    harness.state_mut().session = session;
    harness
}

fn shows(harness: &Harness<'_, impl Sized>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

/// Runs frames until the view has indexed and searched every chunk, then two more so the
/// scroll position settles (bounded).
fn settle(harness: &mut Harness<'_, DataState>) {
    for _ in 0..100_000 {
        harness.step();
        if harness.state().view.caught_up() {
            harness.step();
            harness.step();
            return;
        }
    }
    panic!("the view never caught up");
}

#[test]
fn gbk_bytes_show_as_chinese() {
    let mut feed = Feed::tcp();
    feed.recv(&[0xd6, 0xd0, 0xce, 0xc4, b'\r', b'\n']);
    let mut view = ReceivedView::new();
    view.encoding = TextEncoding::Gbk;
    let mut harness = data_harness(feed.session, view);
    settle(&mut harness);
    assert!(shows(&harness, "中文\\r\\n"));
    // The same bytes read as UTF-8 are invalid: shown escaped, never interpreted.
    harness.state_mut().view.encoding = TextEncoding::Utf8;
    settle(&mut harness);
    assert!(shows(&harness, "\\xd6\\xd0\\xce\\xc4\\r\\n"));
    assert!(!shows(&harness, "中文"));
}

#[test]
fn hex_view_shows_offsets_and_bytes() {
    let mut feed = Feed::tcp();
    feed.recv(b"hello");
    let mut harness = data_harness(feed.session, ReceivedView::new());
    settle(&mut harness);
    harness.get_by_label("as hex").click_accesskit();
    settle(&mut harness);
    assert_eq!(harness.state().view.mode, DisplayMode::Hex);
    assert!(shows(&harness, "00000000  68 65 6c 6c 6f"));
    assert!(shows(&harness, "|hello|"));
    harness.get_by_label("text + hex").click_accesskit();
    settle(&mut harness);
    assert!(shows(&harness, "68 65 6c 6c 6f"));
    assert!(shows(&harness, "hello"));
}

#[test]
fn headers_and_counters_are_shown() {
    let mut feed = Feed::tcp();
    feed.recv(b"one");
    feed.recv(b"");
    let mut harness = data_harness(feed.session, ReceivedView::new());
    settle(&mut harness);
    assert!(
        shows(&harness, "#1 at 0.002 s · 3 bytes"),
        "the session's clock, as on the timeline"
    );
    assert!(shows(&harness, "EOF: recv returned b''"));
    assert!(shows(&harness, "2 chunks, 3 B"));
}

#[test]
fn chunks_dropped_by_the_memory_cap_are_counted() {
    let mut feed = Feed::with_limits(
        SockType::Stream,
        Lifecycle::Connected,
        Some("127.0.0.1:80"),
        Limits {
            max_log_entries: 1_000,
            max_retained_bytes: 10,
            ..Limits::default()
        },
    );
    for data in [&b"aaaa"[..], b"bbbb", b"cccc", b"dddd"] {
        feed.recv(data);
    }
    let mut harness = data_harness(feed.session, ReceivedView::new());
    settle(&mut harness);
    assert!(shows(&harness, "2 chunks (8 B) shown of 4 received (16 B)"));
    assert!(shows(&harness, "2 oldest chunks dropped (memory cap)"));
    // The chunks keep their numbers.
    assert!(shows(&harness, "#3 "));
    assert!(!shows(&harness, "#1 "));
}

#[test]
fn new_data_sticks_to_the_bottom_unless_scrolled_up() {
    let mut feed = Feed::tcp();
    for n in 0..100 {
        feed.recv(format!("first {n}").as_bytes());
    }
    let mut harness = data_harness(feed.session, ReceivedView::new());
    settle(&mut harness);
    assert!(shows(&harness, "first 99"));
    let add = |harness: &mut Harness<'_, DataState>, from: u32| {
        let state = harness.state_mut();
        let mut more = Feed {
            session: std::mem::take(&mut state.session),
            next_call: 1_000 + u64::from(from),
        };
        for n in from..from + 100 {
            more.recv(format!("then {n}").as_bytes());
        }
        state.session = more.session;
        settle(harness);
    };
    add(&mut harness, 0);
    assert!(shows(&harness, "then 99"));
    // Scrolled up, the view stays where the person put it.
    for _ in 0..20 {
        harness.get_by_label("then 99").scroll_up();
        harness.run_ok();
        if !shows(&harness, "then 99") {
            break;
        }
    }
    assert!(!shows(&harness, "then 99"));
    add(&mut harness, 100);
    assert!(!shows(&harness, "then 199"));
}

#[test]
fn search_counts_and_steps_through_matches() {
    let mut feed = Feed::tcp();
    feed.recv(b"ping\r\nping\r\n");
    feed.recv(b"pong ping");
    let mut harness = data_harness(feed.session, ReceivedView::new());
    settle(&mut harness);
    harness
        .get_by_label("Search, copy, save…")
        .click_accesskit();
    settle(&mut harness);
    harness
        .get_by_label("Search")
        .set_text_value_accesskit("ping");
    settle(&mut harness);
    assert!(shows(&harness, "match 1 of 3"));
    harness.get_by_label("next").click_accesskit();
    settle(&mut harness);
    assert!(shows(&harness, "match 2 of 3"));
    // Hex search for the same bytes.
    harness.get_by_label("hex").click_accesskit();
    harness
        .get_by_label("Search")
        .set_text_value_accesskit("0d 0a");
    settle(&mut harness);
    assert!(shows(&harness, "match 1 of 2"));
    harness
        .get_by_label("Search")
        .set_text_value_accesskit("0d 0");
    settle(&mut harness);
    assert!(shows(&harness, "Search: at character 4"));
}

#[test]
fn clear_asks_the_window_and_save_writes_the_raw_bytes() {
    let mut feed = Feed::tcp();
    feed.recv(b"abc\x00");
    feed.recv(b"\xffdef");
    let mut harness = data_harness(feed.session, ReceivedView::new());
    settle(&mut harness);

    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("received.bin");
    harness
        .get_by_label("Search, copy, save…")
        .click_accesskit();
    harness.run_ok();
    harness
        .get_by_label("Save to")
        .set_text_value_accesskit(&path.to_string_lossy());
    harness.run_ok();
    harness.get_by_label("Save").click_accesskit();
    harness.run_ok();
    assert_eq!(std::fs::read(&path).expect("saved"), b"abc\x00\xffdef");
    assert!(shows(&harness, "Saved 8 bytes (2 chunks)"));

    harness.get_by_label("Clear").click_accesskit();
    harness.run_ok();
    assert_eq!(harness.state().intent, Some(DataIntent::Clear(SOCKET)));
    harness.state_mut().session.clear_chunks(SOCKET);
    settle(&mut harness);
    assert!(shows(&harness, "Nothing received yet."));
    assert!(shows(&harness, "0 chunks (0 B) shown of 2 received (8 B)"));
    assert!(shows(&harness, "2 cleared"));
}

#[test]
fn a_one_megabyte_line_renders_without_stalling() {
    let mut feed = Feed::tcp();
    let mut data = b"start:".to_vec();
    data.resize(1 << 20, b'a');
    data.extend_from_slice(b":end");
    feed.recv(&data);
    let mut harness = data_harness(feed.session, ReceivedView::new());
    settle(&mut harness);
    // One header and about 11,000 rows of 96 characters; the bottom one is on screen.
    assert!(harness.state().view.row_count() > 10_000);
    assert!(shows(&harness, ":end"));
    harness.state_mut().view.mode = DisplayMode::Hex;
    settle(&mut harness);
    assert_eq!(
        harness.state().view.row_count(),
        1 + (data.len() as u64).div_ceil(16)
    );
    harness.run_steps(3);
}

#[test]
fn two_hundred_thousand_chunks_render_and_stick_to_the_bottom() {
    let mut feed = Feed::tcp();
    for n in 0..200_000u32 {
        feed.recv(format!("msg {n}").as_bytes());
    }
    let mut harness = data_harness(feed.session, ReceivedView::new());
    settle(&mut harness);
    assert_eq!(harness.state().view.row_count(), 400_000);
    assert!(shows(&harness, "msg 199999"));
    assert!(shows(&harness, "#200000"));
    assert!(!shows(&harness, "msg 0"));
}

// ----- the send composer -----

struct ComposerState {
    composer: Composer,
    view: SocketView,
    /// What the window would suggest as sendto's destination.
    suggested: Option<SocketAddress>,
    now: Instant,
    calls: Vec<Call>,
}

fn composer_harness(view: SocketView) -> Harness<'static, ComposerState> {
    let composer = Composer::new(view.family, view.sock_type);
    let harness = Harness::builder()
        .with_size(egui::vec2(900.0, 600.0))
        .build_ui_state(
            |ui, state: &mut ComposerState| {
                // As the window does: one `now` per frame.
                state.now = Instant::now();
                let destinations = Destinations {
                    suggested: state.suggested.clone(),
                    targets: Vec::new(),
                };
                let calls = state.composer.ui(ui, &state.view, &destinations, state.now);
                state.calls.extend(calls);
            },
            ComposerState {
                composer,
                view,
                suggested: None,
                now: Instant::now(),
                calls: Vec::new(),
            },
        );
    socket_workbench::ui::theme::install_fonts(&harness.ctx);
    harness
}

fn is_disabled(harness: &Harness<'_, ComposerState>, label: &str) -> bool {
    harness.get_by_label(label).accesskit_node().is_disabled()
}

#[test]
fn send_buttons_make_the_calls_with_a_preview() {
    let mut harness = composer_harness(Feed::tcp().view());
    harness.run_ok();
    harness
        .get_by_label("send text")
        .set_text_value_accesskit("hello\\r\\n");
    harness.run_ok();
    assert!(shows(&harness, "7 bytes: b'hello\\r\\n'"));
    harness.get_by_label("send()").click_accesskit();
    harness.run_ok();
    harness.get_by_label("sendall()").click_accesskit();
    harness.run_ok();
    assert_eq!(
        harness.state().calls,
        vec![
            Call::Send {
                data: b"hello\r\n".to_vec()
            },
            Call::SendAll {
                data: b"hello\r\n".to_vec()
            },
        ]
    );
    // A stream socket has no sendto button.
    assert!(harness.query_by_label("sendto()").is_none());
    // An empty send is allowed.
    harness
        .get_by_label("send text")
        .set_text_value_accesskit("");
    harness.run_ok();
    assert!(shows(&harness, "0 bytes: b''"));
    harness.get_by_label("send()").click_accesskit();
    harness.run_ok();
    assert_eq!(
        harness.state().calls.last(),
        Some(&Call::Send { data: Vec::new() })
    );
    assert!(shows(&harness, "History (3)"));
}

#[test]
fn gbk_text_is_encoded_before_sending() {
    let mut harness = composer_harness(Feed::tcp().view());
    harness.state_mut().composer.encoding = TextEncoding::Gbk;
    harness.run_ok();
    harness
        .get_by_label("send text")
        .set_text_value_accesskit("中文");
    harness.run_ok();
    assert!(shows(&harness, "4 bytes: b'\\xd6\\xd0\\xce\\xc4'"));
}

#[test]
fn bad_hex_is_refused_with_its_position() {
    let mut harness = composer_harness(Feed::tcp().view());
    harness.run_ok();
    harness.get_by_label("Hex").click_accesskit();
    harness.run_ok();
    harness
        .get_by_label("send hex")
        .set_text_value_accesskit("48 6");
    harness.run_ok();
    assert!(shows(
        &harness,
        "Cannot send: at character 4: odd number of hex digits"
    ));
    assert!(is_disabled(&harness, "send()"));
    assert!(is_disabled(&harness, "sendall()"));
    harness.get_by_label("send()").click_accesskit();
    harness.run_ok();
    assert!(harness.state().calls.is_empty());
    // Fixed, it sends.
    harness
        .get_by_label("send hex")
        .set_text_value_accesskit("48 65 6c 6c 6f");
    harness.run_ok();
    assert!(!is_disabled(&harness, "send()"));
    harness.get_by_label("send()").click_accesskit();
    harness.run_ok();
    assert_eq!(
        harness.state().calls,
        vec![Call::Send {
            data: b"Hello".to_vec()
        }]
    );
}

#[test]
fn sendto_goes_to_the_destination() {
    let udp = Feed::new(SockType::Datagram, Lifecycle::Bound, None).view();
    let mut harness = composer_harness(udp);
    harness.run_ok();
    harness
        .get_by_label("send text")
        .set_text_value_accesskit("ping");
    harness
        .get_by_label("destination")
        .set_text_value_accesskit("('127.0.0.1', 9999)");
    harness.run_ok();
    // Not connected: send() has no peer, sendto() does.
    assert!(is_disabled(&harness, "send()"));
    harness.get_by_label("sendto()").click_accesskit();
    harness.run_ok();
    assert_eq!(
        harness.state().calls,
        vec![Call::SendTo {
            data: b"ping".to_vec(),
            addr: AddrArg::inet("127.0.0.1", 9999),
        }]
    );
    harness
        .get_by_label("destination")
        .set_text_value_accesskit("127.0.0.1:70000");
    harness.run_ok();
    assert!(is_disabled(&harness, "sendto()"));
    assert!(shows(&harness, "out of range"));
}

#[test]
fn sendto_starts_from_the_suggested_socket_until_a_destination_is_typed() {
    let udp = Feed::new(SockType::Datagram, Lifecycle::Bound, None).view();
    let mut harness = composer_harness(udp);
    harness.run_ok();
    // No other socket yet: no destination, and sendto() says why it cannot go.
    assert!(is_disabled(&harness, "sendto()"));
    assert!(shows(&harness, "no destination yet"));
    harness.state_mut().suggested = Some(at("127.0.0.1:40001"));
    harness
        .get_by_label("send text")
        .set_text_value_accesskit("hi");
    harness.run_ok();
    harness.get_by_label("sendto()").click_accesskit();
    harness.run_ok();
    assert_eq!(
        harness.state().calls,
        vec![Call::SendTo {
            data: b"hi".to_vec(),
            addr: AddrArg::inet("127.0.0.1", 40001),
        }]
    );
    // Typed by a person: it stays, whatever the window suggests next.
    harness
        .get_by_label("destination")
        .set_text_value_accesskit("127.0.0.1:40002");
    harness.run_ok();
    harness.state_mut().suggested = Some(at("127.0.0.1:40003"));
    harness.run_ok();
    assert_eq!(harness.state().composer.destination, "127.0.0.1:40002");
}

#[test]
fn ctrl_enter_in_the_text_sends_it() {
    let mut harness = composer_harness(Feed::tcp().view());
    harness.run_ok();
    let field = harness.get_by_label("send text");
    field.click();
    harness.run_ok();
    harness.get_by_label("send text").type_text("hello");
    harness.run_ok();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
    harness.run_ok();
    assert_eq!(
        harness.state().calls,
        vec![Call::Send {
            data: b"hello".to_vec()
        }]
    );
    assert_eq!(
        harness.state().composer.text,
        "hello",
        "no new line was typed"
    );
}

#[test]
fn a_repeat_interval_that_is_not_a_number_is_said_beside_it() {
    let mut harness = composer_harness(Feed::tcp().view());
    harness.run_ok();
    harness
        .get_by_label("every ms")
        .set_text_value_accesskit("1s");
    harness.run_ok();
    assert!(shows(&harness, "'1s' is not a valid interval in ms"));
    assert!(is_disabled(&harness, "Start"));
}

#[test]
fn repeat_three_times_makes_three_calls_over_frames() {
    let mut harness = composer_harness(Feed::tcp().view());
    harness.run_ok();
    harness
        .get_by_label("send text")
        .set_text_value_accesskit("tick");
    harness.get_by_label("times").set_text_value_accesskit("3");
    harness
        .get_by_label("every ms")
        .set_text_value_accesskit("0");
    harness.run_ok();
    harness.get_by_label("Start").click_accesskit();
    harness.step();
    assert_eq!(harness.state().calls.len(), 1);
    harness.step();
    assert!(shows(&harness, "repeat 2/3"));
    assert!(harness.query_by_label("Stop").is_some());
    for _ in 0..5 {
        harness.step();
    }
    assert_eq!(
        harness.state().calls,
        vec![
            Call::Send {
                data: b"tick".to_vec()
            };
            3
        ]
    );
    assert!(shows(&harness, "repeat done: 3 send() calls"));
    assert!(harness.state().composer.next_due(Instant::now()).is_none());
}
