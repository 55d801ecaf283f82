//! Socket Workbench: open real sockets, perform each socket call one at a time, and see what it
//! did.
//!
//! ```text
//! UI intent / script step ─► Command ─(crossbeam)─► socket thread ─► real syscall
//!                                                          │
//! UI / runner ◄─ session (pure data) ◄─ Event ◄─(one channel for all sockets)┘
//! ```
//! `engine` is the only code that touches sockets; `session` turns events into what is shown;
//! `script` is the text format for scenarios and lessons, run headless or in the window; `ui`
//! draws the session and never blocks.

pub mod codec;
pub mod codegen;
pub mod core;
pub mod engine;
pub mod lessons;
pub mod script;
pub mod session;
pub mod ui;
