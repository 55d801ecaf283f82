//! Engine figures: loopback flood throughput through two workbench sockets against a plain
//! Rust read/write loop in the same run, and the round trip of one call through a socket
//! thread. Run with `cargo bench --bench engine`.

use socket_workbench::engine::{
    AddrArg, Automation, Call, CallId, Engine, Event, EventReceiver, Family, Flood, Origin,
    Outcome, Responder, SockType, Value,
};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

const TOTAL_BYTES: u64 = 2 * 1024 * 1024 * 1024;
const CHUNK: usize = 64 * 1024;

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

fn workbench_flood() -> (f64, usize) {
    let (engine, events) = Engine::new(|| {});
    let listener = engine
        .create(Family::Ipv4, SockType::Stream)
        .expect("socket");
    let call = |socket, call| engine.call(socket, call, Origin::Script).expect("call");
    wait_value(
        &events,
        call(listener, Call::Bind(AddrArg::inet("127.0.0.1", 0))),
    );
    wait_value(&events, call(listener, Call::Listen { backlog: 5 }));
    let Value::Address(address) = wait_value(&events, call(listener, Call::GetSockName)) else {
        panic!("address");
    };
    let port: u32 = address
        .trim_end_matches(')')
        .rsplit(", ")
        .next()
        .and_then(|port| port.parse().ok())
        .expect("port");
    engine
        .set_automation(
            listener,
            Automation {
                auto_accept: true,
                auto_receive: true,
                responder: Some(Responder::Discard),
                recv_bufsize: CHUNK,
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
                    chunk_size: CHUNK,
                    total_bytes: Some(TOTAL_BYTES),
                }),
                ..Automation::default()
            },
        )
        .expect("flood");
    // Drain events as the window does, and count what the receiving side reports.
    let mut received = 0u64;
    let mut event_count = 0usize;
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
            _ => {}
        }
    }
    assert_eq!(received, TOTAL_BYTES, "the flood did not finish");
    (
        TOTAL_BYTES as f64 / started.elapsed().as_secs_f64(),
        event_count,
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

fn main() {
    let gib = |rate: f64| rate / (1024.0 * 1024.0 * 1024.0);
    let plain = plain_loop();
    println!(
        "plain Rust write/read loop on loopback : {:.2} GiB/s",
        gib(plain)
    );
    let (workbench, event_count) = workbench_flood();
    println!(
        "workbench flood -> discard on loopback  : {:.2} GiB/s ({:.0} % of plain), {event_count} events for 2 GiB",
        gib(workbench),
        100.0 * workbench / plain
    );
    let (median, p99) = call_round_trip();
    println!("one call through a socket thread       : median {median:?}, p99 {p99:?}");
}
