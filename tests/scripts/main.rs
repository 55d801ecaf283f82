//! The script runner and the differential suite against CPython. (The lessons run in their own
//! binary: their sockets bind ports the kernel picks from the same range as the many
//! connect()s of the suite here, and a lesson that rebinds its own port must not meet one.)

#[path = "../differential/mod.rs"]
mod differential;

mod fidelity;
mod runner;
mod wire;
mod workspace;
