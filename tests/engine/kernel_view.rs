//! The kernel view and the system socket table on real sockets (127.0.0.1, port 0): queues
//! filling, the accept queue, TIME_WAIT after close, our sockets found in /proc/net, and the
//! gauges and the table drawn. Every wait is bounded, so a test fails instead of hanging.
//! Linux only: elsewhere there is no /proc/net and no kernel snapshot.
#![cfg(target_os = "linux")]

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use socket_workbench::engine::KernelSnapshot;
use socket_workbench::engine::proc_net::{self, SystemSocket};
use socket_workbench::engine::{
    AddrArg, Call, Event, Family, RecvFlags, SockType, SocketAddress, SocketId,
};
use socket_workbench::session::{Limits, Session, SocketView};
use socket_workbench::ui::SystemTableView;
use socket_workbench::ui::{
    KERNEL_NOT_AVAILABLE, REFRESH_INTERVAL_US, kernel_gauges_ui, wants_refresh,
};
use std::collections::HashSet;
use std::time::{Duration, Instant};

use crate::common::{Bench, WAIT};

/// A listener on 127.0.0.1 port 0 and its address.
fn listener_address(bench: &mut Bench, backlog: i32) -> (SocketId, SocketAddress) {
    let (listener, _) = bench.listener(Family::Ipv4, backlog);
    let address = bench.local_address(listener);
    (listener, address)
}

impl Bench {
    /// A session fed with every event seen, plus a fresh snapshot of `socket`.
    fn view_with_snapshot(&mut self, socket: SocketId) -> (SocketView, u64) {
        self.engine.snapshot(socket).expect("socket exists");
        let deadline = Instant::now() + WAIT;
        while !self
            .seen
            .iter()
            .any(|event| matches!(event, Event::Kernel { socket: id, .. } if *id == socket))
        {
            assert!(Instant::now() < deadline, "no kernel snapshot");
            if let Some(event) = self.events.recv_timeout(Duration::from_millis(50)) {
                self.seen.push(event);
            }
        }
        self.pump(Duration::from_millis(50));
        let mut session = Session::new(Limits::default());
        session.apply_all(self.seen.iter().cloned());
        let now_us = session.latest_us();
        let view = session.socket(socket).expect("the socket's view").clone();
        (view, now_us)
    }

    /// Every address our sockets had, as the app collects them.
    fn our_addresses(&self) -> HashSet<SocketAddress> {
        let mut session = Session::new(Limits::default());
        session.apply_all(self.seen.iter().cloned());
        session.addresses_seen().clone()
    }
}

fn send(data: &[u8]) -> Call {
    Call::Send {
        data: data.to_vec(),
    }
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

/// The system table's line with this local address (and state, if given).
fn find_in_table(local: &SocketAddress, state: Option<&str>) -> Option<SystemSocket> {
    proc_net::read_all(None)
        .sockets
        .into_iter()
        .find(|socket| socket.local == *local && state.is_none_or(|state| socket.state == state))
}

#[test]
fn receive_queue_fills_while_nobody_reads() {
    let mut bench = Bench::new();
    let (client, server, _) = bench.pair(Family::Ipv4);
    let before = bench.snapshot(server);
    assert!(before.available);
    assert_eq!(before.rx_queue, Some(0));
    assert!(before.rcvbuf.is_some_and(|size| size > 0));
    let chunk = vec![b'x'; 1000];
    for sent in 1..=3u32 {
        bench.ok(client, send(&chunk));
        assert!(
            wait_until(WAIT, || bench.snapshot(server).rx_queue
                == Some(sent * 1000)),
            "the receive queue should hold {} bytes",
            sent * 1000
        );
    }
    let snapshot = bench.snapshot(server);
    assert_eq!(snapshot.tcp_state.as_deref(), Some("ESTABLISHED"));
    // The system table sees the same queue.
    let server_address = bench.local_address(server);
    let line = proc_net::read_all(None)
        .sockets
        .into_iter()
        .find(|socket| {
            socket.local == server_address && socket.state == "ESTABLISHED" && socket.inode != 0
        })
        .expect("the accepted connection in /proc/net/tcp");
    assert_eq!(line.rx_queue, 3000);
    assert!(proc_net::own_inodes().contains(&line.inode));
    // Reading empties it.
    bench.ok(
        server,
        Call::Recv {
            bufsize: 4096,
            flags: RecvFlags::default(),
        },
    );
    assert!(wait_until(WAIT, || bench.snapshot(server).rx_queue == Some(0)));
}

#[test]
fn accept_queue_holds_two_unaccepted_clients() {
    let mut bench = Bench::new();
    let (listener, address) = listener_address(&mut bench, 5);
    let empty = bench.snapshot(listener);
    assert_eq!(empty.tcp_state.as_deref(), Some("LISTEN"));
    assert_eq!((empty.accept_queue, empty.backlog), (Some(0), Some(5)));
    for _ in 0..2 {
        let client = bench.socket(Family::Ipv4, SockType::Stream);
        bench.ok(client, Call::Connect(address.to_arg()));
    }
    assert!(wait_until(WAIT, || bench.snapshot(listener).accept_queue == Some(2)));
    let snapshot = bench.snapshot(listener);
    assert_eq!(snapshot.backlog, Some(5));
    // /proc/net/tcp shows a listener's accept queue as its rx_queue.
    let line = find_in_table(&address, Some("LISTEN")).expect("the listener in /proc/net/tcp");
    assert_eq!((line.rx_queue, line.tx_queue), (2, 0));
}

#[test]
fn the_side_that_closes_first_is_left_in_time_wait() {
    let mut bench = Bench::new();
    let (client, server, _) = bench.pair(Family::Ipv4);
    let client_address = bench.local_address(client);
    let client_port = client_address.port().expect("a port");
    bench.ok(client, Call::Close);
    // The server sees EOF (CLOSE_WAIT), then closes too.
    assert!(wait_until(WAIT, || {
        bench.snapshot(server).tcp_state.as_deref() == Some("CLOSE_WAIT")
    }));
    bench.ok(server, Call::Close);
    assert!(
        wait_until(WAIT, || find_in_table(&client_address, Some("TIME_WAIT"))
            .is_some()),
        "the client's side should be in TIME_WAIT"
    );
    let line = find_in_table(&client_address, Some("TIME_WAIT")).expect("TIME_WAIT line");
    assert_eq!(line.inode, 0, "TIME_WAIT belongs to no process");
    assert_eq!(line.local.port(), Some(client_port));
    // It is still ours: by its address.
    let own = proc_net::own_inodes();
    assert!(proc_net::is_ours(&line, &own, &bench.our_addresses()));
    // The server closed second: no TIME_WAIT on its side of this connection.
    assert!(proc_net::read_all(None).sockets.iter().all(|socket| {
        !(socket.remote.as_ref() == Some(&client_address) && socket.state == "TIME_WAIT")
    }));
}

#[test]
fn system_table_lists_our_listener_with_our_inode() {
    let mut bench = Bench::new();
    let (_listener, address) = listener_address(&mut bench, 3);
    let table = proc_net::read_all(None);
    assert!(table.unavailable.is_none());
    assert!(table.errors.is_empty(), "{:?}", table.errors);
    let line = table
        .sockets
        .iter()
        .find(|socket| socket.local == address)
        .expect("our listener in /proc/net/tcp");
    assert_eq!(line.state, "LISTEN");
    assert_eq!(
        line.remote.as_ref().map(ToString::to_string).as_deref(),
        Some("('0.0.0.0', 0)")
    );
    assert_ne!(line.inode, 0);
    assert!(proc_net::own_inodes().contains(&line.inode));
    assert!(proc_net::is_ours(
        line,
        &proc_net::own_inodes(),
        &HashSet::new()
    ));
}

#[test]
fn refresh_is_due_every_quarter_second_while_open() {
    let mut bench = Bench::new();
    let (listener, _) = listener_address(&mut bench, 5);
    let (view, now_us) = bench.view_with_snapshot(listener);
    assert!(wants_refresh(&view, None, now_us));
    assert!(!wants_refresh(&view, Some(now_us), now_us + 100_000));
    assert!(wants_refresh(
        &view,
        Some(now_us),
        now_us + REFRESH_INTERVAL_US
    ));
    let mut closed = view.clone();
    closed.closed = true;
    assert!(!wants_refresh(&closed, None, now_us));
}

#[test]
fn gauges_show_the_accept_queue_as_2_of_5() {
    let mut bench = Bench::new();
    let (listener, address) = listener_address(&mut bench, 5);
    for _ in 0..2 {
        let client = bench.socket(Family::Ipv4, SockType::Stream);
        bench.ok(client, Call::Connect(address.to_arg()));
    }
    assert!(wait_until(WAIT, || bench.snapshot(listener).accept_queue == Some(2)));
    let (view, now_us) = bench.view_with_snapshot(listener);
    let mut harness = Harness::new_ui(move |ui| kernel_gauges_ui(ui, &view, now_us));
    harness.run_steps(2);
    harness.get_by_label("2 of 5");
    harness.get_by_label("LISTEN");
    harness.get_by_label("accept queue");
    assert!(
        harness
            .query_all_by_label_contains("waiting for connections")
            .next()
            .is_some()
    );
}

#[test]
fn gauges_show_close_wait_and_the_receive_queue() {
    let mut bench = Bench::new();
    let (client, server, _) = bench.pair(Family::Ipv4);
    bench.ok(client, send(b"hello"));
    bench.ok(client, Call::Close);
    assert!(wait_until(WAIT, || {
        let snapshot = bench.snapshot(server);
        snapshot.tcp_state.as_deref() == Some("CLOSE_WAIT") && snapshot.rx_queue == Some(5)
    }));
    let (view, now_us) = bench.view_with_snapshot(server);
    let mut harness = Harness::new_ui(move |ui| kernel_gauges_ui(ui, &view, now_us));
    harness.run_steps(2);
    harness.get_by_label("CLOSE_WAIT");
    harness.get_by_label("the peer closed; we have not called close()");
    harness.get_by_label("receive queue");
    assert!(
        harness
            .query_all_by_label_contains("5 B of ")
            .next()
            .is_some(),
        "the receive queue bar reads 5 B of SO_RCVBUF"
    );
}

#[test]
fn gauges_say_when_the_os_does_not_tell() {
    let mut bench = Bench::new();
    let (listener, _) = listener_address(&mut bench, 5);
    let (mut view, now_us) = bench.view_with_snapshot(listener);
    view.kernel = Some(Box::new((now_us, KernelSnapshot::default())));
    let mut harness = Harness::new_ui(move |ui| kernel_gauges_ui(ui, &view, now_us));
    harness.run_steps(2);
    harness.get_by_label(KERNEL_NOT_AVAILABLE);
}

#[test]
fn system_table_shows_our_time_wait_highlighted_with_only_ours() {
    let mut bench = Bench::new();
    let (client, server, _) = bench.pair(Family::Ipv4);
    let client_address = bench.local_address(client);
    let port = client_address.port().expect("a port").to_string();
    bench.ok(client, Call::Close);
    bench.pump(Duration::from_millis(50));
    bench.ok(server, Call::Close);
    assert!(wait_until(WAIT, || find_in_table(
        &client_address,
        Some("TIME_WAIT")
    )
    .is_some()));
    bench.pump(Duration::from_millis(50));
    let addresses = bench.our_addresses();
    assert!(addresses.contains(&client_address));

    let mut harness = Harness::new_ui_state(
        move |ui, view: &mut SystemTableView| view.ui(ui, &addresses),
        SystemTableView::new(),
    );
    // The first reading happens on its own thread.
    let deadline = Instant::now() + WAIT;
    while !harness.state().has_read() {
        assert!(Instant::now() < deadline, "the table was never read");
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    harness.run_steps(2);
    harness.get_by_label("only ours").click();
    harness.run_steps(2);
    assert!(harness.state().only_ours());
    let field = harness.get_by_role_and_label(Role::TextInput, "port");
    field.focus();
    field.type_text(&port);
    harness.run_steps(3);
    // Another test's connection may have been given the same ephemeral port (to another
    // listener) and be in TIME_WAIT too: at least one row of each, the exact row below.
    for label in ["TIME_WAIT", "ours", &client_address.to_string()] {
        assert!(
            harness.query_all_by_label(label).next().is_some(),
            "{label} is shown"
        );
    }
    // Nothing that is not ours is shown.
    let our_addresses = {
        let mut session = Session::new(Limits::default());
        session.apply_all(bench.seen.iter().cloned());
        session.addresses_seen().clone()
    };
    let rows = harness.state().visible_rows(&our_addresses);
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|(_, ours)| *ours));
    let table = harness.state().table();
    assert!(rows.iter().any(|(index, _)| {
        let socket = &table.sockets[*index];
        socket.state == "TIME_WAIT" && socket.local == client_address
    }));
}

/// Not a check: how long reading the table takes with 500 extra sockets open. Run with
/// `cargo test --test kernel_view -- --ignored --nocapture read_all_timing`.
#[test]
#[ignore]
fn read_all_timing() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    let mut held = Vec::new();
    for _ in 0..250 {
        let client = std::net::TcpStream::connect(address).expect("connect");
        let (server, _) = listener.accept().expect("accept");
        held.push((client, server));
    }
    let runs = 50;
    let started = Instant::now();
    let mut count = 0;
    for _ in 0..runs {
        count = proc_net::read_all(None).sockets.len();
    }
    let read_all = started.elapsed() / runs;
    let started = Instant::now();
    for _ in 0..runs {
        assert!(proc_net::own_inodes().len() >= 500);
    }
    let own = started.elapsed() / runs;
    let started = Instant::now();
    for _ in 0..runs {
        for proto in proc_net::Proto::ALL {
            assert!(std::fs::read_to_string(proto.path()).is_ok());
        }
    }
    let raw = started.elapsed() / runs;
    println!("reading the five files without parsing: {raw:?}");
    println!(
        "read_all: {read_all:?} for {count} sockets; own_inodes: {own:?} for {} fds",
        proc_net::own_inodes().len()
    );
}

#[test]
fn only_the_workbench_sockets_are_ours_not_the_process_others() {
    // The window's connection to the display server is a socket this process holds too: it
    // must never be marked as one of ours. A plain Unix socket pair stands in for it.
    let (display, _other_end) = std::os::unix::net::UnixStream::pair().expect("socketpair");
    let display_inode = std::fs::read_link(format!(
        "/proc/self/fd/{}",
        std::os::fd::AsRawFd::as_raw_fd(&display)
    ))
    .ok()
    .and_then(|link| proc_net::socket_inode(&link.to_string_lossy()));
    let Some(display_inode) = display_inode else {
        println!("skipped: /proc/self/fd is not readable here");
        return;
    };
    let mut bench = Bench::new();
    let server = bench.socket(Family::Ipv4, SockType::Stream);
    bench.ok(server, Call::Bind(AddrArg::inet("127.0.0.1", 0)));
    bench.ok(server, Call::Listen { backlog: 1 });
    let ours = bench.engine.socket_inodes();
    assert!(proc_net::own_inodes().contains(&display_inode));
    assert!(!ours.contains(&display_inode), "{ours:?}");
    let line = proc_net::read_all(None)
        .sockets
        .into_iter()
        .find(|line| ours.contains(&line.inode))
        .expect("our listener is in /proc/net/tcp");
    assert_eq!(line.state, "LISTEN");
    assert!(proc_net::is_ours(&line, &ours, &Default::default()));
}
