//! A queue whose entries keep their index for life: pushing returns an index that stays valid
//! (for `get`) until that entry is dropped from the front. Used for the call log, so a call id
//! can point at its record in O(1) while the oldest records are dropped.

use std::collections::VecDeque;

#[derive(Clone, Debug)]
pub struct Ring<T> {
    items: VecDeque<T>,
    /// The index of `items[0]`.
    first: u64,
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
            first: 0,
        }
    }

    /// Appends and returns the entry's lasting index.
    pub fn push(&mut self, item: T) -> u64 {
        self.items.push_back(item);
        self.first + self.items.len() as u64 - 1
    }

    /// Removes the oldest entry, with its index.
    pub fn pop_front(&mut self) -> Option<(u64, T)> {
        let item = self.items.pop_front()?;
        let index = self.first;
        self.first += 1;
        Some((index, item))
    }

    pub fn get(&self, index: u64) -> Option<&T> {
        let offset = usize::try_from(index.checked_sub(self.first)?).ok()?;
        self.items.get(offset)
    }

    pub fn get_mut(&mut self, index: u64) -> Option<&mut T> {
        let offset = usize::try_from(index.checked_sub(self.first)?).ok()?;
        self.items.get_mut(offset)
    }

    /// The index of the oldest entry still held (or of the next one pushed, when empty).
    pub fn first_index(&self) -> u64 {
        self.first
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> std::collections::vec_deque::Iter<'_, T> {
        self.items.iter()
    }
}
