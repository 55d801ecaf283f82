//! Tests that measure or change the whole process (its descriptor and thread counts, its
//! descriptor limit): in a binary of their own, and one at a time (`one_at_a_time`), so no
//! other test's sockets or threads are counted or starved.

#[path = "../common/mod.rs"]
mod common;

mod emfile;
mod resources;

/// Held by each test here for its whole run.
pub fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static PROCESS: std::sync::Mutex<()> = std::sync::Mutex::new(());
    PROCESS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
