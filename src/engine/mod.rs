//! The only code that performs socket calls. No egui here.

//!
//! Public: the types re-exported here, and three modules that are APIs of their own: `errno`
//! (names, explanations and fixes of error numbers), `proc_net` (the system socket table) and
//! `wire` (segments captured on loopback, and their pcap export).

pub(crate) mod address;
pub(crate) mod call_kind;
pub(crate) mod command;
pub mod errno;
pub(crate) mod event;
pub(crate) mod explain;
pub(crate) mod kernel;
mod mailbox;
pub(crate) mod options;
pub mod proc_net;
mod registry;
pub mod relay;
mod responder;
mod sys;
pub mod wire;
mod worker;

pub use address::SocketAddress;
pub use call_kind::{CallKind, Direction};
pub use command::{
    AddrArg, Automation, Call, CallId, Command, DEFAULT_FLOOD_CHUNK, Family, Flood, Mode, OptValue,
    Origin, RecvFlags, Responder, ShutdownHow, SockType, SocketId, bytes_literal, format_seconds,
};
pub use event::{
    AutoSummary, CallContext, CancelReason, Event, Lifecycle, Outcome, Returned, SocketInfo,
    Started, StateChange, Value, WokenBy,
};
pub use kernel::KernelSnapshot;
pub use proc_net::{ephemeral_port_range, host_name};
pub use registry::{Engine, EngineError, EventReceiver};
pub use sys::{give_back_free_memory, heap_in_use_bytes};
pub use wire::{Segment, TcpFlags, Transport, WireProblem, WireReport, WireSummary};
