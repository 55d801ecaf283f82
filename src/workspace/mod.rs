//! Workspaces (PRODUCT part 13): the sockets and how they were set up, the saved messages,
//! the reply rules, each composer and the view, kept in a file that is a script — so
//! `socket-workbench run ws.toml` rebuilds the setup headless and a person can edit it.
//!
//! ```toml
//! title = "Modbus bench"
//!
//! [[step]]
//! say = "The workspace's sockets, as they were set up."
//! do = [
//!   "server = socket(AF_INET, SOCK_STREAM)",
//!   "server.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)",
//!   "server.bind(('127.0.0.1', 5020))",
//!   "server.listen(5)",
//!   "client = socket(AF_INET, SOCK_STREAM)",
//!   "client.connect(server)",
//!   "server.auto(accept, receive, respond='echo')",
//! ]
//!
//! [workspace]
//! version = 1
//!
//! [[workspace.message]]
//! name = "read registers"
//! body = "01 03 00 00 00 0A ${crc16_modbus}"
//! format = "hex"
//! ```
//!
//! [`print`] writes a [`Workspace`]; [`read`] is its inverse (`read(print(w)) == w`, a
//! property test). The setup is the `do` list's actions; what is not setup (a person's own
//! `send`, `sleep`, ...) is kept as written in [`Workspace::other_actions`].

mod from_session;
mod print;
mod read;
#[cfg(test)]
mod tests;

pub use from_session::from_session;
pub use print::print;
pub use read::{Read, read};

use crate::engine::{AddrArg, Automation, Family, Mode, OptValue, SockType};
use crate::messages::{ReplyRule, SavedMessage};
use std::collections::BTreeMap;

/// The version of the `[workspace]` table this build writes; a file with a higher one was
/// written by a newer workbench (its unknown keys are named when read).
pub const FORMAT_VERSION: u32 = 1;

/// Everything a workspace file holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Workspace {
    pub title: String,
    /// In the order they were created.
    pub sockets: Vec<SocketSetup>,
    pub messages: Vec<SavedMessage>,
    pub rules: Vec<ReplyRule>,
    /// Each socket's composer by socket name, as the window stores it (text, hex, encoding,
    /// history, ...): the window reads and writes these tables.
    pub composers: BTreeMap<String, toml::Table>,
    /// The window's view settings and layout, as it stores them.
    pub view: toml::Table,
    /// Actions of the file that are not setup, as written: kept, printed after the setup and
    /// run with it.
    pub other_actions: Vec<String>,
}

/// One socket and how it was set up: what a person did to it before using it.
#[derive(Clone, Debug, PartialEq)]
pub struct SocketSetup {
    /// A Python identifier, unique in the workspace.
    pub name: String,
    pub family: Family,
    pub sock_type: SockType,
    /// setsockopt calls, in order (before bind: SO_REUSEADDR must come first).
    pub options: Vec<(String, OptValue)>,
    /// bind()'s argument as given (port 0 stays 0).
    pub bind: Option<AddrArg>,
    /// listen()'s backlog.
    pub listen: Option<i32>,
    /// connect()'s target.
    pub connect: Option<Target>,
    pub automation: Automation,
    /// `auto(flood=..., to=NAME)`: the flood goes to that socket's address.
    pub flood_to: Option<String>,
    /// setblocking / settimeout, applied last (so connect waits as a setup expects).
    pub mode: Mode,
}

impl SocketSetup {
    pub fn new(name: impl Into<String>, family: Family, sock_type: SockType) -> SocketSetup {
        SocketSetup {
            name: name.into(),
            family,
            sock_type,
            options: Vec::new(),
            bind: None,
            listen: None,
            connect: None,
            automation: Automation::default(),
            flood_to: None,
            mode: Mode::Blocking,
        }
    }
}

/// Where a socket connects: another socket of the workspace (its address, whatever port it
/// gets), or a literal address.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Socket(String),
    Address(AddrArg),
}
