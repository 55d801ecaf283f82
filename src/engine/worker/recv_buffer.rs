//! The automatic receive loop's buffer. An idle connection must cost little (thousands of
//! them are held at once), a flood must move at loopback speed: so the buffer starts small,
//! doubles while receives fill it (up to the receive size asked for), halves while they use
//! little of it, and is let go once the socket has been quiet for a moment.

use std::time::{Duration, Instant};

/// A stream's first receive size, and the least it shrinks back to.
pub(super) const SMALLEST_BYTES: usize = 4096;
/// Receives in a row that used under a quarter of the buffer before it is halved.
const SMALL_RECEIVES_BEFORE_SHRINK: u32 = 16;
/// Quiet for this long, the buffer is let go (the next receive starts small again).
pub(super) const IDLE_RELEASE: Duration = Duration::from_millis(500);

#[derive(Debug, Default)]
pub(super) struct RecvBuffer {
    bytes: Vec<u8>,
    small_receives: u32,
    last_used: Option<Instant>,
}

impl RecvBuffer {
    /// The buffer for the next receive. A stream's grows and shrinks between 4 KiB and
    /// `limit`; a datagram socket's is always `limit`, since a datagram longer than the
    /// buffer would lose its tail.
    pub(super) fn take(&mut self, limit: usize, whole: bool) -> &mut [u8] {
        let limit = limit.max(1);
        let size = if whole {
            limit
        } else {
            self.bytes.len().clamp(SMALLEST_BYTES.min(limit), limit)
        };
        if self.bytes.len() != size {
            // Not resized in place: a shrunk Vec would keep its capacity.
            self.bytes = vec![0; size];
        }
        self.last_used = Some(Instant::now());
        &mut self.bytes
    }

    /// How much the receive just made with [`RecvBuffer::take`]'s buffer filled.
    pub(super) fn used(&mut self, received: usize, limit: usize) {
        let size = self.bytes.len();
        if received >= size && size < limit {
            self.small_receives = 0;
            self.bytes = vec![0; (size * 2).min(limit)];
        } else if received < size / 4 && size > SMALLEST_BYTES {
            self.small_receives += 1;
            if self.small_receives >= SMALL_RECEIVES_BEFORE_SHRINK {
                self.small_receives = 0;
                self.bytes = vec![0; (size / 2).max(SMALLEST_BYTES)];
            }
        } else {
            self.small_receives = 0;
        }
    }

    /// When the buffer is to be let go if nothing is received before then (None: it holds
    /// nothing).
    pub(super) fn release_at(&self) -> Option<Instant> {
        if self.bytes.capacity() == 0 {
            return None;
        }
        self.last_used.map(|at| at + IDLE_RELEASE)
    }

    /// Lets the buffer go if the socket has been quiet long enough.
    pub(super) fn release_if_idle(&mut self, now: Instant) {
        if self.release_at().is_some_and(|at| at <= now) {
            *self = RecvBuffer::default();
        }
    }

    #[cfg(test)]
    pub(super) fn capacity(&self) -> usize {
        self.bytes.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_buffer_starts_small_grows_while_filled_and_shrinks_back() {
        let limit = 128 * 1024;
        let mut buffer = RecvBuffer::default();
        assert_eq!(buffer.take(limit, false).len(), SMALLEST_BYTES);
        let mut size = SMALLEST_BYTES;
        while size < limit {
            buffer.used(size, limit);
            size = buffer.take(limit, false).len();
        }
        assert_eq!(size, limit, "full receives grow it to the limit");
        buffer.used(limit, limit);
        assert_eq!(
            buffer.take(limit, false).len(),
            limit,
            "never past the limit"
        );
        for _ in 0..SMALL_RECEIVES_BEFORE_SHRINK {
            buffer.used(10, limit);
        }
        assert_eq!(
            buffer.take(limit, false).len(),
            limit / 2,
            "small receives halve it"
        );
        assert_eq!(buffer.capacity(), limit / 2, "and the memory goes with it");
    }

    #[test]
    fn a_quiet_buffer_is_let_go_and_a_datagram_buffer_is_whole() {
        let mut buffer = RecvBuffer::default();
        assert_eq!(buffer.release_at(), None);
        assert_eq!(buffer.take(65_536, true).len(), 65_536);
        let release_at = buffer.release_at().expect("held");
        buffer.release_if_idle(release_at - Duration::from_millis(1));
        assert_eq!(buffer.capacity(), 65_536, "not before its time");
        buffer.release_if_idle(release_at);
        assert_eq!(buffer.capacity(), 0);
        assert_eq!(buffer.release_at(), None);
        assert_eq!(
            buffer.take(100, false).len(),
            100,
            "a limit under 4 KiB is kept"
        );
    }
}
