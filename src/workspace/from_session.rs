//! The workspace of what is open now: each socket a person made (not the connections a
//! listener accepted, not the closed ones) and how it was set up, read from its latest
//! results.

use super::{SocketSetup, Target, Workspace};
use crate::engine::{AddrArg, Call, CallKind, SocketAddress};
use crate::session::{Session, SocketView};

/// The sockets of the session as a workspace (messages, rules, composers and the view are
/// the window's to fill in).
pub fn from_session(session: &Session) -> Workspace {
    let names = crate::codegen::python_names(session);
    let kept: Vec<&SocketView> = session
        .sockets()
        .filter(|view| view.parent.is_none() && !view.closed)
        .collect();
    let name_of = |view: &SocketView| {
        names
            .get(&view.id)
            .cloned()
            .unwrap_or_else(|| crate::codegen::fallback_name(view.id))
    };
    let sockets = kept
        .iter()
        .map(|view| {
            let mut setup = SocketSetup::new(name_of(view), view.family, view.sock_type);
            setup.mode = view.mode;
            setup.automation = view.automation.clone();
            let mut options: Vec<(u64, String, crate::engine::OptValue)> = Vec::new();
            for (_, last) in &view.last_results {
                if !last.outcome.is_ok() {
                    continue;
                }
                match &last.call {
                    Call::SetOpt { name, value } => {
                        options.push((last.call_id.0, name.clone(), value.clone()))
                    }
                    Call::Bind(address) => setup.bind = Some(address.clone()),
                    Call::Listen { backlog } => setup.listen = Some(*backlog),
                    _ => {}
                }
            }
            // In call order: SO_REUSEADDR set before another option stays before it.
            options.sort_by_key(|(call_id, _, _)| *call_id);
            setup.options = options
                .into_iter()
                .map(|(_, name, value)| (name, value))
                .collect();
            setup.connect = connect_target(view, &kept, &name_of);
            setup
        })
        .collect();
    Workspace {
        sockets,
        ..Workspace::default()
    }
}

/// Where the socket connected: the workspace's socket at that address when there is one
/// (its port may differ next time), else the address as given.
fn connect_target(
    view: &SocketView,
    kept: &[&SocketView],
    name_of: &dyn Fn(&SocketView) -> String,
) -> Option<Target> {
    let last = view.last_result(CallKind::Connect)?;
    let Call::Connect(address) = &last.call else {
        return None;
    };
    // A non-blocking connect says EINPROGRESS and connects all the same.
    if !last.outcome.is_ok() && view.peer.is_none() {
        return None;
    }
    let target = kept
        .iter()
        .filter(|other| other.id != view.id)
        .find(|other| {
            other
                .local
                .as_ref()
                .is_some_and(|local| reaches(address, local))
        });
    Some(match target {
        Some(other) => Target::Socket(name_of(other)),
        None => Target::Address(address.clone()),
    })
}

/// The connect argument names that local address (a loopback or wildcard listener's port,
/// or the same socket file).
fn reaches(address: &AddrArg, local: &SocketAddress) -> bool {
    match (address, local) {
        (AddrArg::Path(path), SocketAddress::Path(bound)) => path == bound,
        (AddrArg::Inet { host, port }, local) => {
            let same_port = local.port().is_some_and(|bound| u32::from(bound) == *port);
            let host_matches = match (host.parse::<std::net::IpAddr>(), local.ip()) {
                (Ok(ip), Some(bound)) => {
                    ip == bound || bound.is_unspecified() || ip.is_loopback() && bound.is_loopback()
                }
                // A name (localhost): the port decides.
                (Err(_), Some(_)) => true,
                _ => false,
            };
            same_port && host_matches
        }
        _ => false,
    }
}
