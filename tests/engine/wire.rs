//! The wire on real loopback traffic: a connection's handshake, data, FINs and a reset seen
//! once each (loopback shows every frame twice), in time beside the calls, and a pcap that
//! tcpdump reads. Capture needs CAP_NET_RAW (CI runs as root); without it each test says it
//! was skipped and why.

use crate::common::{Bench, WAIT, loopback};
use socket_workbench::engine::wire::pcap_bytes;
use socket_workbench::engine::{
    Call, Event, Family, OptValue, Outcome, Segment, SockType, TcpFlags, Value, WireProblem,
    WireReport,
};
use std::process::Command;
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

/// Every capture sees all of loopback's traffic, and one test floods it: these tests take
/// turns so one's flood does not fill another's capture queue.
static ONE_CAPTURE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Switches the wire on; None (and a printed reason) when this process may not capture.
/// Holds the turn while the returned guard lives.
fn wire_on(bench: &mut Bench, test: &str) -> Option<MutexGuard<'static, ()>> {
    let turn = ONE_CAPTURE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    bench.engine.set_wire(true);
    let deadline = Instant::now() + WAIT;
    loop {
        for event in &bench.seen {
            match event {
                Event::Wire(WireReport::Started { .. }) => return Some(turn),
                Event::Wire(WireReport::Unavailable { problem, .. }) => {
                    assert_eq!(
                        problem,
                        &WireProblem::NoPermission,
                        "capture failed for a reason other than permission"
                    );
                    println!(
                        "SKIPPED {test}: capture needs CAP_NET_RAW, which this test process \
                         lacks (run the tests as root, as CI does)"
                    );
                    return None;
                }
                _ => {}
            }
        }
        assert!(
            Instant::now() < deadline,
            "the wire never said whether it runs"
        );
        bench.pump(std::time::Duration::from_millis(20));
    }
}

/// Every segment reported up to now (waits for the capture to catch up with a mark).
pub(crate) fn segments_so_far(bench: &mut Bench, mark: u64) -> Vec<Segment> {
    assert!(bench.engine.wire_mark(mark), "the wire is on");
    let deadline = Instant::now() + WAIT;
    while !bench
        .seen
        .iter()
        .any(|event| matches!(event, Event::Wire(WireReport::Mark { id, .. }) if *id == mark))
    {
        assert!(Instant::now() < deadline, "mark {mark} never came");
        bench.pump(std::time::Duration::from_millis(10));
    }
    let lost: u64 = bench
        .seen
        .iter()
        .map(|event| match event {
            Event::Wire(WireReport::Lost { frames, .. }) => *frames,
            _ => 0,
        })
        .sum();
    assert_eq!(lost, 0, "the capture lost frames (its queue was full)");
    bench
        .seen
        .iter()
        .filter_map(|event| match event {
            Event::Wire(WireReport::Segments(segments)) => Some(segments.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

fn flags(segment: &Segment) -> String {
    segment.tcp().map_or("UDP".into(), |tcp| tcp.flags.names())
}

#[test]
fn a_connection_is_seen_once_per_segment_between_its_calls() {
    let mut bench = Bench::new();
    let Some(_turn) = wire_on(
        &mut bench,
        "a_connection_is_seen_once_per_segment_between_its_calls",
    ) else {
        return;
    };
    let (listener, address) = bench.listener(Family::Ipv4, 5);
    let client = bench.socket(Family::Ipv4, SockType::Stream);
    let connect = bench.call(client, Call::Connect(address.clone()));
    let connect_started = connect.at_us - connect.duration_us;
    let Value::Accepted { child: conn, .. } = bench.ok(listener, Call::Accept) else {
        panic!("accept gave no connection")
    };
    bench.send(client, b"hello");
    assert_eq!(bench.recv(conn, 1024).as_deref(), Some(&b"hello"[..]));
    bench.ok(client, Call::Close);
    assert_eq!(bench.recv(conn, 1024).as_deref(), Some(&b""[..]));
    bench.ok(conn, Call::Close);
    let segments = segments_so_far(&mut bench, 1);
    let port = address_port(&address);
    let ours: Vec<&Segment> = segments
        .iter()
        .filter(|s| s.from.port() == Some(port) || s.to.port() == Some(port))
        .collect();
    let shown: Vec<String> = ours.iter().map(|s| s.label()).collect();
    // Each segment once, in order: loopback shows each frame twice and the copy leaving is
    // dropped. The ACK of the client's FIN goes alone, or rides on the server's FIN when
    // close() came before the kernel sent it.
    let opening = ["SYN", "SYN, ACK", "ACK", "PSH, ACK 5 B", "ACK"];
    let closings: [&[&str]; 2] = [
        &["FIN, ACK", "FIN, ACK", "ACK"],
        &["FIN, ACK", "ACK", "FIN, ACK", "ACK"],
    ];
    assert!(
        closings.iter().any(|closing| {
            let expected: Vec<&str> = opening.iter().chain(closing.iter()).copied().collect();
            shown == expected
        }),
        "unexpected segments: {shown:?}"
    );
    // The handshake happened inside connect(): after it started and before it returned.
    for segment in &ours[..3] {
        assert!(
            segment.at_us >= connect_started && segment.at_us <= connect.at_us,
            "{} at {} µs is outside connect's {}..{} µs",
            segment.label(),
            segment.at_us,
            connect_started,
            connect.at_us
        );
    }
    // Relative numbers: the data is bytes 1..6 of the client's stream, acknowledged as 6.
    let data = ours[3].tcp().expect("tcp");
    assert_eq!((data.seq, data.payload_len), (1, 5));
    assert_eq!(ours[4].tcp().expect("tcp").ack, 6);
    bench.engine.set_wire(false);
}

fn address_port(address: &socket_workbench::engine::AddrArg) -> u16 {
    crate::common::socket_addr(address).port()
}

#[test]
fn so_linger_zero_sends_a_reset_and_the_pcap_reads_back_in_tcpdump() {
    let mut bench = Bench::new();
    let test = "so_linger_zero_sends_a_reset_and_the_pcap_reads_back_in_tcpdump";
    let Some(_turn) = wire_on(&mut bench, test) else {
        return;
    };
    let (client, conn, _listener) = bench.pair(Family::Ipv4);
    bench.ok(
        client,
        Call::SetOpt {
            name: "SO_LINGER".into(),
            value: OptValue::Linger(Some(0)),
        },
    );
    bench.ok(client, Call::Close);
    let reset = bench.call(
        conn,
        Call::Recv {
            bufsize: 1024,
            flags: Default::default(),
        },
    );
    assert_eq!(reset.outcome, Outcome::Errno(libc_econnreset()));
    // A UDP datagram too.
    let receiver = bench.socket(Family::Ipv4, SockType::Datagram);
    bench.ok(receiver, Call::Bind(loopback(Family::Ipv4)));
    let to = bench.local(receiver);
    let sender = bench.socket(Family::Ipv4, SockType::Datagram);
    bench.ok(
        sender,
        Call::SendTo {
            data: b"ping!".to_vec(),
            addr: to,
        },
    );
    let segments = segments_so_far(&mut bench, 1);
    let labels: Vec<String> = segments.iter().map(|s| s.label()).collect();
    assert!(
        segments
            .iter()
            .any(|s| s.tcp().is_some_and(|t| t.flags.has(TcpFlags::RST))),
        "no RST in {labels:?}"
    );
    assert!(
        !segments.iter().any(|s| flags(s).contains("FIN")),
        "SO_LINGER 0 closes with RST, not FIN: {labels:?}"
    );
    assert!(labels.contains(&"UDP 5 B".to_string()), "{labels:?}");

    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("wire.pcap");
    std::fs::write(&path, pcap_bytes(&segments)).expect("write pcap");
    let output = match Command::new("tcpdump")
        .arg("-nn")
        .arg("-r")
        .arg(&path)
        .output()
    {
        Ok(output) => output,
        Err(error) => panic!(
            "tcpdump is needed to read the pcap back (apt-get install tcpdump; CI does): {error}"
        ),
    };
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "tcpdump refused the file: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), segments.len(), "one line per segment:\n{text}");
    assert!(text.contains("Flags [S]"), "{text}");
    assert!(text.contains("Flags [S.]"), "{text}");
    assert!(text.contains("Flags [R"), "{text}");
    assert!(text.contains("UDP, length 5"), "{text}");
}

fn libc_econnreset() -> i32 {
    socket_workbench::engine::errno::by_name("ECONNRESET").expect("ECONNRESET is known")
}

#[test]
fn segments_of_sockets_that_are_not_ours_are_left_out() {
    let mut bench = Bench::new();
    let Some(_turn) = wire_on(
        &mut bench,
        "segments_of_sockets_that_are_not_ours_are_left_out",
    ) else {
        return;
    };
    // A connection made with std, outside the workbench, then one of ours.
    let outside = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let outside_port = outside.local_addr().expect("addr").port();
    let _outside_client =
        std::net::TcpStream::connect(("127.0.0.1", outside_port)).expect("connect");
    let (_client, _conn, _listener) = bench.pair(Family::Ipv4);
    let segments = segments_so_far(&mut bench, 1);
    assert!(
        !segments.is_empty(),
        "our own connection's segments are there"
    );
    assert!(
        !segments
            .iter()
            .any(|s| s.from.port() == Some(outside_port) || s.to.port() == Some(outside_port)),
        "a connection between two sockets of someone else is not shown"
    );
}

#[test]
fn a_flood_is_summarised_beyond_the_detail_budget() {
    use socket_workbench::engine::wire::{DETAIL_PER_WINDOW, WINDOW_US};
    use socket_workbench::engine::{Automation, Flood, Responder};
    let mut bench = Bench::new();
    let Some(_turn) = wire_on(&mut bench, "a_flood_is_summarised_beyond_the_detail_budget") else {
        return;
    };
    // UDP: every datagram is a frame of its own (TCP on loopback merges sends into segments
    // of up to 64 KiB), so a flood of them is thousands of frames per window.
    let receiver = bench.socket(Family::Ipv4, SockType::Datagram);
    bench.ok(receiver, Call::Bind(loopback(Family::Ipv4)));
    let to = bench.local(receiver);
    bench.automate(
        receiver,
        Automation {
            auto_receive: true,
            responder: Some(Responder::Discard),
            ..Automation::default()
        },
    );
    let sender = bench.socket(Family::Ipv4, SockType::Datagram);
    bench.automate(
        sender,
        Automation {
            flood: Some(Flood {
                bytes_per_sec: 0,
                destination: Some(to),
                chunk_size: 100,
                total_bytes: Some(5_000_000),
            }),
            ..Automation::default()
        },
    );
    let deadline = Instant::now() + WAIT;
    let summarised = |bench: &Bench| -> u64 {
        bench
            .seen
            .iter()
            .map(|event| match event {
                Event::Wire(WireReport::Summary(summary)) => summary.segments,
                _ => 0,
            })
            .sum()
    };
    while summarised(&bench) < 1_000 {
        assert!(Instant::now() < deadline, "no flood summary came");
        bench.pump(std::time::Duration::from_millis(50));
    }
    // One by one: at most the budget in any window.
    let mut detailed: Vec<u64> = bench
        .seen
        .iter()
        .filter_map(|event| match event {
            Event::Wire(WireReport::Segments(segments)) => Some(segments.clone()),
            _ => None,
        })
        .flatten()
        .map(|segment| segment.at_us)
        .collect();
    detailed.sort_unstable();
    for (index, at) in detailed.iter().enumerate() {
        let in_window = detailed[index..]
            .iter()
            .take_while(|later| **later < at + WINDOW_US)
            .count();
        assert!(
            in_window <= 2 * DETAIL_PER_WINDOW,
            "{in_window} segments reported one by one within {WINDOW_US} µs"
        );
    }
    bench.automate(sender, Automation::default());
}
