//! The thread that owns one socket.
//!
//! The socket is always non-blocking at the OS level; the person's mode (blocking,
//! non-blocking, timeout) is honoured here: a call is tried at once, exactly as the kernel
//! would run it, and if the kernel says "would block" in blocking or timeout mode the call
//! becomes pending and the thread waits in poll(2) on the socket and on a wake-up socket.
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
use super::options::{self, OptError};
use super::registry::Shared;
use super::responder::ResponderState;
use super::sys::{self, PollFd};
use crossbeam_channel::Receiver;
use socket2::{SockAddr, Socket};
use std::collections::VecDeque;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixDatagram;
use std::sync::Arc;
use std::time::{Duration, Instant};

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
}

impl Finish {
    fn ok(value: Value) -> Finish {
        Finish {
            outcome: Outcome::Ok(value),
            bytes_moved: 0,
            data: None,
            from: None,
            truncated_from: None,
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
    automation: Automation,
    commands: Receiver<Command>,
    wake_reader: UnixDatagram,
    reads: VecDeque<Pending>,
    writes: VecDeque<Pending>,
    responder: Option<ResponderState>,
    /// Automatic replies waiting for room in the send buffer (stream sockets).
    outbox: VecDeque<u8>,
    shutdown_after_outbox: bool,
    close_after_outbox: bool,
    flood_started: Option<Instant>,
    flood_sent: u64,
    /// The bytes a flood sends, kept between sends.
    flood_payload: Arc<[u8]>,
    /// Automatic accept failed for want of descriptors (EMFILE...): not before then.
    accept_paused_until: Option<Instant>,
    accept_backoff: Duration,
    /// The automatic receive loop's buffer, kept between receives.
    auto_buffer: Vec<u8>,
    auto_window_start: Instant,
    auto_budget: u32,
    summary: Option<AutoSummary>,
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
    last_reported: Option<StateChange>,
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
        commands: Receiver<Command>,
        wake_reader: UnixDatagram,
    ) -> Worker {
        let mut worker = Worker {
            shared,
            id,
            socket: Some(socket),
            family,
            sock_type,
            state,
            mode: Mode::Blocking,
            automation: Automation::default(),
            commands,
            wake_reader,
            reads: VecDeque::new(),
            writes: VecDeque::new(),
            responder: None,
            outbox: VecDeque::new(),
            shutdown_after_outbox: false,
            close_after_outbox: false,
            flood_started: None,
            flood_sent: 0,
            flood_payload: Arc::from(Vec::new()),
            auto_buffer: Vec::new(),
            accept_paused_until: None,
            accept_backoff: Duration::ZERO,
            auto_window_start: Instant::now(),
            auto_budget: AUTO_INDIVIDUAL_PER_WINDOW,
            summary: None,
            peer_closed: false,
            closing: false,
            gates: Vec::new(),
            read_shut: false,
            write_shut: false,
            last_reported: None,
        };
        worker.set_automation(automation);
        worker
    }

    pub(crate) fn run(mut self) {
        if self.automation.is_on() {
            // An accepted connection inherits its listener's automatic behaviour: say so, as
            // for a socket whose automation is set by hand (after its Opened event and the
            // accept that created it).
            self.shared.emit(Event::Automation {
                socket: self.id,
                at_us: self.shared.now_us(),
                automation: self.automation.clone(),
            });
        }
        self.report_state();
        while self.socket.is_some() {
            self.release_if_closed();
            if self.socket.is_none() {
                break;
            }
            while let Ok(command) = self.commands.try_recv() {
                self.handle(command);
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
        while let Ok(command) = self.commands.try_recv() {
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
        let responder_changed =
            self.responder.as_ref().map(|state| state.responder()) != automation.responder.as_ref();
        if responder_changed {
            self.responder = automation.responder.clone().map(ResponderState::new);
        }
        if automation.flood.is_some() && self.automation.flood != automation.flood {
            self.flood_started = Some(Instant::now());
            self.flood_sent = 0;
        }
        self.automation = automation;
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
            || matches!(finish.outcome, Outcome::Ok(Value::Bytes(0)));
        let context = explainable.then(|| self.context());
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
        }
    }

    fn start_call(&mut self, call_id: CallId, call: Call, origin: Origin) {
        let started = Instant::now();
        let started_us = self.shared.now_us();
        self.emit_started(call_id, &call, origin, started_us);
        if self.closing || matches!(call, Call::Recv { bufsize: 0, .. }) {
            // After close() the descriptor is gone (EBADF); recv(0) is b'' at once: CPython
            // answers it without a syscall, whatever the socket's state.
            let finish = closed_socket_finish(&call);
            self.emit_returned(call_id, started_us, finish, WokenBy::NoWait);
            return;
        }
        let is_read = matches!(
            call,
            Call::Accept | Call::Recv { .. } | Call::RecvFrom { .. }
        );
        let is_write = matches!(
            call,
            Call::Connect(_) | Call::Send { .. } | Call::SendAll { .. } | Call::SendTo { .. }
        );
        if !is_read && !is_write {
            let finish = self.immediate_call(&call);
            self.emit_returned(call_id, started_us, finish, WokenBy::NoWait);
            return;
        }
        let dontwait = matches!(call, Call::Recv { flags, .. } | Call::RecvFrom { flags, .. } if flags.dontwait);
        let non_blocking = self.mode == Mode::NonBlocking || dontwait;
        let (deadline, timeout_ms) = match self.mode {
            Mode::Timeout { timeout_ms } => (
                Some(started + Duration::from_millis(timeout_ms)),
                timeout_ms,
            ),
            _ => (None, 0),
        };
        let mut pending = Pending {
            call_id,
            call,
            started_us,
            deadline,
            timeout_ms,
            progress: 0,
            collected: Vec::new(),
            retry_at: None,
            connect_issued: false,
            waited: false,
            blocking: !non_blocking && deadline.is_none(),
        };
        let queue_empty = if is_read {
            self.reads.is_empty()
        } else {
            self.writes.is_empty()
        };
        if !queue_empty && !non_blocking {
            // Another call of the same direction is waiting; this one waits behind it.
            self.queue(is_read, pending);
            return;
        }
        match self.attempt(&mut pending) {
            Attempt::Done(finish) => {
                self.emit_returned(call_id, started_us, finish, WokenBy::NoWait)
            }
            Attempt::Wait if non_blocking => {
                let finish = self.would_block_result(&pending);
                self.emit_returned(call_id, started_us, finish, WokenBy::NoWait);
            }
            Attempt::Wait => {
                if pending
                    .deadline
                    .is_some_and(|deadline| deadline <= Instant::now())
                {
                    let finish = self.timeout_result(&pending);
                    self.emit_returned(call_id, started_us, finish, WokenBy::Timeout);
                } else {
                    self.report_state();
                    self.queue(is_read, pending);
                }
            }
        }
    }

    fn queue(&mut self, is_read: bool, pending: Pending) {
        if is_read {
            self.reads.push_back(pending);
        } else {
            self.writes.push_back(pending);
        }
    }

    /// A non-blocking call that found nothing to do: the kernel's answer in that mode.
    fn would_block_result(&self, pending: &Pending) -> Finish {
        match &pending.call {
            Call::Connect(_) if pending.connect_issued => {
                Finish::errno(&io::Error::from_raw_os_error(libc::EINPROGRESS))
            }
            Call::Send { .. } if pending.progress > 0 => {
                Finish::ok(Value::Int(pending.progress as i64)).moved(pending.progress)
            }
            Call::Recv { .. } if !pending.collected.is_empty() => {
                self.recv_finish(pending.collected.clone(), None, None)
            }
            _ => Finish::errno(&io::Error::from_raw_os_error(libc::EWOULDBLOCK))
                .moved(pending.progress),
        }
    }

    fn timeout_result(&self, pending: &Pending) -> Finish {
        match &pending.call {
            Call::Send { .. } if pending.progress > 0 => {
                Finish::ok(Value::Int(pending.progress as i64)).moved(pending.progress)
            }
            Call::Recv { .. } if !pending.collected.is_empty() => {
                self.recv_finish(pending.collected.clone(), None, None)
            }
            _ => Finish::outcome(Outcome::TimedOut {
                timeout_ms: pending.timeout_ms,
            })
            .moved(pending.progress),
        }
    }

    fn cancel_result(&self, pending: &Pending, reason: CancelReason) -> Finish {
        match &pending.call {
            // Like a blocking send interrupted by a signal: the part already sent is the result.
            Call::Send { .. } if pending.progress > 0 => {
                Finish::ok(Value::Int(pending.progress as i64)).moved(pending.progress)
            }
            Call::Recv { .. } if !pending.collected.is_empty() => {
                self.recv_finish(pending.collected.clone(), None, None)
            }
            _ => Finish::outcome(Outcome::Cancelled(reason)).moved(pending.progress),
        }
    }

    fn cancel_all(&mut self, reason: CancelReason) {
        let woken_by = match reason {
            CancelReason::User => WokenBy::Cancel,
            CancelReason::Closed => WokenBy::Close,
        };
        let pending: Vec<Pending> = self.reads.drain(..).chain(self.writes.drain(..)).collect();
        for pending in pending {
            let finish = self.cancel_result(&pending, reason);
            self.emit_returned(pending.call_id, pending.started_us, finish, woken_by);
        }
    }

    /// Releases a closed socket once no call is waiting on it any more (dropping it closes the
    /// descriptor: FIN, or RST with SO_LINGER 0).
    fn release_if_closed(&mut self) {
        if self.closing && self.reads.is_empty() && self.writes.is_empty() && self.socket.is_some()
        {
            self.flush_summary();
            self.socket = None;
        }
    }

    // ----- calls that never wait ------------------------------------------------------------

    fn immediate_call(&mut self, call: &Call) -> Finish {
        match call {
            Call::Bind(addr) => match self.resolve(addr) {
                Err(message) => Finish::outcome(Outcome::Invalid(message)),
                Ok(address) => match self.socket().and_then(|socket| socket.bind(&address)) {
                    Ok(()) => {
                        self.state = Lifecycle::Bound;
                        Finish::ok(Value::None)
                    }
                    Err(error) => Finish::errno(&error),
                },
            },
            Call::Listen { backlog } => {
                match self.socket().and_then(|socket| socket.listen(*backlog)) {
                    Ok(()) => {
                        self.state = Lifecycle::Listening;
                        Finish::ok(Value::None)
                    }
                    Err(error) => Finish::errno(&error),
                }
            }
            Call::Shutdown(how) => {
                let std_how = match how {
                    ShutdownHow::Read => std::net::Shutdown::Read,
                    ShutdownHow::Write => std::net::Shutdown::Write,
                    ShutdownHow::Both => std::net::Shutdown::Both,
                };
                match self.socket().and_then(|socket| socket.shutdown(std_how)) {
                    Ok(()) => {
                        if *how != ShutdownHow::Read {
                            self.state = Lifecycle::WriteShut;
                            self.write_shut = true;
                        }
                        if *how != ShutdownHow::Write {
                            self.read_shut = true;
                        }
                        Finish::ok(Value::None)
                    }
                    Err(error) => Finish::errno(&error),
                }
            }
            Call::Close => {
                self.state = Lifecycle::Closed;
                self.closing = true;
                self.automation = Automation::default();
                self.responder = None;
                self.outbox.clear();
                self.release_if_closed();
                Finish::ok(Value::None)
            }
            Call::SetOpt { name, value } => {
                match self
                    .socket()
                    .map_err(OptError::Os)
                    .and_then(|socket| options::set(socket, name, value))
                {
                    Ok(()) => Finish::ok(Value::None),
                    Err(OptError::Invalid(message)) => Finish::outcome(Outcome::Invalid(message)),
                    Err(OptError::Os(error)) => Finish::errno(&error),
                }
            }
            Call::GetOpt { name } => {
                match self
                    .socket()
                    .map_err(OptError::Os)
                    .and_then(|socket| options::get(socket, name, self.family))
                {
                    Ok(value) => Finish::ok(value),
                    Err(OptError::Invalid(message)) => Finish::outcome(Outcome::Invalid(message)),
                    Err(OptError::Os(error)) => Finish::errno(&error),
                }
            }
            Call::SetBlocking(blocking) => {
                self.mode = if *blocking {
                    Mode::Blocking
                } else {
                    Mode::NonBlocking
                };
                Finish::ok(Value::None)
            }
            Call::SetTimeout(timeout_ms) => {
                self.mode = match timeout_ms {
                    None => Mode::Blocking,
                    Some(0) => Mode::NonBlocking,
                    Some(timeout_ms) => Mode::Timeout {
                        timeout_ms: *timeout_ms,
                    },
                };
                Finish::ok(Value::None)
            }
            Call::GetSockName => match self.socket().and_then(|socket| socket.local_addr()) {
                Ok(address) => Finish::ok(Value::Address(SocketAddress::from_sock_addr(&address))),
                Err(error) => Finish::errno(&error),
            },
            Call::GetPeerName => match self.socket().and_then(|socket| socket.peer_addr()) {
                Ok(address) => Finish::ok(Value::Address(SocketAddress::from_sock_addr(&address))),
                Err(error) => Finish::errno(&error),
            },
            // The waiting calls are never routed here.
            Call::Accept
            | Call::Connect(_)
            | Call::Send { .. }
            | Call::SendAll { .. }
            | Call::SendTo { .. }
            | Call::Recv { .. }
            | Call::RecvFrom { .. } => Finish::outcome(Outcome::Invalid(format!(
                "{} was routed wrongly (a bug)",
                call.name()
            ))),
        }
    }

    // ----- calls that may wait ---------------------------------------------------------------

    fn attempt(&mut self, pending: &mut Pending) -> Attempt {
        let call = pending.call.clone();
        match &call {
            Call::Accept => self.try_accept(),
            Call::Recv { bufsize, flags } => self.try_recv(pending, *bufsize, *flags, false),
            Call::RecvFrom { bufsize, flags } => self.try_recv(pending, *bufsize, *flags, true),
            Call::Connect(addr) => self.try_connect(pending, addr),
            Call::Send { data } => self.try_send(pending, data, false),
            Call::SendAll { data } => self.try_send(pending, data, true),
            Call::SendTo { data, addr } => self.try_send_to(data, addr),
            _ => Attempt::Done(self.immediate_call(&call)),
        }
    }

    fn try_accept(&mut self) -> Attempt {
        let accepted = self.socket().and_then(|socket| socket.accept());
        match accepted {
            Ok((connection, peer)) => {
                let peer = SocketAddress::from_sock_addr(&peer);
                match self.adopt_connection(connection) {
                    Ok(child) => Attempt::Done(Finish::ok(Value::Accepted { child, peer })),
                    Err(message) => Attempt::Done(Finish::outcome(Outcome::Invalid(message))),
                }
            }
            Err(error) if would_block(&error) => Attempt::Wait,
            Err(error) => Attempt::Done(Finish::errno(&error)),
        }
    }

    /// Gives an accepted connection its own thread; it inherits the listener's automatic
    /// receive loop, responder and generator.
    fn adopt_connection(&mut self, connection: Socket) -> Result<SocketId, String> {
        let child_automation = Automation {
            auto_accept: false,
            auto_receive: self.automation.auto_receive || self.automation.responder.is_some(),
            responder: self.automation.responder.clone(),
            flood: self.automation.flood.clone(),
            recv_bufsize: self.automation.recv_bufsize,
        };
        let (open_gate, gate) = crossbeam_channel::bounded(0);
        let child = self
            .shared
            .spawn_worker(
                connection,
                self.family,
                self.sock_type,
                Some(self.id),
                Lifecycle::Connected,
                child_automation,
                Some(gate),
            )
            .map_err(|error| error.to_string())?;
        // Dropped (the child starts) once this accept's result has been reported.
        self.gates.push(open_gate);
        Ok(child)
    }

    fn recv_finish(
        &self,
        data: Vec<u8>,
        from: Option<SocketAddress>,
        real_len: Option<usize>,
    ) -> Finish {
        let len = data.len();
        Finish {
            outcome: Outcome::Ok(Value::Bytes(len)),
            bytes_moved: len,
            data: Some(data),
            from,
            truncated_from: real_len.filter(|real| *real > len),
        }
    }

    fn raw_recv(
        &self,
        bufsize: usize,
        flags: libc::c_int,
        want_source: bool,
    ) -> io::Result<(Vec<u8>, usize, Option<SocketAddress>)> {
        let socket = self.socket()?;
        let mut buffer = vec![0u8; bufsize];
        let (reported, from) = if want_source {
            let (count, source) =
                socket.recv_from_with_flags(sys::as_uninit(&mut buffer), flags)?;
            // No address at all (a TCP peer, an unnamed AF_UNIX sender): Python's None.
            let from = (source.len() > 0).then(|| SocketAddress::from_sock_addr(&source));
            (count, from)
        } else {
            (
                socket.recv_with_flags(sys::as_uninit(&mut buffer), flags)?,
                None,
            )
        };
        buffer.truncate(reported.min(bufsize));
        Ok((buffer, reported, from))
    }

    /// recv / recvfrom into `buffer`: the length the kernel reported (a datagram's real
    /// length with MSG_TRUNC) and the source.
    fn raw_recv_into(
        &self,
        buffer: &mut [u8],
        flags: libc::c_int,
        want_source: bool,
    ) -> io::Result<(usize, Option<SocketAddress>)> {
        let socket = self.socket()?;
        if want_source {
            let (count, source) = socket.recv_from_with_flags(sys::as_uninit(buffer), flags)?;
            let from = (source.len() > 0).then(|| SocketAddress::from_sock_addr(&source));
            Ok((count, from))
        } else {
            Ok((socket.recv_with_flags(sys::as_uninit(buffer), flags)?, None))
        }
    }

    /// An automatic call would be reported on its own now (not folded into a summary).
    fn auto_individual(&self) -> bool {
        self.auto_budget > 0 && self.shared.auto_events_welcome()
    }

    fn try_recv(
        &mut self,
        pending: &mut Pending,
        bufsize: usize,
        flags: RecvFlags,
        want_source: bool,
    ) -> Attempt {
        let mut raw_flags = 0;
        if flags.peek {
            raw_flags |= libc::MSG_PEEK;
        }
        if !self.is_stream() {
            raw_flags |= DATAGRAM_TRUNC_FLAG;
        }
        // MSG_WAITALL waits for bufsize bytes only on the kernel's blocking path: CPython in
        // timeout mode calls recv on a non-blocking descriptor once poll(2) says data is
        // there, and gets what is queued.
        let wait_all = flags.waitall && self.is_stream() && bufsize > 0 && pending.blocking;
        if wait_all && flags.peek {
            // MSG_PEEK|MSG_WAITALL: succeed only once bufsize bytes can be seen at once.
            return match self.raw_recv(bufsize, raw_flags, want_source) {
                Ok((data, _, from)) if data.len() >= bufsize || data.is_empty() => {
                    Attempt::Done(self.recv_finish(data, from, None))
                }
                Ok(_) => {
                    pending.retry_at = Some(Instant::now() + RETRY_PERIOD);
                    Attempt::Wait
                }
                Err(error) if would_block(&error) => Attempt::Wait,
                Err(error) => Attempt::Done(Finish::errno(&error)),
            };
        }
        if wait_all {
            // MSG_WAITALL: collect until bufsize bytes, EOF or an error, as the kernel does.
            loop {
                let wanted = bufsize - pending.collected.len();
                match self.raw_recv(wanted, raw_flags, false) {
                    Ok((data, _, _)) => {
                        let eof = data.is_empty();
                        pending.collected.extend_from_slice(&data);
                        if eof {
                            self.note_eof();
                        }
                        if eof || pending.collected.len() >= bufsize {
                            let data = std::mem::take(&mut pending.collected);
                            return Attempt::Done(self.recv_finish(data, None, None));
                        }
                    }
                    Err(error) if would_block(&error) => return Attempt::Wait,
                    Err(error) => {
                        self.note_error(&error);
                        if pending.collected.is_empty() {
                            return Attempt::Done(Finish::errno(&error));
                        }
                        let data = std::mem::take(&mut pending.collected);
                        return Attempt::Done(self.recv_finish(data, None, None));
                    }
                }
            }
        }
        match self.raw_recv(bufsize, raw_flags, want_source) {
            Ok((data, reported, from)) => {
                if data.is_empty() && self.is_stream() && bufsize > 0 {
                    self.note_eof();
                }
                let real_len = (!self.is_stream()).then_some(reported);
                Attempt::Done(self.recv_finish(data, from, real_len))
            }
            Err(error) if would_block(&error) => Attempt::Wait,
            Err(error) => {
                self.note_error(&error);
                Attempt::Done(Finish::errno(&error))
            }
        }
    }

    fn note_eof(&mut self) {
        self.peer_closed = true;
        if matches!(self.state, Lifecycle::Connected | Lifecycle::Connecting) {
            self.state = Lifecycle::PeerClosed;
        }
    }

    fn note_error(&mut self, error: &io::Error) {
        let fatal = matches!(
            error.raw_os_error(),
            Some(libc::ECONNRESET | libc::EPIPE | libc::ETIMEDOUT | libc::ECONNABORTED)
        );
        if fatal && self.is_stream() {
            self.state = Lifecycle::Error;
        }
    }

    fn try_connect(&mut self, pending: &mut Pending, addr: &AddrArg) -> Attempt {
        if pending.connect_issued {
            return self.check_connect(pending);
        }
        let connected = match self.connect_syscall(addr) {
            Ok(connected) => connected,
            Err(finish) => return Attempt::Done(finish),
        };
        match connected {
            Ok(()) => {
                self.state = Lifecycle::Connected;
                Attempt::Done(Finish::ok(Value::None))
            }
            Err(error) if error.raw_os_error() == Some(libc::EINPROGRESS) => {
                pending.connect_issued = true;
                self.state = Lifecycle::Connecting;
                Attempt::Wait
            }
            // A Unix stream listener with a full backlog: the kernel would wait for room.
            Err(error) if would_block(&error) && self.family == Family::Unix => {
                pending.retry_at = Some(Instant::now() + RETRY_PERIOD);
                Attempt::Wait
            }
            Err(error) => {
                // connect() failing at once leaves the socket as it was (the kernel keeps it
                // unconnected; it can connect again).
                if self.is_stream()
                    && !matches!(error.raw_os_error(), Some(libc::EISCONN | libc::EALREADY))
                {
                    self.state = self.unconnected_state();
                }
                Attempt::Done(Finish::errno(&error))
            }
        }
    }

    fn check_connect(&mut self, pending: &mut Pending) -> Attempt {
        if pending.blocking {
            return self.finish_blocking_connect(pending);
        }
        let socket = match self.socket() {
            Ok(socket) => socket,
            Err(error) => return Attempt::Done(Finish::errno(&error)),
        };
        match socket.take_error() {
            Ok(Some(error)) => {
                self.state = Lifecycle::Error;
                Attempt::Done(Finish::errno(&error))
            }
            Err(error) => Attempt::Done(Finish::errno(&error)),
            Ok(None) => {
                if socket.peer_addr().is_ok() {
                    self.state = Lifecycle::Connected;
                    Attempt::Done(Finish::ok(Value::None))
                } else {
                    let _ = pending;
                    Attempt::Wait
                }
            }
        }
    }

    /// connect(2) to `addr`; an address that cannot be resolved is the call's result.
    fn connect_syscall(&self, addr: &AddrArg) -> Result<io::Result<()>, Finish> {
        let address = self
            .resolve(addr)
            .map_err(|message| Finish::outcome(Outcome::Invalid(message)))?;
        Ok(self.socket().and_then(|socket| socket.connect(&address)))
    }

    /// A blocking connect ends inside connect() itself: calling it again once poll(2) wakes
    /// makes the kernel take the same state transition as its blocking path (connected: a
    /// later connect is EISCONN; refused: the error, and the socket can connect again).
    /// CPython's timeout mode reads SO_ERROR instead, and so does the workbench there.
    fn finish_blocking_connect(&mut self, pending: &mut Pending) -> Attempt {
        let Call::Connect(addr) = &pending.call else {
            return Attempt::Wait;
        };
        let connected = match self.connect_syscall(addr) {
            Ok(connected) => connected,
            Err(finish) => return Attempt::Done(finish),
        };
        match connected {
            Ok(()) => {
                self.state = Lifecycle::Connected;
                Attempt::Done(Finish::ok(Value::None))
            }
            Err(error)
                if matches!(
                    error.raw_os_error(),
                    Some(libc::EALREADY | libc::EINPROGRESS)
                ) =>
            {
                Attempt::Wait
            }
            Err(error) => {
                self.state = self.unconnected_state();
                Attempt::Done(Finish::errno(&error))
            }
        }
    }

    /// The state of a stream socket that is not connected (again): bound if it has a port.
    fn unconnected_state(&self) -> Lifecycle {
        let bound = self
            .socket
            .as_ref()
            .and_then(|socket| socket.local_addr().ok())
            .is_some_and(|address| match address.as_socket() {
                Some(inet) => inet.port() != 0,
                None => address.as_pathname().is_some(),
            });
        if bound {
            Lifecycle::Bound
        } else {
            Lifecycle::Created
        }
    }

    fn try_send(&mut self, pending: &mut Pending, data: &[u8], send_all: bool) -> Attempt {
        // Blocking stream send behaves as the kernel's: it returns once everything is queued.
        // In timeout and non-blocking mode one send() may take only part (Python's behaviour).
        let loop_until_done = send_all || (self.mode == Mode::Blocking && self.is_stream());
        loop {
            let remaining = &data[pending.progress..];
            let result = self
                .socket()
                .and_then(|socket| socket.send_with_flags(remaining, SEND_FLAGS));
            match result {
                Ok(sent) => {
                    pending.progress += sent;
                    let done = pending.progress >= data.len() || !loop_until_done;
                    if done {
                        let value = if send_all {
                            Value::None
                        } else {
                            Value::Int(pending.progress as i64)
                        };
                        return Attempt::Done(Finish::ok(value).moved(pending.progress));
                    }
                }
                Err(error) if would_block(&error) => return Attempt::Wait,
                Err(error) => {
                    self.note_error(&error);
                    if pending.progress > 0 && !send_all {
                        // The kernel reports the part that was sent; the error comes next time.
                        return Attempt::Done(
                            Finish::ok(Value::Int(pending.progress as i64)).moved(pending.progress),
                        );
                    }
                    return Attempt::Done(Finish::errno(&error).moved(pending.progress));
                }
            }
        }
    }

    fn try_send_to(&mut self, data: &[u8], addr: &AddrArg) -> Attempt {
        let address = match self.resolve(addr) {
            Ok(address) => address,
            Err(message) => return Attempt::Done(Finish::outcome(Outcome::Invalid(message))),
        };
        match self
            .socket()
            .and_then(|socket| socket.send_to_with_flags(data, &address, SEND_FLAGS))
        {
            Ok(sent) => {
                if self.state == Lifecycle::Created {
                    // sendto on an unbound socket binds it to an ephemeral port.
                    self.state = Lifecycle::Bound;
                }
                Attempt::Done(Finish::ok(Value::Int(sent as i64)).moved(sent))
            }
            Err(error) if would_block(&error) => Attempt::Wait,
            Err(error) => Attempt::Done(Finish::errno(&error)),
        }
    }

    // ----- the wait --------------------------------------------------------------------------

    fn auto_reading(&self) -> bool {
        let listening = self.state == Lifecycle::Listening;
        let accept_paused = self
            .accept_paused_until
            .is_some_and(|until| until > Instant::now());
        (listening && self.automation.auto_accept && !accept_paused)
            || (!listening
                && (self.automation.auto_receive || self.responder.is_some())
                && !self.peer_closed
                && self.state != Lifecycle::Error
                // Back-pressure: a peer that does not read its replies stops us reading its
                // requests, as a real server blocked in sendall() would.
                && self.outbox.len() < OUTBOX_LIMIT_BYTES)
    }

    /// The responder's timer (HTTP: the request header must arrive in time) runs on a
    /// connected stream whose calls are all automatic.
    fn responder_clock_runs(&self) -> bool {
        self.is_stream()
            && self.state == Lifecycle::Connected
            && self.socket.is_some()
            && self.reads.is_empty()
            && self.writes.is_empty()
    }

    fn flood_delay(&self, now: Instant) -> Option<Duration> {
        let flood = self.automation.flood.as_ref()?;
        if flood.bytes_per_sec == 0 {
            return Some(Duration::ZERO);
        }
        let started = self.flood_started?;
        let due_at =
            started + Duration::from_secs_f64(self.flood_sent as f64 / flood.bytes_per_sec as f64);
        Some(due_at.saturating_duration_since(now))
    }

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
            None if !self.outbox.is_empty() => events |= libc::POLLOUT,
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
        if self.summary.is_some() {
            note_timer(self.auto_window_start + AUTO_WINDOW);
        }
        if let Some(until) = self.accept_paused_until {
            if until > now {
                note_timer(until);
            } else {
                self.accept_paused_until = None;
            }
        }
        if self.responder_clock_runs()
            && let Some(at) = self
                .responder
                .as_mut()
                .and_then(|responder| responder.deadline(now))
        {
            note_timer(at);
        }
        let timeout_ms = match next_timer {
            None => -1,
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
                fd: self.wake_reader.as_raw_fd(),
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
            let mut sink = [0u8; 64];
            while self.wake_reader.recv(&mut sink).is_ok() {}
        }
        let revents = fds[1].revents;
        self.progress(revents);
        if self.responder_clock_runs()
            && let Some(reply) = self
                .responder
                .as_mut()
                .and_then(|responder| responder.on_timer(Instant::now()))
        {
            // A client too slow to send its request: answered (408), then closed.
            self.outbox.extend(reply.data);
            self.shutdown_after_outbox |= reply.then_shutdown_write;
            self.close_after_outbox = true;
            self.after_outbox();
        }
    }

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
            if writable && !self.outbox.is_empty() {
                self.auto_write_outbox();
            }
            if self.outbox.is_empty() {
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

    // ----- automatic behaviour ---------------------------------------------------------------

    fn tick_auto_window(&mut self) {
        if self.auto_window_start.elapsed() >= AUTO_WINDOW {
            self.flush_summary();
            self.auto_window_start = Instant::now();
            self.auto_budget = AUTO_INDIVIDUAL_PER_WINDOW;
        }
    }

    fn flush_summary(&mut self) {
        if let Some(mut summary) = self.summary.take() {
            summary.to_us = self.shared.now_us();
            self.shared.emit(Event::Auto(summary));
        }
    }

    /// Reports one automatic call: on its own while the channel is not crowded, otherwise
    /// folded into the current summary.
    fn report_auto(&mut self, call: Call, started_us: u64, finish: Finish) {
        if self.auto_individual() {
            self.auto_budget -= 1;
            let call_id = self.shared.next_call_id();
            // Automatic calls are made when poll says the socket is ready, so none waits.
            self.emit_started(call_id, &call, Origin::Auto, started_us);
            self.emit_returned(call_id, started_us, finish, WokenBy::NoWait);
            return;
        }
        let now_us = self.shared.now_us();
        let summary = self.summary.get_or_insert_with(|| AutoSummary {
            socket: self.id,
            from_us: now_us,
            to_us: now_us,
            ..AutoSummary::default()
        });
        let is_send = matches!(
            call,
            Call::Send { .. } | Call::SendTo { .. } | Call::Shutdown(_)
        );
        if !finish.outcome.is_ok() {
            summary.errors += 1;
        }
        if is_send {
            summary.send_calls += 1;
            summary.send_bytes += finish.bytes_moved as u64;
        } else {
            summary.recv_calls += 1;
            summary.recv_bytes += finish.bytes_moved as u64;
            if let Some(data) = &finish.data {
                let room = SUMMARY_SAMPLE_BYTES.saturating_sub(summary.sample.len());
                summary
                    .sample
                    .extend_from_slice(&data[..data.len().min(room)]);
            }
        }
        // A folded accept: its connection may start now.
        self.gates.clear();
    }

    fn auto_read(&mut self) {
        if !self.auto_reading() {
            return;
        }
        let bufsize = if self.automation.recv_bufsize == 0 {
            DEFAULT_AUTO_RECV_BUFSIZE
        } else {
            self.automation.recv_bufsize
        };
        for _ in 0..AUTO_CALLS_PER_TURN {
            if !self.auto_reading() || self.socket.is_none() {
                return;
            }
            let started_us = self.shared.now_us();
            if self.state == Lifecycle::Listening {
                match self.try_accept() {
                    Attempt::Wait => return,
                    Attempt::Done(finish) => {
                        let out_of_resources = matches!(
                            finish.outcome,
                            Outcome::Errno(
                                libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM
                            )
                        );
                        self.report_auto(Call::Accept, started_us, finish);
                        if out_of_resources {
                            // No descriptor to take the connection with: trying again at once
                            // would spin. Wait, longer each time, until accept works again.
                            self.accept_backoff = (self.accept_backoff * 2)
                                .clamp(ACCEPT_BACKOFF_MIN, ACCEPT_BACKOFF_MAX);
                            self.accept_paused_until = Some(Instant::now() + self.accept_backoff);
                            return;
                        }
                        self.accept_backoff = Duration::ZERO;
                    }
                }
                continue;
            }
            let is_datagram = !self.is_stream();
            let call = if is_datagram {
                Call::RecvFrom {
                    bufsize,
                    flags: RecvFlags::default(),
                }
            } else {
                Call::Recv {
                    bufsize,
                    flags: RecvFlags::default(),
                }
            };
            // One buffer for the whole loop: allocating (and zeroing) a fresh one per recv
            // would cost as much as the copy itself at loopback speed.
            let mut buffer = std::mem::take(&mut self.auto_buffer);
            if buffer.len() < bufsize {
                buffer.resize(bufsize, 0);
            }
            let received = self.raw_recv_into(
                &mut buffer[..bufsize],
                if is_datagram { DATAGRAM_TRUNC_FLAG } else { 0 },
                is_datagram,
            );
            let received = received.map(|(reported, from)| {
                let len = reported.min(bufsize);
                let reply = self
                    .responder
                    .as_mut()
                    .and_then(|responder| responder.on_data(&buffer[..len], is_datagram));
                // Reported on its own: all its bytes; folded into a summary: the sample only.
                let kept = if self.auto_individual() {
                    len
                } else {
                    len.min(SUMMARY_SAMPLE_BYTES)
                };
                (buffer[..kept].to_vec(), len, reported, from, reply)
            });
            self.auto_buffer = buffer;
            match received {
                Ok((data, len, reported, from, reply)) => {
                    let eof = len == 0 && !is_datagram;
                    if eof {
                        self.note_eof();
                    }
                    let real_len = is_datagram.then_some(reported);
                    let mut finish = self.recv_finish(data, from.clone(), real_len);
                    finish.outcome = Outcome::Ok(Value::Bytes(len));
                    finish.bytes_moved = len;
                    finish.truncated_from = real_len.filter(|real| *real > len);
                    self.report_auto(call, started_us, finish);
                    if let Some(reply) = reply {
                        if is_datagram {
                            self.auto_reply_datagram(reply.data, from);
                        } else {
                            self.outbox.extend(reply.data);
                            self.shutdown_after_outbox |= reply.then_shutdown_write;
                        }
                    }
                    if eof {
                        // A served connection whose client has gone is closed, as a server would.
                        if self.responder.is_some() {
                            self.close_after_outbox = true;
                            self.after_outbox();
                        }
                        return;
                    }
                }
                Err(error) if would_block(&error) => return,
                Err(error) => {
                    self.note_error(&error);
                    self.report_auto(call, started_us, Finish::errno(&error));
                    if self.is_stream() {
                        self.peer_closed = true;
                        self.report_state();
                    }
                    return;
                }
            }
        }
    }

    fn auto_reply_datagram(&mut self, data: Vec<u8>, to: Option<SocketAddress>) {
        let Some(to) = to else { return };
        let started_us = self.shared.now_us();
        // Reply to the exact address the datagram came from.
        let Some(address) = to.to_sock_addr() else {
            return;
        };
        let result = self
            .socket()
            .and_then(|socket| socket.send_to_with_flags(&data, &address, SEND_FLAGS));
        let finish = match result {
            Ok(sent) => Finish::ok(Value::Int(sent as i64)).moved(sent),
            Err(error) => Finish::errno(&error),
        };
        let call = Call::SendTo {
            data,
            addr: to.to_arg(),
        };
        self.report_auto(call, started_us, finish);
    }

    fn auto_write_outbox(&mut self) {
        for _ in 0..AUTO_CALLS_PER_TURN {
            if self.outbox.is_empty() {
                return;
            }
            let (front, _) = self.outbox.as_slices();
            let chunk: Vec<u8> = front.to_vec();
            let started_us = self.shared.now_us();
            let result = self
                .socket()
                .and_then(|socket| socket.send_with_flags(&chunk, SEND_FLAGS));
            match result {
                Ok(sent) => {
                    self.outbox.drain(..sent);
                    let call = Call::Send {
                        data: chunk[..sent].to_vec(),
                    };
                    self.report_auto(
                        call,
                        started_us,
                        Finish::ok(Value::Int(sent as i64)).moved(sent),
                    );
                }
                Err(error) if would_block(&error) => return,
                Err(error) => {
                    self.note_error(&error);
                    // The peer has gone: drop its backlog and, as a server would, close.
                    self.outbox.clear();
                    self.report_auto(
                        Call::Send { data: chunk },
                        started_us,
                        Finish::errno(&error),
                    );
                    if self.responder.is_some() {
                        self.close_after_outbox = true;
                    }
                    return;
                }
            }
        }
    }

    /// Once automatic replies are all sent: the shutdown or close they asked for.
    fn after_outbox(&mut self) {
        if !self.outbox.is_empty() || self.socket.is_none() {
            return;
        }
        if self.shutdown_after_outbox {
            self.shutdown_after_outbox = false;
            let started_us = self.shared.now_us();
            let call = Call::Shutdown(ShutdownHow::Write);
            let finish = self.immediate_call(&call);
            self.report_auto(call, started_us, finish);
        }
        if self.close_after_outbox {
            self.close_after_outbox = false;
            let call_id = self.shared.next_call_id();
            let started_us = self.shared.now_us();
            self.emit_started(call_id, &Call::Close, Origin::Auto, started_us);
            let finish = self.immediate_call(&Call::Close);
            self.emit_returned(call_id, started_us, finish, WokenBy::NoWait);
        }
    }

    fn auto_flood(&mut self) {
        let Some(flood) = self.automation.flood.clone() else {
            return;
        };
        let chunk_size = if !self.is_stream() && flood.chunk_size == DEFAULT_FLOOD_CHUNK {
            // The stream default is over a datagram's limit: the untouched default means a
            // datagram size that fits.
            DEFAULT_DATAGRAM_FLOOD_CHUNK
        } else {
            flood.chunk_size.max(1)
        };
        if self.flood_payload.len() != chunk_size {
            // Built once per size, not per send: at loopback speed this would cost as much
            // as the sends themselves.
            self.flood_payload = (0..chunk_size)
                .map(|index| b'a' + (index % 26) as u8)
                .collect();
        }
        let payload = Arc::clone(&self.flood_payload);
        let destination = match &flood.destination {
            Some(addr) => match self.resolve(addr) {
                Ok(address) => Some(address),
                Err(message) => {
                    // A bad destination switches the generator off with the reason shown.
                    self.automation.flood = None;
                    let started_us = self.shared.now_us();
                    let call = Call::SendTo {
                        data: Vec::new(),
                        addr: addr.clone(),
                    };
                    let call_id = self.shared.next_call_id();
                    self.emit_started(call_id, &call, Origin::Auto, started_us);
                    self.emit_returned(
                        call_id,
                        started_us,
                        Finish::outcome(Outcome::Invalid(message)),
                        WokenBy::NoWait,
                    );
                    return;
                }
            },
            None => None,
        };
        for _ in 0..AUTO_CALLS_PER_TURN {
            let now = Instant::now();
            if self.flood_delay(now).is_none_or(|delay| !delay.is_zero()) {
                return;
            }
            if flood
                .total_bytes
                .is_some_and(|total| self.flood_sent >= total)
            {
                self.automation.flood = None;
                return;
            }
            let mut size = chunk_size;
            if let Some(total) = flood.total_bytes {
                size = size.min((total - self.flood_sent) as usize);
            }
            let data = &payload[..size];
            let started_us = self.shared.now_us();
            let result = self.socket().and_then(|socket| match &destination {
                Some(address) => socket.send_to_with_flags(data, address, SEND_FLAGS),
                None => socket.send_with_flags(data, SEND_FLAGS),
            });
            if matches!(&result, Err(error) if would_block(error)) {
                return;
            }
            // The bytes are copied into the call only when it is reported on its own.
            let shown = if self.auto_individual() {
                data.to_vec()
            } else {
                Vec::new()
            };
            let call = match &flood.destination {
                Some(addr) => Call::SendTo {
                    data: shown,
                    addr: addr.clone(),
                },
                None => Call::Send { data: shown },
            };
            match result {
                Ok(sent) => {
                    self.flood_sent += sent as u64;
                    self.report_auto(
                        call,
                        started_us,
                        Finish::ok(Value::Int(sent as i64)).moved(sent),
                    );
                }
                Err(error) if would_block(&error) => return,
                Err(error) => {
                    self.note_error(&error);
                    self.report_auto(call, started_us, Finish::errno(&error));
                    if self.is_stream() || error.raw_os_error() != Some(libc::ECONNREFUSED) {
                        // The connection is gone: stop generating.
                        self.automation.flood = None;
                    }
                    return;
                }
            }
        }
    }

    // ----- addresses and state ---------------------------------------------------------------

    fn resolve(&self, addr: &AddrArg) -> Result<SockAddr, String> {
        resolve(addr, self.family)
    }

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
        self.last_reported = Some(change);
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
            family.label()
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
