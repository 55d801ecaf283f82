//! The relay: a workbench object of its own kind (not a socket) that listens, connects each
//! client to a target and forwards both ways, through faults set per direction. Its threads
//! report what they move as [`RelayEvent`]s beside the sockets' events.

pub mod faults;
mod tcp;

pub use faults::{DatagramFaults, Faults, Reset, Slicer};

use super::registry::Shared;
use super::sys::Wake;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// A relay's number (its own series, apart from sockets').
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct RelayId(pub u32);

/// One direction through a relay.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Way {
    /// From the client to the target.
    Upstream,
    /// From the target back to the client.
    Downstream,
}

impl Way {
    pub const BOTH: [Way; 2] = [Way::Upstream, Way::Downstream];

    pub fn index(self) -> usize {
        match self {
            Way::Upstream => 0,
            Way::Downstream => 1,
        }
    }
}

/// What a relay is: where it listens, where it connects each client, and the seed of its
/// faults' random draws (a fixed seed replays the same losses and slices).
#[derive(Clone, Debug, PartialEq)]
pub struct RelaySpec {
    pub listen: SocketAddr,
    pub target: SocketAddr,
    pub seed: u64,
}

/// What a relay's threads report.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum RelayEvent {
    Listening {
        relay: RelayId,
        at_us: u64,
        local: SocketAddr,
    },
    /// The relay could not start (bind or listen failed): nothing else follows.
    Failed {
        relay: RelayId,
        at_us: u64,
        errno: i32,
    },
    Accepted {
        relay: RelayId,
        connection: u64,
        at_us: u64,
        client: SocketAddr,
    },
    Connected {
        relay: RelayId,
        connection: u64,
        at_us: u64,
        local: SocketAddr,
    },
    /// The target refused or could not be reached: the client is reset.
    ConnectFailed {
        relay: RelayId,
        connection: u64,
        at_us: u64,
        errno: i32,
    },
    /// Bytes read from one side at `read_us` were written to the other at `at_us`.
    Moved {
        relay: RelayId,
        connection: u64,
        way: Way,
        read_us: u64,
        at_us: u64,
        bytes: usize,
    },
    /// The source closed its side; the relay passed the close on (shutdown(SHUT_WR)).
    HalfClosed {
        relay: RelayId,
        connection: u64,
        way: Way,
        at_us: u64,
    },
    /// The connection was reset: by one side (`way` is the direction whose source reset it),
    /// or by a fault.
    Reset {
        relay: RelayId,
        connection: u64,
        way: Way,
        at_us: u64,
        by_fault: bool,
    },
    /// The connection is over; what went each way.
    Ended {
        relay: RelayId,
        connection: u64,
        at_us: u64,
        upstream_bytes: u64,
        downstream_bytes: u64,
    },
    FaultsSet {
        relay: RelayId,
        way: Way,
        at_us: u64,
        faults: Faults,
    },
    /// The relay stopped listening and every connection through it ended.
    Stopped { relay: RelayId, at_us: u64 },
}

impl RelayEvent {
    pub fn relay(&self) -> RelayId {
        match self {
            RelayEvent::Listening { relay, .. }
            | RelayEvent::Failed { relay, .. }
            | RelayEvent::Accepted { relay, .. }
            | RelayEvent::Connected { relay, .. }
            | RelayEvent::ConnectFailed { relay, .. }
            | RelayEvent::Moved { relay, .. }
            | RelayEvent::HalfClosed { relay, .. }
            | RelayEvent::Reset { relay, .. }
            | RelayEvent::Ended { relay, .. }
            | RelayEvent::FaultsSet { relay, .. }
            | RelayEvent::Stopped { relay, .. } => *relay,
        }
    }

    pub fn at_us(&self) -> u64 {
        match self {
            RelayEvent::Listening { at_us, .. }
            | RelayEvent::Failed { at_us, .. }
            | RelayEvent::Accepted { at_us, .. }
            | RelayEvent::Connected { at_us, .. }
            | RelayEvent::ConnectFailed { at_us, .. }
            | RelayEvent::Moved { at_us, .. }
            | RelayEvent::HalfClosed { at_us, .. }
            | RelayEvent::Reset { at_us, .. }
            | RelayEvent::Ended { at_us, .. }
            | RelayEvent::FaultsSet { at_us, .. }
            | RelayEvent::Stopped { at_us, .. } => *at_us,
        }
    }
}

/// What a relay's connections share: the faults of each direction (changed live), and the
/// wake-ups of the connection threads so a change takes effect at once.
pub(crate) struct Control {
    pub(crate) relay: RelayId,
    pub(crate) spec: RelaySpec,
    faults: Mutex<[Faults; 2]>,
    /// Bumped at each change of faults: a connection thread compares it with the one it has.
    pub(crate) generation: AtomicU64,
    pub(crate) stopping: AtomicBool,
    wakes: Mutex<Vec<std::sync::Weak<Wake>>>,
    pub(crate) next_connection: AtomicU64,
}

impl Control {
    pub(crate) fn faults(&self) -> [Faults; 2] {
        lock(&self.faults).clone()
    }

    /// Registers a connection thread's wake-up (dropped ones are let go here too).
    pub(crate) fn add_wake(&self, wake: &Arc<Wake>) {
        let mut wakes = lock(&self.wakes);
        wakes.retain(|known| known.strong_count() > 0);
        wakes.push(Arc::downgrade(wake));
    }

    fn wake_all(&self) {
        for wake in lock(&self.wakes)
            .iter()
            .filter_map(std::sync::Weak::upgrade)
        {
            wake.signal();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The engine's handle on one relay.
pub(crate) struct RelayHandle {
    control: Arc<Control>,
    listener_wake: Arc<Wake>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RelayHandle {
    /// Starts the relay's listening thread (it reports Listening or Failed).
    pub(crate) fn start(
        shared: Arc<Shared>,
        relay: RelayId,
        spec: RelaySpec,
    ) -> std::io::Result<RelayHandle> {
        let control = Arc::new(Control {
            relay,
            spec,
            faults: Mutex::new([Faults::default(), Faults::default()]),
            generation: AtomicU64::new(0),
            stopping: AtomicBool::new(false),
            wakes: Mutex::new(Vec::new()),
            next_connection: AtomicU64::new(1),
        });
        let listener_wake = Arc::new(Wake::new()?);
        let thread = {
            let control = Arc::clone(&control);
            let wake = Arc::clone(&listener_wake);
            std::thread::Builder::new()
                .name(format!("relay-{}", relay.0))
                .stack_size(1024 * 1024)
                .spawn(move || tcp::listen(shared, control, wake))?
        };
        Ok(RelayHandle {
            control,
            listener_wake,
            thread: Some(thread),
        })
    }

    /// Sets the faults of one direction; open connections take them at once.
    pub(crate) fn set_faults(&self, shared: &Shared, way: Way, faults: Faults) {
        lock(&self.control.faults)[way.index()] = faults.clone();
        self.control.generation.fetch_add(1, Ordering::AcqRel);
        self.control.wake_all();
        shared.emit(super::Event::Relay(RelayEvent::FaultsSet {
            relay: self.control.relay,
            way,
            at_us: shared.now_us(),
            faults,
        }));
    }

    /// Stops listening and ends every connection (each with a close, as a relay's own
    /// shutdown would); waits for the threads.
    pub(crate) fn stop(mut self) {
        self.control.stopping.store(true, Ordering::Release);
        self.listener_wake.signal();
        self.control.wake_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Every relay of an engine.
#[derive(Default)]
pub(crate) struct Relays {
    next: std::sync::atomic::AtomicU32,
    handles: Mutex<std::collections::HashMap<RelayId, RelayHandle>>,
}

impl Relays {
    pub(crate) fn open(&self, shared: &Arc<Shared>, spec: RelaySpec) -> std::io::Result<RelayId> {
        let relay = RelayId(self.next.fetch_add(1, Ordering::Relaxed) + 1);
        let handle = RelayHandle::start(Arc::clone(shared), relay, spec)?;
        lock(&self.handles).insert(relay, handle);
        Ok(relay)
    }

    /// False if there is no such relay.
    pub(crate) fn set_faults(
        &self,
        shared: &Shared,
        relay: RelayId,
        way: Way,
        faults: Faults,
    ) -> bool {
        match lock(&self.handles).get(&relay) {
            Some(handle) => {
                handle.set_faults(shared, way, faults);
                true
            }
            None => false,
        }
    }

    /// Stops a relay and waits for its threads. False if there is no such relay.
    pub(crate) fn stop(&self, relay: RelayId) -> bool {
        let handle = lock(&self.handles).remove(&relay);
        handle.map(RelayHandle::stop).is_some()
    }

    pub(crate) fn stop_all(&self) {
        let handles: Vec<RelayHandle> = lock(&self.handles)
            .drain()
            .map(|(_, handle)| handle)
            .collect();
        for handle in handles {
            handle.stop();
        }
    }
}
