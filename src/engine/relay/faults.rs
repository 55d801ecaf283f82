//! The bad network a relay puts between two programs, one direction at a time (toxiproxy's
//! set is the reference): what each fault is, and the [`Shaper`] that decides when each byte
//! read from one side may be written to the other. Pure: no sockets, no clock (times are
//! given), a seeded random source, so every schedule can be tested and replayed.

use crate::messages::template::SplitMix64;
use std::collections::VecDeque;

/// Bytes a direction holds (read, not yet written) before the relay stops reading from its
/// source: back-pressure, so a side that does not read makes the other side's sends block
/// instead of growing the relay's memory.
pub const QUEUE_LIMIT_BYTES: usize = 256 * 1024;

/// The slicer: each read is cut into pieces of about `average_bytes` (± `variation_bytes`),
/// written `delay_us` apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Slicer {
    pub average_bytes: usize,
    pub variation_bytes: usize,
    pub delay_us: u64,
}

/// Reset the connection (RST both ways): at once, or once `after_ms` have passed since the
/// fault was set, or once `after_bytes` have gone this way (whichever comes first).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Reset {
    pub after_ms: Option<u64>,
    pub after_bytes: Option<u64>,
}

/// What happens to datagrams going one way (UDP only).
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DatagramFaults {
    /// Probability (0-1) that a datagram is dropped.
    pub loss: f64,
    /// Probability that a datagram is sent twice.
    pub duplicate: f64,
    /// Probability that a datagram is held back and sent after the next one.
    pub reorder: f64,
}

/// The faults on one direction of a relay. The default is a perfect network.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Faults {
    pub latency_ms: u64,
    /// Each piece waits latency ± up to this much more (never reordering a stream).
    pub jitter_ms: u64,
    /// At most this many bytes per second; None: as fast as the sockets go.
    pub bandwidth_bytes_per_s: Option<u64>,
    pub slicer: Option<Slicer>,
    /// When the source closes, its FIN is passed on only this much later.
    pub slow_close_ms: Option<u64>,
    /// Nothing more is delivered, and no close: the destination sees silence.
    pub hang: bool,
    pub reset: Option<Reset>,
    /// The connection is closed (FIN both ways) once this many bytes have gone this way.
    pub close_after_bytes: Option<u64>,
    /// The relay stops reading from the source: its buffers fill and the sender blocks.
    pub stop_reading: bool,
    pub datagrams: DatagramFaults,
    /// The chance (0-1) that these faults apply to a connection at all, drawn per connection.
    pub probability: f64,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            latency_ms: 0,
            jitter_ms: 0,
            bandwidth_bytes_per_s: None,
            slicer: None,
            slow_close_ms: None,
            hang: false,
            reset: None,
            close_after_bytes: None,
            stop_reading: false,
            datagrams: DatagramFaults::default(),
            probability: 1.0,
        }
    }
}

impl Faults {
    /// A perfect network: bytes pass as they come.
    pub fn is_none(&self) -> bool {
        let perfect = Faults {
            probability: self.probability,
            ..Faults::default()
        };
        *self == perfect || self.probability <= 0.0
    }
}

/// What the connection must do now because of a fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Reset both sides (RST).
    Reset,
    /// Close both sides (FIN), as after `close_after_bytes`.
    Close,
}

/// A run of bytes and when it may be written.
#[derive(Debug)]
struct Piece {
    data: Vec<u8>,
    /// Bytes of `data` already written.
    written: usize,
    due_us: u64,
    /// When its first byte was read (for the hold time the timeline shows).
    read_us: u64,
}

/// One direction of one relayed stream: bytes go in as they are read from the source and
/// come out when the faults let them.
#[derive(Debug)]
pub struct Shaper {
    faults: Faults,
    /// Whether the faults apply to this connection (drawn once, with `probability`).
    applies: bool,
    random: SplitMix64,
    queue: VecDeque<Piece>,
    queued_bytes: usize,
    /// The latest due time given (a stream's pieces never overtake each other).
    last_due_us: u64,
    /// Bandwidth: when the link is next free.
    link_free_us: u64,
    delivered_bytes: u64,
    faults_set_us: u64,
    /// The source closed at this time; the close is passed on when `eof_due_us` comes.
    source_closed_us: Option<u64>,
}

/// A piece ready to be written now.
pub struct Due<'a> {
    pub bytes: &'a [u8],
    pub read_us: u64,
}

impl Shaper {
    /// The shaper of one direction of connection number `connection` of a relay whose
    /// faults use `seed`.
    pub fn new(faults: Faults, seed: u64, connection: u64, now_us: u64) -> Shaper {
        let mut random = SplitMix64::new(seed ^ connection.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let applies = unit(random.next_u64()) < faults.probability;
        Shaper {
            faults,
            applies,
            random,
            queue: VecDeque::new(),
            queued_bytes: 0,
            last_due_us: 0,
            link_free_us: 0,
            delivered_bytes: 0,
            faults_set_us: now_us,
            source_closed_us: None,
        }
    }

    /// The faults in effect for this connection (none if its draw said they do not apply).
    fn active(&self) -> Option<&Faults> {
        self.applies.then_some(&self.faults)
    }

    /// Switches faults while bytes flow: queued bytes no longer delayed go at once (a
    /// latency taken off frees what it held); new faults apply to what is read from now on.
    pub fn set_faults(&mut self, faults: Faults, now_us: u64) {
        let released = self.applies
            && (!faults.hang && self.faults.hang
                || faults.latency_ms < self.faults.latency_ms
                || faults.slicer.is_none() && self.faults.slicer.is_some()
                || faults.bandwidth_bytes_per_s.is_none()
                    && self.faults.bandwidth_bytes_per_s.is_some());
        let draw_again = (faults.probability - self.faults.probability).abs() > f64::EPSILON;
        self.faults = faults;
        if draw_again {
            self.applies = unit(self.random.next_u64()) < self.faults.probability;
        }
        self.faults_set_us = now_us;
        if released {
            for piece in &mut self.queue {
                piece.due_us = piece.due_us.min(now_us);
            }
            self.last_due_us = self.last_due_us.min(now_us);
            self.link_free_us = self.link_free_us.min(now_us);
        }
    }

    /// Whether the relay should read from the source now.
    pub fn wants_read(&self) -> bool {
        let stopped = self.active().is_some_and(|faults| faults.stop_reading);
        !stopped && self.queued_bytes < QUEUE_LIMIT_BYTES && self.source_closed_us.is_none()
    }

    pub fn queued_bytes(&self) -> usize {
        self.queued_bytes
    }

    pub fn delivered_bytes(&self) -> u64 {
        self.delivered_bytes
    }

    /// Bytes read from the source at `now_us`.
    pub fn push(&mut self, bytes: &[u8], now_us: u64) {
        if bytes.is_empty() {
            return;
        }
        let Some(faults) = self.active().cloned() else {
            self.enqueue(bytes.to_vec(), now_us, now_us);
            return;
        };
        let pieces: Vec<&[u8]> = match faults.slicer {
            Some(slicer) => self.slice(bytes, slicer),
            None => vec![bytes],
        };
        let mut after_us = now_us;
        for (index, piece) in pieces.into_iter().enumerate() {
            let jitter_us = if faults.jitter_ms > 0 {
                self.random.next_u64() % (faults.jitter_ms * 1_000 + 1)
            } else {
                0
            };
            if index > 0 {
                after_us += faults.slicer.map_or(0, |slicer| slicer.delay_us);
            }
            let mut due_us = after_us + faults.latency_ms * 1_000 + jitter_us;
            if let Some(rate) = faults.bandwidth_bytes_per_s.filter(|rate| *rate > 0) {
                let start_us = due_us.max(self.link_free_us);
                self.link_free_us = start_us + piece.len() as u64 * 1_000_000 / rate;
                due_us = self.link_free_us;
            }
            self.enqueue(piece.to_vec(), due_us, now_us);
        }
    }

    fn slice<'b>(&mut self, bytes: &'b [u8], slicer: Slicer) -> Vec<&'b [u8]> {
        let mut pieces = Vec::new();
        let mut rest = bytes;
        while !rest.is_empty() {
            let spread = slicer
                .variation_bytes
                .min(slicer.average_bytes.saturating_sub(1));
            let offset = if spread > 0 {
                (self.random.next_u64() % (2 * spread as u64 + 1)) as usize
            } else {
                spread
            };
            let size = (slicer.average_bytes + offset - spread).clamp(1, rest.len());
            let (piece, after) = rest.split_at(size);
            pieces.push(piece);
            rest = after;
        }
        pieces
    }

    fn enqueue(&mut self, data: Vec<u8>, due_us: u64, read_us: u64) {
        // A stream is never reordered: a piece is never due before the one ahead of it.
        let due_us = due_us.max(self.last_due_us);
        self.last_due_us = due_us;
        self.queued_bytes += data.len();
        self.queue.push_back(Piece {
            data,
            written: 0,
            due_us,
            read_us,
        });
    }

    /// When something next becomes writable (None: nothing queued, or the direction hangs).
    pub fn next_due_us(&self) -> Option<u64> {
        if self.active().is_some_and(|faults| faults.hang) {
            return None;
        }
        self.queue.front().map(|piece| piece.due_us)
    }

    /// The bytes that may be written now, if any.
    pub fn due(&self, now_us: u64) -> Option<Due<'_>> {
        let piece = self.queue.front()?;
        (self.next_due_us()? <= now_us).then(|| Due {
            bytes: &piece.data[piece.written..],
            read_us: piece.read_us,
        })
    }

    /// `count` bytes of the front piece were written.
    pub fn written(&mut self, count: usize) {
        let Some(piece) = self.queue.front_mut() else {
            return;
        };
        let count = count.min(piece.data.len() - piece.written);
        piece.written += count;
        self.queued_bytes -= count;
        self.delivered_bytes += count as u64;
        if piece.written == piece.data.len() {
            self.queue.pop_front();
        }
    }

    /// How many more bytes may be delivered before `close_after_bytes` or a reset after
    /// bytes stops this direction (the writer cuts a piece there).
    pub fn bytes_allowed(&self) -> Option<u64> {
        let faults = self.active()?;
        let limits = [
            faults.close_after_bytes,
            faults.reset.and_then(|reset| reset.after_bytes),
        ];
        limits
            .into_iter()
            .flatten()
            .map(|limit| limit.saturating_sub(self.delivered_bytes))
            .min()
    }

    /// A fault that ends the connection now, if one is due.
    pub fn verdict(&self, now_us: u64) -> Option<Verdict> {
        let faults = self.active()?;
        if let Some(reset) = faults.reset {
            let by_time = reset
                .after_ms
                .is_some_and(|ms| now_us >= self.faults_set_us + ms * 1_000);
            let by_bytes = reset
                .after_bytes
                .is_some_and(|limit| self.delivered_bytes >= limit);
            let at_once = reset.after_ms.is_none() && reset.after_bytes.is_none();
            if at_once || by_time || by_bytes {
                return Some(Verdict::Reset);
            }
        }
        if faults
            .close_after_bytes
            .is_some_and(|limit| self.delivered_bytes >= limit)
        {
            return Some(Verdict::Close);
        }
        None
    }

    /// When a reset after a time will fall due (the connection wakes for it).
    pub fn verdict_due_us(&self) -> Option<u64> {
        let faults = self.active()?;
        let reset = faults.reset?;
        reset.after_ms.map(|ms| self.faults_set_us + ms * 1_000)
    }

    /// The source closed (read returned 0) at `now_us`.
    pub fn source_closed(&mut self, now_us: u64) {
        self.source_closed_us.get_or_insert(now_us);
    }

    /// When the source's close should be passed on: once every byte ahead of it is written,
    /// and a slow close's wait is over. None while the source is open or the direction hangs.
    pub fn close_due_us(&self) -> Option<u64> {
        let closed_us = self.source_closed_us?;
        if !self.queue.is_empty() || self.active().is_some_and(|faults| faults.hang) {
            return None;
        }
        let slow_ms = self
            .active()
            .and_then(|faults| faults.slow_close_ms)
            .unwrap_or(0);
        Some((closed_us + slow_ms * 1_000).max(self.last_due_us))
    }
}

/// A u64 as a number in [0, 1).
fn unit(value: u64) -> f64 {
    (value >> 11) as f64 / (1u64 << 53) as f64
}

/// Decides, datagram by datagram, what one direction of a UDP relay does with each.
#[derive(Debug)]
pub struct DatagramShaper {
    random: SplitMix64,
    held_back: Option<Vec<u8>>,
}

impl DatagramShaper {
    pub fn new(seed: u64) -> DatagramShaper {
        DatagramShaper {
            random: SplitMix64::new(seed),
            held_back: None,
        }
    }

    /// The datagrams to send, in order, for one that arrived.
    pub fn pass(&mut self, datagram: Vec<u8>, faults: &DatagramFaults) -> Vec<Vec<u8>> {
        if unit(self.random.next_u64()) < faults.loss {
            return Vec::new();
        }
        let duplicate = unit(self.random.next_u64()) < faults.duplicate;
        let reorder = unit(self.random.next_u64()) < faults.reorder;
        let mut out = Vec::new();
        if reorder && self.held_back.is_none() {
            // Held back: goes out after the next datagram.
            self.held_back = Some(datagram.clone());
            if duplicate {
                out.push(datagram);
            }
            return out;
        }
        if duplicate {
            out.push(datagram.clone());
        }
        out.push(datagram);
        out.extend(self.held_back.take());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(shaper: &mut Shaper, now_us: u64) -> Vec<(Vec<u8>, u64)> {
        let mut out = Vec::new();
        while let Some(due_us) = shaper.next_due_us() {
            let at = due_us.max(now_us);
            let Some(due) = shaper.due(at) else { break };
            let bytes = due.bytes.to_vec();
            let count = bytes.len();
            out.push((bytes, at));
            shaper.written(count);
        }
        out
    }

    #[test]
    fn no_faults_pass_bytes_at_once() {
        let mut shaper = Shaper::new(Faults::default(), 1, 0, 0);
        shaper.push(b"hello", 100);
        let due = shaper.due(100).expect("due at once");
        assert_eq!(due.bytes, b"hello");
        shaper.written(5);
        assert!(shaper.due(100).is_none());
        assert_eq!(shaper.delivered_bytes(), 5);
    }

    #[test]
    fn latency_and_jitter_delay_but_never_reorder() {
        let faults = Faults {
            latency_ms: 200,
            jitter_ms: 50,
            ..Faults::default()
        };
        let mut shaper = Shaper::new(faults, 7, 0, 0);
        for n in 0..20u64 {
            shaper.push(&[n as u8], n * 1_000);
        }
        assert!(shaper.due(199_999).is_none(), "nothing before the latency");
        let out = drain(&mut shaper, 0);
        assert_eq!(out.len(), 20);
        let bytes: Vec<u8> = out.iter().map(|(bytes, _)| bytes[0]).collect();
        assert_eq!(bytes, (0..20).collect::<Vec<u8>>(), "in order");
        for (n, (_, at)) in out.iter().enumerate() {
            let read = n as u64 * 1_000;
            assert!(*at >= read + 200_000, "piece {n} at {at}");
        }
        assert!(out.windows(2).all(|pair| pair[0].1 <= pair[1].1));
    }

    #[test]
    fn the_slicer_cuts_pieces_no_larger_than_average_plus_variation() {
        let slicer = Slicer {
            average_bytes: 10,
            variation_bytes: 4,
            delay_us: 1_000,
        };
        let faults = Faults {
            slicer: Some(slicer),
            ..Faults::default()
        };
        let mut shaper = Shaper::new(faults, 3, 0, 0);
        let message: Vec<u8> = (0..=255).collect();
        shaper.push(&message, 0);
        let out = drain(&mut shaper, 0);
        assert!(out.len() >= 256 / 14);
        assert!(out.iter().all(|(bytes, _)| (6..=14).contains(&bytes.len())
            || bytes.len() < 6 && bytes.last() == Some(&255)));
        let joined: Vec<u8> = out.iter().flat_map(|(bytes, _)| bytes.clone()).collect();
        assert_eq!(joined, message, "every byte, in order");
        assert!(
            out.windows(2).all(|pair| pair[1].1 >= pair[0].1 + 1_000),
            "pieces 1 ms apart"
        );
    }

    #[test]
    fn bandwidth_spreads_bytes_over_time() {
        let faults = Faults {
            bandwidth_bytes_per_s: Some(10_000),
            ..Faults::default()
        };
        let mut shaper = Shaper::new(faults, 1, 0, 0);
        shaper.push(&[0; 5_000], 0);
        shaper.push(&[0; 5_000], 0);
        let out = drain(&mut shaper, 0);
        assert_eq!(
            out.last().map(|(_, at)| *at),
            Some(1_000_000),
            "10 kB at 10 kB/s: 1 s"
        );
    }

    #[test]
    fn hang_holds_everything_and_the_close_too() {
        let faults = Faults {
            hang: true,
            ..Faults::default()
        };
        let mut shaper = Shaper::new(faults, 1, 0, 0);
        shaper.push(b"held", 0);
        shaper.source_closed(10);
        assert!(shaper.next_due_us().is_none());
        assert!(shaper.due(1_000_000_000).is_none());
        assert!(shaper.close_due_us().is_none());
        shaper.set_faults(Faults::default(), 2_000);
        assert_eq!(
            shaper.due(2_000).map(|due| due.bytes.to_vec()),
            Some(b"held".to_vec())
        );
    }

    #[test]
    fn taking_latency_off_releases_what_it_held() {
        let faults = Faults {
            latency_ms: 10_000,
            ..Faults::default()
        };
        let mut shaper = Shaper::new(faults, 1, 0, 0);
        shaper.push(b"late", 0);
        assert!(shaper.due(5_000).is_none());
        shaper.set_faults(Faults::default(), 5_000);
        assert!(shaper.due(5_000).is_some());
    }

    #[test]
    fn close_after_bytes_and_reset_after_bytes_cut_at_the_limit() {
        let faults = Faults {
            close_after_bytes: Some(3),
            ..Faults::default()
        };
        let mut shaper = Shaper::new(faults, 1, 0, 0);
        shaper.push(b"hello", 0);
        assert_eq!(shaper.bytes_allowed(), Some(3));
        shaper.written(3);
        assert_eq!(shaper.verdict(0), Some(Verdict::Close));

        let faults = Faults {
            reset: Some(Reset {
                after_ms: Some(100),
                after_bytes: None,
            }),
            ..Faults::default()
        };
        let shaper = Shaper::new(faults, 1, 0, 1_000);
        assert_eq!(shaper.verdict(100_999), None);
        assert_eq!(shaper.verdict_due_us(), Some(101_000));
        assert_eq!(shaper.verdict(101_000), Some(Verdict::Reset));
    }

    #[test]
    fn slow_close_passes_the_fin_on_later_and_only_after_the_bytes() {
        let faults = Faults {
            slow_close_ms: Some(500),
            ..Faults::default()
        };
        let mut shaper = Shaper::new(faults, 1, 0, 0);
        shaper.push(b"last", 0);
        shaper.source_closed(1_000);
        assert_eq!(shaper.close_due_us(), None, "bytes first");
        shaper.written(4);
        assert_eq!(shaper.close_due_us(), Some(501_000));
    }

    #[test]
    fn stop_reading_and_a_full_queue_stop_the_reads() {
        let mut shaper = Shaper::new(
            Faults {
                stop_reading: true,
                ..Faults::default()
            },
            1,
            0,
            0,
        );
        assert!(!shaper.wants_read());
        shaper.set_faults(Faults::default(), 0);
        assert!(shaper.wants_read());
        shaper.push(&vec![0; QUEUE_LIMIT_BYTES], 0);
        assert!(!shaper.wants_read(), "back-pressure");
    }

    #[test]
    fn probability_picks_the_connections_the_faults_apply_to() {
        let faults = Faults {
            latency_ms: 100,
            probability: 0.5,
            ..Faults::default()
        };
        let delayed = (0..1_000u64)
            .filter(|connection| {
                let mut shaper = Shaper::new(faults.clone(), 42, *connection, 0);
                shaper.push(b"x", 0);
                shaper.due(0).is_none()
            })
            .count();
        assert!((400..=600).contains(&delayed), "{delayed} of 1,000");
        // The same seed draws the same connections.
        let again = (0..1_000u64)
            .filter(|connection| {
                let mut shaper = Shaper::new(faults.clone(), 42, *connection, 0);
                shaper.push(b"x", 0);
                shaper.due(0).is_none()
            })
            .count();
        assert_eq!(delayed, again);
    }

    #[test]
    fn datagrams_are_lost_duplicated_and_reordered_as_the_seed_says() {
        let faults = DatagramFaults {
            loss: 0.2,
            duplicate: 0.1,
            reorder: 0.1,
        };
        let run = |seed| {
            let mut shaper = DatagramShaper::new(seed);
            (0..1_000u32)
                .flat_map(|n| shaper.pass(n.to_be_bytes().to_vec(), &faults))
                .collect::<Vec<_>>()
        };
        let out = run(5);
        assert_eq!(out, run(5), "a fixed seed replays");
        let distinct: std::collections::BTreeSet<_> = out.iter().collect();
        let lost = 1_000 - distinct.len();
        assert!((120..=280).contains(&lost), "{lost} lost");
        assert!(out.len() > distinct.len(), "some duplicated");
        assert!(
            out.windows(2).any(|pair| pair[0] > pair[1]),
            "some reordered"
        );
    }
}
