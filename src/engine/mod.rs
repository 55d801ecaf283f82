//! The only code that performs socket calls. No egui here.

pub mod address;
pub mod call_kind;
pub mod command;
pub mod errno;
pub mod event;
pub mod explain;
pub mod kernel;
pub mod options;
pub mod proc_net;
mod registry;
mod responder;
mod sys;
mod worker;

pub use address::SocketAddress;
pub use call_kind::{CallKind, Direction};
pub use command::{
    AddrArg, Automation, Call, CallId, Command, Family, Flood, Mode, OptValue, Origin, RecvFlags,
    Responder, ShutdownHow, SockType, SocketId,
};
pub use event::{Event, Lifecycle, Outcome, Value, WokenBy};
pub use registry::{Engine, EngineError, EventReceiver};
