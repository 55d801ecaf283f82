//! A queue whose entries keep their index for life: pushing returns an index that stays valid
//! (for `get`) until that entry is dropped, from the front or by `retain`. Used for the call
//! log, so a call id can point at its record while the oldest records are dropped, and the
//! records of forgotten sockets can be taken out of the middle.

use std::collections::VecDeque;

#[derive(Clone, Debug)]
pub struct Ring<T> {
    /// Entries with their lasting index, in index order (with gaps where entries were taken
    /// out).
    items: VecDeque<(u64, T)>,
    /// The index the next pushed entry gets.
    next: u64,
}

impl<T> Default for Ring<T> {
    fn default() -> Self {
        Ring::new()
    }
}

impl<T> Ring<T> {
    pub fn new() -> Self {
        Ring {
            items: VecDeque::new(),
            next: 0,
        }
    }

    /// Appends and returns the entry's lasting index.
    pub fn push(&mut self, item: T) -> u64 {
        let index = self.next;
        self.items.push_back((index, item));
        self.next += 1;
        index
    }

    /// Removes the oldest entry, with its index.
    pub fn pop_front(&mut self) -> Option<(u64, T)> {
        self.items.pop_front()
    }

    fn offset_of(&self, index: u64) -> Option<usize> {
        // Without gaps (the usual case) the offset is the distance from the oldest entry: no
        // search through a million entries, one cache miss each.
        let first = self.items.front()?.0;
        if let Ok(guess) = usize::try_from(index.checked_sub(first)?)
            && self.items.get(guess).is_some_and(|(at, _)| *at == index)
        {
            return Some(guess);
        }
        self.items.binary_search_by_key(&index, |(at, _)| *at).ok()
    }

    /// Whether the entries held have every index from the oldest to the newest.
    fn has_no_gaps(&self) -> bool {
        match (self.items.front(), self.items.back()) {
            (Some((first, _)), Some((last, _))) => {
                usize::try_from(last - first).is_ok_and(|span| span + 1 == self.items.len())
            }
            _ => true,
        }
    }

    pub fn get(&self, index: u64) -> Option<&T> {
        let offset = self.offset_of(index)?;
        self.items.get(offset).map(|(_, item)| item)
    }

    pub fn get_mut(&mut self, index: u64) -> Option<&mut T> {
        let offset = self.offset_of(index)?;
        self.items.get_mut(offset).map(|(_, item)| item)
    }

    /// The `n`-th entry held (0 = oldest).
    pub fn nth(&self, n: usize) -> Option<&T> {
        self.items.get(n).map(|(_, item)| item)
    }

    /// The index of the oldest entry held (or of the next one pushed, when empty).
    pub fn first_index(&self) -> u64 {
        self.items.front().map_or(self.next, |(index, _)| *index)
    }

    /// The index the next pushed entry will get.
    pub fn next_index(&self) -> u64 {
        self.next
    }

    /// How many entries held have an index below `index`: the position an entry pushed at
    /// that index has now (or would have, had it not been dropped).
    pub fn position_of(&self, index: u64) -> usize {
        if self.has_no_gaps() {
            let first = self.first_index();
            let after_first = usize::try_from(index.saturating_sub(first)).unwrap_or(usize::MAX);
            return after_first.min(self.items.len());
        }
        self.items.partition_point(|(at, _)| *at < index)
    }

    /// Keeps only the entries `keep` says yes to; `dropped` sees each one taken out.
    /// `keep` is given each entry's lasting index too.
    pub fn retain(
        &mut self,
        mut keep: impl FnMut(u64, &T) -> bool,
        mut dropped: impl FnMut(u64, T),
    ) {
        let mut kept = VecDeque::with_capacity(self.items.len());
        for (index, item) in self.items.drain(..) {
            if keep(index, &item) {
                kept.push_back((index, item));
            } else {
                dropped(index, item);
            }
        }
        kept.shrink_to_fit();
        self.items = kept;
    }

    /// Entries held and room for entries.
    #[cfg(test)]
    pub(crate) fn room(&self) -> (usize, usize) {
        (self.items.len(), self.items.capacity())
    }

    /// Gives back the room the ring grew to and no longer uses (see [`super::room`]).
    pub fn give_back_room(&mut self) {
        super::room::GiveBackRoom::give_back_room(&mut self.items);
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator {
        self.items.iter().map(|(_, item)| item)
    }
}

#[cfg(test)]
mod tests {
    use super::Ring;

    #[test]
    fn indices_survive_dropping_from_the_front_and_the_middle() {
        let mut ring = Ring::new();
        let indices: Vec<u64> = (0..10).map(|n| ring.push(n)).collect();
        assert_eq!(ring.pop_front(), Some((0, 0)));
        ring.retain(|_, n| n % 3 != 0, |_, _| {});
        assert_eq!(ring.iter().copied().collect::<Vec<_>>(), [1, 2, 4, 5, 7, 8]);
        assert_eq!(ring.get(indices[4]), Some(&4));
        assert_eq!(ring.get(indices[3]), None);
        assert_eq!(ring.nth(2), Some(&4));
        assert_eq!(ring.position_of(indices[4]), 2);
        assert_eq!(ring.position_of(indices[3]), 2);
        assert_eq!(ring.position_of(ring.next_index()), 6);
        assert_eq!(ring.push(10), 10);
    }

    /// The shortcut taken without gaps finds what a search over every entry finds, for
    /// indices before, inside and after those held, with and without gaps.
    #[test]
    fn lookups_agree_with_a_plain_search_with_and_without_gaps() {
        let check = |ring: &Ring<u64>| {
            let held: Vec<u64> = ring.iter().copied().collect();
            for index in 0..ring.next_index() + 3 {
                let expected_position = held.iter().filter(|at| **at < index).count();
                assert_eq!(
                    ring.position_of(index),
                    expected_position,
                    "position of {index}"
                );
                let expected = held.contains(&index).then_some(index);
                assert_eq!(ring.get(index).copied(), expected, "get {index}");
            }
        };
        let mut ring = Ring::new();
        check(&ring);
        for n in 0..20 {
            ring.push(n);
        }
        check(&ring);
        ring.pop_front();
        ring.pop_front();
        check(&ring);
        ring.retain(|_, n| n % 4 != 1, |_, _| {});
        check(&ring);
        ring.retain(|_, n| *n > 12, |_, _| {});
        check(&ring);
    }
}
