//! A TCP relay's threads: one listening, and one per connection that moves bytes both ways
//! between the client and the target through each direction's [`Shaper`].

use super::faults::{Shaper, Verdict};
use super::{Control, RelayEvent, Way};
use crate::engine::Event;
use crate::engine::registry::Shared;
use crate::engine::sys::{self, PollFd, Wake};
use socket2::{Domain, SockAddr, Socket, Type};
use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// The most read from a side in one go.
const READ_CHUNK_BYTES: usize = 64 * 1024;
/// How long the relay waits for the target to accept a client's connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const CONNECTION_STACK_BYTES: usize = 1024 * 1024;

fn emit(shared: &Shared, event: RelayEvent) {
    shared.emit(Event::Relay(event));
}

fn errno_of(error: &io::Error) -> i32 {
    error.raw_os_error().unwrap_or(libc::EIO)
}

/// The listening thread: binds, then accepts until the relay stops, each client on a
/// thread of its own; at the end waits for them.
pub(super) fn listen(shared: Arc<Shared>, control: Arc<Control>, wake: Arc<Wake>) {
    let relay = control.relay;
    let listener = match bind(&control.spec.listen) {
        Ok(listener) => listener,
        Err(error) => {
            emit(
                &shared,
                RelayEvent::Failed {
                    relay,
                    at_us: shared.now_us(),
                    errno: errno_of(&error),
                },
            );
            return;
        }
    };
    let local = listener
        .local_addr()
        .ok()
        .and_then(|address| address.as_socket())
        .unwrap_or(control.spec.listen);
    emit(
        &shared,
        RelayEvent::Listening {
            relay,
            at_us: shared.now_us(),
            local,
        },
    );
    let mut connections: Vec<std::thread::JoinHandle<()>> = Vec::new();
    while !control.stopping.load(Ordering::Acquire) {
        let mut fds = [
            PollFd {
                fd: listener.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
            PollFd {
                fd: wake.raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        if sys::poll(&mut fds, -1).is_err() {
            break;
        }
        wake.clear();
        connections.retain(|thread| !thread.is_finished());
        loop {
            let (client, address) = match listener.accept() {
                Ok(accepted) => accepted,
                Err(_) => break,
            };
            let connection = control.next_connection.fetch_add(1, Ordering::Relaxed);
            let client_address = address.as_socket().unwrap_or(local);
            emit(
                &shared,
                RelayEvent::Accepted {
                    relay,
                    connection,
                    at_us: shared.now_us(),
                    client: client_address,
                },
            );
            let shared = Arc::clone(&shared);
            let control = Arc::clone(&control);
            let spawned = std::thread::Builder::new()
                .name(format!("relay-{}-{connection}", relay.0))
                .stack_size(CONNECTION_STACK_BYTES)
                .spawn(move || connect_and_relay(&shared, &control, connection, client));
            match spawned {
                Ok(thread) => connections.push(thread),
                // No thread for it: the client is closed (the Accepted has no Ended; the
                // session shows it as cut short).
                Err(_) => continue,
            }
        }
    }
    drop(listener);
    for thread in connections {
        let _ = thread.join();
    }
    emit(
        &shared,
        RelayEvent::Stopped {
            relay,
            at_us: shared.now_us(),
        },
    );
}

fn bind(address: &std::net::SocketAddr) -> io::Result<Socket> {
    let socket = Socket::new(Domain::for_address(*address), Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.bind(&SockAddr::from(*address))?;
    socket.listen(128)?;
    socket.set_nonblocking(true)?;
    Ok(socket)
}

/// Sends RST instead of FIN when the socket is closed.
fn reset(socket: Socket) {
    let _ = socket.set_linger(Some(Duration::ZERO));
    drop(socket);
}

fn connect_and_relay(shared: &Shared, control: &Control, connection: u64, client: Socket) {
    let relay = control.relay;
    let target = control.spec.target;
    let server = Socket::new(Domain::for_address(target), Type::STREAM, None).and_then(|socket| {
        socket.connect_timeout(&SockAddr::from(target), CONNECT_TIMEOUT)?;
        Ok(socket)
    });
    let server = match server {
        Ok(server) => server,
        Err(error) => {
            emit(
                shared,
                RelayEvent::ConnectFailed {
                    relay,
                    connection,
                    at_us: shared.now_us(),
                    errno: errno_of(&error),
                },
            );
            // The client meets what a client of the target would: a refused connection.
            reset(client);
            emit(
                shared,
                RelayEvent::Ended {
                    relay,
                    connection,
                    at_us: shared.now_us(),
                    upstream_bytes: 0,
                    downstream_bytes: 0,
                },
            );
            return;
        }
    };
    let local = server
        .local_addr()
        .ok()
        .and_then(|address| address.as_socket())
        .unwrap_or(target);
    emit(
        shared,
        RelayEvent::Connected {
            relay,
            connection,
            at_us: shared.now_us(),
            local,
        },
    );
    let mut pump = match Pump::new(shared, control, connection, [client, server]) {
        Ok(pump) => pump,
        Err(_) => return,
    };
    pump.run();
    let [upstream_bytes, downstream_bytes] = pump.delivered();
    emit(
        shared,
        RelayEvent::Ended {
            relay,
            connection,
            at_us: shared.now_us(),
            upstream_bytes,
            downstream_bytes,
        },
    );
}

/// One direction's progress.
struct Direction {
    way: Way,
    shaper: Shaper,
    /// The source has not closed its side yet.
    source_open: bool,
    /// The close has been passed on to the destination.
    passed_close: bool,
    /// A write to the destination would block: wait for POLLOUT.
    blocked: bool,
}

impl Direction {
    /// The sockets of this direction: (source, destination), as indices of [client, server].
    fn ends(&self) -> (usize, usize) {
        match self.way {
            Way::Upstream => (0, 1),
            Way::Downstream => (1, 0),
        }
    }
}

/// How a connection ended.
enum End {
    Both,
    /// A side reset the connection (or a write met a reset): the other side gets one too.
    ResetBy(Way),
    Fault(Verdict, Way),
    Stopped,
}

struct Pump<'a> {
    shared: &'a Shared,
    control: &'a Control,
    connection: u64,
    sockets: [Option<Socket>; 2],
    directions: [Direction; 2],
    wake: Arc<Wake>,
    generation: u64,
    buffer: Vec<u8>,
    /// Sides poll reported hung up while nothing was asked of them: left out of the next
    /// polls until something is (poll reports a hang-up whatever is asked, and would spin).
    hung_up: [bool; 2],
}

impl<'a> Pump<'a> {
    fn new(
        shared: &'a Shared,
        control: &'a Control,
        connection: u64,
        sockets: [Socket; 2],
    ) -> io::Result<Pump<'a>> {
        for socket in &sockets {
            socket.set_nonblocking(true)?;
            // Pieces go out as the faults cut them, not coalesced by Nagle.
            socket.set_tcp_nodelay(true)?;
        }
        let wake = Arc::new(Wake::new()?);
        control.add_wake(&wake);
        let generation = control.generation.load(Ordering::Acquire);
        let faults = control.faults();
        let now_us = shared.now_us();
        let seed = control.spec.seed;
        let directions = Way::BOTH.map(|way| Direction {
            way,
            shaper: Shaper::new(
                faults[way.index()].clone(),
                seed,
                connection * 2 + way.index() as u64,
                now_us,
            ),
            source_open: true,
            passed_close: false,
            blocked: false,
        });
        let [client, server] = sockets;
        Ok(Pump {
            shared,
            control,
            connection,
            sockets: [Some(client), Some(server)],
            directions,
            wake,
            generation,
            buffer: Vec::new(),
            hung_up: [false; 2],
        })
    }

    fn delivered(&self) -> [u64; 2] {
        [
            self.directions[0].shaper.delivered_bytes(),
            self.directions[1].shaper.delivered_bytes(),
        ]
    }

    fn event(&self, event: RelayEvent) {
        emit(self.shared, event);
    }

    fn run(&mut self) {
        let end = loop {
            if self.control.stopping.load(Ordering::Acquire) {
                break End::Stopped;
            }
            self.take_new_faults();
            let now_us = self.shared.now_us();
            if let Some(end) = self.verdicts(now_us) {
                break end;
            }
            if let Some(end) = self.write_due(now_us) {
                break end;
            }
            self.pass_closes(now_us);
            if self
                .directions
                .iter()
                .all(|direction| direction.passed_close)
            {
                break End::Both;
            }
            if let Some(end) = self.wait_and_read() {
                break end;
            }
        };
        self.finish(end);
    }

    fn take_new_faults(&mut self) {
        let generation = self.control.generation.load(Ordering::Acquire);
        if generation == self.generation {
            return;
        }
        self.generation = generation;
        let faults = self.control.faults();
        let now_us = self.shared.now_us();
        for direction in &mut self.directions {
            direction
                .shaper
                .set_faults(faults[direction.way.index()].clone(), now_us);
        }
    }

    fn verdicts(&self, now_us: u64) -> Option<End> {
        self.directions.iter().find_map(|direction| {
            direction
                .shaper
                .verdict(now_us)
                .map(|verdict| End::Fault(verdict, direction.way))
        })
    }

    /// Writes what is due in each direction, as far as the destination takes it.
    fn write_due(&mut self, now_us: u64) -> Option<End> {
        for index in 0..2 {
            let (_, destination) = self.directions[index].ends();
            self.directions[index].blocked = false;
            while let Some(due) = self.directions[index].shaper.due(now_us) {
                let allowed = self.directions[index]
                    .shaper
                    .bytes_allowed()
                    .map_or(usize::MAX, |allowed| allowed as usize);
                if allowed == 0 {
                    break;
                }
                let read_us = due.read_us;
                let length = due.bytes.len().min(allowed);
                let Some(socket) = self.sockets[destination].as_ref() else {
                    break;
                };
                match (&*socket).write(&due.bytes[..length]) {
                    Ok(written) => {
                        self.directions[index].shaper.written(written);
                        self.event(RelayEvent::Moved {
                            relay: self.control.relay,
                            connection: self.connection,
                            way: self.directions[index].way,
                            read_us,
                            at_us: self.shared.now_us(),
                            bytes: written,
                        });
                        if written < length {
                            self.directions[index].blocked = true;
                            break;
                        }
                    }
                    Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                        self.directions[index].blocked = true;
                        break;
                    }
                    Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                    // The destination is gone (reset): so is the source's connection.
                    Err(_) => return Some(End::ResetBy(other(self.directions[index].way))),
                }
            }
        }
        None
    }

    /// A source's close is passed on once its bytes have gone (and a slow close waited).
    fn pass_closes(&mut self, now_us: u64) {
        for index in 0..2 {
            let direction = &self.directions[index];
            if direction.passed_close
                || direction
                    .shaper
                    .close_due_us()
                    .is_none_or(|due_us| due_us > now_us)
            {
                continue;
            }
            let (_, destination) = direction.ends();
            if let Some(socket) = self.sockets[destination].as_ref() {
                let _ = socket.shutdown(std::net::Shutdown::Write);
            }
            self.directions[index].passed_close = true;
            self.event(RelayEvent::HalfClosed {
                relay: self.control.relay,
                connection: self.connection,
                way: self.directions[index].way,
                at_us: now_us,
            });
        }
    }

    /// The next moment something is due (a piece, a close, a reset by time).
    fn next_deadline_us(&self) -> Option<u64> {
        self.directions
            .iter()
            .flat_map(|direction| {
                [
                    direction.shaper.next_due_us(),
                    (!direction.passed_close)
                        .then(|| direction.shaper.close_due_us())
                        .flatten(),
                    direction.shaper.verdict_due_us(),
                ]
            })
            .flatten()
            .min()
    }

    /// Waits for either side, the wake-up, or the next deadline; reads what came.
    fn wait_and_read(&mut self) -> Option<End> {
        let mut events = [0i16; 2];
        for direction in &self.directions {
            let (source, destination) = direction.ends();
            if direction.source_open && direction.shaper.wants_read() {
                events[source] |= libc::POLLIN;
            }
            if direction.blocked {
                events[destination] |= libc::POLLOUT;
            }
        }
        let mut fds: Vec<PollFd> = Vec::with_capacity(3);
        for (index, socket) in self.sockets.iter().enumerate() {
            if let Some(socket) = socket {
                let ignored = self.hung_up[index] && events[index] == 0;
                fds.push(PollFd {
                    fd: if ignored { -1 } else { socket.as_raw_fd() },
                    events: events[index],
                    revents: 0,
                });
            }
        }
        fds.push(PollFd {
            fd: self.wake.raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        });
        let timeout_ms = match self.next_deadline_us() {
            Some(deadline_us) => {
                let wait_us = deadline_us.saturating_sub(self.shared.now_us());
                i32::try_from(wait_us.div_ceil(1_000)).unwrap_or(i32::MAX)
            }
            None => -1,
        };
        if sys::poll(&mut fds, timeout_ms).is_err() {
            return Some(End::Stopped);
        }
        self.wake.clear();
        for (index, fd) in fds.iter().take(2).enumerate() {
            self.hung_up[index] = fd.revents & libc::POLLHUP != 0 && events[index] == 0;
        }
        for index in 0..2 {
            let direction = &self.directions[index];
            let (source, _) = direction.ends();
            let revents = fds.get(source).map_or(0, |fd| fd.revents);
            let asked = events[source] & libc::POLLIN != 0;
            if !direction.source_open
                || revents & (libc::POLLIN | libc::POLLHUP | libc::POLLERR) == 0
            {
                continue;
            }
            if !asked && revents & libc::POLLERR == 0 {
                continue;
            }
            if let Some(end) = self.read_from(index) {
                return Some(end);
            }
        }
        None
    }

    fn read_from(&mut self, index: usize) -> Option<End> {
        let (source, _) = self.directions[index].ends();
        let socket = self.sockets[source].as_ref()?;
        self.buffer.resize(READ_CHUNK_BYTES, 0);
        match (&*socket).read(&mut self.buffer) {
            Ok(0) => {
                let now_us = self.shared.now_us();
                let direction = &mut self.directions[index];
                direction.source_open = false;
                direction.shaper.source_closed(now_us);
            }
            Ok(count) => {
                let now_us = self.shared.now_us();
                self.directions[index]
                    .shaper
                    .push(&self.buffer[..count], now_us);
            }
            Err(error)
                if matches!(
                    error.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
                ) => {}
            Err(_) => return Some(End::ResetBy(self.directions[index].way)),
        }
        // An idle relay keeps no 64 KiB buffer per connection.
        if self
            .directions
            .iter()
            .all(|direction| direction.shaper.queued_bytes() == 0)
        {
            self.buffer = Vec::new();
        }
        None
    }

    fn reported_reset(&self, way: Way, by_fault: bool, at_us: u64) {
        self.event(RelayEvent::Reset {
            relay: self.control.relay,
            connection: self.connection,
            way,
            at_us,
            by_fault,
        });
    }

    fn finish(&mut self, end: End) {
        let [client, server] = [self.sockets[0].take(), self.sockets[1].take()];
        let now_us = self.shared.now_us();
        match end {
            End::Both | End::Stopped => {}
            End::Fault(Verdict::Close, _) => {
                for socket in [&client, &server].into_iter().flatten() {
                    let _ = socket.shutdown(std::net::Shutdown::Both);
                }
            }
            End::Fault(Verdict::Reset, way) => {
                for socket in [client, server].into_iter().flatten() {
                    reset(socket);
                }
                self.reported_reset(way, true, now_us);
            }
            End::ResetBy(way) => {
                // The side that did not reset gets the RST the other side sent.
                let other_side = match way {
                    Way::Upstream => server,
                    Way::Downstream => client,
                };
                if let Some(socket) = other_side {
                    reset(socket);
                }
                self.reported_reset(way, false, now_us);
            }
        }
    }
}

fn other(way: Way) -> Way {
    match way {
        Way::Upstream => Way::Downstream,
        Way::Downstream => Way::Upstream,
    }
}
