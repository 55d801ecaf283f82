//! Many clients at one workbench server, as a load generator or a class of forty would
//! connect (PRODUCT, Performance: "connections are cheap"). The real app (WorkbenchApp in an
//! egui_kittest harness, a frame every 16 ms) runs the "listen with a responder" quick start
//! (echo); real clients connect from a second process (this program started again as the
//! client), because one process cannot hold both ends of 9,000 connections under a
//! 20,000-descriptor limit. Printed:
//!
//! - clients held at once, served (each sends one line and gets its echo), failed;
//! - the first reply's latency (connect() started -> echo received), p50 / p99 / max;
//! - the server process's memory (RSS) before, while holding them (and per connection),
//!   descriptors and threads per connection, and frame times of the window while it holds
//!   them (timeline and sockets panel open);
//! - memory, descriptors and threads after they leave;
//! - rounds of 1,000 clients, each round closed before the next: RSS after each, and where
//!   it stands against the first round that filled the session's cap on closed sockets.
//!
//! Run with `cargo bench --bench connections`. CONNECTIONS_CLIENTS (default 9,000),
//! CONNECTIONS_ROUNDS (default 100) and CONNECTIONS_ROUND_SIZE (1,000) change the figures;
//! CONNECTIONS_HOLD_SECS and CONNECTIONS_PAUSE_SECS keep the process still while it holds the
//! clients and after they left, to look at it from outside (/proc/PID/smaps).
//! CONNECTIONS_EXIT_BEFORE / CONNECTIONS_EXIT_AFTER end the process right after the "before"
//! or "after they leave" figure, for a heap profiler: under heaptrack, what is still allocated
//! then shows as leaked, so the two runs' difference is what the wave left behind.

use egui_kittest::Harness;
use socket_workbench::i18n::Lang;
use socket_workbench::script;
use socket_workbench::ui::{ViewKind, WorkbenchApp};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const FRAME: Duration = Duration::from_millis(16);
/// The client's connects in flight at once (connect started, echo not yet back).
const IN_FLIGHT: usize = 64;
const MESSAGE: &[u8] = b"hello\n";

mod common;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn main() {
    if let Ok(address) = std::env::var("CONNECTIONS_CLIENT_OF") {
        client::run(&address);
        return;
    }
    server::run();
}

/// What this process holds now.
#[derive(Clone, Copy, Debug)]
struct Usage {
    rss_mb: f64,
    /// Of it, memory that is not a mapped file (heap, stacks).
    anonymous_mb: f64,
    /// What the program has allocated and not freed (the allocator may hold more).
    heap_in_use_mb: f64,
    descriptors: usize,
    threads: usize,
}

impl Usage {
    fn now() -> Usage {
        let descriptors = std::fs::read_dir("/proc/self/fd")
            .map(|dir| dir.count())
            .unwrap_or(0);
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let field = |name: &str| -> f64 {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or(0.0)
        };
        let threads = field("Threads:") as usize;
        Usage {
            rss_mb: common::rss_mb(),
            anonymous_mb: field("RssAnon:") * 1024.0 / 1e6,
            heap_in_use_mb: socket_workbench::engine::heap_in_use_bytes().unwrap_or(0) as f64 / 1e6,
            descriptors,
            threads,
        }
    }
}

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "RSS {:.1} MB ({:.1} MB anonymous, {:.1} MB heap in use), {} descriptors, {} threads",
            self.rss_mb, self.anonymous_mb, self.heap_in_use_mb, self.descriptors, self.threads
        )
    }
}

mod server {
    use super::*;

    /// The app with the quick start's echo server, and the client process.
    struct Bench {
        harness: Harness<'static, WorkbenchApp>,
        client: Child,
        to_client: ChildStdin,
        from_client: mpsc::Receiver<String>,
    }

    impl Bench {
        fn start() -> Bench {
            let mut harness: Harness<'static, WorkbenchApp> = Harness::builder()
                .with_size(egui::vec2(1600.0, 1000.0))
                .build_eframe(|cc| WorkbenchApp::new(&cc.egui_ctx).with_language(Lang::En));
            // The "Listen with a responder" quick start, on a port the kernel picks.
            let text = r#"
title = "Quick start: Listen (echo)"
show = ["server"]
[[step]]
do = [
  "server = socket(AF_INET, SOCK_STREAM)",
  "server.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)",
  "server.bind(('127.0.0.1', 0))",
  "server.listen(128)",
  "server.auto(accept, receive, respond='echo')",
]
"#;
            let script = script::parse(text).expect("the bench script parses");
            harness.state_mut().open_script(script);
            harness.state_mut().run_all_steps();
            let port = loop {
                harness.step();
                let session = harness.state().session();
                let listening = session.sockets().find_map(|view| {
                    (view.state == socket_workbench::engine::Lifecycle::Listening)
                        .then(|| view.local.as_ref().and_then(|address| address.port()))
                        .flatten()
                });
                if let Some(port) = listening {
                    break port;
                }
                std::thread::sleep(FRAME);
            };
            {
                let app = harness.state_mut();
                if !app.view_open(ViewKind::Timeline) {
                    app.toggle_view(ViewKind::Timeline);
                }
            }
            let mut client = Command::new(std::env::current_exe().expect("own path"))
                .env("CONNECTIONS_CLIENT_OF", format!("127.0.0.1:{port}"))
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .expect("the client process starts");
            let to_client = client.stdin.take().expect("stdin");
            let stdout = client.stdout.take().expect("stdout");
            let (lines, from_client) = mpsc::channel();
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if lines.send(line).is_err() {
                        return;
                    }
                }
            });
            Bench {
                harness,
                client,
                to_client,
                from_client,
            }
        }

        /// Frames every 16 ms until the client answers; returns its line.
        fn ask(&mut self, command: &str) -> String {
            writeln!(self.to_client, "{command}").expect("the client takes commands");
            self.to_client.flush().expect("flush");
            loop {
                let frame_start = Instant::now();
                self.harness.step();
                if let Ok(line) = self.from_client.try_recv() {
                    return line;
                }
                std::thread::sleep(FRAME.saturating_sub(frame_start.elapsed()));
            }
        }

        /// The engine's open sockets (the listener and its connections).
        fn open_sockets(&self) -> usize {
            self.harness.state().core().live_socket_count()
        }

        /// Frames until the engine holds `count` sockets (or 60 s pass); the wait.
        fn frames_until_open(&mut self, count: usize) -> Duration {
            let started = Instant::now();
            while self.open_sockets() != count && started.elapsed() < Duration::from_secs(60) {
                let frame_start = Instant::now();
                self.harness.step();
                std::thread::sleep(FRAME.saturating_sub(frame_start.elapsed()));
            }
            started.elapsed()
        }

        /// A few more frames, so the window has drawn what the session now holds.
        fn settle(&mut self) {
            for _ in 0..30 {
                let frame_start = Instant::now();
                self.harness.step();
                std::thread::sleep(FRAME.saturating_sub(frame_start.elapsed()));
            }
        }

        /// Frames for `time`, nothing else happening.
        fn idle(&mut self, time: Duration) {
            let started = Instant::now();
            while started.elapsed() < time {
                let frame_start = Instant::now();
                self.harness.step();
                std::thread::sleep(FRAME.saturating_sub(frame_start.elapsed()));
            }
        }

        /// Frame times (egui's pass plus tessellation), one every 16 ms.
        fn frame_times(&mut self, frames: usize) -> Vec<Duration> {
            (0..frames)
                .map(|_| {
                    let started = Instant::now();
                    self.harness.step();
                    let output = self.harness.output();
                    let shapes = output.shapes.clone();
                    let pixels_per_point = output.pixels_per_point;
                    std::hint::black_box(self.harness.ctx.tessellate(shapes, pixels_per_point));
                    let took = started.elapsed();
                    std::thread::sleep(FRAME.saturating_sub(took));
                    took
                })
                .collect()
        }
    }

    fn percentile(sorted: &[Duration], q: f64) -> f64 {
        let index = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len().max(1)) - 1;
        sorted.get(index).map_or(0.0, |d| d.as_secs_f64() * 1e3)
    }

    pub fn run() {
        let clients = env_number("CONNECTIONS_CLIENTS", 9_000);
        let rounds = env_number("CONNECTIONS_ROUNDS", 100);
        let round_size = env_number("CONNECTIONS_ROUND_SIZE", 1_000);
        let mut bench = Bench::start();
        if let Ok(kept) = std::env::var("CONNECTIONS_CLOSED_KEPT") {
            // What the closed sockets kept by the cap cost, seen by keeping fewer.
            let core = bench.harness.state_mut().core_mut();
            let limits = core.session().limits();
            core.set_limits(socket_workbench::session::Limits {
                max_closed_sockets: kept.parse().unwrap_or(limits.max_closed_sockets),
                ..limits
            });
        }
        bench.settle();
        let before = Usage::now();
        println!("echo server up, nothing connected      : {before}");
        if std::env::var("CONNECTIONS_EXIT_BEFORE").is_ok() {
            std::process::exit(0);
        }

        // 1. Many clients at once.
        let answer = bench.ask(&format!("open {clients}"));
        println!("{clients} clients ({IN_FLIGHT} connecting at a time): {answer}");
        let waited = bench.frames_until_open(clients + 1);
        // Idle connections: their automatic receive buffers are let go after 500 ms quiet.
        bench.idle(Duration::from_secs(2));
        let held = Usage::now();
        let open = bench.open_sockets().saturating_sub(1);
        println!(
            "  the workbench holds {open} connections (seen {:.1} s after the last reply)",
            waited.as_secs_f64()
        );
        println!("  holding them                          : {held}");
        let per = |a: f64, b: f64| (a - b) / open.max(1) as f64;
        println!(
            "  per connection                        : {:.1} KiB, {:.2} descriptors, {:.2} threads",
            per(held.rss_mb, before.rss_mb) * 1e6 / 1024.0,
            per(held.descriptors as f64, before.descriptors as f64),
            per(held.threads as f64, before.threads as f64),
        );
        if let Ok(secs) = std::env::var("CONNECTIONS_HOLD_SECS") {
            // Time to look at the process from outside while it holds them.
            bench.idle(Duration::from_secs(secs.parse().unwrap_or(0)));
        }
        let mut frames = bench.frame_times(120);
        frames.sort_unstable();
        println!(
            "  window frames with them (timeline open): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            percentile(&frames, 0.5),
            percentile(&frames, 0.99),
            percentile(&frames, 1.0)
        );

        // 2. They leave.
        let answer = bench.ask("close");
        let waited = bench.frames_until_open(1);
        // A quiet moment: the memory of a wave that came and went is given back after 1 s.
        bench.idle(Duration::from_millis(1_500));
        let after = Usage::now();
        if let Ok(secs) = std::env::var("CONNECTIONS_PAUSE_SECS") {
            // Time to look at the process from outside (smaps) before the rounds.
            bench.idle(Duration::from_secs(secs.parse().unwrap_or(0)));
        }
        println!(
            "after they leave ({answer}, all closed {:.1} s later): {after}",
            waited.as_secs_f64()
        );
        println!(
            "  memory against before they came       : {:+.0} %",
            100.0 * (after.rss_mb - before.rss_mb) / before.rss_mb
        );
        if std::env::var("CONNECTIONS_EXIT_AFTER").is_ok() {
            std::process::exit(0);
        }
        let stats = bench.harness.state().session().stats();
        println!(
            "  the session keeps {} sockets ({} forgotten), {} log entries, {:.1} MB of received data",
            stats.sockets_total,
            stats.forgotten_sockets,
            stats.log_entries,
            stats.retained_bytes as f64 / 1e6
        );

        // 3. Churn.
        println!("{rounds} rounds of {round_size} clients, each round closed before the next:");
        let mut after_rounds = Vec::new();
        let mut cap_reached: Option<(usize, f64)> = None;
        let mut log_cap_reached: Option<(usize, f64)> = None;
        for round in 1..=rounds {
            let answer = bench.ask(&format!("open {round_size}"));
            bench.frames_until_open(round_size + 1);
            bench.ask("close");
            bench.frames_until_open(1);
            bench.idle(Duration::from_millis(1_500));
            let usage = Usage::now();
            let forgotten = bench.harness.state().session().forgotten_sockets();
            if cap_reached.is_none() && forgotten > 0 {
                cap_reached = Some((round, usage.rss_mb));
            }
            let log_full = bench.harness.state().session().stats().dropped_log_entries > 0;
            if log_cap_reached.is_none() && log_full {
                log_cap_reached = Some((round, usage.rss_mb));
            }
            after_rounds.push(usage.rss_mb);
            if round <= 3 || round % 10 == 0 || round == rounds {
                let session = bench.harness.state().session();
                let (log_entries, listener_entries) = (
                    session.log_len(),
                    session
                        .log()
                        .filter(|entry| {
                            session
                                .socket(entry.socket())
                                .is_some_and(|view| view.parent.is_none())
                        })
                        .count(),
                );
                println!(
                    "  round {round:>3}: {answer}; then {usage}, {forgotten} closed sockets \
                     forgotten, {log_entries} log entries ({listener_entries} of the listener)"
                );
            }
        }
        let last = after_rounds.last().copied().unwrap_or(0.0);
        match cap_reached {
            Some((round, rss)) => println!(
                "  the closed-socket cap was first reached in round {round} at RSS {rss:.1} MB; after round {rounds}: {last:.1} MB ({:+.1} MB)",
                last - rss
            ),
            None => println!(
                "  the closed-socket cap was never reached; after round {rounds}: {last:.1} MB"
            ),
        }
        // The call log fills up to its own cap (Limits::max_log_entries) and then stays.
        match log_cap_reached {
            Some((round, rss)) => {
                let highest_since = after_rounds[round - 1..]
                    .iter()
                    .copied()
                    .fold(f64::MIN, f64::max);
                println!(
                    "  the log's cap was first reached in round {round} at RSS {rss:.1} MB; the highest since {highest_since:.1} MB, after round {rounds}: {last:.1} MB ({:+.1} MB)",
                    last - rss
                );
            }
            None => println!("  the log's cap was not reached in {rounds} rounds"),
        }
        let _ = bench.ask("quit");
        let _ = bench.client.wait();
    }
}

/// The client process: connects, sends one line each, waits for its echo, holds.
mod client {
    use super::*;
    use socket2::{Domain, SockAddr, Socket, Type};
    use std::io::Read;
    use std::os::fd::AsRawFd;

    struct Connecting {
        socket: Socket,
        started: Instant,
        sent: bool,
        got: usize,
    }

    pub fn run(address: &str) {
        let address: std::net::SocketAddr = address.parse().expect("address");
        let mut held: Vec<Socket> = Vec::new();
        let stdin = std::io::stdin();
        for line in stdin.lock().lines().map_while(Result::ok) {
            let mut words = line.split_whitespace();
            match (words.next(), words.next().and_then(|n| n.parse().ok())) {
                (Some("open"), Some(count)) => {
                    let report = open(&address, count, &mut held);
                    println!("{report}");
                }
                (Some("close"), _) => {
                    let count = held.len();
                    held.clear();
                    println!("{count} closed");
                }
                _ => {
                    println!("bye");
                    return;
                }
            }
        }
    }

    #[allow(unsafe_code)]
    fn open(address: &std::net::SocketAddr, count: usize, held: &mut Vec<Socket>) -> String {
        let target = SockAddr::from(*address);
        let mut latencies: Vec<Duration> = Vec::with_capacity(count);
        let mut failures: std::collections::BTreeMap<String, usize> = Default::default();
        let mut in_flight: Vec<Connecting> = Vec::new();
        let mut started = 0;
        let began = Instant::now();
        while started < count || !in_flight.is_empty() {
            while started < count && in_flight.len() < IN_FLIGHT {
                started += 1;
                let socket = match Socket::new(Domain::IPV4, Type::STREAM, None) {
                    Ok(socket) => socket,
                    Err(error) => {
                        *failures.entry(format!("socket: {error}")).or_default() += 1;
                        continue;
                    }
                };
                let _ = socket.set_nonblocking(true);
                let begun = Instant::now();
                match socket.connect(&target) {
                    Ok(()) => {}
                    Err(error) if error.raw_os_error() == Some(libc::EINPROGRESS) => {}
                    Err(error) => {
                        *failures.entry(format!("connect: {error}")).or_default() += 1;
                        continue;
                    }
                }
                in_flight.push(Connecting {
                    socket,
                    started: begun,
                    sent: false,
                    got: 0,
                });
            }
            let mut fds: Vec<libc::pollfd> = in_flight
                .iter()
                .map(|c| libc::pollfd {
                    fd: c.socket.as_raw_fd(),
                    events: if c.sent { libc::POLLIN } else { libc::POLLOUT },
                    revents: 0,
                })
                .collect();
            // SAFETY: fds is a valid array of pollfd for its length.
            let ready = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, 5_000) };
            if ready == 0 {
                *failures.entry("no echo within 5 s".into()).or_default() += in_flight.len();
                in_flight.clear();
                continue;
            }
            let mut kept = Vec::with_capacity(in_flight.len());
            for (index, mut connection) in in_flight.drain(..).enumerate() {
                let revents = fds[index].revents;
                if revents == 0 {
                    kept.push(connection);
                    continue;
                }
                if !connection.sent {
                    match connection.socket.take_error() {
                        Ok(None) => {}
                        Ok(Some(error)) | Err(error) => {
                            *failures.entry(format!("connect: {error}")).or_default() += 1;
                            continue;
                        }
                    }
                    match connection.socket.send(MESSAGE) {
                        Ok(_) => connection.sent = true,
                        Err(error) => {
                            *failures.entry(format!("send: {error}")).or_default() += 1;
                            continue;
                        }
                    }
                    kept.push(connection);
                    continue;
                }
                let mut buffer = [0u8; 64];
                match (&connection.socket).read(&mut buffer) {
                    Ok(0) => {
                        *failures.entry("closed before the echo".into()).or_default() += 1;
                    }
                    Ok(n) => {
                        connection.got += n;
                        if connection.got >= MESSAGE.len() {
                            latencies.push(connection.started.elapsed());
                            held.push(connection.socket);
                        } else {
                            kept.push(connection);
                        }
                    }
                    Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {
                        kept.push(connection);
                    }
                    Err(error) => {
                        *failures.entry(format!("recv: {error}")).or_default() += 1;
                    }
                }
            }
            in_flight = kept;
        }
        latencies.sort_unstable();
        let ms = |q: f64| {
            let index =
                ((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len().max(1)) - 1;
            latencies.get(index).map_or(0.0, |d| d.as_secs_f64() * 1e3)
        };
        let failed: usize = failures.values().sum();
        format!(
            "{} served, {failed} failed {failures:?}, in {:.1} s; first reply p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            latencies.len(),
            began.elapsed().as_secs_f64(),
            ms(0.5),
            ms(0.99),
            ms(1.0)
        )
    }
}
