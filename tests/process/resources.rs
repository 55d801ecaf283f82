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
