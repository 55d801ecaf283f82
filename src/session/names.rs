//! The names sockets are shown by, kept unique among the sockets a session keeps: a second
//! `client` becomes `client2`, in every view, so two sockets never read alike.

use crate::engine::SocketId;
use std::collections::HashMap;

#[derive(Debug, Default)]
pub(crate) struct Names {
    owner: HashMap<String, SocketId>,
}

impl Names {
    /// Gives `socket` the name `wanted`, or the first of `wanted2`, `wanted3`... (`wanted_2`
    /// after a name that ends in a digit) that no other socket has; lets go of `old`.
    pub(crate) fn claim(&mut self, socket: SocketId, wanted: &str, old: &str) -> String {
        self.release(socket, old);
        let joiner = if wanted.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        let mut name = wanted.to_string();
        let mut n = 2;
        while self.owner.get(&name).is_some_and(|owner| *owner != socket) {
            name = format!("{wanted}{joiner}{n}");
            n += 1;
        }
        self.owner.insert(name.clone(), socket);
        name
    }

    /// Names held and room for names.
    #[cfg(test)]
    pub(crate) fn room(&self) -> (usize, usize) {
        (self.owner.len(), self.owner.capacity())
    }

    /// Gives back the room the map grew to while thousands of sockets had names.
    pub(crate) fn give_back_room(&mut self) {
        super::room::GiveBackRoom::give_back_room(&mut self.owner);
    }

    /// `socket` no longer goes by `name` (renamed, or forgotten).
    pub(crate) fn release(&mut self, socket: SocketId, name: &str) {
        if self.owner.get(name) == Some(&socket) {
            self.owner.remove(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_name_gets_a_number_and_a_released_one_is_free_again() {
        let mut names = Names::default();
        assert_eq!(names.claim(SocketId(1), "client", "tcp4 #1"), "client");
        assert_eq!(names.claim(SocketId(2), "client", "tcp4 #2"), "client2");
        assert_eq!(names.claim(SocketId(3), "client", "tcp4 #3"), "client3");
        // Its own name again: unchanged.
        assert_eq!(names.claim(SocketId(2), "client2", "client2"), "client2");
        assert_eq!(names.claim(SocketId(4), "udp1", "udp4 #4"), "udp1");
        assert_eq!(names.claim(SocketId(5), "udp1", "udp4 #5"), "udp1_2");
        names.release(SocketId(1), "client");
        assert_eq!(names.claim(SocketId(6), "client", "tcp4 #6"), "client");
        // Renaming lets go of the old name.
        assert_eq!(names.claim(SocketId(6), "server", "client"), "server");
        assert_eq!(names.claim(SocketId(7), "client", "tcp4 #7"), "client");
    }
}
