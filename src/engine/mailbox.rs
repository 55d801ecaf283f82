//! What the engine hands a socket thread: its commands, in order, and the wake-up it waits on
//! beside its socket. One small allocation and one descriptor per socket (thousands of
//! connections are held at once; a channel of its own would cost half a kilobyte each).

use super::command::Command;
use super::sys::Wake;
use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};

pub(crate) struct Mailbox {
    queue: Mutex<Queue>,
    wake: Wake,
}

#[derive(Default)]
struct Queue {
    commands: VecDeque<Command>,
    /// The socket thread has taken its last command: nothing more is accepted.
    closed: bool,
}

impl Mailbox {
    pub(crate) fn new() -> std::io::Result<Mailbox> {
        Ok(Mailbox {
            queue: Mutex::new(Queue::default()),
            wake: Wake::new()?,
        })
    }

    fn queue(&self) -> MutexGuard<'_, Queue> {
        // A panic while holding it cannot leave the queue half-changed: recover it.
        self.queue
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues a command and wakes the thread; false once the thread has ended.
    pub(crate) fn send(&self, command: Command) -> bool {
        {
            let mut queue = self.queue();
            if queue.closed {
                return false;
            }
            queue.commands.push_back(command);
        }
        self.wake.signal();
        true
    }

    /// The oldest command not yet taken.
    pub(crate) fn take(&self) -> Option<Command> {
        let mut queue = self.queue();
        let command = queue.commands.pop_front();
        if queue.commands.is_empty() && queue.commands.capacity() > 0 {
            queue.commands = VecDeque::new();
        }
        command
    }

    /// Accepts nothing more; returns what was still queued (to be answered).
    pub(crate) fn close(&self) -> Vec<Command> {
        let mut queue = self.queue();
        queue.closed = true;
        std::mem::take(&mut queue.commands).into()
    }

    /// The descriptor the thread polls for a wake-up.
    pub(crate) fn wake_fd(&self) -> std::os::fd::RawFd {
        self.wake.raw_fd()
    }

    /// Takes the pending wake-ups (the commands are taken with [`Mailbox::take`]).
    pub(crate) fn clear_wake(&self) {
        self.wake.clear();
    }
}
