//! Which send's bytes arrived in which recv, when both ends are sockets of this session: the
//! arrows of the timeline (PRODUCT part 6). Pure data, built from a [`Session`] only.
//!
//! * **Stream sockets** (TCP, Unix stream): two sockets are the ends of one connection when
//!   `A.local == B.peer` and `A.peer == B.local` (address text as the session stores it). Per
//!   direction the sender's returned send / sendall calls give byte ranges `[off, off + n)` in
//!   return order (a failed sendall counts the bytes it did move), the receiver's successful
//!   recv / recvfrom calls (not MSG_PEEK, which consumes nothing) give ranges too, and each
//!   overlapping (send, recv) pair is one [`Flow`]: a send split over two recvs gives two
//!   arrows, three sends merged into one recv give three.
//!   Automatic summaries ([`LogEntry::Auto`]) move bytes without call ids: their bytes advance
//!   the offsets (so later arrows stay right) but get no arrow; the timeline draws the summary
//!   as one band on its lane.
//! * **Datagram sockets**: a sendto / send from A to an address equal to B.local (a wildcard
//!   local such as `0.0.0.0` matches any host with the same port; A connected to B counts) is
//!   matched first-in first-out with B's recv / recvfrom whose source is A.local and whose
//!   datagram size is the same. A datagram never received while a later one of the same pair
//!   was is reported as [`Dropped`].
//!
//! [`FlowIndex`] does this incrementally: each [`FlowIndex::update`] looks only at log entries
//! added since the last one and at calls that were pending then, so it can run every frame on a
//! log of 200,000 calls. [`flows`] is the one-shot form.
//!
//! Addresses: the session keeps only each socket's latest local / peer address, and a closed
//! socket has none. The index remembers every address it has seen (and an accepted socket's
//! peer from its accept() result), so when it is updated every frame, connections stay matched
//! after close.

use super::{CallRecord, IdMap, IdSet, LogEntry, Session};
use crate::engine::{Call, CallId, Direction, Outcome, SockType, SocketAddress, SocketId, Value};
use std::collections::{HashMap, VecDeque};

/// Bytes of one send that arrived in one recv.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flow {
    /// The send / sendall / sendto call.
    pub from_call: CallId,
    /// The recv / recvfrom call that got (some of) those bytes.
    pub to_call: CallId,
    /// How many of the send's bytes this recv got.
    pub bytes: u64,
}

/// A datagram sent to one of our sockets that never arrived while a later one did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dropped {
    /// The sendto / send call.
    pub call: CallId,
    /// The socket it was sent to.
    pub to: SocketId,
}

/// All arrows and dropped datagrams of a session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flows {
    pub arrows: Vec<Flow>,
    pub dropped: Vec<Dropped>,
}

/// The arrows of a session, computed from scratch.
pub fn flows(session: &Session) -> Flows {
    let mut index = FlowIndex::new();
    index.update(session);
    let mut arrows = index.arrows;
    // The index finds arrows stream by stream; give them a stable order.
    arrows.sort_by_key(|flow| (flow.from_call, flow.to_call));
    let mut dropped = index.dropped;
    dropped.sort_by_key(|drop| drop.call);
    Flows { arrows, dropped }
}

/// A returned call that took at least this long is listed in [`FlowIndex::long_calls`], so a
/// view can find calls that started before its time window yet still overlap it.
pub const LONG_CALL_US: u64 = 200_000;

/// A call that took at least [`LONG_CALL_US`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LongCall {
    pub call: CallId,
    pub socket: SocketId,
    pub started_us: u64,
    pub returned_us: u64,
}

/// A byte range of one call on a stream.
#[derive(Clone, Copy, Debug)]
struct Range {
    call: CallId,
    start: u64,
    end: u64,
}

/// Appends the next `n` bytes of a stream direction as one call's range, keeping at most
/// `cap` unmatched ranges (the oldest go first).
fn push_range(
    ranges: &mut std::collections::VecDeque<Range>,
    offset: &mut u64,
    call: CallId,
    n: u64,
    cap: usize,
) {
    ranges.push_back(Range {
        call,
        start: *offset,
        end: *offset + n,
    });
    *offset += n;
    if ranges.len() > cap {
        ranges.pop_front();
    }
}

/// One stream socket's byte ranges not yet matched with its peer's.
#[derive(Debug, Default)]
struct StreamSide {
    sent: VecDeque<Range>,
    sent_off: u64,
    recvd: VecDeque<Range>,
    recv_off: u64,
}

/// The datagrams from one socket to another not yet matched.
#[derive(Debug, Default)]
struct DgramPair {
    /// (sendto call, datagram size), oldest first.
    sent: VecDeque<(CallId, u64)>,
}

/// Addresses a socket has been seen with (kept after the session forgets them).
#[derive(Clone, Debug, Default)]
struct Endpoints {
    local: Option<SocketAddress>,
    peer: Option<SocketAddress>,
}

/// What identifies one log entry, to notice a session that was replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct EntryKey {
    socket: SocketId,
    at_us: u64,
    call: Option<CallId>,
}

fn entry_key(entry: &LogEntry) -> EntryKey {
    EntryKey {
        socket: entry.socket(),
        at_us: entry.at_us(),
        call: match entry {
            LogEntry::Call(record) => Some(record.call_id),
            LogEntry::Auto(_) => None,
        },
    }
}

/// Something that happened to a call, in return order.
enum Done {
    /// A returned call, by id (its record stays in the session: no copy of its payload), with
    /// the order key (returned at, call id).
    Call { call_id: CallId, returned_us: u64 },
    Auto {
        socket: SocketId,
        at_us: u64,
        send_bytes: u64,
        recv_bytes: u64,
    },
}

impl Done {
    fn order(&self) -> (u64, u64) {
        match self {
            Done::Call {
                call_id,
                returned_us,
            } => (*returned_us, call_id.0),
            Done::Auto { at_us, .. } => (*at_us, 0),
        }
    }
}

/// The arrows of a session, kept up to date incrementally (see the module docs).
#[derive(Debug, Default)]
pub struct FlowIndex {
    /// Absolute log index of the next entry to look at.
    scanned: u64,
    /// The last entry looked at, to notice a replaced session.
    last_seen: Option<(u64, EntryKey)>,
    /// Calls seen pending, looked at again on each update.
    waiting: IdSet<CallId>,
    endpoints: IdMap<SocketId, Endpoints>,
    /// Set when an address changed: pairs and datagram routes are worked out again.
    addresses_changed: bool,
    /// The session's address epoch last taken in ([`Session::address_epoch`]); None: none
    /// yet, every socket is looked at.
    seen_address_epoch: Option<u64>,
    /// The session indexed ([`Session::instance`]).
    session_instance: Option<u64>,
    /// Stream sockets whose ends changed since they were last tried for a partner.
    pair_candidates: Vec<SocketId>,
    /// Unpaired stream sockets by their (local, peer) ends, and each one's key.
    unpaired: HashMap<(SocketAddress, SocketAddress), Vec<SocketId>>,
    streams: IdMap<SocketId, StreamSide>,
    /// The other end of each stream socket's connection (both directions are listed).
    partner: IdMap<SocketId, SocketId>,
    dgram_pairs: IdMap<(SocketId, SocketId), DgramPair>,
    /// Datagrams received whose send has not been seen yet: (receiver, sender if known, recv
    /// call, size).
    unmatched_recvs: VecDeque<(SocketId, Option<SocketId>, CallId, u64)>,
    route_cache: HashMap<SocketAddress, Vec<SocketId>>,
    arrows: Vec<Flow>,
    dropped: Vec<Dropped>,
    /// Arrow indices by the calls at either end.
    arrows_by_call: IdMap<CallId, Vec<usize>>,
    dropped_by_call: IdMap<CallId, Vec<usize>>,
    long: Vec<LongCall>,
    /// The session's dropped-entry count at the last pruning.
    pruned_at: u64,
}

impl FlowIndex {
    pub fn new() -> Self {
        FlowIndex::default()
    }

    /// Every arrow found so far.
    pub fn arrows(&self) -> &[Flow] {
        &self.arrows
    }

    /// Every dropped datagram found so far.
    pub fn dropped(&self) -> &[Dropped] {
        &self.dropped
    }

    /// Arrows that start or end at this call.
    pub fn arrows_of(&self, call: CallId) -> impl Iterator<Item = &Flow> {
        self.arrows_by_call
            .get(&call)
            .into_iter()
            .flatten()
            .filter_map(|index| self.arrows.get(*index))
    }

    /// Datagrams of this sendto that were dropped.
    pub fn dropped_of(&self, call: CallId) -> impl Iterator<Item = &Dropped> {
        self.dropped_by_call
            .get(&call)
            .into_iter()
            .flatten()
            .filter_map(|index| self.dropped.get(*index))
    }

    /// Returned calls that took at least [`LONG_CALL_US`] (pending calls are not listed: the
    /// sockets' `pending` lists have them).
    pub fn long_calls(&self) -> &[LongCall] {
        &self.long
    }

    /// The other end of a stream socket's connection, if it is a socket of this session.
    pub fn partner(&self, socket: SocketId) -> Option<SocketId> {
        self.partner.get(&socket).copied()
    }

    /// Takes in what the session gained since the last update. A different session (or one
    /// that was cleared) is noticed and indexed from scratch.
    pub fn update(&mut self, session: &Session) {
        let base = session.dropped_log_entries();
        let end = base + session.log_len() as u64;
        let replaced = self.scanned > end
            || self.last_seen.is_some_and(|(index, key)| {
                index >= base
                    && session
                        .log_entry((index - base) as usize)
                        .is_none_or(|entry| entry_key(entry) != key)
            });
        if replaced || self.session_instance != Some(session.instance()) {
            *self = FlowIndex::new();
            self.session_instance = Some(session.instance());
        }

        self.refresh_addresses(session);

        let mut done: Vec<Done> = Vec::new();
        let start = self.scanned.max(base);
        for index in start..end {
            let Some(entry) = session.log_entry((index - base) as usize) else {
                break;
            };
            self.last_seen = Some((index, entry_key(entry)));
            match entry {
                LogEntry::Call(record) => {
                    if record.is_pending() {
                        self.waiting.insert(record.call_id);
                    } else {
                        // A record made again at its return (its start was dropped) may also
                        // be waiting: take it once.
                        self.waiting.remove(&record.call_id);
                        done.push(Done::Call {
                            call_id: record.call_id,
                            returned_us: record.returned_us.unwrap_or(0),
                        });
                    }
                }
                LogEntry::Auto(summary) => done.push(Done::Auto {
                    socket: summary.socket,
                    at_us: summary.to_us,
                    send_bytes: summary.send_bytes,
                    recv_bytes: summary.recv_bytes,
                }),
            }
        }
        self.scanned = end;

        if !self.waiting.is_empty() {
            let mut finished = Vec::new();
            let mut gone = Vec::new();
            for call in &self.waiting {
                match session.call(*call) {
                    Some(record) if !record.is_pending() => {
                        finished.push((record.call_id, record.returned_us.unwrap_or(0)));
                    }
                    Some(_) => {}
                    None => gone.push(*call),
                }
            }
            for (call_id, returned_us) in finished {
                self.waiting.remove(&call_id);
                done.push(Done::Call {
                    call_id,
                    returned_us,
                });
            }
            for call in gone {
                self.waiting.remove(&call);
            }
        }

        done.sort_by_key(Done::order);
        // Accept results name the accepted socket's peer: learn addresses first.
        for item in &done {
            if let Done::Call { call_id, .. } = item
                && let Some(record) = session.call(*call_id)
                && let Some(Outcome::Ok(Value::Accepted { child, peer })) = &record.outcome
            {
                let endpoints = self.endpoints.entry(*child).or_default();
                if endpoints.peer.is_none() {
                    endpoints.peer = Some(peer.clone());
                    self.addresses_changed = true;
                    self.pair_candidates.push(*child);
                }
            }
        }
        if self.addresses_changed {
            self.addresses_changed = false;
            self.route_cache.clear();
            self.pair_streams(session);
        }

        let mut dirty: IdSet<SocketId> = IdSet::default();
        let cap = session.limits().max_log_entries.max(16);
        for item in done {
            match item {
                Done::Call { call_id, .. } => {
                    if let Some(record) = session.call(call_id) {
                        self.take_call(session, record, &mut dirty, cap);
                    }
                }
                Done::Auto {
                    socket,
                    send_bytes,
                    recv_bytes,
                    ..
                } => {
                    if is_stream(session, socket) {
                        let side = self.streams.entry(socket).or_default();
                        side.sent_off += send_bytes;
                        side.recv_off += recv_bytes;
                        dirty.insert(socket);
                    }
                }
            }
        }
        for socket in dirty {
            self.merge_from(socket);
            if let Some(partner) = self.partner(socket) {
                self.merge_from(partner);
            }
        }
        self.prune(session);
    }

    /// Forgets what is known of a socket the session no longer keeps (its arrows go with
    /// the log entries they join).
    pub fn forget(&mut self, socket: SocketId) {
        self.leave_unpaired(socket);
        self.endpoints.remove(&socket);
        self.streams.remove(&socket);
        if let Some(partner) = self.partner.remove(&socket) {
            self.partner.remove(&partner);
        }
        self.dgram_pairs
            .retain(|(one, other), _| *one != socket && *other != socket);
        self.route_cache.clear();
    }

    /// After a load test's thousands of connections have gone, their room goes too.
    pub fn give_back_room(&mut self) {
        use super::room::GiveBackRoom;
        self.waiting.give_back_room();
        self.endpoints.give_back_room();
        self.pair_candidates.give_back_room();
        self.unpaired.give_back_room();
        self.streams.give_back_room();
        self.partner.give_back_room();
        self.dgram_pairs.give_back_room();
        self.unmatched_recvs.give_back_room();
        self.route_cache.give_back_room();
        self.arrows.give_back_room();
        self.dropped.give_back_room();
        self.arrows_by_call.give_back_room();
        self.dropped_by_call.give_back_room();
        self.long.give_back_room();
    }

    /// How many sockets the index knows something of (tests check it stays bounded).
    #[cfg(test)]
    pub(super) fn sockets_known(&self) -> usize {
        self.endpoints.len().max(self.streams.len())
    }

    /// Remembers each socket's addresses as the session shows them now: only the sockets
    /// whose addresses changed since the last time are looked at (thousands of connections
    /// are open under a load test).
    fn refresh_addresses(&mut self, session: &Session) {
        let epoch = session.address_epoch();
        let since = match self.seen_address_epoch {
            Some(seen) if seen == epoch => return,
            Some(seen) => seen,
            None => 0,
        };
        let everything = self.seen_address_epoch.is_none();
        self.seen_address_epoch = Some(epoch);
        for view in session.sockets() {
            if !everything && view.addresses_changed_at <= since {
                continue;
            }
            let known = self.endpoints.get(&view.id);
            let local_changed = view.local.is_some()
                && known.and_then(|ends| ends.local.as_ref()) != view.local.as_ref();
            let peer_changed = view.peer.is_some()
                && known.and_then(|ends| ends.peer.as_ref()) != view.peer.as_ref();
            if !local_changed && !peer_changed && known.is_some() {
                continue;
            }
            // Out of the unpaired index under its old ends, before they change.
            self.leave_unpaired(view.id);
            let endpoints = self.endpoints.entry(view.id).or_default();
            if local_changed {
                endpoints.local = view.local.clone();
            }
            if peer_changed {
                endpoints.peer = view.peer.clone();
            }
            if local_changed || peer_changed {
                self.addresses_changed = true;
                self.pair_candidates.push(view.id);
            }
        }
    }

    /// A stream socket's key in the unpaired index: its (local, peer) ends, when it has both.
    fn unpaired_key(&self, socket: SocketId) -> Option<(SocketAddress, SocketAddress)> {
        let endpoints = self.endpoints.get(&socket)?;
        Some((endpoints.local.clone()?, endpoints.peer.clone()?))
    }

    /// Takes a socket out of the unpaired index (found under its ends as they are now).
    fn leave_unpaired(&mut self, socket: SocketId) {
        if let Some(key) = self.unpaired_key(socket)
            && let Some(sockets) = self.unpaired.get_mut(&key)
        {
            sockets.retain(|other| *other != socket);
            if sockets.is_empty() {
                self.unpaired.remove(&key);
            }
        }
    }

    /// Pairs stream sockets not yet paired: A.local == B.peer and A.peer == B.local. Several
    /// candidates (Unix clients all have the unnamed local address '') pair in id order.
    /// Only sockets whose ends changed are tried; the others wait in the unpaired index.
    fn pair_streams(&mut self, session: &Session) {
        let mut candidates = std::mem::take(&mut self.pair_candidates);
        candidates.sort_unstable();
        candidates.dedup();
        for socket in &candidates {
            self.leave_unpaired(*socket);
            let is_stream = session
                .socket(*socket)
                .is_some_and(|view| view.sock_type == SockType::Stream);
            if !is_stream || self.partner.contains_key(socket) {
                continue;
            }
            if let Some(key) = self.unpaired_key(*socket) {
                let sockets = self.unpaired.entry(key).or_default();
                let at = sockets.partition_point(|other| other < socket);
                sockets.insert(at, *socket);
            }
        }
        for socket in candidates {
            let Some((local, peer)) = self.unpaired_key(socket) else {
                continue;
            };
            let waiting = self
                .unpaired
                .get(&(local.clone(), peer.clone()))
                .is_some_and(|sockets| sockets.contains(&socket));
            if !waiting {
                continue;
            }
            let other = self
                .unpaired
                .get(&(peer, local))
                .and_then(|others| others.iter().find(|other| **other != socket).copied());
            let Some(other) = other else {
                continue;
            };
            self.leave_unpaired(socket);
            self.leave_unpaired(other);
            self.partner.insert(socket, other);
            self.partner.insert(other, socket);
            self.merge_from(socket);
            self.merge_from(other);
        }
    }

    fn take_call(
        &mut self,
        session: &Session,
        record: &CallRecord,
        dirty: &mut IdSet<SocketId>,
        cap: usize,
    ) {
        if let (Some(returned), true) = (
            record.returned_us,
            record.duration_us.unwrap_or(0) >= LONG_CALL_US,
        ) {
            self.long.push(LongCall {
                call: record.call_id,
                socket: record.socket,
                started_us: record.started_us,
                returned_us: returned,
            });
        }
        let Some(outcome) = &record.outcome else {
            return;
        };
        let Some(view) = session.socket(record.socket) else {
            return;
        };
        let is_send = record.call.kind().direction() == Direction::Out;
        let recv_flags = match &record.call {
            Call::Recv { flags, .. } | Call::RecvFrom { flags, .. } => Some(*flags),
            _ => None,
        };
        match view.sock_type {
            SockType::Stream => {
                let side = self.streams.entry(record.socket).or_default();
                if is_send && record.bytes_moved > 0 {
                    let n = record.bytes_moved as u64;
                    push_range(&mut side.sent, &mut side.sent_off, record.call_id, n, cap);
                    dirty.insert(record.socket);
                }
                if let Some(flags) = recv_flags
                    && !flags.peek
                    && outcome.is_ok()
                    && let Some(len) = record.data_len.filter(|len| *len > 0)
                {
                    let n = len as u64;
                    push_range(&mut side.recvd, &mut side.recv_off, record.call_id, n, cap);
                    dirty.insert(record.socket);
                }
            }
            SockType::Datagram => {
                if is_send && outcome.is_ok() {
                    let destination = match &record.call {
                        // A literal destination (a name would need a lookup: not drawn).
                        Call::SendTo { addr, .. } => addr.literal_address(),
                        _ => self
                            .endpoints
                            .get(&record.socket)
                            .and_then(|endpoints| endpoints.peer.clone()),
                    };
                    if let Some(destination) = destination {
                        self.datagram_sent(
                            session,
                            record.socket,
                            record.call_id,
                            &destination,
                            record.bytes_moved as u64,
                            cap,
                        );
                    }
                }
                if let Some(flags) = recv_flags
                    && !flags.peek
                    && outcome.is_ok()
                    && let Some(len) = record.data_len
                {
                    let size = record.truncated_from.unwrap_or(len) as u64;
                    let source = record.from.clone().or_else(|| {
                        self.endpoints
                            .get(&record.socket)
                            .and_then(|endpoints| endpoints.peer.clone())
                    });
                    let sender = source.and_then(|source| {
                        self.route(session, &source)
                            .into_iter()
                            .find(|socket| *socket != record.socket)
                    });
                    if !self.datagram_received(record.socket, sender, record.call_id, size) {
                        self.unmatched_recvs.push_back((
                            record.socket,
                            sender,
                            record.call_id,
                            size,
                        ));
                        if self.unmatched_recvs.len() > 1_000 {
                            self.unmatched_recvs.pop_front();
                        }
                    }
                }
            }
        }
    }

    /// Our datagram sockets whose local address matches `address`.
    fn route(&mut self, session: &Session, address: &SocketAddress) -> Vec<SocketId> {
        if let Some(found) = self.route_cache.get(address) {
            return found.clone();
        }
        let found: Vec<SocketId> = session
            .sockets()
            .filter(|view| view.sock_type == SockType::Datagram)
            .filter(|view| {
                self.endpoints
                    .get(&view.id)
                    .and_then(|endpoints| endpoints.local.as_ref())
                    .is_some_and(|local| addresses_match(address, local))
            })
            .map(|view| view.id)
            .collect();
        if self.route_cache.len() > 10_000 {
            self.route_cache.clear();
        }
        self.route_cache.insert(address.clone(), found.clone());
        found
    }

    fn datagram_sent(
        &mut self,
        session: &Session,
        sender: SocketId,
        call: CallId,
        destination: &SocketAddress,
        size: u64,
        cap: usize,
    ) {
        let receivers: Vec<SocketId> = self
            .route(session, destination)
            .into_iter()
            .filter(|receiver| *receiver != sender)
            .collect();
        if receivers.is_empty() {
            return;
        }
        for receiver in &receivers {
            let pair = self.dgram_pairs.entry((sender, *receiver)).or_default();
            pair.sent.push_back((call, size));
            if pair.sent.len() > cap {
                pair.sent.pop_front();
            }
        }
        // Datagrams that arrived before their send was seen.
        let waiting = std::mem::take(&mut self.unmatched_recvs);
        for (receiver, from, recv_call, size) in waiting {
            let concerned = receivers.contains(&receiver) && from.is_none_or(|from| from == sender);
            if !(concerned && self.datagram_received(receiver, from, recv_call, size)) {
                self.unmatched_recvs
                    .push_back((receiver, from, recv_call, size));
            }
        }
    }

    /// Matches a received datagram with the oldest unmatched one of the same size sent to this
    /// socket (from `sender`, or from any of our sockets when the source is unknown). Datagrams
    /// of that pair sent before it are dropped. False if none matches yet.
    fn datagram_received(
        &mut self,
        receiver: SocketId,
        sender: Option<SocketId>,
        call: CallId,
        size: u64,
    ) -> bool {
        let mut best: Option<(SocketId, usize, CallId)> = None;
        for (&(from, to), pair) in &self.dgram_pairs {
            if to != receiver || sender.is_some_and(|sender| sender != from) {
                continue;
            }
            if let Some(at) = pair.sent.iter().position(|(_, sent)| *sent == size) {
                let sent_call = pair.sent[at].0;
                if best.is_none_or(|(_, _, best_call)| sent_call < best_call) {
                    best = Some((from, at, sent_call));
                }
            }
        }
        let Some((from, at, sent_call)) = best else {
            return false;
        };
        let Some(pair) = self.dgram_pairs.get_mut(&(from, receiver)) else {
            return false;
        };
        let lost: Vec<CallId> = pair.sent.drain(..=at).map(|(call, _)| call).collect();
        for lost_call in lost {
            if lost_call != sent_call {
                self.push_dropped(Dropped {
                    call: lost_call,
                    to: receiver,
                });
            }
        }
        self.push_arrow(Flow {
            from_call: sent_call,
            to_call: call,
            bytes: size,
        });
        true
    }

    /// Matches the sent ranges of `sender` with the received ranges of its partner.
    fn merge_from(&mut self, sender: SocketId) {
        let Some(receiver) = self.partner(sender) else {
            return;
        };
        let Some(mut sent) = self
            .streams
            .get_mut(&sender)
            .map(|side| std::mem::take(&mut side.sent))
        else {
            return;
        };
        let mut found = Vec::new();
        if let Some(side) = self.streams.get_mut(&receiver) {
            let recvd = &mut side.recvd;
            while let (Some(send), Some(recv)) = (sent.front().copied(), recvd.front().copied()) {
                let overlap = send
                    .end
                    .min(recv.end)
                    .saturating_sub(send.start.max(recv.start));
                if overlap > 0 {
                    found.push(Flow {
                        from_call: send.call,
                        to_call: recv.call,
                        bytes: overlap,
                    });
                }
                if send.end <= recv.end {
                    sent.pop_front();
                } else {
                    recvd.pop_front();
                }
            }
        }
        if let Some(side) = self.streams.get_mut(&sender) {
            side.sent = sent;
        }
        for flow in found {
            self.push_arrow(flow);
        }
    }

    fn push_arrow(&mut self, flow: Flow) {
        let index = self.arrows.len();
        self.arrows.push(flow);
        self.arrows_by_call
            .entry(flow.from_call)
            .or_default()
            .push(index);
        self.arrows_by_call
            .entry(flow.to_call)
            .or_default()
            .push(index);
    }

    fn push_dropped(&mut self, dropped: Dropped) {
        let index = self.dropped.len();
        self.dropped.push(dropped);
        self.dropped_by_call
            .entry(dropped.call)
            .or_default()
            .push(index);
    }

    /// Forgets arrows and long calls whose calls the session no longer holds (now and then, so
    /// memory stays bounded by the log's cap).
    fn prune(&mut self, session: &Session) {
        let dropped = session.dropped_log_entries();
        let step = (session.limits().max_log_entries / 4).max(1_000) as u64;
        if dropped < self.pruned_at + step {
            return;
        }
        self.pruned_at = dropped;
        let known = |call: CallId| session.call(call).is_some();
        self.long.retain(|long| known(long.call));
        self.arrows
            .retain(|flow| known(flow.from_call) || known(flow.to_call));
        self.dropped.retain(|dropped| known(dropped.call));
        self.arrows_by_call.clear();
        for (index, flow) in self.arrows.iter().enumerate() {
            self.arrows_by_call
                .entry(flow.from_call)
                .or_default()
                .push(index);
            self.arrows_by_call
                .entry(flow.to_call)
                .or_default()
                .push(index);
        }
        self.dropped_by_call.clear();
        for (index, dropped) in self.dropped.iter().enumerate() {
            self.dropped_by_call
                .entry(dropped.call)
                .or_default()
                .push(index);
        }
    }
}

fn is_stream(session: &Session, socket: SocketId) -> bool {
    session
        .socket(socket)
        .is_some_and(|view| view.sock_type == SockType::Stream)
}

/// Whether a destination (or source) address names a socket bound to `local`: the same
/// address, or the same port where either is a wildcard (`0.0.0.0`, `::`) or both name the
/// same host (`::ffff:127.0.0.1` = `127.0.0.1`).
pub fn addresses_match(address: &SocketAddress, local: &SocketAddress) -> bool {
    if address == local {
        return true;
    }
    match (address.port(), local.port()) {
        (Some(port_a), Some(port_b)) => {
            port_a == port_b
                && port_a != 0
                && (address.is_wildcard() || local.is_wildcard() || address.same_endpoint(local))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::address::at;
    use crate::engine::event::{Returned, SocketInfo, Started, StateChange};
    use crate::engine::{AddrArg, Event, Family, Lifecycle, Mode, Origin, RecvFlags, WokenBy};

    struct Feed {
        session: Session,
        next_call: u64,
        now: u64,
    }

    impl Feed {
        fn new() -> Self {
            Feed {
                session: Session::default(),
                next_call: 1,
                now: 100,
            }
        }

        fn tick(&mut self) -> u64 {
            self.now += 10;
            self.now
        }

        fn socket(&mut self, id: u32, sock_type: SockType, local: &str, peer: Option<&str>) {
            let at_us = self.tick();
            self.session.apply(Event::Opened(SocketInfo {
                socket: SocketId(id),
                family: Family::Ipv4,
                sock_type,
                parent: None,
                at_us,
            }));
            self.session.apply(Event::State(StateChange {
                socket: SocketId(id),
                at_us,
                state: if peer.is_some() {
                    Lifecycle::Connected
                } else {
                    Lifecycle::Bound
                },
                mode: Mode::Blocking,
                local: Some(at(local)),
                peer: peer.map(at),
            }));
        }

        fn start(&mut self, socket: u32, call: Call) -> CallId {
            let call_id = CallId(self.next_call);
            self.next_call += 1;
            let at_us = self.tick();
            self.session.apply(Event::Started(Started {
                socket: SocketId(socket),
                call_id,
                at_us,
                call,
                origin: Origin::User,
            }));
            call_id
        }

        fn finish(&mut self, socket: u32, call_id: CallId, moved: usize, data: Option<&[u8]>) {
            self.finish_from(socket, call_id, moved, data, None);
        }

        fn finish_from(
            &mut self,
            socket: u32,
            call_id: CallId,
            moved: usize,
            data: Option<&[u8]>,
            from: Option<&str>,
        ) {
            let at_us = self.tick();
            self.session.apply(Event::Returned(Returned {
                socket: SocketId(socket),
                call_id,
                at_us,
                duration_us: 5,
                outcome: Outcome::Ok(match data {
                    Some(data) => Value::Bytes(data.len()),
                    None => Value::Int(moved as i64),
                }),
                bytes_moved: moved,
                data: data.map(<[u8]>::to_vec),
                from: from.map(at),
                truncated_from: None,
                woken_by: WokenBy::NoWait,
                context: None,
            }));
        }

        fn send(&mut self, socket: u32, data: &[u8]) -> CallId {
            let call = self.start(
                socket,
                Call::Send {
                    data: data.to_vec(),
                },
            );
            self.finish(socket, call, data.len(), None);
            call
        }

        fn recv_with(&mut self, socket: u32, data: &[u8], flags: RecvFlags) -> CallId {
            let call = self.start(
                socket,
                Call::Recv {
                    bufsize: 1024,
                    flags,
                },
            );
            self.finish(socket, call, data.len(), Some(data));
            call
        }

        fn recv(&mut self, socket: u32, data: &[u8]) -> CallId {
            self.recv_with(socket, data, RecvFlags::default())
        }

        fn sendto(&mut self, socket: u32, data: &[u8], port: u32) -> CallId {
            let call = self.start(
                socket,
                Call::SendTo {
                    data: data.to_vec(),
                    addr: AddrArg::inet("127.0.0.1", port),
                },
            );
            self.finish(socket, call, data.len(), None);
            call
        }

        fn recvfrom(&mut self, socket: u32, data: &[u8], from: &str) -> CallId {
            let call = self.start(
                socket,
                Call::RecvFrom {
                    bufsize: 1024,
                    flags: RecvFlags::default(),
                },
            );
            self.finish_from(socket, call, data.len(), Some(data), Some(from));
            call
        }
    }

    const CLIENT: &str = "127.0.0.1:40000";
    const SERVER: &str = "127.0.0.1:5000";

    /// Socket 1 is a client connected to socket 2 (the server's accepted socket).
    fn tcp_pair() -> Feed {
        let mut feed = Feed::new();
        feed.socket(1, SockType::Stream, CLIENT, Some(SERVER));
        feed.socket(2, SockType::Stream, SERVER, Some(CLIENT));
        feed
    }

    fn flow(from: CallId, to: CallId, bytes: u64) -> Flow {
        Flow {
            from_call: from,
            to_call: to,
            bytes,
        }
    }

    #[test]
    fn one_send_split_over_two_recvs_gives_two_arrows() {
        let mut feed = tcp_pair();
        let send = feed.send(1, b"hello world");
        let first = feed.recv(2, b"hello");
        let second = feed.recv(2, b" world");
        let found = flows(&feed.session);
        assert_eq!(
            found.arrows,
            vec![flow(send, first, 5), flow(send, second, 6)]
        );
        assert!(found.dropped.is_empty());
    }

    #[test]
    fn three_sends_merged_into_one_recv_give_three_arrows() {
        let mut feed = tcp_pair();
        let a = feed.send(1, b"one");
        let b = feed.send(1, b"two");
        let c = feed.send(1, b"three");
        let recv = feed.recv(2, b"onetwothree");
        let found = flows(&feed.session);
        assert_eq!(
            found.arrows,
            vec![flow(a, recv, 3), flow(b, recv, 3), flow(c, recv, 5)]
        );
    }

    #[test]
    fn both_directions_and_incremental_updates() {
        let mut feed = tcp_pair();
        let mut index = FlowIndex::new();
        let ping = feed.send(1, b"ping");
        index.update(&feed.session);
        assert!(index.arrows().is_empty(), "nothing received yet");
        let got_ping = feed.recv(2, b"ping");
        index.update(&feed.session);
        let pong = feed.send(2, b"pong");
        let got_pong = feed.recv(1, b"pong");
        index.update(&feed.session);
        assert_eq!(
            index.arrows(),
            &[flow(ping, got_ping, 4), flow(pong, got_pong, 4)]
        );
        assert_eq!(index.arrows_of(ping).count(), 1);
        assert_eq!(index.partner(SocketId(1)), Some(SocketId(2)));
        // The same as from scratch (which lists them in call order).
        let mut incremental = index.arrows().to_vec();
        incremental.sort_by_key(|flow| (flow.from_call, flow.to_call));
        assert_eq!(flows(&feed.session).arrows, incremental);
    }

    #[test]
    fn a_recv_pending_at_one_update_is_matched_when_it_returns() {
        let mut feed = tcp_pair();
        let mut index = FlowIndex::new();
        let recv = feed.start(
            2,
            Call::Recv {
                bufsize: 1024,
                flags: RecvFlags::default(),
            },
        );
        index.update(&feed.session);
        let send = feed.send(1, b"hi");
        index.update(&feed.session);
        assert!(index.arrows().is_empty());
        feed.finish(2, recv, 2, Some(b"hi"));
        index.update(&feed.session);
        assert_eq!(index.arrows(), &[flow(send, recv, 2)]);
    }

    #[test]
    fn peek_is_ignored_for_ranges() {
        let mut feed = tcp_pair();
        let send = feed.send(1, b"abcdef");
        let peek = feed.recv_with(
            2,
            b"abcdef",
            RecvFlags {
                peek: true,
                ..RecvFlags::default()
            },
        );
        let first = feed.recv(2, b"abc");
        let second = feed.recv(2, b"def");
        let found = flows(&feed.session);
        assert_eq!(
            found.arrows,
            vec![flow(send, first, 3), flow(send, second, 3)]
        );
        assert!(found.arrows.iter().all(|arrow| arrow.to_call != peek));
    }

    #[test]
    fn unrelated_sockets_produce_nothing() {
        let mut feed = Feed::new();
        feed.socket(1, SockType::Stream, CLIENT, Some("10.0.0.1:80"));
        feed.socket(2, SockType::Stream, SERVER, Some("127.0.0.1:41000"));
        feed.send(1, b"GET / HTTP/1.0\r\n\r\n");
        feed.recv(2, b"GET / HTTP/1.0\r\n\r\n");
        feed.send(2, b"x");
        feed.recv(1, b"x");
        assert_eq!(flows(&feed.session), Flows::default());
    }

    #[test]
    fn auto_summaries_advance_the_offsets() {
        let mut feed = tcp_pair();
        let at_us = feed.tick();
        feed.session
            .apply(Event::Auto(crate::engine::event::AutoSummary {
                socket: SocketId(1),
                from_us: at_us,
                to_us: at_us,
                send_calls: 10,
                send_bytes: 100,
                ..Default::default()
            }));
        let send = feed.send(1, b"tail");
        let recv = feed.recv(2, &[b'x'; 104]);
        assert_eq!(flows(&feed.session).arrows, vec![flow(send, recv, 4)]);
    }

    #[test]
    fn accepted_peer_address_pairs_after_the_client_forgets_its_addresses() {
        let mut feed = Feed::new();
        feed.socket(1, SockType::Stream, CLIENT, Some(SERVER));
        feed.socket(2, SockType::Stream, SERVER, Some(CLIENT));
        let mut index = FlowIndex::new();
        index.update(&feed.session);
        let send = feed.send(1, b"bye");
        // The client closes: the session no longer knows its addresses.
        let at_us = feed.tick();
        feed.session.apply(Event::State(StateChange {
            socket: SocketId(1),
            at_us,
            state: Lifecycle::Closed,
            mode: Mode::Blocking,
            local: None,
            peer: None,
        }));
        let recv = feed.recv(2, b"bye");
        index.update(&feed.session);
        assert_eq!(index.arrows(), &[flow(send, recv, 3)]);
    }

    const UDP_A: &str = "127.0.0.1:6001";
    const UDP_B: &str = "127.0.0.1:6002";

    fn udp_pair() -> Feed {
        let mut feed = Feed::new();
        feed.socket(1, SockType::Datagram, UDP_A, None);
        feed.socket(2, SockType::Datagram, UDP_B, None);
        feed
    }

    #[test]
    fn udp_keeps_datagram_boundaries() {
        let mut feed = udp_pair();
        let a = feed.sendto(1, b"one", 6002);
        let b = feed.sendto(1, b"two", 6002);
        let c = feed.sendto(1, b"three", 6002);
        let ra = feed.recvfrom(2, b"one", UDP_A);
        let rb = feed.recvfrom(2, b"two", UDP_A);
        let rc = feed.recvfrom(2, b"three", UDP_A);
        let found = flows(&feed.session);
        assert_eq!(
            found.arrows,
            vec![flow(a, ra, 3), flow(b, rb, 3), flow(c, rc, 5)]
        );
        assert!(found.dropped.is_empty());
    }

    #[test]
    fn udp_datagram_never_received_before_a_later_one_is_dropped() {
        let mut feed = udp_pair();
        let lost = feed.sendto(1, b"lost!", 6002);
        let kept = feed.sendto(1, b"kept", 6002);
        let pending = feed.sendto(1, b"in flight", 6002);
        let got = feed.recvfrom(2, b"kept", UDP_A);
        let found = flows(&feed.session);
        assert_eq!(found.arrows, vec![flow(kept, got, 4)]);
        assert_eq!(
            found.dropped,
            vec![Dropped {
                call: lost,
                to: SocketId(2)
            }]
        );
        assert!(found.dropped.iter().all(|dropped| dropped.call != pending));
    }

    #[test]
    fn udp_recv_seen_before_its_send_is_matched_later() {
        let mut feed = udp_pair();
        let mut index = FlowIndex::new();
        let got = feed.recvfrom(2, b"early", UDP_A);
        index.update(&feed.session);
        let sent = feed.sendto(1, b"early", 6002);
        index.update(&feed.session);
        assert_eq!(index.arrows(), &[flow(sent, got, 5)]);
    }

    #[test]
    fn udp_to_a_wildcard_bound_socket_and_from_an_unknown_sender() {
        let mut feed = Feed::new();
        feed.socket(1, SockType::Datagram, "0.0.0.0:7001", None);
        feed.socket(2, SockType::Datagram, "0.0.0.0:7002", None);
        feed.socket(3, SockType::Datagram, "127.0.0.1:7003", None);
        let sent = feed.sendto(1, b"x", 7002);
        let got = feed.recvfrom(2, b"x", "127.0.0.1:7001");
        // From a program that is not ours: nothing.
        feed.recvfrom(3, b"y", "127.0.0.1:9999");
        let found = flows(&feed.session);
        assert_eq!(found.arrows, vec![flow(sent, got, 1)]);
    }

    #[test]
    fn addresses_match_rules() {
        let (a, b) = (at(UDP_A), at(UDP_B));
        assert!(addresses_match(&a, &a));
        let by_name = AddrArg::inet("localhost", 6001).literal_address().unwrap();
        assert!(addresses_match(&by_name, &a));
        assert!(addresses_match(&at("127.0.0.1:6001"), &at("0.0.0.0:6001")));
        assert!(addresses_match(&at("[::ffff:127.0.0.1]:6001"), &a));
        assert!(!addresses_match(&a, &b));
        assert!(!addresses_match(&at("10.0.0.1:6001"), &a));
        assert!(!addresses_match(&at("127.0.0.1:0"), &at("0.0.0.0:0")));
        assert!(addresses_match(&at("/tmp/x.sock"), &at("/tmp/x.sock")));
    }

    #[test]
    fn a_replaced_session_is_indexed_from_scratch() {
        let mut feed = tcp_pair();
        let send = feed.send(1, b"hi");
        let recv = feed.recv(2, b"hi");
        let mut index = FlowIndex::new();
        index.update(&feed.session);
        assert_eq!(index.arrows().len(), 1);
        let other = udp_pair();
        index.update(&other.session);
        assert!(index.arrows().is_empty());
        index.update(&feed.session);
        assert_eq!(index.arrows(), &[flow(send, recv, 2)]);
    }
}
