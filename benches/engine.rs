//! Engine figures, each against a reference in the same run (this machine is shared, so only
//! ratios compare across days): a workbench-to-workbench TCP flood with default settings
//! against iperf3's single stream (when iperf3 is installed) and a plain Rust loop with
//! 128 KiB writes; UDP automatic receive against a plain recvfrom loop; and the round trip of
//! one call through a socket thread. Run with `cargo bench --bench engine`.

use socket_workbench::engine::DEFAULT_FLOOD_CHUNK;
use socket_workbench::engine::{
    AddrArg, Automation, Call, CallId, Engine, Event, EventReceiver, Family, Flood, Origin,
    Outcome, Responder, SockType, Value, WireReport,
};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

// Large enough that the end of the flood, seen to 0.1 s (the receiver reports its automatic
// receives every 100 ms), is within about 3 % of its duration.
const TOTAL_BYTES: u64 = 6 * 1024 * 1024 * 1024;
/// The plain loop's write size (iperf3's default for TCP).
const CHUNK: usize = 128 * 1024;

fn plain_loop() -> f64 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    let reader = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("accept");
        let mut buffer = vec![0u8; CHUNK];
        let mut total = 0u64;
        while total < TOTAL_BYTES {
            match stream.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(count) => total += count as u64,
            }
        }
        total
    });
    let started = Instant::now();
    let mut stream = TcpStream::connect(address).expect("connect");
    let chunk = vec![b'a'; CHUNK];
    let mut sent = 0u64;
    while sent < TOTAL_BYTES {
        stream.write_all(&chunk).expect("write");
        sent += CHUNK as u64;
    }
    drop(stream);
    let received = reader.join().expect("reader");
    assert_eq!(received, TOTAL_BYTES);
    TOTAL_BYTES as f64 / started.elapsed().as_secs_f64()
}

fn wait_value(events: &EventReceiver, call_id: CallId) -> Value {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Some(Event::Returned(returned)) = events.recv_timeout(Duration::from_millis(100))
            && returned.call_id == call_id
        {
            match returned.outcome {
                Outcome::Ok(value) => return value,
                other => panic!("call failed: {other}"),
            }
        }
    }
    panic!("no answer");
}

/// The port in a getsockname() result: `('127.0.0.1', 40000)` -> 40000.
fn bound_port(events: &EventReceiver, getsockname: CallId) -> u16 {
    let Value::Address(address) = wait_value(events, getsockname) else {
        panic!("getsockname gave no address");
    };
    address.port().expect("port")
}

/// What the wire reported during a flood.
#[derive(Default)]
struct WireFigures {
    /// Capture could run (CAP_NET_RAW).
    captured: bool,
    segments_one_by_one: u64,
    segments_summarised: u64,
}

fn workbench_flood(wire: bool) -> (f64, usize, WireFigures) {
    let (engine, events) = Engine::new(|| {});
    if wire {
        engine.set_wire(true);
    }
    let listener = engine
        .create(Family::Ipv4, SockType::Stream)
        .expect("socket");
    let call = |socket, call| engine.call(socket, call, Origin::Script).expect("call");
    wait_value(
        &events,
        call(listener, Call::Bind(AddrArg::inet("127.0.0.1", 0))),
    );
    wait_value(&events, call(listener, Call::Listen { backlog: 5 }));
    let port = u32::from(bound_port(&events, call(listener, Call::GetSockName)));
    engine
        .set_automation(
            listener,
            Automation {
                auto_accept: true,
                auto_receive: true,
                responder: Some(Responder::Discard),
                // 0: the default receive size, as a person gets it.
                recv_bufsize: 0,
                ..Automation::default()
            },
        )
        .expect("sink");
    let client = engine
        .create(Family::Ipv4, SockType::Stream)
        .expect("socket");
    wait_value(
        &events,
        call(client, Call::Connect(AddrArg::inet("127.0.0.1", port))),
    );
    let started = Instant::now();
    engine
        .set_automation(
            client,
            Automation {
                flood: Some(Flood {
                    bytes_per_sec: 0,
                    destination: None,
                    chunk_size: DEFAULT_FLOOD_CHUNK,
                    total_bytes: Some(TOTAL_BYTES),
                }),
                ..Automation::default()
            },
        )
        .expect("flood");
    // Drain events as the window does, and count what the receiving side reports.
    let mut received = 0u64;
    let mut event_count = 0usize;
    let mut figures = WireFigures::default();
    let deadline = Instant::now() + Duration::from_secs(120);
    while received < TOTAL_BYTES && Instant::now() < deadline {
        let Some(event) = events.recv_timeout(Duration::from_millis(100)) else {
            continue;
        };
        event_count += 1;
        match event {
            Event::Auto(summary) if summary.socket != client => received += summary.recv_bytes,
            Event::Returned(returned) if returned.socket != client && returned.data.is_some() => {
                received += returned.bytes_moved as u64
            }
            Event::Wire(WireReport::Segments(segments)) => {
                figures.segments_one_by_one += segments.len() as u64
            }
            Event::Wire(WireReport::Summary(summary)) => {
                figures.segments_summarised += summary.segments
            }
            _ => {}
        }
    }
    assert_eq!(received, TOTAL_BYTES, "the flood did not finish");
    // Its Started report went by while the set-up calls were waited for.
    figures.captured = engine.wire_on();
    (
        TOTAL_BYTES as f64 / started.elapsed().as_secs_f64(),
        event_count,
        figures,
    )
}

fn call_round_trip() -> (Duration, Duration) {
    let (engine, events) = Engine::new(|| {});
    let socket = engine
        .create(Family::Ipv4, SockType::Datagram)
        .expect("socket");
    let mut samples = Vec::new();
    for _ in 0..2000 {
        let started = Instant::now();
        let call_id = engine
            .call(socket, Call::GetSockName, Origin::Script)
            .expect("call");
        wait_value(&events, call_id);
        samples.push(started.elapsed());
    }
    samples.sort();
    (
        samples[samples.len() / 2],
        samples[samples.len() * 99 / 100],
    )
}

/// iperf3's single TCP stream on loopback, bytes per second; None when iperf3 is missing.
fn iperf3() -> Option<f64> {
    use std::process::{Command, Stdio};
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .ok()?
        .port()
        .to_string();
    let mut server = Command::new("iperf3")
        .args(["-s", "-1", "-B", "127.0.0.1", "-p", &port])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut output = None;
    for _ in 0..50 {
        std::thread::sleep(Duration::from_millis(100));
        let run = Command::new("iperf3")
            .args(["-c", "127.0.0.1", "-p", &port, "-t", "3", "-J"])
            .output()
            .ok()?;
        if run.status.success() {
            output = Some(run.stdout);
            break;
        }
    }
    let _ = server.kill();
    let _ = server.wait();
    let text = String::from_utf8(output?).ok()?;
    // "sum_received": { ... "bits_per_second": N ... }
    let received = &text[text.find("\"sum_received\"")?..];
    let bits = &received[received.find("\"bits_per_second\"")? + 18..];
    let number: String = bits
        .trim_start_matches(|c: char| c == ':' || c.is_whitespace())
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == 'e' || *c == '+')
        .collect();
    number.parse::<f64>().ok().map(|bits| bits / 8.0)
}

const DATAGRAMS: usize = 200_000;
const DATAGRAM_SIZE: usize = 1024;

/// Sends DATAGRAMS datagrams as fast as a plain loop can to `to`; returns when done.
fn udp_sender(to: std::net::SocketAddr) -> Duration {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
    let payload = vec![b'u'; DATAGRAM_SIZE];
    let started = Instant::now();
    for _ in 0..DATAGRAMS {
        // A full receive queue drops the datagram at the receiver, not here.
        let _ = socket.send_to(&payload, to);
    }
    started.elapsed()
}

/// A plain recvfrom loop's share of the datagrams a plain sender sends.
fn udp_plain() -> f64 {
    let receiver = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
    receiver
        .set_read_timeout(Some(Duration::from_millis(300)))
        .expect("timeout");
    let to = receiver.local_addr().expect("address");
    let counter = std::thread::spawn(move || {
        let mut buffer = vec![0u8; 65_536];
        let mut count = 0usize;
        while receiver.recv_from(&mut buffer).is_ok() {
            count += 1;
        }
        count
    });
    std::thread::sleep(Duration::from_millis(50));
    udp_sender(to);
    counter.join().expect("counter") as f64 / DATAGRAMS as f64
}

/// The workbench's automatic receive's share of the same datagrams.
fn udp_workbench() -> f64 {
    let (engine, events) = Engine::new(|| {});
    let socket = engine
        .create(Family::Ipv4, SockType::Datagram)
        .expect("socket");
    let call = |call| engine.call(socket, call, Origin::Script).expect("call");
    wait_value(&events, call(Call::Bind(AddrArg::inet("127.0.0.1", 0))));
    let port = bound_port(&events, call(Call::GetSockName));
    engine
        .set_automation(
            socket,
            Automation {
                auto_receive: true,
                ..Automation::default()
            },
        )
        .expect("receive");
    std::thread::sleep(Duration::from_millis(50));
    let sender = std::thread::spawn(move || udp_sender(([127, 0, 0, 1], port).into()));
    let mut received = 0u64;
    let mut quiet_since = Instant::now();
    let mut sender = Some(sender);
    loop {
        match events.recv_timeout(Duration::from_millis(50)) {
            Some(Event::Auto(summary)) => {
                received += summary.recv_calls;
                quiet_since = Instant::now();
            }
            Some(Event::Returned(returned)) if returned.data.is_some() => {
                received += 1;
                quiet_since = Instant::now();
            }
            Some(_) => {}
            None => {}
        }
        if sender.as_ref().is_some_and(|s| s.is_finished())
            && let Some(done) = sender.take()
        {
            let _ = done.join();
            quiet_since = Instant::now();
        }
        if sender.is_none() && quiet_since.elapsed() > Duration::from_millis(300) {
            break;
        }
    }
    received as f64 / DATAGRAMS as f64
}

/// The middle of three figures.
fn median(mut figures: Vec<f64>) -> f64 {
    figures.sort_by(f64::total_cmp);
    figures[figures.len() / 2]
}

fn main() {
    let gib = |rate: f64| rate / (1024.0 * 1024.0 * 1024.0);
    // Three rounds, each reference next to the workbench, so that the shared machine's ups
    // and downs hit both alike; the medians are compared.
    let (mut references, mut plains, mut floods) = (Vec::new(), Vec::new(), Vec::new());
    let mut wired_floods = Vec::new();
    let mut event_count = 0;
    let mut wire = WireFigures::default();
    for _ in 0..3 {
        if let Some(rate) = iperf3() {
            references.push(rate);
        }
        plains.push(plain_loop());
        let (rate, events, _) = workbench_flood(false);
        floods.push(rate);
        event_count = events;
        // The same flood with the wire captured (PRODUCT part 14): its cost.
        let (rate, _, figures) = workbench_flood(true);
        wired_floods.push(rate);
        wire = figures;
    }
    let show = |figures: &[f64]| {
        figures
            .iter()
            .map(|rate| format!("{:.2}", gib(*rate)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let reference = (!references.is_empty()).then(|| median(references.clone()));
    match reference {
        Some(rate) => println!(
            "iperf3 single stream on loopback       : {:.2} GiB/s (median of {})",
            gib(rate),
            show(&references)
        ),
        None => println!(
            "iperf3 single stream on loopback       : not installed (apt-get install iperf3)"
        ),
    }
    let plain = median(plains.clone());
    println!(
        "plain Rust loop, 128 KiB writes        : {:.2} GiB/s (median of {})",
        gib(plain),
        show(&plains)
    );
    let workbench = median(floods.clone());
    println!(
        "workbench flood -> discard, defaults   : {:.2} GiB/s (median of {}), {event_count} events for {} GiB",
        gib(workbench),
        show(&floods),
        TOTAL_BYTES >> 30
    );
    if let Some(rate) = reference {
        println!(
            "  ratio to iperf3                      : {:.0} %",
            100.0 * workbench / rate
        );
    }
    println!(
        "  ratio to the plain loop              : {:.0} %",
        100.0 * workbench / plain
    );
    if wire.captured {
        let wired = median(wired_floods.clone());
        println!(
            "the same flood, wire captured          : {:.2} GiB/s (median of {}), ratio to without {:.0} %; {} segments reported one by one, {} counted in summaries",
            gib(wired),
            show(&wired_floods),
            100.0 * wired / workbench,
            wire.segments_one_by_one,
            wire.segments_summarised
        );
    } else {
        println!(
            "the same flood, wire captured          : not measured (capture needs CAP_NET_RAW)"
        );
    }
    let plain_share = udp_plain();
    let workbench_share = udp_workbench();
    println!(
        "UDP, {DATAGRAMS} datagrams of {DATAGRAM_SIZE} B sent flat out: plain recvfrom loop got {:.1} %, workbench auto-receive {:.1} % (ratio {:.0} %)",
        100.0 * plain_share,
        100.0 * workbench_share,
        100.0 * workbench_share / plain_share
    );
    let (median, p99) = call_round_trip();
    println!("one call through a socket thread       : median {median:?}, p99 {p99:?}");
}
