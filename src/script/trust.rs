//! What a script from someone else would do beyond this machine's loopback and its own
//! folder (PRODUCT part 13): connect to or send to other hosts, bind every interface, use
//! socket files elsewhere, remove files, join multicast groups, flood. The window lists these
//! in one dialog and runs the file only once the person agrees; `run` refuses them unless
//! `--trust` is given. Built-in lessons and files the person saved are trusted.

use super::{ActionKind, Script};
use crate::engine::{AddrArg, Call, OptValue};
use crate::i18n::Lang;
use crate::t;
use std::path::{Component, Path};

/// One action that reaches beyond loopback or the file's folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reach {
    /// Where the action is in the file (1-based).
    pub line: usize,
    pub column: usize,
    /// The action as written.
    pub action: String,
    pub kind: ReachKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReachKind {
    /// connect / sendto / bind to a host that is not this machine's loopback.
    OtherHost { host: String },
    /// bind to 0.0.0.0, :: or '': reachable from the network.
    AllInterfaces { host: String },
    /// bind to an address that is not loopback (an interface's, a multicast group's).
    BindsNetwork { host: String },
    /// A Unix socket file outside the script's folder (bind, connect, sendto, unlink).
    FileOutside { path: String },
    /// A multicast group joined: traffic from the network.
    Multicast { group: String },
    /// `auto(flood=...)`: as much as the socket can take.
    Flood,
}

impl Reach {
    /// `line 12: connects to 192.168.1.5 — client.connect(('192.168.1.5', 80))`.
    pub fn text(&self, lang: Lang) -> String {
        let what = match &self.kind {
            ReachKind::OtherHost { host } => t!(lang, "trust-other-host", host = host.as_str()),
            ReachKind::AllInterfaces { host } => {
                t!(lang, "trust-all-interfaces", host = host.as_str())
            }
            ReachKind::BindsNetwork { host } => {
                t!(lang, "trust-binds-network", host = host.as_str())
            }
            ReachKind::FileOutside { path } => {
                t!(lang, "trust-file-outside", path = path.as_str())
            }
            ReachKind::Multicast { group } => t!(lang, "trust-multicast", group = group.as_str()),
            ReachKind::Flood => t!(lang, "trust-flood"),
        };
        t!(
            lang,
            "trust-line",
            line = self.line.to_string(),
            what = what,
            action = crate::codec::terminal_safe(&self.action)
        )
    }
}

/// Every action of `script` that reaches beyond loopback and `folder` (the file's own
/// folder), in file order.
pub fn reaches(script: &Script, folder: &Path) -> Vec<Reach> {
    let mut found = Vec::new();
    for action in script.steps.iter().flat_map(|step| &step.actions) {
        let mut note = |kind: ReachKind| {
            found.push(Reach {
                line: action.line,
                column: action.column,
                action: action.text.clone(),
                kind,
            })
        };
        match &action.kind {
            ActionKind::Call { call, .. } => {
                for kind in call_reaches(&call.call, folder) {
                    note(kind);
                }
            }
            ActionKind::Auto { automation, .. } => {
                if let Some(flood) = &automation.flood {
                    note(ReachKind::Flood);
                    if let Some(to) = &flood.destination {
                        note_address(to, false, folder, &mut note);
                    }
                }
            }
            ActionKind::Unlink { path } if !inside(Path::new(path), folder) => {
                note(ReachKind::FileOutside { path: path.clone() });
            }
            _ => {}
        }
    }
    found
}

fn call_reaches(call: &Call, folder: &Path) -> Vec<ReachKind> {
    let mut kinds = Vec::new();
    let mut note = |kind| kinds.push(kind);
    match call {
        Call::Bind(address) => note_address(address, true, folder, &mut note),
        Call::Connect(address) | Call::SendTo { addr: address, .. } => {
            note_address(address, false, folder, &mut note)
        }
        Call::SetOpt {
            value: OptValue::Membership { group, .. },
            name,
        } if name.contains("ADD") || name.contains("JOIN") => note(ReachKind::Multicast {
            group: group.clone(),
        }),
        _ => {}
    }
    kinds
}

fn note_address(address: &AddrArg, bind: bool, folder: &Path, note: &mut dyn FnMut(ReachKind)) {
    match address {
        AddrArg::Inet { host, .. } => {
            let host_text = host.trim();
            if bind && matches!(host_text, "" | "0.0.0.0" | "::" | "[::]") {
                note(ReachKind::AllInterfaces { host: host.clone() });
            } else if bind && !is_loopback(host_text) {
                note(ReachKind::BindsNetwork { host: host.clone() });
            } else if !is_loopback(host_text) {
                note(ReachKind::OtherHost { host: host.clone() });
            }
        }
        AddrArg::Path(path) => {
            // An abstract name (a leading NUL or '@') is no file at all.
            if !path.starts_with('\0') && !path.starts_with('@') && !inside(Path::new(path), folder)
            {
                note(ReachKind::FileOutside { path: path.clone() });
            }
        }
    }
}

/// 127.0.0.0/8, ::1, ::ffff:127.x, `localhost`.
fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(std::net::IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
}

/// `path` is in `folder` or below it, without `..` climbing out (relative paths are taken
/// from the folder).
fn inside(path: &Path, folder: &Path) -> bool {
    if path
        .components()
        .any(|part| matches!(part, Component::ParentDir))
    {
        return false;
    }
    if path.is_relative() {
        return true;
    }
    path.starts_with(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reaches_of(actions: &[&str]) -> Vec<ReachKind> {
        let text = format!(
            "[[step]]\ndo = [\n{}\n]\n",
            actions
                .iter()
                .map(|a| toml::Value::String(a.to_string()).to_string())
                .collect::<Vec<_>>()
                .join(",\n")
        );
        let script = crate::script::parse(&text).expect("parses");
        reaches(&script, Path::new("/home/t/lessons"))
            .into_iter()
            .map(|reach| reach.kind)
            .collect()
    }

    #[test]
    fn loopback_and_the_files_folder_need_no_consent() {
        let none = reaches_of(&[
            "s = socket()",
            "s.bind(('127.0.0.1', 0))",
            "s.listen(5)",
            "c = socket()",
            "c.connect(s)",
            "d = socket(AF_INET6, SOCK_DGRAM)",
            "d.sendto(b'x', ('::1', 9))",
            "e = socket()",
            "e.connect(('localhost', 80))",
            "f = socket(AF_INET6, SOCK_STREAM)",
            "f.connect(('::ffff:127.0.0.1', 80))",
            "u = socket(AF_UNIX, SOCK_STREAM)",
            "u.bind('/home/t/lessons/demo.sock')",
            "v = socket(AF_UNIX, SOCK_STREAM)",
            "v.bind('here.sock')",
            "os.unlink('/home/t/lessons/demo.sock')",
            "s.auto(accept, receive, respond='echo')",
        ]);
        assert_eq!(none, []);
    }

    #[test]
    fn each_action_beyond_loopback_or_the_folder_is_named() {
        let found = reaches_of(&[
            "m = socket(AF_INET, SOCK_DGRAM)",
            "m.bind(('224.1.1.1', 0))",
            "s = socket()",
            "s.bind(('0.0.0.0', 80))",
            "t = socket()",
            "t.bind(('', 81))",
            "c = socket()",
            "c.connect(('192.168.1.5', 502))",
            "d = socket(AF_INET, SOCK_DGRAM)",
            "d.sendto(b'x', ('example.com', 53))",
            "d.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, membership('224.1.1.1', '0.0.0.0'))",
            "u = socket(AF_UNIX, SOCK_STREAM)",
            "u.bind('/run/other.sock')",
            "os.unlink('/home/t/lessons/../secret.sock')",
            "c.auto(flood=0)",
        ]);
        assert_eq!(
            found,
            [
                ReachKind::BindsNetwork {
                    host: "224.1.1.1".into()
                },
                ReachKind::AllInterfaces {
                    host: "0.0.0.0".into()
                },
                ReachKind::AllInterfaces { host: "".into() },
                ReachKind::OtherHost {
                    host: "192.168.1.5".into()
                },
                ReachKind::OtherHost {
                    host: "example.com".into()
                },
                ReachKind::Multicast {
                    group: "224.1.1.1".into()
                },
                ReachKind::FileOutside {
                    path: "/run/other.sock".into()
                },
                ReachKind::FileOutside {
                    path: "/home/t/lessons/../secret.sock".into()
                },
                ReachKind::Flood,
            ]
        );
    }

    #[test]
    fn a_reach_is_said_with_its_line_in_both_languages() {
        let script = crate::script::parse(
            "[[step]]\ndo = [\n  \"c = socket()\",\n  \"c.connect(('10.0.0.1', 80))\",\n]\n",
        )
        .expect("parses");
        let found = reaches(&script, Path::new("/tmp"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 4);
        let english = found[0].text(Lang::En);
        assert!(
            english.starts_with("line 4: connects or sends to 10.0.0.1"),
            "{english}"
        );
        assert!(english.contains("c.connect(('10.0.0.1', 80))"), "{english}");
        let chinese = found[0].text(Lang::Zh);
        assert!(chinese.starts_with("第 4 行"), "{chinese}");
    }
}
