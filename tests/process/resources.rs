//! Opening and closing 200 sockets leaves no descriptor or thread behind. Run one at a time
//! with the process's other tests, so the counts of this process are ours.

use socket_workbench::engine::{AddrArg, Call, Engine, Event, Family, Origin, SockType};
use std::time::{Duration, Instant};

fn count(dir: &str) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| entries.count())
        .unwrap_or(0)
}

fn wait_until(limit: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if condition() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    condition()
}

/// The count once it has stopped changing (an earlier test's socket threads may still be
/// ending): the same for 200 ms, waiting at most 5 s.
fn settled_count(dir: &str) -> usize {
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut last = count(dir);
    let mut same = 0;
    while same < 4 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        let now = count(dir);
        same = if now == last { same + 1 } else { 0 };
        last = now;
    }
    last
}

#[test]
fn no_descriptor_or_thread_is_left_after_opening_and_closing_200_sockets() {
    let _alone = crate::one_at_a_time();
    let (fds_before, threads_before) = (
        settled_count("/proc/self/fd"),
        settled_count("/proc/self/task"),
    );
    let (engine, events) = Engine::new(|| {});
    let mut sockets = Vec::new();
    for index in 0..200 {
        let sock_type = if index % 2 == 0 {
            SockType::Stream
        } else {
            SockType::Datagram
        };
        let (family, host) = if index % 3 == 0 {
            (Family::Ipv6, "::1")
        } else {
            (Family::Ipv4, "127.0.0.1")
        };
        let socket = engine.create(family, sock_type).expect("socket()");
        engine
            .call(socket, Call::Bind(AddrArg::inet(host, 0)), Origin::Script)
            .expect("bind");
        sockets.push(socket);
    }
    assert!(count("/proc/self/task") >= threads_before + 200);
    assert!(count("/proc/self/fd") >= fds_before + 200);
    for socket in &sockets {
        engine
            .call(*socket, Call::Close, Origin::Script)
            .expect("close");
    }
    let mut ended = 0;
    let deadline = Instant::now() + Duration::from_secs(10);
    while ended < 200 && Instant::now() < deadline {
        if let Some(Event::ThreadEnded { .. }) = events.recv_timeout(Duration::from_millis(100)) {
            ended += 1;
        }
    }
    assert_eq!(ended, 200, "every socket thread reports its end");
    assert!(engine.live_sockets().is_empty());
    // The threads have said their last word; give the OS a moment to reap them.
    assert!(
        wait_until(Duration::from_secs(5), || count("/proc/self/task")
            == threads_before),
        "threads: {threads_before} before, {} after",
        count("/proc/self/task")
    );
    assert_eq!(count("/proc/self/fd"), fds_before, "descriptors left open");
    drop(engine);
    drop(events);
}

/// An echo server's accepted connection costs two descriptors: its socket and the eventfd
/// that wakes its thread (PRODUCT, Performance: 9,000 clients under a 20,000 limit).
#[test]
fn each_accepted_connection_holds_two_descriptors_and_gives_them_back() {
    use socket_workbench::engine::{Automation, Responder, Value};
    use std::io::{Read, Write};
    const CLIENTS: usize = 50;
    let _alone = crate::one_at_a_time();
    let (engine, events) = Engine::new(|| {});
    let listener = engine
        .create(Family::Ipv4, SockType::Stream)
        .expect("socket()");
    engine
        .call(
            listener,
            Call::Bind(AddrArg::inet("127.0.0.1", 0)),
            Origin::Script,
        )
        .expect("bind");
    engine
        .call(listener, Call::Listen { backlog: 64 }, Origin::Script)
        .expect("listen");
    let name = engine
        .call(listener, Call::GetSockName, Origin::Script)
        .expect("getsockname");
    let mut port = None;
    let deadline = Instant::now() + Duration::from_secs(5);
    while port.is_none() && Instant::now() < deadline {
        if let Some(Event::Returned(returned)) = events.recv_timeout(Duration::from_millis(50))
            && returned.call_id == name
            && let socket_workbench::engine::Outcome::Ok(Value::Address(address)) = returned.outcome
        {
            port = address.port();
        }
    }
    let port = port.expect("the listener's port");
    engine
        .set_automation(
            listener,
            Automation {
                auto_accept: true,
                auto_receive: true,
                responder: Some(Responder::Echo),
                ..Automation::default()
            },
        )
        .expect("automation");
    let fds_before = settled_count("/proc/self/fd");
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let mut client = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
        client
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        client.write_all(b"hi\n").expect("send");
        let mut echo = [0u8; 3];
        client.read_exact(&mut echo).expect("the echo comes back");
        assert_eq!(&echo, b"hi\n");
        clients.push(client);
    }
    // Drain the events as the window would, so nothing is held for want of a reader.
    assert!(
        wait_until(Duration::from_secs(5), || {
            events.drain();
            engine.live_sockets().len() == CLIENTS + 1
        }),
        "every connection was accepted"
    );
    let per_connection =
        (settled_count("/proc/self/fd") - fds_before - CLIENTS) as f64 / CLIENTS as f64;
    assert_eq!(per_connection, 2.0, "descriptors per accepted connection");
    drop(clients);
    assert!(
        wait_until(Duration::from_secs(5), || {
            events.drain();
            engine.live_sockets().len() == 1
        }),
        "the echo server closes each connection its client left"
    );
    assert!(
        wait_until(Duration::from_secs(5), || count("/proc/self/fd")
            == fds_before),
        "descriptors: {fds_before} before, {} after",
        count("/proc/self/fd")
    );
    drop(engine);
    drop(events);
}
