//! Giving back the room a container grew to. A wave of thousands of connections grows the
//! session's tables and queues to thousands of entries; once the wave has gone most of that
//! room is empty, and a container never shrinks by itself.

use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{BuildHasher, Hash};

/// Below this capacity a container keeps its room (shrinking it would save little and make
/// the next few inserts allocate again).
const KEEP_ROOM_UP_TO: usize = 64;

/// A container that can give back the room its entries do not use.
pub(crate) trait GiveBackRoom {
    fn room(&self) -> (usize, usize);
    fn shrink(&mut self);

    /// Shrinks to fit when less than half of the room is used.
    fn give_back_room(&mut self) {
        let (len, capacity) = self.room();
        if capacity > KEEP_ROOM_UP_TO && len * 2 < capacity {
            self.shrink();
        }
    }
}

impl<T> GiveBackRoom for Vec<T> {
    fn room(&self) -> (usize, usize) {
        (self.len(), self.capacity())
    }
    fn shrink(&mut self) {
        self.shrink_to_fit();
    }
}

impl<T> GiveBackRoom for VecDeque<T> {
    fn room(&self) -> (usize, usize) {
        (self.len(), self.capacity())
    }
    fn shrink(&mut self) {
        self.shrink_to_fit();
    }
}

impl<K: Hash + Eq, V, S: BuildHasher> GiveBackRoom for HashMap<K, V, S> {
    fn room(&self) -> (usize, usize) {
        (self.len(), self.capacity())
    }
    fn shrink(&mut self) {
        self.shrink_to_fit();
    }
}

impl<T: Hash + Eq, S: BuildHasher> GiveBackRoom for HashSet<T, S> {
    fn room(&self) -> (usize, usize) {
        (self.len(), self.capacity())
    }
    fn shrink(&mut self) {
        self.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_goes_back_only_when_mostly_empty() {
        let mut queue: VecDeque<u64> = (0..10_000).collect();
        queue.drain(..4_000);
        let grown = queue.capacity();
        queue.give_back_room();
        assert_eq!(queue.capacity(), grown, "60 % used: kept");
        queue.drain(..5_000);
        queue.give_back_room();
        assert!(
            queue.capacity() < 2_000,
            "10 % used: given back ({})",
            queue.capacity()
        );
        assert_eq!(queue.len(), 1_000);

        let mut map: HashMap<u32, u32> = (0..10_000).map(|n| (n, n)).collect();
        map.retain(|key, _| *key < 100);
        map.give_back_room();
        assert!(map.capacity() < 1_000, "{}", map.capacity());
        assert_eq!(map.len(), 100);

        let mut small: Vec<u8> = Vec::with_capacity(KEEP_ROOM_UP_TO);
        small.push(1);
        small.give_back_room();
        assert_eq!(small.capacity(), KEEP_ROOM_UP_TO, "small room is kept");
    }
}
