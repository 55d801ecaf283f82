//! What the window and the runner show, built only from engine [`Event`]s: per-socket state,
//! the call log and the received chunks, with caps on memory.
//!
//! Pure data: no threads, no egui, no sockets. Everything here can be tested by feeding events
//! made by hand to [`Session::apply`].

mod names;
mod ring;
mod room;
pub(crate) mod throughput;
pub(crate) mod timeline;
pub mod wire;

pub use ring::Ring;
use room::GiveBackRoom;

/// A map keyed by ids the workbench makes itself (call and socket ids): hashed fast, since no
/// peer chooses these keys.
pub(crate) type IdMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;
/// A set of such ids.
pub(crate) type IdSet<K> = HashSet<K, rustc_hash::FxBuildHasher>;
pub use throughput::Buckets;
pub use timeline::{Dropped, Flow, FlowIndex, Flows, flows};

use crate::engine::event::{AutoSummary, CallContext, Returned, SocketInfo, Started, StateChange};
use crate::engine::kernel::KernelSnapshot;
use crate::engine::{
    Automation, Call, CallId, CallKind, Direction, Event, Family, Lifecycle, Mode, Origin, Outcome,
    SockType, SocketAddress, SocketId, WokenBy,
};
use std::collections::{BTreeMap, HashMap, HashSet};

/// An address no kept socket has is let go this long after it was seen: longer than a
/// TIME_WAIT lasts (60 s on Linux), so the system table still marks those as ours.
const ADDRESS_KEEP_US: u64 = 120_000_000;
/// How often (engine time) such addresses are looked for.
const ADDRESS_PRUNE_EVERY_US: u64 = 10_000_000;
/// Beyond this many, the oldest addresses no kept socket has go sooner (connection churn at
/// thousands a second would otherwise hold two minutes' worth of peers).
const MAX_ADDRESSES_SEEN: usize = 16_384;
/// A socket's automatic entries (calls and summaries) kept in the log: beyond it its oldest
/// go, so a listener accepting by itself under steady churn does not fill the log.
pub const MAX_AUTO_ENTRIES_PER_SOCKET: usize = 256;
/// Expired automatic entries are taken out of the log this many at a time.
const EXPIRED_AUTO_SWEEP: usize = 1_024;

/// Caps on what a session keeps. Beyond them the oldest entries are dropped and counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Call log entries (calls and automatic summaries) kept.
    pub max_log_entries: usize,
    /// Received bytes kept in chunks (all sockets together).
    pub max_retained_bytes: usize,
    /// Bytes of send payloads held by the call log's records (a flood's individual sends
    /// carry 8-256 KiB each); beyond it the oldest entries go, as beyond `max_log_entries`.
    pub max_log_payload_bytes: usize,
    /// Closed sockets kept (their cards, lanes, received data). Beyond it the oldest closed
    /// ones are forgotten and counted; an open socket is never forgotten.
    pub max_closed_sockets: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_log_entries: 200_000,
            max_retained_bytes: 32 * 1024 * 1024,
            max_log_payload_bytes: 32 * 1024 * 1024,
            max_closed_sockets: 1_000,
        }
    }
}

/// A call issued and not yet returned.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingCall {
    pub call_id: CallId,
    pub call: Call,
    pub origin: Origin,
    pub started_us: u64,
    /// An automatic send carrying a reply rule's reply: which rule (counted from 1).
    pub reply_rule: Option<u32>,
}

/// How the latest call of one name ended on a socket.
#[derive(Clone, Debug, PartialEq)]
pub struct LastResult {
    pub call_id: CallId,
    pub call: Call,
    pub outcome: Outcome,
    pub returned_us: u64,
    pub duration_us: u64,
    pub bytes_moved: usize,
    pub woken_by: WokenBy,
    /// The socket when the call returned (for explaining errnos and empty receives).
    pub context: Option<CallContext>,
    /// recvfrom: the sender.
    pub from: Option<SocketAddress>,
}

/// Byte and call counters. Exact even when chunks or log entries have been dropped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub recv_calls: u64,
    pub send_calls: u64,
    /// Chunks received (incl. EOF markers and automatic samples), dropped ones included.
    pub chunks: u64,
    /// Chunks a person removed with [`Session::clear_chunks`] (not counted as dropped).
    pub cleared_chunks: u64,
}

/// Everything known about one socket.
#[derive(Clone, Debug, PartialEq)]
pub struct SocketView {
    pub id: SocketId,
    pub family: Family,
    pub sock_type: SockType,
    /// The listener an accepted connection came from.
    pub parent: Option<SocketId>,
    /// Accepted connections of this listener, in order of arrival.
    pub children: Vec<SocketId>,
    /// The name a person gave it (default "tcp4 #3").
    pub name: String,
    pub opened_us: u64,
    pub state: Lifecycle,
    pub mode: Mode,
    /// The local address; once closed, the one it last had.
    pub local: Option<SocketAddress>,
    pub peer: Option<SocketAddress>,
    /// The peer it last had (kept after close, so the segments of its closing handshake and
    /// TIME_WAIT still find its lane).
    pub last_peer: Option<SocketAddress>,
    /// Calls issued and not returned yet, oldest first.
    pub pending: Vec<PendingCall>,
    /// The latest result of each call kind, and of each option for setsockopt / getsockopt.
    /// (A short list, not a map: thousands of connections each have a few; a map's node
    /// would take kilobytes each.)
    pub last_results: Vec<(ResultKey, LastResult)>,
    /// The latest kernel snapshot and when it was taken.
    /// (Boxed: most of a busy server's connections never have one, and views are many.)
    pub kernel: Option<Box<(u64, KernelSnapshot)>>,
    /// close() returned, the state became closed, or the thread ended.
    pub closed: bool,
    /// No more events will come for this socket.
    pub thread_ended: bool,
    /// The socket's thread failed with this message (a workbench bug, shown as such).
    pub failure: Option<String>,
    pub counters: Counters,
    /// Received chunks still retained, oldest first.
    pub chunks: std::collections::VecDeque<Chunk>,
    /// What the socket does by itself, as last set on it.
    pub automation: Automation,
    /// The session's address epoch when this socket's local or peer address last changed
    /// (indexes look again only at sockets changed since they last looked).
    pub addresses_changed_at: u64,
    /// When automatic behaviour was first switched on for this socket.
    pub automation_first_on_us: Option<u64>,
}

impl SocketView {
    fn new(info: &SocketInfo) -> Self {
        SocketView {
            id: info.socket,
            family: info.family,
            sock_type: info.sock_type,
            parent: info.parent,
            children: Vec::new(),
            name: default_name(info.socket, info.family, info.sock_type),
            opened_us: info.at_us,
            state: if info.parent.is_some() {
                Lifecycle::Connected
            } else {
                Lifecycle::Created
            },
            mode: Mode::Blocking,
            local: None,
            peer: None,
            last_peer: None,
            pending: Vec::new(),
            last_results: Vec::new(),
            kernel: None,
            closed: false,
            thread_ended: false,
            failure: None,
            counters: Counters::default(),
            chunks: std::collections::VecDeque::new(),
            automation: Automation::default(),
            automation_first_on_us: None,
            addresses_changed_at: 0,
        }
    }

    /// `tcp4`, `udp6`, `unix-stream`.
    pub fn kind_text(&self) -> String {
        kind_text(self.family, self.sock_type)
    }

    /// The latest result of a kind of call (of any option, for setsockopt / getsockopt).
    pub fn last_result(&self, kind: CallKind) -> Option<&LastResult> {
        self.last_results
            .iter()
            .filter(|(key, _)| key.kind == kind)
            .map(|(_, last)| last)
            .max_by_key(|last| (last.returned_us, last.call_id))
    }

    /// The latest setsockopt or getsockopt result for one option (`"SO_RCVBUF"`).
    pub fn last_option_result(&self, kind: CallKind, option: &str) -> Option<&LastResult> {
        self.last_results
            .iter()
            .find(|(key, _)| key.kind == kind && key.option.as_deref() == Some(option))
            .map(|(_, last)| last)
    }

    /// The oldest pending call (the one a blocking socket waits in).
    pub fn blocked_in(&self) -> Option<&PendingCall> {
        self.pending.first()
    }
}

/// Which of a socket's results a view keeps: one per kind of call, and one per option for
/// setsockopt and getsockopt (so an option's row finds its own).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResultKey {
    pub kind: CallKind,
    pub option: Option<String>,
}

impl ResultKey {
    pub fn of(call: &Call) -> Self {
        ResultKey {
            kind: call.kind(),
            option: call.option_name().map(str::to_string),
        }
    }
}

/// `tcp4`, `udp6`, `unix-stream`, `unix-dgram`.
pub fn kind_text(family: Family, sock_type: SockType) -> String {
    match (family, sock_type) {
        (Family::Ipv4, SockType::Stream) => "tcp4".into(),
        (Family::Ipv6, SockType::Stream) => "tcp6".into(),
        (Family::Ipv4, SockType::Datagram) => "udp4".into(),
        (Family::Ipv6, SockType::Datagram) => "udp6".into(),
        (Family::Unix, SockType::Stream) => "unix-stream".into(),
        (Family::Unix, SockType::Datagram) => "unix-dgram".into(),
    }
}

/// "tcp4 #3".
pub fn default_name(id: SocketId, family: Family, sock_type: SockType) -> String {
    format!("{} #{}", kind_text(family, sock_type), id.0)
}

/// One call, from Started to Returned. A pending call has no `returned_us` yet.
#[derive(Clone, Debug, PartialEq)]
pub struct CallRecord {
    pub socket: SocketId,
    pub call_id: CallId,
    pub call: Call,
    pub origin: Origin,
    pub started_us: u64,
    pub returned_us: Option<u64>,
    pub duration_us: Option<u64>,
    pub outcome: Option<Outcome>,
    pub bytes_moved: usize,
    /// recv / recvfrom: how many bytes came back (0 for EOF).
    pub data_len: Option<usize>,
    pub from: Option<SocketAddress>,
    pub truncated_from: Option<usize>,
    pub woken_by: Option<WokenBy>,
    /// The socket when the call returned (for explaining errnos and empty receives).
    pub context: Option<CallContext>,
    /// An automatic send carrying a reply rule's reply: which rule answered (counted from 1,
    /// as the rules are listed), for the timeline's "rule 2".
    pub reply_rule: Option<u32>,
}

impl CallRecord {
    pub fn is_pending(&self) -> bool {
        self.outcome.is_none()
    }
}

/// A socket's place in the tree the views list sockets in ([`Session::tree_order`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TreeRow {
    pub id: SocketId,
    /// 0 for a root; 1 for a connection its listener accepted.
    pub depth: usize,
    pub closed: bool,
}

/// One line of the call log.
#[derive(Clone, Debug, PartialEq)]
pub enum LogEntry {
    Call(CallRecord),
    /// Several automatic calls folded into one entry.
    Auto(AutoSummary),
}

impl LogEntry {
    pub fn socket(&self) -> SocketId {
        match self {
            LogEntry::Call(record) => record.socket,
            LogEntry::Auto(summary) => summary.socket,
        }
    }
    /// When the entry begins (call start, or the summary's first call).
    pub fn at_us(&self) -> u64 {
        match self {
            LogEntry::Call(record) => record.started_us,
            LogEntry::Auto(summary) => summary.from_us,
        }
    }
    /// When the entry ended (the call returned, or the summary's last call); None while the
    /// call is pending.
    pub fn end_us(&self) -> Option<u64> {
        match self {
            LogEntry::Call(record) => record.returned_us,
            LogEntry::Auto(summary) => Some(summary.to_us),
        }
    }
}

/// What kind of received chunk this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChunkKind {
    /// The bytes one recv / recvfrom returned.
    Data,
    /// recv returned 0 bytes: the peer closed (for a datagram socket: an empty datagram).
    Eof,
    /// The first bytes of an automatic receive period: `recv_calls` calls moved `recv_bytes`.
    AutoSample { recv_calls: u64, recv_bytes: u64 },
}

/// The bytes of one receive call.
#[derive(Clone, Debug, PartialEq)]
pub struct Chunk {
    /// Session-wide sequence number, in arrival order.
    pub seq: u64,
    pub socket: SocketId,
    pub call_id: Option<CallId>,
    pub at_us: u64,
    pub kind: ChunkKind,
    pub data: Vec<u8>,
    /// recvfrom: the sender.
    pub from: Option<SocketAddress>,
    /// A datagram longer than bufsize: its real length.
    pub truncated_from: Option<usize>,
}

impl Chunk {
    /// Bytes this chunk stands for (for a sample, all bytes of the period).
    pub fn size(&self) -> u64 {
        match self.kind {
            ChunkKind::AutoSample { recv_bytes, .. } => recv_bytes,
            _ => self.data.len() as u64,
        }
    }
}

/// Session-wide numbers for the status bar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Sockets not closed.
    pub sockets_open: usize,
    pub sockets_total: usize,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub calls_pending: usize,
    pub log_entries: usize,
    pub dropped_log_entries: u64,
    pub retained_bytes: usize,
    /// Send payload bytes held by the log's records.
    pub log_payload_bytes: usize,
    pub dropped_bytes: u64,
    pub dropped_chunks: u64,
    /// Closed sockets forgotten beyond [`Limits::max_closed_sockets`].
    pub forgotten_sockets: u64,
}

/// What one applied event was about. The session now holds what it carried, so one who
/// watches events as they are applied (the script runner) reads the session, not a copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    Opened(SocketId),
    Started {
        socket: SocketId,
        call_id: CallId,
    },
    Returned {
        socket: SocketId,
        call_id: CallId,
    },
    /// An automatic summary: the log's newest entry.
    Auto(SocketId),
    State(SocketId),
    /// A kernel snapshot: the socket's `kernel`.
    Kernel(SocketId),
    Automation(SocketId),
    /// The socket's thread failed: the socket's `failure`.
    ThreadFailed(SocketId),
    ThreadEnded(SocketId),
    /// A report of the wire: the session's `wire()`.
    Wire,
    /// The call's record now says which reply rule it answered by.
    ReplyRule {
        socket: SocketId,
        call_id: CallId,
    },
    /// Something a relay did.
    Relay(crate::engine::relay::RelayId),
}

impl Applied {
    pub fn of(event: &Event) -> Self {
        match event {
            Event::Opened(info) => Applied::Opened(info.socket),
            Event::Started(started) => Applied::Started {
                socket: started.socket,
                call_id: started.call_id,
            },
            Event::Returned(returned) => Applied::Returned {
                socket: returned.socket,
                call_id: returned.call_id,
            },
            Event::Auto(summary) => Applied::Auto(summary.socket),
            Event::State(change) => Applied::State(change.socket),
            Event::Kernel { socket, .. } => Applied::Kernel(*socket),
            Event::Automation { socket, .. } => Applied::Automation(*socket),
            Event::ThreadFailed { socket, .. } => Applied::ThreadFailed(*socket),
            Event::ThreadEnded { socket, .. } => Applied::ThreadEnded(*socket),
            Event::Wire(_) => Applied::Wire,
            Event::Relay(event) => Applied::Relay(event.relay()),
            Event::ReplyRule {
                socket, call_id, ..
            } => Applied::ReplyRule {
                socket: *socket,
                call_id: *call_id,
            },
        }
    }
}

/// All that is shown, built from events.
#[derive(Debug)]
pub struct Session {
    limits: Limits,
    sockets: BTreeMap<SocketId, SocketView>,
    /// The sockets in tree order ([`Session::tree_order`]), valid while `tree_stale` is false.
    tree: Vec<TreeRow>,
    tree_stale: bool,
    /// The call log; `Ring` indices are stable (they only grow), so `by_call` stays valid.
    log: Ring<LogEntry>,
    by_call: IdMap<CallId, u64>,
    /// Arrival order of every retained chunk, for dropping the oldest across sockets.
    chunk_order: std::collections::VecDeque<(SocketId, u64)>,
    next_chunk_seq: u64,
    retained_bytes: usize,
    log_payload_bytes: usize,
    dropped_log_entries: u64,
    dropped_bytes: u64,
    dropped_chunks: u64,
    bytes_in: u64,
    bytes_out: u64,
    calls_pending: usize,
    latest_us: u64,
    /// Every specific address a socket of ours has had, even for a moment (a closed socket
    /// has none any more, but its TIME_WAIT entry in the system table is still ours).
    addresses_seen: HashSet<SocketAddress>,
    /// When each of them was added, oldest first: an address no kept socket has and older than
    /// a TIME_WAIT can last is let go (a server under churn sees a new peer port each time).
    addresses_seen_order: std::collections::VecDeque<(u64, SocketAddress)>,
    addresses_pruned_us: u64,
    /// How many addresses the last prune left (kept sockets' included).
    addresses_after_prune: usize,
    /// Bytes per socket, direction and 250 ms, for the throughput plot.
    throughput: throughput::Buckets,
    /// When old throughput buckets were last forgotten.
    throughput_pruned_us: u64,
    flows: timeline::FlowIndex,
    wire: wire::WireLog,
    /// Thread failures of sockets the session never saw open (a workbench bug either way).
    unknown_failures: std::collections::VecDeque<(SocketId, String)>,
    /// Closed sockets in the order their threads ended: the first to forget.
    closed_order: std::collections::VecDeque<SocketId>,
    forgotten_sockets: u64,
    /// The highest socket id seen open (a lower one not kept was forgotten).
    highest_socket: u32,
    /// Entries of `chunk_order` whose socket has been forgotten (compacted now and then).
    stale_chunk_entries: usize,
    /// The names sockets are shown by, unique among those kept.
    names: names::Names,
    /// Sockets dropped entirely once their threads end (a script started again): not
    /// counted as forgotten.
    discarded: IdSet<SocketId>,
    /// Events of sockets up to this id are ignored: they belong to a session before this
    /// one ([`Session::after`]).
    ignore_up_to: u32,
    /// Forgotten sockets whose log entries are still in the log (taken out in one sweep).
    unswept_sockets: HashSet<SocketId>,
    log_sweeps: u64,
    /// Each socket's automatic log entries, by mark, oldest first.
    auto_marks: HashMap<SocketId, std::collections::VecDeque<u64>>,
    /// Automatic entries beyond a socket's share, waiting for the next sweep.
    expired_auto: HashSet<u64>,
    dropped_auto_entries: u64,
    /// Counts changes of any socket's local or peer address ([`SocketView::addresses_changed_at`]).
    address_epoch: u64,
    /// Tells this session from every other one in the process (indexes notice a new one).
    instance: u64,
}

impl Default for Session {
    fn default() -> Self {
        Session::new(Limits::default())
    }
}

impl Session {
    pub fn new(limits: Limits) -> Self {
        Session {
            limits,
            sockets: BTreeMap::new(),
            tree: Vec::new(),
            tree_stale: true,
            log: Ring::new(),
            by_call: IdMap::default(),
            chunk_order: std::collections::VecDeque::new(),
            next_chunk_seq: 0,
            retained_bytes: 0,
            log_payload_bytes: 0,
            dropped_log_entries: 0,
            dropped_bytes: 0,
            dropped_chunks: 0,
            bytes_in: 0,
            bytes_out: 0,
            calls_pending: 0,
            latest_us: 0,
            addresses_seen: HashSet::new(),
            addresses_seen_order: std::collections::VecDeque::new(),
            addresses_pruned_us: 0,
            addresses_after_prune: 0,
            throughput: throughput::Buckets::new(),
            throughput_pruned_us: 0,
            flows: timeline::FlowIndex::new(),
            wire: wire::WireLog::new(),
            unknown_failures: std::collections::VecDeque::new(),
            closed_order: std::collections::VecDeque::new(),
            forgotten_sockets: 0,
            highest_socket: 0,
            stale_chunk_entries: 0,
            names: names::Names::default(),
            discarded: IdSet::default(),
            ignore_up_to: 0,
            unswept_sockets: HashSet::new(),
            log_sweeps: 0,
            auto_marks: HashMap::new(),
            expired_auto: HashSet::new(),
            dropped_auto_entries: 0,
            address_epoch: 0,
            instance: {
                static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            },
        }
    }

    /// A new session on an engine whose sockets up to `highest_socket` belong to the one
    /// before (New session): their late events (a close completing) are ignored.
    pub fn after(limits: Limits, highest_socket: u32) -> Self {
        let mut session = Session::new(limits);
        session.ignore_up_to = highest_socket;
        session.highest_socket = highest_socket;
        session
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Changes the caps; anything now over them is dropped (oldest first).
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
        self.enforce_log_cap();
        self.enforce_byte_cap();
        self.enforce_closed_cap();
    }

    // ----- reading -----

    pub fn socket(&self, id: SocketId) -> Option<&SocketView> {
        self.sockets.get(&id)
    }

    /// Every socket ever opened in this session (closed ones too), in id order.
    pub fn sockets(&self) -> impl Iterator<Item = &SocketView> {
        self.sockets.values()
    }

    /// Sockets without a parent, in id order (accepted connections hang under these).
    pub fn root_sockets(&self) -> impl Iterator<Item = &SocketView> {
        self.sockets.values().filter(|view| {
            view.parent
                .is_none_or(|parent| !self.sockets.contains_key(&parent))
        })
    }

    /// The record of one call (pending or returned), if it is still in the log.
    pub fn call(&self, id: CallId) -> Option<&CallRecord> {
        let index = *self.by_call.get(&id)?;
        match self.log.get(index)? {
            LogEntry::Call(record) => Some(record),
            LogEntry::Auto(_) => None,
        }
    }

    /// The call log, oldest retained entry first.
    pub fn log(&self) -> impl DoubleEndedIterator<Item = &LogEntry> + ExactSizeIterator {
        self.log.iter()
    }

    /// Retained log entries.
    pub fn log_len(&self) -> usize {
        self.log.len()
    }

    /// Where the next log entry will go, counted from the session's first entry (dropped ones
    /// included): a mark that stays valid while old entries are dropped.
    pub fn log_mark(&self) -> u64 {
        self.log.next_index()
    }

    /// The retained position ([`Session::log_entry`]'s `n`) of a [`Session::log_mark`]; 0 when
    /// the entry it marked has been dropped.
    pub fn log_position(&self, mark: u64) -> usize {
        self.log.position_of(mark)
    }

    /// The mark of the oldest entry held (the next mark when the log is empty).
    pub fn log_first_mark(&self) -> u64 {
        self.log.first_index()
    }

    /// The entry pushed at a [`Session::log_mark`], if it is still held.
    pub fn log_entry_at_mark(&self, mark: u64) -> Option<&LogEntry> {
        self.log.get(mark)
    }

    /// Counts the times the entries of forgotten sockets were taken out of the log: a list
    /// that remembers entries by mark starts again when it changes.
    pub fn log_sweeps(&self) -> u64 {
        self.log_sweeps
    }

    /// The `n`-th retained log entry (0 = oldest retained), for virtualised lists.
    /// The name a socket is shown by (`tcp4 #3`, or the one a person or script gave it).
    pub fn socket_name(&self, socket: SocketId) -> String {
        match self.sockets.get(&socket) {
            Some(view) => view.name.clone(),
            None if self.was_forgotten(socket) => format!("{socket} (forgotten)"),
            None => socket.to_string(),
        }
    }

    /// The socket was closed and then forgotten beyond the cap on closed sockets kept.
    pub fn was_forgotten(&self, socket: SocketId) -> bool {
        self.forgotten_sockets > 0
            && socket.0 <= self.highest_socket
            && !self.sockets.contains_key(&socket)
    }

    /// Why the socket's thread failed, if it did (also for a socket never seen open).
    pub fn thread_failure(&self, socket: SocketId) -> Option<&str> {
        match self.sockets.get(&socket) {
            Some(view) => view.failure.as_deref(),
            None => self
                .unknown_failures
                .iter()
                .rev()
                .find(|(id, _)| *id == socket)
                .map(|(_, message)| message.as_str()),
        }
    }

    /// The newest log entry.
    pub fn last_entry(&self) -> Option<&LogEntry> {
        self.log_entry(self.log_len().checked_sub(1)?)
    }

    pub fn log_entry(&self, n: usize) -> Option<&LogEntry> {
        self.log.nth(n)
    }

    /// Retained chunks of all sockets in arrival order.
    pub fn chunks(&self) -> impl Iterator<Item = &Chunk> {
        self.chunk_order.iter().filter_map(|(socket, seq)| {
            let chunks = &self.sockets.get(socket)?.chunks;
            // Per-socket chunks are in seq order: binary search.
            let at = chunks.binary_search_by_key(seq, |chunk| chunk.seq).ok()?;
            chunks.get(at)
        })
    }

    /// Retained chunks of one socket, oldest first.
    pub fn socket_chunks(&self, id: SocketId) -> impl Iterator<Item = &Chunk> {
        self.sockets
            .get(&id)
            .into_iter()
            .flat_map(|view| view.chunks.iter())
    }

    pub fn stats(&self) -> Stats {
        Stats {
            sockets_open: self.sockets.values().filter(|view| !view.closed).count(),
            sockets_total: self.sockets.len(),
            bytes_in: self.bytes_in,
            bytes_out: self.bytes_out,
            calls_pending: self.calls_pending,
            log_entries: self.log.len(),
            dropped_log_entries: self.dropped_log_entries,
            retained_bytes: self.retained_bytes,
            log_payload_bytes: self.log_payload_bytes,
            dropped_bytes: self.dropped_bytes,
            dropped_chunks: self.dropped_chunks,
            forgotten_sockets: self.forgotten_sockets,
        }
    }

    /// Calls issued and not returned yet, over all sockets.
    pub fn calls_pending(&self) -> usize {
        self.calls_pending
    }

    pub fn dropped_log_entries(&self) -> u64 {
        self.dropped_log_entries
    }

    pub fn dropped_bytes(&self) -> u64 {
        self.dropped_bytes
    }

    /// Goes up whenever a socket's local or peer address changes.
    pub fn address_epoch(&self) -> u64 {
        self.address_epoch
    }

    /// Different for every session made in this process.
    pub fn instance(&self) -> u64 {
        self.instance
    }

    /// Every socket with its depth, in the order the views list them: each root (a socket
    /// no listener accepted), then its accepted connections in order of arrival. Kept from
    /// the last [`Session::update_indexes`] while no socket came, went or closed since (with
    /// thousands of connections, building it was a good part of every frame).
    pub fn tree_order(&self) -> std::borrow::Cow<'_, [TreeRow]> {
        if self.tree_stale {
            std::borrow::Cow::Owned(self.build_tree_order())
        } else {
            std::borrow::Cow::Borrowed(&self.tree)
        }
    }

    fn build_tree_order(&self) -> Vec<TreeRow> {
        /// Connections accepted by connections cannot happen; this only bounds the recursion.
        const MAX_DEPTH: usize = 4;
        // The views in id order, found by binary search in one flat list: thousands of
        // lookups in the map were most of the time this took.
        let views: Vec<&SocketView> = self.sockets.values().collect();
        // The ids apart, side by side: a search reads one cache line, not a view per probe.
        let ids: Vec<SocketId> = self.sockets.keys().copied().collect();
        let find = |id: SocketId| ids.binary_search(&id).ok().map(|at| views[at]);
        fn add<'a>(
            find: &impl Fn(SocketId) -> Option<&'a SocketView>,
            view: &'a SocketView,
            depth: usize,
            rows: &mut Vec<TreeRow>,
        ) {
            rows.push(TreeRow {
                id: view.id,
                depth,
                closed: view.closed,
            });
            if depth < MAX_DEPTH {
                for child in view.children.iter().filter_map(|id| find(*id)) {
                    add(find, child, depth + 1, rows);
                }
            }
        }
        let mut rows = Vec::with_capacity(views.len());
        for view in &views {
            if view.parent.is_none_or(|parent| find(parent).is_none()) {
                add(&find, view, 0, &mut rows);
            }
        }
        rows
    }

    /// Sockets kept (open, or closed within the cap).
    pub fn sockets_kept(&self) -> usize {
        self.sockets.len()
    }

    /// Closed sockets forgotten beyond the cap on closed sockets kept.
    pub fn forgotten_sockets(&self) -> u64 {
        self.forgotten_sockets
    }

    /// After a wave of connections has gone: the log entries of forgotten sockets go now,
    /// and every table and queue that grew with the wave gives back the room it no longer
    /// uses (the log's ring alone had grown to 2.6 MB for 5,000 entries).
    pub fn give_back_room(&mut self) {
        self.sweep_log();
        self.log.give_back_room();
        self.tree.give_back_room();
        self.by_call.give_back_room();
        self.chunk_order.give_back_room();
        self.addresses_seen.give_back_room();
        self.addresses_seen_order.give_back_room();
        self.closed_order.give_back_room();
        self.discarded.give_back_room();
        self.unswept_sockets.give_back_room();
        self.auto_marks.give_back_room();
        self.expired_auto.give_back_room();
        self.names.give_back_room();
        self.flows.give_back_room();
        self.wire.give_back_room();
        for view in self.sockets.values_mut() {
            view.children.give_back_room();
            view.pending.give_back_room();
            view.chunks.give_back_room();
        }
    }

    /// Entries the session's tables and queues have room for (tests check it follows what
    /// is kept, not what once was).
    #[cfg(test)]
    fn room_held(&self) -> usize {
        self.log.room().1
            + self.tree.capacity()
            + self.by_call.capacity()
            + self.chunk_order.capacity()
            + self.closed_order.capacity()
            + self.auto_marks.capacity()
            + self.names.room().1
    }

    /// The time of the latest event applied (microseconds since the engine started).
    /// Every specific address our sockets have had (to find them in the system table).
    /// Bytes moved per socket, direction and 250 ms (the throughput plot's data).
    pub fn throughput(&self) -> &throughput::Buckets {
        &self.throughput
    }

    pub fn addresses_seen(&self) -> &HashSet<SocketAddress> {
        &self.addresses_seen
    }

    pub fn latest_us(&self) -> u64 {
        self.latest_us
    }

    // ----- changing -----

    /// Gives a socket a name; an empty name restores the default. A name another kept socket
    /// has gets a number (`client2`). False if there is no such socket.
    pub fn rename(&mut self, id: SocketId, name: impl Into<String>) -> bool {
        let Some(view) = self.sockets.get_mut(&id) else {
            return false;
        };
        let name = name.into();
        let name = name.trim();
        let wanted = if name.is_empty() {
            default_name(view.id, view.family, view.sock_type)
        } else {
            name.to_string()
        };
        view.name = self.names.claim(id, &wanted, &view.name);
        true
    }

    /// Drops these sockets from every view once their threads have ended (at once for those
    /// already ended): a script started again replaces them. Their names are free at once.
    /// Not counted as forgotten.
    pub fn discard(&mut self, sockets: &[SocketId]) {
        for socket in sockets {
            let Some(view) = self.sockets.get(socket) else {
                continue;
            };
            self.names.release(*socket, &view.name);
            if view.thread_ended {
                self.closed_order.retain(|closed| closed != socket);
                self.forget_socket(*socket, false);
            } else {
                self.discarded.insert(*socket);
            }
        }
        self.sweep_log();
    }

    /// Forgets the retained chunks of one socket (a person pressed Clear). The byte and chunk
    /// counters stay; the removed chunks are counted in `counters.cleared_chunks`, so they are
    /// not mistaken for chunks dropped by the memory cap.
    pub fn clear_chunks(&mut self, socket: SocketId) {
        let Some(view) = self.sockets.get_mut(&socket) else {
            return;
        };
        let bytes: usize = view.chunks.iter().map(|chunk| chunk.data.len()).sum();
        view.counters.cleared_chunks += view.chunks.len() as u64;
        view.chunks.clear();
        self.retained_bytes -= bytes;
        self.chunk_order.retain(|(owner, _)| *owner != socket);
    }

    /// Takes one event into the session.
    pub fn apply(&mut self, event: Event) {
        if event
            .socket()
            .is_some_and(|socket| socket.0 <= self.ignore_up_to)
        {
            return;
        }
        match rehomed(event) {
            Event::Opened(info) => self.opened(info),
            Event::Started(started) => self.started(started),
            Event::Returned(returned) => self.returned(returned),
            Event::Auto(summary) => self.auto(summary),
            Event::State(change) => self.state(change),
            Event::Kernel {
                socket,
                at_us,
                snapshot,
            } => {
                self.seen(at_us);
                if let Some(view) = self.sockets.get_mut(&socket) {
                    view.kernel = Some(Box::new((at_us, snapshot)));
                }
            }
            Event::Automation {
                socket,
                at_us,
                automation,
            } => {
                self.seen(at_us);
                if let Some(view) = self.sockets.get_mut(&socket) {
                    if automation.is_on() && view.automation_first_on_us.is_none() {
                        view.automation_first_on_us = Some(at_us);
                    }
                    view.automation = automation;
                }
            }
            Event::ReplyRule {
                socket,
                call_id,
                rule,
            } => self.reply_rule(socket, call_id, rule),
            // Relays are not shown yet; their time still moves the session's clock.
            Event::Relay(event) => self.seen(event.at_us()),
            Event::Wire(report) => {
                if let crate::engine::WireReport::Segments(segments) = &report
                    && let Some(last) = segments.last()
                {
                    self.seen(last.at_us);
                }
                self.wire.apply(report, &self.sockets);
            }
            Event::ThreadFailed {
                socket,
                at_us,
                message,
            } => {
                self.seen(at_us);
                match self.sockets.get_mut(&socket) {
                    Some(view) => {
                        view.state = Lifecycle::Error;
                        view.failure = Some(message);
                    }
                    // A socket never seen open: its failure is still kept (a few of them).
                    None => {
                        if self.unknown_failures.len() >= 16 {
                            self.unknown_failures.pop_front();
                        }
                        self.unknown_failures.push_back((socket, message));
                    }
                }
            }
            Event::ThreadEnded { socket, at_us } => {
                self.seen(at_us);
                if self.discarded.remove(&socket) {
                    self.forget_socket(socket, false);
                    self.sweep_log();
                    return;
                }
                if let Some(view) = self.sockets.get_mut(&socket) {
                    if !view.thread_ended {
                        self.closed_order.push_back(socket);
                    }
                    view.thread_ended = true;
                    view.closed = true;
                    self.tree_stale = true;
                    // No Returned can come any more; the records stay in the log, unreturned.
                    self.calls_pending -= view.pending.len();
                    view.pending.clear();
                    self.enforce_closed_cap();
                }
            }
        }
    }

    /// Applies events in order, then brings the derived indexes up to date.
    pub fn apply_all(&mut self, events: impl IntoIterator<Item = Event>) {
        for event in events {
            self.apply(event);
        }
        self.update_indexes();
    }

    /// Brings the indexes derived from the log (the timeline's flow arrows) up to date with
    /// the events applied so far. [`Session::apply_all`] and the core do this after each
    /// batch; one who applies events one by one calls it before reading [`Session::flows`].
    pub fn update_indexes(&mut self) {
        if self.tree_stale {
            self.tree = self.build_tree_order();
            self.tree_stale = false;
        }
        let mut flows = std::mem::take(&mut self.flows);
        flows.update(self);
        self.flows = flows;
        self.wire.resolve_again(&self.sockets, self.latest_us);
    }

    /// The wire: the capture's state and the segments seen (PRODUCT part 14).
    pub fn wire(&self) -> &wire::WireLog {
        &self.wire
    }

    /// Which send reached which recv (the timeline's arrows), as of the last
    /// [`Session::update_indexes`].
    pub fn flows(&self) -> &timeline::FlowIndex {
        &self.flows
    }

    fn seen(&mut self, at_us: u64) {
        self.latest_us = self.latest_us.max(at_us);
        if self.latest_us >= self.addresses_pruned_us + ADDRESS_PRUNE_EVERY_US {
            self.addresses_pruned_us = self.latest_us;
            self.prune_addresses_seen();
        }
        // Forget throughput older than the plot shows, once a second of engine time.
        if self.latest_us >= self.throughput_pruned_us + 1_000_000 {
            self.throughput_pruned_us = self.latest_us;
            self.throughput
                .prune(self.latest_us.saturating_sub(throughput::KEEP_US));
        }
    }

    /// Lets go of addresses seen longer ago than a TIME_WAIT lasts that no kept socket has.
    fn prune_addresses_seen(&mut self) {
        let cutoff = self.latest_us.saturating_sub(ADDRESS_KEEP_US);
        let mut dropped = false;
        while let Some((at, _)) = self.addresses_seen_order.front() {
            if *at >= cutoff && self.addresses_seen_order.len() <= MAX_ADDRESSES_SEEN {
                break;
            }
            if let Some((_, address)) = self.addresses_seen_order.pop_front() {
                self.addresses_seen.remove(&address);
                dropped = true;
            }
        }
        if !dropped {
            return;
        }
        // The kept sockets' addresses stay ours (a closed one's TIME_WAIT may still be there).
        let now = self.latest_us;
        for view in self.sockets.values() {
            for address in [&view.local, &view.peer, &view.last_peer]
                .into_iter()
                .flatten()
            {
                if address.names_one_endpoint() && self.addresses_seen.insert(address.clone()) {
                    self.addresses_seen_order.push_back((now, address.clone()));
                }
            }
        }
        self.addresses_seen.shrink_to_fit();
        self.addresses_seen_order.shrink_to_fit();
        self.addresses_after_prune = self.addresses_seen_order.len();
    }

    fn opened(&mut self, info: SocketInfo) {
        self.seen(info.at_us);
        self.tree_stale = true;
        if let Some(parent) = info.parent.and_then(|parent| self.sockets.get_mut(&parent))
            && !parent.children.contains(&info.socket)
        {
            parent.children.push(info.socket);
        }
        self.highest_socket = self.highest_socket.max(info.socket.0);
        if let std::collections::btree_map::Entry::Vacant(entry) = self.sockets.entry(info.socket) {
            let view = entry.insert(SocketView::new(&info));
            view.name = self.names.claim(info.socket, &view.name, "");
        }
    }

    fn started(&mut self, started: Started) {
        self.seen(started.at_us);
        if let Some(view) = self.sockets.get_mut(&started.socket) {
            view.pending.push(PendingCall {
                call_id: started.call_id,
                call: started.call.clone(),
                origin: started.origin,
                started_us: started.at_us,
                reply_rule: None,
            });
            self.calls_pending += 1;
        }
        self.push_record(CallRecord {
            socket: started.socket,
            call_id: started.call_id,
            call: started.call,
            origin: started.origin,
            started_us: started.at_us,
            returned_us: None,
            duration_us: None,
            outcome: None,
            bytes_moved: 0,
            data_len: None,
            from: None,
            truncated_from: None,
            woken_by: None,
            context: None,
            reply_rule: None,
        });
    }

    /// Keeps which reply rule an automatic send answered by, on its record and (should the
    /// log drop the record before the call returns) on its pending entry.
    fn reply_rule(&mut self, socket: SocketId, call_id: CallId, rule: u32) {
        if let Some(pending) = self
            .sockets
            .get_mut(&socket)
            .and_then(|view| view.pending.iter_mut().find(|p| p.call_id == call_id))
        {
            pending.reply_rule = Some(rule);
        }
        let index = self.by_call.get(&call_id).copied();
        if let Some(LogEntry::Call(record)) = index.and_then(|index| self.log.get_mut(index)) {
            record.reply_rule = Some(rule);
        }
    }

    fn push_record(&mut self, record: CallRecord) {
        let (call_id, socket) = (record.call_id, record.socket);
        // Only an automatic call that moves no bytes (a listener's accept) may expire: the
        // arrows pair a stream's sends and recvs by the bytes the log holds of each side.
        let expirable = record.origin == Origin::Auto && matches!(record.call, Call::Accept);
        self.log_payload_bytes += payload_len(&record.call);
        let index = self.log.push(LogEntry::Call(record));
        self.by_call.insert(call_id, index);
        if expirable {
            self.note_automatic_entry(socket, index);
        }
        self.enforce_log_cap();
    }

    /// Counts a socket's automatic entry that moved no bytes; beyond its share, its oldest
    /// expires (and the expired ones leave the log together, a thousand at a time).
    fn note_automatic_entry(&mut self, socket: SocketId, mark: u64) {
        if !self.sockets.contains_key(&socket) {
            return;
        }
        let first_held = self.log.first_index();
        let marks = self.auto_marks.entry(socket).or_default();
        // Entries the log's own cap already dropped are not counted twice, nor kept.
        while marks.front().is_some_and(|oldest| *oldest < first_held) {
            marks.pop_front();
        }
        marks.push_back(mark);
        while marks.len() > MAX_AUTO_ENTRIES_PER_SOCKET {
            if let Some(oldest) = marks.pop_front() {
                self.expired_auto.insert(oldest);
            }
        }
        if self.expired_auto.len() >= EXPIRED_AUTO_SWEEP {
            self.sweep_log();
        }
    }

    /// Automatic entries taken out of the log beyond a socket's share (the newest
    /// [`MAX_AUTO_ENTRIES_PER_SOCKET`] of each socket's stay).
    pub fn dropped_auto_entries(&self) -> u64 {
        self.dropped_auto_entries
    }

    fn returned(&mut self, returned: Returned) {
        self.seen(returned.at_us);

        // The socket's pending entry (it also tells the call if the log record was dropped).
        let pending = self.sockets.get_mut(&returned.socket).and_then(|view| {
            let at = view
                .pending
                .iter()
                .position(|pending| pending.call_id == returned.call_id)?;
            let pending = view.pending.remove(at);
            if view.pending.is_empty() {
                // Thousands of idle connections each had a call once: keep no room for more.
                view.pending = Vec::new();
            }
            Some(pending)
        });
        if pending.is_some() {
            self.calls_pending -= 1;
        }

        // The log record: update it, or make it again if it was dropped (never lose the newest).
        let in_log = self
            .by_call
            .get(&returned.call_id)
            .copied()
            .and_then(|index| match self.log.get_mut(index) {
                Some(LogEntry::Call(record)) => Some(record),
                _ => None,
            });
        let call = match in_log {
            Some(record) => {
                fill_record(record, &returned);
                Some(record.call.clone())
            }
            None => match &pending {
                Some(pending) => {
                    let mut record = CallRecord {
                        socket: returned.socket,
                        call_id: returned.call_id,
                        call: pending.call.clone(),
                        origin: pending.origin,
                        started_us: pending.started_us,
                        returned_us: None,
                        duration_us: None,
                        outcome: None,
                        bytes_moved: 0,
                        data_len: None,
                        from: None,
                        truncated_from: None,
                        woken_by: None,
                        context: None,
                        reply_rule: pending.reply_rule,
                    };
                    fill_record(&mut record, &returned);
                    self.push_record(record);
                    Some(pending.call.clone())
                }
                // A return without a start: nothing tells which call it was.
                None => None,
            },
        };

        // Counters and chunks.
        let direction = call.as_ref().map(|call| call.kind().direction());
        let is_recv =
            direction == Some(Direction::In) || (call.is_none() && returned.data.is_some());
        let is_send = direction == Some(Direction::Out);
        let asked_nothing = matches!(
            call,
            Some(Call::Recv { bufsize: 0, .. } | Call::RecvFrom { bufsize: 0, .. })
        );

        if let Some(view) = self.sockets.get_mut(&returned.socket) {
            if is_recv {
                view.counters.recv_calls += 1;
                view.counters.bytes_in += returned.bytes_moved as u64;
                self.bytes_in += returned.bytes_moved as u64;
            }
            if is_send {
                view.counters.send_calls += 1;
                view.counters.bytes_out += returned.bytes_moved as u64;
                self.bytes_out += returned.bytes_moved as u64;
            }
            if matches!(call, Some(Call::Close)) && returned.outcome.is_ok() {
                view.closed = true;
                self.tree_stale = true;
            }
            let moved = returned.bytes_moved as u64;
            if is_recv {
                self.throughput
                    .add(returned.socket, Direction::In, returned.at_us, moved);
            }
            if is_send {
                self.throughput
                    .add(returned.socket, Direction::Out, returned.at_us, moved);
            }
            if let Some(call) = call {
                let key = ResultKey::of(&call);
                let last = LastResult {
                    call_id: returned.call_id,
                    call,
                    outcome: returned.outcome.clone(),
                    returned_us: returned.at_us,
                    duration_us: returned.duration_us,
                    bytes_moved: returned.bytes_moved,
                    woken_by: returned.woken_by,
                    context: returned.context,
                    from: returned.from.clone(),
                };
                match view.last_results.iter_mut().find(|(kept, _)| *kept == key) {
                    Some((_, kept)) => *kept = last,
                    None => {
                        // One slot at a time: a socket has a few kinds of call.
                        view.last_results.reserve_exact(1);
                        view.last_results.push((key, last));
                    }
                }
            }
        }
        let datagram = returned
            .context
            .is_some_and(|context| context.sock_type == crate::engine::SockType::Datagram);
        if is_recv
            && !asked_nothing
            && returned.outcome.is_ok()
            && let Some(data) = returned.data
        {
            // An empty datagram is a message of its own; only a stream's b'' ends the data.
            let kind = if data.is_empty() && !datagram {
                ChunkKind::Eof
            } else {
                ChunkKind::Data
            };
            self.push_chunk(Chunk {
                seq: 0,
                socket: returned.socket,
                call_id: Some(returned.call_id),
                at_us: returned.at_us,
                kind,
                data,
                from: returned.from,
                truncated_from: returned.truncated_from,
            });
        }
    }

    fn auto(&mut self, mut summary: AutoSummary) {
        self.seen(summary.to_us);
        // The sample goes to the received chunks (under the byte cap); the log keeps the
        // counts only, or a flood's 4 KiB samples would pile up in it beside the cap.
        let sample = std::mem::take(&mut summary.sample);
        if let Some(view) = self.sockets.get_mut(&summary.socket) {
            view.counters.recv_calls += summary.recv_calls;
            view.counters.send_calls += summary.send_calls;
            view.counters.bytes_in += summary.recv_bytes;
            view.counters.bytes_out += summary.send_bytes;
        }
        self.bytes_in += summary.recv_bytes;
        self.bytes_out += summary.send_bytes;
        for (direction, bytes) in [
            (Direction::In, summary.recv_bytes),
            (Direction::Out, summary.send_bytes),
        ] {
            self.throughput.add_spread(
                summary.socket,
                direction,
                summary.from_us,
                summary.to_us,
                bytes,
            );
        }
        if !sample.is_empty() || summary.recv_calls > 0 {
            self.push_chunk(Chunk {
                seq: 0,
                socket: summary.socket,
                call_id: None,
                at_us: summary.to_us,
                kind: ChunkKind::AutoSample {
                    recv_calls: summary.recv_calls,
                    recv_bytes: summary.recv_bytes,
                },
                data: sample,
                from: None,
                truncated_from: None,
            });
        }
        let socket = summary.socket;
        let moved_bytes = summary.recv_bytes > 0 || summary.send_bytes > 0;
        let mark = self.log.push(LogEntry::Auto(summary));
        if !moved_bytes {
            self.note_automatic_entry(socket, mark);
        }
        self.enforce_log_cap();
    }

    fn state(&mut self, change: StateChange) {
        self.seen(change.at_us);
        for address in [&change.local, &change.peer].into_iter().flatten() {
            if address.names_one_endpoint() && !self.addresses_seen.contains(address) {
                self.addresses_seen.insert(address.clone());
                self.addresses_seen_order
                    .push_back((change.at_us, address.clone()));
            }
        }
        // Over the count: prune now, not at the next 10 s (measured against what the last
        // prune left, so thousands of kept sockets' addresses do not make it prune each time).
        if self.addresses_seen_order.len()
            > MAX_ADDRESSES_SEEN.max(self.addresses_after_prune) * 5 / 4
        {
            self.prune_addresses_seen();
        }
        if let Some(view) = self.sockets.get_mut(&change.socket) {
            let before = (view.local.clone(), view.peer.clone());
            view.state = change.state;
            view.mode = change.mode;
            // A closed socket keeps the address it last had (a script may name it, and the
            // system table still shows it in TIME_WAIT).
            if change.local.is_some() || change.state != Lifecycle::Closed {
                view.local = change.local;
            }
            if change.peer.is_some() {
                view.last_peer = change.peer.clone();
            }
            view.peer = change.peer;
            if change.state == Lifecycle::Closed {
                view.closed = true;
                self.tree_stale = true;
            }
            if (&view.local, &view.peer) != (&before.0, &before.1) {
                self.address_epoch += 1;
                view.addresses_changed_at = self.address_epoch;
            }
        }
    }

    fn push_chunk(&mut self, mut chunk: Chunk) {
        chunk.seq = self.next_chunk_seq;
        self.next_chunk_seq += 1;
        let Some(view) = self.sockets.get_mut(&chunk.socket) else {
            // Data for a socket never opened: count it, keep nothing.
            self.dropped_chunks += 1;
            self.dropped_bytes += chunk.data.len() as u64;
            return;
        };
        view.counters.chunks += 1;
        self.retained_bytes += chunk.data.len();
        self.chunk_order.push_back((chunk.socket, chunk.seq));
        if view.chunks.len() < 4 {
            // Most connections of a busy server keep a chunk or two: room for those only.
            view.chunks.reserve_exact(1);
        }
        view.chunks.push_back(chunk);
        self.enforce_byte_cap();
    }

    /// Drops the oldest chunks until the retained bytes fit, keeping at least the newest one.
    fn enforce_byte_cap(&mut self) {
        while self.retained_bytes > self.limits.max_retained_bytes && self.chunk_order.len() > 1 {
            let Some((socket, seq)) = self.chunk_order.pop_front() else {
                break;
            };
            let Some(view) = self.sockets.get_mut(&socket) else {
                // A forgotten socket's entry.
                self.stale_chunk_entries = self.stale_chunk_entries.saturating_sub(1);
                continue;
            };
            // The oldest chunk overall is the oldest of its socket.
            if view.chunks.front().is_some_and(|chunk| chunk.seq == seq)
                && let Some(chunk) = view.chunks.pop_front()
            {
                self.retained_bytes -= chunk.data.len();
                self.dropped_bytes += chunk.data.len() as u64;
                self.dropped_chunks += 1;
            }
        }
    }

    /// Forgets the oldest closed sockets beyond the cap. A listener whose accepted connections
    /// are still kept waits for them (they are shown under it).
    fn enforce_closed_cap(&mut self) {
        let cap = self.limits.max_closed_sockets;
        let mut position = 0;
        while self.closed_order.len() > cap && position < self.closed_order.len() {
            let socket = self.closed_order[position];
            let has_children = self.sockets.get(&socket).is_some_and(|view| {
                view.children
                    .iter()
                    .any(|child| self.sockets.contains_key(child))
            });
            if has_children {
                position += 1;
                continue;
            }
            self.closed_order.remove(position);
            let parent = self.sockets.get(&socket).and_then(|view| view.parent);
            self.forget_socket(socket, true);
            if parent.is_some() {
                // Its listener may be free to go now.
                position = 0;
            }
        }
        self.sweep_log_if_due();
    }

    /// Takes the log entries of forgotten sockets out, once those sockets are a quarter of
    /// all the log may hold entries for (so each entry is looked at a few times at most, and
    /// churn leaves a log no longer than the kept sockets' entries).
    fn sweep_log_if_due(&mut self) {
        let unswept = self.unswept_sockets.len();
        if unswept * 4 < self.sockets.len() + unswept {
            return;
        }
        self.sweep_log();
    }

    /// Takes the log entries of every forgotten socket out now.
    fn sweep_log(&mut self) {
        if self.unswept_sockets.is_empty() && self.expired_auto.is_empty() {
            return;
        }
        let forgotten = std::mem::take(&mut self.unswept_sockets);
        let expired = std::mem::take(&mut self.expired_auto);
        let by_call = &mut self.by_call;
        let log_payload_bytes = &mut self.log_payload_bytes;
        let dropped_auto_entries = &mut self.dropped_auto_entries;
        self.log.retain(
            |mark, entry| !forgotten.contains(&entry.socket()) && !expired.contains(&mark),
            |mark, entry| {
                // Counted when it leaves (an expired entry the log's cap took first is not).
                if expired.contains(&mark) && !forgotten.contains(&entry.socket()) {
                    *dropped_auto_entries += 1;
                }
                if let LogEntry::Call(record) = entry {
                    by_call.remove(&record.call_id);
                    *log_payload_bytes -= payload_len(&record.call);
                }
            },
        );
        self.log_sweeps += 1;
        if self.by_call.len() * 4 < self.by_call.capacity() {
            self.by_call.shrink_to_fit();
        }
    }

    /// Removes a closed socket and all it holds; its log entries go at the next sweep.
    /// `counted`: beyond the cap (the views say how many); else discarded on purpose.
    fn forget_socket(&mut self, socket: SocketId, counted: bool) {
        let Some(view) = self.sockets.remove(&socket) else {
            return;
        };
        self.tree_stale = true;
        if counted {
            self.forgotten_sockets += 1;
        }
        self.unswept_sockets.insert(socket);
        self.auto_marks.remove(&socket);
        self.names.release(socket, &view.name);
        if let Some(parent) = view.parent.and_then(|parent| self.sockets.get_mut(&parent)) {
            parent.children.retain(|child| *child != socket);
        }
        if !view.chunks.is_empty() {
            let bytes: usize = view.chunks.iter().map(|chunk| chunk.data.len()).sum();
            self.retained_bytes -= bytes;
            self.stale_chunk_entries += view.chunks.len();
            // Stale entries are skipped where they are met; compacted once they are half.
            if self.stale_chunk_entries * 2 > self.chunk_order.len() {
                let sockets = &self.sockets;
                self.chunk_order
                    .retain(|(owner, _)| sockets.contains_key(owner));
                self.stale_chunk_entries = 0;
            }
        }
        self.flows.forget(socket);
        self.throughput.forget(socket);
    }

    /// Drops the oldest log entries beyond the caps (keeping at least the newest).
    fn enforce_log_cap(&mut self) {
        let cap = self.limits.max_log_entries.max(1);
        while self.log.len() > cap
            || (self.log_payload_bytes > self.limits.max_log_payload_bytes && self.log.len() > 1)
        {
            if let Some((_, LogEntry::Call(record))) = self.log.pop_front() {
                self.by_call.remove(&record.call_id);
                self.log_payload_bytes -= payload_len(&record.call);
            }
            self.dropped_log_entries += 1;
        }
    }
}

/// The event with the parts the session keeps copied into memory allocated here. An event is
/// made on its socket's thread, and the allocator keeps each thread's allocations together:
/// a few bytes the session kept from a connection long gone would pin that thread's pages,
/// so thousands of connections that came and went would leave their memory held.
fn rehomed(event: Event) -> Event {
    match event {
        Event::Started(mut started) => {
            started.call = started.call.clone();
            Event::Started(started)
        }
        Event::Returned(mut returned) => {
            returned.data = returned.data.map(|data| data.as_slice().to_vec());
            returned.outcome = returned.outcome.clone();
            returned.from = returned.from.clone();
            Event::Returned(returned)
        }
        Event::Auto(mut summary) => {
            summary.sample = summary.sample.as_slice().to_vec();
            Event::Auto(summary)
        }
        Event::State(mut change) => {
            change.local = change.local.clone();
            change.peer = change.peer.clone();
            Event::State(change)
        }
        other => other,
    }
}

/// The bytes a call carries to the kernel (send, sendall, sendto).
fn payload_len(call: &Call) -> usize {
    match call {
        Call::Send { data } | Call::SendAll { data } | Call::SendTo { data, .. } => data.len(),
        _ => 0,
    }
}

fn fill_record(record: &mut CallRecord, returned: &Returned) {
    record.returned_us = Some(returned.at_us);
    record.duration_us = Some(returned.duration_us);
    record.outcome = Some(returned.outcome.clone());
    record.bytes_moved = returned.bytes_moved;
    record.data_len = returned.data.as_ref().map(Vec::len);
    record.from.clone_from(&returned.from);
    record.truncated_from = returned.truncated_from;
    record.woken_by = Some(returned.woken_by);
    record.context = returned.context;
}

/// Bytes as text, with control bytes and terminal escapes shown escaped: valid UTF-8 is kept,
/// `\n`, `\r`, `\t` and other controls become `\n`, `\x1b`..., invalid bytes `\xNN`.
pub fn escape_bytes(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len());
    for piece in data.utf8_chunks() {
        for ch in piece.valid().chars() {
            match ch {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\\' => out.push_str("\\\\"),
                ch if ch.is_control() => {
                    let code = ch as u32;
                    if code < 0x100 {
                        out.push_str(&format!("\\x{code:02x}"));
                    } else {
                        out.push_str(&format!("\\u{{{code:04x}}}"));
                    }
                }
                ch => out.push(ch),
            }
        }
        for byte in piece.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    out
}

#[cfg(test)]
mod tests;
