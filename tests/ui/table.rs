//! The call table and the throughput plot as widgets, in a small harness over a session built
//! from hand-made events (no sockets): columns, sorting, filtering, export, a million rows, and
//! per-second totals.

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use socket_workbench::engine::Direction;
use socket_workbench::engine::{
    AddrArg, Call, CallId, Event, Family, Origin, Outcome, RecvFlags, SockType, SocketId, Value,
    WokenBy,
};
use socket_workbench::engine::{AutoSummary, Returned, SocketInfo, Started};
use socket_workbench::session::{Limits, Session};
use socket_workbench::ui::EXPORT_FRAME_BUDGET;
use socket_workbench::ui::ThroughputView;
use socket_workbench::ui::{CallTable, Column};
use std::time::{Duration, Instant};

const A: SocketId = SocketId(1);
const B: SocketId = SocketId(2);

/// A session fed by hand.
struct Feed {
    session: Session,
    next_call: u64,
}

impl Feed {
    fn new() -> Self {
        Feed::with_limits(Limits::default())
    }

    fn with_limits(limits: Limits) -> Self {
        let mut session = Session::new(limits);
        for socket in [A, B] {
            session.apply(Event::Opened(SocketInfo {
                socket,
                family: Family::Ipv4,
                sock_type: SockType::Stream,
                parent: None,
                at_us: 0,
            }));
        }
        Feed {
            session,
            next_call: 1,
        }
    }

    fn start(&mut self, socket: SocketId, call: Call, at_us: u64) -> CallId {
        let call_id = CallId(self.next_call);
        self.next_call += 1;
        self.session.apply(Event::Started(Started {
            socket,
            call_id,
            at_us,
            call,
            origin: Origin::User,
        }));
        call_id
    }

    fn finish(
        &mut self,
        socket: SocketId,
        call_id: CallId,
        at_us: u64,
        duration_us: u64,
        outcome: Outcome,
        bytes_moved: usize,
    ) {
        self.session.apply(Event::Returned(Returned {
            socket,
            call_id,
            at_us,
            duration_us,
            outcome,
            bytes_moved,
            data: None,
            from: None,
            truncated_from: None,
            woken_by: WokenBy::NoWait,
            context: None,
        }));
    }

    /// A call that returns at once.
    fn call(
        &mut self,
        socket: SocketId,
        call: Call,
        at_us: u64,
        duration_us: u64,
        outcome: Outcome,
        bytes_moved: usize,
    ) {
        let id = self.start(socket, call, at_us);
        self.finish(
            socket,
            id,
            at_us + duration_us,
            duration_us,
            outcome,
            bytes_moved,
        );
    }

    fn send(&mut self, socket: SocketId, at_us: u64, data: &[u8]) {
        self.call(
            socket,
            Call::Send {
                data: data.to_vec(),
            },
            at_us,
            10,
            Outcome::Ok(Value::Int(data.len() as i64)),
            data.len(),
        );
    }
}

fn recv_call(bufsize: usize) -> Call {
    Call::Recv {
        bufsize,
        flags: RecvFlags::default(),
    }
}

struct TableState {
    session: Session,
    table: CallTable,
}

fn table_harness(session: Session) -> Harness<'static, TableState> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1200.0, 600.0))
        .build_ui_state(
            |ui, state: &mut TableState| {
                let TableState { session, table } = state;
                // As the window does: the export goes on a few ms per frame.
                if table.advance_export(session, EXPORT_FRAME_BUDGET) {
                    ui.ctx().request_repaint();
                }
                table.ui(ui, session);
            },
            TableState {
                session,
                table: CallTable::new(),
            },
        );
    settle(&mut harness);
    harness
}

/// Runs frames until the table has indexed every log entry, then two more (bounded).
fn settle(harness: &mut Harness<'_, TableState>) {
    for _ in 0..10_000 {
        harness.step();
        let state = harness.state();
        if state.table.caught_up(&state.session) {
            harness.step();
            harness.step();
            return;
        }
    }
    panic!("the table never caught up");
}

/// Runs frames until the export under way has written its first rows (bounded): (rows
/// written, rows to write).
fn first_rows_written(harness: &mut Harness<'_, TableState>) -> (usize, usize) {
    for _ in 0..20 {
        harness.step();
        if let Some((done, total)) = harness.state().table.export_progress()
            && done > 0
        {
            return (done, total);
        }
    }
    panic!("the export wrote nothing in 20 frames");
}

/// Runs frames until the export under way has ended (bounded), then one more to show it.
fn finish_export(harness: &mut Harness<'_, TableState>) {
    let deadline = Instant::now() + Duration::from_secs(20);
    harness.step();
    while harness.state().table.export_running() {
        assert!(Instant::now() < deadline, "the export did not end");
        harness.step();
        std::thread::sleep(Duration::from_millis(1));
    }
    harness.step();
}

fn shows(harness: &Harness<'_, impl Sized>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

/// The `column` text of every row shown, in order.
fn column_of(harness: &Harness<'_, TableState>, column: Column) -> Vec<String> {
    let state = harness.state();
    (0..state.table.row_count())
        .filter_map(|n| state.table.row(&state.session, n))
        .map(|row| row.cell(column).to_string())
        .collect()
}

fn sample_feed() -> Feed {
    let mut feed = Feed::new();
    feed.session.rename(A, "client");
    feed.call(
        A,
        Call::Connect(AddrArg::inet("127.0.0.1", 80)),
        1_000,
        300,
        Outcome::Errno(libc::ECONNREFUSED),
        0,
    );
    feed.send(B, 2_000, b"hi");
    feed.start(A, recv_call(1024), 3_000);
    feed.session.apply(Event::Auto(AutoSummary {
        socket: B,
        from_us: 4_000_000,
        to_us: 5_000_000,
        recv_calls: 120,
        recv_bytes: 1_258_291,
        ..AutoSummary::default()
    }));
    feed
}

#[test]
fn the_table_shows_every_column_of_each_call() {
    let mut harness = table_harness(sample_feed().session);
    for header in [
        "time",
        "socket",
        "call",
        "arguments",
        "result",
        "duration",
        "bytes",
        "origin",
    ] {
        assert!(shows(&harness, header), "header {header}");
    }
    let state = harness.state();
    assert_eq!(state.table.row_count(), 4);
    let first = state.table.row(&state.session, 0).expect("row 0");
    assert_eq!(first.time, "0.001");
    assert_eq!(first.socket, "client");
    assert_eq!(first.call, "connect");
    assert_eq!(first.arguments, "('127.0.0.1', 80)");
    assert_eq!(first.result, "ECONNREFUSED");
    assert_eq!(first.duration, "300 µs");
    assert_eq!(first.bytes, "");
    assert_eq!(first.origin, "user");
    let send = state.table.row(&state.session, 1).expect("row 1");
    assert_eq!(
        (
            send.socket.as_str(),
            send.arguments.as_str(),
            send.result.as_str()
        ),
        ("tcp4 #2", "b'hi'", "2")
    );
    assert_eq!(send.bytes, "2");
    let pending = state.table.row(&state.session, 2).expect("row 2");
    assert_eq!(
        (pending.call.as_str(), pending.result.as_str()),
        ("recv", "pending")
    );
    assert_eq!(pending.duration, "");
    let auto = state.table.row(&state.session, 3).expect("row 3");
    assert_eq!(auto.call, "auto");
    assert_eq!(auto.result, "120 recv calls, 1.2 MiB");
    assert_eq!(auto.origin, "auto");
    assert_eq!(auto.time, "4.000");
    // On screen too.
    for text in [
        "client",
        "ECONNREFUSED",
        "('127.0.0.1', 80)",
        "pending",
        "120 recv calls, 1.2 MiB",
        "4 rows",
    ] {
        assert!(shows(&harness, text), "{text} shown");
    }
    // The pending call returns: its row shows the result in place.
    let state = harness.state_mut();
    let mut feed = Feed {
        session: std::mem::take(&mut state.session),
        next_call: 100,
    };
    feed.finish(A, CallId(3), 3_500, 500, Outcome::Ok(Value::Bytes(5)), 5);
    harness.state_mut().session = feed.session;
    settle(&mut harness);
    assert!(shows(&harness, "5 bytes"));
    assert!(!shows(&harness, "pending"));
}

#[test]
fn clicking_duration_sorts_and_clicking_again_reverses() {
    let mut feed = Feed::new();
    feed.call(A, recv_call(1), 1_000, 300, Outcome::Ok(Value::Bytes(1)), 1);
    feed.call(A, recv_call(2), 2_000, 100, Outcome::Ok(Value::Bytes(1)), 1);
    feed.call(A, recv_call(3), 3_000, 200, Outcome::Ok(Value::Bytes(1)), 1);
    feed.start(A, recv_call(4), 4_000);
    let mut harness = table_harness(feed.session);
    assert_eq!(column_of(&harness, Column::Arguments), ["1", "2", "3", "4"]);

    harness.get_by_label("duration").click();
    settle(&mut harness);
    assert_eq!(harness.state().table.sort, Column::Duration);
    // Pending calls (no duration yet) last.
    assert_eq!(column_of(&harness, Column::Arguments), ["2", "3", "1", "4"]);
    assert!(shows(&harness, "duration ^"));

    harness.get_by_label("duration ^").click();
    settle(&mut harness);
    assert!(harness.state().table.descending);
    assert_eq!(column_of(&harness, Column::Arguments), ["4", "1", "3", "2"]);

    // The pending call returns quickly: it moves to its place.
    let state = harness.state_mut();
    let mut feed = Feed {
        session: std::mem::take(&mut state.session),
        next_call: 100,
    };
    feed.finish(A, CallId(4), 4_050, 50, Outcome::Ok(Value::Bytes(1)), 1);
    harness.state_mut().session = feed.session;
    settle(&mut harness);
    assert_eq!(column_of(&harness, Column::Arguments), ["1", "3", "2", "4"]);

    // Back to time order.
    harness.get_by_label("time").click();
    settle(&mut harness);
    assert_eq!(column_of(&harness, Column::Arguments), ["1", "2", "3", "4"]);
}

#[test]
fn the_filter_and_the_socket_choice_hide_rows() {
    let mut harness = table_harness(sample_feed().session);
    harness
        .get_by_label("Filter")
        .set_text_value_accesskit("econnrefused");
    settle(&mut harness);
    assert_eq!(column_of(&harness, Column::Call), ["connect"]);
    assert!(shows(&harness, "1 of 4 rows"));
    assert!(!shows(&harness, "b'hi'"));

    // By call name and by socket name.
    harness
        .get_by_label("Filter")
        .set_text_value_accesskit("SEND");
    settle(&mut harness);
    assert_eq!(column_of(&harness, Column::Call), ["send"]);
    harness
        .get_by_label("Filter")
        .set_text_value_accesskit("client");
    settle(&mut harness);
    assert_eq!(column_of(&harness, Column::Call), ["connect", "recv"]);

    // The socket choice.
    harness.get_by_label("Filter").set_text_value_accesskit("");
    harness.state_mut().table.socket = Some(B);
    settle(&mut harness);
    assert_eq!(column_of(&harness, Column::Call), ["send", "auto"]);
    assert!(!shows(&harness, "ECONNREFUSED"));

    // Only some sockets' rows (the stage shows a script's own).
    harness.state_mut().table.socket = None;
    harness.state_mut().table.show_only(Some(&[A]));
    settle(&mut harness);
    assert_eq!(column_of(&harness, Column::Call), ["connect", "recv"]);
    harness.state_mut().table.show_only(None);
    settle(&mut harness);
    assert_eq!(harness.state().table.row_count(), 4);
}

#[test]
fn csv_and_json_exports_quote_and_escape() {
    let mut feed = Feed::new();
    feed.call(
        A,
        Call::SendTo {
            data: b"a,\"b\n".to_vec(),
            addr: AddrArg::inet("127.0.0.1", 9),
        },
        1_500,
        20,
        Outcome::Ok(Value::Int(5)),
        5,
    );
    feed.call(A, Call::Close, 2_000_000, 7, Outcome::Ok(Value::None), 0);
    feed.start(B, recv_call(10), 3_000_000);
    let mut harness = table_harness(feed.session);
    let dir = tempfile::tempdir().expect("temp dir");

    let csv = dir.path().join("calls.csv");
    harness
        .get_by_label("Export to")
        .set_text_value_accesskit(&csv.to_string_lossy());
    harness.run_ok();
    harness.get_by_label("Export CSV").click();
    finish_export(&mut harness);
    assert_eq!(
        std::fs::read_to_string(&csv).expect("csv written"),
        "time_s,socket,call,arguments,result,duration_us,bytes,origin\n\
         0.001,tcp4 #1,sendto,\"b'a,\"\"b\\n', ('127.0.0.1', 9)\",5,20,5,user\n\
         2.000,tcp4 #1,close,,None,7,,user\n\
         3.000,tcp4 #2,recv,10,pending,,0,user\n"
    );
    assert!(shows(&harness, "Wrote 3 rows to"));

    let json = dir.path().join("calls.json");
    harness
        .get_by_label("Export to")
        .set_text_value_accesskit(&json.to_string_lossy());
    harness.run_ok();
    harness.get_by_label("Export JSON").click();
    finish_export(&mut harness);
    assert_eq!(
        std::fs::read_to_string(&json).expect("json written"),
        "[\n\
         {\"time_s\":0.001,\"socket\":\"tcp4 #1\",\"socket_id\":1,\"call\":\"sendto\",\
         \"arguments\":\"b'a,\\\"b\\\\n', ('127.0.0.1', 9)\",\"result\":\"5\",\
         \"duration_us\":20,\"bytes\":5,\"origin\":\"user\"},\n\
         {\"time_s\":2.000,\"socket\":\"tcp4 #1\",\"socket_id\":1,\"call\":\"close\",\
         \"arguments\":\"\",\"result\":\"None\",\"duration_us\":7,\"bytes\":null,\
         \"origin\":\"user\"},\n\
         {\"time_s\":3.000,\"socket\":\"tcp4 #2\",\"socket_id\":2,\"call\":\"recv\",\
         \"arguments\":\"10\",\"result\":\"pending\",\"duration_us\":null,\"bytes\":0,\
         \"origin\":\"user\"}\n]\n"
    );

    // The filter is respected.
    harness
        .get_by_label("Filter")
        .set_text_value_accesskit("close");
    harness
        .get_by_label("Export to")
        .set_text_value_accesskit(&csv.to_string_lossy());
    settle(&mut harness);
    harness.get_by_label("Export CSV").click();
    finish_export(&mut harness);
    let text = std::fs::read_to_string(&csv).expect("csv written");
    assert_eq!(text.lines().count(), 2);
    assert!(text.ends_with("2.000,tcp4 #1,close,,None,7,,user\n"));
    assert!(shows(&harness, "Wrote 1 rows to"));

    // A path that cannot be written: the error is shown in place.
    harness
        .get_by_label("Export to")
        .set_text_value_accesskit(&dir.path().join("no/such/dir/x.csv").to_string_lossy());
    harness.run_ok();
    harness.get_by_label("Export CSV").click();
    finish_export(&mut harness);
    assert!(shows(&harness, "Could not write"));
}

#[test]
fn a_million_rows_render_only_the_visible_ones_and_both_ends_are_reachable() {
    const ROWS: u64 = 1_000_000;
    let mut feed = Feed::with_limits(Limits {
        max_log_entries: ROWS as usize,
        ..Limits::default()
    });
    for n in 0..ROWS {
        feed.send(
            if n % 2 == 0 { A } else { B },
            n * 10,
            format!("row {n}").as_bytes(),
        );
    }
    assert_eq!(feed.session.log_len(), ROWS as usize);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1200.0, 600.0))
        .build_ui_state(
            |ui, state: &mut TableState| {
                let TableState { session, table } = state;
                table.ui(ui, session);
            },
            TableState {
                session: feed.session,
                table: {
                    let mut table = CallTable::new();
                    table.follow = false;
                    table
                },
            },
        );
    {
        let state = harness.state_mut();
        state.table.catch_up(&state.session);
    }
    harness.step();
    harness.step();
    assert_eq!(harness.state().table.row_count(), ROWS as usize);
    assert!(shows(&harness, "1000000 rows"));
    // Only the rows on screen are laid out.
    let laid_out = harness.query_all_by_label_contains("b'row ").count();
    assert!((5..100).contains(&laid_out), "{laid_out} rows laid out");
    assert!(harness.query_by_label("b'row 0'").is_some());

    harness.get_by_label("Bottom").click();
    harness.step();
    harness.step();
    harness.step();
    assert!(harness.query_by_label("b'row 999999'").is_some());
    assert!(harness.query_by_label("b'row 0'").is_none());
    assert!(harness.query_all_by_label_contains("b'row ").count() < 100);

    harness.get_by_label("Top").click();
    harness.step();
    harness.step();
    harness.step();
    assert!(harness.query_by_label("b'row 0'").is_some());

    // Reversed, the newest row is first.
    harness.state_mut().table.sort_by(Column::Time);
    harness.step();
    harness.step();
    assert!(harness.state().table.descending);
    assert!(harness.query_by_label("b'row 999999'").is_some());
}

#[test]
fn rows_dropped_by_the_memory_cap_leave_the_table() {
    let mut feed = Feed::with_limits(Limits {
        max_log_entries: 10,
        ..Limits::default()
    });
    for n in 0..10 {
        feed.send(A, n * 1_000, format!("first {n}").as_bytes());
    }
    let mut harness = table_harness(feed.session);
    assert_eq!(harness.state().table.row_count(), 10);
    let state = harness.state_mut();
    let mut feed = Feed {
        session: std::mem::take(&mut state.session),
        next_call: 100,
    };
    for n in 0..4 {
        feed.send(A, 100_000 + n * 1_000, format!("then {n}").as_bytes());
    }
    harness.state_mut().session = feed.session;
    settle(&mut harness);
    let args = column_of(&harness, Column::Arguments);
    assert_eq!(args.len(), 10);
    assert_eq!(args.first().map(String::as_str), Some("b'first 4'"));
    assert_eq!(args.last().map(String::as_str), Some("b'then 3'"));
    assert!(shows(&harness, "4 oldest dropped (memory cap)"));
}

#[test]
fn throughput_counts_sends_per_second_from_the_log() {
    let mut feed = Feed::new();
    // Second 0: 4 sends of 250 bytes; second 1: 2 of 100; second 2: 1 of 1,000.
    for n in 0..4 {
        feed.send(A, n * 200_000, &[b'x'; 250]);
    }
    for n in 0..2 {
        feed.send(A, 1_100_000 + n * 300_000, &[b'y'; 100]);
    }
    feed.send(A, 2_500_000, &[b'z'; 1_000]);
    // A recv still pending counts only once it returns.
    let pending = feed.start(B, recv_call(4096), 2_600_000);
    // The session counts as it applies events; the view only reads.
    let view = ThroughputView::new();
    let per_second = |session: &Session, socket, direction| -> Vec<f64> {
        view.rates(session, socket, direction, 3_000_000)
            .into_iter()
            .map(|[_, rate]| rate)
            .collect()
    };
    assert_eq!(
        per_second(&feed.session, A, Direction::Out),
        [1_000.0, 200.0, 1_000.0]
    );
    assert_eq!(per_second(&feed.session, A, Direction::In), [0.0, 0.0, 0.0]);
    assert_eq!(per_second(&feed.session, B, Direction::In), [0.0, 0.0, 0.0]);
    // Times are the bucket starts in seconds since the start.
    let times: Vec<f64> = view
        .rates(&feed.session, A, Direction::Out, 3_000_000)
        .into_iter()
        .map(|[t, _]| t)
        .collect();
    assert_eq!(times, [0.0, 1.0, 2.0]);

    feed.finish(
        B,
        pending,
        2_900_000,
        300_000,
        Outcome::Ok(Value::Bytes(64)),
        64,
    );
    // An automatic period of 2 s moving 4,000 bytes in: 2,000 per second.
    feed.session.apply(Event::Auto(AutoSummary {
        socket: B,
        from_us: 1_000_000,
        to_us: 3_000_000,
        recv_calls: 10,
        recv_bytes: 4_000,
        ..AutoSummary::default()
    }));
    assert_eq!(
        per_second(&feed.session, B, Direction::In),
        [0.0, 2_000.0, 2_064.0]
    );
    // Nothing is counted twice, however often it is read.
    assert_eq!(per_second(&feed.session, B, Direction::In)[1], 2_000.0);
    assert_eq!(
        per_second(&feed.session, A, Direction::Out),
        [1_000.0, 200.0, 1_000.0]
    );

    // The plot draws (with a legend) in a window.
    let mut harness = Harness::builder()
        .with_size(egui::vec2(900.0, 500.0))
        .build_ui_state(
            |ui, state: &mut (Session, ThroughputView)| {
                let (session, view) = state;
                view.ui(ui, session, 3_000_000);
            },
            (feed.session, ThroughputView::new()),
        );
    harness.run_steps(2);
    assert!(shows(&harness, "tcp4 #1"));
    assert!(shows(&harness, "all sockets"));
    harness.get_by_label("250 ms").click();
    harness.run_steps(2);
    assert_eq!(
        harness.state().1.bucket,
        socket_workbench::ui::BucketSize::QuarterSecond
    );
}

#[test]
fn a_call_returning_before_its_row_is_merged_is_shown_once() {
    // Big enough that merges are throttled; sorted by bytes, so a new row does not simply go
    // at the end.
    let mut feed = Feed::new();
    for n in 0..60_000 {
        feed.send(A, n * 10, b"0123456789");
    }
    let mut harness = table_harness(feed.session);
    harness.state_mut().table.sort = Column::Bytes;
    {
        let state = harness.state_mut();
        state.table.catch_up(&state.session);
    }
    let recv = {
        let state = harness.state_mut();
        let mut feed = Feed {
            session: std::mem::take(&mut state.session),
            next_call: 100_000,
        };
        // A merge now (so the next one waits)...
        feed.send(A, 650_000, b"x");
        state.session = feed.session;
        state.table.catch_up(&state.session);
        // ...and a recv that waits in the index's new rows.
        let mut feed = Feed {
            session: std::mem::take(&mut state.session),
            next_call: 100_010,
        };
        let recv = feed.start(B, recv_call(64), 700_000);
        state.session = feed.session;
        recv
    };
    harness.step();
    {
        let state = harness.state_mut();
        let mut feed = Feed {
            session: std::mem::take(&mut state.session),
            next_call: 100_020,
        };
        feed.finish(B, recv, 700_100, 100, Outcome::Ok(Value::Bytes(3)), 3);
        state.session = feed.session;
    }
    harness.step();
    settle(&mut harness);
    let state = harness.state();
    assert_eq!(state.table.row_count(), 60_002);
    // The send of 1 byte, then the recv of 3, first when sorted by bytes.
    let first = state.table.row(&state.session, 0).expect("row 0");
    assert_eq!(first.bytes, "1");
    let second = state.table.row(&state.session, 1).expect("row 1");
    assert_eq!((second.call.as_str(), second.bytes.as_str()), ("recv", "3"));
}

/// A big export is written over many frames while the table keeps drawing; Cancel leaves no
/// partial file and an older file intact; rows the memory cap drops meanwhile are counted, not
/// silently lost.
#[test]
fn a_big_export_runs_over_frames_can_be_cancelled_and_counts_dropped_rows() {
    const ROWS: u64 = 100_000;
    let mut feed = Feed::with_limits(Limits {
        max_log_entries: ROWS as usize,
        ..Limits::default()
    });
    for n in 0..ROWS {
        feed.send(A, n * 100, b"x");
    }
    let mut harness = table_harness(feed.session);
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("big.csv");
    harness
        .get_by_label("Export to")
        .set_text_value_accesskit(&csv.to_string_lossy());
    harness.run_ok();

    // Started, then cancelled part way: an older file at that path stays as it was.
    std::fs::write(&csv, "older file\n").expect("older file");
    harness.get_by_label("Export CSV").click();
    let (done, total) = first_rows_written(&mut harness);
    assert_eq!(total, ROWS as usize);
    assert!(done < total, "{done} of {total} in the first frames");
    assert!(shows(&harness, "Exporting:"));
    assert!(
        harness
            .get_by_label("Export CSV")
            .accesskit_node()
            .is_disabled()
    );
    harness.get_by_label("Cancel export").click();
    harness.step();
    harness.step();
    assert!(!harness.state().table.export_running());
    assert!(shows(&harness, "Export cancelled"));
    let deadline = Instant::now() + Duration::from_secs(5);
    while std::fs::read_dir(dir.path()).expect("dir").count() > 1 {
        assert!(
            Instant::now() < deadline,
            "the partial file was not removed"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(
        std::fs::read_to_string(&csv).expect("older file"),
        "older file\n"
    );

    // Again, newest first; while it runs, 1,000 new calls push the 1,000 oldest rows out of
    // the session before the export reaches them.
    harness.state_mut().table.descending = true;
    harness.get_by_label("Export CSV").click();
    let (done, _) = first_rows_written(&mut harness);
    assert!(done < ROWS as usize - 1_000, "{done} rows already written");
    let state = harness.state_mut();
    let mut feed = Feed {
        session: std::mem::take(&mut state.session),
        next_call: ROWS + 1,
    };
    for n in 0..1_000 {
        feed.send(B, ROWS * 100 + n, b"y");
    }
    harness.state_mut().session = feed.session;
    finish_export(&mut harness);
    let text = std::fs::read_to_string(&csv).expect("csv written");
    let lines = text.lines().count() - 1;
    let missing = ROWS as usize - lines;
    assert_eq!(missing, 1_000, "the rows dropped before they were written");
    assert!(
        text.lines()
            .skip(1)
            .all(|line| line.contains(",tcp4 #1,send,b'x',")),
        "only the rows chosen when the export started"
    );
    assert!(shows(
        &harness,
        &format!("Wrote {lines} rows to {}", csv.to_string_lossy())
    ));
    assert!(shows(
        &harness,
        &format!("({missing} rows were dropped by the memory cap")
    ));
}

/// New rows merged into a big index (a merge there goes on over several frames; the bench
/// measures that): the rows shown only grow while it goes on, and at the end every row is
/// there once, in order.
#[test]
fn a_merge_into_a_big_index_only_adds_rows_and_loses_nothing() {
    let mut feed = Feed::with_limits(Limits {
        max_log_entries: 300_000,
        ..Limits::default()
    });
    for n in 0..200_000u64 {
        feed.send(A, n * 10, &vec![b'x'; 1 + (n % 50) as usize]);
    }
    let mut harness = table_harness(feed.session);
    harness.state_mut().table.sort = Column::Bytes;
    {
        let state = harness.state_mut();
        state.table.catch_up(&state.session);
    }
    assert_eq!(harness.state().table.row_count(), 200_000);
    {
        let state = harness.state_mut();
        let mut feed = Feed {
            session: std::mem::take(&mut state.session),
            next_call: 300_000,
        };
        for n in 0..50_000u64 {
            feed.send(B, 3_000_000 + n * 10, &vec![b'y'; 1 + (n % 70) as usize]);
        }
        state.session = feed.session;
    }
    // Rows shown only ever grow (new ones join as merges finish; none is shown twice or lost
    // for a frame), up to all of them.
    let mut shown = harness.state().table.row_count();
    for _ in 0..2_000 {
        harness.step();
        let now = harness.state().table.row_count();
        assert!(now >= shown && now <= 250_000, "{shown} then {now}");
        shown = now;
        if now == 250_000 {
            break;
        }
    }
    assert_eq!(shown, 250_000, "never merged");
    settle(&mut harness);
    let state = harness.state();
    assert_eq!(state.table.row_count(), 250_000);
    let mut positions = std::collections::HashSet::new();
    let mut last_bytes = 0u64;
    for n in (0..250_000).step_by(997) {
        let row = state.table.row(&state.session, n).expect("row");
        let bytes: u64 = row.bytes.parse().expect("a byte count");
        assert!(bytes >= last_bytes, "row {n}: {bytes} after {last_bytes}");
        last_bytes = bytes;
    }
    for n in 0..250_000 {
        assert!(positions.insert(state.table.row_position(n).expect("position")));
    }
}

/// A socket's automatic entries beyond its share leave the log; the table says how many.
#[test]
fn automatic_entries_let_go_are_counted_under_the_table() {
    let mut session = Session::default();
    session.apply(Event::Opened(socket_workbench::engine::SocketInfo {
        socket: A,
        family: socket_workbench::engine::Family::Ipv4,
        sock_type: socket_workbench::engine::SockType::Stream,
        parent: None,
        at_us: 0,
    }));
    let total = 3_000;
    for n in 0..total {
        session.apply(Event::Auto(AutoSummary {
            socket: A,
            from_us: 1_000 + n,
            to_us: 1_001 + n,
            recv_calls: 1,
            ..AutoSummary::default()
        }));
    }
    let let_go = session.dropped_auto_entries();
    assert!(let_go > 0);
    let mut harness = table_harness(session);
    settle(&mut harness);
    assert!(
        shows(
            &harness,
            &format!("{let_go} older automatic entries let go (a socket keeps its newest 256)")
        ),
        "the footer counts them"
    );
}
