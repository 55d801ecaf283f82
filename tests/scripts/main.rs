//! The script runner, the built-in lessons, and the differential suite against CPython.

#[path = "../differential/mod.rs"]
mod differential;

mod fidelity;
mod lessons;
mod runner;
