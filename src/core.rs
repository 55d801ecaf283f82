//! The one model of the workbench's sockets: the [`Engine`], the [`Session`] built from its
//! events, and the names the sockets go by. The window and the headless runner are two drivers
//! of a `Core`; nothing else issues engine commands or takes engine events.
//!
//! Events are applied synchronously, in the order the engine sent them, by [`Core::apply_waiting`]
//! (never waits; the window calls it once per frame) or [`Core::wait_and_apply`] (waits up to
//! a deadline for the first one; the headless runner). A driver that wants to see each event as
//! it is applied (the script runner prints and checks results) passes an observer, called just
//! after each event with the session and what the event was about ([`Applied`]): it reads the
//! event's content from the session, so nothing is copied or queued for it.

use crate::engine::{
    Automation, Call, CallId, Engine, EngineError, Event, EventReceiver, Family, Origin, SockType,
    SocketId,
};
use crate::session::{Applied, Limits, Session};
use std::collections::HashSet;
use std::time::Instant;

/// Engine + session: the state both drivers show and act on.
pub struct Core {
    engine: Engine,
    events: EventReceiver,
    session: Session,
    /// The private network in use was made for a script (`own_network`), and ends with it; one
    /// the person asked for lasts until they leave it.
    network_for_script: bool,
    /// Closed sockets forgotten when the memory they held was last given back, the count
    /// last seen, and when it last changed (the give-back waits for a calm second).
    forgotten_at_trim: u64,
    forgotten_seen: u64,
    forgotten_changed_at: Instant,
}

/// Forgotten sockets, and a quiet time after the last, before the memory they held is given
/// back to the system: once per wave of connections, never in the middle of one (trimming
/// holds each allocator arena's lock while it walks it).
const FORGOTTEN_BEFORE_TIDY: u64 = 256;
const TIDY_AFTER_QUIET: std::time::Duration = std::time::Duration::from_secs(1);

impl Core {
    /// A fresh engine whose socket threads call `wake` whenever they report (the window asks
    /// for a repaint there).
    pub fn new(limits: Limits, wake: impl Fn() + Send + Sync + 'static) -> Core {
        let (engine, events) = Engine::new(wake);
        Core::with_engine(engine, events, limits)
    }

    /// A core over an existing engine and its event receiver (tests feed events by hand with
    /// [`EventReceiver::forwarded`]).
    pub fn with_engine(engine: Engine, events: EventReceiver, limits: Limits) -> Core {
        Core {
            engine,
            events,
            session: Session::new(limits),
            network_for_script: false,
            forgotten_at_trim: 0,
            forgotten_seen: 0,
            forgotten_changed_at: Instant::now(),
        }
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    /// How many sockets the engine holds open now (their threads still run).
    pub fn live_socket_count(&self) -> usize {
        self.engine.live_socket_count()
    }

    /// Microseconds since the engine started: the clock every event uses.
    pub fn now_us(&self) -> u64 {
        self.engine.now_us()
    }

    // ----- events -----

    /// Applies the events already waiting, at most `max` of them, telling `observe` about each
    /// just after the session took it. Never waits. True if more were left waiting.
    pub fn apply_waiting(
        &mut self,
        max: usize,
        observe: &mut dyn FnMut(&Session, Applied),
    ) -> bool {
        self.events.take_wake();
        let mut more = true;
        for _ in 0..max {
            match self.events.try_recv() {
                Some(event) => self.apply(event, observe),
                None => {
                    more = false;
                    break;
                }
            }
        }
        // The derived indexes (flow arrows) catch up once per batch, not once per event.
        self.session.update_indexes();
        self.tidy_after_a_wave();
        more
    }

    /// After a wave of connections has come and gone (hundreds forgotten, then a quiet
    /// second), what they held goes back to the system, once.
    fn tidy_after_a_wave(&mut self) {
        let forgotten = self.session.forgotten_sockets();
        if forgotten != self.forgotten_seen {
            self.forgotten_seen = forgotten;
            self.forgotten_changed_at = Instant::now();
        }
        if self.tidy_due_in() == Some(std::time::Duration::ZERO) {
            self.forgotten_at_trim = forgotten;
            self.session.give_back_room();
            crate::engine::give_back_free_memory();
        }
    }

    /// When [`Core::apply_waiting`] will give a wave's memory back, if one is waiting for
    /// it (the window asks for a frame then, as nothing else may wake it).
    pub fn tidy_due_in(&self) -> Option<std::time::Duration> {
        (self.forgotten_seen >= self.forgotten_at_trim + FORGOTTEN_BEFORE_TIDY)
            .then(|| TIDY_AFTER_QUIET.saturating_sub(self.forgotten_changed_at.elapsed()))
    }

    /// Waits until `deadline` for an event; then applies it and every other one already
    /// waiting (at most `max` in all). False if the deadline passed with none.
    pub fn wait_and_apply(
        &mut self,
        deadline: Instant,
        max: usize,
        observe: &mut dyn FnMut(&Session, Applied),
    ) -> bool {
        let wait = deadline.saturating_duration_since(Instant::now());
        let Some(first) = self.events.recv_timeout(wait) else {
            return false;
        };
        self.apply(first, observe);
        self.apply_waiting(max.saturating_sub(1), observe);
        true
    }

    fn apply(&mut self, event: Event, observe: &mut dyn FnMut(&Session, Applied)) {
        let applied = Applied::of(&event);
        self.session.apply(event);
        observe(&self.session, applied);
    }

    // ----- commands: the only way anything reaches the engine -----

    pub fn create(&mut self, family: Family, sock_type: SockType) -> Result<SocketId, EngineError> {
        self.engine.create(family, sock_type)
    }

    pub fn call(
        &mut self,
        socket: SocketId,
        call: Call,
        origin: Origin,
    ) -> Result<CallId, EngineError> {
        self.engine.call(socket, call, origin)
    }

    /// Ends the socket's pending calls (they return "cancelled").
    pub fn cancel(&mut self, socket: SocketId) -> Result<(), EngineError> {
        self.engine.cancel(socket)
    }

    pub fn set_automation(
        &mut self,
        socket: SocketId,
        automation: Automation,
    ) -> Result<(), EngineError> {
        self.engine.set_automation(socket, automation)
    }

    /// Asks the socket for a kernel snapshot (it arrives as an event).
    pub fn snapshot(&mut self, socket: SocketId) -> Result<(), EngineError> {
        self.engine.snapshot(socket)
    }

    /// Closes the given sockets that are still open (as a person pressing close on each).
    pub fn close(&mut self, sockets: &[SocketId]) {
        for socket in sockets {
            if self
                .session
                .socket(*socket)
                .is_some_and(|view| !view.closed)
            {
                let _ = self.engine.call(*socket, Call::Close, Origin::User);
            }
        }
    }

    /// Closes these sockets (those still open) and drops them from every view once closed:
    /// a script started again replaces them.
    pub fn close_and_discard(&mut self, sockets: &[SocketId]) {
        self.close(sockets);
        self.session.discard(sockets);
    }

    /// New session: every socket closed, the capture stopped, and the views start from
    /// nothing (the old sockets' late events are ignored).
    pub fn new_session(&mut self) {
        self.close_every_socket();
        self.engine.set_wire(false);
        self.end_script_network();
        let limits = self.session.limits();
        self.session = Session::after(limits, self.engine.highest_socket_id());
        self.forgotten_at_trim = 0;
        self.forgotten_seen = 0;
    }

    /// Closes every live socket; a call still blocked in one is ended by the workbench (as
    /// close() alone would leave it waiting, and the socket open, on Linux).
    pub fn close_every_socket(&mut self) {
        self.engine.end_every_socket();
    }

    /// Switches the wire on or off (its state arrives as an event: the session's `wire()`).
    pub fn set_wire(&mut self, on: bool) {
        self.engine.set_wire(on);
    }

    /// Asks the capture to report mark `id` once everything on loopback now is reported.
    /// False when capture is off.
    pub fn wire_mark(&mut self, id: u64) -> bool {
        self.engine.wire_mark(id)
    }

    /// While new sockets are made in a private network namespace, a process in it (whose
    /// /proc/<pid>/net lists them); None in the machine's network.
    pub fn network_pid(&self) -> Option<u32> {
        self.engine.network_pid()
    }

    /// New sockets and the capture in a private network namespace (see
    /// [`Engine::use_private_network`]).
    pub fn use_private_network(&mut self) -> Result<(), String> {
        self.engine.use_private_network()?;
        self.network_for_script = false;
        Ok(())
    }

    /// The same, for a script whose sockets talk only to each other: it ends with the script
    /// ([`Core::end_script_network`]).
    pub fn use_private_network_for_script(&mut self) -> Result<(), String> {
        self.engine.use_private_network()?;
        self.network_for_script = true;
        Ok(())
    }

    /// A script's private network ends (it was closed, or another was opened); one the person
    /// asked for stays.
    pub fn end_script_network(&mut self) {
        if self.network_for_script {
            self.use_machine_network();
        }
    }

    /// New sockets in the machine's network again; a capture on the private loopback stops
    /// (it would see none of them).
    pub fn use_machine_network(&mut self) {
        if self.engine.in_private_network() {
            self.engine.set_wire(false);
            self.engine.use_machine_network();
        }
        self.network_for_script = false;
    }

    pub fn in_private_network(&self) -> bool {
        self.engine.in_private_network()
    }

    /// Capturing the wire in the machine's network would be refused for want of CAP_NET_RAW.
    pub fn capture_needs_privilege(&self) -> bool {
        self.engine.capture_needs_privilege()
    }

    /// The inodes of the workbench's own sockets (the system table marks only these).
    pub fn socket_inodes(&self) -> HashSet<u64> {
        self.engine.socket_inodes()
    }

    // ----- names -----

    /// Gives a socket a name (the window's rename field, a script's `conn = server.accept()`);
    /// an empty name restores the default.
    pub fn rename(&mut self, socket: SocketId, name: impl Into<String>) -> bool {
        self.session.rename(socket, name)
    }

    /// Forgets a socket's retained received chunks (a person pressed Clear).
    pub fn clear_chunks(&mut self, socket: SocketId) {
        self.session.clear_chunks(socket);
    }

    /// Changes the session's memory caps.
    pub fn set_limits(&mut self, limits: Limits) {
        self.session.set_limits(limits);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::SocketInfo;
    use std::time::Duration;

    /// A wave of connections forgotten: the give-back waits for a quiet second, happens once,
    /// and is not due again until another wave.
    #[test]
    fn a_wave_of_forgotten_sockets_is_tidied_once_after_a_quiet_second() {
        let (engine, _unused) = Engine::new(|| {});
        let (sender, receiver) = crossbeam_channel::unbounded();
        let limits = Limits {
            max_closed_sockets: 0,
            ..Limits::default()
        };
        let mut core = Core::with_engine(engine, EventReceiver::forwarded(receiver), limits);
        let wave = |core: &mut Core, first: u32, count: u32| {
            for id in first..first + count {
                let socket = SocketId(id);
                let _ = sender.send(Event::Opened(SocketInfo {
                    socket,
                    family: Family::Ipv4,
                    sock_type: SockType::Stream,
                    parent: None,
                    at_us: 1,
                }));
                let _ = sender.send(Event::ThreadEnded { socket, at_us: 2 });
            }
            core.apply_waiting(usize::MAX, &mut |_, _| {});
        };
        wave(&mut core, 1, 100);
        assert_eq!(core.tidy_due_in(), None, "a hundred is no wave");
        wave(&mut core, 101, 300);
        let due = core.tidy_due_in().expect("due after a wave");
        assert!(due > Duration::ZERO && due <= TIDY_AFTER_QUIET, "{due:?}");
        let deadline = Instant::now() + Duration::from_secs(5);
        while core.tidy_due_in().is_some() {
            assert!(Instant::now() < deadline, "never tidied");
            std::thread::sleep(Duration::from_millis(20));
            core.apply_waiting(usize::MAX, &mut |_, _| {});
        }
        assert_eq!(core.session().forgotten_sockets(), 400);
        wave(&mut core, 401, 10);
        assert_eq!(core.tidy_due_in(), None, "the next wave starts from here");
    }
}
