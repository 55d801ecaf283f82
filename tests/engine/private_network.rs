//! A private network namespace (PRODUCT part 14, for people without CAP_NET_RAW): sockets made
//! in it talk to each other on its own loopback, the machine's cannot reach them, the system
//! table reads its sockets, closing one still sends its FIN, and the wire is captured there
//! without privilege. Where this system refuses unprivileged user namespaces the tests say
//! they were skipped and why.

use crate::common::{Bench, WAIT, socket_addr};
use socket_workbench::engine::proc_net;
use socket_workbench::engine::{Call, Event, Family, SockType, Value, WireReport};
use std::time::Instant;

/// Switches the bench to a private network; false (and a printed reason) where refused.
fn private(bench: &Bench, test: &str) -> bool {
    match bench.engine.use_private_network() {
        Ok(()) => true,
        Err(why) => {
            println!("SKIPPED {test}: {why}");
            false
        }
    }
}

#[test]
fn sockets_in_a_private_network_reach_each_other_and_not_the_machine() {
    let mut bench = Bench::new();
    if !private(
        &bench,
        "sockets_in_a_private_network_reach_each_other_and_not_the_machine",
    ) {
        return;
    }
    assert!(bench.engine.in_private_network());
    let (client, conn, listener) = bench.pair(Family::Ipv4);
    let address = bench.local(listener);
    // The same address from the machine's network does not reach the private listener (it
    // fails, or reaches some other program that happens to have that port there).
    let from_machine = std::net::TcpStream::connect_timeout(
        &socket_addr(&address),
        std::time::Duration::from_millis(500),
    );
    assert_eq!(
        bench.snapshot(listener).accept_queue,
        Some(0),
        "the machine's network reached a private listener at {address:?} ({from_machine:?})"
    );
    // Data crosses, and close() still sends a FIN: b'' (the helper keeps no copy of a socket).
    assert_eq!(bench.send(client, b"hi"), Value::Int(2));
    assert_eq!(bench.recv(conn, 16).as_deref(), Some(&b"hi"[..]));
    bench.ok(client, Call::Close);
    assert_eq!(
        bench.recv(conn, 16).as_deref(),
        Some(&b""[..]),
        "the FIN arrived"
    );

    // The system table of the private network lists our sockets; the machine's does not.
    let pid = bench
        .engine
        .network_pid()
        .expect("a process in the private network");
    let ours = bench.engine.socket_inodes();
    assert!(!ours.is_empty());
    let listed = |table: &proc_net::SystemTable| {
        table
            .sockets
            .iter()
            .filter(|s| ours.contains(&s.inode))
            .count()
    };
    assert!(
        listed(&proc_net::read_all(Some(pid))) >= 2,
        "the listener and conn in /proc/{pid}/net/tcp"
    );
    assert_eq!(
        listed(&proc_net::read_all(None)),
        0,
        "none in the machine's /proc/net"
    );

    // Sockets made from now on are the machine's again; those made before keep working.
    bench.engine.use_machine_network();
    assert!(!bench.engine.in_private_network());
    let machine = bench.socket(Family::Ipv4, SockType::Stream);
    let _ = bench.call(machine, Call::Connect(address.clone()));
    assert_eq!(
        bench.snapshot(listener).accept_queue,
        Some(0),
        "a machine socket reached the private listener"
    );
    assert_eq!(listed(&proc_net::read_all(None)), 0);
    assert_eq!(bench.send(conn, b"still"), Value::Int(5));
}

#[test]
fn a_private_network_is_refused_once_sockets_are_open() {
    let mut bench = Bench::new();
    let _open = bench.socket(Family::Ipv4, SockType::Stream);
    let refused = bench
        .engine
        .use_private_network()
        .expect_err("a socket is open in the machine's network");
    assert!(refused.contains("sockets are open already"), "{refused}");
    assert!(!bench.engine.in_private_network());
}

/// The point of it: capture on the private loopback, whatever this process's capabilities
/// (the lessons' test runs the binary without CAP_NET_RAW as well).
#[test]
fn the_wire_is_captured_in_a_private_network() {
    let mut bench = Bench::new();
    if !private(&bench, "the_wire_is_captured_in_a_private_network") {
        return;
    }
    bench.engine.set_wire(true);
    let deadline = Instant::now() + WAIT;
    loop {
        let state = bench.seen.iter().find_map(|event| match event {
            Event::Wire(WireReport::Started {
                private_network, ..
            }) => Some(Ok(*private_network)),
            Event::Wire(WireReport::Unavailable { problem, .. }) => Some(Err(problem.message())),
            _ => None,
        });
        match state {
            Some(Ok(private_network)) => {
                assert!(private_network, "Started says where");
                break;
            }
            Some(Err(message)) => panic!("capture in the private network failed: {message}"),
            None => {}
        }
        assert!(
            Instant::now() < deadline,
            "the wire never said whether it runs"
        );
        bench.pump(std::time::Duration::from_millis(20));
    }
    let (client, _conn, _listener) = bench.pair(Family::Ipv4);
    bench.ok(client, Call::Close);
    let labels: Vec<String> = crate::wire::segments_so_far(&mut bench, 1)
        .iter()
        .map(|segment| segment.label())
        .collect();
    assert_eq!(&labels[..3], ["SYN", "SYN, ACK", "ACK"], "{labels:?}");
    assert!(
        labels.iter().any(|label| label.starts_with("FIN")),
        "{labels:?}"
    );
}
