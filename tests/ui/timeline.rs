//! The timeline (ladder diagram) in a small harness over sessions built from hand-made events,
//! and once over events from the real engine on loopback: live growing bars, arrows from a
//! send to its recv, details of a clicked bar, zoom / fit / pause, and a huge log.

use crate::window::at as addr;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use socket_workbench::engine::{
    AddrArg, Call, CallId, Engine, Event, Family, Lifecycle, Mode, Origin, Outcome, RecvFlags,
    SockType, SocketId, Value, WokenBy, errno,
};
use socket_workbench::engine::{Returned, SocketInfo, Started, StateChange};
use socket_workbench::session::Session;
use socket_workbench::ui::{MAX_DETAILED_CALLS, TimelineView};
use std::time::{Duration, Instant};

const SECOND: u64 = 1_000_000;
const LISTENER: SocketId = SocketId(1);
const CLIENT: SocketId = SocketId(2);
const CHILD: SocketId = SocketId(3);
const SERVER_ADDR: &str = "127.0.0.1:5000";
const CLIENT_ADDR: &str = "127.0.0.1:40000";

struct State {
    session: Session,
    view: TimelineView,
    now_us: u64,
}

fn harness(session: Session, now_us: u64) -> Harness<'static, State> {
    Harness::builder()
        .with_size(egui::vec2(1400.0, 800.0))
        .build_ui_state(
            |ui, state: &mut State| {
                // As the core does after each batch of events.
                state.session.update_indexes();
                state.view.ui(ui, &state.session, state.now_us);
            },
            State {
                session,
                view: TimelineView::new(),
                now_us,
            },
        )
}

fn shows(harness: &Harness<'_, State>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

fn at(harness: &mut Harness<'_, State>, now_us: u64) {
    harness.state_mut().now_us = now_us;
    harness.run_ok();
}

// ----- hand-made events -----

fn opened(socket: SocketId, sock_type: SockType, parent: Option<SocketId>, at_us: u64) -> Event {
    Event::Opened(SocketInfo {
        socket,
        family: Family::Ipv4,
        sock_type,
        parent,
        at_us,
    })
}

fn state(
    socket: SocketId,
    at_us: u64,
    lifecycle: Lifecycle,
    local: &str,
    peer: Option<&str>,
) -> Event {
    Event::State(StateChange {
        socket,
        at_us,
        state: lifecycle,
        mode: Mode::Blocking,
        local: Some(addr(local)),
        peer: peer.map(addr),
    })
}

fn started(socket: SocketId, call_id: u64, call: Call, at_us: u64) -> Event {
    Event::Started(Started {
        socket,
        call_id: CallId(call_id),
        at_us,
        call,
        origin: Origin::User,
    })
}

fn returned(
    socket: SocketId,
    call_id: u64,
    started_us: u64,
    at_us: u64,
    outcome: Outcome,
    data: Option<&[u8]>,
    moved: usize,
) -> Event {
    Event::Returned(Returned {
        socket,
        call_id: CallId(call_id),
        at_us,
        duration_us: at_us - started_us,
        outcome,
        bytes_moved: moved,
        data: data.map(<[u8]>::to_vec),
        from: None,
        truncated_from: None,
        woken_by: WokenBy::Readable,
        context: None,
    })
}

fn recv_call() -> Call {
    Call::Recv {
        bufsize: 1024,
        flags: RecvFlags::default(),
    }
}

/// A listener blocked in accept() since 0.1 s.
fn blocked_accept() -> Session {
    let mut session = Session::default();
    session.apply(opened(LISTENER, SockType::Stream, None, 10));
    session.apply(state(LISTENER, 50, Lifecycle::Listening, SERVER_ADDR, None));
    session.apply(started(LISTENER, 1, Call::Accept, SECOND / 10));
    session
}

/// Then a client connects at 2.5 s; the accepted socket is #3.
fn connected(session: &mut Session) {
    let t = 2 * SECOND + SECOND / 2;
    session.apply(opened(CLIENT, SockType::Stream, None, t - 1_000));
    session.apply(started(
        CLIENT,
        2,
        Call::Connect(AddrArg::inet("127.0.0.1", 5000)),
        t,
    ));
    session.apply(state(
        CLIENT,
        t + 50,
        Lifecycle::Connected,
        CLIENT_ADDR,
        Some(SERVER_ADDR),
    ));
    session.apply(returned(
        CLIENT,
        2,
        t,
        t + 60,
        Outcome::Ok(Value::None),
        None,
        0,
    ));
    session.apply(opened(CHILD, SockType::Stream, Some(LISTENER), t + 70));
    session.apply(state(
        CHILD,
        t + 70,
        Lifecycle::Connected,
        SERVER_ADDR,
        Some(CLIENT_ADDR),
    ));
    session.apply(returned(
        LISTENER,
        1,
        SECOND / 10,
        t + 80,
        Outcome::Ok(Value::Accepted {
            child: CHILD,
            peer: addr(CLIENT_ADDR),
        }),
        None,
        0,
    ));
}

/// Then the client sends b'hi' at 3 s and the accepted socket receives it.
fn exchanged(session: &mut Session) {
    let t = 3 * SECOND;
    session.apply(started(
        CLIENT,
        4,
        Call::Send {
            data: b"hi".to_vec(),
        },
        t,
    ));
    session.apply(returned(
        CLIENT,
        4,
        t,
        t + 30,
        Outcome::Ok(Value::Int(2)),
        None,
        2,
    ));
    session.apply(started(CHILD, 5, recv_call(), t + 100));
    session.apply(returned(
        CHILD,
        5,
        t + 100,
        t + 150,
        Outcome::Ok(Value::Bytes(2)),
        Some(b"hi"),
        2,
    ));
}

#[test]
fn a_blocked_accept_is_a_bar_that_grows_live() {
    let mut harness = harness(blocked_accept(), SECOND);
    harness.run_ok();
    let first = harness
        .state()
        .view
        .bar_rect(CallId(1))
        .expect("accept bar");
    assert!(shows(&harness, "accept() ... 0.9 s"), "pending text");
    at(&mut harness, 2 * SECOND);
    let second = harness
        .state()
        .view
        .bar_rect(CallId(1))
        .expect("accept bar");
    assert!(shows(&harness, "accept() ... 1.9 s"));
    assert!(
        second.height() > first.height() + 50.0,
        "{first:?} then {second:?}"
    );
    assert_eq!(first.top(), second.top(), "the bar starts where it started");
}

#[test]
fn after_connect_the_bar_ends_and_a_send_draws_an_arrow_to_its_recv() {
    let mut session = blocked_accept();
    connected(&mut session);
    let mut harness = harness(session, 2 * SECOND + 600_000);
    harness.run_ok();
    let ended = harness
        .state()
        .view
        .bar_rect(CallId(1))
        .expect("accept bar");
    at(&mut harness, 2 * SECOND + 900_000);
    let later = harness
        .state()
        .view
        .bar_rect(CallId(1))
        .expect("accept bar");
    assert_eq!(ended, later, "a returned call no longer grows");
    assert!(shows(
        &harness,
        // The value as Python shows it (the same text as the Python view's comment).
        "accept() -> (tcp4 #3, ('127.0.0.1', 40000))"
    ));
    assert!(shows(&harness, "connect(('127.0.0.1', 5000)) -> None"));
    assert_eq!(harness.state().view.arrows_drawn(), 0);

    exchanged(&mut harness.state_mut().session);
    at(&mut harness, 3 * SECOND + 500_000);
    assert!(shows(&harness, "send(b'hi') -> 2"));
    assert!(shows(&harness, "recv(1024) -> b'hi'"));
    assert!(harness.state().view.arrows_drawn() >= 1);
    let index = harness.state().session.flows();
    assert_eq!(index.arrows().len(), 1);
    assert_eq!(index.arrows()[0].from_call, CallId(4));
    assert_eq!(index.arrows()[0].to_call, CallId(5));
    // Lanes: the accepted socket right after its listener.
    let x_of = |name: &str| harness.get_by_label(&format!("lane {name}")).rect().min.x;
    assert!(x_of("tcp4 #1") < x_of("tcp4 #3"));
    assert!(x_of("tcp4 #3") < x_of("tcp4 #2"));
}

#[test]
fn following_live_keeps_the_last_calls_in_view_while_nothing_happens() {
    let mut session = blocked_accept();
    connected(&mut session);
    exchanged(&mut session);
    let mut harness = harness(session, 3 * SECOND + 500_000);
    harness.run_ok();
    assert!(harness.state().view.follow);
    assert!(harness.state().view.bar_rect(CallId(5)).is_some());
    // A minute later, nothing else happened: the exchange is still on screen.
    at(&mut harness, 63 * SECOND);
    assert!(
        harness.state().view.bar_rect(CallId(4)).is_some()
            && harness.state().view.bar_rect(CallId(5)).is_some(),
        "the send and the recv stay in view"
    );
    assert!(shows(&harness, "recv(1024) -> b'hi'"));
    // A call that blocks now brings the view to now, where its bar grows.
    harness
        .state_mut()
        .session
        .apply(started(CHILD, 6, recv_call(), 63 * SECOND));
    at(&mut harness, 64 * SECOND);
    assert!(harness.state().view.bar_rect(CallId(6)).is_some());
    let (top_us, _) = harness.state().view.time_range(100.0);
    assert!(
        top_us > 55.0 * SECOND as f64,
        "near now (63 s), not at the exchange (3 s): top at {top_us} µs"
    );
    assert!(harness.state().view.bar_rect(CallId(5)).is_none());
}

#[test]
fn clicking_a_bar_shows_the_call_details_with_the_errno_explained() {
    let refused = errno::by_name("ECONNREFUSED").expect("ECONNREFUSED");
    let mut session = Session::default();
    session.apply(opened(CLIENT, SockType::Stream, None, 10));
    session.apply(started(
        CLIENT,
        7,
        Call::Connect(AddrArg::inet("127.0.0.1", 9)),
        SECOND,
    ));
    session.apply(returned(
        CLIENT,
        7,
        SECOND,
        SECOND + 200,
        Outcome::Errno(refused),
        None,
        0,
    ));
    let mut harness = harness(session, 2 * SECOND);
    harness.run_ok();
    let label = "connect(('127.0.0.1', 9)) -> ECONNREFUSED";
    harness.get_by_label(label).click();
    harness.run_ok();
    assert_eq!(harness.state().view.selected(), Some(CallId(7)));
    assert!(shows(&harness, "Call details"));
    assert!(shows(
        &harness,
        &errno::explanation_in(socket_workbench::i18n::Lang::En, refused)
    ));
    if let Some(fix) = errno::fix_in(socket_workbench::i18n::Lang::En, refused) {
        assert!(shows(&harness, &fix));
    }
    harness.get_by_label("close details").click();
    harness.run_ok();
    assert_eq!(harness.state().view.selected(), None);
}

#[test]
fn zoom_buttons_and_fit() {
    let mut session = Session::default();
    session.apply(opened(CLIENT, SockType::Stream, None, 10));
    for n in 0..61u64 {
        let t = n * SECOND + 1_000;
        session.apply(started(CLIENT, n + 1, Call::GetSockName, t));
        session.apply(returned(
            CLIENT,
            n + 1,
            t,
            t + 20,
            Outcome::Ok(Value::Address(addr(CLIENT_ADDR))),
            None,
            0,
        ));
    }
    let mut harness = harness(session, 61 * SECOND);
    harness.run_ok();
    let before = harness.state().view.us_per_point;
    harness.get_by_label("zoom in").click();
    harness.run_ok();
    assert!((harness.state().view.us_per_point - before / 2.0).abs() < 1e-6);
    harness.get_by_label("zoom out").click();
    harness.get_by_label("zoom out").click();
    harness.run_ok();
    assert!(harness.state().view.us_per_point > before);
    harness.get_by_label("fit").click();
    harness.run_ok();
    harness.run_ok();
    let view = &harness.state().view;
    assert!(
        view.bar_rect(CallId(1)).is_some(),
        "the first call is in view"
    );
    assert!(
        view.bar_rect(CallId(61)).is_some(),
        "the last call is in view"
    );
    assert_eq!(view.visible_bars(), 61);
    // Fit after ten idle minutes: the same scale, the calls are not squashed by idle time.
    let fitted = view.us_per_point;
    harness.state_mut().now_us = 600 * SECOND;
    harness.get_by_label("fit").click();
    harness.run_ok();
    let refitted = harness.state().view.us_per_point;
    assert!(
        (refitted - fitted).abs() < fitted * 0.01,
        "fit {fitted} µs/pt, after idle time {refitted} µs/pt"
    );
    assert_eq!(harness.state().view.visible_bars(), 61);
}

#[test]
fn pause_freezes_the_picture() {
    let mut harness = harness(blocked_accept(), SECOND);
    harness.run_ok();
    harness.get_by_label("Pause").click();
    harness.run_ok();
    let frozen = harness.state().view.bar_rect(CallId(1)).expect("bar");
    at(&mut harness, 3 * SECOND);
    assert_eq!(harness.state().view.bar_rect(CallId(1)), Some(frozen));
    assert!(shows(&harness, "accept() ... 0.9 s"));
    harness.get_by_label("Resume").click();
    harness.run_ok();
    assert!(shows(&harness, "accept() ... 2.9 s"));
}

#[test]
fn a_huge_log_is_drawn_as_marks_when_zoomed_out_and_in_detail_when_zoomed_in() {
    let mut session = Session::default();
    session.apply(opened(CLIENT, SockType::Stream, None, 10));
    session.apply(opened(CHILD, SockType::Stream, None, 10));
    let calls = 200_000u64;
    for n in 0..calls {
        let socket = if n % 2 == 0 { CLIENT } else { CHILD };
        let t = 1_000 + n * 50;
        session.apply(started(socket, n + 1, Call::GetPeerName, t));
        session.apply(returned(
            socket,
            n + 1,
            t,
            t + 10,
            Outcome::Ok(Value::Address(addr(SERVER_ADDR))),
            None,
            0,
        ));
    }
    let now = 1_000 + calls * 50 + 1_000;
    let mut harness = harness(session, now);
    harness.get_by_label("fit").click();
    let started = Instant::now();
    harness.run_ok();
    let stats = harness.state().view.frame_stats();
    assert!(stats.marks_only, "{stats:?}");
    assert!(stats.calls_in_view > MAX_DETAILED_CALLS);
    assert!(stats.bars > 0 && stats.bars <= 20_000, "{stats:?}");
    assert!(shows(&harness, "zoom in to see each one"));
    // Following live at a fine scale: only the newest calls, each one drawn.
    harness.state_mut().view.us_per_point = 50.0;
    harness.state_mut().view.follow = true;
    harness.run_ok();
    let stats = harness.state().view.frame_stats();
    assert!(!stats.marks_only, "{stats:?}");
    assert!(stats.bars > 0 && stats.bars < 2_000, "{stats:?}");
    assert!(
        harness.state().view.bar_rect(CallId(calls)).is_some(),
        "the newest call is shown"
    );
    // Not a timing test: only that it does not take forever in a debug build.
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[test]
fn real_engine_exchange_on_loopback_draws_its_arrow() {
    let (engine, events) = Engine::new(|| {});
    let mut session = Session::default();
    let deadline = Instant::now() + Duration::from_secs(5);
    let pump = |session: &mut Session, done: &dyn Fn(&Session) -> bool| loop {
        while let Some(event) = events.try_recv() {
            session.apply(event);
        }
        if done(session) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the engine did not answer in time"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    let returned_ok = |call: CallId| {
        move |session: &Session| {
            session
                .call(call)
                .is_some_and(|record| record.outcome.as_ref().is_some_and(Outcome::is_ok))
        }
    };

    let listener = engine
        .create(Family::Ipv4, SockType::Stream)
        .expect("socket()");
    let bind = engine
        .call(
            listener,
            Call::Bind(AddrArg::inet("127.0.0.1", 0)),
            Origin::User,
        )
        .expect("bind");
    pump(&mut session, &returned_ok(bind));
    let listen = engine
        .call(listener, Call::Listen { backlog: 5 }, Origin::User)
        .expect("listen");
    pump(&mut session, &returned_ok(listen));
    let local = session
        .socket(listener)
        .and_then(|view| view.local.clone())
        .expect("listener address");
    let port = u32::from(local.port().expect("port"));
    let accept = engine
        .call(listener, Call::Accept, Origin::User)
        .expect("accept");
    let client = engine
        .create(Family::Ipv4, SockType::Stream)
        .expect("socket()");
    let connect = engine
        .call(
            client,
            Call::Connect(AddrArg::inet("127.0.0.1", port)),
            Origin::User,
        )
        .expect("connect");
    pump(&mut session, &|session: &Session| {
        returned_ok(accept)(session) && returned_ok(connect)(session)
    });
    let child = match session
        .call(accept)
        .and_then(|record| record.outcome.clone())
    {
        Some(Outcome::Ok(Value::Accepted { child, .. })) => child,
        other => panic!("accept gave {other:?}"),
    };
    let send = engine
        .call(
            client,
            Call::Send {
                data: b"hello".to_vec(),
            },
            Origin::User,
        )
        .expect("send");
    let recv = engine.call(child, recv_call(), Origin::User).expect("recv");
    pump(&mut session, &|session: &Session| {
        returned_ok(send)(session) && returned_ok(recv)(session)
    });

    let now = engine.now_us();
    let mut harness = harness(session, now);
    harness.run_ok();
    assert!(shows(&harness, "recv(1024) -> b'hello'"));
    assert!(shows(&harness, "send(b'hello') -> 5"));
    assert!(harness.state().view.arrows_drawn() >= 1);
    let index = harness.state().session.flows();
    assert!(
        index
            .arrows()
            .iter()
            .any(|flow| flow.from_call == send && flow.to_call == recv && flow.bytes == 5),
        "{:?}",
        index.arrows()
    );
    engine.close_all();
}

#[test]
fn a_lost_datagram_is_marked_dropped_and_kept_ones_get_arrows() {
    let a_addr = "127.0.0.1:6001";
    let b_addr = "127.0.0.1:6002";
    let mut session = Session::default();
    session.apply(opened(CLIENT, SockType::Datagram, None, 10));
    session.apply(state(CLIENT, 20, Lifecycle::Bound, a_addr, None));
    session.apply(opened(CHILD, SockType::Datagram, None, 30));
    session.apply(state(CHILD, 40, Lifecycle::Bound, b_addr, None));
    for (call_id, data) in [(1u64, &b"lost!"[..]), (2, b"kept")] {
        let t = call_id * SECOND;
        session.apply(started(
            CLIENT,
            call_id,
            Call::SendTo {
                data: data.to_vec(),
                addr: AddrArg::inet("127.0.0.1", 6002),
            },
            t,
        ));
        session.apply(returned(
            CLIENT,
            call_id,
            t,
            t + 20,
            Outcome::Ok(Value::Int(data.len() as i64)),
            None,
            data.len(),
        ));
    }
    let t = 2 * SECOND + 1_000;
    session.apply(started(
        CHILD,
        3,
        Call::RecvFrom {
            bufsize: 1024,
            flags: RecvFlags::default(),
        },
        t,
    ));
    session.apply(Event::Returned(Returned {
        from: Some(addr(a_addr)),
        ..match returned(
            CHILD,
            3,
            t,
            t + 10,
            Outcome::Ok(Value::Bytes(4)),
            Some(b"kept"),
            4,
        ) {
            Event::Returned(returned) => returned,
            _ => unreachable!(),
        }
    }));
    let mut harness = harness(session, 3 * SECOND);
    harness.run_ok();
    let stats = harness.state().view.frame_stats();
    assert_eq!(stats.dropped, 1, "{stats:?}");
    assert_eq!(stats.arrows, 1, "{stats:?}");
    assert!(shows(&harness, "dropped"));
    assert!(shows(
        &harness,
        "recvfrom(1024) -> (b'kept', ('127.0.0.1', 6001))"
    ));
}

#[test]
fn projector_mode_and_a_narrow_space_still_show_the_details() {
    let mut session = blocked_accept();
    connected(&mut session);
    exchanged(&mut session);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(480.0, 700.0))
        .build_ui_state(
            |ui, state: &mut State| {
                state.session.update_indexes();
                state.view.ui(ui, &state.session, state.now_us);
            },
            State {
                session,
                view: TimelineView::new(),
                now_us: 3 * SECOND + 500_000,
            },
        );
    socket_workbench::ui::theme::Appearance::projector().apply(&harness.ctx);
    harness.run_ok();
    harness.run_ok();
    let view = &harness.state().view;
    assert!(view.visible_bars() >= 1);
    // Following live, the newest call's lane is in view: click its recv bar (its label may be
    // elided; the accessible name is whole).
    harness.get_by_label_contains("recv(1024) -> b'hi'").click();
    harness.run_ok();
    assert_eq!(harness.state().view.selected(), Some(CallId(5)));
    assert!(shows(&harness, "Call details"));
    assert!(shows(&harness, "woken by"));
}

#[test]
fn ctrl_scroll_zooms_and_dragging_pans() {
    let mut harness = harness(blocked_accept(), 2 * SECOND);
    harness.run_ok();
    let before = harness.state().view.us_per_point;
    let inside = egui::pos2(700.0, 500.0);
    harness.event(egui::Event::PointerMoved(inside));
    harness.run_ok();
    harness.event(egui::Event::Zoom(2.0));
    harness.run_ok();
    let after = harness.state().view.us_per_point;
    assert!((after - before / 2.0).abs() < 1e-6, "{before} then {after}");

    // Dragging up shows later times and stops following.
    let top_before = harness.state().view.time_range(100.0).0;
    harness.event(egui::Event::PointerButton {
        pos: inside,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    harness.run_ok();
    for step in 1..=10 {
        harness.event(egui::Event::PointerMoved(
            inside - egui::vec2(0.0, 20.0 * step as f32),
        ));
        harness.run_ok();
    }
    harness.event(egui::Event::PointerButton {
        pos: inside - egui::vec2(0.0, 200.0),
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    harness.run_ok();
    let top_after = harness.state().view.time_range(100.0).0;
    assert!(top_after > top_before, "{top_before} then {top_after}");
    assert!(!harness.state().view.follow);
}

/// The calls happened seconds after start; the window is opened minutes later while the
/// listener still waits in accept(): the timeline shows the calls, not an empty stretch.
#[test]
fn the_timeline_opens_on_the_calls_and_following_keeps_them_in_view() {
    let mut session = blocked_accept();
    connected(&mut session);
    session.apply(started(LISTENER, 5, Call::Accept, 3 * SECOND));
    let mut harness = harness(session, 300 * SECOND);
    harness.run_ok();
    let visible = |harness: &Harness<'_, State>, call: u64| {
        let view = &harness.state().view;
        view.bar_rect(CallId(call))
            .is_some_and(|bar| view.body_rect().intersects(bar))
    };
    assert!(
        visible(&harness, 2),
        "connect() is in view when the timeline opens"
    );
    // Follow live: time goes on with the accept() still pending; the calls stay in view.
    at(&mut harness, 400 * SECOND);
    assert!(
        visible(&harness, 2),
        "connect() is still in view while following"
    );
    assert!(visible(&harness, 5), "the pending accept() is in view");
}

/// Twelve lanes, more than the view is wide: following live, a new call in a lane off to the
/// side brings that lane into view, and a later one at the other end brings that one back.
#[test]
fn following_live_pans_sideways_to_the_lane_of_the_newest_call() {
    let mut session = Session::default();
    let lanes: Vec<SocketId> = (1..=12).map(SocketId).collect();
    for (n, socket) in lanes.iter().enumerate() {
        session.apply(opened(*socket, SockType::Datagram, None, 10 + n as u64));
    }
    session.apply(started(lanes[0], 1, recv_call(), SECOND / 10));
    let mut harness = harness(session, SECOND);
    harness.run_ok();
    let in_view = |harness: &Harness<'_, State>, call: u64| {
        let view = &harness.state().view;
        view.bar_rect(CallId(call)).is_some_and(|bar| {
            let body = view.body_rect();
            bar.left() >= body.left() && bar.right() <= body.right()
        })
    };
    assert!(in_view(&harness, 1), "the first lane's call is in view");

    let far = lanes[11];
    harness
        .state_mut()
        .session
        .apply(started(far, 2, recv_call(), SECOND));
    at(&mut harness, SECOND + SECOND / 10);
    assert!(
        in_view(&harness, 2),
        "the newest call, in the last lane, is brought into view"
    );
    assert!(!in_view(&harness, 1), "the view moved sideways");

    harness
        .state_mut()
        .session
        .apply(started(lanes[0], 3, recv_call(), 2 * SECOND));
    at(&mut harness, 2 * SECOND + SECOND / 10);
    assert!(
        in_view(&harness, 3),
        "back to the first lane for its new call"
    );
}
