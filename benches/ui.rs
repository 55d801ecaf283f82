//! UI figures: frame times with 200 sockets and 1,000,000 logged calls (PRODUCT, Performance:
//! "frames stay under 16 ms with 200 sockets and 1,000,000 logged calls").
//!
//! The window's session is fed only by its engine's socket threads, so this drives the widgets
//! that show the log — the call table, the throughput plot and a socket's received-data view —
//! over a session built from synthetic events, laid out as in the window (1600 x 1000 points),
//! in an egui_kittest harness. A frame here is `Harness::step()` (egui's pass: layout of the
//! visible rows, hit testing, AccessKit) plus tessellation of the frame's shapes; GPU painting
//! is not included. Prints mean, p50, p99 and max in ms for each scenario.
//!
//! Run with `cargo bench --bench ui`.

use egui_kittest::Harness;
use socket_workbench::core::Core;
use socket_workbench::engine::{
    Call, CallId, Event, Family, Origin, Outcome, RecvFlags, SockType, SocketId, Value, WokenBy,
};
use socket_workbench::engine::{Engine, EventReceiver};
use socket_workbench::engine::{Returned, SocketInfo, Started};
use socket_workbench::session::{Limits, Session};
use socket_workbench::ui::EXPORT_FRAME_BUDGET;
use socket_workbench::ui::ReceivedView;
use socket_workbench::ui::ThroughputView;
use socket_workbench::ui::{CallTable, Column, ExportStatus};
use socket_workbench::ui::{Intent, ViewKind, WorkbenchApp};
use std::time::{Duration, Instant};

const SOCKETS: u32 = 200;
const CALLS: u64 = 1_000_000;
const FRAMES: usize = 120;
/// Calls arriving per frame in the "live" scenarios (2,000 events a frame).
const LIVE_CALLS_PER_FRAME: u64 = 1_000;

struct Feed {
    next_call: u64,
    now_us: u64,
}

impl Feed {
    /// Opens the bench's SOCKETS sockets (their events go to `sink`) and starts the calls.
    fn opening_sockets(sink: &mut dyn FnMut(Event)) -> Feed {
        for id in 1..=SOCKETS {
            sink(Event::Opened(SocketInfo {
                socket: SocketId(id),
                family: Family::Ipv4,
                sock_type: SockType::Stream,
                parent: None,
                at_us: 0,
            }));
        }
        Feed {
            next_call: 0,
            now_us: 1_000,
        }
    }

    /// One returned call: sends and recvs (with their bytes) spread over the sockets, now and
    /// then an error or a timeout.
    fn call(&mut self, session: &mut Session) {
        self.call_events(&mut |event| session.apply(event));
    }

    /// The same call as its two events, handed to `sink`.
    fn call_events(&mut self, sink: &mut dyn FnMut(Event)) {
        let n = self.next_call;
        self.next_call += 1;
        self.now_us += 37;
        let socket = SocketId((n % u64::from(SOCKETS)) as u32 + 1);
        let call_id = CallId(n);
        let data = format!("message {n}\r\n").into_bytes();
        let (call, outcome, payload) = match n % 4 {
            0 | 1 => (
                Call::Send { data: data.clone() },
                Outcome::Ok(Value::Int(data.len() as i64)),
                None,
            ),
            2 => (
                Call::Recv {
                    bufsize: 4096,
                    flags: RecvFlags::default(),
                },
                Outcome::Ok(Value::Bytes(data.len())),
                Some(data.clone()),
            ),
            _ if n % 100 == 3 => (
                Call::Recv {
                    bufsize: 4096,
                    flags: RecvFlags::default(),
                },
                Outcome::TimedOut { timeout_ms: 500 },
                None,
            ),
            _ => (
                Call::SendAll { data: data.clone() },
                Outcome::Ok(Value::None),
                None,
            ),
        };
        let moved = if matches!(outcome, Outcome::Ok(_)) {
            data.len()
        } else {
            0
        };
        sink(Event::Started(Started {
            socket,
            call_id,
            at_us: self.now_us,
            call,
            origin: if n.is_multiple_of(3) {
                Origin::Script
            } else {
                Origin::User
            },
        }));
        let duration_us = 5 + (n * 7919) % 3_000;
        sink(Event::Returned(Returned {
            socket,
            call_id,
            at_us: self.now_us + duration_us,
            duration_us,
            outcome,
            bytes_moved: moved,
            data: payload,
            from: None,
            truncated_from: None,
            woken_by: WokenBy::Readable,
            context: None,
        }));
    }
}

/// Which widgets a harness draws.
#[derive(Clone, Copy)]
struct Parts {
    table: bool,
    throughput: bool,
    received: bool,
}

const ALL: Parts = Parts {
    table: true,
    throughput: true,
    received: true,
};

struct State {
    parts: Parts,
    session: Session,
    table: CallTable,
    throughput: ThroughputView,
    received: ReceivedView,
}

fn build_session() -> (Session, Feed) {
    let mut session = Session::new(Limits {
        max_log_entries: CALLS as usize,
        ..Limits::default()
    });
    let mut feed = Feed::opening_sockets(&mut |event| session.apply(event));
    for _ in 0..CALLS {
        feed.call(&mut session);
    }
    (session, feed)
}

fn harness(session: Session, parts: Parts) -> Harness<'static, State> {
    let state = State {
        parts,
        session,
        table: CallTable::new(),
        throughput: ThroughputView::new(),
        received: ReceivedView::new(),
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_ui_state(
            |ui, state: &mut State| {
                let now_us = state.session.latest_us();
                if state.parts.throughput {
                    egui::Panel::bottom("bench_throughput")
                        .exact_size(260.0)
                        .show(ui, |ui| {
                            state.throughput.ui(ui, &state.session, now_us);
                        });
                }
                if state.parts.received {
                    egui::Panel::right("bench_received")
                        .exact_size(520.0)
                        .show(ui, |ui| {
                            let _ = state.received.ui(ui, &state.session, SocketId(3));
                        });
                }
                egui::CentralPanel::default().show(ui, |ui| {
                    if state.parts.table {
                        state.table.ui(ui, &state.session);
                    }
                });
            },
            state,
        );
    socket_workbench::ui::theme::install_fonts(&harness.ctx);
    harness.step();
    harness
}

/// One measured frame: the pass and the tessellation of its shapes.
fn frame<S>(harness: &mut Harness<'_, S>) -> Duration {
    let started = Instant::now();
    harness.step();
    let output = harness.output();
    let shapes = output.shapes.clone();
    let pixels_per_point = output.pixels_per_point;
    let primitives = harness.ctx.tessellate(shapes, pixels_per_point);
    std::hint::black_box(primitives);
    started.elapsed()
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mean = times.iter().map(|d| ms(*d)).sum::<f64>() / times.len().max(1) as f64;
    let at = |q: f64| {
        let index = ((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1;
        times.get(index).map_or(0.0, |d| ms(*d))
    };
    println!(
        "{name:<58} mean {mean:7.2} ms  p50 {:7.2} ms  p99 {:7.2} ms  max {:7.2} ms  ({} frames)",
        at(0.5),
        at(0.99),
        at(1.0),
        times.len()
    );
}

fn harness_alone(session: Session, parts: Parts) -> Harness<'static, State> {
    let mut harness = harness(session, parts);
    {
        let state = harness.state_mut();
        state.table.catch_up(&state.session);
    }
    settle(&mut harness);
    harness
}

fn settle(harness: &mut Harness<'_, State>) {
    for _ in 0..100_000 {
        harness.step();
        let state = harness.state();
        if (!state.parts.table || state.table.caught_up(&state.session))
            && (!state.parts.received || state.received.caught_up())
        {
            break;
        }
    }
    harness.step();
}

fn main() {
    // UI_BENCH_WHOLE_APP_ONLY=1: only the whole-app figures (for profiling them).
    if std::env::var_os("UI_BENCH_WHOLE_APP_ONLY").is_some() {
        whole_app();
        whole_app_connections();
        return;
    }
    let started = Instant::now();
    let (session, mut feed) = build_session();
    println!(
        "session: {SOCKETS} sockets, {} log entries, {} chunks retained, built in {:.2} s",
        session.log_len(),
        session.chunks().count(),
        started.elapsed().as_secs_f64()
    );

    let mut harness = harness(session, ALL);
    indexing(&mut harness);
    let started = Instant::now();
    settle(&mut harness);
    println!(
        "first frames until the views caught up: {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );

    // 1. Idle, sorted by time, at the bottom (follow newest).
    let times = (0..FRAMES).map(|_| frame(&mut harness)).collect();
    report("idle, 1M rows by time, at the newest", times);
    widgets_alone(&mut harness);
    settle(&mut harness);

    // 2. Scrolling: a jump to a different place every frame.
    let mut times = Vec::new();
    for n in 0..FRAMES {
        let row = (n as u64 * 7_919_993) % CALLS;
        harness.state_mut().table.scroll_to_row(row as usize);
        times.push(frame(&mut harness));
    }
    report("jumping to a new place in 1M rows every frame", times);
    live(&mut harness, &mut feed);
    export(&mut harness);
    drop(harness);
    whole_app();
    whole_app_connections();
}

/// Indexing: what the table does over several frames, measured in one go.
fn indexing(harness: &mut Harness<'static, State>) {
    for (name, column) in [
        ("duration", Column::Duration),
        ("arguments", Column::Arguments),
        ("socket", Column::Socket),
        ("time", Column::Time),
    ] {
        let state = harness.state_mut();
        state.table.sort = column;
        let started = Instant::now();
        state.table.catch_up(&state.session);
        println!(
            "index 1,000,000 rows sorted by {name:<10} {:8.1} ms (spread over frames, ~4 ms each)",
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    {
        let state = harness.state_mut();
        state.table.sort = Column::Time;
        state.table.filter = "timed out".into();
        let started = Instant::now();
        state.table.catch_up(&state.session);
        println!(
            "filter 1,000,000 rows by \"timed out\"      {:8.1} ms (spread over frames; {} rows)",
            started.elapsed().as_secs_f64() * 1e3,
            state.table.row_count()
        );
        state.table.filter.clear();
    }
}

/// Each widget alone, idle (same session).
fn widgets_alone(harness: &mut Harness<'static, State>) {
    let session = std::mem::take(&mut harness.state_mut().session);
    let mut session = Some(session);
    for (name, parts) in [
        (
            "  call table alone",
            Parts {
                table: true,
                throughput: false,
                received: false,
            },
        ),
        (
            "  throughput plot alone (200 sockets)",
            Parts {
                table: false,
                throughput: true,
                received: false,
            },
        ),
        (
            "  received view alone (5,000 chunks of one socket)",
            Parts {
                table: false,
                throughput: false,
                received: true,
            },
        ),
    ] {
        let Some(taken) = session.take() else {
            break;
        };
        let mut alone = harness_alone(taken, parts);
        let times = (0..FRAMES).map(|_| frame(&mut alone)).collect();
        report(name, times);
        session = Some(std::mem::take(&mut alone.state_mut().session));
    }
    if let Some(session) = session {
        harness.state_mut().session = session;
    }
}

/// FRAMES frames with LIVE_CALLS_PER_FRAME new calls logged before each.
fn live_frames(harness: &mut Harness<'static, State>, feed: &mut Feed) -> Vec<Duration> {
    let mut times = Vec::new();
    for _ in 0..FRAMES {
        let state = harness.state_mut();
        for _ in 0..LIVE_CALLS_PER_FRAME {
            feed.call(&mut state.session);
        }
        times.push(frame(harness));
    }
    times
}

/// Calls arriving every frame (the oldest dropped by the cap): by time, by duration (new rows
/// merged, throttled), and with a text filter.
fn live(harness: &mut Harness<'static, State>, feed: &mut Feed) {
    harness.state_mut().table.scroll_to_row(CALLS as usize);
    let times = live_frames(harness, feed);
    report("live: +1,000 calls per frame (cap 1M), by time", times);
    {
        let state = harness.state_mut();
        state.table.sort = Column::Duration;
        state.table.catch_up(&state.session);
    }
    let times = live_frames(harness, feed);
    report("live: +1,000 calls per frame (cap 1M), by duration", times);
    {
        let state = harness.state_mut();
        state.table.sort = Column::Time;
        state.table.filter = "sendall".into();
        state.table.catch_up(&state.session);
    }
    let times = live_frames(harness, feed);
    report("live: +1,000 calls per frame, filter \"sendall\"", times);
}

/// Exporting the table as CSV and JSON, as the window does it.
fn export(harness: &mut Harness<'static, State>) {
    let dir = std::env::temp_dir().join(format!("socket-workbench-bench-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_ok() {
        let state = harness.state_mut();
        state.table.filter.clear();
        for (name, format, file) in [
            ("CSV", socket_workbench::ui::ExportFormat::Csv, "calls.csv"),
            (
                "JSON",
                socket_workbench::ui::ExportFormat::Json,
                "calls.json",
            ),
        ] {
            let path = dir.join(file);
            // As the window does it: a few ms of formatting per frame, the file written by a
            // thread. Reports the whole export's time and the longest single step.
            let started = Instant::now();
            state
                .table
                .start_export(format, path.to_string_lossy().into_owned());
            let mut step_times: Vec<Duration> = Vec::new();
            loop {
                let step_started = Instant::now();
                let running = state
                    .table
                    .advance_export(&state.session, EXPORT_FRAME_BUDGET);
                step_times.push(step_started.elapsed());
                if !running {
                    break;
                }
                std::thread::sleep(Duration::from_micros(200));
            }
            let total_ms = started.elapsed().as_secs_f64() * 1e3;
            step_times.sort();
            let ms = |at: usize| step_times.get(at).map_or(0.0, |d| d.as_secs_f64() * 1e3);
            let steps = step_times.len();
            match state.table.export_status() {
                Some(ExportStatus::Written { rows, .. }) => println!(
                    "export {rows} rows as {name:<4}            {total_ms:8.1} ms in {steps} frames, step p50 {:.1} ms p99 {:.1} ms max {:.1} ms ({:.0} MB)",
                    ms(steps / 2),
                    ms(steps * 99 / 100),
                    ms(steps.saturating_sub(1)),
                    std::fs::metadata(&path).map_or(0, |m| m.len()) as f64 / 1e6
                ),
                other => println!("export {name} failed: {other:?}"),
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// The real app in a 1600 x 1000 window over `core`, with these views open and one socket in
/// the inspector.
fn whole_app_over(
    core: Core,
    views: &[ViewKind],
    selected: SocketId,
) -> Harness<'static, WorkbenchApp> {
    let mut harness: Harness<'static, WorkbenchApp> = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(move |cc| WorkbenchApp::with_core(&cc.egui_ctx, core));
    let app = harness.state_mut();
    for view in views {
        if !app.view_open(*view) {
            app.toggle_view(*view);
        }
    }
    app.apply_intent(Intent::Select(selected));
    harness
}

/// The real app (WorkbenchApp: its core, session, every view) over 200 sockets and 1,000,000
/// logged calls, with the timeline, the call table (sorted by duration) and an inspector
/// shown, and 1,000 new calls (2,000 events) arriving through its core every frame.
fn whole_app() {
    let (sender, receiver) = crossbeam_channel::unbounded();
    let (engine, _unused) = Engine::new(|| {});
    let limits = Limits {
        max_log_entries: CALLS as usize,
        ..Limits::default()
    };
    let mut core = Core::with_engine(engine, EventReceiver::forwarded(receiver), limits);
    let mut feed = Feed::opening_sockets(&mut |event| {
        let _ = sender.send(event);
    });
    for _ in 0..CALLS {
        feed.call_events(&mut |event| {
            let _ = sender.send(event);
        });
        // Applied as they come, so the channel never holds the whole log twice.
        core.apply_waiting(usize::MAX, &mut |_, _| {});
    }
    let mut harness = whole_app_over(core, &[ViewKind::Timeline, ViewKind::Calls], SocketId(3));
    harness.step();
    harness.state_mut().sort_call_table_now(Column::Duration);
    for _ in 0..30 {
        harness.step();
    }
    let mut idle = Vec::with_capacity(FRAMES);
    for _ in 0..FRAMES {
        idle.push(frame(&mut harness));
    }
    report(
        "whole app: timeline + table by duration + inspector, idle",
        idle,
    );
    let mut live = Vec::with_capacity(FRAMES * 2);
    for _ in 0..FRAMES * 2 {
        for _ in 0..LIVE_CALLS_PER_FRAME {
            feed.call_events(&mut |event| {
                let _ = sender.send(event);
            });
        }
        let took = frame(&mut harness);
        if took > Duration::from_millis(15) {
            println!(
                "  slow frame {}: {:.1} ms",
                live.len(),
                took.as_secs_f64() * 1e3
            );
        }
        live.push(took);
    }
    report("whole app: the same, +1,000 calls per frame", live);
}

/// Accepted connections in the connections scenario (PRODUCT, Performance: "9,000
/// simultaneous clients").
const CONNECTIONS: u32 = 9_000;

/// The events of one accepted connection as an echo server's automatic loop reports them:
/// opened under the listener, connected, one line received and echoed (then idle: automatic
/// receives are reported when they return, so nothing is pending).
fn connection_events(child: u32, at_us: u64, call: &mut u64, sink: &mut dyn FnMut(Event)) {
    use socket_workbench::engine::{Lifecycle, Mode, SocketAddress, StateChange};
    let socket = SocketId(child);
    let local = SocketAddress::from(std::net::SocketAddr::from(([127, 0, 0, 1], 8080)));
    let peer = SocketAddress::from(std::net::SocketAddr::from((
        [127, 0, 0, 1],
        (20_000 + child % 40_000) as u16,
    )));
    sink(Event::Opened(SocketInfo {
        socket,
        family: Family::Ipv4,
        sock_type: SockType::Stream,
        parent: Some(SocketId(1)),
        at_us,
    }));
    sink(Event::State(StateChange {
        socket,
        at_us,
        state: Lifecycle::Connected,
        mode: Mode::Blocking,
        local: Some(local),
        peer: Some(peer),
    }));
    let line = b"hello\n".to_vec();
    for (n, call_kind) in [0, 1].into_iter().enumerate() {
        *call += 1;
        let at = at_us + 10 * n as u64;
        let (call_value, outcome, data) = match call_kind {
            0 => (
                Call::Recv {
                    bufsize: 4096,
                    flags: RecvFlags::default(),
                },
                Some(Outcome::Ok(Value::Bytes(line.len()))),
                Some(line.clone()),
            ),
            _ => (
                Call::Send { data: line.clone() },
                Some(Outcome::Ok(Value::Int(line.len() as i64))),
                None,
            ),
        };
        sink(Event::Started(Started {
            socket,
            call_id: CallId(*call),
            at_us: at,
            call: call_value,
            origin: Origin::Auto,
        }));
        if let Some(outcome) = outcome {
            sink(Event::Returned(Returned {
                socket,
                call_id: CallId(*call),
                at_us: at + 5,
                duration_us: 5,
                outcome,
                bytes_moved: line.len(),
                data,
                from: None,
                truncated_from: None,
                woken_by: WokenBy::NoWait,
                context: None,
            }));
        }
    }
}

/// The real app holding a listener and CONNECTIONS accepted connections (an echo server
/// under a load test): the sockets panel, the timeline and an inspector shown; idle, then
/// with 100 more connections arriving every frame.
fn whole_app_connections() {
    use socket_workbench::engine::{Lifecycle, Mode, SocketAddress, StateChange};
    let (sender, receiver) = crossbeam_channel::unbounded();
    let (engine, _unused) = Engine::new(|| {});
    let mut core = Core::with_engine(
        engine,
        EventReceiver::forwarded(receiver),
        Limits::default(),
    );
    let mut send = |event: Event| {
        let _ = sender.send(event);
    };
    send(Event::Opened(SocketInfo {
        socket: SocketId(1),
        family: Family::Ipv4,
        sock_type: SockType::Stream,
        parent: None,
        at_us: 0,
    }));
    send(Event::State(StateChange {
        socket: SocketId(1),
        at_us: 10,
        state: Lifecycle::Listening,
        mode: Mode::Blocking,
        local: Some(SocketAddress::from(std::net::SocketAddr::from((
            [127, 0, 0, 1],
            8080,
        )))),
        peer: None,
    }));
    let mut call = 0u64;
    let mut at_us = 1_000;
    for child in 2..CONNECTIONS + 2 {
        at_us += 200;
        connection_events(child, at_us, &mut call, &mut send);
        core.apply_waiting(usize::MAX, &mut |_, _| {});
    }
    let mut harness = whole_app_over(core, &[ViewKind::Timeline], SocketId(1));
    for _ in 0..30 {
        harness.step();
    }
    let idle: Vec<Duration> = (0..FRAMES).map(|_| frame(&mut harness)).collect();
    report(
        &format!("whole app: {CONNECTIONS} connections, sockets + timeline, idle"),
        idle,
    );
    let mut next = CONNECTIONS + 2;
    let mut live = Vec::with_capacity(FRAMES);
    for _ in 0..FRAMES {
        for _ in 0..100 {
            at_us += 100;
            connection_events(next, at_us, &mut call, &mut send);
            next += 1;
        }
        live.push(frame(&mut harness));
    }
    report(
        &format!("whole app: {CONNECTIONS} connections, +100 connections a frame"),
        live,
    );
}
