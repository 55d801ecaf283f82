//! A workspace as a script: the setup as `do` actions, the rest in a `[workspace]` table.

use super::{FORMAT_VERSION, SocketSetup, Target, Workspace};
use crate::engine::command::format_seconds;
use crate::engine::{Mode, options};
use crate::messages::{ReplyRule, SavedMessage};
use serde::Serialize;
use std::collections::BTreeMap;

/// The `[workspace]` table as written.
#[derive(Serialize)]
struct Table<'w> {
    version: u32,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    message: &'w [SavedMessage],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    rule: &'w [ReplyRule],
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    composer: &'w BTreeMap<String, toml::Table>,
    #[serde(skip_serializing_if = "toml::Table::is_empty")]
    view: &'w toml::Table,
}

#[derive(Serialize)]
struct File<'w> {
    workspace: Table<'w>,
}

/// The workspace's file: a script whose first step rebuilds the sockets.
pub fn print(workspace: &Workspace) -> String {
    let mut out = String::from(
        "# A Socket Workbench workspace: `socket-workbench open FILE` opens it in the window,\n\
         # `socket-workbench run FILE` rebuilds its sockets without one.\n",
    );
    out.push_str(&format!("title = {}\n", toml_string(&workspace.title)));
    out.push_str("\n[[step]]\n");
    out.push_str(&step_actions(&setup_actions(&workspace.sockets)));
    if !workspace.other_actions.is_empty() {
        out.push_str("\n[[step]]\n");
        out.push_str(&step_actions(&workspace.other_actions));
    }
    let file = File {
        workspace: Table {
            version: FORMAT_VERSION,
            message: &workspace.messages,
            rule: &workspace.rules,
            composer: &workspace.composers,
            view: &workspace.view,
        },
    };
    // Serializing plain data into TOML cannot fail; were it to, the file says so instead of
    // losing the rest silently.
    match toml::to_string(&file) {
        Ok(table) => {
            out.push('\n');
            out.push_str(&table);
        }
        Err(error) => out.push_str(&format!(
            "\n# the [workspace] table was not written: {error}\n"
        )),
    }
    out
}

fn step_actions(actions: &[String]) -> String {
    if actions.is_empty() {
        return "do = []\n".to_string();
    }
    let mut out = String::from("do = [\n");
    for action in actions {
        out.push_str(&format!("  {},\n", toml_string(action)));
    }
    out.push_str("]\n");
    out
}

/// The setup in an order that works: every socket made, set and bound (listeners listening)
/// before any connects; then the automatic behaviour; the blocking mode last.
pub(super) fn setup_actions(sockets: &[SocketSetup]) -> Vec<String> {
    let mut actions = Vec::new();
    for socket in sockets {
        let name = &socket.name;
        actions.push(format!(
            "{name} = socket({}, {})",
            socket.family.python_name(),
            socket.sock_type.python_name()
        ));
        for (option, value) in &socket.options {
            let level = options::level_name(option);
            actions.push(format!("{name}.setsockopt({level}, {option}, {value})"));
        }
        if let Some(address) = &socket.bind {
            actions.push(format!("{name}.bind({})", address.python_literal()));
        }
        if let Some(backlog) = socket.listen {
            actions.push(format!("{name}.listen({backlog})"));
        }
    }
    for socket in sockets {
        let target = match &socket.connect {
            Some(Target::Socket(other)) => other.clone(),
            Some(Target::Address(address)) => address.python_literal(),
            None => continue,
        };
        actions.push(format!("{}.connect({target})", socket.name));
    }
    for socket in sockets {
        if socket.automation.is_on() {
            actions.push(format!(
                "{}.auto({})",
                socket.name,
                socket.automation.script_args(socket.flood_to.as_deref())
            ));
        }
    }
    for socket in sockets {
        match socket.mode {
            Mode::Blocking => {}
            Mode::NonBlocking => actions.push(format!("{}.setblocking(False)", socket.name)),
            Mode::Timeout { timeout_ms } => actions.push(format!(
                "{}.settimeout({})",
                socket.name,
                format_seconds(timeout_ms)
            )),
        }
    }
    actions
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}
