//! The wire as the session keeps it: the capture's state, the segments (each matched to the
//! lanes of the sockets at its two ends) and the flood summaries, in time order, bounded.

use super::SocketView;
use crate::engine::{Segment, SocketAddress, SocketId, WireProblem, WireReport, WireSummary};
use std::collections::{BTreeMap, VecDeque};

/// Segments and summaries kept; beyond it the oldest go (and are counted).
pub const MAX_WIRE_ENTRIES: usize = 20_000;
/// Segments whose lanes are not known yet (the socket reported its address after the segment
/// arrived) are looked at again this long.
const RESOLVE_AGAIN_US: u64 = 2_000_000;

/// Whether the wire is captured.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum WireState {
    #[default]
    Off,
    On {
        since_us: u64,
        /// In a private network namespace (the script's sockets reach only each other).
        private_network: bool,
    },
    /// Capture could not start or stopped: why (shown where the wire would be).
    Unavailable(WireProblem),
}

/// One segment with the lanes of its two ends (None: not one of our sockets, e.g. a Python
/// server the workbench talks to).
#[derive(Clone, Debug, PartialEq)]
pub struct WireSegment {
    pub segment: Segment,
    pub from_lane: Option<SocketId>,
    pub to_lane: Option<SocketId>,
}

/// One direction of a flood's flow, with its lanes.
#[derive(Clone, Debug, PartialEq)]
pub struct SummaryFlow {
    pub from_lane: Option<SocketId>,
    pub to_lane: Option<SocketId>,
    pub segments: u64,
    pub payload_bytes: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WireBand {
    pub summary: WireSummary,
    pub flows: Vec<SummaryFlow>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum WireEntry {
    Segment(WireSegment),
    /// Segments of a flood, counted (drawn as a band, listed as one row).
    Summary(WireBand),
}

impl WireEntry {
    pub fn at_us(&self) -> u64 {
        match self {
            WireEntry::Segment(segment) => segment.segment.at_us,
            WireEntry::Summary(band) => band.summary.from_us,
        }
    }
    pub fn end_us(&self) -> u64 {
        match self {
            WireEntry::Segment(segment) => segment.segment.at_us,
            WireEntry::Summary(band) => band.summary.to_us,
        }
    }
}

#[derive(Debug, Default)]
pub struct WireLog {
    pub state: WireState,
    entries: VecDeque<WireEntry>,
    /// Entries ever added (the index of the next one): a reader keeps its place with it.
    added: u64,
    dropped: u64,
    /// Segments that were only counted (in summaries).
    summarised_segments: u64,
    /// The newest mark the capture has reached ([`WireReport::Mark`]).
    pub mark_reached: u64,
    /// Frames the kernel dropped because the capture's queue was full, and when last.
    lost_frames: u64,
    last_lost_us: Option<u64>,
}

impl WireLog {
    pub fn new() -> WireLog {
        WireLog::default()
    }

    /// Gives back the room the entries' queue grew to.
    pub fn give_back_room(&mut self) {
        super::room::GiveBackRoom::give_back_room(&mut self.entries);
    }

    pub fn is_on(&self) -> bool {
        matches!(self.state, WireState::On { .. })
    }

    /// Entries in time order, oldest first.
    pub fn entries(&self) -> impl DoubleEndedIterator<Item = &WireEntry> + ExactSizeIterator {
        self.entries.iter()
    }

    /// Just the segments, in time order.
    pub fn segments(&self) -> impl DoubleEndedIterator<Item = &WireSegment> {
        self.entries.iter().filter_map(|entry| match entry {
            WireEntry::Segment(segment) => Some(segment),
            WireEntry::Summary(_) => None,
        })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The index the next entry will have; entries keep their index for life.
    pub fn end_index(&self) -> u64 {
        self.added
    }

    /// The entry with lasting index `index`, if still kept.
    pub fn get(&self, index: u64) -> Option<&WireEntry> {
        let first = self.added - self.entries.len() as u64;
        let offset = usize::try_from(index.checked_sub(first)?).ok()?;
        self.entries.get(offset)
    }

    /// Entries dropped because of [`MAX_WIRE_ENTRIES`].
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Frames the capture lost (its kernel queue was full): counts may be short by as many.
    pub fn lost_frames(&self) -> u64 {
        self.lost_frames
    }

    /// When the capture last lost frames.
    pub fn last_lost_us(&self) -> Option<u64> {
        self.last_lost_us
    }

    /// Segments counted in flood summaries instead of kept one by one.
    pub fn summarised_segments(&self) -> u64 {
        self.summarised_segments
    }

    /// The position of the first entry that ends at or after `at_us` (entries are in time
    /// order, a summary by its start).
    pub fn first_at_or_after(&self, at_us: u64) -> usize {
        self.entries.partition_point(|entry| entry.end_us() < at_us)
    }

    /// Entries overlapping `[from_us, to_us]`.
    pub fn between(&self, from_us: u64, to_us: u64) -> impl Iterator<Item = &WireEntry> {
        let start = self.first_at_or_after(from_us);
        self.entries
            .range(start..)
            .take_while(move |entry| entry.at_us() <= to_us)
    }

    pub(crate) fn apply(&mut self, report: WireReport, sockets: &BTreeMap<SocketId, SocketView>) {
        match report {
            WireReport::Started {
                at_us,
                private_network,
            } => {
                self.state = WireState::On {
                    since_us: at_us,
                    private_network,
                }
            }
            WireReport::Unavailable { problem, .. } => self.state = WireState::Unavailable(problem),
            WireReport::Stopped { .. } => self.state = WireState::Off,
            WireReport::Mark { id, .. } => self.mark_reached = self.mark_reached.max(id),
            WireReport::Lost { at_us, frames } => {
                self.lost_frames += frames;
                self.last_lost_us = Some(at_us);
            }
            WireReport::Segments(segments) => {
                for segment in segments {
                    let (from_lane, to_lane) =
                        lanes_of(sockets, &segment.from, &segment.to, segment.at_us);
                    self.push(WireEntry::Segment(WireSegment {
                        segment,
                        from_lane,
                        to_lane,
                    }));
                }
            }
            WireReport::Summary(summary) => {
                self.summarised_segments += summary.segments;
                let flows = summary
                    .flows
                    .iter()
                    .map(|flow| {
                        let (from_lane, to_lane) =
                            lanes_of(sockets, &flow.from, &flow.to, summary.from_us);
                        SummaryFlow {
                            from_lane,
                            to_lane,
                            segments: flow.segments,
                            payload_bytes: flow.payload_bytes,
                        }
                    })
                    .collect();
                self.push(WireEntry::Summary(WireBand { summary, flows }));
            }
        }
    }

    /// Keeps time order (a segment held back until its socket was known may come a little
    /// late) and the cap.
    fn push(&mut self, entry: WireEntry) {
        let at = entry.at_us();
        let mut position = self.entries.len();
        while position > 0 && self.entries[position - 1].at_us() > at {
            position -= 1;
        }
        self.entries.insert(position, entry);
        self.added += 1;
        while self.entries.len() > MAX_WIRE_ENTRIES {
            self.entries.pop_front();
            self.dropped += 1;
        }
    }

    /// Segments of the last moments whose ends were not matched to lanes: the sockets may have
    /// reported their addresses since.
    pub(crate) fn resolve_again(&mut self, sockets: &BTreeMap<SocketId, SocketView>, now_us: u64) {
        for entry in self.entries.iter_mut().rev() {
            let WireEntry::Segment(segment) = entry else {
                continue;
            };
            if segment.segment.at_us + RESOLVE_AGAIN_US < now_us {
                break;
            }
            if segment.from_lane.is_none() || segment.to_lane.is_none() {
                let (from_lane, to_lane) = lanes_of(
                    sockets,
                    &segment.segment.from,
                    &segment.segment.to,
                    segment.segment.at_us,
                );
                segment.from_lane = segment.from_lane.or(from_lane);
                segment.to_lane = segment.to_lane.or(to_lane);
            }
        }
    }
}

/// The lanes of a segment's two ends.
fn lanes_of(
    sockets: &BTreeMap<SocketId, SocketView>,
    from: &SocketAddress,
    to: &SocketAddress,
    at_us: u64,
) -> (Option<SocketId>, Option<SocketId>) {
    (
        lane_of(sockets, from, to, at_us),
        lane_of(sockets, to, from, at_us),
    )
}

/// The socket at `local` talking to `remote` at `at_us`: the connection with exactly these
/// two ends (a client; an accepted connection once accept() has returned it), else the socket
/// bound there without a peer (a listener, whose queue holds a connection not yet accepted,
/// so the handshake goes to it; an unconnected UDP socket).
pub fn lane_of(
    sockets: &BTreeMap<SocketId, SocketView>,
    local: &SocketAddress,
    remote: &SocketAddress,
    at_us: u64,
) -> Option<SocketId> {
    let binds_here = |view: &SocketView| {
        view.local.as_ref().is_some_and(|bound| {
            bound.same_endpoint(local)
                || (bound.is_wildcard() && bound.port() == local.port() && bound.port().is_some())
        })
    };
    let mut connected = sockets.values().filter(|view| {
        (view.parent.is_none() || view.opened_us <= at_us)
            && binds_here(view)
            && view
                .peer
                .as_ref()
                .or(view.last_peer.as_ref())
                .is_some_and(|peer| peer.same_endpoint(remote))
    });
    // The newest such socket: ports are reused by later connections.
    if let Some(view) = connected.next_back() {
        return Some(view.id);
    }
    sockets
        .values()
        .rfind(|view| binds_here(view) && view.peer.is_none() && view.last_peer.is_none())
        .map(|view| view.id)
}
