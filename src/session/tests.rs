//! Session tests: events made by hand, no threads.

use super::*;
use crate::engine::AddrArg;
use crate::engine::RecvFlags;
use crate::engine::Value;
use crate::engine::address::at;
use crate::engine::event::CancelReason;

fn open(id: u32, family: Family, sock_type: SockType, parent: Option<u32>) -> Event {
    Event::Opened(SocketInfo {
        socket: SocketId(id),
        family,
        sock_type,
        parent: parent.map(SocketId),
        at_us: 10,
    })
}

fn tcp(id: u32) -> Event {
    open(id, Family::Ipv4, SockType::Stream, None)
}

fn start(socket: u32, call_id: u64, call: Call, at_us: u64) -> Event {
    Event::Started(Started {
        socket: SocketId(socket),
        call_id: CallId(call_id),
        at_us,
        call,
        origin: Origin::User,
    })
}

fn ret(socket: u32, call_id: u64, at_us: u64, duration_us: u64, outcome: Outcome) -> Returned {
    Returned {
        socket: SocketId(socket),
        call_id: CallId(call_id),
        at_us,
        duration_us,
        outcome,
        bytes_moved: 0,
        data: None,
        from: None,
        truncated_from: None,
        woken_by: WokenBy::NoWait,
        context: None,
    }
}

fn recv_ret(socket: u32, call_id: u64, at_us: u64, data: &[u8]) -> Event {
    Event::Returned(Returned {
        bytes_moved: data.len(),
        data: Some(data.to_vec()),
        outcome: Outcome::Ok(Value::Bytes(data.len())),
        woken_by: WokenBy::Readable,
        ..ret(socket, call_id, at_us, 5, Outcome::Ok(Value::None))
    })
}

fn state(socket: u32, at_us: u64, lifecycle: Lifecycle, local: Option<&str>) -> Event {
    Event::State(StateChange {
        socket: SocketId(socket),
        at_us,
        state: lifecycle,
        mode: Mode::Blocking,
        local: local.map(at),
        peer: None,
    })
}

fn recv_call() -> Call {
    Call::Recv {
        bufsize: 1024,
        flags: RecvFlags::default(),
    }
}

#[test]
fn opened_socket_has_default_name_and_created_state() {
    let mut session = Session::default();
    session.apply(tcp(3));
    session.apply(open(4, Family::Ipv6, SockType::Datagram, None));
    let view = session.socket(SocketId(3)).expect("socket 3");
    assert_eq!(view.name, "tcp4 #3");
    assert_eq!(view.state, Lifecycle::Created);
    assert!(!view.closed);
    assert_eq!(
        session.socket(SocketId(4)).map(|v| v.name.as_str()),
        Some("udp6 #4")
    );
    let ids: Vec<u32> = session.sockets().map(|view| view.id.0).collect();
    assert_eq!(ids, vec![3, 4]);
    assert_eq!(session.stats().sockets_open, 2);
}

#[test]
fn bind_then_listen_changes_state_and_records_results() {
    let mut session = Session::default();
    session.apply(tcp(1));
    session.apply(start(1, 1, Call::Bind(AddrArg::inet("127.0.0.1", 0)), 100));
    assert_eq!(session.stats().calls_pending, 1);
    assert!(session.call(CallId(1)).expect("record").is_pending());
    // The socket thread reports the state before the return.
    session.apply(state(1, 150, Lifecycle::Bound, Some("127.0.0.1:40000")));
    session.apply(Event::Returned(ret(
        1,
        1,
        160,
        60,
        Outcome::Ok(Value::None),
    )));
    let view = session.socket(SocketId(1)).expect("socket");
    assert_eq!(view.state, Lifecycle::Bound);
    assert_eq!(view.local, Some(at("127.0.0.1:40000")));
    assert!(view.pending.is_empty());
    assert_eq!(
        view.last_result(CallKind::Bind).map(|r| &r.outcome),
        Some(&Outcome::Ok(Value::None))
    );
    let record = session.call(CallId(1)).expect("record");
    assert_eq!(record.returned_us, Some(160));
    assert_eq!(record.duration_us, Some(60));
    assert_eq!(session.stats().calls_pending, 0);

    session.apply(start(1, 2, Call::Listen { backlog: 5 }, 200));
    session.apply(state(1, 210, Lifecycle::Listening, Some("127.0.0.1:40000")));
    session.apply(Event::Returned(ret(
        1,
        2,
        220,
        20,
        Outcome::Ok(Value::None),
    )));
    assert_eq!(
        session.socket(SocketId(1)).map(|v| v.state),
        Some(Lifecycle::Listening)
    );
}

#[test]
fn pending_recv_is_listed_then_returns_with_a_chunk() {
    let mut session = Session::default();
    session.apply(tcp(1));
    session.apply(start(1, 7, recv_call(), 1_000));
    let view = session.socket(SocketId(1)).expect("socket");
    let blocked = view.blocked_in().expect("pending");
    assert_eq!(blocked.call_id, CallId(7));
    assert_eq!(blocked.started_us, 1_000);
    assert_eq!(blocked.call.name(), "recv");

    session.apply(recv_ret(1, 7, 3_201_000, b"hello"));
    let view = session.socket(SocketId(1)).expect("socket");
    assert!(view.blocked_in().is_none());
    assert_eq!(view.counters.bytes_in, 5);
    assert_eq!(view.counters.recv_calls, 1);
    let chunks: Vec<&Chunk> = session.socket_chunks(SocketId(1)).collect();
    assert_eq!(chunks.len(), 1);
    assert_eq!(chunks[0].data, b"hello");
    assert_eq!(chunks[0].kind, ChunkKind::Data);
    assert_eq!(chunks[0].call_id, Some(CallId(7)));
    let record = session.call(CallId(7)).expect("record");
    assert_eq!(record.data_len, Some(5));
    assert_eq!(record.woken_by, Some(WokenBy::Readable));
    assert_eq!(session.stats().bytes_in, 5);
}

#[test]
fn recv_of_zero_bytes_is_an_eof_marker() {
    let mut session = Session::default();
    session.apply(tcp(1));
    session.apply(start(1, 1, recv_call(), 10));
    session.apply(state(1, 19, Lifecycle::PeerClosed, None));
    session.apply(recv_ret(1, 1, 20, b""));
    let chunks: Vec<&Chunk> = session.chunks().collect();
    assert_eq!(chunks.len(), 1);
    assert_eq!(chunks[0].kind, ChunkKind::Eof);
    assert_eq!(
        session.socket(SocketId(1)).map(|v| v.state),
        Some(Lifecycle::PeerClosed)
    );
}

#[test]
fn send_counts_bytes_out_including_partial_failure() {
    let mut session = Session::default();
    session.apply(tcp(1));
    session.apply(start(
        1,
        1,
        Call::Send {
            data: b"abc".to_vec(),
        },
        10,
    ));
    session.apply(Event::Returned(Returned {
        bytes_moved: 3,
        ..ret(1, 1, 20, 10, Outcome::Ok(Value::Int(3)))
    }));
    session.apply(start(1, 2, Call::SendAll { data: vec![0; 100] }, 30));
    session.apply(Event::Returned(Returned {
        bytes_moved: 40,
        ..ret(1, 2, 40, 10, Outcome::Errno(libc::EPIPE))
    }));
    let view = session.socket(SocketId(1)).expect("socket");
    assert_eq!(view.counters.bytes_out, 43);
    assert_eq!(view.counters.send_calls, 2);
    assert_eq!(session.stats().bytes_out, 43);
    assert_eq!(
        view.last_result(CallKind::SendAll).map(|r| &r.outcome),
        Some(&Outcome::Errno(libc::EPIPE))
    );
}

#[test]
fn cancelled_call_is_no_longer_pending() {
    let mut session = Session::default();
    session.apply(tcp(1));
    session.apply(start(1, 1, Call::Accept, 10));
    session.apply(Event::Returned(ret(
        1,
        1,
        500,
        490,
        Outcome::Cancelled(CancelReason::User),
    )));
    assert_eq!(session.stats().calls_pending, 0);
    assert_eq!(
        session.call(CallId(1)).and_then(|r| r.outcome.clone()),
        Some(Outcome::Cancelled(CancelReason::User))
    );
}

#[test]
fn accepted_child_hangs_under_its_listener() {
    let mut session = Session::default();
    session.apply(tcp(1));
    session.apply(tcp(2));
    session.apply(start(1, 1, Call::Accept, 10));
    session.apply(open(3, Family::Ipv4, SockType::Stream, Some(1)));
    session.apply(Event::Returned(ret(
        1,
        1,
        20,
        10,
        Outcome::Ok(Value::Accepted {
            child: SocketId(3),
            peer: at("127.0.0.1:5555"),
        }),
    )));
    let listener = session.socket(SocketId(1)).expect("listener");
    assert_eq!(listener.children, vec![SocketId(3)]);
    let child = session.socket(SocketId(3)).expect("child");
    assert_eq!(child.parent, Some(SocketId(1)));
    assert_eq!(child.state, Lifecycle::Connected);
    let roots: Vec<u32> = session.root_sockets().map(|v| v.id.0).collect();
    assert_eq!(roots, vec![1, 2]);
}

/// The tree order kept between frames follows sockets that come, close and go, whether or
/// not the indexes were brought up to date since.
#[test]
fn the_tree_order_follows_sockets_that_come_close_and_go() {
    let rows = |session: &Session| -> Vec<(u32, usize, bool)> {
        session
            .tree_order()
            .iter()
            .map(|row| (row.id.0, row.depth, row.closed))
            .collect()
    };
    let mut session = Session::default();
    session.apply(tcp(1));
    session.apply(tcp(2));
    session.apply(open(3, Family::Ipv4, SockType::Stream, Some(1)));
    let expected = vec![(1, 0, false), (3, 1, false), (2, 0, false)];
    assert_eq!(rows(&session), expected, "before the indexes are updated");
    session.update_indexes();
    assert_eq!(rows(&session), expected, "kept");

    session.apply(state(3, 40, Lifecycle::Closed, None));
    let closed = vec![(1, 0, false), (3, 1, true), (2, 0, false)];
    assert_eq!(rows(&session), closed, "a close is seen at once");
    session.update_indexes();
    assert_eq!(rows(&session), closed);

    session.apply(open(4, Family::Ipv4, SockType::Stream, Some(1)));
    session.update_indexes();
    assert_eq!(
        rows(&session),
        vec![(1, 0, false), (3, 1, true), (4, 1, false), (2, 0, false)]
    );
}

#[test]
fn rename_sets_and_restores_the_name() {
    let mut session = Session::default();
    session.apply(tcp(1));
    assert!(session.rename(SocketId(1), "server"));
    assert_eq!(
        session.socket(SocketId(1)).map(|v| v.name.as_str()),
        Some("server")
    );
    assert!(session.rename(SocketId(1), "  "));
    assert_eq!(
        session.socket(SocketId(1)).map(|v| v.name.as_str()),
        Some("tcp4 #1")
    );
    assert!(!session.rename(SocketId(9), "nothing"));
}

#[test]
fn close_and_thread_end_mark_the_socket_closed() {
    let mut session = Session::default();
    session.apply(tcp(1));
    session.apply(tcp(2));
    session.apply(start(1, 1, Call::Close, 10));
    session.apply(state(1, 11, Lifecycle::Closed, None));
    session.apply(Event::Returned(ret(1, 1, 12, 2, Outcome::Ok(Value::None))));
    assert!(session.socket(SocketId(1)).is_some_and(|v| v.closed));
    assert_eq!(session.stats().sockets_open, 1);

    session.apply(start(2, 2, recv_call(), 20));
    session.apply(Event::ThreadEnded {
        socket: SocketId(2),
        at_us: 30,
    });
    let view = session.socket(SocketId(2)).expect("socket");
    assert!(view.closed && view.thread_ended);
    assert_eq!(session.stats().calls_pending, 0);
    assert_eq!(session.stats().sockets_open, 0);
}

#[test]
fn send_payloads_in_the_log_are_capped_too() {
    let mut session = Session::new(Limits {
        max_log_payload_bytes: 100_000,
        ..Limits::default()
    });
    session.apply(tcp(1));
    // A flood's individual sends: 256 KiB... here 10 KB each, 50 of them.
    for n in 0..50u64 {
        let data = vec![b'x'; 10_000];
        session.apply(start(1, n, Call::Send { data }, n * 10));
        let mut returned = ret(1, n, n * 10 + 5, 5, Outcome::Ok(Value::Int(10_000)));
        returned.bytes_moved = 10_000;
        session.apply(Event::Returned(returned));
    }
    let stats = session.stats();
    assert!(stats.log_payload_bytes <= 100_000, "{stats:?}");
    assert_eq!(stats.log_entries, 10);
    assert_eq!(stats.dropped_log_entries, 40);
    // The newest are the ones kept, with their bytes exact.
    let newest = session.log().last().expect("an entry");
    assert!(matches!(newest, LogEntry::Call(record)
        if record.call_id == CallId(49) && payload_len(&record.call) == 10_000));
    assert_eq!(
        session.socket(SocketId(1)).map(|v| v.counters.bytes_out),
        Some(500_000)
    );
}

#[test]
fn log_cap_drops_oldest_and_counts_them() {
    let mut session = Session::new(Limits {
        max_log_entries: 3,
        max_retained_bytes: 1 << 20,
        ..Limits::default()
    });
    session.apply(tcp(1));
    for id in 1..=5 {
        session.apply(start(1, id, Call::GetSockName, id * 10));
        session.apply(Event::Returned(ret(
            1,
            id,
            id * 10 + 1,
            1,
            Outcome::Ok(Value::Address(at("127.0.0.1:1"))),
        )));
    }
    assert_eq!(session.log_len(), 3);
    assert_eq!(session.dropped_log_entries(), 2);
    assert!(session.call(CallId(1)).is_none());
    assert!(session.call(CallId(2)).is_none());
    for id in 3..=5 {
        assert!(session.call(CallId(id)).is_some_and(|r| !r.is_pending()));
    }
    let first = session.log_entry(0).expect("oldest retained");
    assert!(matches!(first, LogEntry::Call(r) if r.call_id == CallId(3)));
    assert_eq!(session.stats().dropped_log_entries, 2);
}

#[test]
fn a_pending_call_pushed_out_of_the_log_comes_back_when_it_returns() {
    let mut session = Session::new(Limits {
        max_log_entries: 2,
        max_retained_bytes: 1 << 20,
        ..Limits::default()
    });
    session.apply(tcp(1));
    session.apply(start(1, 1, recv_call(), 10));
    session.apply(start(1, 2, Call::GetSockName, 20));
    session.apply(start(1, 3, Call::GetPeerName, 30));
    assert!(session.call(CallId(1)).is_none());
    session.apply(recv_ret(1, 1, 40, b"late"));
    let record = session.call(CallId(1)).expect("record made again");
    assert_eq!(record.started_us, 10);
    assert_eq!(record.data_len, Some(4));
    assert_eq!(session.log_len(), 2);
    assert_eq!(
        session.socket(SocketId(1)).map(|v| v.counters.bytes_in),
        Some(4)
    );
}

#[test]
fn byte_cap_drops_oldest_chunks_across_sockets_and_totals_stay_exact() {
    let mut session = Session::new(Limits {
        max_log_entries: 1_000,
        max_retained_bytes: 10,
        ..Limits::default()
    });
    session.apply(tcp(1));
    session.apply(tcp(2));
    let mut call_id = 0;
    for (socket, data) in [(1, &b"aaaa"[..]), (2, b"bbbb"), (1, b"cccc"), (2, b"dddd")] {
        call_id += 1;
        session.apply(start(socket, call_id, recv_call(), call_id * 10));
        session.apply(recv_ret(socket, call_id, call_id * 10 + 1, data));
    }
    let kept: Vec<&[u8]> = session.chunks().map(|c| c.data.as_slice()).collect();
    assert_eq!(kept, vec![&b"cccc"[..], b"dddd"]);
    let stats = session.stats();
    assert_eq!(stats.dropped_bytes, 8);
    assert_eq!(stats.dropped_chunks, 2);
    assert_eq!(stats.retained_bytes, 8);
    assert_eq!(stats.bytes_in, 16);
    assert_eq!(
        session.socket(SocketId(1)).map(|v| v.counters.bytes_in),
        Some(8)
    );
    let on_one: Vec<&[u8]> = session
        .socket_chunks(SocketId(1))
        .map(|c| c.data.as_slice())
        .collect();
    assert_eq!(on_one, vec![&b"cccc"[..]]);
}

#[test]
fn the_newest_chunk_is_kept_even_when_larger_than_the_cap() {
    let mut session = Session::new(Limits {
        max_log_entries: 1_000,
        max_retained_bytes: 4,
        ..Limits::default()
    });
    session.apply(tcp(1));
    session.apply(start(1, 1, recv_call(), 10));
    session.apply(recv_ret(1, 1, 11, b"ab"));
    session.apply(start(1, 2, recv_call(), 20));
    session.apply(recv_ret(1, 2, 21, b"0123456789"));
    let kept: Vec<&[u8]> = session.chunks().map(|c| c.data.as_slice()).collect();
    assert_eq!(kept, vec![&b"0123456789"[..]]);
    assert_eq!(session.dropped_bytes(), 2);
}

#[test]
fn auto_summary_counts_and_keeps_its_sample() {
    let mut session = Session::default();
    session.apply(tcp(1));
    session.apply(Event::Auto(AutoSummary {
        socket: SocketId(1),
        from_us: 100,
        to_us: 200,
        recv_calls: 10,
        recv_bytes: 10_000,
        send_calls: 10,
        send_bytes: 10_000,
        sample: b"abc".to_vec(),
        errors: 0,
    }));
    let view = session.socket(SocketId(1)).expect("socket");
    assert_eq!(view.counters.bytes_in, 10_000);
    assert_eq!(view.counters.bytes_out, 10_000);
    assert_eq!(view.counters.recv_calls, 10);
    let chunk = view.chunks.front().expect("sample");
    assert_eq!(
        chunk.kind,
        ChunkKind::AutoSample {
            recv_calls: 10,
            recv_bytes: 10_000
        }
    );
    assert_eq!(chunk.size(), 10_000);
    assert!(matches!(session.log_entry(0), Some(LogEntry::Auto(_))));
    assert_eq!(session.stats().bytes_in, 10_000);
}

#[test]
fn a_flood_of_summaries_keeps_samples_only_under_the_byte_cap() {
    let mut session = Session::new(Limits {
        max_log_entries: 1_000,
        max_retained_bytes: 16 * 1024,
        ..Limits::default()
    });
    session.apply(tcp(1));
    for n in 0..500u64 {
        session.apply(Event::Auto(AutoSummary {
            socket: SocketId(1),
            from_us: n * 10,
            to_us: n * 10 + 5,
            recv_calls: 2,
            recv_bytes: 8192,
            send_calls: 0,
            send_bytes: 0,
            sample: vec![b'x'; 4096],
            errors: 0,
        }));
    }
    let stats = session.stats();
    assert_eq!(stats.log_entries, 500);
    assert!(stats.retained_bytes <= 16 * 1024, "{stats:?}");
    // The log holds the counts; the bytes live (and are dropped) with the chunks only.
    let sample_bytes: usize = session
        .log()
        .map(|entry| match entry {
            LogEntry::Auto(summary) => summary.sample.len(),
            LogEntry::Call(_) => 0,
        })
        .sum();
    assert_eq!(sample_bytes, 0);
    assert_eq!(stats.bytes_in, 500 * 8192);
}

#[test]
fn recvfrom_chunk_keeps_source_and_truncation() {
    let mut session = Session::default();
    session.apply(open(1, Family::Ipv4, SockType::Datagram, None));
    session.apply(start(
        1,
        1,
        Call::RecvFrom {
            bufsize: 4,
            flags: RecvFlags::default(),
        },
        10,
    ));
    session.apply(Event::Returned(Returned {
        bytes_moved: 4,
        data: Some(b"0123".to_vec()),
        from: Some(at("127.0.0.1:9999")),
        truncated_from: Some(10),
        ..ret(1, 1, 20, 10, Outcome::Ok(Value::Bytes(4)))
    }));
    let chunk = session.chunks().next().expect("chunk");
    assert_eq!(chunk.from, Some(at("127.0.0.1:9999")));
    assert_eq!(chunk.truncated_from, Some(10));
}

#[test]
fn kernel_snapshot_is_kept() {
    let mut session = Session::default();
    session.apply(tcp(1));
    let snapshot = KernelSnapshot {
        available: true,
        rx_queue: Some(5),
        ..KernelSnapshot::default()
    };
    session.apply(Event::Kernel {
        socket: SocketId(1),
        at_us: 42,
        snapshot: snapshot.clone(),
    });
    assert_eq!(
        session
            .socket(SocketId(1))
            .and_then(|v| v.kernel.as_deref().cloned()),
        Some((42, snapshot))
    );
}

#[test]
fn escape_bytes_shows_controls_escaped() {
    assert_eq!(escape_bytes(b"hi\r\n\x1b[2J\x00"), "hi\\r\\n\\x1b[2J\\x00");
    assert_eq!(escape_bytes("你好".as_bytes()), "你好");
    assert_eq!(escape_bytes(b"\xff\xfe"), "\\xff\\xfe");
}

#[test]
fn clear_chunks_forgets_one_sockets_chunks_and_frees_their_bytes() {
    let mut session = Session::new(Limits {
        max_log_entries: 1_000,
        max_retained_bytes: 12,
        ..Limits::default()
    });
    session.apply(tcp(1));
    session.apply(tcp(2));
    let mut call_id = 0;
    for (socket, data) in [(1, &b"aaaa"[..]), (2, b"bbbb"), (1, b"cccc")] {
        call_id += 1;
        session.apply(start(socket, call_id, recv_call(), call_id * 10));
        session.apply(recv_ret(socket, call_id, call_id * 10 + 1, data));
    }
    assert_eq!(session.stats().retained_bytes, 12);
    session.clear_chunks(SocketId(1));
    let view = session.socket(SocketId(1)).expect("socket 1");
    assert!(view.chunks.is_empty());
    assert_eq!(view.counters.chunks, 2);
    assert_eq!(view.counters.cleared_chunks, 2);
    assert_eq!(view.counters.bytes_in, 8);
    let stats = session.stats();
    assert_eq!(stats.retained_bytes, 4);
    assert_eq!(stats.dropped_chunks, 0);
    let kept: Vec<&[u8]> = session.chunks().map(|c| c.data.as_slice()).collect();
    assert_eq!(kept, vec![&b"bbbb"[..]]);
    // The freed room is used again before anything is dropped.
    for data in [&b"dddd"[..], b"eeee"] {
        call_id += 1;
        session.apply(start(1, call_id, recv_call(), call_id * 10));
        session.apply(recv_ret(1, call_id, call_id * 10 + 1, data));
    }
    assert_eq!(session.stats().retained_bytes, 12);
    assert_eq!(session.stats().dropped_chunks, 0);
    // Clearing an unknown socket or an empty one changes nothing.
    session.clear_chunks(SocketId(9));
    session.clear_chunks(SocketId(2));
    session.clear_chunks(SocketId(2));
    assert_eq!(session.stats().retained_bytes, 8);
}

#[test]
fn addresses_a_socket_had_are_remembered_after_it_closes() {
    let mut session = Session::default();
    session.apply(tcp(1));
    session.apply(state(1, 10, Lifecycle::Bound, Some("0.0.0.0:0")));
    session.apply(state(1, 20, Lifecycle::Bound, Some("127.0.0.1:5000")));
    session.apply(state(1, 30, Lifecycle::Closed, None));
    let seen = session.addresses_seen();
    assert!(seen.contains(&at("127.0.0.1:5000")));
    // A wildcard with port 0 names no endpoint: not ours to claim.
    assert!(!seen.contains(&at("0.0.0.0:0")));
    assert_eq!(seen.len(), 1);
}

#[test]
fn frames_the_capture_lost_are_added_up_with_when() {
    use crate::engine::WireReport;
    let mut session = Session::new(Limits::default());
    session.apply(Event::Wire(WireReport::Started {
        at_us: 5,
        private_network: true,
    }));
    assert!(session.wire().is_on());
    assert_eq!(session.wire().lost_frames(), 0);
    assert_eq!(session.wire().last_lost_us(), None);
    session.apply(Event::Wire(WireReport::Lost {
        at_us: 100,
        frames: 7,
    }));
    session.apply(Event::Wire(WireReport::Lost {
        at_us: 250,
        frames: 3,
    }));
    assert_eq!(session.wire().lost_frames(), 10);
    assert_eq!(session.wire().last_lost_us(), Some(250));
    assert!(matches!(
        session.wire().state,
        crate::session::wire::WireState::On {
            private_network: true,
            ..
        }
    ));
}

fn ended(socket: u32, at_us: u64) -> Event {
    Event::ThreadEnded {
        socket: SocketId(socket),
        at_us,
    }
}

#[test]
fn the_oldest_closed_sockets_beyond_the_cap_are_forgotten_and_counted_never_an_open_one() {
    let mut session = Session::new(Limits {
        max_closed_sockets: 2,
        ..Limits::default()
    });
    for id in 1..=5 {
        session.apply(tcp(id));
        session.apply(start(id, u64::from(id), recv_call(), 20));
        session.apply(recv_ret(id, u64::from(id), 30, b"hello"));
    }
    assert_eq!(session.stats().retained_bytes, 25);
    // 1, 2, 3 and 5 close in that order; 4 stays open.
    for (n, id) in [1, 2, 3, 5].into_iter().enumerate() {
        session.apply(ended(id, 100 + n as u64));
    }
    let kept: Vec<u32> = session.sockets().map(|view| view.id.0).collect();
    assert_eq!(
        kept,
        vec![3, 4, 5],
        "the two oldest closed ones go, the open one stays"
    );
    assert_eq!(session.forgotten_sockets(), 2);
    assert_eq!(session.stats().forgotten_sockets, 2);
    assert_eq!(
        session.stats().retained_bytes,
        15,
        "their chunks went with them"
    );
    assert!(session.was_forgotten(SocketId(1)));
    assert!(!session.was_forgotten(SocketId(4)));
    assert!(
        !session.was_forgotten(SocketId(9)),
        "never seen is not forgotten"
    );
    assert_eq!(session.socket_name(SocketId(2)), "#2 (forgotten)");
    // Their calls leave the log (swept once the forgotten are a quarter of the sockets);
    // the calls of the kept ones are still found by id, and the exact counters stay.
    assert_eq!(session.log_len(), 3);
    assert_eq!(session.log_sweeps(), 1);
    let kept_sockets: Vec<u32> = session.log().map(|entry| entry.socket().0).collect();
    assert_eq!(kept_sockets, vec![3, 4, 5]);
    assert_eq!(
        session.call(CallId(4)).map(|record| record.socket),
        Some(SocketId(4))
    );
    assert!(session.call(CallId(1)).is_none());
    assert_eq!(session.log_position(session.log_mark()), 3);
    assert_eq!(session.stats().bytes_in, 25);
    assert_eq!(session.stats().dropped_log_entries, 0, "not the log's cap");
    // A smaller cap forgets more at once.
    session.set_limits(Limits {
        max_closed_sockets: 0,
        ..Limits::default()
    });
    let kept: Vec<u32> = session.sockets().map(|view| view.id.0).collect();
    assert_eq!(kept, vec![4]);
    assert_eq!(session.forgotten_sockets(), 4);
}

#[test]
fn a_closed_listener_is_kept_while_its_accepted_connections_are() {
    let mut session = Session::new(Limits {
        max_closed_sockets: 0,
        ..Limits::default()
    });
    session.apply(tcp(1));
    session.apply(open(2, Family::Ipv4, SockType::Stream, Some(1)));
    session.apply(open(3, Family::Ipv4, SockType::Stream, Some(1)));
    session.apply(ended(1, 50));
    assert!(
        session.socket(SocketId(1)).is_some(),
        "its children are open"
    );
    session.apply(ended(2, 60));
    assert!(session.socket(SocketId(2)).is_none());
    assert_eq!(
        session.socket(SocketId(1)).unwrap().children,
        vec![SocketId(3)]
    );
    session.apply(ended(3, 70));
    assert_eq!(
        session.sockets().count(),
        0,
        "the listener goes after the last of them"
    );
    assert_eq!(session.forgotten_sockets(), 3);
}

/// Listener 1's connection `id` arrives and its recv (call `call`) returns "hi".
fn accept_and_receive_hi(session: &mut Session, id: u32, call: u64) {
    session.apply(open(id, Family::Ipv4, SockType::Stream, Some(1)));
    session.apply(state(
        id,
        20,
        Lifecycle::Connected,
        Some("('127.0.0.1', 8080)"),
    ));
    session.apply(start(id, call, recv_call(), 20));
    session.apply(recv_ret(id, call, 30, b"hi"));
}

#[test]
fn after_a_wave_the_session_gives_back_the_room_it_grew_to() {
    // 3,000 connections at once (a load test), then all of them close: 20 are kept.
    let cap = 20;
    let mut session = Session::new(Limits {
        max_closed_sockets: cap,
        ..Limits::default()
    });
    session.apply(tcp(1));
    let mut call = 0;
    for id in 2..3_002u32 {
        call += 1;
        accept_and_receive_hi(&mut session, id, call);
    }
    session.update_indexes();
    let at_the_peak = session.room_held();
    for id in 2..3_002u32 {
        session.apply(ended(id, 40));
    }
    session.update_indexes();
    assert_eq!(session.sockets().count(), cap + 1);
    let before = session.room_held();
    session.give_back_room();
    let after = session.room_held();
    assert!(
        after * 10 < at_the_peak && after < before,
        "room for {at_the_peak} entries at the peak, {before} once they had gone, {after} after giving it back"
    );
    assert!(
        after < 64 * (cap + 1),
        "room follows the {} sockets kept: {after}",
        cap + 1
    );
    // What is kept is untouched.
    assert_eq!(session.socket(SocketId(1)).unwrap().children.len(), cap);
    assert_eq!(session.stats().retained_bytes, 2 * cap);
}

#[test]
fn connection_churn_keeps_the_session_bounded() {
    let cap = 50;
    let mut session = Session::new(Limits {
        max_closed_sockets: cap,
        ..Limits::default()
    });
    session.apply(tcp(1));
    let mut call = 0;
    for id in 2..5_000u32 {
        call += 1;
        accept_and_receive_hi(&mut session, id, call);
        session.apply(ended(id, 40));
        session.update_indexes();
    }
    assert_eq!(session.sockets().count(), cap + 1);
    assert_eq!(session.socket(SocketId(1)).unwrap().children.len(), cap);
    assert_eq!(session.forgotten_sockets(), 4_998 - cap as u64);
    assert!(
        session.chunk_order.len() <= 2 * (cap + 1),
        "chunk order compacted: {}",
        session.chunk_order.len()
    );
    assert!(session.flows.sockets_known() <= cap + 1);
    assert!(
        session.log_len() <= 2 * (cap + 1),
        "the forgotten sockets' calls left the log: {} entries",
        session.log_len()
    );
    assert_eq!(session.stats().dropped_log_entries, 0);
    assert!(session.by_call.len() <= session.log_len());
    assert_eq!(session.stats().retained_bytes, 2 * cap);
}

#[test]
fn a_second_socket_given_a_taken_name_gets_a_number() {
    let mut session = Session::new(Limits {
        max_closed_sockets: 1,
        ..Limits::default()
    });
    for id in 1..=3 {
        session.apply(tcp(id));
    }
    assert!(session.rename(SocketId(1), "client"));
    assert!(session.rename(SocketId(2), "client"));
    assert_eq!(session.socket_name(SocketId(1)), "client");
    assert_eq!(session.socket_name(SocketId(2)), "client2");
    // A closed socket that is kept still holds its name; a forgotten one lets it go.
    session.apply(ended(1, 10));
    assert!(session.rename(SocketId(3), "client"));
    assert_eq!(session.socket_name(SocketId(3)), "client3");
    session.apply(ended(2, 20));
    assert!(
        session.socket(SocketId(1)).is_none(),
        "forgotten beyond the cap"
    );
    session.rename(SocketId(3), "client");
    assert_eq!(session.socket_name(SocketId(3)), "client");
}

#[test]
fn addresses_of_forgotten_sockets_are_let_go_after_a_time_wait_but_kept_ones_stay() {
    let mut session = Session::new(Limits {
        max_closed_sockets: 0,
        ..Limits::default()
    });
    session.apply(tcp(1));
    session.apply(state(1, 1_000, Lifecycle::Bound, Some("127.0.0.1:5000")));
    session.apply(tcp(2));
    session.apply(state(2, 2_000, Lifecycle::Bound, Some("127.0.0.1:6000")));
    session.apply(ended(2, 3_000));
    assert!(session.socket(SocketId(2)).is_none(), "forgotten");
    // Within a TIME_WAIT: still ours (the system table marks its TIME_WAIT entry).
    session.apply(state(
        1,
        60_000_000,
        Lifecycle::Bound,
        Some("127.0.0.1:5000"),
    ));
    assert!(session.addresses_seen().contains(&at("127.0.0.1:6000")));
    // Minutes later: the forgotten socket's address goes, the kept socket's stays.
    session.apply(state(
        1,
        200_000_000,
        Lifecycle::Bound,
        Some("127.0.0.1:5000"),
    ));
    assert!(!session.addresses_seen().contains(&at("127.0.0.1:6000")));
    assert!(session.addresses_seen().contains(&at("127.0.0.1:5000")));
    // And it stays on later prunes too.
    session.apply(state(
        1,
        400_000_000,
        Lifecycle::Bound,
        Some("127.0.0.1:5000"),
    ));
    assert!(session.addresses_seen().contains(&at("127.0.0.1:5000")));
}

/// Connection churn within two minutes: the addresses of forgotten sockets beyond a count go
/// at once, oldest first; a kept socket's stays.
#[test]
fn addresses_of_forgotten_sockets_are_bounded_in_count_too() {
    let mut session = Session::new(Limits {
        max_closed_sockets: 0,
        ..Limits::default()
    });
    session.apply(tcp(1));
    session.apply(state(1, 1_000, Lifecycle::Bound, Some("127.0.0.1:5000")));
    let churn = super::MAX_ADDRESSES_SEEN * 3;
    for n in 0..churn {
        let socket = 2 + n as u32;
        let address = format!(
            "127.0.{}.{}:{}",
            n / 60_000 + 1,
            n % 250 + 1,
            n % 60_000 + 1
        );
        session.apply(tcp(socket));
        session.apply(state(
            socket,
            2_000 + n as u64,
            Lifecycle::Bound,
            Some(&address),
        ));
        session.apply(ended(socket, 2_000 + n as u64));
    }
    let seen = session.addresses_seen();
    assert!(
        seen.len() <= super::MAX_ADDRESSES_SEEN * 5 / 4 + 1,
        "{} addresses held after {churn} sockets came and went",
        seen.len()
    );
    assert!(
        seen.contains(&at("127.0.0.1:5000")),
        "the kept socket's stays"
    );
    let newest = churn - 1;
    let newest_address = format!(
        "127.0.{}.{}:{}",
        newest / 60_000 + 1,
        newest % 250 + 1,
        newest % 60_000 + 1
    );
    assert!(seen.contains(&at(&newest_address)), "the newest stay");
    assert!(!seen.contains(&at("127.0.1.1:1")), "the oldest went");
}

/// A listener accepting by itself all day: its automatic entries beyond its share leave the
/// log (the newest stay), a person's calls and other sockets' entries are not touched, and
/// the log stops growing.
#[test]
fn a_sockets_automatic_entries_beyond_its_share_leave_the_log() {
    let share = super::MAX_AUTO_ENTRIES_PER_SOCKET;
    let mut session = Session::default();
    session.apply(tcp(1));
    session.apply(tcp(2));
    session.apply(start(2, 1, recv_call(), 10));
    let summary = |socket: u32, at_us: u64| {
        Event::Auto(AutoSummary {
            socket: SocketId(socket),
            from_us: at_us,
            to_us: at_us + 1,
            recv_calls: 1,
            ..AutoSummary::default()
        })
    };
    session.apply(summary(2, 20));
    let many = share * 20;
    let mut lengths = Vec::new();
    for n in 0..many {
        session.apply(summary(1, 100 + n as u64));
        lengths.push(session.log_len());
    }
    let of = |session: &Session, socket: u32| {
        session
            .log()
            .filter(|entry| entry.socket() == SocketId(socket))
            .count()
    };
    assert!(
        of(&session, 1) < share + super::EXPIRED_AUTO_SWEEP,
        "{} of the listener's entries held",
        of(&session, 1)
    );
    assert!(of(&session, 1) >= share, "its newest stay");
    assert_eq!(
        of(&session, 2),
        2,
        "the other socket's call and summary stay"
    );
    // Counted as they leave the log (a thousand at a time).
    let beyond = (many - share) as u64;
    let counted = session.dropped_auto_entries();
    assert!(
        counted <= beyond && counted + super::EXPIRED_AUTO_SWEEP as u64 > beyond,
        "{counted} counted of {beyond} beyond the share"
    );
    assert_eq!(
        counted as usize,
        many + 2 - session.log_len(),
        "what left the log is what was counted"
    );
    assert!(session.log_sweeps() > 0);
    let newest = session.log().next_back().map(LogEntry::at_us);
    assert_eq!(newest, Some(100 + many as u64 - 1));
    let longest = lengths.iter().max().copied().unwrap_or(0);
    assert!(
        longest <= share + super::EXPIRED_AUTO_SWEEP + 2,
        "the log peaked at {longest} entries"
    );
}

/// Automatic entries that moved bytes never expire: the arrows pair a stream's sends and
/// recvs by the bytes the log holds of each side, so taking some out would mismatch them.
#[test]
fn automatic_entries_that_moved_bytes_stay_in_the_log() {
    let mut session = Session::default();
    session.apply(tcp(1));
    let many = super::MAX_AUTO_ENTRIES_PER_SOCKET + super::EXPIRED_AUTO_SWEEP * 2;
    for n in 0..many {
        session.apply(Event::Auto(AutoSummary {
            socket: SocketId(1),
            from_us: 100 + n as u64,
            to_us: 101 + n as u64,
            recv_calls: 1,
            recv_bytes: 4,
            ..AutoSummary::default()
        }));
    }
    assert_eq!(session.dropped_auto_entries(), 0);
    assert_eq!(session.log_len(), many);
}

#[test]
fn a_reply_rule_stays_on_its_sends_record_even_if_the_log_dropped_it() {
    let send = |data: &[u8]| Call::Send {
        data: data.to_vec(),
    };
    let sent = |socket: u32, call_id: u64, at_us: u64| {
        Event::Returned(Returned {
            bytes_moved: 4,
            ..ret(socket, call_id, at_us, 1, Outcome::Ok(Value::Int(4)))
        })
    };
    let mut session = Session::default();
    session.apply(tcp(1));
    session.apply(start(1, 1, send(b"PONG"), 100));
    let rule = Event::ReplyRule {
        socket: SocketId(1),
        call_id: CallId(1),
        rule: 2,
    };
    assert_eq!(
        Applied::of(&rule),
        Applied::ReplyRule {
            socket: SocketId(1),
            call_id: CallId(1)
        }
    );
    session.apply(rule);
    session.apply(sent(1, 1, 110));
    let record = session.call(CallId(1)).unwrap();
    assert_eq!(record.reply_rule, Some(2));
    assert!(record.outcome.is_some());
    // Other calls answer by no rule.
    session.apply(start(1, 2, send(b"PING"), 120));
    session.apply(sent(1, 2, 130));
    assert_eq!(session.call(CallId(2)).unwrap().reply_rule, None);

    // A log so small that the record is gone before the call returns: the pending entry
    // kept the rule, and the record made again has it.
    let mut small = Session::new(Limits {
        max_log_entries: 1,
        ..Limits::default()
    });
    small.apply(tcp(1));
    small.apply(start(1, 1, send(b"PONG"), 100));
    small.apply(Event::ReplyRule {
        socket: SocketId(1),
        call_id: CallId(1),
        rule: 3,
    });
    small.apply(start(1, 2, recv_call(), 105));
    assert!(small.call(CallId(1)).is_none());
    small.apply(sent(1, 1, 110));
    assert_eq!(small.call(CallId(1)).map(|r| r.reply_rule), Some(Some(3)));
}
