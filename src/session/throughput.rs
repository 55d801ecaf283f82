//! Bytes per second in and out of each socket: 250 ms buckets per socket and direction, kept
//! by the session as it applies events (a send / recv call's `bytes_moved` counts when it
//! returns; an automatic summary's bytes are spread evenly over its period), so every byte is
//! counted exactly once however often a view looks.

use crate::engine::{Direction, SocketId};
use std::collections::BTreeMap;

/// The width of one stored bucket.
pub const BUCKET_US: u64 = 250_000;
/// How far back the plot goes.
pub const WINDOW_US: u64 = 60_000_000;
/// Buckets older than this (before the latest time seen) are forgotten.
pub const KEEP_US: u64 = WINDOW_US + 2_000_000;

fn slot_of(direction: Direction) -> usize {
    match direction {
        Direction::Out => 1,
        Direction::In | Direction::Control => 0,
    }
}

/// Bytes moved per socket, direction and 250 ms bucket (bucket `k` covers
/// `[k * 250 ms, (k + 1) * 250 ms)` since the engine started).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Buckets {
    series: BTreeMap<SocketId, Series>,
}

/// One socket's buckets, sorted by bucket number (a short list, not a map: thousands of
/// connections each have a bucket or two, and a map's node would take hundreds of bytes).
type Series = Vec<(u64, [u64; 2])>;

/// The part of a series with bucket numbers in `range`.
fn in_range(series: &Series, range: std::ops::Range<u64>) -> &[(u64, [u64; 2])] {
    let from = series.partition_point(|(bucket, _)| *bucket < range.start);
    let to = series.partition_point(|(bucket, _)| *bucket < range.end);
    &series[from..to.max(from)]
}

impl Buckets {
    pub fn new() -> Self {
        Buckets::default()
    }

    /// Counts `bytes` at time `at_us`.
    pub fn add(&mut self, socket: SocketId, direction: Direction, at_us: u64, bytes: u64) {
        if bytes == 0 || direction == Direction::Control {
            return;
        }
        let series = self.series.entry(socket).or_default();
        let bucket = at_us / BUCKET_US;
        let at = series.partition_point(|(kept, _)| *kept < bucket);
        if series.get(at).is_none_or(|(kept, _)| *kept != bucket) {
            series.insert(at, (bucket, [0, 0]));
        }
        series[at].1[slot_of(direction)] += bytes;
    }

    /// Counts `bytes` spread evenly over `[from_us, to_us)` (all at `to_us` if the period is
    /// empty). The shares add up to `bytes` exactly; at most the last [`KEEP_US`] of a long
    /// period is kept (the share before it is dropped).
    pub fn add_spread(
        &mut self,
        socket: SocketId,
        direction: Direction,
        from_us: u64,
        to_us: u64,
        bytes: u64,
    ) {
        if bytes == 0 {
            return;
        }
        if to_us <= from_us || from_us / BUCKET_US == to_us.saturating_sub(1) / BUCKET_US {
            self.add(socket, direction, from_us.min(to_us), bytes);
            return;
        }
        let span = u128::from(to_us - from_us);
        // Cumulative share up to `at`, so rounding never loses or adds a byte (it is `bytes`
        // at `to_us`).
        let cumulative = |at: u64| (u128::from(bytes) * u128::from(at - from_us) / span) as u64;
        let mut at = from_us.max(to_us.saturating_sub(KEEP_US));
        let mut given = cumulative(at);
        while at < to_us {
            let end = ((at / BUCKET_US + 1) * BUCKET_US).min(to_us);
            let upto = cumulative(end);
            self.add(socket, direction, at, upto - given);
            given = upto;
            at = end;
        }
    }

    /// Forgets buckets that end before `before_us`.
    pub fn prune(&mut self, before_us: u64) {
        let keep_from = before_us / BUCKET_US;
        self.series.retain(|_, buckets| {
            let old = buckets.partition_point(|(bucket, _)| *bucket < keep_from);
            buckets.drain(..old);
            !buckets.is_empty()
        });
    }

    /// Forgets a socket's buckets (the session no longer keeps the socket).
    pub fn forget(&mut self, socket: SocketId) {
        self.series.remove(&socket);
    }

    /// Sockets with some bytes counted.
    pub fn sockets(&self) -> impl Iterator<Item = SocketId> + '_ {
        self.series.keys().copied()
    }

    /// Bytes per bucket of `size` for every bucket overlapping `[from_us, to_us)`, zeros
    /// included: `(bucket start in µs, bytes)`.
    pub fn totals(
        &self,
        socket: SocketId,
        direction: Direction,
        width_us: u64,
        from_us: u64,
        to_us: u64,
    ) -> Vec<(u64, u64)> {
        let width = width_us.max(BUCKET_US);
        let start = from_us / width * width;
        let mut out = Vec::new();
        let mut at = start;
        while at < to_us {
            out.push((at, 0));
            at += width;
        }
        let Some(buckets) = self.series.get(&socket) else {
            return out;
        };
        for (bucket, counts) in in_range(buckets, start / BUCKET_US..to_us.div_ceil(BUCKET_US)) {
            let at = bucket * BUCKET_US;
            let index = ((at - start) / width) as usize;
            if let Some(slot) = out.get_mut(index) {
                slot.1 += counts[slot_of(direction)];
            }
        }
        out
    }

    /// Bytes in and out of one socket in the buckets overlapping `[from_us, to_us)`.
    pub fn bytes_between(&self, socket: SocketId, from_us: u64, to_us: u64) -> u64 {
        self.series.get(&socket).map_or(0, |buckets| {
            in_range(buckets, from_us / BUCKET_US..to_us.div_ceil(BUCKET_US))
                .iter()
                .map(|(_, counts)| counts[0] + counts[1])
                .sum()
        })
    }

    /// All bytes counted for one socket and direction.
    pub fn total(&self, socket: SocketId, direction: Direction) -> u64 {
        self.series.get(&socket).map_or(0, |buckets| {
            buckets
                .iter()
                .map(|(_, counts)| counts[slot_of(direction)])
                .sum()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: SocketId = SocketId(1);

    #[test]
    fn sends_over_three_seconds_give_per_second_totals() {
        let mut buckets = Buckets::new();
        // 10 sends of 100 bytes in second 0, 20 of 50 in second 1, 1 of 7 in second 2.
        for n in 0..10 {
            buckets.add(S, Direction::Out, n * 90_000, 100);
        }
        for n in 0..20 {
            buckets.add(S, Direction::Out, 1_000_000 + n * 40_000, 50);
        }
        buckets.add(S, Direction::Out, 2_999_999, 7);
        let totals = buckets.totals(S, Direction::Out, 1_000_000, 0, 3_000_000);
        assert_eq!(totals, vec![(0, 1_000), (1_000_000, 1_000), (2_000_000, 7)]);
        assert_eq!(
            buckets.totals(S, Direction::In, 1_000_000, 0, 3_000_000),
            vec![(0, 0), (1_000_000, 0), (2_000_000, 0)]
        );
        let quarters = buckets.totals(S, Direction::Out, BUCKET_US, 0, 1_000_000);
        // Sends at 0, 90, 180 ms | 270, 360, 450 | 540, 630, 720 | 810 ms.
        assert_eq!(
            quarters,
            vec![(0, 300), (250_000, 300), (500_000, 300), (750_000, 100)]
        );
    }

    #[test]
    fn a_spread_period_adds_up_exactly() {
        let mut buckets = Buckets::new();
        // 1,000 bytes over 0.1 .. 1.1 s: 900 in second 0, 100 in second 1.
        buckets.add_spread(S, Direction::In, 100_000, 1_100_000, 1_000);
        let totals = buckets.totals(S, Direction::In, 1_000_000, 0, 2_000_000);
        assert_eq!(totals, vec![(0, 900), (1_000_000, 100)]);
        // Awkward numbers still add up.
        let mut buckets = Buckets::new();
        buckets.add_spread(S, Direction::In, 1, 2_999_998, 1_001);
        assert_eq!(buckets.total(S, Direction::In), 1_001);
        // An empty period counts at its time.
        buckets.add_spread(S, Direction::Out, 5_000_000, 5_000_000, 9);
        assert_eq!(buckets.total(S, Direction::Out), 9);
    }

    #[test]
    fn old_buckets_are_pruned() {
        let mut buckets = Buckets::new();
        buckets.add(S, Direction::In, 0, 5);
        buckets.add(S, Direction::In, 100_000_000, 6);
        buckets.prune(50_000_000);
        assert_eq!(buckets.total(S, Direction::In), 6);
        buckets.prune(200_000_000);
        assert_eq!(buckets.sockets().count(), 0);
    }
}
