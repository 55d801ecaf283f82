//! Creates sockets, gives each its own named thread, routes commands to them, and owns the one
//! event channel that all socket threads report on.

use super::command::{Automation, Call, CallId, Command, Family, Origin, SockType, SocketId};
use super::event::{Event, Lifecycle, SocketInfo};
use super::mailbox::Mailbox;
use super::worker::Worker;
use crate::i18n::Lang;
use crate::t;
use crossbeam_channel::{Receiver, Sender, unbounded};
use socket2::Socket;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Automatic loops stop sending single events (and fold them into summaries) while this many
/// events wait unread in the channel, so a flood cannot grow it without bound.
pub(crate) const AUTO_EVENT_BACKLOG_LIMIT: usize = 2_000;

/// A socket thread's stack: address space, of which a thread touches only what it uses
/// (the call, poll, a responder's reply, getaddrinfo: a few pages). glibc keeps the stacks of
/// ended threads for reuse up to 40 MiB in all, each with the pages near its top still
/// resident (about 12 KiB): with 256 KiB stacks that was 160 stacks and 2 MB held after a
/// wave of connections had gone; with 1 MiB it is 40 and 0.5 MB.
const WORKER_STACK_BYTES: usize = 1024 * 1024;

/// Socket threads that end before the allocator is asked to give free memory back, and the
/// least time between two such requests (each walks every arena).
const ENDED_BEFORE_TRIM: usize = 256;
const TRIM_INTERVAL: Duration = Duration::from_secs(2);
const TRIM_AFTER_WAVE: Duration = Duration::from_millis(200);

/// What the engine could not do. Its Display is English (the headless runner, logs); the
/// window words it with [`EngineError::text`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EngineError {
    #[error("socket {0} does not exist (closed?)")]
    NoSuchSocket(SocketId),
    #[error("socket(): {name}: {}", super::errno::explanation_in(Lang::En, *.errno))]
    Create { errno: i32, name: &'static str },
    #[error("could not start a thread for the socket: {0}")]
    Thread(String),
}

impl EngineError {
    /// What went wrong, in `lang` (errno names and the system's words as written).
    pub fn text(&self, lang: Lang) -> String {
        match self {
            EngineError::NoSuchSocket(socket) => t!(
                lang,
                "engine-error-no-such-socket",
                socket = socket.to_string()
            ),
            EngineError::Create { errno, name } => t!(
                lang,
                "engine-error-create",
                name = *name,
                explanation = super::errno::explanation_in(lang, *errno)
            ),
            EngineError::Thread(why) => t!(lang, "engine-error-thread", why = why.as_str()),
        }
    }
}

struct WorkerHandle {
    /// The socket thread's commands and the wake-up that gets it out of poll(2) for them.
    mailbox: Arc<Mailbox>,
    /// The socket's inode (as /proc/net lists it), so the system table can tell the
    /// workbench's sockets from the process's others (the window's display connection).
    inode: Option<u64>,
    thread: Option<JoinHandle<()>>,
}

impl WorkerHandle {
    fn send(&self, command: Command) -> bool {
        self.mailbox.send(command)
    }
}

/// State shared by the engine handle and every socket thread.
pub(crate) struct Shared {
    events: Sender<Event>,
    wake_ui: Box<dyn Fn() + Send + Sync>,
    epoch: Instant,
    next_socket: AtomicU32,
    next_call: AtomicU64,
    in_flight: Arc<AtomicUsize>,
    /// Set when the UI has been woken and has not yet begun to take events since: later
    /// events need no wake of their own (thousands of socket threads would otherwise each
    /// take egui's lock for every event).
    wake_pending: Arc<AtomicBool>,
    workers: Mutex<HashMap<SocketId, WorkerHandle>>,
    /// Every address our sockets have had: the wire keeps only segments to or from these.
    wire_endpoints: Mutex<super::wire::Endpoints>,
    /// The wire's capture thread, while it runs.
    capture: Mutex<Option<super::wire::Capture>>,
    /// While set, new sockets (and the capture) are made in this private network namespace.
    private_network: Mutex<Option<Arc<super::sys::PrivateNetwork>>>,
    /// Socket threads ended since the allocator last gave memory back, and when that was.
    ended_since_trim: AtomicUsize,
    last_trim: Mutex<Instant>,
    /// Socket threads running now, and the most there were since the last trim (a wave of
    /// connections that has mostly gone is trimmed after once more).
    live_workers: AtomicUsize,
    peak_since_trim: AtomicUsize,
}

impl Shared {
    pub(crate) fn now_us(&self) -> u64 {
        self.epoch.elapsed().as_micros() as u64
    }

    pub(crate) fn next_call_id(&self) -> CallId {
        CallId(self.next_call.fetch_add(1, Ordering::Relaxed))
    }

    /// Sends an event and wakes the UI (unless a wake is pending already: see
    /// [`EventReceiver::take_wake`]). Never waits: the channel is unbounded, and only the
    /// calls people and scripts issue one by one go through here unconditionally.
    pub(crate) fn emit(&self, event: Event) {
        if let Event::State(change) = &event
            && let Some(local) = &change.local
        {
            lock(&self.wire_endpoints).add(local);
        }
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        if self.events.send(event).is_err() {
            self.in_flight.fetch_sub(1, Ordering::Relaxed);
            return;
        }
        if !self.wake_pending.swap(true, Ordering::AcqRel) {
            (self.wake_ui)();
        }
    }

    /// Whether an automatic loop may report one more call on its own right now.
    pub(crate) fn auto_events_welcome(&self) -> bool {
        self.in_flight.load(Ordering::Relaxed) < AUTO_EVENT_BACKLOG_LIMIT
    }

    fn workers(&self) -> MutexGuard<'_, HashMap<SocketId, WorkerHandle>> {
        lock(&self.workers)
    }

    /// The private network new sockets are made in, if one is in use.
    pub(crate) fn private_network(&self) -> Option<Arc<super::sys::PrivateNetwork>> {
        lock(&self.private_network).clone()
    }

    pub(crate) fn wire_endpoints(&self) -> MutexGuard<'_, super::wire::Endpoints> {
        lock(&self.wire_endpoints)
    }

    pub(crate) fn forget_worker(&self, socket: SocketId) {
        let mut workers = self.workers();
        workers.remove(&socket);
        self.live_workers.store(workers.len(), Ordering::Relaxed);
        // Thousands of connections gone: the map gives back their room.
        if workers.capacity() > 1024 && workers.len() * 4 < workers.capacity() {
            workers.shrink_to_fit();
        }
    }

    /// Called by a socket thread as it ends: after many have ended, the memory they freed
    /// goes back to the system, at most once every TRIM_INTERVAL while they keep ending, and
    /// once more when most of a wave has gone (fewer than an eighth of the most there were).
    /// Trimming walks every arena under its lock, so it is kept rare and no other lock is held
    /// meanwhile (thousands of threads ending at once would otherwise queue behind it).
    pub(crate) fn thread_ending(&self) {
        let ended = self.ended_since_trim.fetch_add(1, Ordering::Relaxed) + 1;
        if ended < ENDED_BEFORE_TRIM {
            return;
        }
        let live = self.live_workers.load(Ordering::Relaxed);
        {
            // Another ending thread is deciding already: leave it to that one.
            let Ok(mut last) = self.last_trim.try_lock() else {
                return;
            };
            let wave_gone = live * 8 <= self.peak_since_trim.load(Ordering::Relaxed);
            let due =
                last.elapsed() >= TRIM_INTERVAL || (wave_gone && last.elapsed() >= TRIM_AFTER_WAVE);
            if !due {
                return;
            }
            *last = Instant::now();
            self.ended_since_trim.store(0, Ordering::Relaxed);
            self.peak_since_trim.store(live, Ordering::Relaxed);
        }
        super::sys::give_back_free_memory();
    }

    /// Starts the thread that owns `socket`. Used for new sockets and accepted connections.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn spawn_worker(
        self: &Arc<Self>,
        socket: Socket,
        family: Family,
        sock_type: SockType,
        parent: Option<SocketId>,
        initial_state: Lifecycle,
        automation: Automation,
        gate: Option<Receiver<()>>,
    ) -> Result<SocketId, EngineError> {
        let id = SocketId(self.next_socket.fetch_add(1, Ordering::Relaxed));
        let mailbox =
            Arc::new(Mailbox::new().map_err(|error| EngineError::Thread(error.to_string()))?);
        socket
            .set_nonblocking(true)
            .map_err(|error| EngineError::Thread(error.to_string()))?;
        let inode = socket_inode(&socket);
        self.emit(Event::Opened(SocketInfo {
            socket: id,
            family,
            sock_type,
            parent,
            at_us: self.now_us(),
        }));
        // On the heap: the thread's stack stays small (see WORKER_STACK_BYTES).
        let worker = Box::new(Worker::new(
            Arc::clone(self),
            id,
            socket,
            family,
            sock_type,
            initial_state,
            automation,
            Arc::clone(&mailbox),
        ));
        // Hold the map lock across the spawn so the thread cannot finish and forget itself
        // before it has been registered.
        let shared = Arc::clone(self);
        let mut workers = self.workers();
        let thread = std::thread::Builder::new()
            .name(format!("socket-{}", id.0))
            .stack_size(WORKER_STACK_BYTES)
            .spawn(move || {
                // An accepted connection starts once its listener has reported the accept, so
                // its own calls never show before the accept that created it.
                if let Some(gate) = gate {
                    let _ = gate.recv();
                }
                let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| worker.run()));
                shared.thread_ending();
                if let Err(panic) = ran {
                    // Said as an event, so the window and the runner show it and a run with
                    // a failed socket thread never ends "ok".
                    let message = panic
                        .downcast_ref::<&str>()
                        .map(|text| text.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "the socket's thread stopped unexpectedly".into());
                    shared.forget_worker(id);
                    shared.emit(Event::ThreadFailed {
                        socket: id,
                        at_us: shared.now_us(),
                        message,
                    });
                    shared.emit(Event::ThreadEnded {
                        socket: id,
                        at_us: shared.now_us(),
                    });
                }
            })
            .map_err(|error| EngineError::Thread(error.to_string()))?;
        workers.insert(
            id,
            WorkerHandle {
                mailbox,
                inode,
                thread: Some(thread),
            },
        );
        self.live_workers.store(workers.len(), Ordering::Relaxed);
        self.peak_since_trim
            .fetch_max(workers.len(), Ordering::Relaxed);
        Ok(id)
    }
}

/// A panic while holding one of these locks cannot leave its value half-updated: recover it.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The inode of a socket, read from its /proc/self/fd link (Linux; None elsewhere).
fn socket_inode(socket: &Socket) -> Option<u64> {
    use std::os::fd::AsRawFd;
    let link = std::fs::read_link(format!("/proc/self/fd/{}", socket.as_raw_fd())).ok()?;
    super::proc_net::socket_inode(&link.to_string_lossy())
}

/// Receives the events of all sockets.
pub struct EventReceiver {
    events: Receiver<Event>,
    in_flight: Arc<AtomicUsize>,
    wake_pending: Arc<AtomicBool>,
}

impl EventReceiver {
    /// A receiver fed by hand: the window passes its events on to a script running beside it.
    pub fn forwarded(events: Receiver<Event>) -> EventReceiver {
        EventReceiver {
            events,
            in_flight: Arc::new(AtomicUsize::new(0)),
            wake_pending: Arc::new(AtomicBool::new(false)),
        }
    }
}

impl EventReceiver {
    /// Call before taking events after a wake: an event sent from now on wakes the UI again.
    /// (An event sent before this is taken by the drain that follows; one sent during it
    /// either wakes or follows an event that did, so a later frame takes it.)
    pub fn take_wake(&self) {
        self.wake_pending.store(false, Ordering::Release);
    }

    fn counted(&self, event: Option<Event>) -> Option<Event> {
        if event.is_some() {
            self.in_flight.fetch_sub(1, Ordering::Relaxed);
        }
        event
    }
    pub fn try_recv(&self) -> Option<Event> {
        self.counted(self.events.try_recv().ok())
    }
    pub fn recv_timeout(&self, timeout: Duration) -> Option<Event> {
        match self.events.recv_timeout(timeout) {
            Ok(event) => self.counted(Some(event)),
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => None,
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => {
                // Nothing will ever come; do not let a waiting loop spin.
                std::thread::sleep(timeout.min(Duration::from_millis(50)));
                None
            }
        }
    }
    /// Everything waiting now, without blocking.
    pub fn drain(&self) -> Vec<Event> {
        std::iter::from_fn(|| self.try_recv()).collect()
    }
}

/// The handle through which the UI and the runner create sockets and issue calls. Clones share
/// the same sockets; dropping the last clone closes every socket and joins every thread.
#[derive(Clone)]
pub struct Engine {
    shared: Arc<Shared>,
    relays: Arc<super::relay::Relays>,
    _owner: Arc<Owner>,
}

/// Closes everything when the last [`Engine`] handle goes (socket threads hold only `Shared`).
struct Owner {
    shared: Arc<Shared>,
    relays: Arc<super::relay::Relays>,
}

impl Drop for Owner {
    fn drop(&mut self) {
        self.relays.stop_all();
        close_all(&self.shared);
    }
}

fn close_all(shared: &Shared) {
    if let Some(capture) = lock(&shared.capture).take() {
        capture.stop();
    }
    let handles: Vec<(SocketId, WorkerHandle)> = shared.workers().drain().collect();
    for (_, handle) in &handles {
        end_and_close(shared, handle);
    }
    for (_, mut handle) in handles {
        if let Some(thread) = handle.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Ends the socket's pending calls (a pending call would keep a closed socket alive, as on
/// Linux), then closes it. Does not wait for its thread.
fn end_and_close(shared: &Shared, handle: &WorkerHandle) {
    handle.send(Command::CancelForClose);
    handle.send(Command::Call {
        call_id: shared.next_call_id(),
        call: Call::Close,
        origin: Origin::User,
    });
}

impl Engine {
    /// `wake_ui` is called after each event is sent (egui's `request_repaint`, or nothing).
    pub fn new(wake_ui: impl Fn() + Send + Sync + 'static) -> (Engine, EventReceiver) {
        super::sys::keep_large_allocations_apart();
        let (events_tx, events_rx) = unbounded();
        let in_flight = Arc::new(AtomicUsize::new(0));
        let wake_pending = Arc::new(AtomicBool::new(false));
        let shared = Arc::new(Shared {
            events: events_tx,
            wake_ui: Box::new(wake_ui),
            epoch: Instant::now(),
            next_socket: AtomicU32::new(1),
            next_call: AtomicU64::new(1),
            in_flight: Arc::clone(&in_flight),
            wake_pending: Arc::clone(&wake_pending),
            workers: Mutex::new(HashMap::new()),
            wire_endpoints: Mutex::new(super::wire::Endpoints::default()),
            capture: Mutex::new(None),
            private_network: Mutex::new(None),
            ended_since_trim: AtomicUsize::new(0),
            last_trim: Mutex::new(Instant::now()),
            live_workers: AtomicUsize::new(0),
            peak_since_trim: AtomicUsize::new(0),
        });
        let receiver = EventReceiver {
            events: events_rx,
            in_flight,
            wake_pending,
        };
        let relays = Arc::new(super::relay::Relays::default());
        let owner = Arc::new(Owner {
            shared: Arc::clone(&shared),
            relays: Arc::clone(&relays),
        });
        (
            Engine {
                shared,
                relays,
                _owner: owner,
            },
            receiver,
        )
    }

    /// Starts a relay: it listens on `spec.listen` (reported as a Listening or Failed event)
    /// and connects each client to `spec.target`.
    pub fn open_relay(
        &self,
        spec: super::relay::RelaySpec,
    ) -> Result<super::relay::RelayId, EngineError> {
        self.relays
            .open(&self.shared, spec)
            .map_err(|error| EngineError::Thread(error.to_string()))
    }

    /// Sets the faults of one direction of a relay; its open connections take them at once.
    /// False if there is no such relay.
    pub fn set_relay_faults(
        &self,
        relay: super::relay::RelayId,
        way: super::relay::Way,
        faults: super::relay::Faults,
    ) -> bool {
        self.relays.set_faults(&self.shared, relay, way, faults)
    }

    /// Stops a relay: it stops listening and its connections end. False if there is none.
    pub fn stop_relay(&self, relay: super::relay::RelayId) -> bool {
        self.relays.stop(relay)
    }

    /// Microseconds since the engine started: the time base of every event.
    pub fn now_us(&self) -> u64 {
        self.shared.now_us()
    }

    /// socket(family, type): creates the socket and its thread.
    pub fn create(&self, family: Family, sock_type: SockType) -> Result<SocketId, EngineError> {
        let domain = match family {
            Family::Ipv4 => socket2::Domain::IPV4,
            Family::Ipv6 => socket2::Domain::IPV6,
            Family::Unix => socket2::Domain::UNIX,
        };
        let kind = match sock_type {
            SockType::Stream => socket2::Type::STREAM,
            SockType::Datagram => socket2::Type::DGRAM,
        };
        let made = match self.shared.private_network() {
            Some(network) => network
                .socket(libc::c_int::from(domain), libc::c_int::from(kind), 0)
                .map(Socket::from),
            None => Socket::new(domain, kind, None),
        };
        let socket = made.map_err(|error| {
            let errno = error.raw_os_error().unwrap_or(0);
            EngineError::Create {
                errno,
                name: super::errno::name(errno),
            }
        })?;
        self.shared.spawn_worker(
            socket,
            family,
            sock_type,
            None,
            Lifecycle::Created,
            Automation::default(),
            None,
        )
    }

    fn send(&self, socket: SocketId, command: Command) -> Result<(), EngineError> {
        let workers = self.shared.workers();
        let handle = workers
            .get(&socket)
            .ok_or(EngineError::NoSuchSocket(socket))?;
        if handle.send(command) {
            Ok(())
        } else {
            Err(EngineError::NoSuchSocket(socket))
        }
    }

    /// Issues one call; its Started and Returned events carry the returned id.
    pub fn call(
        &self,
        socket: SocketId,
        call: Call,
        origin: Origin,
    ) -> Result<CallId, EngineError> {
        let call_id = self.shared.next_call_id();
        let command = Command::Call {
            call_id,
            call: call.clone(),
            origin,
        };
        match self.send(socket, command) {
            Ok(()) => Ok(call_id),
            Err(EngineError::NoSuchSocket(_)) if self.existed(socket) => {
                // Closed: answered here as CPython answers a call on a closed socket.
                super::worker::answer_closed(&self.shared, socket, call_id, call, origin);
                Ok(call_id)
            }
            Err(error) => Err(error),
        }
    }

    /// The highest socket id given out so far (0 before the first).
    pub fn highest_socket_id(&self) -> u32 {
        self.shared
            .next_socket
            .load(Ordering::Relaxed)
            .saturating_sub(1)
    }

    /// The socket was created by this engine (it may be closed by now).
    fn existed(&self, socket: SocketId) -> bool {
        socket.0 >= 1 && socket.0 < self.shared.next_socket.load(Ordering::Relaxed)
    }

    /// Ends every pending call of the socket as cancelled.
    pub fn cancel(&self, socket: SocketId) -> Result<(), EngineError> {
        self.send(socket, Command::Cancel)
    }

    pub fn set_automation(
        &self,
        socket: SocketId,
        automation: Automation,
    ) -> Result<(), EngineError> {
        let requested_us = self.shared.now_us();
        self.send(
            socket,
            Command::SetAutomation {
                automation,
                requested_us,
            },
        )
    }

    /// Asks for a kernel snapshot (it arrives as [`Event::Kernel`]).
    pub fn snapshot(&self, socket: SocketId) -> Result<(), EngineError> {
        self.send(socket, Command::Snapshot)
    }

    /// Switches the wire (capture of our sockets' segments on loopback) on or off. Reported as
    /// [`Event::Wire`]: `Started`, or `Unavailable` with the reason (CAP_NET_RAW missing).
    pub fn set_wire(&self, on: bool) {
        let mut capture = lock(&self.shared.capture);
        match (on, capture.is_some()) {
            (true, false) => *capture = super::wire::Capture::start(&self.shared),
            (false, true) => {
                if let Some(running) = capture.take() {
                    running.stop();
                }
                self.shared
                    .emit(Event::Wire(super::wire::WireReport::Stopped {
                        at_us: self.shared.now_us(),
                    }));
            }
            _ => {}
        }
    }

    /// From now on, new sockets and the wire's capture are made in a private network namespace
    /// of their own (its own loopback, where capture needs no privilege). Only while the
    /// engine has no sockets and no capture: they stay where they were made. Fails where
    /// unprivileged user namespaces are not allowed, saying so.
    pub fn use_private_network(&self) -> Result<(), String> {
        let mut current = lock(&self.shared.private_network);
        if current.is_some() {
            return Ok(());
        }
        if !self.shared.workers().is_empty() || lock(&self.shared.capture).is_some() {
            return Err(
                "sockets are open already, and a private network can only be made before the first"
                    .into(),
            );
        }
        let network = super::sys::PrivateNetwork::start().map_err(|error| {
            format!(
                "this system does not let a program make a private network namespace ({error}); \
                 unprivileged user namespaces may be switched off, or restricted as Ubuntu 24.04 does with AppArmor"
            )
        })?;
        *current = Some(Arc::new(network));
        Ok(())
    }

    /// New sockets are made in the machine's network again (those made in the private one
    /// keep working there).
    pub fn use_machine_network(&self) {
        lock(&self.shared.private_network).take();
    }

    /// Capturing the wire in the machine's network would be refused for want of CAP_NET_RAW
    /// (a packet socket is opened and closed to find out).
    pub fn capture_needs_privilege(&self) -> bool {
        super::wire::capture_needs_privilege()
    }

    /// New sockets are made in a private network namespace ([`Engine::use_private_network`]).
    pub fn in_private_network(&self) -> bool {
        lock(&self.shared.private_network).is_some()
    }

    /// A process in the network new sockets are made in, when that is a private one: its
    /// /proc/<pid>/net lists their sockets ([`super::proc_net::read_all`]).
    pub fn network_pid(&self) -> Option<u32> {
        lock(&self.shared.private_network)
            .as_ref()
            .map(|network| network.pid())
    }

    /// Asks the capture for [`super::wire::WireReport::Mark`] `id`, sent once every segment
    /// already on loopback has been reported. False when capture is off.
    pub fn wire_mark(&self, id: u64) -> bool {
        match lock(&self.shared.capture).as_ref() {
            Some(capture) => {
                capture.mark(id);
                true
            }
            None => false,
        }
    }

    /// Whether the capture thread runs.
    pub fn wire_on(&self) -> bool {
        lock(&self.shared.capture).is_some()
    }

    /// The sockets whose threads are still running.
    pub fn live_sockets(&self) -> Vec<SocketId> {
        let mut ids: Vec<SocketId> = self.shared.workers().keys().copied().collect();
        ids.sort();
        ids
    }

    /// How many sockets' threads are still running.
    pub fn live_socket_count(&self) -> usize {
        self.shared.workers().len()
    }

    /// The inodes of the workbench's open sockets (not the process's other sockets).
    pub fn socket_inodes(&self) -> std::collections::HashSet<u64> {
        self.shared
            .workers()
            .values()
            .filter_map(|handle| handle.inode)
            .collect()
    }

    /// Closes every socket, ending its pending calls first ("ended by the workbench"), and
    /// returns at once: the threads end by themselves (for the UI, which never waits).
    pub fn end_every_socket(&self) {
        for handle in self.shared.workers().values() {
            end_and_close(&self.shared, handle);
        }
    }

    /// Closes every socket (as if close() were called on each) and waits for their threads.
    pub fn close_all(&self) {
        close_all(&self.shared);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_errors_read_as_before_in_english_and_have_chinese() {
        let create = EngineError::Create {
            errno: libc::EMFILE,
            name: "EMFILE",
        };
        let explanation = super::super::errno::explanation_in(Lang::En, libc::EMFILE);
        assert_eq!(
            create.to_string(),
            format!("socket(): EMFILE: {explanation}")
        );
        assert_eq!(create.text(Lang::En), create.to_string());
        let chinese = create.text(Lang::Zh);
        assert!(
            chinese.starts_with("socket()：EMFILE：") && chinese != create.to_string(),
            "{chinese}"
        );
        let gone = EngineError::NoSuchSocket(SocketId(3));
        assert_eq!(gone.to_string(), "socket #3 does not exist (closed?)");
        assert_eq!(gone.text(Lang::En), gone.to_string());
        let thread = EngineError::Thread("no memory".into());
        assert_eq!(thread.text(Lang::En), thread.to_string());
    }
}
