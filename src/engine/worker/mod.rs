//! The thread that owns one socket.
//!
//! The socket is always non-blocking at the OS level; the person's mode (blocking,
//! non-blocking, timeout) is honoured here: a call is tried at once, exactly as the kernel
//! would run it, and if the kernel says "would block" in blocking or timeout mode the call
//! becomes pending and the thread waits in poll(2) on the socket and on its mailbox's eventfd.
//! That keeps every pending call cancellable, lets close() end a blocked call, and lets a
//! send run while a recv waits (reads and writes queue separately).

use super::address::SocketAddress;
use super::command::{
    AddrArg, Automation, Call, CallId, Command, DEFAULT_AUTO_RECV_BUFSIZE,
    DEFAULT_DATAGRAM_FLOOD_CHUNK, DEFAULT_FLOOD_CHUNK, Family, Mode, Origin, RecvFlags,
    ShutdownHow, SockType, SocketId,
};
use super::event::{
    AutoSummary, CallContext, CancelReason, Event, Lifecycle, Outcome, Returned, Started,
    StateChange, Value, WokenBy,
};
use super::kernel;
use super::mailbox::Mailbox;
use super::options::{self, OptError};
use super::registry::Shared;
use super::responder::ResponderState;
use super::sys::{self, PollFd};
use auto::Auto;
use socket2::{SockAddr, Socket};
use std::collections::VecDeque;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::time::{Duration, Instant};

mod auto;
mod calls;
mod recv_buffer;

#[cfg(target_os = "linux")]
const SEND_FLAGS: libc::c_int = libc::MSG_NOSIGNAL;
#[cfg(not(target_os = "linux"))]
const SEND_FLAGS: libc::c_int = 0;

/// Datagram receives ask for the real length of a longer datagram (Linux).
#[cfg(target_os = "linux")]
const DATAGRAM_TRUNC_FLAG: libc::c_int = libc::MSG_TRUNC;
#[cfg(not(target_os = "linux"))]
const DATAGRAM_TRUNC_FLAG: libc::c_int = 0;

/// Automatic calls reported one by one per window; beyond that they are summarised.
const AUTO_INDIVIDUAL_PER_WINDOW: u32 = 20;
const AUTO_WINDOW: Duration = Duration::from_millis(100);
/// How many automatic calls one loop turn makes before it looks at commands again.
const AUTO_CALLS_PER_TURN: usize = 64;
const SUMMARY_SAMPLE_BYTES: usize = 4096;
/// Automatic replies waiting for a peer that does not read: past this, the responder stops
/// receiving until the backlog drains.
const OUTBOX_LIMIT_BYTES: usize = 1024 * 1024;
/// Automatic accept at EMFILE/ENFILE waits this long at first, doubling up to the maximum.
const ACCEPT_BACKOFF_MIN: Duration = Duration::from_millis(50);
const ACCEPT_BACKOFF_MAX: Duration = Duration::from_secs(2);
/// Retry period where the kernel gives no readiness to wait for (full Unix backlog, a
/// MSG_PEEK|MSG_WAITALL that must see more data arrive).
const RETRY_PERIOD: Duration = Duration::from_millis(5);

/// How a finished call ended, with what it moved.
#[derive(Debug)]
pub(crate) struct Finish {
    outcome: Outcome,
    bytes_moved: usize,
    data: Option<Vec<u8>>,
    from: Option<SocketAddress>,
    truncated_from: Option<usize>,
    /// See [`CallContext::nothing_bound_at_destination`].
    nothing_bound_at_destination: bool,
}

impl Finish {
    fn ok(value: Value) -> Finish {
        Finish {
            outcome: Outcome::Ok(value),
            bytes_moved: 0,
            data: None,
            from: None,
            truncated_from: None,
            nothing_bound_at_destination: false,
        }
    }
    fn outcome(outcome: Outcome) -> Finish {
        Finish {
            outcome,
            ..Finish::ok(Value::None)
        }
    }
    fn errno(error: &io::Error) -> Finish {
        Finish::outcome(errno_outcome(error))
    }
    fn moved(mut self, bytes: usize) -> Finish {
        self.bytes_moved = bytes;
        self
    }
}

fn errno_outcome(error: &io::Error) -> Outcome {
    match error.raw_os_error() {
        Some(code) => Outcome::Errno(code),
        None => Outcome::Invalid(error.to_string()),
    }
}

fn would_block(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::WouldBlock
}

enum Attempt {
    Done(Finish),
    Wait,
}

/// A call that could not finish at once.
struct Pending {
    call_id: CallId,
    call: Call,
    started_us: u64,
    deadline: Option<Instant>,
    timeout_ms: u64,
    /// Bytes sent so far (send / sendall).
    progress: usize,
    /// Bytes collected so far (recv with MSG_WAITALL).
    collected: Vec<u8>,
    /// Wait on a timer instead of readiness until then.
    retry_at: Option<Instant>,
    /// connect() has been issued and is in progress.
    connect_issued: bool,
    /// Whether poll() had to wait for this call.
    waited: bool,
    /// The call runs in blocking mode (no timeout, not non-blocking, no MSG_DONTWAIT): it
    /// follows the kernel's blocking paths, which differ from a non-blocking call's.
    blocking: bool,
}

pub(crate) struct Worker {
    shared: Arc<Shared>,
    id: SocketId,
    socket: Option<Socket>,
    family: Family,
    sock_type: SockType,
    state: Lifecycle,
    mode: Mode,
    /// Signalled when a command is sent to this thread.
    mailbox: Arc<Mailbox>,
    reads: VecDeque<Pending>,
    writes: VecDeque<Pending>,
    /// What the socket does by itself, and what that needs to remember between turns.
    auto: Auto,
    peer_closed: bool,
    /// close() was called while other calls were pending. As on Linux, the descriptor is gone
    /// for new calls but the socket lives on until those calls return (a blocked recv can
    /// still get data, a blocked accept a connection); then it is released.
    closing: bool,
    /// Accepted connections waiting to start until the accept is reported (their senders are
    /// dropped then).
    gates: Vec<crossbeam_channel::Sender<()>>,
    /// shutdown(SHUT_RD) or SHUT_RDWR succeeded: an empty recv is our own doing.
    read_shut: bool,
    /// shutdown(SHUT_WR) or SHUT_RDWR succeeded.
    write_shut: bool,
    /// The state last reported (boxed: the worker of an idle connection is kept small).
    last_reported: Option<Box<StateChange>>,
    /// This thread's stack, and whether it has been busy since its unused pages were last
    /// given back (done when it goes idle).
    stack: Option<sys::ThreadStack>,
    busy_since_release: bool,
}

impl Worker {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        shared: Arc<Shared>,
        id: SocketId,
        socket: Socket,
        family: Family,
        sock_type: SockType,
        state: Lifecycle,
        automation: Automation,
        mailbox: Arc<Mailbox>,
    ) -> Worker {
        let mut worker = Worker {
            shared,
            id,
            socket: Some(socket),
            family,
            sock_type,
            state,
            mode: Mode::Blocking,
            mailbox,
            reads: VecDeque::new(),
            writes: VecDeque::new(),
            auto: Auto::new(),
            peer_closed: false,
            closing: false,
            gates: Vec::new(),
            read_shut: false,
            write_shut: false,
            last_reported: None,
            stack: None,
            busy_since_release: true,
        };
        worker.set_automation(automation);
        worker
    }

    pub(crate) fn run(mut self: Box<Self>) {
        self.stack = sys::ThreadStack::current();
        if self.auto.automation.is_on() {
            // An accepted connection inherits its listener's automatic behaviour: say so, as
            // for a socket whose automation is set by hand (after its Opened event and the
            // accept that created it).
            self.shared.emit(Event::Automation {
                socket: self.id,
                at_us: self.shared.now_us(),
                automation: self.auto.automation.clone(),
            });
        }
        self.report_state();
        while self.socket.is_some() {
            self.release_if_closed();
            if self.socket.is_none() {
                break;
            }
            while let Some(command) = self.mailbox.take() {
                self.handle(command);
                // A cancel may have ended the last call that kept a closed socket alive:
                // release it now, before waiting for anything again.
                self.release_if_closed();
                if self.socket.is_none() {
                    break;
                }
            }
            if self.socket.is_none() {
                break;
            }
            self.wait_and_progress();
        }
        // Forget first: from now on the engine answers calls on this socket itself, so a
        // command is either already in the channel (answered below) or never sent.
        self.shared.forget_worker(self.id);
        // Commands that raced with close still get an answer, so nothing waits forever.
        for command in self.mailbox.close() {
            if let Command::Call {
                call_id,
                call,
                origin,
            } = command
            {
                let started_us = self.shared.now_us();
                self.emit_started(call_id, &call, origin, started_us);
                let finish = closed_socket_finish(&call);
                self.emit_returned(call_id, started_us, finish, WokenBy::NoWait);
            }
        }
        self.flush_summary();
        // Whoever sees ThreadEnded also sees the socket gone from the engine.
        self.shared.emit(Event::ThreadEnded {
            socket: self.id,
            at_us: self.shared.now_us(),
        });
    }

    fn socket(&self) -> io::Result<&Socket> {
        self.socket
            .as_ref()
            .ok_or_else(|| io::Error::from_raw_os_error(libc::EBADF))
    }

    fn is_stream(&self) -> bool {
        self.sock_type == SockType::Stream
    }

    // ----- commands -------------------------------------------------------------------------

    // Not inlined: the frame a thread waits in stays small (see ThreadStack).
    #[inline(never)]
    fn handle(&mut self, command: Command) {
        match command {
            Command::Call {
                call_id,
                call,
                origin,
            } => self.start_call(call_id, call, origin),
            Command::Cancel => self.cancel_all(CancelReason::User),
            Command::CancelForClose => self.cancel_all(CancelReason::Closed),
            Command::SetAutomation {
                automation,
                requested_us,
            } => {
                self.shared.emit(Event::Automation {
                    socket: self.id,
                    at_us: requested_us,
                    automation: automation.clone(),
                });
                self.set_automation(automation);
            }
            Command::Snapshot => {
                if let Some(socket) = &self.socket {
                    let is_tcp = self.family != Family::Unix && self.is_stream();
                    let snapshot = kernel::snapshot(socket, is_tcp);
                    self.shared.emit(Event::Kernel {
                        socket: self.id,
                        at_us: self.shared.now_us(),
                        snapshot,
                    });
                }
            }
        }
    }

    fn set_automation(&mut self, automation: Automation) {
        let responder_changed = self.auto.responder.as_ref().map(|state| state.responder())
            != automation.responder.as_ref();
        if responder_changed {
            self.auto.responder = automation.responder.clone().map(ResponderState::new);
        }
        if automation.flood.is_some() && self.auto.automation.flood != automation.flood {
            self.auto.flood_started = Some(Instant::now());
            self.auto.flood_sent = 0;
        }
        self.auto.automation = automation;
    }

    fn emit_started(&self, call_id: CallId, call: &Call, origin: Origin, at_us: u64) {
        self.shared.emit(Event::Started(Started {
            socket: self.id,
            call_id,
            at_us,
            call: call.clone(),
            origin,
        }));
    }

    fn emit_returned(
        &mut self,
        call_id: CallId,
        started_us: u64,
        finish: Finish,
        woken_by: WokenBy,
    ) {
        // The state a call produced is reported before the call's return.
        self.report_state();
        let explainable = !matches!(finish.outcome, Outcome::Ok(_))
            || matches!(finish.outcome, Outcome::Ok(Value::Bytes(0)))
            || finish.nothing_bound_at_destination;
        let context = explainable.then(|| CallContext {
            nothing_bound_at_destination: finish.nothing_bound_at_destination,
            ..self.context()
        });
        let at_us = self.shared.now_us();
        self.shared.emit(Event::Returned(Returned {
            socket: self.id,
            call_id,
            at_us,
            duration_us: at_us.saturating_sub(started_us),
            outcome: finish.outcome,
            bytes_moved: finish.bytes_moved,
            data: finish.data,
            from: finish.from,
            truncated_from: finish.truncated_from,
            woken_by,
            context,
        }));
        self.gates.clear();
    }

    /// What the kernel says about this socket now, for explaining a result.
    fn context(&self) -> CallContext {
        let socket = self.socket.as_ref();
        CallContext {
            family: self.family,
            sock_type: self.sock_type,
            reuse_addr: socket.is_some_and(|socket| socket.reuse_address().unwrap_or(false)),
            v6only: self.family == Family::Ipv6
                && socket.is_some_and(|socket| socket.only_v6().unwrap_or(false)),
            read_shut: self.read_shut,
            write_shut: self.write_shut,
            nothing_bound_at_destination: false,
        }
    }
}

impl Worker {
    // ----- the wait --------------------------------------------------------------------------

    fn wait_and_progress(&mut self) {
        let now = Instant::now();
        let mut events: libc::c_short = 0;
        let mut next_timer: Option<Instant> = None;
        let mut note_timer = |at: Instant| {
            next_timer = Some(next_timer.map_or(at, |current: Instant| current.min(at)));
        };
        for pending in self.reads.front().into_iter().chain(self.writes.front()) {
            if let Some(deadline) = pending.deadline {
                note_timer(deadline);
            }
        }
        match self.reads.front() {
            Some(pending) => match pending.retry_at {
                Some(at) => note_timer(at),
                None => events |= libc::POLLIN,
            },
            None if self.auto_reading() => events |= libc::POLLIN,
            None => {}
        }
        match self.writes.front() {
            Some(pending) => match pending.retry_at {
                Some(at) => note_timer(at),
                None => events |= libc::POLLOUT,
            },
            None if !self.auto.outbox.is_empty() => events |= libc::POLLOUT,
            None => {
                if let Some(delay) = self.flood_delay(now) {
                    if delay.is_zero() {
                        events |= libc::POLLOUT;
                    } else {
                        note_timer(now + delay);
                    }
                }
            }
        }
        if self.auto.summary.is_some() {
            note_timer(self.auto.window_start + AUTO_WINDOW);
        }
        if let Some(at) = self.auto.buffer.release_at() {
            note_timer(at);
        }
        if let Some(until) = self.auto.accept_paused_until {
            if until > now {
                note_timer(until);
            } else {
                self.auto.accept_paused_until = None;
            }
        }
        if self.responder_clock_runs()
            && let Some(at) = self
                .auto
                .responder
                .as_mut()
                .and_then(|responder| responder.deadline(now))
        {
            note_timer(at);
        }
        let timeout_ms = match next_timer {
            None => {
                // Idle until something comes: keep only the stack it needs to wait.
                if std::mem::take(&mut self.busy_since_release)
                    && let Some(stack) = &self.stack
                {
                    stack.release_unused();
                }
                -1
            }
            Some(at) => {
                let wait = at.saturating_duration_since(now);
                // Round up so a deadline is never missed by a rounding millisecond.
                wait.as_micros().div_ceil(1000).min(i32::MAX as u128) as i32
            }
        };
        let socket_fd = match (&self.socket, events) {
            (Some(socket), events) if events != 0 => socket.as_raw_fd(),
            // poll ignores negative fds: with nothing to wait for, a hung-up socket must not
            // make poll return at once forever.
            _ => -1,
        };
        let mut fds = [
            PollFd {
                fd: self.mailbox.wake_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
            PollFd {
                fd: socket_fd,
                events,
                revents: 0,
            },
        ];
        if let Err(error) = sys::poll(&mut fds, timeout_ms) {
            // Nothing sensible can continue if poll itself fails: end pending calls with it.
            let pending: Vec<Pending> = self.reads.drain(..).chain(self.writes.drain(..)).collect();
            for pending in pending {
                self.emit_returned(
                    pending.call_id,
                    pending.started_us,
                    Finish::errno(&error),
                    WokenBy::HangupOrError,
                );
            }
            std::thread::sleep(RETRY_PERIOD);
            return;
        }
        if fds[0].revents != 0 {
            self.mailbox.clear_wake();
        }
        let revents = fds[1].revents;
        self.busy_since_release = true;
        self.progress(revents);
        self.auto.buffer.release_if_idle(Instant::now());
        if self.responder_clock_runs()
            && let Some(reply) = self
                .auto
                .responder
                .as_mut()
                .and_then(|responder| responder.on_timer(Instant::now()))
        {
            // A client too slow to send its request: answered (408), then closed.
            self.auto.outbox.extend(reply.data);
            self.auto.shutdown_after_outbox |= reply.then_shutdown_write;
            self.auto.close_after_outbox = true;
            self.after_outbox();
        }
    }

    // Not inlined: the frame a thread waits in stays small (see ThreadStack).
    #[inline(never)]
    fn progress(&mut self, revents: libc::c_short) {
        let hangup = revents & (libc::POLLHUP | libc::POLLERR) != 0;
        let readable = revents & libc::POLLIN != 0 || hangup;
        let writable = revents & libc::POLLOUT != 0 || hangup;
        let woken_by = |ready: bool| {
            if hangup {
                WokenBy::HangupOrError
            } else if ready {
                if revents & libc::POLLIN != 0 {
                    WokenBy::Readable
                } else {
                    WokenBy::Writable
                }
            } else {
                WokenBy::NoWait
            }
        };
        self.progress_queue(true, readable, woken_by(readable));
        self.progress_queue(false, writable, woken_by(writable));
        if self.socket.is_none() {
            return;
        }
        if self.reads.is_empty() && readable {
            self.auto_read();
        }
        if self.writes.is_empty() {
            if writable && !self.auto.outbox.is_empty() {
                self.auto_write_outbox();
            }
            if self.auto.outbox.is_empty() {
                self.after_outbox();
                self.auto_flood();
            }
        }
        self.tick_auto_window();
    }

    fn progress_queue(&mut self, is_read: bool, ready: bool, woken_by: WokenBy) {
        loop {
            let queue = if is_read {
                &mut self.reads
            } else {
                &mut self.writes
            };
            let Some(mut pending) = queue.pop_front() else {
                return;
            };
            let now = Instant::now();
            let retry_due = pending.retry_at.is_some_and(|at| at <= now);
            let deadline_passed = pending
                .deadline
                .is_some_and(|deadline| deadline <= Instant::now());
            if self.closing && pending.deadline.is_some() && (ready || deadline_passed) {
                // CPython in timeout mode waits in poll(2) and then calls on the descriptor,
                // which close() has taken away: EBADF once the socket is ready or time is up.
                let finish = Finish::errno(&io::Error::from_raw_os_error(libc::EBADF));
                let woken = if ready { woken_by } else { WokenBy::Timeout };
                self.emit_returned(pending.call_id, pending.started_us, finish, woken);
                continue;
            }
            if ready || retry_due {
                pending.retry_at = None;
                match self.attempt(&mut pending) {
                    Attempt::Done(finish) => {
                        let woken = if retry_due && !ready {
                            WokenBy::Readable
                        } else {
                            woken_by
                        };
                        self.emit_returned(pending.call_id, pending.started_us, finish, woken);
                        // The next queued call gets its own try.
                        continue;
                    }
                    Attempt::Wait => pending.waited = true,
                }
            }
            if pending
                .deadline
                .is_some_and(|deadline| deadline <= Instant::now())
            {
                let finish = self.timeout_result(&pending);
                self.emit_returned(
                    pending.call_id,
                    pending.started_us,
                    finish,
                    WokenBy::Timeout,
                );
                continue;
            }
            let queue = if is_read {
                &mut self.reads
            } else {
                &mut self.writes
            };
            queue.push_front(pending);
            return;
        }
    }

    // ----- addresses and state ---------------------------------------------------------------

    fn resolve(&self, addr: &AddrArg) -> Result<SockAddr, String> {
        resolve(addr, self.family)
    }

    // Not inlined: the frame a thread waits in stays small (see ThreadStack).
    #[inline(never)]
    fn report_state(&mut self) {
        let (local, peer) = match &self.socket {
            Some(socket) => (
                socket
                    .local_addr()
                    .ok()
                    .map(|address| SocketAddress::from_sock_addr(&address)),
                socket
                    .peer_addr()
                    .ok()
                    .map(|address| SocketAddress::from_sock_addr(&address)),
            ),
            None => (None, None),
        };
        if self.state == Lifecycle::Created && self.sock_type == SockType::Datagram {
            // An unbound UDP socket that sent something now has an ephemeral port.
            let bound = self
                .socket
                .as_ref()
                .and_then(|socket| socket.local_addr().ok())
                .and_then(|address| address.as_socket())
                .is_some_and(|address| address.port() != 0);
            if bound {
                self.state = Lifecycle::Bound;
            }
        }
        let change = StateChange {
            socket: self.id,
            at_us: 0,
            state: self.state,
            mode: self.mode,
            local,
            peer,
        };
        let same = self.last_reported.as_ref().is_some_and(|last| {
            last.state == change.state
                && last.mode == change.mode
                && last.local == change.local
                && last.peer == change.peer
        });
        if same {
            return;
        }
        let mut event = change.clone();
        event.at_us = self.shared.now_us();
        self.last_reported = Some(Box::new(change));
        self.shared.emit(Event::State(event));
    }
}

/// Answers a call on a socket whose thread has ended (it was closed), as CPython would.
pub(crate) fn answer_closed(
    shared: &Shared,
    socket: SocketId,
    call_id: CallId,
    call: Call,
    origin: Origin,
) {
    let at_us = shared.now_us();
    let finish = closed_socket_finish(&call);
    shared.emit(Event::Started(Started {
        socket,
        call_id,
        at_us,
        call,
        origin,
    }));
    shared.emit(Event::Returned(Returned {
        socket,
        call_id,
        at_us,
        duration_us: 0,
        outcome: finish.outcome,
        bytes_moved: 0,
        data: finish.data,
        from: None,
        truncated_from: None,
        woken_by: WokenBy::NoWait,
        context: None,
    }));
}

/// What a call on a closed socket returns in CPython: close() again is None, recv(0) is b''
/// (answered without a syscall), everything else fails with EBADF.
pub(crate) fn closed_socket_finish(call: &Call) -> Finish {
    match call {
        Call::Close => Finish::ok(Value::None),
        Call::Recv { bufsize: 0, .. } => Finish {
            data: Some(Vec::new()),
            ..Finish::ok(Value::Bytes(0))
        },
        _ => Finish::errno(&io::Error::from_raw_os_error(libc::EBADF)),
    }
}

/// Checks and resolves an address argument for a socket of `family`.
pub(crate) fn resolve(addr: &AddrArg, family: Family) -> Result<SockAddr, String> {
    match (addr, family) {
        (AddrArg::Path(path), Family::Unix) => SockAddr::unix(path)
            .map_err(|error| format!("'{path}' cannot be a Unix socket path: {error}")),
        (AddrArg::Path(path), _) => Err(format!(
            "'{path}' is a path, but this {} socket needs (host, port)",
            family.label(crate::i18n::Lang::En)
        )),
        (AddrArg::Inet { .. }, Family::Unix) => {
            Err("a Unix socket's address is a path such as /tmp/demo.sock, not (host, port)".into())
        }
        (AddrArg::Inet { host, port }, _) => {
            let port = u16::try_from(*port)
                .map_err(|_| format!("port {port} is over 65535 (ports are 0-65535)"))?;
            let host = host.trim();
            let want_v6 = family == Family::Ipv6;
            let ip: IpAddr = if host.is_empty() {
                // Python's '' means every local address (INADDR_ANY / in6addr_any).
                if want_v6 {
                    IpAddr::V6(Ipv6Addr::UNSPECIFIED)
                } else {
                    IpAddr::V4(Ipv4Addr::UNSPECIFIED)
                }
            } else if let Ok(ip) = host.trim_matches(['[', ']']).parse::<IpAddr>() {
                ip
            } else {
                let found = (host, port).to_socket_addrs().map_err(|error| {
                    format!("'{host}' is not an IP address and did not resolve: {error}")
                })?;
                let mut found = found.filter(|address| address.is_ipv6() == want_v6);
                found.next().map(|address| address.ip()).ok_or_else(|| {
                    format!(
                        "'{host}' has no {} address",
                        if want_v6 { "IPv6" } else { "IPv4" }
                    )
                })?
            };
            match (ip, want_v6) {
                (IpAddr::V4(_), true) => Err(format!(
                    "{ip} is an IPv4 address; this IPv6 socket needs an IPv6 one (e.g. ::1, or ::ffff:{ip})"
                )),
                (IpAddr::V6(_), false) => Err(format!(
                    "{ip} is an IPv6 address; this IPv4 socket needs an IPv4 one (e.g. 127.0.0.1)"
                )),
                _ => Ok(SockAddr::from(SocketAddr::new(ip, port))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked_before_any_syscall() {
        assert!(
            resolve(&AddrArg::inet("127.0.0.1", 70000), Family::Ipv4)
                .unwrap_err()
                .contains("port 70000 is over 65535")
        );
        assert!(
            resolve(&AddrArg::inet("::1", 80), Family::Ipv4)
                .unwrap_err()
                .contains("IPv6 address")
        );
        assert!(
            resolve(&AddrArg::inet("127.0.0.1", 80), Family::Ipv6)
                .unwrap_err()
                .contains("IPv4 address")
        );
        assert!(resolve(&AddrArg::inet("1.2.3.400", 80), Family::Ipv4).is_err());
        assert!(resolve(&AddrArg::Path("/tmp/x".into()), Family::Ipv4).is_err());
        let any = resolve(&AddrArg::inet("", 0), Family::Ipv4).unwrap();
        assert_eq!(
            SocketAddress::from_sock_addr(&any).to_string(),
            "('0.0.0.0', 0)"
        );
    }
}
