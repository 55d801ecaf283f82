//! The call form of the selected socket: one row per socket call with its arguments, and next
//! to it what the call last did (value, or errno name, explanation and usual fix) or the call
//! it is blocked in right now.

use super::{Intent, blocked_text, bytes_text, duration_text};
use crate::engine::{AddrArg, Call, Family, Lifecycle, Outcome, RecvFlags, SockType, SocketId};
use crate::session::{LastResult, Session, SocketView};

/// What a person has typed into one socket's form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallForm {
    pub name: String,
    pub bind_addr: String,
    pub backlog: String,
    pub connect_addr: String,
    pub send_text: String,
    pub bufsize: String,
    /// The engine refused to pass a call on (the socket's thread is gone).
    pub engine_error: Option<String>,
}

impl CallForm {
    pub fn new(view: &SocketView) -> Self {
        let (bind_addr, connect_addr) = match view.family {
            Family::Ipv4 => ("127.0.0.1:0".to_string(), "127.0.0.1:8080".to_string()),
            Family::Ipv6 => ("[::1]:0".to_string(), "[::1]:8080".to_string()),
            Family::Unix => (
                format!("/tmp/socket-workbench-{}.sock", view.id.0),
                "/tmp/socket-workbench-1.sock".to_string(),
            ),
        };
        CallForm {
            name: view.name.clone(),
            bind_addr,
            backlog: "5".into(),
            connect_addr,
            send_text: String::new(),
            bufsize: "1024".into(),
            engine_error: None,
        }
    }
}

/// Checks an address as typed: what [`AddrArg::parse_text`] accepts (`127.0.0.1:8080`,
/// `[::1]:80`, a path) or the Python notation the workbench shows (`('127.0.0.1', 8080)`), with
/// a port that fits in 16 bits and a host that is not empty.
pub fn parse_address(text: &str, family: Family) -> Result<AddrArg, String> {
    let addr = match split_python_address(text) {
        Some((host, port)) => AddrArg::Inet {
            host: host.to_string(),
            port: port
                .trim()
                .parse()
                .map_err(|_| format!("'{}' is not a port number (0-65535)", port.trim()))?,
        },
        None => AddrArg::parse_text(text, family)?,
    };
    if let AddrArg::Inet { host, port } = &addr {
        if *port > u32::from(u16::MAX) {
            return Err(format!("port {port} is out of range (a port is 0-65535)"));
        }
        if host.is_empty() {
            return Err("the host is missing, e.g. 127.0.0.1:8080".into());
        }
    }
    Ok(addr)
}

/// `('127.0.0.1', 8080)` or `('::1', 8080, 0, 0)` -> host and port text.
fn split_python_address(text: &str) -> Option<(&str, &str)> {
    let inner = text.trim().strip_prefix('(')?.strip_suffix(')')?.trim();
    let inner = inner.strip_prefix('\'')?;
    let (host, rest) = inner.split_once('\'')?;
    let rest = rest.trim_start().strip_prefix(',')?;
    let port = rest.split(',').next()?;
    Some((host, port))
}

/// An address as the workbench shows it (Python notation) turned into what one types in an
/// address field: `('127.0.0.1', 5000)` -> `127.0.0.1:5000`, `('::1', 80)` -> `[::1]:80`,
/// `'/tmp/x.sock'` -> `/tmp/x.sock`. A wildcard address becomes the loopback one, so the
/// result is something to connect to.
pub fn address_field_text(shown: &str) -> String {
    if let Some((host, port)) = split_python_address(shown) {
        let host = match host {
            "0.0.0.0" => "127.0.0.1",
            "::" => "::1",
            other => other,
        };
        let port = port.trim();
        return if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
    }
    let shown = shown.trim();
    shown
        .strip_prefix('\'')
        .and_then(|rest| rest.strip_suffix('\''))
        .unwrap_or(shown)
        .to_string()
}

fn parse_number<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("'{}' is not a valid {what}", text.trim()))
}

/// A text field with a visible label that also names it for screen readers and tests.
fn labelled_field(ui: &mut egui::Ui, label: &str, text: &mut String, width: f32) -> egui::Response {
    let label = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(text)
            .desired_width(width)
            .min_size(egui::vec2(width, 0.0)),
    )
    .labelled_by(label.id)
}

fn push_call(intents: &mut Vec<Intent>, socket: SocketId, call: Call) {
    intents.push(Intent::Call { socket, call });
}

fn error_label(ui: &mut egui::Ui, message: &str) {
    ui.colored_label(ui.visuals().error_fg_color, message);
}

pub fn call_form_ui(
    ui: &mut egui::Ui,
    session: &Session,
    view: &SocketView,
    form: &mut CallForm,
    now_us: u64,
    intents: &mut Vec<Intent>,
) {
    let socket = view.id;
    let mut rename = None;

    header_ui(ui, view, form, &mut rename);
    if let Some(error) = &form.engine_error {
        error_label(ui, error);
    }
    ui.separator();

    egui::Grid::new(("call_form", socket.0))
        .num_columns(4)
        .spacing([8.0, 6.0])
        .show(ui, |ui| {
            calls_grid_ui(ui, session, view, form, now_us, intents);
        });

    if let Some(name) = rename {
        intents.push(Intent::Rename { socket, name });
    }
}

/// One row per call: argument label, argument field, the call's button, and what the call
/// did (or why the argument is refused) next to it.
fn calls_grid_ui(
    ui: &mut egui::Ui,
    session: &Session,
    view: &SocketView,
    form: &mut CallForm,
    now_us: u64,
    intents: &mut Vec<Intent>,
) {
    let socket = view.id;

    // bind
    labelled_field(ui, "bind address", &mut form.bind_addr, 200.0);
    let parsed = parse_address(&form.bind_addr, view.family);
    let clicked = ui.button("bind()").clicked();
    ui.horizontal_wrapped(|ui| {
        match &parsed {
            Err(message) => error_label(ui, message),
            Ok(AddrArg::Inet { host, .. }) if is_wildcard(host) => {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "all interfaces: reachable from the network",
                );
            }
            Ok(_) => {}
        }
        result_ui(ui, view, "bind", now_us);
    });
    if clicked && let Ok(addr) = parsed {
        push_call(intents, socket, Call::Bind(addr));
    }
    ui.end_row();

    // listen
    labelled_field(ui, "backlog", &mut form.backlog, 50.0);
    let parsed = parse_number::<i32>(&form.backlog, "backlog (a whole number)");
    let clicked = ui.button("listen()").clicked();
    ui.horizontal_wrapped(|ui| {
        if let Err(message) = &parsed {
            error_label(ui, message);
        }
        result_ui(ui, view, "listen", now_us);
    });
    if clicked && let Ok(backlog) = parsed {
        push_call(intents, socket, Call::Listen { backlog });
    }
    ui.end_row();

    // accept
    ui.label("");
    ui.label("");
    if ui.button("accept()").clicked() {
        push_call(intents, socket, Call::Accept);
    }
    ui.horizontal_wrapped(|ui| result_ui(ui, view, "accept", now_us));
    ui.end_row();

    // connect
    labelled_field(ui, "connect address", &mut form.connect_addr, 200.0);
    let parsed = parse_address(&form.connect_addr, view.family);
    let clicked = ui.button("connect()").clicked();
    ui.horizontal_wrapped(|ui| {
        if let Err(message) = &parsed {
            error_label(ui, message);
        }
        result_ui(ui, view, "connect", now_us);
    });
    if clicked && let Ok(addr) = parsed {
        push_call(intents, socket, Call::Connect(addr));
    }
    ui.end_row();
    let listeners = connect_targets(session, view);
    if !listeners.is_empty() {
        ui.label("");
        ui.horizontal_wrapped(|ui| listener_shortcuts_ui(ui, &listeners, form));
        ui.end_row();
    }

    // send
    labelled_field(ui, "send text", &mut form.send_text, 200.0);
    if ui
        .button("send()")
        .on_hover_text("send the text as UTF-8 bytes (an empty send is allowed)")
        .clicked()
    {
        push_call(
            intents,
            socket,
            Call::Send {
                data: form.send_text.as_bytes().to_vec(),
            },
        );
    }
    ui.horizontal_wrapped(|ui| result_ui(ui, view, "send", now_us));
    ui.end_row();

    // recv / recvfrom
    labelled_field(ui, "bufsize", &mut form.bufsize, 70.0);
    let parsed = parse_number::<usize>(&form.bufsize, "bufsize (a byte count)");
    let (recv, recvfrom) = ui
        .horizontal(|ui| {
            let recv = ui.button("recv()").clicked();
            let recvfrom =
                view.sock_type == SockType::Datagram && ui.button("recvfrom()").clicked();
            (recv, recvfrom)
        })
        .inner;
    ui.horizontal_wrapped(|ui| {
        if let Err(message) = &parsed {
            error_label(ui, message);
        }
        result_ui(ui, view, "recv", now_us);
        if view.sock_type == SockType::Datagram {
            result_ui(ui, view, "recvfrom", now_us);
        }
    });
    if let Ok(bufsize) = parsed {
        let flags = RecvFlags::default();
        if recv {
            push_call(intents, socket, Call::Recv { bufsize, flags });
        }
        if recvfrom {
            push_call(intents, socket, Call::RecvFrom { bufsize, flags });
        }
    }
    ui.end_row();

    // close, cancel
    ui.label("");
    ui.label("");
    if ui.button("close()").clicked() {
        push_call(intents, socket, Call::Close);
    }
    ui.horizontal_wrapped(|ui| {
        result_ui(ui, view, "close", now_us);
        if !view.pending.is_empty()
            && ui
                .button("Cancel")
                .on_hover_text("end every pending call of this socket as cancelled")
                .clicked()
        {
            intents.push(Intent::Cancel(socket));
        }
    });
    ui.end_row();
}

fn header_ui(
    ui: &mut egui::Ui,
    view: &SocketView,
    form: &mut CallForm,
    rename: &mut Option<String>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.heading(&view.name);
        ui.label(format!(
            "{} {} · {}",
            view.family.label(),
            view.sock_type.label(view.family),
            view.mode
        ));
    });
    ui.horizontal_wrapped(|ui| {
        if labelled_field(ui, "name", &mut form.name, 160.0).changed() {
            *rename = Some(form.name.clone());
        }
        ui.label(format!("state: {}", view.state.label()));
        if let Some(local) = &view.local {
            ui.label(format!("local {local}"));
        }
        if let Some(peer) = &view.peer {
            ui.label(format!("peer {peer}"));
        }
    });
    let counters = view.counters;
    ui.weak(format!(
        "in {} ({} recv calls) · out {} ({} send calls)",
        bytes_text(counters.bytes_in),
        counters.recv_calls,
        bytes_text(counters.bytes_out),
        counters.send_calls,
    ));
}

/// Other sockets one may connect to: listeners (and bound datagram sockets) of this family.
fn connect_targets<'a>(session: &'a Session, view: &SocketView) -> Vec<(&'a str, &'a str)> {
    session
        .sockets()
        .filter(|other| {
            other.id != view.id
                && other.family == view.family
                && other.sock_type == view.sock_type
                && !other.closed
                && (other.state == Lifecycle::Listening
                    || (other.sock_type == SockType::Datagram && other.state != Lifecycle::Created))
        })
        .filter_map(|other| Some((other.name.as_str(), other.local.as_deref()?)))
        .collect()
}

/// Buttons that fill the connect address with another socket's address.
fn listener_shortcuts_ui(ui: &mut egui::Ui, targets: &[(&str, &str)], form: &mut CallForm) {
    ui.weak("to:");
    for (name, local) in targets {
        if ui
            .small_button(format!("{name} {local}"))
            .on_hover_text("use this address for connect")
            .clicked()
        {
            form.connect_addr = address_field_text(local);
        }
    }
}

fn is_wildcard(host: &str) -> bool {
    matches!(host, "0.0.0.0" | "::" | "")
}

/// What the latest call of this name did, or the call it is blocked in now.
fn result_ui(ui: &mut egui::Ui, view: &SocketView, call_name: &str, now_us: u64) {
    if let Some(pending) = view.pending.iter().find(|p| p.call.name() == call_name) {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            blocked_text(&pending.call, pending.started_us, now_us),
        );
        return;
    }
    if let Some(last) = view.last_result(call_name) {
        last_result_ui(ui, last);
    }
}

fn last_result_ui(ui: &mut egui::Ui, last: &LastResult) {
    let took = duration_text(last.duration_us);
    match &last.outcome {
        Outcome::Errno(code) => {
            let name = crate::engine::errno::name(*code);
            let explanation = crate::engine::errno::explanation(*code);
            error_label(
                ui,
                &format!(
                    "{} -> {name} ({code}): {explanation} ({took})",
                    last.call.text()
                ),
            );
            if let Some(fix) = crate::engine::errno::fix(*code) {
                ui.label(format!("usual fix: {fix}"));
            }
        }
        Outcome::Ok(value) => {
            let mut text = format!("{} -> {value} ({took}", last.call.text());
            if last.woken_by != crate::engine::WokenBy::NoWait {
                text.push_str(&format!(", woken by: {}", last.woken_by.label()));
            }
            text.push(')');
            ui.label(text);
        }
        other => {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("{} -> {other} ({took})", last.call.text()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_read_in_both_notations() {
        assert_eq!(
            parse_address("127.0.0.1:8080", Family::Ipv4),
            Ok(AddrArg::inet("127.0.0.1", 8080))
        );
        assert_eq!(
            parse_address("('127.0.0.1', 8080)", Family::Ipv4),
            Ok(AddrArg::inet("127.0.0.1", 8080))
        );
        assert_eq!(
            parse_address("('::1', 80, 0, 0)", Family::Ipv6),
            Ok(AddrArg::inet("::1", 80))
        );
    }

    #[test]
    fn bad_addresses_are_refused_with_a_reason() {
        let error = parse_address("127.0.0.1:99999", Family::Ipv4).unwrap_err();
        assert!(error.contains("out of range"), "{error}");
        assert!(parse_address("127.0.0.1", Family::Ipv4).is_err());
        assert!(parse_address(":80", Family::Ipv4).is_err());
        assert!(parse_address("127.0.0.1:http", Family::Ipv4).is_err());
    }

    #[test]
    fn shown_addresses_become_field_text() {
        assert_eq!(address_field_text("('127.0.0.1', 5000)"), "127.0.0.1:5000");
        assert_eq!(address_field_text("('0.0.0.0', 5000)"), "127.0.0.1:5000");
        assert_eq!(address_field_text("('::', 80)"), "[::1]:80");
        assert_eq!(address_field_text("'/tmp/x.sock'"), "/tmp/x.sock");
    }
}
