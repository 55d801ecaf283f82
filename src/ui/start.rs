//! The first screen: what a new user sees while no socket is open. The lessons (a line each),
//! quick starts that set up the usual pairs in one click, and the scripts opened lately.
//!
//! A quick start is a short script, run at once: it leaves named sockets in the inspectors
//! and its calls on the timeline, like any scenario.

use super::Intent;
use super::call_table::json_string as toml_string;
use super::calls::{error_label, labelled_field, parse_address_in};
use crate::engine::{AddrArg, Family, Responder};
use crate::i18n::Lang;
use crate::lessons::Lesson;
use crate::script::Script;
use crate::t;
use serde::{Deserialize, Serialize};

/// At most this many recently opened scripts are remembered.
pub const RECENT_MAX: usize = 6;

/// A ready setup, one click away.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuickStart {
    /// A listening server, a client connected to it, and the accepted connection.
    TcpPair,
    /// Two UDP sockets bound on 127.0.0.1.
    UdpPair,
    /// A TCP client connected to host:port that receives by itself.
    Connect { host: String, port: u16 },
    /// A TCP server on 127.0.0.1:port that accepts and answers by itself.
    Listen { port: u16, responder: Responder },
}

impl QuickStart {
    pub fn title(&self, lang: Lang) -> String {
        match self {
            QuickStart::TcpPair => t!(lang, "quick-tcp-pair"),
            QuickStart::UdpPair => t!(lang, "quick-udp-pair"),
            QuickStart::Connect { host, port } => {
                t!(
                    lang,
                    "quick-connect-title",
                    host = host.as_str(),
                    port = *port
                )
            }
            QuickStart::Listen { port, responder } => t!(
                lang,
                "quick-listen-title",
                port = *port,
                responder = responder.script_name()
            ),
        }
    }

    /// What it sets up, in a few sentences (the quick start's narration).
    fn intro(&self, lang: Lang) -> String {
        match self {
            QuickStart::TcpPair => t!(lang, "quick-tcp-pair-intro"),
            QuickStart::UdpPair => t!(lang, "quick-udp-pair-intro"),
            QuickStart::Connect { .. } => t!(lang, "quick-connect-intro"),
            QuickStart::Listen { .. } => t!(lang, "quick-listen-intro"),
        }
    }

    /// The script that sets it up, its words in both languages.
    pub fn script(&self) -> Result<Script, String> {
        let (show, actions): (&[&str], Vec<String>) = match self {
            QuickStart::TcpPair => (
                &["conn", "client"],
                vec![
                    "server = socket(AF_INET, SOCK_STREAM)".into(),
                    "server.bind(('127.0.0.1', 0))".into(),
                    "server.listen(5)".into(),
                    "&conn, addr = server.accept()".into(),
                    "client = socket(AF_INET, SOCK_STREAM)".into(),
                    "client.connect(server) => None".into(),
                    "await server.accept => ok".into(),
                ],
            ),
            QuickStart::UdpPair => (
                &["a", "b"],
                vec![
                    "a = socket(AF_INET, SOCK_DGRAM)".into(),
                    "a.bind(('127.0.0.1', 0))".into(),
                    "b = socket(AF_INET, SOCK_DGRAM)".into(),
                    "b.bind(('127.0.0.1', 0))".into(),
                ],
            ),
            QuickStart::Connect { host, port } => (
                &["client"],
                vec![
                    format!(
                        "client = socket({}, SOCK_STREAM)",
                        family_of(host).python_name()
                    ),
                    format!("client.connect(('{host}', {port}))"),
                    "client.auto(receive)".into(),
                ],
            ),
            QuickStart::Listen { port, responder } => (
                &["server"],
                vec![
                    "server = socket(AF_INET, SOCK_STREAM)".into(),
                    "server.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)".into(),
                    format!("server.bind(('127.0.0.1', {port}))"),
                    // Python's own default backlog (listen() without an argument): a load
                    // generator's burst of connects must not find the accept queue full.
                    "server.listen(128)".into(),
                    format!(
                        "server.auto(accept, receive, respond='{}')",
                        responder.script_name()
                    ),
                ],
            ),
        };
        // Strings are written with the JSON escapes, which TOML's basic strings share.
        // The explanation is the step's narration, so it stays above the inspectors after
        // the step has run.
        let words = |key: &str, of: &dyn Fn(Lang) -> String| {
            Lang::ALL
                .map(|lang| format!("{key}.{} = {}\n", lang.code(), toml_string(&of(lang))))
                .concat()
        };
        let title = |lang| t!(lang, "quick-start-title", title = self.title(lang));
        let mut text = words("title", &title);
        text.push_str("show = [");
        text.push_str(
            &show
                .iter()
                .map(|name| toml_string(name))
                .collect::<Vec<_>>()
                .join(", "),
        );
        text.push_str("]\n\n[[step]]\n");
        text.push_str(&words("say", &|lang| self.intro(lang)));
        text.push_str("do = [\n");
        for action in actions {
            text.push_str(&format!("  {},\n", toml_string(&action)));
        }
        text.push_str("]\n");
        crate::script::parse(&text).map_err(|error| error.render("quick start", &text))
    }
}

/// IPv6 for an IPv6 literal, IPv4 otherwise (names resolve to IPv4 first, as in the calls).
fn family_of(host: &str) -> Family {
    if host.contains(':') {
        Family::Ipv6
    } else {
        Family::Ipv4
    }
}

/// What "Connect to host:port" accepts: a host of letters, digits, dots, hyphens and colons
/// (names and IP literals; nothing that could change the script), and a port 1-65535.
pub fn connect_target(lang: Lang, text: &str) -> Result<QuickStart, String> {
    let text = text.trim();
    let family = if text.starts_with('[') {
        Family::Ipv6
    } else {
        Family::Ipv4
    };
    let AddrArg::Inet { host, port } = parse_address_in(lang, text, family)? else {
        return Err(t!(lang, "quick-connect-give-host-port"));
    };
    let host = host.trim_matches(['[', ']']).to_string();
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
    {
        return Err(t!(lang, "quick-connect-bad-host", host = host));
    }
    let port = u16::try_from(port)
        .ok()
        .filter(|port| *port > 0)
        .ok_or_else(|| t!(lang, "quick-connect-bad-port", port = port))?;
    Ok(QuickStart::Connect { host, port })
}

/// What "Listen on port" accepts: 0 (the kernel picks) to 65535.
pub fn listen_port(lang: Lang, text: &str) -> Result<u16, String> {
    text.trim()
        .parse::<u16>()
        .map_err(|_| t!(lang, "quick-listen-bad-port", text = text.trim()))
}

/// A script opened lately: a built-in lesson (by its file name) or a file (by its path).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentScript {
    pub title: String,
    pub file_name: String,
}

/// Puts `opened` first in `recent`, once, keeping at most [`RECENT_MAX`].
pub fn remember(recent: &mut Vec<RecentScript>, opened: RecentScript) {
    recent.retain(|old| old.file_name != opened.file_name);
    recent.insert(0, opened);
    recent.truncate(RECENT_MAX);
}

/// What the first screen's fields hold.
#[derive(Clone, Debug)]
pub struct StartForm {
    pub connect_to: String,
    pub listen_port: String,
    pub responder: Responder,
}

impl Default for StartForm {
    fn default() -> Self {
        StartForm {
            connect_to: "example.com:80".into(),
            listen_port: "8080".into(),
            responder: Responder::Echo,
        }
    }
}

/// The first screen. Clicks become intents (a quick start, a lesson, a recent script).
pub fn start_page_ui(
    ui: &mut egui::Ui,
    form: &mut StartForm,
    lessons: &[Lesson],
    recent: &[RecentScript],
    intents: &mut Vec<Intent>,
) {
    let lang = super::lang(ui.ctx());
    egui::ScrollArea::vertical()
        .id_salt("start_page")
        .show(ui, |ui| {
            ui.heading(t!(lang, "app-name"));
            ui.label(t!(lang, "start-explained"));
            ui.add_space(8.0);
            quick_starts_ui(ui, form, intents);
            if !recent.is_empty() {
                ui.add_space(8.0);
                ui.strong(t!(lang, "start-recent"));
                for (index, script) in recent.iter().enumerate() {
                    if ui
                        .link(&script.title)
                        .on_hover_text(&script.file_name)
                        .clicked()
                    {
                        intents.push(Intent::OpenRecent(index));
                    }
                }
            }
            ui.add_space(8.0);
            ui.strong(t!(lang, "lessons-heading"));
            for (index, lesson) in lessons.iter().enumerate() {
                ui.horizontal_wrapped(|ui| {
                    if ui.link(lesson.title.get(lang)).clicked() {
                        intents.push(Intent::OpenLesson(index));
                    }
                    if !lesson.summary.is_empty() {
                        ui.weak(lesson.summary.get(lang));
                    }
                });
            }
        });
}

fn quick_starts_ui(ui: &mut egui::Ui, form: &mut StartForm, intents: &mut Vec<Intent>) {
    let lang = super::lang(ui.ctx());
    ui.strong(t!(lang, "quick-start"));
    ui.horizontal_wrapped(|ui| {
        for quick in [QuickStart::TcpPair, QuickStart::UdpPair] {
            if ui.button(quick.title(lang)).clicked() {
                intents.push(Intent::QuickStart(quick));
            }
        }
    });
    ui.horizontal_wrapped(|ui| {
        labelled_field(
            ui,
            &t!(lang, "quick-connect-to"),
            &mut form.connect_to,
            200.0,
        );
        let target = connect_target(lang, &form.connect_to);
        let hover = t!(lang, "quick-connect-tip");
        start_button(ui, &t!(lang, "quick-connect"), &hover, target, intents);
    });
    ui.horizontal_wrapped(|ui| {
        labelled_field(
            ui,
            &t!(lang, "quick-listen-on-port"),
            &mut form.listen_port,
            70.0,
        );
        let label = ui.label(t!(lang, "quick-answering-with"));
        egui::ComboBox::from_id_salt("start_responder")
            .selected_text(form.responder.label(lang))
            .show_ui(ui, |ui| {
                for responder in Responder::ALL {
                    let text = responder.label(lang);
                    ui.selectable_value(&mut form.responder, responder, text);
                }
            })
            .response
            .labelled_by(label.id);
        let server = listen_port(lang, &form.listen_port).map(|port| QuickStart::Listen {
            port,
            responder: form.responder.clone(),
        });
        let hover = t!(lang, "quick-listen-tip");
        start_button(ui, &t!(lang, "quick-listen"), &hover, server, intents);
    });
}

/// A quick start's button: enabled when its fields hold something valid, else the reason
/// beside it.
fn start_button(
    ui: &mut egui::Ui,
    text: &str,
    hover: &str,
    quick: Result<QuickStart, String>,
    intents: &mut Vec<Intent>,
) {
    let clicked = ui
        .add_enabled(quick.is_ok(), egui::Button::new(text))
        .on_hover_text(hover)
        .clicked();
    match quick {
        Ok(quick) if clicked => intents.push(Intent::QuickStart(quick)),
        Err(message) => error_label(ui, &message),
        Ok(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_quick_start_is_a_valid_script() {
        for quick in [
            QuickStart::TcpPair,
            QuickStart::UdpPair,
            QuickStart::Connect {
                host: "::1".into(),
                port: 8080,
            },
            QuickStart::Listen {
                port: 0,
                responder: Responder::HttpHello,
            },
        ] {
            let script = quick.script().unwrap_or_else(|error| panic!("{error}"));
            assert!(
                script.title.get(Lang::En).starts_with("Quick start: "),
                "{:?}",
                script.title
            );
            assert!(
                script.title.get(Lang::Zh).starts_with("快速开始："),
                "{:?}",
                script.title
            );
            assert!(
                script.steps[0]
                    .say
                    .as_ref()
                    .is_some_and(|say| say.has(Lang::Zh))
            );
            assert_eq!(script.steps.len(), 1);
        }
    }

    #[test]
    fn a_connect_target_cannot_change_the_script() {
        assert_eq!(
            connect_target(Lang::En, "example.com:80"),
            Ok(QuickStart::Connect {
                host: "example.com".into(),
                port: 80
            })
        );
        assert_eq!(
            connect_target(Lang::En, "[::1]:8080"),
            Ok(QuickStart::Connect {
                host: "::1".into(),
                port: 8080
            })
        );
        assert!(connect_target(Lang::En, "x'), s.close(), ('y:80").is_err());
        assert!(connect_target(Lang::En, "example.com:0").is_err());
        assert!(connect_target(Lang::En, "example.com").is_err());
        assert!(listen_port(Lang::En, "70000").is_err());
        assert_eq!(listen_port(Lang::En, " 0 "), Ok(0));
    }

    #[test]
    fn recent_scripts_are_kept_once_newest_first() {
        let mut recent = Vec::new();
        for n in 0..10 {
            remember(
                &mut recent,
                RecentScript {
                    title: format!("lesson {n}"),
                    file_name: format!("{n}.toml"),
                },
            );
        }
        remember(
            &mut recent,
            RecentScript {
                title: "lesson 7".into(),
                file_name: "7.toml".into(),
            },
        );
        let names: Vec<&str> = recent.iter().map(|r| r.file_name.as_str()).collect();
        assert_eq!(
            names,
            ["7.toml", "9.toml", "8.toml", "6.toml", "5.toml", "4.toml"]
        );
    }
}
