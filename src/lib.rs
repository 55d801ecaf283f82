//! Socket Workbench: open real sockets, perform each socket call one at a time, and see what it
//! did.
//!
//! ```text
//!            window (ui)                      headless (`run FILE`)
//!   intents ─┐  draws ▲  advances the         script::Runner: waits on the core,
//!            │        │  script once a frame  then advances the script
//!            ▼        │                               │
//!        ┌──────── core::Core ───────────────────────┘
//!        │  Engine (the only caller)  +  Session (applied events, in order)
//!        └──► Command ─(per-socket channel)─► socket thread ─► real syscall
//!                 ◄── Event ◄─(one channel for all sockets)──┘
//! ```
//! - `engine` is the only code that touches sockets: one thread per socket, events out.
//! - `core` owns the engine and the session; it is the only thing that issues commands, and it
//!   applies events synchronously (an observer, such as a running script, sees each one by
//!   reference as it is applied: nothing is copied or queued for it).
//! - `session` is pure data built from events: sockets, the call log, received chunks, each
//!   capped (log entries, the send payloads the log holds, retained bytes), and the indexes
//!   the views read (throughput buckets counted as events apply; flow arrows brought up to
//!   date after each batch; every address our sockets had). Views only read it.
//! - Values are typed across the engine boundary: a `SocketAddress` (shown in Python's
//!   notation, never parsed back from it) and a `CallKind` (name, tooltip, direction,
//!   can-block) that keys each socket's latest results.
//! - `script` is the text format for scenarios and lessons; `script::ScriptRun` performs one as
//!   a state machine over a core (`advance`, `observe`), driven by the window per frame or by
//!   the headless `script::Runner`.
//! - `ui` draws the session and never blocks.
//!
//! Each module's submodules are private to the crate; what others may use is re-exported at
//! the module's top (`engine::Returned`, `ui::TimelineView`, ...), plus `engine::errno`,
//! `engine::proc_net` and `ui::theme`, which are small APIs of their own.

pub mod codec;
pub mod codegen;
pub mod core;
pub mod engine;
/// The fuzzing harness: every parser of what a person or a file gives, over generated inputs,
/// under a watchdog (`cargo bench --bench fuzz`, `tests/fuzz.rs`).
pub mod fuzz;
pub mod i18n;
pub mod lessons;
pub mod messages;
pub mod script;
pub mod session;
pub mod ui;
pub mod workspace;
